/* Neutron subnets: list, create, show, update, delete. */
#include "api/neutron/neutron.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

static const nt_attr subnet_attrs[] = {
	{ "name", NT_STR, NT_POST | NT_PUT },
	{ "description", NT_STR_NULL, NT_POST | NT_PUT },
	{ "network_id", NT_STR, NT_POST | NT_REQUIRED },
	{ "cidr", NT_STR, NT_POST | NT_REQUIRED },
	{ "ip_version", NT_INT, NT_POST },
	{ "gateway_ip", NT_STR_NULL, NT_POST | NT_PUT },
	{ "enable_dhcp", NT_BOOL, NT_POST | NT_PUT },
	{ "ipv6_ra_mode", NT_STR_NULL, NT_POST },
	{ "ipv6_address_mode", NT_STR_NULL, NT_POST },
	{ "allocation_pools", NT_LIST, NT_POST | NT_PUT },
	{ "dns_nameservers", NT_LIST, NT_POST | NT_PUT },
	{ "host_routes", NT_LIST, NT_POST | NT_PUT },
	{ "project_id", NT_STR, NT_POST },
	{ "tenant_id", NT_STR, NT_POST },
	{ "tags", NT_LIST, NT_POST | NT_PUT },
	{ "subnetpool_id", NT_STR_NULL, NT_POST },
	{ "use_default_subnetpool", NT_BOOL, NT_POST | NT_IGNORED },
	{ "prefixlen", NT_INT, NT_POST | NT_IGNORED },
	{ "service_types", NT_LIST, NT_POST | NT_PUT | NT_IGNORED },
	{ "segment_id", NT_STR_NULL, NT_POST | NT_PUT | NT_IGNORED },
	{ "dns_publish_fixed_ip", NT_BOOL, NT_POST | NT_PUT | NT_IGNORED },
};

LC__API_RESOURCE_CALLS(subnet)
NT_TAG_CALLS(subnet, LC_SUBNET_OPTS_INIT)

static int attr(const void *obj, const char *name, char buf[64], const char **out)
{
	const lc_subnet *sn = obj;

	if (!strcmp(name, "id"))
		*out = sn ? lc_subnet_id(sn) : NULL;
	else if (!strcmp(name, "name"))
		*out = sn ? lc_subnet_name(sn) : NULL;
	else if (!strcmp(name, "description"))
		*out = sn ? lc_subnet_description(sn) : NULL;
	else if (!strcmp(name, "project_id") || !strcmp(name, "tenant_id"))
		*out = sn ? lc_subnet_project_id(sn) : NULL;
	else if (!strcmp(name, "network_id"))
		*out = sn ? lc_subnet_network_id(sn) : NULL;
	else if (!strcmp(name, "cidr"))
		*out = sn ? lc_subnet_cidr(sn) : NULL;
	else if (!strcmp(name, "gateway_ip"))
		*out = sn ? lc_subnet_gateway_ip(sn) : NULL;
	else if (!strcmp(name, "enable_dhcp"))
		*out = sn ? nt_booltext(lc_subnet_enable_dhcp(sn)) : NULL;
	else if (!strcmp(name, "ipv6_ra_mode"))
		*out = sn ? lc_subnet_ipv6_ra_mode(sn) : NULL;
	else if (!strcmp(name, "ipv6_address_mode"))
		*out = sn ? lc_subnet_ipv6_address_mode(sn) : NULL;
	else if (!strcmp(name, "subnetpool_id") || !strcmp(name, "segment_id"))
		*out = NULL;
	else if (!strcmp(name, "ip_version") || !strcmp(name, "revision_number")) {
		snprintf(buf, 64, "%lld",
			 (long long)(!sn ? 0 : !strcmp(name, "ip_version") ? lc_subnet_ip_version(sn) : lc_subnet_revision(sn)));
		*out = buf;
	} else
		return 0;
	return 1;
}

static void gen(nt_out *o, const void *obj)
{
	const lc_subnet *sn = obj;

	nt_common(o, lc_subnet_id(sn), lc_subnet_project_id(sn), lc_subnet_created_at(sn), lc_subnet_updated_at(sn),
		  lc_subnet_revision(sn));
	nt_kstr(o, "name", lc_subnet_name(sn));
	nt_kstr(o, "description", lc_subnet_description(sn));
	nt_kstr(o, "network_id", lc_subnet_network_id(sn));
	nt_kint(o, "ip_version", lc_subnet_ip_version(sn));
	nt_kstr(o, "cidr", lc_subnet_cidr(sn));
	nt_kstr(o, "gateway_ip", lc_subnet_gateway_ip(sn));
	nt_kbool(o, "enable_dhcp", lc_subnet_enable_dhcp(sn));
	nt_kstr(o, "ipv6_ra_mode", lc_subnet_ipv6_ra_mode(sn));
	nt_kstr(o, "ipv6_address_mode", lc_subnet_ipv6_address_mode(sn));
	if (nt_klist(o, "allocation_pools")) {
		for (size_t i = 0; i < lc_subnet_pool_count(sn); i++) {
			yajl_gen_map_open(o->g);
			lc__gen_kstr(o->g, "start", lc_subnet_pool_start(sn, i));
			lc__gen_kstr(o->g, "end", lc_subnet_pool_end(sn, i));
			yajl_gen_map_close(o->g);
		}
		lc__gen_end_array(o->g);
	}
	if (nt_klist(o, "dns_nameservers")) {
		for (size_t i = 0; i < lc_subnet_dns_nameserver_count(sn); i++)
			lc__gen_str(o->g, lc_subnet_dns_nameserver(sn, i));
		lc__gen_end_array(o->g);
	}
	if (nt_klist(o, "host_routes")) {
		for (size_t i = 0; i < lc_subnet_host_route_count(sn); i++) {
			yajl_gen_map_open(o->g);
			lc__gen_kstr(o->g, "destination", lc_subnet_host_route_destination(sn, i));
			lc__gen_kstr(o->g, "nexthop", lc_subnet_host_route_nexthop(sn, i));
			yajl_gen_map_close(o->g);
		}
		lc__gen_end_array(o->g);
	}
	nt_knull(o, "subnetpool_id");
	nt_knull(o, "segment_id");
	nt_kempty_list(o, "service_types");
	nt_kbool(o, "dns_publish_fixed_ip", 0);
	nt_tags(o, lc_subnet_tag_count(sn), subnet_tag_any, sn);
}

/* The body into opts; on create also the project and the create-only defaults. */
static int fill(lc__api_ctx *x, const lc__json *o, lc_subnet_opts *opts, int create)
{
	const char *pool = nt_str(o, "subnetpool_id");

	if (pool && *pool) {
		lc__api_error(x, 400, "Subnet pools are not supported: give a cidr");
		return 1;
	}
	opts->name = nt_str(o, "name");
	opts->description = nt_str(o, "description");
	opts->network_id = nt_str(o, "network_id");
	opts->cidr = nt_str(o, "cidr");
	opts->ip_version = (int)nt_int(o, "ip_version", 0);
	opts->gateway_ip = nt_str(o, "gateway_ip"); /* null: "" (no gateway) */
	opts->enable_dhcp = nt_bool(o, "enable_dhcp");
	opts->ipv6_ra_mode = nt_str(o, "ipv6_ra_mode");
	opts->ipv6_address_mode = nt_str(o, "ipv6_address_mode");
	if (opts->ipv6_ra_mode && *opts->ipv6_ra_mode == '\0')
		opts->ipv6_ra_mode = NULL;
	if (opts->ipv6_address_mode && *opts->ipv6_address_mode == '\0')
		opts->ipv6_address_mode = NULL;
	if (nt_pairs(x, o, "allocation_pools", "start", "end", &opts->allocation_pools) != 0 ||
	    nt_pairs(x, o, "host_routes", "destination", "nexthop", &opts->host_routes) != 0 ||
	    nt_strv(x, o, "dns_nameservers", &opts->dns_nameservers) != 0)
		return 1;
	if (nt_strv(x, o, "tags", &opts->tags) != 0 || (create && nt_project(x, o, &opts->project_id) != 0))
		return 1;
	return 0;
}

NT_WRITE_CALLS(subnet, fill, LC_SUBNET_OPTS_INIT)

const nt_kind nt_subnet_kind = {
	.one = "subnet",
	.coll = "subnets",
	.path = "/network/v2.0/subnets",
	LC__API_CALLS(subnet),
	.attr = attr,
	.gen = gen,
	NT_TAGS(subnet),
	NT_WRITES(subnet, subnet_attrs),
};

NT_KIND_HANDLERS(subnet, nt_subnet_kind)
NT_WRITE_HANDLERS(subnet, nt_subnet_kind)
