/*
 * libcloud - compute: flavors (the sizes servers are made in), their extra
 * specs and, for private flavors, the projects that may use them.
 *
 * A flavor's sizes never change once it exists (as in Nova): a server keeps
 * a copy of the flavor it was built with, so deleting a flavor does not
 * touch the servers made from it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_FLAVOR_H
#define LIBCLOUD_FLAVOR_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** An immutable snapshot of one flavor. */
typedef struct lc_flavor lc_flavor;
/** An iterator over flavors. */
typedef struct lc_flavor_iter lc_flavor_iter;
/** One project's access to a private flavor. */
typedef struct lc_flavor_access lc_flavor_access;
/** An iterator over a flavor's access list. */
typedef struct lc_flavor_access_iter lc_flavor_access_iter;

/** Longest flavor id and name (bytes). */
#define LC_FLAVOR_NAME_MAX 255
/** Longest extra spec key and value (bytes). */
#define LC_FLAVOR_EXTRA_SPEC_MAX 255
/** Most extra specs on one flavor. */
#define LC_FLAVOR_EXTRA_SPECS_MAX 128

/** Current version of lc_flavor_opts. */
#define LC_FLAVOR_OPTS_VERSION 1

/**
 * Attributes for lc_flavor_create() and lc_flavor_update(). NULL strings,
 * -1 numbers and LC_UNSET booleans mean "not given". Only description can
 * change after create.
 */
typedef struct lc_flavor_opts {
	unsigned int version;    /**< LC_FLAVOR_OPTS_VERSION */
	const char *id;          /**< create: 1..255 of letters, digits, '.', '-', '_' and inner spaces; NULL: a new UUID */
	const char *name;        /**< create: 1..255 bytes, unique; required */
	int64_t vcpus;           /**< create: 1..65535; required */
	int64_t ram_mib;         /**< create: 1..(1 << 31); required */
	int64_t disk_gib;        /**< create: root disk, 0..(1 << 31) (0: the image's size); default 0 */
	int64_t ephemeral_gib;   /**< create: 0..(1 << 31); default 0 */
	int64_t swap_mib;        /**< create: 0..(1 << 31); default 0 */
	int is_public;           /**< create: 1 (default) or 0 (only projects given access see it) */
	const char *description; /**< 0..65535 bytes; "" clears */
} lc_flavor_opts;

/** Static initialiser for lc_flavor_opts: nothing given. */
#define LC_FLAVOR_OPTS_INIT { LC_FLAVOR_OPTS_VERSION, NULL, NULL, -1, -1, -1, -1, -1, LC_UNSET, NULL }

/**
 * Initialise an lc_flavor_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_FLAVOR_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_flavor_opts_init(lc_flavor_opts *opts, unsigned int version);

/**
 * Create a flavor. Durable when the call returns.
 *
 * @param out out, may be NULL: the new flavor; free with lc_flavor_free()
 * @param s the caller; needs admin (policy "compute:create_flavor")
 * @param opts name, vcpus and ram_mib required
 * @return 0, LC_EINVALID (bad id, name or size), LC_EEXISTS (id or name
 *         taken), LC_EFORBIDDEN, LC_ENOMEM, LC_EIO
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_flavor_create(lc_flavor **out, lc_session *s, const lc_flavor_opts *opts);

/**
 * Get a flavor by its id. A private flavor the caller's project has no
 * access to is LC_ENOTFOUND (admins see every flavor).
 *
 * @param out out: the snapshot; free with lc_flavor_free()
 * @param s the caller (policy "compute:get_flavor")
 * @param id the flavor id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_flavor_get(lc_flavor **out, lc_session *s, const char *id);

/**
 * Find a flavor by its exact name. Same visibility as lc_flavor_get().
 *
 * @param out out: the snapshot; free with lc_flavor_free()
 * @param s the caller (policy "compute:get_flavor")
 * @param name the name
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_flavor_find(lc_flavor **out, lc_session *s, const char *name);

/**
 * Change a flavor's description (the only mutable attribute).
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller; needs admin (policy "compute:update_flavor")
 * @param id the flavor id
 * @param opts description; every other field must be unset
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_flavor_update(lc_flavor **out, lc_session *s, const char *id, const lc_flavor_opts *opts);

/**
 * Delete a flavor with its extra specs and access list. Servers built from
 * it keep their copy.
 *
 * @param s the caller; needs admin (policy "compute:delete_flavor")
 * @param id the flavor id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_flavor_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing flavors in creation order. Filters: "is_public" ("true"
 * (default), "false", or "none": both; a non-admin sees private flavors only
 * through its project's access), "min_ram" (MiB), "min_disk" (GiB), "name".
 * The marker is a flavor id.
 *
 * @param out out: the iterator; free with lc_flavor_iter_free()
 * @param s the caller (policy "compute:list_flavors")
 * @param opts paging and filters, or NULL
 * @return 0, LC_EINVALID (bad filter, unknown marker), LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_flavor_iter_new(lc_flavor_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next flavor of an iterator.
 *
 * @param out out: the next snapshot; free with lc_flavor_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_flavor_iter_next(lc_flavor **out, lc_flavor_iter *it);

/**
 * Free a flavor iterator. NULL-safe.
 *
 * @param it the iterator, or NULL
 * @note Since 0.1.
 */
LC_EXTERN void lc_flavor_iter_free(lc_flavor_iter *it);

/**
 * Set (add or replace) extra specs of a flavor, in one transaction.
 * Keys and values are 1..255 bytes; keys may hold letters, digits, '_',
 * '-', '.', ':' and spaces.
 *
 * @param out out, may be NULL: the updated flavor
 * @param s the caller; needs admin (policy "compute:set_flavor_extra_specs")
 * @param id the flavor id
 * @param specs key, value, ..., NULL (at least one pair)
 * @return 0, LC_EINVALID (bad key or value, more than
 *         LC_FLAVOR_EXTRA_SPECS_MAX), LC_ENOTFOUND, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_flavor_set_extra_specs(lc_flavor **out, lc_session *s, const char *id,
					const char *const *specs);

/**
 * Remove one extra spec of a flavor.
 *
 * @param s the caller; needs admin (policy "compute:set_flavor_extra_specs")
 * @param id the flavor id
 * @param key the key
 * @return 0, LC_EINVALID, LC_ENOTFOUND (no flavor, or no such key), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_flavor_unset_extra_spec(lc_session *s, const char *id, const char *key);

/**
 * Give a project access to a private flavor.
 *
 * @param s the caller; needs admin (policy "compute:flavor_access")
 * @param id the flavor id
 * @param project_id an existing project
 * @return 0, LC_EINVALID, LC_ENOTFOUND (flavor or project), LC_ECONFLICT
 *         (the flavor is public), LC_EEXISTS (already given), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_flavor_access_add(lc_session *s, const char *id, const char *project_id);

/**
 * Take a project's access to a private flavor away.
 *
 * @param s the caller; needs admin (policy "compute:flavor_access")
 * @param id the flavor id
 * @param project_id the project
 * @return 0, LC_EINVALID, LC_ENOTFOUND (no flavor, or no such access), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_flavor_access_remove(lc_session *s, const char *id, const char *project_id);

/**
 * List the projects with access to a private flavor.
 *
 * @param out out: the iterator; free with lc_flavor_access_iter_free()
 * @param s the caller; needs admin (policy "compute:flavor_access")
 * @param id the flavor id
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (the flavor is public),
 *         LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_flavor_access_iter_new(lc_flavor_access_iter **out, lc_session *s, const char *id);

/**
 * Next access entry.
 *
 * @param out out: the entry; free with lc_flavor_access_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_flavor_access_iter_next(lc_flavor_access **out, lc_flavor_access_iter *it);

/**
 * Free an access iterator. NULL-safe.
 *
 * @param it the iterator, or NULL
 * @note Since 0.1.
 */
LC_EXTERN void lc_flavor_access_iter_free(lc_flavor_access_iter *it);

/** The flavor id of an access entry; borrowed. @param a the entry @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_flavor_access_flavor_id(const lc_flavor_access *a);
/** The project of an access entry; borrowed. @param a the entry @return the project id. @note Since 0.1. */
LC_EXTERN const char *lc_flavor_access_project_id(const lc_flavor_access *a);
/** Free an access entry. NULL-safe. @param a the entry, or NULL. @note Since 0.1. */
LC_EXTERN void lc_flavor_access_free(lc_flavor_access *a);

/** The flavor's id; borrowed until lc_flavor_free(). @param f the flavor @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_flavor_id(const lc_flavor *f);
/** The flavor's name; borrowed. @param f the flavor @return the name. @note Since 0.1. */
LC_EXTERN const char *lc_flavor_name(const lc_flavor *f);
/** The description, "" if none; borrowed. @param f the flavor @return the text. @note Since 0.1. */
LC_EXTERN const char *lc_flavor_description(const lc_flavor *f);
/** Virtual CPUs. @param f the flavor @return the count. @note Since 0.1. */
LC_EXTERN int64_t lc_flavor_vcpus(const lc_flavor *f);
/** Memory. @param f the flavor @return MiB. @note Since 0.1. */
LC_EXTERN int64_t lc_flavor_ram_mib(const lc_flavor *f);
/** Root disk. @param f the flavor @return GiB. @note Since 0.1. */
LC_EXTERN int64_t lc_flavor_disk_gib(const lc_flavor *f);
/** Ephemeral disk. @param f the flavor @return GiB. @note Since 0.1. */
LC_EXTERN int64_t lc_flavor_ephemeral_gib(const lc_flavor *f);
/** Swap. @param f the flavor @return MiB. @note Since 0.1. */
LC_EXTERN int64_t lc_flavor_swap_mib(const lc_flavor *f);
/** 1 if public. @param f the flavor @return 1 or 0. @note Since 0.1. */
LC_EXTERN int lc_flavor_is_public(const lc_flavor *f);
/** Creation time. @param f the flavor @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_flavor_created_at(const lc_flavor *f);
/** Number of extra specs. @param f the flavor @return the count. @note Since 0.1. */
LC_EXTERN size_t lc_flavor_extra_spec_count(const lc_flavor *f);
/** An extra spec's key by index; borrowed. @param f the flavor @param n the index @return the key, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_flavor_extra_spec_key(const lc_flavor *f, size_t n);
/** An extra spec's value by index; borrowed. @param f the flavor @param n the index @return the value, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_flavor_extra_spec_value(const lc_flavor *f, size_t n);
/** An extra spec's value by key; borrowed. @param f the flavor @param key the key @return the value, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_flavor_extra_spec(const lc_flavor *f, const char *key);
/** Free a flavor snapshot. NULL-safe. @param f the flavor, or NULL. @note Since 0.1. */
LC_EXTERN void lc_flavor_free(lc_flavor *f);

LC_END_DECLS

#endif
