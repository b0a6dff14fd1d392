/* Flavors: sizes, ids, extra specs, private flavors and their access lists. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"

TestSuite(flavors, .init = ct_setup, .fini = ct_teardown, .timeout = 60);

static int count(lc_session *s, const char *const *filters)
{
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_flavor_iter *it;
	lc_flavor *f;
	int n = 0;

	lo.filters = filters;
	cr_assert_eq(lc_flavor_iter_new(&it, s, &lo), 0, "%s", lc_error_last()->message);
	while (lc_flavor_iter_next(&f, it) == 0) {
		n++;
		lc_flavor_free(f);
	}
	lc_flavor_iter_free(it);
	return n;
}

Test(flavors, create_with_a_generated_or_given_id)
{
	lc_flavor_opts o = LC_FLAVOR_OPTS_INIT;
	lc_flavor *f, *g;

	o.name = "m1.tiny";
	o.vcpus = 1;
	o.ram_mib = 512;
	o.disk_gib = 1;
	cr_assert_eq(lc_flavor_create(&f, ct_admin, &o), 0, "%s", lc_error_last()->message);
	cr_assert_eq(strlen(lc_flavor_id(f)), 36, "a UUID");
	cr_assert_eq(lc_flavor_vcpus(f), 1);
	cr_assert_eq(lc_flavor_ram_mib(f), 512);
	cr_assert_eq(lc_flavor_ephemeral_gib(f), 0);
	cr_assert(lc_flavor_is_public(f));
	cr_assert_eq(lc_flavor_get(&g, ct_alice, lc_flavor_id(f)), 0);
	cr_assert_str_eq(lc_flavor_name(g), "m1.tiny");
	lc_flavor_free(g);
	lc_flavor_free(f);
	o.id = "42";
	o.name = "m1.answer";
	o.swap_mib = 512;
	o.ephemeral_gib = 5;
	cr_assert_eq(lc_flavor_create(&f, ct_admin, &o), 0);
	cr_assert_str_eq(lc_flavor_id(f), "42");
	lc_flavor_free(f);
	cr_assert_eq(lc_flavor_find(&f, ct_alice, "m1.answer"), 0);
	cr_assert_eq(lc_flavor_swap_mib(f), 512);
	lc_flavor_free(f);
	cr_assert_eq(count(ct_alice, NULL), 2);
}

Test(flavors, bad_sizes_names_and_ids_change_nothing)
{
	lc_flavor_opts o = LC_FLAVOR_OPTS_INIT;

	o.name = "x";
	o.vcpus = 0;
	o.ram_mib = 512;
	cr_assert_eq(lc_flavor_create(NULL, ct_admin, &o), LC_EINVALID);
	o.vcpus = 1;
	o.ram_mib = -5;
	cr_assert_eq(lc_flavor_create(NULL, ct_admin, &o), LC_EINVALID);
	o.ram_mib = 512;
	o.disk_gib = -2;
	cr_assert_eq(lc_flavor_create(NULL, ct_admin, &o), LC_EINVALID);
	o.disk_gib = 1;
	o.id = "a/b";
	cr_assert_eq(lc_flavor_create(NULL, ct_admin, &o), LC_EINVALID);
	o.id = " lead";
	cr_assert_eq(lc_flavor_create(NULL, ct_admin, &o), LC_EINVALID);
	o.id = NULL;
	o.name = "";
	cr_assert_eq(lc_flavor_create(NULL, ct_admin, &o), LC_EINVALID);
	o.name = " padded ";
	cr_assert_eq(lc_flavor_create(NULL, ct_admin, &o), LC_EINVALID);
	o.name = "ok";
	o.vcpus = -1;
	cr_assert_eq(lc_flavor_create(NULL, ct_admin, &o), LC_EINVALID, "vcpus is required");
	o.vcpus = 1;
	cr_assert_eq(lc_flavor_create(NULL, ct_alice, &o), LC_EFORBIDDEN);
	cr_assert_eq(count(ct_admin, (const char *const[]){ "is_public", "none", NULL }), 0);
	ct_flavor("dup", 1, 512, 1);
	o.name = "dup";
	cr_assert_eq(lc_flavor_create(NULL, ct_admin, &o), LC_EEXISTS);
	o.name = "other";
	o.id = "dup";
	cr_assert_eq(lc_flavor_create(NULL, ct_admin, &o), LC_EEXISTS);
	cr_assert_eq(count(ct_admin, NULL), 1);
}

Test(flavors, private_flavors_are_seen_through_their_access_list)
{
	lc_flavor_opts o = LC_FLAVOR_OPTS_INIT;
	lc_flavor *f = NULL;
	lc_flavor_access_iter *it;
	lc_flavor_access *a;

	o.id = "secret";
	o.name = "secret";
	o.vcpus = 2;
	o.ram_mib = 1024;
	o.is_public = 0;
	cr_assert_eq(lc_flavor_create(NULL, ct_admin, &o), 0);
	cr_assert_eq(lc_flavor_get(&f, ct_alice, "secret"), LC_ENOTFOUND);
	cr_assert_eq(count(ct_alice, (const char *const[]){ "is_public", "none", NULL }), 0);
	cr_assert_eq(lc_flavor_access_add(ct_admin, "secret", ct_demo), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_flavor_access_add(ct_admin, "secret", ct_demo), LC_EEXISTS);
	cr_assert_eq(lc_flavor_access_add(ct_alice, "secret", ct_demo), LC_EFORBIDDEN);
	cr_assert_eq(lc_flavor_access_add(ct_admin, "secret", "0190c1d5-0000-7000-8000-000000000000"), LC_ENOTFOUND);
	cr_assert_eq(lc_flavor_get(&f, ct_alice, "secret"), 0);
	lc_flavor_free(f);
	cr_assert_eq(lc_flavor_get(&f, ct_bob, "secret"), LC_ENOTFOUND);
	cr_assert_eq(count(ct_alice, (const char *const[]){ "is_public", "false", NULL }), 1);
	cr_assert_eq(lc_flavor_access_iter_new(&it, ct_admin, "secret"), 0);
	cr_assert_eq(lc_flavor_access_iter_next(&a, it), 0);
	cr_assert_str_eq(lc_flavor_access_project_id(a), ct_demo);
	cr_assert_str_eq(lc_flavor_access_flavor_id(a), "secret");
	lc_flavor_access_free(a);
	cr_assert_eq(lc_flavor_access_iter_next(&a, it), LC_ITEROVER);
	lc_flavor_access_iter_free(it);
	cr_assert_eq(lc_flavor_access_remove(ct_admin, "secret", ct_demo), 0);
	cr_assert_eq(lc_flavor_access_remove(ct_admin, "secret", ct_demo), LC_ENOTFOUND);
	cr_assert_eq(lc_flavor_get(&f, ct_alice, "secret"), LC_ENOTFOUND);
	ct_flavor("pub", 1, 512, 1);
	cr_assert_eq(lc_flavor_access_add(ct_admin, "pub", ct_demo), LC_ECONFLICT);
	/* deleting the flavor takes its access list along */
	cr_assert_eq(lc_flavor_access_add(ct_admin, "secret", ct_other), 0);
	cr_assert_eq(lc_flavor_delete(ct_admin, "secret", 0), 0);
	cr_assert_eq(lc_flavor_get(&f, ct_admin, "secret"), LC_ENOTFOUND);
}

Test(flavors, extra_specs_set_replace_and_unset)
{
	const char *specs[] = { "hw:cpu_cores", "2", "aggregate_instance_extra_specs:ssd", "true", NULL };
	const char *bad[] = { "bad/key", "x", NULL };
	lc_flavor *f;

	ct_flavor("f1", 1, 512, 1);
	cr_assert_eq(lc_flavor_set_extra_specs(&f, ct_admin, "f1", specs), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_flavor_extra_spec_count(f), 2);
	cr_assert_str_eq(lc_flavor_extra_spec(f, "hw:cpu_cores"), "2");
	lc_flavor_free(f);
	cr_assert_eq(lc_flavor_set_extra_specs(NULL, ct_admin, "f1", (const char *const[]){ "hw:cpu_cores", "4", NULL }),
		     0);
	cr_assert_eq(lc_flavor_get(&f, ct_alice, "f1"), 0);
	cr_assert_eq(lc_flavor_extra_spec_count(f), 2);
	cr_assert_str_eq(lc_flavor_extra_spec(f, "hw:cpu_cores"), "4");
	lc_flavor_free(f);
	cr_assert_eq(lc_flavor_set_extra_specs(NULL, ct_admin, "f1", bad), LC_EINVALID);
	cr_assert_eq(lc_flavor_set_extra_specs(NULL, ct_alice, "f1", specs), LC_EFORBIDDEN);
	cr_assert_eq(lc_flavor_unset_extra_spec(ct_admin, "f1", "hw:cpu_cores"), 0);
	cr_assert_eq(lc_flavor_unset_extra_spec(ct_admin, "f1", "hw:cpu_cores"), LC_ENOTFOUND);
	cr_assert_eq(lc_flavor_get(&f, ct_alice, "f1"), 0);
	cr_assert_eq(lc_flavor_extra_spec_count(f), 1);
	lc_flavor_free(f);
}

Test(flavors, only_the_description_changes_and_servers_keep_their_copy)
{
	lc_flavor_opts o = LC_FLAVOR_OPTS_INIT;
	lc_flavor *f;
	lc_server *v;

	ct_host("node1", 8, 16384, 100);
	ct_flavor("f1", 2, 1024, 1);
	o.description = "two cores";
	cr_assert_eq(lc_flavor_update(&f, ct_admin, "f1", &o), 0);
	cr_assert_str_eq(lc_flavor_description(f), "two cores");
	lc_flavor_free(f);
	o.ram_mib = 2048;
	cr_assert_eq(lc_flavor_update(NULL, ct_admin, "f1", &o), LC_EINVALID);
	cr_assert_eq(ct_server(&v, ct_alice, "web", "f1"), 0);
	lc_server_free(v);
	cr_assert_eq(lc_flavor_delete(ct_admin, "f1", 0), 0);
	cr_assert_eq(lc_flavor_delete(ct_admin, "f1", 0), LC_ENOTFOUND);
	{
		lc_server_iter *it;

		cr_assert_eq(lc_server_iter_new(&it, ct_alice, NULL), 0);
		cr_assert_eq(lc_server_iter_next(&v, it), 0);
		cr_assert_eq(lc_server_ram_mib(v), 1024);
		cr_assert_str_eq(lc_server_flavor_name(v), "f1");
		cr_assert_eq(lc_server_delete(ct_alice, lc_server_id(v), 0), 0, "%s", lc_error_last()->message);
		lc_server_free(v);
		lc_server_iter_free(it);
	}
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_CORES), 0);
}

Test(flavors, listing_filters_on_sizes_and_pages_by_id)
{
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_flavor_iter *it;
	lc_flavor *f;

	ct_flavor("a", 1, 512, 1);
	ct_flavor("b", 2, 2048, 10);
	ct_flavor("c", 4, 8192, 40);
	cr_assert_eq(count(ct_alice, (const char *const[]){ "min_ram", "2048", NULL }), 2);
	cr_assert_eq(count(ct_alice, (const char *const[]){ "min_disk", "20", NULL }), 1);
	lo.marker = "a";
	lo.limit = 1;
	cr_assert_eq(lc_flavor_iter_new(&it, ct_alice, &lo), 0);
	cr_assert_eq(lc_flavor_iter_next(&f, it), 0);
	cr_assert_str_eq(lc_flavor_id(f), "b");
	lc_flavor_free(f);
	lc_flavor_iter_free(it);
	lo.marker = "zz";
	cr_assert_eq(lc_flavor_iter_new(&it, ct_alice, &lo), LC_EINVALID);
	lo.marker = NULL;
	lo.filters = (const char *const[]){ "min_ram", "lots", NULL };
	cr_assert_eq(lc_flavor_iter_new(&it, ct_alice, &lo), LC_EINVALID);
}
