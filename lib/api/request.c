/* One request's inputs: headers, query, body (whole or streamed, bounded), JSON in and out. */
#include "api/internal.h"

#include <string.h>
#include <strings.h>

const char *lc__req_header(const lc__api_ctx *x, const char *name)
{
	const lc_api_request *req = x->req;

	for (size_t i = 0; i < req->header_count; i++)
		if (req->headers[i].name != NULL && strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

const char *lc__req_query(const lc__api_ctx *x, const char *name)
{
	for (size_t i = 0; i < x->nq; i++)
		if (strcmp(x->qkeys[i], name) == 0)
			return x->qvals[i];
	return NULL;
}

const char *lc__req_param(const lc__api_ctx *x, size_t i)
{
	return i < x->nparams ? x->params[i] : NULL;
}

int lc__req_body(lc__api_ctx *x, const char **out, size_t *len, uint64_t limit)
{
	const lc_api_request *req = x->req;
	size_t cap, n = 0;
	char *buf;

	*out = NULL;
	*len = 0;
	if (x->body_taken) {
		lc__api_error(x, 500, "the request body was already read");
		return 1;
	}
	x->body_taken = 1;
	if (req->body_read == NULL) {
		if (req->body_len > limit) {
			lc__api_error(x, 413, "Request body is larger than %llu bytes.", (unsigned long long)limit);
			return 1;
		}
		*out = req->body_len ? req->body : "";
		*len = req->body_len;
		return 0;
	}
	if (req->content_length >= 0 && (uint64_t)req->content_length > limit) {
		lc__api_error(x, 413, "Request body is larger than %llu bytes.", (unsigned long long)limit);
		return 1;
	}
	cap = req->content_length >= 0 ? (size_t)req->content_length + 1 : 4096;
	if (cap > limit + 1)
		cap = (size_t)limit + 1;
	buf = lc__arena_alloc(x->arena, cap + 1);
	if (buf == NULL)
		goto oom;
	for (;;) {
		size_t got = 0;

		if (n == cap) {
			size_t ncap;
			char *nb;

			if (n > limit) {
				lc__api_error(x, 413, "Request body is larger than %llu bytes.",
					      (unsigned long long)limit);
				return 1;
			}
			ncap = cap * 2 > limit + 1 ? (size_t)limit + 1 : cap * 2;
			nb = lc__arena_alloc(x->arena, ncap + 1);
			if (nb == NULL)
				goto oom;
			memcpy(nb, buf, n);
			buf = nb;
			cap = ncap;
		}
		if (req->body_read(&got, buf + n, cap - n, req->body_payload) != 0) {
			x->user_abort = 1;
			return 1;
		}
		if (got == 0)
			break;
		if (got > cap - n)
			got = cap - n;
		n += got;
	}
	if (n > limit) {
		lc__api_error(x, 413, "Request body is larger than %llu bytes.", (unsigned long long)limit);
		return 1;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
oom:
	lc__api_error(x, 500, "out of memory");
	return 1;
}

int lc__req_json(lc__api_ctx *x, const lc__json **out)
{
	const char *body;
	size_t len;
	char err[256];
	lc__json *v;
	int rc;

	*out = NULL;
	if (lc__req_body(x, &body, &len, x->api->max_json_bytes) != 0)
		return 1;
	if (len == 0) {
		lc__api_error(x, 400, "Expecting a JSON request body.");
		return 1;
	}
	rc = lc__json_parse(&v, x->arena, body, len, x->api->max_json_depth, err, sizeof(err));
	if (rc == LC_ENOMEM) {
		lc__api_error(x, 500, "out of memory");
		return 1;
	}
	if (rc < 0) {
		lc__api_error(x, 400, "%s", err);
		return 1;
	}
	if (v->type != LC__J_OBJECT) {
		lc__api_error(x, 400, "The request body must be a JSON object.");
		return 1;
	}
	*out = v;
	return 0;
}

static void print_cb(void *ctx, const char *s, size_t len)
{
	lc__resp_append(ctx, s, len);
}

yajl_gen lc__json_begin(lc__api_ctx *x)
{
	yajl_gen g = yajl_gen_alloc(NULL);

	if (g == NULL)
		return NULL;
	x->resp->body_len = 0;
	yajl_gen_config(g, yajl_gen_print_callback, print_cb, x->resp);
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	return g;
}

int lc__json_end(lc__api_ctx *x, yajl_gen g, int status)
{
	yajl_gen_free(g);
	x->resp->status = status;
	lc__resp_set_header(x->resp, "Content-Type", "application/json");
	return x->resp->oom ? LC_ENOMEM : 0;
}

int lc__reply_empty(lc__api_ctx *x, int status)
{
	x->resp->status = status;
	x->resp->body_len = 0;
	return 0;
}
