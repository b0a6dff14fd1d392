/*
 * libcloud - compute: SSH key pairs, owned by a user (as in Nova).
 *
 * A key pair is imported (a public key, validated) or generated (the
 * private key is returned once, by the create call, and never stored).
 * Key material is parsed and produced by OpenSSL. The fingerprint is what
 * Nova reports: the MD5 of the decoded public key blob, as colon-separated
 * lower-case hex.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_KEYPAIR_H
#define LIBCLOUD_KEYPAIR_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** An immutable snapshot of one key pair. */
typedef struct lc_keypair lc_keypair;
/** An iterator over key pairs. */
typedef struct lc_keypair_iter lc_keypair_iter;

/** Longest key pair name (bytes). */
#define LC_KEYPAIR_NAME_MAX 255
/** Longest public key accepted (bytes). */
#define LC_KEYPAIR_PUBLIC_KEY_MAX 16384

/** Current version of lc_keypair_opts. */
#define LC_KEYPAIR_OPTS_VERSION 1

/** Attributes for lc_keypair_create(). NULL means "not given". */
typedef struct lc_keypair_opts {
	unsigned int version;      /**< LC_KEYPAIR_OPTS_VERSION */
	const char *name;          /**< required: 1..255 of letters, digits, '_', '-' and spaces, not blank */
	const char *public_key;    /**< an OpenSSH public key line to import: ssh-ed25519, ssh-rsa (>= 2048
	                                bits) or ecdsa-sha2-nistp256/384/521; NULL: generate a key pair */
	const char *type;          /**< "ssh" (the default; the only type supported) */
	const char *algorithm;     /**< when generating: "rsa" (2048 bits, the default, as Nova) or "ed25519" */
	const char *user_id;       /**< owner; default the caller; another user needs admin */
} lc_keypair_opts;

/** Static initialiser for lc_keypair_opts: nothing given. */
#define LC_KEYPAIR_OPTS_INIT { LC_KEYPAIR_OPTS_VERSION, NULL, NULL, NULL, NULL, NULL }

/**
 * Initialise an lc_keypair_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_KEYPAIR_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_keypair_opts_init(lc_keypair_opts *opts, unsigned int version);

/**
 * Import or generate a key pair. Charges the owner's "key_pairs" quota
 * (counted per user, as in Nova). Durable when the call returns.
 *
 * @param out out, may be NULL: the new key pair; when generated, its
 *        lc_keypair_private_key() is the only copy of the private key
 * @param s the caller (policy "compute:create_keypair": the owner, or admin)
 * @param opts name required
 * @return 0, LC_EINVALID (bad name, unparsable or weak public key, unknown
 *         algorithm), LC_ENOTSUPPORTED (type "x509"), LC_EEXISTS (the user
 *         has a key pair of that name), LC_EQUOTA, LC_ENOTFOUND (no such
 *         user), LC_EFORBIDDEN, LC_ENOMEM, LC_EIO
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_keypair_create(lc_keypair **out, lc_session *s, const lc_keypair_opts *opts);

/**
 * Find a key pair by name. Another user's key pair is LC_ENOTFOUND unless
 * the caller is admin.
 *
 * @param out out: the snapshot; free with lc_keypair_free()
 * @param s the caller (policy "compute:get_keypair")
 * @param user_id the owner, or NULL for the caller
 * @param name the name
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_keypair_find(lc_keypair **out, lc_session *s, const char *user_id, const char *name);

/**
 * Delete a key pair. Releases the owner's quota. Servers that were given it
 * keep their copy of the public key.
 *
 * @param s the caller (policy "compute:delete_keypair": the owner, or admin)
 * @param user_id the owner, or NULL for the caller
 * @param name the name
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_keypair_delete(lc_session *s, const char *user_id, const char *name, unsigned int flags);

/**
 * Start listing key pairs: the caller's own, in creation order. Filter:
 * "user_id" (another user's needs admin).
 *
 * @param out out: the iterator; free with lc_keypair_iter_free()
 * @param s the caller (policy "compute:list_keypairs")
 * @param opts paging and filters, or NULL; the marker is a key pair name
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_keypair_iter_new(lc_keypair_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next key pair of an iterator.
 *
 * @param out out: the next snapshot; free with lc_keypair_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_keypair_iter_next(lc_keypair **out, lc_keypair_iter *it);

/**
 * Free a key pair iterator. NULL-safe.
 *
 * @param it the iterator, or NULL
 * @note Since 0.1.
 */
LC_EXTERN void lc_keypair_iter_free(lc_keypair_iter *it);

/** The key pair's name; borrowed until lc_keypair_free(). @param k the key pair @return the name. @note Since 0.1. */
LC_EXTERN const char *lc_keypair_name(const lc_keypair *k);
/** The owner's user id; borrowed. @param k the key pair @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_keypair_user_id(const lc_keypair *k);
/** The type, "ssh"; borrowed. @param k the key pair @return the type. @note Since 0.1. */
LC_EXTERN const char *lc_keypair_type(const lc_keypair *k);
/** The OpenSSH public key line; borrowed. @param k the key pair @return the key. @note Since 0.1. */
LC_EXTERN const char *lc_keypair_public_key(const lc_keypair *k);
/** The fingerprint, "aa:bb:..." (MD5, as Nova); borrowed. @param k the key pair @return the fingerprint. @note Since 0.1. */
LC_EXTERN const char *lc_keypair_fingerprint(const lc_keypair *k);
/**
 * The private key (PEM) of a key pair just generated; borrowed.
 *
 * @param k the key pair
 * @return the PEM text, only on the snapshot returned by lc_keypair_create()
 *         for a generated key pair; else NULL
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_keypair_private_key(const lc_keypair *k);
/** Creation time. @param k the key pair @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_keypair_created_at(const lc_keypair *k);
/** Free a key pair snapshot (wiping a private key). NULL-safe. @param k the key pair, or NULL. @note Since 0.1. */
LC_EXTERN void lc_keypair_free(lc_keypair *k);

LC_END_DECLS

#endif
