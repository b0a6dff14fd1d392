/* Keystone domains: list, create, get, update, delete. */
#include "api/keystone/keystone.h"

#include "core/error.h"

static const ks_field domain_shape[] = {
	{ "name", KS_STRING, KS_REQUIRED },
	{ "description", KS_STRING_NULL, 0 },
	{ "enabled", KS_BOOL, 0 },
	{ "id", KS_STRING, KS_IGNORED | KS_IMMUTABLE },
	{ "tags", KS_ARRAY, KS_IGNORED },
	{ "options", KS_OBJECT, KS_IGNORED },
	{ "explicit_domain_id", KS_STRING, KS_IGNORED | KS_IMMUTABLE },
};
#define NSHAPE (sizeof(domain_shape) / sizeof(domain_shape[0]))

static int reply_domain(lc__api_ctx *x, lc_domain *d, int status)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL) {
		lc_domain_free(d);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_key(g, "domain");
	ks_gen_domain(x, g, d);
	yajl_gen_map_close(g);
	lc_domain_free(d);
	return lc__json_end(x, g, status);
}

int ks_domain_list(lc__api_ctx *x)
{
	static const char *const filters[] = { "name", "enabled", NULL };
	ks_list l;
	lc_domain_iter *it = NULL;
	lc_domain *d = NULL;
	const char *last = NULL;
	unsigned int n = 0;
	yajl_gen g;
	int rc;

	if (ks_list_init(x, &l, filters) != 0)
		return 0;
	if (!l.empty && (rc = lc_domain_iter_new(&it, x->session, &l.opts)) < 0)
		return rc;
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_domain_iter_free(it);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, "domains");
	rc = LC_ITEROVER;
	while (it != NULL && (rc = lc_domain_iter_next(&d, it)) == 0) {
		if (l.limit && n == l.limit) {
			lc_domain_free(d);
			break;
		}
		ks_gen_domain(x, g, d);
		last = lc__arena_printf(x->arena, "%s", lc_domain_id(d));
		n++;
		lc_domain_free(d);
	}
	lc_domain_iter_free(it);
	if (rc < 0 && rc != LC_ITEROVER) {
		yajl_gen_free(g);
		return rc;
	}
	ks_list_end(x, g, "domains", &l, rc == 0 ? last : NULL);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int ks_domain_create(lc__api_ctx *x)
{
	const lc__json *body, *o;
	lc_domain_opts opts = LC_DOMAIN_OPTS_INIT;
	lc_domain *d = NULL;
	int rc;

	if (lc__req_json(x, &body) != 0 || (o = ks_wrapped(x, body, "domain")) == NULL ||
	    ks_check(x, o, domain_shape, NSHAPE, 1, 0) != 0)
		return 0;
	opts.name = ks_str(o, "name");
	opts.description = ks_str(o, "description");
	opts.enabled = ks_bool(o, "enabled");
	rc = lc_domain_create(&d, x->session, &opts);
	if (rc < 0)
		return rc;
	return reply_domain(x, d, 201);
}

int ks_domain_get(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	lc_domain *d = NULL;
	int rc = lc_domain_get(&d, x->session, id);

	if (rc < 0)
		return ks_lookup_rc(rc, "domain", id);
	return reply_domain(x, d, 200);
}

int ks_domain_update(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	const lc__json *body, *o;
	lc_domain_opts opts = LC_DOMAIN_OPTS_INIT;
	lc_domain *d = NULL;
	int rc;

	rc = lc_domain_get(&d, x->session, id);
	if (rc < 0)
		return ks_lookup_rc(rc, "domain", id);
	lc_domain_free(d);
	d = NULL;
	if (lc__req_json(x, &body) != 0 || (o = ks_wrapped(x, body, "domain")) == NULL ||
	    ks_check(x, o, domain_shape, NSHAPE, 0, 0) != 0)
		return 0;
	opts.name = ks_str(o, "name");
	opts.description = ks_str(o, "description");
	if (opts.description == NULL && lc__json_get(o, "description") != NULL)
		opts.description = "";
	opts.enabled = ks_bool(o, "enabled");
	rc = lc_domain_update(&d, x->session, id, &opts);
	if (rc < 0)
		return rc;
	return reply_domain(x, d, 200);
}

int ks_domain_delete(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	lc_domain *d = NULL;
	int rc = lc_domain_get(&d, x->session, id);

	if (rc < 0)
		return ks_lookup_rc(rc, "domain", id);
	if (lc_domain_enabled(d)) {
		lc_domain_free(d);
		/* Keystone answers 403 here */
		return lc__error_set(LC_EFORBIDDEN, "Cannot delete a domain that is enabled, please disable it first.");
	}
	lc_domain_free(d);
	rc = lc_domain_delete(x->session, id, 0);
	if (rc < 0)
		return rc == LC_EINVALID ? ks_lookup_rc(rc, "domain", id) : rc;
	return lc__reply_empty(x, 204);
}
