/* The cloud handle: create -> register drivers -> open -> free. */
#include "core/cloud.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libcloud/errors.h>
#include <libcloud/list.h>
#include <libcloud/version.h>

#include "core/error.h"
#include "core/resource.h"
#include "core/event.h"
#include "core/quota.h"
#include "core/schema.h"
#include "services.h"

#define DEFAULT_MAP_SIZE (UINT64_C(64) << 20)
#define MIN_MAP_SIZE (UINT64_C(1) << 20)
#define PATH_MAX_LEN 3072

LC_EXTERN int lc_version(int *major, int *minor, int *patch)
{
	if (major)
		*major = LC_VERSION_MAJOR;
	if (minor)
		*minor = LC_VERSION_MINOR;
	if (patch)
		*patch = LC_VERSION_PATCH;
	return LC_VERSION_NUMBER;
}

LC__OPTS_INIT_FN(lc_cloud_opts_init, lc_cloud_opts, LC_CLOUD_OPTS_INIT, LC_CLOUD_OPTS_VERSION)

LC__OPTS_INIT_FN(lc_list_opts_init, lc_list_opts, LC_LIST_OPTS_INIT, LC_LIST_OPTS_VERSION)

LC_EXTERN int lc_cloud_new(lc_cloud **out, const lc_cloud_opts *opts)
{
	lc_cloud *c;
	lc_cloud_opts defaults = LC_CLOUD_OPTS_INIT;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_VERSION(opts, LC_CLOUD_OPTS_VERSION);
	if (opts == NULL)
		opts = &defaults;
	LC_CHECK_ARG(opts->pwhash_strength >= LC_PWHASH_INTERACTIVE && opts->pwhash_strength <= LC_PWHASH_MIN,
		     "pwhash_strength");
	LC_CHECK_ARG(opts->log_level >= LC_LOG_ERROR && opts->log_level <= LC_LOG_DEBUG, "log_level");
	LC_CHECK_ARG(opts->token_keys_kept == 0 || opts->token_keys_kept >= 2, "token_keys_kept (0 or >= 2)");
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	c->opts = *opts;
	c->opts.version = LC_CLOUD_OPTS_VERSION;
	if (c->opts.map_size_bytes == 0)
		c->opts.map_size_bytes = DEFAULT_MAP_SIZE;
	else if (c->opts.map_size_bytes < MIN_MAP_SIZE) /* room for the databases themselves; grows from there */
		c->opts.map_size_bytes = MIN_MAP_SIZE;
	if (c->opts.token_ttl_seconds == 0)
		c->opts.token_ttl_seconds = 3600;
	if (c->opts.token_keys_kept == 0)
		c->opts.token_keys_kept = 3;
	pthread_mutex_init(&c->sub_lock, NULL);
	*out = c;
	return 0;
}

void lc__log(const lc_cloud *c, int level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (c == NULL || c->opts.log_cb == NULL || level > c->opts.log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	c->opts.log_cb(level, buf, c->opts.log_payload);
}

int lc__cloud_check(const lc_cloud *c)
{
	if (c == NULL)
		return lc__error_set(LC_EINVALID, "invalid argument: cloud is NULL");
	if (!c->opened)
		return lc__error_set(LC_EINVALID, "the cloud is not open");
	return 0;
}

static int make_dir(const char *path, int create)
{
	struct stat sb;

	if (stat(path, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return lc__error_set(LC_EINVALID, "%s is not a directory", path);
		if (access(path, W_OK | X_OK) != 0)
			return lc__error_set(LC_EIO, "%s is not writable", path);
		return 0;
	}
	if (!create || errno != ENOENT)
		return lc__error_errno("cannot use directory", path);
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return lc__error_errno("cannot create directory", path);
	return 0;
}

static int collect_dbs(const lc__dbdef ***out, size_t *n)
{
	static const lc__dbdef *const core_dbs[] = { &lc__meta_db, &lc__event_db, &lc__quota_db, &lc__quota_usage_db };
	size_t ncore = sizeof(core_dbs) / sizeof(core_dbs[0]), total = ncore;
	const lc__dbdef **all;

	for (size_t s = 0; s < lc__nservices; s++)
		for (const lc__dbdef *const *d = lc__services[s]->dbs; d && *d; d++)
			total++;
	all = malloc(total * sizeof(*all));
	if (all == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	memcpy(all, core_dbs, sizeof(core_dbs));
	*n = ncore;
	for (size_t s = 0; s < lc__nservices; s++)
		for (const lc__dbdef *const *d = lc__services[s]->dbs; d && *d; d++)
			all[(*n)++] = *d;
	*out = all;
	return 0;
}

static int check_schemas(lc_cloud *c)
{
	lc__schema schemas[LC__SERVICE_SLOTS];

	for (size_t s = 0; s < lc__nservices; s++) {
		schemas[s].name = lc__services[s]->name;
		schemas[s].version = lc__services[s]->schema_version;
		schemas[s].migrate = lc__services[s]->migrate;
	}
	return lc__schema_check(c->store, schemas, lc__nservices);
}

static void close_services(lc_cloud *c)
{
	for (size_t s = lc__nservices; s-- > 0;) {
		if (c->svc[s] && lc__services[s]->close)
			lc__services[s]->close(c->svc[s]);
		c->svc[s] = NULL;
	}
}

LC_EXTERN int lc_cloud_open(lc_cloud *c, const char *dir, unsigned int flags)
{
	char meta[PATH_MAX_LEN + 8];
	const lc__dbdef **dbs = NULL;
	size_t ndbs = 0;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(c);
	LC_CHECK_NOTNULL(dir);
	LC_CHECK_ARG(*dir != '\0', "dir is empty");
	LC_CHECK_ARG(strlen(dir) < PATH_MAX_LEN, "dir is too long");
	LC_CHECK_FLAGS(flags, LC_CLOUD_OPEN_CREATE | LC_CLOUD_OPEN_NOSYNC);
	if (c->opened || c->path)
		return lc__error_set(LC_EINVALID, "the cloud is already open");
	LC_TRY(make_dir(dir, flags & LC_CLOUD_OPEN_CREATE));
	snprintf(meta, sizeof(meta), "%s/meta", dir);
	LC_TRY(make_dir(meta, 1));
	c->path = strdup(dir);
	if (c->path == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	c->open_flags = flags;
	LC_TRY(collect_dbs(&dbs, &ndbs));
	rc = lc__store_open(&c->store, meta, c->opts.map_size_bytes,
			    (flags & LC_CLOUD_OPEN_NOSYNC) ? LC__STORE_NOSYNC : 0, dbs, ndbs);
	free(dbs);
	if (rc < 0)
		goto fail;
	lc__store_set_commit_hook(c->store, lc__event_dispatch, c);
	if ((rc = check_schemas(c)) < 0)
		goto fail;
	c->opened = 1; /* services may call the public API while they open */
	for (size_t s = 0; s < lc__nservices; s++) {
		if (lc__services[s]->open && (rc = lc__services[s]->open(c, &c->svc[s])) < 0) {
			c->opened = 0;
			goto fail;
		}
	}
	lc__log(c, LC_LOG_INFO, "opened cloud in %s", dir);
	lc__error_clear();
	return 0;
fail:
	if (c->store)
		(void)lc__store_flush(c->store);
	close_services(c);
	lc__store_close(c->store);
	c->store = NULL;
	free(c->path);
	c->path = NULL;
	return rc;
}

LC_EXTERN void lc_cloud_free(lc_cloud *c)
{
	if (c == NULL)
		return;
	if (c->store)
		(void)lc__store_flush(c->store); /* deferred writes reach their services before those close */
	close_services(c);
	lc__store_close(c->store);
	lc__cloud_free_drivers(c);
	pthread_mutex_destroy(&c->sub_lock);
	free(c->subs);
	free(c->path);
	free(c);
}

LC_EXTERN const char *lc_cloud_path(const lc_cloud *c)
{
	return c && c->opened ? c->path : NULL;
}
