/* Servers on networks: ports made or bound at create, addresses in the view, released with the server. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "ctest.h"

static char net[LC_ID_LEN + 1], subnet[LC_ID_LEN + 1];

static void make_network(lc_session *s, const char *name, const char *cidr, char net_out[LC_ID_LEN + 1],
			 char subnet_out[LC_ID_LEN + 1])
{
	lc_network_opts no = LC_NETWORK_OPTS_INIT;
	lc_subnet_opts so = LC_SUBNET_OPTS_INIT;
	lc_network *n;
	lc_subnet *sn;

	no.name = name;
	cr_assert_eq(lc_network_create(&n, s, &no), 0, "%s", lc_error_last()->message);
	snprintf(net_out, LC_ID_LEN + 1, "%s", lc_network_id(n));
	lc_network_free(n);
	so.network_id = net_out;
	so.cidr = cidr;
	so.ip_version = 4;
	cr_assert_eq(lc_subnet_create(&sn, s, &so), 0, "%s", lc_error_last()->message);
	if (subnet_out)
		snprintf(subnet_out, LC_ID_LEN + 1, "%s", lc_subnet_id(sn));
	lc_subnet_free(sn);
}

static void setup(void)
{
	ct_setup();
	ct_host("node1", 8, 16384, 100);
	ct_flavor("m1.small", 1, 512, 1);
	make_network(ct_alice, "private", "10.0.0.0/24", net, subnet);
}

TestSuite(server_networks, .init = setup, .fini = ct_teardown, .timeout = 120);

static size_t count_ports(lc_session *s, const char *device_id)
{
	const char *filters[] = { "device_id", device_id, NULL };
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_port_iter *it;
	lc_port *p;
	size_t n = 0;

	lo.filters = device_id ? filters : NULL;
	cr_assert_eq(lc_port_iter_new(&it, s, &lo), 0, "%s", lc_error_last()->message);
	while (lc_port_iter_next(&p, it) == 0) {
		n++;
		lc_port_free(p);
	}
	lc_port_iter_free(it);
	return n;
}

static int create(lc_server **out, const char *name, const lc_server_nic *nics, size_t n, const char *networks)
{
	lc_server_opts o = LC_SERVER_OPTS_INIT;

	o.name = name;
	o.flavor_id = "m1.small";
	o.image_id = ct_image;
	o.nics = nics;
	o.nics_count = n;
	o.networks = networks;
	return lc_server_create(out, ct_alice, &o);
}

Test(server_networks, auto_puts_the_server_on_the_projects_only_network)
{
	lc_server *v;
	lc_server_addresses *a;

	cr_assert_eq(create(&v, "web", NULL, 0, NULL), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE");
	cr_assert_eq(lc_server_addresses_get(&a, ct_alice, lc_server_id(v)), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_server_addresses_count(a), 1);
	cr_assert_str_eq(lc_server_addresses_network_id(a, 0), net);
	cr_assert_str_eq(lc_server_addresses_network_name(a, 0), "private");
	cr_assert_eq(lc_server_addresses_version(a, 0), 4);
	cr_assert_eq(lc_server_addresses_floating(a, 0), 0);
	cr_assert(strncmp(lc_server_addresses_addr(a, 0), "10.0.0.", 7) == 0, "%s", lc_server_addresses_addr(a, 0));
	cr_assert_eq(strlen(lc_server_addresses_mac(a, 0)), 17);
	cr_assert_eq(count_ports(ct_alice, lc_server_id(v)), 1);
	{
		lc_port *p;

		cr_assert_eq(lc_port_get(&p, ct_alice, lc_server_addresses_port_id(a, 0)), 0);
		cr_assert_str_eq(lc_port_device_owner(p), "compute:nova");
		cr_assert_str_eq(lc_port_binding_host_id(p), "node1");
		cr_assert_eq(lc_port_security_group_count(p), 1);
		lc_port_free(p);
	}
	lc_server_addresses_free(a);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_PORTS), 1);
	cr_assert_eq(lc_server_delete(ct_alice, lc_server_id(v), 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(count_ports(ct_alice, NULL), 0, "the port made for the server goes with it");
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_PORTS), 0);
	lc_server_free(v);
}

Test(server_networks, none_and_no_network_boot_without_ports)
{
	lc_server *v;
	lc_server_addresses *a;

	cr_assert_eq(create(&v, "quiet", NULL, 0, "none"), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_server_addresses_get(&a, ct_alice, lc_server_id(v)), 0);
	cr_assert_eq(lc_server_addresses_count(a), 0);
	lc_server_addresses_free(a);
	lc_server_free(v);
	/* bob's project has no network: "auto" finds none and the server boots without one */
	{
		lc_server_opts o = LC_SERVER_OPTS_INIT;

		o.name = "lonely";
		o.flavor_id = "m1.small";
		o.image_id = ct_image;
		cr_assert_eq(lc_server_create(&v, ct_bob, &o), 0, "%s", lc_error_last()->message);
		cr_assert_str_eq(lc_server_status(v), "ACTIVE");
		lc_server_free(v);
	}
	cr_assert_eq(count_ports(ct_admin, NULL), 0);
}

Test(server_networks, auto_with_two_networks_is_a_conflict_and_records_nothing)
{
	char net2[LC_ID_LEN + 1];
	lc_server *v = NULL;

	make_network(ct_alice, "second", "10.1.0.0/24", net2, NULL);
	cr_assert_eq(create(&v, "web", NULL, 0, "auto"), LC_ECONFLICT);
	cr_assert(strstr(lc_error_last()->message, "Multiple possible networks") != NULL, "%s",
		  lc_error_last()->message);
	cr_assert_null(v);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 0);
	cr_assert_eq(count_ports(ct_alice, NULL), 0);
}

Test(server_networks, a_listed_network_with_a_fixed_ip_and_a_given_port)
{
	char net2[LC_ID_LEN + 1];
	lc_port_opts po = LC_PORT_OPTS_INIT;
	lc_port *mine;
	lc_server *v;
	lc_server_addresses *a;

	make_network(ct_alice, "second", "10.1.0.0/24", net2, NULL);
	po.network_id = net2;
	po.name = "kept";
	cr_assert_eq(lc_port_create(&mine, ct_alice, &po), 0, "%s", lc_error_last()->message);
	{
		lc_server_nic nics[] = { { net, NULL, "10.0.0.77" }, { NULL, lc_port_id(mine), NULL } };

		cr_assert_eq(create(&v, "two-legs", nics, 2, NULL), 0, "%s", lc_error_last()->message);
	}
	cr_assert_str_eq(lc_server_status(v), "ACTIVE");
	cr_assert_eq(lc_server_addresses_get(&a, ct_alice, lc_server_id(v)), 0);
	cr_assert_eq(lc_server_addresses_count(a), 2);
	cr_assert_str_eq(lc_server_addresses_addr(a, 0), "10.0.0.77");
	cr_assert_str_eq(lc_server_addresses_network_name(a, 1), "second");
	cr_assert_str_eq(lc_server_addresses_port_id(a, 1), lc_port_id(mine));
	lc_server_addresses_free(a);
	cr_assert_eq(lc_server_delete(ct_alice, lc_server_id(v), 0), 0, "%s", lc_error_last()->message);
	/* the given port stays, unbound; the made one is gone */
	cr_assert_eq(count_ports(ct_alice, NULL), 1);
	{
		lc_port *p;

		cr_assert_eq(lc_port_get(&p, ct_alice, lc_port_id(mine)), 0);
		cr_assert_str_eq(lc_port_device_id(p), "");
		cr_assert_str_eq(lc_port_device_owner(p), "");
		cr_assert_str_eq(lc_port_status(p), "DOWN");
		lc_port_free(p);
	}
	lc_port_free(mine);
	lc_server_free(v);
}

Test(server_networks, bad_attachments_are_refused_and_change_nothing)
{
	char other_net[LC_ID_LEN + 1];
	lc_server *v = NULL;
	lc_port_opts po = LC_PORT_OPTS_INIT;
	lc_port *p;

	make_network(ct_bob, "bobs", "10.9.0.0/24", other_net, NULL);
	{
		lc_server_nic foreign[] = { { other_net, NULL, NULL } };
		lc_server_nic unknown[] = { { "0190d5a6-1111-7222-8333-444455556666", NULL, NULL } };
		lc_server_nic malformed[] = { { "not-a-uuid", NULL, NULL } };
		lc_server_nic both[] = { { net, "0190d5a6-1111-7222-8333-444455556666", NULL } };
		lc_server_nic neither[] = { { NULL, NULL, NULL } };
		lc_server_nic bad_ip[] = { { net, NULL, "10.0.0.300" } };
		lc_server_nic outside[] = { { net, NULL, "192.168.1.5" } };

		cr_assert_eq(create(&v, "x", foreign, 1, NULL), LC_ENOTFOUND, "%s", lc_error_last()->message);
		cr_assert_eq(create(&v, "x", unknown, 1, NULL), LC_ENOTFOUND);
		cr_assert_eq(create(&v, "x", malformed, 1, NULL), LC_EINVALID);
		cr_assert_eq(create(&v, "x", both, 1, NULL), LC_EINVALID);
		cr_assert_eq(create(&v, "x", neither, 1, NULL), LC_EINVALID);
		cr_assert_eq(create(&v, "x", bad_ip, 1, NULL), LC_EINVALID);
		cr_assert_neq(create(&v, "x", outside, 1, NULL), 0);
		cr_assert_eq(create(&v, "x", bad_ip, 1, "auto"), LC_EINVALID, "networks and nics are exclusive");
		cr_assert_eq(create(&v, "x", NULL, 1, NULL), LC_EINVALID);
		cr_assert_eq(create(&v, "x", NULL, 0, "everything"), LC_EINVALID);
	}
	/* an address in use */
	{
		lc_server_nic first[] = { { net, NULL, "10.0.0.50" } };

		cr_assert_eq(create(&v, "first", first, 1, NULL), 0, "%s", lc_error_last()->message);
		lc_server_free(v);
		v = NULL;
		cr_assert_eq(create(&v, "second", first, 1, NULL), LC_ECONFLICT, "%s", lc_error_last()->message);
	}
	/* a port in use, a port given twice, a port with several servers */
	po.network_id = net;
	cr_assert_eq(lc_port_create(&p, ct_alice, &po), 0);
	{
		lc_server_nic twice[] = { { NULL, lc_port_id(p), NULL }, { NULL, lc_port_id(p), NULL } };
		lc_server_nic one[] = { { NULL, lc_port_id(p), NULL } };
		lc_server_opts o = LC_SERVER_OPTS_INIT;

		cr_assert_eq(create(&v, "x", twice, 2, NULL), LC_EINVALID);
		o.name = "many";
		o.flavor_id = "m1.small";
		o.image_id = ct_image;
		o.nics = one;
		o.nics_count = 1;
		o.max_count = 2;
		cr_assert_eq(lc_server_create(&v, ct_alice, &o), LC_EINVALID);
		cr_assert_eq(create(&v, "owner", one, 1, NULL), 0, "%s", lc_error_last()->message);
		lc_server_free(v);
		v = NULL;
		cr_assert_eq(create(&v, "thief", one, 1, NULL), LC_ECONFLICT, "%s", lc_error_last()->message);
	}
	lc_port_free(p);
	/* two servers exist (first, owner): nothing else was recorded by the refusals */
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 2);
	cr_assert_eq(count_ports(ct_alice, NULL), 2);
	cr_assert_null(v);
}

Test(server_networks, the_port_quota_is_charged_with_the_server_and_refuses_atomically)
{
	lc_server *v = NULL;
	cr_assert_eq(lc_quota_set(ct_admin, ct_demo, LC_QUOTA_PORTS, 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(create(&v, "web", NULL, 0, NULL), LC_EQUOTA, "%s", lc_error_last()->message);
	cr_assert_null(v);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 0);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_CORES), 0);
	cr_assert_eq(count_ports(ct_alice, NULL), 0);
}

Test(server_networks, a_failed_spawn_gives_the_ports_back)
{
	lc_server *v;

	cr_assert_eq(lc_compute_fake_fail(ct_fake, "spawn", 1, LC_EBACKEND), 0);
	cr_assert_eq(create(&v, "doomed", NULL, 0, NULL), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_server_status(v), "ERROR");
	cr_assert_eq(count_ports(ct_alice, NULL), 0);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_PORTS), 0);
	cr_assert_eq(lc_server_delete(ct_alice, lc_server_id(v), 0), 0, "%s", lc_error_last()->message);
	lc_server_free(v);
}

Test(server_networks, floating_ips_show_as_floating_addresses)
{
	lc_network *ext = NULL;
	lc_network_opts no = LC_NETWORK_OPTS_INIT;
	lc_subnet_opts so = LC_SUBNET_OPTS_INIT;
	lc_router_opts ro = LC_ROUTER_OPTS_INIT;
	lc_floating_ip_opts fo = LC_FLOATING_IP_OPTS_INIT;
	lc_subnet *sn;
	lc_router *r;
	lc_floating_ip *f;
	lc_server *v;
	lc_server_addresses *a;

	no.name = "public";
	no.external = 1;
	cr_assert_eq(lc_network_create(&ext, ct_admin, &no), 0, "%s", lc_error_last()->message);
	so.network_id = lc_network_id(ext);
	so.cidr = "203.0.113.0/24";
	so.ip_version = 4;
	cr_assert_eq(lc_subnet_create(&sn, ct_admin, &so), 0, "%s", lc_error_last()->message);
	lc_subnet_free(sn);
	ro.name = "gw";
	ro.external_network_id = lc_network_id(ext);
	cr_assert_eq(lc_router_create(&r, ct_alice, &ro), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_router_add_interface(NULL, ct_alice, lc_router_id(r), subnet, NULL), 0, "%s",
		     lc_error_last()->message);
	cr_assert_eq(create(&v, "web", NULL, 0, NULL), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_server_addresses_get(&a, ct_alice, lc_server_id(v)), 0);
	fo.floating_network_id = lc_network_id(ext);
	fo.port_id = lc_server_addresses_port_id(a, 0);
	cr_assert_eq(lc_floating_ip_create(&f, ct_alice, &fo), 0, "%s", lc_error_last()->message);
	lc_server_addresses_free(a);
	cr_assert_eq(lc_server_addresses_get(&a, ct_alice, lc_server_id(v)), 0);
	cr_assert_eq(lc_server_addresses_count(a), 2);
	cr_assert_eq(lc_server_addresses_floating(a, 1), 1);
	cr_assert_str_eq(lc_server_addresses_addr(a, 1), lc_floating_ip_address(f));
	cr_assert_str_eq(lc_server_addresses_network_name(a, 1), "private", "Nova lists it under the fixed network");
	lc_server_addresses_free(a);
	/* the server goes: its port goes, the floating IP stays, disassociated */
	cr_assert_eq(lc_server_delete(ct_alice, lc_server_id(v), 0), 0, "%s", lc_error_last()->message);
	{
		lc_floating_ip *f2;

		cr_assert_eq(lc_floating_ip_get(&f2, ct_alice, lc_floating_ip_id(f)), 0);
		cr_assert_null(lc_floating_ip_port_id(f2));
		lc_floating_ip_free(f2);
	}
	lc_floating_ip_free(f);
	lc_router_free(r);
	lc_network_free(ext);
	lc_server_free(v);
}

Test(server_networks, another_project_cannot_read_the_addresses)
{
	lc_server *v;
	lc_server_addresses *a = NULL;

	cr_assert_eq(create(&v, "web", NULL, 0, NULL), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_server_addresses_get(&a, ct_bob, lc_server_id(v)), LC_ENOTFOUND);
	cr_assert_null(a);
	cr_assert_eq(lc_server_addresses_get(&a, ct_alice, "nope"), LC_EINVALID);
	cr_assert_eq(lc_server_addresses_get(NULL, ct_alice, lc_server_id(v)), LC_EINVALID);
	cr_assert_eq(lc_server_addresses_count(NULL), 0);
	cr_assert_null(lc_server_addresses_addr(NULL, 0));
	lc_server_free(v);
}

static char *binding_host(const char *server_id)
{
	lc_server_addresses *a;
	lc_port *p;
	char *h;

	cr_assert_eq(lc_server_addresses_get(&a, ct_alice, server_id), 0);
	cr_assert_eq(lc_port_get(&p, ct_alice, lc_server_addresses_port_id(a, 0)), 0);
	h = strdup(lc_port_binding_host_id(p));
	lc_port_free(p);
	lc_server_addresses_free(a);
	return h;
}

Test(server_networks, the_ports_binding_follows_a_resize_to_another_host_and_back)
{
	lc_compute_host_opts ho = LC_COMPUTE_HOST_OPTS_INIT;
	lc_compute_host *h;
	lc_server *v;
	char *b;

	ct_host("node2", 8, 16384, 100);
	ct_flavor("m1.large", 2, 1024, 1);
	cr_assert_eq(create(&v, "web", NULL, 0, NULL), 0, "%s", lc_error_last()->message);
	b = binding_host(lc_server_id(v));
	cr_assert_str_eq(b, lc_server_host(v));
	/* the server's host takes nothing new: the resize goes to the other one */
	cr_assert_eq(lc_compute_host_find(&h, ct_admin, b), 0);
	ho.enabled = 0;
	cr_assert_eq(lc_compute_host_update(NULL, ct_admin, lc_compute_host_id(h), &ho), 0, "%s",
		     lc_error_last()->message);
	lc_compute_host_free(h);
	cr_assert_eq(lc_server_resize(ct_alice, lc_server_id(v), "m1.large", 0), 0, "%s", lc_error_last()->message);
	{
		char *moved = binding_host(lc_server_id(v));

		cr_assert_str_neq(moved, b, "the port is bound where the server now runs");
		free(moved);
	}
	cr_assert_eq(lc_server_revert_resize(ct_alice, lc_server_id(v), 0), 0, "%s", lc_error_last()->message);
	{
		char *back = binding_host(lc_server_id(v));

		cr_assert_str_eq(back, b);
		free(back);
	}
	free(b);
	lc_server_free(v);
}

static char *slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	cr_assert_not_null(f, "%s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

Test(server_networks, the_config_drive_describes_the_ports_for_cloud_init)
{
	lc_subnet_opts so = LC_SUBNET_OPTS_INIT;
	const char *dns[] = { "192.0.2.53", NULL };
	const char *routes[] = { "172.16.0.0/16", "10.0.0.254", NULL };
	lc_server_opts o = LC_SERVER_OPTS_INIT;
	lc_server *v;
	lc_server_addresses *a;
	char path[4200], tap[32], *json;

	so.dns_nameservers = dns;
	so.host_routes = routes;
	cr_assert_eq(lc_subnet_update(NULL, ct_alice, subnet, &so), 0, "%s", lc_error_last()->message);
	o.name = "web";
	o.flavor_id = "m1.small";
	o.image_id = ct_image;
	o.config_drive = 1;
	cr_assert_eq(lc_server_create(&v, ct_alice, &o), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_server_addresses_get(&a, ct_alice, lc_server_id(v)), 0);
	snprintf(path, sizeof(path), "%s/data/compute/instances/%s/config-drive/openstack/latest/network_data.json",
		 ct_dir, lc_server_id(v));
	json = slurp(path);
	snprintf(tap, sizeof(tap), "\"id\":\"tap%.11s\"", lc_server_addresses_port_id(a, 0));
	cr_assert(strstr(json, tap) != NULL, "a link named after the port: %s", json);
	cr_assert(strstr(json, lc_server_addresses_mac(a, 0)) != NULL, "%s", json);
	cr_assert(strstr(json, lc_server_addresses_addr(a, 0)) != NULL, "%s", json);
	cr_assert(strstr(json, "\"type\":\"ipv4\"") != NULL, "%s", json);
	cr_assert(strstr(json, "\"netmask\":\"255.255.255.0\"") != NULL, "%s", json);
	cr_assert(strstr(json, "{\"network\":\"0.0.0.0\",\"netmask\":\"0.0.0.0\",\"gateway\":\"10.0.0.1\"}") != NULL,
		  "the default route through the gateway: %s", json);
	cr_assert(strstr(json, "{\"network\":\"172.16.0.0\",\"netmask\":\"255.255.0.0\",\"gateway\":\"10.0.0.254\"}") !=
			  NULL, "the host route: %s", json);
	cr_assert(strstr(json, "\"services\":[{\"type\":\"dns\",\"address\":\"192.0.2.53\"}]}") != NULL, "%s", json);
	lc_server_addresses_free(a);
	lc_server_free(v);
}
