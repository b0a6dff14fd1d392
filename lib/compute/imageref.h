/*
 * Internal: what the compute service needs from the image service, behind
 * four functions that use only the image service's public C API.
 */
#ifndef LC_COMPUTE_IMAGEREF_H
#define LC_COMPUTE_IMAGEREF_H

#include "compute/compute.h"

typedef struct lc__cimage {
	char id[LC__ID_TEXT];
	char status[16];
	char disk_format[16];
	int64_t min_disk, min_ram, size, virtual_size;
	lc__kv props;           /* pointers into blob */
	char *blob;
	const char *hv_type;    /* img_hv_type / hypervisor_type, or NULL */
	const char *arch;       /* hw_architecture / architecture, or NULL */
} lc__cimage;

/* Read an image visible to s (LC_ENOTFOUND otherwise). */
int lc__cimage_get(lc_session *s, const char *id, lc__cimage *out);
void lc__cimage_fini(lc__cimage *im);
/* Copy an image's data into a file. */
int lc__cimage_fetch(lc_session *s, const char *id, const char *dest);
/* Create an image in s's project from a file (deleted again if the upload fails). */
int lc__cimage_snapshot(lc_session *s, const char *name, const char *disk_format, const char *path,
			const char *const *props, int64_t min_disk, int64_t min_ram, char id_out[LC__ID_TEXT]);

#endif
