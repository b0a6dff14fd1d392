/*
 * libcloud - networking: networks (Neutron's network resource).
 *
 * A network is a layer-2 segment owned by a project. It may be shared with
 * every project, or external (router:external: routers take their gateway
 * and floating IPs their address from it). Tenant networks get a segment
 * (a VXLAN id by default) allocated from the cloud's ranges; an admin may
 * give provider attributes (flat, vlan, vxlan, geneve, local) instead.
 *
 * Visibility: a caller sees the networks of its project, shared networks
 * and external networks; any other network reads as not found. An admin
 * sees every network.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_NETWORK_H
#define LIBCLOUD_NETWORK_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** Longest name of a networking resource (bytes); names may be empty and are not unique. */
#define LC_NET_NAME_MAX 255
/** Longest tag (bytes). */
#define LC_NET_TAG_MAX 255
/** Most tags on one resource. */
#define LC_NET_TAGS_MAX 64

/** An immutable snapshot of one network. */
typedef struct lc_network lc_network;
/** An iterator over networks. */
typedef struct lc_network_iter lc_network_iter;

/** Current version of lc_network_service_opts. */
#define LC_NETWORK_SERVICE_OPTS_VERSION 1

/**
 * The network service's settings (Neutron's ml2 type driver options), given
 * by the host with lc_network_service_configure() before lc_cloud_open().
 * They are not stored: each open uses the settings given to that handle.
 * A NULL list means the default; an empty list (its first item NULL)
 * means none.
 *
 * Tenant networks (created without provider attributes) take the first
 * type of tenant_network_types that still has a free segment id in its
 * ranges, the lowest free id first. An admin's provider segment may lie
 * outside the ranges (anywhere in the type's id space) but never on an id
 * that is taken. Ranges may change between opens: ids in use stay taken.
 */
typedef struct lc_network_service_opts {
	unsigned int version;                     /**< LC_NETWORK_SERVICE_OPTS_VERSION */
	const char *const *tenant_network_types;  /**< ordered, from "vxlan", "geneve", "vlan", "local"; NULL: "vxlan" */
	const char *const *vlan_ranges;           /**< "physnet:min:max" (1..4094) or "physnet" (provider networks
	                                               only), as network_vlan_ranges; NULL: "physnet1:1:4094", and
	                                               provider VLANs on any physical network. Given: provider
	                                               VLANs only on the physical networks listed */
	const char *const *vxlan_vni_ranges;      /**< "min:max" (1..16777215); NULL: "1:16777215" */
	const char *const *geneve_vni_ranges;     /**< "min:max" (1..16777215); NULL: "1:16777215" */
	int dhcp_ports;                           /**< 1: each network with a subnet that has enable_dhcp gets a
	                                               port owned by "network:dhcp" holding one address of every
	                                               such subnet, as Neutron's DHCP agent makes (for a data plane
	                                               that serves DHCP); 0 (default): none */
} lc_network_service_opts;

/** Static initialiser for lc_network_service_opts: every default. */
#define LC_NETWORK_SERVICE_OPTS_INIT { LC_NETWORK_SERVICE_OPTS_VERSION, NULL, NULL, NULL, NULL, 0 }

/**
 * Initialise an lc_network_service_opts with every default.
 *
 * @param opts out: the struct to fill
 * @param version LC_NETWORK_SERVICE_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_network_service_opts_init(lc_network_service_opts *opts, unsigned int version);

/**
 * Give the network service its settings: call between lc_cloud_new() and
 * lc_cloud_open() (a later call replaces an earlier one). Everything is
 * checked and copied now; opts and its strings may go once the call returns.
 *
 * @param c a cloud from lc_cloud_new(), not yet opened
 * @param opts the settings, or NULL for the defaults
 * @return 0, LC_EINVALID (NULL cloud, cloud already open, bad version,
 *         unknown or repeated tenant network type, a malformed range, an id
 *         outside the type's space, min > max, ranges that overlap,
 *         dhcp_ports not 0 or 1),
 *         LC_ENOMEM
 * @note Not thread-safe: configure from one thread before lc_cloud_open(). Since 0.1.
 */
LC_EXTERN int lc_network_service_configure(lc_cloud *c, const lc_network_service_opts *opts);

/** Current version of lc_network_opts. */
#define LC_NETWORK_OPTS_VERSION 1

/**
 * Attributes for lc_network_create() and lc_network_update(). NULL strings
 * and lists, LC_UNSET booleans and 0 numbers mean "not given".
 */
typedef struct lc_network_opts {
	unsigned int version;          /**< LC_NETWORK_OPTS_VERSION */
	const char *name;              /**< 0..LC_NET_NAME_MAX bytes */
	const char *description;       /**< 0..LC_DESCRIPTION_MAX bytes */
	const char *project_id;        /**< owner, create only; default: the session's project (another one needs admin) */
	int admin_state_up;            /**< 1, 0 or LC_UNSET (create default: 1) */
	int shared;                    /**< visible to every project; setting it needs admin (default 0) */
	int external;                  /**< router:external; setting it needs admin (default 0) */
	int port_security_enabled;     /**< default for its ports (create default: 1) */
	int64_t mtu;                   /**< 68..the segment type's maximum; 0: that maximum (1450 vxlan, 1442 geneve, else 1500) */
	const char *network_type;      /**< provider:network_type, create only, admin: "flat", "vlan", "vxlan", "geneve", "local" */
	const char *physical_network;  /**< provider:physical_network (flat, vlan), create only, admin */
	int64_t segmentation_id;       /**< provider:segmentation_id (vlan 1..4094, vxlan/geneve 1..16777215), create only, admin; 0: allocated */
	const char *const *tags;       /**< NULL-terminated list of tags (replaces them on update), or NULL */
} lc_network_opts;

/** Static initialiser for lc_network_opts: nothing given. */
#define LC_NETWORK_OPTS_INIT { LC_NETWORK_OPTS_VERSION, NULL, NULL, NULL, LC_UNSET, LC_UNSET, LC_UNSET, LC_UNSET, \
			       0, NULL, NULL, 0, NULL }

/**
 * Initialise an lc_network_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_NETWORK_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_network_opts_init(lc_network_opts *opts, unsigned int version);

/**
 * Create a network. Without provider attributes it gets the first tenant
 * network type with a free segment id in the configured ranges
 * (lc_network_service_opts; vxlan by default) and the lowest free id; with
 * a network_type only, an id from that type's ranges (and physical
 * network's, for vlan). The network driver is
 * told after the record commits; if it fails, the network is removed again.
 * Durable when the call returns.
 *
 * @param out out, may be NULL: the new network; free with lc_network_free()
 * @param s the caller; needs member of the owning project (policy
 *        "network:create_network"); shared, external and provider attributes
 *        need admin ("network:create_network:shared", ":external", ":provider")
 * @param opts the attributes
 * @return 0, LC_EINVALID (bad name, mtu, type, physical network, segment
 *         id; a VLAN id without a physical network; a VLAN physical network
 *         the configured vlan_ranges do not list), LC_EFORBIDDEN,
 *         LC_ECONFLICT (the segment is taken, or every configured range of
 *         the types tried is exhausted), LC_EQUOTA (networks), LC_ENOTSUPPORTED, LC_EBACKEND,
 *         LC_ENOMEM, LC_EIO
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_network_create(lc_network **out, lc_session *s, const lc_network_opts *opts);

/**
 * Get a network by id. A network the caller may not see is LC_ENOTFOUND.
 *
 * @param out out: the snapshot; free with lc_network_free()
 * @param s the caller (policy "network:get_network")
 * @param id the network id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_network_get(lc_network **out, lc_session *s, const char *id);

/**
 * Update a network's name, description, admin state, shared and external
 * flags, MTU, port security default or tags. A network cannot stop being
 * external while a router uses it as its gateway.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs member of the owner (policy
 *        "network:update_network"); shared and external need admin
 * @param id the network id
 * @param opts what to change (project and provider attributes must not be given)
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN, LC_ECONFLICT,
 *         LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_network_update(lc_network **out, lc_session *s, const char *id, const lc_network_opts *opts);

/**
 * Delete a network and its subnets. It must have no port (router
 * interfaces, gateways, floating IPs and servers all hold ports); its
 * segment goes back to the free ranges.
 *
 * @param s the caller; needs member of the owner (policy "network:delete_network")
 * @param id the network id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN, LC_ECONFLICT (ports in
 *         use), LC_EBACKEND (the driver refused; nothing was deleted)
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_network_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing the networks the caller sees. Filters: "id", "name",
 * "project_id", "status", "admin_state_up", "shared", "router:external",
 * "mtu", "port_security_enabled", "provider:network_type",
 * "provider:physical_network", "provider:segmentation_id".
 *
 * @param out out: the iterator; free with lc_network_iter_free()
 * @param s the caller (policy "network:get_network")
 * @param opts paging and filters, or NULL for all
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_network_iter_new(lc_network_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next network of an iterator.
 *
 * @param out out: the next snapshot; free with lc_network_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_network_iter_next(lc_network **out, lc_network_iter *it);

/** Free a network iterator. NULL-safe. Since 0.1. */
LC_EXTERN void lc_network_iter_free(lc_network_iter *it);

/** The network's id; borrowed until lc_network_free(). Since 0.1. */
LC_EXTERN const char *lc_network_id(const lc_network *n);
/** The owning project's id; borrowed. Since 0.1. */
LC_EXTERN const char *lc_network_project_id(const lc_network *n);
/** The network's name, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_network_name(const lc_network *n);
/** The network's description, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_network_description(const lc_network *n);
/** "ACTIVE", or "DOWN" when its admin state is down; borrowed. Since 0.1. */
LC_EXTERN const char *lc_network_status(const lc_network *n);
/** 1 if the network's admin state is up. Since 0.1. */
LC_EXTERN int lc_network_admin_state_up(const lc_network *n);
/** 1 if the network is shared with every project. Since 0.1. */
LC_EXTERN int lc_network_shared(const lc_network *n);
/** 1 if the network is external (router:external). Since 0.1. */
LC_EXTERN int lc_network_external(const lc_network *n);
/** 1 if its ports have port security by default. Since 0.1. */
LC_EXTERN int lc_network_port_security_enabled(const lc_network *n);
/** The network's MTU in bytes. Since 0.1. */
LC_EXTERN int64_t lc_network_mtu(const lc_network *n);
/** provider:network_type ("vxlan", "vlan", "flat", "geneve", "local"); borrowed. Since 0.1. */
LC_EXTERN const char *lc_network_type(const lc_network *n);
/** provider:physical_network, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_network_physical_network(const lc_network *n);
/** provider:segmentation_id, or 0 when the type has none (flat, local). Since 0.1. */
LC_EXTERN int64_t lc_network_segmentation_id(const lc_network *n);
/** Number of subnets of the network. Since 0.1. */
LC_EXTERN size_t lc_network_subnet_count(const lc_network *n);
/**
 * The id of the network's i-th subnet (creation order).
 *
 * @param n the network
 * @param i 0..lc_network_subnet_count() - 1
 * @return the id, borrowed until lc_network_free(); NULL when i is out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_network_subnet_id(const lc_network *n, size_t i);
/** Number of tags. Since 0.1. */
LC_EXTERN size_t lc_network_tag_count(const lc_network *n);
/**
 * The i-th tag of a network.
 *
 * @param n the network
 * @param i 0..lc_network_tag_count() - 1
 * @return the tag, borrowed until lc_network_free(); NULL when i is out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_network_tag(const lc_network *n, size_t i);
/** Creation time, microseconds since the epoch. Since 0.1. */
LC_EXTERN int64_t lc_network_created_at(const lc_network *n);
/** Last change, microseconds since the epoch. Since 0.1. */
LC_EXTERN int64_t lc_network_updated_at(const lc_network *n);
/** Revision number: 1 at create, one more at each change. Since 0.1. */
LC_EXTERN int64_t lc_network_revision(const lc_network *n);
/** Free a network snapshot. NULL-safe. Since 0.1. */
LC_EXTERN void lc_network_free(lc_network *n);

LC_END_DECLS

#endif
