/*
 * Crash safety: a process dies between the two transactions of an
 * operation (in a driver call); the next open reconciles the server with
 * its driver. The crash is real: a child process _exit()s inside the fake
 * driver's method.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctest.h"

static int pipefd[2];
static const char *crash_in;

static void setup(void)
{
	ct_setup();
	ct_host("node1", 8, 16384, 100);
	ct_flavor("m1", 1, 512, 1);
	cr_assert_eq(pipe(pipefd), 0);
}

static void teardown(void)
{
	close(pipefd[0]);
	close(pipefd[1]);
	ct_teardown();
}

TestSuite(crash, .init = setup, .fini = teardown, .timeout = 120);

static void die_in(const char *method, const char *id, void *p)
{
	(void)p;
	if (strcmp(method, crash_in) == 0 && id) {
		char buf[LC_ID_LEN + 1];

		snprintf(buf, sizeof(buf), "%s", id);
		if (write(pipefd[1], buf, LC_ID_LEN) != LC_ID_LEN)
			_exit(3);
		_exit(0); /* no cleanup, no second transaction: a crash */
	}
}

/* Run fn in a child process (the cloud is closed around the fork: LMDB handles do not cross it) that crashes in the driver method `method`; returns the server id. */
static void crash_child(const char *method, void (*fn)(void), char id[LC_ID_LEN + 1])
{
	pid_t pid;
	int status;

	ct_close();
	crash_in = method;
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		ct_open(NULL);
		lc_compute_fake_set_hook(ct_fake, die_in, NULL);
		fn();
		_exit(2); /* the crash did not happen */
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child did not crash where planned");
	cr_assert_eq(read(pipefd[0], id, LC_ID_LEN), LC_ID_LEN);
	id[LC_ID_LEN] = '\0';
}

static void create_one(void)
{
	ct_server(NULL, ct_alice, "web", "m1");
}

static char crashed_id[LC_ID_LEN + 1];

static void create_and_act(void)
{
	lc_server *v;

	if (ct_server(&v, ct_alice, "web", "m1") != 0)
		_exit(4);
	if (strcmp(crash_in, "destroy") == 0)
		lc_server_delete(ct_alice, lc_server_id(v), 0);
	else if (strcmp(crash_in, "power_off") == 0)
		lc_server_stop(ct_alice, lc_server_id(v), 0);
	else if (strcmp(crash_in, "resize") == 0)
		lc_server_resize(ct_alice, lc_server_id(v), "m2", 0);
	lc_server_free(v);
}

static int64_t host_ram(void)
{
	lc_compute_host *h;
	int64_t v;

	cr_assert_eq(lc_compute_host_find(&h, ct_admin, "node1"), 0);
	v = lc_compute_host_memory_mib_used(h);
	lc_compute_host_free(h);
	return v;
}

Test(crash, a_crash_during_spawn_ends_in_error_with_everything_released)
{
	char id[LC_ID_LEN + 1];
	lc_server *v;

	crash_child("spawn", create_one, id);
	ct_open(NULL);
	cr_assert_eq(lc_server_get(&v, ct_alice, id), 0);
	cr_assert_str_eq(lc_server_status(v), "ERROR");
	cr_assert(strstr(lc_server_fault_message(v), "Build interrupted") != NULL, "%s", lc_server_fault_message(v));
	lc_server_free(v);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 0);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_RAM_MIB), 0);
	cr_assert_eq(host_ram(), 0);
}

/* The hypervisor outlived the crash: the instance is there. */
static void instance_survived(void)
{
	lc_compute_instance in;

	memset(&in, 0, sizeof(in));
	in.version = LC_COMPUTE_INSTANCE_VERSION;
	in.id = crashed_id;
	in.uri = "fake://node1?vcpus=8&memory_mib=16384&disk_gib=100";
	in.vcpus = 1;
	in.memory_mib = 512;
	cr_assert_eq(ct_fake->spawn(ct_fake, &in), 0);
}

Test(crash, a_crash_after_the_hypervisor_started_the_instance_ends_active)
{
	lc_server *v;

	crash_child("spawn", create_one, crashed_id);
	ct_open(instance_survived);
	cr_assert_eq(lc_server_get(&v, ct_alice, crashed_id), 0);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE");
	cr_assert_eq(lc_server_power_state(v), LC_POWER_RUNNING);
	lc_server_free(v);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 1);
	cr_assert_eq(host_ram(), 512);
	{
		/* the create's log entry, left open by the crash, is closed by the reconciliation */
		lc_instance_action_iter *it;
		lc_instance_action *a;
		int n = 0;

		cr_assert_eq(lc_instance_action_iter_new(&it, ct_alice, crashed_id), 0, "%s", lc_error_last()->message);
		while (lc_instance_action_iter_next(&a, it) == 0) {
			cr_assert_gt(lc_instance_action_finish_time(a), 0);
			cr_assert_str_eq(lc_instance_action_result(a), "Success");
			lc_instance_action_free(a);
			n++;
		}
		lc_instance_action_iter_free(it);
		cr_assert_eq(n, 1);
	}
}

/* A child that returns from `fn` (which writes the server id to the pipe) and dies before anything else. */
static void die_after(void (*fn)(void))
{
	pid_t pid;
	int status;

	ct_close();
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		ct_open(NULL);
		fn();
		_exit(0); /* no close: what was left for the next write is lost */
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child failed");
	cr_assert_eq(read(pipefd[0], crashed_id, LC_ID_LEN), LC_ID_LEN);
	crashed_id[LC_ID_LEN] = '\0';
}

/* Create a server (and delete it when delete_too), tell the parent its id. */
static int delete_too;

static void create_returns(void)
{
	lc_server *v;

	if (ct_server(&v, ct_alice, "web", "m1") != 0 || strcmp(lc_server_status(v), "ACTIVE") != 0)
		_exit(4);
	if (delete_too && lc_server_delete(ct_alice, lc_server_id(v), 0) != 0)
		_exit(5);
	if (write(pipefd[1], lc_server_id(v), LC_ID_LEN) != LC_ID_LEN)
		_exit(3);
	lc_server_free(v);
}

/* The crashed server is in `status` (with a fault containing `fault`, if given) and holds `ram` MiB (0: nothing). */
static void assert_settled(const char *status, const char *fault, int64_t ram)
{
	lc_server *v;

	cr_assert_eq(lc_server_get(&v, ct_alice, crashed_id), 0);
	cr_assert_str_eq(lc_server_status(v), status);
	if (fault)
		cr_assert(strstr(lc_server_fault_message(v), fault) != NULL, "%s", lc_server_fault_message(v));
	lc_server_free(v);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), ram ? 1 : 0);
	cr_assert_eq(host_ram(), ram);
}

Test(crash, a_crash_after_a_create_returned_before_its_outcome_was_written_ends_active)
{
	die_after(create_returns);
	ct_open(instance_survived);
	assert_settled("ACTIVE", NULL, 512);
}

/* The same crash on a hypervisor that lost the instance too: the server was still spawning on disk. */
Test(crash, a_crash_after_a_create_returned_on_a_hypervisor_that_lost_it_ends_in_error)
{
	die_after(create_returns);
	ct_open(NULL);
	assert_settled("ERROR", "Build interrupted", 0);
}

Test(crash, a_crash_after_a_delete_returned_before_its_removal_was_written_finishes_it)
{
	lc_server *v;

	delete_too = 1;
	die_after(create_returns);
	ct_open(NULL);
	cr_assert_eq(lc_server_get(&v, ct_alice, crashed_id), LC_ENOTFOUND);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 0);
	cr_assert_eq(host_ram(), 0);
}

Test(crash, a_crash_during_delete_finishes_the_delete)
{
	char id[LC_ID_LEN + 1];
	lc_server *v;

	crash_child("destroy", create_and_act, id);
	ct_open(NULL);
	cr_assert_eq(lc_server_get(&v, ct_alice, id), LC_ENOTFOUND);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_INSTANCES), 0);
	cr_assert_eq(host_ram(), 0);
}

Test(crash, a_crash_during_stop_takes_the_hypervisors_word)
{
	lc_server *v;

	crash_child("power_off", create_and_act, crashed_id);
	ct_open(instance_survived);
	cr_assert_eq(lc_server_get(&v, ct_alice, crashed_id), 0);
	cr_assert_null(lc_server_task_state(v));
	cr_assert_str_eq(lc_server_status(v), "ACTIVE", "the instance still runs");
	lc_server_free(v);
}

static void unreachable(void)
{
	instance_survived();
	cr_assert_eq(lc_compute_fake_fail(ct_fake, "get_state", 100, LC_EBACKEND), 0);
}

Test(crash, an_unreachable_hypervisor_leaves_the_server_for_the_next_open)
{
	lc_server *v;

	crash_child("power_off", create_and_act, crashed_id);
	ct_open(unreachable);
	cr_assert_eq(lc_server_get(&v, ct_alice, crashed_id), 0);
	cr_assert_str_eq(lc_server_task_state(v), "powering-off", "nothing decided without the hypervisor");
	lc_server_free(v);
	cr_assert_eq(lc_server_delete(ct_alice, crashed_id, 0), LC_ECONFLICT);
	ct_close();
	ct_open(instance_survived);
	cr_assert_eq(lc_server_get(&v, ct_alice, crashed_id), 0);
	cr_assert_null(lc_server_task_state(v));
	cr_assert_str_eq(lc_server_status(v), "ACTIVE");
	lc_server_free(v);
}

Test(crash, a_crash_during_resize_goes_back_to_the_old_size)
{
	lc_server *v;

	ct_flavor("m2", 2, 1024, 1);
	crash_child("resize", create_and_act, crashed_id);
	ct_open(instance_survived);
	cr_assert_eq(lc_server_get(&v, ct_alice, crashed_id), 0);
	cr_assert_str_eq(lc_server_flavor_id(v), "m1");
	cr_assert_null(lc_server_task_state(v));
	cr_assert_str_eq(lc_server_vm_state(v), "active");
	lc_server_free(v);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_CORES), 1);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_RAM_MIB), 512);
	cr_assert_eq(host_ram(), 512);
}
