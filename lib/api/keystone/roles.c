/* Keystone roles: list, create, get, update, delete (resource.c's handlers). */
#include "api/keystone/keystone.h"

#include "core/error.h"

static const ks_field role_shape[] = {
	{ "name", KS_STRING, KS_REQUIRED, KS_OPT(lc_role_opts, name) },
	{ "description", KS_STRING_NULL, KS_CLEARS, KS_OPT(lc_role_opts, description) },
	{ "domain_id", KS_STRING_NULL, KS_IMMUTABLE, 0 },
	{ "id", KS_STRING, KS_IGNORED | KS_IMMUTABLE, 0 },
	{ "options", KS_OBJECT, KS_IGNORED, 0 },
};

static const char *const role_filters[] = { "name", NULL };

static void role_list_prep(lc__api_ctx *x, ks_list *l)
{
	/* roles of a domain are not supported: only global roles exist */
	l->empty = lc__req_query(x, "domain_id") != NULL;
}

static int role_create_prep(lc__api_ctx *x, const lc__json *o, void *opts)
{
	(void)opts;
	if (ks_str(o, "domain_id") != NULL) {
		lc__api_error(x, 400, "Domain-specific roles are not supported.");
		return 1;
	}
	return 0;
}

KS_RESOURCE_CALLS(role, LC_ROLE_OPTS_INIT)

const ks_resource ks_roles = {
	.member = "role",
	.coll = "roles",
	.shape = role_shape,
	.nshape = sizeof(role_shape) / sizeof(role_shape[0]),
	.filters = role_filters,
	KS_CALLS(role),
	.list_prep = role_list_prep,
	.create_prep = role_create_prep,
};

KS_RESOURCE_HANDLERS(role, ks_roles)
