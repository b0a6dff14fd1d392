/*
 * IP address management. Per subnet, three sets keyed by the subnet id:
 *   ipam.pool  the allocation pools, as ranges
 *   ipam.free  the free addresses of the pools, as coalesced ranges
 *   ipam.used  every allocated address -> the port (or floating IP) holding it
 * Allocating the lowest free address, a given address, or releasing one is
 * a few B-tree operations whatever the size of the subnet: nothing walks
 * the address space or the allocated set. Every change happens inside the
 * caller's write transaction, and LMDB serializes writers, so an address
 * is never handed out twice.
 */
#include <string.h>

#include "core/error.h"
#include "network/net.h"
#include "network/ranges.h"

int lc__ipam_setup(lc__txn *t, const char *subnet_id, const lc__addr *pools, size_t npools)
{
	for (size_t i = 0; i < npools; i++) {
		LC_TRY(lc__ranges_add(t, &lc__ipam_pool_db, subnet_id, &pools[2 * i], &pools[2 * i + 1]));
		LC_TRY(lc__ranges_add(t, &lc__ipam_free_db, subnet_id, &pools[2 * i], &pools[2 * i + 1]));
	}
	return 0;
}

struct repool_ctx {
	lc__txn *t;
	const char *subnet_id;
};

static int take_used_in(const lc__addr *a, const char *owner, void *p)
{
	struct repool_ctx *c = p;
	int rc;

	(void)owner;
	rc = lc__ranges_take(c->t, &lc__ipam_free_db, c->subnet_id, a);
	return rc < 0 ? rc : 0;
}

int lc__ipam_repool(lc__txn *t, const char *subnet_id, const lc__addr *pools, size_t npools)
{
	struct repool_ctx c = { t, subnet_id };

	LC_TRY(lc__ranges_drop(t, &lc__ipam_pool_db, subnet_id));
	LC_TRY(lc__ranges_drop(t, &lc__ipam_free_db, subnet_id));
	LC_TRY(lc__ipam_setup(t, subnet_id, pools, npools));
	return lc__ipam_each_used(t, subnet_id, take_used_in, &c);
}

int lc__ipam_drop(lc__txn *t, const char *subnet_id)
{
	LC_TRY(lc__ranges_drop(t, &lc__ipam_pool_db, subnet_id));
	LC_TRY(lc__ranges_drop(t, &lc__ipam_free_db, subnet_id));
	/* ipam.used holds single addresses under the same key layout: drop works there too */
	return lc__ranges_drop(t, &lc__ipam_used_db, subnet_id);
}

static int put_used(lc__txn *t, const char *subnet_id, int version, const lc__addr *a, const char *owner)
{
	char key[LC__RKEY_MAX];
	int rc = lc__txn_put(t, &lc__ipam_used_db, key, lc__rkey(key, subnet_id, a), owner, strlen(owner),
			     MDB_NOOVERWRITE);

	if (rc == LC_EEXISTS) {
		char ip[LC__IP_TEXT];

		lc__ip_format(version, a, ip);
		return lc__error_set(LC_ECONFLICT, "IP address %s is already allocated in subnet %s", ip, subnet_id);
	}
	return rc;
}

int lc__ipam_alloc(lc__txn *t, const char *subnet_id, const char *owner, lc__addr *out)
{
	int rc = lc__ranges_take_lowest(t, &lc__ipam_free_db, subnet_id, out);

	if (rc == 0)
		return lc__error_set(LC_ECONFLICT, "No more IP addresses available on subnet %s", subnet_id);
	if (rc < 0)
		return rc;
	rc = put_used(t, subnet_id, 6, out, owner);
	if (rc == LC_ECONFLICT) /* free and used disagree */
		return lc__error_set(LC_ECORRUPT, "IPAM of subnet %s is inconsistent", subnet_id);
	return rc;
}

int lc__ipam_claim(lc__txn *t, const char *subnet_id, int version, const lc__addr *a, const char *owner)
{
	int rc = lc__ipam_owner(t, subnet_id, a, NULL);

	if (rc > 0) {
		char ip[LC__IP_TEXT];

		lc__ip_format(version, a, ip);
		return lc__error_set(LC_ECONFLICT, "IP address %s is already allocated in subnet %s", ip, subnet_id);
	}
	if (rc < 0)
		return rc;
	LC_TRY(lc__ranges_take(t, &lc__ipam_free_db, subnet_id, a)); /* 0: outside the pools, allowed */
	return put_used(t, subnet_id, version, a, owner);
}

int lc__ipam_release(lc__txn *t, const char *subnet_id, const lc__addr *a)
{
	char key[LC__RKEY_MAX];
	int rc = lc__txn_del(t, &lc__ipam_used_db, key, lc__rkey(key, subnet_id, a), NULL, 0);

	if (rc == LC_ENOTFOUND)
		return 0; /* not allocated: nothing to give back */
	if (rc < 0)
		return rc;
	rc = lc__ranges_find(t, &lc__ipam_pool_db, subnet_id, a, NULL, NULL);
	if (rc <= 0)
		return rc;
	return lc__ranges_add(t, &lc__ipam_free_db, subnet_id, a, a);
}

int lc__ipam_owner(lc__txn *t, const char *subnet_id, const lc__addr *a, char owner[LC__ID_TEXT])
{
	char key[LC__RKEY_MAX];
	MDB_val v;
	int rc = lc__txn_get(t, &lc__ipam_used_db, key, lc__rkey(key, subnet_id, a), &v);

	if (rc == LC_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	if (owner) {
		size_t n = v.mv_size < LC__ID_TEXT - 1 ? v.mv_size : LC__ID_TEXT - 1;

		memcpy(owner, v.mv_data, n);
		owner[n] = '\0';
	}
	return 1;
}

int lc__ipam_each_used(lc__txn *t, const char *subnet_id,
		       int (*fn)(const lc__addr *a, const char *owner, void *p), void *p)
{
	char key[LC__RKEY_MAX], owner[LC__ID_TEXT];
	lc__addr zero, a;
	size_t plen = strlen(subnet_id);
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, ret = 0;

	memset(&zero, 0, sizeof(zero));
	k.mv_size = lc__rkey(key, subnet_id, &zero);
	k.mv_data = key;
	rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, &lc__ipam_used_db), &cur);
	if (rc)
		return lc__txn_error(t, rc, "ipam");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		size_t n;

		if (!lc__rkey_in(&k, subnet_id, plen, &a))
			break;
		n = v.mv_size < LC__ID_TEXT - 1 ? v.mv_size : LC__ID_TEXT - 1;
		memcpy(owner, v.mv_data, n);
		owner[n] = '\0';
		if ((ret = fn(&a, owner, p)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (ret == 0 && rc != 0 && rc != MDB_NOTFOUND)
		ret = lc__txn_error(t, rc, "ipam");
	return ret;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static int count_used(const lc__addr *a, const char *owner, void *p)
{
	(void)a;
	(void)owner;
	*(uint64_t *)p = sat_add(*(uint64_t *)p, 1);
	return 0;
}

static int count_free(const lc__addr *first, const lc__addr *last, void *p)
{
	*(uint64_t *)p = sat_add(*(uint64_t *)p, lc__addr_span(first, last));
	return 0;
}

int lc__ipam_usage(lc__txn *t, const char *subnet_id, uint64_t *allocated, uint64_t *available)
{
	*allocated = *available = 0;
	LC_TRY(lc__ipam_each_used(t, subnet_id, count_used, allocated));
	return lc__ranges_each(t, &lc__ipam_free_db, subnet_id, count_free, available);
}
