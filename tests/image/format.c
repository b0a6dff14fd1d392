/*
 * Format safety: the declared disk_format must match the data; qcow2 with a
 * backing or external data file, VMDK descriptors that reference other
 * files, and truncated or inconsistent headers are refused and leave the
 * image queued with no data kept. Fixtures are made at test time with
 * qemu-img (Debian's qemu-utils) or crafted byte by byte.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imgtest.h"

TestSuite(format, .init = it_setup, .fini = it_teardown, .timeout = 120);

#define MIB (1024 * 1024)

static char fx[4096];

/* Make a fixture with qemu-img in the cloud's directory; skip the test when qemu-img is missing. */
static const char *qimg(const char *name, const char *args)
{
	if (it_sh("command -v qemu-img >/dev/null") != 0)
		cr_skip_test("qemu-img is not installed (Debian: qemu-utils)");
	snprintf(fx, sizeof(fx), "%s/%s", it_dir, name);
	cr_assert_eq(it_sh("cd '%s' && qemu-img create -q %s >/dev/null", it_dir, args), 0, "qemu-img create %s", args);
	return fx;
}

/* Upload a file as an image with the declared formats; returns the code. *idout gets the id. */
static int upload(const char *path, const char *disk_format, const char *container_format, char **idout)
{
	char *id = it_image(it_a, "fmt", disk_format, container_format);
	int rc = lc_image_upload_file(NULL, it_a, id, path, NULL);

	if (idout)
		*idout = id;
	else
		free(id);
	return rc;
}

static void assert_refused_and_clean(const char *path, const char *disk_format, const char *needle)
{
	char *id;
	lc_image *img;
	int files = it_data_files();
	int64_t used = it_usage(it_pa, LC_QUOTA_IMAGE_BYTES);
	int rc = upload(path, disk_format, "bare", &id);

	cr_assert_eq(rc, LC_EINVALID, "%s as %s: %d %s", path, disk_format, rc, lc_error_last()->message);
	cr_assert(strstr(lc_error_last()->message, needle), "message '%s' lacks '%s'", lc_error_last()->message, needle);
	cr_assert_eq(lc_image_get(&img, it_a, id), 0);
	cr_assert_str_eq(lc_image_status(img), "queued", "a refused image stays queued");
	cr_assert_null(lc_image_checksum(img));
	lc_image_free(img);
	cr_assert_eq(it_data_files(), files, "nothing is kept");
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGE_BYTES), used);
	free(id);
}

static void assert_accepted(const char *path, const char *disk_format, int64_t vsize)
{
	char *id;
	lc_image *img;
	int rc = upload(path, disk_format, "bare", &id);

	cr_assert_eq(rc, 0, "%s as %s: %s", path, disk_format, lc_error_last()->message);
	cr_assert_eq(lc_image_get(&img, it_a, id), 0);
	cr_assert_str_eq(lc_image_status(img), "active");
	if (vsize >= 0)
		cr_assert_eq(lc_image_virtual_size(img), vsize, "%s: virtual size %lld", path,
			     (long long)lc_image_virtual_size(img));
	lc_image_free(img);
	free(id);
}

Test(format, a_qcow2_image_is_accepted_with_its_virtual_size)
{
	assert_accepted(qimg("a.qcow2", "-f qcow2 a.qcow2 64M"), "qcow2", 64 * MIB);
}

Test(format, a_qcow2_image_with_a_backing_file_is_refused)
{
	qimg("base.raw", "-f raw base.raw 1M");
	assert_refused_and_clean(qimg("b.qcow2", "-f qcow2 -b base.raw -F raw b.qcow2"), "qcow2", "backing file");
}

Test(format, a_qcow2_image_with_an_external_data_file_is_refused)
{
	assert_refused_and_clean(qimg("c.qcow2", "-f qcow2 -o data_file=ext.raw c.qcow2 1M"), "qcow2",
				 "external data file");
}

Test(format, a_qcow2_image_declared_raw_is_refused)
{
	assert_refused_and_clean(qimg("a.qcow2", "-f qcow2 a.qcow2 1M"), "raw", "is a qcow2 image");
}

Test(format, raw_data_declared_qcow2_is_refused_early_and_late)
{
	size_t n = 6 * MIB;
	unsigned char *src = it_bytes(n, 11);
	char path[4096];

	snprintf(path, sizeof(path), "%s/big.raw", it_dir);
	it_write_file(path, src, n); /* past the inspected head: refused while streaming */
	assert_refused_and_clean(path, "qcow2", "not a qcow2");
	snprintf(path, sizeof(path), "%s/small.raw", it_dir);
	it_write_file(path, src, 1000); /* shorter than the head: refused at the end */
	assert_refused_and_clean(path, "qcow2", "not a qcow2");
	assert_refused_and_clean(path, "vmdk", "not a vmdk");
	free(src);
}

Test(format, a_truncated_qcow2_header_is_refused)
{
	unsigned char *img;
	size_t len;
	char path[4096];

	img = it_read_file(qimg("a.qcow2", "-f qcow2 a.qcow2 1M"), &len);
	snprintf(path, sizeof(path), "%s/trunc.qcow2", it_dir);
	it_write_file(path, img, 60);
	assert_refused_and_clean(path, "qcow2", "truncated");
	it_write_file(path, img, 64 * 1024); /* the header is whole, the tables are cut off */
	assert_refused_and_clean(path, "qcow2", "outside the data");
	free(img);
}

Test(format, a_qcow2_header_with_unknown_incompatible_features_is_refused)
{
	unsigned char *img;
	size_t len;
	char path[4096];

	img = it_read_file(qimg("a.qcow2", "-f qcow2 a.qcow2 1M"), &len);
	img[72 + 7] |= 0x80; /* incompatible feature bit 7 */
	snprintf(path, sizeof(path), "%s/feat.qcow2", it_dir);
	it_write_file(path, img, len);
	assert_refused_and_clean(path, "qcow2", "incompatible");
	free(img);
}

Test(format, a_monolithic_sparse_and_a_stream_optimized_vmdk_are_accepted)
{
	assert_accepted(qimg("d.vmdk", "-f vmdk d.vmdk 32M"), "vmdk", 32 * MIB);
	assert_accepted(qimg("f.vmdk", "-f vmdk -o subformat=streamOptimized f.vmdk 32M"), "vmdk", 32 * MIB);
}

Test(format, a_vmdk_descriptor_file_is_refused)
{
	assert_refused_and_clean(qimg("e.vmdk", "-f vmdk -o subformat=monolithicFlat e.vmdk 1M"), "vmdk",
				 "refers to other files");
	assert_refused_and_clean(qimg("t.vmdk", "-f vmdk -o subformat=twoGbMaxExtentSparse t.vmdk 1M"), "vmdk",
				 "refers to other files");
}

/* Replace old with new (padded with spaces to the same length) inside a buffer. */
static void patch(unsigned char *p, size_t len, const char *old, const char *new)
{
	size_t ol = strlen(old), nl = strlen(new);

	cr_assert_leq(nl, ol);
	for (size_t i = 0; i + ol <= len; i++) {
		if (memcmp(p + i, old, ol) == 0) {
			memcpy(p + i, new, nl);
			memset(p + i + nl, ' ', ol - nl);
			return;
		}
	}
	cr_assert_fail("'%s' not found", old);
}

Test(format, a_sparse_vmdk_whose_descriptor_points_at_another_file_is_refused)
{
	unsigned char *img;
	size_t len;
	char path[4096];

	img = it_read_file(qimg("d.vmdk", "-f vmdk d.vmdk 1M"), &len);
	patch(img, len, "RW 2048 SPARSE \"d.vmdk\"", "RW 2048 FLAT \"/etc/x\" 0");
	snprintf(path, sizeof(path), "%s/evil.vmdk", it_dir);
	it_write_file(path, img, len);
	assert_refused_and_clean(path, "vmdk", "refers to another file");
	free(img);
	img = it_read_file(fx, &len);
	patch(img, len, "createType=\"monolithicSparse\"", "createType=\"vmfs\"");
	it_write_file(path, img, len);
	assert_refused_and_clean(path, "vmdk", "multi-file");
	free(img);
}

Test(format, vhd_vhdx_and_vdi_are_recognised_with_their_virtual_size)
{
	assert_accepted(qimg("g.vhd", "-f vpc g.vhd 16M"), "vhd", -1);
	assert_accepted(qimg("h.vhd", "-f vpc -o subformat=fixed h.vhd 16M"), "vhd", -1);
	assert_accepted(qimg("i.vhdx", "-f vhdx i.vhdx 16M"), "vhdx", 16 * MIB);
	assert_accepted(qimg("j.vdi", "-f vdi j.vdi 8M"), "vdi", 8 * MIB);
	assert_refused_and_clean(qimg("k.vhdx", "-f vhdx k.vhdx 1M"), "raw", "is a vhdx image");
	assert_refused_and_clean(qimg("l.vhd", "-f vpc -o subformat=fixed l.vhd 1M"), "raw", "is a vhd image");
}

Test(format, a_differencing_vhd_is_refused)
{
	unsigned char *img;
	size_t len;
	char path[4096];

	img = it_read_file(qimg("g.vhd", "-f vpc g.vhd 1M"), &len);
	img[63] = 4; /* disk type: differencing (the footer copy at offset 0) */
	snprintf(path, sizeof(path), "%s/diff.vhd", it_dir);
	it_write_file(path, img, len);
	assert_refused_and_clean(path, "vhd", "parent");
	free(img);
}

Test(format, an_iso_is_recognised_and_may_be_declared_raw)
{
	size_t n = 64 * 1024;
	unsigned char *iso = calloc(1, n);
	char path[4096];

	iso[0x8000] = 1;
	memcpy(iso + 0x8001, "CD001", 5);
	iso[0x8006] = 1;
	iso[0x8050] = 32; /* 32 blocks of 2048 bytes */
	iso[0x8081] = 0x08;
	snprintf(path, sizeof(path), "%s/x.iso", it_dir);
	it_write_file(path, iso, n);
	assert_accepted(path, "iso", 64 * 1024);
	assert_accepted(path, "raw", 64 * 1024);
	snprintf(path, sizeof(path), "%s/plain.bin", it_dir);
	memset(iso, 0, n);
	it_write_file(path, iso, n);
	assert_refused_and_clean(path, "iso", "not a iso");
	free(iso);
}

Test(format, an_archive_container_is_not_held_to_the_disk_format)
{
	unsigned char *src = it_bytes(4096, 2);
	char path[4096];

	snprintf(path, sizeof(path), "%s/x.ova", it_dir);
	it_write_file(path, src, 4096);
	cr_assert_eq(upload(path, "vmdk", "ova", NULL), 0, "%s", lc_error_last()->message);
	free(src);
}
