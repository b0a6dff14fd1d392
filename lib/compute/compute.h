/*
 * Internal: the compute service. Record shapes, the service state (host
 * cache, scheduler settings, built-in drivers), and the helpers the files
 * of lib/compute share.
 */
#ifndef LC_COMPUTE_COMPUTE_H
#define LC_COMPUTE_COMPUTE_H

#include <pthread.h>
#include <stdint.h>

#include <libcloud/compute_host.h>
#include <libcloud/server.h>
#include <libcloud/sys/compute.h>

#include "core/cloud.h"
#include "core/record.h"
#include "core/session.h"
#include "services.h"

/* ---- record shapes (shapes.c) ---- */

enum {
	FLV_ID, FLV_FLAVORID, FLV_NAME, FLV_DESCRIPTION, FLV_VCPUS, FLV_RAM, FLV_DISK, FLV_EPHEMERAL, FLV_SWAP,
	FLV_PUBLIC, FLV_DISABLED, FLV_EXTRA, FLV_CREATED, FLV_NFIELDS
};
enum { FLV_IX_FLAVORID, FLV_IX_NAME };

enum { FAC_ID, FAC_FLAVOR, FAC_PROJECT, FAC_CREATED, FAC_NFIELDS };
enum { FAC_IX_FLAVOR };

enum { KP_ID, KP_USER, KP_NAME, KP_TYPE, KP_PUBLIC, KP_FINGERPRINT, KP_CREATED, KP_PRIVATE, KP_NFIELDS };
enum { KP_IX_NAME };

enum {
	HST_ID, HST_NAME, HST_DRIVER, HST_URI, HST_ENABLED, HST_REASON, HST_STATE, HST_AZ, HST_VCPUS, HST_MEM,
	HST_DISK, HST_CPU_RATIO, HST_RAM_RATIO, HST_DISK_RATIO, HST_VCPUS_USED, HST_MEM_USED, HST_DISK_USED,
	HST_RUNNING, HST_HV_TYPE, HST_HV_VERSION, HST_ARCH, HST_GEN, HST_CREATED, HST_UPDATED, HST_NFIELDS
};
enum { HST_IX_NAME };

enum { AGG_ID, AGG_NUMBER, AGG_NAME, AGG_AZ, AGG_HOSTS, AGG_METADATA, AGG_CREATED, AGG_UPDATED, AGG_NFIELDS };
enum { AGG_IX_NAME, AGG_IX_NUMBER };

enum { SG_ID, SG_NAME, SG_PROJECT, SG_USER, SG_POLICY, SG_MEMBERS, SG_CREATED, SG_NFIELDS };

enum {
	SRV_ID, SRV_NAME, SRV_PROJECT, SRV_USER, SRV_VM_STATE, SRV_TASK_STATE, SRV_POWER_STATE, SRV_FLAVOR_ID,
	SRV_FLAVOR, SRV_IMAGE, SRV_KEY_NAME, SRV_KEY_DATA, SRV_HOST, SRV_AZ, SRV_METADATA, SRV_USER_DATA,
	SRV_CREATED, SRV_UPDATED, SRV_LAUNCHED, SRV_FAULT_CODE, SRV_FAULT_MESSAGE, SRV_FAULT_TIME, SRV_GROUP,
	SRV_HELD, SRV_PREV_FLAVOR, SRV_PREV_HOST, SRV_CONFIG_DRIVE, SRV_TASK_ARG, SRV_ADMIN_PASS, SRV_HOST_ID, SRV_PORTS,
	SRV_NICS, SRV_NFIELDS
};
enum { SRV_IX_HOST, SRV_IX_PREV_HOST };

enum {
	IA_ID, IA_SERVER, IA_PROJECT, IA_USER, IA_ACTION, IA_REQUEST, IA_START, IA_FINISH, IA_RESULT, IA_MESSAGE,
	IA_NFIELDS
};
enum { IA_IX_REQUEST };

extern const lc__shape lc__flavor_shape, lc__flavor_access_shape, lc__keypair_shape, lc__host_shape,
	lc__aggregate_shape, lc__server_group_shape, lc__server_shape, lc__iaction_shape;
extern const lc__dbdef lc__compute_config_db;
extern const lc__dbdef *const lc__compute_dbs[];

/* vm states and task states (Nova's strings). */
#define VM_BUILDING "building"
#define VM_ACTIVE "active"
#define VM_STOPPED "stopped"
#define VM_PAUSED "paused"
#define VM_SUSPENDED "suspended"
#define VM_RESIZED "resized"
#define VM_ERROR "error"

/* ---- key/value and list blobs (kv.c) ---- */

#define LC__KV_MAX 256

/* A parsed "k\0v\0k\0v\0" blob (pointers into the blob or the caller's strings). */
typedef struct lc__kv {
	size_t n;
	const char *k[LC__KV_MAX];
	const char *v[LC__KV_MAX];
} lc__kv;

/* Parse a blob value (absent: empty). LC_ECORRUPT when malformed. */
int lc__kv_parse(lc__kv *kv, const lc__val *v);
const char *lc__kv_get(const lc__kv *kv, const char *key);
/* Set (add or replace) / remove; LC_EINVALID past max entries. remove: 1 if removed. */
int lc__kv_set(lc__kv *kv, const char *key, const char *value, size_t max);
int lc__kv_del(lc__kv *kv, const char *key);
/* Encode into a malloc'd blob (*out NULL and *len 0 when empty). */
int lc__kv_encode(const lc__kv *kv, char **out, size_t *len);
/* A NULL-terminated key, value, ... array built in the arena-free way: *out malloc'd, pointers into kv. */
int lc__kv_array(const lc__kv *kv, const char ***out);
/*
 * Check caller pairs (key, value, ..., NULL) for a key/value field:
 * lengths 1..kmax / 0..vmax, UTF-8, no control characters.
 */
int lc__kv_check_pairs(const char *what, const char *const *pairs, size_t kmax, size_t vmax);

/* String lists "a\0b\0" (hosts of an aggregate, members of a group). */
typedef struct lc__strlist {
	size_t n;
	const char **s;
	size_t cap;
} lc__strlist;
int lc__strlist_parse(lc__strlist *l, const lc__val *v);
int lc__strlist_has(const lc__strlist *l, const char *s);
int lc__strlist_add(lc__strlist *l, const char *s);
int lc__strlist_del(lc__strlist *l, const char *s);
int lc__strlist_encode(const lc__strlist *l, char **out, size_t *len);
void lc__strlist_free(lc__strlist *l);
/* Count and index a list blob without allocating. */
size_t lc__blob_count(const lc__val *v);
const char *lc__blob_item(const lc__val *v, size_t n);

/* ---- the flavor copy a server keeps (flavor.c) ---- */

typedef struct lc__flavor_spec {
	const char *id, *name;
	int64_t vcpus, ram, disk, ephemeral, swap;
	lc__kv extra;
} lc__flavor_spec;

/* Encode a flavor record as a server's flavor blob. */
int lc__flavor_spec_encode(const lc__rec *flavor, char **out, size_t *len);
int lc__flavor_spec_parse(lc__flavor_spec *f, const lc__val *v);
/* Disk the scheduler places: root + ephemeral + swap rounded up to GiB. */
int64_t lc__flavor_spec_disk(const lc__flavor_spec *f);
/* Load a flavor visible to s by its flavor id (in t). */
int lc__flavor_load(lc__txn *t, const lc_session *s, const char *flavorid, lc__rec **out);

/* ---- service state (service.c) ---- */

typedef struct lc__hcache lc__hcache;

typedef struct lc__sched_conf {
	int weigher;
	double ram_mult, cpu_mult, disk_mult;
} lc__sched_conf;

typedef struct lc__compute {
	lc_cloud *cloud;
	pthread_rwlock_t lock;      /* the host cache and the scheduler settings */
	lc__hcache *cache;          /* NULL: rebuild before the next placement */
	lc__sched_conf conf;
	lc_compute_driver *builtin_fake, *builtin_libvirt;
	pthread_mutex_t serial_lock; /* calls into drivers that declare themselves serialized */
	char *instances_dir;        /* <cloud>/data/compute/instances */
} lc__compute;

lc__compute *lc__compute_of(const lc_cloud *c);

/* ---- drivers (driver.c) ---- */

/* The compute driver named name: a registered one, else the built-in one. LC_ENOTFOUND. */
int lc__compute_driver(lc__compute *cs, const char *name, lc_compute_driver **out);

/* A driver method is present (within the driver's vtable version). */
#define LC__CDRV_HAS(d, m) ((d)->m != NULL)

/* Begin/end a call into a driver (serializes serialized drivers). */
void lc__cdrv_enter(lc__compute *cs, lc_compute_driver *d);
void lc__cdrv_leave(lc__compute *cs, lc_compute_driver *d);

/* ---- the host cache and the scheduler (scheduler.c) ---- */

enum {
	LC__F_COMPUTE, LC__F_REQUESTED_HOST, LC__F_AZ, LC__F_RAM, LC__F_CORE, LC__F_DISK, LC__F_AGGREGATE_SPECS,
	LC__F_CAPABILITIES, LC__F_IMAGE_PROPS, LC__F_AFFINITY, LC__F_ANTI_AFFINITY, LC__F_SAME_HOST,
	LC__F_DIFFERENT_HOST, LC__NFILTERS
};

#define LC__SCHED_CAND_MAX 64

typedef struct lc__sched_req {
	int64_t vcpus, ram, disk;
	unsigned int count;                /* servers to place */
	const char *az;                    /* requested zone, or NULL */
	const char *force_host;            /* admin's requested host, or NULL */
	const lc__kv *extra_specs;         /* flavor extra specs */
	const char *hv_type, *arch;        /* image requirements, or NULL */
	const char *group_policy;          /* server group policy, or NULL */
	const lc__strlist *group_hosts;    /* hosts of the group's members */
	const lc__strlist *same_hosts, *different_hosts;
	const char *self_host;             /* rebuild: the server's own host ... */
	int64_t self_vcpus, self_ram, self_disk; /* ... and its allocation there (not counted twice) */
} lc__sched_req;

typedef struct lc__sched_res {
	size_t nhosts;                         /* hosts considered */
	unsigned int eliminated[LC__NFILTERS]; /* hosts each filter removed */
	size_t ncand;
	char cand[LC__SCHED_CAND_MAX][LC__ID_TEXT]; /* best first */
} lc__sched_res;

/* Run the filters and weighers over the cached hosts. */
int lc__schedule(lc__compute *cs, const lc__sched_req *rq, lc__sched_res *res);
/* "No valid host was found: N hosts; ComputeFilter eliminated 2 (...), ..." */
void lc__sched_explain(const lc__sched_res *res, const lc__sched_req *rq, char *buf, size_t sz);

/*
 * In a write transaction: check that host id still passes what can change
 * under the cache (enabled, up, zone, capacity, hard group rules), and
 * return its weight. 0 fits, LC_EBUSY does not.
 */
int lc__sched_check_host(lc__txn *t, lc__compute *cs, const lc__sched_req *rq, const lc__strlist *group_hosts,
			 const char *host_id, lc__rec **host_out, double *weight);

/* Drop the cache (after host or aggregate changes). */
void lc__hcache_invalidate(lc__compute *cs);
/* After a commit: record a host's new usage (if newer than the cache's). */
void lc__hcache_usage(lc__compute *cs, const char *host_id, int64_t gen, int64_t vcpus_used, int64_t mem_used,
		      int64_t disk_used, int64_t running);
void lc__hcache_free(lc__hcache *h);

/* ---- host usage (host.c) ---- */

/* A host's usage after a change, remembered to update the cache after commit. */
typedef struct lc__host_delta {
	char id[LC__ID_TEXT];
	int64_t gen, vcpus_used, mem_used, disk_used, running;
} lc__host_delta;

/*
 * In a write transaction: add (sign 1) or remove (-1) an allocation on the
 * host named name. d (may be NULL) receives the new usage.
 */
int lc__host_charge(lc__txn *t, const char *name, int sign, int64_t vcpus, int64_t ram, int64_t disk,
		    lc__host_delta *d);
/* Load a host by name. */
int lc__host_load_name(lc__txn *t, const char *name, lc__rec **out);
/* Ratio fields are kept as thousandths. */
#define LC__RATIO(milli) ((double)(milli) / 1000.0)

/* ---- servers (server.c, action.c) ---- */

struct lc_server {
	lc__rec rec;
};

/* Nova's hostId of a server of `project` on `host` (hex SHA-224 of both). */
void lc__host_id(const char *project, const char *host, char out[57]);
/* Set (host non-NULL) or clear a server's host and hostId in values v; buf must live as long as v. */
void lc__server_set_host(lc__val *v, const char *host, char buf[57]);

/* Nova's status for a vm_state and task_state. */
const char *lc__server_status(const char *vm_state, const char *task_state);

/* A server snapshot from a record (takes ownership of r; never fails). */
int lc__server_wrap(lc_server **out, lc__rec *r);

/* Load a server s may act on (foreign: LC_ENOTFOUND; policy op: LC_EFORBIDDEN). */
int lc__server_load(lc__txn *t, lc_session *s, const char *id, const char *op, lc__rec **out);

/* Record the start / end of an action in the action log (in t). */
int lc__iaction_start(lc__txn *t, const lc_session *s, const lc__rec *server, const char *action,
		      const char *request_id);
int lc__iaction_finish(lc__txn *t, const char *server_id, const char *request_id, int ok, const char *message);
/* Finish every entry of a server's log still open (a reconciled outcome the crash lost). */
int lc__iaction_close_open(lc__txn *t, const char *server_id, int ok, const char *message);
/* Remove a server's action log (in its delete transaction). */
int lc__iaction_purge(lc__txn *t, const char *server_id);
/* A new request id "req-<uuid>". */
void lc__request_id(char out[48]);

/* Remove a server from its group's member list (in t). */
int lc__group_remove_member(lc__txn *t, const char *group_id, const char *server_id);

/* Reconcile servers left in transitional states (at open). */
int lc__server_reconcile(lc__compute *cs);

/* The config drive tree for a server (configdrive.c). */
int lc__configdrive_write(lc__store *st, const lc__rec *server, const char *dir);

/* Make a directory and its parents (0700). */
int lc__mkdirs(const char *path);
/* Remove a directory tree (best effort). */
void lc__rmtree(const char *path);

#endif
