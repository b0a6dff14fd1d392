/*
 * The network service's settings: tenant network types and the segment
 * ranges tenant networks take their ids from, given by the host before the
 * cloud opens (lc_network_service_configure) and checked and copied then.
 */
#include <libcloud/network.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "network/net.h"
#include "services.h"

#define VNI_MAX 16777215
#define VLAN_MAX 4094

static const char *const type_names[] = { "vxlan", "geneve", "vlan", "local" };

static const char *static_type(const char *name)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strcmp(type_names[i], name) == 0)
			return type_names[i];
	return NULL;
}

LC__OPTS_INIT_FN(lc_network_service_opts_init, lc_network_service_opts, LC_NETWORK_SERVICE_OPTS_INIT,
		 LC_NETWORK_SERVICE_OPTS_VERSION)

void lc__netconf_free(lc__netconf *cf)
{
	if (cf == NULL)
		return;
	free(cf->ranges);
	memset(cf, 0, sizeof(*cf));
}

static void conf_free(void *p)
{
	lc__netconf_free(p);
	free(p);
}

/* A decimal id in [1, max] from s (len bytes). */
static int parse_id(const char *s, size_t len, int64_t max, int64_t *out)
{
	char buf[16];
	char *end;
	long long v;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (buf[i] < '0' || buf[i] > '9')
			return -1;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || *end || v < 1 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* "min:max" into r (the text after a physical network, for vlan). */
static int parse_span(const char *field, const char *whole, const char *s, int64_t max, lc__segrange *r)
{
	const char *colon = strchr(s, ':');

	if (colon == NULL || parse_id(s, (size_t)(colon - s), max, &r->min) < 0 ||
	    parse_id(colon + 1, strlen(colon + 1), max, &r->max) < 0)
		return lc__error_set(LC_EINVALID, "%s: '%.64s' is not min:max with ids in 1..%lld", field, whole,
				     (long long)max);
	if (r->min > r->max)
		return lc__error_set(LC_EINVALID, "%s: '%.64s' ends before it starts", field, whole);
	return 0;
}

static int push(lc__netconf *cf, const lc__segrange *r)
{
	lc__segrange *n = realloc(cf->ranges, (cf->nranges + 1) * sizeof(*n));

	if (n == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	cf->ranges = n;
	cf->ranges[cf->nranges++] = *r;
	return 0;
}

/* A new range must not overlap one of the same type and physical network. */
static int check_overlap(const lc__netconf *cf, const lc__segrange *r, const char *field)
{
	for (size_t i = 0; i < cf->nranges; i++) {
		const lc__segrange *o = &cf->ranges[i];

		if (o->type != r->type || strcmp(o->physnet, r->physnet) != 0 || o->max == 0 || r->max == 0)
			continue;
		if (r->min <= o->max && o->min <= r->max)
			return lc__error_set(LC_EINVALID, "%s: %s%s%lld:%lld overlaps %lld:%lld", field, r->physnet,
					     r->physnet[0] ? ":" : "", (long long)r->min, (long long)r->max,
					     (long long)o->min, (long long)o->max);
	}
	return 0;
}

static int add_vni(lc__netconf *cf, const char *type, const char *field, const char *const *list)
{
	static const char *const all[] = { "1:16777215", NULL };

	for (const char *const *it = list ? list : all; *it; it++) {
		lc__segrange r;

		memset(&r, 0, sizeof(r));
		r.type = static_type(type);
		LC_TRY(parse_span(field, *it, *it, VNI_MAX, &r));
		LC_TRY(check_overlap(cf, &r, field));
		LC_TRY(push(cf, &r));
	}
	return 0;
}

static int add_vlan(lc__netconf *cf, const char *const *list)
{
	static const char *const def[] = { "physnet1:1:4094", NULL };
	const char *field = "vlan_ranges";

	cf->vlan_any_physnet = list == NULL;
	for (const char *const *it = list ? list : def; *it; it++) {
		const char *colon = strchr(*it, ':');
		size_t plen = colon ? (size_t)(colon - *it) : strlen(*it);
		lc__segrange r;

		memset(&r, 0, sizeof(r));
		r.type = static_type("vlan");
		if (plen == 0 || plen > LC__PHYSNET_MAX)
			return lc__error_set(LC_EINVALID, "%s: '%.64s' needs a physical network of 1..%d bytes", field,
					     *it, LC__PHYSNET_MAX);
		memcpy(r.physnet, *it, plen);
		r.physnet[plen] = '\0';
		if (colon) {
			LC_TRY(parse_span(field, *it, colon + 1, VLAN_MAX, &r));
			LC_TRY(check_overlap(cf, &r, field));
		}
		LC_TRY(push(cf, &r));
	}
	return 0;
}

static int build(lc__netconf *cf, const lc_network_service_opts *o)
{
	static const char *const def_types[] = { "vxlan", NULL };
	const char *const *types = o && o->tenant_network_types ? o->tenant_network_types : def_types;

	memset(cf, 0, sizeof(*cf));
	if (o && o->dhcp_ports != 0 && o->dhcp_ports != 1)
		return lc__error_set(LC_EINVALID, "dhcp_ports must be 0 or 1");
	cf->dhcp_ports = o ? o->dhcp_ports : 0;
	for (const char *const *it = types; *it; it++) {
		const char *t = static_type(*it);

		if (t == NULL)
			return lc__error_set(LC_EINVALID,
					     "tenant_network_types: '%.32s' is not one of vxlan, geneve, vlan, local", *it);
		for (size_t i = 0; i < cf->ntypes; i++)
			if (cf->types[i] == t)
				return lc__error_set(LC_EINVALID, "tenant_network_types: %s is given twice", t);
		cf->types[cf->ntypes++] = t;
	}
	LC_TRY(add_vni(cf, "vxlan", "vxlan_vni_ranges", o ? o->vxlan_vni_ranges : NULL));
	LC_TRY(add_vni(cf, "geneve", "geneve_vni_ranges", o ? o->geneve_vni_ranges : NULL));
	return add_vlan(cf, o ? o->vlan_ranges : NULL);
}

static int copy(lc__netconf *dst, const lc__netconf *src)
{
	*dst = *src;
	dst->ranges = NULL;
	if (src->nranges) {
		dst->ranges = malloc(src->nranges * sizeof(*dst->ranges));
		if (dst->ranges == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		memcpy(dst->ranges, src->ranges, src->nranges * sizeof(*dst->ranges));
	}
	return 0;
}

LC_EXTERN int lc_network_service_configure(lc_cloud *c, const lc_network_service_opts *opts)
{
	lc__netconf *cf;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(c);
	LC_CHECK_VERSION(opts, LC_NETWORK_SERVICE_OPTS_VERSION);
	if (c->opened)
		return lc__error_set(LC_EINVALID, "the network service is configured before lc_cloud_open()");
	cf = calloc(1, sizeof(*cf));
	if (cf == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	rc = build(cf, opts);
	if (rc < 0) {
		conf_free(cf);
		return rc;
	}
	return lc__cloud_set_conf(c, LC__SVC_NETWORK, cf, conf_free);
}

int lc__netconf_load(const lc_cloud *c, lc__netconf *cf)
{
	const lc__netconf *given = c->conf[LC__SVC_NETWORK];
	int rc;

	if (given)
		return copy(cf, given);
	rc = build(cf, NULL);
	if (rc < 0)
		lc__netconf_free(cf);
	return rc;
}

int lc__netconf_vlan_physnet_known(const lc__netconf *cf, const char *physnet)
{
	if (cf->vlan_any_physnet)
		return 1;
	for (size_t i = 0; i < cf->nranges; i++)
		if (strcmp(cf->ranges[i].type, "vlan") == 0 && strcmp(cf->ranges[i].physnet, physnet) == 0)
			return 1;
	return 0;
}
