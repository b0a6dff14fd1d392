/*
 * Server actions: power operations, resize (confirm, revert), rebuild,
 * snapshot, power-state refresh. Each is two short transactions around the
 * driver call: the first checks the state and records the task, the second
 * records the outcome.
 */
#include <libcloud/server.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "compute/common.h"
#include "compute/compute.h"
#include "compute/server_internal.h"
#include "core/error.h"
#include "core/policy.h"
#include "core/quota.h"
#include "core/resource.h"
#include "core/text.h"
#include "network/attach.h"

/* ---- the driver's view of a server ---- */

static int fetch_image(const char *dest, void *p)
{
	lc__inst *in = p;

	if (in->session == NULL || !in->has_img)
		return lc__error_set(LC_ENOTFOUND, "no image to fetch");
	return lc__cimage_fetch(in->session, in->img.id, dest);
}

static const char *const empty_list[] = { NULL };

int lc__inst_init(lc__inst *in, lc__compute *cs, lc_session *s, const lc__rec *r, const char *host_name,
		  const lc__val *flavor, unsigned int flags)
{
	lc__rec *h = NULL;
	lc__txn t;
	int rc;

	memset(in, 0, sizeof(*in));
	in->session = s;
	if (host_name == NULL || host_name[0] == '\0')
		return lc__error_set(LC_ECONFLICT, "server %s is on no compute host", lc__rec_str(r, SRV_ID));
	LC_TRY(lc__store_read(cs->cloud->store, &t));
	rc = lc__host_load_name(&t, host_name, &h);
	if (rc == 0 && (rc = lc__inst_nics(in, &t, r)) < 0)
		lc__rec_free(h);
	lc__store_read_end(&t);
	if (rc < 0) {
		lc__inst_fini(in);
		return rc;
	}
	snprintf(in->host, sizeof(in->host), "%s", host_name);
	snprintf(in->uri, sizeof(in->uri), "%s", lc__rec_str(h, HST_URI));
	snprintf(in->driver, sizeof(in->driver), "%s", lc__rec_str(h, HST_DRIVER));
	lc__rec_free(h);
	LC_TRY(lc__flavor_spec_parse(&in->flavor, flavor ? flavor : &r->v[SRV_FLAVOR]));
	LC_TRY(lc__kv_array(&in->flavor.extra, &in->extra));
	snprintf(in->dir, sizeof(in->dir), "%s/%s", cs->instances_dir, lc__rec_str(r, SRV_ID));
	snprintf(in->cfg, sizeof(in->cfg), "%s/config-drive", in->dir);
	if (!(flags & LC__INST_NO_DIR) && (rc = lc__mkdirs(in->dir)) < 0) {
		lc__inst_fini(in);
		return rc;
	}
	if ((flags & LC__INST_IMAGE) && lc__rec_str(r, SRV_IMAGE) && s != NULL) {
		rc = lc__cimage_get(s, lc__rec_str(r, SRV_IMAGE), &in->img);
		if (rc < 0) {
			lc__inst_fini(in);
			return rc;
		}
		in->has_img = 1;
		rc = lc__kv_array(&in->img.props, &in->props);
		if (rc < 0) {
			lc__inst_fini(in);
			return rc;
		}
	}
	in->ci.version = LC_COMPUTE_INSTANCE_VERSION;
	in->ci.id = lc__rec_str(r, SRV_ID);
	in->ci.name = lc__rec_str(r, SRV_NAME);
	in->ci.project_id = lc__rec_str(r, SRV_PROJECT);
	in->ci.user_id = lc__rec_str(r, SRV_USER);
	in->ci.host = in->host;
	in->ci.uri = in->uri;
	in->ci.instance_dir = in->dir;
	in->ci.flavor_id = in->flavor.id;
	in->ci.vcpus = in->flavor.vcpus;
	in->ci.memory_mib = in->flavor.ram;
	in->ci.root_gib = in->flavor.disk;
	in->ci.ephemeral_gib = in->flavor.ephemeral;
	in->ci.swap_mib = in->flavor.swap;
	in->ci.extra_specs = in->extra;
	in->ci.image_id = lc__rec_str(r, SRV_IMAGE);
	in->ci.image_disk_format = in->has_img && in->img.disk_format[0] ? in->img.disk_format : NULL;
	in->ci.image_properties = in->props ? in->props : empty_list;
	if (in->has_img) {
		in->ci.fetch_image = fetch_image;
		in->ci.fetch_payload = in;
	}
	return 0;
}

void lc__inst_fini(lc__inst *in)
{
	free(in->extra);
	free(in->props);
	free(in->nics);
	free(in->nic_store);
	in->nics = NULL;
	in->nic_store = NULL;
	in->nnics = 0;
	lc__cimage_fini(&in->img);
	in->extra = NULL;
	in->props = NULL;
}

/* Call one driver method on an instance (outside any transaction). */
typedef int (*inst_method)(lc_compute_driver *d, const lc_compute_instance *ci, unsigned int flags);

static int call_driver(lc__compute *cs, lc__inst *in, const char *what, size_t off, unsigned int flags)
{
	lc_compute_driver *d;
	void *fn;
	int rc;

	LC_TRY(lc__compute_driver(cs, in->driver, &d));
	memcpy(&fn, (const char *)d + off, sizeof(fn));
	if (fn == NULL)
		return lc__error_set(LC_ENOTSUPPORTED, "compute driver %s does not support %s", in->driver, what);
	lc__cdrv_enter(cs, d);
	lc__error_clear();
	if (off == offsetof(lc_compute_driver, power_off))
		rc = d->power_off(d, &in->ci, flags);
	else if (off == offsetof(lc_compute_driver, reboot))
		rc = d->reboot(d, &in->ci, flags);
	else
		rc = ((int (*)(lc_compute_driver *, const lc_compute_instance *))fn)(d, &in->ci);
	lc__cdrv_leave(cs, d);
	if (rc < 0 && lc__error_code() != rc)
		lc__error_set(rc, "compute driver %s failed to %s server %s", in->driver, what, in->ci.id);
	return rc < 0 ? rc : 0;
}

/* ---- the simple actions ---- */

typedef struct act {
	const char *name;      /* in the action log and messages */
	const char *op;        /* policy */
	const char *from[6];   /* vm states allowed */
	const char *task;      /* task_state meanwhile */
	size_t method;         /* offset of the driver method */
	const char *to;        /* vm state after */
	int power;             /* power state after */
} act;

#define M(x) offsetof(lc_compute_driver, x)

static const act a_stop = { "stop", "compute:stop_server", { VM_ACTIVE, VM_ERROR }, "powering-off",
			    M(power_off), VM_STOPPED, LC_POWER_SHUTDOWN };
static const act a_start = { "start", "compute:start_server", { VM_STOPPED }, "powering-on", M(power_on),
			     VM_ACTIVE, LC_POWER_RUNNING };
static const act a_reboot = { "reboot", "compute:reboot_server", { VM_ACTIVE }, "rebooting", M(reboot),
			      VM_ACTIVE, LC_POWER_RUNNING };
static const act a_reboot_hard = { "reboot", "compute:reboot_server",
				   { VM_ACTIVE, VM_STOPPED, VM_PAUSED, VM_SUSPENDED, VM_ERROR },
				   "rebooting_hard", M(reboot), VM_ACTIVE, LC_POWER_RUNNING };
static const act a_pause = { "pause", "compute:pause_server", { VM_ACTIVE }, "pausing", M(pause), VM_PAUSED,
			     LC_POWER_PAUSED };
static const act a_unpause = { "unpause", "compute:unpause_server", { VM_PAUSED }, "unpausing", M(unpause),
			       VM_ACTIVE, LC_POWER_RUNNING };
static const act a_suspend = { "suspend", "compute:suspend_server", { VM_ACTIVE }, "suspending", M(suspend),
			       VM_SUSPENDED, LC_POWER_SUSPENDED };
static const act a_resume = { "resume", "compute:resume_server", { VM_SUSPENDED }, "resuming", M(resume),
			      VM_ACTIVE, LC_POWER_RUNNING };

static int state_allowed(const char *const *from, const char *vm)
{
	for (int i = 0; i < 6 && from[i]; i++)
		if (strcmp(from[i], vm) == 0)
			return 1;
	return 0;
}

struct run {
	lc_session *s;
	const char *id;
	const act *a;
	char request[48];
	char host[LC_HOST_NAME_MAX + 1];
	int ok;
	char fault[1024];
};

static int conflict(const char *id, const char *what, const lc__rec *r)
{
	const char *task = lc__rec_str(r, SRV_TASK_STATE);

	if (task)
		return lc__error_set(LC_ECONFLICT, "Cannot '%s' instance %s while it is in task_state %s", what, id,
				     task);
	return lc__error_set(LC_ECONFLICT, "Cannot '%s' instance %s while it is in vm_state %s", what, id,
			     lc__rec_str(r, SRV_VM_STATE));
}

static int begin_task(lc__txn *t, lc_session *s, const lc__rec *r, const char *task, const char *arg,
		      const char *action, const char *request)
{
	lc__val v[LC__MAX_FIELDS];

	lc__rec_values(r, v);
	lc__val_str(&v[SRV_TASK_STATE], task);
	if (arg)
		lc__val_str(&v[SRV_TASK_ARG], arg);
	lc__val_int(&v[SRV_UPDATED], lc__now_us());
	LC_TRY(lc__rec_update(t, r, v));
	return lc__iaction_start(t, s, r, action, request);
}

static int run_begin_tx(lc__txn *t, void *p)
{
	struct run *c = p;
	lc__rec *r;
	int rc;

	LC_TRY(lc__server_load(t, c->s, c->id, c->a->op, &r));
	if (!state_allowed(c->a->from, lc__rec_str(r, SRV_VM_STATE)) || lc__rec_str(r, SRV_TASK_STATE)) {
		rc = conflict(c->id, c->a->name, r);
	} else if (lc__rec_str(r, SRV_HOST) == NULL) {
		rc = lc__error_set(LC_ECONFLICT, "Cannot '%s' instance %s: it is on no compute host", c->a->name,
				   c->id);
	} else {
		snprintf(c->host, sizeof(c->host), "%s", lc__rec_str(r, SRV_HOST));
		rc = begin_task(t, c->s, r, c->a->task, NULL, c->a->name, c->request);
	}
	lc__rec_free(r);
	return rc;
}

/* Record an action's outcome: on success vm/power as given; on failure a fault, the vm state kept. */
static int end_task(lc__txn *t, const char *id, const char *request, int ok, const char *vm, int power,
		    const char *fault, lc__val *extra, const int *extra_fields, size_t nextra)
{
	lc__rec *r;
	lc__val v[LC__MAX_FIELDS];
	int64_t now = lc__now_us();
	int rc = lc__rec_load(t, &lc__server_shape, id, &r);

	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	lc__rec_values(r, v);
	v[SRV_TASK_STATE].set = 0;
	v[SRV_TASK_ARG].set = 0;
	lc__val_int(&v[SRV_UPDATED], now);
	if (ok) {
		if (vm)
			lc__val_str(&v[SRV_VM_STATE], vm);
		if (power >= 0)
			lc__val_int(&v[SRV_POWER_STATE], power);
	} else {
		if (vm)
			lc__val_str(&v[SRV_VM_STATE], vm);
		lc__val_int(&v[SRV_FAULT_CODE], 500);
		lc__val_str(&v[SRV_FAULT_MESSAGE], fault);
		lc__val_int(&v[SRV_FAULT_TIME], now);
	}
	for (size_t i = 0; i < nextra; i++)
		v[extra_fields[i]] = extra[i];
	rc = lc__rec_update(t, r, v);
	if (rc == 0 && request)
		rc = lc__iaction_finish(t, id, request, ok, ok ? NULL : fault);
	lc__rec_free(r);
	return rc;
}

static int run_end_tx(lc__txn *t, void *p)
{
	struct run *c = p;

	return end_task(t, c->id, c->request, c->ok, c->ok ? c->a->to : NULL, c->a->power, c->fault, NULL, NULL, 0);
}

/* Load a server by id in a read transaction of its own. */
static int read_server(lc__compute *cs, const char *id, lc__rec **out)
{
	lc__txn t;
	int rc;

	LC_TRY(lc__store_read(cs->cloud->store, &t));
	rc = lc__rec_load(&t, &lc__server_shape, id, out);
	lc__store_read_end(&t);
	return rc;
}

static void fault_text(char *buf, size_t sz, const char *what, const char *id, int rc)
{
	const lc_error *e = lc_error_last();

	snprintf(buf, sz, "Failed to %s instance %s: %s", what, id, e->code == rc && e->message[0] ? e->message
												     : lc_strerror(rc));
}

static int run_action(lc_session *s, const char *id, const act *a, unsigned int flags)
{
	char key[LC__ID_TEXT];
	struct run c;
	lc__compute *cs;
	lc__rec *r = NULL;
	lc__inst in;
	int rc, rc2;

	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.id = key;
	c.a = a;
	lc__request_id(c.request);
	cs = lc__compute_of(s->cloud);
	LC_TRY(lc__store_write(lc__session_store(s), run_begin_tx, &c));
	rc = read_server(cs, key, &r);
	if (rc == 0)
		rc = lc__inst_init(&in, cs, s, r, c.host, NULL, 0);
	if (rc == 0) {
		rc = call_driver(cs, &in, a->name, a->method, flags);
		lc__inst_fini(&in);
	}
	lc__rec_free(r);
	c.ok = rc == 0;
	if (rc < 0)
		fault_text(c.fault, sizeof(c.fault), a->name, key, rc);
	rc2 = lc__store_write(lc__session_store(s), run_end_tx, &c);
	if (rc < 0)
		return lc__error_set(rc, "%s", c.fault);
	return rc2;
}

LC_EXTERN int lc_server_stop(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	LC_CHECK_FLAGS(flags, 0);
	return run_action(s, id, &a_stop, 0);
}

LC_EXTERN int lc_server_start(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	LC_CHECK_FLAGS(flags, 0);
	return run_action(s, id, &a_start, 0);
}

LC_EXTERN int lc_server_reboot(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	LC_CHECK_FLAGS(flags, LC_SERVER_REBOOT_HARD);
	if (flags & LC_SERVER_REBOOT_HARD)
		return run_action(s, id, &a_reboot_hard, LC_COMPUTE_HARD);
	return run_action(s, id, &a_reboot, 0);
}

LC_EXTERN int lc_server_pause(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	LC_CHECK_FLAGS(flags, 0);
	return run_action(s, id, &a_pause, 0);
}

LC_EXTERN int lc_server_unpause(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	LC_CHECK_FLAGS(flags, 0);
	return run_action(s, id, &a_unpause, 0);
}

LC_EXTERN int lc_server_suspend(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	LC_CHECK_FLAGS(flags, 0);
	return run_action(s, id, &a_suspend, 0);
}

LC_EXTERN int lc_server_resume(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	LC_CHECK_FLAGS(flags, 0);
	return run_action(s, id, &a_resume, 0);
}

/* ---- resize ---- */

int lc__resize_quota_settle(lc__txn *t, const lc__rec *r, int keep_new)
{
	lc__flavor_spec nf, of;
	const char *project = lc__rec_str(r, SRV_PROJECT);
	int64_t cores, ram;

	if (!lc__rec_set(r, SRV_PREV_FLAVOR) || !lc__rec_int(r, SRV_HELD))
		return 0;
	LC_TRY(lc__flavor_spec_parse(&nf, &r->v[SRV_FLAVOR]));
	LC_TRY(lc__flavor_spec_parse(&of, &r->v[SRV_PREV_FLAVOR]));
	/* held: the larger of the two; keep one of them */
	cores = (nf.vcpus > of.vcpus ? nf.vcpus : of.vcpus) - (keep_new ? nf.vcpus : of.vcpus);
	ram = (nf.ram > of.ram ? nf.ram : of.ram) - (keep_new ? nf.ram : of.ram);
	if (cores)
		LC_TRY(lc__quota_charge(t, project, LC_QUOTA_CORES, -cores));
	if (ram)
		LC_TRY(lc__quota_charge(t, project, LC_QUOTA_RAM_MIB, -ram));
	return 0;
}

struct resize {
	lc_session *s;
	lc__compute *cs;
	const char *id;
	const char *flavorid;
	char request[48];
	char *blob;
	size_t blen;
	lc__flavor_spec nf;
	int64_t ndisk;
	lc__sched_req rq;
	lc__sched_res res;
	char az[256];
	char host[LC_HOST_NAME_MAX + 1], new_host[LC_HOST_NAME_MAX + 1];
	char host_id[57];
	lc__host_delta deltas[2];
	size_t ndeltas;
	int ok;
	char fault[1024];
};

static int resize_begin_tx(lc__txn *t, void *p)
{
	struct resize *c = p;
	lc__rec *r, *cur_host = NULL;
	lc__flavor_spec of;
	lc__strlist gh;
	char *gstore = NULL;
	lc__val v[LC__MAX_FIELDS];
	const char *best = NULL, *vm;
	double bw = 0;
	char best_az[256] = "";
	int rc;

	c->ndeltas = 0;
	LC_TRY(lc__server_load(t, c->s, c->id, "compute:resize_server", &r));
	vm = lc__rec_str(r, SRV_VM_STATE);
	if ((strcmp(vm, VM_ACTIVE) && strcmp(vm, VM_STOPPED)) || lc__rec_str(r, SRV_TASK_STATE) ||
	    !lc__rec_int(r, SRV_HELD) || !lc__rec_str(r, SRV_HOST)) {
		rc = conflict(c->id, "resize", r);
		lc__rec_free(r);
		return rc;
	}
	rc = lc__flavor_spec_parse(&of, &r->v[SRV_FLAVOR]);
	if (rc == 0 && strcmp(of.id, c->nf.id) == 0)
		rc = lc__error_set(LC_EINVALID, "server %s already has flavor %s", c->id, c->nf.id);
	/* quota: the larger of the two sizes while the resize is pending */
	if (rc == 0 && c->nf.vcpus > of.vcpus)
		rc = lc__quota_charge(t, lc__rec_str(r, SRV_PROJECT), LC_QUOTA_CORES, c->nf.vcpus - of.vcpus);
	if (rc == 0 && c->nf.ram > of.ram)
		rc = lc__quota_charge(t, lc__rec_str(r, SRV_PROJECT), LC_QUOTA_RAM_MIB, c->nf.ram - of.ram);
	if (rc == 0)
		rc = lc__host_load_name(t, lc__rec_str(r, SRV_HOST), &cur_host);
	if (rc == 0)
		rc = lc__group_hosts_txn(t, lc__rec_str(r, SRV_GROUP), &gh, &gstore);
	if (rc == 0) {
		/* the server itself does not count against its group */
		lc__strlist_del(&gh, lc__rec_str(r, SRV_HOST));
		for (size_t k = 0; rc == 0 && k < c->res.ncand; k++) {
			lc__rec *h = NULL;
			double w;

			rc = lc__sched_check_host(t, c->cs, &c->rq, &gh, c->res.cand[k], &h, &w);
			if (rc == LC_EBUSY) {
				rc = 0;
				continue;
			}
			/* a resize stays with the same driver */
			if (rc == 0 && strcmp(lc__rec_str(h, HST_DRIVER), lc__rec_str(cur_host, HST_DRIVER)) == 0 &&
			    (best == NULL || w > bw)) {
				best = c->res.cand[k];
				bw = w;
				snprintf(c->new_host, sizeof(c->new_host), "%s", lc__rec_str(h, HST_NAME));
				snprintf(best_az, sizeof(best_az), "%s", lc__rec_str(h, HST_AZ));
			}
			lc__rec_free(h);
		}
		lc__strlist_free(&gh);
		free(gstore);
		if (rc == 0 && best == NULL)
			rc = LC_EBUSY;
	}
	if (rc == 0) {
		snprintf(c->host, sizeof(c->host), "%s", lc__rec_str(r, SRV_HOST));
		rc = lc__host_charge(t, c->new_host, 1, c->nf.vcpus, c->nf.ram, c->ndisk, &c->deltas[c->ndeltas++]);
	}
	if (rc == 0) {
		lc__rec_values(r, v);
		lc__val_blob(&v[SRV_PREV_FLAVOR], r->v[SRV_FLAVOR].s, r->v[SRV_FLAVOR].len);
		lc__val_str(&v[SRV_PREV_HOST], c->host);
		lc__val_blob(&v[SRV_FLAVOR], c->blob, c->blen);
		lc__val_str(&v[SRV_FLAVOR_ID], c->nf.id);
		lc__server_set_host(v, c->new_host, c->host_id);
		lc__val_str(&v[SRV_AZ], best_az);
		lc__val_str(&v[SRV_TASK_STATE], "resize_migrating");
		lc__val_str(&v[SRV_TASK_ARG], vm);
		lc__val_int(&v[SRV_UPDATED], lc__now_us());
		rc = lc__rec_update(t, r, v);
		if (rc == 0)
			rc = lc__net_device_bind_tx(t, lc__rec_str(r, SRV_ID), c->new_host);
	}
	if (rc == 0)
		rc = lc__iaction_start(t, c->s, r, "resize", c->request);
	lc__rec_free(cur_host);
	lc__rec_free(r);
	return rc;
}

/* Undo a resize's allocation and flavor swap (failure, or revert): back to the old flavor and host. */
static int resize_undo(lc__txn *t, const lc__rec *r, lc__val *v, lc__host_delta *d)
{
	lc__flavor_spec nf;
	const char *new_host = lc__rec_str(r, SRV_HOST), *old_host = lc__rec_str(r, SRV_PREV_HOST);
	lc__rec *h = NULL;
	char host_id[57];
	int rc;

	LC_TRY(lc__flavor_spec_parse(&nf, &r->v[SRV_FLAVOR]));
	rc = lc__host_charge(t, new_host, -1, nf.vcpus, nf.ram, lc__flavor_spec_disk(&nf), d);
	if (rc < 0 && rc != LC_ENOTFOUND)
		return rc;
	LC_TRY(lc__resize_quota_settle(t, r, 0));
	v[SRV_FLAVOR] = r->v[SRV_PREV_FLAVOR];
	lc__val_str(&v[SRV_FLAVOR_ID], lc__blob_item(&r->v[SRV_PREV_FLAVOR], 0));
	lc__server_set_host(v, old_host, host_id);
	if (lc__host_load_name(t, old_host, &h) == 0)
		lc__val_str(&v[SRV_AZ], lc__rec_str(h, HST_AZ));
	lc__error_clear();
	v[SRV_PREV_FLAVOR].set = 0;
	v[SRV_PREV_HOST].set = 0;
	rc = lc__rec_update(t, r, v);
	if (rc == 0)
		rc = lc__net_device_bind_tx(t, lc__rec_str(r, SRV_ID), old_host);
	lc__rec_free(h);
	return rc;
}

static int resize_end_tx(lc__txn *t, void *p)
{
	struct resize *c = p;
	lc__rec *r;
	lc__val v[LC__MAX_FIELDS];
	const char *was;
	int rc = lc__rec_load(t, &lc__server_shape, c->id, &r);

	c->ndeltas = 0;
	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	was = lc__rec_str(r, SRV_TASK_ARG) ? lc__rec_str(r, SRV_TASK_ARG) : VM_ACTIVE;
	lc__rec_values(r, v);
	v[SRV_TASK_STATE].set = 0;
	lc__val_int(&v[SRV_UPDATED], lc__now_us());
	if (c->ok) {
		/* the state it was in is kept in task_arg until confirm or revert */
		lc__val_str(&v[SRV_VM_STATE], VM_RESIZED);
		lc__val_int(&v[SRV_POWER_STATE], strcmp(was, VM_STOPPED) ? LC_POWER_RUNNING : LC_POWER_SHUTDOWN);
		rc = lc__rec_update(t, r, v);
	} else {
		v[SRV_TASK_ARG].set = 0;
		lc__val_str(&v[SRV_VM_STATE], was);
		lc__val_int(&v[SRV_FAULT_CODE], 500);
		lc__val_str(&v[SRV_FAULT_MESSAGE], c->fault);
		lc__val_int(&v[SRV_FAULT_TIME], lc__now_us());
		rc = resize_undo(t, r, v, &c->deltas[c->ndeltas++]);
	}
	if (rc == 0)
		rc = lc__iaction_finish(t, c->id, c->request, c->ok, c->ok ? NULL : c->fault);
	lc__rec_free(r);
	return rc;
}

/*
 * Schedule rq over the host cache and run `begin` (which checks and
 * allocates on the chosen host in its transaction); again while the cache
 * was behind (begin says LC_EBUSY), at most four times. No host: LC_EBUSY
 * with the scheduler's explanation of which filter eliminated what.
 */
static int place_and_begin(lc__compute *cs, lc_session *s, lc__sched_req *rq, lc__sched_res *res,
			   lc__write_fn begin, void *ctx)
{
	int rc = 0;

	for (int attempt = 0; rc == 0; attempt++) {
		rc = lc__schedule(cs, rq, res);
		if (rc == 0 && res->ncand == 0)
			rc = LC_EBUSY;
		if (rc == 0)
			rc = lc__store_write(lc__session_store(s), begin, ctx);
		if (rc != LC_EBUSY || attempt == 3)
			break;
		rc = 0;
	}
	if (rc == LC_EBUSY) {
		char why[1024];

		lc__sched_explain(res, rq, why, sizeof(why));
		rc = lc__error_set(LC_EBUSY, "%s", why);
	}
	return rc;
}

/* Group hosts of a server's group without the server itself (for the cache pass). */
static int prep_group(lc__compute *cs, const lc__rec *r, lc__sched_req *rq, lc__strlist *gh, char **store,
		      char policy[32])
{
	lc__txn t;
	lc__rec *g = NULL;
	const char *group = lc__rec_str(r, SRV_GROUP);
	int rc;

	memset(gh, 0, sizeof(*gh));
	*store = NULL;
	if (group == NULL)
		return 0;
	LC_TRY(lc__store_read(cs->cloud->store, &t));
	rc = lc__rec_load(&t, &lc__server_group_shape, group, &g);
	if (rc == 0) {
		snprintf(policy, 32, "%s", lc__rec_str(g, SG_POLICY));
		rq->group_policy = policy;
		rc = lc__group_hosts_txn(&t, group, gh, store);
	}
	lc__store_read_end(&t);
	lc__rec_free(g);
	if (rc == LC_ENOTFOUND)
		rc = 0;
	if (rc == 0 && lc__rec_str(r, SRV_HOST))
		lc__strlist_del(gh, lc__rec_str(r, SRV_HOST));
	rq->group_hosts = gh;
	lc__error_clear();
	return rc;
}

LC_EXTERN int lc_server_resize(lc_session *s, const char *id, const char *flavor_id, unsigned int flags)
{
	char key[LC__ID_TEXT], policy[32];
	struct resize c;
	lc__rec *r = NULL, *f = NULL;
	lc__strlist gh;
	char *gstore = NULL;
	lc__txn t;
	int rc, rc2;

	lc__error_clear();
	LC_CHECK_FLAGS(flags, 0);
	LC_CHECK_NOTNULL(flavor_id);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.id = key;
	c.cs = lc__compute_of(s->cloud);
	lc__request_id(c.request);
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__server_load(&t, s, key, "compute:resize_server", &r);
	if (rc == 0) {
		rc = lc__flavor_load(&t, s, flavor_id, &f);
		if (rc == LC_ENOTFOUND)
			rc = lc__error_set(LC_EINVALID, "flavor %.255s not found", flavor_id);
	}
	lc__store_read_end(&t);
	if (rc == 0)
		rc = lc__flavor_spec_encode(f, &c.blob, &c.blen);
	lc__rec_free(f);
	if (rc == 0) {
		lc__val fv = { c.blob, (uint32_t)c.blen, 1, 0 };

		rc = lc__flavor_spec_parse(&c.nf, &fv);
	}
	if (rc == 0 && lc__rec_str(r, SRV_IMAGE)) {
		lc__cimage im;

		/* the image's needs, when it can still be read */
		if (lc__cimage_get(s, lc__rec_str(r, SRV_IMAGE), &im) == 0) {
			if (c.nf.ram < im.min_ram || (c.nf.disk > 0 && c.nf.disk < im.min_disk))
				rc = lc__error_set(LC_EINVALID, "flavor %s is too small for the server's image", c.nf.id);
			lc__cimage_fini(&im);
		}
		if (rc == 0)
			lc__error_clear();
	}
	if (rc == 0) {
		c.ndisk = lc__flavor_spec_disk(&c.nf);
		c.rq.vcpus = c.nf.vcpus;
		c.rq.ram = c.nf.ram;
		c.rq.disk = c.ndisk;
		c.rq.count = 1;
		c.rq.extra_specs = &c.nf.extra;
		snprintf(c.az, sizeof(c.az), "%s", lc__rec_str(r, SRV_AZ) ? lc__rec_str(r, SRV_AZ) : "");
		c.rq.az = c.az[0] ? c.az : NULL;
		rc = prep_group(c.cs, r, &c.rq, &gh, &gstore, policy);
	}
	if (rc == 0)
		rc = place_and_begin(c.cs, s, &c.rq, &c.res, resize_begin_tx, &c);
	lc__strlist_free(&gh);
	free(gstore);
	lc__rec_free(r);
	r = NULL;
	if (rc < 0) {
		free(c.blob);
		return rc;
	}
	lc__apply_deltas(c.cs, c.deltas, c.ndeltas);
	/* the driver: from the old flavor on the old host to the new one */
	rc = read_server(c.cs, key, &r);
	if (rc == 0) {
		lc__inst from, to;

		rc = lc__inst_init(&from, c.cs, s, r, c.host, &r->v[SRV_PREV_FLAVOR], 0);
		if (rc == 0) {
			rc = lc__inst_init(&to, c.cs, s, r, c.new_host, NULL, 0);
			if (rc == 0) {
				lc_compute_driver *d;

				rc = lc__compute_driver(c.cs, to.driver, &d);
				if (rc == 0 && d->resize == NULL)
					rc = lc__error_set(LC_ENOTSUPPORTED, "compute driver %s cannot resize", to.driver);
				if (rc == 0) {
					lc__cdrv_enter(c.cs, d);
					lc__error_clear();
					rc = d->resize(d, &from.ci, &to.ci);
					lc__cdrv_leave(c.cs, d);
				}
				lc__inst_fini(&to);
			}
			lc__inst_fini(&from);
		}
	}
	lc__rec_free(r);
	c.ok = rc >= 0;
	if (rc < 0)
		fault_text(c.fault, sizeof(c.fault), "resize", key, rc);
	rc2 = lc__store_write(lc__session_store(s), resize_end_tx, &c);
	if (rc2 == 0)
		lc__apply_deltas(c.cs, c.deltas, c.ndeltas);
	free(c.blob);
	if (rc < 0)
		return lc__error_set(rc, "%s", c.fault);
	return rc2;
}

struct finish_resize {
	lc_session *s;
	const char *id;
	int confirm;
	char request[48];
	char host[LC_HOST_NAME_MAX + 1], prev_host[LC_HOST_NAME_MAX + 1];
	lc__host_delta delta;
	int ok;
	char fault[1024];
};

static int finish_resize_begin_tx(lc__txn *t, void *p)
{
	struct finish_resize *c = p;
	lc__rec *r;
	int rc;

	LC_TRY(lc__server_load(t, c->s, c->id, c->confirm ? "compute:confirm_resize" : "compute:revert_resize", &r));
	if (strcmp(lc__rec_str(r, SRV_VM_STATE), VM_RESIZED) || lc__rec_str(r, SRV_TASK_STATE) ||
	    !lc__rec_str(r, SRV_PREV_HOST)) {
		rc = conflict(c->id, c->confirm ? "confirmResize" : "revertResize", r);
	} else {
		snprintf(c->host, sizeof(c->host), "%s", lc__rec_str(r, SRV_HOST));
		snprintf(c->prev_host, sizeof(c->prev_host), "%s", lc__rec_str(r, SRV_PREV_HOST));
		rc = begin_task(t, c->s, r, c->confirm ? "resize_confirming" : "resize_reverting", NULL,
				c->confirm ? "confirmResize" : "revertResize", c->request);
	}
	lc__rec_free(r);
	return rc;
}

int lc__finish_resize_record(lc__txn *t, const lc__rec *r, int confirm, lc__host_delta *d)
{
	lc__val v[LC__MAX_FIELDS];
	const char *was = lc__rec_str(r, SRV_TASK_ARG) ? lc__rec_str(r, SRV_TASK_ARG) : VM_ACTIVE;

	memset(d, 0, sizeof(*d));
	lc__rec_values(r, v);
	v[SRV_TASK_STATE].set = 0;
	v[SRV_TASK_ARG].set = 0;
	lc__val_str(&v[SRV_VM_STATE], was);
	lc__val_int(&v[SRV_POWER_STATE], strcmp(was, VM_STOPPED) ? LC_POWER_RUNNING : LC_POWER_SHUTDOWN);
	lc__val_int(&v[SRV_UPDATED], lc__now_us());
	if (confirm) {
		lc__flavor_spec of;
		int rc;

		LC_TRY(lc__flavor_spec_parse(&of, &r->v[SRV_PREV_FLAVOR]));
		rc = lc__host_charge(t, lc__rec_str(r, SRV_PREV_HOST), -1, of.vcpus, of.ram, lc__flavor_spec_disk(&of),
				     d);
		if (rc < 0 && rc != LC_ENOTFOUND)
			return rc;
		LC_TRY(lc__resize_quota_settle(t, r, 1));
		v[SRV_PREV_FLAVOR].set = 0;
		v[SRV_PREV_HOST].set = 0;
		return lc__rec_update(t, r, v);
	}
	return resize_undo(t, r, v, d);
}

static int finish_resize_end_tx(lc__txn *t, void *p)
{
	struct finish_resize *c = p;
	lc__rec *r;
	int rc = lc__rec_load(t, &lc__server_shape, c->id, &r);

	memset(&c->delta, 0, sizeof(c->delta));
	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	if (c->ok) {
		rc = lc__finish_resize_record(t, r, c->confirm, &c->delta);
		if (rc == 0)
			rc = lc__iaction_finish(t, c->id, c->request, 1, NULL);
	} else {
		lc__rec_free(r);
		return end_task(t, c->id, c->request, 0, NULL, -1, c->fault, NULL, NULL, 0);
	}
	lc__rec_free(r);
	return rc;
}

static int finish_resize(lc_session *s, const char *id, unsigned int flags, int confirm)
{
	char key[LC__ID_TEXT];
	struct finish_resize c;
	lc__compute *cs;
	lc__rec *r = NULL;
	int rc, rc2;

	LC_CHECK_FLAGS(flags, 0);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.id = key;
	c.confirm = confirm;
	lc__request_id(c.request);
	cs = lc__compute_of(s->cloud);
	LC_TRY(lc__store_write(lc__session_store(s), finish_resize_begin_tx, &c));
	rc = read_server(cs, key, &r);
	if (rc == 0) {
		lc__inst from, to;

		rc = lc__inst_init(&from, cs, s, r, c.prev_host, &r->v[SRV_PREV_FLAVOR], 0);
		if (rc == 0) {
			rc = lc__inst_init(&to, cs, s, r, c.host, NULL, 0);
			if (rc == 0) {
				lc_compute_driver *d;

				rc = lc__compute_driver(cs, to.driver, &d);
				if (rc == 0) {
					int (*fn)(lc_compute_driver *, const lc_compute_instance *,
						  const lc_compute_instance *) = confirm ? d->confirm_resize : d->revert_resize;

					if (fn == NULL) {
						rc = lc__error_set(LC_ENOTSUPPORTED, "compute driver %s cannot %s a resize",
								   to.driver, confirm ? "confirm" : "revert");
					} else {
						lc__cdrv_enter(cs, d);
						lc__error_clear();
						rc = fn(d, &from.ci, &to.ci);
						lc__cdrv_leave(cs, d);
					}
				}
				lc__inst_fini(&to);
			}
			lc__inst_fini(&from);
		}
	}
	lc__rec_free(r);
	c.ok = rc >= 0;
	if (rc < 0)
		fault_text(c.fault, sizeof(c.fault), confirm ? "confirm the resize of" : "revert the resize of", key,
			   rc);
	rc2 = lc__store_write(lc__session_store(s), finish_resize_end_tx, &c);
	if (rc2 == 0)
		lc__apply_deltas(cs, &c.delta, 1);
	if (rc < 0)
		return lc__error_set(rc, "%s", c.fault);
	return rc2;
}

LC_EXTERN int lc_server_confirm_resize(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	return finish_resize(s, id, flags, 1);
}

LC_EXTERN int lc_server_revert_resize(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	return finish_resize(s, id, flags, 0);
}

/* ---- rebuild ---- */

LC__OPTS_INIT_FN(lc_server_rebuild_opts_init, lc_server_rebuild_opts, LC_SERVER_REBUILD_OPTS_INIT,
		 LC_SERVER_REBUILD_OPTS_VERSION)

struct rebuild {
	lc_session *s;
	lc__compute *cs;
	const char *id;
	const lc_server_rebuild_opts *o;
	char request[48];
	lc__cimage image;
	lc__flavor_spec f;
	int64_t disk;
	lc__sched_req rq;
	lc__sched_res res;
	char az[256];
	char *meta;
	size_t mlen;
	char old_host[LC_HOST_NAME_MAX + 1], new_host[LC_HOST_NAME_MAX + 1];
	char host_id[57];
	lc__host_delta deltas[2];
	size_t ndeltas;
	int ok;
	char fault[1024];
};

static int rebuild_begin_tx(lc__txn *t, void *p)
{
	struct rebuild *c = p;
	lc__rec *r;
	lc__strlist gh;
	char *gstore = NULL;
	lc__val v[LC__MAX_FIELDS];
	const char *vm, *best = NULL, *cur;
	char best_az[256] = "";
	double bw = 0;
	int held, rc;

	c->ndeltas = 0;
	LC_TRY(lc__server_load(t, c->s, c->id, "compute:rebuild_server", &r));
	vm = lc__rec_str(r, SRV_VM_STATE);
	if ((strcmp(vm, VM_ACTIVE) && strcmp(vm, VM_STOPPED) && strcmp(vm, VM_ERROR)) || lc__rec_str(r, SRV_TASK_STATE)) {
		rc = conflict(c->id, "rebuild", r);
		lc__rec_free(r);
		return rc;
	}
	held = (int)lc__rec_int(r, SRV_HELD);
	cur = lc__rec_str(r, SRV_HOST);
	snprintf(c->old_host, sizeof(c->old_host), "%s", held && cur ? cur : "");
	rc = lc__group_hosts_txn(t, lc__rec_str(r, SRV_GROUP), &gh, &gstore);
	if (rc == 0 && cur)
		lc__strlist_del(&gh, cur);
	/* the filters again, with the new image; the current host first when it still passes */
	for (size_t k = 0; rc == 0 && k < c->res.ncand; k++) {
		lc__rec *h = NULL;
		double w;

		rc = lc__sched_check_host(t, c->cs, &c->rq, &gh, c->res.cand[k], &h, &w);
		if (rc == LC_EBUSY) {
			rc = 0;
			continue;
		}
		if (rc == 0) {
			int is_cur = c->old_host[0] && strcmp(lc__rec_str(h, HST_NAME), c->old_host) == 0;

			if (is_cur)
				w += 1e9;
			if (best == NULL || w > bw) {
				best = c->res.cand[k];
				bw = w;
				snprintf(c->new_host, sizeof(c->new_host), "%s", lc__rec_str(h, HST_NAME));
				snprintf(best_az, sizeof(best_az), "%s", lc__rec_str(h, HST_AZ));
			}
		}
		lc__rec_free(h);
	}
	lc__strlist_free(&gh);
	free(gstore);
	if (rc == 0 && best == NULL)
		rc = LC_EBUSY;
	if (rc == 0 && !held) {
		/* an errored server holds nothing: it takes quota and room again */
		rc = lc__quota_charge(t, lc__rec_str(r, SRV_PROJECT), LC_QUOTA_INSTANCES, 1);
		if (rc == 0)
			rc = lc__quota_charge(t, lc__rec_str(r, SRV_PROJECT), LC_QUOTA_CORES, c->f.vcpus);
		if (rc == 0)
			rc = lc__quota_charge(t, lc__rec_str(r, SRV_PROJECT), LC_QUOTA_RAM_MIB, c->f.ram);
	}
	if (rc == 0 && strcmp(c->new_host, c->old_host) != 0) {
		rc = lc__host_charge(t, c->new_host, 1, c->f.vcpus, c->f.ram, c->disk, &c->deltas[c->ndeltas++]);
		if (rc == 0 && c->old_host[0])
			rc = lc__host_charge(t, c->old_host, -1, c->f.vcpus, c->f.ram, c->disk, &c->deltas[c->ndeltas++]);
	}
	if (rc == 0) {
		lc__rec_values(r, v);
		lc__val_str(&v[SRV_IMAGE], c->image.id);
		lc__server_set_host(v, c->new_host, c->host_id);
		lc__val_str(&v[SRV_AZ], best_az);
		lc__val_bool(&v[SRV_HELD], 1);
		if (c->o->name)
			lc__val_str(&v[SRV_NAME], c->o->name);
		if (c->o->metadata)
			lc__val_blob(&v[SRV_METADATA], c->meta, c->mlen);
		lc__val_str(&v[SRV_TASK_STATE], "rebuilding");
		lc__val_str(&v[SRV_TASK_ARG], c->old_host);
		lc__val_int(&v[SRV_UPDATED], lc__now_us());
		rc = lc__rec_update(t, r, v);
		if (rc == 0)
			rc = lc__net_device_bind_tx(t, lc__rec_str(r, SRV_ID), c->new_host);
	}
	if (rc == 0)
		rc = lc__iaction_start(t, c->s, r, "rebuild", c->request);
	lc__rec_free(r);
	return rc;
}

static int rebuild_end_tx(lc__txn *t, void *p)
{
	struct rebuild *c = p;

	c->ndeltas = 0;
	return end_task(t, c->id, c->request, c->ok, c->ok ? VM_ACTIVE : VM_ERROR,
			c->ok ? LC_POWER_RUNNING : LC_POWER_NOSTATE, c->fault, NULL, NULL, 0);
}

static int spawn_with(lc__compute *cs, lc__inst *in, int rebuild)
{
	lc_compute_driver *d;
	int rc;

	LC_TRY(lc__compute_driver(cs, in->driver, &d));
	if (rebuild && d->rebuild) {
		lc__cdrv_enter(cs, d);
		lc__error_clear();
		rc = d->rebuild(d, &in->ci);
		lc__cdrv_leave(cs, d);
		return rc < 0 ? rc : 0;
	}
	if (d->spawn == NULL)
		return lc__error_set(LC_ENOTSUPPORTED, "compute driver %s cannot spawn", in->driver);
	if (rebuild && d->destroy) {
		lc__cdrv_enter(cs, d);
		rc = d->destroy(d, &in->ci);
		lc__cdrv_leave(cs, d);
		if (rc < 0 && rc != LC_ENOTFOUND)
			return rc;
	}
	lc__cdrv_enter(cs, d);
	lc__error_clear();
	rc = d->spawn(d, &in->ci);
	lc__cdrv_leave(cs, d);
	return rc < 0 ? rc : 0;
}

LC_EXTERN int lc_server_rebuild(lc_server **out, lc_session *s, const char *id, const lc_server_rebuild_opts *o)
{
	char key[LC__ID_TEXT], policy[32], pass[32];
	struct rebuild c;
	lc__rec *r = NULL;
	lc__strlist gh;
	char *gstore = NULL;
	lc__txn t;
	int rc, rc2;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(o);
	LC_CHECK_VERSION(o, LC_SERVER_REBUILD_OPTS_VERSION);
	LC_CHECK_ARG(o->image_id != NULL, "image_id is required");
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	if (o->name)
		LC_TRY(lc__text_check("name", o->name, 1, LC_SERVER_NAME_MAX));
	LC_TRY(lc__metadata_check(o->metadata, NULL));
	if (o->admin_pass) {
		LC_TRY(lc__text_check("admin_pass", o->admin_pass, 0, sizeof(pass) - 1));
		snprintf(pass, sizeof(pass), "%s", o->admin_pass);
	} else {
		lc__random_password(pass, 13);
	}
	memset(&c, 0, sizeof(c));
	memset(&gh, 0, sizeof(gh));
	c.s = s;
	c.id = key;
	c.o = o;
	c.cs = lc__compute_of(s->cloud);
	lc__request_id(c.request);
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__server_load(&t, s, key, "compute:rebuild_server", &r);
	lc__store_read_end(&t);
	LC_TRY(rc);
	rc = lc__cimage_get(s, o->image_id, &c.image);
	if (rc == LC_ENOTFOUND || rc == LC_EINVALID)
		rc = lc__error_set(LC_EINVALID, "image %.64s not found", o->image_id);
	if (rc == 0 && strcmp(c.image.status, "active") != 0)
		rc = lc__error_set(LC_EINVALID, "image %s is not active", c.image.id);
	if (rc == 0)
		rc = lc__flavor_spec_parse(&c.f, &r->v[SRV_FLAVOR]);
	if (rc == 0 && (c.f.ram < c.image.min_ram || (c.f.disk > 0 && c.f.disk < c.image.min_disk)))
		rc = lc__error_set(LC_EINVALID, "the server's flavor is too small for image %s", c.image.id);
	if (rc == 0 && o->metadata) {
		lc__kv kv;

		kv.n = 0;
		for (size_t i = 0; rc == 0 && o->metadata[i]; i += 2)
			rc = lc__kv_set(&kv, o->metadata[i], o->metadata[i + 1], LC_SERVER_METADATA_ITEMS_MAX);
		if (rc == 0)
			rc = lc__kv_encode(&kv, &c.meta, &c.mlen);
	}
	if (rc == 0) {
		c.disk = lc__flavor_spec_disk(&c.f);
		c.rq.vcpus = c.f.vcpus;
		c.rq.ram = c.f.ram;
		c.rq.disk = c.disk;
		c.rq.count = 1;
		c.rq.extra_specs = &c.f.extra;
		c.rq.hv_type = c.image.hv_type;
		c.rq.arch = c.image.arch;
		snprintf(c.az, sizeof(c.az), "%s", lc__rec_str(r, SRV_AZ) ? lc__rec_str(r, SRV_AZ) : "");
		c.rq.az = c.az[0] ? c.az : NULL;
		if (lc__rec_int(r, SRV_HELD) && lc__rec_str(r, SRV_HOST)) {
			/* its own allocation is not counted twice on its own host */
			c.rq.self_host = lc__rec_str(r, SRV_HOST);
			c.rq.self_vcpus = c.f.vcpus;
			c.rq.self_ram = c.f.ram;
			c.rq.self_disk = c.disk;
		}
		rc = prep_group(c.cs, r, &c.rq, &gh, &gstore, policy);
	}
	if (rc == 0)
		rc = place_and_begin(c.cs, s, &c.rq, &c.res, rebuild_begin_tx, &c);
	lc__strlist_free(&gh);
	free(gstore);
	lc__rec_free(r);
	r = NULL;
	if (rc < 0) {
		lc__cimage_fini(&c.image);
		free(c.meta);
		return rc;
	}
	lc__apply_deltas(c.cs, c.deltas, c.ndeltas);
	rc = read_server(c.cs, key, &r);
	if (rc == 0 && c.old_host[0] && strcmp(c.old_host, c.new_host) != 0)
		rc = lc__destroy_on(c.cs, s, r, c.old_host, NULL);
	if (rc == 0) {
		lc__inst in;

		rc = lc__inst_init(&in, c.cs, s, r, c.new_host, NULL, LC__INST_IMAGE);
		if (rc == 0) {
			if (lc__rec_int(r, SRV_CONFIG_DRIVE))
				rc = lc__configdrive_write(c.cs->cloud->store, r, in.cfg);
			if (rc == 0) {
				in.ci.config_drive_dir = lc__rec_int(r, SRV_CONFIG_DRIVE) ? in.cfg : NULL;
				rc = spawn_with(c.cs, &in, strcmp(c.old_host, c.new_host) == 0);
			}
			lc__inst_fini(&in);
		}
	}
	lc__rec_free(r);
	c.ok = rc == 0;
	if (rc < 0)
		fault_text(c.fault, sizeof(c.fault), "rebuild", key, rc);
	rc2 = lc__store_write(lc__session_store(s), rebuild_end_tx, &c);
	lc__cimage_fini(&c.image);
	free(c.meta);
	if (rc < 0) {
		sodium_memzero(pass, sizeof(pass));
		return lc__error_set(rc, "%s", c.fault);
	}
	if (rc2 == 0 && out) {
		lc__draft d;
		lc__rec *snap = NULL;

		rc2 = read_server(c.cs, key, &r);
		if (rc2 == 0) {
			lc__draft_from(&d, r);
			lc__val_str(&d.v[SRV_ADMIN_PASS], pass);
			rc2 = lc__draft_snapshot(&d, &snap);
			lc__rec_free(r);
		}
		if (rc2 == 0)
			rc2 = lc__server_wrap(out, snap);
	}
	sodium_memzero(pass, sizeof(pass));
	return rc2;
}

/* ---- snapshot ---- */

struct snap {
	lc_session *s;
	const char *id;
	char request[48];
	char host[LC_HOST_NAME_MAX + 1];
	int ok;
	char fault[1024];
};

static int snap_begin_tx(lc__txn *t, void *p)
{
	static const char *const from[] = { VM_ACTIVE, VM_STOPPED, VM_PAUSED, VM_SUSPENDED, NULL, NULL };
	struct snap *c = p;
	lc__rec *r;
	int rc;

	LC_TRY(lc__server_load(t, c->s, c->id, "compute:create_image", &r));
	if (!state_allowed(from, lc__rec_str(r, SRV_VM_STATE)) || lc__rec_str(r, SRV_TASK_STATE) ||
	    !lc__rec_str(r, SRV_HOST)) {
		rc = conflict(c->id, "createImage", r);
	} else {
		snprintf(c->host, sizeof(c->host), "%s", lc__rec_str(r, SRV_HOST));
		rc = begin_task(t, c->s, r, "image_snapshot", NULL, "createImage", c->request);
	}
	lc__rec_free(r);
	return rc;
}

static int snap_end_tx(lc__txn *t, void *p)
{
	struct snap *c = p;

	return end_task(t, c->id, c->request, c->ok, NULL, -1, c->fault, NULL, NULL, 0);
}

LC_EXTERN int lc_server_create_image(char *image_id, lc_session *s, const char *id, const char *name,
				     const char *const *metadata)
{
	char key[LC__ID_TEXT], path[4300], fmt[16] = "raw", newid[LC__ID_TEXT];
	struct snap c;
	lc__compute *cs;
	lc__rec *r = NULL;
	lc__inst in;
	int rc, rc2, inited = 0;

	lc__error_clear();
	LC_CHECK_NOTNULL(name);
	LC_TRY(lc__text_check("name", name, 1, 255));
	LC_TRY(lc__kv_check_pairs("metadata", metadata, 255, 65535));
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.id = key;
	lc__request_id(c.request);
	cs = lc__compute_of(s->cloud);
	LC_TRY(lc__store_write(lc__session_store(s), snap_begin_tx, &c));
	rc = read_server(cs, key, &r);
	if (rc == 0) {
		rc = lc__inst_init(&in, cs, s, r, c.host, NULL, 0);
		inited = rc == 0;
	}
	if (rc == 0) {
		lc_compute_driver *d;

		snprintf(path, sizeof(path), "%s/snapshot-%s", in.dir, c.request);
		rc = lc__compute_driver(cs, in.driver, &d);
		if (rc == 0 && d->snapshot == NULL)
			rc = lc__error_set(LC_ENOTSUPPORTED, "compute driver %s cannot snapshot", in.driver);
		if (rc == 0) {
			lc__cdrv_enter(cs, d);
			lc__error_clear();
			rc = d->snapshot(d, &in.ci, path, fmt, sizeof(fmt));
			lc__cdrv_leave(cs, d);
			fmt[sizeof(fmt) - 1] = '\0';
		}
	}
	if (rc == 0) {
		/* Nova's snapshot properties, then the caller's */
		const char *props[2 * 3 + 2 * 64 + 1];
		size_t k = 0;

		props[k++] = "image_type";
		props[k++] = "snapshot";
		props[k++] = "instance_uuid";
		props[k++] = key;
		if (lc__rec_str(r, SRV_IMAGE)) {
			props[k++] = "base_image_ref";
			props[k++] = lc__rec_str(r, SRV_IMAGE);
		}
		for (size_t i = 0; metadata && metadata[i] && k + 2 < sizeof(props) / sizeof(props[0]); i += 2) {
			props[k++] = metadata[i];
			props[k++] = metadata[i + 1];
		}
		props[k] = NULL;
		rc = lc__cimage_snapshot(s, name, fmt, path, props, in.flavor.disk, -1, newid);
	}
	if (inited) {
		unlink(path);
		lc__inst_fini(&in);
	}
	lc__rec_free(r);
	c.ok = rc == 0;
	if (rc < 0)
		fault_text(c.fault, sizeof(c.fault), "snapshot", key, rc);
	rc2 = lc__store_write(lc__session_store(s), snap_end_tx, &c);
	if (rc < 0)
		return lc__error_set(rc, "%s", c.fault);
	if (rc2 == 0 && image_id)
		memcpy(image_id, newid, LC__ID_TEXT);
	return rc2;
}

/* ---- refresh ---- */

struct refresh {
	lc_session *s;
	const char *id;
	int power;
	lc__rec *out;
};

static int refresh_tx(lc__txn *t, void *p)
{
	struct refresh *c = p;
	lc__rec *r;
	lc__draft d;
	const char *vm;
	int rc;

	lc__rec_free(c->out);
	c->out = NULL;
	LC_TRY(lc__server_load(t, c->s, c->id, "compute:get_server", &r));
	if (lc__rec_str(r, SRV_TASK_STATE)) {
		rc = conflict(c->id, "refresh", r);
		lc__rec_free(r);
		return rc;
	}
	lc__draft_from(&d, r);
	vm = lc__rec_str(r, SRV_VM_STATE);
	lc__val_int(&d.v[SRV_POWER_STATE], c->power);
	/* Nova's power-state sync: the hypervisor is the truth for running/stopped */
	if (!strcmp(vm, VM_ACTIVE) && (c->power == LC_POWER_SHUTDOWN || c->power == LC_POWER_CRASHED))
		lc__val_str(&d.v[SRV_VM_STATE], VM_STOPPED);
	else if (!strcmp(vm, VM_STOPPED) && c->power == LC_POWER_RUNNING)
		lc__val_str(&d.v[SRV_VM_STATE], VM_ACTIVE);
	lc__val_int(&d.v[SRV_UPDATED], lc__now_us());
	rc = lc__rec_update(t, r, d.v);
	if (rc == 0)
		rc = lc__draft_snapshot(&d, &c->out);
	lc__rec_free(r);
	return rc;
}

LC_EXTERN int lc_server_refresh(lc_server **out, lc_session *s, const char *id, unsigned int flags)
{
	char key[LC__ID_TEXT];
	struct refresh c;
	lc__compute *cs;
	lc__rec *r = NULL;
	lc__inst in;
	lc__txn t;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_FLAGS(flags, 0);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	cs = lc__compute_of(s->cloud);
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__server_load(&t, s, key, "compute:get_server", &r);
	lc__store_read_end(&t);
	LC_TRY(rc);
	memset(&c, 0, sizeof(c));
	rc = lc__inst_init(&in, cs, s, r, lc__rec_str(r, SRV_HOST), NULL, 0);
	if (rc == 0) {
		lc_compute_driver *d;

		rc = lc__compute_driver(cs, in.driver, &d);
		if (rc == 0 && d->get_state == NULL)
			rc = lc__error_set(LC_ENOTSUPPORTED, "compute driver %s reads no state", in.driver);
		if (rc == 0) {
			lc__cdrv_enter(cs, d);
			rc = d->get_state(d, &in.ci, &c.power);
			lc__cdrv_leave(cs, d);
			if (rc == LC_ENOTFOUND) {
				c.power = LC_POWER_NOSTATE;
				rc = 0;
			}
		}
		lc__inst_fini(&in);
	}
	lc__rec_free(r);
	LC_TRY(rc);
	c.s = s;
	c.id = key;
	rc = lc__store_write(lc__session_store(s), refresh_tx, &c);
	if (rc == 0 && out)
		return lc__server_wrap(out, c.out);
	lc__rec_free(c.out);
	return rc;
}
