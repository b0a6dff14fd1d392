/*
 * Format safety: find what the uploaded bytes are and check them against
 * the declared disk format (the lesson of OSSA-2023-002 and OSSA-2024-001:
 * never trust the declared format, never let an image point at other files).
 */
#include "image/format.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int lc__fmt_init(lc__fmt *f)
{
	memset(f, 0, sizeof(*f));
	f->head = malloc(LC__FMT_HEAD);
	if (f->head == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	return 0;
}

void lc__fmt_fini(lc__fmt *f)
{
	free(f->head);
	f->head = NULL;
}

void lc__fmt_feed(lc__fmt *f, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (f->head_len < LC__FMT_HEAD) {
		size_t n = LC__FMT_HEAD - f->head_len;
		if (n > len)
			n = len;
		memcpy(f->head + f->head_len, p, n);
		f->head_len += n;
	}
	if (len >= LC__FMT_TAIL) {
		memcpy(f->tail, p + len - LC__FMT_TAIL, LC__FMT_TAIL);
		f->tail_len = LC__FMT_TAIL;
	} else {
		size_t keep = f->tail_len + len > LC__FMT_TAIL ? LC__FMT_TAIL - len : f->tail_len;
		memmove(f->tail, f->tail + f->tail_len - keep, keep);
		memcpy(f->tail + keep, p, len);
		f->tail_len = keep + len;
	}
	f->total += len;
}

/* ---- the small formats ---- */

/* A VHD footer (at the end of every VHD, copied at the start of dynamic ones). */
static int vhd_footer(const uint8_t *p, int64_t *vsize)
{
	uint32_t type = lc__be32(p + 60);

	if (type == 4)
		return lc__error_set(LC_EINVALID, "unsafe image: a differencing VHD refers to a parent file");
	if (type != 2 && type != 3)
		return lc__error_set(LC_EINVALID, "bad VHD footer: disk type %u", type);
	*vsize = (int64_t)lc__be64(p + 48);
	if (*vsize < 0)
		return lc__error_set(LC_EINVALID, "bad VHD footer: size");
	return 0;
}

static int vdi_check(const uint8_t *p, size_t len, int64_t *vsize)
{
	uint32_t type;

	if (len < 0x178)
		return lc__error_set(LC_EINVALID, "truncated VDI header");
	if (lc__le32(p + 0x44) != 0x00010001)
		return lc__error_set(LC_EINVALID, "unsupported VDI version 0x%x", lc__le32(p + 0x44));
	type = lc__le32(p + 0x4c);
	if (type == 4 || type == 3)
		return lc__error_set(LC_EINVALID, "unsafe image: a differencing VDI refers to a parent file");
	if (type != 1 && type != 2)
		return lc__error_set(LC_EINVALID, "bad VDI header: image type %u", type);
	*vsize = (int64_t)lc__le64(p + 0x170);
	return *vsize < 0 ? lc__error_set(LC_EINVALID, "bad VDI header: size") : 0;
}

static int iso_check(const uint8_t *p, size_t len, uint64_t total, int64_t *vsize)
{
	uint32_t blocks;
	uint16_t bs;

	if (len < 0x8082)
		return lc__error_set(LC_EINVALID, "truncated ISO 9660 volume descriptor");
	blocks = lc__le32(p + 0x8050);
	bs = lc__le16(p + 0x8080);
	if (bs != 512 && bs != 1024 && bs != 2048)
		bs = 2048;
	*vsize = (int64_t)blocks * bs;
	if (*vsize == 0)
		*vsize = (int64_t)total;
	return 0;
}

/* ---- detection ---- */

enum { D_RAW, D_QCOW2, D_VMDK, D_VMDK_TEXT, D_VHD, D_VHDX, D_VDI, D_ISO, D_NEED_TAIL };

static const char *const dnames[] = { "raw", "qcow2", "vmdk", "vmdk", "vhd", "vhdx", "vdi", "iso", "raw" };

/* What the head says; D_RAW when it says nothing. */
static int detect_head(const uint8_t *p, size_t len)
{
	static const char desc[] = "# Disk DescriptorFile";

	if (len >= 4 && memcmp(p, "QFI\xfb", 4) == 0)
		return D_QCOW2;
	if (len >= 4 && memcmp(p, "KDMV", 4) == 0)
		return D_VMDK;
	if (len >= sizeof(desc) - 1 && memcmp(p, desc, sizeof(desc) - 1) == 0)
		return D_VMDK_TEXT;
	if (len >= 8 && memcmp(p, "vhdxfile", 8) == 0)
		return D_VHDX;
	if (len >= 0x44 && lc__le32(p + 0x40) == 0xbeda107f)
		return D_VDI;
	if (len >= 512 && memcmp(p, "conectix", 8) == 0)
		return D_VHD;
	if (len >= 0x8006 && p[0x8000] == 1 && memcmp(p + 0x8001, "CD001", 5) == 0)
		return D_ISO;
	return D_RAW;
}

/* A declared format the head alone can recognise. */
static int head_detectable(const char *df)
{
	return !strcmp(df, "qcow2") || !strcmp(df, "vmdk") || !strcmp(df, "vhdx") || !strcmp(df, "vdi") ||
	       !strcmp(df, "iso");
}

/* Declared formats that are plain bytes. */
static int raw_like(const char *df)
{
	return !strcmp(df, "raw") || !strcmp(df, "ami") || !strcmp(df, "ari") || !strcmp(df, "aki");
}

static int inspect(int d, const lc__fmt *f, int final, int64_t *vsize)
{
	*vsize = -1;
	switch (d) {
	case D_QCOW2: return lc__fmt_qcow2(f->head, f->head_len, f->total, final, vsize);
	case D_VMDK: return lc__fmt_vmdk(f->head, f->head_len, f->total, final, vsize);
	case D_VMDK_TEXT:
		return lc__error_set(LC_EINVALID,
				     "unsafe image: a VMDK descriptor file refers to other files (upload a monolithicSparse or streamOptimized VMDK)");
	case D_VHDX: return lc__fmt_vhdx(f->head, f->head_len, f->total, final, vsize);
	case D_VDI: return vdi_check(f->head, f->head_len, vsize);
	case D_VHD:
		return vhd_footer(f->head_len >= 512 && memcmp(f->head, "conectix", 8) == 0 ? f->head : f->tail, vsize);
	case D_ISO: return iso_check(f->head, f->head_len, f->total, vsize);
	default:
		*vsize = (int64_t)f->total;
		return 0;
	}
}

int lc__fmt_check(lc__fmt *f, const char *disk_format, const char *container_format, int final,
		  lc__fmt_info *info)
{
	int d = detect_head(f->head, f->head_len);
	int match = container_format == NULL || !strcmp(container_format, "bare") ||
		    !strcmp(container_format, "ami") || !strcmp(container_format, "ari") ||
		    !strcmp(container_format, "aki");
	int64_t vsize = -1;

	if (final && d == D_RAW && f->tail_len == LC__FMT_TAIL && memcmp(f->tail, "conectix", 8) == 0)
		d = D_VHD; /* a fixed VHD: the footer is the last sector */
	if (!final) {
		f->checked_head = 1;
		if (d == D_RAW) {
			if (match && disk_format && head_detectable(disk_format))
				return lc__error_set(LC_EINVALID,
						     "the data is not a %s image (disk_format does not match the data)",
						     disk_format);
			return 0;
		}
	}
	LC_TRY(inspect(d, f, final, &vsize));
	if (match && disk_format) {
		const char *found = dnames[d];
		int ok = raw_like(disk_format) ? (d == D_RAW || d == D_ISO) : strcmp(found, disk_format) == 0;

		if (!ok)
			return lc__error_set(LC_EINVALID,
					     "the data is a %s image, not a %s image (declare the disk_format the data has)",
					     found, disk_format);
	}
	if (final && info) {
		info->format = dnames[d];
		info->virtual_size = vsize;
		if (match && disk_format && raw_like(disk_format))
			info->virtual_size = (int64_t)f->total;
	}
	return 0;
}
