/*
 * VHDX: the region table (at 192 KiB) locates the metadata region, whose
 * table gives the virtual disk size; a parent locator (a differencing disk)
 * is refused.
 */
#include <string.h>

#include "core/error.h"
#include "image/format.h"

#define REGION_TABLE 0x30000u
#define MAX_ENTRIES 2047u

/* GUIDs as stored on disk (the first three fields little-endian). */
static const uint8_t guid_metadata[16] = { 0x06, 0xa2, 0x7c, 0x8b, 0x90, 0x47, 0x9a, 0x4b,
					   0xb8, 0xfe, 0x57, 0x5f, 0x05, 0x0f, 0x88, 0x6e };
static const uint8_t guid_vsize[16] = { 0x24, 0x42, 0xa5, 0x2f, 0x1b, 0xcd, 0x76, 0x48,
					0xb2, 0x11, 0x5d, 0xbe, 0xd8, 0x3b, 0xf4, 0xb8 };
static const uint8_t guid_parent[16] = { 0x2d, 0x5f, 0xd3, 0xa8, 0x0b, 0xb3, 0x4d, 0x45,
					 0xab, 0xf7, 0xd3, 0xd8, 0x48, 0x34, 0xab, 0x0c };

static int bad(const char *what)
{
	return lc__error_set(LC_EINVALID, "bad VHDX header: %s", what);
}

int lc__fmt_vhdx(const uint8_t *p, size_t len, uint64_t total, int final, int64_t *vsize)
{
	const uint8_t *rt = p + REGION_TABLE, *md;
	uint32_t n;
	uint64_t md_off = 0, md_len = 0;
	uint16_t mn;

	(void)total;
	(void)final;
	if (len < REGION_TABLE + 64 * 1024)
		return bad("truncated region table");
	if (memcmp(rt, "regi", 4) != 0)
		return bad("no region table");
	n = lc__le32(rt + 8);
	if (n > MAX_ENTRIES || 16 + (size_t)n * 32 > 64 * 1024)
		return bad("region table entries");
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = rt + 16 + (size_t)i * 32;
		if (memcmp(e, guid_metadata, 16) == 0) {
			md_off = lc__le64(e + 16);
			md_len = lc__le32(e + 24);
		}
	}
	if (md_off == 0 || md_len < 64 * 1024)
		return bad("no metadata region");
	if (md_off > len || md_len > len - md_off)
		return bad("metadata region outside the inspected header");
	md = p + md_off;
	if (memcmp(md, "metadata", 8) != 0)
		return bad("no metadata table");
	mn = lc__le16(md + 10);
	if (mn > MAX_ENTRIES || 32 + (size_t)mn * 32 > 64 * 1024)
		return bad("metadata entries");
	*vsize = -1;
	for (uint16_t i = 0; i < mn; i++) {
		const uint8_t *e = md + 32 + (size_t)i * 32;
		uint32_t off = lc__le32(e + 16), elen = lc__le32(e + 20);

		if (memcmp(e, guid_parent, 16) == 0)
			return lc__error_set(LC_EINVALID, "unsafe image: a differencing VHDX refers to a parent file");
		if (memcmp(e, guid_vsize, 16) == 0) {
			if (elen < 8 || off > md_len || 8 > md_len - off)
				return bad("virtual size item");
			*vsize = (int64_t)lc__le64(md + off);
		}
	}
	if (*vsize < 0)
		return bad("no virtual size");
	return 0;
}
