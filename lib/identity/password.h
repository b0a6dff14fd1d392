/* Internal: password hashing (argon2id through libsodium's crypto_pwhash_str). */
#ifndef LC_IDENTITY_PASSWORD_H
#define LC_IDENTITY_PASSWORD_H

#include <sodium.h>

/* Size of a stored hash buffer: the encoded string and its NUL. */
#define LC__PWHASH_MAX crypto_pwhash_STRBYTES

/* Longest password accepted, in bytes. */
#define LC__PASSWORD_MAX 4096

/*
 * Hash a password with argon2id at `strength` (an lc_pwhash_strength).
 * out receives the NUL-terminated encoded hash ("$argon2id$v=19$m=...").
 * The password is not copied.
 * Returns 0, LC_EINVALID (NULL or empty password, longer than
 * LC__PASSWORD_MAX, unknown strength) or LC_ENOMEM (argon2 could not get its
 * memory). Thread-safe.
 */
int lc__password_hash(const char *password, int strength, char out[LC__PWHASH_MAX]);

/*
 * Check a password against a stored hash. stored_hash is NULL when the user
 * does not exist: the password is then checked against dummy_hash (made by
 * lc__password_dummy at the same strength) so that an unknown user costs the
 * same time as a wrong password.
 * Returns 0 on a match; LC_EAUTH with the message "invalid credentials" for an
 * unknown user, a wrong password or an unusable stored hash, all alike;
 * LC_EINVALID if password or dummy_hash is NULL (a caller bug, independent of
 * whether the user exists). Thread-safe.
 */
int lc__password_verify(const char *stored_hash, const char *password, const char *dummy_hash);

/*
 * Make the dummy hash: the hash of 32 random bytes at `strength`, which no
 * password matches. Returns 0, LC_EINVALID, LC_ENOMEM. Thread-safe.
 */
int lc__password_dummy(int strength, char out[LC__PWHASH_MAX]);

/*
 * Whether a stored hash should be recomputed at `strength` (after a
 * successful verify): 1 if it is not argon2id or its limits differ, 0 if it is
 * current, LC_EINVALID for a NULL hash or an unknown strength.
 */
int lc__password_needs_rehash(const char *hash, int strength);

#endif
