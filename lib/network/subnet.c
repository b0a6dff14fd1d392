/* Subnets: a CIDR on a network, its gateway and allocation pools, checked before anything is stored. */
#include <libcloud/subnet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/policy.h"
#include "core/quota.h"
#include "network/net.h"

/* Own subnets, and those of shared networks. */
static int subnet_visible(lc__txn *t, const lc_session *s, const lc__rec *r, void *p)
{
	lc__rec net;
	int rc;

	(void)p;
	if (lc__net_own(s, lc__rec_str(r, SUB_PROJECT)))
		return 1;
	rc = lc__rec_view(t, &lc__network_shape, lc__rec_str(r, SUB_NETWORK), &net);
	if (rc == LC_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	return (int)lc__rec_int(&net, NET_SHARED);
}

LC__RESOURCE_READERS(subnet, lc__subnet_shape, "network:get_subnet", "network:get_subnet", subnet_visible)
LC__RESOURCE_STR(subnet, id, SUB_ID)
LC__RESOURCE_STR(subnet, project_id, SUB_PROJECT)
LC__RESOURCE_STR(subnet, network_id, SUB_NETWORK)
LC__RESOURCE_TEXT(subnet, name, SUB_NAME)
LC__RESOURCE_TEXT(subnet, description, SUB_DESCRIPTION)
LC__RESOURCE_STR(subnet, cidr, SUB_CIDR)
LC__RESOURCE_STR(subnet, gateway_ip, SUB_GATEWAY)
LC__RESOURCE_BOOL(subnet, enable_dhcp, SUB_DHCP)
LC__RESOURCE_STR(subnet, ipv6_ra_mode, SUB_RA_MODE)
LC__RESOURCE_STR(subnet, ipv6_address_mode, SUB_ADDR_MODE)
LC__NET_COUNT(subnet, pool_count, SUB_POOLS, 2)
LC__NET_ITEM(subnet, pool_start, SUB_POOLS, 2, 0)
LC__NET_ITEM(subnet, pool_end, SUB_POOLS, 2, 1)
LC__NET_COUNT(subnet, dns_nameserver_count, SUB_DNS, 1)
LC__NET_ITEM(subnet, dns_nameserver, SUB_DNS, 1, 0)
LC__NET_COUNT(subnet, host_route_count, SUB_ROUTES, 2)
LC__NET_ITEM(subnet, host_route_destination, SUB_ROUTES, 2, 0)
LC__NET_ITEM(subnet, host_route_nexthop, SUB_ROUTES, 2, 1)
LC__NET_COUNT(subnet, tag_count, SUB_TAGS, 1)
LC__NET_ITEM(subnet, tag, SUB_TAGS, 1, 0)
LC__NET_INT(subnet, created_at, SUB_CREATED)
LC__NET_INT(subnet, updated_at, SUB_UPDATED)
LC__NET_INT(subnet, revision, SUB_REVISION)

LC_EXTERN int lc_subnet_ip_version(const lc_subnet *sn)
{
	return sn ? (int)lc__rec_int(&sn->rec, SUB_IP_VERSION) : 0;
}

LC__OPTS_INIT_FN(lc_subnet_opts_init, lc_subnet_opts, LC_SUBNET_OPTS_INIT, LC_SUBNET_OPTS_VERSION)

int lc__subnet_cidr(const lc__rec *sub, lc__cidr *c)
{
	if (lc__cidr_parse("cidr", lc__rec_str(sub, SUB_CIDR), 1, c) < 0)
		return lc__error_set(LC_ECORRUPT, "subnet %s has a corrupt CIDR", lc__rec_str(sub, SUB_ID));
	return 0;
}

/* Everything checked about a subnet's addressing, before and outside any transaction. */
struct plan {
	lc__cidr cidr;
	char cidr_text[LC__CIDR_TEXT];
	int has_gw;
	lc__addr gw;
	char gw_text[LC__IP_TEXT];
	lc__addr pools[2 * LC_SUBNET_POOLS_MAX];
	size_t npools;
	lc__nl pools_nl, dns_nl, routes_nl, tags_nl;
};

static void plan_free(struct plan *pl)
{
	lc__nl_free(&pl->pools_nl);
	lc__nl_free(&pl->dns_nl);
	lc__nl_free(&pl->routes_nl);
	lc__nl_free(&pl->tags_nl);
}

/* The first and last addresses a pool may use. */
static void host_bounds(const lc__cidr *c, lc__addr *lo, lc__addr *hi)
{
	*lo = c->net;
	lc__addr_inc(lo);
	lc__cidr_last(c, hi);
	if (c->version == 4)
		lc__addr_dec(hi);
}

static int check_gateway(struct plan *pl, const char *gw)
{
	lc__addr lo, hi;
	int v;

	pl->has_gw = 0;
	if (gw == NULL || *gw == '\0')
		return 0;
	LC_TRY(lc__ip_check("gateway_ip", gw, &v, &pl->gw));
	if (v != pl->cidr.version)
		return lc__error_set(LC_EINVALID, "gateway_ip %.64s is not an IPv%d address", gw, pl->cidr.version);
	if (!lc__cidr_contains(&pl->cidr, v, &pl->gw))
		return lc__error_set(LC_EINVALID, "gateway_ip %.64s is outside the subnet %s", gw, pl->cidr_text);
	host_bounds(&pl->cidr, &lo, &hi);
	if (lc__addr_cmp(&pl->gw, &lo) < 0 || lc__addr_cmp(&pl->gw, &hi) > 0)
		return lc__error_set(LC_EINVALID, "gateway_ip %.64s is the network or broadcast address of %s", gw,
				     pl->cidr_text);
	pl->has_gw = 1;
	lc__ip_format(v, &pl->gw, pl->gw_text);
	return 0;
}

static int cmp_pool(const void *a, const void *b)
{
	return lc__addr_cmp(a, b);
}

/* Pools given by the caller: inside the subnet's host range, ordered, disjoint, gateway outside. */
static int check_pools(struct plan *pl, const char *const *pools)
{
	size_t n = lc__strv_len(pools);
	lc__addr lo, hi;
	char a[LC__IP_TEXT], b[LC__IP_TEXT];

	if (n % 2)
		return lc__error_set(LC_EINVALID, "allocation_pools must be start, end pairs");
	if (n / 2 > LC_SUBNET_POOLS_MAX)
		return lc__error_set(LC_EINVALID, "too many allocation pools (at most %d)", LC_SUBNET_POOLS_MAX);
	host_bounds(&pl->cidr, &lo, &hi);
	pl->npools = n / 2;
	for (size_t i = 0; i < pl->npools; i++) {
		lc__addr *s = &pl->pools[2 * i], *e = &pl->pools[2 * i + 1];
		int vs, ve;

		LC_TRY(lc__ip_check("allocation pool start", pools[2 * i], &vs, s));
		LC_TRY(lc__ip_check("allocation pool end", pools[2 * i + 1], &ve, e));
		if (vs != pl->cidr.version || ve != pl->cidr.version)
			return lc__error_set(LC_EINVALID, "allocation pool %.64s-%.64s is not IPv%d", pools[2 * i],
					     pools[2 * i + 1], pl->cidr.version);
		if (lc__addr_cmp(s, e) > 0)
			return lc__error_set(LC_EINVALID, "allocation pool %.64s-%.64s ends before it starts",
					     pools[2 * i], pools[2 * i + 1]);
		if (lc__addr_cmp(s, &lo) < 0 || lc__addr_cmp(e, &hi) > 0)
			return lc__error_set(LC_EINVALID, "allocation pool %.64s-%.64s is outside the hosts of %s",
					     pools[2 * i], pools[2 * i + 1], pl->cidr_text);
	}
	qsort(pl->pools, pl->npools, 2 * sizeof(lc__addr), cmp_pool);
	for (size_t i = 1; i < pl->npools; i++) {
		if (lc__addr_cmp(&pl->pools[2 * i], &pl->pools[2 * i - 1]) <= 0) {
			lc__ip_format(pl->cidr.version, &pl->pools[2 * i - 2], a);
			lc__ip_format(pl->cidr.version, &pl->pools[2 * i], b);
			return lc__error_set(LC_EINVALID, "allocation pools starting at %s and %s overlap", a, b);
		}
	}
	return 0;
}

/* The default pool: every host address but the gateway. */
static void default_pools(struct plan *pl)
{
	lc__addr lo, hi;

	host_bounds(&pl->cidr, &lo, &hi);
	pl->npools = 0;
	if (!pl->has_gw || lc__addr_cmp(&pl->gw, &lo) < 0 || lc__addr_cmp(&pl->gw, &hi) > 0) {
		pl->pools[0] = lo;
		pl->pools[1] = hi;
		pl->npools = 1;
		return;
	}
	if (lc__addr_cmp(&pl->gw, &lo) > 0) {
		pl->pools[2 * pl->npools] = lo;
		pl->pools[2 * pl->npools + 1] = pl->gw;
		lc__addr_dec(&pl->pools[2 * pl->npools + 1]);
		pl->npools++;
	}
	if (lc__addr_cmp(&pl->gw, &hi) < 0) {
		pl->pools[2 * pl->npools] = pl->gw;
		lc__addr_inc(&pl->pools[2 * pl->npools]);
		pl->pools[2 * pl->npools + 1] = hi;
		pl->npools++;
	}
}

static int gateway_outside_pools(struct plan *pl)
{
	if (!pl->has_gw)
		return 0;
	for (size_t i = 0; i < pl->npools; i++) {
		if (lc__addr_cmp(&pl->gw, &pl->pools[2 * i]) >= 0 && lc__addr_cmp(&pl->gw, &pl->pools[2 * i + 1]) <= 0) {
			char a[LC__IP_TEXT], b[LC__IP_TEXT];

			lc__ip_format(pl->cidr.version, &pl->pools[2 * i], a);
			lc__ip_format(pl->cidr.version, &pl->pools[2 * i + 1], b);
			return lc__error_set(LC_EINVALID, "gateway_ip %s conflicts with allocation pool %s-%s",
					     pl->gw_text, a, b);
		}
	}
	return 0;
}

static int pools_text(struct plan *pl)
{
	char a[LC__IP_TEXT];

	lc__nl_reset(&pl->pools_nl);
	for (size_t i = 0; i < 2 * pl->npools; i++) {
		lc__ip_format(pl->cidr.version, &pl->pools[i], a);
		LC_TRY(lc__nl_add(&pl->pools_nl, a));
	}
	return 0;
}

static int check_dns(struct plan *pl, const char *const *dns)
{
	size_t n = lc__strv_len(dns);
	lc__val v;

	lc__nl_reset(&pl->dns_nl);
	if (n > LC_SUBNET_DNS_MAX)
		return lc__error_set(LC_EINVALID, "too many dns_nameservers (at most %d)", LC_SUBNET_DNS_MAX);
	for (size_t i = 0; i < n; i++) {
		char text[LC__IP_TEXT];
		lc__addr a;
		int ver;

		LC_TRY(lc__ip_check("dns_nameservers", dns[i], &ver, &a));
		lc__ip_format(ver, &a, text);
		lc__nl_val(&v, &pl->dns_nl);
		if (lc__nlv_find(&v, 1, 0, text) >= 0)
			return lc__error_set(LC_EINVALID, "dns name server %s is given twice", text);
		LC_TRY(lc__nl_add(&pl->dns_nl, text));
	}
	return 0;
}

int lc__routes_check(lc__nl *out, const char *const *routes, int version, size_t max, const char *what)
{
	size_t n = lc__strv_len(routes);

	lc__nl_reset(out);
	if (n % 2)
		return lc__error_set(LC_EINVALID, "%s must be destination, nexthop pairs", what);
	if (n / 2 > max)
		return lc__error_set(LC_EINVALID, "too many %s (at most %zu)", what, max);
	for (size_t i = 0; i < n; i += 2) {
		char dest[LC__CIDR_TEXT], hop[LC__IP_TEXT];
		lc__cidr c;
		lc__addr a;
		int ver;
		lc__val v;

		LC_TRY(lc__cidr_parse("route destination", routes[i], 0, &c));
		LC_TRY(lc__ip_check("route nexthop", routes[i + 1], &ver, &a));
		if ((version && c.version != version) || ver != c.version)
			return lc__error_set(LC_EINVALID, "route %.64s via %.64s mixes IP versions", routes[i],
					     routes[i + 1]);
		lc__cidr_format(&c, dest);
		lc__ip_format(ver, &a, hop);
		lc__nl_val(&v, out);
		for (size_t k = 0; k < lc__nlv_count(&v, 2); k++)
			if (strcmp(lc__nlv_item(&v, 2 * k), dest) == 0 && strcmp(lc__nlv_item(&v, 2 * k + 1), hop) == 0)
				return lc__error_set(LC_EINVALID, "route %s via %s is given twice", dest, hop);
		LC_TRY(lc__nl_add(out, dest));
		LC_TRY(lc__nl_add(out, hop));
	}
	return 0;
}

static int check_mode(const char *field, const char *m)
{
	if (m == NULL)
		return 0;
	if (strcmp(m, "slaac") && strcmp(m, "dhcpv6-stateful") && strcmp(m, "dhcpv6-stateless"))
		return lc__error_set(LC_EINVALID, "%s '%.32s' is not slaac, dhcpv6-stateful or dhcpv6-stateless", field, m);
	return 0;
}

/* The pure checks of a create: CIDR, version, modes, gateway, pools, DNS, routes, tags. */
static int plan_create(struct plan *pl, const lc_subnet_opts *o)
{
	int minp, maxp;

	LC_TRY(lc__cidr_parse("cidr", o->cidr, 1, &pl->cidr));
	lc__cidr_format(&pl->cidr, pl->cidr_text);
	if (o->ip_version != 0 && o->ip_version != 4 && o->ip_version != 6)
		return lc__error_set(LC_EINVALID, "ip_version must be 4 or 6");
	if (o->ip_version != 0 && o->ip_version != pl->cidr.version)
		return lc__error_set(LC_EINVALID, "cidr %s is not an IPv%d network", pl->cidr_text, o->ip_version);
	LC_TRY(check_mode("ipv6_ra_mode", o->ipv6_ra_mode));
	LC_TRY(check_mode("ipv6_address_mode", o->ipv6_address_mode));
	if (pl->cidr.version == 4 && (o->ipv6_ra_mode || o->ipv6_address_mode))
		return lc__error_set(LC_EINVALID, "IPv6 modes are not allowed on an IPv4 subnet");
	if (o->ipv6_ra_mode && o->ipv6_address_mode && strcmp(o->ipv6_ra_mode, o->ipv6_address_mode) != 0)
		return lc__error_set(LC_EINVALID, "ipv6_ra_mode %s and ipv6_address_mode %s do not agree",
				     o->ipv6_ra_mode, o->ipv6_address_mode);
	minp = pl->cidr.version == 4 ? 8 : 16;
	maxp = pl->cidr.version == 4 ? 30 : 126;
	if (pl->cidr.prefix < minp || pl->cidr.prefix > maxp)
		return lc__error_set(LC_EINVALID, "cidr %s: the prefix length must be %d..%d for IPv%d", pl->cidr_text,
				     minp, maxp, pl->cidr.version);
	for (const char *m = o->ipv6_ra_mode ? o->ipv6_ra_mode : o->ipv6_address_mode; m; m = NULL)
		if (strcmp(m, "dhcpv6-stateful") != 0 && pl->cidr.prefix != 64)
			return lc__error_set(LC_EINVALID, "cidr %s: %s needs a /64 prefix", pl->cidr_text, m);
	if (o->gateway_ip == NULL) {
		lc__addr first = pl->cidr.net;

		lc__addr_inc(&first);
		pl->gw = first;
		pl->has_gw = 1;
		lc__ip_format(pl->cidr.version, &pl->gw, pl->gw_text);
	} else {
		LC_TRY(check_gateway(pl, o->gateway_ip));
	}
	if (o->allocation_pools) {
		LC_TRY(check_pools(pl, o->allocation_pools));
		LC_TRY(gateway_outside_pools(pl));
	} else {
		default_pools(pl);
	}
	LC_TRY(pools_text(pl));
	LC_TRY(check_dns(pl, o->dns_nameservers));
	LC_TRY(lc__routes_check(&pl->routes_nl, o->host_routes, pl->cidr.version, LC_SUBNET_ROUTES_MAX, "host_routes"));
	return lc__net_tags(&pl->tags_nl, o->tags);
}

struct sub_ctx {
	lc_session *s;
	const lc_subnet_opts *o;
	struct plan pl;
	char project[LC__ID_TEXT];
	int project_given;
};

/* The network for a subnet change: visible, and the caller's (or the caller is admin). */
static int load_network(lc__txn *t, const lc_session *s, const char *id, lc__rec **out)
{
	lc__rec *net = NULL;

	LC_TRY(lc__net_load_visible(t, s, &lc__network_shape, id, lc__network_visible, &net));
	if (!lc__net_own(s, lc__rec_str(net, NET_PROJECT))) {
		lc__rec_free(net);
		return lc__error_set(LC_EFORBIDDEN, "network %s belongs to another project", id);
	}
	*out = net;
	return 0;
}

static int create_tx(lc__txn *t, lc__draft *d, void *p)
{
	struct sub_ctx *c = p;
	const char *nid = d->v[SUB_NETWORK].s, *sid = d->v[SUB_ID].s;
	lc__rec *net = NULL;
	size_t n;
	int rc = 0;

	LC_TRY(load_network(t, c->s, nid, &net));
	if (!c->project_given) { /* an admin without project_id: the subnet is the network's project's */
		const char *np = lc__rec_str(net, NET_PROJECT);

		snprintf(d->ids[SUB_PROJECT], sizeof(d->ids[SUB_PROJECT]), "%s", np ? np : "");
		lc__net_set_opt(&d->v[SUB_PROJECT], d->ids[SUB_PROJECT]);
	}
	n = lc__nl_count(net, NET_SUBNETS, 1);
	for (size_t i = 0; i < n && rc == 0; i++) {
		lc__rec *other;
		lc__cidr oc;

		rc = lc__rec_load(t, &lc__subnet_shape, lc__nl_item(net, NET_SUBNETS, i), &other);
		if (rc == LC_ENOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc == 0 && (rc = lc__subnet_cidr(other, &oc)) == 0 && lc__cidr_overlap(&oc, &c->pl.cidr))
			rc = lc__error_set(LC_EINVALID, "cidr %s overlaps with cidr %s of subnet %s on network %s",
					   c->pl.cidr_text, lc__rec_str(other, SUB_CIDR), lc__rec_str(other, SUB_ID), nid);
		lc__rec_free(other);
	}
	lc__rec_free(net);
	LC_TRY(rc);
	LC_TRY(lc__quota_charge(t, d->v[SUB_PROJECT].s, LC_QUOTA_SUBNETS, 1));
	LC_TRY(lc__ipam_setup(t, sid, c->pl.pools, c->pl.npools));
	return lc__network_link_subnet(t, nid, sid, 1);
}

/* Release what a subnet holds (delete and undo). */
static int subnet_release(lc__txn *t, const lc__rec *old, void *p)
{
	const char *sid = lc__rec_str(old, SUB_ID);
	int rc;

	(void)p;
	LC_TRY(lc__ipam_drop(t, sid));
	rc = lc__network_link_subnet(t, lc__rec_str(old, SUB_NETWORK), sid, 0);
	if (rc < 0 && rc != LC_ENOTFOUND)
		return rc;
	return lc__quota_charge(t, lc__rec_str(old, SUB_PROJECT), LC_QUOTA_SUBNETS, -1);
}

LC_EXTERN int lc_subnet_create(lc_subnet **out, lc_session *s, const lc_subnet_opts *o)
{
	struct sub_ctx c;
	lc__draft d;
	lc__rec *r = NULL;
	int rc;

	LC__NET_WRITE_BEGIN(out, o, LC_SUBNET_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__net_supported(s, LC__NK_SUBNET));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.o = o;
	c.project_given = o->project_id != NULL || !lc__session_is_admin(s);
	if (c.project_given)
		LC_TRY(lc__net_owner(s, o->project_id, c.project));
	if (o->network_id == NULL)
		return lc__error_set(LC_EINVALID, "network_id is required");
	lc__draft_new(&d, &lc__subnet_shape);
	memcpy(d.ids[SUB_PROJECT], c.project, LC__ID_TEXT);
	lc__net_set_opt(&d.v[SUB_PROJECT], c.project[0] ? d.ids[SUB_PROJECT] : NULL);
	rc = lc__draft_text(&d, SUB_NETWORK, o->network_id, 0);
	if (rc == 0)
		rc = lc__net_text(&d, SUB_NAME, o->name ? o->name : "", 0);
	if (rc == 0)
		rc = lc__net_text(&d, SUB_DESCRIPTION, o->description, 0);
	if (rc == 0) {
		lc__val_bool(&d.v[SUB_DHCP], 1);
		rc = lc__draft_bool(&d, SUB_DHCP, o->enable_dhcp, 0);
	}
	if (rc == 0)
		rc = plan_create(&c.pl, o);
	if (rc == 0) {
		lc__draft_set_int(&d, SUB_IP_VERSION, c.pl.cidr.version);
		lc__draft_set_str(&d, SUB_CIDR, c.pl.cidr_text);
		lc__net_set_opt(&d.v[SUB_GATEWAY], c.pl.has_gw ? c.pl.gw_text : NULL);
		lc__net_set_opt(&d.v[SUB_RA_MODE], o->ipv6_ra_mode);
		lc__net_set_opt(&d.v[SUB_ADDR_MODE], o->ipv6_address_mode);
		lc__nl_val(&d.v[SUB_POOLS], &c.pl.pools_nl);
		lc__nl_val(&d.v[SUB_DNS], &c.pl.dns_nl);
		lc__nl_val(&d.v[SUB_ROUTES], &c.pl.routes_nl);
		lc__nl_val(&d.v[SUB_TAGS], &c.pl.tags_nl);
		lc__net_stamp(&d);
		/* an admin's subnet on another project's network: policy is checked against the admin's scope */
		rc = lc__res_create(&r, s, &d, "network:create_subnet", c.project[0] ? c.project : NULL, create_tx, &c);
	}
	plan_free(&c.pl);
	if (rc < 0)
		return rc;
	rc = lc__net_created(&r, s, LC__NK_SUBNET, subnet_release);
	if (rc == 0 && lc__rec_int(r, SUB_DHCP))
		(void)lc__dhcp_sync(s, lc__rec_str(r, SUB_NETWORK)); /* logged; the subnet stays */
	LC__NET_OUT(out, lc_subnet, r);
	return rc;
}

static int addr_of_text(const char *text, lc__addr *a)
{
	int v;

	return lc__ip_parse(text, &v, a) < 0 ? lc__error_set(LC_ECORRUPT, "a stored address is corrupt") : 0;
}

static int update_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	struct sub_ctx *c = p;
	const lc_subnet_opts *o = c->o;
	struct plan *pl = &c->pl;
	const char *sid = lc__rec_str(old, SUB_ID);
	int pools_changed = 0, gw_changed = 0;

	if (o->network_id || o->cidr || o->ip_version || o->ipv6_ra_mode || o->ipv6_address_mode || o->project_id)
		return lc__error_set(LC_EINVALID, "network_id, cidr, ip_version, IPv6 modes and project_id cannot be changed");
	LC_TRY(lc__net_text(d, SUB_NAME, o->name, 1));
	LC_TRY(lc__net_text(d, SUB_DESCRIPTION, o->description, 1));
	LC_TRY(lc__draft_bool(d, SUB_DHCP, o->enable_dhcp, 1));
	LC_TRY(lc__subnet_cidr(old, &pl->cidr));
	lc__cidr_format(&pl->cidr, pl->cidr_text);
	if (o->gateway_ip != NULL) {
		const char *cur = lc__rec_str(old, SUB_GATEWAY);

		LC_TRY(check_gateway(pl, o->gateway_ip));
		gw_changed = pl->has_gw ? (cur == NULL || strcmp(cur, pl->gw_text) != 0) : cur != NULL;
		if (pl->has_gw && gw_changed) {
			char owner[LC__ID_TEXT];
			int rc = lc__ipam_owner(t, sid, &pl->gw, owner);

			if (rc > 0)
				return lc__error_set(LC_ECONFLICT, "gateway_ip %s is allocated to port %s", pl->gw_text,
						     owner);
			LC_TRY(rc);
		}
	} else if (lc__rec_str(old, SUB_GATEWAY)) {
		LC_TRY(check_gateway(pl, lc__rec_str(old, SUB_GATEWAY)));
	}
	if (o->allocation_pools) {
		LC_TRY(check_pools(pl, o->allocation_pools));
		pools_changed = 1;
	} else {
		size_t n = lc__nl_count(old, SUB_POOLS, 2);

		pl->npools = n;
		for (size_t i = 0; i < 2 * n; i++)
			LC_TRY(addr_of_text(lc__nl_item(old, SUB_POOLS, i), &pl->pools[i]));
	}
	if (pools_changed || gw_changed)
		LC_TRY(gateway_outside_pools(pl));
	if (pools_changed) {
		LC_TRY(pools_text(pl));
		lc__nl_val(&d->v[SUB_POOLS], &pl->pools_nl);
		LC_TRY(lc__ipam_repool(t, sid, pl->pools, pl->npools));
	}
	if (o->gateway_ip != NULL)
		lc__net_set_opt(&d->v[SUB_GATEWAY], pl->has_gw ? pl->gw_text : NULL);
	if (o->dns_nameservers) {
		LC_TRY(check_dns(pl, o->dns_nameservers));
		lc__nl_val(&d->v[SUB_DNS], &pl->dns_nl);
	}
	if (o->host_routes) {
		LC_TRY(lc__routes_check(&pl->routes_nl, o->host_routes, pl->cidr.version, LC_SUBNET_ROUTES_MAX,
					"host_routes"));
		lc__nl_val(&d->v[SUB_ROUTES], &pl->routes_nl);
	}
	if (o->tags) {
		LC_TRY(lc__net_tags(&pl->tags_nl, o->tags));
		lc__nl_val(&d->v[SUB_TAGS], &pl->tags_nl);
	}
	return 0;
}

LC_EXTERN int lc_subnet_update(lc_subnet **out, lc_session *s, const char *id, const lc_subnet_opts *o)
{
	struct sub_ctx c;
	lc__rec *r = NULL;
	int rc;

	LC__NET_WRITE_BEGIN(out, o, LC_SUBNET_OPTS_VERSION);
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.o = o;
	rc = lc__net_update(&r, NULL, s, &lc__subnet_shape, "network:update_subnet", id, subnet_visible, update_apply,
			    &c);
	plan_free(&c.pl);
	if (rc < 0)
		return rc;
	rc = lc__net_updated(&r, s, LC__NK_SUBNET, -1);
	if (rc == 0 && o->enable_dhcp != LC_UNSET)
		(void)lc__dhcp_sync(s, lc__rec_str(r, SUB_NETWORK)); /* logged; the change stays */
	LC__NET_OUT(out, lc_subnet, r);
	return rc;
}

struct in_use {
	lc__txn *t;
	char port[LC__ID_TEXT];
	char router[LC__ID_TEXT];
};

static int find_user(const lc__addr *a, const char *owner, void *p)
{
	struct in_use *u = p;
	lc__rec port;
	const char *dev;
	int rc;

	(void)a;
	rc = lc__rec_view(u->t, &lc__port_shape, owner, &port);
	if (rc < 0 && rc != LC_ENOTFOUND)
		return rc;
	if (rc == 0 && lc__port_is_dhcp(&port))
		return 0; /* the network's DHCP port lets go of its address */
	if (u->port[0] == '\0')
		snprintf(u->port, sizeof(u->port), "%s", owner);
	if (rc == LC_ENOTFOUND)
		return 0;
	dev = lc__rec_str(&port, PRT_DEVICE_OWNER);
	if (dev && strncmp(dev, "network:router_interface", 24) == 0 && lc__rec_str(&port, PRT_DEVICE_ID)) {
		snprintf(u->router, sizeof(u->router), "%s", lc__rec_str(&port, PRT_DEVICE_ID));
		return 1;
	}
	return 0;
}

static int delete_check(lc__txn *t, const lc_session *s, const lc__rec *old, void *p)
{
	struct in_use u = { t, "", "" };
	const char *sid = lc__rec_str(old, SUB_ID);
	int rc;

	(void)s;
	(void)p;
	rc = lc__ipam_each_used(t, sid, find_user, &u);
	if (rc < 0)
		return rc;
	if (u.router[0])
		return lc__error_set(LC_ECONFLICT,
				     "Unable to complete operation on subnet %s: the subnet is used by router %s",
				     sid, u.router);
	if (u.port[0])
		return lc__error_set(LC_ECONFLICT,
				     "Unable to complete operation on subnet %s: One or more ports have an IP allocation from this subnet (port %s).",
				     sid, u.port);
	return 0;
}

/* The network of a subnet, when the settings ask for DHCP ports (else ""). */
static void dhcp_network_of(lc_session *s, const char *id, char net[LC__ID_TEXT])
{
	char key[LC__ID_TEXT];
	lc__rec sub;
	lc__txn t;

	net[0] = '\0';
	if (lc__session_check(s) < 0 || lc__net_of(s->cloud) == NULL || !lc__net_of(s->cloud)->conf.dhcp_ports ||
	    lc__id_canon("id", id, key) < 0 || lc__store_read(lc__session_store(s), &t) < 0)
		return;
	if (lc__rec_view(&t, &lc__subnet_shape, key, &sub) == 0)
		snprintf(net, LC__ID_TEXT, "%s", lc__rec_str(&sub, SUB_NETWORK));
	lc__store_read_end(&t);
}

LC_EXTERN int lc_subnet_delete(lc_session *s, const char *id, unsigned int flags)
{
	char net[LC__ID_TEXT];
	int rc;

	lc__error_clear();
	dhcp_network_of(s, id, net);
	lc__error_clear();
	rc = lc__net_delete(s, LC__NK_SUBNET, &lc__subnet_shape, "network:delete_subnet", id, flags, subnet_visible,
			    delete_check, subnet_release, NULL);
	if (rc == 0 && net[0])
		(void)lc__dhcp_sync(s, net); /* the DHCP port lets go of the subnet's address; logged */
	return rc;
}

LC_EXTERN int lc_subnet_ip_usage(uint64_t *allocated, uint64_t *available, lc_session *s, const char *id)
{
	char key[LC__ID_TEXT];
	uint64_t al = 0, av = 0;
	lc__rec *r = NULL;
	lc__txn t;
	int rc;

	lc__error_clear();
	if (allocated)
		*allocated = 0;
	if (available)
		*available = 0;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__net_load_visible(&t, s, &lc__subnet_shape, key, subnet_visible, &r);
	if (rc == 0)
		rc = lc__ipam_usage(&t, key, &al, &av);
	lc__store_read_end(&t);
	lc__rec_free(r);
	if (rc < 0)
		return rc;
	if (allocated)
		*allocated = al;
	if (available)
		*available = av;
	return 0;
}
