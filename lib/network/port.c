/* Ports: a MAC and fixed IPs on a network, allocated and released in the port's transactions. */
#include <libcloud/port.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/policy.h"
#include "core/quota.h"
#include "network/net.h"

#define MAC_TRIES 16

LC__RESOURCE_READERS(port, lc__port_shape, "network:get_port", "network:list_ports", lc__net_visible_own)
LC__RESOURCE_STR(port, id, PRT_ID)
LC__RESOURCE_STR(port, project_id, PRT_PROJECT)
LC__RESOURCE_STR(port, network_id, PRT_NETWORK)
LC__RESOURCE_TEXT(port, name, PRT_NAME)
LC__RESOURCE_TEXT(port, description, PRT_DESCRIPTION)
LC__RESOURCE_BOOL(port, admin_state_up, PRT_ADMIN_UP)
LC__RESOURCE_STR(port, status, PRT_STATUS)
LC__RESOURCE_STR(port, mac_address, PRT_MAC)
LC__NET_COUNT(port, fixed_ip_count, PRT_FIXED_IPS, 2)
LC__NET_ITEM(port, fixed_ip_subnet_id, PRT_FIXED_IPS, 2, 0)
LC__NET_ITEM(port, fixed_ip_address, PRT_FIXED_IPS, 2, 1)
LC__RESOURCE_TEXT(port, device_id, PRT_DEVICE_ID)
LC__RESOURCE_TEXT(port, device_owner, PRT_DEVICE_OWNER)
LC__NET_COUNT(port, security_group_count, PRT_SGS, 1)
LC__NET_ITEM(port, security_group_id, PRT_SGS, 1, 0)
LC__NET_COUNT(port, address_pair_count, PRT_PAIRS, 2)
LC__NET_ITEM(port, address_pair_ip, PRT_PAIRS, 2, 0)
LC__NET_ITEM(port, address_pair_mac, PRT_PAIRS, 2, 1)
LC__RESOURCE_BOOL(port, port_security_enabled, PRT_PORT_SECURITY)
LC__RESOURCE_TEXT(port, binding_host_id, PRT_HOST)
LC__RESOURCE_STR(port, binding_vnic_type, PRT_VNIC)
LC__RESOURCE_STR(port, binding_vif_type, PRT_VIF)
LC__NET_COUNT(port, tag_count, PRT_TAGS, 1)
LC__NET_ITEM(port, tag, PRT_TAGS, 1, 0)
LC__NET_INT(port, created_at, PRT_CREATED)
LC__NET_INT(port, updated_at, PRT_UPDATED)
LC__NET_INT(port, revision, PRT_REVISION)

LC_EXTERN int lc_port_opts_init(lc_port_opts *opts, unsigned int version)
{
	lc_port_opts init = LC_PORT_OPTS_INIT;

	lc__error_clear();
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_ARG(version >= 1 && version <= LC_PORT_OPTS_VERSION, "version");
	*opts = init;
	return 0;
}

/* Owners that belong to other resources: such ports are changed through them. */
static int owned_by_network(const char *owner)
{
	return owner != NULL && strncmp(owner, "network:", 8) == 0;
}

static int managed_owner(const char *owner)
{
	return owner != NULL && (strncmp(owner, "network:router_interface", 24) == 0 ||
				 strcmp(owner, "network:router_gateway") == 0 || strcmp(owner, "network:floatingip") == 0);
}

static const char *const vnic_types[] = {
	"normal", "direct", "macvtap", "baremetal", "direct-physical", "virtio-forwarder", "smart-nic", NULL,
};

static int check_vnic(const char *v)
{
	for (int i = 0; vnic_types[i]; i++)
		if (strcmp(vnic_types[i], v) == 0)
			return 0;
	return lc__error_set(LC_EINVALID, "binding:vnic_type '%.32s' is not supported", v);
}

/* ---- the network's subnets, for address requests ---- */

struct subnets {
	size_t n;
	lc__rec **r;
	lc__cidr *c;
};

static void subnets_free(struct subnets *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		lc__rec_free(ss->r[i]);
	free(ss->r);
	free(ss->c);
	memset(ss, 0, sizeof(*ss));
}

static int subnets_load(lc__txn *t, const lc__rec *net, struct subnets *ss)
{
	size_t n = lc__nl_count(net, NET_SUBNETS, 1);

	memset(ss, 0, sizeof(*ss));
	ss->r = calloc(n ? n : 1, sizeof(*ss->r));
	ss->c = calloc(n ? n : 1, sizeof(*ss->c));
	if (ss->r == NULL || ss->c == NULL) {
		subnets_free(ss);
		return lc__error_set(LC_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		int rc = lc__rec_load(t, &lc__subnet_shape, lc__nl_item(net, NET_SUBNETS, i), &ss->r[ss->n]);

		if (rc == LC_ENOTFOUND)
			continue;
		if (rc == 0)
			rc = lc__subnet_cidr(ss->r[ss->n], &ss->c[ss->n]);
		if (rc < 0) {
			ss->n++;
			subnets_free(ss);
			return rc;
		}
		ss->n++;
	}
	return 0;
}

static long subnet_by_id(const struct subnets *ss, const char *id)
{
	for (size_t i = 0; i < ss->n; i++)
		if (strcmp(lc__rec_str(ss->r[i], SUB_ID), id) == 0)
			return (long)i;
	return -1;
}

static long subnet_by_ip(const struct subnets *ss, int version, const lc__addr *a)
{
	for (size_t i = 0; i < ss->n; i++)
		if (lc__cidr_contains(&ss->c[i], version, a))
			return (long)i;
	return -1;
}

/*
 * Subnets whose addresses come from the MAC (ipv6_address_mode slaac or
 * dhcpv6-stateless, or that ipv6_ra_mode without an address mode), as
 * Neutron's auto-address subnets: a port's address there is its EUI-64.
 */
static int auto_address(const lc__rec *sub)
{
	const char *m = lc__rec_str(sub, SUB_ADDR_MODE);

	if (m == NULL)
		m = lc__rec_str(sub, SUB_RA_MODE);
	return m != NULL && (strcmp(m, "slaac") == 0 || strcmp(m, "dhcpv6-stateless") == 0);
}

/* ---- address requests ---- */

/* One caller request, resolved: a subnet, and an address or none (the next free one). */
struct ipreq {
	long sub;
	int has_ip;
	lc__addr ip;
	char text[LC__IP_TEXT];
	int kept; /* satisfied by an address the port holds already (update) */
};

/*
 * strict: a caller's request, where an address on an auto-address subnet
 * can only be the EUI-64 of mac (the service's own ports, router
 * interfaces, may take any).
 */
static int parse_requests(lc__txn *t, const struct subnets *ss, const char *net_id, const char *const *req,
			  int may_pick, int strict, const char *mac, struct ipreq *out, size_t *nout)
{
	size_t n = lc__strv_len(req);

	if (n % 2)
		return lc__error_set(LC_EINVALID, "fixed_ips must be subnet_id, ip_address pairs");
	if (n / 2 > LC_PORT_FIXED_IPS_MAX)
		return lc__error_set(LC_EINVALID, "too many fixed_ips (at most %d)", LC_PORT_FIXED_IPS_MAX);
	*nout = n / 2;
	for (size_t i = 0; i < n / 2; i++) {
		const char *sid = req[2 * i], *ip = req[2 * i + 1];
		struct ipreq *r = &out[i];
		int ver;

		memset(r, 0, sizeof(*r));
		r->sub = -1;
		if (*sid) {
			char canon[LC__ID_TEXT];
			int rc;

			LC_TRY(lc__id_canon("fixed_ips subnet_id", sid, canon));
			r->sub = subnet_by_id(ss, canon);
			if (r->sub < 0) {
				rc = lc__rec_exists(t, &lc__subnet_shape, canon);
				if (rc < 0)
					return rc;
				if (rc == 0)
					return lc__error_set(LC_ENOTFOUND, "subnet %s not found", canon);
				return lc__error_set(LC_EINVALID, "subnet %s is not on network %s", canon, net_id);
			}
		}
		if (*ip == '\0') {
			if (r->sub < 0)
				return lc__error_set(LC_EINVALID, "a fixed_ips entry needs a subnet_id or an ip_address");
			continue;
		}
		if (lc__ip_parse(ip, &ver, &r->ip) < 0)
			return lc__error_set(LC_EINVALID, "fixed IP address '%.64s' is not a valid IP address", ip);
		if (strict) {
			long sub = r->sub >= 0 ? r->sub : subnet_by_ip(ss, ver, &r->ip);

			if (sub >= 0 && auto_address(ss->r[sub])) {
				char want[LC__IP_TEXT];
				lc__addr eui;

				lc__ip_format(ver, &r->ip, r->text);
				LC_TRY(lc__mac_eui64(&ss->c[sub], mac, &eui));
				lc__ip_format(6, &eui, want);
				if (lc__addr_cmp(&eui, &r->ip) != 0)
					return lc__error_set(LC_EINVALID,
							     "IPv6 address %s cannot be directly assigned to a port on subnet %s as the subnet is configured for automatic addresses (the port's address there is %s)",
							     r->text, lc__rec_str(ss->r[sub], SUB_ID), want);
				r->sub = sub; /* the EUI-64 itself: the same as asking for the subnet */
				continue;
			}
		}
		if (!may_pick)
			return lc__error_set(LC_EFORBIDDEN,
					     "only an admin or the network's owner may ask for a specific IP address");
		lc__ip_format(ver, &r->ip, r->text);
		if (r->sub < 0) {
			r->sub = subnet_by_ip(ss, ver, &r->ip);
			if (r->sub < 0)
				return lc__error_set(LC_EINVALID, "IP address %s does not belong to a subnet of network %s",
						     r->text, net_id);
		} else if (!lc__cidr_contains(&ss->c[r->sub], ver, &r->ip)) {
			return lc__error_set(LC_EINVALID, "IP address %s is not a valid IP for subnet %s (%s)", r->text,
					     lc__rec_str(ss->r[r->sub], SUB_ID), lc__rec_str(ss->r[r->sub], SUB_CIDR));
		}
		if (ver == 4) {
			lc__addr last;

			lc__cidr_last(&ss->c[r->sub], &last);
			if (lc__addr_cmp(&r->ip, &ss->c[r->sub].net) == 0 || lc__addr_cmp(&r->ip, &last) == 0)
				return lc__error_set(LC_EINVALID, "IP address %s is the network or broadcast address of subnet %s",
						     r->text, lc__rec_str(ss->r[r->sub], SUB_ID));
		}
		r->has_ip = 1;
		for (size_t k = 0; k < i; k++)
			if (out[k].has_ip && strcmp(out[k].text, r->text) == 0)
				return lc__error_set(LC_EINVALID, "IP address %s is requested twice", r->text);
	}
	return 0;
}

/* Allocate one request and append subnet, address to ips (the EUI-64 of mac on an auto-address subnet). */
static int take_one(lc__txn *t, const struct subnets *ss, struct ipreq *r, const char *port_id, const char *mac,
		    lc__nl *ips)
{
	const char *sid = lc__rec_str(ss->r[r->sub], SUB_ID);

	if (!r->has_ip && auto_address(ss->r[r->sub])) {
		LC_TRY(lc__mac_eui64(&ss->c[r->sub], mac, &r->ip));
		LC_TRY(lc__ipam_claim(t, sid, 6, &r->ip, port_id));
		lc__ip_format(6, &r->ip, r->text);
	} else if (r->has_ip) {
		LC_TRY(lc__ipam_claim(t, sid, ss->c[r->sub].version, &r->ip, port_id));
	} else {
		LC_TRY(lc__ipam_alloc(t, sid, port_id, &r->ip));
		lc__ip_format(ss->c[r->sub].version, &r->ip, r->text);
	}
	LC_TRY(lc__nl_add(ips, sid));
	return lc__nl_add(ips, r->text);
}

/*
 * No request: one address of each IP version, from the first subnet of that
 * version with room, and the EUI-64 address on every auto-address subnet.
 */
static int take_auto(lc__txn *t, const struct subnets *ss, const char *net_id, const char *port_id, const char *mac,
		     lc__nl *ips)
{
	for (int ver = 4; ver <= 6; ver += 2) {
		int seen = 0, done = 0;

		for (size_t i = 0; i < ss->n; i++) {
			struct ipreq r = { (long)i, 0, { { 0 } }, "", 0 };
			int rc;

			if (ss->c[i].version != ver)
				continue;
			if (auto_address(ss->r[i])) {
				LC_TRY(take_one(t, ss, &r, port_id, mac, ips));
				continue;
			}
			if (done)
				continue;
			seen = 1;
			rc = take_one(t, ss, &r, port_id, mac, ips);
			if (rc == LC_ECONFLICT)
				continue;
			LC_TRY(rc);
			done = 1;
		}
		if (seen && !done)
			return lc__error_set(LC_ECONFLICT, "No more IP addresses available on network %s", net_id);
	}
	return 0;
}

/* After a caller's requests: the EUI-64 address on each auto-address subnet no request named. */
static int take_auto_rest(lc__txn *t, const struct subnets *ss, const struct ipreq *req, size_t nreq,
			  const char *port_id, const char *mac, lc__nl *ips)
{
	for (size_t i = 0; i < ss->n; i++) {
		struct ipreq r = { (long)i, 0, { { 0 } }, "", 0 };
		size_t k;

		if (!auto_address(ss->r[i]))
			continue;
		for (k = 0; k < nreq && req[k].sub != (long)i; k++)
			;
		if (k == nreq)
			LC_TRY(take_one(t, ss, &r, port_id, mac, ips));
	}
	return 0;
}

static int release_ips(lc__txn *t, const lc__val *ips, const int *keep)
{
	size_t n = lc__nlv_count(ips, 2);

	for (size_t i = 0; i < n; i++) {
		lc__addr a;
		int ver;

		if (keep && keep[i])
			continue;
		if (lc__ip_parse(lc__nlv_item(ips, 2 * i + 1), &ver, &a) < 0)
			return lc__error_set(LC_ECORRUPT, "a port's stored address is corrupt");
		LC_TRY(lc__ipam_release(t, lc__nlv_item(ips, 2 * i), &a));
	}
	return 0;
}

/* 1 if the stored address entry k of a port is on an auto-address subnet. */
static int old_is_auto(const struct subnets *ss, const lc__val *old, size_t k)
{
	long sub = subnet_by_id(ss, lc__nlv_item(old, 2 * k));

	return sub >= 0 && auto_address(ss->r[sub]);
}

/*
 * The port's new address set: keep the addresses of old that a request
 * names (or, for a request with a subnet only, one it holds on that subnet),
 * and those on auto-address subnets (as Neutron does), release the others,
 * allocate the rest. ips gets the result.
 */
static int update_ips(lc__txn *t, const struct subnets *ss, const char *net_id, const char *port_id,
		      const lc__val *old, const char *const *req, int may_pick, const char *mac, lc__nl *ips)
{
	struct ipreq r[LC_PORT_FIXED_IPS_MAX];
	int keep[LC_PORT_FIXED_IPS_MAX * 2];
	size_t nr, nold = lc__nlv_count(old, 2);

	if (nold > LC_PORT_FIXED_IPS_MAX * 2)
		nold = LC_PORT_FIXED_IPS_MAX * 2;
	memset(keep, 0, sizeof(keep));
	LC_TRY(parse_requests(t, ss, net_id, req, 1, 1, mac, r, &nr));
	for (size_t k = 0; k < nold; k++)
		keep[k] = old_is_auto(ss, old, k);
	for (size_t i = 0; i < nr; i++) {
		if (auto_address(ss->r[r[i].sub])) {
			for (size_t k = 0; k < nold && !r[i].kept; k++)
				r[i].kept = strcmp(lc__nlv_item(old, 2 * k), lc__rec_str(ss->r[r[i].sub], SUB_ID)) == 0;
			continue;
		}
		for (size_t k = 0; r[i].has_ip && k < nold; k++) {
			if (!keep[k] && strcmp(lc__nlv_item(old, 2 * k + 1), r[i].text) == 0 &&
			    strcmp(lc__nlv_item(old, 2 * k), lc__rec_str(ss->r[r[i].sub], SUB_ID)) == 0) {
				keep[k] = 1;
				r[i].kept = 1;
			}
		}
		if (r[i].has_ip && !r[i].kept && !may_pick)
			return lc__error_set(LC_EFORBIDDEN,
					     "only an admin or the network's owner may ask for a specific IP address");
	}
	for (size_t i = 0; i < nr; i++) {
		for (size_t k = 0; !r[i].has_ip && !r[i].kept && k < nold; k++) {
			if (!keep[k] && strcmp(lc__nlv_item(old, 2 * k), lc__rec_str(ss->r[r[i].sub], SUB_ID)) == 0) {
				keep[k] = 1;
				r[i].kept = 1;
			}
		}
	}
	LC_TRY(release_ips(t, old, keep));
	lc__nl_reset(ips);
	for (size_t k = 0; k < nold; k++) {
		if (!keep[k])
			continue;
		LC_TRY(lc__nl_add(ips, lc__nlv_item(old, 2 * k)));
		LC_TRY(lc__nl_add(ips, lc__nlv_item(old, 2 * k + 1)));
	}
	for (size_t i = 0; i < nr; i++)
		if (!r[i].kept)
			LC_TRY(take_one(t, ss, &r[i], port_id, mac, ips));
	return 0;
}

/*
 * A port's MAC changed: its addresses on auto-address subnets follow (the
 * old EUI-64 is released, the new one claimed). ips holds the port's
 * addresses and is rewritten.
 */
static int follow_mac(lc__txn *t, const struct subnets *ss, const char *port_id, const char *mac, lc__nl *ips)
{
	lc__nl out = { 0 };
	lc__val v;
	size_t n;
	int rc = 0;

	lc__nl_val(&v, ips);
	n = lc__nlv_count(&v, 2);
	for (size_t k = 0; rc == 0 && k < n; k++) {
		const char *sid = lc__nlv_item(&v, 2 * k), *ip = lc__nlv_item(&v, 2 * k + 1);
		long sub = subnet_by_id(ss, sid);
		char text[LC__IP_TEXT];
		lc__addr a, eui;
		int ver;

		rc = lc__nl_add(&out, sid);
		if (rc == 0 && sub >= 0 && auto_address(ss->r[sub])) {
			if (lc__ip_parse(ip, &ver, &a) < 0) {
				rc = lc__error_set(LC_ECORRUPT, "a port's stored address is corrupt");
				break;
			}
			rc = lc__mac_eui64(&ss->c[sub], mac, &eui);
			if (rc == 0 && lc__addr_cmp(&a, &eui) != 0) {
				rc = lc__ipam_release(t, sid, &a);
				if (rc == 0)
					rc = lc__ipam_claim(t, sid, 6, &eui, port_id);
			}
			lc__ip_format(6, &eui, text);
			ip = text;
		}
		if (rc == 0)
			rc = lc__nl_add(&out, ip);
	}
	if (rc == 0) {
		lc__nl_free(ips);
		*ips = out;
	} else {
		lc__nl_free(&out);
	}
	return rc;
}

/* ---- security groups and address pairs ---- */

static int sg_link(lc__txn *t, const lc__val *sgs, const char *port_id, int add)
{
	size_t n = lc__nlv_count(sgs, 1);

	for (size_t i = 0; i < n; i++) {
		const char *g = lc__nlv_item(sgs, i);
		int rc = add ? lc__txn_put(t, &lc__port_sg_db, g, strlen(g), port_id, strlen(port_id), MDB_NODUPDATA)
			     : lc__txn_del(t, &lc__port_sg_db, g, strlen(g), port_id, strlen(port_id));

		if (rc < 0 && rc != LC_EEXISTS && rc != LC_ENOTFOUND)
			return rc;
	}
	return 0;
}

/* Check the groups a caller names: existing, of the port's project (any for admin). */
static int check_sgs(lc__txn *t, const lc_session *s, const char *project, const char *const *req, lc__nl *out)
{
	size_t n = lc__strv_len(req);
	lc__val v;

	lc__nl_reset(out);
	if (n > LC_PORT_SECURITY_GROUPS_MAX)
		return lc__error_set(LC_EINVALID, "too many security groups (at most %d)", LC_PORT_SECURITY_GROUPS_MAX);
	for (size_t i = 0; i < n; i++) {
		char id[LC__ID_TEXT];
		lc__rec g;
		const char *gp;
		int rc;

		LC_TRY(lc__id_canon("security_groups", req[i], id));
		rc = lc__rec_view(t, &lc__sg_shape, id, &g);
		if (rc < 0)
			return rc == LC_ENOTFOUND ? lc__error_set(LC_ENOTFOUND, "security group %s not found", id) : rc;
		gp = lc__rec_str(&g, SG_PROJECT);
		if (!(s && lc__session_is_admin(s)) && (project == NULL || gp == NULL || strcmp(gp, project) != 0))
			return lc__error_set(LC_ENOTFOUND, "security group %s not found", id);
		lc__nl_val(&v, out);
		if (lc__nlv_find(&v, 1, 0, id) >= 0)
			continue;
		LC_TRY(lc__nl_add(out, id));
	}
	return 0;
}

static int check_pairs(const char *const *req, const char *mac, lc__nl *out)
{
	size_t n = lc__strv_len(req);
	lc__val v;

	lc__nl_reset(out);
	if (n % 2)
		return lc__error_set(LC_EINVALID, "allowed_address_pairs must be ip_address, mac_address pairs");
	if (n / 2 > LC_PORT_ADDRESS_PAIRS_MAX)
		return lc__error_set(LC_EINVALID, "too many allowed address pairs (at most %d)",
				     LC_PORT_ADDRESS_PAIRS_MAX);
	for (size_t i = 0; i < n; i += 2) {
		char ip[LC__CIDR_TEXT], m[LC__MAC_TEXT];
		lc__addr a;
		int ver;

		if (strchr(req[i], '/')) {
			lc__cidr c;

			LC_TRY(lc__cidr_parse("allowed address pair", req[i], 0, &c));
			lc__cidr_format(&c, ip);
		} else {
			LC_TRY(lc__ip_check("allowed address pair", req[i], &ver, &a));
			lc__ip_format(ver, &a, ip);
		}
		if (*req[i + 1])
			LC_TRY(lc__mac_canon("allowed address pair mac_address", req[i + 1], m));
		else
			snprintf(m, sizeof(m), "%s", mac);
		lc__nl_val(&v, out);
		for (size_t k = 0; k < lc__nlv_count(&v, 2); k++)
			if (strcmp(lc__nlv_item(&v, 2 * k), ip) == 0 && strcmp(lc__nlv_item(&v, 2 * k + 1), m) == 0)
				return lc__error_set(LC_EINVALID, "allowed address pair %s %s is given twice", ip, m);
		LC_TRY(lc__nl_add(out, ip));
		LC_TRY(lc__nl_add(out, m));
	}
	return 0;
}

/* ---- create ---- */

struct pctx {
	lc_session *s;              /* the caller, NULL for ports made by the service itself */
	const lc_port_opts *o;      /* caller input, or NULL */
	const lc__port_spec *spec;  /* the service's input, or NULL */
	lc__nl ips, sgs, pairs, tags;
	char mac[LC__MAC_TEXT];
	char sg_default[LC__ID_TEXT];
	int sg_created; /* the project's default group was made in this transaction */
};

static void pctx_free(struct pctx *c)
{
	lc__nl_free(&c->ips);
	lc__nl_free(&c->sgs);
	lc__nl_free(&c->pairs);
	lc__nl_free(&c->tags);
}

void lc__port_set_status(lc__draft *d)
{
	int up = d->v[PRT_ADMIN_UP].set && d->v[PRT_ADMIN_UP].i;
	int used = d->v[PRT_DEVICE_ID].set && d->v[PRT_DEVICE_ID].len > 0;

	lc__draft_set_str(d, PRT_STATUS, up && used ? "ACTIVE" : "DOWN");
	lc__draft_set_str(d, PRT_VIF, d->v[PRT_HOST].set && d->v[PRT_HOST].len ? "ovs" : "unbound");
}

static int pick_mac(lc__txn *t, lc__draft *d, struct pctx *c, const char *net_id)
{
	const lc__index *ix = &lc__port_shape.indexes[PRT_IX_MAC];
	int given = c->o && c->o->mac_address;

	for (int i = 0; i < MAC_TRIES; i++) {
		const char *parts[] = { net_id, c->mac };
		int rc;

		if (!given)
			lc__mac_generate(c->mac);
		rc = lc__index_any(t, ix, parts);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			lc__draft_set_str(d, PRT_MAC, c->mac);
			return 0;
		}
		if (given)
			return lc__error_set(LC_EEXISTS, "MAC address %s is already in use on network %s", c->mac, net_id);
	}
	return lc__error_set(LC_ECONFLICT, "could not find a free MAC address on network %s", net_id);
}

/* The part of a port's creation that runs in the write transaction. */
static int fill_tx(lc__txn *t, lc__draft *d, struct pctx *c)
{
	const char *pid = d->v[PRT_ID].s, *net_id = d->v[PRT_NETWORK].s;
	const char *project = d->v[PRT_PROJECT].set ? d->v[PRT_PROJECT].s : NULL;
	const char *const *req = c->o ? c->o->fixed_ips : c->spec->fixed_ips;
	struct subnets ss;
	lc__rec *net = NULL;
	int may_pick, rc;

	lc__nl_reset(&c->ips);
	lc__nl_reset(&c->sgs);
	lc__nl_reset(&c->pairs);
	c->sg_created = 0;
	if (c->s) {
		LC_TRY(lc__net_load_visible(t, c->s, &lc__network_shape, net_id, lc__network_visible, &net));
		if (!lc__net_own(c->s, lc__rec_str(net, NET_PROJECT)) && !lc__rec_int(net, NET_SHARED)) {
			lc__rec_free(net);
			return lc__error_set(LC_EFORBIDDEN, "network %s belongs to another project and is not shared", net_id);
		}
		may_pick = lc__net_own(c->s, lc__rec_str(net, NET_PROJECT));
	} else {
		LC_TRY(lc__rec_load(t, &lc__network_shape, net_id, &net));
		may_pick = 1;
	}
	if (!d->v[PRT_PORT_SECURITY].set)
		lc__val_bool(&d->v[PRT_PORT_SECURITY], (int)lc__rec_int(net, NET_PORT_SECURITY));
	rc = pick_mac(t, d, c, net_id);
	if (rc == 0)
		rc = subnets_load(t, net, &ss);
	if (rc == 0) {
		if (req == NULL) {
			rc = take_auto(t, &ss, net_id, pid, c->mac, &c->ips);
		} else {
			const char *owner = d->v[PRT_DEVICE_OWNER].set ? d->v[PRT_DEVICE_OWNER].s : NULL;
			struct ipreq r[LC_PORT_FIXED_IPS_MAX];
			size_t nr;

			rc = parse_requests(t, &ss, net_id, req, may_pick, c->o != NULL, c->mac, r, &nr);
			for (size_t i = 0; rc == 0 && i < nr; i++)
				rc = take_one(t, &ss, &r[i], pid, c->mac, &c->ips);
			/* a caller's port also gets its automatic addresses; a router's takes what it names */
			if (rc == 0 && c->o && !(owner && strncmp(owner, "network:router", 14) == 0))
				rc = take_auto_rest(t, &ss, r, nr, pid, c->mac, &c->ips);
		}
		subnets_free(&ss);
	}
	lc__rec_free(net);
	LC_TRY(rc);
	lc__nl_val(&d->v[PRT_FIXED_IPS], &c->ips);

	if (c->o) {
		const lc_port_opts *o = c->o;
		int secure = (int)d->v[PRT_PORT_SECURITY].i;

		if (o->security_groups) {
			LC_TRY(check_sgs(t, c->s, project, o->security_groups, &c->sgs));
		} else if (secure && project) {
			LC_TRY(lc__sg_default_tx(t, project, c->sg_default, &c->sg_created));
			LC_TRY(lc__nl_add(&c->sgs, c->sg_default));
		}
		if (!secure && c->sgs.len)
			return lc__error_set(LC_EINVALID,
					     "port security must be enabled for the port to have security groups");
		LC_TRY(check_pairs(o->allowed_address_pairs, c->mac, &c->pairs));
		if (!secure && c->pairs.len)
			return lc__error_set(LC_EINVALID,
					     "port security must be enabled for the port to have allowed address pairs");
	}
	if (c->spec && c->spec->default_group && project && d->v[PRT_PORT_SECURITY].i) {
		LC_TRY(lc__sg_default_tx(t, project, c->sg_default, &c->sg_created));
		LC_TRY(lc__nl_add(&c->sgs, c->sg_default));
	}
	lc__nl_val(&d->v[PRT_SGS], &c->sgs);
	lc__nl_val(&d->v[PRT_PAIRS], &c->pairs);
	LC_TRY(sg_link(t, &d->v[PRT_SGS], pid, 1));
	if (project)
		LC_TRY(lc__quota_charge(t, project, LC_QUOTA_PORTS, 1));
	lc__port_set_status(d);
	return 0;
}

static int create_tx(lc__txn *t, lc__draft *d, void *p)
{
	return fill_tx(t, d, p);
}

static int collect_id(lc__txn *t, const char *id, void *p)
{
	(void)t;
	return lc__nl_add(p, id);
}

/* Floating IPs associated with a port lose the association (the port goes away). */
static int disassociate_fips(lc__txn *t, const char *port_id)
{
	const char *parts[] = { port_id };
	lc__nl ids = { 0 };
	lc__val v;
	int rc;

	/* collect first: changing the floating IPs changes the index being read */
	rc = lc__index_each(t, &lc__fip_shape.indexes[FIP_IX_PORT], parts, collect_id, &ids);
	lc__nl_val(&v, &ids);
	for (size_t i = 0; rc == 0 && i < lc__nlv_count(&v, 1); i++) {
		lc__rec *f;
		lc__draft d;

		rc = lc__rec_load(t, &lc__fip_shape, lc__nlv_item(&v, i), &f);
		if (rc == LC_ENOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		lc__draft_from(&d, f);
		d.v[FIP_PORT].set = d.v[FIP_FIXED_IP].set = d.v[FIP_ROUTER].set = 0;
		lc__draft_set_str(&d, FIP_STATUS, "DOWN");
		rc = lc__net_restore(t, f, &d);
		lc__rec_free(f);
	}
	lc__nl_free(&ids);
	return rc;
}

/* Release what a port holds: addresses, group links, floating IPs, quota (delete and undo). */
static int port_release(lc__txn *t, const lc__rec *old, void *p)
{
	const char *pid = lc__rec_str(old, PRT_ID), *project = lc__rec_str(old, PRT_PROJECT);

	(void)p;
	LC_TRY(release_ips(t, &old->v[PRT_FIXED_IPS], NULL));
	LC_TRY(sg_link(t, &old->v[PRT_SGS], pid, 0));
	LC_TRY(disassociate_fips(t, pid));
	if (project)
		LC_TRY(lc__quota_charge(t, project, LC_QUOTA_PORTS, -1));
	return 0;
}

int lc__port_destroy_tx(lc__txn *t, const lc__rec *port)
{
	LC_TRY(port_release(t, port, NULL));
	return lc__rec_delete(t, port);
}

int lc__port_create_tx(lc__txn *t, const lc__port_spec *spec, char id_out[LC__ID_TEXT])
{
	struct pctx c;
	lc__draft d;
	int rc;

	memset(&c, 0, sizeof(c));
	c.spec = spec;
	lc__draft_new(&d, &lc__port_shape);
	if (spec->project_id) {
		snprintf(d.ids[PRT_PROJECT], LC__ID_TEXT, "%s", spec->project_id);
		lc__val_str(&d.v[PRT_PROJECT], d.ids[PRT_PROJECT]);
	}
	snprintf(d.ids[PRT_NETWORK], LC__ID_TEXT, "%s", spec->network_id);
	lc__val_str(&d.v[PRT_NETWORK], d.ids[PRT_NETWORK]);
	lc__draft_set_str(&d, PRT_NAME, "");
	lc__val_bool(&d.v[PRT_ADMIN_UP], 1);
	lc__net_set_opt(&d.v[PRT_DEVICE_ID], spec->device_id);
	lc__net_set_opt(&d.v[PRT_DEVICE_OWNER], spec->device_owner);
	lc__net_set_opt(&d.v[PRT_HOST], spec->host);
	lc__draft_set_str(&d, PRT_VNIC, "normal");
	lc__val_blob(&d.v[PRT_TAGS], "", 0);
	lc__net_stamp(&d);
	rc = fill_tx(t, &d, &c);
	if (rc == 0)
		rc = lc__rec_insert(t, &lc__port_shape, d.v);
	if (rc == 0)
		memcpy(id_out, d.ids[0], LC__ID_TEXT);
	pctx_free(&c);
	return rc;
}

/* Caller input common to create and update. */
static int apply_opts(lc_session *s, lc__draft *d, const lc_port_opts *o, struct pctx *c, int update)
{
	const char *project = d->v[PRT_PROJECT].set ? d->v[PRT_PROJECT].s : NULL;

	LC_TRY(lc__net_text(d, PRT_NAME, o->name, update));
	LC_TRY(lc__net_text(d, PRT_DESCRIPTION, o->description, update));
	LC_TRY(lc__draft_bool(d, PRT_ADMIN_UP, o->admin_state_up, update));
	LC_TRY(lc__draft_bool(d, PRT_PORT_SECURITY, o->port_security_enabled, update));
	LC_TRY(lc__net_text(d, PRT_DEVICE_ID, o->device_id, update));
	if (o->device_owner) {
		if (owned_by_network(o->device_owner))
			LC_TRY(lc__policy_enforce(s, "network:create_port:device_owner", project, NULL));
		LC_TRY(lc__net_text(d, PRT_DEVICE_OWNER, o->device_owner, update));
	}
	if (o->binding_host_id) {
		LC_TRY(lc__policy_enforce(s, "network:create_port:binding", project, NULL));
		LC_TRY(lc__net_text(d, PRT_HOST, o->binding_host_id, update));
	}
	if (o->binding_vnic_type) {
		LC_TRY(check_vnic(o->binding_vnic_type));
		LC_TRY(lc__draft_text(d, PRT_VNIC, o->binding_vnic_type, update));
	}
	if (o->tags) {
		LC_TRY(lc__net_tags(&c->tags, o->tags));
		lc__nl_val(&d->v[PRT_TAGS], &c->tags);
	}
	return 0;
}

LC_EXTERN int lc_port_create(lc_port **out, lc_session *s, const lc_port_opts *o)
{
	struct pctx c;
	char project[LC__ID_TEXT];
	lc__draft d;
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(o);
	LC_CHECK_VERSION(o, LC_PORT_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__net_supported(s, LC__NK_PORT));
	LC_TRY(lc__net_owner(s, o->project_id, project));
	if (o->network_id == NULL)
		return lc__error_set(LC_EINVALID, "network_id is required");
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.o = o;
	lc__draft_new(&d, &lc__port_shape);
	lc__draft_set_str(&d, PRT_PROJECT, project);
	LC_TRY(lc__draft_text(&d, PRT_NETWORK, o->network_id, 0));
	lc__draft_set_str(&d, PRT_NAME, "");
	lc__val_bool(&d.v[PRT_ADMIN_UP], 1);
	lc__draft_set_str(&d, PRT_VNIC, "normal");
	lc__val_blob(&d.v[PRT_TAGS], "", 0);
	if (o->mac_address)
		LC_TRY(lc__mac_canon("mac_address", o->mac_address, c.mac));
	rc = apply_opts(s, &d, o, &c, 0);
	if (rc == 0 && o->security_groups == NULL && o->port_security_enabled != 0 &&
	    ((rc = lc__net_supported(s, LC__NK_SG)) < 0 || (rc = lc__net_supported(s, LC__NK_RULE)) < 0))
		return rc;
	if (rc == 0) {
		lc__net_stamp(&d);
		rc = lc__res_create(&r, s, &d, "network:create_port", project, create_tx, &c);
	}
	pctx_free(&c);
	if (rc < 0)
		return rc;
	if (c.sg_created)
		(void)lc__sg_notify_created(s, c.sg_default); /* a failure is logged; the group stays */
	rc = lc__net_notify(s, LC__NK_PORT, LC_NETWORK_CHANGE_CREATE, r, NULL);
	if (rc < 0) {
		lc__net_undo_create(s, &lc__port_shape, lc__rec_str(r, PRT_ID), port_release, NULL);
		lc__rec_free(r);
		return rc;
	}
	if (out)
		*out = (lc_port *)r;
	else
		lc__rec_free(r);
	return 0;
}

/* ---- update ---- */

/* A new MAC for a port (admin): unbound, unique on its network. 1 if it changes. */
static int change_mac(lc__txn *t, lc__draft *d, const lc__rec *old, struct pctx *c)
{
	const char *net_id = lc__rec_str(old, PRT_NETWORK), *host = lc__rec_str(old, PRT_HOST);
	const char *parts[] = { net_id, c->mac };
	int rc;

	LC_TRY(lc__mac_canon("mac_address", c->o->mac_address, c->mac));
	if (strcmp(c->mac, lc__rec_str(old, PRT_MAC)) == 0)
		return 0;
	LC_TRY(lc__policy_enforce(c->s, "network:update_port:mac_address", lc__rec_str(old, PRT_PROJECT), NULL));
	if (host && *host)
		return lc__error_set(LC_ECONFLICT, "Port %s is bound to host %s: its MAC address cannot change",
				     lc__rec_str(old, PRT_ID), host);
	rc = lc__index_any(t, &lc__port_shape.indexes[PRT_IX_MAC], parts);
	if (rc != 0)
		return rc < 0 ? rc : lc__error_set(LC_EEXISTS, "MAC address %s is already in use on network %s", c->mac,
						   net_id);
	lc__draft_set_str(d, PRT_MAC, c->mac);
	return 1;
}

static int update_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	struct pctx *c = p;
	const lc_port_opts *o = c->o;
	const char *pid = lc__rec_str(old, PRT_ID), *net_id = lc__rec_str(old, PRT_NETWORK);
	const char *project = lc__rec_str(old, PRT_PROJECT);
	int secure, mac_changed = 0;

	lc__nl_reset(&c->ips);
	lc__nl_reset(&c->sgs);
	lc__nl_reset(&c->pairs);
	if (o->project_id || o->network_id)
		return lc__error_set(LC_EINVALID, "project_id and network_id cannot be changed");
	if (managed_owner(lc__rec_str(old, PRT_DEVICE_OWNER)) &&
	    (o->device_id || o->device_owner || o->fixed_ips || o->mac_address))
		return lc__error_set(LC_ECONFLICT,
				     "port %s is owned by %s: its device, MAC and addresses change through it", pid,
				     lc__rec_str(old, PRT_DEVICE_OWNER));
	LC_TRY(apply_opts(c->s, d, o, c, 1));
	secure = (int)d->v[PRT_PORT_SECURITY].i;
	snprintf(c->mac, sizeof(c->mac), "%s", lc__rec_str(old, PRT_MAC));
	if (o->mac_address)
		LC_TRY(mac_changed = change_mac(t, d, old, c));
	if (o->fixed_ips || mac_changed) {
		struct subnets ss;
		lc__rec *net;
		int rc, may_pick;

		LC_TRY(lc__rec_load(t, &lc__network_shape, net_id, &net));
		may_pick = lc__net_own(c->s, lc__rec_str(net, NET_PROJECT));
		rc = subnets_load(t, net, &ss);
		lc__rec_free(net);
		LC_TRY(rc);
		if (o->fixed_ips)
			rc = update_ips(t, &ss, net_id, pid, &old->v[PRT_FIXED_IPS], o->fixed_ips, may_pick, c->mac,
					&c->ips);
		else
			rc = lc__nl_copy(&c->ips, &old->v[PRT_FIXED_IPS]);
		if (rc == 0 && mac_changed)
			rc = follow_mac(t, &ss, pid, c->mac, &c->ips);
		subnets_free(&ss);
		LC_TRY(rc);
		lc__nl_val(&d->v[PRT_FIXED_IPS], &c->ips);
	}
	if (o->security_groups) {
		LC_TRY(check_sgs(t, c->s, project, o->security_groups, &c->sgs));
		LC_TRY(sg_link(t, &old->v[PRT_SGS], pid, 0));
		lc__nl_val(&d->v[PRT_SGS], &c->sgs);
		LC_TRY(sg_link(t, &d->v[PRT_SGS], pid, 1));
	}
	if (o->allowed_address_pairs) {
		LC_TRY(check_pairs(o->allowed_address_pairs, lc__rec_str(old, PRT_MAC), &c->pairs));
		lc__nl_val(&d->v[PRT_PAIRS], &c->pairs);
	}
	if (!secure && lc__nlv_count(&d->v[PRT_SGS], 1))
		return lc__error_set(LC_EINVALID, "port security must be enabled for the port to have security groups");
	if (!secure && lc__nlv_count(&d->v[PRT_PAIRS], 2))
		return lc__error_set(LC_EINVALID,
				     "port security must be enabled for the port to have allowed address pairs");
	lc__port_set_status(d);
	return 0;
}

LC_EXTERN int lc_port_update(lc_port **out, lc_session *s, const char *id, const lc_port_opts *o)
{
	struct pctx c;
	lc__rec *r = NULL, *old = NULL;
	int rc, change;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(o);
	LC_CHECK_VERSION(o, LC_PORT_OPTS_VERSION);
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.o = o;
	rc = lc__net_update(&r, &old, s, &lc__port_shape, "network:update_port", id, lc__net_visible_own,
			    update_apply, &c);
	pctx_free(&c);
	if (rc < 0)
		return rc;
	change = LC_NETWORK_CHANGE_UPDATE;
	if (lc__rec_int(old, PRT_ADMIN_UP) != lc__rec_int(r, PRT_ADMIN_UP))
		change = lc__rec_int(r, PRT_ADMIN_UP) ? LC_NETWORK_CHANGE_UP : LC_NETWORK_CHANGE_DOWN;
	lc__rec_free(old);
	rc = lc__net_notify(s, LC__NK_PORT, change, r, NULL);
	if (rc < 0) {
		lc__net_set_status(s, &lc__port_shape, lc__rec_str(r, PRT_ID), PRT_STATUS, "ERROR");
		lc__rec_free(r);
		return rc;
	}
	if (out)
		*out = (lc_port *)r;
	else
		lc__rec_free(r);
	return 0;
}

/* ---- delete ---- */

static int delete_check(lc__txn *t, const lc_session *s, const lc__rec *old, void *p)
{
	const char *owner = lc__rec_str(old, PRT_DEVICE_OWNER);

	(void)t;
	(void)s;
	(void)p;
	if (managed_owner(owner))
		return lc__error_set(LC_ECONFLICT, "Port %s cannot be deleted directly via the port API: has device owner %s.",
				     lc__rec_str(old, PRT_ID), owner);
	return 0;
}

LC_EXTERN int lc_port_delete(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	return lc__net_delete(s, LC__NK_PORT, &lc__port_shape, "network:delete_port", id, flags, lc__net_visible_own,
			      delete_check, port_release, NULL);
}

/* ---- for the other parts of the service ---- */

int lc__port_snapshot(lc_session *s, const char *id, lc__rec **out)
{
	lc__txn t;
	int rc;

	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__rec_load(&t, &lc__port_shape, id, out);
	lc__store_read_end(&t);
	return rc;
}

int lc__port_ip_on_subnet(const lc__rec *port, const char *subnet_id, const char **ip)
{
	size_t n = lc__nl_count(port, PRT_FIXED_IPS, 2);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(lc__nl_item(port, PRT_FIXED_IPS, 2 * i), subnet_id) == 0) {
			if (ip)
				*ip = lc__nl_item(port, PRT_FIXED_IPS, 2 * i + 1);
			return 1;
		}
	}
	return 0;
}

/* ---- DHCP ports (lc_network_service_opts.dhcp_ports) ---- */

#define DHCP_OWNER "network:dhcp"
#define DHCP_DEVICE_MAX (5 + LC__ID_TEXT)

int lc__port_is_dhcp(const lc__rec *port)
{
	const char *o = lc__rec_str(port, PRT_DEVICE_OWNER);

	return o != NULL && strcmp(o, DHCP_OWNER) == 0;
}

struct dhcp_find {
	lc__rec *port; /* the first DHCP port of the device id */
	lc__nl ids;    /* all of them */
};

static int dhcp_visit(lc__txn *t, const char *id, void *p)
{
	struct dhcp_find *f = p;
	lc__rec *port;
	int rc = lc__rec_load(t, &lc__port_shape, id, &port);

	if (rc < 0)
		return rc == LC_ENOTFOUND ? 0 : rc;
	if (lc__port_is_dhcp(port)) {
		rc = lc__nl_add(&f->ids, id);
		if (f->port == NULL && rc == 0) {
			f->port = port;
			return 0;
		}
	}
	lc__rec_free(port);
	return rc;
}

/* The network's DHCP ports (device_id dhcp-<network id>, owner network:dhcp). */
static int dhcp_find(lc__txn *t, const char *network_id, struct dhcp_find *f)
{
	char dev[DHCP_DEVICE_MAX];
	const char *parts[] = { dev };

	memset(f, 0, sizeof(*f));
	snprintf(dev, sizeof(dev), "dhcp-%s", network_id);
	return lc__index_each(t, &lc__port_shape.indexes[PRT_IX_DEVICE], parts, dhcp_visit, f);
}

static void dhcp_find_free(struct dhcp_find *f)
{
	lc__rec_free(f->port);
	lc__nl_free(&f->ids);
}

struct dhcp_sync {
	const char *network_id;
	char port[LC__ID_TEXT];
	int change;   /* 0, or the lc_network_change made */
	lc__rec *old; /* the deleted port */
};

/* A new DHCP port holding one address on each subnet in want (subnet ids). */
static int dhcp_create(lc__txn *t, const lc__rec *net, const lc__val *want, struct dhcp_sync *c)
{
	size_t n = lc__nlv_count(want, 1);
	const char **req = calloc(2 * n + 1, sizeof(*req));
	char dev[DHCP_DEVICE_MAX];
	lc__port_spec spec;
	int rc;

	if (req == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		req[2 * i] = lc__nlv_item(want, i);
		req[2 * i + 1] = "";
	}
	snprintf(dev, sizeof(dev), "dhcp-%s", c->network_id);
	memset(&spec, 0, sizeof(spec));
	spec.project_id = lc__rec_str(net, NET_PROJECT);
	spec.network_id = c->network_id;
	spec.device_id = dev;
	spec.device_owner = DHCP_OWNER;
	spec.fixed_ips = req;
	rc = lc__port_create_tx(t, &spec, c->port);
	free(req);
	if (rc == 0)
		c->change = LC_NETWORK_CHANGE_CREATE;
	return rc;
}

/* Bring an existing DHCP port to the subnets in want. */
static int dhcp_adjust(lc__txn *t, const struct subnets *ss, lc__rec *port, const lc__val *want, struct dhcp_sync *c)
{
	const lc__val *old = &port->v[PRT_FIXED_IPS];
	size_t nold = lc__nlv_count(old, 2), nwant = lc__nlv_count(want, 1);
	const char *pid = lc__rec_str(port, PRT_ID);
	lc__nl ips = { 0 };
	int changed = 0, rc = 0;
	lc__val cur;

	for (size_t k = 0; rc == 0 && k < nold; k++) {
		const char *sid = lc__nlv_item(old, 2 * k), *ip = lc__nlv_item(old, 2 * k + 1);
		lc__addr a;
		int ver;

		if (lc__nlv_find(want, 1, 0, sid) >= 0) {
			rc = lc__nl_add(&ips, sid);
			if (rc == 0)
				rc = lc__nl_add(&ips, ip);
			continue;
		}
		changed = 1;
		if (lc__ip_parse(ip, &ver, &a) < 0)
			rc = lc__error_set(LC_ECORRUPT, "a port's stored address is corrupt");
		else
			rc = lc__ipam_release(t, sid, &a);
	}
	for (size_t i = 0; rc == 0 && i < nwant; i++) {
		struct ipreq r = { subnet_by_id(ss, lc__nlv_item(want, i)), 0, { { 0 } }, "", 0 };

		lc__nl_val(&cur, &ips);
		if (lc__nlv_find(&cur, 2, 0, lc__nlv_item(want, i)) >= 0 || r.sub < 0)
			continue;
		changed = 1;
		rc = take_one(t, ss, &r, pid, lc__rec_str(port, PRT_MAC), &ips);
	}
	if (rc == 0 && changed) {
		snprintf(c->port, sizeof(c->port), "%s", pid);
		if (ips.len == 0) {
			rc = lc__port_destroy_tx(t, port);
			c->change = LC_NETWORK_CHANGE_DELETE;
		} else {
			lc__draft d;

			lc__draft_from(&d, port);
			lc__nl_val(&d.v[PRT_FIXED_IPS], &ips);
			rc = lc__net_restore(t, port, &d);
			c->change = LC_NETWORK_CHANGE_UPDATE;
		}
	}
	lc__nl_free(&ips);
	return rc;
}

static int dhcp_sync_tx(lc__txn *t, void *p)
{
	struct dhcp_sync *c = p;
	struct dhcp_find f;
	struct subnets ss;
	lc__rec *net = NULL;
	lc__nl want = { 0 };
	lc__val wv;
	int rc;

	c->change = 0;
	lc__rec_free(c->old);
	c->old = NULL;
	rc = lc__rec_load(t, &lc__network_shape, c->network_id, &net);
	if (rc < 0)
		return rc == LC_ENOTFOUND ? 0 : rc;
	rc = subnets_load(t, net, &ss);
	if (rc < 0) {
		lc__rec_free(net);
		return rc;
	}
	for (size_t i = 0; rc == 0 && i < ss.n; i++)
		if (lc__rec_int(ss.r[i], SUB_DHCP))
			rc = lc__nl_add(&want, lc__rec_str(ss.r[i], SUB_ID));
	if (rc == 0)
		rc = dhcp_find(t, c->network_id, &f);
	if (rc == 0) {
		lc__nl_val(&wv, &want);
		if (f.port == NULL && want.len > 0)
			rc = dhcp_create(t, net, &wv, c);
		else if (f.port != NULL)
			rc = dhcp_adjust(t, &ss, f.port, &wv, c);
		if (rc == 0 && c->change == LC_NETWORK_CHANGE_DELETE) {
			c->old = f.port; /* told to the driver once committed */
			f.port = NULL;
		}
		dhcp_find_free(&f);
	}
	lc__nl_free(&want);
	subnets_free(&ss);
	lc__rec_free(net);
	return rc;
}

int lc__dhcp_sync(lc_session *s, const char *network_id)
{
	lc__netsvc *ns = lc__net_of(s->cloud);
	struct dhcp_sync c;
	lc__rec *r = NULL;
	int rc;

	if (ns == NULL || !ns->conf.dhcp_ports)
		return 0;
	memset(&c, 0, sizeof(c));
	c.network_id = network_id;
	rc = lc__store_write(lc__session_store(s), dhcp_sync_tx, &c);
	if (rc == 0 && c.change == LC_NETWORK_CHANGE_DELETE)
		rc = lc__net_notify(s, LC__NK_PORT, c.change, c.old, NULL);
	else if (rc == 0 && c.change && (rc = lc__port_snapshot(s, c.port, &r)) == 0)
		rc = lc__net_notify(s, LC__NK_PORT, c.change, r, NULL);
	if (rc < 0)
		lc__log(s->cloud, LC_LOG_ERROR, "the DHCP port of network %s: %s", network_id, lc_error_last()->message);
	lc__rec_free(r);
	lc__rec_free(c.old);
	return rc;
}

int lc__dhcp_drop_tx(lc__txn *t, const char *network_id, lc__rec **gone)
{
	struct dhcp_find f;
	lc__val ids;
	int rc;

	*gone = NULL;
	LC_TRY(dhcp_find(t, network_id, &f));
	lc__nl_val(&ids, &f.ids);
	rc = 0;
	for (size_t i = 0; rc == 0 && i < lc__nlv_count(&ids, 1); i++) {
		lc__rec *port;

		rc = lc__rec_load(t, &lc__port_shape, lc__nlv_item(&ids, i), &port);
		if (rc == 0)
			rc = lc__port_destroy_tx(t, port);
		lc__rec_free(port);
	}
	if (rc == 0) {
		*gone = f.port;
		f.port = NULL;
	}
	dhcp_find_free(&f);
	return rc;
}
