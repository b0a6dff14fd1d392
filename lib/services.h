/*
 * Internal: the services built into the library. The core opens the store
 * with every service's databases and calls each service's hooks by slot;
 * it never names a service itself.
 */
#ifndef LC_SERVICES_H
#define LC_SERVICES_H

#include <stddef.h>
#include <stdint.h>

#include "core/cloud.h"
#include "core/store.h"

typedef struct lc__service {
	const char *name;
	const lc__dbdef *const *dbs; /* NULL-terminated */
	/* Version of the service's stored schema; kept in the store's meta database. */
	uint32_t schema_version;
	/*
	 * Bring records written under schema `from` (older than schema_version)
	 * to the current one, inside the open's write transaction. NULL when
	 * there is nothing to migrate yet.
	 */
	int (*migrate)(lc__txn *t, uint32_t from);
	/* After the store opens and migrations ran: load keys, sweep, reconcile transitional states. */
	int (*open)(lc_cloud *c, void **state);
	void (*close)(void *state);
} lc__service;

/* Slots in lc_cloud.svc. */
enum { LC__SVC_IDENTITY = 0, LC__SVC_IMAGE = 1 };
enum { LC__SVC_NETWORK = 2 };
enum { LC__SVC_COMPUTE = 3 };

extern const lc__service *const lc__services[];
extern const size_t lc__nservices;

#endif
