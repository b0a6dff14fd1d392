/* Server actions: power operations, resize, rebuild, snapshot; illegal ones change nothing. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"

static char srv[LC_ID_LEN + 1];

static void setup(void)
{
	lc_server *v;

	ct_setup();
	ct_host("node1", 8, 16384, 100);
	ct_host("node2", 8, 16384, 100);
	ct_flavor("m1.small", 1, 512, 1);
	ct_flavor("m1.big", 4, 8192, 20);
	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1.small"), 0, "%s", lc_error_last()->message);
	snprintf(srv, sizeof(srv), "%s", lc_server_id(v));
	lc_server_free(v);
}

TestSuite(actions, .init = setup, .fini = ct_teardown, .timeout = 120);

static void expect(const char *status, const char *vm, int power)
{
	lc_server *v;

	cr_assert_eq(lc_server_get(&v, ct_alice, srv), 0);
	cr_assert_str_eq(lc_server_status(v), status);
	cr_assert_str_eq(lc_server_vm_state(v), vm);
	cr_assert_null(lc_server_task_state(v));
	cr_assert_eq(lc_server_power_state(v), power);
	lc_server_free(v);
}

static int64_t host_used(const char *name, int what)
{
	lc_compute_host *h;
	int64_t v;

	cr_assert_eq(lc_compute_host_find(&h, ct_admin, name), 0);
	v = what == 0 ? lc_compute_host_memory_mib_used(h) : what == 1 ? lc_compute_host_vcpus_used(h)
								       : lc_compute_host_running_vms(h);
	lc_compute_host_free(h);
	return v;
}

Test(actions, stop_start_reboot_pause_suspend_walk_the_states)
{
	cr_assert_eq(lc_server_stop(ct_alice, srv, 0), 0, "%s", lc_error_last()->message);
	expect("SHUTOFF", "stopped", LC_POWER_SHUTDOWN);
	cr_assert_eq(lc_server_start(ct_alice, srv, 0), 0);
	expect("ACTIVE", "active", LC_POWER_RUNNING);
	cr_assert_eq(lc_server_reboot(ct_alice, srv, 0), 0);
	expect("ACTIVE", "active", LC_POWER_RUNNING);
	cr_assert_eq(lc_server_reboot(ct_alice, srv, LC_SERVER_REBOOT_HARD), 0);
	cr_assert_eq(lc_server_pause(ct_alice, srv, 0), 0);
	expect("PAUSED", "paused", LC_POWER_PAUSED);
	cr_assert_eq(lc_server_unpause(ct_alice, srv, 0), 0);
	cr_assert_eq(lc_server_suspend(ct_alice, srv, 0), 0);
	expect("SUSPENDED", "suspended", LC_POWER_SUSPENDED);
	cr_assert_eq(lc_server_resume(ct_alice, srv, 0), 0);
	expect("ACTIVE", "active", LC_POWER_RUNNING);
	{
		lc_instance_action_iter *it;
		lc_instance_action *a;
		const char *want[] = { "create", "stop", "start", "reboot", "reboot", "pause", "unpause", "suspend",
				       "resume" };
		int n = 0;

		cr_assert_eq(lc_instance_action_iter_new(&it, ct_alice, srv), 0);
		while (lc_instance_action_iter_next(&a, it) == 0) {
			cr_assert_lt(n, 9);
			cr_assert_str_eq(lc_instance_action_action(a), want[n]);
			cr_assert_str_eq(lc_instance_action_result(a), "Success");
			cr_assert_geq(lc_instance_action_finish_time(a), lc_instance_action_start_time(a));
			if (n == 1) {
				lc_instance_action *g;

				cr_assert_eq(lc_instance_action_get(&g, ct_alice, srv, lc_instance_action_request_id(a)),
					     0);
				cr_assert_str_eq(lc_instance_action_action(g), "stop");
				lc_instance_action_free(g);
			}
			lc_instance_action_free(a);
			n++;
		}
		lc_instance_action_iter_free(it);
		cr_assert_eq(n, 9);
		cr_assert_eq(lc_instance_action_iter_new(&it, ct_bob, srv), LC_ENOTFOUND);
	}
}

Test(actions, an_action_illegal_in_the_state_is_a_conflict_and_changes_nothing)
{
	cr_assert_eq(lc_server_start(ct_alice, srv, 0), LC_ECONFLICT);
	cr_assert(strstr(lc_error_last()->message, "vm_state active") != NULL, "%s", lc_error_last()->message);
	expect("ACTIVE", "active", LC_POWER_RUNNING);
	cr_assert_eq(lc_server_unpause(ct_alice, srv, 0), LC_ECONFLICT);
	cr_assert_eq(lc_server_resume(ct_alice, srv, 0), LC_ECONFLICT);
	cr_assert_eq(lc_server_confirm_resize(ct_alice, srv, 0), LC_ECONFLICT);
	cr_assert_eq(lc_server_revert_resize(ct_alice, srv, 0), LC_ECONFLICT);
	cr_assert_eq(lc_server_stop(ct_alice, srv, 0), 0);
	cr_assert_eq(lc_server_stop(ct_alice, srv, 0), LC_ECONFLICT);
	cr_assert_eq(lc_server_pause(ct_alice, srv, 0), LC_ECONFLICT);
	cr_assert_eq(lc_server_reboot(ct_alice, srv, 0), LC_ECONFLICT, "a soft reboot needs a running server");
	expect("SHUTOFF", "stopped", LC_POWER_SHUTDOWN);
	cr_assert_eq(lc_server_stop(ct_alice, srv, 7), LC_EINVALID);
	cr_assert_eq(lc_server_stop(ct_bob, srv, 0), LC_ENOTFOUND);
	{
		lc_instance_action_iter *it;
		lc_instance_action *a;
		int n = 0;

		cr_assert_eq(lc_instance_action_iter_new(&it, ct_alice, srv), 0);
		while (lc_instance_action_iter_next(&a, it) == 0) {
			n++;
			lc_instance_action_free(a);
		}
		lc_instance_action_iter_free(it);
		cr_assert_eq(n, 2, "refused actions are not logged");
	}
}

Test(actions, a_failing_driver_keeps_the_state_and_records_a_fault)
{
	lc_server *v;

	cr_assert_eq(lc_compute_fake_fail(ct_fake, "power_off", 1, LC_EBACKEND), 0);
	cr_assert_eq(lc_server_stop(ct_alice, srv, 0), LC_EBACKEND);
	expect("ACTIVE", "active", LC_POWER_RUNNING);
	cr_assert_eq(lc_server_get(&v, ct_alice, srv), 0);
	cr_assert(strstr(lc_server_fault_message(v), "injected failure of power_off") != NULL);
	lc_server_free(v);
	cr_assert_eq(lc_server_stop(ct_alice, srv, 0), 0, "the next try works");
}

Test(actions, resize_then_confirm_keeps_the_new_size_only)
{
	lc_server *v;

	cr_assert_eq(lc_server_resize(ct_alice, srv, "m1.small", 0), LC_EINVALID, "same flavor");
	cr_assert_eq(lc_server_resize(ct_alice, srv, "m1.nope", 0), LC_EINVALID);
	cr_assert_eq(lc_server_resize(ct_alice, srv, "m1.big", 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_server_get(&v, ct_alice, srv), 0);
	cr_assert_str_eq(lc_server_status(v), "VERIFY_RESIZE");
	cr_assert_str_eq(lc_server_flavor_id(v), "m1.big");
	lc_server_free(v);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_CORES), 4, "the larger of the two");
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_RAM_MIB), 8192);
	cr_assert_eq(host_used("node1", 0) + host_used("node2", 0), 512 + 8192, "both sizes held meanwhile");
	cr_assert_eq(lc_server_stop(ct_alice, srv, 0), LC_ECONFLICT);
	cr_assert_eq(lc_server_confirm_resize(ct_alice, srv, 0), 0, "%s", lc_error_last()->message);
	expect("ACTIVE", "active", LC_POWER_RUNNING);
	cr_assert_eq(host_used("node1", 0) + host_used("node2", 0), 8192);
	cr_assert_eq(host_used("node1", 2) + host_used("node2", 2), 1);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_CORES), 4);
	cr_assert_eq(lc_server_delete(ct_alice, srv, 0), 0);
	cr_assert_eq(host_used("node1", 0) + host_used("node2", 0), 0);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_CORES), 0);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_RAM_MIB), 0);
}

Test(actions, resize_then_revert_goes_back_to_the_old_size_and_host)
{
	lc_server *v;
	char host[256];

	cr_assert_eq(lc_server_get(&v, ct_alice, srv), 0);
	snprintf(host, sizeof(host), "%s", lc_server_host(v));
	lc_server_free(v);
	cr_assert_eq(lc_server_stop(ct_alice, srv, 0), 0);
	cr_assert_eq(lc_server_resize(ct_alice, srv, "m1.big", 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_server_revert_resize(ct_alice, srv, 0), 0, "%s", lc_error_last()->message);
	expect("SHUTOFF", "stopped", LC_POWER_SHUTDOWN);
	cr_assert_eq(lc_server_get(&v, ct_alice, srv), 0);
	cr_assert_str_eq(lc_server_flavor_id(v), "m1.small");
	cr_assert_str_eq(lc_server_host(v), host);
	lc_server_free(v);
	cr_assert_eq(host_used("node1", 0) + host_used("node2", 0), 512);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_CORES), 1);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_RAM_MIB), 512);
}

Test(actions, resize_past_the_quota_or_the_hosts_changes_nothing)
{
	cr_assert_eq(lc_quota_set(ct_admin, ct_demo, LC_QUOTA_CORES, 2), 0);
	cr_assert_eq(lc_server_resize(ct_alice, srv, "m1.big", 0), LC_EQUOTA);
	cr_assert_eq(lc_quota_set(ct_admin, ct_demo, LC_QUOTA_CORES, 100), 0);
	ct_flavor("m1.huge", 4, 65536, 1);
	cr_assert_eq(lc_server_resize(ct_alice, srv, "m1.huge", 0), LC_EBUSY);
	cr_assert(strstr(lc_error_last()->message, "RamFilter eliminated 2") != NULL, "%s", lc_error_last()->message);
	expect("ACTIVE", "active", LC_POWER_RUNNING);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_CORES), 1);
	cr_assert_eq(host_used("node1", 0) + host_used("node2", 0), 512);
}

Test(actions, a_failed_resize_gives_everything_back)
{
	cr_assert_eq(lc_compute_fake_fail(ct_fake, "resize", 1, LC_EBACKEND), 0);
	cr_assert_eq(lc_server_resize(ct_alice, srv, "m1.big", 0), LC_EBACKEND);
	expect("ACTIVE", "active", LC_POWER_RUNNING);
	cr_assert_eq(host_used("node1", 0) + host_used("node2", 0), 512);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_CORES), 1);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_RAM_MIB), 512);
}

Test(actions, rebuild_goes_through_the_filters_and_never_double_counts)
{
	char img2[LC_ID_LEN + 1], xen[LC_ID_LEN + 1];
	const char *xenprops[] = { "hypervisor_type", "xen", NULL };
	lc_server_rebuild_opts o = LC_SERVER_REBUILD_OPTS_INIT;
	lc_server *v;
	char host[256];

	cr_assert_eq(lc_server_get(&v, ct_alice, srv), 0);
	snprintf(host, sizeof(host), "%s", lc_server_host(v));
	lc_server_free(v);
	ct_make_image(img2, ct_alice, "img2", 4096, 0, 0, NULL);
	ct_make_image(xen, ct_alice, "xen-only", 4096, 0, 0, xenprops);
	/* its host has room for this one server only, the other host is disabled: a rebuild in place still fits */
	{
		lc_compute_host_opts ho = LC_COMPUTE_HOST_OPTS_INIT;
		lc_compute_host *h;

		cr_assert_eq(lc_compute_host_find(&h, ct_admin, host), 0);
		ho.ram_allocation_ratio = 0.032; /* 524 MiB of 16384 */
		cr_assert_eq(lc_compute_host_update(NULL, ct_admin, lc_compute_host_id(h), &ho), 0);
		lc_compute_host_free(h);
		cr_assert_eq(lc_compute_host_find(&h, ct_admin, strcmp(host, "node1") ? "node1" : "node2"), 0);
		ho.ram_allocation_ratio = 0;
		ho.enabled = 0;
		cr_assert_eq(lc_compute_host_update(NULL, ct_admin, lc_compute_host_id(h), &ho), 0);
		lc_compute_host_free(h);
		cr_assert_eq(ct_server(NULL, ct_alice, "no-room", "m1.small"), 0);
	}
	o.image_id = img2;
	o.name = "web-rebuilt";
	cr_assert_eq(lc_server_rebuild(&v, ct_alice, srv, &o), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE");
	cr_assert_str_eq(lc_server_image_id(v), img2);
	cr_assert_str_eq(lc_server_name(v), "web-rebuilt");
	cr_assert_str_eq(lc_server_host(v), host, "stays on its host");
	cr_assert_not_null(lc_server_admin_pass(v));
	lc_server_free(v);
	cr_assert_eq(host_used("node1", 0) + host_used("node2", 0), 512, "not counted twice");
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 1, "the server without room holds nothing");
	/* an image no host can run: the filters say no, nothing changes */
	o.image_id = xen;
	o.name = NULL;
	cr_assert_eq(lc_server_rebuild(&v, ct_alice, srv, &o), LC_EBUSY);
	cr_assert(strstr(lc_error_last()->message, "ImagePropertiesFilter eliminated 1") != NULL, "%s",
		  lc_error_last()->message);
	cr_assert_eq(lc_server_get(&v, ct_alice, srv), 0);
	cr_assert_str_eq(lc_server_image_id(v), img2);
	lc_server_free(v);
	o.image_id = "0190c1d5-0000-7000-8000-000000000000";
	cr_assert_eq(lc_server_rebuild(NULL, ct_alice, srv, &o), LC_EINVALID);
}

Test(actions, rebuild_moves_a_server_whose_host_no_longer_passes)
{
	lc_compute_host_opts ho = LC_COMPUTE_HOST_OPTS_INIT;
	lc_compute_host *h;
	lc_server_rebuild_opts o = LC_SERVER_REBUILD_OPTS_INIT;
	lc_server *v;
	char host[256];

	cr_assert_eq(lc_server_get(&v, ct_alice, srv), 0);
	snprintf(host, sizeof(host), "%s", lc_server_host(v));
	lc_server_free(v);
	cr_assert_eq(lc_compute_host_find(&h, ct_admin, host), 0);
	ho.enabled = 0;
	ho.disabled_reason = "maintenance";
	cr_assert_eq(lc_compute_host_update(NULL, ct_admin, lc_compute_host_id(h), &ho), 0);
	lc_compute_host_free(h);
	o.image_id = ct_image;
	cr_assert_eq(lc_server_rebuild(&v, ct_alice, srv, &o), 0, "%s", lc_error_last()->message);
	cr_assert_str_neq(lc_server_host(v), host);
	cr_assert_eq(host_used(host, 0), 0);
	cr_assert_eq(host_used(lc_server_host(v), 0), 512);
	lc_server_free(v);
}

Test(actions, snapshot_makes_an_active_image_in_the_project)
{
	char img[LC_ID_LEN + 1];
	const char *md[] = { "purpose", "backup", NULL };
	lc_image *i;

	cr_assert_eq(lc_server_create_image(img, ct_alice, srv, "web-snap", md), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_image_get(&i, ct_alice, img), 0);
	cr_assert_str_eq(lc_image_status(i), "active");
	cr_assert_str_eq(lc_image_owner(i), ct_demo);
	cr_assert_str_eq(lc_image_property(i, "image_type"), "snapshot");
	cr_assert_str_eq(lc_image_property(i, "instance_uuid"), srv);
	cr_assert_str_eq(lc_image_property(i, "purpose"), "backup");
	lc_image_free(i);
	expect("ACTIVE", "active", LC_POWER_RUNNING);
	cr_assert_eq(lc_server_create_image(img, ct_bob, srv, "steal", NULL), LC_ENOTFOUND);
	cr_assert_eq(lc_compute_fake_fail(ct_fake, "snapshot", 1, LC_EBACKEND), 0);
	cr_assert_eq(lc_server_create_image(img, ct_alice, srv, "fails", NULL), LC_EBACKEND);
	expect("ACTIVE", "active", LC_POWER_RUNNING);
}

Test(actions, refresh_reads_the_power_state_back)
{
	lc_server *v;

	/* the hypervisor stops the instance behind the cloud's back */
	{
		lc_compute_instance in;

		memset(&in, 0, sizeof(in));
		in.id = srv;
		cr_assert_eq(ct_fake->power_off(ct_fake, &in, 0), 0);
	}
	cr_assert_eq(lc_server_refresh(&v, ct_alice, srv, 0), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_server_status(v), "SHUTOFF");
	cr_assert_eq(lc_server_power_state(v), LC_POWER_SHUTDOWN);
	lc_server_free(v);
}
