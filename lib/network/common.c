/* Steps shared by the networking entry points: ownership, stamps, tags, update and delete. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/policy.h"
#include "core/text.h"
#include "network/net.h"

int lc__net_owner(const lc_session *s, const char *given, char out[LC__ID_TEXT])
{
	if (given != NULL && *given != '\0')
		return lc__id_canon("project_id", given, out);
	if (s->scope != LC_SCOPE_PROJECT || s->project_id[0] == '\0')
		return lc__error_set(LC_EINVALID, "project_id is required when the session is not scoped to a project");
	memcpy(out, s->project_id, LC__ID_TEXT);
	return 0;
}

int lc__net_own(const lc_session *s, const char *project_id)
{
	if (lc__session_is_admin(s))
		return 1;
	return project_id != NULL && s->scope == LC_SCOPE_PROJECT && strcmp(s->project_id, project_id) == 0;
}

int lc__net_visible_own(lc__txn *t, const lc_session *s, const lc__rec *r, void *p)
{
	(void)t;
	(void)p;
	return lc__net_own(s, lc__rec_str(r, r->shape->project_field));
}

static int field_of(const lc__shape *sh, const char *name)
{
	return lc__shape_field(sh, name);
}

void lc__net_stamp(lc__draft *d)
{
	int64_t now = lc__now_us();

	lc__draft_set_int(d, field_of(d->sh, "created_at"), now);
	lc__draft_set_int(d, field_of(d->sh, "updated_at"), now);
	lc__draft_set_int(d, field_of(d->sh, "revision_number"), 1);
}

void lc__net_touch(lc__draft *d)
{
	int rev = field_of(d->sh, "revision_number"), upd = field_of(d->sh, "updated_at");
	int64_t now = lc__now_us();

	if (d->v[upd].set && now <= d->v[upd].i)
		now = d->v[upd].i + 1;
	lc__draft_set_int(d, upd, now);
	lc__draft_set_int(d, rev, (d->v[rev].set ? d->v[rev].i : 0) + 1);
}

int lc__net_tags(lc__nl *l, const char *const *tags)
{
	size_t n = lc__strv_len(tags);
	lc__val v;

	lc__nl_reset(l);
	if (n > LC_NET_TAGS_MAX)
		return lc__error_set(LC_EINVALID, "too many tags (at most %d)", LC_NET_TAGS_MAX);
	for (size_t i = 0; i < n; i++) {
		LC_TRY(lc__text_check("tag", tags[i], 1, LC_NET_TAG_MAX));
		if (strchr(tags[i], ',') != NULL)
			return lc__error_set(LC_EINVALID, "tag '%.64s' contains a comma", tags[i]);
		lc__nl_val(&v, l);
		if (lc__nlv_find(&v, 1, 0, tags[i]) >= 0)
			continue;
		LC_TRY(lc__nl_add(l, tags[i]));
	}
	return 0;
}

int lc__net_text(lc__draft *d, int field, const char *s, int update)
{
	if (s != NULL && *s == '\0' && (d->sh->fields[field].flags & LC__F_NULLABLE)) {
		LC_TRY(lc__draft_text(d, field, "x", update)); /* permission check only */
		d->v[field].set = 0;
		return 0;
	}
	return lc__draft_text(d, field, s, update);
}

void lc__net_set_opt(lc__val *v, const char *s)
{
	if (s == NULL || *s == '\0')
		v->set = 0;
	else
		lc__val_str(v, s);
}

int lc__net_load_visible(lc__txn *t, const lc_session *s, const lc__shape *sh, const char *id,
			 lc__visible_fn visible, lc__rec **out)
{
	lc__rec *r;
	int ok;

	*out = NULL;
	LC_TRY(lc__rec_load(t, sh, id, &r));
	ok = visible ? visible(t, s, r, NULL) : 1;
	if (ok <= 0) {
		lc__rec_free(r);
		return ok < 0 ? ok : lc__error_set(LC_ENOTFOUND, "%s %s not found", sh->kind, id);
	}
	*out = r;
	return 0;
}

/* Policy on a loaded record: LC_EFORBIDDEN when visible but not allowed. */
static int enforce_on(const lc_session *s, const char *op, const lc__rec *r)
{
	const lc__shape *sh = r->shape;

	return lc__policy_enforce(s, op, sh->project_field >= 0 ? lc__rec_str(r, sh->project_field) : NULL, NULL);
}

struct update_ctx {
	lc_session *s;
	const lc__shape *sh;
	const char *op;
	const char *id;
	lc__visible_fn visible;
	lc__apply_fn apply;
	void *p;
	lc__rec *out, *old;
};

static int update_tx(lc__txn *t, void *p)
{
	struct update_ctx *u = p;
	lc__draft d;
	int rc;

	lc__rec_free(u->out);
	lc__rec_free(u->old);
	u->out = u->old = NULL;
	LC_TRY(lc__net_load_visible(t, u->s, u->sh, u->id, u->visible, &u->old));
	rc = enforce_on(u->s, u->op, u->old);
	if (rc == 0) {
		lc__draft_from(&d, u->old);
		rc = u->apply(t, &d, u->old, u->p);
	}
	if (rc == 0) {
		lc__net_touch(&d);
		rc = lc__rec_update(t, u->old, d.v);
	}
	if (rc == 0)
		rc = lc__draft_snapshot(&d, &u->out);
	return rc;
}

int lc__net_update(lc__rec **out, lc__rec **old_out, lc_session *s, const lc__shape *sh, const char *op,
		   const char *id, lc__visible_fn visible, lc__apply_fn apply, void *p)
{
	char key[LC__ID_TEXT];
	struct update_ctx u = { s, sh, op, key, visible, apply, p, NULL, NULL };
	int rc;

	if (out)
		*out = NULL;
	if (old_out)
		*old_out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	rc = lc__store_write(lc__session_store(s), update_tx, &u);
	if (rc < 0) {
		lc__rec_free(u.out);
		lc__rec_free(u.old);
		return rc;
	}
	if (out)
		*out = u.out;
	else
		lc__rec_free(u.out);
	if (old_out)
		*old_out = u.old;
	else
		lc__rec_free(u.old);
	return 0;
}

int lc__net_restore(lc__txn *t, const lc__rec *old, lc__draft *d)
{
	lc__net_touch(d);
	return lc__rec_update(t, old, d->v);
}

struct delete_ctx {
	lc_session *s;
	const lc__shape *sh;
	const char *op;
	const char *id;
	lc__visible_fn visible;
	lc__net_check_fn check;
	lc__predelete_fn pre;
	void *p;
};

static int delete_tx(lc__txn *t, void *p)
{
	struct delete_ctx *c = p;
	lc__rec *old;
	int rc;

	LC_TRY(lc__net_load_visible(t, c->s, c->sh, c->id, c->visible, &old));
	rc = enforce_on(c->s, c->op, old);
	if (rc == 0 && c->check)
		rc = c->check(t, c->s, old, c->p);
	if (rc == 0 && c->pre)
		rc = c->pre(t, old, c->p);
	if (rc == 0)
		rc = lc__rec_delete(t, old);
	lc__rec_free(old);
	return rc;
}

int lc__net_delete(lc_session *s, lc__netkind kind, const lc__shape *sh, const char *op, const char *id,
		   unsigned int flags, lc__visible_fn visible, lc__net_check_fn check, lc__predelete_fn pre, void *p)
{
	char key[LC__ID_TEXT];
	struct delete_ctx c = { s, sh, op, key, visible, check, pre, p };
	lc__rec *old = NULL;
	lc__txn t;
	int rc;

	LC_TRY(lc__session_check(s));
	LC_CHECK_FLAGS(flags, 0);
	LC_TRY(lc__id_canon("id", id, key));
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__net_load_visible(&t, s, sh, key, visible, &old);
	if (rc == 0)
		rc = enforce_on(s, op, old);
	if (rc == 0 && check)
		rc = check(&t, s, old, p);
	lc__store_read_end(&t);
	if (rc == 0)
		rc = lc__net_notify(s, kind, LC_NETWORK_CHANGE_DELETE, old, NULL);
	if (rc == 0) {
		rc = lc__store_write(lc__session_store(s), delete_tx, &c);
		if (rc < 0) { /* the driver was told already: tell it the resource is back */
			lc_error saved = *lc_error_last();
			char msg[512];

			strncpy(msg, saved.message, sizeof(msg) - 1);
			msg[sizeof(msg) - 1] = '\0';
			(void)lc__net_notify(s, kind, LC_NETWORK_CHANGE_CREATE, old, NULL);
			lc__error_set(saved.code, "%s", msg);
		}
	}
	lc__rec_free(old);
	return rc;
}

struct status_ctx {
	const lc__shape *sh;
	const char *id;
	int field;
	const char *status;
};

static int status_tx(lc__txn *t, void *p)
{
	struct status_ctx *c = p;
	lc__rec *old;
	lc__draft d;
	int rc;

	rc = lc__rec_load(t, c->sh, c->id, &old);
	if (rc == LC_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	lc__draft_from(&d, old);
	lc__draft_set_str(&d, c->field, c->status);
	rc = lc__net_restore(t, old, &d);
	lc__rec_free(old);
	return rc;
}

int lc__net_set_status(lc_session *s, const lc__shape *sh, const char *id, int field, const char *status)
{
	return lc__net_set_status_st(lc__session_store(s), sh, id, field, status);
}

int lc__net_set_status_st(lc__store *st, const lc__shape *sh, const char *id, int field, const char *status)
{
	struct status_ctx c = { sh, id, field, status };

	return lc__store_write(st, status_tx, &c);
}

struct undo_ctx {
	const lc__shape *sh;
	const char *id;
	lc__predelete_fn pre;
	void *p;
};

static int undo_tx(lc__txn *t, void *p)
{
	struct undo_ctx *c = p;
	lc__rec *old;
	int rc;

	rc = lc__rec_load(t, c->sh, c->id, &old);
	if (rc == LC_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	rc = c->pre ? c->pre(t, old, c->p) : 0;
	if (rc == 0)
		rc = lc__rec_delete(t, old);
	lc__rec_free(old);
	return rc;
}

int lc__net_undo_create(lc_session *s, const lc__shape *sh, const char *id, lc__predelete_fn pre, void *p)
{
	struct undo_ctx c = { sh, id, pre, p };
	lc_error saved = *lc_error_last();
	char msg[512];
	int rc;

	strncpy(msg, saved.message, sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	rc = lc__store_write(lc__session_store(s), undo_tx, &c);
	lc__error_set(saved.code, "%s", msg); /* the caller reports the driver's failure */
	return rc;
}

int lc__net_created(lc__rec **r, lc_session *s, lc__netkind kind, lc__predelete_fn release)
{
	int rc = lc__net_notify(s, kind, LC_NETWORK_CHANGE_CREATE, *r, NULL);

	if (rc < 0) {
		lc__net_undo_create(s, (*r)->shape, lc__rec_str(*r, 0), release, NULL);
		lc__rec_free(*r);
		*r = NULL;
	}
	return rc;
}

int lc__net_updated(lc__rec **r, lc_session *s, lc__netkind kind, int status_field)
{
	int rc = lc__net_notify(s, kind, LC_NETWORK_CHANGE_UPDATE, *r, NULL);

	if (rc < 0) {
		if (status_field >= 0)
			lc__net_set_status(s, (*r)->shape, lc__rec_str(*r, 0), status_field, "ERROR");
		lc__rec_free(*r);
		*r = NULL;
	}
	return rc;
}
