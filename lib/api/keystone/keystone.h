/* Internal: Keystone v3 over the public C API (handlers and their helpers). */
#ifndef LC_API_KEYSTONE_H
#define LC_API_KEYSTONE_H

#include <stddef.h>

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
	KS_IGNORED = 1u << 2,   /* accepted (type checked) but not stored */
	KS_CLEARS = 1u << 3     /* on update, null clears it (stored as "") */
};

typedef struct ks_field {
	const char *name;
	ks_type type;
	unsigned int flags;
	size_t opt; /* offset of its member in the resource's options struct (KS_OPT), 0: none */
} ks_field;

/* A field's place in an options struct: never 0, the offset of every options struct's version. */
#define KS_OPT(TYPE, MEMBER) offsetof(TYPE, MEMBER)

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

/*
 * Fill an options struct from a checked body: each field with an offset gets
 * its string (const char *, NULL if absent or null) or boolean (int, 1/0 or
 * LC_UNSET). On update a null KS_CLEARS field is "".
 */
void ks_fill(void *opts, const lc__json *obj, const ks_field *fields, size_t n, int update);

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

/* ---- resources: one handler per verb over a descriptor (resource.c) ---- */

typedef struct ks_resource ks_resource;

struct ks_resource {
	const char *member;         /* "domain": the body's key, the word in messages */
	const char *coll;           /* "domains": the collection's key */
	const ks_field *shape;      /* the request shape (create and update) */
	size_t nshape;
	const char *const *filters; /* the list's query filters, NULL-terminated */

	/* the C calls behind untyped pointers (KS_RESOURCE_CALLS) */
	int (*iter_new)(void **it, lc_session *s, const lc_list_opts *opts);
	int (*iter_next)(void **obj, void *it);
	void (*iter_free)(void *it);
	int (*get)(void **obj, lc_session *s, const char *id);
	/* create and update from a checked body: 0, 1 when a 400 is written, or an error */
	int (*create)(void **obj, lc__api_ctx *x, const ks_resource *k, const lc__json *o);
	int (*update)(void **obj, lc__api_ctx *x, const ks_resource *k, const char *id, const lc__json *o);
	int (*del)(lc_session *s, const char *id, unsigned int flags);
	void (*free)(void *obj);
	const char *(*id)(const void *obj);
	const char *(*name)(const void *obj);
	void (*gen)(lc__api_ctx *x, yajl_gen g, const void *obj);

	/* what is the resource's own, each may be NULL */
	const char *(*domain_id)(const void *obj);                              /* the owning domain */
	void (*list_prep)(lc__api_ctx *x, ks_list *l);                          /* adjust the listing */
	int (*create_prep)(lc__api_ctx *x, const lc__json *o, void *opts);     /* 1: wrote a 400 */
	int (*delete_check)(lc__api_ctx *x, const void *obj);                  /* refuse: an error code */
};

/*
 * The handlers over a descriptor: GET on the collection (filters, limit and
 * marker paging), POST, GET, PATCH and DELETE on one item (path parameter 0).
 */
int ks_res_list(lc__api_ctx *x, const ks_resource *k);
int ks_res_create(lc__api_ctx *x, const ks_resource *k);
int ks_res_get(lc__api_ctx *x, const ks_resource *k);
int ks_res_update(lc__api_ctx *x, const ks_resource *k);
int ks_res_delete(lc__api_ctx *x, const ks_resource *k);
/* 0 if the caller sees the resource id, else the error (an unknown or malformed id: 404). */
int ks_res_exists(lc__api_ctx *x, const ks_resource *k, const char *id);

extern const ks_resource ks_domains, ks_projects, ks_users, ks_roles;

/*
 * Define the untyped C calls of resource type T (LC__API_RESOURCE_CALLS and
 * create, update over lc_T_opts, whose initializer is OPTS_INIT, name, gen);
 * KS_CALLS(T) fills a descriptor with them. KS_RESOURCE_HANDLERS defines the
 * routes' entry points ks_T_list/create/get/update/delete over descriptor K.
 */
#define KS_RESOURCE_CALLS(T, OPTS_INIT)                                                                       \
	LC__API_RESOURCE_CALLS(T)                                                                             \
	static int T##_create_any(void **out, lc__api_ctx *x, const ks_resource *k, const lc__json *o)      \
	{                                                                                                     \
		lc_##T##_opts opts = OPTS_INIT;                                                               \
		lc_##T *v = NULL;                                                                             \
		int rc;                                                                                       \
		ks_fill(&opts, o, k->shape, k->nshape, 0);                                                    \
		if (k->create_prep != NULL && k->create_prep(x, o, &opts) != 0)                              \
			return 1;                                                                             \
		rc = lc_##T##_create(&v, x->session, &opts);                                                 \
		*out = v;                                                                                     \
		return rc;                                                                                    \
	}                                                                                                     \
	static int T##_update_any(void **out, lc__api_ctx *x, const ks_resource *k, const char *id,          \
				  const lc__json *o)                                                          \
	{                                                                                                     \
		lc_##T##_opts opts = OPTS_INIT;                                                               \
		lc_##T *v = NULL;                                                                             \
		int rc;                                                                                       \
		ks_fill(&opts, o, k->shape, k->nshape, 1);                                                    \
		rc = lc_##T##_update(&v, x->session, id, &opts);                                             \
		*out = v;                                                                                     \
		return rc;                                                                                    \
	}                                                                                                     \
	static const char *T##_name_any(const void *v) { return lc_##T##_name(v); }                         \
	static void T##_gen_any(lc__api_ctx *x, yajl_gen g, const void *v) { ks_gen_##T(x, g, v); }

#define KS_CALLS(T)                                                                                           \
	LC__API_CALLS(T), .create = T##_create_any, .update = T##_update_any, .name = T##_name_any,          \
	.gen = T##_gen_any

#define KS_RESOURCE_HANDLERS(T, K)                                                                            \
	int ks_##T##_list(lc__api_ctx *x) { return ks_res_list(x, &K); }                                     \
	int ks_##T##_create(lc__api_ctx *x) { return ks_res_create(x, &K); }                                 \
	int ks_##T##_get(lc__api_ctx *x) { return ks_res_get(x, &K); }                                       \
	int ks_##T##_update(lc__api_ctx *x) { return ks_res_update(x, &K); }                                 \
	int ks_##T##_delete(lc__api_ctx *x) { return ks_res_delete(x, &K); }

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
