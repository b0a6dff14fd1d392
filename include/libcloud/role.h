/*
 * libcloud - identity: roles and role assignments.
 *
 * Roles "admin", "member" and "reader" exist in every cloud (created by
 * lc_cloud_bootstrap()); "admin" implies "member", which implies "reader".
 * A role is granted to a user on a project, on a domain or on the system.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_ROLE_H
#define LIBCLOUD_ROLE_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** An immutable snapshot of one role. */
typedef struct lc_role lc_role;
/** An iterator over roles. */
typedef struct lc_role_iter lc_role_iter;
/** An immutable snapshot of one role assignment. */
typedef struct lc_role_assignment lc_role_assignment;
/** An iterator over role assignments. */
typedef struct lc_role_assignment_iter lc_role_assignment_iter;

/** Current version of lc_role_opts. */
#define LC_ROLE_OPTS_VERSION 1

/** Attributes for lc_role_create() and lc_role_update(). */
typedef struct lc_role_opts {
	unsigned int version;    /**< LC_ROLE_OPTS_VERSION */
	const char *name;        /**< 1..LC_NAME_MAX bytes, unique; required on create */
	const char *description; /**< 0..LC_DESCRIPTION_MAX bytes */
} lc_role_opts;

/** Static initialiser for lc_role_opts: nothing given. */
#define LC_ROLE_OPTS_INIT { LC_ROLE_OPTS_VERSION, NULL, NULL }

/**
 * Initialise an lc_role_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_ROLE_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_role_opts_init(lc_role_opts *opts, unsigned int version);

/**
 * Create a custom role.
 *
 * @param out out, may be NULL: the new role; free with lc_role_free()
 * @param s the caller; needs admin (policy "identity:create_role")
 * @param opts name required
 * @return 0, LC_EINVALID, LC_EEXISTS, LC_EFORBIDDEN, LC_ENOMEM, LC_EIO
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_role_create(lc_role **out, lc_session *s, const lc_role_opts *opts);

/**
 * Get a role by id.
 *
 * @param out out: the snapshot; free with lc_role_free()
 * @param s the caller (policy "identity:get_role")
 * @param id the role id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_role_get(lc_role **out, lc_session *s, const char *id);

/**
 * Find a role by name.
 *
 * @param out out: the snapshot; free with lc_role_free()
 * @param s the caller (policy "identity:get_role")
 * @param name the exact name
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_role_find(lc_role **out, lc_session *s, const char *name);

/**
 * Rename a role or change its description. The built-in roles cannot be renamed.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs admin (policy "identity:update_role")
 * @param id the role id
 * @param opts what to change
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EEXISTS, LC_ECONFLICT (built-in), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_role_update(lc_role **out, lc_session *s, const char *id, const lc_role_opts *opts);

/**
 * Delete a custom role with all its assignments.
 *
 * @param s the caller; needs admin (policy "identity:delete_role")
 * @param id the role id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (built-in role), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_role_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing roles. Filters: "name".
 *
 * @param out out: the iterator; free with lc_role_iter_free()
 * @param s the caller (policy "identity:list_roles")
 * @param opts paging and filters, or NULL for all
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_role_iter_new(lc_role_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next role of an iterator.
 *
 * @param out out: the next snapshot; free with lc_role_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_role_iter_next(lc_role **out, lc_role_iter *it);

/** Free a role iterator. NULL-safe. Since 0.1. */
LC_EXTERN void lc_role_iter_free(lc_role_iter *it);

/** The role's id; borrowed until lc_role_free(). Since 0.1. */
LC_EXTERN const char *lc_role_id(const lc_role *r);
/** The role's name; borrowed. Since 0.1. */
LC_EXTERN const char *lc_role_name(const lc_role *r);
/** The role's description, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_role_description(const lc_role *r);
/** Free a role snapshot. NULL-safe. Since 0.1. */
LC_EXTERN void lc_role_free(lc_role *r);

/** Current version of lc_grant. */
#define LC_GRANT_VERSION 1

/**
 * One role assignment: a role, a user, and exactly one target (a project,
 * a domain, or the system). As a filter (lc_role_assignment_iter_new())
 * every NULL field and system == 0 means "any".
 */
typedef struct lc_grant {
	unsigned int version;   /**< LC_GRANT_VERSION */
	const char *role_id;    /**< the role */
	const char *user_id;    /**< the user */
	const char *project_id; /**< target project, or NULL */
	const char *domain_id;  /**< target domain, or NULL */
	int system;             /**< 1: the target is the system */
} lc_grant;

/** Static initialiser for lc_grant: nothing given. */
#define LC_GRANT_INIT { LC_GRANT_VERSION, NULL, NULL, NULL, NULL, 0 }

/**
 * Initialise an lc_grant: nothing given.
 *
 * @param g out: the struct to fill
 * @param version LC_GRANT_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_grant_init(lc_grant *g, unsigned int version);

/**
 * Grant a role. Granting an existing assignment again succeeds and changes
 * nothing (PUT semantics).
 *
 * @param s the caller; needs admin (policy "identity:create_grant")
 * @param g role, user and exactly one target
 * @return 0, LC_EINVALID (no or several targets, malformed ids), LC_ENOTFOUND
 *         (unknown role, user, project or domain), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_role_grant(lc_session *s, const lc_grant *g);

/**
 * Revoke a role assignment. Tokens that carried the role stop carrying it.
 *
 * @param s the caller; needs admin (policy "identity:revoke_grant")
 * @param g role, user and exactly one target
 * @return 0, LC_EINVALID, LC_ENOTFOUND (no such assignment), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_role_revoke(lc_session *s, const lc_grant *g);

/**
 * Check that a role assignment exists.
 *
 * @param s the caller (policy "identity:check_grant")
 * @param g role, user and exactly one target
 * @return 0 if it exists, LC_ENOTFOUND if not, LC_EINVALID, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_role_check(lc_session *s, const lc_grant *g);

/**
 * Start listing role assignments matching a filter.
 *
 * @param out out: the iterator; free with lc_role_assignment_iter_free()
 * @param s the caller (policy "identity:list_role_assignments"; a non-admin
 *        sees only its own assignments)
 * @param filter NULL for all, or the fields to match (see lc_grant)
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_role_assignment_iter_new(lc_role_assignment_iter **out, lc_session *s, const lc_grant *filter);

/**
 * Next role assignment of an iterator.
 *
 * @param out out: the next snapshot; free with lc_role_assignment_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_role_assignment_iter_next(lc_role_assignment **out, lc_role_assignment_iter *it);

/** Free a role assignment iterator. NULL-safe. Since 0.1. */
LC_EXTERN void lc_role_assignment_iter_free(lc_role_assignment_iter *it);

/** The assignment's role id; borrowed until lc_role_assignment_free(). Since 0.1. */
LC_EXTERN const char *lc_role_assignment_role_id(const lc_role_assignment *a);
/** The assignment's user id; borrowed. Since 0.1. */
LC_EXTERN const char *lc_role_assignment_user_id(const lc_role_assignment *a);
/** The target project id, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_role_assignment_project_id(const lc_role_assignment *a);
/** The target domain id, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_role_assignment_domain_id(const lc_role_assignment *a);
/** 1 if the target is the system, else 0. Since 0.1. */
LC_EXTERN int lc_role_assignment_system(const lc_role_assignment *a);
/** Free a role assignment snapshot. NULL-safe. Since 0.1. */
LC_EXTERN void lc_role_assignment_free(lc_role_assignment *a);

LC_END_DECLS

#endif
