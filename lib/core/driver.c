/* The per-cloud driver registry: drivers by kind and name, owned by the cloud. */
#include <libcloud/sys/driver.h>

#include <stdlib.h>
#include <string.h>

#include "core/cloud.h"
#include "core/error.h"
#include "core/text.h"

static void release(lc_driver *d)
{
	if (d && d->free)
		d->free(d);
}

/* Check and append d; the registry owns d whatever happens. */
static int add(lc_cloud *c, lc_driver *d, int before_open)
{
	lc_driver **n;
	int rc;

	if (d == NULL)
		return lc__error_set(LC_EINVALID, "invalid argument: driver is NULL");
	if (c == NULL)
		rc = lc__error_set(LC_EINVALID, "invalid argument: cloud is NULL");
	else if (before_open && c->opened)
		rc = lc__error_set(LC_EINVALID, "drivers are registered before lc_cloud_open()");
	else if (d->version == 0)
		rc = lc__error_set(LC_EINVALID, "driver version 0");
	else if ((rc = lc__text_check("driver kind", d->kind, 1, LC_DRIVER_NAME_MAX)) == 0 &&
		 (rc = lc__text_check("driver name", d->name, 1, LC_DRIVER_NAME_MAX)) == 0 &&
		 lc_cloud_driver(c, d->kind, d->name) != NULL)
		rc = lc__error_set(LC_EEXISTS, "a %s driver named %s is registered already", d->kind, d->name);
	if (rc < 0) {
		release(d);
		return rc;
	}
	n = realloc(c->drivers, (c->ndrivers + 1) * sizeof(*n));
	if (n == NULL) {
		release(d);
		return lc__error_set(LC_ENOMEM, "out of memory");
	}
	c->drivers = n;
	c->drivers[c->ndrivers++] = d;
	return 0;
}

LC_EXTERN int lc_cloud_add_driver(lc_cloud *c, lc_driver *d)
{
	lc__error_clear();
	return add(c, d, 1);
}

int lc__cloud_adopt_driver(lc_cloud *c, struct lc_driver *d)
{
	return add(c, d, 0);
}

LC_EXTERN lc_driver *lc_cloud_driver(const lc_cloud *c, const char *kind, const char *name)
{
	if (c == NULL || kind == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < c->ndrivers; i++)
		if (strcmp(c->drivers[i]->kind, kind) == 0 && strcmp(c->drivers[i]->name, name) == 0)
			return c->drivers[i];
	return NULL;
}

int lc__cloud_set_conf(lc_cloud *c, int slot, void *conf, void (*free_fn)(void *conf))
{
	if (c == NULL || slot < 0 || slot >= LC__SERVICE_SLOTS || c->opened) {
		if (conf && free_fn)
			free_fn(conf);
		if (c != NULL && c->opened)
			return lc__error_set(LC_EINVALID, "service settings are given before lc_cloud_open()");
		return lc__error_set(LC_EINVALID, "invalid argument: cloud is NULL");
	}
	if (c->conf[slot] && c->conf_free[slot])
		c->conf_free[slot](c->conf[slot]);
	c->conf[slot] = conf;
	c->conf_free[slot] = free_fn;
	return 0;
}

void lc__cloud_free_drivers(lc_cloud *c)
{
	for (size_t i = c->ndrivers; i-- > 0;)
		release(c->drivers[i]);
	free(c->drivers);
	c->drivers = NULL;
	c->ndrivers = 0;
	for (int i = 0; i < LC__SERVICE_SLOTS; i++) {
		if (c->conf[i] && c->conf_free[i])
			c->conf_free[i](c->conf[i]);
		c->conf[i] = NULL;
	}
}
