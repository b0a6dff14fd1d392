/* Image data: streamed upload and download, hashes, ranges, failures that leave nothing behind. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcloud/sys/image_store.h>

#include "imgtest.h"

#define MIB (1024 * 1024)

static int no_uring(lc_cloud *c)
{
	lc_image_store *st;
	int rc = lc_image_store_file_new(&st, "file", NULL, LC_IMAGE_STORE_FILE_NO_URING);

	return rc ? rc : lc_cloud_add_driver(c, &st->base);
}

static void setup_no_uring(void)
{
	it_setup_with(no_uring);
}

TestSuite(data, .init = it_setup, .fini = it_teardown, .timeout = 120);
TestSuite(data_pwrite, .init = setup_no_uring, .fini = it_teardown, .timeout = 120);

static void round_trip(size_t n)
{
	unsigned char *src = it_bytes(n, 7), *back;
	char md5[33], sha[129];
	size_t len;
	lc_image *img;
	char *id = it_image(it_a, "rt", "raw", "bare");

	cr_assert_eq(it_upload_mem(it_a, id, src, n), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_image_get(&img, it_a, id), 0);
	cr_assert_str_eq(lc_image_status(img), "active");
	cr_assert_eq(lc_image_size(img), (int64_t)n);
	cr_assert_eq(lc_image_virtual_size(img), (int64_t)n);
	it_md5_hex(src, n, md5);
	it_sha512_hex(src, n, sha);
	cr_assert_str_eq(lc_image_checksum(img), md5);
	cr_assert_str_eq(lc_image_os_hash_algo(img), "sha512");
	cr_assert_str_eq(lc_image_os_hash_value(img), sha);
	cr_assert_str_eq(lc_image_store_name(img), "file");
	lc_image_free(img);
	cr_assert_eq(it_download_mem(it_a, id, 0, -1, &back, &len), 0, "%s", lc_error_last()->message);
	cr_assert_eq(len, n);
	cr_assert(n == 0 || memcmp(back, src, n) == 0, "the data comes back byte for byte");
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGE_BYTES), (int64_t)n);
	cr_assert_eq(it_data_files(), 1, "one data file, no temporary left");
	free(back);
	free(src);
	free(id);
}

Test(data, an_upload_comes_back_byte_for_byte_with_md5_and_sha512)
{
	round_trip(5 * MIB + 4321); /* several chunks, the last one short */
}

Test(data, an_empty_upload_is_an_active_image_of_zero_bytes)
{
	round_trip(0);
}

Test(data_pwrite, without_io_uring_the_data_path_gives_the_same_result)
{
	round_trip(3 * MIB + 17);
}

Test(data, byte_ranges_are_read_exactly_and_bad_ranges_refused)
{
	size_t n = 3 * MIB + 5, len;
	unsigned char *src = it_bytes(n, 3), *back;
	char *id = it_image(it_a, "r", "raw", "bare");
	lc_image_reader *r;

	cr_assert_eq(it_upload_mem(it_a, id, src, n), 0);
	cr_assert_eq(it_download_mem(it_a, id, MIB - 3, 2 * MIB + 1, &back, &len), 0, "%s", lc_error_last()->message);
	cr_assert_eq(len, 2 * MIB + 1);
	cr_assert(memcmp(back, src + MIB - 3, len) == 0);
	free(back);
	cr_assert_eq(it_download_mem(it_a, id, n, -1, &back, &len), 0, "an empty range at the end");
	cr_assert_eq(len, 0);
	free(back);
	cr_assert_eq(lc_image_reader_open(&r, it_a, id, n + 1, -1), LC_EINVALID);
	cr_assert_eq(lc_image_reader_open(&r, it_a, id, 10, (int64_t)n), LC_EINVALID);
	cr_assert_eq(lc_image_reader_open(&r, it_a, id, 0, 100), 0);
	cr_assert_eq(lc_image_reader_length(r), 100);
	cr_assert_not_null(lc_image_reader_checksum(r));
	lc_image_reader_free(r);
	free(src);
	free(id);
}

struct cut {
	const unsigned char *p;
	size_t len, off, cut_at;
};

static int cut_read(size_t *out_len, void *buf, size_t cap, void *payload)
{
	struct cut *c = payload;
	size_t n = c->len - c->off;

	if (c->off >= c->cut_at)
		return 1; /* the source fails midway */
	if (n > cap)
		n = cap;
	if (n > 65536)
		n = 65536;
	memcpy(buf, c->p + c->off, n);
	c->off += n;
	*out_len = n;
	return 0;
}

Test(data, a_stream_cut_midway_returns_the_image_to_queued_and_keeps_nothing)
{
	size_t n = 6 * MIB;
	unsigned char *src = it_bytes(n, 1);
	struct cut c = { src, n, 0, 4 * MIB + 100 };
	char *id = it_image(it_a, "cut", "raw", "bare");
	lc_image *img;

	cr_assert_eq(lc_image_upload(&img, it_a, id, NULL, cut_read, &c), LC_EUSER);
	cr_assert_null(img);
	cr_assert_eq(lc_image_get(&img, it_a, id), 0);
	cr_assert_str_eq(lc_image_status(img), "queued");
	cr_assert_eq(lc_image_size(img), -1);
	cr_assert_null(lc_image_checksum(img));
	lc_image_free(img);
	cr_assert_eq(it_data_files(), 0, "the partial data is removed");
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGE_BYTES), 0, "the quota is unchanged");
	cr_assert_eq(it_upload_mem(it_a, id, src, n), 0, "the image can be uploaded again: %s", lc_error_last()->message);
	free(src);
	free(id);
}

Test(data, upload_needs_a_queued_image_with_formats_set)
{
	char *noformat = it_image(it_a, "nf", NULL, NULL);
	char *id = it_image(it_a, "x", "raw", "bare");
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	lc_image *img;

	cr_assert_eq(it_upload_mem(it_a, noformat, "abc", 3), LC_EINVALID);
	cr_assert_eq(lc_image_get(&img, it_a, noformat), 0);
	cr_assert_str_eq(lc_image_status(img), "queued");
	lc_image_free(img);
	cr_assert_eq(it_upload_mem(it_a, id, "abc", 3), 0);
	cr_assert_eq(it_upload_mem(it_a, id, "defg", 4), LC_ECONFLICT, "an active image takes no new data");
	cr_assert_eq(lc_image_get(&img, it_a, id), 0);
	cr_assert_eq(lc_image_size(img), 3);
	lc_image_free(img);
	o.disk_format = "qcow2";
	cr_assert_eq(lc_image_update(NULL, it_a, id, &o), LC_ECONFLICT, "formats are fixed once data is in");
	free(noformat);
	free(id);
}

Test(data, download_needs_an_active_image)
{
	char *id = it_image(it_a, "q", "raw", "bare");
	unsigned char *back;
	size_t len;

	cr_assert_eq(it_download_mem(it_a, id, 0, -1, &back, &len), LC_ECONFLICT);
	free(back);
	cr_assert_eq(it_upload_mem(it_a, id, "hello", 5), 0);
	cr_assert_eq(lc_image_deactivate(it_admin, id, 0), 0);
	cr_assert_eq(it_download_mem(it_a, id, 0, -1, &back, &len), LC_ECONFLICT, "deactivated: only admins read");
	free(back);
	cr_assert_eq(it_download_mem(it_admin, id, 0, -1, &back, &len), 0);
	cr_assert_eq(len, 5);
	free(back);
	cr_assert_eq(lc_image_reactivate(it_admin, id, 0), 0);
	cr_assert_eq(it_download_mem(it_a, id, 0, -1, &back, &len), 0);
	free(back);
	free(id);
}

Test(data, an_upload_over_the_size_cap_is_refused_and_keeps_nothing)
{
	size_t n = 3 * MIB;
	unsigned char *src = it_bytes(n, 2);
	struct cut c = { src, n, 0, (size_t)-1 };
	lc_image_upload_opts uo = LC_IMAGE_UPLOAD_OPTS_INIT;
	char *id = it_image(it_a, "big", "raw", "bare");
	lc_image *img;

	uo.max_bytes = 2 * MIB;
	cr_assert_eq(lc_image_upload(NULL, it_a, id, &uo, cut_read, &c), LC_ETOOLARGE);
	cr_assert_eq(it_data_files(), 0);
	uo.size_bytes = (int64_t)n; /* announced: refused before any byte is read */
	c.off = 0;
	cr_assert_eq(lc_image_upload(NULL, it_a, id, &uo, cut_read, &c), LC_ETOOLARGE);
	cr_assert_eq(c.off, 0);
	uo.max_bytes = 0;
	uo.size_bytes = (int64_t)n + 1;
	cr_assert_eq(lc_image_upload(NULL, it_a, id, &uo, cut_read, &c), LC_EINVALID, "the size announced must match");
	cr_assert_eq(lc_image_get(&img, it_a, id), 0);
	cr_assert_str_eq(lc_image_status(img), "queued");
	lc_image_free(img);
	cr_assert_eq(it_data_files(), 0);
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGE_BYTES), 0);
	free(src);
	free(id);
}

Test(data, the_image_bytes_quota_stops_the_upload_and_keeps_nothing)
{
	size_t n = 3 * MIB;
	unsigned char *src = it_bytes(n, 9);
	char *first = it_image(it_a, "first", "raw", "bare");
	char *second = it_image(it_a, "second", "raw", "bare");

	cr_assert_eq(lc_quota_set(it_admin, it_pa, LC_QUOTA_IMAGE_BYTES, 4 * MIB), 0);
	cr_assert_eq(it_upload_mem(it_a, first, src, n), 0, "%s", lc_error_last()->message);
	cr_assert_eq(it_upload_mem(it_a, second, src, n), LC_EQUOTA);
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGE_BYTES), (int64_t)n);
	cr_assert_eq(it_data_files(), 1);
	cr_assert_eq(lc_image_delete(it_a, first, 0), 0);
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGE_BYTES), 0, "the delete released the bytes");
	cr_assert_eq(it_data_files(), 0, "and removed the data");
	cr_assert_eq(it_upload_mem(it_a, second, src, n), 0);
	free(src);
	free(first);
	free(second);
}

static int stop_at_2mib(uint64_t done, int64_t total, void *p)
{
	(void)total;
	++*(int *)p;
	return done >= 2 * MIB;
}

Test(data, the_progress_callback_sees_the_bytes_and_can_stop_the_upload)
{
	size_t n = 5 * MIB;
	unsigned char *src = it_bytes(n, 4);
	struct cut c = { src, n, 0, (size_t)-1 };
	lc_image_upload_opts uo = LC_IMAGE_UPLOAD_OPTS_INIT;
	char *id = it_image(it_a, "p", "raw", "bare");
	int calls = 0;

	uo.progress = stop_at_2mib;
	uo.progress_payload = &calls;
	cr_assert_eq(lc_image_upload(NULL, it_a, id, &uo, cut_read, &c), LC_EUSER);
	cr_assert_geq(calls, 1);
	cr_assert_eq(it_data_files(), 0);
	free(src);
	free(id);
}

Test(data, other_projects_cannot_upload_or_read_but_members_read)
{
	char *id = it_image(it_a, "s", "raw", "bare");
	unsigned char *back;
	size_t len;

	cr_assert_eq(it_upload_mem(it_b, id, "zz", 2), LC_ENOTFOUND);
	cr_assert_eq(it_upload_mem(it_a, id, "data", 4), 0);
	cr_assert_eq(it_download_mem(it_b, id, 0, -1, &back, &len), LC_ENOTFOUND);
	free(back);
	cr_assert_eq(lc_image_member_add(NULL, it_a, id, it_pb), 0);
	cr_assert_eq(it_download_mem(it_b, id, 0, -1, &back, &len), 0, "%s", lc_error_last()->message);
	cr_assert_eq(len, 4);
	free(back);
	free(id);
}

Test(data, a_reader_keeps_reading_after_the_image_is_deleted)
{
	char *id = it_image(it_a, "d", "raw", "bare");
	lc_image_reader *r;
	char buf[16];
	size_t n;

	cr_assert_eq(it_upload_mem(it_a, id, "0123456789", 10), 0);
	cr_assert_eq(lc_image_reader_open(&r, it_a, id, 2, 5), 0);
	cr_assert_eq(lc_image_delete(it_a, id, 0), 0);
	cr_assert_eq(it_data_files(), 0);
	cr_assert_eq(lc_image_reader_read(&n, r, buf, sizeof(buf)), 0);
	cr_assert_eq(n, 5);
	cr_assert(memcmp(buf, "23456", 5) == 0);
	cr_assert_eq(lc_image_reader_read(&n, r, buf, sizeof(buf)), 0);
	cr_assert_eq(n, 0);
	lc_image_reader_free(r);
	free(id);
}

Test(data, a_file_uploads_from_its_path)
{
	size_t n = 2 * MIB + 1, len;
	unsigned char *src = it_bytes(n, 5), *back;
	char path[4096];
	char *id = it_image(it_a, "f", "raw", "bare");
	lc_image *img;

	snprintf(path, sizeof(path), "%s/src.raw", it_dir);
	it_write_file(path, src, n);
	cr_assert_eq(lc_image_upload_file(&img, it_a, id, path, NULL), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_image_size(img), (int64_t)n);
	lc_image_free(img);
	cr_assert_eq(it_download_mem(it_a, id, 0, -1, &back, &len), 0);
	cr_assert(len == n && memcmp(back, src, n) == 0);
	free(back);
	cr_assert_eq(lc_image_upload_file(NULL, it_a, id, "/nonexistent/file", NULL), LC_ENOTFOUND);
	free(src);
	free(id);
}

Test(data, stores_are_chosen_by_name_and_read_only_stores_take_no_data)
{
	lc_image_upload_opts uo = LC_IMAGE_UPLOAD_OPTS_INIT;
	struct cut c = { (const unsigned char *)"abc", 3, 0, (size_t)-1 };
	char *id = it_image(it_a, "s", "raw", "bare");

	cr_assert_not_null(lc_cloud_driver(it_cloud, LC_IMAGE_STORE_KIND, "file"), "the default store is registered");
	cr_assert_not_null(lc_cloud_driver(it_cloud, LC_IMAGE_STORE_KIND, "http"));
	uo.store = "http";
	cr_assert_eq(lc_image_upload(NULL, it_a, id, &uo, cut_read, &c), LC_ENOTSUPPORTED);
	uo.store = "nowhere";
	cr_assert_eq(lc_image_upload(NULL, it_a, id, &uo, cut_read, &c), LC_ENOTFOUND);
	cr_assert_eq(it_upload_mem(it_a, id, "abc", 3), 0, "the image stayed queued");
	free(id);
}

static char other_root[4096];

static int second_store(lc_cloud *c)
{
	lc_image_store *st;
	char *d = strdup("/tmp/lcimg-store-XXXXXX");
	int rc;

	cr_assert_not_null(mkdtemp(d));
	snprintf(other_root, sizeof(other_root), "%s", d);
	free(d);
	rc = lc_image_store_file_new(&st, "fast", other_root, 0);
	return rc ? rc : lc_cloud_add_driver(c, &st->base);
}

Test(data, a_host_registered_store_keeps_its_own_root)
{
	lc_image_upload_opts uo = LC_IMAGE_UPLOAD_OPTS_INIT;
	char path[8192];
	unsigned char *back;
	size_t len;
	char *id;
	lc_image *img;

	it_teardown();
	it_setup_with(second_store);
	id = it_image(it_a, "s", "raw", "bare");
	uo.store = "fast";
	{
		struct cut c = { (const unsigned char *)"abcdef", 6, 0, (size_t)-1 };
		cr_assert_eq(lc_image_upload(&img, it_a, id, &uo, cut_read, &c), 0, "%s", lc_error_last()->message);
	}
	cr_assert_str_eq(lc_image_store_name(img), "fast");
	lc_image_free(img);
	snprintf(path, sizeof(path), "%s/%s", other_root, id);
	back = it_read_file(path, &len);
	cr_assert(len == 6 && memcmp(back, "abcdef", 6) == 0);
	free(back);
	cr_assert_eq(it_data_files(), 0);
	cr_assert_eq(lc_image_delete(it_a, id, 0), 0);
	cr_assert_eq(it_sh("test ! -e '%s'", path), 0);
	it_sh("rm -rf '%s'", other_root);
	free(id);
}

struct deleter {
	lc_session *s;
	const char *id;
	size_t sent;
	int deleted;
};

/* Streams zeros; after 1 MiB deletes the image being uploaded. */
static int deleting_read(size_t *out_len, void *buf, size_t cap, void *payload)
{
	struct deleter *d = payload;
	size_t n = cap < 65536 ? cap : 65536;

	if (d->sent >= 3 * MIB) {
		*out_len = 0;
		return 0;
	}
	if (d->sent >= MIB && !d->deleted) {
		cr_assert_eq(lc_image_delete(d->s, d->id, 0), 0, "%s", lc_error_last()->message);
		d->deleted = 1;
	}
	memset(buf, 0, n);
	d->sent += n;
	*out_len = n;
	return 0;
}

Test(data, an_image_deleted_during_its_upload_keeps_no_data)
{
	char *id = it_image(it_a, "doomed", "raw", "bare");
	struct deleter d = { it_a, id, 0, 0 };
	lc_image *img;

	cr_assert_eq(lc_image_upload(&img, it_a, id, NULL, deleting_read, &d), LC_ENOTFOUND);
	cr_assert_null(img);
	cr_assert(d.deleted);
	cr_assert_eq(lc_image_get(&img, it_a, id), LC_ENOTFOUND);
	cr_assert_eq(it_data_files(), 0, "the data written before the delete is removed");
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGES), 0);
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGE_BYTES), 0);
	free(id);
}

struct nested {
	const char *id;
	int rc;
	int done;
};

/* While the upload runs (the image is saving), a second upload of the same image must conflict. */
static int nested_read(size_t *out_len, void *buf, size_t cap, void *payload)
{
	struct nested *n = payload;

	if (!n->done) {
		n->done = 1;
		n->rc = it_upload_mem(it_a, n->id, "x", 1);
	}
	memset(buf, 1, cap < 4096 ? cap : 4096);
	*out_len = n->done == 1 ? (cap < 4096 ? cap : 4096) : 0;
	n->done = 2;
	return 0;
}

Test(data, a_second_upload_to_a_saving_image_conflicts)
{
	char *id = it_image(it_a, "busy", "raw", "bare");
	struct nested n = { id, 0, 0 };
	lc_image *img;

	cr_assert_eq(lc_image_upload(&img, it_a, id, NULL, nested_read, &n), 0, "%s", lc_error_last()->message);
	cr_assert_eq(n.rc, LC_ECONFLICT, "the image was saving");
	cr_assert_str_eq(lc_image_status(img), "active");
	lc_image_free(img);
	free(id);
}
