/*
 * Internal: the REST layer's shared pieces. Requests come in through
 * lc_api_handle() (api.c); a route table per service (route.c) picks a
 * handler; handlers call the public C API and write JSON (json.c) into the
 * response (response.c); errors become per-service bodies (fault.c).
 */
#ifndef LC_API_INTERNAL_H
#define LC_API_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_gen.h>

#include <libcloud/api.h>
#include <libcloud/errors.h>
#include <libcloud/session.h>

/* ---- arena: per-request memory freed at once (arena.c) ---- */

typedef struct lc__arena lc__arena;

lc__arena *lc__arena_new(void);
void lc__arena_free(lc__arena *a);
/* n bytes aligned for any type, or NULL when out of memory. */
void *lc__arena_alloc(lc__arena *a, size_t n);
/* A NUL-terminated copy of s[0..n), or NULL. */
char *lc__arena_strndup(lc__arena *a, const char *s, size_t n);
/* printf into the arena, or NULL. */
char *lc__arena_printf(lc__arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- JSON tree parsed with yajl (json.c) ---- */

typedef enum lc__json_type {
	LC__J_NULL = 0,
	LC__J_BOOL = 1,
	LC__J_INT = 2,
	LC__J_DOUBLE = 3,
	LC__J_STRING = 4,
	LC__J_ARRAY = 5,
	LC__J_OBJECT = 6
} lc__json_type;

typedef struct lc__json lc__json;
struct lc__json {
	lc__json_type type;
	int b;            /* BOOL */
	int64_t i;        /* INT */
	double d;         /* DOUBLE */
	const char *s;    /* STRING: NUL-terminated, valid UTF-8 */
	size_t len;       /* STRING: length without the NUL */
	const char *key;  /* the member name when inside an object */
	lc__json *child;  /* ARRAY/OBJECT: first member */
	lc__json *last;   /* ARRAY/OBJECT: last member */
	lc__json *next;   /* next sibling */
	lc__json *parent;
	size_t count;     /* ARRAY/OBJECT: number of members */
};

/*
 * Parse a whole JSON text into a tree allocated in `a`. Rejects invalid
 * UTF-8, trailing garbage, nesting deeper than max_depth and a NUL byte in
 * a string. Returns 0, LC_EINVALID with a message in err, or LC_ENOMEM.
 */
int lc__json_parse(lc__json **out, lc__arena *a, const char *text, size_t len, unsigned int max_depth,
		   char *err, size_t errlen);

/* The member `key` of an object (last one wins), or NULL if v is not an object or has none. */
const lc__json *lc__json_get(const lc__json *v, const char *key);
/* Name of a JSON type for messages ("string", "object", ...). */
const char *lc__json_type_name(lc__json_type t);

/* Generation helpers over a yajl_gen (json.c). NULL strings are written as null. */
void lc__gen_str(yajl_gen g, const char *s);
void lc__gen_key(yajl_gen g, const char *k);
void lc__gen_kstr(yajl_gen g, const char *k, const char *v);
void lc__gen_kbool(yajl_gen g, const char *k, int v);
void lc__gen_kint(yajl_gen g, const char *k, int64_t v);
void lc__gen_knull(yajl_gen g, const char *k);
/* k: {  (or plain { when k is NULL) */
void lc__gen_kmap(yajl_gen g, const char *k);
void lc__gen_karray(yajl_gen g, const char *k);
void lc__gen_end_map(yajl_gen g);
void lc__gen_end_array(yajl_gen g);
/* Unix seconds as "2026-01-01T00:00:00.000000Z" */
void lc__gen_ktime(yajl_gen g, const char *k, int64_t unix_seconds);

/* ---- response (response.c) ---- */

typedef int (*lc__body_read_fn)(size_t *out_len, void *buf, size_t cap, void *payload);
typedef void (*lc__body_free_fn)(void *payload);

struct lc_api_response {
	int status;
	size_t nhdr, caphdr;
	char **names;
	char **values;
	char *body;
	size_t body_len, body_cap;
	size_t read_off;
	lc__body_read_fn src_read; /* streamed body source, or NULL */
	lc__body_free_fn src_free;
	void *src_payload;
	int64_t src_length;
	int src_done;
	int oom; /* a header or body append failed */
};

lc_api_response *lc__resp_new(void);
/* Add a header (copied). Returns 0 or LC_ENOMEM (also remembered in r->oom). */
int lc__resp_add_header(lc_api_response *r, const char *name, const char *value);
/* Replace the first header with that name, or add it. */
int lc__resp_set_header(lc_api_response *r, const char *name, const char *value);
int lc__resp_append(lc_api_response *r, const void *data, size_t len);
/* Drop the body and every header except the ones named in keep (NULL-terminated). */
void lc__resp_reset(lc_api_response *r, const char *const *keep);
/* Make the body a stream; length -1 when unknown. The response owns payload (src_free). */
void lc__resp_stream(lc_api_response *r, lc__body_read_fn rd, lc__body_free_fn fr, void *payload, int64_t length);

/* ---- services and routes (route.c) ---- */

typedef struct lc__api_ctx lc__api_ctx;
/* A handler fills x->resp and returns 0, or returns a negative lc_error_code
 * (with lc_error_last() set) and the dispatcher answers with an error body. */
typedef int (*lc__api_handler)(lc__api_ctx *x);

enum {
	LC__ROUTE_NOAUTH = 1u << 0,    /* no token needed */
	LC__ROUTE_RAW_BODY = 1u << 1   /* the handler reads the body itself (a stream) */
};

/* The rule name of routes that need no token. */
#define LC__RULE_PUBLIC "public"

typedef struct lc__api_route {
	const char *method;  /* "GET", ...; a GET route also answers HEAD */
	const char *pattern; /* "/v3/projects/{project_id}": literal segments and {placeholders};
	                        a last "{+rest}" matches one or more remaining segments */
	lc__api_handler fn;
	const char *rule;    /* policy rule name (lib/core/policy.c), or LC__RULE_PUBLIC */
	unsigned int flags;
} lc__api_route;

typedef enum lc__error_style {
	LC__ERR_KEYSTONE = 0, /* {"error": {"code","message","title"}} */
	LC__ERR_NOVA = 1,     /* {"itemNotFound": {"code","message"}} (Nova, Cinder) */
	LC__ERR_NEUTRON = 2,  /* {"NeutronError": {"type","message","detail"}} */
	LC__ERR_PLAIN = 3     /* text/plain (Glance, Swift) */
} lc__error_style;

typedef struct lc__api_service {
	unsigned int bit;          /* lc_api_service */
	const char *type;          /* catalog type, "identity" */
	const char *name;          /* catalog name, "keystone" */
	const char *first_segment; /* first path segment owned by the service ("v3", "compute") */
	const char *url_suffix;    /* appended to the base URL in the catalog; may hold "{project_id}" */
	lc__error_style style;
	const lc__api_route *routes;
	size_t nroutes;
} lc__api_service;

/* Every service the library implements (api.c). */
const lc__api_service *const *lc__api_services(size_t *n);
extern const lc__api_service lc__keystone_service;
extern const lc__api_service lc__glance_service;
extern const lc__api_service lc__neutron_service;
extern const lc__api_service lc__nova_service;

#define LC__MAX_PARAMS 8

/* Match segs against a pattern; fills params on success. 1 if it matches. */
int lc__route_match(const char *pattern, char *const *segs, size_t nseg, const char **params, size_t *nparams,
		    lc__arena *a);

/* ---- paths and queries (path.c) ---- */

/*
 * Split a raw path into percent-decoded segments (empty segments dropped).
 * Rejects bad escapes, encoded '/' or NUL, '.' and '..' segments, control
 * characters and invalid UTF-8: returns LC_EINVALID with a message in err.
 */
int lc__path_split(char ***segs, size_t *nseg, lc__arena *a, const char *path, char *err, size_t errlen);

/* Parse a raw query string (k=v&k2=v2, '+' is a space). Same rejections. */
int lc__query_parse(char ***keys, char ***vals, size_t *n, lc__arena *a, const char *query, char *err,
		    size_t errlen);

/* Percent-decode s[0..n) into the arena; plus_space turns '+' into ' '. LC_EINVALID on bad input. */
int lc__pct_decode(char **out, size_t *outlen, lc__arena *a, const char *s, size_t n, int plus_space);

/* 1 if s[0..len) is well-formed UTF-8. */
int lc__api_utf8_valid(const char *s, size_t len);

/* ---- the API and one request ---- */

struct lc_api {
	lc_cloud *cloud;
	lc_session *system; /* the host's session: used only to render names that a response must show */
	char *base_url;     /* without a trailing slash, or NULL (from Host) */
	char *region;
	unsigned int services;
	uint64_t max_json_bytes;
	unsigned int max_json_depth;
	unsigned int max_path_bytes;
	unsigned int max_header_bytes;
	unsigned int max_headers;
};

struct lc__api_ctx {
	lc_api *api;
	const lc_api_request *req;
	lc__arena *arena;
	lc_api_response *resp;
	const lc__api_service *svc; /* the service addressed (for the error style), or NULL */
	const lc__api_route *route;
	int is_head;
	char **segs;
	size_t nseg;
	const char *params[LC__MAX_PARAMS];
	size_t nparams;
	char **qkeys, **qvals;
	size_t nq;
	lc_session *session; /* from X-Auth-Token, or NULL */
	const char *base;    /* base URL for this request, no trailing slash */
	char request_id[48];
	int body_taken;      /* the body has been read */
	int user_abort;      /* the body reader asked to stop */
};

/* Value of a request header (case-insensitive), or NULL. */
const char *lc__req_header(const lc__api_ctx *x, const char *name);
/* Value of a query parameter (first occurrence), or NULL. */
const char *lc__req_query(const lc__api_ctx *x, const char *name);
/* A path parameter by index. */
const char *lc__req_param(const lc__api_ctx *x, size_t i);

/*
 * Read the whole request body (at most max_json_bytes) and parse it as a
 * JSON object. On failure an error response is already written and the
 * return is 1 (the handler returns 0); on success 0.
 */
int lc__req_json(lc__api_ctx *x, const lc__json **out);
/* Read the whole body raw, up to limit bytes (413 beyond). Same convention. */
int lc__req_body(lc__api_ctx *x, const char **out, size_t *len, uint64_t limit);

/* Start a JSON body (returns a generator writing into the response) and finish it. */
yajl_gen lc__json_begin(lc__api_ctx *x);
/* Finish: sets status, Content-Type: application/json, frees g. Returns 0 or LC_ENOMEM. */
int lc__json_end(lc__api_ctx *x, yajl_gen g, int status);
/* An empty response with a status (204...). */
int lc__reply_empty(lc__api_ctx *x, int status);

/* ---- errors (fault.c) ---- */

/* The HTTP status for an lc_error_code. */
int lc__http_status(int code);
/* The reason phrase of a status ("Not Found"). */
const char *lc__http_reason(int status);
/* Write an error response in the service's style. Returns 0 (or LC_ENOMEM). */
int lc__api_error(lc__api_ctx *x, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int lc__api_verror(lc__api_ctx *x, int status, const char *fmt, va_list ap);
/* Write the error response for a negative lc_error_code from the C API. */
int lc__api_error_code(lc__api_ctx *x, int code);
/* 401 with WWW-Authenticate. */
int lc__api_unauthorized(lc__api_ctx *x);

/* ---- a resource's C calls behind untyped pointers ---- */

/*
 * Define static T_iter_new_any, T_iter_next_any, T_iter_free_any and
 * T_free_any over lc_T_iter_new ... lc_T_free, so that one handler can walk
 * every resource type through a descriptor; LC__API_ITER_CALLS(T) fills the
 * descriptor's members of the same names.
 */
#define LC__API_ITER_CALLS_DEFINE(T)                                                                          \
	static int T##_iter_new_any(void **out, lc_session *s, const lc_list_opts *o)                        \
	{                                                                                                     \
		lc_##T##_iter *it = NULL;                                                                     \
		int rc = lc_##T##_iter_new(&it, s, o);                                                       \
		*out = it;                                                                                    \
		return rc;                                                                                    \
	}                                                                                                     \
	static int T##_iter_next_any(void **out, void *it)                                                   \
	{                                                                                                     \
		lc_##T *v = NULL;                                                                             \
		int rc = lc_##T##_iter_next(&v, it);                                                         \
		*out = v;                                                                                     \
		return rc;                                                                                    \
	}                                                                                                     \
	static void T##_iter_free_any(void *it) { lc_##T##_iter_free(it); }                                  \
	static void T##_free_any(void *v) { lc_##T##_free(v); }
#define LC__API_ITER_CALLS(T)                                                                                 \
	.iter_new = T##_iter_new_any, .iter_next = T##_iter_next_any, .iter_free = T##_iter_free_any,       \
	.free = T##_free_any

/*
 * And T_get_any and T_id_any over lc_T_get and lc_T_id: what one handler per
 * verb needs; LC__API_CALLS(T) fills the descriptor's members of the same
 * names (and del: lc_T_delete).
 */
#define LC__API_RESOURCE_CALLS(T)                                                                             \
	LC__API_ITER_CALLS_DEFINE(T)                                                                          \
	static int T##_get_any(void **out, lc_session *s, const char *id)                                   \
	{                                                                                                     \
		lc_##T *v = NULL;                                                                             \
		int rc = lc_##T##_get(&v, s, id);                                                            \
		*out = v;                                                                                     \
		return rc;                                                                                    \
	}                                                                                                     \
	static const char *T##_id_any(const void *v) { return lc_##T##_id(v); }
#define LC__API_CALLS(T) LC__API_ITER_CALLS(T), .get = T##_get_any, .id = T##_id_any, .del = lc_##T##_delete

/* ---- catalog (catalog.c) ---- */

/* Write the service catalog array (the value only) for a scoped session. */
void lc__catalog_gen(lc__api_ctx *x, yajl_gen g, const lc_session *s);

#endif
