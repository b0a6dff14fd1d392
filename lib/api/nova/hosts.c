/* Nova: hypervisors, services, availability zones and aggregates (over compute hosts). */
#include "api/nova/nova.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

/* A stable integer id for a host's nova-compute service (FNV-1a of the host id, 31 bits). */
static int64_t service_id(const lc_compute_host *h)
{
	uint32_t v = 2166136261u;

	for (const char *p = lc_compute_host_id(h); *p; p++)
		v = (v ^ (unsigned char)*p) * 16777619u;
	return (int64_t)(v & 0x7fffffff) + 1;
}

static void gen_hypervisor(lc__api_ctx *x, yajl_gen g, const lc_compute_host *h, int detail)
{
	int64_t mem = lc_compute_host_memory_mib(h), disk = lc_compute_host_disk_gib(h);

	yajl_gen_map_open(g);
	lc__gen_kstr(g, "id", lc_compute_host_id(h));
	lc__gen_kstr(g, "hypervisor_hostname", lc_compute_host_name(h));
	lc__gen_kstr(g, "state", lc_compute_host_state(h));
	lc__gen_kstr(g, "status", lc_compute_host_enabled(h) ? "enabled" : "disabled");
	if (detail) {
		lc__gen_kstr(g, "cpu_info",
			     lc__arena_printf(x->arena, "{\"arch\": \"%s\"}", lc_compute_host_cpu_arch(h)));
		lc__gen_kint(g, "current_workload", 0);
		lc__gen_kint(g, "disk_available_least", disk - lc_compute_host_disk_gib_used(h));
		lc__gen_kstr(g, "host_ip", "127.0.0.1");
		lc__gen_kint(g, "free_disk_gb", disk - lc_compute_host_disk_gib_used(h));
		lc__gen_kint(g, "free_ram_mb", mem - lc_compute_host_memory_mib_used(h));
		lc__gen_kstr(g, "hypervisor_type", lc_compute_host_hypervisor_type(h));
		lc__gen_kint(g, "hypervisor_version", lc_compute_host_hypervisor_version(h));
		lc__gen_kint(g, "local_gb", disk);
		lc__gen_kint(g, "local_gb_used", lc_compute_host_disk_gib_used(h));
		lc__gen_kint(g, "memory_mb", mem);
		lc__gen_kint(g, "memory_mb_used", lc_compute_host_memory_mib_used(h));
		lc__gen_kint(g, "running_vms", lc_compute_host_running_vms(h));
		lc__gen_kint(g, "vcpus", lc_compute_host_vcpus(h));
		lc__gen_kint(g, "vcpus_used", lc_compute_host_vcpus_used(h));
		lc__gen_kmap(g, "service");
		lc__gen_kstr(g, "host", lc_compute_host_name(h));
		lc__gen_kint(g, "id", service_id(h));
		lc__gen_kstr(g, "disabled_reason", lc_compute_host_disabled_reason(h));
		lc__gen_end_map(g);
	}
	yajl_gen_map_close(g);
}

/* List every host through fn (the array is open). */
static int each_host(lc__api_ctx *x, yajl_gen g, void (*fn)(lc__api_ctx *, yajl_gen, const lc_compute_host *, void *),
		     void *p)
{
	lc_compute_host_iter *it = NULL;
	lc_compute_host *h;
	int rc = lc_compute_host_iter_new(&it, x->session, NULL);

	if (rc < 0)
		return rc;
	while ((rc = lc_compute_host_iter_next(&h, it)) == 0) {
		fn(x, g, h, p);
		lc_compute_host_free(h);
	}
	lc_compute_host_iter_free(it);
	return rc == LC_ITEROVER ? 0 : rc;
}

/* Reply {"<coll>": [fn(host)...]} with 200 (fn may skip hosts). */
static int host_list(lc__api_ctx *x, const char *coll,
		     void (*fn)(lc__api_ctx *, yajl_gen, const lc_compute_host *, void *), void *p)
{
	yajl_gen g;
	int rc;

	if (nv_begin(x))
		return 0;
	g = lc__json_begin(x);
	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_karray(g, coll);
	rc = each_host(x, g, fn, p);
	if (rc < 0) {
		yajl_gen_free(g);
		return nv_error(x, rc);
	}
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

static void hv_item(lc__api_ctx *x, yajl_gen g, const lc_compute_host *h, void *p)
{
	const char *pattern = ((const char **)p)[0];
	int detail = (int)(intptr_t)((const char **)p)[1];

	if (pattern && strcasestr(lc_compute_host_name(h), pattern) == NULL)
		return;
	gen_hypervisor(x, g, h, detail);
}

static int hypervisors(lc__api_ctx *x, int detail, const char *pattern)
{
	const char *p[2] = { pattern, (const char *)(intptr_t)detail };

	return host_list(x, "hypervisors", hv_item, p);
}

int nv_hypervisor_list(lc__api_ctx *x)
{
	return hypervisors(x, 0, NULL);
}

int nv_hypervisor_detail(lc__api_ctx *x)
{
	return hypervisors(x, 1, NULL);
}

int nv_hypervisor_search(lc__api_ctx *x)
{
	return hypervisors(x, 0, lc__req_param(x, 0));
}

int nv_hypervisor_get(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	lc_compute_host *h = NULL;
	yajl_gen g;
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_compute_host_get(&h, x->session, id);
	if (rc < 0)
		return nv_lookup_rc(rc, "Hypervisor", id);
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_compute_host_free(h);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_key(g, "hypervisor");
	gen_hypervisor(x, g, h, 1);
	yajl_gen_map_close(g);
	lc_compute_host_free(h);
	return lc__json_end(x, g, 200);
}

struct stats {
	int64_t count, vcpus, vcpus_used, mem, mem_used, disk, disk_used, running;
};

static void add_stats(lc__api_ctx *x, yajl_gen g, const lc_compute_host *h, void *p)
{
	struct stats *s = p;

	(void)x;
	(void)g;
	s->count++;
	s->vcpus += lc_compute_host_vcpus(h);
	s->vcpus_used += lc_compute_host_vcpus_used(h);
	s->mem += lc_compute_host_memory_mib(h);
	s->mem_used += lc_compute_host_memory_mib_used(h);
	s->disk += lc_compute_host_disk_gib(h);
	s->disk_used += lc_compute_host_disk_gib_used(h);
	s->running += lc_compute_host_running_vms(h);
}

int nv_hypervisor_stats(lc__api_ctx *x)
{
	struct stats s;
	yajl_gen g;
	int rc;

	if (nv_begin(x))
		return 0;
	memset(&s, 0, sizeof(s));
	rc = each_host(x, NULL, add_stats, &s);
	if (rc < 0)
		return nv_error(x, rc);
	g = lc__json_begin(x);
	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_kmap(g, "hypervisor_statistics");
	lc__gen_kint(g, "count", s.count);
	lc__gen_kint(g, "current_workload", 0);
	lc__gen_kint(g, "disk_available_least", s.disk - s.disk_used);
	lc__gen_kint(g, "free_disk_gb", s.disk - s.disk_used);
	lc__gen_kint(g, "free_ram_mb", s.mem - s.mem_used);
	lc__gen_kint(g, "local_gb", s.disk);
	lc__gen_kint(g, "local_gb_used", s.disk_used);
	lc__gen_kint(g, "memory_mb", s.mem);
	lc__gen_kint(g, "memory_mb_used", s.mem_used);
	lc__gen_kint(g, "running_vms", s.running);
	lc__gen_kint(g, "vcpus", s.vcpus);
	lc__gen_kint(g, "vcpus_used", s.vcpus_used);
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

/* ---- services: one nova-compute per host ---- */

static void service_item(lc__api_ctx *x, yajl_gen g, const lc_compute_host *h, void *p)
{
	const char *host = ((const char **)p)[0], *binary = ((const char **)p)[1];

	if ((host && strcmp(host, lc_compute_host_name(h))) || (binary && strcmp(binary, "nova-compute")))
		return;
	yajl_gen_map_open(g);
	lc__gen_kint(g, "id", service_id(h));
	lc__gen_kstr(g, "binary", "nova-compute");
	lc__gen_kstr(g, "host", lc_compute_host_name(h));
	lc__gen_kstr(g, "zone", lc_compute_host_availability_zone(h));
	lc__gen_kstr(g, "status", lc_compute_host_enabled(h) ? "enabled" : "disabled");
	lc__gen_kstr(g, "state", lc_compute_host_state(h));
	lc__gen_kstr(g, "updated_at", nv_time_us(x, lc_compute_host_updated_at(h)));
	lc__gen_kstr(g, "disabled_reason", lc_compute_host_disabled_reason(h));
	yajl_gen_map_close(g);
}

int nv_service_list(lc__api_ctx *x)
{
	const char *p[2] = { lc__req_query(x, "host"), lc__req_query(x, "binary") };

	return host_list(x, "services", service_item, p);
}

static int service_change(lc__api_ctx *x, int enable, int with_reason)
{
	static const nv_field fields[] = {
		{ "host", NV_STRING, 1 }, { "binary", NV_STRING, 1 }, { "disabled_reason", NV_STRING, 0 }
	};
	const lc__json *body;
	lc_compute_host_opts o = LC_COMPUTE_HOST_OPTS_INIT;
	lc_compute_host *h = NULL;
	const char *host, *binary, *reason;
	yajl_gen g;
	int rc;

	if (nv_begin(x) || lc__req_json(x, &body) != 0 || nv_check(x, body, fields, with_reason ? 3 : 2))
		return 0;
	host = nv_str(body, "host");
	binary = nv_str(body, "binary");
	reason = nv_str(body, "disabled_reason");
	if (strcmp(binary, "nova-compute") != 0)
		return lc__api_error(x, 404, "Service %.64s on host %.64s not found.", binary, host);
	rc = lc_compute_host_find(&h, x->session, host);
	if (rc < 0)
		return rc == LC_ENOTFOUND || rc == LC_EINVALID
			       ? lc__api_error(x, 404, "Host '%.64s' is not mapped to any cell", host)
			       : nv_error(x, rc);
	o.enabled = enable;
	o.disabled_reason = enable ? "" : reason;
	rc = lc_compute_host_update(NULL, x->session, lc_compute_host_id(h), &o);
	lc_compute_host_free(h);
	if (rc < 0)
		return nv_error(x, rc);
	g = lc__json_begin(x);
	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_kmap(g, "service");
	lc__gen_kstr(g, "host", host);
	lc__gen_kstr(g, "binary", binary);
	lc__gen_kstr(g, "status", enable ? "enabled" : "disabled");
	if (with_reason)
		lc__gen_kstr(g, "disabled_reason", reason ? reason : "");
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int nv_service_enable(lc__api_ctx *x)
{
	return service_change(x, 1, 0);
}

int nv_service_disable(lc__api_ctx *x)
{
	return service_change(x, 0, 0);
}

int nv_service_disable_reason(lc__api_ctx *x)
{
	return service_change(x, 0, 1);
}

/* ---- availability zones ---- */

static int zones(lc__api_ctx *x, int detail)
{
	lc_availability_zones *z = NULL;
	yajl_gen g;
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_availability_zones_get(&z, x->session);
	if (rc < 0)
		return nv_error(x, rc);
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_availability_zones_free(z);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, "availabilityZoneInfo");
	for (size_t i = 0; i < lc_availability_zones_count(z); i++) {
		/* the simple listing shows only zones in service, as Nova */
		if (!detail && !lc_availability_zones_available(z, i))
			continue;
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "zoneName", lc_availability_zones_name(z, i));
		lc__gen_kmap(g, "zoneState");
		lc__gen_kbool(g, "available", lc_availability_zones_available(z, i));
		lc__gen_end_map(g);
		if (detail && lc_availability_zones_host_count(z, i) > 0) {
			lc__gen_kmap(g, "hosts");
			for (size_t h = 0; h < lc_availability_zones_host_count(z, i); h++) {
				lc__gen_kmap(g, lc_availability_zones_host(z, i, h));
				lc__gen_kmap(g, "nova-compute");
				lc__gen_kbool(g, "available", lc_availability_zones_available(z, i));
				lc__gen_kbool(g, "active", 1);
				lc__gen_knull(g, "updated_at");
				lc__gen_end_map(g);
				lc__gen_end_map(g);
			}
			lc__gen_end_map(g);
		} else {
			lc__gen_knull(g, "hosts");
		}
		yajl_gen_map_close(g);
	}
	lc__gen_end_array(g);
	yajl_gen_map_close(g);
	lc_availability_zones_free(z);
	return lc__json_end(x, g, 200);
}

int nv_az_list(lc__api_ctx *x)
{
	return zones(x, 0);
}

int nv_az_detail(lc__api_ctx *x)
{
	return zones(x, 1);
}

/* ---- aggregates ---- */

void nv_gen_aggregate(lc__api_ctx *x, yajl_gen g, const lc_aggregate *a, int with_members)
{
	yajl_gen_map_open(g);
	lc__gen_kint(g, "id", lc_aggregate_number(a));
	lc__gen_kstr(g, "name", lc_aggregate_name(a));
	lc__gen_kstr(g, "availability_zone", lc_aggregate_availability_zone(a));
	lc__gen_kstr(g, "created_at", nv_time_us(x, lc_aggregate_created_at(a)));
	if (lc_aggregate_updated_at(a))
		lc__gen_kstr(g, "updated_at", nv_time_us(x, lc_aggregate_updated_at(a)));
	else
		lc__gen_knull(g, "updated_at");
	lc__gen_kbool(g, "deleted", 0);
	lc__gen_knull(g, "deleted_at");
	if (with_members) {
		lc__gen_karray(g, "hosts");
		for (size_t i = 0; i < lc_aggregate_host_count(a); i++)
			lc__gen_str(g, lc_aggregate_host(a, i));
		lc__gen_end_array(g);
		lc__gen_kmap(g, "metadata");
		for (size_t i = 0; i < lc_aggregate_metadata_count(a); i++)
			lc__gen_kstr(g, lc_aggregate_metadata_key(a, i), lc_aggregate_metadata_value(a, i));
		if (lc_aggregate_availability_zone(a))
			lc__gen_kstr(g, "availability_zone", lc_aggregate_availability_zone(a));
		lc__gen_end_map(g);
	}
	yajl_gen_map_close(g);
}

static int reply_aggregate(lc__api_ctx *x, lc_aggregate *a, int with_members)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL) {
		lc_aggregate_free(a);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_key(g, "aggregate");
	nv_gen_aggregate(x, g, a, with_members);
	yajl_gen_map_close(g);
	lc_aggregate_free(a);
	return lc__json_end(x, g, 200);
}

static void gen_aggregate_item(lc__api_ctx *x, yajl_gen g, const void *a)
{
	nv_gen_aggregate(x, g, a, 1);
}

LC__API_ITER_CALLS_DEFINE(aggregate)

static const nv_lister aggregates = {
	.coll = "aggregates",
	LC__API_ITER_CALLS(aggregate),
	.gen = gen_aggregate_item,
};

int nv_aggregate_list(lc__api_ctx *x)
{
	if (nv_begin(x))
		return 0;
	return nv_list_all(x, &aggregates, NULL);
}

static const nv_field aggregate_fields[] = {
	{ "name", NV_STRING, 0 },
	{ "availability_zone", NV_STRING_NULL, 0 },
};

int nv_aggregate_create(lc__api_ctx *x)
{
	const lc__json *body, *o;
	lc_aggregate_opts ao = LC_AGGREGATE_OPTS_INIT;
	lc_aggregate *a = NULL;
	int rc;

	if (nv_begin(x) || lc__req_json(x, &body) != 0 || (o = nv_wrapped(x, body, "aggregate")) == NULL ||
	    nv_check(x, o, aggregate_fields, 2))
		return 0;
	ao.name = nv_str(o, "name");
	ao.availability_zone = nv_str(o, "availability_zone");
	if (ao.name == NULL)
		return lc__api_error(x, 400, "Invalid input for field/attribute name. 'name' is a required property");
	rc = lc_aggregate_create(&a, x->session, &ao);
	if (rc == LC_EEXISTS)
		return lc__api_error(x, 409, "Aggregate %.255s already exists.", ao.name);
	if (rc < 0)
		return nv_error(x, rc);
	return reply_aggregate(x, a, 0);
}

int nv_aggregate_get(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	lc_aggregate *a = NULL;
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_aggregate_get(&a, x->session, id);
	if (rc < 0)
		return rc == LC_EFORBIDDEN ? nv_error(x, rc) : nv_lookup_rc(rc, "Aggregate", id);
	return reply_aggregate(x, a, 1);
}

int nv_aggregate_update(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	const lc__json *body, *o;
	lc_aggregate_opts ao = LC_AGGREGATE_OPTS_INIT;
	lc_aggregate *a = NULL;
	int rc;

	if (nv_begin(x) || lc__req_json(x, &body) != 0 || (o = nv_wrapped(x, body, "aggregate")) == NULL ||
	    nv_check(x, o, aggregate_fields, 2))
		return 0;
	ao.name = nv_str(o, "name");
	ao.availability_zone = nv_str(o, "availability_zone");
	if (ao.availability_zone == NULL && lc__json_get(o, "availability_zone"))
		ao.availability_zone = "";
	rc = lc_aggregate_update(&a, x->session, id, &ao);
	if (rc == LC_ENOTFOUND)
		return nv_lookup_rc(rc, "Aggregate", id);
	if (rc < 0)
		return nv_error(x, rc);
	return reply_aggregate(x, a, 1);
}

int nv_aggregate_delete(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_aggregate_delete(x->session, id, 0);
	if (rc == LC_ENOTFOUND)
		return nv_lookup_rc(rc, "Aggregate", id);
	if (rc == LC_ECONFLICT)
		return lc__api_error(x, 400, "%s", lc_error_last()->message);
	if (rc < 0)
		return nv_error(x, rc);
	return lc__reply_empty(x, 200);
}

int nv_aggregate_action(lc__api_ctx *x)
{
	static const nv_field host_fields[] = { { "host", NV_STRING, 1 } };
	static const nv_field md_fields[] = { { "metadata", NV_OBJECT, 1 } };
	const char *id = lc__req_param(x, 0);
	const lc__json *body, *a;
	lc_aggregate *agg = NULL;
	int rc;

	if (nv_begin(x) || lc__req_json(x, &body) != 0)
		return 0;
	if (body->count != 1 || body->child->type != LC__J_OBJECT)
		return lc__api_error(x, 400, "Exactly one aggregate action expected.");
	a = body->child;
	if (!strcmp(a->key, "add_host") || !strcmp(a->key, "remove_host")) {
		int add = a->key[0] == 'a';

		if (nv_check(x, a, host_fields, 1))
			return 0;
		rc = add ? lc_aggregate_add_host(&agg, x->session, id, nv_str(a, "host"))
			 : lc_aggregate_remove_host(&agg, x->session, id, nv_str(a, "host"));
		if (rc == LC_EEXISTS || rc == LC_ECONFLICT)
			return lc__api_error(x, 409, "%s", lc_error_last()->message);
		if (rc == LC_ENOTFOUND)
			return lc__api_error(x, 404, "%s", lc_error_last()->message);
	} else if (!strcmp(a->key, "set_metadata")) {
		const lc__json *md;
		const char **pairs;
		size_t n = 0;

		if (nv_check(x, a, md_fields, 1))
			return 0;
		md = lc__json_get(a, "metadata");
		pairs = lc__arena_alloc(x->arena, (2 * md->count + 1) * sizeof(*pairs));
		if (pairs == NULL)
			return LC_ENOMEM;
		for (const lc__json *m = md->child; m; m = m->next) {
			if (m->type != LC__J_STRING && m->type != LC__J_NULL)
				return lc__api_error(x, 400, "Invalid input for metadata: '%.64s' must be a string or null.",
						     m->key);
			pairs[2 * n] = m->key;
			pairs[2 * n + 1] = m->type == LC__J_STRING ? m->s : NULL;
			n++;
		}
		pairs[2 * n] = NULL;
		rc = lc_aggregate_set_metadata(&agg, x->session, id, pairs, n);
		if (rc == LC_ECONFLICT)
			return lc__api_error(x, 400, "%s", lc_error_last()->message);
		if (rc == LC_ENOTFOUND)
			return nv_lookup_rc(rc, "Aggregate", id);
	} else {
		return lc__api_error(x, 400, "Invalid aggregate action: %.64s", a->key);
	}
	if (rc < 0)
		return nv_error(x, rc);
	return reply_aggregate(x, agg, 1);
}
