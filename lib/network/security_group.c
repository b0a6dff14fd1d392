/* Security groups: named sets of rules, with a "default" group per project created on first use. */
#include <libcloud/security_group.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/policy.h"
#include "core/quota.h"
#include "network/net.h"

struct lc_security_group {
	lc__rec rec;
};

LC__RESOURCE_STR(security_group, id, SG_ID)
LC__RESOURCE_STR(security_group, project_id, SG_PROJECT)
LC__RESOURCE_TEXT(security_group, name, SG_NAME)
LC__RESOURCE_TEXT(security_group, description, SG_DESCRIPTION)
LC__RESOURCE_BOOL(security_group, stateful, SG_STATEFUL)
LC__NET_COUNT(security_group, tag_count, SG_TAGS, 1)
LC__NET_ITEM(security_group, tag, SG_TAGS, 1, 0)
LC__NET_INT(security_group, created_at, SG_CREATED)
LC__NET_INT(security_group, updated_at, SG_UPDATED)
LC__NET_INT(security_group, revision, SG_REVISION)

LC_EXTERN int lc_security_group_is_default(const lc_security_group *g)
{
	return g ? lc__rec_set(&g->rec, SG_DEFAULT_FOR) : 0;
}

LC_EXTERN void lc_security_group_free(lc_security_group *g)
{
	lc__rec_free(g ? &g->rec : NULL);
}

LC__OPTS_INIT_FN(lc_security_group_opts_init, lc_security_group_opts, LC_SECURITY_GROUP_OPTS_INIT,
		 LC_SECURITY_GROUP_OPTS_VERSION)

/* ---- the default group ---- */

static int default_lookup(lc__txn *t, const char *project_id, char id_out[LC__ID_TEXT])
{
	const char *parts[] = { project_id };

	return lc__index_lookup(t, &lc__sg_shape.indexes[SG_IX_DEFAULT], parts, id_out, LC__ID_TEXT);
}

/* The two egress rules every group starts with, and for the default group the two ingress ones. */
static int add_default_rules(lc__txn *t, const char *project_id, const char *group_id, int is_default)
{
	static const char *const eth[] = { "IPv4", "IPv6" };
	lc__nl scratch = { 0 };
	lc__draft d;
	int rc = 0;

	for (int i = 0; rc == 0 && i < 2; i++) {
		lc__rule_default_draft(&d, project_id, group_id, "egress", eth[i], NULL);
		rc = lc__rule_insert_tx(t, &d, &scratch);
	}
	for (int i = 0; rc == 0 && is_default && i < 2; i++) {
		lc__rule_default_draft(&d, project_id, group_id, "ingress", eth[i], group_id);
		rc = lc__rule_insert_tx(t, &d, &scratch);
	}
	lc__nl_free(&scratch);
	return rc;
}

int lc__sg_default_tx(lc__txn *t, const char *project_id, char id_out[LC__ID_TEXT], int *created)
{
	lc__draft d;
	int rc = default_lookup(t, project_id, id_out);

	*created = 0;
	if (rc != LC_ENOTFOUND)
		return rc;
	lc__draft_new(&d, &lc__sg_shape);
	snprintf(d.ids[SG_PROJECT], LC__ID_TEXT, "%s", project_id);
	lc__val_str(&d.v[SG_PROJECT], d.ids[SG_PROJECT]);
	lc__val_str(&d.v[SG_DEFAULT_FOR], d.ids[SG_PROJECT]);
	lc__draft_set_str(&d, SG_NAME, "default");
	lc__draft_set_str(&d, SG_DESCRIPTION, "Default security group");
	lc__val_bool(&d.v[SG_STATEFUL], 1);
	lc__val_blob(&d.v[SG_TAGS], "", 0);
	lc__net_stamp(&d);
	LC_TRY(lc__quota_charge(t, project_id, LC_QUOTA_SECURITY_GROUPS, 1));
	LC_TRY(lc__rec_insert(t, &lc__sg_shape, d.v));
	LC_TRY(add_default_rules(t, project_id, d.ids[0], 1));
	memcpy(id_out, d.ids[0], LC__ID_TEXT);
	*created = 1;
	return 0;
}

struct ensure_ctx {
	const char *project_id;
	char id[LC__ID_TEXT];
	int created;
};

static int ensure_tx(lc__txn *t, void *p)
{
	struct ensure_ctx *c = p;
	return lc__sg_default_tx(t, c->project_id, c->id, &c->created);
}

static int collect_id(lc__txn *t, const char *id, void *p)
{
	(void)t;
	return lc__nl_add(p, id);
}

/* Tell the driver about a new group and its rules. */
int lc__sg_notify_created(lc_session *s, const char *group_id)
{
	const char *parts[] = { group_id };
	lc__rec *g = NULL;
	lc__nl ids = { 0 };
	lc__val v;
	lc__txn t;
	int rc;

	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__rec_load(&t, &lc__sg_shape, group_id, &g);
	if (rc == 0)
		rc = lc__index_each(&t, &lc__rule_shape.indexes[RUL_IX_GROUP], parts, collect_id, &ids);
	lc__store_read_end(&t);
	if (rc == 0)
		rc = lc__net_notify(s, LC__NK_SG, LC_NETWORK_CHANGE_CREATE, g, NULL);
	lc__nl_val(&v, &ids);
	for (size_t i = 0; rc == 0 && i < lc__nlv_count(&v, 1); i++) {
		lc__rec *r = NULL;

		if ((rc = lc__store_read(lc__session_store(s), &t)) < 0)
			break;
		rc = lc__rec_load(&t, &lc__rule_shape, lc__nlv_item(&v, i), &r);
		lc__store_read_end(&t);
		if (rc == 0)
			rc = lc__net_notify(s, LC__NK_RULE, LC_NETWORK_CHANGE_CREATE, r, NULL);
		lc__rec_free(r);
	}
	lc__nl_free(&ids);
	lc__rec_free(g);
	return rc;
}

int lc__sg_ensure_default(lc_session *s, const char *project_id)
{
	struct ensure_ctx c = { project_id, "", 0 };
	lc__txn t;
	int rc;

	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = default_lookup(&t, project_id, c.id);
	lc__store_read_end(&t);
	if (rc != LC_ENOTFOUND)
		return rc;
	LC_TRY(lc__net_supported(s, LC__NK_SG));
	LC_TRY(lc__net_supported(s, LC__NK_RULE));
	LC_TRY(lc__store_write(lc__session_store(s), ensure_tx, &c));
	return c.created ? lc__sg_notify_created(s, c.id) : 0;
}

/* ---- readers ---- */

LC_EXTERN int lc_security_group_get(lc_security_group **out, lc_session *s, const char *id)
{
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	rc = lc__res_get(&r, s, &lc__sg_shape, "network:get_security_group", id, lc__net_visible_own);
	*out = (lc_security_group *)r;
	return rc;
}

LC_EXTERN int lc_security_group_default(lc_security_group **out, lc_session *s, const char *project_id)
{
	char project[LC__ID_TEXT], id[LC__ID_TEXT];
	lc__txn t;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__net_owner(s, project_id, project));
	if (!lc__net_own(s, project))
		return lc__error_set(LC_ENOTFOUND, "project %s not found", project);
	LC_TRY(lc__sg_ensure_default(s, project));
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = default_lookup(&t, project, id);
	lc__store_read_end(&t);
	LC_TRY(rc);
	return lc_security_group_get(out, s, id);
}

LC_EXTERN int lc_security_group_iter_new(lc_security_group_iter **out, lc_session *s, const lc_list_opts *opts)
{
	lc__iter *it = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	if (s->scope == LC_SCOPE_PROJECT && s->project_id[0])
		LC_TRY(lc__sg_ensure_default(s, s->project_id));
	rc = lc__res_iter_new(&it, s, &lc__sg_shape, "network:list_security_groups", opts, lc__net_visible_own);
	*out = (lc_security_group_iter *)it;
	return rc;
}

LC_EXTERN int lc_security_group_iter_next(lc_security_group **out, lc_security_group_iter *it)
{
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	rc = lc__res_iter_next(&r, (lc__iter *)it);
	*out = (lc_security_group *)r;
	return rc;
}

LC_EXTERN void lc_security_group_iter_free(lc_security_group_iter *it)
{
	lc__res_iter_free((lc__iter *)it);
}

/* ---- create, update, delete ---- */

struct sg_ctx {
	lc_session *s;
	const lc_security_group_opts *o;
	lc__nl tags;
	char default_id[LC__ID_TEXT];
	int default_created;
};

static int create_tx(lc__txn *t, lc__draft *d, void *p)
{
	struct sg_ctx *c = p;

	LC_TRY(lc__sg_default_tx(t, d->v[SG_PROJECT].s, c->default_id, &c->default_created));
	LC_TRY(lc__quota_charge(t, d->v[SG_PROJECT].s, LC_QUOTA_SECURITY_GROUPS, 1));
	return add_default_rules(t, d->v[SG_PROJECT].s, d->v[SG_ID].s, 0);
}

/* Release what a group holds: its rules, the rules naming it, quota (delete and undo). */
static int sg_release(lc__txn *t, const lc__rec *old, void *p)
{
	(void)p;
	LC_TRY(lc__rule_purge_group_tx(t, lc__rec_str(old, SG_ID)));
	return lc__quota_charge(t, lc__rec_str(old, SG_PROJECT), LC_QUOTA_SECURITY_GROUPS, -1);
}

LC_EXTERN int lc_security_group_create(lc_security_group **out, lc_session *s, const lc_security_group_opts *o)
{
	struct sg_ctx c = { s, o, { 0 }, "", 0 };
	char project[LC__ID_TEXT];
	lc__draft d;
	lc__rec *r = NULL;
	int rc;

	LC__NET_WRITE_BEGIN(out, o, LC_SECURITY_GROUP_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__net_supported(s, LC__NK_SG));
	LC_TRY(lc__net_supported(s, LC__NK_RULE));
	LC_TRY(lc__net_owner(s, o->project_id, project));
	if (o->name && strcmp(o->name, "default") == 0)
		return lc__error_set(LC_EEXISTS, "Default security group already exists.");
	lc__draft_new(&d, &lc__sg_shape);
	lc__draft_set_str(&d, SG_PROJECT, project);
	LC_TRY(lc__net_text(&d, SG_NAME, o->name ? o->name : "", 0));
	LC_TRY(lc__net_text(&d, SG_DESCRIPTION, o->description, 0));
	lc__val_bool(&d.v[SG_STATEFUL], 1);
	LC_TRY(lc__draft_bool(&d, SG_STATEFUL, o->stateful, 0));
	rc = lc__net_tags(&c.tags, o->tags);
	if (rc == 0) {
		lc__nl_val(&d.v[SG_TAGS], &c.tags);
		lc__net_stamp(&d);
		rc = lc__res_create(&r, s, &d, "network:create_security_group", project, create_tx, &c);
	}
	lc__nl_free(&c.tags);
	if (rc < 0)
		return rc;
	if (c.default_created)
		(void)lc__sg_notify_created(s, c.default_id); /* a failure is logged; the group stays */
	rc = lc__sg_notify_created(s, lc__rec_str(r, SG_ID));
	if (rc < 0) {
		lc__net_undo_create(s, &lc__sg_shape, lc__rec_str(r, SG_ID), sg_release, NULL);
		lc__rec_free(r);
		return rc;
	}
	LC__NET_OUT(out, lc_security_group, r);
	return 0;
}

static int update_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	struct sg_ctx *c = p;
	const lc_security_group_opts *o = c->o;
	const char *id = lc__rec_str(old, SG_ID);
	int is_default = lc__rec_set(old, SG_DEFAULT_FOR);

	if (o->project_id)
		return lc__error_set(LC_EINVALID, "project_id cannot be changed");
	if (o->name && is_default && strcmp(o->name, "default") != 0)
		return lc__error_set(LC_ECONFLICT, "the default security group cannot be renamed");
	if (o->name && !is_default && strcmp(o->name, "default") == 0)
		return lc__error_set(LC_EEXISTS, "Default security group already exists.");
	LC_TRY(lc__net_text(d, SG_NAME, o->name, 1));
	LC_TRY(lc__net_text(d, SG_DESCRIPTION, o->description, 1));
	if (o->stateful != LC_UNSET && o->stateful != (int)lc__rec_int(old, SG_STATEFUL)) {
		MDB_val v;
		int rc = lc__txn_get(t, &lc__port_sg_db, id, strlen(id), &v);

		if (rc == 0)
			return lc__error_set(LC_ECONFLICT, "Security Group %s in use: stateful cannot change", id);
		if (rc != LC_ENOTFOUND)
			return rc;
		LC_TRY(lc__draft_bool(d, SG_STATEFUL, o->stateful, 1));
	}
	if (o->tags) {
		LC_TRY(lc__net_tags(&c->tags, o->tags));
		lc__nl_val(&d->v[SG_TAGS], &c->tags);
	}
	return 0;
}

LC_EXTERN int lc_security_group_update(lc_security_group **out, lc_session *s, const char *id,
				       const lc_security_group_opts *o)
{
	struct sg_ctx c = { s, o, { 0 }, "", 0 };
	lc__rec *r = NULL;
	int rc;

	LC__NET_WRITE_BEGIN(out, o, LC_SECURITY_GROUP_OPTS_VERSION);
	rc = lc__net_update(&r, NULL, s, &lc__sg_shape, "network:update_security_group", id, lc__net_visible_own,
			    update_apply, &c);
	lc__nl_free(&c.tags);
	if (rc < 0)
		return rc;
	rc = lc__net_updated(&r, s, LC__NK_SG, -1);
	LC__NET_OUT(out, lc_security_group, r);
	return rc;
}

static int delete_check(lc__txn *t, const lc_session *s, const lc__rec *old, void *p)
{
	const char *id = lc__rec_str(old, SG_ID);
	MDB_val v;
	int rc;

	(void)p;
	if (lc__rec_set(old, SG_DEFAULT_FOR) && !lc__session_is_admin(s))
		return lc__error_set(LC_ECONFLICT, "Insufficient rights for removing default security group.");
	rc = lc__txn_get(t, &lc__port_sg_db, id, strlen(id), &v);
	if (rc == 0)
		return lc__error_set(LC_ECONFLICT, "Security Group %s in use.", id);
	return rc == LC_ENOTFOUND ? 0 : rc;
}

LC_EXTERN int lc_security_group_delete(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	return lc__net_delete(s, LC__NK_SG, &lc__sg_shape, "network:delete_security_group", id, flags,
			      lc__net_visible_own, delete_check, sg_release, NULL);
}
