/*
 * libcloud - identity: domains.
 *
 * A domain is a namespace for projects, users and roles (Keystone v3).
 * The domain named "Default" (id "default") exists in every cloud.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_DOMAIN_H
#define LIBCLOUD_DOMAIN_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** Id of the domain that every cloud has. */
#define LC_DEFAULT_DOMAIN_ID "default"

/** An immutable snapshot of one domain. */
typedef struct lc_domain lc_domain;
/** An iterator over domains. */
typedef struct lc_domain_iter lc_domain_iter;

/** Current version of lc_domain_opts. */
#define LC_DOMAIN_OPTS_VERSION 1

/**
 * Attributes for lc_domain_create() and lc_domain_update(). NULL strings and
 * LC_UNSET booleans mean "not given": the default on create, unchanged on
 * update.
 */
typedef struct lc_domain_opts {
	unsigned int version;    /**< LC_DOMAIN_OPTS_VERSION */
	const char *name;        /**< 1..LC_NAME_MAX bytes of UTF-8, unique; required on create */
	const char *description; /**< 0..LC_DESCRIPTION_MAX bytes of UTF-8 */
	int enabled;             /**< 1, 0 or LC_UNSET (create default: 1) */
} lc_domain_opts;

/** Static initialiser for lc_domain_opts: nothing given. */
#define LC_DOMAIN_OPTS_INIT { LC_DOMAIN_OPTS_VERSION, NULL, NULL, LC_UNSET }

/**
 * Initialise an lc_domain_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_DOMAIN_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_domain_opts_init(lc_domain_opts *opts, unsigned int version);

/**
 * Create a domain. Durable when the call returns.
 *
 * @param out out, may be NULL: a snapshot of the new domain; free with lc_domain_free()
 * @param s the caller; needs the admin role (policy "identity:create_domain")
 * @param opts name required
 * @return 0, LC_EINVALID (NULL, empty, too long, bad UTF-8 or control
 *         characters, unknown version), LC_EEXISTS (name taken),
 *         LC_EFORBIDDEN, LC_ENOMEM, LC_EIO
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_domain_create(lc_domain **out, lc_session *s, const lc_domain_opts *opts);

/**
 * Get a domain by id.
 *
 * @param out out: the snapshot; free with lc_domain_free()
 * @param s the caller (policy "identity:get_domain")
 * @param id the domain id
 * @return 0, LC_EINVALID, LC_ENOTFOUND (unknown or not visible), LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_domain_get(lc_domain **out, lc_session *s, const char *id);

/**
 * Find a domain by name.
 *
 * @param out out: the snapshot; free with lc_domain_free()
 * @param s the caller (policy "identity:get_domain")
 * @param name the exact name
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_domain_find(lc_domain **out, lc_session *s, const char *name);

/**
 * Update a domain's name, description or enabled flag. Disabling a domain
 * stops the tokens of its users and projects from validating.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs admin (policy "identity:update_domain")
 * @param id the domain id
 * @param opts what to change
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EEXISTS (new name taken), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_domain_update(lc_domain **out, lc_session *s, const char *id, const lc_domain_opts *opts);

/**
 * Delete a domain. As in Keystone the domain must be disabled first, and it
 * must own no project, user or role.
 *
 * @param s the caller; needs admin (policy "identity:delete_domain")
 * @param id the domain id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (enabled, not empty, or
 *         the Default domain), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_domain_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing domains. Filters: "name", "enabled".
 *
 * @param out out: the iterator; free with lc_domain_iter_free()
 * @param s the caller (policy "identity:list_domains")
 * @param opts paging and filters, or NULL for all
 * @return 0, LC_EINVALID (bad marker or filter), LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_domain_iter_new(lc_domain_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next domain of an iterator.
 *
 * @param out out: the next snapshot; free with lc_domain_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_domain_iter_next(lc_domain **out, lc_domain_iter *it);

/** Free a domain iterator. NULL-safe. Since 0.1. */
LC_EXTERN void lc_domain_iter_free(lc_domain_iter *it);

/** The domain's id; borrowed until lc_domain_free(). Since 0.1. */
LC_EXTERN const char *lc_domain_id(const lc_domain *d);
/** The domain's name; borrowed until lc_domain_free(). Since 0.1. */
LC_EXTERN const char *lc_domain_name(const lc_domain *d);
/** The domain's description, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_domain_description(const lc_domain *d);
/** 1 if the domain is enabled, else 0. Since 0.1. */
LC_EXTERN int lc_domain_enabled(const lc_domain *d);
/** Free a domain snapshot. NULL-safe. Since 0.1. */
LC_EXTERN void lc_domain_free(lc_domain *d);

LC_END_DECLS

#endif
