/*
 * Glance image data: PUT /file streams the request body into
 * lc_image_upload() chunk by chunk, GET /file streams an lc_image_reader
 * into the response (byte ranges answered 206); neither holds the image
 * in memory. POST /import runs a web-download.
 */
#include "api/glance/glance.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

struct body_src {
	lc__api_ctx *x;
	size_t off;
};

static int body_pull(size_t *out_len, void *buf, size_t cap, void *payload)
{
	struct body_src *b = payload;
	const lc_api_request *req = b->x->req;
	size_t n;

	*out_len = 0;
	if (req->body_read != NULL) {
		if (req->body_read(out_len, buf, cap, req->body_payload) != 0) {
			b->x->user_abort = 1;
			return 1;
		}
		if (*out_len > cap)
			*out_len = cap;
		return 0;
	}
	n = req->body_len - b->off;
	if (n > cap)
		n = cap;
	if (n)
		memcpy(buf, (const char *)req->body + b->off, n);
	b->off += n;
	*out_len = n;
	return 0;
}

int gl_file_put(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	const char *ct = lc__req_header(x, "Content-Type");
	lc_image_upload_opts uo = LC_IMAGE_UPLOAD_OPTS_INIT;
	struct body_src src = { x, 0 };
	lc_image *img = NULL;
	int rc;

	rc = lc_image_get(&img, x->session, id);
	lc_image_free(img);
	if (rc < 0)
		return gl_lookup_rc(rc, "image", id);
	if (ct != NULL && strncasecmp(ct, "application/octet-stream", 24) != 0) {
		lc__api_error(x, 415, "Content-Type must be application/octet-stream.");
		return 0;
	}
	x->body_taken = 1;
	if (x->req->body_read != NULL)
		uo.size_bytes = x->req->content_length >= 0 ? x->req->content_length : -1;
	else
		uo.size_bytes = (int64_t)x->req->body_len;
	rc = lc_image_upload(NULL, x->session, id, &uo, body_pull, &src);
	if (x->user_abort)
		return 0;
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 204);
}

static int reader_pull(size_t *out_len, void *buf, size_t cap, void *payload)
{
	return lc_image_reader_read(out_len, payload, buf, cap);
}

static void reader_free(void *payload)
{
	lc_image_reader_free(payload);
}

/* "bytes=a-b", "bytes=a-", "bytes=-n" against size; 0 with the range, 1 if absent, -1 if unsatisfiable. */
static int parse_range(const char *h, int64_t size, uint64_t *off, int64_t *len)
{
	unsigned long long a, b;
	char *end;

	if (h == NULL || strncasecmp(h, "bytes=", 6) != 0)
		return 1;
	h += 6;
	if (strchr(h, ','))
		return 1; /* multiple ranges: answer the whole body */
	errno = 0;
	if (*h == '-') {
		b = strtoull(h + 1, &end, 10);
		if (errno || *end || end == h + 1 || b == 0 || size == 0)
			return -1;
		if (b > (unsigned long long)size)
			b = (unsigned long long)size;
		*off = (uint64_t)size - b;
		*len = (int64_t)b;
		return 0;
	}
	a = strtoull(h, &end, 10);
	if (errno || end == h || *end != '-' || a >= (unsigned long long)size)
		return -1;
	if (end[1] == '\0') {
		b = (unsigned long long)size - 1;
	} else {
		const char *e2 = end + 1;
		b = strtoull(e2, &end, 10);
		if (errno || *end || b < a)
			return -1;
		if (b >= (unsigned long long)size)
			b = (unsigned long long)size - 1;
	}
	*off = a;
	*len = (int64_t)(b - a + 1);
	return 0;
}

int gl_file_get(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	lc_image *img = NULL;
	lc_image_reader *r = NULL;
	uint64_t off = 0;
	int64_t len = -1, size;
	int ranged, rc;

	rc = lc_image_get(&img, x->session, id);
	if (rc < 0)
		return gl_lookup_rc(rc, "image", id);
	if (strcmp(lc_image_status(img), "queued") == 0) {
		lc_image_free(img); /* Glance: an image without data answers 204 */
		return lc__reply_empty(x, 204);
	}
	size = lc_image_size(img);
	lc_image_free(img);
	ranged = parse_range(lc__req_header(x, "Range"), size, &off, &len);
	if (ranged < 0) {
		lc__api_error(x, 416, "Requested range not satisfiable.");
		lc__resp_set_header(x->resp, "Content-Range", lc__arena_printf(x->arena, "bytes */%" PRId64, size));
		return 0;
	}
	rc = lc_image_reader_open(&r, x->session, id, off, len);
	if (rc == LC_ECONFLICT && strstr(lc_error_last()->message, "deactivated"))
		return lc__error_set(LC_EFORBIDDEN, "The requested image has been deactivated. Image data download is forbidden.");
	if (rc < 0)
		return rc;
	x->resp->status = ranged == 0 ? 206 : 200;
	lc__resp_set_header(x->resp, "Content-Type", "application/octet-stream");
	if (ranged == 0)
		lc__resp_set_header(x->resp, "Content-Range",
				    lc__arena_printf(x->arena, "bytes %" PRIu64 "-%" PRIu64 "/%" PRId64, off,
						     off + (uint64_t)lc_image_reader_length(r) - 1, size));
	else if (lc_image_reader_checksum(r))
		lc__resp_set_header(x->resp, "Content-MD5", lc_image_reader_checksum(r));
	lc__resp_stream(x->resp, reader_pull, reader_free, r, lc_image_reader_length(r));
	return 0;
}

int gl_import(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	const lc__json *body, *method, *name, *uri;
	lc_image_import_opts o = LC_IMAGE_IMPORT_OPTS_INIT;
	lc_image *img = NULL;
	int rc;

	rc = lc_image_get(&img, x->session, id);
	lc_image_free(img);
	if (rc < 0)
		return gl_lookup_rc(rc, "image", id);
	if (lc__req_json(x, &body) != 0)
		return 0;
	method = lc__json_get(body, "method");
	name = method ? lc__json_get(method, "name") : NULL;
	uri = method ? lc__json_get(method, "uri") : NULL;
	if (name == NULL || name->type != LC__J_STRING) {
		lc__api_error(x, 400, "Import request requires a 'method' with a 'name'.");
		return 0;
	}
	if (strcmp(name->s, "web-download") != 0) {
		lc__api_error(x, 400, "Import method %.32s is not supported (web-download is).", name->s);
		return 0;
	}
	if (uri == NULL || uri->type != LC__J_STRING) {
		lc__api_error(x, 400, "web-download requires a 'uri'.");
		return 0;
	}
	o.method = name->s;
	o.uri = uri->s;
	rc = lc_image_import(NULL, x->session, id, &o);
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 202);
}
