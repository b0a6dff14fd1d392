/* The change log: one record per committed change, keyed by a growing sequence number. */
#include "core/event.h"

#include <stdlib.h>
#include <string.h>

#include "core/cloud.h"
#include "core/error.h"
#include "core/id.h"
#include "core/record.h"
#include "core/session.h"
#include "core/policy.h"

const lc__dbdef lc__event_db = { "event", MDB_INTEGERKEY };

enum { EF_SEQ, EF_TYPE, EF_KIND, EF_RESOURCE, EF_PROJECT, EF_TIME, EF_COUNT };

static const lc__field event_fields[] = {
	[EF_SEQ] = { "seq", LC__T_INT, 0, 0, 0 },
	[EF_TYPE] = { "type", LC__T_INT, 0, 0, 0 },
	[EF_KIND] = { "kind", LC__T_STR, 1, 32, 0 },
	[EF_RESOURCE] = { "resource_id", LC__T_STR, 1, 255, 0 },
	[EF_PROJECT] = { "project_id", LC__T_ID, 0, 64, LC__F_NULLABLE },
	[EF_TIME] = { "time", LC__T_TIME, 0, 0, 0 },
};

static const lc__shape event_shape = {
	"event", &lc__event_db, 1, EF_COUNT, event_fields, 0, NULL, EF_PROJECT,
};

struct lc_event {
	lc__rec rec;
};

struct lc_event_iter {
	lc_cloud *cloud;
	uint64_t after;
};

int lc__event_append(lc__txn *t, int type, const char *kind, const char *id, const char *project_id)
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t seq = 1;
	lc__val vals[LC__MAX_FIELDS];
	char *buf;
	size_t len;
	int rc;

	rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, &lc__event_db), &cur);
	if (rc)
		return lc__txn_error(t, rc, "event log");
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	if (rc == 0 && k.mv_size == sizeof(uint64_t)) {
		memcpy(&seq, k.mv_data, sizeof(seq));
		seq++;
	} else if (rc != 0 && rc != MDB_NOTFOUND) {
		return lc__txn_error(t, rc, "event log");
	}
	memset(vals, 0, sizeof(vals));
	lc__val_int(&vals[EF_SEQ], (int64_t)seq);
	lc__val_int(&vals[EF_TYPE], type);
	lc__val_str(&vals[EF_KIND], kind);
	lc__val_str(&vals[EF_RESOURCE], id);
	lc__val_str(&vals[EF_PROJECT], project_id);
	lc__val_int(&vals[EF_TIME], lc__now_us());
	LC_TRY(lc__rec_encode(&event_shape, vals, &buf, &len));
	rc = lc__txn_put(t, &lc__event_db, &seq, sizeof(seq), buf, len, MDB_APPEND);
	if (rc == 0 && t->events)
		rc = lc__txn_defer_event(t, buf, len);
	free(buf);
	return rc;
}

struct dispatch_ctx {
	lc_cloud *c;
};

/*
 * Deliver one event. The subscribers are copied out of the lock so a
 * callback may call into the library (even make changes) without deadlock.
 */
static void dispatch_one(const void *data, size_t len, void *p)
{
	lc_cloud *c = ((struct dispatch_ctx *)p)->c;
	struct lc__sub *subs;
	size_t n;
	lc__rec *r;

	if (lc__rec_decode(&event_shape, data, len, &r) < 0)
		return;
	pthread_mutex_lock(&c->sub_lock);
	n = c->nsubs;
	subs = n ? malloc(n * sizeof(*subs)) : NULL;
	if (subs)
		memcpy(subs, c->subs, n * sizeof(*subs));
	pthread_mutex_unlock(&c->sub_lock);
	for (size_t i = 0; subs && i < n; i++)
		if (subs[i].cb((const lc_event *)r, subs[i].payload) != 0)
			lc_cloud_unsubscribe(c, subs[i].id);
	free(subs);
	lc__rec_free(r);
}

void lc__event_dispatch(lc__evlist *events, void *cloud)
{
	struct dispatch_ctx d = { cloud };

	if (__atomic_load_n(&((lc_cloud *)cloud)->nsubs, __ATOMIC_RELAXED) == 0) /* a hint; dispatch_one locks */
		return;
	lc__evlist_walk(events, dispatch_one, &d);
}

LC_EXTERN int lc_cloud_subscribe(lc_cloud *c, lc_event_cb cb, void *payload, int *id)
{
	struct lc__sub *n;

	lc__error_clear();
	LC_TRY(lc__cloud_check(c));
	LC_CHECK_NOTNULL(cb);
	pthread_mutex_lock(&c->sub_lock);
	n = realloc(c->subs, (c->nsubs + 1) * sizeof(*n));
	if (n == NULL) {
		pthread_mutex_unlock(&c->sub_lock);
		return lc__error_set(LC_ENOMEM, "out of memory");
	}
	c->subs = n;
	n[c->nsubs].id = ++c->next_sub;
	n[c->nsubs].cb = cb;
	n[c->nsubs].payload = payload;
	if (id)
		*id = n[c->nsubs].id;
	c->nsubs++;
	pthread_mutex_unlock(&c->sub_lock);
	return 0;
}

LC_EXTERN int lc_cloud_unsubscribe(lc_cloud *c, int id)
{
	int rc = LC_ENOTFOUND;

	lc__error_clear();
	LC_TRY(lc__cloud_check(c));
	pthread_mutex_lock(&c->sub_lock);
	for (size_t i = 0; i < c->nsubs; i++) {
		if (c->subs[i].id == id) {
			memmove(&c->subs[i], &c->subs[i + 1], (c->nsubs - i - 1) * sizeof(c->subs[0]));
			c->nsubs--;
			rc = 0;
			break;
		}
	}
	pthread_mutex_unlock(&c->sub_lock);
	return rc ? lc__error_set(rc, "no subscription %d", id) : 0;
}

LC_EXTERN int lc_event_iter_new(lc_event_iter **out, lc_session *s, uint64_t after_seq)
{
	lc_event_iter *it;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "event:list", NULL, NULL));
	it = calloc(1, sizeof(*it));
	if (it == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	it->cloud = s->cloud;
	it->after = after_seq;
	*out = it;
	return 0;
}

LC_EXTERN int lc_event_iter_next(lc_event **out, lc_event_iter *it)
{
	lc__txn t;
	MDB_cursor *cur;
	uint64_t key;
	MDB_val k = { sizeof(key), &key }, v;
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_NOTNULL(it);
	if (it->after == UINT64_MAX)
		return LC_ITEROVER;
	key = it->after + 1;
	LC_TRY(lc__store_read(it->cloud->store, &t));
	rc = mdb_cursor_open(t.txn, lc__store_dbi(t.st, &lc__event_db), &cur);
	if (rc == 0) {
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		mdb_cursor_close(cur);
	}
	if (rc == MDB_NOTFOUND)
		rc = LC_ITEROVER;
	else if (rc != 0)
		rc = lc__error_mdb(rc, "reading the event log");
	else if (k.mv_size != sizeof(key))
		rc = lc__error_set(LC_ECORRUPT, "the event log has a malformed key");
	else
		rc = lc__rec_decode(&event_shape, v.mv_data, v.mv_size, &r);
	lc__store_read_end(&t);
	if (rc < 0)
		return rc;
	it->after = (uint64_t)lc__rec_int(r, EF_SEQ);
	*out = (lc_event *)r;
	return 0;
}

LC_EXTERN void lc_event_iter_free(lc_event_iter *it)
{
	free(it);
}

LC_EXTERN uint64_t lc_event_seq(const lc_event *e)
{
	return e ? (uint64_t)lc__rec_int(&e->rec, EF_SEQ) : 0;
}

LC_EXTERN int lc_event_type_of(const lc_event *e)
{
	return e ? (int)lc__rec_int(&e->rec, EF_TYPE) : 0;
}

LC_EXTERN const char *lc_event_kind(const lc_event *e)
{
	return e ? lc__rec_str(&e->rec, EF_KIND) : NULL;
}

LC_EXTERN const char *lc_event_resource_id(const lc_event *e)
{
	return e ? lc__rec_str(&e->rec, EF_RESOURCE) : NULL;
}

LC_EXTERN const char *lc_event_project_id(const lc_event *e)
{
	return e ? lc__rec_str(&e->rec, EF_PROJECT) : NULL;
}

LC_EXTERN int64_t lc_event_time_us(const lc_event *e)
{
	return e ? lc__rec_int(&e->rec, EF_TIME) : 0;
}

LC_EXTERN void lc_event_free(lc_event *e)
{
	free(e);
}
