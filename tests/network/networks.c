/* Networks: defaults, segments, visibility, provider attributes, deletion rules, quota. */
#include <criterion/criterion.h>
#include <string.h>

#include "nettest.h"

TestSuite(networks, .init = n_setup, .fini = n_teardown);

Test(networks, a_tenant_network_gets_vxlan_segment_mtu_and_is_active)
{
	lc_session *s = n_project("p1", "member", NULL);
	lc_network *a = n_net(s, "a"), *b = n_net(s, "b");

	cr_assert_str_eq(lc_network_name(a), "a");
	cr_assert_str_eq(lc_network_status(a), "ACTIVE");
	cr_assert_str_eq(lc_network_type(a), "vxlan");
	cr_assert_eq(lc_network_segmentation_id(a), 1);
	cr_assert_eq(lc_network_segmentation_id(b), 2);
	cr_assert_eq(lc_network_mtu(a), 1450);
	cr_assert(lc_network_admin_state_up(a));
	cr_assert_not(lc_network_shared(a));
	cr_assert_not(lc_network_external(a));
	cr_assert(lc_network_port_security_enabled(a));
	cr_assert_eq(lc_network_subnet_count(a), 0);
	cr_assert_eq(lc_network_revision(a), 1);
	cr_assert_str_eq(lc_network_project_id(a), lc_session_project_id(s));
	cr_assert_str_eq(lc_network_description(a), "");
	lc_network_free(a);
	lc_network_free(b);
	lc_session_free(s);
}

Test(networks, a_deleted_networks_segment_is_reused)
{
	lc_session *s = n_project("p1", "member", NULL);
	lc_network *a = n_net(s, "a"), *b = n_net(s, "b"), *c;

	N_OK(lc_network_delete(s, lc_network_id(a), 0));
	c = n_net(s, "c");
	cr_assert_eq(lc_network_segmentation_id(c), 1);
	lc_network_free(a);
	lc_network_free(b);
	lc_network_free(c);
	lc_session_free(s);
}

Test(networks, admin_sets_provider_attributes_and_segments_do_not_collide)
{
	lc_network_opts o = LC_NETWORK_OPTS_INIT;
	lc_network *v = NULL, *f = NULL;
	uint64_t seq;

	o.network_type = "vlan";
	o.physical_network = "datacentre";
	o.segmentation_id = 100;
	N_OK(lc_network_create(&v, n_admin, &o));
	cr_assert_str_eq(lc_network_type(v), "vlan");
	cr_assert_str_eq(lc_network_physical_network(v), "datacentre");
	cr_assert_eq(lc_network_segmentation_id(v), 100);
	cr_assert_eq(lc_network_mtu(v), 1500);
	seq = n_seq();
	N_FAILS(LC_ECONFLICT, lc_network_create(NULL, n_admin, &o));
	o.segmentation_id = 5000;
	N_FAILS(LC_EINVALID, lc_network_create(NULL, n_admin, &o));
	o.network_type = "flat";
	o.segmentation_id = 0;
	N_OK(lc_network_create(&f, n_admin, &o));
	cr_assert_eq(lc_network_segmentation_id(f), 0);
	seq = n_seq();
	N_FAILS(LC_ECONFLICT, lc_network_create(NULL, n_admin, &o)); /* one flat network per physical network */
	o.network_type = "token-ring";
	N_FAILS(LC_EINVALID, lc_network_create(NULL, n_admin, &o));
	cr_assert_eq(n_seq(), seq);
	lc_network_free(v);
	lc_network_free(f);
}

Test(networks, a_member_setting_provider_attributes_is_forbidden_and_nothing_changes)
{
	lc_session *s = n_project("p1", "member", NULL);
	lc_network_opts o = LC_NETWORK_OPTS_INIT;
	uint64_t seq = n_seq();

	o.network_type = "vlan";
	N_FAILS(LC_EFORBIDDEN, lc_network_create(NULL, s, &o));
	o.network_type = NULL;
	o.segmentation_id = 7;
	N_FAILS(LC_EFORBIDDEN, lc_network_create(NULL, s, &o));
	o.segmentation_id = 0;
	o.shared = 1;
	N_FAILS(LC_EFORBIDDEN, lc_network_create(NULL, s, &o));
	o.shared = LC_UNSET;
	o.external = 1;
	N_FAILS(LC_EFORBIDDEN, lc_network_create(NULL, s, &o));
	cr_assert_eq(n_seq(), seq);
	cr_assert_eq(n_count_networks(n_admin), 0);
	lc_session_free(s);
}

Test(networks, a_foreign_projects_network_is_not_found_unless_shared_or_external)
{
	lc_session *a = n_project("pa", "member", NULL), *b = n_project("pb", "member", NULL);
	lc_network *priv = n_net(a, "private"), *got = NULL, *ext;
	lc_network_opts o = LC_NETWORK_OPTS_INIT;
	lc_network *shared = NULL;
	uint64_t seq;

	o.name = "shared";
	o.shared = 1;
	N_OK(lc_network_create(&shared, n_admin, &o));
	ext = n_external("public", "203.0.113.0/24");
	N_FAILS(LC_ENOTFOUND, lc_network_get(&got, b, lc_network_id(priv)));
	cr_assert_null(got);
	seq = n_seq();
	N_FAILS(LC_ENOTFOUND, lc_network_delete(b, lc_network_id(priv), 0));
	o = (lc_network_opts)LC_NETWORK_OPTS_INIT;
	o.name = "stolen";
	N_FAILS(LC_ENOTFOUND, lc_network_update(NULL, b, lc_network_id(priv), &o));
	cr_assert_eq(n_seq(), seq);
	N_OK(lc_network_get(&got, b, lc_network_id(shared)));
	lc_network_free(got);
	N_OK(lc_network_get(&got, b, lc_network_id(ext)));
	lc_network_free(got);
	/* visible but not theirs: changing it is forbidden */
	N_FAILS(LC_EFORBIDDEN, lc_network_update(NULL, b, lc_network_id(shared), &o));
	cr_assert_eq(n_count_networks(b), 2); /* shared + external */
	cr_assert_eq(n_count_networks(a), 3);
	cr_assert_eq(n_count_networks(n_admin), 3);
	lc_network_free(priv);
	lc_network_free(shared);
	lc_network_free(ext);
	lc_session_free(a);
	lc_session_free(b);
}

Test(networks, a_reader_sees_but_cannot_create)
{
	char pid[37];
	lc_session *r = n_project("pr", "reader", pid);
	lc_network_opts o = LC_NETWORK_OPTS_INIT;

	N_FAILS(LC_EFORBIDDEN, lc_network_create(NULL, r, &o));
	o.project_id = pid;
	N_OK(lc_network_create(NULL, n_admin, &o));
	cr_assert_eq(n_count_networks(r), 1);
	lc_session_free(r);
}

Test(networks, deleting_a_network_with_ports_is_a_conflict_and_changes_nothing)
{
	lc_session *s = n_project("p1", "member", NULL);
	lc_network *n = n_net(s, "n"), *again = NULL;
	lc_subnet *sn = n_subnet(s, lc_network_id(n), "10.0.0.0/24");
	lc_port *p = n_port(s, lc_network_id(n));
	uint64_t seq = n_seq();

	N_FAILS(LC_ECONFLICT, lc_network_delete(s, lc_network_id(n), 0));
	cr_assert_not_null(strstr(lc_error_last()->message, "ports still in use"));
	cr_assert_eq(n_seq(), seq);
	N_OK(lc_network_get(&again, s, lc_network_id(n)));
	cr_assert_eq(lc_network_subnet_count(again), 1);
	lc_network_free(again);
	N_OK(lc_port_delete(s, lc_port_id(p), 0));
	N_OK(lc_network_delete(s, lc_network_id(n), 0)); /* its subnets go with it */
	{
		lc_subnet *gone = NULL;

		N_FAILS(LC_ENOTFOUND, lc_subnet_get(&gone, s, lc_subnet_id(sn)));
	}
	lc_network_free(n);
	lc_subnet_free(sn);
	lc_port_free(p);
	lc_session_free(s);
}

Test(networks, update_changes_name_admin_state_and_revision)
{
	lc_session *s = n_project("p1", "member", NULL);
	lc_network *n = n_net(s, "n"), *u = NULL;
	lc_network_opts o = LC_NETWORK_OPTS_INIT;
	const char *tags[] = { "blue", "green", "blue", NULL };

	o.name = "renamed";
	o.admin_state_up = 0;
	o.mtu = 1400;
	o.tags = tags;
	N_OK(lc_network_update(&u, s, lc_network_id(n), &o));
	cr_assert_str_eq(lc_network_name(u), "renamed");
	cr_assert_str_eq(lc_network_status(u), "DOWN");
	cr_assert_eq(lc_network_mtu(u), 1400);
	cr_assert_eq(lc_network_revision(u), 2);
	cr_assert_eq(lc_network_tag_count(u), 2);
	cr_assert_str_eq(lc_network_tag(u, 1), "green");
	cr_assert_null(lc_network_tag(u, 2));
	cr_assert_geq(lc_network_updated_at(u), lc_network_created_at(u));
	lc_network_free(u);
	o = (lc_network_opts)LC_NETWORK_OPTS_INIT;
	o.mtu = 9000; /* above the vxlan maximum */
	N_FAILS(LC_EINVALID, lc_network_update(NULL, s, lc_network_id(n), &o));
	o.mtu = 0;
	o.network_type = "vlan";
	N_FAILS(LC_EINVALID, lc_network_update(NULL, s, lc_network_id(n), &o));
	lc_network_free(n);
	lc_session_free(s);
}

Test(networks, an_external_network_used_by_a_router_must_stay_external)
{
	lc_network *ext = n_external("public", "198.51.100.0/24");
	lc_router_opts ro = LC_ROUTER_OPTS_INIT;
	lc_network_opts o = LC_NETWORK_OPTS_INIT;

	ro.external_network_id = lc_network_id(ext);
	N_OK(lc_router_create(NULL, n_admin, &ro));
	o.external = 0;
	N_FAILS(LC_ECONFLICT, lc_network_update(NULL, n_admin, lc_network_id(ext), &o));
	lc_network_free(ext);
}

Test(networks, the_network_quota_is_enforced_in_the_create_transaction)
{
	char pid[37];
	lc_session *s = n_project("p1", "member", pid);
	lc_network_opts o = LC_NETWORK_OPTS_INIT;
	int64_t used = -1;
	uint64_t seq;

	N_OK(lc_quota_set(n_sys, pid, LC_QUOTA_NETWORKS, 1));
	lc_network_free(n_net(s, "one"));
	seq = n_seq();
	N_FAILS(LC_EQUOTA, lc_network_create(NULL, s, &o));
	cr_assert_eq(n_seq(), seq);
	N_OK(lc_quota_get(NULL, &used, n_sys, pid, LC_QUOTA_NETWORKS));
	cr_assert_eq(used, 1);
	lc_session_free(s);
}

Test(networks, listing_filters_on_openstack_attribute_names)
{
	lc_session *s = n_project("p1", "member", NULL);
	lc_network_iter *it = NULL;
	lc_network *n = NULL;
	const char *f1[] = { "name", "b", NULL };
	const char *f2[] = { "router:external", "false", "provider:network_type", "vxlan", NULL };
	const char *bad[] = { "no_such_attribute", "x", NULL };
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	int k = 0;

	lc_network_free(n_net(s, "a"));
	lc_network_free(n_net(s, "b"));
	lo.filters = f1;
	N_OK(lc_network_iter_new(&it, s, &lo));
	while (lc_network_iter_next(&n, it) == 0) {
		cr_assert_str_eq(lc_network_name(n), "b");
		k++;
		lc_network_free(n);
	}
	lc_network_iter_free(it);
	cr_assert_eq(k, 1);
	lo.filters = f2;
	k = 0;
	N_OK(lc_network_iter_new(&it, s, &lo));
	while (lc_network_iter_next(&n, it) == 0) {
		k++;
		lc_network_free(n);
	}
	lc_network_iter_free(it);
	cr_assert_eq(k, 2);
	lo.filters = bad;
	N_FAILS(LC_EINVALID, lc_network_iter_new(&it, s, &lo));
	lc_session_free(s);
}
