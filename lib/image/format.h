/*
 * Internal: format safety. The upload feeds every chunk to an inspector,
 * which keeps the first MiBs and the last sector of the data; the checks
 * find which disk format the bytes are, refuse unsafe images (qcow2 with a
 * backing or external data file, VMDK referencing other files, differencing
 * VHD/VHDX/VDI, truncated or inconsistent headers) and read the virtual size.
 */
#ifndef LC_IMAGE_FORMAT_H
#define LC_IMAGE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define LC__FMT_HEAD ((size_t)4 << 20)
#define LC__FMT_TAIL 512

typedef struct lc__fmt {
	uint8_t *head;
	size_t head_len;
	uint8_t tail[LC__FMT_TAIL];
	size_t tail_len;
	uint64_t total;
	int checked_head; /* the early check ran */
} lc__fmt;

/* What the bytes are, once inspected. */
typedef struct lc__fmt_info {
	const char *format; /* "raw", "qcow2", "vmdk", "vhd", "vhdx", "vdi", "iso" */
	int64_t virtual_size; /* -1 if unknown */
} lc__fmt_info;

int lc__fmt_init(lc__fmt *f);
void lc__fmt_fini(lc__fmt *f);
void lc__fmt_feed(lc__fmt *f, const void *buf, size_t len);

/*
 * Check the data against the declared formats. With final == 0 (the head
 * is complete but more data may follow) only what the head decides is
 * checked. Returns 0 (info filled when final), or LC_EINVALID with the
 * detail set.
 */
int lc__fmt_check(lc__fmt *f, const char *disk_format, const char *container_format, int final,
		  lc__fmt_info *info);

/* Per-format inspectors over the head (len bytes of a total). 0, or LC_EINVALID. */
int lc__fmt_qcow2(const uint8_t *p, size_t len, uint64_t total, int final, int64_t *vsize);
int lc__fmt_vmdk(const uint8_t *p, size_t len, uint64_t total, int final, int64_t *vsize);
int lc__fmt_vhdx(const uint8_t *p, size_t len, uint64_t total, int final, int64_t *vsize);

/* Big- and little-endian readers. */
static inline uint32_t lc__be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t lc__be64(const uint8_t *p)
{
	return (uint64_t)lc__be32(p) << 32 | lc__be32(p + 4);
}
static inline uint16_t lc__le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t lc__le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t lc__le64(const uint8_t *p)
{
	return (uint64_t)lc__le32(p) | (uint64_t)lc__le32(p + 4) << 32;
}

#endif
