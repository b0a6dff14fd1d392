/* Ports: MAC addresses, security groups, address pairs, owners, visibility, deletion. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <ctype.h>
#include <string.h>

#include "nettest.h"

static lc_session *s;
static lc_network *net;
static lc_subnet *sub;

static void setup(void)
{
	n_setup();
	s = n_project("p1", "member", NULL);
	net = n_net(s, "n");
	sub = n_subnet(s, lc_network_id(net), "10.0.0.0/24");
}

static void teardown(void)
{
	lc_subnet_free(sub);
	lc_network_free(net);
	lc_session_free(s);
	n_teardown();
}

TestSuite(ports, .init = setup, .fini = teardown);

Test(ports, a_new_port_has_a_locally_administered_unique_mac_and_the_default_group)
{
	lc_port *a = n_port(s, lc_network_id(net)), *b = n_port(s, lc_network_id(net));
	lc_security_group *def = NULL;
	const char *mac = lc_port_mac_address(a);

	cr_assert_eq(strlen(mac), 17);
	cr_assert_eq(strncmp(mac, "fa:16:3e:", 9), 0, "%s", mac);
	for (int i = 0; i < 17; i++)
		cr_assert(i % 3 == 2 ? mac[i] == ':' : isxdigit((unsigned char)mac[i]) && !isupper((unsigned char)mac[i]));
	cr_assert_str_neq(mac, lc_port_mac_address(b));
	cr_assert_str_eq(lc_port_status(a), "DOWN"); /* no device */
	cr_assert_str_eq(lc_port_binding_vnic_type(a), "normal");
	cr_assert_str_eq(lc_port_binding_vif_type(a), "unbound");
	cr_assert(lc_port_port_security_enabled(a));
	N_OK(lc_security_group_default(&def, s, NULL));
	cr_assert_eq(lc_port_security_group_count(a), 1);
	cr_assert_str_eq(lc_port_security_group_id(a, 0), lc_security_group_id(def));
	lc_security_group_free(def);
	lc_port_free(a);
	lc_port_free(b);
}

Test(ports, a_mac_in_use_on_the_network_is_rejected_and_changes_nothing)
{
	lc_port *a = n_port(s, lc_network_id(net)), *b = NULL;
	lc_port_opts o = LC_PORT_OPTS_INIT;
	lc_network *other = n_net(s, "other");
	char upper[18];
	uint64_t seq, used, free_;

	snprintf(upper, sizeof(upper), "%s", lc_port_mac_address(a));
	for (char *c = upper; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	seq = n_seq();
	o.network_id = lc_network_id(net);
	o.mac_address = upper; /* case does not make it another address */
	N_FAILS(LC_EEXISTS, lc_port_create(NULL, s, &o));
	cr_assert_not_null(strstr(lc_error_last()->message, "in use"));
	cr_assert_eq(n_seq(), seq);
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(sub)));
	cr_assert_eq(used, 1);
	/* the same MAC on another network is fine */
	o.network_id = lc_network_id(other);
	N_OK(lc_port_create(&b, s, &o));
	cr_assert_str_eq(lc_port_mac_address(b), lc_port_mac_address(a));
	cr_assert_eq(lc_port_fixed_ip_count(b), 0); /* that network has no subnet */
	lc_port_free(a);
	lc_port_free(b);
	lc_network_free(other);
}

Test(ports, malformed_and_multicast_macs_are_invalid)
{
	lc_port_opts o = LC_PORT_OPTS_INIT;
	const char *bad[] = { "fa:16:3e:00:00", "zz:16:3e:00:00:01", "01:00:5e:00:00:01", "00:00:00:00:00:00", NULL };

	o.network_id = lc_network_id(net);
	for (int i = 0; bad[i]; i++) {
		o.mac_address = bad[i];
		N_FAILS(LC_EINVALID, lc_port_create(NULL, s, &o));
	}
}

Test(ports, no_fixed_ips_when_asked_and_port_security_off_means_no_groups)
{
	lc_port_opts o = LC_PORT_OPTS_INIT;
	const char *none[] = { NULL };
	lc_port *p = NULL;
	lc_security_group *def = NULL;
	const char *groups[2] = { NULL, NULL };

	o.network_id = lc_network_id(net);
	o.fixed_ips = none;
	o.port_security_enabled = 0;
	N_OK(lc_port_create(&p, s, &o));
	cr_assert_eq(lc_port_fixed_ip_count(p), 0);
	cr_assert_eq(lc_port_security_group_count(p), 0);
	cr_assert_not(lc_port_port_security_enabled(p));
	lc_port_free(p);
	N_OK(lc_security_group_default(&def, s, NULL));
	groups[0] = lc_security_group_id(def);
	o.security_groups = groups;
	N_FAILS(LC_EINVALID, lc_port_create(NULL, s, &o));
	lc_security_group_free(def);
}

Test(ports, address_pairs_take_the_ports_mac_by_default)
{
	lc_port_opts o = LC_PORT_OPTS_INIT;
	const char *pairs[] = { "10.0.0.200", "", "10.0.1.0/24", "fa:16:3e:aa:bb:cc", NULL };
	const char *dup[] = { "10.0.0.200", "", "10.0.0.200", "", NULL };
	lc_port *p = NULL;

	o.network_id = lc_network_id(net);
	o.allowed_address_pairs = pairs;
	N_OK(lc_port_create(&p, s, &o));
	cr_assert_eq(lc_port_address_pair_count(p), 2);
	cr_assert_str_eq(lc_port_address_pair_mac(p, 0), lc_port_mac_address(p));
	cr_assert_str_eq(lc_port_address_pair_ip(p, 1), "10.0.1.0/24");
	lc_port_free(p);
	o.allowed_address_pairs = dup;
	N_FAILS(LC_EINVALID, lc_port_create(NULL, s, &o));
}

Test(ports, device_and_admin_state_give_the_status)
{
	lc_port *p = n_port(s, lc_network_id(net)), *u = NULL;
	lc_port_opts o = LC_PORT_OPTS_INIT;

	o.device_id = "0b8e8a8e-1111-4222-8333-944455556666";
	o.device_owner = "compute:nova";
	N_OK(lc_port_update(&u, s, lc_port_id(p), &o));
	cr_assert_str_eq(lc_port_status(u), "ACTIVE");
	cr_assert_str_eq(lc_port_device_owner(u), "compute:nova");
	cr_assert_eq(lc_port_revision(u), 2);
	lc_port_free(u);
	o = (lc_port_opts)LC_PORT_OPTS_INIT;
	o.admin_state_up = 0;
	N_OK(lc_port_update(&u, s, lc_port_id(p), &o));
	cr_assert_str_eq(lc_port_status(u), "DOWN");
	lc_port_free(u);
	o = (lc_port_opts)LC_PORT_OPTS_INIT;
	o.mac_address = "fa:16:3e:00:00:01";
	N_FAILS(LC_EFORBIDDEN, lc_port_update(NULL, s, lc_port_id(p), &o)); /* an admin's change (slaac.c) */
	lc_port_free(p);
}

Test(ports, network_owners_and_bindings_need_admin)
{
	lc_port_opts o = LC_PORT_OPTS_INIT;
	lc_port *p = NULL;

	o.network_id = lc_network_id(net);
	o.device_owner = "network:router_interface";
	N_FAILS(LC_EFORBIDDEN, lc_port_create(NULL, s, &o));
	o.device_owner = NULL;
	o.binding_host_id = "compute-1";
	N_FAILS(LC_EFORBIDDEN, lc_port_create(NULL, s, &o));
	o.binding_vnic_type = "warp-drive";
	o.binding_host_id = NULL;
	N_FAILS(LC_EINVALID, lc_port_create(NULL, s, &o));
	o.binding_vnic_type = "direct";
	o.binding_host_id = "compute-1";
	o.project_id = lc_session_project_id(s);
	N_OK(lc_port_create(&p, n_admin, &o));
	cr_assert_str_eq(lc_port_binding_host_id(p), "compute-1");
	cr_assert_str_eq(lc_port_binding_vif_type(p), "ovs");
	cr_assert_str_eq(lc_port_project_id(p), lc_session_project_id(s));
	lc_port_free(p);
}

Test(ports, another_projects_ports_and_unshared_networks_are_not_found)
{
	lc_session *b = n_project("pb", "member", NULL);
	lc_port *p = n_port(s, lc_network_id(net)), *got = NULL;
	lc_port_opts o = LC_PORT_OPTS_INIT;
	uint64_t seq = n_seq();

	N_FAILS(LC_ENOTFOUND, lc_port_get(&got, b, lc_port_id(p)));
	N_FAILS(LC_ENOTFOUND, lc_port_delete(b, lc_port_id(p), 0));
	N_FAILS(LC_ENOTFOUND, lc_port_update(NULL, b, lc_port_id(p), &o));
	o.network_id = lc_network_id(net);
	N_FAILS(LC_ENOTFOUND, lc_port_create(NULL, b, &o));
	cr_assert_eq(n_count_ports(b), 0);
	cr_assert_eq(n_seq(), seq);
	lc_port_free(p);
	lc_session_free(b);
}

Test(ports, ports_on_a_shared_network_get_addresses_but_not_chosen_ones)
{
	lc_session *b = n_project("pb", "member", NULL);
	lc_network_opts no = LC_NETWORK_OPTS_INIT;
	lc_network *shared = NULL;
	lc_port_opts o = LC_PORT_OPTS_INIT;
	const char *fixed[] = { "", "10.50.0.77", NULL };
	lc_port *p = NULL;

	no.shared = 1;
	N_OK(lc_network_create(&shared, n_admin, &no));
	lc_subnet_free(n_subnet(n_admin, lc_network_id(shared), "10.50.0.0/24"));
	o.network_id = lc_network_id(shared);
	N_OK(lc_port_create(&p, b, &o));
	cr_assert_str_eq(lc_port_fixed_ip_address(p, 0), "10.50.0.2");
	cr_assert_str_eq(lc_port_project_id(p), lc_session_project_id(b));
	lc_port_free(p);
	o.fixed_ips = fixed;
	N_FAILS(LC_EFORBIDDEN, lc_port_create(NULL, b, &o));
	lc_network_free(shared);
	lc_session_free(b);
}

Test(ports, ports_of_routers_cannot_be_deleted_directly)
{
	lc_router_opts ro = LC_ROUTER_OPTS_INIT;
	lc_router *r = NULL;
	lc_port *ifp = NULL;
	uint64_t seq;

	N_OK(lc_router_create(&r, s, &ro));
	N_OK(lc_router_add_interface(&ifp, s, lc_router_id(r), lc_subnet_id(sub), NULL));
	seq = n_seq();
	N_FAILS(LC_ECONFLICT, lc_port_delete(s, lc_port_id(ifp), 0));
	cr_assert_not_null(strstr(lc_error_last()->message, "network:router_interface"));
	cr_assert_eq(n_seq(), seq);
	lc_port_free(ifp);
	lc_router_free(r);
}

Test(ports, the_port_quota_counts_and_releases)
{
	char pid[37];
	lc_session *q = n_project("pq", "member", pid);
	lc_network *qn = n_net(q, "qn");
	lc_port_opts o = LC_PORT_OPTS_INIT;
	lc_port *p;
	int64_t used;

	N_OK(lc_quota_set(n_sys, pid, LC_QUOTA_PORTS, 1));
	p = n_port(q, lc_network_id(qn));
	o.network_id = lc_network_id(qn);
	N_FAILS(LC_EQUOTA, lc_port_create(NULL, q, &o));
	N_OK(lc_port_delete(q, lc_port_id(p), 0));
	N_OK(lc_quota_get(NULL, &used, n_sys, pid, LC_QUOTA_PORTS));
	cr_assert_eq(used, 0);
	lc_port_free(p);
	lc_network_free(qn);
	lc_session_free(q);
}

Test(ports, listing_filters_on_device_id)
{
	lc_port_opts o = LC_PORT_OPTS_INIT;
	const char *f[] = { "device_id", "server-1", NULL };
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_port_iter *it = NULL;
	lc_port *p = NULL;
	int n = 0;

	o.network_id = lc_network_id(net);
	o.device_id = "server-1";
	N_OK(lc_port_create(NULL, s, &o));
	lc_port_free(n_port(s, lc_network_id(net)));
	lo.filters = f;
	N_OK(lc_port_iter_new(&it, s, &lo));
	while (lc_port_iter_next(&p, it) == 0) {
		cr_assert_str_eq(lc_port_device_id(p), "server-1");
		n++;
		lc_port_free(p);
	}
	lc_port_iter_free(it);
	cr_assert_eq(n, 1);
}
