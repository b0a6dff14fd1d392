/* A server's addresses: its ports' fixed IPs and their floating IPs, read through the network service. */
#include <libcloud/server.h>

#include <stdlib.h>
#include <string.h>

#include "compute/server_internal.h"
#include "core/error.h"
#include "core/resource.h"
#include "network/attach.h"

struct lc_server_addresses {
	size_t n, cap;
	struct entry {
		char *network_id, *network_name, *port_id, *mac, *addr;
		int version, floating;
	} *e;
};

static int add(const lc__net_addr *a, void *p)
{
	lc_server_addresses *l = p;
	struct entry *e;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4;

		e = realloc(l->e, cap * sizeof(*e));
		if (e == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		l->e = e;
		l->cap = cap;
	}
	e = &l->e[l->n];
	memset(e, 0, sizeof(*e));
	l->n++;
	e->network_id = strdup(a->network_id ? a->network_id : "");
	e->network_name = strdup(a->network_name ? a->network_name : "");
	e->port_id = strdup(a->port_id ? a->port_id : "");
	e->mac = strdup(a->mac ? a->mac : "");
	e->addr = strdup(a->addr);
	e->version = a->version;
	e->floating = a->floating;
	if (!e->network_id || !e->network_name || !e->port_id || !e->mac || !e->addr)
		return lc__error_set(LC_ENOMEM, "out of memory");
	return 0;
}

LC_EXTERN int lc_server_addresses_get(lc_server_addresses **out, lc_session *s, const char *id)
{
	char key[LC__ID_TEXT];
	lc_server_addresses *l;
	lc__rec *r = NULL;
	lc__txn t;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	rc = lc__store_read(lc__session_store(s), &t);
	if (rc == 0) {
		rc = lc__server_load(&t, s, key, NULL, &r);
		if (rc == 0)
			rc = lc__net_device_addresses_tx(&t, key, &r->v[SRV_NICS], add, l);
		lc__store_read_end(&t);
	}
	lc__rec_free(r);
	if (rc < 0) {
		lc_server_addresses_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

static const struct entry *at(const lc_server_addresses *a, size_t i)
{
	return a && i < a->n ? &a->e[i] : NULL;
}

LC_EXTERN size_t lc_server_addresses_count(const lc_server_addresses *a)
{
	return a ? a->n : 0;
}

LC_EXTERN const char *lc_server_addresses_network_id(const lc_server_addresses *a, size_t i)
{
	return at(a, i) ? at(a, i)->network_id : NULL;
}

LC_EXTERN const char *lc_server_addresses_network_name(const lc_server_addresses *a, size_t i)
{
	return at(a, i) ? at(a, i)->network_name : NULL;
}

LC_EXTERN const char *lc_server_addresses_port_id(const lc_server_addresses *a, size_t i)
{
	return at(a, i) ? at(a, i)->port_id : NULL;
}

LC_EXTERN const char *lc_server_addresses_mac(const lc_server_addresses *a, size_t i)
{
	return at(a, i) ? at(a, i)->mac : NULL;
}

LC_EXTERN const char *lc_server_addresses_addr(const lc_server_addresses *a, size_t i)
{
	return at(a, i) ? at(a, i)->addr : NULL;
}

LC_EXTERN int lc_server_addresses_version(const lc_server_addresses *a, size_t i)
{
	return at(a, i) ? at(a, i)->version : 0;
}

LC_EXTERN int lc_server_addresses_floating(const lc_server_addresses *a, size_t i)
{
	return at(a, i) ? at(a, i)->floating : 0;
}

LC_EXTERN void lc_server_addresses_free(lc_server_addresses *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->e[i].network_id);
		free(a->e[i].network_name);
		free(a->e[i].port_id);
		free(a->e[i].mac);
		free(a->e[i].addr);
	}
	free(a->e);
	free(a);
}
