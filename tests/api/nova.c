/* Nova v2.1 handlers in process: what the openstack CLI, novaclient, the SDK and tempest send and expect. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcloud/sys/compute.h>

#include "apitest.h"

#define V "/compute/v2.1"

static char *demo_id, *alice_id, *alice_token, *other_id, *bob_id, *bob_token;
static char image_id[LC_ID_LEN + 1];

static void setup(void)
{
	lc_session *sys;
	lc_compute_host_opts ho = LC_COMPUTE_HOST_OPTS_INIT;
	lc_image_opts io = LC_IMAGE_OPTS_INIT;
	lc_image *img;
	char path[4096];
	FILE *f;
	t_resp *r;

	t_setup();
	t_make_user("demo", "alice", "alice-pw", &demo_id, &alice_id);
	t_make_user("other", "bob", "bob-pw", &other_id, &bob_id);
	alice_token = t_token("alice", "alice-pw", "demo");
	bob_token = t_token("bob", "bob-pw", "other");
	cr_assert_eq(lc_session_system(&sys, t_cloud), 0);
	ho.name = "node1";
	ho.driver = "fake";
	ho.uri = "fake://node1?vcpus=8&memory_mib=8192&disk_gib=100";
	cr_assert_eq(lc_compute_host_create(NULL, sys, &ho), 0, "%s", lc_error_last()->message);
	io.name = "cirros";
	io.visibility = "public";
	io.disk_format = "raw";
	io.container_format = "bare";
	cr_assert_eq(lc_image_create(&img, sys, &io), 0, "%s", lc_error_last()->message);
	snprintf(image_id, sizeof(image_id), "%s", lc_image_id(img));
	lc_image_free(img);
	snprintf(path, sizeof(path), "%s/img.raw", t_dir);
	f = fopen(path, "wb");
	for (int i = 0; i < 4096; i++)
		fputc(0, f);
	fclose(f);
	cr_assert_eq(lc_image_upload_file(NULL, sys, image_id, path, NULL), 0, "%s", lc_error_last()->message);
	lc_session_free(sys);
	r = t_call("POST", V "/flavors", t_admin_token,
		   "{\"flavor\":{\"name\":\"m1.small\",\"ram\":512,\"vcpus\":1,\"disk\":1,\"id\":null,\"swap\":0,"
		   "\"OS-FLV-EXT-DATA:ephemeral\":0,\"rxtx_factor\":1.0,\"os-flavor-access:is_public\":true}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	t_free(r);
}

static void teardown(void)
{
	free(demo_id);
	free(alice_id);
	free(alice_token);
	free(other_id);
	free(bob_id);
	free(bob_token);
	t_teardown();
}

TestSuite(api_nova, .init = setup, .fini = teardown, .timeout = 120);

static char *flavor_id(void)
{
	t_resp *r = t_call("GET", V "/flavors", alice_token, NULL);
	char *id;

	cr_assert_eq(r->status, 200);
	id = strdup(t_str(r->json, "flavors/0/id"));
	t_free(r);
	return id;
}

static char *create_server(const char *token, const char *name, int expect)
{
	char body[1024], *fid = flavor_id(), *id = NULL;
	t_resp *r;

	snprintf(body, sizeof(body),
		 "{\"server\":{\"name\":\"%s\",\"imageRef\":\"%s\",\"flavorRef\":\"%s\",\"min_count\":1,\"max_count\":1}}",
		 name, image_id, fid);
	r = t_call("POST", V "/servers", token, body);
	cr_assert_eq(r->status, expect, "%s", r->body);
	if (expect == 202)
		id = strdup(t_str(r->json, "server/id"));
	t_free(r);
	free(fid);
	return id;
}

static const char *header(const t_resp *r, const char *name)
{
	for (size_t i = 0; i < lc_api_response_header_count(r->r); i++)
		if (strcasecmp(lc_api_response_header_name(r->r, i), name) == 0)
			return lc_api_response_header_value(r->r, i);
	return NULL;
}

Test(api_nova, discovery_advertises_2_1_only_and_needs_no_token)
{
	t_resp *r = t_call("GET", V, NULL, NULL);

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "version/id"), "v2.1");
	cr_assert_str_eq(t_str(r->json, "version/version"), "2.1");
	cr_assert_str_eq(t_str(r->json, "version/min_version"), "2.1");
	cr_assert_str_eq(t_str(r->json, "version/links/0/href"), T_BASE "/compute/v2.1/");
	t_free(r);
	r = t_call("GET", "/compute", NULL, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "versions"), 1);
	t_free(r);
}

Test(api_nova, microversions_are_echoed_and_unsupported_ones_refused)
{
	const char *h21[] = { "OpenStack-API-Version", "compute 2.1", NULL };
	const char *h295[] = { "OpenStack-API-Version", "compute 2.95", NULL };
	const char *latest[] = { "X-OpenStack-Nova-API-Version", "latest", NULL };
	t_resp *r = t_callh("GET", V "/flavors", alice_token, NULL, h21);

	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(header(r, "OpenStack-API-Version"), "compute 2.1");
	cr_assert_str_eq(header(r, "X-OpenStack-Nova-API-Version"), "2.1");
	t_free(r);
	r = t_callh("GET", V "/flavors", alice_token, NULL, h295);
	cr_assert_eq(r->status, 406, "%s", r->body);
	t_free(r);
	r = t_callh("GET", V "/flavors", alice_token, NULL, latest);
	cr_assert_eq(r->status, 200);
	t_free(r);
}

Test(api_nova, the_catalog_has_compute_at_v2_1)
{
	char body[512];
	t_resp *r;
	int found = 0;

	snprintf(body, sizeof(body),
		 "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"alice\","
		 "\"domain\":{\"name\":\"Default\"},\"password\":\"alice-pw\"}}},\"scope\":{\"project\":{\"name\":"
		 "\"demo\",\"domain\":{\"name\":\"Default\"}}}}}");
	r = t_call("POST", "/v3/auth/tokens", NULL, body);
	cr_assert_eq(r->status, 201);
	for (int i = 0; i < t_len(r->json, "token/catalog"); i++) {
		char p[64];

		snprintf(p, sizeof(p), "token/catalog/%d/type", i);
		if (strcmp(t_str(r->json, p), "compute") == 0) {
			snprintf(p, sizeof(p), "token/catalog/%d/endpoints/0/url", i);
			cr_assert_str_eq(t_str(r->json, p), T_BASE "/compute/v2.1");
			found = 1;
		}
	}
	cr_assert(found);
	t_free(r);
}

Test(api_nova, flavors_as_the_cli_uses_them)
{
	t_resp *r;
	char *id = flavor_id(), path[256];

	r = t_call("GET", V "/flavors/m1.small", alice_token, NULL);
	cr_assert_eq(r->status, 404, "find-by-name first probes the id: %s", r->body);
	cr_assert_not_null(t_get(r->json, "itemNotFound"));
	t_free(r);
	r = t_call("GET", V "/flavors/detail?is_public=None", alice_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "flavors"), 1);
	cr_assert_str_eq(t_str(r->json, "flavors/0/name"), "m1.small");
	cr_assert_str_eq(t_str(r->json, "flavors/0/swap"), "");
	cr_assert(YAJL_IS_TRUE(t_get(r->json, "flavors/0/os-flavor-access:is_public")));
	t_free(r);
	snprintf(path, sizeof(path), V "/flavors/%s/os-extra_specs", id);
	r = t_call("GET", path, alice_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert(YAJL_IS_OBJECT(t_get(r->json, "extra_specs")));
	t_free(r);
	r = t_call("POST", path, t_admin_token, "{\"extra_specs\":{\"hw:cpu_cores\":\"1\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "extra_specs/hw:cpu_cores"), "1");
	t_free(r);
	r = t_call("POST", path, alice_token, "{\"extra_specs\":{\"x\":\"1\"}}");
	cr_assert_eq(r->status, 403);
	t_free(r);
	r = t_call("POST", V "/flavors", alice_token, "{\"flavor\":{\"name\":\"x\",\"ram\":1,\"vcpus\":1,\"disk\":1}}");
	cr_assert_eq(r->status, 403);
	t_free(r);
	r = t_call("POST", V "/flavors", t_admin_token, "{\"flavor\":{\"name\":\"x\",\"ram\":1,\"vcpus\":1,\"disk\":1,"
							 "\"bogus\":1}}");
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_call("POST", V "/flavors", t_admin_token,
		   "{\"flavor\":{\"name\":\"m1.small\",\"ram\":1,\"vcpus\":1,\"disk\":1}}");
	cr_assert_eq(r->status, 409);
	t_free(r);
	r = t_call("POST", V "/flavors", t_admin_token,
		   "{\"flavor\":{\"name\":\"private\",\"ram\":\"256\",\"vcpus\":1,\"disk\":0,\"id\":\"7\","
		   "\"os-flavor-access:is_public\":false}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "flavor/id"), "7");
	t_free(r);
	r = t_call("GET", V "/flavors/7", alice_token, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	snprintf(path, sizeof(path), "{\"addTenantAccess\":{\"tenant\":\"%s\"}}", demo_id);
	r = t_call("POST", V "/flavors/7/action", t_admin_token, path);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "flavor_access/0/tenant_id"), demo_id);
	t_free(r);
	r = t_call("GET", V "/flavors/7", alice_token, NULL);
	cr_assert_eq(r->status, 200);
	t_free(r);
	r = t_call("DELETE", V "/flavors/7", t_admin_token, NULL);
	cr_assert_eq(r->status, 202);
	t_free(r);
	free(id);
}

Test(api_nova, keypairs_generated_imported_listed_and_deleted)
{
	t_resp *r = t_call("POST", V "/os-keypairs", alice_token, "{\"keypair\":{\"name\":\"k1\"}}");

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert(strstr(t_str(r->json, "keypair/private_key"), "PRIVATE KEY") != NULL);
	cr_assert_str_eq(t_str(r->json, "keypair/user_id"), alice_id);
	cr_assert_eq(YAJL_GET_OBJECT(t_get(r->json, "keypair"))->len, 5, "only Nova 2.1's members");
	t_free(r);
	r = t_call("POST", V "/os-keypairs", alice_token,
		   "{\"keypair\":{\"name\":\"k2\",\"public_key\":\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMI4gTLN+g58TV"
		   "vmB15ToCeq9+dClPKLgfRwZhwPDZCv test@host\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "keypair/fingerprint"), "97:97:b3:71:cb:d1:34:ab:ea:9b:7d:c6:56:9b:a5:b7");
	cr_assert_null(t_get(r->json, "keypair/private_key"));
	t_free(r);
	r = t_call("POST", V "/os-keypairs", alice_token, "{\"keypair\":{\"name\":\"k3\",\"public_key\":\"junk\"}}");
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_call("POST", V "/os-keypairs", alice_token, "{\"keypair\":{\"name\":\"k1\"}}");
	cr_assert_eq(r->status, 409);
	t_free(r);
	r = t_call("POST", V "/os-keypairs", alice_token, "{\"keypair\":{\"name\":\"k4\",\"type\":\"ssh\"}}");
	cr_assert_eq(r->status, 400, "type is not in 2.1");
	t_free(r);
	r = t_call("GET", V "/os-keypairs", alice_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "keypairs"), 2);
	cr_assert_str_eq(t_str(r->json, "keypairs/0/keypair/name"), "k1");
	t_free(r);
	r = t_call("GET", V "/os-keypairs/k2", alice_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert(YAJL_IS_INTEGER(t_get(r->json, "keypair/id")));
	cr_assert(YAJL_IS_FALSE(t_get(r->json, "keypair/deleted")));
	t_free(r);
	r = t_call("GET", V "/os-keypairs/k2", bob_token, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	r = t_call("DELETE", V "/os-keypairs/k2", alice_token, NULL);
	cr_assert_eq(r->status, 202);
	t_free(r);
	r = t_call("DELETE", V "/os-keypairs/k2", alice_token, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
}

Test(api_nova, server_lifecycle_as_the_cli_drives_it)
{
	char *id = create_server(alice_token, "vm1", 202), path[256];
	t_resp *r;

	r = t_call("GET", V "/servers/vm1", alice_token, NULL);
	cr_assert_eq(r->status, 404, "a name probed as an id is 404: %s", r->body);
	t_free(r);
	r = t_call("GET", V "/servers?name=vm1", alice_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "servers"), 1);
	cr_assert_str_eq(t_str(r->json, "servers/0/id"), id);
	t_free(r);
	snprintf(path, sizeof(path), V "/servers/%s", id);
	r = t_call("GET", path, alice_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(t_str(r->json, "server/status"), "ACTIVE");
	cr_assert_str_eq(t_str(r->json, "server/tenant_id"), demo_id);
	cr_assert_str_eq(t_str(r->json, "server/image/id"), image_id);
	cr_assert_str_eq(t_str(r->json, "server/OS-EXT-STS:vm_state"), "active");
	cr_assert_eq(YAJL_GET_INTEGER(t_get(r->json, "server/OS-EXT-STS:power_state")), 1);
	cr_assert_eq(strlen(t_str(r->json, "server/hostId")), 56);
	cr_assert_null(t_get(r->json, "server/OS-EXT-SRV-ATTR:host"), "host attributes are for admins");
	cr_assert_not_null(t_get(r->json, "server/created"));
	t_free(r);
	r = t_call("GET", path, bob_token, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	r = t_call("GET", V "/servers/detail", bob_token, NULL);
	cr_assert_eq(t_len(r->json, "servers"), 0, "another project sees none of them");
	t_free(r);
	snprintf(path, sizeof(path), V "/servers/%s/action", id);
	r = t_call("POST", path, alice_token, "{\"os-stop\":null}");
	cr_assert_eq(r->status, 202, "%s", r->body);
	t_free(r);
	r = t_call("POST", path, alice_token, "{\"os-stop\":null}");
	cr_assert_eq(r->status, 409, "%s", r->body);
	cr_assert_not_null(t_get(r->json, "conflictingRequest"));
	t_free(r);
	r = t_call("POST", path, alice_token, "{\"os-start\":null}");
	cr_assert_eq(r->status, 202);
	t_free(r);
	r = t_call("POST", path, alice_token, "{\"reboot\":{\"type\":\"HARD\"}}");
	cr_assert_eq(r->status, 202);
	t_free(r);
	r = t_call("POST", path, alice_token, "{\"reboot\":{\"type\":\"GENTLE\"}}");
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_call("POST", path, alice_token, "{\"shelve\":null}");
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_call("POST", path, bob_token, "{\"os-stop\":null}");
	cr_assert_eq(r->status, 404);
	t_free(r);
	r = t_call("POST", path, alice_token, "{\"createImage\":{\"name\":\"snap\"}}");
	cr_assert_eq(r->status, 202, "%s", r->body);
	cr_assert(strstr(header(r, "Location"), "/image/v2/images/") != NULL);
	t_free(r);
	snprintf(path, sizeof(path), V "/servers/%s/os-instance-actions", id);
	r = t_call("GET", path, alice_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(t_str(r->json, "instanceActions/0/action"), "createImage", "newest first");
	t_free(r);
	snprintf(path, sizeof(path), V "/servers/%s", id);
	r = t_call("DELETE", path, alice_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	t_free(r);
	r = t_call("GET", path, alice_token, NULL);
	cr_assert_eq(r->status, 404, "delete --wait polls until 404");
	t_free(r);
	free(id);
}

Test(api_nova, create_answers_202_with_the_password_and_a_location)
{
	char body[1024], *fid = flavor_id();
	t_resp *r;

	snprintf(body, sizeof(body),
		 "{\"server\":{\"name\":\"vm\",\"imageRef\":\"%s\",\"flavorRef\":\"%s\",\"metadata\":{\"a\":\"b\"}}}",
		 image_id, fid);
	r = t_call("POST", V "/servers", alice_token, body);
	cr_assert_eq(r->status, 202, "%s", r->body);
	cr_assert_not_null(t_str(r->json, "server/adminPass"));
	cr_assert_str_eq(t_str(r->json, "server/security_groups/0/name"), "default");
	cr_assert(strstr(header(r, "Location"), t_str(r->json, "server/id")) != NULL);
	t_free(r);
	free(fid);
}

Test(api_nova, bad_server_requests_are_400_and_a_quota_is_403)
{
	char body[1024], *fid = flavor_id();
	t_resp *r;

	snprintf(body, sizeof(body), "{\"server\":{\"name\":\"vm\",\"imageRef\":\"%s\",\"flavorRef\":\"nope\"}}",
		 image_id);
	r = t_call("POST", V "/servers", alice_token, body);
	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);
	snprintf(body, sizeof(body), "{\"server\":{\"name\":\"vm\",\"imageRef\":\"%s\",\"flavorRef\":\"%s\","
				     "\"host\":\"node1\"}}", image_id, fid);
	r = t_call("POST", V "/servers", alice_token, body);
	cr_assert_eq(r->status, 400, "no host field in 2.1: %s", r->body);
	t_free(r);
	snprintf(body, sizeof(body), "{\"server\":{\"name\":\"vm\",\"imageRef\":\"%s\",\"flavorRef\":\"%s\","
				     "\"user_data\":\"%%%%%%\"}}", image_id, fid);
	r = t_call("POST", V "/servers", alice_token, body);
	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);
	snprintf(body, sizeof(body), "{\"server\":{\"name\":\"vm\",\"imageRef\":\"%s\",\"flavorRef\":\"%s\"},"
				     "\"os:scheduler_hints\":{\"force_hosts\":\"node1\"}}", image_id, fid);
	r = t_call("POST", V "/servers", alice_token, body);
	cr_assert_eq(r->status, 403, "%s", r->body);
	t_free(r);
	snprintf(body, sizeof(body), "{\"quota_set\":{\"instances\":0}}");
	{
		char path[256];

		snprintf(path, sizeof(path), V "/os-quota-sets/%s", demo_id);
		r = t_call("PUT", path, t_admin_token, body);
		cr_assert_eq(r->status, 200, "%s", r->body);
		cr_assert_eq(YAJL_GET_INTEGER(t_get(r->json, "quota_set/instances")), 0);
		t_free(r);
	}
	create_server(alice_token, "over", 403);
	r = t_call("GET", V "/servers", alice_token, NULL);
	cr_assert_eq(t_len(r->json, "servers"), 0);
	t_free(r);
	r = t_call("GET", V "/limits", alice_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(YAJL_GET_INTEGER(t_get(r->json, "limits/absolute/maxTotalInstances")), 0);
	t_free(r);
	free(fid);
}

Test(api_nova, metadata_of_a_server)
{
	char *id = create_server(alice_token, "vm", 202), path[256];
	t_resp *r;

	snprintf(path, sizeof(path), V "/servers/%s/metadata", id);
	r = t_call("POST", path, alice_token, "{\"metadata\":{\"k1\":\"v1\",\"k2\":\"v2\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "metadata/k2"), "v2");
	t_free(r);
	snprintf(path, sizeof(path), V "/servers/%s/metadata/k1", id);
	r = t_call("GET", path, alice_token, NULL);
	cr_assert_str_eq(t_str(r->json, "meta/k1"), "v1");
	t_free(r);
	r = t_call("DELETE", path, alice_token, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
	r = t_call("GET", path, alice_token, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	free(id);
}

Test(api_nova, hypervisors_services_zones_and_aggregates_for_admins)
{
	t_resp *r = t_call("GET", V "/os-hypervisors/detail", t_admin_token, NULL);

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "hypervisors"), 1);
	cr_assert_str_eq(t_str(r->json, "hypervisors/0/hypervisor_hostname"), "node1");
	cr_assert_eq(YAJL_GET_INTEGER(t_get(r->json, "hypervisors/0/vcpus")), 8);
	t_free(r);
	r = t_call("GET", V "/os-hypervisors", alice_token, NULL);
	cr_assert_eq(r->status, 403);
	t_free(r);
	r = t_call("GET", V "/os-services", t_admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(t_str(r->json, "services/0/binary"), "nova-compute");
	t_free(r);
	r = t_call("POST", V "/os-aggregates", t_admin_token,
		   "{\"aggregate\":{\"name\":\"agg1\",\"availability_zone\":\"az1\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(YAJL_GET_INTEGER(t_get(r->json, "aggregate/id")), 1);
	cr_assert_null(t_get(r->json, "aggregate/hosts"), "create shows no hosts");
	t_free(r);
	r = t_call("POST", V "/os-aggregates/1/action", t_admin_token, "{\"add_host\":{\"host\":\"node1\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "aggregate/hosts/0"), "node1");
	cr_assert_str_eq(t_str(r->json, "aggregate/metadata/availability_zone"), "az1");
	t_free(r);
	r = t_call("GET", V "/os-availability-zone", alice_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(t_str(r->json, "availabilityZoneInfo/0/zoneName"), "az1");
	cr_assert(YAJL_IS_NULL(t_get(r->json, "availabilityZoneInfo/0/hosts")));
	t_free(r);
	r = t_call("PUT", V "/os-services/disable", t_admin_token, "{\"host\":\"node1\",\"binary\":\"nova-compute\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "service/status"), "disabled");
	t_free(r);
	{
		char *id = create_server(alice_token, "nohost", 202), path[256];

		snprintf(path, sizeof(path), V "/servers/%s", id);
		r = t_call("GET", path, alice_token, NULL);
		cr_assert_str_eq(t_str(r->json, "server/status"), "ERROR");
		cr_assert(strstr(t_str(r->json, "server/fault/message"), "ComputeFilter eliminated 1") != NULL);
		t_free(r);
		free(id);
	}
	r = t_call("DELETE", V "/os-aggregates/1", t_admin_token, NULL);
	cr_assert_eq(r->status, 400, "not empty");
	t_free(r);
}

Test(api_nova, server_groups)
{
	t_resp *r = t_call("POST", V "/os-server-groups", alice_token,
			   "{\"server_group\":{\"name\":\"g\",\"policies\":[\"anti-affinity\"]}}");
	char path[256];

	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "server_group/policies/0"), "anti-affinity");
	snprintf(path, sizeof(path), V "/os-server-groups/%s", t_str(r->json, "server_group/id"));
	t_free(r);
	r = t_call("GET", path, bob_token, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	r = t_call("GET", V "/os-server-groups", alice_token, NULL);
	cr_assert_eq(t_len(r->json, "server_groups"), 1);
	t_free(r);
	r = t_call("DELETE", path, alice_token, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
}

Test(api_nova, servers_on_networks_show_addresses_and_ips)
{
	char body[1024], path[256], *fid = flavor_id(), *net, *sid;
	t_resp *r;

	r = t_call("POST", "/network/v2.0/networks", alice_token, "{\"network\":{\"name\":\"private\"}}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	net = strdup(t_str(r->json, "network/id"));
	t_free(r);
	snprintf(body, sizeof(body), "{\"subnet\":{\"network_id\":\"%s\",\"cidr\":\"10.0.0.0/24\",\"ip_version\":4}}",
		 net);
	r = t_call("POST", "/network/v2.0/subnets", alice_token, body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	t_free(r);
	/* networks as the CLI sends them for --network / --nic v4-fixed-ip= */
	snprintf(body, sizeof(body),
		 "{\"server\":{\"name\":\"vm\",\"imageRef\":\"%s\",\"flavorRef\":\"%s\",\"networks\":"
		 "[{\"uuid\":\"%s\",\"fixed_ip\":\"10.0.0.9\"}]}}", image_id, fid, net);
	r = t_call("POST", V "/servers", alice_token, body);
	cr_assert_eq(r->status, 202, "%s", r->body);
	sid = strdup(t_str(r->json, "server/id"));
	t_free(r);
	snprintf(path, sizeof(path), V "/servers/%s", sid);
	r = t_call("GET", path, alice_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "server/addresses/private/0/addr"), "10.0.0.9");
	cr_assert_str_eq(t_str(r->json, "server/addresses/private/0/OS-EXT-IPS:type"), "fixed");
	cr_assert_eq(YAJL_GET_INTEGER(t_get(r->json, "server/addresses/private/0/version")), 4);
	cr_assert_eq(strlen(t_str(r->json, "server/addresses/private/0/OS-EXT-IPS-MAC:mac_addr")), 17);
	t_free(r);
	snprintf(path, sizeof(path), V "/servers/%s/ips", sid);
	r = t_call("GET", path, alice_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "addresses/private/0/addr"), "10.0.0.9");
	t_free(r);
	snprintf(path, sizeof(path), V "/servers/%s/ips/private", sid);
	r = t_call("GET", path, alice_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "private/0/addr"), "10.0.0.9");
	t_free(r);
	snprintf(path, sizeof(path), V "/servers/%s/ips/public", sid);
	r = t_call("GET", path, alice_token, NULL);
	cr_assert_eq(r->status, 404, "%s", r->body);
	t_free(r);
	r = t_call("GET", path, bob_token, NULL);
	cr_assert_eq(r->status, 404, "another project: %s", r->body);
	t_free(r);
	snprintf(path, sizeof(path), "/network/v2.0/ports?device_id=%s", sid);
	r = t_call("GET", path, alice_token, NULL);
	cr_assert_eq(t_len(r->json, "ports"), 1, "%s", r->body);
	t_free(r);
	/* bad networks: an address taken (409), an unknown network (400), a malformed entry (400) */
	r = t_call("POST", V "/servers", alice_token, body);
	cr_assert_eq(r->status, 409, "%s", r->body);
	t_free(r);
	snprintf(body, sizeof(body),
		 "{\"server\":{\"name\":\"vm\",\"imageRef\":\"%s\",\"flavorRef\":\"%s\",\"networks\":"
		 "[{\"uuid\":\"0190d5a6-1111-7222-8333-444455556666\"}]}}", image_id, fid);
	r = t_call("POST", V "/servers", alice_token, body);
	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);
	snprintf(body, sizeof(body),
		 "{\"server\":{\"name\":\"vm\",\"imageRef\":\"%s\",\"flavorRef\":\"%s\",\"networks\":"
		 "[{\"subnet\":\"x\"}]}}", image_id, fid);
	r = t_call("POST", V "/servers", alice_token, body);
	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);
	snprintf(body, sizeof(body),
		 "{\"server\":{\"name\":\"vm\",\"imageRef\":\"%s\",\"flavorRef\":\"%s\",\"networks\":\"all\"}}",
		 image_id, fid);
	r = t_call("POST", V "/servers", alice_token, body);
	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);
	/* deleting the server releases its port */
	snprintf(path, sizeof(path), V "/servers/%s", sid);
	r = t_call("DELETE", path, alice_token, NULL);
	cr_assert_eq(r->status, 204, "%s", r->body);
	t_free(r);
	r = t_call("GET", "/network/v2.0/ports", alice_token, NULL);
	cr_assert_eq(t_len(r->json, "ports"), 0, "%s", r->body);
	t_free(r);
	free(sid);
	free(net);
	free(fid);
}
