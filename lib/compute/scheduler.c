/*
 * The scheduler: filters and weighers over an in-memory cache of the compute
 * hosts, then an authoritative check of the chosen host inside the write
 * transaction that allocates on it.
 *
 * The cache is a hint: it is rebuilt from the store after any host or
 * aggregate change, and each host's usage is refreshed after every commit
 * that changes it (by generation, so a late update never overwrites a newer
 * one). The check in the write transaction reads the host record itself:
 * LMDB serializes writers, so two placements can never both take the last
 * room on a host.
 */
#include "compute/compute.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

typedef struct hc_host {
	char id[LC__ID_TEXT];
	char *name;
	int az, hv, arch;
	unsigned char enabled, up;
	int64_t vcpus, mem, disk, cpu_r, ram_r, disk_r;
	int64_t vu, mu, du, running, gen;
	uint32_t agg_off, nagg;
} hc_host;

typedef struct hc_agg {
	lc__kv md;
	char *blob;
} hc_agg;

struct lc__hcache {
	hc_host *h;
	size_t n;
	hc_agg *a;
	size_t na;
	uint32_t *aggs; /* the aggregates of each host: h[i].agg_off .. + nagg */
	char **str;     /* interned strings (zones, hypervisor types, architectures) */
	size_t nstr, capstr;
	int64_t max_vcpus, max_mem, max_disk;
};

static const char *const filter_names[LC__NFILTERS] = {
	[LC__F_COMPUTE] = "ComputeFilter",
	[LC__F_REQUESTED_HOST] = "RequestedHostFilter",
	[LC__F_AZ] = "AvailabilityZoneFilter",
	[LC__F_RAM] = "RamFilter",
	[LC__F_CORE] = "CoreFilter",
	[LC__F_DISK] = "DiskFilter",
	[LC__F_AGGREGATE_SPECS] = "AggregateInstanceExtraSpecsFilter",
	[LC__F_CAPABILITIES] = "ComputeCapabilitiesFilter",
	[LC__F_IMAGE_PROPS] = "ImagePropertiesFilter",
	[LC__F_AFFINITY] = "ServerGroupAffinityFilter",
	[LC__F_ANTI_AFFINITY] = "ServerGroupAntiAffinityFilter",
	[LC__F_SAME_HOST] = "SameHostFilter",
	[LC__F_DIFFERENT_HOST] = "DifferentHostFilter",
};

void lc__hcache_free(lc__hcache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->h[i].name);
	for (size_t i = 0; i < c->na; i++)
		free(c->a[i].blob);
	for (size_t i = 0; i < c->nstr; i++)
		free(c->str[i]);
	free(c->h);
	free(c->a);
	free(c->aggs);
	free(c->str);
	free(c);
}

static int intern(lc__hcache *c, const char *s)
{
	if (s == NULL)
		s = "";
	for (size_t i = 0; i < c->nstr; i++)
		if (strcmp(c->str[i], s) == 0)
			return (int)i;
	if (c->nstr == c->capstr) {
		size_t cap = c->capstr ? 2 * c->capstr : 16;
		char **n = realloc(c->str, cap * sizeof(*n));

		if (n == NULL)
			return -1;
		c->str = n;
		c->capstr = cap;
	}
	c->str[c->nstr] = strdup(s);
	return c->str[c->nstr] ? (int)c->nstr++ : -1;
}

/* (host name, aggregate index) pairs, sorted by name, to find each host's aggregates. */
struct member {
	const char *host;
	uint32_t agg;
};

static int member_cmp(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->host, ((const struct member *)b)->host);
}

struct build {
	lc__hcache *c;
	struct member *m;
	size_t nm, capm;
	size_t caph, capa, capidx, nidx;
	int rc;
};

static int scan(lc__txn *t, const lc__shape *sh, int (*fn)(struct build *b, const lc__rec *r), struct build *b)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, ret = 0;

	rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, sh->db), &cur);
	if (rc)
		return lc__error_mdb(rc, sh->kind);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		lc__rec *r;

		if ((ret = lc__rec_decode(sh, v.mv_data, v.mv_size, &r)) < 0)
			break;
		ret = fn(b, r);
		lc__rec_free(r);
		if (ret < 0)
			break;
	}
	mdb_cursor_close(cur);
	if (ret < 0)
		return ret;
	return rc == MDB_NOTFOUND ? 0 : lc__error_mdb(rc, sh->kind);
}

static int add_aggregate(struct build *b, const lc__rec *r)
{
	lc__hcache *c = b->c;
	hc_agg *a;
	const lc__val *md = &r->v[AGG_METADATA];
	lc__strlist hosts;
	const char *az = lc__rec_str(r, AGG_AZ);
	size_t azl = az ? strlen(az) : 0;

	if (c->na == b->capa) {
		size_t cap = b->capa ? 2 * b->capa : 16;
		hc_agg *n = realloc(c->a, cap * sizeof(*n));

		if (n == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		c->a = n;
		b->capa = cap;
	}
	a = &c->a[c->na];
	memset(a, 0, sizeof(*a));
	/* own copy of the metadata, plus "availability_zone" as Nova shows it */
	a->blob = malloc((md->set ? md->len : 0) + azl + 32);
	if (a->blob == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	if (md->set && md->len)
		memcpy(a->blob, md->s, md->len);
	{
		lc__val v = { a->blob, md->set ? md->len : 0, 1, 0 };

		if (az) {
			memcpy(a->blob + v.len, "availability_zone", 18);
			memcpy(a->blob + v.len + 18, az, azl + 1);
			v.len += (uint32_t)(18 + azl + 1);
		}
		if (lc__kv_parse(&a->md, &v) < 0) {
			free(a->blob);
			return LC_ECORRUPT;
		}
	}
	c->na++;
	LC_TRY(lc__strlist_parse(&hosts, &r->v[AGG_HOSTS]));
	for (size_t i = 0; i < hosts.n; i++) {
		const char *host = hosts.s[i];

		if (b->nm == b->capm) {
			size_t cap = b->capm ? 2 * b->capm : 64;
			struct member *n = realloc(b->m, cap * sizeof(*n));

			if (n == NULL) {
				lc__strlist_free(&hosts);
				return lc__error_set(LC_ENOMEM, "out of memory");
			}
			b->m = n;
			b->capm = cap;
		}
		b->m[b->nm].host = strdup(host);
		if (b->m[b->nm].host == NULL) {
			lc__strlist_free(&hosts);
			return lc__error_set(LC_ENOMEM, "out of memory");
		}
		b->m[b->nm++].agg = (uint32_t)(c->na - 1);
	}
	lc__strlist_free(&hosts);
	return 0;
}

static int add_host(struct build *b, const lc__rec *r)
{
	lc__hcache *c = b->c;
	hc_host *h;
	struct member key, *m;

	if (c->n == b->caph) {
		size_t cap = b->caph ? 2 * b->caph : 64;
		hc_host *n = realloc(c->h, cap * sizeof(*n));

		if (n == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		c->h = n;
		b->caph = cap;
	}
	h = &c->h[c->n];
	memset(h, 0, sizeof(*h));
	snprintf(h->id, sizeof(h->id), "%s", lc__rec_str(r, HST_ID));
	h->name = strdup(lc__rec_str(r, HST_NAME));
	h->az = intern(c, lc__rec_str(r, HST_AZ));
	h->hv = intern(c, lc__rec_str(r, HST_HV_TYPE));
	h->arch = intern(c, lc__rec_str(r, HST_ARCH));
	if (h->name == NULL || h->az < 0 || h->hv < 0 || h->arch < 0) {
		free(h->name);
		return lc__error_set(LC_ENOMEM, "out of memory");
	}
	h->enabled = (unsigned char)lc__rec_int(r, HST_ENABLED);
	h->up = strcmp(lc__rec_str(r, HST_STATE), "up") == 0;
	h->vcpus = lc__rec_int(r, HST_VCPUS);
	h->mem = lc__rec_int(r, HST_MEM);
	h->disk = lc__rec_int(r, HST_DISK);
	h->cpu_r = lc__rec_int(r, HST_CPU_RATIO);
	h->ram_r = lc__rec_int(r, HST_RAM_RATIO);
	h->disk_r = lc__rec_int(r, HST_DISK_RATIO);
	h->vu = lc__rec_int(r, HST_VCPUS_USED);
	h->mu = lc__rec_int(r, HST_MEM_USED);
	h->du = lc__rec_int(r, HST_DISK_USED);
	h->running = lc__rec_int(r, HST_RUNNING);
	h->gen = lc__rec_int(r, HST_GEN);
	c->n++;
	if (h->vcpus * h->cpu_r / 1000 > c->max_vcpus)
		c->max_vcpus = h->vcpus * h->cpu_r / 1000;
	if (h->mem * h->ram_r / 1000 > c->max_mem)
		c->max_mem = h->mem * h->ram_r / 1000;
	if (h->disk * h->disk_r / 1000 > c->max_disk)
		c->max_disk = h->disk * h->disk_r / 1000;
	/* its aggregates */
	key.host = h->name;
	m = b->nm ? bsearch(&key, b->m, b->nm, sizeof(*b->m), member_cmp) : NULL;
	if (m == NULL)
		return 0;
	while (m > b->m && strcmp(m[-1].host, h->name) == 0)
		m--;
	h->agg_off = (uint32_t)b->nidx;
	for (; m < b->m + b->nm && strcmp(m->host, h->name) == 0; m++) {
		if (b->nidx == b->capidx) {
			size_t cap = b->capidx ? 2 * b->capidx : 64;
			uint32_t *n = realloc(c->aggs, cap * sizeof(*n));

			if (n == NULL)
				return lc__error_set(LC_ENOMEM, "out of memory");
			c->aggs = n;
			b->capidx = cap;
		}
		c->aggs[b->nidx++] = m->agg;
		h->nagg++;
	}
	return 0;
}

static int build(lc__compute *cs, lc__hcache **out)
{
	struct build b;
	lc__txn t;
	int rc;

	memset(&b, 0, sizeof(b));
	*out = NULL;
	b.c = calloc(1, sizeof(*b.c));
	if (b.c == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	rc = lc__store_read(cs->cloud->store, &t);
	if (rc == 0) {
		rc = scan(&t, &lc__aggregate_shape, add_aggregate, &b);
		if (rc == 0 && b.nm)
			qsort(b.m, b.nm, sizeof(*b.m), member_cmp);
		if (rc == 0)
			rc = scan(&t, &lc__host_shape, add_host, &b);
		lc__store_read_end(&t);
	}
	for (size_t i = 0; i < b.nm; i++)
		free((char *)b.m[i].host);
	free(b.m);
	if (rc < 0) {
		lc__hcache_free(b.c);
		return rc;
	}
	*out = b.c;
	return 0;
}

void lc__hcache_invalidate(lc__compute *cs)
{
	if (cs == NULL)
		return;
	pthread_rwlock_wrlock(&cs->lock);
	lc__hcache_free(cs->cache);
	cs->cache = NULL;
	pthread_rwlock_unlock(&cs->lock);
}

static hc_host *find_id(lc__hcache *c, const char *id)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(c->h[mid].id, id);

		if (cmp == 0)
			return &c->h[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void lc__hcache_usage(lc__compute *cs, const char *host_id, int64_t gen, int64_t vcpus_used, int64_t mem_used,
		      int64_t disk_used, int64_t running)
{
	hc_host *h;

	pthread_rwlock_wrlock(&cs->lock);
	if (cs->cache && (h = find_id(cs->cache, host_id)) != NULL && gen > h->gen) {
		h->gen = gen;
		h->vu = vcpus_used;
		h->mu = mem_used;
		h->du = disk_used;
		h->running = running;
	}
	pthread_rwlock_unlock(&cs->lock);
}

/* ---- matching extra specs against aggregate metadata (Nova's extra_specs_ops) ---- */

static int num(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return end != s && *end == '\0';
}

/* Does value satisfy requirement req ("<in> x", "s== x", ">= 3", "<or> a <or> b", or plain equality)? */
static int spec_match(const char *value, const char *req)
{
	double a, b;

	while (*req == ' ')
		req++;
	if (!strncmp(req, "<or>", 4)) {
		const char *p = req;

		while (p && (p = strstr(p, "<or>")) != NULL) {
			const char *start = p + 4, *next = strstr(start, "<or>");
			size_t len;

			while (*start == ' ')
				start++;
			len = next ? (size_t)(next - start) : strlen(start);
			while (len && start[len - 1] == ' ')
				len--;
			if (strlen(value) == len && strncmp(value, start, len) == 0)
				return 1;
			p = next;
		}
		return 0;
	}
#define OP(s) (strncmp(req, s, strlen(s)) == 0 && (req += strlen(s), 1))
	if (OP("<in>"))
		return strstr(value, req + strspn(req, " ")) != NULL;
	if (OP("s=="))
		return strcmp(value, req + strspn(req, " ")) == 0;
	if (OP("s!="))
		return strcmp(value, req + strspn(req, " ")) != 0;
	if (OP("s>="))
		return strcmp(value, req + strspn(req, " ")) >= 0;
	if (OP("s<="))
		return strcmp(value, req + strspn(req, " ")) <= 0;
	if (OP("s>"))
		return strcmp(value, req + strspn(req, " ")) > 0;
	if (OP("s<"))
		return strcmp(value, req + strspn(req, " ")) < 0;
	if (OP("=="))
		return num(value, &a) && num(req + strspn(req, " "), &b) && a == b;
	if (OP("!="))
		return !(num(value, &a) && num(req + strspn(req, " "), &b) && a == b);
	if (OP(">="))
		return num(value, &a) && num(req + strspn(req, " "), &b) && a >= b;
	if (OP("<="))
		return num(value, &a) && num(req + strspn(req, " "), &b) && a <= b;
	if (OP("=")) /* Nova: "= N" means at least N */
		return num(value, &a) && num(req + strspn(req, " "), &b) && a >= b;
#undef OP
	return strcmp(value, req) == 0;
}

#define MAX_SPECS 32

struct prep {
	size_t nspec;
	const char *spec_key[MAX_SPECS], *spec_req[MAX_SPECS];
	uint32_t *aggmask;        /* per aggregate: which specs it satisfies */
	uint32_t allmask;
	const char *cap_hv, *cap_arch;  /* flavor extra specs on capabilities */
	unsigned char *hv_ok, *arch_ok, *cap_hv_ok, *cap_arch_ok; /* per interned string */
	int az;                   /* interned id, -1 none requested, -2 unknown zone */
};

static int prepare(lc__hcache *c, const lc__sched_req *rq, struct prep *p)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; rq->extra_specs && i < rq->extra_specs->n; i++) {
		const char *k = rq->extra_specs->k[i];

		if (!strncmp(k, "aggregate_instance_extra_specs:", 31)) {
			if (p->nspec == MAX_SPECS)
				return lc__error_set(LC_EINVALID, "too many aggregate_instance_extra_specs (at most %d)",
						     MAX_SPECS);
			p->spec_key[p->nspec] = k + 31;
			p->spec_req[p->nspec++] = rq->extra_specs->v[i];
		} else if (!strcmp(k, "hypervisor_type") || !strcmp(k, "capabilities:hypervisor_type")) {
			p->cap_hv = rq->extra_specs->v[i];
		} else if (!strcmp(k, "cpu_arch") || !strcmp(k, "capabilities:cpu_arch")) {
			p->cap_arch = rq->extra_specs->v[i];
		}
	}
	p->allmask = p->nspec == 32 ? 0xffffffffu : (1u << p->nspec) - 1;
	p->aggmask = calloc(c->na ? c->na : 1, sizeof(*p->aggmask));
	p->hv_ok = calloc(4, c->nstr ? c->nstr : 1);
	if (p->aggmask == NULL || p->hv_ok == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	p->arch_ok = p->hv_ok + c->nstr;
	p->cap_hv_ok = p->arch_ok + c->nstr;
	p->cap_arch_ok = p->cap_hv_ok + c->nstr;
	for (size_t a = 0; a < c->na; a++)
		for (size_t s = 0; s < p->nspec; s++) {
			const char *v = lc__kv_get(&c->a[a].md, p->spec_key[s]);

			if (v && spec_match(v, p->spec_req[s]))
				p->aggmask[a] |= 1u << s;
		}
	for (size_t i = 0; i < c->nstr; i++) {
		p->hv_ok[i] = rq->hv_type == NULL || strcasecmp(rq->hv_type, c->str[i]) == 0;
		p->arch_ok[i] = rq->arch == NULL || strcasecmp(rq->arch, c->str[i]) == 0;
		p->cap_hv_ok[i] = p->cap_hv == NULL || spec_match(c->str[i], p->cap_hv) ||
				  strcasecmp(c->str[i], p->cap_hv) == 0;
		p->cap_arch_ok[i] = p->cap_arch == NULL || spec_match(c->str[i], p->cap_arch) ||
				    strcasecmp(c->str[i], p->cap_arch) == 0;
	}
	p->az = -1;
	if (rq->az) {
		p->az = -2;
		for (size_t i = 0; i < c->nstr; i++)
			if (strcmp(c->str[i], rq->az) == 0)
				p->az = (int)i;
	}
	return 0;
}

static double weigh(const lc__compute *cs, const lc__hcache *c, int64_t free_vcpus, int64_t free_mem,
		    int64_t free_disk)
{
	double w = 0;

	if (c->max_mem > 0)
		w += cs->conf.ram_mult * (double)free_mem / (double)c->max_mem;
	if (c->max_vcpus > 0)
		w += cs->conf.cpu_mult * (double)free_vcpus / (double)c->max_vcpus;
	if (c->max_disk > 0)
		w += cs->conf.disk_mult * (double)free_disk / (double)c->max_disk;
	return cs->conf.weigher == LC_SCHEDULER_PACK ? -w : w;
}

/* Filters on resources; the filter number that fails, or -1. */
static int resources(const lc__sched_req *rq, const char *name, int64_t vcpus, int64_t mem, int64_t disk,
		     int64_t cpu_r, int64_t ram_r, int64_t disk_r, int64_t vu, int64_t mu, int64_t du,
		     int64_t *fv, int64_t *fm, int64_t *fd)
{
	if (rq->self_host && strcmp(rq->self_host, name) == 0) {
		vu -= rq->self_vcpus;
		mu -= rq->self_ram;
		du -= rq->self_disk;
	}
	*fm = mem * ram_r / 1000 - mu;
	*fv = vcpus * cpu_r / 1000 - vu;
	*fd = disk * disk_r / 1000 - du;
	if (*fm < rq->ram)
		return LC__F_RAM;
	if (*fv < rq->vcpus)
		return LC__F_CORE;
	if (*fd < rq->disk)
		return LC__F_DISK;
	return -1;
}

static int group_filter(const lc__sched_req *rq, const lc__strlist *group_hosts, const char *name)
{
	if (rq->group_policy == NULL || group_hosts == NULL)
		return -1;
	if (!strcmp(rq->group_policy, "affinity") && group_hosts->n && !lc__strlist_has(group_hosts, name))
		return LC__F_AFFINITY;
	if (!strcmp(rq->group_policy, "anti-affinity") && lc__strlist_has(group_hosts, name))
		return LC__F_ANTI_AFFINITY;
	return -1;
}

static double soft_weight(const lc__sched_req *rq, const lc__strlist *group_hosts, const char *name)
{
	if (rq->group_policy == NULL || group_hosts == NULL || !lc__strlist_has(group_hosts, name))
		return 0;
	if (!strcmp(rq->group_policy, "soft-affinity"))
		return 10.0;
	if (!strcmp(rq->group_policy, "soft-anti-affinity"))
		return -10.0;
	return 0;
}

static int ensure_cache(lc__compute *cs)
{
	lc__hcache *c;

	pthread_rwlock_rdlock(&cs->lock);
	if (cs->cache)
		return 0;
	pthread_rwlock_unlock(&cs->lock);
	LC_TRY(build(cs, &c));
	pthread_rwlock_wrlock(&cs->lock);
	if (cs->cache == NULL)
		cs->cache = c;
	else
		lc__hcache_free(c);
	pthread_rwlock_unlock(&cs->lock);
	pthread_rwlock_rdlock(&cs->lock);
	if (cs->cache == NULL) { /* invalidated meanwhile: one more round */
		pthread_rwlock_unlock(&cs->lock);
		return ensure_cache(cs);
	}
	return 0;
}

int lc__schedule(lc__compute *cs, const lc__sched_req *rq, lc__sched_res *res)
{
	struct prep p;
	double wts[LC__SCHED_CAND_MAX];
	lc__hcache *c;
	int rc;

	memset(res, 0, sizeof(*res));
	LC_TRY(ensure_cache(cs)); /* returns holding the read lock */
	c = cs->cache;
	rc = prepare(c, rq, &p);
	res->nhosts = c->n;
	for (size_t i = 0; rc == 0 && i < c->n; i++) {
		const hc_host *h = &c->h[i];
		int64_t fv, fm, fd;
		int f = -1;
		double w;

		if (!h->enabled || !h->up)
			f = LC__F_COMPUTE;
		else if (rq->force_host && strcmp(rq->force_host, h->name) != 0)
			f = LC__F_REQUESTED_HOST;
		else if (p.az != -1 && p.az != h->az)
			f = LC__F_AZ;
		else if ((f = resources(rq, h->name, h->vcpus, h->mem, h->disk, h->cpu_r, h->ram_r, h->disk_r, h->vu,
					h->mu, h->du, &fv, &fm, &fd)) >= 0)
			;
		else if (p.nspec) {
			uint32_t m = 0;

			for (uint32_t k = 0; k < h->nagg; k++)
				m |= p.aggmask[c->aggs[h->agg_off + k]];
			if ((m & p.allmask) != p.allmask)
				f = LC__F_AGGREGATE_SPECS;
		}
		if (f < 0 && (!p.cap_hv_ok[h->hv] || !p.cap_arch_ok[h->arch]))
			f = LC__F_CAPABILITIES;
		if (f < 0 && (!p.hv_ok[h->hv] || !p.arch_ok[h->arch]))
			f = LC__F_IMAGE_PROPS;
		if (f < 0)
			f = group_filter(rq, rq->group_hosts, h->name);
		if (f < 0 && rq->same_hosts && rq->same_hosts->n && !lc__strlist_has(rq->same_hosts, h->name))
			f = LC__F_SAME_HOST;
		if (f < 0 && rq->different_hosts && lc__strlist_has(rq->different_hosts, h->name))
			f = LC__F_DIFFERENT_HOST;
		if (f >= 0) {
			res->eliminated[f]++;
			continue;
		}
		w = weigh(cs, c, fv, fm, fd) + soft_weight(rq, rq->group_hosts, h->name);
		/* keep the best LC__SCHED_CAND_MAX, best first */
		if (res->ncand == LC__SCHED_CAND_MAX && w <= wts[LC__SCHED_CAND_MAX - 1])
			continue;
		{
			size_t pos = res->ncand < LC__SCHED_CAND_MAX ? res->ncand++ : LC__SCHED_CAND_MAX - 1;

			while (pos > 0 && wts[pos - 1] < w) {
				wts[pos] = wts[pos - 1];
				memcpy(res->cand[pos], res->cand[pos - 1], LC__ID_TEXT);
				pos--;
			}
			wts[pos] = w;
			memcpy(res->cand[pos], h->id, LC__ID_TEXT);
		}
	}
	pthread_rwlock_unlock(&cs->lock);
	free(p.aggmask);
	free(p.hv_ok);
	return rc;
}

void lc__sched_explain(const lc__sched_res *res, const lc__sched_req *rq, char *buf, size_t sz)
{
	size_t off;
	int n;

	if (res->nhosts == 0) {
		snprintf(buf, sz, "No valid host was found: no compute host is registered.");
		return;
	}
	n = snprintf(buf, sz, "No valid host was found for %lld vCPU, %lld MiB RAM, %lld GiB disk: %zu hosts;",
		     (long long)rq->vcpus, (long long)rq->ram, (long long)rq->disk, res->nhosts);
	off = n > 0 && (size_t)n < sz ? (size_t)n : sz - 1;
	for (int f = 0; f < LC__NFILTERS; f++) {
		const char *why = "";

		if (res->eliminated[f] == 0)
			continue;
		switch (f) {
		case LC__F_COMPUTE: why = " (disabled or down)"; break;
		case LC__F_AZ: why = " (availability zone)"; break;
		case LC__F_RAM: why = " (not enough free RAM)"; break;
		case LC__F_CORE: why = " (not enough free vCPUs)"; break;
		case LC__F_DISK: why = " (not enough free disk)"; break;
		case LC__F_AGGREGATE_SPECS: why = " (aggregate metadata)"; break;
		case LC__F_IMAGE_PROPS: why = " (image's hypervisor_type/architecture)"; break;
		default: break;
		}
		n = snprintf(buf + off, sz - off, " %s eliminated %u%s,", filter_names[f], res->eliminated[f], why);
		if (n < 0 || (size_t)n >= sz - off)
			break;
		off += (size_t)n;
	}
	if (off > 0 && buf[off - 1] == ',')
		buf[off - 1] = '.';
	else if (res->ncand < rq->count && off + 60 < sz)
		snprintf(buf + off, sz - off, " %zu hosts passed, %u servers asked.", res->ncand, rq->count);
}

int lc__sched_check_host(lc__txn *t, lc__compute *cs, const lc__sched_req *rq, const lc__strlist *group_hosts,
			 const char *host_id, lc__rec **host_out, double *weight)
{
	lc__rec *h;
	int64_t fv, fm, fd;
	const char *name;
	int f;

	*host_out = NULL;
	LC_TRY(lc__rec_load(t, &lc__host_shape, host_id, &h));
	name = lc__rec_str(h, HST_NAME);
	f = !lc__rec_int(h, HST_ENABLED) || strcmp(lc__rec_str(h, HST_STATE), "up") != 0 ? LC__F_COMPUTE
	    : rq->force_host && strcmp(rq->force_host, name) != 0			    ? LC__F_REQUESTED_HOST
	    : rq->az && strcmp(rq->az, lc__rec_str(h, HST_AZ)) != 0			    ? LC__F_AZ
											    : -1;
	if (f < 0)
		f = resources(rq, name, lc__rec_int(h, HST_VCPUS), lc__rec_int(h, HST_MEM), lc__rec_int(h, HST_DISK),
			      lc__rec_int(h, HST_CPU_RATIO), lc__rec_int(h, HST_RAM_RATIO),
			      lc__rec_int(h, HST_DISK_RATIO), lc__rec_int(h, HST_VCPUS_USED),
			      lc__rec_int(h, HST_MEM_USED), lc__rec_int(h, HST_DISK_USED), &fv, &fm, &fd);
	if (f < 0)
		f = group_filter(rq, group_hosts, name);
	if (f >= 0) {
		lc__rec_free(h);
		return LC_EBUSY;
	}
	pthread_rwlock_rdlock(&cs->lock);
	if (cs->cache) {
		*weight = weigh(cs, cs->cache, fv, fm, fd);
	} else {
		lc__hcache tmp;

		memset(&tmp, 0, sizeof(tmp));
		tmp.max_mem = tmp.max_vcpus = tmp.max_disk = 1;
		*weight = weigh(cs, &tmp, fv, fm, fd);
	}
	pthread_rwlock_unlock(&cs->lock);
	*weight += soft_weight(rq, group_hosts, name);
	*host_out = h;
	return 0;
}
