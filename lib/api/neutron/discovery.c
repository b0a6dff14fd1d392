/* Neutron discovery: versions, the v2.0 resources, and the extensions really implemented. */
#include "api/neutron/neutron.h"

#include <string.h>

static const struct {
	const char *alias, *name, *description;
} extensions[] = {
	{ "allowed-address-pairs", "Allowed Address Pairs", "Provides allowed address pairs" },
	{ "binding", "Port Binding", "Expose port bindings of a virtual port to external application" },
	{ "external-net", "Neutron external network", "Adds external network attribute to network resource." },
	{ "ext-gw-mode", "Neutron L3 Configurable external gateway mode",
	  "Extension of the router abstraction for specifying whether SNAT should occur on the external gateway" },
	{ "extraroute", "Neutron Extra Route", "Extra routes configuration for L3 router" },
	{ "net-mtu", "Network MTU", "Provides MTU attribute for a network resource." },
	{ "net-mtu-writable", "Network MTU (writable)", "Provides a writable MTU attribute for a network resource." },
	{ "port-security", "Port Security", "Provides port security" },
	{ "project-id", "project_id field enabled", "Extension that indicates that project_id field is enabled." },
	{ "provider", "Provider Network", "Expose mapping of virtual networks to physical networks" },
	{ "quotas", "Quota management support", "Expose functions for quotas management per project" },
	{ "quota_details", "Quota details management support", "Expose functions for quotas usage statistics per project" },
	{ "router", "Neutron L3 Router",
	  "Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway." },
	{ "security-group", "security-group", "The security groups extension." },
	{ "stateful-security-group", "Stateful security group", "Indicates if the security group is stateful or not" },
	{ "standard-attr-description", "standard-attr-description", "Extension to add descriptions to standard attributes" },
	{ "standard-attr-revisions", "Resource revision numbers", "This extension will display the revision number of neutron resources." },
	{ "standard-attr-tag", "Tag support for resources with standard attribute: subnet, trunk, network_segment_range, router, network, policy, subnetpool, port, security_group, floatingip",
	  "Enables to set tag on resources with standard attribute." },
	{ "standard-attr-timestamp", "Resource timestamps", "Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes." },
	{ "sorting", "Sorting support", "Enabling sorting support" },
	{ "pagination", "Pagination support", "Enabling pagination support" },
	{ "filter-validation", "Filter parameters validation", "Provides validation on filter parameters." },
	{ "empty-string-filtering", "Empty String Filtering Extension", "Allow filtering by attributes with empty string value" },
};
#define NEXT (sizeof(extensions) / sizeof(extensions[0]))

static void gen_extension(yajl_gen g, size_t i)
{
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "alias", extensions[i].alias);
	lc__gen_kstr(g, "name", extensions[i].name);
	lc__gen_kstr(g, "description", extensions[i].description);
	lc__gen_kstr(g, "updated", "2013-01-01T10:00:00-00:00");
	lc__gen_karray(g, "links");
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
}

int nt_extension_list(lc__api_ctx *x)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_karray(g, "extensions");
	for (size_t i = 0; i < NEXT; i++)
		if (extensions[i].name != NULL)
			gen_extension(g, i);
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int nt_extension_get(lc__api_ctx *x)
{
	const char *alias = lc__req_param(x, 0);
	yajl_gen g;

	for (size_t i = 0; i < NEXT; i++) {
		if (extensions[i].name == NULL || strcmp(extensions[i].alias, alias) != 0)
			continue;
		if ((g = lc__json_begin(x)) == NULL)
			return LC_ENOMEM;
		yajl_gen_map_open(g);
		lc__gen_key(g, "extension");
		gen_extension(g, i);
		yajl_gen_map_close(g);
		return lc__json_end(x, g, 200);
	}
	lc__api_error(x, 404, "Extension with alias %.64s does not exist", alias);
	return 0;
}

int nt_versions(lc__api_ctx *x)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_karray(g, "versions");
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "id", "v2.0");
	lc__gen_kstr(g, "status", "CURRENT");
	lc__gen_karray(g, "links");
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "rel", "self");
	lc__gen_kstr(g, "href", lc__arena_printf(x->arena, "%s/network/v2.0/", x->base));
	yajl_gen_map_close(g);
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int nt_v2(lc__api_ctx *x)
{
	static const char *const res[][2] = {
		{ "network", "networks" }, { "subnet", "subnets" }, { "port", "ports" }, { "router", "routers" },
		{ "floatingip", "floatingips" }, { "security_group", "security-groups" },
		{ "security_group_rule", "security-group-rules" }, { "quota", "quotas" },
	};
	yajl_gen g = lc__json_begin(x);

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_karray(g, "resources");
	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "name", res[i][0]);
		lc__gen_kstr(g, "collection", res[i][1]);
		lc__gen_karray(g, "links");
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "rel", "self");
		lc__gen_kstr(g, "href", lc__arena_printf(x->arena, "%s/network/v2.0/%s", x->base, res[i][1]));
		yajl_gen_map_close(g);
		lc__gen_end_array(g);
		yajl_gen_map_close(g);
	}
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}
