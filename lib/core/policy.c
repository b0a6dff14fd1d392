/* The policy table and its enforcement. */
#include "core/policy.h"

#include <pthread.h>
#include <stdlib.h>
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
	{ "network:create_network", LC__RULE_PROJECT_MEMBER },
	{ "network:create_network:shared", LC__RULE_ADMIN },
	{ "network:create_network:external", LC__RULE_ADMIN },
	{ "network:create_network:provider", LC__RULE_ADMIN },
	{ "network:get_network", LC__RULE_AUTHENTICATED },
	{ "network:update_network", LC__RULE_PROJECT_MEMBER },
	{ "network:update_network:shared", LC__RULE_ADMIN },
	{ "network:update_network:external", LC__RULE_ADMIN },
	{ "network:delete_network", LC__RULE_PROJECT_MEMBER },
	{ "network:create_subnet", LC__RULE_PROJECT_MEMBER },
	{ "network:get_subnet", LC__RULE_AUTHENTICATED },
	{ "network:update_subnet", LC__RULE_PROJECT_MEMBER },
	{ "network:delete_subnet", LC__RULE_PROJECT_MEMBER },
	{ "network:create_port", LC__RULE_PROJECT_MEMBER },
	{ "network:create_port:device_owner", LC__RULE_ADMIN },
	{ "network:create_port:binding", LC__RULE_ADMIN },
	{ "network:get_port", LC__RULE_PROJECT_READER },
	{ "network:list_ports", LC__RULE_AUTHENTICATED },
	{ "network:update_port", LC__RULE_PROJECT_MEMBER },
	{ "network:update_port:mac_address", LC__RULE_ADMIN },
	{ "network:delete_port", LC__RULE_PROJECT_MEMBER },
	{ "network:create_router", LC__RULE_PROJECT_MEMBER },
	{ "network:create_router:enable_snat", LC__RULE_ADMIN },
	{ "network:create_router:external_fixed_ips", LC__RULE_ADMIN },
	{ "network:get_router", LC__RULE_PROJECT_READER },
	{ "network:list_routers", LC__RULE_AUTHENTICATED },
	{ "network:update_router", LC__RULE_PROJECT_MEMBER },
	{ "network:delete_router", LC__RULE_PROJECT_MEMBER },
	{ "network:add_router_interface", LC__RULE_PROJECT_MEMBER },
	{ "network:remove_router_interface", LC__RULE_PROJECT_MEMBER },
	{ "network:create_floatingip", LC__RULE_PROJECT_MEMBER },
	{ "network:create_floatingip:floating_ip_address", LC__RULE_ADMIN },
	{ "network:get_floatingip", LC__RULE_PROJECT_READER },
	{ "network:list_floatingips", LC__RULE_AUTHENTICATED },
	{ "network:update_floatingip", LC__RULE_PROJECT_MEMBER },
	{ "network:delete_floatingip", LC__RULE_PROJECT_MEMBER },
	{ "network:create_security_group", LC__RULE_PROJECT_MEMBER },
	{ "network:get_security_group", LC__RULE_PROJECT_READER },
	{ "network:list_security_groups", LC__RULE_AUTHENTICATED },
	{ "network:update_security_group", LC__RULE_PROJECT_MEMBER },
	{ "network:delete_security_group", LC__RULE_PROJECT_MEMBER },
	{ "network:create_security_group_rule", LC__RULE_PROJECT_MEMBER },
	{ "network:get_security_group_rule", LC__RULE_PROJECT_READER },
	{ "network:list_security_group_rules", LC__RULE_AUTHENTICATED },
	{ "network:delete_security_group_rule", LC__RULE_PROJECT_MEMBER },
	{ "network:get_extensions", LC__RULE_AUTHENTICATED },
	{ "compute:create_flavor", LC__RULE_ADMIN },
	{ "compute:get_flavor", LC__RULE_AUTHENTICATED },
	{ "compute:list_flavors", LC__RULE_AUTHENTICATED },
	{ "compute:update_flavor", LC__RULE_ADMIN },
	{ "compute:delete_flavor", LC__RULE_ADMIN },
	{ "compute:get_flavor_extra_specs", LC__RULE_AUTHENTICATED },
	{ "compute:set_flavor_extra_specs", LC__RULE_ADMIN },
	{ "compute:flavor_access", LC__RULE_ADMIN },
	{ "compute:create_keypair", LC__RULE_ADMIN_OR_USER },
	{ "compute:get_keypair", LC__RULE_ADMIN_OR_USER },
	{ "compute:list_keypairs", LC__RULE_AUTHENTICATED },
	{ "compute:delete_keypair", LC__RULE_ADMIN_OR_USER },
	{ "compute:create_host", LC__RULE_ADMIN },
	{ "compute:get_host", LC__RULE_ADMIN },
	{ "compute:list_hosts", LC__RULE_ADMIN },
	{ "compute:update_host", LC__RULE_ADMIN },
	{ "compute:delete_host", LC__RULE_ADMIN },
	{ "compute:configure_scheduler", LC__RULE_ADMIN },
	{ "compute:create_aggregate", LC__RULE_ADMIN },
	{ "compute:get_aggregate", LC__RULE_ADMIN },
	{ "compute:list_aggregates", LC__RULE_ADMIN },
	{ "compute:update_aggregate", LC__RULE_ADMIN },
	{ "compute:delete_aggregate", LC__RULE_ADMIN },
	{ "compute:list_availability_zones", LC__RULE_AUTHENTICATED },
	{ "compute:create_server_group", LC__RULE_PROJECT_MEMBER },
	{ "compute:get_server_group", LC__RULE_PROJECT_READER },
	{ "compute:list_server_groups", LC__RULE_AUTHENTICATED },
	{ "compute:delete_server_group", LC__RULE_PROJECT_MEMBER },
	{ "compute:create_server", LC__RULE_PROJECT_MEMBER },
	{ "compute:create_server:forced_host", LC__RULE_ADMIN },
	{ "compute:get_server", LC__RULE_PROJECT_READER },
	{ "compute:get_server:host", LC__RULE_ADMIN },
	{ "compute:list_servers", LC__RULE_AUTHENTICATED },
	{ "compute:list_servers:all_tenants", LC__RULE_ADMIN },
	{ "compute:update_server", LC__RULE_PROJECT_MEMBER },
	{ "compute:update_server_metadata", LC__RULE_PROJECT_MEMBER },
	{ "compute:delete_server", LC__RULE_PROJECT_MEMBER },
	{ "compute:stop_server", LC__RULE_PROJECT_MEMBER },
	{ "compute:start_server", LC__RULE_PROJECT_MEMBER },
	{ "compute:reboot_server", LC__RULE_PROJECT_MEMBER },
	{ "compute:pause_server", LC__RULE_PROJECT_MEMBER },
	{ "compute:unpause_server", LC__RULE_PROJECT_MEMBER },
	{ "compute:suspend_server", LC__RULE_PROJECT_MEMBER },
	{ "compute:resume_server", LC__RULE_PROJECT_MEMBER },
	{ "compute:resize_server", LC__RULE_PROJECT_MEMBER },
	{ "compute:confirm_resize", LC__RULE_PROJECT_MEMBER },
	{ "compute:revert_resize", LC__RULE_PROJECT_MEMBER },
	{ "compute:rebuild_server", LC__RULE_PROJECT_MEMBER },
	{ "compute:create_image", LC__RULE_PROJECT_MEMBER },
	{ "compute:list_instance_actions", LC__RULE_PROJECT_READER },
	{ "compute:get_limits", LC__RULE_AUTHENTICATED },
	{ "compute:list_services", LC__RULE_ADMIN },
	{ "compute:update_service", LC__RULE_ADMIN },
	{ "compute:get_quota", LC__RULE_PROJECT_READER },
	{ "compute:update_quota", LC__RULE_ADMIN },
};

const lc__policy_entry *lc__policy_table(size_t *n)
{
	*n = sizeof(policy_table) / sizeof(policy_table[0]);
	return policy_table;
}

#define NPOLICY (sizeof(policy_table) / sizeof(policy_table[0]))

/* The table's entries sorted by operation, built once, for a binary search on every call. */
static const lc__policy_entry *sorted[NPOLICY];
static pthread_once_t sorted_once = PTHREAD_ONCE_INIT;

static int cmp_entry(const void *a, const void *b)
{
	return strcmp((*(const lc__policy_entry *const *)a)->op, (*(const lc__policy_entry *const *)b)->op);
}

static void sort_table(void)
{
	for (size_t i = 0; i < NPOLICY; i++)
		sorted[i] = &policy_table[i];
	qsort(sorted, NPOLICY, sizeof(sorted[0]), cmp_entry);
}

int lc__policy_rule(const char *op)
{
	size_t lo = 0, hi = NPOLICY;

	pthread_once(&sorted_once, sort_table);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(op, sorted[mid]->op);

		if (c == 0)
			return (int)sorted[mid]->rule;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
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
