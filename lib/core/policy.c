/* The policy table and its enforcement. */
#include "core/policy.h"

#include <string.h>

#include "core/error.h"
#include "core/session.h"

static const lc__policy_entry policy_table[] = {
	{ "identity:create_domain", LC__RULE_ADMIN },
	{ "identity:get_domain", LC__RULE_AUTHENTICATED },
	{ "identity:list_domains", LC__RULE_AUTHENTICATED },
	{ "identity:update_domain", LC__RULE_ADMIN },
	{ "identity:delete_domain", LC__RULE_ADMIN },
	{ "identity:create_project", LC__RULE_ADMIN },
	{ "identity:get_project", LC__RULE_PROJECT_READER },
	{ "identity:list_projects", LC__RULE_AUTHENTICATED },
	{ "identity:update_project", LC__RULE_ADMIN },
	{ "identity:delete_project", LC__RULE_ADMIN },
	{ "identity:create_user", LC__RULE_ADMIN },
	{ "identity:get_user", LC__RULE_ADMIN_OR_USER },
	{ "identity:list_users", LC__RULE_ADMIN },
	{ "identity:update_user", LC__RULE_ADMIN },
	{ "identity:delete_user", LC__RULE_ADMIN },
	{ "identity:change_password", LC__RULE_ADMIN_OR_USER },
	{ "identity:list_user_projects", LC__RULE_ADMIN_OR_USER },
	{ "identity:create_role", LC__RULE_ADMIN },
	{ "identity:get_role", LC__RULE_AUTHENTICATED },
	{ "identity:list_roles", LC__RULE_AUTHENTICATED },
	{ "identity:update_role", LC__RULE_ADMIN },
	{ "identity:delete_role", LC__RULE_ADMIN },
	{ "identity:create_grant", LC__RULE_ADMIN },
	{ "identity:revoke_grant", LC__RULE_ADMIN },
	{ "identity:check_grant", LC__RULE_ADMIN },
	{ "identity:list_role_assignments", LC__RULE_AUTHENTICATED },
	{ "identity:validate_token", LC__RULE_AUTHENTICATED },
	{ "identity:revoke_token", LC__RULE_ADMIN_OR_USER },
	{ "identity:rotate_token_keys", LC__RULE_ADMIN },
	{ "quota:get", LC__RULE_PROJECT_READER },
	{ "quota:update", LC__RULE_ADMIN },
	{ "event:list", LC__RULE_ADMIN },
	{ "image:add_image", LC__RULE_PROJECT_MEMBER },
	{ "image:get_image", LC__RULE_AUTHENTICATED },
	{ "image:get_images", LC__RULE_AUTHENTICATED },
	{ "image:modify_image", LC__RULE_PROJECT_MEMBER },
	{ "image:delete_image", LC__RULE_PROJECT_MEMBER },
	{ "image:publicize_image", LC__RULE_ADMIN },
	{ "image:communitize_image", LC__RULE_PROJECT_MEMBER },
	{ "image:upload_image", LC__RULE_PROJECT_MEMBER },
	{ "image:download_image", LC__RULE_AUTHENTICATED },
	{ "image:import_image", LC__RULE_PROJECT_MEMBER },
	{ "image:deactivate", LC__RULE_ADMIN },
	{ "image:reactivate", LC__RULE_ADMIN },
	{ "image:add_member", LC__RULE_PROJECT_MEMBER },
	{ "image:get_member", LC__RULE_AUTHENTICATED },
	{ "image:get_members", LC__RULE_AUTHENTICATED },
	{ "image:modify_member", LC__RULE_AUTHENTICATED },
	{ "image:delete_member", LC__RULE_PROJECT_MEMBER },
};

const lc__policy_entry *lc__policy_table(size_t *n)
{
	*n = sizeof(policy_table) / sizeof(policy_table[0]);
	return policy_table;
}

int lc__policy_rule(const char *op)
{
	for (size_t i = 0; i < sizeof(policy_table) / sizeof(policy_table[0]); i++)
		if (strcmp(policy_table[i].op, op) == 0)
			return (int)policy_table[i].rule;
	return 0;
}

static int in_project(const lc_session *s, const char *project_id, unsigned int bit)
{
	return project_id && s->scope == LC_SCOPE_PROJECT && strcmp(s->project_id, project_id) == 0 &&
	       (s->rolebits & bit);
}

int lc__policy_allows(const lc_session *s, const char *op, const char *project_id, const char *user_id)
{
	int rule = op ? lc__policy_rule(op) : 0;

	if (rule == 0)
		return 0;
	if (lc__session_is_admin(s))
		return 1;
	switch (rule) {
	case LC__RULE_PROJECT_READER: return in_project(s, project_id, LC__ROLE_READER);
	case LC__RULE_PROJECT_MEMBER: return in_project(s, project_id, LC__ROLE_MEMBER);
	case LC__RULE_ADMIN_OR_USER: return user_id && !s->system && strcmp(s->user_id, user_id) == 0;
	case LC__RULE_AUTHENTICATED: return 1;
	default: return 0;
	}
}

int lc__policy_enforce(const lc_session *s, const char *op, const char *project_id, const char *user_id)
{
	if (lc__policy_allows(s, op, project_id, user_id))
		return 0;
	return lc__error_set(LC_EFORBIDDEN, "policy does not allow %s for this session", op ? op : "(null)");
}
