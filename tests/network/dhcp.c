/* DHCP ports (lc_network_service_opts.dhcp_ports): one network:dhcp port per network with a DHCP subnet. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "nettest.h"

static void setup_dhcp(void)
{
	lc_network_service_opts conf = LC_NETWORK_SERVICE_OPTS_INIT;

	conf.dhcp_ports = 1;
	n_setup_conf(&conf, NULL);
}

TestSuite(dhcp, .init = setup_dhcp, .fini = n_teardown);
TestSuite(dhcp_off, .init = n_setup, .fini = n_teardown);

/* The network's DHCP ports as seen by s: count, and the first one into *out (may be NULL). */
static size_t dhcp_ports(lc_session *s, const char *network_id, lc_port **out)
{
	lc_port_iter *it = NULL;
	lc_port *p = NULL;
	size_t n = 0;

	if (out)
		*out = NULL;
	N_OK(lc_port_iter_new(&it, s, NULL));
	while (lc_port_iter_next(&p, it) == 0) {
		if (strcmp(lc_port_network_id(p), network_id) == 0 && strcmp(lc_port_device_owner(p), "network:dhcp") == 0) {
			n++;
			if (out && *out == NULL) {
				*out = p;
				continue;
			}
		}
		lc_port_free(p);
	}
	lc_port_iter_free(it);
	return n;
}

static const char *ip_on(const lc_port *p, const lc_subnet *sn)
{
	for (size_t i = 0; i < lc_port_fixed_ip_count(p); i++)
		if (strcmp(lc_port_fixed_ip_subnet_id(p, i), lc_subnet_id(sn)) == 0)
			return lc_port_fixed_ip_address(p, i);
	return NULL;
}

static lc_subnet *subnet_dhcp(lc_session *s, const char *net, const char *cidr, int dhcp)
{
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	lc_subnet *sn = NULL;

	o.network_id = net;
	o.cidr = cidr;
	o.enable_dhcp = dhcp;
	N_OK(lc_subnet_create(&sn, s, &o));
	return sn;
}

Test(dhcp, a_dhcp_subnet_gives_its_network_one_dhcp_port_holding_one_address_of_each)
{
	char pid[37];
	lc_session *s = n_project("p1", "member", pid);
	lc_network *n = n_net(s, "n");
	lc_subnet *a = subnet_dhcp(s, lc_network_id(n), "10.0.0.0/24", 1);
	lc_subnet *b = subnet_dhcp(s, lc_network_id(n), "10.0.1.0/24", 1);
	lc_subnet *c = subnet_dhcp(s, lc_network_id(n), "10.0.2.0/24", 0);
	lc_port *d = NULL, *p;
	char dev[64];

	cr_assert_eq(dhcp_ports(s, lc_network_id(n), &d), 1, "one port per network, seen by its project");
	snprintf(dev, sizeof(dev), "dhcp-%s", lc_network_id(n));
	cr_assert_str_eq(lc_port_device_id(d), dev);
	cr_assert_str_eq(lc_port_project_id(d), pid);
	cr_assert_eq(lc_port_fixed_ip_count(d), 2);
	cr_assert_str_eq(ip_on(d, a), "10.0.0.2");
	cr_assert_str_eq(ip_on(d, b), "10.0.1.2");
	cr_assert_null(ip_on(d, c), "no address on a subnet without DHCP");
	p = n_port(s, lc_network_id(n));
	cr_assert_str_eq(lc_port_fixed_ip_address(p, 0), "10.0.0.3", "the DHCP port took the first address");
	lc_port_free(p);
	lc_port_free(d);
	lc_subnet_free(a);
	lc_subnet_free(b);
	lc_subnet_free(c);
	lc_network_free(n);
	lc_session_free(s);
}

Test(dhcp, turning_dhcp_off_and_on_takes_and_gives_the_address_and_the_last_one_takes_the_port)
{
	lc_network *n = n_net(n_admin, "n");
	lc_subnet *a = subnet_dhcp(n_admin, lc_network_id(n), "10.0.0.0/24", 1);
	lc_subnet *b = subnet_dhcp(n_admin, lc_network_id(n), "2001:db8::/64", 1);
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	lc_port *d = NULL;
	uint64_t used = 0, avail = 0;

	o.enable_dhcp = 0;
	N_OK(lc_subnet_update(NULL, n_admin, lc_subnet_id(a), &o));
	cr_assert_eq(dhcp_ports(n_admin, lc_network_id(n), &d), 1);
	cr_assert_eq(lc_port_fixed_ip_count(d), 1);
	cr_assert_str_eq(ip_on(d, b), "2001:db8::2");
	lc_port_free(d);
	N_OK(lc_subnet_ip_usage(&used, &avail, n_admin, lc_subnet_id(a)));
	cr_assert_eq(used, 0, "the address went back");
	N_OK(lc_subnet_update(NULL, n_admin, lc_subnet_id(b), &o));
	cr_assert_eq(dhcp_ports(n_admin, lc_network_id(n), NULL), 0, "no DHCP subnet, no DHCP port");
	o.enable_dhcp = 1;
	N_OK(lc_subnet_update(NULL, n_admin, lc_subnet_id(a), &o));
	cr_assert_eq(dhcp_ports(n_admin, lc_network_id(n), &d), 1);
	cr_assert_str_eq(ip_on(d, a), "10.0.0.2");
	lc_port_free(d);
	lc_subnet_free(a);
	lc_subnet_free(b);
	lc_network_free(n);
}

Test(dhcp, the_dhcp_port_does_not_keep_its_subnet_or_network_from_going)
{
	lc_session *s = n_project("p1", "member", NULL);
	lc_network *n = n_net(s, "n");
	lc_subnet *a = subnet_dhcp(s, lc_network_id(n), "10.0.0.0/24", 1);
	lc_subnet *b = subnet_dhcp(s, lc_network_id(n), "10.0.1.0/24", 1);
	lc_port *d = NULL, *p;
	int64_t ports = -1;

	N_OK(lc_subnet_delete(s, lc_subnet_id(a), 0));
	cr_assert_eq(dhcp_ports(s, lc_network_id(n), &d), 1);
	cr_assert_eq(lc_port_fixed_ip_count(d), 1);
	cr_assert_str_eq(ip_on(d, b), "10.0.1.2");
	lc_port_free(d);
	/* a port of the project's own keeps the network; the DHCP port does not */
	p = n_port(s, lc_network_id(n));
	N_FAILS(LC_ECONFLICT, lc_network_delete(s, lc_network_id(n), 0));
	N_FAILS(LC_ECONFLICT, lc_subnet_delete(s, lc_subnet_id(b), 0));
	N_OK(lc_port_delete(s, lc_port_id(p), 0));
	N_OK(lc_network_delete(s, lc_network_id(n), 0));
	cr_assert_eq(n_count_ports(s), 0);
	N_OK(lc_quota_get(NULL, &ports, n_sys, lc_session_project_id(s), LC_QUOTA_PORTS));
	cr_assert_eq(ports, 0, "the DHCP port's quota went with it");
	lc_port_free(p);
	lc_subnet_free(a);
	lc_subnet_free(b);
	lc_network_free(n);
	lc_session_free(s);
}

Test(dhcp, a_dhcp_port_on_a_slaac_subnet_takes_its_eui64)
{
	lc_network *n = n_net(n_admin, "n");
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	lc_subnet *sn = NULL;
	lc_port *d = NULL;
	char want[64];

	o.network_id = lc_network_id(n);
	o.cidr = "2001:db8::/64";
	o.ipv6_address_mode = "dhcpv6-stateless";
	o.ipv6_ra_mode = "dhcpv6-stateless";
	N_OK(lc_subnet_create(&sn, n_admin, &o));
	cr_assert_eq(dhcp_ports(n_admin, lc_network_id(n), &d), 1);
	cr_assert_eq(lc_port_fixed_ip_count(d), 1);
	cr_assert_not_null(strstr(lc_port_fixed_ip_address(d, 0), "ff:fe"), "%s", lc_port_fixed_ip_address(d, 0));
	snprintf(want, sizeof(want), "%s", lc_port_fixed_ip_address(d, 0));
	cr_assert_eq(strncmp(want, "2001:db8::", 10), 0);
	lc_port_free(d);
	lc_subnet_free(sn);
	lc_network_free(n);
}

Test(dhcp_off, without_the_setting_there_is_no_dhcp_port)
{
	lc_network *n = n_net(n_admin, "n");
	lc_subnet *a = n_subnet(n_admin, lc_network_id(n), "10.0.0.0/24");
	lc_port *p = n_port(n_admin, lc_network_id(n));

	cr_assert(lc_subnet_enable_dhcp(a));
	cr_assert_eq(dhcp_ports(n_admin, lc_network_id(n), NULL), 0);
	cr_assert_str_eq(lc_port_fixed_ip_address(p, 0), "10.0.0.2");
	lc_port_free(p);
	lc_subnet_free(a);
	lc_network_free(n);
}

/* ---- the driver is told ---- */

static int port_calls[8];
static char last_owner[32];

static int count_port(lc_network_driver *self, int change, const lc_port *p)
{
	(void)self;
	port_calls[change]++;
	snprintf(last_owner, sizeof(last_owner), "%s", lc_port_device_owner(p));
	return 0;
}

static void setup_counting(void)
{
	lc_network_service_opts conf = LC_NETWORK_SERVICE_OPTS_INIT;
	lc_network_driver *d = NULL;

	memset(port_calls, 0, sizeof(port_calls));
	conf.dhcp_ports = 1;
	cr_assert_eq(lc_network_driver_noop(&d), 0);
	d->base.name = "counting"; /* the noop driver's methods, but this port method */
	d->port = count_port;
	n_setup_conf(&conf, d);
}

TestSuite(dhcp_driver, .init = setup_counting, .fini = n_teardown);

Test(dhcp_driver, the_driver_is_told_about_the_dhcp_port)
{
	lc_network *n = n_net(n_admin, "n");
	lc_subnet *a = subnet_dhcp(n_admin, lc_network_id(n), "10.0.0.0/24", 1);
	lc_subnet *b;

	cr_assert_eq(port_calls[LC_NETWORK_CHANGE_CREATE], 1);
	cr_assert_str_eq(last_owner, "network:dhcp");
	b = subnet_dhcp(n_admin, lc_network_id(n), "10.0.1.0/24", 1);
	cr_assert_eq(port_calls[LC_NETWORK_CHANGE_UPDATE], 1);
	N_OK(lc_network_delete(n_admin, lc_network_id(n), 0));
	cr_assert_eq(port_calls[LC_NETWORK_CHANGE_DELETE], 1);
	lc_subnet_free(a);
	lc_subnet_free(b);
	lc_network_free(n);
}
