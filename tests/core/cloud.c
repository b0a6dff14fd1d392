/* The cloud handle through the public API: open/close, bad input, corrupt stores, two processes. */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libcloud/libcloud.h>

#include "testutil.h"

static char *tmp;

static void setup(void)
{
	tmp = lct_tmpdir();
	cr_assert_not_null(tmp);
}

static void teardown(void)
{
	lct_rmtree(tmp);
	tmp = NULL;
}

TestSuite(cloud, .init = setup, .fini = teardown, .timeout = 120);

static lc_cloud_opts fast_opts(void)
{
	lc_cloud_opts o = LC_CLOUD_OPTS_INIT;

	o.pwhash_strength = LC_PWHASH_MIN;
	return o;
}

static lc_cloud *new_cloud(void)
{
	lc_cloud_opts o = fast_opts();
	lc_cloud *c = NULL;

	cr_assert_eq(lc_cloud_new(&c, &o), 0, "%s", lc_error_last()->message);
	return c;
}

static lc_cloud *open_cloud(const char *dir, unsigned int flags)
{
	lc_cloud *c = new_cloud();
	int rc = lc_cloud_open(c, dir, flags);

	cr_assert_eq(rc, 0, "open %s: %s (%s)", dir, lc_strerror(rc), lc_error_last()->message);
	return c;
}

static char *path_in(const char *dir, const char *rel)
{
	char *p;

	cr_assert(asprintf(&p, "%s/%s", dir, rel) > 0);
	return p;
}

static int exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

static int msg_has(const char *needle)
{
	return strstr(lc_error_last()->message, needle) != NULL;
}

/* Number of projects named `name` in the Default domain as seen by the system session. */
static int project_exists(lc_cloud *c, const char *name)
{
	lc_session *s = NULL;
	lc_project *p = NULL;
	int rc;

	cr_assert_eq(lc_session_system(&s, c), 0);
	rc = lc_project_find(&p, s, NULL, name);
	lc_project_free(p);
	lc_session_free(s);
	cr_assert(rc == 0 || rc == LC_ENOTFOUND, "find %s: %s", name, lc_error_last()->message);
	return rc == 0;
}

static void create_project(lc_cloud *c, const char *name)
{
	lc_session *s = NULL;
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	int rc;

	cr_assert_eq(lc_session_system(&s, c), 0);
	o.name = name;
	rc = lc_project_create(NULL, s, &o);
	lc_session_free(s);
	cr_assert_eq(rc, 0, "create %s: %s", name, lc_error_last()->message);
}

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* ---- lifecycle ---- */

Test(cloud, opens_a_new_directory_and_reopens_it_with_its_records)
{
	char *dir = path_in(tmp, "c");
	lc_cloud *c = new_cloud();
	char *meta = path_in(dir, "meta"), *keys = path_in(dir, "keys");

	cr_assert_null(lc_cloud_path(c), "an unopened cloud has no path");
	cr_assert_eq(lc_cloud_open(c, dir, LC_CLOUD_OPEN_CREATE), 0, "%s", lc_error_last()->message);
	cr_assert_eq(lc_error_last()->code, LC_OK);
	cr_assert_str_eq(lc_cloud_path(c), dir);
	cr_assert(exists(meta) && exists(keys));
	create_project(c, "kept");
	lc_cloud_free(c);

	c = open_cloud(dir, 0); /* exists now: no CREATE needed */
	cr_assert(project_exists(c, "kept"));
	lc_cloud_free(c);
	free(meta);
	free(keys);
	free(dir);
}

Test(cloud, default_and_nosync_opens_both_keep_records_across_reopen)
{
	unsigned int modes[] = { LC_CLOUD_OPEN_CREATE, LC_CLOUD_OPEN_CREATE | LC_CLOUD_OPEN_NOSYNC };

	for (int i = 0; i < 2; i++) {
		char name[16];
		char *dir;
		lc_cloud *c;

		snprintf(name, sizeof(name), "m%d", i);
		dir = path_in(tmp, name);
		c = open_cloud(dir, modes[i]);
		create_project(c, "durable");
		lc_cloud_free(c);
		c = open_cloud(dir, modes[i] & ~(unsigned)LC_CLOUD_OPEN_CREATE);
		cr_assert(project_exists(c, "durable"), "mode %u lost the record", modes[i]);
		lc_cloud_free(c);
		free(dir);
	}
}

Test(cloud, free_is_null_safe_and_frees_an_unopened_cloud)
{
	lc_cloud_free(NULL);
	lc_cloud_free(new_cloud());
}

Test(cloud, an_unopened_cloud_refuses_sessions)
{
	lc_cloud *c = new_cloud();
	lc_session *s = (lc_session *)1;

	cr_assert_eq(lc_session_system(&s, c), LC_EINVALID);
	cr_assert_null(s);
	cr_assert(msg_has("not open"), "%s", lc_error_last()->message);
	lc_cloud_free(c);
}

/* ---- the data directory ---- */

Test(cloud, a_missing_directory_without_create_is_not_found_and_not_created)
{
	char *dir = path_in(tmp, "absent");
	lc_cloud *c = new_cloud();

	cr_assert_eq(lc_cloud_open(c, dir, 0), LC_ENOTFOUND);
	cr_assert_eq(lc_error_last()->code, LC_ENOTFOUND);
	cr_assert(msg_has("absent"), "the message names the directory: %s", lc_error_last()->message);
	cr_assert_not(exists(dir));
	cr_assert_null(lc_cloud_path(c));
	/* The handle is unchanged: it still opens elsewhere. */
	cr_assert_eq(lc_cloud_open(c, dir, LC_CLOUD_OPEN_CREATE), 0, "%s", lc_error_last()->message);
	cr_assert(exists(dir));
	lc_cloud_free(c);
	free(dir);
}

Test(cloud, create_with_a_missing_parent_is_not_found)
{
	char *dir = path_in(tmp, "no/such/parent");
	lc_cloud *c = new_cloud();

	cr_assert_eq(lc_cloud_open(c, dir, LC_CLOUD_OPEN_CREATE), LC_ENOTFOUND);
	cr_assert_not(exists(dir));
	lc_cloud_free(c);
	free(dir);
}

Test(cloud, a_path_below_a_regular_file_is_an_io_error)
{
	char *file = path_in(tmp, "plain"), *dir = path_in(tmp, "plain/cloud");
	lc_cloud *c = new_cloud();

	write_file(file, "x", 1);
	cr_assert_eq(lc_cloud_open(c, dir, LC_CLOUD_OPEN_CREATE), LC_EIO, "%s", lc_error_last()->message);
	cr_assert(msg_has("plain/cloud"), "%s", lc_error_last()->message);
	cr_assert_null(lc_cloud_path(c));
	lc_cloud_free(c);
	free(file);
	free(dir);
}

Test(cloud, a_regular_file_as_the_directory_is_refused)
{
	char *file = path_in(tmp, "plain");
	lc_cloud *c = new_cloud();
	int rc;

	write_file(file, "x", 1);
	rc = lc_cloud_open(c, file, LC_CLOUD_OPEN_CREATE);
	cr_assert(rc == LC_EINVALID || rc == LC_EIO, "%d: %s", rc, lc_error_last()->message);
	cr_assert(msg_has("not a directory"), "%s", lc_error_last()->message);
	lc_cloud_free(c);
	free(file);
}

/*
 * Permission checks: root bypasses mode bits, so when the tests run as root
 * the open is made by a forked child that has dropped to nobody (65534).
 * Returns the child's lc_cloud_open() code.
 */
static int open_as_unprivileged(const char *dir, unsigned int flags)
{
	pid_t pid;
	int st;

	if (geteuid() != 0) {
		lc_cloud *c = new_cloud();
		int rc = lc_cloud_open(c, dir, flags);
		lc_cloud_free(c);
		return rc;
	}
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		lc_cloud_opts o = fast_opts();
		lc_cloud *c = NULL;
		int rc;

		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(200);
		if (lc_cloud_new(&c, &o) != 0)
			_exit(201);
		rc = lc_cloud_open(c, dir, flags);
		lc_cloud_free(c);
		_exit(-rc); /* codes are small negatives */
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st), "the child crashed (status %d)", st);
	cr_assert_lt(WEXITSTATUS(st), 200, "the child could not drop privileges (%d)", WEXITSTATUS(st));
	return -WEXITSTATUS(st);
}

Test(cloud, a_directory_that_is_not_writable_is_an_io_error)
{
	char *dir = path_in(tmp, "ro");

	cr_assert_eq(chmod(tmp, 0755), 0);
	cr_assert_eq(mkdir(dir, 0555), 0);
	cr_assert_eq(open_as_unprivileged(dir, LC_CLOUD_OPEN_CREATE), LC_EIO);
	cr_assert_eq(open_as_unprivileged(dir, 0), LC_EIO);
	free(dir);
}

Test(cloud, a_store_owned_by_someone_else_is_an_io_error_and_unchanged)
{
	char *dir = path_in(tmp, "theirs");
	char *data = path_in(dir, "meta/data.mdb");
	struct stat before, after;
	lc_cloud *c;

	if (geteuid() != 0)
		cr_skip_test("needs root to make a store another user cannot write");
	c = open_cloud(dir, LC_CLOUD_OPEN_CREATE);
	lc_cloud_free(c);
	/* Everyone may enter the directories, but the store files stay root's, mode 0600. */
	cr_assert_eq(chmod(tmp, 0755), 0);
	cr_assert_eq(chmod(dir, 0777), 0);
	cr_assert_eq(stat(data, &before), 0);
	cr_assert_eq(open_as_unprivileged(dir, 0), LC_EIO);
	cr_assert_eq(stat(data, &after), 0);
	cr_assert_eq(before.st_size, after.st_size);
	cr_assert_eq(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
	cr_assert_eq(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
	free(data);
	free(dir);
}

/* ---- bad arguments ---- */

Test(cloud, null_empty_and_over_long_arguments_are_invalid)
{
	char *dir = path_in(tmp, "args");
	char *longdir = malloc(8192);
	lc_cloud *c = new_cloud();

	cr_assert_eq(lc_cloud_new(NULL, NULL), LC_EINVALID);
	cr_assert(msg_has("out"), "%s", lc_error_last()->message);
	cr_assert_eq(lc_cloud_open(NULL, dir, LC_CLOUD_OPEN_CREATE), LC_EINVALID);
	cr_assert_eq(lc_cloud_open(c, NULL, LC_CLOUD_OPEN_CREATE), LC_EINVALID);
	cr_assert(msg_has("dir"), "%s", lc_error_last()->message);
	cr_assert_eq(lc_cloud_open(c, "", LC_CLOUD_OPEN_CREATE), LC_EINVALID);
	cr_assert(msg_has("dir"), "%s", lc_error_last()->message);
	memset(longdir, 'a', 8191);
	longdir[0] = '/';
	longdir[8191] = '\0';
	cr_assert_eq(lc_cloud_open(c, longdir, LC_CLOUD_OPEN_CREATE), LC_EINVALID);
	cr_assert(msg_has("long"), "%s", lc_error_last()->message);
	cr_assert_not(exists(dir));
	/* None of that changed the handle. */
	cr_assert_null(lc_cloud_path(c));
	cr_assert_eq(lc_cloud_open(c, dir, LC_CLOUD_OPEN_CREATE), 0, "%s", lc_error_last()->message);
	lc_cloud_free(c);
	free(longdir);
	free(dir);
}

Test(cloud, unknown_flags_are_invalid_and_create_nothing)
{
	char *dir = path_in(tmp, "flags");
	lc_cloud *c = new_cloud();

	cr_assert_eq(lc_cloud_open(c, dir, LC_CLOUD_OPEN_CREATE | (1u << 7)), LC_EINVALID);
	cr_assert(msg_has("flags"), "%s", lc_error_last()->message);
	cr_assert_eq(lc_cloud_open(c, dir, 0x80000000u), LC_EINVALID);
	cr_assert_not(exists(dir));
	lc_cloud_free(c);
	free(dir);
}

Test(cloud, opening_twice_is_invalid_and_keeps_the_first_open)
{
	char *a = path_in(tmp, "a"), *b = path_in(tmp, "b");
	lc_cloud *c = open_cloud(a, LC_CLOUD_OPEN_CREATE);

	cr_assert_eq(lc_cloud_open(c, b, LC_CLOUD_OPEN_CREATE), LC_EINVALID);
	cr_assert(msg_has("already open"), "%s", lc_error_last()->message);
	cr_assert_eq(lc_cloud_open(c, a, 0), LC_EINVALID);
	cr_assert_not(exists(b));
	cr_assert_str_eq(lc_cloud_path(c), a);
	create_project(c, "still-works");
	cr_assert(project_exists(c, "still-works"));
	lc_cloud_free(c);
	free(a);
	free(b);
}

/* ---- options ---- */

Test(cloud, options_versions_are_checked)
{
	lc_cloud_opts o = LC_CLOUD_OPTS_INIT;
	lc_cloud *c = (lc_cloud *)1;

	o.version = 0;
	cr_assert_eq(lc_cloud_new(&c, &o), LC_EINVALID);
	cr_assert_null(c);
	cr_assert(msg_has("version"), "%s", lc_error_last()->message);
	o.version = LC_CLOUD_OPTS_VERSION + 1;
	cr_assert_eq(lc_cloud_new(&c, &o), LC_EINVALID);
	cr_assert_null(c);

	cr_assert_eq(lc_cloud_opts_init(NULL, LC_CLOUD_OPTS_VERSION), LC_EINVALID);
	cr_assert_eq(lc_cloud_opts_init(&o, 0), LC_EINVALID);
	cr_assert_eq(lc_cloud_opts_init(&o, LC_CLOUD_OPTS_VERSION + 1), LC_EINVALID);
	cr_assert_eq(lc_cloud_opts_init(&o, LC_CLOUD_OPTS_VERSION), 0);
	cr_assert_eq(o.version, LC_CLOUD_OPTS_VERSION);
	cr_assert_eq(o.pwhash_strength, LC_PWHASH_INTERACTIVE);
	cr_assert_eq(o.map_size_bytes, 0);
	cr_assert_null(o.log_cb);

	/* NULL options: every default. */
	cr_assert_eq(lc_cloud_new(&c, NULL), 0);
	lc_cloud_free(c);
}

Test(cloud, option_values_out_of_range_are_invalid)
{
	lc_cloud_opts o;
	lc_cloud *c = NULL;

	o = fast_opts();
	o.pwhash_strength = 3;
	cr_assert_eq(lc_cloud_new(&c, &o), LC_EINVALID);
	cr_assert(msg_has("pwhash_strength"), "%s", lc_error_last()->message);
	o = fast_opts();
	o.pwhash_strength = -1;
	cr_assert_eq(lc_cloud_new(&c, &o), LC_EINVALID);
	o = fast_opts();
	o.log_level = LC_LOG_DEBUG + 1;
	cr_assert_eq(lc_cloud_new(&c, &o), LC_EINVALID);
	cr_assert(msg_has("log_level"), "%s", lc_error_last()->message);
	o = fast_opts();
	o.token_keys_kept = 1;
	cr_assert_eq(lc_cloud_new(&c, &o), LC_EINVALID);
	cr_assert(msg_has("token_keys_kept"), "%s", lc_error_last()->message);
	cr_assert_null(c);
}

Test(cloud, a_tiny_initial_map_size_is_refused_at_new_or_grows)
{
	static const uint64_t sizes[] = { 1, 4096, 8192 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		lc_cloud_opts o = fast_opts();
		lc_cloud *c = NULL;
		char name[16];
		char *dir;
		int rc;

		snprintf(name, sizeof(name), "tiny%zu", i);
		dir = path_in(tmp, name);
		o.map_size_bytes = sizes[i];
		rc = lc_cloud_new(&c, &o);
		if (rc == LC_EINVALID) { /* a clear refusal up front is fine */
			cr_assert(strstr(lc_error_last()->message, "map_size") != NULL, "%s", lc_error_last()->message);
			free(dir);
			continue;
		}
		cr_assert_eq(rc, 0);
		/* Otherwise the documented contract holds: "Grows on demand". */
		rc = lc_cloud_open(c, dir, LC_CLOUD_OPEN_CREATE);
		cr_assert_eq(rc, 0, "map_size_bytes %llu: %s (%s)", (unsigned long long)sizes[i], lc_strerror(rc),
			     lc_error_last()->message);
		create_project(c, "fits");
		lc_cloud_free(c);
		free(dir);
	}
}

/* ---- version, errors, logging ---- */

Test(cloud, lc_version_matches_the_headers)
{
	int major = -1, minor = -1, patch = -1;

	cr_assert_eq(lc_version(&major, &minor, &patch), LC_VERSION_NUMBER);
	cr_assert_eq(major, LC_VERSION_MAJOR);
	cr_assert_eq(minor, LC_VERSION_MINOR);
	cr_assert_eq(patch, LC_VERSION_PATCH);
	cr_assert_eq(lc_version(NULL, NULL, NULL), LC_VERSION_NUMBER);
	cr_assert_eq(LC_VERSION_NUMBER, major * 10000 + minor * 100 + patch);
	{
		char v[32];
		snprintf(v, sizeof(v), "%d.%d.%d", major, minor, patch);
		cr_assert_str_eq(v, LC_VERSION_STRING);
	}
}

Test(cloud, every_error_code_has_its_own_text)
{
	static const int codes[] = {
		LC_OK, LC_ERROR, LC_ENOTFOUND, LC_EEXISTS, LC_EINVALID, LC_ECONFLICT, LC_EQUOTA,
		LC_EFORBIDDEN, LC_EAUTH, LC_ENOTSUPPORTED, LC_EBACKEND, LC_ENOMEM, LC_EUSER, LC_EIO,
		LC_ECORRUPT, LC_ETOOLARGE, LC_EBUSY, LC_ITEROVER,
	};
	const size_t n = sizeof(codes) / sizeof(codes[0]);
	const char *unknown = lc_strerror(-9999);

	cr_assert_not_null(unknown);
	cr_assert_str_eq(unknown, "unknown error");
	cr_assert_str_eq(lc_strerror(1), unknown);
	cr_assert_str_eq(lc_strerror(-2), unknown); /* a gap in the numbering */
	for (size_t i = 0; i < n; i++) {
		const char *t = lc_strerror(codes[i]);
		cr_assert_not_null(t, "code %d", codes[i]);
		cr_assert_gt(strlen(t), 0, "code %d", codes[i]);
		cr_assert_str_neq(t, unknown, "code %d has no text", codes[i]);
		for (size_t j = 0; j < i; j++)
			cr_assert_str_neq(t, lc_strerror(codes[j]), "codes %d and %d share '%s'", codes[i], codes[j], t);
	}
}

Test(cloud, error_values_are_never_renumbered)
{
	cr_assert_eq(LC_OK, 0);
	cr_assert_eq(LC_ERROR, -1);
	cr_assert_eq(LC_ENOTFOUND, -3);
	cr_assert_eq(LC_EEXISTS, -4);
	cr_assert_eq(LC_EINVALID, -5);
	cr_assert_eq(LC_ECONFLICT, -6);
	cr_assert_eq(LC_EQUOTA, -7);
	cr_assert_eq(LC_EFORBIDDEN, -8);
	cr_assert_eq(LC_EAUTH, -9);
	cr_assert_eq(LC_ENOTSUPPORTED, -10);
	cr_assert_eq(LC_EBACKEND, -11);
	cr_assert_eq(LC_ENOMEM, -12);
	cr_assert_eq(LC_EUSER, -13);
	cr_assert_eq(LC_EIO, -14);
	cr_assert_eq(LC_ECORRUPT, -15);
	cr_assert_eq(LC_ETOOLARGE, -16);
	cr_assert_eq(LC_EBUSY, -17);
	cr_assert_eq(LC_ITEROVER, -31);
}

Test(cloud, the_last_error_is_never_null_and_cleared_by_the_next_call)
{
	lc_cloud_opts o;

	cr_assert_not_null(lc_error_last());
	cr_assert_not_null(lc_error_last()->message);
	cr_assert_eq(lc_cloud_opts_init(NULL, 1), LC_EINVALID);
	cr_assert_eq(lc_error_last()->code, LC_EINVALID);
	cr_assert_gt(strlen(lc_error_last()->message), 0);
	cr_assert_eq(lc_cloud_opts_init(&o, 1), 0);
	cr_assert_eq(lc_error_last()->code, LC_OK);
	cr_assert_str_eq(lc_error_last()->message, "");
}

struct logbook {
	int lines;
	int saw_open;
	int worst_level;
};

static void log_cb(int level, const char *message, void *payload)
{
	struct logbook *b = payload;

	b->lines++;
	if (level > b->worst_level)
		b->worst_level = level;
	if (strstr(message, "opened") != NULL)
		b->saw_open = 1;
}

Test(cloud, log_lines_go_to_the_host_callback_up_to_its_level)
{
	struct logbook info = { 0, 0, -1 }, warn = { 0, 0, -1 };
	lc_cloud_opts o = fast_opts();
	lc_cloud *c = NULL;
	char *a = path_in(tmp, "la"), *b = path_in(tmp, "lb");

	o.log_cb = log_cb;
	o.log_payload = &info;
	o.log_level = LC_LOG_INFO;
	cr_assert_eq(lc_cloud_new(&c, &o), 0);
	cr_assert_eq(lc_cloud_open(c, a, LC_CLOUD_OPEN_CREATE), 0);
	lc_cloud_free(c);
	cr_assert(info.saw_open, "the INFO line about the open was not delivered");
	cr_assert_leq(info.worst_level, LC_LOG_INFO);

	o.log_payload = &warn;
	o.log_level = LC_LOG_WARN;
	cr_assert_eq(lc_cloud_new(&c, &o), 0);
	cr_assert_eq(lc_cloud_open(c, b, LC_CLOUD_OPEN_CREATE), 0);
	lc_cloud_free(c);
	cr_assert_not(warn.saw_open, "an INFO line passed a WARN filter");
	cr_assert_leq(warn.worst_level, LC_LOG_WARN);
	free(a);
	free(b);
}

/* ---- corrupt stores ---- */

static void fill_garbage(char *buf, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (char)(seed >> 16);
	}
}

static void expect_corrupt_open(const char *dir)
{
	lc_cloud *c = new_cloud();
	int rc = lc_cloud_open(c, dir, LC_CLOUD_OPEN_CREATE);

	cr_assert_eq(rc, LC_ECORRUPT, "%s: %s (%s)", dir, lc_strerror(rc), lc_error_last()->message);
	cr_assert_null(lc_cloud_path(c));
	lc_cloud_free(c);
}

Test(cloud, a_garbage_metadata_file_is_corrupt_not_a_crash)
{
	static const size_t sizes[] = { 100, 4096, 16384, 65536 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char name[32];
		char *dir, *meta, *data;
		char *junk = malloc(sizes[i]);

		snprintf(name, sizeof(name), "junk%zu", i);
		dir = path_in(tmp, name);
		meta = path_in(dir, "meta");
		data = path_in(dir, "meta/data.mdb");
		cr_assert_eq(mkdir(dir, 0700), 0);
		cr_assert_eq(mkdir(meta, 0700), 0);
		fill_garbage(junk, sizes[i], (unsigned)i + 1);
		write_file(data, junk, sizes[i]);
		expect_corrupt_open(dir);
		free(junk);
		free(data);
		free(meta);
		free(dir);
	}
}

Test(cloud, a_used_store_overwritten_with_garbage_is_corrupt)
{
	char *dir = path_in(tmp, "used"), *data = path_in(dir, "meta/data.mdb");
	lc_cloud *c = open_cloud(dir, LC_CLOUD_OPEN_CREATE);
	struct stat sb;
	char *junk;

	create_project(c, "p");
	lc_cloud_free(c);
	cr_assert_eq(stat(data, &sb), 0);
	junk = malloc((size_t)sb.st_size);
	fill_garbage(junk, (size_t)sb.st_size, 42);
	write_file(data, junk, (size_t)sb.st_size);
	expect_corrupt_open(dir);
	free(junk);
	free(data);
	free(dir);
}

Test(cloud, a_damaged_token_key_file_is_corrupt)
{
	char *dir = path_in(tmp, "keys"), *keys = path_in(dir, "keys");
	lc_cloud *c = open_cloud(dir, LC_CLOUD_OPEN_CREATE);
	char *key;

	lc_cloud_free(c);
	key = path_in(keys, "1");
	cr_assert(exists(key), "the first token key is keys/1");
	write_file(key, "short", 5);
	expect_corrupt_open(dir);
	free(key);
	free(keys);
	free(dir);
}

/* ---- two processes ---- */

/* Read one byte from fd (a step of the other process), failing the test on EOF. */
static int wait_step(int fd)
{
	char b;

	return read(fd, &b, 1) == 1 ? 0 : -1;
}

static void signal_step(int fd)
{
	char b = 1;

	if (write(fd, &b, 1) != 1)
		_exit(99);
}

#define NPROC_WRITES 40

/*
 * One side of the two-process test: open dir, tell the other side, wait for
 * it, write NPROC_WRITES projects named "<me>-<i>", exchange a step again,
 * then count the other side's projects. Returns how many it saw (or < 0).
 */
static int two_process_side(const char *dir, unsigned int flags, uint64_t map, const char *me, const char *other,
			    int rfd, int wfd)
{
	lc_cloud_opts o = fast_opts();
	lc_cloud *c = NULL;
	lc_session *s = NULL;
	int seen = 0;

	o.map_size_bytes = map;
	/* Both sides open at once. */
	signal_step(wfd);
	if (wait_step(rfd) < 0)
		return -5;
	if (lc_cloud_new(&c, &o) != 0 || lc_cloud_open(c, dir, flags) != 0)
		return -1;
	signal_step(wfd);
	if (wait_step(rfd) < 0 || lc_session_system(&s, c) != 0)
		return -2;
	for (int i = 0; i < NPROC_WRITES; i++) {
		lc_project_opts po = LC_PROJECT_OPTS_INIT;
		char name[32];

		snprintf(name, sizeof(name), "%s-%d", me, i);
		po.name = name;
		po.description = "written while another process writes the same store, padding it a little";
		if (lc_project_create(NULL, s, &po) != 0)
			return -3;
	}
	signal_step(wfd);
	if (wait_step(rfd) < 0)
		return -4;
	for (int i = 0; i < NPROC_WRITES; i++) {
		lc_project *p = NULL;
		char name[32];

		snprintf(name, sizeof(name), "%s-%d", other, i);
		if (lc_project_find(&p, s, NULL, name) == 0)
			seen++;
		lc_project_free(p);
	}
	lc_session_free(s);
	lc_cloud_free(c);
	return seen;
}

static void run_two_processes(const char *dir, unsigned int flags, uint64_t map)
{
	int to_child[2], to_parent[2], st, seen;
	pid_t pid;

	cr_assert_eq(pipe(to_child), 0);
	cr_assert_eq(pipe(to_parent), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		seen = two_process_side(dir, flags, map, "child", "parent", to_child[0], to_parent[1]);
		_exit(seen == NPROC_WRITES ? 0 : seen < 0 ? 100 - seen : 10);
	}
	close(to_child[0]);
	close(to_parent[1]);
	seen = two_process_side(dir, flags, map, "parent", "child", to_parent[0], to_child[1]);
	close(to_child[1]);
	close(to_parent[0]);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert_eq(seen, NPROC_WRITES, "the parent saw %d of the child's projects", seen);
	cr_assert(WIFEXITED(st), "the child crashed (status %d)", st);
	cr_assert_eq(WEXITSTATUS(st), 0, "the child failed (exit %d: 10 = missed records, 101.. = step)",
		     WEXITSTATUS(st));
}

Test(cloud, two_processes_open_one_directory_and_see_each_others_writes)
{
	char *dir = path_in(tmp, "shared");
	lc_cloud *c = open_cloud(dir, LC_CLOUD_OPEN_CREATE);

	lc_cloud_free(c);
	run_two_processes(dir, 0, 0);
	free(dir);
}

Test(cloud, two_processes_creating_the_same_new_directory_both_succeed)
{
	char *dir = path_in(tmp, "fresh");

	run_two_processes(dir, LC_CLOUD_OPEN_CREATE, 0);
	free(dir);
}

Test(cloud, two_processes_growing_a_small_map_see_each_others_writes)
{
	char *dir = path_in(tmp, "grow");
	lc_cloud *c;
	lc_cloud_opts o = fast_opts();

	o.map_size_bytes = 256 << 10;
	cr_assert_eq(lc_cloud_new(&c, &o), 0);
	cr_assert_eq(lc_cloud_open(c, dir, LC_CLOUD_OPEN_CREATE), 0, "%s", lc_error_last()->message);
	lc_cloud_free(c);
	run_two_processes(dir, 0, 256 << 10);
	free(dir);
}

Test(cloud, a_token_issued_by_one_process_validates_in_another)
{
	char *dir = path_in(tmp, "tok");
	lc_cloud *c = open_cloud(dir, LC_CLOUD_OPEN_CREATE);
	lc_bootstrap_opts b = LC_BOOTSTRAP_OPTS_INIT;
	lc_auth_opts a = LC_AUTH_OPTS_INIT;
	lc_session *s = NULL;
	int fds[2], st;
	pid_t pid;

	b.admin_password = "pw-of-admin";
	cr_assert_eq(lc_cloud_bootstrap(c, &b), 0, "%s", lc_error_last()->message);
	lc_cloud_free(c);
	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		/* The child authenticates and hands its token over. */
		lc_cloud_opts o = fast_opts();
		lc_cloud *cc = NULL;
		lc_session *cs = NULL;
		const char *tok;

		close(fds[0]);
		a.user_name = "admin";
		a.user_domain_name = "Default";
		a.password = "pw-of-admin";
		a.scope = LC_SCOPE_SYSTEM;
		if (lc_cloud_new(&cc, &o) != 0 || lc_cloud_open(cc, dir, 0) != 0 ||
		    lc_session_password(&cs, cc, &a) != 0)
			_exit(1);
		tok = lc_session_token_id(cs);
		if (write(fds[1], tok, strlen(tok)) != (ssize_t)strlen(tok))
			_exit(2);
		close(fds[1]);
		lc_session_free(cs);
		lc_cloud_free(cc);
		_exit(0);
	}
	close(fds[1]);
	{
		char tok[512];
		ssize_t n, got = 0;

		while ((n = read(fds[0], tok + got, sizeof(tok) - 1 - (size_t)got)) > 0)
			got += n;
		tok[got] = '\0';
		close(fds[0]);
		cr_assert_eq(waitpid(pid, &st, 0), pid);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
		c = open_cloud(dir, 0);
		cr_assert_eq(lc_session_token(&s, c, tok), 0, "%s", lc_error_last()->message);
		cr_assert_eq(lc_session_scope(s), LC_SCOPE_SYSTEM);
		lc_session_free(s);
		lc_cloud_free(c);
	}
	free(dir);
}
