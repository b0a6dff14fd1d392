/* Images: the record, its checks, create/get/update/delete and the state actions. */
#include <libcloud/image.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/policy.h"
#include "core/quota.h"
#include "core/resource.h"
#include "core/text.h"
#include "image/image.h"

static const char *const disk_formats[] = { "raw", "qcow2", "vmdk", "vhd", "vhdx", "vdi", "iso", "ami", "ari", "aki",
					    NULL };
static const char *const container_formats[] = { "bare", "ovf", "ova", "ami", "ari", "aki", "docker", NULL };
static const char *const visibilities[] = { "public", "private", "shared", "community", NULL };

/* Names that are image attributes (or Glance's computed keys) and cannot be properties. */
static const char *const reserved[] = {
	"id", "name", "status", "visibility", "owner", "disk_format", "container_format", "protected",
	"os_hidden", "min_ram", "min_disk", "size", "virtual_size", "checksum", "os_hash_algo", "os_hash_value",
	"tags", "created_at", "updated_at", "self", "file", "schema", "locations", "direct_url", "deleted",
	"deleted_at", "stores", NULL,
};

static int in_list(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

int lc__image_disk_format_ok(const char *s)
{
	return in_list(disk_formats, s);
}

int lc__image_container_format_ok(const char *s)
{
	return in_list(container_formats, s);
}

int lc__image_visibility_ok(const char *s)
{
	return in_list(visibilities, s);
}

int lc__image_is_owner(const lc_session *s, const lc__rec *r)
{
	const char *owner = lc__rec_str(r, IMG_OWNER);

	if (lc__session_is_admin(s))
		return 1;
	return owner && s->scope == LC_SCOPE_PROJECT && strcmp(owner, s->project_id) == 0;
}

int lc__image_visible(lc__txn *t, const lc_session *s, const lc__rec *r, void *p)
{
	const char *vis = lc__rec_str(r, IMG_VISIBILITY);
	char status[16];
	int rc;

	(void)p;
	if (lc__image_is_owner(s, r))
		return 1;
	if (vis && (strcmp(vis, "public") == 0 || strcmp(vis, "community") == 0))
		return 1;
	if (vis && strcmp(vis, "shared") == 0 && s->scope == LC_SCOPE_PROJECT) {
		rc = lc__image_member_status(t, lc__rec_str(r, IMG_ID), s->project_id, status, sizeof(status));
		if (rc == 0)
			return 1;
		if (rc != LC_ENOTFOUND)
			return rc;
	}
	return 0;
}

int lc__image_load(lc__txn *t, lc_session *s, const char *id, const char *op, lc__rec **out)
{
	lc__rec *r;
	int rc;

	*out = NULL;
	LC_TRY(lc__rec_load(t, &lc__image_shape, id, &r));
	rc = lc__image_visible(t, s, r, NULL);
	if (rc == 0)
		rc = lc__error_set(LC_ENOTFOUND, "image %s not found", id);
	else if (rc > 0)
		rc = op ? lc__policy_enforce(s, op, lc__rec_str(r, IMG_OWNER), NULL) : 0;
	if (rc < 0) {
		lc__rec_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* ---- building the tag and property lists ---- */

typedef struct strvec {
	const char **v;
	size_t n, cap;
} strvec;

static int vec_push(strvec *a, const char *s)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		const char **n = realloc(a->v, cap * sizeof(*n));

		if (n == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		a->v = n;
		a->cap = cap;
	}
	a->v[a->n++] = s;
	return 0;
}

static int vec_find(const strvec *a, const char *s, size_t step)
{
	for (size_t i = 0; i < a->n; i += step)
		if (strcmp(a->v[i], s) == 0)
			return (int)i;
	return -1;
}

static void vec_remove(strvec *a, size_t i, size_t count)
{
	memmove(a->v + i, a->v + i + count, (a->n - i - count) * sizeof(*a->v));
	a->n -= count;
}

/* Join items into "a\0b\0" (malloc'd); *len 0 and *out NULL when empty. */
static int vec_join(const strvec *a, char **out, size_t *len)
{
	size_t n = 0;
	char *buf, *p;

	*out = NULL;
	*len = 0;
	for (size_t i = 0; i < a->n; i++)
		n += strlen(a->v[i]) + 1;
	if (n == 0)
		return 0;
	buf = malloc(n);
	if (buf == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	p = buf;
	for (size_t i = 0; i < a->n; i++) {
		size_t l = strlen(a->v[i]) + 1;
		memcpy(p, a->v[i], l);
		p += l;
	}
	*out = buf;
	*len = n;
	return 0;
}

static int check_tag(const char *t)
{
	return lc__text_check("tag", t, 1, LC_IMAGE_TAG_MAX);
}

static int check_property(const char *k, const char *v)
{
	LC_TRY(lc__text_check("property key", k, 1, LC_IMAGE_PROPERTY_KEY_MAX));
	if (in_list(reserved, k))
		return lc__error_set(LC_EFORBIDDEN, "attribute '%s' is reserved and cannot be a property", k);
	if (v)
		LC_TRY(lc__text_check(k, v, 0, LC_IMAGE_PROPERTY_VALUE_MAX));
	return 0;
}

/* Check the list-valued options before any transaction. */
static int check_lists(const lc_image_opts *o)
{
	size_t n = 0;

	for (const char *const *t = o->tags; t && *t; t++, n++)
		LC_TRY(check_tag(*t));
	for (const char *const *t = o->add_tags; t && *t; t++)
		LC_TRY(check_tag(*t));
	for (const char *const *t = o->remove_tags; t && *t; t++)
		LC_TRY(lc__text_check("tag", *t, 1, LC_IMAGE_TAG_MAX));
	for (const char *const *p = o->properties; p && *p; p += 2) {
		if (p[1] == NULL)
			return lc__error_set(LC_EINVALID, "property %.64s has no value", p[0]);
		LC_TRY(check_property(p[0], p[1]));
	}
	for (const char *const *p = o->remove_properties; p && *p; p++)
		LC_TRY(check_property(*p, NULL));
	return 0;
}

typedef struct lists {
	char *tags, *props;
	size_t tags_len, props_len;
} lists;

static void lists_free(lists *l)
{
	free(l->tags);
	free(l->props);
	memset(l, 0, sizeof(*l));
}

/* Apply the options' list changes to the draft's current lists. */
static int apply_lists(lc__draft *d, const lc_image_opts *o, lists *out)
{
	strvec tags = { 0 }, props = { 0 };
	const lc__val *tv = &d->v[IMG_TAGS], *pv = &d->v[IMG_PROPERTIES];
	size_t nt = lc__list_count(tv), np = lc__list_count(pv);
	int rc = 0;

	lists_free(out);
	if (o->tags) {
		for (const char *const *t = o->tags; rc == 0 && *t; t++)
			if (vec_find(&tags, *t, 1) < 0)
				rc = vec_push(&tags, *t);
	} else {
		for (size_t i = 0; rc == 0 && i < nt; i++)
			rc = vec_push(&tags, lc__list_item(tv, i));
	}
	for (const char *const *t = o->add_tags; rc == 0 && t && *t; t++)
		if (vec_find(&tags, *t, 1) < 0)
			rc = vec_push(&tags, *t);
	for (const char *const *t = o->remove_tags; rc == 0 && t && *t; t++) {
		int i = vec_find(&tags, *t, 1);
		if (i < 0)
			rc = lc__error_set(LC_ENOTFOUND, "the image has no tag '%.64s'", *t);
		else
			vec_remove(&tags, (size_t)i, 1);
	}
	if (rc == 0 && tags.n > LC_IMAGE_TAGS_MAX)
		rc = lc__error_set(LC_EQUOTA, "an image has at most %d tags", LC_IMAGE_TAGS_MAX);

	for (size_t i = 0; rc == 0 && i + 1 < np; i += 2) {
		rc = vec_push(&props, lc__list_item(pv, i));
		if (rc == 0)
			rc = vec_push(&props, lc__list_item(pv, i + 1));
	}
	for (const char *const *p = o->properties; rc == 0 && p && *p; p += 2) {
		int i = vec_find(&props, p[0], 2);
		if (i >= 0) {
			props.v[i + 1] = p[1];
		} else {
			rc = vec_push(&props, p[0]);
			if (rc == 0)
				rc = vec_push(&props, p[1]);
		}
	}
	for (const char *const *p = o->remove_properties; rc == 0 && p && *p; p++) {
		int i = vec_find(&props, *p, 2);
		if (i < 0)
			rc = lc__error_set(LC_ECONFLICT, "the image has no property '%.64s'", *p);
		else
			vec_remove(&props, (size_t)i, 2);
	}
	if (rc == 0 && props.n / 2 > LC_IMAGE_PROPERTIES_MAX)
		rc = lc__error_set(LC_EQUOTA, "an image has at most %d properties", LC_IMAGE_PROPERTIES_MAX);
	if (rc == 0)
		rc = vec_join(&tags, &out->tags, &out->tags_len);
	if (rc == 0)
		rc = vec_join(&props, &out->props, &out->props_len);
	free(tags.v);
	free(props.v);
	if (rc < 0)
		return rc;
	lc__val_blob(&d->v[IMG_TAGS], out->tags, out->tags_len);
	lc__val_blob(&d->v[IMG_PROPERTIES], out->props, out->props_len);
	return 0;
}

/* ---- the scalar options ---- */

static int check_opts(const lc_image_opts *o, int update)
{
	LC_CHECK_VERSION(o, LC_IMAGE_OPTS_VERSION);
	if (o->disk_format && !lc__image_disk_format_ok(o->disk_format))
		return lc__error_set(LC_EINVALID, "unknown disk_format '%.32s'", o->disk_format);
	if (o->container_format && !lc__image_container_format_ok(o->container_format))
		return lc__error_set(LC_EINVALID, "unknown container_format '%.32s'", o->container_format);
	if (o->visibility && !lc__image_visibility_ok(o->visibility))
		return lc__error_set(LC_EINVALID, "unknown visibility '%.32s'", o->visibility);
	if (o->min_ram_mib < -1 || o->min_ram_mib > INT32_MAX)
		return lc__error_set(LC_EINVALID, "min_ram must be 0..%d", INT32_MAX);
	if (o->min_disk_gib < -1 || o->min_disk_gib > INT32_MAX)
		return lc__error_set(LC_EINVALID, "min_disk must be 0..%d", INT32_MAX);
	if (update && (o->id || o->owner))
		return lc__error_set(LC_EINVALID, "%s cannot be changed", o->id ? "id" : "owner");
	if (!update && (o->remove_properties || o->add_tags || o->remove_tags))
		return lc__error_set(LC_EINVALID, "remove_properties, add_tags and remove_tags are for updates");
	if (o->name)
		LC_TRY(lc__text_check("name", o->name, 0, LC_IMAGE_NAME_MAX));
	return check_lists(o);
}

/* Policy for a change of visibility. */
static int check_visibility_policy(lc_session *s, const char *vis, const char *owner)
{
	if (vis && strcmp(vis, "public") == 0)
		return lc__policy_enforce(s, "image:publicize_image", owner, NULL);
	if (vis && strcmp(vis, "community") == 0)
		return lc__policy_enforce(s, "image:communitize_image", owner, NULL);
	return 0;
}

/* Apply scalar options to a draft (strings borrowed from o). */
static int apply_scalars(lc__draft *d, const lc_image_opts *o, int update)
{
	LC_TRY(lc__draft_text(d, IMG_NAME, o->name, update));
	LC_TRY(lc__draft_text(d, IMG_DISK_FORMAT, o->disk_format, update));
	LC_TRY(lc__draft_text(d, IMG_CONTAINER_FORMAT, o->container_format, update));
	LC_TRY(lc__draft_text(d, IMG_VISIBILITY, o->visibility, update));
	LC_TRY(lc__draft_bool(d, IMG_PROTECTED, o->is_protected, update));
	LC_TRY(lc__draft_bool(d, IMG_HIDDEN, o->os_hidden, update));
	if (o->min_ram_mib >= 0)
		lc__draft_set_int(d, IMG_MIN_RAM, o->min_ram_mib);
	if (o->min_disk_gib >= 0)
		lc__draft_set_int(d, IMG_MIN_DISK, o->min_disk_gib);
	return 0;
}

LC_EXTERN int lc_image_opts_init(lc_image_opts *opts, unsigned int version)
{
	lc_image_opts init = LC_IMAGE_OPTS_INIT;

	lc__error_clear();
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_ARG(version >= 1 && version <= LC_IMAGE_OPTS_VERSION, "version");
	*opts = init;
	return 0;
}

/* ---- create ---- */

struct create_ctx {
	const lc_image_opts *opts;
	lists l;
};

static int create_check(lc__txn *t, lc__draft *d, void *p)
{
	struct create_ctx *c = p;
	const char *owner = d->v[IMG_OWNER].set ? d->v[IMG_OWNER].s : NULL;

	LC_TRY(apply_lists(d, c->opts, &c->l));
	if (owner)
		LC_TRY(lc__quota_charge(t, owner, LC_QUOTA_IMAGES, 1));
	return 0;
}

LC_EXTERN int lc_image_create(lc_image **out, lc_session *s, const lc_image_opts *opts)
{
	struct create_ctx c = { opts, { 0 } };
	lc__draft d;
	lc__rec *r = NULL;
	const char *owner;
	int64_t now = lc__now_us();
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(opts);
	LC_TRY(lc__session_check(s));
	LC_TRY(check_opts(opts, 0));
	lc__draft_new(&d, &lc__image_shape);
	if (opts->id) {
		uint8_t raw[LC__ID_BYTES];

		LC_TRY(lc__id_check("id", opts->id, raw));
		lc__id_format(raw, d.ids[IMG_ID]);
		lc__val_str(&d.v[IMG_ID], d.ids[IMG_ID]);
	}
	owner = opts->owner;
	if (owner == NULL && s->scope == LC_SCOPE_PROJECT)
		owner = s->project_id;
	if (owner && opts->owner && !lc__session_is_admin(s) &&
	    !(s->scope == LC_SCOPE_PROJECT && strcmp(opts->owner, s->project_id) == 0))
		return lc__error_set(LC_EFORBIDDEN, "only an admin may create an image for another project");
	lc__draft_set_str(&d, IMG_STATUS, "queued");
	lc__draft_set_str(&d, IMG_VISIBILITY, "shared");
	lc__val_bool(&d.v[IMG_PROTECTED], 0);
	lc__val_bool(&d.v[IMG_HIDDEN], 0);
	lc__draft_set_int(&d, IMG_MIN_RAM, 0);
	lc__draft_set_int(&d, IMG_MIN_DISK, 0);
	lc__draft_set_int(&d, IMG_CREATED, now);
	lc__draft_set_int(&d, IMG_UPDATED, now);
	LC_TRY(apply_scalars(&d, opts, 0));
	if (owner)
		LC_TRY(lc__draft_text(&d, IMG_OWNER, owner, 0));
	LC_TRY(check_visibility_policy(s, opts->visibility, owner));
	rc = lc__res_create(out ? &r : NULL, s, &d, "image:add_image", owner, create_check, &c);
	lists_free(&c.l);
	if (out)
		*out = (lc_image *)r;
	return rc;
}

/* ---- get ---- */

LC_EXTERN int lc_image_get(lc_image **out, lc_session *s, const char *id)
{
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	rc = lc__res_get(&r, s, &lc__image_shape, "image:get_image", id, lc__image_visible);
	*out = (lc_image *)r;
	return rc;
}

/* ---- writes on one image ---- */

typedef int (*image_change_fn)(lc__txn *t, lc__draft *d, const lc__rec *old, void *p);

struct change_ctx {
	lc_session *s;
	const char *id;
	const char *op;
	image_change_fn fn;
	void *p;
	lc__rec *out;
};

static int change_tx(lc__txn *t, void *p)
{
	struct change_ctx *c = p;
	lc__rec *old;
	lc__draft d;
	int rc;

	lc__rec_free(c->out);
	c->out = NULL;
	LC_TRY(lc__image_load(t, c->s, c->id, c->op, &old));
	lc__draft_from(&d, old);
	rc = c->fn(t, &d, old, c->p);
	if (rc == 0) {
		lc__draft_set_int(&d, IMG_UPDATED, lc__now_us());
		rc = lc__rec_update(t, old, d.v);
	}
	if (rc == 0)
		rc = lc__draft_snapshot(&d, &c->out);
	lc__rec_free(old);
	return rc;
}

/* Load, check visibility and policy op, apply fn, store: one write transaction. */
static int image_change(lc_image **out, lc_session *s, const char *id, const char *op, image_change_fn fn, void *p)
{
	char key[LC__ID_TEXT];
	struct change_ctx c = { s, key, op, fn, p, NULL };
	int rc;

	if (out)
		*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	rc = lc__store_write(lc__session_store(s), change_tx, &c);
	if (rc < 0 || out == NULL) {
		lc__rec_free(c.out);
		return rc;
	}
	*out = (lc_image *)c.out;
	return 0;
}

struct update_ctx {
	lc_session *s;
	const lc_image_opts *opts;
	lists l;
};

static int update_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	struct update_ctx *u = p;
	const lc_image_opts *o = u->opts;
	const char *status = lc__rec_str(old, IMG_STATUS);

	(void)t;
	if ((o->disk_format || o->container_format) && strcmp(status, "queued") != 0) {
		const char *df = lc__rec_str(old, IMG_DISK_FORMAT), *cf = lc__rec_str(old, IMG_CONTAINER_FORMAT);
		if ((o->disk_format && (!df || strcmp(df, o->disk_format))) ||
		    (o->container_format && (!cf || strcmp(cf, o->container_format))))
			return lc__error_set(LC_ECONFLICT, "the formats of an image can change only while it is queued");
	}
	LC_TRY(check_visibility_policy(u->s, o->visibility, lc__rec_str(old, IMG_OWNER)));
	LC_TRY(apply_scalars(d, o, 1));
	return apply_lists(d, o, &u->l);
}

LC_EXTERN int lc_image_update(lc_image **out, lc_session *s, const char *id, const lc_image_opts *opts)
{
	struct update_ctx u = { s, opts, { 0 } };
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(opts);
	LC_TRY(check_opts(opts, 1));
	rc = image_change(out, s, id, "image:modify_image", update_apply, &u);
	lists_free(&u.l);
	return rc;
}

static int deactivate_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	const char *status = lc__rec_str(old, IMG_STATUS);
	const char *to = p, *from = strcmp(to, "active") == 0 ? "deactivated" : "active";

	(void)t;
	if (strcmp(status, to) != 0 && strcmp(status, from) != 0)
		return lc__error_set(LC_ECONFLICT, "image %s is %s, not %s", lc__rec_str(old, IMG_ID), status, from);
	lc__draft_set_str(d, IMG_STATUS, to);
	return 0;
}

LC_EXTERN int lc_image_deactivate(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	LC_CHECK_FLAGS(flags, 0);
	return image_change(NULL, s, id, "image:deactivate", deactivate_apply, (void *)"deactivated");
}

LC_EXTERN int lc_image_reactivate(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	LC_CHECK_FLAGS(flags, 0);
	return image_change(NULL, s, id, "image:reactivate", deactivate_apply, (void *)"active");
}

/* ---- delete ---- */

struct delete_ctx {
	lc_session *s;
	const char *id;
	char store[LC_DRIVER_NAME_MAX + 1];
	char location[LC_IMAGE_LOCATION_MAX];
};

static int delete_tx(lc__txn *t, void *p)
{
	struct delete_ctx *c = p;
	const char *owner, *loc;
	lc__rec *old;
	int rc;

	c->store[0] = c->location[0] = '\0';
	LC_TRY(lc__image_load(t, c->s, c->id, "image:delete_image", &old));
	owner = lc__rec_str(old, IMG_OWNER);
	loc = lc__rec_str(old, IMG_LOCATION);
	rc = 0;
	if (lc__rec_int(old, IMG_PROTECTED))
		rc = lc__error_set(LC_EFORBIDDEN, "image %s is protected and cannot be deleted", c->id);
	if (rc == 0 && owner)
		rc = lc__quota_charge(t, owner, LC_QUOTA_IMAGES, -1);
	if (rc == 0 && owner && loc)
		rc = lc__quota_charge(t, owner, LC_QUOTA_IMAGE_BYTES, -lc__rec_int(old, IMG_SIZE));
	if (rc == 0)
		rc = lc__image_members_purge(t, c->id);
	if (rc == 0)
		rc = lc__rec_delete(t, old);
	if (rc == 0 && loc && lc__rec_str(old, IMG_STORE)) {
		lc__strlcpy(c->store, lc__rec_str(old, IMG_STORE), sizeof(c->store));
		lc__strlcpy(c->location, loc, sizeof(c->location));
	}
	lc__rec_free(old);
	return rc;
}

LC_EXTERN int lc_image_delete(lc_session *s, const char *id, unsigned int flags)
{
	char key[LC__ID_TEXT];
	struct delete_ctx c;
	lc_image_store *st;

	lc__error_clear();
	LC_TRY(lc__session_check(s));
	LC_CHECK_FLAGS(flags, 0);
	LC_TRY(lc__id_canon("id", id, key));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.id = key;
	LC_TRY(lc__store_write(lc__session_store(s), delete_tx, &c));
	/* The record is gone: remove the data (an orphan left by a crash is swept at open). */
	if (c.location[0] && lc__image_store_find(&st, s->cloud, c.store) == 0 && st->remove) {
		int rc = st->remove(st, c.location);
		if (rc < 0 && rc != LC_ENOTFOUND)
			lc__log(s->cloud, LC_LOG_WARN, "image %s: removing its data failed: %s", key,
				lc_error_last()->message);
	}
	lc__error_clear();
	return 0;
}

/* ---- getters ---- */

LC__RESOURCE_STR(image, id, IMG_ID)
LC__RESOURCE_TEXT(image, name, IMG_NAME)
LC__RESOURCE_STR(image, status, IMG_STATUS)
LC__RESOURCE_STR(image, visibility, IMG_VISIBILITY)
LC__RESOURCE_STR(image, owner, IMG_OWNER)
LC__RESOURCE_STR(image, disk_format, IMG_DISK_FORMAT)
LC__RESOURCE_STR(image, container_format, IMG_CONTAINER_FORMAT)
LC__RESOURCE_BOOL(image, protected, IMG_PROTECTED)
LC__RESOURCE_BOOL(image, os_hidden, IMG_HIDDEN)
LC__RESOURCE_STR(image, checksum, IMG_CHECKSUM)
LC__RESOURCE_STR(image, os_hash_algo, IMG_HASH_ALGO)
LC__RESOURCE_STR(image, os_hash_value, IMG_HASH_VALUE)
LC__RESOURCE_STR(image, store_name, IMG_STORE)

static int64_t int_or(const lc_image *i, int f, int64_t dflt)
{
	return i && lc__rec_set(&i->rec, f) ? lc__rec_int(&i->rec, f) : dflt;
}

LC_EXTERN int64_t lc_image_size(const lc_image *i)
{
	return int_or(i, IMG_SIZE, -1);
}

LC_EXTERN int64_t lc_image_virtual_size(const lc_image *i)
{
	return int_or(i, IMG_VIRTUAL_SIZE, -1);
}

LC_EXTERN int64_t lc_image_min_ram_mib(const lc_image *i)
{
	return int_or(i, IMG_MIN_RAM, 0);
}

LC_EXTERN int64_t lc_image_min_disk_gib(const lc_image *i)
{
	return int_or(i, IMG_MIN_DISK, 0);
}

LC_EXTERN int64_t lc_image_created_at(const lc_image *i)
{
	return int_or(i, IMG_CREATED, 0);
}

LC_EXTERN int64_t lc_image_updated_at(const lc_image *i)
{
	return int_or(i, IMG_UPDATED, 0);
}

LC_EXTERN size_t lc_image_tag_count(const lc_image *i)
{
	return i ? lc__list_count(&i->rec.v[IMG_TAGS]) : 0;
}

LC_EXTERN const char *lc_image_tag(const lc_image *i, size_t n)
{
	return i ? lc__list_item(&i->rec.v[IMG_TAGS], n) : NULL;
}

LC_EXTERN size_t lc_image_property_count(const lc_image *i)
{
	return i ? lc__list_count(&i->rec.v[IMG_PROPERTIES]) / 2 : 0;
}

LC_EXTERN const char *lc_image_property_key(const lc_image *i, size_t n)
{
	return i && n < lc_image_property_count(i) ? lc__list_item(&i->rec.v[IMG_PROPERTIES], 2 * n) : NULL;
}

LC_EXTERN const char *lc_image_property_value(const lc_image *i, size_t n)
{
	return i && n < lc_image_property_count(i) ? lc__list_item(&i->rec.v[IMG_PROPERTIES], 2 * n + 1) : NULL;
}

LC_EXTERN const char *lc_image_property(const lc_image *i, const char *key)
{
	return i ? lc__props_get(&i->rec.v[IMG_PROPERTIES], key) : NULL;
}

LC_EXTERN void lc_image_free(lc_image *i)
{
	lc__rec_free(i ? &i->rec : NULL);
}
