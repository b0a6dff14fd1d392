/* Compute hosts, aggregates and availability zones. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"

TestSuite(hosts, .init = ct_setup, .fini = ct_teardown, .timeout = 60);

static lc_compute_host *host(const char *name)
{
	lc_compute_host *h = NULL;

	cr_assert_eq(lc_compute_host_find(&h, ct_admin, name), 0, "%s", lc_error_last()->message);
	return h;
}

Test(hosts, a_host_reads_its_inventory_from_the_driver)
{
	lc_compute_host *h;

	ct_host("node1", 12, 24576, 500);
	h = host("node1");
	cr_assert_eq(lc_compute_host_vcpus(h), 12);
	cr_assert_eq(lc_compute_host_memory_mib(h), 24576);
	cr_assert_eq(lc_compute_host_disk_gib(h), 500);
	cr_assert_str_eq(lc_compute_host_hypervisor_type(h), "fake");
	cr_assert_str_eq(lc_compute_host_cpu_arch(h), "x86_64");
	cr_assert_str_eq(lc_compute_host_state(h), "up");
	cr_assert_str_eq(lc_compute_host_availability_zone(h), "nova");
	cr_assert(lc_compute_host_enabled(h));
	cr_assert_eq(lc_compute_host_running_vms(h), 0);
	cr_assert(lc_compute_host_cpu_allocation_ratio(h) == 1.0);
	lc_compute_host_free(h);
}

Test(hosts, bad_hosts_are_rejected_and_change_nothing)
{
	lc_compute_host_opts o = LC_COMPUTE_HOST_OPTS_INIT;
	lc_compute_host_iter *it;
	lc_compute_host *h;

	o.name = "bad name";
	o.driver = "fake";
	o.uri = "fake://x";
	cr_assert_eq(lc_compute_host_create(NULL, ct_admin, &o), LC_EINVALID);
	o.name = "n1";
	o.driver = "vmware";
	cr_assert_eq(lc_compute_host_create(NULL, ct_admin, &o), LC_ENOTFOUND);
	o.driver = "fake";
	o.uri = "http://not-fake";
	cr_assert_eq(lc_compute_host_create(NULL, ct_admin, &o), LC_EINVALID);
	o.uri = "fake://x";
	o.ram_allocation_ratio = -1;
	cr_assert_eq(lc_compute_host_create(NULL, ct_admin, &o), LC_EINVALID);
	o.ram_allocation_ratio = 0;
	cr_assert_eq(lc_compute_fake_fail(ct_fake, "inventory", 1, LC_EBACKEND), 0);
	cr_assert_eq(lc_compute_host_create(NULL, ct_admin, &o), LC_EBACKEND);
	cr_assert_eq(lc_compute_host_create(NULL, ct_alice, &o), LC_EFORBIDDEN);
	cr_assert_eq(lc_compute_host_iter_new(&it, ct_admin, NULL), 0);
	cr_assert_eq(lc_compute_host_iter_next(&h, it), LC_ITEROVER);
	lc_compute_host_iter_free(it);
	cr_assert_eq(lc_compute_host_create(NULL, ct_admin, &o), 0);
	cr_assert_eq(lc_compute_host_create(NULL, ct_admin, &o), LC_EEXISTS);
	cr_assert_eq(lc_compute_host_iter_new(&it, ct_alice, NULL), LC_EFORBIDDEN);
}

Test(hosts, disable_refresh_and_delete)
{
	lc_compute_host_opts o = LC_COMPUTE_HOST_OPTS_INIT;
	lc_compute_host *h, *u;
	lc_server *v;

	ct_host("node1", 8, 16384, 100);
	ct_flavor("m1", 1, 512, 1);
	h = host("node1");
	o.enabled = 0;
	o.disabled_reason = "maintenance";
	o.cpu_allocation_ratio = 4.0;
	cr_assert_eq(lc_compute_host_update(&u, ct_admin, lc_compute_host_id(h), &o), 0);
	cr_assert(!lc_compute_host_enabled(u));
	cr_assert_str_eq(lc_compute_host_disabled_reason(u), "maintenance");
	cr_assert(lc_compute_host_cpu_allocation_ratio(u) == 4.0);
	lc_compute_host_free(u);
	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1"), 0);
	cr_assert_str_eq(lc_server_status(v), "ERROR");
	cr_assert(strstr(lc_server_fault_message(v), "ComputeFilter eliminated 1") != NULL, "%s",
		  lc_server_fault_message(v));
	cr_assert_eq(lc_server_delete(ct_alice, lc_server_id(v), 0), 0);
	lc_server_free(v);
	o.enabled = 1;
	o.disabled_reason = "";
	o.cpu_allocation_ratio = 0;
	cr_assert_eq(lc_compute_host_update(NULL, ct_admin, lc_compute_host_id(h), &o), 0);
	/* a driver that fails marks its host down */
	cr_assert_eq(lc_compute_fake_fail(ct_fake, "inventory", 1, LC_EBACKEND), 0);
	cr_assert_eq(lc_compute_host_refresh(&u, ct_admin, lc_compute_host_id(h), 0), LC_EBACKEND);
	cr_assert_null(u);
	lc_compute_host_free(h);
	h = host("node1");
	cr_assert_str_eq(lc_compute_host_state(h), "down");
	cr_assert_eq(lc_compute_host_refresh(&u, ct_admin, lc_compute_host_id(h), 0), 0);
	cr_assert_str_eq(lc_compute_host_state(u), "up");
	lc_compute_host_free(u);
	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1"), 0);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE");
	cr_assert_eq(lc_compute_host_delete(ct_admin, lc_compute_host_id(h), 0), LC_ECONFLICT);
	cr_assert_eq(lc_server_delete(ct_alice, lc_server_id(v), 0), 0);
	lc_server_free(v);
	cr_assert_eq(lc_compute_host_delete(ct_admin, lc_compute_host_id(h), 0), 0);
	lc_compute_host_free(h);
}

Test(hosts, aggregates_put_hosts_in_zones)
{
	lc_aggregate_opts o = LC_AGGREGATE_OPTS_INIT;
	lc_aggregate *a, *b;
	lc_compute_host *h;
	const char *md[] = { "ssd", "true", "gpu", NULL };

	ct_host("node1", 8, 16384, 100);
	ct_host("node2", 8, 16384, 100);
	o.name = "rack1";
	o.availability_zone = "az1";
	cr_assert_eq(lc_aggregate_create(&a, ct_admin, &o), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_aggregate_number(a), 1);
	cr_assert_eq(lc_aggregate_add_host(NULL, ct_admin, lc_aggregate_id(a), "node1"), 0, "%s",
		     lc_error_last()->message);
	cr_assert_eq(lc_aggregate_add_host(NULL, ct_admin, "1", "node1"), LC_EEXISTS);
	cr_assert_eq(lc_aggregate_add_host(NULL, ct_admin, "1", "nowhere"), LC_ENOTFOUND);
	h = host("node1");
	cr_assert_str_eq(lc_compute_host_availability_zone(h), "az1");
	lc_compute_host_free(h);
	o.name = "rack2";
	o.availability_zone = "az2";
	cr_assert_eq(lc_aggregate_create(&b, ct_admin, &o), 0);
	cr_assert_eq(lc_aggregate_add_host(NULL, ct_admin, "2", "node1"), LC_ECONFLICT, "two zones");
	o.name = "rack1";
	cr_assert_eq(lc_aggregate_create(NULL, ct_admin, &o), LC_EEXISTS);
	cr_assert_eq(lc_aggregate_set_metadata(NULL, ct_admin, "1", md, 2), 0, "%s", lc_error_last()->message);
	lc_aggregate_free(a);
	cr_assert_eq(lc_aggregate_get(&a, ct_admin, "1"), 0);
	cr_assert_eq(lc_aggregate_host_count(a), 1);
	cr_assert_str_eq(lc_aggregate_host(a, 0), "node1");
	cr_assert_str_eq(lc_aggregate_metadata(a, "ssd"), "true");
	cr_assert_null(lc_aggregate_metadata(a, "gpu"));
	lc_aggregate_free(a);
	{
		lc_availability_zones *z;
		int seen = 0;

		cr_assert_eq(lc_availability_zones_get(&z, ct_alice), 0);
		for (size_t i = 0; i < lc_availability_zones_count(z); i++) {
			const char *n = lc_availability_zones_name(z, i);

			if (!strcmp(n, "az1") || !strcmp(n, "nova")) {
				cr_assert(lc_availability_zones_available(z, i));
				seen++;
			}
			if (!strcmp(n, "az2")) {
				cr_assert(!lc_availability_zones_available(z, i), "no host");
				seen++;
			}
			cr_assert_eq(lc_availability_zones_host_count(z, i), 0, "hosts for admins only");
		}
		cr_assert_eq(seen, 3);
		lc_availability_zones_free(z);
		cr_assert_eq(lc_availability_zones_get(&z, ct_admin), 0);
		for (size_t i = 0; i < lc_availability_zones_count(z); i++)
			if (!strcmp(lc_availability_zones_name(z, i), "az1"))
				cr_assert_str_eq(lc_availability_zones_host(z, i, 0), "node1");
		lc_availability_zones_free(z);
	}
	/* the zone changes with the aggregate's */
	o.name = NULL;
	o.availability_zone = "az9";
	cr_assert_eq(lc_aggregate_update(NULL, ct_admin, "1", &o), 0);
	h = host("node1");
	cr_assert_str_eq(lc_compute_host_availability_zone(h), "az9");
	lc_compute_host_free(h);
	cr_assert_eq(lc_aggregate_delete(ct_admin, "1", 0), LC_ECONFLICT, "not empty");
	cr_assert_eq(lc_aggregate_remove_host(NULL, ct_admin, "1", "node1"), 0);
	h = host("node1");
	cr_assert_str_eq(lc_compute_host_availability_zone(h), "nova");
	lc_compute_host_free(h);
	cr_assert_eq(lc_aggregate_remove_host(NULL, ct_admin, "1", "node1"), LC_ENOTFOUND);
	cr_assert_eq(lc_aggregate_delete(ct_admin, "1", 0), 0);
	cr_assert_eq(lc_aggregate_get(&a, ct_admin, "1"), LC_ENOTFOUND);
	cr_assert_eq(lc_aggregate_get(&a, ct_alice, "2"), LC_EFORBIDDEN);
	lc_aggregate_free(b);
}

Test(hosts, a_deleted_host_leaves_its_aggregates)
{
	lc_aggregate_opts o = LC_AGGREGATE_OPTS_INIT;
	lc_compute_host *h;
	lc_aggregate *a;

	ct_host("node1", 8, 16384, 100);
	o.name = "rack1";
	cr_assert_eq(lc_aggregate_create(NULL, ct_admin, &o), 0);
	cr_assert_eq(lc_aggregate_add_host(NULL, ct_admin, "1", "node1"), 0);
	h = host("node1");
	cr_assert_eq(lc_compute_host_delete(ct_admin, lc_compute_host_id(h), 0), 0);
	lc_compute_host_free(h);
	cr_assert_eq(lc_aggregate_find(&a, ct_admin, "rack1"), 0);
	cr_assert_eq(lc_aggregate_host_count(a), 0);
	lc_aggregate_free(a);
}
