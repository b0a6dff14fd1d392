/* Keystone helpers: request shapes, path ids, paging, resource rendering. */
#include "api/keystone/keystone.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

static int type_ok(const lc__json *v, ks_type t)
{
	switch (t) {
	case KS_STRING: return v->type == LC__J_STRING;
	case KS_STRING_NULL: return v->type == LC__J_STRING || v->type == LC__J_NULL;
	case KS_BOOL: return v->type == LC__J_BOOL;
	case KS_ARRAY: return v->type == LC__J_ARRAY;
	case KS_OBJECT: return v->type == LC__J_OBJECT;
	}
	return 0;
}

static const char *type_text(ks_type t)
{
	switch (t) {
	case KS_STRING: return "a string";
	case KS_STRING_NULL: return "a string or null";
	case KS_BOOL: return "a boolean";
	case KS_ARRAY: return "an array";
	case KS_OBJECT: return "an object";
	}
	return "a value";
}

int ks_check(lc__api_ctx *x, const lc__json *obj, const ks_field *fields, size_t n, int create, int strict)
{
	for (const lc__json *m = obj->child; m != NULL; m = m->next) {
		const ks_field *f = NULL;

		for (size_t i = 0; i < n; i++)
			if (strcmp(fields[i].name, m->key) == 0)
				f = &fields[i];
		if (f == NULL) {
			if (strict) {
				lc__api_error(x, 400, "Invalid input for field '%.64s': additional properties are not allowed.",
					      m->key);
				return 1;
			}
			continue;
		}
		if (!type_ok(m, f->type)) {
			lc__api_error(x, 400, "Invalid input for field '%s': %s is not %s.", f->name,
				      lc__json_type_name(m->type), type_text(f->type));
			return 1;
		}
		if (!create && (f->flags & KS_IMMUTABLE)) {
			lc__api_error(x, 400, "Invalid input for field '%s': it cannot be updated.", f->name);
			return 1;
		}
	}
	if (create) {
		for (size_t i = 0; i < n; i++) {
			if ((fields[i].flags & KS_REQUIRED) && lc__json_get(obj, fields[i].name) == NULL) {
				lc__api_error(x, 400, "Invalid input for field '%s': it is required.", fields[i].name);
				return 1;
			}
		}
	}
	return 0;
}

const lc__json *ks_wrapped(lc__api_ctx *x, const lc__json *body, const char *key)
{
	const lc__json *v = lc__json_get(body, key);

	if (v == NULL) {
		lc__api_error(x, 400, "Expecting to find %s in request body.", key);
		return NULL;
	}
	if (v->type != LC__J_OBJECT) {
		lc__api_error(x, 400, "Invalid input for field '%s': %s is not an object.", key,
			      lc__json_type_name(v->type));
		return NULL;
	}
	return v;
}

const char *ks_str(const lc__json *obj, const char *key)
{
	const lc__json *v = lc__json_get(obj, key);

	return v != NULL && v->type == LC__J_STRING ? v->s : NULL;
}

int ks_bool(const lc__json *obj, const char *key)
{
	const lc__json *v = lc__json_get(obj, key);

	return v != NULL && v->type == LC__J_BOOL ? v->b : LC_UNSET;
}

void ks_fill(void *opts, const lc__json *obj, const ks_field *fields, size_t n, int update)
{
	for (size_t i = 0; i < n; i++) {
		const ks_field *f = &fields[i];
		char *m = (char *)opts + f->opt;

		if (f->opt == 0)
			continue;
		if (f->type == KS_BOOL) {
			*(int *)(void *)m = ks_bool(obj, f->name);
		} else {
			const char *v = ks_str(obj, f->name);

			if (v == NULL && update && (f->flags & KS_CLEARS) && lc__json_get(obj, f->name) != NULL)
				v = "";
			*(const char **)(void *)m = v;
		}
	}
}

int ks_lookup_rc(int rc, const char *what, const char *id)
{
	if (rc == LC_EINVALID || rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "Could not find %s: %.80s.", what, id);
	return rc;
}

int ks_is_admin(const lc__api_ctx *x)
{
	return x->session != NULL && lc_session_has_role(x->session, "admin");
}

/* ---- listing ---- */

static const char *norm_bool(const char *v)
{
	if (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0 || strcasecmp(v, "no") == 0 ||
	    strcasecmp(v, "off") == 0)
		return "false";
	return "true";
}

int ks_list_init(lc__api_ctx *x, ks_list *l, const char *const *allowed)
{
	size_t n = 0, k = 0;
	const char *limit = lc__req_query(x, "limit");
	const char *is_domain = lc__req_query(x, "is_domain");

	memset(l, 0, sizeof(*l));
	lc_list_opts_init(&l->opts, LC_LIST_OPTS_VERSION);
	if (is_domain != NULL && strcmp(norm_bool(is_domain), "true") == 0)
		l->empty = 1;
	for (size_t i = 0; allowed[i] != NULL; i++)
		n++;
	l->filters = lc__arena_alloc(x->arena, (2 * n + 1) * sizeof(*l->filters));
	if (l->filters == NULL) {
		lc__api_error(x, 500, "out of memory");
		return 1;
	}
	for (size_t i = 0; allowed[i] != NULL; i++) {
		const char *v = lc__req_query(x, allowed[i]);

		if (v == NULL)
			continue;
		l->filters[k++] = allowed[i];
		l->filters[k++] = strcmp(allowed[i], "enabled") == 0 ? norm_bool(v) : v;
	}
	l->filters[k] = NULL;
	if (k > 0)
		l->opts.filters = l->filters;
	if (limit != NULL) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(limit, &end, 10);
		if (limit[0] < '0' || limit[0] > '9' || *end != '\0' || errno != 0 || v == 0 || v > 100000) {
			lc__api_error(x, 400, "Invalid limit: '%.40s'.", limit);
			return 1;
		}
		l->limit = (unsigned int)v;
		l->opts.limit = l->limit + 1;
	}
	l->opts.marker = lc__req_query(x, "marker");
	if (l->opts.marker != NULL && l->opts.marker[0] == '\0')
		l->opts.marker = NULL;
	return 0;
}

static const char hexd[] = "0123456789ABCDEF";

/* Percent-encode for a query value. */
static char *qenc(lc__arena *a, const char *s)
{
	size_t n = strlen(s);
	char *o = lc__arena_alloc(a, 3 * n + 1), *w = o;

	if (o == NULL)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '_' || *p == '.' || *p == '~') {
			*w++ = (char)*p;
		} else {
			*w++ = '%';
			*w++ = hexd[*p >> 4];
			*w++ = hexd[*p & 15];
		}
	}
	*w = '\0';
	return o;
}

void ks_list_end(lc__api_ctx *x, yajl_gen g, const char *coll, const ks_list *l, const char *last_id)
{
	char *self = lc__arena_printf(x->arena, "%s/v3/%s", x->base, coll);

	yajl_gen_array_close(g);
	lc__gen_kmap(g, "links");
	lc__gen_kstr(g, "self", self);
	yajl_gen_string(g, (const unsigned char *)"previous", 8);
	yajl_gen_null(g);
	if (last_id != NULL && l->limit > 0) {
		char *next = lc__arena_printf(x->arena, "%s?limit=%u&marker=%s", self ? self : "", l->limit,
					      qenc(x->arena, last_id));

		for (size_t i = 0; next != NULL && l->filters[i] != NULL; i += 2)
			next = lc__arena_printf(x->arena, "%s&%s=%s", next, l->filters[i],
						qenc(x->arena, l->filters[i + 1]));
		lc__gen_kstr(g, "next", next);
	} else {
		lc__gen_knull(g, "next");
	}
	lc__gen_end_map(g);
}

/* ---- rendering ---- */

void ks_gen_links(lc__api_ctx *x, yajl_gen g, const char *coll, const char *id)
{
	lc__gen_kmap(g, "links");
	lc__gen_kstr(g, "self", lc__arena_printf(x->arena, "%s/v3/%s/%s", x->base, coll, id));
	lc__gen_end_map(g);
}

static void gen_empty_tags_options(yajl_gen g)
{
	lc__gen_karray(g, "tags");
	lc__gen_end_array(g);
	lc__gen_kmap(g, "options");
	lc__gen_end_map(g);
}

void ks_gen_domain(lc__api_ctx *x, yajl_gen g, const lc_domain *d)
{
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "id", lc_domain_id(d));
	lc__gen_kstr(g, "name", lc_domain_name(d));
	lc__gen_kstr(g, "description", lc_domain_description(d));
	lc__gen_kbool(g, "enabled", lc_domain_enabled(d));
	gen_empty_tags_options(g);
	ks_gen_links(x, g, "domains", lc_domain_id(d));
	yajl_gen_map_close(g);
}

void ks_gen_project(lc__api_ctx *x, yajl_gen g, const lc_project *p)
{
	const char *parent = lc_project_parent_id(p);

	yajl_gen_map_open(g);
	lc__gen_kstr(g, "id", lc_project_id(p));
	lc__gen_kstr(g, "name", lc_project_name(p));
	lc__gen_kstr(g, "domain_id", lc_project_domain_id(p));
	lc__gen_kstr(g, "description", lc_project_description(p));
	lc__gen_kbool(g, "enabled", lc_project_enabled(p));
	/* as Keystone: a top-level project's parent is its domain */
	lc__gen_kstr(g, "parent_id", parent ? parent : lc_project_domain_id(p));
	lc__gen_kbool(g, "is_domain", 0);
	gen_empty_tags_options(g);
	ks_gen_links(x, g, "projects", lc_project_id(p));
	yajl_gen_map_close(g);
}

void ks_gen_user(lc__api_ctx *x, yajl_gen g, const lc_user *u)
{
	const char *dp = lc_user_default_project_id(u);
	const char *desc = lc_user_description(u);

	yajl_gen_map_open(g);
	lc__gen_kstr(g, "id", lc_user_id(u));
	lc__gen_kstr(g, "name", lc_user_name(u));
	lc__gen_kstr(g, "domain_id", lc_user_domain_id(u));
	lc__gen_kbool(g, "enabled", lc_user_enabled(u));
	if (dp != NULL && dp[0] != '\0')
		lc__gen_kstr(g, "default_project_id", dp);
	if (desc != NULL && desc[0] != '\0')
		lc__gen_kstr(g, "description", desc);
	lc__gen_knull(g, "password_expires_at");
	lc__gen_kmap(g, "options");
	lc__gen_end_map(g);
	ks_gen_links(x, g, "users", lc_user_id(u));
	yajl_gen_map_close(g);
}

void ks_gen_role(lc__api_ctx *x, yajl_gen g, const lc_role *r)
{
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "id", lc_role_id(r));
	lc__gen_kstr(g, "name", lc_role_name(r));
	lc__gen_kstr(g, "description", lc_role_description(r));
	lc__gen_knull(g, "domain_id");
	lc__gen_kmap(g, "options");
	lc__gen_end_map(g);
	ks_gen_links(x, g, "roles", lc_role_id(r));
	yajl_gen_map_close(g);
}

void ks_gen_domain_ref(lc__api_ctx *x, yajl_gen g, const char *key, const char *domain_id)
{
	lc_domain *d = NULL;

	lc__gen_kmap(g, key);
	lc__gen_kstr(g, "id", domain_id);
	if (domain_id != NULL && lc_domain_get(&d, x->api->system, domain_id) == 0)
		lc__gen_kstr(g, "name", lc_domain_name(d));
	else
		lc__gen_kstr(g, "name", domain_id);
	lc_domain_free(d);
	lc__gen_end_map(g);
}
