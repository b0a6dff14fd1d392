/* Keystone users: list, create, get, update, delete (resource.c's handlers), password change. */
#include "api/keystone/keystone.h"

#include "core/error.h"

static const ks_field user_shape[] = {
	{ "name", KS_STRING, KS_REQUIRED, KS_OPT(lc_user_opts, name) },
	{ "domain_id", KS_STRING_NULL, KS_IMMUTABLE, KS_OPT(lc_user_opts, domain_id) },
	{ "default_project_id", KS_STRING_NULL, KS_CLEARS, KS_OPT(lc_user_opts, default_project_id) },
	{ "description", KS_STRING_NULL, KS_CLEARS, KS_OPT(lc_user_opts, description) },
	{ "password", KS_STRING_NULL, 0, KS_OPT(lc_user_opts, password) },
	{ "enabled", KS_BOOL, 0, KS_OPT(lc_user_opts, enabled) },
	{ "id", KS_STRING, KS_IGNORED | KS_IMMUTABLE, 0 },
	{ "options", KS_OBJECT, KS_IGNORED, 0 },
	{ "federated", KS_ARRAY, KS_IGNORED, 0 },
};

/* Keystone's password change body is strict. */
static const ks_field password_shape[] = {
	{ "original_password", KS_STRING, KS_REQUIRED, 0 },
	{ "password", KS_STRING, KS_REQUIRED, 0 },
};

static const char *const user_filters[] = { "name", "domain_id", "enabled", "default_project_id", NULL };

static void user_list_prep(lc__api_ctx *x, ks_list *l)
{
	(void)x;
	l->empty = 0; /* is_domain means nothing for users */
}

static const char *user_domain_any(const void *v) { return lc_user_domain_id(v); }

KS_RESOURCE_CALLS(user, LC_USER_OPTS_INIT)

const ks_resource ks_users = {
	.member = "user",
	.coll = "users",
	.shape = user_shape,
	.nshape = sizeof(user_shape) / sizeof(user_shape[0]),
	.filters = user_filters,
	KS_CALLS(user),
	.domain_id = user_domain_any,
	.list_prep = user_list_prep,
};

KS_RESOURCE_HANDLERS(user, ks_users)

int ks_user_password(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	const lc__json *body, *o;
	int rc;

	if (lc__req_json(x, &body) != 0 || (o = ks_wrapped(x, body, "user")) == NULL ||
	    ks_check(x, o, password_shape, sizeof(password_shape) / sizeof(password_shape[0]), 1, 1) != 0)
		return 0;
	rc = lc_user_change_password(x->session, id, ks_str(o, "original_password"), ks_str(o, "password"));
	if (rc == LC_ENOTFOUND)
		return ks_lookup_rc(rc, "user", id);
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 204);
}
