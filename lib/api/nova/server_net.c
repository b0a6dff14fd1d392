/* Nova: a server's networks: the "networks" of a create request, the "addresses" of its view, /ips. */
#include "api/nova/nova.h"

#include <string.h>

#include "core/error.h"

/* Answer 400 and tell the caller the request is answered (1), or LC_ENOMEM. */
#define REFUSE(...) return lc__api_error(x, 400, __VA_ARGS__) < 0 ? LC_ENOMEM : 1

/* Read the networks of a create request into so: 0, 1 when answered with 400, or a negative code. */
int nv_networks_parse(lc__api_ctx *x, const lc__json *nets, lc_server_opts *so)
{
	lc_server_nic *nics;
	size_t i = 0;

	if (nets == NULL)
		return 0;
	if (nets->type == LC__J_STRING) {
		if (strcmp(nets->s, "auto") && strcmp(nets->s, "none"))
			REFUSE("Invalid input for field/attribute networks. Value: %.64s. "
					     "It must be 'auto', 'none' or a list of networks.", nets->s);
		so->networks = nets->s;
		return 0;
	}
	if (nets->type != LC__J_ARRAY)
		REFUSE("Invalid input for field/attribute networks.");
	if (nets->count == 0) { /* before 2.37 an empty list meant no network */
		so->networks = "none";
		return 0;
	}
	if (nets->count > LC_SERVER_NICS_MAX)
		REFUSE("Invalid input for field/attribute networks: at most %d entries.",
				     LC_SERVER_NICS_MAX);
	nics = lc__arena_alloc(x->arena, nets->count * sizeof(*nics));
	if (nics == NULL)
		return LC_ENOMEM;
	for (const lc__json *n = nets->child; n; n = n->next, i++) {
		static const nv_field fields[] = {
			{ "uuid", NV_STRING, 0 },
			{ "port", NV_STRING, 0 },
			{ "fixed_ip", NV_STRING, 0 },
			{ "tag", NV_STRING, 0 },
		};

		if (n->type != LC__J_OBJECT)
			REFUSE("Invalid input for field/attribute networks: entries are objects.");
		if (nv_check(x, n, fields, sizeof(fields) / sizeof(fields[0])) != 0)
			return 1;
		nics[i].network_id = nv_str(n, "uuid");
		nics[i].port_id = nv_str(n, "port");
		nics[i].fixed_ip = nv_str(n, "fixed_ip");
		if (nics[i].port_id && nics[i].network_id)
			nics[i].network_id = NULL; /* Nova: the port wins, its network is the port's */
		if (nics[i].port_id == NULL && nics[i].network_id == NULL)
			REFUSE("Invalid input for field/attribute networks: each entry needs a "
					     "'uuid' or a 'port'.");
	}
	so->nics = nics;
	so->nics_count = nets->count;
	return 0;
}

/* One network's entries of Nova's "addresses" map; i: the first address of that network. */
static void gen_network(yajl_gen g, const lc_server_addresses *a, size_t i)
{
	const char *name = lc_server_addresses_network_name(a, i);

	for (size_t k = i; k < lc_server_addresses_count(a); k++) {
		if (strcmp(lc_server_addresses_network_name(a, k), name) != 0)
			continue;
		yajl_gen_map_open(g);
		lc__gen_kint(g, "version", lc_server_addresses_version(a, k));
		lc__gen_kstr(g, "addr", lc_server_addresses_addr(a, k));
		lc__gen_kstr(g, "OS-EXT-IPS:type", lc_server_addresses_floating(a, k) ? "floating" : "fixed");
		lc__gen_kstr(g, "OS-EXT-IPS-MAC:mac_addr", lc_server_addresses_mac(a, k));
		yajl_gen_map_close(g);
	}
}

/* Whether address i is the first of its network. */
static int first_of_network(const lc_server_addresses *a, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (strcmp(lc_server_addresses_network_name(a, k), lc_server_addresses_network_name(a, i)) == 0)
			return 0;
	return 1;
}

/* The "addresses" map's members (the caller opened the map); only: one network's label, or NULL. */
static void gen_members(yajl_gen g, const lc_server_addresses *a, const char *only)
{
	for (size_t i = 0; i < lc_server_addresses_count(a); i++) {
		if (!first_of_network(a, i) || (only && strcmp(only, lc_server_addresses_network_name(a, i)) != 0))
			continue;
		lc__gen_karray(g, lc_server_addresses_network_name(a, i));
		gen_network(g, a, i);
		lc__gen_end_array(g);
	}
}

void nv_gen_addresses(lc__api_ctx *x, yajl_gen g, const char *server_id)
{
	lc_server_addresses *a = NULL;

	/* a server deleted meanwhile, or the network read failing, shows no address */
	(void)lc_server_addresses_get(&a, x->session, server_id);
	lc__error_clear();
	lc__gen_kmap(g, "addresses");
	gen_members(g, a, NULL);
	lc__gen_end_map(g);
	lc_server_addresses_free(a);
}

/* GET /servers/{id}/ips and /servers/{id}/ips/{network_label} */
static int reply_ips(lc__api_ctx *x, const char *only)
{
	const char *id = lc__req_param(x, 0);
	lc_server_addresses *a = NULL;
	yajl_gen g;
	int rc;

	if (nv_begin(x))
		return 0;
	rc = lc_server_addresses_get(&a, x->session, id);
	if (rc < 0)
		return nv_lookup_rc(rc, "Instance", id);
	if (only) {
		size_t i = 0;

		while (i < lc_server_addresses_count(a) && strcmp(lc_server_addresses_network_name(a, i), only))
			i++;
		if (i == lc_server_addresses_count(a)) {
			lc_server_addresses_free(a);
			return lc__api_error(x, 404, "Instance %s is not attached to network %.80s.", id, only);
		}
	}
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_server_addresses_free(a);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	if (only == NULL)
		lc__gen_kmap(g, "addresses");
	gen_members(g, a, only);
	if (only == NULL)
		lc__gen_end_map(g);
	yajl_gen_map_close(g);
	lc_server_addresses_free(a);
	return lc__json_end(x, g, 200);
}

int nv_server_ips(lc__api_ctx *x)
{
	return reply_ips(x, NULL);
}

int nv_server_ips_network(lc__api_ctx *x)
{
	return reply_ips(x, lc__req_param(x, 1));
}
