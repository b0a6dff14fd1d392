/* The libvirt driver against libvirt's test:///default hypervisor (in process, no daemon). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "ctest.h"

static virConnectPtr conn; /* our own view of the same test hypervisor */

static void quiet(void *p, virErrorPtr e)
{
	(void)p;
	(void)e;
}

static void setup(void)
{
	lc_compute_host_opts o = LC_COMPUTE_HOST_OPTS_INIT;

	ct_setup();
	conn = virConnectOpen("test:///default");
	cr_assert_not_null(conn);
	virConnSetErrorFunc(conn, NULL, quiet);
	o.name = "lv1";
	o.driver = "libvirt";
	o.uri = "test:///default";
	cr_assert_eq(lc_compute_host_create(NULL, ct_admin, &o), 0, "%s", lc_error_last()->message);
	ct_flavor("m1", 2, 1024, 1);
	ct_flavor("m2", 4, 2048, 1);
}

static void teardown(void)
{
	virConnectClose(conn);
	ct_teardown();
}

TestSuite(libvirt, .init = setup, .fini = teardown, .timeout = 120);

static virDomainPtr domain(const char *id)
{
	virDomainPtr d = virDomainLookupByUUIDString(conn, id);

	virResetLastError();
	return d;
}

static int dom_state(const char *id)
{
	virDomainPtr d = domain(id);
	int st = -1, reason;

	cr_assert_not_null(d, "no domain for %s", id);
	cr_assert_eq(virDomainGetState(d, &st, &reason, 0), 0);
	virDomainFree(d);
	return st;
}

Test(libvirt, the_host_reads_the_test_hypervisors_inventory)
{
	lc_compute_host *h;

	cr_assert_eq(lc_compute_host_find(&h, ct_admin, "lv1"), 0);
	cr_assert_gt(lc_compute_host_vcpus(h), 0);
	cr_assert_gt(lc_compute_host_memory_mib(h), 0);
	cr_assert_str_eq(lc_compute_host_hypervisor_type(h), "TEST");
	lc_compute_host_free(h);
}

Test(libvirt, a_server_is_a_domain_through_its_whole_life)
{
	lc_server *v;
	char id[LC_ID_LEN + 1], name[64];
	virDomainPtr d;
	char *xml;

	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1"), 0);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE", "%s", lc_server_fault_message(v));
	snprintf(id, sizeof(id), "%s", lc_server_id(v));
	lc_server_free(v);
	d = domain(id);
	cr_assert_not_null(d);
	snprintf(name, sizeof(name), "lc-%s", id);
	cr_assert_str_eq(virDomainGetName(d), name);
	xml = virDomainGetXMLDesc(d, 0);
	cr_assert(strstr(xml, "<vcpu") != NULL && strstr(xml, ">2</vcpu>") != NULL, "%s", xml);
	cr_assert(strstr(xml, "<title>web</title>") != NULL, "%s", xml);
	free(xml);
	virDomainFree(d);
	cr_assert_eq(dom_state(id), VIR_DOMAIN_RUNNING);
	cr_assert_eq(lc_server_stop(ct_alice, id, 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(dom_state(id), VIR_DOMAIN_SHUTOFF);
	cr_assert_eq(lc_server_start(ct_alice, id, 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(dom_state(id), VIR_DOMAIN_RUNNING);
	cr_assert_eq(lc_server_reboot(ct_alice, id, 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_server_reboot(ct_alice, id, LC_SERVER_REBOOT_HARD), 0, "%s", lc_error_last()->message);
	cr_assert_eq(dom_state(id), VIR_DOMAIN_RUNNING);
	cr_assert_eq(lc_server_pause(ct_alice, id, 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(dom_state(id), VIR_DOMAIN_PAUSED);
	cr_assert_eq(lc_server_unpause(ct_alice, id, 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_server_suspend(ct_alice, id, 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_server_refresh(&v, ct_alice, id, 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_server_power_state(v), LC_POWER_SUSPENDED);
	lc_server_free(v);
	cr_assert_eq(lc_server_resume(ct_alice, id, 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(dom_state(id), VIR_DOMAIN_RUNNING);
	cr_assert_eq(lc_server_delete(ct_alice, id, 0), 0, "%s", lc_error_last()->message);
	cr_assert_null(domain(id), "the domain is gone");
}

Test(libvirt, the_domain_xml_escapes_what_users_name)
{
	lc_server *v;
	virDomainPtr d;
	const char *evil = "a<b>&\"c'</title><devices/>";
	lc_server_opts o = LC_SERVER_OPTS_INIT;

	o.name = evil;
	o.flavor_id = "m1";
	o.image_id = ct_image;
	cr_assert_eq(lc_server_create(&v, ct_alice, &o), 0);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE", "%s", lc_server_fault_message(v));
	d = domain(lc_server_id(v));
	cr_assert_not_null(d);
	{
		char *title = virDomainGetMetadata(d, VIR_DOMAIN_METADATA_TITLE, NULL, 0);

		cr_assert_str_eq(title, evil);
		free(title);
	}
	virDomainFree(d);
	lc_server_free(v);
}

Test(libvirt, the_image_becomes_the_domains_disk_and_snapshots_come_back)
{
	lc_server *v;
	char img[LC_ID_LEN + 1], path[4096];
	lc_image *i;
	virDomainPtr d;
	char *xml;
	FILE *f;

	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1"), 0);
	snprintf(path, sizeof(path), "%s/data/compute/instances/%s/disk", ct_dir, lc_server_id(v));
	f = fopen(path, "rb");
	cr_assert_not_null(f, "the image was copied to %s", path);
	fseek(f, 0, SEEK_END);
	cr_assert_eq(ftell(f), 65536);
	fclose(f);
	d = domain(lc_server_id(v));
	xml = virDomainGetXMLDesc(d, 0);
	cr_assert(strstr(xml, path) != NULL, "%s", xml);
	free(xml);
	virDomainFree(d);
	cr_assert_eq(lc_server_create_image(img, ct_alice, lc_server_id(v), "snap", NULL), 0, "%s",
		     lc_error_last()->message);
	cr_assert_eq(lc_image_get(&i, ct_alice, img), 0);
	cr_assert_str_eq(lc_image_status(i), "active");
	cr_assert_eq(lc_image_size(i), 65536);
	lc_image_free(i);
	lc_server_free(v);
}

Test(libvirt, resize_redefines_the_domain_and_revert_restores_it)
{
	lc_server *v;
	char id[LC_ID_LEN + 1];
	virDomainPtr d;

	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1"), 0);
	snprintf(id, sizeof(id), "%s", lc_server_id(v));
	lc_server_free(v);
	cr_assert_eq(lc_server_resize(ct_alice, id, "m2", 0), 0, "%s", lc_error_last()->message);
	d = domain(id);
	cr_assert_eq(virDomainGetMaxMemory(d), 2048 * 1024);
	virDomainFree(d);
	cr_assert_eq(dom_state(id), VIR_DOMAIN_RUNNING);
	cr_assert_eq(lc_server_revert_resize(ct_alice, id, 0), 0, "%s", lc_error_last()->message);
	d = domain(id);
	cr_assert_eq(virDomainGetMaxMemory(d), 1024 * 1024);
	virDomainFree(d);
	cr_assert_eq(lc_server_resize(ct_alice, id, "m2", 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_server_confirm_resize(ct_alice, id, 0), 0, "%s", lc_error_last()->message);
	d = domain(id);
	cr_assert_eq(virDomainGetMaxMemory(d), 2048 * 1024);
	virDomainFree(d);
	cr_assert_eq(lc_server_delete(ct_alice, id, 0), 0);
}

Test(libvirt, an_unreachable_uri_is_a_backend_error)
{
	lc_compute_host_opts o = LC_COMPUTE_HOST_OPTS_INIT;

	o.name = "lv2";
	o.driver = "libvirt";
	o.uri = "test:///nonexistent/file.xml";
	cr_assert_eq(lc_compute_host_create(NULL, ct_admin, &o), LC_EBACKEND);
	cr_assert(strstr(lc_error_last()->message, "libvirt") != NULL, "%s", lc_error_last()->message);
}

Test(libvirt, a_server_on_a_network_has_an_interface_per_port)
{
	lc_network_opts no = LC_NETWORK_OPTS_INIT;
	lc_subnet_opts so = LC_SUBNET_OPTS_INIT;
	lc_network *n;
	lc_server *v;
	lc_server_addresses *a;
	virDomainPtr d;
	char *xml, tap[32];

	no.name = "private";
	no.mtu = 1450;
	cr_assert_eq(lc_network_create(&n, ct_alice, &no), 0, "%s", lc_error_last()->message);
	so.network_id = lc_network_id(n);
	so.cidr = "10.0.0.0/24";
	so.ip_version = 4;
	cr_assert_eq(lc_subnet_create(NULL, ct_alice, &so), 0, "%s", lc_error_last()->message);
	lc_network_free(n);
	cr_assert_eq(ct_server(&v, ct_alice, "web", "m1"), 0);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE", "%s", lc_server_fault_message(v));
	cr_assert_eq(lc_server_addresses_get(&a, ct_alice, lc_server_id(v)), 0);
	cr_assert_eq(lc_server_addresses_count(a), 1);
	d = domain(lc_server_id(v));
	cr_assert_not_null(d);
	xml = virDomainGetXMLDesc(d, 0);
	cr_assert(strstr(xml, "<interface type='ethernet'>") != NULL, "%s", xml);
	cr_assert(strstr(xml, lc_server_addresses_mac(a, 0)) != NULL, "the port's MAC: %s", xml);
	snprintf(tap, sizeof(tap), "tap%.11s", lc_server_addresses_port_id(a, 0));
	cr_assert(strstr(xml, tap) != NULL, "the tap is named after the port: %s", xml);
	cr_assert(strstr(xml, "<model type='virtio'/>") != NULL, "%s", xml);
	cr_assert(strstr(xml, "<mtu size='1450'/>") != NULL, "%s", xml);
	free(xml);
	virDomainFree(d);
	lc_server_addresses_free(a);
	cr_assert_eq(lc_server_delete(ct_alice, lc_server_id(v), 0), 0, "%s", lc_error_last()->message);
	lc_server_free(v);
}

Test(libvirt, the_config_drive_is_an_iso_labelled_config_2_on_a_cdrom)
{
	lc_server_opts o = LC_SERVER_OPTS_INIT;
	lc_server *v;
	virDomainPtr d;
	char *xml, path[4200], label[9];
	FILE *f;

	o.name = "web";
	o.flavor_id = "m1";
	o.image_id = ct_image;
	o.config_drive = 1;
	o.user_data = "I2Nsb3VkLWNvbmZpZwo=";
	cr_assert_eq(lc_server_create(&v, ct_alice, &o), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_server_status(v), "ACTIVE", "%s", lc_server_fault_message(v));
	snprintf(path, sizeof(path), "%s/data/compute/instances/%s/disk.config", ct_dir, lc_server_id(v));
	f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	/* ISO 9660: the primary volume descriptor at sector 16, its volume identifier at byte 40 */
	cr_assert_eq(fseek(f, 16 * 2048 + 40, SEEK_SET), 0);
	cr_assert_eq(fread(label, 1, 8, f), 8);
	label[8] = '\0';
	fclose(f);
	cr_assert_str_eq(label, "config-2");
	d = domain(lc_server_id(v));
	cr_assert_not_null(d);
	xml = virDomainGetXMLDesc(d, 0);
	cr_assert(strstr(xml, "device='cdrom'") != NULL, "%s", xml);
	cr_assert(strstr(xml, path) != NULL, "%s", xml);
	free(xml);
	virDomainFree(d);
	cr_assert_eq(lc_server_delete(ct_alice, lc_server_id(v), 0), 0, "%s", lc_error_last()->message);
	lc_server_free(v);
}
