/* Neutron tags: /<collection>/{id}/tags and /<collection>/{id}/tags/{tag}, through each resource's update. */
#include "api/neutron/neutron.h"

#include <string.h>

#include "core/error.h"

static const nt_kind *const kinds[] = {
	&nt_network_kind, &nt_subnet_kind, &nt_port_kind, &nt_router_kind, &nt_fip_kind, &nt_sg_kind,
};

/* The kind whose collection is the path's third segment (/network/v2.0/<collection>/...). */
static const nt_kind *kind_of(const lc__api_ctx *x)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *p = kinds[i]->path + strlen("/network/v2.0/");

		if (x->nseg > 2 && strcmp(x->segs[2], p) == 0)
			return kinds[i];
	}
	return NULL;
}

/* Load the resource and copy its tags into a NULL-terminated vector with room for one more. */
static int load(lc__api_ctx *x, const nt_kind **kout, const char ***tags, size_t *n)
{
	const nt_kind *k = kind_of(x);
	const char *id = lc__req_param(x, 0);
	void *obj = NULL;
	int rc;

	if (k == NULL || k->set_tags == NULL)
		return lc__error_set(LC_ENOTFOUND, "The resource could not be found.");
	if ((rc = k->get(&obj, x->session, id)) < 0)
		return nt_lookup_rc(rc, k->one, id);
	*n = k->tag_count(obj);
	*tags = lc__arena_alloc(x->arena, (*n + 2) * sizeof(**tags));
	if (*tags == NULL) {
		k->free(obj);
		return LC_ENOMEM;
	}
	for (size_t i = 0; i < *n; i++)
		(*tags)[i] = lc__arena_printf(x->arena, "%s", k->tag(obj, i));
	(*tags)[*n] = NULL;
	k->free(obj);
	*kout = k;
	return 0;
}

static int reply_tags(lc__api_ctx *x, const char *const *tags, size_t n)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_karray(g, "tags");
	for (size_t i = 0; i < n; i++)
		lc__gen_str(g, tags[i]);
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

static long find(const char *const *tags, size_t n, const char *tag)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(tags[i], tag) == 0)
			return (long)i;
	return -1;
}

int nt_tags_get(lc__api_ctx *x)
{
	const nt_kind *k;
	const char **tags;
	size_t n;
	int rc = load(x, &k, &tags, &n);

	return rc < 0 ? rc : reply_tags(x, tags, n);
}

int nt_tags_put_all(lc__api_ctx *x)
{
	const nt_kind *k;
	const char **tags;
	const char *const *want = NULL;
	const lc__json *body;
	size_t n;
	int rc = load(x, &k, &tags, &n);

	if (rc < 0)
		return rc;
	if (lc__req_json(x, &body) != 0)
		return 0;
	if (lc__json_get(body, "tags") == NULL || lc__json_get(body, "tags")->type != LC__J_ARRAY) {
		lc__api_error(x, 400, "Invalid input: the body must be {\"tags\": [...]}");
		return 0;
	}
	if (nt_strv(x, body, "tags", &want) != 0)
		return 0;
	if ((rc = k->set_tags(x->session, lc__req_param(x, 0), want)) < 0)
		return rc;
	n = 0;
	while (want[n])
		n++;
	return reply_tags(x, want, n);
}

int nt_tags_delete_all(lc__api_ctx *x)
{
	static const char *const none[] = { NULL };
	const nt_kind *k;
	const char **tags;
	size_t n;
	int rc = load(x, &k, &tags, &n);

	if (rc == 0)
		rc = k->set_tags(x->session, lc__req_param(x, 0), none);
	return rc < 0 ? rc : lc__reply_empty(x, 204);
}

int nt_tag_check(lc__api_ctx *x)
{
	const nt_kind *k;
	const char **tags;
	size_t n;
	int rc = load(x, &k, &tags, &n);

	if (rc < 0)
		return rc;
	if (find(tags, n, lc__req_param(x, 1)) < 0)
		return lc__error_set(LC_ENOTFOUND, "Tag %.64s could not be found.", lc__req_param(x, 1));
	return lc__reply_empty(x, 204);
}

int nt_tag_put(lc__api_ctx *x)
{
	const nt_kind *k;
	const char **tags;
	size_t n;
	int rc = load(x, &k, &tags, &n);

	if (rc < 0)
		return rc;
	if (find(tags, n, lc__req_param(x, 1)) < 0) {
		tags[n] = lc__req_param(x, 1);
		tags[n + 1] = NULL;
		if ((rc = k->set_tags(x->session, lc__req_param(x, 0), tags)) < 0)
			return rc;
	}
	return lc__reply_empty(x, 201);
}

int nt_tag_delete(lc__api_ctx *x)
{
	const nt_kind *k;
	const char **tags;
	size_t n;
	long at;
	int rc = load(x, &k, &tags, &n);

	if (rc < 0)
		return rc;
	if ((at = find(tags, n, lc__req_param(x, 1))) < 0)
		return lc__error_set(LC_ENOTFOUND, "Tag %.64s could not be found.", lc__req_param(x, 1));
	memmove(&tags[at], &tags[at + 1], (n - (size_t)at) * sizeof(*tags));
	if ((rc = k->set_tags(x->session, lc__req_param(x, 0), tags)) < 0)
		return rc;
	return lc__reply_empty(x, 204);
}
