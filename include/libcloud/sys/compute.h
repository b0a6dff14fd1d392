/*
 * libcloud - the compute driver vtable: what a hypervisor backend implements.
 *
 * A compute host (see compute_host.h) names a compute driver and a URI; the
 * compute service calls the driver's methods with that URI for everything
 * that touches the hypervisor: reading the host's inventory, spawning,
 * destroying, power operations, snapshots, resizes. Methods run outside any
 * write transaction and may block. They return 0 or a negative LC_E* code
 * (a hypervisor failure is LC_EBACKEND with the backend's message in the
 * error detail, set with lc_compute_driver_error()). A NULL method means the
 * driver does not support the operation: the core answers LC_ENOTSUPPORTED.
 *
 * Two drivers are built in: "fake" (in process, deterministic, for tests and
 * simulated fleets) and "libvirt" (domain XML over any libvirt URI, e.g.
 * test:///default or qemu:///system). When no driver of those names is
 * registered, the compute service uses its own built-in instance.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_SYS_COMPUTE_H
#define LIBCLOUD_SYS_COMPUTE_H

#include <libcloud/common.h>
#include <libcloud/sys/driver.h>

LC_BEGIN_DECLS

/** The driver kind of compute drivers. */
#define LC_COMPUTE_KIND "compute"
/** Current version of lc_compute_driver. */
#define LC_COMPUTE_DRIVER_VERSION 1
/** Current version of lc_compute_instance (2 appended nics and nics_count). */
#define LC_COMPUTE_INSTANCE_VERSION 2
/** Current version of lc_compute_inventory. */
#define LC_COMPUTE_INVENTORY_VERSION 1

/** Power states, with Nova's values. Values never change. */
typedef enum lc_power_state {
	LC_POWER_NOSTATE = 0,   /**< unknown, or not created yet */
	LC_POWER_RUNNING = 1,   /**< running */
	LC_POWER_PAUSED = 3,    /**< paused (in memory) */
	LC_POWER_SHUTDOWN = 4,  /**< shut off */
	LC_POWER_CRASHED = 6,   /**< crashed */
	LC_POWER_SUSPENDED = 7  /**< suspended to disk */
} lc_power_state;

/** Flags of power_off and reboot. */
typedef enum lc_compute_power_flags {
	LC_COMPUTE_HARD = 1u << 0 /**< no graceful shutdown: cut the power */
} lc_compute_power_flags;

/** What a host offers, read from the driver. */
typedef struct lc_compute_inventory {
	unsigned int version;       /**< LC_COMPUTE_INVENTORY_VERSION, set by the core */
	int64_t vcpus;              /**< physical CPUs (threads) */
	int64_t memory_mib;         /**< memory */
	int64_t disk_gib;           /**< local disk for instances */
	int64_t hypervisor_version; /**< e.g. 9000000 for 9.0.0 */
	char hypervisor_type[32];   /**< "QEMU", "fake", "test"... */
	char cpu_arch[32];          /**< "x86_64", "aarch64"... */
} lc_compute_inventory;

/**
 * Copy the server's image to a file (provided by the core to the driver).
 *
 * @param dest_path the file to write (created or truncated)
 * @param payload the instance's fetch_payload
 * @return 0 or a negative LC_E* code
 */
typedef int (*lc_compute_fetch_image_cb)(const char *dest_path, void *payload);

/**
 * Visitor of the instances a driver holds on a host.
 *
 * @param id the instance's id (the server id given to spawn)
 * @param power_state an lc_power_state
 * @param payload the caller's pointer
 * @return 0 to go on, non-zero to stop
 */
typedef int (*lc_compute_list_cb)(const char *id, int power_state, void *payload);

/** One network interface of an instance: a port of the network service bound to it. */
typedef struct lc_compute_nic {
	const char *port_id;     /**< the port's id: the interface's identity (Nova names the tap "tap" + its first 11 chars) */
	const char *network_id;  /**< the port's network */
	const char *mac_address; /**< the port's MAC address, "fa:16:3e:xx:xx:xx" */
	int64_t mtu;             /**< the network's MTU, 0 when unknown */
} lc_compute_nic;

/**
 * One instance, as the driver sees it: everything the core knows about the
 * server and its placement. The strings and arrays stay valid during the
 * method call only.
 */
typedef struct lc_compute_instance {
	unsigned int version;                 /**< LC_COMPUTE_INSTANCE_VERSION */
	const char *id;                       /**< the server's id (a UUID): the instance's identity */
	const char *name;                     /**< the server's display name */
	const char *project_id;               /**< owning project */
	const char *user_id;                  /**< creating user */
	const char *host;                     /**< compute host name */
	const char *uri;                      /**< the host's driver URI */
	const char *instance_dir;             /**< a directory of this instance's own, for disks (exists, but for destroy) */
	const char *flavor_id;                /**< the flavor's id */
	int64_t vcpus;                        /**< virtual CPUs */
	int64_t memory_mib;                   /**< memory */
	int64_t root_gib;                     /**< root disk (0: the image's size) */
	int64_t ephemeral_gib;                /**< ephemeral disk, 0 for none */
	int64_t swap_mib;                     /**< swap disk, 0 for none */
	const char *const *extra_specs;       /**< flavor extra specs: key, value, ..., NULL (never NULL itself) */
	const char *image_id;                 /**< the image booted, or NULL */
	const char *image_disk_format;        /**< the image's disk format ("qcow2", "raw"...), or NULL */
	const char *const *image_properties;  /**< image properties: key, value, ..., NULL (never NULL itself) */
	lc_compute_fetch_image_cb fetch_image; /**< copies the image to a file; NULL when there is no image */
	void *fetch_payload;                  /**< passed to fetch_image */
	const char *config_drive_dir;         /**< the config drive tree (openstack/latest/...), or NULL */
	const lc_compute_nic *nics;           /**< since version 2: the network interfaces, in order (eth0 first), or NULL */
	size_t nics_count;                    /**< since version 2: entries in nics */
} lc_compute_instance;

/** A compute driver; embed it first in the driver's own struct. */
typedef struct lc_compute_driver lc_compute_driver;

/** The compute driver vtable (version 1). Methods return 0 or a negative LC_E* code. */
struct lc_compute_driver {
	/** version LC_COMPUTE_DRIVER_VERSION, kind LC_COMPUTE_KIND, a name, free */
	lc_driver base;
	/** Read a host's inventory. Required for a host to be registered. */
	int (*inventory)(lc_compute_driver *self, const char *uri, lc_compute_inventory *out);
	/** Create and start an instance. On failure nothing of it may remain. */
	int (*spawn)(lc_compute_driver *self, const lc_compute_instance *inst);
	/** Stop and remove an instance and its disks. LC_ENOTFOUND if it does not exist. */
	int (*destroy)(lc_compute_driver *self, const lc_compute_instance *inst);
	/** Shut an instance off; flags: LC_COMPUTE_HARD. */
	int (*power_off)(lc_compute_driver *self, const lc_compute_instance *inst, unsigned int flags);
	/** Start a shut-off instance. */
	int (*power_on)(lc_compute_driver *self, const lc_compute_instance *inst);
	/** Reboot; flags: LC_COMPUTE_HARD. Starts a shut-off instance on a hard reboot. */
	int (*reboot)(lc_compute_driver *self, const lc_compute_instance *inst, unsigned int flags);
	/** Pause a running instance. */
	int (*pause)(lc_compute_driver *self, const lc_compute_instance *inst);
	/** Unpause a paused instance. */
	int (*unpause)(lc_compute_driver *self, const lc_compute_instance *inst);
	/** Suspend a running instance. */
	int (*suspend)(lc_compute_driver *self, const lc_compute_instance *inst);
	/** Resume a suspended instance. */
	int (*resume)(lc_compute_driver *self, const lc_compute_instance *inst);
	/** Read an instance's lc_power_state into *out. LC_ENOTFOUND if it does not exist. */
	int (*get_state)(lc_compute_driver *self, const lc_compute_instance *inst, int *out);
	/**
	 * Write a copy of the instance's root disk to dest_path, and its disk
	 * format ("raw", "qcow2") into format[0..format_size).
	 */
	int (*snapshot)(lc_compute_driver *self, const lc_compute_instance *inst, const char *dest_path, char *format,
			size_t format_size);
	/**
	 * Resize: bring up `to` (same id, new flavor, maybe another host) from
	 * `from`, which stays defined but stopped until confirm or revert.
	 * The instance ends in the power state it had.
	 */
	int (*resize)(lc_compute_driver *self, const lc_compute_instance *from, const lc_compute_instance *to);
	/** Confirm a resize: drop what is left of `from`. */
	int (*confirm_resize)(lc_compute_driver *self, const lc_compute_instance *from, const lc_compute_instance *to);
	/** Revert a resize: drop `to` and bring `from` back in its power state. */
	int (*revert_resize)(lc_compute_driver *self, const lc_compute_instance *from, const lc_compute_instance *to);
	/** Re-create the instance from inst's image, keeping its identity. NULL: destroy then spawn. */
	int (*rebuild)(lc_compute_driver *self, const lc_compute_instance *inst);
	/** Visit every instance on the host at uri (for reconciliation). */
	int (*list)(lc_compute_driver *self, const char *uri, lc_compute_list_cb cb, void *payload);
};

/**
 * Set the thread-local error detail from a driver method, and return code.
 *
 * @param code the negative LC_E* code the method returns
 * @param message the detail (copied)
 * @return code
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_compute_driver_error(int code, const char *message);

/**
 * Make a new in-process fake compute driver. A host's URI
 * "fake://NAME?vcpus=N&memory_mib=N&disk_gib=N&arch=A&hypervisor_type=T"
 * sets the inventory it reports (defaults: 16 vcpus, 32768 MiB, 1000 GiB,
 * x86_64, "fake"). Instances live in memory.
 *
 * @param out out: the driver; hand it to lc_cloud_add_driver()
 * @param name the driver's name (e.g. "fake")
 * @return 0, LC_EINVALID, LC_ENOMEM
 * @note Thread-safe driver. Since 0.1.
 */
LC_EXTERN int lc_compute_fake_new(lc_compute_driver **out, const char *name);

/**
 * Make the next `count` calls of one method of a fake driver fail with
 * code (fault injection for tests). count 0 clears.
 *
 * @param d a driver made by lc_compute_fake_new()
 * @param method "spawn", "destroy", "power_off", "power_on", "reboot",
 *        "pause", "unpause", "suspend", "resume", "snapshot", "resize",
 *        "confirm_resize", "revert_resize", "rebuild", "inventory", "get_state"
 * @param count how many calls fail
 * @param code the negative LC_E* code they return
 * @return 0, LC_EINVALID (not a fake driver, unknown method, code >= 0)
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_compute_fake_fail(lc_compute_driver *d, const char *method, unsigned int count, int code);

/**
 * A hook a fake driver calls at the start of each method (for tests that
 * need to act while a call is in flight).
 *
 * @param method the method's name
 * @param id the instance id, or NULL for host-level methods
 * @param payload the caller's pointer
 */
typedef void (*lc_compute_fake_hook)(const char *method, const char *id, void *payload);

/**
 * Set or clear (NULL) the hook of a fake driver.
 *
 * @param d a driver made by lc_compute_fake_new()
 * @param hook the hook, or NULL
 * @param payload passed to the hook
 * @return 0, LC_EINVALID
 * @note Set it before the driver is in use. Since 0.1.
 */
LC_EXTERN int lc_compute_fake_set_hook(lc_compute_driver *d, lc_compute_fake_hook hook, void *payload);

/**
 * Number of instances a fake driver holds (all hosts).
 *
 * @param d a driver made by lc_compute_fake_new()
 * @return the count, or -1 if d is not a fake driver
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int64_t lc_compute_fake_count(lc_compute_driver *d);

/**
 * Make a new libvirt compute driver. Each host URI is opened once with
 * virConnectOpen() and kept; domains are named "lc-<server id>" and carry
 * the server id as their UUID. The domain XML is written from the flavor
 * (vcpus, memory, hw:cpu_* and hw:mem_* extra specs) and the image (disk
 * format and hw_* properties). Works with test:///default (no daemon) and
 * unchanged with qemu:///system.
 *
 * @param out out: the driver; hand it to lc_cloud_add_driver()
 * @param name the driver's name (e.g. "libvirt")
 * @return 0, LC_EINVALID, LC_ENOMEM
 * @note Thread-safe driver. Since 0.1.
 */
LC_EXTERN int lc_compute_libvirt_new(lc_compute_driver **out, const char *name);

LC_END_DECLS

#endif
