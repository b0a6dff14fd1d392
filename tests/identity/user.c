/* Users through the public API: CRUD, listing, visibility, and bad input that changes nothing. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcloud/libcloud.h>

#include "cloudfixture.h"

TestSuite(user, .init = setup, .fini = teardown, .timeout = 60);

#define UNKNOWN_ID "0190b0c2-0000-7000-8000-0000000000cc"

static int count_users(lc_session *s, const char *const *filters)
{
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_user_iter *it = NULL;
	lc_user *u;
	int n = 0, rc;

	lo.filters = filters;
	ASSERT_RC(lc_user_iter_new(&it, s, &lo), 0);
	while ((rc = lc_user_iter_next(&u, it)) == 0) {
		n++;
		lc_user_free(u);
	}
	ASSERT_RC(rc, LC_ITEROVER);
	lc_user_iter_free(it);
	return n;
}

static void mkuser(char out[64], const char *name, const char *domain_id, const char *project, const char *pw)
{
	lc_user_opts o = LC_USER_OPTS_INIT;
	lc_user *u = NULL;

	o.name = name;
	o.domain_id = domain_id;
	o.default_project_id = project;
	o.password = pw;
	ASSERT_RC(lc_user_create(&u, sys, &o), 0);
	if (out)
		snprintf(out, 64, "%s", lc_user_id(u));
	lc_user_free(u);
}

static void mkdomain(char out[64], const char *name)
{
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;
	lc_domain *d = NULL;

	o.name = name;
	ASSERT_RC(lc_domain_create(&d, sys, &o), 0);
	snprintf(out, 64, "%s", lc_domain_id(d));
	lc_domain_free(d);
}

/* 0 if the password authenticates the user (unscoped), else the error. */
static int try_password(const char *user_id, const char *pw)
{
	lc_auth_opts a = LC_AUTH_OPTS_INIT;
	lc_session *s = NULL;
	int rc;

	a.user_id = user_id;
	a.password = pw;
	rc = lc_session_password(&s, cloud, &a);
	lc_session_free(s);
	return rc;
}

/* ---- CRUD ---- */

Test(user, create_get_find_update_and_delete)
{
	char proj[64], id[64];
	lc_user_opts o = LC_USER_OPTS_INIT;
	lc_user *u = NULL, *g = NULL;

	fx_project(proj, "home");
	o.name = "dave";
	o.description = "ops";
	o.default_project_id = proj;
	o.password = "dave-pw";
	ASSERT_RC(lc_user_create(&u, sys, &o), 0);
	cr_assert_str_eq(lc_user_name(u), "dave");
	cr_assert_str_eq(lc_user_domain_id(u), LC_DEFAULT_DOMAIN_ID);
	cr_assert_str_eq(lc_user_default_project_id(u), proj);
	cr_assert_str_eq(lc_user_description(u), "ops");
	cr_assert(lc_user_enabled(u));
	snprintf(id, sizeof(id), "%s", lc_user_id(u));
	lc_user_free(u);

	ASSERT_RC(lc_user_get(&g, sys, id), 0);
	cr_assert_str_eq(lc_user_name(g), "dave");
	lc_user_free(g);
	ASSERT_RC(lc_user_find(&g, sys, NULL, "dave"), 0);
	cr_assert_str_eq(lc_user_id(g), id);
	lc_user_free(g);
	ASSERT_RC(try_password(id, "dave-pw"), 0);

	o = (lc_user_opts)LC_USER_OPTS_INIT;
	o.name = "david";
	o.default_project_id = "";
	o.password = "new-pw";
	ASSERT_RC(lc_user_update(&g, sys, id, &o), 0);
	cr_assert_str_eq(lc_user_name(g), "david");
	cr_assert_null(lc_user_default_project_id(g), "\"\" clears the default project");
	cr_assert_str_eq(lc_user_description(g), "ops");
	lc_user_free(g);
	ASSERT_RC(try_password(id, "dave-pw"), LC_EAUTH);
	ASSERT_RC(try_password(id, "new-pw"), 0);

	ASSERT_RC(lc_user_delete(sys, id, 0), 0);
	ASSERT_RC(lc_user_get(&g, sys, id), LC_ENOTFOUND);
	ASSERT_RC(lc_user_find(&g, sys, NULL, "david"), LC_ENOTFOUND);
	ASSERT_RC(try_password(id, "new-pw"), LC_EAUTH);
}

Test(user, a_user_without_a_password_cannot_authenticate)
{
	char id[64];

	mkuser(id, "service", NULL, NULL, NULL);
	ASSERT_RC(try_password(id, "anything"), LC_EAUTH);
	ASSERT_RC(try_password(id, ""), LC_EAUTH);
}

Test(user, a_default_project_must_exist)
{
	lc_user_opts o = LC_USER_OPTS_INIT;
	char id[64];

	o.name = "wanderer";
	o.default_project_id = UNKNOWN_ID;
	ASSERT_REJECTS(lc_user_create(NULL, sys, &o), LC_ENOTFOUND, UNKNOWN_ID);
	o.default_project_id = "nope";
	ASSERT_REJECTS(lc_user_create(NULL, sys, &o), LC_EINVALID, "default_project_id");
	cr_assert_eq(count_users(sys, NULL), 1);
	mkuser(id, "settled", NULL, NULL, NULL);
	o = (lc_user_opts)LC_USER_OPTS_INIT;
	o.default_project_id = UNKNOWN_ID;
	ASSERT_RC(lc_user_update(NULL, sys, id, &o), LC_ENOTFOUND);
}

Test(user, the_domain_must_exist_and_cannot_change)
{
	lc_user_opts o = LC_USER_OPTS_INIT;
	char dom[64], id[64];
	lc_user *g = NULL;

	o.name = "nowhere";
	o.domain_id = UNKNOWN_ID;
	ASSERT_REJECTS(lc_user_create(NULL, sys, &o), LC_ENOTFOUND, UNKNOWN_ID);
	cr_assert_eq(count_users(sys, NULL), 1);
	mkdomain(dom, "elsewhere");
	mkuser(id, "stayer", NULL, NULL, NULL);
	o = (lc_user_opts)LC_USER_OPTS_INIT;
	o.domain_id = dom;
	ASSERT_REJECTS(lc_user_update(NULL, sys, id, &o), LC_EINVALID, "domain_id");
	ASSERT_RC(lc_user_get(&g, sys, id), 0);
	cr_assert_str_eq(lc_user_domain_id(g), LC_DEFAULT_DOMAIN_ID);
	lc_user_free(g);
}

Test(user, deleting_a_user_removes_its_role_assignments)
{
	char id[64], proj[64];
	lc_grant g = LC_GRANT_INIT, f = LC_GRANT_INIT;
	lc_role *r = NULL;
	lc_role_assignment_iter *it = NULL;
	lc_role_assignment *a = NULL;

	fx_project(proj, "p");
	mkuser(id, "leaver", NULL, NULL, "pw");
	ASSERT_RC(lc_role_find(&r, sys, "member"), 0);
	g.role_id = lc_role_id(r);
	g.user_id = id;
	g.project_id = proj;
	ASSERT_RC(lc_role_grant(sys, &g), 0);
	g.project_id = NULL;
	g.system = 1;
	ASSERT_RC(lc_role_grant(sys, &g), 0);
	ASSERT_RC(lc_user_delete(sys, id, 0), 0);
	f.user_id = id;
	ASSERT_RC(lc_role_assignment_iter_new(&it, sys, &f), 0);
	ASSERT_RC(lc_role_assignment_iter_next(&a, it), LC_ITEROVER);
	lc_role_assignment_iter_free(it);
	lc_role_free(r);
}

/* ---- listing ---- */

Test(user, filters_select_by_name_domain_enabled_and_default_project)
{
	char dom[64], proj[64];
	lc_user_opts o = LC_USER_OPTS_INIT;
	const char *by_name[] = { "name", "twin", NULL };
	const char *by_domain[] = { "domain_id", dom, NULL };
	const char *disabled[] = { "enabled", "false", NULL };
	const char *by_project[] = { "default_project_id", proj, NULL };
	const char *unknown[] = { "password", "x", NULL };
	const char *secret[] = { "password_hash", "x", NULL };
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_user_iter *it = NULL;

	mkdomain(dom, "d2");
	fx_project(proj, "p2");
	mkuser(NULL, "twin", NULL, proj, NULL);
	mkuser(NULL, "twin", dom, NULL, NULL);
	o.name = "sleeper";
	o.enabled = 0;
	ASSERT_RC(lc_user_create(NULL, sys, &o), 0);
	cr_assert_eq(count_users(sys, NULL), 4);
	cr_assert_eq(count_users(sys, by_name), 2);
	cr_assert_eq(count_users(sys, by_domain), 1);
	cr_assert_eq(count_users(sys, disabled), 1);
	cr_assert_eq(count_users(sys, by_project), 1);
	lo.filters = unknown;
	ASSERT_REJECTS(lc_user_iter_new(&it, sys, &lo), LC_EINVALID, "password");
	lo.filters = secret;
	ASSERT_REJECTS(lc_user_iter_new(&it, sys, &lo), LC_EINVALID, "password_hash");
	cr_assert_null(it);
}

Test(user, marker_and_limit_page_through_users)
{
	char ids[5][64];
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_user_iter *it = NULL;
	lc_user *u;
	int n = 0;

	for (int i = 0; i < 5; i++) {
		char name[16];
		snprintf(name, sizeof(name), "u%d", i);
		mkuser(ids[i], name, NULL, NULL, NULL);
	}
	lo.marker = ids[0];
	lo.limit = 2;
	ASSERT_RC(lc_user_iter_new(&it, sys, &lo), 0);
	while (lc_user_iter_next(&u, it) == 0) {
		cr_assert_str_eq(lc_user_id(u), ids[1 + n]);
		n++;
		lc_user_free(u);
	}
	lc_user_iter_free(it);
	cr_assert_eq(n, 2);
	lo.marker = UNKNOWN_ID;
	ASSERT_REJECTS(lc_user_iter_new(&it, sys, &lo), LC_EINVALID, "marker");
}

/* ---- bad input changes nothing ---- */

static void expect_create_rejected(const lc_user_opts *o, int want, const char *what)
{
	lc_user *u = (lc_user *)1;
	int before = count_users(sys, NULL);

	ASSERT_REJECTS(lc_user_create(&u, sys, o), want, what);
	cr_assert_null(u);
	cr_assert_eq(count_users(sys, NULL), before, "a rejected create stored a user");
}

Test(user, names_of_64_bytes_are_accepted_and_65_rejected)
{
	char n64[65], n65[66];
	lc_user_opts o = LC_USER_OPTS_INIT;
	lc_user *u = NULL;

	memset(n64, 'u', 64);
	n64[64] = '\0';
	memset(n65, 'v', 65);
	n65[65] = '\0';
	mkuser(NULL, n64, NULL, NULL, NULL);
	o.name = n65;
	expect_create_rejected(&o, LC_EINVALID, "name");
	ASSERT_REJECTS(lc_user_find(&u, sys, NULL, n65), LC_EINVALID, "name");
}

Test(user, descriptions_of_255_bytes_are_accepted_and_256_rejected)
{
	char d255[256], d256[257];
	lc_user_opts o = LC_USER_OPTS_INIT;
	lc_user *u = NULL;

	memset(d255, 'a', 255);
	d255[255] = '\0';
	memset(d256, 'b', 256);
	d256[256] = '\0';
	o.name = "talker";
	o.description = d255;
	ASSERT_RC(lc_user_create(&u, sys, &o), 0);
	cr_assert_str_eq(lc_user_description(u), d255);
	lc_user_free(u);
	o.name = "talker2";
	o.description = d256;
	expect_create_rejected(&o, LC_EINVALID, "description");
}

Test(user, bad_text_empty_names_and_bad_passwords_are_rejected)
{
	static const char *const bad_utf8[] = { "\xc3\x28", "\xa0\xa1", "\xe2\x28\xa1", "\xf0\x28\x8c\xbc" };
	static const char *const ctrl[] = { "cr\r", "\x1f", "\xc2\x80" };
	lc_user_opts o = LC_USER_OPTS_INIT;
	char *long_pw = malloc(LC_PASSWORD_MAX + 2);

	for (size_t i = 0; i < sizeof(bad_utf8) / sizeof(bad_utf8[0]); i++) {
		o = (lc_user_opts)LC_USER_OPTS_INIT;
		o.name = bad_utf8[i];
		expect_create_rejected(&o, LC_EINVALID, "UTF-8");
		o.name = "ok";
		o.description = bad_utf8[i];
		expect_create_rejected(&o, LC_EINVALID, "UTF-8");
	}
	for (size_t i = 0; i < sizeof(ctrl) / sizeof(ctrl[0]); i++) {
		o = (lc_user_opts)LC_USER_OPTS_INIT;
		o.name = ctrl[i];
		expect_create_rejected(&o, LC_EINVALID, "control");
	}
	o = (lc_user_opts)LC_USER_OPTS_INIT;
	o.name = "";
	expect_create_rejected(&o, LC_EINVALID, "name");
	o.name = NULL;
	expect_create_rejected(&o, LC_EINVALID, "name");
	o.name = "pw-user";
	o.password = "";
	expect_create_rejected(&o, LC_EINVALID, "password");
	memset(long_pw, 'p', LC_PASSWORD_MAX + 1);
	long_pw[LC_PASSWORD_MAX + 1] = '\0';
	o.password = long_pw;
	expect_create_rejected(&o, LC_EINVALID, "password");
	long_pw[LC_PASSWORD_MAX] = '\0'; /* exactly the maximum is fine */
	ASSERT_RC(lc_user_create(NULL, sys, &o), 0);
	o.password = NULL;
	o.enabled = 3;
	o.name = "tri";
	expect_create_rejected(&o, LC_EINVALID, "enabled");
	o.enabled = LC_UNSET;
	o.version = 0;
	expect_create_rejected(&o, LC_EINVALID, "version");
	ASSERT_RC(lc_user_create(NULL, sys, NULL), LC_EINVALID);
	free(long_pw);
}

Test(user, a_rejected_update_changes_nothing_and_keeps_the_password)
{
	char id[64];
	lc_user_opts o = LC_USER_OPTS_INIT;
	lc_user *g = NULL;

	mkuser(id, "careful", NULL, NULL, "keep-me");
	o.name = "bad\x05";
	o.password = "not-applied";
	ASSERT_REJECTS(lc_user_update(&g, sys, id, &o), LC_EINVALID, "name");
	cr_assert_null(g);
	o.name = NULL;
	o.password = "";
	ASSERT_REJECTS(lc_user_update(&g, sys, id, &o), LC_EINVALID, "password");
	o.password = "not-applied";
	o.default_project_id = UNKNOWN_ID;
	ASSERT_RC(lc_user_update(&g, sys, id, &o), LC_ENOTFOUND);
	ASSERT_RC(lc_user_get(&g, sys, id), 0);
	cr_assert_str_eq(lc_user_name(g), "careful");
	cr_assert_null(lc_user_default_project_id(g));
	lc_user_free(g);
	ASSERT_RC(try_password(id, "keep-me"), 0);
	ASSERT_RC(try_password(id, "not-applied"), LC_EAUTH);
}

Test(user, duplicate_names_conflict_within_a_domain_only)
{
	char dom[64], a[64], b[64];
	lc_user_opts o = LC_USER_OPTS_INIT;
	lc_user *g = NULL;

	mkdomain(dom, "other");
	mkuser(a, "erin", NULL, NULL, NULL);
	o.name = "erin";
	expect_create_rejected(&o, LC_EEXISTS, "name");
	mkuser(b, "erin", dom, NULL, NULL);
	ASSERT_RC(lc_user_find(&g, sys, dom, "erin"), 0);
	cr_assert_str_eq(lc_user_id(g), b);
	lc_user_free(g);
	ASSERT_RC(lc_user_find(&g, sys, NULL, "erin"), 0);
	cr_assert_str_eq(lc_user_id(g), a);
	lc_user_free(g);
	mkuser(b, "frank", NULL, NULL, NULL);
	o.name = "erin";
	ASSERT_REJECTS(lc_user_update(&g, sys, b, &o), LC_EEXISTS, "name");
	ASSERT_RC(lc_user_get(&g, sys, b), 0);
	cr_assert_str_eq(lc_user_name(g), "frank");
	lc_user_free(g);
}

Test(user, malformed_ids_are_invalid_and_unknown_ids_not_found)
{
	static const char *const bad[] = { "", "user", "0190b0c2-0000-7000-8000-0000000000c", "0190b0c2_0000_7000_8000_0000000000cc" };
	lc_user_opts o = LC_USER_OPTS_INIT;
	lc_user *u = NULL;

	o.description = "x";
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_REJECTS(lc_user_get(&u, sys, bad[i]), LC_EINVALID, "id");
		ASSERT_REJECTS(lc_user_update(NULL, sys, bad[i], &o), LC_EINVALID, "id");
		ASSERT_REJECTS(lc_user_delete(sys, bad[i], 0), LC_EINVALID, "id");
		ASSERT_REJECTS(lc_user_find(&u, sys, bad[i], "admin"), LC_EINVALID, "domain_id");
	}
	ASSERT_REJECTS(lc_user_get(&u, sys, UNKNOWN_ID), LC_ENOTFOUND, UNKNOWN_ID);
	ASSERT_RC(lc_user_update(NULL, sys, UNKNOWN_ID, &o), LC_ENOTFOUND);
	ASSERT_RC(lc_user_delete(sys, UNKNOWN_ID, 0), LC_ENOTFOUND);
	ASSERT_RC(lc_user_delete(sys, UNKNOWN_ID, 1), LC_EINVALID);
	ASSERT_RC(lc_user_get(NULL, sys, UNKNOWN_ID), LC_EINVALID);
	ASSERT_RC(lc_user_get(&u, NULL, UNKNOWN_ID), LC_EINVALID);
	cr_assert_eq(count_users(sys, NULL), 1);
}

/* ---- who sees what ---- */

static lc_session *login(const char *user_id, const char *pw, const char *project_id)
{
	lc_auth_opts a = LC_AUTH_OPTS_INIT;
	lc_session *s = NULL;

	a.user_id = user_id;
	a.password = pw;
	a.scope = project_id ? LC_SCOPE_PROJECT : LC_SCOPE_NONE;
	a.project_id = project_id;
	ASSERT_RC(lc_session_password(&s, cloud, &a), 0);
	return s;
}

Test(user, a_non_admin_sees_itself_only_and_cannot_manage_users)
{
	char me[64], other[64], proj[64];
	lc_grant g = LC_GRANT_INIT;
	lc_role *r = NULL;
	lc_user *u = NULL;
	lc_user_iter *it = NULL;
	lc_user_opts o = LC_USER_OPTS_INIT;
	lc_session *s;

	fx_project(proj, "team");
	mkuser(me, "me", NULL, proj, "me-pw");
	mkuser(other, "someone", NULL, NULL, NULL);
	ASSERT_RC(lc_role_find(&r, sys, "member"), 0);
	g.role_id = lc_role_id(r);
	g.user_id = me;
	g.project_id = proj;
	ASSERT_RC(lc_role_grant(sys, &g), 0);
	s = login(me, "me-pw", proj);

	ASSERT_RC(lc_user_get(&u, s, me), 0);
	cr_assert_str_eq(lc_user_name(u), "me");
	lc_user_free(u);
	ASSERT_RC(lc_user_get(&u, s, other), LC_ENOTFOUND);
	ASSERT_RC(lc_user_find(&u, s, NULL, "someone"), LC_ENOTFOUND);
	ASSERT_RC(lc_user_iter_new(&it, s, NULL), LC_EFORBIDDEN);
	cr_assert_null(it);
	o.name = "minion";
	ASSERT_RC(lc_user_create(NULL, s, &o), LC_EFORBIDDEN);
	o.name = NULL;
	o.description = "promoted";
	ASSERT_RC(lc_user_update(NULL, s, other, &o), LC_EFORBIDDEN);
	ASSERT_RC(lc_user_update(NULL, s, me, &o), LC_EFORBIDDEN);
	ASSERT_RC(lc_user_delete(s, other, 0), LC_EFORBIDDEN);
	cr_assert_eq(count_users(sys, NULL), 3);
	lc_session_free(s);
	lc_role_free(r);
}

Test(user, opts_init_fills_defaults_and_checks_the_version)
{
	lc_user_opts o;

	memset(&o, 0x5a, sizeof(o));
	ASSERT_RC(lc_user_opts_init(&o, LC_USER_OPTS_VERSION), 0);
	cr_assert_eq(o.version, LC_USER_OPTS_VERSION);
	cr_assert_null(o.name);
	cr_assert_null(o.password);
	cr_assert_null(o.default_project_id);
	cr_assert_eq(o.enabled, LC_UNSET);
	ASSERT_RC(lc_user_opts_init(&o, 2), LC_EINVALID);
	ASSERT_RC(lc_user_opts_init(NULL, 1), LC_EINVALID);
}
