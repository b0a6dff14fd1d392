/*
 * libcloud - identity: projects (tenants).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_PROJECT_H
#define LIBCLOUD_PROJECT_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** An immutable snapshot of one project. */
typedef struct lc_project lc_project;
/** An iterator over projects. */
typedef struct lc_project_iter lc_project_iter;

/** Current version of lc_project_opts. */
#define LC_PROJECT_OPTS_VERSION 1

/**
 * Attributes for lc_project_create() and lc_project_update(). NULL strings
 * and LC_UNSET booleans mean "not given". domain_id and parent_id are set at
 * create only.
 */
typedef struct lc_project_opts {
	unsigned int version;    /**< LC_PROJECT_OPTS_VERSION */
	const char *name;        /**< 1..LC_NAME_MAX bytes, unique within its domain; required on create */
	const char *domain_id;   /**< owning domain; default: the parent's, else "default" */
	const char *parent_id;   /**< parent project in the same domain, or NULL */
	const char *description; /**< 0..LC_DESCRIPTION_MAX bytes */
	int enabled;             /**< 1, 0 or LC_UNSET (create default: 1) */
} lc_project_opts;

/** Static initialiser for lc_project_opts: nothing given. */
#define LC_PROJECT_OPTS_INIT { LC_PROJECT_OPTS_VERSION, NULL, NULL, NULL, NULL, LC_UNSET }

/**
 * Initialise an lc_project_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_PROJECT_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_project_opts_init(lc_project_opts *opts, unsigned int version);

/**
 * Create a project. Durable when the call returns.
 *
 * @param out out, may be NULL: the new project; free with lc_project_free()
 * @param s the caller; needs admin (policy "identity:create_project")
 * @param opts name required
 * @return 0, LC_EINVALID (bad name, description, malformed id), LC_ENOTFOUND
 *         (unknown domain or parent), LC_EEXISTS (name taken in the domain),
 *         LC_EFORBIDDEN, LC_ENOMEM, LC_EIO
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_project_create(lc_project **out, lc_session *s, const lc_project_opts *opts);

/**
 * Get a project by id. A project the caller may not see is LC_ENOTFOUND.
 *
 * @param out out: the snapshot; free with lc_project_free()
 * @param s the caller (policy "identity:get_project": admin, or a member of it)
 * @param id the project id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_project_get(lc_project **out, lc_session *s, const char *id);

/**
 * Find a project by name within a domain.
 *
 * @param out out: the snapshot; free with lc_project_free()
 * @param s the caller (policy "identity:get_project")
 * @param domain_id the domain, or NULL for "default"
 * @param name the exact name
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_project_find(lc_project **out, lc_session *s, const char *domain_id, const char *name);

/**
 * Update a project's name, description or enabled flag. Disabling a project
 * stops the tokens scoped to it from validating.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs admin (policy "identity:update_project")
 * @param id the project id
 * @param opts what to change (domain_id and parent_id must be NULL)
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EEXISTS, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_project_update(lc_project **out, lc_session *s, const char *id, const lc_project_opts *opts);

/**
 * Delete a project. It must have no child project, no user whose default
 * project it is, and no resource (quota usage of zero). Its role
 * assignments and quota overrides go with it.
 *
 * @param s the caller; needs admin (policy "identity:delete_project")
 * @param id the project id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (still owns something), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_project_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing projects. Filters: "name", "domain_id", "parent_id",
 * "enabled". A non-admin caller sees only the projects it has a role on.
 *
 * @param out out: the iterator; free with lc_project_iter_free()
 * @param s the caller (policy "identity:list_projects")
 * @param opts paging and filters, or NULL for all
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_project_iter_new(lc_project_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next project of an iterator.
 *
 * @param out out: the next snapshot; free with lc_project_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_project_iter_next(lc_project **out, lc_project_iter *it);

/** Free a project iterator. NULL-safe. Since 0.1. */
LC_EXTERN void lc_project_iter_free(lc_project_iter *it);

/** The project's id; borrowed until lc_project_free(). Since 0.1. */
LC_EXTERN const char *lc_project_id(const lc_project *p);
/** The project's name; borrowed. Since 0.1. */
LC_EXTERN const char *lc_project_name(const lc_project *p);
/** The id of the project's domain; borrowed. Since 0.1. */
LC_EXTERN const char *lc_project_domain_id(const lc_project *p);
/** The parent project's id, or NULL for a top-level project; borrowed. Since 0.1. */
LC_EXTERN const char *lc_project_parent_id(const lc_project *p);
/** The project's description, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_project_description(const lc_project *p);
/** 1 if the project is enabled, else 0. Since 0.1. */
LC_EXTERN int lc_project_enabled(const lc_project *p);
/** Free a project snapshot. NULL-safe. Since 0.1. */
LC_EXTERN void lc_project_free(lc_project *p);

LC_END_DECLS

#endif
