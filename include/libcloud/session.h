/*
 * libcloud - sessions: authentication, tokens and bootstrap.
 *
 * A session is an authenticated principal: a user, a scope (a project, a
 * domain or the system), the roles it holds on that scope, and a token that
 * expires. Every resource call takes one, and authorization happens inside
 * the library.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_SESSION_H
#define LIBCLOUD_SESSION_H

#include "common.h"

LC_BEGIN_DECLS

/** What a session is scoped to. */
typedef enum lc_scope_type {
	LC_SCOPE_NONE = 0,    /**< unscoped: can only list its projects and rescope */
	LC_SCOPE_PROJECT = 1, /**< a project */
	LC_SCOPE_DOMAIN = 2,  /**< a domain */
	LC_SCOPE_SYSTEM = 3   /**< the whole cloud */
} lc_scope_type;

/** Current version of lc_auth_opts. */
#define LC_AUTH_OPTS_VERSION 1

/**
 * Credentials and scope for lc_session_password(), and the scope for
 * lc_session_rescope(). The user is named by user_id, or by user_name with
 * its domain (user_domain_id or user_domain_name). The scope is named by
 * scope and, for a project, project_id or project_name with its domain; for
 * a domain, domain_id or domain_name.
 */
typedef struct lc_auth_opts {
	unsigned int version;            /**< LC_AUTH_OPTS_VERSION */
	const char *user_id;
	const char *user_name;
	const char *user_domain_id;
	const char *user_domain_name;
	const char *password;
	int scope;                       /**< an lc_scope_type */
	const char *project_id;
	const char *project_name;
	const char *project_domain_id;
	const char *project_domain_name;
	const char *domain_id;
	const char *domain_name;
} lc_auth_opts;

/** Static initialiser for lc_auth_opts: nothing given, unscoped. */
#define LC_AUTH_OPTS_INIT { LC_AUTH_OPTS_VERSION, NULL, NULL, NULL, NULL, NULL, LC_SCOPE_NONE, \
			    NULL, NULL, NULL, NULL, NULL, NULL }

/**
 * Initialise an lc_auth_opts: nothing given, unscoped.
 *
 * @param opts out: the struct to fill
 * @param version LC_AUTH_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_auth_opts_init(lc_auth_opts *opts, unsigned int version);

/**
 * Authenticate with a password and issue a token for the requested scope.
 *
 * A wrong password and an unknown user give the same error and take the
 * same time. A disabled user, domain or project, or a scope on which the
 * user holds no role, is LC_EAUTH too.
 *
 * @param out out: the session; free with lc_session_free()
 * @param c an opened cloud
 * @param opts credentials and scope
 * @return 0, LC_EINVALID (NULL, malformed, ambiguous), LC_EAUTH, LC_ENOMEM
 * @note Thread-safe. Writes nothing. Since 0.1.
 */
LC_EXTERN int lc_session_password(lc_session **out, lc_cloud *c, const lc_auth_opts *opts);

/**
 * Validate a token and make a session from it. Validation checks the MAC,
 * the expiry, revocations, and that the user, its domain and the scoped
 * project or domain are still enabled; roles are read as they are now.
 *
 * @param out out: the session; free with lc_session_free()
 * @param c an opened cloud
 * @param token the token text
 * @return 0, LC_EINVALID (NULL or empty), LC_EAUTH (forged, truncated,
 *         expired, revoked, or its principal disabled), LC_ENOMEM
 * @note Thread-safe. Writes nothing; costs microseconds. Since 0.1.
 */
LC_EXTERN int lc_session_token(lc_session **out, lc_cloud *c, const char *token);

/**
 * Issue a new token for the same user with another scope (Keystone's
 * "token" auth method). The new token expires no later than the old one.
 *
 * @param out out: the new session
 * @param s an authenticated session (not the system session)
 * @param scope only the scope fields are read
 * @return 0, LC_EINVALID, LC_EAUTH (no role on that scope), LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_session_rescope(lc_session **out, lc_session *s, const lc_auth_opts *scope);

/**
 * The embedding host's own session: system scope with the admin role, no
 * user and no token. Use it to bootstrap and to act as the operator.
 *
 * @param out out: the session; free with lc_session_free()
 * @param c an opened cloud
 * @return 0, LC_EINVALID, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_session_system(lc_session **out, lc_cloud *c);

/** Free a session. NULL-safe. The token stays valid. Since 0.1. */
LC_EXTERN void lc_session_free(lc_session *s);

/** The token of a session, or NULL for the system session; borrowed. Since 0.1. */
LC_EXTERN const char *lc_session_token_id(const lc_session *s);
/** The user id, or NULL for the system session; borrowed. Since 0.1. */
LC_EXTERN const char *lc_session_user_id(const lc_session *s);
/** The user's domain id, or NULL for the system session; borrowed. Since 0.1. */
LC_EXTERN const char *lc_session_user_domain_id(const lc_session *s);
/** The lc_scope_type of the session. Since 0.1. */
LC_EXTERN int lc_session_scope(const lc_session *s);
/** The scoped project id, or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_session_project_id(const lc_session *s);
/** The scoped domain id (for a project scope: the project's domain), or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_session_domain_id(const lc_session *s);
/** Issue time of the token, Unix seconds (0 for the system session). Since 0.1. */
LC_EXTERN int64_t lc_session_issued_at(const lc_session *s);
/** Expiry time of the token, Unix seconds (INT64_MAX for the system session). Since 0.1. */
LC_EXTERN int64_t lc_session_expires_at(const lc_session *s);
/** The token's audit id (22 characters of URL-safe base64), or NULL; borrowed. Since 0.1. */
LC_EXTERN const char *lc_session_audit_id(const lc_session *s);
/** How many roles the session holds on its scope (implied roles included). Since 0.1. */
LC_EXTERN size_t lc_session_role_count(const lc_session *s);
/** Id of the i-th role, or NULL if i is out of range; borrowed. Since 0.1. */
LC_EXTERN const char *lc_session_role_id(const lc_session *s, size_t i);
/** Name of the i-th role, or NULL if i is out of range; borrowed. Since 0.1. */
LC_EXTERN const char *lc_session_role_name(const lc_session *s, size_t i);
/** 1 if the session holds the named role, else 0. Since 0.1. */
LC_EXTERN int lc_session_has_role(const lc_session *s, const char *role_name);

/**
 * Revoke a token: it stops validating everywhere at once. Durable.
 *
 * @param s the caller: the token's own user, or an admin
 * @param token the token to revoke
 * @return 0, LC_EINVALID, LC_EAUTH (not a valid token: forged, expired,
 *         already revoked), LC_EFORBIDDEN (another user's token, not admin)
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_token_revoke(lc_session *s, const char *token);

/**
 * Rotate the token signing keys: a new primary key signs new tokens; the
 * previous keys (up to token_keys_kept) still validate older tokens.
 *
 * @param s the caller; needs admin on the system
 * @return 0, LC_EFORBIDDEN, LC_EIO
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_token_rotate_keys(lc_session *s);

/** Current version of lc_bootstrap_opts. */
#define LC_BOOTSTRAP_OPTS_VERSION 1

/** What lc_cloud_bootstrap() creates. NULL means the default shown. */
typedef struct lc_bootstrap_opts {
	unsigned int version;       /**< LC_BOOTSTRAP_OPTS_VERSION */
	const char *admin_user;     /**< "admin" */
	const char *admin_password; /**< required */
	const char *admin_project;  /**< "admin" */
	const char *admin_role;     /**< "admin" */
} lc_bootstrap_opts;

/** Static initialiser for lc_bootstrap_opts. */
#define LC_BOOTSTRAP_OPTS_INIT { LC_BOOTSTRAP_OPTS_VERSION, NULL, NULL, NULL, NULL }

/**
 * Initialise an lc_bootstrap_opts with defaults.
 *
 * @param opts out: the struct to fill
 * @param version LC_BOOTSTRAP_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_bootstrap_opts_init(lc_bootstrap_opts *opts, unsigned int version);

/**
 * Bootstrap identity like `keystone-manage bootstrap`: the roles admin,
 * member and reader, the admin project in the Default domain, the admin
 * user, and the admin role for that user on the project and on the system.
 * Idempotent: what exists is kept (the password is not changed).
 *
 * @param c an opened cloud
 * @param opts admin_password required
 * @return 0, LC_EINVALID, LC_EIO, LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_cloud_bootstrap(lc_cloud *c, const lc_bootstrap_opts *opts);

LC_END_DECLS

#endif
