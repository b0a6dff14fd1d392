/*
 * bench-compute: the compute figures (issue 5, "Figures"), measured in one
 * run on one file system, printed as rates, medians and ratios. Never
 * asserts a timing: it exits non-zero only when a call fails.
 *
 *   bench-compute          data under $LC_BENCH_DIR, default ./bench-tmp
 *
 * Environment:
 *   LC_BENCH_DIR      where to create the temporary data directories (not
 *                     tmpfs: fsync is the point of the first figure)
 *   LC_BENCH_ROUNDS   rounds of the create+delete figure (default 5, 1 s per side)
 *   LC_BENCH_SERVERS  servers for the listing figure (default 100000)
 *   LC_BENCH_MAXHOSTS largest fleet for the scheduling figure (default 100000)
 *   LC_BENCH_PASSES   listing passes per side (default 5)
 *   LC_BENCH_ONLY     a comma-separated subset of pairs,race,schedule,list
 *
 * Rows:
 *   raw pair       an LMDB env with default flags (durable): put of the bytes
 *                  of a stored server record under a new time-ordered id +
 *                  commit, then del + commit
 *   server pair    lc_server_create (validate, quota, schedule, allocate,
 *                  BUILD; fake spawn; ACTIVE) + lc_server_delete (deleting;
 *                  fake destroy; release, remove) on a cloud opened without
 *                  NOSYNC, one thread: four durable commits for the pair
 *   schedule       lc__schedule over N fake hosts with every filter in play
 *                  (enabled/up, zone, RAM, cores, disk, aggregate extra
 *                  specs, capabilities, image properties, anti-affinity,
 *                  different_host) and the spread weigher; one host in 30
 *                  is in the zone and the aggregate, one in 10 disabled;
 *                  median of 1000 calls on a warm cache; the same without
 *                  zone and aggregate spec (every enabled host passes and is
 *                  weighed: the worst case); then the whole placement (the
 *                  in-transaction check and allocation) as part of a
 *                  lc_server_create on a NOSYNC cloud
 *   list           lc_server_iter in pages of 1000 (a new iterator per page,
 *                  as a REST client pages with marker/limit) over N servers
 *                  of one project, each snapshot read (id, name, status) and
 *                  freed; against a raw cursor scan of the same database in
 *                  read transactions of 1000 records, each value copied out
 *                  (malloc + memcpy + free: what returning a record costs)
 *   race           64 threads create a server at once in a project whose
 *                  instances quota is 1
 */
#define BENCH_NAME "bench-compute"

#include <libcloud/libcloud.h>
#include <libcloud/sys/compute.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compute/compute.h"
#include "core/cloud.h"
#include "core/id.h"
#include "support/bench.h"

/* ---- a cloud with a project, a member, a flavor, an image ---- */

typedef struct bcloud {
	char dir[4096];
	lc_cloud *c;
	lc_session *sys, *member;
	char image[LC_ID_LEN + 1];
} bcloud;

static void bcloud_open(bcloud *b, const char *name, unsigned int flags)
{
	lc_cloud_opts co = LC_CLOUD_OPTS_INIT;
	lc_bootstrap_opts bo = LC_BOOTSTRAP_OPTS_INIT;
	lc_project_opts po = LC_PROJECT_OPTS_INIT;
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_auth_opts ao = LC_AUTH_OPTS_INIT;
	lc_grant gr = LC_GRANT_INIT;
	lc_image_opts io = LC_IMAGE_OPTS_INIT;
	lc_flavor_opts fo = LC_FLAVOR_OPTS_INIT;
	lc_project *p;
	lc_user *u;
	lc_role *r;
	lc_image *img;
	char path[4200];
	FILE *f;

	snprintf(b->dir, sizeof(b->dir), "%s/compute-%s-%d", base_dir(), name, (int)getpid());
	rmtree(b->dir);
	mkdir(base_dir(), 0700);
	co.pwhash_strength = LC_PWHASH_MIN;
	co.map_size_bytes = UINT64_C(1) << 30;
	LC_OK_OR_DIE(lc_cloud_new(&b->c, &co));
	LC_OK_OR_DIE(lc_cloud_open(b->c, b->dir, LC_CLOUD_OPEN_CREATE | flags));
	bo.admin_password = "bench-admin";
	LC_OK_OR_DIE(lc_cloud_bootstrap(b->c, &bo));
	LC_OK_OR_DIE(lc_session_system(&b->sys, b->c));
	po.name = "bench";
	LC_OK_OR_DIE(lc_project_create(&p, b->sys, &po));
	uo.name = "bench";
	uo.password = "bench-password";
	uo.default_project_id = lc_project_id(p);
	LC_OK_OR_DIE(lc_user_create(&u, b->sys, &uo));
	LC_OK_OR_DIE(lc_role_find(&r, b->sys, "member"));
	gr.role_id = lc_role_id(r);
	gr.user_id = lc_user_id(u);
	gr.project_id = lc_project_id(p);
	LC_OK_OR_DIE(lc_role_grant(b->sys, &gr));
	for (int k = LC_QUOTA_INSTANCES; k <= LC_QUOTA_RAM_MIB; k++)
		LC_OK_OR_DIE(lc_quota_set(b->sys, lc_project_id(p), k, LC_QUOTA_UNLIMITED));
	ao.user_name = "bench";
	ao.user_domain_id = "default";
	ao.password = "bench-password";
	ao.scope = LC_SCOPE_PROJECT;
	ao.project_id = lc_project_id(p);
	LC_OK_OR_DIE(lc_session_password(&b->member, b->c, &ao));
	lc_role_free(r);
	lc_user_free(u);
	lc_project_free(p);
	io.name = "img";
	io.visibility = "public";
	io.disk_format = "raw";
	io.container_format = "bare";
	io.properties = (const char *const[]){ "hypervisor_type", "fake", NULL };
	LC_OK_OR_DIE(lc_image_create(&img, b->sys, &io));
	snprintf(b->image, sizeof(b->image), "%s", lc_image_id(img));
	lc_image_free(img);
	snprintf(path, sizeof(path), "%s/img.raw", b->dir);
	f = fopen(path, "wb");
	for (int i = 0; i < 4096; i++)
		fputc(0, f);
	fclose(f);
	LC_OK_OR_DIE(lc_image_upload_file(NULL, b->sys, b->image, path, NULL));
	fo.id = "m1";
	fo.name = "m1";
	fo.vcpus = 1;
	fo.ram_mib = 256;
	fo.disk_gib = 1;
	LC_OK_OR_DIE(lc_flavor_create(NULL, b->sys, &fo));
}

static void bcloud_close(bcloud *b)
{
	lc_session_free(b->member);
	lc_session_free(b->sys);
	lc_cloud_free(b->c);
	rmtree(b->dir);
}

static void add_host(bcloud *b, const char *name, long vcpus, long mem_mib, long disk_gib)
{
	lc_compute_host_opts o = LC_COMPUTE_HOST_OPTS_INIT;
	char uri[256];

	snprintf(uri, sizeof(uri), "fake://%s?vcpus=%ld&memory_mib=%ld&disk_gib=%ld", name, vcpus, mem_mib, disk_gib);
	o.name = name;
	o.driver = "fake";
	o.uri = uri;
	LC_OK_OR_DIE(lc_compute_host_create(NULL, b->sys, &o));
}

static int create(bcloud *b, const char *flavor, lc_server **out)
{
	lc_server_opts o = LC_SERVER_OPTS_INIT;

	o.name = "bench";
	o.flavor_id = flavor;
	o.image_id = b->image;
	return lc_server_create(out, b->member, &o);
}

/* ---- figure 1: create+delete vs two raw durable commits ---- */

static bench_raw raw_db;
static char *rec;
static size_t rec_len;

/* Pairs of raw durable commits (put, then del) of a stored server record's bytes per second. */
static double raw_pairs(double secs)
{
	return bench_raw_pairs(&raw_db, rec, rec_len, secs);
}

static double server_pairs(bcloud *b, double secs)
{
	double t0 = now_s(), t;
	long n = 0;

	do {
		lc_server *v;
		char id[LC_ID_LEN + 1];

		LC_OK_OR_DIE(create(b, "m1", &v));
		if (strcmp(lc_server_status(v), "ACTIVE") != 0)
			die_lc("a server did not become ACTIVE", LC_ERROR);
		snprintf(id, sizeof(id), "%s", lc_server_id(v));
		lc_server_free(v);
		LC_OK_OR_DIE(lc_server_delete(b->member, id, 0));
		n++;
		t = now_s();
	} while (t - t0 < secs);
	return (double)n / (t - t0);
}

/* The stored bytes of a server record, for the raw side. */
static void grab_record(bcloud *b)
{
	lc_server *v;
	MDB_val k, val;
	lc__txn t;

	LC_OK_OR_DIE(create(b, "m1", &v));
	k.mv_size = LC_ID_LEN;
	k.mv_data = (void *)lc_server_id(v);
	LC_OK_OR_DIE(lc__store_read(b->c->store, &t));
	MDB_OK_OR_DIE(mdb_get(t.txn, lc__store_dbi(t.st, lc__server_shape.db), &k, &val));
	rec_len = val.mv_size;
	rec = malloc(rec_len);
	memcpy(rec, val.mv_data, rec_len);
	lc__store_read_end(&t);
	LC_OK_OR_DIE(lc_server_delete(b->member, lc_server_id(v), 0));
	lc_server_free(v);
}

static void figure_pairs(void)
{
	bcloud b;
	char rawdir[4200];
	long rounds = env_long("LC_BENCH_ROUNDS", 5);
	double raw = 0, srv = 0, ratios[64];

	if (rounds < 1 || rounds > 64)
		rounds = 5;
	bcloud_open(&b, "pairs", 0);
	add_host(&b, "node1", 1 << 20, 1 << 30, 1 << 30);
	grab_record(&b);
	snprintf(rawdir, sizeof(rawdir), "%s/raw", b.dir);
	bench_raw_open(&raw_db, rawdir, (size_t)1 << 28, NULL);
	printf("server create+delete vs two raw LMDB durable commits (record %zu bytes, %ld rounds of 1 s each):\n",
	       rec_len, rounds);
	for (long r = 0; r < rounds; r++) {
		double a = raw_pairs(1.0), s = server_pairs(&b, 1.0);

		raw += a;
		srv += s;
		ratios[r] = s / a;
	}
	qsort(ratios, (size_t)rounds, sizeof(ratios[0]), cmp_double);
	printf("  raw pair (put+commit, del+commit)                  %9.0f pairs/s\n", raw / rounds);
	printf("  server pair (create+delete, fake driver)           %9.0f pairs/s\n", srv / rounds);
	printf("  ratio (server pair rate / raw pair rate)           %6.2fx  median of rounds %.2fx  target >= 0.5x: %s\n\n",
	       srv / raw, ratios[rounds / 2], srv / raw >= 0.5 ? "met" : "MISSED");
	bench_raw_close(&raw_db);
	free(rec);
	bcloud_close(&b);
}

/* ---- figure 2: scheduling over 1k, 10k, 100k hosts ---- */

static void figure_schedule(void)
{
	long maxhosts = env_long("LC_BENCH_MAXHOSTS", 100000);
	long sizes[] = { 1000, 10000, 100000 };
	bcloud b;
	lc_compute_host_opts off = LC_COMPUTE_HOST_OPTS_INIT;
	lc_compute_host *h;
	lc_aggregate_opts ao = LC_AGGREGATE_OPTS_INIT;
	lc__strlist group = { 0 }, diff = { 0 };
	const char *ghosts[] = { "h7", "h11", "h13" };
	long have = 0;

	bcloud_open(&b, "sched", LC_CLOUD_OPEN_NOSYNC);
	LC_OK_OR_DIE(lc_flavor_set_extra_specs(NULL, b.sys, "m1",
					       (const char *const[]){ "aggregate_instance_extra_specs:ssd", "true",
								      "capabilities:hypervisor_type", "fake", NULL }));
	ao.name = "ssd";
	ao.availability_zone = "az1";
	LC_OK_OR_DIE(lc_aggregate_create(NULL, b.sys, &ao));
	LC_OK_OR_DIE(lc_aggregate_set_metadata(NULL, b.sys, "1", (const char *const[]){ "ssd", "true" }, 1));
	for (int i = 0; i < 3; i++)
		lc__strlist_add(&group, ghosts[i]);
	lc__strlist_add(&diff, "h5");
	printf("scheduling one server with every filter (median of 1000 calls on a warm host cache):\n");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]) && sizes[s] <= maxhosts; s++) {
		double t0 = now_s(), t1, lat[1000], wide[1000], place[200];
		lc__sched_req rq;
		lc__sched_res res;
		lc__kv specs;
		lc__compute *cs = lc__compute_of(b.c);
		char name[32];

		/* hosts h0..hN-1; one in 30 in the ssd/az1 aggregate; every tenth disabled */
		for (; have < sizes[s]; have++) {
			snprintf(name, sizeof(name), "h%ld", have);
			add_host(&b, name, 64, 262144, 4000);
			if (have % 30 == 0)
				LC_OK_OR_DIE(lc_aggregate_add_host(NULL, b.sys, "1", name));
			if (have % 10 == 1) {
				LC_OK_OR_DIE(lc_compute_host_find(&h, b.sys, name));
				off.enabled = 0;
				LC_OK_OR_DIE(lc_compute_host_update(NULL, b.sys, lc_compute_host_id(h), &off));
				lc_compute_host_free(h);
			}
		}
		t1 = now_s();
		memset(&rq, 0, sizeof(rq));
		specs.n = 2;
		specs.k[0] = "aggregate_instance_extra_specs:ssd";
		specs.v[0] = "true";
		specs.k[1] = "capabilities:hypervisor_type";
		specs.v[1] = "fake";
		rq.vcpus = 1;
		rq.ram = 256;
		rq.disk = 1;
		rq.count = 1;
		rq.az = "az1";
		rq.extra_specs = &specs;
		rq.hv_type = "fake";
		rq.arch = "x86_64";
		rq.group_policy = "anti-affinity";
		rq.group_hosts = &group;
		rq.different_hosts = &diff;
		LC_OK_OR_DIE(lc__schedule(cs, &rq, &res)); /* builds the cache */
		for (int i = 0; i < 1000; i++) {
			double a = now_s();

			LC_OK_OR_DIE(lc__schedule(cs, &rq, &res));
			lat[i] = now_s() - a;
		}
		qsort(lat, 1000, sizeof(lat[0]), cmp_double);
		/* the worst case: no zone, no aggregate spec: every enabled host passes and is weighed */
		{
			lc__sched_req all = rq;
			lc__kv caps;

			caps.n = 1;
			caps.k[0] = "capabilities:hypervisor_type";
			caps.v[0] = "fake";
			all.az = NULL;
			all.extra_specs = &caps;
			for (int i = 0; i < 1000; i++) {
				double a = now_s();

				LC_OK_OR_DIE(lc__schedule(cs, &all, &res));
				wide[i] = now_s() - a;
			}
			qsort(wide, 1000, sizeof(wide[0]), cmp_double);
		}
		/* the whole placement inside lc_server_create: schedule + in-transaction check + allocation */
		for (int i = 0; i < 200; i++) {
			lc_server_opts o = LC_SERVER_OPTS_INIT;
			lc_server *v;
			double a = now_s();

			o.name = "p";
			o.flavor_id = "m1";
			o.image_id = b.image;
			o.availability_zone = "az1";
			LC_OK_OR_DIE(lc_server_create(&v, b.member, &o));
			place[i] = now_s() - a;
			if (strcmp(lc_server_status(v), "ACTIVE") != 0)
				die_lc("placement", LC_ERROR);
			lc_server_free(v);
		}
		qsort(place, 200, sizeof(place[0]), cmp_double);
		printf("  %6ld hosts  schedule median %7.3f ms  p99 %7.3f ms   every host passing: median %7.3f ms"
		       "   whole create (NOSYNC) median %7.3f ms   [hosts registered in %.1f s]\n",
		       sizes[s], lat[500] * 1e3, lat[990] * 1e3, wide[500] * 1e3, place[100] * 1e3, t1 - t0);
		if (sizes[s] == 10000)
			printf("  10k hosts: target median < 1 ms: %s (every host passing: %s)\n", lat[500] < 1e-3 ? "met" : "MISSED",
			       wide[500] < 1e-3 ? "met" : "MISSED");
	}
	printf("\n");
	lc__strlist_free(&group);
	lc__strlist_free(&diff);
	bcloud_close(&b);
}

/* ---- figure 3: listing N servers in pages of 1000 ---- */

/* A raw pass over the server database in read transactions of 1000 records: copy each value out, or decode it. */
static long raw_scan(bcloud *b, int decode)
{
	char pos[64] = "";
	size_t plen = 0;
	long seen = 0;

	for (;;) {
		lc__txn t;
		MDB_cursor *cur;
		MDB_val k, v;
		int rc, n = 0;

		LC_OK_OR_DIE(lc__store_read(b->c->store, &t));
		MDB_OK_OR_DIE(mdb_cursor_open(t.txn, lc__store_dbi(t.st, lc__server_shape.db), &cur));
		if (plen) {
			k.mv_size = plen;
			k.mv_data = pos;
			rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
			if (rc == 0 && k.mv_size == plen && memcmp(k.mv_data, pos, plen) == 0)
				rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
		} else {
			rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
		}
		for (; rc == 0 && n < 1000; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			if (decode) {
				lc__rec *r;

				LC_OK_OR_DIE(lc__rec_decode(&lc__server_shape, v.mv_data, v.mv_size, &r));
				if (lc__rec_str(r, SRV_NAME) == NULL)
					fputc(0, stderr);
				lc__rec_free(r);
			} else {
				char *copy = malloc(v.mv_size);

				memcpy(copy, v.mv_data, v.mv_size);
				if (copy[0] == 0x7f && copy[1] == 0x7f)
					fputc(0, stderr); /* keep the copy from being optimized away */
				free(copy);
			}
			memcpy(pos, k.mv_data, k.mv_size);
			plen = k.mv_size;
			n++;
		}
		mdb_cursor_close(cur);
		lc__store_read_end(&t);
		seen += n;
		if (n < 1000)
			return seen;
	}
}

static void figure_list(void)
{
	long nservers = env_long("LC_BENCH_SERVERS", 100000), passes = env_long("LC_BENCH_PASSES", 5);
	bcloud b;
	double t0, t1, api = 0, raw = 0, rawdec = 0, best_api = 1e9, best_raw = 1e9;
	long seen = 0, rseen = 0;

	bcloud_open(&b, "list", LC_CLOUD_OPEN_NOSYNC);
	for (int i = 0; i < 10; i++) {
		char name[16];

		snprintf(name, sizeof(name), "n%d", i);
		add_host(&b, name, 1 << 20, 1 << 30, 1 << 30);
	}
	t0 = now_s();
	for (long i = 0; i < nservers; i++)
		LC_OK_OR_DIE(create(&b, "m1", NULL));
	t1 = now_s();
	printf("listing %ld servers of a project in pages of 1000 (created in %.1f s, %.0f creates/s NOSYNC):\n",
	       nservers, t1 - t0, nservers / (t1 - t0));
	if (passes < 1)
		passes = 5;
	for (long round = 0; round < passes; round++) {
		char marker[LC_ID_LEN + 1] = "";
		double a = now_s(), d;

		seen = 0;
		for (;;) {
			lc_list_opts lo = LC_LIST_OPTS_INIT;
			lc_server_iter *it;
			lc_server *v;
			int n = 0;

			lo.limit = 1000;
			lo.marker = marker[0] ? marker : NULL;
			LC_OK_OR_DIE(lc_server_iter_new(&it, b.member, &lo));
			while (lc_server_iter_next(&v, it) == 0) {
				if (lc_server_name(v)[0] == '\0' || lc_server_status(v) == NULL)
					die_lc("a server without a name", LC_ERROR);
				memcpy(marker, lc_server_id(v), LC_ID_LEN + 1);
				lc_server_free(v);
				n++;
			}
			lc_server_iter_free(it);
			seen += n;
			if (n < 1000)
				break;
		}
		d = now_s() - a;
		api += d;
		if (d < best_api)
			best_api = d;
		/* the raw side: the same database, pages of 1000 in read transactions, values copied out */
		a = now_s();
		rseen = raw_scan(&b, 0);
		d = now_s() - a;
		raw += d;
		if (d < best_raw)
			best_raw = d;
		a = now_s();
		if (raw_scan(&b, 1) != rseen)
			die_lc("the decoding scan saw a different number of records", LC_ERROR);
		rawdec += now_s() - a;
	}
	if (seen != nservers || rseen != nservers)
		die_lc("listing saw a different number of servers", LC_ERROR);
	printf("  raw cursor scan (pages of 1000, copy each value)   %9.0f records/s  (%.1f ms per pass)\n",
	       seen * passes / raw, raw / passes * 1e3);
	printf("  lc_server_iter (pages of 1000, marker)             %9.0f servers/s  (%.1f ms per pass)\n",
	       seen * passes / api, api / passes * 1e3);
	printf("  raw cursor scan + lc__rec_decode of each value     %9.0f records/s  (%.1f ms per pass)\n",
	       seen * passes / rawdec, rawdec / passes * 1e3);
	printf("  ratio (API rate / raw rate)                        %6.2fx  best passes %.2fx  target >= 0.5x: %s\n",
	       raw / api, best_raw / best_api, raw / api >= 0.5 ? "met" : "MISSED");
	printf("  ratio (API rate / raw scan that decodes records)   %6.2fx  (the cost outside the record codec)\n\n",
	       rawdec / api);
	bcloud_close(&b);
}

/* ---- figure 4: 64 concurrent creates at quota 1 ---- */

static bcloud *race_cloud;

static void *racer(void *p)
{
	(void)p;
	return (void *)(intptr_t)create(race_cloud, "m1", NULL);
}

static void figure_race(void)
{
	bcloud b;
	pthread_t th[64];
	int ok = 0, quota = 0, other = 0;
	int64_t used = -1;

	bcloud_open(&b, "race", 0);
	add_host(&b, "node1", 1 << 20, 1 << 30, 1 << 30);
	LC_OK_OR_DIE(lc_quota_set(b.sys, lc_session_project_id(b.member), LC_QUOTA_INSTANCES, 1));
	race_cloud = &b;
	for (int i = 0; i < 64; i++)
		pthread_create(&th[i], NULL, racer, NULL);
	for (int i = 0; i < 64; i++) {
		void *rc;

		pthread_join(th[i], &rc);
		if ((intptr_t)rc == 0)
			ok++;
		else if ((intptr_t)rc == LC_EQUOTA)
			quota++;
		else
			other++;
	}
	LC_OK_OR_DIE(lc_quota_get(NULL, &used, b.sys, lc_session_project_id(b.member), LC_QUOTA_INSTANCES));
	printf("64 concurrent creates at an instances quota of 1: %d succeeded, %d refused (quota), %d other; "
	       "instances in use %lld: %s\n\n",
	       ok, quota, other, (long long)used, ok == 1 && used == 1 ? "exactly one" : "WRONG");
	bcloud_close(&b);
}

int main(void)
{
	const char *only = getenv("LC_BENCH_ONLY");

	printf("bench-compute: data under %s\n\n", base_dir());
	if (only == NULL || strstr(only, "pairs"))
		figure_pairs();
	if (only == NULL || strstr(only, "race"))
		figure_race();
	if (only == NULL || strstr(only, "schedule"))
		figure_schedule();
	if (only == NULL || strstr(only, "list"))
		figure_list();
	return 0;
}
