/*
 * quickstart: build a small cloud in a directory and show what was done.
 *
 *   quickstart [DIR]      DIR defaults to a fresh temporary directory
 *
 * It opens (or creates) the cloud, bootstraps the administrator, creates a
 * project and a user with the member role, authenticates as that user,
 * validates the token, sets a quota, uploads a small image as that user and
 * reads it back, boots a server from it on libvirt's test:///default
 * hypervisor (in process, no daemon), stops and deletes it, builds a
 * network topology (an external network, a private network and subnet, a
 * router with a gateway and an interface, a port with a floating IP), and
 * prints the change log.
 */
#include <libcloud/libcloud.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(call)                                                                         \
	do {                                                                                \
		int rc_ = (call);                                                           \
		if (rc_ < 0) {                                                              \
			fprintf(stderr, "quickstart: %s failed: %s (%s)\n", #call,          \
				lc_strerror(rc_), lc_error_last()->message);                \
			goto out;                                                           \
		}                                                                           \
	} while (0)

/* The same, leaving the networking block through its own clean-up. */
#define NET_CHECK(call)                                                                     \
	do {                                                                                \
		int rc_ = (call);                                                           \
		if (rc_ < 0) {                                                              \
			fprintf(stderr, "quickstart: %s failed: %s (%s)\n", #call,          \
				lc_strerror(rc_), lc_error_last()->message);                \
			goto out_net;                                                       \
		}                                                                           \
	} while (0)

/* The data of the quickstart's image, handed to lc_image_upload() piece by piece. */
struct blob {
	const char *p;
	size_t len, off;
};

static int blob_read(size_t *out_len, void *buf, size_t cap, void *payload)
{
	struct blob *b = payload;
	size_t n = b->len - b->off < cap ? b->len - b->off : cap;

	memcpy(buf, b->p + b->off, n);
	b->off += n;
	*out_len = n;
	return 0;
}

static int count_bytes(const void *buf, size_t len, void *payload)
{
	(void)buf;
	*(size_t *)payload += len;
	return 0;
}

static const char *event_name(int type)
{
	return type == LC_EVENT_CREATE ? "create" : type == LC_EVENT_UPDATE ? "update" : "delete";
}

int main(int argc, char **argv)
{
	char tmpl[] = "/tmp/libcloud-quickstart-XXXXXX";
	const char *dir = argc > 1 ? argv[1] : mkdtemp(tmpl);
	lc_cloud_opts copts = LC_CLOUD_OPTS_INIT;
	lc_bootstrap_opts bopts = LC_BOOTSTRAP_OPTS_INIT;
	lc_project_opts popts = LC_PROJECT_OPTS_INIT;
	lc_user_opts uopts = LC_USER_OPTS_INIT;
	lc_auth_opts aopts = LC_AUTH_OPTS_INIT;
	lc_grant grant = LC_GRANT_INIT;
	lc_cloud *cloud = NULL;
	lc_session *admin = NULL, *alice = NULL, *check = NULL;
	lc_project *demo = NULL;
	lc_user *user = NULL;
	lc_role *member = NULL;
	lc_event_iter *events = NULL;
	lc_event *ev = NULL;
	lc_image *img = NULL;
	lc_image_opts iopts = LC_IMAGE_OPTS_INIT;
	static const char tiny[] = "a tiny raw disk made by the quickstart\n";
	struct blob disk = { tiny, sizeof(tiny) - 1, 0 };
	char image_id[LC_ID_LEN + 1];
	size_t got = 0;
	lc_compute_host *host = NULL;
	lc_compute_host_opts hopts = LC_COMPUTE_HOST_OPTS_INIT;
	lc_flavor_opts fopts = LC_FLAVOR_OPTS_INIT;
	lc_server_opts sopts = LC_SERVER_OPTS_INIT;
	lc_server *srv = NULL;
	char server_id[LC_ID_LEN + 1];
	int64_t limit = 0, used = 0;
	int status = 1;

	if (dir == NULL) {
		perror("quickstart: mkdtemp");
		return 1;
	}
	printf("libcloud %s: building a small cloud in %s\n", LC_VERSION_STRING, dir);

	CHECK(lc_cloud_new(&cloud, &copts));
	CHECK(lc_cloud_open(cloud, dir, LC_CLOUD_OPEN_CREATE));
	printf("  opened the cloud (metadata in %s/meta, token keys in %s/keys)\n", dir, dir);

	bopts.admin_password = "quickstart-admin-secret";
	CHECK(lc_cloud_bootstrap(cloud, &bopts));
	printf("  bootstrapped: roles admin/member/reader, project 'admin', user 'admin'\n");

	aopts.user_name = "admin";
	aopts.user_domain_id = LC_DEFAULT_DOMAIN_ID;
	aopts.password = bopts.admin_password;
	aopts.scope = LC_SCOPE_PROJECT;
	aopts.project_name = "admin";
	aopts.project_domain_id = LC_DEFAULT_DOMAIN_ID;
	CHECK(lc_session_password(&admin, cloud, &aopts));
	printf("  admin authenticated: token %.24s... expires at %lld\n", lc_session_token_id(admin),
	       (long long)lc_session_expires_at(admin));

	if (lc_project_find(&demo, admin, NULL, "demo") == LC_ENOTFOUND) {
		popts.name = "demo";
		popts.description = "A project made by the quickstart";
		CHECK(lc_project_create(&demo, admin, &popts));
	}
	printf("  project demo: %s\n", lc_project_id(demo));

	if (lc_user_find(&user, admin, NULL, "alice") == LC_ENOTFOUND) {
		uopts.name = "alice";
		uopts.password = "alice-secret";
		uopts.default_project_id = lc_project_id(demo);
		CHECK(lc_user_create(&user, admin, &uopts));
	}
	printf("  user alice: %s\n", lc_user_id(user));

	CHECK(lc_role_find(&member, admin, "member"));
	grant.role_id = lc_role_id(member);
	grant.user_id = lc_user_id(user);
	grant.project_id = lc_project_id(demo);
	CHECK(lc_role_grant(admin, &grant));
	printf("  granted role member to alice on demo\n");

	CHECK(lc_quota_set(admin, lc_project_id(demo), LC_QUOTA_INSTANCES, 5));
	CHECK(lc_quota_get(&limit, &used, admin, lc_project_id(demo), LC_QUOTA_INSTANCES));
	printf("  quota of demo: %s limit %lld, in use %lld\n", lc_quota_kind_name(LC_QUOTA_INSTANCES),
	       (long long)limit, (long long)used);

	aopts.user_name = "alice";
	aopts.password = "alice-secret";
	aopts.project_name = "demo";
	CHECK(lc_session_password(&alice, cloud, &aopts));
	printf("  alice authenticated on demo with %zu roles:", lc_session_role_count(alice));
	for (size_t i = 0; i < lc_session_role_count(alice); i++)
		printf(" %s", lc_session_role_name(alice, i));
	printf("\n");

	CHECK(lc_session_token(&check, cloud, lc_session_token_id(alice)));
	printf("  alice's token validates: user %s, project %s\n", lc_session_user_id(check),
	       lc_session_project_id(check));

	iopts.name = "tiny";
	iopts.disk_format = "raw";
	iopts.container_format = "bare";
	CHECK(lc_image_create(&img, alice, &iopts));
	printf("  alice created image tiny: %s (%s)\n", lc_image_id(img), lc_image_status(img));
	snprintf(image_id, sizeof(image_id), "%s", lc_image_id(img));
	CHECK(lc_image_upload(NULL, alice, image_id, NULL, blob_read, &disk));
	lc_image_free(img);
	img = NULL;
	CHECK(lc_image_get(&img, alice, image_id));
	printf("  uploaded %lld bytes: %s, md5 %s\n", (long long)lc_image_size(img), lc_image_status(img),
	       lc_image_checksum(img));
	CHECK(lc_image_download(alice, lc_image_id(img), 0, -1, count_bytes, &got));
	printf("  downloaded %zu bytes back from the file store\n", got);

	if (lc_compute_host_find(&host, admin, "test-host") == LC_ENOTFOUND) {
		hopts.name = "test-host";
		hopts.driver = "libvirt";
		hopts.uri = "test:///default";
		CHECK(lc_compute_host_create(&host, admin, &hopts));
	}
	printf("  compute host %s: %s on %s, %lld vCPUs, %lld MiB\n", lc_compute_host_name(host),
	       lc_compute_host_driver(host), lc_compute_host_uri(host), (long long)lc_compute_host_vcpus(host),
	       (long long)lc_compute_host_memory_mib(host));
	fopts.id = "m1.tiny";
	fopts.name = "m1.tiny";
	fopts.vcpus = 1;
	fopts.ram_mib = 256;
	fopts.disk_gib = 1;
	if (lc_flavor_create(NULL, admin, &fopts) == LC_EEXISTS)
		printf("  flavor m1.tiny exists already\n");

	{
		/* networking: the operator's external network, alice's private one behind a router */
		const char *ext_filter[] = { "name", "public", "router:external", "true", NULL };
		lc_list_opts lopts = LC_LIST_OPTS_INIT;
		lc_network_opts nopts = LC_NETWORK_OPTS_INIT;
		lc_subnet_opts snopts = LC_SUBNET_OPTS_INIT;
		lc_router_opts ropts = LC_ROUTER_OPTS_INIT;
		lc_floating_ip_opts fopts2 = LC_FLOATING_IP_OPTS_INIT;
		lc_network_iter *nit = NULL;
		lc_network *pub = NULL, *priv = NULL;
		lc_subnet *sub = NULL;
		lc_router *rtr = NULL;
		lc_port *ifport = NULL;
		lc_server_addresses *addrs = NULL;
		lc_floating_ip *fip = NULL;
		int ok = 0;

		lopts.filters = ext_filter;
		if (lc_network_iter_new(&nit, admin, &lopts) == 0 && lc_network_iter_next(&pub, nit) == 0) {
			printf("  external network public exists: %s\n", lc_network_id(pub));
		} else {
			nopts.name = "public";
			nopts.external = 1;
			NET_CHECK(lc_network_create(&pub, admin, &nopts));
			snopts.network_id = lc_network_id(pub);
			snopts.cidr = "203.0.113.0/24";
			snopts.enable_dhcp = 0;
			NET_CHECK(lc_subnet_create(&sub, admin, &snopts));
			printf("  admin created external network public %s with subnet %s\n", lc_network_id(pub),
			       lc_subnet_cidr(sub));
			lc_subnet_free(sub);
			sub = NULL;
		}
		nopts = (lc_network_opts)LC_NETWORK_OPTS_INIT;
		nopts.name = "private";
		NET_CHECK(lc_network_create(&priv, alice, &nopts));
		snopts = (lc_subnet_opts)LC_SUBNET_OPTS_INIT;
		snopts.network_id = lc_network_id(priv);
		snopts.cidr = "10.0.0.0/24";
		NET_CHECK(lc_subnet_create(&sub, alice, &snopts));
		printf("  alice created network private (%s %lld) with subnet %s, gateway %s, pool %s-%s\n",
		       lc_network_type(priv), (long long)lc_network_segmentation_id(priv), lc_subnet_cidr(sub),
		       lc_subnet_gateway_ip(sub), lc_subnet_pool_start(sub, 0), lc_subnet_pool_end(sub, 0));
		ropts.name = "router";
		ropts.external_network_id = lc_network_id(pub);
		NET_CHECK(lc_router_create(&rtr, alice, &ropts));
		NET_CHECK(lc_router_add_interface(&ifport, alice, lc_router_id(rtr), lc_subnet_id(sub), NULL));
		printf("  router %s: gateway %s on public, interface %s on private\n", lc_router_id(rtr),
		       lc_router_external_ip_address(rtr, 0), lc_port_fixed_ip_address(ifport, 0));
		{
			lc_server_nic nic = { lc_network_id(priv), NULL, NULL };

			sopts.name = "hello";
			sopts.flavor_id = "m1.tiny";
			sopts.image_id = image_id;
			sopts.nics = &nic;
			sopts.nics_count = 1;
			NET_CHECK(lc_server_create(&srv, alice, &sopts));
		}
		snprintf(server_id, sizeof(server_id), "%s", lc_server_id(srv));
		printf("  alice booted server hello on private: %s on %s, status %s (vm_state %s, power state %d)\n",
		       server_id, lc_server_host(srv), lc_server_status(srv), lc_server_vm_state(srv),
		       lc_server_power_state(srv));
		NET_CHECK(lc_server_addresses_get(&addrs, alice, server_id));
		fopts2.floating_network_id = lc_network_id(pub);
		fopts2.port_id = lc_server_addresses_port_id(addrs, 0);
		NET_CHECK(lc_floating_ip_create(&fip, alice, &fopts2));
		lc_server_addresses_free(addrs);
		NET_CHECK(lc_server_addresses_get(&addrs, alice, server_id));
		for (size_t i = 0; i < lc_server_addresses_count(addrs); i++)
			printf("    %s address %s on %s (port %s, MAC %s)\n",
			       lc_server_addresses_floating(addrs, i) ? "floating" : "fixed   ",
			       lc_server_addresses_addr(addrs, i), lc_server_addresses_network_name(addrs, i),
			       lc_server_addresses_port_id(addrs, i), lc_server_addresses_mac(addrs, i));
		printf("  floating IP %s reaches the server through the router (%s)\n", lc_floating_ip_address(fip),
		       lc_floating_ip_status(fip));
		lc_server_free(srv);
		srv = NULL;
		NET_CHECK(lc_server_stop(alice, server_id, 0));
		NET_CHECK(lc_server_get(&srv, alice, server_id));
		printf("  stopped it: status %s (power state %d)\n", lc_server_status(srv), lc_server_power_state(srv));
		NET_CHECK(lc_server_delete(alice, server_id, 0));
		printf("  deleted it: its port went with it, the floating IP stays for the next one\n");
		ok = 1;
	out_net:
		lc_floating_ip_free(fip);
		lc_server_addresses_free(addrs);
		lc_port_free(ifport);
		lc_router_free(rtr);
		lc_subnet_free(sub);
		lc_network_free(priv);
		lc_network_free(pub);
		lc_network_iter_free(nit);
		if (!ok)
			goto out;
	}

	printf("  change log:\n");
	CHECK(lc_event_iter_new(&events, admin, 0));
	while (lc_event_iter_next(&ev, events) == 0) {
		printf("    #%-3llu %-6s %-16s %s\n", (unsigned long long)lc_event_seq(ev),
		       event_name(lc_event_type_of(ev)), lc_event_kind(ev), lc_event_resource_id(ev));
		lc_event_free(ev);
	}
	printf("done: the cloud lives in %s (run again to reuse it)\n", dir);
	status = 0;
out:
	lc_server_free(srv);
	lc_compute_host_free(host);
	lc_image_free(img);
	lc_event_iter_free(events);
	lc_role_free(member);
	lc_user_free(user);
	lc_project_free(demo);
	lc_session_free(check);
	lc_session_free(alice);
	lc_session_free(admin);
	lc_cloud_free(cloud);
	return status;
}
