/* Quota limits and usage, kept in the caller's write transaction. */
#include "core/quota.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

const lc__dbdef lc__quota_db = { "quota", 0 };
const lc__dbdef lc__quota_usage_db = { "quota_usage", 0 };

static const struct {
	const char *name;
	int64_t limit;
} kinds[LC_QUOTA_KIND_COUNT] = {
	[LC_QUOTA_INSTANCES] = { "instances", 10 },
	[LC_QUOTA_CORES] = { "cores", 20 },
	[LC_QUOTA_RAM_MIB] = { "ram", 51200 },
	[LC_QUOTA_VOLUMES] = { "volumes", 10 },
	[LC_QUOTA_GIGABYTES] = { "gigabytes", 1000 },
	[LC_QUOTA_SNAPSHOTS] = { "snapshots", 10 },
	[LC_QUOTA_IMAGES] = { "image_count_total", 100 },
	[LC_QUOTA_IMAGE_BYTES] = { "image_size_total", LC_QUOTA_UNLIMITED },
	[LC_QUOTA_NETWORKS] = { "network", 100 },
	[LC_QUOTA_SUBNETS] = { "subnet", 100 },
	[LC_QUOTA_PORTS] = { "port", 500 },
	[LC_QUOTA_ROUTERS] = { "router", 10 },
	[LC_QUOTA_FLOATING_IPS] = { "floatingip", 50 },
	[LC_QUOTA_SECURITY_GROUPS] = { "security_group", 10 },
	[LC_QUOTA_SECURITY_GROUP_RULES] = { "security_group_rule", 100 },
	[LC_QUOTA_KEY_PAIRS] = { "key_pairs", 100 },
	[LC_QUOTA_OBJECT_BYTES] = { "object_bytes", LC_QUOTA_UNLIMITED },
	[LC_QUOTA_SERVER_GROUPS] = { "server_groups", 10 },
	[LC_QUOTA_SERVER_GROUP_MEMBERS] = { "server_group_members", 10 },
};

LC_EXTERN const char *lc_quota_kind_name(int kind)
{
	return kind >= 0 && kind < LC_QUOTA_KIND_COUNT ? kinds[kind].name : NULL;
}

LC_EXTERN int lc_quota_kind_from_name(const char *name)
{
	lc__error_clear();
	LC_CHECK_NOTNULL(name);
	for (int k = 0; k < LC_QUOTA_KIND_COUNT; k++)
		if (strcmp(kinds[k].name, name) == 0)
			return k;
	return lc__error_set(LC_EINVALID, "unknown quota kind '%.64s'", name);
}

int lc__quota_kind_check(int kind)
{
	if (kind < 0 || kind >= LC_QUOTA_KIND_COUNT)
		return lc__error_set(LC_EINVALID, "unknown quota kind %d", kind);
	return 0;
}

static size_t qkey(char *buf, size_t sz, const char *project_id, int kind)
{
	int n = snprintf(buf, sz, "%s:%s", project_id ? project_id : "*", kinds[kind].name);
	return n > 0 && (size_t)n < sz ? (size_t)n : 0;
}

static int read_i64(lc__txn *t, const lc__dbdef *db, const char *key, size_t kl, int64_t *out)
{
	MDB_val v;
	int rc = lc__txn_get(t, db, key, kl, &v);

	if (rc < 0)
		return rc;
	if (v.mv_size != sizeof(int64_t))
		return lc__error_set(LC_ECORRUPT, "a stored quota value is corrupt");
	memcpy(out, v.mv_data, sizeof(*out));
	return 0;
}

int lc__quota_limit(lc__txn *t, const char *project_id, int kind, int64_t *limit)
{
	char key[128];
	size_t kl;
	int rc;

	LC_TRY(lc__quota_kind_check(kind));
	if (project_id) {
		kl = qkey(key, sizeof(key), project_id, kind);
		rc = read_i64(t, &lc__quota_db, key, kl, limit);
		if (rc != LC_ENOTFOUND)
			return rc;
	}
	kl = qkey(key, sizeof(key), NULL, kind);
	rc = read_i64(t, &lc__quota_db, key, kl, limit);
	if (rc == LC_ENOTFOUND) {
		*limit = kinds[kind].limit;
		return 0;
	}
	return rc;
}

int lc__quota_usage(lc__txn *t, const char *project_id, int kind, int64_t *in_use)
{
	char key[128];
	size_t kl;
	int rc;

	LC_TRY(lc__quota_kind_check(kind));
	kl = qkey(key, sizeof(key), project_id, kind);
	rc = read_i64(t, &lc__quota_usage_db, key, kl, in_use);
	if (rc == LC_ENOTFOUND) {
		*in_use = 0;
		return 0;
	}
	return rc;
}

int lc__quota_charge(lc__txn *t, const char *project_id, int kind, int64_t delta)
{
	char key[128];
	size_t kl;
	int64_t limit, used;

	if (project_id == NULL)
		return lc__error_set(LC_EINVALID, "quota charge without a project");
	LC_TRY(lc__quota_usage(t, project_id, kind, &used));
	if (delta > 0) {
		LC_TRY(lc__quota_limit(t, project_id, kind, &limit));
		if (limit >= 0 && (used > limit || delta > limit - used))
			return lc__error_set(LC_EQUOTA,
					     "quota exceeded for %s: limit %lld, in use %lld, requested %lld",
					     kinds[kind].name, (long long)limit, (long long)used, (long long)delta);
	}
	used += delta;
	if (used < 0)
		used = 0;
	kl = qkey(key, sizeof(key), project_id, kind);
	if (used == 0) {
		int rc = lc__txn_del(t, &lc__quota_usage_db, key, kl, NULL, 0);
		return rc == LC_ENOTFOUND ? 0 : rc;
	}
	return lc__txn_put(t, &lc__quota_usage_db, key, kl, &used, sizeof(used), 0);
}

int lc__quota_store(lc__txn *t, const char *project_id, int kind, int64_t limit)
{
	char key[128];
	size_t kl;

	LC_TRY(lc__quota_kind_check(kind));
	kl = qkey(key, sizeof(key), project_id, kind);
	if (limit == INT64_MIN) {
		int rc = lc__txn_del(t, &lc__quota_db, key, kl, NULL, 0);
		return rc == LC_ENOTFOUND ? 0 : rc;
	}
	return lc__txn_put(t, &lc__quota_db, key, kl, &limit, sizeof(limit), 0);
}

int lc__quota_project_in_use(lc__txn *t, const char *project_id)
{
	for (int k = 0; k < LC_QUOTA_KIND_COUNT; k++) {
		int64_t used = 0;
		LC_TRY(lc__quota_usage(t, project_id, k, &used));
		if (used > 0)
			return 1;
	}
	return 0;
}

int lc__quota_drop_project(lc__txn *t, const char *project_id)
{
	for (int k = 0; k < LC_QUOTA_KIND_COUNT; k++) {
		LC_TRY(lc__quota_store(t, project_id, k, INT64_MIN));
		LC_TRY(lc__quota_charge(t, project_id, k, INT64_MIN / 2));
	}
	return 0;
}
