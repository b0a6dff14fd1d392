/* Ports of servers: the network service's side of compute's server create and delete. */
#include "network/attach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "network/net.h"

/* A network the project may put a server on: its own, or shared; never an external one. */
static int usable(const lc__rec *net, const char *project_id)
{
	const char *owner = lc__rec_str(net, NET_PROJECT);

	if (lc__rec_int(net, NET_EXTERNAL) && !lc__rec_int(net, NET_SHARED))
		return 0;
	return lc__rec_int(net, NET_SHARED) || (owner && strcmp(owner, project_id) == 0);
}

int lc__net_auto_network_tx(lc__txn *t, const char *project_id, char out[LC__ID_TEXT])
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, found = 0;

	rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, lc__network_shape.db), &cur);
	if (rc)
		return lc__txn_error(t, rc, "network");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		lc__rec *net;

		if (lc__rec_decode(&lc__network_shape, v.mv_data, v.mv_size, &net) < 0) {
			mdb_cursor_close(cur);
			return LC_ECORRUPT;
		}
		if (usable(net, project_id) && lc__nl_count(net, NET_SUBNETS, 1) > 0) {
			if (found++ == 0)
				snprintf(out, LC__ID_TEXT, "%s", lc__rec_str(net, NET_ID));
		}
		lc__rec_free(net);
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND)
		return lc__txn_error(t, rc, "network");
	if (found == 0)
		return lc__error_set(LC_ENOTFOUND, "project %s has no network with a subnet to put a server on", project_id);
	if (found > 1)
		return lc__error_set(LC_ECONFLICT, "Multiple possible networks found, use a Network ID to be more specific.");
	return 0;
}

int lc__net_attach_tx(lc__txn *t, lc__net_attach *a, char port_out[LC__ID_TEXT], int *created)
{
	char id[LC__ID_TEXT];
	lc__rec *r;
	lc__draft d;
	int rc;

	*created = 0;
	a->group_made[0] = '\0';
	if (a->port_id == NULL) {
		const char *fixed[] = { "", a->fixed_ip, NULL };
		lc__port_spec spec = { a->project_id, id, a->server_id, "compute:nova", a->fixed_ip ? fixed : NULL, 1,
				       a->host };

		if (a->network_id == NULL)
			return lc__error_set(LC_EINVALID, "a network or a port is needed");
		LC_TRY(lc__id_canon("network_id", a->network_id, id));
		rc = lc__rec_load(t, &lc__network_shape, id, &r);
		if (rc == 0 && !usable(r, a->project_id))
			rc = LC_ENOTFOUND;
		lc__rec_free(r);
		if (rc == LC_ENOTFOUND)
			return lc__error_set(LC_ENOTFOUND, "Network %s could not be found.", id);
		LC_TRY(rc);
		{
			char gid[LC__ID_TEXT];
			int made;

			LC_TRY(lc__sg_default_tx(t, a->project_id, gid, &made));
			if (made)
				memcpy(a->group_made, gid, LC__ID_TEXT);
		}
		LC_TRY(lc__port_create_tx(t, &spec, port_out));
		*created = 1;
		return 0;
	}
	LC_TRY(lc__id_canon("port_id", a->port_id, id));
	rc = lc__rec_load(t, &lc__port_shape, id, &r);
	if (rc == 0 && (lc__rec_str(r, PRT_PROJECT) == NULL || strcmp(lc__rec_str(r, PRT_PROJECT), a->project_id) != 0))
		rc = LC_ENOTFOUND;
	if (rc == LC_ENOTFOUND) {
		lc__rec_free(r);
		return lc__error_set(LC_ENOTFOUND, "Port %s could not be found.", id);
	}
	LC_TRY(rc);
	if (lc__rec_str(r, PRT_DEVICE_ID) || lc__rec_str(r, PRT_DEVICE_OWNER)) {
		rc = lc__error_set(LC_ECONFLICT, "Port %s is still in use.", id);
		lc__rec_free(r);
		return rc;
	}
	lc__draft_from(&d, r);
	lc__draft_set_str(&d, PRT_DEVICE_ID, a->server_id);
	lc__draft_set_str(&d, PRT_DEVICE_OWNER, "compute:nova");
	lc__net_set_opt(&d.v[PRT_HOST], a->host);
	lc__port_set_status(&d);
	rc = lc__net_restore(t, r, &d);
	lc__rec_free(r);
	if (rc == 0)
		memcpy(port_out, id, LC__ID_TEXT);
	return rc;
}

/* Let one port go from its device: delete it when made for it, else unbind it. */
static int detach(lc__txn *t, const lc__rec *r, int created)
{
	lc__draft d;

	if (created)
		return lc__port_destroy_tx(t, r);
	lc__draft_from(&d, r);
	d.v[PRT_DEVICE_ID].set = d.v[PRT_DEVICE_OWNER].set = d.v[PRT_HOST].set = 0;
	lc__port_set_status(&d);
	return lc__net_restore(t, r, &d);
}

int lc__net_detach_tx(lc__txn *t, const char *port_id, int created)
{
	lc__rec *r;
	int rc = lc__rec_load(t, &lc__port_shape, port_id, &r);

	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	rc = detach(t, r, created);
	lc__rec_free(r);
	return rc;
}

struct each_ctx {
	int (*fn)(lc__txn *t, const lc__rec *port, void *p);
	void *p;
	lc__nl ids;
};

static int collect(lc__txn *t, const char *id, void *p)
{
	(void)t;
	return lc__nl_add(&((struct each_ctx *)p)->ids, id);
}

/* Visit port id with fn (a port gone meanwhile is skipped). */
static int visit(lc__txn *t, const char *id, struct each_ctx *c)
{
	lc__rec *port;
	int rc = lc__rec_load(t, &lc__port_shape, id, &port);

	if (rc == LC_ENOTFOUND)
		return 0;
	if (rc == 0)
		rc = c->fn(t, port, c->p);
	lc__rec_free(port);
	return rc;
}

int lc__net_device_ports_tx(lc__txn *t, const char *device_id, const lc__val *order,
			    int (*fn)(lc__txn *t, const lc__rec *port, void *p), void *p)
{
	const char *parts[] = { device_id };
	struct each_ctx c = { fn, p, { 0 } };
	lc__val v;
	size_t n;
	int rc;

	/* collected first: fn may change the ports */
	rc = lc__index_each(t, &lc__port_shape.indexes[PRT_IX_DEVICE], parts, collect, &c);
	lc__nl_val(&v, &c.ids);
	n = lc__nlv_count(&v, 1);
	if (order && order->set) { /* the ordered ones that are still the device's */
		for (size_t k = 0; rc == 0 && k < lc__nlv_count(order, 1); k++)
			if (lc__nlv_find(&v, 1, 0, lc__nlv_item(order, k)) >= 0)
				rc = visit(t, lc__nlv_item(order, k), &c);
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (!(order && order->set && lc__nlv_find(order, 1, 0, lc__nlv_item(&v, i)) >= 0))
			rc = visit(t, lc__nlv_item(&v, i), &c);
	lc__nl_free(&c.ids);
	return rc;
}

int lc__net_notify_port(lc_session *s, const char *port_id, int change, const char *group_made)
{
	lc__rec *port = NULL;
	int rc;

	if (group_made && *group_made)
		(void)lc__sg_notify_created(s, group_made); /* a failure is logged; the group stays */
	if (change == LC_NETWORK_CHANGE_DELETE)
		return 0;
	rc = lc__port_snapshot(s, port_id, &port);
	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	rc = lc__net_notify(s, LC__NK_PORT, change, port, NULL);
	lc__rec_free(port);
	return rc;
}

struct release_ctx {
	const lc__val *made;
	int (*kept)(const char *port_id, void *p);
	void *p;
};

static int release_one(lc__txn *t, const lc__rec *port, void *p)
{
	struct release_ctx *c = p;
	const char *id = lc__rec_str(port, PRT_ID);
	int made = c->made && c->made->set && lc__nlv_find(c->made, 1, 0, id) >= 0;

	LC_TRY(detach(t, port, made));
	return !made && c->kept ? c->kept(id, c->p) : 0;
}

int lc__net_device_release_tx(lc__txn *t, const char *device_id, const lc__val *made,
			      int (*kept)(const char *port_id, void *p), void *p)
{
	struct release_ctx c = { made, kept, p };

	return lc__net_device_ports_tx(t, device_id, NULL, release_one, &c);
}

static int bind_one(lc__txn *t, const lc__rec *port, void *p)
{
	const char *host = p, *now = lc__rec_str(port, PRT_HOST);
	lc__draft d;

	if (host && now && strcmp(host, now) == 0)
		return 0;
	lc__draft_from(&d, port);
	lc__net_set_opt(&d.v[PRT_HOST], host);
	lc__port_set_status(&d);
	return lc__net_restore(t, port, &d);
}

int lc__net_device_bind_tx(lc__txn *t, const char *device_id, const char *host)
{
	return lc__net_device_ports_tx(t, device_id, NULL, bind_one, (void *)host);
}

struct addr_ctx {
	int (*fn)(const lc__net_addr *a, void *p);
	void *p;
};

struct fip_ctx {
	struct addr_ctx *c;
	lc__net_addr *a;
};

static int fip_addr(lc__txn *t, const char *fip_id, void *p)
{
	struct fip_ctx *x = p;
	lc__rec *f;
	int rc = lc__rec_load(t, &lc__fip_shape, fip_id, &f);

	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	x->a->addr = lc__rec_str(f, FIP_ADDRESS);
	x->a->version = x->a->addr && strchr(x->a->addr, ':') ? 6 : 4;
	x->a->floating = 1;
	rc = x->a->addr ? x->c->fn(x->a, x->c->p) : 0;
	lc__rec_free(f);
	return rc;
}

static int port_addrs(lc__txn *t, const lc__rec *port, void *p)
{
	struct addr_ctx *c = p;
	lc__net_addr a;
	lc__rec *net = NULL;
	size_t n = lc__nl_count(port, PRT_FIXED_IPS, 2);
	int rc;

	memset(&a, 0, sizeof(a));
	a.port_id = lc__rec_str(port, PRT_ID);
	a.network_id = lc__rec_str(port, PRT_NETWORK);
	a.mac = lc__rec_str(port, PRT_MAC);
	rc = lc__rec_load(t, &lc__network_shape, a.network_id, &net);
	if (rc == LC_ENOTFOUND)
		rc = 0;
	LC_TRY(rc);
	a.network_name = net ? lc__rec_str(net, NET_NAME) : NULL;
	if (a.network_name == NULL || !*a.network_name)
		a.network_name = a.network_id;
	a.mtu = net ? lc__rec_int(net, NET_MTU) : 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		lc__rec *sub = NULL;

		a.subnet_id = lc__nl_item(port, PRT_FIXED_IPS, 2 * i);
		a.addr = lc__nl_item(port, PRT_FIXED_IPS, 2 * i + 1);
		a.version = strchr(a.addr, ':') ? 6 : 4;
		rc = lc__rec_load(t, &lc__subnet_shape, a.subnet_id, &sub);
		if (rc == LC_ENOTFOUND)
			rc = 0;
		if (rc == 0) {
			a.cidr = sub ? lc__rec_str(sub, SUB_CIDR) : NULL;
			a.gateway = sub ? lc__rec_str(sub, SUB_GATEWAY) : NULL;
			a.ipv6_address_mode = sub ? lc__rec_str(sub, SUB_ADDR_MODE) : NULL;
			a.dns = sub ? &sub->v[SUB_DNS] : NULL;
			a.routes = sub ? &sub->v[SUB_ROUTES] : NULL;
			rc = c->fn(&a, c->p);
		}
		lc__rec_free(sub);
	}
	a.subnet_id = a.cidr = a.gateway = a.ipv6_address_mode = NULL;
	a.dns = a.routes = NULL;
	if (rc == 0) {
		const char *parts[] = { a.port_id };
		struct fip_ctx x = { c, &a };

		rc = lc__index_each(t, &lc__fip_shape.indexes[FIP_IX_PORT], parts, fip_addr, &x);
	}
	lc__rec_free(net);
	return rc;
}

int lc__net_device_addresses_tx(lc__txn *t, const char *device_id, const lc__val *order,
				int (*fn)(const lc__net_addr *a, void *p), void *p)
{
	struct addr_ctx c = { fn, p };

	return lc__net_device_ports_tx(t, device_id, order, port_addrs, &c);
}

struct nic_ctx {
	int (*fn)(const lc__net_nic *n, void *p);
	void *p;
};

static int port_nic(lc__txn *t, const lc__rec *port, void *p)
{
	struct nic_ctx *c = p;
	lc__net_nic n = { lc__rec_str(port, PRT_ID), lc__rec_str(port, PRT_NETWORK), lc__rec_str(port, PRT_MAC), 0 };
	lc__rec *net = NULL;
	int rc = lc__rec_load(t, &lc__network_shape, n.network_id, &net);

	if (rc == 0)
		n.mtu = lc__rec_int(net, NET_MTU);
	else if (rc != LC_ENOTFOUND)
		return rc;
	lc__rec_free(net);
	return c->fn(&n, c->p);
}

int lc__net_device_nics_tx(lc__txn *t, const char *device_id, const lc__val *order,
			   int (*fn)(const lc__net_nic *n, void *p), void *p)
{
	struct nic_ctx c = { fn, p };

	return lc__net_device_ports_tx(t, device_id, order, port_nic, &c);
}

int lc__net_notify_port_gone(lc_session *s, const char *port_id)
{
	lc__rec *port = NULL;
	int rc = lc__port_snapshot(s, port_id, &port);

	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	rc = lc__net_notify(s, LC__NK_PORT, LC_NETWORK_CHANGE_DELETE, port, NULL);
	lc__rec_free(port);
	return rc;
}
