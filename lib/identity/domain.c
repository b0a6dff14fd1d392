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

LC__OPTS_INIT_FN(lc_domain_opts_init, lc_domain_opts, LC_DOMAIN_OPTS_INIT, LC_DOMAIN_OPTS_VERSION)

static int apply_opts(lc__draft *d, const void *opts, int update)
{
	const lc_domain_opts *o = opts;

	LC_TRY(lc__draft_text(d, DOM_NAME, o->name, update));
	LC_TRY(lc__draft_text(d, DOM_DESCRIPTION, o->description, update));
	return lc__draft_bool(d, DOM_ENABLED, o->enabled, update);
}

static void defaults(lc__draft *d)
{
	lc__val_bool(&d->v[DOM_ENABLED], 1);
}

static const lc__res_class domain_class = {
	&lc__domain_shape, LC_DOMAIN_OPTS_VERSION, apply_opts, defaults, NULL, NULL,
	"identity:create_domain", "identity:update_domain",
};

LC__RESOURCE_WRITERS(domain, domain_class)
LC__RESOURCE_FIND(domain, lc__domain_shape, "identity:get_domain", DOM_IX_NAME, domain_visible, (const char *name), ,
		  name)

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
