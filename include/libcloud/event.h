/*
 * libcloud - the change log.
 *
 * Every committed mutation appends an event in the same transaction, with a
 * sequence number that only grows. A controller reads the log from a cursor
 * (the last sequence it has seen) or subscribes to a callback, and never
 * misses an update.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_EVENT_H
#define LIBCLOUD_EVENT_H

#include "common.h"

LC_BEGIN_DECLS

/** What happened to the resource. */
typedef enum lc_event_type {
	LC_EVENT_CREATE = 1,
	LC_EVENT_UPDATE = 2,
	LC_EVENT_DELETE = 3
} lc_event_type;

/** An immutable snapshot of one event. */
typedef struct lc_event lc_event;
/** An iterator over the change log. */
typedef struct lc_event_iter lc_event_iter;

/**
 * Read the change log from a cursor: the events with a sequence number
 * greater than after_seq, oldest first.
 *
 * @param out out: the iterator; free with lc_event_iter_free()
 * @param s the caller; needs admin (policy "event:list")
 * @param after_seq 0 for the whole log
 * @return 0, LC_EINVALID, LC_EFORBIDDEN, LC_ENOMEM
 * @note The iterator belongs to one thread. Since 0.1.
 */
LC_EXTERN int lc_event_iter_new(lc_event_iter **out, lc_session *s, uint64_t after_seq);

/**
 * Next event.
 *
 * @param out out: the event; free with lc_event_free()
 * @param it the iterator
 * @return 0, LC_ITEROVER, or an error
 * @note Since 0.1.
 */
LC_EXTERN int lc_event_iter_next(lc_event **out, lc_event_iter *it);

/** Free an event iterator. NULL-safe. Since 0.1. */
LC_EXTERN void lc_event_iter_free(lc_event_iter *it);

/** The event's sequence number (starts at 1, strictly increasing). Since 0.1. */
LC_EXTERN uint64_t lc_event_seq(const lc_event *e);
/** The lc_event_type. Since 0.1. */
LC_EXTERN int lc_event_type_of(const lc_event *e);
/** The resource kind: "domain", "project", "user", ...; borrowed until lc_event_free(). Since 0.1. */
LC_EXTERN const char *lc_event_kind(const lc_event *e);
/** The resource id; borrowed. Since 0.1. */
LC_EXTERN const char *lc_event_resource_id(const lc_event *e);
/** The owning project id, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_event_project_id(const lc_event *e);
/** Commit time, microseconds since the Unix epoch. Since 0.1. */
LC_EXTERN int64_t lc_event_time_us(const lc_event *e);
/** Free an event snapshot. NULL-safe. Since 0.1. */
LC_EXTERN void lc_event_free(lc_event *e);

/**
 * Called once per committed event, after the commit, in the thread whose
 * call made the change (events of another process are seen through the
 * cursor). The callback may call into the library, including making
 * changes (their events are delivered in turn); keep it short, as the call
 * that made the change returns only after its callbacks.
 *
 * @param e the event, borrowed for the call
 * @param payload as given to lc_cloud_subscribe()
 * @return 0 to stay subscribed; non-zero to unsubscribe
 */
typedef int (*lc_event_cb)(const lc_event *e, void *payload);

/**
 * Subscribe a callback to this process's committed events.
 *
 * @param c an opened cloud
 * @param cb the callback
 * @param payload passed to cb
 * @param id out, may be NULL: the subscription, for lc_cloud_unsubscribe()
 * @return 0, LC_EINVALID, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_cloud_subscribe(lc_cloud *c, lc_event_cb cb, void *payload, int *id);

/**
 * Remove a subscription.
 *
 * @param c the cloud
 * @param id from lc_cloud_subscribe()
 * @return 0, LC_EINVALID, LC_ENOTFOUND
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_cloud_unsubscribe(lc_cloud *c, int id);

LC_END_DECLS

#endif
