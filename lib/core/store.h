/*
 * Internal: the metadata store over LMDB.
 *
 * One environment per cloud, a named database per record type and per
 * index. Every mutation runs as a callback inside lc__store_write(), which
 * batches concurrent callers into one write transaction (each in a nested
 * transaction of its own) and one fsync: group commit.
 *
 * Durability. lc__store_write() returns once its change is on disk.
 * lc__store_write_lazy() returns once its change is committed (visible to
 * every reader, kept if the process dies) but perhaps not yet durable: a
 * power loss or OS crash may undo it, never half of it, and never a write
 * that returned before it (the store stays consistent). It becomes durable
 * with the next durable commit of any writer in this process, or when the
 * store closes. Use it only for a change whose loss is repaired from
 * elsewhere: compute writes a server's intent durably before calling the
 * hypervisor and its outcome lazily, because reconciliation at open
 * re-derives a lost outcome from the driver (docs/compute.md).
 */
#ifndef LC_CORE_STORE_H
#define LC_CORE_STORE_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lc__store lc__store;
typedef struct lc__evlist lc__evlist;

/* A named database, declared statically by whoever owns it. */
typedef struct lc__dbdef {
	const char *name;
	unsigned int flags; /* MDB_DUPSORT etc.; MDB_CREATE is implied */
} lc__dbdef;

/* A transaction: read-only, or one caller's part of a write batch. */
typedef struct lc__txn {
	MDB_txn *txn;
	lc__store *st;
	int write;
	int map_full;        /* set by helpers that met MDB_MAP_FULL */
	lc__evlist *events;  /* events appended by this caller, dispatched after commit */
} lc__txn;

enum { LC__STORE_NOSYNC = 1 };

/*
 * Open (creating if needed) the environment in dir, with the given named
 * databases. Returns 0 or an LC_E* code with the error detail set.
 */
int lc__store_open(lc__store **out, const char *dir, uint64_t map_size, unsigned int flags,
		   const lc__dbdef *const *dbs, size_t ndbs);
void lc__store_close(lc__store *st);

/* The handle of a database declared at open. */
MDB_dbi lc__store_dbi(const lc__store *st, const lc__dbdef *db);

/*
 * Id of the last committed write transaction, from any process: while it
 * stays the same, nothing in the store has changed. Cheap (reads the meta
 * pages, no transaction).
 */
uint64_t lc__store_last_txnid(lc__store *st);

/* Current map size in bytes (for tests). */
uint64_t lc__store_map_size(lc__store *st);

/*
 * Run fn(t, ctx) in a write transaction and commit it durably (unless the
 * store is NOSYNC). fn returns 0 to commit or a negative code to abort its
 * own changes (and only its own). fn may run more than once (after the map
 * grows); it must not keep side effects outside t between runs. Returns fn's
 * code, or the commit's error. The error detail fn set is carried to the
 * calling thread.
 */
typedef int (*lc__write_fn)(lc__txn *t, void *ctx);
int lc__store_write(lc__store *st, lc__write_fn fn, void *ctx);

/*
 * Like lc__store_write(), but returns without waiting for the disk: the
 * change is committed and visible at once, and durable from the next
 * durable commit (any writer's) or the store's close on. Its batch is
 * durable all the same if it holds a durable caller: a lazy write never
 * makes another caller's write lazy. The commit syncs the data pages but
 * not the meta page (LMDB's MDB_NOMETASYNC), so a crash loses at most the
 * lazy commits since the last durable one, and never corrupts the store.
 */
int lc__store_write_lazy(lc__store *st, lc__write_fn fn, void *ctx);

/*
 * Called once a deferred write is committed (rc 0) or dropped (rc < 0, with
 * the error's message), in the thread that ran it, outside any transaction.
 * It owns ctx.
 */
typedef void (*lc__deferred_done)(void *ctx, int rc, const char *message);

/*
 * Queue fn(t, ctx) and return at once. It runs in the next write batch of
 * this store, whoever leads it, before the batch's other writes (they see
 * it); a read that begins while it waits commits it first (lazily, as
 * lc__store_write_lazy), so every reader sees it; lc__store_flush() and
 * lc__store_close() commit it too. If the process dies before that, it is
 * lost: use it only for a change whose loss is repaired from elsewhere, as
 * compute's outcomes are by reconciliation at open (docs/compute.md). fn
 * follows lc__store_write's rules; done(ctx, ...) is called after the commit.
 * Returns 0, or an error from committing it at once when it cannot be queued.
 */
int lc__store_write_deferred(lc__store *st, lc__write_fn fn, void *ctx, lc__deferred_done done);

/* Commit the deferred writes now (lazily). 0 or the commit's error. */
int lc__store_flush(lc__store *st);

/* How many deferred writes wait (for tests and for callers deciding to flush). */
size_t lc__store_deferred(lc__store *st);

/*
 * lc__store_stale_reads(1) ... lc__store_stale_reads(0): the read
 * transactions this thread begins in between do not commit deferred writes
 * first. For reads that cannot depend on them (a create's flavor, image and
 * key pair), on a hot path. Nests.
 */
void lc__store_stale_reads(int on);

/*
 * Id of the last write transaction this store committed durably (or found
 * at open). Every write that returned from lc__store_write() has an id at
 * most this; lazy commits above it may not be on disk yet.
 */
uint64_t lc__store_durable_txnid(lc__store *st);

/* Events committed by a write are handed to this hook, in the calling thread, after commit. */
typedef void (*lc__commit_hook)(lc__evlist *events, void *payload);
void lc__store_set_commit_hook(lc__store *st, lc__commit_hook hook, void *payload);

/* A short read-only transaction. Never hold one across public calls. */
int lc__store_read(lc__store *st, lc__txn *t);
void lc__store_read_end(lc__txn *t);

/* Record MDB_MAP_FULL on t and map an LMDB error; helpers use it for every put. */
int lc__txn_error(lc__txn *t, int rc, const char *what);

/* Helpers over the transaction. Return 0, LC_ENOTFOUND, or an error. */
int lc__txn_get(lc__txn *t, const lc__dbdef *db, const void *key, size_t klen, MDB_val *val);
int lc__txn_put(lc__txn *t, const lc__dbdef *db, const void *key, size_t klen, const void *val, size_t vlen,
		unsigned int flags);
int lc__txn_del(lc__txn *t, const lc__dbdef *db, const void *key, size_t klen, const void *val, size_t vlen);

/* Keep an encoded event for dispatch after commit (the event log calls this). */
int lc__txn_defer_event(lc__txn *t, const void *data, size_t len);
/* Visit the events kept by a committed write; returns how many. */
size_t lc__evlist_walk(const lc__evlist *l, void (*fn)(const void *data, size_t len, void *p), void *p);

#endif
