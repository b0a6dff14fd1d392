/* Internal: state and cross-file helpers of the network service. */
#ifndef LC_NETWORK_NET_H
#define LC_NETWORK_NET_H

#include <pthread.h>

#include <libcloud/sys/network.h>

#include "core/cloud.h"
#include "core/draft.h"
#include "core/nlist.h"
#include "core/resource.h"
#include "core/session.h"
#include "core/store.h"
#include "network/addr.h"
#include "network/shapes.h"

/* ---- the service's settings (config.c) ---- */

#define LC__PHYSNET_MAX 64

/* One configured segment range; min = max = 0: a physical network known without a range. */
typedef struct lc__segrange {
	const char *type; /* a static type name */
	char physnet[LC__PHYSNET_MAX + 1];
	int64_t min, max;
} lc__segrange;

/* lc_network_service_opts, checked and copied. */
typedef struct lc__netconf {
	const char *types[4]; /* tenant network types in order (static names) */
	size_t ntypes;
	lc__segrange *ranges; /* in the order given, per type */
	size_t nranges;
	int vlan_any_physnet; /* vlan_ranges not given: provider VLANs on any physical network */
	int dhcp_ports;       /* a network:dhcp port per network with a DHCP subnet */
} lc__netconf;

/* The settings given to the cloud, or the defaults (into cf; free with lc__netconf_free). */
int lc__netconf_load(const lc_cloud *c, lc__netconf *cf);
void lc__netconf_free(lc__netconf *cf);
/* 1 if the VLAN physical network is allowed for provider networks. */
int lc__netconf_vlan_physnet_known(const lc__netconf *cf, const char *physnet);

/* ---- the service's state (service.c) ---- */

typedef struct lc__netsvc {
	lc_network_driver *drv;   /* owned by the cloud's driver registry */
	pthread_mutex_t drv_lock; /* serializes calls into a driver that asks for it */
	lc__netconf conf;         /* read-only once open */
} lc__netsvc;

lc__netsvc *lc__net_of(const lc_cloud *c);

/* What the driver is told about (driver.c). */
typedef enum lc__netkind {
	LC__NK_NETWORK, LC__NK_SUBNET, LC__NK_PORT, LC__NK_ROUTER, LC__NK_ROUTER_IF, LC__NK_FIP, LC__NK_SG,
	LC__NK_RULE
} lc__netkind;

/* 0 if the cloud's driver implements kind, else LC_ENOTSUPPORTED naming it. */
int lc__net_supported(const lc_session *s, lc__netkind kind);
/*
 * Tell the driver about a committed change (never inside a transaction).
 * r2 is the port for LC__NK_ROUTER_IF. A missing method is success.
 * A failure is logged and returned as LC_EBACKEND (or the driver's code).
 */
int lc__net_notify(const lc_session *s, lc__netkind kind, int change, const lc__rec *r, const lc__rec *r2);
/*
 * At open: tell a driver with a replay method (version 2) the whole model,
 * LC_NETWORK_CHANGE_REPLAY between LC_NETWORK_REPLAY_BEGIN and _END.
 * Driver failures are logged (a port, router or floating IP it failed on
 * goes to ERROR) and never fail the open; store errors are returned.
 */
int lc__net_replay(lc_cloud *c, lc__netsvc *ns);

/* Lists in BLOB fields: lc__nl (core/nlist.h). */

/* Getters over lists and numbers, next to the core's LC__RESOURCE_* macros. */
#define LC__NET_INT(T, NAME, F)                                     \
	LC_EXTERN int64_t lc_##T##_##NAME(const lc_##T *o)          \
	{                                                           \
		return o ? lc__rec_int(&o->rec, F) : 0;             \
	}
#define LC__NET_COUNT(T, NAME, F, K)                                \
	LC_EXTERN size_t lc_##T##_##NAME(const lc_##T *o)           \
	{                                                           \
		return o ? lc__nl_count(&o->rec, F, K) : 0;         \
	}
#define LC__NET_ITEM(T, NAME, F, K, J)                                               \
	LC_EXTERN const char *lc_##T##_##NAME(const lc_##T *o, size_t i)             \
	{                                                                            \
		if (o == NULL || i >= lc__nl_count(&o->rec, F, K))                   \
			return NULL;                                                 \
		return lc__nl_item(&o->rec, F, i * (K) + (J));                       \
	}

/* ---- shared steps (common.c) ---- */

/* The project a new resource belongs to: given (canonicalised) or the session's. */
int lc__net_owner(const lc_session *s, const char *given, char out[LC__ID_TEXT]);
/* 1 if the session may see a resource of this project (admin, or scoped to it). */
int lc__net_own(const lc_session *s, const char *project_id);
/* Visibility of resources that only their project sees. */
int lc__net_visible_own(lc__txn *t, const lc_session *s, const lc__rec *r, void *p);
/* created_at = updated_at = now, revision 1. */
void lc__net_stamp(lc__draft *d);
/* Check and build a tag list (NULL: not given). */
int lc__net_tags(lc__nl *l, const char *const *tags);
/* A name or description from caller input. */
int lc__net_text(lc__draft *d, int field, const char *s, int update);
/* Set a string field, unset when s is NULL or "". */
void lc__net_set_opt(lc__val *v, const char *s);

/*
 * Update a record in one write transaction: load, visible() (else
 * LC_ENOTFOUND), policy op on its project (else LC_EFORBIDDEN), apply(),
 * bump updated_at and revision_number, store. *out (may be NULL) gets the
 * new snapshot, *old_out (may be NULL) the previous one.
 */
int lc__net_update(lc__rec **out, lc__rec **old_out, lc_session *s, const lc__shape *sh, const char *op,
		   const char *id, lc__visible_fn visible, lc__apply_fn apply, void *p);
/* Inside a transaction: bump updated_at and revision_number of a draft. */
void lc__net_touch(lc__draft *d);
/* Re-store a record with a changed draft (touches it). */
int lc__net_restore(lc__txn *t, const lc__rec *old, lc__draft *d);

/*
 * Delete: read the record (visible() else LC_ENOTFOUND; policy op else
 * LC_EFORBIDDEN; check() for conflicts), tell the driver (kind, DELETE),
 * then in a write transaction check again, pre() (cascades) and delete.
 */
typedef int (*lc__net_check_fn)(lc__txn *t, const lc_session *s, const lc__rec *old, void *p);
int lc__net_delete(lc_session *s, lc__netkind kind, const lc__shape *sh, const char *op, const char *id,
		   unsigned int flags, lc__visible_fn visible, lc__net_check_fn check, lc__predelete_fn pre, void *p);

/* Set a record's status field (after a driver failure). */
int lc__net_set_status(lc_session *s, const lc__shape *sh, const char *id, int field, const char *status);
int lc__net_set_status_st(lc__store *st, const lc__shape *sh, const char *id, int field, const char *status);
/* Delete a record and what it holds, bypassing policy (undo after a driver failure). */
int lc__net_undo_create(lc_session *s, const lc__shape *sh, const char *id, lc__predelete_fn pre, void *p);

/*
 * After a create committed *r: tell the driver (kind, CREATE); when it fails,
 * undo the create (release() frees what the record holds, as on delete), free
 * *r, set it to NULL and return the driver's error.
 */
int lc__net_created(lc__rec **r, lc_session *s, lc__netkind kind, lc__predelete_fn release);
/*
 * After an update committed *r: tell the driver (kind, UPDATE); when it
 * fails, set the record's status_field (unless -1) to ERROR, free *r, set it
 * to NULL and return the driver's error.
 */
int lc__net_updated(lc__rec **r, lc_session *s, lc__netkind kind, int status_field);
/* A write entry point's first steps: clear the error and *out (out may be NULL), check the options' version. */
#define LC__NET_WRITE_BEGIN(out, o, VERSION)    \
	do {                                    \
		lc__error_clear();              \
		if (out)                        \
			*(out) = NULL;          \
		LC_CHECK_NOTNULL(o);            \
		LC_CHECK_VERSION(o, VERSION);   \
	} while (0)
/* Hand snapshot r to a public out parameter of type T ** (NULL: r is freed). */
#define LC__NET_OUT(out, T, r)                  \
	do {                                    \
		if (out)                        \
			*(out) = (T *)(r);      \
		else                            \
			lc__rec_free(r);        \
	} while (0)

/* Load a record in t with the visibility of s (LC_ENOTFOUND when hidden). */
int lc__net_load_visible(lc__txn *t, const lc_session *s, const lc__shape *sh, const char *id,
			 lc__visible_fn visible, lc__rec **out);

/* ---- networks (network.c) ---- */

int lc__network_visible(lc__txn *t, const lc_session *s, const lc__rec *r, void *p);
/* Add or remove a subnet id in a network's list, in t. */
int lc__network_link_subnet(lc__txn *t, const char *network_id, const char *subnet_id, int add);

/* ---- IPAM (ipam.c) ---- */

/* Set up a subnet's pools: pools are start,end address pairs of the subnet's version. */
int lc__ipam_setup(lc__txn *t, const char *subnet_id, const lc__addr *pools, size_t npools);
/* Replace the pools: the free set becomes the new pools minus the allocated addresses. */
int lc__ipam_repool(lc__txn *t, const char *subnet_id, const lc__addr *pools, size_t npools);
/* Forget everything about a subnet. */
int lc__ipam_drop(lc__txn *t, const char *subnet_id);
/* Allocate the lowest free address: 0, or LC_ECONFLICT when the pools are exhausted. */
int lc__ipam_alloc(lc__txn *t, const char *subnet_id, const char *owner, lc__addr *out);
/* Allocate a given address (checked against the CIDR by the caller): 0, or LC_ECONFLICT when taken. */
int lc__ipam_claim(lc__txn *t, const char *subnet_id, int version, const lc__addr *a, const char *owner);
/* Release an address (back to the free set when it is inside a pool). */
int lc__ipam_release(lc__txn *t, const char *subnet_id, const lc__addr *a);
/* The owner of an allocated address: 1 with owner filled, 0 if free, < 0 on error. */
int lc__ipam_owner(lc__txn *t, const char *subnet_id, const lc__addr *a, char owner[LC__ID_TEXT]);
/* Visit the allocated addresses of a subnet; fn returns non-zero to stop. */
int lc__ipam_each_used(lc__txn *t, const char *subnet_id,
		       int (*fn)(const lc__addr *a, const char *owner, void *p), void *p);
/* Counts for lc_subnet_ip_usage. */
int lc__ipam_usage(lc__txn *t, const char *subnet_id, uint64_t *allocated, uint64_t *available);

/* Check destination CIDR, next hop pairs of one IP version (0: any) into out (subnet.c; routers too). */
int lc__routes_check(lc__nl *out, const char *const *routes, int version, size_t max, const char *what);
/* A subnet record's CIDR (parsed). */
int lc__subnet_cidr(const lc__rec *sub, lc__cidr *c);

/* ---- segments (segment.c) ---- */

/* Check a provider type, its physical network and segment id against the type and the settings. */
int lc__segment_check(const lc__netconf *cf, const char *type, const char *physnet, int64_t segid);
/* 1 if the type's networks have a segment id from ranges (vlan, vxlan, geneve). */
int lc__segment_ranged(const char *type);
/*
 * Claim a given segment in t (segid, or the single flat id of physnet);
 * local networks claim nothing. LC_ECONFLICT when it is taken.
 */
int lc__segment_take(lc__txn *t, const char *type, const char *physnet, int64_t segid, int64_t *out);
/*
 * Allocate the lowest free id of the configured ranges in t: of type (and
 * physnet, may be NULL, for vlan), or with type NULL of the first tenant
 * network type that has one. *type_out and *physnet_out (NULL when none)
 * point into static or cf memory. LC_ECONFLICT when every range is exhausted.
 * O(log n) per configured range: the free ids are kept as ranges (ranges.h).
 */
int lc__segment_alloc(lc__txn *t, const lc__netconf *cf, const char *type, const char *physnet,
		      const char **type_out, const char **physnet_out, int64_t *out);
int lc__segment_release(lc__txn *t, const char *type, const char *physnet, int64_t segid);
/* The largest MTU of a network type. */
int64_t lc__segment_mtu(const char *type);

/* ---- MAC addresses (mac.c) ---- */

#define LC__MAC_TEXT 18
/* A random locally administered unicast MAC with OpenStack's fa:16:3e prefix. */
void lc__mac_generate(char out[LC__MAC_TEXT]);
/* Check and lower-case a MAC given by a caller (unicast, not all zero). */
int lc__mac_canon(const char *field, const char *s, char out[LC__MAC_TEXT]);
/* The EUI-64 address of a canonical MAC in an IPv6 /64 prefix (RFC 4291 appendix A). */
int lc__mac_eui64(const lc__cidr *prefix, const char *mac, lc__addr *out);

/* ---- ports (port.c) ---- */

/* Port creation by other parts of the service (routers, floating IPs), inside t. */
typedef struct lc__port_spec {
	const char *project_id;   /* NULL: owned by the cloud */
	const char *network_id;
	const char *device_id;
	const char *device_owner;
	const char *const *fixed_ips; /* subnet, ip pairs ("" = any); NULL: one address per family.
	                                 Specific addresses are allowed on any network. Quota is charged
	                                 when the port has a project */
	int default_group;            /* 1: the project's default security group (a server's port) */
	const char *host;             /* binding:host_id, or NULL */
} lc__port_spec;
/* Create a port in t. id_out gets its id (LC__ID_TEXT). */
int lc__port_create_tx(lc__txn *t, const lc__port_spec *spec, char id_out[LC__ID_TEXT]);
/* Delete a port in t: release addresses, security group links, quota; disassociate floating IPs. */
int lc__port_destroy_tx(lc__txn *t, const lc__rec *port);
/* A port's status and binding:vif_type from its draft: ACTIVE when up and used, "ovs" when bound to a host. */
void lc__port_set_status(lc__draft *d);
/* Load a port's snapshot for the driver (outside transactions). */
int lc__port_snapshot(lc_session *s, const char *id, lc__rec **out);
/* 1 if a port is a network's DHCP port (device_owner network:dhcp). */
int lc__port_is_dhcp(const lc__rec *port);
/*
 * Make a network's DHCP port match its subnets with enable_dhcp (when the
 * settings ask for DHCP ports): created with one address per such subnet,
 * given or relieved of addresses, deleted when none is left. In its own
 * write transaction, after the change that calls for it committed (as
 * Neutron's DHCP agent follows the model); the driver is told. A failure is
 * logged and returned; the committed change stays.
 */
int lc__dhcp_sync(lc_session *s, const char *network_id);
/* Inside t: delete a network's DHCP ports (the network goes); *gone gets the first one's snapshot or NULL. */
int lc__dhcp_drop_tx(lc__txn *t, const char *network_id, lc__rec **gone);
/* The first fixed IP of a port on a subnet: 1 with addr text, 0 if none. */
int lc__port_ip_on_subnet(const lc__rec *port, const char *subnet_id, const char **ip);

/* ---- security groups (security_group.c, rule.c) ---- */

/* Make sure a project's default group exists (own write when missing; the driver is told). */
int lc__sg_ensure_default(lc_session *s, const char *project_id);
/* The project's default group id, created with its rules when missing (inside t; *created says so). */
int lc__sg_default_tx(lc__txn *t, const char *project_id, char id_out[LC__ID_TEXT], int *created);
/* Tell the driver about a group created by a write that committed, and its rules. */
int lc__sg_notify_created(lc_session *s, const char *group_id);
/* Insert a rule record in t (quota charged); fingerprint computed. */
int lc__rule_insert_tx(lc__txn *t, lc__draft *d, lc__nl *scratch);
/* Delete every rule of a group, and the rules naming it as remote group. */
int lc__rule_purge_group_tx(lc__txn *t, const char *group_id);
/* Draft of a default rule (egress any, or ingress from remote_group when given). */
void lc__rule_default_draft(lc__draft *d, const char *project_id, const char *group_id, const char *direction,
			    const char *ethertype, const char *remote_group);

/* ---- routers (router.c) ---- */

/* The router that connects a port's subnet to external network ext: 1 with id, 0 if none. */
int lc__router_route_to(lc__txn *t, const char *subnet_id, const char *ext_network_id, char router_id[LC__ID_TEXT]);

#endif
