/* Keystone version discovery: GET / (300, every version) and GET /v3. */
#include "api/keystone/keystone.h"

static void gen_version(lc__api_ctx *x, yajl_gen g)
{
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "id", "v3.14");
	lc__gen_kstr(g, "status", "stable");
	lc__gen_kstr(g, "updated", "2020-04-07T00:00:00Z");
	lc__gen_karray(g, "links");
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "rel", "self");
	lc__gen_kstr(g, "href", lc__arena_printf(x->arena, "%s/v3/", x->base));
	yajl_gen_map_close(g);
	lc__gen_end_array(g);
	lc__gen_karray(g, "media-types");
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "base", "application/json");
	lc__gen_kstr(g, "type", "application/vnd.openstack.identity-v3+json");
	yajl_gen_map_close(g);
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
}

int ks_root(lc__api_ctx *x)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_kmap(g, "versions");
	lc__gen_karray(g, "values");
	gen_version(x, g);
	lc__gen_end_array(g);
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
	lc__resp_set_header(x->resp, "Location", lc__arena_printf(x->arena, "%s/v3/", x->base));
	return lc__json_end(x, g, 300);
}

int ks_v3(lc__api_ctx *x)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_key(g, "version");
	gen_version(x, g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}
