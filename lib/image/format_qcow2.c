/*
 * qcow2: refuse a backing file, an external data file, unknown
 * incompatible features, and headers that are truncated or point outside
 * the data. Reads the virtual size.
 */
#include "core/error.h"
#include "image/format.h"

#define QCOW2_INCOMPAT_DIRTY (1u << 0)
#define QCOW2_INCOMPAT_CORRUPT (1u << 1)
#define QCOW2_INCOMPAT_DATA_FILE (1u << 2)
#define QCOW2_INCOMPAT_COMPRESSION (1u << 3)
#define QCOW2_INCOMPAT_EXTL2 (1u << 4)
#define QCOW2_INCOMPAT_KNOWN 0x1fu

#define EXT_END 0x00000000u
#define EXT_BACKING_FORMAT 0xe2792acau
#define EXT_DATA_FILE 0x44415441u

static int bad(const char *what)
{
	return lc__error_set(LC_EINVALID, "bad qcow2 header: %s", what);
}

int lc__fmt_qcow2(const uint8_t *p, size_t len, uint64_t total, int final, int64_t *vsize)
{
	uint32_t version, cluster_bits, hlen, l1_size, rt_clusters;
	uint64_t cluster, l1_off, rt_off, incompat = 0, off;

	if (len < 72)
		return final ? bad("truncated") : 0;
	version = lc__be32(p + 4);
	if (version != 2 && version != 3)
		return bad("unsupported version");
	if (lc__be64(p + 8) != 0 || lc__be32(p + 16) != 0)
		return lc__error_set(LC_EINVALID, "unsafe image: the qcow2 image has a backing file");
	cluster_bits = lc__be32(p + 20);
	if (cluster_bits < 9 || cluster_bits > 21)
		return bad("cluster size");
	cluster = (uint64_t)1 << cluster_bits;
	*vsize = (int64_t)lc__be64(p + 24);
	if (*vsize < 0)
		return bad("virtual size");
	l1_size = lc__be32(p + 36);
	l1_off = lc__be64(p + 40);
	rt_off = lc__be64(p + 48);
	rt_clusters = lc__be32(p + 56);
	hlen = 72;
	if (version == 3) {
		if (len < 104)
			return final ? bad("truncated") : 0;
		incompat = lc__be64(p + 72);
		hlen = lc__be32(p + 100);
		if (hlen < 104 || hlen > cluster || (hlen & 7))
			return bad("header length");
	}
	if (incompat & QCOW2_INCOMPAT_DATA_FILE)
		return lc__error_set(LC_EINVALID, "unsafe image: the qcow2 image has an external data file");
	if (incompat & QCOW2_INCOMPAT_CORRUPT)
		return bad("marked corrupt");
	if (incompat & ~(uint64_t)QCOW2_INCOMPAT_KNOWN)
		return bad("unknown incompatible features");
	if ((l1_off & (cluster - 1)) || (rt_off & (cluster - 1)) || l1_off == 0 || rt_off == 0)
		return bad("table offsets");
	/* Header extensions, within the first cluster. */
	for (off = hlen; off + 8 <= cluster; ) {
		uint32_t type, elen;

		if (off + 8 > len)
			return final ? bad("truncated header extensions") : 0;
		type = lc__be32(p + off);
		elen = lc__be32(p + off + 4);
		if (type == EXT_END)
			break;
		if (type == EXT_DATA_FILE)
			return lc__error_set(LC_EINVALID, "unsafe image: the qcow2 image names an external data file");
		if (elen > cluster)
			return bad("header extension length");
		off += 8 + (((uint64_t)elen + 7) & ~(uint64_t)7);
	}
	if (off + 8 > cluster)
		return bad("header extensions overrun the first cluster");
	if (final) {
		if (total < cluster)
			return bad("truncated (smaller than one cluster)");
		if (l1_off > total || (uint64_t)l1_size * 8 > total - l1_off)
			return bad("the L1 table lies outside the data");
		if (rt_off > total || ((uint64_t)rt_clusters << cluster_bits) > total - rt_off)
			return bad("the refcount table lies outside the data");
	}
	return 0;
}
