/* Keystone roles: list, create, get, update, delete. */
#include "api/keystone/keystone.h"

#include "core/error.h"

static const ks_field role_shape[] = {
	{ "name", KS_STRING, KS_REQUIRED },
	{ "description", KS_STRING_NULL, 0 },
	{ "domain_id", KS_STRING_NULL, KS_IMMUTABLE },
	{ "id", KS_STRING, KS_IGNORED | KS_IMMUTABLE },
	{ "options", KS_OBJECT, KS_IGNORED },
};
#define NSHAPE (sizeof(role_shape) / sizeof(role_shape[0]))

static int reply_role(lc__api_ctx *x, lc_role *r, int status)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL) {
		lc_role_free(r);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_key(g, "role");
	ks_gen_role(x, g, r);
	yajl_gen_map_close(g);
	lc_role_free(r);
	return lc__json_end(x, g, status);
}

int ks_role_list(lc__api_ctx *x)
{
	static const char *const filters[] = { "name", NULL };
	ks_list l;
	lc_role_iter *it = NULL;
	lc_role *r = NULL;
	const char *last = NULL;
	unsigned int n = 0;
	yajl_gen g;
	int rc;

	if (ks_list_init(x, &l, filters) != 0)
		return 0;
	/* roles of a domain are not supported: only global roles exist */
	l.empty = lc__req_query(x, "domain_id") != NULL;
	if (!l.empty && (rc = lc_role_iter_new(&it, x->session, &l.opts)) < 0)
		return rc;
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_role_iter_free(it);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, "roles");
	rc = LC_ITEROVER;
	while (it != NULL && (rc = lc_role_iter_next(&r, it)) == 0) {
		if (l.limit && n == l.limit) {
			lc_role_free(r);
			break;
		}
		ks_gen_role(x, g, r);
		last = lc__arena_printf(x->arena, "%s", lc_role_id(r));
		n++;
		lc_role_free(r);
	}
	lc_role_iter_free(it);
	if (rc < 0 && rc != LC_ITEROVER) {
		yajl_gen_free(g);
		return rc;
	}
	ks_list_end(x, g, "roles", &l, rc == 0 ? last : NULL);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int ks_role_create(lc__api_ctx *x)
{
	const lc__json *body, *o;
	lc_role_opts opts = LC_ROLE_OPTS_INIT;
	lc_role *r = NULL;
	int rc;

	if (lc__req_json(x, &body) != 0 || (o = ks_wrapped(x, body, "role")) == NULL ||
	    ks_check(x, o, role_shape, NSHAPE, 1, 0) != 0)
		return 0;
	if (ks_str(o, "domain_id") != NULL) {
		lc__api_error(x, 400, "Domain-specific roles are not supported.");
		return 0;
	}
	opts.name = ks_str(o, "name");
	opts.description = ks_str(o, "description");
	rc = lc_role_create(&r, x->session, &opts);
	if (rc < 0)
		return rc;
	return reply_role(x, r, 201);
}

int ks_role_get(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	lc_role *r = NULL;
	int rc = lc_role_get(&r, x->session, id);

	if (rc < 0)
		return ks_lookup_rc(rc, "role", id);
	return reply_role(x, r, 200);
}

int ks_role_update(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	const lc__json *body, *o;
	lc_role_opts opts = LC_ROLE_OPTS_INIT;
	lc_role *r = NULL;
	int rc;

	rc = lc_role_get(&r, x->session, id);
	if (rc < 0)
		return ks_lookup_rc(rc, "role", id);
	lc_role_free(r);
	r = NULL;
	if (lc__req_json(x, &body) != 0 || (o = ks_wrapped(x, body, "role")) == NULL ||
	    ks_check(x, o, role_shape, NSHAPE, 0, 0) != 0)
		return 0;
	opts.name = ks_str(o, "name");
	opts.description = ks_str(o, "description");
	if (opts.description == NULL && lc__json_get(o, "description") != NULL)
		opts.description = "";
	rc = lc_role_update(&r, x->session, id, &opts);
	if (rc < 0)
		return rc;
	return reply_role(x, r, 200);
}

int ks_role_delete(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	int rc = lc_role_delete(x->session, id, 0);

	if (rc == LC_EINVALID || rc == LC_ENOTFOUND)
		return ks_lookup_rc(rc, "role", id);
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 204);
}
