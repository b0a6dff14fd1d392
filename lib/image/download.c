/* Downloads: a pull-style reader over an active image's data (or a byte range), and a push wrapper. */
#include <libcloud/image.h>

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/resource.h"
#include "core/text.h"
#include "image/image.h"

#define BUF ((size_t)1 << 20)

struct lc_image_reader {
	lc_image_store *store;
	lc_image_store_reader *r;
	int64_t length;
	uint64_t left;
	char checksum[33];
};

struct open_ctx {
	char store[LC_DRIVER_NAME_MAX + 1];
	char location[LC_IMAGE_LOCATION_MAX];
	char checksum[33];
	int64_t size;
};

static int load_data(lc_session *s, const char *id, struct open_ctx *o)
{
	lc__rec *r = NULL;
	lc__txn t;
	const char *status;
	int rc;

	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__image_load(&t, s, id, "image:download_image", &r);
	lc__store_read_end(&t);
	LC_TRY(rc);
	status = lc__rec_str(r, IMG_STATUS);
	if (strcmp(status, "active") != 0 && !(strcmp(status, "deactivated") == 0 && lc__session_is_admin(s)))
		rc = lc__error_set(LC_ECONFLICT, "image %s is %s: only an active image has data to download", id, status);
	else if (!lc__rec_str(r, IMG_LOCATION) || !lc__rec_str(r, IMG_STORE))
		rc = lc__error_set(LC_ECORRUPT, "image %s has no data location", id);
	if (rc == 0) {
		lc__strlcpy(o->store, lc__rec_str(r, IMG_STORE), sizeof(o->store));
		lc__strlcpy(o->location, lc__rec_str(r, IMG_LOCATION), sizeof(o->location));
		lc__strlcpy(o->checksum, lc__rec_str(r, IMG_CHECKSUM) ? lc__rec_str(r, IMG_CHECKSUM) : "",
			    sizeof(o->checksum));
		o->size = lc__rec_int(r, IMG_SIZE);
	}
	lc__rec_free(r);
	return rc;
}

static int reader_open(lc_image_reader **out, lc_session *s, const char *id, uint64_t offset, int64_t length)
{
	char key[LC__ID_TEXT];
	struct open_ctx o;
	lc_image_reader *rd;
	int64_t got = -1;
	int rc;

	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	if (length < -1)
		return lc__error_set(LC_EINVALID, "length must be >= 0 or -1");
	LC_TRY(load_data(s, key, &o));
	if (offset > (uint64_t)o.size)
		return lc__error_set(LC_EINVALID, "offset %llu is past the end of the data (%lld bytes)",
				     (unsigned long long)offset, (long long)o.size);
	if (length < 0)
		length = o.size - (int64_t)offset;
	if ((uint64_t)length > (uint64_t)o.size - offset)
		return lc__error_set(LC_EINVALID, "the range ends past the end of the data (%lld bytes)",
				     (long long)o.size);
	rd = calloc(1, sizeof(*rd));
	if (rd == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	rc = lc__image_store_find(&rd->store, s->cloud, o.store);
	if (rc == 0 && (!rd->store->get_open || !rd->store->get_read || !rd->store->get_close))
		rc = lc__error_set(LC_ENOTSUPPORTED, "image store %s cannot read", o.store);
	if (rc == 0)
		rc = rd->store->get_open(&rd->r, &got, rd->store, o.location, offset, length);
	if (rc == 0 && got >= 0 && got != length) {
		rd->store->get_close(rd->r);
		rc = lc__error_set(LC_ECORRUPT, "the stored data of image %s is shorter than recorded", key);
	}
	if (rc < 0) {
		free(rd);
		return rc;
	}
	rd->length = length;
	rd->left = (uint64_t)length;
	memcpy(rd->checksum, o.checksum, sizeof(rd->checksum));
	*out = rd;
	return 0;
}

LC_EXTERN int lc_image_reader_open(lc_image_reader **out, lc_session *s, const char *id, uint64_t offset,
				   int64_t length)
{
	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	return reader_open(out, s, id, offset, length);
}

LC_EXTERN int lc_image_reader_read(size_t *out_len, lc_image_reader *r, void *buf, size_t cap)
{
	size_t n = 0;

	lc__error_clear();
	LC_CHECK_NOTNULL(out_len);
	*out_len = 0;
	LC_CHECK_NOTNULL(r);
	LC_CHECK_NOTNULL(buf);
	LC_CHECK_ARG(cap > 0, "cap is 0");
	if (r->left == 0)
		return 0;
	if (cap > r->left)
		cap = (size_t)r->left;
	LC_TRY(r->store->get_read(r->r, buf, cap, &n));
	if (n == 0 || n > cap)
		return lc__error_set(LC_ECORRUPT, "the stored image data is shorter than recorded");
	r->left -= n;
	*out_len = n;
	return 0;
}

LC_EXTERN int64_t lc_image_reader_length(const lc_image_reader *r)
{
	return r ? r->length : -1;
}

LC_EXTERN const char *lc_image_reader_checksum(const lc_image_reader *r)
{
	return r && r->checksum[0] ? r->checksum : NULL;
}

LC_EXTERN void lc_image_reader_free(lc_image_reader *r)
{
	if (r == NULL)
		return;
	r->store->get_close(r->r);
	free(r);
}

LC_EXTERN int lc_image_download(lc_session *s, const char *id, uint64_t offset, int64_t length,
				lc_image_write_cb write, void *payload)
{
	lc_image_reader *r;
	unsigned char *buf;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(write);
	LC_TRY(reader_open(&r, s, id, offset, length));
	buf = malloc(BUF);
	if (buf == NULL) {
		lc_image_reader_free(r);
		return lc__error_set(LC_ENOMEM, "out of memory");
	}
	for (;;) {
		size_t n;

		rc = lc_image_reader_read(&n, r, buf, BUF);
		if (rc < 0 || n == 0)
			break;
		if (write(buf, n, payload) != 0) {
			rc = lc__error_set(LC_EUSER, "the write callback stopped the download");
			break;
		}
	}
	free(buf);
	lc_image_reader_free(r);
	return rc;
}
