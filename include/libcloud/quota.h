/*
 * libcloud - per-project quotas.
 *
 * Each project has a limit per resource kind: its own override, else the
 * cloud-wide default. Usage is counted in the same transaction as the
 * resource change, so no race lets a project exceed its quota.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_QUOTA_H
#define LIBCLOUD_QUOTA_H

#include "common.h"

LC_BEGIN_DECLS

/** The resource kinds that carry a quota. Values never change. */
typedef enum lc_quota_kind {
	LC_QUOTA_INSTANCES = 0,
	LC_QUOTA_CORES = 1,
	LC_QUOTA_RAM_MIB = 2,
	LC_QUOTA_VOLUMES = 3,
	LC_QUOTA_GIGABYTES = 4,
	LC_QUOTA_SNAPSHOTS = 5,
	LC_QUOTA_IMAGES = 6,
	LC_QUOTA_IMAGE_BYTES = 7,
	LC_QUOTA_NETWORKS = 8,
	LC_QUOTA_SUBNETS = 9,
	LC_QUOTA_PORTS = 10,
	LC_QUOTA_ROUTERS = 11,
	LC_QUOTA_FLOATING_IPS = 12,
	LC_QUOTA_SECURITY_GROUPS = 13,
	LC_QUOTA_SECURITY_GROUP_RULES = 14,
	LC_QUOTA_KEY_PAIRS = 15,
	LC_QUOTA_OBJECT_BYTES = 16,
	LC_QUOTA_SERVER_GROUPS = 17,
	LC_QUOTA_SERVER_GROUP_MEMBERS = 18,
	LC_QUOTA_KIND_COUNT = 19 /**< number of kinds; not a kind */
} lc_quota_kind;

/** A limit meaning "no limit". */
#define LC_QUOTA_UNLIMITED (-1)

/**
 * The OpenStack name of a quota kind ("instances", "cores", "ram", ...).
 *
 * @param kind an lc_quota_kind
 * @return a static string, or NULL for an unknown kind
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN const char *lc_quota_kind_name(int kind);

/**
 * The quota kind with an OpenStack name.
 *
 * @param name e.g. "instances"
 * @return the lc_quota_kind, or LC_EINVALID for an unknown name
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_quota_kind_from_name(const char *name);

/**
 * Set a limit: a project's override, or the default for every project
 * without one when project_id is NULL. Durable.
 *
 * @param s the caller; needs admin (policy "quota:update")
 * @param project_id an existing project, or NULL for the default
 * @param kind an lc_quota_kind
 * @param limit >= 0, or LC_QUOTA_UNLIMITED. A limit below the usage is
 *        allowed (new reservations then fail), as in Nova
 * @return 0, LC_EINVALID (unknown kind, limit < -1), LC_ENOTFOUND, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_quota_set(lc_session *s, const char *project_id, int kind, int64_t limit);

/**
 * Remove a project's override: the default applies again.
 *
 * @param s the caller; needs admin (policy "quota:update")
 * @param project_id the project
 * @param kind an lc_quota_kind
 * @return 0 (also when there was no override), LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_quota_unset(lc_session *s, const char *project_id, int kind);

/**
 * Read a project's limit and usage for one kind.
 *
 * @param limit out, may be NULL: the effective limit (override or default)
 * @param in_use out, may be NULL: what the project uses now
 * @param s the caller (policy "quota:get": admin, or a reader of the project)
 * @param project_id the project, or NULL for the defaults (in_use is then 0)
 * @param kind an lc_quota_kind
 * @return 0, LC_EINVALID, LC_ENOTFOUND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_quota_get(int64_t *limit, int64_t *in_use, lc_session *s, const char *project_id, int kind);

LC_END_DECLS

#endif
