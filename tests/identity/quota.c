/* Quotas through the public API: defaults, overrides, unset, kinds, limits and visibility. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcloud/libcloud.h>

#include "cloudfixture.h"

static char proj[64], proj2[64], user[64];

#define UNKNOWN_ID "0190b0c2-0000-7000-8000-000000000abc"

/* The fixture's cloud with two projects and a member of the first. */
static void setup_quota(void)
{
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_grant g = LC_GRANT_INIT;
	lc_user *u = NULL;
	lc_role *r = NULL;

	setup();
	fx_project(proj, "mine");
	fx_project(proj2, "theirs");
	uo.name = "quinn";
	uo.password = "quinn-pw";
	ASSERT_RC(lc_user_create(&u, sys, &uo), 0);
	snprintf(user, sizeof(user), "%s", lc_user_id(u));
	lc_user_free(u);
	ASSERT_RC(lc_role_find(&r, sys, "member"), 0);
	g.role_id = lc_role_id(r);
	g.user_id = user;
	g.project_id = proj;
	ASSERT_RC(lc_role_grant(sys, &g), 0);
	lc_role_free(r);
}

TestSuite(quota, .init = setup_quota, .fini = teardown, .timeout = 60);

static int64_t limit_of(lc_session *s, const char *project, int kind)
{
	int64_t limit = -99, used = -99;

	ASSERT_RC(lc_quota_get(&limit, &used, s, project, kind), 0);
	cr_assert_geq(used, 0);
	return limit;
}

static lc_session *member(void)
{
	lc_auth_opts a = LC_AUTH_OPTS_INIT;
	lc_session *s = NULL;

	a.user_id = user;
	a.password = "quinn-pw";
	a.scope = LC_SCOPE_PROJECT;
	a.project_id = proj;
	ASSERT_RC(lc_session_password(&s, cloud, &a), 0);
	return s;
}

/* ---- kinds ---- */

Test(quota, every_kind_has_a_name_that_maps_back)
{
	for (int k = 0; k < LC_QUOTA_KIND_COUNT; k++) {
		const char *name = lc_quota_kind_name(k);
		cr_assert_not_null(name, "kind %d", k);
		ASSERT_RC(lc_quota_kind_from_name(name), k);
		for (int j = 0; j < k; j++)
			cr_assert_str_neq(name, lc_quota_kind_name(j));
	}
	cr_assert_str_eq(lc_quota_kind_name(LC_QUOTA_INSTANCES), "instances");
	cr_assert_str_eq(lc_quota_kind_name(LC_QUOTA_CORES), "cores");
	cr_assert_str_eq(lc_quota_kind_name(LC_QUOTA_RAM_MIB), "ram");
	cr_assert_null(lc_quota_kind_name(-1));
	cr_assert_null(lc_quota_kind_name(LC_QUOTA_KIND_COUNT));
	ASSERT_REJECTS(lc_quota_kind_from_name("unicorns"), LC_EINVALID, "unicorns");
	ASSERT_RC(lc_quota_kind_from_name(""), LC_EINVALID);
	ASSERT_RC(lc_quota_kind_from_name(NULL), LC_EINVALID);
}

/* ---- defaults, overrides, unset ---- */

Test(quota, projects_start_with_the_defaults_and_nothing_in_use)
{
	for (int k = 0; k < LC_QUOTA_KIND_COUNT; k++) {
		int64_t def = -99, limit = -99, used = -99;

		ASSERT_RC(lc_quota_get(&def, &used, sys, NULL, k), 0);
		cr_assert_eq(used, 0);
		cr_assert_geq(def, LC_QUOTA_UNLIMITED);
		ASSERT_RC(lc_quota_get(&limit, &used, sys, proj, k), 0);
		cr_assert_eq(limit, def, "kind %s", lc_quota_kind_name(k));
		cr_assert_eq(used, 0);
	}
	cr_assert_eq(limit_of(sys, proj, LC_QUOTA_INSTANCES), 10, "Nova's default");
	ASSERT_RC(lc_quota_get(NULL, NULL, sys, proj, LC_QUOTA_CORES), 0);
}

Test(quota, an_override_applies_to_its_project_only)
{
	ASSERT_RC(lc_quota_set(sys, proj, LC_QUOTA_INSTANCES, 3), 0);
	cr_assert_eq(limit_of(sys, proj, LC_QUOTA_INSTANCES), 3);
	cr_assert_eq(limit_of(sys, proj2, LC_QUOTA_INSTANCES), 10);
	cr_assert_eq(limit_of(sys, NULL, LC_QUOTA_INSTANCES), 10);
	cr_assert_eq(limit_of(sys, proj, LC_QUOTA_CORES), limit_of(sys, NULL, LC_QUOTA_CORES));
	ASSERT_RC(lc_quota_set(sys, proj, LC_QUOTA_INSTANCES, 0), 0);
	cr_assert_eq(limit_of(sys, proj, LC_QUOTA_INSTANCES), 0);
	ASSERT_RC(lc_quota_set(sys, proj, LC_QUOTA_INSTANCES, LC_QUOTA_UNLIMITED), 0);
	cr_assert_eq(limit_of(sys, proj, LC_QUOTA_INSTANCES), LC_QUOTA_UNLIMITED);
	ASSERT_RC(lc_quota_set(sys, proj, LC_QUOTA_GIGABYTES, INT64_MAX), 0);
	cr_assert_eq(limit_of(sys, proj, LC_QUOTA_GIGABYTES), INT64_MAX);
}

Test(quota, a_new_default_reaches_projects_without_an_override)
{
	ASSERT_RC(lc_quota_set(sys, proj, LC_QUOTA_PORTS, 7), 0);
	ASSERT_RC(lc_quota_set(sys, NULL, LC_QUOTA_PORTS, 42), 0);
	cr_assert_eq(limit_of(sys, NULL, LC_QUOTA_PORTS), 42);
	cr_assert_eq(limit_of(sys, proj2, LC_QUOTA_PORTS), 42);
	cr_assert_eq(limit_of(sys, proj, LC_QUOTA_PORTS), 7, "the override wins");
}

Test(quota, unsetting_an_override_restores_the_default)
{
	ASSERT_RC(lc_quota_set(sys, proj, LC_QUOTA_VOLUMES, 1), 0);
	ASSERT_RC(lc_quota_unset(sys, proj, LC_QUOTA_VOLUMES), 0);
	cr_assert_eq(limit_of(sys, proj, LC_QUOTA_VOLUMES), limit_of(sys, NULL, LC_QUOTA_VOLUMES));
	ASSERT_RC(lc_quota_unset(sys, proj, LC_QUOTA_VOLUMES), 0); /* no override: still fine */
	ASSERT_RC(lc_quota_unset(sys, NULL, LC_QUOTA_VOLUMES), LC_EINVALID);
	ASSERT_RC(lc_quota_unset(sys, UNKNOWN_ID, LC_QUOTA_VOLUMES), LC_ENOTFOUND);
	ASSERT_RC(lc_quota_unset(sys, proj, 99), LC_EINVALID);
}

Test(quota, overrides_survive_a_reopen)
{
	ASSERT_RC(lc_quota_set(sys, proj, LC_QUOTA_FLOATING_IPS, 2), 0);
	ASSERT_RC(lc_quota_set(sys, NULL, LC_QUOTA_ROUTERS, 4), 0);
	lc_session_free(sys);
	lc_cloud_free(cloud);
	{
		lc_cloud_opts o = LC_CLOUD_OPTS_INIT;
		o.pwhash_strength = LC_PWHASH_MIN;
		cr_assert_eq(lc_cloud_new(&cloud, &o), 0);
		cr_assert_eq(lc_cloud_open(cloud, tmp, 0), 0, "%s", msg());
		cr_assert_eq(lc_session_system(&sys, cloud), 0);
	}
	cr_assert_eq(limit_of(sys, proj, LC_QUOTA_FLOATING_IPS), 2);
	cr_assert_eq(limit_of(sys, proj2, LC_QUOTA_ROUTERS), 4);
}

/* ---- bad input changes nothing ---- */

Test(quota, unknown_kinds_and_limits_below_minus_one_are_invalid)
{
	int64_t before = limit_of(sys, proj, LC_QUOTA_CORES);
	int64_t limit = 0;

	ASSERT_REJECTS(lc_quota_set(sys, proj, LC_QUOTA_KIND_COUNT, 5), LC_EINVALID, "kind");
	ASSERT_REJECTS(lc_quota_set(sys, proj, -1, 5), LC_EINVALID, "kind");
	ASSERT_REJECTS(lc_quota_set(sys, proj, LC_QUOTA_CORES, -2), LC_EINVALID, "limit");
	ASSERT_REJECTS(lc_quota_set(sys, proj, LC_QUOTA_CORES, INT64_MIN), LC_EINVALID, "limit");
	ASSERT_REJECTS(lc_quota_set(sys, NULL, LC_QUOTA_CORES, -100), LC_EINVALID, "limit");
	ASSERT_REJECTS(lc_quota_get(&limit, NULL, sys, proj, 1000), LC_EINVALID, "kind");
	cr_assert_eq(limit_of(sys, proj, LC_QUOTA_CORES), before);
	cr_assert_eq(limit_of(sys, NULL, LC_QUOTA_CORES), before);
}

Test(quota, unknown_and_malformed_projects)
{
	int64_t limit = 0;

	ASSERT_REJECTS(lc_quota_set(sys, UNKNOWN_ID, LC_QUOTA_CORES, 5), LC_ENOTFOUND, UNKNOWN_ID);
	ASSERT_RC(lc_quota_get(&limit, NULL, sys, UNKNOWN_ID, LC_QUOTA_CORES), LC_ENOTFOUND);
	ASSERT_REJECTS(lc_quota_set(sys, "proj", LC_QUOTA_CORES, 5), LC_EINVALID, "project_id");
	ASSERT_REJECTS(lc_quota_get(&limit, NULL, sys, "", LC_QUOTA_CORES), LC_EINVALID, "project_id");
	ASSERT_RC(lc_quota_set(NULL, proj, LC_QUOTA_CORES, 5), LC_EINVALID);
	ASSERT_RC(lc_quota_get(&limit, NULL, NULL, proj, LC_QUOTA_CORES), LC_EINVALID);
	cr_assert_eq(limit_of(sys, proj, LC_QUOTA_CORES), limit_of(sys, NULL, LC_QUOTA_CORES));
}

/* ---- who may do what ---- */

Test(quota, a_member_reads_its_own_project_and_cannot_change_limits)
{
	lc_session *m = member();
	int64_t limit = 0, used = -1;

	ASSERT_RC(lc_quota_set(sys, proj, LC_QUOTA_CORES, 8), 0);
	ASSERT_RC(lc_quota_get(&limit, &used, m, proj, LC_QUOTA_CORES), 0);
	cr_assert_eq(limit, 8);
	cr_assert_eq(used, 0);
	ASSERT_RC(lc_quota_set(m, proj, LC_QUOTA_CORES, 1000), LC_EFORBIDDEN);
	ASSERT_RC(lc_quota_unset(m, proj, LC_QUOTA_CORES), LC_EFORBIDDEN);
	ASSERT_RC(lc_quota_set(m, NULL, LC_QUOTA_CORES, 1000), LC_EFORBIDDEN);
	cr_assert_eq(limit_of(sys, proj, LC_QUOTA_CORES), 8);
	cr_assert_eq(limit_of(sys, NULL, LC_QUOTA_CORES), 20);
	lc_session_free(m);
}

Test(quota, a_foreign_project_reads_as_not_found_for_a_member)
{
	lc_session *m = member();
	int64_t limit = -5, used = -5;
	char foreign_unknown_msg[256];

	ASSERT_RC(lc_quota_get(&limit, &used, m, UNKNOWN_ID, LC_QUOTA_CORES), LC_ENOTFOUND);
	snprintf(foreign_unknown_msg, sizeof(foreign_unknown_msg), "%s", msg());
	ASSERT_RC(lc_quota_get(&limit, &used, m, proj2, LC_QUOTA_CORES), LC_ENOTFOUND);
	cr_assert_eq(limit, -5, "nothing is written on failure");
	cr_assert_eq(used, -5);
	cr_assert_not_null(strstr(msg(), proj2));
	cr_assert_null(strstr(msg(), "forbidden"), "%s", msg());
	ASSERT_RC(lc_quota_set(m, proj2, LC_QUOTA_CORES, 1), LC_EFORBIDDEN);
	lc_session_free(m);
}
