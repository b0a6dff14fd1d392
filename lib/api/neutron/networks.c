/* Neutron networks: list, create, show, update, delete. */
#include "api/neutron/neutron.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

static const nt_attr network_attrs[] = {
	{ "name", NT_STR, NT_POST | NT_PUT },
	{ "description", NT_STR_NULL, NT_POST | NT_PUT },
	{ "admin_state_up", NT_BOOL, NT_POST | NT_PUT },
	{ "shared", NT_BOOL, NT_POST | NT_PUT },
	{ "router:external", NT_BOOL, NT_POST | NT_PUT },
	{ "mtu", NT_INT, NT_POST | NT_PUT },
	{ "port_security_enabled", NT_BOOL, NT_POST | NT_PUT },
	{ "provider:network_type", NT_STR, NT_POST },
	{ "provider:physical_network", NT_STR_NULL, NT_POST },
	{ "provider:segmentation_id", NT_INT_NULL, NT_POST },
	{ "project_id", NT_STR, NT_POST },
	{ "tenant_id", NT_STR, NT_POST },
	{ "tags", NT_LIST, NT_POST | NT_PUT },
	{ "availability_zone_hints", NT_LIST, NT_POST | NT_IGNORED },
	{ "dns_domain", NT_STR, NT_POST | NT_PUT | NT_IGNORED },
	{ "is_default", NT_BOOL, NT_POST | NT_PUT | NT_IGNORED },
	{ "qos_policy_id", NT_STR_NULL, NT_POST | NT_PUT | NT_IGNORED },
};

LC__API_RESOURCE_CALLS(network)
NT_TAG_CALLS(network, LC_NETWORK_OPTS_INIT)

static int attr(const void *obj, const char *name, char buf[64], const char **out)
{
	const lc_network *n = obj;

	if (!strcmp(name, "id"))
		*out = n ? lc_network_id(n) : NULL;
	else if (!strcmp(name, "name"))
		*out = n ? lc_network_name(n) : NULL;
	else if (!strcmp(name, "description"))
		*out = n ? lc_network_description(n) : NULL;
	else if (!strcmp(name, "project_id") || !strcmp(name, "tenant_id"))
		*out = n ? lc_network_project_id(n) : NULL;
	else if (!strcmp(name, "status"))
		*out = n ? lc_network_status(n) : NULL;
	else if (!strcmp(name, "admin_state_up"))
		*out = n ? nt_booltext(lc_network_admin_state_up(n)) : NULL;
	else if (!strcmp(name, "shared"))
		*out = n ? nt_booltext(lc_network_shared(n)) : NULL;
	else if (!strcmp(name, "router:external"))
		*out = n ? nt_booltext(lc_network_external(n)) : NULL;
	else if (!strcmp(name, "port_security_enabled"))
		*out = n ? nt_booltext(lc_network_port_security_enabled(n)) : NULL;
	else if (!strcmp(name, "provider:network_type"))
		*out = n ? lc_network_type(n) : NULL;
	else if (!strcmp(name, "provider:physical_network"))
		*out = n ? lc_network_physical_network(n) : NULL;
	else if (!strcmp(name, "mtu") || !strcmp(name, "provider:segmentation_id") || !strcmp(name, "revision_number")) {
		int64_t v = !n ? 0 : !strcmp(name, "mtu") ? lc_network_mtu(n)
				   : !strcmp(name, "revision_number") ? lc_network_revision(n) : lc_network_segmentation_id(n);

		snprintf(buf, 64, "%lld", (long long)v);
		*out = buf;
	} else
		return 0;
	return 1;
}

static void gen(nt_out *o, const void *obj)
{
	const lc_network *n = obj;
	size_t ns = lc_network_subnet_count(n);

	nt_common(o, lc_network_id(n), lc_network_project_id(n), lc_network_created_at(n), lc_network_updated_at(n),
		  lc_network_revision(n));
	nt_kstr(o, "name", lc_network_name(n));
	nt_kstr(o, "description", lc_network_description(n));
	nt_kbool(o, "admin_state_up", lc_network_admin_state_up(n));
	nt_kstr(o, "status", lc_network_status(n));
	nt_kbool(o, "shared", lc_network_shared(n));
	nt_kbool(o, "router:external", lc_network_external(n));
	nt_kint(o, "mtu", lc_network_mtu(n));
	nt_kbool(o, "port_security_enabled", lc_network_port_security_enabled(n));
	if (nt_klist(o, "subnets")) {
		for (size_t i = 0; i < ns; i++)
			lc__gen_str(o->g, lc_network_subnet_id(n, i));
		lc__gen_end_array(o->g);
	}
	if (nt_klist(o, "availability_zones")) {
		lc__gen_str(o->g, "nova");
		lc__gen_end_array(o->g);
	}
	nt_kempty_list(o, "availability_zone_hints");
	nt_knull(o, "ipv4_address_scope");
	nt_knull(o, "ipv6_address_scope");
	nt_kbool(o, "l2_adjacency", 1);
	nt_kbool(o, "is_default", 0);
	nt_kstr(o, "dns_domain", "");
	nt_knull(o, "qos_policy_id");
	if (nt_is_admin(o->x)) { /* as Neutron: provider attributes are the admin's to see */
		nt_kstr(o, "provider:network_type", lc_network_type(n));
		nt_kstr(o, "provider:physical_network", lc_network_physical_network(n));
		if (lc_network_segmentation_id(n))
			nt_kint(o, "provider:segmentation_id", lc_network_segmentation_id(n));
		else
			nt_knull(o, "provider:segmentation_id");
	}
	nt_tags(o, lc_network_tag_count(n), network_tag_any, n);
}

/* The body into opts; on create also the project and the create-only defaults. */
static int fill(lc__api_ctx *x, const lc__json *o, lc_network_opts *opts, int create)
{
	opts->name = nt_str(o, "name");
	opts->description = nt_str(o, "description");
	opts->admin_state_up = nt_bool(o, "admin_state_up");
	opts->shared = nt_bool(o, "shared");
	opts->external = nt_bool(o, "router:external");
	opts->port_security_enabled = nt_bool(o, "port_security_enabled");
	opts->mtu = nt_int(o, "mtu", 0);
	if (nt_has(o, "mtu") && opts->mtu == 0) {
		lc__api_error(x, 400, "Invalid input for mtu. Reason: 0 is not an MTU.");
		return 1;
	}
	opts->network_type = nt_str(o, "provider:network_type");
	opts->physical_network = nt_str(o, "provider:physical_network");
	if (opts->physical_network && *opts->physical_network == '\0')
		opts->physical_network = NULL;
	opts->segmentation_id = nt_int(o, "provider:segmentation_id", 0);
	if (nt_strv(x, o, "tags", &opts->tags) != 0 || (create && nt_project(x, o, &opts->project_id) != 0))
		return 1;
	return 0;
}

NT_WRITE_CALLS(network, fill, LC_NETWORK_OPTS_INIT)

const nt_kind nt_network_kind = {
	.one = "network",
	.coll = "networks",
	.path = "/network/v2.0/networks",
	LC__API_CALLS(network),
	.attr = attr,
	.gen = gen,
	NT_TAGS(network),
	NT_WRITES(network, network_attrs),
};

NT_KIND_HANDLERS(network, nt_network_kind)
NT_WRITE_HANDLERS(network, nt_network_kind)
