/* Unit tests of the store (group commit, map growth, schema check) and the record codec. */
#include <criterion/criterion.h>

#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libcloud/libcloud.h>

#include "core/error.h"
#include "core/event.h"
#include "core/record.h"
#include "core/schema.h"
#include "core/store.h"
#include "testutil.h"

static char *tmp;

static void setup(void)
{
	tmp = lct_tmpdir();
	cr_assert_not_null(tmp);
}

static void teardown(void)
{
	lct_rmtree(tmp);
	tmp = NULL;
}

static const lc__dbdef kv_db = { "kv", 0 };
static const lc__dbdef *const test_dbs[] = { &kv_db, &lc__event_db };

static lc__store *open_store(uint64_t map, unsigned int flags)
{
	lc__store *st = NULL;
	int rc = lc__store_open(&st, tmp, map, flags, test_dbs, 2);

	cr_assert_eq(rc, 0, "%s", lc_error_last()->message);
	return st;
}

/* Entries in a database, read in a fresh read transaction. */
static size_t count(lc__store *st, const lc__dbdef *db)
{
	lc__txn t;
	MDB_stat ms;

	cr_assert_eq(lc__store_read(st, &t), 0, "%s", lc_error_last()->message);
	cr_assert_eq(mdb_stat(t.txn, lc__store_dbi(st, db), &ms), 0);
	lc__store_read_end(&t);
	return ms.ms_entries;
}

/* The value under key, or NULL; malloc'd copy with its length. */
static char *get(lc__store *st, const char *key, size_t *len)
{
	lc__txn t;
	MDB_val v;
	char *out = NULL;

	cr_assert_eq(lc__store_read(st, &t), 0);
	if (lc__txn_get(&t, &kv_db, key, strlen(key), &v) == 0) {
		out = malloc(v.mv_size + 1);
		memcpy(out, v.mv_data, v.mv_size);
		out[v.mv_size] = '\0';
		*len = v.mv_size;
	}
	lc__store_read_end(&t);
	return out;
}

/* ---- a write: put key -> value, optionally append an event, optionally fail after that ---- */

struct put {
	const char *key;
	const void *val;
	size_t vlen;
	int event;       /* append a change-log event too */
	int fail;        /* then return LC_ECONFLICT with a message naming the key */
	uint64_t txnid;  /* the transaction it ran in (the last run) */
	int runs;
};

static int put_tx(lc__txn *t, void *p)
{
	struct put *w = p;

	w->runs++;
	w->txnid = (uint64_t)mdb_txn_id(t->txn);
	LC_TRY(lc__txn_put(t, &kv_db, w->key, strlen(w->key), w->val, w->vlen, 0));
	if (w->event)
		LC_TRY(lc__event_append(t, LC_EVENT_CREATE, "thing", w->key, NULL));
	if (w->fail)
		return lc__error_set(LC_ECONFLICT, "refused %s", w->key);
	return 0;
}

/* ---- group commit ---- */

#define NTHREADS 16
#define NWRITES 40

struct worker {
	lc__store *st;
	pthread_barrier_t *go;
	int index;
	int fail_every;   /* 0: never; k: every k-th write fails */
	int with_events;
	int ok, refused, wrong_code, wrong_message, runs_max;
	uint64_t txnids[NWRITES];
};

static void *worker_main(void *p)
{
	struct worker *w = p;

	pthread_barrier_wait(w->go);
	for (int j = 0; j < NWRITES; j++) {
		char key[32], val[64], expect[64];
		struct put pw;
		int rc, fail = w->fail_every && j % w->fail_every == 0;

		snprintf(key, sizeof(key), "t%02d-%03d", w->index, j);
		snprintf(val, sizeof(val), "value of %s", key);
		memset(&pw, 0, sizeof(pw));
		pw.key = key;
		pw.val = val;
		pw.vlen = strlen(val);
		pw.event = w->with_events;
		pw.fail = fail;
		rc = lc__store_write(w->st, put_tx, &pw);
		w->txnids[j] = pw.txnid;
		if (pw.runs > w->runs_max)
			w->runs_max = pw.runs;
		if (!fail) {
			if (rc == 0 && lc_error_last()->code == LC_OK)
				w->ok++;
			else
				w->wrong_code++;
			continue;
		}
		snprintf(expect, sizeof(expect), "refused %s", key);
		if (rc != LC_ECONFLICT || lc_error_last()->code != LC_ECONFLICT)
			w->wrong_code++;
		else if (strcmp(lc_error_last()->message, expect) != 0)
			w->wrong_message++;
		else
			w->refused++;
	}
	return NULL;
}

static void run_workers(lc__store *st, struct worker *w, int fail_every, int with_events)
{
	pthread_t th[NTHREADS];
	pthread_barrier_t go;

	pthread_barrier_init(&go, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].st = st;
		w[i].go = &go;
		w[i].index = i;
		w[i].fail_every = fail_every;
		w[i].with_events = with_events;
		cr_assert_eq(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* How many distinct transactions the writes of all workers ran in. */
static size_t distinct_txns(struct worker *w)
{
	uint64_t *all = malloc(sizeof(uint64_t) * NTHREADS * NWRITES);
	size_t n = 0, k = 0;

	for (int i = 0; i < NTHREADS; i++)
		for (int j = 0; j < NWRITES; j++)
			all[k++] = w[i].txnids[j];
	qsort(all, k, sizeof(*all), cmp_u64);
	for (size_t i = 0; i < k; i++)
		if (i == 0 || all[i] != all[i - 1])
			n++;
	free(all);
	return n;
}

TestSuite(store, .init = setup, .fini = teardown, .timeout = 300);

Test(store, sixteen_threads_writing_durably_all_succeed_in_shared_commits)
{
	lc__store *st = open_store(64 << 20, 0);
	struct worker w[NTHREADS];
	size_t len;
	char *v;

	run_workers(st, w, 0, 0);
	for (int i = 0; i < NTHREADS; i++) {
		cr_assert_eq(w[i].ok, NWRITES, "thread %d: %d ok, %d failed", i, w[i].ok, w[i].wrong_code);
		cr_assert_eq(w[i].runs_max, 1, "no map growth here, so each callback runs once");
	}
	cr_assert_eq(count(st, &kv_db), (size_t)NTHREADS * NWRITES);
	v = get(st, "t07-033", &len);
	cr_assert_not_null(v);
	cr_assert_str_eq(v, "value of t07-033");
	free(v);
	/* Group commit: at least one transaction carried the writes of several threads. */
	cr_assert_lt(distinct_txns(w), (size_t)NTHREADS * NWRITES, "every write had a commit of its own");
	lc__store_close(st);
}

static atomic_size_t hook_events;

static void walk_count(const void *data, size_t len, void *p)
{
	(void)data;
	(void)len;
	(void)p;
	atomic_fetch_add(&hook_events, 1);
}

static void hook(lc__evlist *events, void *payload)
{
	(void)payload;
	lc__evlist_walk(events, walk_count, NULL);
}

Test(store, a_failing_callback_in_a_batch_aborts_only_its_own_change)
{
	lc__store *st = open_store(64 << 20, 0);
	struct worker w[NTHREADS];
	size_t expect_ok = 0, expect_refused = 0;

	atomic_store(&hook_events, 0);
	lc__store_set_commit_hook(st, hook, NULL);
	run_workers(st, w, 3, 1);
	for (int j = 0; j < NWRITES; j++)
		if (j % 3 == 0)
			expect_refused++;
		else
			expect_ok++;
	for (int i = 0; i < NTHREADS; i++) {
		cr_assert_eq(w[i].wrong_code, 0, "thread %d got wrong codes", i);
		cr_assert_eq(w[i].wrong_message, 0, "thread %d got another caller's error message", i);
		cr_assert_eq((size_t)w[i].ok, expect_ok);
		cr_assert_eq((size_t)w[i].refused, expect_refused);
	}
	/* Only the accepted writes and their events are stored, and only their events were dispatched. */
	cr_assert_eq(count(st, &kv_db), NTHREADS * expect_ok);
	cr_assert_eq(count(st, &lc__event_db), NTHREADS * expect_ok);
	cr_assert_eq(atomic_load(&hook_events), NTHREADS * expect_ok);
	for (int i = 0; i < NTHREADS; i++) {
		char key[32];
		size_t len;
		char *v;

		snprintf(key, sizeof(key), "t%02d-%03d", i, 0); /* j = 0 was refused */
		cr_assert_null(get(st, key, &len), "%s was refused but stored", key);
		snprintf(key, sizeof(key), "t%02d-%03d", i, 1);
		v = get(st, key, &len);
		cr_assert_not_null(v, "%s was accepted but is missing", key);
		free(v);
	}
	lc__store_close(st);
}

Test(store, a_failing_write_on_its_own_leaves_nothing_behind)
{
	lc__store *st = open_store(1 << 20, LC__STORE_NOSYNC);
	struct put pw = { "alone", "v", 1, 1, 1, 0, 0 };

	atomic_store(&hook_events, 0);
	lc__store_set_commit_hook(st, hook, NULL);
	cr_assert_eq(lc__store_write(st, put_tx, &pw), LC_ECONFLICT);
	cr_assert_str_eq(lc_error_last()->message, "refused alone");
	cr_assert_eq(count(st, &kv_db), 0);
	cr_assert_eq(count(st, &lc__event_db), 0);
	cr_assert_eq(atomic_load(&hook_events), 0);
	/* The next write commits with its own event only (under ASan: the refused event is not leaked). */
	pw.key = "next";
	pw.fail = 0;
	cr_assert_eq(lc__store_write(st, put_tx, &pw), 0, "%s", lc_error_last()->message);
	cr_assert_eq(atomic_load(&hook_events), 1);
	cr_assert_eq(count(st, &lc__event_db), 1);
	lc__store_close(st);
}

/* Heap bytes in use (glibc); 0 where the allocator does not report them (e.g. under ASan). */
static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks;
}

Test(store, refused_writes_do_not_keep_their_events_in_memory)
{
	lc__store *st = open_store(1 << 20, LC__STORE_NOSYNC);
	struct put pw = { "refused", "v", 1, 1, 1, 0, 0 };
	size_t before, after;

	cr_assert_eq(lc__store_write(st, put_tx, &pw), LC_ECONFLICT); /* warm up LMDB's own buffers */
	before = heap_in_use();
	if (before == 0)
		cr_skip_test("the allocator does not report heap usage here (the leak check runs under ASan)");
	for (int i = 0; i < 5000; i++)
		cr_assert_eq(lc__store_write(st, put_tx, &pw), LC_ECONFLICT);
	after = heap_in_use();
	cr_assert_lt(after, before + 64 * 1024, "5000 refused writes kept %zu bytes", after - before);
	lc__store_close(st);
}

Test(store, events_of_one_batch_get_increasing_sequence_numbers)
{
	lc__store *st = open_store(64 << 20, 0);
	struct worker w[NTHREADS];
	lc__txn t;
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t prev = 0, n = 0;
	int rc;

	run_workers(st, w, 0, 1);
	cr_assert_eq(lc__store_read(st, &t), 0);
	cr_assert_eq(mdb_cursor_open(t.txn, lc__store_dbi(st, &lc__event_db), &cur), 0);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		uint64_t seq;
		cr_assert_eq(k.mv_size, sizeof(seq));
		memcpy(&seq, k.mv_data, sizeof(seq));
		cr_assert_eq(seq, prev + 1, "sequence %llu after %llu", (unsigned long long)seq,
			     (unsigned long long)prev);
		prev = seq;
		n++;
	}
	mdb_cursor_close(cur);
	lc__store_read_end(&t);
	cr_assert_eq(n, (uint64_t)NTHREADS * NWRITES);
	lc__store_close(st);
}

/* ---- map growth ---- */

#define SMALL_MAP (64u << 10)

static void value_for(char *buf, size_t len, int i)
{
	for (size_t k = 0; k < len; k++)
		buf[k] = (char)('a' + (i + (int)k) % 26);
}

Test(store, writes_past_a_tiny_map_grow_it_and_lose_nothing)
{
	lc__store *st = open_store(SMALL_MAP, LC__STORE_NOSYNC);
	uint64_t start = lc__store_map_size(st);
	char val[300];
	int n = 4000, rerun = 0;

	for (int i = 0; i < n; i++) {
		char key[32];
		struct put pw;

		snprintf(key, sizeof(key), "k%06d", i);
		value_for(val, sizeof(val), i);
		memset(&pw, 0, sizeof(pw));
		pw.key = key;
		pw.val = val;
		pw.vlen = sizeof(val);
		cr_assert_eq(lc__store_write(st, put_tx, &pw), 0, "write %d: %s", i, lc_error_last()->message);
		rerun += pw.runs > 1;
	}
	cr_assert_geq(lc__store_map_size(st), start * 8, "the map grew from %llu only to %llu",
		      (unsigned long long)start, (unsigned long long)lc__store_map_size(st));
	cr_assert_geq(rerun, 3, "growing reruns the write that met the full map");
	cr_assert_eq(count(st, &kv_db), (size_t)n);
	for (int i = 0; i < n; i += 97) {
		char key[32], want[300];
		size_t len = 0;
		char *v;

		snprintf(key, sizeof(key), "k%06d", i);
		value_for(want, sizeof(want), i);
		v = get(st, key, &len);
		cr_assert_not_null(v, "%s lost", key);
		cr_assert_eq(len, sizeof(want));
		cr_assert_eq(memcmp(v, want, len), 0, "%s changed", key);
		free(v);
	}
	lc__store_close(st);

	/* Reopened with the tiny size again, everything is still there. */
	st = open_store(SMALL_MAP, 0);
	cr_assert_eq(count(st, &kv_db), (size_t)n);
	lc__store_close(st);
}

Test(store, one_value_larger_than_the_whole_map_is_stored)
{
	lc__store *st = open_store(SMALL_MAP, LC__STORE_NOSYNC);
	size_t big = 1u << 20;
	char *val = malloc(big), *v;
	struct put pw = { "big", NULL, 0, 0, 0, 0, 0 };
	size_t len = 0;

	value_for(val, big, 3);
	pw.val = val;
	pw.vlen = big;
	cr_assert_eq(lc__store_write(st, put_tx, &pw), 0, "%s", lc_error_last()->message);
	cr_assert_gt(lc__store_map_size(st), big);
	v = get(st, "big", &len);
	cr_assert_not_null(v);
	cr_assert_eq(len, big);
	cr_assert_eq(memcmp(v, val, big), 0);
	free(v);
	free(val);
	lc__store_close(st);
}

struct reader {
	lc__store *st;
	atomic_int *stop;
	int reads, errors;
};

static void *reader_main(void *p)
{
	struct reader *r = p;

	while (!atomic_load(r->stop)) {
		lc__txn t;
		MDB_stat ms;

		if (lc__store_read(r->st, &t) != 0) {
			r->errors++;
			continue;
		}
		if (mdb_stat(t.txn, lc__store_dbi(r->st, &kv_db), &ms) != 0)
			r->errors++;
		lc__store_read_end(&t);
		r->reads++;
		usleep(200);
	}
	return NULL;
}

Test(store, sixteen_threads_growing_the_map_while_others_read_lose_nothing)
{
	lc__store *st = open_store(SMALL_MAP, LC__STORE_NOSYNC);
	struct worker w[NTHREADS];
	struct reader rd[4];
	pthread_t rt[4];
	atomic_int stop = 0;

	for (int i = 0; i < 4; i++) {
		rd[i] = (struct reader){ st, &stop, 0, 0 };
		cr_assert_eq(pthread_create(&rt[i], NULL, reader_main, &rd[i]), 0);
	}
	run_workers(st, w, 5, 1);
	atomic_store(&stop, 1);
	for (int i = 0; i < 4; i++) {
		pthread_join(rt[i], NULL);
		cr_assert_eq(rd[i].errors, 0, "reader %d failed %d times", i, rd[i].errors);
	}
	for (int i = 0; i < NTHREADS; i++) {
		cr_assert_eq(w[i].wrong_code + w[i].wrong_message, 0, "thread %d", i);
		cr_assert_eq(w[i].ok + w[i].refused, NWRITES);
	}
	cr_assert_gt(lc__store_map_size(st), SMALL_MAP);
	cr_assert_eq(count(st, &kv_db), (size_t)NTHREADS * (NWRITES - NWRITES / 5));
	cr_assert_eq(count(st, &lc__event_db), (size_t)NTHREADS * (NWRITES - NWRITES / 5));
	lc__store_close(st);
}

Test(store, opening_a_missing_directory_is_not_found)
{
	lc__store *st = (lc__store *)1;
	char path[4200];

	snprintf(path, sizeof(path), "%s/missing", tmp);
	cr_assert_eq(lc__store_open(&st, path, SMALL_MAP, 0, test_dbs, 2), LC_ENOTFOUND);
	cr_assert_null(st);
}

/* ---- lazy writes: committed at once, durable with the next durable commit ---- */

static void put_kv(lc__store *st, const char *key, const char *val, int lazy, uint64_t *txnid)
{
	struct put pw;
	int rc;

	memset(&pw, 0, sizeof(pw));
	pw.key = key;
	pw.val = val;
	pw.vlen = strlen(val);
	rc = lazy ? lc__store_write_lazy(st, put_tx, &pw) : lc__store_write(st, put_tx, &pw);
	cr_assert_eq(rc, 0, "%s", lc_error_last()->message);
	if (txnid)
		*txnid = pw.txnid;
}

static void assert_value(lc__store *st, const char *key, const char *want)
{
	size_t len;
	char *v = get(st, key, &len);

	cr_assert_not_null(v, "%s is missing", key);
	cr_assert_str_eq(v, want);
	free(v);
}

Test(store, a_lazy_write_is_visible_at_once_and_durable_with_the_next_durable_one)
{
	lc__store *st = open_store(SMALL_MAP, 0);
	uint64_t lazy_id, durable_id;

	put_kv(st, "outcome", "active", 1, &lazy_id);
	assert_value(st, "outcome", "active");
	cr_assert_eq(lc__store_last_txnid(st), lazy_id);
	cr_assert_lt(lc__store_durable_txnid(st), lazy_id, "a lazy write alone is not reported durable");
	put_kv(st, "intent", "building", 0, &durable_id);
	cr_assert_gt(durable_id, lazy_id);
	cr_assert_eq(lc__store_durable_txnid(st), durable_id, "a durable write returns once it is durable");
	assert_value(st, "outcome", "active");
	lc__store_close(st);
}

Test(store, a_store_opened_nosync_commits_lazy_writes_as_before)
{
	lc__store *st = open_store(SMALL_MAP, LC__STORE_NOSYNC);

	put_kv(st, "k", "v", 1, NULL);
	put_kv(st, "k2", "v2", 0, NULL);
	assert_value(st, "k", "v");
	assert_value(st, "k2", "v2");
	lc__store_close(st);
	st = open_store(SMALL_MAP, 0);
	assert_value(st, "k", "v");
	assert_value(st, "k2", "v2");
	lc__store_close(st);
}

/*
 * Run writes(st) in a child process with the store open, then kill it with
 * SIGKILL (after the writes returned, with the store still open) and reopen
 * the store in the parent.
 */
static lc__store *kill_after(int (*writes)(lc__store *st))
{
	int fds[2], status;
	char c = 0;
	pid_t child;

	cr_assert_eq(pipe(fds), 0);
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		lc__store *cst = NULL;

		close(fds[0]);
		if (lc__store_open(&cst, tmp, SMALL_MAP, 0, test_dbs, 2) != 0 || writes(cst) != 0)
			_exit(1);
		if (write(fds[1], "k", 1) != 1)
			_exit(1);
		for (;;)
			pause(); /* killed here, with the store open */
	}
	close(fds[1]);
	cr_assert_eq(read(fds[0], &c, 1), 1, "the child could not write");
	close(fds[0]);
	kill(child, SIGKILL);
	cr_assert_eq(waitpid(child, &status, 0), child);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	return open_store(SMALL_MAP, 0);
}

static int lazy_then_durable(lc__store *st)
{
	struct put a = { "outcome", "active", 6, 0, 0, 0, 0 }, b = { "intent", "deleting", 8, 0, 0, 0, 0 };

	return lc__store_write_lazy(st, put_tx, &a) || lc__store_write(st, put_tx, &b);
}

Test(store, a_lazy_write_followed_by_a_durable_one_survives_sigkill)
{
	lc__store *st = kill_after(lazy_then_durable);

	assert_value(st, "outcome", "active");
	assert_value(st, "intent", "deleting");
	lc__store_close(st);
}

struct mixed {
	lc__store *st;
	pthread_barrier_t *go;
	int index, lazy;
	int not_durable; /* durable writes that returned before the store had them durable */
	uint64_t txnids[NWRITES];
};

static void *mixed_main(void *p)
{
	struct mixed *m = p;

	pthread_barrier_wait(m->go);
	for (int j = 0; j < NWRITES; j++) {
		char key[32];

		snprintf(key, sizeof(key), "%c%02d-%03d", m->lazy ? 'l' : 'd', m->index, j);
		put_kv(m->st, key, key, m->lazy, &m->txnids[j]);
		if (!m->lazy && lc__store_durable_txnid(m->st) < m->txnids[j])
			m->not_durable++;
	}
	return NULL;
}

Test(store, a_durable_write_is_never_made_lazy_by_concurrent_lazy_ones)
{
	lc__store *st = open_store(64 << 20, 0);
	struct mixed m[NTHREADS];
	pthread_t th[NTHREADS];
	pthread_barrier_t go;
	size_t shared = 0;

	pthread_barrier_init(&go, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++) {
		memset(&m[i], 0, sizeof(m[i]));
		m[i].st = st;
		m[i].go = &go;
		m[i].index = i;
		m[i].lazy = i % 2;
		cr_assert_eq(pthread_create(&th[i], NULL, mixed_main, &m[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	for (int i = 0; i < NTHREADS; i += 2)
		cr_assert_eq(m[i].not_durable, 0, "thread %d: %d durable writes returned before they were durable",
			     i, m[i].not_durable);
	/* how often a durable write shared its commit with a lazy one (the case under test) */
	for (int i = 0; i < NTHREADS; i += 2)
		for (int j = 0; j < NWRITES; j++)
			for (int k = 1; k < NTHREADS; k += 2)
				for (int l = 0; l < NWRITES; l++)
					shared += m[i].txnids[j] == m[k].txnids[l];
	cr_log_info("durable writes sharing a commit with a lazy one: %zu", shared);
	cr_assert_eq(count(st, &kv_db), (size_t)NTHREADS * NWRITES);
	lc__store_close(st);
}

/* ---- deferred writes: committed by the next write, the next read, a flush or the close ---- */

struct deferred {
	struct put put;
	int done_calls;
	int done_rc;
	char done_msg[128];
};

static void deferred_done(void *p, int rc, const char *message)
{
	struct deferred *d = p;

	d->done_calls++;
	d->done_rc = rc;
	snprintf(d->done_msg, sizeof(d->done_msg), "%s", message);
}

static void defer_kv(lc__store *st, struct deferred *d, const char *key, const char *val)
{
	memset(d, 0, sizeof(*d));
	d->put.key = key;
	d->put.val = val;
	d->put.vlen = strlen(val);
	cr_assert_eq(lc__store_write_deferred(st, put_tx, d, deferred_done), 0, "%s", lc_error_last()->message);
}

/* Whether key is stored, looked up without committing what is deferred. */
static int stored_stale(lc__store *st, const char *key)
{
	lc__txn t;
	MDB_val v;
	int rc;

	lc__store_stale_reads(1);
	cr_assert_eq(lc__store_read(st, &t), 0);
	lc__store_stale_reads(0);
	rc = lc__txn_get(&t, &kv_db, key, strlen(key), &v);
	lc__store_read_end(&t);
	return rc == 0;
}

struct seen {
	const char *key;
	int found;
};

static int sees_tx(lc__txn *t, void *p)
{
	struct seen *s = p;
	MDB_val v;

	s->found = lc__txn_get(t, &kv_db, s->key, strlen(s->key), &v) == 0;
	return 0;
}

Test(store, a_deferred_write_waits_then_commits_before_the_next_write_which_sees_it)
{
	lc__store *st = open_store(SMALL_MAP, 0);
	struct deferred d;
	struct seen s = { "outcome", 0 };
	uint64_t before = lc__store_last_txnid(st);

	defer_kv(st, &d, "outcome", "active");
	cr_assert_eq(lc__store_deferred(st), 1);
	cr_assert_eq(lc__store_last_txnid(st), before, "a deferred write commits nothing by itself");
	cr_assert_not(stored_stale(st, "outcome"), "a stale read does not commit it");
	cr_assert_eq(d.done_calls, 0);
	cr_assert_eq(lc__store_write(st, sees_tx, &s), 0, "%s", lc_error_last()->message);
	cr_assert(s.found, "the next write runs after the deferred one, in the same commit");
	cr_assert_eq(d.done_calls, 1);
	cr_assert_eq(d.done_rc, 0);
	cr_assert_eq(d.put.txnid, lc__store_last_txnid(st), "one commit for both");
	cr_assert_eq(lc__store_durable_txnid(st), d.put.txnid, "made durable by the durable write it rode with");
	cr_assert_eq(lc__store_deferred(st), 0);
	lc__store_close(st);
}

Test(store, a_read_commits_what_is_deferred_first)
{
	lc__store *st = open_store(SMALL_MAP, 0);
	struct deferred d;

	defer_kv(st, &d, "outcome", "active");
	assert_value(st, "outcome", "active");
	cr_assert_eq(d.done_calls, 1);
	cr_assert_eq(lc__store_deferred(st), 0);
	lc__store_close(st);
}

Test(store, closing_commits_what_is_deferred)
{
	lc__store *st = open_store(SMALL_MAP, 0);
	struct deferred a, b;

	defer_kv(st, &a, "a", "1");
	defer_kv(st, &b, "b", "2");
	lc__store_close(st);
	cr_assert_eq(a.done_calls, 1);
	cr_assert_eq(b.done_calls, 1);
	st = open_store(SMALL_MAP, 0);
	assert_value(st, "a", "1");
	assert_value(st, "b", "2");
	lc__store_close(st);
}

Test(store, a_failing_deferred_write_is_dropped_alone_and_told)
{
	lc__store *st = open_store(SMALL_MAP, 0);
	struct deferred bad, good;

	defer_kv(st, &bad, "bad", "x");
	bad.put.fail = 1;
	defer_kv(st, &good, "good", "y");
	put_kv(st, "next", "z", 0, NULL);
	cr_assert_eq(bad.done_calls, 1);
	cr_assert_eq(bad.done_rc, LC_ECONFLICT);
	cr_assert_str_eq(bad.done_msg, "refused bad");
	cr_assert_eq(good.done_calls, 1);
	cr_assert_eq(good.done_rc, 0);
	cr_assert_eq(lc_error_last()->code, LC_OK, "the writer's own outcome is not the deferred one's");
	cr_assert_null(get(st, "bad", &(size_t){ 0 }));
	assert_value(st, "good", "y");
	assert_value(st, "next", "z");
	lc__store_close(st);
}

static int durable_then_deferred(lc__store *st)
{
	static struct put a = { "intent", "deleting", 8, 0, 0, 0, 0 }, b = { "outcome", "gone", 4, 0, 0, 0, 0 };

	return lc__store_write(st, put_tx, &a) || lc__store_write_deferred(st, put_tx, &b, NULL);
}

/* The documented risk: a process that dies before anything commits a deferred write loses it. */
Test(store, a_deferred_write_is_lost_with_a_process_killed_before_it_commits)
{
	lc__store *st = kill_after(durable_then_deferred);

	assert_value(st, "intent", "deleting");
	cr_assert_null(get(st, "outcome", &(size_t){ 0 }));
	lc__store_close(st);
}

struct deferrer {
	lc__store *st;
	pthread_barrier_t *go;
	int index;
	struct deferred d[NWRITES];
	char keys[NWRITES][32];
	int missing; /* reads right after deferring that did not find the value */
};

static void *deferrer_main(void *p)
{
	struct deferrer *w = p;

	pthread_barrier_wait(w->go);
	for (int j = 0; j < NWRITES; j++) {
		size_t len;
		char *v;

		snprintf(w->keys[j], sizeof(w->keys[j]), "d%02d-%03d", w->index, j);
		memset(&w->d[j], 0, sizeof(w->d[j]));
		w->d[j].put.key = w->keys[j];
		w->d[j].put.val = w->keys[j];
		w->d[j].put.vlen = strlen(w->keys[j]);
		if (lc__store_write_deferred(w->st, put_tx, &w->d[j], deferred_done) != 0)
			continue;
		if (j % 2) { /* every other one: read it back at once (the read commits it) */
			v = get(w->st, w->keys[j], &len);
			w->missing += v == NULL;
			free(v);
		} else {
			put_kv(w->st, w->keys[j] + 1, "w", 0, NULL); /* or write something after it */
		}
	}
	return NULL;
}

Test(store, threads_deferring_reading_and_writing_lose_nothing_and_see_their_writes)
{
	lc__store *st = open_store(64 << 20, 0);
	struct deferrer *w = calloc(NTHREADS, sizeof(*w));
	pthread_t th[NTHREADS];
	pthread_barrier_t go;

	pthread_barrier_init(&go, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++) {
		w[i].st = st;
		w[i].go = &go;
		w[i].index = i;
		cr_assert_eq(pthread_create(&th[i], NULL, deferrer_main, &w[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	for (int i = 0; i < NTHREADS; i++) {
		cr_assert_eq(w[i].missing, 0, "thread %d did not see %d of its deferred writes", i, w[i].missing);
		for (int j = 0; j < NWRITES; j++)
			cr_assert_eq(w[i].d[j].done_calls, 1, "thread %d write %d: done called %d times", i, j,
				     w[i].d[j].done_calls);
	}
	cr_assert_eq(count(st, &kv_db), (size_t)NTHREADS * NWRITES * 3 / 2);
	lc__store_close(st);
	free(w);
}

/* ---- the store format and schema versions kept in the meta database ---- */

struct meta_put {
	const char *key;
	const void *val;
	size_t len;
};

static int meta_tx(lc__txn *t, void *p)
{
	struct meta_put *m = p;

	return lc__txn_put(t, &lc__meta_db, m->key, strlen(m->key), m->val, m->len, 0);
}

static void set_meta(const char *key, const void *val, size_t len)
{
	static const lc__dbdef *const meta_dbs[] = { &lc__meta_db };
	char dir[4200];
	lc__store *st = NULL;
	struct meta_put mp = { key, val, len };

	snprintf(dir, sizeof(dir), "%s/meta", tmp);
	cr_assert_eq(lc__store_open(&st, dir, 1 << 20, 0, meta_dbs, 1), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc__store_write(st, meta_tx, &mp), 0, "%s", lc_error_last()->message);
	lc__store_close(st);
}

static int open_cloud_rc(void)
{
	lc_cloud_opts o = LC_CLOUD_OPTS_INIT;
	lc_cloud *c = NULL;
	int rc;

	o.pwhash_strength = LC_PWHASH_MIN;
	cr_assert_eq(lc_cloud_new(&c, &o), 0);
	rc = lc_cloud_open(c, tmp, LC_CLOUD_OPEN_CREATE | LC_CLOUD_OPEN_NOSYNC);
	lc_cloud_free(c);
	return rc;
}

TestSuite(schema, .init = setup, .fini = teardown, .timeout = 60);

Test(schema, a_store_of_a_newer_format_is_corrupt)
{
	uint32_t v = LC__STORE_FORMAT + 1;

	cr_assert_eq(open_cloud_rc(), 0, "%s", lc_error_last()->message);
	set_meta("format", &v, sizeof(v));
	cr_assert_eq(open_cloud_rc(), LC_ECORRUPT);
	cr_assert_not_null(strstr(lc_error_last()->message, "format"), "%s", lc_error_last()->message);
}

Test(schema, identity_records_of_a_newer_schema_are_corrupt)
{
	uint32_t v = 1000;

	cr_assert_eq(open_cloud_rc(), 0, "%s", lc_error_last()->message);
	set_meta("schema.identity", &v, sizeof(v));
	cr_assert_eq(open_cloud_rc(), LC_ECORRUPT);
	cr_assert_not_null(strstr(lc_error_last()->message, "identity"), "%s", lc_error_last()->message);
}

Test(schema, a_malformed_version_record_is_corrupt)
{
	cr_assert_eq(open_cloud_rc(), 0, "%s", lc_error_last()->message);
	set_meta("format", "xy", 2);
	cr_assert_eq(open_cloud_rc(), LC_ECORRUPT);
}

Test(schema, reopening_a_current_store_passes_the_check)
{
	cr_assert_eq(open_cloud_rc(), 0, "%s", lc_error_last()->message);
	cr_assert_eq(open_cloud_rc(), 0, "%s", lc_error_last()->message);
}

/* ---- the record codec ---- */

enum { F_ID, F_NAME, F_COUNT, F_FLAG, F_NOTE, F_HASH, F_N };

static const lc__dbdef thing_db = { "thing", 0 };
static const lc__field thing_fields[] = {
	[F_ID] = { "id", LC__T_ID, 0, 0, 0 },
	[F_NAME] = { "name", LC__T_STR, 1, 64, LC__F_REQUIRED },
	[F_COUNT] = { "count", LC__T_INT, 0, 0, 0 },
	[F_FLAG] = { "flag", LC__T_BOOL, 0, 0, 0 },
	[F_NOTE] = { "note", LC__T_STR, 0, 255, LC__F_NULLABLE },
	[F_HASH] = { "hash", LC__T_BLOB, 0, 255, LC__F_SECRET },
};
/* Version 1 had the first three fields; version 2 appended three. */
static const lc__shape thing_v1 = { "thing", &thing_db, 1, 3, thing_fields, 0, NULL, -1 };
static const lc__shape thing_v2 = { "thing", &thing_db, 2, F_N, thing_fields, 0, NULL, -1 };

static void encode_v2(char **buf, size_t *len)
{
	lc__val v[LC__MAX_FIELDS];
	static const char blob[] = { 'a', 0, 'b', 0, 'c' };

	memset(v, 0, sizeof(v));
	lc__val_str(&v[F_ID], "0190b0c2-0000-7000-8000-000000000001");
	lc__val_str(&v[F_NAME], "widget");
	lc__val_int(&v[F_COUNT], -1234567890123LL);
	lc__val_bool(&v[F_FLAG], 1);
	lc__val_str(&v[F_NOTE], "");
	lc__val_blob(&v[F_HASH], blob, sizeof(blob));
	cr_assert_eq(lc__rec_encode(&thing_v2, v, buf, len), 0);
}

TestSuite(codec, .timeout = 60);

Test(codec, a_record_decodes_to_the_values_it_was_encoded_from)
{
	char *buf;
	size_t len;
	lc__rec *r = NULL;

	encode_v2(&buf, &len);
	cr_assert_eq(lc__rec_decode(&thing_v2, buf, len, &r), 0, "%s", lc_error_last()->message);
	cr_assert_eq(r->version, 2);
	cr_assert_str_eq(lc__rec_str(r, F_ID), "0190b0c2-0000-7000-8000-000000000001");
	cr_assert_str_eq(lc__rec_str(r, F_NAME), "widget");
	cr_assert_eq(lc__rec_int(r, F_COUNT), -1234567890123LL);
	cr_assert_eq(lc__rec_int(r, F_FLAG), 1);
	cr_assert(lc__rec_set(r, F_NOTE));
	cr_assert_str_eq(lc__rec_str(r, F_NOTE), "");
	cr_assert_eq(r->v[F_HASH].len, 5);
	cr_assert_eq(memcmp(r->v[F_HASH].s, "a\0b\0c", 5), 0);
	lc__rec_free(r);
	free(buf);
}

/* Records of a listing page share one block; it lives until its last record is freed, in any order. */
Test(codec, records_sharing_a_block_outlive_its_maker_and_free_it_last)
{
	char *buf;
	size_t len;
	lc__rec *r[3] = { NULL }, *big = NULL;
	lc__recblock *b;

	encode_v2(&buf, &len);
	b = lc__recblock_new(3 * (lc__rec_size(&thing_v2, len) + 16));
	cr_assert_not_null(b);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(lc__rec_decode_in(b, &thing_v2, buf, len, &r[i]), 0, "%s", lc_error_last()->message);
		cr_assert_eq(r[i]->block, b);
	}
	cr_assert_eq(lc__rec_decode_in(b, &thing_v2, buf, len, &big), 0);
	cr_assert_null(big->block, "a record the block has no room for has its own allocation");
	lc__recblock_release(b); /* the maker is done: the records keep the block */
	free(buf);
	lc__rec_free(r[1]);
	cr_assert_str_eq(lc__rec_str(r[0], F_NAME), "widget");
	lc__rec_free(r[0]);
	cr_assert_str_eq(lc__rec_str(r[2], F_NAME), "widget");
	cr_assert_eq(lc__rec_int(r[2], F_COUNT), -1234567890123LL);
	lc__rec_free(r[2]); /* the last one frees the block (ASan checks nothing leaks or is read after) */
	cr_assert_str_eq(lc__rec_str(big, F_NAME), "widget");
	lc__rec_free(big);
}

Test(codec, a_record_of_an_older_schema_decodes_with_the_new_fields_absent)
{
	lc__val v[LC__MAX_FIELDS];
	char *buf;
	size_t len;
	lc__rec *r = NULL;

	memset(v, 0, sizeof(v));
	lc__val_str(&v[F_ID], "0190b0c2-0000-7000-8000-000000000002");
	lc__val_str(&v[F_NAME], "old");
	lc__val_int(&v[F_COUNT], 7);
	cr_assert_eq(lc__rec_encode(&thing_v1, v, &buf, &len), 0);
	cr_assert_eq(lc__rec_decode(&thing_v2, buf, len, &r), 0, "%s", lc_error_last()->message);
	cr_assert_eq(r->version, 1, "the stored version is reported");
	cr_assert_str_eq(lc__rec_str(r, F_NAME), "old");
	cr_assert_eq(lc__rec_int(r, F_COUNT), 7);
	for (int f = F_FLAG; f < F_N; f++) {
		cr_assert_not(lc__rec_set(r, f), "field %d", f);
		cr_assert_null(lc__rec_str(r, f));
		cr_assert_eq(lc__rec_int(r, f), 0);
	}
	lc__rec_free(r);
	free(buf);
}

Test(codec, a_record_with_fields_this_version_does_not_know_is_corrupt)
{
	char *buf;
	size_t len;
	lc__rec *r = (lc__rec *)1;

	encode_v2(&buf, &len);
	cr_assert_eq(lc__rec_decode(&thing_v1, buf, len, &r), LC_ECORRUPT);
	cr_assert_null(r);
	cr_assert_not_null(strstr(lc_error_last()->message, "thing"), "%s", lc_error_last()->message);
	free(buf);
}

Test(codec, every_truncation_and_an_extra_byte_are_corrupt)
{
	char *buf, *longer;
	size_t len;

	encode_v2(&buf, &len);
	for (size_t cut = 0; cut < len; cut++) {
		/* A copy of exactly cut bytes, so that ASan sees any read past it. */
		char *part = malloc(cut ? cut : 1);
		lc__rec *r = (lc__rec *)1;

		memcpy(part, buf, cut);
		cr_assert_eq(lc__rec_decode(&thing_v2, part, cut, &r), LC_ECORRUPT, "truncated to %zu of %zu", cut, len);
		cr_assert_null(r);
		free(part);
	}
	longer = malloc(len + 1);
	memcpy(longer, buf, len);
	longer[len] = 0;
	{
		lc__rec *r = NULL;
		cr_assert_eq(lc__rec_decode(&thing_v2, longer, len + 1, &r), LC_ECORRUPT);
	}
	free(longer);
	free(buf);
}

Test(codec, a_string_without_its_terminator_or_with_a_huge_length_is_corrupt)
{
	char *buf;
	size_t len;
	lc__rec *r = NULL;
	uint32_t huge = 0xFFFFFFFFu;
	/* Layout: 2 version bytes, 1 count byte, then field 0: set byte, 4 length bytes, 36 bytes, NUL. */
	size_t id_len_at = 3 + 1, id_nul_at = id_len_at + 4 + 36;

	encode_v2(&buf, &len);
	cr_assert_eq(buf[id_nul_at], '\0');
	buf[id_nul_at] = 'x';
	cr_assert_eq(lc__rec_decode(&thing_v2, buf, len, &r), LC_ECORRUPT);
	buf[id_nul_at] = '\0';
	memcpy(buf + id_len_at, &huge, 4);
	cr_assert_eq(lc__rec_decode(&thing_v2, buf, len, &r), LC_ECORRUPT);
	cr_assert_null(r);
	free(buf);
}

Test(codec, random_bytes_decode_or_fail_cleanly)
{
	unsigned int seed = 12345;
	int ok = 0, corrupt = 0;

	for (int round = 0; round < 20000; round++) {
		size_t len;
		char *b;
		lc__rec *r = NULL;
		int rc;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 8) % 96;
		b = malloc(len ? len : 1);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			b[i] = (char)(seed >> 16);
		}
		/* Make a plausible header half of the time so decoding gets past it. */
		if (len >= 3 && (round & 1)) {
			b[0] = 2;
			b[1] = 0;
			b[2] = (char)(round % 8);
		}
		rc = lc__rec_decode(&thing_v2, b, len, &r);
		cr_assert(rc == 0 || rc == LC_ECORRUPT, "rc %d", rc);
		if (rc == 0) {
			ok++;
			for (int f = 0; f < F_N; f++) /* every string a decode hands out is terminated inside it */
				if (lc__rec_set(r, f) && (f == F_ID || f == F_NAME || f == F_NOTE || f == F_HASH))
					cr_assert_eq(r->v[f].s[r->v[f].len], '\0');
			lc__rec_free(r);
		} else {
			corrupt++;
			cr_assert_null(r);
		}
		free(b);
	}
	cr_assert_gt(corrupt, 0);
}
