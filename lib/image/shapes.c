/* The image record types: fields, limits, who may set what, and indexes. */
#include "image/shapes.h"

#include <libcloud/image.h>

static const lc__dbdef image_db = { "image", 0 }, image_owner_db = { "image.owner", MDB_DUPSORT };
/* A membership's key is "<image>/<project>": the members of an image are one range scan. */
static const lc__dbdef member_db = { "image_member", 0 }, member_project_db = { "image_member.member", MDB_DUPSORT };

#define SETTABLE (LC__F_CREATE | LC__F_UPDATE)

static const lc__field image_fields[] = {
	[IMG_ID] = { "id", LC__T_ID, 0, 0, LC__F_CREATE | LC__F_FILTER },
	[IMG_NAME] = { "name", LC__T_STR, 0, LC_IMAGE_NAME_MAX, SETTABLE | LC__F_NULLABLE | LC__F_FILTER },
	[IMG_STATUS] = { "status", LC__T_STR, 0, 16, LC__F_FILTER },
	[IMG_VISIBILITY] = { "visibility", LC__T_STR, 0, 16, SETTABLE | LC__F_FILTER },
	[IMG_OWNER] = { "owner", LC__T_ID, 0, 0, LC__F_CREATE | LC__F_NULLABLE | LC__F_FILTER },
	[IMG_DISK_FORMAT] = { "disk_format", LC__T_STR, 0, 16, SETTABLE | LC__F_NULLABLE | LC__F_FILTER },
	[IMG_CONTAINER_FORMAT] = { "container_format", LC__T_STR, 0, 16, SETTABLE | LC__F_NULLABLE | LC__F_FILTER },
	[IMG_PROTECTED] = { "protected", LC__T_BOOL, 0, 0, SETTABLE | LC__F_FILTER },
	[IMG_HIDDEN] = { "os_hidden", LC__T_BOOL, 0, 0, SETTABLE | LC__F_FILTER },
	[IMG_MIN_RAM] = { "min_ram", LC__T_INT, 0, 0, SETTABLE },
	[IMG_MIN_DISK] = { "min_disk", LC__T_INT, 0, 0, SETTABLE },
	[IMG_SIZE] = { "size", LC__T_INT, 0, 0, LC__F_NULLABLE },
	[IMG_VIRTUAL_SIZE] = { "virtual_size", LC__T_INT, 0, 0, LC__F_NULLABLE },
	[IMG_CHECKSUM] = { "checksum", LC__T_STR, 0, 32, LC__F_NULLABLE },
	[IMG_HASH_ALGO] = { "os_hash_algo", LC__T_STR, 0, 16, LC__F_NULLABLE },
	[IMG_HASH_VALUE] = { "os_hash_value", LC__T_STR, 0, 128, LC__F_NULLABLE },
	/* NUL-separated lists: tags "t1\0t2\0", properties "k1\0v1\0k2\0v2\0" */
	[IMG_TAGS] = { "tags", LC__T_BLOB, 0, 0, SETTABLE },
	[IMG_PROPERTIES] = { "properties", LC__T_BLOB, 0, 0, SETTABLE },
	[IMG_STORE] = { "store", LC__T_STR, 0, 64, LC__F_NULLABLE | LC__F_SECRET },
	[IMG_LOCATION] = { "location", LC__T_STR, 0, 1024, LC__F_NULLABLE | LC__F_SECRET },
	[IMG_UPLOADER] = { "uploader", LC__T_STR, 0, 64, LC__F_NULLABLE | LC__F_SECRET },
	[IMG_CREATED] = { "created_at", LC__T_TIME, 0, 0, 0 },
	[IMG_UPDATED] = { "updated_at", LC__T_TIME, 0, 0, 0 },
};
static const lc__index image_indexes[] = {
	[IMG_IX_OWNER] = { &image_owner_db, 1, { IMG_OWNER }, 0, "owner" },
};
const lc__shape lc__image_shape = {
	"image", &image_db, 1, IMG_NFIELDS, image_fields, 1, image_indexes, IMG_OWNER,
};

static const lc__field member_fields[] = {
	[MEM_ID] = { "id", LC__T_STR, 0, 80, 0 },
	[MEM_IMAGE] = { "image_id", LC__T_ID, 0, 0, 0 },
	[MEM_MEMBER] = { "member_id", LC__T_ID, 0, 0, LC__F_CREATE | LC__F_FILTER },
	[MEM_STATUS] = { "status", LC__T_STR, 0, 16, LC__F_UPDATE | LC__F_FILTER },
	[MEM_CREATED] = { "created_at", LC__T_TIME, 0, 0, 0 },
	[MEM_UPDATED] = { "updated_at", LC__T_TIME, 0, 0, 0 },
};
static const lc__index member_indexes[] = {
	[MEM_IX_MEMBER] = { &member_project_db, 1, { MEM_MEMBER }, 0, "member" },
};
const lc__shape lc__image_member_shape = {
	"image_member", &member_db, 1, MEM_NFIELDS, member_fields, 1, member_indexes, MEM_MEMBER,
};

const lc__dbdef *const lc__image_dbs[] = {
	&image_db, &image_owner_db, &member_db, &member_project_db, NULL,
};
