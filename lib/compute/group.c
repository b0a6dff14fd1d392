/* Server groups: affinity rules the scheduler applies to their members. */
#include <libcloud/server_group.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compute/common.h"
#include "compute/compute.h"
#include "core/error.h"
#include "core/policy.h"
#include "core/quota.h"
#include "core/resource.h"

struct lc_server_group {
	lc__rec rec;
};

LC_EXTERN int lc_server_group_get(lc_server_group **out, lc_session *s, const char *id)
{
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	rc = lc__res_get(&r, s, &lc__server_group_shape, "compute:get_server_group", id, NULL);
	*out = (lc_server_group *)r;
	return rc;
}

LC_EXTERN int lc_server_group_iter_next(lc_server_group **out, lc_server_group_iter *it)
{
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	rc = lc__res_iter_next(&r, (lc__iter *)it);
	*out = (lc_server_group *)r;
	return rc;
}

LC_EXTERN void lc_server_group_iter_free(lc_server_group_iter *it)
{
	lc__res_iter_free((lc__iter *)it);
}

LC_EXTERN void lc_server_group_free(lc_server_group *g)
{
	lc__rec_free(g ? &g->rec : NULL);
}
LC__OPTS_INIT_FN(lc_server_group_opts_init, lc_server_group_opts, LC_SERVER_GROUP_OPTS_INIT,
		 LC_SERVER_GROUP_OPTS_VERSION)

static int create_tx(lc__txn *t, void *p)
{
	lc__draft *d = p;

	LC_TRY(lc__quota_charge(t, d->v[SG_PROJECT].s, LC_QUOTA_SERVER_GROUPS, 1));
	return lc__rec_insert(t, &lc__server_group_shape, d->v);
}

LC_EXTERN int lc_server_group_create(lc_server_group **out, lc_session *s, const lc_server_group_opts *o)
{
	static const char *const policies[] = { "affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity",
						NULL };
	lc__draft d;
	lc__rec *r = NULL;
	int ok = 0, rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(o);
	LC_CHECK_VERSION(o, LC_SERVER_GROUP_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	if (s->scope != LC_SCOPE_PROJECT)
		return lc__error_set(LC_EINVALID, "server groups belong to a project: use a project-scoped session");
	LC_TRY(lc__policy_enforce(s, "compute:create_server_group", s->project_id, NULL));
	LC_CHECK_ARG(o->name != NULL, "name is required");
	LC_CHECK_ARG(o->policy != NULL, "policy is required");
	for (size_t i = 0; policies[i]; i++)
		ok |= strcmp(policies[i], o->policy) == 0;
	if (!ok)
		return lc__error_set(LC_EINVALID, "policy must be affinity, anti-affinity, soft-affinity or "
				     "soft-anti-affinity");
	lc__draft_new(&d, &lc__server_group_shape);
	LC_TRY(lc__draft_text(&d, SG_NAME, o->name, 0));
	LC_TRY(lc__draft_text(&d, SG_POLICY, o->policy, 0));
	lc__draft_set_str(&d, SG_PROJECT, s->project_id);
	lc__draft_set_str(&d, SG_USER, s->user_id);
	lc__draft_set_int(&d, SG_CREATED, lc__now_us());
	rc = lc__store_write(lc__session_store(s), create_tx, &d);
	if (rc == 0 && out) {
		rc = lc__draft_snapshot(&d, &r);
		*out = (lc_server_group *)r;
	}
	return rc;
}

static int group_predelete(lc__txn *t, const lc__rec *old, void *p)
{
	size_t n = lc__blob_count(&old->v[SG_MEMBERS]);

	(void)p;
	for (size_t i = 0; i < n; i++) {
		const char *id = lc__blob_item(&old->v[SG_MEMBERS], i);
		lc__rec *srv;
		lc__val v[LC__MAX_FIELDS];
		int rc = lc__rec_load(t, &lc__server_shape, id, &srv);

		if (rc == LC_ENOTFOUND)
			continue;
		LC_TRY(rc);
		lc__rec_values(srv, v);
		v[SRV_GROUP].set = 0;
		rc = lc__rec_update(t, srv, v);
		lc__rec_free(srv);
		LC_TRY(rc);
	}
	LC_TRY(lc__quota_charge(t, lc__rec_str(old, SG_PROJECT), LC_QUOTA_SERVER_GROUPS, -1));
	/* the per-group member count */
	return lc__quota_charge(t, lc__rec_str(old, SG_ID), LC_QUOTA_SERVER_GROUP_MEMBERS, INT64_MIN / 2);
}

LC_EXTERN int lc_server_group_delete(lc_session *s, const char *id, unsigned int flags)
{
	int rc;

	lc__error_clear();
	rc = lc__res_delete(s, &lc__server_group_shape, "compute:delete_server_group", id, flags, group_predelete,
			    NULL);
	if (rc == LC_EFORBIDDEN) {
		lc_server_group *g = NULL;

		/* a group the caller cannot even see is not found */
		if (lc_server_group_get(&g, s, id) == LC_ENOTFOUND)
			return LC_ENOTFOUND;
		lc_server_group_free(g);
		lc__error_set(LC_EFORBIDDEN, "policy does not allow compute:delete_server_group for this session");
	}
	return rc;
}

int lc__group_remove_member(lc__txn *t, const char *group_id, const char *server_id)
{
	lc__rec *g;
	lc__strlist l;
	lc__val v[LC__MAX_FIELDS];
	char *buf = NULL;
	size_t len = 0;
	int rc = lc__rec_load(t, &lc__server_group_shape, group_id, &g);

	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	rc = lc__strlist_parse(&l, &g->v[SG_MEMBERS]);
	if (rc == 0 && lc__strlist_del(&l, server_id)) {
		rc = lc__strlist_encode(&l, &buf, &len);
		if (rc == 0) {
			lc__rec_values(g, v);
			lc__val_blob(&v[SG_MEMBERS], buf, len);
			rc = lc__rec_update(t, g, v);
		}
		if (rc == 0)
			rc = lc__quota_charge(t, group_id, LC_QUOTA_SERVER_GROUP_MEMBERS, -1);
	}
	lc__strlist_free(&l);
	free(buf);
	lc__rec_free(g);
	return rc;
}

/* ---- listing: the caller's project, or all for an admin asking for it ---- */

LC_EXTERN int lc_server_group_iter_new(lc_server_group_iter **out, lc_session *s, const lc_list_opts *opts)
{
	const char *all = NULL;
	const char **rest = NULL;
	lc_list_opts lo;
	lc__iter *it = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	rc = lc__split_filters(opts, (const char *const[]){ "all_projects", NULL }, &lo, &rest, &all);
	if (rc == 0)
		rc = lc__res_iter_new(&it, s, &lc__server_group_shape, "compute:list_server_groups", &lo, NULL);
	free(rest);
	if (rc == 0 && !(all && lc__session_is_admin(s) && (!strcmp(all, "true") || !strcmp(all, "True") ||
							     !strcmp(all, "1")))) {
		if (s->scope == LC_SCOPE_PROJECT)
			rc = lc__iter_filter(it, SG_PROJECT, s->project_id);
		else if (!lc__session_is_admin(s))
			rc = lc__iter_filter(it, SG_PROJECT, "-");
	}
	if (rc < 0) {
		lc__res_iter_free(it);
		return rc;
	}
	*out = (lc_server_group_iter *)it;
	return 0;
}

LC__RESOURCE_STR(server_group, id, SG_ID)
LC__RESOURCE_STR(server_group, name, SG_NAME)
LC__RESOURCE_STR(server_group, policy, SG_POLICY)
LC__RESOURCE_STR(server_group, project_id, SG_PROJECT)
LC__RESOURCE_STR(server_group, user_id, SG_USER)

LC_EXTERN size_t lc_server_group_member_count(const lc_server_group *g)
{
	return g ? lc__blob_count(&g->rec.v[SG_MEMBERS]) : 0;
}

LC_EXTERN const char *lc_server_group_member(const lc_server_group *g, size_t n)
{
	return g ? lc__blob_item(&g->rec.v[SG_MEMBERS], n) : NULL;
}

LC_EXTERN int64_t lc_server_group_created_at(const lc_server_group *g)
{
	return g ? lc__rec_int(&g->rec, SG_CREATED) : 0;
}
