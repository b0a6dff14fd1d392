/* Session checks shared by every entry point. */
#include "core/session.h"

#include "core/cloud.h"
#include "core/error.h"

int lc__session_check(const lc_session *s)
{
	if (s == NULL)
		return lc__error_set(LC_EINVALID, "invalid argument: session is NULL");
	LC_TRY(lc__cloud_check(s->cloud));
	if (!s->system && s->expires_us <= lc__now_us())
		return lc__error_set(LC_EAUTH, "the session's token has expired");
	return 0;
}

int lc__session_is_admin(const lc_session *s)
{
	return s->system || (s->rolebits & LC__ROLE_ADMIN);
}
