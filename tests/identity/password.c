/* Unit tests of password hashing. */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <sodium.h>
#include <string.h>
#include <time.h>

#include <libcloud/cloud.h>
#include <libcloud/errors.h>

#include "identity/password.h"

static void setup(void)
{
	cr_assert(sodium_init() >= 0);
}

TestSuite(password, .init = setup);

static void hash_ok(const char *pw, int strength, char out[LC__PWHASH_MAX])
{
	cr_assert_eq(lc__password_hash(pw, strength, out), 0, "%s", lc_error_last()->message);
}

Test(password, a_hash_verifies_its_password)
{
	char h[LC__PWHASH_MAX], dummy[LC__PWHASH_MAX];

	hash_ok("correct horse battery staple", LC_PWHASH_MIN, h);
	cr_assert_eq(lc__password_dummy(LC_PWHASH_MIN, dummy), 0);
	cr_assert_eq(lc__password_verify(h, "correct horse battery staple", dummy), 0);
}

Test(password, hashes_are_salted_argon2id_without_the_password)
{
	char a[LC__PWHASH_MAX], b[LC__PWHASH_MAX];

	hash_ok("s3cret-password", LC_PWHASH_MIN, a);
	hash_ok("s3cret-password", LC_PWHASH_MIN, b);
	cr_assert_eq(strncmp(a, "$argon2id$", 10), 0, "%s", a);
	cr_assert_str_neq(a, b);
	cr_assert_null(strstr(a, "s3cret"));
	cr_assert_lt(strlen(a), LC__PWHASH_MAX);
}

Test(password, strengths_set_the_argon2_limits)
{
	char h[LC__PWHASH_MAX];

	hash_ok("pw", LC_PWHASH_MIN, h);
	cr_assert_not_null(strstr(h, "$m=8,t=1,"), "%s", h); /* 8 KiB, one pass */
	hash_ok("pw", LC_PWHASH_INTERACTIVE, h);
	cr_assert_not_null(strstr(h, "$m=65536,t=2,"), "%s", h); /* 64 MiB, two passes */
	cr_assert_eq(lc__password_verify(h, "pw", h), 0);
}

Test(password, a_wrong_password_is_invalid_credentials)
{
	char h[LC__PWHASH_MAX], dummy[LC__PWHASH_MAX];

	hash_ok("right", LC_PWHASH_MIN, h);
	cr_assert_eq(lc__password_dummy(LC_PWHASH_MIN, dummy), 0);
	cr_assert_eq(lc__password_verify(h, "wrong", dummy), LC_EAUTH);
	cr_assert_str_eq(lc_error_last()->message, "invalid credentials");
	cr_assert_eq(lc__password_verify(h, "Right", dummy), LC_EAUTH);
	cr_assert_eq(lc__password_verify(h, "right ", dummy), LC_EAUTH);
	cr_assert_eq(lc__password_verify(h, "", dummy), LC_EAUTH);
}

Test(password, unknown_user_and_wrong_password_fail_alike)
{
	char h[LC__PWHASH_MAX], dummy[LC__PWHASH_MAX], msg_wrong[512], msg_unknown[512];
	int rc_wrong, rc_unknown;

	hash_ok("right", LC_PWHASH_MIN, h);
	cr_assert_eq(lc__password_dummy(LC_PWHASH_MIN, dummy), 0);

	rc_wrong = lc__password_verify(h, "wrong", dummy);
	snprintf(msg_wrong, sizeof(msg_wrong), "%s", lc_error_last()->message);
	rc_unknown = lc__password_verify(NULL, "wrong", dummy);
	snprintf(msg_unknown, sizeof(msg_unknown), "%s", lc_error_last()->message);

	cr_assert_eq(rc_wrong, LC_EAUTH);
	cr_assert_eq(rc_unknown, rc_wrong);
	cr_assert_str_eq(msg_unknown, msg_wrong);
	cr_assert_str_eq(msg_unknown, "invalid credentials");
	/* the right password of someone else does not help an unknown user either */
	cr_assert_eq(lc__password_verify(NULL, "right", dummy), LC_EAUTH);
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

Test(password, unknown_user_costs_a_full_verification)
{
	char h[LC__PWHASH_MAX], dummy[LC__PWHASH_MAX];
	double t0, wrong = 0, unknown = 0;

	/* interactive strength: a verification takes long enough to compare */
	hash_ok("right", LC_PWHASH_INTERACTIVE, h);
	cr_assert_eq(lc__password_dummy(LC_PWHASH_INTERACTIVE, dummy), 0);
	for (int i = 0; i < 3; i++) {
		t0 = mono_s();
		cr_assert_eq(lc__password_verify(h, "wrong", dummy), LC_EAUTH);
		wrong += mono_s() - t0;
		t0 = mono_s();
		cr_assert_eq(lc__password_verify(NULL, "wrong", dummy), LC_EAUTH);
		unknown += mono_s() - t0;
	}
	cr_log_info("verify: wrong password %.1f ms, unknown user %.1f ms", wrong / 3 * 1e3, unknown / 3 * 1e3);
	/* not a timing assertion, a sanity one: both ran argon2 at 64 MiB, not an early exit */
	cr_assert_gt(unknown, wrong / 4);
}

Test(password, an_unusable_stored_hash_is_invalid_credentials)
{
	char dummy[LC__PWHASH_MAX], long_hash[LC__PWHASH_MAX + 10];
	static const char *stored[] = { "", "!", "*locked*", "$argon2id$garbage", "$2b$12$abcdefghijklmnopqrstuv",
					"$argon2id$v=19$m=8,t=1,p=1$AAAA$AAAA" };

	cr_assert_eq(lc__password_dummy(LC_PWHASH_MIN, dummy), 0);
	for (size_t i = 0; i < sizeof(stored) / sizeof(stored[0]); i++) {
		cr_assert_eq(lc__password_verify(stored[i], "pw", dummy), LC_EAUTH, "stored '%s'", stored[i]);
		cr_assert_str_eq(lc_error_last()->message, "invalid credentials");
	}
	memset(long_hash, 'a', sizeof(long_hash) - 1);
	memcpy(long_hash, "$argon2id$", 10);
	long_hash[sizeof(long_hash) - 1] = '\0';
	cr_assert_eq(lc__password_verify(long_hash, "pw", dummy), LC_EAUTH);
}

Test(password, the_dummy_hash_matches_no_password)
{
	char dummy[LC__PWHASH_MAX], other[LC__PWHASH_MAX];
	static const char *tries[] = { "", "password", "0", "dummy" };

	cr_assert_eq(lc__password_dummy(LC_PWHASH_MIN, dummy), 0);
	cr_assert_eq(lc__password_dummy(LC_PWHASH_MIN, other), 0);
	cr_assert_eq(strncmp(dummy, "$argon2id$v=19$m=8,t=1,", 23), 0, "%s", dummy);
	cr_assert_str_neq(dummy, other);
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		cr_assert_eq(lc__password_verify(dummy, tries[i], other), LC_EAUTH);
		cr_assert_eq(lc__password_verify(NULL, tries[i], dummy), LC_EAUTH);
	}
}

Test(password, bad_arguments_are_invalid)
{
	char h[LC__PWHASH_MAX], dummy[LC__PWHASH_MAX], *huge;

	cr_assert_eq(lc__password_hash(NULL, LC_PWHASH_MIN, h), LC_EINVALID);
	cr_assert_eq(lc__password_hash("", LC_PWHASH_MIN, h), LC_EINVALID);
	cr_assert_eq(h[0], '\0');
	cr_assert_eq(lc__password_hash("pw", 3, h), LC_EINVALID);
	cr_assert_eq(lc__password_hash("pw", -1, h), LC_EINVALID);
	cr_assert_eq(lc__password_hash("pw", LC_PWHASH_MIN, NULL), LC_EINVALID);
	cr_assert_eq(lc__password_dummy(7, dummy), LC_EINVALID);
	cr_assert_eq(lc__password_dummy(LC_PWHASH_MIN, NULL), LC_EINVALID);

	cr_assert_eq(lc__password_dummy(LC_PWHASH_MIN, dummy), 0);
	hash_ok("pw", LC_PWHASH_MIN, h);
	cr_assert_eq(lc__password_verify(h, NULL, dummy), LC_EINVALID);
	cr_assert_eq(lc__password_verify(NULL, NULL, dummy), LC_EINVALID);
	cr_assert_eq(lc__password_verify(h, "pw", NULL), LC_EINVALID);
	cr_assert_eq(lc__password_verify(NULL, "pw", NULL), LC_EINVALID);

	huge = malloc(LC__PASSWORD_MAX + 2);
	cr_assert_not_null(huge);
	memset(huge, 'p', LC__PASSWORD_MAX + 1);
	huge[LC__PASSWORD_MAX + 1] = '\0';
	cr_assert_eq(lc__password_hash(huge, LC_PWHASH_MIN, h), LC_EINVALID);
	huge[LC__PASSWORD_MAX] = '\0';
	hash_ok(huge, LC_PWHASH_MIN, h); /* the longest accepted */
	cr_assert_eq(lc__password_verify(h, huge, dummy), 0);
	/* one byte longer never matches, even though its first LC__PASSWORD_MAX bytes do */
	huge[LC__PASSWORD_MAX] = 'p';
	cr_assert_eq(lc__password_verify(h, huge, dummy), LC_EAUTH);
	cr_assert_str_eq(lc_error_last()->message, "invalid credentials");
	free(huge);
}

Test(password, needs_rehash_follows_the_configured_strength)
{
	char h[LC__PWHASH_MAX], legacy[LC__PWHASH_MAX];

	hash_ok("pw", LC_PWHASH_MIN, h);
	cr_assert_eq(lc__password_needs_rehash(h, LC_PWHASH_MIN), 0);
	cr_assert_eq(lc__password_needs_rehash(h, LC_PWHASH_INTERACTIVE), 1);
	cr_assert_eq(lc__password_needs_rehash(h, LC_PWHASH_MODERATE), 1);
	/* argon2i, even with the same limits, moves to argon2id */
	cr_assert_eq(crypto_pwhash_argon2i_str(legacy, "pw", 2, 3, crypto_pwhash_argon2i_MEMLIMIT_MIN), 0);
	cr_assert_eq(lc__password_needs_rehash(legacy, LC_PWHASH_MIN), 1);
	cr_assert_eq(lc__password_needs_rehash("garbage", LC_PWHASH_MIN), 1);
	cr_assert_eq(lc__password_needs_rehash(NULL, LC_PWHASH_MIN), LC_EINVALID);
	cr_assert_eq(lc__password_needs_rehash(h, 99), LC_EINVALID);
}
