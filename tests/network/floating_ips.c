/* Floating IPs: allocation from external networks, association through a router, release. */
#include <criterion/criterion.h>
#include <string.h>

#include "nettest.h"

static lc_session *s;
static lc_network *net, *ext;
static lc_subnet *sub;

static void setup(void)
{
	n_setup();
	s = n_project("p1", "member", NULL);
	net = n_net(s, "private");
	sub = n_subnet(s, lc_network_id(net), "10.0.0.0/24");
	ext = n_external("public", "203.0.113.0/29"); /* .2 - .6 */
}

static void teardown(void)
{
	lc_subnet_free(sub);
	lc_network_free(net);
	lc_network_free(ext);
	lc_session_free(s);
	n_teardown();
}

TestSuite(floating_ips, .init = setup, .fini = teardown);

static lc_floating_ip *fip(lc_session *who, const char *network_id)
{
	lc_floating_ip_opts o = LC_FLOATING_IP_OPTS_INIT;
	lc_floating_ip *f = NULL;

	o.floating_network_id = network_id;
	N_OK(lc_floating_ip_create(&f, who, &o));
	return f;
}

/* A router from the private subnet to the external network. */
static lc_router *connect(void)
{
	lc_router_opts o = LC_ROUTER_OPTS_INIT;
	lc_router *r = NULL;

	o.external_network_id = lc_network_id(ext);
	N_OK(lc_router_create(&r, s, &o));
	N_OK(lc_router_add_interface(NULL, s, lc_router_id(r), lc_subnet_id(sub), NULL));
	return r;
}

Test(floating_ips, a_floating_ip_comes_from_the_external_network_down_and_unassociated)
{
	lc_floating_ip *f = fip(s, lc_network_id(ext));
	int64_t used;

	cr_assert_str_eq(lc_floating_ip_address(f), "203.0.113.2");
	cr_assert_str_eq(lc_floating_ip_network_id(f), lc_network_id(ext));
	cr_assert_str_eq(lc_floating_ip_subnet_id(f), lc_network_subnet_id(ext, 0));
	cr_assert_str_eq(lc_floating_ip_status(f), "DOWN");
	cr_assert_null(lc_floating_ip_port_id(f));
	cr_assert_null(lc_floating_ip_fixed_ip_address(f));
	cr_assert_null(lc_floating_ip_router_id(f));
	cr_assert_str_eq(lc_floating_ip_project_id(f), lc_session_project_id(s));
	N_OK(lc_quota_get(NULL, &used, n_sys, lc_session_project_id(s), LC_QUOTA_FLOATING_IPS));
	cr_assert_eq(used, 1);
	N_OK(lc_floating_ip_delete(s, lc_floating_ip_id(f), 0));
	N_OK(lc_quota_get(NULL, &used, n_sys, lc_session_project_id(s), LC_QUOTA_FLOATING_IPS));
	cr_assert_eq(used, 0);
	lc_floating_ip_free(f);
	f = fip(s, lc_network_id(ext));
	cr_assert_str_eq(lc_floating_ip_address(f), "203.0.113.2"); /* released, so reused */
	lc_floating_ip_free(f);
}

Test(floating_ips, a_floating_ip_from_a_network_that_is_not_external_is_invalid)
{
	lc_floating_ip_opts o = LC_FLOATING_IP_OPTS_INIT;
	uint64_t seq = n_seq();
	int64_t used;

	o.floating_network_id = lc_network_id(net);
	N_FAILS(LC_EINVALID, lc_floating_ip_create(NULL, s, &o));
	cr_assert_not_null(strstr(lc_error_last()->message, "not a valid external network"));
	cr_assert_eq(n_seq(), seq);
	N_OK(lc_quota_get(NULL, &used, n_sys, lc_session_project_id(s), LC_QUOTA_FLOATING_IPS));
	cr_assert_eq(used, 0);
}

Test(floating_ips, an_external_network_without_subnet_cannot_give_floating_ips)
{
	lc_network_opts no = LC_NETWORK_OPTS_INIT;
	lc_network *bare = NULL;
	lc_floating_ip_opts o = LC_FLOATING_IP_OPTS_INIT;

	no.external = 1;
	N_OK(lc_network_create(&bare, n_admin, &no));
	o.floating_network_id = lc_network_id(bare);
	N_FAILS(LC_EINVALID, lc_floating_ip_create(NULL, s, &o));
	cr_assert_not_null(strstr(lc_error_last()->message, "IPv4 subnet"));
	lc_network_free(bare);
}

Test(floating_ips, the_external_pool_runs_out_with_a_clear_conflict)
{
	lc_floating_ip_opts o = LC_FLOATING_IP_OPTS_INIT;
	uint64_t seq;

	for (int i = 0; i < 5; i++)
		lc_floating_ip_free(fip(s, lc_network_id(ext)));
	seq = n_seq();
	o.floating_network_id = lc_network_id(ext);
	N_FAILS(LC_ECONFLICT, lc_floating_ip_create(NULL, s, &o));
	cr_assert_not_null(strstr(lc_error_last()->message, "No more IP addresses"));
	cr_assert_eq(n_seq(), seq);
}

Test(floating_ips, associating_through_a_router_and_disassociating)
{
	lc_router *r = connect();
	lc_port *p = n_port(s, lc_network_id(net));
	lc_floating_ip *f = fip(s, lc_network_id(ext)), *u = NULL;
	lc_floating_ip_opts o = LC_FLOATING_IP_OPTS_INIT;

	o.port_id = lc_port_id(p);
	N_OK(lc_floating_ip_update(&u, s, lc_floating_ip_id(f), &o));
	cr_assert_str_eq(lc_floating_ip_port_id(u), lc_port_id(p));
	cr_assert_str_eq(lc_floating_ip_fixed_ip_address(u), lc_port_fixed_ip_address(p, 0));
	cr_assert_str_eq(lc_floating_ip_router_id(u), lc_router_id(r));
	cr_assert_str_eq(lc_floating_ip_status(u), "ACTIVE");
	lc_floating_ip_free(u);
	/* the interface and the gateway it uses cannot go while it is associated */
	N_FAILS(LC_ECONFLICT, lc_router_remove_interface(NULL, s, lc_router_id(r), lc_subnet_id(sub), NULL));
	{
		lc_router_opts ro = LC_ROUTER_OPTS_INIT;

		ro.external_network_id = "";
		N_FAILS(LC_ECONFLICT, lc_router_update(NULL, s, lc_router_id(r), &ro));
	}
	o.port_id = "";
	N_OK(lc_floating_ip_update(&u, s, lc_floating_ip_id(f), &o));
	cr_assert_null(lc_floating_ip_port_id(u));
	cr_assert_null(lc_floating_ip_router_id(u));
	cr_assert_str_eq(lc_floating_ip_status(u), "DOWN");
	lc_floating_ip_free(u);
	N_OK(lc_router_remove_interface(NULL, s, lc_router_id(r), lc_subnet_id(sub), NULL));
	lc_floating_ip_free(f);
	lc_port_free(p);
	lc_router_free(r);
}

Test(floating_ips, associating_a_port_with_no_route_to_the_external_network_is_invalid)
{
	lc_port *p = n_port(s, lc_network_id(net));
	lc_floating_ip *f = fip(s, lc_network_id(ext)), *got = NULL;
	lc_floating_ip_opts o = LC_FLOATING_IP_OPTS_INIT;
	lc_router_opts ro = LC_ROUTER_OPTS_INIT;
	lc_router *r = NULL;
	uint64_t seq = n_seq();

	o.port_id = lc_port_id(p);
	N_FAILS(LC_EINVALID, lc_floating_ip_update(NULL, s, lc_floating_ip_id(f), &o));
	cr_assert_not_null(strstr(lc_error_last()->message, "not reachable"), "%s", lc_error_last()->message);
	/* a router on the subnet but without a gateway to that network does not help */
	N_OK(lc_router_create(&r, s, &ro));
	N_OK(lc_router_add_interface(NULL, s, lc_router_id(r), lc_subnet_id(sub), NULL));
	seq = n_seq();
	N_FAILS(LC_EINVALID, lc_floating_ip_update(NULL, s, lc_floating_ip_id(f), &o));
	cr_assert_eq(n_seq(), seq);
	N_OK(lc_floating_ip_get(&got, s, lc_floating_ip_id(f)));
	cr_assert_null(lc_floating_ip_port_id(got));
	lc_floating_ip_free(got);
	lc_router_free(r);
	lc_floating_ip_free(f);
	lc_port_free(p);
}

Test(floating_ips, one_floating_ip_per_fixed_ip_and_association_at_create)
{
	lc_router *r = connect();
	lc_port *p = n_port(s, lc_network_id(net));
	lc_floating_ip_opts o = LC_FLOATING_IP_OPTS_INIT;
	lc_floating_ip *f = NULL;

	o.floating_network_id = lc_network_id(ext);
	o.port_id = lc_port_id(p);
	N_OK(lc_floating_ip_create(&f, s, &o));
	cr_assert_str_eq(lc_floating_ip_status(f), "ACTIVE");
	N_FAILS(LC_ECONFLICT, lc_floating_ip_create(NULL, s, &o));
	cr_assert_not_null(strstr(lc_error_last()->message, "already has floating IP"));
	/* deleting the port disassociates */
	N_OK(lc_port_delete(s, lc_port_id(p), 0));
	{
		lc_floating_ip *after = NULL;

		N_OK(lc_floating_ip_get(&after, s, lc_floating_ip_id(f)));
		cr_assert_null(lc_floating_ip_port_id(after));
		cr_assert_null(lc_floating_ip_router_id(after));
		cr_assert_str_eq(lc_floating_ip_status(after), "DOWN");
		lc_floating_ip_free(after);
	}
	lc_floating_ip_free(f);
	lc_router_free(r);
	lc_port_free(p);
}

Test(floating_ips, a_specific_address_is_the_admins_to_ask_for)
{
	lc_floating_ip_opts o = LC_FLOATING_IP_OPTS_INIT;
	lc_floating_ip *f = NULL;

	o.floating_network_id = lc_network_id(ext);
	o.floating_ip_address = "203.0.113.5";
	N_FAILS(LC_EFORBIDDEN, lc_floating_ip_create(NULL, s, &o));
	N_OK(lc_floating_ip_create(&f, n_admin, &o));
	cr_assert_str_eq(lc_floating_ip_address(f), "203.0.113.5");
	N_FAILS(LC_ECONFLICT, lc_floating_ip_create(NULL, n_admin, &o));
	o.floating_ip_address = "198.51.100.1";
	N_FAILS(LC_EINVALID, lc_floating_ip_create(NULL, n_admin, &o));
	lc_floating_ip_free(f);
}

Test(floating_ips, another_projects_floating_ip_is_not_found)
{
	lc_session *b = n_project("pb", "member", NULL);
	lc_floating_ip *f = fip(s, lc_network_id(ext)), *got = NULL;

	N_FAILS(LC_ENOTFOUND, lc_floating_ip_get(&got, b, lc_floating_ip_id(f)));
	N_FAILS(LC_ENOTFOUND, lc_floating_ip_delete(b, lc_floating_ip_id(f), 0));
	lc_floating_ip_free(f);
	lc_session_free(b);
}
