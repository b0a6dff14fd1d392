/* Networks: layer-2 segments owned by a project, maybe shared or external. */
#include <libcloud/network.h>

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/policy.h"
#include "core/quota.h"
#include "network/net.h"

/* Own networks, shared ones and external ones. */
int lc__network_visible(lc__txn *t, const lc_session *s, const lc__rec *r, void *p)
{
	(void)t;
	(void)p;
	if (lc__net_own(s, lc__rec_str(r, NET_PROJECT)))
		return 1;
	return lc__rec_int(r, NET_SHARED) || lc__rec_int(r, NET_EXTERNAL);
}

LC__RESOURCE_READERS(network, lc__network_shape, "network:get_network", "network:get_network", lc__network_visible)
LC__RESOURCE_STR(network, id, NET_ID)
LC__RESOURCE_STR(network, project_id, NET_PROJECT)
LC__RESOURCE_TEXT(network, name, NET_NAME)
LC__RESOURCE_TEXT(network, description, NET_DESCRIPTION)
LC__RESOURCE_STR(network, status, NET_STATUS)
LC__RESOURCE_BOOL(network, admin_state_up, NET_ADMIN_UP)
LC__RESOURCE_BOOL(network, shared, NET_SHARED)
LC__RESOURCE_BOOL(network, external, NET_EXTERNAL)
LC__RESOURCE_BOOL(network, port_security_enabled, NET_PORT_SECURITY)
LC__NET_INT(network, mtu, NET_MTU)
LC__RESOURCE_STR(network, type, NET_TYPE)
LC__RESOURCE_STR(network, physical_network, NET_PHYSNET)
LC__NET_INT(network, segmentation_id, NET_SEGMENT)
LC__NET_COUNT(network, subnet_count, NET_SUBNETS, 1)
LC__NET_ITEM(network, subnet_id, NET_SUBNETS, 1, 0)
LC__NET_COUNT(network, tag_count, NET_TAGS, 1)
LC__NET_ITEM(network, tag, NET_TAGS, 1, 0)
LC__NET_INT(network, created_at, NET_CREATED)
LC__NET_INT(network, updated_at, NET_UPDATED)
LC__NET_INT(network, revision, NET_REVISION)

LC_EXTERN int lc_network_opts_init(lc_network_opts *opts, unsigned int version)
{
	lc_network_opts init = LC_NETWORK_OPTS_INIT;

	lc__error_clear();
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_ARG(version >= 1 && version <= LC_NETWORK_OPTS_VERSION, "version");
	*opts = init;
	return 0;
}

struct net_ctx {
	lc_session *s;
	const lc_network_opts *o;
	lc__nl tags;
	const char *type;    /* given, or NULL: a tenant network type */
	const char *physnet; /* given, or NULL */
};

static int check_mtu(int64_t mtu, const char *type)
{
	int64_t max = lc__segment_mtu(type);

	if (mtu < 68 || mtu > max)
		return lc__error_set(LC_EINVALID, "mtu %lld is outside 68..%lld for a %s network", (long long)mtu,
				     (long long)max, type);
	return 0;
}

static int create_tx(lc__txn *t, lc__draft *d, void *p)
{
	struct net_ctx *c = p;
	const lc__netconf *cf = &lc__net_of(c->s->cloud)->conf;
	const char *type = c->type, *physnet = c->physnet;
	int64_t seg = 0;

	LC_TRY(lc__quota_charge(t, d->v[NET_PROJECT].s, LC_QUOTA_NETWORKS, 1));
	if (c->o->segmentation_id != 0 || (type && !lc__segment_ranged(type)))
		LC_TRY(lc__segment_take(t, type, physnet, c->o->segmentation_id, &seg));
	else
		LC_TRY(lc__segment_alloc(t, cf, type, physnet, &type, &physnet, &seg));
	lc__draft_set_str(d, NET_TYPE, type);
	lc__net_set_opt(&d->v[NET_PHYSNET], physnet);
	if (seg > 0)
		lc__draft_set_int(d, NET_SEGMENT, seg);
	else
		d->v[NET_SEGMENT].set = 0;
	if (c->o->mtu != 0)
		LC_TRY(check_mtu(c->o->mtu, type));
	lc__draft_set_int(d, NET_MTU, c->o->mtu ? c->o->mtu : lc__segment_mtu(type));
	return 0;
}

/*
 * Release what a network holds: its DHCP port, subnets, segment and quota
 * (delete and undo). p, when given, is an lc__rec ** for the DHCP port's
 * snapshot, told to the driver once the delete committed.
 */
static int network_release(lc__txn *t, const lc__rec *old, void *p)
{
	const char *type = lc__rec_str(old, NET_TYPE);
	size_t n = lc__nl_count(old, NET_SUBNETS, 1);
	lc__rec **dhcp = p, *gone = NULL;

	LC_TRY(lc__dhcp_drop_tx(t, lc__rec_str(old, NET_ID), &gone));
	if (dhcp) {
		lc__rec_free(*dhcp); /* from an earlier run of this transaction */
		*dhcp = gone;
	} else {
		lc__rec_free(gone);
	}
	for (size_t i = 0; i < n; i++) {
		const char *sid = lc__nl_item(old, NET_SUBNETS, i);
		lc__rec *sub;
		int rc = lc__rec_load(t, &lc__subnet_shape, sid, &sub);

		if (rc == LC_ENOTFOUND)
			continue;
		if (rc < 0)
			return rc;
		rc = lc__ipam_drop(t, sid);
		if (rc == 0)
			rc = lc__quota_charge(t, lc__rec_str(sub, SUB_PROJECT), LC_QUOTA_SUBNETS, -1);
		if (rc == 0)
			rc = lc__rec_delete(t, sub);
		lc__rec_free(sub);
		LC_TRY(rc);
	}
	if (lc__rec_set(old, NET_SEGMENT) || (type && strcmp(type, "flat") == 0))
		LC_TRY(lc__segment_release(t, type, lc__rec_str(old, NET_PHYSNET), lc__rec_int(old, NET_SEGMENT)));
	return lc__quota_charge(t, lc__rec_str(old, NET_PROJECT), LC_QUOTA_NETWORKS, -1);
}

LC_EXTERN int lc_network_create(lc_network **out, lc_session *s, const lc_network_opts *o)
{
	struct net_ctx c = { s, o, { 0 }, NULL, NULL };
	char project[LC__ID_TEXT];
	lc__draft d;
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(o);
	LC_CHECK_VERSION(o, LC_NETWORK_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__net_supported(s, LC__NK_NETWORK));
	LC_TRY(lc__net_owner(s, o->project_id, project));
	lc__draft_new(&d, &lc__network_shape);
	lc__draft_set_str(&d, NET_PROJECT, project);
	LC_TRY(lc__net_text(&d, NET_NAME, o->name ? o->name : "", 0));
	LC_TRY(lc__net_text(&d, NET_DESCRIPTION, o->description, 0));
	lc__val_bool(&d.v[NET_ADMIN_UP], 1);
	lc__val_bool(&d.v[NET_SHARED], 0);
	lc__val_bool(&d.v[NET_EXTERNAL], 0);
	lc__val_bool(&d.v[NET_PORT_SECURITY], 1);
	LC_TRY(lc__draft_bool(&d, NET_ADMIN_UP, o->admin_state_up, 0));
	LC_TRY(lc__draft_bool(&d, NET_SHARED, o->shared, 0));
	LC_TRY(lc__draft_bool(&d, NET_EXTERNAL, o->external, 0));
	LC_TRY(lc__draft_bool(&d, NET_PORT_SECURITY, o->port_security_enabled, 0));
	if (o->shared == 1)
		LC_TRY(lc__policy_enforce(s, "network:create_network:shared", project, NULL));
	if (o->external == 1)
		LC_TRY(lc__policy_enforce(s, "network:create_network:external", project, NULL));
	if (o->network_type || o->physical_network || o->segmentation_id)
		LC_TRY(lc__policy_enforce(s, "network:create_network:provider", project, NULL));
	c.type = o->network_type;
	c.physnet = o->physical_network;
	if (c.physnet != NULL)
		LC_TRY(lc__draft_text(&d, NET_PHYSNET, c.physnet, 0));
	if (c.type != NULL)
		LC_TRY(lc__draft_text(&d, NET_TYPE, c.type, 0));
	else if (c.physnet != NULL || o->segmentation_id != 0)
		return lc__error_set(LC_EINVALID, "provider:network_type is required with a physical network or segment id");
	if (c.type != NULL)
		LC_TRY(lc__segment_check(&lc__net_of(s->cloud)->conf, c.type, c.physnet, o->segmentation_id));
	if (c.type != NULL && strcmp(c.type, "flat") == 0 && c.physnet == NULL)
		return lc__error_set(LC_EINVALID, "provider:physical_network is required for a flat network");
	if (o->segmentation_id < 0)
		return lc__error_set(LC_EINVALID, "provider:segmentation_id must be positive");
	if (o->mtu != 0 && c.type != NULL)
		LC_TRY(check_mtu(o->mtu, c.type));
	lc__draft_set_str(&d, NET_STATUS, d.v[NET_ADMIN_UP].i ? "ACTIVE" : "DOWN");
	lc__val_blob(&d.v[NET_SUBNETS], "", 0);
	rc = lc__net_tags(&c.tags, o->tags);
	if (rc == 0) {
		lc__nl_val(&d.v[NET_TAGS], &c.tags);
		lc__net_stamp(&d);
		rc = lc__res_create(&r, s, &d, "network:create_network", project, create_tx, &c);
	}
	lc__nl_free(&c.tags);
	if (rc < 0)
		return rc;
	rc = lc__net_notify(s, LC__NK_NETWORK, LC_NETWORK_CHANGE_CREATE, r, NULL);
	if (rc < 0) {
		lc__net_undo_create(s, &lc__network_shape, lc__rec_str(r, NET_ID), network_release, NULL);
		lc__rec_free(r);
		return rc;
	}
	if (out)
		*out = (lc_network *)r;
	else
		lc__rec_free(r);
	return 0;
}

/* 1 if a port of another project than the network's sits on it. */
static int foreign_port(lc__txn *t, const char *id, void *p)
{
	const char *owner = p;
	lc__rec *port;
	const char *pp;
	int rc;

	rc = lc__rec_load(t, &lc__port_shape, id, &port);
	if (rc < 0)
		return rc == LC_ENOTFOUND ? 0 : rc;
	pp = lc__rec_str(port, PRT_PROJECT);
	rc = pp != NULL && strcmp(pp, owner) != 0;
	lc__rec_free(port);
	return rc;
}

static int update_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	struct net_ctx *c = p;
	const lc_network_opts *o = c->o;
	const char *id = lc__rec_str(old, NET_ID), *project = lc__rec_str(old, NET_PROJECT);
	const char *parts[] = { id };
	int rc;

	if (o->project_id)
		return lc__error_set(LC_EINVALID, "project_id cannot be changed");
	if (o->network_type || o->physical_network || o->segmentation_id)
		return lc__error_set(LC_EINVALID, "provider attributes cannot be changed");
	LC_TRY(lc__net_text(d, NET_NAME, o->name, 1));
	LC_TRY(lc__net_text(d, NET_DESCRIPTION, o->description, 1));
	LC_TRY(lc__draft_bool(d, NET_ADMIN_UP, o->admin_state_up, 1));
	LC_TRY(lc__draft_bool(d, NET_PORT_SECURITY, o->port_security_enabled, 1));
	if (o->shared != LC_UNSET && o->shared != (int)lc__rec_int(old, NET_SHARED)) {
		LC_TRY(lc__policy_enforce(c->s, "network:update_network:shared", project, NULL));
		if (o->shared == 0) {
			rc = lc__index_each(t, &lc__port_shape.indexes[PRT_IX_NETWORK], parts, foreign_port,
					    (void *)project);
			if (rc != 0)
				return rc < 0 ? rc : lc__error_set(LC_ECONFLICT,
						"network %s is used by ports of other projects and cannot stop being shared", id);
		}
		LC_TRY(lc__draft_bool(d, NET_SHARED, o->shared, 1));
	}
	if (o->external != LC_UNSET && o->external != (int)lc__rec_int(old, NET_EXTERNAL)) {
		LC_TRY(lc__policy_enforce(c->s, "network:update_network:external", project, NULL));
		if (o->external == 0) {
			if ((rc = lc__index_any(t, &lc__router_shape.indexes[RTR_IX_GW_NETWORK], parts)) != 0)
				return rc < 0 ? rc : lc__error_set(LC_ECONFLICT,
						"network %s is the gateway of routers and must stay external", id);
			if ((rc = lc__index_any(t, &lc__fip_shape.indexes[FIP_IX_NETWORK], parts)) != 0)
				return rc < 0 ? rc : lc__error_set(LC_ECONFLICT,
						"network %s holds floating IPs and must stay external", id);
		}
		LC_TRY(lc__draft_bool(d, NET_EXTERNAL, o->external, 1));
	}
	if (o->mtu != 0) {
		LC_TRY(check_mtu(o->mtu, lc__rec_str(old, NET_TYPE)));
		lc__draft_set_int(d, NET_MTU, o->mtu);
	}
	if (o->tags) {
		LC_TRY(lc__net_tags(&c->tags, o->tags));
		lc__nl_val(&d->v[NET_TAGS], &c->tags);
	}
	lc__draft_set_str(d, NET_STATUS, d->v[NET_ADMIN_UP].i ? "ACTIVE" : "DOWN");
	return 0;
}

LC_EXTERN int lc_network_update(lc_network **out, lc_session *s, const char *id, const lc_network_opts *o)
{
	struct net_ctx c = { s, o, { 0 }, NULL, NULL };
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(o);
	LC_CHECK_VERSION(o, LC_NETWORK_OPTS_VERSION);
	rc = lc__net_update(&r, NULL, s, &lc__network_shape, "network:update_network", id, lc__network_visible,
			    update_apply, &c);
	lc__nl_free(&c.tags);
	if (rc < 0)
		return rc;
	rc = lc__net_notify(s, LC__NK_NETWORK, LC_NETWORK_CHANGE_UPDATE, r, NULL);
	if (rc < 0) {
		lc__net_set_status(s, &lc__network_shape, lc__rec_str(r, NET_ID), NET_STATUS, "ERROR");
		lc__rec_free(r);
		return rc;
	}
	if (out)
		*out = (lc_network *)r;
	else
		lc__rec_free(r);
	return 0;
}

/* 1 for a port that keeps its network (any but the network's DHCP port). */
static int port_in_use(lc__txn *t, const char *id, void *p)
{
	lc__rec port;
	int rc = lc__rec_view(t, &lc__port_shape, id, &port);

	(void)p;
	if (rc < 0)
		return rc == LC_ENOTFOUND ? 0 : rc;
	return !lc__port_is_dhcp(&port);
}

static int delete_check(lc__txn *t, const lc_session *s, const lc__rec *old, void *p)
{
	const char *id = lc__rec_str(old, NET_ID);
	const char *parts[] = { id };
	int rc;

	(void)s;
	(void)p;
	if ((rc = lc__index_each(t, &lc__port_shape.indexes[PRT_IX_NETWORK], parts, port_in_use, NULL)) != 0)
		return rc < 0 ? rc : lc__error_set(LC_ECONFLICT,
				"Unable to complete operation on network %s. There are one or more ports still in use on the network.",
				id);
	return 0;
}

LC_EXTERN int lc_network_delete(lc_session *s, const char *id, unsigned int flags)
{
	lc__rec *dhcp = NULL;
	int rc;

	lc__error_clear();
	rc = lc__net_delete(s, LC__NK_NETWORK, &lc__network_shape, "network:delete_network", id, flags,
			    lc__network_visible, delete_check, network_release, &dhcp);
	if (rc == 0 && dhcp != NULL)
		(void)lc__net_notify(s, LC__NK_PORT, LC_NETWORK_CHANGE_DELETE, dhcp, NULL); /* went with it; logged */
	lc__rec_free(dhcp);
	return rc;
}

struct link_ctx {
	lc__nl l;
};

int lc__network_link_subnet(lc__txn *t, const char *network_id, const char *subnet_id, int add)
{
	lc__rec *old;
	lc__draft d;
	lc__nl l = { 0 };
	size_t n;
	int rc;

	LC_TRY(lc__rec_load(t, &lc__network_shape, network_id, &old));
	n = lc__nl_count(old, NET_SUBNETS, 1);
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *sid = lc__nl_item(old, NET_SUBNETS, i);

		if (strcmp(sid, subnet_id) != 0)
			rc = lc__nl_add(&l, sid);
	}
	if (rc == 0 && add)
		rc = lc__nl_add(&l, subnet_id);
	if (rc == 0) {
		lc__draft_from(&d, old);
		lc__nl_val(&d.v[NET_SUBNETS], &l);
		rc = lc__net_restore(t, old, &d);
	}
	lc__nl_free(&l);
	lc__rec_free(old);
	return rc;
}
