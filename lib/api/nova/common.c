/* Nova helpers: microversions, request shapes, errors, times, links, paging. */
#include "api/nova/nova.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/error.h"

/* Parse "X.Y" or "latest": 0 on success with *major and *minor, -1 if malformed. */
static int parse_version(const char *s, int *major, int *minor)
{
	char *end;
	long a, b;

	while (*s == ' ')
		s++;
	if (strcasecmp(s, "latest") == 0) {
		*major = 2;
		*minor = 1;
		return 0;
	}
	errno = 0;
	a = strtol(s, &end, 10);
	if (end == s || *end != '.' || errno)
		return -1;
	s = end + 1;
	b = strtol(s, &end, 10);
	if (end == s || errno || a < 0 || b < 0 || a > 1000 || b > 1000)
		return -1;
	while (*end == ' ')
		end++;
	if (*end)
		return -1;
	*major = (int)a;
	*minor = (int)b;
	return 0;
}

int nv_begin(lc__api_ctx *x)
{
	const char *v = NULL, *h = lc__req_header(x, "OpenStack-API-Version");
	int major, minor;

	/* "compute 2.1" (possibly among other services, comma separated) */
	if (h) {
		const char *p = strcasestr(h, "compute");

		if (p && (p == h || p[-1] == ' ' || p[-1] == ','))
			v = p + 7;
	}
	if (v == NULL)
		v = lc__req_header(x, "X-OpenStack-Nova-API-Version");
	lc__resp_set_header(x->resp, "OpenStack-API-Version", "compute " NV_VERSION);
	lc__resp_set_header(x->resp, "X-OpenStack-Nova-API-Version", NV_VERSION);
	lc__resp_set_header(x->resp, "Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version");
	if (v == NULL)
		return 0;
	if (parse_version(v, &major, &minor) < 0) {
		lc__api_error(x, 400, "Invalid API version request string %.40s.", v);
		return 1;
	}
	if (major != 2 || minor != 1) {
		lc__api_error(x, 406, "Version %d.%d is not supported by the API. Minimum is 2.1 and maximum is 2.1.",
			      major, minor);
		return 1;
	}
	return 0;
}

static int type_ok(const lc__json *v, nv_type t)
{
	switch (t) {
	case NV_STRING: return v->type == LC__J_STRING;
	case NV_STRING_NULL: return v->type == LC__J_STRING || v->type == LC__J_NULL;
	case NV_BOOL: return v->type == LC__J_BOOL;
	case NV_INT_NULL:
		if (v->type == LC__J_NULL)
			return 1;
		/* fall through */
	case NV_INT:
		if (v->type == LC__J_INT)
			return 1;
		if (v->type == LC__J_STRING) {
			char *end;

			errno = 0;
			(void)strtoll(v->s, &end, 10);
			return v->s[0] && *end == '\0' && errno == 0;
		}
		return 0;
	case NV_NUMBER: return v->type == LC__J_INT || v->type == LC__J_DOUBLE;
	case NV_ARRAY: return v->type == LC__J_ARRAY;
	case NV_OBJECT: return v->type == LC__J_OBJECT;
	case NV_ANY: return 1;
	}
	return 0;
}

static const char *type_text(nv_type t)
{
	switch (t) {
	case NV_STRING: return "a string";
	case NV_STRING_NULL: return "a string or null";
	case NV_BOOL: return "a boolean";
	case NV_INT: return "an integer";
	case NV_INT_NULL: return "an integer or null";
	case NV_NUMBER: return "a number";
	case NV_ARRAY: return "an array";
	case NV_OBJECT: return "an object";
	default: return "a value";
	}
}

int nv_check(lc__api_ctx *x, const lc__json *obj, const nv_field *fields, size_t n)
{
	for (const lc__json *m = obj->child; m != NULL; m = m->next) {
		const nv_field *f = NULL;

		for (size_t i = 0; i < n; i++)
			if (strcmp(fields[i].name, m->key) == 0)
				f = &fields[i];
		if (f == NULL) {
			lc__api_error(x, 400, "Invalid input for field/attribute %.64s. Additional properties are not "
				      "allowed ('%.64s' was unexpected)", m->key, m->key);
			return 1;
		}
		if (!type_ok(m, f->type)) {
			lc__api_error(x, 400, "Invalid input for field/attribute %s. Value: %s is not %s.", f->name,
				      lc__json_type_name(m->type), type_text(f->type));
			return 1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (fields[i].required && lc__json_get(obj, fields[i].name) == NULL) {
			lc__api_error(x, 400, "Invalid input for field/attribute %s. '%s' is a required property",
				      fields[i].name, fields[i].name);
			return 1;
		}
	}
	return 0;
}

const lc__json *nv_wrapped(lc__api_ctx *x, const lc__json *body, const char *key)
{
	const lc__json *v = lc__json_get(body, key);

	if (v == NULL || v->type != LC__J_OBJECT) {
		lc__api_error(x, 400, "Invalid input for field/attribute %s. '%s' is a required object", key, key);
		return NULL;
	}
	for (const lc__json *m = body->child; m; m = m->next) {
		if (strcmp(m->key, key) != 0 && strcmp(m->key, "os:scheduler_hints") != 0 &&
		    strcmp(m->key, "OS-SCH-HNT:scheduler_hints") != 0) {
			lc__api_error(x, 400, "Additional properties are not allowed ('%.64s' was unexpected)", m->key);
			return NULL;
		}
	}
	return v;
}

const char *nv_str(const lc__json *obj, const char *key)
{
	const lc__json *v = lc__json_get(obj, key);

	return v != NULL && v->type == LC__J_STRING ? v->s : NULL;
}

int nv_int(const lc__json *obj, const char *key, int64_t *out)
{
	const lc__json *v = lc__json_get(obj, key);

	if (v == NULL || v->type == LC__J_NULL)
		return 0;
	if (v->type == LC__J_INT) {
		*out = v->i;
		return 1;
	}
	if (v->type == LC__J_STRING) {
		char *end;

		errno = 0;
		*out = strtoll(v->s, &end, 10);
		if (v->s[0] && *end == '\0' && errno == 0)
			return 1;
	}
	return -1;
}

int nv_bool(const lc__json *obj, const char *key)
{
	const lc__json *v = lc__json_get(obj, key);

	if (v == NULL)
		return LC_UNSET;
	if (v->type == LC__J_BOOL)
		return v->b;
	if (v->type == LC__J_STRING)
		return strcasecmp(v->s, "true") == 0 || strcmp(v->s, "1") == 0 || strcasecmp(v->s, "yes") == 0;
	return LC_UNSET;
}

const char **nv_pairs(lc__api_ctx *x, const lc__json *obj, const char *what)
{
	const char **a = lc__arena_alloc(x->arena, (2 * obj->count + 1) * sizeof(*a));
	size_t k = 0;

	if (a == NULL) {
		lc__api_error(x, 500, "out of memory");
		return NULL;
	}
	for (const lc__json *m = obj->child; m; m = m->next) {
		if (m->type != LC__J_STRING) {
			lc__api_error(x, 400, "Invalid input for %s: the value of '%.64s' is not a string.", what, m->key);
			return NULL;
		}
		a[k++] = m->key;
		a[k++] = m->s;
	}
	a[k] = NULL;
	return a;
}

int nv_lookup_rc(int rc, const char *what, const char *id)
{
	if (rc == LC_EINVALID || rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "%s %.80s could not be found.", what, id ? id : "");
	return rc;
}

int nv_error(lc__api_ctx *x, int rc)
{
	const lc_error *e = lc_error_last();

	/* Nova answers an exceeded quota with 403 */
	if (rc == LC_EQUOTA)
		return lc__api_error(x, 403, "%s", e->code == rc ? e->message : "Quota exceeded");
	return lc__api_error_code(x, rc);
}

int nv_list_all(lc__api_ctx *x, const nv_lister *l, const lc_list_opts *opts)
{
	void *it = NULL, *obj;
	yajl_gen g;
	int rc = l->iter_new(&it, x->session, opts);

	if (rc < 0)
		return nv_error(x, rc);
	g = lc__json_begin(x);
	if (g == NULL) {
		l->iter_free(it);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, l->coll);
	while ((rc = l->iter_next(&obj, it)) == 0) {
		l->gen(x, g, obj);
		l->free(obj);
	}
	l->iter_free(it);
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

static const char *fmt_time(lc__api_ctx *x, int64_t us, int micro)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	char buf[40];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	if (micro)
		return lc__arena_printf(x->arena, "%s.%06lld", buf, (long long)(us % 1000000));
	return lc__arena_printf(x->arena, "%sZ", buf);
}

const char *nv_time(lc__api_ctx *x, int64_t us)
{
	return fmt_time(x, us, 0);
}

const char *nv_time_us(lc__api_ctx *x, int64_t us)
{
	return fmt_time(x, us, 1);
}

void nv_gen_links(lc__api_ctx *x, yajl_gen g, const char *coll, const char *id)
{
	lc__gen_karray(g, "links");
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "rel", "self");
	lc__gen_kstr(g, "href", lc__arena_printf(x->arena, "%s/compute/v2.1/%s/%s", x->base, coll, id));
	yajl_gen_map_close(g);
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "rel", "bookmark");
	lc__gen_kstr(g, "href", lc__arena_printf(x->arena, "%s/compute/%s/%s", x->base, coll, id));
	yajl_gen_map_close(g);
	lc__gen_end_array(g);
}

void nv_gen_next(lc__api_ctx *x, yajl_gen g, const char *coll, const char *path, const char *last_id)
{
	char *key = lc__arena_printf(x->arena, "%s_links", coll);
	const char *limit = lc__req_query(x, "limit");

	lc__gen_karray(g, key);
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "rel", "next");
	lc__gen_kstr(g, "href", lc__arena_printf(x->arena, "%s/compute/v2.1/%s?limit=%s&marker=%s", x->base, path,
						 limit ? limit : "1000", last_id));
	yajl_gen_map_close(g);
	lc__gen_end_array(g);
}

int nv_is_admin(const lc__api_ctx *x)
{
	return x->session != NULL && lc_session_has_role(x->session, "admin");
}

const char *nv_project(const lc__api_ctx *x)
{
	return x->session ? lc_session_project_id(x->session) : NULL;
}

int nv_paging(lc__api_ctx *x, lc_list_opts *lo, unsigned int *limit)
{
	const char *l = lc__req_query(x, "limit"), *m = lc__req_query(x, "marker");

	lc_list_opts_init(lo, LC_LIST_OPTS_VERSION);
	*limit = 0;
	if (l) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(l, &end, 10);
		if (l[0] < '0' || l[0] > '9' || *end != '\0' || errno || v > 100000) {
			lc__api_error(x, 400, "limit must be a non-negative integer");
			return 1;
		}
		*limit = (unsigned int)v;
	}
	if (m && *m)
		lo->marker = m;
	return 0;
}
