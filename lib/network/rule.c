/* Security group rules: checked like Neutron's, duplicates refused through a fingerprint index. */
#include <libcloud/security_group.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/quota.h"
#include "network/net.h"

LC__RESOURCE_READERS(security_group_rule, lc__rule_shape, "network:get_security_group_rule",
		     "network:list_security_group_rules", lc__net_visible_own)
LC__RESOURCE_STR(security_group_rule, id, RUL_ID)
LC__RESOURCE_STR(security_group_rule, project_id, RUL_PROJECT)
LC__RESOURCE_STR(security_group_rule, group_id, RUL_GROUP)
LC__RESOURCE_STR(security_group_rule, direction, RUL_DIRECTION)
LC__RESOURCE_STR(security_group_rule, ethertype, RUL_ETHERTYPE)
LC__RESOURCE_STR(security_group_rule, protocol, RUL_PROTOCOL)
LC__RESOURCE_STR(security_group_rule, remote_ip_prefix, RUL_REMOTE_PREFIX)
LC__RESOURCE_STR(security_group_rule, remote_group_id, RUL_REMOTE_GROUP)
LC__RESOURCE_TEXT(security_group_rule, description, RUL_DESCRIPTION)
LC__NET_INT(security_group_rule, created_at, RUL_CREATED)
LC__NET_INT(security_group_rule, revision, RUL_REVISION)

LC_EXTERN int lc_security_group_rule_port_range_min(const lc_security_group_rule *r)
{
	return r && lc__rec_set(&r->rec, RUL_PORT_MIN) ? (int)lc__rec_int(&r->rec, RUL_PORT_MIN) : LC_UNSET;
}

LC_EXTERN int lc_security_group_rule_port_range_max(const lc_security_group_rule *r)
{
	return r && lc__rec_set(&r->rec, RUL_PORT_MAX) ? (int)lc__rec_int(&r->rec, RUL_PORT_MAX) : LC_UNSET;
}

LC__OPTS_INIT_FN(lc_security_group_rule_opts_init, lc_security_group_rule_opts, LC_SECURITY_GROUP_RULE_OPTS_INIT,
		 LC_SECURITY_GROUP_RULE_OPTS_VERSION)

/* IP protocols by name (Neutron's list). */
static const struct {
	const char *name;
	int num;
} protocols[] = {
	{ "ah", 51 }, { "dccp", 33 }, { "egp", 8 }, { "esp", 50 }, { "gre", 47 }, { "hopopt", 0 },
	{ "icmp", 1 }, { "igmp", 2 }, { "ipip", 4 }, { "ipv6-encap", 41 }, { "ipv6-frag", 44 },
	{ "ipv6-icmp", 58 }, { "icmpv6", 58 }, { "ipv6-nonxt", 59 }, { "ipv6-opts", 60 }, { "ipv6-route", 43 },
	{ "ospf", 89 }, { "pgm", 113 }, { "rsvp", 46 }, { "sctp", 132 }, { "tcp", 6 }, { "udp", 17 },
	{ "udplite", 136 }, { "vrrp", 112 },
};

/* The protocol number of a name or a decimal number; -1 for "any", LC_EINVALID when unknown. */
static int protocol_number(const char *p, int *num)
{
	*num = -1;
	if (p == NULL || strcasecmp(p, "any") == 0)
		return 0;
	if (*p >= '0' && *p <= '9') {
		char *end;
		long v = strtol(p, &end, 10);

		if (*end != '\0' || v < 0 || v > 255 || (p[0] == '0' && p[1] != '\0'))
			return lc__error_set(LC_EINVALID, "protocol number '%.32s' is not 0..255", p);
		*num = (int)v;
		return 0;
	}
	for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++) {
		if (strcasecmp(protocols[i].name, p) == 0) {
			*num = protocols[i].num;
			return 0;
		}
	}
	return lc__error_set(LC_EINVALID, "protocol '%.32s' is not supported: use a name (tcp, udp, icmp, ...) or a number 0..255",
			     p);
}

static int port_protocol(int num)
{
	return num == 6 || num == 17 || num == 132 || num == 33 || num == 136;
}

static int icmp_protocol(int num)
{
	return num == 1 || num == 58;
}

/* What was checked about a rule before any transaction. */
struct rule_in {
	const char *direction, *ethertype, *protocol;
	int proto;
	int pmin, pmax;
	char prefix[LC__CIDR_TEXT];
	int has_prefix;
	char protocol_text[33];
};

static int check_rule(const lc_security_group_rule_opts *o, struct rule_in *in)
{
	memset(in, 0, sizeof(*in));
	if (o->direction == NULL)
		return lc__error_set(LC_EINVALID, "direction is required (ingress or egress)");
	if (strcmp(o->direction, "ingress") && strcmp(o->direction, "egress"))
		return lc__error_set(LC_EINVALID, "direction '%.32s' is not ingress or egress", o->direction);
	in->direction = o->direction;
	if (o->ethertype == NULL || strcasecmp(o->ethertype, "IPv4") == 0)
		in->ethertype = "IPv4";
	else if (strcasecmp(o->ethertype, "IPv6") == 0)
		in->ethertype = "IPv6";
	else
		return lc__error_set(LC_EINVALID, "ethertype '%.32s' is not IPv4 or IPv6", o->ethertype);
	LC_TRY(protocol_number(o->protocol, &in->proto));
	if (in->proto >= 0) {
		size_t n = strlen(o->protocol);

		for (size_t i = 0; i <= n; i++) /* names are stored lower case, as Neutron does */
			in->protocol_text[i] = (char)((o->protocol[i] >= 'A' && o->protocol[i] <= 'Z') ? o->protocol[i] + 32
												       : o->protocol[i]);
		in->protocol = in->protocol_text;
	}
	if (in->proto == 58 && strcmp(in->ethertype, "IPv4") == 0)
		return lc__error_set(LC_EINVALID, "protocol %s is not allowed with ethertype IPv4", o->protocol);
	if (in->proto == 1 && strcmp(in->ethertype, "IPv6") == 0)
		in->proto = 58; /* icmp with IPv6 means ICMPv6 */
	in->pmin = o->port_range_min;
	in->pmax = o->port_range_max;
	if (in->pmin != LC_UNSET || in->pmax != LC_UNSET) {
		if (in->proto < 0)
			return lc__error_set(LC_EINVALID, "a port range needs a protocol");
		if (port_protocol(in->proto)) {
			if (in->pmin == LC_UNSET || in->pmax == LC_UNSET)
				return lc__error_set(LC_EINVALID, "port_range_min and port_range_max must both be given");
			if (in->pmin < 1 || in->pmin > 65535 || in->pmax < 1 || in->pmax > 65535)
				return lc__error_set(LC_EINVALID, "ports must be 1..65535 (got %d..%d)", in->pmin, in->pmax);
			if (in->pmin > in->pmax)
				return lc__error_set(LC_EINVALID, "port_range_min %d is greater than port_range_max %d",
						     in->pmin, in->pmax);
		} else if (icmp_protocol(in->proto)) {
			if (in->pmin != LC_UNSET && (in->pmin < 0 || in->pmin > 255))
				return lc__error_set(LC_EINVALID, "ICMP type (port_range_min) %d is not 0..255", in->pmin);
			if (in->pmax != LC_UNSET && (in->pmax < 0 || in->pmax > 255))
				return lc__error_set(LC_EINVALID, "ICMP code (port_range_max) %d is not 0..255", in->pmax);
			if (in->pmin == LC_UNSET)
				return lc__error_set(LC_EINVALID, "ICMP code %d is given without an ICMP type", in->pmax);
		} else {
			return lc__error_set(LC_EINVALID, "protocol %s does not have ports", o->protocol);
		}
	}
	if (o->remote_ip_prefix && o->remote_group_id)
		return lc__error_set(LC_EINVALID, "remote_ip_prefix and remote_group_id cannot both be given");
	if (o->remote_ip_prefix) {
		lc__cidr c;
		int want = strcmp(in->ethertype, "IPv4") == 0 ? 4 : 6;

		if (strchr(o->remote_ip_prefix, '/')) {
			LC_TRY(lc__cidr_parse("remote_ip_prefix", o->remote_ip_prefix, 0, &c));
		} else {
			LC_TRY(lc__ip_check("remote_ip_prefix", o->remote_ip_prefix, &c.version, &c.net));
			c.prefix = c.version == 4 ? 32 : 128;
		}
		if (c.version != want)
			return lc__error_set(LC_EINVALID, "remote_ip_prefix %.64s does not match ethertype %s",
					     o->remote_ip_prefix, in->ethertype);
		lc__cidr_format(&c, in->prefix);
		in->has_prefix = 1;
	}
	return 0;
}

/* The rule's identity: two rules with the same fingerprint are the same rule. */
static int fingerprint(const lc__draft *d, lc__nl *out)
{
	char buf[400];
	const lc__val *v = d->v;
	const char *prefix = v[RUL_REMOTE_PREFIX].set ? v[RUL_REMOTE_PREFIX].s : "any";
	int proto;

	LC_TRY(protocol_number(v[RUL_PROTOCOL].set ? v[RUL_PROTOCOL].s : NULL, &proto));
	if (proto == 1 && strcmp(v[RUL_ETHERTYPE].s, "IPv6") == 0)
		proto = 58;
	if (strcmp(prefix, "0.0.0.0/0") == 0 || strcmp(prefix, "::/0") == 0)
		prefix = "any";
	snprintf(buf, sizeof(buf), "%s|%s|%s|%d|%lld|%lld|%s|%s", v[RUL_GROUP].s, v[RUL_DIRECTION].s,
		 v[RUL_ETHERTYPE].s, proto, v[RUL_PORT_MIN].set ? (long long)v[RUL_PORT_MIN].i : -1LL,
		 v[RUL_PORT_MAX].set ? (long long)v[RUL_PORT_MAX].i : -1LL, prefix,
		 v[RUL_REMOTE_GROUP].set ? v[RUL_REMOTE_GROUP].s : "any");
	lc__nl_reset(out);
	return lc__nl_add(out, buf);
}

/* Fingerprint, duplicate check and quota of a rule about to be inserted. */
static int prepare_tx(lc__txn *t, lc__draft *d, lc__nl *scratch)
{
	char existing[LC__ID_TEXT];
	const char *parts[1];
	int rc;

	LC_TRY(fingerprint(d, scratch));
	lc__draft_set_str(d, RUL_FINGERPRINT, scratch->buf);
	parts[0] = scratch->buf;
	rc = lc__index_lookup(t, &lc__rule_shape.indexes[RUL_IX_FINGERPRINT], parts, existing, sizeof(existing));
	if (rc == 0)
		return lc__error_set(LC_EEXISTS, "Security group rule already exists. Rule id is %s.", existing);
	if (rc != LC_ENOTFOUND)
		return rc;
	return lc__quota_charge(t, d->v[RUL_PROJECT].s, LC_QUOTA_SECURITY_GROUP_RULES, 1);
}

int lc__rule_insert_tx(lc__txn *t, lc__draft *d, lc__nl *scratch)
{
	LC_TRY(prepare_tx(t, d, scratch));
	return lc__rec_insert(t, &lc__rule_shape, d->v);
}

void lc__rule_default_draft(lc__draft *d, const char *project_id, const char *group_id, const char *direction,
			    const char *ethertype, const char *remote_group)
{
	lc__draft_new(d, &lc__rule_shape);
	snprintf(d->ids[RUL_PROJECT], LC__ID_TEXT, "%s", project_id);
	lc__val_str(&d->v[RUL_PROJECT], d->ids[RUL_PROJECT]);
	snprintf(d->ids[RUL_GROUP], LC__ID_TEXT, "%s", group_id);
	lc__val_str(&d->v[RUL_GROUP], d->ids[RUL_GROUP]);
	lc__draft_set_str(d, RUL_DIRECTION, direction);
	lc__draft_set_str(d, RUL_ETHERTYPE, ethertype);
	if (remote_group) {
		snprintf(d->ids[RUL_REMOTE_GROUP], LC__ID_TEXT, "%s", remote_group);
		lc__val_str(&d->v[RUL_REMOTE_GROUP], d->ids[RUL_REMOTE_GROUP]);
	}
	lc__net_stamp(d);
}

static int delete_rule(lc__txn *t, const char *id)
{
	lc__rec *r;
	int rc = lc__rec_load(t, &lc__rule_shape, id, &r);

	if (rc == LC_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	rc = lc__quota_charge(t, lc__rec_str(r, RUL_PROJECT), LC_QUOTA_SECURITY_GROUP_RULES, -1);
	if (rc == 0)
		rc = lc__rec_delete(t, r);
	lc__rec_free(r);
	return rc;
}

static int collect_id(lc__txn *t, const char *id, void *p)
{
	(void)t;
	return lc__nl_add(p, id);
}

int lc__rule_purge_group_tx(lc__txn *t, const char *group_id)
{
	const char *parts[] = { group_id };
	lc__nl ids = { 0 };
	lc__val v;
	int rc;

	rc = lc__index_each(t, &lc__rule_shape.indexes[RUL_IX_GROUP], parts, collect_id, &ids);
	if (rc == 0)
		rc = lc__index_each(t, &lc__rule_shape.indexes[RUL_IX_REMOTE_GROUP], parts, collect_id, &ids);
	lc__nl_val(&v, &ids);
	for (size_t i = 0; rc == 0 && i < lc__nlv_count(&v, 1); i++)
		rc = delete_rule(t, lc__nlv_item(&v, i));
	lc__nl_free(&ids);
	return rc;
}

static int rule_release(lc__txn *t, const lc__rec *old, void *p)
{
	(void)p;
	return lc__quota_charge(t, lc__rec_str(old, RUL_PROJECT), LC_QUOTA_SECURITY_GROUP_RULES, -1);
}

struct rule_ctx {
	lc_session *s;
	lc__nl scratch;
};

static int create_tx(lc__txn *t, lc__draft *d, void *p)
{
	struct rule_ctx *c = p;
	lc__rec *g;

	LC_TRY(lc__net_load_visible(t, c->s, &lc__sg_shape, d->v[RUL_GROUP].s, lc__net_visible_own, &g));
	lc__rec_free(g);
	if (d->v[RUL_REMOTE_GROUP].set) {
		lc__rec *rg;

		LC_TRY(lc__net_load_visible(t, c->s, &lc__sg_shape, d->v[RUL_REMOTE_GROUP].s, lc__net_visible_own, &rg));
		lc__rec_free(rg);
	}
	return prepare_tx(t, d, &c->scratch); /* lc__res_create inserts it */
}

LC_EXTERN int lc_security_group_rule_create(lc_security_group_rule **out, lc_session *s,
					    const lc_security_group_rule_opts *o)
{
	struct rule_ctx c = { s, { 0 } };
	struct rule_in in;
	char group[LC__ID_TEXT];
	lc__rec *g = NULL, *r = NULL;
	lc__draft d;
	lc__txn t;
	int rc;

	LC__NET_WRITE_BEGIN(out, o, LC_SECURITY_GROUP_RULE_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__net_supported(s, LC__NK_RULE));
	if (o->security_group_id == NULL)
		return lc__error_set(LC_EINVALID, "security_group_id is required");
	LC_TRY(lc__id_canon("security_group_id", o->security_group_id, group));
	LC_TRY(check_rule(o, &in));
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__net_load_visible(&t, s, &lc__sg_shape, group, lc__net_visible_own, &g);
	lc__store_read_end(&t);
	LC_TRY(rc);
	lc__draft_new(&d, &lc__rule_shape);
	snprintf(d.ids[RUL_PROJECT], LC__ID_TEXT, "%s", lc__rec_str(g, SG_PROJECT));
	lc__rec_free(g);
	lc__val_str(&d.v[RUL_PROJECT], d.ids[RUL_PROJECT]);
	if (o->project_id) {
		char p[LC__ID_TEXT];

		LC_TRY(lc__id_canon("project_id", o->project_id, p));
		if (strcmp(p, d.ids[RUL_PROJECT]) != 0)
			return lc__error_set(LC_EINVALID, "a rule belongs to the project of its security group");
	}
	LC_TRY(lc__draft_text(&d, RUL_GROUP, group, 0));
	lc__draft_set_str(&d, RUL_DIRECTION, in.direction);
	lc__draft_set_str(&d, RUL_ETHERTYPE, in.ethertype);
	lc__net_set_opt(&d.v[RUL_PROTOCOL], in.protocol);
	if (in.pmin != LC_UNSET)
		lc__draft_set_int(&d, RUL_PORT_MIN, in.pmin);
	if (in.pmax != LC_UNSET)
		lc__draft_set_int(&d, RUL_PORT_MAX, in.pmax);
	else if (in.pmin != LC_UNSET && port_protocol(in.proto))
		lc__draft_set_int(&d, RUL_PORT_MAX, in.pmin);
	lc__net_set_opt(&d.v[RUL_REMOTE_PREFIX], in.has_prefix ? in.prefix : NULL);
	if (o->remote_group_id)
		LC_TRY(lc__draft_text(&d, RUL_REMOTE_GROUP, o->remote_group_id, 0));
	LC_TRY(lc__net_text(&d, RUL_DESCRIPTION, o->description, 0));
	lc__net_stamp(&d);
	rc = lc__res_create(&r, s, &d, "network:create_security_group_rule", d.ids[RUL_PROJECT], create_tx, &c);
	lc__nl_free(&c.scratch);
	if (rc < 0)
		return rc;
	rc = lc__net_created(&r, s, LC__NK_RULE, rule_release);
	LC__NET_OUT(out, lc_security_group_rule, r);
	return rc;
}

LC_EXTERN int lc_security_group_rule_delete(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	return lc__net_delete(s, LC__NK_RULE, &lc__rule_shape, "network:delete_security_group_rule", id, flags,
			      lc__net_visible_own, NULL, rule_release, NULL);
}
