/* Neutron quotas: show (with details and defaults), update, reset. */
#include "api/neutron/neutron.h"

#include <string.h>

#include "core/error.h"

static const int kinds[] = {
	LC_QUOTA_NETWORKS, LC_QUOTA_SUBNETS, LC_QUOTA_PORTS, LC_QUOTA_ROUTERS, LC_QUOTA_FLOATING_IPS,
	LC_QUOTA_SECURITY_GROUPS, LC_QUOTA_SECURITY_GROUP_RULES,
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* {"quota": {...}}: limits only, or {limit, used, reserved} with details; project NULL: the defaults. */
static int reply(lc__api_ctx *x, const char *project_id, int details)
{
	int64_t limit[NKINDS], used[NKINDS];
	yajl_gen g;
	int rc;

	for (size_t i = 0; i < NKINDS; i++)
		if ((rc = lc_quota_get(&limit[i], &used[i], x->session, project_id, kinds[i])) < 0)
			return rc == LC_EINVALID ? nt_lookup_rc(rc, "project", project_id) : rc;
	if ((g = lc__json_begin(x)) == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	lc__gen_kmap(g, "quota");
	for (size_t i = 0; i < NKINDS; i++) {
		const char *name = lc_quota_kind_name(kinds[i]);

		if (details) {
			lc__gen_kmap(g, name);
			lc__gen_kint(g, "limit", limit[i]);
			lc__gen_kint(g, "used", used[i]);
			lc__gen_kint(g, "reserved", 0);
			lc__gen_end_map(g);
		} else {
			lc__gen_kint(g, name, limit[i]);
		}
	}
	lc__gen_end_map(g);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int nt_quota_get(lc__api_ctx *x)
{
	return reply(x, lc__req_param(x, 0), 0);
}

int nt_quota_details(lc__api_ctx *x)
{
	return reply(x, lc__req_param(x, 0), 1);
}

int nt_quota_default(lc__api_ctx *x)
{
	return reply(x, NULL, 0);
}

int nt_quota_update(lc__api_ctx *x)
{
	const char *project = lc__req_param(x, 0);
	const lc__json *body, *q;
	int rc;

	if (lc__req_json(x, &body) != 0)
		return 0;
	q = lc__json_get(body, "quota");
	if (q == NULL || q->type != LC__J_OBJECT) {
		lc__api_error(x, 400, "Unable to find 'quota' in request body");
		return 0;
	}
	for (const lc__json *m = q->child; m; m = m->next) {
		int kind = -1;

		for (size_t i = 0; i < NKINDS; i++)
			if (strcmp(lc_quota_kind_name(kinds[i]), m->key) == 0)
				kind = kinds[i];
		if (kind < 0) {
			lc__api_error(x, 400, "Unrecognized attribute(s) '%.64s'", m->key);
			return 0;
		}
		if (m->type != LC__J_INT || m->i < -1) {
			lc__api_error(x, 400, "Invalid input for %s. Reason: '%s' is not an integer >= -1.", m->key,
				      lc__json_type_name(m->type));
			return 0;
		}
	}
	for (const lc__json *m = q->child; m; m = m->next)
		if ((rc = lc_quota_set(x->session, project, lc_quota_kind_from_name(m->key), m->i)) < 0)
			return rc == LC_EINVALID ? nt_lookup_rc(rc, "project", project) : rc;
	return reply(x, project, 0);
}

int nt_quota_delete(lc__api_ctx *x)
{
	const char *project = lc__req_param(x, 0);
	int rc;

	for (size_t i = 0; i < NKINDS; i++)
		if ((rc = lc_quota_unset(x->session, project, kinds[i])) < 0)
			return rc == LC_EINVALID ? nt_lookup_rc(rc, "project", project) : rc;
	return lc__reply_empty(x, 204);
}
