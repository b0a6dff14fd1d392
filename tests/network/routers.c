/* Routers: gateway, interfaces by subnet and by port, routes, and what they keep from being deleted. */
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
	ext = n_external("public", "203.0.113.0/24");
}

static void teardown(void)
{
	lc_subnet_free(sub);
	lc_network_free(net);
	lc_network_free(ext);
	lc_session_free(s);
	n_teardown();
}

TestSuite(routers, .init = setup, .fini = teardown);

static lc_router *router(const char *gw)
{
	lc_router_opts o = LC_ROUTER_OPTS_INIT;
	lc_router *r = NULL;

	o.name = "r";
	o.external_network_id = gw;
	N_OK(lc_router_create(&r, s, &o));
	return r;
}

Test(routers, a_router_with_a_gateway_takes_an_external_address_with_snat)
{
	lc_router *r = router(lc_network_id(ext)), *got = NULL;
	lc_port *gw = NULL;

	cr_assert_str_eq(lc_router_status(r), "ACTIVE");
	cr_assert_str_eq(lc_router_external_network_id(r), lc_network_id(ext));
	cr_assert(lc_router_enable_snat(r));
	cr_assert_eq(lc_router_external_ip_count(r), 1);
	cr_assert_str_eq(lc_router_external_ip_address(r, 0), "203.0.113.2");
	/* the gateway port belongs to the cloud: the member does not see it, the admin does */
	N_FAILS(LC_ENOTFOUND, lc_port_get(&gw, s, lc_router_gateway_port_id(r)));
	N_OK(lc_port_get(&gw, n_admin, lc_router_gateway_port_id(r)));
	cr_assert_str_eq(lc_port_device_owner(gw), "network:router_gateway");
	cr_assert_str_eq(lc_port_device_id(gw), lc_router_id(r));
	cr_assert_null(lc_port_project_id(gw));
	lc_port_free(gw);
	N_OK(lc_router_get(&got, s, lc_router_id(r)));
	cr_assert_str_eq(lc_router_name(got), "r");
	lc_router_free(got);
	lc_router_free(r);
}

Test(routers, a_gateway_on_a_network_that_is_not_external_is_invalid)
{
	lc_router_opts o = LC_ROUTER_OPTS_INIT;
	uint64_t seq = n_seq();

	o.external_network_id = lc_network_id(net);
	N_FAILS(LC_EINVALID, lc_router_create(NULL, s, &o));
	cr_assert_not_null(strstr(lc_error_last()->message, "not a valid external network"));
	cr_assert_eq(n_seq(), seq);
	o.enable_snat = 0;
	o.external_network_id = lc_network_id(ext);
	N_FAILS(LC_EFORBIDDEN, lc_router_create(NULL, s, &o)); /* SNAT is the admin's to set */
}

Test(routers, setting_and_clearing_the_gateway_by_update)
{
	lc_router *r = router(NULL), *u = NULL;
	lc_router_opts o = LC_ROUTER_OPTS_INIT;
	uint64_t used, free_;
	lc_subnet *esub = NULL;

	cr_assert_null(lc_router_external_network_id(r));
	cr_assert_not(lc_router_enable_snat(r));
	o.external_network_id = lc_network_id(ext);
	N_OK(lc_router_update(&u, s, lc_router_id(r), &o));
	cr_assert_str_eq(lc_router_external_ip_address(u, 0), "203.0.113.2");
	cr_assert(lc_router_enable_snat(u));
	lc_router_free(u);
	o.external_network_id = "";
	N_OK(lc_router_update(&u, s, lc_router_id(r), &o));
	cr_assert_null(lc_router_gateway_port_id(u));
	cr_assert_eq(lc_router_external_ip_count(u), 0);
	lc_router_free(u);
	N_OK(lc_subnet_get(&esub, n_admin, lc_network_subnet_id(ext, 0)));
	N_OK(lc_subnet_ip_usage(&used, &free_, n_admin, lc_subnet_id(esub)));
	cr_assert_eq(used, 0);
	lc_subnet_free(esub);
	lc_router_free(r);
}

Test(routers, an_interface_by_subnet_takes_the_gateway_address)
{
	lc_router *r = router(lc_network_id(ext));
	lc_port *ifp = NULL;
	lc_port_iter *it = NULL;
	lc_port *p = NULL;
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	const char *f[] = { "device_id", lc_router_id(r), NULL };
	int n = 0;

	N_OK(lc_router_add_interface(&ifp, s, lc_router_id(r), lc_subnet_id(sub), NULL));
	cr_assert_str_eq(lc_port_device_owner(ifp), "network:router_interface");
	cr_assert_str_eq(lc_port_device_id(ifp), lc_router_id(r));
	cr_assert_str_eq(lc_port_fixed_ip_address(ifp, 0), "10.0.0.1");
	cr_assert_str_eq(lc_port_fixed_ip_subnet_id(ifp, 0), lc_subnet_id(sub));
	cr_assert_str_eq(lc_port_project_id(ifp), lc_session_project_id(s));
	cr_assert_str_eq(lc_port_status(ifp), "ACTIVE");
	/* `router show` finds interfaces with GET /ports?device_id= */
	lo.filters = f;
	N_OK(lc_port_iter_new(&it, s, &lo));
	while (lc_port_iter_next(&p, it) == 0) {
		cr_assert_str_eq(lc_port_id(p), lc_port_id(ifp));
		n++;
		lc_port_free(p);
	}
	lc_port_iter_free(it);
	cr_assert_eq(n, 1);
	lc_port_free(ifp);
	lc_router_free(r);
}

Test(routers, an_interface_cannot_be_added_twice_to_one_subnet)
{
	lc_router *r = router(NULL);
	lc_network *n2 = n_net(s, "n2");
	lc_subnet *overlap = n_subnet(s, lc_network_id(n2), "10.0.0.0/25");
	uint64_t seq;

	N_OK(lc_router_add_interface(NULL, s, lc_router_id(r), lc_subnet_id(sub), NULL));
	seq = n_seq();
	N_FAILS(LC_EINVALID, lc_router_add_interface(NULL, s, lc_router_id(r), lc_subnet_id(sub), NULL));
	cr_assert_not_null(strstr(lc_error_last()->message, "already has a port on subnet"));
	N_FAILS(LC_EINVALID, lc_router_add_interface(NULL, s, lc_router_id(r), lc_subnet_id(overlap), NULL));
	cr_assert_not_null(strstr(lc_error_last()->message, "overlaps"));
	N_FAILS(LC_EINVALID, lc_router_add_interface(NULL, s, lc_router_id(r), lc_subnet_id(sub), "x"));
	N_FAILS(LC_EINVALID, lc_router_add_interface(NULL, s, lc_router_id(r), NULL, NULL));
	cr_assert_eq(n_seq(), seq);
	lc_subnet_free(overlap);
	lc_network_free(n2);
	lc_router_free(r);
}

Test(routers, a_subnet_without_gateway_cannot_be_an_interface)
{
	lc_router *r = router(NULL);
	lc_network *n2 = n_net(s, "n2");
	lc_subnet_opts so = LC_SUBNET_OPTS_INIT;
	lc_subnet *nogw = NULL;

	so.network_id = lc_network_id(n2);
	so.cidr = "10.7.0.0/24";
	so.gateway_ip = "";
	N_OK(lc_subnet_create(&nogw, s, &so));
	N_FAILS(LC_EINVALID, lc_router_add_interface(NULL, s, lc_router_id(r), lc_subnet_id(nogw), NULL));
	cr_assert_not_null(strstr(lc_error_last()->message, "gateway"));
	lc_subnet_free(nogw);
	lc_network_free(n2);
	lc_router_free(r);
}

Test(routers, an_interface_by_port_keeps_the_ports_address_and_comes_back_on_removal)
{
	lc_router *r = router(NULL);
	lc_network *n2 = n_net(s, "n2");
	lc_subnet *s2 = n_subnet(s, lc_network_id(n2), "10.2.0.0/24");
	lc_port *p = n_port(s, lc_network_id(n2)), *ifp = NULL, *removed = NULL, *gone = NULL;

	N_OK(lc_router_add_interface(&ifp, s, lc_router_id(r), NULL, lc_port_id(p)));
	cr_assert_str_eq(lc_port_id(ifp), lc_port_id(p));
	cr_assert_str_eq(lc_port_fixed_ip_address(ifp, 0), "10.2.0.2");
	cr_assert_str_eq(lc_port_device_owner(ifp), "network:router_interface");
	N_FAILS(LC_ECONFLICT, lc_router_add_interface(NULL, s, lc_router_id(r), NULL, lc_port_id(p)));
	N_OK(lc_router_remove_interface(&removed, s, lc_router_id(r), NULL, lc_port_id(p)));
	cr_assert_str_eq(lc_port_id(removed), lc_port_id(p));
	N_FAILS(LC_ENOTFOUND, lc_port_get(&gone, s, lc_port_id(p))); /* as in Neutron, the port goes */
	lc_port_free(removed);
	lc_port_free(ifp);
	lc_port_free(p);
	lc_subnet_free(s2);
	lc_network_free(n2);
	lc_router_free(r);
}

Test(routers, deleting_a_subnet_used_by_a_router_interface_is_a_conflict)
{
	lc_router *r = router(NULL);
	uint64_t seq;

	N_OK(lc_router_add_interface(NULL, s, lc_router_id(r), lc_subnet_id(sub), NULL));
	seq = n_seq();
	N_FAILS(LC_ECONFLICT, lc_subnet_delete(s, lc_subnet_id(sub), 0));
	cr_assert_not_null(strstr(lc_error_last()->message, lc_router_id(r)), "%s", lc_error_last()->message);
	N_FAILS(LC_ECONFLICT, lc_router_delete(s, lc_router_id(r), 0));
	cr_assert_eq(n_seq(), seq);
	N_OK(lc_router_remove_interface(NULL, s, lc_router_id(r), lc_subnet_id(sub), NULL));
	N_FAILS(LC_ENOTFOUND, lc_router_remove_interface(NULL, s, lc_router_id(r), lc_subnet_id(sub), NULL));
	N_OK(lc_subnet_delete(s, lc_subnet_id(sub), 0));
	N_OK(lc_router_delete(s, lc_router_id(r), 0));
	lc_router_free(r);
}

Test(routers, routes_need_a_nexthop_on_the_routers_subnets)
{
	lc_router *r = router(NULL), *u = NULL;
	lc_router_opts o = LC_ROUTER_OPTS_INIT;
	const char *good[] = { "192.168.0.0/16", "10.0.0.50", NULL };
	const char *bad[] = { "192.168.0.0/16", "10.9.9.9", NULL };
	uint64_t seq;

	o.routes = good;
	N_FAILS(LC_EINVALID, lc_router_update(NULL, s, lc_router_id(r), &o)); /* no interface yet */
	N_OK(lc_router_add_interface(NULL, s, lc_router_id(r), lc_subnet_id(sub), NULL));
	N_OK(lc_router_update(&u, s, lc_router_id(r), &o));
	cr_assert_eq(lc_router_route_count(u), 1);
	cr_assert_str_eq(lc_router_route_nexthop(u, 0), "10.0.0.50");
	lc_router_free(u);
	seq = n_seq();
	o.routes = bad;
	N_FAILS(LC_EINVALID, lc_router_update(NULL, s, lc_router_id(r), &o));
	cr_assert_not_null(strstr(lc_error_last()->message, "not connected"));
	/* the interface carrying the route's next hop cannot go */
	N_FAILS(LC_ECONFLICT, lc_router_remove_interface(NULL, s, lc_router_id(r), lc_subnet_id(sub), NULL));
	cr_assert_eq(n_seq(), seq);
	lc_router_free(r);
}

Test(routers, another_projects_router_is_not_found)
{
	lc_session *b = n_project("pb", "member", NULL);
	lc_router *r = router(NULL), *got = NULL;

	N_FAILS(LC_ENOTFOUND, lc_router_get(&got, b, lc_router_id(r)));
	N_FAILS(LC_ENOTFOUND, lc_router_add_interface(NULL, b, lc_router_id(r), lc_subnet_id(sub), NULL));
	N_FAILS(LC_ENOTFOUND, lc_router_delete(b, lc_router_id(r), 0));
	lc_router_free(r);
	lc_session_free(b);
}

Test(routers, deleting_a_router_releases_its_gateway_address)
{
	lc_router *r = router(lc_network_id(ext)), *r2;

	N_OK(lc_router_delete(s, lc_router_id(r), 0));
	r2 = router(lc_network_id(ext));
	cr_assert_str_eq(lc_router_external_ip_address(r2, 0), "203.0.113.2");
	lc_router_free(r);
	lc_router_free(r2);
}
