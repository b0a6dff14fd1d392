/* Keystone v3 over the REST layer: role grants, role assignments, a user's projects, isolation. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitest.h"

TestSuite(api_grants, .init = t_setup, .fini = t_teardown);

Test(api_grants, put_check_list_delete_on_a_project)
{
	char *pid, *uid, *reader = t_find("roles", "reader");
	char path[1100], base[512];
	t_resp *r;

	t_make_user("p1", "u1", "pw", &pid, &uid);
	snprintf(base, sizeof(base), "/v3/projects/%s/users/%s/roles", pid, uid);
	snprintf(path, sizeof(path), "%s/%s", base, reader);

	r = t_call("HEAD", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	t_free(r);
	r = t_call("PUT", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	t_free(r);
	r = t_call("PUT", path, t_admin_token, NULL); /* again: same answer */
	cr_assert_eq(r->status, 204, "%s", r->body);
	t_free(r);
	r = t_call("HEAD", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
	r = t_call("GET", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
	r = t_call("GET", base, t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "roles"), 2); /* member (from t_make_user) and reader */
	t_free(r);
	r = t_call("DELETE", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	t_free(r);
	r = t_call("DELETE", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	t_free(r);
	r = t_call("GET", base, t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "roles"), 1);
	t_free(r);

	/* unknown or malformed ids in the path: 404 */
	snprintf(path, sizeof(path), "%s/nosuchrole", base);
	r = t_call("PUT", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	t_free(r);
	snprintf(path, sizeof(path), "/v3/projects/nosuch/users/%s/roles/%s", uid, reader);
	r = t_call("PUT", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	t_free(r);
	snprintf(path, sizeof(path), "/v3/projects/nosuch/users/%s/roles", uid);
	r = t_call("GET", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	t_free(r);

	/* a member may not grant */
	char *tok = t_token("u1", "pw", "p1");

	snprintf(path, sizeof(path), "%s/%s", base, reader);
	r = t_call("PUT", path, tok, NULL);
	cr_assert_eq(r->status, 403, "%s", r->body);
	t_free(r);
	free(tok);
	free(pid);
	free(uid);
	free(reader);
}

Test(api_grants, grants_on_a_domain)
{
	char *pid, *uid, *reader = t_find("roles", "reader");
	char path[512];
	t_resp *r;

	t_make_user("p1", "u1", "pw", &pid, &uid);
	snprintf(path, sizeof(path), "/v3/domains/default/users/%s/roles/%s", uid, reader);
	r = t_call("PUT", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	t_free(r);
	r = t_call("HEAD", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
	snprintf(path, sizeof(path), "/v3/domains/default/users/%s/roles", uid);
	r = t_call("GET", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "roles"), 1);
	cr_assert_str_eq(t_str(r->json, "roles/0/name"), "reader");
	t_free(r);
	r = t_call("GET", "/v3/role_assignments?scope.domain.id=default&include_names=True", t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "role_assignments"), 1);
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/scope/domain/name"), "Default");
	t_free(r);
	snprintf(path, sizeof(path), "/v3/domains/default/users/%s/roles/%s", uid, reader);
	r = t_call("DELETE", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
	r = t_call("GET", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	free(pid);
	free(uid);
	free(reader);
}

Test(api_grants, role_assignments_filters_and_names)
{
	char *pid, *uid, *member = t_find("roles", "member");
	char q[512];
	t_resp *r;

	t_make_user("p1", "u1", "pw", &pid, &uid);
	r = t_call("GET", "/v3/role_assignments", t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_geq(t_len(r->json, "role_assignments"), 2);
	t_free(r);

	snprintf(q, sizeof(q), "/v3/role_assignments?user.id=%s&scope.project.id=%s", uid, pid);
	r = t_call("GET", q, t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "role_assignments"), 1);
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/role/id"), member);
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/user/id"), uid);
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/scope/project/id"), pid);
	cr_assert_null(t_get(r->json, "role_assignments/0/role/name"));
	cr_assert_not_null(t_str(r->json, "role_assignments/0/links/assignment"));
	t_free(r);

	snprintf(q, sizeof(q), "/v3/role_assignments?user.id=%s&include_names=1", uid);
	r = t_call("GET", q, t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "role_assignments"), 1);
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/role/name"), "member");
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/user/name"), "u1");
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/user/domain/name"), "Default");
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/scope/project/name"), "p1");
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/scope/project/domain/id"), "default");
	t_free(r);

	snprintf(q, sizeof(q), "/v3/role_assignments?role.id=%s", member);
	r = t_call("GET", q, t_admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "role_assignments"), 1);
	t_free(r);

	r = t_call("GET", "/v3/role_assignments?scope.system=all", t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "role_assignments"), 1, "%s", r->body); /* admin on the system */
	cr_assert(YAJL_IS_TRUE(t_get(r->json, "role_assignments/0/scope/system/all")));
	t_free(r);

	r = t_call("GET", "/v3/role_assignments?group.id=abc", t_admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "role_assignments"), 0);
	t_free(r);
	r = t_call("GET", "/v3/role_assignments?user.id=nosuch", t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "role_assignments"), 0);
	t_free(r);
	r = t_call("GET", "/v3/role_assignments?scope.project.id=a&scope.domain.id=b", t_admin_token, NULL);
	cr_assert_eq(r->status, 400);
	t_free(r);

	/* a member sees only its own */
	char *tok = t_token("u1", "pw", "p1");

	r = t_call("GET", "/v3/role_assignments", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "role_assignments"), 1);
	t_free(r);
	free(tok);
	free(pid);
	free(uid);
	free(member);
}

Test(api_grants, projects_of_a_user)
{
	char *p1, *u1, *p2, *u2, *tok;
	char path[256];
	t_resp *r;

	t_make_user("p1", "u1", "pw", &p1, &u1);
	t_make_user("p2", "u2", "pw", &p2, &u2);
	tok = t_token("u1", "pw", "p1");
	snprintf(path, sizeof(path), "/v3/users/%s/projects", u1);
	r = t_call("GET", path, tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "projects"), 1);
	cr_assert_str_eq(t_str(r->json, "projects/0/id"), p1);
	t_free(r);
	r = t_call("GET", path, t_admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "projects"), 1);
	t_free(r);
	snprintf(path, sizeof(path), "/v3/users/%s/projects", u2);
	r = t_call("GET", path, tok, NULL);
	cr_assert_eq(r->status, 403, "%s", r->body);
	t_free(r);
	r = t_call("GET", "/v3/users/nosuch/projects", t_admin_token, NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	t_free(r);
	free(tok);
	free(p1);
	free(u1);
	free(p2);
	free(u2);
}

Test(api_grants, a_user_of_one_project_sees_only_its_own)
{
	char *p1, *u1, *p2, *u2, *tok;
	char path[256];
	t_resp *r;

	t_make_user("p1", "u1", "pw", &p1, &u1);
	t_make_user("p2", "u2", "pw", &p2, &u2);
	tok = t_token("u1", "pw", "p1");
	cr_assert_not_null(tok);

	r = t_call("GET", "/v3/auth/projects", tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "projects"), 1);
	cr_assert_str_eq(t_str(r->json, "projects/0/name"), "p1");
	t_free(r);

	r = t_call("GET", "/v3/projects", tok, NULL);
	if (r->status == 200) {
		cr_assert_eq(t_len(r->json, "projects"), 1, "%s", r->body);
		cr_assert_str_eq(t_str(r->json, "projects/0/name"), "p1");
	} else {
		cr_assert_eq(r->status, 403, "%s", r->body);
	}
	t_free(r);

	snprintf(path, sizeof(path), "/v3/projects/%s", p2);
	r = t_call("GET", path, tok, NULL);
	cr_assert(r->status == 403 || r->status == 404, "%d %s", r->status, r->body);
	t_free(r);
	snprintf(path, sizeof(path), "/v3/projects/%s", p1);
	r = t_call("GET", path, tok, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	t_free(r);

	/* members do not administer */
	r = t_call("POST", "/v3/projects", tok, "{\"project\":{\"name\":\"mine\"}}");
	cr_assert_eq(r->status, 403, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "error/title"), "Forbidden");
	t_free(r);
	r = t_call("GET", "/v3/users", tok, NULL);
	cr_assert_eq(r->status, 403, "%s", r->body);
	t_free(r);
	snprintf(path, sizeof(path), "/v3/users/%s", u2);
	r = t_call("DELETE", path, tok, NULL);
	cr_assert(r->status == 403 || r->status == 404, "%d %s", r->status, r->body);
	t_free(r);
	snprintf(path, sizeof(path), "/v3/users/%s", u1);
	r = t_call("GET", path, tok, NULL);
	cr_assert_eq(r->status, 200, "own user: %s", r->body);
	t_free(r);
	free(tok);
	free(p1);
	free(u1);
	free(p2);
	free(u2);
}
