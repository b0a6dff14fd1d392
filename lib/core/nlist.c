/* Lists kept in BLOB fields: NUL-terminated items one after the other, read in place. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/nlist.h"

void lc__nl_reset(lc__nl *l)
{
	l->len = 0;
}

void lc__nl_free(lc__nl *l)
{
	free(l->buf);
	l->buf = NULL;
	l->len = l->cap = 0;
}

int lc__nl_addn(lc__nl *l, const char *s, size_t n)
{
	if (l->len + n + 1 > l->cap) {
		size_t cap = l->cap ? l->cap : 64;
		char *b;

		while (cap < l->len + n + 1)
			cap *= 2;
		b = realloc(l->buf, cap);
		if (b == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		l->buf = b;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, s, n);
	l->buf[l->len + n] = '\0';
	l->len += n + 1;
	return 0;
}

int lc__nl_add(lc__nl *l, const char *s)
{
	return lc__nl_addn(l, s, strlen(s));
}

void lc__nl_val(lc__val *v, const lc__nl *l)
{
	lc__val_blob(v, l->buf ? l->buf : "", l->len);
}

int lc__nl_copy(lc__nl *l, const lc__val *v)
{
	lc__nl_reset(l);
	if (!v->set || v->len == 0)
		return 0;
	LC_TRY(lc__nl_addn(l, v->s, v->len - 1)); /* keeps the inner NULs: one copy of the bytes */
	return 0;
}

size_t lc__nlv_count(const lc__val *v, size_t k)
{
	size_t n = 0;

	if (!v->set)
		return 0;
	for (uint32_t i = 0; i < v->len; i++)
		n += v->s[i] == '\0';
	return n / k;
}

const char *lc__nlv_item(const lc__val *v, size_t i)
{
	const char *p, *end;

	if (!v->set)
		return NULL;
	p = v->s;
	end = v->s + v->len;
	while (i > 0 && p < end) {
		p += strlen(p) + 1;
		i--;
	}
	return p < end ? p : NULL;
}

long lc__nlv_find(const lc__val *v, size_t k, size_t j, const char *s)
{
	size_t n = lc__nlv_count(v, k);
	const char *p = v->set ? v->s : NULL;

	for (size_t t = 0; t < n; t++) {
		for (size_t i = 0; i < k; i++) {
			if (i == j && strcmp(p, s) == 0)
				return (long)t;
			p += strlen(p) + 1;
		}
	}
	return -1;
}

size_t lc__nl_count(const lc__rec *r, int field, size_t k)
{
	return lc__nlv_count(&r->v[field], k);
}

const char *lc__nl_item(const lc__rec *r, int field, size_t i)
{
	return lc__nlv_item(&r->v[field], i);
}

size_t lc__strv_len(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}
