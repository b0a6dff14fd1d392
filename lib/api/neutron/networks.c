/* Neutron networks: list, create, show, update, delete. */
#include "api/neutron/neutron.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

static const nt_attr network_attrs[] = {
	{ "name", NT_STR, NT_POST | NT_PUT },
	{ "description", NT_STR_NULL, NT_POST | NT_PUT },
	{ "admin_state_up", NT_BOOL, NT_POST | NT_PUT },
	{ "shared", NT_BOOL, NT_POST | NT_PUT },
	{ "router:external", NT_BOOL, NT_POST | NT_PUT },
	{ "mtu", NT_INT, NT_POST | NT_PUT },
	{ "port_security_enabled", NT_BOOL, NT_POST | NT_PUT },
	{ "provider:network_type", NT_STR, NT_POST },
	{ "provider:physical_network", NT_STR_NULL, NT_POST },
	{ "provider:segmentation_id", NT_INT_NULL, NT_POST },
	{ "project_id", NT_STR, NT_POST },
	{ "tenant_id", NT_STR, NT_POST },
	{ "tags", NT_LIST, NT_POST | NT_PUT },
	{ "availability_zone_hints", NT_LIST, NT_POST | NT_IGNORED },
	{ "dns_domain", NT_STR, NT_POST | NT_PUT | NT_IGNORED },
	{ "is_default", NT_BOOL, NT_POST | NT_PUT | NT_IGNORED },
	{ "qos_policy_id", NT_STR_NULL, NT_POST | NT_PUT | NT_IGNORED },
};
#define NATTRS (sizeof(network_attrs) / sizeof(network_attrs[0]))

static int it_new(void **it, lc_session *s, const lc_list_opts *o)
{
	return lc_network_iter_new((lc_network_iter **)it, s, o);
}

static int it_next(void **obj, void *it)
{
	return lc_network_iter_next((lc_network **)obj, it);
}

static void it_free(void *it)
{
	lc_network_iter_free(it);
}

static void obj_free(void *obj)
{
	lc_network_free(obj);
}

static int get(void **obj, lc_session *s, const char *id)
{
	return lc_network_get((lc_network **)obj, s, id);
}

static const char *id_of(const void *obj)
{
	return lc_network_id(obj);
}

static const char *tag(const void *obj, size_t i)
{
	return lc_network_tag(obj, i);
}

static int attr(const void *obj, const char *name, char buf[64], const char **out)
{
	const lc_network *n = obj;

	if (!strcmp(name, "id"))
		*out = n ? lc_network_id(n) : NULL;
	else if (!strcmp(name, "name"))
		*out = n ? lc_network_name(n) : NULL;
	else if (!strcmp(name, "description"))
		*out = n ? lc_network_description(n) : NULL;
	else if (!strcmp(name, "project_id") || !strcmp(name, "tenant_id"))
		*out = n ? lc_network_project_id(n) : NULL;
	else if (!strcmp(name, "status"))
		*out = n ? lc_network_status(n) : NULL;
	else if (!strcmp(name, "admin_state_up"))
		*out = n ? nt_booltext(lc_network_admin_state_up(n)) : NULL;
	else if (!strcmp(name, "shared"))
		*out = n ? nt_booltext(lc_network_shared(n)) : NULL;
	else if (!strcmp(name, "router:external"))
		*out = n ? nt_booltext(lc_network_external(n)) : NULL;
	else if (!strcmp(name, "port_security_enabled"))
		*out = n ? nt_booltext(lc_network_port_security_enabled(n)) : NULL;
	else if (!strcmp(name, "provider:network_type"))
		*out = n ? lc_network_type(n) : NULL;
	else if (!strcmp(name, "provider:physical_network"))
		*out = n ? lc_network_physical_network(n) : NULL;
	else if (!strcmp(name, "mtu") || !strcmp(name, "provider:segmentation_id") || !strcmp(name, "revision_number")) {
		int64_t v = !n ? 0 : !strcmp(name, "mtu") ? lc_network_mtu(n)
				   : !strcmp(name, "revision_number") ? lc_network_revision(n) : lc_network_segmentation_id(n);

		snprintf(buf, 64, "%lld", (long long)v);
		*out = buf;
	} else
		return 0;
	return 1;
}

static void gen(nt_out *o, const void *obj)
{
	const lc_network *n = obj;
	size_t ns = lc_network_subnet_count(n);

	nt_common(o, lc_network_id(n), lc_network_project_id(n), lc_network_created_at(n), lc_network_updated_at(n),
		  lc_network_revision(n));
	nt_kstr(o, "name", lc_network_name(n));
	nt_kstr(o, "description", lc_network_description(n));
	nt_kbool(o, "admin_state_up", lc_network_admin_state_up(n));
	nt_kstr(o, "status", lc_network_status(n));
	nt_kbool(o, "shared", lc_network_shared(n));
	nt_kbool(o, "router:external", lc_network_external(n));
	nt_kint(o, "mtu", lc_network_mtu(n));
	nt_kbool(o, "port_security_enabled", lc_network_port_security_enabled(n));
	if (nt_klist(o, "subnets")) {
		for (size_t i = 0; i < ns; i++)
			lc__gen_str(o->g, lc_network_subnet_id(n, i));
		lc__gen_end_array(o->g);
	}
	if (nt_klist(o, "availability_zones")) {
		lc__gen_str(o->g, "nova");
		lc__gen_end_array(o->g);
	}
	nt_kempty_list(o, "availability_zone_hints");
	nt_knull(o, "ipv4_address_scope");
	nt_knull(o, "ipv6_address_scope");
	nt_kbool(o, "l2_adjacency", 1);
	nt_kbool(o, "is_default", 0);
	nt_kstr(o, "dns_domain", "");
	nt_knull(o, "qos_policy_id");
	if (nt_is_admin(o->x)) { /* as Neutron: provider attributes are the admin's to see */
		nt_kstr(o, "provider:network_type", lc_network_type(n));
		nt_kstr(o, "provider:physical_network", lc_network_physical_network(n));
		if (lc_network_segmentation_id(n))
			nt_kint(o, "provider:segmentation_id", lc_network_segmentation_id(n));
		else
			nt_knull(o, "provider:segmentation_id");
	}
	nt_tags(o, lc_network_tag_count(n), tag, n);
}

static size_t tag_count(const void *obj)
{
	return lc_network_tag_count(obj);
}

static int set_tags(lc_session *s, const char *id, const char *const *tags)
{
	lc_network_opts o = LC_NETWORK_OPTS_INIT;

	o.tags = tags;
	return lc_network_update(NULL, s, id, &o);
}

const nt_kind nt_network_kind = {
	"network", "networks", "/network/v2.0/networks", it_new, it_next, it_free, obj_free, get, id_of, attr, gen,
	tag_count, tag, set_tags, NULL,
};

int nt_network_list(lc__api_ctx *x)
{
	return nt_list(x, &nt_network_kind);
}

int nt_network_get(lc__api_ctx *x)
{
	return nt_show(x, &nt_network_kind);
}

static int fill(lc__api_ctx *x, const lc__json *o, lc_network_opts *opts)
{
	opts->name = nt_str(o, "name");
	opts->description = nt_str(o, "description");
	opts->admin_state_up = nt_bool(o, "admin_state_up");
	opts->shared = nt_bool(o, "shared");
	opts->external = nt_bool(o, "router:external");
	opts->port_security_enabled = nt_bool(o, "port_security_enabled");
	opts->mtu = nt_int(o, "mtu", 0);
	if (nt_has(o, "mtu") && opts->mtu == 0) {
		lc__api_error(x, 400, "Invalid input for mtu. Reason: 0 is not an MTU.");
		return 1;
	}
	opts->network_type = nt_str(o, "provider:network_type");
	opts->physical_network = nt_str(o, "provider:physical_network");
	if (opts->physical_network && *opts->physical_network == '\0')
		opts->physical_network = NULL;
	opts->segmentation_id = nt_int(o, "provider:segmentation_id", 0);
	return nt_strv(x, o, "tags", &opts->tags);
}

int nt_network_create(lc__api_ctx *x)
{
	const lc__json *o = nt_body(x, "network", network_attrs, NATTRS, 1);
	lc_network_opts opts = LC_NETWORK_OPTS_INIT;
	lc_network *n = NULL;
	int rc;

	if (o == NULL || fill(x, o, &opts) != 0 || nt_project(x, o, &opts.project_id) != 0)
		return 0;
	if ((rc = lc_network_create(&n, x->session, &opts)) < 0)
		return rc;
	return nt_reply(x, &nt_network_kind, n, 201);
}

int nt_network_update(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	const lc__json *o;
	lc_network_opts opts = LC_NETWORK_OPTS_INIT;
	lc_network *n = NULL;
	int rc;

	if ((rc = nt_exists(x, &nt_network_kind, id)) < 0)
		return rc;
	if ((o = nt_body(x, "network", network_attrs, NATTRS, 0)) == NULL || fill(x, o, &opts) != 0)
		return 0;
	if ((rc = lc_network_update(&n, x->session, id, &opts)) < 0)
		return rc;
	return nt_reply(x, &nt_network_kind, n, 200);
}

int nt_network_delete(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	int rc = lc_network_delete(x->session, id, 0);

	if (rc == LC_ENOTFOUND || rc == LC_EINVALID)
		return nt_lookup_rc(rc, "network", id);
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 204);
}
