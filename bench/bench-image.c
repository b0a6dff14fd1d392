/*
 * bench-image: the image service's figures (issue 4), as ratios measured in
 * one run. Prints, never asserts.
 *
 *   upload    lc_image_upload() of a file (read, inspect, md5 + sha512, write
 *             through io_uring, fsync, rename, commit) vs a plain loop that
 *             reads the same file, hashes it with md5 + sha512 and writes it
 *             with write(), then fsyncs.            ratio = raw / api (>= 1.0)
 *   download  lc_image_download() into a callback that touches the bytes vs
 *             a read() loop over the same stored file.  ratio = raw / api (>= 0.9)
 *   rest      peak RSS growth while an image goes up (PUT /file, body pulled in
 *             64 KiB pieces) and down (GET /file) through lc_api_handle()
 *             (goal: < 64 MiB for 1 GiB)
 *
 * Environment: LC_BENCH_IMAGE_MIB (default 1024), LC_BENCH_DIR (default
 * ./bench-tmp; not tmpfs: fsync is part of the cost), LC_BENCH_ROUNDS (3).
 * Phases alternate raw/api each round; the median of the rounds is kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <libcloud/libcloud.h>

#define CHUNK (2u << 20)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "bench-image: %s: %s (%s)\n", what, lc_error_last()->message, strerror(errno));
	exit(1);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_d);
	return v[n / 2];
}

static void make_source(const char *path, size_t mib)
{
	unsigned char *buf = malloc(CHUNK);
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || buf == NULL)
		die("source");
	for (size_t done = 0; done < mib << 20; done += CHUNK) {
		for (size_t i = 0; i < CHUNK; i += 8) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			memcpy(buf + i, &x, 8);
		}
		if (write(fd, buf, CHUNK) != (ssize_t)CHUNK)
			die("write source");
	}
	fsync(fd);
	close(fd);
	free(buf);
}

/* The plain loop: read, md5 + sha512, write, fsync. */
static double raw_upload(const char *src, const char *dst)
{
	unsigned char *buf = malloc(CHUNK), d[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *m = EVP_MD_CTX_new(), *s = EVP_MD_CTX_new();
	int in = open(src, O_RDONLY), out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	unsigned int dl;
	double t0 = now();
	ssize_t n;

	if (in < 0 || out < 0)
		die("raw upload open");
	EVP_DigestInit_ex(m, EVP_md5(), NULL);
	EVP_DigestInit_ex(s, EVP_sha512(), NULL);
	while ((n = read(in, buf, CHUNK)) > 0) {
		EVP_DigestUpdate(m, buf, (size_t)n);
		EVP_DigestUpdate(s, buf, (size_t)n);
		if (write(out, buf, (size_t)n) != n)
			die("raw write");
	}
	EVP_DigestFinal_ex(m, d, &dl);
	EVP_DigestFinal_ex(s, d, &dl);
	fsync(out);
	t0 = now() - t0;
	close(in);
	close(out);
	unlink(dst);
	EVP_MD_CTX_free(m);
	EVP_MD_CTX_free(s);
	free(buf);
	return t0;
}

static char *new_image(lc_session *s)
{
	lc_image_opts o = LC_IMAGE_OPTS_INIT;
	lc_image *img;
	char *id;

	o.name = "bench";
	o.disk_format = "raw";
	o.container_format = "bare";
	if (lc_image_create(&img, s, &o) != 0)
		die("create");
	id = strdup(lc_image_id(img));
	lc_image_free(img);
	return id;
}

static double api_upload(lc_session *s, const char *src, char **id_out)
{
	char *id = new_image(s);
	double t0 = now();

	if (lc_image_upload_file(NULL, s, id, src, NULL) != 0)
		die("upload");
	t0 = now() - t0;
	if (id_out)
		*id_out = id;
	else {
		lc_image_delete(s, id, 0);
		free(id);
	}
	return t0;
}

static double raw_read(const char *path)
{
	unsigned char *buf = malloc(1u << 20);
	int fd = open(path, O_RDONLY);
	volatile unsigned char sink = 0;
	double t0 = now();
	ssize_t n;

	if (fd < 0)
		die("raw read open");
	while ((n = read(fd, buf, 1u << 20)) > 0)
		sink ^= buf[n - 1];
	t0 = now() - t0;
	close(fd);
	free(buf);
	(void)sink;
	return t0;
}

static int touch(const void *buf, size_t len, void *p)
{
	*(volatile unsigned char *)p ^= ((const unsigned char *)buf)[len - 1];
	return 0;
}

static double api_read(lc_session *s, const char *id)
{
	unsigned char sink = 0;
	double t0 = now();

	if (lc_image_download(s, id, 0, -1, touch, &sink) != 0)
		die("download");
	return now() - t0;
}

/* ---- REST peak memory ---- */

static long rss_kib(const char *field)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, field, strlen(field)) == 0)
			v = strtol(line + strlen(field), NULL, 10);
	if (f)
		fclose(f);
	return v;
}

static void reset_peak(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "5", 1) != 1)
			fprintf(stderr, "bench-image: cannot reset the peak RSS\n");
		close(fd);
	}
}

typedef struct feed {
	int fd;
} feed;

static int feed_read(size_t *out_len, void *buf, size_t cap, void *p)
{
	feed *f = p;
	ssize_t n = read(f->fd, buf, cap < 65536 ? cap : 65536);

	if (n < 0)
		return 1;
	*out_len = (size_t)n;
	return 0;
}

static void rest_memory(lc_cloud *c, lc_session *s, const char *src, size_t mib)
{
	lc_api *api;
	lc_api_response *r;
	lc_api_request req = LC_API_REQUEST_INIT;
	lc_api_header h[3];
	char path[256], *id = new_image(s);
	const char *tok = lc_session_token_id(s);
	long base, up, down;
	unsigned char *buf = malloc(65536);
	feed f;
	size_t n;

	if (lc_api_new(&api, c, NULL) != 0)
		die("api");
	snprintf(path, sizeof(path), "/image/v2/images/%s/file", id);
	h[0] = (lc_api_header){ "X-Auth-Token", tok };
	h[1] = (lc_api_header){ "Content-Type", "application/octet-stream" };
	h[2] = (lc_api_header){ "Host", "bench" };
	f.fd = open(src, O_RDONLY);
	req.method = "PUT";
	req.path = path;
	req.headers = h;
	req.header_count = 3;
	req.body_read = feed_read;
	req.body_payload = &f;
	req.content_length = (int64_t)(mib << 20);
	reset_peak();
	base = rss_kib("VmRSS:");
	if (lc_api_handle(&r, api, &req) != 0 || lc_api_response_status(r) != 204)
		die("REST upload");
	up = rss_kib("VmHWM:");
	lc_api_response_free(r);
	close(f.fd);
	req.method = "GET";
	req.body_read = NULL;
	req.content_length = -1;
	req.header_count = 1;
	reset_peak();
	if (lc_api_handle(&r, api, &req) != 0 || lc_api_response_status(r) != 200)
		die("REST download");
	while (lc_api_response_read(&n, r, buf, 65536) == 0 && n > 0)
		;
	down = rss_kib("VmHWM:");
	lc_api_response_free(r);
	printf("rest      peak RSS growth: upload %.1f MiB, download %.1f MiB (of %zu MiB moved; goal < 64)\n",
	       (double)(up - base) / 1024, (double)(down - base) / 1024, mib);
	lc_image_delete(s, id, 0);
	free(id);
	free(buf);
	lc_api_free(api);
}

int main(void)
{
	const char *e = getenv("LC_BENCH_IMAGE_MIB"), *dirp = getenv("LC_BENCH_DIR");
	size_t mib = e ? strtoul(e, NULL, 10) : 1024;
	int rounds = getenv("LC_BENCH_ROUNDS") ? atoi(getenv("LC_BENCH_ROUNDS")) : 3;
	char dir[4096], src[4200], dst[4200], cloud_dir[4200], stored[8400];
	double ru[16], au[16], rd[16], ad[16];
	lc_cloud_opts co = LC_CLOUD_OPTS_INIT;
	lc_bootstrap_opts bo = LC_BOOTSTRAP_OPTS_INIT;
	lc_auth_opts ao = LC_AUTH_OPTS_INIT;
	lc_cloud *c;
	lc_session *s;
	char *id;

	if (rounds < 1 || rounds > 16)
		rounds = 3;
	snprintf(dir, sizeof(dir), "%s/image-%ld", dirp ? dirp : "bench-tmp", (long)getpid());
	mkdir(dirp ? dirp : "bench-tmp", 0700);
	if (mkdir(dir, 0700) != 0)
		die(dir);
	snprintf(src, sizeof(src), "%s/source.raw", dir);
	snprintf(dst, sizeof(dst), "%s/raw-copy", dir);
	snprintf(cloud_dir, sizeof(cloud_dir), "%s/cloud", dir);
	make_source(src, mib);

	co.pwhash_strength = LC_PWHASH_MIN;
	bo.admin_password = "bench-pw";
	ao.user_name = "admin";
	ao.user_domain_id = "default";
	ao.password = "bench-pw";
	ao.scope = LC_SCOPE_PROJECT;
	ao.project_name = "admin";
	ao.project_domain_id = "default";
	if (lc_cloud_new(&c, &co) || lc_cloud_open(c, cloud_dir, LC_CLOUD_OPEN_CREATE) ||
	    lc_cloud_bootstrap(c, &bo) || lc_session_password(&s, c, &ao))
		die("cloud");
	/* no quota in the way of repeated gigabytes */
	lc_quota_set(s, lc_session_project_id(s), LC_QUOTA_IMAGE_BYTES, LC_QUOTA_UNLIMITED);

	raw_read(src); /* the source in the page cache for both */
	for (int i = 0; i < rounds; i++) {
		if (i % 2 == 0) {
			ru[i] = raw_upload(src, dst);
			au[i] = api_upload(s, src, NULL);
		} else {
			au[i] = api_upload(s, src, NULL);
			ru[i] = raw_upload(src, dst);
		}
	}
	api_upload(s, src, &id);
	snprintf(stored, sizeof(stored), "%s/data/images/%s", cloud_dir, id);
	raw_read(stored);
	for (int i = 0; i < rounds; i++) {
		if (i % 2 == 0) {
			rd[i] = raw_read(stored);
			ad[i] = api_read(s, id);
		} else {
			ad[i] = api_read(s, id);
			rd[i] = raw_read(stored);
		}
	}
	{
		double r_u = median(ru, rounds), a_u = median(au, rounds);
		double r_d = median(rd, rounds), a_d = median(ad, rounds);
		double gib = (double)mib / 1024;

		printf("image bench: %zu MiB, %d rounds, medians\n", mib, rounds);
		printf("upload    api %.3f s (%.0f MiB/s)  raw read+md5+sha512+write+fsync %.3f s (%.0f MiB/s)  ratio %.2fx (goal >= 1.0)\n",
		       a_u, mib / a_u, r_u, mib / r_u, r_u / a_u);
		printf("download  api %.3f s (%.0f MiB/s)  raw read %.3f s (%.0f MiB/s)  ratio %.2fx (goal >= 0.9)\n",
		       a_d, mib / a_d, r_d, mib / r_d, r_d / a_d);
		(void)gib;
	}
	lc_image_delete(s, id, 0);
	free(id);
	rest_memory(c, s, src, mib);
	lc_session_free(s);
	lc_cloud_free(c);
	unlink(src);
	{
		char cmd[4300];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench-image: could not remove %s\n", dir);
	}
	return 0;
}
