/* JSON: parsing into a bounded tree with yajl, and generation helpers. */
#include "api/internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <yajl/yajl_parse.h>

typedef struct builder {
	lc__arena *a;
	lc__json *root;
	lc__json *cur;        /* the open container, or NULL */
	const char *key;      /* pending member name inside an object */
	unsigned int depth, max_depth;
	int oom, too_deep, bad_string;
} builder;

static int add(builder *b, lc__json *v)
{
	if (b->cur == NULL) {
		b->root = v;
		return 1;
	}
	v->parent = b->cur;
	if (b->cur->type == LC__J_OBJECT) {
		v->key = b->key;
		b->key = NULL;
	}
	if (b->cur->last != NULL)
		b->cur->last->next = v;
	else
		b->cur->child = v;
	b->cur->last = v;
	b->cur->count++;
	return 1;
}

static lc__json *node(builder *b, lc__json_type t)
{
	lc__json *v = lc__arena_alloc(b->a, sizeof(*v));

	if (v == NULL) {
		b->oom = 1;
		return NULL;
	}
	v->type = t;
	return v;
}

static int on_null(void *ctx)
{
	builder *b = ctx;
	lc__json *v = node(b, LC__J_NULL);

	return v != NULL && add(b, v);
}

static int on_bool(void *ctx, int val)
{
	builder *b = ctx;
	lc__json *v = node(b, LC__J_BOOL);

	if (v == NULL)
		return 0;
	v->b = val ? 1 : 0;
	return add(b, v);
}

static int on_int(void *ctx, long long val)
{
	builder *b = ctx;
	lc__json *v = node(b, LC__J_INT);

	if (v == NULL)
		return 0;
	v->i = val;
	v->d = (double)val;
	return add(b, v);
}

static int on_double(void *ctx, double val)
{
	builder *b = ctx;
	lc__json *v = node(b, LC__J_DOUBLE);

	if (v == NULL)
		return 0;
	v->d = val;
	return add(b, v);
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
	builder *b = ctx;
	lc__json *v;

	if (memchr(s, '\0', len) != NULL) {
		b->bad_string = 1;
		return 0;
	}
	v = node(b, LC__J_STRING);
	if (v == NULL)
		return 0;
	v->s = lc__arena_strndup(b->a, (const char *)s, len);
	if (v->s == NULL) {
		b->oom = 1;
		return 0;
	}
	v->len = len;
	return add(b, v);
}

static int open_container(builder *b, lc__json_type t)
{
	lc__json *v;

	if (b->depth >= b->max_depth) {
		b->too_deep = 1;
		return 0;
	}
	v = node(b, t);
	if (v == NULL)
		return 0;
	add(b, v);
	b->cur = v;
	b->depth++;
	return 1;
}

static int on_start_map(void *ctx)
{
	return open_container(ctx, LC__J_OBJECT);
}

static int on_map_key(void *ctx, const unsigned char *s, size_t len)
{
	builder *b = ctx;

	if (memchr(s, '\0', len) != NULL) {
		b->bad_string = 1;
		return 0;
	}
	b->key = lc__arena_strndup(b->a, (const char *)s, len);
	if (b->key == NULL) {
		b->oom = 1;
		return 0;
	}
	return 1;
}

static int on_end(void *ctx)
{
	builder *b = ctx;

	b->cur = b->cur->parent;
	b->depth--;
	return 1;
}

static int on_start_array(void *ctx)
{
	return open_container(ctx, LC__J_ARRAY);
}

static const yajl_callbacks callbacks = {
	on_null, on_bool, on_int, on_double, NULL, on_string,
	on_start_map, on_map_key, on_end, on_start_array, on_end,
};

static int hex4(const char *p, size_t left, unsigned int *v)
{
	*v = 0;
	if (left < 4)
		return 0;
	for (int k = 0; k < 4; k++) {
		char c = p[k];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (unsigned int)((c | 0x20) - 'a' + 10);
		else
			return 0;
		*v = *v << 4 | d;
	}
	return 1;
}

/* yajl turns an unpaired surrogate escape (\ud800) into '?': refuse it instead. */
static int surrogates_ok(const char *t, size_t len)
{
	int in_str = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned int v, w;

		if (t[i] == '"') {
			in_str = !in_str;
		} else if (in_str && t[i] == '\\' && i + 1 < len) {
			if (t[i + 1] != 'u') {
				i++;
				continue;
			}
			if (!hex4(t + i + 2, len - i - 2, &v)) {
				i++;
				continue; /* malformed: yajl reports it */
			}
			i += 5;
			if (v >= 0xDC00 && v <= 0xDFFF)
				return 0;
			if (v >= 0xD800 && v <= 0xDBFF) {
				if (i + 2 >= len || t[i + 1] != '\\' || t[i + 2] != 'u' ||
				    !hex4(t + i + 3, len - i - 3, &w) || w < 0xDC00 || w > 0xDFFF)
					return 0;
				i += 6;
			}
		}
	}
	return 1;
}

int lc__json_parse(lc__json **out, lc__arena *a, const char *text, size_t len, unsigned int max_depth,
		   char *err, size_t errlen)
{
	builder b = { .a = a, .max_depth = max_depth };
	yajl_handle h;
	yajl_status st;

	*out = NULL;
	if (!surrogates_ok(text, len)) {
		snprintf(err, errlen, "malformed JSON: unpaired UTF-16 surrogate escape");
		return LC_EINVALID;
	}
	h = yajl_alloc(&callbacks, NULL, &b);
	if (h == NULL)
		return LC_ENOMEM;
	/* strings are checked for UTF-8 by default; no comments, one value only */
	st = yajl_parse(h, (const unsigned char *)text, len);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	if (st != yajl_status_ok) {
		int rc = LC_EINVALID;

		if (b.oom) {
			rc = LC_ENOMEM;
			snprintf(err, errlen, "out of memory");
		} else if (b.too_deep) {
			snprintf(err, errlen, "JSON nested deeper than %u levels", max_depth);
		} else if (b.bad_string) {
			snprintf(err, errlen, "JSON string holds a NUL character");
		} else {
			unsigned char *msg = yajl_get_error(h, 0, (const unsigned char *)text, len);

			snprintf(err, errlen, "malformed JSON: %s", msg ? (const char *)msg : "parse error");
			if (msg != NULL)
				yajl_free_error(h, msg);
		}
		yajl_free(h);
		return rc;
	}
	yajl_free(h);
	if (b.root == NULL) {
		snprintf(err, errlen, "empty JSON body");
		return LC_EINVALID;
	}
	*out = b.root;
	return 0;
}

const lc__json *lc__json_get(const lc__json *v, const char *key)
{
	const lc__json *found = NULL;

	if (v == NULL || v->type != LC__J_OBJECT)
		return NULL;
	for (const lc__json *m = v->child; m != NULL; m = m->next)
		if (strcmp(m->key, key) == 0)
			found = m;
	return found;
}

const char *lc__json_type_name(lc__json_type t)
{
	switch (t) {
	case LC__J_NULL: return "null";
	case LC__J_BOOL: return "boolean";
	case LC__J_INT: return "integer";
	case LC__J_DOUBLE: return "number";
	case LC__J_STRING: return "string";
	case LC__J_ARRAY: return "array";
	case LC__J_OBJECT: return "object";
	}
	return "value";
}

/* ---- generation ---- */

void lc__gen_str(yajl_gen g, const char *s)
{
	if (s == NULL)
		yajl_gen_null(g);
	else
		yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

void lc__gen_key(yajl_gen g, const char *k)
{
	yajl_gen_string(g, (const unsigned char *)k, strlen(k));
}

void lc__gen_kstr(yajl_gen g, const char *k, const char *v)
{
	lc__gen_key(g, k);
	lc__gen_str(g, v);
}

void lc__gen_kbool(yajl_gen g, const char *k, int v)
{
	lc__gen_key(g, k);
	yajl_gen_bool(g, v != 0);
}

void lc__gen_kint(yajl_gen g, const char *k, int64_t v)
{
	lc__gen_key(g, k);
	yajl_gen_integer(g, (long long)v);
}

void lc__gen_knull(yajl_gen g, const char *k)
{
	lc__gen_key(g, k);
	yajl_gen_null(g);
}

void lc__gen_kmap(yajl_gen g, const char *k)
{
	if (k != NULL)
		lc__gen_key(g, k);
	yajl_gen_map_open(g);
}

void lc__gen_karray(yajl_gen g, const char *k)
{
	if (k != NULL)
		lc__gen_key(g, k);
	yajl_gen_array_open(g);
}

void lc__gen_end_map(yajl_gen g)
{
	yajl_gen_map_close(g);
}

void lc__gen_end_array(yajl_gen g)
{
	yajl_gen_array_close(g);
}

void lc__gen_ktime(yajl_gen g, const char *k, int64_t unix_seconds)
{
	char buf[40];
	struct tm tm;
	time_t t = (time_t)unix_seconds;

	if (unix_seconds == INT64_MAX || gmtime_r(&t, &tm) == NULL) {
		lc__gen_knull(g, k);
		return;
	}
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S.000000Z", &tm);
	lc__gen_kstr(g, k, buf);
}
