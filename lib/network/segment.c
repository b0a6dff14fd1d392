/*
 * Provider segments: the id of a network's layer-2 segment. Each pool (a
 * type, and for VLAN a physical network) keeps the ids nobody holds as a
 * set of free ranges (ranges.h) over the type's whole id space: VLAN
 * 1-4094 per physical network, VXLAN and Geneve 1-16777215, one flat
 * network per physical network, none for local networks. A claim (an
 * admin's provider segment) takes its id out of the set, or fails when it
 * is not there; a tenant allocation takes the lowest id of the set inside
 * the configured ranges (config.c), a few cursor moves per range, so the
 * ranges may change between opens without any rebuild.
 */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "network/net.h"
#include "network/ranges.h"

#define DEFAULT_PHYSNET "physnet1"

static const struct seg_type {
	const char *name;
	int physnet;      /* needs a physical network */
	int64_t min, max; /* segment ids; flat uses the single id 0, local none */
	int64_t mtu;
} types[] = {
	{ "vxlan", 0, 1, 16777215, 1450 },
	{ "geneve", 0, 1, 16777215, 1442 },
	{ "vlan", 1, 1, 4094, 1500 },
	{ "flat", 1, 0, 0, 1500 },
	{ "local", 0, -1, -1, 1500 },
};

static const struct seg_type *find_type(const char *name)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i].name, name) == 0)
			return &types[i];
	return NULL;
}

int64_t lc__segment_mtu(const char *type)
{
	const struct seg_type *ty = find_type(type);

	return ty ? ty->mtu : 1500;
}

int lc__segment_ranged(const char *type)
{
	const struct seg_type *ty = find_type(type);

	return ty != NULL && ty->max > 0;
}

int lc__segment_check(const lc__netconf *cf, const char *type, const char *physnet, int64_t segid)
{
	const struct seg_type *ty = find_type(type);

	if (ty == NULL)
		return lc__error_set(LC_EINVALID,
				     "provider:network_type '%.32s' is not one of flat, vlan, vxlan, geneve, local", type);
	if (!ty->physnet && physnet != NULL)
		return lc__error_set(LC_EINVALID, "provider:physical_network is not allowed with network type %s",
				     type);
	if (ty->min < 0 || (ty->min == 0 && ty->max == 0)) {
		if (segid != 0)
			return lc__error_set(LC_EINVALID, "provider:segmentation_id is not allowed with network type %s",
					     type);
		return 0;
	}
	if (segid != 0 && (segid < ty->min || segid > ty->max))
		return lc__error_set(LC_EINVALID, "provider:segmentation_id %lld is outside %lld..%lld for %s networks",
				     (long long)segid, (long long)ty->min, (long long)ty->max, type);
	if (strcmp(ty->name, "vlan") == 0) {
		if (physnet == NULL && segid != 0)
			return lc__error_set(LC_EINVALID,
					     "provider:segmentation_id requires provider:physical_network for a vlan network");
		if (physnet != NULL && !lc__netconf_vlan_physnet_known(cf, physnet))
			return lc__error_set(LC_EINVALID,
					     "provider:physical_network %.64s is unknown for a vlan network (not in vlan_ranges)",
					     physnet);
	}
	return 0;
}

static int pool_name(char out[LC__POOL_NAME_MAX + 1], const struct seg_type *ty, const char *physnet)
{
	int n = ty->physnet ? snprintf(out, LC__POOL_NAME_MAX + 1, "%s:%s", ty->name, physnet ? physnet : DEFAULT_PHYSNET)
			    : snprintf(out, LC__POOL_NAME_MAX + 1, "%s", ty->name);

	if (n < 0 || n > LC__POOL_NAME_MAX)
		return lc__error_set(LC_EINVALID, "provider:physical_network is too long");
	return 0;
}

/* Fill a pool's free set the first time it is used. */
static int ensure_pool(lc__txn *t, const struct seg_type *ty, const char *pool)
{
	MDB_val v;
	lc__addr lo, hi;
	int rc = lc__txn_get(t, &lc__segment_pool_db, pool, strlen(pool), &v);

	if (rc != LC_ENOTFOUND)
		return rc;
	lc__addr_from_u64(&lo, (uint64_t)ty->min);
	lc__addr_from_u64(&hi, (uint64_t)ty->max);
	LC_TRY(lc__ranges_add(t, &lc__segment_free_db, pool, &lo, &hi));
	return lc__txn_put(t, &lc__segment_pool_db, pool, strlen(pool), "1", 1, 0);
}

int lc__segment_take(lc__txn *t, const char *type, const char *physnet, int64_t segid, int64_t *out)
{
	const struct seg_type *ty = find_type(type);
	char pool[LC__POOL_NAME_MAX + 1];
	lc__addr a;
	int rc;

	*out = 0;
	if (ty == NULL)
		return lc__error_set(LC_EINVALID, "unknown network type %.32s", type);
	if (ty->min < 0)
		return 0;
	if (segid == 0 && ty->max > 0)
		return lc__error_set(LC_EINVALID, "no %s segment id to claim", type);
	LC_TRY(pool_name(pool, ty, physnet));
	LC_TRY(ensure_pool(t, ty, pool));
	lc__addr_from_u64(&a, (uint64_t)segid);
	rc = lc__ranges_take(t, &lc__segment_free_db, pool, &a);
	if (rc == 0) {
		if (ty->max == 0)
			return lc__error_set(LC_ECONFLICT, "physical network %s already has a flat network",
					     physnet ? physnet : DEFAULT_PHYSNET);
		return lc__error_set(LC_ECONFLICT, "%s segment %lld is in use", pool, (long long)segid);
	}
	if (rc < 0)
		return rc;
	*out = segid;
	return 0;
}

int lc__segment_release(lc__txn *t, const char *type, const char *physnet, int64_t segid)
{
	const struct seg_type *ty = find_type(type);
	char pool[LC__POOL_NAME_MAX + 1];
	lc__addr a;
	int rc;

	if (ty == NULL || ty->min < 0)
		return 0;
	LC_TRY(pool_name(pool, ty, physnet));
	lc__addr_from_u64(&a, (uint64_t)segid);
	rc = lc__ranges_find(t, &lc__segment_free_db, pool, &a, NULL, NULL);
	if (rc != 0)
		return rc < 0 ? rc : 0; /* already free */
	return lc__ranges_add(t, &lc__segment_free_db, pool, &a, &a);
}

/* Take the lowest free id of [min, max] in the pool: 1 with *out, 0 when none. */
static int take_in(lc__txn *t, const struct seg_type *ty, const char *physnet, int64_t min, int64_t max, int64_t *out)
{
	char pool[LC__POOL_NAME_MAX + 1];
	lc__addr lo, hi, a;
	int rc;

	LC_TRY(pool_name(pool, ty, physnet));
	LC_TRY(ensure_pool(t, ty, pool));
	lc__addr_from_u64(&lo, (uint64_t)min);
	lc__addr_from_u64(&hi, (uint64_t)max);
	rc = lc__ranges_take_lowest_in(t, &lc__segment_free_db, pool, &lo, &hi, &a);
	if (rc > 0)
		*out = (int64_t)lc__addr_to_u64(&a);
	return rc;
}

/* Describe the ranges tried, for the exhaustion message. */
static void describe(char *buf, size_t size, const lc__netconf *cf, const char *type, const char *physnet)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < cf->nranges && used + 1 < size; i++) {
		const lc__segrange *r = &cf->ranges[i];
		int n;

		if ((type && strcmp(r->type, type) != 0) || r->max == 0 || (physnet && strcmp(r->physnet, physnet) != 0))
			continue;
		if (type == NULL) {
			size_t k;

			for (k = 0; k < cf->ntypes && strcmp(cf->types[k], r->type) != 0; k++)
				;
			if (k == cf->ntypes)
				continue;
		}
		n = snprintf(buf + used, size - used, "%s%s %s%s%lld:%lld", used ? "," : "", r->type, r->physnet,
			     r->physnet[0] ? ":" : "", (long long)r->min, (long long)r->max);
		if (n < 0 || (size_t)n >= size - used) {
			snprintf(buf + (size > 4 ? size - 4 : 0), size > 4 ? 4 : size, "...");
			return;
		}
		used += (size_t)n;
	}
	if (used == 0)
		snprintf(buf, size, "none configured");
}

int lc__segment_alloc(lc__txn *t, const lc__netconf *cf, const char *type, const char *physnet,
		      const char **type_out, const char **physnet_out, int64_t *out)
{
	char tried[256];

	*out = 0;
	*physnet_out = NULL;
	for (size_t k = 0; k < (type ? 1 : cf->ntypes); k++) {
		const char *want = type ? type : cf->types[k];
		const struct seg_type *ty = find_type(want);

		if (ty == NULL)
			return lc__error_set(LC_EINVALID, "unknown network type %.32s", want);
		if (ty->min < 0) { /* local: no segment */
			*type_out = ty->name;
			return 0;
		}
		for (size_t i = 0; i < cf->nranges; i++) {
			const lc__segrange *r = &cf->ranges[i];
			int rc;

			if (strcmp(r->type, ty->name) != 0 || r->max == 0 || (physnet && strcmp(r->physnet, physnet) != 0))
				continue;
			rc = take_in(t, ty, ty->physnet ? r->physnet : NULL, r->min, r->max, out);
			if (rc < 0)
				return rc;
			if (rc > 0) {
				*type_out = ty->name;
				*physnet_out = ty->physnet ? r->physnet : NULL;
				return 0;
			}
		}
	}
	describe(tried, sizeof(tried), cf, type, physnet);
	return lc__error_set(LC_ECONFLICT,
			     "Unable to create the network. No tenant network is available for allocation (%s%s%s ranges: %s)",
			     type ? type : "tenant", physnet ? " on " : "", physnet ? physnet : "", tried);
}
