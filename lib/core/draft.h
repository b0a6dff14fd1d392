/*
 * Internal: a draft record being built from caller input, checked field by
 * field against the shape table (lengths, UTF-8, ids, who may set what).
 */
#ifndef LC_CORE_DRAFT_H
#define LC_CORE_DRAFT_H

#include "core/id.h"
#include "core/record.h"

typedef struct lc__draft {
	const lc__shape *sh;
	lc__val v[LC__MAX_FIELDS];
	char ids[LC__MAX_FIELDS][LC__ID_TEXT]; /* canonical ids */
} lc__draft;

/* Start a draft for a new record (a fresh id in field 0). */
void lc__draft_new(lc__draft *d, const lc__shape *sh);
/* Start a draft from an existing record (for an update). */
void lc__draft_from(lc__draft *d, const lc__rec *r);

/*
 * Set a text or id field from caller input. NULL leaves the field as it is.
 * update: 1 when the caller changes an existing record (the field must be
 * LC__F_UPDATE), 0 at create (LC__F_CREATE). "" clears a nullable id field.
 */
int lc__draft_text(lc__draft *d, int field, const char *s, int update);
/* Set a boolean from a tri-state (LC_UNSET leaves it). */
int lc__draft_bool(lc__draft *d, int field, int b, int update);
/* Internal fields (not caller input). */
void lc__draft_set_str(lc__draft *d, int field, const char *s);
void lc__draft_set_int(lc__draft *d, int field, int64_t i);
/* Check that every LC__F_REQUIRED field is set. */
int lc__draft_complete(const lc__draft *d);
/* A snapshot of the draft as a decoded record (what a create returns). */
int lc__draft_snapshot(const lc__draft *d, lc__rec **out);

#endif
