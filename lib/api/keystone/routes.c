/* Keystone v3: the route table. Every route names its policy rule. */
#include "api/keystone/keystone.h"

#define P "/v3/projects/{project_id}/users/{user_id}/roles"
#define D "/v3/domains/{domain_id}/users/{user_id}/roles"

static const lc__api_route routes[] = {
	{ "GET", "/", ks_root, LC__RULE_PUBLIC, LC__ROUTE_NOAUTH },
	{ "GET", "/v3", ks_v3, LC__RULE_PUBLIC, LC__ROUTE_NOAUTH },

	{ "POST", "/v3/auth/tokens", ks_token_issue, LC__RULE_PUBLIC, LC__ROUTE_NOAUTH },
	{ "GET", "/v3/auth/tokens", ks_token_validate, "identity:validate_token", 0 },
	{ "DELETE", "/v3/auth/tokens", ks_token_revoke, "identity:revoke_token", 0 },
	{ "GET", "/v3/auth/catalog", ks_auth_catalog, "identity:validate_token", 0 },
	{ "GET", "/v3/auth/projects", ks_auth_projects, "identity:list_role_assignments", 0 },
	{ "GET", "/v3/auth/domains", ks_auth_domains, "identity:list_role_assignments", 0 },

	{ "GET", "/v3/domains", ks_domain_list, "identity:list_domains", 0 },
	{ "POST", "/v3/domains", ks_domain_create, "identity:create_domain", 0 },
	{ "GET", "/v3/domains/{domain_id}", ks_domain_get, "identity:get_domain", 0 },
	{ "PATCH", "/v3/domains/{domain_id}", ks_domain_update, "identity:update_domain", 0 },
	{ "DELETE", "/v3/domains/{domain_id}", ks_domain_delete, "identity:delete_domain", 0 },

	{ "GET", "/v3/projects", ks_project_list, "identity:list_projects", 0 },
	{ "POST", "/v3/projects", ks_project_create, "identity:create_project", 0 },
	{ "GET", "/v3/projects/{project_id}", ks_project_get, "identity:get_project", 0 },
	{ "PATCH", "/v3/projects/{project_id}", ks_project_update, "identity:update_project", 0 },
	{ "DELETE", "/v3/projects/{project_id}", ks_project_delete, "identity:delete_project", 0 },

	{ "GET", "/v3/users", ks_user_list, "identity:list_users", 0 },
	{ "POST", "/v3/users", ks_user_create, "identity:create_user", 0 },
	{ "GET", "/v3/users/{user_id}", ks_user_get, "identity:get_user", 0 },
	{ "PATCH", "/v3/users/{user_id}", ks_user_update, "identity:update_user", 0 },
	{ "DELETE", "/v3/users/{user_id}", ks_user_delete, "identity:delete_user", 0 },
	{ "POST", "/v3/users/{user_id}/password", ks_user_password, "identity:change_password", 0 },
	{ "GET", "/v3/users/{user_id}/projects", ks_user_projects, "identity:list_user_projects", 0 },

	{ "GET", "/v3/roles", ks_role_list, "identity:list_roles", 0 },
	{ "POST", "/v3/roles", ks_role_create, "identity:create_role", 0 },
	{ "GET", "/v3/roles/{role_id}", ks_role_get, "identity:get_role", 0 },
	{ "PATCH", "/v3/roles/{role_id}", ks_role_update, "identity:update_role", 0 },
	{ "DELETE", "/v3/roles/{role_id}", ks_role_delete, "identity:delete_role", 0 },

	{ "GET", P, ks_grant_project_list, "identity:list_role_assignments", 0 },
	{ "PUT", P "/{role_id}", ks_grant_project_put, "identity:create_grant", 0 },
	{ "GET", P "/{role_id}", ks_grant_project_check, "identity:check_grant", 0 },
	{ "HEAD", P "/{role_id}", ks_grant_project_check, "identity:check_grant", 0 },
	{ "DELETE", P "/{role_id}", ks_grant_project_delete, "identity:revoke_grant", 0 },
	{ "GET", D, ks_grant_domain_list, "identity:list_role_assignments", 0 },
	{ "PUT", D "/{role_id}", ks_grant_domain_put, "identity:create_grant", 0 },
	{ "GET", D "/{role_id}", ks_grant_domain_check, "identity:check_grant", 0 },
	{ "HEAD", D "/{role_id}", ks_grant_domain_check, "identity:check_grant", 0 },
	{ "DELETE", D "/{role_id}", ks_grant_domain_delete, "identity:revoke_grant", 0 },

	{ "GET", "/v3/role_assignments", ks_role_assignments, "identity:list_role_assignments", 0 },
};

const lc__api_service lc__keystone_service = {
	.bit = LC_API_SERVICE_IDENTITY,
	.type = "identity",
	.name = "keystone",
	.first_segment = "v3",
	.url_suffix = "/v3",
	.style = LC__ERR_KEYSTONE,
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
};
