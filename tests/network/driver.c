/* The network driver seam: vtable layout, the built-in noop driver, notifications and failures. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "nettest.h"

/* ---- a recording driver ---- */

enum { K_NET, K_SUB, K_PORT, K_RTR, K_IF, K_FIP, K_SG, K_RULE, K_N };

typedef struct rec_driver {
	lc_network_driver d;
	int calls[K_N][6];
	int fail_port_create;
	int fail_port_update;
	char last_port_status[16];
} rec_driver;

static rec_driver *rd; /* the cloud owns it; valid until teardown */

static int rec(lc_network_driver *self, int kind, int change)
{
	rec_driver *r = (rec_driver *)self;

	r->calls[kind][change]++;
	return 0;
}

static int on_network(lc_network_driver *self, int change, const lc_network *n)
{
	(void)n;
	return rec(self, K_NET, change);
}

static int on_subnet(lc_network_driver *self, int change, const lc_subnet *sn)
{
	(void)sn;
	return rec(self, K_SUB, change);
}

static int on_port(lc_network_driver *self, int change, const lc_port *p)
{
	rec_driver *r = (rec_driver *)self;

	rec(self, K_PORT, change);
	snprintf(r->last_port_status, sizeof(r->last_port_status), "%s", lc_port_status(p));
	if (r->fail_port_create && change == LC_NETWORK_CHANGE_CREATE)
		return LC_EBACKEND;
	if (r->fail_port_update && change != LC_NETWORK_CHANGE_CREATE && change != LC_NETWORK_CHANGE_DELETE)
		return LC_EBACKEND;
	return 0;
}

static int on_interface(lc_network_driver *self, int change, const lc_router *rt, const lc_port *p)
{
	cr_assert_str_eq(lc_port_device_id(p), lc_router_id(rt));
	return rec(self, K_IF, change);
}

static int on_fip(lc_network_driver *self, int change, const lc_floating_ip *f)
{
	(void)f;
	return rec(self, K_FIP, change);
}

static int on_sg(lc_network_driver *self, int change, const lc_security_group *g)
{
	(void)g;
	return rec(self, K_SG, change);
}

static int on_rule(lc_network_driver *self, int change, const lc_security_group_rule *r)
{
	(void)r;
	return rec(self, K_RULE, change);
}

static void rec_free(lc_driver *self)
{
	free(self);
}

/* No router method: routers are not supported by this driver. */
static void setup_recording(void)
{
	rd = calloc(1, sizeof(*rd));
	cr_assert_not_null(rd);
	cr_assert_eq(lc_network_driver_init(&rd->d, LC_NETWORK_DRIVER_VERSION), 0);
	rd->d.base.name = "recorder";
	rd->d.base.free = rec_free;
	rd->d.network = on_network;
	rd->d.subnet = on_subnet;
	rd->d.port = on_port;
	rd->d.router_interface = on_interface;
	rd->d.floating_ip = on_fip;
	rd->d.security_group = on_sg;
	rd->d.security_group_rule = on_rule;
	n_setup_with(&rd->d);
}

TestSuite(driver_noop, .init = n_setup, .fini = n_teardown);
TestSuite(driver_seam, .init = setup_recording, .fini = n_teardown);
TestSuite(driver_layout);

Test(driver_layout, version_1_vtable_layout_is_frozen)
{
	lc_network_driver init = LC_NETWORK_DRIVER_INIT, d;
	size_t p = sizeof(void (*)(void));

	cr_assert_eq(offsetof(lc_network_driver, base), 0);
	cr_assert_eq(offsetof(lc_network_driver, network), sizeof(lc_driver));
	cr_assert_eq(offsetof(lc_network_driver, subnet), sizeof(lc_driver) + 1 * p);
	cr_assert_eq(offsetof(lc_network_driver, port), sizeof(lc_driver) + 2 * p);
	cr_assert_eq(offsetof(lc_network_driver, router), sizeof(lc_driver) + 3 * p);
	cr_assert_eq(offsetof(lc_network_driver, router_interface), sizeof(lc_driver) + 4 * p);
	cr_assert_eq(offsetof(lc_network_driver, floating_ip), sizeof(lc_driver) + 5 * p);
	cr_assert_eq(offsetof(lc_network_driver, security_group), sizeof(lc_driver) + 6 * p);
	cr_assert_eq(offsetof(lc_network_driver, security_group_rule), sizeof(lc_driver) + 7 * p);
	cr_assert_eq(LC_NETWORK_CHANGE_CREATE, 1);
	cr_assert_eq(LC_NETWORK_CHANGE_DOWN, 5);
	cr_assert_str_eq(init.base.kind, "network");
	cr_assert_null(init.port);
	cr_assert_eq(lc_network_driver_init(&d, 1), 0);
	cr_assert_str_eq(d.base.kind, LC_NETWORK_DRIVER_KIND);
	cr_assert_eq(d.base.version, 1);
	cr_assert_eq(lc_network_driver_init(NULL, 1), LC_EINVALID);
}

Test(driver_layout, version_2_appends_replay_and_init_of_version_1_writes_only_version_1)
{
	lc_network_driver init = LC_NETWORK_DRIVER_INIT, d;
	size_t p = sizeof(void (*)(void));
	int marker;

	cr_assert_eq(offsetof(lc_network_driver, replay), sizeof(lc_driver) + 8 * p);
	cr_assert_eq(sizeof(lc_network_driver), sizeof(lc_driver) + 9 * p);
	cr_assert_eq(LC_NETWORK_DRIVER_VERSION, 2);
	cr_assert_eq(init.base.version, 2);
	cr_assert_null(init.replay);
	cr_assert_eq(LC_NETWORK_CHANGE_REPLAY, 6);
	cr_assert_eq(LC_NETWORK_REPLAY_BEGIN, 1);
	cr_assert_eq(LC_NETWORK_REPLAY_END, 2);
	/* a version 1 struct is shorter: what lies beyond it stays untouched */
	d.replay = (int (*)(lc_network_driver *, int))(void *)&marker;
	cr_assert_eq(lc_network_driver_init(&d, 1), 0);
	cr_assert_eq((void *)d.replay, (void *)&marker);
	cr_assert_eq(lc_network_driver_init(&d, 2), 0);
	cr_assert_null(d.replay);
	cr_assert_eq(d.base.version, 2);
	cr_assert_eq(lc_network_driver_init(&d, 3), LC_EINVALID);
}

/* ---- replay at open ---- */

enum { K_BEGIN = K_N, K_END, K_ALL };

typedef struct replayer {
	lc_network_driver d;
	int replayed[K_ALL]; /* LC_NETWORK_CHANGE_REPLAY calls per kind, and the phases */
	int other;           /* calls with any other change */
	int order[256];      /* kinds in the order told */
	int n;
	int fail_begin;
	int fail_ports;
} replayer;

static replayer *rp;

static int note(lc_network_driver *self, int kind, int change)
{
	replayer *r = (replayer *)self;

	if (change != LC_NETWORK_CHANGE_REPLAY) {
		r->other++;
		return 0;
	}
	r->replayed[kind]++;
	if (r->n < 256)
		r->order[r->n++] = kind;
	return 0;
}

static int r_network(lc_network_driver *self, int change, const lc_network *n)
{
	cr_assert_not_null(lc_network_id(n));
	return note(self, K_NET, change);
}

static int r_subnet(lc_network_driver *self, int change, const lc_subnet *sn)
{
	cr_assert_not_null(lc_subnet_cidr(sn));
	return note(self, K_SUB, change);
}

static int r_port(lc_network_driver *self, int change, const lc_port *p)
{
	cr_assert_not_null(lc_port_mac_address(p));
	note(self, K_PORT, change);
	return ((replayer *)self)->fail_ports && change == LC_NETWORK_CHANGE_REPLAY ? LC_EBACKEND : 0;
}

static int r_router(lc_network_driver *self, int change, const lc_router *rt)
{
	cr_assert_not_null(lc_router_id(rt));
	return note(self, K_RTR, change);
}

static int r_interface(lc_network_driver *self, int change, const lc_router *rt, const lc_port *p)
{
	cr_assert_str_eq(lc_port_device_id(p), lc_router_id(rt));
	return note(self, K_IF, change);
}

static int r_fip(lc_network_driver *self, int change, const lc_floating_ip *f)
{
	cr_assert_not_null(lc_floating_ip_id(f));
	return note(self, K_FIP, change);
}

static int r_sg(lc_network_driver *self, int change, const lc_security_group *g)
{
	cr_assert_not_null(lc_security_group_id(g));
	return note(self, K_SG, change);
}

static int r_rule(lc_network_driver *self, int change, const lc_security_group_rule *r)
{
	cr_assert_not_null(lc_security_group_rule_id(r));
	return note(self, K_RULE, change);
}

static int r_replay(lc_network_driver *self, int phase)
{
	replayer *r = (replayer *)self;

	cr_assert(phase == LC_NETWORK_REPLAY_BEGIN || phase == LC_NETWORK_REPLAY_END);
	note(self, phase == LC_NETWORK_REPLAY_BEGIN ? K_BEGIN : K_END, LC_NETWORK_CHANGE_REPLAY);
	return phase == LC_NETWORK_REPLAY_BEGIN && r->fail_begin ? LC_EBACKEND : 0;
}

/* A driver with every method; version 2 with replay unless version is 1 or with_replay is 0. */
static replayer *new_replayer(unsigned int version, int with_replay)
{
	replayer *r = calloc(1, sizeof(*r));

	cr_assert_not_null(r);
	cr_assert_eq(lc_network_driver_init(&r->d, LC_NETWORK_DRIVER_VERSION), 0);
	r->d.base.version = version;
	r->d.base.name = "replayer";
	r->d.base.free = rec_free;
	r->d.network = r_network;
	r->d.subnet = r_subnet;
	r->d.port = r_port;
	r->d.router = r_router;
	r->d.router_interface = r_interface;
	r->d.floating_ip = r_fip;
	r->d.security_group = r_sg;
	r->d.security_group_rule = r_rule;
	r->d.replay = with_replay ? r_replay : NULL; /* set on version 1 too: it must not be called */
	return r;
}

static void setup_replay(void)
{
	rp = new_replayer(2, 1);
	n_setup_with(&rp->d);
}

TestSuite(driver_replay, .init = setup_replay, .fini = n_teardown);

static size_t count_groups(void)
{
	lc_security_group_iter *it = NULL;
	lc_security_group *g = NULL;
	size_t n = 0;

	N_OK(lc_security_group_iter_new(&it, n_admin, NULL));
	while (lc_security_group_iter_next(&g, it) == 0) {
		n++;
		lc_security_group_free(g);
	}
	lc_security_group_iter_free(it);
	return n;
}

static size_t count_rules(void)
{
	lc_security_group_rule_iter *it = NULL;
	lc_security_group_rule *r = NULL;
	size_t n = 0;

	N_OK(lc_security_group_rule_iter_new(&it, n_admin, NULL));
	while (lc_security_group_rule_iter_next(&r, it) == 0) {
		n++;
		lc_security_group_rule_free(r);
	}
	lc_security_group_rule_iter_free(it);
	return n;
}

/* The classic topology: external network, tenant network, port, router with gateway and interface, floating IP. */
static void build_topology(lc_session *s, char port_id[37])
{
	lc_network *ext = n_external("ext", "203.0.113.0/24");
	lc_network *n = n_net(s, "n");
	lc_subnet *sn = n_subnet(s, lc_network_id(n), "10.0.0.0/24");
	lc_port *p = n_port(s, lc_network_id(n));
	lc_router_opts ro = LC_ROUTER_OPTS_INIT;
	lc_floating_ip_opts fo = LC_FLOATING_IP_OPTS_INIT;
	lc_security_group_opts go = LC_SECURITY_GROUP_OPTS_INIT;
	lc_router *r = NULL;

	ro.external_network_id = lc_network_id(ext);
	N_OK(lc_router_create(&r, s, &ro));
	N_OK(lc_router_add_interface(NULL, s, lc_router_id(r), lc_subnet_id(sn), NULL));
	fo.floating_network_id = lc_network_id(ext);
	fo.port_id = lc_port_id(p);
	N_OK(lc_floating_ip_create(NULL, s, &fo));
	go.name = "web";
	N_OK(lc_security_group_create(NULL, s, &go));
	snprintf(port_id, 37, "%s", lc_port_id(p));
	lc_router_free(r);
	lc_port_free(p);
	lc_subnet_free(sn);
	lc_network_free(n);
	lc_network_free(ext);
}

Test(driver_replay, a_restarted_driver_is_told_the_whole_model_in_dependency_order)
{
	lc_session *s = n_project("p1", "member", NULL);
	size_t groups, rules;
	char port_id[37];
	int rank[K_ALL] = { [K_BEGIN] = 0, [K_SG] = 1, [K_RULE] = 2, [K_NET] = 3, [K_SUB] = 4, [K_PORT] = 5,
			    [K_RTR] = 6, [K_IF] = 7, [K_FIP] = 8, [K_END] = 9 };

	/* the first open had nothing to tell */
	cr_assert_eq(rp->n, 2);
	cr_assert_eq(rp->order[0], K_BEGIN);
	cr_assert_eq(rp->order[1], K_END);
	build_topology(s, port_id);
	groups = count_groups();
	rules = count_rules();
	cr_assert_geq(groups, 2);
	lc_session_free(s);
	rp = new_replayer(2, 1);
	n_reopen(NULL, &rp->d);
	cr_assert_eq(rp->other, 0, "a replay is only replay calls");
	cr_assert_eq(rp->replayed[K_BEGIN], 1);
	cr_assert_eq(rp->replayed[K_END], 1);
	cr_assert_eq(rp->replayed[K_NET], 2, "nets %d sg %d rule %d sub %d port %d n %d", rp->replayed[K_NET], rp->replayed[K_SG], rp->replayed[K_RULE], rp->replayed[K_SUB], rp->replayed[K_PORT], rp->n);
	cr_assert_eq(rp->replayed[K_SUB], 2);
	cr_assert_eq(rp->replayed[K_PORT], 1, "router and floating IP ports are told through them");
	cr_assert_eq(rp->replayed[K_RTR], 1);
	cr_assert_eq(rp->replayed[K_IF], 1);
	cr_assert_eq(rp->replayed[K_FIP], 1);
	cr_assert_eq((size_t)rp->replayed[K_SG], groups);
	cr_assert_eq((size_t)rp->replayed[K_RULE], rules);
	cr_assert_eq(rp->order[0], K_BEGIN);
	cr_assert_eq(rp->order[rp->n - 1], K_END);
	for (int i = 1; i < rp->n; i++)
		cr_assert_leq(rank[rp->order[i - 1]], rank[rp->order[i]], "kind %d told after kind %d",
			      rp->order[i], rp->order[i - 1]);
}

Test(driver_replay, every_record_is_told_once_across_read_batches)
{
	lc_session *s;

	for (int i = 0; i < 70; i++)
		lc_network_free(n_net(n_admin, "n"));
	s = n_project("p2", "member", NULL);
	for (int i = 0; i < 70; i++)
		lc_network_free(n_net(s, "n")); /* past the quota of one project */
	lc_session_free(s);
	rp = new_replayer(2, 1);
	n_reopen(NULL, &rp->d);
	cr_assert_eq(rp->replayed[K_NET], 140);
}

Test(driver_replay, a_failure_marks_the_resource_and_the_replay_goes_on)
{
	lc_session *s = n_project("p1", "member", NULL);
	lc_port *p = NULL;
	char port_id[37];

	build_topology(s, port_id);
	lc_session_free(s);
	rp = new_replayer(2, 1);
	rp->fail_ports = 1;
	n_reopen(NULL, &rp->d);
	cr_assert_eq(rp->replayed[K_PORT], 1);
	cr_assert_eq(rp->replayed[K_FIP], 1, "what follows the failure is told");
	cr_assert_eq(rp->replayed[K_END], 1);
	N_OK(lc_port_get(&p, n_admin, port_id));
	cr_assert_str_eq(lc_port_status(p), "ERROR");
	lc_port_free(p);
}

Test(driver_replay, a_refused_begin_skips_the_replay_and_the_cloud_opens)
{
	lc_session *s = n_project("p1", "member", NULL);
	char port_id[37];

	build_topology(s, port_id);
	lc_session_free(s);
	rp = new_replayer(2, 1);
	rp->fail_begin = 1;
	n_reopen(NULL, &rp->d);
	cr_assert_eq(rp->replayed[K_BEGIN], 1);
	cr_assert_eq(rp->n, 1, "nothing after a refused begin");
	cr_assert_geq(n_count_networks(n_admin), 2);
}

Test(driver_replay, a_driver_without_replay_loads_and_is_not_replayed)
{
	lc_session *s = n_project("p1", "member", NULL);
	char port_id[37];

	build_topology(s, port_id);
	lc_session_free(s);
	/* version 1: the replay member is beyond its struct, even when something is there */
	rp = new_replayer(1, 1);
	n_reopen(NULL, &rp->d);
	cr_assert_eq(rp->n, 0);
	lc_network_free(n_net(n_admin, "after"));
	cr_assert_eq(rp->other, 1, "the version 1 driver is in use");
	/* version 2 without a replay method */
	rp = new_replayer(2, 0);
	n_reopen(NULL, &rp->d);
	cr_assert_eq(rp->n, 0);
	cr_assert_eq(rp->other, 0);
}

Test(driver_noop, the_noop_driver_is_registered_by_default)
{
	lc_driver *d = lc_cloud_driver(n_cloud, "network", "noop");

	cr_assert_not_null(d);
	cr_assert_eq(d->version, LC_NETWORK_DRIVER_VERSION);
	cr_assert_not_null(((lc_network_driver *)d)->router);
}

Test(driver_seam, every_change_reaches_the_driver_after_commit)
{
	lc_session *s = n_project("p1", "member", NULL);
	lc_network *n = n_net(s, "n");
	lc_subnet *sn = n_subnet(s, lc_network_id(n), "10.0.0.0/24");
	lc_port *p = n_port(s, lc_network_id(n));
	lc_port_opts o = LC_PORT_OPTS_INIT;

	cr_assert_eq(rd->calls[K_NET][LC_NETWORK_CHANGE_CREATE], 1);
	cr_assert_eq(rd->calls[K_SUB][LC_NETWORK_CHANGE_CREATE], 1);
	cr_assert_eq(rd->calls[K_PORT][LC_NETWORK_CHANGE_CREATE], 1);
	cr_assert_eq(rd->calls[K_SG][LC_NETWORK_CHANGE_CREATE], 1);   /* the default group, made for the port */
	cr_assert_eq(rd->calls[K_RULE][LC_NETWORK_CHANGE_CREATE], 4); /* and its rules */
	o.admin_state_up = 0;
	N_OK(lc_port_update(NULL, s, lc_port_id(p), &o));
	cr_assert_eq(rd->calls[K_PORT][LC_NETWORK_CHANGE_DOWN], 1);
	o.admin_state_up = 1;
	N_OK(lc_port_update(NULL, s, lc_port_id(p), &o));
	cr_assert_eq(rd->calls[K_PORT][LC_NETWORK_CHANGE_UP], 1);
	o.admin_state_up = LC_UNSET;
	o.name = "named";
	N_OK(lc_port_update(NULL, s, lc_port_id(p), &o));
	cr_assert_eq(rd->calls[K_PORT][LC_NETWORK_CHANGE_UPDATE], 1);
	N_OK(lc_port_delete(s, lc_port_id(p), 0));
	cr_assert_eq(rd->calls[K_PORT][LC_NETWORK_CHANGE_DELETE], 1);
	N_OK(lc_network_delete(s, lc_network_id(n), 0));
	cr_assert_eq(rd->calls[K_NET][LC_NETWORK_CHANGE_DELETE], 1);
	lc_port_free(p);
	lc_subnet_free(sn);
	lc_network_free(n);
	lc_session_free(s);
}

Test(driver_seam, a_driver_failure_on_create_leaves_nothing_behind)
{
	lc_session *s = n_project("p1", "member", NULL);
	lc_network *n = n_net(s, "n");
	lc_subnet *sn = n_subnet(s, lc_network_id(n), "10.0.0.0/24");
	lc_port_opts o = LC_PORT_OPTS_INIT;
	lc_port *p = NULL;
	uint64_t used, free_;
	int64_t ports;

	rd->fail_port_create = 1;
	o.network_id = lc_network_id(n);
	N_FAILS(LC_EBACKEND, lc_port_create(&p, s, &o));
	cr_assert_null(p);
	cr_assert_eq(n_count_ports(s), 0);
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(sn)));
	cr_assert_eq(used, 0);
	N_OK(lc_quota_get(NULL, &ports, n_sys, lc_session_project_id(s), LC_QUOTA_PORTS));
	cr_assert_eq(ports, 0);
	rd->fail_port_create = 0;
	p = n_port(s, lc_network_id(n));
	cr_assert_str_eq(lc_port_fixed_ip_address(p, 0), "10.0.0.2");
	lc_port_free(p);
	lc_subnet_free(sn);
	lc_network_free(n);
	lc_session_free(s);
}

Test(driver_seam, a_driver_failure_on_update_puts_the_port_in_error)
{
	lc_session *s = n_project("p1", "member", NULL);
	lc_network *n = n_net(s, "n");
	lc_port *p = n_port(s, lc_network_id(n)), *got = NULL;
	lc_port_opts o = LC_PORT_OPTS_INIT;

	rd->fail_port_update = 1;
	o.name = "x";
	N_FAILS(LC_EBACKEND, lc_port_update(NULL, s, lc_port_id(p), &o));
	N_OK(lc_port_get(&got, s, lc_port_id(p)));
	cr_assert_str_eq(lc_port_status(got), "ERROR");
	cr_assert_str_eq(lc_port_name(got), "x");
	lc_port_free(got);
	lc_port_free(p);
	lc_network_free(n);
	lc_session_free(s);
}

Test(driver_seam, a_missing_method_means_not_supported_before_anything_changes)
{
	lc_session *s = n_project("p1", "member", NULL);
	lc_router_opts o = LC_ROUTER_OPTS_INIT;
	lc_router *r = NULL;
	uint64_t seq = n_seq();

	N_FAILS(LC_ENOTSUPPORTED, lc_router_create(&r, s, &o));
	cr_assert_null(r);
	cr_assert_not_null(strstr(lc_error_last()->message, "recorder"));
	cr_assert_eq(n_seq(), seq);
	/* the noop driver is registered all the same, but not used */
	cr_assert_not_null(lc_cloud_driver(n_cloud, "network", "noop"));
	lc_session_free(s);
}
