/* Routers: interfaces on subnets, an external gateway with SNAT, static routes. */
#include <libcloud/router.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/policy.h"
#include "core/quota.h"
#include "network/net.h"

#define IF_OWNER "network:router_interface"
#define GW_OWNER "network:router_gateway"

LC__RESOURCE_READERS(router, lc__router_shape, "network:get_router", "network:list_routers", lc__net_visible_own)
LC__RESOURCE_STR(router, id, RTR_ID)
LC__RESOURCE_STR(router, project_id, RTR_PROJECT)
LC__RESOURCE_TEXT(router, name, RTR_NAME)
LC__RESOURCE_TEXT(router, description, RTR_DESCRIPTION)
LC__RESOURCE_BOOL(router, admin_state_up, RTR_ADMIN_UP)
LC__RESOURCE_STR(router, status, RTR_STATUS)
LC__RESOURCE_STR(router, external_network_id, RTR_GW_NETWORK)
LC__RESOURCE_STR(router, gateway_port_id, RTR_GW_PORT)
LC__RESOURCE_BOOL(router, enable_snat, RTR_SNAT)
LC__NET_COUNT(router, external_ip_count, RTR_GW_IPS, 2)
LC__NET_ITEM(router, external_ip_subnet_id, RTR_GW_IPS, 2, 0)
LC__NET_ITEM(router, external_ip_address, RTR_GW_IPS, 2, 1)
LC__NET_COUNT(router, route_count, RTR_ROUTES, 2)
LC__NET_ITEM(router, route_destination, RTR_ROUTES, 2, 0)
LC__NET_ITEM(router, route_nexthop, RTR_ROUTES, 2, 1)
LC__NET_COUNT(router, tag_count, RTR_TAGS, 1)
LC__NET_ITEM(router, tag, RTR_TAGS, 1, 0)
LC__NET_INT(router, created_at, RTR_CREATED)
LC__NET_INT(router, updated_at, RTR_UPDATED)
LC__NET_INT(router, revision, RTR_REVISION)

/* subnet -> routers with an interface on it, read through the core's index helpers */
static const lc__index router_if_ix = { &lc__router_if_db, 1, { 0 }, 0, "router interface" };

LC__OPTS_INIT_FN(lc_router_opts_init, lc_router_opts, LC_ROUTER_OPTS_INIT, LC_ROUTER_OPTS_VERSION)

static int is_interface(const lc__rec *port, const char *router_id)
{
	const char *owner = lc__rec_str(port, PRT_DEVICE_OWNER), *dev = lc__rec_str(port, PRT_DEVICE_ID);

	return owner && strncmp(owner, IF_OWNER, strlen(IF_OWNER)) == 0 && dev && strcmp(dev, router_id) == 0;
}

static int collect_id(lc__txn *t, const char *id, void *p)
{
	(void)t;
	return lc__nl_add(p, id);
}

/* The ids of a router's interface ports. */
static int interface_ports(lc__txn *t, const char *router_id, lc__nl *out)
{
	const char *parts[] = { router_id };
	lc__nl all = { 0 };
	lc__val v;
	int rc;

	lc__nl_reset(out);
	rc = lc__index_each(t, &lc__port_shape.indexes[PRT_IX_DEVICE], parts, collect_id, &all);
	lc__nl_val(&v, &all);
	for (size_t i = 0; rc == 0 && i < lc__nlv_count(&v, 1); i++) {
		lc__rec port;

		rc = lc__rec_view(t, &lc__port_shape, lc__nlv_item(&v, i), &port);
		if (rc == LC_ENOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc == 0 && is_interface(&port, router_id))
			rc = lc__nl_add(out, lc__nlv_item(&v, i));
	}
	lc__nl_free(&all);
	return rc;
}

/* The subnets a router is on (interfaces and gateway), with their CIDRs. */
struct rsubnets {
	size_t n;
	char id[64][LC__ID_TEXT];
	lc__cidr c[64];
};

static int rsub_add(lc__txn *t, struct rsubnets *rs, const char *sid)
{
	lc__rec sub;
	int rc;

	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->id[i], sid) == 0)
			return 0;
	if (rs->n >= 64)
		return lc__error_set(LC_EINVALID, "a router is on at most 64 subnets");
	rc = lc__rec_view(t, &lc__subnet_shape, sid, &sub);
	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	LC_TRY(lc__subnet_cidr(&sub, &rs->c[rs->n]));
	snprintf(rs->id[rs->n], LC__ID_TEXT, "%s", sid);
	rs->n++;
	return 0;
}

static int router_subnets(lc__txn *t, const char *router_id, const lc__val *gw_ips, int with_gw, struct rsubnets *rs)
{
	lc__nl ports = { 0 };
	lc__val v;
	int rc;

	rs->n = 0;
	rc = interface_ports(t, router_id, &ports);
	lc__nl_val(&v, &ports);
	for (size_t i = 0; rc == 0 && i < lc__nlv_count(&v, 1); i++) {
		lc__rec port;

		rc = lc__rec_view(t, &lc__port_shape, lc__nlv_item(&v, i), &port);
		for (size_t k = 0; rc == 0 && k < lc__nl_count(&port, PRT_FIXED_IPS, 2); k++)
			rc = rsub_add(t, rs, lc__nl_item(&port, PRT_FIXED_IPS, 2 * k));
	}
	lc__nl_free(&ports);
	for (size_t k = 0; rc == 0 && with_gw && gw_ips && k < lc__nlv_count(gw_ips, 2); k++)
		rc = rsub_add(t, rs, lc__nlv_item(gw_ips, 2 * k));
	return rc;
}

/* Every route's next hop must be on one of the router's subnets. */
static int check_nexthops(const lc__val *routes, const struct rsubnets *rs, const char *router_id)
{
	for (size_t i = 0; i < lc__nlv_count(routes, 2); i++) {
		const char *hop = lc__nlv_item(routes, 2 * i + 1);
		lc__addr a;
		int ver, ok = 0;

		if (lc__ip_parse(hop, &ver, &a) < 0)
			return lc__error_set(LC_ECORRUPT, "a stored route is corrupt");
		for (size_t k = 0; k < rs->n && !ok; k++)
			ok = lc__cidr_contains(&rs->c[k], ver, &a);
		if (!ok)
			return lc__error_set(LC_EINVALID, "route via %s: the nexthop is not connected with router %s", hop,
					     router_id);
	}
	return 0;
}

/* ---- gateway ---- */

struct rctx {
	lc_session *s;
	const lc_router_opts *o;
	lc__nl gw_ips, routes, tags;
	char gw_net[LC__ID_TEXT], gw_port[LC__ID_TEXT];
};

static void rctx_free(struct rctx *c)
{
	lc__nl_free(&c->gw_ips);
	lc__nl_free(&c->routes);
	lc__nl_free(&c->tags);
}

static int set_gateway(lc__txn *t, lc__draft *d, struct rctx *c, const char *ext_id)
{
	lc__port_spec spec = { NULL, ext_id, d->v[RTR_ID].s, GW_OWNER, c->o->external_fixed_ips, 0, NULL };
	lc__rec *net, *port;
	int rc;

	LC_TRY(lc__net_load_visible(t, c->s, &lc__network_shape, ext_id, lc__network_visible, &net));
	rc = 0;
	if (!lc__rec_int(net, NET_EXTERNAL))
		rc = lc__error_set(LC_EINVALID, "Network %s is not a valid external network", ext_id);
	else if (lc__nl_count(net, NET_SUBNETS, 1) == 0)
		rc = lc__error_set(LC_EINVALID, "Network %s has no subnet: a router gateway needs an address", ext_id);
	lc__rec_free(net);
	LC_TRY(rc);
	LC_TRY(lc__port_create_tx(t, &spec, c->gw_port));
	LC_TRY(lc__rec_load(t, &lc__port_shape, c->gw_port, &port));
	rc = lc__nl_copy(&c->gw_ips, &port->v[PRT_FIXED_IPS]);
	lc__rec_free(port);
	LC_TRY(rc);
	snprintf(c->gw_net, sizeof(c->gw_net), "%s", ext_id);
	lc__val_str(&d->v[RTR_GW_NETWORK], c->gw_net);
	lc__val_str(&d->v[RTR_GW_PORT], c->gw_port);
	lc__nl_val(&d->v[RTR_GW_IPS], &c->gw_ips);
	if (!d->v[RTR_SNAT].set)
		lc__val_bool(&d->v[RTR_SNAT], 1);
	return 0;
}

static int clear_gateway(lc__txn *t, lc__draft *d, int check_fips)
{
	const char *rid = d->v[RTR_ID].s;
	const char *parts[] = { rid };
	lc__rec *port;
	int rc;

	if (!d->v[RTR_GW_PORT].set)
		return 0;
	if (check_fips && (rc = lc__index_any(t, &lc__fip_shape.indexes[FIP_IX_ROUTER], parts)) != 0)
		return rc < 0 ? rc : lc__error_set(LC_ECONFLICT,
				"Gateway cannot be updated for router %s, since a gateway to external network %s is required by one or more floating IPs.",
				rid, d->v[RTR_GW_NETWORK].s);
	rc = lc__rec_load(t, &lc__port_shape, d->v[RTR_GW_PORT].s, &port);
	if (rc == 0) {
		rc = lc__port_destroy_tx(t, port);
		lc__rec_free(port);
	}
	if (rc < 0 && rc != LC_ENOTFOUND)
		return rc;
	d->v[RTR_GW_NETWORK].set = d->v[RTR_GW_PORT].set = d->v[RTR_SNAT].set = 0;
	lc__val_blob(&d->v[RTR_GW_IPS], "", 0);
	return 0;
}

/* Routes given by the caller, checked against the router's subnets as they will be. */
static int apply_routes(lc__txn *t, lc__draft *d, struct rctx *c)
{
	struct rsubnets *rs;
	int rc;

	if (c->o->routes == NULL)
		return 0;
	LC_TRY(lc__routes_check(&c->routes, c->o->routes, 0, LC_ROUTER_ROUTES_MAX, "routes"));
	lc__nl_val(&d->v[RTR_ROUTES], &c->routes);
	rs = malloc(sizeof(*rs));
	if (rs == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	rc = router_subnets(t, d->v[RTR_ID].s, &d->v[RTR_GW_IPS], 1, rs);
	if (rc == 0)
		rc = check_nexthops(&d->v[RTR_ROUTES], rs, d->v[RTR_ID].s);
	free(rs);
	return rc;
}

/* ---- create ---- */

static int privileged(lc_session *s, const lc_router_opts *o, const char *project)
{
	if (o->enable_snat != LC_UNSET)
		LC_TRY(lc__policy_enforce(s, "network:create_router:enable_snat", project, NULL));
	for (size_t i = 1; o->external_fixed_ips && i < lc__strv_len(o->external_fixed_ips); i += 2)
		if (o->external_fixed_ips[i][0])
			LC_TRY(lc__policy_enforce(s, "network:create_router:external_fixed_ips", project, NULL));
	return 0;
}

static int create_tx(lc__txn *t, lc__draft *d, void *p)
{
	struct rctx *c = p;

	lc__nl_reset(&c->gw_ips);
	d->v[RTR_GW_NETWORK].set = d->v[RTR_GW_PORT].set = 0;
	lc__val_blob(&d->v[RTR_GW_IPS], "", 0);
	if (c->o->enable_snat != LC_UNSET)
		lc__val_bool(&d->v[RTR_SNAT], c->o->enable_snat);
	else
		d->v[RTR_SNAT].set = 0;
	LC_TRY(lc__quota_charge(t, d->v[RTR_PROJECT].s, LC_QUOTA_ROUTERS, 1));
	if (c->o->external_network_id && c->o->external_network_id[0]) {
		char ext[LC__ID_TEXT];

		LC_TRY(lc__id_canon("external_network_id", c->o->external_network_id, ext));
		LC_TRY(set_gateway(t, d, c, ext));
	} else if (c->o->enable_snat != LC_UNSET || c->o->external_fixed_ips) {
		return lc__error_set(LC_EINVALID, "enable_snat and external_fixed_ips need an external network");
	}
	return apply_routes(t, d, c);
}

/* Release what a router holds: its gateway port and quota (delete and undo). */
static int router_release(lc__txn *t, const lc__rec *old, void *p)
{
	lc__draft d;

	(void)p;
	lc__draft_from(&d, old);
	LC_TRY(clear_gateway(t, &d, 0));
	return lc__quota_charge(t, lc__rec_str(old, RTR_PROJECT), LC_QUOTA_ROUTERS, -1);
}

LC_EXTERN int lc_router_create(lc_router **out, lc_session *s, const lc_router_opts *o)
{
	struct rctx c;
	char project[LC__ID_TEXT];
	lc__draft d;
	lc__rec *r = NULL;
	int rc;

	LC__NET_WRITE_BEGIN(out, o, LC_ROUTER_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__net_supported(s, LC__NK_ROUTER));
	LC_TRY(lc__net_owner(s, o->project_id, project));
	LC_TRY(privileged(s, o, project));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.o = o;
	lc__draft_new(&d, &lc__router_shape);
	lc__draft_set_str(&d, RTR_PROJECT, project);
	LC_TRY(lc__net_text(&d, RTR_NAME, o->name ? o->name : "", 0));
	LC_TRY(lc__net_text(&d, RTR_DESCRIPTION, o->description, 0));
	lc__val_bool(&d.v[RTR_ADMIN_UP], 1);
	LC_TRY(lc__draft_bool(&d, RTR_ADMIN_UP, o->admin_state_up, 0));
	lc__draft_set_str(&d, RTR_STATUS, "ACTIVE");
	lc__val_blob(&d.v[RTR_ROUTES], "", 0);
	rc = lc__net_tags(&c.tags, o->tags);
	if (rc == 0) {
		lc__nl_val(&d.v[RTR_TAGS], &c.tags);
		lc__net_stamp(&d);
		rc = lc__res_create(&r, s, &d, "network:create_router", project, create_tx, &c);
	}
	rctx_free(&c);
	if (rc < 0)
		return rc;
	rc = lc__net_created(&r, s, LC__NK_ROUTER, router_release);
	LC__NET_OUT(out, lc_router, r);
	return rc;
}

/* ---- update ---- */

static int update_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	struct rctx *c = p;
	const lc_router_opts *o = c->o;
	const char *cur = lc__rec_str(old, RTR_GW_NETWORK);

	lc__nl_reset(&c->gw_ips);
	if (o->project_id)
		return lc__error_set(LC_EINVALID, "project_id cannot be changed");
	LC_TRY(lc__net_text(d, RTR_NAME, o->name, 1));
	LC_TRY(lc__net_text(d, RTR_DESCRIPTION, o->description, 1));
	LC_TRY(lc__draft_bool(d, RTR_ADMIN_UP, o->admin_state_up, 1));
	if (o->external_network_id && o->external_network_id[0] == '\0') {
		if (o->enable_snat != LC_UNSET || o->external_fixed_ips)
			return lc__error_set(LC_EINVALID, "enable_snat and external_fixed_ips need an external network");
		LC_TRY(clear_gateway(t, d, 1));
	} else if (o->external_network_id || o->external_fixed_ips) {
		char ext[LC__ID_TEXT];
		const char *target = o->external_network_id ? o->external_network_id : cur;

		if (target == NULL)
			return lc__error_set(LC_EINVALID, "external_fixed_ips need an external network");
		LC_TRY(lc__id_canon("external_network_id", target, ext));
		if (cur == NULL || strcmp(cur, ext) != 0 || o->external_fixed_ips) {
			int snat = d->v[RTR_SNAT].set ? (int)d->v[RTR_SNAT].i : 1;

			LC_TRY(clear_gateway(t, d, 1));
			lc__val_bool(&d->v[RTR_SNAT], snat);
			LC_TRY(set_gateway(t, d, c, ext));
		}
	}
	if (o->enable_snat != LC_UNSET) {
		if (!d->v[RTR_GW_PORT].set)
			return lc__error_set(LC_EINVALID, "enable_snat needs an external gateway");
		lc__val_bool(&d->v[RTR_SNAT], o->enable_snat);
	}
	LC_TRY(apply_routes(t, d, c));
	if (o->tags) {
		LC_TRY(lc__net_tags(&c->tags, o->tags));
		lc__nl_val(&d->v[RTR_TAGS], &c->tags);
	}
	return 0;
}

LC_EXTERN int lc_router_update(lc_router **out, lc_session *s, const char *id, const lc_router_opts *o)
{
	struct rctx c;
	lc__rec *r = NULL;
	char project[LC__ID_TEXT] = "";
	int rc;

	LC__NET_WRITE_BEGIN(out, o, LC_ROUTER_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	if (s->scope == LC_SCOPE_PROJECT)
		snprintf(project, sizeof(project), "%s", s->project_id);
	LC_TRY(privileged(s, o, project[0] ? project : NULL));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.o = o;
	rc = lc__net_update(&r, NULL, s, &lc__router_shape, "network:update_router", id, lc__net_visible_own,
			    update_apply, &c);
	rctx_free(&c);
	if (rc < 0)
		return rc;
	rc = lc__net_updated(&r, s, LC__NK_ROUTER, RTR_STATUS);
	LC__NET_OUT(out, lc_router, r);
	return rc;
}

/* ---- delete ---- */

static int delete_check(lc__txn *t, const lc_session *s, const lc__rec *old, void *p)
{
	lc__nl ports = { 0 };
	int rc;

	(void)s;
	(void)p;
	rc = interface_ports(t, lc__rec_str(old, RTR_ID), &ports);
	if (rc == 0 && ports.len)
		rc = lc__error_set(LC_ECONFLICT, "Router %s still has ports (interfaces): remove them first",
				   lc__rec_str(old, RTR_ID));
	lc__nl_free(&ports);
	return rc;
}

LC_EXTERN int lc_router_delete(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	return lc__net_delete(s, LC__NK_ROUTER, &lc__router_shape, "network:delete_router", id, flags,
			      lc__net_visible_own, delete_check, router_release, NULL);
}

/* ---- interfaces ---- */

struct if_ctx {
	lc_session *s;
	const char *router_id;
	char subnet_id[LC__ID_TEXT];
	char port_id[LC__ID_TEXT];
	int by_subnet, by_port;
	int restore_port; /* undo of an add by port: give the port back instead of deleting it */
	const char *op;
	lc__rec *router, *port; /* snapshots for the caller and the driver */
};

static void if_reset(struct if_ctx *c)
{
	lc__rec_free(c->router);
	lc__rec_free(c->port);
	c->router = c->port = NULL;
}

/* Load the router for an interface change: visible and allowed. */
static int if_router(lc__txn *t, struct if_ctx *c, lc__rec **out)
{
	LC_TRY(lc__net_load_visible(t, c->s, &lc__router_shape, c->router_id, lc__net_visible_own, out));
	return lc__policy_enforce(c->s, c->op, lc__rec_str(*out, RTR_PROJECT), NULL);
}

/* Can the router take an interface on this subnet? */
static int check_new_subnet(lc__txn *t, const lc__rec *router, const struct rsubnets *rs, const char *sid)
{
	lc__rec sub;
	lc__cidr c;
	const char *gwnet = lc__rec_str(router, RTR_GW_NETWORK);

	LC_TRY(lc__rec_view(t, &lc__subnet_shape, sid, &sub));
	if (gwnet && strcmp(gwnet, lc__rec_str(&sub, SUB_NETWORK)) == 0)
		return lc__error_set(LC_EINVALID, "subnet %s is on network %s, the gateway network of router %s", sid, gwnet,
				     lc__rec_str(router, RTR_ID));
	LC_TRY(lc__subnet_cidr(&sub, &c));
	for (size_t i = 0; i < rs->n; i++) {
		if (strcmp(rs->id[i], sid) == 0)
			return lc__error_set(LC_EINVALID, "Router already has a port on subnet %s", sid);
		if (lc__cidr_overlap(&rs->c[i], &c)) {
			char a[LC__CIDR_TEXT];

			lc__cidr_format(&rs->c[i], a);
			return lc__error_set(LC_EINVALID, "cidr %s of subnet %s overlaps with cidr %s of subnet %s on router %s",
					     lc__rec_str(&sub, SUB_CIDR), sid, a, rs->id[i], lc__rec_str(router, RTR_ID));
		}
	}
	return 0;
}

static int link_subnets(lc__txn *t, const lc__rec *port, const char *router_id, int add)
{
	for (size_t i = 0; i < lc__nl_count(port, PRT_FIXED_IPS, 2); i++) {
		const char *sid = lc__nl_item(port, PRT_FIXED_IPS, 2 * i);
		int rc = add ? lc__txn_put(t, &lc__router_if_db, sid, strlen(sid), router_id, strlen(router_id),
					   MDB_NODUPDATA)
			     : lc__txn_del(t, &lc__router_if_db, sid, strlen(sid), router_id, strlen(router_id));

		if (rc < 0 && rc != LC_EEXISTS && rc != LC_ENOTFOUND)
			return rc;
	}
	return 0;
}

static int touch_router(lc__txn *t, const lc__rec *router)
{
	lc__draft d;

	lc__draft_from(&d, router);
	return lc__net_restore(t, router, &d);
}

/* An interface change's end, in t: on success touch the router and keep both records in c, else free them. */
static int if_done(lc__txn *t, struct if_ctx *c, int rc, lc__rec *router, lc__rec *port)
{
	if (rc == 0)
		rc = touch_router(t, router);
	if (rc == 0) {
		c->router = router;
		c->port = port;
		return 0;
	}
	lc__rec_free(router);
	lc__rec_free(port);
	return rc;
}

static int add_if_tx(lc__txn *t, void *p)
{
	struct if_ctx *c = p;
	struct rsubnets *rs = NULL;
	lc__rec *router = NULL, *port = NULL;
	const char *rid = c->router_id;
	int rc;

	if_reset(c);
	rc = if_router(t, c, &router);
	if (rc == 0 && (rs = malloc(sizeof(*rs))) == NULL)
		rc = lc__error_set(LC_ENOMEM, "out of memory");
	if (rc == 0)
		rc = router_subnets(t, rid, NULL, 0, rs);
	if (rc == 0 && c->by_subnet) {
		lc__rec *sub = NULL;
		char pid[LC__ID_TEXT];

		rc = lc__net_load_visible(t, c->s, &lc__subnet_shape, c->subnet_id, NULL, &sub);
		if (rc == 0 && !lc__net_own(c->s, lc__rec_str(sub, SUB_PROJECT))) {
			lc__rec net;

			rc = lc__rec_view(t, &lc__network_shape, lc__rec_str(sub, SUB_NETWORK), &net);
			if (rc == 0 && !lc__rec_int(&net, NET_SHARED))
				rc = lc__error_set(LC_ENOTFOUND, "subnet %s not found", c->subnet_id);
		}
		if (rc == 0 && lc__rec_str(sub, SUB_GATEWAY) == NULL)
			rc = lc__error_set(LC_EINVALID, "Bad router request: Subnet %s does not have a gateway IP",
					   c->subnet_id);
		if (rc == 0)
			rc = check_new_subnet(t, router, rs, c->subnet_id);
		if (rc == 0) {
			const char *fixed[] = { c->subnet_id, lc__rec_str(sub, SUB_GATEWAY), NULL };
			lc__port_spec spec = { lc__rec_str(router, RTR_PROJECT), lc__rec_str(sub, SUB_NETWORK), rid,
					       IF_OWNER, fixed , 0, NULL };

			rc = lc__port_create_tx(t, &spec, pid);
			if (rc == 0)
				rc = lc__rec_load(t, &lc__port_shape, pid, &port);
		}
		lc__rec_free(sub);
	} else if (rc == 0) {
		lc__rec *old = NULL;

		rc = lc__net_load_visible(t, c->s, &lc__port_shape, c->port_id, lc__net_visible_own, &old);
		if (rc == 0 && (lc__rec_str(old, PRT_DEVICE_ID) || lc__rec_str(old, PRT_DEVICE_OWNER)))
			rc = lc__error_set(LC_ECONFLICT, "Port %s is in use by device %s", c->port_id,
					   lc__rec_str(old, PRT_DEVICE_ID) ? lc__rec_str(old, PRT_DEVICE_ID)
									   : lc__rec_str(old, PRT_DEVICE_OWNER));
		if (rc == 0 && lc__nl_count(old, PRT_FIXED_IPS, 2) == 0)
			rc = lc__error_set(LC_EINVALID, "Bad router request: Router port must have at least one fixed IP");
		for (size_t i = 0; rc == 0 && i < lc__nl_count(old, PRT_FIXED_IPS, 2); i++)
			rc = check_new_subnet(t, router, rs, lc__nl_item(old, PRT_FIXED_IPS, 2 * i));
		if (rc == 0) {
			lc__draft d;

			lc__draft_from(&d, old);
			lc__draft_set_str(&d, PRT_DEVICE_ID, rid);
			lc__draft_set_str(&d, PRT_DEVICE_OWNER, IF_OWNER);
			if (d.v[PRT_ADMIN_UP].i)
				lc__draft_set_str(&d, PRT_STATUS, "ACTIVE");
			rc = lc__net_restore(t, old, &d);
			if (rc == 0)
				rc = lc__draft_snapshot(&d, &port);
		}
		lc__rec_free(old);
	}
	free(rs);
	if (rc == 0)
		rc = link_subnets(t, port, rid, 1);
	return if_done(t, c, rc, router, port);
}

/* The interface port to remove, in t: by port, by subnet, or both. */
static int find_interface(lc__txn *t, struct if_ctx *c, lc__rec **out)
{
	lc__nl ports = { 0 };
	lc__val v;
	int rc;

	*out = NULL;
	if (c->by_port) {
		rc = lc__rec_load(t, &lc__port_shape, c->port_id, out);
		if (rc == 0 && !is_interface(*out, c->router_id))
			rc = LC_ENOTFOUND;
		if (rc == LC_ENOTFOUND)
			rc = lc__error_set(LC_ENOTFOUND, "Router %s does not have an interface with id %s", c->router_id,
					   c->port_id);
		if (rc == 0 && c->by_subnet && !lc__port_ip_on_subnet(*out, c->subnet_id, NULL))
			rc = lc__error_set(LC_EINVALID, "port %s is not on subnet %s", c->port_id, c->subnet_id);
		if (rc < 0) {
			lc__rec_free(*out);
			*out = NULL;
		}
		return rc;
	}
	rc = interface_ports(t, c->router_id, &ports);
	lc__nl_val(&v, &ports);
	for (size_t i = 0; rc == 0 && *out == NULL && i < lc__nlv_count(&v, 1); i++) {
		lc__rec *port;

		rc = lc__rec_load(t, &lc__port_shape, lc__nlv_item(&v, i), &port);
		if (rc == 0 && lc__port_ip_on_subnet(port, c->subnet_id, NULL))
			*out = port;
		else
			lc__rec_free(port);
	}
	lc__nl_free(&ports);
	if (rc == 0 && *out == NULL)
		rc = lc__error_set(LC_ENOTFOUND, "Router %s has no interface on subnet %s", c->router_id, c->subnet_id);
	return rc;
}

/* Floating IPs through this router to fixed IPs on the port's subnets, and routes via them, keep it. */
static int interface_in_use(lc__txn *t, const lc__rec *router, const lc__rec *port)
{
	const char *rid = lc__rec_str(router, RTR_ID);
	const char *parts[] = { rid };
	lc__nl fips = { 0 };
	lc__val v;
	struct rsubnets *rs;
	int rc;

	rc = lc__index_each(t, &lc__fip_shape.indexes[FIP_IX_ROUTER], parts, collect_id, &fips);
	lc__nl_val(&v, &fips);
	for (size_t i = 0; rc == 0 && i < lc__nlv_count(&v, 1); i++) {
		lc__rec f, fixed;

		rc = lc__rec_view(t, &lc__fip_shape, lc__nlv_item(&v, i), &f);
		if (rc == 0 && lc__rec_str(&f, FIP_PORT) &&
		    (rc = lc__rec_view(t, &lc__port_shape, lc__rec_str(&f, FIP_PORT), &fixed)) == 0) {
			for (size_t k = 0; k < lc__nl_count(port, PRT_FIXED_IPS, 2); k++)
				if (lc__port_ip_on_subnet(&fixed, lc__nl_item(port, PRT_FIXED_IPS, 2 * k), NULL))
					rc = lc__error_set(LC_ECONFLICT,
							   "Router interface for subnet %s on router %s cannot be deleted, as it is required by one or more floating IPs.",
							   lc__nl_item(port, PRT_FIXED_IPS, 2 * k), rid);
		}
		if (rc == LC_ENOTFOUND)
			rc = 0;
	}
	lc__nl_free(&fips);
	LC_TRY(rc);
	if (lc__nl_count(router, RTR_ROUTES, 2) == 0)
		return 0;
	rs = calloc(1, sizeof(*rs));
	if (rs == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	for (size_t k = 0; rc == 0 && k < lc__nl_count(port, PRT_FIXED_IPS, 2); k++)
		rc = rsub_add(t, rs, lc__nl_item(port, PRT_FIXED_IPS, 2 * k));
	for (size_t i = 0; rc == 0 && i < lc__nl_count(router, RTR_ROUTES, 2); i++) {
		lc__addr a;
		int ver;

		if (lc__ip_parse(lc__nl_item(router, RTR_ROUTES, 2 * i + 1), &ver, &a) < 0)
			continue;
		for (size_t k = 0; k < rs->n; k++)
			if (lc__cidr_contains(&rs->c[k], ver, &a))
				rc = lc__error_set(LC_ECONFLICT,
						   "Router interface for subnet %s on router %s cannot be deleted, as it is required by one or more routes.",
						   rs->id[k], rid);
	}
	free(rs);
	return rc;
}

static int remove_if_tx(lc__txn *t, void *p)
{
	struct if_ctx *c = p;
	lc__rec *router = NULL, *port = NULL;
	int rc;

	if_reset(c);
	rc = c->restore_port ? lc__rec_load(t, &lc__router_shape, c->router_id, &router) : if_router(t, c, &router);
	if (rc == 0)
		rc = find_interface(t, c, &port);
	if (rc == 0 && !c->restore_port)
		rc = interface_in_use(t, router, port);
	if (rc == 0)
		rc = link_subnets(t, port, c->router_id, 0);
	if (rc == 0 && c->restore_port) {
		lc__draft d;

		lc__draft_from(&d, port);
		d.v[PRT_DEVICE_ID].set = d.v[PRT_DEVICE_OWNER].set = 0;
		lc__draft_set_str(&d, PRT_STATUS, "DOWN");
		rc = lc__net_restore(t, port, &d);
	} else if (rc == 0) {
		rc = lc__port_destroy_tx(t, port);
	}
	return if_done(t, c, rc, router, port);
}

static int if_args(struct if_ctx *c, lc_session *s, const char *router_id, const char *subnet_id, const char *port_id,
		   char rid[LC__ID_TEXT])
{
	memset(c, 0, sizeof(*c));
	c->s = s;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("router_id", router_id, rid));
	c->router_id = rid;
	c->by_subnet = subnet_id != NULL;
	c->by_port = port_id != NULL;
	if (c->by_subnet)
		LC_TRY(lc__id_canon("subnet_id", subnet_id, c->subnet_id));
	if (c->by_port)
		LC_TRY(lc__id_canon("port_id", port_id, c->port_id));
	return 0;
}

LC_EXTERN int lc_router_add_interface(lc_port **out, lc_session *s, const char *router_id, const char *subnet_id,
				      const char *port_id)
{
	struct if_ctx c;
	char rid[LC__ID_TEXT];
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_TRY(if_args(&c, s, router_id, subnet_id, port_id, rid));
	if (c.by_subnet == c.by_port)
		return lc__error_set(LC_EINVALID, "give exactly one of subnet_id and port_id");
	LC_TRY(lc__net_supported(s, LC__NK_ROUTER_IF));
	c.op = "network:add_router_interface";
	rc = lc__store_write(lc__session_store(s), add_if_tx, &c);
	if (rc < 0) {
		if_reset(&c);
		return rc;
	}
	rc = lc__net_notify(s, LC__NK_ROUTER_IF, LC_NETWORK_CHANGE_CREATE, c.router, c.port);
	if (rc < 0) {
		lc_error saved = *lc_error_last();
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", saved.message);
		c.restore_port = c.by_port;
		c.by_port = 1;
		snprintf(c.port_id, sizeof(c.port_id), "%s", lc__rec_str(c.port, PRT_ID));
		(void)lc__store_write(lc__session_store(s), remove_if_tx, &c);
		if_reset(&c);
		return lc__error_set(saved.code, "%s", msg);
	}
	if (out)
		*out = (lc_port *)c.port;
	else
		lc__rec_free(c.port);
	lc__rec_free(c.router);
	return 0;
}

static int resolve_tx(lc__txn *t, struct if_ctx *c)
{
	lc__rec *router = NULL, *port = NULL;
	int rc = if_router(t, c, &router);

	if (rc == 0)
		rc = find_interface(t, c, &port);
	if (rc == 0)
		rc = interface_in_use(t, router, port);
	if (rc == 0) {
		c->router = router;
		c->port = port;
		return 0;
	}
	lc__rec_free(router);
	lc__rec_free(port);
	return rc;
}

LC_EXTERN int lc_router_remove_interface(lc_port **out, lc_session *s, const char *router_id, const char *subnet_id,
					 const char *port_id)
{
	struct if_ctx c;
	char rid[LC__ID_TEXT];
	lc__txn t;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_TRY(if_args(&c, s, router_id, subnet_id, port_id, rid));
	if (!c.by_subnet && !c.by_port)
		return lc__error_set(LC_EINVALID, "give subnet_id or port_id");
	c.op = "network:remove_router_interface";
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = resolve_tx(&t, &c);
	lc__store_read_end(&t);
	if (rc == 0)
		rc = lc__net_notify(s, LC__NK_ROUTER_IF, LC_NETWORK_CHANGE_DELETE, c.router, c.port);
	if (rc == 0)
		rc = lc__store_write(lc__session_store(s), remove_if_tx, &c);
	if (rc < 0) {
		if_reset(&c);
		return rc;
	}
	if (out)
		*out = (lc_port *)c.port;
	else
		lc__rec_free(c.port);
	lc__rec_free(c.router);
	return 0;
}

/* ---- for floating IPs ---- */

struct route_to {
	lc__txn *t;
	const char *ext;
	char *out;
};

static int router_on_ext(lc__txn *t, const char *rid, void *p)
{
	struct route_to *c = p;
	lc__rec r;
	int rc = lc__rec_view(t, &lc__router_shape, rid, &r);

	if (rc == LC_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	if (lc__rec_str(&r, RTR_GW_NETWORK) && strcmp(lc__rec_str(&r, RTR_GW_NETWORK), c->ext) == 0) {
		snprintf(c->out, LC__ID_TEXT, "%s", rid);
		return 1;
	}
	return 0;
}

int lc__router_route_to(lc__txn *t, const char *subnet_id, const char *ext_network_id, char router_id[LC__ID_TEXT])
{
	const char *parts[] = { subnet_id };
	struct route_to c = { t, ext_network_id, router_id };

	return lc__index_each(t, &router_if_ix, parts, router_on_ext, &c);
}
