/* Helpers for the network tests: a bootstrapped cloud, sessions per project, and state probes. */
#ifndef LC_NETTEST_H
#define LC_NETTEST_H

#include <stdint.h>

#include <libcloud/libcloud.h>
#include <libcloud/sys/network.h>

extern char *n_dir;
extern lc_cloud *n_cloud;
extern lc_session *n_sys;   /* the host's system session */
extern lc_session *n_admin; /* admin, scoped to project "admin" */

/* Criterion fixtures: a fresh bootstrapped cloud (NOSYNC) and the two sessions. */
void n_setup(void);
void n_teardown(void);
/* Same, registering drv (may be NULL) before the cloud opens. */
void n_setup_with(lc_network_driver *drv);
/* Same, with the network service's settings (may be NULL) given before the open. */
void n_setup_conf(const lc_network_service_opts *conf, lc_network_driver *drv);
/* Free the cloud and open its directory again (n_sys and n_admin are new sessions). */
void n_reopen(const lc_network_service_opts *conf, lc_network_driver *drv);

/* A project with a user holding role ("member", "reader") on it; a session scoped to it. project_id may be NULL. */
lc_session *n_project(const char *name, const char *role, char project_id[37]);

/* The last event sequence number: unchanged means nothing was committed. */
uint64_t n_seq(void);

/* Create helpers that assert success (session s; admin for external). */
lc_network *n_net(lc_session *s, const char *name);
lc_subnet *n_subnet(lc_session *s, const char *network_id, const char *cidr);
lc_port *n_port(lc_session *s, const char *network_id);
/* An external network with one subnet (created by admin); returns the network. */
lc_network *n_external(const char *name, const char *cidr);

/* Count what a session sees. */
size_t n_count_networks(lc_session *s);
size_t n_count_ports(lc_session *s);

/* Assert a call failed with code, showing the error detail otherwise. */
#define N_FAILS(code, call)                                                                                \
	do {                                                                                               \
		int n_rc_ = (call);                                                                        \
		cr_assert_eq(n_rc_, (code), "%s: got %d (%s), want %d", #call, n_rc_, lc_error_last()->message, \
			     (code));                                                                      \
	} while (0)
#define N_OK(call)                                                                                         \
	do {                                                                                               \
		int n_rc_ = (call);                                                                        \
		cr_assert_eq(n_rc_, 0, "%s: %d %s", #call, n_rc_, lc_error_last()->message);               \
	} while (0)

#endif
