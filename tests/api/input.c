/* The REST layer refuses bad input with a clear error and changes nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apitest.h"

TestSuite(api_input, .init = t_setup, .fini = t_teardown);

static int project_count(void)
{
	t_resp *r = t_call("GET", "/v3/projects", t_admin_token, NULL);
	int n = t_len(r->json, "projects");

	t_free(r);
	return n;
}

Test(api_input, unknown_route_is_404_wrong_method_is_405)
{
	t_resp *r = t_call("GET", "/v3/nothing-here", t_admin_token, NULL);

	cr_assert_eq(r->status, 404);
	cr_assert_str_eq(t_str(r->json, "error/title"), "Not Found");
	t_free(r);
	r = t_call("GET", "/nowhere/at/all", NULL, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	r = t_call("PUT", "/v3/projects", t_admin_token, "{}");
	cr_assert_eq(r->status, 405);
	cr_assert_str_eq(t_str(r->json, "error/title"), "Method Not Allowed");
	cr_assert_not_null(strstr(lc_api_response_header(r->r, "Allow"), "POST"));
	cr_assert_not_null(strstr(lc_api_response_header(r->r, "Allow"), "GET"));
	t_free(r);
	r = t_call("DELETE", "/v3", NULL, NULL);
	cr_assert_eq(r->status, 405);
	t_free(r);
	r = t_call("get", "/v3", NULL, NULL);
	cr_assert_eq(r->status, 400, "lower-case method");
	t_free(r);
}

Test(api_input, missing_invalid_token_is_401_with_www_authenticate)
{
	static const char *const bad[] = { NULL, "", "garbage", "gAAAAAB-not-a-token",
					   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t_resp *r = t_call("GET", "/v3/projects", bad[i], NULL);

		cr_assert_eq(r->status, 401, "token %zu: %d", i, r->status);
		cr_assert_str_eq(lc_api_response_header(r->r, "WWW-Authenticate"), "Keystone uri=\"" T_BASE "/v3\"");
		cr_assert_eq(t_get(r->json, "error/code")->u.number.i, 401);
		t_free(r);
	}
	/* a truncated real token */
	char *tok = strdup(t_admin_token);

	tok[strlen(tok) / 2] = '\0';
	t_resp *r = t_call("GET", "/v3/projects", tok, NULL);

	cr_assert_eq(r->status, 401);
	t_free(r);
	free(tok);
}

Test(api_input, expired_token_is_401)
{
	lc_cloud_opts co = LC_CLOUD_OPTS_INIT;
	lc_bootstrap_opts bo = LC_BOOTSTRAP_OPTS_INIT;
	lc_api *keep_api = t_api;
	lc_cloud *c;
	lc_api *api;
	char *tok;
	t_resp *r;

	/* a second cloud whose tokens live one second */
	co.pwhash_strength = LC_PWHASH_MIN;
	co.token_ttl_seconds = 1;
	char sub[1024];

	snprintf(sub, sizeof(sub), "%s/short", t_dir);
	cr_assert_eq(lc_cloud_new(&c, &co), 0);
	cr_assert_eq(lc_cloud_open(c, sub, LC_CLOUD_OPEN_CREATE | LC_CLOUD_OPEN_NOSYNC), 0, "%s", lc_error_last()->message);
	bo.admin_password = T_ADMIN_PASSWORD;
	cr_assert_eq(lc_cloud_bootstrap(c, &bo), 0);
	cr_assert_eq(lc_api_new(&api, c, NULL), 0);
	t_api = api;
	tok = t_token("admin", T_ADMIN_PASSWORD, "admin");
	cr_assert_not_null(tok);
	r = t_call("GET", "/v3/projects", tok, NULL);
	cr_assert_eq(r->status, 200);
	t_free(r);
	sleep(2);
	r = t_call("GET", "/v3/projects", tok, NULL);
	cr_assert_eq(r->status, 401);
	t_free(r);
	free(tok);
	t_api = keep_api;
	lc_api_free(api);
	lc_cloud_free(c);
}

Test(api_input, malformed_json_is_400_and_changes_nothing)
{
	static const char *const bodies[] = {
		"{", "{\"project\":", "{\"project\":{\"name\":\"p\"}", "{\"project\":{\"name\":\"p\"}}}",
		"{\"project\":{\"name\":\"p\"}} trailing", "{'project':1}", "{\"project\":{\"name\":\"p\",}}",
		"nul", "{\"a\":1}{\"b\":2}", "", "   ", "{\"project\":{\"name\":\"\\ud800\"}}",
		"{\"project\":{\"name\":12345678901234567890123}}", "/* c */ {}",
	};
	int before = project_count();

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		t_resp *r = t_call("POST", "/v3/projects", t_admin_token, bodies[i]);

		cr_assert_eq(r->status, 400, "body %zu '%s': %d %s", i, bodies[i], r->status, r->body);
		cr_assert_str_eq(t_str(r->json, "error/title"), "Bad Request");
		t_free(r);
	}
	cr_assert_eq(project_count(), before);
}

Test(api_input, invalid_utf8_in_json_is_400)
{
	const char body[] = "{\"project\":{\"name\":\"ab\xc3\x28\"}}";
	t_resp *r = t_call("POST", "/v3/projects", t_admin_token, body);

	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);
	r = t_call("POST", "/v3/projects", t_admin_token, "{\"project\":{\"name\":\"\xed\xa0\x80\"}}");
	cr_assert_eq(r->status, 400, "surrogate: %s", r->body);
	t_free(r);
	r = t_call("POST", "/v3/projects", t_admin_token, "{\"project\":{\"name\":\"\xc0\xaf\"}}");
	cr_assert_eq(r->status, 400, "overlong: %s", r->body);
	t_free(r);
	cr_assert_eq(project_count(), 1);
}

Test(api_input, json_too_deep_is_400)
{
	char body[4096];
	size_t n = 0;

	n += (size_t)snprintf(body + n, sizeof(body) - n, "{\"project\":{\"name\":\"p\",\"options\":");
	for (int i = 0; i < 100; i++)
		body[n++] = '[';
	for (int i = 0; i < 100; i++)
		body[n++] = ']';
	snprintf(body + n, sizeof(body) - n, "}}");
	t_resp *r = t_call("POST", "/v3/projects", t_admin_token, body);

	cr_assert_eq(r->status, 400, "%s", r->body);
	cr_assert_not_null(strstr(t_str(r->json, "error/message"), "deeper"));
	t_free(r);
	cr_assert_eq(project_count(), 1);
}

Test(api_input, json_too_large_is_413)
{
	size_t big = 2 * 1024 * 1024;
	char *body = malloc(big + 64);
	t_resp *r;

	strcpy(body, "{\"project\":{\"name\":\"p\",\"description\":\"");
	size_t n = strlen(body);

	memset(body + n, 'x', big);
	strcpy(body + n + big, "\"}}");
	r = t_call("POST", "/v3/projects", t_admin_token, body);
	cr_assert_eq(r->status, 413, "%d", r->status);
	cr_assert_eq(t_get(r->json, "error/code")->u.number.i, 413);
	t_free(r);
	free(body);
	cr_assert_eq(project_count(), 1);
}

struct feed {
	size_t left;
	int calls;
	int fail_at;
};

static int feed_read(size_t *out, void *buf, size_t cap, void *p)
{
	struct feed *f = p;
	size_t n = f->left < cap ? f->left : cap;

	if (++f->calls == f->fail_at)
		return 1;
	memset(buf, ' ', n);
	f->left -= n;
	*out = n;
	return 0;
}

Test(api_input, streamed_body_too_large_is_413_without_reading_it_all)
{
	struct feed f = { .left = 100u * 1024 * 1024 };
	lc_api_request req = LC_API_REQUEST_INIT;
	lc_api_header h[] = { { "X-Auth-Token", t_admin_token } };
	lc_api_response *resp;

	req.method = "POST";
	req.path = "/v3/projects";
	req.headers = h;
	req.header_count = 1;
	req.body_read = feed_read;
	req.body_payload = &f;
	/* chunked: no length announced */
	cr_assert_eq(lc_api_handle(&resp, t_api, &req), 0);
	cr_assert_eq(lc_api_response_status(resp), 413);
	cr_assert_gt(f.left, 90u * 1024 * 1024, "read far past the limit");
	lc_api_response_free(resp);

	/* announced: refused before any read */
	f.left = 100u * 1024 * 1024;
	f.calls = 0;
	req.content_length = (int64_t)f.left;
	cr_assert_eq(lc_api_handle(&resp, t_api, &req), 0);
	cr_assert_eq(lc_api_response_status(resp), 413);
	cr_assert_eq(f.calls, 0);
	lc_api_response_free(resp);
}

Test(api_input, a_body_reader_that_stops_makes_no_response)
{
	struct feed f = { .left = 1000, .fail_at = 1 };
	lc_api_request req = LC_API_REQUEST_INIT;
	lc_api_header h[] = { { "X-Auth-Token", t_admin_token } };
	lc_api_response *resp = (void *)1;

	req.method = "POST";
	req.path = "/v3/projects";
	req.headers = h;
	req.header_count = 1;
	req.body_read = feed_read;
	req.body_payload = &f;
	cr_assert_eq(lc_api_handle(&resp, t_api, &req), LC_EUSER);
	cr_assert_null(resp);
	cr_assert_eq(project_count(), 1);
}

static int chunk_read(size_t *out, void *buf, size_t cap, void *p)
{
	const char **s = p;
	size_t n = strlen(*s);

	if (n > 3)
		n = 3; /* tiny pieces */
	if (n > cap)
		n = cap;
	memcpy(buf, *s, n);
	*s += n;
	*out = n;
	return 0;
}

Test(api_input, a_streamed_json_body_in_small_pieces_works)
{
	const char *body = "{\"project\":{\"name\":\"streamed\",\"domain_id\":\"default\"}}";
	lc_api_request req = LC_API_REQUEST_INIT;
	lc_api_header h[] = { { "X-Auth-Token", t_admin_token } };
	lc_api_response *resp;

	req.method = "POST";
	req.path = "/v3/projects";
	req.headers = h;
	req.header_count = 1;
	req.body_read = chunk_read;
	req.body_payload = &body;
	cr_assert_eq(lc_api_handle(&resp, t_api, &req), 0);
	cr_assert_eq(lc_api_response_status(resp), 201);
	lc_api_response_free(resp);
	cr_assert_eq(project_count(), 2);
}

Test(api_input, bad_paths_are_400)
{
	static const char *const paths[] = {
		"/v3/projects/%zz", "/v3/projects/%4", "/v3/projects/%", "/v3/projects/a%2Fb", "/v3/projects/a%2fb",
		"/v3/projects/..", "/v3/../v3/projects", "/v3/projects/%2E%2E", "/v3/projects/.", "/v3/%2e%2e/x",
		"/v3/projects/%00", "/v3/projects/%0a", "/v3/projects/%C3%28", "/v3/projects/%ED%A0%80",
		"/v3/projects/%5Cx", "/v3/projects/a\\b", "v3/projects", "/v3/projects/\xc3\x28",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		t_resp *r = t_call("GET", paths[i], t_admin_token, NULL);

		cr_assert_eq(r->status, 400, "%s: %d %s", paths[i], r->status, r->body);
		t_free(r);
	}
	/* a valid escaped name is only unknown */
	t_resp *r = t_call("GET", "/v3/projects/a%20b", t_admin_token, NULL);

	cr_assert_eq(r->status, 404);
	t_free(r);
}

Test(api_input, bad_query_strings_are_400)
{
	static const char *const targets[] = {
		"/v3/projects?name=%zz", "/v3/projects?name=%", "/v3/projects?name=%00",
		"/v3/projects?name=%C3%28", "/v3/projects?%ff=1",
	};

	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		t_resp *r = t_call("GET", targets[i], t_admin_token, NULL);

		cr_assert_eq(r->status, 400, "%s: %d %s", targets[i], r->status, r->body);
		t_free(r);
	}
	t_resp *r = t_call("GET", "/v3/projects?name=admin&&flag&x=%20+y", t_admin_token, NULL);

	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "projects"), 1);
	t_free(r);
}

Test(api_input, over_long_path_is_414)
{
	char *p = malloc(5000);

	strcpy(p, "/v3/projects/");
	memset(p + 13, 'a', 4900);
	p[4913] = '\0';
	t_resp *r = t_call("GET", p, t_admin_token, NULL);

	cr_assert_eq(r->status, 414);
	t_free(r);
	free(p);
}

Test(api_input, over_long_or_too_many_headers_are_431)
{
	char *v = malloc(10000);
	const char *h[3] = { "X-Big", NULL, NULL };
	t_resp *r;

	memset(v, 'v', 9999);
	v[9999] = '\0';
	h[1] = v;
	r = t_callh("GET", "/v3", NULL, NULL, h);
	cr_assert_eq(r->status, 431);
	t_free(r);
	free(v);

	lc_api_header many[200];
	lc_api_request req = LC_API_REQUEST_INIT;
	lc_api_response *resp;

	for (int i = 0; i < 200; i++)
		many[i] = (lc_api_header){ "X-Many", "1" };
	req.method = "GET";
	req.path = "/v3";
	req.headers = many;
	req.header_count = 200;
	cr_assert_eq(lc_api_handle(&resp, t_api, &req), 0);
	cr_assert_eq(lc_api_response_status(resp), 431);
	lc_api_response_free(resp);
}

Test(api_input, bad_header_bytes_are_400)
{
	const char *ctl[3] = { "X-Thing", "a\x01b", NULL };
	const char *utf[3] = { "X-Thing", "\xc3\x28", NULL };
	const char *name[3] = { "X Bad", "v", NULL };
	t_resp *r;

	r = t_callh("GET", "/v3", NULL, NULL, ctl);
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_callh("GET", "/v3", NULL, NULL, utf);
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_callh("GET", "/v3", NULL, NULL, name);
	cr_assert_eq(r->status, 400);
	t_free(r);
}
