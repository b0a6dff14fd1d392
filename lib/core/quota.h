/*
 * Internal: quota limits and usage, changed inside the caller's write
 * transaction so the check and the reservation are one atomic step.
 */
#ifndef LC_CORE_QUOTA_H
#define LC_CORE_QUOTA_H

#include <stdint.h>

#include <libcloud/quota.h>

#include "core/store.h"

extern const lc__dbdef lc__quota_db;       /* "<project|*>:<kind>" -> limit */
extern const lc__dbdef lc__quota_usage_db; /* "<project>:<kind>" -> in use */

/* Check a kind number (LC_EINVALID when unknown). */
int lc__quota_kind_check(int kind);

/* The effective limit for a project (NULL: the default). */
int lc__quota_limit(lc__txn *t, const char *project_id, int kind, int64_t *limit);
/* What a project uses now. */
int lc__quota_usage(lc__txn *t, const char *project_id, int kind, int64_t *in_use);
/*
 * Reserve (delta > 0) or release (delta < 0) usage. A reservation past the
 * limit fails with LC_EQUOTA and changes nothing.
 */
int lc__quota_charge(lc__txn *t, const char *project_id, int kind, int64_t delta);
/* Set or remove (limit == INT64_MIN) an override, or a default when project_id is NULL. */
int lc__quota_store(lc__txn *t, const char *project_id, int kind, int64_t limit);
/* 1 if the project uses anything at all. */
int lc__quota_project_in_use(lc__txn *t, const char *project_id);
/* Remove a project's overrides and (zero) usage rows. */
int lc__quota_drop_project(lc__txn *t, const char *project_id);

#endif
