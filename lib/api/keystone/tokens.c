/* Keystone tokens: issue (password, token), validate, check, revoke; auth catalog/projects/domains. */
#include "api/keystone/keystone.h"

#include <string.h>

#include "core/error.h"

/* ---- rendering a token ---- */

static void gen_token(lc__api_ctx *x, yajl_gen g, lc_session *s, const char *method, int with_catalog)
{
	lc_api *api = x->api;
	const char *uid = lc_session_user_id(s);
	const char *audit = lc_session_audit_id(s);
	int scope = lc_session_scope(s);
	lc_user *u = NULL;

	if (uid != NULL)
		lc_user_get(&u, api->system, uid);
	lc__gen_kmap(g, "token");
	lc__gen_karray(g, "methods");
	lc__gen_str(g, method);
	lc__gen_end_array(g);
	lc__gen_kmap(g, "user");
	lc__gen_kstr(g, "id", uid);
	lc__gen_kstr(g, "name", u ? lc_user_name(u) : uid);
	ks_gen_domain_ref(x, g, "domain", lc_session_user_domain_id(s));
	lc__gen_knull(g, "password_expires_at");
	lc__gen_end_map(g);
	lc_user_free(u);
	lc__gen_karray(g, "audit_ids");
	if (audit != NULL)
		lc__gen_str(g, audit);
	lc__gen_end_array(g);
	lc__gen_ktime(g, "expires_at", lc_session_expires_at(s));
	lc__gen_ktime(g, "issued_at", lc_session_issued_at(s));
	if (scope == LC_SCOPE_PROJECT) {
		const char *pid = lc_session_project_id(s);
		lc_project *p = NULL;

		lc_project_get(&p, api->system, pid);
		lc__gen_kmap(g, "project");
		lc__gen_kstr(g, "id", pid);
		lc__gen_kstr(g, "name", p ? lc_project_name(p) : pid);
		ks_gen_domain_ref(x, g, "domain", p ? lc_project_domain_id(p) : lc_session_domain_id(s));
		lc__gen_end_map(g);
		lc_project_free(p);
	} else if (scope == LC_SCOPE_DOMAIN) {
		ks_gen_domain_ref(x, g, "domain", lc_session_domain_id(s));
	} else if (scope == LC_SCOPE_SYSTEM) {
		lc__gen_kmap(g, "system");
		lc__gen_kbool(g, "all", 1);
		lc__gen_end_map(g);
	}
	lc__gen_kbool(g, "is_domain", 0);
	if (scope != LC_SCOPE_NONE) {
		size_t n = lc_session_role_count(s);

		lc__gen_karray(g, "roles");
		for (size_t i = 0; i < n; i++) {
			yajl_gen_map_open(g);
			lc__gen_kstr(g, "id", lc_session_role_id(s, i));
			lc__gen_kstr(g, "name", lc_session_role_name(s, i));
			yajl_gen_map_close(g);
		}
		lc__gen_end_array(g);
		if (with_catalog) {
			lc__gen_key(g, "catalog");
			lc__catalog_gen(x, g, s);
		}
	}
	lc__gen_end_map(g);
}

static int reply_token(lc__api_ctx *x, lc_session *s, const char *method, int status)
{
	yajl_gen g = lc__json_begin(x);
	int with_catalog = lc__req_query(x, "nocatalog") == NULL;

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	gen_token(x, g, s, method, with_catalog);
	yajl_gen_map_close(g);
	if (lc_session_token_id(s) != NULL)
		lc__resp_set_header(x->resp, "X-Subject-Token", lc_session_token_id(s));
	return lc__json_end(x, g, status);
}

/* ---- POST /v3/auth/tokens ---- */

/* {"id"} or {"name", "domain": {"id"|"name"}}: reads domain into *did / *dname. */
static int named_ref(lc__api_ctx *x, const lc__json *o, const char *what, const char **id, const char **name,
		     const char **did, const char **dname)
{
	const lc__json *d;

	if (o->type != LC__J_OBJECT) {
		lc__api_error(x, 400, "Invalid input for field '%s': it is not an object.", what);
		return 1;
	}
	*id = ks_str(o, "id");
	*name = ks_str(o, "name");
	if ((lc__json_get(o, "id") && *id == NULL) || (lc__json_get(o, "name") && *name == NULL)) {
		lc__api_error(x, 400, "Invalid input for field '%s': id and name must be strings.", what);
		return 1;
	}
	if (*id == NULL && *name == NULL) {
		lc__api_error(x, 400, "Expecting to find id or name in %s.", what);
		return 1;
	}
	if (*id == NULL && did != NULL) {
		d = lc__json_get(o, "domain");
		if (d == NULL || d->type != LC__J_OBJECT || (ks_str(d, "id") == NULL && ks_str(d, "name") == NULL)) {
			lc__api_error(x, 400, "Expecting to find domain in %s.", what);
			return 1;
		}
		*did = ks_str(d, "id");
		*dname = ks_str(d, "name");
	}
	return 0;
}

static int parse_scope(lc__api_ctx *x, const lc__json *scope, lc_auth_opts *o)
{
	const lc__json *v;

	o->scope = LC_SCOPE_NONE;
	if (scope == NULL || (scope->type == LC__J_STRING && strcmp(scope->s, "unscoped") == 0))
		return 0;
	if (scope->type != LC__J_OBJECT) {
		lc__api_error(x, 400, "Invalid input for field 'scope'.");
		return 1;
	}
	if ((v = lc__json_get(scope, "project")) != NULL) {
		o->scope = LC_SCOPE_PROJECT;
		return named_ref(x, v, "project", &o->project_id, &o->project_name, &o->project_domain_id,
				 &o->project_domain_name);
	}
	if ((v = lc__json_get(scope, "domain")) != NULL) {
		o->scope = LC_SCOPE_DOMAIN;
		return named_ref(x, v, "domain", &o->domain_id, &o->domain_name, NULL, NULL);
	}
	if ((v = lc__json_get(scope, "system")) != NULL) {
		const lc__json *all = lc__json_get(v, "all");

		if (all == NULL || all->type != LC__J_BOOL || !all->b) {
			lc__api_error(x, 400, "Invalid input for field 'system': expecting {\"all\": true}.");
			return 1;
		}
		o->scope = LC_SCOPE_SYSTEM;
		return 0;
	}
	if (lc__json_get(scope, "OS-TRUST:trust") != NULL) {
		lc__api_error(x, 501, "Trusts are not supported.");
		return 1;
	}
	lc__api_error(x, 400, "Invalid input for field 'scope'.");
	return 1;
}

static int has_method(const lc__json *methods, const char *m)
{
	for (const lc__json *v = methods->child; v != NULL; v = v->next)
		if (v->type == LC__J_STRING && strcmp(v->s, m) == 0)
			return 1;
	return 0;
}

/* An unscoped password session of a user with a default project is scoped to it, as in Keystone. */
static lc_session *default_scope(lc__api_ctx *x, lc_session *s)
{
	lc_user *u = NULL;
	lc_session *scoped = NULL;
	const char *dp;

	if (lc_user_get(&u, s, lc_session_user_id(s)) != 0)
		return s;
	dp = lc_user_default_project_id(u);
	if (dp != NULL && dp[0] != '\0') {
		lc_auth_opts o = LC_AUTH_OPTS_INIT;

		o.scope = LC_SCOPE_PROJECT;
		o.project_id = dp;
		if (lc_session_rescope(&scoped, s, &o) == 0) {
			lc_session_free(s);
			s = scoped;
		}
	}
	lc_user_free(u);
	(void)x;
	return s;
}

int ks_token_issue(lc__api_ctx *x)
{
	const lc__json *body, *auth, *ident, *methods, *scope;
	lc_auth_opts o = LC_AUTH_OPTS_INIT;
	lc_session *s = NULL;
	const char *method;
	int rc;

	if (lc__req_json(x, &body) != 0)
		return 0;
	if ((auth = ks_wrapped(x, body, "auth")) == NULL || (ident = ks_wrapped(x, auth, "identity")) == NULL)
		return 0;
	methods = lc__json_get(ident, "methods");
	if (methods == NULL || methods->type != LC__J_ARRAY || methods->count == 0) {
		lc__api_error(x, 400, "Expecting to find methods in identity.");
		return 0;
	}
	for (const lc__json *m = methods->child; m != NULL; m = m->next) {
		if (m->type != LC__J_STRING) {
			lc__api_error(x, 400, "Invalid input for field 'methods': expecting strings.");
			return 0;
		}
	}
	scope = lc__json_get(auth, "scope");
	if (parse_scope(x, scope, &o) != 0)
		return 0;

	if (has_method(methods, "password")) {
		const lc__json *pw = ks_wrapped(x, ident, "password"), *user, *pass;

		if (pw == NULL)
			return 0;
		user = lc__json_get(pw, "user");
		if (user == NULL) {
			lc__api_error(x, 400, "Expecting to find user in password.");
			return 0;
		}
		if (named_ref(x, user, "user", &o.user_id, &o.user_name, &o.user_domain_id, &o.user_domain_name))
			return 0;
		pass = lc__json_get(user, "password");
		if (pass == NULL || pass->type != LC__J_STRING) {
			lc__api_error(x, 400, "Expecting to find password in user.");
			return 0;
		}
		o.password = pass->s;
		method = "password";
		rc = lc_session_password(&s, x->api->cloud, &o);
		if (rc == 0 && o.scope == LC_SCOPE_NONE && scope == NULL)
			s = default_scope(x, s);
	} else if (has_method(methods, "token")) {
		const lc__json *tok = ks_wrapped(x, ident, "token");
		const char *id;
		lc_session *old = NULL;

		if (tok == NULL)
			return 0;
		id = ks_str(tok, "id");
		if (id == NULL) {
			lc__api_error(x, 400, "Expecting to find id in token.");
			return 0;
		}
		method = "token";
		rc = lc_session_token(&old, x->api->cloud, id);
		if (rc == 0) {
			rc = lc_session_rescope(&s, old, &o);
			lc_session_free(old);
		}
	} else {
		lc__api_unauthorized(x);
		return 0;
	}
	if (rc == LC_EINVALID && (o.user_id != NULL || o.project_id != NULL || o.domain_id != NULL))
		rc = LC_EAUTH; /* a malformed id names nobody: the same answer as a wrong password */
	if (rc < 0)
		return rc;
	rc = reply_token(x, s, method, 201);
	lc_session_free(s);
	return rc;
}

/* ---- GET/HEAD/DELETE /v3/auth/tokens ---- */

static int subject(lc__api_ctx *x, const char **tok)
{
	*tok = lc__req_header(x, "X-Subject-Token");
	if (*tok == NULL || (*tok)[0] == '\0') {
		lc__api_error(x, 400, "Expecting to find X-Subject-Token in the request headers.");
		return 1;
	}
	return 0;
}

int ks_token_validate(lc__api_ctx *x)
{
	const char *tok;
	lc_session *s = NULL;
	int rc;

	if (subject(x, &tok) != 0)
		return 0;
	rc = lc_session_token(&s, x->api->cloud, tok);
	if (rc == LC_ENOMEM)
		return rc;
	if (rc < 0)
		return lc__error_set(LC_ENOTFOUND, "Could not find token.");
	if (!ks_is_admin(x) && strcmp(lc_session_user_id(x->session), lc_session_user_id(s)) != 0) {
		lc_session_free(s);
		return lc__error_set(LC_EFORBIDDEN, "You are not authorized to perform the requested action: "
						    "identity:validate_token.");
	}
	rc = reply_token(x, s, "password", 200);
	lc_session_free(s);
	return rc;
}

int ks_token_revoke(lc__api_ctx *x)
{
	const char *tok;
	int rc;

	if (subject(x, &tok) != 0)
		return 0;
	rc = lc_token_revoke(x->session, tok);
	if (rc == LC_EAUTH || rc == LC_EINVALID)
		return lc__error_set(LC_ENOTFOUND, "Could not find token.");
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 204);
}

/* ---- GET /v3/auth/catalog, /v3/auth/projects, /v3/auth/domains ---- */

int ks_auth_catalog(lc__api_ctx *x)
{
	yajl_gen g;

	if (lc_session_scope(x->session) == LC_SCOPE_NONE)
		return lc__error_set(LC_EFORBIDDEN, "A scoped token is required to get the catalog.");
	g = lc__json_begin(x);
	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_key(g, "catalog");
	lc__catalog_gen(x, g, x->session);
	lc__gen_kmap(g, "links");
	lc__gen_kstr(g, "self", lc__arena_printf(x->arena, "%s/v3/auth/catalog", x->base));
	lc__gen_knull(g, "previous");
	lc__gen_knull(g, "next");
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

/*
 * The distinct projects (want_domains 0) or domains (1) on which a user
 * holds a role, rendered as a collection. Assignments are read with the
 * caller's session; the names with the host's (the ids are already the
 * caller's to see).
 */
static int targets_of_user(lc__api_ctx *x, const char *user_id, int want_domains, const char *self)
{
	lc_grant f = LC_GRANT_INIT;
	lc_role_assignment_iter *it = NULL;
	lc_role_assignment *a = NULL;
	const char **seen = NULL;
	size_t nseen = 0, cap = 0;
	yajl_gen g;
	int rc;

	f.user_id = user_id;
	rc = lc_role_assignment_iter_new(&it, x->session, &f);
	if (rc < 0)
		return rc;
	while ((rc = lc_role_assignment_iter_next(&a, it)) == 0) {
		const char *t = want_domains ? lc_role_assignment_domain_id(a) : lc_role_assignment_project_id(a);
		int dup = 0;

		for (size_t i = 0; t != NULL && i < nseen; i++)
			dup |= strcmp(seen[i], t) == 0;
		if (t != NULL && !dup) {
			if (nseen == cap) {
				const char **ns = lc__arena_alloc(x->arena, (cap ? cap * 2 : 16) * sizeof(*ns));

				if (ns == NULL) {
					rc = LC_ENOMEM;
					lc_role_assignment_free(a);
					break;
				}
				if (nseen)
					memcpy(ns, seen, nseen * sizeof(*ns));
				seen = ns;
				cap = cap ? cap * 2 : 16;
			}
			seen[nseen] = lc__arena_strndup(x->arena, t, strlen(t));
			if (seen[nseen] == NULL) {
				rc = LC_ENOMEM;
				lc_role_assignment_free(a);
				break;
			}
			nseen++;
		}
		lc_role_assignment_free(a);
	}
	lc_role_assignment_iter_free(it);
	if (rc != LC_ITEROVER)
		return rc < 0 ? rc : LC_ERROR;

	g = lc__json_begin(x);
	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_karray(g, want_domains ? "domains" : "projects");
	for (size_t i = 0; i < nseen; i++) {
		if (want_domains) {
			lc_domain *d = NULL;

			if (lc_domain_get(&d, x->api->system, seen[i]) == 0 && lc_domain_enabled(d))
				ks_gen_domain(x, g, d);
			lc_domain_free(d);
		} else {
			lc_project *p = NULL;

			if (lc_project_get(&p, x->api->system, seen[i]) == 0 && lc_project_enabled(p))
				ks_gen_project(x, g, p);
			lc_project_free(p);
		}
	}
	lc__gen_end_array(g);
	lc__gen_kmap(g, "links");
	lc__gen_kstr(g, "self", lc__arena_printf(x->arena, "%s/v3/%s", x->base, self));
	lc__gen_knull(g, "previous");
	lc__gen_knull(g, "next");
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int ks_auth_projects(lc__api_ctx *x)
{
	return targets_of_user(x, lc_session_user_id(x->session), 0, "auth/projects");
}

int ks_auth_domains(lc__api_ctx *x)
{
	return targets_of_user(x, lc_session_user_id(x->session), 1, "auth/domains");
}

int ks_user_projects(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	const char *me = lc_session_user_id(x->session);
	lc_user *u = NULL;
	int rc;

	if (!ks_is_admin(x) && (me == NULL || strcmp(me, id) != 0))
		return lc__error_set(LC_EFORBIDDEN, "You are not authorized to perform the requested action: "
						    "identity:list_user_projects.");
	rc = lc_user_get(&u, x->session, id);
	if (rc < 0)
		return ks_lookup_rc(rc, "user", id);
	lc_user_free(u);
	return targets_of_user(x, id, 0, lc__arena_printf(x->arena, "users/%s/projects", id));
}
