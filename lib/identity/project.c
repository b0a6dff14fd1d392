/* Projects (tenants): the unit of ownership, isolation and quota. */
#include <libcloud/project.h>

#include <libcloud/domain.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/quota.h"
#include "core/resource.h"
#include "core/session.h"
#include "identity/identity.h"

/* A non-admin sees the projects it holds a role on. */
static int project_visible(lc__txn *t, const lc_session *s, const lc__rec *r, void *p)
{
	char target[LC__TARGET_MAX];

	(void)p;
	if (lc__session_is_admin(s))
		return 1;
	lc__target_project(target, lc__rec_str(r, PRJ_ID));
	return lc__assignment_any(t, s->user_id, target);
}

LC__RESOURCE_READERS(project, lc__project_shape, "identity:get_project", "identity:list_projects", project_visible)
LC__RESOURCE_STR(project, id, PRJ_ID)
LC__RESOURCE_STR(project, name, PRJ_NAME)
LC__RESOURCE_STR(project, domain_id, PRJ_DOMAIN)
LC__RESOURCE_STR(project, parent_id, PRJ_PARENT)
LC__RESOURCE_TEXT(project, description, PRJ_DESCRIPTION)
LC__RESOURCE_BOOL(project, enabled, PRJ_ENABLED)

LC__OPTS_INIT_FN(lc_project_opts_init, lc_project_opts, LC_PROJECT_OPTS_INIT, LC_PROJECT_OPTS_VERSION)

static int apply_opts(lc__draft *d, const void *opts, int update)
{
	const lc_project_opts *o = opts;

	LC_TRY(lc__draft_text(d, PRJ_NAME, o->name, update));
	LC_TRY(lc__draft_text(d, PRJ_DOMAIN, o->domain_id, update));
	LC_TRY(lc__draft_text(d, PRJ_PARENT, o->parent_id, update));
	LC_TRY(lc__draft_text(d, PRJ_DESCRIPTION, o->description, update));
	return lc__draft_bool(d, PRJ_ENABLED, o->enabled, update);
}

static void defaults(lc__draft *d)
{
	lc__val_bool(&d->v[PRJ_ENABLED], 1);
}

/* In the create transaction: the parent and the domain exist and agree. */
static int project_check(lc__txn *t, lc__draft *d, void *p)
{
	(void)p;
	if (d->v[PRJ_PARENT].set) {
		lc__rec *parent;
		const char *pd;

		LC_TRY(lc__rec_load(t, &lc__project_shape, d->v[PRJ_PARENT].s, &parent));
		pd = lc__rec_str(parent, PRJ_DOMAIN);
		if (!d->v[PRJ_DOMAIN].set) {
			snprintf(d->ids[PRJ_DOMAIN], sizeof(d->ids[PRJ_DOMAIN]), "%s", pd);
			lc__val_str(&d->v[PRJ_DOMAIN], d->ids[PRJ_DOMAIN]);
		}
		if (strcmp(pd, d->v[PRJ_DOMAIN].s) != 0) {
			lc__rec_free(parent);
			return lc__error_set(LC_EINVALID, "the parent project is in another domain");
		}
		lc__rec_free(parent);
	}
	if (!d->v[PRJ_DOMAIN].set)
		lc__val_str(&d->v[PRJ_DOMAIN], LC_DEFAULT_DOMAIN_ID);
	return lc__identity_require(t, &lc__domain_shape, d->v[PRJ_DOMAIN].s);
}

static const lc__res_class project_class = {
	&lc__project_shape, LC_PROJECT_OPTS_VERSION, apply_opts, defaults, project_check, NULL,
	"identity:create_project", "identity:update_project",
};

LC__RESOURCE_WRITERS(project, project_class)

/* Find within a domain (NULL: the Default domain). */
LC__RESOURCE_FIND(project, lc__project_shape, "identity:get_project", PRJ_IX_NAME, project_visible,
		  (const char *domain_id, const char *name),
		  char dom[LC__ID_TEXT];
		  LC_TRY(lc__id_canon("domain_id", domain_id ? domain_id : LC_DEFAULT_DOMAIN_ID, dom));,
		  dom, name)

static int project_predelete(lc__txn *t, const lc__rec *old, void *p)
{
	const char *id = lc__rec_str(old, PRJ_ID);
	const char *parts[] = { id };
	int rc;

	(void)p;
	if ((rc = lc__index_any(t, &lc__project_shape.indexes[PRJ_IX_PARENT], parts)) != 0)
		return rc < 0 ? rc : lc__error_set(LC_ECONFLICT, "project %s has child projects", id);
	if ((rc = lc__index_any(t, &lc__user_shape.indexes[USR_IX_DEFAULT_PROJECT], parts)) != 0)
		return rc < 0 ? rc : lc__error_set(LC_ECONFLICT, "project %s is the default project of users", id);
	if ((rc = lc__quota_project_in_use(t, id)) != 0)
		return rc < 0 ? rc : lc__error_set(LC_ECONFLICT, "project %s still owns resources", id);
	LC_TRY(lc__quota_drop_project(t, id));
	return lc__assignment_purge(t, NULL, NULL, id, NULL);
}

LC_EXTERN int lc_project_delete(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	return lc__res_delete(s, &lc__project_shape, "identity:delete_project", id, flags, project_predelete, NULL);
}
