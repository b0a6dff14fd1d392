/* The compute driver vtable's layout, version by version: it only ever grows at the end. */
#include <criterion/criterion.h>

#include <stddef.h>

#include <libcloud/sys/compute.h>

#define P sizeof(void *)

Test(compute_layout, version_1_of_the_driver_vtable)
{
	size_t head = sizeof(lc_driver);

	cr_assert_eq(LC_COMPUTE_DRIVER_VERSION, 1);
	cr_assert_eq(offsetof(lc_compute_driver, base), 0);
	cr_assert_eq(offsetof(lc_compute_driver, inventory), head);
	cr_assert_eq(offsetof(lc_compute_driver, spawn), head + 1 * P);
	cr_assert_eq(offsetof(lc_compute_driver, destroy), head + 2 * P);
	cr_assert_eq(offsetof(lc_compute_driver, power_off), head + 3 * P);
	cr_assert_eq(offsetof(lc_compute_driver, power_on), head + 4 * P);
	cr_assert_eq(offsetof(lc_compute_driver, reboot), head + 5 * P);
	cr_assert_eq(offsetof(lc_compute_driver, pause), head + 6 * P);
	cr_assert_eq(offsetof(lc_compute_driver, unpause), head + 7 * P);
	cr_assert_eq(offsetof(lc_compute_driver, suspend), head + 8 * P);
	cr_assert_eq(offsetof(lc_compute_driver, resume), head + 9 * P);
	cr_assert_eq(offsetof(lc_compute_driver, get_state), head + 10 * P);
	cr_assert_eq(offsetof(lc_compute_driver, snapshot), head + 11 * P);
	cr_assert_eq(offsetof(lc_compute_driver, resize), head + 12 * P);
	cr_assert_eq(offsetof(lc_compute_driver, confirm_resize), head + 13 * P);
	cr_assert_eq(offsetof(lc_compute_driver, revert_resize), head + 14 * P);
	cr_assert_eq(offsetof(lc_compute_driver, rebuild), head + 15 * P);
	cr_assert_eq(offsetof(lc_compute_driver, list), head + 16 * P);
	cr_assert_eq(sizeof(lc_compute_driver), head + 17 * P);
}

Test(compute_layout, versions_1_and_2_of_the_instance_and_version_1_of_the_inventory)
{
	cr_assert_eq(LC_COMPUTE_INSTANCE_VERSION, 2);
	cr_assert_eq(offsetof(lc_compute_instance, version), 0);
	cr_assert_eq(offsetof(lc_compute_instance, id), P);
	cr_assert_eq(offsetof(lc_compute_instance, vcpus), 9 * P);
	cr_assert_eq(offsetof(lc_compute_instance, swap_mib), 9 * P + 32);
	cr_assert_eq(offsetof(lc_compute_instance, extra_specs), 9 * P + 40);
	cr_assert_eq(offsetof(lc_compute_instance, config_drive_dir), 15 * P + 40);
	/* version 2 appended the interfaces */
	cr_assert_eq(offsetof(lc_compute_instance, nics), 16 * P + 40);
	cr_assert_eq(offsetof(lc_compute_instance, nics_count), 17 * P + 40);
	cr_assert_eq(sizeof(lc_compute_instance), 18 * P + 40);
	cr_assert_eq(offsetof(lc_compute_nic, mtu), 3 * P);
	cr_assert_eq(LC_COMPUTE_INVENTORY_VERSION, 1);
	cr_assert_eq(offsetof(lc_compute_inventory, vcpus), 8);
	cr_assert_eq(offsetof(lc_compute_inventory, hypervisor_type), 40);
	cr_assert_eq(offsetof(lc_compute_inventory, cpu_arch), 72);
	cr_assert_eq(sizeof(lc_compute_inventory), 104);
}
