/* Role assignments through the public API: grant, check, list, revoke, and bad grants. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcloud/libcloud.h>

#include "cloudfixture.h"

static char member_role[64], reader_role[64], admin_role[64];
static char user[64], user2[64], project[64], project2[64], domain[64];

#define UNKNOWN_ID "0190b0c2-0000-7000-8000-0000000000ee"

static void mkuser(char out[64], const char *name)
{
	lc_user_opts o = LC_USER_OPTS_INIT;
	lc_user *u = NULL;

	o.name = name;
	o.password = "user-pw";
	ASSERT_RC(lc_user_create(&u, sys, &o), 0);
	snprintf(out, 64, "%s", lc_user_id(u));
	lc_user_free(u);
}

/* The fixture's cloud with the built-in roles' ids, two users, two projects and a domain. */
static void setup_assignment(void)
{
	lc_domain_opts d = LC_DOMAIN_OPTS_INIT;
	lc_domain *dom = NULL;

	setup();
	fx_role_id(member_role, "member");
	fx_role_id(reader_role, "reader");
	fx_role_id(admin_role, "admin");
	mkuser(user, "ursula");
	mkuser(user2, "victor");
	fx_project(project, "p1");
	fx_project(project2, "p2");
	d.name = "dom";
	ASSERT_RC(lc_domain_create(&dom, sys, &d), 0);
	snprintf(domain, sizeof(domain), "%s", lc_domain_id(dom));
	lc_domain_free(dom);
}

TestSuite(assignment, .init = setup_assignment, .fini = teardown, .timeout = 60);

static lc_grant grant(const char *role, const char *who, const char *proj, const char *dom, int system)
{
	lc_grant g = LC_GRANT_INIT;

	g.role_id = role;
	g.user_id = who;
	g.project_id = proj;
	g.domain_id = dom;
	g.system = system;
	return g;
}

/* Assignments matching a filter (NULL: all) as seen by s. */
static int count_assignments(lc_session *s, const lc_grant *filter)
{
	lc_role_assignment_iter *it = NULL;
	lc_role_assignment *a;
	int n = 0, rc;

	ASSERT_RC(lc_role_assignment_iter_new(&it, s, filter), 0);
	while ((rc = lc_role_assignment_iter_next(&a, it)) == 0) {
		n++;
		lc_role_assignment_free(a);
	}
	ASSERT_RC(rc, LC_ITEROVER);
	lc_role_assignment_iter_free(it);
	return n;
}

/* ---- grant, check, revoke ---- */

Test(assignment, grants_on_a_project_a_domain_and_the_system_are_checked_and_listed)
{
	lc_grant gp = grant(member_role, user, project, NULL, 0);
	lc_grant gd = grant(reader_role, user, NULL, domain, 0);
	lc_grant gs = grant(admin_role, user, NULL, NULL, 1);
	lc_grant f = LC_GRANT_INIT;
	lc_role_assignment_iter *it = NULL;
	lc_role_assignment *a = NULL;

	ASSERT_RC(lc_role_grant(sys, &gp), 0);
	ASSERT_RC(lc_role_grant(sys, &gd), 0);
	ASSERT_RC(lc_role_grant(sys, &gs), 0);
	ASSERT_RC(lc_role_check(sys, &gp), 0);
	ASSERT_RC(lc_role_check(sys, &gd), 0);
	ASSERT_RC(lc_role_check(sys, &gs), 0);

	f.user_id = user;
	cr_assert_eq(count_assignments(sys, &f), 3);
	f.project_id = project;
	ASSERT_RC(lc_role_assignment_iter_new(&it, sys, &f), 0);
	ASSERT_RC(lc_role_assignment_iter_next(&a, it), 0);
	cr_assert_str_eq(lc_role_assignment_role_id(a), member_role);
	cr_assert_str_eq(lc_role_assignment_user_id(a), user);
	cr_assert_str_eq(lc_role_assignment_project_id(a), project);
	cr_assert_null(lc_role_assignment_domain_id(a));
	cr_assert_not(lc_role_assignment_system(a));
	lc_role_assignment_free(a);
	ASSERT_RC(lc_role_assignment_iter_next(&a, it), LC_ITEROVER);
	lc_role_assignment_iter_free(it);

	f = (lc_grant)LC_GRANT_INIT;
	f.domain_id = domain;
	cr_assert_eq(count_assignments(sys, &f), 1);
	f = (lc_grant)LC_GRANT_INIT;
	f.system = 1;
	cr_assert_eq(count_assignments(sys, &f), 2, "bootstrap's admin and ours");
	f = (lc_grant)LC_GRANT_INIT;
	f.role_id = reader_role;
	cr_assert_eq(count_assignments(sys, &f), 1);

	ASSERT_RC(lc_role_revoke(sys, &gp), 0);
	ASSERT_RC(lc_role_check(sys, &gp), LC_ENOTFOUND);
	ASSERT_RC(lc_role_check(sys, &gd), 0);
	f = (lc_grant)LC_GRANT_INIT;
	f.user_id = user;
	cr_assert_eq(count_assignments(sys, &f), 2);
}

Test(assignment, granting_twice_is_one_assignment)
{
	lc_grant g = grant(member_role, user, project, NULL, 0), f = LC_GRANT_INIT;

	ASSERT_RC(lc_role_grant(sys, &g), 0);
	ASSERT_RC(lc_role_grant(sys, &g), 0);
	f.user_id = user;
	cr_assert_eq(count_assignments(sys, &f), 1);
	ASSERT_RC(lc_role_revoke(sys, &g), 0);
	cr_assert_eq(count_assignments(sys, &f), 0);
}

Test(assignment, revoking_or_checking_a_missing_grant_is_not_found)
{
	lc_grant g = grant(member_role, user, project, NULL, 0), other = grant(reader_role, user, project, NULL, 0);
	lc_grant f = LC_GRANT_INIT;
	int before = count_assignments(sys, NULL);

	ASSERT_REJECTS(lc_role_revoke(sys, &g), LC_ENOTFOUND, "assignment");
	ASSERT_REJECTS(lc_role_check(sys, &g), LC_ENOTFOUND, "assignment");
	ASSERT_RC(lc_role_grant(sys, &other), 0);
	ASSERT_RC(lc_role_revoke(sys, &g), LC_ENOTFOUND); /* another role on the same target */
	g.project_id = project2;
	g.role_id = reader_role;
	ASSERT_RC(lc_role_revoke(sys, &g), LC_ENOTFOUND); /* the same role on another target */
	f.user_id = user;
	cr_assert_eq(count_assignments(sys, &f), 1);
	cr_assert_eq(count_assignments(sys, NULL), before + 1);
}

Test(assignment, deleting_a_domain_removes_the_grants_on_it)
{
	lc_grant g = grant(reader_role, user, NULL, domain, 0), f = LC_GRANT_INIT;
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;

	ASSERT_RC(lc_role_grant(sys, &g), 0);
	o.enabled = 0;
	ASSERT_RC(lc_domain_update(NULL, sys, domain, &o), 0);
	ASSERT_RC(lc_domain_delete(sys, domain, 0), 0);
	f.user_id = user;
	cr_assert_eq(count_assignments(sys, &f), 0);
	ASSERT_RC(lc_role_check(sys, &g), LC_ENOTFOUND);
}

/* ---- bad grants change nothing ---- */

Test(assignment, a_grant_needs_exactly_one_target)
{
	lc_grant none = grant(member_role, user, NULL, NULL, 0);
	lc_grant pd = grant(member_role, user, project, domain, 0);
	lc_grant ps = grant(member_role, user, project, NULL, 1);
	lc_grant ds = grant(member_role, user, NULL, domain, 1);
	lc_grant all = grant(member_role, user, project, domain, 1);
	lc_grant sys2 = grant(member_role, user, NULL, NULL, 2);
	const lc_grant *bad[] = { &none, &pd, &ps, &ds, &all };
	int before = count_assignments(sys, NULL);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_REJECTS(lc_role_grant(sys, bad[i]), LC_EINVALID, "target");
		ASSERT_REJECTS(lc_role_revoke(sys, bad[i]), LC_EINVALID, "target");
		ASSERT_REJECTS(lc_role_check(sys, bad[i]), LC_EINVALID, "target");
	}
	ASSERT_REJECTS(lc_role_grant(sys, &sys2), LC_EINVALID, "system");
	cr_assert_eq(count_assignments(sys, NULL), before);
}

Test(assignment, malformed_ids_are_invalid)
{
	lc_grant g;
	int before = count_assignments(sys, NULL);

	g = grant("member", user, project, NULL, 0);
	ASSERT_REJECTS(lc_role_grant(sys, &g), LC_EINVALID, "role_id");
	g = grant(NULL, user, project, NULL, 0);
	ASSERT_REJECTS(lc_role_grant(sys, &g), LC_EINVALID, "role_id");
	g = grant(member_role, "ursula", project, NULL, 0);
	ASSERT_REJECTS(lc_role_grant(sys, &g), LC_EINVALID, "user_id");
	g = grant(member_role, NULL, project, NULL, 0);
	ASSERT_REJECTS(lc_role_grant(sys, &g), LC_EINVALID, "user_id");
	g = grant(member_role, user, "p1", NULL, 0);
	ASSERT_REJECTS(lc_role_grant(sys, &g), LC_EINVALID, "project_id");
	g = grant(member_role, user, NULL, "dom", 0);
	ASSERT_REJECTS(lc_role_grant(sys, &g), LC_EINVALID, "domain_id");
	g = grant(member_role, user, project, NULL, 0);
	g.version = 0;
	ASSERT_REJECTS(lc_role_grant(sys, &g), LC_EINVALID, "version");
	ASSERT_RC(lc_role_grant(sys, NULL), LC_EINVALID);
	ASSERT_RC(lc_role_grant(NULL, &g), LC_EINVALID);
	cr_assert_eq(count_assignments(sys, NULL), before);
}

Test(assignment, unknown_roles_users_and_targets_are_not_found)
{
	lc_grant g;
	int before = count_assignments(sys, NULL);

	g = grant(UNKNOWN_ID, user, project, NULL, 0);
	ASSERT_REJECTS(lc_role_grant(sys, &g), LC_ENOTFOUND, UNKNOWN_ID);
	g = grant(member_role, UNKNOWN_ID, project, NULL, 0);
	ASSERT_REJECTS(lc_role_grant(sys, &g), LC_ENOTFOUND, UNKNOWN_ID);
	g = grant(member_role, user, UNKNOWN_ID, NULL, 0);
	ASSERT_REJECTS(lc_role_grant(sys, &g), LC_ENOTFOUND, UNKNOWN_ID);
	g = grant(member_role, user, NULL, UNKNOWN_ID, 0);
	ASSERT_REJECTS(lc_role_grant(sys, &g), LC_ENOTFOUND, UNKNOWN_ID);
	/* A domain id is not a project id, and the reverse. */
	g = grant(member_role, user, domain, NULL, 0);
	ASSERT_RC(lc_role_grant(sys, &g), LC_ENOTFOUND);
	g = grant(member_role, user, NULL, project, 0);
	ASSERT_RC(lc_role_grant(sys, &g), LC_ENOTFOUND);
	cr_assert_eq(count_assignments(sys, NULL), before);
}

Test(assignment, filters_are_checked)
{
	lc_role_assignment_iter *it = (lc_role_assignment_iter *)1;
	lc_grant f = LC_GRANT_INIT;

	f.user_id = "nobody";
	ASSERT_REJECTS(lc_role_assignment_iter_new(&it, sys, &f), LC_EINVALID, "user_id");
	cr_assert_null(it);
	f = (lc_grant)LC_GRANT_INIT;
	f.version = 9;
	ASSERT_RC(lc_role_assignment_iter_new(&it, sys, &f), LC_EINVALID);
	ASSERT_RC(lc_role_assignment_iter_new(NULL, sys, NULL), LC_EINVALID);
	f = (lc_grant)LC_GRANT_INIT;
	f.user_id = UNKNOWN_ID;
	cr_assert_eq(count_assignments(sys, &f), 0);
}

/* ---- effects on sessions ---- */

static int login_project(lc_session **out, const char *who, const char *proj)
{
	lc_auth_opts a = LC_AUTH_OPTS_INIT;

	a.user_id = who;
	a.password = "user-pw";
	a.scope = LC_SCOPE_PROJECT;
	a.project_id = proj;
	return lc_session_password(out, cloud, &a);
}

Test(assignment, a_role_is_needed_to_scope_to_a_project_and_a_revoke_ends_it)
{
	lc_grant g = grant(member_role, user, project, NULL, 0);
	lc_session *s = NULL, *v = NULL;
	char token[512];

	ASSERT_REJECTS(login_project(&s, user, project), LC_EAUTH, "role");
	cr_assert_null(s);
	ASSERT_RC(lc_role_grant(sys, &g), 0);
	ASSERT_RC(login_project(&s, user, project), 0);
	cr_assert(lc_session_has_role(s, "member"));
	cr_assert(lc_session_has_role(s, "reader"), "member implies reader");
	cr_assert_not(lc_session_has_role(s, "admin"));
	snprintf(token, sizeof(token), "%s", lc_session_token_id(s));
	lc_session_free(s);
	ASSERT_RC(lc_session_token(&v, cloud, token), 0);
	lc_session_free(v);
	ASSERT_RC(lc_role_revoke(sys, &g), 0);
	ASSERT_RC(lc_session_token(&v, cloud, token), LC_EAUTH);
	cr_assert_null(v);
}

Test(assignment, roles_on_one_project_do_not_reach_another)
{
	lc_grant g = grant(member_role, user, project, NULL, 0);
	lc_session *s = NULL;

	ASSERT_RC(lc_role_grant(sys, &g), 0);
	ASSERT_RC(login_project(&s, user, project2), LC_EAUTH);
	ASSERT_RC(login_project(&s, user2, project), LC_EAUTH);
}

Test(assignment, a_non_admin_cannot_grant_and_lists_only_its_own_assignments)
{
	lc_grant g = grant(member_role, user, project, NULL, 0);
	lc_grant g2 = grant(reader_role, user2, project2, NULL, 0);
	lc_grant escalate = grant(admin_role, user, project, NULL, 0);
	lc_session *s = NULL;
	lc_role_assignment_iter *it = NULL;
	lc_role_assignment *a = NULL;
	int before;

	ASSERT_RC(lc_role_grant(sys, &g), 0);
	ASSERT_RC(lc_role_grant(sys, &g2), 0);
	ASSERT_RC(login_project(&s, user, project), 0);
	before = count_assignments(sys, NULL);
	ASSERT_RC(lc_role_grant(s, &escalate), LC_EFORBIDDEN);
	ASSERT_RC(lc_role_revoke(s, &g2), LC_EFORBIDDEN);
	ASSERT_RC(lc_role_check(s, &g2), LC_EFORBIDDEN);
	cr_assert_eq(count_assignments(sys, NULL), before);
	ASSERT_RC(lc_role_check(sys, &escalate), LC_ENOTFOUND);

	ASSERT_RC(lc_role_assignment_iter_new(&it, s, NULL), 0);
	ASSERT_RC(lc_role_assignment_iter_next(&a, it), 0);
	cr_assert_str_eq(lc_role_assignment_user_id(a), user);
	lc_role_assignment_free(a);
	ASSERT_RC(lc_role_assignment_iter_next(&a, it), LC_ITEROVER);
	lc_role_assignment_iter_free(it);
	lc_session_free(s);
}

Test(assignment, grant_init_fills_defaults_and_checks_the_version)
{
	lc_grant g;

	memset(&g, 0x5a, sizeof(g));
	ASSERT_RC(lc_grant_init(&g, LC_GRANT_VERSION), 0);
	cr_assert_eq(g.version, LC_GRANT_VERSION);
	cr_assert_null(g.role_id);
	cr_assert_null(g.user_id);
	cr_assert_null(g.project_id);
	cr_assert_null(g.domain_id);
	cr_assert_eq(g.system, 0);
	ASSERT_RC(lc_grant_init(&g, 0), LC_EINVALID);
	ASSERT_RC(lc_grant_init(NULL, 1), LC_EINVALID);
}
