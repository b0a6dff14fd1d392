/* Internal: state and cross-file helpers of the identity service. */
#ifndef LC_IDENTITY_IDENTITY_H
#define LC_IDENTITY_IDENTITY_H

#include "core/cloud.h"
#include "core/session.h"
#include "core/store.h"
#include "identity/password.h"
#include "identity/shapes.h"
#include "identity/token_codec.h"

typedef struct lc__token_cache lc__token_cache;

typedef struct lc__identity {
	lc__token_keys *keys;
	lc__token_cache *cache; /* validated tokens, see token_cache.h */
	char dummy_hash[LC__PWHASH_MAX];
	int pwhash_strength;
	int64_t token_ttl_us;
} lc__identity;

/* The identity state of an opened cloud. */
lc__identity *lc__identity_of(const lc_cloud *c);

/* Longest assignment target text: "p:" + id. */
#define LC__TARGET_MAX (LC__ID_TEXT + 2)

/* The target text of an assignment: "p:<project>", "d:<domain>" or "s". */
void lc__target_project(char out[LC__TARGET_MAX], const char *project_id);
void lc__target_domain(char out[LC__TARGET_MAX], const char *domain_id);

/*
 * The roles a user holds on a target (implied roles added: admin -> member
 * -> reader). roles may be NULL to get only the bits. *roles is malloc'd.
 */
int lc__assignment_roles(lc__txn *t, const char *user_id, const char *target, struct lc__session_role **roles,
			 size_t *nroles, unsigned int *bits);

/* 1 if the user holds any role on the target. */
int lc__assignment_any(lc__txn *t, const char *user_id, const char *target);

/* Delete every assignment of a user, a role, a project or a domain (exactly one given). */
int lc__assignment_purge(lc__txn *t, const char *user_id, const char *role_id, const char *project_id,
			 const char *domain_id);

/* Grant inside a transaction (for bootstrap); idempotent. */
int lc__assignment_put(lc__txn *t, const char *role_id, const char *user_id, const char *target);

/* 0 if a record exists, else LC_ENOTFOUND naming it. */
int lc__identity_require(lc__txn *t, const lc__shape *sh, const char *id);


#endif
