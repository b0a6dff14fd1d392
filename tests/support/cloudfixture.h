/*
 * Test fixture shared by the identity suites: a fresh bootstrapped cloud per
 * test (tmp, cloud, and the host's system session sys), and assertion macros
 * that print the library's error detail, and helpers that make the usual
 * records. Include it once per test program, then declare
 * `TestSuite(name, .init = setup, .fini = teardown)` (or an init of the
 * suite's own that calls setup() first).
 */
#ifndef LC_CLOUDFIXTURE_H
#define LC_CLOUDFIXTURE_H

#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include <libcloud/libcloud.h>

#include "testutil.h"

static char *tmp;
static lc_cloud *cloud;
static lc_session *sys;

static void setup(void)
{
	lc_cloud_opts o = LC_CLOUD_OPTS_INIT;
	lc_bootstrap_opts b = LC_BOOTSTRAP_OPTS_INIT;

	tmp = lct_tmpdir();
	cr_assert_not_null(tmp);
	o.pwhash_strength = LC_PWHASH_MIN;
	cr_assert_eq(lc_cloud_new(&cloud, &o), 0);
	cr_assert_eq(lc_cloud_open(cloud, tmp, LC_CLOUD_OPEN_CREATE | LC_CLOUD_OPEN_NOSYNC), 0, "%s",
		     lc_error_last()->message);
	b.admin_password = "admin-pw";
	cr_assert_eq(lc_cloud_bootstrap(cloud, &b), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_session_system(&sys, cloud), 0);
}

static void teardown(void)
{
	lc_session_free(sys);
	lc_cloud_free(cloud);
	lct_rmtree(tmp);
	sys = NULL;
	cloud = NULL;
	tmp = NULL;
}

static const char *msg(void)
{
	return lc_error_last()->message;
}

#define ASSERT_RC(call, want)                                                                        \
	do {                                                                                         \
		int rc_ = (call);                                                                    \
		cr_assert_eq(rc_, (want), "%s = %d (%s), want %d", #call, rc_, msg(), (want));       \
	} while (0)

/* The call fails with `want` and its message names `what`. */
#define ASSERT_REJECTS(call, want, what)                                                             \
	do {                                                                                         \
		ASSERT_RC(call, want);                                                               \
		cr_assert_eq(lc_error_last()->code, (want));                                         \
		cr_assert_not_null(strstr(msg(), (what)), "%s: '%s' does not mention '%s'", #call,   \
				   msg(), (what));                                                   \
	} while (0)

/* (inline: a suite that does not use a helper gets no unused-function warning) */

/* The id of a role by name. */
static inline void fx_role_id(char out[64], const char *name)
{
	lc_role *r = NULL;

	ASSERT_RC(lc_role_find(&r, sys, name), 0);
	snprintf(out, 64, "%s", lc_role_id(r));
	lc_role_free(r);
}

/* A new project in the default domain; its id in out. */
static inline void fx_project(char out[64], const char *name)
{
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *p = NULL;

	o.name = name;
	ASSERT_RC(lc_project_create(&p, sys, &o), 0);
	snprintf(out, 64, "%s", lc_project_id(p));
	lc_project_free(p);
}

#endif
