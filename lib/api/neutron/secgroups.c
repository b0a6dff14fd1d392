/* Neutron security groups and security group rules. */
#include "api/neutron/neutron.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static const nt_attr sg_attrs[] = {
	{ "name", NT_STR, NT_POST | NT_PUT },
	{ "description", NT_STR_NULL, NT_POST | NT_PUT },
	{ "stateful", NT_BOOL, NT_POST | NT_PUT },
	{ "project_id", NT_STR, NT_POST },
	{ "tenant_id", NT_STR, NT_POST },
	{ "tags", NT_LIST, NT_POST | NT_PUT },
	{ "shared", NT_BOOL, NT_POST | NT_IGNORED },
};

static const nt_attr rule_attrs[] = {
	{ "security_group_id", NT_STR, NT_POST | NT_REQUIRED },
	{ "direction", NT_STR, NT_POST | NT_REQUIRED },
	{ "ethertype", NT_STR, NT_POST },
	{ "protocol", NT_ANY, NT_POST },
	{ "port_range_min", NT_INT_NULL, NT_POST },
	{ "port_range_max", NT_INT_NULL, NT_POST },
	{ "remote_ip_prefix", NT_STR_NULL, NT_POST },
	{ "remote_group_id", NT_STR_NULL, NT_POST },
	{ "remote_address_group_id", NT_STR_NULL, NT_POST },
	{ "description", NT_STR_NULL, NT_POST },
	{ "project_id", NT_STR, NT_POST },
	{ "tenant_id", NT_STR, NT_POST },
};
#define NRULE (sizeof(rule_attrs) / sizeof(rule_attrs[0]))

/* ---- rules ---- */

LC__API_RESOURCE_CALLS(security_group_rule)

static int rule_attr(const void *obj, const char *name, char buf[64], const char **out)
{
	const lc_security_group_rule *r = obj;

	if (!strcmp(name, "id"))
		*out = r ? lc_security_group_rule_id(r) : NULL;
	else if (!strcmp(name, "description"))
		*out = r ? lc_security_group_rule_description(r) : NULL;
	else if (!strcmp(name, "project_id") || !strcmp(name, "tenant_id"))
		*out = r ? lc_security_group_rule_project_id(r) : NULL;
	else if (!strcmp(name, "security_group_id"))
		*out = r ? lc_security_group_rule_group_id(r) : NULL;
	else if (!strcmp(name, "direction"))
		*out = r ? lc_security_group_rule_direction(r) : NULL;
	else if (!strcmp(name, "ethertype"))
		*out = r ? lc_security_group_rule_ethertype(r) : NULL;
	else if (!strcmp(name, "protocol"))
		*out = r ? lc_security_group_rule_protocol(r) : NULL;
	else if (!strcmp(name, "remote_ip_prefix"))
		*out = r ? lc_security_group_rule_remote_ip_prefix(r) : NULL;
	else if (!strcmp(name, "remote_group_id"))
		*out = r ? lc_security_group_rule_remote_group_id(r) : NULL;
	else if (!strcmp(name, "port_range_min") || !strcmp(name, "port_range_max")) {
		int v = !r ? 0 : !strcmp(name, "port_range_min") ? lc_security_group_rule_port_range_min(r)
								 : lc_security_group_rule_port_range_max(r);

		snprintf(buf, 64, "%d", v);
		*out = v == LC_UNSET ? NULL : buf;
	} else if (!strcmp(name, "revision_number")) {
		snprintf(buf, 64, "%lld", (long long)(r ? lc_security_group_rule_revision(r) : 0));
		*out = buf;
	} else
		return 0;
	return 1;
}

static void gen_rule(nt_out *o, const void *obj)
{
	const lc_security_group_rule *r = obj;
	const char *prefix = lc_security_group_rule_remote_ip_prefix(r);

	nt_common(o, lc_security_group_rule_id(r), lc_security_group_rule_project_id(r),
		  lc_security_group_rule_created_at(r), lc_security_group_rule_created_at(r),
		  lc_security_group_rule_revision(r));
	nt_kstr(o, "security_group_id", lc_security_group_rule_group_id(r));
	nt_kstr(o, "direction", lc_security_group_rule_direction(r));
	nt_kstr(o, "ethertype", lc_security_group_rule_ethertype(r));
	nt_kstr(o, "protocol", lc_security_group_rule_protocol(r));
	if (lc_security_group_rule_port_range_min(r) == LC_UNSET)
		nt_knull(o, "port_range_min");
	else
		nt_kint(o, "port_range_min", lc_security_group_rule_port_range_min(r));
	if (lc_security_group_rule_port_range_max(r) == LC_UNSET)
		nt_knull(o, "port_range_max");
	else
		nt_kint(o, "port_range_max", lc_security_group_rule_port_range_max(r));
	nt_kstr(o, "remote_ip_prefix", prefix);
	nt_kstr(o, "normalized_cidr", prefix);
	nt_kstr(o, "remote_group_id", lc_security_group_rule_remote_group_id(r));
	nt_knull(o, "remote_address_group_id");
	nt_kstr(o, "description", lc_security_group_rule_description(r));
	nt_kempty_list(o, "tags");
}

const nt_kind nt_rule_kind = {
	.one = "security_group_rule",
	.coll = "security_group_rules",
	.path = "/network/v2.0/security-group-rules",
	LC__API_CALLS(security_group_rule),
	.attr = rule_attr,
	.gen = gen_rule,
	.what = "security group rule",
};

NT_KIND_HANDLERS(rule, nt_rule_kind)

int nt_rule_create(lc__api_ctx *x)
{
	const lc__json *o = nt_body(x, "security_group_rule", rule_attrs, NRULE, 1), *proto;
	lc_security_group_rule_opts opts = LC_SECURITY_GROUP_RULE_OPTS_INIT;
	lc_security_group_rule *r = NULL;
	const char *rag;
	int rc;

	if (o == NULL || nt_project(x, o, &opts.project_id) != 0)
		return 0;
	rag = nt_str(o, "remote_address_group_id");
	if (rag && *rag) {
		lc__api_error(x, 400, "Address groups are not supported");
		return 0;
	}
	proto = lc__json_get(o, "protocol");
	if (proto && proto->type == LC__J_INT)
		opts.protocol = lc__arena_printf(x->arena, "%lld", (long long)proto->i);
	else if (proto && proto->type == LC__J_STRING)
		opts.protocol = proto->s;
	else if (proto && proto->type != LC__J_NULL) {
		lc__api_error(x, 400, "Invalid input for protocol. Reason: %s is not a string or an integer.",
			      lc__json_type_name(proto->type));
		return 0;
	}
	opts.security_group_id = nt_str(o, "security_group_id");
	opts.direction = nt_str(o, "direction");
	opts.ethertype = nt_str(o, "ethertype");
	if (nt_has(o, "port_range_min") && lc__json_get(o, "port_range_min")->type != LC__J_NULL)
		opts.port_range_min = (int)nt_int(o, "port_range_min", LC_UNSET);
	if (nt_has(o, "port_range_max") && lc__json_get(o, "port_range_max")->type != LC__J_NULL)
		opts.port_range_max = (int)nt_int(o, "port_range_max", LC_UNSET);
	if ((nt_int(o, "port_range_min", 0) < -2147483647 || nt_int(o, "port_range_min", 0) > 2147483647) ||
	    (nt_int(o, "port_range_max", 0) < -2147483647 || nt_int(o, "port_range_max", 0) > 2147483647)) {
		lc__api_error(x, 400, "Invalid value for port: out of range");
		return 0;
	}
	opts.remote_ip_prefix = nt_str(o, "remote_ip_prefix");
	if (opts.remote_ip_prefix && *opts.remote_ip_prefix == '\0')
		opts.remote_ip_prefix = NULL;
	opts.remote_group_id = nt_str(o, "remote_group_id");
	if (opts.remote_group_id && *opts.remote_group_id == '\0')
		opts.remote_group_id = NULL;
	opts.description = nt_str(o, "description");
	rc = lc_security_group_rule_create(&r, x->session, &opts);
	if (rc == LC_EINVALID && strstr(lc_error_last()->message, "security_group_id is not a valid id"))
		return nt_lookup_rc(rc, "security group", opts.security_group_id);
	if (rc < 0)
		return rc;
	return nt_reply(x, &nt_rule_kind, r, 201);
}

/* ---- groups ---- */

LC__API_RESOURCE_CALLS(security_group)
NT_TAG_CALLS(security_group, LC_SECURITY_GROUP_OPTS_INIT)

static int sg_attr(const void *obj, const char *name, char buf[64], const char **out)
{
	const lc_security_group *g = obj;

	if (!strcmp(name, "id"))
		*out = g ? lc_security_group_id(g) : NULL;
	else if (!strcmp(name, "name"))
		*out = g ? lc_security_group_name(g) : NULL;
	else if (!strcmp(name, "description"))
		*out = g ? lc_security_group_description(g) : NULL;
	else if (!strcmp(name, "project_id") || !strcmp(name, "tenant_id"))
		*out = g ? lc_security_group_project_id(g) : NULL;
	else if (!strcmp(name, "stateful"))
		*out = g ? nt_booltext(lc_security_group_stateful(g)) : NULL;
	else if (!strcmp(name, "shared"))
		*out = "false";
	else if (!strcmp(name, "revision_number")) {
		snprintf(buf, 64, "%lld", (long long)(g ? lc_security_group_revision(g) : 0));
		*out = buf;
	} else
		return 0;
	return 1;
}

static void gen_sg(nt_out *o, const void *obj)
{
	const lc_security_group *g = obj;

	nt_common(o, lc_security_group_id(g), lc_security_group_project_id(g), lc_security_group_created_at(g),
		  lc_security_group_updated_at(g), lc_security_group_revision(g));
	nt_kstr(o, "name", lc_security_group_name(g));
	nt_kstr(o, "description", lc_security_group_description(g));
	nt_kbool(o, "stateful", lc_security_group_stateful(g));
	nt_kbool(o, "shared", 0);
	if (nt_klist(o, "security_group_rules")) {
		const char *f[] = { "security_group_id", lc_security_group_id(g), NULL };
		lc_list_opts lo = LC_LIST_OPTS_INIT;
		lc_security_group_rule_iter *it = NULL;
		lc_security_group_rule *r = NULL;
		nt_out all = { o->x, o->g, NULL, 0 };

		lo.filters = f;
		if (lc_security_group_rule_iter_new(&it, o->x->session, &lo) == 0) {
			while (lc_security_group_rule_iter_next(&r, it) == 0) {
				yajl_gen_map_open(o->g);
				gen_rule(&all, r);
				yajl_gen_map_close(o->g);
				lc_security_group_rule_free(r);
			}
		}
		lc_security_group_rule_iter_free(it);
		lc__gen_end_array(o->g);
	}
	nt_tags(o, lc_security_group_tag_count(g), security_group_tag_any, g);
}

/* The body into opts; on create also the project. */
static int sg_fill(lc__api_ctx *x, const lc__json *o, lc_security_group_opts *opts, int create)
{
	if ((create && nt_project(x, o, &opts->project_id) != 0) || nt_strv(x, o, "tags", &opts->tags) != 0)
		return 1;
	opts->name = nt_str(o, "name");
	opts->description = nt_str(o, "description");
	opts->stateful = nt_bool(o, "stateful");
	return 0;
}

NT_WRITE_CALLS(security_group, sg_fill, LC_SECURITY_GROUP_OPTS_INIT)

const nt_kind nt_sg_kind = {
	.one = "security_group",
	.coll = "security_groups",
	.path = "/network/v2.0/security-groups",
	LC__API_CALLS(security_group),
	.attr = sg_attr,
	.gen = gen_sg,
	NT_TAGS(security_group),
	.what = "security group",
	NT_WRITES(security_group, sg_attrs),
};

NT_KIND_HANDLERS(sg, nt_sg_kind)
NT_WRITE_HANDLERS(sg, nt_sg_kind)
