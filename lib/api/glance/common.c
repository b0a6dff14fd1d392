/* Glance helpers: image and member JSON, times, lookups. */
#include "api/glance/glance.h"

#include <string.h>
#include <time.h>

#include "core/error.h"

static const char *const read_only[] = {
	"status", "size", "virtual_size", "checksum", "os_hash_algo", "os_hash_value",
	"created_at", "updated_at", "self", "file", "schema", "locations", "direct_url", "deleted", "deleted_at",
	"stores", NULL,
};

int gl_read_only(const char *name)
{
	for (size_t i = 0; read_only[i]; i++)
		if (strcmp(read_only[i], name) == 0)
			return 1;
	return 0;
}

const char *gl_time(lc__api_ctx *x, int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return lc__arena_printf(x->arena, "%s", buf);
}

int gl_lookup_rc(int rc, const char *what, const char *id)
{
	if (rc == LC_EINVALID || rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "No %s found with ID %.80s", what, id ? id : "");
	return rc;
}

static void kint_or_null(yajl_gen g, const char *k, int64_t v)
{
	if (v < 0)
		lc__gen_knull(g, k);
	else
		lc__gen_kint(g, k, v);
}

void gl_gen_image(lc__api_ctx *x, yajl_gen g, const lc_image *img)
{
	const char *id = lc_image_id(img);

	yajl_gen_map_open(g);
	/* free-form properties first: the attributes below win over a clash */
	for (size_t i = 0; i < lc_image_property_count(img); i++)
		lc__gen_kstr(g, lc_image_property_key(img, i), lc_image_property_value(img, i));
	lc__gen_kstr(g, "id", id);
	lc__gen_kstr(g, "name", lc_image_name(img)[0] ? lc_image_name(img) : NULL);
	lc__gen_kstr(g, "status", lc_image_status(img));
	lc__gen_kstr(g, "visibility", lc_image_visibility(img));
	lc__gen_kbool(g, "protected", lc_image_protected(img));
	lc__gen_kbool(g, "os_hidden", lc_image_os_hidden(img));
	lc__gen_kstr(g, "checksum", lc_image_checksum(img));
	lc__gen_kstr(g, "os_hash_algo", lc_image_os_hash_algo(img));
	lc__gen_kstr(g, "os_hash_value", lc_image_os_hash_value(img));
	kint_or_null(g, "size", lc_image_size(img));
	kint_or_null(g, "virtual_size", lc_image_virtual_size(img));
	lc__gen_kstr(g, "disk_format", lc_image_disk_format(img));
	lc__gen_kstr(g, "container_format", lc_image_container_format(img));
	lc__gen_kint(g, "min_disk", lc_image_min_disk_gib(img));
	lc__gen_kint(g, "min_ram", lc_image_min_ram_mib(img));
	lc__gen_kstr(g, "owner", lc_image_owner(img));
	lc__gen_kstr(g, "created_at", gl_time(x, lc_image_created_at(img)));
	lc__gen_kstr(g, "updated_at", gl_time(x, lc_image_updated_at(img)));
	lc__gen_karray(g, "tags");
	for (size_t i = 0; i < lc_image_tag_count(img); i++)
		lc__gen_str(g, lc_image_tag(img, i));
	lc__gen_end_array(g);
	if (lc_image_store_name(img))
		lc__gen_kstr(g, "stores", lc_image_store_name(img));
	lc__gen_kstr(g, "self", lc__arena_printf(x->arena, "/v2/images/%s", id));
	lc__gen_kstr(g, "file", lc__arena_printf(x->arena, "/v2/images/%s/file", id));
	lc__gen_kstr(g, "schema", "/v2/schemas/image");
	yajl_gen_map_close(g);
}

void gl_gen_member(lc__api_ctx *x, yajl_gen g, const lc_image_member *m)
{
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "image_id", lc_image_member_image_id(m));
	lc__gen_kstr(g, "member_id", lc_image_member_member_id(m));
	lc__gen_kstr(g, "status", lc_image_member_status(m));
	lc__gen_kstr(g, "created_at", gl_time(x, lc_image_member_created_at(m)));
	lc__gen_kstr(g, "updated_at", gl_time(x, lc_image_member_updated_at(m)));
	lc__gen_kstr(g, "schema", "/v2/schemas/member");
	yajl_gen_map_close(g);
}

int gl_reply_image(lc__api_ctx *x, lc_image *img, int status)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL) {
		lc_image_free(img);
		return LC_ENOMEM;
	}
	gl_gen_image(x, g, img);
	lc_image_free(img);
	return lc__json_end(x, g, status);
}
