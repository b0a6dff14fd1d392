/*
 * The compute service's only contact with the image service: through its
 * public C API (lc_image_get, lc_image_download, lc_image_create,
 * lc_image_upload_file), with the caller's session.
 */
#include "compute/imageref.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libcloud/image.h>

#include "core/error.h"

void lc__cimage_fini(lc__cimage *im)
{
	free(im->blob);
	memset(im, 0, sizeof(*im));
}

int lc__cimage_get(lc_session *s, const char *id, lc__cimage *im)
{
	lc_image *img = NULL;
	size_t n, len = 0, off = 0;
	int rc;

	memset(im, 0, sizeof(*im));
	rc = lc_image_get(&img, s, id);
	if (rc < 0)
		return rc;
	snprintf(im->id, sizeof(im->id), "%s", lc_image_id(img));
	snprintf(im->status, sizeof(im->status), "%s", lc_image_status(img));
	snprintf(im->disk_format, sizeof(im->disk_format), "%s",
		 lc_image_disk_format(img) ? lc_image_disk_format(img) : "");
	im->min_disk = lc_image_min_disk_gib(img);
	im->min_ram = lc_image_min_ram_mib(img);
	im->size = lc_image_size(img);
	im->virtual_size = lc_image_virtual_size(img);
	n = lc_image_property_count(img);
	if (n > LC__KV_MAX)
		n = LC__KV_MAX;
	for (size_t i = 0; i < n; i++)
		len += strlen(lc_image_property_key(img, i)) + strlen(lc_image_property_value(img, i)) + 2;
	im->blob = malloc(len ? len : 1);
	if (im->blob == NULL) {
		lc_image_free(img);
		return lc__error_set(LC_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		const char *k = lc_image_property_key(img, i), *v = lc_image_property_value(img, i);
		size_t kl = strlen(k) + 1, vl = strlen(v) + 1;

		memcpy(im->blob + off, k, kl);
		im->props.k[im->props.n] = im->blob + off;
		off += kl;
		memcpy(im->blob + off, v, vl);
		im->props.v[im->props.n++] = im->blob + off;
		off += vl;
	}
	lc_image_free(img);
	/* Nova's ImagePropertiesFilter reads the new names first, then the old ones */
	im->hv_type = lc__kv_get(&im->props, "img_hv_type");
	if (im->hv_type == NULL)
		im->hv_type = lc__kv_get(&im->props, "hypervisor_type");
	im->arch = lc__kv_get(&im->props, "hw_architecture");
	if (im->arch == NULL)
		im->arch = lc__kv_get(&im->props, "architecture");
	return 0;
}

static int write_all(const void *buf, size_t len, void *p)
{
	int fd = *(int *)p;
	const char *b = buf;

	while (len > 0) {
		ssize_t n = write(fd, b, len);

		if (n < 0)
			return -1;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

int lc__cimage_fetch(lc_session *s, const char *id, const char *dest)
{
	int fd = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc;

	if (fd < 0)
		return lc__error_errno("cannot create the instance disk", dest);
	rc = lc_image_download(s, id, 0, -1, write_all, &fd);
	if (rc == LC_EUSER)
		rc = lc__error_errno("cannot write the instance disk", dest);
	if (rc == 0 && fsync(fd) != 0)
		rc = lc__error_errno("cannot sync the instance disk", dest);
	close(fd);
	if (rc < 0)
		unlink(dest);
	return rc;
}

int lc__cimage_snapshot(lc_session *s, const char *name, const char *disk_format, const char *path,
			const char *const *props, int64_t min_disk, int64_t min_ram, char id_out[LC__ID_TEXT])
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	lc_image *img = NULL;
	char id[LC__ID_TEXT];
	int rc;

	o.name = name;
	o.disk_format = disk_format;
	o.container_format = "bare";
	o.visibility = "private";
	o.properties = props;
	o.min_disk_gib = min_disk;
	o.min_ram_mib = min_ram;
	LC_TRY(lc_image_create(&img, s, &o));
	snprintf(id, sizeof(id), "%s", lc_image_id(img));
	lc_image_free(img);
	rc = lc_image_upload_file(NULL, s, id, path, NULL);
	if (rc < 0) {
		lc_error saved = *lc_error_last();
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", saved.message);
		lc_image_delete(s, id, 0);
		return lc__error_set(rc, "%s", msg);
	}
	if (id_out)
		memcpy(id_out, id, LC__ID_TEXT);
	return 0;
}
