/* lc_api_handle(): checks, routing, authentication, dispatch. */
#include "api/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "core/error.h"

/*
 * A request id "req-<uuid4>". Ids only correlate logs, so a per-thread
 * generator seeded once from the kernel is enough (and a syscall per
 * request would cost more than routing it).
 */
static uint64_t next_random(void)
{
	static _Thread_local uint64_t state;
	static _Thread_local int seeded;
	static _Atomic uint64_t fallback;
	uint64_t z;

	if (!seeded) {
		if (getrandom(&state, sizeof(state), 0) != (ssize_t)sizeof(state))
			state = ++fallback ^ (uint64_t)(uintptr_t)&state;
		seeded = 1;
	}
	/* splitmix64 */
	z = (state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void new_request_id(char out[48])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char u[16];
	uint64_t a = next_random(), b = next_random();
	char *w = out;

	memcpy(u, &a, 8);
	memcpy(u + 8, &b, 8);
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	memcpy(w, "req-", 4);
	w += 4;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*w++ = '-';
		*w++ = hex[u[i] >> 4];
		*w++ = hex[u[i] & 15];
	}
	*w = '\0';
}

static int host_ok(const char *h)
{
	size_t n = strlen(h);

	if (n == 0 || n > 255)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '-' || c == ':' || c == '[' || c == ']' || c == '_'))
			return 0;
	}
	return 1;
}

static int headers_ok(lc__api_ctx *x)
{
	const lc_api_request *req = x->req;

	if (req->header_count > 0 && req->headers == NULL) {
		lc__api_error(x, 400, "Malformed request headers.");
		return 0;
	}
	if (req->header_count > x->api->max_headers) {
		lc__api_error(x, 431, "Too many request headers.");
		return 0;
	}
	for (size_t i = 0; i < req->header_count; i++) {
		const char *n = req->headers[i].name, *v = req->headers[i].value;
		size_t nl, vl;

		if (n == NULL || v == NULL || n[0] == '\0') {
			lc__api_error(x, 400, "Malformed request header.");
			return 0;
		}
		nl = strlen(n);
		vl = strlen(v);
		if (nl + vl > x->api->max_header_bytes) {
			lc__api_error(x, 431, "Request header is longer than %u bytes.", x->api->max_header_bytes);
			return 0;
		}
		for (size_t k = 0; k < nl; k++) {
			unsigned char c = (unsigned char)n[k];

			if (c <= 0x20 || c >= 0x7f || c == ':') {
				lc__api_error(x, 400, "Malformed request header name.");
				return 0;
			}
		}
		for (size_t k = 0; k < vl; k++) {
			unsigned char c = (unsigned char)v[k];

			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				lc__api_error(x, 400, "Control character in a request header.");
				return 0;
			}
		}
		if (!lc__api_utf8_valid(v, vl)) {
			lc__api_error(x, 400, "Invalid UTF-8 in a request header.");
			return 0;
		}
	}
	return 1;
}

static const lc__api_service *service_for(const lc_api *api, char *const *segs, size_t nseg)
{
	size_t n;
	const lc__api_service *const *all = lc__api_services(&n);

	for (size_t i = 0; i < n; i++) {
		if (!(api->services & all[i]->bit))
			continue;
		if (nseg > 0 && strcmp(segs[0], all[i]->first_segment) == 0)
			return all[i];
	}
	return NULL;
}

static int method_ok(const char *m)
{
	size_t n = strlen(m);

	if (n == 0 || n > 16)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (m[i] < 'A' || m[i] > 'Z')
			return 0;
	return 1;
}

/* Find the route; answers 404/405 itself and returns NULL when there is none. */
static const lc__api_route *route_for(lc__api_ctx *x, const char *method)
{
	size_t n, nallow = 0;
	const lc__api_service *const *all = lc__api_services(&n);
	const char *allow[16];
	int is_head = strcmp(method, "HEAD") == 0;
	const lc__api_route *get_route = NULL;
	const lc__api_service *get_svc = NULL;
	size_t get_np = 0;
	const char *get_params[LC__MAX_PARAMS];

	for (size_t s = 0; s < n; s++) {
		const lc__api_service *svc = all[s];

		if (!(x->api->services & svc->bit))
			continue;
		for (size_t i = 0; i < svc->nroutes; i++) {
			const lc__api_route *rt = &svc->routes[i];
			const char *params[LC__MAX_PARAMS];
			size_t np = 0;

			if (!lc__route_match(rt->pattern, x->segs, x->nseg, params, &np, x->arena))
				continue;
			if (strcmp(rt->method, method) == 0) {
				x->svc = svc;
				memcpy(x->params, params, sizeof(params));
				x->nparams = np;
				return rt;
			}
			if (is_head && strcmp(rt->method, "GET") == 0 && get_route == NULL) {
				get_route = rt;
				get_svc = svc;
				memcpy(get_params, params, sizeof(params));
				get_np = np;
			}
			x->svc = svc;
			if (nallow < sizeof(allow) / sizeof(allow[0])) {
				int dup = 0;

				for (size_t k = 0; k < nallow; k++)
					dup |= strcmp(allow[k], rt->method) == 0;
				if (!dup)
					allow[nallow++] = rt->method;
			}
		}
	}
	if (get_route != NULL) {
		x->svc = get_svc;
		memcpy(x->params, get_params, sizeof(get_params));
		x->nparams = get_np;
		x->is_head = 1;
		return get_route;
	}
	if (nallow == 0) {
		lc__api_error(x, 404, "The resource could not be found.");
		return NULL;
	}
	char buf[160] = "";
	size_t used = 0;

	for (size_t k = 0; k < nallow; k++) {
		int w = snprintf(buf + used, sizeof(buf) - used, "%s%s", k ? ", " : "", allow[k]);

		if (w < 0 || (size_t)w >= sizeof(buf) - used)
			break;
		used += (size_t)w;
	}
	lc__api_error(x, 405, "The method %s is not allowed for this resource.", method);
	lc__resp_set_header(x->resp, "Allow", buf);
	return NULL;
}

static int authenticate(lc__api_ctx *x)
{
	const char *tok = lc__req_header(x, "X-Auth-Token");
	int rc;

	if (tok == NULL || tok[0] == '\0') {
		if (x->route->flags & LC__ROUTE_NOAUTH)
			return 0;
		lc__api_unauthorized(x);
		return 1;
	}
	if (x->route->flags & LC__ROUTE_NOAUTH)
		return 0; /* public routes ignore a token, as Keystone does */
	rc = lc_session_token(&x->session, x->api->cloud, tok);
	if (rc == LC_ENOMEM) {
		lc__api_error(x, 500, "out of memory");
		return 1;
	}
	if (rc < 0) {
		lc__api_unauthorized(x);
		return 1;
	}
	return 0;
}

static void dispatch(lc__api_ctx *x)
{
	const lc_api_request *req = x->req;
	char err[256];
	int rc;

	if (!headers_ok(x))
		return;
	if (!method_ok(req->method)) {
		lc__api_error(x, 400, "Malformed request method.");
		return;
	}
	if (strlen(req->path) > x->api->max_path_bytes) {
		lc__api_error(x, 414, "The request path is longer than %u bytes.", x->api->max_path_bytes);
		return;
	}
	if (req->query != NULL && strlen(req->query) > x->api->max_path_bytes) {
		lc__api_error(x, 414, "The query string is longer than %u bytes.", x->api->max_path_bytes);
		return;
	}
	rc = lc__path_split(&x->segs, &x->nseg, x->arena, req->path, err, sizeof(err));
	if (rc == 0)
		x->svc = service_for(x->api, x->segs, x->nseg);
	if (rc == 0)
		rc = lc__query_parse(&x->qkeys, &x->qvals, &x->nq, x->arena, req->query, err, sizeof(err));
	if (rc == LC_ENOMEM) {
		lc__api_error(x, 500, "out of memory");
		return;
	}
	if (rc < 0) {
		lc__api_error(x, 400, "%s", err);
		return;
	}
	x->route = route_for(x, req->method);
	if (x->route == NULL)
		return;
	if (authenticate(x) != 0)
		return;
	lc__error_clear();
	rc = x->route->fn(x);
	if (x->user_abort)
		return;
	if (rc < 0)
		lc__api_error_code(x, rc);
}

LC_EXTERN int lc_api_handle(lc_api_response **out, lc_api *api, const lc_api_request *req)
{
	lc__api_ctx x;
	int rc = 0;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_NOTNULL(api);
	LC_CHECK_NOTNULL(req);
	if (req->version == 0 || req->version > LC_API_REQUEST_VERSION)
		return lc__error_set(LC_EINVALID, "unsupported request version %u", req->version);
	LC_CHECK_NOTNULL(req->method);
	LC_CHECK_NOTNULL(req->path);
	LC_CHECK_ARG(req->body_read != NULL || req->body_len == 0 || req->body != NULL, "body is NULL");

	memset(&x, 0, sizeof(x));
	x.api = api;
	x.req = req;
	x.arena = lc__arena_new();
	x.resp = lc__resp_new();
	if (x.arena == NULL || x.resp == NULL)
		goto oom;
	new_request_id(x.request_id);
	if (lc__resp_add_header(x.resp, "x-openstack-request-id", x.request_id) < 0)
		goto oom;
	if (api->base_url != NULL) {
		x.base = api->base_url;
	} else {
		const char *host = lc__req_header(&x, "Host");

		x.base = lc__arena_printf(x.arena, "http://%s", host && host_ok(host) ? host : "localhost");
		if (x.base == NULL)
			goto oom;
	}

	dispatch(&x);

	if (x.user_abort) {
		rc = lc__error_set(LC_EUSER, "the request body reader asked to stop");
		goto fail;
	}
	if (x.resp->oom)
		goto oom;
	if (x.is_head) {
		x.resp->body_len = 0;
		lc__resp_stream(x.resp, NULL, NULL, NULL, -1);
	}
	lc_session_free(x.session);
	lc__arena_free(x.arena);
	*out = x.resp;
	return 0;
oom:
	rc = lc__error_set(LC_ENOMEM, "out of memory");
fail:
	lc_session_free(x.session);
	lc__arena_free(x.arena);
	lc_api_response_free(x.resp);
	return rc;
}
