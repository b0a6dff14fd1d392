/* Segment allocation: configured ranges, tenant network types, provider claims, exhaustion, concurrency. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "nettest.h"

static void fini(void)
{
	n_teardown();
}

TestSuite(segments, .fini = fini);

static lc_network *provider(const char *type, const char *physnet, int64_t segid, int expect)
{
	lc_network_opts o = LC_NETWORK_OPTS_INIT;
	lc_network *n = NULL;

	o.network_type = type;
	o.physical_network = physnet;
	o.segmentation_id = segid;
	N_FAILS(expect, lc_network_create(&n, n_admin, &o));
	return n;
}

static int64_t seg_of_new(const char *expect_type)
{
	lc_network *n = n_net(n_admin, "t");
	int64_t id = lc_network_segmentation_id(n);

	cr_assert_str_eq(lc_network_type(n), expect_type);
	lc_network_free(n);
	return id;
}

Test(segments, tenant_networks_take_the_lowest_free_id_of_the_ranges_and_exhaustion_is_clear)
{
	const char *vni[] = { "200:200", "100:101", NULL };
	lc_network_service_opts conf = LC_NETWORK_SERVICE_OPTS_INIT;
	lc_network *a, *b;
	uint64_t seq;

	conf.vxlan_vni_ranges = vni;
	n_setup_conf(&conf, NULL);
	/* ranges are used in the order given, the lowest free id of each first */
	a = n_net(n_admin, "a");
	cr_assert_eq(lc_network_segmentation_id(a), 200);
	b = n_net(n_admin, "b");
	cr_assert_eq(lc_network_segmentation_id(b), 100);
	cr_assert_eq(seg_of_new("vxlan"), 101);
	seq = n_seq();
	N_FAILS(LC_ECONFLICT, lc_network_create(NULL, n_admin, &(lc_network_opts)LC_NETWORK_OPTS_INIT));
	cr_assert_not_null(strstr(lc_error_last()->message, "No tenant network is available"));
	cr_assert_not_null(strstr(lc_error_last()->message, "vxlan 200:200,vxlan 100:101"), "%s",
			   lc_error_last()->message);
	cr_assert_eq(n_seq(), seq, "an exhausted range commits nothing");
	cr_assert_eq(n_count_networks(n_admin), 3);
	/* released on delete, and taken again */
	N_OK(lc_network_delete(n_admin, lc_network_id(b), 0));
	cr_assert_eq(seg_of_new("vxlan"), 100);
	lc_network_free(a);
	lc_network_free(b);
}

Test(segments, tenant_network_types_are_tried_in_order)
{
	const char *types[] = { "vxlan", "geneve", "local", NULL };
	const char *vni[] = { "7:7", NULL }, *gen[] = { "9:9", NULL };
	lc_network_service_opts conf = LC_NETWORK_SERVICE_OPTS_INIT;
	lc_network *n;

	conf.tenant_network_types = types;
	conf.vxlan_vni_ranges = vni;
	conf.geneve_vni_ranges = gen;
	n_setup_conf(&conf, NULL);
	cr_assert_eq(seg_of_new("vxlan"), 7);
	n = n_net(n_admin, "g");
	cr_assert_str_eq(lc_network_type(n), "geneve");
	cr_assert_eq(lc_network_segmentation_id(n), 9);
	cr_assert_eq(lc_network_mtu(n), 1442);
	lc_network_free(n);
	n = n_net(n_admin, "l");
	cr_assert_str_eq(lc_network_type(n), "local");
	cr_assert_eq(lc_network_segmentation_id(n), 0);
	lc_network_free(n);
}

Test(segments, vlan_tenant_networks_use_the_ranges_of_each_physical_network)
{
	const char *types[] = { "vlan", NULL };
	const char *vlans[] = { "physA:10:11", "physB", "physC:20:20", NULL };
	lc_network_service_opts conf = LC_NETWORK_SERVICE_OPTS_INIT;
	lc_network *n;

	conf.tenant_network_types = types;
	conf.vlan_ranges = vlans;
	n_setup_conf(&conf, NULL);
	n = n_net(n_admin, "v");
	cr_assert_str_eq(lc_network_type(n), "vlan");
	cr_assert_str_eq(lc_network_physical_network(n), "physA");
	cr_assert_eq(lc_network_segmentation_id(n), 10);
	cr_assert_eq(lc_network_mtu(n), 1500);
	lc_network_free(n);
	cr_assert_eq(seg_of_new("vlan"), 11);
	n = n_net(n_admin, "c");
	cr_assert_str_eq(lc_network_physical_network(n), "physC");
	cr_assert_eq(lc_network_segmentation_id(n), 20);
	lc_network_free(n);
	N_FAILS(LC_ECONFLICT, lc_network_create(NULL, n_admin, &(lc_network_opts)LC_NETWORK_OPTS_INIT));
	/* physB is known without a range: provider networks only */
	n = provider("vlan", "physB", 5, 0);
	cr_assert_eq(lc_network_segmentation_id(n), 5);
	lc_network_free(n);
	provider("vlan", "physB", 0, LC_ECONFLICT); /* no range to allocate from on physB */
	provider("vlan", "physZ", 5, LC_EINVALID);  /* not a configured physical network */
	cr_assert_not_null(strstr(lc_error_last()->message, "physZ"));
	provider("vlan", NULL, 5, LC_EINVALID); /* an id needs its physical network */
	/* a provider id outside the tenant range, on a ranged physical network */
	n = provider("vlan", "physA", 4094, 0);
	lc_network_free(n);
	provider("vlan", "physA", 10, LC_ECONFLICT);
}

Test(segments, an_admins_provider_segment_is_checked_against_what_is_taken)
{
	const char *vni[] = { "1:3", NULL };
	lc_network_service_opts conf = LC_NETWORK_SERVICE_OPTS_INIT;
	lc_network *two, *far;
	uint64_t seq;

	conf.vxlan_vni_ranges = vni;
	n_setup_conf(&conf, NULL);
	two = provider("vxlan", NULL, 2, 0);
	cr_assert_eq(seg_of_new("vxlan"), 1);
	cr_assert_eq(seg_of_new("vxlan"), 3, "the admin's id is skipped");
	provider("vxlan", NULL, 3, LC_ECONFLICT);
	cr_assert_not_null(strstr(lc_error_last()->message, "in use"));
	far = provider("vxlan", NULL, 5000, 0); /* outside the tenant ranges: allowed */
	cr_assert_eq(lc_network_segmentation_id(far), 5000);
	seq = n_seq();
	provider("vxlan", NULL, 5000, LC_ECONFLICT);
	provider("vxlan", NULL, 16777216, LC_EINVALID);
	cr_assert_eq(n_seq(), seq);
	N_OK(lc_network_delete(n_admin, lc_network_id(two), 0));
	cr_assert_eq(seg_of_new("vxlan"), 2);
	N_OK(lc_network_delete(n_admin, lc_network_id(far), 0));
	lc_network_free(provider("vxlan", NULL, 5000, 0));
	lc_network_free(two);
	lc_network_free(far);
}

Test(segments, the_ranges_may_change_between_opens_and_ids_in_use_stay_taken)
{
	const char *r1[] = { "1:3", NULL }, *r2[] = { "2:5", NULL };
	lc_network_service_opts conf = LC_NETWORK_SERVICE_OPTS_INIT;

	n_setup_conf(NULL, NULL);
	cr_assert_eq(seg_of_new("vxlan"), 1);
	cr_assert_eq(seg_of_new("vxlan"), 2);
	conf.vxlan_vni_ranges = r1;
	n_reopen(&conf, NULL);
	cr_assert_eq(seg_of_new("vxlan"), 3);
	N_FAILS(LC_ECONFLICT, lc_network_create(NULL, n_admin, &(lc_network_opts)LC_NETWORK_OPTS_INIT));
	conf.vxlan_vni_ranges = r2;
	n_reopen(&conf, NULL);
	cr_assert_eq(seg_of_new("vxlan"), 4);
	n_reopen(NULL, NULL);
	cr_assert_eq(seg_of_new("vxlan"), 5);
	cr_assert_eq(seg_of_new("vxlan"), 6);
}

Test(segments, the_default_vlan_range_is_physnet1_and_provider_vlans_go_on_any_physical_network)
{
	lc_network *n = NULL;

	n_setup_conf(NULL, NULL);
	n = provider("vlan", NULL, 0, 0);
	cr_assert_str_eq(lc_network_physical_network(n), "physnet1");
	cr_assert_eq(lc_network_segmentation_id(n), 1);
	lc_network_free(n);
	n = provider("vlan", "anywhere", 4094, 0);
	lc_network_free(n);
	provider("vlan", "anywhere", 0, LC_ECONFLICT); /* no range there to allocate from */
	lc_network_free(provider("geneve", NULL, 0, 0));
	n = provider("geneve", NULL, 0, 0);
	cr_assert_eq(lc_network_segmentation_id(n), 2);
	lc_network_free(n);
}

struct racer {
	int ok, exhausted, other;
	int64_t ids[16];
};

static void *race(void *p)
{
	struct racer *r = p;

	for (int i = 0; i < 12; i++) {
		lc_network *n = NULL;
		int rc = lc_network_create(&n, n_admin, &(lc_network_opts)LC_NETWORK_OPTS_INIT);

		if (rc == 0)
			r->ids[r->ok++] = lc_network_segmentation_id(n);
		else if (rc == LC_ECONFLICT)
			r->exhausted++;
		else
			r->other++;
		lc_network_free(n);
	}
	return NULL;
}

Test(segments, concurrent_creates_never_share_an_id)
{
	const char *vni[] = { "1:40", NULL };
	lc_network_service_opts conf = LC_NETWORK_SERVICE_OPTS_INIT;
	struct racer r[4];
	pthread_t th[4];
	char seen[41];
	int ok = 0, exhausted = 0;

	conf.vxlan_vni_ranges = vni;
	n_setup_conf(&conf, NULL);
	memset(r, 0, sizeof(r));
	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, race, &r[i]), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(r[i].other, 0);
		ok += r[i].ok;
		exhausted += r[i].exhausted;
		for (int k = 0; k < r[i].ok; k++) {
			cr_assert(r[i].ids[k] >= 1 && r[i].ids[k] <= 40);
			cr_assert_eq(seen[r[i].ids[k]], 0, "id %lld given twice", (long long)r[i].ids[k]);
			seen[r[i].ids[k]] = 1;
		}
	}
	cr_assert_eq(ok, 40);
	cr_assert_eq(exhausted, 8);
	cr_assert_eq(n_count_networks(n_admin), 40);
}

Test(segments, bad_settings_are_refused)
{
	struct {
		const char *types[3];
		const char *vlan[3];
		const char *vni[3];
	} bad[] = {
		{ { "token-ring", NULL }, { NULL }, { NULL } },
		{ { "vxlan", "vxlan", NULL }, { NULL }, { NULL } },
		{ { "flat", NULL }, { NULL }, { NULL } },
		{ { NULL }, { NULL }, { "0:10", NULL } },
		{ { NULL }, { NULL }, { "5:4", NULL } },
		{ { NULL }, { NULL }, { "1:16777216", NULL } },
		{ { NULL }, { NULL }, { "1:10", "10:20", NULL } },
		{ { NULL }, { NULL }, { "x", NULL } },
		{ { NULL }, { NULL }, { "1:2:3", NULL } },
		{ { NULL }, { "phys:1:4095", NULL }, { NULL } },
		{ { NULL }, { ":1:2", NULL }, { NULL } },
		{ { NULL }, { "phys:1", NULL }, { NULL } },
		{ { NULL }, { "phys:1:100", "phys:50:60", NULL }, { NULL } },
	};
	lc_network_service_opts conf;
	lc_cloud *c = NULL;

	N_OK(lc_network_service_opts_init(&conf, LC_NETWORK_SERVICE_OPTS_VERSION));
	cr_assert_null(conf.vlan_ranges);
	N_FAILS(LC_EINVALID, lc_network_service_opts_init(&conf, 2));
	N_OK(lc_cloud_new(&c, NULL));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lc_network_service_opts_init(&conf, LC_NETWORK_SERVICE_OPTS_VERSION);
		conf.tenant_network_types = bad[i].types[0] ? bad[i].types : NULL;
		conf.vlan_ranges = bad[i].vlan[0] ? bad[i].vlan : NULL;
		conf.vxlan_vni_ranges = bad[i].vni[0] ? bad[i].vni : NULL;
		cr_assert_eq(lc_network_service_configure(c, &conf), LC_EINVALID, "case %zu", i);
	}
	/* the same range on two physical networks is fine; an empty list means none */
	lc_network_service_opts_init(&conf, LC_NETWORK_SERVICE_OPTS_VERSION);
	conf.vlan_ranges = (const char *[]){ "a:1:100", "b:1:100", NULL };
	conf.vxlan_vni_ranges = (const char *[]){ NULL };
	N_OK(lc_network_service_configure(c, &conf));
	conf.dhcp_ports = 2;
	N_FAILS(LC_EINVALID, lc_network_service_configure(c, &conf));
	conf.dhcp_ports = 0;
	conf.version = 0;
	N_FAILS(LC_EINVALID, lc_network_service_configure(c, &conf));
	N_FAILS(LC_EINVALID, lc_network_service_configure(NULL, NULL));
	lc_cloud_free(c);
	/* after the open it is too late */
	n_setup_conf(NULL, NULL);
	N_FAILS(LC_EINVALID, lc_network_service_configure(n_cloud, NULL));
}
