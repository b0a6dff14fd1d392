/* The built-in "noop" network driver: every change is accepted, nothing is done. */
#include <libcloud/sys/network.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static int noop_network(lc_network_driver *self, int change, const lc_network *network)
{
	(void)self, (void)change, (void)network;
	return 0;
}

static int noop_subnet(lc_network_driver *self, int change, const lc_subnet *subnet)
{
	(void)self, (void)change, (void)subnet;
	return 0;
}

static int noop_port(lc_network_driver *self, int change, const lc_port *port)
{
	(void)self, (void)change, (void)port;
	return 0;
}

static int noop_router(lc_network_driver *self, int change, const lc_router *router)
{
	(void)self, (void)change, (void)router;
	return 0;
}

static int noop_router_interface(lc_network_driver *self, int change, const lc_router *router, const lc_port *port)
{
	(void)self, (void)change, (void)router, (void)port;
	return 0;
}

static int noop_floating_ip(lc_network_driver *self, int change, const lc_floating_ip *fip)
{
	(void)self, (void)change, (void)fip;
	return 0;
}

static int noop_security_group(lc_network_driver *self, int change, const lc_security_group *group)
{
	(void)self, (void)change, (void)group;
	return 0;
}

static int noop_security_group_rule(lc_network_driver *self, int change, const lc_security_group_rule *rule)
{
	(void)self, (void)change, (void)rule;
	return 0;
}

static void noop_free(lc_driver *self)
{
	free(self);
}

LC_EXTERN int lc_network_driver_init(lc_network_driver *d, unsigned int version)
{
	lc_network_driver init = LC_NETWORK_DRIVER_INIT;

	lc__error_clear();
	LC_CHECK_NOTNULL(d);
	LC_CHECK_ARG(version >= 1 && version <= LC_NETWORK_DRIVER_VERSION, "version");
	/* a version 1 struct ends where version 2 appended replay */
	memcpy(d, &init, version == 1 ? offsetof(lc_network_driver, replay) : sizeof(init));
	d->base.version = version;
	return 0;
}

LC_EXTERN int lc_network_driver_noop(lc_network_driver **out)
{
	lc_network_driver *d;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	lc_network_driver_init(d, LC_NETWORK_DRIVER_VERSION);
	d->base.name = "noop";
	d->base.free = noop_free;
	d->network = noop_network;
	d->subnet = noop_subnet;
	d->port = noop_port;
	d->router = noop_router;
	d->router_interface = noop_router_interface;
	d->floating_ip = noop_floating_ip;
	d->security_group = noop_security_group;
	d->security_group_rule = noop_security_group_rule;
	*out = d;
	return 0;
}
