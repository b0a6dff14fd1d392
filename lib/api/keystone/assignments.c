/* Keystone role grants on projects and domains, and GET /v3/role_assignments. */
#include "api/keystone/keystone.h"

#include <string.h>
#include <strings.h>

#include "core/error.h"

/* Path: /v3/{projects|domains}/{target}/users/{user}/roles/{role} */
static void grant_from_path(lc__api_ctx *x, lc_grant *g, int domain)
{
	lc_grant_init(g, LC_GRANT_VERSION);
	if (domain)
		g->domain_id = lc__req_param(x, 0);
	else
		g->project_id = lc__req_param(x, 0);
	g->user_id = lc__req_param(x, 1);
	g->role_id = lc__req_param(x, 2);
}

/* An id that came from the path and is malformed or unknown: 404 naming what is missing. */
static int grant_rc(lc__api_ctx *x, int rc, int domain)
{
	if (rc == LC_EINVALID || rc == LC_ENOTFOUND) {
		const lc_error *e = lc_error_last();

		if (rc == LC_ENOTFOUND && e->code == rc && e->message[0] != '\0')
			return rc;
		return lc__error_set(LC_ENOTFOUND, "Could not find role assignment of role %.80s to user %.80s on %s %.80s.",
				     lc__req_param(x, 2), lc__req_param(x, 1), domain ? "domain" : "project",
				     lc__req_param(x, 0));
	}
	return rc;
}

typedef int (*grant_fn)(lc_session *s, const lc_grant *g);

/* PUT (grant), GET/HEAD (check) or DELETE (revoke) one grant: 204, or 404 naming it. */
static int grant_do(lc__api_ctx *x, int domain, grant_fn op)
{
	lc_grant g;
	int rc;

	grant_from_path(x, &g, domain);
	rc = op(x->session, &g);
	if (rc < 0)
		return grant_rc(x, rc, domain);
	return lc__reply_empty(x, 204);
}

/* "links": {"self", "previous": null, "next": null} of an unpaged collection, then the body's end */
static int end_unpaged(lc__api_ctx *x, yajl_gen g, const char *self)
{
	lc__gen_end_array(g);
	lc__gen_kmap(g, "links");
	lc__gen_kstr(g, "self", self);
	lc__gen_knull(g, "previous");
	lc__gen_knull(g, "next");
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

/* GET /v3/{projects|domains}/{target}/users/{user}/roles */
static int grant_list(lc__api_ctx *x, int domain)
{
	const char *target = lc__req_param(x, 0), *user = lc__req_param(x, 1);
	lc_grant f = LC_GRANT_INIT;
	lc_role_assignment_iter *it = NULL;
	lc_role_assignment *a = NULL;
	yajl_gen g;
	int rc;

	if ((rc = ks_res_exists(x, domain ? &ks_domains : &ks_projects, target)) < 0 ||
	    (rc = ks_res_exists(x, &ks_users, user)) < 0)
		return rc;
	if (domain)
		f.domain_id = target;
	else
		f.project_id = target;
	f.user_id = user;
	rc = lc_role_assignment_iter_new(&it, x->session, &f);
	if (rc < 0)
		return rc;
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_role_assignment_iter_free(it);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, "roles");
	while ((rc = lc_role_assignment_iter_next(&a, it)) == 0) {
		lc_role *r = NULL;

		if (lc_role_get(&r, x->session, lc_role_assignment_role_id(a)) == 0)
			ks_gen_role(x, g, r);
		lc_role_free(r);
		lc_role_assignment_free(a);
	}
	lc_role_assignment_iter_free(it);
	if (rc != LC_ITEROVER) {
		yajl_gen_free(g);
		return rc < 0 ? rc : LC_ERROR;
	}
	return end_unpaged(x, g, lc__arena_printf(x->arena, "%s/v3/%s/%s/users/%s/roles", x->base,
						  domain ? "domains" : "projects", target, user));
}

int ks_grant_project_put(lc__api_ctx *x) { return grant_do(x, 0, lc_role_grant); }
int ks_grant_project_check(lc__api_ctx *x) { return grant_do(x, 0, lc_role_check); }
int ks_grant_project_delete(lc__api_ctx *x) { return grant_do(x, 0, lc_role_revoke); }
int ks_grant_project_list(lc__api_ctx *x) { return grant_list(x, 0); }
int ks_grant_domain_put(lc__api_ctx *x) { return grant_do(x, 1, lc_role_grant); }
int ks_grant_domain_check(lc__api_ctx *x) { return grant_do(x, 1, lc_role_check); }
int ks_grant_domain_delete(lc__api_ctx *x) { return grant_do(x, 1, lc_role_revoke); }
int ks_grant_domain_list(lc__api_ctx *x) { return grant_list(x, 1); }

/* ---- GET /v3/role_assignments ---- */

static int truthy(const char *v)
{
	/* a present flag with no value counts as set, as in Keystone */
	return v != NULL && strcasecmp(v, "false") != 0 && strcmp(v, "0") != 0;
}

/* "<member>": {"id"} and with names its "name" and, for users and projects, their "domain" */
static void gen_ref(lc__api_ctx *x, yajl_gen g, const ks_resource *k, const char *id, int names)
{
	lc__gen_kmap(g, k->member);
	lc__gen_kstr(g, "id", id);
	if (names) {
		void *obj = NULL;

		k->get(&obj, x->api->system, id);
		lc__gen_kstr(g, "name", obj ? k->name(obj) : id);
		if (k->domain_id != NULL)
			ks_gen_domain_ref(x, g, "domain", obj ? k->domain_id(obj) : NULL);
		k->free(obj);
	}
	lc__gen_end_map(g);
}

static void gen_assignment(lc__api_ctx *x, yajl_gen g, const lc_role_assignment *a, int names)
{
	const char *rid = lc_role_assignment_role_id(a), *uid = lc_role_assignment_user_id(a);
	const char *pid = lc_role_assignment_project_id(a), *did = lc_role_assignment_domain_id(a);
	char *link;

	yajl_gen_map_open(g);
	gen_ref(x, g, &ks_roles, rid, names);
	gen_ref(x, g, &ks_users, uid, names);
	lc__gen_kmap(g, "scope");
	if (pid != NULL) {
		gen_ref(x, g, &ks_projects, pid, names);
		link = lc__arena_printf(x->arena, "%s/v3/projects/%s/users/%s/roles/%s", x->base, pid, uid, rid);
	} else if (did != NULL) {
		gen_ref(x, g, &ks_domains, did, names);
		link = lc__arena_printf(x->arena, "%s/v3/domains/%s/users/%s/roles/%s", x->base, did, uid, rid);
	} else {
		lc__gen_kmap(g, "system");
		lc__gen_kbool(g, "all", 1);
		lc__gen_end_map(g);
		link = lc__arena_printf(x->arena, "%s/v3/system/users/%s/roles/%s", x->base, uid, rid);
	}
	lc__gen_end_map(g);
	lc__gen_kmap(g, "links");
	lc__gen_kstr(g, "assignment", link);
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
}

int ks_role_assignments(lc__api_ctx *x)
{
	lc_grant f = LC_GRANT_INIT;
	lc_role_assignment_iter *it = NULL;
	lc_role_assignment *a = NULL;
	int names = truthy(lc__req_query(x, "include_names"));
	int none = lc__req_query(x, "group.id") != NULL; /* no groups in libcloud */
	const char *system = lc__req_query(x, "scope.system");
	yajl_gen g;
	int rc;

	f.user_id = lc__req_query(x, "user.id");
	f.role_id = lc__req_query(x, "role.id");
	f.project_id = lc__req_query(x, "scope.project.id");
	f.domain_id = lc__req_query(x, "scope.domain.id");
	f.system = system != NULL && strcmp(system, "all") == 0;
	if (f.project_id != NULL && f.domain_id != NULL) {
		lc__api_error(x, 400, "Specify at most one of scope.project.id and scope.domain.id.");
		return 0;
	}
	if (!none) {
		rc = lc_role_assignment_iter_new(&it, x->session, &f);
		if (rc == LC_EINVALID)
			none = 1; /* a filter naming a malformed id matches nothing */
		else if (rc < 0)
			return rc;
	}
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_role_assignment_iter_free(it);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, "role_assignments");
	rc = LC_ITEROVER;
	while (it != NULL && (rc = lc_role_assignment_iter_next(&a, it)) == 0) {
		gen_assignment(x, g, a, names);
		lc_role_assignment_free(a);
	}
	lc_role_assignment_iter_free(it);
	if (rc != LC_ITEROVER) {
		yajl_gen_free(g);
		return rc < 0 ? rc : LC_ERROR;
	}
	return end_unpaged(x, g, lc__arena_printf(x->arena, "%s/v3/role_assignments", x->base));
}
