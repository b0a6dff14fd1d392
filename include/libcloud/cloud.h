/*
 * libcloud - the cloud handle: one data directory.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_CLOUD_H
#define LIBCLOUD_CLOUD_H

#include "common.h"

LC_BEGIN_DECLS

/** Log levels passed to the host's log callback. */
typedef enum lc_log_level {
	LC_LOG_ERROR = 0,
	LC_LOG_WARN = 1,
	LC_LOG_INFO = 2,
	LC_LOG_DEBUG = 3
} lc_log_level;

/**
 * Host logging callback. The library never prints: every log line goes here.
 *
 * @param level an lc_log_level
 * @param message NUL-terminated text, valid only during the call
 * @param payload the log_payload given in lc_cloud_opts
 * @note May be called from any thread that calls into the library.
 */
typedef void (*lc_log_cb)(int level, const char *message, void *payload);

/** Password hashing strength (argon2id via libsodium). */
typedef enum lc_pwhash_strength {
	LC_PWHASH_INTERACTIVE = 0, /**< libsodium's interactive limits (default) */
	LC_PWHASH_MODERATE = 1,    /**< libsodium's moderate limits */
	LC_PWHASH_MIN = 2          /**< the smallest limits argon2id allows: tests only */
} lc_pwhash_strength;

/** Current version of lc_cloud_opts. */
#define LC_CLOUD_OPTS_VERSION 1

/**
 * Options of a cloud, given to lc_cloud_new(). Initialise with
 * LC_CLOUD_OPTS_INIT or lc_cloud_opts_init(); fields are only ever appended.
 */
typedef struct lc_cloud_opts {
	unsigned int version;           /**< LC_CLOUD_OPTS_VERSION */
	lc_log_cb log_cb;               /**< NULL: logging off */
	void *log_payload;              /**< passed to log_cb */
	int log_level;                  /**< most verbose lc_log_level delivered */
	uint64_t map_size_bytes;        /**< initial LMDB map size; 0: 64 MiB, at least 1 MiB. Grows on demand */
	unsigned int token_ttl_seconds; /**< token lifetime; 0: 3600 */
	int pwhash_strength;            /**< an lc_pwhash_strength */
	unsigned int token_keys_kept;   /**< token keys kept after rotation; 0: 3 */
} lc_cloud_opts;

/** Static initialiser for lc_cloud_opts with every default. */
#define LC_CLOUD_OPTS_INIT { LC_CLOUD_OPTS_VERSION, NULL, NULL, LC_LOG_WARN, 0, 0, LC_PWHASH_INTERACTIVE, 0 }

/**
 * Initialise an lc_cloud_opts with defaults (for bindings that cannot use
 * LC_CLOUD_OPTS_INIT).
 *
 * @param opts out: the struct to fill
 * @param version LC_CLOUD_OPTS_VERSION
 * @return 0, or LC_EINVALID if opts is NULL or version is unknown
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_cloud_opts_init(lc_cloud_opts *opts, unsigned int version);

/**
 * Create a cloud handle, not yet bound to a directory.
 *
 * Register drivers on it, then call lc_cloud_open().
 *
 * @param out out: the new handle; NULL on failure. Free with lc_cloud_free()
 * @param opts options, or NULL for defaults; copied
 * @return 0, LC_EINVALID (NULL out, bad version or value), LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_cloud_new(lc_cloud **out, const lc_cloud_opts *opts);

/** lc_cloud_open() flags. */
typedef enum lc_cloud_open_flags {
	LC_CLOUD_OPEN_CREATE = 1u << 0, /**< create the directory layout if missing */
	LC_CLOUD_OPEN_NOSYNC = 1u << 1  /**< do not fsync commits: mutations are not durable (tests, bulk loads) */
} lc_cloud_open_flags;

/**
 * Open the cloud's data directory: the metadata store under DIR/meta, token
 * keys under DIR/keys, bulk data under DIR/data. Migrates stored records to
 * the current schema and reconciles records left in transitional states.
 *
 * Another process may open the same directory at the same time (LMDB's
 * multi-process model); the same process must not open it twice.
 *
 * @param c a handle from lc_cloud_new(), not yet opened
 * @param dir the data directory; must exist unless LC_CLOUD_OPEN_CREATE
 * @param flags a combination of lc_cloud_open_flags
 * @return 0, LC_EINVALID (NULL, empty, unknown flags, already open),
 *         LC_ENOTFOUND (no directory), LC_EIO (not writable, OS error),
 *         LC_ECORRUPT (the metadata is not a libcloud store or is damaged),
 *         LC_ENOMEM
 * @note Call once, before any other use of c. Since 0.1.
 */
LC_EXTERN int lc_cloud_open(lc_cloud *c, const char *dir, unsigned int flags);

/**
 * Close and free a cloud. NULL-safe. All sessions, snapshots and iterators
 * made from it must have been freed.
 *
 * @param c the cloud, or NULL
 * @note Not to be called concurrently with other calls on c. Since 0.1.
 */
LC_EXTERN void lc_cloud_free(lc_cloud *c);

/**
 * The directory an opened cloud lives in.
 *
 * @param c an opened cloud
 * @return the path given to lc_cloud_open(), owned by c; NULL if not opened
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN const char *lc_cloud_path(const lc_cloud *c);

LC_END_DECLS

#endif
