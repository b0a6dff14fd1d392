/* Internal: Glance v2 over the public C API (handlers and their helpers). */
#ifndef LC_API_GLANCE_H
#define LC_API_GLANCE_H

#include <libcloud/image.h>
#include <libcloud/list.h>

#include "api/internal.h"

/* Image JSON as Glance shows it: flat, properties at the top level. */
void gl_gen_image(lc__api_ctx *x, yajl_gen g, const lc_image *img);
void gl_gen_member(lc__api_ctx *x, yajl_gen g, const lc_image_member *m);
/* Reply with one image (and free it). */
int gl_reply_image(lc__api_ctx *x, lc_image *img, int status);
/* A C API error on a lookup by a path id: an unknown or malformed id reads as 404. */
int gl_lookup_rc(int rc, const char *what, const char *id);
/* Unix microseconds as Glance's "2026-01-01T00:00:00Z". */
const char *gl_time(lc__api_ctx *x, int64_t us);
/* 1 if name is an image attribute clients may not set. */
int gl_read_only(const char *name);

int gl_versions(lc__api_ctx *x);
int gl_schema_image(lc__api_ctx *x);
int gl_schema_images(lc__api_ctx *x);
int gl_schema_member(lc__api_ctx *x);
int gl_schema_members(lc__api_ctx *x);
int gl_info_import(lc__api_ctx *x);
int gl_info_stores(lc__api_ctx *x);

int gl_image_list(lc__api_ctx *x);
int gl_image_create(lc__api_ctx *x);
int gl_image_get(lc__api_ctx *x);
int gl_image_patch(lc__api_ctx *x);
int gl_image_delete(lc__api_ctx *x);
int gl_image_deactivate(lc__api_ctx *x);
int gl_image_reactivate(lc__api_ctx *x);
int gl_tag_put(lc__api_ctx *x);
int gl_tag_delete(lc__api_ctx *x);

int gl_file_put(lc__api_ctx *x);
int gl_file_get(lc__api_ctx *x);
int gl_import(lc__api_ctx *x);

int gl_member_list(lc__api_ctx *x);
int gl_member_create(lc__api_ctx *x);
int gl_member_get(lc__api_ctx *x);
int gl_member_update(lc__api_ctx *x);
int gl_member_delete(lc__api_ctx *x);

#endif
