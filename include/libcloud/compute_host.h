/*
 * libcloud - compute: the registry of compute hosts (hypervisors) and the
 * scheduler's settings.
 *
 * A compute host is bound to a compute driver (by name, see
 * sys/compute.h) and a URI; its inventory (vcpus, memory, disk) is read from
 * the driver. Usage is kept exactly: a server's resources are added to its
 * host in the same transaction that places it, and taken away in the one
 * that releases it. The capacity the scheduler may hand out is
 * inventory x allocation ratio.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_COMPUTE_HOST_H
#define LIBCLOUD_COMPUTE_HOST_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** An immutable snapshot of one compute host. */
typedef struct lc_compute_host lc_compute_host;
/** An iterator over compute hosts. */
typedef struct lc_compute_host_iter lc_compute_host_iter;

/** Longest host name (bytes). */
#define LC_HOST_NAME_MAX 255
/** Longest driver URI (bytes). */
#define LC_HOST_URI_MAX 1024
/** The availability zone of a host that no aggregate puts in a zone. */
#define LC_DEFAULT_AVAILABILITY_ZONE "nova"

/** Current version of lc_compute_host_opts. */
#define LC_COMPUTE_HOST_OPTS_VERSION 1

/**
 * Attributes for lc_compute_host_create() and lc_compute_host_update().
 * NULL strings, LC_UNSET booleans and ratios <= 0 mean "not given".
 */
typedef struct lc_compute_host_opts {
	unsigned int version;         /**< LC_COMPUTE_HOST_OPTS_VERSION */
	const char *name;             /**< create: 1..255 of letters, digits, '.', '-', '_'; unique; required */
	const char *driver;           /**< create: a compute driver name ("fake", "libvirt", or registered); required */
	const char *uri;              /**< create: the driver's URI for this host, 1..1024 bytes; required */
	int enabled;                  /**< 1 (create default), 0 or LC_UNSET: a disabled host takes no new servers */
	const char *disabled_reason;  /**< 0..255 bytes; "" clears */
	double cpu_allocation_ratio;  /**< > 0 and <= 1000; create default 16.0 */
	double ram_allocation_ratio;  /**< > 0 and <= 1000; create default 1.5 */
	double disk_allocation_ratio; /**< > 0 and <= 1000; create default 1.0 */
} lc_compute_host_opts;

/** Static initialiser for lc_compute_host_opts: nothing given. */
#define LC_COMPUTE_HOST_OPTS_INIT { LC_COMPUTE_HOST_OPTS_VERSION, NULL, NULL, NULL, LC_UNSET, NULL, 0, 0, 0 }

/**
 * Initialise an lc_compute_host_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_COMPUTE_HOST_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_compute_host_opts_init(lc_compute_host_opts *opts, unsigned int version);

/**
 * Register a compute host: read its inventory from the driver, then record
 * it. Durable when the call returns.
 *
 * @param out out, may be NULL: the new host; free with lc_compute_host_free()
 * @param s the caller; needs admin (policy "compute:create_host")
 * @param opts name, driver and uri required
 * @return 0, LC_EINVALID (bad name, uri or ratio), LC_ENOTFOUND (no such
 *         driver), LC_EEXISTS (name taken), LC_ENOTSUPPORTED (the driver
 *         reads no inventory), LC_EBACKEND (the driver failed), LC_EFORBIDDEN
 * @note Thread-safe. Calls the driver outside any transaction. Since 0.1.
 */
LC_EXTERN int lc_compute_host_create(lc_compute_host **out, lc_session *s, const lc_compute_host_opts *opts);

/**
 * Get a host by id.
 *
 * @param out out: the snapshot; free with lc_compute_host_free()
 * @param s the caller; needs admin (policy "compute:get_host")
 * @param id the host id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_compute_host_get(lc_compute_host **out, lc_session *s, const char *id);

/**
 * Find a host by name.
 *
 * @param out out: the snapshot; free with lc_compute_host_free()
 * @param s the caller; needs admin (policy "compute:get_host")
 * @param name the host name
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_compute_host_find(lc_compute_host **out, lc_session *s, const char *name);

/**
 * Enable or disable a host, or change its allocation ratios. A ratio below
 * the current usage is allowed (the host then takes nothing new).
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs admin (policy "compute:update_host")
 * @param id the host id
 * @param opts enabled, disabled_reason, ratios (name, driver, uri must be NULL)
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_compute_host_update(lc_compute_host **out, lc_session *s, const char *id,
				     const lc_compute_host_opts *opts);

/**
 * Read a host's inventory from its driver again and record it; a host
 * whose driver fails is marked "down" (and takes no new servers).
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs admin (policy "compute:update_host")
 * @param id the host id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EBACKEND (recorded as down), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_compute_host_refresh(lc_compute_host **out, lc_session *s, const char *id, unsigned int flags);

/**
 * Remove a host from the registry. It must hold no server; it leaves its
 * aggregates.
 *
 * @param s the caller; needs admin (policy "compute:delete_host")
 * @param id the host id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (servers on it), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_compute_host_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing hosts in creation order. Filters: "name", "driver",
 * "enabled", "state", "availability_zone".
 *
 * @param out out: the iterator; free with lc_compute_host_iter_free()
 * @param s the caller; needs admin (policy "compute:list_hosts")
 * @param opts paging and filters, or NULL
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_compute_host_iter_new(lc_compute_host_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next host of an iterator.
 *
 * @param out out: the next snapshot; free with lc_compute_host_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_compute_host_iter_next(lc_compute_host **out, lc_compute_host_iter *it);

/**
 * Free a host iterator. NULL-safe.
 *
 * @param it the iterator, or NULL
 * @note Since 0.1.
 */
LC_EXTERN void lc_compute_host_iter_free(lc_compute_host_iter *it);

/** The host's id; borrowed until lc_compute_host_free(). @param h the host @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_compute_host_id(const lc_compute_host *h);
/** The host's name; borrowed. @param h the host @return the name. @note Since 0.1. */
LC_EXTERN const char *lc_compute_host_name(const lc_compute_host *h);
/** The compute driver's name; borrowed. @param h the host @return the name. @note Since 0.1. */
LC_EXTERN const char *lc_compute_host_driver(const lc_compute_host *h);
/** The driver URI; borrowed. @param h the host @return the URI. @note Since 0.1. */
LC_EXTERN const char *lc_compute_host_uri(const lc_compute_host *h);
/** 1 if enabled. @param h the host @return 1 or 0. @note Since 0.1. */
LC_EXTERN int lc_compute_host_enabled(const lc_compute_host *h);
/** Why it is disabled, or NULL; borrowed. @param h the host @return the reason. @note Since 0.1. */
LC_EXTERN const char *lc_compute_host_disabled_reason(const lc_compute_host *h);
/** "up", or "down" when its driver last failed; borrowed. @param h the host @return the state. @note Since 0.1. */
LC_EXTERN const char *lc_compute_host_state(const lc_compute_host *h);
/** The availability zone (from its aggregates; LC_DEFAULT_AVAILABILITY_ZONE if none); borrowed. @param h the host @return the zone. @note Since 0.1. */
LC_EXTERN const char *lc_compute_host_availability_zone(const lc_compute_host *h);
/** Physical CPUs. @param h the host @return the count. @note Since 0.1. */
LC_EXTERN int64_t lc_compute_host_vcpus(const lc_compute_host *h);
/** Virtual CPUs allocated to servers. @param h the host @return the count. @note Since 0.1. */
LC_EXTERN int64_t lc_compute_host_vcpus_used(const lc_compute_host *h);
/** Memory. @param h the host @return MiB. @note Since 0.1. */
LC_EXTERN int64_t lc_compute_host_memory_mib(const lc_compute_host *h);
/** Memory allocated to servers. @param h the host @return MiB. @note Since 0.1. */
LC_EXTERN int64_t lc_compute_host_memory_mib_used(const lc_compute_host *h);
/** Local disk. @param h the host @return GiB. @note Since 0.1. */
LC_EXTERN int64_t lc_compute_host_disk_gib(const lc_compute_host *h);
/** Disk allocated to servers. @param h the host @return GiB. @note Since 0.1. */
LC_EXTERN int64_t lc_compute_host_disk_gib_used(const lc_compute_host *h);
/** Servers placed on the host. @param h the host @return the count. @note Since 0.1. */
LC_EXTERN int64_t lc_compute_host_running_vms(const lc_compute_host *h);
/** CPU allocation ratio. @param h the host @return the ratio. @note Since 0.1. */
LC_EXTERN double lc_compute_host_cpu_allocation_ratio(const lc_compute_host *h);
/** RAM allocation ratio. @param h the host @return the ratio. @note Since 0.1. */
LC_EXTERN double lc_compute_host_ram_allocation_ratio(const lc_compute_host *h);
/** Disk allocation ratio. @param h the host @return the ratio. @note Since 0.1. */
LC_EXTERN double lc_compute_host_disk_allocation_ratio(const lc_compute_host *h);
/** The hypervisor type the driver reports; borrowed. @param h the host @return the type. @note Since 0.1. */
LC_EXTERN const char *lc_compute_host_hypervisor_type(const lc_compute_host *h);
/** The hypervisor version the driver reports. @param h the host @return the version. @note Since 0.1. */
LC_EXTERN int64_t lc_compute_host_hypervisor_version(const lc_compute_host *h);
/** The CPU architecture; borrowed. @param h the host @return e.g. "x86_64". @note Since 0.1. */
LC_EXTERN const char *lc_compute_host_cpu_arch(const lc_compute_host *h);
/** Creation time. @param h the host @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_compute_host_created_at(const lc_compute_host *h);
/** Time of the last change. @param h the host @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_compute_host_updated_at(const lc_compute_host *h);
/** Free a host snapshot. NULL-safe. @param h the host, or NULL. @note Since 0.1. */
LC_EXTERN void lc_compute_host_free(lc_compute_host *h);

/** How the scheduler ranks the hosts that pass every filter. */
typedef enum lc_scheduler_weigher {
	LC_SCHEDULER_SPREAD = 0, /**< most free resources first (Nova's default) */
	LC_SCHEDULER_PACK = 1    /**< least free resources first (fill hosts up) */
} lc_scheduler_weigher;

/** Current version of lc_scheduler_opts. */
#define LC_SCHEDULER_OPTS_VERSION 1

/** The scheduler's settings. */
typedef struct lc_scheduler_opts {
	unsigned int version;          /**< LC_SCHEDULER_OPTS_VERSION */
	int weigher;                   /**< an lc_scheduler_weigher */
	double ram_weight_multiplier;  /**< weight of free RAM, >= 0 (default 1.0) */
	double cpu_weight_multiplier;  /**< weight of free vCPUs, >= 0 (default 1.0) */
	double disk_weight_multiplier; /**< weight of free disk, >= 0 (default 0.0) */
} lc_scheduler_opts;

/** Static initialiser for lc_scheduler_opts: the defaults. */
#define LC_SCHEDULER_OPTS_INIT { LC_SCHEDULER_OPTS_VERSION, LC_SCHEDULER_SPREAD, 1.0, 1.0, 0.0 }

/**
 * Initialise an lc_scheduler_opts with the defaults.
 *
 * @param opts out: the struct to fill
 * @param version LC_SCHEDULER_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_scheduler_opts_init(lc_scheduler_opts *opts, unsigned int version);

/**
 * Change the scheduler's settings. Durable; applies to the next placement.
 *
 * @param s the caller; needs admin (policy "compute:configure_scheduler")
 * @param opts the settings
 * @return 0, LC_EINVALID (unknown weigher, negative or non-finite
 *         multiplier), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_scheduler_configure(lc_session *s, const lc_scheduler_opts *opts);

/**
 * Read the scheduler's settings.
 *
 * @param out out: the settings (version set to LC_SCHEDULER_OPTS_VERSION)
 * @param s the caller; needs admin (policy "compute:configure_scheduler")
 * @return 0, LC_EINVALID, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_scheduler_get(lc_scheduler_opts *out, lc_session *s);

LC_END_DECLS

#endif
