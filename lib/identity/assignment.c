/*
 * Role assignments: a role granted to a user on a project, a domain or the
 * system. Keyed "<user>/<target>/<role>" so the roles of a user on one
 * target are one range scan (token validation reads them every time).
 */
#include <libcloud/role.h>

#include <libcloud/domain.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/text.h"
#include "core/policy.h"
#include "core/resource.h"
#include "core/session.h"
#include "identity/identity.h"

#define KEY_MAX (LC__ID_TEXT * 2 + LC__TARGET_MAX + 4)

struct lc_role_assignment {
	lc__rec rec;
};

void lc__target_project(char out[LC__TARGET_MAX], const char *project_id)
{
	(void)lc__strcat_parts(out, LC__TARGET_MAX, (const char *const[]){ "p:", project_id, NULL });
}

void lc__target_domain(char out[LC__TARGET_MAX], const char *domain_id)
{
	(void)lc__strcat_parts(out, LC__TARGET_MAX, (const char *const[]){ "d:", domain_id, NULL });
}

int lc__identity_require(lc__txn *t, const lc__shape *sh, const char *id)
{
	int rc = lc__rec_exists(t, sh, id);

	if (rc == 0)
		return lc__error_set(LC_ENOTFOUND, "%s %s not found", sh->kind, id);
	return rc < 0 ? rc : 0;
}

/* Visit the role ids of the keys starting with prefix. */
static int scan_prefix(lc__txn *t, const char *prefix, int (*fn)(const char *key, size_t klen, void *p), void *p)
{
	MDB_cursor *cur;
	size_t plen = strlen(prefix);
	MDB_val k = { plen, (void *)prefix }, v;
	int rc, ret = 0;

	rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, lc__assignment_shape.db), &cur);
	if (rc)
		return lc__txn_error(t, rc, "role assignments");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0)
			break;
		if ((ret = fn(k.mv_data, k.mv_size, p)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (ret == 0 && rc != 0 && rc != MDB_NOTFOUND)
		ret = lc__txn_error(t, rc, "role assignments");
	return ret;
}

struct roles_ctx {
	lc__txn *t;
	size_t plen;
	struct lc__session_role *roles;
	size_t n, cap;
	unsigned int bits;
	int want_list;
};

static int add_role(struct roles_ctx *c, const char *id, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->roles[i].id, id) == 0)
			return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4;
		struct lc__session_role *r = realloc(c->roles, cap * sizeof(*r));
		if (r == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		c->roles = r;
		c->cap = cap;
	}
	lc__strlcpy(c->roles[c->n].id, id, sizeof(c->roles[c->n].id));
	lc__strlcpy(c->roles[c->n].name, name, sizeof(c->roles[c->n].name));
	c->n++;
	return 0;
}

static int collect_role(const char *key, size_t klen, void *p)
{
	struct roles_ctx *c = p;
	char id[LC__ID_TEXT];
	size_t idlen = klen - c->plen;
	lc__rec r;
	const char *name;
	int rc;

	if (idlen >= sizeof(id))
		return lc__error_set(LC_ECORRUPT, "a role assignment key is malformed");
	memcpy(id, key + c->plen, idlen);
	id[idlen] = '\0';
	rc = lc__rec_view(c->t, &lc__role_shape, id, &r);
	if (rc == LC_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	name = lc__rec_str(&r, ROL_NAME);
	if (!strcmp(name, "admin"))
		c->bits |= LC__ROLE_ADMIN | LC__ROLE_MEMBER | LC__ROLE_READER;
	else if (!strcmp(name, "member"))
		c->bits |= LC__ROLE_MEMBER | LC__ROLE_READER;
	else if (!strcmp(name, "reader"))
		c->bits |= LC__ROLE_READER;
	return c->want_list ? add_role(c, id, name) : 0;
}

/* Add the implied roles (admin -> member -> reader) that exist. */
static int add_implied(struct roles_ctx *c)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} implied[] = { { LC__ROLE_MEMBER, "member" }, { LC__ROLE_READER, "reader" } };

	for (size_t i = 0; i < sizeof(implied) / sizeof(implied[0]); i++) {
		char id[LC__ID_TEXT + 1];
		const char *parts[] = { implied[i].name };
		int rc;

		if (!(c->bits & implied[i].bit))
			continue;
		rc = lc__index_lookup(c->t, &lc__role_shape.indexes[ROL_IX_NAME], parts, id, sizeof(id));
		if (rc == LC_ENOTFOUND)
			continue;
		LC_TRY(rc);
		LC_TRY(add_role(c, id, implied[i].name));
	}
	return 0;
}

int lc__assignment_roles(lc__txn *t, const char *user_id, const char *target, struct lc__session_role **roles,
			 size_t *nroles, unsigned int *bits)
{
	char prefix[KEY_MAX];
	struct roles_ctx c = { t, 0, NULL, 0, 0, 0, roles != NULL };
	int rc;

	LC_TRY(lc__strcat_parts(prefix, sizeof(prefix), (const char *const[]){ user_id, "/", target, "/", NULL }));
	c.plen = strlen(prefix);
	rc = scan_prefix(t, prefix, collect_role, &c);
	if (rc == 0 && roles)
		rc = add_implied(&c);
	if (rc < 0) {
		free(c.roles);
		return rc;
	}
	if (roles) {
		*roles = c.roles;
		*nroles = c.n;
	}
	if (bits)
		*bits = c.bits;
	return 0;
}

static int stop_at_first(const char *key, size_t klen, void *p)
{
	(void)key;
	(void)klen;
	(void)p;
	return 1;
}

int lc__assignment_any(lc__txn *t, const char *user_id, const char *target)
{
	char prefix[KEY_MAX];

	LC_TRY(lc__strcat_parts(prefix, sizeof(prefix), (const char *const[]){ user_id, "/", target, "/", NULL }));
	return scan_prefix(t, prefix, stop_at_first, NULL);
}

int lc__assignment_put(lc__txn *t, const char *role_id, const char *user_id, const char *target)
{
	char key[KEY_MAX];
	lc__draft d;
	int rc;

	snprintf(key, sizeof(key), "%s/%s/%s", user_id, target, role_id);
	rc = lc__rec_exists(t, &lc__assignment_shape, key);
	if (rc != 0)
		return rc < 0 ? rc : 0; /* granted already */
	lc__draft_new(&d, &lc__assignment_shape);
	lc__draft_set_str(&d, ASG_ID, key);
	lc__draft_set_str(&d, ASG_ROLE, role_id);
	lc__draft_set_str(&d, ASG_USER, user_id);
	if (target[0] == 'p')
		lc__draft_set_str(&d, ASG_PROJECT, target + 2);
	else if (target[0] == 'd')
		lc__draft_set_str(&d, ASG_DOMAIN, target + 2);
	lc__val_bool(&d.v[ASG_SYSTEM], target[0] == 's');
	lc__draft_set_int(&d, ASG_CREATED, lc__now_us());
	return lc__rec_insert(t, &lc__assignment_shape, d.v);
}

/* Collected keys of assignments to delete (deleting while a cursor walks is unsafe). */
struct purge_ctx {
	char **keys;
	size_t n, cap;
};

static int purge_add(struct purge_ctx *c, const char *key, size_t klen)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		char **k = realloc(c->keys, cap * sizeof(*k));
		if (k == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		c->keys = k;
		c->cap = cap;
	}
	c->keys[c->n] = strndup(key, klen);
	if (c->keys[c->n] == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	c->n++;
	return 0;
}

static int purge_key(const char *key, size_t klen, void *p)
{
	return purge_add(p, key, klen);
}

static int purge_id(lc__txn *t, const char *id, void *p)
{
	(void)t;
	return purge_add(p, id, strlen(id));
}

int lc__assignment_purge(lc__txn *t, const char *user_id, const char *role_id, const char *project_id,
			 const char *domain_id)
{
	struct purge_ctx c = { NULL, 0, 0 };
	int rc;

	if (user_id) {
		char prefix[KEY_MAX];
		snprintf(prefix, sizeof(prefix), "%s/", user_id);
		rc = scan_prefix(t, prefix, purge_key, &c);
	} else {
		int ix = role_id ? ASG_IX_ROLE : project_id ? ASG_IX_PROJECT : ASG_IX_DOMAIN;
		const char *parts[] = { role_id ? role_id : project_id ? project_id : domain_id };
		rc = lc__index_each(t, &lc__assignment_shape.indexes[ix], parts, purge_id, &c);
	}
	for (size_t i = 0; i < c.n; i++) {
		lc__rec *r;
		if (rc == 0 && (rc = lc__rec_load(t, &lc__assignment_shape, c.keys[i], &r)) == 0) {
			rc = lc__rec_delete(t, r);
			lc__rec_free(r);
		}
		free(c.keys[i]);
	}
	free(c.keys);
	return rc;
}

LC__OPTS_INIT_FN(lc_grant_init, lc_grant, LC_GRANT_INIT, LC_GRANT_VERSION)

/* A checked grant: canonical ids and the target text. */
struct grant {
	char role[LC__ID_TEXT], user[LC__ID_TEXT], target_id[LC__ID_TEXT];
	char target[LC__TARGET_MAX];
	char key[KEY_MAX];
	const lc__shape *target_shape; /* NULL for the system */
};

static int grant_check(struct grant *out, const lc_grant *g)
{
	int ntargets;

	LC_CHECK_NOTNULL(g);
	LC_CHECK_VERSION(g, LC_GRANT_VERSION);
	ntargets = (g->project_id != NULL) + (g->domain_id != NULL) + (g->system != 0);
	if (ntargets != 1)
		return lc__error_set(LC_EINVALID, "a grant needs exactly one target: a project, a domain or the system");
	LC_CHECK_ARG(g->system == 0 || g->system == 1, "system must be 0 or 1");
	LC_TRY(lc__id_canon("role_id", g->role_id, out->role));
	LC_TRY(lc__id_canon("user_id", g->user_id, out->user));
	out->target_shape = NULL;
	if (g->project_id) {
		LC_TRY(lc__id_canon("project_id", g->project_id, out->target_id));
		lc__target_project(out->target, out->target_id);
		out->target_shape = &lc__project_shape;
	} else if (g->domain_id) {
		LC_TRY(lc__id_canon("domain_id", g->domain_id, out->target_id));
		lc__target_domain(out->target, out->target_id);
		out->target_shape = &lc__domain_shape;
	} else {
		snprintf(out->target, sizeof(out->target), "s");
	}
	snprintf(out->key, sizeof(out->key), "%s/%s/%s", out->user, out->target, out->role);
	return 0;
}

static int grant_tx(lc__txn *t, void *p)
{
	struct grant *g = p;

	LC_TRY(lc__identity_require(t, &lc__role_shape, g->role));
	LC_TRY(lc__identity_require(t, &lc__user_shape, g->user));
	if (g->target_shape)
		LC_TRY(lc__identity_require(t, g->target_shape, g->target_id));
	return lc__assignment_put(t, g->role, g->user, g->target);
}

static int revoke_tx(lc__txn *t, void *p)
{
	struct grant *g = p;
	lc__rec *r;
	int rc;

	rc = lc__rec_load(t, &lc__assignment_shape, g->key, &r);
	if (rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "no such role assignment");
	LC_TRY(rc);
	rc = lc__rec_delete(t, r);
	lc__rec_free(r);
	return rc;
}

static int grant_call(lc_session *s, const lc_grant *g, const char *op, lc__write_fn fn)
{
	struct grant gr;

	lc__error_clear();
	LC_TRY(lc__session_check(s));
	LC_TRY(grant_check(&gr, g));
	LC_TRY(lc__policy_enforce(s, op, NULL, NULL));
	return lc__store_write(lc__session_store(s), fn, &gr);
}

LC_EXTERN int lc_role_grant(lc_session *s, const lc_grant *g)
{
	return grant_call(s, g, "identity:create_grant", grant_tx);
}

LC_EXTERN int lc_role_revoke(lc_session *s, const lc_grant *g)
{
	return grant_call(s, g, "identity:revoke_grant", revoke_tx);
}

LC_EXTERN int lc_role_check(lc_session *s, const lc_grant *g)
{
	struct grant gr;
	lc__txn t;
	int rc;

	lc__error_clear();
	LC_TRY(lc__session_check(s));
	LC_TRY(grant_check(&gr, g));
	LC_TRY(lc__policy_enforce(s, "identity:check_grant", NULL, NULL));
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__rec_exists(&t, &lc__assignment_shape, gr.key);
	lc__store_read_end(&t);
	if (rc == 0)
		return lc__error_set(LC_ENOTFOUND, "no such role assignment");
	return rc < 0 ? rc : 0;
}

/* A non-admin sees its own assignments only. */
static int assignment_visible(lc__txn *t, const lc_session *s, const lc__rec *r, void *p)
{
	(void)t;
	(void)p;
	return lc__session_is_admin(s) || strcmp(lc__rec_str(r, ASG_USER), s->user_id) == 0;
}

LC_EXTERN int lc_role_assignment_iter_new(lc_role_assignment_iter **out, lc_session *s, const lc_grant *filter)
{
	const char *f[12];
	char ids[4][LC__ID_TEXT];
	int n = 0;
	lc_list_opts opts = LC_LIST_OPTS_INIT;
	lc__iter *it = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_VERSION(filter, LC_GRANT_VERSION);
	if (filter) {
		const char *names[] = { "role_id", "user_id", "project_id", "domain_id" };
		const char *vals[] = { filter->role_id, filter->user_id, filter->project_id, filter->domain_id };
		for (int i = 0; i < 4; i++) {
			if (vals[i] == NULL)
				continue;
			LC_TRY(lc__id_canon(names[i], vals[i], ids[i]));
			f[n++] = names[i];
			f[n++] = ids[i];
		}
		if (filter->system) {
			f[n++] = "system";
			f[n++] = "true";
		}
	}
	f[n] = NULL;
	opts.filters = f;
	rc = lc__res_iter_new(&it, s, &lc__assignment_shape, "identity:list_role_assignments", &opts,
			      assignment_visible);
	*out = (lc_role_assignment_iter *)it;
	return rc;
}

LC_EXTERN int lc_role_assignment_iter_next(lc_role_assignment **out, lc_role_assignment_iter *it)
{
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	rc = lc__res_iter_next(&r, (lc__iter *)it);
	*out = (lc_role_assignment *)r;
	return rc;
}

LC_EXTERN void lc_role_assignment_iter_free(lc_role_assignment_iter *it)
{
	lc__res_iter_free((lc__iter *)it);
}

LC__RESOURCE_STR(role_assignment, role_id, ASG_ROLE)
LC__RESOURCE_STR(role_assignment, user_id, ASG_USER)
LC__RESOURCE_STR(role_assignment, project_id, ASG_PROJECT)
LC__RESOURCE_STR(role_assignment, domain_id, ASG_DOMAIN)
LC__RESOURCE_BOOL(role_assignment, system, ASG_SYSTEM)

LC_EXTERN void lc_role_assignment_free(lc_role_assignment *a)
{
	lc__rec_free(a ? &a->rec : NULL);
}
