/* Helpers for the network tests. */
#include "nettest.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define ADMIN_PASSWORD "s3cret-admin"
#define USER_PASSWORD "pw-of-a-user"

char *n_dir;
lc_cloud *n_cloud;
lc_session *n_sys;
lc_session *n_admin;

static void open_cloud(const lc_network_service_opts *conf, lc_network_driver *drv, int bootstrap)
{
	lc_cloud_opts co = LC_CLOUD_OPTS_INIT;
	lc_bootstrap_opts bo = LC_BOOTSTRAP_OPTS_INIT;
	lc_auth_opts ao = LC_AUTH_OPTS_INIT;

	co.pwhash_strength = LC_PWHASH_MIN;
	cr_assert_eq(lc_cloud_new(&n_cloud, &co), 0);
	if (conf)
		cr_assert_eq(lc_network_service_configure(n_cloud, conf), 0, "%s", lc_error_last()->message);
	if (drv)
		cr_assert_eq(lc_cloud_add_driver(n_cloud, &drv->base), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_cloud_open(n_cloud, n_dir, LC_CLOUD_OPEN_CREATE | LC_CLOUD_OPEN_NOSYNC), 0, "%s",
		     lc_error_last()->message);
	bo.admin_password = ADMIN_PASSWORD;
	if (bootstrap)
		cr_assert_eq(lc_cloud_bootstrap(n_cloud, &bo), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_session_system(&n_sys, n_cloud), 0);
	ao.user_name = "admin";
	ao.user_domain_id = "default";
	ao.password = ADMIN_PASSWORD;
	ao.scope = LC_SCOPE_PROJECT;
	ao.project_name = "admin";
	ao.project_domain_id = "default";
	cr_assert_eq(lc_session_password(&n_admin, n_cloud, &ao), 0, "%s", lc_error_last()->message);
}

void n_setup_conf(const lc_network_service_opts *conf, lc_network_driver *drv)
{
	n_dir = lct_tmpdir();
	cr_assert_not_null(n_dir);
	open_cloud(conf, drv, 1);
}

void n_setup_with(lc_network_driver *drv)
{
	n_setup_conf(NULL, drv);
}

void n_reopen(const lc_network_service_opts *conf, lc_network_driver *drv)
{
	lc_session_free(n_admin);
	lc_session_free(n_sys);
	n_admin = n_sys = NULL;
	lc_cloud_free(n_cloud);
	n_cloud = NULL;
	open_cloud(conf, drv, 0);
}

void n_setup(void)
{
	n_setup_with(NULL);
}

void n_teardown(void)
{
	lc_session_free(n_admin);
	lc_session_free(n_sys);
	n_admin = n_sys = NULL;
	lc_cloud_free(n_cloud);
	n_cloud = NULL;
	lct_rmtree(n_dir);
	n_dir = NULL;
}

lc_session *n_project(const char *name, const char *role, char project_id[37])
{
	lc_project_opts po = LC_PROJECT_OPTS_INIT;
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_auth_opts ao = LC_AUTH_OPTS_INIT;
	lc_grant g = LC_GRANT_INIT;
	lc_project *p = NULL;
	lc_user *u = NULL;
	lc_role *r = NULL;
	lc_session *s = NULL;
	char uname[64];

	po.name = name;
	cr_assert_eq(lc_project_create(&p, n_sys, &po), 0, "%s", lc_error_last()->message);
	snprintf(uname, sizeof(uname), "%s-%s", name, role);
	uo.name = uname;
	uo.password = USER_PASSWORD;
	cr_assert_eq(lc_user_create(&u, n_sys, &uo), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_role_find(&r, n_sys, role), 0, "%s", lc_error_last()->message);
	g.role_id = lc_role_id(r);
	g.user_id = lc_user_id(u);
	g.project_id = lc_project_id(p);
	cr_assert_eq(lc_role_grant(n_sys, &g), 0, "%s", lc_error_last()->message);
	ao.user_name = uname;
	ao.user_domain_id = "default";
	ao.password = USER_PASSWORD;
	ao.scope = LC_SCOPE_PROJECT;
	ao.project_id = lc_project_id(p);
	cr_assert_eq(lc_session_password(&s, n_cloud, &ao), 0, "%s", lc_error_last()->message);
	if (project_id)
		snprintf(project_id, 37, "%s", lc_project_id(p));
	lc_project_free(p);
	lc_user_free(u);
	lc_role_free(r);
	return s;
}

uint64_t n_seq(void)
{
	lc_event_iter *it = NULL;
	lc_event *e = NULL;
	uint64_t last = 0;

	cr_assert_eq(lc_event_iter_new(&it, n_sys, 0), 0);
	while (lc_event_iter_next(&e, it) == 0) {
		last = lc_event_seq(e);
		lc_event_free(e);
	}
	lc_event_iter_free(it);
	return last;
}

lc_network *n_net(lc_session *s, const char *name)
{
	lc_network_opts o = LC_NETWORK_OPTS_INIT;
	lc_network *n = NULL;

	o.name = name;
	cr_assert_eq(lc_network_create(&n, s, &o), 0, "%s", lc_error_last()->message);
	return n;
}

lc_subnet *n_subnet(lc_session *s, const char *network_id, const char *cidr)
{
	lc_subnet_opts o = LC_SUBNET_OPTS_INIT;
	lc_subnet *sn = NULL;

	o.network_id = network_id;
	o.cidr = cidr;
	cr_assert_eq(lc_subnet_create(&sn, s, &o), 0, "%s: %s", cidr, lc_error_last()->message);
	return sn;
}

lc_port *n_port(lc_session *s, const char *network_id)
{
	lc_port_opts o = LC_PORT_OPTS_INIT;
	lc_port *p = NULL;

	o.network_id = network_id;
	cr_assert_eq(lc_port_create(&p, s, &o), 0, "%s", lc_error_last()->message);
	return p;
}

lc_network *n_external(const char *name, const char *cidr)
{
	lc_network_opts o = LC_NETWORK_OPTS_INIT;
	lc_network *n = NULL, *again = NULL;

	o.name = name;
	o.external = 1;
	cr_assert_eq(lc_network_create(&n, n_admin, &o), 0, "%s", lc_error_last()->message);
	lc_subnet_free(n_subnet(n_admin, lc_network_id(n), cidr));
	cr_assert_eq(lc_network_get(&again, n_admin, lc_network_id(n)), 0);
	lc_network_free(n);
	return again;
}

size_t n_count_networks(lc_session *s)
{
	lc_network_iter *it = NULL;
	lc_network *n = NULL;
	size_t c = 0;

	cr_assert_eq(lc_network_iter_new(&it, s, NULL), 0, "%s", lc_error_last()->message);
	while (lc_network_iter_next(&n, it) == 0) {
		c++;
		lc_network_free(n);
	}
	lc_network_iter_free(it);
	return c;
}

size_t n_count_ports(lc_session *s)
{
	lc_port_iter *it = NULL;
	lc_port *p = NULL;
	size_t c = 0;

	cr_assert_eq(lc_port_iter_new(&it, s, NULL), 0, "%s", lc_error_last()->message);
	while (lc_port_iter_next(&p, it) == 0) {
		c++;
		lc_port_free(p);
	}
	lc_port_iter_free(it);
	return c;
}
