/*
 * libcloud - networking: routers.
 *
 * A router connects subnets (its interfaces: ports on them holding the
 * subnet's gateway address, or a port given by the caller) and, through its
 * external gateway (a port on an external network), the outside world, with
 * source NAT when enable_snat is set. Static routes go to next hops on its
 * subnets.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_ROUTER_H
#define LIBCLOUD_ROUTER_H

#include "common.h"
#include "list.h"
#include "port.h"

LC_BEGIN_DECLS

/** Most static routes on one router. */
#define LC_ROUTER_ROUTES_MAX 30

/** An immutable snapshot of one router. */
typedef struct lc_router lc_router;
/** An iterator over routers. */
typedef struct lc_router_iter lc_router_iter;

/** Current version of lc_router_opts. */
#define LC_ROUTER_OPTS_VERSION 1

/**
 * Attributes for lc_router_create() and lc_router_update(). NULL strings
 * and lists and LC_UNSET booleans mean "not given".
 */
typedef struct lc_router_opts {
	unsigned int version;                  /**< LC_ROUTER_OPTS_VERSION */
	const char *name;                      /**< 0..LC_NET_NAME_MAX bytes */
	const char *description;               /**< 0..LC_DESCRIPTION_MAX bytes */
	const char *project_id;                /**< owner, create only; default: the session's project */
	int admin_state_up;                    /**< 1, 0 or LC_UNSET (create default: 1) */
	const char *external_network_id;       /**< the gateway's external network; "" removes the gateway */
	int enable_snat;                       /**< source NAT through the gateway (default 1); setting it needs admin */
	const char *const *external_fixed_ips; /**< subnet_id, ip_address pairs for the gateway port ("" for
	                                            either: any); a specific address needs admin. NULL: one
	                                            address from the first subnet with room */
	const char *const *routes;             /**< destination CIDR, next hop pairs, NULL-terminated (replace
	                                            them on update); each next hop must be on one of the
	                                            router's subnets */
	const char *const *tags;               /**< NULL-terminated tags (replace them on update) */
} lc_router_opts;

/** Static initialiser for lc_router_opts: nothing given. */
#define LC_ROUTER_OPTS_INIT { LC_ROUTER_OPTS_VERSION, NULL, NULL, NULL, LC_UNSET, NULL, LC_UNSET, NULL, NULL, NULL }

/**
 * Initialise an lc_router_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_ROUTER_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_router_opts_init(lc_router_opts *opts, unsigned int version);

/**
 * Create a router, with its gateway port when external_network_id is given.
 * Durable when the call returns.
 *
 * @param out out, may be NULL: the new router; free with lc_router_free()
 * @param s the caller; needs member of the owning project (policy "network:create_router")
 * @param opts the attributes
 * @return 0, LC_EINVALID (bad attribute; the gateway network is not
 *         external or has no subnet), LC_ENOTFOUND, LC_EFORBIDDEN,
 *         LC_ECONFLICT (no address left on the external network), LC_EQUOTA
 *         (routers), LC_ENOTSUPPORTED, LC_EBACKEND, LC_ENOMEM, LC_EIO
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_router_create(lc_router **out, lc_session *s, const lc_router_opts *opts);

/**
 * Get a router by id.
 *
 * @param out out: the snapshot; free with lc_router_free()
 * @param s the caller (policy "network:get_router")
 * @param id the router id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_router_get(lc_router **out, lc_session *s, const char *id);

/**
 * Update a router: name, description, admin state, gateway (set, change or
 * remove), SNAT, static routes, tags. The gateway cannot be removed while
 * floating IPs are associated through the router.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs member of the owner (policy "network:update_router")
 * @param id the router id
 * @param opts what to change (project_id must not be given)
 * @return 0, LC_EINVALID (bad route or next hop not on the router's
 *         subnets), LC_ENOTFOUND, LC_EFORBIDDEN, LC_ECONFLICT, LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_router_update(lc_router **out, lc_session *s, const char *id, const lc_router_opts *opts);

/**
 * Delete a router and its gateway port. It must have no interface left.
 *
 * @param s the caller; needs member of the owner (policy "network:delete_router")
 * @param id the router id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN, LC_ECONFLICT (it still
 *         has interfaces), LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_router_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Add an interface to a router: by subnet (a new port on the subnet's
 * network takes the subnet's gateway address) or by an existing unused
 * port of the caller. A router has at most one interface per subnet, and
 * its subnets may not overlap.
 *
 * @param out out, may be NULL: the interface port; free with lc_port_free()
 * @param s the caller; needs member of the router's project (policy
 *        "network:add_router_interface")
 * @param router_id the router
 * @param subnet_id the subnet, or NULL when port_id is given
 * @param port_id the port, or NULL when subnet_id is given
 * @return 0, LC_EINVALID (both or neither given; the subnet has no gateway;
 *         the router already has an interface on the subnet; overlapping
 *         subnets; the port is in use or has no address), LC_ENOTFOUND,
 *         LC_EFORBIDDEN, LC_ECONFLICT (the gateway address is taken),
 *         LC_EQUOTA (ports), LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_router_add_interface(lc_port **out, lc_session *s, const char *router_id, const char *subnet_id,
				      const char *port_id);

/**
 * Remove a router interface, by subnet or by port. The interface port is
 * deleted and its addresses released.
 *
 * @param out out, may be NULL: a snapshot of the removed port
 * @param s the caller; needs member of the router's project (policy
 *        "network:remove_router_interface")
 * @param router_id the router
 * @param subnet_id the subnet, or NULL
 * @param port_id the port, or NULL (when both are given they must agree)
 * @return 0, LC_EINVALID, LC_ENOTFOUND (no such interface), LC_EFORBIDDEN,
 *         LC_ECONFLICT (floating IPs are associated through it), LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_router_remove_interface(lc_port **out, lc_session *s, const char *router_id, const char *subnet_id,
					 const char *port_id);

/**
 * Start listing the caller's routers. Filters: "id", "name", "project_id",
 * "status", "admin_state_up".
 *
 * @param out out: the iterator; free with lc_router_iter_free()
 * @param s the caller (policy "network:get_router")
 * @param opts paging and filters, or NULL for all
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_router_iter_new(lc_router_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next router of an iterator.
 *
 * @param out out: the next snapshot; free with lc_router_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_router_iter_next(lc_router **out, lc_router_iter *it);

/** Free a router iterator. NULL-safe. Since 0.1. */
LC_EXTERN void lc_router_iter_free(lc_router_iter *it);

/** The router's id; borrowed until lc_router_free(). Since 0.1. */
LC_EXTERN const char *lc_router_id(const lc_router *r);
/** The owning project's id; borrowed. Since 0.1. */
LC_EXTERN const char *lc_router_project_id(const lc_router *r);
/** The router's name, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_router_name(const lc_router *r);
/** The router's description, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_router_description(const lc_router *r);
/** 1 if the router's admin state is up. Since 0.1. */
LC_EXTERN int lc_router_admin_state_up(const lc_router *r);
/** "ACTIVE", or "ERROR" after a driver failure; borrowed. Since 0.1. */
LC_EXTERN const char *lc_router_status(const lc_router *r);
/** The gateway's external network, or NULL when the router has no gateway; borrowed. Since 0.1. */
LC_EXTERN const char *lc_router_external_network_id(const lc_router *r);
/** The gateway port's id, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_router_gateway_port_id(const lc_router *r);
/** 1 if source NAT is enabled on the gateway (0 without a gateway). Since 0.1. */
LC_EXTERN int lc_router_enable_snat(const lc_router *r);
/** Number of addresses of the gateway port. Since 0.1. */
LC_EXTERN size_t lc_router_external_ip_count(const lc_router *r);
/**
 * The subnet of the gateway's i-th address.
 *
 * @param r the router
 * @param i 0..lc_router_external_ip_count() - 1
 * @return the subnet id, borrowed until lc_router_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_router_external_ip_subnet_id(const lc_router *r, size_t i);
/**
 * The gateway's i-th address.
 *
 * @param r the router
 * @param i 0..lc_router_external_ip_count() - 1
 * @return the address, borrowed until lc_router_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_router_external_ip_address(const lc_router *r, size_t i);
/** Number of static routes. Since 0.1. */
LC_EXTERN size_t lc_router_route_count(const lc_router *r);
/**
 * Destination CIDR of the i-th static route.
 *
 * @param r the router
 * @param i 0..lc_router_route_count() - 1
 * @return the CIDR, borrowed until lc_router_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_router_route_destination(const lc_router *r, size_t i);
/**
 * Next hop of the i-th static route.
 *
 * @param r the router
 * @param i 0..lc_router_route_count() - 1
 * @return the address, borrowed until lc_router_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_router_route_nexthop(const lc_router *r, size_t i);
/** Number of tags. Since 0.1. */
LC_EXTERN size_t lc_router_tag_count(const lc_router *r);
/**
 * The i-th tag of a router.
 *
 * @param r the router
 * @param i 0..lc_router_tag_count() - 1
 * @return the tag, borrowed until lc_router_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_router_tag(const lc_router *r, size_t i);
/** Creation time, microseconds since the epoch. Since 0.1. */
LC_EXTERN int64_t lc_router_created_at(const lc_router *r);
/** Last change, microseconds since the epoch. Since 0.1. */
LC_EXTERN int64_t lc_router_updated_at(const lc_router *r);
/** Revision number. Since 0.1. */
LC_EXTERN int64_t lc_router_revision(const lc_router *r);
/** Free a router snapshot. NULL-safe. Since 0.1. */
LC_EXTERN void lc_router_free(lc_router *r);

LC_END_DECLS

#endif
