/*
 * Internal: validated tokens remembered with the store state they were
 * checked against. A token whose entry was made at the store's current last
 * transaction id needs no store lookups: nothing (no revocation, no disabled
 * user, no revoked role) can have changed since, in any process. The MAC and
 * the expiry are still checked on every validation.
 */
#ifndef LC_IDENTITY_TOKEN_CACHE_H
#define LC_IDENTITY_TOKEN_CACHE_H

#include <stdint.h>

#include "core/session.h"

typedef struct lc__token_cache lc__token_cache;

int lc__token_cache_new(lc__token_cache **out);
void lc__token_cache_free(lc__token_cache *c);

/*
 * Fill s (user, scope, roles) from the entry of audit if it was made at
 * txnid for the same user and scope. 1 on a hit, 0 on a miss, LC_ENOMEM.
 */
int lc__token_cache_get(lc__token_cache *c, const uint8_t audit[16], uint64_t txnid, const char *user_id,
			const char *scope_id, lc_session *s);

/* Remember a validated session, checked against the store at txnid. */
void lc__token_cache_put(lc__token_cache *c, const uint8_t audit[16], uint64_t txnid, const lc_session *s);

#endif
