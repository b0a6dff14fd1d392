/* Neutron helpers: request bodies, listing (filters, fields, sorting, paging), rendering. */
#include "api/neutron/neutron.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/error.h"

/* ---- bodies ---- */

static int bool_text(const char *s, int *b)
{
	if (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0) {
		*b = 1;
		return 0;
	}
	if (strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0) {
		*b = 0;
		return 0;
	}
	return -1;
}

static int int_text(const char *s, int64_t *v)
{
	char *end;

	if (*s == '\0')
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return *end != '\0' || errno ? -1 : 0;
}

static int type_ok(const lc__json *v, nt_type t)
{
	int b;
	int64_t i;

	switch (t) {
	case NT_STR: return v->type == LC__J_STRING;
	case NT_STR_NULL: return v->type == LC__J_STRING || v->type == LC__J_NULL;
	case NT_BOOL: return v->type == LC__J_BOOL || (v->type == LC__J_STRING && bool_text(v->s, &b) == 0);
	case NT_INT: return v->type == LC__J_INT || (v->type == LC__J_STRING && int_text(v->s, &i) == 0);
	case NT_INT_NULL: return v->type == LC__J_NULL || type_ok(v, NT_INT);
	case NT_LIST: return v->type == LC__J_ARRAY;
	case NT_OBJ: return v->type == LC__J_OBJECT;
	case NT_ANY: return 1;
	}
	return 0;
}

static const char *type_text(nt_type t)
{
	switch (t) {
	case NT_STR: return "a string";
	case NT_STR_NULL: return "a string or null";
	case NT_BOOL: return "a boolean";
	case NT_INT: return "an integer";
	case NT_INT_NULL: return "an integer or null";
	case NT_LIST: return "a list";
	case NT_OBJ: return "a dictionary";
	case NT_ANY: return "a value";
	}
	return "a value";
}

const lc__json *nt_body(lc__api_ctx *x, const char *key, const nt_attr *attrs, size_t n, int create)
{
	const lc__json *body, *o;

	if (lc__req_json(x, &body) != 0)
		return NULL;
	o = lc__json_get(body, key);
	if (o == NULL || o->type != LC__J_OBJECT) {
		lc__api_error(x, 400, "Unable to find '%s' in request body", key);
		return NULL;
	}
	for (const lc__json *m = o->child; m != NULL; m = m->next) {
		const nt_attr *f = NULL;

		for (size_t i = 0; i < n; i++)
			if (strcmp(attrs[i].name, m->key) == 0)
				f = &attrs[i];
		if (f == NULL) {
			lc__api_error(x, 400, "Unrecognized attribute(s) '%.64s'", m->key);
			return NULL;
		}
		if (create && !(f->flags & NT_POST)) {
			lc__api_error(x, 400, "Attribute '%s' not allowed in POST", f->name);
			return NULL;
		}
		if (!create && !(f->flags & NT_PUT)) {
			lc__api_error(x, 400, "Cannot update read-only attribute %s", f->name);
			return NULL;
		}
		if (!type_ok(m, f->type)) {
			lc__api_error(x, 400, "Invalid input for %s. Reason: %s is not %s.", f->name, lc__json_type_name(m->type),
				      type_text(f->type));
			return NULL;
		}
	}
	for (size_t i = 0; create && i < n; i++) {
		if ((attrs[i].flags & NT_REQUIRED) && lc__json_get(o, attrs[i].name) == NULL) {
			lc__api_error(x, 400, "Failed to parse request. Required attribute '%s' not specified", attrs[i].name);
			return NULL;
		}
	}
	return o;
}

const char *nt_str(const lc__json *o, const char *key)
{
	const lc__json *v = lc__json_get(o, key);

	if (v == NULL)
		return NULL;
	if (v->type == LC__J_NULL)
		return "";
	return v->type == LC__J_STRING ? v->s : NULL;
}

int nt_bool(const lc__json *o, const char *key)
{
	const lc__json *v = lc__json_get(o, key);
	int b;

	if (v == NULL)
		return LC_UNSET;
	if (v->type == LC__J_BOOL)
		return v->b;
	if (v->type == LC__J_STRING && bool_text(v->s, &b) == 0)
		return b;
	return LC_UNSET;
}

int64_t nt_int(const lc__json *o, const char *key, int64_t def)
{
	const lc__json *v = lc__json_get(o, key);
	int64_t i;

	if (v == NULL || v->type == LC__J_NULL)
		return def;
	if (v->type == LC__J_INT)
		return v->i;
	if (v->type == LC__J_STRING && int_text(v->s, &i) == 0)
		return i;
	return def;
}

int nt_has(const lc__json *o, const char *key)
{
	return lc__json_get(o, key) != NULL;
}

int nt_project(lc__api_ctx *x, const lc__json *o, const char **out)
{
	const char *p = nt_str(o, "project_id"), *t = nt_str(o, "tenant_id");

	if (p && t && strcmp(p, t) != 0) {
		lc__api_error(x, 400, "'project_id' and 'tenant_id' do not match");
		return 1;
	}
	*out = p ? p : t;
	if (*out && **out == '\0')
		*out = NULL;
	return 0;
}

int nt_strv(lc__api_ctx *x, const lc__json *o, const char *key, const char *const **out)
{
	const lc__json *v = lc__json_get(o, key);
	const char **vec;
	size_t i = 0;

	*out = NULL;
	if (v == NULL || v->type == LC__J_NULL) {
		if (v && v->type == LC__J_NULL) {
			vec = lc__arena_alloc(x->arena, sizeof(*vec));
			if (vec == NULL)
				return lc__api_error(x, 500, "out of memory"), 1;
			vec[0] = NULL;
			*out = vec;
		}
		return 0;
	}
	vec = lc__arena_alloc(x->arena, (v->count + 1) * sizeof(*vec));
	if (vec == NULL)
		return lc__api_error(x, 500, "out of memory"), 1;
	for (const lc__json *m = v->child; m; m = m->next) {
		if (m->type != LC__J_STRING) {
			lc__api_error(x, 400, "Invalid input for %s. Reason: %s is not a string.", key,
				      lc__json_type_name(m->type));
			return 1;
		}
		vec[i++] = m->s;
	}
	vec[i] = NULL;
	*out = vec;
	return 0;
}

int nt_pairs(lc__api_ctx *x, const lc__json *o, const char *key, const char *k1, const char *k2,
	     const char *const **out)
{
	const lc__json *v = lc__json_get(o, key);
	const char **vec;
	size_t i = 0;

	*out = NULL;
	if (v == NULL)
		return 0;
	vec = lc__arena_alloc(x->arena, (2 * (v->type == LC__J_ARRAY ? v->count : 0) + 1) * sizeof(*vec));
	if (vec == NULL)
		return lc__api_error(x, 500, "out of memory"), 1;
	for (const lc__json *m = v->type == LC__J_ARRAY ? v->child : NULL; m; m = m->next) {
		const lc__json *a, *b;

		if (m->type != LC__J_OBJECT) {
			lc__api_error(x, 400, "Invalid input for %s. Reason: %s is not a dictionary.", key,
				      lc__json_type_name(m->type));
			return 1;
		}
		for (const lc__json *f = m->child; f; f = f->next) {
			if (strcmp(f->key, k1) != 0 && strcmp(f->key, k2) != 0) {
				lc__api_error(x, 400, "Invalid input for %s. Reason: unexpected key '%.64s'.", key, f->key);
				return 1;
			}
		}
		a = lc__json_get(m, k1);
		b = lc__json_get(m, k2);
		if ((a && a->type != LC__J_STRING) || (b && b->type != LC__J_STRING)) {
			lc__api_error(x, 400, "Invalid input for %s. Reason: %s and %s must be strings.", key, k1, k2);
			return 1;
		}
		vec[i++] = a ? a->s : "";
		vec[i++] = b ? b->s : "";
	}
	vec[i] = NULL;
	*out = vec;
	return 0;
}

int nt_lookup_rc(int rc, const char *what, const char *id)
{
	if (rc == LC_EINVALID || rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "%s %.80s could not be found.", what, id);
	return rc;
}

int nt_is_admin(const lc__api_ctx *x)
{
	return x->session != NULL && lc_session_has_role(x->session, "admin");
}

const char *nt_booltext(int b)
{
	return b ? "true" : "false";
}

/* ---- output ---- */

int nt_want(const nt_out *o, const char *k)
{
	if (o->nfields == 0)
		return 1;
	for (size_t i = 0; i < o->nfields; i++)
		if (strcmp(o->fields[i], k) == 0)
			return 1;
	return 0;
}

void nt_kstr(nt_out *o, const char *k, const char *v)
{
	if (nt_want(o, k))
		lc__gen_kstr(o->g, k, v);
}

void nt_kbool(nt_out *o, const char *k, int v)
{
	if (nt_want(o, k))
		lc__gen_kbool(o->g, k, v);
}

void nt_kint(nt_out *o, const char *k, int64_t v)
{
	if (nt_want(o, k))
		lc__gen_kint(o->g, k, v);
}

void nt_knull(nt_out *o, const char *k)
{
	if (nt_want(o, k))
		lc__gen_knull(o->g, k);
}

void nt_ktime(nt_out *o, const char *k, int64_t us)
{
	char buf[40];
	struct tm tm;
	time_t t = (time_t)(us / 1000000);

	if (!nt_want(o, k))
		return;
	if (gmtime_r(&t, &tm) == NULL) {
		lc__gen_knull(o->g, k);
		return;
	}
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	lc__gen_kstr(o->g, k, buf);
}

void nt_kempty_list(nt_out *o, const char *k)
{
	if (!nt_want(o, k))
		return;
	lc__gen_karray(o->g, k);
	lc__gen_end_array(o->g);
}

void nt_kempty_map(nt_out *o, const char *k)
{
	if (!nt_want(o, k))
		return;
	lc__gen_kmap(o->g, k);
	lc__gen_end_map(o->g);
}

int nt_klist(nt_out *o, const char *k)
{
	if (!nt_want(o, k))
		return 0;
	lc__gen_karray(o->g, k);
	return 1;
}

void nt_common(nt_out *o, const char *id, const char *project_id, int64_t created, int64_t updated, int64_t revision)
{
	nt_kstr(o, "id", id);
	nt_kstr(o, "project_id", project_id ? project_id : "");
	nt_kstr(o, "tenant_id", project_id ? project_id : "");
	nt_ktime(o, "created_at", created);
	nt_ktime(o, "updated_at", updated);
	nt_kint(o, "revision_number", revision);
}

void nt_tags(nt_out *o, size_t n, const char *(*tag)(const void *, size_t), const void *obj)
{
	if (!nt_klist(o, "tags"))
		return;
	for (size_t i = 0; i < n; i++)
		lc__gen_str(o->g, tag(obj, i));
	lc__gen_end_array(o->g);
}

/* ---- listing ---- */

static int reserved_query(const char *k)
{
	static const char *const r[] = { "fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse", NULL };

	for (int i = 0; r[i]; i++)
		if (strcmp(r[i], k) == 0)
			return 1;
	return 0;
}

static int value_matches(const char *have, const char *want)
{
	int a, b;

	if (have == NULL)
		return *want == '\0';
	if (strcmp(have, want) == 0)
		return 1;
	if ((strcmp(have, "true") == 0 || strcmp(have, "false") == 0) && bool_text(want, &b) == 0 &&
	    bool_text(have, &a) == 0)
		return a == b;
	return 0;
}

/* tags=a,b (all), tags-any=a,b, not-tags=a,b, not-tags-any=a,b: 1/0, or -1 when key is not one of them. */
static int tag_filter(const nt_kind *k, const void *obj, const char *key, const char *value)
{
	int any, neg, all = 1, some = 0;
	const char *p;

	if (!strcmp(key, "tags"))
		any = 0, neg = 0;
	else if (!strcmp(key, "tags-any"))
		any = 1, neg = 0;
	else if (!strcmp(key, "not-tags"))
		any = 0, neg = 1;
	else if (!strcmp(key, "not-tags-any"))
		any = 1, neg = 1;
	else
		return -1;
	if (k->tag_count == NULL)
		return -1;
	if (obj == NULL)
		return 0;
	for (p = value; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int has = 0;

		for (size_t i = 0; i < k->tag_count(obj) && !has; i++)
			has = strlen(k->tag(obj, i)) == len && strncmp(k->tag(obj, i), p, len) == 0;
		all &= has;
		some |= has;
		p = end ? end + 1 : NULL;
	}
	return neg ? !(any ? some : all) : (any ? some : all);
}

/* A filter that is not a scalar attribute's: 1/0 for obj, or -1 when the kind has no such filter. */
static int list_filter(const nt_kind *k, const void *obj, const char *key, const char *value)
{
	int rc = tag_filter(k, obj, key, value);

	if (rc < 0 && k->match)
		rc = k->match(obj, key, value);
	return rc;
}

/* Every filter key is matched by one of its values (repeated keys mean OR). */
static int keep(lc__api_ctx *x, const nt_kind *k, const void *obj)
{
	for (size_t i = 0; i < x->nq; i++) {
		const char *key = x->qkeys[i];
		char buf[64];
		const char *have = NULL;
		int ok = 0, seen = 0;

		if (reserved_query(key))
			continue;
		for (size_t j = 0; j < i; j++)
			seen |= strcmp(x->qkeys[j], key) == 0;
		if (seen)
			continue; /* this key was decided with its first occurrence */
		if (list_filter(k, NULL, key, NULL) >= 0) {
			for (size_t j = i; j < x->nq && !ok; j++)
				if (strcmp(x->qkeys[j], key) == 0)
					ok = list_filter(k, obj, key, x->qvals[j]) > 0;
			if (!ok)
				return 0;
			continue;
		}
		k->attr(obj, key, buf, &have);
		for (size_t j = i; j < x->nq && !ok; j++)
			if (strcmp(x->qkeys[j], key) == 0)
				ok = value_matches(have, x->qvals[j]);
		if (!ok)
			return 0;
	}
	return 1;
}

struct sort_item {
	void *obj;
	char key[64];
	const char *text;
};

static int cmp_items(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	int64_t i, j;

	if (x->text == NULL || y->text == NULL)
		return (x->text != NULL) - (y->text != NULL);
	if (int_text(x->text, &i) == 0 && int_text(y->text, &j) == 0)
		return i < j ? -1 : i > j;
	return strcmp(x->text, y->text);
}

int nt_list(lc__api_ctx *x, const nt_kind *k)
{
	const char *limit_s = lc__req_query(x, "limit"), *marker = lc__req_query(x, "marker");
	const char *sort_key = lc__req_query(x, "sort_key"), *sort_dir = lc__req_query(x, "sort_dir");
	unsigned long limit = 0;
	struct sort_item *items = NULL;
	size_t n = 0, cap = 0, start = 0, end;
	void *it = NULL, *obj = NULL;
	nt_out o = { x, NULL, NULL, 0 };
	char buf[64];
	const char *dummy;
	int rc, desc = sort_dir && strcmp(sort_dir, "desc") == 0;

	for (size_t i = 0; i < x->nq; i++) {
		if (reserved_query(x->qkeys[i]))
			continue;
		if (list_filter(k, NULL, x->qkeys[i], NULL) >= 0)
			continue;
		if (!k->attr(NULL, x->qkeys[i], buf, &dummy)) {
			lc__api_error(x, 400, "%.64s is invalid attribute for filtering", x->qkeys[i]);
			return 0;
		}
	}
	if (sort_key && !k->attr(NULL, sort_key, buf, &dummy)) {
		lc__api_error(x, 400, "%.64s is invalid attribute for sort_key", sort_key);
		return 0;
	}
	if (sort_dir && strcmp(sort_dir, "asc") && strcmp(sort_dir, "desc")) {
		lc__api_error(x, 400, "%.16s is an invalid value for sort_dir", sort_dir);
		return 0;
	}
	if (limit_s) {
		char *e;

		errno = 0;
		limit = strtoul(limit_s, &e, 10);
		if (*limit_s < '0' || *limit_s > '9' || *e || errno || limit > 100000) {
			lc__api_error(x, 400, "Bad limit request: limit must be an integer 0 or greater and not '%.32s'", limit_s);
			return 0;
		}
	}
	for (size_t i = 0; i < x->nq; i++) {
		if (strcmp(x->qkeys[i], "fields") != 0)
			continue;
		if (o.fields == NULL && (o.fields = lc__arena_alloc(x->arena, x->nq * sizeof(*o.fields))) == NULL)
			return LC_ENOMEM;
		o.fields[o.nfields++] = x->qvals[i];
	}
	if ((rc = k->iter_new(&it, x->session, NULL)) < 0)
		return rc;
	while ((rc = k->iter_next(&obj, it)) == 0) {
		if (!keep(x, k, obj)) {
			k->free(obj);
			continue;
		}
		if (n == cap) {
			struct sort_item *m = realloc(items, (cap ? 2 * cap : 32) * sizeof(*items));

			if (m == NULL) {
				k->free(obj);
				rc = lc__error_set(LC_ENOMEM, "out of memory");
				break;
			}
			items = m;
			cap = cap ? 2 * cap : 32;
		}
		items[n].obj = obj;
		items[n].text = NULL;
		if (sort_key)
			k->attr(obj, sort_key, items[n].key, &items[n].text);
		n++;
	}
	k->iter_free(it);
	if (rc == LC_ITEROVER)
		rc = 0;
	if (rc == 0 && sort_key) {
		qsort(items, n, sizeof(*items), cmp_items);
	}
	if (rc == 0 && desc) {
		for (size_t i = 0; i < n / 2; i++) {
			struct sort_item t = items[i];

			items[i] = items[n - 1 - i];
			items[n - 1 - i] = t;
		}
	}
	if (rc == 0 && marker) {
		size_t i;

		for (i = 0; i < n && strcmp(k->id(items[i].obj), marker) != 0; i++)
			;
		start = i < n ? i + 1 : n;
	}
	end = limit && start + limit < n ? start + limit : n;
	if (rc == 0 && (o.g = lc__json_begin(x)) == NULL)
		rc = LC_ENOMEM;
	if (rc == 0) {
		yajl_gen_map_open(o.g);
		lc__gen_karray(o.g, k->coll);
		for (size_t i = start; i < end; i++) {
			yajl_gen_map_open(o.g);
			k->gen(&o, items[i].obj);
			yajl_gen_map_close(o.g);
		}
		yajl_gen_array_close(o.g);
		if (limit && end < n) {
			char *links = lc__arena_printf(x->arena, "%s_links", k->coll);
			char *href = lc__arena_printf(x->arena, "%s%s?limit=%lu&marker=%s", x->base, k->path, limit,
						      k->id(items[end - 1].obj));

			lc__gen_karray(o.g, links);
			yajl_gen_map_open(o.g);
			lc__gen_kstr(o.g, "rel", "next");
			lc__gen_kstr(o.g, "href", href);
			yajl_gen_map_close(o.g);
			yajl_gen_array_close(o.g);
		}
		yajl_gen_map_close(o.g);
	}
	for (size_t i = 0; i < n; i++)
		k->free(items[i].obj);
	free(items);
	if (rc < 0) {
		if (o.g)
			yajl_gen_free(o.g);
		return rc;
	}
	return lc__json_end(x, o.g, 200);
}

int nt_reply(lc__api_ctx *x, const nt_kind *k, void *obj, int status)
{
	nt_out o = { x, lc__json_begin(x), NULL, 0 };

	if (o.g == NULL) {
		k->free(obj);
		return LC_ENOMEM;
	}
	for (size_t i = 0; i < x->nq; i++) {
		if (strcmp(x->qkeys[i], "fields") != 0)
			continue;
		if (o.fields == NULL && (o.fields = lc__arena_alloc(x->arena, x->nq * sizeof(*o.fields))) == NULL) {
			k->free(obj);
			yajl_gen_free(o.g);
			return LC_ENOMEM;
		}
		o.fields[o.nfields++] = x->qvals[i];
	}
	yajl_gen_map_open(o.g);
	lc__gen_kmap(o.g, k->one);
	k->gen(&o, obj);
	lc__gen_end_map(o.g);
	yajl_gen_map_close(o.g);
	k->free(obj);
	return lc__json_end(x, o.g, status);
}

int nt_show(lc__api_ctx *x, const nt_kind *k)
{
	const char *id = lc__req_param(x, 0);
	void *obj = NULL;
	int rc = k->get(&obj, x->session, id);

	if (rc < 0)
		return nt_lookup_rc(rc, k->one, id);
	return nt_reply(x, k, obj, 200);
}

int nt_delete(lc__api_ctx *x, const nt_kind *k)
{
	const char *id = lc__req_param(x, 0);
	int rc = k->del(x->session, id, 0);

	if (rc == LC_ENOTFOUND || rc == LC_EINVALID)
		return nt_lookup_rc(rc, k->what ? k->what : k->one, id);
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 204);
}

int nt_create(lc__api_ctx *x, const nt_kind *k)
{
	const lc__json *o = nt_body(x, k->one, k->attrs, k->nattrs, 1);
	void *obj = NULL;
	int rc;

	if (o == NULL)
		return 0;
	if ((rc = k->create(&obj, x, o)) != 0)
		return rc > 0 ? 0 : rc;
	return nt_reply(x, k, obj, 201);
}

int nt_update(lc__api_ctx *x, const nt_kind *k)
{
	const char *id = lc__req_param(x, 0);
	const lc__json *o;
	void *obj = NULL;
	int rc;

	if ((rc = nt_exists(x, k, id)) < 0)
		return rc;
	if ((o = nt_body(x, k->one, k->attrs, k->nattrs, 0)) == NULL)
		return 0;
	if ((rc = k->update(&obj, x, id, o)) != 0)
		return rc > 0 ? 0 : rc;
	return nt_reply(x, k, obj, 200);
}

int nt_exists(lc__api_ctx *x, const nt_kind *k, const char *id)
{
	void *obj = NULL;
	int rc = k->get(&obj, x->session, id);

	if (rc < 0)
		return nt_lookup_rc(rc, k->one, id);
	k->free(obj);
	return 0;
}
