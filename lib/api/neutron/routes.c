/* Neutron v2.0: the route table. Every route names its policy rule. */
#include "api/neutron/neutron.h"

#define V "/network/v2.0"

static const lc__api_route routes[] = {
	{ "GET", "/network", nt_versions, LC__RULE_PUBLIC, LC__ROUTE_NOAUTH },
	{ "GET", V, nt_v2, "network:get_extensions", 0 },
	{ "GET", V "/extensions", nt_extension_list, "network:get_extensions", 0 },
	{ "GET", V "/extensions/{alias}", nt_extension_get, "network:get_extensions", 0 },

	{ "GET", V "/networks", nt_network_list, "network:get_network", 0 },
	{ "POST", V "/networks", nt_network_create, "network:create_network", 0 },
	{ "GET", V "/networks/{network_id}", nt_network_get, "network:get_network", 0 },
	{ "PUT", V "/networks/{network_id}", nt_network_update, "network:update_network", 0 },
	{ "DELETE", V "/networks/{network_id}", nt_network_delete, "network:delete_network", 0 },

	{ "GET", V "/subnets", nt_subnet_list, "network:get_subnet", 0 },
	{ "POST", V "/subnets", nt_subnet_create, "network:create_subnet", 0 },
	{ "GET", V "/subnets/{subnet_id}", nt_subnet_get, "network:get_subnet", 0 },
	{ "PUT", V "/subnets/{subnet_id}", nt_subnet_update, "network:update_subnet", 0 },
	{ "DELETE", V "/subnets/{subnet_id}", nt_subnet_delete, "network:delete_subnet", 0 },

	{ "GET", V "/ports", nt_port_list, "network:list_ports", 0 },
	{ "POST", V "/ports", nt_port_create, "network:create_port", 0 },
	{ "GET", V "/ports/{port_id}", nt_port_get, "network:get_port", 0 },
	{ "PUT", V "/ports/{port_id}", nt_port_update, "network:update_port", 0 },
	{ "DELETE", V "/ports/{port_id}", nt_port_delete, "network:delete_port", 0 },

	{ "GET", V "/routers", nt_router_list, "network:list_routers", 0 },
	{ "POST", V "/routers", nt_router_create, "network:create_router", 0 },
	{ "GET", V "/routers/{router_id}", nt_router_get, "network:get_router", 0 },
	{ "PUT", V "/routers/{router_id}", nt_router_update, "network:update_router", 0 },
	{ "DELETE", V "/routers/{router_id}", nt_router_delete, "network:delete_router", 0 },
	{ "PUT", V "/routers/{router_id}/add_router_interface", nt_router_add_interface, "network:add_router_interface", 0 },
	{ "PUT", V "/routers/{router_id}/remove_router_interface", nt_router_remove_interface,
	  "network:remove_router_interface", 0 },

	{ "GET", V "/floatingips", nt_fip_list, "network:list_floatingips", 0 },
	{ "POST", V "/floatingips", nt_fip_create, "network:create_floatingip", 0 },
	{ "GET", V "/floatingips/{floatingip_id}", nt_fip_get, "network:get_floatingip", 0 },
	{ "PUT", V "/floatingips/{floatingip_id}", nt_fip_update, "network:update_floatingip", 0 },
	{ "DELETE", V "/floatingips/{floatingip_id}", nt_fip_delete, "network:delete_floatingip", 0 },

	{ "GET", V "/security-groups", nt_sg_list, "network:list_security_groups", 0 },
	{ "POST", V "/security-groups", nt_sg_create, "network:create_security_group", 0 },
	{ "GET", V "/security-groups/{security_group_id}", nt_sg_get, "network:get_security_group", 0 },
	{ "PUT", V "/security-groups/{security_group_id}", nt_sg_update, "network:update_security_group", 0 },
	{ "DELETE", V "/security-groups/{security_group_id}", nt_sg_delete, "network:delete_security_group", 0 },
	{ "GET", V "/security-group-rules", nt_rule_list, "network:list_security_group_rules", 0 },
	{ "POST", V "/security-group-rules", nt_rule_create, "network:create_security_group_rule", 0 },
	{ "GET", V "/security-group-rules/{rule_id}", nt_rule_get, "network:get_security_group_rule", 0 },
	{ "DELETE", V "/security-group-rules/{rule_id}", nt_rule_delete, "network:delete_security_group_rule", 0 },

#define TAGS(coll, rule)                                                                  \
	{ "GET", V "/" coll "/{id}/tags", nt_tags_get, "network:get_network", 0 },                \
	{ "PUT", V "/" coll "/{id}/tags", nt_tags_put_all, rule, 0 },                           \
	{ "DELETE", V "/" coll "/{id}/tags", nt_tags_delete_all, rule, 0 },                     \
	{ "GET", V "/" coll "/{id}/tags/{tag}", nt_tag_check, "network:get_network", 0 },         \
	{ "PUT", V "/" coll "/{id}/tags/{tag}", nt_tag_put, rule, 0 },                          \
	{ "DELETE", V "/" coll "/{id}/tags/{tag}", nt_tag_delete, rule, 0 }
	TAGS("networks", "network:update_network"),
	TAGS("subnets", "network:update_subnet"),
	TAGS("ports", "network:update_port"),
	TAGS("routers", "network:update_router"),
	TAGS("floatingips", "network:update_floatingip"),
	TAGS("security-groups", "network:update_security_group"),

	{ "GET", V "/quotas/{project_id}", nt_quota_get, "quota:get", 0 },
	{ "GET", V "/quotas/{project_id}/details", nt_quota_details, "quota:get", 0 },
	{ "GET", V "/quotas/{project_id}/default", nt_quota_default, "quota:get", 0 },
	{ "PUT", V "/quotas/{project_id}", nt_quota_update, "quota:update", 0 },
	{ "DELETE", V "/quotas/{project_id}", nt_quota_delete, "quota:update", 0 },
};

const lc__api_service lc__neutron_service = {
	.bit = LC_API_SERVICE_NETWORK,
	.type = "network",
	.name = "neutron",
	.first_segment = "network",
	.url_suffix = "/network",
	.style = LC__ERR_NEUTRON,
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
};
