/*
 * libcloud - the image store backend vtable.
 *
 * An image store keeps image data under opaque locations: it writes a new
 * object as a stream (put), reads an object or a byte range of it (get) and
 * removes objects. A read-only store (such as "http", the source of
 * web-download imports) leaves the put methods NULL and reads URLs.
 *
 * Built in: "file" (the default: data under DIR/data/images, written with
 * io_uring, fsynced and renamed into place) and "http" (libcurl, read-only).
 * The image service registers each of them at lc_cloud_open() unless the
 * host registered a store with that name. A host plugs its own store by
 * registering it with lc_cloud_add_driver() (kind LC_IMAGE_STORE_KIND).
 *
 * The vtable is append-only: new methods come with a new version, and a
 * NULL method means LC_ENOTSUPPORTED.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_SYS_IMAGE_STORE_H
#define LIBCLOUD_SYS_IMAGE_STORE_H

#include <libcloud/common.h>
#include <libcloud/sys/driver.h>

LC_BEGIN_DECLS

/** The driver kind of image stores. */
#define LC_IMAGE_STORE_KIND "image_store"
/** Current version of lc_image_store. */
#define LC_IMAGE_STORE_VERSION 1
/** Longest location a store may return, with its NUL (bytes). */
#define LC_IMAGE_LOCATION_MAX 1024

/** An image store; embed it first in the driver's own struct. */
typedef struct lc_image_store lc_image_store;
/** A write in progress, defined by the driver. */
typedef struct lc_image_store_writer lc_image_store_writer;
/** A read in progress, defined by the driver. */
typedef struct lc_image_store_reader lc_image_store_reader;

/**
 * Keep-or-remove decision of a sweep.
 *
 * @param location a location the store holds
 * @param payload the sweep's payload
 * @return 1 to keep the object, 0 to remove it
 */
typedef int (*lc_image_store_keep_cb)(const char *location, void *payload);

/** The image store vtable (version 1). Methods return 0 or a negative LC_E* code. */
struct lc_image_store {
	/** version LC_IMAGE_STORE_VERSION, kind LC_IMAGE_STORE_KIND, a name, free */
	lc_driver base;
	/**
	 * Bind to an opened cloud: called once by lc_cloud_open() with the
	 * cloud's directory (a store without its own root keeps its data under
	 * it). May be NULL.
	 */
	int (*attach)(lc_image_store *self, const char *cloud_dir);
	/**
	 * Start writing the data of an image. size_hint is the expected size or
	 * -1. NULL for a read-only store.
	 */
	int (*put_open)(lc_image_store_writer **out, lc_image_store *self, const char *image_id, int64_t size_hint);
	/**
	 * Append len bytes. buf stays valid and unchanged until the next
	 * put_write, put_commit or put_abort on the same writer returns, so a
	 * driver may write it asynchronously meanwhile.
	 */
	int (*put_write)(lc_image_store_writer *w, const void *buf, size_t len);
	/**
	 * Make the data durable under its final location and free the writer
	 * (also on failure, after removing what was written). The location is
	 * written, NUL-terminated, into loc[0..loc_size). A store whose final
	 * location is not the image id must make sure that a sweep never sees
	 * it before the image record points at it.
	 */
	int (*put_commit)(lc_image_store_writer *w, char *loc, size_t loc_size);
	/** Discard everything written and free the writer. */
	void (*put_abort)(lc_image_store_writer *w);
	/**
	 * Open a reader on a location (a URL for a source store) delivering
	 * bytes [offset, offset + length) (length -1: to the end). *size gets
	 * the number of bytes the reader will deliver, or -1 when unknown.
	 */
	int (*get_open)(lc_image_store_reader **out, int64_t *size, lc_image_store *self, const char *location,
			uint64_t offset, int64_t length);
	/** Read up to cap bytes; *out_len 0 at the end. */
	int (*get_read)(lc_image_store_reader *r, void *buf, size_t cap, size_t *out_len);
	/** Close and free a reader. */
	void (*get_close)(lc_image_store_reader *r);
	/** Remove the object at a location (LC_ENOTFOUND if absent). */
	int (*remove)(lc_image_store *self, const char *location);
	/**
	 * Remove abandoned partial writes, and each object for which keep()
	 * returns 0. Called by lc_cloud_open() after transitional images are
	 * reconciled; keep() returns 1 for a location equal to the id of an
	 * image whose upload is still running in another process.
	 */
	int (*sweep)(lc_image_store *self, lc_image_store_keep_cb keep, void *payload);
};

/** lc_image_store_file_new() flags. */
typedef enum lc_image_store_file_flags {
	LC_IMAGE_STORE_FILE_NO_URING = 1u << 0 /**< use pread/pwrite, never io_uring */
} lc_image_store_file_flags;

/**
 * Make a "file" image store: objects are files under root, written through
 * io_uring (or pread/pwrite where io_uring is unavailable), fsynced and
 * renamed into place. Register it with lc_cloud_add_driver().
 *
 * @param out out: the store, owned by the caller until registered
 * @param name the driver name ("file" replaces the built-in default)
 * @param root the directory to keep data in (created at attach), or NULL
 *        for DIR/data/images of the cloud it is attached to
 * @param flags lc_image_store_file_flags
 * @return 0, LC_EINVALID, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_store_file_new(lc_image_store **out, const char *name, const char *root, unsigned int flags);

/** lc_image_store_http_new() flags. */
typedef enum lc_image_store_http_flags {
	LC_IMAGE_STORE_HTTP_INSECURE = 1u << 0 /**< do not verify TLS certificates */
} lc_image_store_http_flags;

/**
 * Make a read-only "http" image store: get_open() takes an http:// or
 * https:// URL and streams it with libcurl. Redirects are followed (at most
 * 5) only to http(s); an HTTP error status is LC_EBACKEND.
 *
 * @param out out: the store, owned by the caller until registered
 * @param name the driver name ("http" replaces the built-in one)
 * @param flags lc_image_store_http_flags
 * @return 0, LC_EINVALID, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_store_http_new(lc_image_store **out, const char *name, unsigned int flags);

LC_END_DECLS

#endif
