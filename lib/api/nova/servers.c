/* Nova: servers, their actions, metadata and action log. */
#include "api/nova/nova.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"

static void gen_server(lc__api_ctx *x, yajl_gen g, const lc_server *v, int detail, const char *admin_pass)
{
	const char *image = lc_server_image_id(v);
	int admin = nv_is_admin(x);

	yajl_gen_map_open(g);
	lc__gen_kstr(g, "id", lc_server_id(v));
	lc__gen_kstr(g, "name", lc_server_name(v));
	nv_gen_links(x, g, "servers", lc_server_id(v));
	if (!detail) {
		yajl_gen_map_close(g);
		return;
	}
	lc__gen_kstr(g, "status", lc_server_status(v));
	lc__gen_kstr(g, "tenant_id", lc_server_project_id(v));
	lc__gen_kstr(g, "user_id", lc_server_user_id(v));
	lc__gen_kmap(g, "metadata");
	for (size_t i = 0; i < lc_server_metadata_count(v); i++)
		lc__gen_kstr(g, lc_server_metadata_key(v, i), lc_server_metadata_value(v, i));
	lc__gen_end_map(g);
	lc__gen_kstr(g, "hostId", lc_server_host_id(v));
	if (image) {
		lc__gen_kmap(g, "image");
		lc__gen_kstr(g, "id", image);
		lc__gen_karray(g, "links");
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "rel", "bookmark");
		lc__gen_kstr(g, "href", lc__arena_printf(x->arena, "%s/compute/images/%s", x->base, image));
		yajl_gen_map_close(g);
		lc__gen_end_array(g);
		lc__gen_end_map(g);
	} else {
		lc__gen_kstr(g, "image", "");
	}
	lc__gen_kmap(g, "flavor");
	lc__gen_kstr(g, "id", lc_server_flavor_id(v));
	lc__gen_karray(g, "links");
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "rel", "bookmark");
	lc__gen_kstr(g, "href", lc__arena_printf(x->arena, "%s/compute/flavors/%s", x->base, lc_server_flavor_id(v)));
	yajl_gen_map_close(g);
	lc__gen_end_array(g);
	lc__gen_end_map(g);
	lc__gen_kstr(g, "created", nv_time(x, lc_server_created_at(v)));
	lc__gen_kstr(g, "updated", nv_time(x, lc_server_updated_at(v)));
	nv_gen_addresses(x, g, lc_server_id(v));
	lc__gen_kstr(g, "accessIPv4", "");
	lc__gen_kstr(g, "accessIPv6", "");
	lc__gen_kstr(g, "OS-DCF:diskConfig", "MANUAL");
	lc__gen_kint(g, "progress", 0);
	if (lc_server_fault_message(v) && !strcmp(lc_server_status(v), "ERROR")) {
		lc__gen_kmap(g, "fault");
		lc__gen_kint(g, "code", lc_server_fault_code(v));
		lc__gen_kstr(g, "created", nv_time(x, lc_server_fault_at(v)));
		lc__gen_kstr(g, "message", lc_server_fault_message(v));
		if (admin)
			lc__gen_kstr(g, "details", lc_server_fault_message(v));
		lc__gen_end_map(g);
	}
	if (detail < 2)
		goto basic; /* update and rebuild answer with Nova's basic view */
	lc__gen_kstr(g, "key_name", lc_server_key_name(v));
	lc__gen_karray(g, "security_groups");
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "name", "default");
	yajl_gen_map_close(g);
	lc__gen_end_array(g);
	if (lc_server_launched_at(v))
		lc__gen_kstr(g, "OS-SRV-USG:launched_at", nv_time_us(x, lc_server_launched_at(v)));
	else
		lc__gen_knull(g, "OS-SRV-USG:launched_at");
	lc__gen_knull(g, "OS-SRV-USG:terminated_at");
	lc__gen_kstr(g, "OS-EXT-AZ:availability_zone", lc_server_availability_zone(v) ? lc_server_availability_zone(v)
										       : "");
	lc__gen_kstr(g, "OS-EXT-STS:vm_state", lc_server_vm_state(v));
	lc__gen_kstr(g, "OS-EXT-STS:task_state", lc_server_task_state(v));
	lc__gen_kint(g, "OS-EXT-STS:power_state", lc_server_power_state(v));
	lc__gen_karray(g, "os-extended-volumes:volumes_attached");
	lc__gen_end_array(g);
	lc__gen_kstr(g, "config_drive", lc_server_config_drive(v) ? "True" : "");
	if (admin) {
		lc__gen_kstr(g, "OS-EXT-SRV-ATTR:host", lc_server_host(v));
		lc__gen_kstr(g, "OS-EXT-SRV-ATTR:hypervisor_hostname", lc_server_host(v));
		lc__gen_kstr(g, "OS-EXT-SRV-ATTR:instance_name",
			     lc__arena_printf(x->arena, "lc-%s", lc_server_id(v)));
	}
basic:
	if (admin_pass)
		lc__gen_kstr(g, "adminPass", admin_pass);
	yajl_gen_map_close(g);
}

void nv_gen_server(lc__api_ctx *x, yajl_gen g, const lc_server *v, int detail)
{
	gen_server(x, g, v, detail, NULL);
}

/* view: 1 Nova's basic server view (update, rebuild), 2 the detailed one (show, list detail) */
static int reply_server(lc__api_ctx *x, lc_server *v, int status, const char *admin_pass, int view)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL) {
		lc_server_free(v);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_key(g, "server");
	gen_server(x, g, v, view, admin_pass);
	yajl_gen_map_close(g);
	lc_server_free(v);
	return lc__json_end(x, g, status);
}

/* A server id from the path: a malformed one reads as not found (clients probe names this way). */
static int get_server(lc__api_ctx *x, lc_server **out)
{
	const char *id = lc__req_param(x, 0);
	int rc = lc_server_get(out, x->session, id);

	if (rc < 0)
		return nv_lookup_rc(rc, "Instance", id);
	return 0;
}

/* ---- list ---- */

static int server_list(lc__api_ctx *x, int detail)
{
	static const char *const passthrough[] = { "name", "status", "image", "flavor", "changes-since",
						   "availability_zone", "key_name", NULL };
	const char *filters[2 * 12 + 1];
	lc_list_opts lo;
	lc_server_iter *it = NULL;
	lc_server *v;
	unsigned int limit, n = 0, k = 0;
	char last[LC_ID_LEN + 1] = "";
	const char *all = lc__req_query(x, "all_tenants");
	int admin = nv_is_admin(x), rc;
	yajl_gen g;

	if (nv_begin(x) || nv_paging(x, &lo, &limit))
		return 0;
	for (size_t i = 0; passthrough[i]; i++) {
		const char *val = lc__req_query(x, passthrough[i]);

		if (val) {
			filters[k++] = passthrough[i];
			filters[k++] = val;
		}
	}
	if (all && strcasecmp(all, "0") && strcasecmp(all, "false")) {
		if (!admin)
			return lc__api_error(x, 403, "Policy doesn't allow os_compute_api:servers:index:get_all_tenants "
				      "to be performed.");
		filters[k++] = "all_tenants";
		filters[k++] = "1";
	}
	/* admin-only filters are ignored for others, as Nova does */
	if (admin) {
		const char *host = lc__req_query(x, "host"), *project = lc__req_query(x, "project_id");

		if (project == NULL)
			project = lc__req_query(x, "tenant_id");
		if (host) {
			filters[k++] = "host";
			filters[k++] = host;
		}
		if (project && all) {
			filters[k++] = "project_id";
			filters[k++] = project;
		}
	}
	filters[k] = NULL;
	lo.filters = filters;
	if (limit == 0 || limit > 1000)
		limit = 1000;
	rc = lc_server_iter_new(&it, x->session, &lo);
	if (rc == LC_EINVALID)
		return lc__api_error(x, 400, "%s", lc_error_last()->message);
	if (rc < 0)
		return nv_error(x, rc);
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_server_iter_free(it);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, "servers");
	while (n < limit && (rc = lc_server_iter_next(&v, it)) == 0) {
		nv_gen_server(x, g, v, detail ? 2 : 0);
		snprintf(last, sizeof(last), "%s", lc_server_id(v));
		lc_server_free(v);
		n++;
	}
	lc_server_iter_free(it);
	if (rc < 0 && rc != LC_ITEROVER) {
		yajl_gen_free(g);
		return rc;
	}
	lc__gen_end_array(g);
	if (n == limit && lc__req_query(x, "limit"))
		nv_gen_next(x, g, "servers", detail ? "servers/detail" : "servers", last);
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int nv_server_list(lc__api_ctx *x)
{
	return server_list(x, 0);
}

int nv_server_detail(lc__api_ctx *x)
{
	return server_list(x, 1);
}

int nv_server_get(lc__api_ctx *x)
{
	lc_server *v = NULL;
	int rc;

	if (nv_begin(x))
		return 0;
	if ((rc = get_server(x, &v)) < 0)
		return rc;
	return reply_server(x, v, 200, NULL, 2);
}

/* ---- create ---- */

static const nv_field create_fields[] = {
	{ "name", NV_STRING, 1 },
	{ "imageRef", NV_STRING, 0 },
	{ "flavorRef", NV_STRING, 1 },
	{ "adminPass", NV_STRING, 0 },
	{ "metadata", NV_OBJECT, 0 },
	{ "networks", NV_ANY, 0 },
	{ "OS-DCF:diskConfig", NV_STRING, 0 },
	{ "accessIPv4", NV_STRING, 0 },
	{ "accessIPv6", NV_STRING, 0 },
	{ "availability_zone", NV_STRING, 0 },
	{ "block_device_mapping", NV_ARRAY, 0 },
	{ "block_device_mapping_v2", NV_ARRAY, 0 },
	{ "config_drive", NV_ANY, 0 },
	{ "key_name", NV_STRING, 0 },
	{ "min_count", NV_INT, 0 },
	{ "max_count", NV_INT, 0 },
	{ "return_reservation_id", NV_BOOL, 0 },
	{ "security_groups", NV_ARRAY, 0 },
	{ "user_data", NV_STRING, 0 },
	{ "personality", NV_ARRAY, 0 },
};

int nv_server_create(lc__api_ctx *x)
{
	const lc__json *body, *o, *nets, *hints, *cd;
	lc_server_opts so = LC_SERVER_OPTS_INIT;
	lc_server *v = NULL;
	int64_t n;
	yajl_gen g;
	int rc;

	if (nv_begin(x) || lc__req_json(x, &body) != 0 || (o = nv_wrapped(x, body, "server")) == NULL ||
	    nv_check(x, o, create_fields, sizeof(create_fields) / sizeof(create_fields[0])) != 0)
		return 0;
	so.name = nv_str(o, "name");
	so.flavor_id = nv_str(o, "flavorRef");
	so.image_id = nv_str(o, "imageRef");
	so.key_name = nv_str(o, "key_name");
	so.user_data = nv_str(o, "user_data");
	so.availability_zone = nv_str(o, "availability_zone");
	so.admin_pass = nv_str(o, "adminPass");
	/* flavorRef and imageRef may be links: keep the last path segment */
	if (so.flavor_id && strrchr(so.flavor_id, '/'))
		so.flavor_id = strrchr(so.flavor_id, '/') + 1;
	if (so.image_id && strrchr(so.image_id, '/'))
		so.image_id = strrchr(so.image_id, '/') + 1;
	if (lc__json_get(o, "block_device_mapping_v2") || lc__json_get(o, "block_device_mapping") ||
	    (so.image_id && so.image_id[0] == '\0'))
		return lc__api_error(x, 400, "Booting from a volume is not supported yet.");
	if (so.image_id == NULL)
		return lc__api_error(x, 400, "Invalid input for field/attribute imageRef. 'imageRef' is required.");
	if (lc__json_get(o, "personality") && lc__json_get(o, "personality")->count)
		return lc__api_error(x, 400, "Injected files (personality) are not supported.");
	if (lc__json_get(o, "metadata")) {
		const char **md = nv_pairs(x, lc__json_get(o, "metadata"), "metadata");

		if (md == NULL)
			return 0;
		so.metadata = md;
	}
	if (nv_int(o, "min_count", &n) == 1) {
		if (n < 1)
			return lc__api_error(x, 400, "Invalid input for field/attribute min_count.");
		so.min_count = (unsigned int)(n > 100000 ? 100000 : n);
	}
	if (nv_int(o, "max_count", &n) == 1) {
		if (n < 1)
			return lc__api_error(x, 400, "Invalid input for field/attribute max_count.");
		so.max_count = (unsigned int)(n > 100000 ? 100000 : n);
	}
	if ((cd = lc__json_get(o, "config_drive")) != NULL) {
		if (cd->type == LC__J_BOOL)
			so.config_drive = cd->b;
		else if (cd->type == LC__J_STRING)
			so.config_drive = !strcasecmp(cd->s, "true") || !strcmp(cd->s, "1") || !strcasecmp(cd->s, "yes");
		else if (cd->type != LC__J_NULL)
			return lc__api_error(x, 400, "Invalid input for field/attribute config_drive.");
	}
	nets = lc__json_get(o, "networks");
	if ((rc = nv_networks_parse(x, nets, &so)) != 0)
		return rc < 0 ? rc : 0;
	hints = lc__json_get(body, "os:scheduler_hints");
	if (hints == NULL)
		hints = lc__json_get(body, "OS-SCH-HNT:scheduler_hints");
	if (hints) {
		if (hints->type != LC__J_OBJECT)
			return lc__api_error(x, 400, "Invalid input for field/attribute os:scheduler_hints.");
		if ((so.scheduler_hints = nv_pairs(x, hints, "os:scheduler_hints")) == NULL)
			return 0;
	}
	rc = lc_server_create(&v, x->session, &so);
	if (rc == LC_ENOTFOUND) /* a network or port named in the request */
		return lc__api_error(x, 400, "%s", lc_error_last()->message);
	if (rc < 0)
		return nv_error(x, rc);
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_server_free(v);
		return LC_ENOMEM;
	}
	lc__resp_set_header(x->resp, "Location",
			    lc__arena_printf(x->arena, "%s/compute/v2.1/servers/%s", x->base, lc_server_id(v)));
	yajl_gen_map_open(g);
	if (nv_bool(o, "return_reservation_id") == 1) {
		lc__gen_kstr(g, "reservation_id", lc__arena_printf(x->arena, "r-%.8s", lc_server_id(v) + 28));
	} else {
		lc__gen_kmap(g, "server");
		lc__gen_kstr(g, "id", lc_server_id(v));
		nv_gen_links(x, g, "servers", lc_server_id(v));
		lc__gen_kstr(g, "OS-DCF:diskConfig", "MANUAL");
		lc__gen_karray(g, "security_groups");
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "name", "default");
		yajl_gen_map_close(g);
		lc__gen_end_array(g);
		lc__gen_kstr(g, "adminPass", lc_server_admin_pass(v));
		lc__gen_end_map(g);
	}
	yajl_gen_map_close(g);
	lc_server_free(v);
	return lc__json_end(x, g, 202);
}

/* ---- update, delete ---- */

int nv_server_update(lc__api_ctx *x)
{
	static const nv_field fields[] = {
		{ "name", NV_STRING, 0 },
		{ "accessIPv4", NV_STRING, 0 },
		{ "accessIPv6", NV_STRING, 0 },
		{ "OS-DCF:diskConfig", NV_STRING, 0 },
	};
	const lc__json *body, *o;
	lc_server_opts so = LC_SERVER_OPTS_INIT;
	lc_server *v = NULL;
	int rc;

	if (nv_begin(x))
		return 0;
	if ((rc = get_server(x, &v)) < 0)
		return rc;
	lc_server_free(v);
	v = NULL;
	if (lc__req_json(x, &body) != 0 || (o = nv_wrapped(x, body, "server")) == NULL || nv_check(x, o, fields, 4))
		return 0;
	so.name = nv_str(o, "name");
	if (so.name == NULL) {
		if ((rc = get_server(x, &v)) < 0)
			return rc;
		return reply_server(x, v, 200, NULL, 1);
	}
	rc = lc_server_update(&v, x->session, lc__req_param(x, 0), &so);
	if (rc < 0)
		return nv_error(x, rc);
	return reply_server(x, v, 200, NULL, 1);
}

int nv_server_delete(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_server_delete(x->session, id, 0);
	if (rc == LC_ENOTFOUND || rc == LC_EINVALID)
		return nv_lookup_rc(rc, "Instance", id);
	if (rc < 0)
		return nv_error(x, rc);
	return lc__reply_empty(x, 204);
}

/* ---- actions ---- */

static int simple_action(lc__api_ctx *x, int (*fn)(lc_session *, const char *, unsigned int), unsigned int flags)
{
	int rc = fn(x->session, lc__req_param(x, 0), flags);

	if (rc == LC_ENOTFOUND || rc == LC_EINVALID)
		return nv_lookup_rc(rc, "Instance", lc__req_param(x, 0));
	if (rc < 0)
		return nv_error(x, rc);
	return lc__reply_empty(x, 202);
}

static int reboot(lc_session *s, const char *id, unsigned int flags)
{
	return lc_server_reboot(s, id, flags);
}

static int action_rebuild(lc__api_ctx *x, const lc__json *o)
{
	static const nv_field fields[] = {
		{ "imageRef", NV_STRING, 1 },
		{ "name", NV_STRING, 0 },
		{ "adminPass", NV_STRING, 0 },
		{ "metadata", NV_OBJECT, 0 },
		{ "OS-DCF:diskConfig", NV_STRING, 0 },
		{ "accessIPv4", NV_STRING, 0 },
		{ "accessIPv6", NV_STRING, 0 },
		{ "personality", NV_ARRAY, 0 },
		{ "preserve_ephemeral", NV_BOOL, 0 },
	};
	lc_server_rebuild_opts ro = LC_SERVER_REBUILD_OPTS_INIT;
	lc_server *v = NULL;
	int rc;

	if (o->type != LC__J_OBJECT || nv_check(x, o, fields, sizeof(fields) / sizeof(fields[0])))
		return o->type != LC__J_OBJECT ? lc__api_error(x, 400, "rebuild needs an object") : 0;
	ro.image_id = nv_str(o, "imageRef");
	if (strrchr(ro.image_id, '/'))
		ro.image_id = strrchr(ro.image_id, '/') + 1;
	ro.name = nv_str(o, "name");
	ro.admin_pass = nv_str(o, "adminPass");
	if (lc__json_get(o, "metadata") && (ro.metadata = nv_pairs(x, lc__json_get(o, "metadata"), "metadata")) == NULL)
		return 0;
	rc = lc_server_rebuild(&v, x->session, lc__req_param(x, 0), &ro);
	if (rc == LC_EBUSY)
		return lc__api_error(x, 400, "%s", lc_error_last()->message);
	if (rc < 0)
		return nv_error(x, rc);
	return reply_server(x, v, 202, lc_server_admin_pass(v), 1);
}

static int action_create_image(lc__api_ctx *x, const lc__json *o)
{
	static const nv_field fields[] = { { "name", NV_STRING, 1 }, { "metadata", NV_OBJECT, 0 } };
	const char **md = NULL;
	char image[LC_ID_LEN + 1];
	int rc;

	if (o->type != LC__J_OBJECT)
		return lc__api_error(x, 400, "createImage needs an object");
	if (nv_check(x, o, fields, 2))
		return 0;
	if (lc__json_get(o, "metadata") && (md = nv_pairs(x, lc__json_get(o, "metadata"), "metadata")) == NULL)
		return 0;
	rc = lc_server_create_image(image, x->session, lc__req_param(x, 0), nv_str(o, "name"), md);
	if (rc == LC_ENOTFOUND)
		return nv_lookup_rc(rc, "Instance", lc__req_param(x, 0));
	if (rc < 0)
		return nv_error(x, rc);
	lc__resp_set_header(x->resp, "Location", lc__arena_printf(x->arena, "%s/image/v2/images/%s", x->base, image));
	return lc__reply_empty(x, 202);
}

/* The actions that take no argument: the body's key names the C call. */
static const struct {
	const char *name;
	int (*fn)(lc_session *, const char *, unsigned int);
} simple[] = {
	{ "os-stop", lc_server_stop },
	{ "os-start", lc_server_start },
	{ "pause", lc_server_pause },
	{ "unpause", lc_server_unpause },
	{ "suspend", lc_server_suspend },
	{ "resume", lc_server_resume },
	{ "confirmResize", lc_server_confirm_resize },
	{ "revertResize", lc_server_revert_resize },
};

int nv_server_action(lc__api_ctx *x)
{
	const lc__json *body, *a;
	const char *name;
	int rc;

	if (nv_begin(x) || lc__req_json(x, &body) != 0)
		return 0;
	if (body->count != 1)
		return lc__api_error(x, 400, "Exactly one action expected in the request body.");
	a = body->child;
	name = a->key;
	/* the server must be visible before anything else is said about the request */
	{
		lc_server *v = NULL;

		if ((rc = get_server(x, &v)) < 0)
			return rc;
		lc_server_free(v);
	}
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (!strcmp(name, simple[i].name))
			return simple_action(x, simple[i].fn, 0);
	if (!strcmp(name, "reboot")) {
		static const nv_field fields[] = { { "type", NV_STRING, 1 } };
		const char *type;

		if (a->type != LC__J_OBJECT)
			return lc__api_error(x, 400, "reboot needs an object with a type");
		if (nv_check(x, a, fields, 1))
			return 0;
		type = nv_str(a, "type");
		if (strcasecmp(type, "SOFT") && strcasecmp(type, "HARD"))
			return lc__api_error(x, 400, "Invalid input for field/attribute type. Value: %.16s. It is not one "
				      "of SOFT, HARD.", type);
		return simple_action(x, reboot, strcasecmp(type, "HARD") == 0 ? LC_SERVER_REBOOT_HARD : 0);
	}
	if (!strcmp(name, "resize")) {
		static const nv_field fields[] = { { "flavorRef", NV_STRING, 1 }, { "OS-DCF:diskConfig", NV_STRING, 0 } };
		const char *flavor;

		if (a->type != LC__J_OBJECT)
			return lc__api_error(x, 400, "resize needs an object with a flavorRef");
		if (nv_check(x, a, fields, 2))
			return 0;
		flavor = nv_str(a, "flavorRef");
		if (strrchr(flavor, '/'))
			flavor = strrchr(flavor, '/') + 1;
		rc = lc_server_resize(x->session, lc__req_param(x, 0), flavor, 0);
		if (rc == LC_EBUSY)
			return lc__api_error(x, 400, "%s", lc_error_last()->message);
		if (rc < 0)
			return nv_error(x, rc);
		return lc__reply_empty(x, 202);
	}
	if (!strcmp(name, "rebuild"))
		return action_rebuild(x, a);
	if (!strcmp(name, "createImage"))
		return action_create_image(x, a);
	return lc__api_error(x, 400, "There is no such action: %.64s", name);
}

/* ---- metadata ---- */

static int reply_metadata(lc__api_ctx *x, const lc_server *v, const char *only)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	if (only) {
		lc__gen_kmap(g, "meta");
		lc__gen_kstr(g, only, lc_server_metadata(v, only));
		lc__gen_end_map(g);
	} else {
		lc__gen_kmap(g, "metadata");
		for (size_t i = 0; i < lc_server_metadata_count(v); i++)
			lc__gen_kstr(g, lc_server_metadata_key(v, i), lc_server_metadata_value(v, i));
		lc__gen_end_map(g);
	}
	yajl_gen_map_close(g);
	return lc__json_end(x, g, 200);
}

int nv_metadata_list(lc__api_ctx *x)
{
	lc_server *v = NULL;
	int rc;

	if (nv_begin(x))
		return 0;
	if ((rc = get_server(x, &v)) < 0)
		return rc;
	rc = reply_metadata(x, v, NULL);
	lc_server_free(v);
	return rc;
}

/*
 * The start of a metadata write: the server must be the caller's to see
 * (404 first, as Nova), then the body {wrapper: {key: value, ...}}.
 * 0 to go on, 1 when answered, or a negative code.
 */
static int metadata_body(lc__api_ctx *x, const char *wrapper, const lc__json **o, const char ***md)
{
	const lc__json *body;
	lc_server *v = NULL;
	int rc;

	if (nv_begin(x))
		return 1;
	if ((rc = get_server(x, &v)) < 0)
		return rc;
	lc_server_free(v);
	if (lc__req_json(x, &body) != 0 || (*o = nv_wrapped(x, body, wrapper)) == NULL ||
	    (*md = nv_pairs(x, *o, wrapper)) == NULL)
		return 1;
	return 0;
}

static int set_metadata(lc__api_ctx *x, unsigned int flags)
{
	const lc__json *o;
	const char **md;
	lc_server *v = NULL;
	int rc;

	if ((rc = metadata_body(x, "metadata", &o, &md)) != 0)
		return rc < 0 ? rc : 0;
	rc = lc_server_set_metadata(&v, x->session, lc__req_param(x, 0), md, flags);
	if (rc < 0)
		return nv_error(x, rc);
	rc = reply_metadata(x, v, NULL);
	lc_server_free(v);
	return rc;
}

int nv_metadata_post(lc__api_ctx *x)
{
	return set_metadata(x, 0);
}

int nv_metadata_put(lc__api_ctx *x)
{
	return set_metadata(x, LC_SERVER_METADATA_REPLACE);
}

int nv_meta_get(lc__api_ctx *x)
{
	const char *key = lc__req_param(x, 1);
	lc_server *v = NULL;
	int rc;

	if (nv_begin(x))
		return 0;
	if ((rc = get_server(x, &v)) < 0)
		return rc;
	if (lc_server_metadata(v, key) == NULL) {
		lc_server_free(v);
		return lc__api_error(x, 404, "Metadata item was not found");
	}
	rc = reply_metadata(x, v, key);
	lc_server_free(v);
	return rc;
}

int nv_meta_put(lc__api_ctx *x)
{
	const char *key = lc__req_param(x, 1);
	const lc__json *o;
	const char **md;
	lc_server *v = NULL;
	int rc;

	if ((rc = metadata_body(x, "meta", &o, &md)) != 0)
		return rc < 0 ? rc : 0;
	if (o->count != 1 || strcmp(md[0], key) != 0)
		return lc__api_error(x, 400, "Request body and URI mismatch");
	rc = lc_server_set_metadata(&v, x->session, lc__req_param(x, 0), md, 0);
	if (rc < 0)
		return nv_error(x, rc);
	rc = reply_metadata(x, v, key);
	lc_server_free(v);
	return rc;
}

int nv_meta_delete(lc__api_ctx *x)
{
	const char *key = lc__req_param(x, 1);
	lc_server *v = NULL;
	int rc;

	if (nv_begin(x))
		return 0;
	if ((rc = get_server(x, &v)) < 0)
		return rc;
	lc_server_free(v);
	rc = lc_server_delete_metadata(x->session, lc__req_param(x, 0), key);
	if (rc == LC_ENOTFOUND)
		return lc__api_error(x, 404, "Metadata item was not found");
	if (rc < 0)
		return nv_error(x, rc);
	return lc__reply_empty(x, 204);
}

/* ---- the action log ---- */

static void gen_action(lc__api_ctx *x, yajl_gen g, const lc_instance_action *a, int events)
{
	yajl_gen_map_open(g);
	lc__gen_kstr(g, "action", lc_instance_action_action(a));
	lc__gen_kstr(g, "instance_uuid", lc_instance_action_server_id(a));
	lc__gen_kstr(g, "request_id", lc_instance_action_request_id(a));
	lc__gen_kstr(g, "user_id", lc_instance_action_user_id(a) ? lc_instance_action_user_id(a) : "");
	lc__gen_kstr(g, "project_id", lc_instance_action_project_id(a));
	lc__gen_kstr(g, "start_time", nv_time_us(x, lc_instance_action_start_time(a)));
	lc__gen_kstr(g, "message", lc_instance_action_message(a));
	if (events) {
		lc__gen_karray(g, "events");
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "event", lc__arena_printf(x->arena, "compute_%s", lc_instance_action_action(a)));
		lc__gen_kstr(g, "start_time", nv_time_us(x, lc_instance_action_start_time(a)));
		if (lc_instance_action_finish_time(a))
			lc__gen_kstr(g, "finish_time", nv_time_us(x, lc_instance_action_finish_time(a)));
		else
			lc__gen_knull(g, "finish_time");
		lc__gen_kstr(g, "result", lc_instance_action_result(a));
		yajl_gen_map_close(g);
		lc__gen_end_array(g);
	}
	yajl_gen_map_close(g);
}

int nv_actions_list(lc__api_ctx *x)
{
	lc_instance_action_iter *it = NULL;
	lc_instance_action *items[1024];
	size_t n = 0;
	yajl_gen g;
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_instance_action_iter_new(&it, x->session, lc__req_param(x, 0));
	if (rc < 0)
		return nv_lookup_rc(rc, "Instance", lc__req_param(x, 0));
	while (n < 1024 && lc_instance_action_iter_next(&items[n], it) == 0)
		n++;
	lc_instance_action_iter_free(it);
	g = lc__json_begin(x);
	if (g != NULL) {
		yajl_gen_map_open(g);
		lc__gen_karray(g, "instanceActions");
		/* newest first, as Nova lists them */
		for (size_t i = n; i-- > 0;)
			gen_action(x, g, items[i], 0);
		lc__gen_end_array(g);
		yajl_gen_map_close(g);
	}
	for (size_t i = 0; i < n; i++)
		lc_instance_action_free(items[i]);
	return g ? lc__json_end(x, g, 200) : LC_ENOMEM;
}

int nv_action_get(lc__api_ctx *x)
{
	lc_instance_action *a = NULL;
	yajl_gen g;
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_instance_action_get(&a, x->session, lc__req_param(x, 0), lc__req_param(x, 1));
	if (rc < 0)
		return nv_lookup_rc(rc, "Action", lc__req_param(x, 1));
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_instance_action_free(a);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_key(g, "instanceAction");
	gen_action(x, g, a, 1);
	yajl_gen_map_close(g);
	lc_instance_action_free(a);
	return lc__json_end(x, g, 200);
}
