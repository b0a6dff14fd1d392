/* Validation of user-supplied text: UTF-8, control characters, lengths. */
#include "core/text.h"

#include <string.h>

#include "core/error.h"

int lc__utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + n >= len)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

static int has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F)
			return 1;
		/* C1 controls U+0080..U+009F are encoded as 0xC2 0x80..0x9F. */
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] <= 0x9F)
			return 1;
	}
	return 0;
}

int lc__text_check(const char *field, const char *s, size_t min, size_t max)
{
	size_t len;

	if (s == NULL)
		return lc__error_set(LC_EINVALID, "%s is missing", field);
	len = strnlen(s, max + 1);
	if (len > max)
		return lc__error_set(LC_EINVALID, "%s is longer than %zu bytes", field, max);
	if (len < min)
		return lc__error_set(LC_EINVALID, "%s is empty", field);
	if (!lc__utf8_valid(s, len))
		return lc__error_set(LC_EINVALID, "%s is not valid UTF-8", field);
	if (has_control(s, len))
		return lc__error_set(LC_EINVALID, "%s contains control characters", field);
	if (min > 0 && strspn(s, " ") == len)
		return lc__error_set(LC_EINVALID, "%s is blank", field);
	return 0;
}

size_t lc__strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	size_t n = len < size ? len : size - 1;

	memcpy(dst, src, n);
	dst[n] = '\0';
	return len;
}

int lc__strcat_parts(char *dst, size_t size, const char *const *parts)
{
	size_t n = 0;

	for (; *parts; parts++) {
		size_t l = strlen(*parts);
		if (n + l >= size)
			return lc__error_set(LC_EINVALID, "a key is too long");
		memcpy(dst + n, *parts, l);
		n += l;
	}
	dst[n] = '\0';
	return 0;
}
