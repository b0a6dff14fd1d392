/* The network service: its databases, and the driver it tells about changes. */
#include "network/service.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "network/net.h"

lc__netsvc *lc__net_of(const lc_cloud *c)
{
	return c->svc[LC__SVC_NETWORK];
}

/* The built-in noop driver, unless the host registered a network driver by that name. */
static int register_noop(lc_cloud *c)
{
	lc_network_driver *noop;

	if (lc_cloud_driver(c, LC_NETWORK_DRIVER_KIND, "noop") != NULL)
		return 0;
	LC_TRY(lc_network_driver_noop(&noop));
	return lc__cloud_adopt_driver(c, &noop->base);
}

/* The first network driver the host registered that is not "noop", else "noop". */
static lc_network_driver *pick_driver(const lc_cloud *c)
{
	for (size_t i = 0; i < c->ndrivers; i++) {
		lc_driver *d = c->drivers[i];

		if (strcmp(d->kind, LC_NETWORK_DRIVER_KIND) == 0 && strcmp(d->name, "noop") != 0)
			return (lc_network_driver *)d;
	}
	return (lc_network_driver *)lc_cloud_driver(c, LC_NETWORK_DRIVER_KIND, "noop");
}

static void network_close(void *state)
{
	lc__netsvc *ns = state;

	if (ns == NULL)
		return;
	pthread_mutex_destroy(&ns->drv_lock);
	lc__netconf_free(&ns->conf);
	free(ns);
}

static int network_open(lc_cloud *c, void **state)
{
	lc__netsvc *ns;
	int rc;

	if ((rc = register_noop(c)) < 0)
		return rc;
	ns = calloc(1, sizeof(*ns));
	if (ns == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	pthread_mutex_init(&ns->drv_lock, NULL);
	if ((rc = lc__netconf_load(c, &ns->conf)) < 0) {
		network_close(ns);
		return rc;
	}
	ns->drv = pick_driver(c);
	if (ns->drv == NULL || ns->drv->base.version < 1) {
		network_close(ns);
		return lc__error_set(LC_EINVALID, "no usable network driver");
	}
	lc__log(c, LC_LOG_INFO, "network service uses the %s driver", ns->drv->base.name);
	if ((rc = lc__net_replay(c, ns)) < 0) {
		network_close(ns);
		return rc;
	}
	*state = ns;
	return 0;
}

const lc__service lc__network_service = {
	"network", lc__network_dbs, 1, NULL, network_open, network_close,
};
