/* Security groups: the default group, rules checked like Neutron's, duplicates, deletion rules. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "nettest.h"

static lc_session *s;

static void setup(void)
{
	n_setup();
	s = n_project("p1", "member", NULL);
}

static void teardown(void)
{
	lc_session_free(s);
	n_teardown();
}

TestSuite(security_groups, .init = setup, .fini = teardown);

static size_t count_rules(const char *group_id)
{
	const char *f[] = { "security_group_id", group_id, NULL };
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_security_group_rule_iter *it = NULL;
	lc_security_group_rule *r = NULL;
	size_t n = 0;

	lo.filters = f;
	N_OK(lc_security_group_rule_iter_new(&it, s, &lo));
	while (lc_security_group_rule_iter_next(&r, it) == 0) {
		n++;
		lc_security_group_rule_free(r);
	}
	lc_security_group_rule_iter_free(it);
	return n;
}

static lc_security_group *group(const char *name)
{
	lc_security_group_opts o = LC_SECURITY_GROUP_OPTS_INIT;
	lc_security_group *g = NULL;

	o.name = name;
	N_OK(lc_security_group_create(&g, s, &o));
	return g;
}

/* A rule request on group g expected to fail with code, changing nothing. */
static void rule_rejected(int code, lc_security_group_rule_opts *o, const char *words)
{
	uint64_t seq = n_seq();
	lc_security_group_rule *r = NULL;
	int rc = lc_security_group_rule_create(&r, s, o);

	cr_assert_eq(rc, code, "got %d (%s)", rc, lc_error_last()->message);
	cr_assert_null(r);
	if (words)
		cr_assert_not_null(strstr(lc_error_last()->message, words), "%s", lc_error_last()->message);
	cr_assert_eq(n_seq(), seq);
}

Test(security_groups, the_default_group_appears_on_first_use_with_openstacks_rules)
{
	lc_security_group_iter *it = NULL;
	lc_security_group *g = NULL, *def = NULL;
	lc_security_group_rule_iter *rit = NULL;
	lc_security_group_rule *r = NULL;
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	const char *f[2 + 1] = { "security_group_id", NULL, NULL };
	int n = 0, ingress_self = 0, egress_any = 0;

	N_OK(lc_security_group_iter_new(&it, s, NULL));
	while (lc_security_group_iter_next(&g, it) == 0) {
		cr_assert_str_eq(lc_security_group_name(g), "default");
		cr_assert(lc_security_group_is_default(g));
		def = g;
		n++;
	}
	lc_security_group_iter_free(it);
	cr_assert_eq(n, 1);
	f[1] = lc_security_group_id(def);
	lo.filters = f;
	N_OK(lc_security_group_rule_iter_new(&rit, s, &lo));
	n = 0;
	while (lc_security_group_rule_iter_next(&r, rit) == 0) {
		const char *rg = lc_security_group_rule_remote_group_id(r);

		n++;
		cr_assert_null(lc_security_group_rule_protocol(r));
		cr_assert_null(lc_security_group_rule_remote_ip_prefix(r));
		cr_assert_eq(lc_security_group_rule_port_range_min(r), LC_UNSET);
		if (strcmp(lc_security_group_rule_direction(r), "ingress") == 0 && rg &&
		    strcmp(rg, lc_security_group_id(def)) == 0)
			ingress_self++;
		if (strcmp(lc_security_group_rule_direction(r), "egress") == 0 && rg == NULL)
			egress_any++;
		lc_security_group_rule_free(r);
	}
	lc_security_group_rule_iter_free(rit);
	cr_assert_eq(n, 4);
	cr_assert_eq(ingress_self, 2);
	cr_assert_eq(egress_any, 2);
	lc_security_group_free(def);
	/* listed again: still one */
	n = 0;
	N_OK(lc_security_group_iter_new(&it, s, NULL));
	while (lc_security_group_iter_next(&g, it) == 0) {
		n++;
		lc_security_group_free(g);
	}
	lc_security_group_iter_free(it);
	cr_assert_eq(n, 1);
}

Test(security_groups, a_new_group_has_the_two_egress_rules)
{
	lc_security_group *g = group("web");

	cr_assert_str_eq(lc_security_group_name(g), "web");
	cr_assert(lc_security_group_stateful(g));
	cr_assert_not(lc_security_group_is_default(g));
	cr_assert_eq(count_rules(lc_security_group_id(g)), 2);
	lc_security_group_free(g);
}

Test(security_groups, another_group_named_default_is_refused)
{
	lc_security_group_opts o = LC_SECURITY_GROUP_OPTS_INIT;
	lc_security_group *g = group("web"), *def = NULL;

	o.name = "default";
	N_FAILS(LC_EEXISTS, lc_security_group_create(NULL, s, &o));
	N_FAILS(LC_EEXISTS, lc_security_group_update(NULL, s, lc_security_group_id(g), &o));
	N_OK(lc_security_group_default(&def, s, NULL));
	o.name = "renamed";
	N_FAILS(LC_ECONFLICT, lc_security_group_update(NULL, s, lc_security_group_id(def), &o));
	lc_security_group_free(def);
	lc_security_group_free(g);
}

Test(security_groups, a_tcp_rule_is_kept_and_a_duplicate_refused)
{
	lc_security_group *g = group("ssh");
	lc_security_group_rule_opts o = LC_SECURITY_GROUP_RULE_OPTS_INIT;
	lc_security_group_rule *r = NULL;

	o.security_group_id = lc_security_group_id(g);
	o.direction = "ingress";
	o.ethertype = "IPv4";
	o.protocol = "TCP";
	o.port_range_min = 22;
	o.port_range_max = 22;
	o.remote_ip_prefix = "0.0.0.0/0";
	N_OK(lc_security_group_rule_create(&r, s, &o));
	cr_assert_str_eq(lc_security_group_rule_protocol(r), "tcp");
	cr_assert_eq(lc_security_group_rule_port_range_min(r), 22);
	cr_assert_eq(lc_security_group_rule_port_range_max(r), 22);
	cr_assert_str_eq(lc_security_group_rule_remote_ip_prefix(r), "0.0.0.0/0");
	cr_assert_str_eq(lc_security_group_rule_group_id(r), lc_security_group_id(g));
	cr_assert_str_eq(lc_security_group_rule_project_id(r), lc_session_project_id(s));
	o.protocol = "6"; /* the same rule by number, and without the any-prefix */
	o.remote_ip_prefix = NULL;
	rule_rejected(LC_EEXISTS, &o, lc_security_group_rule_id(r));
	cr_assert_eq(count_rules(lc_security_group_id(g)), 3);
	N_OK(lc_security_group_rule_delete(s, lc_security_group_rule_id(r), 0));
	cr_assert_eq(count_rules(lc_security_group_id(g)), 2);
	N_OK(lc_security_group_rule_create(NULL, s, &o));
	lc_security_group_rule_free(r);
	lc_security_group_free(g);
}

Test(security_groups, a_port_range_with_min_greater_than_max_is_invalid)
{
	lc_security_group *g = group("g");
	lc_security_group_rule_opts o = LC_SECURITY_GROUP_RULE_OPTS_INIT;

	o.security_group_id = lc_security_group_id(g);
	o.direction = "ingress";
	o.protocol = "tcp";
	o.port_range_min = 100;
	o.port_range_max = 80;
	rule_rejected(LC_EINVALID, &o, "greater than");
	lc_security_group_free(g);
}

Test(security_groups, ports_outside_0_65535_are_invalid)
{
	lc_security_group *g = group("g");
	lc_security_group_rule_opts o = LC_SECURITY_GROUP_RULE_OPTS_INIT;

	o.security_group_id = lc_security_group_id(g);
	o.direction = "ingress";
	o.protocol = "udp";
	o.port_range_min = 1;
	o.port_range_max = 65536;
	rule_rejected(LC_EINVALID, &o, "1..65535");
	o.port_range_min = -5;
	o.port_range_max = 10;
	rule_rejected(LC_EINVALID, &o, "1..65535");
	o.port_range_min = 0;
	o.port_range_max = 0;
	rule_rejected(LC_EINVALID, &o, "1..65535");
	lc_security_group_free(g);
}

Test(security_groups, ports_with_icmp_are_types_and_codes_and_checked_as_such)
{
	lc_security_group *g = group("g");
	lc_security_group_rule_opts o = LC_SECURITY_GROUP_RULE_OPTS_INIT;
	lc_security_group_rule *r = NULL;

	o.security_group_id = lc_security_group_id(g);
	o.direction = "ingress";
	o.protocol = "icmp";
	o.port_range_min = 1000; /* a port, not an ICMP type */
	o.port_range_max = 1000;
	rule_rejected(LC_EINVALID, &o, "ICMP type");
	o.port_range_min = LC_UNSET;
	o.port_range_max = 0;
	rule_rejected(LC_EINVALID, &o, "without an ICMP type");
	o.port_range_min = 8; /* echo request */
	o.port_range_max = 0;
	N_OK(lc_security_group_rule_create(&r, s, &o));
	cr_assert_eq(lc_security_group_rule_port_range_min(r), 8);
	lc_security_group_rule_free(r);
	o.protocol = "gre";
	rule_rejected(LC_EINVALID, &o, "does not have ports");
	o.protocol = NULL;
	rule_rejected(LC_EINVALID, &o, "needs a protocol");
	lc_security_group_free(g);
}

Test(security_groups, unknown_protocols_are_invalid)
{
	lc_security_group *g = group("g");
	lc_security_group_rule_opts o = LC_SECURITY_GROUP_RULE_OPTS_INIT;
	const char *bad[] = { "tcpp", "256", "-1", "07", "", NULL };

	o.security_group_id = lc_security_group_id(g);
	o.direction = "egress";
	for (int i = 0; bad[i]; i++) {
		o.protocol = bad[i];
		rule_rejected(LC_EINVALID, &o, NULL);
	}
	o.protocol = "132"; /* a number is fine */
	N_OK(lc_security_group_rule_create(NULL, s, &o));
	lc_security_group_free(g);
}

Test(security_groups, bad_directions_ethertypes_and_remotes_are_invalid)
{
	lc_security_group *g = group("g"), *other = group("other");
	lc_security_group_rule_opts o = LC_SECURITY_GROUP_RULE_OPTS_INIT;
	lc_session *b = n_project("pb", "member", NULL);
	lc_security_group_opts go = LC_SECURITY_GROUP_OPTS_INIT;
	lc_security_group *foreign = NULL;

	o.security_group_id = lc_security_group_id(g);
	rule_rejected(LC_EINVALID, &o, "direction");
	o.direction = "sideways";
	rule_rejected(LC_EINVALID, &o, "direction");
	o.direction = "ingress";
	o.ethertype = "IPX";
	rule_rejected(LC_EINVALID, &o, "ethertype");
	o.ethertype = "IPv4";
	o.protocol = "ipv6-icmp";
	rule_rejected(LC_EINVALID, &o, "IPv4");
	o.protocol = NULL;
	o.remote_ip_prefix = "2001:db8::/32";
	rule_rejected(LC_EINVALID, &o, "ethertype");
	o.remote_group_id = lc_security_group_id(other);
	rule_rejected(LC_EINVALID, &o, "both");
	o.remote_ip_prefix = NULL;
	go.name = "theirs";
	N_OK(lc_security_group_create(&foreign, b, &go));
	o.remote_group_id = lc_security_group_id(foreign);
	rule_rejected(LC_ENOTFOUND, &o, NULL);
	o.remote_group_id = lc_security_group_id(other);
	N_OK(lc_security_group_rule_create(NULL, s, &o));
	o.security_group_id = lc_security_group_id(foreign);
	o.remote_group_id = NULL;
	rule_rejected(LC_ENOTFOUND, &o, NULL);
	lc_security_group_free(foreign);
	lc_security_group_free(g);
	lc_security_group_free(other);
	lc_session_free(b);
}

Test(security_groups, a_remote_prefix_is_normalised)
{
	lc_security_group *g = group("g");
	lc_security_group_rule_opts o = LC_SECURITY_GROUP_RULE_OPTS_INIT;
	lc_security_group_rule *r = NULL;

	o.security_group_id = lc_security_group_id(g);
	o.direction = "ingress";
	o.remote_ip_prefix = "10.1.2.3/16";
	N_OK(lc_security_group_rule_create(&r, s, &o));
	cr_assert_str_eq(lc_security_group_rule_remote_ip_prefix(r), "10.1.0.0/16");
	lc_security_group_rule_free(r);
	lc_security_group_free(g);
}

Test(security_groups, a_group_in_use_cannot_be_deleted_and_the_default_is_the_admins)
{
	lc_security_group *g = group("web"), *def = NULL;
	lc_network *net = n_net(s, "n");
	lc_port_opts po = LC_PORT_OPTS_INIT;
	const char *groups[] = { NULL, NULL };
	lc_port *p = NULL;
	uint64_t seq;

	groups[0] = lc_security_group_id(g);
	po.network_id = lc_network_id(net);
	po.security_groups = groups;
	N_OK(lc_port_create(&p, s, &po));
	seq = n_seq();
	N_FAILS(LC_ECONFLICT, lc_security_group_delete(s, lc_security_group_id(g), 0));
	cr_assert_not_null(strstr(lc_error_last()->message, "in use"));
	N_OK(lc_security_group_default(&def, s, NULL));
	N_FAILS(LC_ECONFLICT, lc_security_group_delete(s, lc_security_group_id(def), 0));
	cr_assert_eq(n_seq(), seq);
	N_OK(lc_port_delete(s, lc_port_id(p), 0));
	N_OK(lc_security_group_delete(s, lc_security_group_id(g), 0));
	cr_assert_eq(count_rules(lc_security_group_id(g)), 0);
	N_OK(lc_security_group_delete(n_admin, lc_security_group_id(def), 0));
	lc_security_group_free(def);
	lc_security_group_free(g);
	lc_port_free(p);
	lc_network_free(net);
}

Test(security_groups, deleting_a_group_removes_rules_naming_it_as_remote)
{
	lc_security_group *a = group("a"), *b = group("b");
	lc_security_group_rule_opts o = LC_SECURITY_GROUP_RULE_OPTS_INIT;
	char pid[37];
	int64_t used;

	snprintf(pid, sizeof(pid), "%s", lc_session_project_id(s));
	o.security_group_id = lc_security_group_id(a);
	o.direction = "ingress";
	o.remote_group_id = lc_security_group_id(b);
	N_OK(lc_security_group_rule_create(NULL, s, &o));
	cr_assert_eq(count_rules(lc_security_group_id(a)), 3);
	N_OK(lc_security_group_delete(s, lc_security_group_id(b), 0));
	cr_assert_eq(count_rules(lc_security_group_id(a)), 2);
	N_OK(lc_quota_get(NULL, &used, n_sys, pid, LC_QUOTA_SECURITY_GROUP_RULES));
	cr_assert_eq(used, 4 + 2); /* default group's 4, group a's 2 */
	lc_security_group_free(a);
	lc_security_group_free(b);
}

Test(security_groups, the_rule_quota_is_enforced)
{
	char pid[37];
	lc_session *q = n_project("pq", "member", pid);
	lc_security_group_opts o = LC_SECURITY_GROUP_OPTS_INIT;

	N_OK(lc_quota_set(n_sys, pid, LC_QUOTA_SECURITY_GROUP_RULES, 5)); /* default group 4 + 2 > 5 */
	o.name = "g";
	N_FAILS(LC_EQUOTA, lc_security_group_create(NULL, q, &o));
	lc_session_free(q);
}
