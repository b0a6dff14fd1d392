/*
 * Internal: lists kept in BLOB fields (subnets of a network, fixed IPs of a
 * port, ports made for a server...): NUL-terminated items one after the
 * other, built in an lc__nl and read in place from a stored value.
 */
#ifndef LC_CORE_NLIST_H
#define LC_CORE_NLIST_H

#include <stddef.h>

#include "core/record.h"

/* A list being built: NUL-terminated items one after the other. */
typedef struct lc__nl {
	char *buf;
	size_t len, cap;
} lc__nl;

void lc__nl_reset(lc__nl *l);
void lc__nl_free(lc__nl *l);
int lc__nl_add(lc__nl *l, const char *s);
int lc__nl_addn(lc__nl *l, const char *s, size_t n);
/* Point a value at the list (set even when empty). */
void lc__nl_val(lc__val *v, const lc__nl *l);
/* Copy a stored list value into l. */
int lc__nl_copy(lc__nl *l, const lc__val *v);
/* Items in a stored list value; tuples of k items. */
size_t lc__nlv_count(const lc__val *v, size_t k);
const char *lc__nlv_item(const lc__val *v, size_t i);
/* Index of the first tuple whose item j equals s, or -1. */
long lc__nlv_find(const lc__val *v, size_t k, size_t j, const char *s);
size_t lc__nl_count(const lc__rec *r, int field, size_t k);
const char *lc__nl_item(const lc__rec *r, int field, size_t i);

/* Number of items in a NULL-terminated caller list. */
size_t lc__strv_len(const char *const *v);

#endif
