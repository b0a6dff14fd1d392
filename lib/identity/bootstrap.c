/* Bootstrap, as keystone-manage bootstrap: built-in roles, the admin project, user and grants. */
#include <libcloud/session.h>

#include <libcloud/domain.h>
#include <libcloud/project.h>
#include <libcloud/role.h>
#include <libcloud/user.h>
#include <string.h>

#include "core/error.h"
#include "core/resource.h"
#include "identity/identity.h"

LC__OPTS_INIT_FN(lc_bootstrap_opts_init, lc_bootstrap_opts, LC_BOOTSTRAP_OPTS_INIT, LC_BOOTSTRAP_OPTS_VERSION)

/* Create a role unless one with that name exists; its id goes to out. */
static int ensure_role(lc_session *s, const char *name, char out[LC__ID_TEXT])
{
	lc_role_opts o = LC_ROLE_OPTS_INIT;
	lc_role *r = NULL;
	int rc = lc_role_find(&r, s, name);

	if (rc == LC_ENOTFOUND) {
		o.name = name;
		rc = lc_role_create(&r, s, &o);
		if (rc == LC_EEXISTS) /* created meanwhile by another process */
			rc = lc_role_find(&r, s, name);
	}
	if (rc == 0)
		memcpy(out, lc_role_id(r), LC__ID_TEXT);
	lc_role_free(r);
	return rc;
}

static int ensure_project(lc_session *s, const char *name, char out[LC__ID_TEXT])
{
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *p = NULL;
	int rc = lc_project_find(&p, s, LC_DEFAULT_DOMAIN_ID, name);

	if (rc == LC_ENOTFOUND) {
		o.name = name;
		o.description = "Bootstrap project for initializing the cloud.";
		rc = lc_project_create(&p, s, &o);
		if (rc == LC_EEXISTS)
			rc = lc_project_find(&p, s, LC_DEFAULT_DOMAIN_ID, name);
	}
	if (rc == 0)
		memcpy(out, lc_project_id(p), LC__ID_TEXT);
	lc_project_free(p);
	return rc;
}

static int ensure_user(lc_session *s, const char *name, const char *password, const char *project,
		       char out[LC__ID_TEXT])
{
	lc_user_opts o = LC_USER_OPTS_INIT;
	lc_user *u = NULL;
	int rc = lc_user_find(&u, s, LC_DEFAULT_DOMAIN_ID, name);

	if (rc == LC_ENOTFOUND) {
		o.name = name;
		o.password = password;
		o.default_project_id = project;
		rc = lc_user_create(&u, s, &o);
		if (rc == LC_EEXISTS)
			rc = lc_user_find(&u, s, LC_DEFAULT_DOMAIN_ID, name);
	}
	if (rc == 0)
		memcpy(out, lc_user_id(u), LC__ID_TEXT);
	lc_user_free(u);
	return rc;
}

LC_EXTERN int lc_cloud_bootstrap(lc_cloud *c, const lc_bootstrap_opts *opts)
{
	static const char *const builtin[] = { "reader", "member", "admin" };
	char role[LC__ID_TEXT], admin_role[LC__ID_TEXT], project[LC__ID_TEXT], user[LC__ID_TEXT];
	lc_grant g = LC_GRANT_INIT;
	lc_session *s = NULL;
	int rc;

	lc__error_clear();
	LC_TRY(lc__cloud_check(c));
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION(opts, LC_BOOTSTRAP_OPTS_VERSION);
	LC_CHECK_ARG(opts->admin_password != NULL && *opts->admin_password != '\0', "admin_password is required");
	LC_TRY(lc_session_system(&s, c));
	rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof(builtin) / sizeof(builtin[0]); i++)
		rc = ensure_role(s, builtin[i], role);
	if (rc == 0)
		rc = ensure_role(s, opts->admin_role ? opts->admin_role : "admin", admin_role);
	if (rc == 0)
		rc = ensure_project(s, opts->admin_project ? opts->admin_project : "admin", project);
	if (rc == 0)
		rc = ensure_user(s, opts->admin_user ? opts->admin_user : "admin", opts->admin_password, project, user);
	g.role_id = admin_role;
	g.user_id = user;
	if (rc == 0) {
		g.project_id = project;
		rc = lc_role_grant(s, &g);
	}
	if (rc == 0) {
		g.project_id = NULL;
		g.system = 1;
		rc = lc_role_grant(s, &g);
	}
	lc_session_free(s);
	return rc;
}
