/* Neutron floating IPs: list, create, show, update (associate), delete. */
#include "api/neutron/neutron.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

static const nt_attr fip_attrs[] = {
	{ "floating_network_id", NT_STR, NT_POST | NT_REQUIRED },
	{ "subnet_id", NT_STR_NULL, NT_POST },
	{ "floating_ip_address", NT_STR_NULL, NT_POST },
	{ "port_id", NT_STR_NULL, NT_POST | NT_PUT },
	{ "fixed_ip_address", NT_STR_NULL, NT_POST | NT_PUT },
	{ "description", NT_STR_NULL, NT_POST | NT_PUT },
	{ "project_id", NT_STR, NT_POST },
	{ "tenant_id", NT_STR, NT_POST },
	{ "tags", NT_LIST, NT_POST | NT_PUT },
	{ "dns_domain", NT_STR, NT_POST | NT_IGNORED },
	{ "dns_name", NT_STR, NT_POST | NT_IGNORED },
	{ "qos_policy_id", NT_STR_NULL, NT_POST | NT_PUT | NT_IGNORED },
};
#define NATTRS (sizeof(fip_attrs) / sizeof(fip_attrs[0]))

LC__API_RESOURCE_CALLS(floating_ip)
NT_TAG_CALLS(floating_ip, LC_FLOATING_IP_OPTS_INIT)

static int attr(const void *obj, const char *name, char buf[64], const char **out)
{
	const lc_floating_ip *f = obj;

	if (!strcmp(name, "id"))
		*out = f ? lc_floating_ip_id(f) : NULL;
	else if (!strcmp(name, "description"))
		*out = f ? lc_floating_ip_description(f) : NULL;
	else if (!strcmp(name, "project_id") || !strcmp(name, "tenant_id"))
		*out = f ? lc_floating_ip_project_id(f) : NULL;
	else if (!strcmp(name, "floating_network_id"))
		*out = f ? lc_floating_ip_network_id(f) : NULL;
	else if (!strcmp(name, "subnet_id"))
		*out = f ? lc_floating_ip_subnet_id(f) : NULL;
	else if (!strcmp(name, "floating_ip_address"))
		*out = f ? lc_floating_ip_address(f) : NULL;
	else if (!strcmp(name, "port_id"))
		*out = f ? lc_floating_ip_port_id(f) : NULL;
	else if (!strcmp(name, "fixed_ip_address"))
		*out = f ? lc_floating_ip_fixed_ip_address(f) : NULL;
	else if (!strcmp(name, "router_id"))
		*out = f ? lc_floating_ip_router_id(f) : NULL;
	else if (!strcmp(name, "status"))
		*out = f ? lc_floating_ip_status(f) : NULL;
	else if (!strcmp(name, "revision_number")) {
		snprintf(buf, 64, "%lld", (long long)(f ? lc_floating_ip_revision(f) : 0));
		*out = buf;
	} else
		return 0;
	return 1;
}

static void gen(nt_out *o, const void *obj)
{
	const lc_floating_ip *f = obj;

	nt_common(o, lc_floating_ip_id(f), lc_floating_ip_project_id(f), lc_floating_ip_created_at(f),
		  lc_floating_ip_updated_at(f), lc_floating_ip_revision(f));
	nt_kstr(o, "description", lc_floating_ip_description(f));
	nt_kstr(o, "floating_network_id", lc_floating_ip_network_id(f));
	nt_kstr(o, "floating_ip_address", lc_floating_ip_address(f));
	nt_kstr(o, "fixed_ip_address", lc_floating_ip_fixed_ip_address(f));
	nt_kstr(o, "port_id", lc_floating_ip_port_id(f));
	nt_kstr(o, "router_id", lc_floating_ip_router_id(f));
	nt_kstr(o, "status", lc_floating_ip_status(f));
	nt_knull(o, "port_details");
	nt_kstr(o, "dns_domain", "");
	nt_kstr(o, "dns_name", "");
	nt_knull(o, "qos_policy_id");
	nt_kempty_list(o, "port_forwardings");
	nt_tags(o, lc_floating_ip_tag_count(f), floating_ip_tag_any, f);
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

int nt_fip_create(lc__api_ctx *x)
{
	const lc__json *o = nt_body(x, "floatingip", fip_attrs, NATTRS, 1);
	lc_floating_ip_opts opts = LC_FLOATING_IP_OPTS_INIT;
	lc_floating_ip *f = NULL;
	int rc;

	if (o == NULL || nt_project(x, o, &opts.project_id) != 0 || nt_strv(x, o, "tags", &opts.tags) != 0)
		return 0;
	opts.floating_network_id = nt_str(o, "floating_network_id");
	opts.subnet_id = nonempty(nt_str(o, "subnet_id"));
	opts.floating_ip_address = nonempty(nt_str(o, "floating_ip_address"));
	opts.port_id = nonempty(nt_str(o, "port_id"));
	opts.fixed_ip_address = nonempty(nt_str(o, "fixed_ip_address"));
	opts.description = nt_str(o, "description");
	rc = lc_floating_ip_create(&f, x->session, &opts);
	if (rc == LC_EINVALID && strstr(lc_error_last()->message, "floating_network_id is not a valid id"))
		return nt_lookup_rc(rc, "network", opts.floating_network_id);
	if (rc < 0)
		return rc;
	return nt_reply(x, &nt_fip_kind, f, 201);
}

/* An update's body into opts. */
static int update_fill(lc__api_ctx *x, const lc__json *o, lc_floating_ip_opts *opts, int create)
{
	(void)create;
	if (nt_strv(x, o, "tags", &opts->tags) != 0)
		return 1;
	opts->port_id = nt_str(o, "port_id"); /* null: "" disassociates */
	opts->fixed_ip_address = nonempty(nt_str(o, "fixed_ip_address"));
	opts->description = nt_str(o, "description");
	return 0;
}

NT_UPDATE_CALL(floating_ip, update_fill, LC_FLOATING_IP_OPTS_INIT)

const nt_kind nt_fip_kind = {
	.one = "floatingip",
	.coll = "floatingips",
	.path = "/network/v2.0/floatingips",
	LC__API_CALLS(floating_ip),
	.attr = attr,
	.gen = gen,
	NT_TAGS(floating_ip),
	.attrs = fip_attrs,
	.nattrs = NATTRS,
	.update = floating_ip_update_any,
};

NT_KIND_HANDLERS(fip, nt_fip_kind)
int nt_fip_update(lc__api_ctx *x) { return nt_update(x, &nt_fip_kind); }
