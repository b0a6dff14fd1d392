/*
 * Internal: a small XML writer. Element and attribute names are the
 * caller's constants; every attribute value and text node is escaped
 * (&, <, >, ", ') and checked to be valid UTF-8 without control characters,
 * so no caller data can change the document's structure.
 */
#ifndef LC_DRIVERS_COMPUTE_XMLW_H
#define LC_DRIVERS_COMPUTE_XMLW_H

#include <stddef.h>
#include <stdint.h>

#define LC__XMLW_DEPTH 32

typedef struct lc__xmlw {
	char *buf;
	size_t len, cap;
	const char *stack[LC__XMLW_DEPTH];
	int depth;
	int open_tag; /* the last start tag is not closed with '>' yet */
	int err;      /* out of memory, bad text, or unbalanced */
} lc__xmlw;

void lc__xmlw_init(lc__xmlw *w);
/* <name */
void lc__xmlw_start(lc__xmlw *w, const char *name);
/*  name="value" (escaped); only right after start */
void lc__xmlw_attr(lc__xmlw *w, const char *name, const char *value);
void lc__xmlw_attr_int(lc__xmlw *w, const char *name, int64_t value);
/* text content (escaped) */
void lc__xmlw_text(lc__xmlw *w, const char *text);
/* </name> or /> */
void lc__xmlw_end(lc__xmlw *w);
/* <name>text</name> */
void lc__xmlw_elem(lc__xmlw *w, const char *name, const char *text);
void lc__xmlw_elem_int(lc__xmlw *w, const char *name, int64_t value);
/* The finished document (NUL-terminated, owned by w), or NULL on any error. */
const char *lc__xmlw_done(lc__xmlw *w);
void lc__xmlw_free(lc__xmlw *w);

#endif
