/* Nova: server groups, limits and quota sets. */
#include "api/nova/nova.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcloud/quota.h>

#include "core/error.h"

/* ---- server groups ---- */

static void gen_group(lc__api_ctx *x, yajl_gen g, const void *p)
{
	const lc_server_group *sg = p;

	(void)x;
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "id", lc_server_group_id(sg));
	lc__gen_kstr(g, "name", lc_server_group_name(sg));
	lc__gen_karray(g, "policies");
	lc__gen_str(g, lc_server_group_policy(sg));
	lc__gen_end_array(g);
	lc__gen_karray(g, "members");
	for (size_t i = 0; i < lc_server_group_member_count(sg); i++)
		lc__gen_str(g, lc_server_group_member(sg, i));
	lc__gen_end_array(g);
	lc__gen_kmap(g, "metadata");
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
}

static int reply_group(lc__api_ctx *x, lc_server_group *sg)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL) {
		lc_server_group_free(sg);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_key(g, "server_group");
	gen_group(x, g, sg);
	yajl_gen_map_close(g);
	lc_server_group_free(sg);
	return lc__json_end(x, g, 200);
}

LC__API_ITER_CALLS_DEFINE(server_group)

static const nv_lister groups = { .coll = "server_groups", LC__API_ITER_CALLS(server_group), .gen = gen_group };

int nv_group_list(lc__api_ctx *x)
{
	const char *all = lc__req_query(x, "all_projects");
	const char *filters[] = { "all_projects", "true", NULL };
	lc_list_opts lo = LC_LIST_OPTS_INIT;

	if (nv_begin(x))
		return 0;
	if (all && nv_is_admin(x) && strcmp(all, "0") && strcmp(all, "False") && strcmp(all, "false"))
		lo.filters = filters;
	return nv_list_all(x, &groups, &lo);
}

int nv_group_create(lc__api_ctx *x)
{
	static const nv_field fields[] = { { "name", NV_STRING, 1 }, { "policies", NV_ARRAY, 1 } };
	const lc__json *body, *o, *pol;
	lc_server_group_opts go = LC_SERVER_GROUP_OPTS_INIT;
	lc_server_group *sg = NULL;
	int rc;

	if (nv_begin(x) || lc__req_json(x, &body) != 0 || (o = nv_wrapped(x, body, "server_group")) == NULL ||
	    nv_check(x, o, fields, 2))
		return 0;
	pol = lc__json_get(o, "policies");
	if (pol->count != 1 || pol->child->type != LC__J_STRING)
		return lc__api_error(x, 400, "Invalid input for field/attribute policies: exactly one policy expected.");
	go.name = nv_str(o, "name");
	go.policy = pol->child->s;
	rc = lc_server_group_create(&sg, x->session, &go);
	if (rc < 0)
		return nv_error(x, rc);
	return reply_group(x, sg);
}

int nv_group_get(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	lc_server_group *sg = NULL;
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_server_group_get(&sg, x->session, id);
	if (rc < 0)
		return nv_lookup_rc(rc, "Instance group", id);
	return reply_group(x, sg);
}

int nv_group_delete(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_server_group_delete(x->session, id, 0);
	if (rc == LC_ENOTFOUND || rc == LC_EINVALID)
		return nv_lookup_rc(rc, "Instance group", id);
	if (rc < 0)
		return nv_error(x, rc);
	return lc__reply_empty(x, 204);
}

/* ---- limits and quotas ---- */

/* Nova's quota names and the lc_quota_kind behind each; -1: fixed values libcloud does not count. */
static const struct {
	const char *name;
	int kind;
	int64_t fixed;
} quotas[] = {
	{ "instances", LC_QUOTA_INSTANCES, 0 },
	{ "cores", LC_QUOTA_CORES, 0 },
	{ "ram", LC_QUOTA_RAM_MIB, 0 },
	{ "key_pairs", LC_QUOTA_KEY_PAIRS, 0 },
	{ "server_groups", LC_QUOTA_SERVER_GROUPS, 0 },
	{ "server_group_members", LC_QUOTA_SERVER_GROUP_MEMBERS, 0 },
	{ "metadata_items", -1, 128 },
	{ "floating_ips", -1, -1 },
	{ "fixed_ips", -1, -1 },
	{ "security_groups", -1, -1 },
	{ "security_group_rules", -1, -1 },
	{ "injected_files", -1, 0 },
	{ "injected_file_content_bytes", -1, 0 },
	{ "injected_file_path_bytes", -1, 0 },
};
#define NQUOTAS (sizeof(quotas) / sizeof(quotas[0]))

static int read_quota(lc__api_ctx *x, const char *project, size_t i, int64_t *limit, int64_t *used)
{
	*limit = quotas[i].fixed;
	*used = 0;
	if (quotas[i].kind < 0)
		return 0;
	if (project == NULL)
		return lc_quota_get(limit, used, x->session, NULL, quotas[i].kind);
	/* key pairs are counted per user: the project's limit, and no project-wide use */
	if (quotas[i].kind == LC_QUOTA_KEY_PAIRS)
		return lc_quota_get(limit, NULL, x->session, project, quotas[i].kind);
	return lc_quota_get(limit, used, x->session, project, quotas[i].kind);
}

int nv_limits(lc__api_ctx *x)
{
	static const struct {
		const char *max, *total;
		size_t q;
	} map[] = {
		{ "maxTotalInstances", "totalInstancesUsed", 0 },
		{ "maxTotalCores", "totalCoresUsed", 1 },
		{ "maxTotalRAMSize", "totalRAMUsed", 2 },
		{ "maxTotalKeypairs", NULL, 3 },
		{ "maxServerGroups", "totalServerGroupsUsed", 4 },
		{ "maxServerGroupMembers", NULL, 5 },
		{ "maxServerMeta", NULL, 6 },
		{ "maxTotalFloatingIps", "totalFloatingIpsUsed", 7 },
		{ "maxSecurityGroups", "totalSecurityGroupsUsed", 9 },
		{ "maxSecurityGroupRules", NULL, 10 },
		{ "maxPersonality", NULL, 11 },
		{ "maxPersonalitySize", NULL, 12 },
		{ "maxImageMeta", NULL, 6 },
	};
	const char *project = nv_project(x);
	yajl_gen g;

	if (nv_begin(x))
		return 0;
	g = lc__json_begin(x);
	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_kmap(g, "limits");
	lc__gen_kmap(g, "absolute");
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		int64_t limit = 0, used = 0;

		if (project == NULL || read_quota(x, project, map[i].q, &limit, &used) < 0)
			limit = used = 0;
		lc__gen_kint(g, map[i].max, limit);
		if (map[i].total)
			lc__gen_kint(g, map[i].total, used);
	}
	lc__gen_end_map(g);
	lc__gen_karray(g, "rate");
	lc__gen_end_array(g);
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
	lc__error_clear();
	return lc__json_end(x, g, 200);
}

/* with_id: GET shows the project id, PUT does not (Nova's 2.1 shapes) */
static int quota_reply(lc__api_ctx *x, const char *project, int detail, int defaults, int with_id)
{
	yajl_gen g;

	g = lc__json_begin(x);
	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_kmap(g, "quota_set");
	if (with_id)
		lc__gen_kstr(g, "id", project);
	for (size_t i = 0; i < NQUOTAS; i++) {
		int64_t limit, used;
		int rc = read_quota(x, defaults ? NULL : project, i, &limit, &used);

		if (rc < 0) {
			yajl_gen_free(g);
			return rc;
		}
		if (detail) {
			lc__gen_kmap(g, quotas[i].name);
			lc__gen_kint(g, "limit", limit);
			lc__gen_kint(g, "in_use", used);
			lc__gen_kint(g, "reserved", 0);
			lc__gen_end_map(g);
		} else {
			lc__gen_kint(g, quotas[i].name, limit);
		}
	}
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int nv_quota_get(lc__api_ctx *x)
{
	int rc;

	if (nv_begin(x))
		return 0;
	rc = quota_reply(x, lc__req_param(x, 0), 0, 0, 1);
	return rc < 0 ? nv_lookup_rc(rc, "Project", lc__req_param(x, 0)) : rc;
}

int nv_quota_detail(lc__api_ctx *x)
{
	int rc;

	if (nv_begin(x))
		return 0;
	rc = quota_reply(x, lc__req_param(x, 0), 1, 0, 1);
	return rc < 0 ? nv_lookup_rc(rc, "Project", lc__req_param(x, 0)) : rc;
}

int nv_quota_defaults(lc__api_ctx *x)
{
	if (nv_begin(x))
		return 0;
	return quota_reply(x, lc__req_param(x, 0), 0, 1, 1);
}

int nv_quota_update(lc__api_ctx *x)
{
	const char *project = lc__req_param(x, 0);
	const lc__json *body, *o;
	int rc;

	if (nv_begin(x) || lc__req_json(x, &body) != 0 || (o = nv_wrapped(x, body, "quota_set")) == NULL)
		return 0;
	for (const lc__json *m = o->child; m; m = m->next) {
		size_t i;
		int64_t v;

		if (!strcmp(m->key, "force"))
			continue;
		for (i = 0; i < NQUOTAS && strcmp(quotas[i].name, m->key); i++)
			;
		if (i == NQUOTAS)
			return lc__api_error(x, 400, "Bad key(s) %.64s in quota_set", m->key);
		if (nv_int(o, m->key, &v) != 1 || v < -1)
			return lc__api_error(x, 400, "Quota limit %.64s must be an integer of -1 or more.", m->key);
		/* fixed values, and key pairs (counted per user, under the cloud-wide default) */
		if (quotas[i].kind < 0 || quotas[i].kind == LC_QUOTA_KEY_PAIRS)
			continue;
		rc = lc_quota_set(x->session, project, quotas[i].kind, v);
		if (rc == LC_ENOTFOUND || rc == LC_EINVALID)
			return lc__api_error(x, 400, "%s", lc_error_last()->message);
		if (rc < 0)
			return nv_error(x, rc);
	}
	return quota_reply(x, project, 0, 0, 0);
}
