/*
 * Helpers shared by the benchmarks: a clock, calls that must not fail, the
 * scratch data directory, and the raw LMDB baseline that durable-write
 * figures are measured against. Define BENCH_NAME ("bench-network") before
 * including it; the program links the internal library and LMDB. Everything
 * is static inline: a program pays only for what it uses.
 */
#ifndef LC_BENCH_H
#define LC_BENCH_H

#include <libcloud/libcloud.h>

#include <ftw.h>
#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/id.h"

#ifndef BENCH_NAME
#error "define BENCH_NAME before including bench.h"
#endif

/* Monotonic seconds. */
static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline void die_lc(const char *what, int rc)
{
	fprintf(stderr, BENCH_NAME ": %s failed: %s (%s)\n", what, lc_strerror(rc), lc_error_last()->message);
	exit(1);
}

static inline void die_mdb(const char *what, int rc)
{
	fprintf(stderr, BENCH_NAME ": %s failed: %s\n", what, mdb_strerror(rc));
	exit(1);
}

/* A libcloud call that must succeed (exit with its error otherwise). */
#define LC_OK_OR_DIE(call)                  \
	do {                                \
		int rc_ = (call);           \
		if (rc_ < 0)                \
			die_lc(#call, rc_); \
	} while (0)

/* An LMDB call that must succeed. */
#define MDB_OK_OR_DIE(call)                  \
	do {                                 \
		int rc_ = (call);            \
		if (rc_ != 0)                \
			die_mdb(#call, rc_); \
	} while (0)

static inline int bench_rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* Remove a directory tree (a previous run's data). */
static inline void rmtree(const char *path)
{
	nftw(path, bench_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* qsort order of doubles (medians). */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Where the data directories go: $LC_BENCH_DIR, default ./bench-tmp. */
static inline const char *base_dir(void)
{
	const char *d = getenv("LC_BENCH_DIR");

	return d && *d ? d : "./bench-tmp";
}

/* A number from the environment, dflt when unset or empty. */
static inline long env_long(const char *name, long dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 10) : dflt;
}

/* ---- the raw baseline: LMDB with its default flags (durable commits) ---- */

typedef struct bench_raw {
	MDB_env *env;
	MDB_dbi dbi;
} bench_raw;

/* Create dir and open an env of map_bytes there with one database: name, or NULL for the main one. */
static inline void bench_raw_open(bench_raw *r, const char *dir, size_t map_bytes, const char *name)
{
	MDB_txn *t;

	mkdir(dir, 0700);
	MDB_OK_OR_DIE(mdb_env_create(&r->env));
	if (name)
		MDB_OK_OR_DIE(mdb_env_set_maxdbs(r->env, 4));
	MDB_OK_OR_DIE(mdb_env_set_mapsize(r->env, map_bytes));
	MDB_OK_OR_DIE(mdb_env_open(r->env, dir, 0, 0600)); /* default flags: durable commits */
	MDB_OK_OR_DIE(mdb_txn_begin(r->env, NULL, 0, &t));
	MDB_OK_OR_DIE(mdb_dbi_open(t, name, name ? MDB_CREATE : 0, &r->dbi));
	MDB_OK_OR_DIE(mdb_txn_commit(t));
}

static inline void bench_raw_close(bench_raw *r)
{
	mdb_env_close(r->env);
	r->env = NULL;
}

/*
 * Pairs of durable commits per second for secs seconds: put of value (len
 * bytes) under a new time-ordered id and commit, then del and commit.
 */
static inline double bench_raw_pairs(bench_raw *r, const void *value, size_t len, double secs)
{
	double t0 = now_s(), t;
	long n = 0;

	do {
		char id[LC__ID_TEXT];
		MDB_val k, v = { len, (void *)value };
		MDB_txn *txn;

		lc__id_new_text(id);
		k.mv_size = strlen(id);
		k.mv_data = id;
		MDB_OK_OR_DIE(mdb_txn_begin(r->env, NULL, 0, &txn));
		MDB_OK_OR_DIE(mdb_put(txn, r->dbi, &k, &v, 0));
		MDB_OK_OR_DIE(mdb_txn_commit(txn));
		MDB_OK_OR_DIE(mdb_txn_begin(r->env, NULL, 0, &txn));
		MDB_OK_OR_DIE(mdb_del(txn, r->dbi, &k, NULL));
		MDB_OK_OR_DIE(mdb_txn_commit(txn));
		n++;
		t = now_s();
	} while (t - t0 < secs);
	return (double)n / (t - t0);
}

#endif
