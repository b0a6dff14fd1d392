/*
 * The fake compute driver: instances in memory, a hash table keyed by
 * server id. Deterministic and fast enough for simulated fleets of
 * hundreds of thousands of servers; fault injection and a hook for tests.
 */
#include <libcloud/sys/compute.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libcloud/errors.h>

#define BUCKETS 4096
#define MAX_FAULTS 16

typedef struct fake_inst {
	struct fake_inst *next;
	char id[LC_ID_LEN + 1];
	char *uri;
	char *prev_uri;  /* during a resize to another host */
	int power;
	int prev_power;
	int64_t vcpus, memory_mib, prev_vcpus, prev_memory_mib;
} fake_inst;

typedef struct fake_driver {
	lc_compute_driver d;
	pthread_mutex_t lock;
	fake_inst *b[BUCKETS];
	int64_t count;
	struct {
		char method[24];
		unsigned int count;
		int code;
	} faults[MAX_FAULTS];
	lc_compute_fake_hook hook;
	void *hook_payload;
} fake_driver;

static const char *const methods[] = {
	"spawn", "destroy", "power_off", "power_on", "reboot", "pause", "unpause", "suspend", "resume",
	"snapshot", "resize", "confirm_resize", "revert_resize", "rebuild", "inventory", "get_state", "list", NULL,
};

static unsigned int hash(const char *id)
{
	unsigned int h = 2166136261u;

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 16777619u;
	return h % BUCKETS;
}

static fake_inst **slot(fake_driver *f, const char *id)
{
	fake_inst **p = &f->b[hash(id)];

	while (*p && strcmp((*p)->id, id) != 0)
		p = &(*p)->next;
	return p;
}

/* The start of every method: the hook, then an injected fault if one is armed. */
static int enter(fake_driver *f, const char *method, const char *id)
{
	int rc = 0;

	if (f->hook)
		f->hook(method, id, f->hook_payload);
	pthread_mutex_lock(&f->lock);
	for (int i = 0; i < MAX_FAULTS; i++) {
		if (f->faults[i].count && strcmp(f->faults[i].method, method) == 0) {
			f->faults[i].count--;
			rc = f->faults[i].code;
			break;
		}
	}
	pthread_mutex_unlock(&f->lock);
	if (rc < 0) {
		char msg[96];

		snprintf(msg, sizeof(msg), "fake driver: injected failure of %s", method);
		return lc_compute_driver_error(rc, msg);
	}
	return 0;
}

static int64_t query_int(const char *uri, const char *key, int64_t dflt)
{
	const char *q = strchr(uri, '?');
	size_t kl = strlen(key);

	while (q) {
		q++;
		if (strncmp(q, key, kl) == 0 && q[kl] == '=')
			return strtoll(q + kl + 1, NULL, 10);
		q = strchr(q, '&');
	}
	return dflt;
}

static void query_str(const char *uri, const char *key, char *out, size_t sz)
{
	const char *q = strchr(uri, '?');
	size_t kl = strlen(key);

	while (q) {
		q++;
		if (strncmp(q, key, kl) == 0 && q[kl] == '=') {
			size_t n = strcspn(q + kl + 1, "&");

			if (n >= sz)
				n = sz - 1;
			memcpy(out, q + kl + 1, n);
			out[n] = '\0';
			return;
		}
		q = strchr(q, '&');
	}
}

static int fake_inventory(lc_compute_driver *self, const char *uri, lc_compute_inventory *out)
{
	fake_driver *f = (fake_driver *)self;
	int rc = enter(f, "inventory", NULL);

	if (rc < 0)
		return rc;
	if (strncmp(uri, "fake://", 7) != 0)
		return lc_compute_driver_error(LC_EINVALID, "fake driver: the URI must start with fake://");
	out->vcpus = query_int(uri, "vcpus", 16);
	out->memory_mib = query_int(uri, "memory_mib", 32768);
	out->disk_gib = query_int(uri, "disk_gib", 1000);
	out->hypervisor_version = 1000;
	snprintf(out->hypervisor_type, sizeof(out->hypervisor_type), "fake");
	snprintf(out->cpu_arch, sizeof(out->cpu_arch), "x86_64");
	query_str(uri, "hypervisor_type", out->hypervisor_type, sizeof(out->hypervisor_type));
	query_str(uri, "arch", out->cpu_arch, sizeof(out->cpu_arch));
	return 0;
}

static int fake_spawn(lc_compute_driver *self, const lc_compute_instance *in)
{
	fake_driver *f = (fake_driver *)self;
	fake_inst **p, *n;
	int rc = enter(f, "spawn", in->id);

	if (rc < 0)
		return rc;
	n = calloc(1, sizeof(*n));
	if (n == NULL || (n->uri = strdup(in->uri)) == NULL) {
		free(n);
		return lc_compute_driver_error(LC_ENOMEM, "fake driver: out of memory");
	}
	snprintf(n->id, sizeof(n->id), "%s", in->id);
	n->power = LC_POWER_RUNNING;
	n->vcpus = in->vcpus;
	n->memory_mib = in->memory_mib;
	pthread_mutex_lock(&f->lock);
	p = slot(f, in->id);
	if (*p) {
		pthread_mutex_unlock(&f->lock);
		free(n->uri);
		free(n);
		return lc_compute_driver_error(LC_EEXISTS, "fake driver: the instance exists already");
	}
	*p = n;
	f->count++;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static int fake_destroy(lc_compute_driver *self, const lc_compute_instance *in)
{
	fake_driver *f = (fake_driver *)self;
	fake_inst **p, *n;
	int rc = enter(f, "destroy", in->id);

	if (rc < 0)
		return rc;
	pthread_mutex_lock(&f->lock);
	p = slot(f, in->id);
	n = *p;
	if (n && strcmp(n->uri, in->uri) != 0 && !(n->prev_uri && strcmp(n->prev_uri, in->uri) == 0))
		n = NULL;
	if (n)
		*p = n->next, f->count--;
	pthread_mutex_unlock(&f->lock);
	if (n == NULL)
		return LC_ENOTFOUND;
	free(n->uri);
	free(n->prev_uri);
	free(n);
	return 0;
}

/* Change the power state of an instance when it is in one of the states `from` (a bit set). */
static int power(fake_driver *f, const char *method, const lc_compute_instance *in, unsigned int from, int to)
{
	fake_inst *n;
	int rc = enter(f, method, in->id);

	if (rc < 0)
		return rc;
	pthread_mutex_lock(&f->lock);
	n = *slot(f, in->id);
	if (n && !(from & (1u << n->power))) {
		char msg[128];

		snprintf(msg, sizeof(msg), "fake driver: cannot %s an instance in power state %d", method, n->power);
		pthread_mutex_unlock(&f->lock);
		return lc_compute_driver_error(LC_ECONFLICT, msg);
	}
	if (n)
		n->power = to;
	pthread_mutex_unlock(&f->lock);
	return n ? 0 : lc_compute_driver_error(LC_ENOTFOUND, "fake driver: no such instance");
}

#define ANY 0xffu
#define BIT(s) (1u << (s))

static int fake_power_off(lc_compute_driver *self, const lc_compute_instance *in, unsigned int flags)
{
	(void)flags;
	return power((fake_driver *)self, "power_off", in, ANY, LC_POWER_SHUTDOWN);
}

static int fake_power_on(lc_compute_driver *self, const lc_compute_instance *in)
{
	return power((fake_driver *)self, "power_on", in, BIT(LC_POWER_SHUTDOWN) | BIT(LC_POWER_CRASHED),
		     LC_POWER_RUNNING);
}

static int fake_reboot(lc_compute_driver *self, const lc_compute_instance *in, unsigned int flags)
{
	return power((fake_driver *)self, "reboot", in, (flags & LC_COMPUTE_HARD) ? ANY : BIT(LC_POWER_RUNNING),
		     LC_POWER_RUNNING);
}

static int fake_pause(lc_compute_driver *self, const lc_compute_instance *in)
{
	return power((fake_driver *)self, "pause", in, BIT(LC_POWER_RUNNING), LC_POWER_PAUSED);
}

static int fake_unpause(lc_compute_driver *self, const lc_compute_instance *in)
{
	return power((fake_driver *)self, "unpause", in, BIT(LC_POWER_PAUSED), LC_POWER_RUNNING);
}

static int fake_suspend(lc_compute_driver *self, const lc_compute_instance *in)
{
	return power((fake_driver *)self, "suspend", in, BIT(LC_POWER_RUNNING), LC_POWER_SUSPENDED);
}

static int fake_resume(lc_compute_driver *self, const lc_compute_instance *in)
{
	return power((fake_driver *)self, "resume", in, BIT(LC_POWER_SUSPENDED), LC_POWER_RUNNING);
}

static int fake_get_state(lc_compute_driver *self, const lc_compute_instance *in, int *out)
{
	fake_driver *f = (fake_driver *)self;
	fake_inst *n;
	int rc = enter(f, "get_state", in->id);

	if (rc < 0)
		return rc;
	pthread_mutex_lock(&f->lock);
	n = *slot(f, in->id);
	if (n)
		*out = n->power;
	pthread_mutex_unlock(&f->lock);
	return n ? 0 : LC_ENOTFOUND;
}

static int fake_snapshot(lc_compute_driver *self, const lc_compute_instance *in, const char *dest, char *format,
			 size_t format_size)
{
	static const char block[4096];
	fake_driver *f = (fake_driver *)self;
	int rc = enter(f, "snapshot", in->id), fd;

	if (rc < 0)
		return rc;
	fd = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return lc_compute_driver_error(LC_EIO, "fake driver: cannot write the snapshot");
	/* a small raw disk of zeros */
	for (int i = 0; i < 16; i++) {
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block)) {
			close(fd);
			return lc_compute_driver_error(LC_EIO, "fake driver: cannot write the snapshot");
		}
	}
	close(fd);
	snprintf(format, format_size, "raw");
	return 0;
}

static int fake_resize(lc_compute_driver *self, const lc_compute_instance *from, const lc_compute_instance *to)
{
	fake_driver *f = (fake_driver *)self;
	fake_inst *n;
	char *uri;
	int rc = enter(f, "resize", from->id);

	if (rc < 0)
		return rc;
	uri = strdup(to->uri);
	if (uri == NULL)
		return lc_compute_driver_error(LC_ENOMEM, "fake driver: out of memory");
	pthread_mutex_lock(&f->lock);
	n = *slot(f, from->id);
	if (n) {
		free(n->prev_uri);
		n->prev_uri = n->uri;
		n->uri = uri;
		n->prev_vcpus = n->vcpus;
		n->prev_memory_mib = n->memory_mib;
		n->prev_power = n->power;
		n->vcpus = to->vcpus;
		n->memory_mib = to->memory_mib;
	}
	pthread_mutex_unlock(&f->lock);
	if (n == NULL) {
		free(uri);
		return lc_compute_driver_error(LC_ENOTFOUND, "fake driver: no such instance");
	}
	return 0;
}

static int fake_confirm_resize(lc_compute_driver *self, const lc_compute_instance *from,
			       const lc_compute_instance *to)
{
	fake_driver *f = (fake_driver *)self;
	fake_inst *n;
	int rc = enter(f, "confirm_resize", from->id);

	(void)to;
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&f->lock);
	n = *slot(f, from->id);
	if (n) {
		free(n->prev_uri);
		n->prev_uri = NULL;
	}
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static int fake_revert_resize(lc_compute_driver *self, const lc_compute_instance *from,
			      const lc_compute_instance *to)
{
	fake_driver *f = (fake_driver *)self;
	fake_inst *n;
	int rc = enter(f, "revert_resize", from->id);

	(void)to;
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&f->lock);
	n = *slot(f, from->id);
	if (n && n->prev_uri) {
		free(n->uri);
		n->uri = n->prev_uri;
		n->prev_uri = NULL;
		n->vcpus = n->prev_vcpus;
		n->memory_mib = n->prev_memory_mib;
		n->power = n->prev_power;
	}
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static int fake_rebuild(lc_compute_driver *self, const lc_compute_instance *in)
{
	fake_driver *f = (fake_driver *)self;
	fake_inst *n;
	int rc = enter(f, "rebuild", in->id);

	if (rc < 0)
		return rc;
	pthread_mutex_lock(&f->lock);
	n = *slot(f, in->id);
	if (n)
		n->power = LC_POWER_RUNNING;
	pthread_mutex_unlock(&f->lock);
	if (n == NULL)
		return fake_spawn(self, in);
	return 0;
}

static int fake_list(lc_compute_driver *self, const char *uri, lc_compute_list_cb cb, void *payload)
{
	fake_driver *f = (fake_driver *)self;
	char (*ids)[LC_ID_LEN + 1] = NULL;
	int *powers = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	pthread_mutex_lock(&f->lock);
	for (int b = 0; b < BUCKETS && rc == 0; b++) {
		for (fake_inst *i = f->b[b]; i; i = i->next) {
			if (strcmp(i->uri, uri) != 0)
				continue;
			if (n == cap) {
				size_t nc = cap ? 2 * cap : 64;
				void *a = realloc(ids, nc * sizeof(*ids)), *pw;

				if (a == NULL) {
					rc = LC_ENOMEM;
					break;
				}
				ids = a;
				pw = realloc(powers, nc * sizeof(*powers));
				if (pw == NULL) {
					rc = LC_ENOMEM;
					break;
				}
				powers = pw;
				cap = nc;
			}
			memcpy(ids[n], i->id, sizeof(ids[n]));
			powers[n++] = i->power;
		}
	}
	pthread_mutex_unlock(&f->lock);
	/* the callback runs without the lock, so it may call back into the driver */
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (cb(ids[i], powers[i], payload) != 0)
			rc = LC_EUSER;
	free(ids);
	free(powers);
	return rc;
}

static void fake_free(lc_driver *self)
{
	fake_driver *f = (fake_driver *)self;

	for (int b = 0; b < BUCKETS; b++) {
		fake_inst *i = f->b[b];

		while (i) {
			fake_inst *next = i->next;

			free(i->uri);
			free(i->prev_uri);
			free(i);
			i = next;
		}
	}
	pthread_mutex_destroy(&f->lock);
	free((char *)f->d.base.name);
	free(f);
}

LC_EXTERN int lc_compute_fake_new(lc_compute_driver **out, const char *name)
{
	fake_driver *f;

	if (out == NULL || name == NULL || name[0] == '\0' || strlen(name) > LC_DRIVER_NAME_MAX)
		return lc_compute_driver_error(LC_EINVALID, "invalid argument: out or name");
	*out = NULL;
	f = calloc(1, sizeof(*f));
	if (f == NULL || (f->d.base.name = strdup(name)) == NULL) {
		free(f);
		return lc_compute_driver_error(LC_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&f->lock, NULL);
	f->d.base.version = LC_COMPUTE_DRIVER_VERSION;
	f->d.base.kind = LC_COMPUTE_KIND;
	f->d.base.free = fake_free;
	f->d.inventory = fake_inventory;
	f->d.spawn = fake_spawn;
	f->d.destroy = fake_destroy;
	f->d.power_off = fake_power_off;
	f->d.power_on = fake_power_on;
	f->d.reboot = fake_reboot;
	f->d.pause = fake_pause;
	f->d.unpause = fake_unpause;
	f->d.suspend = fake_suspend;
	f->d.resume = fake_resume;
	f->d.get_state = fake_get_state;
	f->d.snapshot = fake_snapshot;
	f->d.resize = fake_resize;
	f->d.confirm_resize = fake_confirm_resize;
	f->d.revert_resize = fake_revert_resize;
	f->d.rebuild = fake_rebuild;
	f->d.list = fake_list;
	*out = &f->d;
	return 0;
}

static int is_fake(lc_compute_driver *d)
{
	return d != NULL && d->base.free == fake_free;
}

LC_EXTERN int lc_compute_fake_fail(lc_compute_driver *d, const char *method, unsigned int count, int code)
{
	fake_driver *f = (fake_driver *)d;
	int known = 0, slot_i = -1;

	if (!is_fake(d) || method == NULL || (count && code >= 0))
		return lc_compute_driver_error(LC_EINVALID, "invalid argument: not a fake driver, or a bad method or code");
	for (int i = 0; methods[i]; i++)
		known |= strcmp(methods[i], method) == 0;
	if (!known)
		return lc_compute_driver_error(LC_EINVALID, "unknown fake driver method");
	pthread_mutex_lock(&f->lock);
	for (int i = 0; i < MAX_FAULTS; i++) {
		if (strcmp(f->faults[i].method, method) == 0 || (slot_i < 0 && f->faults[i].count == 0))
			slot_i = i;
		if (strcmp(f->faults[i].method, method) == 0)
			break;
	}
	if (slot_i >= 0) {
		snprintf(f->faults[slot_i].method, sizeof(f->faults[slot_i].method), "%s", method);
		f->faults[slot_i].count = count;
		f->faults[slot_i].code = code;
	}
	pthread_mutex_unlock(&f->lock);
	return slot_i >= 0 ? 0 : lc_compute_driver_error(LC_EINVALID, "too many armed faults");
}

LC_EXTERN int lc_compute_fake_set_hook(lc_compute_driver *d, lc_compute_fake_hook hook, void *payload)
{
	fake_driver *f = (fake_driver *)d;

	if (!is_fake(d))
		return lc_compute_driver_error(LC_EINVALID, "invalid argument: not a fake driver");
	f->hook = hook;
	f->hook_payload = payload;
	return 0;
}

LC_EXTERN int64_t lc_compute_fake_count(lc_compute_driver *d)
{
	fake_driver *f = (fake_driver *)d;
	int64_t n;

	if (!is_fake(d))
		return -1;
	pthread_mutex_lock(&f->lock);
	n = f->count;
	pthread_mutex_unlock(&f->lock);
	return n;
}
