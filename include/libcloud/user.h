/*
 * libcloud - identity: users.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_USER_H
#define LIBCLOUD_USER_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** Longest password accepted (bytes). */
#define LC_PASSWORD_MAX 4096

/** An immutable snapshot of one user. The password hash is never exposed. */
typedef struct lc_user lc_user;
/** An iterator over users. */
typedef struct lc_user_iter lc_user_iter;

/** Current version of lc_user_opts. */
#define LC_USER_OPTS_VERSION 1

/**
 * Attributes for lc_user_create() and lc_user_update(). NULL strings and
 * LC_UNSET booleans mean "not given". domain_id is set at create only.
 * The password is hashed with argon2id before anything is stored; the clear
 * text never reaches the store or a log.
 */
typedef struct lc_user_opts {
	unsigned int version;           /**< LC_USER_OPTS_VERSION */
	const char *name;               /**< 1..LC_NAME_MAX bytes, unique within its domain; required on create */
	const char *domain_id;          /**< default "default" */
	const char *default_project_id; /**< an existing project, or NULL; "" clears it on update */
	const char *description;        /**< 0..LC_DESCRIPTION_MAX bytes */
	const char *password;           /**< 1..LC_PASSWORD_MAX bytes, or NULL: no password (cannot authenticate) */
	int enabled;                    /**< 1, 0 or LC_UNSET (create default: 1) */
} lc_user_opts;

/** Static initialiser for lc_user_opts: nothing given. */
#define LC_USER_OPTS_INIT { LC_USER_OPTS_VERSION, NULL, NULL, NULL, NULL, NULL, LC_UNSET }

/**
 * Initialise an lc_user_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_USER_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_user_opts_init(lc_user_opts *opts, unsigned int version);

/**
 * Create a user. Durable when the call returns.
 *
 * @param out out, may be NULL: the new user; free with lc_user_free()
 * @param s the caller; needs admin (policy "identity:create_user")
 * @param opts name required
 * @return 0, LC_EINVALID, LC_ENOTFOUND (unknown domain or default project),
 *         LC_EEXISTS (name taken in the domain), LC_EFORBIDDEN, LC_ENOMEM, LC_EIO
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_user_create(lc_user **out, lc_session *s, const lc_user_opts *opts);

/**
 * Get a user by id.
 *
 * @param out out: the snapshot; free with lc_user_free()
 * @param s the caller (policy "identity:get_user": admin or the user itself)
 * @param id the user id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_user_get(lc_user **out, lc_session *s, const char *id);

/**
 * Find a user by name within a domain.
 *
 * @param out out: the snapshot; free with lc_user_free()
 * @param s the caller (policy "identity:get_user")
 * @param domain_id the domain, or NULL for "default"
 * @param name the exact name
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_user_find(lc_user **out, lc_session *s, const char *domain_id, const char *name);

/**
 * Update a user. Disabling a user stops its tokens from validating; a new
 * password (admin reset) takes effect at once and ends the tokens issued
 * before it.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs admin (policy "identity:update_user")
 * @param id the user id
 * @param opts what to change (domain_id must be NULL)
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EEXISTS, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_user_update(lc_user **out, lc_session *s, const char *id, const lc_user_opts *opts);

/**
 * Change one's own password (Keystone's self-service change): the caller
 * must be the user and give the current password. Tokens issued before the
 * change stop validating.
 *
 * @param s the caller, authenticated as the user id
 * @param id the user id
 * @param original_password the current password
 * @param new_password 1..LC_PASSWORD_MAX bytes
 * @return 0, LC_EINVALID, LC_EAUTH (wrong original password), LC_ENOTFOUND,
 *         LC_EFORBIDDEN (another user)
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_user_change_password(lc_session *s, const char *id, const char *original_password,
				      const char *new_password);

/**
 * Delete a user with its role assignments; its tokens stop validating.
 *
 * @param s the caller; needs admin (policy "identity:delete_user")
 * @param id the user id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_user_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing users. Filters: "name", "domain_id", "enabled",
 * "default_project_id".
 *
 * @param out out: the iterator; free with lc_user_iter_free()
 * @param s the caller (policy "identity:list_users")
 * @param opts paging and filters, or NULL for all
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_user_iter_new(lc_user_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next user of an iterator.
 *
 * @param out out: the next snapshot; free with lc_user_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_user_iter_next(lc_user **out, lc_user_iter *it);

/** Free a user iterator. NULL-safe. Since 0.1. */
LC_EXTERN void lc_user_iter_free(lc_user_iter *it);

/** The user's id; borrowed until lc_user_free(). Since 0.1. */
LC_EXTERN const char *lc_user_id(const lc_user *u);
/** The user's name; borrowed. Since 0.1. */
LC_EXTERN const char *lc_user_name(const lc_user *u);
/** The id of the user's domain; borrowed. Since 0.1. */
LC_EXTERN const char *lc_user_domain_id(const lc_user *u);
/** The user's default project id, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_user_default_project_id(const lc_user *u);
/** The user's description, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_user_description(const lc_user *u);
/** 1 if the user is enabled, else 0. Since 0.1. */
LC_EXTERN int lc_user_enabled(const lc_user *u);
/** Free a user snapshot. NULL-safe. Since 0.1. */
LC_EXTERN void lc_user_free(lc_user *u);

LC_END_DECLS

#endif
