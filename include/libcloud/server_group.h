/*
 * libcloud - compute: server groups, the scheduler's affinity and
 * anti-affinity rules between servers of a project.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_SERVER_GROUP_H
#define LIBCLOUD_SERVER_GROUP_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** An immutable snapshot of one server group. */
typedef struct lc_server_group lc_server_group;
/** An iterator over server groups. */
typedef struct lc_server_group_iter lc_server_group_iter;

/** Longest server group name (bytes). */
#define LC_SERVER_GROUP_NAME_MAX 255

/** Current version of lc_server_group_opts. */
#define LC_SERVER_GROUP_OPTS_VERSION 1

/** Attributes for lc_server_group_create(). */
typedef struct lc_server_group_opts {
	unsigned int version; /**< LC_SERVER_GROUP_OPTS_VERSION */
	const char *name;     /**< 1..255 bytes; required */
	const char *policy;   /**< "affinity" (one host for all), "anti-affinity" (a host each),
	                           "soft-affinity" or "soft-anti-affinity" (preferences); required */
} lc_server_group_opts;

/** Static initialiser for lc_server_group_opts: nothing given. */
#define LC_SERVER_GROUP_OPTS_INIT { LC_SERVER_GROUP_OPTS_VERSION, NULL, NULL }

/**
 * Initialise an lc_server_group_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_SERVER_GROUP_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_group_opts_init(lc_server_group_opts *opts, unsigned int version);

/**
 * Create a server group in the caller's project. Charges the project's
 * "server_groups" quota.
 *
 * @param out out, may be NULL: the new group; free with lc_server_group_free()
 * @param s the caller, scoped to a project (policy "compute:create_server_group": member)
 * @param opts name and policy required
 * @return 0, LC_EINVALID (bad name, unknown policy, no project scope),
 *         LC_EQUOTA, LC_EFORBIDDEN, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_group_create(lc_server_group **out, lc_session *s, const lc_server_group_opts *opts);

/**
 * Get a server group by id; another project's group is LC_ENOTFOUND.
 *
 * @param out out: the snapshot; free with lc_server_group_free()
 * @param s the caller (policy "compute:get_server_group": reader)
 * @param id the group id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_group_get(lc_server_group **out, lc_session *s, const char *id);

/**
 * Delete a server group. Its servers stay; they leave the group.
 *
 * @param s the caller (policy "compute:delete_server_group": member)
 * @param id the group id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_group_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing the server groups of the caller's project (every project's
 * for an admin with the filter "all_projects" = "true").
 *
 * @param out out: the iterator; free with lc_server_group_iter_free()
 * @param s the caller (policy "compute:list_server_groups")
 * @param opts paging and filters, or NULL
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_server_group_iter_new(lc_server_group_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next server group of an iterator.
 *
 * @param out out: the next snapshot; free with lc_server_group_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_server_group_iter_next(lc_server_group **out, lc_server_group_iter *it);

/**
 * Free a server group iterator. NULL-safe.
 *
 * @param it the iterator, or NULL
 * @note Since 0.1.
 */
LC_EXTERN void lc_server_group_iter_free(lc_server_group_iter *it);

/** The group's id; borrowed until lc_server_group_free(). @param g the group @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_server_group_id(const lc_server_group *g);
/** The name; borrowed. @param g the group @return the name. @note Since 0.1. */
LC_EXTERN const char *lc_server_group_name(const lc_server_group *g);
/** The policy; borrowed. @param g the group @return e.g. "anti-affinity". @note Since 0.1. */
LC_EXTERN const char *lc_server_group_policy(const lc_server_group *g);
/** The owning project; borrowed. @param g the group @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_server_group_project_id(const lc_server_group *g);
/** The creating user; borrowed. @param g the group @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_server_group_user_id(const lc_server_group *g);
/** Number of member servers. @param g the group @return the count. @note Since 0.1. */
LC_EXTERN size_t lc_server_group_member_count(const lc_server_group *g);
/** A member server's id by index; borrowed. @param g the group @param n the index @return the id, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_server_group_member(const lc_server_group *g, size_t n);
/** Creation time. @param g the group @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_server_group_created_at(const lc_server_group *g);
/** Free a server group snapshot. NULL-safe. @param g the group, or NULL. @note Since 0.1. */
LC_EXTERN void lc_server_group_free(lc_server_group *g);

LC_END_DECLS

#endif
