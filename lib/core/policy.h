/*
 * Internal: the policy table. Every operation has one rule; the defaults
 * follow OpenStack's: reader reads, member writes in its project, admin
 * anywhere.
 */
#ifndef LC_CORE_POLICY_H
#define LC_CORE_POLICY_H

#include <stddef.h>

#include <libcloud/common.h>

typedef enum lc__rule {
	LC__RULE_ADMIN = 1,          /* the admin role */
	LC__RULE_PROJECT_READER = 2, /* admin, or reader in the target project */
	LC__RULE_PROJECT_MEMBER = 3, /* admin, or member in the target project */
	LC__RULE_ADMIN_OR_USER = 4,  /* admin, or the target user itself */
	LC__RULE_AUTHENTICATED = 5   /* any valid session (results filtered by the service) */
} lc__rule;

typedef struct lc__policy_entry {
	const char *op;
	lc__rule rule;
} lc__policy_entry;

/* The whole table (for the REST layer's route checks and tests). */
const lc__policy_entry *lc__policy_table(size_t *n);

/* The rule of an operation, or 0 if unknown. */
int lc__policy_rule(const char *op);

/*
 * Enforce op for s on a target (project and/or user, NULL when not
 * relevant). Returns 0 or LC_EFORBIDDEN (an unknown op is forbidden too).
 */
int lc__policy_enforce(const lc_session *s, const char *op, const char *project_id, const char *user_id);

/* 1 if allowed, 0 if not; sets no error. */
int lc__policy_allows(const lc_session *s, const char *op, const char *project_id, const char *user_id);

#endif
