/* Internal: Neutron v2.0 over the public C API (handlers and their helpers). */
#ifndef LC_API_NEUTRON_H
#define LC_API_NEUTRON_H

#include <libcloud/floating_ip.h>
#include <libcloud/list.h>
#include <libcloud/network.h>
#include <libcloud/port.h>
#include <libcloud/quota.h>
#include <libcloud/router.h>
#include <libcloud/security_group.h>
#include <libcloud/subnet.h>

#include "api/internal.h"

/* ---- request bodies (common.c) ---- */

typedef enum nt_type {
	NT_STR = 1,      /* a string */
	NT_STR_NULL = 2, /* a string or null */
	NT_BOOL = 3,     /* true/false (or "true"/"false" strings, as Neutron converts) */
	NT_INT = 4,      /* an integer (or a decimal string) */
	NT_INT_NULL = 5, /* an integer or null */
	NT_LIST = 6,     /* an array */
	NT_OBJ = 7,      /* an object */
	NT_ANY = 8       /* anything */
} nt_type;

enum {
	NT_POST = 1u << 0,     /* may be given at create */
	NT_PUT = 1u << 1,      /* may be given at update */
	NT_REQUIRED = 1u << 2, /* must be given at create */
	NT_IGNORED = 1u << 3   /* accepted and not stored */
};

typedef struct nt_attr {
	const char *name;
	nt_type type;
	unsigned int flags;
} nt_attr;

/*
 * Parse the body {"<key>": {...}} and check every attribute against the
 * table: unknown ones, wrong types, read-only ones on update, required ones
 * on create. Writes a 400 and returns NULL on a violation.
 */
const lc__json *nt_body(lc__api_ctx *x, const char *key, const nt_attr *attrs, size_t n, int create);

/* Members of a checked body. NULL/LC_UNSET when absent; "" for a JSON null string where nullable. */
const char *nt_str(const lc__json *o, const char *key);
int nt_bool(const lc__json *o, const char *key);
/* An integer member; def when absent or null. */
int64_t nt_int(const lc__json *o, const char *key, int64_t def);
/* 1 if the member is present (even null). */
int nt_has(const lc__json *o, const char *key);
/* The project of a create: project_id or tenant_id (they must agree), or NULL. Writes a 400 on a mismatch. */
int nt_project(lc__api_ctx *x, const lc__json *o, const char **out);
/*
 * A JSON array of strings as a NULL-terminated vector in the arena; NULL if
 * absent. Writes a 400 and returns 1 on a bad item.
 */
int nt_strv(lc__api_ctx *x, const lc__json *o, const char *key, const char *const **out);
/*
 * A JSON array of objects as a NULL-terminated vector of pairs: for each item
 * item[k1] (or "") and item[k2] (or ""). Writes a 400 and returns 1 when bad.
 */
int nt_pairs(lc__api_ctx *x, const lc__json *o, const char *key, const char *k1, const char *k2,
	     const char *const **out);

/* A C API error on a lookup by a path id: an unknown or malformed id reads as 404 "<What> <id> could not be found." */
int nt_lookup_rc(int rc, const char *what, const char *id);

/* 1 if the caller holds the admin role. */
int nt_is_admin(const lc__api_ctx *x);

/* ---- output with fields= (common.c) ---- */

typedef struct nt_out {
	lc__api_ctx *x;
	yajl_gen g;
	const char **fields; /* asked for with fields=, or NULL for all */
	size_t nfields;
} nt_out;

int nt_want(const nt_out *o, const char *k);
void nt_kstr(nt_out *o, const char *k, const char *v);
void nt_kbool(nt_out *o, const char *k, int v);
void nt_kint(nt_out *o, const char *k, int64_t v);
void nt_knull(nt_out *o, const char *k);
/* "2026-01-01T00:00:00Z" from microseconds */
void nt_ktime(nt_out *o, const char *k, int64_t us);
/* An empty list or object under k. */
void nt_kempty_list(nt_out *o, const char *k);
void nt_kempty_map(nt_out *o, const char *k);
/* Start a list under k if wanted: returns 1 (the caller writes items and closes it) or 0. */
int nt_klist(nt_out *o, const char *k);
/* id, tenant_id, project_id (NULL project: ""), the common timestamps, revision and tags. */
void nt_common(nt_out *o, const char *id, const char *project_id, int64_t created, int64_t updated, int64_t revision);
void nt_tags(nt_out *o, size_t n, const char *(*tag)(const void *, size_t), const void *obj);

/* ---- a resource kind for listing and rendering ---- */

typedef struct nt_kind {
	const char *one;  /* "network" */
	const char *coll; /* "networks" */
	const char *path; /* "/network/v2.0/networks" */
	int (*iter_new)(void **it, lc_session *s, const lc_list_opts *o);
	int (*iter_next)(void **obj, void *it);
	void (*iter_free)(void *it);
	void (*free)(void *obj);
	int (*get)(void **obj, lc_session *s, const char *id);
	const char *(*id)(const void *obj);
	/*
	 * The text of a scalar attribute (for filters and sorting): 1 with *out
	 * (NULL for null), 0 if the attribute is not a filterable one.
	 */
	int (*attr)(const void *obj, const char *name, char buf[64], const char **out);
	void (*gen)(nt_out *o, const void *obj);
	/* Tags: count, i-th, and replacing them all (through the resource's update); NULL when it has none. */
	size_t (*tag_count)(const void *obj);
	const char *(*tag)(const void *obj, size_t i);
	int (*set_tags)(lc_session *s, const char *id, const char *const *tags);
	/* A filter on a list attribute (fixed_ips=ip_address=...): 1/0, or -1 when key is not one; may be NULL. */
	int (*match)(const void *obj, const char *key, const char *value);
	int (*del)(lc_session *s, const char *id, unsigned int flags);
	const char *what; /* the item in a delete's 404 ("security group"); NULL: one */
	/* Writes from a checked body (NT_WRITE_CALLS): 0, 1 when a 400 is written, or an error; may be NULL. */
	const nt_attr *attrs; /* the body's attributes */
	size_t nattrs;
	int (*create)(void **obj, lc__api_ctx *x, const lc__json *o);
	int (*update)(void **obj, lc__api_ctx *x, const char *id, const lc__json *o);
} nt_kind;

/*
 * A kind's C calls come from LC__API_RESOURCE_CALLS(T) (filled in with
 * LC__API_CALLS(T)); its tag calls from NT_TAG_CALLS (filled in with
 * NT_TAGS(T)), which replaces tags through lc_T_update over lc_T_opts
 * (initialized by OPTS_INIT).
 */
#define NT_TAG_CALLS(T, OPTS_INIT)                                                                        \
	static size_t T##_tag_count_any(const void *v) { return lc_##T##_tag_count(v); }                 \
	static const char *T##_tag_any(const void *v, size_t i) { return lc_##T##_tag(v, i); }           \
	static int T##_set_tags_any(lc_session *s, const char *id, const char *const *tags)             \
	{                                                                                                 \
		lc_##T##_opts o = OPTS_INIT;                                                              \
		o.tags = tags;                                                                            \
		return lc_##T##_update(NULL, s, id, &o);                                                 \
	}
#define NT_TAGS(T) .tag_count = T##_tag_count_any, .tag = T##_tag_any, .set_tags = T##_set_tags_any

/*
 * A kind's writes (NT_WRITE_CALLS defines both): T_create_any / T_update_any fill lc_T_opts (initialized by
 * the last argument, LC_T_OPTS_INIT) with FILL(x, body, &opts, create), which writes a 400 and returns
 * 1 on bad input, then call lc_T_create / lc_T_update.
 */
#define NT_CREATE_CALL(T, FILL, ...)                                                                      \
	static int T##_create_any(void **out, lc__api_ctx *x, const lc__json *o)                         \
	{                                                                                                 \
		lc_##T##_opts opts = __VA_ARGS__;                                                         \
		lc_##T *v = NULL;                                                                         \
		int rc;                                                                                   \
		if (FILL(x, o, &opts, 1) != 0)                                                            \
			return 1;                                                                         \
		rc = lc_##T##_create(&v, x->session, &opts);                                             \
		*out = v;                                                                                 \
		return rc;                                                                                \
	}
#define NT_UPDATE_CALL(T, FILL, ...)                                                                      \
	static int T##_update_any(void **out, lc__api_ctx *x, const char *id, const lc__json *o)         \
	{                                                                                                 \
		lc_##T##_opts opts = __VA_ARGS__;                                                         \
		lc_##T *v = NULL;                                                                         \
		int rc;                                                                                   \
		if (FILL(x, o, &opts, 0) != 0)                                                            \
			return 1;                                                                         \
		rc = lc_##T##_update(&v, x->session, id, &opts);                                         \
		*out = v;                                                                                 \
		return rc;                                                                                \
	}

#define NT_WRITE_CALLS(T, FILL, ...) NT_CREATE_CALL(T, FILL, __VA_ARGS__) NT_UPDATE_CALL(T, FILL, __VA_ARGS__)
/* Fill a kind's writes: its body attributes (an array) and the calls above. */
#define NT_WRITES(T, ATTRS)                                                                               \
	.attrs = ATTRS, .nattrs = sizeof(ATTRS) / sizeof(ATTRS[0]), .create = T##_create_any,              \
	.update = T##_update_any

/* The routes' entry points nt_P_list, nt_P_get and nt_P_delete over kind K. */
#define NT_KIND_HANDLERS(P, K)                                                                            \
	int nt_##P##_list(lc__api_ctx *x) { return nt_list(x, &K); }                                     \
	int nt_##P##_get(lc__api_ctx *x) { return nt_show(x, &K); }                                      \
	int nt_##P##_delete(lc__api_ctx *x) { return nt_delete(x, &K); }
/* And nt_P_create, nt_P_update. */
#define NT_WRITE_HANDLERS(P, K)                                                                           \
	int nt_##P##_create(lc__api_ctx *x) { return nt_create(x, &K); }                                 \
	int nt_##P##_update(lc__api_ctx *x) { return nt_update(x, &K); }

/* GET on a collection: filters (repeated keys mean OR), fields=, sort_key/sort_dir, limit/marker. */
int nt_list(lc__api_ctx *x, const nt_kind *k);
/* GET on one item (path parameter 0). */
int nt_show(lc__api_ctx *x, const nt_kind *k);
/* DELETE of one item (path parameter 0): 204. */
int nt_delete(lc__api_ctx *x, const nt_kind *k);
/* POST on a collection: 201 with the new item. */
int nt_create(lc__api_ctx *x, const nt_kind *k);
/* PUT on one item (path parameter 0): 200 with the item. */
int nt_update(lc__api_ctx *x, const nt_kind *k);
/* 0 if the item of a path id is visible, else the 404 (an unknown or malformed id). */
int nt_exists(lc__api_ctx *x, const nt_kind *k, const char *id);
/* Reply {"<one>": obj} with status, freeing obj. */
int nt_reply(lc__api_ctx *x, const nt_kind *k, void *obj, int status);

/* Text of a boolean for attr(). */
const char *nt_booltext(int b);

extern const nt_kind nt_network_kind, nt_subnet_kind, nt_port_kind, nt_router_kind, nt_fip_kind, nt_sg_kind,
	nt_rule_kind;

/* ---- handlers ---- */

int nt_versions(lc__api_ctx *x);
int nt_v2(lc__api_ctx *x);
int nt_extension_list(lc__api_ctx *x);
int nt_extension_get(lc__api_ctx *x);

int nt_network_list(lc__api_ctx *x);
int nt_network_create(lc__api_ctx *x);
int nt_network_get(lc__api_ctx *x);
int nt_network_update(lc__api_ctx *x);
int nt_network_delete(lc__api_ctx *x);

int nt_subnet_list(lc__api_ctx *x);
int nt_subnet_create(lc__api_ctx *x);
int nt_subnet_get(lc__api_ctx *x);
int nt_subnet_update(lc__api_ctx *x);
int nt_subnet_delete(lc__api_ctx *x);

int nt_port_list(lc__api_ctx *x);
int nt_port_create(lc__api_ctx *x);
int nt_port_get(lc__api_ctx *x);
int nt_port_update(lc__api_ctx *x);
int nt_port_delete(lc__api_ctx *x);

int nt_router_list(lc__api_ctx *x);
int nt_router_create(lc__api_ctx *x);
int nt_router_get(lc__api_ctx *x);
int nt_router_update(lc__api_ctx *x);
int nt_router_delete(lc__api_ctx *x);
int nt_router_add_interface(lc__api_ctx *x);
int nt_router_remove_interface(lc__api_ctx *x);

int nt_fip_list(lc__api_ctx *x);
int nt_fip_create(lc__api_ctx *x);
int nt_fip_get(lc__api_ctx *x);
int nt_fip_update(lc__api_ctx *x);
int nt_fip_delete(lc__api_ctx *x);

int nt_sg_list(lc__api_ctx *x);
int nt_sg_create(lc__api_ctx *x);
int nt_sg_get(lc__api_ctx *x);
int nt_sg_update(lc__api_ctx *x);
int nt_sg_delete(lc__api_ctx *x);
int nt_rule_list(lc__api_ctx *x);
int nt_rule_create(lc__api_ctx *x);
int nt_rule_get(lc__api_ctx *x);
int nt_rule_delete(lc__api_ctx *x);

/* Tags of any resource: /<collection>/{id}/tags[/{tag}] (tags.c). */
int nt_tags_get(lc__api_ctx *x);
int nt_tags_put_all(lc__api_ctx *x);
int nt_tags_delete_all(lc__api_ctx *x);
int nt_tag_check(lc__api_ctx *x);
int nt_tag_put(lc__api_ctx *x);
int nt_tag_delete(lc__api_ctx *x);

int nt_quota_get(lc__api_ctx *x);
int nt_quota_details(lc__api_ctx *x);
int nt_quota_default(lc__api_ctx *x);
int nt_quota_update(lc__api_ctx *x);
int nt_quota_delete(lc__api_ctx *x);

#endif
