/*
 * libcloud - networking: ports.
 *
 * A port is an attachment point on a network: a MAC address (generated,
 * unique on the network, locally administered), fixed IPs from the
 * network's subnets, the device using it (a server, a router), security
 * groups and binding details. Creating a port allocates its addresses;
 * deleting it releases them.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_PORT_H
#define LIBCLOUD_PORT_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** Longest device_id or device_owner (bytes). */
#define LC_PORT_DEVICE_MAX 255
/** Most fixed IPs on one port. */
#define LC_PORT_FIXED_IPS_MAX 32
/** Most security groups on one port. */
#define LC_PORT_SECURITY_GROUPS_MAX 32
/** Most allowed address pairs on one port. */
#define LC_PORT_ADDRESS_PAIRS_MAX 32

/** An immutable snapshot of one port. */
typedef struct lc_port lc_port;
/** An iterator over ports. */
typedef struct lc_port_iter lc_port_iter;

/** Current version of lc_port_opts. */
#define LC_PORT_OPTS_VERSION 1

/**
 * Attributes for lc_port_create() and lc_port_update(). NULL strings and
 * lists and LC_UNSET booleans mean "not given"; an empty list ({NULL})
 * clears a list.
 */
typedef struct lc_port_opts {
	unsigned int version;                    /**< LC_PORT_OPTS_VERSION */
	const char *name;                        /**< 0..LC_NET_NAME_MAX bytes */
	const char *description;                 /**< 0..LC_DESCRIPTION_MAX bytes */
	const char *project_id;                  /**< owner, create only; default: the session's project */
	const char *network_id;                  /**< create only, required */
	int admin_state_up;                      /**< 1, 0 or LC_UNSET (create default: 1) */
	const char *mac_address;                 /**< "fa:16:3e:12:34:56"; NULL at create: generated. On update:
	                                              admin only, the port unbound; its addresses on slaac and
	                                              dhcpv6-stateless subnets follow */
	const char *const *fixed_ips;            /**< subnet_id, ip_address pairs, NULL-terminated; "" for either
	                                              means "any subnet holding that address" / "the next free
	                                              address". NULL at create: one IPv4 and one IPv6 address from
	                                              the first subnets with room. On update: the new set (addresses
	                                              kept stay, others are released or allocated). On a slaac or
	                                              dhcpv6-stateless subnet the address is the EUI-64 of the MAC
	                                              (RFC 4291), the only one that may be asked for; such
	                                              addresses come without asking (at create, but not for router
	                                              ports) and stay on update */
	const char *device_id;                   /**< the device using the port ("" clears) */
	const char *device_owner;                /**< "compute:nova", ...; "network:*" owners need admin ("" clears) */
	const char *const *security_groups;      /**< group ids, NULL-terminated; NULL at create: the project's
	                                              default group (when port security is on) */
	const char *const *allowed_address_pairs; /**< ip_address (or CIDR), mac_address pairs ("" mac: the port's) */
	int port_security_enabled;               /**< default: the network's */
	const char *binding_host_id;             /**< binding:host_id ("" clears); setting it needs admin */
	const char *binding_vnic_type;           /**< binding:vnic_type: "normal" (default), "direct", "macvtap",
	                                              "baremetal", "direct-physical", "virtio-forwarder" */
	const char *const *tags;                 /**< NULL-terminated tags (replace them on update) */
} lc_port_opts;

/** Static initialiser for lc_port_opts: nothing given. */
#define LC_PORT_OPTS_INIT { LC_PORT_OPTS_VERSION, NULL, NULL, NULL, NULL, LC_UNSET, NULL, NULL, NULL, NULL, NULL, \
			    NULL, LC_UNSET, NULL, NULL, NULL }

/**
 * Initialise an lc_port_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_PORT_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_port_opts_init(lc_port_opts *opts, unsigned int version);

/**
 * Create a port: allocate its addresses and MAC, attach its security
 * groups, all in one transaction; then tell the network driver (if it
 * fails, the port is removed again). Durable when the call returns.
 *
 * @param out out, may be NULL: the new port; free with lc_port_free()
 * @param s the caller; needs member of the owning project (policy
 *        "network:create_port"). The network must be the caller's or shared;
 *        requesting a specific address needs the network's owner or admin
 * @param opts network_id required
 * @return 0, LC_EINVALID (bad attribute; a subnet of another network; an
 *         address outside the subnet), LC_ENOTFOUND (network, subnet or
 *         security group not visible), LC_EFORBIDDEN, LC_ECONFLICT (the
 *         address is already allocated; no more addresses in the subnet),
 *         LC_EEXISTS (the MAC address is in use on the network), LC_EQUOTA
 *         (ports), LC_EBACKEND, LC_ENOMEM, LC_EIO
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_port_create(lc_port **out, lc_session *s, const lc_port_opts *opts);

/**
 * Get a port by id.
 *
 * @param out out: the snapshot; free with lc_port_free()
 * @param s the caller (policy "network:get_port")
 * @param id the port id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_port_get(lc_port **out, lc_session *s, const char *id);

/**
 * Update a port. A change of admin_state_up reaches the driver as
 * LC_NETWORK_CHANGE_UP or LC_NETWORK_CHANGE_DOWN.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs member of the owner (policy "network:update_port")
 * @param id the port id
 * @param opts what to change (project_id and network_id must not be given;
 *        mac_address needs admin, policy "network:update_port:mac_address")
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN, LC_ECONFLICT (a
 *         bound port's MAC), LC_EEXISTS (the MAC is in use on the network),
 *         LC_EBACKEND (the change is recorded and the port's status is ERROR)
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_port_update(lc_port **out, lc_session *s, const char *id, const lc_port_opts *opts);

/**
 * Delete a port and release its addresses. Floating IPs associated with it
 * are disassociated. Ports owned by a router (interfaces, gateways) or a
 * floating IP are removed through those resources instead.
 *
 * @param s the caller; needs member of the owner (policy "network:delete_port")
 * @param id the port id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN, LC_ECONFLICT (owned
 *         by a router or a floating IP), LC_EBACKEND (nothing was deleted)
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_port_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing the caller's ports. Filters: "id", "name", "project_id",
 * "network_id", "admin_state_up", "status", "mac_address", "device_id",
 * "device_owner", "binding:host_id", "binding:vnic_type",
 * "port_security_enabled".
 *
 * @param out out: the iterator; free with lc_port_iter_free()
 * @param s the caller (policy "network:get_port")
 * @param opts paging and filters, or NULL for all
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_port_iter_new(lc_port_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next port of an iterator.
 *
 * @param out out: the next snapshot; free with lc_port_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_port_iter_next(lc_port **out, lc_port_iter *it);

/** Free a port iterator. NULL-safe. Since 0.1. */
LC_EXTERN void lc_port_iter_free(lc_port_iter *it);

/** The port's id; borrowed until lc_port_free(). Since 0.1. */
LC_EXTERN const char *lc_port_id(const lc_port *p);
/** The owning project's id, or NULL for ports owned by the cloud (router gateways, floating IPs); borrowed. Since 0.1. */
LC_EXTERN const char *lc_port_project_id(const lc_port *p);
/** The network's id; borrowed. Since 0.1. */
LC_EXTERN const char *lc_port_network_id(const lc_port *p);
/** The port's name, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_port_name(const lc_port *p);
/** The port's description, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_port_description(const lc_port *p);
/** 1 if the port's admin state is up. Since 0.1. */
LC_EXTERN int lc_port_admin_state_up(const lc_port *p);
/** "ACTIVE" (up and used by a device), "DOWN", or "ERROR"; borrowed. Since 0.1. */
LC_EXTERN const char *lc_port_status(const lc_port *p);
/** The MAC address, lower case; borrowed. Since 0.1. */
LC_EXTERN const char *lc_port_mac_address(const lc_port *p);
/** Number of fixed IPs. Since 0.1. */
LC_EXTERN size_t lc_port_fixed_ip_count(const lc_port *p);
/**
 * The subnet of the i-th fixed IP.
 *
 * @param p the port
 * @param i 0..lc_port_fixed_ip_count() - 1
 * @return the subnet id, borrowed until lc_port_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_port_fixed_ip_subnet_id(const lc_port *p, size_t i);
/**
 * The address of the i-th fixed IP.
 *
 * @param p the port
 * @param i 0..lc_port_fixed_ip_count() - 1
 * @return the address, borrowed until lc_port_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_port_fixed_ip_address(const lc_port *p, size_t i);
/** The device using the port, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_port_device_id(const lc_port *p);
/** The device owner ("compute:nova", "network:router_interface", ...), "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_port_device_owner(const lc_port *p);
/** Number of security groups. Since 0.1. */
LC_EXTERN size_t lc_port_security_group_count(const lc_port *p);
/**
 * The id of the i-th security group of a port.
 *
 * @param p the port
 * @param i 0..lc_port_security_group_count() - 1
 * @return the id, borrowed until lc_port_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_port_security_group_id(const lc_port *p, size_t i);
/** Number of allowed address pairs. Since 0.1. */
LC_EXTERN size_t lc_port_address_pair_count(const lc_port *p);
/**
 * The address (or CIDR) of the i-th allowed address pair.
 *
 * @param p the port
 * @param i 0..lc_port_address_pair_count() - 1
 * @return the address, borrowed until lc_port_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_port_address_pair_ip(const lc_port *p, size_t i);
/**
 * The MAC address of the i-th allowed address pair.
 *
 * @param p the port
 * @param i 0..lc_port_address_pair_count() - 1
 * @return the MAC address, borrowed until lc_port_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_port_address_pair_mac(const lc_port *p, size_t i);
/** 1 if port security is enabled. Since 0.1. */
LC_EXTERN int lc_port_port_security_enabled(const lc_port *p);
/** binding:host_id, "" if unbound; borrowed. Since 0.1. */
LC_EXTERN const char *lc_port_binding_host_id(const lc_port *p);
/** binding:vnic_type; borrowed. Since 0.1. */
LC_EXTERN const char *lc_port_binding_vnic_type(const lc_port *p);
/** binding:vif_type: "unbound", or the driver's type once bound ("ovs" for noop); borrowed. Since 0.1. */
LC_EXTERN const char *lc_port_binding_vif_type(const lc_port *p);
/** Number of tags. Since 0.1. */
LC_EXTERN size_t lc_port_tag_count(const lc_port *p);
/**
 * The i-th tag of a port.
 *
 * @param p the port
 * @param i 0..lc_port_tag_count() - 1
 * @return the tag, borrowed until lc_port_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_port_tag(const lc_port *p, size_t i);
/** Creation time, microseconds since the epoch. Since 0.1. */
LC_EXTERN int64_t lc_port_created_at(const lc_port *p);
/** Last change, microseconds since the epoch. Since 0.1. */
LC_EXTERN int64_t lc_port_updated_at(const lc_port *p);
/** Revision number. Since 0.1. */
LC_EXTERN int64_t lc_port_revision(const lc_port *p);
/** Free a port snapshot. NULL-safe. Since 0.1. */
LC_EXTERN void lc_port_free(lc_port *p);

LC_END_DECLS

#endif
