/* Keystone v3 over the REST layer: role grants, role assignments, a user's projects, isolation. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitest.h"

TestSuite(api_grants, .init = t_setup, .fini = t_teardown);

/* Call and check the status; the response is the caller's to free. */
static t_resp *call_expect(const char *method, const char *path, const char *token, int status)
{
	t_resp *r = t_call(method, path, token, NULL);

	cr_assert_eq(r->status, status, "%s %s: %d %s", method, path, r->status, r->body);
	return r;
}

/* Call and check the status only. */
static void expect(const char *method, const char *path, const char *token, int status)
{
	t_free(call_expect(method, path, token, status));
}

Test(api_grants, put_check_list_delete_on_a_project)
{
	char *pid, *uid, *reader = t_find("roles", "reader");
	char path[1100], base[512];
	t_resp *r;

	t_make_user("p1", "u1", "pw", &pid, &uid);
	snprintf(base, sizeof(base), "/v3/projects/%s/users/%s/roles", pid, uid);
	snprintf(path, sizeof(path), "%s/%s", base, reader);

	expect("HEAD", path, t_admin_token, 404);
	expect("PUT", path, t_admin_token, 204);
	expect("PUT", path, t_admin_token, 204); /* again: same answer */
	expect("HEAD", path, t_admin_token, 204);
	expect("GET", path, t_admin_token, 204);
	r = call_expect("GET", base, t_admin_token, 200);
	cr_assert_eq(t_len(r->json, "roles"), 2); /* member (from t_make_user) and reader */
	t_free(r);
	expect("DELETE", path, t_admin_token, 204);
	expect("DELETE", path, t_admin_token, 404);
	r = t_call("GET", base, t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "roles"), 1);
	t_free(r);

	/* unknown or malformed ids in the path: 404 */
	snprintf(path, sizeof(path), "%s/nosuchrole", base);
	expect("PUT", path, t_admin_token, 404);
	snprintf(path, sizeof(path), "/v3/projects/nosuch/users/%s/roles/%s", uid, reader);
	expect("PUT", path, t_admin_token, 404);
	snprintf(path, sizeof(path), "/v3/projects/nosuch/users/%s/roles", uid);
	expect("GET", path, t_admin_token, 404);

	/* a member may not grant */
	char *tok = t_token("u1", "pw", "p1");

	snprintf(path, sizeof(path), "%s/%s", base, reader);
	expect("PUT", path, tok, 403);
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
	expect("PUT", path, t_admin_token, 204);
	expect("HEAD", path, t_admin_token, 204);
	snprintf(path, sizeof(path), "/v3/domains/default/users/%s/roles", uid);
	r = call_expect("GET", path, t_admin_token, 200);
	cr_assert_eq(t_len(r->json, "roles"), 1);
	cr_assert_str_eq(t_str(r->json, "roles/0/name"), "reader");
	t_free(r);
	r = call_expect("GET", "/v3/role_assignments?scope.domain.id=default&include_names=True", t_admin_token, 200);
	cr_assert_eq(t_len(r->json, "role_assignments"), 1);
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/scope/domain/name"), "Default");
	t_free(r);
	snprintf(path, sizeof(path), "/v3/domains/default/users/%s/roles/%s", uid, reader);
	expect("DELETE", path, t_admin_token, 204);
	expect("GET", path, t_admin_token, 404);
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
	r = call_expect("GET", "/v3/role_assignments", t_admin_token, 200);
	cr_assert_geq(t_len(r->json, "role_assignments"), 2);
	t_free(r);

	snprintf(q, sizeof(q), "/v3/role_assignments?user.id=%s&scope.project.id=%s", uid, pid);
	r = call_expect("GET", q, t_admin_token, 200);
	cr_assert_eq(t_len(r->json, "role_assignments"), 1);
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/role/id"), member);
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/user/id"), uid);
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/scope/project/id"), pid);
	cr_assert_null(t_get(r->json, "role_assignments/0/role/name"));
	cr_assert_not_null(t_str(r->json, "role_assignments/0/links/assignment"));
	t_free(r);

	snprintf(q, sizeof(q), "/v3/role_assignments?user.id=%s&include_names=1", uid);
	r = call_expect("GET", q, t_admin_token, 200);
	cr_assert_eq(t_len(r->json, "role_assignments"), 1);
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/role/name"), "member");
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/user/name"), "u1");
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/user/domain/name"), "Default");
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/scope/project/name"), "p1");
	cr_assert_str_eq(t_str(r->json, "role_assignments/0/scope/project/domain/id"), "default");
	t_free(r);

	snprintf(q, sizeof(q), "/v3/role_assignments?role.id=%s", member);
	r = call_expect("GET", q, t_admin_token, 200);
	cr_assert_eq(t_len(r->json, "role_assignments"), 1);
	t_free(r);

	r = call_expect("GET", "/v3/role_assignments?scope.system=all", t_admin_token, 200);
	cr_assert_eq(t_len(r->json, "role_assignments"), 1, "%s", r->body); /* admin on the system */
	cr_assert(YAJL_IS_TRUE(t_get(r->json, "role_assignments/0/scope/system/all")));
	t_free(r);

	r = call_expect("GET", "/v3/role_assignments?group.id=abc", t_admin_token, 200);
	cr_assert_eq(t_len(r->json, "role_assignments"), 0);
	t_free(r);
	r = call_expect("GET", "/v3/role_assignments?user.id=nosuch", t_admin_token, 200);
	cr_assert_eq(t_len(r->json, "role_assignments"), 0);
	t_free(r);
	expect("GET", "/v3/role_assignments?scope.project.id=a&scope.domain.id=b", t_admin_token, 400);

	/* a member sees only its own */
	char *tok = t_token("u1", "pw", "p1");

	r = call_expect("GET", "/v3/role_assignments", tok, 200);
	cr_assert_eq(t_len(r->json, "role_assignments"), 1);
	t_free(r);
	free(tok);
	free(pid);
	free(uid);
	free(member);
}

/* Two projects with a member each (u1 on p1, u2 on p2) and u1's token. */
struct two {
	char *p1, *u1, *p2, *u2, *tok;
};

static void two_users(struct two *t)
{
	t_make_user("p1", "u1", "pw", &t->p1, &t->u1);
	t_make_user("p2", "u2", "pw", &t->p2, &t->u2);
	t->tok = t_token("u1", "pw", "p1");
	cr_assert_not_null(t->tok);
}

static void two_free(struct two *t)
{
	free(t->tok);
	free(t->p1);
	free(t->u1);
	free(t->p2);
	free(t->u2);
}

Test(api_grants, projects_of_a_user)
{
	struct two t;
	char path[256];
	t_resp *r;

	two_users(&t);
	snprintf(path, sizeof(path), "/v3/users/%s/projects", t.u1);
	r = call_expect("GET", path, t.tok, 200);
	cr_assert_eq(t_len(r->json, "projects"), 1);
	cr_assert_str_eq(t_str(r->json, "projects/0/id"), t.p1);
	t_free(r);
	r = call_expect("GET", path, t_admin_token, 200);
	cr_assert_eq(t_len(r->json, "projects"), 1);
	t_free(r);
	snprintf(path, sizeof(path), "/v3/users/%s/projects", t.u2);
	expect("GET", path, t.tok, 403);
	expect("GET", "/v3/users/nosuch/projects", t_admin_token, 404);
	two_free(&t);
}

Test(api_grants, a_user_of_one_project_sees_only_its_own)
{
	struct two t;
	char path[256];
	t_resp *r;

	two_users(&t);

	r = call_expect("GET", "/v3/auth/projects", t.tok, 200);
	cr_assert_eq(t_len(r->json, "projects"), 1);
	cr_assert_str_eq(t_str(r->json, "projects/0/name"), "p1");
	t_free(r);

	r = t_call("GET", "/v3/projects", t.tok, NULL);
	if (r->status == 200) {
		cr_assert_eq(t_len(r->json, "projects"), 1, "%s", r->body);
		cr_assert_str_eq(t_str(r->json, "projects/0/name"), "p1");
	} else {
		cr_assert_eq(r->status, 403, "%s", r->body);
	}
	t_free(r);

	snprintf(path, sizeof(path), "/v3/projects/%s", t.p2);
	r = t_call("GET", path, t.tok, NULL);
	cr_assert(r->status == 403 || r->status == 404, "%d %s", r->status, r->body);
	t_free(r);
	snprintf(path, sizeof(path), "/v3/projects/%s", t.p1);
	expect("GET", path, t.tok, 200);

	/* members do not administer */
	r = t_call("POST", "/v3/projects", t.tok, "{\"project\":{\"name\":\"mine\"}}");
	cr_assert_eq(r->status, 403, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "error/title"), "Forbidden");
	t_free(r);
	expect("GET", "/v3/users", t.tok, 403);
	snprintf(path, sizeof(path), "/v3/users/%s", t.u2);
	r = t_call("DELETE", path, t.tok, NULL);
	cr_assert(r->status == 403 || r->status == 404, "%d %s", r->status, r->body);
	t_free(r);
	snprintf(path, sizeof(path), "/v3/users/%s", t.u1);
	expect("GET", path, t.tok, 200); /* its own user */
	two_free(&t);
}
