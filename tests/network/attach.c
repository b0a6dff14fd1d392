/* Internal: the hooks compute uses to give servers ports, inside its own write transactions. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/cloud.h"
#include "core/error.h"
#include "nettest.h"
#include "network/attach.h"

TestSuite(attach, .init = n_setup, .fini = n_teardown);

struct op {
	int kind; /* 0 auto, 1 attach, 2 detach, 3 count device ports */
	lc__net_attach a;
	char port[LC__ID_TEXT], net[LC__ID_TEXT];
	int created, count;
};

static int count_port(lc__txn *t, const lc__rec *port, void *p)
{
	(void)t;
	(void)port;
	((struct op *)p)->count++;
	return 0;
}

static int op_tx(lc__txn *t, void *p)
{
	struct op *o = p;

	switch (o->kind) {
	case 0: return lc__net_auto_network_tx(t, o->a.project_id, o->net);
	case 1: return lc__net_attach_tx(t, &o->a, o->port, &o->created);
	case 2: return lc__net_detach_tx(t, o->port, o->created);
	default:
		o->count = 0;
		return lc__net_device_ports_tx(t, o->a.server_id, NULL, count_port, o);
	}
}

static int run(struct op *o)
{
	return lc__store_write(n_cloud->store, op_tx, o);
}

Test(attach, auto_picks_the_only_usable_network)
{
	char pid[37];
	lc_session *s = n_project("p", "member", pid);
	struct op o = { 0 };
	lc_network *a, *b;

	o.a.project_id = pid;
	N_FAILS(LC_ENOTFOUND, run(&o));
	a = n_net(s, "a");
	N_FAILS(LC_ENOTFOUND, run(&o)); /* no subnet yet */
	lc_subnet_free(n_subnet(s, lc_network_id(a), "10.0.0.0/24"));
	lc_network_free(n_external("public", "203.0.113.0/24")); /* never a server's network */
	N_OK(run(&o));
	cr_assert_str_eq(o.net, lc_network_id(a));
	b = n_net(s, "b");
	lc_subnet_free(n_subnet(s, lc_network_id(b), "10.1.0.0/24"));
	N_FAILS(LC_ECONFLICT, run(&o));
	lc_network_free(a);
	lc_network_free(b);
	lc_session_free(s);
}

Test(attach, a_server_port_on_a_network_comes_and_goes_with_the_server)
{
	char pid[37];
	lc_session *s = n_project("p", "member", pid);
	lc_network *n = n_net(s, "n");
	lc_subnet *sn = n_subnet(s, lc_network_id(n), "10.0.0.0/24");
	struct op o = { 0 };
	lc_port *p = NULL;
	uint64_t used, free_;
	int64_t ports;

	o.kind = 1;
	o.a.project_id = pid;
	o.a.server_id = "0b8e8a8e-1111-4222-8333-944455556666";
	o.a.network_id = lc_network_id(n);
	o.a.fixed_ip = "10.0.0.50";
	o.a.host = "compute-1";
	N_OK(run(&o));
	cr_assert(o.created);
	cr_assert_neq(o.a.group_made[0], '\0'); /* the project's first use of the default group */
	N_OK(lc__net_notify_port(s, o.port, LC_NETWORK_CHANGE_CREATE, o.a.group_made));
	N_OK(lc_port_get(&p, s, o.port));
	cr_assert_str_eq(lc_port_device_owner(p), "compute:nova");
	cr_assert_str_eq(lc_port_device_id(p), o.a.server_id);
	cr_assert_str_eq(lc_port_fixed_ip_address(p, 0), "10.0.0.50");
	cr_assert_str_eq(lc_port_binding_host_id(p), "compute-1");
	cr_assert_str_eq(lc_port_status(p), "ACTIVE");
	cr_assert_eq(lc_port_security_group_count(p), 1);
	lc_port_free(p);
	o.kind = 3;
	N_OK(run(&o));
	cr_assert_eq(o.count, 1);
	o.kind = 2;
	N_OK(run(&o));
	N_FAILS(LC_ENOTFOUND, lc_port_get(&p, s, o.port));
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(sn)));
	cr_assert_eq(used, 0);
	N_OK(lc_quota_get(NULL, &ports, n_sys, pid, LC_QUOTA_PORTS));
	cr_assert_eq(ports, 0);
	lc_subnet_free(sn);
	lc_network_free(n);
	lc_session_free(s);
}

Test(attach, a_users_port_is_bound_then_given_back)
{
	char pid[37], other[37];
	lc_session *s = n_project("p", "member", pid), *b = n_project("q", "member", other);
	lc_network *n = n_net(s, "n"), *theirs = n_net(b, "theirs");
	lc_port *p, *got = NULL;
	struct op o = { 0 };

	lc_subnet_free(n_subnet(s, lc_network_id(n), "10.0.0.0/24"));
	p = n_port(s, lc_network_id(n));
	o.kind = 1;
	o.a.project_id = pid;
	o.a.server_id = "srv-1";
	o.a.port_id = lc_port_id(p);
	N_OK(run(&o));
	cr_assert_not(o.created);
	N_FAILS(LC_ECONFLICT, run(&o)); /* in use now */
	o.kind = 2;
	N_OK(run(&o));
	N_OK(lc_port_get(&got, s, lc_port_id(p)));
	cr_assert_str_eq(lc_port_device_id(got), "");
	cr_assert_str_eq(lc_port_status(got), "DOWN");
	lc_port_free(got);
	/* another project's network or port is not found */
	o.kind = 1;
	o.a.port_id = NULL;
	o.a.network_id = lc_network_id(theirs);
	N_FAILS(LC_ENOTFOUND, run(&o));
	o.a.project_id = other;
	o.a.network_id = NULL;
	o.a.port_id = lc_port_id(p);
	N_FAILS(LC_ENOTFOUND, run(&o));
	lc_port_free(p);
	lc_network_free(n);
	lc_network_free(theirs);
	lc_session_free(s);
	lc_session_free(b);
}
