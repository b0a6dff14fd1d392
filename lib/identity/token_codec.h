/*
 * Internal: the token format and the token signing keys.
 *
 * A token is base64url (no padding) of
 *   version (1 byte) | key id (4 bytes, big-endian) | payload | tag (32 bytes)
 * where tag is keyed BLAKE2b-256 (crypto_generichash) of everything before it
 * under the key named by key id. The payload is authenticated, not encrypted:
 * whoever holds a token can read the ids in it.
 *
 * Keys live in a directory as Keystone's fernet-keys do: one file per key,
 * named by its decimal id, holding 32 random bytes. The highest id is the
 * primary key, which signs; every key present validates. Rotation writes a
 * new primary and removes the oldest keys beyond `keep`.
 */
#ifndef LC_IDENTITY_TOKEN_CODEC_H
#define LC_IDENTITY_TOKEN_CODEC_H

#include <stddef.h>
#include <stdint.h>

#define LC__TOKEN_VERSION 1

/* lc__token_payload.scope */
#define LC__TOKEN_SCOPE_NONE 0
#define LC__TOKEN_SCOPE_PROJECT 1
#define LC__TOKEN_SCOPE_DOMAIN 2
#define LC__TOKEN_SCOPE_SYSTEM 3

/* lc__token_payload.methods bits */
#define LC__TOKEN_METHOD_PASSWORD 0x01
#define LC__TOKEN_METHOD_TOKEN 0x02

/* Longest id (user_id, scope_id) a token carries, in bytes. */
#define LC__TOKEN_ID_MAX 64

/* Size of a buffer that holds any token: 268 characters and the NUL. */
#define LC__TOKEN_TEXT_MAX 269

/* Most keys a repository holds; also the largest `keep`. */
#define LC__TOKEN_KEYS_MAX 64

typedef struct lc__token_payload {
	uint8_t scope;                        /* LC__TOKEN_SCOPE_* */
	uint8_t methods;                      /* LC__TOKEN_METHOD_* bits */
	char user_id[LC__TOKEN_ID_MAX + 1];   /* not empty */
	char scope_id[LC__TOKEN_ID_MAX + 1];  /* empty iff scope is NONE; not empty for PROJECT, DOMAIN */
	int64_t issued_us;                    /* Unix microseconds, >= 0 */
	int64_t expires_us;                   /* Unix microseconds, > issued_us */
	uint8_t audit_id[16];
} lc__token_payload;

/* A key repository: the keys of one directory, shared by every thread. */
typedef struct lc__token_keys lc__token_keys;

/*
 * Open the key repository in `keydir`, creating the directory (0700) if it is
 * missing (its parent must exist) and a first key if it holds none.
 * keep: how many keys rotation leaves (2..LC__TOKEN_KEYS_MAX; 0 means 3).
 * On success *out owns the repository (lc__token_keys_free); on failure *out
 * is NULL. Returns 0, LC_EINVALID (arguments, keydir not a directory),
 * LC_ENOTFOUND (keydir's parent is missing), LC_EIO, LC_ENOMEM, LC_ECORRUPT
 * (a key file that is not 32 bytes). Files whose names are not key ids are
 * ignored. Other processes may use the same directory.
 */
int lc__token_keys_open(lc__token_keys **out, const char *keydir, unsigned keep);

/*
 * Write a new primary key (fsynced, renamed into place without replacing any
 * key, directory fsynced), then delete the oldest keys beyond `keep` and load
 * the directory. Another process rotating at the same time gets the next id:
 * a key file is never replaced. Returns 0, LC_ENOMEM, LC_EIO, LC_ECORRUPT; if
 * the new key could not be written the keys in use are unchanged, and if only
 * the deletion of an old key failed the new key is in use and the error is
 * returned. Thread-safe: encode and decode may run meanwhile.
 */
int lc__token_keys_rotate(lc__token_keys *k);

/*
 * Load the directory again (keys added or deleted by another process).
 * Decode does this by itself when it meets a key newer than its primary;
 * calling it now and then also drops keys deleted elsewhere.
 * Returns 0, LC_ENOMEM, LC_EIO, LC_ECORRUPT (no key left); on failure the keys
 * in use are unchanged. Thread-safe.
 */
int lc__token_keys_reload(lc__token_keys *k);

/* Id of the primary key (k not NULL). Thread-safe. */
uint32_t lc__token_keys_primary(lc__token_keys *k);

/* Number of keys that validate (k not NULL). Thread-safe. */
unsigned lc__token_keys_count(lc__token_keys *k);

/* Free a repository (NULL-safe); its keys are wiped from memory. No other
 * thread may be using it. The directory is left as it is. */
void lc__token_keys_free(lc__token_keys *k);

/*
 * Sign `p` with the primary key and write the NUL-terminated token to
 * out[0..outsz) (LC__TOKEN_TEXT_MAX always suffices; a project-scoped token
 * with UUID ids is 140 characters).
 * Returns 0 or LC_EINVALID (NULL argument, buffer too small, scope or ids that
 * break the lc__token_payload rules). Thread-safe.
 */
int lc__token_encode(lc__token_keys *k, const lc__token_payload *p, char *out, size_t outsz);

/*
 * Check a token and read its payload into *out (written only on success).
 * Returns 0; LC_EINVALID for a NULL argument or an empty token; LC_EAUTH with
 * "invalid token" for anything malformed, truncated, extended, forged, of
 * another version or signed by a key not present, and "token expired" once
 * now_us >= expires_us. Bounded work and no allocation for any input; a key
 * id newer than the primary makes it reload the directory once if that key
 * exists there. Thread-safe; runs concurrently with rotation.
 */
int lc__token_decode(lc__token_keys *k, const char *token, int64_t now_us, lc__token_payload *out);

#endif
