/* Authentication and tokens through the public API: scopes, failures, expiry, revocation, rotation. */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libcloud/libcloud.h>

#include "testutil.h"

static char *tmp;
static lc_cloud *cloud;
static lc_session *sys;
static char alice[64], bob[64], proj[64], proj2[64], dom[64], dproj[64], duser[64];

static const char *msg(void)
{
	return lc_error_last()->message;
}

#define ASSERT_RC(call, want)                                                                        \
	do {                                                                                         \
		int rc_ = (call);                                                                    \
		cr_assert_eq(rc_, (want), "%s = %d (%s), want %d", #call, rc_, msg(), (want));       \
	} while (0)

#define ASSERT_REJECTS(call, want, what)                                                             \
	do {                                                                                         \
		ASSERT_RC(call, want);                                                               \
		cr_assert_eq(lc_error_last()->code, (want));                                         \
		cr_assert_not_null(strstr(msg(), (what)), "%s: '%s' does not mention '%s'", #call,   \
				   msg(), (what));                                                   \
	} while (0)

#define UNKNOWN_ID "0190b0c2-0000-7000-8000-0000000000ff"
#define ADMIN_PW "admin-secret"

static void open_cloud(unsigned int ttl)
{
	lc_cloud_opts o = LC_CLOUD_OPTS_INIT;

	o.pwhash_strength = LC_PWHASH_MIN;
	o.token_ttl_seconds = ttl;
	cr_assert_eq(lc_cloud_new(&cloud, &o), 0);
	cr_assert_eq(lc_cloud_open(cloud, tmp, LC_CLOUD_OPEN_CREATE | LC_CLOUD_OPEN_NOSYNC), 0, "%s", msg());
	cr_assert_eq(lc_session_system(&sys, cloud), 0);
}

static void close_cloud(void)
{
	lc_session_free(sys);
	lc_cloud_free(cloud);
	sys = NULL;
	cloud = NULL;
}

static void mkuser(char out[64], const char *name, const char *domain_id, const char *pw)
{
	lc_user_opts o = LC_USER_OPTS_INIT;
	lc_user *u = NULL;

	o.name = name;
	o.domain_id = domain_id;
	o.password = pw;
	ASSERT_RC(lc_user_create(&u, sys, &o), 0);
	snprintf(out, 64, "%s", lc_user_id(u));
	lc_user_free(u);
}

static void mkproj(char out[64], const char *name, const char *domain_id)
{
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *p = NULL;

	o.name = name;
	o.domain_id = domain_id;
	ASSERT_RC(lc_project_create(&p, sys, &o), 0);
	snprintf(out, 64, "%s", lc_project_id(p));
	lc_project_free(p);
}

static void give(const char *role, const char *who, const char *project, const char *domain, int system)
{
	lc_grant g = LC_GRANT_INIT;
	lc_role *r = NULL;

	ASSERT_RC(lc_role_find(&r, sys, role), 0);
	g.role_id = lc_role_id(r);
	g.user_id = who;
	g.project_id = project;
	g.domain_id = domain;
	g.system = system;
	ASSERT_RC(lc_role_grant(sys, &g), 0);
	lc_role_free(r);
}

/*
 * The cast: alice is a member of proj and a reader on the Default domain;
 * bob is a member of proj2; in domain "elsewhere" duser is a member of dproj.
 */
static void setup(void)
{
	lc_bootstrap_opts b = LC_BOOTSTRAP_OPTS_INIT;
	lc_domain_opts d = LC_DOMAIN_OPTS_INIT;
	lc_domain *dd = NULL;

	tmp = lct_tmpdir();
	cr_assert_not_null(tmp);
	open_cloud(0);
	b.admin_password = ADMIN_PW;
	cr_assert_eq(lc_cloud_bootstrap(cloud, &b), 0, "%s", msg());
	mkproj(proj, "proj", NULL);
	mkproj(proj2, "proj2", NULL);
	mkuser(alice, "alice", NULL, "alice-pw");
	mkuser(bob, "bob", NULL, "bob-pw");
	give("member", alice, proj, NULL, 0);
	give("reader", alice, NULL, LC_DEFAULT_DOMAIN_ID, 0);
	give("member", bob, proj2, NULL, 0);
	d.name = "elsewhere";
	ASSERT_RC(lc_domain_create(&dd, sys, &d), 0);
	snprintf(dom, sizeof(dom), "%s", lc_domain_id(dd));
	lc_domain_free(dd);
	mkproj(dproj, "dproj", dom);
	mkuser(duser, "dana", dom, "dana-pw");
	give("member", duser, dproj, NULL, 0);
}

static void teardown(void)
{
	close_cloud();
	lct_rmtree(tmp);
	tmp = NULL;
}

TestSuite(auth, .init = setup, .fini = teardown, .timeout = 120);

static lc_auth_opts by_id(const char *user_id, const char *pw)
{
	lc_auth_opts a = LC_AUTH_OPTS_INIT;

	a.user_id = user_id;
	a.password = pw;
	return a;
}

static lc_auth_opts by_name(const char *name, const char *domain_name, const char *pw)
{
	lc_auth_opts a = LC_AUTH_OPTS_INIT;

	a.user_name = name;
	a.user_domain_name = domain_name;
	a.password = pw;
	return a;
}

static lc_session *login(const lc_auth_opts *a)
{
	lc_session *s = NULL;

	ASSERT_RC(lc_session_password(&s, cloud, a), 0);
	cr_assert_not_null(s);
	return s;
}

/* 0 if the token validates, else the error. */
static int validate(const char *token)
{
	lc_session *s = NULL;
	int rc = lc_session_token(&s, cloud, token);

	cr_assert(rc == 0 ? s != NULL : s == NULL);
	lc_session_free(s);
	return rc;
}

/* A member of proj, scoped to it: alice by default. */
static lc_session *alice_on_proj(void)
{
	lc_auth_opts a = by_id(alice, "alice-pw");

	a.scope = LC_SCOPE_PROJECT;
	a.project_id = proj;
	return login(&a);
}

/* ---- scopes ---- */

Test(auth, password_by_name_and_domain_name_with_a_project_scope_by_name)
{
	lc_auth_opts a = by_name("admin", "Default", ADMIN_PW);
	lc_session *s, *v = NULL;

	a.scope = LC_SCOPE_PROJECT;
	a.project_name = "admin";
	a.project_domain_name = "Default";
	s = login(&a);
	cr_assert_eq(lc_session_scope(s), LC_SCOPE_PROJECT);
	cr_assert_not_null(lc_session_project_id(s));
	cr_assert_str_eq(lc_session_domain_id(s), LC_DEFAULT_DOMAIN_ID);
	cr_assert_str_eq(lc_session_user_domain_id(s), LC_DEFAULT_DOMAIN_ID);
	cr_assert(lc_session_has_role(s, "admin"));
	cr_assert(lc_session_has_role(s, "member"), "admin implies member");
	cr_assert(lc_session_has_role(s, "reader"), "and reader");
	cr_assert_eq(lc_session_role_count(s), 3);
	cr_assert_not_null(lc_session_token_id(s));
	ASSERT_RC(lc_session_token(&v, cloud, lc_session_token_id(s)), 0);
	cr_assert_str_eq(lc_session_user_id(v), lc_session_user_id(s));
	cr_assert_str_eq(lc_session_project_id(v), lc_session_project_id(s));
	cr_assert_eq(lc_session_expires_at(v), lc_session_expires_at(s));
	cr_assert_str_eq(lc_session_audit_id(v), lc_session_audit_id(s));
	lc_session_free(v);
	lc_session_free(s);
}

Test(auth, password_by_user_id_with_a_project_scope_by_id)
{
	lc_session *s = alice_on_proj();
	int64_t now = (int64_t)time(NULL);

	cr_assert_str_eq(lc_session_user_id(s), alice);
	cr_assert_str_eq(lc_session_project_id(s), proj);
	cr_assert(lc_session_has_role(s, "member"));
	cr_assert_not(lc_session_has_role(s, "admin"));
	cr_assert_eq(lc_session_role_count(s), 2, "member and the implied reader");
	for (size_t i = 0; i < lc_session_role_count(s); i++) {
		cr_assert_not_null(lc_session_role_id(s, i));
		cr_assert_not_null(lc_session_role_name(s, i));
	}
	cr_assert_null(lc_session_role_name(s, 99));
	cr_assert(lc_session_issued_at(s) >= now - 5 && lc_session_issued_at(s) <= now + 5);
	cr_assert_eq(lc_session_expires_at(s) - lc_session_issued_at(s), 3600, "the default lifetime");
	cr_assert_eq(strlen(lc_session_audit_id(s)), 22);
	lc_session_free(s);
}

Test(auth, user_name_with_a_domain_id_and_project_name_with_a_domain_id)
{
	lc_auth_opts a = LC_AUTH_OPTS_INIT;
	lc_session *s;

	a.user_name = "dana";
	a.user_domain_id = dom;
	a.password = "dana-pw";
	a.scope = LC_SCOPE_PROJECT;
	a.project_name = "dproj";
	a.project_domain_id = dom;
	s = login(&a);
	cr_assert_str_eq(lc_session_user_id(s), duser);
	cr_assert_str_eq(lc_session_project_id(s), dproj);
	cr_assert_str_eq(lc_session_domain_id(s), dom);
	lc_session_free(s);
}

Test(auth, an_unscoped_session_has_no_roles)
{
	lc_auth_opts a = by_id(bob, "bob-pw");
	lc_session *s = login(&a);

	cr_assert_eq(lc_session_scope(s), LC_SCOPE_NONE);
	cr_assert_null(lc_session_project_id(s));
	cr_assert_eq(lc_session_role_count(s), 0);
	ASSERT_RC(validate(lc_session_token_id(s)), 0);
	lc_session_free(s);
}

Test(auth, domain_scope_by_id_and_by_name)
{
	lc_auth_opts a = by_id(alice, "alice-pw");
	lc_session *s;

	a.scope = LC_SCOPE_DOMAIN;
	a.domain_id = LC_DEFAULT_DOMAIN_ID;
	s = login(&a);
	cr_assert_eq(lc_session_scope(s), LC_SCOPE_DOMAIN);
	cr_assert_str_eq(lc_session_domain_id(s), LC_DEFAULT_DOMAIN_ID);
	cr_assert(lc_session_has_role(s, "reader"));
	cr_assert_not(lc_session_has_role(s, "member"));
	ASSERT_RC(validate(lc_session_token_id(s)), 0);
	lc_session_free(s);
	a.domain_id = NULL;
	a.domain_name = "Default";
	s = login(&a);
	cr_assert_str_eq(lc_session_domain_id(s), LC_DEFAULT_DOMAIN_ID);
	lc_session_free(s);
	/* No role on that domain: refused. */
	a.domain_name = "elsewhere";
	ASSERT_RC(lc_session_password(&s, cloud, &a), LC_EAUTH);
}

Test(auth, system_scope_for_the_admin_only)
{
	lc_auth_opts a = by_name("admin", "Default", ADMIN_PW);
	lc_session *s;

	a.scope = LC_SCOPE_SYSTEM;
	s = login(&a);
	cr_assert_eq(lc_session_scope(s), LC_SCOPE_SYSTEM);
	cr_assert(lc_session_has_role(s, "admin"));
	cr_assert_null(lc_session_project_id(s));
	ASSERT_RC(validate(lc_session_token_id(s)), 0);
	lc_session_free(s);
	a = by_id(alice, "alice-pw");
	a.scope = LC_SCOPE_SYSTEM;
	ASSERT_RC(lc_session_password(&s, cloud, &a), LC_EAUTH);
	cr_assert_null(s);
}

Test(auth, a_scope_without_a_role_or_on_an_unknown_target_is_refused)
{
	lc_auth_opts a = by_id(alice, "alice-pw");
	lc_session *s = NULL;

	a.scope = LC_SCOPE_PROJECT;
	a.project_id = proj2;
	ASSERT_RC(lc_session_password(&s, cloud, &a), LC_EAUTH);
	a.project_id = UNKNOWN_ID;
	ASSERT_RC(lc_session_password(&s, cloud, &a), LC_EAUTH);
	a.project_id = NULL;
	a.project_name = "no-such-project";
	a.project_domain_id = LC_DEFAULT_DOMAIN_ID;
	ASSERT_RC(lc_session_password(&s, cloud, &a), LC_EAUTH);
	a.project_name = "proj";
	a.project_domain_id = NULL;
	a.project_domain_name = "no-such-domain";
	ASSERT_RC(lc_session_password(&s, cloud, &a), LC_EAUTH);
	cr_assert_null(s);
}

Test(auth, the_system_session_is_the_host_s_own)
{
	cr_assert_eq(lc_session_scope(sys), LC_SCOPE_SYSTEM);
	cr_assert_null(lc_session_token_id(sys));
	cr_assert_null(lc_session_user_id(sys));
	cr_assert_eq(lc_session_expires_at(sys), INT64_MAX);
	cr_assert(lc_session_has_role(sys, "admin"));
	ASSERT_RC(lc_session_system(NULL, cloud), LC_EINVALID);
	{
		lc_session *s = (lc_session *)1;
		ASSERT_RC(lc_session_system(&s, NULL), LC_EINVALID);
		cr_assert_null(s);
	}
	lc_session_free(NULL);
	cr_assert_null(lc_session_token_id(NULL));
	cr_assert_eq(lc_session_has_role(NULL, "admin"), 0);
}

/* ---- bad credentials ---- */

Test(auth, bad_arguments_are_invalid)
{
	lc_auth_opts a = by_id(alice, "alice-pw");
	lc_session *s = (lc_session *)1;
	char *huge = malloc(LC_PASSWORD_MAX + 2);

	ASSERT_RC(lc_session_password(&s, NULL, &a), LC_EINVALID);
	cr_assert_null(s);
	ASSERT_RC(lc_session_password(NULL, cloud, &a), LC_EINVALID);
	ASSERT_RC(lc_session_password(&s, cloud, NULL), LC_EINVALID);
	a.password = NULL;
	ASSERT_REJECTS(lc_session_password(&s, cloud, &a), LC_EINVALID, "password");
	a = by_id(NULL, "alice-pw");
	ASSERT_REJECTS(lc_session_password(&s, cloud, &a), LC_EINVALID, "user");
	a = by_name("alice", NULL, "alice-pw");
	ASSERT_REJECTS(lc_session_password(&s, cloud, &a), LC_EINVALID, "domain");
	a = by_id(alice, "alice-pw");
	a.version = 0;
	ASSERT_REJECTS(lc_session_password(&s, cloud, &a), LC_EINVALID, "version");
	a = by_id(alice, "alice-pw");
	a.scope = 42;
	ASSERT_REJECTS(lc_session_password(&s, cloud, &a), LC_EINVALID, "scope");
	a.scope = LC_SCOPE_PROJECT;
	ASSERT_REJECTS(lc_session_password(&s, cloud, &a), LC_EINVALID, "project");
	a.scope = LC_SCOPE_DOMAIN;
	ASSERT_REJECTS(lc_session_password(&s, cloud, &a), LC_EINVALID, "domain");
	memset(huge, 'h', LC_PASSWORD_MAX + 1);
	huge[LC_PASSWORD_MAX + 1] = '\0';
	a = by_id(alice, huge);
	ASSERT_REJECTS(lc_session_password(&s, cloud, &a), LC_EINVALID, "password");
	cr_assert_null(s);
	free(huge);
}

struct failure {
	int rc;
	char message[256];
};

static struct failure fail_with(const lc_auth_opts *a)
{
	struct failure f;
	lc_session *s = NULL;

	f.rc = lc_session_password(&s, cloud, a);
	snprintf(f.message, sizeof(f.message), "%s", msg());
	cr_assert_null(s);
	return f;
}

Test(auth, a_wrong_password_and_an_unknown_user_fail_alike)
{
	lc_auth_opts wrong = by_name("alice", "Default", "not-alices-pw");
	lc_auth_opts variants[] = {
		by_name("mallory", "Default", "whatever"),          /* unknown name */
		by_id(UNKNOWN_ID, "whatever"),                     /* unknown id */
		by_id("not-a-uuid", "whatever"),                   /* malformed id */
		by_name("alice", "no-such-domain", "alice-pw"),    /* unknown domain */
		by_id(alice, ""),                                  /* empty password */
	};
	struct failure w = fail_with(&wrong);
	char pwless[64];

	cr_assert_eq(w.rc, LC_EAUTH);
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		struct failure u = fail_with(&variants[i]);
		cr_assert_eq(u.rc, w.rc, "variant %zu: %d vs %d", i, u.rc, w.rc);
		cr_assert_str_eq(u.message, w.message, "variant %zu tells itself apart", i);
	}
	mkuser(pwless, "nopass", NULL, NULL);
	{
		lc_auth_opts a = by_id(pwless, "anything");
		struct failure u = fail_with(&a);
		cr_assert_eq(u.rc, w.rc);
		cr_assert_str_eq(u.message, w.message);
	}
}

static double seconds_of(const lc_auth_opts *a)
{
	struct timespec t0, t1;
	lc_session *s = NULL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	(void)lc_session_password(&s, cloud, a);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	lc_session_free(s);
	return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

Test(auth, a_wrong_password_and_an_unknown_user_take_comparable_time)
{
	lc_auth_opts wrong = by_name("alice", "Default", "not-alices-pw");
	lc_auth_opts unknown = by_name("mallory", "Default", "not-alices-pw");
	double tw[9], tu[9], mw, mu, ratio;

	/* Interleaved, so that drift in machine load hits both alike; medians. */
	for (int i = 0; i < 9; i++) {
		tw[i] = seconds_of(&wrong);
		tu[i] = seconds_of(&unknown);
	}
	qsort(tw, 9, sizeof(double), cmp_double);
	qsort(tu, 9, sizeof(double), cmp_double);
	mw = tw[4];
	mu = tu[4];
	ratio = mw > mu ? mw / mu : mu / mw;
	cr_log_info("median: wrong password %.1f us, unknown user %.1f us", mw * 1e6, mu * 1e6);
	cr_assert_lt(ratio, 10.0, "not the same order of magnitude: wrong %.1f us, unknown %.1f us", mw * 1e6,
		     mu * 1e6);
}

/* ---- disabled principals ---- */

Test(auth, disabling_a_user_stops_its_tokens_and_enabling_restores_them)
{
	lc_session *s = alice_on_proj();
	lc_user_opts o = LC_USER_OPTS_INIT;
	lc_auth_opts a = by_id(alice, "alice-pw");
	lc_session *n = NULL;
	char token[512];

	snprintf(token, sizeof(token), "%s", lc_session_token_id(s));
	o.enabled = 0;
	ASSERT_RC(lc_user_update(NULL, sys, alice, &o), 0);
	ASSERT_RC(validate(token), LC_EAUTH);
	ASSERT_RC(lc_session_password(&n, cloud, &a), LC_EAUTH);
	o.enabled = 1;
	ASSERT_RC(lc_user_update(NULL, sys, alice, &o), 0);
	ASSERT_RC(validate(token), 0);
	lc_session_free(s);
}

Test(auth, disabling_a_project_stops_the_tokens_scoped_to_it_only)
{
	lc_session *scoped = alice_on_proj(), *unscoped;
	lc_auth_opts a = by_id(alice, "alice-pw");
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_session *n = NULL;

	unscoped = login(&a);
	o.enabled = 0;
	ASSERT_RC(lc_project_update(NULL, sys, proj, &o), 0);
	ASSERT_RC(validate(lc_session_token_id(scoped)), LC_EAUTH);
	ASSERT_RC(validate(lc_session_token_id(unscoped)), 0);
	a.scope = LC_SCOPE_PROJECT;
	a.project_id = proj;
	ASSERT_RC(lc_session_password(&n, cloud, &a), LC_EAUTH);
	lc_session_free(scoped);
	lc_session_free(unscoped);
}

Test(auth, disabling_a_domain_stops_its_users_and_projects_tokens)
{
	lc_auth_opts a = by_id(duser, "dana-pw");
	lc_session *scoped, *unscoped, *other = alice_on_proj();
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;

	unscoped = login(&a);
	a.scope = LC_SCOPE_PROJECT;
	a.project_id = dproj;
	scoped = login(&a);
	o.enabled = 0;
	ASSERT_RC(lc_domain_update(NULL, sys, dom, &o), 0);
	ASSERT_RC(validate(lc_session_token_id(scoped)), LC_EAUTH);
	ASSERT_RC(validate(lc_session_token_id(unscoped)), LC_EAUTH);
	ASSERT_RC(validate(lc_session_token_id(other)), 0);
	lc_session_free(scoped);
	lc_session_free(unscoped);
	lc_session_free(other);
}

Test(auth, a_project_in_a_disabled_domain_stops_a_foreign_user_s_token)
{
	/* alice (Default domain) on a project of "elsewhere": disabling "elsewhere" ends the token. */
	lc_auth_opts a = by_id(alice, "alice-pw");
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;
	lc_session *s;

	give("member", alice, dproj, NULL, 0);
	a.scope = LC_SCOPE_PROJECT;
	a.project_id = dproj;
	s = login(&a);
	o.enabled = 0;
	ASSERT_RC(lc_domain_update(NULL, sys, dom, &o), 0);
	ASSERT_RC(validate(lc_session_token_id(s)), LC_EAUTH);
	lc_session_free(s);
}

Test(auth, deleting_a_user_stops_its_tokens)
{
	lc_session *s = alice_on_proj();

	ASSERT_RC(lc_user_delete(sys, alice, 0), 0);
	ASSERT_RC(validate(lc_session_token_id(s)), LC_EAUTH);
	lc_session_free(s);
}

/* ---- bad tokens ---- */

static char flip(char c)
{
	return c == 'A' ? 'B' : 'A';
}

Test(auth, forged_truncated_and_extended_tokens_are_refused)
{
	lc_session *s = alice_on_proj();
	const char *tok = lc_session_token_id(s);
	size_t len = strlen(tok);
	char *t = malloc(len + 2);

	ASSERT_RC(validate(tok), 0);
	for (size_t i = 0; i < len; i++) {
		memcpy(t, tok, len + 1);
		t[i] = flip(t[i]);
		ASSERT_RC(validate(t), LC_EAUTH);
	}
	for (size_t cut = 1; cut < len; cut += (cut < 8 || cut > len - 8) ? 1 : 7) {
		memcpy(t, tok, cut);
		t[cut] = '\0';
		ASSERT_RC(validate(t), LC_EAUTH);
	}
	memcpy(t, tok, len);
	t[len] = 'A';
	t[len + 1] = '\0';
	ASSERT_RC(validate(t), LC_EAUTH);
	ASSERT_RC(validate("not a token at all"), LC_EAUTH);
	ASSERT_RC(validate("AAAA"), LC_EAUTH);
	ASSERT_RC(validate(""), LC_EINVALID);
	{
		lc_session *v = (lc_session *)1;
		ASSERT_RC(lc_session_token(&v, cloud, NULL), LC_EINVALID);
		cr_assert_null(v);
		ASSERT_RC(lc_session_token(NULL, cloud, tok), LC_EINVALID);
		ASSERT_RC(lc_session_token(&v, NULL, tok), LC_EINVALID);
	}
	free(t);
	lc_session_free(s);
}

Test(auth, an_expired_token_is_refused_and_its_session_stops_working, .timeout = 60)
{
	lc_session *s, *v = NULL;
	lc_project_iter *it = NULL;
	char token[512];

	close_cloud();
	open_cloud(1);
	s = alice_on_proj();
	cr_assert_eq(lc_session_expires_at(s) - lc_session_issued_at(s), 1);
	snprintf(token, sizeof(token), "%s", lc_session_token_id(s));
	ASSERT_RC(validate(token), 0);
	sleep(2);
	ASSERT_REJECTS(lc_session_token(&v, cloud, token), LC_EAUTH, "expired");
	ASSERT_RC(lc_project_iter_new(&it, s, NULL), LC_EAUTH);
	cr_assert_null(it);
	lc_session_free(s);
}

Test(auth, a_revoked_token_is_refused_everywhere_and_after_reopen)
{
	lc_session *s = alice_on_proj(), *other = alice_on_proj();
	char token[512];

	snprintf(token, sizeof(token), "%s", lc_session_token_id(s));
	ASSERT_RC(lc_token_revoke(s, token), 0); /* its own token */
	ASSERT_REJECTS(validate(token), LC_EAUTH, "revoked");
	ASSERT_RC(validate(lc_session_token_id(other)), 0); /* the user's other tokens are unaffected */
	ASSERT_RC(lc_token_revoke(sys, token), LC_EAUTH);
	close_cloud();
	open_cloud(0);
	ASSERT_RC(validate(token), LC_EAUTH);
	ASSERT_RC(validate(lc_session_token_id(other)), 0);
	lc_session_free(s);
	lc_session_free(other);
}

Test(auth, revoking_needs_the_token_s_user_or_an_admin)
{
	lc_auth_opts a = by_id(bob, "bob-pw");
	lc_session *b = login(&a), *s = alice_on_proj();
	char forged[512];

	ASSERT_RC(lc_token_revoke(b, lc_session_token_id(s)), LC_EFORBIDDEN);
	ASSERT_RC(validate(lc_session_token_id(s)), 0);
	ASSERT_RC(lc_token_revoke(sys, lc_session_token_id(s)), 0);
	ASSERT_RC(validate(lc_session_token_id(s)), LC_EAUTH);
	snprintf(forged, sizeof(forged), "%s", lc_session_token_id(b));
	forged[10] = flip(forged[10]);
	ASSERT_RC(lc_token_revoke(sys, forged), LC_EAUTH);
	ASSERT_RC(lc_token_revoke(sys, ""), LC_EINVALID);
	ASSERT_RC(lc_token_revoke(sys, NULL), LC_EINVALID);
	ASSERT_RC(lc_token_revoke(NULL, lc_session_token_id(b)), LC_EINVALID);
	ASSERT_RC(validate(lc_session_token_id(b)), 0);
	lc_session_free(b);
	lc_session_free(s);
}

/* Validations may be remembered, but a change made by another process is seen at once. */
static void in_child(void (*fn)(lc_cloud *c, lc_session *s, const void *arg), const void *arg)
{
	pid_t pid;
	int st;

	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		lc_cloud_opts o = LC_CLOUD_OPTS_INIT;
		lc_cloud *c = NULL;
		lc_session *s = NULL;

		o.pwhash_strength = LC_PWHASH_MIN;
		if (lc_cloud_new(&c, &o) != 0 || lc_cloud_open(c, tmp, 0) != 0 || lc_session_system(&s, c) != 0)
			_exit(1);
		fn(c, s, arg);
		lc_session_free(s);
		lc_cloud_free(c);
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the other process failed (%d)", st);
}

static void revoke_there(lc_cloud *c, lc_session *s, const void *arg)
{
	(void)c;
	if (lc_token_revoke(s, arg) != 0)
		_exit(2);
}

static void disable_there(lc_cloud *c, lc_session *s, const void *arg)
{
	lc_user_opts o = LC_USER_OPTS_INIT;

	(void)c;
	o.enabled = 0;
	if (lc_user_update(NULL, s, arg, &o) != 0)
		_exit(3);
}

Test(auth, a_revocation_or_a_disable_by_another_process_is_seen_at_once)
{
	lc_session *s = alice_on_proj(), *b;
	lc_auth_opts a = by_id(bob, "bob-pw");

	b = login(&a);
	for (int i = 0; i < 3; i++) { /* validated, perhaps remembered */
		ASSERT_RC(validate(lc_session_token_id(s)), 0);
		ASSERT_RC(validate(lc_session_token_id(b)), 0);
	}
	in_child(revoke_there, lc_session_token_id(s));
	ASSERT_RC(validate(lc_session_token_id(s)), LC_EAUTH);
	ASSERT_RC(validate(lc_session_token_id(b)), 0);
	in_child(disable_there, bob);
	ASSERT_RC(validate(lc_session_token_id(b)), LC_EAUTH);
	lc_session_free(s);
	lc_session_free(b);
}

/* ---- passwords ---- */

Test(auth, changing_one_s_own_password_ends_older_tokens)
{
	lc_session *s = alice_on_proj(), *n;
	lc_auth_opts a = by_id(alice, "alice-pw");
	char old[512];

	snprintf(old, sizeof(old), "%s", lc_session_token_id(s));
	ASSERT_RC(lc_user_change_password(s, alice, "alice-pw", "alice-new-pw"), 0);
	ASSERT_RC(validate(old), LC_EAUTH);
	ASSERT_RC(lc_session_password(&n, cloud, &a), LC_EAUTH);
	a.password = "alice-new-pw";
	n = login(&a);
	ASSERT_RC(validate(lc_session_token_id(n)), 0);
	lc_session_free(n);
	lc_session_free(s);
}

Test(auth, changing_a_password_needs_the_original_and_one_s_own_account)
{
	lc_session *s = alice_on_proj();
	lc_auth_opts a = by_id(alice, "alice-pw");
	lc_session *n = NULL;

	ASSERT_RC(lc_user_change_password(s, alice, "wrong", "x-new"), LC_EAUTH);
	ASSERT_RC(lc_user_change_password(s, bob, "bob-pw", "x-new"), LC_EFORBIDDEN);
	ASSERT_RC(lc_user_change_password(sys, alice, "alice-pw", "x-new"), LC_EFORBIDDEN);
	ASSERT_REJECTS(lc_user_change_password(s, alice, "alice-pw", ""), LC_EINVALID, "password");
	ASSERT_RC(lc_user_change_password(s, alice, NULL, "x-new"), LC_EINVALID);
	ASSERT_RC(lc_user_change_password(s, alice, "alice-pw", NULL), LC_EINVALID);
	ASSERT_RC(lc_user_change_password(s, "nope", "alice-pw", "x-new"), LC_EINVALID);
	/* Nothing changed: the old password and token still work. */
	ASSERT_RC(validate(lc_session_token_id(s)), 0);
	ASSERT_RC(lc_session_password(&n, cloud, &a), 0);
	lc_session_free(n);
	a = by_id(bob, "bob-pw");
	ASSERT_RC(lc_session_password(&n, cloud, &a), 0);
	lc_session_free(n);
	lc_session_free(s);
}

/* ---- rescoping ---- */

Test(auth, rescoping_an_unscoped_session_to_a_project_and_a_domain)
{
	lc_auth_opts a = by_id(alice, "alice-pw"), scope = LC_AUTH_OPTS_INIT;
	lc_session *u = login(&a), *p = NULL, *d = NULL;

	scope.scope = LC_SCOPE_PROJECT;
	scope.project_id = proj;
	ASSERT_RC(lc_session_rescope(&p, u, &scope), 0);
	cr_assert_eq(lc_session_scope(p), LC_SCOPE_PROJECT);
	cr_assert_str_eq(lc_session_project_id(p), proj);
	cr_assert_str_eq(lc_session_user_id(p), alice);
	cr_assert(lc_session_has_role(p, "member"));
	cr_assert_leq(lc_session_expires_at(p), lc_session_expires_at(u), "a rescoped token does not outlive its source");
	cr_assert_str_neq(lc_session_token_id(p), lc_session_token_id(u));
	ASSERT_RC(validate(lc_session_token_id(p)), 0);
	scope = (lc_auth_opts)LC_AUTH_OPTS_INIT;
	scope.scope = LC_SCOPE_DOMAIN;
	scope.domain_name = "Default";
	ASSERT_RC(lc_session_rescope(&d, p, &scope), 0);
	cr_assert_eq(lc_session_scope(d), LC_SCOPE_DOMAIN);
	lc_session_free(d);
	lc_session_free(p);
	lc_session_free(u);
}

Test(auth, rescoping_needs_a_role_on_the_new_scope_and_a_user)
{
	lc_session *s = alice_on_proj(), *n = (lc_session *)1;
	lc_auth_opts scope = LC_AUTH_OPTS_INIT;

	scope.scope = LC_SCOPE_PROJECT;
	scope.project_id = proj2;
	ASSERT_RC(lc_session_rescope(&n, s, &scope), LC_EAUTH);
	cr_assert_null(n);
	scope.scope = LC_SCOPE_SYSTEM;
	scope.project_id = NULL;
	ASSERT_RC(lc_session_rescope(&n, s, &scope), LC_EAUTH);
	ASSERT_RC(lc_session_rescope(&n, sys, &scope), LC_EINVALID);
	ASSERT_RC(lc_session_rescope(&n, s, NULL), LC_EINVALID);
	ASSERT_RC(lc_session_rescope(&n, NULL, &scope), LC_EINVALID);
	ASSERT_RC(lc_session_rescope(NULL, s, &scope), LC_EINVALID);
	lc_session_free(s);
}

/*
 * Rescoping is Keystone's "token" method: the new token stands on the old
 * one, so an old token that no longer validates must not yield a new one.
 */
Test(auth, rescoping_a_session_whose_token_was_revoked_is_refused)
{
	lc_auth_opts a = by_id(alice, "alice-pw"), scope = LC_AUTH_OPTS_INIT;
	lc_session *s = login(&a), *n = NULL;

	ASSERT_RC(lc_token_revoke(sys, lc_session_token_id(s)), 0);
	ASSERT_RC(validate(lc_session_token_id(s)), LC_EAUTH);
	scope.scope = LC_SCOPE_PROJECT;
	scope.project_id = proj;
	ASSERT_RC(lc_session_rescope(&n, s, &scope), LC_EAUTH);
	cr_assert_null(n, "a revoked token was exchanged for a new one: %s", n ? lc_session_token_id(n) : "");
	lc_session_free(n);
	lc_session_free(s);
}

Test(auth, rescoping_a_session_from_before_a_password_change_is_refused)
{
	lc_auth_opts a = by_id(alice, "alice-pw"), scope = LC_AUTH_OPTS_INIT;
	lc_session *old = login(&a), *now = login(&a), *n = NULL;

	ASSERT_RC(lc_user_change_password(now, alice, "alice-pw", "alice-pw-2"), 0);
	ASSERT_RC(validate(lc_session_token_id(old)), LC_EAUTH);
	scope.scope = LC_SCOPE_PROJECT;
	scope.project_id = proj;
	ASSERT_RC(lc_session_rescope(&n, old, &scope), LC_EAUTH);
	cr_assert_null(n);
	lc_session_free(n);
	lc_session_free(now);
	lc_session_free(old);
}

/* ---- signing keys ---- */

Test(auth, rotating_the_keys_keeps_older_tokens_valid_until_their_key_is_dropped)
{
	lc_auth_opts a = by_name("admin", "Default", ADMIN_PW);
	lc_session *admin, *t0 = alice_on_proj(), *t1;

	a.scope = LC_SCOPE_SYSTEM;
	admin = login(&a);
	ASSERT_RC(lc_token_rotate_keys(admin), 0);
	ASSERT_RC(validate(lc_session_token_id(t0)), 0);
	t1 = alice_on_proj();
	cr_assert_str_neq(lc_session_token_id(t1), lc_session_token_id(t0));
	ASSERT_RC(validate(lc_session_token_id(t1)), 0);
	ASSERT_RC(validate(lc_session_token_id(admin)), 0);
	/* Three keys are kept by default: two more rotations drop the key that signed t0. */
	ASSERT_RC(lc_token_rotate_keys(sys), 0);
	ASSERT_RC(validate(lc_session_token_id(t0)), 0);
	ASSERT_RC(lc_token_rotate_keys(sys), 0);
	ASSERT_RC(validate(lc_session_token_id(t0)), LC_EAUTH);
	ASSERT_RC(validate(lc_session_token_id(t1)), 0);
	lc_session_free(t0);
	lc_session_free(t1);
	lc_session_free(admin);
}

Test(auth, only_an_admin_rotates_keys)
{
	lc_session *s = alice_on_proj();

	ASSERT_RC(lc_token_rotate_keys(s), LC_EFORBIDDEN);
	ASSERT_RC(lc_token_rotate_keys(NULL), LC_EINVALID);
	ASSERT_RC(validate(lc_session_token_id(s)), 0);
	lc_session_free(s);
}

/* ---- a member's token session has a member's limits ---- */

Test(auth, a_member_token_session_cannot_create_projects_or_see_others)
{
	lc_session *pw = alice_on_proj(), *s = NULL;
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *p = NULL;
	lc_project_iter *it = NULL;
	int n = 0;

	ASSERT_RC(lc_session_token(&s, cloud, lc_session_token_id(pw)), 0);
	o.name = "not-allowed";
	ASSERT_RC(lc_project_create(&p, s, &o), LC_EFORBIDDEN);
	ASSERT_RC(lc_project_find(&p, sys, NULL, "not-allowed"), LC_ENOTFOUND);
	ASSERT_RC(lc_project_get(&p, s, proj2), LC_ENOTFOUND);
	ASSERT_RC(lc_project_get(&p, s, proj), 0);
	lc_project_free(p);
	ASSERT_RC(lc_project_iter_new(&it, s, NULL), 0);
	while (lc_project_iter_next(&p, it) == 0) {
		cr_assert_str_eq(lc_project_id(p), proj);
		lc_project_free(p);
		n++;
	}
	lc_project_iter_free(it);
	cr_assert_eq(n, 1);
	lc_session_free(s);
	lc_session_free(pw);
}

Test(auth, auth_opts_init_fills_defaults_and_checks_the_version)
{
	lc_auth_opts o;
	lc_bootstrap_opts b;

	memset(&o, 0x5a, sizeof(o));
	ASSERT_RC(lc_auth_opts_init(&o, LC_AUTH_OPTS_VERSION), 0);
	cr_assert_eq(o.version, LC_AUTH_OPTS_VERSION);
	cr_assert_null(o.user_id);
	cr_assert_null(o.password);
	cr_assert_eq(o.scope, LC_SCOPE_NONE);
	ASSERT_RC(lc_auth_opts_init(&o, 0), LC_EINVALID);
	ASSERT_RC(lc_auth_opts_init(NULL, 1), LC_EINVALID);
	ASSERT_RC(lc_bootstrap_opts_init(&b, LC_BOOTSTRAP_OPTS_VERSION), 0);
	cr_assert_null(b.admin_password);
	ASSERT_REJECTS(lc_cloud_bootstrap(cloud, &b), LC_EINVALID, "admin_password");
	b.admin_password = "";
	ASSERT_RC(lc_cloud_bootstrap(cloud, &b), LC_EINVALID);
	ASSERT_RC(lc_cloud_bootstrap(NULL, &b), LC_EINVALID);
	ASSERT_RC(lc_cloud_bootstrap(cloud, NULL), LC_EINVALID);
}
