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
 * Replay (version 2): a data plane that keeps no state of its own is
 * rebuilt when the cloud opens. A driver with a replay method gets
 * replay(LC_NETWORK_REPLAY_BEGIN), then every resource of the model with
 * change LC_NETWORK_CHANGE_REPLAY, in an order where what a resource
 * refers to comes first: security groups, their rules, networks, subnets,
 * ports (not those of routers and floating IPs), routers (with their
 * gateway), router interfaces, floating IPs; then
 * replay(LC_NETWORK_REPLAY_END). It runs inside lc_cloud_open(), before
 * any other call can change the model. A method's failure is logged, a
 * port, router or floating IP it failed on goes to ERROR, and the replay
 * goes on; it never fails the open (nor does a failed BEGIN, which skips
 * the replay). A version 1 driver, or one whose replay is NULL, is not
 * replayed and never sees LC_NETWORK_CHANGE_REPLAY.
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

/** Current version of lc_network_driver. Methods are only ever appended: 2 added replay. */
#define LC_NETWORK_DRIVER_VERSION 2

/** What happened to a resource, as told to the driver. Values never change. */
typedef enum lc_network_change {
	LC_NETWORK_CHANGE_CREATE = 1, /**< the resource was created */
	LC_NETWORK_CHANGE_UPDATE = 2, /**< some attribute changed */
	LC_NETWORK_CHANGE_DELETE = 3, /**< the resource is about to be deleted */
	LC_NETWORK_CHANGE_UP = 4,     /**< a port's admin state went up */
	LC_NETWORK_CHANGE_DOWN = 5,   /**< a port's admin state went down */
	LC_NETWORK_CHANGE_REPLAY = 6  /**< the resource exists: told at open, to drivers with a replay method */
} lc_network_change;

/** The phase given to lc_network_driver.replay. Values never change. */
typedef enum lc_network_replay_phase {
	LC_NETWORK_REPLAY_BEGIN = 1, /**< the whole model follows, as LC_NETWORK_CHANGE_REPLAY */
	LC_NETWORK_REPLAY_END = 2    /**< every resource has been told */
} lc_network_replay_phase;

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
	/* ---- version 2 ---- */
	/**
	 * The cloud is opening: the whole model will be (BEGIN) or has been
	 * (END) told to the methods above with LC_NETWORK_CHANGE_REPLAY. NULL:
	 * the driver is not replayed. A failed BEGIN skips the replay.
	 */
	int (*replay)(lc_network_driver *self, int phase);
};

/** Static initialiser: the head filled (name NULL, to be set), every method NULL. */
#define LC_NETWORK_DRIVER_INIT { { LC_NETWORK_DRIVER_VERSION, LC_NETWORK_DRIVER_KIND, NULL, NULL, 0 }, \
				 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/**
 * Initialise a network driver vtable: kind and version set, every method
 * NULL (for bindings that cannot use LC_NETWORK_DRIVER_INIT). Only the
 * members of that version are written, so a driver built against an
 * older header may pass its own version.
 *
 * @param d out: the vtable to fill
 * @param version 1..LC_NETWORK_DRIVER_VERSION
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
