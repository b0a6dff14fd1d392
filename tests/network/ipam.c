/* IPAM: lowest free address, specific addresses, release and reuse, huge subnets, concurrency. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
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

TestSuite(ipam, .init = setup, .fini = teardown);

static lc_port *port_with(const char *subnet_id, const char *ip)
{
	lc_port_opts o = LC_PORT_OPTS_INIT;
	const char *fixed[] = { subnet_id ? subnet_id : "", ip ? ip : "", NULL };
	lc_port *p = NULL;

	o.network_id = lc_network_id(net);
	o.fixed_ips = fixed;
	cr_assert_eq(lc_port_create(&p, s, &o), 0, "%s", lc_error_last()->message);
	return p;
}

Test(ipam, allocates_the_lowest_free_address_and_reuses_released_ones)
{
	lc_subnet *sn = n_subnet(s, lc_network_id(net), "10.0.0.0/24");
	lc_port *p[4];

	for (int i = 0; i < 4; i++) {
		char want[32];

		p[i] = n_port(s, lc_network_id(net));
		snprintf(want, sizeof(want), "10.0.0.%d", i + 2);
		cr_assert_eq(lc_port_fixed_ip_count(p[i]), 1);
		cr_assert_str_eq(lc_port_fixed_ip_address(p[i], 0), want);
		cr_assert_str_eq(lc_port_fixed_ip_subnet_id(p[i], 0), lc_subnet_id(sn));
	}
	N_OK(lc_port_delete(s, lc_port_id(p[1]), 0)); /* .3 goes back */
	lc_port_free(p[1]);
	p[1] = n_port(s, lc_network_id(net));
	cr_assert_str_eq(lc_port_fixed_ip_address(p[1], 0), "10.0.0.3");
	for (int i = 0; i < 4; i++)
		lc_port_free(p[i]);
	lc_subnet_free(sn);
}

Test(ipam, a_specific_address_splits_the_free_range)
{
	lc_subnet *sn = n_subnet(s, lc_network_id(net), "10.0.0.0/24");
	lc_port *a = port_with(lc_subnet_id(sn), "10.0.0.3"), *b, *c;
	uint64_t used, free_;

	cr_assert_str_eq(lc_port_fixed_ip_address(a, 0), "10.0.0.3");
	b = n_port(s, lc_network_id(net));
	c = n_port(s, lc_network_id(net));
	cr_assert_str_eq(lc_port_fixed_ip_address(b, 0), "10.0.0.2");
	cr_assert_str_eq(lc_port_fixed_ip_address(c, 0), "10.0.0.4");
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(sn)));
	cr_assert_eq(used, 3);
	cr_assert_eq(free_, 250);
	N_OK(lc_port_delete(s, lc_port_id(a), 0));
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(sn)));
	cr_assert_eq(used, 2);
	cr_assert_eq(free_, 251);
	lc_port_free(a);
	lc_port_free(b);
	lc_port_free(c);
	lc_subnet_free(sn);
}

Test(ipam, an_address_outside_the_pools_but_inside_the_cidr_can_be_requested)
{
	lc_subnet_opts so = LC_SUBNET_OPTS_INIT;
	const char *pools[] = { "10.0.0.100", "10.0.0.110", NULL };
	lc_subnet *sn = NULL;
	lc_port *p;
	uint64_t used, free_;

	so.network_id = lc_network_id(net);
	so.cidr = "10.0.0.0/24";
	so.allocation_pools = pools;
	N_OK(lc_subnet_create(&sn, s, &so));
	p = port_with(NULL, "10.0.0.50");
	cr_assert_str_eq(lc_port_fixed_ip_subnet_id(p, 0), lc_subnet_id(sn));
	N_OK(lc_port_delete(s, lc_port_id(p), 0));
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(sn)));
	cr_assert_eq(used, 0);
	cr_assert_eq(free_, 11); /* .50 did not join the pool */
	lc_port_free(p);
	lc_subnet_free(sn);
}

Test(ipam, a_requested_address_already_in_use_is_a_conflict_and_changes_nothing)
{
	lc_subnet *sn = n_subnet(s, lc_network_id(net), "10.0.0.0/24");
	lc_port *a = port_with(NULL, "10.0.0.7");
	lc_port_opts o = LC_PORT_OPTS_INIT;
	const char *fixed[] = { "", "10.0.0.7", NULL };
	const char *twice[] = { "", "10.0.0.8", "", "10.0.0.8", NULL };
	uint64_t seq = n_seq(), used, free_;

	o.network_id = lc_network_id(net);
	o.fixed_ips = fixed;
	N_FAILS(LC_ECONFLICT, lc_port_create(NULL, s, &o));
	cr_assert_not_null(strstr(lc_error_last()->message, "already allocated"), "%s", lc_error_last()->message);
	o.fixed_ips = twice;
	N_FAILS(LC_EINVALID, lc_port_create(NULL, s, &o));
	cr_assert_eq(n_seq(), seq);
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(sn)));
	cr_assert_eq(used, 1);
	cr_assert_eq(free_, 252);
	cr_assert_eq(n_count_ports(s), 1);
	lc_port_free(a);
	lc_subnet_free(sn);
}

Test(ipam, requested_addresses_outside_the_subnet_are_invalid)
{
	lc_subnet *sn = n_subnet(s, lc_network_id(net), "10.0.0.0/24");
	lc_network *other = n_net(s, "other");
	lc_subnet *osn = n_subnet(s, lc_network_id(other), "10.1.0.0/24");
	lc_port_opts o = LC_PORT_OPTS_INIT;
	const char *outside[] = { lc_subnet_id(sn), "10.0.1.5", NULL };
	const char *nosubnet[] = { "", "172.16.0.1", NULL };
	const char *broadcast[] = { "", "10.0.0.255", NULL };
	const char *foreign[] = { lc_subnet_id(osn), "", NULL };
	uint64_t seq = n_seq();

	o.network_id = lc_network_id(net);
	o.fixed_ips = outside;
	N_FAILS(LC_EINVALID, lc_port_create(NULL, s, &o));
	o.fixed_ips = nosubnet;
	N_FAILS(LC_EINVALID, lc_port_create(NULL, s, &o));
	o.fixed_ips = broadcast;
	N_FAILS(LC_EINVALID, lc_port_create(NULL, s, &o));
	o.fixed_ips = foreign;
	N_FAILS(LC_EINVALID, lc_port_create(NULL, s, &o));
	cr_assert_not_null(strstr(lc_error_last()->message, "is not on network"));
	cr_assert_eq(n_seq(), seq);
	lc_subnet_free(sn);
	lc_subnet_free(osn);
	lc_network_free(other);
}

Test(ipam, an_exhausted_subnet_is_a_clear_conflict_and_changes_nothing)
{
	lc_subnet *sn = n_subnet(s, lc_network_id(net), "10.0.0.0/30"); /* one host besides the gateway */
	lc_port *p = n_port(s, lc_network_id(net));
	lc_port_opts o = LC_PORT_OPTS_INIT;
	uint64_t seq;

	cr_assert_str_eq(lc_port_fixed_ip_address(p, 0), "10.0.0.2");
	seq = n_seq();
	o.network_id = lc_network_id(net);
	N_FAILS(LC_ECONFLICT, lc_port_create(NULL, s, &o));
	cr_assert_not_null(strstr(lc_error_last()->message, "No more IP addresses available"), "%s",
			   lc_error_last()->message);
	cr_assert_eq(n_seq(), seq);
	cr_assert_eq(n_count_ports(s), 1);
	lc_port_free(p);
	lc_subnet_free(sn);
}

Test(ipam, the_next_subnet_is_used_when_the_first_is_full)
{
	lc_subnet *a = n_subnet(s, lc_network_id(net), "10.0.0.0/30");
	lc_subnet *b = n_subnet(s, lc_network_id(net), "10.0.1.0/30");
	lc_port *p1 = n_port(s, lc_network_id(net)), *p2 = n_port(s, lc_network_id(net));

	cr_assert_str_eq(lc_port_fixed_ip_subnet_id(p1, 0), lc_subnet_id(a));
	cr_assert_str_eq(lc_port_fixed_ip_subnet_id(p2, 0), lc_subnet_id(b));
	lc_port_free(p1);
	lc_port_free(p2);
	lc_subnet_free(a);
	lc_subnet_free(b);
}

Test(ipam, a_slash_8_and_a_slash_64_allocate_without_enumerating)
{
	lc_subnet *big = n_subnet(s, lc_network_id(net), "10.0.0.0/8");
	lc_subnet *v6 = n_subnet(s, lc_network_id(net), "2001:db8:1::/64");
	lc_port *a = n_port(s, lc_network_id(net));
	lc_port *b = port_with(lc_subnet_id(big), "10.255.255.254");
	lc_port *c = port_with(lc_subnet_id(v6), "2001:db8:1::ffff:ffff:ffff:fffe");
	uint64_t used, free_;

	cr_assert_eq(lc_port_fixed_ip_count(a), 2); /* one per family */
	cr_assert_str_eq(lc_port_fixed_ip_address(a, 0), "10.0.0.2");
	cr_assert_str_eq(lc_port_fixed_ip_address(a, 1), "2001:db8:1::2");
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(big)));
	cr_assert_eq(used, 2);
	cr_assert_eq(free_, (1u << 24) - 3 - 2);
	N_OK(lc_port_delete(s, lc_port_id(b), 0));
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(big)));
	cr_assert_eq(free_, (1u << 24) - 3 - 1);
	lc_port_free(a);
	lc_port_free(b);
	lc_port_free(c);
	lc_subnet_free(big);
	lc_subnet_free(v6);
}

Test(ipam, updating_fixed_ips_keeps_releases_and_allocates)
{
	lc_subnet *sn = n_subnet(s, lc_network_id(net), "10.0.0.0/24");
	lc_port *p = n_port(s, lc_network_id(net)), *u = NULL;
	lc_port_opts o = LC_PORT_OPTS_INIT;
	const char *keep_and_add[] = { lc_subnet_id(sn), "", "", "10.0.0.9", NULL };
	const char *only_nine[] = { "", "10.0.0.9", NULL };
	uint64_t used, free_;

	cr_assert_str_eq(lc_port_fixed_ip_address(p, 0), "10.0.0.2");
	o.fixed_ips = keep_and_add; /* subnet only: keeps .2; plus .9 */
	N_OK(lc_port_update(&u, s, lc_port_id(p), &o));
	cr_assert_eq(lc_port_fixed_ip_count(u), 2);
	cr_assert_str_eq(lc_port_fixed_ip_address(u, 0), "10.0.0.2");
	cr_assert_str_eq(lc_port_fixed_ip_address(u, 1), "10.0.0.9");
	lc_port_free(u);
	o.fixed_ips = only_nine; /* .2 is released */
	N_OK(lc_port_update(&u, s, lc_port_id(p), &o));
	cr_assert_eq(lc_port_fixed_ip_count(u), 1);
	cr_assert_str_eq(lc_port_fixed_ip_address(u, 0), "10.0.0.9");
	lc_port_free(u);
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(sn)));
	cr_assert_eq(used, 1);
	cr_assert_eq(free_, 252);
	lc_port_free(p);
	lc_subnet_free(sn);
}

/* ---- concurrency ---- */

#define THREADS 8
#define PER_THREAD 6

struct worker {
	const char *net_id;
	char ips[PER_THREAD][64];
	int ok, conflicts, other;
	char other_msg[256];
};

static void *allocate(void *p)
{
	struct worker *w = p;

	for (int i = 0; i < PER_THREAD; i++) {
		lc_port_opts o = LC_PORT_OPTS_INIT;
		lc_port *port = NULL;
		int rc;

		o.network_id = w->net_id;
		rc = lc_port_create(&port, s, &o);
		if (rc == 0) {
			snprintf(w->ips[w->ok++], 64, "%s", lc_port_fixed_ip_address(port, 0));
			lc_port_free(port);
		} else if (rc == LC_ECONFLICT && strstr(lc_error_last()->message, "No more IP addresses")) {
			w->conflicts++;
		} else {
			w->other++;
			snprintf(w->other_msg, sizeof(w->other_msg), "%d %s", rc, lc_error_last()->message);
		}
	}
	return NULL;
}

Test(ipam, threads_allocating_from_a_small_subnet_never_share_an_address, .timeout = 120)
{
	lc_subnet *sn = n_subnet(s, lc_network_id(net), "10.0.0.0/28"); /* 13 free addresses */
	struct worker w[THREADS];
	pthread_t th[THREADS];
	char seen[THREADS * PER_THREAD][64];
	int nseen = 0, conflicts = 0;
	uint64_t used, free_;

	memset(w, 0, sizeof(w));
	for (int i = 0; i < THREADS; i++) {
		w[i].net_id = lc_network_id(net);
		cr_assert_eq(pthread_create(&th[i], NULL, allocate, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < THREADS; i++) {
		cr_assert_eq(w[i].other, 0, "unexpected failure: %s", w[i].other_msg);
		conflicts += w[i].conflicts;
		for (int k = 0; k < w[i].ok; k++) {
			for (int j = 0; j < nseen; j++)
				cr_assert_str_neq(seen[j], w[i].ips[k], "address %s handed out twice", seen[j]);
			snprintf(seen[nseen++], 64, "%s", w[i].ips[k]);
		}
	}
	cr_assert_eq(nseen, 13);
	cr_assert_eq(conflicts, THREADS * PER_THREAD - 13);
	N_OK(lc_subnet_ip_usage(&used, &free_, s, lc_subnet_id(sn)));
	cr_assert_eq(used, 13);
	cr_assert_eq(free_, 0);
	cr_assert_eq(n_count_ports(s), 13);
	lc_subnet_free(sn);
}
