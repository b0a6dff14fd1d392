/* Keystone v3 over the REST layer: domains, projects, users, roles. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitest.h"

TestSuite(api_resources, .init = t_setup, .fini = t_teardown);

static char *path1(const char *fmt, const char *a)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), fmt, a);
	return buf;
}

Test(api_resources, domain_crud)
{
	t_resp *r = t_call("POST", "/v3/domains", t_admin_token,
			   "{\"domain\":{\"name\":\"d1\",\"description\":\"first\",\"enabled\":true,\"tags\":[],\"options\":{}}}");
	char *id;

	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "domain/name"), "d1");
	cr_assert_str_eq(t_str(r->json, "domain/description"), "first");
	cr_assert(YAJL_IS_TRUE(t_get(r->json, "domain/enabled")));
	id = strdup(t_str(r->json, "domain/id"));
	cr_assert_str_eq(t_str(r->json, "domain/links/self"), path1(T_BASE "/v3/domains/%s", id));
	t_free(r);

	r = t_call("POST", "/v3/domains", t_admin_token, "{\"domain\":{\"name\":\"d1\"}}");
	cr_assert_eq(r->status, 409, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "error/title"), "Conflict");
	t_free(r);

	r = t_call("GET", path1("/v3/domains/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "domain/id"), id);
	t_free(r);

	r = t_call("GET", "/v3/domains/default", t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "domain/name"), "Default");
	t_free(r);

	r = t_call("GET", "/v3/domains?name=d1", t_admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "domains"), 1);
	cr_assert_str_eq(t_str(r->json, "links/self"), T_BASE "/v3/domains");
	cr_assert(YAJL_IS_NULL(t_get(r->json, "links/next")));
	t_free(r);

	r = t_call("GET", "/v3/domains", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "domains"), 2);
	t_free(r);

	/* an enabled domain cannot be deleted (403 as Keystone) */
	r = t_call("DELETE", path1("/v3/domains/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 403, "%s", r->body);
	t_free(r);
	r = t_call("PATCH", path1("/v3/domains/%s", id), t_admin_token,
		   "{\"domain\":{\"enabled\":false,\"description\":null}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(YAJL_IS_FALSE(t_get(r->json, "domain/enabled")));
	cr_assert_str_eq(t_str(r->json, "domain/description"), "");
	t_free(r);
	r = t_call("GET", "/v3/domains?enabled=false", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "domains"), 1);
	t_free(r);
	r = t_call("DELETE", path1("/v3/domains/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	cr_assert_eq(r->len, 0);
	t_free(r);
	r = t_call("GET", path1("/v3/domains/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	free(id);
}

Test(api_resources, project_crud_filters_and_paging)
{
	t_resp *r = t_call("POST", "/v3/projects", t_admin_token,
			   "{\"project\":{\"name\":\"p1\",\"domain_id\":\"default\",\"enabled\":true,"
			   "\"description\":\"d\",\"options\":{},\"tags\":[]}}");
	char *id, *child;

	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "project/name"), "p1");
	cr_assert_str_eq(t_str(r->json, "project/domain_id"), "default");
	cr_assert_str_eq(t_str(r->json, "project/parent_id"), "default");
	cr_assert_str_eq(t_str(r->json, "project/description"), "d");
	cr_assert(YAJL_IS_FALSE(t_get(r->json, "project/is_domain")));
	cr_assert_eq(t_len(r->json, "project/tags"), 0);
	cr_assert(YAJL_IS_OBJECT(t_get(r->json, "project/options")));
	id = strdup(t_str(r->json, "project/id"));
	t_free(r);

	r = t_call("POST", "/v3/projects", t_admin_token, "{\"project\":{\"name\":\"p1\",\"domain_id\":\"default\"}}");
	cr_assert_eq(r->status, 409, "%s", r->body);
	t_free(r);

	char body[256];

	snprintf(body, sizeof(body), "{\"project\":{\"name\":\"c1\",\"parent_id\":\"%s\"}}", id);
	r = t_call("POST", "/v3/projects", t_admin_token, body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "project/parent_id"), id);
	child = strdup(t_str(r->json, "project/id"));
	t_free(r);

	r = t_call("GET", path1("/v3/projects/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(t_str(r->json, "project/id"), id);
	t_free(r);

	r = t_call("GET", "/v3/projects?name=p1", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "projects"), 1);
	t_free(r);
	r = t_call("GET", path1("/v3/projects?parent_id=%s", id), t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "projects"), 1);
	cr_assert_str_eq(t_str(r->json, "projects/0/name"), "c1");
	t_free(r);
	r = t_call("GET", "/v3/projects?is_domain=true", t_admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "projects"), 0);
	t_free(r);
	r = t_call("GET", "/v3/projects?unknown_filter=x&is_domain=false", t_admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "projects"), 3); /* admin, p1, c1 */
	t_free(r);

	/* paging: limit 2 then follow next */
	r = t_call("GET", "/v3/projects?limit=2", t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "projects"), 2);
	const char *next = t_str(r->json, "links/next");

	cr_assert_not_null(next);
	cr_assert_eq(strncmp(next, T_BASE, strlen(T_BASE)), 0);
	char *target = strdup(next + strlen(T_BASE));

	t_free(r);
	r = t_call("GET", target, t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "projects"), 1);
	cr_assert(YAJL_IS_NULL(t_get(r->json, "links/next")));
	t_free(r);
	free(target);
	r = t_call("GET", "/v3/projects?limit=0", t_admin_token, NULL);
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_call("GET", "/v3/projects?limit=abc", t_admin_token, NULL);
	cr_assert_eq(r->status, 400);
	t_free(r);

	r = t_call("PATCH", path1("/v3/projects/%s", id), t_admin_token,
		   "{\"project\":{\"name\":\"p1-renamed\",\"enabled\":false}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "project/name"), "p1-renamed");
	cr_assert(YAJL_IS_FALSE(t_get(r->json, "project/enabled")));
	t_free(r);
	r = t_call("PATCH", path1("/v3/projects/%s", id), t_admin_token, "{\"project\":{\"domain_id\":\"x\"}}");
	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);

	/* a project with a child cannot go */
	r = t_call("DELETE", path1("/v3/projects/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 409, "%s", r->body);
	t_free(r);
	r = t_call("DELETE", path1("/v3/projects/%s", child), t_admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	t_free(r);
	r = t_call("DELETE", path1("/v3/projects/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	t_free(r);
	r = t_call("DELETE", path1("/v3/projects/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	t_free(r);
	free(id);
	free(child);
}

Test(api_resources, user_crud_never_echoes_the_password)
{
	char *pid = t_find("projects", "admin"), *id;
	char body[512];
	t_resp *r;

	snprintf(body, sizeof(body),
		 "{\"user\":{\"name\":\"u1\",\"domain_id\":\"default\",\"default_project_id\":\"%s\","
		 "\"enabled\":true,\"password\":\"pw-secret\",\"options\":{},\"email\":\"u1@example.org\"}}",
		 pid);
	r = t_call("POST", "/v3/users", t_admin_token, body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_null(strstr(r->body, "pw-secret"));
	cr_assert_null(t_get(r->json, "user/password"));
	cr_assert_str_eq(t_str(r->json, "user/name"), "u1");
	cr_assert_str_eq(t_str(r->json, "user/domain_id"), "default");
	cr_assert_str_eq(t_str(r->json, "user/default_project_id"), pid);
	cr_assert(YAJL_IS_NULL(t_get(r->json, "user/password_expires_at")));
	id = strdup(t_str(r->json, "user/id"));
	t_free(r);

	r = t_call("POST", "/v3/users", t_admin_token, "{\"user\":{\"name\":\"u1\"}}");
	cr_assert_eq(r->status, 409);
	t_free(r);

	r = t_call("GET", path1("/v3/users/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 200);
	t_free(r);
	r = t_call("GET", "/v3/users?name=u1", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "users"), 1);
	t_free(r);
	r = t_call("GET", "/v3/users?domain_id=default", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "users"), 2);
	t_free(r);

	r = t_call("PATCH", path1("/v3/users/%s", id), t_admin_token,
		   "{\"user\":{\"name\":\"u1b\",\"description\":\"hello\",\"default_project_id\":null}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "user/name"), "u1b");
	cr_assert_str_eq(t_str(r->json, "user/description"), "hello");
	cr_assert_null(t_get(r->json, "user/default_project_id"));
	t_free(r);

	r = t_call("DELETE", path1("/v3/users/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
	r = t_call("GET", path1("/v3/users/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	free(id);
	free(pid);
}

Test(api_resources, a_user_changes_its_password)
{
	char *pid, *uid, *tok, *tok2;
	t_resp *r;

	t_make_user("p1", "u1", "old-pw", &pid, &uid);
	tok = t_token("u1", "old-pw", "p1");
	cr_assert_not_null(tok);

	r = t_call("POST", path1("/v3/users/%s/password", uid), tok,
		   "{\"user\":{\"original_password\":\"wrong\",\"password\":\"new-pw\"}}");
	cr_assert_eq(r->status, 401, "%s", r->body);
	t_free(r);
	r = t_call("POST", path1("/v3/users/%s/password", uid), tok,
		   "{\"user\":{\"original_password\":\"old-pw\",\"password\":\"new-pw\",\"extra\":1}}");
	cr_assert_eq(r->status, 400, "strict body: %s", r->body);
	t_free(r);
	r = t_call("POST", path1("/v3/users/%s/password", uid), tok, "{\"user\":{\"password\":\"new-pw\"}}");
	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);
	r = t_call("POST", path1("/v3/users/%s/password", uid), tok,
		   "{\"user\":{\"original_password\":\"old-pw\",\"password\":\"new-pw\"}}");
	cr_assert_eq(r->status, 204, "%s", r->body);
	t_free(r);

	cr_assert_null(t_token("u1", "old-pw", "p1"));
	tok2 = t_token("u1", "new-pw", "p1");
	cr_assert_not_null(tok2);
	free(tok);
	free(tok2);
	free(pid);
	free(uid);
}

Test(api_resources, role_crud)
{
	t_resp *r = t_call("GET", "/v3/roles", t_admin_token, NULL);
	char *id;

	cr_assert_eq(r->status, 200);
	cr_assert_geq(t_len(r->json, "roles"), 3);
	t_free(r);
	r = t_call("GET", "/v3/roles?name=member", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "roles"), 1);
	cr_assert_str_eq(t_str(r->json, "roles/0/name"), "member");
	t_free(r);

	r = t_call("POST", "/v3/roles", t_admin_token, "{\"role\":{\"name\":\"auditor\",\"description\":\"reads logs\"}}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "role/name"), "auditor");
	cr_assert(YAJL_IS_NULL(t_get(r->json, "role/domain_id")));
	id = strdup(t_str(r->json, "role/id"));
	t_free(r);
	r = t_call("POST", "/v3/roles", t_admin_token, "{\"role\":{\"name\":\"auditor\"}}");
	cr_assert_eq(r->status, 409);
	t_free(r);
	r = t_call("POST", "/v3/roles", t_admin_token, "{\"role\":{\"name\":\"x\",\"domain_id\":\"default\"}}");
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_call("PATCH", path1("/v3/roles/%s", id), t_admin_token, "{\"role\":{\"name\":\"auditor2\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "role/name"), "auditor2");
	t_free(r);
	r = t_call("GET", path1("/v3/roles/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 200);
	t_free(r);
	r = t_call("DELETE", path1("/v3/roles/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
	r = t_call("GET", path1("/v3/roles/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	free(id);
}

/* Clients look a name up by GET /<collection>/<name> first: that must be 404, never 400 or 500. */
Test(api_resources, lookups_by_unknown_name_or_id_are_404)
{
	static const char *const colls[] = { "domains", "projects", "users", "roles" };
	static const char *const keys[] = { "nosuchthing", "0190d4a2-0000-7000-8000-000000000000",
					    "admin%20project", "%C3%A9t%C3%A9", "x" };

	for (size_t c = 0; c < 4; c++) {
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			char path[256];
			t_resp *r;

			snprintf(path, sizeof(path), "/v3/%s/%s", colls[c], keys[k]);
			r = t_call("GET", path, t_admin_token, NULL);
			cr_assert_eq(r->status, 404, "%s: %d %s", path, r->status, r->body);
			cr_assert_eq(t_get(r->json, "error/code")->u.number.i, 404);
			cr_assert_str_eq(t_str(r->json, "error/title"), "Not Found");
			t_free(r);
			r = t_call("DELETE", path, t_admin_token, NULL);
			cr_assert_eq(r->status, 404, "DELETE %s: %d %s", path, r->status, r->body);
			t_free(r);
			r = t_call("PATCH", path, t_admin_token, "{}");
			cr_assert_eq(r->status, 404, "PATCH %s: %d %s", path, r->status, r->body);
			t_free(r);
		}
	}
	t_resp *r = t_call("GET", "/v3/projects?name=nosuchthing", t_admin_token, NULL);

	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "projects"), 0);
	t_free(r);
}

Test(api_resources, bad_bodies_are_400)
{
	static const char *const cases[][2] = {
		{ "/v3/projects", "{\"project\":{}}" },
		{ "/v3/projects", "{\"project\":{\"name\":1}}" },
		{ "/v3/projects", "{\"project\":{\"name\":\"p\",\"enabled\":\"yes\"}}" },
		{ "/v3/projects", "{\"project\":{\"name\":\"p\",\"tags\":{}}}" },
		{ "/v3/projects", "{\"project\":{\"name\":\"p\",\"is_domain\":true}}" },
		{ "/v3/projects", "{\"project\":{\"name\":\"\"}}" },
		{ "/v3/projects", "{\"project\":{\"name\":\"p\",\"description\":5}}" },
		{ "/v3/projects", "{\"project\":[]}" },
		{ "/v3/projects", "{\"projects\":{\"name\":\"p\"}}" },
		{ "/v3/projects", "[]" },
		{ "/v3/projects", "\"x\"" },
		{ "/v3/users", "{\"user\":{\"name\":[\"u\"]}}" },
		{ "/v3/users", "{\"user\":{\"name\":\"u\",\"password\":7}}" },
		{ "/v3/users", "{\"user\":{\"name\":\"u\",\"enabled\":null}}" },
		{ "/v3/domains", "{\"domain\":{\"name\":true}}" },
		{ "/v3/domains", "{\"domain\":{}}" },
		{ "/v3/roles", "{\"role\":{\"name\":{}}}" },
		{ "/v3/roles", "{\"role\":{}}" },
		{ "/v3/projects", "{\"project\":{\"name\":\"p\\u0000x\"}}" },
		{ "/v3/projects", "{\"project\":{\"name\":\"line\\nbreak\"}}" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t_resp *r = t_call("POST", cases[i][0], t_admin_token, cases[i][1]);

		cr_assert_eq(r->status, 400, "case %zu %s: %d %s", i, cases[i][1], r->status, r->body);
		cr_assert_str_eq(t_str(r->json, "error/title"), "Bad Request");
		t_free(r);
	}
	/* nothing was created */
	t_resp *r = t_call("GET", "/v3/projects", t_admin_token, NULL);

	cr_assert_eq(t_len(r->json, "projects"), 1);
	t_free(r);
	r = t_call("GET", "/v3/users", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "users"), 1);
	t_free(r);
}

Test(api_resources, over_long_names_are_400)
{
	char name[100], body[256];
	t_resp *r;

	memset(name, 'n', 65);
	name[65] = '\0';
	snprintf(body, sizeof(body), "{\"project\":{\"name\":\"%s\"}}", name);
	r = t_call("POST", "/v3/projects", t_admin_token, body);
	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);
}

Test(api_resources, each_listing_reads_its_own_filters)
{
	t_resp *r = t_call("GET", "/v3/roles?domain_id=default", t_admin_token, NULL);

	/* only global roles exist: a domain's roles are none */
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "roles"), 0);
	t_free(r);
	/* is_domain=true matches no project or domain, and means nothing for users and roles */
	r = t_call("GET", "/v3/roles?is_domain=true", t_admin_token, NULL);
	cr_assert_gt(t_len(r->json, "roles"), 0);
	t_free(r);
	r = t_call("GET", "/v3/users?is_domain=true", t_admin_token, NULL);
	cr_assert_gt(t_len(r->json, "users"), 0);
	t_free(r);
	r = t_call("GET", "/v3/domains?is_domain=true", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "domains"), 0);
	t_free(r);
	r = t_call("GET", "/v3/projects?is_domain=true", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "projects"), 0);
	t_free(r);
}

Test(api_resources, an_unknown_id_is_named_in_the_404)
{
	static const char *const what[] = { "domain", "project", "user", "role" };

	for (size_t i = 0; i < 4; i++) {
		static const char *const verbs[] = { "GET", "PATCH", "DELETE" };
		char path[128], msg[128];

		snprintf(path, sizeof(path), "/v3/%ss/nosuch", what[i]);
		snprintf(msg, sizeof(msg), "Could not find %s: nosuch.", what[i]);
		for (size_t v = 0; v < 3; v++) {
			t_resp *r = t_call(verbs[v], path, t_admin_token,
					   v == 1 ? "{\"x\":{}}" : NULL);

			cr_assert_eq(r->status, 404, "%s %s: %s", verbs[v], path, r->body);
			cr_assert_str_eq(t_str(r->json, "error/message"), msg, "%s %s", verbs[v], path);
			t_free(r);
		}
	}
}
