/* The networking record types: fields, limits, who may set what, and indexes. */
#include "network/shapes.h"

#include <libcloud/common.h>
#include <libcloud/network.h>

#define ID_FIELD { "id", LC__T_ID, 0, 0, LC__F_FILTER }
#define PROJECT_FIELD { "project_id", LC__T_ID, 0, 0, LC__F_CREATE | LC__F_NULLABLE | LC__F_FILTER }
#define NAME_FIELD { "name", LC__T_STR, 0, LC_NET_NAME_MAX, LC__F_CREATE | LC__F_UPDATE | LC__F_FILTER }
#define DESCRIPTION_FIELD \
	{ "description", LC__T_STR, 0, LC_DESCRIPTION_MAX, LC__F_CREATE | LC__F_UPDATE | LC__F_NULLABLE | LC__F_FILTER }
#define ADMIN_UP_FIELD { "admin_state_up", LC__T_BOOL, 0, 0, LC__F_CREATE | LC__F_UPDATE | LC__F_FILTER }
#define STATUS_FIELD { "status", LC__T_STR, 0, 16, LC__F_FILTER }
#define TAGS_FIELD { "tags", LC__T_BLOB, 0, 0, LC__F_CREATE | LC__F_UPDATE }
#define CREATED_FIELD { "created_at", LC__T_TIME, 0, 0, 0 }
#define UPDATED_FIELD { "updated_at", LC__T_TIME, 0, 0, 0 }
#define REVISION_FIELD { "revision_number", LC__T_INT, 0, 0, LC__F_FILTER }

static const lc__dbdef network_db = { "network", 0 }, network_project_db = { "network.project", MDB_DUPSORT };
static const lc__dbdef subnet_db = { "subnet", 0 }, subnet_network_db = { "subnet.network", MDB_DUPSORT };
static const lc__dbdef port_db = { "port", 0 }, port_network_db = { "port.network", MDB_DUPSORT },
		       port_mac_db = { "port.mac", 0 }, port_device_db = { "port.device", MDB_DUPSORT };
static const lc__dbdef router_db = { "router", 0 }, router_gw_db = { "router.gateway_network", MDB_DUPSORT };
static const lc__dbdef fip_db = { "floatingip", 0 }, fip_port_db = { "floatingip.port", MDB_DUPSORT },
		       fip_router_db = { "floatingip.router", MDB_DUPSORT },
		       fip_network_db = { "floatingip.network", MDB_DUPSORT };
static const lc__dbdef sg_db = { "security_group", 0 }, sg_default_db = { "security_group.default", 0 },
		       sg_project_db = { "security_group.project", MDB_DUPSORT };
static const lc__dbdef rule_db = { "security_group_rule", 0 },
		       rule_group_db = { "security_group_rule.group", MDB_DUPSORT },
		       rule_remote_db = { "security_group_rule.remote_group", MDB_DUPSORT },
		       rule_fingerprint_db = { "security_group_rule.fingerprint", 0 };
const lc__dbdef lc__ipam_pool_db = { "ipam.pool", 0 }, lc__ipam_free_db = { "ipam.free", 0 },
		lc__ipam_used_db = { "ipam.used", 0 };
const lc__dbdef lc__segment_free_db = { "segment.free", 0 }, lc__segment_pool_db = { "segment.pool", 0 };
const lc__dbdef lc__port_sg_db = { "port.security_group", MDB_DUPSORT };
const lc__dbdef lc__router_if_db = { "router.interface_subnet", MDB_DUPSORT };

static const lc__field network_fields[] = {
	[NET_ID] = ID_FIELD,
	[NET_PROJECT] = PROJECT_FIELD,
	[NET_NAME] = NAME_FIELD,
	[NET_DESCRIPTION] = DESCRIPTION_FIELD,
	[NET_ADMIN_UP] = ADMIN_UP_FIELD,
	[NET_STATUS] = STATUS_FIELD,
	[NET_SHARED] = { "shared", LC__T_BOOL, 0, 0, LC__F_CREATE | LC__F_UPDATE | LC__F_FILTER },
	[NET_EXTERNAL] = { "router:external", LC__T_BOOL, 0, 0, LC__F_CREATE | LC__F_UPDATE | LC__F_FILTER },
	[NET_MTU] = { "mtu", LC__T_INT, 0, 0, LC__F_CREATE | LC__F_UPDATE | LC__F_FILTER },
	[NET_PORT_SECURITY] = { "port_security_enabled", LC__T_BOOL, 0, 0, LC__F_CREATE | LC__F_UPDATE | LC__F_FILTER },
	[NET_TYPE] = { "provider:network_type", LC__T_STR, 1, 16, LC__F_CREATE | LC__F_FILTER },
	[NET_PHYSNET] = { "provider:physical_network", LC__T_STR, 1, 64,
			  LC__F_CREATE | LC__F_NULLABLE | LC__F_FILTER },
	[NET_SEGMENT] = { "provider:segmentation_id", LC__T_INT, 0, 0, LC__F_CREATE | LC__F_NULLABLE | LC__F_FILTER },
	[NET_SUBNETS] = { "subnets", LC__T_BLOB, 0, 0, 0 },
	[NET_TAGS] = TAGS_FIELD,
	[NET_CREATED] = CREATED_FIELD,
	[NET_UPDATED] = UPDATED_FIELD,
	[NET_REVISION] = REVISION_FIELD,
};
static const lc__index network_indexes[] = {
	[NET_IX_PROJECT] = { &network_project_db, 1, { NET_PROJECT }, 0, "project" },
};
const lc__shape lc__network_shape = {
	"network", &network_db, 1, NET_NFIELDS, network_fields, 1, network_indexes, NET_PROJECT,
};

static const lc__field subnet_fields[] = {
	[SUB_ID] = ID_FIELD,
	[SUB_PROJECT] = PROJECT_FIELD,
	[SUB_NETWORK] = { "network_id", LC__T_ID, 0, 0, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER },
	[SUB_NAME] = NAME_FIELD,
	[SUB_DESCRIPTION] = DESCRIPTION_FIELD,
	[SUB_IP_VERSION] = { "ip_version", LC__T_INT, 0, 0, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER },
	[SUB_CIDR] = { "cidr", LC__T_STR, 1, 64, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER },
	[SUB_GATEWAY] = { "gateway_ip", LC__T_STR, 0, 64, LC__F_CREATE | LC__F_UPDATE | LC__F_NULLABLE | LC__F_FILTER },
	[SUB_DHCP] = { "enable_dhcp", LC__T_BOOL, 0, 0, LC__F_CREATE | LC__F_UPDATE | LC__F_FILTER },
	[SUB_RA_MODE] = { "ipv6_ra_mode", LC__T_STR, 0, 32, LC__F_CREATE | LC__F_NULLABLE | LC__F_FILTER },
	[SUB_ADDR_MODE] = { "ipv6_address_mode", LC__T_STR, 0, 32, LC__F_CREATE | LC__F_NULLABLE | LC__F_FILTER },
	[SUB_POOLS] = { "allocation_pools", LC__T_BLOB, 0, 0, LC__F_CREATE | LC__F_UPDATE },
	[SUB_DNS] = { "dns_nameservers", LC__T_BLOB, 0, 0, LC__F_CREATE | LC__F_UPDATE },
	[SUB_ROUTES] = { "host_routes", LC__T_BLOB, 0, 0, LC__F_CREATE | LC__F_UPDATE },
	[SUB_TAGS] = TAGS_FIELD,
	[SUB_CREATED] = CREATED_FIELD,
	[SUB_UPDATED] = UPDATED_FIELD,
	[SUB_REVISION] = REVISION_FIELD,
};
static const lc__index subnet_indexes[] = {
	[SUB_IX_NETWORK] = { &subnet_network_db, 1, { SUB_NETWORK }, 0, "network" },
};
const lc__shape lc__subnet_shape = {
	"subnet", &subnet_db, 1, SUB_NFIELDS, subnet_fields, 1, subnet_indexes, SUB_PROJECT,
};

static const lc__field port_fields[] = {
	[PRT_ID] = ID_FIELD,
	[PRT_PROJECT] = PROJECT_FIELD,
	[PRT_NETWORK] = { "network_id", LC__T_ID, 0, 0, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER },
	[PRT_NAME] = NAME_FIELD,
	[PRT_DESCRIPTION] = DESCRIPTION_FIELD,
	[PRT_ADMIN_UP] = ADMIN_UP_FIELD,
	[PRT_STATUS] = STATUS_FIELD,
	[PRT_MAC] = { "mac_address", LC__T_STR, 17, 17, LC__F_CREATE | LC__F_FILTER },
	[PRT_FIXED_IPS] = { "fixed_ips", LC__T_BLOB, 0, 0, LC__F_CREATE | LC__F_UPDATE },
	[PRT_DEVICE_ID] = { "device_id", LC__T_STR, 0, 255, LC__F_CREATE | LC__F_UPDATE | LC__F_NULLABLE | LC__F_FILTER },
	[PRT_DEVICE_OWNER] = { "device_owner", LC__T_STR, 0, 255,
			       LC__F_CREATE | LC__F_UPDATE | LC__F_NULLABLE | LC__F_FILTER },
	[PRT_SGS] = { "security_groups", LC__T_BLOB, 0, 0, LC__F_CREATE | LC__F_UPDATE },
	[PRT_PAIRS] = { "allowed_address_pairs", LC__T_BLOB, 0, 0, LC__F_CREATE | LC__F_UPDATE },
	[PRT_PORT_SECURITY] = { "port_security_enabled", LC__T_BOOL, 0, 0, LC__F_CREATE | LC__F_UPDATE | LC__F_FILTER },
	[PRT_HOST] = { "binding:host_id", LC__T_STR, 0, 255, LC__F_CREATE | LC__F_UPDATE | LC__F_NULLABLE | LC__F_FILTER },
	[PRT_VNIC] = { "binding:vnic_type", LC__T_STR, 1, 32, LC__F_CREATE | LC__F_UPDATE | LC__F_FILTER },
	[PRT_VIF] = { "binding:vif_type", LC__T_STR, 1, 32, LC__F_FILTER },
	[PRT_TAGS] = TAGS_FIELD,
	[PRT_CREATED] = CREATED_FIELD,
	[PRT_UPDATED] = UPDATED_FIELD,
	[PRT_REVISION] = REVISION_FIELD,
};
static const lc__index port_indexes[] = {
	[PRT_IX_NETWORK] = { &port_network_db, 1, { PRT_NETWORK }, 0, "network" },
	[PRT_IX_MAC] = { &port_mac_db, 2, { PRT_NETWORK, PRT_MAC }, LC__I_UNIQUE, "MAC address on this network" },
	[PRT_IX_DEVICE] = { &port_device_db, 1, { PRT_DEVICE_ID }, 0, "device" },
};
const lc__shape lc__port_shape = {
	"port", &port_db, 1, PRT_NFIELDS, port_fields, 3, port_indexes, PRT_PROJECT,
};

static const lc__field router_fields[] = {
	[RTR_ID] = ID_FIELD,
	[RTR_PROJECT] = PROJECT_FIELD,
	[RTR_NAME] = NAME_FIELD,
	[RTR_DESCRIPTION] = DESCRIPTION_FIELD,
	[RTR_ADMIN_UP] = ADMIN_UP_FIELD,
	[RTR_STATUS] = STATUS_FIELD,
	[RTR_GW_NETWORK] = { "external_network_id", LC__T_ID, 0, 0, LC__F_NULLABLE },
	[RTR_GW_PORT] = { "gw_port_id", LC__T_ID, 0, 0, LC__F_NULLABLE },
	[RTR_SNAT] = { "enable_snat", LC__T_BOOL, 0, 0, 0 },
	[RTR_GW_IPS] = { "external_fixed_ips", LC__T_BLOB, 0, 0, 0 },
	[RTR_ROUTES] = { "routes", LC__T_BLOB, 0, 0, LC__F_CREATE | LC__F_UPDATE },
	[RTR_TAGS] = TAGS_FIELD,
	[RTR_CREATED] = CREATED_FIELD,
	[RTR_UPDATED] = UPDATED_FIELD,
	[RTR_REVISION] = REVISION_FIELD,
};
static const lc__index router_indexes[] = {
	[RTR_IX_GW_NETWORK] = { &router_gw_db, 1, { RTR_GW_NETWORK }, 0, "gateway network" },
};
const lc__shape lc__router_shape = {
	"router", &router_db, 1, RTR_NFIELDS, router_fields, 1, router_indexes, RTR_PROJECT,
};

static const lc__field fip_fields[] = {
	[FIP_ID] = ID_FIELD,
	[FIP_PROJECT] = PROJECT_FIELD,
	[FIP_NETWORK] = { "floating_network_id", LC__T_ID, 0, 0, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER },
	[FIP_SUBNET] = { "subnet_id", LC__T_ID, 0, 0, LC__F_CREATE | LC__F_FILTER },
	[FIP_ADDRESS] = { "floating_ip_address", LC__T_STR, 1, 64, LC__F_CREATE | LC__F_FILTER },
	[FIP_OWN_PORT] = { "floatingip_port_id", LC__T_ID, 0, 0, 0 },
	[FIP_PORT] = { "port_id", LC__T_ID, 0, 0, LC__F_CREATE | LC__F_UPDATE | LC__F_NULLABLE | LC__F_FILTER },
	[FIP_FIXED_IP] = { "fixed_ip_address", LC__T_STR, 0, 64,
			   LC__F_CREATE | LC__F_UPDATE | LC__F_NULLABLE | LC__F_FILTER },
	[FIP_ROUTER] = { "router_id", LC__T_ID, 0, 0, LC__F_NULLABLE | LC__F_FILTER },
	[FIP_STATUS] = STATUS_FIELD,
	[FIP_DESCRIPTION] = DESCRIPTION_FIELD,
	[FIP_TAGS] = TAGS_FIELD,
	[FIP_CREATED] = CREATED_FIELD,
	[FIP_UPDATED] = UPDATED_FIELD,
	[FIP_REVISION] = REVISION_FIELD,
};
static const lc__index fip_indexes[] = {
	[FIP_IX_PORT] = { &fip_port_db, 1, { FIP_PORT }, 0, "port" },
	[FIP_IX_ROUTER] = { &fip_router_db, 1, { FIP_ROUTER }, 0, "router" },
	[FIP_IX_NETWORK] = { &fip_network_db, 1, { FIP_NETWORK }, 0, "network" },
};
const lc__shape lc__fip_shape = {
	"floatingip", &fip_db, 1, FIP_NFIELDS, fip_fields, 3, fip_indexes, FIP_PROJECT,
};

static const lc__field sg_fields[] = {
	[SG_ID] = ID_FIELD,
	[SG_PROJECT] = PROJECT_FIELD,
	[SG_NAME] = NAME_FIELD,
	[SG_DESCRIPTION] = DESCRIPTION_FIELD,
	[SG_STATEFUL] = { "stateful", LC__T_BOOL, 0, 0, LC__F_CREATE | LC__F_UPDATE | LC__F_FILTER },
	[SG_DEFAULT_FOR] = { "default_for", LC__T_ID, 0, 0, LC__F_NULLABLE },
	[SG_TAGS] = TAGS_FIELD,
	[SG_CREATED] = CREATED_FIELD,
	[SG_UPDATED] = UPDATED_FIELD,
	[SG_REVISION] = REVISION_FIELD,
};
static const lc__index sg_indexes[] = {
	[SG_IX_DEFAULT] = { &sg_default_db, 1, { SG_DEFAULT_FOR }, LC__I_UNIQUE, "default group of this project" },
	[SG_IX_PROJECT] = { &sg_project_db, 1, { SG_PROJECT }, 0, "project" },
};
const lc__shape lc__sg_shape = {
	"security_group", &sg_db, 1, SG_NFIELDS, sg_fields, 2, sg_indexes, SG_PROJECT,
};

static const lc__field rule_fields[] = {
	[RUL_ID] = ID_FIELD,
	[RUL_PROJECT] = PROJECT_FIELD,
	[RUL_GROUP] = { "security_group_id", LC__T_ID, 0, 0, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER },
	[RUL_DIRECTION] = { "direction", LC__T_STR, 1, 16, LC__F_REQUIRED | LC__F_CREATE | LC__F_FILTER },
	[RUL_ETHERTYPE] = { "ethertype", LC__T_STR, 1, 8, LC__F_CREATE | LC__F_FILTER },
	[RUL_PROTOCOL] = { "protocol", LC__T_STR, 1, 32, LC__F_CREATE | LC__F_NULLABLE | LC__F_FILTER },
	[RUL_PORT_MIN] = { "port_range_min", LC__T_INT, 0, 0, LC__F_CREATE | LC__F_NULLABLE | LC__F_FILTER },
	[RUL_PORT_MAX] = { "port_range_max", LC__T_INT, 0, 0, LC__F_CREATE | LC__F_NULLABLE | LC__F_FILTER },
	[RUL_REMOTE_PREFIX] = { "remote_ip_prefix", LC__T_STR, 1, 64, LC__F_CREATE | LC__F_NULLABLE | LC__F_FILTER },
	[RUL_REMOTE_GROUP] = { "remote_group_id", LC__T_ID, 0, 0, LC__F_CREATE | LC__F_NULLABLE | LC__F_FILTER },
	[RUL_DESCRIPTION] = DESCRIPTION_FIELD,
	[RUL_FINGERPRINT] = { "fingerprint", LC__T_STR, 1, 400, 0 },
	[RUL_CREATED] = CREATED_FIELD,
	[RUL_UPDATED] = UPDATED_FIELD,
	[RUL_REVISION] = REVISION_FIELD,
};
static const lc__index rule_indexes[] = {
	[RUL_IX_GROUP] = { &rule_group_db, 1, { RUL_GROUP }, 0, "security group" },
	[RUL_IX_REMOTE_GROUP] = { &rule_remote_db, 1, { RUL_REMOTE_GROUP }, 0, "remote group" },
	[RUL_IX_FINGERPRINT] = { &rule_fingerprint_db, 1, { RUL_FINGERPRINT }, LC__I_UNIQUE,
				 "direction, ethertype, protocol, ports and remote in this group" },
};
const lc__shape lc__rule_shape = {
	"security_group_rule", &rule_db, 1, RUL_NFIELDS, rule_fields, 3, rule_indexes, RUL_PROJECT,
};

const lc__dbdef *const lc__network_dbs[] = {
	&network_db, &network_project_db,
	&subnet_db, &subnet_network_db,
	&port_db, &port_network_db, &port_mac_db, &port_device_db,
	&router_db, &router_gw_db,
	&fip_db, &fip_port_db, &fip_router_db, &fip_network_db,
	&sg_db, &sg_default_db, &sg_project_db,
	&rule_db, &rule_group_db, &rule_remote_db, &rule_fingerprint_db,
	&lc__ipam_pool_db, &lc__ipam_free_db, &lc__ipam_used_db,
	&lc__segment_free_db, &lc__segment_pool_db,
	&lc__port_sg_db,
	&lc__router_if_db,
	NULL,
};
