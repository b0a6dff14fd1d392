/*
 * Internal: the image record types, declared once as shape tables.
 * The REST layer reads these tables (read-only) for its JSON.
 */
#ifndef LC_IMAGE_SHAPES_H
#define LC_IMAGE_SHAPES_H

#include "core/record.h"

enum {
	IMG_ID, IMG_NAME, IMG_STATUS, IMG_VISIBILITY, IMG_OWNER, IMG_DISK_FORMAT, IMG_CONTAINER_FORMAT,
	IMG_PROTECTED, IMG_HIDDEN, IMG_MIN_RAM, IMG_MIN_DISK, IMG_SIZE, IMG_VIRTUAL_SIZE, IMG_CHECKSUM,
	IMG_HASH_ALGO, IMG_HASH_VALUE, IMG_TAGS, IMG_PROPERTIES, IMG_STORE, IMG_LOCATION, IMG_UPLOADER,
	IMG_CREATED, IMG_UPDATED, IMG_NFIELDS
};
enum { MEM_ID, MEM_IMAGE, MEM_MEMBER, MEM_STATUS, MEM_CREATED, MEM_UPDATED, MEM_NFIELDS };

/* Index numbers within each shape's index table. */
enum { IMG_IX_OWNER };
enum { MEM_IX_MEMBER };

extern const lc__shape lc__image_shape;
extern const lc__shape lc__image_member_shape;

/* Every image database, NULL-terminated (for the store). */
extern const lc__dbdef *const lc__image_dbs[];

#endif
