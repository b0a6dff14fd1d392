#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Nova v2.1 responses of lc-httpd checked against tempest's response schemas
(tempest/lib/api_schema/response/compute/v2_1, additionalProperties false and
status codes included), with a compute host on the fake driver.

    nova_schemas.py PATH/TO/lc-httpd

tempest comes from Debian's python3-tempest, or from a directory named by
$TEMPEST_PATH (e.g. the package extracted with dpkg-deb -x). Exits 77
(skipped) when neither is there.
"""
import json, os, subprocess, sys, time, urllib.request, urllib.error, socket, tempfile, shutil

if os.environ.get("TEMPEST_PATH"):
    sys.path.insert(0, os.environ["TEMPEST_PATH"])
try:
    import jsonschema
    from tempest.lib.api_schema.response.compute.v2_1 import (servers, flavors, keypairs, hypervisors, aggregates,
        limits, availability_zone, services, server_groups, quotas, flavors_extra_specs, flavors_access)
except ImportError as e:
    print("nova_schemas: tempest or jsonschema is not installed (%s): skipped" % e)
    sys.exit(77)
httpd = sys.argv[1]
d = tempfile.mkdtemp()
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
env = dict(os.environ, LC_ADMIN_PASSWORD="pw")
p = subprocess.Popen([httpd, "--listen", f"127.0.0.1:{port}", "--data", d + "/c", "--quiet",
                      "--compute-host", "node1=fake:fake://node1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        break
    except OSError:
        time.sleep(0.1)
base = f"http://127.0.0.1:{port}"
def call(method, path, body=None, token=None, status=None):
    data = json.dumps(body).encode() if body is not None else None
    r = urllib.request.Request(base + path, data=data, method=method)
    r.add_header("Content-Type", "application/json")
    if token: r.add_header("X-Auth-Token", token)
    try:
        resp = urllib.request.urlopen(r)
        code, txt, hdr = resp.status, resp.read(), resp.headers
    except urllib.error.HTTPError as e:
        code, txt, hdr = e.code, e.read(), e.headers
    return code, (json.loads(txt) if txt else None), hdr
code, body, hdr = call("POST", "/v3/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"name": "Default"}, "password": "pw"}}}, "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}})
tok = hdr["X-Subject-Token"]
fails = 0
def check(name, schema, code, body):
    global fails
    try:
        if code not in schema["status_code"]:
            raise Exception(f"status {code} not in {schema['status_code']}: {body}")
        if "response_body" in schema:
            jsonschema.validate(body, schema["response_body"], format_checker=jsonschema.FormatChecker())
        print("ok  ", name)
    except Exception as e:
        fails += 1
        print("FAIL", name, str(e)[:600])
V = "/compute/v2.1"
c, b, _ = call("POST", V + "/flavors", {"flavor": {"name": "m1", "ram": 256, "vcpus": 1, "disk": 1, "id": None}}, tok); check("create flavor", flavors.create_update_get_flavor_details, c, b)
fid = b["flavor"]["id"]
c, b, _ = call("GET", V + "/flavors", token=tok); check("list flavors", flavors.list_flavors, c, b)
c, b, _ = call("GET", V + "/flavors/detail", token=tok); check("list flavors detail", flavors.list_flavors_details, c, b)
c, b, _ = call("POST", V + f"/flavors/{fid}/os-extra_specs", {"extra_specs": {"a": "b"}}, tok); check("set extra specs", flavors_extra_specs.set_get_flavor_extra_specs, c, b)
c, b, _ = call("GET", V + f"/flavors/{fid}/os-extra_specs/a", token=tok); check("get extra spec key", flavors_extra_specs.set_get_flavor_extra_specs_key, c, b)
c, b, _ = call("DELETE", V + f"/flavors/{fid}/os-extra_specs/a", token=tok); check("unset extra spec", flavors_extra_specs.unset_flavor_extra_specs, c, b)
c, b, _ = call("POST", V + "/flavors", {"flavor": {"name": "priv", "ram": 256, "vcpus": 1, "disk": 1, "os-flavor-access:is_public": False}}, tok)
pfid = b["flavor"]["id"]
c, b, _ = call("GET", V + f"/flavors/{pfid}/os-flavor-access", token=tok); check("flavor access list", flavors_access.add_remove_list_flavor_access, c, b)
c, b, _ = call("POST", V + "/os-keypairs", {"keypair": {"name": "k1"}}, tok); check("create keypair", keypairs.create_keypair, c, b)
c, b, _ = call("GET", V + "/os-keypairs/k1", token=tok); check("get keypair", keypairs.get_keypair, c, b)
c, b, _ = call("GET", V + "/os-keypairs", token=tok); check("list keypairs", keypairs.list_keypairs, c, b)
# an image through glance
c, b, _ = call("POST", "/image/v2/images", {"name": "img", "disk_format": "raw", "container_format": "bare", "visibility": "public"}, tok)
iid = b["id"]
r = urllib.request.Request(base + f"/image/v2/images/{iid}/file", data=b"\0" * 4096, method="PUT")
r.add_header("Content-Type", "application/octet-stream"); r.add_header("X-Auth-Token", tok); urllib.request.urlopen(r)
c, b, _ = call("POST", V + "/servers", {"server": {"name": "vm", "imageRef": iid, "flavorRef": fid, "key_name": "k1", "metadata": {"x": "y"}}}, tok); check("create server", servers.create_server_with_admin_pass, c, b)
sid = b["server"]["id"]
c, b, _ = call("GET", V + f"/servers/{sid}", token=tok); check("get server", servers.get_server, c, b)
c, b, _ = call("GET", V + "/servers", token=tok); check("list servers", servers.list_servers, c, b)
c, b, _ = call("GET", V + "/servers/detail", token=tok); check("list servers detail", servers.list_servers_detail, c, b)
c, b, _ = call("PUT", V + f"/servers/{sid}", {"server": {"name": "vm2"}}, token=tok); check("update server", servers.update_server, c, b)
c, b, _ = call("POST", V + f"/servers/{sid}/action", {"rebuild": {"imageRef": iid}}, tok); check("rebuild server", servers.rebuild_server_with_admin_pass, c, b)
c, b, _ = call("GET", V + f"/servers/{sid}/os-instance-actions", token=tok); check("list instance actions", servers.list_instance_actions, c, b)
rid = b["instanceActions"][0]["request_id"]
c, b, _ = call("GET", V + f"/servers/{sid}/os-instance-actions/{rid}", token=tok); check("show instance action", servers.show_instance_action, c, b)
c, b, _ = call("GET", V + "/os-hypervisors", token=tok); check("list hypervisors", hypervisors.list_search_hypervisors, c, b)
c, b, _ = call("GET", V + "/os-hypervisors/detail", token=tok); check("list hypervisors detail", hypervisors.list_hypervisors_detail, c, b)
hid = b["hypervisors"][0]["id"]
c, b, _ = call("GET", V + f"/os-hypervisors/{hid}", token=tok); check("get hypervisor", hypervisors.get_hypervisor, c, b)
c, b, _ = call("GET", V + "/os-hypervisors/statistics", token=tok); check("hypervisor stats", hypervisors.get_hypervisor_statistics, c, b)
c, b, _ = call("GET", V + "/os-services", token=tok); check("list services", services.list_services, c, b)
c, b, _ = call("PUT", V + "/os-services/disable", {"host": "node1", "binary": "nova-compute"}, tok); check("disable service", services.enable_disable_service, c, b)
c, b, _ = call("PUT", V + "/os-services/enable", {"host": "node1", "binary": "nova-compute"}, tok); check("enable service", services.enable_disable_service, c, b)
c, b, _ = call("POST", V + "/os-aggregates", {"aggregate": {"name": "a1", "availability_zone": "az1"}}, tok); check("create aggregate", aggregates.create_aggregate, c, b)
aid = b["aggregate"]["id"]
c, b, _ = call("GET", V + f"/os-aggregates/{aid}", token=tok); check("get aggregate", aggregates.get_aggregate, c, b)
c, b, _ = call("POST", V + f"/os-aggregates/{aid}/action", {"add_host": {"host": "node1"}}, tok); check("add host", aggregates.aggregate_add_remove_host, c, b)
c, b, _ = call("POST", V + f"/os-aggregates/{aid}/action", {"set_metadata": {"metadata": {"k": "v"}}}, tok); check("set metadata", aggregates.aggregate_set_metadata, c, b)
c, b, _ = call("PUT", V + f"/os-aggregates/{aid}", {"aggregate": {"name": "a2"}}, tok); check("update aggregate", aggregates.update_aggregate, c, b)
c, b, _ = call("GET", V + "/os-aggregates", token=tok); check("list aggregates", aggregates.list_aggregates, c, b)
c, b, _ = call("GET", V + "/os-availability-zone", token=tok); check("az list", availability_zone.list_availability_zone_list, c, b)
c, b, _ = call("GET", V + "/os-availability-zone/detail", token=tok); check("az detail", availability_zone.list_availability_zone_list_detail, c, b)
c, b, _ = call("POST", V + f"/os-aggregates/{aid}/action", {"remove_host": {"host": "node1"}}, tok); check("remove host", aggregates.aggregate_add_remove_host, c, b)
c, b, _ = call("DELETE", V + f"/os-aggregates/{aid}", token=tok); check("delete aggregate", aggregates.delete_aggregate, c, b)
c, b, _ = call("GET", V + "/limits", token=tok); check("limits", limits.get_limit, c, b)
c, b, _ = call("POST", V + "/os-server-groups", {"server_group": {"name": "g", "policies": ["affinity"]}}, tok); check("create group", server_groups.create_show_server_group, c, b)
gid = b["server_group"]["id"]
c, b, _ = call("GET", V + f"/os-server-groups/{gid}", token=tok); check("show group", server_groups.create_show_server_group, c, b)
c, b, _ = call("GET", V + "/os-server-groups", token=tok); check("list groups", server_groups.list_server_groups, c, b)
c, b, _ = call("DELETE", V + f"/os-server-groups/{gid}", token=tok); check("delete group", server_groups.delete_server_group, c, b)
code, body, hdr = call("GET", "/v3/auth/tokens", token=tok)
pid = None
c, b, _ = call("GET", "/v3/projects?name=admin", token=tok); pid = b["projects"][0]["id"]
c, b, _ = call("GET", V + f"/os-quota-sets/{pid}", token=tok); check("get quota set", quotas.get_quota_set, c, b)
c, b, _ = call("PUT", V + f"/os-quota-sets/{pid}", {"quota_set": {"instances": 20}}, tok); check("update quota set", quotas.update_quota_set, c, b)
c, b, _ = call("GET", V + f"/os-quota-sets/{pid}/detail", token=tok); check("quota detail", quotas.get_quota_set_details, c, b)
c, b, _ = call("DELETE", V + f"/os-keypairs/k1", token=tok); check("delete keypair", keypairs.delete_keypair, c, b)
c, b, _ = call("DELETE", V + f"/servers/{sid}", token=tok); check("delete server", servers.delete_server, c, b)
c, b, _ = call("DELETE", V + f"/flavors/{fid}", token=tok); check("delete flavor", flavors.delete_flavor, c, b)
p.terminate(); p.wait()
shutil.rmtree(d, ignore_errors=True)
print("nova_schemas: %d failures" % fails)
sys.exit(1 if fails else 0)
