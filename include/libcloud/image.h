/*
 * libcloud - images (the Glance v2 model): records, sharing, and their data
 * streamed to and from an image store.
 *
 * An image is created `queued`; uploading data moves it through `saving` to
 * `active` (size, md5 checksum and sha512 hash computed while streaming);
 * an admin may deactivate and reactivate it. Data lives in an image store
 * (see sys/image_store.h); the default store is "file", under the cloud's
 * directory.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_IMAGE_H
#define LIBCLOUD_IMAGE_H

#include "common.h"
#include "list.h"

LC_BEGIN_DECLS

/** An immutable snapshot of one image. */
typedef struct lc_image lc_image;
/** An iterator over images. */
typedef struct lc_image_iter lc_image_iter;
/** A pull-style reader of an image's data. */
typedef struct lc_image_reader lc_image_reader;
/** An immutable snapshot of one image membership. */
typedef struct lc_image_member lc_image_member;
/** An iterator over the members of an image. */
typedef struct lc_image_member_iter lc_image_member_iter;

/** Longest image name (bytes). */
#define LC_IMAGE_NAME_MAX 255
/** Longest tag (bytes). */
#define LC_IMAGE_TAG_MAX 255
/** Most tags on one image. */
#define LC_IMAGE_TAGS_MAX 128
/** Longest property key (bytes). */
#define LC_IMAGE_PROPERTY_KEY_MAX 255
/** Longest property value (bytes). */
#define LC_IMAGE_PROPERTY_VALUE_MAX 65535
/** Most properties on one image. */
#define LC_IMAGE_PROPERTIES_MAX 128
/** Default largest image accepted (bytes): 1 TiB, as Glance's image_size_cap. */
#define LC_IMAGE_SIZE_CAP (INT64_C(1) << 40)
/** Default largest web-download import (bytes). */
#define LC_IMAGE_IMPORT_CAP (INT64_C(1) << 40)

/** Current version of lc_image_opts. */
#define LC_IMAGE_OPTS_VERSION 1

/**
 * Attributes for lc_image_create() and lc_image_update(). NULL strings,
 * LC_UNSET booleans and -1 numbers mean "not given".
 *
 * disk_format: "raw", "qcow2", "vmdk", "vhd", "vhdx", "vdi", "iso", "ami",
 * "ari", "aki". container_format: "bare", "ovf", "ova", "ami", "ari", "aki",
 * "docker". visibility: "public", "private", "shared" (the default),
 * "community". Both formats must be set before data is uploaded and can
 * change only while the image is queued.
 */
typedef struct lc_image_opts {
	unsigned int version;          /**< LC_IMAGE_OPTS_VERSION */
	const char *id;                /**< create only: the id to use (a UUID), or NULL for a new one */
	const char *name;              /**< 0..LC_IMAGE_NAME_MAX bytes; not unique */
	const char *disk_format;       /**< see above */
	const char *container_format;  /**< see above */
	const char *visibility;        /**< see above; "public" needs policy "image:publicize_image" (admin) */
	const char *owner;             /**< create only: owning project; admin only (default: the caller's project) */
	int is_protected;              /**< 1, 0 or LC_UNSET: a protected image cannot be deleted */
	int os_hidden;                 /**< 1, 0 or LC_UNSET: hidden from default listings */
	int64_t min_ram_mib;           /**< >= 0, or -1 */
	int64_t min_disk_gib;          /**< >= 0, or -1 */
	const char *const *tags;       /**< NULL, or tags ending with NULL: the image's whole tag list */
	const char *const *properties; /**< NULL, or key/value pairs ending with NULL: set (add or replace) */
	const char *const *remove_properties; /**< update only: NULL, or keys ending with NULL; each must exist */
	const char *const *add_tags;    /**< update only: NULL, or tags to add, ending with NULL */
	const char *const *remove_tags; /**< update only: NULL, or tags to remove, ending with NULL */
} lc_image_opts;

/** Static initialiser for lc_image_opts: nothing given. */
#define LC_IMAGE_OPTS_INIT { LC_IMAGE_OPTS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, LC_UNSET, LC_UNSET, \
			     -1, -1, NULL, NULL, NULL, NULL, NULL }

/**
 * Initialise an lc_image_opts: nothing given.
 *
 * @param opts out: the struct to fill
 * @param version LC_IMAGE_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_opts_init(lc_image_opts *opts, unsigned int version);

/**
 * Create an image record, status "queued", owned by the caller's project.
 * Charges one image to the owner's quota. Durable when the call returns.
 *
 * @param out out, may be NULL: the new image; free with lc_image_free()
 * @param s the caller (policy "image:add_image": member of the owner project)
 * @param opts attributes; remove_properties, add_tags, remove_tags must be NULL
 * @return 0, LC_EINVALID (bad name, format, visibility, tag, property, id),
 *         LC_EEXISTS (the id is taken), LC_EQUOTA, LC_EFORBIDDEN, LC_ENOMEM, LC_EIO
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_create(lc_image **out, lc_session *s, const lc_image_opts *opts);

/**
 * Get an image by id. An image the caller may not see (another project's
 * private or shared image, unless the caller is a member) is LC_ENOTFOUND.
 *
 * @param out out: the snapshot; free with lc_image_free()
 * @param s the caller (policy "image:get_image")
 * @param id the image id
 * @return 0, LC_EINVALID (malformed id), LC_ENOTFOUND, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_get(lc_image **out, lc_session *s, const char *id);

/**
 * Change an image: the attributes given in opts, properties set and
 * removed, tags replaced, added and removed, all in one transaction.
 *
 * @param out out, may be NULL: the updated snapshot
 * @param s the caller (policy "image:modify_image": member of the owner project)
 * @param id the image id
 * @param opts what to change (id and owner must be NULL)
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (a removed property
 *         does not exist; a format change after upload), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_update(lc_image **out, lc_session *s, const char *id, const lc_image_opts *opts);

/**
 * Delete an image and its data. Releases its quota. The data is removed
 * after the record (a crash in between leaves an orphan file that the next
 * lc_cloud_open() sweeps).
 *
 * @param s the caller (policy "image:delete_image")
 * @param id the image id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN (the image is protected
 *         or policy forbids it)
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_delete(lc_session *s, const char *id, unsigned int flags);

/**
 * Deactivate an active image: its data can no longer be downloaded, except
 * by an admin.
 *
 * @param s the caller (policy "image:deactivate": admin)
 * @param id the image id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT (not active or deactivated), LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_deactivate(lc_session *s, const char *id, unsigned int flags);

/**
 * Reactivate a deactivated image.
 *
 * @param s the caller (policy "image:reactivate": admin)
 * @param id the image id
 * @param flags must be 0
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ECONFLICT, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_reactivate(lc_session *s, const char *id, unsigned int flags);

/**
 * Start listing images, newest first by default. Filters (Glance's query
 * names): "name", "status", "visibility" ("public", "private", "shared",
 * "community", "all"), "owner", "member_status" ("accepted" by default;
 * "pending", "rejected", "all"), "os_hidden", "protected", "disk_format",
 * "container_format", "id", "tag" (may repeat: every tag must be present),
 * "size_min", "size_max" (bytes), "sort_key" (one of "name", "status",
 * "created_at", "updated_at", "size", "id", "disk_format",
 * "container_format", "visibility"), "sort_dir" ("asc"/"desc"). Any other
 * name filters on a property of that name. By default a caller sees its
 * project's images, public images, and shared images it accepted; community
 * images only with visibility=community; hidden images only with
 * os_hidden=true.
 *
 * @param out out: the iterator; free with lc_image_iter_free()
 * @param s the caller (policy "image:get_images")
 * @param opts paging and filters, or NULL; the marker is an image id
 * @return 0, LC_EINVALID (bad filter value, unknown marker), LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread; it reads the matching ids at
 *       creation, and each image when it is reached. Since 0.1.
 */
LC_EXTERN int lc_image_iter_new(lc_image_iter **out, lc_session *s, const lc_list_opts *opts);

/**
 * Next image of an iterator (images deleted since the iterator was made are skipped).
 *
 * @param out out: the next snapshot; free with lc_image_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_image_iter_next(lc_image **out, lc_image_iter *it);

/**
 * Free an image iterator. NULL-safe.
 *
 * @param it the iterator, or NULL
 * @note Since 0.1.
 */
LC_EXTERN void lc_image_iter_free(lc_image_iter *it);

/* ---- data ---- */

/**
 * Source of data for an upload: fill buf with up to cap bytes.
 *
 * @param out_len out: bytes written into buf; 0 means the end of the data
 * @param buf where to write
 * @param cap size of buf
 * @param payload the caller's pointer
 * @return 0 to go on; non-zero stops the upload with LC_EUSER
 */
typedef int (*lc_image_read_cb)(size_t *out_len, void *buf, size_t cap, void *payload);

/**
 * Sink of data for a download.
 *
 * @param buf the bytes, valid during the call
 * @param len their count (> 0)
 * @param payload the caller's pointer
 * @return 0 to go on; non-zero stops the download with LC_EUSER
 */
typedef int (*lc_image_write_cb)(const void *buf, size_t len, void *payload);

/**
 * Progress of an upload or an import.
 *
 * @param done_bytes bytes stored so far
 * @param total_bytes expected total, or -1 when unknown
 * @param payload the caller's pointer
 * @return 0 to go on; non-zero stops the transfer with LC_EUSER
 */
typedef int (*lc_image_progress_cb)(uint64_t done_bytes, int64_t total_bytes, void *payload);

/** Current version of lc_image_upload_opts. */
#define LC_IMAGE_UPLOAD_OPTS_VERSION 1

/** Options of lc_image_upload(). */
typedef struct lc_image_upload_opts {
	unsigned int version;          /**< LC_IMAGE_UPLOAD_OPTS_VERSION */
	int64_t size_bytes;            /**< the size announced (checked against the data), or -1 */
	int64_t max_bytes;             /**< refuse more than this (LC_ETOOLARGE); 0: LC_IMAGE_SIZE_CAP */
	const char *store;             /**< image store driver name; NULL: "file" */
	lc_image_progress_cb progress; /**< NULL, or called after each chunk */
	void *progress_payload;        /**< passed to progress */
} lc_image_upload_opts;

/** Static initialiser for lc_image_upload_opts. */
#define LC_IMAGE_UPLOAD_OPTS_INIT { LC_IMAGE_UPLOAD_OPTS_VERSION, -1, 0, NULL, NULL, NULL }

/**
 * Initialise an lc_image_upload_opts with defaults.
 *
 * @param opts out: the struct to fill
 * @param version LC_IMAGE_UPLOAD_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_upload_opts_init(lc_image_upload_opts *opts, unsigned int version);

/**
 * Upload an image's data from a reader callback. The image must be queued
 * with both formats set; it is `saving` during the call. The data is hashed
 * (md5, sha512) and inspected while it streams: the disk format found must
 * match the declared one, and qcow2 images with a backing or external data
 * file, VMDK descriptors that reference other files, and truncated or
 * inconsistent headers are refused. The data is written, fsynced and renamed
 * into place before the image turns `active`. Any failure (the reader's,
 * the format check, the quota, the size cap, the store) returns the image
 * to `queued` with no data kept and the quota unchanged.
 *
 * @param out out, may be NULL: the active image
 * @param s the caller (policy "image:upload_image": member of the owner project)
 * @param id the image id
 * @param opts options, or NULL for defaults
 * @param read the data source; called until it reports the end
 * @param payload passed to read
 * @return 0, LC_EINVALID (bad id, formats not set, data not of the declared
 *         format, unsafe image, size differs from size_bytes), LC_ENOTFOUND,
 *         LC_ECONFLICT (not queued), LC_EQUOTA (image bytes quota),
 *         LC_ETOOLARGE (over max_bytes), LC_EUSER (read or progress stopped),
 *         LC_ENOTFOUND (unknown store), LC_ENOTSUPPORTED (read-only store),
 *         LC_EFORBIDDEN, LC_EIO, LC_EBACKEND, LC_ENOMEM
 * @note Thread-safe. read is called in the calling thread. Since 0.1.
 */
LC_EXTERN int lc_image_upload(lc_image **out, lc_session *s, const char *id, const lc_image_upload_opts *opts,
			      lc_image_read_cb read, void *payload);

/**
 * Upload an image's data from a file, as lc_image_upload().
 *
 * @param out out, may be NULL: the active image
 * @param s the caller (policy "image:upload_image")
 * @param id the image id
 * @param path a regular file to read
 * @param opts options, or NULL (size_bytes is taken from the file)
 * @return as lc_image_upload(), and LC_EIO when the file cannot be read
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_upload_file(lc_image **out, lc_session *s, const char *id, const char *path,
				   const lc_image_upload_opts *opts);

/**
 * Open a reader over an active image's data, or a byte range of it.
 *
 * @param out out: the reader; free with lc_image_reader_free()
 * @param s the caller (policy "image:download_image"; the image must be visible)
 * @param id the image id
 * @param offset first byte (<= the image size)
 * @param length bytes to read, or -1 for everything after offset
 * @return 0, LC_EINVALID (bad id, range outside the data), LC_ENOTFOUND,
 *         LC_ECONFLICT (not active; deactivated for a non-admin),
 *         LC_EFORBIDDEN, LC_EIO, LC_EBACKEND, LC_ENOMEM
 * @note The reader belongs to one thread. It keeps the data readable while
 *       open, even if the image is deleted. Since 0.1.
 */
LC_EXTERN int lc_image_reader_open(lc_image_reader **out, lc_session *s, const char *id, uint64_t offset,
				   int64_t length);

/**
 * Read the next bytes of an image reader.
 *
 * @param out_len out: bytes written into buf; 0 at the end of the range
 * @param r the reader
 * @param buf where to write
 * @param cap size of buf (> 0)
 * @return 0, LC_EINVALID, LC_EIO, LC_EBACKEND, LC_ECORRUPT (the data is
 *         shorter than recorded)
 * @note Since 0.1.
 */
LC_EXTERN int lc_image_reader_read(size_t *out_len, lc_image_reader *r, void *buf, size_t cap);

/**
 * Bytes the reader will deliver in all (the range's length).
 *
 * @param r the reader
 * @return the length, or -1 if r is NULL
 * @note Since 0.1.
 */
LC_EXTERN int64_t lc_image_reader_length(const lc_image_reader *r);

/**
 * The md5 checksum of the whole image the reader reads (hex), for
 * Content-MD5 style checks.
 *
 * @param r the reader
 * @return a string borrowed until lc_image_reader_free(), or NULL
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_image_reader_checksum(const lc_image_reader *r);

/**
 * Close and free an image reader. NULL-safe.
 *
 * @param r the reader, or NULL
 * @note Since 0.1.
 */
LC_EXTERN void lc_image_reader_free(lc_image_reader *r);

/**
 * Download an active image's data (or a byte range) into a writer callback.
 *
 * @param s the caller (policy "image:download_image")
 * @param id the image id
 * @param offset first byte
 * @param length bytes, or -1 for everything after offset
 * @param write the sink
 * @param payload passed to write
 * @return as lc_image_reader_open() and lc_image_reader_read(), and
 *         LC_EUSER when write stopped
 * @note Thread-safe. write is called in the calling thread. Since 0.1.
 */
LC_EXTERN int lc_image_download(lc_session *s, const char *id, uint64_t offset, int64_t length,
				lc_image_write_cb write, void *payload);

/** Current version of lc_image_import_opts. */
#define LC_IMAGE_IMPORT_OPTS_VERSION 1

/** Options of lc_image_import(). */
typedef struct lc_image_import_opts {
	unsigned int version;          /**< LC_IMAGE_IMPORT_OPTS_VERSION */
	const char *method;            /**< "web-download" (the only method) */
	const char *uri;               /**< http:// or https:// URL; redirects may not leave http(s) */
	int64_t max_bytes;             /**< refuse more (LC_ETOOLARGE); 0: LC_IMAGE_IMPORT_CAP */
	const char *source_store;      /**< driver that fetches the URL; NULL: "http" */
	const char *store;             /**< store that keeps the data; NULL: "file" */
	lc_image_progress_cb progress; /**< NULL, or called as data arrives */
	void *progress_payload;        /**< passed to progress */
} lc_image_import_opts;

/** Static initialiser for lc_image_import_opts. */
#define LC_IMAGE_IMPORT_OPTS_INIT { LC_IMAGE_IMPORT_OPTS_VERSION, "web-download", NULL, 0, NULL, NULL, NULL, NULL }

/**
 * Initialise an lc_image_import_opts with defaults.
 *
 * @param opts out: the struct to fill
 * @param version LC_IMAGE_IMPORT_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_import_opts_init(lc_image_import_opts *opts, unsigned int version);

/**
 * Import an image's data from a URL (Glance's web-download), streamed into
 * the store exactly as lc_image_upload() does, with the same checks.
 * Runs in the calling thread until the transfer ends.
 *
 * @param out out, may be NULL: the active image
 * @param s the caller (policy "image:import_image")
 * @param id a queued image
 * @param opts method and uri required
 * @return as lc_image_upload(), and LC_EINVALID (unknown method, URL not
 *         http(s)), LC_ETOOLARGE (over max_bytes), LC_EBACKEND (the
 *         transfer failed, an HTTP error, a redirect to another scheme)
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_import(lc_image **out, lc_session *s, const char *id, const lc_image_import_opts *opts);

/* ---- getters ---- */

/** The image's id; borrowed until lc_image_free(). @param i the image @return the id. @note Since 0.1. */
LC_EXTERN const char *lc_image_id(const lc_image *i);
/** The image's name, "" if none; borrowed. @param i the image @return the name. @note Since 0.1. */
LC_EXTERN const char *lc_image_name(const lc_image *i);
/** "queued", "saving", "active", "deactivated", "killed" or "deleted"; borrowed. @param i the image @return the status. @note Since 0.1. */
LC_EXTERN const char *lc_image_status(const lc_image *i);
/** The visibility; borrowed. @param i the image @return "public", "private", "shared" or "community". @note Since 0.1. */
LC_EXTERN const char *lc_image_visibility(const lc_image *i);
/** The owning project's id, or NULL; borrowed. @param i the image @return the owner. @note Since 0.1. */
LC_EXTERN const char *lc_image_owner(const lc_image *i);
/** The disk format, or NULL if not set; borrowed. @param i the image @return the format. @note Since 0.1. */
LC_EXTERN const char *lc_image_disk_format(const lc_image *i);
/** The container format, or NULL if not set; borrowed. @param i the image @return the format. @note Since 0.1. */
LC_EXTERN const char *lc_image_container_format(const lc_image *i);
/** 1 if protected. @param i the image @return 1 or 0. @note Since 0.1. */
LC_EXTERN int lc_image_protected(const lc_image *i);
/** 1 if hidden from default listings. @param i the image @return 1 or 0. @note Since 0.1. */
LC_EXTERN int lc_image_os_hidden(const lc_image *i);
/** Size of the data in bytes. @param i the image @return the size, or -1 before upload. @note Since 0.1. */
LC_EXTERN int64_t lc_image_size(const lc_image *i);
/** Virtual disk size found in the data's header. @param i the image @return bytes, or -1 when unknown. @note Since 0.1. */
LC_EXTERN int64_t lc_image_virtual_size(const lc_image *i);
/** The md5 of the data in hex; borrowed. @param i the image @return the checksum, or NULL before upload. @note Since 0.1. */
LC_EXTERN const char *lc_image_checksum(const lc_image *i);
/** The multihash algorithm; borrowed. @param i the image @return "sha512", or NULL before upload. @note Since 0.1. */
LC_EXTERN const char *lc_image_os_hash_algo(const lc_image *i);
/** The multihash value in hex; borrowed. @param i the image @return the hash, or NULL before upload. @note Since 0.1. */
LC_EXTERN const char *lc_image_os_hash_value(const lc_image *i);
/** Minimum RAM to boot. @param i the image @return MiB. @note Since 0.1. */
LC_EXTERN int64_t lc_image_min_ram_mib(const lc_image *i);
/** Minimum disk to boot. @param i the image @return GiB. @note Since 0.1. */
LC_EXTERN int64_t lc_image_min_disk_gib(const lc_image *i);
/** The image store holding the data; borrowed. @param i the image @return the driver name, or NULL before upload. @note Since 0.1. */
LC_EXTERN const char *lc_image_store_name(const lc_image *i);
/** Creation time. @param i the image @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_image_created_at(const lc_image *i);
/** Time of the last change. @param i the image @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_image_updated_at(const lc_image *i);
/** Number of tags. @param i the image @return the count. @note Since 0.1. */
LC_EXTERN size_t lc_image_tag_count(const lc_image *i);
/** A tag by index; borrowed. @param i the image @param n 0..lc_image_tag_count()-1 @return the tag, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_image_tag(const lc_image *i, size_t n);
/** Number of free-form properties. @param i the image @return the count. @note Since 0.1. */
LC_EXTERN size_t lc_image_property_count(const lc_image *i);
/** A property's key by index; borrowed. @param i the image @param n the index @return the key, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_image_property_key(const lc_image *i, size_t n);
/** A property's value by index; borrowed. @param i the image @param n the index @return the value, or NULL. @note Since 0.1. */
LC_EXTERN const char *lc_image_property_value(const lc_image *i, size_t n);
/** A property's value by key; borrowed. @param i the image @param key the key @return the value, or NULL if absent. @note Since 0.1. */
LC_EXTERN const char *lc_image_property(const lc_image *i, const char *key);
/** Free an image snapshot. NULL-safe. @param i the image, or NULL. @note Since 0.1. */
LC_EXTERN void lc_image_free(lc_image *i);

/* ---- members (sharing) ---- */

/**
 * Share an image with a project: the image must have visibility "shared".
 * The new member is "pending" until the member project accepts it.
 *
 * @param out out, may be NULL: the membership
 * @param s the caller (policy "image:add_member": member of the owner project)
 * @param image_id the image
 * @param member_id an existing project (not the owner)
 * @return 0, LC_EINVALID, LC_ENOTFOUND (image, or no such project),
 *         LC_EEXISTS (already a member), LC_ECONFLICT (not shared),
 *         LC_EFORBIDDEN, LC_EQUOTA
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_member_add(lc_image_member **out, lc_session *s, const char *image_id, const char *member_id);

/**
 * Accept, reject or reset a share; only the member project may.
 *
 * @param out out, may be NULL: the membership
 * @param s the caller (policy "image:modify_member": the member project)
 * @param image_id the image
 * @param member_id the member project
 * @param status "accepted", "rejected" or "pending"
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_member_update(lc_image_member **out, lc_session *s, const char *image_id,
				     const char *member_id, const char *status);

/**
 * Get one membership.
 *
 * @param out out: the membership; free with lc_image_member_free()
 * @param s the caller: the owner project or the member project
 * @param image_id the image
 * @param member_id the member project
 * @return 0, LC_EINVALID, LC_ENOTFOUND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_member_get(lc_image_member **out, lc_session *s, const char *image_id, const char *member_id);

/**
 * Stop sharing an image with a project.
 *
 * @param s the caller (policy "image:delete_member": member of the owner project)
 * @param image_id the image
 * @param member_id the member project
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_EFORBIDDEN
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_image_member_delete(lc_session *s, const char *image_id, const char *member_id);

/**
 * List the members of an image: all of them for the owner, only its own
 * membership for a member project.
 *
 * @param out out: the iterator; free with lc_image_member_iter_free()
 * @param s the caller (policy "image:get_members")
 * @param image_id the image
 * @return 0, LC_EINVALID, LC_ENOTFOUND, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_image_member_iter_new(lc_image_member_iter **out, lc_session *s, const char *image_id);

/**
 * Next membership of an iterator.
 *
 * @param out out: the membership; free with lc_image_member_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER at the end, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_image_member_iter_next(lc_image_member **out, lc_image_member_iter *it);

/**
 * Free a member iterator. NULL-safe.
 *
 * @param it the iterator, or NULL
 * @note Since 0.1.
 */
LC_EXTERN void lc_image_member_iter_free(lc_image_member_iter *it);

/** The image of a membership; borrowed until lc_image_member_free(). @param m the membership @return the image id. @note Since 0.1. */
LC_EXTERN const char *lc_image_member_image_id(const lc_image_member *m);
/** The member project; borrowed. @param m the membership @return the project id. @note Since 0.1. */
LC_EXTERN const char *lc_image_member_member_id(const lc_image_member *m);
/** "pending", "accepted" or "rejected"; borrowed. @param m the membership @return the status. @note Since 0.1. */
LC_EXTERN const char *lc_image_member_status(const lc_image_member *m);
/** Creation time. @param m the membership @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_image_member_created_at(const lc_image_member *m);
/** Time of the last change. @param m the membership @return microseconds since the epoch. @note Since 0.1. */
LC_EXTERN int64_t lc_image_member_updated_at(const lc_image_member *m);
/** Free a membership snapshot. NULL-safe. @param m the membership, or NULL. @note Since 0.1. */
LC_EXTERN void lc_image_member_free(lc_image_member *m);

LC_END_DECLS

#endif
