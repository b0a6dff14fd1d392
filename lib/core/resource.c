/* The steps shared by every resource entry point. */
#include "core/resource.h"

#include <stdlib.h>
#include <string.h>

#include "core/cloud.h"
#include "core/error.h"
#include "core/id.h"
#include "core/policy.h"
#include "core/session.h"

lc__store *lc__session_store(const lc_session *s)
{
	return s->cloud->store;
}

/* Policy and visibility for a loaded record; not allowed reads as not found. */
static int check_visible(lc__txn *t, lc_session *s, const lc__shape *sh, const char *op, const lc__rec *r,
			 lc__visible_fn visible)
{
	const char *project = sh->project_field >= 0 ? lc__rec_str(r, sh->project_field) : NULL;
	int ok = lc__policy_allows(s, op, project, lc__rec_str(r, 0));

	if (ok && visible)
		ok = visible(t, s, r, NULL);
	if (ok < 0)
		return ok;
	if (!ok)
		return lc__error_set(LC_ENOTFOUND, "%s %s not found", sh->kind, lc__rec_str(r, 0));
	return 0;
}

static int finish(lc__txn *t, lc_session *s, const lc__shape *sh, const char *op, lc__rec *r,
		  lc__visible_fn visible, lc__rec **out, int rc)
{
	if (rc == 0)
		rc = check_visible(t, s, sh, op, r, visible);
	lc__store_read_end(t);
	if (rc < 0) {
		lc__rec_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int lc__res_get(lc__rec **out, lc_session *s, const lc__shape *sh, const char *op, const char *id,
		lc__visible_fn visible)
{
	char key[LC__ID_TEXT];
	lc__rec *r = NULL;
	lc__txn t;
	int rc;

	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__rec_load(&t, sh, key, &r);
	return finish(&t, s, sh, op, r, visible, out, rc);
}

int lc__res_find(lc__rec **out, lc_session *s, const lc__shape *sh, const char *op, const lc__index *ix,
		 const char *const *parts, lc__visible_fn visible)
{
	char id[LC__ID_TEXT + 1];
	lc__rec *r = NULL;
	lc__txn t;
	int rc;

	*out = NULL;
	LC_TRY(lc__session_check(s));
	for (int i = 0; i < ix->nfields; i++) {
		const lc__field *f = &sh->fields[ix->fields[i]];
		if (parts[i] == NULL)
			return lc__error_set(LC_EINVALID, "%s is missing", f->name);
		if (strlen(parts[i]) > (f->type == LC__T_ID ? LC__ID_TEXT : f->max))
			return lc__error_set(LC_EINVALID, "%s is too long", f->name);
	}
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__index_lookup(&t, ix, parts, id, sizeof(id));
	if (rc == LC_ENOTFOUND)
		rc = lc__error_set(LC_ENOTFOUND, "no %s named '%s'", sh->kind, parts[ix->nfields - 1]);
	if (rc == 0)
		rc = lc__rec_load(&t, sh, id, &r);
	return finish(&t, s, sh, op, r, visible, out, rc);
}

int lc__res_iter_new(lc__iter **out, lc_session *s, const lc__shape *sh, const char *op, const lc_list_opts *opts,
		     lc__visible_fn visible)
{
	lc__iter *it;
	int rc;

	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, op, NULL, NULL));
	it = malloc(sizeof(*it));
	if (it == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	rc = lc__iter_init(it, s, sh, opts, visible, NULL);
	if (rc < 0) {
		lc__res_iter_free(it);
		return rc;
	}
	*out = it;
	return 0;
}

int lc__res_iter_next(lc__rec **out, lc__iter *it)
{
	*out = NULL;
	LC_CHECK_NOTNULL(it);
	LC_TRY(lc__session_check(it->s));
	return lc__iter_next(it, out);
}

void lc__res_iter_free(lc__iter *it)
{
	if (it == NULL)
		return;
	lc__iter_fini(it);
	free(it);
}

struct create_ctx {
	lc__draft *d;
	lc__create_fn check;
	void *p;
};

static int create_tx(lc__txn *t, void *p)
{
	struct create_ctx *c = p;

	if (c->check)
		LC_TRY(c->check(t, c->d, c->p));
	return lc__rec_insert(t, c->d->sh, c->d->v);
}

int lc__res_create(lc__rec **out, lc_session *s, lc__draft *d, const char *op, const char *project_id,
		   lc__create_fn check, void *p)
{
	struct create_ctx c = { d, check, p };

	if (out)
		*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, op, project_id, NULL));
	LC_TRY(lc__draft_complete(d));
	LC_TRY(lc__store_write(lc__session_store(s), create_tx, &c));
	return out ? lc__draft_snapshot(d, out) : 0;
}

struct update_ctx {
	lc_session *s;
	const lc__shape *sh;
	const char *op;
	const char *id;
	lc__apply_fn apply;
	void *p;
	lc__rec *out;
};

static int update_tx(lc__txn *t, void *p)
{
	struct update_ctx *u = p;
	lc__rec *old;
	lc__draft d;
	const char *project;
	int rc;

	lc__rec_free(u->out); /* from an earlier run of this callback */
	u->out = NULL;
	LC_TRY(lc__rec_load(t, u->sh, u->id, &old));
	project = u->sh->project_field >= 0 ? lc__rec_str(old, u->sh->project_field) : NULL;
	rc = lc__policy_enforce(u->s, u->op, project, lc__rec_str(old, 0));
	if (rc == 0) {
		lc__draft_from(&d, old);
		rc = u->apply(t, &d, old, u->p);
	}
	if (rc == 0)
		rc = lc__rec_update(t, old, d.v);
	if (rc == 0)
		rc = lc__draft_snapshot(&d, &u->out);
	lc__rec_free(old);
	return rc;
}

int lc__res_update(lc__rec **out, lc_session *s, const lc__shape *sh, const char *op, const char *id,
		   lc__apply_fn apply, void *p)
{
	char key[LC__ID_TEXT];
	struct update_ctx u = { s, sh, op, key, apply, p, NULL };
	int rc;

	if (out)
		*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	rc = lc__store_write(lc__session_store(s), update_tx, &u);
	if (rc < 0 || out == NULL) {
		lc__rec_free(u.out);
		return rc;
	}
	*out = u.out;
	return 0;
}

struct delete_ctx {
	lc_session *s;
	const lc__shape *sh;
	const char *op;
	const char *id;
	lc__predelete_fn pre;
	void *p;
};

static int delete_tx(lc__txn *t, void *p)
{
	struct delete_ctx *c = p;
	lc__rec *old;
	const char *project;
	int rc;

	LC_TRY(lc__rec_load(t, c->sh, c->id, &old));
	project = c->sh->project_field >= 0 ? lc__rec_str(old, c->sh->project_field) : NULL;
	rc = lc__policy_enforce(c->s, c->op, project, lc__rec_str(old, 0));
	if (rc == 0 && c->pre)
		rc = c->pre(t, old, c->p);
	if (rc == 0)
		rc = lc__rec_delete(t, old);
	lc__rec_free(old);
	return rc;
}

int lc__res_delete(lc_session *s, const lc__shape *sh, const char *op, const char *id, unsigned int flags,
		   lc__predelete_fn pre, void *p)
{
	char key[LC__ID_TEXT];
	struct delete_ctx c = { s, sh, op, key, pre, p };

	LC_TRY(lc__session_check(s));
	LC_CHECK_FLAGS(flags, 0);
	LC_TRY(lc__id_canon("id", id, key));
	return lc__store_write(lc__session_store(s), delete_tx, &c);
}

int lc__res_create_opts(lc__rec **out, lc_session *s, const lc__res_class *k, const void *opts)
{
	lc__draft d;
	int created = lc__shape_field(k->sh, "created_at");

	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION((const struct { unsigned int version; } *)opts, k->opts_version);
	lc__draft_new(&d, k->sh);
	if (k->defaults)
		k->defaults(&d);
	if (created >= 0)
		lc__draft_set_int(&d, created, lc__now_us());
	LC_TRY(k->apply(&d, opts, 0));
	return lc__res_create(out, s, &d, k->create_op, NULL, k->check, NULL);
}

struct class_update {
	const lc__res_class *k;
	const void *opts;
};

static int class_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	struct class_update *u = p;

	LC_TRY(u->k->apply(d, u->opts, 1));
	return u->k->update_check ? u->k->update_check(t, d, old, (void *)u->opts) : 0;
}

int lc__res_update_opts(lc__rec **out, lc_session *s, const lc__res_class *k, const char *id, const void *opts)
{
	struct class_update u = { k, opts };

	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION((const struct { unsigned int version; } *)opts, k->opts_version);
	return lc__res_update(out, s, k->sh, k->update_op, id, class_apply, &u);
}
