/* Finding compute drivers, and serializing calls into those that ask for it. */
#include "compute/compute.h"

#include <string.h>

#include <libcloud/sys/driver.h>

#include "core/error.h"

LC_EXTERN int lc_compute_driver_error(int code, const char *message)
{
	if (code >= 0)
		code = LC_EBACKEND;
	return lc__error_set(code, "%s", message ? message : lc_strerror(code));
}

int lc__compute_driver(lc__compute *cs, const char *name, lc_compute_driver **out)
{
	lc_driver *d = lc_cloud_driver(cs->cloud, LC_COMPUTE_KIND, name);

	*out = NULL;
	if (d != NULL) {
		*out = (lc_compute_driver *)d;
		return 0;
	}
	if (strcmp(name, "fake") == 0 && cs->builtin_fake)
		*out = cs->builtin_fake;
	else if (strcmp(name, "libvirt") == 0 && cs->builtin_libvirt)
		*out = cs->builtin_libvirt;
	if (*out == NULL)
		return lc__error_set(LC_ENOTFOUND, "no compute driver named '%.64s'", name);
	return 0;
}

void lc__cdrv_enter(lc__compute *cs, lc_compute_driver *d)
{
	if (d->base.serialized)
		pthread_mutex_lock(&cs->serial_lock);
}

void lc__cdrv_leave(lc__compute *cs, lc_compute_driver *d)
{
	if (d->base.serialized)
		pthread_mutex_unlock(&cs->serial_lock);
}
