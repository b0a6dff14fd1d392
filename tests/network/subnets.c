/* Subnets: CIDR, gateway and pool validation (each bad input changes nothing), defaults, IPv6. */
#include <criterion/criterion.h>
#include <string.h>

#include "nettest.h"

static lc_session *s;
static lc_network *net;

static void setup(void)
{
	n_setup();
	s = n_project("p1", "member", NULL);
	net = n_net(s, "n");
}

static void teardown(void)
{
	lc_network_free(net);
	lc_session_free(s);
	n_teardown();
}

TestSuite(subnets, .init = setup, .fini = teardown);

/* Create a subnet expected to fail with code; assert nothing was committed. */
static void rejects(int code, lc_subnet_opts *o, const char *words)
{
	uint64_t seq = n_seq();
	lc_subnet *sn = NULL;
	lc_network *again = NULL;
	int rc;

	if (o->network_id == NULL)
		o->network_id = lc_network_id(net);
	rc = lc_subnet_create(&sn, s, o);
	cr_assert_eq(rc, code, "%s: got %d (%s)", o->cidr ? o->cidr : "(null)", rc, lc_error_last()->message);
	cr_assert_null(sn);
	if (words)
		cr_assert_not_null(strstr(lc_error_last()->message, words), "message: %s", lc_error_last()->message);
	cr_assert_eq(n_seq(), seq, "a rejected subnet committed something");
	N_OK(lc_network_get(&again, s, lc_network_id(net)));
	cr_assert_eq(lc_network_subnet_count(again), 0);
	cr_assert_eq(lc_network_revision(again), lc_network_revision(net));
	lc_network_free(again);
}

Test(subnets, defaults_gateway_first_address_and_pool_the_rest)
{
	lc_subnet *sn = n_subnet(s, lc_network_id(net), "10.1.0.0/24");
	lc_network *again = NULL;
	uint64_t used = 9, free_ = 0;

	cr_assert_str_eq(lc_subnet_cidr(sn), "10.1.0.0/24");
	cr_assert_eq(lc_subnet_ip_version(sn), 4);
	cr_assert_str_eq(lc_subnet_gateway_ip(sn), "10.1.0.1");
	cr_assert(lc_subnet_enable_dhcp(sn));
	cr_assert_eq(lc_subnet_pool_count(sn), 1);
	cr_assert_str_eq(lc_subnet_pool_start(sn, 0), "10.1.0.2");
	cr_assert_str_eq(lc_subnet_pool_end(sn, 0), "10.1.0.254");
	cr_assert_null(lc_subnet_pool_start(sn, 1));
	cr_assert_eq(lc_subnet_dns_nameserver_count(sn), 0);
	cr_assert_null(lc_subnet_ipv6_ra_mode(sn));
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(sn)));
	cr_assert_eq(used, 0);
	cr_assert_eq(free_, 253);
	N_OK(lc_network_get(&again, s, lc_network_id(net)));
	cr_assert_eq(lc_network_subnet_count(again), 1);
	cr_assert_str_eq(lc_network_subnet_id(again, 0), lc_subnet_id(sn));
	cr_assert_eq(lc_network_revision(again), 2);
	lc_network_free(again);
	lc_subnet_free(sn);
}

Test(subnets, ipv6_with_slaac_a_64_and_pools_to_the_last_address)
{
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	lc_subnet *sn = NULL;
	uint64_t used, free_;

	o.network_id = lc_network_id(net);
	o.cidr = "2001:DB8:0:1::/64";
	o.ip_version = 6;
	o.ipv6_ra_mode = "slaac";
	o.ipv6_address_mode = "slaac";
	N_OK(lc_subnet_create(&sn, s, &o));
	cr_assert_str_eq(lc_subnet_cidr(sn), "2001:db8:0:1::/64");
	cr_assert_str_eq(lc_subnet_gateway_ip(sn), "2001:db8:0:1::1");
	cr_assert_str_eq(lc_subnet_pool_start(sn, 0), "2001:db8:0:1::2");
	cr_assert_str_eq(lc_subnet_pool_end(sn, 0), "2001:db8:0:1:ffff:ffff:ffff:ffff");
	cr_assert_str_eq(lc_subnet_ipv6_address_mode(sn), "slaac");
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(sn)));
	cr_assert_eq(free_, UINT64_MAX - 1); /* 2^64 - 2: every address but the network one and the gateway */
	lc_subnet_free(sn);
	o.cidr = "2001:db8:0:2::/80";
	N_FAILS(LC_EINVALID, lc_subnet_create(NULL, s, &o));
	cr_assert_not_null(strstr(lc_error_last()->message, "/64"));
}

Test(subnets, given_pools_gateway_dns_and_routes_are_kept_in_canonical_form)
{
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	const char *pools[] = { "192.168.5.100", "192.168.5.120", "192.168.5.10", "192.168.5.20", NULL };
	const char *dns[] = { "8.8.8.8", "2001:4860:4860::8888", NULL };
	const char *routes[] = { "172.16.0.0/12", "192.168.5.254", NULL };
	lc_subnet *sn = NULL;

	o.network_id = lc_network_id(net);
	o.cidr = "192.168.5.0/24";
	o.gateway_ip = "192.168.5.254";
	o.allocation_pools = pools;
	o.dns_nameservers = dns;
	o.host_routes = routes;
	o.enable_dhcp = 0;
	N_OK(lc_subnet_create(&sn, s, &o));
	cr_assert_eq(lc_subnet_pool_count(sn), 2);
	cr_assert_str_eq(lc_subnet_pool_start(sn, 0), "192.168.5.10"); /* sorted */
	cr_assert_str_eq(lc_subnet_pool_end(sn, 1), "192.168.5.120");
	cr_assert_str_eq(lc_subnet_dns_nameserver(sn, 1), "2001:4860:4860::8888");
	cr_assert_str_eq(lc_subnet_host_route_destination(sn, 0), "172.16.0.0/12");
	cr_assert_str_eq(lc_subnet_host_route_nexthop(sn, 0), "192.168.5.254");
	cr_assert_not(lc_subnet_enable_dhcp(sn));
	lc_subnet_free(sn);
}

Test(subnets, no_gateway_when_asked)
{
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	lc_subnet *sn = NULL;

	o.network_id = lc_network_id(net);
	o.cidr = "10.9.0.0/29";
	o.gateway_ip = "";
	N_OK(lc_subnet_create(&sn, s, &o));
	cr_assert_null(lc_subnet_gateway_ip(sn));
	cr_assert_str_eq(lc_subnet_pool_start(sn, 0), "10.9.0.1");
	cr_assert_str_eq(lc_subnet_pool_end(sn, 0), "10.9.0.6");
	lc_subnet_free(sn);
}

Test(subnets, rejects_a_malformed_cidr)
{
	const char *bad[] = { "10.0.0.0", "10.0.0.0/", "10.0.0/24", "10.0.0.256/24", "10.0.0.0/33", "10.0.0.0/-1",
			      "10.0.0.0/024", "fe80::/129", "hello", "", " 10.0.0.0/24", NULL };

	for (int i = 0; bad[i]; i++) {
		lc_subnet_opts o = LC_SUBNET_OPTS_INIT;

		o.cidr = bad[i];
		rejects(LC_EINVALID, &o, NULL);
	}
}

Test(subnets, rejects_a_cidr_with_host_bits_set)
{
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;

	o.cidr = "10.0.0.5/24";
	rejects(LC_EINVALID, &o, "host bits set (the network is 10.0.0.0/24)");
	o.cidr = "2001:db8::1/64";
	rejects(LC_EINVALID, &o, "host bits");
}

Test(subnets, rejects_prefixes_outside_the_limits)
{
	const char *bad[] = { "10.0.0.0/31", "10.0.0.0/32", "10.0.0.0/7", "0.0.0.0/0", "2001:db8::/127", "2000::/3",
			      NULL };

	for (int i = 0; bad[i]; i++) {
		lc_subnet_opts o = LC_SUBNET_OPTS_INIT;

		o.cidr = bad[i];
		rejects(LC_EINVALID, &o, "prefix length");
	}
}

Test(subnets, rejects_an_ip_version_that_does_not_match)
{
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;

	o.cidr = "10.0.0.0/24";
	o.ip_version = 6;
	rejects(LC_EINVALID, &o, "IPv6");
	o.ip_version = 4;
	o.ipv6_ra_mode = "slaac";
	rejects(LC_EINVALID, &o, "IPv6 modes");
}

Test(subnets, rejects_a_cidr_overlapping_another_subnet_of_the_network)
{
	lc_subnet *a = n_subnet(s, lc_network_id(net), "10.0.0.0/16");
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	lc_network *other = n_net(s, "other");
	uint64_t seq = n_seq();

	o.network_id = lc_network_id(net);
	o.cidr = "10.0.128.0/24";
	N_FAILS(LC_EINVALID, lc_subnet_create(NULL, s, &o));
	cr_assert_not_null(strstr(lc_error_last()->message, "overlaps"));
	o.cidr = "10.0.0.0/8";
	N_FAILS(LC_EINVALID, lc_subnet_create(NULL, s, &o));
	cr_assert_eq(n_seq(), seq);
	/* the same range on another network is fine */
	lc_subnet_free(n_subnet(s, lc_network_id(other), "10.0.128.0/24"));
	lc_subnet_free(a);
	lc_network_free(other);
}

Test(subnets, rejects_a_gateway_outside_the_subnet)
{
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;

	o.cidr = "10.0.0.0/24";
	o.gateway_ip = "10.0.1.1";
	rejects(LC_EINVALID, &o, "outside");
	o.gateway_ip = "10.0.0.0";
	rejects(LC_EINVALID, &o, "network or broadcast");
	o.gateway_ip = "10.0.0.255";
	rejects(LC_EINVALID, &o, "network or broadcast");
	o.gateway_ip = "fe80::1";
	rejects(LC_EINVALID, &o, "IPv4");
	o.gateway_ip = "not-an-ip";
	rejects(LC_EINVALID, &o, "not a valid IP");
}

Test(subnets, rejects_allocation_pools_outside_the_cidr)
{
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	const char *outside[] = { "10.0.0.200", "10.0.1.10", NULL };
	const char *network_addr[] = { "10.0.0.0", "10.0.0.10", NULL };
	const char *broadcast[] = { "10.0.0.250", "10.0.0.255", NULL };
	const char *reversed[] = { "10.0.0.20", "10.0.0.10", NULL };
	const char *odd[] = { "10.0.0.20", NULL };

	o.cidr = "10.0.0.0/24";
	o.allocation_pools = outside;
	rejects(LC_EINVALID, &o, "outside");
	o.allocation_pools = network_addr;
	rejects(LC_EINVALID, &o, "outside");
	o.allocation_pools = broadcast;
	rejects(LC_EINVALID, &o, "outside");
	o.allocation_pools = reversed;
	rejects(LC_EINVALID, &o, "ends before it starts");
	o.allocation_pools = odd;
	rejects(LC_EINVALID, &o, "pairs");
}

Test(subnets, rejects_overlapping_allocation_pools)
{
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	const char *pools[] = { "10.0.0.10", "10.0.0.50", "10.0.0.50", "10.0.0.60", NULL };

	o.cidr = "10.0.0.0/24";
	o.allocation_pools = pools;
	rejects(LC_EINVALID, &o, "overlap");
}

Test(subnets, rejects_a_gateway_inside_an_allocation_pool)
{
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	const char *pools[] = { "10.0.0.1", "10.0.0.100", NULL };

	o.cidr = "10.0.0.0/24";
	o.allocation_pools = pools;
	rejects(LC_EINVALID, &o, "conflicts with allocation pool");
}

Test(subnets, rejects_bad_dns_and_host_routes)
{
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	const char *dns_dup[] = { "1.1.1.1", "1.1.1.1", NULL };
	const char *dns_many[] = { "1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.6", NULL };
	const char *route_mixed[] = { "10.5.0.0/16", "2001:db8::1", NULL };

	o.cidr = "10.0.0.0/24";
	o.dns_nameservers = dns_dup;
	rejects(LC_EINVALID, &o, "twice");
	o.dns_nameservers = dns_many;
	rejects(LC_EINVALID, &o, "too many");
	o.dns_nameservers = NULL;
	o.host_routes = route_mixed;
	rejects(LC_EINVALID, &o, "mixes");
}

Test(subnets, a_foreign_network_is_not_found_and_a_shared_one_forbidden)
{
	lc_session *b = n_project("pb", "member", NULL);
	lc_network_opts no = LC_NETWORK_OPTS_INIT;
	lc_network *shared = NULL;
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	uint64_t seq;

	no.shared = 1;
	N_OK(lc_network_create(&shared, n_admin, &no));
	seq = n_seq();
	o.network_id = lc_network_id(net);
	o.cidr = "10.0.0.0/24";
	N_FAILS(LC_ENOTFOUND, lc_subnet_create(NULL, b, &o));
	o.network_id = lc_network_id(shared);
	N_FAILS(LC_EFORBIDDEN, lc_subnet_create(NULL, b, &o));
	cr_assert_eq(n_seq(), seq);
	lc_network_free(shared);
	lc_session_free(b);
}

Test(subnets, update_pools_and_gateway_keeps_allocated_addresses)
{
	lc_subnet *sn = n_subnet(s, lc_network_id(net), "10.0.0.0/24"), *u = NULL;
	lc_port *p = n_port(s, lc_network_id(net));
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	const char *pools[] = { "10.0.0.2", "10.0.0.9", NULL };
	const char *bad[] = { "10.0.0.1", "10.0.0.9", NULL };
	uint64_t used, free_;

	cr_assert_str_eq(lc_port_fixed_ip_address(p, 0), "10.0.0.2");
	o.allocation_pools = pools;
	N_OK(lc_subnet_update(&u, s, lc_subnet_id(sn), &o));
	cr_assert_str_eq(lc_subnet_pool_end(u, 0), "10.0.0.9");
	lc_subnet_free(u);
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(sn)));
	cr_assert_eq(used, 1);
	cr_assert_eq(free_, 7); /* .3-.9 */
	o.allocation_pools = bad; /* would hold the gateway */
	N_FAILS(LC_EINVALID, lc_subnet_update(NULL, s, lc_subnet_id(sn), &o));
	o.allocation_pools = NULL;
	o.gateway_ip = "10.0.0.2"; /* the port's address */
	N_FAILS(LC_ECONFLICT, lc_subnet_update(NULL, s, lc_subnet_id(sn), &o));
	o.gateway_ip = "10.0.0.5"; /* inside the pool */
	N_FAILS(LC_EINVALID, lc_subnet_update(NULL, s, lc_subnet_id(sn), &o));
	o.gateway_ip = "10.0.0.254";
	N_OK(lc_subnet_update(&u, s, lc_subnet_id(sn), &o));
	cr_assert_str_eq(lc_subnet_gateway_ip(u), "10.0.0.254");
	lc_subnet_free(u);
	o.gateway_ip = NULL;
	o.cidr = "10.0.0.0/16";
	N_FAILS(LC_EINVALID, lc_subnet_update(NULL, s, lc_subnet_id(sn), &o));
	lc_port_free(p);
	lc_subnet_free(sn);
}

Test(subnets, deleting_a_subnet_with_allocations_is_a_conflict)
{
	lc_subnet *sn = n_subnet(s, lc_network_id(net), "10.0.0.0/24");
	lc_port *p = n_port(s, lc_network_id(net));
	lc_network *again = NULL;
	uint64_t seq = n_seq();

	N_FAILS(LC_ECONFLICT, lc_subnet_delete(s, lc_subnet_id(sn), 0));
	cr_assert_not_null(strstr(lc_error_last()->message, "IP allocation"));
	cr_assert_eq(n_seq(), seq);
	N_OK(lc_port_delete(s, lc_port_id(p), 0));
	N_OK(lc_subnet_delete(s, lc_subnet_id(sn), 0));
	N_OK(lc_network_get(&again, s, lc_network_id(net)));
	cr_assert_eq(lc_network_subnet_count(again), 0);
	lc_network_free(again);
	lc_port_free(p);
	lc_subnet_free(sn);
}
