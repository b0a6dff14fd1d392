/* Neutron ports: list, create, show, update, delete. */
#include "api/neutron/neutron.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

static const nt_attr port_attrs[] = {
	{ "name", NT_STR, NT_POST | NT_PUT },
	{ "description", NT_STR_NULL, NT_POST | NT_PUT },
	{ "network_id", NT_STR, NT_POST | NT_REQUIRED },
	{ "admin_state_up", NT_BOOL, NT_POST | NT_PUT },
	{ "mac_address", NT_STR, NT_POST | NT_PUT },
	{ "fixed_ips", NT_LIST, NT_POST | NT_PUT },
	{ "device_id", NT_STR_NULL, NT_POST | NT_PUT },
	{ "device_owner", NT_STR_NULL, NT_POST | NT_PUT },
	{ "security_groups", NT_ANY, NT_POST | NT_PUT },
	{ "allowed_address_pairs", NT_LIST, NT_POST | NT_PUT },
	{ "port_security_enabled", NT_BOOL, NT_POST | NT_PUT },
	{ "binding:host_id", NT_STR_NULL, NT_POST | NT_PUT },
	{ "binding:vnic_type", NT_STR, NT_POST | NT_PUT },
	{ "binding:profile", NT_ANY, NT_POST | NT_PUT | NT_IGNORED },
	{ "project_id", NT_STR, NT_POST },
	{ "tenant_id", NT_STR, NT_POST },
	{ "tags", NT_LIST, NT_POST | NT_PUT },
	{ "extra_dhcp_opts", NT_LIST, NT_POST | NT_PUT | NT_IGNORED },
	{ "dns_name", NT_STR_NULL, NT_POST | NT_PUT | NT_IGNORED },
	{ "qos_policy_id", NT_STR_NULL, NT_POST | NT_PUT | NT_IGNORED },
	{ "propagate_uplink_status", NT_BOOL, NT_POST | NT_PUT | NT_IGNORED },
};

LC__API_RESOURCE_CALLS(port)
NT_TAG_CALLS(port, LC_PORT_OPTS_INIT)

static int attr(const void *obj, const char *name, char buf[64], const char **out)
{
	const lc_port *p = obj;

	if (!strcmp(name, "id"))
		*out = p ? lc_port_id(p) : NULL;
	else if (!strcmp(name, "name"))
		*out = p ? lc_port_name(p) : NULL;
	else if (!strcmp(name, "description"))
		*out = p ? lc_port_description(p) : NULL;
	else if (!strcmp(name, "project_id") || !strcmp(name, "tenant_id"))
		*out = p ? lc_port_project_id(p) : NULL;
	else if (!strcmp(name, "network_id"))
		*out = p ? lc_port_network_id(p) : NULL;
	else if (!strcmp(name, "status"))
		*out = p ? lc_port_status(p) : NULL;
	else if (!strcmp(name, "admin_state_up"))
		*out = p ? nt_booltext(lc_port_admin_state_up(p)) : NULL;
	else if (!strcmp(name, "port_security_enabled"))
		*out = p ? nt_booltext(lc_port_port_security_enabled(p)) : NULL;
	else if (!strcmp(name, "mac_address"))
		*out = p ? lc_port_mac_address(p) : NULL;
	else if (!strcmp(name, "device_id"))
		*out = p ? lc_port_device_id(p) : NULL;
	else if (!strcmp(name, "device_owner"))
		*out = p ? lc_port_device_owner(p) : NULL;
	else if (!strcmp(name, "binding:host_id"))
		*out = p ? lc_port_binding_host_id(p) : NULL;
	else if (!strcmp(name, "binding:vnic_type"))
		*out = p ? lc_port_binding_vnic_type(p) : NULL;
	else if (!strcmp(name, "revision_number")) {
		snprintf(buf, 64, "%lld", (long long)(p ? lc_port_revision(p) : 0));
		*out = buf;
	} else
		return 0;
	return 1;
}

static void gen(nt_out *o, const void *obj)
{
	const lc_port *p = obj;

	nt_common(o, lc_port_id(p), lc_port_project_id(p), lc_port_created_at(p), lc_port_updated_at(p),
		  lc_port_revision(p));
	nt_kstr(o, "name", lc_port_name(p));
	nt_kstr(o, "description", lc_port_description(p));
	nt_kstr(o, "network_id", lc_port_network_id(p));
	nt_kbool(o, "admin_state_up", lc_port_admin_state_up(p));
	nt_kstr(o, "status", lc_port_status(p));
	nt_kstr(o, "mac_address", lc_port_mac_address(p));
	if (nt_klist(o, "fixed_ips")) {
		for (size_t i = 0; i < lc_port_fixed_ip_count(p); i++) {
			yajl_gen_map_open(o->g);
			lc__gen_kstr(o->g, "subnet_id", lc_port_fixed_ip_subnet_id(p, i));
			lc__gen_kstr(o->g, "ip_address", lc_port_fixed_ip_address(p, i));
			yajl_gen_map_close(o->g);
		}
		lc__gen_end_array(o->g);
	}
	nt_kstr(o, "device_id", lc_port_device_id(p));
	nt_kstr(o, "device_owner", lc_port_device_owner(p));
	if (nt_klist(o, "security_groups")) {
		for (size_t i = 0; i < lc_port_security_group_count(p); i++)
			lc__gen_str(o->g, lc_port_security_group_id(p, i));
		lc__gen_end_array(o->g);
	}
	if (nt_klist(o, "allowed_address_pairs")) {
		for (size_t i = 0; i < lc_port_address_pair_count(p); i++) {
			yajl_gen_map_open(o->g);
			lc__gen_kstr(o->g, "ip_address", lc_port_address_pair_ip(p, i));
			lc__gen_kstr(o->g, "mac_address", lc_port_address_pair_mac(p, i));
			yajl_gen_map_close(o->g);
		}
		lc__gen_end_array(o->g);
	}
	nt_kbool(o, "port_security_enabled", lc_port_port_security_enabled(p));
	nt_kstr(o, "binding:host_id", lc_port_binding_host_id(p));
	nt_kstr(o, "binding:vnic_type", lc_port_binding_vnic_type(p));
	nt_kstr(o, "binding:vif_type", lc_port_binding_vif_type(p));
	nt_kempty_map(o, "binding:vif_details");
	nt_kempty_map(o, "binding:profile");
	nt_kempty_list(o, "extra_dhcp_opts");
	nt_kstr(o, "dns_name", "");
	nt_kempty_list(o, "dns_assignment");
	nt_knull(o, "qos_policy_id");
	nt_kbool(o, "propagate_uplink_status", 0);
	nt_tags(o, lc_port_tag_count(p), port_tag_any, p);
}

/* fixed_ips=ip_address=A, fixed_ips=subnet_id=S, fixed_ips=ip_address_substr=P (repeated: OR). */
static int match(const void *obj, const char *key, const char *value)
{
	const lc_port *p = obj;
	const char *eq;

	if (strcmp(key, "fixed_ips") != 0)
		return -1;
	if (p == NULL)
		return 0;
	eq = value ? strchr(value, '=') : NULL;
	if (eq == NULL)
		return 0;
	for (size_t i = 0; i < lc_port_fixed_ip_count(p); i++) {
		size_t kl = (size_t)(eq - value);

		if (kl == 10 && strncmp(value, "ip_address", kl) == 0 && strcmp(lc_port_fixed_ip_address(p, i), eq + 1) == 0)
			return 1;
		if (kl == 9 && strncmp(value, "subnet_id", kl) == 0 && strcmp(lc_port_fixed_ip_subnet_id(p, i), eq + 1) == 0)
			return 1;
		if (kl == 17 && strncmp(value, "ip_address_substr", kl) == 0 &&
		    strstr(lc_port_fixed_ip_address(p, i), eq + 1) != NULL)
			return 1;
	}
	return 0;
}

/* The body into opts; on create also the project and the create-only defaults. */
static int fill(lc__api_ctx *x, const lc__json *o, lc_port_opts *opts, int create)
{
	const lc__json *sg = lc__json_get(o, "security_groups");

	opts->name = nt_str(o, "name");
	opts->description = nt_str(o, "description");
	opts->network_id = nt_str(o, "network_id");
	opts->admin_state_up = nt_bool(o, "admin_state_up");
	opts->mac_address = nt_str(o, "mac_address");
	opts->device_id = nt_str(o, "device_id");
	opts->device_owner = nt_str(o, "device_owner");
	opts->port_security_enabled = nt_bool(o, "port_security_enabled");
	opts->binding_host_id = nt_str(o, "binding:host_id");
	opts->binding_vnic_type = nt_str(o, "binding:vnic_type");
	if (sg && sg->type != LC__J_ARRAY && sg->type != LC__J_NULL) {
		lc__api_error(x, 400, "Invalid input for security_groups. Reason: %s is not a list.",
			      lc__json_type_name(sg->type));
		return 1;
	}
	if (nt_pairs(x, o, "fixed_ips", "subnet_id", "ip_address", &opts->fixed_ips) != 0 ||
	    nt_pairs(x, o, "allowed_address_pairs", "ip_address", "mac_address", &opts->allowed_address_pairs) != 0 ||
	    nt_strv(x, o, "security_groups", &opts->security_groups) != 0)
		return 1;
	if (nt_strv(x, o, "tags", &opts->tags) != 0 || (create && nt_project(x, o, &opts->project_id) != 0))
		return 1;
	if (create && opts->device_id && *opts->device_id == '\0')
		opts->device_id = NULL;
	if (create && opts->device_owner && *opts->device_owner == '\0')
		opts->device_owner = NULL;
	return 0;
}

NT_WRITE_CALLS(port, fill, LC_PORT_OPTS_INIT)

const nt_kind nt_port_kind = {
	.one = "port",
	.coll = "ports",
	.path = "/network/v2.0/ports",
	LC__API_CALLS(port),
	.attr = attr,
	.gen = gen,
	NT_TAGS(port),
	NT_WRITES(port, port_attrs),
	.match = match,
};

NT_KIND_HANDLERS(port, nt_port_kind)
NT_WRITE_HANDLERS(port, nt_port_kind)
