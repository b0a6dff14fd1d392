/* The compute service: its databases, its state, and the reconciliation at open. */
#include "compute/service.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/policy.h"
#include "core/resource.h"

lc__compute *lc__compute_of(const lc_cloud *c)
{
	return c->svc[LC__SVC_COMPUTE];
}

int lc__mkdirs(const char *path)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return lc__error_set(LC_EINVALID, "path too long");
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0; /* the common case: the parents exist */
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return lc__error_errno("cannot create directory", buf);
		*p = '/';
	}
	if (mkdir(buf, 0700) != 0 && errno != EEXIST)
		return lc__error_errno("cannot create directory", buf);
	return 0;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(p);
	return 0;
}

void lc__rmtree(const char *path)
{
	struct stat sb;

	if (path == NULL || rmdir(path) == 0 || errno == ENOENT)
		return; /* the common case: an empty directory */
	if (lstat(path, &sb) == 0)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The scheduler settings, stored under "scheduler" in the config database. */
struct stored_conf {
	int32_t weigher;
	int32_t pad;
	double ram, cpu, disk;
};

static int load_conf(lc__compute *cs)
{
	lc__txn t;
	MDB_val v;
	int rc;

	cs->conf.weigher = LC_SCHEDULER_SPREAD;
	cs->conf.ram_mult = 1.0;
	cs->conf.cpu_mult = 1.0;
	cs->conf.disk_mult = 0.0;
	LC_TRY(lc__store_read(cs->cloud->store, &t));
	rc = lc__txn_get(&t, &lc__compute_config_db, "scheduler", 9, &v);
	if (rc == 0 && v.mv_size == sizeof(struct stored_conf)) {
		struct stored_conf sc;

		memcpy(&sc, v.mv_data, sizeof(sc));
		cs->conf.weigher = sc.weigher;
		cs->conf.ram_mult = sc.ram;
		cs->conf.cpu_mult = sc.cpu;
		cs->conf.disk_mult = sc.disk;
	}
	lc__store_read_end(&t);
	return rc == LC_ENOTFOUND || rc == 0 ? 0 : rc;
}

LC__OPTS_INIT_FN(lc_scheduler_opts_init, lc_scheduler_opts, LC_SCHEDULER_OPTS_INIT, LC_SCHEDULER_OPTS_VERSION)

static int mult_ok(double m)
{
	return m >= 0 && m <= 1e6; /* also false for NaN */
}

static int conf_tx(lc__txn *t, void *p)
{
	return lc__txn_put(t, &lc__compute_config_db, "scheduler", 9, p, sizeof(struct stored_conf), 0);
}

LC_EXTERN int lc_scheduler_configure(lc_session *s, const lc_scheduler_opts *opts)
{
	struct stored_conf sc;
	lc__compute *cs;

	lc__error_clear();
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION(opts, LC_SCHEDULER_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "compute:configure_scheduler", NULL, NULL));
	LC_CHECK_ARG(opts->weigher == LC_SCHEDULER_SPREAD || opts->weigher == LC_SCHEDULER_PACK, "weigher");
	LC_CHECK_ARG(mult_ok(opts->ram_weight_multiplier), "ram_weight_multiplier");
	LC_CHECK_ARG(mult_ok(opts->cpu_weight_multiplier), "cpu_weight_multiplier");
	LC_CHECK_ARG(mult_ok(opts->disk_weight_multiplier), "disk_weight_multiplier");
	memset(&sc, 0, sizeof(sc));
	sc.weigher = opts->weigher;
	sc.ram = opts->ram_weight_multiplier;
	sc.cpu = opts->cpu_weight_multiplier;
	sc.disk = opts->disk_weight_multiplier;
	LC_TRY(lc__store_write(lc__session_store(s), conf_tx, &sc));
	cs = lc__compute_of(s->cloud);
	pthread_rwlock_wrlock(&cs->lock);
	cs->conf.weigher = sc.weigher;
	cs->conf.ram_mult = sc.ram;
	cs->conf.cpu_mult = sc.cpu;
	cs->conf.disk_mult = sc.disk;
	pthread_rwlock_unlock(&cs->lock);
	return 0;
}

LC_EXTERN int lc_scheduler_get(lc_scheduler_opts *out, lc_session *s)
{
	lc__compute *cs;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "compute:configure_scheduler", NULL, NULL));
	cs = lc__compute_of(s->cloud);
	pthread_rwlock_rdlock(&cs->lock);
	out->version = LC_SCHEDULER_OPTS_VERSION;
	out->weigher = cs->conf.weigher;
	out->ram_weight_multiplier = cs->conf.ram_mult;
	out->cpu_weight_multiplier = cs->conf.cpu_mult;
	out->disk_weight_multiplier = cs->conf.disk_mult;
	pthread_rwlock_unlock(&cs->lock);
	return 0;
}

static void release_builtin(lc_compute_driver *d)
{
	if (d && d->base.free)
		d->base.free(&d->base);
}

static void compute_close(void *state)
{
	lc__compute *cs = state;

	if (cs == NULL)
		return;
	lc__hcache_free(cs->cache);
	release_builtin(cs->builtin_fake);
	release_builtin(cs->builtin_libvirt);
	pthread_rwlock_destroy(&cs->lock);
	pthread_mutex_destroy(&cs->serial_lock);
	free(cs->instances_dir);
	free(cs);
}

static int compute_open(lc_cloud *c, void **state)
{
	lc__compute *cs = calloc(1, sizeof(*cs));
	int rc;

	if (cs == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	cs->cloud = c;
	pthread_rwlock_init(&cs->lock, NULL);
	pthread_mutex_init(&cs->serial_lock, NULL);
	if (asprintf(&cs->instances_dir, "%s/data/compute/instances", c->path) < 0) {
		cs->instances_dir = NULL;
		compute_close(cs);
		return lc__error_set(LC_ENOMEM, "out of memory");
	}
	if ((rc = lc__mkdirs(cs->instances_dir)) < 0 || (rc = load_conf(cs)) < 0 ||
	    (rc = lc_compute_fake_new(&cs->builtin_fake, "fake")) < 0 ||
	    (rc = lc_compute_libvirt_new(&cs->builtin_libvirt, "libvirt")) < 0) {
		compute_close(cs);
		return rc;
	}
	/* the state is needed by the reconciliation, which calls the drivers */
	c->svc[LC__SVC_COMPUTE] = cs;
	rc = lc__server_reconcile(cs);
	c->svc[LC__SVC_COMPUTE] = NULL;
	if (rc < 0) {
		compute_close(cs);
		return rc;
	}
	*state = cs;
	return 0;
}

const lc__service lc__compute_service = {
	"compute", lc__compute_dbs, 1, NULL, compute_open, compute_close,
};
