/* Domains: namespaces for projects, users and roles. */
#include <libcloud/domain.h>

#include <string.h>

#include "core/error.h"
#include "core/resource.h"
#include "core/session.h"
#include "identity/identity.h"

/* A non-admin sees the domain of its scope and of its user. */
static int domain_visible(lc__txn *t, const lc_session *s, const lc__rec *r, void *p)
{
	const char *id = lc__rec_str(r, DOM_ID);

	(void)t;
	(void)p;
	return lc__session_is_admin(s) || strcmp(id, s->domain_id) == 0 || strcmp(id, s->user_domain_id) == 0;
}

LC__RESOURCE_READERS(domain, lc__domain_shape, "identity:get_domain", "identity:list_domains", domain_visible)
LC__RESOURCE_STR(domain, id, DOM_ID)
LC__RESOURCE_STR(domain, name, DOM_NAME)
LC__RESOURCE_TEXT(domain, description, DOM_DESCRIPTION)
LC__RESOURCE_BOOL(domain, enabled, DOM_ENABLED)

LC_EXTERN int lc_domain_opts_init(lc_domain_opts *opts, unsigned int version)
{
	lc_domain_opts init = LC_DOMAIN_OPTS_INIT;

	lc__error_clear();
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_ARG(version >= 1 && version <= LC_DOMAIN_OPTS_VERSION, "version");
	*opts = init;
	return 0;
}

static int apply_opts(lc__draft *d, const lc_domain_opts *o, int update)
{
	LC_TRY(lc__draft_text(d, DOM_NAME, o->name, update));
	LC_TRY(lc__draft_text(d, DOM_DESCRIPTION, o->description, update));
	return lc__draft_bool(d, DOM_ENABLED, o->enabled, update);
}

LC_EXTERN int lc_domain_create(lc_domain **out, lc_session *s, const lc_domain_opts *opts)
{
	lc__draft d;
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION(opts, LC_DOMAIN_OPTS_VERSION);
	lc__draft_new(&d, &lc__domain_shape);
	lc__val_bool(&d.v[DOM_ENABLED], 1);
	lc__draft_set_int(&d, DOM_CREATED, lc__now_us());
	LC_TRY(apply_opts(&d, opts, 0));
	rc = lc__res_create(out ? &r : NULL, s, &d, "identity:create_domain", NULL, NULL, NULL);
	if (out)
		*out = (lc_domain *)r;
	return rc;
}

LC_EXTERN int lc_domain_find(lc_domain **out, lc_session *s, const char *name)
{
	lc__rec *r = NULL;
	const char *parts[] = { name };
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	rc = lc__res_find(&r, s, &lc__domain_shape, "identity:get_domain", &lc__domain_shape.indexes[DOM_IX_NAME],
			  parts, domain_visible);
	*out = (lc_domain *)r;
	return rc;
}

static int domain_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	(void)t;
	(void)old;
	return apply_opts(d, p, 1);
}

LC_EXTERN int lc_domain_update(lc_domain **out, lc_session *s, const char *id, const lc_domain_opts *opts)
{
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION(opts, LC_DOMAIN_OPTS_VERSION);
	rc = lc__res_update(out ? &r : NULL, s, &lc__domain_shape, "identity:update_domain", id, domain_apply,
			    (void *)opts);
	if (out)
		*out = (lc_domain *)r;
	return rc;
}

static int domain_predelete(lc__txn *t, const lc__rec *old, void *p)
{
	const char *id = lc__rec_str(old, DOM_ID);
	const char *parts[] = { id };
	int rc;

	(void)p;
	if (strcmp(id, LC_DEFAULT_DOMAIN_ID) == 0)
		return lc__error_set(LC_ECONFLICT, "the Default domain cannot be deleted");
	if (lc__rec_int(old, DOM_ENABLED))
		return lc__error_set(LC_ECONFLICT, "domain %s is enabled: disable it before deleting it", id);
	if ((rc = lc__index_any(t, &lc__project_shape.indexes[PRJ_IX_DOMAIN], parts)) != 0)
		return rc < 0 ? rc : lc__error_set(LC_ECONFLICT, "domain %s still owns projects", id);
	if ((rc = lc__index_any(t, &lc__user_shape.indexes[USR_IX_DOMAIN], parts)) != 0)
		return rc < 0 ? rc : lc__error_set(LC_ECONFLICT, "domain %s still owns users", id);
	return lc__assignment_purge(t, NULL, NULL, NULL, id);
}

LC_EXTERN int lc_domain_delete(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	return lc__res_delete(s, &lc__domain_shape, "identity:delete_domain", id, flags, domain_predelete, NULL);
}
