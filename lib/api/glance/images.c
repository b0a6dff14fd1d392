/* Glance images: list, create, show, JSON-patch update, delete, actions, tags. */
#include "api/glance/glance.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

#define DEFAULT_LIMIT 25
#define MAX_LIMIT 1000

/* ---- list ---- */

static const char *const passthrough[] = { "name", "status", "visibility", "owner", "member_status", "os_hidden",
					   "protected", "disk_format", "container_format", "id", "tag", "size_min",
					   "size_max", "sort_key", "sort_dir", NULL };

static int in(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static const char hexd[] = "0123456789ABCDEF";

static char *qenc(lc__arena *a, const char *s)
{
	char *o = lc__arena_alloc(a, 3 * strlen(s) + 1), *w = o;

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

int gl_image_list(lc__api_ctx *x)
{
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	const char **filters = lc__arena_alloc(x->arena, (2 * x->nq + 5) * sizeof(*filters));
	const char *limit_s = lc__req_query(x, "limit"), *sort = lc__req_query(x, "sort");
	const char *next_q = "";
	unsigned long limit = DEFAULT_LIMIT;
	lc_image_iter *it = NULL;
	lc_image *img = NULL;
	const char *last = NULL;
	unsigned int n = 0;
	size_t k = 0;
	yajl_gen g;
	int rc;

	if (filters == NULL)
		return LC_ENOMEM;
	if (limit_s != NULL) {
		char *end;

		errno = 0;
		limit = strtoul(limit_s, &end, 10);
		if (limit_s[0] < '0' || limit_s[0] > '9' || *end || errno) {
			lc__api_error(x, 400, "limit param must be an integer");
			return 0;
		}
		if (limit == 0 || limit > MAX_LIMIT)
			limit = limit == 0 ? 1 : MAX_LIMIT;
	}
	for (size_t i = 0; i < x->nq; i++) {
		const char *key = x->qkeys[i], *val = x->qvals[i];

		if (!strcmp(key, "limit") || !strcmp(key, "marker") || !strcmp(key, "sort"))
			continue;
		if (!in(passthrough, key) && (!strncmp(key, "os_glance_", 10) || !strcmp(key, "all_tenants")))
			continue;
		filters[k++] = key;
		filters[k++] = val;
		next_q = lc__arena_printf(x->arena, "%s&%s=%s", next_q, qenc(x->arena, key), qenc(x->arena, val));
	}
	if (sort != NULL && sort[0] != '\0') { /* "name:asc,status:desc": the first key decides */
		size_t kl = strcspn(sort, ":,");
		const char *dir = sort[kl] == ':' ? sort + kl + 1 : NULL;

		filters[k++] = "sort_key";
		filters[k++] = lc__arena_strndup(x->arena, sort, kl);
		if (dir) {
			filters[k++] = "sort_dir";
			filters[k++] = lc__arena_strndup(x->arena, dir, strcspn(dir, ","));
		}
		next_q = lc__arena_printf(x->arena, "%s&sort=%s", next_q, qenc(x->arena, sort));
	}
	filters[k] = NULL;
	lo.filters = k ? filters : NULL;
	lo.limit = (unsigned int)limit + 1;
	lo.marker = lc__req_query(x, "marker");
	rc = lc_image_iter_new(&it, x->session, &lo);
	if (rc < 0)
		return rc == LC_EINVALID ? lc__error_set(LC_EINVALID, "%s", lc_error_last()->message) : rc;
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_image_iter_free(it);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, "images");
	while ((rc = lc_image_iter_next(&img, it)) == 0) {
		if (n == limit) {
			lc_image_free(img);
			break;
		}
		gl_gen_image(x, g, img);
		last = lc__arena_printf(x->arena, "%s", lc_image_id(img));
		n++;
		lc_image_free(img);
	}
	lc_image_iter_free(it);
	if (rc < 0 && rc != LC_ITEROVER) {
		yajl_gen_free(g);
		return rc;
	}
	lc__gen_end_array(g);
	lc__gen_kstr(g, "first", "/v2/images");
	lc__gen_kstr(g, "schema", "/v2/schemas/images");
	if (rc == 0 && last != NULL) /* one more exists: a next page that never repeats */
		lc__gen_kstr(g, "next", lc__arena_printf(x->arena, "/v2/images?marker=%s&limit=%lu%s", last, limit, next_q));
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

/* ---- create ---- */

static int bad(lc__api_ctx *x, int status, const char *fmt, const char *name)
{
	lc__api_error(x, status, fmt, name);
	return 1;
}

/* A JSON string array into a NULL-terminated list in the arena; 1 (and a 400) on a bad value. */
static int str_array(lc__api_ctx *x, const lc__json *v, const char *name, const char ***out)
{
	const char **list;
	size_t i = 0;

	if (v->type != LC__J_ARRAY)
		return bad(x, 400, "Invalid value for '%s': an array of strings is expected.", name);
	list = lc__arena_alloc(x->arena, (v->count + 1) * sizeof(*list));
	if (list == NULL)
		return bad(x, 500, "%s: out of memory", name);
	for (const lc__json *m = v->child; m; m = m->next) {
		if (m->type != LC__J_STRING)
			return bad(x, 400, "Invalid value for '%s': an array of strings is expected.", name);
		list[i++] = m->s;
	}
	list[i] = NULL;
	*out = list;
	return 0;
}

/* Set one attribute of opts from a JSON value; 1 (with a response) on a bad value, -1 if not an attribute. */
static int set_attr(lc__api_ctx *x, lc_image_opts *o, const char *key, const lc__json *v, int create)
{
	static const char *const strs[] = { "name", "disk_format", "container_format", "visibility", "owner", "id",
					    NULL };

	if (in(strs, key)) {
		const char *s;

		if (v->type == LC__J_NULL && (!strcmp(key, "name") || !strcmp(key, "disk_format") ||
					      !strcmp(key, "container_format")))
			s = !strcmp(key, "name") ? "" : NULL;
		else if (v->type != LC__J_STRING)
			return bad(x, 400, "Invalid value for '%s': a string is expected.", key);
		else
			s = v->s;
		if (!strcmp(key, "name"))
			o->name = s;
		else if (!strcmp(key, "disk_format"))
			o->disk_format = s;
		else if (!strcmp(key, "container_format"))
			o->container_format = s;
		else if (!strcmp(key, "visibility"))
			o->visibility = s;
		else if (!create)
			return bad(x, 403, "Attribute '%s' is read-only.", key);
		else if (!strcmp(key, "owner"))
			o->owner = s;
		else
			o->id = s;
		return 0;
	}
	if (!strcmp(key, "protected") || !strcmp(key, "os_hidden")) {
		if (v->type != LC__J_BOOL)
			return bad(x, 400, "Invalid value for '%s': a boolean is expected.", key);
		if (!strcmp(key, "protected"))
			o->is_protected = v->b;
		else
			o->os_hidden = v->b;
		return 0;
	}
	if (!strcmp(key, "min_ram") || !strcmp(key, "min_disk")) {
		if (v->type != LC__J_INT || v->i < 0)
			return bad(x, 400, "Invalid value for '%s': a non-negative integer is expected.", key);
		if (!strcmp(key, "min_ram"))
			o->min_ram_mib = v->i;
		else
			o->min_disk_gib = v->i;
		return 0;
	}
	if (!strcmp(key, "tags"))
		return str_array(x, v, key, (const char ***)&o->tags);
	if (gl_read_only(key))
		return bad(x, 403, "Attribute '%s' is read-only.", key);
	return -1;
}

int gl_image_create(lc__api_ctx *x)
{
	const lc__json *body;
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	const char **props;
	size_t np = 0;
	lc_image *img = NULL;
	int rc;

	if (lc__req_json(x, &body) != 0)
		return 0;
	props = lc__arena_alloc(x->arena, (2 * body->count + 1) * sizeof(*props));
	if (props == NULL)
		return LC_ENOMEM;
	for (const lc__json *m = body->child; m; m = m->next) {
		rc = set_attr(x, &o, m->key, m, 1);
		if (rc > 0)
			return 0;
		if (rc == 0)
			continue;
		if (m->type != LC__J_STRING) {
			lc__api_error(x, 400, "Invalid value for '%.64s': additional properties must be strings.", m->key);
			return 0;
		}
		props[np++] = m->key;
		props[np++] = m->s;
	}
	props[np] = NULL;
	if (np)
		o.properties = props;
	rc = lc_image_create(&img, x->session, &o);
	if (rc < 0)
		return rc;
	lc__resp_set_header(x->resp, "Location",
			    lc__arena_printf(x->arena, "%s/image/v2/images/%s", x->base, lc_image_id(img)));
	lc__resp_set_header(x->resp, "OpenStack-image-import-methods", "web-download");
	return gl_reply_image(x, img, 201);
}

int gl_image_get(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	lc_image *img = NULL;
	int rc = lc_image_get(&img, x->session, id);

	if (rc < 0)
		return gl_lookup_rc(rc, "image", id);
	return gl_reply_image(x, img, 200);
}

/* ---- JSON patch ---- */

/* Decode a JSON pointer "/a~1b" into "a/b"; NULL if it is not one segment. */
static const char *pointer(lc__api_ctx *x, const char *p)
{
	char *o, *w;

	if (p == NULL || p[0] != '/' || p[1] == '\0')
		return NULL;
	o = w = lc__arena_strndup(x->arena, p + 1, strlen(p + 1));
	if (o == NULL)
		return NULL;
	for (const char *r = p + 1; *r; r++) {
		if (*r == '/')
			return NULL;
		if (*r == '~' && (r[1] == '0' || r[1] == '1')) {
			*w++ = r[1] == '0' ? '~' : '/';
			r++;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return o;
}

static int patch_type_ok(const char *ct)
{
	return ct != NULL && (!strncasecmp(ct, "application/openstack-images-v2.1-json-patch", 44) ||
			      !strncasecmp(ct, "application/openstack-images-v2.0-json-patch", 44));
}

int gl_image_patch(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	const char *body;
	size_t len, np = 0, nr = 0;
	char err[256];
	lc__json *ops;
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	lc_image *cur = NULL, *img = NULL;
	const char **props, **removes;
	int rc;

	rc = lc_image_get(&cur, x->session, id);
	if (rc < 0)
		return gl_lookup_rc(rc, "image", id);
	if (!patch_type_ok(lc__req_header(x, "Content-Type"))) {
		lc_image_free(cur);
		lc__api_error(x, 415, "Content-Type must be application/openstack-images-v2.1-json-patch.");
		return 0;
	}
	if (lc__req_body(x, &body, &len, x->api->max_json_bytes) != 0) {
		lc_image_free(cur);
		return 0;
	}
	rc = lc__json_parse(&ops, x->arena, body, len, x->api->max_json_depth, err, sizeof(err));
	if (rc < 0 || ops->type != LC__J_ARRAY) {
		lc_image_free(cur);
		lc__api_error(x, 400, "%s", rc < 0 ? err : "The request body must be a JSON array of operations.");
		return 0;
	}
	props = lc__arena_alloc(x->arena, (2 * ops->count + 1) * sizeof(*props));
	removes = lc__arena_alloc(x->arena, (ops->count + 1) * sizeof(*removes));
	if (props == NULL || removes == NULL) {
		lc_image_free(cur);
		return LC_ENOMEM;
	}
	for (const lc__json *op = ops->child; op; op = op->next) {
		const char *name = NULL, *path = NULL;
		const lc__json *value;

		if (op->type == LC__J_OBJECT && lc__json_get(op, "op")) { /* v2.1 */
			const lc__json *n = lc__json_get(op, "op"), *p = lc__json_get(op, "path");
			name = n->type == LC__J_STRING ? n->s : NULL;
			path = p && p->type == LC__J_STRING ? p->s : NULL;
		} else if (op->type == LC__J_OBJECT) { /* v2.0: {"replace": "/name", "value": ...} */
			static const char *const names[] = { "add", "replace", "remove" };
			for (size_t i = 0; i < 3; i++) {
				const lc__json *p = lc__json_get(op, names[i]);
				if (p && p->type == LC__J_STRING) {
					name = names[i];
					path = p->s;
				}
			}
		}
		value = op->type == LC__J_OBJECT ? lc__json_get(op, "value") : NULL;
		if (name == NULL || (strcmp(name, "add") && strcmp(name, "replace") && strcmp(name, "remove"))) {
			lc_image_free(cur);
			lc__api_error(x, 400, "Unable to find a supported operation ('add', 'replace' or 'remove').");
			return 0;
		}
		path = pointer(x, path);
		if (path == NULL) {
			lc_image_free(cur);
			lc__api_error(x, 400, "Invalid JSON pointer for this resource.");
			return 0;
		}
		if (strcmp(name, "remove") != 0 && value == NULL) {
			lc_image_free(cur);
			lc__api_error(x, 400, "Operation objects must contain a \"value\" member.");
			return 0;
		}
		if (!strcmp(name, "remove")) {
			if (!strcmp(path, "tags")) {
				static const char *const none[] = { NULL };
				o.tags = none;
				continue;
			}
			if (gl_read_only(path) || lc_image_property(cur, path) == NULL) {
				static const char *const core[] = { "id", "name", "visibility", "protected", "os_hidden",
								    "min_ram", "min_disk", "disk_format",
								    "container_format", "owner", NULL };
				if (in(core, path) || gl_read_only(path)) {
					lc_image_free(cur);
					lc__api_error(x, 403, "Attribute '%.64s' is read-only or cannot be removed.", path);
					return 0;
				}
			}
			removes[nr++] = path;
			continue;
		}
		rc = set_attr(x, &o, path, value, 0);
		if (rc > 0) {
			lc_image_free(cur);
			return 0;
		}
		if (rc == 0)
			continue;
		if (value->type != LC__J_STRING) {
			lc_image_free(cur);
			lc__api_error(x, 400, "Invalid value for '%.64s': properties must be strings.", path);
			return 0;
		}
		if (!strcmp(name, "replace") && lc_image_property(cur, path) == NULL) {
			lc_image_free(cur);
			lc__api_error(x, 409, "Property %.64s does not exist.", path);
			return 0;
		}
		props[np++] = path;
		props[np++] = value->s;
	}
	lc_image_free(cur);
	props[np] = NULL;
	removes[nr] = NULL;
	if (np)
		o.properties = props;
	if (nr)
		o.remove_properties = removes;
	rc = lc_image_update(&img, x->session, id, &o);
	if (rc < 0)
		return rc;
	return gl_reply_image(x, img, 200);
}

int gl_image_delete(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	int rc = lc_image_delete(x->session, id, 0);

	if (rc == LC_EINVALID || rc == LC_ENOTFOUND)
		return gl_lookup_rc(rc, "image", id);
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 204);
}

static int action(lc__api_ctx *x, int (*fn)(lc_session *, const char *, unsigned int))
{
	const char *id = lc__req_param(x, 0);
	int rc = fn(x->session, id, 0);

	if (rc == LC_EINVALID || rc == LC_ENOTFOUND)
		return gl_lookup_rc(rc, "image", id);
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 204);
}

int gl_image_deactivate(lc__api_ctx *x)
{
	return action(x, lc_image_deactivate);
}

int gl_image_reactivate(lc__api_ctx *x)
{
	return action(x, lc_image_reactivate);
}

static int tag_change(lc__api_ctx *x, int add)
{
	const char *id = lc__req_param(x, 0);
	const char *tag[] = { lc__req_param(x, 1), NULL };
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	int rc;

	if (add)
		o.add_tags = tag;
	else
		o.remove_tags = tag;
	rc = lc_image_update(NULL, x->session, id, &o);
	if (rc == LC_ENOTFOUND && !add && strstr(lc_error_last()->message, "no tag"))
		return rc;
	if (rc == LC_EINVALID && strstr(lc_error_last()->message, "tag"))
		return rc;
	if (rc == LC_EINVALID || rc == LC_ENOTFOUND)
		return gl_lookup_rc(rc, "image", id);
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 204);
}

int gl_tag_put(lc__api_ctx *x)
{
	return tag_change(x, 1);
}

int gl_tag_delete(lc__api_ctx *x)
{
	return tag_change(x, 0);
}
