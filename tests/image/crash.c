/*
 * Crash safety: a process killed (SIGKILL) during an upload leaves the
 * image queued and, after the next open, no orphan data: neither the
 * partial temporary file nor a file renamed into place before the record
 * could point at it.
 */
#include <criterion/criterion.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libcloud/sys/image_store.h>

#include "imgtest.h"

#define MIB (1024 * 1024)

TestSuite(crash, .init = it_setup, .fini = it_teardown, .timeout = 120);

struct slow {
	int fd;       /* where to tell the parent that data is flowing */
	size_t sent;
};

/* Deliver 3 MiB, then tell the parent and wait to be killed. */
static int slow_read(size_t *out_len, void *buf, size_t cap, void *payload)
{
	struct slow *s = payload;
	size_t n = cap < 65536 ? cap : 65536;

	if (s->sent >= 3 * MIB) {
		if (write(s->fd, "x", 1) != 1)
			_exit(3);
		for (;;)
			pause();
	}
	memset(buf, 0x5a, n);
	s->sent += n;
	*out_len = n;
	return 0;
}

/* A "file" store that dies right after the data is renamed into place, before the record commits. */
typedef struct dying {
	lc_image_store vt;
	lc_image_store *inner;
} dying;

static lc_image_store *crash_inner;

static int dying_commit(lc_image_store_writer *w, char *loc, size_t sz)
{
	int rc = crash_inner->put_commit(w, loc, sz);

	if (rc == 0)
		kill(getpid(), SIGKILL);
	return rc;
}

static int fwd_attach(lc_image_store *self, const char *dir)
{
	(void)self;
	return crash_inner->attach(crash_inner, dir);
}

static int fwd_put_open(lc_image_store_writer **out, lc_image_store *self, const char *id, int64_t hint)
{
	(void)self;
	return crash_inner->put_open(out, crash_inner, id, hint);
}

static int fwd_get_open(lc_image_store_reader **out, int64_t *size, lc_image_store *self, const char *loc,
			uint64_t off, int64_t len)
{
	(void)self;
	return crash_inner->get_open(out, size, crash_inner, loc, off, len);
}

static int fwd_remove(lc_image_store *self, const char *loc)
{
	(void)self;
	return crash_inner->remove(crash_inner, loc);
}

static int fwd_sweep(lc_image_store *self, lc_image_store_keep_cb keep, void *p)
{
	(void)self;
	return crash_inner->sweep(crash_inner, keep, p);
}

static void dying_free(lc_driver *d)
{
	dying *x = (dying *)d;

	x->inner->base.free(&x->inner->base);
	free(x);
}

static int register_dying(lc_cloud *c)
{
	dying *x = calloc(1, sizeof(*x));

	cr_assert_eq(lc_image_store_file_new(&x->inner, "file-inner", NULL, 0), 0);
	crash_inner = x->inner;
	x->vt = *x->inner;
	x->vt.base.name = "file";
	x->vt.base.free = dying_free;
	x->vt.attach = fwd_attach;
	x->vt.put_open = fwd_put_open;
	x->vt.put_commit = dying_commit;
	x->vt.get_open = fwd_get_open;
	x->vt.remove = fwd_remove;
	x->vt.sweep = fwd_sweep;
	return lc_cloud_add_driver(c, &x->vt.base);
}

/* In a child: open the same cloud (another process, as LMDB allows) and upload. */
static pid_t child_upload(const char *id, int fd)
{
	pid_t pid = fork();

	cr_assert_neq(pid, -1);
	if (pid == 0) {
		lc_cloud_opts o = LC_CLOUD_OPTS_INIT;
		lc_auth_opts ao = LC_AUTH_OPTS_INIT;
		lc_cloud *c;
		lc_session *s;
		struct slow sl = { fd, 0 };

		o.pwhash_strength = LC_PWHASH_MIN;
		if (lc_cloud_new(&c, &o) || lc_cloud_open(c, it_dir, 0))
			_exit(2);
		ao.user_name = "alice";
		ao.user_domain_id = "default";
		ao.password = "pw-secret";
		ao.scope = LC_SCOPE_PROJECT;
		ao.project_name = "proj-a";
		ao.project_domain_id = "default";
		if (lc_session_password(&s, c, &ao))
			_exit(4);
		lc_image_upload(NULL, s, id, NULL, slow_read, &sl);
		_exit(6);
	}
	return pid;
}

static const char *status_of(const char *id)
{
	static char st[32];
	lc_image *img;

	cr_assert_eq(lc_image_get(&img, it_admin, id), 0, "%s", lc_error_last()->message);
	snprintf(st, sizeof(st), "%s", lc_image_status(img));
	lc_image_free(img);
	return st;
}

Test(crash, a_sigkill_during_upload_leaves_a_queued_image_and_no_orphan_after_open)
{
	char *id = it_image(it_a, "victim", "raw", "bare");
	int p[2], st;
	char c;
	pid_t pid;

	cr_assert_eq(pipe(p), 0);
	pid = child_upload(id, p[1]);
	cr_assert_eq(read(p[0], &c, 1), 1, "the child started streaming");
	cr_assert_str_eq(status_of(id), "saving");
	cr_assert_eq(it_data_files(), 1, "a temporary file is being written");
	kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFSIGNALED(st));
	close(p[0]);
	close(p[1]);

	it_reopen();
	cr_assert_str_eq(status_of(id), "queued", "the open reset the dead upload");
	cr_assert_eq(it_data_files(), 0, "the partial file is swept");
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGE_BYTES), 0);
	cr_assert_eq(lc_image_upload_file(NULL, it_admin, id, "/dev/null", NULL), LC_EINVALID,
		     "/dev/null is not a regular file; the image is usable again");
	free(id);
}

Test(crash, a_crash_between_rename_and_commit_leaves_no_file_behind)
{
	char *id = it_image(it_a, "victim2", "raw", "bare");
	char path[4096];
	int st;
	pid_t pid;
	unsigned char *data = it_bytes(2 * MIB, 3);

	snprintf(path, sizeof(path), "%s/src.raw", it_dir);
	it_write_file(path, data, 2 * MIB);
	free(data);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		lc_cloud_opts o = LC_CLOUD_OPTS_INIT;
		lc_cloud *c;
		lc_session *s;

		o.pwhash_strength = LC_PWHASH_MIN;
		if (lc_cloud_new(&c, &o) || register_dying(c) || lc_cloud_open(c, it_dir, 0) ||
		    lc_session_system(&s, c))
			_exit(2);
		lc_image_upload_file(NULL, s, id, path, NULL);
		_exit(5);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "the child died in put_commit (status %d)", st);
	cr_assert_str_eq(status_of(id), "saving");
	cr_assert_eq(it_data_files(), 1, "the data was renamed into place");
	it_reopen();
	cr_assert_str_eq(status_of(id), "queued");
	cr_assert_eq(it_data_files(), 0, "the unreferenced file is swept");
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGE_BYTES), 0);
	free(id);
}

Test(crash, an_open_keeps_the_data_of_active_images)
{
	char *id = it_image(it_a, "keep", "raw", "bare");
	unsigned char *back;
	size_t len;

	cr_assert_eq(it_upload_mem(it_a, id, "payload", 7), 0);
	it_reopen();
	cr_assert_eq(it_data_files(), 1);
	cr_assert_eq(it_download_mem(it_admin, id, 0, -1, &back, &len), 0, "%s", lc_error_last()->message);
	cr_assert(len == 7 && memcmp(back, "payload", 7) == 0);
	free(back);
	free(id);
}
