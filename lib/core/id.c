/* Time-ordered UUIDs (the UUIDv7 layout) so inserts land at the end of LMDB's B+tree. */
#include "core/id.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/random.h"

int64_t lc__now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t id_last_ms;
static uint64_t id_seq; /* 12-bit rand_a counter within one millisecond, then carries into ms */

void lc__id_new(uint8_t id[LC__ID_BYTES])
{
	uint64_t ms = (uint64_t)(lc__now_us() / 1000);
	uint64_t seq;

	pthread_mutex_lock(&id_lock);
	if (ms > id_last_ms) {
		id_last_ms = ms;
		id_seq = lc__random_uniform(1024); /* leave room to count up */
	} else if (++id_seq > 0xFFF) {
		id_last_ms++; /* borrow the next millisecond: keeps ids strictly increasing */
		id_seq = 0;
	}
	ms = id_last_ms;
	seq = id_seq;
	pthread_mutex_unlock(&id_lock);

	lc__random_buf(id + 8, 8);
	for (int i = 0; i < 6; i++)
		id[i] = (uint8_t)(ms >> (40 - 8 * i));
	id[6] = (uint8_t)(0x70 | ((seq >> 8) & 0x0F));
	id[7] = (uint8_t)(seq & 0xFF);
	id[8] = (uint8_t)(0x80 | (id[8] & 0x3F));
}

void lc__id_format(const uint8_t id[LC__ID_BYTES], char out[LC__ID_TEXT])
{
	static const char hex[] = "0123456789abcdef";
	char *p = out;

	for (int i = 0; i < LC__ID_BYTES; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[id[i] >> 4];
		*p++ = hex[id[i] & 0xF];
	}
	*p = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int lc__id_parse(const char *text, uint8_t id[LC__ID_BYTES])
{
	size_t len;
	int dashed;
	const char *p = text;

	if (text == NULL)
		return -1;
	len = strnlen(text, 40);
	if (len == 36)
		dashed = 1;
	else if (len == 32)
		dashed = 0;
	else
		return -1;
	for (int i = 0; i < LC__ID_BYTES; i++) {
		int hi, lo;

		if (dashed && (i == 4 || i == 6 || i == 8 || i == 10)) {
			if (*p != '-')
				return -1;
			p++;
		}
		hi = hexval(p[0]);
		lo = hexval(p[1]);
		if (hi < 0 || lo < 0)
			return -1;
		id[i] = (uint8_t)(hi << 4 | lo);
		p += 2;
	}
	return 0;
}

int lc__id_check(const char *field, const char *text, uint8_t id[LC__ID_BYTES])
{
	if (text == NULL)
		return lc__error_set(LC_EINVALID, "%s is missing", field);
	if (lc__id_parse(text, id) < 0)
		return lc__error_set(LC_EINVALID, "%s is not a valid id: '%.40s'", field, text);
	return 0;
}

/* 1 if text is already a canonical id: 36 characters, lower-case hex, dashes at 8, 13, 18, 23. */
static int is_canonical(const char *text)
{
	for (int i = 0; i < 36; i++) {
		char c = text[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			return 0;
		}
	}
	return text[36] == '\0';
}

int lc__id_canon(const char *field, const char *text, char out[LC__ID_TEXT])
{
	uint8_t id[LC__ID_BYTES];

	if (text != NULL && is_canonical(text)) { /* the common case: no parse, no reformat */
		memcpy(out, text, LC__ID_TEXT);
		return 0;
	}

	if (text != NULL && strcmp(text, "default") == 0) {
		memcpy(out, "default", sizeof("default"));
		return 0;
	}
	LC_TRY(lc__id_check(field, text, id));
	lc__id_format(id, out);
	return 0;
}

void lc__id_new_text(char out[LC__ID_TEXT])
{
	uint8_t id[LC__ID_BYTES];

	lc__id_new(id);
	lc__id_format(id, out);
}
