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

LC_EXTERN int lc_role_opts_init(lc_role_opts *opts, unsigned int version)
{
	lc_role_opts init = LC_ROLE_OPTS_INIT;

	lc__error_clear();
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_ARG(version >= 1 && version <= LC_ROLE_OPTS_VERSION, "version");
	*opts = init;
	return 0;
}

static int apply_opts(lc__draft *d, const lc_role_opts *o, int update)
{
	LC_TRY(lc__draft_text(d, ROL_NAME, o->name, update));
	return lc__draft_text(d, ROL_DESCRIPTION, o->description, update);
}

LC_EXTERN int lc_role_create(lc_role **out, lc_session *s, const lc_role_opts *opts)
{
	lc__draft d;
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION(opts, LC_ROLE_OPTS_VERSION);
	lc__draft_new(&d, &lc__role_shape);
	lc__draft_set_int(&d, ROL_CREATED, lc__now_us());
	LC_TRY(apply_opts(&d, opts, 0));
	rc = lc__res_create(out ? &r : NULL, s, &d, "identity:create_role", NULL, NULL, NULL);
	if (out)
		*out = (lc_role *)r;
	return rc;
}

LC_EXTERN int lc_role_find(lc_role **out, lc_session *s, const char *name)
{
	lc__rec *r = NULL;
	const char *parts[] = { name };
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	rc = lc__res_find(&r, s, &lc__role_shape, "identity:get_role", &lc__role_shape.indexes[ROL_IX_NAME], parts,
			  NULL);
	*out = (lc_role *)r;
	return rc;
}

static int role_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	const lc_role_opts *o = p;

	(void)t;
	if (o->name && builtin(lc__rec_str(old, ROL_NAME)) && strcmp(o->name, lc__rec_str(old, ROL_NAME)) != 0)
		return lc__error_set(LC_ECONFLICT, "the built-in role %s cannot be renamed", lc__rec_str(old, ROL_NAME));
	return apply_opts(d, o, 1);
}

LC_EXTERN int lc_role_update(lc_role **out, lc_session *s, const char *id, const lc_role_opts *opts)
{
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION(opts, LC_ROLE_OPTS_VERSION);
	rc = lc__res_update(out ? &r : NULL, s, &lc__role_shape, "identity:update_role", id, role_apply, (void *)opts);
	if (out)
		*out = (lc_role *)r;
	return rc;
}

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
