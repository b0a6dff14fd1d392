/*
 * Listing images with Glance's filters, visibility rules and sort keys.
 * The iterator reads the matching ids (sorted) in one short read
 * transaction at creation, then loads each image when it is reached.
 */
#include <libcloud/image.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/iter.h"
#include "core/policy.h"
#include "core/resource.h"
#include "core/text.h"
#include "image/image.h"

#define TAG_FILTERS_MAX 16
#define PROP_FILTERS_MAX 16

typedef struct hit {
	char id[LC__ID_TEXT];
	char *skey;
	int64_t ikey;
} hit;

struct lc_image_iter {
	lc_session *s;
	hit *hits;
	size_t n, i;
	unsigned int limit, count;
};

typedef struct filters {
	int eq_field[8];
	const char *eq_value[8];
	int neq;
	const char *tags[TAG_FILTERS_MAX];
	int ntags;
	const char *prop_key[PROP_FILTERS_MAX], *prop_value[PROP_FILTERS_MAX];
	int nprops;
	int64_t size_min, size_max;
	const char *visibility;    /* NULL: the default set */
	const char *member_status; /* "accepted" by default, or "all" */
	int hidden;                /* -1: hide hidden images; 0/1: os_hidden must equal */
	int sort_field;
	int sort_desc;
	const char *marker;
} filters;

/* Memberships of the caller's project: image id -> status. */
typedef struct membership {
	char image[LC__ID_TEXT];
	char status[16];
} membership;

typedef struct scan {
	lc_session *s;
	const filters *f;
	membership *mem;
	size_t nmem, capmem;
	hit *hits;
	size_t n, cap;
} scan;

static int parse_i64(const char *name, const char *v, int64_t *out)
{
	char *end;
	long long x;

	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno || end == v || *end || x < 0)
		return lc__error_set(LC_EINVALID, "%s must be a non-negative integer", name);
	*out = x;
	return 0;
}

static int parse_bool(const char *name, const char *v, int *out)
{
	if (!strcmp(v, "true") || !strcmp(v, "True") || !strcmp(v, "1"))
		*out = 1;
	else if (!strcmp(v, "false") || !strcmp(v, "False") || !strcmp(v, "0"))
		*out = 0;
	else
		return lc__error_set(LC_EINVALID, "%s must be true or false", name);
	return 0;
}

static const int sort_fields[] = { IMG_NAME, IMG_STATUS, IMG_CREATED, IMG_UPDATED, IMG_SIZE, IMG_ID,
				   IMG_DISK_FORMAT, IMG_CONTAINER_FORMAT, IMG_VISIBILITY, IMG_MIN_RAM, IMG_MIN_DISK };

static int parse_filters(filters *f, const lc_list_opts *o)
{
	static const int eq_fields[] = { IMG_NAME, IMG_STATUS, IMG_OWNER, IMG_DISK_FORMAT, IMG_CONTAINER_FORMAT,
					 IMG_ID, IMG_PROTECTED };

	memset(f, 0, sizeof(*f));
	f->size_max = INT64_MAX;
	f->member_status = "accepted";
	f->hidden = -1;
	f->sort_field = IMG_CREATED;
	f->sort_desc = 1;
	if (o == NULL)
		return 0;
	LC_CHECK_VERSION(o, LC_LIST_OPTS_VERSION);
	f->marker = o->marker;
	for (const char *const *p = o->filters; p && *p; p += 2) {
		const char *k = p[0], *v = p[1];
		int field, b, matched = 0;

		if (v == NULL)
			return lc__error_set(LC_EINVALID, "filter %.64s has no value", k);
		if (strlen(v) > 1024)
			return lc__error_set(LC_EINVALID, "filter %.64s value is too long", k);
		for (size_t i = 0; i < sizeof(eq_fields) / sizeof(eq_fields[0]); i++) {
			if (strcmp(k, lc__image_shape.fields[eq_fields[i]].name) != 0)
				continue;
			if (f->neq == 8)
				return lc__error_set(LC_EINVALID, "too many filters");
			if (eq_fields[i] == IMG_PROTECTED)
				LC_TRY(parse_bool(k, v, &b));
			f->eq_field[f->neq] = eq_fields[i];
			f->eq_value[f->neq++] = v;
			matched = 1;
		}
		if (matched)
			continue;
		if (!strcmp(k, "visibility")) {
			if (strcmp(v, "all") && !lc__image_visibility_ok(v))
				return lc__error_set(LC_EINVALID, "unknown visibility '%.32s'", v);
			f->visibility = v;
		} else if (!strcmp(k, "member_status")) {
			if (strcmp(v, "all") && strcmp(v, "accepted") && strcmp(v, "pending") && strcmp(v, "rejected"))
				return lc__error_set(LC_EINVALID, "unknown member_status '%.32s'", v);
			f->member_status = v;
		} else if (!strcmp(k, "os_hidden")) {
			LC_TRY(parse_bool(k, v, &f->hidden));
		} else if (!strcmp(k, "tag")) {
			if (f->ntags == TAG_FILTERS_MAX)
				return lc__error_set(LC_EINVALID, "too many tag filters");
			f->tags[f->ntags++] = v;
		} else if (!strcmp(k, "size_min")) {
			LC_TRY(parse_i64(k, v, &f->size_min));
		} else if (!strcmp(k, "size_max")) {
			LC_TRY(parse_i64(k, v, &f->size_max));
		} else if (!strcmp(k, "sort_dir")) {
			if (strcmp(v, "asc") && strcmp(v, "desc"))
				return lc__error_set(LC_EINVALID, "sort_dir must be asc or desc");
			f->sort_desc = !strcmp(v, "desc");
		} else if (!strcmp(k, "sort_key")) {
			field = -1;
			for (size_t i = 0; i < sizeof(sort_fields) / sizeof(sort_fields[0]); i++)
				if (!strcmp(v, lc__image_shape.fields[sort_fields[i]].name))
					field = sort_fields[i];
			if (field < 0)
				return lc__error_set(LC_EINVALID, "cannot sort images by '%.64s'", v);
			f->sort_field = field;
		} else {
			LC_TRY(lc__text_check("filter", k, 1, LC_IMAGE_PROPERTY_KEY_MAX));
			if (f->nprops == PROP_FILTERS_MAX)
				return lc__error_set(LC_EINVALID, "too many property filters");
			f->prop_key[f->nprops] = k;
			f->prop_value[f->nprops++] = v;
		}
	}
	return 0;
}

static const char *my_status(const scan *sc, const char *image_id)
{
	for (size_t i = 0; i < sc->nmem; i++)
		if (strcmp(sc->mem[i].image, image_id) == 0)
			return sc->mem[i].status;
	return NULL;
}

/* Glance's listing visibility: 1 if the caller lists r. */
static int listed(const scan *sc, const lc__rec *r)
{
	const filters *f = sc->f;
	const lc_session *s = sc->s;
	const char *vis = lc__rec_str(r, IMG_VISIBILITY), *st;
	int admin = lc__session_is_admin(s);
	int own = r->v[IMG_OWNER].set && s->scope == LC_SCOPE_PROJECT &&
		  strcmp(lc__rec_str(r, IMG_OWNER), s->project_id) == 0;

	if (f->visibility && strcmp(f->visibility, "all") != 0 && strcmp(f->visibility, vis) != 0)
		return 0;
	if (admin)
		return 1;
	if (own)
		return 1;
	if (!strcmp(vis, "public"))
		return 1;
	if (!strcmp(vis, "community"))
		return f->visibility != NULL; /* only when asked for */
	if (!strcmp(vis, "shared")) {
		st = my_status(sc, lc__rec_str(r, IMG_ID));
		return st && (!strcmp(sc->f->member_status, "all") || !strcmp(sc->f->member_status, st));
	}
	return 0;
}

static int matches(const scan *sc, const lc__rec *r)
{
	const filters *f = sc->f;
	const lc__val *tags = &r->v[IMG_TAGS];
	int64_t size = r->v[IMG_SIZE].set ? r->v[IMG_SIZE].i : -1;
	int hidden = (int)lc__rec_int(r, IMG_HIDDEN);

	if (f->hidden < 0 ? hidden : hidden != f->hidden)
		return 0;
	for (int i = 0; i < f->neq; i++)
		if (!lc__rec_matches(r, f->eq_field[i], f->eq_value[i]))
			return 0;
	if (f->size_min > 0 || f->size_max < INT64_MAX) {
		if (size < 0 || size < f->size_min || size > f->size_max)
			return 0;
	}
	for (int i = 0; i < f->ntags; i++) {
		size_t n = lc__list_count(tags), j;
		for (j = 0; j < n; j++)
			if (strcmp(lc__list_item(tags, j), f->tags[i]) == 0)
				break;
		if (j == n)
			return 0;
	}
	for (int i = 0; i < f->nprops; i++) {
		const char *v = lc__props_get(&r->v[IMG_PROPERTIES], f->prop_key[i]);
		if (v == NULL || strcmp(v, f->prop_value[i]) != 0)
			return 0;
	}
	return listed(sc, r);
}

static int add_hit(scan *sc, const lc__rec *r)
{
	const lc__field *fd = &lc__image_shape.fields[sc->f->sort_field];
	hit *h;

	if (sc->n == sc->cap) {
		size_t cap = sc->cap ? 2 * sc->cap : 64;
		hit *n = realloc(sc->hits, cap * sizeof(*n));
		if (n == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		sc->hits = n;
		sc->cap = cap;
	}
	h = &sc->hits[sc->n];
	lc__strlcpy(h->id, lc__rec_str(r, IMG_ID), sizeof(h->id));
	h->skey = NULL;
	h->ikey = 0;
	if (fd->type == LC__T_STR || fd->type == LC__T_ID) {
		h->skey = strdup(lc__rec_str(r, sc->f->sort_field) ? lc__rec_str(r, sc->f->sort_field) : "");
		if (h->skey == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
	} else {
		h->ikey = r->v[sc->f->sort_field].set ? r->v[sc->f->sort_field].i : -1;
	}
	sc->n++;
	return 0;
}

static int member_one(lc__txn *t, const char *id, void *p)
{
	scan *sc = p;
	lc__rec r;

	if (lc__rec_view(t, &lc__image_member_shape, id, &r) < 0)
		return 0;
	if (sc->nmem == sc->capmem) {
		size_t cap = sc->capmem ? 2 * sc->capmem : 16;
		membership *n = realloc(sc->mem, cap * sizeof(*n));
		if (n == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		sc->mem = n;
		sc->capmem = cap;
	}
	lc__strlcpy(sc->mem[sc->nmem].image, lc__rec_str(&r, MEM_IMAGE), LC__ID_TEXT);
	lc__strlcpy(sc->mem[sc->nmem].status, lc__rec_str(&r, MEM_STATUS), 16);
	sc->nmem++;
	return 0;
}

static int do_scan(lc__txn *t, scan *sc)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, ret = 0;

	if (sc->s->scope == LC_SCOPE_PROJECT) {
		const char *parts[] = { sc->s->project_id };
		LC_TRY(lc__index_each(t, &lc__image_member_shape.indexes[MEM_IX_MEMBER], parts, member_one, sc));
	}
	rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, lc__image_shape.db), &cur);
	if (rc)
		return lc__error_mdb(rc, "listing images");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		lc__rec *r;

		if ((ret = lc__rec_decode(&lc__image_shape, v.mv_data, v.mv_size, &r)) < 0)
			break;
		if (matches(sc, r))
			ret = add_hit(sc, r);
		lc__rec_free(r);
		if (ret < 0)
			break;
	}
	mdb_cursor_close(cur);
	if (ret == 0 && rc != MDB_NOTFOUND)
		ret = lc__error_mdb(rc, "listing images");
	return ret;
}

static void hits_free(hit *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(h[i].skey);
	free(h);
}

static int cmp_asc(const void *a, const void *b)
{
	const hit *x = a, *y = b;
	int c;

	if (x->skey || y->skey)
		c = strcmp(x->skey ? x->skey : "", y->skey ? y->skey : "");
	else
		c = x->ikey < y->ikey ? -1 : x->ikey > y->ikey;
	return c ? c : strcmp(x->id, y->id);
}

static int cmp_desc(const void *a, const void *b)
{
	return cmp_asc(b, a);
}

LC_EXTERN int lc_image_iter_new(lc_image_iter **out, lc_session *s, const lc_list_opts *opts)
{
	filters f;
	scan sc;
	lc_image_iter *it;
	char marker[LC__ID_TEXT];
	size_t start = 0;
	lc__txn t;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "image:get_images", NULL, NULL));
	LC_TRY(parse_filters(&f, opts));
	if (f.marker)
		LC_TRY(lc__id_canon("marker", f.marker, marker));
	memset(&sc, 0, sizeof(sc));
	sc.s = s;
	sc.f = &f;
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = do_scan(&t, &sc);
	lc__store_read_end(&t);
	free(sc.mem);
	if (rc < 0) {
		hits_free(sc.hits, sc.n);
		return rc;
	}
	if (sc.n > 1)
		qsort(sc.hits, sc.n, sizeof(*sc.hits), f.sort_desc ? cmp_desc : cmp_asc);
	if (f.marker) {
		for (start = 0; start < sc.n && strcmp(sc.hits[start].id, marker) != 0; start++)
			;
		if (start == sc.n) {
			hits_free(sc.hits, sc.n);
			return lc__error_set(LC_EINVALID, "marker %s not found", marker);
		}
		start++;
	}
	it = calloc(1, sizeof(*it));
	if (it == NULL) {
		hits_free(sc.hits, sc.n);
		return lc__error_set(LC_ENOMEM, "out of memory");
	}
	it->s = s;
	it->hits = sc.hits;
	it->n = sc.n;
	it->i = start;
	it->limit = opts ? opts->limit : 0;
	*out = it;
	return 0;
}

LC_EXTERN int lc_image_iter_next(lc_image **out, lc_image_iter *it)
{
	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_NOTNULL(it);
	LC_TRY(lc__session_check(it->s));
	while (it->i < it->n && !(it->limit && it->count >= it->limit)) {
		lc__rec *r = NULL;
		lc__txn t;
		int rc;

		LC_TRY(lc__store_read(lc__session_store(it->s), &t));
		rc = lc__image_load(&t, it->s, it->hits[it->i++].id, NULL, &r);
		lc__store_read_end(&t);
		if (rc == LC_ENOTFOUND)
			continue; /* deleted (or no longer visible) since the listing began */
		LC_TRY(rc);
		it->count++;
		*out = (lc_image *)r;
		lc__error_clear();
		return 0;
	}
	lc__error_clear();
	return LC_ITEROVER;
}

LC_EXTERN void lc_image_iter_free(lc_image_iter *it)
{
	if (it == NULL)
		return;
	hits_free(it->hits, it->n);
	free(it);
}
