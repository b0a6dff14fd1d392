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
