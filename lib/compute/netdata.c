/*
 * network_data.json of a server's config drive, in the format cloud-init
 * reads (OpenStack's): a link per port (tap name, MAC, MTU), a network per
 * fixed address (static, with netmask, default route through the subnet's
 * gateway, host routes and nameservers), and the nameservers as services.
 * The addresses are static: the guest needs no DHCP server to come up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <yajl/yajl_gen.h>

#include "compute/server_internal.h"
#include "core/error.h"
#include "core/nlist.h"
#include "network/attach.h"

static void gstr(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void gkstr(yajl_gen g, const char *k, const char *v)
{
	gstr(g, k);
	gstr(g, v ? v : "");
}

/* The netmask of a prefix length, in the address's own notation. */
static void netmask(int version, int prefix, char *out, size_t n)
{
	unsigned char b[16];
	size_t len = version == 6 ? 16 : 4;

	memset(b, 0, sizeof(b));
	for (int i = 0; i < prefix && i < (int)len * 8; i++)
		b[i / 8] |= (unsigned char)(0x80 >> (i % 8));
	if (inet_ntop(version == 6 ? AF_INET6 : AF_INET, b, out, (socklen_t)n) == NULL)
		snprintf(out, n, "%s", version == 6 ? "::" : "0.0.0.0");
}

/* One pass over the addresses per member of the document: links, then networks, then services. */
enum pass { LINKS, NETWORKS, SERVICES };

struct nd {
	yajl_gen g;
	enum pass pass;
	char last_port[LC__ID_TEXT];
	size_t nnet;
	lc__nl seen_dns; /* nameservers listed as services already */
};

/* {"type": "dns", "address": addr}: a nameserver, in a network's services and the document's */
static void dns_entry(yajl_gen g, const char *addr)
{
	yajl_gen_map_open(g);
	gkstr(g, "type", "dns");
	gkstr(g, "address", addr);
	yajl_gen_map_close(g);
}

static int service_dns(struct nd *d, const char *addr)
{
	lc__val seen;

	lc__nl_val(&seen, &d->seen_dns);
	if (lc__nlv_find(&seen, 1, 0, addr) >= 0)
		return 0;
	dns_entry(d->g, addr);
	return lc__nl_add(&d->seen_dns, addr);
}

static void route(yajl_gen g, int version, const char *network, int prefix, const char *gateway)
{
	char mask[64];

	netmask(version, prefix, mask, sizeof(mask));
	yajl_gen_map_open(g);
	gkstr(g, "network", network);
	gkstr(g, "netmask", mask);
	gkstr(g, "gateway", gateway);
	yajl_gen_map_close(g);
}

static void link(struct nd *d, const lc__net_addr *a, const char *tap)
{
	yajl_gen g = d->g;

	if (strcmp(d->last_port, a->port_id) == 0)
		return;
	snprintf(d->last_port, sizeof(d->last_port), "%s", a->port_id);
	yajl_gen_map_open(g);
	gkstr(g, "id", tap);
	gkstr(g, "vif_id", a->port_id);
	gkstr(g, "type", "ethernet");
	gstr(g, "mtu");
	if (a->mtu > 0)
		yajl_gen_integer(g, a->mtu);
	else
		yajl_gen_null(g);
	gkstr(g, "ethernet_mac_address", a->mac);
	yajl_gen_map_close(g);
}

static void network(struct nd *d, const lc__net_addr *a, const char *tap, int prefix)
{
	yajl_gen g = d->g;
	char mask[64], id[32], dest[64];

	netmask(a->version, prefix, mask, sizeof(mask));
	snprintf(id, sizeof(id), "network%zu", d->nnet++);
	yajl_gen_map_open(g);
	gkstr(g, "id", id);
	gkstr(g, "type", a->version == 6 ? (a->ipv6_address_mode && !strcmp(a->ipv6_address_mode, "slaac")
						    ? "ipv6_slaac" : "ipv6")
					 : "ipv4");
	gkstr(g, "link", tap);
	gkstr(g, "ip_address", a->addr);
	gkstr(g, "netmask", mask);
	gkstr(g, "network_id", a->network_id);
	gstr(g, "routes");
	yajl_gen_array_open(g);
	if (a->gateway)
		route(g, a->version, a->version == 6 ? "::" : "0.0.0.0", 0, a->gateway);
	for (size_t i = 0; a->routes && i < lc__nlv_count(a->routes, 2); i++) {
		const char *dst = lc__nlv_item(a->routes, 2 * i), *sl = strchr(dst, '/');

		snprintf(dest, sizeof(dest), "%.*s", sl ? (int)(sl - dst) : (int)strlen(dst), dst);
		route(g, a->version, dest, sl ? atoi(sl + 1) : (a->version == 6 ? 128 : 32),
		      lc__nlv_item(a->routes, 2 * i + 1));
	}
	yajl_gen_array_close(g);
	gstr(g, "services");
	yajl_gen_array_open(g);
	for (size_t i = 0; a->dns && i < lc__nlv_count(a->dns, 1); i++)
		dns_entry(g, lc__nlv_item(a->dns, i));
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
}

static int one(const lc__net_addr *a, void *p)
{
	struct nd *d = p;
	const char *slash = a->cidr ? strchr(a->cidr, '/') : NULL;
	char tap[16];

	snprintf(tap, sizeof(tap), "tap%.11s", a->port_id);
	if (d->pass == LINKS) {
		link(d, a, tap);
		return 0;
	}
	if (a->floating || slash == NULL)
		return 0; /* floating IPs are NATed outside the guest */
	if (d->pass == NETWORKS)
		network(d, a, tap, atoi(slash + 1));
	else
		for (size_t i = 0; a->dns && i < lc__nlv_count(a->dns, 1); i++)
			LC_TRY(service_dns(d, lc__nlv_item(a->dns, i)));
	return 0;
}

int lc__netdata_json(lc__store *st, const lc__rec *r, char **out, size_t *len)
{
	static const char *const keys[] = { "links", "networks", "services" };
	struct nd d;
	const unsigned char *buf;
	size_t n;
	lc__txn t;
	int rc;

	*out = NULL;
	*len = 0;
	memset(&d, 0, sizeof(d));
	d.g = yajl_gen_alloc(NULL);
	if (d.g == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	yajl_gen_config(d.g, yajl_gen_validate_utf8, 1);
	rc = lc__store_read(st, &t);
	if (rc == 0) {
		yajl_gen_map_open(d.g);
		for (int pass = LINKS; rc == 0 && pass <= SERVICES; pass++) {
			d.pass = (enum pass)pass;
			d.last_port[0] = '\0';
			gstr(d.g, keys[pass]);
			yajl_gen_array_open(d.g);
			rc = lc__net_device_addresses_tx(&t, lc__rec_str(r, SRV_ID), &r->v[SRV_NICS], one, &d);
			yajl_gen_array_close(d.g);
		}
		yajl_gen_map_close(d.g);
		lc__store_read_end(&t);
	}
	if (rc == 0 && yajl_gen_get_buf(d.g, &buf, &n) != yajl_gen_status_ok)
		rc = lc__error_set(LC_ERROR, "cannot encode network_data.json");
	if (rc == 0 && (*out = malloc(n + 1)) == NULL)
		rc = lc__error_set(LC_ENOMEM, "out of memory");
	if (rc == 0) {
		memcpy(*out, buf, n);
		(*out)[n] = '\0';
		*len = n;
	}
	yajl_gen_free(d.g);
	lc__nl_free(&d.seen_dns);
	return rc;
}
