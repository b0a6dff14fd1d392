/* The identity record types: fields, limits, who may set what, and indexes. */
#include "identity/shapes.h"

#include <libcloud/common.h>

#define NAME_FIELD(flags) { "name", LC__T_STR, 1, LC_NAME_MAX, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER | (flags) }
#define DESCRIPTION_FIELD { "description", LC__T_STR, 0, LC_DESCRIPTION_MAX, LC__F_CREATE | LC__F_UPDATE | LC__F_NULLABLE }
#define ENABLED_FIELD { "enabled", LC__T_BOOL, 0, 0, LC__F_CREATE | LC__F_UPDATE | LC__F_FILTER }
#define CREATED_FIELD { "created_at", LC__T_TIME, 0, 0, 0 }
#define ID_FIELD { "id", LC__T_ID, 0, 0, LC__F_FILTER }

static const lc__dbdef domain_db = { "domain", 0 }, domain_name_db = { "domain.name", 0 };
static const lc__dbdef project_db = { "project", 0 }, project_name_db = { "project.name", 0 },
		       project_domain_db = { "project.domain", MDB_DUPSORT },
		       project_parent_db = { "project.parent", MDB_DUPSORT };
static const lc__dbdef user_db = { "user", 0 }, user_name_db = { "user.name", 0 },
		       user_domain_db = { "user.domain", MDB_DUPSORT },
		       user_project_db = { "user.default_project", MDB_DUPSORT };
static const lc__dbdef role_db = { "role", 0 }, role_name_db = { "role.name", 0 };
static const lc__dbdef assignment_db = { "assignment", 0 }, assignment_role_db = { "assignment.role", MDB_DUPSORT },
		       assignment_project_db = { "assignment.project", MDB_DUPSORT },
		       assignment_domain_db = { "assignment.domain", MDB_DUPSORT };
const lc__dbdef lc__token_revoked_db = { "token.revoked", 0 };

static const lc__field domain_fields[] = {
	[DOM_ID] = ID_FIELD,
	[DOM_NAME] = NAME_FIELD(LC__F_UPDATE),
	[DOM_DESCRIPTION] = DESCRIPTION_FIELD,
	[DOM_ENABLED] = ENABLED_FIELD,
	[DOM_CREATED] = CREATED_FIELD,
};
static const lc__index domain_indexes[] = {
	[DOM_IX_NAME] = { &domain_name_db, 1, { DOM_NAME }, LC__I_UNIQUE, "name" },
};
const lc__shape lc__domain_shape = {
	"domain", &domain_db, 1, DOM_NFIELDS, domain_fields, 1, domain_indexes, -1,
};

static const lc__field project_fields[] = {
	[PRJ_ID] = ID_FIELD,
	[PRJ_NAME] = NAME_FIELD(LC__F_UPDATE),
	[PRJ_DOMAIN] = { "domain_id", LC__T_ID, 0, 0, LC__F_CREATE | LC__F_FILTER },
	[PRJ_PARENT] = { "parent_id", LC__T_ID, 0, 0, LC__F_CREATE | LC__F_NULLABLE | LC__F_FILTER },
	[PRJ_DESCRIPTION] = DESCRIPTION_FIELD,
	[PRJ_ENABLED] = ENABLED_FIELD,
	[PRJ_CREATED] = CREATED_FIELD,
};
static const lc__index project_indexes[] = {
	[PRJ_IX_NAME] = { &project_name_db, 2, { PRJ_DOMAIN, PRJ_NAME }, LC__I_UNIQUE, "name in this domain" },
	[PRJ_IX_DOMAIN] = { &project_domain_db, 1, { PRJ_DOMAIN }, 0, "domain" },
	[PRJ_IX_PARENT] = { &project_parent_db, 1, { PRJ_PARENT }, 0, "parent" },
};
const lc__shape lc__project_shape = {
	"project", &project_db, 1, PRJ_NFIELDS, project_fields, 3, project_indexes, PRJ_ID,
};

static const lc__field user_fields[] = {
	[USR_ID] = ID_FIELD,
	[USR_NAME] = NAME_FIELD(LC__F_UPDATE),
	[USR_DOMAIN] = { "domain_id", LC__T_ID, 0, 0, LC__F_CREATE | LC__F_FILTER },
	[USR_DEFAULT_PROJECT] = { "default_project_id", LC__T_ID, 0, 0,
				  LC__F_CREATE | LC__F_UPDATE | LC__F_NULLABLE | LC__F_FILTER },
	[USR_DESCRIPTION] = DESCRIPTION_FIELD,
	[USR_ENABLED] = ENABLED_FIELD,
	[USR_PASSWORD] = { "password_hash", LC__T_STR, 0, 255, LC__F_SECRET | LC__F_NULLABLE },
	[USR_TOKENS_AFTER] = { "tokens_valid_after", LC__T_TIME, 0, 0, LC__F_SECRET },
	[USR_CREATED] = CREATED_FIELD,
};
static const lc__index user_indexes[] = {
	[USR_IX_NAME] = { &user_name_db, 2, { USR_DOMAIN, USR_NAME }, LC__I_UNIQUE, "name in this domain" },
	[USR_IX_DOMAIN] = { &user_domain_db, 1, { USR_DOMAIN }, 0, "domain" },
	[USR_IX_DEFAULT_PROJECT] = { &user_project_db, 1, { USR_DEFAULT_PROJECT }, 0, "default project" },
};
const lc__shape lc__user_shape = {
	"user", &user_db, 1, USR_NFIELDS, user_fields, 3, user_indexes, -1,
};

static const lc__field role_fields[] = {
	[ROL_ID] = ID_FIELD,
	[ROL_NAME] = NAME_FIELD(LC__F_UPDATE),
	[ROL_DESCRIPTION] = DESCRIPTION_FIELD,
	[ROL_CREATED] = CREATED_FIELD,
};
static const lc__index role_indexes[] = {
	[ROL_IX_NAME] = { &role_name_db, 1, { ROL_NAME }, LC__I_UNIQUE, "name" },
};
const lc__shape lc__role_shape = {
	"role", &role_db, 1, ROL_NFIELDS, role_fields, 1, role_indexes, -1,
};

/*
 * An assignment's key is "<user>/<target>/<role>" with target "p:<id>",
 * "d:<id>" or "s", so the roles of a user on one target are one range scan.
 */
static const lc__field assignment_fields[] = {
	[ASG_ID] = { "id", LC__T_STR, 0, 255, 0 },
	[ASG_ROLE] = { "role_id", LC__T_ID, 0, 0, LC__F_FILTER },
	[ASG_USER] = { "user_id", LC__T_ID, 0, 0, LC__F_FILTER },
	[ASG_PROJECT] = { "project_id", LC__T_ID, 0, 0, LC__F_NULLABLE | LC__F_FILTER },
	[ASG_DOMAIN] = { "domain_id", LC__T_ID, 0, 0, LC__F_NULLABLE | LC__F_FILTER },
	[ASG_SYSTEM] = { "system", LC__T_BOOL, 0, 0, LC__F_FILTER },
	[ASG_CREATED] = CREATED_FIELD,
};
static const lc__index assignment_indexes[] = {
	[ASG_IX_ROLE] = { &assignment_role_db, 1, { ASG_ROLE }, 0, "role" },
	[ASG_IX_PROJECT] = { &assignment_project_db, 1, { ASG_PROJECT }, 0, "project" },
	[ASG_IX_DOMAIN] = { &assignment_domain_db, 1, { ASG_DOMAIN }, 0, "domain" },
};
const lc__shape lc__assignment_shape = {
	"role_assignment", &assignment_db, 1, ASG_NFIELDS, assignment_fields, 3, assignment_indexes, ASG_PROJECT,
};

const lc__dbdef *const lc__identity_dbs[] = {
	&domain_db, &domain_name_db,
	&project_db, &project_name_db, &project_domain_db, &project_parent_db,
	&user_db, &user_name_db, &user_domain_db, &user_project_db,
	&role_db, &role_name_db,
	&assignment_db, &assignment_role_db, &assignment_project_db, &assignment_domain_db,
	&lc__token_revoked_db,
	NULL,
};
