/* Keystone v3 over the REST layer: discovery and tokens. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitest.h"

TestSuite(api_tokens, .init = t_setup, .fini = t_teardown);

Test(api_tokens, root_lists_versions_with_300)
{
	t_resp *r = t_call("GET", "/", NULL, NULL);

	cr_assert_eq(r->status, 300);
	cr_assert_str_eq(t_str(r->json, "versions/values/0/id"), "v3.14");
	cr_assert_str_eq(t_str(r->json, "versions/values/0/links/0/href"), T_BASE "/v3/");
	t_free(r);
}

Test(api_tokens, v3_discovery_needs_no_token)
{
	t_resp *r = t_call("GET", "/v3", NULL, NULL);

	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(t_str(r->json, "version/id"), "v3.14");
	cr_assert_str_eq(t_str(r->json, "version/status"), "stable");
	cr_assert_str_eq(t_str(r->json, "version/links/0/rel"), "self");
	cr_assert_str_eq(t_str(r->json, "version/links/0/href"), T_BASE "/v3/");
	t_free(r);
	r = t_call("GET", "/v3/", NULL, NULL); /* trailing slash */
	cr_assert_eq(r->status, 200);
	t_free(r);
}

Test(api_tokens, password_project_scope_gives_201_token_and_catalog)
{
	const char *body = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{"
			   "\"name\":\"admin\",\"domain\":{\"name\":\"Default\"},\"password\":\"" T_ADMIN_PASSWORD
			   "\"}}},\"scope\":{\"project\":{\"name\":\"admin\",\"domain\":{\"name\":\"Default\"}}}}}";
	t_resp *r = t_call("POST", "/v3/auth/tokens", NULL, body);
	yajl_val eps;
	int ifaces = 0;

	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_not_null(lc_api_response_header(r->r, "X-Subject-Token"));
	cr_assert_str_eq(t_str(r->json, "token/methods/0"), "password");
	cr_assert_str_eq(t_str(r->json, "token/user/name"), "admin");
	cr_assert_str_eq(t_str(r->json, "token/user/domain/id"), "default");
	cr_assert_str_eq(t_str(r->json, "token/user/domain/name"), "Default");
	cr_assert(YAJL_IS_NULL(t_get(r->json, "token/user/password_expires_at")));
	cr_assert_str_eq(t_str(r->json, "token/project/name"), "admin");
	cr_assert_str_eq(t_str(r->json, "token/project/domain/name"), "Default");
	cr_assert_not_null(t_str(r->json, "token/expires_at"));
	cr_assert_eq(strlen(t_str(r->json, "token/expires_at")), strlen("2026-01-01T00:00:00.000000Z"));
	cr_assert_eq(t_str(r->json, "token/expires_at")[26], 'Z');
	cr_assert_not_null(t_str(r->json, "token/issued_at"));
	cr_assert_eq(t_len(r->json, "token/audit_ids"), 1);
	cr_assert(YAJL_IS_FALSE(t_get(r->json, "token/is_domain")));
	cr_assert_geq(t_len(r->json, "token/roles"), 1);
	cr_assert_geq(t_len(r->json, "token/catalog"), 1, "identity comes first");
	cr_assert_str_eq(t_str(r->json, "token/catalog/0/type"), "identity");
	cr_assert_str_eq(t_str(r->json, "token/catalog/0/name"), "keystone");
	eps = t_get(r->json, "token/catalog/0/endpoints");
	cr_assert(YAJL_IS_ARRAY(eps));
	for (size_t i = 0; i < eps->u.array.len; i++) {
		const char *iface = t_str(eps->u.array.values[i], "interface");

		cr_assert_str_eq(t_str(eps->u.array.values[i], "url"), T_BASE "/v3");
		cr_assert_str_eq(t_str(eps->u.array.values[i], "region_id"), "RegionOne");
		cr_assert_str_eq(t_str(eps->u.array.values[i], "region"), "RegionOne");
		ifaces |= strcmp(iface, "public") == 0 ? 1 : strcmp(iface, "internal") == 0 ? 2 : strcmp(iface, "admin") == 0 ? 4 : 0;
	}
	cr_assert_eq(ifaces, 7);
	t_free(r);
}

Test(api_tokens, user_and_domain_by_id_and_nocatalog)
{
	char *uid = t_find("users", "admin"), *pid = t_find("projects", "admin");
	char body[1024];
	t_resp *r;

	snprintf(body, sizeof(body),
		 "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"id\":\"%s\","
		 "\"password\":\"" T_ADMIN_PASSWORD "\"}}},\"scope\":{\"project\":{\"id\":\"%s\"}}}}",
		 uid, pid);
	r = t_call("POST", "/v3/auth/tokens?nocatalog", NULL, body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "token/project/id"), pid);
	cr_assert_null(t_get(r->json, "token/catalog"));
	t_free(r);
	free(uid);
	free(pid);
}

Test(api_tokens, domain_and_system_scope)
{
	const char *dom = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{"
			  "\"name\":\"admin\",\"domain\":{\"id\":\"default\"},\"password\":\"" T_ADMIN_PASSWORD
			  "\"}}},\"scope\":{\"system\":{\"all\":true}}}}";
	t_resp *r = t_call("POST", "/v3/auth/tokens", NULL, dom);

	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert(YAJL_IS_TRUE(t_get(r->json, "token/system/all")));
	cr_assert_null(t_get(r->json, "token/project"));
	t_free(r);
}

Test(api_tokens, unscoped_then_rescoped_with_the_token_method)
{
	const char *un = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{"
			 "\"name\":\"admin\",\"domain\":{\"name\":\"Default\"},\"password\":\"" T_ADMIN_PASSWORD
			 "\"}}},\"scope\":\"unscoped\"}}";
	t_resp *r = t_call("POST", "/v3/auth/tokens", NULL, un);
	char body[1024];
	char *tok;

	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_null(t_get(r->json, "token/project"));
	cr_assert_null(t_get(r->json, "token/catalog"));
	tok = strdup(lc_api_response_header(r->r, "X-Subject-Token"));
	t_free(r);

	snprintf(body, sizeof(body),
		 "{\"auth\":{\"identity\":{\"methods\":[\"token\"],\"token\":{\"id\":\"%s\"}},"
		 "\"scope\":{\"project\":{\"name\":\"admin\",\"domain\":{\"id\":\"default\"}}}}}",
		 tok);
	r = t_call("POST", "/v3/auth/tokens", NULL, body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "token/methods/0"), "token");
	cr_assert_str_eq(t_str(r->json, "token/project/name"), "admin");
	t_free(r);

	/* unscoped token: /v3/auth/projects lists the admin project, /v3/auth/catalog is refused */
	r = t_call("GET", "/v3/auth/projects", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "projects"), 1);
	cr_assert_str_eq(t_str(r->json, "projects/0/name"), "admin");
	t_free(r);
	r = t_call("GET", "/v3/auth/catalog", tok, NULL);
	cr_assert_eq(r->status, 403);
	t_free(r);
	free(tok);
}

Test(api_tokens, wrong_password_and_unknown_user_are_401)
{
	char *tok = t_token("admin", "wrong", "admin");

	cr_assert_null(tok);
	tok = t_token("nobody", "wrong", "admin");
	cr_assert_null(tok);

	t_resp *r = t_call("POST", "/v3/auth/tokens", NULL,
			   "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{"
			   "\"name\":\"admin\",\"domain\":{\"name\":\"Default\"},\"password\":\"x\"}}}}}");

	cr_assert_eq(r->status, 401);
	cr_assert_eq(t_get(r->json, "error/code")->u.number.i, 401);
	cr_assert_str_eq(t_str(r->json, "error/title"), "Unauthorized");
	cr_assert_str_eq(lc_api_response_header(r->r, "WWW-Authenticate"), "Keystone uri=\"" T_BASE "/v3\"");
	t_free(r);
}

Test(api_tokens, malformed_auth_bodies_are_400)
{
	static const char *const bodies[] = {
		"{}",
		"{\"auth\":1}",
		"{\"auth\":{}}",
		"{\"auth\":{\"identity\":{}}}",
		"{\"auth\":{\"identity\":{\"methods\":[]}}}",
		"{\"auth\":{\"identity\":{\"methods\":\"password\"}}}",
		"{\"auth\":{\"identity\":{\"methods\":[1]}}}",
		"{\"auth\":{\"identity\":{\"methods\":[\"password\"]}}}",
		"{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{}}}}",
		"{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"admin\"}}}}}",
		"{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"admin\","
		"\"domain\":{\"id\":\"default\"}}}}}}",
		"{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"admin\","
		"\"domain\":{\"id\":\"default\"},\"password\":1}}}}}",
		"{\"auth\":{\"identity\":{\"methods\":[\"token\"],\"token\":{}}}}",
		"{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"id\":\"x\","
		"\"password\":\"p\"}}},\"scope\":{\"system\":{\"all\":false}}}}",
		"{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"id\":\"x\","
		"\"password\":\"p\"}}},\"scope\":{\"project\":{}}}}",
		"{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"id\":\"x\","
		"\"password\":\"p\"}}},\"scope\":7}}",
	};

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		t_resp *r = t_call("POST", "/v3/auth/tokens", NULL, bodies[i]);

		cr_assert_eq(r->status, 400, "body %zu: %d %s", i, r->status, r->body);
		cr_assert_str_eq(t_str(r->json, "error/title"), "Bad Request");
		t_free(r);
	}
}

Test(api_tokens, unsupported_method_and_unknown_token_are_401)
{
	t_resp *r = t_call("POST", "/v3/auth/tokens", NULL,
			   "{\"auth\":{\"identity\":{\"methods\":[\"totp\"],\"totp\":{}}}}");

	cr_assert_eq(r->status, 401);
	t_free(r);
	r = t_call("POST", "/v3/auth/tokens", NULL,
		   "{\"auth\":{\"identity\":{\"methods\":[\"token\"],\"token\":{\"id\":\"forged\"}}}}");
	cr_assert_eq(r->status, 401);
	t_free(r);
}

Test(api_tokens, no_role_on_the_project_is_401)
{
	char *pid, *uid, *tok;
	t_resp *r;

	t_make_user("p1", "u1", "pw1", &pid, &uid);
	tok = t_token("u1", "pw1", "admin");
	cr_assert_null(tok);
	tok = t_token("u1", "pw1", "p1");
	cr_assert_not_null(tok);
	r = t_call("GET", "/v3/auth/tokens", tok, NULL);
	cr_assert_eq(r->status, 400, "no X-Subject-Token: %s", r->body);
	t_free(r);
	free(tok);
	free(pid);
	free(uid);
}

Test(api_tokens, validate_check_and_revoke)
{
	char *pid, *uid, *tok;
	const char *hdr[3];
	t_resp *r;

	t_make_user("p1", "u1", "pw1", &pid, &uid);
	tok = t_token("u1", "pw1", "p1");
	cr_assert_not_null(tok);
	hdr[0] = "X-Subject-Token";
	hdr[1] = tok;
	hdr[2] = NULL;

	r = t_callh("GET", "/v3/auth/tokens", t_admin_token, NULL, hdr);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "token/user/name"), "u1");
	cr_assert_str_eq(t_str(r->json, "token/project/id"), pid);
	cr_assert_str_eq(lc_api_response_header(r->r, "X-Subject-Token"), tok);
	cr_assert_geq(t_len(r->json, "token/catalog"), 1);
	t_free(r);

	/* a user validates its own token */
	r = t_callh("GET", "/v3/auth/tokens?nocatalog=1", tok, NULL, hdr);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_null(t_get(r->json, "token/catalog"));
	t_free(r);

	r = t_callh("HEAD", "/v3/auth/tokens", t_admin_token, NULL, hdr);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(r->len, 0);
	t_free(r);

	/* a non-admin may not validate the admin's token */
	hdr[1] = t_admin_token;
	r = t_callh("GET", "/v3/auth/tokens", tok, NULL, hdr);
	cr_assert_eq(r->status, 403, "%s", r->body);
	t_free(r);
	hdr[1] = tok;

	r = t_callh("DELETE", "/v3/auth/tokens", t_admin_token, NULL, hdr);
	cr_assert_eq(r->status, 204, "%s", r->body);
	t_free(r);

	/* revoked: validation is 404, use is 401 */
	r = t_callh("GET", "/v3/auth/tokens", t_admin_token, NULL, hdr);
	cr_assert_eq(r->status, 404, "%s", r->body);
	t_free(r);
	r = t_callh("HEAD", "/v3/auth/tokens", t_admin_token, NULL, hdr);
	cr_assert_eq(r->status, 404);
	t_free(r);
	r = t_call("GET", "/v3/auth/catalog", tok, NULL);
	cr_assert_eq(r->status, 401);
	cr_assert_not_null(lc_api_response_header(r->r, "WWW-Authenticate"));
	t_free(r);
	r = t_callh("DELETE", "/v3/auth/tokens", t_admin_token, NULL, hdr);
	cr_assert_eq(r->status, 404, "%s", r->body);
	t_free(r);

	hdr[1] = "garbage";
	r = t_callh("GET", "/v3/auth/tokens", t_admin_token, NULL, hdr);
	cr_assert_eq(r->status, 404);
	t_free(r);
	free(tok);
	free(pid);
	free(uid);
}

Test(api_tokens, a_user_revokes_its_own_token)
{
	char *pid, *uid, *tok;
	const char *hdr[3] = { "X-Subject-Token", NULL, NULL };
	t_resp *r;

	t_make_user("p1", "u1", "pw1", &pid, &uid);
	tok = t_token("u1", "pw1", "p1");
	hdr[1] = tok;
	r = t_callh("DELETE", "/v3/auth/tokens", tok, NULL, hdr);
	cr_assert_eq(r->status, 204, "%s", r->body);
	t_free(r);
	r = t_call("GET", "/v3/auth/projects", tok, NULL);
	cr_assert_eq(r->status, 401);
	t_free(r);
	free(tok);
	free(pid);
	free(uid);
}

Test(api_tokens, catalog_and_projects_of_the_token)
{
	t_resp *r = t_call("GET", "/v3/auth/catalog", t_admin_token, NULL);

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_geq(t_len(r->json, "catalog"), 1);
	cr_assert_str_eq(t_str(r->json, "catalog/0/type"), "identity");
	cr_assert_str_eq(t_str(r->json, "links/self"), T_BASE "/v3/auth/catalog");
	t_free(r);

	r = t_call("GET", "/v3/auth/projects", t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "projects"), 1);
	cr_assert_str_eq(t_str(r->json, "projects/0/name"), "admin");
	t_free(r);

	r = t_call("GET", "/v3/auth/domains", t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	t_free(r);
}

Test(api_tokens, default_project_scopes_an_unscoped_request)
{
	char *pid, *uid;
	char body[1024];
	t_resp *r;

	t_make_user("p1", "u1", "pw1", &pid, &uid);
	snprintf(body, sizeof(body), "{\"user\":{\"default_project_id\":\"%s\"}}", pid);
	char path[256];

	snprintf(path, sizeof(path), "/v3/users/%s", uid);
	r = t_call("PATCH", path, t_admin_token, body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "user/default_project_id"), pid);
	t_free(r);
	r = t_call("POST", "/v3/auth/tokens", NULL,
		   "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{"
		   "\"name\":\"u1\",\"domain\":{\"name\":\"Default\"},\"password\":\"pw1\"}}}}}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "token/project/id"), pid);
	t_free(r);
	free(pid);
	free(uid);
}
