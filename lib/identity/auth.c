/*
 * Sessions: password authentication, token validation, rescoping, and the
 * host's own system session. A session is rebuilt from the store at every
 * validation, so disabling a user, a project or a domain, revoking a role or
 * a token, takes effect at once.
 */
#include <libcloud/session.h>

#include <libcloud/domain.h>
#include <libcloud/user.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/text.h"
#include "core/policy.h"
#include "core/resource.h"
#include "identity/identity.h"
#include "identity/token_cache.h"

#define INVALID_CREDENTIALS "invalid credentials"

LC__OPTS_INIT_FN(lc_auth_opts_init, lc_auth_opts, LC_AUTH_OPTS_INIT, LC_AUTH_OPTS_VERSION)

static lc_session *session_alloc(lc_cloud *c)
{
	lc_session *s = calloc(1, sizeof(*s));

	if (s)
		s->cloud = c;
	return s;
}

LC_EXTERN void lc_session_free(lc_session *s)
{
	if (s == NULL)
		return;
	free(s->roles);
	if (s->token) {
		sodium_memzero(s->token, strlen(s->token));
		free(s->token);
	}
	free(s);
}

LC_EXTERN int lc_session_system(lc_session **out, lc_cloud *c)
{
	lc_session *s;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__cloud_check(c));
	s = session_alloc(c);
	if (s == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	s->system = 1;
	s->scope = LC_SCOPE_SYSTEM;
	s->rolebits = LC__ROLE_ADMIN | LC__ROLE_MEMBER | LC__ROLE_READER;
	s->expires_us = INT64_MAX;
	*out = s;
	return 0;
}

/*
 * View a record that must exist and be enabled (valid until the transaction
 * ends); anything else is an authentication failure.
 */
static int view_enabled(lc__txn *t, const lc__shape *sh, const char *id, int enabled_field, lc__rec *out)
{
	int rc = lc__rec_view(t, sh, id, out);

	if (rc == LC_ENOTFOUND)
		return lc__error_set(LC_EAUTH, "%s %s not found", sh->kind, id);
	LC_TRY(rc);
	if (!lc__rec_int(out, enabled_field))
		return lc__error_set(LC_EAUTH, "%s %s is disabled", sh->kind, id);
	return 0;
}

/*
 * Fill s (user, scope, roles) from the store as it is now. tokens_after
 * receives the user's tokens_valid_after.
 */
static int fill_session(lc__txn *t, lc_session *s, const char *user_id, int scope, const char *scope_id,
			int64_t *tokens_after)
{
	char target[LC__TARGET_MAX];
	lc__rec r;
	int rc;

	LC_TRY(view_enabled(t, &lc__user_shape, user_id, USR_ENABLED, &r));
	lc__strlcpy(s->user_id, user_id, sizeof(s->user_id));
	lc__strlcpy(s->user_domain_id, lc__rec_str(&r, USR_DOMAIN), sizeof(s->user_domain_id));
	*tokens_after = lc__rec_int(&r, USR_TOKENS_AFTER);
	LC_TRY(view_enabled(t, &lc__domain_shape, s->user_domain_id, DOM_ENABLED, &r));
	s->scope = scope;
	switch (scope) {
	case LC_SCOPE_PROJECT:
		LC_TRY(view_enabled(t, &lc__project_shape, scope_id, PRJ_ENABLED, &r));
		lc__strlcpy(s->project_id, scope_id, sizeof(s->project_id));
		lc__strlcpy(s->domain_id, lc__rec_str(&r, PRJ_DOMAIN), sizeof(s->domain_id));
		if (strcmp(s->domain_id, s->user_domain_id) != 0) /* the user's domain was checked above */
			LC_TRY(view_enabled(t, &lc__domain_shape, s->domain_id, DOM_ENABLED, &r));
		lc__target_project(target, scope_id);
		break;
	case LC_SCOPE_DOMAIN:
		LC_TRY(view_enabled(t, &lc__domain_shape, scope_id, DOM_ENABLED, &r));
		lc__strlcpy(s->domain_id, scope_id, sizeof(s->domain_id));
		lc__target_domain(target, scope_id);
		break;
	case LC_SCOPE_SYSTEM:
		lc__strlcpy(target, "s", sizeof(target));
		break;
	default:
		return 0;
	}
	rc = lc__assignment_roles(t, user_id, target, &s->roles, &s->nroles, &s->rolebits);
	if (rc == 0 && s->nroles == 0)
		rc = lc__error_set(LC_EAUTH, "the user has no role on the requested scope");
	return rc;
}

/* Sign a token for s and store it in the session. */
static int mint(lc_session *s, const uint8_t audit[16])
{
	lc__identity *id = lc__identity_of(s->cloud);
	lc__token_payload p;
	char buf[LC__TOKEN_TEXT_MAX];

	memset(&p, 0, sizeof(p));
	p.scope = (uint8_t)s->scope;
	p.methods = (uint8_t)s->methods;
	lc__strlcpy(p.user_id, s->user_id, sizeof(p.user_id));
	snprintf(p.scope_id, sizeof(p.scope_id), "%s",
		 s->scope == LC_SCOPE_PROJECT ? s->project_id : s->scope == LC_SCOPE_DOMAIN ? s->domain_id : "");
	p.issued_us = s->issued_us;
	p.expires_us = s->expires_us;
	memcpy(p.audit_id, audit, 16);
	LC_TRY(lc__token_encode(id->keys, &p, buf, sizeof(buf)));
	s->token = strdup(buf);
	if (s->token == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	return 0;
}

static void audit_text(char out[LC__AUDIT_TEXT], const uint8_t audit[16])
{
	sodium_bin2base64(out, LC__AUDIT_TEXT, audit, 16, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Resolve a domain given by id or name (NULL if neither). */
static int resolve_domain(lc__txn *t, const char *id, const char *name, char out[LC__ID_TEXT])
{
	if (id)
		return lc__id_canon("domain id", id, out) < 0 ? lc__error_set(LC_EAUTH, INVALID_CREDENTIALS) : 0;
	if (name) {
		const char *parts[] = { name };
		int rc = lc__index_lookup(t, &lc__domain_shape.indexes[DOM_IX_NAME], parts, out, LC__ID_TEXT);
		if (rc == LC_ENOTFOUND)
			return lc__error_set(LC_EAUTH, "domain '%.64s' not found", name);
		return rc;
	}
	return lc__error_set(LC_EINVALID, "a name needs its domain (by id or by name)");
}

/* Resolve the scope of opts into (scope, scope id). */
static int resolve_scope(lc__txn *t, const lc_auth_opts *o, int *scope, char scope_id[LC__ID_TEXT])
{
	*scope = o->scope;
	scope_id[0] = '\0';
	switch (o->scope) {
	case LC_SCOPE_NONE:
	case LC_SCOPE_SYSTEM:
		return 0;
	case LC_SCOPE_PROJECT:
		if (o->project_id)
			return lc__id_canon("project_id", o->project_id, scope_id) < 0
				       ? lc__error_set(LC_EAUTH, "project %.64s not found", o->project_id) : 0;
		if (o->project_name) {
			char dom[LC__ID_TEXT];
			const char *parts[] = { dom, o->project_name };
			int rc;

			LC_TRY(resolve_domain(t, o->project_domain_id, o->project_domain_name, dom));
			rc = lc__index_lookup(t, &lc__project_shape.indexes[PRJ_IX_NAME], parts, scope_id, LC__ID_TEXT);
			if (rc == LC_ENOTFOUND)
				return lc__error_set(LC_EAUTH, "project '%.64s' not found", o->project_name);
			return rc;
		}
		return lc__error_set(LC_EINVALID, "a project scope needs project_id or project_name");
	case LC_SCOPE_DOMAIN:
		if (o->domain_id == NULL && o->domain_name == NULL)
			return lc__error_set(LC_EINVALID, "a domain scope needs domain_id or domain_name");
		return resolve_domain(t, o->domain_id, o->domain_name, scope_id);
	default:
		return lc__error_set(LC_EINVALID, "unknown scope %d", o->scope);
	}
}

/* Issue a new token for user_id with the scope of o, valid until expires_us at the latest. */
static int issue(lc_session **out, lc_cloud *c, const char *user_id, const lc_auth_opts *o, unsigned int methods,
		 int64_t expires_us)
{
	lc__identity *id = lc__identity_of(c);
	char scope_id[LC__ID_TEXT];
	int64_t tokens_after;
	uint8_t audit[16];
	lc_session *s;
	lc__txn t;
	int scope, rc;

	s = session_alloc(c);
	if (s == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	rc = lc__store_read(c->store, &t);
	if (rc == 0) {
		rc = resolve_scope(&t, o, &scope, scope_id);
		if (rc == 0)
			rc = fill_session(&t, s, user_id, scope, scope_id, &tokens_after);
		lc__store_read_end(&t);
	}
	if (rc == 0) {
		s->methods = methods;
		s->issued_us = lc__now_us();
		if (s->issued_us < tokens_after)
			s->issued_us = tokens_after;
		s->expires_us = s->issued_us + id->token_ttl_us;
		if (expires_us && expires_us < s->expires_us)
			s->expires_us = expires_us;
		randombytes_buf(audit, sizeof(audit));
		audit_text(s->audit_id, audit);
		rc = mint(s, audit);
	}
	if (rc < 0) {
		lc_session_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

LC_EXTERN int lc_session_password(lc_session **out, lc_cloud *c, const lc_auth_opts *opts)
{
	char user_id[LC__ID_TEXT] = "", hash[LC__PWHASH_MAX] = "";
	lc__identity *id;
	lc__txn t;
	int rc = 0;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__cloud_check(c));
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION(opts, LC_AUTH_OPTS_VERSION);
	LC_CHECK_ARG(opts->password != NULL, "password is missing");
	LC_CHECK_ARG(opts->user_id != NULL || opts->user_name != NULL, "user_id or user_name is required");
	LC_CHECK_ARG(strnlen(opts->password, LC_PASSWORD_MAX + 1) <= LC_PASSWORD_MAX, "password is too long");
	id = lc__identity_of(c);

	/* Find the user and its hash; an unknown user goes on to the same verification. */
	LC_TRY(lc__store_read(c->store, &t));
	if (opts->user_id) {
		if (lc__id_canon("user_id", opts->user_id, user_id) < 0)
			user_id[0] = '\0';
	} else if (strlen(opts->user_name) <= LC_NAME_MAX) {
		char dom[LC__ID_TEXT];
		const char *parts[] = { dom, opts->user_name };

		rc = resolve_domain(&t, opts->user_domain_id, opts->user_domain_name, dom);
		if (rc == 0 && lc__index_lookup(&t, &lc__user_shape.indexes[USR_IX_NAME], parts, user_id, LC__ID_TEXT) < 0)
			user_id[0] = '\0';
		if (rc == LC_EAUTH)
			rc = 0; /* unknown domain: like an unknown user */
	}
	if (rc == 0 && user_id[0]) {
		lc__rec *u;
		if (lc__rec_load(&t, &lc__user_shape, user_id, &u) == 0) {
			if (lc__rec_str(u, USR_PASSWORD))
				lc__strlcpy(hash, lc__rec_str(u, USR_PASSWORD), sizeof(hash));
			lc__rec_free(u);
		}
	}
	lc__store_read_end(&t);
	LC_TRY(rc);

	rc = lc__password_verify(hash[0] ? hash : NULL, opts->password, id->dummy_hash);
	sodium_memzero(hash, sizeof(hash));
	if (rc < 0)
		return lc__error_set(LC_EAUTH, INVALID_CREDENTIALS);
	return issue(out, c, user_id, opts, LC__TOKEN_METHOD_PASSWORD, 0);
}

/*
 * Check a decoded token against the store as it is now (revocation, the
 * principal enabled, roles, password changes) and fill s; remember the
 * outcome in the token cache with the snapshot it was read from.
 */
static int check_in_store(lc_cloud *c, lc_session *s, const lc__token_payload *p)
{
	int64_t tokens_after = 0;
	uint64_t txnid;
	lc__txn t;
	MDB_val v;
	int rc;

	LC_TRY(lc__store_read(c->store, &t));
	txnid = (uint64_t)mdb_txn_id(t.txn);
	rc = lc__txn_get(&t, &lc__token_revoked_db, p->audit_id, sizeof(p->audit_id), &v);
	if (rc == 0)
		rc = lc__error_set(LC_EAUTH, "the token has been revoked");
	else if (rc == LC_ENOTFOUND)
		rc = fill_session(&t, s, p->user_id, p->scope, p->scope_id, &tokens_after);
	lc__store_read_end(&t);
	if (rc == 0 && p->issued_us < tokens_after)
		rc = lc__error_set(LC_EAUTH, "the token predates a password change");
	if (rc == 0)
		lc__token_cache_put(lc__identity_of(c)->cache, p->audit_id, txnid, s);
	return rc;
}

LC_EXTERN int lc_session_token(lc_session **out, lc_cloud *c, const char *token)
{
	lc__token_payload p;
	lc_session *s;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__cloud_check(c));
	LC_CHECK_NOTNULL(token);
	LC_CHECK_ARG(*token != '\0', "token is empty");
	LC_TRY(lc__token_decode(lc__identity_of(c)->keys, token, lc__now_us(), &p));
	s = session_alloc(c);
	if (s == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	s->issued_us = p.issued_us;
	s->expires_us = p.expires_us;
	s->methods = p.methods;
	audit_text(s->audit_id, p.audit_id);
	rc = lc__token_cache_get(lc__identity_of(c)->cache, p.audit_id, lc__store_last_txnid(c->store), p.user_id,
				 p.scope_id, s);
	rc = rc == 1 ? 0 : rc == 0 ? check_in_store(c, s, &p) : rc;
	if (rc == 0 && (s->token = strdup(token)) == NULL)
		rc = lc__error_set(LC_ENOMEM, "out of memory");
	if (rc < 0) {
		char msg[256];

		lc_session_free(s);
		if (rc == LC_EAUTH || rc == LC_ENOMEM || rc == LC_EIO || rc == LC_ECORRUPT)
			return rc;
		lc__strlcpy(msg, lc_error_last()->message, sizeof(msg));
		return lc__error_set(LC_EAUTH, "invalid token: %s", msg);
	}
	*out = s;
	return 0;
}

LC_EXTERN int lc_session_rescope(lc_session **out, lc_session *s, const lc_auth_opts *scope)
{
	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_CHECK_NOTNULL(scope);
	LC_CHECK_VERSION(scope, LC_AUTH_OPTS_VERSION);
	if (s->system)
		return lc__error_set(LC_EINVALID, "the system session has no user to rescope");
	/* The new token stands on the old one: the old one must still validate (not revoked, no password change). */
	if (s->token) {
		lc_session *now = NULL;
		int rc = lc_session_token(&now, s->cloud, s->token);

		lc_session_free(now);
		if (rc < 0)
			return rc == LC_ENOMEM || rc == LC_EIO ? rc : lc__error_set(LC_EAUTH, "the session's token no longer validates");
	}
	return issue(out, s->cloud, s->user_id, scope, s->methods | LC__TOKEN_METHOD_TOKEN, s->expires_us);
}

LC_EXTERN const char *lc_session_token_id(const lc_session *s)
{
	return s ? s->token : NULL;
}

static const char *nonempty(const char *v)
{
	return v && *v ? v : NULL;
}

LC_EXTERN const char *lc_session_user_id(const lc_session *s)
{
	return s ? nonempty(s->user_id) : NULL;
}

LC_EXTERN const char *lc_session_user_domain_id(const lc_session *s)
{
	return s ? nonempty(s->user_domain_id) : NULL;
}

LC_EXTERN int lc_session_scope(const lc_session *s)
{
	return s ? s->scope : LC_SCOPE_NONE;
}

LC_EXTERN const char *lc_session_project_id(const lc_session *s)
{
	return s ? nonempty(s->project_id) : NULL;
}

LC_EXTERN const char *lc_session_domain_id(const lc_session *s)
{
	return s ? nonempty(s->domain_id) : NULL;
}

LC_EXTERN int64_t lc_session_issued_at(const lc_session *s)
{
	return s ? s->issued_us / 1000000 : 0;
}

LC_EXTERN int64_t lc_session_expires_at(const lc_session *s)
{
	return s ? (s->system ? INT64_MAX : s->expires_us / 1000000) : 0;
}

LC_EXTERN const char *lc_session_audit_id(const lc_session *s)
{
	return s ? nonempty(s->audit_id) : NULL;
}

LC_EXTERN size_t lc_session_role_count(const lc_session *s)
{
	return s ? s->nroles : 0;
}

LC_EXTERN const char *lc_session_role_id(const lc_session *s, size_t i)
{
	return s && i < s->nroles ? s->roles[i].id : NULL;
}

LC_EXTERN const char *lc_session_role_name(const lc_session *s, size_t i)
{
	return s && i < s->nroles ? s->roles[i].name : NULL;
}

LC_EXTERN int lc_session_has_role(const lc_session *s, const char *role_name)
{
	if (s == NULL || role_name == NULL)
		return 0;
	if (s->system)
		return strcmp(role_name, "admin") == 0 || strcmp(role_name, "member") == 0 ||
		       strcmp(role_name, "reader") == 0;
	for (size_t i = 0; i < s->nroles; i++)
		if (strcmp(s->roles[i].name, role_name) == 0)
			return 1;
	return 0;
}
