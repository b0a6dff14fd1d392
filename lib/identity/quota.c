/* The public quota API: limits per project, defaults, usage. */
#include <libcloud/quota.h>

#include "core/error.h"
#include "core/event.h"
#include "core/policy.h"
#include "core/quota.h"
#include "core/resource.h"
#include "identity/identity.h"

struct quota_ctx {
	const char *project_id;
	int kind;
	int64_t limit;
};

static int quota_tx(lc__txn *t, void *p)
{
	struct quota_ctx *q = p;

	if (q->project_id)
		LC_TRY(lc__identity_require(t, &lc__project_shape, q->project_id));
	LC_TRY(lc__quota_store(t, q->project_id, q->kind, q->limit));
	return lc__event_append(t, LC_EVENT_UPDATE, "quota", q->project_id ? q->project_id : "default", q->project_id);
}

static int quota_write(lc_session *s, const char *project_id, int kind, int64_t limit)
{
	char id[LC__ID_TEXT];
	struct quota_ctx q = { NULL, kind, limit };

	LC_TRY(lc__session_check(s));
	LC_TRY(lc__quota_kind_check(kind));
	if (project_id) {
		LC_TRY(lc__id_canon("project_id", project_id, id));
		q.project_id = id;
	}
	LC_TRY(lc__policy_enforce(s, "quota:update", q.project_id, NULL));
	return lc__store_write(lc__session_store(s), quota_tx, &q);
}

LC_EXTERN int lc_quota_set(lc_session *s, const char *project_id, int kind, int64_t limit)
{
	lc__error_clear();
	LC_CHECK_ARG(limit >= LC_QUOTA_UNLIMITED, "limit must be >= 0 or LC_QUOTA_UNLIMITED");
	return quota_write(s, project_id, kind, limit);
}

LC_EXTERN int lc_quota_unset(lc_session *s, const char *project_id, int kind)
{
	lc__error_clear();
	LC_CHECK_NOTNULL(project_id);
	return quota_write(s, project_id, kind, INT64_MIN);
}

LC_EXTERN int lc_quota_get(int64_t *limit, int64_t *in_use, lc_session *s, const char *project_id, int kind)
{
	char id[LC__ID_TEXT];
	const char *pid = NULL;
	int64_t l = 0, u = 0;
	lc__txn t;
	int rc;

	lc__error_clear();
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__quota_kind_check(kind));
	if (project_id) {
		LC_TRY(lc__id_canon("project_id", project_id, id));
		pid = id;
		if (!lc__policy_allows(s, "quota:get", pid, NULL))
			return lc__error_set(LC_ENOTFOUND, "project %s not found", pid);
	}
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = pid ? lc__identity_require(&t, &lc__project_shape, pid) : 0;
	if (rc == 0)
		rc = lc__quota_limit(&t, pid, kind, &l);
	if (rc == 0 && pid)
		rc = lc__quota_usage(&t, pid, kind, &u);
	lc__store_read_end(&t);
	LC_TRY(rc);
	if (limit)
		*limit = l;
	if (in_use)
		*in_use = u;
	return 0;
}
