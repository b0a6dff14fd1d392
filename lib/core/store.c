/*
 * The metadata store: LMDB with group commit.
 *
 * Writers queue their callbacks; the first writer that finds no batch in
 * progress leads: it takes every queued callback, runs each in a nested
 * transaction of one write transaction, commits once (one fsync for all) and
 * wakes the others. A callback that fails aborts only its nested
 * transaction. When the map is full the leader aborts the batch, grows the
 * map and runs the batch again.
 *
 * A batch whose callers all asked for a lazy write commits with LMDB's
 * MDB_NOMETASYNC set for that one commit: the data pages are synced before
 * the meta page is written (the database stays consistent whatever reaches
 * the disk) but the meta page is not synced. The next durable commit's sync
 * (or mdb_env_sync at close) makes it durable. A batch with any durable
 * caller commits durably. Only the leader writes, and it sets and clears
 * the flag around its own commit, so no other commit of this process sees it.
 *
 * Deferred writes wait in a list of their own. The next leader puts them at
 * the head of its batch, so they commit before (and are seen by) the writes
 * queued with them; a read that begins while some wait commits them first
 * (as a lazy batch), unless the thread said its reads cannot depend on them.
 */
#include "core/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/error.h"

#define READ_POOL_MAX 64
#define MAP_SIZE_MAX (UINT64_C(1) << 40)
#define ERRMSG_MAX 512
#define GATHER_US 200 /* longest a leader waits for the writers of the previous batch */
#define LAZY_ENV_FLAG MDB_NOMETASYNC /* how a lazy batch commits (see above) */

struct lc__evnode {
	struct lc__evnode *next;
	size_t len;
	char data[];
};

struct lc__evlist {
	struct lc__evnode *head, *tail;
};

struct wreq {
	lc__write_fn fn;
	void *ctx;
	int lazy;
	int deferred; /* part of a struct dreq: nobody waits for it */
	int rc;
	int done;
	int errcode;
	char errmsg[ERRMSG_MAX];
	lc__evlist events;
	struct wreq *next;
};

/* A deferred write: its request, and what to call once it is committed or dropped. */
struct dreq {
	struct wreq req;
	lc__deferred_done done;
	struct dreq *dnext;
};

/* Set while this thread leads a batch, and while it asked for reads that need not see deferred writes. */
static _Thread_local int tls_leading;
static _Thread_local int tls_stale_reads;

struct lc__store {
	MDB_env *env;
	size_t ndbs;
	const lc__dbdef **defs;
	MDB_dbi *dbis;
	uint64_t map_size;
	pthread_rwlock_t resize_lock; /* read-held by every transaction, write-held to resize */
	pthread_mutex_t wlock;        /* protects the queue and the leader flag */
	pthread_cond_t wcond;
	struct wreq *qhead, *qtail;
	size_t nqueued;
	size_t last_batch;            /* size of the previous batch */
	pthread_cond_t arrive;        /* signalled when a request is queued */
	struct dreq *dhead, *dtail;   /* deferred writes, oldest first (under wlock) */
	size_t ndeferred;             /* their number (atomic: readers peek without the lock) */
	int leading;
	int nosync;                   /* opened with LC__STORE_NOSYNC: no commit is durable */
	uint64_t durable_txnid;       /* last commit known durable (atomic) */
	uint64_t lazy_txnid;          /* last lazy commit (atomic) */
	pthread_mutex_t pool_lock;
	MDB_txn *pool[READ_POOL_MAX];
	size_t npool;
	lc__commit_hook hook;
	void *hook_payload;
};

static void evlist_clear(lc__evlist *l)
{
	struct lc__evnode *n = l->head;

	while (n) {
		struct lc__evnode *next = n->next;
		free(n);
		n = next;
	}
	l->head = l->tail = NULL;
}

int lc__txn_defer_event(lc__txn *t, const void *data, size_t len)
{
	struct lc__evnode *n = malloc(sizeof(*n) + len);

	if (n == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory recording an event");
	n->next = NULL;
	n->len = len;
	memcpy(n->data, data, len);
	if (t->events->tail)
		t->events->tail->next = n;
	else
		t->events->head = n;
	t->events->tail = n;
	return 0;
}

size_t lc__evlist_walk(const lc__evlist *l, void (*fn)(const void *data, size_t len, void *p), void *p)
{
	size_t n = 0;

	for (const struct lc__evnode *e = l ? l->head : NULL; e; e = e->next, n++)
		fn(e->data, e->len, p);
	return n;
}

/* Adopt a map size changed by another process, or grow ours. Call with no transaction held. */
static int resize_map(lc__store *st, uint64_t size)
{
	int rc;
	MDB_envinfo info;

	pthread_rwlock_wrlock(&st->resize_lock);
	rc = mdb_env_set_mapsize(st->env, (size_t)size);
	if (rc == 0 && mdb_env_info(st->env, &info) == 0)
		st->map_size = info.me_mapsize;
	pthread_rwlock_unlock(&st->resize_lock);
	return rc ? lc__error_mdb(rc, "resizing the store map") : 0;
}

static int txn_begin(lc__store *st, unsigned int flags, MDB_txn **out)
{
	for (int tries = 0;; tries++) {
		int rc;

		pthread_rwlock_rdlock(&st->resize_lock);
		rc = mdb_txn_begin(st->env, NULL, flags, out);
		if (rc == 0)
			return 0;
		pthread_rwlock_unlock(&st->resize_lock);
		if (rc != MDB_MAP_RESIZED || tries > 3)
			return lc__error_mdb(rc, "beginning a transaction");
		LC_TRY(resize_map(st, 0));
	}
}

int lc__store_open(lc__store **out, const char *dir, uint64_t map_size, unsigned int flags,
		   const lc__dbdef *const *dbs, size_t ndbs)
{
	lc__store *st;
	MDB_txn *txn = NULL;
	MDB_envinfo info;
	int rc;

	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	st->ndbs = ndbs;
	st->defs = calloc(ndbs ? ndbs : 1, sizeof(*st->defs));
	st->dbis = calloc(ndbs ? ndbs : 1, sizeof(*st->dbis));
	if (st->defs == NULL || st->dbis == NULL) {
		free(st->defs);
		free(st->dbis);
		free(st);
		return lc__error_set(LC_ENOMEM, "out of memory");
	}
	memcpy(st->defs, dbs, ndbs * sizeof(*dbs));
	pthread_rwlock_init(&st->resize_lock, NULL);
	pthread_mutex_init(&st->wlock, NULL);
	pthread_cond_init(&st->wcond, NULL);
	pthread_cond_init(&st->arrive, NULL);
	pthread_mutex_init(&st->pool_lock, NULL);

	if ((rc = mdb_env_create(&st->env)) != 0 ||
	    (rc = mdb_env_set_maxdbs(st->env, (MDB_dbi)ndbs + 4)) != 0 ||
	    (rc = mdb_env_set_maxreaders(st->env, 1022)) != 0 ||
	    (rc = mdb_env_set_mapsize(st->env, (size_t)map_size)) != 0) {
		rc = lc__error_mdb(rc, "creating the store environment");
		goto fail;
	}
	rc = mdb_env_open(st->env, dir, MDB_NOTLS | ((flags & LC__STORE_NOSYNC) ? MDB_NOSYNC : 0), 0600);
	if (rc != 0) {
		int code = rc == ENOENT ? LC_ENOTFOUND
			 : (rc == EACCES || rc == EROFS || rc == EPERM) ? LC_EIO
			 : 0;
		if (code)
			rc = lc__error_set(code, "opening the store in %s: %s", dir, mdb_strerror(rc));
		else
			rc = lc__error_mdb(rc, "opening the store (is it a libcloud data directory?)");
		goto fail;
	}
	if (mdb_env_info(st->env, &info) == 0) {
		st->map_size = info.me_mapsize;
		st->durable_txnid = (uint64_t)info.me_last_txnid;
	}
	st->nosync = (flags & LC__STORE_NOSYNC) != 0;
	if ((rc = txn_begin(st, 0, &txn)) != 0)
		goto fail;
	for (size_t i = 0; i < ndbs; i++) {
		rc = mdb_dbi_open(txn, dbs[i]->name, MDB_CREATE | dbs[i]->flags, &st->dbis[i]);
		if (rc != 0) {
			mdb_txn_abort(txn);
			pthread_rwlock_unlock(&st->resize_lock);
			rc = lc__error_mdb(rc, "opening a store database");
			goto fail;
		}
	}
	rc = mdb_txn_commit(txn);
	pthread_rwlock_unlock(&st->resize_lock);
	if (rc != 0) {
		rc = lc__error_mdb(rc, "creating the store databases");
		goto fail;
	}
	*out = st;
	return 0;
fail:
	lc__store_close(st);
	return rc;
}

void lc__store_close(lc__store *st)
{
	if (st == NULL)
		return;
	if (st->env)
		(void)lc__store_flush(st); /* what is deferred is committed, never dropped, at close */
	for (size_t i = 0; i < st->npool; i++)
		mdb_txn_abort(st->pool[i]);
	if (st->env && !st->nosync && st->lazy_txnid > st->durable_txnid)
		mdb_env_sync(st->env, 1); /* lazy commits since the last durable one */
	if (st->env)
		mdb_env_close(st->env);
	pthread_rwlock_destroy(&st->resize_lock);
	pthread_mutex_destroy(&st->wlock);
	pthread_cond_destroy(&st->wcond);
	pthread_cond_destroy(&st->arrive);
	pthread_mutex_destroy(&st->pool_lock);
	free(st->defs);
	free(st->dbis);
	free(st);
}

MDB_dbi lc__store_dbi(const lc__store *st, const lc__dbdef *db)
{
	for (size_t i = 0; i < st->ndbs; i++)
		if (st->defs[i] == db)
			return st->dbis[i];
	return (MDB_dbi)-1; /* not declared: LMDB rejects it with EINVAL */
}

uint64_t lc__store_last_txnid(lc__store *st)
{
	MDB_envinfo info;

	return mdb_env_info(st->env, &info) == 0 ? (uint64_t)info.me_last_txnid : 0;
}

uint64_t lc__store_durable_txnid(lc__store *st)
{
	return __atomic_load_n(&st->durable_txnid, __ATOMIC_ACQUIRE);
}

uint64_t lc__store_map_size(lc__store *st)
{
	return st->map_size;
}

void lc__store_set_commit_hook(lc__store *st, lc__commit_hook hook, void *payload)
{
	st->hook = hook;
	st->hook_payload = payload;
}

int lc__store_read(lc__store *st, lc__txn *t)
{
	MDB_txn *txn = NULL;
	int rc;

	memset(t, 0, sizeof(*t));
	if (__atomic_load_n(&st->ndeferred, __ATOMIC_ACQUIRE) && !tls_leading && !tls_stale_reads)
		(void)lc__store_flush(st); /* a reader sees every write that returned; a failure shows in the next write */
	pthread_mutex_lock(&st->pool_lock);
	if (st->npool)
		txn = st->pool[--st->npool];
	pthread_mutex_unlock(&st->pool_lock);
	if (txn) {
		pthread_rwlock_rdlock(&st->resize_lock);
		rc = mdb_txn_renew(txn);
		if (rc != 0) {
			pthread_rwlock_unlock(&st->resize_lock);
			mdb_txn_abort(txn);
			txn = NULL;
		}
	}
	if (txn == NULL)
		LC_TRY(txn_begin(st, MDB_RDONLY, &txn));
	t->txn = txn;
	t->st = st;
	return 0;
}

void lc__store_read_end(lc__txn *t)
{
	lc__store *st = t->st;
	int pooled = 0;

	if (t->txn == NULL)
		return;
	mdb_txn_reset(t->txn);
	pthread_rwlock_unlock(&st->resize_lock);
	pthread_mutex_lock(&st->pool_lock);
	if (st->npool < READ_POOL_MAX) {
		st->pool[st->npool++] = t->txn;
		pooled = 1;
	}
	pthread_mutex_unlock(&st->pool_lock);
	if (!pooled)
		mdb_txn_abort(t->txn);
	t->txn = NULL;
}

int lc__txn_error(lc__txn *t, int rc, const char *what)
{
	if (rc == MDB_MAP_FULL)
		t->map_full = 1;
	return lc__error_mdb(rc, what);
}

int lc__txn_get(lc__txn *t, const lc__dbdef *db, const void *key, size_t klen, MDB_val *val)
{
	MDB_val k = { klen, (void *)key };
	int rc = mdb_get(t->txn, lc__store_dbi(t->st, db), &k, val);

	if (rc == MDB_NOTFOUND)
		return LC_ENOTFOUND;
	return rc ? lc__txn_error(t, rc, db->name) : 0;
}

int lc__txn_put(lc__txn *t, const lc__dbdef *db, const void *key, size_t klen, const void *val, size_t vlen,
		unsigned int flags)
{
	MDB_val k = { klen, (void *)key }, v = { vlen, (void *)val };
	int rc = mdb_put(t->txn, lc__store_dbi(t->st, db), &k, &v, flags);

	if (rc == MDB_KEYEXIST)
		return LC_EEXISTS;
	return rc ? lc__txn_error(t, rc, db->name) : 0;
}

int lc__txn_del(lc__txn *t, const lc__dbdef *db, const void *key, size_t klen, const void *val, size_t vlen)
{
	MDB_val k = { klen, (void *)key }, v = { vlen, (void *)val };
	int rc = mdb_del(t->txn, lc__store_dbi(t->st, db), &k, val ? &v : NULL);

	if (rc == MDB_NOTFOUND)
		return LC_ENOTFOUND;
	return rc ? lc__txn_error(t, rc, db->name) : 0;
}

static void save_error(struct wreq *r, int rc)
{
	const lc_error *e = lc_error_last();

	r->rc = rc;
	r->errcode = e->code != LC_OK ? e->code : rc;
	snprintf(r->errmsg, sizeof(r->errmsg), "%s", e->code != LC_OK ? e->message : lc_strerror(rc));
}

/* Run one request in txn; returns 1 if the map is full and the batch must be rerun. */
static int run_one(lc__store *st, MDB_txn *txn, struct wreq *r)
{
	lc__txn t = { txn, st, 1, 0, &r->events };
	int rc;

	lc__error_clear();
	rc = r->fn(&t, r->ctx);
	if (t.map_full)
		return 1;
	if (rc < 0)
		save_error(r, rc);
	else
		r->rc = rc;
	return 0;
}

/* Run a batch; returns 1 if it must be rerun with a larger map. */
static int run_batch_once(lc__store *st, struct wreq *batch)
{
	MDB_txn *txn;
	int rc, nok = 0, lazy = !st->nosync;
	uint64_t txnid;

	for (struct wreq *r = batch; r; r = r->next) {
		evlist_clear(&r->events);
		r->rc = 0;
	}
	if ((rc = txn_begin(st, 0, &txn)) != 0) {
		for (struct wreq *r = batch; r; r = r->next)
			save_error(r, rc);
		return 0;
	}
	if (batch->next == NULL) {
		if (run_one(st, txn, batch)) {
			mdb_txn_abort(txn);
			pthread_rwlock_unlock(&st->resize_lock);
			return 1;
		}
		nok = batch->rc >= 0;
	} else {
		for (struct wreq *r = batch; r; r = r->next) {
			MDB_txn *child;

			rc = mdb_txn_begin(st->env, txn, 0, &child);
			if (rc != 0) {
				if (rc == MDB_MAP_FULL)
					goto map_full;
				save_error(r, lc__error_mdb(rc, "beginning a nested transaction"));
				continue;
			}
			if (run_one(st, child, r)) {
				mdb_txn_abort(child);
				goto map_full;
			}
			if (r->rc < 0) {
				mdb_txn_abort(child);
				evlist_clear(&r->events);
				continue;
			}
			rc = mdb_txn_commit(child);
			if (rc == MDB_MAP_FULL)
				goto map_full;
			if (rc != 0) {
				save_error(r, lc__error_mdb(rc, "committing a nested transaction"));
				evlist_clear(&r->events);
				continue;
			}
			nok++;
		}
	}
	if (nok == 0) {
		mdb_txn_abort(txn);
		pthread_rwlock_unlock(&st->resize_lock);
		return 0;
	}
	for (struct wreq *r = batch; r && lazy; r = r->next)
		if (!r->lazy && r->rc >= 0)
			lazy = 0; /* one durable caller that commits makes the whole batch durable */
	txnid = (uint64_t)mdb_txn_id(txn);
	if (lazy) /* we hold LMDB's write lock: no other commit of ours can see the flag */
		mdb_env_set_flags(st->env, LAZY_ENV_FLAG, 1);
	rc = mdb_txn_commit(txn);
	if (lazy)
		mdb_env_set_flags(st->env, LAZY_ENV_FLAG, 0);
	pthread_rwlock_unlock(&st->resize_lock);
	if (rc == 0 && !st->nosync)
		__atomic_store_n(lazy ? &st->lazy_txnid : &st->durable_txnid, txnid, __ATOMIC_RELEASE);
	if (rc == MDB_MAP_FULL)
		return 1;
	if (rc != 0) {
		lc__error_mdb(rc, "committing");
		for (struct wreq *r = batch; r; r = r->next) {
			if (r->rc >= 0)
				save_error(r, lc__error_code());
			evlist_clear(&r->events);
		}
	}
	return 0;
map_full:
	mdb_txn_abort(txn);
	pthread_rwlock_unlock(&st->resize_lock);
	return 1;
}

static void run_batch(lc__store *st, struct wreq *batch)
{
	while (run_batch_once(st, batch)) {
		uint64_t want = st->map_size * 2;
		int rc;

		if (want > MAP_SIZE_MAX)
			rc = lc__error_set(LC_EBUSY, "the store map cannot grow beyond %llu bytes",
					   (unsigned long long)MAP_SIZE_MAX);
		else
			rc = resize_map(st, want);
		if (rc != 0) {
			for (struct wreq *r = batch; r; r = r->next) {
				save_error(r, rc);
				evlist_clear(&r->events);
			}
			return;
		}
	}
}

/*
 * Called by a new leader with wlock held. When the previous batch was shared,
 * the writers it released are probably about to queue again: wait a moment
 * (at most GATHER_US) for as many, so batches stay large and fsyncs few.
 * A lone writer never waits.
 */
static void gather(lc__store *st)
{
	struct timespec until;

	if (st->last_batch <= 1 || st->nqueued >= st->last_batch)
		return;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += GATHER_US * 1000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	while (st->nqueued < st->last_batch)
		if (pthread_cond_timedwait(&st->arrive, &st->wlock, &until) != 0)
			break;
}

/* After their batch: hand each deferred write's events to the hook, tell its owner, free it. */
static void finish_deferred(lc__store *st, struct dreq *d)
{
	int code = lc_error_last()->code; /* the leader's own error detail, kept across the callbacks */
	char msg[ERRMSG_MAX];

	snprintf(msg, sizeof(msg), "%s", lc_error_last()->message);

	while (d) {
		struct dreq *next = d->dnext;

		if (d->req.rc >= 0 && st->hook && d->req.events.head)
			st->hook(&d->req.events, st->hook_payload);
		evlist_clear(&d->req.events);
		if (d->done)
			d->done(d->req.ctx, d->req.rc >= 0 ? 0 : d->req.errcode, d->req.errmsg);
		free(d);
		d = next;
	}
	if (code == LC_OK)
		lc__error_clear();
	else
		lc__error_set(code, "%s", msg);
}

static int store_write(lc__store *st, lc__write_fn fn, void *ctx, int lazy)
{
	struct wreq req;

	memset(&req, 0, sizeof(req));
	req.fn = fn;
	req.ctx = ctx;
	req.lazy = lazy;

	pthread_mutex_lock(&st->wlock);
	if (st->qtail)
		st->qtail->next = &req;
	else
		st->qhead = &req;
	st->qtail = &req;
	st->nqueued++;
	pthread_cond_signal(&st->arrive);
	while (!req.done) {
		if (!st->leading) {
			struct wreq *batch;

			struct dreq *deferred = NULL, **dlast = &deferred;

			st->leading = 1;
			gather(st);
			batch = st->qhead;
			st->last_batch = st->nqueued;
			st->qhead = st->qtail = NULL;
			st->nqueued = 0;
			if (st->dhead) { /* deferred writes first: the others see them */
				st->dtail->req.next = batch;
				batch = &st->dhead->req;
				st->dhead = st->dtail = NULL;
				__atomic_store_n(&st->ndeferred, 0, __ATOMIC_RELEASE);
			}
			pthread_mutex_unlock(&st->wlock);
			tls_leading = 1;
			run_batch(st, batch);
			tls_leading = 0;
			pthread_mutex_lock(&st->wlock);
			for (struct wreq *r = batch; r;) {
				struct wreq *next = r->next; /* r may go away once done is set */

				if (r->deferred) {
					*dlast = (struct dreq *)r;
					dlast = &(*dlast)->dnext;
				} else {
					r->done = 1;
				}
				r = next;
			}
			*dlast = NULL;
			st->leading = 0;
			pthread_cond_broadcast(&st->wcond);
			pthread_mutex_unlock(&st->wlock);
			finish_deferred(st, deferred);
			pthread_mutex_lock(&st->wlock);
		} else {
			pthread_cond_wait(&st->wcond, &st->wlock);
		}
	}
	pthread_mutex_unlock(&st->wlock);

	if (req.rc < 0) {
		evlist_clear(&req.events);
		lc__error_set(req.errcode, "%s", req.errmsg);
		return req.rc;
	}
	lc__error_clear();
	if (st->hook && req.events.head)
		st->hook(&req.events, st->hook_payload);
	evlist_clear(&req.events);
	return req.rc;
}

int lc__store_write(lc__store *st, lc__write_fn fn, void *ctx)
{
	return store_write(st, fn, ctx, 0);
}

int lc__store_write_lazy(lc__store *st, lc__write_fn fn, void *ctx)
{
	return store_write(st, fn, ctx, 1);
}

int lc__store_write_deferred(lc__store *st, lc__write_fn fn, void *ctx, lc__deferred_done done)
{
	struct dreq *d = calloc(1, sizeof(*d));

	if (d == NULL) { /* no memory to wait: commit it now */
		int rc = lc__store_write_lazy(st, fn, ctx);

		if (done)
			done(ctx, rc < 0 ? rc : 0, rc < 0 ? lc_error_last()->message : "");
		return rc < 0 ? rc : 0;
	}
	d->req.fn = fn;
	d->req.ctx = ctx;
	d->req.lazy = 1;
	d->req.deferred = 1;
	d->done = done;
	pthread_mutex_lock(&st->wlock);
	if (st->dtail)
		st->dtail->dnext = d, st->dtail->req.next = &d->req;
	else
		st->dhead = d;
	st->dtail = d;
	__atomic_add_fetch(&st->ndeferred, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&st->wlock);
	return 0;
}

static int nothing(lc__txn *t, void *ctx)
{
	(void)t;
	(void)ctx;
	return 0;
}

int lc__store_flush(lc__store *st)
{
	if (__atomic_load_n(&st->ndeferred, __ATOMIC_ACQUIRE) == 0)
		return 0;
	return lc__store_write_lazy(st, nothing, NULL);
}

size_t lc__store_deferred(lc__store *st)
{
	return __atomic_load_n(&st->ndeferred, __ATOMIC_ACQUIRE);
}

void lc__store_stale_reads(int on)
{
	tls_stale_reads += on ? 1 : -1;
}
