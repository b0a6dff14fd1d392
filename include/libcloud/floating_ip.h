/*
 * libcloud - networking: floating IPs.
 *
 * A floating IP is an address of an external network held by a project.
 * Associated with a fixed IP of a port, it is translated to it by the
 * router that connects the port's subnet to that external network.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_FLOATING_IP_H
#define LIBCLOUD_FLOATING_IP_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** An immutable snapshot of one floating IP. */
typedef struct lc_floating_ip lc_floating_ip;
/** An iterator over floating IPs. */
typedef struct lc_floating_ip_iter lc_floating_ip_iter;

/** Current version of lc_floating_ip_opts. */
#define LC_FLOATING_IP_OPTS_VERSION 1

/** Attributes for lc_floating_ip_create() and lc_floating_ip_update(). NULL means "not given". */
typedef struct lc_floating_ip_opts {
	unsigned int version;             /**< LC_FLOATING_IP_OPTS_VERSION */
	const char *floating_network_id;  /**< create only, required: an external network */
	const char *subnet_id;            /**< create only: the external subnet to take the address from */
	const char *floating_ip_address;  /**< create only, admin: a specific address */
	const char *port_id;              /**< associate with this port; "" disassociates */
	const char *fixed_ip_address;     /**< which fixed IP of the port (default: its first IPv4 address) */
	const char *description;          /**< 0..LC_DESCRIPTION_MAX bytes */
	const char *project_id;           /**< owner, create only; default: the session's project */
	const char *const *tags;          /**< NULL-terminated tags (replace them on update) */
} lc_floating_ip_opts;

/** Static initialiser for lc_floating_ip_opts: nothing given. */
#define LC_FLOATING_IP_OPTS_INIT { LC_FLOATING_IP_OPTS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/**
 * Initialise an lc_floating_ip_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_FLOATING_IP_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_floating_ip_opts_init(lc_floating_ip_opts *opts, unsigned int version);

/**
 * Allocate a floating IP from an external network, associated at once when
 * port_id is given. Durable when the call returns.
 *
 * @param out out, may be NULL: the new floating IP; free with lc_floating_ip_free()
 * @param s the caller; needs member of the owning project (policy
 *        "network:create_floatingip"); a specific address needs admin
 * @param opts floating_network_id required
 * @return 0, LC_EINVALID (the network is not external or has no subnet;
 *         bad address; the port has no route to the external network),
 *         LC_ENOTFOUND, LC_EFORBIDDEN, LC_ECONFLICT (the address is taken;
 *         no more addresses; the fixed IP already has a floating IP),
 *         LC_EQUOTA (floating IPs), LC_ENOTSUPPORTED, LC_EBACKEND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_floating_ip_create(lc_floating_ip **out, lc_session *s, const lc_floating_ip_opts *opts);

/**
 * Get a floating IP by id.
 *
 * @param out out: the snapshot; free with lc_floating_ip_free()
 * @param s the caller (policy "network:get_floatingip")
 * @param id the floating IP id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_floating_ip_get(lc_floating_ip **out, lc_session *s, const char *id);

/**
 * Associate a floating IP with a port ("port_id"), move it to another
 * port, or disassociate it (port_id ""); or change its description or tags.
 * The port must be reachable through a router whose gateway is on the
 * floating IP's network.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs member of the owner (policy "network:update_floatingip")
 * @param id the floating IP id
 * @param opts what to change (create-only attributes must not be given)
 * @return 0, LC_EINVALID (no route from the port to the external network;
 *         the fixed IP is not the port's), LC_ENOTFOUND, LC_EFORBIDDEN,
 *         LC_ECONFLICT (the fixed IP has another floating IP), LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_floating_ip_update(lc_floating_ip **out, lc_session *s, const char *id,
				    const lc_floating_ip_opts *opts);

/**
 * Release a floating IP: its address goes back to the external subnet.
 *
 * @param s the caller; needs member of the owner (policy "network:delete_floatingip")
 * @param id the floating IP id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN, LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_floating_ip_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing the caller's floating IPs. Filters: "id", "project_id",
 * "floating_network_id", "floating_ip_address", "port_id",
 * "fixed_ip_address", "router_id", "status".
 *
 * @param out out: the iterator; free with lc_floating_ip_iter_free()
 * @param s the caller (policy "network:get_floatingip")
 * @param opts paging and filters, or NULL for all
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_floating_ip_iter_new(lc_floating_ip_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next floating IP of an iterator.
 *
 * @param out out: the next snapshot; free with lc_floating_ip_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_floating_ip_iter_next(lc_floating_ip **out, lc_floating_ip_iter *it);

/** Free a floating IP iterator. NULL-safe. Since 0.1. */
LC_EXTERN void lc_floating_ip_iter_free(lc_floating_ip_iter *it);

/** The floating IP's id; borrowed until lc_floating_ip_free(). Since 0.1. */
LC_EXTERN const char *lc_floating_ip_id(const lc_floating_ip *f);
/** The owning project's id; borrowed. Since 0.1. */
LC_EXTERN const char *lc_floating_ip_project_id(const lc_floating_ip *f);
/** The external network's id; borrowed. Since 0.1. */
LC_EXTERN const char *lc_floating_ip_network_id(const lc_floating_ip *f);
/** The external subnet the address comes from; borrowed. Since 0.1. */
LC_EXTERN const char *lc_floating_ip_subnet_id(const lc_floating_ip *f);
/** The floating address; borrowed. Since 0.1. */
LC_EXTERN const char *lc_floating_ip_address(const lc_floating_ip *f);
/** The associated port, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_floating_ip_port_id(const lc_floating_ip *f);
/** The associated fixed address, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_floating_ip_fixed_ip_address(const lc_floating_ip *f);
/** The router translating it, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_floating_ip_router_id(const lc_floating_ip *f);
/** "ACTIVE" when associated, "DOWN" when not, "ERROR" after a driver failure; borrowed. Since 0.1. */
LC_EXTERN const char *lc_floating_ip_status(const lc_floating_ip *f);
/** The description, "" if none; borrowed. Since 0.1. */
LC_EXTERN const char *lc_floating_ip_description(const lc_floating_ip *f);
/** Number of tags. Since 0.1. */
LC_EXTERN size_t lc_floating_ip_tag_count(const lc_floating_ip *f);
/**
 * The i-th tag of a floating IP.
 *
 * @param f the floating IP
 * @param i 0..lc_floating_ip_tag_count() - 1
 * @return the tag, borrowed until lc_floating_ip_free(); NULL when out of range
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_floating_ip_tag(const lc_floating_ip *f, size_t i);
/** Creation time, microseconds since the epoch. Since 0.1. */
LC_EXTERN int64_t lc_floating_ip_created_at(const lc_floating_ip *f);
/** Last change, microseconds since the epoch. Since 0.1. */
LC_EXTERN int64_t lc_floating_ip_updated_at(const lc_floating_ip *f);
/** Revision number. Since 0.1. */
LC_EXTERN int64_t lc_floating_ip_revision(const lc_floating_ip *f);
/** Free a floating IP snapshot. NULL-safe. Since 0.1. */
LC_EXTERN void lc_floating_ip_free(lc_floating_ip *f);

LC_END_DECLS

#endif
