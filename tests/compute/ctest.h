/* Helpers for the compute tests: a cloud with two projects, a fake driver, hosts, a flavor and an image. */
#ifndef LC_CTEST_H
#define LC_CTEST_H

#include <libcloud/libcloud.h>
#include <libcloud/sys/compute.h>

extern char *ct_dir;
extern lc_cloud *ct_cloud;
extern lc_compute_driver *ct_fake; /* registered as "fake": replaces the built-in one */
extern lc_session *ct_admin;       /* admin, scoped to project admin */
extern lc_session *ct_alice;       /* member of project demo */
extern lc_session *ct_bob;         /* member of project other */
extern lc_session *ct_carol;       /* member of project demo too (another user) */
extern char ct_demo[LC_ID_LEN + 1], ct_other[LC_ID_LEN + 1];
extern char ct_image[LC_ID_LEN + 1]; /* an active public raw image */

/* Open a fresh cloud (pwhash LC_PWHASH_MIN, NOSYNC) with users, projects and an image. */
void ct_setup(void);
void ct_teardown(void);
/* Reopen the same directory (drivers registered again; the fake driver is a new one). */
void ct_reopen(void);
/* Close the cloud (sessions too); ct_open() opens it again, calling prep (may be NULL) between the
 * registration of a new fake driver and lc_cloud_open(). */
void ct_close(void);
void ct_open(void (*prep)(void));

/* A host on the fake driver: fake://NAME?vcpus=V&memory_mib=M&disk_gib=D */
void ct_host(const char *name, int vcpus, int memory_mib, int disk_gib);
/* A public flavor (id = name). */
void ct_flavor(const char *name, int vcpus, int ram_mib, int disk_gib);
/* An active image with the given name, raw data of `bytes` bytes, min sizes and properties (k,v,...,NULL). */
void ct_make_image(char id[LC_ID_LEN + 1], lc_session *s, const char *name, size_t bytes, int64_t min_disk,
		   int64_t min_ram, const char *const *props);
/* Create a server as s; returns the create's rc; *out may be NULL. */
int ct_server(lc_server **out, lc_session *s, const char *name, const char *flavor);
/* Quota usage of a project. */
int64_t ct_used(const char *project, int kind);

#endif
