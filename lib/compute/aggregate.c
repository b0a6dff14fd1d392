/* Host aggregates and availability zones. */
#include <libcloud/aggregate.h>
#include <libcloud/compute_host.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compute/compute.h"
#include "core/error.h"
#include "core/policy.h"
#include "core/resource.h"
#include "core/text.h"

struct lc_aggregate {
	lc__rec rec;
};

struct lc_aggregate_iter {
	lc__iter it;
};

LC__OPTS_INIT_FN(lc_aggregate_opts_init, lc_aggregate_opts, LC_AGGREGATE_OPTS_INIT, LC_AGGREGATE_OPTS_VERSION)

static int zone_ok(const char *z)
{
	if (strchr(z, ':') != NULL)
		return lc__error_set(LC_EINVALID, "an availability zone name cannot contain ':'");
	return lc__text_check("availability_zone", z, 1, LC_AGGREGATE_NAME_MAX);
}

/* Resolve an aggregate's UUID or number to its record id (in t). */
static int agg_resolve(lc__txn *t, const char *id, char out[LC__ID_TEXT])
{
	char key[LC__ID_TEXT + 1];
	const char *parts[] = { id };
	int rc;

	if (id == NULL || *id == '\0')
		return lc__error_set(LC_EINVALID, "invalid argument: id");
	if (strspn(id, "0123456789") == strlen(id) && strlen(id) <= 19) {
		rc = lc__index_lookup(t, &lc__aggregate_shape.indexes[AGG_IX_NUMBER], parts, key, sizeof(key));
		if (rc == LC_ENOTFOUND)
			return lc__error_set(LC_ENOTFOUND, "aggregate %s not found", id);
		LC_TRY(rc);
		if (strlen(key) >= LC__ID_TEXT)
			return lc__error_set(LC_ECORRUPT, "the aggregate number index is corrupt");
		memcpy(out, key, strlen(key) + 1);
		return 0;
	}
	if (lc__id_canon("id", id, out) < 0)
		return lc__error_set(LC_ENOTFOUND, "aggregate %.64s not found", id);
	return 0;
}

/*
 * The zone a host gets from the aggregates that hold it, skipping the
 * aggregate `skip` (whose change is being made): zone[0] = '\0' when none.
 * LC_ECONFLICT if two of them name different zones.
 */
static int host_zone(lc__txn *t, const char *host, const char *skip, char *zone, size_t sz)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, ret = 0;

	zone[0] = '\0';
	rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, lc__aggregate_shape.db), &cur);
	if (rc)
		return lc__txn_error(t, rc, "aggregates");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		lc__strlist l;
		const char *az;

		if (skip && k.mv_size == strlen(skip) && memcmp(k.mv_data, skip, k.mv_size) == 0)
			continue;
		{
			lc__rec *a;

			if ((ret = lc__rec_decode(&lc__aggregate_shape, v.mv_data, v.mv_size, &a)) < 0)
				break;
			az = lc__rec_str(a, AGG_AZ);
			ret = lc__strlist_parse(&l, &a->v[AGG_HOSTS]);
			if (ret == 0 && az && lc__strlist_has(&l, host)) {
				if (zone[0] && strcmp(zone, az) != 0)
					ret = lc__error_set(LC_ECONFLICT, "host %s would be in two availability zones "
							    "(%s and %s)", host, zone, az);
				else
					snprintf(zone, sz, "%s", az);
			}
			if (ret == 0)
				lc__strlist_free(&l);
			lc__rec_free(a);
			if (ret < 0)
				break;
		}
	}
	mdb_cursor_close(cur);
	if (ret < 0)
		return ret;
	return rc == MDB_NOTFOUND ? 0 : lc__txn_error(t, rc, "aggregates");
}

/* Record a host's zone on the host (in t). */
static int set_host_zone(lc__txn *t, const char *host, const char *zone)
{
	lc__rec *h;
	lc__val v[LC__MAX_FIELDS];
	int rc;

	LC_TRY(lc__host_load_name(t, host, &h));
	if (strcmp(lc__rec_str(h, HST_AZ), zone) == 0) {
		lc__rec_free(h);
		return 0;
	}
	lc__rec_values(h, v);
	lc__val_str(&v[HST_AZ], zone);
	lc__val_int(&v[HST_GEN], lc__rec_int(h, HST_GEN) + 1);
	rc = lc__rec_update(t, h, v);
	lc__rec_free(h);
	return rc;
}

/*
 * Re-derive the zone of every host of an aggregate whose zone becomes
 * new_zone (NULL: none): each must end up in one zone.
 */
static int rezone_hosts(lc__txn *t, const char *agg_id, const lc__strlist *hosts, const char *new_zone)
{
	for (size_t i = 0; i < hosts->n; i++) {
		char other[LC_AGGREGATE_NAME_MAX + 1];

		LC_TRY(host_zone(t, hosts->s[i], agg_id, other, sizeof(other)));
		if (new_zone && other[0] && strcmp(other, new_zone) != 0)
			return lc__error_set(LC_ECONFLICT, "host %s is in availability zone %s already", hosts->s[i],
					     other);
		LC_TRY(set_host_zone(t, hosts->s[i], new_zone ? new_zone : other[0] ? other
										    : LC_DEFAULT_AVAILABILITY_ZONE));
	}
	return 0;
}

static int next_number(lc__txn *t, char *out, size_t sz)
{
	MDB_val v;
	int64_t n = 0;
	int rc = lc__txn_get(t, &lc__compute_config_db, "aggregate_seq", 13, &v);

	if (rc == 0 && v.mv_size == sizeof(n))
		memcpy(&n, v.mv_data, sizeof(n));
	else if (rc < 0 && rc != LC_ENOTFOUND)
		return rc;
	n++;
	LC_TRY(lc__txn_put(t, &lc__compute_config_db, "aggregate_seq", 13, &n, sizeof(n), 0));
	snprintf(out, sz, "%" PRId64, n);
	return 0;
}

struct create_ctx {
	lc__draft *d;
	char number[24];
};

static int create_tx(lc__txn *t, void *p)
{
	struct create_ctx *c = p;

	LC_TRY(next_number(t, c->number, sizeof(c->number)));
	lc__draft_set_str(c->d, AGG_NUMBER, c->number);
	return lc__rec_insert(t, &lc__aggregate_shape, c->d->v);
}

LC_EXTERN int lc_aggregate_create(lc_aggregate **out, lc_session *s, const lc_aggregate_opts *o)
{
	struct create_ctx c;
	lc__draft d;
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(o);
	LC_CHECK_VERSION(o, LC_AGGREGATE_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "compute:create_aggregate", NULL, NULL));
	LC_CHECK_ARG(o->name != NULL, "name is required");
	lc__draft_new(&d, &lc__aggregate_shape);
	LC_TRY(lc__draft_text(&d, AGG_NAME, o->name, 0));
	if (o->availability_zone) {
		LC_TRY(zone_ok(o->availability_zone));
		LC_TRY(lc__draft_text(&d, AGG_AZ, o->availability_zone, 0));
	}
	lc__draft_set_int(&d, AGG_CREATED, lc__now_us());
	c.d = &d;
	rc = lc__store_write(lc__session_store(s), create_tx, &c);
	if (rc == LC_EEXISTS)
		rc = lc__error_set(LC_EEXISTS, "an aggregate named %.255s already exists", o->name);
	if (rc == 0 && out) {
		rc = lc__draft_snapshot(&d, &r);
		*out = (lc_aggregate *)r;
	}
	return rc;
}

LC_EXTERN int lc_aggregate_get(lc_aggregate **out, lc_session *s, const char *id)
{
	char key[LC__ID_TEXT];
	lc__rec *r = NULL;
	lc__txn t;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	if (!lc__policy_allows(s, "compute:get_aggregate", NULL, NULL))
		return lc__error_set(LC_EFORBIDDEN, "policy does not allow compute:get_aggregate for this session");
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = agg_resolve(&t, id, key);
	if (rc == 0)
		rc = lc__rec_load(&t, &lc__aggregate_shape, key, &r);
	lc__store_read_end(&t);
	*out = (lc_aggregate *)r;
	return rc;
}

LC__RESOURCE_FIND(aggregate, lc__aggregate_shape, "compute:get_aggregate", AGG_IX_NAME, NULL, (const char *name),
		  LC_CHECK_NOTNULL(name);, name)

/* ---- changes, each in one transaction ---- */

enum { CH_UPDATE, CH_ADD_HOST, CH_REMOVE_HOST, CH_METADATA, CH_DELETE };

struct change_ctx {
	int kind;
	const char *id;
	const lc_aggregate_opts *opts;
	const char *host;
	const char *const *md;
	size_t nmd;
	lc__rec *out;
};

static int change_tx(lc__txn *t, void *p)
{
	struct change_ctx *c = p;
	char key[LC__ID_TEXT];
	lc__rec *a = NULL;
	lc__strlist hosts = { 0 };
	lc__kv md;
	lc__draft d;
	char *hbuf = NULL, *mbuf = NULL;
	size_t hlen = 0, mlen = 0;
	const char *old_az, *new_az;
	int rc;

	lc__rec_free(c->out);
	c->out = NULL;
	LC_TRY(agg_resolve(t, c->id, key));
	LC_TRY(lc__rec_load(t, &lc__aggregate_shape, key, &a));
	old_az = lc__rec_str(a, AGG_AZ);
	new_az = old_az;
	lc__draft_from(&d, a);
	if ((rc = lc__strlist_parse(&hosts, &a->v[AGG_HOSTS])) < 0 || (rc = lc__kv_parse(&md, &a->v[AGG_METADATA])) < 0)
		goto out;
	switch (c->kind) {
	case CH_DELETE:
		if (hosts.n) {
			rc = lc__error_set(LC_ECONFLICT, "aggregate %s still holds %zu hosts", c->id, hosts.n);
			goto out;
		}
		rc = lc__rec_delete(t, a);
		goto out;
	case CH_UPDATE:
		if ((rc = lc__draft_text(&d, AGG_NAME, c->opts->name, 1)) < 0)
			goto out;
		if (c->opts->availability_zone)
			new_az = c->opts->availability_zone[0] ? c->opts->availability_zone : NULL;
		break;
	case CH_ADD_HOST: {
		lc__rec *h;

		if ((rc = lc__host_load_name(t, c->host, &h)) < 0)
			goto out;
		lc__rec_free(h);
		if (lc__strlist_has(&hosts, c->host)) {
			rc = lc__error_set(LC_EEXISTS, "host %s is in aggregate %s already", c->host, c->id);
			goto out;
		}
		if ((rc = lc__strlist_add(&hosts, c->host)) < 0)
			goto out;
		break;
	}
	case CH_REMOVE_HOST:
		if (!lc__strlist_del(&hosts, c->host)) {
			rc = lc__error_set(LC_ENOTFOUND, "host %.255s is not in aggregate %s", c->host, c->id);
			goto out;
		}
		break;
	case CH_METADATA:
		for (size_t i = 0; i < c->nmd; i++) {
			const char *k = c->md[2 * i], *v = c->md[2 * i + 1];

			if (strcmp(k, "availability_zone") == 0) {
				new_az = v && v[0] ? v : NULL;
				continue;
			}
			if (v == NULL)
				lc__kv_del(&md, k);
			else if ((rc = lc__kv_set(&md, k, v, LC_AGGREGATE_METADATA_MAX)) < 0)
				goto out;
		}
		break;
	}
	if (new_az != old_az) {
		if (new_az && (rc = zone_ok(new_az)) < 0)
			goto out;
		if (new_az)
			lc__draft_set_str(&d, AGG_AZ, new_az);
		else
			d.v[AGG_AZ].set = 0;
	}
	/* zones of the hosts: every member's zone comes from this aggregate and the others */
	if (c->kind == CH_REMOVE_HOST) {
		char other[LC_AGGREGATE_NAME_MAX + 1];

		if ((rc = host_zone(t, c->host, key, other, sizeof(other))) < 0 ||
		    (rc = set_host_zone(t, c->host, other[0] ? other : LC_DEFAULT_AVAILABILITY_ZONE)) < 0)
			goto out;
	}
	/*
	 * Only hosts whose zone can change are looked at: every member when the
	 * aggregate's zone changes, else the one host added (a removed host was
	 * handled above). This keeps adding hosts one by one linear.
	 */
	if (new_az != old_az && (old_az == NULL || new_az == NULL || strcmp(old_az, new_az) != 0)) {
		if ((rc = rezone_hosts(t, key, &hosts, d.v[AGG_AZ].set ? d.v[AGG_AZ].s : NULL)) < 0)
			goto out;
	} else if (c->kind == CH_ADD_HOST) {
		lc__strlist one = { 1, &c->host, 1 };

		if ((rc = rezone_hosts(t, key, &one, d.v[AGG_AZ].set ? d.v[AGG_AZ].s : NULL)) < 0)
			goto out;
	}
	if ((rc = lc__strlist_encode(&hosts, &hbuf, &hlen)) < 0 || (rc = lc__kv_encode(&md, &mbuf, &mlen)) < 0)
		goto out;
	lc__val_blob(&d.v[AGG_HOSTS], hbuf, hlen);
	lc__val_blob(&d.v[AGG_METADATA], mbuf, mlen);
	lc__draft_set_int(&d, AGG_UPDATED, lc__now_us());
	rc = lc__rec_update(t, a, d.v);
	if (rc == LC_EEXISTS)
		rc = lc__error_set(LC_EEXISTS, "an aggregate with that name already exists");
	if (rc == 0)
		rc = lc__draft_snapshot(&d, &c->out);
out:
	free(hbuf);
	free(mbuf);
	lc__strlist_free(&hosts);
	lc__rec_free(a);
	return rc;
}

static int change(lc_aggregate **out, lc_session *s, struct change_ctx *c, const char *op)
{
	int rc;

	if (out)
		*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, op, NULL, NULL));
	rc = lc__store_write(lc__session_store(s), change_tx, c);
	if (rc == 0) {
		lc__hcache_invalidate(lc__compute_of(s->cloud));
		if (out) {
			*out = (lc_aggregate *)c->out;
			c->out = NULL;
		}
	}
	lc__rec_free(c->out);
	return rc;
}

LC_EXTERN int lc_aggregate_update(lc_aggregate **out, lc_session *s, const char *id, const lc_aggregate_opts *opts)
{
	struct change_ctx c = { CH_UPDATE, id, opts, NULL, NULL, 0, NULL };

	lc__error_clear();
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION(opts, LC_AGGREGATE_OPTS_VERSION);
	if (opts->name)
		LC_TRY(lc__text_check("name", opts->name, 1, LC_AGGREGATE_NAME_MAX));
	return change(out, s, &c, "compute:update_aggregate");
}

LC_EXTERN int lc_aggregate_delete(lc_session *s, const char *id, unsigned int flags)
{
	struct change_ctx c = { CH_DELETE, id, NULL, NULL, NULL, 0, NULL };

	lc__error_clear();
	LC_CHECK_FLAGS(flags, 0);
	return change(NULL, s, &c, "compute:delete_aggregate");
}

LC_EXTERN int lc_aggregate_add_host(lc_aggregate **out, lc_session *s, const char *id, const char *host)
{
	struct change_ctx c = { CH_ADD_HOST, id, NULL, host, NULL, 0, NULL };

	lc__error_clear();
	LC_CHECK_NOTNULL(host);
	return change(out, s, &c, "compute:update_aggregate");
}

LC_EXTERN int lc_aggregate_remove_host(lc_aggregate **out, lc_session *s, const char *id, const char *host)
{
	struct change_ctx c = { CH_REMOVE_HOST, id, NULL, host, NULL, 0, NULL };

	lc__error_clear();
	LC_CHECK_NOTNULL(host);
	return change(out, s, &c, "compute:update_aggregate");
}

LC_EXTERN int lc_aggregate_set_metadata(lc_aggregate **out, lc_session *s, const char *id,
					const char *const *metadata, size_t count)
{
	struct change_ctx c = { CH_METADATA, id, NULL, NULL, metadata, count, NULL };

	lc__error_clear();
	LC_CHECK_ARG(metadata != NULL || count == 0, "metadata is NULL");
	LC_CHECK_ARG(count <= LC_AGGREGATE_METADATA_MAX, "too many metadata entries");
	for (size_t i = 0; i < count; i++) {
		if (metadata[2 * i] == NULL)
			return lc__error_set(LC_EINVALID, "metadata key %zu is NULL", i);
		LC_TRY(lc__text_check("metadata key", metadata[2 * i], 1, LC_AGGREGATE_NAME_MAX));
		if (metadata[2 * i + 1])
			LC_TRY(lc__text_check("metadata value", metadata[2 * i + 1], 0, LC_AGGREGATE_NAME_MAX));
	}
	return change(out, s, &c, "compute:update_aggregate");
}

LC_EXTERN int lc_aggregate_iter_new(lc_aggregate_iter **out, lc_session *s, const lc_list_opts *opts)
{
	lc__iter *it = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	rc = lc__res_iter_new(&it, s, &lc__aggregate_shape, "compute:list_aggregates", opts, NULL);
	*out = (lc_aggregate_iter *)it;
	return rc;
}

LC_EXTERN int lc_aggregate_iter_next(lc_aggregate **out, lc_aggregate_iter *it)
{
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	rc = lc__res_iter_next(&r, (lc__iter *)it);
	*out = (lc_aggregate *)r;
	return rc;
}

LC_EXTERN void lc_aggregate_iter_free(lc_aggregate_iter *it)
{
	lc__res_iter_free((lc__iter *)it);
}

LC__RESOURCE_STR(aggregate, id, AGG_ID)
LC__RESOURCE_STR(aggregate, name, AGG_NAME)
LC__RESOURCE_STR(aggregate, availability_zone, AGG_AZ)

LC_EXTERN int64_t lc_aggregate_number(const lc_aggregate *a)
{
	const char *n = a ? lc__rec_str(&a->rec, AGG_NUMBER) : NULL;

	return n ? strtoll(n, NULL, 10) : 0;
}

LC_EXTERN size_t lc_aggregate_host_count(const lc_aggregate *a)
{
	return a ? lc__blob_count(&a->rec.v[AGG_HOSTS]) : 0;
}

LC_EXTERN const char *lc_aggregate_host(const lc_aggregate *a, size_t n)
{
	return a ? lc__blob_item(&a->rec.v[AGG_HOSTS], n) : NULL;
}

LC_EXTERN size_t lc_aggregate_metadata_count(const lc_aggregate *a)
{
	return a ? lc__blob_count(&a->rec.v[AGG_METADATA]) / 2 : 0;
}

LC_EXTERN const char *lc_aggregate_metadata_key(const lc_aggregate *a, size_t n)
{
	return a && n < lc_aggregate_metadata_count(a) ? lc__blob_item(&a->rec.v[AGG_METADATA], 2 * n) : NULL;
}

LC_EXTERN const char *lc_aggregate_metadata_value(const lc_aggregate *a, size_t n)
{
	return a && n < lc_aggregate_metadata_count(a) ? lc__blob_item(&a->rec.v[AGG_METADATA], 2 * n + 1) : NULL;
}

LC_EXTERN const char *lc_aggregate_metadata(const lc_aggregate *a, const char *key)
{
	size_t n = lc_aggregate_metadata_count(a);

	for (size_t i = 0; key && i < n; i++)
		if (strcmp(lc__blob_item(&a->rec.v[AGG_METADATA], 2 * i), key) == 0)
			return lc__blob_item(&a->rec.v[AGG_METADATA], 2 * i + 1);
	return NULL;
}

LC_EXTERN int64_t lc_aggregate_created_at(const lc_aggregate *a)
{
	return a ? lc__rec_int(&a->rec, AGG_CREATED) : 0;
}

LC_EXTERN int64_t lc_aggregate_updated_at(const lc_aggregate *a)
{
	return a ? lc__rec_int(&a->rec, AGG_UPDATED) : 0;
}

LC_EXTERN void lc_aggregate_free(lc_aggregate *a)
{
	lc__rec_free(a ? &a->rec : NULL);
}

/* ---- availability zones ---- */

struct zone {
	char *name;
	int available;
	char **hosts;
	size_t nhosts, cap;
};

struct lc_availability_zones {
	struct zone *z;
	size_t n, cap;
};

static struct zone *zone_get(lc_availability_zones *zs, const char *name)
{
	for (size_t i = 0; i < zs->n; i++)
		if (strcmp(zs->z[i].name, name) == 0)
			return &zs->z[i];
	if (zs->n == zs->cap) {
		size_t cap = zs->cap ? 2 * zs->cap : 8;
		struct zone *n = realloc(zs->z, cap * sizeof(*n));

		if (n == NULL)
			return NULL;
		zs->z = n;
		zs->cap = cap;
	}
	memset(&zs->z[zs->n], 0, sizeof(zs->z[0]));
	zs->z[zs->n].name = strdup(name);
	if (zs->z[zs->n].name == NULL)
		return NULL;
	return &zs->z[zs->n++];
}

static int zone_add_host(struct zone *z, const char *host)
{
	if (z->nhosts == z->cap) {
		size_t cap = z->cap ? 2 * z->cap : 8;
		char **n = realloc(z->hosts, cap * sizeof(*n));

		if (n == NULL)
			return -1;
		z->hosts = n;
		z->cap = cap;
	}
	z->hosts[z->nhosts] = strdup(host);
	if (z->hosts[z->nhosts] == NULL)
		return -1;
	z->nhosts++;
	return 0;
}

/* Decode every record of a shape in t and hand it to fn (which frees nothing). */
static int scan_all(lc__txn *t, const lc__shape *sh, int (*fn)(const lc__rec *r, void *p), void *p)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, ret = 0;

	rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, sh->db), &cur);
	if (rc)
		return lc__txn_error(t, rc, sh->kind);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		lc__rec *r;

		if ((ret = lc__rec_decode(sh, v.mv_data, v.mv_size, &r)) < 0)
			break;
		ret = fn(r, p);
		lc__rec_free(r);
		if (ret < 0)
			break;
	}
	mdb_cursor_close(cur);
	if (ret < 0)
		return ret;
	return rc == MDB_NOTFOUND ? 0 : lc__txn_error(t, rc, sh->kind);
}

static int zone_of_aggregate(const lc__rec *a, void *p)
{
	const char *az = lc__rec_str(a, AGG_AZ);

	if (az && zone_get(p, az) == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	return 0;
}

struct zone_scan {
	lc_availability_zones *zs;
	int admin;
};

static int zone_of_host(const lc__rec *h, void *p)
{
	struct zone_scan *zc = p;
	struct zone *z = zone_get(zc->zs, lc__rec_str(h, HST_AZ));

	if (z == NULL || (zc->admin && zone_add_host(z, lc__rec_str(h, HST_NAME)) < 0))
		return lc__error_set(LC_ENOMEM, "out of memory");
	if (lc__rec_int(h, HST_ENABLED) && strcmp(lc__rec_str(h, HST_STATE), "up") == 0)
		z->available = 1;
	return 0;
}

LC_EXTERN int lc_availability_zones_get(lc_availability_zones **out, lc_session *s)
{
	struct zone_scan zc;
	lc__txn t;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "compute:list_availability_zones", NULL, NULL));
	zc.admin = lc__session_is_admin(s);
	zc.zs = calloc(1, sizeof(*zc.zs));
	if (zc.zs == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	rc = lc__store_read(lc__session_store(s), &t);
	if (rc == 0) {
		/* zones named by aggregates exist even without hosts */
		rc = scan_all(&t, &lc__aggregate_shape, zone_of_aggregate, zc.zs);
		if (rc == 0)
			rc = scan_all(&t, &lc__host_shape, zone_of_host, &zc);
		lc__store_read_end(&t);
	}
	if (rc < 0) {
		lc_availability_zones_free(zc.zs);
		return rc;
	}
	*out = zc.zs;
	return 0;
}

LC_EXTERN size_t lc_availability_zones_count(const lc_availability_zones *z)
{
	return z ? z->n : 0;
}

LC_EXTERN const char *lc_availability_zones_name(const lc_availability_zones *z, size_t n)
{
	return z && n < z->n ? z->z[n].name : NULL;
}

LC_EXTERN int lc_availability_zones_available(const lc_availability_zones *z, size_t n)
{
	return z && n < z->n ? z->z[n].available : 0;
}

LC_EXTERN size_t lc_availability_zones_host_count(const lc_availability_zones *z, size_t n)
{
	return z && n < z->n ? z->z[n].nhosts : 0;
}

LC_EXTERN const char *lc_availability_zones_host(const lc_availability_zones *z, size_t n, size_t h)
{
	return z && n < z->n && h < z->z[n].nhosts ? z->z[n].hosts[h] : NULL;
}

LC_EXTERN void lc_availability_zones_free(lc_availability_zones *z)
{
	if (z == NULL)
		return;
	for (size_t i = 0; i < z->n; i++) {
		for (size_t j = 0; j < z->z[i].nhosts; j++)
			free(z->z[i].hosts[j]);
		free(z->z[i].hosts);
		free(z->z[i].name);
	}
	free(z->z);
	free(z);
}
