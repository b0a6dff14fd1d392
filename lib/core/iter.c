/* Listing with OpenStack paging and shape-table filters. */
#include "core/iter.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cloud.h"
#include "core/error.h"
#include "core/id.h"
#include "core/session.h"

static int parse_bool(const char *s, int *b)
{
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "1")) {
		*b = 1;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "0")) {
		*b = 0;
		return 0;
	}
	return -1;
}

int lc__rec_matches(const lc__rec *r, int field, const char *value)
{
	const lc__val *v = &r->v[field];
	char num[32];
	int b;

	switch (r->shape->fields[field].type) {
	case LC__T_BOOL:
		return parse_bool(value, &b) == 0 && (v->set ? (int)v->i : 0) == b;
	case LC__T_INT:
	case LC__T_TIME:
		snprintf(num, sizeof(num), "%" PRId64, v->i);
		return v->set && strcmp(num, value) == 0;
	default:
		if (!v->set)
			return *value == '\0';
		return strlen(value) == v->len && memcmp(v->s, value, v->len) == 0;
	}
}

int lc__iter_filter(lc__iter *it, int field, const char *value)
{
	if (it->nfilters >= LC__ITER_FILTERS_MAX)
		return lc__error_set(LC_EINVALID, "too many filters (at most %d)", LC__ITER_FILTERS_MAX);
	it->filters[it->nfilters].value = strdup(value);
	if (it->filters[it->nfilters].value == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	it->filters[it->nfilters].len = strlen(value);
	it->filters[it->nfilters++].field = field;
	return 0;
}

int lc__iter_init(lc__iter *it, lc_session *s, const lc__shape *sh, const lc_list_opts *opts,
		  lc__visible_fn visible, void *visible_p)
{
	memset(it, 0, sizeof(*it));
	it->s = s;
	it->sh = sh;
	it->visible = visible;
	it->visible_p = visible_p;
	if (opts == NULL)
		return 0;
	LC_CHECK_VERSION(opts, LC_LIST_OPTS_VERSION);
	it->limit = opts->limit;
	if (opts->marker) {
		char id[LC__ID_TEXT];
		lc__txn t;
		int rc;

		LC_TRY(lc__id_canon("marker", opts->marker, id));
		LC_TRY(lc__store_read(s->cloud->store, &t));
		rc = lc__rec_exists(&t, sh, id);
		lc__store_read_end(&t);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return lc__error_set(LC_EINVALID, "marker %s not found", id);
		snprintf(it->pos, sizeof(it->pos), "%s", id);
		it->started = 1;
	}
	for (const char *const *f = opts->filters; f && *f; f += 2) {
		int field = lc__shape_field(sh, f[0]);

		if (f[1] == NULL)
			return lc__error_set(LC_EINVALID, "filter %.64s has no value", f[0]);
		if (field < 0 || !(sh->fields[field].flags & LC__F_FILTER))
			return lc__error_set(LC_EINVALID, "cannot filter %ss on '%.64s'", sh->kind, f[0]);
		if (strlen(f[1]) > 1024)
			return lc__error_set(LC_EINVALID, "filter %s value is too long", f[0]);
		if (sh->fields[field].type == LC__T_BOOL && parse_bool(f[1], &(int){ 0 }) < 0)
			return lc__error_set(LC_EINVALID, "filter %s takes true or false, not '%.32s'", f[0], f[1]);
		LC_TRY(lc__iter_filter(it, field, f[1]));
	}
	return 0;
}

static int keep(lc__iter *it, lc__txn *t, const lc__rec *r)
{
	for (int i = 0; i < it->nfilters; i++) {
		int field = it->filters[i].field;
		uint8_t type = it->sh->fields[field].type;

		if (type == LC__T_STR || type == LC__T_ID) { /* the common case, without another strlen */
			const lc__val *v = &r->v[field];
			size_t len = v->set ? v->len : 0;

			if (len != it->filters[i].len || (len && memcmp(v->s, it->filters[i].value, len) != 0))
				return 0;
		} else if (!lc__rec_matches(r, field, it->filters[i].value)) {
			return 0;
		}
	}
	return it->visible ? it->visible(t, it->s, r, it->visible_p) : 1;
}

/*
 * Read the next batch of matching records after it->pos: no more than the
 * limit still wants, so a page decodes no record it will not return.
 */
static int fill(lc__iter *it)
{
	lc__txn t;
	MDB_cursor *cur;
	MDB_val k, v, last = { 0, NULL };
	int rc, want = LC__ITER_BATCH;
	size_t scanned = 0, bytes = 0;
	lc__recblock *block;

	if (it->limit && it->limit - it->count < (unsigned int)want)
		want = (int)(it->limit - it->count);
	it->nbuf = it->ibuf = 0;
	LC_TRY(lc__store_read(it->s->cloud->store, &t));
	/* the batch's records share one block (NULL: each its own); room for the last one's overshoot */
	block = lc__recblock_new(LC__ITER_BATCH_BYTES + LC__ITER_BATCH * 16 + 8192);
	rc = mdb_cursor_open(t.txn, lc__store_dbi(t.st, it->sh->db), &cur);
	if (rc) {
		lc__store_read_end(&t);
		lc__recblock_release(block);
		return lc__error_mdb(rc, "listing");
	}
	if (it->started) {
		size_t plen = strlen(it->pos);

		k.mv_size = plen;
		k.mv_data = it->pos;
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		if (rc == 0 && k.mv_size == plen && memcmp(k.mv_data, it->pos, plen) == 0)
			rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	} else {
		rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	}
	for (; rc == 0 && it->nbuf < want && scanned < LC__ITER_SCAN_MAX && bytes < LC__ITER_BATCH_BYTES;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		lc__rec *r;
		int ok;

		scanned++;
		if (k.mv_size >= sizeof(it->pos)) {
			rc = lc__error_set(LC_ECORRUPT, "over-long key in %s", it->sh->db->name);
			break;
		}
		last = k; /* valid until the transaction ends: copied to it->pos below */
		if ((rc = lc__rec_decode_in(block, it->sh, v.mv_data, v.mv_size, &r)) < 0)
			break;
		ok = keep(it, &t, r);
		if (ok > 0) {
			it->buf[it->nbuf++] = r;
			bytes += lc__rec_size(it->sh, v.mv_size);
		} else {
			lc__rec_free(r);
		}
		if (ok < 0) {
			rc = ok;
			break;
		}
	}
	if (last.mv_data) {
		memcpy(it->pos, last.mv_data, last.mv_size);
		it->pos[last.mv_size] = '\0';
		it->started = 1;
	}
	mdb_cursor_close(cur);
	lc__store_read_end(&t);
	lc__recblock_release(block);
	if (rc == MDB_NOTFOUND) {
		it->end = 1;
		rc = 0;
	} else if (rc > 0) {
		rc = lc__error_mdb(rc, "listing");
	}
	return rc < 0 ? rc : 0;
}

int lc__iter_next(lc__iter *it, lc__rec **out)
{
	*out = NULL;
	if (it->limit && it->count >= it->limit)
		return LC_ITEROVER;
	while (it->ibuf >= it->nbuf) {
		if (it->end)
			return LC_ITEROVER;
		LC_TRY(fill(it));
	}
	*out = it->buf[it->ibuf];
	it->buf[it->ibuf++] = NULL;
	it->count++;
	return 0;
}

void lc__iter_fini(lc__iter *it)
{
	for (int i = it->ibuf; i < it->nbuf; i++)
		lc__rec_free(it->buf[i]);
	for (int i = 0; i < it->nfilters; i++)
		free(it->filters[i].value);
	it->nbuf = it->ibuf = it->nfilters = 0;
}
