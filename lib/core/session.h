/* Internal: the authenticated principal that every call carries. */
#ifndef LC_CORE_SESSION_H
#define LC_CORE_SESSION_H

#include <libcloud/common.h>
#include <libcloud/session.h>

#include "core/id.h"

#define LC__AUDIT_TEXT 23

enum lc__rolebits {
	LC__ROLE_READER = 1u << 0,
	LC__ROLE_MEMBER = 1u << 1,
	LC__ROLE_ADMIN = 1u << 2
};

struct lc__session_role {
	char id[LC__ID_TEXT];
	char name[LC_NAME_MAX + 1];
};

struct lc_session {
	lc_cloud *cloud;
	int system;                      /* the embedding host's own session */
	int scope;                       /* lc_scope_type */
	unsigned int methods;            /* bit 0 password, bit 1 token */
	char user_id[LC__ID_TEXT];
	char user_domain_id[LC__ID_TEXT];
	char project_id[LC__ID_TEXT];    /* project scope */
	char domain_id[LC__ID_TEXT];     /* domain scope, or the project's domain */
	int64_t issued_us, expires_us;
	char audit_id[LC__AUDIT_TEXT];
	char *token;
	size_t nroles;
	struct lc__session_role *roles;
	unsigned int rolebits;           /* lc__rolebits, implied roles included */
};

/* Check a session given to a public call: not NULL, cloud opened, not expired. */
int lc__session_check(const lc_session *s);

/* 1 if the session is a cloud administrator (the admin role, or the system session). */
int lc__session_is_admin(const lc_session *s);

#endif
