/*
 * A server's network attachments: the networks and ports asked for at
 * create, checked before any transaction, attached in the create's own
 * transaction (through the network service, lib/network/attach.h), told to
 * the network driver after the commit, and let go with the server.
 */
#include <libcloud/server.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compute/server_internal.h"
#include "core/error.h"
#include "core/text.h"
#include "network/addr.h"
#include "network/attach.h"

int lc__nics_check(const lc_server_opts *o, unsigned int max_count)
{
	char a[LC__ID_TEXT], b[LC__ID_TEXT];
	lc__addr addr;
	int version;

	if (o->networks && strcmp(o->networks, "auto") && strcmp(o->networks, "none"))
		return lc__error_set(LC_EINVALID, "networks must be \"auto\", \"none\" or a list of attachments");
	if (o->nics_count == 0)
		return 0;
	if (o->nics == NULL)
		return lc__error_set(LC_EINVALID, "nics is NULL but nics_count is %zu", o->nics_count);
	if (o->networks)
		return lc__error_set(LC_EINVALID, "networks \"%s\" and a list of attachments are exclusive", o->networks);
	if (o->nics_count > LC_SERVER_NICS_MAX)
		return lc__error_set(LC_EINVALID, "at most %d network attachments", LC_SERVER_NICS_MAX);
	for (size_t i = 0; i < o->nics_count; i++) {
		const lc_server_nic *n = &o->nics[i];

		if ((n->network_id == NULL) == (n->port_id == NULL))
			return lc__error_set(LC_EINVALID, "network attachment %zu: give a network or a port", i);
		if (n->port_id) {
			if (n->fixed_ip)
				return lc__error_set(LC_EINVALID, "network attachment %zu: a fixed IP goes with a network, "
						     "not a port", i);
			if (lc__id_canon("port", n->port_id, a) < 0)
				return lc__error_set(LC_EINVALID, "network attachment %zu: port '%.64s' is not a port id",
						     i, n->port_id);
			if (max_count > 1)
				return lc__error_set(LC_EINVALID, "Unable to launch multiple instances with a single "
						     "configured port ID. Please launch your instance one by one with "
						     "different ports.");
			for (size_t j = 0; j < i; j++)
				if (o->nics[j].port_id && lc__id_canon("port", o->nics[j].port_id, b) == 0 && !strcmp(a, b))
					return lc__error_set(LC_EINVALID, "port %s is given twice", a);
		} else {
			if (lc__id_canon("network", n->network_id, a) < 0)
				return lc__error_set(LC_EINVALID, "network attachment %zu: network '%.64s' is not a "
						     "network id", i, n->network_id);
			if (n->fixed_ip) {
				LC_TRY(lc__text_check("fixed_ip", n->fixed_ip, 1, 45));
				if (lc__ip_parse(n->fixed_ip, &version, &addr) < 0)
					return lc__error_set(LC_EINVALID, "network attachment %zu: '%.45s' is not an IP "
							     "address", i, n->fixed_ip);
				if (max_count > 1)
					return lc__error_set(LC_EINVALID, "a fixed IP cannot be given when creating "
							     "several servers");
			}
		}
	}
	lc__error_clear();
	return 0;
}

int lc__nics_auto_tx(lc__txn *t, const lc_server_opts *o, const char *project, char net[LC__ID_TEXT])
{
	int rc;

	net[0] = '\0';
	if (o->nics_count > 0 || (o->networks && strcmp(o->networks, "none") == 0))
		return 0;
	rc = lc__net_auto_network_tx(t, project, net);
	if (rc == LC_ENOTFOUND) { /* nothing to attach: the server boots without a network */
		lc__error_clear();
		net[0] = '\0';
		return 0;
	}
	return rc;
}

static void append(char *blob, size_t *len, const char *id)
{
	size_t n = strlen(id) + 1;

	memcpy(blob + *len, id, n);
	*len += n;
}

static int add_port(lc__srv_ports *p, const char *id, int made, const char *group_made)
{
	if (p->n == LC_SERVER_NICS_MAX)
		return lc__error_set(LC_EINVALID, "at most %d network attachments", LC_SERVER_NICS_MAX);
	if (group_made && *group_made)
		snprintf(p->group_made, sizeof(p->group_made), "%s", group_made);
	if (made)
		append(p->made_blob, &p->made_len, id);
	append(p->all_blob, &p->all_len, id);
	p->n++;
	return 0;
}

int lc__nics_attach_tx(lc__txn *t, const lc_server_opts *o, const char *auto_net, const char *project,
		       const char *server_id, const char *host, lc__srv_ports *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < o->nics_count || (i == 0 && auto_net && *auto_net); i++) {
		lc__net_attach a = { project, server_id, NULL, NULL, NULL, host, "" };
		char port[LC__ID_TEXT];
		int made;

		if (o->nics_count) {
			a.network_id = o->nics[i].network_id;
			a.port_id = o->nics[i].port_id;
			a.fixed_ip = o->nics[i].fixed_ip;
		} else {
			a.network_id = auto_net;
		}
		LC_TRY(lc__net_attach_tx(t, &a, port, &made));
		LC_TRY(add_port(out, port, made, a.group_made));
	}
	return 0;
}

int lc__nics_notify(lc_session *s, const lc__srv_ports *p)
{
	lc__val all = { p->all_blob, (uint32_t)p->all_len, 1, 0 }, made = { p->made_blob, (uint32_t)p->made_len, 1, 0 };

	for (size_t i = 0; i < lc__nlv_count(&all, 1); i++) {
		const char *id = lc__nlv_item(&all, i);
		int change = lc__nlv_find(&made, 1, 0, id) >= 0 ? LC_NETWORK_CHANGE_CREATE : LC_NETWORK_CHANGE_UPDATE;

		LC_TRY(lc__net_notify_port(s, id, change, i == 0 ? p->group_made : NULL));
	}
	return 0;
}

void lc__server_ports_gone(lc_session *s, const lc__val *v)
{
	for (size_t i = 0; s && v && i < lc__nlv_count(v, 1); i++)
		(void)lc__net_notify_port_gone(s, lc__nlv_item(v, i)); /* a failure is logged; the model goes on */
}

static int keep(const char *port_id, void *p)
{
	return lc__nl_add(p, port_id);
}

int lc__server_ports_release_tx(lc__txn *t, const lc__rec *r, lc__nl *kept)
{
	if (kept)
		lc__nl_reset(kept);
	return lc__net_device_release_tx(t, lc__rec_str(r, SRV_ID), &r->v[SRV_PORTS], kept ? keep : NULL, kept);
}

static int given_port(lc__txn *t, const lc__rec *port, void *p)
{
	const lc__val *made = p;

	(void)t;
	return !(made->set && lc__nlv_find(made, 1, 0, lc__rec_str(port, 0 /* id */)) >= 0);
}

int lc__server_ports_all_made(lc__txn *t, const lc__rec *r)
{
	int rc = lc__net_device_ports_tx(t, lc__rec_str(r, SRV_ID), NULL, given_port, (void *)&r->v[SRV_PORTS]);

	return rc < 0 ? rc : rc == 0;
}

void lc__server_ports_kept(lc_session *s, lc__nl *kept)
{
	lc__val v;

	lc__nl_val(&v, kept);
	for (size_t i = 0; s && i < lc__nlv_count(&v, 1); i++)
		(void)lc__net_notify_port(s, lc__nlv_item(&v, i), LC_NETWORK_CHANGE_UPDATE, NULL);
	lc__nl_free(kept);
}

/* ---- the driver's view ---- */

static int nic_add(const lc__net_nic *n, void *p)
{
	lc__inst *in = p;
	lc_compute_nic *nics;
	struct lc__inst_nic *st;

	nics = realloc(in->nics, (in->nnics + 1) * sizeof(*nics));
	if (nics == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	in->nics = nics;
	st = realloc(in->nic_store, (in->nnics + 1) * sizeof(*st));
	if (st == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	in->nic_store = st;
	snprintf(st[in->nnics].port, sizeof(st->port), "%s", n->port_id);
	snprintf(st[in->nnics].network, sizeof(st->network), "%s", n->network_id);
	snprintf(st[in->nnics].mac, sizeof(st->mac), "%s", n->mac ? n->mac : "");
	nics[in->nnics].mtu = n->mtu;
	in->nnics++;
	return 0;
}

int lc__inst_nics(lc__inst *in, lc__txn *t, const lc__rec *r)
{
	LC_TRY(lc__net_device_nics_tx(t, lc__rec_str(r, SRV_ID), &r->v[SRV_NICS], nic_add, in));
	/* the strings are placed once the arrays stop moving */
	for (size_t i = 0; i < in->nnics; i++) {
		in->nics[i].port_id = in->nic_store[i].port;
		in->nics[i].network_id = in->nic_store[i].network;
		in->nics[i].mac_address = in->nic_store[i].mac;
	}
	in->ci.nics = in->nics;
	in->ci.nics_count = in->nnics;
	return 0;
}
