/*
 * Tags and properties: NUL-separated lists kept in blob fields of the image
 * record ("t1\0t2\0" and "k1\0v1\0k2\0v2\0"), read in place.
 */
#include <string.h>

#include "image/image.h"

size_t lc__list_count(const lc__val *v)
{
	size_t n = 0;

	if (!v->set)
		return 0;
	for (uint32_t i = 0; i < v->len; i++)
		if (v->s[i] == '\0')
			n++;
	return n;
}

const char *lc__list_item(const lc__val *v, size_t n)
{
	const char *p, *end;

	if (!v->set)
		return NULL;
	p = v->s;
	end = v->s + v->len;
	while (p < end) {
		if (n-- == 0)
			return p;
		p += strnlen(p, (size_t)(end - p)) + 1;
	}
	return NULL;
}

const char *lc__props_get(const lc__val *v, const char *key)
{
	const char *p, *end;

	if (!v->set || key == NULL)
		return NULL;
	p = v->s;
	end = v->s + v->len;
	while (p < end) {
		const char *val = p + strnlen(p, (size_t)(end - p)) + 1;

		if (val >= end)
			return NULL;
		if (strcmp(p, key) == 0)
			return val;
		p = val + strnlen(val, (size_t)(end - val)) + 1;
	}
	return NULL;
}
