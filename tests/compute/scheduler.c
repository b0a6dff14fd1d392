/* The scheduler: filters, weighers, server groups, exact placement under concurrency, and why no host fits. */
#include <criterion/criterion.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"

TestSuite(scheduler, .init = ct_setup, .fini = ct_teardown, .timeout = 120);

static char *host_of(lc_server *v)
{
	char *h = strdup(lc_server_host(v) ? lc_server_host(v) : "");

	lc_server_free(v);
	return h;
}

static char *place(lc_session *s, const char *name, const char *flavor)
{
	lc_server *v;

	cr_assert_eq(ct_server(&v, s, name, flavor), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE", "%s", lc_server_fault_message(v));
	return host_of(v);
}

static void set_weigher(int w)
{
	lc_scheduler_opts o = LC_SCHEDULER_OPTS_INIT;

	o.weigher = w;
	cr_assert_eq(lc_scheduler_configure(ct_admin, &o), 0);
}

Test(scheduler, spread_uses_the_emptiest_host_and_pack_the_fullest)
{
	char *a, *b, *c, *d;

	ct_host("big", 16, 32768, 100);
	ct_host("small", 16, 8192, 100);
	ct_flavor("m1", 1, 1024, 1);
	a = place(ct_alice, "a", "m1");
	cr_assert_str_eq(a, "big", "spread: most free RAM");
	set_weigher(LC_SCHEDULER_PACK);
	b = place(ct_alice, "b", "m1");
	cr_assert_str_eq(b, "small", "pack: least free RAM");
	c = place(ct_alice, "c", "m1");
	cr_assert_str_eq(c, "small");
	{
		lc_scheduler_opts o;

		cr_assert_eq(lc_scheduler_get(&o, ct_admin), 0);
		cr_assert_eq(o.weigher, LC_SCHEDULER_PACK);
		o.ram_weight_multiplier = -1;
		cr_assert_eq(lc_scheduler_configure(ct_admin, &o), LC_EINVALID);
		cr_assert_eq(lc_scheduler_configure(ct_alice, &o), LC_EFORBIDDEN);
	}
	/* the setting is durable */
	ct_reopen();
	d = place(ct_alice, "d", "m1");
	cr_assert_str_eq(d, "small");
	free(a);
	free(b);
	free(c);
	free(d);
}

Test(scheduler, ram_cores_and_disk_obey_the_allocation_ratios)
{
	lc_compute_host_opts o = LC_COMPUTE_HOST_OPTS_INIT;
	lc_compute_host *h;
	lc_server *v;

	ct_host("n", 2, 2048, 10);
	ct_flavor("m1", 1, 1024, 1);
	cr_assert_eq(ct_server(NULL, ct_alice, "a", "m1"), 0);
	cr_assert_eq(ct_server(NULL, ct_alice, "b", "m1"), 0);
	cr_assert_eq(ct_server(&v, ct_alice, "c", "m1"), 0);
	cr_assert_str_eq(lc_server_status(v), "ERROR");
	cr_assert(strstr(lc_server_fault_message(v), "RamFilter eliminated 1") != NULL, "%s",
		  lc_server_fault_message(v));
	lc_server_free(v);
	cr_assert_eq(lc_compute_host_find(&h, ct_admin, "n"), 0);
	o.ram_allocation_ratio = 2.0;
	cr_assert_eq(lc_compute_host_update(NULL, ct_admin, lc_compute_host_id(h), &o), 0);
	cr_assert_eq(ct_server(&v, ct_alice, "d", "m1"), 0);
	cr_assert_str_eq(lc_server_status(v), "ERROR", "now the cores are short");
	cr_assert(strstr(lc_server_fault_message(v), "CoreFilter eliminated 1") != NULL, "%s",
		  lc_server_fault_message(v));
	lc_server_free(v);
	o.cpu_allocation_ratio = 4.0;
	cr_assert_eq(lc_compute_host_update(NULL, ct_admin, lc_compute_host_id(h), &o), 0);
	lc_compute_host_free(h);
	cr_assert_eq(ct_server(&v, ct_alice, "e", "m1"), 0);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE");
	lc_server_free(v);
	ct_flavor("disky", 1, 1, 20);
	cr_assert_eq(ct_server(&v, ct_alice, "f", "disky"), 0);
	cr_assert(strstr(lc_server_fault_message(v), "DiskFilter eliminated 1") != NULL);
	lc_server_free(v);
}

Test(scheduler, availability_zones_and_aggregate_extra_specs)
{
	lc_aggregate_opts ao = LC_AGGREGATE_OPTS_INIT;
	lc_server_opts so = LC_SERVER_OPTS_INIT;
	const char *ssd[] = { "aggregate_instance_extra_specs:ssd", "true", NULL };
	const char *md[] = { "ssd", "true" };
	lc_server *v;
	char *h;

	ct_host("n1", 8, 16384, 100);
	ct_host("n2", 8, 16384, 100);
	ct_host("n3", 8, 16384, 100);
	ct_flavor("m1", 1, 512, 1);
	ct_flavor("fast", 1, 512, 1);
	cr_assert_eq(lc_flavor_set_extra_specs(NULL, ct_admin, "fast", ssd), 0);
	ao.name = "zone-a";
	ao.availability_zone = "az-a";
	cr_assert_eq(lc_aggregate_create(NULL, ct_admin, &ao), 0);
	cr_assert_eq(lc_aggregate_add_host(NULL, ct_admin, "1", "n2"), 0);
	ao.name = "ssd";
	ao.availability_zone = NULL;
	cr_assert_eq(lc_aggregate_create(NULL, ct_admin, &ao), 0);
	cr_assert_eq(lc_aggregate_add_host(NULL, ct_admin, "2", "n3"), 0);
	cr_assert_eq(lc_aggregate_set_metadata(NULL, ct_admin, "2", md, 1), 0);
	so.name = "z";
	so.flavor_id = "m1";
	so.image_id = ct_image;
	so.availability_zone = "az-a";
	cr_assert_eq(lc_server_create(&v, ct_alice, &so), 0);
	cr_assert_str_eq(lc_server_availability_zone(v), "az-a");
	h = host_of(v);
	cr_assert_str_eq(h, "n2");
	free(h);
	so.availability_zone = "az-none";
	cr_assert_eq(lc_server_create(&v, ct_alice, &so), 0);
	cr_assert(strstr(lc_server_fault_message(v), "AvailabilityZoneFilter eliminated 3") != NULL);
	lc_server_free(v);
	for (int i = 0; i < 3; i++) {
		h = place(ct_alice, "fast", "fast");
		cr_assert_str_eq(h, "n3", "only n3 has ssd=true");
		free(h);
	}
	cr_assert_eq(lc_flavor_set_extra_specs(NULL, ct_admin, "fast",
					       (const char *const[]){ "aggregate_instance_extra_specs:ssd", "<in> tr",
								      NULL }),
		     0);
	h = place(ct_alice, "fast", "fast");
	cr_assert_str_eq(h, "n3");
	free(h);
	cr_assert_eq(lc_flavor_set_extra_specs(NULL, ct_admin, "fast",
					       (const char *const[]){ "aggregate_instance_extra_specs:ssd", "false",
								      NULL }),
		     0);
	cr_assert_eq(ct_server(&v, ct_alice, "none", "fast"), 0);
	cr_assert(strstr(lc_server_fault_message(v), "AggregateInstanceExtraSpecsFilter eliminated 3") != NULL, "%s",
		  lc_server_fault_message(v));
	lc_server_free(v);
}

Test(scheduler, image_properties_and_flavor_capabilities_pick_the_hypervisor)
{
	lc_compute_host_opts o = LC_COMPUTE_HOST_OPTS_INIT;
	char kvm_img[LC_ID_LEN + 1], arm_img[LC_ID_LEN + 1];
	const char *kvm[] = { "hypervisor_type", "QEMU", NULL };
	const char *arm[] = { "hw_architecture", "aarch64", NULL };
	lc_server_opts so = LC_SERVER_OPTS_INIT;
	lc_server *v;

	ct_host("plain", 8, 16384, 100);
	o.name = "kvm1";
	o.driver = "fake";
	o.uri = "fake://kvm1?hypervisor_type=qemu";
	cr_assert_eq(lc_compute_host_create(NULL, ct_admin, &o), 0);
	o.name = "arm1";
	o.uri = "fake://arm1?arch=aarch64&memory_mib=1024";
	cr_assert_eq(lc_compute_host_create(NULL, ct_admin, &o), 0);
	ct_flavor("m1", 1, 512, 1);
	ct_make_image(kvm_img, ct_alice, "kvm", 4096, 0, 0, kvm);
	ct_make_image(arm_img, ct_alice, "arm", 4096, 0, 0, arm);
	so.name = "x";
	so.flavor_id = "m1";
	so.image_id = kvm_img;
	cr_assert_eq(lc_server_create(&v, ct_alice, &so), 0);
	cr_assert_str_eq(lc_server_host(v), "kvm1", "hypervisor types compare without case");
	lc_server_free(v);
	so.image_id = arm_img;
	cr_assert_eq(lc_server_create(&v, ct_alice, &so), 0);
	cr_assert_str_eq(lc_server_host(v), "arm1");
	lc_server_free(v);
	ct_flavor("fakeonly", 1, 512, 1);
	cr_assert_eq(lc_flavor_set_extra_specs(NULL, ct_admin, "fakeonly",
					       (const char *const[]){ "capabilities:hypervisor_type", "fake", NULL }),
		     0);
	so.flavor_id = "fakeonly";
	so.image_id = ct_image;
	cr_assert_eq(lc_server_create(&v, ct_alice, &so), 0);
	cr_assert_str_neq(lc_server_host(v), "kvm1");
	lc_server_free(v);
}

static char *make_group(const char *policy)
{
	lc_server_group_opts o = LC_SERVER_GROUP_OPTS_INIT;
	lc_server_group *g;
	char *id;

	o.name = policy;
	o.policy = policy;
	cr_assert_eq(lc_server_group_create(&g, ct_alice, &o), 0, "%s", lc_error_last()->message);
	id = strdup(lc_server_group_id(g));
	lc_server_group_free(g);
	return id;
}

static int group_server(lc_server **out, const char *group, const char *name)
{
	lc_server_opts so = LC_SERVER_OPTS_INIT;

	so.name = name;
	so.flavor_id = "m1";
	so.image_id = ct_image;
	so.server_group_id = group;
	return lc_server_create(out, ct_alice, &so);
}

Test(scheduler, anti_affinity_puts_each_member_on_its_own_host)
{
	char *g = make_group("anti-affinity"), *hosts[3];
	lc_server *v;
	lc_server_group *sg;

	ct_host("n1", 8, 16384, 100);
	ct_host("n2", 8, 16384, 100);
	ct_host("n3", 8, 16384, 100);
	ct_flavor("m1", 1, 512, 1);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(group_server(&v, g, "member"), 0);
		cr_assert_str_eq(lc_server_status(v), "ACTIVE");
		hosts[i] = host_of(v);
		for (int j = 0; j < i; j++)
			cr_assert_str_neq(hosts[i], hosts[j]);
	}
	cr_assert_eq(group_server(&v, g, "fourth"), 0);
	cr_assert_str_eq(lc_server_status(v), "ERROR");
	cr_assert(strstr(lc_server_fault_message(v), "ServerGroupAntiAffinityFilter eliminated 3") != NULL, "%s",
		  lc_server_fault_message(v));
	lc_server_free(v);
	cr_assert_eq(lc_server_group_get(&sg, ct_alice, g), 0);
	cr_assert_eq(lc_server_group_member_count(sg), 4);
	lc_server_group_free(sg);
	cr_assert_eq(lc_server_group_get(&sg, ct_bob, g), LC_ENOTFOUND);
	for (int i = 0; i < 3; i++)
		free(hosts[i]);
	free(g);
}

Test(scheduler, affinity_keeps_members_together_and_multi_create_honours_groups)
{
	char *g = make_group("affinity"), *first, *h;
	lc_server_opts so = LC_SERVER_OPTS_INIT;
	lc_server *v;

	ct_host("n1", 8, 16384, 100);
	ct_host("n2", 8, 16384, 100);
	ct_flavor("m1", 1, 512, 1);
	cr_assert_eq(group_server(&v, g, "a"), 0);
	first = host_of(v);
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(group_server(&v, g, "b"), 0);
		h = host_of(v);
		cr_assert_str_eq(h, first);
		free(h);
	}
	/* four at once in an anti-affinity group over two hosts: not enough hosts */
	free(g);
	g = make_group("anti-affinity");
	so.name = "many";
	so.flavor_id = "m1";
	so.image_id = ct_image;
	so.server_group_id = g;
	so.min_count = 2;
	so.max_count = 2;
	cr_assert_eq(lc_server_create(&v, ct_alice, &so), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE");
	lc_server_free(v);
	so.min_count = 1;
	so.max_count = 1;
	cr_assert_eq(lc_server_create(&v, ct_alice, &so), 0);
	cr_assert_str_eq(lc_server_status(v), "ERROR");
	lc_server_free(v);
	free(first);
	free(g);
	cr_assert_eq(lc_server_group_delete(ct_bob, g == NULL ? "x" : "0190c1d5-0000-7000-8000-000000000000", 0),
		     LC_ENOTFOUND);
}

Test(scheduler, why_no_host_counts_each_filter)
{
	lc_server *v;
	lc_compute_host_opts o = LC_COMPUTE_HOST_OPTS_INIT;
	lc_compute_host *h;

	cr_assert_eq(ct_server(&v, ct_alice, "nohosts", "m1"), LC_EINVALID, "no flavor yet");
	ct_flavor("m1", 2, 4096, 10);
	cr_assert_eq(ct_server(&v, ct_alice, "nohosts", "m1"), 0);
	cr_assert_str_eq(lc_server_status(v), "ERROR");
	cr_assert(strstr(lc_server_fault_message(v), "no compute host is registered") != NULL);
	lc_server_free(v);
	ct_host("tiny", 1, 8192, 100);
	ct_host("lowmem", 8, 1024, 100);
	ct_host("off", 8, 8192, 100);
	cr_assert_eq(lc_compute_host_find(&h, ct_admin, "off"), 0);
	o.enabled = 0;
	cr_assert_eq(lc_compute_host_update(NULL, ct_admin, lc_compute_host_id(h), &o), 0);
	lc_compute_host_free(h);
	cr_assert_eq(ct_server(&v, ct_alice, "nofit", "m1"), 0);
	cr_assert_str_eq(lc_server_status(v), "ERROR");
	cr_assert_str_eq(lc_server_fault_message(v),
			 "No valid host was found for 2 vCPU, 4096 MiB RAM, 10 GiB disk: 3 hosts; ComputeFilter "
			 "eliminated 1 (disabled or down), RamFilter eliminated 1 (not enough free RAM), CoreFilter "
			 "eliminated 1 (not enough free vCPUs).");
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 0, "an unplaced server holds no quota");
	lc_server_free(v);
}

struct race {
	int ok, err;
	pthread_mutex_t m;
};

static void *racer(void *p)
{
	struct race *r = p;
	lc_server *v;
	int rc = ct_server(&v, ct_alice, "racer", "m1");

	pthread_mutex_lock(&r->m);
	if (rc == 0 && strcmp(lc_server_status(v), "ACTIVE") == 0)
		r->ok++;
	else
		r->err++;
	pthread_mutex_unlock(&r->m);
	lc_server_free(v);
	return NULL;
}

Test(scheduler, concurrent_creates_never_double_book_a_host)
{
	struct race r = { 0, 0, PTHREAD_MUTEX_INITIALIZER };
	pthread_t th[24];
	lc_compute_host *h;

	cr_assert_eq(lc_quota_set(ct_admin, ct_demo, LC_QUOTA_INSTANCES, 100), 0);
	ct_host("n1", 8, 4096, 100);
	ct_host("n2", 8, 4096, 100);
	ct_flavor("m1", 1, 1024, 1);
	for (int i = 0; i < 24; i++)
		pthread_create(&th[i], NULL, racer, &r);
	for (int i = 0; i < 24; i++)
		pthread_join(th[i], NULL);
	cr_assert_eq(r.ok, 8, "exactly the 8 that fit");
	cr_assert_eq(r.err, 16);
	cr_assert_eq(lc_compute_host_find(&h, ct_admin, "n1"), 0);
	cr_assert_eq(lc_compute_host_memory_mib_used(h), 4096);
	lc_compute_host_free(h);
	cr_assert_eq(lc_compute_host_find(&h, ct_admin, "n2"), 0);
	cr_assert_eq(lc_compute_host_memory_mib_used(h), 4096);
	lc_compute_host_free(h);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 8);
	cr_assert_eq(lc_compute_fake_count(ct_fake), 8);
}
