/* IPv6 auto-address subnets (slaac, dhcpv6-stateless): ports take the EUI-64 of their MAC. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "nettest.h"

TestSuite(slaac, .init = n_setup, .fini = n_teardown);

#define MAC "fa:16:3e:12:34:56"
#define EUI "2001:db8::f816:3eff:fe12:3456"

static lc_subnet *v6(lc_session *s, const char *net, const char *cidr, const char *mode)
{
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	lc_subnet *sn = NULL;

	o.network_id = net;
	o.cidr = cidr;
	o.ipv6_ra_mode = mode;
	o.ipv6_address_mode = mode;
	N_OK(lc_subnet_create(&sn, s, &o));
	return sn;
}

static lc_port *port_with(lc_session *s, const char *net, const char *mac, const char *const *fixed, int expect)
{
	lc_port_opts o = LC_PORT_OPTS_INIT;
	lc_port *p = NULL;

	o.network_id = net;
	o.mac_address = mac;
	o.fixed_ips = fixed;
	N_FAILS(expect, lc_port_create(&p, s, &o));
	return p;
}

/* The port's address on a subnet, or NULL. */
static const char *ip_on(const lc_port *p, const lc_subnet *sn)
{
	for (size_t i = 0; i < lc_port_fixed_ip_count(p); i++)
		if (strcmp(lc_port_fixed_ip_subnet_id(p, i), lc_subnet_id(sn)) == 0)
			return lc_port_fixed_ip_address(p, i);
	return NULL;
}

static uint64_t used(const lc_subnet *sn)
{
	uint64_t u = 0, f = 0;

	N_OK(lc_subnet_ip_usage(&u, &f, n_admin, lc_subnet_id(sn)));
	return u;
}

Test(slaac, a_port_on_a_slaac_or_dhcpv6_stateless_subnet_gets_the_eui64_of_its_mac)
{
	const char *modes[] = { "slaac", "dhcpv6-stateless" };

	for (int m = 0; m < 2; m++) {
		lc_network *n = n_net(n_admin, "n");
		lc_subnet *sn = v6(n_admin, lc_network_id(n), "2001:db8::/64", modes[m]);
		lc_port *p = port_with(n_admin, lc_network_id(n), MAC, NULL, 0);

		cr_assert_eq(lc_port_fixed_ip_count(p), 1);
		cr_assert_str_eq(lc_port_fixed_ip_address(p, 0), EUI, "%s: %s", modes[m], lc_port_fixed_ip_address(p, 0));
		cr_assert_eq(used(sn), 1);
		N_OK(lc_port_delete(n_admin, lc_port_id(p), 0));
		cr_assert_eq(used(sn), 0, "released on delete");
		lc_port_free(p);
		lc_subnet_free(sn);
		N_OK(lc_network_delete(n_admin, lc_network_id(n), 0));
		lc_network_free(n);
	}
}

Test(slaac, the_universal_local_bit_is_flipped_both_ways)
{
	lc_network *n = n_net(n_admin, "n");
	lc_subnet *sn = v6(n_admin, lc_network_id(n), "2001:db8:1:2::/64", "slaac");
	lc_port *a = port_with(n_admin, lc_network_id(n), "00:25:96:12:34:56", NULL, 0);
	lc_port *b = port_with(n_admin, lc_network_id(n), "02:00:00:00:00:01", NULL, 0);

	cr_assert_str_eq(lc_port_fixed_ip_address(a, 0), "2001:db8:1:2:225:96ff:fe12:3456");
	cr_assert_str_eq(lc_port_fixed_ip_address(b, 0), "2001:db8:1:2:0:ff:fe00:1");
	lc_port_free(a);
	lc_port_free(b);
	lc_subnet_free(sn);
	lc_network_free(n);
}

Test(slaac, an_automatic_port_gets_ipv4_every_eui64_and_one_stateful_ipv6_address)
{
	lc_network *n = n_net(n_admin, "n");
	lc_subnet *v4 = n_subnet(n_admin, lc_network_id(n), "10.0.0.0/24");
	lc_subnet *s1 = v6(n_admin, lc_network_id(n), "2001:db8::/64", "slaac");
	lc_subnet *s2 = v6(n_admin, lc_network_id(n), "2001:db8:0:1::/64", "dhcpv6-stateless");
	lc_subnet *st = v6(n_admin, lc_network_id(n), "2001:db8:0:2::/64", "dhcpv6-stateful");
	lc_port *p = port_with(n_admin, lc_network_id(n), MAC, NULL, 0);

	cr_assert_eq(lc_port_fixed_ip_count(p), 4);
	cr_assert_str_eq(ip_on(p, v4), "10.0.0.2");
	cr_assert_str_eq(ip_on(p, s1), EUI);
	cr_assert_str_eq(ip_on(p, s2), "2001:db8:0:1:f816:3eff:fe12:3456");
	cr_assert_str_eq(ip_on(p, st), "2001:db8:0:2::2", "stateful subnets still use IPAM");
	lc_port_free(p);
	lc_subnet_free(v4);
	lc_subnet_free(s1);
	lc_subnet_free(s2);
	lc_subnet_free(st);
	lc_network_free(n);
}

Test(slaac, a_requested_address_on_a_slaac_subnet_must_be_the_eui64)
{
	lc_network *n = n_net(n_admin, "n");
	lc_subnet *v4 = n_subnet(n_admin, lc_network_id(n), "10.0.0.0/24");
	lc_subnet *sn = v6(n_admin, lc_network_id(n), "2001:db8::/64", "slaac");
	const char *other[] = { lc_subnet_id(sn), "2001:db8::10", NULL };
	const char *by_ip[] = { "", "2001:db8::10", NULL };
	const char *eui[] = { lc_subnet_id(sn), EUI, NULL };
	const char *sub_only[] = { lc_subnet_id(sn), "", NULL };
	const char *v4_only[] = { lc_subnet_id(v4), "", NULL };
	uint64_t seq = n_seq();
	lc_port *p;

	port_with(n_admin, lc_network_id(n), MAC, other, LC_EINVALID);
	cr_assert_not_null(strstr(lc_error_last()->message, "automatic addresses"));
	cr_assert_not_null(strstr(lc_error_last()->message, EUI));
	port_with(n_admin, lc_network_id(n), MAC, by_ip, LC_EINVALID);
	cr_assert_eq(n_seq(), seq);
	cr_assert_eq(used(sn), 0);
	p = port_with(n_admin, lc_network_id(n), MAC, eui, 0);
	cr_assert_eq(lc_port_fixed_ip_count(p), 1);
	cr_assert_str_eq(ip_on(p, sn), EUI);
	N_OK(lc_port_delete(n_admin, lc_port_id(p), 0));
	lc_port_free(p);
	p = port_with(n_admin, lc_network_id(n), MAC, sub_only, 0);
	cr_assert_str_eq(ip_on(p, sn), EUI);
	N_OK(lc_port_delete(n_admin, lc_port_id(p), 0));
	lc_port_free(p);
	/* asking for the IPv4 subnet only: the automatic address comes all the same */
	p = port_with(n_admin, lc_network_id(n), MAC, v4_only, 0);
	cr_assert_eq(lc_port_fixed_ip_count(p), 2);
	cr_assert_str_eq(ip_on(p, v4), "10.0.0.2");
	cr_assert_str_eq(ip_on(p, sn), EUI);
	lc_port_free(p);
	lc_subnet_free(v4);
	lc_subnet_free(sn);
	lc_network_free(n);
}

Test(slaac, a_fixed_ips_update_keeps_the_eui64_and_refuses_another_slaac_address)
{
	lc_network *n = n_net(n_admin, "n");
	lc_subnet *v4 = n_subnet(n_admin, lc_network_id(n), "10.0.0.0/24");
	lc_subnet *sn = v6(n_admin, lc_network_id(n), "2001:db8::/64", "slaac");
	const char *v4_only[] = { lc_subnet_id(v4), "10.0.0.50", NULL };
	const char *other[] = { lc_subnet_id(sn), "2001:db8::10", NULL };
	lc_port *p = port_with(n_admin, lc_network_id(n), MAC, NULL, 0), *q = NULL;
	lc_port_opts o = LC_PORT_OPTS_INIT;

	o.fixed_ips = v4_only;
	N_OK(lc_port_update(&q, n_admin, lc_port_id(p), &o));
	cr_assert_eq(lc_port_fixed_ip_count(q), 2);
	cr_assert_str_eq(ip_on(q, v4), "10.0.0.50");
	cr_assert_str_eq(ip_on(q, sn), EUI);
	cr_assert_eq(used(sn), 1);
	lc_port_free(q);
	o.fixed_ips = other;
	N_FAILS(LC_EINVALID, lc_port_update(NULL, n_admin, lc_port_id(p), &o));
	lc_port_free(p);
	lc_subnet_free(v4);
	lc_subnet_free(sn);
	lc_network_free(n);
}

Test(slaac, the_address_follows_a_mac_update)
{
	char pid[37];
	lc_session *member = n_project("p1", "member", pid);
	lc_network *n = n_net(member, "n");
	lc_subnet *v4 = n_subnet(member, lc_network_id(n), "10.0.0.0/24");
	lc_subnet *sn = v6(member, lc_network_id(n), "2001:db8::/64", "slaac");
	lc_port *p = port_with(member, lc_network_id(n), NULL, NULL, 0), *q = NULL, *again;
	lc_port_opts o = LC_PORT_OPTS_INIT;
	char v4ip[64];
	uint64_t seq;

	snprintf(v4ip, sizeof(v4ip), "%s", ip_on(p, v4));
	o.mac_address = MAC;
	seq = n_seq();
	N_FAILS(LC_EFORBIDDEN, lc_port_update(NULL, member, lc_port_id(p), &o));
	cr_assert_eq(n_seq(), seq);
	N_OK(lc_port_update(&q, n_admin, lc_port_id(p), &o));
	cr_assert_str_eq(lc_port_mac_address(q), MAC);
	cr_assert_str_eq(ip_on(q, sn), EUI);
	cr_assert_str_eq(ip_on(q, v4), v4ip, "IPAM addresses stay");
	cr_assert_eq(used(sn), 1);
	/* the old MAC and its address are free again */
	again = port_with(n_admin, lc_network_id(n), lc_port_mac_address(p), NULL, 0);
	cr_assert_str_eq(ip_on(again, sn), ip_on(p, sn));
	/* another port's MAC is refused */
	o.mac_address = lc_port_mac_address(again);
	N_FAILS(LC_EEXISTS, lc_port_update(NULL, n_admin, lc_port_id(q), &o));
	/* a bound port keeps its MAC */
	lc_port_opts_init(&o, LC_PORT_OPTS_VERSION);
	o.binding_host_id = "compute-1";
	N_OK(lc_port_update(NULL, n_admin, lc_port_id(q), &o));
	lc_port_opts_init(&o, LC_PORT_OPTS_VERSION);
	o.mac_address = "fa:16:3e:00:00:99";
	N_FAILS(LC_ECONFLICT, lc_port_update(NULL, n_admin, lc_port_id(q), &o));
	lc_port_free(again);
	lc_port_free(q);
	lc_port_free(p);
	lc_subnet_free(v4);
	lc_subnet_free(sn);
	lc_network_free(n);
	lc_session_free(member);
}

Test(slaac, a_router_interface_on_a_slaac_subnet_takes_the_gateway)
{
	lc_network *n = n_net(n_admin, "n");
	lc_subnet *sn = v6(n_admin, lc_network_id(n), "2001:db8::/64", "slaac");
	lc_router_opts ro = LC_ROUTER_OPTS_INIT;
	lc_router *r = NULL;
	lc_port *p = NULL;

	N_OK(lc_router_create(&r, n_admin, &ro));
	N_OK(lc_router_add_interface(&p, n_admin, lc_router_id(r), lc_subnet_id(sn), NULL));
	cr_assert_eq(lc_port_fixed_ip_count(p), 1);
	cr_assert_str_eq(lc_port_fixed_ip_address(p, 0), "2001:db8::1");
	lc_port_free(p);
	lc_router_free(r);
	lc_subnet_free(sn);
	lc_network_free(n);
}
