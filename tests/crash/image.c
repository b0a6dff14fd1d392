/*
 * Crash test (issue 4, "Crash safety"): SIGKILL during image uploads.
 *
 * A child opens the cloud (durable) and loops: create an image, upload a few
 * MiB into it from a generated stream, and report each acknowledged upload
 * ("A <id> <md5>") through a pipe. The parent kills it at a random moment,
 * reopens the cloud and checks that:
 *   - every acknowledged image is active, its data has the acknowledged md5;
 *   - every other image is queued (none left saving), with no data;
 *   - the data directory holds exactly one file per active image: no
 *     temporary file, no orphan;
 *   - the image bytes quota equals the sum of the active images' sizes.
 * ROUNDS rounds; the data directory carries over.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libcloud/libcloud.h>

#include "testutil.h"

#define ROUNDS 8
#define MAX_ACK 512
#define MIB (1024 * 1024)

static char *dir;

struct gen {
	uint64_t x;
	size_t left;
	EVP_MD_CTX *md5;
};

static int gen_read(size_t *out_len, void *buf, size_t cap, void *p)
{
	struct gen *g = p;
	size_t n = cap < 65536 ? cap : 65536;

	if (n > g->left)
		n = g->left;
	for (size_t i = 0; i < n; i++) {
		g->x = g->x * 6364136223846793005ULL + 1442695040888963407ULL;
		((unsigned char *)buf)[i] = (unsigned char)(g->x >> 56);
	}
	EVP_DigestUpdate(g->md5, buf, n);
	g->left -= n;
	*out_len = n;
	return 0;
}

static lc_cloud *open_cloud(void)
{
	lc_cloud_opts o = LC_CLOUD_OPTS_INIT;
	lc_cloud *c;

	o.pwhash_strength = LC_PWHASH_MIN;
	if (lc_cloud_new(&c, &o) != 0 || lc_cloud_open(c, dir, LC_CLOUD_OPEN_CREATE) != 0)
		return NULL;
	return c;
}

static void child(int fd, unsigned int seed)
{
	lc_cloud *c = open_cloud();
	lc_session *s;
	char line[128];

	if (c == NULL || lc_session_system(&s, c) != 0)
		_exit(2);
	for (unsigned int i = 0;; i++) {
		lc_image_opts o = LC_IMAGE_OPTS_INIT;
		struct gen g = { seed * 7919u + i, (size_t)(1 + (seed + i) % 4) * MIB + i, EVP_MD_CTX_new() };
		unsigned char d[16];
		unsigned int dl;
		lc_image *img;
		char md5[33];

		o.name = "crash";
		o.disk_format = "raw";
		o.container_format = "bare";
		o.owner = getenv("LC_CRASH_PROJECT");
		if (lc_image_create(&img, s, &o) != 0)
			_exit(3);
		EVP_DigestInit_ex(g.md5, EVP_md5(), NULL);
		if (lc_image_upload(NULL, s, lc_image_id(img), NULL, gen_read, &g) != 0)
			_exit(4);
		EVP_DigestFinal_ex(g.md5, d, &dl);
		for (int k = 0; k < 16; k++)
			sprintf(md5 + 2 * k, "%02x", d[k]);
		snprintf(line, sizeof(line), "A %s %s\n", lc_image_id(img), md5);
		if (write(fd, line, strlen(line)) != (ssize_t)strlen(line))
			_exit(5);
		EVP_MD_CTX_free(g.md5);
		lc_image_free(img);
	}
}

static int data_files(int *tmp)
{
	char path[4096];
	struct dirent *e;
	DIR *d;
	int n = 0;

	*tmp = 0;
	snprintf(path, sizeof(path), "%s/data/images", dir);
	d = opendir(path);
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.') {
			*tmp += strncmp(e->d_name, ".tmp.", 5) == 0;
			continue;
		}
		n++;
	}
	closedir(d);
	return n;
}

struct md5sink {
	EVP_MD_CTX *m;
};

static int sink(const void *buf, size_t len, void *p)
{
	EVP_DigestUpdate(((struct md5sink *)p)->m, buf, len);
	return 0;
}

Test(crash_image, sigkill_during_uploads_leaves_active_or_queued_images_and_no_orphans, .timeout = 600)
{
	static char acked[MAX_ACK][2][40];
	int nacked = 0;
	unsigned int seed = (unsigned int)time(NULL);
	char project[LC_ID_LEN + 1];

	dir = lct_tmpdir();
	cr_log_info("seed %u", seed);
	srand(seed);
	{
		lc_cloud *c = open_cloud();
		lc_bootstrap_opts b = LC_BOOTSTRAP_OPTS_INIT;
		lc_session *s;
		lc_project *p;

		cr_assert_not_null(c);
		b.admin_password = "pw";
		cr_assert_eq(lc_cloud_bootstrap(c, &b), 0);
		cr_assert_eq(lc_session_system(&s, c), 0);
		cr_assert_eq(lc_project_find(&p, s, NULL, "admin"), 0);
		snprintf(project, sizeof(project), "%s", lc_project_id(p));
		cr_assert_eq(lc_quota_set(s, project, LC_QUOTA_IMAGES, LC_QUOTA_UNLIMITED), 0);
		lc_project_free(p);
		lc_session_free(s);
		lc_cloud_free(c);
		setenv("LC_CRASH_PROJECT", project, 1);
	}
	for (int round = 0; round < ROUNDS; round++) {
		int p[2], st;
		pid_t pid;
		char buf[8192];
		size_t have = 0;
		double until;
		struct timespec t0;

		cr_assert_eq(pipe(p), 0);
		pid = fork();
		cr_assert_neq(pid, -1);
		if (pid == 0) {
			close(p[0]);
			child(p[1], seed + (unsigned int)round * 1000u);
		}
		close(p[1]);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		until = 0.2 + (double)(rand() % 2000) / 1000.0;
		for (;;) {
			struct pollfd pf = { p[0], POLLIN, 0 };
			struct timespec t;
			double el;

			clock_gettime(CLOCK_MONOTONIC, &t);
			el = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
			if (el >= until)
				break;
			if (poll(&pf, 1, 10) > 0) {
				ssize_t n = read(p[0], buf + have, sizeof(buf) - have - 1);
				if (n <= 0)
					break;
				have += (size_t)n;
				buf[have] = '\0';
				for (char *nl; (nl = strchr(buf, '\n')) != NULL;) {
					*nl = '\0';
					if (nacked < MAX_ACK && sscanf(buf, "A %39s %39s", acked[nacked][0], acked[nacked][1]) == 2)
						nacked++;
					memmove(buf, nl + 1, have - (size_t)(nl + 1 - buf) + 1);
					have -= (size_t)(nl + 1 - buf);
				}
			}
		}
		kill(pid, SIGKILL);
		cr_assert_eq(waitpid(pid, &st, 0), pid);
		cr_assert(WIFSIGNALED(st), "the child ended by itself (status %d): it failed", st);
		/* what was already written to the pipe before the kill counts too */
		for (ssize_t n; (n = read(p[0], buf + have, sizeof(buf) - have - 1)) > 0;) {
			have += (size_t)n;
			buf[have] = '\0';
			for (char *nl; (nl = strchr(buf, '\n')) != NULL;) {
				*nl = '\0';
				if (nacked < MAX_ACK && sscanf(buf, "A %39s %39s", acked[nacked][0], acked[nacked][1]) == 2)
					nacked++;
				memmove(buf, nl + 1, have - (size_t)(nl + 1 - buf) + 1);
				have -= (size_t)(nl + 1 - buf);
			}
		}
		close(p[0]);

		/* reopen and check */
		{
			lc_cloud *c = open_cloud();
			lc_session *s;
			lc_image_iter *it;
			lc_image *img;
			int active = 0, queued = 0, tmp, files;
			int64_t bytes = 0, used = -1;

			cr_assert_not_null(c, "%s", lc_error_last()->message);
			cr_assert_eq(lc_session_system(&s, c), 0);
			for (int i = 0; i < nacked; i++) {
				struct md5sink m = { EVP_MD_CTX_new() };
				unsigned char d[16];
				unsigned int dl;
				char md5[33];

				cr_assert_eq(lc_image_get(&img, s, acked[i][0]), 0, "acknowledged image %s is gone", acked[i][0]);
				cr_assert_str_eq(lc_image_status(img), "active");
				cr_assert_str_eq(lc_image_checksum(img), acked[i][1]);
				lc_image_free(img);
				EVP_DigestInit_ex(m.m, EVP_md5(), NULL);
				cr_assert_eq(lc_image_download(s, acked[i][0], 0, -1, sink, &m), 0, "%s", lc_error_last()->message);
				EVP_DigestFinal_ex(m.m, d, &dl);
				EVP_MD_CTX_free(m.m);
				for (int k = 0; k < 16; k++)
					sprintf(md5 + 2 * k, "%02x", d[k]);
				cr_assert_str_eq(md5, acked[i][1], "the data of %s", acked[i][0]);
			}
			cr_assert_eq(lc_image_iter_new(&it, s, NULL), 0);
			while (lc_image_iter_next(&img, it) == 0) {
				const char *stt = lc_image_status(img);

				if (strcmp(stt, "active") == 0) {
					active++;
					bytes += lc_image_size(img);
				} else {
					cr_assert_str_eq(stt, "queued", "image %s left %s", lc_image_id(img), stt);
					queued++;
				}
				lc_image_free(img);
			}
			lc_image_iter_free(it);
			/* an upload that committed just before the kill is active but not acknowledged: one per round at most */
			cr_assert(active >= nacked && active <= nacked + round + 1, "%d active, %d acknowledged after %d rounds",
				  active, nacked, round + 1);
			files = data_files(&tmp);
			cr_assert_eq(tmp, 0, "no temporary file survives an open");
			cr_assert_eq(files, active, "one data file per active image, no orphan");
			cr_assert_eq(lc_quota_get(NULL, &used, s, project, LC_QUOTA_IMAGE_BYTES), 0);
			cr_assert_eq(used, bytes, "the bytes quota matches the active images");
			cr_log_info("round %d: %d active, %d queued", round, active, queued);
			lc_session_free(s);
			lc_cloud_free(c);
		}
	}
	lct_rmtree(dir);
}
