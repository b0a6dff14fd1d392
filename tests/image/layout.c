/*
 * The image store vtable is append-only (SQLite's lesson): version 1's
 * layout is pinned here, member by member. A new method goes at the end
 * with a version bump, never in between.
 */
#include <criterion/criterion.h>

#include <stddef.h>

#include <libcloud/sys/image_store.h>

#define FN sizeof(void (*)(void))

Test(layout, the_driver_head_comes_first)
{
	cr_assert_eq(offsetof(lc_image_store, base), 0);
	cr_assert_eq(offsetof(lc_driver, version), 0);
}

Test(layout, version_1_methods_follow_the_head_in_order)
{
	size_t o = sizeof(lc_driver);

	cr_assert_eq(offsetof(lc_image_store, attach), o);
	cr_assert_eq(offsetof(lc_image_store, put_open), o + 1 * FN);
	cr_assert_eq(offsetof(lc_image_store, put_write), o + 2 * FN);
	cr_assert_eq(offsetof(lc_image_store, put_commit), o + 3 * FN);
	cr_assert_eq(offsetof(lc_image_store, put_abort), o + 4 * FN);
	cr_assert_eq(offsetof(lc_image_store, get_open), o + 5 * FN);
	cr_assert_eq(offsetof(lc_image_store, get_read), o + 6 * FN);
	cr_assert_eq(offsetof(lc_image_store, get_close), o + 7 * FN);
	cr_assert_eq(offsetof(lc_image_store, remove), o + 8 * FN);
	cr_assert_eq(offsetof(lc_image_store, sweep), o + 9 * FN);
	cr_assert_eq(sizeof(lc_image_store), o + 10 * FN);
}

Test(layout, version_1_on_lp64_is_120_bytes)
{
	if (sizeof(void *) != 8)
		cr_skip_test("not an LP64 target");
	cr_assert_eq(sizeof(lc_driver), 40);
	cr_assert_eq(offsetof(lc_image_store, attach), 40);
	cr_assert_eq(offsetof(lc_image_store, sweep), 112);
	cr_assert_eq(sizeof(lc_image_store), 120);
	cr_assert_eq(LC_IMAGE_STORE_VERSION, 1);
}
