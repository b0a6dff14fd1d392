/* The snapshot hook compute calls: an image made from a server's disk file (internal API). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcloud/libcloud.h>

#include "image/image.h"
#include "testutil.h"

static char *dir;
static lc_cloud *cloud;
static lc_session *sys;

static void setup(void)
{
	lc_cloud_opts o = LC_CLOUD_OPTS_INIT;

	o.pwhash_strength = LC_PWHASH_MIN;
	dir = lct_tmpdir();
	cr_assert_eq(lc_cloud_new(&cloud, &o), 0);
	cr_assert_eq(lc_cloud_open(cloud, dir, LC_CLOUD_OPEN_CREATE), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_session_system(&sys, cloud), 0);
}

static void teardown(void)
{
	lc_session_free(sys);
	lc_cloud_free(cloud);
	lct_rmtree(dir);
}

TestSuite(snapshot, .init = setup, .fini = teardown, .timeout = 60);

Test(snapshot, a_disk_file_becomes_an_active_image)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	char path[4096];
	lc_image *img;
	FILE *f;

	snprintf(path, sizeof(path), "%s/disk.raw", dir);
	f = fopen(path, "wb");
	for (int i = 0; i < 100000; i++)
		fputc(i & 0xff, f);
	fclose(f);
	o.name = "server-snap";
	o.disk_format = "raw";
	o.container_format = "bare";
	cr_assert_eq(lc__image_snapshot(&img, sys, &o, path), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_image_status(img), "active");
	cr_assert_eq(lc_image_size(img), 100000);
	lc_image_free(img);
}

Test(snapshot, a_failed_snapshot_leaves_no_image)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	lc_image_iter *it;
	lc_image *img;
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/notqcow", dir);
	f = fopen(path, "w");
	fputs("plain text, not a disk image\n", f);
	fclose(f);
	o.name = "bad";
	o.disk_format = "qcow2"; /* the file is not qcow2 */
	o.container_format = "bare";
	cr_assert_eq(lc__image_snapshot(&img, sys, &o, path), LC_EINVALID);
	cr_assert_eq(lc_image_iter_new(&it, sys, NULL), 0);
	cr_assert_eq(lc_image_iter_next(&img, it), LC_ITEROVER);
	lc_image_iter_free(it);
}
