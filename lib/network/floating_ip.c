/* Floating IPs: addresses of an external network, translated by a router to a port's fixed IP. */
#include <libcloud/floating_ip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/policy.h"
#include "core/quota.h"
#include "network/net.h"

#define FIP_OWNER "network:floatingip"

LC__RESOURCE_READERS(floating_ip, lc__fip_shape, "network:get_floatingip", "network:list_floatingips",
		     lc__net_visible_own)
LC__RESOURCE_STR(floating_ip, id, FIP_ID)
LC__RESOURCE_STR(floating_ip, project_id, FIP_PROJECT)
LC__RESOURCE_STR(floating_ip, network_id, FIP_NETWORK)
LC__RESOURCE_STR(floating_ip, subnet_id, FIP_SUBNET)
LC__RESOURCE_STR(floating_ip, address, FIP_ADDRESS)
LC__RESOURCE_STR(floating_ip, port_id, FIP_PORT)
LC__RESOURCE_STR(floating_ip, fixed_ip_address, FIP_FIXED_IP)
LC__RESOURCE_STR(floating_ip, router_id, FIP_ROUTER)
LC__RESOURCE_STR(floating_ip, status, FIP_STATUS)
LC__RESOURCE_TEXT(floating_ip, description, FIP_DESCRIPTION)
LC__NET_COUNT(floating_ip, tag_count, FIP_TAGS, 1)
LC__NET_ITEM(floating_ip, tag, FIP_TAGS, 1, 0)
LC__NET_INT(floating_ip, created_at, FIP_CREATED)
LC__NET_INT(floating_ip, updated_at, FIP_UPDATED)
LC__NET_INT(floating_ip, revision, FIP_REVISION)

LC__OPTS_INIT_FN(lc_floating_ip_opts_init, lc_floating_ip_opts, LC_FLOATING_IP_OPTS_INIT,
		 LC_FLOATING_IP_OPTS_VERSION)

struct fctx {
	lc_session *s;
	const lc_floating_ip_opts *o;
	lc__nl tags;
	char port[LC__ID_TEXT], fixed[LC__IP_TEXT], router[LC__ID_TEXT];
	char own_port[LC__ID_TEXT], subnet[LC__ID_TEXT], address[LC__IP_TEXT];
};

static int collect_fip(lc__txn *t, const char *id, void *p)
{
	(void)t;
	return lc__nl_add(p, id);
}

/* Another floating IP of this external network on the same fixed IP: LC_ECONFLICT. */
static int other_fip(lc__txn *t, const char *port_id, const char *fixed, const char *ext, const char *self)
{
	const char *parts[] = { port_id };
	lc__nl ids = { 0 };
	lc__val v;
	int rc;

	rc = lc__index_each(t, &lc__fip_shape.indexes[FIP_IX_PORT], parts, collect_fip, &ids);
	lc__nl_val(&v, &ids);
	for (size_t i = 0; rc == 0 && i < lc__nlv_count(&v, 1); i++) {
		const char *id = lc__nlv_item(&v, i);
		lc__rec f;

		if (strcmp(id, self) == 0)
			continue;
		rc = lc__rec_view(t, &lc__fip_shape, id, &f);
		if (rc == LC_ENOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc == 0 && lc__rec_str(&f, FIP_FIXED_IP) && strcmp(lc__rec_str(&f, FIP_FIXED_IP), fixed) == 0 &&
		    strcmp(lc__rec_str(&f, FIP_NETWORK), ext) == 0)
			rc = lc__error_set(LC_ECONFLICT,
					   "Cannot associate floating IP with port %s using fixed IP %s, as that fixed IP already has floating IP %s on external network %s",
					   port_id, fixed, lc__rec_str(&f, FIP_ADDRESS), ext);
	}
	lc__nl_free(&ids);
	return rc;
}

/*
 * Associate the draft with a port: the port is the caller's, has the fixed
 * IPv4 address, is not a network-owned port, and a router links its subnet
 * to the floating IP's external network.
 */
static int associate(lc__txn *t, lc__draft *d, struct fctx *c, const char *port_id, const char *fixed_ip)
{
	const char *ext = d->v[FIP_NETWORK].s, *fid = d->v[FIP_ID].s;
	lc__rec *port;
	const char *sid = NULL, *ip = NULL, *owner;
	int rc = 0;

	LC_TRY(lc__id_canon("port_id", port_id, c->port));
	LC_TRY(lc__net_load_visible(t, c->s, &lc__port_shape, c->port, lc__net_visible_own, &port));
	owner = lc__rec_str(port, PRT_DEVICE_OWNER);
	if (owner && strncmp(owner, "network:", 8) == 0)
		rc = lc__error_set(LC_EINVALID, "Port %s has owner %s and therefore cannot be assigned a floating IP",
				   c->port, owner);
	if (rc == 0 && strcmp(lc__rec_str(port, PRT_NETWORK), ext) == 0)
		rc = lc__error_set(LC_EINVALID, "Port %s is on the external network %s itself", c->port, ext);
	for (size_t i = 0; rc == 0 && i < lc__nl_count(port, PRT_FIXED_IPS, 2); i++) {
		const char *a = lc__nl_item(port, PRT_FIXED_IPS, 2 * i + 1);
		lc__addr x;
		int ver;

		if (lc__ip_parse(a, &ver, &x) < 0)
			continue;
		if (fixed_ip ? strcmp(a, fixed_ip) == 0 : ver == 4) {
			sid = lc__nl_item(port, PRT_FIXED_IPS, 2 * i);
			ip = a;
			break;
		}
	}
	if (rc == 0 && ip == NULL)
		rc = fixed_ip ? lc__error_set(LC_EINVALID, "Port %s does not have fixed IP %.64s", c->port, fixed_ip)
			      : lc__error_set(LC_EINVALID, "Port %s does not have an IPv4 address", c->port);
	if (rc == 0 && strchr(ip, ':') != NULL)
		rc = lc__error_set(LC_EINVALID, "fixed IP %s is not an IPv4 address", ip);
	if (rc == 0) {
		snprintf(c->fixed, sizeof(c->fixed), "%s", ip);
		rc = lc__router_route_to(t, sid, ext, c->router);
		if (rc == 0)
			rc = lc__error_set(LC_EINVALID,
					   "External network %s is not reachable from subnet %s. Therefore, cannot associate Port %s with a Floating IP.",
					   ext, sid, c->port);
		else if (rc > 0)
			rc = 0;
	}
	lc__rec_free(port);
	LC_TRY(rc);
	/* one floating IP per fixed IP and external network */
	return other_fip(t, c->port, c->fixed, ext, fid);
}

static int set_association(lc__draft *d, struct fctx *c)
{
	lc__val_str(&d->v[FIP_PORT], c->port);
	lc__val_str(&d->v[FIP_FIXED_IP], c->fixed);
	lc__val_str(&d->v[FIP_ROUTER], c->router);
	lc__draft_set_str(d, FIP_STATUS, "ACTIVE");
	return 0;
}

static void clear_association(lc__draft *d)
{
	d->v[FIP_PORT].set = d->v[FIP_FIXED_IP].set = d->v[FIP_ROUTER].set = 0;
	lc__draft_set_str(d, FIP_STATUS, "DOWN");
}

/* An IPv4 subnet of the external network with a free address (or the given one). */
static int take_address(lc__txn *t, lc__draft *d, struct fctx *c)
{
	const lc_floating_ip_opts *o = c->o;
	const char *ext = d->v[FIP_NETWORK].s;
	lc__rec *net;
	int rc = 0, v4 = 0;

	LC_TRY(lc__net_load_visible(t, c->s, &lc__network_shape, ext, lc__network_visible, &net));
	if (!lc__rec_int(net, NET_EXTERNAL))
		rc = lc__error_set(LC_EINVALID, "Network %s is not a valid external network: floating IPs come from external networks",
				   ext);
	for (size_t i = 0; rc == 0 && i < lc__nl_count(net, NET_SUBNETS, 1); i++) {
		const char *sid = lc__nl_item(net, NET_SUBNETS, i);
		const char *fixed[] = { sid, o->floating_ip_address ? o->floating_ip_address : "", NULL };
		lc__port_spec spec = { NULL, ext, d->v[FIP_ID].s, FIP_OWNER, fixed, 0, NULL };
		lc__rec sub;
		lc__cidr cidr;

		if (c->subnet[0] && strcmp(c->subnet, sid) != 0)
			continue;
		rc = lc__rec_view(t, &lc__subnet_shape, sid, &sub);
		if (rc == 0)
			rc = lc__subnet_cidr(&sub, &cidr);
		if (rc < 0 || cidr.version != 4)
			continue;
		if (o->floating_ip_address) {
			lc__addr a;
			int ver;

			if (lc__ip_parse(o->floating_ip_address, &ver, &a) < 0)
				rc = lc__error_set(LC_EINVALID, "floating_ip_address '%.64s' is not a valid IP address",
						   o->floating_ip_address);
			else if (!lc__cidr_contains(&cidr, ver, &a))
				continue;
		}
		v4 = 1;
		if (rc == 0)
			rc = lc__port_create_tx(t, &spec, c->own_port);
		if (rc == LC_ECONFLICT && o->floating_ip_address == NULL && c->subnet[0] == '\0') {
			rc = 0; /* this subnet is full: try the next */
			continue;
		}
		if (rc == 0) {
			lc__rec *port;

			rc = lc__rec_load(t, &lc__port_shape, c->own_port, &port);
			if (rc == 0) {
				snprintf(c->subnet, sizeof(c->subnet), "%s", lc__nl_item(port, PRT_FIXED_IPS, 0));
				snprintf(c->address, sizeof(c->address), "%s", lc__nl_item(port, PRT_FIXED_IPS, 1));
				lc__rec_free(port);
			}
		}
		break;
	}
	if (rc == 0 && c->address[0] == '\0') {
		if (o->floating_ip_address && v4 == 0)
			rc = lc__error_set(LC_EINVALID, "floating_ip_address %.64s is not on an IPv4 subnet of network %s",
					   o->floating_ip_address, ext);
		else if (c->subnet[0] && v4 == 0)
			rc = lc__error_set(LC_EINVALID, "subnet %s is not an IPv4 subnet of network %s", c->subnet, ext);
		else if (v4 == 0)
			rc = lc__error_set(LC_EINVALID, "Network %s does not contain any IPv4 subnet", ext);
		else
			rc = lc__error_set(LC_ECONFLICT, "No more IP addresses available on network %s", ext);
	}
	lc__rec_free(net);
	LC_TRY(rc);
	lc__val_str(&d->v[FIP_SUBNET], c->subnet);
	lc__val_str(&d->v[FIP_ADDRESS], c->address);
	lc__val_str(&d->v[FIP_OWN_PORT], c->own_port);
	return 0;
}

static int create_tx(lc__txn *t, lc__draft *d, void *p)
{
	struct fctx *c = p;

	c->address[0] = c->own_port[0] = '\0';
	if (c->o->subnet_id)
		LC_TRY(lc__id_canon("subnet_id", c->o->subnet_id, c->subnet));
	else
		c->subnet[0] = '\0';
	clear_association(d);
	LC_TRY(lc__quota_charge(t, d->v[FIP_PROJECT].s, LC_QUOTA_FLOATING_IPS, 1));
	LC_TRY(take_address(t, d, c));
	if (c->o->port_id && c->o->port_id[0]) {
		LC_TRY(associate(t, d, c, c->o->port_id, c->o->fixed_ip_address));
		set_association(d, c);
	}
	return 0;
}

/* Release what a floating IP holds: its port (and address), quota (delete and undo). */
static int fip_release(lc__txn *t, const lc__rec *old, void *p)
{
	lc__rec *port;
	int rc;

	(void)p;
	rc = lc__rec_load(t, &lc__port_shape, lc__rec_str(old, FIP_OWN_PORT), &port);
	if (rc == 0) {
		rc = lc__port_destroy_tx(t, port);
		lc__rec_free(port);
	}
	if (rc < 0 && rc != LC_ENOTFOUND)
		return rc;
	return lc__quota_charge(t, lc__rec_str(old, FIP_PROJECT), LC_QUOTA_FLOATING_IPS, -1);
}

LC_EXTERN int lc_floating_ip_create(lc_floating_ip **out, lc_session *s, const lc_floating_ip_opts *o)
{
	struct fctx c;
	char project[LC__ID_TEXT];
	lc__draft d;
	lc__rec *r = NULL;
	int rc;

	LC__NET_WRITE_BEGIN(out, o, LC_FLOATING_IP_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__net_supported(s, LC__NK_FIP));
	LC_TRY(lc__net_owner(s, o->project_id, project));
	if (o->floating_network_id == NULL)
		return lc__error_set(LC_EINVALID, "floating_network_id is required");
	if (o->floating_ip_address)
		LC_TRY(lc__policy_enforce(s, "network:create_floatingip:floating_ip_address", project, NULL));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.o = o;
	lc__draft_new(&d, &lc__fip_shape);
	lc__draft_set_str(&d, FIP_PROJECT, project);
	LC_TRY(lc__draft_text(&d, FIP_NETWORK, o->floating_network_id, 0));
	LC_TRY(lc__net_text(&d, FIP_DESCRIPTION, o->description, 0));
	rc = lc__net_tags(&c.tags, o->tags);
	if (rc == 0) {
		lc__nl_val(&d.v[FIP_TAGS], &c.tags);
		lc__net_stamp(&d);
		rc = lc__res_create(&r, s, &d, "network:create_floatingip", project, create_tx, &c);
	}
	lc__nl_free(&c.tags);
	if (rc < 0)
		return rc;
	rc = lc__net_created(&r, s, LC__NK_FIP, fip_release);
	LC__NET_OUT(out, lc_floating_ip, r);
	return rc;
}

static int update_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	struct fctx *c = p;
	const lc_floating_ip_opts *o = c->o;

	(void)old;
	if (o->floating_network_id || o->subnet_id || o->floating_ip_address || o->project_id)
		return lc__error_set(LC_EINVALID,
				     "floating_network_id, subnet_id, floating_ip_address and project_id cannot be changed");
	if (o->fixed_ip_address && o->port_id == NULL)
		return lc__error_set(LC_EINVALID, "fixed_ip_address needs port_id");
	LC_TRY(lc__net_text(d, FIP_DESCRIPTION, o->description, 1));
	if (o->port_id && o->port_id[0] == '\0') {
		clear_association(d);
	} else if (o->port_id) {
		LC_TRY(associate(t, d, c, o->port_id, o->fixed_ip_address));
		set_association(d, c);
	}
	if (o->tags) {
		LC_TRY(lc__net_tags(&c->tags, o->tags));
		lc__nl_val(&d->v[FIP_TAGS], &c->tags);
	}
	return 0;
}

LC_EXTERN int lc_floating_ip_update(lc_floating_ip **out, lc_session *s, const char *id,
				    const lc_floating_ip_opts *o)
{
	struct fctx c;
	lc__rec *r = NULL;
	int rc;

	LC__NET_WRITE_BEGIN(out, o, LC_FLOATING_IP_OPTS_VERSION);
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.o = o;
	rc = lc__net_update(&r, NULL, s, &lc__fip_shape, "network:update_floatingip", id, lc__net_visible_own,
			    update_apply, &c);
	lc__nl_free(&c.tags);
	if (rc < 0)
		return rc;
	rc = lc__net_updated(&r, s, LC__NK_FIP, FIP_STATUS);
	LC__NET_OUT(out, lc_floating_ip, r);
	return rc;
}

LC_EXTERN int lc_floating_ip_delete(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	return lc__net_delete(s, LC__NK_FIP, &lc__fip_shape, "network:delete_floatingip", id, flags,
			      lc__net_visible_own, NULL, fip_release, NULL);
}
