/*
 * Internal: the identity record types, declared once as shape tables.
 * The REST layer reads these tables (read-only) for its JSON.
 */
#ifndef LC_IDENTITY_SHAPES_H
#define LC_IDENTITY_SHAPES_H

#include "core/record.h"

enum { DOM_ID, DOM_NAME, DOM_DESCRIPTION, DOM_ENABLED, DOM_CREATED, DOM_NFIELDS };
enum { PRJ_ID, PRJ_NAME, PRJ_DOMAIN, PRJ_PARENT, PRJ_DESCRIPTION, PRJ_ENABLED, PRJ_CREATED, PRJ_NFIELDS };
enum {
	USR_ID, USR_NAME, USR_DOMAIN, USR_DEFAULT_PROJECT, USR_DESCRIPTION, USR_ENABLED, USR_PASSWORD,
	USR_TOKENS_AFTER, USR_CREATED, USR_NFIELDS
};
enum { ROL_ID, ROL_NAME, ROL_DESCRIPTION, ROL_CREATED, ROL_NFIELDS };
enum { ASG_ID, ASG_ROLE, ASG_USER, ASG_PROJECT, ASG_DOMAIN, ASG_SYSTEM, ASG_CREATED, ASG_NFIELDS };

/* Index numbers within each shape's index table. */
enum { DOM_IX_NAME };
enum { PRJ_IX_NAME, PRJ_IX_DOMAIN, PRJ_IX_PARENT };
enum { USR_IX_NAME, USR_IX_DOMAIN, USR_IX_DEFAULT_PROJECT };
enum { ROL_IX_NAME };
enum { ASG_IX_ROLE, ASG_IX_PROJECT, ASG_IX_DOMAIN };

extern const lc__shape lc__domain_shape;
extern const lc__shape lc__project_shape;
extern const lc__shape lc__user_shape;
extern const lc__shape lc__role_shape;
extern const lc__shape lc__assignment_shape;

/* Revoked tokens: audit id -> expiry (microseconds). */
extern const lc__dbdef lc__token_revoked_db;

/* Every identity database, NULL-terminated (for the store). */
extern const lc__dbdef *const lc__identity_dbs[];

#endif
