/* Neutron routers: list, create, show, update, delete, add and remove interfaces. */
#include "api/neutron/neutron.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

static const nt_attr router_attrs[] = {
	{ "name", NT_STR, NT_POST | NT_PUT },
	{ "description", NT_STR_NULL, NT_POST | NT_PUT },
	{ "admin_state_up", NT_BOOL, NT_POST | NT_PUT },
	{ "external_gateway_info", NT_ANY, NT_POST | NT_PUT },
	{ "routes", NT_LIST, NT_POST | NT_PUT },
	{ "project_id", NT_STR, NT_POST },
	{ "tenant_id", NT_STR, NT_POST },
	{ "tags", NT_LIST, NT_POST | NT_PUT },
	{ "distributed", NT_BOOL, NT_POST | NT_PUT | NT_IGNORED },
	{ "ha", NT_BOOL, NT_POST | NT_PUT | NT_IGNORED },
	{ "availability_zone_hints", NT_LIST, NT_POST | NT_IGNORED },
	{ "flavor_id", NT_STR_NULL, NT_POST | NT_IGNORED },
};

LC__API_RESOURCE_CALLS(router)
NT_TAG_CALLS(router, LC_ROUTER_OPTS_INIT)

static int attr(const void *obj, const char *name, char buf[64], const char **out)
{
	const lc_router *r = obj;

	if (!strcmp(name, "id"))
		*out = r ? lc_router_id(r) : NULL;
	else if (!strcmp(name, "name"))
		*out = r ? lc_router_name(r) : NULL;
	else if (!strcmp(name, "description"))
		*out = r ? lc_router_description(r) : NULL;
	else if (!strcmp(name, "project_id") || !strcmp(name, "tenant_id"))
		*out = r ? lc_router_project_id(r) : NULL;
	else if (!strcmp(name, "status"))
		*out = r ? lc_router_status(r) : NULL;
	else if (!strcmp(name, "admin_state_up"))
		*out = r ? nt_booltext(lc_router_admin_state_up(r)) : NULL;
	else if (!strcmp(name, "distributed") || !strcmp(name, "ha"))
		*out = "false";
	else if (!strcmp(name, "revision_number")) {
		snprintf(buf, 64, "%lld", (long long)(r ? lc_router_revision(r) : 0));
		*out = buf;
	} else
		return 0;
	return 1;
}

static void gen(nt_out *o, const void *obj)
{
	const lc_router *r = obj;

	nt_common(o, lc_router_id(r), lc_router_project_id(r), lc_router_created_at(r), lc_router_updated_at(r),
		  lc_router_revision(r));
	nt_kstr(o, "name", lc_router_name(r));
	nt_kstr(o, "description", lc_router_description(r));
	nt_kbool(o, "admin_state_up", lc_router_admin_state_up(r));
	nt_kstr(o, "status", lc_router_status(r));
	if (nt_want(o, "external_gateway_info")) {
		if (lc_router_external_network_id(r) == NULL) {
			lc__gen_knull(o->g, "external_gateway_info");
		} else {
			lc__gen_kmap(o->g, "external_gateway_info");
			lc__gen_kstr(o->g, "network_id", lc_router_external_network_id(r));
			lc__gen_kbool(o->g, "enable_snat", lc_router_enable_snat(r));
			lc__gen_karray(o->g, "external_fixed_ips");
			for (size_t i = 0; i < lc_router_external_ip_count(r); i++) {
				yajl_gen_map_open(o->g);
				lc__gen_kstr(o->g, "subnet_id", lc_router_external_ip_subnet_id(r, i));
				lc__gen_kstr(o->g, "ip_address", lc_router_external_ip_address(r, i));
				yajl_gen_map_close(o->g);
			}
			lc__gen_end_array(o->g);
			lc__gen_end_map(o->g);
		}
	}
	if (nt_klist(o, "routes")) {
		for (size_t i = 0; i < lc_router_route_count(r); i++) {
			yajl_gen_map_open(o->g);
			lc__gen_kstr(o->g, "destination", lc_router_route_destination(r, i));
			lc__gen_kstr(o->g, "nexthop", lc_router_route_nexthop(r, i));
			yajl_gen_map_close(o->g);
		}
		lc__gen_end_array(o->g);
	}
	nt_kbool(o, "distributed", 0);
	nt_kbool(o, "ha", 0);
	if (nt_klist(o, "availability_zones")) {
		lc__gen_str(o->g, "nova");
		lc__gen_end_array(o->g);
	}
	nt_kempty_list(o, "availability_zone_hints");
	nt_knull(o, "flavor_id");
	nt_tags(o, lc_router_tag_count(r), router_tag_any, r);
}

/* external_gateway_info: {network_id, enable_snat, external_fixed_ips}; null or {} removes the gateway. */
static int gateway(lc__api_ctx *x, const lc__json *o, lc_router_opts *opts)
{
	const lc__json *gw = lc__json_get(o, "external_gateway_info");

	if (gw == NULL)
		return 0;
	if (gw->type == LC__J_NULL || (gw->type == LC__J_OBJECT && gw->count == 0)) {
		opts->external_network_id = "";
		return 0;
	}
	if (gw->type != LC__J_OBJECT) {
		lc__api_error(x, 400, "Invalid input for external_gateway_info. Reason: %s is not a dictionary.",
			      lc__json_type_name(gw->type));
		return 1;
	}
	for (const lc__json *m = gw->child; m; m = m->next) {
		if (strcmp(m->key, "network_id") && strcmp(m->key, "enable_snat") && strcmp(m->key, "external_fixed_ips") &&
		    strcmp(m->key, "qos_policy_id")) {
			lc__api_error(x, 400, "Invalid input for external_gateway_info. Reason: unexpected key '%.64s'.",
				      m->key);
			return 1;
		}
	}
	opts->external_network_id = nt_str(gw, "network_id");
	if (opts->external_network_id == NULL || *opts->external_network_id == '\0') {
		lc__api_error(x, 400, "Invalid input for external_gateway_info. Reason: network_id is required.");
		return 1;
	}
	opts->enable_snat = nt_bool(gw, "enable_snat");
	return nt_pairs(x, gw, "external_fixed_ips", "subnet_id", "ip_address", &opts->external_fixed_ips);
}

/* The body into opts; on create also the project and the create-only defaults. */
static int fill(lc__api_ctx *x, const lc__json *o, lc_router_opts *opts, int create)
{
	opts->name = nt_str(o, "name");
	opts->description = nt_str(o, "description");
	opts->admin_state_up = nt_bool(o, "admin_state_up");
	if (gateway(x, o, opts) != 0 || nt_pairs(x, o, "routes", "destination", "nexthop", &opts->routes) != 0)
		return 1;
	if (nt_strv(x, o, "tags", &opts->tags) != 0 || (create && nt_project(x, o, &opts->project_id) != 0))
		return 1;
	if (create && opts->external_network_id && *opts->external_network_id == '\0')
		opts->external_network_id = NULL;
	return 0;
}

NT_WRITE_CALLS(router, fill, LC_ROUTER_OPTS_INIT)

const nt_kind nt_router_kind = {
	.one = "router",
	.coll = "routers",
	.path = "/network/v2.0/routers",
	LC__API_CALLS(router),
	.attr = attr,
	.gen = gen,
	NT_TAGS(router),
	NT_WRITES(router, router_attrs),
};

NT_KIND_HANDLERS(router, nt_router_kind)
NT_WRITE_HANDLERS(router, nt_router_kind)

/* The body of an interface call: {"subnet_id": ...} and/or {"port_id": ...}, not wrapped. */
static int interface_body(lc__api_ctx *x, const char **subnet_id, const char **port_id)
{
	const lc__json *body;

	*subnet_id = *port_id = NULL;
	if (lc__req_json(x, &body) != 0)
		return 1;
	for (const lc__json *m = body->child; m; m = m->next) {
		if ((strcmp(m->key, "subnet_id") && strcmp(m->key, "port_id")) || m->type != LC__J_STRING) {
			lc__api_error(x, 400, "Bad router request: give subnet_id or port_id (strings); got '%.64s'.", m->key);
			return 1;
		}
	}
	*subnet_id = nt_str(body, "subnet_id");
	*port_id = nt_str(body, "port_id");
	if (*subnet_id == NULL && *port_id == NULL) {
		lc__api_error(x, 400, "Bad router request: Either subnet_id or port_id must be specified");
		return 1;
	}
	return 0;
}

static int reply_interface(lc__api_ctx *x, const char *router_id, lc_port *p)
{
	yajl_gen g = lc__json_begin(x);
	const char *project = lc_port_project_id(p);

	if (g == NULL) {
		lc_port_free(p);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "id", router_id);
	lc__gen_kstr(g, "tenant_id", project ? project : "");
	lc__gen_kstr(g, "project_id", project ? project : "");
	lc__gen_kstr(g, "port_id", lc_port_id(p));
	lc__gen_kstr(g, "network_id", lc_port_network_id(p));
	lc__gen_kstr(g, "subnet_id", lc_port_fixed_ip_count(p) ? lc_port_fixed_ip_subnet_id(p, 0) : NULL);
	lc__gen_karray(g, "subnet_ids");
	for (size_t i = 0; i < lc_port_fixed_ip_count(p); i++)
		lc__gen_str(g, lc_port_fixed_ip_subnet_id(p, i));
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
	lc_port_free(p);
	return lc__json_end(x, g, 200);
}

/* An unknown subnet or port in the body is a 404, as Neutron answers. */
static int interface_rc(int rc, const char *subnet_id, const char *port_id)
{
	if (rc == LC_EINVALID && lc_error_last()->message && strstr(lc_error_last()->message, "is not a valid id"))
		return nt_lookup_rc(rc, subnet_id ? "subnet" : "port", subnet_id ? subnet_id : port_id);
	return rc;
}

typedef int (*interface_fn)(lc_port **out, lc_session *s, const char *router_id, const char *subnet_id,
			    const char *port_id);

/* PUT add_router_interface / remove_router_interface: the port, as Neutron answers. */
static int interface_call(lc__api_ctx *x, interface_fn fn)
{
	const char *id = lc__req_param(x, 0), *subnet_id, *port_id;
	lc_port *p = NULL;
	int rc;

	if ((rc = nt_exists(x, &nt_router_kind, id)) < 0)
		return rc;
	if (interface_body(x, &subnet_id, &port_id) != 0)
		return 0;
	rc = fn(&p, x->session, id, subnet_id, port_id);
	if (rc < 0)
		return interface_rc(rc, subnet_id, port_id);
	return reply_interface(x, id, p);
}

int nt_router_add_interface(lc__api_ctx *x) { return interface_call(x, lc_router_add_interface); }
int nt_router_remove_interface(lc__api_ctx *x) { return interface_call(x, lc_router_remove_interface); }
