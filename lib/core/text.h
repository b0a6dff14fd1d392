/* Internal: validation of user-supplied text. */
#ifndef LC_CORE_TEXT_H
#define LC_CORE_TEXT_H

#include <stddef.h>

/* 1 if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
int lc__utf8_valid(const char *s, size_t len);

/*
 * Check a name or free text given for field `field`: valid UTF-8, no control
 * characters, at most max bytes, and (when min > 0) not empty or blank.
 * Returns 0 or LC_EINVALID with the detail set.
 */
int lc__text_check(const char *field, const char *s, size_t min, size_t max);

/* Copy src into dst[0..size) with truncation and a NUL (size > 0); returns strlen(src). */
size_t lc__strlcpy(char *dst, const char *src, size_t size);

/* Concatenate the NULL-terminated list of parts into dst[0..size); LC_EINVALID if it does not fit. */
int lc__strcat_parts(char *dst, size_t size, const char *const *parts);

#endif
