/* Glance discovery: the versions document, the JSON schemas clients read, import methods, stores. */
#include "api/glance/glance.h"

#include <string.h>

static const struct {
	const char *id, *status;
} versions[] = {
	{ "v2.9", "CURRENT" }, { "v2.8", "SUPPORTED" }, { "v2.7", "SUPPORTED" }, { "v2.6", "SUPPORTED" },
	{ "v2.5", "SUPPORTED" }, { "v2.4", "SUPPORTED" }, { "v2.3", "SUPPORTED" }, { "v2.2", "SUPPORTED" },
	{ "v2.1", "SUPPORTED" }, { "v2.0", "SUPPORTED" },
};

int gl_versions(lc__api_ctx *x)
{
	const char *href = lc__arena_printf(x->arena, "%s/image/v2/", x->base);
	yajl_gen g = lc__json_begin(x);

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_karray(g, "versions");
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "id", versions[i].id);
		lc__gen_kstr(g, "status", versions[i].status);
		lc__gen_karray(g, "links");
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "rel", "self");
		lc__gen_kstr(g, "href", href);
		yajl_gen_map_close(g);
		lc__gen_end_array(g);
		yajl_gen_map_close(g);
	}
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
	/* GET /image answers 300 like Glance; the versioned paths 200 */
	return lc__json_end(x, g, x->nseg == 1 || (x->nseg == 2 && strcmp(x->segs[1], "versions") == 0) ? 300 : 200);
}

/* ---- schemas: what Glance publishes, enough for glanceclient and the SDK ---- */

typedef struct prop {
	const char *name;
	const char *type;   /* JSON type, or "string|null" */
	const char *const *values; /* enum, or NULL */
	int read_only;
	const char *description;
} prop;

static const char *const disk_formats[] = { "ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi",
					    "iso", NULL };
static const char *const container_formats[] = { "ami", "ari", "aki", "bare", "ovf", "ova", "docker", NULL };
static const char *const visibilities[] = { "community", "public", "private", "shared", NULL };
static const char *const statuses[] = { "queued", "saving", "active", "killed", "deleted", "uploading",
					"importing", "pending_delete", "deactivated", NULL };
static const char *const member_statuses[] = { "pending", "accepted", "rejected", NULL };

static const prop image_props[] = {
	{ "id", "string", NULL, 0, "An identifier for the image" },
	{ "name", "string|null", NULL, 0, "Descriptive name for the image" },
	{ "status", "string", statuses, 1, "Status of the image" },
	{ "visibility", "string", visibilities, 0, "Scope of image accessibility" },
	{ "protected", "boolean", NULL, 0, "If true, image will not be deletable." },
	{ "os_hidden", "boolean", NULL, 0, "If true, image will not appear in default image list response." },
	{ "checksum", "string|null", NULL, 1, "md5 hash of image contents." },
	{ "os_hash_algo", "string|null", NULL, 1, "Algorithm to calculate the os_hash_value" },
	{ "os_hash_value", "string|null", NULL, 1, "Hexdigest of the image contents" },
	{ "owner", "string|null", NULL, 0, "Owner of the image" },
	{ "size", "integer|null", NULL, 1, "Size of image file in bytes" },
	{ "virtual_size", "integer|null", NULL, 1, "Virtual size of image in bytes" },
	{ "container_format", "string|null", container_formats, 0, "Format of the container" },
	{ "disk_format", "string|null", disk_formats, 0, "Format of the disk" },
	{ "created_at", "string", NULL, 1, "Date and time of image registration" },
	{ "updated_at", "string", NULL, 1, "Date and time of the last image modification" },
	{ "tags", "array", NULL, 0, "List of strings related to the image" },
	{ "self", "string", NULL, 1, "An image self url" },
	{ "file", "string", NULL, 1, "An image file url" },
	{ "schema", "string", NULL, 1, "An image schema url" },
	{ "min_ram", "integer", NULL, 0, "Amount of ram (in MB) required to boot image." },
	{ "min_disk", "integer", NULL, 0, "Amount of disk space (in GB) required to boot image." },
	{ "stores", "string", NULL, 1, "Store in which image data resides." },
};

static const prop member_props[] = {
	{ "created_at", "string", NULL, 0, "Date and time of image member creation" },
	{ "image_id", "string", NULL, 0, "An identifier for the image" },
	{ "member_id", "string", NULL, 0, "An identifier for the image member (tenantId)" },
	{ "schema", "string", NULL, 1, "" },
	{ "status", "string", member_statuses, 0, "The status of this image member" },
	{ "updated_at", "string", NULL, 0, "Date and time of last modification of image member" },
};

static void gen_type(yajl_gen g, const char *type)
{
	const char *bar = strchr(type, '|');

	if (bar == NULL) {
		lc__gen_kstr(g, "type", type);
		return;
	}
	lc__gen_karray(g, "type");
	yajl_gen_string(g, (const unsigned char *)type, (size_t)(bar - type));
	lc__gen_str(g, bar + 1);
	lc__gen_end_array(g);
}

static void gen_schema(yajl_gen g, const char *name, const prop *props, size_t n, int image)
{
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "name", name);
	lc__gen_kmap(g, "properties");
	for (size_t i = 0; i < n; i++) {
		lc__gen_kmap(g, props[i].name);
		gen_type(g, props[i].type);
		if (props[i].read_only)
			lc__gen_kbool(g, "readOnly", 1);
		lc__gen_kstr(g, "description", props[i].description);
		if (props[i].values) {
			lc__gen_karray(g, "enum");
			for (const char *const *v = props[i].values; *v; v++)
				lc__gen_str(g, *v);
			if (strchr(props[i].type, '|'))
				yajl_gen_null(g);
			lc__gen_end_array(g);
		}
		if (strcmp(props[i].type, "array") == 0) {
			lc__gen_kmap(g, "items");
			lc__gen_kstr(g, "type", "string");
			lc__gen_kint(g, "maxLength", LC_IMAGE_TAG_MAX);
			lc__gen_end_map(g);
		}
		if (!strcmp(props[i].name, "name"))
			lc__gen_kint(g, "maxLength", LC_IMAGE_NAME_MAX);
		lc__gen_end_map(g);
	}
	lc__gen_end_map(g);
	if (image) {
		lc__gen_kmap(g, "additionalProperties");
		lc__gen_kstr(g, "type", "string");
		lc__gen_end_map(g);
		lc__gen_karray(g, "links");
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "rel", "self");
		lc__gen_kstr(g, "href", "{self}");
		yajl_gen_map_close(g);
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "rel", "enclosure");
		lc__gen_kstr(g, "href", "{file}");
		yajl_gen_map_close(g);
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "rel", "describedby");
		lc__gen_kstr(g, "href", "{schema}");
		yajl_gen_map_close(g);
		lc__gen_end_array(g);
	}
	yajl_gen_map_close(g);
}

static int reply_schema(lc__api_ctx *x, int image, int plural)
{
	yajl_gen g = lc__json_begin(x);
	const prop *props = image ? image_props : member_props;
	size_t n = image ? sizeof(image_props) / sizeof(image_props[0]) : sizeof(member_props) / sizeof(member_props[0]);
	const char *one = image ? "image" : "member", *many = image ? "images" : "members";

	if (g == NULL)
		return LC_ENOMEM;
	if (!plural) {
		gen_schema(g, one, props, n, image);
		return lc__json_end(x, g, 200);
	}
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "name", many);
	lc__gen_kmap(g, "properties");
	lc__gen_kmap(g, many);
	lc__gen_kstr(g, "type", "array");
	lc__gen_key(g, "items");
	gen_schema(g, one, props, n, image);
	lc__gen_end_map(g);
	lc__gen_kmap(g, "schema");
	lc__gen_kstr(g, "type", "string");
	lc__gen_end_map(g);
	if (image) {
		lc__gen_kmap(g, "first");
		lc__gen_kstr(g, "type", "string");
		lc__gen_end_map(g);
		lc__gen_kmap(g, "next");
		lc__gen_kstr(g, "type", "string");
		lc__gen_end_map(g);
	}
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int gl_schema_image(lc__api_ctx *x)
{
	return reply_schema(x, 1, 0);
}

int gl_schema_images(lc__api_ctx *x)
{
	return reply_schema(x, 1, 1);
}

int gl_schema_member(lc__api_ctx *x)
{
	return reply_schema(x, 0, 0);
}

int gl_schema_members(lc__api_ctx *x)
{
	return reply_schema(x, 0, 1);
}

int gl_info_import(lc__api_ctx *x)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_kmap(g, "import-methods");
	lc__gen_kstr(g, "description", "Import methods available.");
	lc__gen_kstr(g, "type", "array");
	lc__gen_karray(g, "value");
	lc__gen_str(g, "web-download");
	lc__gen_end_array(g);
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int gl_info_stores(lc__api_ctx *x)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_karray(g, "stores");
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "id", "file");
	lc__gen_kstr(g, "description", "Files under the cloud's data directory");
	lc__gen_kbool(g, "default", 1);
	yajl_gen_map_close(g);
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}
