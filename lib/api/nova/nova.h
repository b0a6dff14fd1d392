/* Internal: Nova v2.1 over the public C API (handlers and their helpers). */
#ifndef LC_API_NOVA_H
#define LC_API_NOVA_H

#include <libcloud/aggregate.h>
#include <libcloud/compute_host.h>
#include <libcloud/flavor.h>
#include <libcloud/keypair.h>
#include <libcloud/list.h>
#include <libcloud/server.h>
#include <libcloud/server_group.h>

#include "api/internal.h"

/* The only microversion served: 2.1. */
#define NV_VERSION "2.1"

/*
 * Every handler starts with this: check the microversion the client asked
 * for (OpenStack-API-Version: compute X.Y, X-OpenStack-Nova-API-Version:
 * X.Y; "latest" is 2.1) and echo the one used. Writes a 406 and returns 1
 * for a version outside 2.1..2.1.
 */
int nv_begin(lc__api_ctx *x);

/* ---- request bodies ---- */

typedef enum nv_type {
	NV_STRING = 1,     /* a string */
	NV_STRING_NULL,    /* a string or null */
	NV_BOOL,           /* a boolean */
	NV_INT,            /* an integer, or a string holding one (Nova accepts both) */
	NV_INT_NULL,       /* same, or null */
	NV_NUMBER,         /* a number */
	NV_ARRAY,          /* an array */
	NV_OBJECT,         /* an object */
	NV_ANY             /* anything (accepted, ignored) */
} nv_type;

typedef struct nv_field {
	const char *name;
	nv_type type;
	int required;
} nv_field;

/*
 * Check an object against its fields: types, required ones present, no
 * other member (Nova's request schemas set additionalProperties false).
 * Writes a 400 and returns 1 on a violation.
 */
int nv_check(lc__api_ctx *x, const lc__json *obj, const nv_field *fields, size_t n);
/* body["key"] as an object; writes a 400 and returns NULL otherwise. */
const lc__json *nv_wrapped(lc__api_ctx *x, const lc__json *body, const char *key);
/* Members: a string (NULL if absent or null); an integer from a number or a numeric string. */
const char *nv_str(const lc__json *obj, const char *key);
int nv_int(const lc__json *obj, const char *key, int64_t *out); /* 1 present, 0 absent, -1 not an integer */
int nv_bool(const lc__json *obj, const char *key); /* 1, 0, or LC_UNSET */
/* An object's members as key, value, ..., NULL pairs (values must be strings; else 400 and NULL). */
const char **nv_pairs(lc__api_ctx *x, const lc__json *obj, const char *what);

/* ---- replies ---- */

/* A C API failure on a lookup by a path id: unknown or malformed reads as 404. */
int nv_lookup_rc(int rc, const char *what, const char *id);
/* Nova's statuses for C API errors (quota exceeded is 403 in Nova). Writes the error, returns 0. */
int nv_error(lc__api_ctx *x, int rc);
/* Unix microseconds as "2026-01-01T00:00:00Z" (servers) or with ".000000" (actions, keypairs). */
const char *nv_time(lc__api_ctx *x, int64_t us);
const char *nv_time_us(lc__api_ctx *x, int64_t us);
/* "links": [{"rel":"self","href":base/compute/v2.1/coll/id}, {"rel":"bookmark","href":base/compute/coll/id}] */
void nv_gen_links(lc__api_ctx *x, yajl_gen g, const char *coll, const char *id);
/* A next link for a page that was full: "<coll>_links": [{"rel":"next","href":...}] */
void nv_gen_next(lc__api_ctx *x, yajl_gen g, const char *coll, const char *path, const char *last_id);
/* 1 if the caller holds the admin role. */
int nv_is_admin(const lc__api_ctx *x);

/* A collection walked whole through the C API's iterator (LC__API_ITER_CALLS) and rendered item by item. */
typedef struct nv_lister {
	const char *coll; /* "keypairs" */
	int (*iter_new)(void **it, lc_session *s, const lc_list_opts *opts);
	int (*iter_next)(void **obj, void *it);
	void (*iter_free)(void *it);
	void (*free)(void *obj);
	void (*gen)(lc__api_ctx *x, yajl_gen g, const void *obj);
} nv_lister;

/* Reply {"<coll>": [every item]} with 200, unpaged; a failure to start listing is nv_error's. */
int nv_list_all(lc__api_ctx *x, const nv_lister *l, const lc_list_opts *opts);
/* The session's project (the caller's tenant), or NULL. */
const char *nv_project(const lc__api_ctx *x);

/* Paging: limit (400 on a bad one) and marker from the query. Returns 1 after writing a 400. */
int nv_paging(lc__api_ctx *x, lc_list_opts *lo, unsigned int *limit);

/* ---- renderers ---- */

void nv_gen_flavor(lc__api_ctx *x, yajl_gen g, const lc_flavor *f, int detail);
/* detail: 0 the list view (id, name, links), 1 Nova's basic view, 2 the detailed view */
void nv_gen_server(lc__api_ctx *x, yajl_gen g, const lc_server *v, int detail);
void nv_gen_aggregate(lc__api_ctx *x, yajl_gen g, const lc_aggregate *a, int with_members);

/* ---- handlers ---- */

int nv_versions(lc__api_ctx *x);
int nv_version(lc__api_ctx *x);

int nv_flavor_list(lc__api_ctx *x);
int nv_flavor_detail(lc__api_ctx *x);
int nv_flavor_get(lc__api_ctx *x);
int nv_flavor_create(lc__api_ctx *x);
int nv_flavor_update(lc__api_ctx *x);
int nv_flavor_delete(lc__api_ctx *x);
int nv_flavor_action(lc__api_ctx *x);
int nv_flavor_access_list(lc__api_ctx *x);
int nv_specs_list(lc__api_ctx *x);
int nv_specs_set(lc__api_ctx *x);
int nv_spec_get(lc__api_ctx *x);
int nv_spec_put(lc__api_ctx *x);
int nv_spec_delete(lc__api_ctx *x);

int nv_keypair_list(lc__api_ctx *x);
int nv_keypair_create(lc__api_ctx *x);
int nv_keypair_get(lc__api_ctx *x);
int nv_keypair_delete(lc__api_ctx *x);

int nv_server_list(lc__api_ctx *x);
int nv_server_detail(lc__api_ctx *x);
int nv_server_create(lc__api_ctx *x);
int nv_server_get(lc__api_ctx *x);
int nv_server_ips(lc__api_ctx *x);
int nv_server_ips_network(lc__api_ctx *x);
/* The networks of a create request into so: 0, 1 when answered with 400, or a negative code. */
int nv_networks_parse(lc__api_ctx *x, const lc__json *nets, lc_server_opts *so);
/* The "addresses" member of a server view. */
void nv_gen_addresses(lc__api_ctx *x, yajl_gen g, const char *server_id);
int nv_server_update(lc__api_ctx *x);
int nv_server_delete(lc__api_ctx *x);
int nv_server_action(lc__api_ctx *x);
int nv_metadata_list(lc__api_ctx *x);
int nv_metadata_post(lc__api_ctx *x);
int nv_metadata_put(lc__api_ctx *x);
int nv_meta_get(lc__api_ctx *x);
int nv_meta_put(lc__api_ctx *x);
int nv_meta_delete(lc__api_ctx *x);
int nv_actions_list(lc__api_ctx *x);
int nv_action_get(lc__api_ctx *x);

int nv_hypervisor_list(lc__api_ctx *x);
int nv_hypervisor_detail(lc__api_ctx *x);
int nv_hypervisor_get(lc__api_ctx *x);
int nv_hypervisor_stats(lc__api_ctx *x);
int nv_hypervisor_search(lc__api_ctx *x);
int nv_service_list(lc__api_ctx *x);
int nv_service_enable(lc__api_ctx *x);
int nv_service_disable(lc__api_ctx *x);
int nv_service_disable_reason(lc__api_ctx *x);
int nv_az_list(lc__api_ctx *x);
int nv_az_detail(lc__api_ctx *x);

int nv_aggregate_list(lc__api_ctx *x);
int nv_aggregate_create(lc__api_ctx *x);
int nv_aggregate_get(lc__api_ctx *x);
int nv_aggregate_update(lc__api_ctx *x);
int nv_aggregate_delete(lc__api_ctx *x);
int nv_aggregate_action(lc__api_ctx *x);

int nv_group_list(lc__api_ctx *x);
int nv_group_create(lc__api_ctx *x);
int nv_group_get(lc__api_ctx *x);
int nv_group_delete(lc__api_ctx *x);

int nv_limits(lc__api_ctx *x);
int nv_quota_get(lc__api_ctx *x);
int nv_quota_detail(lc__api_ctx *x);
int nv_quota_defaults(lc__api_ctx *x);
int nv_quota_update(lc__api_ctx *x);

#endif
