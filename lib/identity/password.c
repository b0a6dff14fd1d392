/* Password hashing: argon2id through libsodium, with a dummy hash for unknown users. */
#include "identity/password.h"

#include <string.h>

#include <libcloud/cloud.h>

#include "core/error.h"

#define INVALID_CREDENTIALS "invalid credentials"

static int pick_limits(int strength, unsigned long long *ops, size_t *mem)
{
	switch (strength) {
	case LC_PWHASH_INTERACTIVE:
		*ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
		*mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
		return 0;
	case LC_PWHASH_MODERATE:
		*ops = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
		*mem = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
		return 0;
	case LC_PWHASH_MIN:
		*ops = crypto_pwhash_argon2id_OPSLIMIT_MIN;
		*mem = crypto_pwhash_argon2id_MEMLIMIT_MIN;
		return 0;
	default:
		return lc__error_set(LC_EINVALID, "unknown password hash strength %d", strength);
	}
}

static int hash_bytes(const char *data, size_t len, int strength, char out[LC__PWHASH_MAX])
{
	unsigned long long ops = 0;
	size_t mem = 0;

	LC_TRY(pick_limits(strength, &ops, &mem));
	if (sodium_init() < 0)
		return lc__error_set(LC_ERROR, "libsodium could not be initialised");
	if (crypto_pwhash_argon2id_str(out, data, len, ops, mem) != 0) {
		memset(out, 0, LC__PWHASH_MAX);
		/* The limits are valid, so what remains is argon2 failing to get its memory. */
		return lc__error_set(LC_ENOMEM, "password hashing failed: cannot allocate %zu bytes", mem);
	}
	return 0;
}

int lc__password_hash(const char *password, int strength, char out[LC__PWHASH_MAX])
{
	size_t len;

	LC_CHECK_NOTNULL(out);
	memset(out, 0, LC__PWHASH_MAX);
	LC_CHECK_NOTNULL(password);
	len = strnlen(password, LC__PASSWORD_MAX + 1);
	if (len == 0)
		return lc__error_set(LC_EINVALID, "invalid argument: password is empty");
	if (len > LC__PASSWORD_MAX)
		return lc__error_set(LC_EINVALID, "invalid argument: password is longer than %d bytes",
				     LC__PASSWORD_MAX);
	return hash_bytes(password, len, strength, out);
}

int lc__password_dummy(int strength, char out[LC__PWHASH_MAX])
{
	unsigned char secret[32];
	int rc;

	LC_CHECK_NOTNULL(out);
	memset(out, 0, LC__PWHASH_MAX);
	if (sodium_init() < 0)
		return lc__error_set(LC_ERROR, "libsodium could not be initialised");
	randombytes_buf(secret, sizeof(secret));
	rc = hash_bytes((const char *)secret, sizeof(secret), strength, out);
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

int lc__password_verify(const char *stored_hash, const char *password, const char *dummy_hash)
{
	size_t len;
	int usable, fits, rc;

	/* Checked before anything depends on whether the user exists. */
	LC_CHECK_NOTNULL(password);
	LC_CHECK_NOTNULL(dummy_hash);
	if (sodium_init() < 0)
		return lc__error_set(LC_ERROR, "libsodium could not be initialised");

	/*
	 * Unknown users, and stored hashes that are no argon2 string at all (which
	 * would fail at once), cost one full verification against the dummy, as
	 * does a password too long to have ever been set.
	 */
	usable = stored_hash != NULL && strnlen(stored_hash, LC__PWHASH_MAX) < LC__PWHASH_MAX &&
		 strncmp(stored_hash, "$argon2", 7) == 0;
	len = strnlen(password, LC__PASSWORD_MAX + 1);
	fits = len <= LC__PASSWORD_MAX;
	if (!fits)
		len = LC__PASSWORD_MAX;
	rc = crypto_pwhash_str_verify(usable ? stored_hash : dummy_hash, password, len);
	if (rc == 0 && usable && fits)
		return 0;
	return lc__error_set(LC_EAUTH, INVALID_CREDENTIALS);
}

int lc__password_needs_rehash(const char *hash, int strength)
{
	unsigned long long ops = 0;
	size_t mem = 0;

	LC_CHECK_NOTNULL(hash);
	LC_TRY(pick_limits(strength, &ops, &mem));
	if (strnlen(hash, LC__PWHASH_MAX) >= LC__PWHASH_MAX)
		return 1;
	/* 0: argon2id with these limits; 1: other limits; -1: not an argon2id string. */
	return crypto_pwhash_argon2id_str_needs_rehash(hash, ops, mem) == 0 ? 0 : 1;
}
