/* Request paths and query strings: percent-decoding with strict rejection. */
#include "api/internal.h"

#include <stdio.h>
#include <string.h>

int lc__api_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned int c = s[i], cp, n;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (len - i <= n)
			return 0;
		for (unsigned int k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int lc__pct_decode(char **out, size_t *outlen, lc__arena *a, const char *s, size_t n, int plus_space)
{
	char *d = lc__arena_alloc(a, n + 1);
	size_t j = 0;

	if (d == NULL)
		return LC_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			int hi, lo;

			if (n - i < 3 || (hi = hexval(s[i + 1])) < 0 || (lo = hexval(s[i + 2])) < 0)
				return LC_EINVALID;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		}
		d[j++] = (char)c;
	}
	d[j] = '\0';
	*out = d;
	*outlen = j;
	return 0;
}

static int has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

int lc__path_split(char ***segs, size_t *nseg, lc__arena *a, const char *path, char *err, size_t errlen)
{
	size_t cap = 1, n = 0, plen = strlen(path);
	char **v;

	if (path[0] != '/') {
		snprintf(err, errlen, "the path must start with '/'");
		return LC_EINVALID;
	}
	for (size_t i = 0; i < plen; i++)
		if (path[i] == '/')
			cap++;
	v = lc__arena_alloc(a, cap * sizeof(*v));
	if (v == NULL)
		return LC_ENOMEM;
	for (const char *p = path; *p != '\0';) {
		const char *e;
		char *seg;
		size_t len;
		int rc;

		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		e = strchr(p, '/');
		if (e == NULL)
			e = p + strlen(p);
		/* an encoded slash or backslash would let a segment smuggle a separator */
		for (const char *q = p; e - q >= 3; q++) {
			if (q[0] == '%' && q[1] == '2' && (q[2] | 0x20) == 'f') {
				snprintf(err, errlen, "encoded '/' in the path");
				return LC_EINVALID;
			}
			if (q[0] == '%' && q[1] == '5' && (q[2] | 0x20) == 'c') {
				snprintf(err, errlen, "encoded '\\' in the path");
				return LC_EINVALID;
			}
		}
		rc = lc__pct_decode(&seg, &len, a, p, (size_t)(e - p), 0);
		if (rc == LC_ENOMEM)
			return rc;
		if (rc < 0) {
			snprintf(err, errlen, "bad percent-encoding in the path");
			return LC_EINVALID;
		}
		if (memchr(seg, '\0', len) != NULL || has_control(seg, len)) {
			snprintf(err, errlen, "control character in the path");
			return LC_EINVALID;
		}
		if (!lc__api_utf8_valid(seg, len)) {
			snprintf(err, errlen, "invalid UTF-8 in the path");
			return LC_EINVALID;
		}
		if (strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0) {
			snprintf(err, errlen, "'.' or '..' in the path");
			return LC_EINVALID;
		}
		if (strchr(seg, '\\') != NULL) {
			snprintf(err, errlen, "'\\' in the path");
			return LC_EINVALID;
		}
		v[n++] = seg;
		p = e;
	}
	*segs = v;
	*nseg = n;
	return 0;
}

int lc__query_parse(char ***keys, char ***vals, size_t *n, lc__arena *a, const char *query, char *err,
		    size_t errlen)
{
	size_t cap = 1, cnt = 0;
	char **k, **v;

	*keys = *vals = NULL;
	*n = 0;
	if (query == NULL || *query == '\0')
		return 0;
	for (const char *p = query; *p; p++)
		if (*p == '&' || *p == ';')
			cap++;
	k = lc__arena_alloc(a, cap * sizeof(*k));
	v = lc__arena_alloc(a, cap * sizeof(*v));
	if (k == NULL || v == NULL)
		return LC_ENOMEM;
	for (const char *p = query; *p != '\0';) {
		const char *e = p + strcspn(p, "&;"), *eq;
		size_t klen, vlen;
		int rc;

		if (e == p) {
			p++;
			continue;
		}
		eq = memchr(p, '=', (size_t)(e - p));
		rc = lc__pct_decode(&k[cnt], &klen, a, p, (size_t)((eq ? eq : e) - p), 1);
		if (rc == 0)
			rc = eq ? lc__pct_decode(&v[cnt], &vlen, a, eq + 1, (size_t)(e - eq - 1), 1)
				: lc__pct_decode(&v[cnt], &vlen, a, "", 0, 1);
		if (rc == LC_ENOMEM)
			return rc;
		if (rc < 0) {
			snprintf(err, errlen, "bad percent-encoding in the query string");
			return LC_EINVALID;
		}
		if (memchr(k[cnt], '\0', klen) || memchr(v[cnt], '\0', vlen) || has_control(k[cnt], klen) ||
		    has_control(v[cnt], vlen)) {
			snprintf(err, errlen, "control character in the query string");
			return LC_EINVALID;
		}
		if (!lc__api_utf8_valid(k[cnt], klen) || !lc__api_utf8_valid(v[cnt], vlen)) {
			snprintf(err, errlen, "invalid UTF-8 in the query string");
			return LC_EINVALID;
		}
		cnt++;
		p = *e ? e + 1 : e;
	}
	*keys = k;
	*vals = v;
	*n = cnt;
	return 0;
}
