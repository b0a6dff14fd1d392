/*
 * bench-network: the network figures (issue 6, "Figures"), measured in one
 * run on one file system, printed as rates and ratios. Never asserts a
 * timing: it exits non-zero only when a call fails.
 *
 *   bench-network          data under $LC_BENCH_DIR, default ./bench-tmp
 *
 * Environment:
 *   LC_BENCH_DIR      where to create the temporary data directories (not
 *                     tmpfs: fsync is the point of the first figure)
 *   LC_BENCH_ROUNDS   rounds of the port figure (default 5, 1 s per side)
 *
 * Rows:
 *   raw pair        an LMDB env with default flags (durable): put of a
 *                   port-sized record + commit, then del + commit
 *   port pair       lc_port_create (address from a /16, MAC, default
 *                   security group link, quota) + lc_port_delete on a cloud
 *                   opened without NOSYNC, one thread
 *   /16, ports      every address of a /16 allocated by lc_port_create, one by
 *                   one (NOSYNC: the CPU cost, not the disk's), cost per
 *                   allocation over the first 1k, around 16k and the last 1k
 *   /16, IPAM       the same with only lc__ipam_alloc, one write transaction
 *                   per address (NOSYNC)
 *   segments        65533 tenant VXLAN ids allocated one by one with
 *                   lc__segment_alloc (the default range 1..16777215), one
 *                   write transaction each; then every other id released
 *                   (32766 free ranges) and taken again: the cost per id
 *                   stays flat because the free ids are kept as ranges
 */
#define BENCH_NAME "bench-network"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cloud.h"
#include "core/id.h"
#include "network/net.h"
#include "support/bench.h"

#define SLASH16 65533 /* 10.0.0.2 .. 10.0.255.254 */
#define WINDOW 1000

/* ---- a cloud with a project, a network and a /16 ---- */

struct env {
	lc_cloud *c;
	lc_session *s;
	char net[40], sub[40];
};

static void env_open(struct env *e, const char *dir, unsigned int flags)
{
	lc_cloud_opts co = LC_CLOUD_OPTS_INIT;
	lc_bootstrap_opts bo = LC_BOOTSTRAP_OPTS_INIT;
	lc_auth_opts ao = LC_AUTH_OPTS_INIT;
	lc_network_opts no = LC_NETWORK_OPTS_INIT;
	lc_subnet_opts so = LC_SUBNET_OPTS_INIT;
	lc_network *n = NULL;
	lc_subnet *sn = NULL;

	co.pwhash_strength = LC_PWHASH_MIN;
	LC_OK_OR_DIE(lc_cloud_new(&e->c, &co));
	LC_OK_OR_DIE(lc_cloud_open(e->c, dir, LC_CLOUD_OPEN_CREATE | flags));
	bo.admin_password = "bench-password";
	LC_OK_OR_DIE(lc_cloud_bootstrap(e->c, &bo));
	ao.user_name = "admin";
	ao.user_domain_id = "default";
	ao.password = "bench-password";
	ao.scope = LC_SCOPE_PROJECT;
	ao.project_name = "admin";
	ao.project_domain_id = "default";
	LC_OK_OR_DIE(lc_session_password(&e->s, e->c, &ao));
	LC_OK_OR_DIE(lc_quota_set(e->s, lc_session_project_id(e->s), LC_QUOTA_PORTS, LC_QUOTA_UNLIMITED));
	no.name = "bench";
	LC_OK_OR_DIE(lc_network_create(&n, e->s, &no));
	so.network_id = lc_network_id(n);
	so.cidr = "10.0.0.0/16";
	LC_OK_OR_DIE(lc_subnet_create(&sn, e->s, &so));
	snprintf(e->net, sizeof(e->net), "%s", lc_network_id(n));
	snprintf(e->sub, sizeof(e->sub), "%s", lc_subnet_id(sn));
	lc_network_free(n);
	lc_subnet_free(sn);
}

static void env_close(struct env *e)
{
	lc_session_free(e->s);
	lc_cloud_free(e->c);
}

/* ---- figure 1: port create + delete vs two raw durable commits ---- */

static bench_raw raw_db;

/* Pairs of raw durable commits (put, then del) of a port-sized value per second, for secs seconds. */
static double raw_pairs(double secs)
{
	static char value[480]; /* about the encoded size of a port record */

	memset(value, 'p', sizeof(value));
	return bench_raw_pairs(&raw_db, value, sizeof(value), secs);
}

static double port_pairs(struct env *e, double secs)
{
	double t0 = now_s(), t;
	long n = 0;

	do {
		lc_port_opts o = LC_PORT_OPTS_INIT;
		lc_port *p = NULL;

		o.network_id = e->net;
		LC_OK_OR_DIE(lc_port_create(&p, e->s, &o));
		LC_OK_OR_DIE(lc_port_delete(e->s, lc_port_id(p), 0));
		lc_port_free(p);
		n++;
		t = now_s();
	} while (t - t0 < secs);
	return (double)n / (t - t0);
}

/* ---- figure 2: every address of a /16 ---- */

struct windows {
	double first, middle, last, total;
};

static void print_windows(const char *what, const struct windows *w)
{
	printf("  %-34s %9.2f %9.2f %9.2f %10.2f   %5.2fx\n", what, w->first, w->middle, w->last, w->total,
	       w->first > 0 ? w->last / w->first : 0);
}

/* Per-allocation microseconds over [0,1k), [15.5k,16.5k) and the last 1k. */
static void window_add(struct windows *w, long i, double dt)
{
	if (i < WINDOW)
		w->first += dt;
	else if (i >= 16384 - WINDOW / 2 && i < 16384 + WINDOW / 2)
		w->middle += dt;
	else if (i >= SLASH16 - WINDOW)
		w->last += dt;
}

static void window_end(struct windows *w, double total)
{
	w->first = w->first * 1e6 / WINDOW;
	w->middle = w->middle * 1e6 / WINDOW;
	w->last = w->last * 1e6 / WINDOW;
	w->total = total;
}

static struct windows fill_with_ports(struct env *e)
{
	struct windows w = { 0, 0, 0, 0 };
	double t0 = now_s();
	lc_port_opts o = LC_PORT_OPTS_INIT;
	int rc;

	o.network_id = e->net;
	for (long i = 0; i < SLASH16; i++) {
		double a = now_s();

		LC_OK_OR_DIE(lc_port_create(NULL, e->s, &o));
		window_add(&w, i, now_s() - a);
	}
	rc = lc_port_create(NULL, e->s, &o); /* the /16 is full now */
	if (rc != LC_ECONFLICT)
		die_lc("the allocation after the last address", rc == 0 ? LC_ERROR : rc);
	window_end(&w, now_s() - t0);
	return w;
}

struct alloc_ctx {
	const char *subnet;
	char owner[LC__ID_TEXT];
};

static int alloc_tx(lc__txn *t, void *p)
{
	struct alloc_ctx *c = p;
	lc__addr a;

	return lc__ipam_alloc(t, c->subnet, c->owner, &a);
}

struct setup_ctx {
	const char *subnet;
};

static int setup_tx(lc__txn *t, void *p)
{
	struct setup_ctx *c = p;
	lc__addr pool[2];
	int v;

	lc__ip_parse("10.0.0.2", &v, &pool[0]);
	lc__ip_parse("10.0.255.254", &v, &pool[1]);
	return lc__ipam_setup(t, c->subnet, pool, 1);
}

static struct windows fill_with_ipam(struct env *e)
{
	struct windows w = { 0, 0, 0, 0 };
	char subnet[LC__ID_TEXT];
	struct setup_ctx sc = { subnet };
	struct alloc_ctx ac = { subnet, "" };
	double t0;

	lc__id_new_text(subnet); /* a pool of its own, beside the real subnet's */
	lc__id_new_text(ac.owner);
	LC_OK_OR_DIE(lc__store_write(e->c->store, setup_tx, &sc));
	t0 = now_s();
	for (long i = 0; i < SLASH16; i++) {
		double a = now_s();

		LC_OK_OR_DIE(lc__store_write(e->c->store, alloc_tx, &ac));
		window_add(&w, i, now_s() - a);
	}
	if (lc__store_write(e->c->store, alloc_tx, &ac) != LC_ECONFLICT)
		die_lc("the allocation after the last address", LC_ERROR);
	window_end(&w, now_s() - t0);
	return w;
}

struct seg_ctx {
	const lc__netconf *cf;
	int64_t id;
};

static int seg_alloc_tx(lc__txn *t, void *p)
{
	struct seg_ctx *c = p;
	const char *type, *physnet;

	return lc__segment_alloc(t, c->cf, NULL, NULL, &type, &physnet, &c->id);
}

/* Release the odd ids 3..SLASH16 (id 1 is the bench network's). */
static int seg_release_odd_tx(lc__txn *t, void *p)
{
	(void)p;
	for (int64_t id = 3; id <= SLASH16; id += 2) {
		int rc = lc__segment_release(t, "vxlan", NULL, id);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Allocate n ids, each step after the previous; windows: the first 1k, around 16k, the last 1k. */
static struct windows fill_segments(struct env *e, long n, int64_t step)
{
	struct windows w = { 0, 0, 0, 0 };
	struct seg_ctx c = { &lc__net_of(e->c)->conf, 0 };
	double t0 = now_s();
	int64_t prev = -1;

	for (long i = 0; i < n; i++) {
		double a = now_s(), dt;

		LC_OK_OR_DIE(lc__store_write(e->c->store, seg_alloc_tx, &c));
		dt = now_s() - a;
		if (i < WINDOW)
			w.first += dt;
		else if (i >= 16384 - WINDOW / 2 && i < 16384 + WINDOW / 2)
			w.middle += dt;
		else if (i >= n - WINDOW)
			w.last += dt;
		if (prev >= 0 && c.id != prev + step)
			die_lc("segment ids out of order", LC_ERROR);
		prev = c.id;
	}
	window_end(&w, now_s() - t0);
	return w;
}

int main(void)
{
	const char *base = base_dir();
	int rounds = (int)env_long("LC_BENCH_ROUNDS", 5);
	char dir[4096], raw[4200], cloud[4200], fast[4200];
	double raw_rate = 0, port_rate = 0, ratios[64];
	struct env e;
	struct windows wp, wi, ws, wf;

	if (rounds < 1 || rounds > 64)
		rounds = 5;
	mkdir(base, 0700);
	snprintf(dir, sizeof(dir), "%s/network-XXXXXX", base);
	if (mkdtemp(dir) == NULL) {
		perror("bench-network: mkdtemp");
		return 1;
	}
	snprintf(raw, sizeof(raw), "%s/raw", dir);
	snprintf(cloud, sizeof(cloud), "%s/cloud", dir);
	snprintf(fast, sizeof(fast), "%s/nosync", dir);

	printf("bench-network: data under %s\n\n", dir);
	bench_raw_open(&raw_db, raw, (size_t)1 << 30, "port");
	env_open(&e, cloud, 0);
	(void)raw_pairs(0.3); /* warm up both */
	(void)port_pairs(&e, 0.3);
	for (int r = 0; r < rounds; r++) {
		double a = raw_pairs(1.0), b = port_pairs(&e, 1.0);

		raw_rate += a;
		port_rate += b;
		ratios[r] = b / a;
	}
	raw_rate /= rounds;
	port_rate /= rounds;
	qsort(ratios, (size_t)rounds, sizeof(ratios[0]), cmp_double);
	printf("Port create+delete (durable, 1 thread) vs two raw LMDB durable commits, %d rounds of 1 s:\n", rounds);
	printf("  %-52s %10.0f pairs/s %8.1f us/pair\n", "raw LMDB put+commit, del+commit", raw_rate, 1e6 / raw_rate);
	printf("  %-52s %10.0f pairs/s %8.1f us/pair\n", "lc_port_create + lc_port_delete", port_rate, 1e6 / port_rate);
	printf("  ratio (port pair rate / raw pair rate)             %6.2fx  median of rounds %.2fx  target >= 0.5x: %s\n\n",
	       port_rate / raw_rate, ratios[rounds / 2], port_rate / raw_rate >= 0.5 ? "met" : "MISSED");
	env_close(&e);
	bench_raw_close(&raw_db);

	env_open(&e, fast, LC_CLOUD_OPEN_NOSYNC);
	wi = fill_with_ipam(&e);
	wp = fill_with_ports(&e);
	printf("Allocating every address of a /16 one by one (%d addresses, NOSYNC: CPU cost):\n", SLASH16);
	printf("  %-34s %9s %9s %9s %10s   %s\n", "us per allocation", "first 1k", "at 16k", "last 1k", "total s",
	       "last/first");
	print_windows("lc__ipam_alloc, 1 write txn each", &wi);
	print_windows("lc_port_create", &wp);
	printf("  (a flat last/first ratio means the total grows linearly: no allocation walks the used set)\n\n");
	ws = fill_segments(&e, SLASH16, 1);
	LC_OK_OR_DIE(lc__store_write(e.c->store, seg_release_odd_tx, NULL));
	wf = fill_segments(&e, (SLASH16 - 1) / 2, 2);
	printf("Allocating tenant VXLAN segment ids one by one (1 write txn each, NOSYNC):\n");
	printf("  %-34s %9s %9s %9s %10s   %s\n", "us per allocation", "first 1k", "at 16k", "last 1k", "total s",
	       "last/first");
	print_windows("65533 ids from 1..16777215", &ws);
	print_windows("32766 ids, every other one free", &wf);
	env_close(&e);
	rmtree(dir);
	return 0;
}
