/* Keystone projects: list, create, get, update, delete. */
#include "api/keystone/keystone.h"

#include <string.h>

#include "core/error.h"

static const ks_field project_shape[] = {
	{ "name", KS_STRING, KS_REQUIRED },
	{ "description", KS_STRING_NULL, 0 },
	{ "enabled", KS_BOOL, 0 },
	{ "domain_id", KS_STRING_NULL, KS_IMMUTABLE },
	{ "parent_id", KS_STRING_NULL, KS_IMMUTABLE },
	{ "is_domain", KS_BOOL, KS_IMMUTABLE },
	{ "id", KS_STRING, KS_IGNORED | KS_IMMUTABLE },
	{ "tags", KS_ARRAY, KS_IGNORED },
	{ "options", KS_OBJECT, KS_IGNORED },
};
#define NSHAPE (sizeof(project_shape) / sizeof(project_shape[0]))

static int reply_project(lc__api_ctx *x, lc_project *p, int status)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL) {
		lc_project_free(p);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_key(g, "project");
	ks_gen_project(x, g, p);
	yajl_gen_map_close(g);
	lc_project_free(p);
	return lc__json_end(x, g, status);
}

int ks_project_list(lc__api_ctx *x)
{
	static const char *const filters[] = { "name", "domain_id", "parent_id", "enabled", NULL };
	ks_list l;
	lc_project_iter *it = NULL;
	lc_project *p = NULL;
	const char *last = NULL;
	unsigned int n = 0;
	yajl_gen g;
	int rc;

	if (ks_list_init(x, &l, filters) != 0)
		return 0;
	if (!l.empty && (rc = lc_project_iter_new(&it, x->session, &l.opts)) < 0)
		return rc;
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_project_iter_free(it);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, "projects");
	rc = LC_ITEROVER;
	while (it != NULL && (rc = lc_project_iter_next(&p, it)) == 0) {
		if (l.limit && n == l.limit) {
			lc_project_free(p);
			break;
		}
		ks_gen_project(x, g, p);
		last = lc__arena_printf(x->arena, "%s", lc_project_id(p));
		n++;
		lc_project_free(p);
	}
	lc_project_iter_free(it);
	if (rc < 0 && rc != LC_ITEROVER) {
		yajl_gen_free(g);
		return rc;
	}
	ks_list_end(x, g, "projects", &l, rc == 0 ? last : NULL);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int ks_project_create(lc__api_ctx *x)
{
	const lc__json *body, *o;
	lc_project_opts opts = LC_PROJECT_OPTS_INIT;
	lc_project *p = NULL;
	int rc;

	if (lc__req_json(x, &body) != 0 || (o = ks_wrapped(x, body, "project")) == NULL ||
	    ks_check(x, o, project_shape, NSHAPE, 1, 0) != 0)
		return 0;
	if (ks_bool(o, "is_domain") == 1) {
		lc__api_error(x, 400, "Projects acting as domains are not supported.");
		return 0;
	}
	opts.name = ks_str(o, "name");
	opts.description = ks_str(o, "description");
	opts.enabled = ks_bool(o, "enabled");
	opts.domain_id = ks_str(o, "domain_id");
	opts.parent_id = ks_str(o, "parent_id");
	/* a parent_id naming the domain means a top-level project (how Keystone shows them) */
	if (opts.parent_id != NULL && opts.domain_id != NULL && strcmp(opts.parent_id, opts.domain_id) == 0)
		opts.parent_id = NULL;
	if (opts.parent_id != NULL && opts.domain_id == NULL) {
		lc_domain *d = NULL;

		if (lc_domain_get(&d, x->api->system, opts.parent_id) == 0) {
			opts.domain_id = lc__arena_printf(x->arena, "%s", lc_domain_id(d));
			opts.parent_id = NULL;
		}
		lc_domain_free(d);
	}
	rc = lc_project_create(&p, x->session, &opts);
	if (rc < 0)
		return rc;
	return reply_project(x, p, 201);
}

int ks_project_get(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	lc_project *p = NULL;
	int rc = lc_project_get(&p, x->session, id);

	if (rc < 0)
		return ks_lookup_rc(rc, "project", id);
	return reply_project(x, p, 200);
}

int ks_project_update(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	const lc__json *body, *o;
	lc_project_opts opts = LC_PROJECT_OPTS_INIT;
	lc_project *p = NULL;
	int rc;

	rc = lc_project_get(&p, x->session, id);
	if (rc < 0)
		return ks_lookup_rc(rc, "project", id);
	lc_project_free(p);
	p = NULL;
	if (lc__req_json(x, &body) != 0 || (o = ks_wrapped(x, body, "project")) == NULL ||
	    ks_check(x, o, project_shape, NSHAPE, 0, 0) != 0)
		return 0;
	opts.name = ks_str(o, "name");
	opts.description = ks_str(o, "description");
	if (opts.description == NULL && lc__json_get(o, "description") != NULL)
		opts.description = "";
	opts.enabled = ks_bool(o, "enabled");
	rc = lc_project_update(&p, x->session, id, &opts);
	if (rc < 0)
		return rc;
	return reply_project(x, p, 200);
}

int ks_project_delete(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	int rc = lc_project_delete(x->session, id, 0);

	if (rc == LC_EINVALID || rc == LC_ENOTFOUND)
		return ks_lookup_rc(rc, "project", id);
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 204);
}
