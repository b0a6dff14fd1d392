/* Helpers for the image tests. */
#include "imgtest.h"

#include <criterion/criterion.h>

#include <dirent.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "testutil.h"

char *it_dir;
lc_cloud *it_cloud;
lc_session *it_admin, *it_a, *it_b;
char it_pa[LC_ID_LEN + 1], it_pb[LC_ID_LEN + 1];

static lc_session *extra[16];
static int nextra;

static void make_project(const char *name, char *out)
{
	lc_project_opts po = LC_PROJECT_OPTS_INIT;
	lc_project *p;

	po.name = name;
	cr_assert_eq(lc_project_create(&p, it_admin, &po), 0, "%s", lc_error_last()->message);
	snprintf(out, LC_ID_LEN + 1, "%s", lc_project_id(p));
	lc_project_free(p);
}

lc_session *it_user(const char *name, const char *project_id, const char *role_name)
{
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_auth_opts ao = LC_AUTH_OPTS_INIT;
	lc_grant g = LC_GRANT_INIT;
	lc_user *u;
	lc_role *r;
	lc_session *s;

	uo.name = name;
	uo.password = "pw-secret";
	cr_assert_eq(lc_user_create(&u, it_admin, &uo), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_role_find(&r, it_admin, role_name), 0, "%s", lc_error_last()->message);
	g.role_id = lc_role_id(r);
	g.user_id = lc_user_id(u);
	g.project_id = project_id;
	cr_assert_eq(lc_role_grant(it_admin, &g), 0, "%s", lc_error_last()->message);
	ao.user_id = lc_user_id(u);
	ao.password = "pw-secret";
	ao.scope = LC_SCOPE_PROJECT;
	ao.project_id = project_id;
	cr_assert_eq(lc_session_password(&s, it_cloud, &ao), 0, "%s", lc_error_last()->message);
	lc_role_free(r);
	lc_user_free(u);
	if (nextra < 16)
		extra[nextra++] = s;
	return s;
}

void it_setup_with(int (*reg)(lc_cloud *c))
{
	lc_cloud_opts o = LC_CLOUD_OPTS_INIT;
	lc_bootstrap_opts b = LC_BOOTSTRAP_OPTS_INIT;

	o.pwhash_strength = LC_PWHASH_MIN;
	it_dir = lct_tmpdir();
	cr_assert_not_null(it_dir);
	cr_assert_eq(lc_cloud_new(&it_cloud, &o), 0);
	if (reg)
		cr_assert_eq(reg(it_cloud), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_cloud_open(it_cloud, it_dir, LC_CLOUD_OPEN_CREATE), 0, "%s", lc_error_last()->message);
	b.admin_password = "admin-pw";
	cr_assert_eq(lc_cloud_bootstrap(it_cloud, &b), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_session_system(&it_admin, it_cloud), 0);
	make_project("proj-a", it_pa);
	make_project("proj-b", it_pb);
	nextra = 0;
	it_a = it_user("alice", it_pa, "member");
	it_b = it_user("bob", it_pb, "member");
}

void it_setup(void)
{
	it_setup_with(NULL);
}

void it_teardown(void)
{
	for (int i = 0; i < nextra; i++)
		lc_session_free(extra[i]);
	nextra = 0;
	lc_session_free(it_admin);
	lc_cloud_free(it_cloud);
	it_admin = it_a = it_b = NULL;
	it_cloud = NULL;
	lct_rmtree(it_dir);
	it_dir = NULL;
}

void it_reopen(void)
{
	lc_cloud_opts o = LC_CLOUD_OPTS_INIT;

	for (int i = 0; i < nextra; i++)
		lc_session_free(extra[i]);
	nextra = 0;
	lc_session_free(it_admin);
	lc_cloud_free(it_cloud);
	it_a = it_b = it_admin = NULL;
	o.pwhash_strength = LC_PWHASH_MIN;
	cr_assert_eq(lc_cloud_new(&it_cloud, &o), 0);
	cr_assert_eq(lc_cloud_open(it_cloud, it_dir, 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_session_system(&it_admin, it_cloud), 0);
}

char *it_image(lc_session *s, const char *name, const char *disk_format, const char *container_format)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	lc_image *img;
	char *id;

	o.name = name;
	o.disk_format = disk_format;
	o.container_format = container_format;
	cr_assert_eq(lc_image_create(&img, s, &o), 0, "%s", lc_error_last()->message);
	id = strdup(lc_image_id(img));
	lc_image_free(img);
	return id;
}

struct mem {
	const unsigned char *p;
	size_t len, off;
};

static int mem_read(size_t *out_len, void *buf, size_t cap, void *payload)
{
	struct mem *m = payload;
	size_t n = m->len - m->off;

	if (n > cap)
		n = cap;
	memcpy(buf, m->p + m->off, n);
	m->off += n;
	*out_len = n;
	return 0;
}

int it_upload_mem(lc_session *s, const char *id, const void *data, size_t len)
{
	struct mem m = { data, len, 0 };

	return lc_image_upload(NULL, s, id, NULL, mem_read, &m);
}

struct sink {
	unsigned char *p;
	size_t len, cap;
};

static int sink_write(const void *buf, size_t len, void *payload)
{
	struct sink *k = payload;

	if (k->len + len > k->cap) {
		k->cap = (k->len + len) * 2;
		k->p = realloc(k->p, k->cap);
	}
	memcpy(k->p + k->len, buf, len);
	k->len += len;
	return 0;
}

int it_download_mem(lc_session *s, const char *id, uint64_t off, int64_t len, unsigned char **out, size_t *out_len)
{
	struct sink k = { NULL, 0, 0 };
	int rc = lc_image_download(s, id, off, len, sink_write, &k);

	*out = k.p;
	*out_len = k.len;
	return rc;
}

unsigned char *it_bytes(size_t n, unsigned int seed)
{
	unsigned char *p = malloc(n ? n : 1);
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (unsigned char)x;
	}
	return p;
}

void it_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f, "%s", path);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

unsigned char *it_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p;
	long n;

	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc(n ? (size_t)n : 1);
	cr_assert_eq(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

int it_data_files(void)
{
	char path[4096];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "%s/data/images", it_dir);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void digest_hex(const EVP_MD *md, const void *p, size_t n, char *out)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dl;

	EVP_Digest(p, n, d, &dl, md, NULL);
	for (unsigned int i = 0; i < dl; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

void it_md5_hex(const void *p, size_t n, char out[33])
{
	digest_hex(EVP_md5(), p, n, out);
}

void it_sha512_hex(const void *p, size_t n, char out[129])
{
	digest_hex(EVP_sha512(), p, n, out);
}

int it_sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int64_t it_usage(const char *project_id, int kind)
{
	int64_t used = -1;

	cr_assert_eq(lc_quota_get(NULL, &used, it_admin, project_id, kind), 0, "%s", lc_error_last()->message);
	return used;
}
