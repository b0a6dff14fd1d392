/* Image records through the public API: create, show, update, list, delete, visibility, bad input. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imgtest.h"

TestSuite(records, .init = it_setup, .fini = it_teardown, .timeout = 120);

static int msg_has(const char *needle)
{
	return strstr(lc_error_last()->message, needle) != NULL;
}

Test(records, a_new_image_is_queued_shared_and_owned_by_the_callers_project)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	const char *tags[] = { "web", "prod", "web", NULL };
	const char *props[] = { "os_distro", "debian", "hw_disk_bus", "virtio", NULL };
	lc_image *img, *got;

	o.name = "debian-12";
	o.disk_format = "qcow2";
	o.container_format = "bare";
	o.min_ram_mib = 512;
	o.min_disk_gib = 2;
	o.tags = tags;
	o.properties = props;
	cr_assert_eq(lc_image_create(&img, it_a, &o), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_image_status(img), "queued");
	cr_assert_str_eq(lc_image_visibility(img), "shared");
	cr_assert_str_eq(lc_image_owner(img), it_pa);
	cr_assert_eq(lc_image_size(img), -1);
	cr_assert_null(lc_image_checksum(img));
	cr_assert_eq(lc_image_min_ram_mib(img), 512);
	cr_assert_eq(lc_image_tag_count(img), 2, "duplicate tags are kept once");
	cr_assert_str_eq(lc_image_property(img, "os_distro"), "debian");
	cr_assert_eq(lc_image_property_count(img), 2);
	cr_assert_eq(lc_image_get(&got, it_a, lc_image_id(img)), 0);
	cr_assert_str_eq(lc_image_name(got), "debian-12");
	cr_assert_str_eq(lc_image_tag(got, 1), "prod");
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGES), 1);
	lc_image_free(got);
	lc_image_free(img);
}

Test(records, bad_input_is_refused_and_creates_nothing)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	char longname[300];
	const char *badprops[] = { "status", "active", NULL };
	const char *nullval[] = { "k", NULL };
	lc_image_iter *it;
	lc_image *img;

	memset(longname, 'x', 256);
	longname[256] = '\0';
	o.name = longname;
	cr_assert_eq(lc_image_create(&img, it_a, &o), LC_EINVALID);
	cr_assert_null(img);
	cr_assert(msg_has("name"));
	o.name = "ok";
	o.disk_format = "qcow3";
	cr_assert_eq(lc_image_create(&img, it_a, &o), LC_EINVALID);
	cr_assert(msg_has("disk_format"));
	o.disk_format = NULL;
	o.container_format = "zip";
	cr_assert_eq(lc_image_create(&img, it_a, &o), LC_EINVALID);
	o.container_format = NULL;
	o.visibility = "everyone";
	cr_assert_eq(lc_image_create(&img, it_a, &o), LC_EINVALID);
	o.visibility = NULL;
	o.id = "not-a-uuid";
	cr_assert_eq(lc_image_create(&img, it_a, &o), LC_EINVALID);
	o.id = NULL;
	o.properties = badprops;
	cr_assert_eq(lc_image_create(&img, it_a, &o), LC_EFORBIDDEN, "a reserved attribute is not a property");
	o.properties = nullval;
	cr_assert_eq(lc_image_create(&img, it_a, &o), LC_EINVALID);
	o.properties = NULL;
	o.min_ram_mib = -5;
	cr_assert_eq(lc_image_create(&img, it_a, &o), LC_EINVALID);
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGES), 0);
	cr_assert_eq(lc_image_iter_new(&it, it_a, NULL), 0);
	cr_assert_eq(lc_image_iter_next(&img, it), LC_ITEROVER);
	lc_image_iter_free(it);
}

Test(records, unknown_and_malformed_ids_are_refused)
{
	lc_image *img;

	cr_assert_eq(lc_image_get(&img, it_a, "nope"), LC_EINVALID);
	cr_assert_eq(lc_image_get(&img, it_a, "0190f3c2-4a4b-7c3d-8e9f-000000000000"), LC_ENOTFOUND);
	cr_assert_eq(lc_image_delete(it_a, "0190f3c2-4a4b-7c3d-8e9f-000000000000", 0), LC_ENOTFOUND);
	cr_assert_eq(lc_image_delete(it_a, "../etc", 0), LC_EINVALID);
	cr_assert_eq(lc_image_deactivate(it_admin, "zz", 0), LC_EINVALID);
}

Test(records, a_given_id_is_used_and_cannot_be_reused)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	lc_image *img;

	o.id = "0190F3C2-4A4B-7C3D-8E9F-0123456789AB";
	cr_assert_eq(lc_image_create(&img, it_a, &o), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_image_id(img), "0190f3c2-4a4b-7c3d-8e9f-0123456789ab");
	lc_image_free(img);
	cr_assert_eq(lc_image_create(&img, it_a, &o), LC_EEXISTS);
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGES), 1, "the refused create charged nothing");
}

Test(records, a_foreign_projects_private_or_shared_image_is_not_found)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	lc_image *img, *got;
	char id[64];

	o.name = "secret";
	o.visibility = "private";
	cr_assert_eq(lc_image_create(&img, it_a, &o), 0);
	snprintf(id, sizeof(id), "%s", lc_image_id(img));
	lc_image_free(img);
	cr_assert_eq(lc_image_get(&got, it_b, id), LC_ENOTFOUND);
	cr_assert_eq(lc_image_delete(it_b, id, 0), LC_ENOTFOUND);
	o.name = "renamed";
	o.visibility = NULL;
	cr_assert_eq(lc_image_update(NULL, it_b, id, &o), LC_ENOTFOUND);
	cr_assert_eq(lc_image_get(&got, it_admin, id), 0, "the admin sees everything");
	cr_assert_str_eq(lc_image_name(got), "secret");
	lc_image_free(got);
}

Test(records, a_public_image_is_seen_by_all_but_changed_only_by_its_owner)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	lc_image *img, *got;
	char *id = it_image(it_a, "pub", "raw", "bare");

	o.visibility = "public";
	cr_assert_eq(lc_image_update(NULL, it_a, id, &o), LC_EFORBIDDEN, "publicize_image is admin only");
	cr_assert_eq(lc_image_get(&got, it_a, id), 0);
	cr_assert_str_eq(lc_image_visibility(got), "shared", "the refused update changed nothing");
	lc_image_free(got);
	cr_assert_eq(lc_image_update(&img, it_admin, id, &o), 0, "%s", lc_error_last()->message);
	lc_image_free(img);
	cr_assert_eq(lc_image_get(&got, it_b, id), 0);
	lc_image_free(got);
	o.visibility = NULL;
	o.name = "hijacked";
	cr_assert_eq(lc_image_update(NULL, it_b, id, &o), LC_EFORBIDDEN);
	cr_assert_eq(lc_image_delete(it_b, id, 0), LC_EFORBIDDEN);
	free(id);
}

Test(records, a_reader_cannot_create_or_change_images)
{
	lc_session *r = it_user("reader", it_pa, "reader");
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	lc_image *img;
	char *id = it_image(it_a, "x", NULL, NULL);

	cr_assert_eq(lc_image_create(&img, r, &o), LC_EFORBIDDEN);
	cr_assert_eq(lc_image_get(&img, r, id), 0, "a reader reads");
	lc_image_free(img);
	o.name = "y";
	cr_assert_eq(lc_image_update(NULL, r, id, &o), LC_EFORBIDDEN);
	free(id);
}

Test(records, update_sets_and_removes_properties_and_tags_like_json_patch)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	const char *props[] = { "a", "1", "b", "2", NULL };
	const char *set[] = { "b", "22", "c", "3", NULL };
	const char *rm[] = { "a", NULL };
	const char *missing[] = { "zz", NULL };
	const char *add[] = { "t1", "t2", NULL };
	const char *rmt[] = { "t1", NULL };
	lc_image *img;
	char *id = it_image(it_a, "p", NULL, NULL);

	o.properties = props;
	cr_assert_eq(lc_image_update(NULL, it_a, id, &o), 0, "%s", lc_error_last()->message);
	o.properties = set;
	o.remove_properties = rm;
	o.add_tags = add;
	cr_assert_eq(lc_image_update(&img, it_a, id, &o), 0, "%s", lc_error_last()->message);
	cr_assert_null(lc_image_property(img, "a"));
	cr_assert_str_eq(lc_image_property(img, "b"), "22");
	cr_assert_str_eq(lc_image_property(img, "c"), "3");
	cr_assert_eq(lc_image_tag_count(img), 2);
	lc_image_free(img);
	memset(&o, 0, sizeof(o));
	lc_image_opts_init(&o, LC_IMAGE_OPTS_VERSION);
	o.remove_tags = rmt;
	o.remove_properties = missing;
	o.name = "should-not-stick";
	cr_assert_eq(lc_image_update(NULL, it_a, id, &o), LC_ECONFLICT, "removing a missing property conflicts");
	cr_assert_eq(lc_image_get(&img, it_a, id), 0);
	cr_assert_str_eq(lc_image_name(img), "p", "a refused patch applies nothing");
	cr_assert_eq(lc_image_tag_count(img), 2);
	lc_image_free(img);
	o.remove_properties = NULL;
	o.name = NULL;
	cr_assert_eq(lc_image_update(&img, it_a, id, &o), 0);
	cr_assert_eq(lc_image_tag_count(img), 1);
	cr_assert_str_eq(lc_image_tag(img, 0), "t2");
	lc_image_free(img);
	free(id);
}

Test(records, a_protected_image_cannot_be_deleted)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	lc_image *img;
	char *id;

	o.is_protected = 1;
	cr_assert_eq(lc_image_create(&img, it_a, &o), 0);
	id = strdup(lc_image_id(img));
	lc_image_free(img);
	cr_assert_eq(lc_image_delete(it_a, id, 0), LC_EFORBIDDEN);
	cr_assert_eq(lc_image_delete(it_admin, id, 0), LC_EFORBIDDEN, "not even by an admin");
	cr_assert_eq(lc_image_get(&img, it_a, id), 0);
	lc_image_free(img);
	o.is_protected = 0;
	cr_assert_eq(lc_image_update(NULL, it_a, id, &o), 0);
	cr_assert_eq(lc_image_delete(it_a, id, 1), LC_EINVALID, "unknown flags");
	cr_assert_eq(lc_image_delete(it_a, id, 0), 0);
	cr_assert_eq(lc_image_get(&img, it_a, id), LC_ENOTFOUND);
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGES), 0, "the delete released the quota");
	free(id);
}

Test(records, the_image_count_quota_is_enforced)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	lc_image *img;

	cr_assert_eq(lc_quota_set(it_admin, it_pa, LC_QUOTA_IMAGES, 2), 0);
	cr_assert_eq(lc_image_create(NULL, it_a, &o), 0);
	cr_assert_eq(lc_image_create(NULL, it_a, &o), 0);
	cr_assert_eq(lc_image_create(&img, it_a, &o), LC_EQUOTA);
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGES), 2);
}

static int count(lc_session *s, const char *const *filters, char ids[][LC_ID_LEN + 1], const char *marker,
		 unsigned limit)
{
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_image_iter *it;
	lc_image *img;
	int n = 0, rc;

	lo.filters = filters;
	lo.marker = marker;
	lo.limit = limit;
	rc = lc_image_iter_new(&it, s, &lo);
	if (rc < 0)
		return rc;
	while ((rc = lc_image_iter_next(&img, it)) == 0) {
		if (ids)
			snprintf(ids[n], LC_ID_LEN + 1, "%s", lc_image_id(img));
		n++;
		lc_image_free(img);
	}
	cr_assert_eq(rc, LC_ITEROVER);
	lc_image_iter_free(it);
	return n;
}

Test(records, listing_applies_visibility_filters_sorting_and_paging)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	const char *tag[] = { "gold", NULL };
	const char *prop[] = { "os", "linux", NULL };
	char ids[16][LC_ID_LEN + 1];
	char *a1 = it_image(it_a, "bbb", "raw", "bare");
	char *a2 = it_image(it_a, "aaa", "qcow2", "bare");
	char *b1 = it_image(it_b, "ccc", "raw", "bare");

	o.tags = tag;
	o.properties = prop;
	cr_assert_eq(lc_image_update(NULL, it_a, a1, &o), 0, "%s", lc_error_last()->message);
	cr_assert_eq(count(it_a, NULL, ids, NULL, 0), 2, "A sees its own two");
	cr_assert_str_eq(ids[0], a2, "newest first by default");
	cr_assert_eq(count(it_b, NULL, NULL, NULL, 0), 1);
	cr_assert_eq(count(it_admin, NULL, NULL, NULL, 0), 3);
	{
		const char *f[] = { "name", "aaa", NULL };
		cr_assert_eq(count(it_a, f, NULL, NULL, 0), 1);
	}
	{
		const char *f[] = { "tag", "gold", "os", "linux", NULL };
		cr_assert_eq(count(it_a, f, ids, NULL, 0), 1);
		cr_assert_str_eq(ids[0], a1);
	}
	{
		const char *f[] = { "sort_key", "name", "sort_dir", "asc", NULL };
		cr_assert_eq(count(it_admin, f, ids, NULL, 0), 3);
		cr_assert_str_eq(ids[0], a2);
		cr_assert_str_eq(ids[2], b1);
		cr_assert_eq(count(it_admin, f, ids, NULL, 1), 1, "limit");
		cr_assert_eq(count(it_admin, f, ids, a2, 1), 1, "marker");
		cr_assert_str_eq(ids[0], a1);
	}
	{
		const char *f[] = { "disk_format", "qcow2", NULL };
		cr_assert_eq(count(it_admin, f, NULL, NULL, 0), 1);
	}
	{
		const char *bad[] = { "sort_key", "color", NULL };
		const char *bad2[] = { "size_min", "-3", NULL };
		const char *bad3[] = { "visibility", "galaxy", NULL };
		cr_assert_eq(count(it_a, bad, NULL, NULL, 0), LC_EINVALID);
		cr_assert_eq(count(it_a, bad2, NULL, NULL, 0), LC_EINVALID);
		cr_assert_eq(count(it_a, bad3, NULL, NULL, 0), LC_EINVALID);
		cr_assert_eq(count(it_a, NULL, NULL, b1, 0), LC_EINVALID, "a marker the caller cannot see");
	}
	free(a1);
	free(a2);
	free(b1);
}

Test(records, hidden_and_community_images_are_listed_only_when_asked)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	char *h = it_image(it_a, "hidden", NULL, NULL);
	char *c = it_image(it_a, "comm", NULL, NULL);

	o.os_hidden = 1;
	cr_assert_eq(lc_image_update(NULL, it_a, h, &o), 0);
	o.os_hidden = LC_UNSET;
	o.visibility = "community";
	cr_assert_eq(lc_image_update(NULL, it_a, c, &o), 0, "%s", lc_error_last()->message);
	cr_assert_eq(count(it_a, NULL, NULL, NULL, 0), 1, "hidden is not listed");
	{
		const char *f[] = { "os_hidden", "true", NULL };
		cr_assert_eq(count(it_a, f, NULL, NULL, 0), 1);
	}
	cr_assert_eq(count(it_b, NULL, NULL, NULL, 0), 0, "community is not listed by default");
	{
		const char *f[] = { "visibility", "community", NULL };
		cr_assert_eq(count(it_b, f, NULL, NULL, 0), 1);
	}
	free(h);
	free(c);
}

Test(records, members_see_a_shared_image_after_accepting_it)
{
	lc_image_member *m;
	lc_image_member_iter *mi;
	lc_image *img;
	char *id = it_image(it_a, "shared-img", NULL, NULL);
	char *priv;

	cr_assert_eq(lc_image_get(&img, it_b, id), LC_ENOTFOUND);
	cr_assert_eq(lc_image_member_add(&m, it_a, id, it_pb), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_image_member_status(m), "pending");
	lc_image_member_free(m);
	cr_assert_eq(lc_image_member_add(&m, it_a, id, it_pb), LC_EEXISTS);
	cr_assert_eq(lc_image_get(&img, it_b, id), 0, "a pending member may show the image");
	lc_image_free(img);
	cr_assert_eq(count(it_b, NULL, NULL, NULL, 0), 0, "but does not list it before accepting");
	cr_assert_eq(lc_image_member_update(NULL, it_a, id, it_pb, "accepted"), LC_EFORBIDDEN,
		     "the owner cannot accept for the member");
	cr_assert_eq(lc_image_member_update(NULL, it_b, id, it_pb, "maybe"), LC_EINVALID);
	cr_assert_eq(lc_image_member_update(&m, it_b, id, it_pb, "accepted"), 0, "%s", lc_error_last()->message);
	lc_image_member_free(m);
	cr_assert_eq(count(it_b, NULL, NULL, NULL, 0), 1);
	cr_assert_eq(lc_image_member_iter_new(&mi, it_a, id), 0);
	cr_assert_eq(lc_image_member_iter_next(&m, mi), 0);
	cr_assert_str_eq(lc_image_member_member_id(m), it_pb);
	cr_assert_str_eq(lc_image_member_status(m), "accepted");
	lc_image_member_free(m);
	cr_assert_eq(lc_image_member_iter_next(&m, mi), LC_ITEROVER);
	lc_image_member_iter_free(mi);
	cr_assert_eq(lc_image_member_update(NULL, it_b, id, it_pb, "rejected"), 0);
	cr_assert_eq(count(it_b, NULL, NULL, NULL, 0), 0);
	{
		const char *f[] = { "member_status", "rejected", NULL };
		cr_assert_eq(count(it_b, f, NULL, NULL, 0), 1);
	}
	cr_assert_eq(lc_image_member_delete(it_b, id, it_pb), LC_EFORBIDDEN, "only the owner removes members");
	cr_assert_eq(lc_image_member_delete(it_a, id, it_pb), 0);
	cr_assert_eq(lc_image_get(&img, it_b, id), LC_ENOTFOUND);
	priv = it_image(it_a, "p", NULL, NULL);
	{
		lc_image_opts o = LC_IMAGE_OPTS_INIT;
		o.visibility = "private";
		cr_assert_eq(lc_image_update(NULL, it_a, priv, &o), 0);
	}
	cr_assert_eq(lc_image_member_add(NULL, it_a, priv, it_pb), LC_ECONFLICT, "only shared images have members");
	free(priv);
	free(id);
}

Test(records, a_member_must_be_an_existing_project)
{
	char *id = it_image(it_a, "s", NULL, NULL);
	lc_image_member_iter *mi;
	lc_image_member *m;

	cr_assert_eq(lc_image_member_add(NULL, it_a, id, "0190f3c2-4a4b-7c3d-8e9f-000000000001"), LC_ENOTFOUND);
	cr_assert(msg_has("project"));
	cr_assert_eq(lc_image_member_add(NULL, it_a, id, "not-a-project"), LC_EINVALID);
	cr_assert_eq(lc_image_member_add(NULL, it_a, id, it_pa), LC_EINVALID, "the owner is not a member");
	cr_assert_eq(lc_image_member_iter_new(&mi, it_a, id), 0);
	cr_assert_eq(lc_image_member_iter_next(&m, mi), LC_ITEROVER);
	lc_image_member_iter_free(mi);
	free(id);
}

Test(records, deleting_an_image_removes_its_members)
{
	char *id = it_image(it_a, "s", NULL, NULL);
	lc_image_member *m;

	cr_assert_eq(lc_image_member_add(NULL, it_a, id, it_pb), 0);
	cr_assert_eq(lc_image_delete(it_a, id, 0), 0);
	cr_assert_eq(lc_image_member_get(&m, it_admin, id, it_pb), LC_ENOTFOUND);
	free(id);
}

Test(records, deactivate_and_reactivate_are_for_admins_and_active_images)
{
	char *id = it_image(it_a, "d", NULL, NULL);

	cr_assert_eq(lc_image_deactivate(it_a, id, 0), LC_EFORBIDDEN);
	cr_assert_eq(lc_image_deactivate(it_admin, id, 0), LC_ECONFLICT, "a queued image cannot be deactivated");
	cr_assert_eq(lc_image_reactivate(it_admin, id, 0), LC_ECONFLICT);
	free(id);
}
