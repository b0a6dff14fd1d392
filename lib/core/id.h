/* Internal: resource ids (time-ordered UUIDs) and clocks. */
#ifndef LC_CORE_ID_H
#define LC_CORE_ID_H

#include <stdint.h>

#define LC__ID_BYTES 16
#define LC__ID_TEXT 37 /* 36 characters and the NUL */

/* A new UUIDv7 (48-bit milliseconds, then random bits; strictly increasing within a process). */
void lc__id_new(uint8_t id[LC__ID_BYTES]);

/* Format as the canonical lower-case text form. */
void lc__id_format(const uint8_t id[LC__ID_BYTES], char out[LC__ID_TEXT]);

/* Parse a canonical UUID (either case; with or without dashes). 0 or -1. */
int lc__id_parse(const char *text, uint8_t id[LC__ID_BYTES]);

/* Parse and set LC_EINVALID naming `field` when malformed. */
int lc__id_check(const char *field, const char *text, uint8_t id[LC__ID_BYTES]);

/* Wall clock, microseconds since the Unix epoch. */
int64_t lc__now_us(void);



/*
 * Canonicalise an id given by a caller: a UUID in any case, with or without
 * dashes, becomes the lower-case dashed form; the well-known id "default"
 * stays. Anything else is LC_EINVALID naming `field`.
 */
int lc__id_canon(const char *field, const char *text, char out[LC__ID_TEXT]);

/* A new id in text form. */
void lc__id_new_text(char out[LC__ID_TEXT]);
#endif
