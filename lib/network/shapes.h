/*
 * Internal: the networking record types, declared once as shape tables.
 * List-valued attributes (subnets, fixed IPs, pools, tags...) are BLOB
 * fields holding NUL-terminated items one after the other (see nlist.h).
 */
#ifndef LC_NETWORK_SHAPES_H
#define LC_NETWORK_SHAPES_H

#include "core/record.h"

enum {
	NET_ID, NET_PROJECT, NET_NAME, NET_DESCRIPTION, NET_ADMIN_UP, NET_STATUS, NET_SHARED, NET_EXTERNAL,
	NET_MTU, NET_PORT_SECURITY, NET_TYPE, NET_PHYSNET, NET_SEGMENT, NET_SUBNETS, NET_TAGS,
	NET_CREATED, NET_UPDATED, NET_REVISION, NET_NFIELDS
};
enum {
	SUB_ID, SUB_PROJECT, SUB_NETWORK, SUB_NAME, SUB_DESCRIPTION, SUB_IP_VERSION, SUB_CIDR, SUB_GATEWAY,
	SUB_DHCP, SUB_RA_MODE, SUB_ADDR_MODE, SUB_POOLS, SUB_DNS, SUB_ROUTES, SUB_TAGS,
	SUB_CREATED, SUB_UPDATED, SUB_REVISION, SUB_NFIELDS
};
enum {
	PRT_ID, PRT_PROJECT, PRT_NETWORK, PRT_NAME, PRT_DESCRIPTION, PRT_ADMIN_UP, PRT_STATUS, PRT_MAC,
	PRT_FIXED_IPS, PRT_DEVICE_ID, PRT_DEVICE_OWNER, PRT_SGS, PRT_PAIRS, PRT_PORT_SECURITY, PRT_HOST,
	PRT_VNIC, PRT_VIF, PRT_TAGS, PRT_CREATED, PRT_UPDATED, PRT_REVISION, PRT_NFIELDS
};
enum {
	RTR_ID, RTR_PROJECT, RTR_NAME, RTR_DESCRIPTION, RTR_ADMIN_UP, RTR_STATUS, RTR_GW_NETWORK, RTR_GW_PORT,
	RTR_SNAT, RTR_GW_IPS, RTR_ROUTES, RTR_TAGS, RTR_CREATED, RTR_UPDATED, RTR_REVISION, RTR_NFIELDS
};
enum {
	FIP_ID, FIP_PROJECT, FIP_NETWORK, FIP_SUBNET, FIP_ADDRESS, FIP_OWN_PORT, FIP_PORT, FIP_FIXED_IP,
	FIP_ROUTER, FIP_STATUS, FIP_DESCRIPTION, FIP_TAGS, FIP_CREATED, FIP_UPDATED, FIP_REVISION, FIP_NFIELDS
};
enum {
	SG_ID, SG_PROJECT, SG_NAME, SG_DESCRIPTION, SG_STATEFUL, SG_DEFAULT_FOR, SG_TAGS, SG_CREATED, SG_UPDATED,
	SG_REVISION, SG_NFIELDS
};
enum {
	RUL_ID, RUL_PROJECT, RUL_GROUP, RUL_DIRECTION, RUL_ETHERTYPE, RUL_PROTOCOL, RUL_PORT_MIN, RUL_PORT_MAX,
	RUL_REMOTE_PREFIX, RUL_REMOTE_GROUP, RUL_DESCRIPTION, RUL_FINGERPRINT, RUL_CREATED, RUL_UPDATED,
	RUL_REVISION, RUL_NFIELDS
};

/* Index numbers within each shape's index table. */
enum { NET_IX_PROJECT };
enum { SUB_IX_NETWORK };
enum { PRT_IX_NETWORK, PRT_IX_MAC, PRT_IX_DEVICE };
enum { RTR_IX_GW_NETWORK };
enum { FIP_IX_PORT, FIP_IX_ROUTER, FIP_IX_NETWORK };
enum { SG_IX_DEFAULT, SG_IX_PROJECT };
enum { RUL_IX_GROUP, RUL_IX_REMOTE_GROUP, RUL_IX_FINGERPRINT };

extern const lc__shape lc__network_shape;
extern const lc__shape lc__subnet_shape;
extern const lc__shape lc__port_shape;
extern const lc__shape lc__router_shape;
extern const lc__shape lc__fip_shape;
extern const lc__shape lc__sg_shape;
extern const lc__shape lc__rule_shape;

/* IPAM: per subnet, the pools and free addresses as ranges, the allocated ones as address -> owner. */
extern const lc__dbdef lc__ipam_pool_db, lc__ipam_free_db, lc__ipam_used_db;
/* Segments: free ids per pool ("vxlan", "vlan:physnet1"...) and the pools already set up. */
extern const lc__dbdef lc__segment_free_db, lc__segment_pool_db;
/* Security group -> ports naming it (a list field, so indexed by hand). */
extern const lc__dbdef lc__port_sg_db;
/* Subnet -> routers with an interface on it (kept by router.c). */
extern const lc__dbdef lc__router_if_db;

/* Every networking database, NULL-terminated (for the store). */
extern const lc__dbdef *const lc__network_dbs[];

#endif
