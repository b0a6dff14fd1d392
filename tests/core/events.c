/* The change log through the public API: one event per change, cursors, subscriptions. */
#include <criterion/criterion.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libcloud/libcloud.h>

#include "testutil.h"

static char *tmp;
static lc_cloud *cloud;
static lc_session *sys;

static void setup(void)
{
	lc_cloud_opts o = LC_CLOUD_OPTS_INIT;
	lc_bootstrap_opts b = LC_BOOTSTRAP_OPTS_INIT;

	tmp = lct_tmpdir();
	cr_assert_not_null(tmp);
	o.pwhash_strength = LC_PWHASH_MIN;
	cr_assert_eq(lc_cloud_new(&cloud, &o), 0);
	cr_assert_eq(lc_cloud_open(cloud, tmp, LC_CLOUD_OPEN_CREATE | LC_CLOUD_OPEN_NOSYNC), 0, "%s",
		     lc_error_last()->message);
	b.admin_password = "admin-pw";
	cr_assert_eq(lc_cloud_bootstrap(cloud, &b), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_session_system(&sys, cloud), 0);
}

static void teardown(void)
{
	lc_session_free(sys);
	sys = NULL;
	lc_cloud_free(cloud);
	cloud = NULL;
	lct_rmtree(tmp);
	tmp = NULL;
}

TestSuite(events, .init = setup, .fini = teardown, .timeout = 120);

/* The sequence number of the newest event (0 if none). */
static uint64_t last_seq(void)
{
	lc_event_iter *it = NULL;
	lc_event *e = NULL;
	uint64_t seq = 0;
	int rc;

	cr_assert_eq(lc_event_iter_new(&it, sys, 0), 0, "%s", lc_error_last()->message);
	while ((rc = lc_event_iter_next(&e, it)) == 0) {
		cr_assert_gt(lc_event_seq(e), seq, "sequence numbers only grow");
		seq = lc_event_seq(e);
		lc_event_free(e);
	}
	cr_assert_eq(rc, LC_ITEROVER, "%s", lc_error_last()->message);
	lc_event_iter_free(it);
	return seq;
}

/* The events after `after`, as a malloc'd array (n set); caller frees each and the array. */
static lc_event **events_after(uint64_t after, size_t *n)
{
	lc_event_iter *it = NULL;
	lc_event **v = NULL;
	lc_event *e;
	int rc;

	*n = 0;
	cr_assert_eq(lc_event_iter_new(&it, sys, after), 0);
	while ((rc = lc_event_iter_next(&e, it)) == 0) {
		v = realloc(v, (*n + 1) * sizeof(*v));
		v[(*n)++] = e;
	}
	cr_assert_eq(rc, LC_ITEROVER);
	lc_event_iter_free(it);
	return v;
}

static void free_events(lc_event **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		lc_event_free(v[i]);
	free(v);
}

static char *new_project(const char *name)
{
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *p = NULL;
	char *id;

	o.name = name;
	cr_assert_eq(lc_project_create(&p, sys, &o), 0, "%s: %s", name, lc_error_last()->message);
	id = strdup(lc_project_id(p));
	lc_project_free(p);
	return id;
}

/* Expect exactly one new event after `before`, of this type, kind and resource. */
static uint64_t expect_one(uint64_t before, int type, const char *kind, const char *id, const char *project)
{
	size_t n;
	lc_event **v = events_after(before, &n);
	uint64_t seq;
	int64_t now = (int64_t)time(NULL) * 1000000;

	cr_assert_eq(n, 1, "%zu events for one %s change", n, kind);
	cr_assert_gt(lc_event_seq(v[0]), before);
	cr_assert_eq(lc_event_type_of(v[0]), type);
	cr_assert_str_eq(lc_event_kind(v[0]), kind);
	cr_assert_str_eq(lc_event_resource_id(v[0]), id);
	if (project)
		cr_assert_str_eq(lc_event_project_id(v[0]), project);
	else
		cr_assert_null(lc_event_project_id(v[0]));
	cr_assert(lc_event_time_us(v[0]) > now - 60 * 1000000LL && lc_event_time_us(v[0]) < now + 60 * 1000000LL,
		  "event time %lld is not now", (long long)lc_event_time_us(v[0]));
	seq = lc_event_seq(v[0]);
	free_events(v, n);
	return seq;
}

/* ---- one event per change ---- */

Test(events, each_project_change_appends_one_event_with_a_growing_sequence)
{
	lc_project_opts u = LC_PROJECT_OPTS_INIT;
	uint64_t s0 = last_seq(), s1, s2, s3;
	char *id = new_project("evented");

	s1 = expect_one(s0, LC_EVENT_CREATE, "project", id, id);
	u.description = "changed";
	cr_assert_eq(lc_project_update(NULL, sys, id, &u), 0, "%s", lc_error_last()->message);
	s2 = expect_one(s1, LC_EVENT_UPDATE, "project", id, id);
	cr_assert_eq(lc_project_delete(sys, id, 0), 0, "%s", lc_error_last()->message);
	s3 = expect_one(s2, LC_EVENT_DELETE, "project", id, id);
	cr_assert(s0 < s1 && s1 < s2 && s2 < s3);
	free(id);
}

Test(events, domains_users_roles_and_grants_append_their_events)
{
	lc_domain_opts d = LC_DOMAIN_OPTS_INIT;
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_role_opts ro = LC_ROLE_OPTS_INIT;
	lc_grant g = LC_GRANT_INIT;
	lc_domain *dom = NULL;
	lc_user *usr = NULL;
	lc_role *rol = NULL;
	uint64_t s = last_seq();
	char *pid = new_project("target");
	size_t n;
	lc_event **v;

	s = expect_one(s, LC_EVENT_CREATE, "project", pid, pid);
	d.name = "evdom";
	cr_assert_eq(lc_domain_create(&dom, sys, &d), 0);
	s = expect_one(s, LC_EVENT_CREATE, "domain", lc_domain_id(dom), NULL);
	uo.name = "evuser";
	cr_assert_eq(lc_user_create(&usr, sys, &uo), 0);
	s = expect_one(s, LC_EVENT_CREATE, "user", lc_user_id(usr), NULL);
	ro.name = "evrole";
	cr_assert_eq(lc_role_create(&rol, sys, &ro), 0);
	s = expect_one(s, LC_EVENT_CREATE, "role", lc_role_id(rol), NULL);
	g.role_id = lc_role_id(rol);
	g.user_id = lc_user_id(usr);
	g.project_id = pid;
	cr_assert_eq(lc_role_grant(sys, &g), 0, "%s", lc_error_last()->message);
	v = events_after(s, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(lc_event_type_of(v[0]), LC_EVENT_CREATE);
	cr_assert_str_eq(lc_event_kind(v[0]), "role_assignment");
	cr_assert_str_eq(lc_event_project_id(v[0]), pid);
	s = lc_event_seq(v[0]);
	free_events(v, n);
	/* Granting again changes nothing (PUT semantics): no event. */
	cr_assert_eq(lc_role_grant(sys, &g), 0);
	cr_assert_eq(last_seq(), s, "an idempotent grant appended an event");
	cr_assert_eq(lc_role_revoke(sys, &g), 0);
	v = events_after(s, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(lc_event_type_of(v[0]), LC_EVENT_DELETE);
	free_events(v, n);
	lc_domain_free(dom);
	lc_user_free(usr);
	lc_role_free(rol);
	free(pid);
}

Test(events, setting_a_quota_appends_an_event)
{
	char pid[64], *id = new_project("quota-ev");
	uint64_t s = last_seq();
	size_t n;
	lc_event **v;

	snprintf(pid, sizeof(pid), "%s", id);
	free(id);

	cr_assert_eq(lc_quota_set(sys, pid, LC_QUOTA_INSTANCES, 3), 0, "%s", lc_error_last()->message);
	v = events_after(s, &n);
	/* event.h: "Every committed mutation appends an event in the same transaction". */
	cr_assert_eq(n, 1, "lc_quota_set committed a change but appended %zu events", n);
	cr_assert_eq(lc_event_type_of(v[0]), LC_EVENT_UPDATE);
	cr_assert_str_eq(lc_event_project_id(v[0]), pid);
	free_events(v, n);
}

/* ---- failed calls ---- */

static atomic_int calls;

static int count_cb(const lc_event *e, void *payload)
{
	(void)e;
	(void)payload;
	atomic_fetch_add(&calls, 1);
	return 0;
}

Test(events, failed_calls_append_nothing_and_call_no_subscriber)
{
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_grant g = LC_GRANT_INIT;
	lc_role *admin = NULL;
	char *pid = new_project("taken");
	uint64_t s = last_seq();
	char bad[] = "bad\x01name";

	atomic_store(&calls, 0);
	cr_assert_eq(lc_cloud_subscribe(cloud, count_cb, NULL, NULL), 0);
	o.name = "taken";
	cr_assert_eq(lc_project_create(NULL, sys, &o), LC_EEXISTS);
	o.name = bad;
	cr_assert_eq(lc_project_create(NULL, sys, &o), LC_EINVALID);
	o.name = "orphan";
	o.parent_id = "0190b0c2-0000-7000-8000-00000000dead";
	cr_assert_eq(lc_project_create(NULL, sys, &o), LC_ENOTFOUND);
	cr_assert_eq(lc_project_delete(sys, "0190b0c2-0000-7000-8000-00000000beef", 0), LC_ENOTFOUND);
	cr_assert_eq(lc_project_delete(sys, pid, 1), LC_EINVALID);
	cr_assert_eq(lc_role_find(&admin, sys, "admin"), 0);
	g.role_id = lc_role_id(admin);
	g.user_id = "0190b0c2-0000-7000-8000-00000000f00d";
	g.project_id = pid;
	cr_assert_eq(lc_role_grant(sys, &g), LC_ENOTFOUND);
	cr_assert_eq(lc_role_revoke(sys, &g), LC_ENOTFOUND);
	cr_assert_eq(lc_role_delete(sys, lc_role_id(admin), 0), LC_ECONFLICT);
	cr_assert_eq(last_seq(), s, "a failed call appended an event");
	cr_assert_eq(atomic_load(&calls), 0, "a failed call invoked a subscriber");
	lc_role_free(admin);
	free(pid);
}

/* ---- cursors ---- */

Test(events, a_cursor_reads_the_events_after_a_sequence_in_order)
{
	char *ids[5];
	uint64_t base = last_seq(), from;
	size_t n;
	lc_event **v;

	for (int i = 0; i < 5; i++) {
		char name[16];
		snprintf(name, sizeof(name), "c%d", i);
		ids[i] = new_project(name);
	}
	v = events_after(base, &n);
	cr_assert_eq(n, 5);
	from = lc_event_seq(v[1]);
	free_events(v, n);

	v = events_after(from, &n);
	cr_assert_eq(n, 3, "after the second create come three");
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(lc_event_resource_id(v[i]), ids[i + 2]);
		if (i)
			cr_assert_gt(lc_event_seq(v[i]), lc_event_seq(v[i - 1]));
	}
	free_events(v, n);
	v = events_after(last_seq(), &n);
	cr_assert_eq(n, 0);
	free(v);
	v = events_after(UINT64_MAX, &n);
	cr_assert_eq(n, 0);
	free(v);
	for (int i = 0; i < 5; i++)
		free(ids[i]);
}

Test(events, a_cursor_at_the_end_sees_events_committed_later)
{
	lc_event_iter *it = NULL;
	lc_event *e = NULL;
	char *id;

	cr_assert_eq(lc_event_iter_new(&it, sys, last_seq()), 0);
	cr_assert_eq(lc_event_iter_next(&e, it), LC_ITEROVER);
	cr_assert_null(e);
	id = new_project("later");
	cr_assert_eq(lc_event_iter_next(&e, it), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_event_resource_id(e), id);
	lc_event_free(e);
	cr_assert_eq(lc_event_iter_next(&e, it), LC_ITEROVER);
	lc_event_iter_free(it);
	free(id);
}

Test(events, the_log_is_for_admins_and_checks_its_arguments)
{
	lc_project_opts po = LC_PROJECT_OPTS_INIT;
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_auth_opts a = LC_AUTH_OPTS_INIT;
	lc_grant g = LC_GRANT_INIT;
	lc_project *p = NULL;
	lc_user *u = NULL;
	lc_role *member = NULL;
	lc_session *m = NULL;
	lc_event_iter *it = (lc_event_iter *)1;
	lc_event *e = (lc_event *)1;

	po.name = "members";
	cr_assert_eq(lc_project_create(&p, sys, &po), 0);
	uo.name = "bob";
	uo.password = "bob-pw";
	cr_assert_eq(lc_user_create(&u, sys, &uo), 0);
	cr_assert_eq(lc_role_find(&member, sys, "member"), 0);
	g.role_id = lc_role_id(member);
	g.user_id = lc_user_id(u);
	g.project_id = lc_project_id(p);
	cr_assert_eq(lc_role_grant(sys, &g), 0);
	a.user_id = lc_user_id(u);
	a.password = "bob-pw";
	a.scope = LC_SCOPE_PROJECT;
	a.project_id = lc_project_id(p);
	cr_assert_eq(lc_session_password(&m, cloud, &a), 0, "%s", lc_error_last()->message);

	cr_assert_eq(lc_event_iter_new(&it, m, 0), LC_EFORBIDDEN);
	cr_assert_null(it);
	cr_assert_eq(lc_event_iter_new(&it, NULL, 0), LC_EINVALID);
	cr_assert_eq(lc_event_iter_new(NULL, sys, 0), LC_EINVALID);
	cr_assert_eq(lc_event_iter_next(&e, NULL), LC_EINVALID);
	cr_assert_null(e);
	cr_assert_eq(lc_event_iter_next(NULL, NULL), LC_EINVALID);
	lc_event_iter_free(NULL);
	lc_event_free(NULL);
	cr_assert_eq(lc_event_seq(NULL), 0);
	cr_assert_null(lc_event_kind(NULL));
	lc_session_free(m);
	lc_role_free(member);
	lc_user_free(u);
	lc_project_free(p);
}

Test(events, another_process_s_events_are_read_through_the_cursor)
{
	uint64_t s = last_seq();
	pid_t pid = fork();
	int st;
	size_t n;
	lc_event **v;

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		lc_cloud_opts o = LC_CLOUD_OPTS_INIT;
		lc_cloud *c = NULL;
		lc_session *cs = NULL;
		lc_project_opts po = LC_PROJECT_OPTS_INIT;

		o.pwhash_strength = LC_PWHASH_MIN;
		po.name = "from-the-child";
		if (lc_cloud_new(&c, &o) || lc_cloud_open(c, tmp, 0) || lc_session_system(&cs, c) ||
		    lc_project_create(NULL, cs, &po))
			_exit(1);
		lc_session_free(cs);
		lc_cloud_free(c);
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	v = events_after(s, &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(lc_event_kind(v[0]), "project");
	free_events(v, n);
}

/* ---- subscriptions ---- */

struct seen {
	int calls;
	int visible_at_call;
	int right_thread;
	pthread_t thread;
	uint64_t seqs[64];
	char last_id[64];
	int stop_after; /* return non-zero at this call (0: never) */
};

static int record_cb(const lc_event *e, void *payload)
{
	struct seen *s = payload;
	lc_project *p = NULL;

	if (s->calls < 64)
		s->seqs[s->calls] = lc_event_seq(e);
	s->calls++;
	snprintf(s->last_id, sizeof(s->last_id), "%s", lc_event_resource_id(e));
	/* After commit: the change is already readable. */
	if (strcmp(lc_event_kind(e), "project") == 0 && lc_event_type_of(e) == LC_EVENT_CREATE &&
	    lc_project_get(&p, sys, lc_event_resource_id(e)) == 0)
		s->visible_at_call++;
	lc_project_free(p);
	if (pthread_equal(pthread_self(), s->thread))
		s->right_thread++;
	return s->stop_after && s->calls >= s->stop_after;
}

Test(events, a_subscriber_gets_each_event_after_commit_in_the_changing_thread)
{
	struct seen s;
	int id = 0;
	char *a, *b;

	memset(&s, 0, sizeof(s));
	s.thread = pthread_self();
	cr_assert_eq(lc_cloud_subscribe(cloud, record_cb, &s, &id), 0);
	cr_assert_gt(id, 0);
	a = new_project("sub-a");
	b = new_project("sub-b");
	cr_assert_eq(s.calls, 2);
	cr_assert_eq(s.visible_at_call, 2, "the callback ran before the change was readable");
	cr_assert_eq(s.right_thread, 2);
	cr_assert_lt(s.seqs[0], s.seqs[1]);
	cr_assert_str_eq(s.last_id, b);
	cr_assert_eq(s.seqs[1], last_seq());
	cr_assert_eq(lc_cloud_unsubscribe(cloud, id), 0);
	free(new_project("sub-c"));
	cr_assert_eq(s.calls, 2, "an unsubscribed callback was called");
	cr_assert_eq(lc_cloud_unsubscribe(cloud, id), LC_ENOTFOUND);
	free(a);
	free(b);
}

Test(events, returning_non_zero_unsubscribes)
{
	struct seen once, always;

	memset(&once, 0, sizeof(once));
	memset(&always, 0, sizeof(always));
	once.thread = always.thread = pthread_self();
	once.stop_after = 1;
	cr_assert_eq(lc_cloud_subscribe(cloud, record_cb, &once, NULL), 0);
	cr_assert_eq(lc_cloud_subscribe(cloud, record_cb, &always, NULL), 0);
	free(new_project("first"));
	free(new_project("second"));
	free(new_project("third"));
	cr_assert_eq(once.calls, 1);
	cr_assert_eq(always.calls, 3, "the other subscriber is unaffected");
}

Test(events, subscribe_and_unsubscribe_check_their_arguments)
{
	lc_cloud *unopened = NULL;

	cr_assert_eq(lc_cloud_subscribe(NULL, count_cb, NULL, NULL), LC_EINVALID);
	cr_assert_eq(lc_cloud_subscribe(cloud, NULL, NULL, NULL), LC_EINVALID);
	cr_assert_eq(lc_cloud_unsubscribe(NULL, 1), LC_EINVALID);
	cr_assert_eq(lc_cloud_unsubscribe(cloud, 12345), LC_ENOTFOUND);
	cr_assert_eq(lc_cloud_new(&unopened, NULL), 0);
	cr_assert_eq(lc_cloud_subscribe(unopened, count_cb, NULL, NULL), LC_EINVALID);
	lc_cloud_free(unopened);
}

struct mt {
	pthread_barrier_t *go;
	int index;
	int failures;
};

static void *mt_main(void *p)
{
	struct mt *m = p;

	pthread_barrier_wait(m->go);
	for (int i = 0; i < 25; i++) {
		lc_project_opts o = LC_PROJECT_OPTS_INIT;
		char name[32];

		snprintf(name, sizeof(name), "mt-%d-%d", m->index, i);
		o.name = name;
		if (lc_project_create(NULL, sys, &o) != 0)
			m->failures++;
	}
	return NULL;
}

static atomic_uint_fast64_t seen_seqs[8 * 25];
static atomic_int nseen;

static int collect_cb(const lc_event *e, void *payload)
{
	int i = atomic_fetch_add(&nseen, 1);

	(void)payload;
	if (i < 8 * 25)
		atomic_store(&seen_seqs[i], lc_event_seq(e));
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

Test(events, concurrent_writers_deliver_every_event_exactly_once)
{
	pthread_t th[8];
	struct mt m[8];
	pthread_barrier_t go;
	uint64_t base = last_seq(), v[8 * 25];

	atomic_store(&nseen, 0);
	cr_assert_eq(lc_cloud_subscribe(cloud, collect_cb, NULL, NULL), 0);
	pthread_barrier_init(&go, NULL, 8);
	for (int i = 0; i < 8; i++) {
		m[i] = (struct mt){ &go, i, 0 };
		pthread_create(&th[i], NULL, mt_main, &m[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(m[i].failures, 0);
	}
	pthread_barrier_destroy(&go);
	cr_assert_eq(atomic_load(&nseen), 8 * 25);
	for (int i = 0; i < 8 * 25; i++)
		v[i] = atomic_load(&seen_seqs[i]);
	qsort(v, 8 * 25, sizeof(v[0]), cmp_u64);
	for (int i = 0; i < 8 * 25; i++)
		cr_assert_eq(v[i], base + 1 + (uint64_t)i, "event %d delivered as seq %llu", i, (unsigned long long)v[i]);
	cr_assert_eq(last_seq(), base + 8 * 25);
}

/* A controller that reacts to an event by changing something else. */
static int reacting_cb(const lc_event *e, void *payload)
{
	int *reactions = payload;

	if (strcmp(lc_event_kind(e), "project") == 0 && lc_event_type_of(e) == LC_EVENT_CREATE) {
		lc_project_opts u = LC_PROJECT_OPTS_INIT;

		u.description = "seen by the controller";
		if (lc_project_update(NULL, sys, lc_event_resource_id(e), &u) == 0)
			(*reactions)++;
	}
	return 0;
}

Test(events, a_subscriber_may_make_changes_of_its_own, .timeout = 20)
{
	int reactions = 0;
	lc_project *p = NULL;
	char *id;

	cr_assert_eq(lc_cloud_subscribe(cloud, reacting_cb, &reactions, NULL), 0);
	alarm(10); /* a deadlock fails the test instead of hanging the suite */
	id = new_project("reacted");
	alarm(0);
	cr_assert_eq(reactions, 1);
	cr_assert_eq(lc_project_get(&p, sys, id), 0);
	cr_assert_str_eq(lc_project_description(p), "seen by the controller");
	lc_project_free(p);
	free(id);
}
