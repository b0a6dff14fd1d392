/* Image members: sharing an image with other projects, who accept or reject it. */
#include <libcloud/image.h>
#include <libcloud/project.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/policy.h"
#include "core/resource.h"
#include "core/text.h"
#include "image/image.h"

#define MEMBERS_MAX 128
#define MEMBER_KEY (2 * LC__ID_TEXT)

struct lc_image_member {
	lc__rec rec;
};

struct lc_image_member_iter {
	lc__rec **recs;
	size_t n, i;
};

static void member_key(char out[MEMBER_KEY], const char *image_id, const char *project_id)
{
	snprintf(out, MEMBER_KEY, "%s/%s", image_id, project_id);
}

/* Visit every membership record of an image (fn returns non-zero to stop, returned as is). */
static int each_member(lc__txn *t, const char *image_id, int (*fn)(lc__txn *t, const MDB_val *v, void *p), void *p)
{
	char prefix[MEMBER_KEY];
	size_t pl;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, ret = 0;

	pl = (size_t)snprintf(prefix, sizeof(prefix), "%s/", image_id);
	rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, lc__image_member_shape.db), &cur);
	if (rc)
		return lc__txn_error(t, rc, "image members");
	k.mv_size = pl;
	k.mv_data = prefix;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < pl || memcmp(k.mv_data, prefix, pl) != 0)
			break;
		if ((ret = fn(t, &v, p)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (ret == 0 && rc != 0 && rc != MDB_NOTFOUND)
		ret = lc__txn_error(t, rc, "image members");
	return ret;
}

int lc__image_member_status(lc__txn *t, const char *image_id, const char *project_id, char *status, size_t sz)
{
	char key[MEMBER_KEY];
	lc__rec r;
	int rc;

	member_key(key, image_id, project_id);
	rc = lc__rec_view(t, &lc__image_member_shape, key, &r);
	if (rc < 0)
		return rc;
	lc__strlcpy(status, lc__rec_str(&r, MEM_STATUS), sz);
	return 0;
}

struct collect {
	lc__rec **recs;
	size_t n, cap;
};

static int collect_one(lc__txn *t, const MDB_val *v, void *p)
{
	struct collect *c = p;
	lc__rec *r;

	(void)t;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		lc__rec **n = realloc(c->recs, cap * sizeof(*n));
		if (n == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		c->recs = n;
		c->cap = cap;
	}
	LC_TRY(lc__rec_decode(&lc__image_member_shape, v->mv_data, v->mv_size, &r));
	c->recs[c->n++] = r;
	return 0;
}

static void collect_free(struct collect *c)
{
	for (size_t i = 0; i < c->n; i++)
		lc__rec_free(c->recs[i]);
	free(c->recs);
	memset(c, 0, sizeof(*c));
}

int lc__image_members_purge(lc__txn *t, const char *image_id)
{
	struct collect c = { 0 };
	int rc = each_member(t, image_id, collect_one, &c);

	for (size_t i = 0; rc == 0 && i < c.n; i++)
		rc = lc__rec_delete(t, c.recs[i]);
	collect_free(&c);
	return rc;
}

static int count_one(lc__txn *t, const MDB_val *v, void *p)
{
	(void)t;
	(void)v;
	++*(size_t *)p;
	return 0;
}

/* ---- entry points ---- */

struct member_ctx {
	lc_session *s;
	const char *image_id;
	const char *member_id;
	const char *status;
	lc__rec *out;
};

static int add_tx(lc__txn *t, void *p)
{
	struct member_ctx *c = p;
	char key[MEMBER_KEY];
	lc__draft d;
	lc__rec *img;
	const char *vis, *owner;
	size_t n = 0;
	int64_t now = lc__now_us();
	int rc = 0;

	lc__rec_free(c->out);
	c->out = NULL;
	LC_TRY(lc__image_load(t, c->s, c->image_id, "image:add_member", &img));
	vis = lc__rec_str(img, IMG_VISIBILITY);
	owner = lc__rec_str(img, IMG_OWNER);
	if (strcmp(vis, "shared") != 0)
		rc = lc__error_set(LC_ECONFLICT, "image %s is %s: only shared images have members", c->image_id, vis);
	else if (owner && strcmp(owner, c->member_id) == 0)
		rc = lc__error_set(LC_EINVALID, "project %s owns image %s", c->member_id, c->image_id);
	lc__rec_free(img);
	LC_TRY(rc);
	LC_TRY(each_member(t, c->image_id, count_one, &n));
	if (n >= MEMBERS_MAX)
		return lc__error_set(LC_EQUOTA, "an image has at most %d members", MEMBERS_MAX);
	member_key(key, c->image_id, c->member_id);
	lc__draft_new(&d, &lc__image_member_shape);
	lc__draft_set_str(&d, MEM_ID, key);
	lc__draft_set_str(&d, MEM_IMAGE, c->image_id);
	lc__draft_set_str(&d, MEM_MEMBER, c->member_id);
	lc__draft_set_str(&d, MEM_STATUS, "pending");
	lc__draft_set_int(&d, MEM_CREATED, now);
	lc__draft_set_int(&d, MEM_UPDATED, now);
	rc = lc__rec_insert(t, &lc__image_member_shape, d.v);
	if (rc == LC_EEXISTS)
		return lc__error_set(LC_EEXISTS, "project %s is already a member of image %s", c->member_id,
				     c->image_id);
	LC_TRY(rc);
	return lc__draft_snapshot(&d, &c->out);
}

/* The project must exist: asked through the identity API, as the host. */
static int project_exists(lc_session *s, const char *project_id)
{
	lc_session *sys = NULL;
	lc_project *p = NULL;
	int rc = lc_session_system(&sys, s->cloud);

	if (rc == 0)
		rc = lc_project_get(&p, sys, project_id);
	lc_project_free(p);
	lc_session_free(sys);
	if (rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "no project %s", project_id);
	return rc;
}

static int run(lc_image_member **out, struct member_ctx *c, lc__write_fn fn)
{
	int rc = lc__store_write(lc__session_store(c->s), fn, c);

	if (rc < 0 || out == NULL) {
		lc__rec_free(c->out);
		return rc;
	}
	*out = (lc_image_member *)c->out;
	return 0;
}

LC_EXTERN int lc_image_member_add(lc_image_member **out, lc_session *s, const char *image_id, const char *member_id)
{
	char img[LC__ID_TEXT], mem[LC__ID_TEXT];
	struct member_ctx c = { s, img, mem, NULL, NULL };

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("image_id", image_id, img));
	LC_TRY(lc__id_canon("member_id", member_id, mem));
	LC_TRY(project_exists(s, mem));
	lc__error_clear();
	return run(out, &c, add_tx);
}

/* A membership visible to s: s is the member project, or owns the image (or is admin). */
static int load_member(lc__txn *t, struct member_ctx *c, int member_only, lc__rec **out)
{
	char key[MEMBER_KEY];
	lc__rec *img;
	int owner, rc;

	*out = NULL;
	LC_TRY(lc__image_load(t, c->s, c->image_id, NULL, &img));
	owner = lc__image_is_owner(c->s, img);
	lc__rec_free(img);
	member_key(key, c->image_id, c->member_id);
	rc = lc__rec_load(t, &lc__image_member_shape, key, out);
	if (rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "project %s is not a member of image %s", c->member_id, c->image_id);
	LC_TRY(rc);
	if (lc__session_is_admin(c->s))
		return 0;
	if (c->s->scope == LC_SCOPE_PROJECT && strcmp(c->s->project_id, c->member_id) == 0)
		return 0;
	lc__rec_free(*out);
	*out = NULL;
	if (owner && !member_only)
		return 0;
	if (owner)
		return lc__error_set(LC_EFORBIDDEN, "only the member project may change its membership");
	return lc__error_set(LC_ENOTFOUND, "project %s is not a member of image %s", c->member_id, c->image_id);
}

static int update_tx(lc__txn *t, void *p)
{
	struct member_ctx *c = p;
	lc__rec *old;
	lc__draft d;
	int rc;

	lc__rec_free(c->out);
	c->out = NULL;
	LC_TRY(lc__policy_enforce(c->s, "image:modify_member", NULL, NULL));
	LC_TRY(load_member(t, c, 1, &old));
	lc__draft_from(&d, old);
	lc__draft_set_str(&d, MEM_STATUS, c->status);
	lc__draft_set_int(&d, MEM_UPDATED, lc__now_us());
	rc = lc__rec_update(t, old, d.v);
	if (rc == 0)
		rc = lc__draft_snapshot(&d, &c->out);
	lc__rec_free(old);
	return rc;
}

LC_EXTERN int lc_image_member_update(lc_image_member **out, lc_session *s, const char *image_id,
				     const char *member_id, const char *status)
{
	char img[LC__ID_TEXT], mem[LC__ID_TEXT];
	struct member_ctx c = { s, img, mem, status, NULL };

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("image_id", image_id, img));
	LC_TRY(lc__id_canon("member_id", member_id, mem));
	if (status == NULL || (strcmp(status, "accepted") && strcmp(status, "rejected") && strcmp(status, "pending")))
		return lc__error_set(LC_EINVALID, "member status must be accepted, rejected or pending");
	return run(out, &c, update_tx);
}

LC_EXTERN int lc_image_member_get(lc_image_member **out, lc_session *s, const char *image_id, const char *member_id)
{
	char img[LC__ID_TEXT], mem[LC__ID_TEXT];
	struct member_ctx c = { s, img, mem, NULL, NULL };
	lc__rec *r = NULL;
	lc__txn t;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("image_id", image_id, img));
	LC_TRY(lc__id_canon("member_id", member_id, mem));
	LC_TRY(lc__policy_enforce(s, "image:get_member", NULL, NULL));
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = load_member(&t, &c, 0, &r);
	lc__store_read_end(&t);
	*out = (lc_image_member *)r;
	return rc;
}

static int delete_tx(lc__txn *t, void *p)
{
	struct member_ctx *c = p;
	char key[MEMBER_KEY];
	lc__rec *img, *old;
	int rc;

	LC_TRY(lc__image_load(t, c->s, c->image_id, "image:delete_member", &img));
	lc__rec_free(img);
	member_key(key, c->image_id, c->member_id);
	rc = lc__rec_load(t, &lc__image_member_shape, key, &old);
	if (rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "project %s is not a member of image %s", c->member_id, c->image_id);
	LC_TRY(rc);
	rc = lc__rec_delete(t, old);
	lc__rec_free(old);
	return rc;
}

LC_EXTERN int lc_image_member_delete(lc_session *s, const char *image_id, const char *member_id)
{
	char img[LC__ID_TEXT], mem[LC__ID_TEXT];
	struct member_ctx c = { s, img, mem, NULL, NULL };

	lc__error_clear();
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("image_id", image_id, img));
	LC_TRY(lc__id_canon("member_id", member_id, mem));
	return lc__store_write(lc__session_store(s), delete_tx, &c);
}

LC_EXTERN int lc_image_member_iter_new(lc_image_member_iter **out, lc_session *s, const char *image_id)
{
	char img[LC__ID_TEXT];
	struct collect c = { 0 };
	lc_image_member_iter *it;
	lc__rec *r = NULL;
	lc__txn t;
	int rc, owner;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("image_id", image_id, img));
	LC_TRY(lc__policy_enforce(s, "image:get_members", NULL, NULL));
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__image_load(&t, s, img, NULL, &r);
	owner = rc == 0 && lc__image_is_owner(s, r);
	lc__rec_free(r);
	if (rc == 0)
		rc = each_member(&t, img, collect_one, &c);
	lc__store_read_end(&t);
	if (rc < 0) {
		collect_free(&c);
		return rc;
	}
	if (!owner) { /* a member sees its own membership only */
		size_t k = 0;
		for (size_t i = 0; i < c.n; i++) {
			if (s->scope == LC_SCOPE_PROJECT && strcmp(lc__rec_str(c.recs[i], MEM_MEMBER), s->project_id) == 0)
				c.recs[k++] = c.recs[i];
			else
				lc__rec_free(c.recs[i]);
		}
		c.n = k;
	}
	it = calloc(1, sizeof(*it));
	if (it == NULL) {
		collect_free(&c);
		return lc__error_set(LC_ENOMEM, "out of memory");
	}
	it->recs = c.recs;
	it->n = c.n;
	*out = it;
	return 0;
}

LC_EXTERN int lc_image_member_iter_next(lc_image_member **out, lc_image_member_iter *it)
{
	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_NOTNULL(it);
	if (it->i >= it->n)
		return LC_ITEROVER;
	*out = (lc_image_member *)it->recs[it->i];
	it->recs[it->i++] = NULL;
	return 0;
}

LC_EXTERN void lc_image_member_iter_free(lc_image_member_iter *it)
{
	if (it == NULL)
		return;
	for (size_t i = it->i; i < it->n; i++)
		lc__rec_free(it->recs[i]);
	free(it->recs);
	free(it);
}

LC__RESOURCE_STR(image_member, image_id, MEM_IMAGE)
LC__RESOURCE_STR(image_member, member_id, MEM_MEMBER)
LC__RESOURCE_STR(image_member, status, MEM_STATUS)

LC_EXTERN int64_t lc_image_member_created_at(const lc_image_member *m)
{
	return m ? lc__rec_int(&m->rec, MEM_CREATED) : 0;
}

LC_EXTERN int64_t lc_image_member_updated_at(const lc_image_member *m)
{
	return m ? lc__rec_int(&m->rec, MEM_UPDATED) : 0;
}

LC_EXTERN void lc_image_member_free(lc_image_member *m)
{
	lc__rec_free(m ? &m->rec : NULL);
}
