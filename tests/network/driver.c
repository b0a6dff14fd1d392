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
	cr_assert_eq(sizeof(lc_network_driver), sizeof(lc_driver) + 8 * p);
	cr_assert_eq(LC_NETWORK_CHANGE_CREATE, 1);
	cr_assert_eq(LC_NETWORK_CHANGE_DOWN, 5);
	cr_assert_eq(init.base.version, 1);
	cr_assert_str_eq(init.base.kind, "network");
	cr_assert_null(init.port);
	cr_assert_eq(lc_network_driver_init(&d, 1), 0);
	cr_assert_str_eq(d.base.kind, LC_NETWORK_DRIVER_KIND);
	cr_assert_eq(lc_network_driver_init(&d, 2), LC_EINVALID);
	cr_assert_eq(lc_network_driver_init(NULL, 1), LC_EINVALID);
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
