/* Sets of numbers as coalesced ranges in LMDB: the allocator under IPAM and segments. */
#include "network/ranges.h"

#include <string.h>

#include "core/error.h"

size_t lc__rkey(char key[LC__RKEY_MAX], const char *pool, const lc__addr *a)
{
	size_t n = strnlen(pool, LC__POOL_NAME_MAX);

	memcpy(key, pool, n);
	key[n] = '\0';
	memcpy(key + n + 1, a->b, 16);
	return n + 17;
}

int lc__rkey_in(const MDB_val *k, const char *pool, size_t plen, lc__addr *a)
{
	const char *d = k->mv_data;

	if (k->mv_size != plen + 17 || memcmp(d, pool, plen) != 0 || d[plen] != '\0')
		return 0;
	if (a)
		memcpy(a->b, d + plen + 1, 16);
	return 1;
}

static int val_addr(const MDB_val *v, lc__addr *a)
{
	if (v->mv_size != 16)
		return lc__error_set(LC_ECORRUPT, "a stored address range is corrupt");
	memcpy(a->b, v->mv_data, 16);
	return 0;
}

static int cursor(lc__txn *t, const lc__dbdef *db, MDB_cursor **cur)
{
	int rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, db), cur);

	return rc ? lc__txn_error(t, rc, db->name) : 0;
}

/*
 * Position on the range with the greatest first number <= a. Returns 1 with
 * first/last, 0 when there is none in the pool, < 0 on error.
 */
static int floor_range(MDB_cursor *cur, lc__txn *t, const lc__dbdef *db, const char *pool, const lc__addr *a,
		       lc__addr *first, lc__addr *last)
{
	char key[LC__RKEY_MAX];
	size_t plen = strlen(pool);
	MDB_val k = { lc__rkey(key, pool, a), key }, v;
	int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);

	if (rc == 0 && lc__rkey_in(&k, pool, plen, first) && lc__addr_cmp(first, a) == 0)
		return val_addr(&v, last) < 0 ? LC_ECORRUPT : 1;
	if (rc == MDB_NOTFOUND)
		rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	else if (rc == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_PREV);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc)
		return lc__txn_error(t, rc, db->name);
	if (!lc__rkey_in(&k, pool, plen, first))
		return 0;
	return val_addr(&v, last) < 0 ? LC_ECORRUPT : 1;
}

/* The range with the smallest first number > a: 1, 0 if none, < 0 on error. */
static int next_range(MDB_cursor *cur, lc__txn *t, const lc__dbdef *db, const char *pool, const lc__addr *a,
		      lc__addr *first, lc__addr *last)
{
	char key[LC__RKEY_MAX];
	size_t plen = strlen(pool);
	MDB_val k = { lc__rkey(key, pool, a), key }, v;
	int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);

	if (rc == 0 && lc__rkey_in(&k, pool, plen, first) && lc__addr_cmp(first, a) == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc)
		return lc__txn_error(t, rc, db->name);
	if (!lc__rkey_in(&k, pool, plen, first))
		return 0;
	return val_addr(&v, last) < 0 ? LC_ECORRUPT : 1;
}

static int put_range(lc__txn *t, const lc__dbdef *db, const char *pool, const lc__addr *first, const lc__addr *last)
{
	char key[LC__RKEY_MAX];

	return lc__txn_put(t, db, key, lc__rkey(key, pool, first), last->b, 16, 0);
}

static int del_range(lc__txn *t, const lc__dbdef *db, const char *pool, const lc__addr *first)
{
	char key[LC__RKEY_MAX];

	return lc__txn_del(t, db, key, lc__rkey(key, pool, first), NULL, 0);
}

int lc__ranges_add(lc__txn *t, const lc__dbdef *db, const char *pool, const lc__addr *first, const lc__addr *last)
{
	MDB_cursor *cur;
	lc__addr nf = *first, nl = *last, pf, pl, sf = { { 0 } }, sl = { { 0 } }, tmp;
	int rc, merge_prev = 0, merge_next = 0;

	if (strlen(pool) > LC__POOL_NAME_MAX || lc__addr_cmp(first, last) > 0)
		return lc__error_set(LC_EINVALID, "invalid range for pool %.64s", pool);
	LC_TRY(cursor(t, db, &cur));
	rc = floor_range(cur, t, db, pool, first, &pf, &pl);
	if (rc > 0) {
		if (lc__addr_cmp(&pl, first) >= 0) {
			rc = lc__error_set(LC_ECORRUPT, "range overlaps a free range of %.64s", pool);
			goto out;
		}
		tmp = pl;
		if (!lc__addr_inc(&tmp) && lc__addr_cmp(&tmp, first) == 0) {
			merge_prev = 1;
			nf = pf;
		}
	}
	if (rc < 0)
		goto out;
	rc = next_range(cur, t, db, pool, first, &sf, &sl);
	if (rc > 0) {
		if (lc__addr_cmp(&sf, last) <= 0) {
			rc = lc__error_set(LC_ECORRUPT, "range overlaps a free range of %.64s", pool);
			goto out;
		}
		tmp = *last;
		if (!lc__addr_inc(&tmp) && lc__addr_cmp(&tmp, &sf) == 0) {
			merge_next = 1;
			nl = sl;
		}
	}
	if (rc < 0)
		goto out;
	mdb_cursor_close(cur);
	if (merge_next)
		LC_TRY(del_range(t, db, pool, &sf));
	/* when merging with the previous range its key stays: only its last number changes */
	(void)merge_prev;
	return put_range(t, db, pool, &nf, &nl);
out:
	mdb_cursor_close(cur);
	return rc;
}

int lc__ranges_find(lc__txn *t, const lc__dbdef *db, const char *pool, const lc__addr *a, lc__addr *first,
		    lc__addr *last)
{
	MDB_cursor *cur;
	lc__addr f, l;
	int rc;

	LC_TRY(cursor(t, db, &cur));
	rc = floor_range(cur, t, db, pool, a, &f, &l);
	mdb_cursor_close(cur);
	if (rc <= 0)
		return rc;
	if (lc__addr_cmp(&l, a) < 0)
		return 0;
	if (first)
		*first = f;
	if (last)
		*last = l;
	return 1;
}

/* Remove a from the range [f, l] that holds it. */
static int split(lc__txn *t, const lc__dbdef *db, const char *pool, const lc__addr *f, const lc__addr *l,
		 const lc__addr *a)
{
	lc__addr below = *a, above = *a;

	if (lc__addr_cmp(f, a) == 0)
		LC_TRY(del_range(t, db, pool, f));
	else {
		lc__addr_dec(&below);
		LC_TRY(put_range(t, db, pool, f, &below));
	}
	if (lc__addr_cmp(a, l) < 0) {
		lc__addr_inc(&above);
		LC_TRY(put_range(t, db, pool, &above, l));
	}
	return 1;
}

int lc__ranges_take(lc__txn *t, const lc__dbdef *db, const char *pool, const lc__addr *a)
{
	lc__addr f, l;
	int rc = lc__ranges_find(t, db, pool, a, &f, &l);

	if (rc <= 0)
		return rc;
	return split(t, db, pool, &f, &l, a);
}

int lc__ranges_take_lowest(lc__txn *t, const lc__dbdef *db, const char *pool, lc__addr *out)
{
	char key[LC__RKEY_MAX];
	lc__addr zero, f, l;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	memset(&zero, 0, sizeof(zero));
	k.mv_size = lc__rkey(key, pool, &zero);
	k.mv_data = key;
	LC_TRY(cursor(t, db, &cur));
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	if (rc == 0 && lc__rkey_in(&k, pool, strlen(pool), &f))
		rc = val_addr(&v, &l) < 0 ? LC_ECORRUPT : 1;
	else if (rc == 0 || rc == MDB_NOTFOUND)
		rc = 0;
	else
		rc = lc__txn_error(t, rc, db->name);
	mdb_cursor_close(cur);
	if (rc <= 0)
		return rc;
	*out = f;
	return split(t, db, pool, &f, &l, &f);
}

int lc__ranges_take_lowest_in(lc__txn *t, const lc__dbdef *db, const char *pool, const lc__addr *lo,
			      const lc__addr *hi, lc__addr *out)
{
	MDB_cursor *cur;
	lc__addr f, l;
	int rc;

	if (lc__addr_cmp(lo, hi) > 0)
		return 0;
	LC_TRY(cursor(t, db, &cur));
	/* the range holding lo, else the first one after it */
	rc = floor_range(cur, t, db, pool, lo, &f, &l);
	if (rc > 0 && lc__addr_cmp(&l, lo) >= 0)
		f = *lo;
	else if (rc >= 0)
		rc = next_range(cur, t, db, pool, lo, &f, &l);
	mdb_cursor_close(cur);
	if (rc <= 0)
		return rc;
	if (lc__addr_cmp(&f, hi) > 0)
		return 0;
	*out = f;
	return lc__ranges_take(t, db, pool, &f);
}

int lc__ranges_each(lc__txn *t, const lc__dbdef *db, const char *pool,
		    int (*fn)(const lc__addr *first, const lc__addr *last, void *p), void *p)
{
	char key[LC__RKEY_MAX];
	lc__addr zero, f, l;
	size_t plen = strlen(pool);
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, ret = 0;

	memset(&zero, 0, sizeof(zero));
	k.mv_size = lc__rkey(key, pool, &zero);
	k.mv_data = key;
	LC_TRY(cursor(t, db, &cur));
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (!lc__rkey_in(&k, pool, plen, &f))
			break;
		if ((ret = val_addr(&v, &l)) < 0)
			break;
		if ((ret = fn(&f, &l, p)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (ret == 0 && rc != 0 && rc != MDB_NOTFOUND)
		ret = lc__txn_error(t, rc, db->name);
	return ret;
}

int lc__ranges_drop(lc__txn *t, const lc__dbdef *db, const char *pool)
{
	char key[LC__RKEY_MAX];
	lc__addr zero;
	size_t plen = strlen(pool);
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	memset(&zero, 0, sizeof(zero));
	LC_TRY(cursor(t, db, &cur));
	for (;;) {
		k.mv_size = lc__rkey(key, pool, &zero);
		k.mv_data = key;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		if (rc != 0 || !lc__rkey_in(&k, pool, plen, NULL))
			break;
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return lc__txn_error(t, rc, db->name);
	return 0;
}
