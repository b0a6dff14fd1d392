/*
 * VMDK: only a single-file sparse image (createType monolithicSparse or
 * streamOptimized, one SPARSE extent, no parent) is accepted; its embedded
 * descriptor is read from the header's descriptor offset.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "image/format.h"

#define SECTOR 512u
#define DESC_MAX (64u << 10)

static int bad(const char *what)
{
	return lc__error_set(LC_EINVALID, "bad VMDK header: %s", what);
}

static int unsafe(const char *what)
{
	return lc__error_set(LC_EINVALID, "unsafe image: the VMDK %s", what);
}

/* Value of key="value" in a descriptor line, into out; 1 if the line sets key. */
static int kv(const char *line, const char *key, char *out, size_t sz)
{
	size_t kl = strlen(key), n = 0;
	const char *v;

	while (*line == ' ' || *line == '\t')
		line++;
	if (strncmp(line, key, kl) != 0)
		return 0;
	v = line + kl;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v++ != '=')
		return 0;
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '"')
		v++;
	while (*v && *v != '"' && *v != '\n' && *v != '\r' && n + 1 < sz)
		out[n++] = *v++;
	out[n] = '\0';
	return 1;
}

static int check_descriptor(const char *d)
{
	char line[1024], val[256];
	int extents = 0, have_type = 0;

	while (*d) {
		size_t n = strcspn(d, "\n");
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, d, n);
		line[n] = '\0';
		d += strcspn(d, "\n");
		if (*d)
			d++;
		if (line[0] == '#' || line[0] == '\0' || line[0] == '\r')
			continue;
		if (kv(line, "createType", val, sizeof(val))) {
			if (strcmp(val, "monolithicSparse") != 0 && strcmp(val, "streamOptimized") != 0)
				return unsafe("is of a multi-file type (createType must be monolithicSparse or streamOptimized)");
			have_type = 1;
		} else if (kv(line, "parentCID", val, sizeof(val))) {
			if (strcmp(val, "ffffffff") != 0)
				return unsafe("has a parent image");
		} else if (kv(line, "parentFileNameHint", val, sizeof(val))) {
			return unsafe("names a parent file");
		} else if (!strncmp(line, "RW ", 3) || !strncmp(line, "RDONLY ", 7) || !strncmp(line, "NOACCESS ", 9)) {
			char access[16], type[16];
			unsigned long long sectors;

			if (sscanf(line, "%15s %llu %15s", access, &sectors, type) != 3)
				return bad("extent line");
			if (strcmp(type, "SPARSE") != 0)
				return unsafe("descriptor refers to another file (an extent that is not SPARSE)");
			extents++;
		}
	}
	if (!have_type)
		return bad("the descriptor has no createType");
	if (extents != 1)
		return unsafe("descriptor refers to other files (more than one extent)");
	return 0;
}

int lc__fmt_vmdk(const uint8_t *p, size_t len, uint64_t total, int final, int64_t *vsize)
{
	uint64_t capacity, doff, dsize;
	uint32_t version;
	char desc[DESC_MAX + 1];

	if (len < 512)
		return final ? bad("truncated") : 0;
	version = lc__le32(p + 4);
	if (version < 1 || version > 3)
		return bad("unsupported version");
	capacity = lc__le64(p + 12);
	doff = lc__le64(p + 28);
	dsize = lc__le64(p + 36);
	if (capacity > (UINT64_MAX >> 10))
		return bad("capacity");
	*vsize = (int64_t)(capacity * SECTOR);
	if (doff == 0 || dsize == 0)
		return bad("no embedded descriptor");
	if (dsize > DESC_MAX / SECTOR || doff > (LC__FMT_HEAD / SECTOR))
		return bad("descriptor too large or too far");
	if ((doff + dsize) * SECTOR > len || (final && (doff + dsize) * SECTOR > total))
		return bad("truncated descriptor");
	memcpy(desc, p + doff * SECTOR, dsize * SECTOR);
	desc[dsize * SECTOR] = '\0';
	return check_descriptor(desc);
}
