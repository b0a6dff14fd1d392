/* Helpers for the compute tests. */
#include "ctest.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

char *ct_dir;
lc_cloud *ct_cloud;
lc_compute_driver *ct_fake;
lc_session *ct_admin, *ct_alice, *ct_bob, *ct_carol;
char ct_demo[LC_ID_LEN + 1], ct_other[LC_ID_LEN + 1];
char ct_image[LC_ID_LEN + 1];

static lc_session *login(const char *user, const char *password, const char *project)
{
	lc_auth_opts a = LC_AUTH_OPTS_INIT;
	lc_session *s = NULL;

	a.user_name = user;
	a.user_domain_id = "default";
	a.password = password;
	a.scope = LC_SCOPE_PROJECT;
	a.project_name = project;
	a.project_domain_id = "default";
	cr_assert_eq(lc_session_password(&s, ct_cloud, &a), 0, "login %s: %s", user, lc_error_last()->message);
	return s;
}

static void make_user(const char *project_id, const char *name, const char *role)
{
	lc_user_opts u = LC_USER_OPTS_INIT;
	lc_grant g = LC_GRANT_INIT;
	lc_user *usr;
	lc_role *r;

	u.name = name;
	u.password = "secret-password";
	u.default_project_id = project_id;
	cr_assert_eq(lc_user_create(&usr, ct_admin, &u), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_role_find(&r, ct_admin, role), 0);
	g.role_id = lc_role_id(r);
	g.user_id = lc_user_id(usr);
	g.project_id = project_id;
	cr_assert_eq(lc_role_grant(ct_admin, &g), 0, "%s", lc_error_last()->message);
	lc_role_free(r);
	lc_user_free(usr);
}

static void open_cloud_prep(int create, void (*prep)(void))
{
	lc_cloud_opts o = LC_CLOUD_OPTS_INIT;

	o.pwhash_strength = LC_PWHASH_MIN;
	cr_assert_eq(lc_cloud_new(&ct_cloud, &o), 0);
	cr_assert_eq(lc_compute_fake_new(&ct_fake, "fake"), 0);
	cr_assert_eq(lc_cloud_add_driver(ct_cloud, &ct_fake->base), 0);
	if (prep)
		prep();
	cr_assert_eq(lc_cloud_open(ct_cloud, ct_dir, (create ? LC_CLOUD_OPEN_CREATE : 0) | LC_CLOUD_OPEN_NOSYNC), 0,
		     "%s", lc_error_last()->message);
}

static void open_cloud(int create)
{
	open_cloud_prep(create, NULL);
}

static void sessions(void)
{
	ct_admin = login("admin", "admin-secret", "admin");
	ct_alice = login("alice", "secret-password", "demo");
	ct_carol = login("carol", "secret-password", "demo");
	ct_bob = login("bob", "secret-password", "other");
}

void ct_setup(void)
{
	lc_bootstrap_opts b = LC_BOOTSTRAP_OPTS_INIT;
	lc_project_opts p = LC_PROJECT_OPTS_INIT;
	lc_project *prj;

	ct_dir = lct_tmpdir();
	open_cloud(1);
	b.admin_password = "admin-secret";
	cr_assert_eq(lc_cloud_bootstrap(ct_cloud, &b), 0, "%s", lc_error_last()->message);
	ct_admin = login("admin", "admin-secret", "admin");
	p.name = "demo";
	cr_assert_eq(lc_project_create(&prj, ct_admin, &p), 0);
	snprintf(ct_demo, sizeof(ct_demo), "%s", lc_project_id(prj));
	lc_project_free(prj);
	p.name = "other";
	cr_assert_eq(lc_project_create(&prj, ct_admin, &p), 0);
	snprintf(ct_other, sizeof(ct_other), "%s", lc_project_id(prj));
	lc_project_free(prj);
	make_user(ct_demo, "alice", "member");
	make_user(ct_demo, "carol", "member");
	make_user(ct_other, "bob", "member");
	lc_session_free(ct_admin);
	sessions();
	{
		const char *props[] = { NULL };
		lc_image_opts o = LC_IMAGE_OPTS_INIT;
		lc_image *img;

		(void)props;
		o.visibility = "public";
		o.name = "cirros";
		o.disk_format = "raw";
		o.container_format = "bare";
		cr_assert_eq(lc_image_create(&img, ct_admin, &o), 0, "%s", lc_error_last()->message);
		snprintf(ct_image, sizeof(ct_image), "%s", lc_image_id(img));
		lc_image_free(img);
		{
			char path[4096];
			FILE *f;

			snprintf(path, sizeof(path), "%s/cirros.raw", ct_dir);
			f = fopen(path, "wb");
			for (int i = 0; i < 65536; i++)
				fputc(0, f);
			fclose(f);
			cr_assert_eq(lc_image_upload_file(NULL, ct_admin, ct_image, path, NULL), 0, "%s",
				     lc_error_last()->message);
		}
	}
}

void ct_make_image(char id[LC_ID_LEN + 1], lc_session *s, const char *name, size_t bytes, int64_t min_disk,
		   int64_t min_ram, const char *const *props)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	lc_image *img;
	char path[4096];
	FILE *f;

	o.name = name;
	o.disk_format = "raw";
	o.container_format = "bare";
	o.min_disk_gib = min_disk;
	o.min_ram_mib = min_ram;
	o.properties = props;
	cr_assert_eq(lc_image_create(&img, s, &o), 0, "%s", lc_error_last()->message);
	snprintf(id, LC_ID_LEN + 1, "%s", lc_image_id(img));
	lc_image_free(img);
	if (bytes == 0)
		return;
	snprintf(path, sizeof(path), "%s/%s.raw", ct_dir, id);
	f = fopen(path, "wb");
	for (size_t i = 0; i < bytes; i++)
		fputc(0, f);
	fclose(f);
	cr_assert_eq(lc_image_upload_file(NULL, s, id, path, NULL), 0, "%s", lc_error_last()->message);
}

void ct_close(void)
{
	lc_session_free(ct_admin);
	lc_session_free(ct_alice);
	lc_session_free(ct_bob);
	lc_session_free(ct_carol);
	lc_cloud_free(ct_cloud);
	ct_admin = ct_alice = ct_bob = ct_carol = NULL;
	ct_cloud = NULL;
	ct_fake = NULL;
}

void ct_open(void (*prep)(void))
{
	open_cloud_prep(0, prep);
	sessions();
}

void ct_reopen(void)
{
	ct_close();
	ct_open(NULL);
}

void ct_teardown(void)
{
	lc_session_free(ct_admin);
	lc_session_free(ct_alice);
	lc_session_free(ct_bob);
	lc_session_free(ct_carol);
	lc_cloud_free(ct_cloud);
	lct_rmtree(ct_dir);
}

void ct_host(const char *name, int vcpus, int memory_mib, int disk_gib)
{
	lc_compute_host_opts o = LC_COMPUTE_HOST_OPTS_INIT;
	char uri[256];

	snprintf(uri, sizeof(uri), "fake://%s?vcpus=%d&memory_mib=%d&disk_gib=%d", name, vcpus, memory_mib,
		 disk_gib);
	o.name = name;
	o.driver = "fake";
	o.uri = uri;
	o.cpu_allocation_ratio = 1.0;
	o.ram_allocation_ratio = 1.0;
	o.disk_allocation_ratio = 1.0;
	cr_assert_eq(lc_compute_host_create(NULL, ct_admin, &o), 0, "%s", lc_error_last()->message);
}

void ct_flavor(const char *name, int vcpus, int ram_mib, int disk_gib)
{
	lc_flavor_opts o = LC_FLAVOR_OPTS_INIT;

	o.id = name;
	o.name = name;
	o.vcpus = vcpus;
	o.ram_mib = ram_mib;
	o.disk_gib = disk_gib;
	cr_assert_eq(lc_flavor_create(NULL, ct_admin, &o), 0, "%s", lc_error_last()->message);
}

int ct_server(lc_server **out, lc_session *s, const char *name, const char *flavor)
{
	lc_server_opts o = LC_SERVER_OPTS_INIT;

	o.name = name;
	o.flavor_id = flavor;
	o.image_id = ct_image;
	return lc_server_create(out, s, &o);
}

int64_t ct_used(const char *project, int kind)
{
	int64_t limit = 0, used = -1;

	cr_assert_eq(lc_quota_get(&limit, &used, ct_admin, project, kind), 0);
	return used;
}
