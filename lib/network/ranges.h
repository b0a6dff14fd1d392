/*
 * Internal: sets of 128-bit numbers kept as disjoint, coalesced ranges in
 * an LMDB database: key = pool name, NUL, first number (16 bytes big
 * endian); value = last number. Every operation is a few cursor moves:
 * O(log n) in the number of ranges, never in the size of the set.
 * IPAM keeps a subnet's free addresses this way, segments their free ids.
 */
#ifndef LC_NETWORK_RANGES_H
#define LC_NETWORK_RANGES_H

#include "core/store.h"
#include "network/addr.h"

#define LC__POOL_NAME_MAX 128

/* Add [first, last] to the set, merging with its neighbours. LC_ECORRUPT if it overlaps. */
int lc__ranges_add(lc__txn *t, const lc__dbdef *db, const char *pool, const lc__addr *first, const lc__addr *last);
/* 1 with the range holding a (first/last may be NULL), 0 if a is not in the set, < 0 on error. */
int lc__ranges_find(lc__txn *t, const lc__dbdef *db, const char *pool, const lc__addr *a, lc__addr *first,
		    lc__addr *last);
/* Remove a from the set: 1 if it was there, 0 if not. */
int lc__ranges_take(lc__txn *t, const lc__dbdef *db, const char *pool, const lc__addr *a);
/* Remove the lowest number of the set into *out: 1, or 0 when the set is empty. */
int lc__ranges_take_lowest(lc__txn *t, const lc__dbdef *db, const char *pool, lc__addr *out);
/* Remove the lowest number of the set within [lo, hi] into *out: 1, or 0 when there is none. O(log n). */
int lc__ranges_take_lowest_in(lc__txn *t, const lc__dbdef *db, const char *pool, const lc__addr *lo,
			      const lc__addr *hi, lc__addr *out);
/* Visit the ranges in order; fn returns non-zero to stop (returned as is). */
int lc__ranges_each(lc__txn *t, const lc__dbdef *db, const char *pool,
		    int (*fn)(const lc__addr *first, const lc__addr *last, void *p), void *p);
/* Remove the whole set. */
int lc__ranges_drop(lc__txn *t, const lc__dbdef *db, const char *pool);

/* Keys of a pool's entries: pool, NUL, 16 bytes (also used for per-address maps). */
#define LC__RKEY_MAX (LC__POOL_NAME_MAX + 1 + 16)
size_t lc__rkey(char key[LC__RKEY_MAX], const char *pool, const lc__addr *a);
/* 1 if an LMDB key belongs to the pool (and sets *a to its number). */
int lc__rkey_in(const MDB_val *k, const char *pool, size_t plen, lc__addr *a);

#endif
