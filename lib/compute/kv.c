/* Key/value and string-list blobs: NUL-separated strings in one blob field. */
#include "compute/compute.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/text.h"

size_t lc__blob_count(const lc__val *v)
{
	size_t n = 0;

	if (!v->set)
		return 0;
	for (uint32_t i = 0; i < v->len; i++)
		if (v->s[i] == '\0')
			n++;
	return n;
}

const char *lc__blob_item(const lc__val *v, size_t n)
{
	const char *p, *end;

	if (!v->set)
		return NULL;
	p = v->s;
	end = v->s + v->len;
	while (p < end) {
		size_t l = strnlen(p, (size_t)(end - p));

		if (l == (size_t)(end - p))
			return NULL; /* unterminated */
		if (n-- == 0)
			return p;
		p += l + 1;
	}
	return NULL;
}

/* Walk a blob of NUL-terminated strings; -1 if it does not end with a NUL. */
static int blob_items(const lc__val *v, const char **items, size_t max, size_t *n)
{
	const char *p = v->s, *end = v->s + v->len;

	*n = 0;
	if (!v->set || v->len == 0)
		return 0;
	if (v->s[v->len - 1] != '\0')
		return -1;
	while (p < end) {
		if (*n >= max)
			return -1;
		items[(*n)++] = p;
		p += strlen(p) + 1;
	}
	return 0;
}

int lc__kv_parse(lc__kv *kv, const lc__val *v)
{
	const char *items[2 * LC__KV_MAX];
	size_t n;

	kv->n = 0;
	if (blob_items(v, items, 2 * LC__KV_MAX, &n) < 0 || n % 2)
		return lc__error_set(LC_ECORRUPT, "a stored key/value list is corrupt");
	for (size_t i = 0; i < n; i += 2) {
		kv->k[kv->n] = items[i];
		kv->v[kv->n++] = items[i + 1];
	}
	return 0;
}

const char *lc__kv_get(const lc__kv *kv, const char *key)
{
	for (size_t i = 0; i < kv->n; i++)
		if (strcmp(kv->k[i], key) == 0)
			return kv->v[i];
	return NULL;
}

int lc__kv_set(lc__kv *kv, const char *key, const char *value, size_t max)
{
	for (size_t i = 0; i < kv->n; i++) {
		if (strcmp(kv->k[i], key) == 0) {
			kv->v[i] = value;
			return 0;
		}
	}
	if (kv->n >= max || kv->n >= LC__KV_MAX)
		return lc__error_set(LC_EINVALID, "too many entries (at most %zu)", max < LC__KV_MAX ? max : LC__KV_MAX);
	kv->k[kv->n] = key;
	kv->v[kv->n++] = value;
	return 0;
}

int lc__kv_del(lc__kv *kv, const char *key)
{
	for (size_t i = 0; i < kv->n; i++) {
		if (strcmp(kv->k[i], key) == 0) {
			memmove(&kv->k[i], &kv->k[i + 1], (kv->n - i - 1) * sizeof(kv->k[0]));
			memmove(&kv->v[i], &kv->v[i + 1], (kv->n - i - 1) * sizeof(kv->v[0]));
			kv->n--;
			return 1;
		}
	}
	return 0;
}

int lc__kv_encode(const lc__kv *kv, char **out, size_t *len)
{
	size_t n = 0;
	char *buf, *p;

	*out = NULL;
	*len = 0;
	for (size_t i = 0; i < kv->n; i++)
		n += strlen(kv->k[i]) + strlen(kv->v[i]) + 2;
	if (n == 0)
		return 0;
	buf = malloc(n);
	if (buf == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	p = buf;
	for (size_t i = 0; i < kv->n; i++) {
		size_t kl = strlen(kv->k[i]) + 1, vl = strlen(kv->v[i]) + 1;

		memcpy(p, kv->k[i], kl);
		p += kl;
		memcpy(p, kv->v[i], vl);
		p += vl;
	}
	*out = buf;
	*len = n;
	return 0;
}

int lc__kv_array(const lc__kv *kv, const char ***out)
{
	const char **a = malloc((2 * kv->n + 1) * sizeof(*a));

	*out = NULL;
	if (a == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	for (size_t i = 0; i < kv->n; i++) {
		a[2 * i] = kv->k[i];
		a[2 * i + 1] = kv->v[i];
	}
	a[2 * kv->n] = NULL;
	*out = a;
	return 0;
}

int lc__kv_check_pairs(const char *what, const char *const *pairs, size_t kmax, size_t vmax)
{
	for (size_t i = 0; pairs && pairs[i]; i += 2) {
		if (pairs[i + 1] == NULL)
			return lc__error_set(LC_EINVALID, "%s key '%.64s' has no value", what, pairs[i]);
		LC_TRY(lc__text_check(what, pairs[i], 1, kmax));
		LC_TRY(lc__text_check(what, pairs[i + 1], 0, vmax));
	}
	return 0;
}

int lc__strlist_parse(lc__strlist *l, const lc__val *v)
{
	size_t n = lc__blob_count(v);

	memset(l, 0, sizeof(*l));
	if (v->set && v->len && v->s[v->len - 1] != '\0')
		return lc__error_set(LC_ECORRUPT, "a stored list is corrupt");
	l->cap = n + 8;
	l->s = malloc(l->cap * sizeof(*l->s));
	if (l->s == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	/* one pass: lc__blob_item() walks from the start each time */
	for (const char *p = v->s, *end = v->s + (v->set ? v->len : 0); p < end; p += strlen(p) + 1)
		l->s[l->n++] = p;
	return 0;
}

int lc__strlist_has(const lc__strlist *l, const char *s)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->s[i], s) == 0)
			return 1;
	return 0;
}

int lc__strlist_add(lc__strlist *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		const char **n = realloc(l->s, cap * sizeof(*n));

		if (n == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		l->s = n;
		l->cap = cap;
	}
	l->s[l->n++] = s;
	return 0;
}

int lc__strlist_del(lc__strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->s[i], s) == 0) {
			memmove(&l->s[i], &l->s[i + 1], (l->n - i - 1) * sizeof(l->s[0]));
			l->n--;
			return 1;
		}
	}
	return 0;
}

int lc__strlist_encode(const lc__strlist *l, char **out, size_t *len)
{
	size_t n = 0;
	char *buf, *p;

	*out = NULL;
	*len = 0;
	for (size_t i = 0; i < l->n; i++)
		n += strlen(l->s[i]) + 1;
	if (n == 0)
		return 0;
	buf = malloc(n);
	if (buf == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	p = buf;
	for (size_t i = 0; i < l->n; i++) {
		size_t sl = strlen(l->s[i]) + 1;

		memcpy(p, l->s[i], sl);
		p += sl;
	}
	*out = buf;
	*len = n;
	return 0;
}

void lc__strlist_free(lc__strlist *l)
{
	free(l->s);
	memset(l, 0, sizeof(*l));
}
