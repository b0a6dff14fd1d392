/* Compute hosts: the registry, inventory from the driver, exact usage. */
#include <libcloud/aggregate.h>
#include <libcloud/compute_host.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compute/compute.h"
#include "core/error.h"
#include "core/policy.h"
#include "core/resource.h"
#include "core/text.h"

LC__RESOURCE_READERS(compute_host, lc__host_shape, "compute:get_host", "compute:list_hosts", NULL)
LC__RESOURCE_FIND(compute_host, lc__host_shape, "compute:get_host", HST_IX_NAME, NULL, (const char *name),
		  LC_CHECK_NOTNULL(name);, name)
LC__OPTS_INIT_FN(lc_compute_host_opts_init, lc_compute_host_opts, LC_COMPUTE_HOST_OPTS_INIT,
		 LC_COMPUTE_HOST_OPTS_VERSION)

int lc__host_load_name(lc__txn *t, const char *name, lc__rec **out)
{
	char id[LC__ID_TEXT + 1];
	const char *parts[] = { name };
	int rc;

	*out = NULL;
	if (name == NULL || strlen(name) > LC_HOST_NAME_MAX)
		return lc__error_set(LC_ENOTFOUND, "no compute host named '%.64s'", name ? name : "");
	rc = lc__index_lookup(t, &lc__host_shape.indexes[HST_IX_NAME], parts, id, sizeof(id));
	if (rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "no compute host named '%.255s'", name);
	LC_TRY(rc);
	return lc__rec_load(t, &lc__host_shape, id, out);
}

int lc__host_charge(lc__txn *t, const char *name, int sign, int64_t vcpus, int64_t ram, int64_t disk,
		    lc__host_delta *d)
{
	lc__rec *h;
	lc__val v[LC__MAX_FIELDS];
	int rc;

	LC_TRY(lc__host_load_name(t, name, &h));
	lc__rec_values(h, v);
	lc__val_int(&v[HST_VCPUS_USED], lc__rec_int(h, HST_VCPUS_USED) + sign * vcpus);
	lc__val_int(&v[HST_MEM_USED], lc__rec_int(h, HST_MEM_USED) + sign * ram);
	lc__val_int(&v[HST_DISK_USED], lc__rec_int(h, HST_DISK_USED) + sign * disk);
	lc__val_int(&v[HST_RUNNING], lc__rec_int(h, HST_RUNNING) + sign);
	for (int f = HST_VCPUS_USED; f <= HST_RUNNING; f++)
		if (v[f].i < 0) /* never below zero, even if a record was edited by hand */
			v[f].i = 0;
	lc__val_int(&v[HST_GEN], lc__rec_int(h, HST_GEN) + 1);
	rc = lc__rec_update(t, h, v);
	if (rc == 0 && d) {
		snprintf(d->id, sizeof(d->id), "%s", lc__rec_str(h, HST_ID));
		d->gen = v[HST_GEN].i;
		d->vcpus_used = v[HST_VCPUS_USED].i;
		d->mem_used = v[HST_MEM_USED].i;
		d->disk_used = v[HST_DISK_USED].i;
		d->running = v[HST_RUNNING].i;
	}
	lc__rec_free(h);
	return rc;
}

static int host_name_ok(const char *s)
{
	for (const char *p = s; *p; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '-' || c == '_'))
			return 0;
	}
	return *s != '\0';
}

static int ratio_arg(lc__draft *d, int field, double r, const char *name)
{
	if (r == 0)
		return 0;
	if (!(r > 0 && r <= 1000))
		return lc__error_set(LC_EINVALID, "%s must be > 0 and <= 1000", name);
	lc__val_int(&d->v[field], (int64_t)(r * 1000.0 + 0.5));
	if (d->v[field].i == 0)
		d->v[field].i = 1;
	return 0;
}

static int apply_common(lc__draft *d, const lc_compute_host_opts *o, int update)
{
	LC_TRY(lc__draft_bool(d, HST_ENABLED, o->enabled, update));
	if (o->disabled_reason && o->disabled_reason[0] == '\0')
		d->v[HST_REASON].set = 0;
	else
		LC_TRY(lc__draft_text(d, HST_REASON, o->disabled_reason, update));
	LC_TRY(ratio_arg(d, HST_CPU_RATIO, o->cpu_allocation_ratio, "cpu_allocation_ratio"));
	LC_TRY(ratio_arg(d, HST_RAM_RATIO, o->ram_allocation_ratio, "ram_allocation_ratio"));
	return ratio_arg(d, HST_DISK_RATIO, o->disk_allocation_ratio, "disk_allocation_ratio");
}

/* Call the driver for a host's inventory (outside any transaction). */
static int read_inventory(lc__compute *cs, const char *driver, const char *uri, lc_compute_inventory *inv)
{
	lc_compute_driver *d;
	int rc;

	LC_TRY(lc__compute_driver(cs, driver, &d));
	if (d->inventory == NULL)
		return lc__error_set(LC_ENOTSUPPORTED, "compute driver %s reads no inventory", driver);
	memset(inv, 0, sizeof(*inv));
	inv->version = LC_COMPUTE_INVENTORY_VERSION;
	lc__cdrv_enter(cs, d);
	lc__error_clear();
	rc = d->inventory(d, uri, inv);
	lc__cdrv_leave(cs, d);
	if (rc < 0 && lc__error_code() != rc)
		lc__error_set(rc, "compute driver %s failed to read the inventory of %s", driver, uri);
	if (rc == 0 && (inv->vcpus < 0 || inv->memory_mib < 0 || inv->disk_gib < 0))
		rc = lc__error_set(LC_EBACKEND, "compute driver %s reported a negative inventory", driver);
	inv->hypervisor_type[sizeof(inv->hypervisor_type) - 1] = '\0';
	inv->cpu_arch[sizeof(inv->cpu_arch) - 1] = '\0';
	return rc < 0 ? rc : 0;
}

static void set_inventory(lc__val *v, const lc_compute_inventory *inv)
{
	lc__val_int(&v[HST_VCPUS], inv->vcpus);
	lc__val_int(&v[HST_MEM], inv->memory_mib);
	lc__val_int(&v[HST_DISK], inv->disk_gib);
	lc__val_int(&v[HST_HV_VERSION], inv->hypervisor_version);
	lc__val_str(&v[HST_HV_TYPE], lc__utf8_valid(inv->hypervisor_type, strlen(inv->hypervisor_type))
					      ? inv->hypervisor_type : "unknown");
	lc__val_str(&v[HST_ARCH], lc__utf8_valid(inv->cpu_arch, strlen(inv->cpu_arch)) ? inv->cpu_arch : "unknown");
}

LC_EXTERN int lc_compute_host_create(lc_compute_host **out, lc_session *s, const lc_compute_host_opts *o)
{
	lc_compute_inventory inv;
	lc__draft d;
	lc__rec *r = NULL;
	int64_t now = lc__now_us();
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(o);
	LC_CHECK_VERSION(o, LC_COMPUTE_HOST_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "compute:create_host", NULL, NULL));
	LC_CHECK_ARG(o->name != NULL, "name is required");
	LC_CHECK_ARG(o->driver != NULL, "driver is required");
	LC_CHECK_ARG(o->uri != NULL, "uri is required");
	lc__draft_new(&d, &lc__host_shape);
	LC_TRY(lc__draft_text(&d, HST_NAME, o->name, 0));
	if (!host_name_ok(o->name))
		return lc__error_set(LC_EINVALID, "invalid host name '%.64s': letters, digits, '.', '-', '_'", o->name);
	LC_TRY(lc__draft_text(&d, HST_DRIVER, o->driver, 0));
	LC_TRY(lc__draft_text(&d, HST_URI, o->uri, 0));
	lc__val_bool(&d.v[HST_ENABLED], 1);
	lc__val_int(&d.v[HST_CPU_RATIO], 16000);
	lc__val_int(&d.v[HST_RAM_RATIO], 1500);
	lc__val_int(&d.v[HST_DISK_RATIO], 1000);
	LC_TRY(apply_common(&d, o, 0));
	LC_TRY(read_inventory(lc__compute_of(s->cloud), o->driver, o->uri, &inv));
	set_inventory(d.v, &inv);
	lc__draft_set_str(&d, HST_STATE, "up");
	lc__draft_set_str(&d, HST_AZ, LC_DEFAULT_AVAILABILITY_ZONE);
	for (int f = HST_VCPUS_USED; f <= HST_RUNNING; f++)
		lc__val_int(&d.v[f], 0);
	lc__val_int(&d.v[HST_GEN], 1);
	lc__draft_set_int(&d, HST_CREATED, now);
	lc__draft_set_int(&d, HST_UPDATED, now);
	rc = lc__res_create(out ? &r : NULL, s, &d, "compute:create_host", NULL, NULL, NULL);
	if (rc == 0)
		lc__hcache_invalidate(lc__compute_of(s->cloud));
	if (out)
		*out = (lc_compute_host *)r;
	return rc;
}

static int update_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	const lc_compute_host_opts *o = p;

	(void)t;
	if (o->name || o->driver || o->uri)
		return lc__error_set(LC_EINVALID, "the name, driver and uri of a host cannot change");
	LC_TRY(apply_common(d, o, 1));
	lc__val_int(&d->v[HST_GEN], lc__rec_int(old, HST_GEN) + 1);
	lc__draft_set_int(d, HST_UPDATED, lc__now_us());
	return 0;
}

LC_EXTERN int lc_compute_host_update(lc_compute_host **out, lc_session *s, const char *id,
				     const lc_compute_host_opts *opts)
{
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION(opts, LC_COMPUTE_HOST_OPTS_VERSION);
	rc = lc__res_update(out ? &r : NULL, s, &lc__host_shape, "compute:update_host", id, update_apply,
			    (void *)opts);
	if (rc == 0)
		lc__hcache_invalidate(lc__compute_of(s->cloud));
	if (out)
		*out = (lc_compute_host *)r;
	return rc;
}

struct refresh_ctx {
	const lc_compute_inventory *inv; /* NULL: the driver failed */
};

static int refresh_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	struct refresh_ctx *c = p;

	(void)t;
	if (c->inv)
		set_inventory(d->v, c->inv);
	lc__draft_set_str(d, HST_STATE, c->inv ? "up" : "down");
	lc__val_int(&d->v[HST_GEN], lc__rec_int(old, HST_GEN) + 1);
	lc__draft_set_int(d, HST_UPDATED, lc__now_us());
	return 0;
}

LC_EXTERN int lc_compute_host_refresh(lc_compute_host **out, lc_session *s, const char *id, unsigned int flags)
{
	lc_compute_host *h = NULL;
	lc_compute_inventory inv;
	struct refresh_ctx c = { &inv };
	lc__rec *r = NULL;
	int rc, drc;
	char msg[512];

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_FLAGS(flags, 0);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "compute:update_host", NULL, NULL));
	LC_TRY(lc_compute_host_get(&h, s, id));
	drc = read_inventory(lc__compute_of(s->cloud), lc_compute_host_driver(h), lc_compute_host_uri(h), &inv);
	snprintf(msg, sizeof(msg), "%s", lc_error_last()->message);
	lc_compute_host_free(h);
	if (drc < 0)
		c.inv = NULL;
	rc = lc__res_update(out && drc == 0 ? &r : NULL, s, &lc__host_shape, "compute:update_host", id,
			    refresh_apply, &c);
	lc__hcache_invalidate(lc__compute_of(s->cloud));
	if (out)
		*out = (lc_compute_host *)r;
	if (rc == 0 && drc < 0)
		return lc__error_set(drc, "%s", msg);
	return rc;
}

/* Remove a host name from every aggregate (at host delete). */
static int leave_aggregates(lc__txn *t, const char *name)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, ret = 0;
	char ids[64][LC__ID_TEXT];
	size_t n = 0;
	char last[LC__ID_TEXT] = "";

	/* gather ids of aggregates holding the host (batches of 64), then update each */
	for (;;) {
		n = 0;
		rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, lc__aggregate_shape.db), &cur);
		if (rc)
			return lc__txn_error(t, rc, "aggregates");
		if (last[0]) {
			k.mv_data = last;
			k.mv_size = strlen(last);
			rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
			if (rc == 0 && k.mv_size == strlen(last) && memcmp(k.mv_data, last, k.mv_size) == 0)
				rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
		} else {
			rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
		}
		for (; rc == 0 && n < 64; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			lc__rec *a;
			lc__strlist l;

			if (k.mv_size >= LC__ID_TEXT)
				continue;
			memcpy(last, k.mv_data, k.mv_size);
			last[k.mv_size] = '\0';
			if ((ret = lc__rec_decode(&lc__aggregate_shape, v.mv_data, v.mv_size, &a)) < 0)
				break;
			if ((ret = lc__strlist_parse(&l, &a->v[AGG_HOSTS])) == 0) {
				if (lc__strlist_has(&l, name))
					memcpy(ids[n++], last, LC__ID_TEXT);
				lc__strlist_free(&l);
			}
			lc__rec_free(a);
			if (ret < 0)
				break;
		}
		mdb_cursor_close(cur);
		if (ret < 0)
			return ret;
		if (rc != 0 && rc != MDB_NOTFOUND)
			return lc__txn_error(t, rc, "aggregates");
		for (size_t i = 0; i < n; i++) {
			lc__rec *a;
			lc__strlist l;
			lc__val vals[LC__MAX_FIELDS];
			char *buf = NULL;
			size_t len;

			LC_TRY(lc__rec_load(t, &lc__aggregate_shape, ids[i], &a));
			ret = lc__strlist_parse(&l, &a->v[AGG_HOSTS]);
			if (ret == 0) {
				lc__strlist_del(&l, name);
				ret = lc__strlist_encode(&l, &buf, &len);
				lc__strlist_free(&l);
			}
			if (ret == 0) {
				lc__rec_values(a, vals);
				lc__val_blob(&vals[AGG_HOSTS], buf, len);
				lc__val_int(&vals[AGG_UPDATED], lc__now_us());
				ret = lc__rec_update(t, a, vals);
			}
			free(buf);
			lc__rec_free(a);
			if (ret < 0)
				return ret;
		}
		if (rc == MDB_NOTFOUND)
			return 0;
	}
}

static int host_predelete(lc__txn *t, const lc__rec *old, void *p)
{
	const char *parts[] = { lc__rec_str(old, HST_NAME) };
	int rc;

	(void)p;
	if ((rc = lc__index_any(t, &lc__server_shape.indexes[SRV_IX_HOST], parts)) != 0 ||
	    (rc = lc__index_any(t, &lc__server_shape.indexes[SRV_IX_PREV_HOST], parts)) != 0)
		return rc < 0 ? rc : lc__error_set(LC_ECONFLICT, "compute host %s still holds servers", parts[0]);
	return leave_aggregates(t, parts[0]);
}

LC_EXTERN int lc_compute_host_delete(lc_session *s, const char *id, unsigned int flags)
{
	int rc;

	lc__error_clear();
	rc = lc__res_delete(s, &lc__host_shape, "compute:delete_host", id, flags, host_predelete, NULL);
	if (rc == 0)
		lc__hcache_invalidate(lc__compute_of(s->cloud));
	return rc;
}

LC__RESOURCE_STR(compute_host, id, HST_ID)
LC__RESOURCE_STR(compute_host, name, HST_NAME)
LC__RESOURCE_STR(compute_host, driver, HST_DRIVER)
LC__RESOURCE_STR(compute_host, uri, HST_URI)
LC__RESOURCE_BOOL(compute_host, enabled, HST_ENABLED)
LC__RESOURCE_STR(compute_host, disabled_reason, HST_REASON)
LC__RESOURCE_STR(compute_host, state, HST_STATE)
LC__RESOURCE_STR(compute_host, availability_zone, HST_AZ)
LC__RESOURCE_STR(compute_host, hypervisor_type, HST_HV_TYPE)
LC__RESOURCE_STR(compute_host, cpu_arch, HST_ARCH)

#define INT_GETTER(NAME, F)                                                \
	LC_EXTERN int64_t lc_compute_host_##NAME(const lc_compute_host *h) \
	{                                                                  \
		return h ? lc__rec_int(&h->rec, F) : 0;                    \
	}
INT_GETTER(vcpus, HST_VCPUS)
INT_GETTER(vcpus_used, HST_VCPUS_USED)
INT_GETTER(memory_mib, HST_MEM)
INT_GETTER(memory_mib_used, HST_MEM_USED)
INT_GETTER(disk_gib, HST_DISK)
INT_GETTER(disk_gib_used, HST_DISK_USED)
INT_GETTER(running_vms, HST_RUNNING)
INT_GETTER(hypervisor_version, HST_HV_VERSION)
INT_GETTER(created_at, HST_CREATED)
INT_GETTER(updated_at, HST_UPDATED)

#define RATIO_GETTER(NAME, F)                                             \
	LC_EXTERN double lc_compute_host_##NAME(const lc_compute_host *h) \
	{                                                                 \
		return h ? LC__RATIO(lc__rec_int(&h->rec, F)) : 0;        \
	}
RATIO_GETTER(cpu_allocation_ratio, HST_CPU_RATIO)
RATIO_GETTER(ram_allocation_ratio, HST_RAM_RATIO)
RATIO_GETTER(disk_allocation_ratio, HST_DISK_RATIO)
