/* Neutron v2.0 over the REST layer: what the openstack CLI sends, and what it must get back. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitest.h"

TestSuite(api_neutron, .init = t_setup, .fini = t_teardown);

#define V "/network/v2.0"

static char *created_id(t_resp *r, const char *path)
{
	const char *id = t_str(r->json, path);

	cr_assert_not_null(id, "no %s in %s", path, r->body);
	return strdup(id);
}

static char *post(const char *coll, const char *token, const char *body, const char *idpath)
{
	char target[256];
	t_resp *r;
	char *id;

	snprintf(target, sizeof(target), V "/%s", coll);
	r = t_call("POST", target, token, body);
	cr_assert_eq(r->status, 201, "POST %s: %d %s", coll, r->status, r->body);
	id = created_id(r, idpath);
	t_free(r);
	return id;
}

static const char *fmt(const char *f, const char *a)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), f, a);
	return buf;
}

Test(api_neutron, the_catalog_lists_network_and_discovery_answers)
{
	t_resp *r = t_call("GET", "/v3/auth/catalog", t_admin_token, NULL);
	int found = 0;

	cr_assert_eq(r->status, 200, "%s", r->body);
	for (int i = 0; i < t_len(r->json, "catalog"); i++) {
		char p[64];

		snprintf(p, sizeof(p), "catalog/%d/type", i);
		if (strcmp(t_str(r->json, p), "network") == 0) {
			snprintf(p, sizeof(p), "catalog/%d/endpoints/0/url", i);
			cr_assert_str_eq(t_str(r->json, p), T_BASE "/network");
			found = 1;
		}
	}
	cr_assert(found);
	t_free(r);
	r = t_call("GET", "/network", NULL, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(t_str(r->json, "versions/0/id"), "v2.0");
	t_free(r);
	r = t_call("GET", V "/extensions", t_admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_gt(t_len(r->json, "extensions"), 10);
	t_free(r);
	r = t_call("GET", V "/extensions/router", t_admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(t_str(r->json, "extension/alias"), "router");
	t_free(r);
	r = t_call("GET", V "/extensions/dvr", t_admin_token, NULL);
	cr_assert_eq(r->status, 404);
	cr_assert_str_eq(t_str(r->json, "NeutronError/type"), "NotFound");
	t_free(r);
	r = t_call("GET", V "/networks", NULL, NULL);
	cr_assert_eq(r->status, 401);
	t_free(r);
}

Test(api_neutron, network_create_show_update_delete)
{
	t_resp *r = t_call("POST", V "/networks", t_admin_token,
			   "{\"network\":{\"name\":\"n1\",\"admin_state_up\":true}}");
	char *id;

	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "network/name"), "n1");
	cr_assert_str_eq(t_str(r->json, "network/status"), "ACTIVE");
	cr_assert(YAJL_IS_TRUE(t_get(r->json, "network/admin_state_up")));
	cr_assert(YAJL_IS_FALSE(t_get(r->json, "network/shared")));
	cr_assert(YAJL_IS_FALSE(t_get(r->json, "network/router:external")));
	cr_assert_eq(t_len(r->json, "network/subnets"), 0);
	cr_assert_str_eq(t_str(r->json, "network/availability_zones/0"), "nova");
	cr_assert(YAJL_IS_INTEGER(t_get(r->json, "network/mtu")));
	cr_assert(YAJL_IS_TRUE(t_get(r->json, "network/port_security_enabled")));
	cr_assert_str_eq(t_str(r->json, "network/provider:network_type"), "vxlan");
	cr_assert_str_eq(t_str(r->json, "network/tenant_id"), t_str(r->json, "network/project_id"));
	cr_assert_not_null(t_str(r->json, "network/created_at"));
	cr_assert_eq(strlen(t_str(r->json, "network/created_at")), 20);
	id = created_id(r, "network/id");
	t_free(r);

	r = t_call("GET", fmt(V "/networks/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(t_str(r->json, "network/id"), id);
	t_free(r);
	r = t_call("PUT", fmt(V "/networks/%s", id), t_admin_token, "{\"network\":{\"name\":\"n2\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "network/name"), "n2");
	cr_assert_eq(t_get(r->json, "network/revision_number")->u.number.i, 2);
	t_free(r);
	r = t_call("PUT", fmt(V "/networks/%s", id), t_admin_token, "{\"network\":{\"provider:network_type\":\"vlan\"}}");
	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);
	r = t_call("DELETE", fmt(V "/networks/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
	r = t_call("GET", fmt(V "/networks/%s", id), t_admin_token, NULL);
	cr_assert_eq(r->status, 404);
	cr_assert_str_eq(t_str(r->json, "NeutronError/type"), "NotFound");
	cr_assert_not_null(t_str(r->json, "NeutronError/message"));
	t_free(r);
	r = t_call("GET", V "/networks/not-a-uuid", t_admin_token, NULL); /* what the SDK tries before a name filter */
	cr_assert_eq(r->status, 404);
	t_free(r);
	free(id);
}

Test(api_neutron, bad_bodies_are_neutron_400s)
{
	t_resp *r = t_call("POST", V "/networks", t_admin_token, "{\"network\":{\"name\":\"n\",\"bogus\":1}}");

	cr_assert_eq(r->status, 400);
	cr_assert_str_eq(t_str(r->json, "NeutronError/type"), "BadRequest");
	cr_assert_not_null(strstr(t_str(r->json, "NeutronError/message"), "bogus"));
	t_free(r);
	r = t_call("POST", V "/networks", t_admin_token, "{\"net\":{}}");
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_call("POST", V "/networks", t_admin_token, "{\"network\":{\"admin_state_up\":\"maybe\"}}");
	cr_assert_eq(r->status, 400);
	t_free(r);
}

Test(api_neutron, subnet_create_as_the_cli_sends_it_and_validation_errors)
{
	char *net = post("networks", t_admin_token, "{\"network\":{\"name\":\"n\"}}", "network/id");
	char body[512];
	t_resp *r;
	char *sub;

	snprintf(body, sizeof(body),
		 "{\"subnet\":{\"name\":\"s\",\"network_id\":\"%s\",\"cidr\":\"10.0.0.0/24\",\"ip_version\":4}}", net);
	r = t_call("POST", V "/subnets", t_admin_token, body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "subnet/gateway_ip"), "10.0.0.1");
	cr_assert_str_eq(t_str(r->json, "subnet/allocation_pools/0/start"), "10.0.0.2");
	cr_assert_str_eq(t_str(r->json, "subnet/allocation_pools/0/end"), "10.0.0.254");
	cr_assert(YAJL_IS_TRUE(t_get(r->json, "subnet/enable_dhcp")));
	cr_assert_eq(t_len(r->json, "subnet/dns_nameservers"), 0);
	cr_assert_eq(t_len(r->json, "subnet/host_routes"), 0);
	cr_assert(YAJL_IS_NULL(t_get(r->json, "subnet/ipv6_ra_mode")));
	sub = created_id(r, "subnet/id");
	t_free(r);
	r = t_call("GET", fmt(V "/networks/%s", net), t_admin_token, NULL);
	cr_assert_str_eq(t_str(r->json, "network/subnets/0"), sub);
	t_free(r);

	snprintf(body, sizeof(body),
		 "{\"subnet\":{\"network_id\":\"%s\",\"cidr\":\"10.0.0.128/25\",\"ip_version\":4}}", net);
	r = t_call("POST", V "/subnets", t_admin_token, body);
	cr_assert_eq(r->status, 400, "%s", r->body);
	cr_assert_not_null(strstr(t_str(r->json, "NeutronError/message"), "overlaps"));
	t_free(r);
	snprintf(body, sizeof(body),
		 "{\"subnet\":{\"network_id\":\"%s\",\"cidr\":\"10.1.0.7/24\",\"ip_version\":4,\"enable_dhcp\":false,"
		 "\"gateway_ip\":null}}", net);
	r = t_call("POST", V "/subnets", t_admin_token, body);
	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);
	snprintf(body, sizeof(body),
		 "{\"subnet\":{\"network_id\":\"%s\",\"cidr\":\"10.1.0.0/24\",\"ip_version\":4,\"enable_dhcp\":false,"
		 "\"gateway_ip\":null}}", net);
	r = t_call("POST", V "/subnets", t_admin_token, body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert(YAJL_IS_NULL(t_get(r->json, "subnet/gateway_ip")));
	cr_assert(YAJL_IS_FALSE(t_get(r->json, "subnet/enable_dhcp")));
	t_free(r);
	free(net);
	free(sub);
}

Test(api_neutron, the_router_topology_of_the_cli)
{
	char *ext, *net, *sub, *router;
	char body[512];
	t_resp *r;

	ext = post("networks", t_admin_token, "{\"network\":{\"name\":\"public\",\"router:external\":true}}",
		   "network/id");
	snprintf(body, sizeof(body),
		 "{\"subnet\":{\"network_id\":\"%s\",\"cidr\":\"203.0.113.0/24\",\"ip_version\":4,\"enable_dhcp\":false}}",
		 ext);
	free(post("subnets", t_admin_token, body, "subnet/id"));
	net = post("networks", t_admin_token, "{\"network\":{\"name\":\"private\"}}", "network/id");
	snprintf(body, sizeof(body),
		 "{\"subnet\":{\"network_id\":\"%s\",\"cidr\":\"10.0.0.0/24\",\"ip_version\":4}}", net);
	sub = post("subnets", t_admin_token, body, "subnet/id");
	router = post("routers", t_admin_token, "{\"router\":{\"name\":\"r\",\"admin_state_up\":true}}", "router/id");

	r = t_call("GET", fmt(V "/routers/%s", router), t_admin_token, NULL);
	cr_assert(YAJL_IS_NULL(t_get(r->json, "router/external_gateway_info")));
	cr_assert_eq(t_len(r->json, "router/routes"), 0);
	t_free(r);
	snprintf(body, sizeof(body), "{\"router\":{\"external_gateway_info\":{\"network_id\":\"%s\"}}}", ext);
	r = t_call("PUT", fmt(V "/routers/%s", router), t_admin_token, body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "router/external_gateway_info/network_id"), ext);
	cr_assert(YAJL_IS_TRUE(t_get(r->json, "router/external_gateway_info/enable_snat")));
	cr_assert_str_eq(t_str(r->json, "router/external_gateway_info/external_fixed_ips/0/ip_address"), "203.0.113.2");
	t_free(r);

	snprintf(body, sizeof(body), "{\"subnet_id\":\"%s\"}", sub);
	r = t_call("PUT", fmt(V "/routers/%s/add_router_interface", router), t_admin_token, body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "id"), router);
	cr_assert_str_eq(t_str(r->json, "subnet_id"), sub);
	cr_assert_str_eq(t_str(r->json, "subnet_ids/0"), sub);
	cr_assert_str_eq(t_str(r->json, "network_id"), net);
	cr_assert_not_null(t_str(r->json, "port_id"));
	t_free(r);
	r = t_call("PUT", fmt(V "/routers/%s/add_router_interface", router), t_admin_token, body);
	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);
	/* router show builds interfaces_info from this */
	r = t_call("GET", fmt(V "/ports?device_id=%s", router), t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "ports"), 2); /* the interface and the gateway */
	t_free(r);
	r = t_call("GET", fmt(V "/ports?device_id=%s&device_owner=network:router_interface", router), t_admin_token,
		   NULL);
	cr_assert_eq(t_len(r->json, "ports"), 1);
	cr_assert_str_eq(t_str(r->json, "ports/0/fixed_ips/0/ip_address"), "10.0.0.1");
	t_free(r);

	/* the subnet is in use by the router */
	r = t_call("DELETE", fmt(V "/subnets/%s", sub), t_admin_token, NULL);
	cr_assert_eq(r->status, 409, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "NeutronError/type"), "Conflict");
	t_free(r);

	/* floating IP: from the external network, associated with a port behind the router */
	snprintf(body, sizeof(body), "{\"floatingip\":{\"floating_network_id\":\"%s\"}}", net);
	r = t_call("POST", V "/floatingips", t_admin_token, body);
	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);
	snprintf(body, sizeof(body), "{\"floatingip\":{\"floating_network_id\":\"%s\"}}", ext);
	r = t_call("POST", V "/floatingips", t_admin_token, body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "floatingip/status"), "DOWN");
	cr_assert(YAJL_IS_NULL(t_get(r->json, "floatingip/port_id")));
	cr_assert(YAJL_IS_NULL(t_get(r->json, "floatingip/fixed_ip_address")));
	cr_assert(YAJL_IS_NULL(t_get(r->json, "floatingip/router_id")));
	{
		char *fip = created_id(r, "floatingip/id");
		char *port;

		t_free(r);
		snprintf(body, sizeof(body), "{\"port\":{\"network_id\":\"%s\",\"device_id\":\"srv\",\"device_owner\":\"compute:nova\"}}", net);
		port = post("ports", t_admin_token, body, "port/id");
		snprintf(body, sizeof(body), "{\"floatingip\":{\"port_id\":\"%s\"}}", port);
		r = t_call("PUT", fmt(V "/floatingips/%s", fip), t_admin_token, body);
		cr_assert_eq(r->status, 200, "%s", r->body);
		cr_assert_str_eq(t_str(r->json, "floatingip/router_id"), router);
		cr_assert_str_eq(t_str(r->json, "floatingip/fixed_ip_address"), "10.0.0.2");
		cr_assert_str_eq(t_str(r->json, "floatingip/status"), "ACTIVE");
		t_free(r);
		r = t_call("PUT", fmt(V "/floatingips/%s", fip), t_admin_token, "{\"floatingip\":{\"port_id\":null}}");
		cr_assert_eq(r->status, 200, "%s", r->body);
		cr_assert(YAJL_IS_NULL(t_get(r->json, "floatingip/port_id")));
		t_free(r);
		free(fip);
		free(port);
	}
	free(ext);
	free(net);
	free(sub);
	free(router);
}

Test(api_neutron, security_groups_as_the_cli_sends_them)
{
	t_resp *r = t_call("POST", V "/security-groups", t_admin_token,
			   "{\"security_group\":{\"name\":\"web\",\"description\":\"w\"}}");
	char *sg, body[512];

	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_eq(t_len(r->json, "security_group/security_group_rules"), 2);
	cr_assert_str_eq(t_str(r->json, "security_group/security_group_rules/0/direction"), "egress");
	cr_assert(YAJL_IS_TRUE(t_get(r->json, "security_group/stateful")));
	sg = created_id(r, "security_group/id");
	t_free(r);
	snprintf(body, sizeof(body),
		 "{\"security_group_rule\":{\"security_group_id\":\"%s\",\"direction\":\"ingress\",\"ethertype\":\"IPv4\","
		 "\"protocol\":\"tcp\",\"port_range_min\":22,\"port_range_max\":22,\"remote_ip_prefix\":\"0.0.0.0/0\"}}",
		 sg);
	r = t_call("POST", V "/security-group-rules", t_admin_token, body);
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_eq(t_get(r->json, "security_group_rule/port_range_min")->u.number.i, 22);
	cr_assert_str_eq(t_str(r->json, "security_group_rule/protocol"), "tcp");
	cr_assert(YAJL_IS_NULL(t_get(r->json, "security_group_rule/remote_group_id")));
	t_free(r);
	r = t_call("POST", V "/security-group-rules", t_admin_token, body);
	cr_assert_eq(r->status, 409, "%s", r->body);
	t_free(r);
	snprintf(body, sizeof(body),
		 "{\"security_group_rule\":{\"security_group_id\":\"%s\",\"direction\":\"ingress\","
		 "\"protocol\":\"tcp\",\"port_range_min\":90,\"port_range_max\":80}}", sg);
	r = t_call("POST", V "/security-group-rules", t_admin_token, body);
	cr_assert_eq(r->status, 400, "%s", r->body);
	t_free(r);
	/* the default group exists for the project too */
	r = t_call("GET", V "/security-groups?name=default", t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "security_groups"), 1);
	cr_assert_eq(t_len(r->json, "security_groups/0/security_group_rules"), 4);
	t_free(r);
	r = t_call("GET", fmt(V "/security-group-rules?security_group_id=%s", sg), t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "security_group_rules"), 3);
	t_free(r);
	free(sg);
}

Test(api_neutron, filters_fields_sorting_and_paging)
{
	const char *names[] = { "b", "c", "a" };
	t_resp *r;
	char *next;

	for (int i = 0; i < 3; i++) {
		char body[128];

		snprintf(body, sizeof(body), "{\"network\":{\"name\":\"%s\"}}", names[i]);
		free(post("networks", t_admin_token, body, "network/id"));
	}
	r = t_call("GET", V "/networks?name=a&name=c", t_admin_token, NULL); /* repeated keys mean OR */
	cr_assert_eq(t_len(r->json, "networks"), 2);
	t_free(r);
	r = t_call("GET", V "/networks?name=a&admin_state_up=True", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "networks"), 1);
	t_free(r);
	r = t_call("GET", V "/networks?no_such=1", t_admin_token, NULL);
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_call("GET", V "/networks?fields=id&fields=name", t_admin_token, NULL);
	cr_assert_not_null(t_get(r->json, "networks/0/name"));
	cr_assert_null(t_get(r->json, "networks/0/status"));
	t_free(r);
	r = t_call("GET", V "/networks?sort_key=name&sort_dir=desc", t_admin_token, NULL);
	cr_assert_str_eq(t_str(r->json, "networks/0/name"), "c");
	cr_assert_str_eq(t_str(r->json, "networks/2/name"), "a");
	t_free(r);
	r = t_call("GET", V "/networks?limit=2", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "networks"), 2);
	cr_assert_str_eq(t_str(r->json, "networks_links/0/rel"), "next");
	next = strdup(t_str(r->json, "networks_links/0/href") + strlen(T_BASE));
	t_free(r);
	r = t_call("GET", next, t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "networks"), 1);
	cr_assert_null(t_get(r->json, "networks_links"));
	t_free(r);
	free(next);
}

Test(api_neutron, another_project_sees_only_shared_and_external_networks)
{
	char *pid = NULL, *uid = NULL, *token, *mine;
	t_resp *r;

	free(post("networks", t_admin_token, "{\"network\":{\"name\":\"admins\"}}", "network/id"));
	free(post("networks", t_admin_token, "{\"network\":{\"name\":\"shared\",\"shared\":true}}", "network/id"));
	free(post("networks", t_admin_token, "{\"network\":{\"name\":\"public\",\"router:external\":true}}",
		  "network/id"));
	t_make_user("demo", "alice", "alice-pw", &pid, &uid);
	token = t_token("alice", "alice-pw", "demo");
	cr_assert_not_null(token);
	mine = post("networks", token, "{\"network\":{\"name\":\"mine\"}}", "network/id");
	r = t_call("GET", V "/networks", token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "networks"), 3, "%s", r->body);
	for (int i = 0; i < 3; i++) {
		char p[64];

		snprintf(p, sizeof(p), "networks/%d/name", i);
		cr_assert_str_neq(t_str(r->json, p), "admins");
		snprintf(p, sizeof(p), "networks/%d/provider:network_type", i);
		cr_assert_null(t_get(r->json, p)); /* provider attributes are the admin's */
	}
	t_free(r);
	r = t_call("POST", V "/networks", token, "{\"network\":{\"name\":\"x\",\"provider:network_type\":\"vlan\"}}");
	cr_assert_eq(r->status, 403, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "NeutronError/type"), "PolicyNotAuthorized");
	t_free(r);
	r = t_call("GET", fmt(V "/quotas/%s", pid), token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_get(r->json, "quota/network")->u.number.i, 100);
	t_free(r);
	r = t_call("GET", fmt(V "/quotas/%s/details", pid), token, NULL);
	cr_assert_eq(t_get(r->json, "quota/network/used")->u.number.i, 1);
	t_free(r);
	r = t_call("PUT", fmt(V "/quotas/%s", pid), t_admin_token, "{\"quota\":{\"network\":1}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	t_free(r);
	r = t_call("POST", V "/networks", token, "{\"network\":{\"name\":\"two\"}}");
	cr_assert_eq(r->status, 413, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "NeutronError/type"), "OverQuota");
	t_free(r);
	free(mine);
	free(token);
	free(pid);
	free(uid);
}

Test(api_neutron, tags_as_the_cli_sets_them_and_tag_filters)
{
	char *a = post("networks", t_admin_token, "{\"network\":{\"name\":\"a\"}}", "network/id");
	char *b = post("networks", t_admin_token, "{\"network\":{\"name\":\"b\"}}", "network/id");
	char target[256];
	t_resp *r;

	/* `openstack network create --tag red --tag blue` creates, then PUTs the whole list */
	snprintf(target, sizeof(target), V "/networks/%s/tags", a);
	r = t_call("PUT", target, t_admin_token, "{\"tags\":[\"red\",\"blue\"]}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "tags"), 2);
	t_free(r);
	snprintf(target, sizeof(target), V "/networks/%s/tags/green", b);
	r = t_call("PUT", target, t_admin_token, NULL);
	cr_assert_eq(r->status, 201, "%s", r->body);
	t_free(r);
	r = t_call("GET", target, t_admin_token, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
	snprintf(target, sizeof(target), V "/networks/%s/tags/red", b);
	r = t_call("GET", target, t_admin_token, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	r = t_call("GET", fmt(V "/networks/%s", a), t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "network/tags"), 2);
	t_free(r);
	r = t_call("GET", V "/networks?tags=red,blue", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "networks"), 1);
	cr_assert_str_eq(t_str(r->json, "networks/0/name"), "a");
	t_free(r);
	r = t_call("GET", V "/networks?tags-any=green,red", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "networks"), 2);
	t_free(r);
	r = t_call("GET", V "/networks?not-tags=red", t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "networks"), 1);
	cr_assert_str_eq(t_str(r->json, "networks/0/name"), "b");
	t_free(r);
	snprintf(target, sizeof(target), V "/networks/%s/tags", a);
	r = t_call("DELETE", target, t_admin_token, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
	r = t_call("GET", target, t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "tags"), 0);
	t_free(r);
	free(a);
	free(b);
}

Test(api_neutron, ports_filter_on_fixed_ips)
{
	char *net = post("networks", t_admin_token, "{\"network\":{\"name\":\"n\"}}", "network/id");
	char body[256], *sub;
	t_resp *r;

	snprintf(body, sizeof(body), "{\"subnet\":{\"network_id\":\"%s\",\"cidr\":\"10.4.0.0/24\",\"ip_version\":4}}", net);
	sub = post("subnets", t_admin_token, body, "subnet/id");
	snprintf(body, sizeof(body), "{\"port\":{\"network_id\":\"%s\"}}", net);
	free(post("ports", t_admin_token, body, "port/id"));
	free(post("ports", t_admin_token, body, "port/id"));
	r = t_call("GET", V "/ports?fixed_ips=ip_address%3D10.4.0.3", t_admin_token, NULL);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_eq(t_len(r->json, "ports"), 1);
	cr_assert_str_eq(t_str(r->json, "ports/0/fixed_ips/0/ip_address"), "10.4.0.3");
	t_free(r);
	r = t_call("GET", fmt(V "/ports?fixed_ips=subnet_id%%3D%s", sub), t_admin_token, NULL);
	cr_assert_eq(t_len(r->json, "ports"), 2);
	t_free(r);
	free(net);
	free(sub);
}

Test(api_neutron, an_unknown_id_is_named_in_the_404)
{
	static const struct {
		const char *coll, *what;
	} kinds[] = {
		{ "networks", "network" },
		{ "subnets", "subnet" },
		{ "ports", "port" },
		{ "routers", "router" },
		{ "floatingips", "floatingip" },
		{ "security-groups", "security group" },
		{ "security-group-rules", "security group rule" },
	};
	const char *id = "0190b0c2-0000-7000-8000-00000000dead";

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char path[128], msg[128];
		t_resp *r;

		snprintf(path, sizeof(path), "/network/v2.0/%s/%s", kinds[i].coll, id);
		snprintf(msg, sizeof(msg), "%s %s could not be found.", kinds[i].what, id);
		r = t_call("DELETE", path, t_admin_token, NULL);
		cr_assert_eq(r->status, 404, "%s: %s", path, r->body);
		cr_assert_str_eq(t_str(r->json, "NeutronError/type"), "NotFound");
		cr_assert_str_eq(t_str(r->json, "NeutronError/message"), msg, "%s", path);
		t_free(r);
		if (i < 6) { /* rules have no update */
			r = t_call("PUT", path, t_admin_token, "{}");
			cr_assert_eq(r->status, 404, "PUT %s: %s", path, r->body);
			t_free(r);
		}
	}
}

Test(api_neutron, slaac_ports_get_the_eui64_of_their_mac_and_follow_a_mac_update)
{
	char *net = post("networks", t_admin_token, "{\"network\":{\"name\":\"v6\"}}", "network/id");
	char body[512], *port;
	t_resp *r;

	snprintf(body, sizeof(body),
		 "{\"subnet\":{\"network_id\":\"%s\",\"cidr\":\"2001:db8::/64\",\"ip_version\":6,"
		 "\"ipv6_ra_mode\":\"slaac\",\"ipv6_address_mode\":\"slaac\"}}", net);
	free(post("subnets", t_admin_token, body, "subnet/id"));
	snprintf(body, sizeof(body), "{\"port\":{\"network_id\":\"%s\",\"mac_address\":\"fa:16:3e:12:34:56\"}}", net);
	port = post("ports", t_admin_token, body, "port/id");
	r = t_call("GET", fmt(V "/ports/%s", port), t_admin_token, NULL);
	cr_assert_str_eq(t_str(r->json, "port/fixed_ips/0/ip_address"), "2001:db8::f816:3eff:fe12:3456");
	t_free(r);
	r = t_call("PUT", fmt(V "/ports/%s", port), t_admin_token, "{\"port\":{\"mac_address\":\"fa:16:3e:00:00:01\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "port/mac_address"), "fa:16:3e:00:00:01");
	cr_assert_str_eq(t_str(r->json, "port/fixed_ips/0/ip_address"), "2001:db8::f816:3eff:fe00:1");
	t_free(r);
	r = t_call("PUT", fmt(V "/ports/%s", port), t_admin_token, "{\"port\":{\"binding:host_id\":\"compute-1\"}}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	t_free(r);
	r = t_call("PUT", fmt(V "/ports/%s", port), t_admin_token, "{\"port\":{\"mac_address\":\"fa:16:3e:00:00:02\"}}");
	cr_assert_eq(r->status, 409, "a bound port keeps its MAC: %s", r->body);
	t_free(r);
	free(port);
	free(net);
}
