/* Internal: the change log, appended in the same transaction as each mutation. */
#ifndef LC_CORE_EVENT_H
#define LC_CORE_EVENT_H

#include <libcloud/event.h>

#include "core/store.h"

extern const lc__dbdef lc__event_db;

/* Append an event to the log in t and keep it for dispatch after commit. */
int lc__event_append(lc__txn *t, int type, const char *kind, const char *id, const char *project_id);

/* Deliver committed events to the cloud's subscribers (the store's commit hook). */
void lc__event_dispatch(lc__evlist *events, void *cloud);

#endif
