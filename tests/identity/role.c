/* Roles through the public API: built-in roles, custom roles, listing, and bad input. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcloud/libcloud.h>

#include "cloudfixture.h"

TestSuite(role, .init = setup, .fini = teardown, .timeout = 60);

#define UNKNOWN_ID "0190b0c2-0000-7000-8000-0000000000dd"

static int count_roles(lc_session *s, const char *const *filters)
{
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_role_iter *it = NULL;
	lc_role *r;
	int n = 0, rc;

	lo.filters = filters;
	ASSERT_RC(lc_role_iter_new(&it, s, &lo), 0);
	while ((rc = lc_role_iter_next(&r, it)) == 0) {
		n++;
		lc_role_free(r);
	}
	ASSERT_RC(rc, LC_ITEROVER);
	lc_role_iter_free(it);
	return n;
}

static void mkrole(char out[64], const char *name, const char *description)
{
	lc_role_opts o = LC_ROLE_OPTS_INIT;
	lc_role *r = NULL;

	o.name = name;
	o.description = description;
	ASSERT_RC(lc_role_create(&r, sys, &o), 0);
	if (out)
		snprintf(out, 64, "%s", lc_role_id(r));
	lc_role_free(r);
}

/* ---- built-in roles ---- */

Test(role, bootstrap_creates_admin_member_and_reader)
{
	const char *names[] = { "admin", "member", "reader" };
	const char *only[] = { "name", "member", NULL };

	for (int i = 0; i < 3; i++) {
		lc_role *r = NULL, *g = NULL;
		ASSERT_RC(lc_role_find(&r, sys, names[i]), 0);
		cr_assert_str_eq(lc_role_name(r), names[i]);
		ASSERT_RC(lc_role_get(&g, sys, lc_role_id(r)), 0);
		cr_assert_str_eq(lc_role_name(g), names[i]);
		lc_role_free(g);
		lc_role_free(r);
	}
	cr_assert_eq(count_roles(sys, NULL), 3);
	cr_assert_eq(count_roles(sys, only), 1);
}

Test(role, bootstrap_again_changes_nothing)
{
	lc_bootstrap_opts b = LC_BOOTSTRAP_OPTS_INIT;

	b.admin_password = "another-pw";
	ASSERT_RC(lc_cloud_bootstrap(cloud, &b), 0);
	cr_assert_eq(count_roles(sys, NULL), 3);
}

Test(role, built_in_roles_cannot_be_deleted_or_renamed)
{
	const char *names[] = { "admin", "member", "reader" };
	lc_role_opts o = LC_ROLE_OPTS_INIT;

	for (int i = 0; i < 3; i++) {
		char id[64];
		lc_role *g = NULL;

		fx_role_id(id, names[i]);
		ASSERT_REJECTS(lc_role_delete(sys, id, 0), LC_ECONFLICT, names[i]);
		o.name = "renamed";
		ASSERT_REJECTS(lc_role_update(&g, sys, id, &o), LC_ECONFLICT, names[i]);
		cr_assert_null(g);
		ASSERT_RC(lc_role_get(&g, sys, id), 0);
		cr_assert_str_eq(lc_role_name(g), names[i]);
		lc_role_free(g);
	}
	/* Their description may change, and keeping the same name is no rename. */
	{
		char id[64];
		lc_role *g = NULL;

		fx_role_id(id, "reader");
		o.name = "reader";
		o.description = "can look";
		ASSERT_RC(lc_role_update(&g, sys, id, &o), 0);
		cr_assert_str_eq(lc_role_description(g), "can look");
		lc_role_free(g);
	}
	cr_assert_eq(count_roles(sys, NULL), 3);
}

/* ---- custom roles ---- */

Test(role, custom_roles_are_created_renamed_and_deleted)
{
	char id[64];
	lc_role_opts o = LC_ROLE_OPTS_INIT;
	lc_role *g = NULL;

	mkrole(id, "auditor", "reads the logs");
	ASSERT_RC(lc_role_get(&g, sys, id), 0);
	cr_assert_str_eq(lc_role_name(g), "auditor");
	cr_assert_str_eq(lc_role_description(g), "reads the logs");
	lc_role_free(g);
	o.name = "inspector";
	ASSERT_RC(lc_role_update(&g, sys, id, &o), 0);
	cr_assert_str_eq(lc_role_name(g), "inspector");
	cr_assert_str_eq(lc_role_description(g), "reads the logs");
	lc_role_free(g);
	ASSERT_RC(lc_role_find(&g, sys, "auditor"), LC_ENOTFOUND);
	ASSERT_RC(lc_role_delete(sys, id, 0), 0);
	ASSERT_RC(lc_role_get(&g, sys, id), LC_ENOTFOUND);
	cr_assert_eq(count_roles(sys, NULL), 3);
}

Test(role, deleting_a_custom_role_removes_its_assignments)
{
	char role[64];
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_user *u = NULL;
	lc_grant g = LC_GRANT_INIT, f = LC_GRANT_INIT;
	lc_role_assignment_iter *it = NULL;
	lc_role_assignment *a = NULL;

	mkrole(role, "temporary", NULL);
	uo.name = "temp-holder";
	ASSERT_RC(lc_user_create(&u, sys, &uo), 0);
	g.role_id = role;
	g.user_id = lc_user_id(u);
	g.domain_id = LC_DEFAULT_DOMAIN_ID;
	ASSERT_RC(lc_role_grant(sys, &g), 0);
	ASSERT_RC(lc_role_delete(sys, role, 0), 0);
	f.role_id = role;
	ASSERT_RC(lc_role_assignment_iter_new(&it, sys, &f), 0);
	ASSERT_RC(lc_role_assignment_iter_next(&a, it), LC_ITEROVER);
	lc_role_assignment_iter_free(it);
	ASSERT_RC(lc_role_check(sys, &g), LC_ENOTFOUND);
	lc_user_free(u);
}

Test(role, duplicate_names_conflict_and_store_nothing)
{
	char a[64], b[64];
	lc_role_opts o = LC_ROLE_OPTS_INIT;
	lc_role *g = NULL;

	mkrole(a, "dup", NULL);
	mkrole(b, "other", NULL);
	o.name = "dup";
	ASSERT_REJECTS(lc_role_create(&g, sys, &o), LC_EEXISTS, "name");
	cr_assert_null(g);
	o.name = "admin";
	ASSERT_REJECTS(lc_role_create(&g, sys, &o), LC_EEXISTS, "name");
	o.name = "dup";
	ASSERT_REJECTS(lc_role_update(&g, sys, b, &o), LC_EEXISTS, "name");
	o.name = "member";
	ASSERT_RC(lc_role_update(&g, sys, b, &o), LC_EEXISTS);
	ASSERT_RC(lc_role_get(&g, sys, b), 0);
	cr_assert_str_eq(lc_role_name(g), "other");
	lc_role_free(g);
	cr_assert_eq(count_roles(sys, NULL), 5);
}

/* ---- bad input ---- */

static void expect_create_rejected(const char *name, const char *description, const char *what)
{
	lc_role_opts o = LC_ROLE_OPTS_INIT;
	lc_role *r = (lc_role *)1;
	int before = count_roles(sys, NULL);

	o.name = name;
	o.description = description;
	ASSERT_REJECTS(lc_role_create(&r, sys, &o), LC_EINVALID, what);
	cr_assert_null(r);
	cr_assert_eq(count_roles(sys, NULL), before);
}

Test(role, names_and_descriptions_are_checked)
{
	char n64[65], n65[66], d255[256], d256[257];

	memset(n64, 'r', 64);
	n64[64] = '\0';
	memset(n65, 's', 65);
	n65[65] = '\0';
	memset(d255, 'd', 255);
	d255[255] = '\0';
	memset(d256, 'e', 256);
	d256[256] = '\0';
	mkrole(NULL, n64, d255);
	expect_create_rejected(n65, NULL, "name");
	expect_create_rejected("r256", d256, "description");
	expect_create_rejected("", NULL, "name");
	expect_create_rejected("\t", NULL, "name");
	expect_create_rejected(NULL, NULL, "name");
	expect_create_rejected("\xc3", NULL, "UTF-8");
	expect_create_rejected("ok", "\xe0\x80\x80", "UTF-8");
	expect_create_rejected("a\x1b", NULL, "control");
	{
		lc_role *r = NULL;
		lc_role_opts o = LC_ROLE_OPTS_INIT;

		ASSERT_REJECTS(lc_role_find(&r, sys, n65), LC_EINVALID, "name");
		ASSERT_RC(lc_role_create(&r, sys, NULL), LC_EINVALID);
		o.name = "vers";
		o.version = 2;
		ASSERT_REJECTS(lc_role_create(&r, sys, &o), LC_EINVALID, "version");
	}
}

Test(role, finding_an_empty_name_finds_nothing)
{
	lc_role *r = NULL;
	int rc;

	for (int ch = '0'; ch <= 'z'; ch++) {
		char name[2] = { (char)ch, 0 };
		mkrole(NULL, name, NULL);
	}
	rc = lc_role_find(&r, sys, "");
	cr_assert(rc == LC_EINVALID || rc == LC_ENOTFOUND, "find(\"\") = %d (%s), found '%s'", rc, msg(),
		  r ? lc_role_name(r) : "");
	cr_assert_null(r);
}

Test(role, malformed_ids_are_invalid_and_unknown_ids_not_found)
{
	lc_role_opts o = LC_ROLE_OPTS_INIT;
	lc_role *r = NULL;

	o.description = "x";
	ASSERT_REJECTS(lc_role_get(&r, sys, "admin"), LC_EINVALID, "id");
	ASSERT_REJECTS(lc_role_update(NULL, sys, "0190b0c2-0000-7000-8000", &o), LC_EINVALID, "id");
	ASSERT_REJECTS(lc_role_delete(sys, "", 0), LC_EINVALID, "id");
	ASSERT_REJECTS(lc_role_get(&r, sys, UNKNOWN_ID), LC_ENOTFOUND, UNKNOWN_ID);
	ASSERT_RC(lc_role_update(NULL, sys, UNKNOWN_ID, &o), LC_ENOTFOUND);
	ASSERT_RC(lc_role_delete(sys, UNKNOWN_ID, 0), LC_ENOTFOUND);
	ASSERT_RC(lc_role_find(&r, sys, "nonexistent"), LC_ENOTFOUND);
	ASSERT_RC(lc_role_find(&r, sys, NULL), LC_EINVALID);
	{
		char id[64];
		mkrole(id, "flagged", NULL);
		ASSERT_REJECTS(lc_role_delete(sys, id, 4), LC_EINVALID, "flags");
		ASSERT_RC(lc_role_get(&r, sys, id), 0);
		lc_role_free(r);
	}
}

/* ---- listing and policy ---- */

Test(role, marker_limit_and_name_filter_page_through_roles)
{
	char ids[4][64];
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_role_iter *it = NULL;
	lc_role *r;
	const char *bad[] = { "description", "x", NULL };
	int n = 0;

	for (int i = 0; i < 4; i++) {
		char name[16];
		snprintf(name, sizeof(name), "page-%d", i);
		mkrole(ids[i], name, NULL);
	}
	lo.marker = ids[0];
	lo.limit = 2;
	ASSERT_RC(lc_role_iter_new(&it, sys, &lo), 0);
	while (lc_role_iter_next(&r, it) == 0) {
		cr_assert_str_eq(lc_role_id(r), ids[1 + n]);
		n++;
		lc_role_free(r);
	}
	lc_role_iter_free(it);
	cr_assert_eq(n, 2);
	lo.marker = UNKNOWN_ID;
	ASSERT_REJECTS(lc_role_iter_new(&it, sys, &lo), LC_EINVALID, "marker");
	lo.marker = NULL;
	lo.filters = bad;
	ASSERT_RC(lc_role_iter_new(&it, sys, &lo), LC_EINVALID);
}

Test(role, a_member_may_read_roles_but_not_change_them)
{
	lc_project_opts po = LC_PROJECT_OPTS_INIT;
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_auth_opts a = LC_AUTH_OPTS_INIT;
	lc_grant g = LC_GRANT_INIT;
	lc_project *p = NULL;
	lc_user *u = NULL;
	lc_role *member = NULL, *r = NULL;
	lc_session *s = NULL;
	lc_role_opts o = LC_ROLE_OPTS_INIT;
	char id[64];

	po.name = "proj";
	ASSERT_RC(lc_project_create(&p, sys, &po), 0);
	uo.name = "plain";
	uo.password = "plain-pw";
	ASSERT_RC(lc_user_create(&u, sys, &uo), 0);
	ASSERT_RC(lc_role_find(&member, sys, "member"), 0);
	g.role_id = lc_role_id(member);
	g.user_id = lc_user_id(u);
	g.project_id = lc_project_id(p);
	ASSERT_RC(lc_role_grant(sys, &g), 0);
	a.user_id = lc_user_id(u);
	a.password = "plain-pw";
	a.scope = LC_SCOPE_PROJECT;
	a.project_id = lc_project_id(p);
	ASSERT_RC(lc_session_password(&s, cloud, &a), 0);

	cr_assert_eq(count_roles(s, NULL), 3);
	ASSERT_RC(lc_role_find(&r, s, "admin"), 0);
	lc_role_free(r);
	o.name = "self-made";
	ASSERT_RC(lc_role_create(&r, s, &o), LC_EFORBIDDEN);
	mkrole(id, "custom", NULL);
	ASSERT_RC(lc_role_update(NULL, s, id, &o), LC_EFORBIDDEN);
	ASSERT_RC(lc_role_delete(s, id, 0), LC_EFORBIDDEN);
	cr_assert_eq(count_roles(sys, NULL), 4);
	lc_session_free(s);
	lc_role_free(member);
	lc_user_free(u);
	lc_project_free(p);
}

Test(role, opts_init_fills_defaults_and_checks_the_version)
{
	lc_role_opts o;

	memset(&o, 0x5a, sizeof(o));
	ASSERT_RC(lc_role_opts_init(&o, LC_ROLE_OPTS_VERSION), 0);
	cr_assert_eq(o.version, LC_ROLE_OPTS_VERSION);
	cr_assert_null(o.name);
	cr_assert_null(o.description);
	ASSERT_RC(lc_role_opts_init(&o, 0), LC_EINVALID);
	ASSERT_RC(lc_role_opts_init(NULL, 1), LC_EINVALID);
}
