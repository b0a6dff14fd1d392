/* Internal: state and cross-file helpers of the image service. */
#ifndef LC_IMAGE_IMAGE_H
#define LC_IMAGE_IMAGE_H

#include <libcloud/image.h>
#include <libcloud/sys/image_store.h>

#include "core/cloud.h"
#include "core/record.h"
#include "core/session.h"
#include "image/shapes.h"

#define LC__IMAGE_DEFAULT_STORE "file"
#define LC__IMAGE_SOURCE_STORE "http"
#define LC__UPLOADER_MAX 64

struct lc_image {
	lc__rec rec;
};

/* Known values. */
int lc__image_disk_format_ok(const char *s);
int lc__image_container_format_ok(const char *s);
int lc__image_visibility_ok(const char *s);

/* 1 if s may see image r (admin, owner, public/community, or a member of a shared image). */
int lc__image_visible(lc__txn *t, const lc_session *s, const lc__rec *r, void *p);
/* 1 if s belongs to the image's owner project (or is admin). */
int lc__image_is_owner(const lc_session *s, const lc__rec *r);

/*
 * In a write or read transaction: load image `id`, check it is visible to s
 * (else LC_ENOTFOUND) and, when op is not NULL, that policy allows op on its
 * owner (else LC_EFORBIDDEN). *out is the caller's to free.
 */
int lc__image_load(lc__txn *t, lc_session *s, const char *id, const char *op, lc__rec **out);

/* The image store named name (a registered driver), or LC_ENOTFOUND. */
int lc__image_store_find(lc_image_store **out, const lc_cloud *c, const char *name);

/* This process as an uploader: "pid:starttime". */
void lc__image_uploader_self(char out[LC__UPLOADER_MAX]);
/* 1 if the uploader named by text is a running process. */
int lc__image_uploader_alive(const char *text);

/* Members: delete every membership of an image (in its delete transaction). */
int lc__image_members_purge(lc__txn *t, const char *image_id);
/* The status of project's membership of an image: 0 with status copied, LC_ENOTFOUND if none. */
int lc__image_member_status(lc__txn *t, const char *image_id, const char *project_id, char *status, size_t sz);

/* Tags and properties, kept as NUL-separated lists in blob fields. */
size_t lc__list_count(const lc__val *v);
const char *lc__list_item(const lc__val *v, size_t n);
const char *lc__props_get(const lc__val *v, const char *key);

/*
 * Where the data of an upload comes from. pull fills buf with up to cap
 * bytes (*out_len 0 at the end) and returns 0, or a negative LC_E* code
 * with the detail set. The upload engine (upload.c) drives it.
 */
typedef struct lc__image_source {
	int (*pull)(size_t *out_len, void *buf, size_t cap, void *payload);
	void *payload;
	int64_t size;                  /* announced size, or -1 */
	int64_t max_bytes;             /* cap (> 0) */
	const char *op;                /* policy op; NULL: "image:upload_image" */
	const char *store;             /* destination store name, or NULL */
	lc_image_progress_cb progress;
	void *progress_payload;
} lc__image_source;

/* Run an upload: begin (queued -> saving), stream, commit (saving -> active). */
int lc__image_upload_run(lc_image **out, lc_session *s, const char *id, const lc__image_source *src);

/*
 * The snapshot hook for compute: create an image from a server's disk file
 * (opts as lc_image_create(), owner the session's project) and upload the
 * file into it. On failure after the create, the image is deleted again.
 */
int lc__image_snapshot(lc_image **out, lc_session *s, const lc_image_opts *opts, const char *disk_path);

#endif
