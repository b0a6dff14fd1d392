/* Roles. admin, member and reader are built in; custom roles may be added. */
#include <libcloud/role.h>

#include <string.h>

#include "core/error.h"
#include "core/resource.h"
#include "identity/identity.h"

LC__RESOURCE_READERS(role, lc__role_shape, "identity:get_role", "identity:list_roles", NULL)
LC__RESOURCE_STR(role, id, ROL_ID)
LC__RESOURCE_STR(role, name, ROL_NAME)
LC__RESOURCE_TEXT(role, description, ROL_DESCRIPTION)

static int builtin(const char *name)
{
	return !strcmp(name, "admin") || !strcmp(name, "member") || !strcmp(name, "reader");
}

LC__OPTS_INIT_FN(lc_role_opts_init, lc_role_opts, LC_ROLE_OPTS_INIT, LC_ROLE_OPTS_VERSION)

static int apply_opts(lc__draft *d, const void *opts, int update)
{
	const lc_role_opts *o = opts;

	LC_TRY(lc__draft_text(d, ROL_NAME, o->name, update));
	return lc__draft_text(d, ROL_DESCRIPTION, o->description, update);
}

/* The built-in roles keep their names. */
static int role_update_check(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	const char *name = lc__rec_str(old, ROL_NAME);

	(void)t;
	(void)p;
	if (builtin(name) && strcmp(d->v[ROL_NAME].s, name) != 0)
		return lc__error_set(LC_ECONFLICT, "the built-in role %s cannot be renamed", name);
	return 0;
}

static const lc__res_class role_class = {
	&lc__role_shape, LC_ROLE_OPTS_VERSION, apply_opts, NULL, NULL, role_update_check,
	"identity:create_role", "identity:update_role",
};

LC__RESOURCE_WRITERS(role, role_class)
LC__RESOURCE_FIND(role, lc__role_shape, "identity:get_role", ROL_IX_NAME, NULL, (const char *name), , name)

static int role_predelete(lc__txn *t, const lc__rec *old, void *p)
{
	(void)p;
	if (builtin(lc__rec_str(old, ROL_NAME)))
		return lc__error_set(LC_ECONFLICT, "the built-in role %s cannot be deleted", lc__rec_str(old, ROL_NAME));
	return lc__assignment_purge(t, NULL, lc__rec_str(old, ROL_ID), NULL, NULL);
}

LC_EXTERN int lc_role_delete(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	return lc__res_delete(s, &lc__role_shape, "identity:delete_role", id, flags, role_predelete, NULL);
}
