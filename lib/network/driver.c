/* Telling the network driver about committed changes. */
#include <string.h>

#include "core/error.h"
#include "network/net.h"

static const char *const kind_names[] = {
	[LC__NK_NETWORK] = "networks", [LC__NK_SUBNET] = "subnets", [LC__NK_PORT] = "ports",
	[LC__NK_ROUTER] = "routers", [LC__NK_ROUTER_IF] = "router interfaces", [LC__NK_FIP] = "floating IPs",
	[LC__NK_SG] = "security groups", [LC__NK_RULE] = "security group rules",
};

static int has_method(const lc_network_driver *d, lc__netkind kind)
{
	switch (kind) {
	case LC__NK_NETWORK: return d->network != NULL;
	case LC__NK_SUBNET: return d->subnet != NULL;
	case LC__NK_PORT: return d->port != NULL;
	case LC__NK_ROUTER: return d->router != NULL;
	case LC__NK_ROUTER_IF: return d->router_interface != NULL;
	case LC__NK_FIP: return d->floating_ip != NULL;
	case LC__NK_SG: return d->security_group != NULL;
	case LC__NK_RULE: return d->security_group_rule != NULL;
	}
	return 0;
}

int lc__net_supported(const lc_session *s, lc__netkind kind)
{
	lc__netsvc *ns = lc__net_of(s->cloud);

	if (ns == NULL || ns->drv == NULL)
		return lc__error_set(LC_ENOTSUPPORTED, "the network service is not available");
	if (!has_method(ns->drv, kind))
		return lc__error_set(LC_ENOTSUPPORTED, "the network driver %s does not support %s",
				     ns->drv->base.name, kind_names[kind]);
	return 0;
}

static int call(lc_network_driver *d, lc__netkind kind, int change, const lc__rec *r, const lc__rec *r2)
{
	switch (kind) {
	case LC__NK_NETWORK: return d->network(d, change, (const lc_network *)r);
	case LC__NK_SUBNET: return d->subnet(d, change, (const lc_subnet *)r);
	case LC__NK_PORT: return d->port(d, change, (const lc_port *)r);
	case LC__NK_ROUTER: return d->router(d, change, (const lc_router *)r);
	case LC__NK_ROUTER_IF: return d->router_interface(d, change, (const lc_router *)r, (const lc_port *)r2);
	case LC__NK_FIP: return d->floating_ip(d, change, (const lc_floating_ip *)r);
	case LC__NK_SG: return d->security_group(d, change, (const lc_security_group *)r);
	case LC__NK_RULE: return d->security_group_rule(d, change, (const lc_security_group_rule *)r);
	}
	return 0;
}

int lc__net_notify(const lc_session *s, lc__netkind kind, int change, const lc__rec *r, const lc__rec *r2)
{
	lc__netsvc *ns = lc__net_of(s->cloud);
	lc_network_driver *d = ns ? ns->drv : NULL;
	int rc;

	if (d == NULL || !has_method(d, kind) || r == NULL)
		return 0;
	lc__error_clear();
	if (d->base.serialized)
		pthread_mutex_lock(&ns->drv_lock);
	rc = call(d, kind, change, r, r2);
	if (d->base.serialized)
		pthread_mutex_unlock(&ns->drv_lock);
	if (rc >= 0)
		return 0;
	if (lc__error_code() == LC_OK || lc__error_code() != rc)
		lc__error_set(rc, "the network driver %s failed on %s %s", d->base.name, r->shape->kind,
			      lc__rec_str(r, 0));
	lc__log(s->cloud, LC_LOG_ERROR, "network driver %s: %s", d->base.name, lc_error_last()->message);
	return rc;
}

/* ---- replay at open ---- */

#define REPLAY_BATCH 64

struct replay {
	lc_cloud *c;
	lc__netsvc *ns;
	size_t told, failed;
};

/* Call the driver under its lock (when serialized). */
static int call_locked(lc__netsvc *ns, lc__netkind kind, int change, const lc__rec *r, const lc__rec *r2)
{
	int rc;

	if (ns->drv->base.serialized)
		pthread_mutex_lock(&ns->drv_lock);
	lc__error_clear();
	rc = call(ns->drv, kind, change, r, r2);
	if (ns->drv->base.serialized)
		pthread_mutex_unlock(&ns->drv_lock);
	return rc;
}

static int status_field(lc__netkind kind, const lc__shape **sh)
{
	switch (kind) {
	case LC__NK_PORT: *sh = &lc__port_shape; return PRT_STATUS;
	case LC__NK_ROUTER: *sh = &lc__router_shape; return RTR_STATUS;
	case LC__NK_ROUTER_IF: *sh = &lc__port_shape; return PRT_STATUS;
	case LC__NK_FIP: *sh = &lc__fip_shape; return FIP_STATUS;
	default: return -1;
	}
}

/* Tell one resource; a failure is logged and marks the resource with a status ERROR. */
static int replay_one(struct replay *rp, lc__netkind kind, const lc__rec *r, const lc__rec *r2)
{
	lc_network_driver *d = rp->ns->drv;
	const lc__rec *marked = kind == LC__NK_ROUTER_IF ? r2 : r;
	const lc__shape *sh = NULL;
	int rc, field;

	if (!has_method(d, kind))
		return 0;
	rp->told++;
	rc = call_locked(rp->ns, kind, LC_NETWORK_CHANGE_REPLAY, r, r2);
	if (rc >= 0)
		return 0;
	rp->failed++;
	lc__log(rp->c, LC_LOG_ERROR, "network driver %s: replaying %s %s failed: %s", d->base.name,
		kind_names[kind], lc__rec_str(marked, 0),
		lc__error_code() == rc ? lc_error_last()->message : lc_strerror(rc));
	if ((field = status_field(kind, &sh)) >= 0)
		return lc__net_set_status_st(rp->c->store, sh, lc__rec_str(marked, 0), field, "ERROR");
	return 0;
}

typedef int (*replay_fn)(struct replay *rp, lc__txn *t, const lc__rec *r, lc__rec **extra);

/*
 * Visit every record of a shape in key order, REPLAY_BATCH at a time: each
 * batch is read in one short read transaction (with what fn wants next to
 * a record, e.g. a port's router), and the driver is called after it ends.
 */
static int each_record(struct replay *rp, const lc__shape *sh, lc__netkind kind, replay_fn pick)
{
	char last[LC__ID_TEXT];
	size_t lastlen = 0;

	for (;;) {
		lc__rec *batch[REPLAY_BATCH], *extra[REPLAY_BATCH];
		size_t n = 0;
		MDB_cursor *cur;
		MDB_val k, v;
		lc__txn t;
		int rc, mrc;

		LC_TRY(lc__store_read(rp->c->store, &t));
		mrc = mdb_cursor_open(t.txn, lc__store_dbi(t.st, sh->db), &cur);
		if (mrc) {
			rc = lc__txn_error(&t, mrc, sh->db->name);
			lc__store_read_end(&t);
			return rc;
		}
		if (lastlen) {
			k.mv_size = lastlen;
			k.mv_data = last;
			mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
			if (mrc == 0 && k.mv_size == lastlen && memcmp(k.mv_data, last, lastlen) == 0)
				mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
		} else {
			mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
		}
		rc = 0;
		while (mrc == 0 && n < REPLAY_BATCH) {
			if (k.mv_size >= sizeof(last)) {
				rc = lc__error_set(LC_ECORRUPT, "a %s key is corrupt", sh->kind);
				break;
			}
			memcpy(last, k.mv_data, k.mv_size);
			lastlen = k.mv_size;
			extra[n] = NULL;
			rc = lc__rec_decode(sh, v.mv_data, v.mv_size, &batch[n]);
			if (rc < 0)
				break;
			rc = pick ? pick(rp, &t, batch[n], &extra[n]) : 1;
			if (rc <= 0)
				lc__rec_free(batch[n]);
			else
				n++;
			if (rc < 0)
				break;
			rc = 0;
			mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
		}
		if (rc == 0 && mrc != 0 && mrc != MDB_NOTFOUND)
			rc = lc__txn_error(&t, mrc, sh->db->name);
		mdb_cursor_close(cur);
		lc__store_read_end(&t);
		for (size_t i = 0; i < n; i++) {
			if (rc == 0)
				rc = kind == LC__NK_ROUTER_IF ? replay_one(rp, kind, extra[i], batch[i])
							       : replay_one(rp, kind, batch[i], NULL);
			lc__rec_free(batch[i]);
			lc__rec_free(extra[i]);
		}
		if (rc < 0)
			return rc;
		if (mrc != 0)
			return 0;
	}
}

static int owner_is(const lc__rec *port, const char *prefix)
{
	const char *o = lc__rec_str(port, PRT_DEVICE_OWNER);

	return o != NULL && strncmp(o, prefix, strlen(prefix)) == 0;
}

/* Ports the driver sees as ports: not those of routers and floating IPs (told through them). */
static int pick_port(struct replay *rp, lc__txn *t, const lc__rec *r, lc__rec **extra)
{
	(void)rp;
	(void)t;
	(void)extra;
	return !owner_is(r, "network:router_interface") && !owner_is(r, "network:router_gateway") &&
	       !owner_is(r, "network:floatingip");
}

/* Router interface ports, with their router. */
static int pick_interface(struct replay *rp, lc__txn *t, const lc__rec *r, lc__rec **extra)
{
	const char *router = lc__rec_str(r, PRT_DEVICE_ID);
	int rc;

	if (!owner_is(r, "network:router_interface") || router == NULL || *router == '\0')
		return 0;
	rc = lc__rec_load(t, &lc__router_shape, router, extra);
	if (rc == LC_ENOTFOUND) {
		lc__log(rp->c, LC_LOG_WARN, "router interface port %s names a router %s that does not exist",
			lc__rec_str(r, PRT_ID), router);
		return 0;
	}
	return rc < 0 ? rc : 1;
}

int lc__net_replay(lc_cloud *c, lc__netsvc *ns)
{
	static const struct {
		const lc__shape *sh;
		lc__netkind kind;
		replay_fn pick;
	} order[] = {
		{ &lc__sg_shape, LC__NK_SG, NULL },
		{ &lc__rule_shape, LC__NK_RULE, NULL },
		{ &lc__network_shape, LC__NK_NETWORK, NULL },
		{ &lc__subnet_shape, LC__NK_SUBNET, NULL },
		{ &lc__port_shape, LC__NK_PORT, pick_port },
		{ &lc__router_shape, LC__NK_ROUTER, NULL },
		{ &lc__port_shape, LC__NK_ROUTER_IF, pick_interface },
		{ &lc__fip_shape, LC__NK_FIP, NULL },
	};
	struct replay rp = { c, ns, 0, 0 };
	lc_network_driver *d = ns->drv;
	int rc = 0;

	if (d == NULL || d->base.version < 2 || d->replay == NULL)
		return 0;
	if (d->base.serialized)
		pthread_mutex_lock(&ns->drv_lock);
	lc__error_clear();
	rc = d->replay(d, LC_NETWORK_REPLAY_BEGIN);
	if (d->base.serialized)
		pthread_mutex_unlock(&ns->drv_lock);
	if (rc < 0) {
		lc__log(c, LC_LOG_ERROR, "network driver %s: replay refused (%s); the data plane is not rebuilt",
			d->base.name, lc_strerror(rc));
		return 0;
	}
	rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof(order) / sizeof(order[0]); i++)
		rc = each_record(&rp, order[i].sh, order[i].kind, order[i].pick);
	if (d->base.serialized)
		pthread_mutex_lock(&ns->drv_lock);
	if (d->replay(d, LC_NETWORK_REPLAY_END) < 0)
		lc__log(c, LC_LOG_ERROR, "network driver %s: the end of the replay failed", d->base.name);
	if (d->base.serialized)
		pthread_mutex_unlock(&ns->drv_lock);
	lc__log(c, rp.failed ? LC_LOG_WARN : LC_LOG_INFO, "network driver %s: replayed %zu resources, %zu failed",
		d->base.name, rp.told, rp.failed);
	return rc;
}
