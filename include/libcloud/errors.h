/*
 * libcloud - error codes and the thread-local error detail.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_ERRORS_H
#define LIBCLOUD_ERRORS_H

#include "common.h"

LC_BEGIN_DECLS

/**
 * Error codes returned by every fallible libcloud call.
 *
 * Values are explicit and are never renumbered; new codes are appended.
 * A call returns 0 (LC_OK) on success or one of the negative values below.
 */
typedef enum lc_error_code {
	LC_OK = 0,             /**< success */
	LC_ERROR = -1,         /**< generic failure; see lc_error_last() */
	LC_ENOTFOUND = -3,     /**< no such resource (or not visible to the caller) */
	LC_EEXISTS = -4,       /**< a resource with that id or name already exists */
	LC_EINVALID = -5,      /**< an argument is invalid (NULL, empty, too long, malformed) */
	LC_ECONFLICT = -6,     /**< the request conflicts with the resource's state */
	LC_EQUOTA = -7,        /**< the request would exceed a quota */
	LC_EFORBIDDEN = -8,    /**< the caller is not allowed to do this */
	LC_EAUTH = -9,         /**< authentication failed (credentials or token) */
	LC_ENOTSUPPORTED = -10,/**< the operation is not supported (e.g. by a driver) */
	LC_EBACKEND = -11,     /**< a backend driver failed */
	LC_ENOMEM = -12,       /**< out of memory */
	LC_EUSER = -13,        /**< a user callback asked to stop */
	LC_EIO = -14,          /**< an operating-system I/O call failed */
	LC_ECORRUPT = -15,     /**< stored data is corrupt or of an unknown format */
	LC_ETOOLARGE = -16,    /**< the input is larger than allowed */
	LC_EBUSY = -17,        /**< the resource is locked or busy; retry later */
	LC_ITEROVER = -31      /**< an iterator has no more items (not an error) */
} lc_error_code;

/** The detail of the last error on the calling thread. */
typedef struct lc_error {
	int code;             /**< the lc_error_code, LC_OK if none */
	const char *message;  /**< human-readable detail, never NULL */
} lc_error;

/**
 * Static description of an error code.
 *
 * @param code an lc_error_code value
 * @return a constant string, never NULL ("unknown error" for unknown codes)
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN const char *lc_strerror(int code);

/**
 * The last error raised on the calling thread.
 *
 * Every public call clears it on entry, so after a failed call it holds that
 * call's detail (which argument, which value, which record).
 *
 * @return a pointer to thread-local storage, never NULL; valid until the next
 *         libcloud call on the same thread
 * @note Thread-safe (thread-local). Since 0.1.
 */
LC_EXTERN const lc_error *lc_error_last(void);

LC_END_DECLS

#endif
