/* Helpers for the REST layer tests. */
#include "apitest.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

char *t_dir;
lc_cloud *t_cloud;
lc_api *t_api;
char *t_admin_token;

void t_setup(void)
{
	lc_cloud_opts co = LC_CLOUD_OPTS_INIT;
	lc_bootstrap_opts bo = LC_BOOTSTRAP_OPTS_INIT;
	lc_api_opts ao = LC_API_OPTS_INIT;

	co.pwhash_strength = LC_PWHASH_MIN;
	t_dir = lct_tmpdir();
	cr_assert_not_null(t_dir);
	cr_assert_eq(lc_cloud_new(&t_cloud, &co), 0);
	cr_assert_eq(lc_cloud_open(t_cloud, t_dir, LC_CLOUD_OPEN_CREATE | LC_CLOUD_OPEN_NOSYNC), 0, "%s",
		     lc_error_last()->message);
	bo.admin_password = T_ADMIN_PASSWORD;
	cr_assert_eq(lc_cloud_bootstrap(t_cloud, &bo), 0, "%s", lc_error_last()->message);
	ao.base_url = T_BASE;
	cr_assert_eq(lc_api_new(&t_api, t_cloud, &ao), 0, "%s", lc_error_last()->message);
	t_admin_token = t_token("admin", T_ADMIN_PASSWORD, "admin");
	cr_assert_not_null(t_admin_token);
}

void t_teardown(void)
{
	free(t_admin_token);
	t_admin_token = NULL;
	lc_api_free(t_api);
	t_api = NULL;
	lc_cloud_free(t_cloud);
	t_cloud = NULL;
	lct_rmtree(t_dir);
	t_dir = NULL;
}

t_resp *t_callh(const char *method, const char *target, const char *token, const char *body,
		const char *const *extra)
{
	lc_api_request req = LC_API_REQUEST_INIT;
	lc_api_header h[16];
	size_t nh = 0;
	char path[8192];
	const char *q = strchr(target, '?');
	t_resp *r = calloc(1, sizeof(*r));
	const void *b;
	size_t blen;

	cr_assert_not_null(r);
	if (q != NULL) {
		cr_assert_lt((size_t)(q - target), sizeof(path));
		memcpy(path, target, (size_t)(q - target));
		path[q - target] = '\0';
		req.query = q + 1;
		req.path = path;
	} else {
		req.path = target;
	}
	req.method = method;
	h[nh++] = (lc_api_header){ "Host", "cloud.test:5000" };
	if (token != NULL)
		h[nh++] = (lc_api_header){ "X-Auth-Token", token };
	if (body != NULL) {
		h[nh++] = (lc_api_header){ "Content-Type", "application/json" };
		req.body = body;
		req.body_len = strlen(body);
	}
	for (size_t i = 0; extra != NULL && extra[i] != NULL; i += 2)
		h[nh++] = (lc_api_header){ extra[i], extra[i + 1] };
	req.headers = h;
	req.header_count = nh;
	cr_assert_eq(lc_api_handle(&r->r, t_api, &req), 0, "%s", lc_error_last()->message);
	r->status = lc_api_response_status(r->r);
	b = lc_api_response_body(r->r, &blen);
	cr_assert_not_null(b, "streamed body in a JSON test");
	r->body = malloc(blen + 1);
	memcpy(r->body, b, blen);
	r->body[blen] = '\0';
	r->len = blen;
	cr_assert_eq(lc_api_response_body_length(r->r), (int64_t)blen);
	if (blen > 0) {
		const char *ct = lc_api_response_header(r->r, "Content-Type");

		if (ct != NULL && strncmp(ct, "application/json", 16) == 0) {
			char err[256];

			r->json = yajl_tree_parse(r->body, err, sizeof(err));
			cr_assert_not_null(r->json, "response is not JSON (%s): %s", err, r->body);
		}
	}
	/* every response carries a request id */
	const char *rid = lc_api_response_header(r->r, "x-openstack-request-id");

	cr_assert_not_null(rid);
	cr_assert_eq(strncmp(rid, "req-", 4), 0);
	cr_assert_eq(strlen(rid), 40);
	return r;
}

t_resp *t_call(const char *method, const char *target, const char *token, const char *body)
{
	return t_callh(method, target, token, body, NULL);
}

void t_free(t_resp *r)
{
	if (r == NULL)
		return;
	yajl_tree_free(r->json);
	lc_api_response_free(r->r);
	free(r->body);
	free(r);
}

yajl_val t_get(yajl_val v, const char *path)
{
	char buf[512], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, "/", &save); k != NULL && v != NULL; k = strtok_r(NULL, "/", &save)) {
		if (YAJL_IS_ARRAY(v)) {
			size_t i = strtoul(k, NULL, 10);

			v = i < v->u.array.len ? v->u.array.values[i] : NULL;
		} else if (YAJL_IS_OBJECT(v)) {
			yajl_val f = NULL;

			for (size_t i = 0; i < v->u.object.len; i++)
				if (strcmp(v->u.object.keys[i], k) == 0)
					f = v->u.object.values[i];
			v = f;
		} else {
			v = NULL;
		}
	}
	return v;
}

const char *t_str(yajl_val v, const char *path)
{
	yajl_val s = t_get(v, path);

	return YAJL_IS_STRING(s) ? s->u.string : NULL;
}

int t_len(yajl_val v, const char *path)
{
	yajl_val a = t_get(v, path);

	return YAJL_IS_ARRAY(a) ? (int)a->u.array.len : -1;
}

char *t_token(const char *user, const char *password, const char *project)
{
	char body[1024];
	t_resp *r;
	char *tok = NULL;

	snprintf(body, sizeof(body),
		 "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"%s\","
		 "\"domain\":{\"name\":\"Default\"},\"password\":\"%s\"}}},\"scope\":{\"project\":{\"name\":\"%s\","
		 "\"domain\":{\"id\":\"default\"}}}}}",
		 user, password, project);
	r = t_call("POST", "/v3/auth/tokens", NULL, body);
	if (r->status == 201 && lc_api_response_header(r->r, "X-Subject-Token") != NULL)
		tok = strdup(lc_api_response_header(r->r, "X-Subject-Token"));
	t_free(r);
	return tok;
}

void t_make_user(const char *project, const char *user, const char *password, char **project_id, char **user_id)
{
	char body[1024], path[512];
	t_resp *r;
	char *role;

	snprintf(body, sizeof(body), "{\"project\":{\"name\":\"%s\",\"domain_id\":\"default\"}}", project);
	r = t_call("POST", "/v3/projects", t_admin_token, body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	*project_id = strdup(t_str(r->json, "project/id"));
	t_free(r);
	snprintf(body, sizeof(body), "{\"user\":{\"name\":\"%s\",\"domain_id\":\"default\",\"password\":\"%s\"}}",
		 user, password);
	r = t_call("POST", "/v3/users", t_admin_token, body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	*user_id = strdup(t_str(r->json, "user/id"));
	t_free(r);
	role = t_find("roles", "member");
	cr_assert_not_null(role);
	snprintf(path, sizeof(path), "/v3/projects/%s/users/%s/roles/%s", *project_id, *user_id, role);
	r = t_call("PUT", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	t_free(r);
	free(role);
}

char *t_find(const char *coll, const char *name)
{
	char target[512], key[128];
	t_resp *r;
	char *id = NULL;

	snprintf(target, sizeof(target), "/v3/%s?name=%s", coll, name);
	r = t_call("GET", target, t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	snprintf(key, sizeof(key), "%s/0/id", coll);
	if (t_len(r->json, coll) == 1)
		id = strdup(t_str(r->json, key));
	t_free(r);
	return id;
}
