/*
 * libcloud - compute: servers (instances) and their actions.
 *
 * A server is placed on a compute host by the scheduler and made real by
 * that host's compute driver. Every mutating call is two short
 * transactions around the driver call: the first validates, authorizes,
 * reserves quota, places the server and records the intent (vm_state
 * "building", or a task_state such as "powering-off"); the second records
 * the outcome. A driver failure leaves the server in its previous state
 * (or "error" for a failed build, with a fault, its quota and its host
 * resources released). A server found in a transitional state when the
 * cloud opens is reconciled with its driver. The intent is durable when
 * the call returns; the outcome is committed and visible at once and
 * durable from the next durable write on (or the close): if an OS crash
 * loses it, reconciliation at the next open re-derives it from the driver.
 *
 * States follow Nova: vm_state ("building", "active", "stopped",
 * "paused", "suspended", "resized", "error"), task_state (NULL or the
 * operation in progress), power_state (an lc_power_state of
 * sys/compute.h) and the status clients see ("BUILD", "ACTIVE",
 * "SHUTOFF", "VERIFY_RESIZE", ...).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_SERVER_H
#define LIBCLOUD_SERVER_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** An immutable snapshot of one server. */
typedef struct lc_server lc_server;
/** An iterator over servers. */
typedef struct lc_server_iter lc_server_iter;
/** An immutable snapshot of one entry of a server's action log. */
typedef struct lc_instance_action lc_instance_action;
/** An iterator over a server's action log. */
typedef struct lc_instance_action_iter lc_instance_action_iter;

/** Longest server name (bytes). */
#define LC_SERVER_NAME_MAX 255
/** Longest user_data, as base64 text (bytes). */
#define LC_SERVER_USER_DATA_MAX 65535
/** Longest metadata key and value (bytes). */
#define LC_SERVER_METADATA_MAX 255
/** Most metadata entries on one server. */
#define LC_SERVER_METADATA_ITEMS_MAX 128
/** Most servers made by one create call. */
#define LC_SERVER_COUNT_MAX 1000

/** Most network attachments asked for by one create call. */
#define LC_SERVER_NICS_MAX 32

/**
 * One network attachment asked for at create: a new port on a network
 * (optionally with a given fixed address), or a port the caller made.
 */
typedef struct lc_server_nic {
	const char *network_id; /**< a network the project may use (its own or a shared one), or NULL with port_id */
	const char *port_id;    /**< an unused port of the project (network_id and fixed_ip NULL), or NULL */
	const char *fixed_ip;   /**< with network_id: the address to ask for, or NULL for the next free one */
} lc_server_nic;

/** Current version of lc_server_opts. */
#define LC_SERVER_OPTS_VERSION 1

/**
 * Attributes for lc_server_create() and lc_server_update(). NULL strings,
 * 0 counts and LC_UNSET booleans mean "not given". Update changes only the
 * name.
 */
typedef struct lc_server_opts {
	unsigned int version;                 /**< LC_SERVER_OPTS_VERSION */
	const char *name;                     /**< 1..255 bytes; required */
	const char *flavor_id;                /**< a flavor the caller may use; required */
	const char *image_id;                 /**< an active image the caller may see; required */
	const char *key_name;                 /**< a key pair of the caller's user */
	const char *user_data;                /**< base64 text (whitespace ignored), at most LC_SERVER_USER_DATA_MAX bytes */
	const char *const *metadata;          /**< key, value, ..., NULL */
	const char *availability_zone;        /**< a zone; "zone:host" forces a host (admin only) */
	const char *host;                     /**< admin only: place on this host (still filtered) */
	const char *server_group_id;          /**< a server group of the project */
	unsigned int min_count;               /**< servers to make at least (0: 1) */
	unsigned int max_count;               /**< servers to make at most, as quota allows (0: min_count) */
	int config_drive;                     /**< 1, 0 or LC_UNSET (0): write a config drive */
	const char *networks;                 /**< "auto" (default: the project's only usable network with
	                                           a subnet, or no network when it has none) or "none";
	                                           NULL when nics are given */
	const char *admin_pass;               /**< the password to give; NULL: generated */
	const char *const *scheduler_hints;   /**< key, value, ..., NULL: "group" (a server group id),
	                                           "same_host" / "different_host" (a server id). Other
	                                           keys are LC_EINVALID; internal ones LC_EFORBIDDEN */
	const lc_server_nic *nics;            /**< the attachments, in order (the first is eth0), or NULL */
	size_t nics_count;                    /**< entries in nics, at most LC_SERVER_NICS_MAX */
} lc_server_opts;

/** Static initialiser for lc_server_opts: nothing given. */
#define LC_SERVER_OPTS_INIT { LC_SERVER_OPTS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, \
			      0, 0, LC_UNSET, NULL, NULL, NULL, NULL, 0 }

/**
 * Initialise an lc_server_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_SERVER_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_opts_init(lc_server_opts *opts, unsigned int version);

/**
 * Create servers in the caller's project, place them and spawn them. The
 * call returns when each server is ACTIVE, or in ERROR with a fault that
 * says why (for "no valid host": how many hosts each scheduler filter
 * eliminated). With max_count > 1, servers are named "NAME-1", "NAME-2",
 * ... and as many as the quota allows (at least min_count) are made.
 *
 * Each server gets a port per entry of nics (made on the network, with the
 * project's default security group; or the given port, bound to it), or
 * for networks "auto" one port on the project's only usable network. The
 * ports are made in the same transaction as the server records, so a
 * failure leaves none behind; ports made for a server are deleted with it
 * (and when its build fails), given ports are unbound.
 *
 * Rejected before anything is recorded: an unknown or disabled flavor, an
 * unknown, invisible or inactive image, a flavor smaller than the image's
 * min_disk/min_ram, an unknown key pair (or another user's), bad base64 or
 * oversized user_data, an exceeded quota (the detail names the quota, its
 * use and limit), a non-admin giving host or a forced zone, an unknown or
 * foreign network or port, a port in use, an address taken or outside the
 * network's subnets, a port or a fixed address with max_count > 1, several
 * usable networks for "auto" (LC_ECONFLICT).
 *
 * @param out out, may be NULL: the (first) server; free with
 *        lc_server_free(). Its lc_server_admin_pass() is the password given.
 * @param s the caller, scoped to a project (policy "compute:create_server")
 * @param opts name, flavor_id and image_id required
 * @return 0 (the server may be ACTIVE or ERROR), LC_EINVALID, LC_EQUOTA,
 *         LC_EFORBIDDEN, LC_ENOTFOUND (network or port), LC_ECONFLICT
 *         (port in use, address taken, no address left, several networks
 *         for "auto"), LC_ENOMEM, LC_EIO
 * @note Thread-safe. Calls the driver outside any transaction. Since 0.1.
 */
LC_EXTERN int lc_server_create(lc_server **out, lc_session *s, const lc_server_opts *opts);

/**
 * Get a server by id. Another project's server is LC_ENOTFOUND.
 *
 * @param out out: the snapshot; free with lc_server_free()
 * @param s the caller (policy "compute:get_server": reader of its project)
 * @param id the server id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_get(lc_server **out, lc_session *s, const char *id);

/**
 * Rename a server.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller (policy "compute:update_server": member)
 * @param id the server id
 * @param opts name (every other field unset)
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_update(lc_server **out, lc_session *s, const char *id, const lc_server_opts *opts);

/** lc_server_set_metadata() flags. */
typedef enum lc_server_metadata_flags {
	LC_SERVER_METADATA_REPLACE = 1u << 0 /**< replace the whole set (else merge) */
} lc_server_metadata_flags;

/**
 * Set metadata entries of a server (merge, or replace the whole set).
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller (policy "compute:update_server_metadata": member)
 * @param id the server id
 * @param metadata key, value, ..., NULL
 * @param flags 0 or LC_SERVER_METADATA_REPLACE
 * @return 0, LC_EINVALID (bad key or value, too many), LC_ENOTFOUND, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_set_metadata(lc_server **out, lc_session *s, const char *id, const char *const *metadata,
				     unsigned int flags);

/**
 * Remove one metadata entry of a server.
 *
 * @param s the caller (policy "compute:update_server_metadata": member)
 * @param id the server id
 * @param key the key
 * @return 0, LC_EINVALID, LC_ENOTFOUND (no server, or no such key), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_delete_metadata(lc_session *s, const char *id, const char *key);

/**
 * Delete a server: destroy it through its driver, release its host
 * resources and quota, and remove it with its action log. A server still
 * building is LC_ECONFLICT (nothing changes). If the driver fails, the
 * server goes to ERROR with a fault and keeps its resources.
 *
 * @param s the caller (policy "compute:delete_server": member)
 * @param id the server id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT, LC_EFORBIDDEN, LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing servers in creation order. A caller sees its project's
 * servers; an admin with the filter "all_tenants" = "1" sees every
 * project's. Filters: "name" (a POSIX extended regular expression, as
 * Nova's), "status" (e.g. "ACTIVE"), "vm_state", "flavor", "image",
 * "key_name", "availability_zone", "user_id", "project_id" (admin),
 * "host" (admin), "changes-since" (ISO 8601: updated at or after),
 * "all_tenants".
 *
 * @param out out: the iterator; free with lc_server_iter_free()
 * @param s the caller (policy "compute:list_servers")
 * @param opts paging and filters, or NULL; the marker is a server id
 * @return 0, LC_EINVALID (unknown filter, bad value, unknown marker),
 *         LC_EFORBIDDEN (an admin-only filter), LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_server_iter_new(lc_server_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next server of an iterator.
 *
 * @param out out: the next snapshot; free with lc_server_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_server_iter_next(lc_server **out, lc_server_iter *it);

/**
 * Free a server iterator. NULL-safe.
 *
 * @param it the iterator, or NULL
 * @note Since 0.1.
 */
LC_EXTERN void lc_server_iter_free(lc_server_iter *it);

/** lc_server_reboot() flags. */
typedef enum lc_server_reboot_flags {
	LC_SERVER_REBOOT_HARD = 1u << 0 /**< power cycle instead of asking the guest */
} lc_server_reboot_flags;

/**
 * Stop (power off) an active or errored server: vm_state "stopped".
 *
 * @param s the caller (policy "compute:stop_server": member)
 * @param id the server id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (not in a state that
 *         allows it; nothing changes), LC_EFORBIDDEN, LC_EBACKEND,
 *         LC_ENOTSUPPORTED
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_stop(lc_session *s, const char *id, unsigned int flags);

/**
 * Start a stopped server.
 *
 * @param s the caller (policy "compute:start_server": member)
 * @param id the server id
 * @param flags must be 0
 * @return as lc_server_stop()
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_start(lc_session *s, const char *id, unsigned int flags);

/**
 * Reboot a server: soft (active servers) or hard (also stopped, paused,
 * suspended and errored ones).
 *
 * @param s the caller (policy "compute:reboot_server": member)
 * @param id the server id
 * @param flags 0 or LC_SERVER_REBOOT_HARD
 * @return as lc_server_stop()
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_reboot(lc_session *s, const char *id, unsigned int flags);

/**
 * Pause an active server.
 *
 * @param s the caller (policy "compute:pause_server": member)
 * @param id the server id
 * @param flags must be 0
 * @return as lc_server_stop()
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_pause(lc_session *s, const char *id, unsigned int flags);

/**
 * Unpause a paused server.
 *
 * @param s the caller (policy "compute:unpause_server": member)
 * @param id the server id
 * @param flags must be 0
 * @return as lc_server_stop()
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_unpause(lc_session *s, const char *id, unsigned int flags);

/**
 * Suspend an active server.
 *
 * @param s the caller (policy "compute:suspend_server": member)
 * @param id the server id
 * @param flags must be 0
 * @return as lc_server_stop()
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_suspend(lc_session *s, const char *id, unsigned int flags);

/**
 * Resume a suspended server.
 *
 * @param s the caller (policy "compute:resume_server": member)
 * @param id the server id
 * @param flags must be 0
 * @return as lc_server_stop()
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_resume(lc_session *s, const char *id, unsigned int flags);

/**
 * Resize an active or stopped server to another flavor. The scheduler
 * places the new size (on the same or another host); the old size stays
 * allocated until the resize is confirmed or reverted. The project's cores
 * and RAM quota is charged for the larger of the two meanwhile. The server
 * ends in vm_state "resized" (status VERIFY_RESIZE).
 *
 * @param s the caller (policy "compute:resize_server": member)
 * @param id the server id
 * @param flavor_id the new flavor (another one than the current)
 * @param flags must be 0
 * @return 0, LC_EINVALID (unknown flavor, the same flavor, a flavor smaller
 *         than the image's needs), LC_ENOTFOUND, LC_ECONFLICT (state),
 *         LC_EQUOTA, LC_EFORBIDDEN, LC_EBACKEND (the server keeps its old size),
 *         LC_ENOTSUPPORTED, LC_EBUSY (no host fits the new size: the detail says why)
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_resize(lc_session *s, const char *id, const char *flavor_id, unsigned int flags);

/**
 * Confirm a resize: release the old size.
 *
 * @param s the caller (policy "compute:confirm_resize": member)
 * @param id the server id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (not resized), LC_EFORBIDDEN, LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_confirm_resize(lc_session *s, const char *id, unsigned int flags);

/**
 * Revert a resize: go back to the old size and host; release the new size.
 *
 * @param s the caller (policy "compute:revert_resize": member)
 * @param id the server id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (not resized), LC_EFORBIDDEN, LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_revert_resize(lc_session *s, const char *id, unsigned int flags);

/** Current version of lc_server_rebuild_opts. */
#define LC_SERVER_REBUILD_OPTS_VERSION 1

/** What lc_server_rebuild() changes. NULL means "keep". */
typedef struct lc_server_rebuild_opts {
	unsigned int version;          /**< LC_SERVER_REBUILD_OPTS_VERSION */
	const char *image_id;          /**< the image to rebuild from; required */
	const char *name;              /**< a new name */
	const char *admin_pass;        /**< the password to give; NULL: generated */
	const char *const *metadata;   /**< replaces the metadata when not NULL */
} lc_server_rebuild_opts;

/** Static initialiser for lc_server_rebuild_opts. */
#define LC_SERVER_REBUILD_OPTS_INIT { LC_SERVER_REBUILD_OPTS_VERSION, NULL, NULL, NULL, NULL }

/**
 * Initialise an lc_server_rebuild_opts.
 *
 * @param opts out: the struct to fill
 * @param version LC_SERVER_REBUILD_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_rebuild_opts_init(lc_server_rebuild_opts *opts, unsigned int version);

/**
 * Rebuild a server from an image, keeping its id, flavor and project. The
 * placement is checked again through the scheduler's filters with the new
 * image (the server's own allocation is not counted twice): it stays on its
 * host when the host still passes, else it moves to the best host that does.
 *
 * @param out out, may be NULL: the rebuilt server; its lc_server_admin_pass() is set
 * @param s the caller (policy "compute:rebuild_server": member)
 * @param id the server id
 * @param opts image_id required
 * @return 0, LC_EINVALID (image unknown, inactive or too big for the
 *         flavor), LC_ENOTFOUND, LC_ECONFLICT (state), LC_EFORBIDDEN,
 *         LC_EBUSY (no host passes the filters: the detail says why),
 *         LC_EBACKEND (the server goes to ERROR)
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_rebuild(lc_server **out, lc_session *s, const char *id, const lc_server_rebuild_opts *opts);

/**
 * Snapshot a server's root disk into a new image of the server's project
 * (the image service's lc_image_create() and upload). The image is active
 * when the call returns.
 *
 * @param image_id out, may be NULL: LC_ID_LEN + 1 bytes receiving the new image's id
 * @param s the caller (policy "compute:create_image": member; and the image service's policies)
 * @param id the server id
 * @param name the image's name, 1..255 bytes
 * @param metadata image properties: key, value, ..., NULL; or NULL
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (state), LC_EQUOTA
 *         (images), LC_EFORBIDDEN, LC_EBACKEND, LC_ENOTSUPPORTED
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_create_image(char *image_id, lc_session *s, const char *id, const char *name,
				     const char *const *metadata);

/**
 * Read a server's power state back from its driver and record it (an
 * active server found shut off becomes "stopped", as Nova's power sync).
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller (policy "compute:get_server")
 * @param id the server id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (a task is running), LC_EBACKEND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_refresh(lc_server **out, lc_session *s, const char *id, unsigned int flags);

/**
 * Write a server's metadata service content, in the layout cloud-init's
 * ConfigDrive data source reads (openstack/latest/meta_data.json,
 * user_data, network_data.json, vendor_data.json, and the same under
 * openstack/2012-08-10), into a directory.
 *
 * @param s the caller (policy "compute:get_server")
 * @param id the server id
 * @param dir an existing directory
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EIO, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_write_metadata(lc_session *s, const char *id, const char *dir);

/** A server's addresses, read at one point in time. */
typedef struct lc_server_addresses lc_server_addresses;

/**
 * Read a server's addresses, as Nova's server view lists them: the fixed
 * IPs of each port bound to the server (in port order), then the floating
 * IPs associated with that port.
 *
 * @param out out: the addresses; free with lc_server_addresses_free()
 * @param s the caller (policy "compute:get_server"; another project's server is LC_ENOTFOUND)
 * @param id the server id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_server_addresses_get(lc_server_addresses **out, lc_session *s, const char *id);
/** How many addresses. @param a the addresses (NULL: 0) @return the count. @note Since 0.1. */
LC_EXTERN size_t lc_server_addresses_count(const lc_server_addresses *a);
/** Address i's network id; borrowed. @param a the addresses @param i 0..count-1 @return the id, or NULL when i is out of range. @note Since 0.1. */
LC_EXTERN const char *lc_server_addresses_network_id(const lc_server_addresses *a, size_t i);
/** Address i's network name (its id when unnamed), the key of Nova's "addresses" map; borrowed. @param a the addresses @param i 0..count-1 @return the name, or NULL when i is out of range. @note Since 0.1. */
LC_EXTERN const char *lc_server_addresses_network_name(const lc_server_addresses *a, size_t i);
/** Address i's port; borrowed. @param a the addresses @param i 0..count-1 @return the port id, or NULL when i is out of range. @note Since 0.1. */
LC_EXTERN const char *lc_server_addresses_port_id(const lc_server_addresses *a, size_t i);
/** Address i's port's MAC address; borrowed. @param a the addresses @param i 0..count-1 @return the MAC, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_server_addresses_mac(const lc_server_addresses *a, size_t i);
/** Address i, as text; borrowed. @param a the addresses @param i 0..count-1 @return the address, or NULL when i is out of range. @note Since 0.1. */
LC_EXTERN const char *lc_server_addresses_addr(const lc_server_addresses *a, size_t i);
/** Address i's IP version. @param a the addresses @param i 0..count-1 @return 4 or 6, or 0 when i is out of range. @note Since 0.1. */
LC_EXTERN int lc_server_addresses_version(const lc_server_addresses *a, size_t i);
/** Whether address i is a floating IP (Nova's OS-EXT-IPS:type "floating", else "fixed"). @param a the addresses @param i 0..count-1 @return 1 or 0. @note Since 0.1. */
LC_EXTERN int lc_server_addresses_floating(const lc_server_addresses *a, size_t i);
/** Free addresses (NULL is fine). @param a the addresses @note Since 0.1. */
LC_EXTERN void lc_server_addresses_free(lc_server_addresses *a);

/** The server's id; borrowed until lc_server_free(). @param v the server @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_server_id(const lc_server *v);
/** The name; borrowed. @param v the server @return the name. @note Since 0.1. */
LC_EXTERN const char *lc_server_name(const lc_server *v);
/** The owning project; borrowed. @param v the server @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_server_project_id(const lc_server *v);
/** The creating user; borrowed. @param v the server @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_server_user_id(const lc_server *v);
/** The status clients see ("ACTIVE", "BUILD", "SHUTOFF", ...); static. @param v the server @return the status. @note Since 0.1. */
LC_EXTERN const char *lc_server_status(const lc_server *v);
/** The vm_state ("active", "building", "stopped", ...); borrowed. @param v the server @return the state. @note Since 0.1. */
LC_EXTERN const char *lc_server_vm_state(const lc_server *v);
/** The task_state, or NULL when idle; borrowed. @param v the server @return the task. @note Since 0.1. */
LC_EXTERN const char *lc_server_task_state(const lc_server *v);
/** The lc_power_state. @param v the server @return the state. @note Since 0.1. */
LC_EXTERN int lc_server_power_state(const lc_server *v);
/** The flavor's id; borrowed. @param v the server @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_server_flavor_id(const lc_server *v);
/** The flavor's name when the server was built or resized; borrowed. @param v the server @return the name. @note Since 0.1. */
LC_EXTERN const char *lc_server_flavor_name(const lc_server *v);
/** Virtual CPUs. @param v the server @return the count. @note Since 0.1. */
LC_EXTERN int64_t lc_server_vcpus(const lc_server *v);
/** Memory. @param v the server @return MiB. @note Since 0.1. */
LC_EXTERN int64_t lc_server_ram_mib(const lc_server *v);
/** Root disk. @param v the server @return GiB. @note Since 0.1. */
LC_EXTERN int64_t lc_server_disk_gib(const lc_server *v);
/** Ephemeral disk. @param v the server @return GiB. @note Since 0.1. */
LC_EXTERN int64_t lc_server_ephemeral_gib(const lc_server *v);
/** Swap. @param v the server @return MiB. @note Since 0.1. */
LC_EXTERN int64_t lc_server_swap_mib(const lc_server *v);
/** The image booted, or NULL; borrowed. @param v the server @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_server_image_id(const lc_server *v);
/** The key pair's name, or NULL; borrowed. @param v the server @return the name. @note Since 0.1. */
LC_EXTERN const char *lc_server_key_name(const lc_server *v);
/** The compute host, or NULL when not placed; borrowed. @param v the server @return the host name. @note Since 0.1. */
LC_EXTERN const char *lc_server_host(const lc_server *v);
/**
 * Nova's hostId: an opaque per-project host identifier (hex SHA-224 of the
 * project id and the host name), "" when not placed; borrowed.
 *
 * @param v the server
 * @return the identifier
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_server_host_id(const lc_server *v);
/** The availability zone, or NULL when not placed; borrowed. @param v the server @return the zone. @note Since 0.1. */
LC_EXTERN const char *lc_server_availability_zone(const lc_server *v);
/** The server group, or NULL; borrowed. @param v the server @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_server_server_group_id(const lc_server *v);
/** The user_data as given (base64), or NULL; borrowed. @param v the server @return the text. @note Since 0.1. */
LC_EXTERN const char *lc_server_user_data(const lc_server *v);
/** 1 if it has a config drive. @param v the server @return 1 or 0. @note Since 0.1. */
LC_EXTERN int lc_server_config_drive(const lc_server *v);
/** The admin password, only on the snapshot returned by create or rebuild; borrowed. @param v the server @return the password, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_server_admin_pass(const lc_server *v);
/** Number of metadata entries. @param v the server @return the count. @note Since 0.1. */
LC_EXTERN size_t lc_server_metadata_count(const lc_server *v);
/** A metadata key by index; borrowed. @param v the server @param n the index @return the key, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_server_metadata_key(const lc_server *v, size_t n);
/** A metadata value by index; borrowed. @param v the server @param n the index @return the value, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_server_metadata_value(const lc_server *v, size_t n);
/** A metadata value by key; borrowed. @param v the server @param key the key @return the value, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_server_metadata(const lc_server *v, const char *key);
/** The fault's message, or NULL if no fault; borrowed. @param v the server @return the message. @note Since 0.1. */
LC_EXTERN const char *lc_server_fault_message(const lc_server *v);
/** The fault's code (an HTTP-like status, 500 for internal faults), 0 if none. @param v the server @return the code. @note Since 0.1. */
LC_EXTERN int lc_server_fault_code(const lc_server *v);
/** When the fault happened. @param v the server @return microseconds since the epoch, 0 if none. @note Since 0.1. */
LC_EXTERN int64_t lc_server_fault_at(const lc_server *v);
/** Creation time. @param v the server @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_server_created_at(const lc_server *v);
/** Time of the last change. @param v the server @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_server_updated_at(const lc_server *v);
/** When it first became active. @param v the server @return microseconds since the epoch, 0 if never. @note Since 0.1. */
LC_EXTERN int64_t lc_server_launched_at(const lc_server *v);
/** Free a server snapshot. NULL-safe. @param v the server, or NULL. @note Since 0.1. */
LC_EXTERN void lc_server_free(lc_server *v);

/**
 * Get one entry of a server's action log by its request id.
 *
 * @param out out: the entry; free with lc_instance_action_free()
 * @param s the caller (policy "compute:list_instance_actions")
 * @param server_id the server
 * @param request_id the entry's request id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_instance_action_get(lc_instance_action **out, lc_session *s, const char *server_id,
				     const char *request_id);

/**
 * List a server's action log, oldest first.
 *
 * @param out out: the iterator; free with lc_instance_action_iter_free()
 * @param s the caller (policy "compute:list_instance_actions")
 * @param server_id the server
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_instance_action_iter_new(lc_instance_action_iter **out, lc_session *s, const char *server_id);

/**
 * Next entry of an action log.
 *
 * @param out out: the entry; free with lc_instance_action_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_instance_action_iter_next(lc_instance_action **out, lc_instance_action_iter *it);

/**
 * Free an action log iterator. NULL-safe.
 *
 * @param it the iterator, or NULL
 * @note Since 0.1.
 */
LC_EXTERN void lc_instance_action_iter_free(lc_instance_action_iter *it);

/** The action ("create", "stop", "reboot", ...); borrowed. @param a the entry @return the action. @note Since 0.1. */
LC_EXTERN const char *lc_instance_action_action(const lc_instance_action *a);
/** The server; borrowed. @param a the entry @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_instance_action_server_id(const lc_instance_action *a);
/** The request id ("req-<uuid>"); borrowed. @param a the entry @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_instance_action_request_id(const lc_instance_action *a);
/** The user who asked; borrowed. @param a the entry @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_instance_action_user_id(const lc_instance_action *a);
/** The project; borrowed. @param a the entry @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_instance_action_project_id(const lc_instance_action *a);
/** "Success", "Error", or NULL while running; borrowed. @param a the entry @return the result. @note Since 0.1. */
LC_EXTERN const char *lc_instance_action_result(const lc_instance_action *a);
/** The error message, or NULL; borrowed. @param a the entry @return the message. @note Since 0.1. */
LC_EXTERN const char *lc_instance_action_message(const lc_instance_action *a);
/** Start time. @param a the entry @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_instance_action_start_time(const lc_instance_action *a);
/** Finish time, 0 while running. @param a the entry @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_instance_action_finish_time(const lc_instance_action *a);
/** Free an action log entry. NULL-safe. @param a the entry, or NULL. @note Since 0.1. */
LC_EXTERN void lc_instance_action_free(lc_instance_action *a);

LC_END_DECLS

#endif
