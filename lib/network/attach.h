/*
 * Internal: what other services (compute) use of the network service, inside
 * their own write transactions: pick a project's network for "auto", give a
 * server a port (new on a network, or one the user made), take it back, read
 * a device's ports, and tell the driver once the caller's write committed.
 */
#ifndef LC_NETWORK_ATTACH_H
#define LC_NETWORK_ATTACH_H

#include <libcloud/sys/network.h>

#include "core/id.h"
#include "core/record.h"
#include "core/store.h"

/* The network a project's server gets for networks "auto": its only own or shared network with a
 * subnet. LC_ENOTFOUND when there is none, LC_ECONFLICT when there are several. */
int lc__net_auto_network_tx(lc__txn *t, const char *project_id, char out[LC__ID_TEXT]);

typedef struct lc__net_attach {
	const char *project_id; /* the server's project */
	const char *server_id;  /* the device */
	const char *network_id; /* a network the project may use (own or shared), or NULL with port_id */
	const char *port_id;    /* an unused port of the project, or NULL */
	const char *fixed_ip;   /* an address on the network to ask for, or NULL */
	const char *host;       /* binding:host_id, or NULL */
	char group_made[LC__ID_TEXT]; /* out: the project's default security group when this attach made it, else "" */
} lc__net_attach;

/*
 * Give the server a port: a new one on network_id (device_owner
 * "compute:nova", the project's default security group, port quota) or the
 * caller's port_id bound to the server. port_out gets the port id; *created
 * says whether the port was made for the server (and goes with it).
 * Errors: LC_ENOTFOUND (network or port not usable by the project),
 * LC_ECONFLICT (port in use; address taken; no address left), LC_EQUOTA.
 */
int lc__net_attach_tx(lc__txn *t, lc__net_attach *a, char port_out[LC__ID_TEXT], int *created);

/* Take a port back from its server: delete it when created, else unbind it. A missing port is fine. */
int lc__net_detach_tx(lc__txn *t, const char *port_id, int created);

/*
 * Let every port of a device go (in t): the ports listed in `made` (a list
 * blob "id\0id\0", the ports made for the device; may be NULL) are
 * deleted, the others unbound; kept (may be NULL) is called with the id of
 * each unbound one (to tell the driver with lc__net_notify_port after the
 * commit) and stops the release with a negative return.
 */
int lc__net_device_release_tx(lc__txn *t, const char *device_id, const lc__val *made,
			      int (*kept)(const char *port_id, void *p), void *p);

/* The device moved to host (resize, rebuild elsewhere): its ports' binding:host_id follows (in t). */
int lc__net_device_bind_tx(lc__txn *t, const char *device_id, const char *host);

/* One address of a device, for server views: its port, network and whether it is a floating IP. */
typedef struct lc__net_addr {
	const char *port_id, *network_id, *network_name, *mac, *addr;
	int version;  /* 4 or 6 */
	int floating; /* 1: a floating IP associated with the port */
	int64_t mtu;  /* the network's, 0 if unknown */
	/* fixed addresses only (else NULL/0): their subnet */
	const char *subnet_id, *cidr, *gateway, *ipv6_address_mode;
	const lc__val *dns;    /* the subnet's nameservers, a list blob "a\0b\0" (may be unset) */
	const lc__val *routes; /* the subnet's host routes, "destination\0nexthop\0..." (may be unset) */
} lc__net_addr;

/* Visit a device's addresses: fixed IPs of its ports in port order (see order above), each port's
 * floating IPs after its fixed ones. */
int lc__net_device_addresses_tx(lc__txn *t, const char *device_id, const lc__val *order,
				int (*fn)(const lc__net_addr *a, void *p), void *p);

/* One interface of a device, for its compute driver. */
typedef struct lc__net_nic {
	const char *port_id, *network_id, *mac;
	int64_t mtu; /* the network's, 0 if unknown */
} lc__net_nic;

/* Visit a device's ports as interfaces, in port order (see order above). */
int lc__net_device_nics_tx(lc__txn *t, const char *device_id, const lc__val *order,
			   int (*fn)(const lc__net_nic *n, void *p), void *p);

/* Before the write that deletes a port: tell the driver it goes (a missing port is fine). */
int lc__net_notify_port_gone(lc_session *s, const char *port_id);

/*
 * Visit the ports whose device is device_id; fn returns non-zero to stop.
 * order (a list blob "id\0id\0", may be NULL): the ports named there come
 * first, in that order, then the others in id order.
 */
int lc__net_device_ports_tx(lc__txn *t, const char *device_id, const lc__val *order,
			    int (*fn)(lc__txn *t, const lc__rec *port, void *p), void *p);

/*
 * After the caller's write committed: tell the network driver about the
 * project's default group when that write made it (group_made, or NULL),
 * then that the port was created or updated (change: LC_NETWORK_CHANGE_*).
 * A deleted port is told by the caller before its write, with the snapshot
 * it read (see sys/network.h); here DELETE does nothing.
 */
int lc__net_notify_port(lc_session *s, const char *port_id, int change, const char *group_made);

#endif
