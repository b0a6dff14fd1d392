/* Domains through the public API: CRUD, listing, and bad input that changes nothing. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcloud/libcloud.h>

#include "cloudfixture.h"

TestSuite(domain, .init = setup, .fini = teardown, .timeout = 60);

#define UNKNOWN_ID "0190b0c2-0000-7000-8000-0000000000aa"

/* Domains listed with these filters (NULL-terminated pairs, or NULL). */
static int count_domains(lc_session *s, const char *const *filters)
{
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_domain_iter *it = NULL;
	lc_domain *d;
	int n = 0, rc;

	lo.filters = filters;
	ASSERT_RC(lc_domain_iter_new(&it, s, &lo), 0);
	while ((rc = lc_domain_iter_next(&d, it)) == 0) {
		n++;
		lc_domain_free(d);
	}
	ASSERT_RC(rc, LC_ITEROVER);
	lc_domain_iter_free(it);
	return n;
}

static lc_domain *make_domain(const char *name, int enabled)
{
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;
	lc_domain *d = NULL;

	o.name = name;
	o.enabled = enabled;
	ASSERT_RC(lc_domain_create(&d, sys, &o), 0);
	return d;
}

/* ---- CRUD ---- */

Test(domain, the_default_domain_exists)
{
	lc_domain *d = NULL;

	ASSERT_RC(lc_domain_get(&d, sys, LC_DEFAULT_DOMAIN_ID), 0);
	cr_assert_str_eq(lc_domain_id(d), "default");
	cr_assert_str_eq(lc_domain_name(d), "Default");
	cr_assert(lc_domain_enabled(d));
	lc_domain_free(d);
	ASSERT_RC(lc_domain_find(&d, sys, "Default"), 0);
	cr_assert_str_eq(lc_domain_id(d), "default");
	lc_domain_free(d);
}

Test(domain, create_get_find_update_and_delete)
{
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;
	lc_domain *d = NULL, *g = NULL;
	char id[64];

	o.name = "engineering";
	o.description = "the engineers";
	ASSERT_RC(lc_domain_create(&d, sys, &o), 0);
	cr_assert_str_eq(lc_domain_name(d), "engineering");
	cr_assert_str_eq(lc_domain_description(d), "the engineers");
	cr_assert(lc_domain_enabled(d), "enabled by default");
	cr_assert_eq(strlen(lc_domain_id(d)), LC_ID_LEN);
	snprintf(id, sizeof(id), "%s", lc_domain_id(d));
	lc_domain_free(d);

	ASSERT_RC(lc_domain_get(&g, sys, id), 0);
	cr_assert_str_eq(lc_domain_name(g), "engineering");
	lc_domain_free(g);
	ASSERT_RC(lc_domain_find(&g, sys, "engineering"), 0);
	cr_assert_str_eq(lc_domain_id(g), id);
	lc_domain_free(g);

	o = (lc_domain_opts)LC_DOMAIN_OPTS_INIT;
	o.name = "eng";
	o.description = "";
	o.enabled = 0;
	ASSERT_RC(lc_domain_update(&g, sys, id, &o), 0);
	cr_assert_str_eq(lc_domain_name(g), "eng");
	cr_assert_str_eq(lc_domain_description(g), "");
	cr_assert_not(lc_domain_enabled(g));
	lc_domain_free(g);
	ASSERT_RC(lc_domain_find(&g, sys, "engineering"), LC_ENOTFOUND);
	cr_assert_null(g);
	ASSERT_RC(lc_domain_find(&g, sys, "eng"), 0);
	lc_domain_free(g);

	ASSERT_RC(lc_domain_delete(sys, id, 0), 0);
	ASSERT_RC(lc_domain_get(&g, sys, id), LC_ENOTFOUND);
	ASSERT_RC(lc_domain_find(&g, sys, "eng"), LC_ENOTFOUND);
	/* The name is free again. */
	lc_domain_free(make_domain("eng", LC_UNSET));
}

Test(domain, ids_are_accepted_in_any_case_and_without_dashes)
{
	lc_domain *d = make_domain("casey", LC_UNSET), *g = NULL;
	char upper[64], bare[64];
	size_t k = 0;

	snprintf(upper, sizeof(upper), "%s", lc_domain_id(d));
	for (char *p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	for (const char *p = lc_domain_id(d); *p; p++)
		if (*p != '-')
			bare[k++] = *p;
	bare[k] = '\0';
	ASSERT_RC(lc_domain_get(&g, sys, upper), 0);
	cr_assert_str_eq(lc_domain_id(g), lc_domain_id(d));
	lc_domain_free(g);
	ASSERT_RC(lc_domain_get(&g, sys, bare), 0);
	cr_assert_str_eq(lc_domain_id(g), lc_domain_id(d));
	lc_domain_free(g);
	lc_domain_free(d);
}

/* ---- listing ---- */

Test(domain, filters_select_by_name_and_enabled)
{
	lc_domain *a = make_domain("alpha", LC_UNSET), *b = make_domain("beta", 0);
	const char *by_name[] = { "name", "alpha", NULL };
	const char *disabled[] = { "enabled", "false", NULL };
	const char *enabled[] = { "enabled", "true", NULL };
	const char *both[] = { "name", "beta", "enabled", "true", NULL };
	const char *nobody[] = { "name", "gamma", NULL };

	cr_assert_eq(count_domains(sys, NULL), 3); /* Default, alpha, beta */
	cr_assert_eq(count_domains(sys, by_name), 1);
	cr_assert_eq(count_domains(sys, disabled), 1);
	cr_assert_eq(count_domains(sys, enabled), 2);
	cr_assert_eq(count_domains(sys, both), 0);
	cr_assert_eq(count_domains(sys, nobody), 0);
	lc_domain_free(a);
	lc_domain_free(b);
}

Test(domain, unknown_or_incomplete_filters_are_invalid)
{
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_domain_iter *it = (lc_domain_iter *)1;
	const char *unknown[] = { "colour", "red", NULL };
	const char *no_value[] = { "name", NULL };
	const char *secretish[] = { "created_at", "0", NULL };

	lo.filters = unknown;
	ASSERT_REJECTS(lc_domain_iter_new(&it, sys, &lo), LC_EINVALID, "colour");
	cr_assert_null(it);
	lo.filters = no_value;
	ASSERT_REJECTS(lc_domain_iter_new(&it, sys, &lo), LC_EINVALID, "name");
	lo.filters = secretish;
	ASSERT_RC(lc_domain_iter_new(&it, sys, &lo), LC_EINVALID);
	lo = (lc_list_opts)LC_LIST_OPTS_INIT;
	lo.version = 0;
	ASSERT_REJECTS(lc_domain_iter_new(&it, sys, &lo), LC_EINVALID, "version");
	ASSERT_RC(lc_domain_iter_new(NULL, sys, NULL), LC_EINVALID);
	ASSERT_RC(lc_domain_iter_new(&it, NULL, NULL), LC_EINVALID);
}

Test(domain, marker_and_limit_page_through_in_creation_order)
{
	char ids[6][64];
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_domain_iter *it = NULL;
	lc_domain *d;
	int n = 0;

	for (int i = 0; i < 6; i++) {
		char name[16];
		lc_domain *x;
		snprintf(name, sizeof(name), "page%d", i);
		x = make_domain(name, LC_UNSET);
		snprintf(ids[i], sizeof(ids[i]), "%s", lc_domain_id(x));
		lc_domain_free(x);
	}
	lo.marker = ids[1];
	lo.limit = 3;
	ASSERT_RC(lc_domain_iter_new(&it, sys, &lo), 0);
	while (lc_domain_iter_next(&d, it) == 0) {
		cr_assert_str_eq(lc_domain_id(d), ids[2 + n], "item %d", n);
		n++;
		lc_domain_free(d);
	}
	lc_domain_iter_free(it);
	cr_assert_eq(n, 3);

	/* Items come in id order: the well-known id "default" sorts after every UUID. */
	lo.marker = ids[5];
	lo.limit = 0;
	ASSERT_RC(lc_domain_iter_new(&it, sys, &lo), 0);
	ASSERT_RC(lc_domain_iter_next(&d, it), 0);
	cr_assert_str_eq(lc_domain_id(d), LC_DEFAULT_DOMAIN_ID);
	lc_domain_free(d);
	ASSERT_RC(lc_domain_iter_next(&d, it), LC_ITEROVER);
	cr_assert_null(d);
	lc_domain_iter_free(it);
}

Test(domain, paging_with_a_limit_visits_every_domain_once)
{
	char seen[40][64];
	int nseen = 0;
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	char marker[64] = "";

	for (int i = 0; i < 9; i++) {
		char name[16];
		snprintf(name, sizeof(name), "walk%d", i);
		lc_domain_free(make_domain(name, LC_UNSET));
	}
	for (;;) {
		lc_domain_iter *it = NULL;
		lc_domain *d;
		int got = 0;

		lo.marker = marker[0] ? marker : NULL;
		lo.limit = 4;
		ASSERT_RC(lc_domain_iter_new(&it, sys, &lo), 0);
		while (lc_domain_iter_next(&d, it) == 0) {
			for (int k = 0; k < nseen; k++)
				cr_assert_str_neq(seen[k], lc_domain_id(d), "%s listed twice", lc_domain_id(d));
			cr_assert_lt(nseen, 40);
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", lc_domain_id(d));
			snprintf(marker, sizeof(marker), "%s", lc_domain_id(d));
			lc_domain_free(d);
			got++;
		}
		lc_domain_iter_free(it);
		cr_assert_leq(got, 4);
		if (got < 4)
			break;
	}
	cr_assert_eq(nseen, 10, "9 domains and Default");
}

Test(domain, an_unknown_or_malformed_marker_is_invalid)
{
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_domain_iter *it = NULL;

	lo.marker = UNKNOWN_ID;
	ASSERT_REJECTS(lc_domain_iter_new(&it, sys, &lo), LC_EINVALID, "marker");
	cr_assert_null(it);
	lo.marker = "not-an-id";
	ASSERT_REJECTS(lc_domain_iter_new(&it, sys, &lo), LC_EINVALID, "marker");
	lo.marker = "";
	ASSERT_REJECTS(lc_domain_iter_new(&it, sys, &lo), LC_EINVALID, "marker");
}

/* ---- bad input changes nothing ---- */

static void expect_create_rejected(const char *name, const char *description, const char *what)
{
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;
	lc_domain *d = (lc_domain *)1;
	int before = count_domains(sys, NULL);

	o.name = name;
	o.description = description;
	ASSERT_REJECTS(lc_domain_create(&d, sys, &o), LC_EINVALID, what);
	cr_assert_null(d, "*out is NULL on failure");
	cr_assert_eq(count_domains(sys, NULL), before, "a rejected create stored a domain");
}

Test(domain, names_of_64_bytes_are_accepted_and_65_rejected)
{
	char n64[65], n65[66], utf64[65];

	memset(n64, 'x', 64);
	n64[64] = '\0';
	memset(n65, 'y', 65);
	n65[65] = '\0';
	for (int i = 0; i < 32; i++)
		memcpy(utf64 + 2 * i, "\xc3\xa9", 2); /* 32 x U+00E9: 32 characters, 64 bytes */
	utf64[64] = '\0';
	lc_domain_free(make_domain(n64, LC_UNSET));
	lc_domain_free(make_domain(utf64, LC_UNSET));
	expect_create_rejected(n65, NULL, "name");
	{
		lc_domain *d = NULL;
		ASSERT_REJECTS(lc_domain_find(&d, sys, n65), LC_EINVALID, "name");
	}
}

Test(domain, descriptions_of_255_bytes_are_accepted_and_256_rejected)
{
	char d255[256], d256[257];
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;
	lc_domain *d = NULL;

	memset(d255, 'd', 255);
	d255[255] = '\0';
	memset(d256, 'e', 256);
	d256[256] = '\0';
	o.name = "described";
	o.description = d255;
	ASSERT_RC(lc_domain_create(&d, sys, &o), 0);
	cr_assert_str_eq(lc_domain_description(d), d255);
	lc_domain_free(d);
	expect_create_rejected("undescribed", d256, "description");
}

Test(domain, empty_blank_and_missing_names_are_rejected)
{
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;
	lc_domain *d = NULL;

	expect_create_rejected("", NULL, "name");
	expect_create_rejected("   ", NULL, "name");
	expect_create_rejected(NULL, NULL, "name");
	ASSERT_REJECTS(lc_domain_create(&d, sys, NULL), LC_EINVALID, "opts");
	o.name = "versioned";
	o.version = 0;
	ASSERT_REJECTS(lc_domain_create(&d, sys, &o), LC_EINVALID, "version");
	o.version = LC_DOMAIN_OPTS_VERSION + 1;
	ASSERT_REJECTS(lc_domain_create(&d, sys, &o), LC_EINVALID, "version");
	o.version = LC_DOMAIN_OPTS_VERSION;
	o.enabled = 2;
	ASSERT_REJECTS(lc_domain_create(&d, sys, &o), LC_EINVALID, "enabled");
	ASSERT_RC(lc_domain_create(&d, NULL, &o), LC_EINVALID);
	cr_assert_eq(count_domains(sys, NULL), 1);
}

Test(domain, invalid_utf8_is_rejected)
{
	static const char *const bad[] = {
		"\xff", "ab\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80",
		"caf\xe9", "\x80start",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_create_rejected(bad[i], NULL, "UTF-8");
		expect_create_rejected("fine", bad[i], "UTF-8");
	}
	/* Valid multi-byte text is fine, up to four-byte sequences. */
	lc_domain_free(make_domain("\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", LC_UNSET));
}

Test(domain, control_characters_are_rejected)
{
	static const char *const bad[] = { "a\nb", "tab\there", "bell\a", "del\x7f", "c1\xc2\x85", "esc\x1b[0m" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_create_rejected(bad[i], NULL, "control");
		expect_create_rejected("fine", bad[i], "control");
	}
}

Test(domain, duplicate_names_conflict_and_store_nothing)
{
	lc_domain *a = make_domain("unique", LC_UNSET), *b = make_domain("other", LC_UNSET), *g = NULL;
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;

	o.name = "unique";
	ASSERT_REJECTS(lc_domain_create(NULL, sys, &o), LC_EEXISTS, "name");
	o.name = "Default";
	ASSERT_RC(lc_domain_create(NULL, sys, &o), LC_EEXISTS);
	cr_assert_eq(count_domains(sys, NULL), 3);
	/* Renaming onto a taken name changes nothing. */
	o.name = "unique";
	o.description = "should not stick";
	ASSERT_REJECTS(lc_domain_update(&g, sys, lc_domain_id(b), &o), LC_EEXISTS, "name");
	cr_assert_null(g);
	ASSERT_RC(lc_domain_get(&g, sys, lc_domain_id(b)), 0);
	cr_assert_str_eq(lc_domain_name(g), "other");
	cr_assert_str_eq(lc_domain_description(g), "");
	lc_domain_free(g);
	lc_domain_free(a);
	lc_domain_free(b);
}

Test(domain, a_rejected_update_changes_nothing)
{
	lc_domain *d = make_domain("steady", LC_UNSET), *g = NULL;
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;
	char long_desc[300];

	memset(long_desc, 'z', 299);
	long_desc[299] = '\0';
	o.description = long_desc;
	o.enabled = 0;
	ASSERT_REJECTS(lc_domain_update(&g, sys, lc_domain_id(d), &o), LC_EINVALID, "description");
	o.description = NULL;
	o.name = "bad\x01";
	ASSERT_REJECTS(lc_domain_update(&g, sys, lc_domain_id(d), &o), LC_EINVALID, "name");
	o.name = "";
	ASSERT_REJECTS(lc_domain_update(&g, sys, lc_domain_id(d), &o), LC_EINVALID, "name");
	o.name = NULL;
	o.enabled = 7;
	ASSERT_REJECTS(lc_domain_update(&g, sys, lc_domain_id(d), &o), LC_EINVALID, "enabled");
	ASSERT_RC(lc_domain_update(&g, sys, lc_domain_id(d), NULL), LC_EINVALID);
	ASSERT_RC(lc_domain_get(&g, sys, lc_domain_id(d)), 0);
	cr_assert_str_eq(lc_domain_name(g), "steady");
	cr_assert_str_eq(lc_domain_description(g), "");
	cr_assert(lc_domain_enabled(g));
	lc_domain_free(g);
	lc_domain_free(d);
}

Test(domain, malformed_ids_are_invalid_and_unknown_ids_not_found)
{
	static const char *const bad[] = {
		"", "x", "0190b0c2-0000-7000-8000-0000000000a",     /* one short */
		"0190b0c2-0000-7000-8000-0000000000aaa",            /* one long */
		"0190b0c2x0000-7000-8000-0000000000aa",             /* wrong separator */
		"0190b0c2-0000-7000-8000-0000000000ag",             /* not hex */
		"0190b0c2-0000-7000-8000-0000000000a\n",
		"default-ish",
	};
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;
	lc_domain *d = NULL;

	o.description = "x";
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_REJECTS(lc_domain_get(&d, sys, bad[i]), LC_EINVALID, "id");
		cr_assert_null(d);
		ASSERT_REJECTS(lc_domain_update(NULL, sys, bad[i], &o), LC_EINVALID, "id");
		ASSERT_REJECTS(lc_domain_delete(sys, bad[i], 0), LC_EINVALID, "id");
	}
	ASSERT_RC(lc_domain_get(&d, sys, NULL), LC_EINVALID);
	ASSERT_RC(lc_domain_get(NULL, sys, UNKNOWN_ID), LC_EINVALID);
	ASSERT_REJECTS(lc_domain_get(&d, sys, UNKNOWN_ID), LC_ENOTFOUND, UNKNOWN_ID);
	ASSERT_RC(lc_domain_update(NULL, sys, UNKNOWN_ID, &o), LC_ENOTFOUND);
	ASSERT_RC(lc_domain_delete(sys, UNKNOWN_ID, 0), LC_ENOTFOUND);
	ASSERT_RC(lc_domain_find(&d, sys, "nobody"), LC_ENOTFOUND);
	ASSERT_RC(lc_domain_find(&d, sys, NULL), LC_EINVALID);
	ASSERT_RC(lc_domain_find(NULL, sys, "Default"), LC_EINVALID);
}

Test(domain, finding_an_empty_name_finds_nothing)
{
	char name[2] = { 0, 0 };
	lc_domain *d = NULL;
	int rc;

	/* One-character names everywhere, so a lookup key that is not what it should be would hit one. */
	for (int ch = 0x21; ch < 0x7f; ch++) {
		name[0] = (char)ch;
		lc_domain_free(make_domain(name, LC_UNSET));
	}
	rc = lc_domain_find(&d, sys, "");
	cr_assert(rc == LC_EINVALID || rc == LC_ENOTFOUND, "find(\"\") = %d (%s), found '%s'", rc, msg(),
		  d ? lc_domain_name(d) : "");
	cr_assert_null(d);
}

/* ---- delete rules ---- */

Test(domain, an_enabled_domain_cannot_be_deleted)
{
	lc_domain *d = make_domain("live", LC_UNSET), *g = NULL;

	ASSERT_REJECTS(lc_domain_delete(sys, lc_domain_id(d), 0), LC_ECONFLICT, "enabled");
	ASSERT_RC(lc_domain_get(&g, sys, lc_domain_id(d)), 0);
	lc_domain_free(g);
	lc_domain_free(d);
}

Test(domain, a_domain_that_owns_projects_or_users_cannot_be_deleted)
{
	lc_domain *d = make_domain("owner", 0), *g = NULL;
	lc_project_opts po = LC_PROJECT_OPTS_INIT;
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_project *p = NULL;
	lc_user *u = NULL;

	po.name = "held";
	po.domain_id = lc_domain_id(d);
	ASSERT_RC(lc_project_create(&p, sys, &po), 0);
	ASSERT_REJECTS(lc_domain_delete(sys, lc_domain_id(d), 0), LC_ECONFLICT, "project");
	ASSERT_RC(lc_project_delete(sys, lc_project_id(p), 0), 0);

	uo.name = "member-of-owner";
	uo.domain_id = lc_domain_id(d);
	ASSERT_RC(lc_user_create(&u, sys, &uo), 0);
	ASSERT_REJECTS(lc_domain_delete(sys, lc_domain_id(d), 0), LC_ECONFLICT, "user");
	ASSERT_RC(lc_domain_get(&g, sys, lc_domain_id(d)), 0);
	lc_domain_free(g);
	ASSERT_RC(lc_user_delete(sys, lc_user_id(u), 0), 0);

	ASSERT_RC(lc_domain_delete(sys, lc_domain_id(d), 0), 0);
	lc_project_free(p);
	lc_user_free(u);
	lc_domain_free(d);
}

Test(domain, the_default_domain_cannot_be_deleted)
{
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;
	lc_domain *g = NULL;

	ASSERT_RC(lc_domain_delete(sys, LC_DEFAULT_DOMAIN_ID, 0), LC_ECONFLICT);
	o.enabled = 0;
	ASSERT_RC(lc_domain_update(NULL, sys, LC_DEFAULT_DOMAIN_ID, &o), 0);
	ASSERT_RC(lc_domain_delete(sys, LC_DEFAULT_DOMAIN_ID, 0), LC_ECONFLICT);
	ASSERT_RC(lc_domain_get(&g, sys, LC_DEFAULT_DOMAIN_ID), 0);
	lc_domain_free(g);
}

Test(domain, delete_flags_must_be_zero)
{
	lc_domain *d = make_domain("flagged", 0), *g = NULL;

	ASSERT_REJECTS(lc_domain_delete(sys, lc_domain_id(d), 1), LC_EINVALID, "flags");
	ASSERT_RC(lc_domain_get(&g, sys, lc_domain_id(d)), 0);
	lc_domain_free(g);
	lc_domain_free(d);
}

/* ---- who may do what ---- */

/* A member of a new project in a new domain, as a project-scoped session. */
static lc_session *member_session(const char *domain_name, lc_domain **dom)
{
	lc_project_opts po = LC_PROJECT_OPTS_INIT;
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_auth_opts a = LC_AUTH_OPTS_INIT;
	lc_grant g = LC_GRANT_INIT;
	lc_project *p = NULL;
	lc_user *u = NULL;
	lc_role *r = NULL;
	lc_session *s = NULL;

	*dom = make_domain(domain_name, LC_UNSET);
	po.name = "proj";
	po.domain_id = lc_domain_id(*dom);
	ASSERT_RC(lc_project_create(&p, sys, &po), 0);
	uo.name = "worker";
	uo.domain_id = lc_domain_id(*dom);
	uo.password = "worker-pw";
	ASSERT_RC(lc_user_create(&u, sys, &uo), 0);
	ASSERT_RC(lc_role_find(&r, sys, "member"), 0);
	g.role_id = lc_role_id(r);
	g.user_id = lc_user_id(u);
	g.project_id = lc_project_id(p);
	ASSERT_RC(lc_role_grant(sys, &g), 0);
	a.user_id = lc_user_id(u);
	a.password = "worker-pw";
	a.scope = LC_SCOPE_PROJECT;
	a.project_id = lc_project_id(p);
	ASSERT_RC(lc_session_password(&s, cloud, &a), 0);
	lc_project_free(p);
	lc_user_free(u);
	lc_role_free(r);
	return s;
}

Test(domain, a_member_sees_only_its_own_domain_and_cannot_change_domains)
{
	lc_domain *mine = NULL, *other = make_domain("elsewhere", LC_UNSET), *g = NULL;
	lc_session *m = member_session("home", &mine);
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;

	o.name = "mine-now";
	ASSERT_RC(lc_domain_create(&g, m, &o), LC_EFORBIDDEN);
	cr_assert_eq(count_domains(sys, NULL), 3);
	ASSERT_RC(lc_domain_update(NULL, m, lc_domain_id(mine), &o), LC_EFORBIDDEN);
	ASSERT_RC(lc_domain_delete(m, lc_domain_id(other), 0), LC_EFORBIDDEN);
	ASSERT_RC(lc_domain_get(&g, m, lc_domain_id(mine)), 0);
	lc_domain_free(g);
	ASSERT_RC(lc_domain_get(&g, m, lc_domain_id(other)), LC_ENOTFOUND);
	cr_assert_null(g);
	ASSERT_RC(lc_domain_find(&g, m, "elsewhere"), LC_ENOTFOUND);
	cr_assert_eq(count_domains(m, NULL), 1);
	lc_session_free(m);
	lc_domain_free(mine);
	lc_domain_free(other);
}

Test(domain, opts_init_fills_defaults_and_checks_the_version)
{
	lc_domain_opts o;

	memset(&o, 0x5a, sizeof(o));
	ASSERT_RC(lc_domain_opts_init(&o, LC_DOMAIN_OPTS_VERSION), 0);
	cr_assert_eq(o.version, LC_DOMAIN_OPTS_VERSION);
	cr_assert_null(o.name);
	cr_assert_null(o.description);
	cr_assert_eq(o.enabled, LC_UNSET);
	ASSERT_RC(lc_domain_opts_init(&o, 0), LC_EINVALID);
	ASSERT_RC(lc_domain_opts_init(&o, LC_DOMAIN_OPTS_VERSION + 1), LC_EINVALID);
	ASSERT_RC(lc_domain_opts_init(NULL, LC_DOMAIN_OPTS_VERSION), LC_EINVALID);
}
