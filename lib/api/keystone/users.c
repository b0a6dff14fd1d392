/* Keystone users: list, create, get, update, delete, password change. */
#include "api/keystone/keystone.h"

#include <string.h>

#include "core/error.h"

static const ks_field user_shape[] = {
	{ "name", KS_STRING, KS_REQUIRED },
	{ "domain_id", KS_STRING_NULL, KS_IMMUTABLE },
	{ "default_project_id", KS_STRING_NULL, 0 },
	{ "description", KS_STRING_NULL, 0 },
	{ "password", KS_STRING_NULL, 0 },
	{ "enabled", KS_BOOL, 0 },
	{ "id", KS_STRING, KS_IGNORED | KS_IMMUTABLE },
	{ "options", KS_OBJECT, KS_IGNORED },
	{ "federated", KS_ARRAY, KS_IGNORED },
};
#define NSHAPE (sizeof(user_shape) / sizeof(user_shape[0]))

/* Keystone's password change body is strict. */
static const ks_field password_shape[] = {
	{ "original_password", KS_STRING, KS_REQUIRED },
	{ "password", KS_STRING, KS_REQUIRED },
};

static int reply_user(lc__api_ctx *x, lc_user *u, int status)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL) {
		lc_user_free(u);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_key(g, "user");
	ks_gen_user(x, g, u);
	yajl_gen_map_close(g);
	lc_user_free(u);
	return lc__json_end(x, g, status);
}

int ks_user_list(lc__api_ctx *x)
{
	static const char *const filters[] = { "name", "domain_id", "enabled", "default_project_id", NULL };
	ks_list l;
	lc_user_iter *it = NULL;
	lc_user *u = NULL;
	const char *last = NULL;
	unsigned int n = 0;
	yajl_gen g;
	int rc;

	if (ks_list_init(x, &l, filters) != 0)
		return 0;
	l.empty = 0; /* is_domain means nothing for users */
	if ((rc = lc_user_iter_new(&it, x->session, &l.opts)) < 0)
		return rc;
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_user_iter_free(it);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, "users");
	while ((rc = lc_user_iter_next(&u, it)) == 0) {
		if (l.limit && n == l.limit) {
			lc_user_free(u);
			break;
		}
		ks_gen_user(x, g, u);
		last = lc__arena_printf(x->arena, "%s", lc_user_id(u));
		n++;
		lc_user_free(u);
	}
	lc_user_iter_free(it);
	if (rc < 0 && rc != LC_ITEROVER) {
		yajl_gen_free(g);
		return rc;
	}
	ks_list_end(x, g, "users", &l, rc == 0 ? last : NULL);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int ks_user_create(lc__api_ctx *x)
{
	const lc__json *body, *o;
	lc_user_opts opts = LC_USER_OPTS_INIT;
	lc_user *u = NULL;
	int rc;

	if (lc__req_json(x, &body) != 0 || (o = ks_wrapped(x, body, "user")) == NULL ||
	    ks_check(x, o, user_shape, NSHAPE, 1, 0) != 0)
		return 0;
	opts.name = ks_str(o, "name");
	opts.domain_id = ks_str(o, "domain_id");
	opts.default_project_id = ks_str(o, "default_project_id");
	opts.description = ks_str(o, "description");
	opts.password = ks_str(o, "password");
	opts.enabled = ks_bool(o, "enabled");
	rc = lc_user_create(&u, x->session, &opts);
	if (rc < 0)
		return rc;
	return reply_user(x, u, 201);
}

int ks_user_get(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	lc_user *u = NULL;
	int rc = lc_user_get(&u, x->session, id);

	if (rc < 0)
		return ks_lookup_rc(rc, "user", id);
	return reply_user(x, u, 200);
}

int ks_user_update(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	const lc__json *body, *o;
	lc_user_opts opts = LC_USER_OPTS_INIT;
	lc_user *u = NULL;
	int rc;

	rc = lc_user_get(&u, x->session, id);
	if (rc < 0)
		return ks_lookup_rc(rc, "user", id);
	lc_user_free(u);
	u = NULL;
	if (lc__req_json(x, &body) != 0 || (o = ks_wrapped(x, body, "user")) == NULL ||
	    ks_check(x, o, user_shape, NSHAPE, 0, 0) != 0)
		return 0;
	opts.name = ks_str(o, "name");
	opts.description = ks_str(o, "description");
	if (opts.description == NULL && lc__json_get(o, "description") != NULL)
		opts.description = "";
	opts.default_project_id = ks_str(o, "default_project_id");
	if (opts.default_project_id == NULL && lc__json_get(o, "default_project_id") != NULL)
		opts.default_project_id = ""; /* null clears it */
	opts.password = ks_str(o, "password");
	opts.enabled = ks_bool(o, "enabled");
	rc = lc_user_update(&u, x->session, id, &opts);
	if (rc < 0)
		return rc;
	return reply_user(x, u, 200);
}

int ks_user_delete(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	int rc = lc_user_delete(x->session, id, 0);

	if (rc == LC_EINVALID || rc == LC_ENOTFOUND)
		return ks_lookup_rc(rc, "user", id);
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 204);
}

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
