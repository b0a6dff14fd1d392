/* Flavors: sizes, extra specs, and access to private flavors. */
#include <libcloud/flavor.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compute/common.h"
#include "compute/compute.h"
#include "core/error.h"
#include "core/policy.h"
#include "core/resource.h"
#include "core/text.h"
#include "identity/identity.h"
#include "identity/shapes.h"

#define SIZE_MAX_MIB (INT64_C(1) << 31)

struct lc_flavor {
	lc__rec rec;
};

struct lc_flavor_iter {
	lc__iter it;
	int pub;          /* 1 public only, 0 private only, -1 both */
	int64_t min_ram, min_disk;
};

struct lc_flavor_access {
	lc__rec rec;
};

struct lc_flavor_access_iter {
	char **projects;
	char flavorid[LC_FLAVOR_NAME_MAX + 1];
	size_t n, i;
};

LC__OPTS_INIT_FN(lc_flavor_opts_init, lc_flavor_opts, LC_FLAVOR_OPTS_INIT, LC_FLAVOR_OPTS_VERSION)

/* A private flavor is visible to admins and to projects given access. */
static int has_access(lc__txn *t, const char *flavor_uuid, const char *project_id)
{
	char id[2 * LC__ID_TEXT + 1];

	if (project_id == NULL || project_id[0] == '\0')
		return 0;
	snprintf(id, sizeof(id), "%s/%s", flavor_uuid, project_id);
	return lc__rec_exists(t, &lc__flavor_access_shape, id);
}

static int flavor_visible(lc__txn *t, const lc_session *s, const lc__rec *r, void *p)
{
	(void)p;
	if (lc__rec_int(r, FLV_PUBLIC) || lc__session_is_admin(s))
		return 1;
	return has_access(t, lc__rec_str(r, FLV_ID), s->scope == LC_SCOPE_PROJECT ? s->project_id : NULL);
}

int lc__flavor_load(lc__txn *t, const lc_session *s, const char *flavorid, lc__rec **out)
{
	char id[LC__ID_TEXT + 1];
	const char *parts[] = { flavorid };
	int rc;

	*out = NULL;
	if (flavorid == NULL || strlen(flavorid) > LC_FLAVOR_NAME_MAX)
		return lc__error_set(LC_ENOTFOUND, "flavor not found");
	rc = lc__index_lookup(t, &lc__flavor_shape.indexes[FLV_IX_FLAVORID], parts, id, sizeof(id));
	if (rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "flavor %s not found", flavorid);
	LC_TRY(rc);
	LC_TRY(lc__rec_load(t, &lc__flavor_shape, id, out));
	rc = flavor_visible(t, s, *out, NULL);
	if (rc <= 0) {
		lc__rec_free(*out);
		*out = NULL;
		return rc < 0 ? rc : lc__error_set(LC_ENOTFOUND, "flavor %s not found", flavorid);
	}
	return 0;
}

/* The internal uuid of a flavor by its flavor id (in a read transaction of its own). */
static int flavor_uuid(lc_session *s, const char *flavorid, char uuid[LC__ID_TEXT])
{
	lc__rec *r = NULL;
	lc__txn t;
	int rc;

	LC_CHECK_NOTNULL(flavorid);
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__flavor_load(&t, s, flavorid, &r);
	lc__store_read_end(&t);
	if (rc == 0)
		snprintf(uuid, LC__ID_TEXT, "%s", lc__rec_str(r, FLV_ID));
	lc__rec_free(r);
	return rc;
}

/* Nova's flavor id: letters, digits, '.', '-', '_' and inner spaces. */
static int flavorid_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > LC_FLAVOR_NAME_MAX || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '-' || c == '_' || c == ' '))
			return 0;
	}
	return 1;
}

static int trimmed(const char *s)
{
	size_t n = strlen(s);

	return n == 0 || (s[0] != ' ' && s[0] != '\t' && s[n - 1] != ' ' && s[n - 1] != '\t');
}

static int size_arg(lc__draft *d, int field, int64_t v, int64_t min, int64_t max, int required, const char *name)
{
	if (v == -1) {
		if (required)
			return lc__error_set(LC_EINVALID, "%s is required", name);
		lc__val_int(&d->v[field], 0);
		return 0;
	}
	if (v < min || v > max)
		return lc__error_set(LC_EINVALID, "%s must be from %" PRId64 " to %" PRId64 ", not %" PRId64, name,
				     min, max, v);
	lc__val_int(&d->v[field], v);
	return 0;
}

LC_EXTERN int lc_flavor_create(lc_flavor **out, lc_session *s, const lc_flavor_opts *o)
{
	lc__draft d;
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(o);
	LC_CHECK_VERSION(o, LC_FLAVOR_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "compute:create_flavor", NULL, NULL));
	lc__draft_new(&d, &lc__flavor_shape);
	if (o->id != NULL && !flavorid_ok(o->id))
		return lc__error_set(LC_EINVALID, "invalid flavor id '%.64s': 1..255 of letters, digits, "
				     "'.', '-', '_' and inner spaces", o->id);
	LC_TRY(lc__draft_text(&d, FLV_FLAVORID, o->id ? o->id : d.ids[FLV_ID], 0));
	LC_CHECK_ARG(o->name != NULL, "name is required");
	LC_TRY(lc__draft_text(&d, FLV_NAME, o->name, 0));
	if (!trimmed(o->name))
		return lc__error_set(LC_EINVALID, "name has leading or trailing whitespace");
	LC_TRY(lc__draft_text(&d, FLV_DESCRIPTION, o->description, 0));
	LC_TRY(size_arg(&d, FLV_VCPUS, o->vcpus, 1, 65535, 1, "vcpus"));
	LC_TRY(size_arg(&d, FLV_RAM, o->ram_mib, 1, SIZE_MAX_MIB, 1, "ram_mib"));
	LC_TRY(size_arg(&d, FLV_DISK, o->disk_gib, 0, SIZE_MAX_MIB, 0, "disk_gib"));
	LC_TRY(size_arg(&d, FLV_EPHEMERAL, o->ephemeral_gib, 0, SIZE_MAX_MIB, 0, "ephemeral_gib"));
	LC_TRY(size_arg(&d, FLV_SWAP, o->swap_mib, 0, SIZE_MAX_MIB, 0, "swap_mib"));
	lc__val_bool(&d.v[FLV_PUBLIC], 1);
	LC_TRY(lc__draft_bool(&d, FLV_PUBLIC, o->is_public, 0));
	lc__val_bool(&d.v[FLV_DISABLED], 0);
	lc__draft_set_int(&d, FLV_CREATED, lc__now_us());
	rc = lc__res_create(out ? &r : NULL, s, &d, "compute:create_flavor", NULL, NULL, NULL);
	if (out)
		*out = (lc_flavor *)r;
	return rc;
}

LC_EXTERN int lc_flavor_get(lc_flavor **out, lc_session *s, const char *id)
{
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_NOTNULL(id);
	if (strlen(id) > LC_FLAVOR_NAME_MAX)
		return lc__error_set(LC_ENOTFOUND, "flavor not found");
	rc = lc__res_find(&r, s, &lc__flavor_shape, "compute:get_flavor", &lc__flavor_shape.indexes[FLV_IX_FLAVORID],
			  (const char *const[]){ id }, flavor_visible);
	if (rc == LC_ENOTFOUND)
		rc = lc__error_set(LC_ENOTFOUND, "flavor %.255s not found", id);
	*out = (lc_flavor *)r;
	return rc;
}

LC__RESOURCE_FIND(flavor, lc__flavor_shape, "compute:get_flavor", FLV_IX_NAME, flavor_visible,
		  (const char *name), LC_CHECK_NOTNULL(name);, name)

static int update_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	const lc_flavor_opts *o = p;

	(void)t;
	(void)old;
	if (o->id || o->name || o->vcpus != -1 || o->ram_mib != -1 || o->disk_gib != -1 || o->ephemeral_gib != -1 ||
	    o->swap_mib != -1 || o->is_public != LC_UNSET)
		return lc__error_set(LC_EINVALID, "only the description of a flavor can change");
	if (o->description && o->description[0] == '\0') {
		d->v[FLV_DESCRIPTION].set = 0;
		return 0;
	}
	return lc__draft_text(d, FLV_DESCRIPTION, o->description, 1);
}

LC_EXTERN int lc_flavor_update(lc_flavor **out, lc_session *s, const char *id, const lc_flavor_opts *opts)
{
	char uuid[LC__ID_TEXT];
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION(opts, LC_FLAVOR_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	LC_TRY(flavor_uuid(s, id, uuid));
	rc = lc__res_update(out ? &r : NULL, s, &lc__flavor_shape, "compute:update_flavor", uuid, update_apply,
			    (void *)opts);
	if (out)
		*out = (lc_flavor *)r;
	return rc;
}

static int purge_access(lc__txn *t, const char *id, void *p)
{
	lc__rec *a;
	int rc;

	(void)p;
	LC_TRY(lc__rec_load(t, &lc__flavor_access_shape, id, &a));
	rc = lc__rec_delete(t, a);
	lc__rec_free(a);
	return rc;
}

static int flavor_predelete(lc__txn *t, const lc__rec *old, void *p)
{
	const char *parts[] = { lc__rec_str(old, FLV_ID) };

	(void)p;
	/* one entry at a time: deleting while walking a DUPSORT key would move the cursor */
	for (;;) {
		char id[2 * LC__ID_TEXT + 2];
		int rc = lc__index_lookup(t, &lc__flavor_access_shape.indexes[FAC_IX_FLAVOR], parts, id, sizeof(id));

		if (rc == LC_ENOTFOUND)
			return 0;
		LC_TRY(rc);
		LC_TRY(purge_access(t, id, NULL));
	}
}

LC_EXTERN int lc_flavor_delete(lc_session *s, const char *id, unsigned int flags)
{
	char uuid[LC__ID_TEXT];

	lc__error_clear();
	LC_TRY(lc__session_check(s));
	LC_CHECK_FLAGS(flags, 0);
	LC_TRY(lc__policy_enforce(s, "compute:delete_flavor", NULL, NULL));
	LC_TRY(flavor_uuid(s, id, uuid));
	return lc__res_delete(s, &lc__flavor_shape, "compute:delete_flavor", uuid, 0, flavor_predelete, NULL);
}

/* ---- listing ---- */

static int list_visible(lc__txn *t, const lc_session *s, const lc__rec *r, void *p)
{
	const struct lc_flavor_iter *fi = p;
	int pub = (int)lc__rec_int(r, FLV_PUBLIC);

	if (fi->pub >= 0 && pub != fi->pub)
		return 0;
	if (fi->min_ram > 0 && lc__rec_int(r, FLV_RAM) < fi->min_ram)
		return 0;
	if (fi->min_disk > 0 && lc__rec_int(r, FLV_DISK) < fi->min_disk)
		return 0;
	return flavor_visible(t, s, r, NULL);
}

LC_EXTERN int lc_flavor_iter_new(lc_flavor_iter **out, lc_session *s, const lc_list_opts *opts)
{
	static const char *const custom[] = { "is_public", "min_ram", "min_disk", NULL };
	const char *vals[3];
	const char **rest = NULL;
	char marker[LC__ID_TEXT];
	lc_list_opts lo;
	lc_flavor_iter *fi;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "compute:list_flavors", NULL, NULL));
	fi = calloc(1, sizeof(*fi));
	if (fi == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	fi->pub = 1;
	rc = lc__split_filters(opts, custom, &lo, &rest, vals);
	if (rc == 0 && vals[0]) {
		if (!strcmp(vals[0], "true") || !strcmp(vals[0], "True") || !strcmp(vals[0], "1"))
			fi->pub = 1;
		else if (!strcmp(vals[0], "false") || !strcmp(vals[0], "False") || !strcmp(vals[0], "0"))
			fi->pub = 0;
		else if (!strcmp(vals[0], "none") || !strcmp(vals[0], "None"))
			fi->pub = -1;
		else
			rc = lc__error_set(LC_EINVALID, "is_public must be true, false or none");
	}
	if (rc == 0 && vals[1])
		rc = lc__parse_i64("min_ram", vals[1], 0, INT64_MAX, &fi->min_ram);
	if (rc == 0 && vals[2])
		rc = lc__parse_i64("min_disk", vals[2], 0, INT64_MAX, &fi->min_disk);
	/* a non-admin asking for private flavors sees those its project may use */
	if (rc == 0 && lo.marker) {
		rc = flavor_uuid(s, lo.marker, marker);
		if (rc == LC_ENOTFOUND)
			rc = lc__error_set(LC_EINVALID, "marker %.64s not found", lo.marker);
		lo.marker = marker;
	}
	if (rc == 0)
		rc = lc__iter_init(&fi->it, s, &lc__flavor_shape, &lo, list_visible, fi);
	free(rest);
	if (rc < 0) {
		lc_flavor_iter_free(fi);
		return rc;
	}
	*out = fi;
	return 0;
}

LC_EXTERN int lc_flavor_iter_next(lc_flavor **out, lc_flavor_iter *it)
{
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_NOTNULL(it);
	rc = lc__res_iter_next(&r, &it->it);
	*out = (lc_flavor *)r;
	return rc;
}

LC_EXTERN void lc_flavor_iter_free(lc_flavor_iter *it)
{
	if (it == NULL)
		return;
	lc__iter_fini(&it->it);
	free(it);
}

/* ---- extra specs ---- */

static int spec_key_ok(const char *k)
{
	size_t n = strlen(k);

	if (n == 0 || n > LC_FLAVOR_EXTRA_SPEC_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || c == ':' || c == '.' || c == ' '))
			return 0;
	}
	return 1;
}

struct specs_ctx {
	const char *const *set;
	const char *del;
	char *buf;
};

static int specs_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	struct specs_ctx *c = p;
	lc__kv kv;
	size_t len;

	(void)t;
	(void)old;
	free(c->buf);
	c->buf = NULL;
	LC_TRY(lc__kv_parse(&kv, &d->v[FLV_EXTRA]));
	for (size_t i = 0; c->set && c->set[i]; i += 2)
		LC_TRY(lc__kv_set(&kv, c->set[i], c->set[i + 1], LC_FLAVOR_EXTRA_SPECS_MAX));
	if (c->del && !lc__kv_del(&kv, c->del))
		return lc__error_set(LC_ENOTFOUND, "flavor has no extra spec %.255s", c->del);
	LC_TRY(lc__kv_encode(&kv, &c->buf, &len));
	lc__val_blob(&d->v[FLV_EXTRA], c->buf, len);
	return 0;
}

static int specs_change(lc_flavor **out, lc_session *s, const char *id, struct specs_ctx *c)
{
	char uuid[LC__ID_TEXT];
	lc__rec *r = NULL;
	int rc;

	if (out)
		*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "compute:set_flavor_extra_specs", NULL, NULL));
	LC_TRY(flavor_uuid(s, id, uuid));
	rc = lc__res_update(out ? &r : NULL, s, &lc__flavor_shape, "compute:set_flavor_extra_specs", uuid,
			    specs_apply, c);
	free(c->buf);
	if (out)
		*out = (lc_flavor *)r;
	return rc;
}

LC_EXTERN int lc_flavor_set_extra_specs(lc_flavor **out, lc_session *s, const char *id, const char *const *specs)
{
	struct specs_ctx c = { specs, NULL, NULL };

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(specs);
	LC_CHECK_ARG(specs[0] != NULL, "specs is empty");
	for (size_t i = 0; specs[i]; i += 2) {
		if (!spec_key_ok(specs[i]))
			return lc__error_set(LC_EINVALID, "invalid extra spec key '%.64s': 1..255 of letters, digits, "
					     "'-', '_', ':', '.' and spaces", specs[i]);
		if (specs[i + 1] == NULL)
			return lc__error_set(LC_EINVALID, "extra spec %.64s has no value", specs[i]);
		LC_TRY(lc__text_check("extra spec value", specs[i + 1], 0, LC_FLAVOR_EXTRA_SPEC_MAX));
	}
	return specs_change(out, s, id, &c);
}

LC_EXTERN int lc_flavor_unset_extra_spec(lc_session *s, const char *id, const char *key)
{
	struct specs_ctx c = { NULL, key, NULL };

	lc__error_clear();
	LC_CHECK_NOTNULL(key);
	if (!spec_key_ok(key))
		return lc__error_set(LC_ENOTFOUND, "flavor has no extra spec %.64s", key);
	return specs_change(NULL, s, id, &c);
}

/* ---- access ---- */

struct access_ctx {
	const char *flavorid;
	const char *project;
	int add;
	lc_session *s;
};

static int access_tx(lc__txn *t, void *p)
{
	struct access_ctx *c = p;
	char id[2 * LC__ID_TEXT + 2];
	lc__rec *f, *a;
	int rc;

	LC_TRY(lc__flavor_load(t, c->s, c->flavorid, &f));
	snprintf(id, sizeof(id), "%s/%s", lc__rec_str(f, FLV_ID), c->project);
	if (lc__rec_int(f, FLV_PUBLIC)) {
		lc__rec_free(f);
		return lc__error_set(LC_ECONFLICT, "flavor %.255s is public: access lists are for private flavors",
				     c->flavorid);
	}
	if (c->add) {
		lc__draft d;

		if ((rc = lc__identity_require(t, &lc__project_shape, c->project)) < 0) {
			lc__rec_free(f);
			return rc;
		}
		lc__draft_new(&d, &lc__flavor_access_shape);
		lc__draft_set_str(&d, FAC_ID, id);
		lc__draft_set_str(&d, FAC_FLAVOR, lc__rec_str(f, FLV_ID));
		lc__draft_set_str(&d, FAC_PROJECT, c->project);
		lc__draft_set_int(&d, FAC_CREATED, lc__now_us());
		rc = lc__rec_insert(t, &lc__flavor_access_shape, d.v);
		if (rc == LC_EEXISTS)
			rc = lc__error_set(LC_EEXISTS, "project %s already has access to flavor %.255s", c->project,
					   c->flavorid);
	} else {
		rc = lc__rec_load(t, &lc__flavor_access_shape, id, &a);
		if (rc == LC_ENOTFOUND)
			rc = lc__error_set(LC_ENOTFOUND, "project %s has no access to flavor %.255s", c->project,
					   c->flavorid);
		if (rc == 0) {
			rc = lc__rec_delete(t, a);
			lc__rec_free(a);
		}
	}
	lc__rec_free(f);
	return rc;
}

static int access_change(lc_session *s, const char *id, const char *project_id, int add)
{
	char project[LC__ID_TEXT];
	struct access_ctx c = { id, project, add, s };

	LC_CHECK_NOTNULL(id);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "compute:flavor_access", NULL, NULL));
	LC_TRY(lc__id_canon("project_id", project_id, project));
	return lc__store_write(lc__session_store(s), access_tx, &c);
}

LC_EXTERN int lc_flavor_access_add(lc_session *s, const char *id, const char *project_id)
{
	lc__error_clear();
	return access_change(s, id, project_id, 1);
}

LC_EXTERN int lc_flavor_access_remove(lc_session *s, const char *id, const char *project_id)
{
	lc__error_clear();
	return access_change(s, id, project_id, 0);
}

struct collect {
	lc_flavor_access_iter *it;
	size_t cap;
};

static int collect_one(lc__txn *t, const char *id, void *p)
{
	struct collect *c = p;
	lc__rec *a;

	LC_TRY(lc__rec_load(t, &lc__flavor_access_shape, id, &a));
	if (c->it->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		char **n = realloc(c->it->projects, cap * sizeof(*n));

		if (n == NULL) {
			lc__rec_free(a);
			return lc__error_set(LC_ENOMEM, "out of memory");
		}
		c->it->projects = n;
		c->cap = cap;
	}
	c->it->projects[c->it->n] = strdup(lc__rec_str(a, FAC_PROJECT));
	lc__rec_free(a);
	if (c->it->projects[c->it->n] == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	c->it->n++;
	return 0;
}

LC_EXTERN int lc_flavor_access_iter_new(lc_flavor_access_iter **out, lc_session *s, const char *id)
{
	lc_flavor_access_iter *it;
	struct collect c = { NULL, 0 };
	lc__rec *f = NULL;
	lc__txn t;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_NOTNULL(id);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "compute:flavor_access", NULL, NULL));
	it = calloc(1, sizeof(*it));
	if (it == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	c.it = it;
	rc = lc__store_read(lc__session_store(s), &t);
	if (rc == 0) {
		rc = lc__flavor_load(&t, s, id, &f);
		if (rc == 0 && lc__rec_int(f, FLV_PUBLIC))
			rc = lc__error_set(LC_ECONFLICT, "flavor %.255s is public", id);
		if (rc == 0) {
			const char *parts[] = { lc__rec_str(f, FLV_ID) };

			snprintf(it->flavorid, sizeof(it->flavorid), "%s", lc__rec_str(f, FLV_FLAVORID));
			rc = lc__index_each(&t, &lc__flavor_access_shape.indexes[FAC_IX_FLAVOR], parts, collect_one, &c);
		}
		lc__store_read_end(&t);
	}
	lc__rec_free(f);
	if (rc < 0) {
		lc_flavor_access_iter_free(it);
		return rc;
	}
	*out = it;
	return 0;
}

LC_EXTERN int lc_flavor_access_iter_next(lc_flavor_access **out, lc_flavor_access_iter *it)
{
	lc__draft d;
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_NOTNULL(it);
	if (it->i >= it->n)
		return LC_ITEROVER;
	/* a snapshot whose "flavor_id" is the public flavor id, not the internal uuid */
	memset(&d, 0, sizeof(d));
	d.sh = &lc__flavor_access_shape;
	lc__val_str(&d.v[FAC_ID], it->projects[it->i]);
	lc__val_str(&d.v[FAC_FLAVOR], it->flavorid);
	lc__val_str(&d.v[FAC_PROJECT], it->projects[it->i]);
	rc = lc__draft_snapshot(&d, &r);
	if (rc < 0)
		return rc;
	it->i++;
	*out = (lc_flavor_access *)r;
	return 0;
}

LC_EXTERN void lc_flavor_access_iter_free(lc_flavor_access_iter *it)
{
	if (it == NULL)
		return;
	for (size_t i = 0; i < it->n; i++)
		free(it->projects[i]);
	free(it->projects);
	free(it);
}

LC_EXTERN const char *lc_flavor_access_flavor_id(const lc_flavor_access *a)
{
	return a ? lc__rec_str(&a->rec, FAC_FLAVOR) : NULL;
}

LC_EXTERN const char *lc_flavor_access_project_id(const lc_flavor_access *a)
{
	return a ? lc__rec_str(&a->rec, FAC_PROJECT) : NULL;
}

LC_EXTERN void lc_flavor_access_free(lc_flavor_access *a)
{
	lc__rec_free(a ? &a->rec : NULL);
}

/* ---- getters ---- */

LC_EXTERN const char *lc_flavor_id(const lc_flavor *f)
{
	return f ? lc__rec_str(&f->rec, FLV_FLAVORID) : NULL;
}

LC__RESOURCE_STR(flavor, name, FLV_NAME)
LC__RESOURCE_TEXT(flavor, description, FLV_DESCRIPTION)
LC__RESOURCE_BOOL(flavor, is_public, FLV_PUBLIC)

#define INT_GETTER(NAME, F)                                   \
	LC_EXTERN int64_t lc_flavor_##NAME(const lc_flavor *f) \
	{                                                     \
		return f ? lc__rec_int(&f->rec, F) : 0;       \
	}
INT_GETTER(vcpus, FLV_VCPUS)
INT_GETTER(ram_mib, FLV_RAM)
INT_GETTER(disk_gib, FLV_DISK)
INT_GETTER(ephemeral_gib, FLV_EPHEMERAL)
INT_GETTER(swap_mib, FLV_SWAP)
INT_GETTER(created_at, FLV_CREATED)

LC_EXTERN size_t lc_flavor_extra_spec_count(const lc_flavor *f)
{
	return f ? lc__blob_count(&f->rec.v[FLV_EXTRA]) / 2 : 0;
}

LC_EXTERN const char *lc_flavor_extra_spec_key(const lc_flavor *f, size_t n)
{
	return f && n < lc_flavor_extra_spec_count(f) ? lc__blob_item(&f->rec.v[FLV_EXTRA], 2 * n) : NULL;
}

LC_EXTERN const char *lc_flavor_extra_spec_value(const lc_flavor *f, size_t n)
{
	return f && n < lc_flavor_extra_spec_count(f) ? lc__blob_item(&f->rec.v[FLV_EXTRA], 2 * n + 1) : NULL;
}

LC_EXTERN const char *lc_flavor_extra_spec(const lc_flavor *f, const char *key)
{
	size_t n = lc_flavor_extra_spec_count(f);

	for (size_t i = 0; key && i < n; i++)
		if (strcmp(lc__blob_item(&f->rec.v[FLV_EXTRA], 2 * i), key) == 0)
			return lc__blob_item(&f->rec.v[FLV_EXTRA], 2 * i + 1);
	return NULL;
}

LC_EXTERN void lc_flavor_free(lc_flavor *f)
{
	lc__rec_free(f ? &f->rec : NULL);
}

/* ---- the copy a server keeps ---- */

int lc__flavor_spec_encode(const lc__rec *f, char **out, size_t *len)
{
	lc__kv kv;
	char nums[5][24];
	size_t n = 0, off = 0;
	const char *parts[7];
	char *buf;

	LC_TRY(lc__kv_parse(&kv, &f->v[FLV_EXTRA]));
	snprintf(nums[0], sizeof(nums[0]), "%" PRId64, lc__rec_int(f, FLV_VCPUS));
	snprintf(nums[1], sizeof(nums[1]), "%" PRId64, lc__rec_int(f, FLV_RAM));
	snprintf(nums[2], sizeof(nums[2]), "%" PRId64, lc__rec_int(f, FLV_DISK));
	snprintf(nums[3], sizeof(nums[3]), "%" PRId64, lc__rec_int(f, FLV_EPHEMERAL));
	snprintf(nums[4], sizeof(nums[4]), "%" PRId64, lc__rec_int(f, FLV_SWAP));
	parts[0] = lc__rec_str(f, FLV_FLAVORID);
	parts[1] = lc__rec_str(f, FLV_NAME);
	for (int i = 0; i < 5; i++)
		parts[2 + i] = nums[i];
	for (int i = 0; i < 7; i++)
		n += strlen(parts[i]) + 1;
	for (size_t i = 0; i < kv.n; i++)
		n += strlen(kv.k[i]) + strlen(kv.v[i]) + 2;
	buf = malloc(n);
	if (buf == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	for (int i = 0; i < 7; i++) {
		size_t l = strlen(parts[i]) + 1;
		memcpy(buf + off, parts[i], l);
		off += l;
	}
	for (size_t i = 0; i < kv.n; i++) {
		size_t kl = strlen(kv.k[i]) + 1, vl = strlen(kv.v[i]) + 1;
		memcpy(buf + off, kv.k[i], kl);
		off += kl;
		memcpy(buf + off, kv.v[i], vl);
		off += vl;
	}
	*out = buf;
	*len = n;
	return 0;
}

int lc__flavor_spec_parse(lc__flavor_spec *f, const lc__val *v)
{
	size_t n = lc__blob_count(v);
	int64_t *nums[5] = { &f->vcpus, &f->ram, &f->disk, &f->ephemeral, &f->swap };

	memset(f, 0, sizeof(*f));
	if (n < 7 || (n - 7) % 2 || v->s[v->len - 1] != '\0')
		return lc__error_set(LC_ECORRUPT, "a stored flavor copy is corrupt");
	f->id = lc__blob_item(v, 0);
	f->name = lc__blob_item(v, 1);
	for (int i = 0; i < 5; i++)
		*nums[i] = strtoll(lc__blob_item(v, 2 + (size_t)i), NULL, 10);
	for (size_t i = 7; i < n && f->extra.n < LC__KV_MAX; i += 2) {
		f->extra.k[f->extra.n] = lc__blob_item(v, i);
		f->extra.v[f->extra.n++] = lc__blob_item(v, i + 1);
	}
	return 0;
}

int64_t lc__flavor_spec_disk(const lc__flavor_spec *f)
{
	return f->disk + f->ephemeral + (f->swap + 1023) / 1024;
}
