/*
 * Internal: the services built into the library. The core opens the store
 * with every service's databases and calls each service's hooks by slot;
 * it never names a service itself.
 */
#ifndef LC_SERVICES_H
#define LC_SERVICES_H

#include <stddef.h>

#include "core/cloud.h"
#include "core/store.h"

typedef struct lc__service {
	const char *name;
	const lc__dbdef *const *dbs; /* NULL-terminated */
	/* After the store opens: migrate records, load keys, reconcile transitional states. */
	int (*open)(lc_cloud *c, void **state);
	void (*close)(void *state);
} lc__service;

/* Slots in lc_cloud.svc. */
enum { LC__SVC_IDENTITY = 0 };

extern const lc__service *const lc__services[];
extern const size_t lc__nservices;

#endif
