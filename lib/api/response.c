/* Responses: status, headers, and a body that is a buffer or a stream. */
#include "api/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

lc_api_response *lc__resp_new(void)
{
	lc_api_response *r = calloc(1, sizeof(*r));

	if (r != NULL) {
		r->status = 200;
		r->src_length = -1;
	}
	return r;
}

int lc__resp_add_header(lc_api_response *r, const char *name, const char *value)
{
	char *n, *v;

	if (name == NULL || value == NULL)
		goto oom;
	if (r->nhdr == r->caphdr) {
		size_t cap = r->caphdr ? r->caphdr * 2 : 8;
		char **nn = realloc(r->names, cap * sizeof(*nn));

		if (nn == NULL)
			goto oom;
		r->names = nn;
		char **vv = realloc(r->values, cap * sizeof(*vv));

		if (vv == NULL)
			goto oom;
		r->values = vv;
		r->caphdr = cap;
	}
	n = strdup(name);
	v = strdup(value);
	if (n == NULL || v == NULL) {
		free(n);
		free(v);
		goto oom;
	}
	r->names[r->nhdr] = n;
	r->values[r->nhdr] = v;
	r->nhdr++;
	return 0;
oom:
	r->oom = 1;
	return LC_ENOMEM;
}

int lc__resp_set_header(lc_api_response *r, const char *name, const char *value)
{
	for (size_t i = 0; i < r->nhdr; i++) {
		if (value != NULL && strcasecmp(r->names[i], name) == 0) {
			char *v = strdup(value);

			if (v == NULL) {
				r->oom = 1;
				return LC_ENOMEM;
			}
			free(r->values[i]);
			r->values[i] = v;
			return 0;
		}
	}
	return lc__resp_add_header(r, name, value);
}

int lc__resp_append(lc_api_response *r, const void *data, size_t len)
{
	if (len == 0)
		return 0;
	if (r->body_cap - r->body_len < len) {
		size_t cap = r->body_cap ? r->body_cap : 256;
		char *b;

		while (cap - r->body_len < len) {
			if (cap > SIZE_MAX / 2)
				goto oom;
			cap *= 2;
		}
		b = realloc(r->body, cap);
		if (b == NULL)
			goto oom;
		r->body = b;
		r->body_cap = cap;
	}
	memcpy(r->body + r->body_len, data, len);
	r->body_len += len;
	return 0;
oom:
	r->oom = 1;
	return LC_ENOMEM;
}

static void drop_stream(lc_api_response *r)
{
	if (r->src_free != NULL)
		r->src_free(r->src_payload);
	r->src_read = NULL;
	r->src_free = NULL;
	r->src_payload = NULL;
	r->src_length = -1;
	r->src_done = 0;
}

void lc__resp_reset(lc_api_response *r, const char *const *keep)
{
	size_t j = 0;

	for (size_t i = 0; i < r->nhdr; i++) {
		int kept = 0;

		for (size_t k = 0; keep != NULL && keep[k] != NULL; k++)
			if (strcasecmp(r->names[i], keep[k]) == 0)
				kept = 1;
		if (kept) {
			r->names[j] = r->names[i];
			r->values[j] = r->values[i];
			j++;
		} else {
			free(r->names[i]);
			free(r->values[i]);
		}
	}
	r->nhdr = j;
	r->body_len = 0;
	r->read_off = 0;
	r->oom = 0;
	drop_stream(r);
}

void lc__resp_stream(lc_api_response *r, lc__body_read_fn rd, lc__body_free_fn fr, void *payload, int64_t length)
{
	drop_stream(r);
	r->body_len = 0;
	r->src_read = rd;
	r->src_free = fr;
	r->src_payload = payload;
	r->src_length = length;
}

/* ---- public ---- */

LC_EXTERN int lc_api_response_status(const lc_api_response *r)
{
	return r ? r->status : 0;
}

LC_EXTERN size_t lc_api_response_header_count(const lc_api_response *r)
{
	return r ? r->nhdr : 0;
}

LC_EXTERN const char *lc_api_response_header_name(const lc_api_response *r, size_t i)
{
	return r && i < r->nhdr ? r->names[i] : NULL;
}

LC_EXTERN const char *lc_api_response_header_value(const lc_api_response *r, size_t i)
{
	return r && i < r->nhdr ? r->values[i] : NULL;
}

LC_EXTERN const char *lc_api_response_header(const lc_api_response *r, const char *name)
{
	if (r == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < r->nhdr; i++)
		if (strcasecmp(r->names[i], name) == 0)
			return r->values[i];
	return NULL;
}

LC_EXTERN int64_t lc_api_response_body_length(const lc_api_response *r)
{
	if (r == NULL)
		return 0;
	if (r->src_read != NULL)
		return r->src_length;
	return (int64_t)r->body_len;
}

LC_EXTERN const void *lc_api_response_body(const lc_api_response *r, size_t *len)
{
	if (r == NULL || r->src_read != NULL) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	if (len != NULL)
		*len = r->body_len;
	return r->body_len ? r->body : "";
}

LC_EXTERN int lc_api_response_read(size_t *out_len, lc_api_response *r, void *buf, size_t cap)
{
	lc__error_clear();
	LC_CHECK_NOTNULL(out_len);
	*out_len = 0;
	LC_CHECK_NOTNULL(r);
	LC_CHECK_NOTNULL(buf);
	LC_CHECK_ARG(cap > 0, "cap is 0");
	if (r->src_read != NULL) {
		int rc;

		if (r->src_done)
			return 0;
		rc = r->src_read(out_len, buf, cap, r->src_payload);
		if (rc < 0) {
			*out_len = 0;
			return rc;
		}
		if (*out_len > cap)
			*out_len = cap;
		if (*out_len == 0)
			r->src_done = 1;
		return 0;
	}
	size_t left = r->body_len - r->read_off;
	size_t n = left < cap ? left : cap;

	if (n > 0)
		memcpy(buf, r->body + r->read_off, n);
	r->read_off += n;
	*out_len = n;
	return 0;
}

LC_EXTERN int lc_api_response_write(lc_api_response *r, lc_api_write_cb cb, void *payload)
{
	char buf[65536];

	lc__error_clear();
	LC_CHECK_NOTNULL(r);
	LC_CHECK_NOTNULL(cb);
	if (r->src_read == NULL) {
		size_t left = r->body_len - r->read_off;

		if (left > 0) {
			const char *p = r->body + r->read_off;

			r->read_off = r->body_len;
			if (cb(p, left, payload) != 0)
				return lc__error_set(LC_EUSER, "the body writer asked to stop");
		}
		return 0;
	}
	for (;;) {
		size_t n;
		int rc = lc_api_response_read(&n, r, buf, sizeof(buf));

		if (rc < 0)
			return rc;
		if (n == 0)
			return 0;
		if (cb(buf, n, payload) != 0)
			return lc__error_set(LC_EUSER, "the body writer asked to stop");
	}
}

LC_EXTERN void lc_api_response_free(lc_api_response *r)
{
	if (r == NULL)
		return;
	drop_stream(r);
	for (size_t i = 0; i < r->nhdr; i++) {
		free(r->names[i]);
		free(r->values[i]);
	}
	free(r->names);
	free(r->values);
	free(r->body);
	free(r);
}
