/* Nova: version discovery, flavors (extra specs, access) and key pairs. */
#include "api/nova/nova.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

/* ---- discovery ---- */

static void gen_version(lc__api_ctx *x, yajl_gen g, const char *id, const char *status, const char *path,
			const char *version, const char *min)
{
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "id", id);
	lc__gen_kstr(g, "status", status);
	lc__gen_kstr(g, "version", version);
	lc__gen_kstr(g, "min_version", min);
	lc__gen_kstr(g, "updated", "2013-07-23T11:33:21Z");
	lc__gen_karray(g, "links");
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "rel", "self");
	lc__gen_kstr(g, "href", lc__arena_printf(x->arena, "%s/compute/%s/", x->base, path));
	yajl_gen_map_close(g);
	if (strcmp(id, "v2.1") == 0) {
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "rel", "describedby");
		lc__gen_kstr(g, "type", "text/html");
		lc__gen_kstr(g, "href", "http://docs.openstack.org/");
		yajl_gen_map_close(g);
	}
	lc__gen_end_array(g);
	lc__gen_karray(g, "media-types");
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "base", "application/json");
	lc__gen_kstr(g, "type", "application/vnd.openstack.compute+json;version=2.1");
	yajl_gen_map_close(g);
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
}

int nv_versions(lc__api_ctx *x)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_karray(g, "versions");
	gen_version(x, g, "v2.1", "CURRENT", "v2.1", NV_VERSION, "2.1");
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int nv_version(lc__api_ctx *x)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_key(g, "version");
	gen_version(x, g, "v2.1", "CURRENT", "v2.1", NV_VERSION, "2.1");
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

/* ---- flavors ---- */

void nv_gen_flavor(lc__api_ctx *x, yajl_gen g, const lc_flavor *f, int detail)
{
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "id", lc_flavor_id(f));
	lc__gen_kstr(g, "name", lc_flavor_name(f));
	if (detail) {
		lc__gen_kint(g, "ram", lc_flavor_ram_mib(f));
		lc__gen_kint(g, "vcpus", lc_flavor_vcpus(f));
		lc__gen_kint(g, "disk", lc_flavor_disk_gib(f));
		if (lc_flavor_swap_mib(f) > 0)
			lc__gen_kint(g, "swap", lc_flavor_swap_mib(f));
		else
			lc__gen_kstr(g, "swap", "");
		lc__gen_kint(g, "OS-FLV-EXT-DATA:ephemeral", lc_flavor_ephemeral_gib(f));
		lc__gen_kbool(g, "OS-FLV-DISABLED:disabled", 0);
		lc__gen_kbool(g, "os-flavor-access:is_public", lc_flavor_is_public(f));
		lc__gen_key(g, "rxtx_factor");
		yajl_gen_double(g, 1.0);
	}
	nv_gen_links(x, g, "flavors", lc_flavor_id(f));
	yajl_gen_map_close(g);
}

static int reply_flavor(lc__api_ctx *x, lc_flavor *f, int status)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL) {
		lc_flavor_free(f);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_key(g, "flavor");
	nv_gen_flavor(x, g, f, 1);
	yajl_gen_map_close(g);
	lc_flavor_free(f);
	return lc__json_end(x, g, status);
}

static int flavor_list(lc__api_ctx *x, int detail)
{
	const char *pub = lc__req_query(x, "is_public"), *minram = lc__req_query(x, "minRam"),
		   *mindisk = lc__req_query(x, "minDisk");
	const char *filters[7];
	lc_list_opts lo;
	lc_flavor_iter *it = NULL;
	lc_flavor *f = NULL;
	unsigned int limit, n = 0, k = 0;
	char last[LC_FLAVOR_NAME_MAX + 1] = "";
	yajl_gen g;
	int rc;

	if (nv_begin(x) || nv_paging(x, &lo, &limit))
		return 0;
	/* Nova: is_public=None (any case) lists both; an unknown value reads as true */
	if (pub) {
		filters[k++] = "is_public";
		filters[k++] = !strcasecmp(pub, "none") ? "none"
			       : (!strcasecmp(pub, "false") || !strcmp(pub, "0") || !strcasecmp(pub, "no")) ? "false"
														   : "true";
	} else if (nv_is_admin(x)) {
		filters[k++] = "is_public";
		filters[k++] = "true";
	} else {
		/* a project sees public flavors and the private ones it was given */
		filters[k++] = "is_public";
		filters[k++] = "none";
	}
	if (minram && minram[strspn(minram, "0123456789")] == '\0' && *minram) {
		filters[k++] = "min_ram";
		filters[k++] = minram;
	} else if (minram) {
		return lc__api_error(x, 400, "Invalid minRam filter [%.32s]", minram);
	}
	if (mindisk && mindisk[strspn(mindisk, "0123456789")] == '\0' && *mindisk) {
		filters[k++] = "min_disk";
		filters[k++] = mindisk;
	} else if (mindisk) {
		return lc__api_error(x, 400, "Invalid minDisk filter [%.32s]", mindisk);
	}
	filters[k] = NULL;
	lo.filters = filters;
	if (limit == 0 || limit > 1000)
		limit = 1000;
	rc = lc_flavor_iter_new(&it, x->session, &lo);
	if (rc == LC_EINVALID && lo.marker)
		return lc__api_error(x, 400, "marker [%.64s] not found", lo.marker);
	if (rc < 0)
		return rc;
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_flavor_iter_free(it);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, "flavors");
	while (n < limit && (rc = lc_flavor_iter_next(&f, it)) == 0) {
		nv_gen_flavor(x, g, f, detail);
		snprintf(last, sizeof(last), "%s", lc_flavor_id(f));
		lc_flavor_free(f);
		n++;
	}
	lc_flavor_iter_free(it);
	if (rc < 0 && rc != LC_ITEROVER) {
		yajl_gen_free(g);
		return rc;
	}
	lc__gen_end_array(g);
	if (n == limit && lc__req_query(x, "limit"))
		nv_gen_next(x, g, "flavors", detail ? "flavors/detail" : "flavors", last);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int nv_flavor_list(lc__api_ctx *x)
{
	return flavor_list(x, 0);
}

int nv_flavor_detail(lc__api_ctx *x)
{
	return flavor_list(x, 1);
}

/* nv_begin, then the flavor of a path id into *f: 0, 1 when a response is written, or an error (unknown: 404). */
static int begin_flavor(lc__api_ctx *x, const char *id, lc_flavor **f)
{
	int rc;

	*f = NULL;
	if (nv_begin(x))
		return 1;
	rc = lc_flavor_get(f, x->session, id);
	return rc < 0 ? nv_lookup_rc(rc, "Flavor", id) : 0;
}

int nv_flavor_get(lc__api_ctx *x)
{
	lc_flavor *f;
	int rc = begin_flavor(x, lc__req_param(x, 0), &f);

	if (rc != 0)
		return rc > 0 ? 0 : rc;
	return reply_flavor(x, f, 200);
}

static const nv_field flavor_fields[] = {
	{ "name", NV_STRING, 1 },
	{ "ram", NV_INT, 1 },
	{ "vcpus", NV_INT, 1 },
	{ "disk", NV_INT, 1 },
	{ "id", NV_STRING_NULL, 0 },
	{ "swap", NV_INT, 0 },
	{ "OS-FLV-EXT-DATA:ephemeral", NV_INT, 0 },
	{ "rxtx_factor", NV_NUMBER, 0 },
	{ "os-flavor-access:is_public", NV_BOOL, 0 },
};

int nv_flavor_create(lc__api_ctx *x)
{
	const lc__json *body, *o;
	lc_flavor_opts fo = LC_FLAVOR_OPTS_INIT;
	lc_flavor *f = NULL;
	int64_t v;
	int rc;

	if (nv_begin(x) || lc__req_json(x, &body) != 0 || (o = nv_wrapped(x, body, "flavor")) == NULL ||
	    nv_check(x, o, flavor_fields, sizeof(flavor_fields) / sizeof(flavor_fields[0])) != 0)
		return 0;
	fo.name = nv_str(o, "name");
	fo.id = nv_str(o, "id");
	if (fo.id && strcasecmp(fo.id, "auto") == 0)
		fo.id = NULL;
	if (nv_int(o, "ram", &v) == 1)
		fo.ram_mib = v < 1 ? 0 : v;
	if (nv_int(o, "vcpus", &v) == 1)
		fo.vcpus = v < 1 ? 0 : v;
	if (nv_int(o, "disk", &v) == 1)
		fo.disk_gib = v < 0 ? -2 : v;
	if (nv_int(o, "swap", &v) == 1)
		fo.swap_mib = v < 0 ? -2 : v;
	if (nv_int(o, "OS-FLV-EXT-DATA:ephemeral", &v) == 1)
		fo.ephemeral_gib = v < 0 ? -2 : v;
	fo.is_public = nv_bool(o, "os-flavor-access:is_public");
	{
		const lc__json *rx = lc__json_get(o, "rxtx_factor");

		if (rx && ((rx->type == LC__J_INT && rx->i <= 0) || (rx->type == LC__J_DOUBLE && rx->d <= 0)))
			return lc__api_error(x, 400, "Invalid input for field/attribute rxtx_factor.");
	}
	rc = lc_flavor_create(&f, x->session, &fo);
	if (rc == LC_EEXISTS)
		return lc__api_error(x, 409, "%s", lc_error_last()->message);
	if (rc < 0)
		return nv_error(x, rc);
	return reply_flavor(x, f, 200);
}

int nv_flavor_update(lc__api_ctx *x)
{
	static const nv_field fields[] = { { "description", NV_STRING_NULL, 1 } };
	const char *id = lc__req_param(x, 0);
	const lc__json *body, *o;
	lc_flavor_opts fo = LC_FLAVOR_OPTS_INIT;
	lc_flavor *f;
	int rc = begin_flavor(x, id, &f);

	if (rc != 0)
		return rc > 0 ? 0 : rc;
	lc_flavor_free(f);
	f = NULL;
	if (lc__req_json(x, &body) != 0 || (o = nv_wrapped(x, body, "flavor")) == NULL ||
	    nv_check(x, o, fields, 1) != 0)
		return 0;
	fo.description = nv_str(o, "description") ? nv_str(o, "description") : "";
	rc = lc_flavor_update(&f, x->session, id, &fo);
	if (rc < 0)
		return nv_error(x, rc);
	return reply_flavor(x, f, 200);
}

int nv_flavor_delete(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_flavor_delete(x->session, id, 0);
	if (rc == LC_EINVALID || rc == LC_ENOTFOUND)
		return nv_lookup_rc(rc, "Flavor", id);
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 202);
}

static int reply_access(lc__api_ctx *x, const char *id)
{
	lc_flavor_access_iter *it = NULL;
	lc_flavor_access *a;
	yajl_gen g;
	int rc = lc_flavor_access_iter_new(&it, x->session, id);

	if (rc == LC_ECONFLICT)
		return lc__api_error(x, 404, "Access list not available for public flavors.");
	if (rc < 0)
		return nv_lookup_rc(rc, "Flavor", id);
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_flavor_access_iter_free(it);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, "flavor_access");
	while ((rc = lc_flavor_access_iter_next(&a, it)) == 0) {
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "flavor_id", lc_flavor_access_flavor_id(a));
		lc__gen_kstr(g, "tenant_id", lc_flavor_access_project_id(a));
		yajl_gen_map_close(g);
		lc_flavor_access_free(a);
	}
	lc_flavor_access_iter_free(it);
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int nv_flavor_access_list(lc__api_ctx *x)
{
	if (nv_begin(x))
		return 0;
	return reply_access(x, lc__req_param(x, 0));
}

int nv_flavor_action(lc__api_ctx *x)
{
	static const nv_field fields[] = { { "tenant", NV_STRING, 1 } };
	const char *id = lc__req_param(x, 0);
	const lc__json *body, *o;
	int add, rc;

	if (nv_begin(x) || lc__req_json(x, &body) != 0)
		return 0;
	if (body->count != 1 || (body->child->type != LC__J_OBJECT) ||
	    (strcmp(body->child->key, "addTenantAccess") && strcmp(body->child->key, "removeTenantAccess")))
		return lc__api_error(x, 400, "Invalid flavor action: addTenantAccess or removeTenantAccess expected.");
	o = body->child;
	add = strcmp(o->key, "addTenantAccess") == 0;
	if (nv_check(x, o, fields, 1) != 0)
		return 0;
	rc = add ? lc_flavor_access_add(x->session, id, nv_str(o, "tenant"))
		 : lc_flavor_access_remove(x->session, id, nv_str(o, "tenant"));
	if (rc == LC_ECONFLICT)
		return lc__api_error(x, 409, "Can not add access to a public flavor.");
	if (rc == LC_EEXISTS)
		return lc__api_error(x, 409, "Flavor access already exists for flavor %.64s and project %.64s "
				     "combination.", id, nv_str(o, "tenant"));
	if (rc == LC_EINVALID)
		return lc__api_error(x, 400, "%s", lc_error_last()->message);
	if (rc < 0)
		return nv_error(x, rc);
	return reply_access(x, id);
}

/* ---- extra specs ---- */

static int reply_specs(lc__api_ctx *x, const lc_flavor *f, const char *only)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	if (only) {
		lc__gen_kstr(g, only, lc_flavor_extra_spec(f, only));
	} else {
		lc__gen_kmap(g, "extra_specs");
		for (size_t i = 0; i < lc_flavor_extra_spec_count(f); i++)
			lc__gen_kstr(g, lc_flavor_extra_spec_key(f, i), lc_flavor_extra_spec_value(f, i));
		lc__gen_end_map(g);
	}
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int nv_specs_list(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	lc_flavor *f;
	int rc = begin_flavor(x, id, &f);

	if (rc != 0)
		return rc > 0 ? 0 : rc;
	rc = reply_specs(x, f, NULL);
	lc_flavor_free(f);
	return rc;
}

static int set_specs(lc__api_ctx *x, const char *id, const lc__json *specs, const char *only)
{
	lc_flavor *f = NULL;
	const char **pairs;
	int rc;

	if ((pairs = nv_pairs(x, specs, "extra_specs")) == NULL)
		return 0;
	if (pairs[0] == NULL)
		return lc__api_error(x, 400, "No extra specs given.");
	rc = lc_flavor_set_extra_specs(&f, x->session, id, pairs);
	if (rc == LC_ENOTFOUND)
		return nv_lookup_rc(rc, "Flavor", id);
	if (rc < 0)
		return nv_error(x, rc);
	if (only) {
		rc = reply_specs(x, f, only);
	} else {
		/* the request's specs, as Nova answers */
		yajl_gen g = lc__json_begin(x);

		rc = LC_ENOMEM;
		if (g) {
			yajl_gen_map_open(g);
			lc__gen_kmap(g, "extra_specs");
			for (size_t i = 0; pairs[i]; i += 2)
				lc__gen_kstr(g, pairs[i], pairs[i + 1]);
			lc__gen_end_map(g);
			yajl_gen_map_close(g);
			rc = lc__json_end(x, g, 200);
		}
	}
	lc_flavor_free(f);
	return rc;
}

int nv_specs_set(lc__api_ctx *x)
{
	const lc__json *body, *o;

	if (nv_begin(x) || lc__req_json(x, &body) != 0 || (o = nv_wrapped(x, body, "extra_specs")) == NULL)
		return 0;
	return set_specs(x, lc__req_param(x, 0), o, NULL);
}

int nv_spec_get(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0), *key = lc__req_param(x, 1);
	lc_flavor *f;
	int rc = begin_flavor(x, id, &f);

	if (rc != 0)
		return rc > 0 ? 0 : rc;
	if (lc_flavor_extra_spec(f, key) == NULL) {
		lc_flavor_free(f);
		return lc__api_error(x, 404, "Flavor %.64s has no extra specs with key %.64s.", id, key);
	}
	rc = reply_specs(x, f, key);
	lc_flavor_free(f);
	return rc;
}

int nv_spec_put(lc__api_ctx *x)
{
	const char *key = lc__req_param(x, 1);
	const lc__json *body;

	if (nv_begin(x) || lc__req_json(x, &body) != 0)
		return 0;
	if (body->count != 1 || strcmp(body->child->key, key) != 0)
		return lc__api_error(x, 400, "Request body and URI mismatch");
	return set_specs(x, lc__req_param(x, 0), body, key);
}

int nv_spec_delete(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0), *key = lc__req_param(x, 1);
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_flavor_unset_extra_spec(x->session, id, key);
	if (rc == LC_ENOTFOUND || rc == LC_EINVALID)
		return lc__api_error(x, 404, "Flavor %.64s has no extra specs with key %.64s.", id, key);
	if (rc < 0)
		return nv_error(x, rc);
	return lc__reply_empty(x, 200);
}

/* ---- key pairs ---- */

/* A stable integer id for Nova's schema (FNV-1a of the name and user, 31 bits). */
static int64_t keypair_int_id(const lc_keypair *k)
{
	uint32_t h = 2166136261u;

	for (const char *p = lc_keypair_user_id(k); *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (const char *p = lc_keypair_name(k); *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return (int64_t)(h & 0x7fffffff);
}

/* name, public_key and fingerprint of a key pair */
static void gen_keypair_keys(yajl_gen g, const lc_keypair *k)
{
	lc__gen_kstr(g, "name", lc_keypair_name(k));
	lc__gen_kstr(g, "public_key", lc_keypair_public_key(k));
	lc__gen_kstr(g, "fingerprint", lc_keypair_fingerprint(k));
}

/* {"keypair": {name, public_key, fingerprint, user_id, then what more() adds}} with 200; frees k. */
static int reply_keypair(lc__api_ctx *x, lc_keypair *k, void (*more)(lc__api_ctx *x, yajl_gen g, const lc_keypair *k))
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL) {
		lc_keypair_free(k);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_kmap(g, "keypair");
	gen_keypair_keys(g, k);
	lc__gen_kstr(g, "user_id", lc_keypair_user_id(k));
	more(x, g, k);
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
	lc_keypair_free(k);
	return lc__json_end(x, g, 200);
}

/* {"keypair": {name, public_key, fingerprint}}: an item of the list */
static void gen_keypair_item(lc__api_ctx *x, yajl_gen g, const void *k)
{
	(void)x;
	yajl_gen_map_open(g);
	lc__gen_kmap(g, "keypair");
	gen_keypair_keys(g, k);
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
}

LC__API_ITER_CALLS_DEFINE(keypair)

static const nv_lister keypairs = { .coll = "keypairs", LC__API_ITER_CALLS(keypair), .gen = gen_keypair_item };

int nv_keypair_list(lc__api_ctx *x)
{
	if (nv_begin(x))
		return 0;
	return nv_list_all(x, &keypairs, NULL);
}

/* a new key pair's private key, when libcloud generated it */
static void gen_created(lc__api_ctx *x, yajl_gen g, const lc_keypair *k)
{
	(void)x;
	if (lc_keypair_private_key(k))
		lc__gen_kstr(g, "private_key", lc_keypair_private_key(k));
}

int nv_keypair_create(lc__api_ctx *x)
{
	static const nv_field fields[] = { { "name", NV_STRING, 1 }, { "public_key", NV_STRING, 0 } };
	const lc__json *body, *o;
	lc_keypair_opts ko = LC_KEYPAIR_OPTS_INIT;
	lc_keypair *k = NULL;
	int rc;

	if (nv_begin(x) || lc__req_json(x, &body) != 0 || (o = nv_wrapped(x, body, "keypair")) == NULL ||
	    nv_check(x, o, fields, 2) != 0)
		return 0;
	ko.name = nv_str(o, "name");
	ko.public_key = nv_str(o, "public_key");
	rc = lc_keypair_create(&k, x->session, &ko);
	if (rc == LC_EEXISTS)
		return lc__api_error(x, 409, "Key pair '%.255s' already exists.", ko.name);
	if (rc < 0)
		return nv_error(x, rc);
	return reply_keypair(x, k, gen_created);
}

/* what GET shows besides: the record's bookkeeping */
static void gen_shown(lc__api_ctx *x, yajl_gen g, const lc_keypair *k)
{
	lc__gen_kbool(g, "deleted", 0);
	lc__gen_kstr(g, "created_at", nv_time_us(x, lc_keypair_created_at(k)));
	lc__gen_knull(g, "updated_at");
	lc__gen_knull(g, "deleted_at");
	lc__gen_kint(g, "id", keypair_int_id(k));
}

int nv_keypair_get(lc__api_ctx *x)
{
	const char *name = lc__req_param(x, 0);
	lc_keypair *k = NULL;
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_keypair_find(&k, x->session, NULL, name);
	if (rc < 0)
		return lc__api_error(x, 404, "Keypair %.255s not found for user %s", name,
				     lc_session_user_id(x->session) ? lc_session_user_id(x->session) : "");
	return reply_keypair(x, k, gen_shown);
}

int nv_keypair_delete(lc__api_ctx *x)
{
	const char *name = lc__req_param(x, 0);
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_keypair_delete(x->session, NULL, name, 0);
	if (rc == LC_ENOTFOUND || rc == LC_EINVALID)
		return lc__api_error(x, 404, "Keypair %.255s not found", name);
	if (rc < 0)
		return nv_error(x, rc);
	return lc__reply_empty(x, 202);
}
