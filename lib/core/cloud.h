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

/* Check that c is an opened cloud (sets LC_EINVALID). */
int lc__cloud_check(const lc_cloud *c);

#endif
