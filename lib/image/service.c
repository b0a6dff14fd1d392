/*
 * The image service: its databases, the built-in image stores, and the
 * open-time reconciliation: images left `saving` by a process that died go
 * back to `queued`, and data that no image points at is swept.
 */
#include "image/service.h"

#include <stdlib.h>
#include <string.h>

#include "core/draft.h"
#include "core/error.h"
#include "core/text.h"
#include "image/image.h"

int lc__image_store_find(lc_image_store **out, const lc_cloud *c, const char *name)
{
	lc_driver *d = lc_cloud_driver(c, LC_IMAGE_STORE_KIND, name);

	*out = NULL;
	if (d == NULL)
		return lc__error_set(LC_ENOTFOUND, "no image store named '%.64s'", name);
	if (d->version < 1)
		return lc__error_set(LC_EINVALID, "image store %s has an unsupported version", name);
	*out = (lc_image_store *)d;
	return 0;
}

/* Add a built-in store to the cloud's registry while it opens (the host had its chance before). */
static int add_builtin(lc_cloud *c, lc_image_store *st)
{
	lc_driver **n = realloc(c->drivers, (c->ndrivers + 1) * sizeof(*n));

	if (n == NULL) {
		st->base.free(&st->base);
		return lc__error_set(LC_ENOMEM, "out of memory");
	}
	c->drivers = n;
	c->drivers[c->ndrivers++] = &st->base;
	return 0;
}

static int ensure_builtins(lc_cloud *c)
{
	lc_image_store *st;

	if (lc_cloud_driver(c, LC_IMAGE_STORE_KIND, LC__IMAGE_DEFAULT_STORE) == NULL) {
		LC_TRY(lc_image_store_file_new(&st, LC__IMAGE_DEFAULT_STORE, NULL, 0));
		LC_TRY(add_builtin(c, st));
	}
	if (lc_cloud_driver(c, LC_IMAGE_STORE_KIND, LC__IMAGE_SOURCE_STORE) == NULL) {
		LC_TRY(lc_image_store_http_new(&st, LC__IMAGE_SOURCE_STORE, 0));
		LC_TRY(add_builtin(c, st));
	}
	return 0;
}

/* Images saving for a process that is gone: back to queued (their data was never recorded). */
static int reset_orphans_tx(lc__txn *t, void *p)
{
	MDB_cursor *cur;
	MDB_val k, v;
	lc__rec **stale = NULL;
	size_t n = 0, cap = 0;
	int rc, ret = 0;

	(void)p;
	rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, lc__image_shape.db), &cur);
	if (rc)
		return lc__txn_error(t, rc, "images");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		lc__rec *r;

		if ((ret = lc__rec_decode(&lc__image_shape, v.mv_data, v.mv_size, &r)) < 0)
			break;
		if (strcmp(lc__rec_str(r, IMG_STATUS), "saving") == 0 &&
		    !lc__image_uploader_alive(lc__rec_str(r, IMG_UPLOADER))) {
			if (n == cap) {
				lc__rec **m = realloc(stale, (cap = cap ? 2 * cap : 8) * sizeof(*m));
				if (m == NULL) {
					lc__rec_free(r);
					ret = lc__error_set(LC_ENOMEM, "out of memory");
					break;
				}
				stale = m;
			}
			stale[n++] = r;
		} else {
			lc__rec_free(r);
		}
	}
	mdb_cursor_close(cur);
	if (ret == 0 && rc != MDB_NOTFOUND)
		ret = lc__txn_error(t, rc, "images");
	for (size_t i = 0; i < n; i++) {
		if (ret == 0) {
			lc__draft d;

			lc__draft_from(&d, stale[i]);
			lc__draft_set_str(&d, IMG_STATUS, "queued");
			d.v[IMG_UPLOADER].set = 0;
			lc__draft_set_int(&d, IMG_UPDATED, lc__now_us());
			ret = lc__rec_update(t, stale[i], d.v);
		}
		lc__rec_free(stale[i]);
	}
	free(stale);
	return ret;
}

/* What the sweep keeps: "store\0location" of recorded data, and "\0id" of live uploads. */
typedef struct keepset {
	char **keys;
	size_t n, cap;
	const char *store; /* the store being swept */
} keepset;

static int keep_add(keepset *ks, const char *store, const char *loc)
{
	size_t sl = strlen(store), ll = strlen(loc);
	char *key;

	if (ks->n == ks->cap) {
		char **m = realloc(ks->keys, (ks->cap = ks->cap ? 2 * ks->cap : 64) * sizeof(*m));
		if (m == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		ks->keys = m;
	}
	key = malloc(sl + ll + 2);
	if (key == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	memcpy(key, store, sl + 1);
	memcpy(key + sl + 1, loc, ll + 1);
	ks->keys[ks->n++] = key;
	return 0;
}

static int keep_has(const keepset *ks, const char *store, const char *loc)
{
	for (size_t i = 0; i < ks->n; i++) {
		const char *k = ks->keys[i];
		if (strcmp(k, store) == 0 && strcmp(k + strlen(k) + 1, loc) == 0)
			return 1;
	}
	return 0;
}

static void keep_free(keepset *ks)
{
	for (size_t i = 0; i < ks->n; i++)
		free(ks->keys[i]);
	free(ks->keys);
}

static int keep_cb(const char *location, void *payload)
{
	const keepset *ks = payload;

	return keep_has(ks, ks->store, location) || keep_has(ks, "", location);
}

static int collect_keep(lc__store *store, keepset *ks)
{
	lc__txn t;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, ret = 0;

	LC_TRY(lc__store_read(store, &t));
	rc = mdb_cursor_open(t.txn, lc__store_dbi(store, lc__image_shape.db), &cur);
	if (rc) {
		lc__store_read_end(&t);
		return lc__error_mdb(rc, "images");
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		lc__rec *r;

		if ((ret = lc__rec_decode(&lc__image_shape, v.mv_data, v.mv_size, &r)) < 0)
			break;
		if (lc__rec_str(r, IMG_LOCATION) && lc__rec_str(r, IMG_STORE))
			ret = keep_add(ks, lc__rec_str(r, IMG_STORE), lc__rec_str(r, IMG_LOCATION));
		else if (strcmp(lc__rec_str(r, IMG_STATUS), "saving") == 0)
			ret = keep_add(ks, "", lc__rec_str(r, IMG_ID)); /* an upload still running elsewhere */
		lc__rec_free(r);
		if (ret < 0)
			break;
	}
	mdb_cursor_close(cur);
	lc__store_read_end(&t);
	if (ret == 0 && rc != MDB_NOTFOUND)
		ret = lc__error_mdb(rc, "images");
	return ret;
}

static int image_open(lc_cloud *c, void **state)
{
	keepset ks = { 0 };
	int rc;

	*state = NULL;
	LC_TRY(ensure_builtins(c));
	for (size_t i = 0; i < c->ndrivers; i++) {
		lc_image_store *st = (lc_image_store *)c->drivers[i];

		if (strcmp(c->drivers[i]->kind, LC_IMAGE_STORE_KIND) != 0 || c->drivers[i]->version < 1 || !st->attach)
			continue;
		LC_TRY(st->attach(st, c->path));
	}
	LC_TRY(lc__store_write(c->store, reset_orphans_tx, NULL));
	rc = collect_keep(c->store, &ks);
	for (size_t i = 0; rc == 0 && i < c->ndrivers; i++) {
		lc_image_store *st = (lc_image_store *)c->drivers[i];

		if (strcmp(c->drivers[i]->kind, LC_IMAGE_STORE_KIND) != 0 || c->drivers[i]->version < 1 || !st->sweep)
			continue;
		ks.store = st->base.name;
		rc = st->sweep(st, keep_cb, &ks);
		if (rc < 0)
			lc__log(c, LC_LOG_WARN, "image store %s: sweep failed: %s", st->base.name, lc_error_last()->message);
		rc = 0;
	}
	keep_free(&ks);
	return rc;
}

const lc__service lc__image_service = {
	"image", lc__image_dbs, 1, NULL, image_open, NULL,
};
