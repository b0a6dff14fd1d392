/* Internal: Keystone v3 over the public C API (handlers and their helpers). */
#ifndef LC_API_KEYSTONE_H
#define LC_API_KEYSTONE_H

#include <libcloud/domain.h>
#include <libcloud/list.h>
#include <libcloud/project.h>
#include <libcloud/role.h>
#include <libcloud/user.h>

#include "api/internal.h"

/* ---- request shapes (common.c) ---- */

typedef enum ks_type {
	KS_STRING = 1,      /* a string */
	KS_STRING_NULL = 2, /* a string or null */
	KS_BOOL = 3,        /* true or false */
	KS_ARRAY = 4,       /* an array (content ignored) */
	KS_OBJECT = 5       /* an object (content ignored) */
} ks_type;

enum {
	KS_REQUIRED = 1u << 0,  /* must be present on create */
	KS_IMMUTABLE = 1u << 1, /* may not be changed by an update */
	KS_IGNORED = 1u << 2    /* accepted (type checked) but not stored */
};

typedef struct ks_field {
	const char *name;
	ks_type type;
	unsigned int flags;
} ks_field;

/*
 * Check a resource body against its shape: every known field has its type;
 * on create the required ones are present; on update the immutable ones are
 * absent. Unknown fields are refused when strict, else ignored (Keystone
 * keeps them as extra attributes; libcloud does not store them).
 * Writes a 400 and returns 1 on a violation, else 0.
 */
int ks_check(lc__api_ctx *x, const lc__json *obj, const ks_field *fields, size_t n, int create, int strict);

/* The wrapped object body["key"]; writes a 400 and returns NULL if missing or not an object. */
const lc__json *ks_wrapped(lc__api_ctx *x, const lc__json *body, const char *key);

/* A string member, NULL if absent or null. */
const char *ks_str(const lc__json *obj, const char *key);
/* A boolean member as 1/0, or LC_UNSET if absent. */
int ks_bool(const lc__json *obj, const char *key);

/* ---- ids in paths ---- */

/* A C API error on a lookup by a path id: an unknown or malformed id reads as 404. */
int ks_lookup_rc(int rc, const char *what, const char *id);

/* 1 if the caller holds the admin role. */
int ks_is_admin(const lc__api_ctx *x);

/* ---- listing ---- */

typedef struct ks_list {
	lc_list_opts opts;
	const char **filters; /* pairs, NULL-terminated */
	unsigned int limit;   /* what the client asked for, 0: none */
	int empty;            /* a filter that nothing can match (e.g. is_domain=true) */
} ks_list;

/*
 * Fill list options from the query: marker, limit and the allowed filters
 * (NULL-terminated names). Writes a 400 and returns 1 on a bad limit.
 * opts.limit is limit + 1 so that the caller sees whether a next page exists.
 */
int ks_list_init(lc__api_ctx *x, ks_list *l, const char *const *allowed);
/* Close a collection: ], "links": {self, previous, next} } */
void ks_list_end(lc__api_ctx *x, yajl_gen g, const char *coll, const ks_list *l, const char *last_id);

/* ---- rendering ---- */

/* "links": {"self": base/v3/coll/id} */
void ks_gen_links(lc__api_ctx *x, yajl_gen g, const char *coll, const char *id);
void ks_gen_domain(lc__api_ctx *x, yajl_gen g, const lc_domain *d);
void ks_gen_project(lc__api_ctx *x, yajl_gen g, const lc_project *p);
void ks_gen_user(lc__api_ctx *x, yajl_gen g, const lc_user *u);
void ks_gen_role(lc__api_ctx *x, yajl_gen g, const lc_role *r);
/* {"id","name"} of a domain (name looked up with the host session) */
void ks_gen_domain_ref(lc__api_ctx *x, yajl_gen g, const char *key, const char *domain_id);

/* ---- handlers ---- */

int ks_root(lc__api_ctx *x);
int ks_v3(lc__api_ctx *x);

int ks_token_issue(lc__api_ctx *x);
int ks_token_validate(lc__api_ctx *x);
int ks_token_revoke(lc__api_ctx *x);
int ks_auth_catalog(lc__api_ctx *x);
int ks_auth_projects(lc__api_ctx *x);
int ks_auth_domains(lc__api_ctx *x);

int ks_domain_list(lc__api_ctx *x);
int ks_domain_create(lc__api_ctx *x);
int ks_domain_get(lc__api_ctx *x);
int ks_domain_update(lc__api_ctx *x);
int ks_domain_delete(lc__api_ctx *x);

int ks_project_list(lc__api_ctx *x);
int ks_project_create(lc__api_ctx *x);
int ks_project_get(lc__api_ctx *x);
int ks_project_update(lc__api_ctx *x);
int ks_project_delete(lc__api_ctx *x);

int ks_user_list(lc__api_ctx *x);
int ks_user_create(lc__api_ctx *x);
int ks_user_get(lc__api_ctx *x);
int ks_user_update(lc__api_ctx *x);
int ks_user_delete(lc__api_ctx *x);
int ks_user_password(lc__api_ctx *x);
int ks_user_projects(lc__api_ctx *x);

int ks_role_list(lc__api_ctx *x);
int ks_role_create(lc__api_ctx *x);
int ks_role_get(lc__api_ctx *x);
int ks_role_update(lc__api_ctx *x);
int ks_role_delete(lc__api_ctx *x);

int ks_grant_project_put(lc__api_ctx *x);
int ks_grant_project_check(lc__api_ctx *x);
int ks_grant_project_delete(lc__api_ctx *x);
int ks_grant_project_list(lc__api_ctx *x);
int ks_grant_domain_put(lc__api_ctx *x);
int ks_grant_domain_check(lc__api_ctx *x);
int ks_grant_domain_delete(lc__api_ctx *x);
int ks_grant_domain_list(lc__api_ctx *x);
int ks_role_assignments(lc__api_ctx *x);

#endif
