/* Helpers for the image tests: a fresh cloud with two projects, their members, and data helpers. */
#ifndef LC_IMGTEST_H
#define LC_IMGTEST_H

#include <stddef.h>
#include <stdint.h>

#include <libcloud/libcloud.h>

extern char *it_dir;       /* the cloud's directory */
extern lc_cloud *it_cloud;
extern lc_session *it_admin; /* the host's system session */
extern lc_session *it_a;     /* member of project A */
extern lc_session *it_b;     /* member of project B */
extern char it_pa[LC_ID_LEN + 1], it_pb[LC_ID_LEN + 1];

/* Open a fresh cloud (drivers may be registered by reg() before the open), with projects A and B. */
void it_setup_with(int (*reg)(lc_cloud *c));
void it_setup(void);
void it_teardown(void);
/* Close the cloud (every session) and open the same directory again, as a restart does; it_a, it_b are gone. */
void it_reopen(void);

/* A session of a new user with role_name on project_id. */
lc_session *it_user(const char *name, const char *project_id, const char *role_name);

/* Create an image (formats may be NULL) owned by s's project; returns the malloc'd id. */
char *it_image(lc_session *s, const char *name, const char *disk_format, const char *container_format);

/* Upload/download from/to memory. */
int it_upload_mem(lc_session *s, const char *id, const void *data, size_t len);
int it_download_mem(lc_session *s, const char *id, uint64_t off, int64_t len, unsigned char **out, size_t *out_len);

/* Deterministic pseudo-random bytes (malloc'd). */
unsigned char *it_bytes(size_t n, unsigned int seed);
/* Write a file; read a whole file (malloc'd). */
void it_write_file(const char *path, const void *data, size_t len);
unsigned char *it_read_file(const char *path, size_t *len);

/* Files in DIR/data/images (temporary ones included). */
int it_data_files(void);
/* md5 / sha512 hex of a buffer (OpenSSL, as a reference). */
void it_md5_hex(const void *p, size_t n, char out[33]);
void it_sha512_hex(const void *p, size_t n, char out[129]);

/* Run a shell command; returns its exit status. */
int it_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Quota usage of a project. */
int64_t it_usage(const char *project_id, int kind);

#endif
