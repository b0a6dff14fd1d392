/* Servers: create, show, list, rename, metadata, delete; every bad input changes nothing. */
#include <criterion/criterion.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"

static void setup(void)
{
	ct_setup();
	ct_host("node1", 8, 16384, 100);
	ct_host("node2", 8, 16384, 100);
	ct_flavor("m1.small", 1, 512, 1);
	ct_flavor("m1.big", 4, 8192, 20);
}

TestSuite(servers, .init = setup, .fini = ct_teardown, .timeout = 120);

static int64_t host_used_ram(const char *name)
{
	lc_compute_host *h;
	int64_t v;

	cr_assert_eq(lc_compute_host_find(&h, ct_admin, name), 0);
	v = lc_compute_host_memory_mib_used(h);
	lc_compute_host_free(h);
	return v;
}

static int count_servers(lc_session *s)
{
	lc_server_iter *it;
	lc_server *v;
	int n = 0;

	cr_assert_eq(lc_server_iter_new(&it, s, NULL), 0, "%s", lc_error_last()->message);
	while (lc_server_iter_next(&v, it) == 0) {
		n++;
		lc_server_free(v);
	}
	lc_server_iter_free(it);
	return n;
}

/* Nothing changed: no server, no usage, no allocation. */
static void assert_nothing(void)
{
	cr_assert_eq(count_servers(ct_alice), 0);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 0);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_CORES), 0);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_RAM_MIB), 0);
	cr_assert_eq(host_used_ram("node1") + host_used_ram("node2"), 0);
}

Test(servers, create_places_spawns_and_shows_active)
{
	lc_server *v, *g;

	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1.small"), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE");
	cr_assert_str_eq(lc_server_vm_state(v), "active");
	cr_assert_null(lc_server_task_state(v));
	cr_assert_eq(lc_server_power_state(v), LC_POWER_RUNNING);
	cr_assert_not_null(lc_server_host(v));
	cr_assert_str_eq(lc_server_availability_zone(v), "nova");
	cr_assert_str_eq(lc_server_flavor_id(v), "m1.small");
	cr_assert_eq(lc_server_ram_mib(v), 512);
	cr_assert_str_eq(lc_server_image_id(v), ct_image);
	cr_assert_str_eq(lc_server_project_id(v), ct_demo);
	cr_assert_not_null(lc_server_admin_pass(v));
	cr_assert_eq(strlen(lc_server_host_id(v)), 56);
	cr_assert_gt(lc_server_launched_at(v), 0);
	cr_assert_eq(lc_compute_fake_count(ct_fake), 1);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 1);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_CORES), 1);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_RAM_MIB), 512);
	cr_assert_eq(host_used_ram(lc_server_host(v)), 512);
	cr_assert_eq(lc_server_get(&g, ct_alice, lc_server_id(v)), 0);
	cr_assert_str_eq(lc_server_name(g), "web");
	cr_assert_null(lc_server_admin_pass(g), "the password is not stored");
	lc_server_free(g);
	lc_server_free(v);
}

Test(servers, another_project_sees_nothing_of_it)
{
	lc_server *v, *g = NULL;

	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1.small"), 0);
	cr_assert_eq(lc_server_get(&g, ct_bob, lc_server_id(v)), LC_ENOTFOUND);
	cr_assert_eq(lc_server_delete(ct_bob, lc_server_id(v), 0), LC_ENOTFOUND);
	cr_assert_eq(lc_server_stop(ct_bob, lc_server_id(v), 0), LC_ENOTFOUND);
	cr_assert_eq(count_servers(ct_bob), 0);
	cr_assert_eq(count_servers(ct_alice), 1);
	cr_assert_eq(count_servers(ct_admin), 0, "admin sees its own project without all_tenants");
	{
		const char *f[] = { "all_tenants", "1", NULL };
		lc_list_opts lo = LC_LIST_OPTS_INIT;
		lc_server_iter *it;
		lc_server *x;
		int n = 0;

		lo.filters = f;
		cr_assert_eq(lc_server_iter_new(&it, ct_admin, &lo), 0);
		while (lc_server_iter_next(&x, it) == 0) {
			n++;
			lc_server_free(x);
		}
		lc_server_iter_free(it);
		cr_assert_eq(n, 1);
		cr_assert_eq(lc_server_iter_new(&it, ct_alice, &lo), 0, "non-admins: all_tenants is ignored");
		lc_server_iter_free(it);
	}
	lc_server_free(v);
}

Test(servers, list_filters_and_pages)
{
	lc_server *v;
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_server_iter *it;
	const char *f[] = { "name", "^web", NULL };
	char first[LC_ID_LEN + 1];
	int n = 0;

	cr_assert_eq(ct_server(&v, ct_alice, "web-1", "m1.small"), 0);
	snprintf(first, sizeof(first), "%s", lc_server_id(v));
	lc_server_free(v);
	cr_assert_eq(ct_server(NULL, ct_alice, "web-2", "m1.small"), 0);
	cr_assert_eq(ct_server(NULL, ct_alice, "db", "m1.small"), 0);
	lo.filters = f;
	cr_assert_eq(lc_server_iter_new(&it, ct_alice, &lo), 0);
	while (lc_server_iter_next(&v, it) == 0) {
		cr_assert(strncmp(lc_server_name(v), "web", 3) == 0);
		n++;
		lc_server_free(v);
	}
	lc_server_iter_free(it);
	cr_assert_eq(n, 2);
	lo.filters = NULL;
	lo.marker = first;
	lo.limit = 1;
	cr_assert_eq(lc_server_iter_new(&it, ct_alice, &lo), 0);
	cr_assert_eq(lc_server_iter_next(&v, it), 0);
	cr_assert_str_eq(lc_server_name(v), "web-2");
	lc_server_free(v);
	cr_assert_eq(lc_server_iter_next(&v, it), LC_ITEROVER);
	lc_server_iter_free(it);
	{
		const char *st[] = { "status", "SHUTOFF", NULL };
		const char *bad[] = { "changes-since", "yesterday", NULL };
		const char *host[] = { "host", "node1", NULL };

		lo.marker = NULL;
		lo.limit = 0;
		lo.filters = st;
		cr_assert_eq(lc_server_iter_new(&it, ct_alice, &lo), 0);
		cr_assert_eq(lc_server_iter_next(&v, it), LC_ITEROVER);
		lc_server_iter_free(it);
		lo.filters = bad;
		cr_assert_eq(lc_server_iter_new(&it, ct_alice, &lo), LC_EINVALID);
		lo.filters = host;
		cr_assert_eq(lc_server_iter_new(&it, ct_alice, &lo), LC_EFORBIDDEN);
	}
}

Test(servers, rename_and_metadata)
{
	lc_server *v, *u;
	lc_server_opts o = LC_SERVER_OPTS_INIT;
	const char *md[] = { "role", "web", "tier", "front", NULL };
	const char *md2[] = { "env", "prod", NULL };

	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1.small"), 0);
	o.name = "web-renamed";
	cr_assert_eq(lc_server_update(&u, ct_alice, lc_server_id(v), &o), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_server_name(u), "web-renamed");
	lc_server_free(u);
	o.flavor_id = "m1.big";
	cr_assert_eq(lc_server_update(NULL, ct_alice, lc_server_id(v), &o), LC_EINVALID);
	o.flavor_id = NULL;
	o.nics_count = 1;
	cr_assert_eq(lc_server_update(NULL, ct_alice, lc_server_id(v), &o), LC_EINVALID, "attachments are not updates");
	o.nics_count = 0;
	cr_assert_eq(lc_server_set_metadata(&u, ct_alice, lc_server_id(v), md, 0), 0);
	cr_assert_eq(lc_server_metadata_count(u), 2);
	cr_assert_str_eq(lc_server_metadata(u, "tier"), "front");
	lc_server_free(u);
	cr_assert_eq(lc_server_set_metadata(&u, ct_alice, lc_server_id(v), md2, LC_SERVER_METADATA_REPLACE), 0);
	cr_assert_eq(lc_server_metadata_count(u), 1);
	cr_assert_str_eq(lc_server_metadata_key(u, 0), "env");
	lc_server_free(u);
	cr_assert_eq(lc_server_delete_metadata(ct_alice, lc_server_id(v), "env"), 0);
	cr_assert_eq(lc_server_delete_metadata(ct_alice, lc_server_id(v), "env"), LC_ENOTFOUND);
	lc_server_free(v);
}

Test(servers, delete_releases_everything)
{
	lc_server *v;
	char id[LC_ID_LEN + 1];

	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1.small"), 0);
	snprintf(id, sizeof(id), "%s", lc_server_id(v));
	lc_server_free(v);
	cr_assert_eq(lc_server_delete(ct_alice, id, 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_server_get(&v, ct_alice, id), LC_ENOTFOUND);
	cr_assert_eq(lc_compute_fake_count(ct_fake), 0);
	assert_nothing();
	cr_assert_eq(lc_server_delete(ct_alice, id, 0), LC_ENOTFOUND);
	cr_assert_eq(lc_server_delete(ct_alice, id, 1), LC_EINVALID, "unknown flags");
}

/*
 * The outcome of a create and the removal of a delete are written with the
 * next write of the cloud; every read in between sees them all the same.
 */
Test(servers, what_a_create_or_delete_returned_is_what_the_next_reads_see)
{
	lc_server *v, *g;
	lc_instance_action_iter *it;
	lc_instance_action *a;
	char id[LC_ID_LEN + 1];

	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1.small"), 0);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE");
	snprintf(id, sizeof(id), "%s", lc_server_id(v));
	cr_assert_eq(lc_server_get(&g, ct_alice, id), 0);
	cr_assert_str_eq(lc_server_status(g), "ACTIVE");
	cr_assert_eq(lc_server_power_state(g), LC_POWER_RUNNING);
	cr_assert_null(lc_server_task_state(g));
	cr_assert_eq(lc_server_launched_at(g), lc_server_launched_at(v), "the create returned the values it stored");
	lc_server_free(g);
	lc_server_free(v);
	cr_assert_eq(lc_instance_action_iter_new(&it, ct_alice, id), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_instance_action_iter_next(&a, it), 0);
	cr_assert_str_eq(lc_instance_action_result(a), "Success");
	lc_instance_action_free(a);
	lc_instance_action_iter_free(it);

	cr_assert_eq(lc_server_delete(ct_alice, id, 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 0, "the quota is free at once");
	cr_assert_eq(host_used_ram("node1") + host_used_ram("node2"), 0);
	cr_assert_eq(lc_server_get(&g, ct_alice, id), LC_ENOTFOUND);
}

Test(servers, hosts_filled_to_the_brim_take_a_new_server_right_after_a_delete)
{
	lc_server *v[3];

	ct_flavor("whole", 8, 16384, 100);
	cr_assert_eq(ct_server(&v[0], ct_alice, "a", "whole"), 0);
	cr_assert_eq(ct_server(&v[1], ct_alice, "b", "whole"), 0);
	cr_assert_str_eq(lc_server_status(v[1]), "ACTIVE");
	cr_assert_eq(lc_server_delete(ct_alice, lc_server_id(v[0]), 0), 0, "%s", lc_error_last()->message);
	/* the scheduler's view of the freed host follows the removal, even before anything else commits it */
	cr_assert_eq(ct_server(&v[2], ct_alice, "c", "whole"), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_server_status(v[2]), "ACTIVE", "%s", lc_server_fault_message(v[2]) ? lc_server_fault_message(v[2]) : "");
	cr_assert_str_eq(lc_server_host(v[2]), lc_server_host(v[0]));
	for (int i = 0; i < 3; i++)
		lc_server_free(v[i]);
}

Test(servers, unknown_flavor_or_image_is_rejected)
{
	lc_server_opts o = LC_SERVER_OPTS_INIT;

	o.name = "x";
	o.flavor_id = "nope";
	o.image_id = ct_image;
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EINVALID);
	cr_assert(strstr(lc_error_last()->message, "flavor") != NULL);
	o.flavor_id = "m1.small";
	o.image_id = "0190c1d5-0000-7000-8000-000000000000";
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EINVALID);
	cr_assert(strstr(lc_error_last()->message, "image") != NULL);
	o.image_id = "not-a-uuid";
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EINVALID);
	o.image_id = NULL;
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EINVALID);
	assert_nothing();
}

Test(servers, an_image_that_is_not_active_is_rejected)
{
	char queued[LC_ID_LEN + 1];
	lc_server_opts o = LC_SERVER_OPTS_INIT;

	ct_make_image(queued, ct_alice, "empty", 0, 0, 0, NULL);
	o.name = "x";
	o.flavor_id = "m1.small";
	o.image_id = queued;
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EINVALID);
	cr_assert(strstr(lc_error_last()->message, "not active") != NULL, "%s", lc_error_last()->message);
	assert_nothing();
}

Test(servers, a_flavor_smaller_than_the_image_needs_is_rejected)
{
	char big[LC_ID_LEN + 1], hungry[LC_ID_LEN + 1];
	lc_server_opts o = LC_SERVER_OPTS_INIT;

	ct_make_image(big, ct_alice, "big", 4096, 10, 0, NULL);
	ct_make_image(hungry, ct_alice, "hungry", 4096, 0, 4096, NULL);
	o.name = "x";
	o.flavor_id = "m1.small";
	o.image_id = big;
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EINVALID);
	cr_assert(strstr(lc_error_last()->message, "disk is too small") != NULL, "%s", lc_error_last()->message);
	o.image_id = hungry;
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EINVALID);
	cr_assert(strstr(lc_error_last()->message, "memory is too small") != NULL, "%s", lc_error_last()->message);
	o.flavor_id = "m1.big";
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), 0, "a big enough flavor works");
}

Test(servers, quota_exceeded_names_the_quota_its_use_and_limit)
{
	cr_assert_eq(lc_quota_set(ct_admin, ct_demo, LC_QUOTA_CORES, 5), 0);
	cr_assert_eq(ct_server(NULL, ct_alice, "a", "m1.big"), 0);
	cr_assert_eq(ct_server(NULL, ct_alice, "b", "m1.big"), LC_EQUOTA);
	cr_assert(strstr(lc_error_last()->message, "cores") != NULL, "%s", lc_error_last()->message);
	cr_assert(strstr(lc_error_last()->message, "limit 5") != NULL, "%s", lc_error_last()->message);
	cr_assert(strstr(lc_error_last()->message, "in use 4") != NULL, "%s", lc_error_last()->message);
	cr_assert_eq(count_servers(ct_alice), 1);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_CORES), 4);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 1);
}

Test(servers, bad_or_oversized_user_data_is_rejected)
{
	lc_server_opts o = LC_SERVER_OPTS_INIT;
	char *big = malloc(LC_SERVER_USER_DATA_MAX + 5);

	o.name = "x";
	o.flavor_id = "m1.small";
	o.image_id = ct_image;
	o.user_data = "not base64!";
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EINVALID);
	cr_assert(strstr(lc_error_last()->message, "base64") != NULL);
	memset(big, 'A', LC_SERVER_USER_DATA_MAX + 4);
	big[LC_SERVER_USER_DATA_MAX + 4] = '\0';
	o.user_data = big;
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EINVALID);
	free(big);
	assert_nothing();
	o.user_data = "I2Nsb3VkLWNvbmZpZwo=\n";
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), 0, "%s", lc_error_last()->message);
}

Test(servers, another_users_keypair_cannot_be_used)
{
	lc_keypair_opts k = LC_KEYPAIR_OPTS_INIT;
	lc_server_opts o = LC_SERVER_OPTS_INIT;

	k.name = "carols";
	k.algorithm = "ed25519";
	cr_assert_eq(lc_keypair_create(NULL, ct_carol, &k), 0, "%s", lc_error_last()->message);
	o.name = "x";
	o.flavor_id = "m1.small";
	o.image_id = ct_image;
	o.key_name = "carols";
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EINVALID, "same project, other user");
	cr_assert(strstr(lc_error_last()->message, "key pair") != NULL);
	assert_nothing();
	cr_assert_eq(lc_server_create(NULL, ct_carol, &o), 0, "%s", lc_error_last()->message);
}

Test(servers, a_non_admin_cannot_choose_the_host)
{
	lc_server_opts o = LC_SERVER_OPTS_INIT;
	const char *hint[] = { "force_hosts", "node1", NULL };
	const char *hint2[] = { "_nova_check_type", "x", NULL };
	lc_server *v;

	o.name = "x";
	o.flavor_id = "m1.small";
	o.image_id = ct_image;
	o.host = "node2";
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EFORBIDDEN);
	o.host = NULL;
	o.availability_zone = "nova:node2";
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EFORBIDDEN);
	o.availability_zone = NULL;
	o.scheduler_hints = hint;
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EFORBIDDEN);
	o.scheduler_hints = hint2;
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EFORBIDDEN);
	assert_nothing();
	/* an admin may, and still goes through the filters */
	o.scheduler_hints = NULL;
	o.host = "node2";
	{
		lc_auth_opts a = LC_AUTH_OPTS_INIT;
		lc_session *adm_demo;
		lc_user *u;
		lc_role *r;
		lc_grant g = LC_GRANT_INIT;

		cr_assert_eq(lc_user_find(&u, ct_admin, NULL, "admin"), 0);
		cr_assert_eq(lc_role_find(&r, ct_admin, "admin"), 0);
		g.role_id = lc_role_id(r);
		g.user_id = lc_user_id(u);
		g.project_id = ct_demo;
		cr_assert_eq(lc_role_grant(ct_admin, &g), 0);
		lc_role_free(r);
		lc_user_free(u);
		a.user_name = "admin";
		a.user_domain_id = "default";
		a.password = "admin-secret";
		a.scope = LC_SCOPE_PROJECT;
		a.project_id = ct_demo;
		cr_assert_eq(lc_session_password(&adm_demo, ct_cloud, &a), 0);
		cr_assert_eq(lc_server_create(&v, adm_demo, &o), 0, "%s", lc_error_last()->message);
		cr_assert_str_eq(lc_server_host(v), "node2");
		lc_server_free(v);
		o.host = "nowhere";
		cr_assert_eq(lc_server_create(&v, adm_demo, &o), 0);
		cr_assert_str_eq(lc_server_status(v), "ERROR");
		cr_assert(strstr(lc_server_fault_message(v), "RequestedHostFilter eliminated 2") != NULL, "%s",
			  lc_server_fault_message(v));
		lc_server_free(v);
		lc_session_free(adm_demo);
	}
}

Test(servers, a_driver_failing_mid_spawn_leaves_an_error_with_a_fault_and_nothing_held)
{
	lc_server *v;

	cr_assert_eq(lc_compute_fake_fail(ct_fake, "spawn", 1, LC_EBACKEND), 0);
	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1.small"), 0);
	cr_assert_str_eq(lc_server_status(v), "ERROR");
	cr_assert_eq(lc_server_fault_code(v), 500);
	cr_assert(strstr(lc_server_fault_message(v), "injected failure of spawn") != NULL, "%s",
		  lc_server_fault_message(v));
	cr_assert_gt(lc_server_fault_at(v), 0);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 0);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_RAM_MIB), 0);
	cr_assert_eq(host_used_ram("node1") + host_used_ram("node2"), 0);
	cr_assert_eq(lc_compute_fake_count(ct_fake), 0);
	/* the log says so, and the server can be deleted */
	{
		lc_instance_action_iter *it;
		lc_instance_action *a;

		cr_assert_eq(lc_instance_action_iter_new(&it, ct_alice, lc_server_id(v)), 0);
		cr_assert_eq(lc_instance_action_iter_next(&a, it), 0);
		cr_assert_str_eq(lc_instance_action_action(a), "create");
		cr_assert_str_eq(lc_instance_action_result(a), "Error");
		lc_instance_action_free(a);
		lc_instance_action_iter_free(it);
	}
	cr_assert_eq(lc_server_delete(ct_alice, lc_server_id(v), 0), 0);
	lc_server_free(v);
	assert_nothing();
}

static lc_session *hook_session;
static int hook_rc = 1;

static void delete_during_build(const char *method, const char *id, void *p)
{
	(void)p;
	if (strcmp(method, "spawn") == 0 && id)
		hook_rc = lc_server_delete(hook_session, id, 0);
}

Test(servers, delete_during_build_is_a_conflict_and_changes_nothing)
{
	lc_server *v;

	hook_session = ct_alice;
	cr_assert_eq(lc_compute_fake_set_hook(ct_fake, delete_during_build, NULL), 0);
	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1.small"), 0);
	lc_compute_fake_set_hook(ct_fake, NULL, NULL);
	cr_assert_eq(hook_rc, LC_ECONFLICT);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE", "the build went on");
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 1);
	lc_server_free(v);
}

Test(servers, min_and_max_count_make_numbered_servers_as_quota_allows)
{
	lc_server_opts o = LC_SERVER_OPTS_INIT;
	lc_server *v;

	cr_assert_eq(lc_quota_set(ct_admin, ct_demo, LC_QUOTA_INSTANCES, 3), 0);
	o.name = "batch";
	o.flavor_id = "m1.small";
	o.image_id = ct_image;
	o.min_count = 2;
	o.max_count = 5;
	cr_assert_eq(lc_server_create(&v, ct_alice, &o), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_server_name(v), "batch-1");
	lc_server_free(v);
	cr_assert_eq(count_servers(ct_alice), 3);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 3);
	o.min_count = 1;
	o.max_count = 1;
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EQUOTA);
	o.max_count = 2;
	o.min_count = 3;
	cr_assert_eq(lc_server_create(NULL, ct_alice, &o), LC_EINVALID);
}

Test(servers, config_drive_holds_what_cloud_init_reads)
{
	lc_server_opts o = LC_SERVER_OPTS_INIT;
	lc_keypair_opts k = LC_KEYPAIR_OPTS_INIT;
	lc_keypair *kp;
	const char *md[] = { "role", "web", NULL };
	lc_server *v;
	char path[4096], buf[8192];
	FILE *f;
	size_t n;

	k.name = "mykey";
	k.algorithm = "ed25519";
	cr_assert_eq(lc_keypair_create(&kp, ct_alice, &k), 0);
	o.name = "Web Server";
	o.flavor_id = "m1.small";
	o.image_id = ct_image;
	o.key_name = "mykey";
	o.metadata = md;
	o.user_data = "I2Nsb3VkLWNvbmZpZwpob3N0bmFtZTogeAo=";
	o.config_drive = 1;
	cr_assert_eq(lc_server_create(&v, ct_alice, &o), 0, "%s", lc_error_last()->message);
	cr_assert(lc_server_config_drive(v));
	snprintf(path, sizeof(path), "%s/data/compute/instances/%s/config-drive/openstack/latest/meta_data.json",
		 ct_dir, lc_server_id(v));
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	cr_assert(strstr(buf, lc_server_id(v)) != NULL);
	cr_assert(strstr(buf, "\"hostname\":\"web-server\"") != NULL, "%s", buf);
	cr_assert(strstr(buf, "\"role\":\"web\"") != NULL, "%s", buf);
	cr_assert(strstr(buf, lc_keypair_public_key(kp)) != NULL, "%s", buf);
	snprintf(path, sizeof(path), "%s/data/compute/instances/%s/config-drive/openstack/latest/user_data", ct_dir,
		 lc_server_id(v));
	f = fopen(path, "r");
	cr_assert_not_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	cr_assert_str_eq(buf, "#cloud-config\nhostname: x\n");
	/* the same through the public call */
	snprintf(path, sizeof(path), "%s/md", ct_dir);
	cr_assert_eq(system("true"), 0);
	{
		char cmd[4200];

		snprintf(cmd, sizeof(cmd), "mkdir -p %s", path);
		cr_assert_eq(system(cmd), 0);
	}
	cr_assert_eq(lc_server_write_metadata(ct_alice, lc_server_id(v), path), 0);
	cr_assert_eq(lc_server_write_metadata(ct_bob, lc_server_id(v), path), LC_ENOTFOUND);
	lc_keypair_free(kp);
	lc_server_free(v);
}

/* 64 threads create at once with an instances quota of 1: exactly one succeeds. */
static void *create_one(void *p)
{
	return (void *)(intptr_t)ct_server(NULL, (lc_session *)p, "racer", "m1.small");
}

Test(servers, sixty_four_concurrent_creates_at_quota_one_make_exactly_one_server)
{
	pthread_t th[64];
	int ok = 0, quota = 0;

	cr_assert_eq(lc_quota_set(ct_admin, ct_demo, LC_QUOTA_INSTANCES, 1), 0);
	for (int i = 0; i < 64; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, create_one, ct_alice), 0);
	for (int i = 0; i < 64; i++) {
		void *rc;

		pthread_join(th[i], &rc);
		if ((intptr_t)rc == 0)
			ok++;
		else if ((intptr_t)rc == LC_EQUOTA)
			quota++;
	}
	cr_assert_eq(ok, 1);
	cr_assert_eq(quota, 63);
	cr_assert_eq(count_servers(ct_alice), 1);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 1);
	cr_assert_eq(host_used_ram("node1") + host_used_ram("node2"), 512);
	cr_assert_eq(lc_compute_fake_count(ct_fake), 1);
}
