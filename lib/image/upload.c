/*
 * Uploads: two short transactions around the slow part.
 *   (1) queued -> saving: check state, formats, policy; note the quota room.
 *   (2) stream: pull a chunk, inspect its format, hash it (md5, sha512), hand
 *       it to the store, which writes it while the next chunk is pulled and
 *       hashed; then the store fsyncs and renames the data into place.
 *   (3) saving -> active: charge the bytes to the quota, record size,
 *       checksum, hash, virtual size and location.
 * Any failure returns the image to queued, with nothing kept.
 */
#include <libcloud/image.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/error.h"
#include "core/quota.h"
#include "core/resource.h"
#include "core/text.h"
#include "image/format.h"
#include "image/image.h"

#define CHUNK ((size_t)2 << 20)

/* ---- the uploader's identity: this process, robust to pid reuse ---- */

static unsigned long long start_time(long pid)
{
	char path[64], buf[1024];
	const char *p;
	unsigned long long st = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "re");
	if (f == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the command name may hold spaces */
	if (p == NULL)
		return 0;
	/* The n-th space after the ')' precedes field n + 2: the start time is field 22. */
	for (int k = 0; k < 20 && p; k++)
		p = strchr(p + 1, ' ');
	if (p)
		st = strtoull(p + 1, NULL, 10);
	return st;
}

void lc__image_uploader_self(char out[LC__UPLOADER_MAX])
{
	long pid = (long)getpid();

	snprintf(out, LC__UPLOADER_MAX, "%ld:%llu", pid, start_time(pid));
}

int lc__image_uploader_alive(const char *text)
{
	long pid;
	unsigned long long st;

	if (text == NULL || sscanf(text, "%ld:%llu", &pid, &st) != 2 || pid <= 0)
		return 0;
	return start_time(pid) == st && st != 0;
}

/* ---- transactions ---- */

struct upload_ctx {
	lc_session *s;
	const char *id;
	const char *op;
	char me[LC__UPLOADER_MAX];
	/* (1) out */
	int64_t room; /* bytes the owner's quota still allows; INT64_MAX when unlimited */
	char disk_format[17], container_format[17];
	/* (3) in */
	const char *store;
	const char *location;
	int64_t size, vsize;
	const char *md5, *sha512;
	lc__rec *out;
};

static int begin_tx(lc__txn *t, void *p)
{
	struct upload_ctx *u = p;
	lc__rec *old;
	lc__draft d;
	const char *owner, *df, *cf;
	int64_t limit, used;
	int rc = 0;

	LC_TRY(lc__image_load(t, u->s, u->id, u->op, &old));
	owner = lc__rec_str(old, IMG_OWNER);
	df = lc__rec_str(old, IMG_DISK_FORMAT);
	cf = lc__rec_str(old, IMG_CONTAINER_FORMAT);
	if (strcmp(lc__rec_str(old, IMG_STATUS), "queued") != 0)
		rc = lc__error_set(LC_ECONFLICT, "image %s is %s: data can be uploaded only to a queued image", u->id,
				   lc__rec_str(old, IMG_STATUS));
	else if (df == NULL || cf == NULL)
		rc = lc__error_set(LC_EINVALID, "set disk_format and container_format before uploading data");
	u->room = INT64_MAX;
	if (rc == 0 && owner) {
		rc = lc__quota_limit(t, owner, LC_QUOTA_IMAGE_BYTES, &limit);
		if (rc == 0)
			rc = lc__quota_usage(t, owner, LC_QUOTA_IMAGE_BYTES, &used);
		if (rc == 0 && limit >= 0)
			u->room = limit > used ? limit - used : 0;
	}
	if (rc == 0) {
		lc__strlcpy(u->disk_format, df, sizeof(u->disk_format));
		lc__strlcpy(u->container_format, cf, sizeof(u->container_format));
		lc__draft_from(&d, old);
		lc__draft_set_str(&d, IMG_STATUS, "saving");
		lc__draft_set_str(&d, IMG_UPLOADER, u->me);
		lc__draft_set_int(&d, IMG_UPDATED, lc__now_us());
		rc = lc__rec_update(t, old, d.v);
	}
	lc__rec_free(old);
	return rc;
}

/* Load the image this upload set saving; LC_ECONFLICT if someone else changed it. */
static int load_mine(lc__txn *t, struct upload_ctx *u, lc__rec **out)
{
	const char *up;
	int rc = lc__rec_load(t, &lc__image_shape, u->id, out);

	if (rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "image %s was deleted during the upload", u->id);
	LC_TRY(rc);
	up = lc__rec_str(*out, IMG_UPLOADER);
	if (strcmp(lc__rec_str(*out, IMG_STATUS), "saving") != 0 || up == NULL || strcmp(up, u->me) != 0) {
		lc__rec_free(*out);
		*out = NULL;
		return lc__error_set(LC_ECONFLICT, "image %s changed state during the upload", u->id);
	}
	return 0;
}

static int finish_tx(lc__txn *t, void *p)
{
	struct upload_ctx *u = p;
	lc__rec *old;
	lc__draft d;
	const char *owner;
	int rc = 0;

	lc__rec_free(u->out);
	u->out = NULL;
	LC_TRY(load_mine(t, u, &old));
	owner = lc__rec_str(old, IMG_OWNER);
	if (owner)
		rc = lc__quota_charge(t, owner, LC_QUOTA_IMAGE_BYTES, u->size);
	if (rc == 0) {
		lc__draft_from(&d, old);
		lc__draft_set_str(&d, IMG_STATUS, "active");
		d.v[IMG_UPLOADER].set = 0;
		lc__draft_set_int(&d, IMG_SIZE, u->size);
		if (u->vsize >= 0)
			lc__draft_set_int(&d, IMG_VIRTUAL_SIZE, u->vsize);
		lc__draft_set_str(&d, IMG_CHECKSUM, u->md5);
		lc__draft_set_str(&d, IMG_HASH_ALGO, "sha512");
		lc__draft_set_str(&d, IMG_HASH_VALUE, u->sha512);
		lc__draft_set_str(&d, IMG_STORE, u->store);
		lc__draft_set_str(&d, IMG_LOCATION, u->location);
		lc__draft_set_int(&d, IMG_UPDATED, lc__now_us());
		rc = lc__rec_update(t, old, d.v);
		if (rc == 0)
			rc = lc__draft_snapshot(&d, &u->out);
	}
	lc__rec_free(old);
	return rc;
}

static int reset_tx(lc__txn *t, void *p)
{
	struct upload_ctx *u = p;
	lc__rec *old;
	lc__draft d;
	int rc;

	rc = load_mine(t, u, &old);
	if (rc == LC_ENOTFOUND || rc == LC_ECONFLICT)
		return 0; /* deleted or taken over: nothing to undo */
	LC_TRY(rc);
	lc__draft_from(&d, old);
	lc__draft_set_str(&d, IMG_STATUS, "queued");
	d.v[IMG_UPLOADER].set = 0;
	lc__draft_set_int(&d, IMG_UPDATED, lc__now_us());
	rc = lc__rec_update(t, old, d.v);
	lc__rec_free(old);
	return rc;
}

/* ---- streaming ---- */

static void hex(char *out, const unsigned char *p, unsigned int n)
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned int i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

typedef struct stream {
	const lc__image_source *src;
	lc_image_store *store;
	lc_image_store_writer *w;
	EVP_MD_CTX *md5, *sha512;
	lc__fmt fmt;
	unsigned char *buf[2];
	int64_t room;
	uint64_t total;
	char md5_hex[33], sha512_hex[129];
	char location[LC_IMAGE_LOCATION_MAX];
	lc__fmt_info info;
} stream;

/* Fill buf with up to CHUNK bytes from the source; *n 0 at the end. */
static int fill(stream *st, unsigned char *buf, size_t *n)
{
	*n = 0;
	while (*n < CHUNK) {
		size_t got = 0;
		int rc = st->src->pull(&got, buf + *n, CHUNK - *n, st->src->payload);

		if (rc < 0)
			return rc;
		if (got > CHUNK - *n)
			return lc__error_set(LC_EINVALID, "the data source returned more bytes than asked for");
		if (got == 0)
			break;
		*n += got;
	}
	return 0;
}

static int stream_run(stream *st, struct upload_ctx *u)
{
	const lc__image_source *src = st->src;
	int idx = 0;

	for (;;) {
		unsigned char *b = st->buf[idx];
		size_t n;

		LC_TRY(fill(st, b, &n));
		if (n == 0)
			break;
		st->total += n;
		if (st->total > (uint64_t)src->max_bytes)
			return lc__error_set(LC_ETOOLARGE, "the image data is larger than the limit of %" PRId64 " bytes",
					     src->max_bytes);
		if (st->total > (uint64_t)st->room)
			return lc__error_set(LC_EQUOTA, "quota exceeded for image_size_total: the upload needs more "
					     "than the %" PRId64 " bytes left", st->room);
		if (!st->fmt.checked_head) {
			lc__fmt_feed(&st->fmt, b, n);
			if (st->fmt.head_len == LC__FMT_HEAD)
				LC_TRY(lc__fmt_check(&st->fmt, u->disk_format, u->container_format, 0, NULL));
		} else {
			lc__fmt_feed(&st->fmt, b, n);
		}
		if (EVP_DigestUpdate(st->md5, b, n) != 1 || EVP_DigestUpdate(st->sha512, b, n) != 1)
			return lc__error_set(LC_ERROR, "hashing the image data failed");
		LC_TRY(st->store->put_write(st->w, b, n));
		if (src->progress && src->progress(st->total, src->size, src->progress_payload) != 0)
			return lc__error_set(LC_EUSER, "the progress callback stopped the upload");
		idx ^= 1;
	}
	if (src->size >= 0 && st->total != (uint64_t)src->size)
		return lc__error_set(LC_EINVALID, "the data has %" PRIu64 " bytes, not the %" PRId64 " announced",
				     st->total, src->size);
	LC_TRY(lc__fmt_check(&st->fmt, u->disk_format, u->container_format, 1, &st->info));
	{
		unsigned char d[EVP_MAX_MD_SIZE];
		unsigned int dl = 0;

		if (EVP_DigestFinal_ex(st->md5, d, &dl) != 1 || dl != 16)
			return lc__error_set(LC_ERROR, "hashing the image data failed");
		hex(st->md5_hex, d, dl);
		if (EVP_DigestFinal_ex(st->sha512, d, &dl) != 1 || dl != 64)
			return lc__error_set(LC_ERROR, "hashing the image data failed");
		hex(st->sha512_hex, d, dl);
	}
	{
		lc_image_store_writer *w = st->w;

		st->w = NULL; /* put_commit frees it, also on failure */
		return st->store->put_commit(w, st->location, sizeof(st->location));
	}
}

static int stream_init(stream *st, const lc__image_source *src, lc_image_store *store)
{
	memset(st, 0, sizeof(*st));
	st->src = src;
	st->store = store;
	st->md5 = EVP_MD_CTX_new();
	st->sha512 = EVP_MD_CTX_new();
	st->buf[0] = malloc(CHUNK);
	st->buf[1] = malloc(CHUNK);
	if (!st->md5 || !st->sha512 || !st->buf[0] || !st->buf[1])
		return lc__error_set(LC_ENOMEM, "out of memory");
	if (EVP_DigestInit_ex(st->md5, EVP_md5(), NULL) != 1 || EVP_DigestInit_ex(st->sha512, EVP_sha512(), NULL) != 1)
		return lc__error_set(LC_ERROR, "cannot initialise md5/sha512 (OpenSSL)");
	return lc__fmt_init(&st->fmt);
}

static void stream_fini(stream *st)
{
	if (st->w)
		st->store->put_abort(st->w); /* before the buffers it may still be writing */
	st->w = NULL;
	EVP_MD_CTX_free(st->md5);
	EVP_MD_CTX_free(st->sha512);
	free(st->buf[0]);
	free(st->buf[1]);
	lc__fmt_fini(&st->fmt);
}

int lc__image_upload_run(lc_image **out, lc_session *s, const char *id, const lc__image_source *src)
{
	char key[LC__ID_TEXT];
	struct upload_ctx u;
	lc_image_store *store;
	stream st;
	int rc;

	if (out)
		*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	LC_TRY(lc__image_store_find(&store, s->cloud, src->store ? src->store : LC__IMAGE_DEFAULT_STORE));
	if (!store->put_open || !store->put_write || !store->put_commit || !store->put_abort)
		return lc__error_set(LC_ENOTSUPPORTED, "image store %s is read-only", store->base.name);
	memset(&u, 0, sizeof(u));
	u.s = s;
	u.id = key;
	u.op = src->op ? src->op : "image:upload_image";
	lc__image_uploader_self(u.me);
	LC_TRY(lc__store_write(lc__session_store(s), begin_tx, &u));

	/* The image is saving: from here on, any failure goes back to queued. */
	rc = stream_init(&st, src, store);
	st.room = u.room;
	if (rc == 0 && src->size > src->max_bytes)
		rc = lc__error_set(LC_ETOOLARGE, "the image data (%" PRId64 " bytes) is larger than the limit of %" PRId64
				   " bytes", src->size, src->max_bytes);
	if (rc == 0 && src->size > u.room)
		rc = lc__error_set(LC_EQUOTA, "quota exceeded for image_size_total: %" PRId64 " bytes requested, %" PRId64
				   " left", src->size, u.room);
	if (rc == 0)
		rc = store->put_open(&st.w, store, key, src->size);
	if (rc == 0)
		rc = stream_run(&st, &u);
	if (rc == 0) {
		u.store = store->base.name;
		u.location = st.location;
		u.size = (int64_t)st.total;
		u.vsize = st.info.virtual_size;
		u.md5 = st.md5_hex;
		u.sha512 = st.sha512_hex;
		rc = lc__store_write(lc__session_store(s), finish_tx, &u);
		if (rc < 0 && store->remove)
			store->remove(store, st.location); /* the record does not point at it: drop it */
	}
	stream_fini(&st);
	if (rc < 0) {
		lc_error saved = *lc_error_last();
		char msg[512];

		lc__strlcpy(msg, saved.message, sizeof(msg));
		if (lc__store_write(lc__session_store(s), reset_tx, &u) < 0)
			lc__log(s->cloud, LC_LOG_ERROR, "image %s: cannot return it to queued: %s", key,
				lc_error_last()->message);
		lc__rec_free(u.out);
		return lc__error_set(saved.code, "%s", msg);
	}
	if (out)
		*out = (lc_image *)u.out;
	else
		lc__rec_free(u.out);
	return 0;
}

/* ---- the public entry points ---- */

LC_EXTERN int lc_image_upload_opts_init(lc_image_upload_opts *opts, unsigned int version)
{
	lc_image_upload_opts init = LC_IMAGE_UPLOAD_OPTS_INIT;

	lc__error_clear();
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_ARG(version >= 1 && version <= LC_IMAGE_UPLOAD_OPTS_VERSION, "version");
	*opts = init;
	return 0;
}

struct user_source {
	lc_image_read_cb read;
	void *payload;
};

static int user_pull(size_t *out_len, void *buf, size_t cap, void *p)
{
	struct user_source *u = p;

	if (u->read(out_len, buf, cap, u->payload) != 0)
		return lc__error_set(LC_EUSER, "the read callback stopped the upload");
	return 0;
}

static int source_from_opts(lc__image_source *src, const lc_image_upload_opts *opts)
{
	lc_image_upload_opts dflt = LC_IMAGE_UPLOAD_OPTS_INIT;

	LC_CHECK_VERSION(opts, LC_IMAGE_UPLOAD_OPTS_VERSION);
	if (opts == NULL)
		opts = &dflt;
	if (opts->size_bytes < -1)
		return lc__error_set(LC_EINVALID, "size_bytes must be >= 0 or -1");
	if (opts->max_bytes < 0)
		return lc__error_set(LC_EINVALID, "max_bytes must be >= 0");
	memset(src, 0, sizeof(*src));
	src->size = opts->size_bytes;
	src->max_bytes = opts->max_bytes ? opts->max_bytes : LC_IMAGE_SIZE_CAP;
	src->store = opts->store;
	src->progress = opts->progress;
	src->progress_payload = opts->progress_payload;
	return 0;
}

LC_EXTERN int lc_image_upload(lc_image **out, lc_session *s, const char *id, const lc_image_upload_opts *opts,
			      lc_image_read_cb read, void *payload)
{
	struct user_source us = { read, payload };
	lc__image_source src;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(read);
	LC_TRY(source_from_opts(&src, opts));
	src.pull = user_pull;
	src.payload = &us;
	return lc__image_upload_run(out, s, id, &src);
}

static int fd_pull(size_t *out_len, void *buf, size_t cap, void *p)
{
	int fd = *(int *)p;
	ssize_t n;

	do
		n = read(fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return lc__error_errno("reading the image file", NULL);
	*out_len = (size_t)n;
	return 0;
}

LC_EXTERN int lc_image_upload_file(lc_image **out, lc_session *s, const char *id, const char *path,
				   const lc_image_upload_opts *opts)
{
	lc__image_source src;
	struct stat sb;
	int fd, rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(path);
	LC_TRY(source_from_opts(&src, opts));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lc__error_errno("cannot open the image file", path);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return lc__error_set(LC_EINVALID, "%s is not a regular file", path);
	}
	if (src.size < 0)
		src.size = (int64_t)sb.st_size;
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	src.pull = fd_pull;
	src.payload = &fd;
	rc = lc__image_upload_run(out, s, id, &src);
	close(fd);
	return rc;
}

int lc__image_snapshot(lc_image **out, lc_session *s, const lc_image_opts *opts, const char *disk_path)
{
	lc_image *img = NULL;
	char id[LC__ID_TEXT];
	int rc;

	if (out)
		*out = NULL;
	LC_TRY(lc_image_create(&img, s, opts));
	lc__strlcpy(id, lc_image_id(img), sizeof(id));
	lc_image_free(img);
	rc = lc_image_upload_file(out, s, id, disk_path, NULL);
	if (rc < 0) {
		lc_error saved = *lc_error_last();
		char msg[512];

		lc__strlcpy(msg, saved.message, sizeof(msg));
		lc_image_delete(s, id, 0);
		return lc__error_set(saved.code, "%s", msg);
	}
	return 0;
}
