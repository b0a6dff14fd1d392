/* The identity service: its databases, its keys, and the Default domain. */
#include "identity/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcloud/domain.h>

#include "core/draft.h"
#include "core/error.h"
#include "identity/identity.h"
#include "identity/token_cache.h"

lc__identity *lc__identity_of(const lc_cloud *c)
{
	return c->svc[LC__SVC_IDENTITY];
}

static int ensure_default_domain(lc__txn *t, void *p)
{
	lc__draft d;
	int rc;

	(void)p;
	rc = lc__rec_exists(t, &lc__domain_shape, LC_DEFAULT_DOMAIN_ID);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	lc__draft_new(&d, &lc__domain_shape);
	lc__draft_set_str(&d, DOM_ID, LC_DEFAULT_DOMAIN_ID);
	lc__draft_set_str(&d, DOM_NAME, "Default");
	lc__draft_set_str(&d, DOM_DESCRIPTION, "The default domain");
	lc__val_bool(&d.v[DOM_ENABLED], 1);
	lc__draft_set_int(&d, DOM_CREATED, lc__now_us());
	return lc__rec_insert(t, &lc__domain_shape, d.v);
}

/* Drop revocation records of tokens that have expired anyway. */
static int sweep_revocations(lc__txn *t, void *p)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int64_t now = *(const int64_t *)p, exp;
	int rc;

	rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, &lc__token_revoked_db), &cur);
	if (rc)
		return lc__txn_error(t, rc, "token revocations");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (v.mv_size != sizeof(exp))
			continue;
		memcpy(&exp, v.mv_data, sizeof(exp));
		if (exp <= now && (rc = mdb_cursor_del(cur, 0)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : lc__txn_error(t, rc, "token revocations");
}

static void identity_close(void *state)
{
	lc__identity *id = state;

	if (id == NULL)
		return;
	lc__token_keys_free(id->keys);
	lc__token_cache_free(id->cache);
	free(id);
}

static int identity_open(lc_cloud *c, void **state)
{
	lc__identity *id = calloc(1, sizeof(*id));
	char keydir[4096];
	int rc;

	if (id == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	id->pwhash_strength = c->opts.pwhash_strength;
	id->token_ttl_us = (int64_t)c->opts.token_ttl_seconds * 1000000;
	snprintf(keydir, sizeof(keydir), "%s/keys", c->path);
	if ((rc = lc__token_keys_open(&id->keys, keydir, c->opts.token_keys_kept)) < 0 ||
	    (rc = lc__token_cache_new(&id->cache)) < 0 ||
	    (rc = lc__password_dummy(id->pwhash_strength, id->dummy_hash)) < 0 ||
	    (rc = lc__store_write(c->store, ensure_default_domain, NULL)) < 0 ||
	    (rc = lc__store_write(c->store, sweep_revocations, &(int64_t){ lc__now_us() })) < 0) {
		identity_close(id);
		return rc;
	}
	*state = id;
	return 0;
}

const lc__service lc__identity_service = {
	"identity", lc__identity_dbs, 1, NULL, identity_open, identity_close,
};
