/*
 * Servers: create (validate, reserve quota, schedule and allocate, record
 * BUILD; spawn outside any transaction; record ACTIVE or ERROR), get, list,
 * rename, metadata, delete.
 */
#include <libcloud/keypair.h>
#include <libcloud/server.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "compute/common.h"
#include "compute/compute.h"
#include "compute/imageref.h"
#include "compute/server_internal.h"
#include "core/error.h"
#include "core/policy.h"
#include "core/quota.h"
#include "core/resource.h"
#include "core/text.h"

LC__OPTS_INIT_FN(lc_server_opts_init, lc_server_opts, LC_SERVER_OPTS_INIT, LC_SERVER_OPTS_VERSION)

/* ---- snapshots ---- */

int lc__server_wrap(lc_server **out, lc__rec *r)
{
	*out = (lc_server *)r;
	return 0;
}

void lc__host_id(const char *project, const char *host, char out[57])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	out[0] = '\0';
	if (ctx && EVP_DigestInit_ex(ctx, EVP_sha224(), NULL) && EVP_DigestUpdate(ctx, project, strlen(project)) &&
	    EVP_DigestUpdate(ctx, host, strlen(host)) && EVP_DigestFinal_ex(ctx, md, &mdlen))
		for (unsigned int i = 0; i < mdlen && i < 28; i++)
			snprintf(out + 2 * i, 3, "%02x", md[i]);
	EVP_MD_CTX_free(ctx);
}

void lc__server_set_host(lc__val *v, const char *host, char buf[57])
{
	if (host == NULL) {
		v[SRV_HOST].set = 0;
		v[SRV_HOST_ID].set = 0;
		return;
	}
	lc__host_id(v[SRV_PROJECT].s, host, buf);
	lc__val_str(&v[SRV_HOST], host);
	lc__val_str(&v[SRV_HOST_ID], buf);
}

const char *lc__server_status(const char *vm, const char *task)
{
	if (vm == NULL)
		return "UNKNOWN";
	if (!strcmp(vm, VM_BUILDING))
		return "BUILD";
	if (task) {
		if (!strcmp(task, "rebooting"))
			return "REBOOT";
		if (!strcmp(task, "rebooting_hard"))
			return "HARD_REBOOT";
		if (!strncmp(task, "rebuild", 7))
			return "REBUILD";
		if (!strcmp(task, "resize_reverting"))
			return "REVERT_RESIZE";
		if (!strcmp(task, "resize_confirming"))
			return "VERIFY_RESIZE";
		if (!strncmp(task, "resize_", 7))
			return "RESIZE";
	}
	if (!strcmp(vm, VM_ACTIVE))
		return "ACTIVE";
	if (!strcmp(vm, VM_STOPPED))
		return "SHUTOFF";
	if (!strcmp(vm, VM_PAUSED))
		return "PAUSED";
	if (!strcmp(vm, VM_SUSPENDED))
		return "SUSPENDED";
	if (!strcmp(vm, VM_RESIZED))
		return "VERIFY_RESIZE";
	if (!strcmp(vm, VM_ERROR))
		return "ERROR";
	return "UNKNOWN";
}

int lc__server_load(lc__txn *t, lc_session *s, const char *id, const char *op, lc__rec **out)
{
	lc__rec *r;
	const char *project;
	int rc;

	*out = NULL;
	rc = lc__rec_load(t, &lc__server_shape, id, &r);
	if (rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "server %s not found", id);
	LC_TRY(rc);
	project = lc__rec_str(r, SRV_PROJECT);
	if (!lc__policy_allows(s, "compute:get_server", project, NULL)) {
		lc__rec_free(r);
		return lc__error_set(LC_ENOTFOUND, "server %s not found", id);
	}
	if (op && (rc = lc__policy_enforce(s, op, project, NULL)) < 0) {
		lc__rec_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

LC_EXTERN int lc_server_get(lc_server **out, lc_session *s, const char *id)
{
	char key[LC__ID_TEXT];
	lc__rec *r = NULL;
	lc__txn t;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__server_load(&t, s, key, NULL, &r);
	lc__store_read_end(&t);
	return rc < 0 ? rc : lc__server_wrap(out, r);
}

/* ---- validation of what a caller gives ---- */

int lc__user_data_check(const char *b64)
{
	size_t n, cap, bin = 0;
	unsigned char *buf;
	int rc;

	if (b64 == NULL)
		return 0;
	n = strlen(b64);
	if (n > LC_SERVER_USER_DATA_MAX)
		return lc__error_set(LC_EINVALID, "user_data is %zu bytes of base64, more than %d", n,
				     LC_SERVER_USER_DATA_MAX);
	cap = n / 4 * 3 + 3;
	buf = malloc(cap ? cap : 1);
	if (buf == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	rc = sodium_base642bin(buf, cap, b64, n, " \t\r\n", &bin, NULL, sodium_base64_VARIANT_ORIGINAL);
	free(buf);
	if (rc != 0)
		return lc__error_set(LC_EINVALID, "user_data is not valid base64");
	return 0;
}

int lc__metadata_check(const char *const *md, size_t *count)
{
	size_t n = 0;

	for (size_t i = 0; md && md[i]; i += 2) {
		if (md[i + 1] == NULL)
			return lc__error_set(LC_EINVALID, "metadata key '%.64s' has no value", md[i]);
		LC_TRY(lc__text_check("metadata key", md[i], 1, LC_SERVER_METADATA_MAX));
		LC_TRY(lc__text_check("metadata value", md[i + 1], 0, LC_SERVER_METADATA_MAX));
		n++;
	}
	if (n > LC_SERVER_METADATA_ITEMS_MAX)
		return lc__error_set(LC_EQUOTA, "quota exceeded for metadata_items: limit %d, requested %zu",
				     LC_SERVER_METADATA_ITEMS_MAX, n);
	if (count)
		*count = n;
	return 0;
}

void lc__random_password(char *out, size_t len)
{
	static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	const unsigned int n = sizeof(alphabet) - 1, limit = 256 / n * n; /* bytes >= limit would bias */
	unsigned char r[64];
	size_t i = 0, used = sizeof(r);

	while (i + 1 < len) {
		if (used == sizeof(r)) {
			randombytes_buf(r, sizeof(r)); /* a secret: straight from libsodium, one call */
			used = 0;
		}
		if (r[used] < limit)
			out[i++] = alphabet[r[used] % n];
		used++;
	}
	out[len - 1] = '\0';
	sodium_memzero(r, sizeof(r));
}

/* Hosts of the members of a group (a read, before scheduling; checked again in the write). */
static int group_hosts(lc__txn *t, const lc__rec *g, lc__strlist *out, char **store)
{
	size_t n = lc__blob_count(&g->v[SG_MEMBERS]), off = 0, cap = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	*store = NULL;
	for (size_t i = 0; i < n; i++) {
		lc__rec srv;
		const char *h;

		if (lc__rec_view(t, &lc__server_shape, lc__blob_item(&g->v[SG_MEMBERS], i), &srv) < 0)
			continue;
		h = lc__rec_str(&srv, SRV_HOST);
		if (h == NULL)
			continue;
		cap += strlen(h) + 1;
	}
	if (cap == 0)
		return 0;
	*store = malloc(cap);
	if (*store == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	for (size_t i = 0; i < n && rc == 0; i++) {
		lc__rec srv;
		const char *h;

		if (lc__rec_view(t, &lc__server_shape, lc__blob_item(&g->v[SG_MEMBERS], i), &srv) < 0)
			continue;
		h = lc__rec_str(&srv, SRV_HOST);
		if (h == NULL || off + strlen(h) + 1 > cap)
			continue;
		memcpy(*store + off, h, strlen(h) + 1);
		if (!lc__strlist_has(out, *store + off))
			rc = lc__strlist_add(out, *store + off);
		off += strlen(h) + 1;
	}
	lc__error_clear();
	return rc;
}

int lc__group_hosts_txn(lc__txn *t, const char *group_id, lc__strlist *out, char **store)
{
	lc__rec *g;
	int rc;

	memset(out, 0, sizeof(*out));
	*store = NULL;
	if (group_id == NULL || group_id[0] == '\0')
		return 0;
	rc = lc__rec_load(t, &lc__server_group_shape, group_id, &g);
	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	rc = group_hosts(t, g, out, store);
	lc__rec_free(g);
	return rc;
}

/* ---- create ---- */

struct placed {
	char id[LC__ID_TEXT];
	char host[LC_HOST_NAME_MAX + 1];
	char host_id[57];
	char az[256];
	char name[LC_SERVER_NAME_MAX + 1];
	char request[48];
	int ok;
	char fault[1024];
};

struct create {
	lc_session *s;
	lc__compute *cs;
	const lc_server_opts *o;
	char project[LC__ID_TEXT];
	lc__rec *flavor;
	char *flavor_blob;
	size_t flavor_len;
	lc__flavor_spec fspec;
	int64_t disk;
	lc__cimage image;
	char key_name[LC_KEYPAIR_NAME_MAX + 1];
	char *key_data;
	char *meta_blob;
	size_t meta_len;
	const char *az;
	char az_buf[256];
	const char *force_host;
	char host_buf[LC_HOST_NAME_MAX + 1];
	char group_id[LC__ID_TEXT];
	char group_policy[32];
	lc__strlist ghosts;
	char *ghosts_store;
	lc__strlist same, diff;
	char *same_store, *diff_store;
	unsigned int min, max, n;
	char admin_pass[32];
	lc__sched_req rq;
	lc__sched_res res;
	struct placed *srv;
	lc__srv_ports *ports; /* per server: the ports attached in create_tx */
	char auto_net[LC__ID_TEXT];
	lc__host_delta *deltas;
	size_t ndeltas;
	lc__nl kept; /* given ports unbound from servers whose build failed */
	char fault[1024];
	int no_host;
};

static void create_fini(struct create *c)
{
	lc__rec_free(c->flavor);
	free(c->flavor_blob);
	lc__cimage_fini(&c->image);
	free(c->key_data);
	free(c->meta_blob);
	lc__strlist_free(&c->ghosts);
	free(c->ghosts_store);
	lc__strlist_free(&c->same);
	lc__strlist_free(&c->diff);
	free(c->same_store);
	free(c->diff_store);
	free(c->srv);
	free(c->ports);
	free(c->deltas);
	sodium_memzero(c->admin_pass, sizeof(c->admin_pass));
}

/* The hosts of the servers named by a same_host / different_host hint. */
static int hint_hosts(struct create *c, lc__txn *t, const char *ids, lc__strlist *out, char **store)
{
	char key[LC__ID_TEXT];
	lc__rec *r;
	int rc;

	memset(out, 0, sizeof(*out));
	*store = NULL;
	if (ids == NULL)
		return 0;
	if (lc__id_canon("scheduler hint", ids, key) < 0)
		return lc__error_set(LC_EINVALID, "scheduler hint: '%.64s' is not a server id", ids);
	rc = lc__server_load(t, c->s, key, NULL, &r);
	if (rc == LC_ENOTFOUND)
		return lc__error_set(LC_EINVALID, "scheduler hint: no server %s", key);
	LC_TRY(rc);
	if (lc__rec_str(r, SRV_HOST)) {
		*store = strdup(lc__rec_str(r, SRV_HOST));
		if (*store == NULL || lc__strlist_add(out, *store) < 0)
			rc = lc__error_set(LC_ENOMEM, "out of memory");
	}
	lc__rec_free(r);
	return rc;
}

static int validate(struct create *c)
{
	const lc_server_opts *o = c->o;
	lc_session *s = c->s;
	const char *group = o->server_group_id, *same = NULL, *diff = NULL;
	lc__txn t;
	int rc, stale;

	if (s->scope != LC_SCOPE_PROJECT)
		return lc__error_set(LC_EINVALID, "servers belong to a project: use a project-scoped session");
	snprintf(c->project, sizeof(c->project), "%s", s->project_id);
	LC_TRY(lc__policy_enforce(s, "compute:create_server", c->project, NULL));
	LC_CHECK_ARG(o->name != NULL, "name is required");
	LC_TRY(lc__text_check("name", o->name, 1, LC_SERVER_NAME_MAX));
	LC_CHECK_ARG(o->flavor_id != NULL, "flavor_id is required");
	LC_CHECK_ARG(o->image_id != NULL, "image_id is required (boot from volume is not supported yet)");
	c->min = o->min_count ? o->min_count : 1;
	c->max = o->max_count ? o->max_count : c->min;
	if (c->max < c->min || c->max > LC_SERVER_COUNT_MAX)
		return lc__error_set(LC_EINVALID, "min_count must be <= max_count <= %d", LC_SERVER_COUNT_MAX);
	if (c->max > 1 && strlen(o->name) > LC_SERVER_NAME_MAX - 5)
		return lc__error_set(LC_EINVALID, "name is too long for numbered servers");
	LC_TRY(lc__nics_check(o, c->max));
	if (o->config_drive != LC_UNSET && o->config_drive != 0 && o->config_drive != 1)
		return lc__error_set(LC_EINVALID, "config_drive must be 0, 1 or LC_UNSET");
	LC_TRY(lc__user_data_check(o->user_data));
	LC_TRY(lc__metadata_check(o->metadata, NULL));
	if (o->admin_pass) {
		LC_TRY(lc__text_check("admin_pass", o->admin_pass, 0, sizeof(c->admin_pass) - 1));
		snprintf(c->admin_pass, sizeof(c->admin_pass), "%s", o->admin_pass);
	} else {
		lc__random_password(c->admin_pass, 13);
	}
	/* placement fields are the admin's: the lesson of hosts chosen by tenants */
	if (o->host) {
		LC_TRY(lc__policy_enforce(s, "compute:create_server:forced_host", c->project, NULL));
		LC_TRY(lc__text_check("host", o->host, 1, LC_HOST_NAME_MAX));
		snprintf(c->host_buf, sizeof(c->host_buf), "%s", o->host);
		c->force_host = c->host_buf;
	}
	if (o->availability_zone) {
		const char *colon = strchr(o->availability_zone, ':');

		LC_TRY(lc__text_check("availability_zone", o->availability_zone, 1, 255));
		snprintf(c->az_buf, sizeof(c->az_buf), "%.*s",
			 colon ? (int)(colon - o->availability_zone) : 255, o->availability_zone);
		c->az = c->az_buf[0] ? c->az_buf : NULL;
		if (colon) {
			const char *h = colon + 1, *node = strchr(h, ':');

			LC_TRY(lc__policy_enforce(s, "compute:create_server:forced_host", c->project, NULL));
			if (node ? node > h : *h) {
				if (c->force_host)
					return lc__error_set(LC_EINVALID, "host given twice");
				snprintf(c->host_buf, sizeof(c->host_buf), "%.*s", node ? (int)(node - h) : 255, h);
				c->force_host = c->host_buf;
			}
		}
	}
	for (size_t i = 0; o->scheduler_hints && o->scheduler_hints[i]; i += 2) {
		const char *k = o->scheduler_hints[i], *v = o->scheduler_hints[i + 1];

		if (v == NULL)
			return lc__error_set(LC_EINVALID, "scheduler hint %.64s has no value", k);
		if (!strcmp(k, "group")) {
			if (group && strcmp(group, v))
				return lc__error_set(LC_EINVALID, "two server groups given");
			group = v;
		} else if (!strcmp(k, "same_host")) {
			same = v;
		} else if (!strcmp(k, "different_host")) {
			diff = v;
		} else if (k[0] == '_' || !strncmp(k, "force_", 6) || !strcmp(k, "host") ||
			   !strcmp(k, "requested_destination") || !strcmp(k, "hypervisor_hostname")) {
			return lc__error_set(LC_EFORBIDDEN, "scheduler hint %.64s is internal: not for callers", k);
		} else {
			return lc__error_set(LC_EINVALID, "unknown scheduler hint %.64s", k);
		}
	}
	/*
	 * References, read in one short transaction. Deferred outcomes (servers
	 * settled or deleted) cannot change a flavor or a key pair: the read need
	 * not commit them first, unless it reads servers (a group, host hints).
	 */
	stale = !group && !same && !diff;
	if (stale)
		lc__store_stale_reads(1);
	rc = lc__store_read(lc__session_store(s), &t);
	if (stale)
		lc__store_stale_reads(0);
	LC_TRY(rc);
	rc = lc__flavor_load(&t, s, o->flavor_id, &c->flavor);
	if (rc == LC_ENOTFOUND)
		rc = lc__error_set(LC_EINVALID, "flavor %.255s not found", o->flavor_id);
	if (rc == 0 && lc__rec_int(c->flavor, FLV_DISABLED))
		rc = lc__error_set(LC_EINVALID, "flavor %.255s is disabled", o->flavor_id);
	if (rc == 0 && o->key_name) {
		char kid[LC__ID_TEXT + 1];
		const char *parts[] = { s->user_id, o->key_name };
		lc__rec *k;

		rc = s->system || strlen(o->key_name) > 255
			     ? LC_ENOTFOUND
			     : lc__index_lookup(&t, &lc__keypair_shape.indexes[KP_IX_NAME], parts, kid, sizeof(kid));
		if (rc == 0 && (rc = lc__rec_load(&t, &lc__keypair_shape, kid, &k)) == 0) {
			snprintf(c->key_name, sizeof(c->key_name), "%s", o->key_name);
			c->key_data = strdup(lc__rec_str(k, KP_PUBLIC));
			if (c->key_data == NULL)
				rc = lc__error_set(LC_ENOMEM, "out of memory");
			lc__rec_free(k);
		}
		if (rc == LC_ENOTFOUND)
			rc = lc__error_set(LC_EINVALID, "no key pair named '%.255s' for this user", o->key_name);
	}
	if (rc == 0 && group) {
		lc__rec *g = NULL;

		if (lc__id_canon("server_group_id", group, c->group_id) < 0)
			rc = lc__error_set(LC_EINVALID, "server group '%.64s' not found", group);
		if (rc == 0 && (rc = lc__rec_load(&t, &lc__server_group_shape, c->group_id, &g)) == 0 &&
		    strcmp(lc__rec_str(g, SG_PROJECT), c->project) != 0)
			rc = LC_ENOTFOUND;
		if (rc == LC_ENOTFOUND)
			rc = lc__error_set(LC_EINVALID, "server group %s not found", c->group_id);
		if (rc == 0) {
			snprintf(c->group_policy, sizeof(c->group_policy), "%s", lc__rec_str(g, SG_POLICY));
			rc = group_hosts(&t, g, &c->ghosts, &c->ghosts_store);
		}
		lc__rec_free(g);
	}
	if (rc == 0)
		rc = hint_hosts(c, &t, same, &c->same, &c->same_store);
	if (rc == 0)
		rc = hint_hosts(c, &t, diff, &c->diff, &c->diff_store);
	lc__store_read_end(&t);
	LC_TRY(rc);
	LC_TRY(lc__flavor_spec_encode(c->flavor, &c->flavor_blob, &c->flavor_len));
	{
		lc__val fv = { c->flavor_blob, (uint32_t)c->flavor_len, 1, 0 };

		LC_TRY(lc__flavor_spec_parse(&c->fspec, &fv));
	}
	c->disk = lc__flavor_spec_disk(&c->fspec);
	/* the image, through the image service (no compute outcome changes an image) */
	lc__store_stale_reads(1);
	rc = lc__cimage_get(s, o->image_id, &c->image);
	lc__store_stale_reads(0);
	if (rc == LC_ENOTFOUND || rc == LC_EINVALID)
		return lc__error_set(LC_EINVALID, "image %.64s not found", o->image_id);
	LC_TRY(rc);
	if (strcmp(c->image.status, "active") != 0)
		return lc__error_set(LC_EINVALID, "image %s is not active (status %s)", c->image.id, c->image.status);
	if (c->fspec.ram < c->image.min_ram)
		return lc__error_set(LC_EINVALID, "flavor's memory is too small for requested image: %lld MiB < "
				     "min_ram %lld MiB", (long long)c->fspec.ram, (long long)c->image.min_ram);
	if (c->fspec.disk > 0) {
		int64_t vs = c->image.virtual_size > 0 ? c->image.virtual_size : c->image.size;

		if (c->fspec.disk < c->image.min_disk)
			return lc__error_set(LC_EINVALID, "flavor's disk is too small for requested image: %lld GiB < "
					     "min_disk %lld GiB", (long long)c->fspec.disk, (long long)c->image.min_disk);
		if (vs > 0 && vs > c->fspec.disk * (INT64_C(1) << 30))
			return lc__error_set(LC_EINVALID, "flavor's disk is too small for requested image: the image is "
					     "%lld bytes", (long long)vs);
	}
	/* metadata blob */
	{
		lc__kv kv;

		kv.n = 0;
		for (size_t i = 0; o->metadata && o->metadata[i]; i += 2)
			LC_TRY(lc__kv_set(&kv, o->metadata[i], o->metadata[i + 1], LC_SERVER_METADATA_ITEMS_MAX));
		LC_TRY(lc__kv_encode(&kv, &c->meta_blob, &c->meta_len));
	}
	c->srv = calloc(c->max, sizeof(*c->srv));
	c->ports = calloc(c->max, sizeof(*c->ports));
	c->deltas = calloc(c->max, sizeof(*c->deltas));
	if (c->srv == NULL || c->ports == NULL || c->deltas == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	for (unsigned int i = 0; i < c->max; i++) {
		lc__id_new_text(c->srv[i].id);
		lc__request_id(c->srv[i].request);
		if (c->max > 1)
			snprintf(c->srv[i].name, sizeof(c->srv[i].name), "%s-%u", o->name, i + 1);
		else
			snprintf(c->srv[i].name, sizeof(c->srv[i].name), "%s", o->name);
	}
	/* the scheduler's request */
	c->rq.vcpus = c->fspec.vcpus;
	c->rq.ram = c->fspec.ram;
	c->rq.disk = c->disk;
	c->rq.count = c->max;
	c->rq.az = c->az;
	c->rq.force_host = c->force_host;
	c->rq.extra_specs = &c->fspec.extra;
	c->rq.hv_type = c->image.hv_type;
	c->rq.arch = c->image.arch;
	c->rq.group_policy = c->group_id[0] ? c->group_policy : NULL;
	c->rq.group_hosts = &c->ghosts;
	c->rq.same_hosts = &c->same;
	c->rq.different_hosts = &c->diff;
	return 0;
}

/* How many servers (min..max) the project's quota allows: LC_EQUOTA naming the quota if not min. */
static int fit_quota(lc__txn *t, struct create *c, unsigned int *n)
{
	static const int kinds[3] = { LC_QUOTA_INSTANCES, LC_QUOTA_CORES, LC_QUOTA_RAM_MIB };
	int64_t per[3] = { 1, c->fspec.vcpus, c->fspec.ram };
	int64_t allowed = c->max;

	for (int k = 0; k < 3; k++) {
		int64_t limit, used;

		LC_TRY(lc__quota_limit(t, c->project, kinds[k], &limit));
		LC_TRY(lc__quota_usage(t, c->project, kinds[k], &used));
		if (limit >= 0 && per[k] > 0) {
			int64_t room = limit > used ? (limit - used) / per[k] : 0;

			if (room < allowed)
				allowed = room;
		}
	}
	*n = allowed < (int64_t)c->min ? c->min : (unsigned int)allowed;
	for (int k = 0; k < 3; k++)
		LC_TRY(lc__quota_charge(t, c->project, kinds[k], (int64_t)*n * per[k]));
	return 0;
}

static int insert_server(lc__txn *t, struct create *c, struct placed *p, const lc__srv_ports *ports, int error)
{
	lc__draft d;
	int64_t now = lc__now_us();

	memset(&d, 0, sizeof(d));
	d.sh = &lc__server_shape;
	lc__val_str(&d.v[SRV_ID], p->id);
	lc__val_str(&d.v[SRV_NAME], p->name);
	lc__val_str(&d.v[SRV_PROJECT], c->project);
	lc__val_str(&d.v[SRV_USER], c->s->user_id);
	lc__val_str(&d.v[SRV_VM_STATE], error ? VM_ERROR : VM_BUILDING);
	if (!error)
		lc__val_str(&d.v[SRV_TASK_STATE], "spawning");
	lc__val_int(&d.v[SRV_POWER_STATE], LC_POWER_NOSTATE);
	lc__val_str(&d.v[SRV_FLAVOR_ID], c->fspec.id);
	lc__val_blob(&d.v[SRV_FLAVOR], c->flavor_blob, c->flavor_len);
	lc__val_str(&d.v[SRV_IMAGE], c->image.id);
	if (c->key_data) {
		lc__val_str(&d.v[SRV_KEY_NAME], c->key_name);
		lc__val_str(&d.v[SRV_KEY_DATA], c->key_data);
	}
	if (!error) {
		lc__server_set_host(d.v, p->host, p->host_id);
		lc__val_str(&d.v[SRV_AZ], p->az);
	} else if (c->az) {
		lc__val_str(&d.v[SRV_AZ], c->az);
	}
	if (c->meta_len)
		lc__val_blob(&d.v[SRV_METADATA], c->meta_blob, c->meta_len);
	if (c->o->user_data)
		lc__val_str(&d.v[SRV_USER_DATA], c->o->user_data);
	lc__val_int(&d.v[SRV_CREATED], now);
	lc__val_int(&d.v[SRV_UPDATED], now);
	if (error) {
		lc__val_int(&d.v[SRV_FAULT_CODE], 500);
		lc__val_str(&d.v[SRV_FAULT_MESSAGE], c->fault);
		lc__val_int(&d.v[SRV_FAULT_TIME], now);
	}
	if (c->group_id[0])
		lc__val_str(&d.v[SRV_GROUP], c->group_id);
	lc__val_bool(&d.v[SRV_HELD], !error);
	lc__val_bool(&d.v[SRV_CONFIG_DRIVE], c->o->config_drive == 1);
	if (ports && ports->made_len)
		lc__val_blob(&d.v[SRV_PORTS], ports->made_blob, ports->made_len);
	if (ports && ports->all_len)
		lc__val_blob(&d.v[SRV_NICS], ports->all_blob, ports->all_len);
	LC_TRY(lc__rec_insert(t, &lc__server_shape, d.v));
	{
		lc__rec *r;
		int rc = lc__draft_snapshot(&d, &r);

		if (rc == 0)
			rc = lc__iaction_start(t, c->s, r, "create", p->request);
		if (rc == 0 && error)
			rc = lc__iaction_finish(t, p->id, p->request, 0, c->fault);
		lc__rec_free(r);
		return rc;
	}
}

static int add_group_members(lc__txn *t, struct create *c, unsigned int n)
{
	lc__rec *g;
	lc__strlist l;
	lc__val v[LC__MAX_FIELDS];
	char *buf = NULL;
	size_t len;
	int rc;

	if (!c->group_id[0])
		return 0;
	rc = lc__rec_load(t, &lc__server_group_shape, c->group_id, &g);
	if (rc == LC_ENOTFOUND)
		return lc__error_set(LC_EINVALID, "server group %s not found", c->group_id);
	LC_TRY(rc);
	rc = lc__quota_charge(t, c->group_id, LC_QUOTA_SERVER_GROUP_MEMBERS, n);
	if (rc == 0)
		rc = lc__strlist_parse(&l, &g->v[SG_MEMBERS]);
	if (rc == 0) {
		for (unsigned int i = 0; i < n && rc == 0; i++)
			rc = lc__strlist_add(&l, c->srv[i].id);
		if (rc == 0)
			rc = lc__strlist_encode(&l, &buf, &len);
		lc__strlist_free(&l);
	}
	if (rc == 0) {
		lc__rec_values(g, v);
		lc__val_blob(&v[SG_MEMBERS], buf, len);
		rc = lc__rec_update(t, g, v);
	}
	free(buf);
	lc__rec_free(g);
	return rc;
}

/* Transaction 1: quota, placement and allocation, BUILD records. */
static int create_tx(lc__txn *t, void *p)
{
	struct create *c = p;
	lc__strlist gh;
	char *gstore = NULL;
	unsigned int n;
	int rc;

	c->n = 0;
	c->ndeltas = 0;
	LC_TRY(fit_quota(t, c, &n));
	LC_TRY(lc__nics_auto_tx(t, c->o, c->project, c->auto_net));
	rc = lc__group_hosts_txn(t, c->group_id, &gh, &gstore);
	for (unsigned int i = 0; rc == 0 && i < n; i++) {
		const char *best = NULL;
		double bw = 0;

		for (size_t k = 0; k < c->res.ncand; k++) {
			lc__rec *h = NULL;
			double w;

			rc = lc__sched_check_host(t, c->cs, &c->rq, &gh, c->res.cand[k], &h, &w);
			if (rc == LC_EBUSY) {
				rc = 0;
				continue;
			}
			if (rc < 0)
				break;
			if (best == NULL || w > bw) {
				best = c->res.cand[k];
				bw = w;
				snprintf(c->srv[i].host, sizeof(c->srv[i].host), "%s", lc__rec_str(h, HST_NAME));
				snprintf(c->srv[i].az, sizeof(c->srv[i].az), "%s", lc__rec_str(h, HST_AZ));
			}
			lc__rec_free(h);
		}
		if (rc < 0)
			break;
		if (best == NULL) {
			if (i < c->min) {
				rc = LC_EBUSY; /* the cache was stale: schedule again */
				break;
			}
			/* fewer than max fit: keep what was placed, give the rest of the quota back */
			LC_TRY(lc__quota_charge(t, c->project, LC_QUOTA_INSTANCES, -(int64_t)(n - i)));
			LC_TRY(lc__quota_charge(t, c->project, LC_QUOTA_CORES, -(int64_t)(n - i) * c->fspec.vcpus));
			LC_TRY(lc__quota_charge(t, c->project, LC_QUOTA_RAM_MIB, -(int64_t)(n - i) * c->fspec.ram));
			n = i;
			break;
		}
		rc = lc__host_charge(t, c->srv[i].host, 1, c->fspec.vcpus, c->fspec.ram, c->disk,
				     &c->deltas[c->ndeltas++]);
		if (rc == 0 && !lc__strlist_has(&gh, c->srv[i].host))
			rc = lc__strlist_add(&gh, c->srv[i].host);
		if (rc == 0)
			rc = lc__nics_attach_tx(t, c->o, c->auto_net, c->project, c->srv[i].id, c->srv[i].host,
						&c->ports[i]);
		if (rc == 0)
			rc = insert_server(t, c, &c->srv[i], &c->ports[i], 0);
	}
	/* the host names in gh point into c->srv: free only the list */
	lc__strlist_free(&gh);
	free(gstore);
	if (rc == 0)
		rc = add_group_members(t, c, n);
	if (rc == 0)
		c->n = n;
	return rc;
}

/* No host for the request: record the servers in ERROR with the reason, holding nothing. */
static int create_error_tx(lc__txn *t, void *p)
{
	struct create *c = p;
	unsigned int n;

	/* as many servers as the quota would allow, as Nova records them, then let them go */
	LC_TRY(fit_quota(t, c, &n));
	LC_TRY(lc__quota_charge(t, c->project, LC_QUOTA_INSTANCES, -(int64_t)n));
	LC_TRY(lc__quota_charge(t, c->project, LC_QUOTA_CORES, -(int64_t)n * c->fspec.vcpus));
	LC_TRY(lc__quota_charge(t, c->project, LC_QUOTA_RAM_MIB, -(int64_t)n * c->fspec.ram));
	for (unsigned int i = 0; i < n; i++)
		LC_TRY(insert_server(t, c, &c->srv[i], NULL, 1));
	LC_TRY(add_group_members(t, c, n));
	c->n = n;
	return 0;
}

/* A spawned server's settled values: what transaction 2 writes, and what the create returns. */
static void set_active(lc__val *v, int64_t now)
{
	v[SRV_TASK_STATE].set = 0;
	lc__val_int(&v[SRV_UPDATED], now);
	lc__val_str(&v[SRV_VM_STATE], VM_ACTIVE);
	lc__val_int(&v[SRV_POWER_STATE], LC_POWER_RUNNING);
	lc__val_int(&v[SRV_LAUNCHED], now);
}

/* Transaction 2 of a server that spawned, with its action log entry; a server deleted meanwhile is skipped. */
static int settle_active(lc__txn *t, const char *id, const char *request, int64_t now)
{
	lc__rec *r;
	lc__val v[LC__MAX_FIELDS];
	int rc = lc__rec_load(t, &lc__server_shape, id, &r);

	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	lc__rec_values(r, v);
	set_active(v, now);
	rc = lc__rec_update(t, r, v);
	if (rc == 0)
		rc = lc__iaction_finish(t, id, request, 1, NULL);
	lc__rec_free(r);
	return rc;
}

/* The outcome of a create whose servers all spawned, written as a deferred write. */
struct settled {
	int64_t now;
	unsigned int n;
	struct {
		char id[LC__ID_TEXT];
		char request[48];
	} srv[];
};

static int settled_tx(lc__txn *t, void *p)
{
	struct settled *c = p;

	for (unsigned int i = 0; i < c->n; i++)
		LC_TRY(settle_active(t, c->srv[i].id, c->srv[i].request, c->now));
	return 0;
}

static void settled_done(void *p, int rc, const char *message)
{
	(void)rc;
	(void)message; /* a lost outcome leaves the servers spawning: reconciliation settles them at open */
	free(p);
}

/* Defer the outcome of a create whose servers all spawned. */
static int defer_settled(struct create *c, int64_t now)
{
	struct settled *d = malloc(sizeof(*d) + c->n * sizeof(d->srv[0]));

	if (d == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	d->now = now;
	d->n = c->n;
	for (unsigned int i = 0; i < c->n; i++) {
		memcpy(d->srv[i].id, c->srv[i].id, sizeof(d->srv[i].id));
		memcpy(d->srv[i].request, c->srv[i].request, sizeof(d->srv[i].request));
	}
	return lc__store_write_deferred(c->cs->cloud->store, settled_tx, d, settled_done);
}

/* Transaction 2: the outcome of each spawn. */
static int finish_tx(lc__txn *t, void *p)
{
	struct create *c = p;

	c->ndeltas = 0;
	lc__nl_reset(&c->kept);
	for (unsigned int i = 0; i < c->n; i++) {
		struct placed *pl = &c->srv[i];
		lc__rec *r;
		lc__val v[LC__MAX_FIELDS];
		int64_t now = lc__now_us();
		int rc = lc__rec_load(t, &lc__server_shape, pl->id, &r);

		if (rc == LC_ENOTFOUND)
			continue;
		LC_TRY(rc);
		lc__rec_values(r, v);
		v[SRV_TASK_STATE].set = 0;
		lc__val_int(&v[SRV_UPDATED], now);
		if (pl->ok) {
			set_active(v, now);
		} else {
			lc__val_str(&v[SRV_VM_STATE], VM_ERROR);
			lc__val_int(&v[SRV_POWER_STATE], LC_POWER_NOSTATE);
			lc__val_int(&v[SRV_FAULT_CODE], 500);
			lc__val_str(&v[SRV_FAULT_MESSAGE], pl->fault);
			lc__val_int(&v[SRV_FAULT_TIME], now);
			if (lc__rec_int(r, SRV_HELD)) {
				rc = lc__server_release(t, r, &c->deltas[c->ndeltas++]);
				lc__val_bool(&v[SRV_HELD], 0);
				lc__server_set_host(v, NULL, NULL);
			}
			/* as Nova deallocates the network of a build that failed */
			if (rc == 0)
				rc = lc__server_ports_release_tx(t, r, &c->kept);
			v[SRV_PORTS].set = 0;
			v[SRV_NICS].set = 0;
		}
		if (rc == 0)
			rc = lc__rec_update(t, r, v);
		if (rc == 0)
			rc = lc__iaction_finish(t, pl->id, pl->request, pl->ok, pl->ok ? NULL : pl->fault);
		lc__rec_free(r);
		LC_TRY(rc);
	}
	return 0;
}

void lc__apply_deltas(lc__compute *cs, const lc__host_delta *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d[i].id[0])
			lc__hcache_usage(cs, d[i].id, d[i].gen, d[i].vcpus_used, d[i].mem_used, d[i].disk_used,
					 d[i].running);
}

int lc__server_release(lc__txn *t, const lc__rec *r, lc__host_delta *d)
{
	const char *project = lc__rec_str(r, SRV_PROJECT);
	lc__flavor_spec f;
	const char *host = lc__rec_str(r, SRV_HOST);

	if (d)
		memset(d, 0, sizeof(*d));
	if (!lc__rec_int(r, SRV_HELD))
		return 0;
	LC_TRY(lc__flavor_spec_parse(&f, &r->v[SRV_FLAVOR]));
	LC_TRY(lc__quota_charge(t, project, LC_QUOTA_INSTANCES, -1));
	LC_TRY(lc__quota_charge(t, project, LC_QUOTA_CORES, -f.vcpus));
	LC_TRY(lc__quota_charge(t, project, LC_QUOTA_RAM_MIB, -f.ram));
	if (host) {
		int rc = lc__host_charge(t, host, -1, f.vcpus, f.ram, lc__flavor_spec_disk(&f), d);

		if (rc != LC_ENOTFOUND)
			LC_TRY(rc);
	}
	return 0;
}

/* Spawn one placed server through its host's driver. */
static void spawn_one(struct create *c, struct placed *pl)
{
	lc__inst in;
	lc__rec *r = NULL;
	lc__txn t;
	int rc;

	rc = lc__store_read(c->cs->cloud->store, &t);
	if (rc == 0) {
		rc = lc__rec_load(&t, &lc__server_shape, pl->id, &r);
		lc__store_read_end(&t);
	}
	if (rc == 0)
		rc = lc__inst_init(&in, c->cs, c->s, r, pl->host, NULL, LC__INST_IMAGE);
	if (rc == 0) {
		lc_compute_driver *d = NULL;

		rc = lc__compute_driver(c->cs, in.driver, &d);
		if (rc == 0 && d->spawn == NULL)
			rc = lc__error_set(LC_ENOTSUPPORTED, "compute driver %s cannot spawn", in.driver);
		if (rc == 0 && lc__rec_int(r, SRV_CONFIG_DRIVE))
			rc = lc__configdrive_write(c->cs->cloud->store, r, in.cfg);
		if (rc == 0) {
			in.ci.config_drive_dir = lc__rec_int(r, SRV_CONFIG_DRIVE) ? in.cfg : NULL;
			lc__cdrv_enter(c->cs, d);
			lc__error_clear();
			rc = d->spawn(d, &in.ci);
			lc__cdrv_leave(c->cs, d);
			if (rc >= 0)
				rc = 0;
		}
		if (rc < 0)
			lc__rmtree(in.dir);
		lc__inst_fini(&in);
	}
	lc__rec_free(r);
	pl->ok = rc == 0;
	if (rc < 0)
		snprintf(pl->fault, sizeof(pl->fault), "Build of instance %s aborted: %s (%s)", pl->id,
			 lc_error_last()->message[0] ? lc_error_last()->message : lc_strerror(rc), lc_strerror(rc));
}

/*
 * The server as the create leaves it. settled_at: its outcome is deferred (not
 * committed yet): read the intent without waiting for it and show the
 * outcome's values.
 */
static int snapshot_of(lc_server **out, lc__store *st, const char *id, const char *admin_pass, int64_t settled_at)
{
	lc__rec *r = NULL;
	lc__txn t;
	int rc;

	if (settled_at)
		lc__store_stale_reads(1);
	rc = lc__store_read(st, &t);
	if (settled_at)
		lc__store_stale_reads(0);
	LC_TRY(rc);
	rc = lc__rec_load(&t, &lc__server_shape, id, &r);
	lc__store_read_end(&t);
	LC_TRY(rc);
	if (admin_pass || settled_at) {
		lc__draft d;
		lc__rec *r2 = NULL;

		lc__draft_from(&d, r);
		if (settled_at)
			set_active(d.v, settled_at);
		if (admin_pass)
			lc__val_str(&d.v[SRV_ADMIN_PASS], admin_pass);
		rc = lc__draft_snapshot(&d, &r2);
		lc__rec_free(r);
		LC_TRY(rc);
		r = r2;
	}
	return lc__server_wrap(out, r);
}

LC_EXTERN int lc_server_create(lc_server **out, lc_session *s, const lc_server_opts *o)
{
	struct create c;
	unsigned int i;
	int rc, flushed = 0;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(o);
	LC_CHECK_VERSION(o, LC_SERVER_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.o = o;
	c.cs = lc__compute_of(s->cloud);
	rc = validate(&c);
	/* schedule over the cache, allocate in the transaction; again if the cache was behind */
	for (int attempt = 0; rc == 0; attempt++) {
		rc = lc__schedule(c.cs, &c.rq, &c.res);
		if (rc < 0)
			break;
		if (c.res.ncand == 0) {
			if (!flushed && lc__store_deferred(lc__session_store(s))) {
				/* deferred outcomes (a delete's) may free room: commit them, the cache follows */
				flushed = 1;
				rc = lc__store_flush(lc__session_store(s));
				continue;
			}
			c.no_host = 1;
			break;
		}
		rc = lc__store_write(lc__session_store(s), create_tx, &c);
		if (rc != LC_EBUSY)
			break;
		if (attempt == 3) {
			c.no_host = 1;
			rc = 0;
			break;
		}
		rc = 0;
	}
	if (rc == 0 && c.no_host) {
		lc__sched_explain(&c.res, &c.rq, c.fault, sizeof(c.fault));
		if (c.res.ncand > 0)
			snprintf(c.fault + strlen(c.fault), sizeof(c.fault) - strlen(c.fault),
				 " The hosts that passed were filled by concurrent requests.");
		rc = lc__store_write(lc__session_store(s), create_error_tx, &c);
		if (rc == 0 && out)
			rc = snapshot_of(out, lc__session_store(s), c.srv[0].id, NULL, 0);
		create_fini(&c);
		return rc;
	}
	if (rc < 0) {
		create_fini(&c);
		return rc;
	}
	lc__apply_deltas(c.cs, c.deltas, c.ndeltas);
	for (i = 0; i < c.n; i++) {
		struct placed *pl = &c.srv[i];

		/* the network driver learns of the ports first: a server is spawned on a wired network */
		if (lc__nics_notify(s, &c.ports[i]) < 0) {
			snprintf(pl->fault, sizeof(pl->fault), "Build of instance %s aborted: %s (%s)", pl->id,
				 lc_error_last()->message, lc_strerror(lc_error_last()->code));
			pl->ok = 0;
		} else {
			spawn_one(&c, pl);
		}
		if (!pl->ok) {
			lc__val made = { c.ports[i].made_blob, (uint32_t)c.ports[i].made_len, 1, 0 };

			lc__server_ports_gone(s, &made);
		}
	}
	/*
	 * The outcome need not wait: reconciliation re-derives a lost one from the
	 * driver. All spawned: it rides on the next write (or read) of the cloud;
	 * else it is written now (lazily), with the resources it lets go.
	 */
	for (i = 0; i < c.n && c.srv[i].ok; i++)
		;
	if (i == c.n) {
		int64_t now = lc__now_us();

		rc = defer_settled(&c, now);
		if (rc == 0 && out)
			rc = snapshot_of(out, lc__session_store(s), c.srv[0].id, c.admin_pass, now);
		create_fini(&c);
		return rc;
	}
	rc = lc__store_write_lazy(lc__session_store(s), finish_tx, &c);
	if (rc == 0)
		lc__apply_deltas(c.cs, c.deltas, c.ndeltas);
	lc__server_ports_kept(rc == 0 ? s : NULL, &c.kept);
	if (rc == 0 && out)
		rc = snapshot_of(out, lc__session_store(s), c.srv[0].id, c.admin_pass, 0);
	create_fini(&c);
	return rc;
}

/* ---- rename and metadata ---- */

struct change {
	lc_session *s;
	const char *id;
	const char *op;
	const char *name;
	const char *const *md;
	unsigned int flags;
	const char *del;
	char *buf;
	lc__rec *out;
};

static int change_tx(lc__txn *t, void *p)
{
	struct change *c = p;
	lc__rec *r;
	lc__draft d;
	int rc = 0;

	lc__rec_free(c->out);
	c->out = NULL;
	free(c->buf);
	c->buf = NULL;
	LC_TRY(lc__server_load(t, c->s, c->id, c->op, &r));
	lc__draft_from(&d, r);
	if (c->name)
		lc__val_str(&d.v[SRV_NAME], c->name);
	if (c->md || c->del) {
		lc__kv kv;
		size_t len;

		rc = lc__kv_parse(&kv, &r->v[SRV_METADATA]);
		if (rc == 0 && (c->flags & LC_SERVER_METADATA_REPLACE))
			kv.n = 0;
		for (size_t i = 0; rc == 0 && c->md && c->md[i]; i += 2)
			rc = lc__kv_set(&kv, c->md[i], c->md[i + 1], LC_SERVER_METADATA_ITEMS_MAX);
		if (rc == LC_EINVALID)
			rc = lc__error_set(LC_EQUOTA, "quota exceeded for metadata_items: limit %d",
					   LC_SERVER_METADATA_ITEMS_MAX);
		if (rc == 0 && c->del && !lc__kv_del(&kv, c->del))
			rc = lc__error_set(LC_ENOTFOUND, "server has no metadata key %.255s", c->del);
		if (rc == 0)
			rc = lc__kv_encode(&kv, &c->buf, &len);
		if (rc == 0)
			lc__val_blob(&d.v[SRV_METADATA], c->buf, len);
	}
	lc__val_int(&d.v[SRV_UPDATED], lc__now_us());
	if (rc == 0)
		rc = lc__rec_update(t, r, d.v);
	if (rc == 0)
		rc = lc__draft_snapshot(&d, &c->out);
	lc__rec_free(r);
	return rc;
}

static int change(lc_server **out, lc_session *s, const char *id, struct change *c)
{
	char key[LC__ID_TEXT];
	int rc;

	if (out)
		*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	c->s = s;
	c->id = key;
	rc = lc__store_write(lc__session_store(s), change_tx, c);
	free(c->buf);
	if (rc == 0 && out)
		return lc__server_wrap(out, c->out);
	lc__rec_free(c->out);
	return rc;
}

LC_EXTERN int lc_server_update(lc_server **out, lc_session *s, const char *id, const lc_server_opts *o)
{
	struct change c;

	lc__error_clear();
	LC_CHECK_NOTNULL(o);
	LC_CHECK_VERSION(o, LC_SERVER_OPTS_VERSION);
	if (o->flavor_id || o->image_id || o->key_name || o->user_data || o->metadata || o->availability_zone ||
	    o->host || o->server_group_id || o->min_count || o->max_count || o->config_drive != LC_UNSET ||
	    o->networks || o->admin_pass || o->scheduler_hints || o->nics || o->nics_count)
		return lc__error_set(LC_EINVALID, "only the name of a server can change here");
	if (o->name)
		LC_TRY(lc__text_check("name", o->name, 1, LC_SERVER_NAME_MAX));
	memset(&c, 0, sizeof(c));
	c.op = "compute:update_server";
	c.name = o->name;
	return change(out, s, id, &c);
}

LC_EXTERN int lc_server_set_metadata(lc_server **out, lc_session *s, const char *id, const char *const *metadata,
				     unsigned int flags)
{
	struct change c;

	lc__error_clear();
	LC_CHECK_NOTNULL(metadata);
	LC_CHECK_FLAGS(flags, LC_SERVER_METADATA_REPLACE);
	LC_TRY(lc__metadata_check(metadata, NULL));
	memset(&c, 0, sizeof(c));
	c.op = "compute:update_server_metadata";
	c.md = metadata;
	c.flags = flags;
	return change(out, s, id, &c);
}

LC_EXTERN int lc_server_delete_metadata(lc_session *s, const char *id, const char *key)
{
	struct change c;

	lc__error_clear();
	LC_CHECK_NOTNULL(key);
	memset(&c, 0, sizeof(c));
	c.op = "compute:update_server_metadata";
	c.del = key;
	return change(NULL, s, id, &c);
}

/* ---- delete ---- */

struct del {
	lc_session *s;
	const char *id;
	char request[48];
	int ok;
	char fault[1024];
	char host[LC_HOST_NAME_MAX + 1], prev_host[LC_HOST_NAME_MAX + 1];
	lc__host_delta deltas[2];
	size_t ndeltas;
	int placed;
	lc__nl kept; /* ports the user gave, unbound by the delete */
};

static int delete_begin_tx(lc__txn *t, void *p)
{
	struct del *c = p;
	lc__rec *r;
	lc__val v[LC__MAX_FIELDS];
	const char *task, *vm;
	int rc;

	LC_TRY(lc__server_load(t, c->s, c->id, "compute:delete_server", &r));
	vm = lc__rec_str(r, SRV_VM_STATE);
	task = lc__rec_str(r, SRV_TASK_STATE);
	if (!strcmp(vm, VM_BUILDING) || task) {
		rc = lc__error_set(LC_ECONFLICT, "cannot delete server %s while it is %s; retry when it is done",
				   c->id, task ? task : vm);
		lc__rec_free(r);
		return rc;
	}
	snprintf(c->host, sizeof(c->host), "%s", lc__rec_str(r, SRV_HOST) ? lc__rec_str(r, SRV_HOST) : "");
	snprintf(c->prev_host, sizeof(c->prev_host), "%s",
		 lc__rec_str(r, SRV_PREV_HOST) ? lc__rec_str(r, SRV_PREV_HOST) : "");
	lc__rec_values(r, v);
	lc__val_str(&v[SRV_TASK_STATE], "deleting");
	lc__val_int(&v[SRV_UPDATED], lc__now_us());
	rc = lc__rec_update(t, r, v);
	if (rc == 0)
		rc = lc__iaction_start(t, c->s, r, "delete", c->request);
	lc__rec_free(r);
	return rc;
}

/* Remove a server record with everything it holds (in t). Shared with reconciliation. */
int lc__server_remove(lc__txn *t, const lc__rec *r, lc__host_delta deltas[2], size_t *nd, lc__nl *kept)
{
	const char *group = lc__rec_str(r, SRV_GROUP);

	*nd = 0;
	LC_TRY(lc__server_ports_release_tx(t, r, kept));
	if (lc__rec_int(r, SRV_HELD)) {
		LC_TRY(lc__server_release(t, r, &deltas[(*nd)++]));
		if (lc__rec_set(r, SRV_PREV_FLAVOR) && lc__rec_str(r, SRV_PREV_HOST)) {
			lc__flavor_spec f;
			int rc;

			LC_TRY(lc__flavor_spec_parse(&f, &r->v[SRV_PREV_FLAVOR]));
			rc = lc__host_charge(t, lc__rec_str(r, SRV_PREV_HOST), -1, f.vcpus, f.ram,
					     lc__flavor_spec_disk(&f), &deltas[(*nd)++]);
			if (rc != LC_ENOTFOUND)
				LC_TRY(rc);
			/* the larger of the two sizes was charged during the resize */
			LC_TRY(lc__resize_quota_settle(t, r, 1));
		}
	}
	if (group)
		LC_TRY(lc__group_remove_member(t, group, lc__rec_str(r, SRV_ID)));
	LC_TRY(lc__iaction_purge(t, lc__rec_str(r, SRV_ID)));
	return lc__rec_delete(t, r);
}

static int delete_end_tx(lc__txn *t, void *p)
{
	struct del *c = p;
	lc__rec *r;
	lc__val v[LC__MAX_FIELDS];
	int rc = lc__rec_load(t, &lc__server_shape, c->id, &r);

	c->ndeltas = 0;
	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	if (c->ok) {
		rc = lc__server_remove(t, r, c->deltas, &c->ndeltas, &c->kept);
	} else {
		lc__rec_values(r, v);
		v[SRV_TASK_STATE].set = 0;
		lc__val_str(&v[SRV_VM_STATE], VM_ERROR);
		lc__val_int(&v[SRV_FAULT_CODE], 500);
		lc__val_str(&v[SRV_FAULT_MESSAGE], c->fault);
		lc__val_int(&v[SRV_FAULT_TIME], lc__now_us());
		lc__val_int(&v[SRV_UPDATED], lc__now_us());
		rc = lc__rec_update(t, r, v);
		if (rc == 0)
			rc = lc__iaction_finish(t, c->id, c->request, 0, c->fault);
	}
	lc__rec_free(r);
	return rc;
}

/* The removal of a deleted server, written as a deferred write. */
struct removed {
	struct del d; /* d.id points at id; d.s is NULL */
	char id[LC__ID_TEXT];
	lc__compute *cs;
};

static void removed_done(void *p, int rc, const char *message)
{
	struct removed *x = p;

	(void)message; /* a lost removal leaves "deleting": reconciliation finishes it at open */
	if (rc == 0)
		lc__apply_deltas(x->cs, x->d.deltas, x->d.ndeltas);
	lc__nl_free(&x->d.kept); /* empty: deferred only when the delete unbinds no port */
	free(x);
}

static int defer_removal(lc__compute *cs, const struct del *c)
{
	struct removed *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	snprintf(x->id, sizeof(x->id), "%s", c->id);
	x->d.id = x->id;
	snprintf(x->d.request, sizeof(x->d.request), "%s", c->request);
	x->d.ok = 1;
	x->cs = cs;
	return lc__store_write_deferred(cs->cloud->store, delete_end_tx, x, removed_done);
}

/* Destroy through the driver of `host` (ENOTFOUND from the driver is fine). */
int lc__destroy_on(lc__compute *cs, lc_session *s, const lc__rec *r, const char *host, const lc__val *flavor)
{
	lc__inst in;
	lc_compute_driver *d;
	int rc;

	LC_TRY(lc__inst_init(&in, cs, s, r, host, flavor, LC__INST_NO_DIR));
	rc = lc__compute_driver(cs, in.driver, &d);
	if (rc == 0 && d->destroy == NULL)
		rc = lc__error_set(LC_ENOTSUPPORTED, "compute driver %s cannot destroy", in.driver);
	if (rc == 0) {
		lc__cdrv_enter(cs, d);
		lc__error_clear();
		rc = d->destroy(d, &in.ci);
		lc__cdrv_leave(cs, d);
		if (rc == LC_ENOTFOUND || rc > 0)
			rc = 0;
	}
	lc__inst_fini(&in);
	return rc;
}

LC_EXTERN int lc_server_delete(lc_session *s, const char *id, unsigned int flags)
{
	char key[LC__ID_TEXT];
	struct del c;
	lc__compute *cs;
	lc__rec *r = NULL;
	int rc, only_made = 0;

	lc__error_clear();
	LC_CHECK_FLAGS(flags, 0);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.id = key;
	lc__request_id(c.request);
	cs = lc__compute_of(s->cloud);
	LC_TRY(lc__store_write(lc__session_store(s), delete_begin_tx, &c));
	/* the driver, outside any transaction */
	{
		lc__txn t;

		rc = lc__store_read(lc__session_store(s), &t);
		if (rc == 0) {
			rc = lc__rec_load(&t, &lc__server_shape, key, &r);
			if (rc == 0)
				only_made = lc__server_ports_all_made(&t, r) == 1;
			lc__store_read_end(&t);
		}
	}
	if (rc == 0 && (c.host[0] || c.prev_host[0])) {
		if (c.prev_host[0] && strcmp(c.prev_host, c.host) != 0)
			rc = lc__destroy_on(cs, s, r, c.prev_host, &r->v[SRV_PREV_FLAVOR]);
		if (rc == 0 && c.host[0])
			rc = lc__destroy_on(cs, s, r, c.host, NULL);
	}
	c.ok = rc == 0;
	if (rc < 0)
		snprintf(c.fault, sizeof(c.fault), "Delete of instance %s failed: %s", key, lc_error_last()->message);
	if (c.ok && r)
		lc__server_ports_gone(s, &r->v[SRV_PORTS]);
	lc__rec_free(r);
	if (c.ok && only_made) {
		/*
		 * The removal rides on the next write (or read) of the cloud: a lost
		 * one leaves "deleting", which reconciliation finishes. It unbinds no
		 * port, so nothing is left to tell the network driver afterwards.
		 */
		char dir[4200];

		snprintf(dir, sizeof(dir), "%s/%s", cs->instances_dir, key);
		lc__rmtree(dir);
		return defer_removal(cs, &c);
	}
	{
		/* lazily durable: a lost removal leaves "deleting", which reconciliation finishes */
		int rc2 = lc__store_write_lazy(lc__session_store(s), delete_end_tx, &c);

		if (rc2 == 0) {
			char dir[4200];

			lc__apply_deltas(cs, c.deltas, c.ndeltas);
			if (c.ok) {
				snprintf(dir, sizeof(dir), "%s/%s", cs->instances_dir, key);
				lc__rmtree(dir);
			}
		}
		lc__server_ports_kept(rc2 == 0 ? s : NULL, &c.kept);
		if (rc == 0)
			rc = rc2;
	}
	if (!c.ok)
		return lc__error_set(LC_EBACKEND, "%s", c.fault);
	return rc;
}

/* ---- listing ---- */

struct lc_server_iter {
	lc__iter it;
	regex_t name_re;
	int has_name;
	int empty;        /* the caller may read none of what the filters select */
	unsigned int n;   /* items handed out (the session is checked again every 64) */
	const char *status;
	char status_buf[32];
	int64_t changes_since;
};

static int list_visible(lc__txn *t, const lc_session *s, const lc__rec *r, void *p)
{
	const struct lc_server_iter *si = p;

	(void)t;
	(void)s; /* read access was decided once, for the project the iterator is bound to */
	if (si->changes_since && lc__rec_int(r, SRV_UPDATED) < si->changes_since)
		return 0;
	if (si->status && strcasecmp(si->status, lc__server_status(lc__rec_str(r, SRV_VM_STATE),
								  lc__rec_str(r, SRV_TASK_STATE))) != 0)
		return 0;
	if (si->has_name && regexec(&si->name_re, lc__rec_str(r, SRV_NAME), 0, NULL, 0) != 0)
		return 0;
	return 1;
}

/* ISO 8601 ("2026-01-02T03:04:05Z", "...05.123456Z", "...05+00:00", or a date) to microseconds. */
int lc__parse_time(const char *s, int64_t *out)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0, tzs = 0;
	long frac = 0;
	const char *p;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return lc__error_set(LC_EINVALID, "invalid time '%.40s' (ISO 8601 expected)", s);
	p = s + n;
	if (*p == 'T' || *p == ' ') {
		if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) != 3)
			return lc__error_set(LC_EINVALID, "invalid time '%.40s' (ISO 8601 expected)", s);
		p += 1 + n;
		if (*p == '.') {
			int digits = 0;

			for (p++; *p >= '0' && *p <= '9'; p++, digits++)
				if (digits < 6)
					frac = frac * 10 + (*p - '0');
			for (; digits < 6; digits++)
				frac *= 10;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int th, tm_;

			if (sscanf(p + 1, "%2d:%2d", &th, &tm_) != 2)
				return lc__error_set(LC_EINVALID, "invalid time zone in '%.40s'", s);
			tzs = (*p == '-' ? 1 : -1) * (th * 3600 + tm_ * 60);
			p += 6;
		}
	}
	if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return lc__error_set(LC_EINVALID, "invalid time '%.40s' (ISO 8601 expected)", s);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = ((int64_t)timegm(&tm) + tzs) * 1000000 + frac;
	return 0;
}

LC_EXTERN int lc_server_iter_new(lc_server_iter **out, lc_session *s, const lc_list_opts *opts)
{
	static const char *const custom[] = { "name", "status", "changes-since", "all_tenants", "project_id", "host",
					      NULL };
	const char *vals[6];
	const char **rest = NULL;
	lc_list_opts lo;
	lc_server_iter *si;
	int admin, all = 0, rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "compute:list_servers", NULL, NULL));
	admin = lc__policy_allows(s, "compute:list_servers:all_tenants", NULL, NULL);
	si = calloc(1, sizeof(*si));
	if (si == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	rc = lc__split_filters(opts, custom, &lo, &rest, vals);
	if (rc == 0 && vals[0]) {
		if (strlen(vals[0]) > LC_SERVER_NAME_MAX)
			rc = lc__error_set(LC_EINVALID, "name filter is too long");
		else if (regcomp(&si->name_re, vals[0], REG_EXTENDED | REG_NOSUB) == 0)
			si->has_name = 1;
		else
			rc = lc__error_set(LC_EINVALID, "name filter is not a valid regular expression");
	}
	if (rc == 0 && vals[1]) {
		snprintf(si->status_buf, sizeof(si->status_buf), "%s", vals[1]);
		si->status = si->status_buf;
	}
	if (rc == 0 && vals[2])
		rc = lc__parse_time(vals[2], &si->changes_since);
	if (rc == 0 && vals[3])
		all = strcmp(vals[3], "0") != 0 && strcasecmp(vals[3], "false") != 0;
	if (rc == 0 && (vals[4] || vals[5]) && !admin)
		rc = lc__error_set(LC_EFORBIDDEN, "filtering servers on %s needs admin",
				   vals[4] ? "project_id" : "host");
	if (rc == 0)
		rc = lc__iter_init(&si->it, s, &lc__server_shape, &lo, list_visible, si);
	if (rc == 0 && vals[5])
		rc = lc__iter_filter(&si->it, SRV_HOST, vals[5]);
	if (rc == 0 && vals[4]) {
		rc = lc__iter_filter(&si->it, SRV_PROJECT, vals[4]);
	} else if (rc == 0 && !(all && admin)) {
		rc = lc__iter_filter(&si->it, SRV_PROJECT, s->scope == LC_SCOPE_PROJECT ? s->project_id : "-");
		si->empty = s->scope != LC_SCOPE_PROJECT ||
			    !lc__policy_allows(s, "compute:get_server", s->project_id, NULL);
	}
	free(rest);
	if (rc < 0) {
		lc_server_iter_free(si);
		return rc;
	}
	*out = si;
	return 0;
}

LC_EXTERN int lc_server_iter_next(lc_server **out, lc_server_iter *it)
{
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_NOTNULL(it);
	if (it->empty)
		return LC_ITEROVER;
	if (it->n++ % 64 == 0)
		LC_TRY(lc__session_check(it->it.s));
	rc = lc__iter_next(&it->it, &r);
	return rc < 0 ? rc : lc__server_wrap(out, r);
}

LC_EXTERN void lc_server_iter_free(lc_server_iter *it)
{
	if (it == NULL)
		return;
	lc__iter_fini(&it->it);
	if (it->has_name)
		regfree(&it->name_re);
	free(it);
}

/* ---- getters ---- */

#define SRV_STR(NAME, F)                                             \
	LC_EXTERN const char *lc_server_##NAME(const lc_server *v)   \
	{                                                            \
		return v ? lc__rec_str(&v->rec, F) : NULL;            \
	}
#define SRV_INT(NAME, F)                                          \
	LC_EXTERN int64_t lc_server_##NAME(const lc_server *v)    \
	{                                                         \
		return v ? lc__rec_int(&v->rec, F) : 0;            \
	}

SRV_STR(id, SRV_ID)
SRV_STR(name, SRV_NAME)
SRV_STR(project_id, SRV_PROJECT)
SRV_STR(user_id, SRV_USER)
SRV_STR(vm_state, SRV_VM_STATE)
SRV_STR(task_state, SRV_TASK_STATE)
SRV_STR(flavor_id, SRV_FLAVOR_ID)
SRV_STR(image_id, SRV_IMAGE)
SRV_STR(key_name, SRV_KEY_NAME)
SRV_STR(host, SRV_HOST)
SRV_STR(availability_zone, SRV_AZ)
SRV_STR(server_group_id, SRV_GROUP)
SRV_STR(user_data, SRV_USER_DATA)
SRV_STR(admin_pass, SRV_ADMIN_PASS)
SRV_STR(fault_message, SRV_FAULT_MESSAGE)
SRV_INT(created_at, SRV_CREATED)
SRV_INT(updated_at, SRV_UPDATED)
SRV_INT(launched_at, SRV_LAUNCHED)
SRV_INT(fault_at, SRV_FAULT_TIME)

LC_EXTERN const char *lc_server_status(const lc_server *v)
{
	return v ? lc__server_status(lc__rec_str(&v->rec, SRV_VM_STATE), lc__rec_str(&v->rec, SRV_TASK_STATE)) : NULL;
}

LC_EXTERN int lc_server_power_state(const lc_server *v)
{
	return v ? (int)lc__rec_int(&v->rec, SRV_POWER_STATE) : 0;
}

LC_EXTERN int lc_server_fault_code(const lc_server *v)
{
	return v ? (int)lc__rec_int(&v->rec, SRV_FAULT_CODE) : 0;
}

LC_EXTERN int lc_server_config_drive(const lc_server *v)
{
	return v ? (int)lc__rec_int(&v->rec, SRV_CONFIG_DRIVE) : 0;
}

static int64_t flavor_num(const lc_server *v, int which)
{
	lc__flavor_spec f;

	if (v == NULL || lc__flavor_spec_parse(&f, &v->rec.v[SRV_FLAVOR]) < 0)
		return 0;
	switch (which) {
	case 0: return f.vcpus;
	case 1: return f.ram;
	case 2: return f.disk;
	case 3: return f.ephemeral;
	default: return f.swap;
	}
}

LC_EXTERN int64_t lc_server_vcpus(const lc_server *v)
{
	return flavor_num(v, 0);
}

LC_EXTERN int64_t lc_server_ram_mib(const lc_server *v)
{
	return flavor_num(v, 1);
}

LC_EXTERN int64_t lc_server_disk_gib(const lc_server *v)
{
	return flavor_num(v, 2);
}

LC_EXTERN int64_t lc_server_ephemeral_gib(const lc_server *v)
{
	return flavor_num(v, 3);
}

LC_EXTERN int64_t lc_server_swap_mib(const lc_server *v)
{
	return flavor_num(v, 4);
}

LC_EXTERN const char *lc_server_flavor_name(const lc_server *v)
{
	return v ? lc__blob_item(&v->rec.v[SRV_FLAVOR], 1) : NULL;
}

LC_EXTERN const char *lc_server_host_id(const lc_server *v)
{
	const char *h = v ? lc__rec_str(&v->rec, SRV_HOST_ID) : NULL;

	return h ? h : (v ? "" : NULL);
}

LC_EXTERN size_t lc_server_metadata_count(const lc_server *v)
{
	return v ? lc__blob_count(&v->rec.v[SRV_METADATA]) / 2 : 0;
}

LC_EXTERN const char *lc_server_metadata_key(const lc_server *v, size_t n)
{
	return v && n < lc_server_metadata_count(v) ? lc__blob_item(&v->rec.v[SRV_METADATA], 2 * n) : NULL;
}

LC_EXTERN const char *lc_server_metadata_value(const lc_server *v, size_t n)
{
	return v && n < lc_server_metadata_count(v) ? lc__blob_item(&v->rec.v[SRV_METADATA], 2 * n + 1) : NULL;
}

LC_EXTERN const char *lc_server_metadata(const lc_server *v, const char *key)
{
	size_t n = lc_server_metadata_count(v);

	for (size_t i = 0; key && i < n; i++)
		if (strcmp(lc__blob_item(&v->rec.v[SRV_METADATA], 2 * i), key) == 0)
			return lc__blob_item(&v->rec.v[SRV_METADATA], 2 * i + 1);
	return NULL;
}

LC_EXTERN void lc_server_free(lc_server *v)
{
	if (v == NULL)
		return;
	if (v->rec.v[SRV_ADMIN_PASS].set)
		sodium_memzero((void *)v->rec.v[SRV_ADMIN_PASS].s, v->rec.v[SRV_ADMIN_PASS].len);
	lc__rec_free(&v->rec);
}
