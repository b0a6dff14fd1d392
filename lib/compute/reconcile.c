/*
 * Reconciliation at open: a server found in a transitional state (a crash
 * between the two transactions of an operation) is brought to a settled
 * state that agrees with its driver.
 *
 *   building/spawning   instance present -> active; absent -> error, resources released
 *   deleting            destroy (idempotent), then remove the record
 *   power tasks         vm_state from the power state the driver reports
 *   resize_migrating    revert: back to the old flavor and host
 *   resize_confirming   finish the confirm;  resize_reverting: finish the revert
 *   rebuilding          error with a fault (the disk may be half written)
 *   image_snapshot      the task is cleared (the image service settles its image)
 *
 * A driver that cannot answer (an unreachable hypervisor: an error other
 * than "no such instance") leaves the server as it is, for the next open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compute/compute.h"
#include "compute/server_internal.h"
#include "core/error.h"

struct todo {
	char (*ids)[LC__ID_TEXT];
	size_t n, cap;
};

static int collect(lc__compute *cs, struct todo *td)
{
	MDB_cursor *cur;
	MDB_val k, v;
	lc__txn t;
	int rc, ret = 0;

	LC_TRY(lc__store_read(cs->cloud->store, &t));
	rc = mdb_cursor_open(t.txn, lc__store_dbi(t.st, lc__server_shape.db), &cur);
	if (rc) {
		lc__store_read_end(&t);
		return lc__error_mdb(rc, "servers");
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		lc__rec *r;

		if ((ret = lc__rec_decode(&lc__server_shape, v.mv_data, v.mv_size, &r)) < 0)
			break;
		if (lc__rec_str(r, SRV_TASK_STATE) || strcmp(lc__rec_str(r, SRV_VM_STATE), VM_BUILDING) == 0) {
			if (td->n == td->cap) {
				size_t cap = td->cap ? 2 * td->cap : 16;
				char (*n)[LC__ID_TEXT] = realloc(td->ids, cap * sizeof(*n));

				if (n == NULL) {
					lc__rec_free(r);
					ret = lc__error_set(LC_ENOMEM, "out of memory");
					break;
				}
				td->ids = n;
				td->cap = cap;
			}
			snprintf(td->ids[td->n++], LC__ID_TEXT, "%s", lc__rec_str(r, SRV_ID));
		}
		lc__rec_free(r);
	}
	mdb_cursor_close(cur);
	lc__store_read_end(&t);
	if (ret < 0)
		return ret;
	return rc == MDB_NOTFOUND ? 0 : lc__error_mdb(rc, "servers");
}

/* What the driver says about an instance: LC_ENOTFOUND when absent, else its power state. */
static int probe(lc__compute *cs, const lc__rec *r, const char *host, int *power)
{
	lc__inst in;
	lc_compute_driver *d;
	int rc;

	*power = LC_POWER_NOSTATE;
	if (host == NULL)
		return LC_ENOTFOUND;
	LC_TRY(lc__inst_init(&in, cs, NULL, r, host, NULL, 0));
	rc = lc__compute_driver(cs, in.driver, &d);
	if (rc == 0 && d->get_state == NULL)
		rc = lc__error_set(LC_ENOTSUPPORTED, "no get_state");
	if (rc == 0) {
		lc__cdrv_enter(cs, d);
		rc = d->get_state(d, &in.ci, power);
		lc__cdrv_leave(cs, d);
	}
	lc__inst_fini(&in);
	return rc;
}

struct fix {
	lc__compute *cs;
	const char *id;
	int present, power;
	int destroyed;
	lc__host_delta deltas[2];
	size_t nd;
};

static const char *vm_for_power(int power)
{
	switch (power) {
	case LC_POWER_RUNNING: return VM_ACTIVE;
	case LC_POWER_PAUSED: return VM_PAUSED;
	case LC_POWER_SUSPENDED: return VM_SUSPENDED;
	case LC_POWER_SHUTDOWN:
	case LC_POWER_CRASHED: return VM_STOPPED;
	default: return VM_ERROR;
	}
}

static int fix_tx(lc__txn *t, void *p)
{
	struct fix *c = p;
	lc__rec *r;
	lc__val v[LC__MAX_FIELDS];
	const char *task, *vm;
	int64_t now = lc__now_us();
	int rc = lc__rec_load(t, &lc__server_shape, c->id, &r);

	c->nd = 0;
	memset(c->deltas, 0, sizeof(c->deltas));
	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	task = lc__rec_str(r, SRV_TASK_STATE);
	vm = lc__rec_str(r, SRV_VM_STATE);
	lc__rec_values(r, v);
	v[SRV_TASK_STATE].set = 0;
	lc__val_int(&v[SRV_UPDATED], now);
	if (task && !strcmp(task, "deleting")) {
		rc = c->destroyed ? lc__server_remove(t, r, c->deltas, &c->nd, NULL) : 0;
		if (!c->destroyed) {
			lc__val_str(&v[SRV_VM_STATE], VM_ERROR);
			lc__val_int(&v[SRV_FAULT_CODE], 500);
			lc__val_str(&v[SRV_FAULT_MESSAGE], "Delete interrupted and the driver could not finish it");
			lc__val_int(&v[SRV_FAULT_TIME], now);
			rc = lc__rec_update(t, r, v);
		}
		lc__rec_free(r);
		return rc;
	}
	if (!strcmp(vm, VM_BUILDING)) {
		/* the create's log entry, left open when its outcome was lost */
		rc = lc__iaction_close_open(t, c->id, c->present,
					    c->present ? NULL : "Build interrupted: the instance was not found on its host");
		if (rc < 0) {
			lc__rec_free(r);
			return rc;
		}
		if (c->present) {
			lc__val_str(&v[SRV_VM_STATE], VM_ACTIVE);
			lc__val_int(&v[SRV_POWER_STATE], c->power);
			lc__val_int(&v[SRV_LAUNCHED], now);
		} else {
			rc = lc__server_release(t, r, &c->deltas[c->nd++]);
			/* as a failed build: its ports go (made ones deleted, given ones unbound) */
			if (rc == 0)
				rc = lc__server_ports_release_tx(t, r, NULL);
			v[SRV_PORTS].set = 0;
			v[SRV_NICS].set = 0;
			lc__val_str(&v[SRV_VM_STATE], VM_ERROR);
			lc__val_int(&v[SRV_POWER_STATE], LC_POWER_NOSTATE);
			lc__val_bool(&v[SRV_HELD], 0);
			lc__server_set_host(v, NULL, NULL);
			lc__val_int(&v[SRV_FAULT_CODE], 500);
			lc__val_str(&v[SRV_FAULT_MESSAGE], "Build interrupted: the instance was not found on its host");
			lc__val_int(&v[SRV_FAULT_TIME], now);
		}
	} else if (task && (!strcmp(task, "resize_confirming") || !strcmp(task, "resize_reverting"))) {
		rc = lc__finish_resize_record(t, r, !strcmp(task, "resize_confirming"), &c->deltas[c->nd++]);
		lc__rec_free(r);
		return rc;
	} else if (task && !strcmp(task, "resize_migrating")) {
		/* the resize did not finish: go back to the old size, as a revert would */
		lc__rec *r2;
		lc__val v2[LC__MAX_FIELDS];

		lc__rec_values(r, v2);
		lc__val_str(&v2[SRV_VM_STATE], VM_RESIZED);
		rc = lc__rec_update(t, r, v2);
		if (rc == 0)
			rc = lc__rec_load(t, &lc__server_shape, c->id, &r2);
		if (rc == 0) {
			rc = lc__finish_resize_record(t, r2, 0, &c->deltas[c->nd++]);
			lc__rec_free(r2);
		}
		lc__rec_free(r);
		return rc;
	} else if (task && !strncmp(task, "rebuild", 7)) {
		lc__val_str(&v[SRV_VM_STATE], VM_ERROR);
		lc__val_int(&v[SRV_FAULT_CODE], 500);
		lc__val_str(&v[SRV_FAULT_MESSAGE], "Rebuild interrupted");
		lc__val_int(&v[SRV_FAULT_TIME], now);
		v[SRV_TASK_ARG].set = 0;
	} else if (task && !strcmp(task, "image_snapshot")) {
		/* nothing to settle on the server */
	} else {
		/* a power task: believe the hypervisor */
		lc__val_int(&v[SRV_POWER_STATE], c->power);
		lc__val_str(&v[SRV_VM_STATE], c->present ? vm_for_power(c->power) : VM_ERROR);
		if (!c->present) {
			lc__val_int(&v[SRV_FAULT_CODE], 500);
			lc__val_str(&v[SRV_FAULT_MESSAGE], "The instance was not found on its host");
			lc__val_int(&v[SRV_FAULT_TIME], now);
		}
	}
	if (rc == 0)
		rc = lc__rec_update(t, r, v);
	lc__rec_free(r);
	return rc;
}

static void reconcile_one(lc__compute *cs, const char *id)
{
	struct fix c;
	lc__rec *r = NULL;
	lc__txn t;
	const char *task;
	int rc;

	memset(&c, 0, sizeof(c));
	c.cs = cs;
	c.id = id;
	if (lc__store_read(cs->cloud->store, &t) < 0)
		return;
	rc = lc__rec_load(&t, &lc__server_shape, id, &r);
	lc__store_read_end(&t);
	if (rc < 0)
		return;
	task = lc__rec_str(r, SRV_TASK_STATE);
	if (task && !strcmp(task, "deleting")) {
		rc = 0;
		if (lc__rec_str(r, SRV_PREV_HOST) && lc__rec_str(r, SRV_HOST) &&
		    strcmp(lc__rec_str(r, SRV_PREV_HOST), lc__rec_str(r, SRV_HOST)))
			rc = lc__destroy_on(cs, NULL, r, lc__rec_str(r, SRV_PREV_HOST), &r->v[SRV_PREV_FLAVOR]);
		if (rc == 0 && lc__rec_str(r, SRV_HOST))
			rc = lc__destroy_on(cs, NULL, r, lc__rec_str(r, SRV_HOST), NULL);
		c.destroyed = rc == 0;
		if (rc < 0)
			goto later;
	} else if (task && !strcmp(task, "resize_migrating")) {
		lc__inst from, to;
		lc_compute_driver *d;

		/* best effort: ask the driver to go back */
		if (lc__inst_init(&from, cs, NULL, r, lc__rec_str(r, SRV_PREV_HOST), &r->v[SRV_PREV_FLAVOR], 0) == 0) {
			if (lc__inst_init(&to, cs, NULL, r, lc__rec_str(r, SRV_HOST), NULL, 0) == 0) {
				if (lc__compute_driver(cs, to.driver, &d) == 0 && d->revert_resize)
					d->revert_resize(d, &from.ci, &to.ci);
				lc__inst_fini(&to);
			}
			lc__inst_fini(&from);
		}
	} else {
		rc = probe(cs, r, lc__rec_str(r, SRV_HOST), &c.power);
		c.present = rc == 0;
		/* a hypervisor that cannot answer now is asked again at the next open */
		if (rc < 0 && rc != LC_ENOTFOUND)
			goto later;
	}
	lc__rec_free(r);
	lc__error_clear();
	if (lc__store_write(cs->cloud->store, fix_tx, &c) == 0) {
		char dir[4200];

		lc__apply_deltas(cs, c.deltas, c.nd);
		if (c.destroyed) {
			snprintf(dir, sizeof(dir), "%s/%s", cs->instances_dir, id);
			lc__rmtree(dir);
		}
		lc__log(cs->cloud, LC_LOG_INFO, "reconciled server %s (was %s)", id, task ? task : "building");
	} else {
		lc__log(cs->cloud, LC_LOG_WARN, "could not reconcile server %s: %s", id, lc_error_last()->message);
	}
	return;
later:
	lc__log(cs->cloud, LC_LOG_WARN, "server %s stays %s: its driver cannot answer (%s); retried at the next open",
		id, task ? task : "building", lc_error_last()->message);
	lc__rec_free(r);
	lc__error_clear();
}

int lc__server_reconcile(lc__compute *cs)
{
	struct todo td = { NULL, 0, 0 };
	int rc = collect(cs, &td);

	for (size_t i = 0; rc == 0 && i < td.n; i++)
		reconcile_one(cs, td.ids[i]);
	free(td.ids);
	lc__error_clear();
	return rc;
}
