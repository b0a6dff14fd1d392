/*
 * bench-store: the store's figures (issue 2, "Figures"), measured in one run
 * on one file system, printed as rates and ratios. Never asserts a timing:
 * it exits non-zero only when a call fails.
 *
 *   bench-store            data under $LC_BENCH_DIR, default ./bench-tmp
 *
 * Environment:
 *   LC_BENCH_DIR      where to create the temporary data directories (must
 *                     not be tmpfs: fsync is the point)
 *   LC_BENCH_SECONDS  length of each timed phase (default 3)
 *   LC_BENCH_ONLY     a comma-separated subset of durable,get,token,password
 *                     (to profile one group: perf record -g bench-store)
 *
 * The phases of a group run alternately in six slices each, so they share
 * the machine's mood; the ratio of the totals is the figure, the median of
 * the per-slice ratios shows how steady it was. The gets pick at random
 * among the same number of records in both databases.
 *
 * Rows:
 *   raw put       an LMDB env with default flags (durable), one put of the
 *                 bytes of a project record under a time-ordered id, and a
 *                 commit, per transaction
 *   API create    lc_project_create on a cloud opened without NOSYNC, one
 *                 thread, then 16 threads (group commit)
 *   raw get       mdb_txn_begin(RDONLY) + mdb_get + mdb_txn_abort per lookup
 *   API get       lc_project_get with the system session (+ lc_project_free)
 *   token         lc_session_token on a project-scoped token (+ free), one
 *                 thread; beside it the raw keyed BLAKE2b-256 the token codec
 *                 computes over the same number of bytes
 */
#define BENCH_NAME "bench-store"

#include <libcloud/libcloud.h>

#include <errno.h>
#include <lmdb.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "core/id.h"
#include "core/record.h"
#include "identity/shapes.h"
#include "support/bench.h"

#define NTHREADS 16
#define MAX_IDS (1u << 20)
#define TMPFS_MAGIC_ 0x01021994
#define RAMFS_MAGIC_ 0x858458f6

/* ---- small helpers (and support/bench.h) ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
	uint64_t x = rng_state; /* xorshift64 */

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static double phase_seconds = 3.0;

/* ---- rows ---- */

struct row {
	const char *what;
	double ops, secs;
};

static double rate(const struct row *r)
{
	return r->secs > 0 ? r->ops / r->secs : 0;
}

static void print_row(const struct row *r)
{
	double rt = rate(r);

	printf("  %-52s %10.0f %7.2f %13.0f %11.2f\n", r->what, r->ops, r->secs, rt, rt > 0 ? 1e6 / rt : 0);
}

/* The ratio of the totals decides; the median of the per-round ratios shows how steady it was. */
static int print_ratio(const char *what, const struct row *num, const struct row *den, double median, double target)
{
	double ratio = rate(den) > 0 ? rate(num) / rate(den) : 0;
	int ok = ratio >= target;
	char tgt[32];

	snprintf(tgt, sizeof(tgt), ">= %.2gx", target);
	printf("  %-46s %8.2fx %8.2fx   %-12s %s\n", what, ratio, median, tgt, ok ? "met" : "MISSED");
	return ok;
}

/* ---- the bytes of a project record, as the API stores them ---- */

static char rec_name[64];

static void project_bytes(const char *id, unsigned n, char **buf, size_t *len)
{
	lc__val v[LC__MAX_FIELDS];

	memset(v, 0, sizeof(v));
	snprintf(rec_name, sizeof(rec_name), "bench-%08u", n);
	lc__val_str(&v[PRJ_ID], id);
	lc__val_str(&v[PRJ_NAME], rec_name);
	lc__val_str(&v[PRJ_DOMAIN], LC_DEFAULT_DOMAIN_ID);
	lc__val_bool(&v[PRJ_ENABLED], 1);
	lc__val_int(&v[PRJ_CREATED], lc__now_us());
	if (lc__rec_encode(&lc__project_shape, v, buf, len) < 0)
		die_lc("lc__rec_encode", LC_ENOMEM);
}

/* ---- raw LMDB ---- */

static MDB_env *raw_env;
static MDB_dbi raw_dbi;
static char (*raw_ids)[LC__ID_TEXT];
static size_t raw_nids;

static void raw_open(const char *dir)
{
	MDB_txn *txn;

	mkdir(dir, 0700);
	MDB_OK_OR_DIE(mdb_env_create(&raw_env));
	MDB_OK_OR_DIE(mdb_env_set_maxdbs(raw_env, 4));
	MDB_OK_OR_DIE(mdb_env_set_mapsize(raw_env, (size_t)1 << 30));
	MDB_OK_OR_DIE(mdb_env_open(raw_env, dir, 0, 0600)); /* default flags: durable commits */
	MDB_OK_OR_DIE(mdb_txn_begin(raw_env, NULL, 0, &txn));
	MDB_OK_OR_DIE(mdb_dbi_open(txn, "project", MDB_CREATE, &raw_dbi));
	MDB_OK_OR_DIE(mdb_txn_commit(txn));
}

static struct row raw_put(void)
{
	struct row r = { "raw LMDB put + commit, durable (1 thread)", 0, 0 };
	double t0 = now_s(), t;

	do {
		MDB_txn *txn;
		MDB_val k, v;
		char *buf;
		size_t len;

		lc__id_new_text(raw_ids[raw_nids]);
		project_bytes(raw_ids[raw_nids], (unsigned)raw_nids, &buf, &len);
		k.mv_size = LC__ID_TEXT - 1;
		k.mv_data = raw_ids[raw_nids];
		v.mv_size = len;
		v.mv_data = buf;
		MDB_OK_OR_DIE(mdb_txn_begin(raw_env, NULL, 0, &txn));
		MDB_OK_OR_DIE(mdb_put(txn, raw_dbi, &k, &v, MDB_NOOVERWRITE));
		MDB_OK_OR_DIE(mdb_txn_commit(txn));
		free(buf);
		raw_nids++;
		r.ops++;
		t = now_s();
	} while (t - t0 < phase_seconds && raw_nids < MAX_IDS);
	r.secs = t - t0;
	return r;
}

/* Top the raw database up to n records (one transaction), so both gets search trees of one size. */
static void raw_fill(size_t n)
{
	MDB_txn *txn;

	MDB_OK_OR_DIE(mdb_txn_begin(raw_env, NULL, 0, &txn));
	for (; raw_nids < n && raw_nids < MAX_IDS; raw_nids++) {
		MDB_val k, v;
		char *buf;
		size_t len;

		lc__id_new_text(raw_ids[raw_nids]);
		project_bytes(raw_ids[raw_nids], (unsigned)raw_nids, &buf, &len);
		k.mv_size = LC__ID_TEXT - 1;
		k.mv_data = raw_ids[raw_nids];
		v.mv_size = len;
		v.mv_data = buf;
		MDB_OK_OR_DIE(mdb_put(txn, raw_dbi, &k, &v, MDB_NOOVERWRITE));
		free(buf);
	}
	MDB_OK_OR_DIE(mdb_txn_commit(txn));
}

static struct row raw_get(void)
{
	struct row r = { "raw mdb_get (begin RDONLY + get + abort)", 0, 0 };
	double t0 = now_s(), t;
	size_t found = 0;

	do {
		for (int i = 0; i < 256; i++) {
			MDB_txn *txn;
			MDB_val k, v;
			const char *id = raw_ids[rnd() % raw_nids];

			k.mv_size = LC__ID_TEXT - 1;
			k.mv_data = (void *)id;
			MDB_OK_OR_DIE(mdb_txn_begin(raw_env, NULL, MDB_RDONLY, &txn));
			if (mdb_get(txn, raw_dbi, &k, &v) == 0)
				found += v.mv_size != 0;
			mdb_txn_abort(txn);
		}
		r.ops += 256;
		t = now_s();
	} while (t - t0 < phase_seconds);
	r.secs = t - t0;
	if (found != (size_t)r.ops) {
		fprintf(stderr, "bench-store: raw get missed keys\n");
		exit(1);
	}
	return r;
}

/* ---- the API ---- */

static lc_cloud *open_cloud(const char *dir, int strength)
{
	lc_cloud_opts opts = LC_CLOUD_OPTS_INIT;
	lc_bootstrap_opts bo = LC_BOOTSTRAP_OPTS_INIT;
	lc_cloud *c = NULL;

	opts.pwhash_strength = strength;
	opts.map_size_bytes = (uint64_t)1 << 30;
	LC_OK_OR_DIE(lc_cloud_new(&c, &opts));
	LC_OK_OR_DIE(lc_cloud_open(c, dir, LC_CLOUD_OPEN_CREATE)); /* durable: no NOSYNC */
	bo.admin_password = "bench-admin-secret";
	LC_OK_OR_DIE(lc_cloud_bootstrap(c, &bo));
	return c;
}

static lc_cloud *cloud;
static lc_session *sys;
static char (*api_ids)[LC__ID_TEXT];
static size_t api_nids, api_nids_created;

static struct row api_create(void)
{
	struct row r = { "API lc_project_create, durable (1 thread)", 0, 0 };
	lc_project_opts po = LC_PROJECT_OPTS_INIT;
	char name[64];
	double t0 = now_s(), t;

	po.name = name;
	do {
		lc_project *p;

		snprintf(name, sizeof(name), "single-%08zu", api_nids);
		LC_OK_OR_DIE(lc_project_create(&p, sys, &po));
		memcpy(api_ids[api_nids++], lc_project_id(p), LC__ID_TEXT);
		lc_project_free(p);
		r.ops++;
		t = now_s();
	} while (t - t0 < phase_seconds && api_nids < MAX_IDS);
	r.secs = t - t0;
	return r;
}

static atomic_int stop_flag;
static unsigned slice; /* names stay unique across the slices of the phase */
static long threads_created;
static atomic_long created;
static pthread_barrier_t start_barrier;

static void *creator(void *arg)
{
	unsigned idx = (unsigned)(uintptr_t)arg;
	lc_project_opts po = LC_PROJECT_OPTS_INIT;
	lc_session *s;
	char name[64];
	long n = 0;

	LC_OK_OR_DIE(lc_session_system(&s, cloud));
	po.name = name;
	pthread_barrier_wait(&start_barrier);
	while (!atomic_load_explicit(&stop_flag, memory_order_relaxed)) {
		snprintf(name, sizeof(name), "t%02u-%u-%08ld", idx, slice, n++);
		LC_OK_OR_DIE(lc_project_create(NULL, s, &po));
		atomic_fetch_add_explicit(&created, 1, memory_order_relaxed);
	}
	lc_session_free(s);
	return NULL;
}

static struct row api_create_threads(void)
{
	static char what[64];
	struct row r = { what, 0, 0 };
	pthread_t th[NTHREADS];
	struct timespec ts;
	double t0;

	snprintf(what, sizeof(what), "API lc_project_create, durable (%d threads)", NTHREADS);
	atomic_store(&stop_flag, 0);
	atomic_store(&created, 0);
	pthread_barrier_init(&start_barrier, NULL, NTHREADS + 1);
	for (unsigned i = 0; i < NTHREADS; i++)
		if (pthread_create(&th[i], NULL, creator, (void *)(uintptr_t)i) != 0) {
			perror("bench-store: pthread_create");
			exit(1);
		}
	pthread_barrier_wait(&start_barrier);
	t0 = now_s();
	ts.tv_sec = (time_t)phase_seconds;
	ts.tv_nsec = (long)((phase_seconds - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
	atomic_store(&stop_flag, 1);
	for (unsigned i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	r.secs = now_s() - t0; /* every call counted has returned: durable */
	r.ops = (double)atomic_load(&created);
	threads_created += atomic_load(&created);
	slice++;
	pthread_barrier_destroy(&start_barrier);
	return r;
}

/* Every project id of the API cloud (the 16 threads' too), so gets pick among all records. */
static void api_collect_ids(void)
{
	lc_project_iter *it;
	lc_project *p;
	int rc;

	api_nids = 0;
	LC_OK_OR_DIE(lc_project_iter_new(&it, sys, NULL));
	while (api_nids < MAX_IDS && (rc = lc_project_iter_next(&p, it)) == 0) {
		memcpy(api_ids[api_nids++], lc_project_id(p), LC__ID_TEXT);
		lc_project_free(p);
	}
	lc_project_iter_free(it);
}

static struct row api_get(void)
{
	struct row r = { "API lc_project_get (system session) + free", 0, 0 };
	double t0 = now_s(), t;

	do {
		for (int i = 0; i < 256; i++) {
			lc_project *p;

			LC_OK_OR_DIE(lc_project_get(&p, sys, api_ids[rnd() % api_nids]));
			lc_project_free(p);
		}
		r.ops += 256;
		t = now_s();
	} while (t - t0 < phase_seconds);
	r.secs = t - t0;
	return r;
}

static char token[512];

static void make_token(lc_cloud *c, lc_session *admin, const char *tag, char *out, size_t outsz)
{
	lc_project_opts po = LC_PROJECT_OPTS_INIT;
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_auth_opts ao = LC_AUTH_OPTS_INIT;
	lc_grant g = LC_GRANT_INIT;
	lc_project *p;
	lc_user *u;
	lc_role *member;
	lc_session *s;
	char pname[64], uname[64];

	snprintf(pname, sizeof(pname), "tok-project-%s", tag);
	snprintf(uname, sizeof(uname), "tok-user-%s", tag);
	po.name = pname;
	LC_OK_OR_DIE(lc_project_create(&p, admin, &po));
	uo.name = uname;
	uo.password = "bench-password";
	LC_OK_OR_DIE(lc_user_create(&u, admin, &uo));
	LC_OK_OR_DIE(lc_role_find(&member, admin, "member"));
	g.role_id = lc_role_id(member);
	g.user_id = lc_user_id(u);
	g.project_id = lc_project_id(p);
	LC_OK_OR_DIE(lc_role_grant(admin, &g));
	ao.user_id = lc_user_id(u);
	ao.password = "bench-password";
	ao.scope = LC_SCOPE_PROJECT;
	ao.project_id = lc_project_id(p);
	LC_OK_OR_DIE(lc_session_password(&s, c, &ao));
	snprintf(out, outsz, "%s", lc_session_token_id(s));
	lc_session_free(s);
	lc_role_free(member);
	lc_user_free(u);
	lc_project_free(p);
}

static struct row api_token(void)
{
	struct row r = { "API lc_session_token (project scope) + free", 0, 0 };
	double t0 = now_s(), t;

	do {
		for (int i = 0; i < 256; i++) {
			lc_session *s;

			LC_OK_OR_DIE(lc_session_token(&s, cloud, token));
			lc_session_free(s);
		}
		r.ops += 256;
		t = now_s();
	} while (t - t0 < phase_seconds);
	r.secs = t - t0;
	return r;
}

/* The bytes the token codec MACs: the decoded token without its 32-byte tag. */
static size_t token_mac_len(void)
{
	unsigned char bin[512];
	size_t n = 0;

	if (sodium_base642bin(bin, sizeof(bin), token, strlen(token), NULL, &n, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || n <= 32) {
		fprintf(stderr, "bench-store: cannot decode the token\n");
		exit(1);
	}
	return n - 32;
}

static volatile unsigned char sink;

static size_t mac_len;

static struct row raw_mac_oneshot(void)
{
	size_t len = mac_len;
	static char what[80];
	struct row r = { what, 0, 0 };
	unsigned char key[32], buf[512], tag[32];
	double t0 = now_s(), t;

	snprintf(what, sizeof(what), "raw keyed BLAKE2b-256 of %zu bytes, one-shot", len);
	randombytes_buf(key, sizeof(key));
	randombytes_buf(buf, sizeof(buf));
	do {
		for (int i = 0; i < 1024; i++) {
			buf[0] = (unsigned char)i;
			crypto_generichash(tag, sizeof(tag), buf, len, key, sizeof(key));
			sink ^= tag[0];
		}
		r.ops += 1024;
		t = now_s();
	} while (t - t0 < phase_seconds / 3);
	r.secs = t - t0;
	return r;
}

/* What lib/identity/token_codec.c does: copy a state keyed once, update, final. */
static struct row raw_mac_state(void)
{
	size_t len = mac_len;
	static char what[80];
	struct row r = { what, 0, 0 };
	unsigned char key[32], buf[512], tag[32];
	crypto_generichash_state keyed, st;
	double t0 = now_s(), t;

	snprintf(what, sizeof(what), "raw keyed BLAKE2b-256 of %zu bytes, keyed state copy", len);
	randombytes_buf(key, sizeof(key));
	randombytes_buf(buf, sizeof(buf));
	crypto_generichash_init(&keyed, key, sizeof(key), sizeof(tag));
	do {
		for (int i = 0; i < 1024; i++) {
			buf[0] = (unsigned char)i;
			st = keyed;
			crypto_generichash_update(&st, buf, len);
			crypto_generichash_final(&st, tag, sizeof(tag));
			sink ^= tag[0];
		}
		r.ops += 1024;
		t = now_s();
	} while (t - t0 < phase_seconds / 3);
	r.secs = t - t0;
	return r;
}

/* Password authentication at the default (interactive) argon2id strength, for reference. */
static struct row api_password(const char *dir)
{
	struct row r = { "API lc_session_password, argon2id interactive", 0, 0 };
	lc_cloud *c = open_cloud(dir, LC_PWHASH_INTERACTIVE);
	lc_session *admin, *s;
	lc_auth_opts ao = LC_AUTH_OPTS_INIT;
	lc_user_opts uo = LC_USER_OPTS_INIT;
	double t0, t;

	LC_OK_OR_DIE(lc_session_system(&admin, c));
	uo.name = "pw-user";
	uo.password = "bench-password";
	LC_OK_OR_DIE(lc_user_create(NULL, admin, &uo));
	ao.user_name = "pw-user";
	ao.user_domain_id = LC_DEFAULT_DOMAIN_ID;
	ao.password = "bench-password";
	t0 = now_s();
	do {
		LC_OK_OR_DIE(lc_session_password(&s, c, &ao));
		lc_session_free(s);
		r.ops++;
		t = now_s();
	} while (t - t0 < phase_seconds / 3);
	r.secs = t - t0;
	lc_session_free(admin);
	lc_cloud_free(c);
	return r;
}

static const char *fs_name(const char *dir, int *is_ram)
{
	struct statfs sf;

	*is_ram = 0;
	if (statfs(dir, &sf) != 0)
		return "unknown";
	switch ((unsigned long)sf.f_type) {
	case TMPFS_MAGIC_:
		*is_ram = 1;
		return "tmpfs";
	case RAMFS_MAGIC_:
		*is_ram = 1;
		return "ramfs";
	case 0xEF53:
		return "ext2/3/4";
	case 0x58465342:
		return "xfs";
	case 0x9123683E:
		return "btrfs";
	case 0x794c7630:
		return "overlayfs";
	default:
		return "other";
	}
}

/* LC_BENCH_ONLY: a comma-separated subset of durable,get,token,password (for profiling). */
static const char *only;

static int want(const char *phase)
{
	size_t n = strlen(phase);

	for (const char *p = only; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && strncmp(p, phase, n) == 0)
			return 1;
		p = e ? e + 1 : p + len;
	}
	return only == NULL || *only == '\0';
}

/*
 * Run the phases fn[0..n) in turn, `rounds` times, each for phase_seconds /
 * rounds, so that they share the machine's mood (a shared disk's latency
 * swings by several times within seconds). Totals go to out[], each slice
 * stays in g for the median of the per-round ratios.
 */
#define MAX_ROUNDS 16
#define MAX_PHASES 4

struct group {
	int rounds, n;
	struct row s[MAX_ROUNDS][MAX_PHASES];
};

static void interleave(struct group *g, int rounds, int n, struct row (*const fn[])(void), struct row *const out[])
{
	double full = phase_seconds;

	g->rounds = rounds;
	g->n = n;
	phase_seconds = full / rounds;
	for (int i = 0; i < rounds; i++) {
		for (int j = 0; j < n; j++) {
			struct row x = fn[j]();

			g->s[i][j] = x;
			out[j]->what = x.what;
			out[j]->ops += x.ops;
			out[j]->secs += x.secs;
		}
	}
	phase_seconds = full;
}

/* Median over the rounds of the rate of phase j. */
static double median_rate(const struct group *g, int j)
{
	double r[MAX_ROUNDS];

	for (int i = 0; i < g->rounds; i++)
		r[i] = rate(&g->s[i][j]);
	qsort(r, (size_t)g->rounds, sizeof(r[0]), cmp_double);
	return g->rounds % 2 ? r[g->rounds / 2] : (r[g->rounds / 2 - 1] + r[g->rounds / 2]) / 2;
}

/* Median over the rounds of rate(phase num) / rate(phase den). */
static double median_ratio(const struct group *g, int num, int den)
{
	double r[MAX_ROUNDS];

	for (int i = 0; i < g->rounds; i++)
		r[i] = rate(&g->s[i][den]) > 0 ? rate(&g->s[i][num]) / rate(&g->s[i][den]) : 0;
	qsort(r, (size_t)g->rounds, sizeof(r[0]), cmp_double);
	return g->rounds % 2 ? r[g->rounds / 2] : (r[g->rounds / 2 - 1] + r[g->rounds / 2]) / 2;
}

static char root[4096];
static const char *base;
static int created_base;

/* At exit, also after a failure: remove the data. */
static void cleanup(void)
{
	if (root[0])
		rmtree(root);
	if (created_base)
		rmdir(base);
}

int main(void)
{
	const char *secs = getenv("LC_BENCH_SECONDS");
	char sub[4200];
	struct row rput = { 0 }, rget = { 0 }, acreate = { 0 }, athreads = { 0 }, aget = { 0 }, atok = { 0 };
	struct row moneshot = { 0 }, mstate = { 0 }, apw = { 0 };
	static struct group gdur, gget, gtok;
	int is_ram, missed = 0, nfig = 0;
	double t_start = now_s();

	setvbuf(stdout, NULL, _IOLBF, 0);
	only = getenv("LC_BENCH_ONLY");
	base = getenv("LC_BENCH_DIR");
	if (base == NULL || *base == '\0')
		base = "./bench-tmp";
	if (secs && atof(secs) > 0)
		phase_seconds = atof(secs);
	if (sodium_init() < 0) {
		fprintf(stderr, "bench-store: sodium_init failed\n");
		return 1;
	}
	if (mkdir(base, 0700) == 0)
		created_base = 1;
	else if (errno != EEXIST) {
		fprintf(stderr, "bench-store: cannot create %s: %s\n", base, strerror(errno));
		return 1;
	}
	snprintf(root, sizeof(root), "%s/bench-store-XXXXXX", base);
	if (mkdtemp(root) == NULL) {
		fprintf(stderr, "bench-store: mkdtemp in %s: %s\n", base, strerror(errno));
		root[0] = '\0';
		cleanup();
		return 1;
	}
	atexit(cleanup);
	raw_ids = calloc(MAX_IDS, sizeof(*raw_ids));
	api_ids = calloc(MAX_IDS, sizeof(*api_ids));
	if (raw_ids == NULL || api_ids == NULL) {
		fprintf(stderr, "bench-store: out of memory\n");
		return 1;
	}

	printf("libcloud %s bench-store: data in %s (%s), %.1f s per phase\n", LC_VERSION_STRING, root,
	       fs_name(root, &is_ram), phase_seconds);
	if (is_ram)
		printf("  WARNING: %s is in memory: fsync costs nothing, the durable figures mean little\n", root);

	snprintf(sub, sizeof(sub), "%s/raw", root);
	raw_open(sub);
	snprintf(sub, sizeof(sub), "%s/api", root);
	cloud = open_cloud(sub, LC_PWHASH_MIN);
	LC_OK_OR_DIE(lc_session_system(&sys, cloud));

	/* Each group alternates its phases in slices, so that none gets a calmer disk or CPU. */
	if (want("durable") || want("get"))
		interleave(&gdur, 6, 3, (struct row (*const[])(void)){ raw_put, api_create, api_create_threads },
			   (struct row *const[]){ &rput, &acreate, &athreads });
	if (want("get")) {
		size_t created_api = api_nids;

		api_collect_ids();
		raw_fill(api_nids);
		printf("  gets pick at random among %zu records in each database\n", api_nids);
		api_nids_created = created_api;
	}
	if (want("get"))
		interleave(&gget, 6, 2, (struct row (*const[])(void)){ raw_get, api_get },
			   (struct row *const[]){ &rget, &aget });
	if (want("token")) {
		make_token(cloud, sys, "bench", token, sizeof(token));
		mac_len = token_mac_len();
		interleave(&gtok, 6, 3, (struct row (*const[])(void)){ api_token, raw_mac_oneshot, raw_mac_state },
			   (struct row *const[]){ &atok, &moneshot, &mstate });
	}
	if (want("password")) {
		snprintf(sub, sizeof(sub), "%s/pw", root);
		apw = api_password(sub);
	}

	printf("\n  %-52s %10s %7s %13s %11s\n", "measure", "ops", "secs", "rate/s", "us/op");
	for (struct row *r = (struct row[]){ rput, acreate, athreads, rget, aget, moneshot, mstate, atok, apw },
			*end = r + 9; r < end; r++)
		if (r->what)
			print_row(r);

	printf("\n  %-46s %9s %9s   %-7s\n", "figure (same run)", "ratio", "median", "target");
	if (rput.ops && acreate.ops)
		nfig++, missed += !print_ratio("durable create: API 1 thread / raw put", &acreate, &rput,
						      median_ratio(&gdur, 1, 0), 0.7);
	if (rput.ops && athreads.ops)
		nfig++, missed += !print_ratio("durable create: API 16 threads / raw put", &athreads, &rput,
						      median_ratio(&gdur, 2, 0), 5.0);
	if (rget.ops && aget.ops)
		nfig++, missed += !print_ratio("get by id: API / raw mdb_get", &aget, &rget, median_ratio(&gget, 1, 0), 0.5);
	if (atok.ops) {
		double tr = rate(&atok);
		int ok = tr >= 500000;

		nfig++;
		printf("  %-46s %8.0f/s %7.0f/s  %-12s %s\n", "token validation, 1 thread", tr, median_rate(&gtok, 0),
		       ">= 500000/s", ok ? "met" : "MISSED");
		printf("  %-46s %8.0f/s   (keyed state copy: %.0f/s)\n", "  raw MAC beside it (keyed BLAKE2b-256)",
		       rate(&moneshot), rate(&mstate));
		printf("  %-46s %8.2fx %8.2fx\n", "  validation / raw MAC", tr / (rate(&moneshot) > 0 ? rate(&moneshot) : 1),
		       median_ratio(&gtok, 0, 1));
		missed += !ok;
	}

	printf("\n  %d of %d targets missed; records created: raw %zu, API %zu + %ld; %.1f s in all\n", missed, nfig,
	       raw_nids, api_nids_created ? api_nids_created : api_nids, threads_created, now_s() - t_start);

	lc_session_free(sys);
	lc_cloud_free(cloud);
	mdb_env_close(raw_env);
	free(raw_ids);
	free(api_ids);
	return 0; /* figures are reported, never asserted */
}
