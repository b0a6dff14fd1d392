/*
 * libcloud - compute: host aggregates (groups of compute hosts with
 * metadata) and availability zones.
 *
 * An aggregate with an availability zone puts its hosts in that zone; a
 * host is in at most one zone (LC_DEFAULT_AVAILABILITY_ZONE when no
 * aggregate names one). Aggregate metadata is what the scheduler matches a
 * flavor's "aggregate_instance_extra_specs:KEY" extra specs against.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_AGGREGATE_H
#define LIBCLOUD_AGGREGATE_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** An immutable snapshot of one aggregate. */
typedef struct lc_aggregate lc_aggregate;
/** An iterator over aggregates. */
typedef struct lc_aggregate_iter lc_aggregate_iter;
/** A snapshot of every availability zone. */
typedef struct lc_availability_zones lc_availability_zones;

/** Longest aggregate name, zone name, metadata key and value (bytes). */
#define LC_AGGREGATE_NAME_MAX 255
/** Most metadata entries on one aggregate. */
#define LC_AGGREGATE_METADATA_MAX 128

/** Current version of lc_aggregate_opts. */
#define LC_AGGREGATE_OPTS_VERSION 1

/** Attributes for lc_aggregate_create() and lc_aggregate_update(). NULL means "not given". */
typedef struct lc_aggregate_opts {
	unsigned int version;          /**< LC_AGGREGATE_OPTS_VERSION */
	const char *name;              /**< 1..255 bytes, unique; required on create */
	const char *availability_zone; /**< 1..255 bytes (no ':'), or "" (update) to leave zones */
} lc_aggregate_opts;

/** Static initialiser for lc_aggregate_opts: nothing given. */
#define LC_AGGREGATE_OPTS_INIT { LC_AGGREGATE_OPTS_VERSION, NULL, NULL }

/**
 * Initialise an lc_aggregate_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_AGGREGATE_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_aggregate_opts_init(lc_aggregate_opts *opts, unsigned int version);

/**
 * Create an aggregate. It gets a UUID and a number (1, 2, ...: Nova's integer id).
 *
 * @param out out, may be NULL: the new aggregate; free with lc_aggregate_free()
 * @param s the caller; needs admin (policy "compute:create_aggregate")
 * @param opts name required
 * @return 0, LC_EINVALID, LC_EEXISTS (name taken), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_aggregate_create(lc_aggregate **out, lc_session *s, const lc_aggregate_opts *opts);

/**
 * Get an aggregate by its UUID or its number (decimal text).
 *
 * @param out out: the snapshot; free with lc_aggregate_free()
 * @param s the caller; needs admin (policy "compute:get_aggregate")
 * @param id the UUID or the number
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_aggregate_get(lc_aggregate **out, lc_session *s, const char *id);

/**
 * Find an aggregate by name.
 *
 * @param out out: the snapshot; free with lc_aggregate_free()
 * @param s the caller; needs admin (policy "compute:get_aggregate")
 * @param name the name
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_aggregate_find(lc_aggregate **out, lc_session *s, const char *name);

/**
 * Rename an aggregate or change its zone. A zone change that would put one
 * of its hosts in two zones is refused.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs admin (policy "compute:update_aggregate")
 * @param id the UUID or the number
 * @param opts name and/or availability_zone
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EEXISTS, LC_ECONFLICT, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_aggregate_update(lc_aggregate **out, lc_session *s, const char *id, const lc_aggregate_opts *opts);

/**
 * Delete an aggregate; it must hold no host.
 *
 * @param s the caller; needs admin (policy "compute:delete_aggregate")
 * @param id the UUID or the number
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (not empty), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_aggregate_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Add a compute host to an aggregate.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs admin (policy "compute:update_aggregate")
 * @param id the UUID or the number
 * @param host a compute host's name
 * @return 0, LC_EINVALID, LC_ENOTFOUND (aggregate or host), LC_EEXISTS (a
 *         member already), LC_ECONFLICT (the host is in another zone), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_aggregate_add_host(lc_aggregate **out, lc_session *s, const char *id, const char *host);

/**
 * Remove a compute host from an aggregate.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs admin (policy "compute:update_aggregate")
 * @param id the UUID or the number
 * @param host the host's name
 * @return 0, LC_EINVALID, LC_ENOTFOUND (aggregate, or not a member), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_aggregate_remove_host(lc_aggregate **out, lc_session *s, const char *id, const char *host);

/**
 * Set and remove metadata entries in one transaction. The key
 * "availability_zone" is the zone (as in Nova).
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs admin (policy "compute:update_aggregate")
 * @param id the UUID or the number
 * @param metadata key, value, ..., NULL; a NULL value removes the key
 *        (the list then ends at the next NULL key: pass pairs explicitly)
 * @param count number of pairs in metadata
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (zone clash), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_aggregate_set_metadata(lc_aggregate **out, lc_session *s, const char *id,
					const char *const *metadata, size_t count);

/**
 * Start listing aggregates in creation order. Filter: "name".
 *
 * @param out out: the iterator; free with lc_aggregate_iter_free()
 * @param s the caller; needs admin (policy "compute:list_aggregates")
 * @param opts paging and filters, or NULL
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_aggregate_iter_new(lc_aggregate_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next aggregate of an iterator.
 *
 * @param out out: the next snapshot; free with lc_aggregate_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_aggregate_iter_next(lc_aggregate **out, lc_aggregate_iter *it);

/**
 * Free an aggregate iterator. NULL-safe.
 *
 * @param it the iterator, or NULL
 * @note Since 0.1.
 */
LC_EXTERN void lc_aggregate_iter_free(lc_aggregate_iter *it);

/** The aggregate's UUID; borrowed until lc_aggregate_free(). @param a the aggregate @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_aggregate_id(const lc_aggregate *a);
/** The aggregate's number (Nova's integer id). @param a the aggregate @return the number. @note Since 0.1. */
LC_EXTERN int64_t lc_aggregate_number(const lc_aggregate *a);
/** The name; borrowed. @param a the aggregate @return the name. @note Since 0.1. */
LC_EXTERN const char *lc_aggregate_name(const lc_aggregate *a);
/** The availability zone, or NULL; borrowed. @param a the aggregate @return the zone. @note Since 0.1. */
LC_EXTERN const char *lc_aggregate_availability_zone(const lc_aggregate *a);
/** Number of member hosts. @param a the aggregate @return the count. @note Since 0.1. */
LC_EXTERN size_t lc_aggregate_host_count(const lc_aggregate *a);
/** A member host's name by index; borrowed. @param a the aggregate @param n the index @return the name, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_aggregate_host(const lc_aggregate *a, size_t n);
/** Number of metadata entries. @param a the aggregate @return the count. @note Since 0.1. */
LC_EXTERN size_t lc_aggregate_metadata_count(const lc_aggregate *a);
/** A metadata key by index; borrowed. @param a the aggregate @param n the index @return the key, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_aggregate_metadata_key(const lc_aggregate *a, size_t n);
/** A metadata value by index; borrowed. @param a the aggregate @param n the index @return the value, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_aggregate_metadata_value(const lc_aggregate *a, size_t n);
/** A metadata value by key; borrowed. @param a the aggregate @param key the key @return the value, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_aggregate_metadata(const lc_aggregate *a, const char *key);
/** Creation time. @param a the aggregate @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_aggregate_created_at(const lc_aggregate *a);
/** Time of the last change, or 0 if never changed. @param a the aggregate @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_aggregate_updated_at(const lc_aggregate *a);
/** Free an aggregate snapshot. NULL-safe. @param a the aggregate, or NULL. @note Since 0.1. */
LC_EXTERN void lc_aggregate_free(lc_aggregate *a);

/**
 * Read every availability zone: the zones named by aggregates, and
 * LC_DEFAULT_AVAILABILITY_ZONE when some host is in no zone. A zone is
 * available when one of its hosts is enabled and up.
 *
 * @param out out: the snapshot; free with lc_availability_zones_free()
 * @param s the caller (policy "compute:list_availability_zones"; host
 *        names only for admins)
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_availability_zones_get(lc_availability_zones **out, lc_session *s);
/** Number of zones. @param z the snapshot @return the count. @note Since 0.1. */
LC_EXTERN size_t lc_availability_zones_count(const lc_availability_zones *z);
/** A zone's name; borrowed. @param z the snapshot @param n the index @return the name, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_availability_zones_name(const lc_availability_zones *z, size_t n);
/** 1 if the zone has an enabled, up host. @param z the snapshot @param n the index @return 1 or 0. @note Since 0.1. */
LC_EXTERN int lc_availability_zones_available(const lc_availability_zones *z, size_t n);
/** Number of hosts in a zone (0 for non-admins). @param z the snapshot @param n the index @return the count. @note Since 0.1. */
LC_EXTERN size_t lc_availability_zones_host_count(const lc_availability_zones *z, size_t n);
/**
 * A host of a zone; borrowed.
 *
 * @param z the snapshot
 * @param n the zone's index
 * @param h the host's index
 * @return the host name, or NULL
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_availability_zones_host(const lc_availability_zones *z, size_t n, size_t h);
/** Free a zones snapshot. NULL-safe. @param z the snapshot, or NULL. @note Since 0.1. */
LC_EXTERN void lc_availability_zones_free(lc_availability_zones *z);

LC_END_DECLS

#endif
