/*
 * Crash test (issue 2, "Durability"): a mutation is durable when the call
 * returns.
 *
 * A child process opens the cloud (durable: no NOSYNC) and runs WRITERS
 * threads of mixed identity mutations: projects (some nested), users (some
 * with passwords and default projects), custom roles, grants on projects,
 * the domain and the system, updates, revocations and deletes (with their
 * cascades), plus requests that must fail and change nothing. Before each
 * call a thread writes its intent to a pipe ("<t> I <op>"), after the call
 * returns success the acknowledged mutation ("<t> A <op>"). The parent keeps
 * a model from the acknowledged lines and SIGKILLs the child at a random
 * moment, then reopens the cloud and checks that:
 *   - the one call per thread in flight at the kill took effect entirely or
 *     not at all;
 *   - the store holds exactly the model: every acknowledged create exists
 *     with its attributes, every delete and revoke is gone, every grant is
 *     there, and nothing else is;
 *   - every index agrees with its records: find by name gives the id that get
 *     gives, a listing filtered by name finds exactly the record, retired
 *     names find nothing, passwords authenticate; and, read raw from LMDB,
 *     every index database holds exactly the entries the records imply;
 *   - the cloud still accepts writes.
 * Writer t owns the objects it creates, so threads never race on one object
 * and the model stays exact. KILLS rounds; the data directory carries over.
 *
 * LC_CRASH_SEED=<n> replays a run (the seed is logged).
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <errno.h>
#include <lmdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libcloud/libcloud.h>

#include "testutil.h"

#define WRITERS 4
#define KILLS 20
#define SLOTS (WRITERS + 1) /* writer t owns slot t */
#define BASE WRITERS        /* what bootstrap made, and the post-crash writes */
#define IDSZ 40
#define NAMESZ 72
#define TARGETSZ (IDSZ + 4)
#define LINESZ 512
#define STALL_SECONDS 30
#define CHILD_SECONDS 30.0 /* for all the children together: rounds end early on a slow machine */

enum { PRJ, USR, ROL, NKINDS };
static const char *const kind_name[NKINDS] = { "project", "user", "role" };

/* ---- the model ---- */

struct obj {
	char id[IDSZ];
	char name[NAMESZ];
	char ref[IDSZ];     /* project: parent id; user: default project id; "" if none */
	char desc[NAMESZ];  /* "" if none */
	char pw[NAMESZ];    /* user: password, "" if none */
	int enabled;
	int alive;
};

struct grant {
	char user[IDSZ], role[IDSZ], target[TARGETSZ]; /* target: "p:<id>", "d:<id>" or "s" */
	int alive;
};

struct names {
	char (*v)[NAMESZ];
	size_t n, cap;
};

struct slot {
	struct obj *o[NKINDS];
	size_t n[NKINDS], cap[NKINDS];
	struct grant *g;
	size_t ng, capg;
	struct names retired[NKINDS]; /* names no record may have any more */
	unsigned seq;
};

static struct slot model[SLOTS];
static unsigned round_no;

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (q == NULL)
		abort();
	return q;
}

static void copy(char *dst, size_t sz, const char *src)
{
	size_t n = 0;

	if (src && strcmp(src, "-") != 0) {
		n = strnlen(src, sz - 1);
		memcpy(dst, src, n);
	}
	dst[n] = '\0';
}

static const char *dash(const char *s)
{
	return s && *s ? s : "-";
}

static struct obj *obj_add(struct slot *s, int k)
{
	struct obj *o;

	if (s->n[k] == s->cap[k]) {
		s->cap[k] = s->cap[k] ? 2 * s->cap[k] : 64;
		s->o[k] = xrealloc(s->o[k], s->cap[k] * sizeof(*s->o[k]));
	}
	o = &s->o[k][s->n[k]++];
	memset(o, 0, sizeof(*o));
	o->alive = 1;
	o->enabled = 1;
	return o;
}

static struct obj *obj_find(struct slot *s, int k, const char *id)
{
	for (size_t i = 0; i < s->n[k]; i++)
		if (strcmp(s->o[k][i].id, id) == 0)
			return &s->o[k][i];
	return NULL;
}

static void retire(struct slot *s, int k, const char *name)
{
	struct names *r = &s->retired[k];

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	copy(r->v[r->n++], NAMESZ, name);
}

static struct grant *grant_find(struct slot *s, const char *user, const char *role, const char *target)
{
	for (size_t i = 0; i < s->ng; i++)
		if (!strcmp(s->g[i].user, user) && !strcmp(s->g[i].role, role) && !strcmp(s->g[i].target, target))
			return &s->g[i];
	return NULL;
}

static void grant_set(struct slot *s, const char *user, const char *role, const char *target, int alive)
{
	struct grant *g = grant_find(s, user, role, target);

	if (g == NULL && alive) {
		if (s->ng == s->capg) {
			s->capg = s->capg ? 2 * s->capg : 64;
			s->g = xrealloc(s->g, s->capg * sizeof(*s->g));
		}
		g = &s->g[s->ng++];
		copy(g->user, sizeof(g->user), user);
		copy(g->role, sizeof(g->role), role);
		copy(g->target, sizeof(g->target), target);
	}
	if (g)
		g->alive = alive;
}

/* Drop the grants a delete takes with it: field 0 user, 1 role, 2 target. */
static void grants_purge(struct slot *s, int field, const char *value)
{
	for (size_t i = 0; i < s->ng; i++) {
		struct grant *g = &s->g[i];
		const char *v = field == 0 ? g->user : field == 1 ? g->role : g->target;

		if (strcmp(v, value) == 0)
			g->alive = 0;
	}
}

static void obj_kill(struct slot *s, int k, struct obj *o)
{
	char target[TARGETSZ];

	o->alive = 0;
	retire(s, k, o->name);
	if (k == PRJ) {
		snprintf(target, sizeof(target), "p:%s", o->id);
		grants_purge(s, 2, target);
	} else {
		grants_purge(s, k == USR ? 0 : 1, o->id);
	}
}

static void obj_rename(struct slot *s, int k, struct obj *o, const char *name)
{
	if (strcmp(o->name, name) != 0) {
		retire(s, k, o->name);
		copy(o->name, sizeof(o->name), name);
	}
}

/*
 * Apply an acknowledged mutation to slot s. Lines (fields separated by one
 * space, "-" for none):
 *   P+ id name parent desc        Pu id name desc enabled       P- id
 *   U+ id name defproj desc pw    Uu id name defproj desc enabled pw   U- id
 *   R+ id name                    Ru id name                    R- id
 *   G+ user role target           G- user role target
 * Returns 0, or -1 if the line is malformed or names an unknown object.
 */
static int apply(struct slot *s, const char *line)
{
	char op[4], a[6][NAMESZ + 8];
	int n, k;
	struct obj *o;

	memset(a, 0, sizeof(a));
	n = sscanf(line, "%3s %79s %79s %79s %79s %79s %79s", op, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (n < 2)
		return -1;
	k = op[0] == 'P' ? PRJ : op[0] == 'U' ? USR : op[0] == 'R' ? ROL : -1;
	if (op[0] == 'G') {
		if (n != 4)
			return -1;
		grant_set(s, a[0], a[1], a[2], op[1] == '+');
		return 0;
	}
	if (k < 0)
		return -1;
	if (op[1] == '+') {
		if (n != (k == PRJ ? 5 : k == USR ? 6 : 3))
			return -1;
		o = obj_add(s, k);
		copy(o->id, sizeof(o->id), a[0]);
		copy(o->name, sizeof(o->name), a[1]);
		if (k == PRJ) {
			copy(o->ref, sizeof(o->ref), a[2]);
			copy(o->desc, sizeof(o->desc), a[3]);
		} else if (k == USR) {
			copy(o->ref, sizeof(o->ref), a[2]);
			copy(o->desc, sizeof(o->desc), a[3]);
			copy(o->pw, sizeof(o->pw), a[4]);
		}
		return 0;
	}
	o = obj_find(s, k, a[0]);
	if (o == NULL || !o->alive)
		return -1;
	if (op[1] == '-') {
		obj_kill(s, k, o);
		return 0;
	}
	if (op[1] != 'u' || n != (k == PRJ ? 5 : k == USR ? 7 : 3))
		return -1;
	obj_rename(s, k, o, a[1]);
	if (k == PRJ) {
		copy(o->desc, sizeof(o->desc), a[2]);
		o->enabled = atoi(a[3]);
	} else if (k == USR) {
		copy(o->ref, sizeof(o->ref), a[2]);
		copy(o->desc, sizeof(o->desc), a[3]);
		o->enabled = atoi(a[4]);
		copy(o->pw, sizeof(o->pw), a[5]);
	}
	return 0;
}

static void model_free(void)
{
	for (int t = 0; t < SLOTS; t++) {
		for (int k = 0; k < NKINDS; k++) {
			free(model[t].o[k]);
			free(model[t].retired[k].v);
		}
		free(model[t].g);
	}
	memset(model, 0, sizeof(model));
}

/* ---- random numbers (xorshift64*) ---- */

static uint64_t rnd(uint64_t *st)
{
	uint64_t x = *st;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*st = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static unsigned below(uint64_t *st, unsigned n)
{
	return n ? (unsigned)(rnd(st) % n) : 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the child: writers ---- */

struct writer {
	lc_cloud *c;
	lc_session *s;
	struct slot *m;
	int t, fd;
	uint64_t rng;
};

static void emit(struct writer *w, char tag, const char *fmt, ...)
{
	char buf[LINESZ];
	va_list ap;
	int n = snprintf(buf, sizeof(buf), "%d %c ", w->t, tag);

	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	/* one write of less than PIPE_BUF bytes: atomic, never interleaved */
	while (write(w->fd, buf, (size_t)n) < 0)
		if (errno != EINTR)
			_exit(4);
}

static void child_fail(struct writer *w, const char *what, int rc)
{
	emit(w, 'E', "%s: %s (%s)", what, lc_strerror(rc), lc_error_last()->message);
	_exit(3);
}

/* Run a mutation that must succeed: intent, call, acknowledgement, model. */
#define MUTATE(w, call, ...)                                            \
	do {                                                            \
		int rc_;                                                \
		emit(w, 'I', __VA_ARGS__);                              \
		rc_ = (call);                                           \
		if (rc_ < 0)                                            \
			child_fail(w, #call, rc_);                      \
	} while (0)

static void ack(struct writer *w, const char *fmt, ...)
{
	char line[LINESZ];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	emit(w, 'A', "%s", line);
	if (apply(w->m, line) < 0) {
		emit(w, 'E', "model rejects its own line: %s", line);
		_exit(3);
	}
}

/* A request that must fail with `want` and change nothing. */
static void expect_fail(struct writer *w, const char *what, int rc, int want)
{
	if (rc != want) {
		emit(w, 'E', "%s gave %s, not %s (%s)", what, lc_strerror(rc), lc_strerror(want),
		     lc_error_last()->message);
		_exit(3);
	}
}

/* A random live object of kind k in w's slot, or NULL. */
static struct obj *pick(struct writer *w, struct slot *s, int k)
{
	size_t alive = 0, i, want;

	for (i = 0; i < s->n[k]; i++)
		alive += s->o[k][i].alive;
	if (alive == 0)
		return NULL;
	want = below(&w->rng, (unsigned)alive);
	for (i = 0; i < s->n[k]; i++)
		if (s->o[k][i].alive && want-- == 0)
			return &s->o[k][i];
	return NULL;
}

static struct obj *pick_base_role(struct writer *w)
{
	struct slot *b = &model[BASE];
	struct obj *o;

	for (int tries = 0; tries < 16; tries++) {
		o = pick(w, b, ROL);
		if (o && (!strcmp(o->name, "member") || !strcmp(o->name, "reader")))
			return o;
	}
	return NULL;
}

static void new_name(struct writer *w, char prefix, char out[NAMESZ])
{
	snprintf(out, NAMESZ, "%c%u-%d-%u", prefix, round_no, w->t, w->m->seq++);
}

static void new_desc(struct writer *w, char out[NAMESZ])
{
	snprintf(out, NAMESZ, "d%llx", (unsigned long long)(rnd(&w->rng) & 0xffffff));
}

/* 1 if a live project or user of the slot refers to project id. */
static int project_in_use(struct slot *s, const char *id)
{
	for (int k = PRJ; k <= USR; k++)
		for (size_t i = 0; i < s->n[k]; i++)
			if (s->o[k][i].alive && strcmp(s->o[k][i].ref, id) == 0)
				return 1;
	return 0;
}

static void fill_grant(lc_grant *g, const char *user, const char *role, const char *target)
{
	lc_grant init = LC_GRANT_INIT;

	*g = init;
	g->user_id = user;
	g->role_id = role;
	if (target[0] == 'p')
		g->project_id = target + 2;
	else if (target[0] == 'd')
		g->domain_id = target + 2;
	else
		g->system = 1;
}

static void op_project_create(struct writer *w)
{
	lc_project_opts po = LC_PROJECT_OPTS_INIT;
	char name[NAMESZ], desc[NAMESZ] = "";
	struct obj *parent = below(&w->rng, 10) < 3 ? pick(w, w->m, PRJ) : NULL;
	lc_project *p = NULL;

	new_name(w, 'p', name);
	if (below(&w->rng, 2))
		new_desc(w, desc);
	po.name = name;
	po.parent_id = parent ? parent->id : NULL;
	po.description = desc[0] ? desc : NULL;
	MUTATE(w, lc_project_create(&p, w->s, &po), "P+ ? %s %s %s", name, dash(po.parent_id), dash(desc));
	ack(w, "P+ %s %s %s %s", lc_project_id(p), name, dash(po.parent_id), dash(desc));
	lc_project_free(p);
}

static void op_project_update(struct writer *w)
{
	lc_project_opts po = LC_PROJECT_OPTS_INIT;
	struct obj *o = pick(w, w->m, PRJ);
	char name[NAMESZ], desc[NAMESZ];
	int enabled;

	if (o == NULL) {
		op_project_create(w);
		return;
	}
	copy(name, sizeof(name), o->name);
	copy(desc, sizeof(desc), o->desc);
	enabled = o->enabled;
	if (below(&w->rng, 2))
		new_name(w, 'p', name), po.name = name;
	if (below(&w->rng, 2))
		new_desc(w, desc), po.description = desc;
	if (below(&w->rng, 3) == 0)
		enabled = !enabled, po.enabled = enabled;
	if (po.name == NULL && po.description == NULL && po.enabled == LC_UNSET)
		new_name(w, 'p', name), po.name = name;
	MUTATE(w, lc_project_update(NULL, w->s, o->id, &po), "Pu %s %s %s %d", o->id, name, dash(desc), enabled);
	ack(w, "Pu %s %s %s %d", o->id, name, dash(desc), enabled);
}

static void op_project_delete(struct writer *w)
{
	struct slot *s = w->m;
	struct obj *o = NULL;
	size_t start = below(&w->rng, (unsigned)s->n[PRJ]);

	for (size_t i = 0; i < s->n[PRJ] && o == NULL; i++) {
		struct obj *c = &s->o[PRJ][(start + i) % s->n[PRJ]];
		if (c->alive && !project_in_use(s, c->id))
			o = c;
	}
	if (o == NULL) {
		op_project_create(w);
		return;
	}
	MUTATE(w, lc_project_delete(w->s, o->id, 0), "P- %s", o->id);
	ack(w, "P- %s", o->id);
}

static void op_user_create(struct writer *w)
{
	lc_user_opts uo = LC_USER_OPTS_INIT;
	char name[NAMESZ], desc[NAMESZ] = "", pw[NAMESZ] = "";
	struct obj *dp = below(&w->rng, 10) < 4 ? pick(w, w->m, PRJ) : NULL;
	lc_user *u = NULL;

	new_name(w, 'u', name);
	if (below(&w->rng, 3) == 0)
		new_desc(w, desc);
	if (below(&w->rng, 3) == 0)
		snprintf(pw, sizeof(pw), "pw%llx", (unsigned long long)(rnd(&w->rng) & 0xffffffff));
	uo.name = name;
	uo.default_project_id = dp ? dp->id : NULL;
	uo.description = desc[0] ? desc : NULL;
	uo.password = pw[0] ? pw : NULL;
	MUTATE(w, lc_user_create(&u, w->s, &uo), "U+ ? %s %s %s %s", name, dash(uo.default_project_id), dash(desc),
	       dash(pw));
	ack(w, "U+ %s %s %s %s %s", lc_user_id(u), name, dash(uo.default_project_id), dash(desc), dash(pw));
	lc_user_free(u);
}

static void op_user_update(struct writer *w)
{
	lc_user_opts uo = LC_USER_OPTS_INIT;
	struct obj *o = pick(w, w->m, USR), *dp;
	char name[NAMESZ], ref[IDSZ], desc[NAMESZ], pw[NAMESZ];
	int enabled;

	if (o == NULL) {
		op_user_create(w);
		return;
	}
	copy(name, sizeof(name), o->name);
	copy(ref, sizeof(ref), o->ref);
	copy(desc, sizeof(desc), o->desc);
	copy(pw, sizeof(pw), o->pw);
	enabled = o->enabled;
	if (below(&w->rng, 2))
		new_name(w, 'u', name), uo.name = name;
	if (below(&w->rng, 3) == 0) {
		dp = below(&w->rng, 4) ? pick(w, w->m, PRJ) : NULL;
		copy(ref, sizeof(ref), dp ? dp->id : "");
		uo.default_project_id = ref; /* "" clears it */
	}
	if (below(&w->rng, 3) == 0)
		new_desc(w, desc), uo.description = desc;
	if (below(&w->rng, 4) == 0)
		enabled = !enabled, uo.enabled = enabled;
	if (below(&w->rng, 6) == 0) { /* a new password comes with a new name: the name tells whether it landed */
		snprintf(pw, sizeof(pw), "pw%llx", (unsigned long long)(rnd(&w->rng) & 0xffffffff));
		uo.password = pw;
		new_name(w, 'u', name), uo.name = name;
	}
	if (uo.name == NULL && uo.default_project_id == NULL && uo.description == NULL && uo.enabled == LC_UNSET)
		new_name(w, 'u', name), uo.name = name;
	MUTATE(w, lc_user_update(NULL, w->s, o->id, &uo), "Uu %s %s %s %s %d %s", o->id, name, dash(ref), dash(desc),
	       enabled, dash(pw));
	ack(w, "Uu %s %s %s %s %d %s", o->id, name, dash(ref), dash(desc), enabled, dash(pw));
}

static void op_user_delete(struct writer *w)
{
	struct obj *o = pick(w, w->m, USR);

	if (o == NULL) {
		op_user_create(w);
		return;
	}
	MUTATE(w, lc_user_delete(w->s, o->id, 0), "U- %s", o->id);
	ack(w, "U- %s", o->id);
}

static void op_role_create(struct writer *w)
{
	lc_role_opts ro = LC_ROLE_OPTS_INIT;
	char name[NAMESZ];
	lc_role *r = NULL;

	new_name(w, 'r', name);
	ro.name = name;
	MUTATE(w, lc_role_create(&r, w->s, &ro), "R+ ? %s", name);
	ack(w, "R+ %s %s", lc_role_id(r), name);
	lc_role_free(r);
}

static void op_role_update(struct writer *w)
{
	lc_role_opts ro = LC_ROLE_OPTS_INIT;
	struct obj *o = pick(w, w->m, ROL);
	char name[NAMESZ];

	if (o == NULL) {
		op_role_create(w);
		return;
	}
	new_name(w, 'r', name);
	ro.name = name;
	MUTATE(w, lc_role_update(NULL, w->s, o->id, &ro), "Ru %s %s", o->id, name);
	ack(w, "Ru %s %s", o->id, name);
}

static void op_role_delete(struct writer *w)
{
	struct obj *o = pick(w, w->m, ROL);

	if (o == NULL) {
		op_role_create(w);
		return;
	}
	MUTATE(w, lc_role_delete(w->s, o->id, 0), "R- %s", o->id);
	ack(w, "R- %s", o->id);
}

static void op_grant(struct writer *w)
{
	struct obj *u = pick(w, w->m, USR), *r, *p;
	char target[TARGETSZ];
	unsigned which = below(&w->rng, 10);
	lc_grant g;

	if (u == NULL) {
		op_user_create(w);
		return;
	}
	r = below(&w->rng, 2) ? pick(w, w->m, ROL) : NULL;
	if (r == NULL)
		r = pick_base_role(w);
	if (r == NULL) {
		op_role_create(w);
		return;
	}
	p = which < 7 ? pick(w, w->m, PRJ) : NULL;
	if (p)
		snprintf(target, sizeof(target), "p:%s", p->id);
	else if (which < 9)
		snprintf(target, sizeof(target), "d:%s", LC_DEFAULT_DOMAIN_ID);
	else
		snprintf(target, sizeof(target), "s");
	fill_grant(&g, u->id, r->id, target);
	MUTATE(w, lc_role_grant(w->s, &g), "G+ %s %s %s", u->id, r->id, target);
	ack(w, "G+ %s %s %s", u->id, r->id, target);
}

static void op_revoke(struct writer *w)
{
	struct slot *s = w->m;
	struct grant *gr = NULL;
	char user[IDSZ], role[IDSZ], target[TARGETSZ];
	size_t start = below(&w->rng, (unsigned)s->ng);
	lc_grant g;

	for (size_t i = 0; i < s->ng && gr == NULL; i++)
		if (s->g[(start + i) % s->ng].alive)
			gr = &s->g[(start + i) % s->ng];
	if (gr == NULL) {
		op_grant(w);
		return;
	}
	/* copies: ack() may grow the grant array */
	copy(user, sizeof(user), gr->user);
	copy(role, sizeof(role), gr->role);
	copy(target, sizeof(target), gr->target);
	fill_grant(&g, user, role, target);
	MUTATE(w, lc_role_revoke(w->s, &g), "G- %s %s %s", user, role, target);
	ack(w, "G- %s %s %s", user, role, target);
}

/* Requests that must fail, inside the same group commits as the others. */
static void op_bad(struct writer *w)
{
	struct obj *o;
	lc_grant g;
	int rc;

	switch (below(&w->rng, 4)) {
	case 0: /* a project name taken in the domain */
		if ((o = pick(w, w->m, PRJ)) != NULL) {
			lc_project_opts po = LC_PROJECT_OPTS_INIT;
			lc_project *p = NULL;

			po.name = o->name;
			rc = lc_project_create(&p, w->s, &po);
			lc_project_free(p);
			expect_fail(w, "creating a project with a taken name", rc, LC_EEXISTS);
		}
		break;
	case 1: /* a role name taken */
		if ((o = pick(w, w->m, ROL)) != NULL) {
			lc_role_opts ro = LC_ROLE_OPTS_INIT;
			lc_role *r = NULL;

			ro.name = o->name;
			rc = lc_role_create(&r, w->s, &ro);
			lc_role_free(r);
			expect_fail(w, "creating a role with a taken name", rc, LC_EEXISTS);
		}
		break;
	case 2: /* a project still in use */
		for (size_t i = 0; i < w->m->n[PRJ]; i++) {
			o = &w->m->o[PRJ][i];
			if (o->alive && project_in_use(w->m, o->id)) {
				rc = lc_project_delete(w->s, o->id, 0);
				expect_fail(w, "deleting a project in use", rc, LC_ECONFLICT);
				break;
			}
		}
		break;
	default: /* a grant to a deleted user */
		for (size_t i = 0; i < w->m->n[USR]; i++) {
			o = &w->m->o[USR][i];
			if (!o->alive) {
				struct obj *r = pick_base_role(w);

				if (r == NULL)
					break;
				fill_grant(&g, o->id, r->id, "d:" LC_DEFAULT_DOMAIN_ID);
				rc = lc_role_grant(w->s, &g);
				expect_fail(w, "granting to a deleted user", rc, LC_ENOTFOUND);
				break;
			}
		}
		break;
	}
}

static void *writer_main(void *p)
{
	static const struct {
		void (*fn)(struct writer *);
		unsigned weight;
	} ops[] = {
		{ op_project_create, 14 }, { op_project_update, 8 }, { op_project_delete, 7 },
		{ op_user_create, 12 },    { op_user_update, 8 },    { op_user_delete, 6 },
		{ op_role_create, 5 },     { op_role_update, 3 },    { op_role_delete, 3 },
		{ op_grant, 18 },          { op_revoke, 10 },        { op_bad, 6 },
	};
	struct writer *w = p;
	unsigned total = 0;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		total += ops[i].weight;
	for (;;) {
		unsigned x = below(&w->rng, total);
		size_t i = 0;

		while (x >= ops[i].weight)
			x -= ops[i++].weight;
		ops[i].fn(w);
	}
	return NULL;
}

static void child_main(const char *dir, int fd, uint64_t seed)
{
	lc_cloud_opts opts = LC_CLOUD_OPTS_INIT;
	struct writer w[WRITERS];
	pthread_t th[WRITERS];
	lc_cloud *c = NULL;
	int rc;

	memset(w, 0, sizeof(w));
	w[0].fd = fd;
	opts.pwhash_strength = LC_PWHASH_MIN;
	if ((rc = lc_cloud_new(&c, &opts)) < 0)
		child_fail(&w[0], "lc_cloud_new", rc);
	if ((rc = lc_cloud_open(c, dir, 0)) < 0) /* durable commits */
		child_fail(&w[0], "lc_cloud_open", rc);
	for (int t = 0; t < WRITERS; t++) {
		w[t].c = c;
		w[t].m = &model[t];
		w[t].t = t;
		w[t].fd = fd;
		w[t].rng = seed * 0x9E3779B97F4A7C15ULL + (uint64_t)t * 7919 + 1;
		if ((rc = lc_session_system(&w[t].s, c)) < 0)
			child_fail(&w[t], "lc_session_system", rc);
	}
	for (int t = 0; t < WRITERS; t++)
		if (pthread_create(&th[t], NULL, writer_main, &w[t]) != 0)
			child_fail(&w[t], "pthread_create", LC_ERROR);
	for (int t = 0; t < WRITERS; t++)
		pthread_join(th[t], NULL);
	_exit(0);
}

/* ---- the parent: checks ---- */

static char *dir;
static pid_t child = -1;

static void teardown(void)
{
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		child = -1;
	}
	lct_rmtree(dir);
	dir = NULL;
	model_free();
}

TestSuite(crash, .fini = teardown);

#define LC_OK(call) \
	do { \
		int rc_ = (call); \
		cr_assert_eq(rc_, 0, "%s: %s (%s)", #call, lc_strerror(rc_), lc_error_last()->message); \
	} while (0)

static lc_cloud *open_cloud(void)
{
	lc_cloud_opts opts = LC_CLOUD_OPTS_INIT;
	lc_cloud *c = NULL;

	opts.pwhash_strength = LC_PWHASH_MIN;
	LC_OK(lc_cloud_new(&c, &opts));
	LC_OK(lc_cloud_open(c, dir, LC_CLOUD_OPEN_CREATE));
	return c;
}

/* The model object of kind k with this id, in any slot. */
static struct obj *model_obj(int k, const char *id, int *slot)
{
	for (int t = 0; t < SLOTS; t++) {
		struct obj *o = obj_find(&model[t], k, id);
		if (o) {
			if (slot)
				*slot = t;
			return o;
		}
	}
	return NULL;
}

/* A snapshot as the model would write it: the fields the store must agree on. */
struct seen {
	char id[IDSZ], name[NAMESZ], ref[IDSZ], desc[NAMESZ];
	int enabled;
};

static int get_seen(lc_session *s, int k, const char *id, struct seen *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (k == PRJ) {
		lc_project *p = NULL;
		if ((rc = lc_project_get(&p, s, id)) == 0) {
			copy(out->id, IDSZ, lc_project_id(p));
			copy(out->name, NAMESZ, lc_project_name(p));
			copy(out->ref, IDSZ, lc_project_parent_id(p));
			copy(out->desc, NAMESZ, lc_project_description(p));
			out->enabled = lc_project_enabled(p);
		}
		lc_project_free(p);
	} else if (k == USR) {
		lc_user *u = NULL;
		if ((rc = lc_user_get(&u, s, id)) == 0) {
			copy(out->id, IDSZ, lc_user_id(u));
			copy(out->name, NAMESZ, lc_user_name(u));
			copy(out->ref, IDSZ, lc_user_default_project_id(u));
			copy(out->desc, NAMESZ, lc_user_description(u));
			out->enabled = lc_user_enabled(u);
		}
		lc_user_free(u);
	} else {
		lc_role *r = NULL;
		if ((rc = lc_role_get(&r, s, id)) == 0) {
			copy(out->id, IDSZ, lc_role_id(r));
			copy(out->name, NAMESZ, lc_role_name(r));
			copy(out->desc, NAMESZ, lc_role_description(r));
			out->enabled = 1;
		}
		lc_role_free(r);
	}
	return rc;
}

/* Find by name: the id, or an error. */
static int find_id(lc_session *s, int k, const char *name, char id[IDSZ])
{
	int rc;

	id[0] = '\0';
	if (k == PRJ) {
		lc_project *p = NULL;
		if ((rc = lc_project_find(&p, s, NULL, name)) == 0)
			copy(id, IDSZ, lc_project_id(p));
		lc_project_free(p);
	} else if (k == USR) {
		lc_user *u = NULL;
		if ((rc = lc_user_find(&u, s, NULL, name)) == 0)
			copy(id, IDSZ, lc_user_id(u));
		lc_user_free(u);
	} else {
		lc_role *r = NULL;
		if ((rc = lc_role_find(&r, s, name)) == 0)
			copy(id, IDSZ, lc_role_id(r));
		lc_role_free(r);
	}
	return rc;
}

/* List records of kind k (all, or those named `name`); calls fn for each. */
static size_t list_kind(lc_session *s, int k, const char *name, void (*fn)(int k, const struct seen *, void *),
			void *p)
{
	const char *filters[] = { "name", name, NULL };
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	struct seen x;
	size_t n = 0;
	int rc;

	lo.filters = name ? filters : NULL;
	if (k == PRJ) {
		lc_project_iter *it = NULL;
		lc_project *o = NULL;

		LC_OK(lc_project_iter_new(&it, s, &lo));
		while ((rc = lc_project_iter_next(&o, it)) == 0) {
			memset(&x, 0, sizeof(x));
			copy(x.id, IDSZ, lc_project_id(o));
			copy(x.name, NAMESZ, lc_project_name(o));
			copy(x.ref, IDSZ, lc_project_parent_id(o));
			copy(x.desc, NAMESZ, lc_project_description(o));
			x.enabled = lc_project_enabled(o);
			lc_project_free(o);
			fn(k, &x, p);
			n++;
		}
		lc_project_iter_free(it);
	} else if (k == USR) {
		lc_user_iter *it = NULL;
		lc_user *o = NULL;

		LC_OK(lc_user_iter_new(&it, s, &lo));
		while ((rc = lc_user_iter_next(&o, it)) == 0) {
			memset(&x, 0, sizeof(x));
			copy(x.id, IDSZ, lc_user_id(o));
			copy(x.name, NAMESZ, lc_user_name(o));
			copy(x.ref, IDSZ, lc_user_default_project_id(o));
			copy(x.desc, NAMESZ, lc_user_description(o));
			x.enabled = lc_user_enabled(o);
			lc_user_free(o);
			fn(k, &x, p);
			n++;
		}
		lc_user_iter_free(it);
	} else {
		lc_role_iter *it = NULL;
		lc_role *o = NULL;

		LC_OK(lc_role_iter_new(&it, s, &lo));
		while ((rc = lc_role_iter_next(&o, it)) == 0) {
			memset(&x, 0, sizeof(x));
			copy(x.id, IDSZ, lc_role_id(o));
			copy(x.name, NAMESZ, lc_role_name(o));
			copy(x.desc, NAMESZ, lc_role_description(o));
			x.enabled = 1;
			lc_role_free(o);
			fn(k, &x, p);
			n++;
		}
		lc_role_iter_free(it);
	}
	cr_assert_eq(rc, LC_ITEROVER, "listing %ss: %s (%s)", kind_name[k], lc_strerror(rc), lc_error_last()->message);
	return n;
}

static int same(int k, const struct obj *o, const struct seen *x)
{
	return !strcmp(o->id, x->id) && !strcmp(o->name, x->name) && !strcmp(o->ref, x->ref) &&
	       !strcmp(o->desc, x->desc) && (k == ROL || o->enabled == x->enabled);
}

static void assert_same(int k, const struct obj *o, const struct seen *x, const char *how)
{
	cr_assert(same(k, o, x),
		  "round %u: %s %s (%s) differs from the acknowledged state:\n"
		  "  acknowledged: name %s ref '%s' desc '%s' enabled %d\n"
		  "  stored:       name %s ref '%s' desc '%s' enabled %d",
		  round_no, kind_name[k], o->id, how, o->name, o->ref, o->desc, o->enabled, x->name, x->ref, x->desc,
		  x->enabled);
}

static void listed_in_model(int k, const struct seen *x, void *p)
{
	struct obj *o = model_obj(k, x->id, NULL);

	(void)p;
	cr_assert(o != NULL && o->alive, "round %u: %s %s (%s) is stored but was never acknowledged (or was deleted)",
		  round_no, kind_name[k], x->id, x->name);
	assert_same(k, o, x, "listing");
}

struct named {
	const char *id;
	size_t hits;
};

static void listed_by_name(int k, const struct seen *x, void *p)
{
	struct named *n = p;

	(void)k;
	n->hits++;
	cr_assert(n->id != NULL && strcmp(x->id, n->id) == 0,
		  "round %u: listing %ss by name gave %s (%s), expected %s", round_no, kind_name[k], x->id, x->name,
		  n->id ? n->id : "nothing");
}

/* Filtered listing by name finds exactly id (or nothing when id is NULL). */
static void check_name_listing(lc_session *s, int k, const char *name, const char *id)
{
	struct named n = { id, 0 };

	list_kind(s, k, name, listed_by_name, &n);
	cr_assert_eq(n.hits, id ? 1u : 0u, "round %u: listing %ss named %s found %zu records", round_no, kind_name[k],
		     name, n.hits);
}

/* Settle the call a writer had in flight at the kill: all of it or none of it. 1 if it landed. */
static int resolve_pending(lc_session *s, int t, const char *line)
{
	char op[4], a[6][NAMESZ + 8], id[IDSZ], acked[LINESZ];
	struct seen x;
	struct obj *o;
	int k, rc, n;

	memset(a, 0, sizeof(a));
	n = sscanf(line, "%3s %79s %79s %79s %79s %79s %79s", op, a[0], a[1], a[2], a[3], a[4], a[5]);
	cr_assert_geq(n, 2, "malformed intent '%s'", line);
	if (op[0] == 'G') {
		lc_grant g;

		fill_grant(&g, a[0], a[1], a[2]);
		rc = lc_role_check(s, &g);
		cr_assert(rc == 0 || rc == LC_ENOTFOUND, "checking grant %s: %s", line, lc_strerror(rc));
		if ((op[1] == '+') == (rc == 0)) {
			cr_assert_eq(apply(&model[t], line), 0, "applying '%s'", line);
			return 1;
		}
		return 0;
	}
	k = op[0] == 'P' ? PRJ : op[0] == 'U' ? USR : ROL;
	if (op[1] == '+') { /* the id is unknown: look the unique name up */
		rc = find_id(s, k, a[1], id);
		if (rc == LC_ENOTFOUND)
			return 0;
		cr_assert_eq(rc, 0, "round %u: finding %s %s: %s", round_no, kind_name[k], a[1], lc_strerror(rc));
		/* it landed: with every attribute it was asked for */
		if (k == PRJ)
			snprintf(acked, sizeof(acked), "P+ %s %s %s %s", id, a[1], a[2], a[3]);
		else if (k == USR)
			snprintf(acked, sizeof(acked), "U+ %s %s %s %s %s", id, a[1], a[2], a[3], a[4]);
		else
			snprintf(acked, sizeof(acked), "R+ %s %s", id, a[1]);
		cr_assert_eq(apply(&model[t], acked), 0, "applying '%s'", acked);
		o = obj_find(&model[t], k, id);
		LC_OK(get_seen(s, k, id, &x));
		assert_same(k, o, &x, "created at the kill");
		return 1;
	}
	o = obj_find(&model[t], k, a[0]);
	cr_assert(o != NULL && o->alive, "round %u: intent '%s' names an unknown object", round_no, line);
	rc = get_seen(s, k, a[0], &x);
	if (op[1] == '-') {
		if (rc == LC_ENOTFOUND) {
			cr_assert_eq(apply(&model[t], line), 0);
			return 1;
		}
		LC_OK(rc);
		assert_same(k, o, &x, "delete in flight at the kill, not done");
		return 0;
	}
	LC_OK(rc);
	if (same(k, o, &x))
		return 0; /* every update changes a visible field: not done */
	cr_assert_eq(apply(&model[t], line), 0, "applying '%s'", line);
	assert_same(k, o, &x, "update in flight at the kill: partly done?");
	return 1;
}

static void check_grants(lc_session *s)
{
	lc_role_assignment_iter *it = NULL;
	lc_role_assignment *a = NULL;
	size_t listed = 0, alive = 0;
	int rc;

	LC_OK(lc_role_assignment_iter_new(&it, s, NULL));
	while ((rc = lc_role_assignment_iter_next(&a, it)) == 0) {
		char target[TARGETSZ];
		struct grant *g = NULL;

		if (lc_role_assignment_project_id(a))
			snprintf(target, sizeof(target), "p:%s", lc_role_assignment_project_id(a));
		else if (lc_role_assignment_domain_id(a))
			snprintf(target, sizeof(target), "d:%s", lc_role_assignment_domain_id(a));
		else
			snprintf(target, sizeof(target), "s");
		for (int t = 0; t < SLOTS && g == NULL; t++)
			g = grant_find(&model[t], lc_role_assignment_user_id(a), lc_role_assignment_role_id(a), target);
		cr_assert(g != NULL && g->alive, "round %u: stored grant %s %s %s was never acknowledged (or revoked)",
			  round_no, lc_role_assignment_user_id(a), lc_role_assignment_role_id(a), target);
		lc_role_assignment_free(a);
		listed++;
	}
	lc_role_assignment_iter_free(it);
	cr_assert_eq(rc, LC_ITEROVER, "listing grants: %s", lc_strerror(rc));
	for (int t = 0; t < SLOTS; t++) {
		for (size_t i = 0; i < model[t].ng; i++) {
			struct grant *g = &model[t].g[i];
			lc_grant q;

			fill_grant(&q, g->user, g->role, g->target);
			rc = lc_role_check(s, &q);
			if (g->alive) {
				alive++;
				cr_assert_eq(rc, 0, "round %u: acknowledged grant %s %s %s is missing: %s", round_no,
					     g->user, g->role, g->target, lc_strerror(rc));
			} else {
				cr_assert_eq(rc, LC_ENOTFOUND, "round %u: revoked grant %s %s %s: %s", round_no, g->user,
					     g->role, g->target, lc_strerror(rc));
			}
		}
	}
	cr_assert_eq(listed, alive, "round %u: %zu grants stored, %zu acknowledged", round_no, listed, alive);
}

/* The store holds exactly the model, and the indexes agree, through the API. */
static void check_api(lc_cloud *c, lc_session *s, uint64_t *rng)
{
	for (int k = 0; k < NKINDS; k++) {
		size_t alive = 0, listed, sampled = 0;

		listed = list_kind(s, k, NULL, listed_in_model, NULL);
		for (int t = 0; t < SLOTS; t++) {
			struct slot *m = &model[t];

			for (size_t i = 0; i < m->n[k]; i++) {
				struct obj *o = &m->o[k][i];
				struct seen x;
				char id[IDSZ];
				int rc = get_seen(s, k, o->id, &x);

				if (!o->alive) {
					cr_assert_eq(rc, LC_ENOTFOUND, "round %u: deleted %s %s: get gives %s", round_no,
						     kind_name[k], o->id, lc_strerror(rc));
					continue;
				}
				alive++;
				cr_assert_eq(rc, 0, "round %u: acknowledged %s %s (%s) is missing: %s", round_no,
					     kind_name[k], o->id, o->name, lc_strerror(rc));
				assert_same(k, o, &x, "get");
				rc = find_id(s, k, o->name, id);
				cr_assert(rc == 0 && strcmp(id, o->id) == 0,
					  "round %u: find %s '%s' gives %s (%s), get gives %s", round_no, kind_name[k],
					  o->name, id, lc_strerror(rc), o->id);
				/* the filtered listing scans everything: a sample of each slot per round */
				if (below(rng, (unsigned)m->n[k]) < 8 || t == BASE) {
					check_name_listing(s, k, o->name, o->id);
					sampled++;
				}
			}
			for (size_t i = 0; i < m->retired[k].n; i++) {
				char id[IDSZ];
				int rc = find_id(s, k, m->retired[k].v[i], id);

				cr_assert_eq(rc, LC_ENOTFOUND, "round %u: retired %s name %s still finds %s (%s)",
					     round_no, kind_name[k], m->retired[k].v[i], id, lc_strerror(rc));
				if (below(rng, (unsigned)m->retired[k].n) < 2)
					check_name_listing(s, k, m->retired[k].v[i], NULL);
			}
		}
		cr_assert_eq(listed, alive, "round %u: %zu %ss stored, %zu acknowledged", round_no, listed,
			     kind_name[k], alive);
		(void)sampled;
	}
	check_grants(s);

	/* a few passwords authenticate, a wrong one does not */
	for (int t = 0, tried = 0; t < WRITERS && tried < 4; t++) {
		for (size_t i = 0; i < model[t].n[USR] && tried < 4; i++) {
			struct obj *o = &model[t].o[USR][i];
			lc_auth_opts ao = LC_AUTH_OPTS_INIT;
			lc_session *us = NULL;

			if (!o->alive || !o->enabled || !o->pw[0] || below(rng, 4))
				continue;
			ao.user_id = o->id;
			ao.password = o->pw;
			LC_OK(lc_session_password(&us, c, &ao));
			cr_assert_str_eq(lc_session_user_id(us), o->id);
			lc_session_free(us);
			ao.password = "not-the-password";
			cr_assert_eq(lc_session_password(&us, c, &ao), LC_EAUTH);
			tried++;
		}
	}
}

/* After a crash the cloud takes new writes: a small life cycle, through the base slot. */
static void check_writes(lc_session *s)
{
	lc_project_opts po = LC_PROJECT_OPTS_INIT;
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_project *p = NULL;
	lc_user *u = NULL;
	struct obj *member = NULL;
	char pname[NAMESZ], uname[NAMESZ], line[LINESZ], target[TARGETSZ];
	lc_grant g;

	for (size_t i = 0; i < model[BASE].n[ROL]; i++)
		if (!strcmp(model[BASE].o[ROL][i].name, "member"))
			member = &model[BASE].o[ROL][i];
	cr_assert_not_null(member);
	snprintf(pname, sizeof(pname), "post-%u", round_no);
	snprintf(uname, sizeof(uname), "post-user-%u", round_no);
	po.name = pname;
	LC_OK(lc_project_create(&p, s, &po));
	uo.name = uname;
	uo.default_project_id = lc_project_id(p);
	LC_OK(lc_user_create(&u, s, &uo));
	snprintf(target, sizeof(target), "p:%s", lc_project_id(p));
	fill_grant(&g, lc_user_id(u), member->id, target);
	LC_OK(lc_role_grant(s, &g));
	LC_OK(lc_role_check(s, &g));

	/* the project and the user stay (base slot); the grant moves to the domain */
	snprintf(line, sizeof(line), "P+ %s %s - -", lc_project_id(p), pname);
	cr_assert_eq(apply(&model[BASE], line), 0);
	snprintf(line, sizeof(line), "U+ %s %s %s - -", lc_user_id(u), uname, lc_project_id(p));
	cr_assert_eq(apply(&model[BASE], line), 0);
	LC_OK(lc_role_revoke(s, &g));
	cr_assert_eq(lc_role_check(s, &g), LC_ENOTFOUND);
	fill_grant(&g, lc_user_id(u), member->id, "d:" LC_DEFAULT_DOMAIN_ID);
	LC_OK(lc_role_grant(s, &g));
	snprintf(line, sizeof(line), "G+ %s %s d:%s", lc_user_id(u), member->id, LC_DEFAULT_DOMAIN_ID);
	cr_assert_eq(apply(&model[BASE], line), 0);
	lc_user_free(u);
	lc_project_free(p);
}

/* ---- raw LMDB: every index database holds exactly what the records imply ---- */

struct strs {
	char **v;
	size_t n, cap;
};

static void strs_add(struct strs *s, const void *k, size_t kl, const void *v, size_t vl)
{
	char *e = malloc(kl + vl + 2), *p = e;

	cr_assert_not_null(e);
	for (size_t i = 0; i < kl; i++)
		*p++ = ((const char *)k)[i] ? ((const char *)k)[i] : '|'; /* NUL joins the parts of a key */
	*p++ = '=';
	memcpy(p, v, vl);
	p[vl] = '\0';
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = e;
}

static void strs_free(struct strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum { DB_PRJ, DB_PRJ_NAME, DB_PRJ_DOMAIN, DB_PRJ_PARENT, DB_USR, DB_USR_NAME, DB_USR_DOMAIN, DB_USR_PROJECT,
       DB_ROL, DB_ROL_NAME, DB_ASG, DB_ASG_ROLE, DB_ASG_PROJECT, DB_ASG_DOMAIN, NDBS };

static const struct {
	const char *name;
	unsigned flags;
	int keys_only; /* a record database: compare the keys */
} dbs[NDBS] = {
	[DB_PRJ] = { "project", 0, 1 },
	[DB_PRJ_NAME] = { "project.name", 0, 0 },
	[DB_PRJ_DOMAIN] = { "project.domain", MDB_DUPSORT, 0 },
	[DB_PRJ_PARENT] = { "project.parent", MDB_DUPSORT, 0 },
	[DB_USR] = { "user", 0, 1 },
	[DB_USR_NAME] = { "user.name", 0, 0 },
	[DB_USR_DOMAIN] = { "user.domain", MDB_DUPSORT, 0 },
	[DB_USR_PROJECT] = { "user.default_project", MDB_DUPSORT, 0 },
	[DB_ROL] = { "role", 0, 1 },
	[DB_ROL_NAME] = { "role.name", 0, 0 },
	[DB_ASG] = { "assignment", 0, 1 },
	[DB_ASG_ROLE] = { "assignment.role", MDB_DUPSORT, 0 },
	[DB_ASG_PROJECT] = { "assignment.project", MDB_DUPSORT, 0 },
	[DB_ASG_DOMAIN] = { "assignment.domain", MDB_DUPSORT, 0 },
};

static void add_str(struct strs *s, const char *k, const char *v)
{
	strs_add(s, k, strlen(k), v, strlen(v));
}

static void add_joined(struct strs *s, const char *a, const char *b, const char *v)
{
	char key[2 * NAMESZ];
	size_t la = strlen(a), lb = strlen(b);

	memcpy(key, a, la);
	key[la] = '\0';
	memcpy(key + la + 1, b, lb);
	strs_add(s, key, la + 1 + lb, v, strlen(v));
}

static void expected_entries(struct strs want[NDBS])
{
	for (int t = 0; t < SLOTS; t++) {
		struct slot *m = &model[t];

		for (size_t i = 0; i < m->n[PRJ]; i++) {
			struct obj *o = &m->o[PRJ][i];
			if (!o->alive)
				continue;
			add_str(&want[DB_PRJ], o->id, "");
			add_joined(&want[DB_PRJ_NAME], LC_DEFAULT_DOMAIN_ID, o->name, o->id);
			add_str(&want[DB_PRJ_DOMAIN], LC_DEFAULT_DOMAIN_ID, o->id);
			if (o->ref[0])
				add_str(&want[DB_PRJ_PARENT], o->ref, o->id);
		}
		for (size_t i = 0; i < m->n[USR]; i++) {
			struct obj *o = &m->o[USR][i];
			if (!o->alive)
				continue;
			add_str(&want[DB_USR], o->id, "");
			add_joined(&want[DB_USR_NAME], LC_DEFAULT_DOMAIN_ID, o->name, o->id);
			add_str(&want[DB_USR_DOMAIN], LC_DEFAULT_DOMAIN_ID, o->id);
			if (o->ref[0])
				add_str(&want[DB_USR_PROJECT], o->ref, o->id);
		}
		for (size_t i = 0; i < m->n[ROL]; i++) {
			struct obj *o = &m->o[ROL][i];
			if (!o->alive)
				continue;
			add_str(&want[DB_ROL], o->id, "");
			add_str(&want[DB_ROL_NAME], o->name, o->id);
		}
		for (size_t i = 0; i < m->ng; i++) {
			struct grant *g = &m->g[i];
			char key[3 * TARGETSZ];

			if (!g->alive)
				continue;
			snprintf(key, sizeof(key), "%s/%s/%s", g->user, g->target, g->role);
			add_str(&want[DB_ASG], key, "");
			add_str(&want[DB_ASG_ROLE], g->role, key);
			if (g->target[0] == 'p')
				add_str(&want[DB_ASG_PROJECT], g->target + 2, key);
			else if (g->target[0] == 'd')
				add_str(&want[DB_ASG_DOMAIN], g->target + 2, key);
		}
	}
}

static void check_raw(void)
{
	struct strs want[NDBS], got[NDBS];
	char meta[4200];
	MDB_env *env;
	MDB_txn *txn;
	int rc;

	memset(want, 0, sizeof(want));
	memset(got, 0, sizeof(got));
	expected_entries(want);
	snprintf(meta, sizeof(meta), "%s/meta", dir);
	cr_assert_eq(mdb_env_create(&env), 0);
	cr_assert_eq(mdb_env_set_maxdbs(env, 128), 0);
	rc = mdb_env_open(env, meta, MDB_RDONLY, 0600);
	cr_assert_eq(rc, 0, "opening %s read-only: %s", meta, mdb_strerror(rc));
	cr_assert_eq(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
	for (int d = 0; d < NDBS; d++) {
		MDB_dbi dbi;
		MDB_cursor *cur;
		MDB_val k, v;

		rc = mdb_dbi_open(txn, dbs[d].name, dbs[d].flags, &dbi);
		cr_assert_eq(rc, 0, "opening database %s: %s", dbs[d].name, mdb_strerror(rc));
		cr_assert_eq(mdb_cursor_open(txn, dbi, &cur), 0);
		for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
			strs_add(&got[d], k.mv_data, k.mv_size, dbs[d].keys_only ? "" : v.mv_data,
				 dbs[d].keys_only ? 0 : v.mv_size);
		cr_assert_eq(rc, MDB_NOTFOUND, "walking %s: %s", dbs[d].name, mdb_strerror(rc));
		mdb_cursor_close(cur);
	}
	mdb_txn_abort(txn);
	mdb_env_close(env);

	for (int d = 0; d < NDBS; d++) {
		size_t i = 0, j = 0;

		qsort(want[d].v, want[d].n, sizeof(char *), cmp_str);
		qsort(got[d].v, got[d].n, sizeof(char *), cmp_str);
		while (i < want[d].n || j < got[d].n) {
			int c = i == want[d].n ? 1 : j == got[d].n ? -1 : strcmp(want[d].v[i], got[d].v[j]);

			cr_assert(c == 0, "round %u: database %s %s entry %s", round_no, dbs[d].name,
				  c < 0 ? "lacks the" : "holds a stray", c < 0 ? want[d].v[i] : got[d].v[j]);
			i++;
			j++;
		}
		strs_free(&want[d]);
		strs_free(&got[d]);
	}
}

/* ---- the parent: rounds ---- */

static void add_seen_to_base(int k, const struct seen *x, void *p)
{
	struct obj *o = obj_add(&model[BASE], k);

	(void)p;
	copy(o->id, IDSZ, x->id);
	copy(o->name, NAMESZ, x->name);
	copy(o->ref, IDSZ, x->ref);
	copy(o->desc, NAMESZ, x->desc);
	o->enabled = x->enabled;
}

static void init_cloud(void)
{
	lc_bootstrap_opts bo = LC_BOOTSTRAP_OPTS_INIT;
	lc_role_assignment_iter *it = NULL;
	lc_role_assignment *a = NULL;
	lc_cloud *c = open_cloud();
	lc_session *s = NULL;

	bo.admin_password = "crash-admin-secret";
	LC_OK(lc_cloud_bootstrap(c, &bo));
	LC_OK(lc_session_system(&s, c));
	for (int k = 0; k < NKINDS; k++)
		list_kind(s, k, NULL, add_seen_to_base, NULL);
	LC_OK(lc_role_assignment_iter_new(&it, s, NULL));
	while (lc_role_assignment_iter_next(&a, it) == 0) {
		char target[TARGETSZ];

		if (lc_role_assignment_project_id(a))
			snprintf(target, sizeof(target), "p:%s", lc_role_assignment_project_id(a));
		else if (lc_role_assignment_domain_id(a))
			snprintf(target, sizeof(target), "d:%s", lc_role_assignment_domain_id(a));
		else
			snprintf(target, sizeof(target), "s");
		grant_set(&model[BASE], lc_role_assignment_user_id(a), lc_role_assignment_role_id(a), target, 1);
		lc_role_assignment_free(a);
	}
	lc_role_assignment_iter_free(it);
	cr_assert_geq(model[BASE].n[ROL], 3u, "bootstrap made the roles");
	lc_session_free(s);
	lc_cloud_free(c);
}

struct round_stats {
	unsigned acks, intents;
	char pending[WRITERS][LINESZ];
	char error[LINESZ];
};

/* Handle one line from the child. */
static void take_line(struct round_stats *st, char *line)
{
	int t = line[0] - '0';

	cr_assert(t >= 0 && t < WRITERS && line[1] == ' ' && line[3] == ' ', "round %u: garbled line '%s'", round_no,
		  line);
	switch (line[2]) {
	case 'I':
		copy(st->pending[t], LINESZ, line + 4);
		st->intents++;
		break;
	case 'A':
		cr_assert_eq(apply(&model[t], line + 4), 0, "round %u: cannot apply '%s'", round_no, line + 4);
		st->pending[t][0] = '\0';
		st->acks++;
		break;
	case 'E':
		if (!st->error[0])
			copy(st->error, LINESZ, line);
		break;
	default:
		cr_assert_fail("round %u: garbled line '%s'", round_no, line);
	}
}

/*
 * Run one child until the kill; returns with every line it wrote applied.
 * The kill comes after `target` acknowledgements and a pause of up to 3 ms,
 * or in one round of five at a random time (maybe while it opens the cloud),
 * and in any case by `cap` seconds.
 */
static void run_round(uint64_t *rng, uint64_t seed, double cap, struct round_stats *st)
{
	char buf[1 << 16];
	size_t have = 0;
	int fds[2], status, killed = 0, eof = 0;
	int by_time = round_no % 5 == 1;
	unsigned target = 8 + below(rng, 800);
	double start, deadline = 0, last = 0;

	memset(st, 0, sizeof(*st));
	cr_assert_eq(pipe(fds), 0);
	fflush(NULL);
	child = fork();
	cr_assert_geq(child, 0, "fork: %s", strerror(errno));
	if (child == 0) {
		close(fds[0]);
		child_main(dir, fds[1], seed);
	}
	close(fds[1]);
	start = last = now_s();
	if (by_time)
		deadline = start + (double)below(rng, 60000) * 1e-6;
	else
		deadline = start + cap;
	while (!eof) {
		struct pollfd pfd = { fds[0], POLLIN, 0 };
		double now = now_s();
		int timeout = 100, n;
		ssize_t got;

		if (!killed && now >= deadline) {
			kill(child, SIGKILL);
			killed = 1;
		}
		if (!killed)
			timeout = (int)((deadline - now) * 1000) + 1;
		cr_assert(now - last < STALL_SECONDS, "round %u: the child wrote nothing for %d s (deadlock?)", round_no,
			  STALL_SECONDS);
		n = poll(&pfd, 1, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		cr_assert_geq(n, 0, "poll: %s", strerror(errno));
		if (n == 0)
			continue;
		got = read(fds[0], buf + have, sizeof(buf) - have - 1);
		if (got < 0 && errno == EINTR)
			continue;
		cr_assert_geq(got, 0, "read: %s", strerror(errno));
		if (got == 0) {
			eof = 1;
			break;
		}
		last = now_s();
		have += (size_t)got;
		buf[have] = '\0';
		{
			char *p = buf, *nl;

			while ((nl = memchr(p, '\n', have - (size_t)(p - buf))) != NULL) {
				*nl = '\0';
				take_line(st, p);
				p = nl + 1;
			}
			have -= (size_t)(p - buf);
			memmove(buf, p, have);
		}
		if (!killed && !by_time && st->acks >= target) {
			double pause = now_s() + (double)below(rng, 3000) * 1e-6;

			if (pause < deadline)
				deadline = pause;
			target = UINT32_MAX;
		}
		if (!killed && st->error[0]) {
			kill(child, SIGKILL);
			killed = 1;
		}
	}
	close(fds[0]);
	cr_assert_eq(have, 0u, "round %u: the child left half a line", round_no);
	cr_assert_eq(waitpid(child, &status, 0), child);
	child = -1;
	cr_assert(st->error[0] == '\0', "round %u: the child failed: %s", round_no, st->error);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "round %u: the child ended by itself (status %d)",
		  round_no, status);
}

Test(crash, acknowledged_identity_mutations_survive_sigkill, .timeout = 300)
{
	const char *env = getenv("LC_CRASH_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	uint64_t rng = seed | 1;
	unsigned total_acks = 0, total_intents = 0, settled = 0, landed = 0;
	double t0 = now_s(), t_run = 0, t_check = 0, t_raw = 0;

	cr_log_info("crash: seed %llu (LC_CRASH_SEED replays it)", (unsigned long long)seed);
	dir = lct_tmpdir();
	cr_assert_not_null(dir);
	init_cloud();

	for (round_no = 0; round_no < KILLS; round_no++) {
		struct round_stats st;
		lc_cloud *c;
		lc_session *s = NULL;
		double t1 = now_s(), t2, t3, cap = (CHILD_SECONDS - t_run) / (KILLS - round_no);

		run_round(&rng, seed + round_no, cap < 0.05 ? 0.05 : cap > 3.0 ? 3.0 : cap, &st);
		t2 = now_s();
		total_acks += st.acks;
		total_intents += st.intents;

		c = open_cloud();
		LC_OK(lc_session_system(&s, c));
		for (int t = 0; t < WRITERS; t++) {
			if (st.pending[t][0]) {
				landed += (unsigned)resolve_pending(s, t, st.pending[t]);
				settled++;
			}
		}
		check_api(c, s, &rng);
		check_writes(s);
		lc_session_free(s);
		lc_cloud_free(c);
		t3 = now_s();
		check_raw();
		t_run += t2 - t1;
		t_check += t3 - t2;
		t_raw += now_s() - t3;
	}
	cr_log_info("crash: %d kills, %u acknowledged mutations (%u begun), %u in flight at a kill "
		    "(%u of them landed), %.1f s (children %.1f s, API checks %.1f s, raw checks %.1f s)",
		    KILLS, total_acks, total_intents, settled, landed, now_s() - t0, t_run, t_check, t_raw);
	/* thousands on an ordinary machine; a slow one (sanitizers) shortens the rounds past the budget */
	cr_assert_geq(total_acks, 200u, "only %u mutations were acknowledged", total_acks);
}
