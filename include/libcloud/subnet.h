/*
 * libcloud - networking: subnets and their IP address management.
 *
 * A subnet is an IPv4 or IPv6 CIDR on a network, with a gateway and
 * allocation pools from which ports get their addresses. Address
 * management never enumerates the address space: a /8 or a /64 costs the
 * same as a /28. Allocation takes the lowest free address of the pools (or
 * a requested one) in logarithmic time and never hands one address out
 * twice, also under concurrency.
 *
 * Visibility: a caller sees the subnets of its project and those of shared
 * networks.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_SUBNET_H
#define LIBCLOUD_SUBNET_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** Most DNS name servers on one subnet. */
#define LC_SUBNET_DNS_MAX 5
/** Most host routes on one subnet. */
#define LC_SUBNET_ROUTES_MAX 20
/** Most allocation pools on one subnet. */
#define LC_SUBNET_POOLS_MAX 64

/** An immutable snapshot of one subnet. */
typedef struct lc_subnet lc_subnet;
/** An iterator over subnets. */
typedef struct lc_subnet_iter lc_subnet_iter;

/** Current version of lc_subnet_opts. */
#define LC_SUBNET_OPTS_VERSION 1

/**
 * Attributes for lc_subnet_create() and lc_subnet_update(). NULL strings
 * and lists, LC_UNSET booleans and 0 numbers mean "not given"; an empty
 * list ({NULL}) clears a list.
 */
typedef struct lc_subnet_opts {
	unsigned int version;               /**< LC_SUBNET_OPTS_VERSION */
	const char *name;                   /**< 0..LC_NET_NAME_MAX bytes */
	const char *description;            /**< 0..LC_DESCRIPTION_MAX bytes */
	const char *project_id;             /**< owner, create only; default: the network's owner when the caller is admin, else the session's project */
	const char *network_id;             /**< create only, required */
	const char *cidr;                   /**< create only, required: "10.0.0.0/24", "2001:db8::/64"; no host bits.
	                                         IPv4 prefixes /8../30, IPv6 /16../126 (/64 with SLAAC modes) */
	int ip_version;                     /**< create only: 4, 6, or 0 to follow the CIDR */
	const char *gateway_ip;             /**< inside the CIDR; NULL: the first host address at create; "": no gateway */
	int enable_dhcp;                    /**< 1, 0 or LC_UNSET (create default: 1) */
	const char *ipv6_ra_mode;           /**< create only, IPv6: "slaac", "dhcpv6-stateful", "dhcpv6-stateless", or NULL */
	const char *ipv6_address_mode;      /**< create only, IPv6: same values, or NULL */
	const char *const *allocation_pools; /**< start, end pairs, NULL-terminated: {"10.0.0.10", "10.0.0.99", NULL};
	                                         NULL: every host address but the gateway (create) */
	const char *const *dns_nameservers; /**< addresses, NULL-terminated, at most LC_SUBNET_DNS_MAX */
	const char *const *host_routes;     /**< destination CIDR, next hop pairs, NULL-terminated, at most LC_SUBNET_ROUTES_MAX */
	const char *const *tags;            /**< NULL-terminated tags (replace them on update) */
} lc_subnet_opts;

/** Static initialiser for lc_subnet_opts: nothing given. */
#define LC_SUBNET_OPTS_INIT { LC_SUBNET_OPTS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL, LC_UNSET, NULL, NULL, \
			      NULL, NULL, NULL, NULL }

/**
 * Initialise an lc_subnet_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_SUBNET_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_subnet_opts_init(lc_subnet_opts *opts, unsigned int version);

/**
 * Create a subnet on a network. Checks the CIDR (syntax, host bits, prefix
 * limits, no overlap with another subnet of the network), the gateway
 * (inside, not the network or broadcast address, outside every pool) and
 * the pools (inside, ordered, not overlapping). Durable when the call returns.
 *
 * @param out out, may be NULL: the new subnet; free with lc_subnet_free()
 * @param s the caller; needs member of the network's project (policy
 *        "network:create_subnet"), or admin
 * @param opts network_id and cidr required
 * @return 0, LC_EINVALID (every malformed or inconsistent attribute, with
 *         the reason), LC_ENOTFOUND (network not visible), LC_EFORBIDDEN
 *         (a network of another project), LC_EQUOTA (subnets),
 *         LC_ENOTSUPPORTED, LC_EBACKEND, LC_ENOMEM, LC_EIO
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_subnet_create(lc_subnet **out, lc_session *s, const lc_subnet_opts *opts);

/**
 * Get a subnet by id.
 *
 * @param out out: the snapshot; free with lc_subnet_free()
 * @param s the caller (policy "network:get_subnet")
 * @param id the subnet id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_subnet_get(lc_subnet **out, lc_session *s, const char *id);

/**
 * Update a subnet's name, description, gateway, DHCP flag, allocation
 * pools, name servers, host routes or tags. New pools are checked as at
 * create; addresses already allocated stay allocated.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs member of the owner (policy "network:update_subnet")
 * @param id the subnet id
 * @param opts what to change (network_id, cidr, ip_version, IPv6 modes and
 *        project_id must not be given)
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN, LC_ECONFLICT (the new
 *         gateway address is allocated to a port), LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_subnet_update(lc_subnet **out, lc_session *s, const char *id, const lc_subnet_opts *opts);

/**
 * Delete a subnet. No port may hold an address from it.
 *
 * @param s the caller; needs member of the owner (policy "network:delete_subnet")
 * @param id the subnet id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN, LC_ECONFLICT (a router
 *         interface or another port uses it), LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_subnet_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing the subnets the caller sees. Filters: "id", "name",
 * "project_id", "network_id", "ip_version", "cidr", "gateway_ip",
 * "enable_dhcp", "ipv6_ra_mode", "ipv6_address_mode".
 *
 * @param out out: the iterator; free with lc_subnet_iter_free()
 * @param s the caller (policy "network:get_subnet")
 * @param opts paging and filters, or NULL for all
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_subnet_iter_new(lc_subnet_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next subnet of an iterator.
 *
 * @param out out: the next snapshot; free with lc_subnet_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_subnet_iter_next(lc_subnet **out, lc_subnet_iter *it);

/** Free a subnet iterator. NULL-safe. Since 0.1. */
LC_EXTERN void lc_subnet_iter_free(lc_subnet_iter *it);

/**
 * Count the addresses a subnet has allocated and still free in its pools,
 * without enumerating them one by one.
 *
 * @param allocated out, may be NULL: addresses held by ports (gateway and
 *        router interfaces included); saturates at UINT64_MAX
 * @param available out, may be NULL: free addresses left in the pools;
 *        saturates at UINT64_MAX
 * @param s the caller (policy "network:get_subnet")
 * @param id the subnet id
 * @return 0, LC_EINVALID, LC_ENOTFOUND
 * @note Thread-safe. Cost grows with the number of free ranges and of
 *       allocated addresses, never with the size of the CIDR. Since 0.1.
 */
LC_EXTERN int lc_subnet_ip_usage(uint64_t *allocated, uint64_t *available, lc_session *s, const char *id);

/** The subnet's id; borrowed until lc_subnet_free(). Since 0.1. */
LC_EXTERN const char *lc_subnet_id(const lc_subnet *sn);
/** The owning project's id; borrowed. Since 0.1. */
LC_EXTERN const char *lc_subnet_project_id(const lc_subnet *sn);
/** The network's id; borrowed. Since 0.1. */
LC_EXTERN const char *lc_subnet_network_id(const lc_subnet *sn);
/** The subnet's name, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_subnet_name(const lc_subnet *sn);
/** The subnet's description, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_subnet_description(const lc_subnet *sn);
/** 4 or 6. Since 0.1. */
LC_EXTERN int lc_subnet_ip_version(const lc_subnet *sn);
/** The CIDR in canonical form ("10.0.0.0/24", "2001:db8::/64"); borrowed. Since 0.1. */
LC_EXTERN const char *lc_subnet_cidr(const lc_subnet *sn);
/** The gateway address, or NULL when the subnet has none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_subnet_gateway_ip(const lc_subnet *sn);
/** 1 if DHCP is enabled. Since 0.1. */
LC_EXTERN int lc_subnet_enable_dhcp(const lc_subnet *sn);
/** The IPv6 router advertisement mode, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_subnet_ipv6_ra_mode(const lc_subnet *sn);
/** The IPv6 address mode, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_subnet_ipv6_address_mode(const lc_subnet *sn);
/** Number of allocation pools. Since 0.1. */
LC_EXTERN size_t lc_subnet_pool_count(const lc_subnet *sn);
/**
 * First address of the i-th allocation pool (pools are in address order).
 *
 * @param sn the subnet
 * @param i 0..lc_subnet_pool_count() - 1
 * @return the address, borrowed until lc_subnet_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_subnet_pool_start(const lc_subnet *sn, size_t i);
/**
 * Last address of the i-th allocation pool.
 *
 * @param sn the subnet
 * @param i 0..lc_subnet_pool_count() - 1
 * @return the address, borrowed until lc_subnet_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_subnet_pool_end(const lc_subnet *sn, size_t i);
/** Number of DNS name servers. Since 0.1. */
LC_EXTERN size_t lc_subnet_dns_nameserver_count(const lc_subnet *sn);
/**
 * The i-th DNS name server.
 *
 * @param sn the subnet
 * @param i 0..lc_subnet_dns_nameserver_count() - 1
 * @return the address, borrowed until lc_subnet_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_subnet_dns_nameserver(const lc_subnet *sn, size_t i);
/** Number of host routes. Since 0.1. */
LC_EXTERN size_t lc_subnet_host_route_count(const lc_subnet *sn);
/**
 * Destination CIDR of the i-th host route.
 *
 * @param sn the subnet
 * @param i 0..lc_subnet_host_route_count() - 1
 * @return the CIDR, borrowed until lc_subnet_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_subnet_host_route_destination(const lc_subnet *sn, size_t i);
/**
 * Next hop of the i-th host route.
 *
 * @param sn the subnet
 * @param i 0..lc_subnet_host_route_count() - 1
 * @return the address, borrowed until lc_subnet_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_subnet_host_route_nexthop(const lc_subnet *sn, size_t i);
/** Number of tags. Since 0.1. */
LC_EXTERN size_t lc_subnet_tag_count(const lc_subnet *sn);
/**
 * The i-th tag of a subnet.
 *
 * @param sn the subnet
 * @param i 0..lc_subnet_tag_count() - 1
 * @return the tag, borrowed until lc_subnet_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_subnet_tag(const lc_subnet *sn, size_t i);
/** Creation time, microseconds since the epoch. Since 0.1. */
LC_EXTERN int64_t lc_subnet_created_at(const lc_subnet *sn);
/** Last change, microseconds since the epoch. Since 0.1. */
LC_EXTERN int64_t lc_subnet_updated_at(const lc_subnet *sn);
/** Revision number. Since 0.1. */
LC_EXTERN int64_t lc_subnet_revision(const lc_subnet *sn);
/** Free a subnet snapshot. NULL-safe. Since 0.1. */
LC_EXTERN void lc_subnet_free(lc_subnet *sn);

LC_END_DECLS

#endif
