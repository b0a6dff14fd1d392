/* Nova v2.1: the route table. Every route names its policy rule. */
#include "api/nova/nova.h"

#define V "/compute/v2.1"
#define S V "/servers/{server_id}"
#define F V "/flavors/{flavor_id}"

static const lc__api_route routes[] = {
	{ "GET", "/compute", nv_versions, LC__RULE_PUBLIC, LC__ROUTE_NOAUTH },
	{ "GET", V, nv_version, LC__RULE_PUBLIC, LC__ROUTE_NOAUTH },

	{ "GET", V "/flavors", nv_flavor_list, "compute:list_flavors", 0 },
	{ "GET", V "/flavors/detail", nv_flavor_detail, "compute:list_flavors", 0 },
	{ "POST", V "/flavors", nv_flavor_create, "compute:create_flavor", 0 },
	{ "GET", F, nv_flavor_get, "compute:get_flavor", 0 },
	{ "PUT", F, nv_flavor_update, "compute:update_flavor", 0 },
	{ "DELETE", F, nv_flavor_delete, "compute:delete_flavor", 0 },
	{ "POST", F "/action", nv_flavor_action, "compute:flavor_access", 0 },
	{ "GET", F "/os-flavor-access", nv_flavor_access_list, "compute:flavor_access", 0 },
	{ "GET", F "/os-extra_specs", nv_specs_list, "compute:get_flavor_extra_specs", 0 },
	{ "POST", F "/os-extra_specs", nv_specs_set, "compute:set_flavor_extra_specs", 0 },
	{ "GET", F "/os-extra_specs/{key}", nv_spec_get, "compute:get_flavor_extra_specs", 0 },
	{ "PUT", F "/os-extra_specs/{key}", nv_spec_put, "compute:set_flavor_extra_specs", 0 },
	{ "DELETE", F "/os-extra_specs/{key}", nv_spec_delete, "compute:set_flavor_extra_specs", 0 },

	{ "GET", V "/os-keypairs", nv_keypair_list, "compute:list_keypairs", 0 },
	{ "POST", V "/os-keypairs", nv_keypair_create, "compute:create_keypair", 0 },
	{ "GET", V "/os-keypairs/{name}", nv_keypair_get, "compute:get_keypair", 0 },
	{ "DELETE", V "/os-keypairs/{name}", nv_keypair_delete, "compute:delete_keypair", 0 },

	{ "GET", V "/servers", nv_server_list, "compute:list_servers", 0 },
	{ "GET", V "/servers/detail", nv_server_detail, "compute:list_servers", 0 },
	{ "POST", V "/servers", nv_server_create, "compute:create_server", 0 },
	{ "GET", S, nv_server_get, "compute:get_server", 0 },
	{ "PUT", S, nv_server_update, "compute:update_server", 0 },
	{ "DELETE", S, nv_server_delete, "compute:delete_server", 0 },
	{ "POST", S "/action", nv_server_action, "compute:get_server", 0 },
	{ "GET", S "/ips", nv_server_ips, "compute:get_server", 0 },
	{ "GET", S "/ips/{network_label}", nv_server_ips_network, "compute:get_server", 0 },
	{ "GET", S "/metadata", nv_metadata_list, "compute:get_server", 0 },
	{ "POST", S "/metadata", nv_metadata_post, "compute:update_server_metadata", 0 },
	{ "PUT", S "/metadata", nv_metadata_put, "compute:update_server_metadata", 0 },
	{ "GET", S "/metadata/{key}", nv_meta_get, "compute:get_server", 0 },
	{ "PUT", S "/metadata/{key}", nv_meta_put, "compute:update_server_metadata", 0 },
	{ "DELETE", S "/metadata/{key}", nv_meta_delete, "compute:update_server_metadata", 0 },
	{ "GET", S "/os-instance-actions", nv_actions_list, "compute:list_instance_actions", 0 },
	{ "GET", S "/os-instance-actions/{request_id}", nv_action_get, "compute:list_instance_actions", 0 },

	{ "GET", V "/os-hypervisors", nv_hypervisor_list, "compute:list_hosts", 0 },
	{ "GET", V "/os-hypervisors/detail", nv_hypervisor_detail, "compute:list_hosts", 0 },
	{ "GET", V "/os-hypervisors/statistics", nv_hypervisor_stats, "compute:list_hosts", 0 },
	{ "GET", V "/os-hypervisors/{hypervisor_id}", nv_hypervisor_get, "compute:get_host", 0 },
	{ "GET", V "/os-hypervisors/{pattern}/search", nv_hypervisor_search, "compute:list_hosts", 0 },
	{ "GET", V "/os-services", nv_service_list, "compute:list_services", 0 },
	{ "PUT", V "/os-services/enable", nv_service_enable, "compute:update_service", 0 },
	{ "PUT", V "/os-services/disable", nv_service_disable, "compute:update_service", 0 },
	{ "PUT", V "/os-services/disable-log-reason", nv_service_disable_reason, "compute:update_service", 0 },
	{ "GET", V "/os-availability-zone", nv_az_list, "compute:list_availability_zones", 0 },
	{ "GET", V "/os-availability-zone/detail", nv_az_detail, "compute:list_hosts", 0 },

	{ "GET", V "/os-aggregates", nv_aggregate_list, "compute:list_aggregates", 0 },
	{ "POST", V "/os-aggregates", nv_aggregate_create, "compute:create_aggregate", 0 },
	{ "GET", V "/os-aggregates/{aggregate_id}", nv_aggregate_get, "compute:get_aggregate", 0 },
	{ "PUT", V "/os-aggregates/{aggregate_id}", nv_aggregate_update, "compute:update_aggregate", 0 },
	{ "DELETE", V "/os-aggregates/{aggregate_id}", nv_aggregate_delete, "compute:delete_aggregate", 0 },
	{ "POST", V "/os-aggregates/{aggregate_id}/action", nv_aggregate_action, "compute:update_aggregate", 0 },

	{ "GET", V "/os-server-groups", nv_group_list, "compute:list_server_groups", 0 },
	{ "POST", V "/os-server-groups", nv_group_create, "compute:create_server_group", 0 },
	{ "GET", V "/os-server-groups/{group_id}", nv_group_get, "compute:get_server_group", 0 },
	{ "DELETE", V "/os-server-groups/{group_id}", nv_group_delete, "compute:delete_server_group", 0 },

	{ "GET", V "/limits", nv_limits, "compute:get_limits", 0 },
	{ "GET", V "/os-quota-sets/{project_id}", nv_quota_get, "compute:get_quota", 0 },
	{ "PUT", V "/os-quota-sets/{project_id}", nv_quota_update, "compute:update_quota", 0 },
	{ "GET", V "/os-quota-sets/{project_id}/detail", nv_quota_detail, "compute:get_quota", 0 },
	{ "GET", V "/os-quota-sets/{project_id}/defaults", nv_quota_defaults, "compute:get_quota", 0 },
};

const lc__api_service lc__nova_service = {
	.bit = LC_API_SERVICE_COMPUTE,
	.type = "compute",
	.name = "nova",
	.first_segment = "compute",
	.url_suffix = "/compute/v2.1",
	.style = LC__ERR_NOVA,
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
};
