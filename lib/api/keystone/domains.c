/* Keystone domains: list, create, get, update, delete (resource.c's handlers). */
#include "api/keystone/keystone.h"

#include "core/error.h"

static const ks_field domain_shape[] = {
	{ "name", KS_STRING, KS_REQUIRED, KS_OPT(lc_domain_opts, name) },
	{ "description", KS_STRING_NULL, KS_CLEARS, KS_OPT(lc_domain_opts, description) },
	{ "enabled", KS_BOOL, 0, KS_OPT(lc_domain_opts, enabled) },
	{ "id", KS_STRING, KS_IGNORED | KS_IMMUTABLE, 0 },
	{ "tags", KS_ARRAY, KS_IGNORED, 0 },
	{ "options", KS_OBJECT, KS_IGNORED, 0 },
	{ "explicit_domain_id", KS_STRING, KS_IGNORED | KS_IMMUTABLE, 0 },
};

static const char *const domain_filters[] = { "name", "enabled", NULL };

static int domain_delete_check(lc__api_ctx *x, const void *d)
{
	(void)x;
	if (lc_domain_enabled(d)) /* Keystone answers 403 here */
		return lc__error_set(LC_EFORBIDDEN, "Cannot delete a domain that is enabled, please disable it first.");
	return 0;
}

KS_RESOURCE_CALLS(domain, LC_DOMAIN_OPTS_INIT)

const ks_resource ks_domains = {
	.member = "domain",
	.coll = "domains",
	.shape = domain_shape,
	.nshape = sizeof(domain_shape) / sizeof(domain_shape[0]),
	.filters = domain_filters,
	KS_CALLS(domain),
	.delete_check = domain_delete_check,
};

KS_RESOURCE_HANDLERS(domain, ks_domains)
