/* Keystone resources (domains, projects, users, roles): one handler per verb over a descriptor. */
#include "api/keystone/keystone.h"

#include "core/error.h"

/* {"<member>": {...}} */
static int reply(lc__api_ctx *x, const ks_resource *k, void *obj, int status)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL) {
		k->free(obj);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_key(g, k->member);
	k->gen(x, g, obj);
	yajl_gen_map_close(g);
	k->free(obj);
	return lc__json_end(x, g, status);
}

/* The request's {"<member>": {...}}, checked against the shape; NULL when a 400 is written. */
static const lc__json *body(lc__api_ctx *x, const ks_resource *k, int create)
{
	const lc__json *b, *o;

	if (lc__req_json(x, &b) != 0 || (o = ks_wrapped(x, b, k->member)) == NULL ||
	    ks_check(x, o, k->shape, k->nshape, create, 0) != 0)
		return NULL;
	return o;
}

int ks_res_exists(lc__api_ctx *x, const ks_resource *k, const char *id)
{
	void *obj = NULL;
	int rc = k->get(&obj, x->session, id);

	k->free(obj);
	return rc < 0 ? ks_lookup_rc(rc, k->member, id) : 0;
}

int ks_res_list(lc__api_ctx *x, const ks_resource *k)
{
	ks_list l;
	void *it = NULL, *obj = NULL;
	const char *last = NULL;
	unsigned int n = 0;
	yajl_gen g;
	int rc;

	if (ks_list_init(x, &l, k->filters) != 0)
		return 0;
	if (k->list_prep != NULL)
		k->list_prep(x, &l);
	if (!l.empty && (rc = k->iter_new(&it, x->session, &l.opts)) < 0)
		return rc;
	g = lc__json_begin(x);
	if (g == NULL) {
		k->iter_free(it);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, k->coll);
	rc = LC_ITEROVER;
	while (it != NULL && (rc = k->iter_next(&obj, it)) == 0) {
		if (l.limit && n == l.limit) {
			k->free(obj);
			break;
		}
		k->gen(x, g, obj);
		last = lc__arena_printf(x->arena, "%s", k->id(obj));
		n++;
		k->free(obj);
	}
	k->iter_free(it);
	if (rc < 0 && rc != LC_ITEROVER) {
		yajl_gen_free(g);
		return rc;
	}
	ks_list_end(x, g, k->coll, &l, rc == 0 ? last : NULL);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int ks_res_create(lc__api_ctx *x, const ks_resource *k)
{
	const lc__json *o = body(x, k, 1);
	void *obj = NULL;
	int rc;

	if (o == NULL)
		return 0;
	rc = k->create(&obj, x, k, o);
	if (rc != 0)
		return rc > 0 ? 0 : rc;
	return reply(x, k, obj, 201);
}

int ks_res_get(lc__api_ctx *x, const ks_resource *k)
{
	const char *id = lc__req_param(x, 0);
	void *obj = NULL;
	int rc = k->get(&obj, x->session, id);

	if (rc < 0)
		return ks_lookup_rc(rc, k->member, id);
	return reply(x, k, obj, 200);
}

int ks_res_update(lc__api_ctx *x, const ks_resource *k)
{
	const char *id = lc__req_param(x, 0);
	const lc__json *o;
	void *obj = NULL;
	int rc = ks_res_exists(x, k, id);

	if (rc < 0)
		return rc;
	if ((o = body(x, k, 0)) == NULL)
		return 0;
	rc = k->update(&obj, x, k, id, o);
	if (rc < 0)
		return rc;
	return reply(x, k, obj, 200);
}

int ks_res_delete(lc__api_ctx *x, const ks_resource *k)
{
	const char *id = lc__req_param(x, 0);
	int rc;

	if (k->delete_check != NULL) {
		void *obj = NULL;

		rc = k->get(&obj, x->session, id);
		if (rc < 0)
			return ks_lookup_rc(rc, k->member, id);
		rc = k->delete_check(x, obj);
		k->free(obj);
		if (rc < 0)
			return rc;
	}
	rc = k->del(x->session, id, 0);
	if (rc < 0)
		return ks_lookup_rc(rc, k->member, id);
	return lc__reply_empty(x, 204);
}
