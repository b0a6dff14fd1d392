/*
 * libcloud - the network driver vtable: the seam to a data plane.
 *
 * The network service keeps the model (networks, subnets, addresses,
 * ports, routers, floating IPs, security groups) and tells the driver about
 * every change once it is committed, never inside a write transaction. The
 * driver sees the committed snapshot through the public getters. A driver
 * that does not implement a kind of resource leaves its method NULL: the
 * calls that would need it fail with LC_ENOTSUPPORTED before anything
 * changes.
 *
 * Failures: a method returns 0 or a negative LC_E* code (LC_EBACKEND for a
 * data-plane failure). On a create the resource is removed again and the
 * caller gets the code; on an update the change stays recorded, a resource
 * with a status (port, router, floating IP) goes to ERROR and the caller
 * gets the code; deletions are told before the record goes, and a failure
 * keeps the record.
 *
 * The cloud uses the first "network" driver the host registered that is
 * not named "noop"; without one it uses the built-in "noop" driver, which
 * accepts every change and does nothing (the model and IPAM only).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_SYS_NETWORK_H
#define LIBCLOUD_SYS_NETWORK_H

#include <libcloud/common.h>
#include <libcloud/floating_ip.h>
#include <libcloud/network.h>
#include <libcloud/port.h>
#include <libcloud/router.h>
#include <libcloud/security_group.h>
#include <libcloud/subnet.h>
#include <libcloud/sys/driver.h>

LC_BEGIN_DECLS

/** The driver kind of network drivers. */
#define LC_NETWORK_DRIVER_KIND "network"

/** Current version of lc_network_driver. Methods are only ever appended. */
#define LC_NETWORK_DRIVER_VERSION 1

/** What happened to a resource, as told to the driver. Values never change. */
typedef enum lc_network_change {
	LC_NETWORK_CHANGE_CREATE = 1, /**< the resource was created */
	LC_NETWORK_CHANGE_UPDATE = 2, /**< some attribute changed */
	LC_NETWORK_CHANGE_DELETE = 3, /**< the resource is about to be deleted */
	LC_NETWORK_CHANGE_UP = 4,     /**< a port's admin state went up */
	LC_NETWORK_CHANGE_DOWN = 5    /**< a port's admin state went down */
} lc_network_change;

/** A network driver: embed it first in the driver's own state struct. */
typedef struct lc_network_driver lc_network_driver;
struct lc_network_driver {
	/** kind LC_NETWORK_DRIVER_KIND, version LC_NETWORK_DRIVER_VERSION */
	lc_driver base;
	/** A network changed (create, update, delete). */
	int (*network)(lc_network_driver *self, int change, const lc_network *network);
	/** A subnet changed (create, update, delete). */
	int (*subnet)(lc_network_driver *self, int change, const lc_subnet *subnet);
	/** A port changed: create, update, up, down, delete. */
	int (*port)(lc_network_driver *self, int change, const lc_port *port);
	/** A router changed: create, update (gateway set or cleared, SNAT, routes), delete. */
	int (*router)(lc_network_driver *self, int change, const lc_router *router);
	/** An interface was added to a router (create) or is being removed (delete). */
	int (*router_interface)(lc_network_driver *self, int change, const lc_router *router, const lc_port *port);
	/** A floating IP changed: create, update (associated, moved, disassociated), delete. */
	int (*floating_ip)(lc_network_driver *self, int change, const lc_floating_ip *fip);
	/** A security group changed (create, update, delete). */
	int (*security_group)(lc_network_driver *self, int change, const lc_security_group *group);
	/** A security group rule was created or is being deleted. */
	int (*security_group_rule)(lc_network_driver *self, int change, const lc_security_group_rule *rule);
};

/** Static initialiser: the head filled (name NULL, to be set), every method NULL. */
#define LC_NETWORK_DRIVER_INIT { { LC_NETWORK_DRIVER_VERSION, LC_NETWORK_DRIVER_KIND, NULL, NULL, 0 }, \
				 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/**
 * Initialise a network driver vtable: kind and version set, every method
 * NULL (for bindings that cannot use LC_NETWORK_DRIVER_INIT).
 *
 * @param d out: the vtable to fill
 * @param version LC_NETWORK_DRIVER_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_network_driver_init(lc_network_driver *d, unsigned int version);

/**
 * The built-in "noop" network driver: every method succeeds and does
 * nothing. Register it under another name, or wrap it, to build a test
 * driver; the cloud registers one by itself when no driver named "noop" is.
 *
 * @param out out: a new driver; hand it to lc_cloud_add_driver(), which owns it
 * @return 0, or LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_network_driver_noop(lc_network_driver **out);

LC_END_DECLS

#endif
