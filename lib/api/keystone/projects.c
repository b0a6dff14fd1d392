/* Keystone projects: list, create, get, update, delete (resource.c's handlers). */
#include "api/keystone/keystone.h"

#include <string.h>

#include "core/error.h"

static const ks_field project_shape[] = {
	{ "name", KS_STRING, KS_REQUIRED, KS_OPT(lc_project_opts, name) },
	{ "description", KS_STRING_NULL, KS_CLEARS, KS_OPT(lc_project_opts, description) },
	{ "enabled", KS_BOOL, 0, KS_OPT(lc_project_opts, enabled) },
	{ "domain_id", KS_STRING_NULL, KS_IMMUTABLE, KS_OPT(lc_project_opts, domain_id) },
	{ "parent_id", KS_STRING_NULL, KS_IMMUTABLE, KS_OPT(lc_project_opts, parent_id) },
	{ "is_domain", KS_BOOL, KS_IMMUTABLE, 0 },
	{ "id", KS_STRING, KS_IGNORED | KS_IMMUTABLE, 0 },
	{ "tags", KS_ARRAY, KS_IGNORED, 0 },
	{ "options", KS_OBJECT, KS_IGNORED, 0 },
};

static const char *const project_filters[] = { "name", "domain_id", "parent_id", "enabled", NULL };

static int project_create_prep(lc__api_ctx *x, const lc__json *o, void *p)
{
	lc_project_opts *opts = p;

	if (ks_bool(o, "is_domain") == 1) {
		lc__api_error(x, 400, "Projects acting as domains are not supported.");
		return 1;
	}
	/* a parent_id naming the domain means a top-level project (how Keystone shows them) */
	if (opts->parent_id != NULL && opts->domain_id != NULL && strcmp(opts->parent_id, opts->domain_id) == 0)
		opts->parent_id = NULL;
	if (opts->parent_id != NULL && opts->domain_id == NULL) {
		lc_domain *d = NULL;

		if (lc_domain_get(&d, x->api->system, opts->parent_id) == 0) {
			opts->domain_id = lc__arena_printf(x->arena, "%s", lc_domain_id(d));
			opts->parent_id = NULL;
		}
		lc_domain_free(d);
	}
	return 0;
}

static const char *project_domain_any(const void *v) { return lc_project_domain_id(v); }

KS_RESOURCE_CALLS(project, LC_PROJECT_OPTS_INIT)

const ks_resource ks_projects = {
	.member = "project",
	.coll = "projects",
	.shape = project_shape,
	.nshape = sizeof(project_shape) / sizeof(project_shape[0]),
	.filters = project_filters,
	KS_CALLS(project),
	.domain_id = project_domain_any,
	.create_prep = project_create_prep,
};

KS_RESOURCE_HANDLERS(project, ks_projects)
