/* Token revocation and signing-key rotation. */
#include <libcloud/session.h>

#include <string.h>

#include "core/error.h"
#include "core/policy.h"
#include "core/resource.h"
#include "identity/identity.h"

struct revoke_ctx {
	uint8_t audit[16];
	int64_t expires_us;
};

static int revoke_tx(lc__txn *t, void *p)
{
	struct revoke_ctx *r = p;

	return lc__txn_put(t, &lc__token_revoked_db, r->audit, sizeof(r->audit), &r->expires_us,
			   sizeof(r->expires_us), 0);
}

LC_EXTERN int lc_token_revoke(lc_session *s, const char *token)
{
	lc__token_payload p;
	struct revoke_ctx r;
	lc__txn t;
	MDB_val v;
	int rc;

	lc__error_clear();
	LC_TRY(lc__session_check(s));
	LC_CHECK_NOTNULL(token);
	LC_CHECK_ARG(*token != '\0', "token is empty");
	LC_TRY(lc__token_decode(lc__identity_of(s->cloud)->keys, token, lc__now_us(), &p));
	LC_TRY(lc__policy_enforce(s, "identity:revoke_token", NULL, p.user_id));
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__txn_get(&t, &lc__token_revoked_db, p.audit_id, sizeof(p.audit_id), &v);
	lc__store_read_end(&t);
	if (rc == 0)
		return lc__error_set(LC_EAUTH, "the token has already been revoked");
	if (rc != LC_ENOTFOUND)
		return rc;
	memcpy(r.audit, p.audit_id, sizeof(r.audit));
	r.expires_us = p.expires_us;
	return lc__store_write(lc__session_store(s), revoke_tx, &r);
}

LC_EXTERN int lc_token_rotate_keys(lc_session *s)
{
	lc__error_clear();
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "identity:rotate_token_keys", NULL, NULL));
	return lc__token_keys_rotate(lc__identity_of(s->cloud)->keys);
}
