/* A small XML writer that escapes everything it is given. */
#include "drivers/compute/xmlw.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lc__xmlw_init(lc__xmlw *w)
{
	memset(w, 0, sizeof(*w));
}

static void put(lc__xmlw *w, const char *s, size_t n)
{
	if (w->err)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t cap = (w->len + n + 1) * 2 + 256;
		char *b = realloc(w->buf, cap);

		if (b == NULL) {
			w->err = 1;
			return;
		}
		w->buf = b;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void puts_(lc__xmlw *w, const char *s)
{
	put(w, s, strlen(s));
}

/* Valid UTF-8 with no character XML 1.0 forbids (C0 controls other than tab, LF, CR). */
static int text_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned int c = *p, n, cp;

		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return 0;
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return 0;
		for (unsigned int i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff)) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		p += n + 1;
	}
	return 1;
}

static void escaped(lc__xmlw *w, const char *s)
{
	if (s == NULL || !text_ok(s)) {
		w->err = 1;
		return;
	}
	for (; *s; s++) {
		switch (*s) {
		case '&': puts_(w, "&amp;"); break;
		case '<': puts_(w, "&lt;"); break;
		case '>': puts_(w, "&gt;"); break;
		case '"': puts_(w, "&quot;"); break;
		case '\'': puts_(w, "&apos;"); break;
		case '\n': puts_(w, "&#10;"); break;
		case '\r': puts_(w, "&#13;"); break;
		case '\t': puts_(w, "&#9;"); break;
		default: put(w, s, 1); break;
		}
	}
}

static void close_tag(lc__xmlw *w)
{
	if (w->open_tag) {
		puts_(w, ">");
		w->open_tag = 0;
	}
}

void lc__xmlw_start(lc__xmlw *w, const char *name)
{
	if (w->depth >= LC__XMLW_DEPTH) {
		w->err = 1;
		return;
	}
	close_tag(w);
	puts_(w, "<");
	puts_(w, name);
	w->stack[w->depth++] = name;
	w->open_tag = 1;
}

void lc__xmlw_attr(lc__xmlw *w, const char *name, const char *value)
{
	if (!w->open_tag) {
		w->err = 1;
		return;
	}
	puts_(w, " ");
	puts_(w, name);
	puts_(w, "=\"");
	escaped(w, value);
	puts_(w, "\"");
}

void lc__xmlw_attr_int(lc__xmlw *w, const char *name, int64_t value)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRId64, value);
	lc__xmlw_attr(w, name, num);
}

void lc__xmlw_text(lc__xmlw *w, const char *text)
{
	close_tag(w);
	escaped(w, text);
}

void lc__xmlw_end(lc__xmlw *w)
{
	if (w->depth == 0) {
		w->err = 1;
		return;
	}
	w->depth--;
	if (w->open_tag) {
		puts_(w, "/>");
		w->open_tag = 0;
		return;
	}
	puts_(w, "</");
	puts_(w, w->stack[w->depth]);
	puts_(w, ">");
}

void lc__xmlw_elem(lc__xmlw *w, const char *name, const char *text)
{
	lc__xmlw_start(w, name);
	lc__xmlw_text(w, text);
	lc__xmlw_end(w);
}

void lc__xmlw_elem_int(lc__xmlw *w, const char *name, int64_t value)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRId64, value);
	lc__xmlw_elem(w, name, num);
}

const char *lc__xmlw_done(lc__xmlw *w)
{
	if (w->err || w->depth != 0 || w->buf == NULL)
		return NULL;
	return w->buf;
}

void lc__xmlw_free(lc__xmlw *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}
