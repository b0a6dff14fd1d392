/* Unit tests of the token format and the token key repository. */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <dirent.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libcloud/errors.h>

#include "identity/token_codec.h"
#include "testutil.h"

#define NOW 1700000000000000LL /* a fixed "now", Unix microseconds */
#define HOUR 3600000000LL
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

static char *tmp;
static char keydir[4096];

static void setup(void)
{
	cr_assert(sodium_init() >= 0);
	tmp = lct_tmpdir();
	cr_assert_not_null(tmp);
	snprintf(keydir, sizeof(keydir), "%s/keys", tmp);
}

static void teardown(void)
{
	lct_rmtree(tmp);
	tmp = NULL;
}

TestSuite(token_codec, .init = setup, .fini = teardown);

static lc__token_keys *open_keys(unsigned keep)
{
	lc__token_keys *k = NULL;

	cr_assert_eq(lc__token_keys_open(&k, keydir, keep), 0, "open: %s", lc_error_last()->message);
	cr_assert_not_null(k);
	return k;
}

static lc__token_payload project_payload(void)
{
	lc__token_payload p;

	memset(&p, 0, sizeof(p));
	p.scope = LC__TOKEN_SCOPE_PROJECT;
	p.methods = LC__TOKEN_METHOD_PASSWORD;
	strcpy(p.user_id, "0190f1a2-7b3c-7d4e-8f50-123456789abc");
	strcpy(p.scope_id, "0190f1a2-7b3c-7d4e-9f50-fedcba987654");
	p.issued_us = NOW;
	p.expires_us = NOW + HOUR;
	for (int i = 0; i < 16; i++)
		p.audit_id[i] = (uint8_t)(0xA0 + i);
	return p;
}

static void assert_same_payload(const lc__token_payload *a, const lc__token_payload *b)
{
	cr_assert_eq(a->scope, b->scope);
	cr_assert_eq(a->methods, b->methods);
	cr_assert_str_eq(a->user_id, b->user_id);
	cr_assert_str_eq(a->scope_id, b->scope_id);
	cr_assert_eq(a->issued_us, b->issued_us);
	cr_assert_eq(a->expires_us, b->expires_us);
	cr_assert_arr_eq(a->audit_id, b->audit_id, sizeof(a->audit_id));
}

static void encode_ok(lc__token_keys *k, const lc__token_payload *p, char tok[LC__TOKEN_TEXT_MAX])
{
	cr_assert_eq(lc__token_encode(k, p, tok, LC__TOKEN_TEXT_MAX), 0, "encode: %s",
		     lc_error_last()->message);
}

static void assert_invalid_token(lc__token_keys *k, const char *tok)
{
	lc__token_payload out;

	int rc;

	/* plain checks first: criterion reports every assertion, which is slow in long loops */
	memset(&out, 0x5A, sizeof(out));
	rc = lc__token_decode(k, tok, NOW, &out);
	if (rc != LC_EAUTH)
		cr_assert_fail("decode returned %d for '%.300s'", rc, tok);
	if (strcmp(lc_error_last()->message, "invalid token") != 0)
		cr_assert_fail("message '%s' for '%.300s'", lc_error_last()->message, tok);
	/* nothing is written on failure */
	if (out.scope != 0x5A)
		cr_assert_fail("payload written on failure");
}

/* The binary form of a token (version, key id, payload, tag). */
static size_t token_bin(const char *tok, uint8_t *bin, size_t max)
{
	size_t n = 0;

	cr_assert_eq(sodium_base642bin(bin, max, tok, strlen(tok), NULL, &n, NULL, B64), 0);
	return n;
}

/* Sign arbitrary bytes as key `kid` of keydir would: lets tests build well-signed malformed tokens. */
static void sign_raw(uint32_t kid, uint8_t *bin, size_t n, char *out, size_t outsz)
{
	char path[4200];
	unsigned char key[32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u", keydir, (unsigned)kid);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "no key file %s", path);
	cr_assert_eq(fread(key, 1, sizeof(key), f), sizeof(key));
	fclose(f);
	bin[1] = (uint8_t)(kid >> 24);
	bin[2] = (uint8_t)(kid >> 16);
	bin[3] = (uint8_t)(kid >> 8);
	bin[4] = (uint8_t)kid;
	crypto_generichash(bin + n, 32, bin, n, key, sizeof(key));
	sodium_bin2base64(out, outsz, bin, n + 32, B64);
}

static uint32_t token_key_id(const char *tok)
{
	uint8_t bin[512];

	token_bin(tok, bin, sizeof(bin));
	return (uint32_t)bin[1] << 24 | (uint32_t)bin[2] << 16 | (uint32_t)bin[3] << 8 | bin[4];
}

static int count_key_files(void)
{
	DIR *d = opendir(keydir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			n++;
	closedir(d);
	return n;
}

/* ---- round trips ---- */

Test(token_codec, project_scoped_token_round_trips_and_is_short)
{
	lc__token_keys *k = open_keys(0);
	lc__token_payload p = project_payload(), out;
	char tok[LC__TOKEN_TEXT_MAX];

	encode_ok(k, &p, tok);
	cr_assert_lt(strlen(tok), 200, "token is %zu characters", strlen(tok));
	cr_log_info("project-scoped token: %zu characters", strlen(tok));
	cr_assert_eq(strspn(tok, ALPHABET), strlen(tok), "not base64url: %s", tok);
	cr_assert_eq(lc__token_decode(k, tok, NOW, &out), 0, "%s", lc_error_last()->message);
	assert_same_payload(&p, &out);
	lc__token_keys_free(k);
}

Test(token_codec, short_text_ids_and_every_scope_round_trip)
{
	lc__token_keys *k = open_keys(0);
	lc__token_payload p = project_payload(), out;
	char tok[LC__TOKEN_TEXT_MAX];
	static const struct { uint8_t scope; const char *user, *scope_id; } cases[] = {
		{ LC__TOKEN_SCOPE_DOMAIN, "admin", "default" },
		{ LC__TOKEN_SCOPE_SYSTEM, "0190f1a2-7b3c-7d4e-8f50-123456789abc", "all" },
		{ LC__TOKEN_SCOPE_SYSTEM, "u", "" },
		{ LC__TOKEN_SCOPE_NONE, "0190f1a2-7b3c-7d4e-8f50-123456789abc", "" },
		/* not canonical (upper case, no dashes): kept as text, exactly */
		{ LC__TOKEN_SCOPE_PROJECT, "0190F1A2-7B3C-7D4E-8F50-123456789ABC", "0190f1a27b3c7d4e8f50123456789abc" },
		{ LC__TOKEN_SCOPE_PROJECT, "caf\xc3\xa9", "x-y_z.0" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p.scope = cases[i].scope;
		p.methods = LC__TOKEN_METHOD_PASSWORD | LC__TOKEN_METHOD_TOKEN;
		strcpy(p.user_id, cases[i].user);
		strcpy(p.scope_id, cases[i].scope_id);
		encode_ok(k, &p, tok);
		cr_assert_eq(lc__token_decode(k, tok, NOW, &out), 0, "case %zu: %s", i, lc_error_last()->message);
		assert_same_payload(&p, &out);
	}
	lc__token_keys_free(k);
}

Test(token_codec, longest_ids_fit_the_documented_buffer)
{
	lc__token_keys *k = open_keys(0);
	lc__token_payload p = project_payload(), out;
	char tok[LC__TOKEN_TEXT_MAX];

	memset(p.user_id, 'u', LC__TOKEN_ID_MAX);
	p.user_id[LC__TOKEN_ID_MAX] = '\0';
	memset(p.scope_id, 's', LC__TOKEN_ID_MAX);
	p.scope_id[LC__TOKEN_ID_MAX] = '\0';
	encode_ok(k, &p, tok);
	cr_assert_eq(strlen(tok), LC__TOKEN_TEXT_MAX - 1);
	cr_assert_eq(lc__token_decode(k, tok, NOW, &out), 0);
	assert_same_payload(&p, &out);
	/* one byte short of room */
	cr_assert_eq(lc__token_encode(k, &p, tok, LC__TOKEN_TEXT_MAX - 1), LC_EINVALID);
	lc__token_keys_free(k);
}

Test(token_codec, encode_rejects_payloads_that_break_the_rules)
{
	lc__token_keys *k = open_keys(0);
	lc__token_payload good = project_payload(), p;
	char tok[LC__TOKEN_TEXT_MAX];

	p = good; p.scope = 4;
	cr_assert_eq(lc__token_encode(k, &p, tok, sizeof(tok)), LC_EINVALID);
	p = good; p.user_id[0] = '\0';
	cr_assert_eq(lc__token_encode(k, &p, tok, sizeof(tok)), LC_EINVALID);
	p = good; memset(p.user_id, 'a', sizeof(p.user_id)); /* not terminated */
	cr_assert_eq(lc__token_encode(k, &p, tok, sizeof(tok)), LC_EINVALID);
	p = good; memset(p.scope_id, 'a', sizeof(p.scope_id));
	cr_assert_eq(lc__token_encode(k, &p, tok, sizeof(tok)), LC_EINVALID);
	p = good; p.scope = LC__TOKEN_SCOPE_NONE;
	cr_assert_eq(lc__token_encode(k, &p, tok, sizeof(tok)), LC_EINVALID);
	p = good; p.scope_id[0] = '\0';
	cr_assert_eq(lc__token_encode(k, &p, tok, sizeof(tok)), LC_EINVALID);
	p = good; p.scope = LC__TOKEN_SCOPE_DOMAIN; p.scope_id[0] = '\0';
	cr_assert_eq(lc__token_encode(k, &p, tok, sizeof(tok)), LC_EINVALID);
	p = good; p.expires_us = p.issued_us;
	cr_assert_eq(lc__token_encode(k, &p, tok, sizeof(tok)), LC_EINVALID);
	p = good; p.issued_us = -1;
	cr_assert_eq(lc__token_encode(k, &p, tok, sizeof(tok)), LC_EINVALID);
	p = good;
	cr_assert_eq(lc__token_encode(k, &p, tok, 100), LC_EINVALID);
	cr_assert_eq(tok[0], '\0');
	cr_assert_eq(lc__token_encode(k, &p, tok, 0), LC_EINVALID);
	cr_assert_eq(lc__token_encode(NULL, &p, tok, sizeof(tok)), LC_EINVALID);
	cr_assert_eq(lc__token_encode(k, NULL, tok, sizeof(tok)), LC_EINVALID);
	cr_assert_eq(lc__token_encode(k, &p, NULL, sizeof(tok)), LC_EINVALID);
	lc__token_keys_free(k);
}

/* ---- tampering ---- */

Test(token_codec, every_changed_character_is_rejected)
{
	lc__token_keys *k = open_keys(0);
	lc__token_payload p = project_payload();
	char tok[LC__TOKEN_TEXT_MAX], bad[LC__TOKEN_TEXT_MAX];
	size_t len;

	encode_ok(k, &p, tok);
	len = strlen(tok);
	for (size_t i = 0; i < len; i++) {
		for (const char *c = ALPHABET; *c; c++) {
			if (*c == tok[i])
				continue;
			memcpy(bad, tok, len + 1);
			bad[i] = *c;
			assert_invalid_token(k, bad);
		}
		/* every byte outside the alphabet, standard base64's '+' '/' '=' among them */
		for (int c = 1; c < 256; c++) {
			if (strchr(ALPHABET, c) != NULL)
				continue;
			memcpy(bad, tok, len + 1);
			bad[i] = (char)c;
			assert_invalid_token(k, bad);
		}
	}
	lc__token_keys_free(k);
}

Test(token_codec, every_flipped_bit_is_rejected)
{
	lc__token_keys *k = open_keys(0);
	lc__token_payload p = project_payload();
	char tok[LC__TOKEN_TEXT_MAX], bad[LC__TOKEN_TEXT_MAX];
	uint8_t bin[512];
	size_t n;

	encode_ok(k, &p, tok);
	n = token_bin(tok, bin, sizeof(bin));
	for (size_t i = 0; i < n; i++) {
		for (int b = 0; b < 8; b++) {
			bin[i] ^= (uint8_t)(1 << b);
			sodium_bin2base64(bad, sizeof(bad), bin, n, B64);
			assert_invalid_token(k, bad);
			bin[i] ^= (uint8_t)(1 << b);
		}
	}
	lc__token_keys_free(k);
}

Test(token_codec, truncated_tokens_are_rejected)
{
	lc__token_keys *k = open_keys(0);
	lc__token_payload p = project_payload(), out;
	char tok[LC__TOKEN_TEXT_MAX], bad[LC__TOKEN_TEXT_MAX];
	uint8_t bin[512];
	size_t len, n;

	encode_ok(k, &p, tok);
	len = strlen(tok);
	for (size_t i = 1; i < len; i++) {
		memcpy(bad, tok, i);
		bad[i] = '\0';
		assert_invalid_token(k, bad);
	}
	/* whole bytes dropped from the binary form, re-encoded */
	n = token_bin(tok, bin, sizeof(bin));
	for (size_t i = 1; i < n; i++) {
		sodium_bin2base64(bad, sizeof(bad), bin, i, B64);
		assert_invalid_token(k, bad);
	}
	cr_assert_eq(lc__token_decode(k, "", NOW, &out), LC_EINVALID);
	lc__token_keys_free(k);
}

Test(token_codec, extended_tokens_are_rejected)
{
	lc__token_keys *k = open_keys(0);
	lc__token_payload p = project_payload();
	char tok[LC__TOKEN_TEXT_MAX], bad[LC__TOKEN_TEXT_MAX + 8];
	uint8_t bin[512];
	size_t n;
	static const char *tails[] = { "A", "AA", "AAA", "AAAA", "=", "==", "_", "AAAAAAAA", "\n", " " };

	encode_ok(k, &p, tok);
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		snprintf(bad, sizeof(bad), "%s%s", tok, tails[i]);
		assert_invalid_token(k, bad);
	}
	/* bytes appended to the binary form */
	n = token_bin(tok, bin, sizeof(bin));
	for (size_t extra = 1; extra <= 8; extra++) {
		memset(bin + n, 0, extra);
		sodium_bin2base64(bad, sizeof(bad), bin, n + extra, B64);
		assert_invalid_token(k, bad);
	}
	lc__token_keys_free(k);
}

Test(token_codec, well_signed_but_malformed_tokens_are_rejected)
{
	lc__token_keys *k = open_keys(0);
	lc__token_payload p = project_payload(), out;
	char tok[LC__TOKEN_TEXT_MAX], bad[LC__TOKEN_TEXT_MAX + 64];
	uint8_t bin[512];
	size_t n, body;
	uint32_t kid = lc__token_keys_primary(k);

	encode_ok(k, &p, tok);
	n = token_bin(tok, bin, sizeof(bin));
	body = n - 32;

	/* the helper signs as the codec does: the unmodified body is accepted */
	sign_raw(kid, bin, body, bad, sizeof(bad));
	cr_assert_str_eq(bad, tok);
	cr_assert_eq(lc__token_decode(k, bad, NOW, &out), 0);

	/* another version */
	bin[0] = LC__TOKEN_VERSION + 1;
	sign_raw(kid, bin, body, bad, sizeof(bad));
	assert_invalid_token(k, bad);
	bin[0] = LC__TOKEN_VERSION;

	/* payload extended by a byte, payload short of a byte */
	bin[body] = 0;
	sign_raw(kid, bin, body + 1, bad, sizeof(bad));
	assert_invalid_token(k, bad);
	sign_raw(kid, bin, body - 1, bad, sizeof(bad));
	assert_invalid_token(k, bad);

	/* unknown scope */
	bin[5] = 9;
	sign_raw(kid, bin, body, bad, sizeof(bad));
	assert_invalid_token(k, bad);
	bin[5] = LC__TOKEN_SCOPE_PROJECT;

	/* an id tag that is neither a length <= 64 nor the UUID tag */
	bin[7] = 65;
	sign_raw(kid, bin, body, bad, sizeof(bad));
	assert_invalid_token(k, bad);
	bin[7] = 0x81;
	sign_raw(kid, bin, body, bad, sizeof(bad));
	assert_invalid_token(k, bad);
	lc__token_keys_free(k);
}

Test(token_codec, tokens_of_another_key_repository_are_rejected)
{
	lc__token_keys *k = open_keys(0), *other;
	char otherdir[4200];
	lc__token_payload p = project_payload();
	char tok[LC__TOKEN_TEXT_MAX];

	snprintf(otherdir, sizeof(otherdir), "%s/other", tmp);
	cr_assert_eq(lc__token_keys_open(&other, otherdir, 0), 0);
	cr_assert_eq(lc__token_keys_primary(other), lc__token_keys_primary(k)); /* same id, other key */
	encode_ok(other, &p, tok);
	assert_invalid_token(k, tok);
	lc__token_keys_free(other);
	lc__token_keys_free(k);
}

Test(token_codec, unknown_key_ids_are_rejected)
{
	lc__token_keys *k = open_keys(0);
	lc__token_payload p = project_payload();
	char tok[LC__TOKEN_TEXT_MAX];
	uint8_t bin[512];
	size_t n;
	static const uint32_t ids[] = { 0, 2, 3, 1000, UINT32_MAX };

	encode_ok(k, &p, tok);
	n = token_bin(tok, bin, sizeof(bin));
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		bin[1] = (uint8_t)(ids[i] >> 24);
		bin[2] = (uint8_t)(ids[i] >> 16);
		bin[3] = (uint8_t)(ids[i] >> 8);
		bin[4] = (uint8_t)ids[i];
		sodium_bin2base64(tok, sizeof(tok), bin, n, B64);
		assert_invalid_token(k, tok);
	}
	cr_assert_eq(lc__token_keys_primary(k), 1);
	cr_assert_eq(lc__token_keys_count(k), 1);
	lc__token_keys_free(k);
}

/* ---- expiry ---- */

Test(token_codec, tokens_expire_at_expires_us)
{
	lc__token_keys *k = open_keys(0);
	lc__token_payload p = project_payload(), out;
	char tok[LC__TOKEN_TEXT_MAX];

	encode_ok(k, &p, tok);
	cr_assert_eq(lc__token_decode(k, tok, p.expires_us - 1, &out), 0);
	cr_assert_eq(lc__token_decode(k, tok, p.expires_us, &out), LC_EAUTH);
	cr_assert_str_eq(lc_error_last()->message, "token expired");
	cr_assert_eq(lc__token_decode(k, tok, INT64_MAX, &out), LC_EAUTH);
	cr_assert_str_eq(lc_error_last()->message, "token expired");
	lc__token_keys_free(k);
}

/* ---- garbage ---- */

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

Test(token_codec, garbage_is_rejected_without_crashing)
{
	lc__token_keys *k = open_keys(0);
	lc__token_payload out;
	char buf[1024];
	char *huge;
	static const char *samples[] = {
		"A", "AA", "AAA", "AAAA", "gAAAAA", "null", "Bearer x", "====",
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "\xff\xfe\xfd",
	};

	cr_assert_eq(lc__token_decode(k, NULL, NOW, &out), LC_EINVALID);
	cr_assert_eq(lc__token_decode(NULL, "AAAA", NOW, &out), LC_EINVALID);
	cr_assert_eq(lc__token_decode(k, "AAAA", NOW, NULL), LC_EINVALID);
	cr_assert_eq(lc__token_decode(k, "", NOW, &out), LC_EINVALID);
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		assert_invalid_token(k, samples[i]);

	/* random text, random alphabet text, of every length up to beyond the maximum */
	uint64_t x = 0;

	randombytes_buf(&x, sizeof(x));
	x |= 1;
	for (int round = 0; round < 40000; round++) {
		size_t len = 1 + (size_t)(xorshift(&x) % (sizeof(buf) - 1));

		if (round % 4 == 0)
			len = 1 + len % (LC__TOKEN_TEXT_MAX + 4); /* around the longest token */
		for (size_t i = 0; i < len; i++) {
			if (round % 2)
				buf[i] = ALPHABET[xorshift(&x) % 64];
			else
				buf[i] = (char)(1 + xorshift(&x) % 255);
		}
		buf[len] = '\0';
		assert_invalid_token(k, buf);
	}

	/* a megabyte of alphabet: rejected on its length */
	huge = malloc(1 << 20);
	cr_assert_not_null(huge);
	memset(huge, 'A', (1 << 20) - 1);
	huge[(1 << 20) - 1] = '\0';
	assert_invalid_token(k, huge);
	free(huge);
	lc__token_keys_free(k);
}

/* ---- the key repository ---- */

Test(token_codec, open_creates_a_private_directory_with_one_key)
{
	lc__token_keys *k = open_keys(0);
	char path[4200];
	struct stat st;

	cr_assert_eq(stat(keydir, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/1", keydir);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(S_ISREG(st.st_mode));
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(st.st_size, 32);
	cr_assert_eq(count_key_files(), 1);
	cr_assert_eq(lc__token_keys_primary(k), 1);
	lc__token_keys_free(k);
}

Test(token_codec, reopening_keeps_the_keys)
{
	lc__token_keys *k = open_keys(0), *again;
	lc__token_payload p = project_payload(), out;
	char tok[LC__TOKEN_TEXT_MAX];

	cr_assert_eq(lc__token_keys_rotate(k), 0);
	encode_ok(k, &p, tok);
	lc__token_keys_free(k);
	again = open_keys(0);
	cr_assert_eq(lc__token_keys_primary(again), 2);
	cr_assert_eq(lc__token_keys_count(again), 2);
	cr_assert_eq(lc__token_decode(again, tok, NOW, &out), 0);
	lc__token_keys_free(again);
}

Test(token_codec, rotation_keeps_old_tokens_valid_until_pushed_out_by_keep)
{
	lc__token_keys *k = open_keys(3);
	lc__token_payload p = project_payload(), out;
	char t1[LC__TOKEN_TEXT_MAX], t2[LC__TOKEN_TEXT_MAX], t3[LC__TOKEN_TEXT_MAX];
	char t4[LC__TOKEN_TEXT_MAX];

	encode_ok(k, &p, t1);
	cr_assert_eq(token_key_id(t1), 1);

	cr_assert_eq(lc__token_keys_rotate(k), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc__token_keys_primary(k), 2);
	encode_ok(k, &p, t2);
	cr_assert_eq(token_key_id(t2), 2);
	cr_assert_eq(lc__token_decode(k, t1, NOW, &out), 0);

	cr_assert_eq(lc__token_keys_rotate(k), 0);
	encode_ok(k, &p, t3);
	cr_assert_eq(token_key_id(t3), 3);
	cr_assert_eq(lc__token_decode(k, t1, NOW, &out), 0, "key 1 is still among the 3 kept");
	cr_assert_eq(count_key_files(), 3);

	cr_assert_eq(lc__token_keys_rotate(k), 0);
	encode_ok(k, &p, t4);
	cr_assert_eq(token_key_id(t4), 4);
	cr_assert_eq(count_key_files(), 3);
	cr_assert_eq(lc__token_keys_count(k), 3);
	assert_invalid_token(k, t1);
	cr_assert_eq(lc__token_decode(k, t2, NOW, &out), 0);
	cr_assert_eq(lc__token_decode(k, t3, NOW, &out), 0);
	cr_assert_eq(lc__token_decode(k, t4, NOW, &out), 0);
	lc__token_keys_free(k);
}

Test(token_codec, keep_two_validates_only_the_previous_key)
{
	lc__token_keys *k = open_keys(2);
	lc__token_payload p = project_payload(), out;
	char t1[LC__TOKEN_TEXT_MAX], t2[LC__TOKEN_TEXT_MAX];

	encode_ok(k, &p, t1);
	cr_assert_eq(lc__token_keys_rotate(k), 0);
	encode_ok(k, &p, t2);
	cr_assert_eq(lc__token_decode(k, t1, NOW, &out), 0);
	cr_assert_eq(lc__token_keys_rotate(k), 0);
	assert_invalid_token(k, t1);
	cr_assert_eq(lc__token_decode(k, t2, NOW, &out), 0);
	cr_assert_eq(count_key_files(), 2);
	lc__token_keys_free(k);
}

Test(token_codec, a_second_repository_sees_a_rotation_done_by_the_first)
{
	lc__token_keys *a = open_keys(3), *b = open_keys(3);
	lc__token_payload p = project_payload(), out;
	char old[LC__TOKEN_TEXT_MAX], tok[LC__TOKEN_TEXT_MAX];

	encode_ok(a, &p, old);
	cr_assert_eq(lc__token_decode(b, old, NOW, &out), 0);

	cr_assert_eq(lc__token_keys_rotate(a), 0);
	encode_ok(a, &p, tok);
	cr_assert_eq(token_key_id(tok), 2);
	cr_assert_eq(lc__token_keys_primary(b), 1);
	cr_assert_eq(lc__token_decode(b, tok, NOW, &out), 0, "%s", lc_error_last()->message);
	assert_same_payload(&p, &out);
	cr_assert_eq(lc__token_keys_primary(b), 2, "b reloaded the directory");
	encode_ok(b, &p, tok);
	cr_assert_eq(token_key_id(tok), 2, "b signs with the new primary");
	cr_assert_eq(lc__token_decode(a, tok, NOW, &out), 0);

	/* b rotating next takes the next id, and a follows */
	cr_assert_eq(lc__token_keys_rotate(b), 0);
	encode_ok(b, &p, tok);
	cr_assert_eq(token_key_id(tok), 3);
	cr_assert_eq(lc__token_decode(a, tok, NOW, &out), 0);

	/* a pushes key 1 out; b drops it when it reloads */
	cr_assert_eq(lc__token_keys_rotate(a), 0);
	cr_assert_eq(lc__token_decode(a, old, NOW, &out), LC_EAUTH);
	cr_assert_eq(lc__token_keys_reload(b), 0);
	cr_assert_eq(lc__token_keys_count(b), 3);
	assert_invalid_token(b, old);
	lc__token_keys_free(a);
	lc__token_keys_free(b);
}

Test(token_codec, stray_files_in_the_key_directory_are_ignored)
{
	lc__token_keys *k;
	const char *names[] = { ".tmp-0123456789abcdef", "README", "007", "12x", "99999999999" };
	char path[4200];

	cr_assert_eq(mkdir(keydir, 0700), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", keydir, names[i]);
		f = fopen(path, "w");
		cr_assert_not_null(f);
		fputs("not a key", f);
		fclose(f);
	}
	k = open_keys(0);
	cr_assert_eq(lc__token_keys_count(k), 1);
	cr_assert_eq(lc__token_keys_primary(k), 1);
	lc__token_keys_free(k);
}

Test(token_codec, a_key_file_of_the_wrong_size_is_reported_corrupt)
{
	lc__token_keys *k = open_keys(0);
	char path[4200];
	FILE *f;

	lc__token_keys_free(k);
	snprintf(path, sizeof(path), "%s/5", keydir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("short", f);
	fclose(f);
	k = (lc__token_keys *)1;
	cr_assert_eq(lc__token_keys_open(&k, keydir, 0), LC_ECORRUPT);
	cr_assert_null(k);
}

Test(token_codec, open_rejects_bad_arguments)
{
	lc__token_keys *k = NULL;
	char file[4200];
	FILE *f;

	cr_assert_eq(lc__token_keys_open(NULL, keydir, 0), LC_EINVALID);
	cr_assert_eq(lc__token_keys_open(&k, NULL, 0), LC_EINVALID);
	cr_assert_eq(lc__token_keys_open(&k, "", 0), LC_EINVALID);
	cr_assert_eq(lc__token_keys_open(&k, keydir, 1), LC_EINVALID);
	cr_assert_eq(lc__token_keys_open(&k, keydir, LC__TOKEN_KEYS_MAX + 1), LC_EINVALID);
	snprintf(file, sizeof(file), "%s/file", tmp);
	f = fopen(file, "w");
	cr_assert_not_null(f);
	fclose(f);
	cr_assert_eq(lc__token_keys_open(&k, file, 0), LC_EINVALID);
	snprintf(file, sizeof(file), "%s/missing/keys", tmp);
	cr_assert_eq(lc__token_keys_open(&k, file, 0), LC_ENOTFOUND);
	cr_assert_null(k);
	lc__token_keys_free(NULL);
}

/* ---- threads ---- */

struct worker {
	lc__token_keys *k;
	const char *old_token;
	volatile int *stop;
	long decoded, failures;
};

static void *decode_loop(void *arg)
{
	struct worker *w = arg;
	lc__token_payload p = project_payload(), out;
	char tok[LC__TOKEN_TEXT_MAX];

	while (!*w->stop) {
		if (lc__token_decode(w->k, w->old_token, NOW, &out) != 0)
			w->failures++;
		if (lc__token_encode(w->k, &p, tok, sizeof(tok)) != 0 ||
		    lc__token_decode(w->k, tok, NOW, &out) != 0)
			w->failures++;
		w->decoded += 2;
	}
	return NULL;
}

Test(token_codec, decoding_runs_concurrently_with_rotation)
{
	lc__token_keys *k = open_keys(LC__TOKEN_KEYS_MAX);
	lc__token_payload p = project_payload();
	char old[LC__TOKEN_TEXT_MAX];
	volatile int stop = 0;
	struct worker w[3];
	pthread_t th[3];

	encode_ok(k, &p, old);
	for (int i = 0; i < 3; i++) {
		w[i] = (struct worker){ k, old, &stop, 0, 0 };
		cr_assert_eq(pthread_create(&th[i], NULL, decode_loop, &w[i]), 0);
	}
	for (int r = 0; r < 40; r++)
		cr_assert_eq(lc__token_keys_rotate(k), 0, "%s", lc_error_last()->message);
	stop = 1;
	for (int i = 0; i < 3; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(w[i].failures, 0);
		cr_assert_gt(w[i].decoded, 0);
	}
	cr_assert_eq(lc__token_keys_primary(k), 41);
	lc__token_keys_free(k);
}

/* ---- speed (reported, not asserted) ---- */

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

Test(token_codec, decode_rate_is_reported)
{
	lc__token_keys *k = open_keys(0);
	lc__token_payload p = project_payload(), out;
	char tok[LC__TOKEN_TEXT_MAX];
	const long n = 200000;
	double t0, dt;

	cr_assert_eq(lc__token_keys_rotate(k), 0);
	cr_assert_eq(lc__token_keys_rotate(k), 0);
	encode_ok(k, &p, tok);
	for (long i = 0; i < 1000; i++)
		cr_assert_eq(lc__token_decode(k, tok, NOW, &out), 0);
	t0 = mono_s();
	for (long i = 0; i < n; i++)
		if (lc__token_decode(k, tok, NOW, &out) != 0)
			cr_assert_fail("decode failed");
	dt = mono_s() - t0;
	cr_log_info("token decode: %.0f/s (%.0f ns each, %zu-char project token, 3 keys)",
		    (double)n / dt, dt / (double)n * 1e9, strlen(tok));
	fprintf(stderr, "token decode: %.0f/s (%.0f ns each)\n", (double)n / dt, dt / (double)n * 1e9);

	t0 = mono_s();
	for (long i = 0; i < n; i++)
		if (lc__token_encode(k, &p, tok, sizeof(tok)) != 0)
			cr_assert_fail("encode failed");
	dt = mono_s() - t0;
	fprintf(stderr, "token encode: %.0f/s (%.0f ns each)\n", (double)n / dt, dt / (double)n * 1e9);
	lc__token_keys_free(k);
}
