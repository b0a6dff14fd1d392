/*
 * Imports (Glance's web-download): the data comes from a URL through a
 * read-only source store ("http"), streamed by the upload engine with the
 * same checks. The URL is opened only once the image is saving.
 */
#include <libcloud/image.h>

#include <strings.h>
#include <string.h>

#include "core/error.h"
#include "image/image.h"

LC_EXTERN int lc_image_import_opts_init(lc_image_import_opts *opts, unsigned int version)
{
	lc_image_import_opts init = LC_IMAGE_IMPORT_OPTS_INIT;

	lc__error_clear();
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_ARG(version >= 1 && version <= LC_IMAGE_IMPORT_OPTS_VERSION, "version");
	*opts = init;
	return 0;
}

struct url_source {
	lc_image_store *src;
	const char *uri;
	int64_t max_bytes;
	lc_image_store_reader *r;
	int opened;
};

static int url_pull(size_t *out_len, void *buf, size_t cap, void *p)
{
	struct url_source *u = p;

	*out_len = 0;
	if (!u->opened) {
		int64_t size = -1;

		u->opened = 1;
		LC_TRY(u->src->get_open(&u->r, &size, u->src, u->uri, 0, -1));
		if (size > u->max_bytes)
			return lc__error_set(LC_ETOOLARGE, "%s has %lld bytes, more than the limit of %lld", u->uri,
					     (long long)size, (long long)u->max_bytes);
	}
	return u->src->get_read(u->r, buf, cap, out_len);
}

LC_EXTERN int lc_image_import(lc_image **out, lc_session *s, const char *id, const lc_image_import_opts *opts)
{
	struct url_source us;
	lc__image_source src;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION(opts, LC_IMAGE_IMPORT_OPTS_VERSION);
	if (opts->method == NULL || strcmp(opts->method, "web-download") != 0)
		return lc__error_set(LC_EINVALID, "unknown import method '%.32s' (web-download is supported)",
				     opts->method ? opts->method : "");
	if (opts->uri == NULL || (strncasecmp(opts->uri, "http://", 7) != 0 && strncasecmp(opts->uri, "https://", 8) != 0))
		return lc__error_set(LC_EINVALID, "the import URL must be http:// or https://");
	if (strlen(opts->uri) >= LC_IMAGE_LOCATION_MAX)
		return lc__error_set(LC_EINVALID, "the import URL is too long");
	if (opts->max_bytes < 0)
		return lc__error_set(LC_EINVALID, "max_bytes must be >= 0");
	LC_TRY(lc__session_check(s));
	memset(&us, 0, sizeof(us));
	us.uri = opts->uri;
	us.max_bytes = opts->max_bytes ? opts->max_bytes : LC_IMAGE_IMPORT_CAP;
	LC_TRY(lc__image_store_find(&us.src, s->cloud, opts->source_store ? opts->source_store : LC__IMAGE_SOURCE_STORE));
	if (!us.src->get_open || !us.src->get_read || !us.src->get_close)
		return lc__error_set(LC_ENOTSUPPORTED, "image store %s cannot read URLs", us.src->base.name);
	memset(&src, 0, sizeof(src));
	src.pull = url_pull;
	src.payload = &us;
	src.size = -1;
	src.max_bytes = us.max_bytes;
	src.op = "image:import_image";
	src.store = opts->store;
	src.progress = opts->progress;
	src.progress_payload = opts->progress_payload;
	rc = lc__image_upload_run(out, s, id, &src);
	if (us.r)
		us.src->get_close(us.r);
	return rc;
}
