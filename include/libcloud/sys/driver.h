/*
 * libcloud - the common head of every backend driver vtable.
 *
 * A driver is a struct whose first member is an lc_driver (compute drivers,
 * image stores, volume drivers, object stores, network drivers each extend
 * it with their own methods, declared in the other sys/ headers). The host
 * hands a driver to the cloud with lc_cloud_add_driver() before
 * lc_cloud_open(); configuration then binds hosts, stores and types to
 * drivers by kind and name. The built-in drivers use exactly this interface.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_SYS_DRIVER_H
#define LIBCLOUD_SYS_DRIVER_H

#include <libcloud/common.h>

LC_BEGIN_DECLS

/** Longest driver kind or name (bytes). */
#define LC_DRIVER_NAME_MAX 64

/**
 * The head of every driver vtable. Implementers embed their vtable (which
 * starts with this struct) as the first member of their own state struct,
 * as SQLite's sqlite3_file and libgit2's git_odb_backend do.
 */
typedef struct lc_driver lc_driver;
struct lc_driver {
	unsigned int version; /**< the version of the kind's vtable the driver implements */
	const char *kind;     /**< "compute", "image_store", "volume", "object_store", "network" */
	const char *name;     /**< unique within its kind: "libvirt", "file", ... */
	/** Release the driver; called once by lc_cloud_free(), or on a failed registration. May be NULL. */
	void (*free)(lc_driver *self);
	/** 1 if the cloud must serialize calls into this driver (it is not thread-safe), else 0. */
	int serialized;
};

/**
 * Register a driver on a cloud that is not opened yet. The cloud takes
 * ownership at once, also when the call fails (the driver's free is then
 * called).
 *
 * @param c a cloud from lc_cloud_new(), not yet opened
 * @param d the driver; kind and name 1..LC_DRIVER_NAME_MAX bytes
 * @return 0, LC_EINVALID (NULL, bad kind or name, version 0, cloud already
 *         open), LC_EEXISTS (a driver of that kind and name is registered),
 *         LC_ENOMEM
 * @note Not thread-safe: register from one thread before lc_cloud_open(). Since 0.1.
 */
LC_EXTERN int lc_cloud_add_driver(lc_cloud *c, lc_driver *d);

/**
 * Find a registered driver by kind and name.
 *
 * @param c the cloud
 * @param kind the driver kind
 * @param name the driver name
 * @return the driver (owned by the cloud), or NULL when none is registered
 * @note Thread-safe once the cloud is open. Since 0.1.
 */
LC_EXTERN lc_driver *lc_cloud_driver(const lc_cloud *c, const char *kind, const char *name);

LC_END_DECLS

#endif
