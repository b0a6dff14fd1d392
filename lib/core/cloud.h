/* Internal: the cloud handle. */
#ifndef LC_CORE_CLOUD_H
#define LC_CORE_CLOUD_H

#include <pthread.h>

#include <libcloud/cloud.h>
#include <libcloud/event.h>

#include "core/store.h"

#define LC__SERVICE_SLOTS 8

struct lc__sub {
	int id;
	lc_event_cb cb;
	void *payload;
};

struct lc_cloud {
	lc_cloud_opts opts;
	char *path;
	lc__store *store;
	int opened;
	unsigned int open_flags;
	void *svc[LC__SERVICE_SLOTS]; /* per-service state, see services.h */
	void *conf[LC__SERVICE_SLOTS]; /* per-service settings given before open (lc__cloud_set_conf) */
	void (*conf_free[LC__SERVICE_SLOTS])(void *conf);
	struct lc_driver **drivers;   /* registered drivers, owned */
	size_t ndrivers;
	pthread_mutex_t sub_lock;
	struct lc__sub *subs;
	size_t nsubs;
	int next_sub;
};

/* Log through the host's callback (printf-style). */
void lc__log(const lc_cloud *c, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Release every registered driver (lc_cloud_free). */
void lc__cloud_free_drivers(lc_cloud *c);

/*
 * A service adopts one of its built-in drivers while it opens (the host's
 * lc_cloud_add_driver() is closed by then): the registry owns d from now on,
 * also on failure (d's free is called). LC_EEXISTS when a driver of that
 * kind and name is registered already (the host's one wins), LC_EINVALID,
 * LC_ENOMEM.
 */
int lc__cloud_adopt_driver(lc_cloud *c, struct lc_driver *d);

/*
 * Keep a service's settings, given by the host before lc_cloud_open(), in
 * slot (see services.h); the cloud frees them with free_fn (a previous one
 * is freed at once). The service reads c->conf[slot] when it opens.
 * LC_EINVALID when the cloud is open already (conf is then freed).
 */
int lc__cloud_set_conf(lc_cloud *c, int slot, void *conf, void (*free_fn)(void *conf));

/* Check that c is an opened cloud (sets LC_EINVALID). */
int lc__cloud_check(const lc_cloud *c);

#endif
