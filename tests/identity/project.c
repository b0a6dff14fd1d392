/* Projects through the public API: CRUD, hierarchy, listing, visibility, and bad input. */
#include <criterion/criterion.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcloud/libcloud.h>

#include "cloudfixture.h"

TestSuite(project, .init = setup, .fini = teardown, .timeout = 60);

#define UNKNOWN_ID "0190b0c2-0000-7000-8000-0000000000bb"

static int count_projects(lc_session *s, const char *const *filters)
{
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_project_iter *it = NULL;
	lc_project *p;
	int n = 0, rc;

	lo.filters = filters;
	ASSERT_RC(lc_project_iter_new(&it, s, &lo), 0);
	while ((rc = lc_project_iter_next(&p, it)) == 0) {
		n++;
		lc_project_free(p);
	}
	ASSERT_RC(rc, LC_ITEROVER);
	lc_project_iter_free(it);
	return n;
}

/* Create a project; returns its id in a static rotating buffer. */
static const char *mkproj(const char *name, const char *domain_id, const char *parent_id)
{
	static char ids[8][64];
	static int next;
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *p = NULL;
	char *out = ids[next++ % 8];

	o.name = name;
	o.domain_id = domain_id;
	o.parent_id = parent_id;
	ASSERT_RC(lc_project_create(&p, sys, &o), 0);
	snprintf(out, 64, "%s", lc_project_id(p));
	lc_project_free(p);
	return out;
}

static const char *mkdomain(const char *name)
{
	static char ids[4][64];
	static int next;
	lc_domain_opts o = LC_DOMAIN_OPTS_INIT;
	lc_domain *d = NULL;
	char *out = ids[next++ % 4];

	o.name = name;
	ASSERT_RC(lc_domain_create(&d, sys, &o), 0);
	snprintf(out, 64, "%s", lc_domain_id(d));
	lc_domain_free(d);
	return out;
}

/* ---- CRUD and hierarchy ---- */

Test(project, create_get_find_update_and_delete)
{
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *p = NULL, *g = NULL;
	char id[64];

	o.name = "web";
	o.description = "the web tier";
	ASSERT_RC(lc_project_create(&p, sys, &o), 0);
	cr_assert_str_eq(lc_project_name(p), "web");
	cr_assert_str_eq(lc_project_domain_id(p), LC_DEFAULT_DOMAIN_ID, "the Default domain by default");
	cr_assert_null(lc_project_parent_id(p));
	cr_assert_str_eq(lc_project_description(p), "the web tier");
	cr_assert(lc_project_enabled(p));
	snprintf(id, sizeof(id), "%s", lc_project_id(p));
	lc_project_free(p);

	ASSERT_RC(lc_project_get(&g, sys, id), 0);
	cr_assert_str_eq(lc_project_name(g), "web");
	lc_project_free(g);
	ASSERT_RC(lc_project_find(&g, sys, NULL, "web"), 0);
	cr_assert_str_eq(lc_project_id(g), id);
	lc_project_free(g);
	ASSERT_RC(lc_project_find(&g, sys, LC_DEFAULT_DOMAIN_ID, "web"), 0);
	lc_project_free(g);

	o = (lc_project_opts)LC_PROJECT_OPTS_INIT;
	o.name = "www";
	o.enabled = 0;
	ASSERT_RC(lc_project_update(&g, sys, id, &o), 0);
	cr_assert_str_eq(lc_project_name(g), "www");
	cr_assert_str_eq(lc_project_description(g), "the web tier", "fields not given are unchanged");
	cr_assert_not(lc_project_enabled(g));
	lc_project_free(g);

	ASSERT_RC(lc_project_delete(sys, id, 0), 0);
	ASSERT_RC(lc_project_get(&g, sys, id), LC_ENOTFOUND);
	cr_assert_null(g);
	ASSERT_RC(lc_project_find(&g, sys, NULL, "www"), LC_ENOTFOUND);
}

Test(project, a_child_takes_its_parent_s_domain)
{
	const char *dom = mkdomain("tree");
	char parent[64], child[64];
	lc_project *g = NULL;

	snprintf(parent, sizeof(parent), "%s", mkproj("root", dom, NULL));
	snprintf(child, sizeof(child), "%s", mkproj("leaf", NULL, parent));
	ASSERT_RC(lc_project_get(&g, sys, child), 0);
	cr_assert_str_eq(lc_project_parent_id(g), parent);
	cr_assert_str_eq(lc_project_domain_id(g), dom);
	lc_project_free(g);
	ASSERT_RC(lc_project_find(&g, sys, dom, "leaf"), 0);
	lc_project_free(g);
	ASSERT_RC(lc_project_find(&g, sys, NULL, "leaf"), LC_ENOTFOUND); /* not in the Default domain */
}

Test(project, a_parent_in_another_domain_or_unknown_references_are_refused)
{
	const char *dom = mkdomain("apart");
	char parent[64];
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	int before;

	snprintf(parent, sizeof(parent), "%s", mkproj("home-root", NULL, NULL));
	before = count_projects(sys, NULL);
	o.name = "stray";
	o.parent_id = parent;
	o.domain_id = dom;
	ASSERT_REJECTS(lc_project_create(NULL, sys, &o), LC_EINVALID, "domain");
	o.domain_id = UNKNOWN_ID;
	o.parent_id = NULL;
	ASSERT_REJECTS(lc_project_create(NULL, sys, &o), LC_ENOTFOUND, UNKNOWN_ID);
	o.domain_id = NULL;
	o.parent_id = UNKNOWN_ID;
	ASSERT_REJECTS(lc_project_create(NULL, sys, &o), LC_ENOTFOUND, UNKNOWN_ID);
	o.parent_id = "12345";
	ASSERT_REJECTS(lc_project_create(NULL, sys, &o), LC_EINVALID, "parent_id");
	o.parent_id = NULL;
	o.domain_id = "not a domain";
	ASSERT_REJECTS(lc_project_create(NULL, sys, &o), LC_EINVALID, "domain_id");
	cr_assert_eq(count_projects(sys, NULL), before);
}

Test(project, domain_and_parent_cannot_be_changed_by_update)
{
	char id[64];
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *g = NULL;
	const char *dom = mkdomain("moved");

	snprintf(id, sizeof(id), "%s", mkproj("fixed", NULL, NULL));
	o.domain_id = dom;
	ASSERT_REJECTS(lc_project_update(NULL, sys, id, &o), LC_EINVALID, "domain_id");
	o.domain_id = NULL;
	o.parent_id = mkproj("new-parent", NULL, NULL);
	ASSERT_REJECTS(lc_project_update(NULL, sys, id, &o), LC_EINVALID, "parent_id");
	ASSERT_RC(lc_project_get(&g, sys, id), 0);
	cr_assert_str_eq(lc_project_domain_id(g), LC_DEFAULT_DOMAIN_ID);
	cr_assert_null(lc_project_parent_id(g));
	lc_project_free(g);
}

/* ---- listing ---- */

Test(project, filters_select_by_name_domain_parent_and_enabled)
{
	const char *dom = mkdomain("filtered");
	char root[64];
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	const char *by_name[] = { "name", "shared-name", NULL };
	const char *by_domain[] = { "domain_id", dom, NULL };
	const char *by_parent[] = { "parent_id", root, NULL };
	const char *disabled[] = { "enabled", "false", NULL };
	const char *name_and_domain[] = { "name", "shared-name", "domain_id", LC_DEFAULT_DOMAIN_ID, NULL };

	snprintf(root, sizeof(root), "%s", mkproj("root", dom, NULL));
	mkproj("shared-name", NULL, NULL);
	mkproj("shared-name", dom, NULL);
	mkproj("kid1", NULL, root);
	mkproj("kid2", NULL, root);
	o.name = "off";
	o.enabled = 0;
	ASSERT_RC(lc_project_create(NULL, sys, &o), 0);

	cr_assert_eq(count_projects(sys, NULL), 7); /* admin + 6 */
	cr_assert_eq(count_projects(sys, by_name), 2);
	cr_assert_eq(count_projects(sys, by_domain), 4);
	cr_assert_eq(count_projects(sys, by_parent), 2);
	cr_assert_eq(count_projects(sys, disabled), 1);
	cr_assert_eq(count_projects(sys, name_and_domain), 1);
}

Test(project, unknown_filters_and_markers_are_invalid)
{
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_project_iter *it = (lc_project_iter *)1;
	const char *unknown[] = { "owner", "me", NULL };
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_user *u = NULL;

	lo.filters = unknown;
	ASSERT_REJECTS(lc_project_iter_new(&it, sys, &lo), LC_EINVALID, "owner");
	cr_assert_null(it);
	lo.filters = NULL;
	lo.marker = UNKNOWN_ID;
	ASSERT_REJECTS(lc_project_iter_new(&it, sys, &lo), LC_EINVALID, "marker");
	lo.marker = "zzz";
	ASSERT_REJECTS(lc_project_iter_new(&it, sys, &lo), LC_EINVALID, "marker");
	/* The id of something that is not a project is unknown as a project marker. */
	uo.name = "not-a-project";
	ASSERT_RC(lc_user_create(&u, sys, &uo), 0);
	lo.marker = lc_user_id(u);
	ASSERT_REJECTS(lc_project_iter_new(&it, sys, &lo), LC_EINVALID, "marker");
	lc_user_free(u);
}

Test(project, marker_and_limit_page_through_in_creation_order)
{
	char ids[7][64];
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_project_iter *it = NULL;
	lc_project *p;
	int n = 0;

	for (int i = 0; i < 7; i++) {
		char name[16];
		snprintf(name, sizeof(name), "pg%d", i);
		snprintf(ids[i], sizeof(ids[i]), "%s", mkproj(name, NULL, NULL));
	}
	lo.marker = ids[2];
	lo.limit = 3;
	ASSERT_RC(lc_project_iter_new(&it, sys, &lo), 0);
	while (lc_project_iter_next(&p, it) == 0) {
		cr_assert_str_eq(lc_project_id(p), ids[3 + n]);
		n++;
		lc_project_free(p);
	}
	lc_project_iter_free(it);
	cr_assert_eq(n, 3);
	lo.marker = ids[6];
	lo.limit = 10;
	ASSERT_RC(lc_project_iter_new(&it, sys, &lo), 0);
	ASSERT_RC(lc_project_iter_next(&p, it), LC_ITEROVER);
	lc_project_iter_free(it);
}

Test(project, a_deleted_marker_is_invalid_but_an_open_iterator_survives_deletes)
{
	char a[64], b[64], c[64];
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_project_iter *it = NULL;
	lc_project *p;

	snprintf(a, sizeof(a), "%s", mkproj("del-a", NULL, NULL));
	snprintf(b, sizeof(b), "%s", mkproj("del-b", NULL, NULL));
	snprintf(c, sizeof(c), "%s", mkproj("del-c", NULL, NULL));
	lo.marker = a;
	ASSERT_RC(lc_project_iter_new(&it, sys, &lo), 0);
	ASSERT_RC(lc_project_iter_next(&p, it), 0);
	cr_assert_str_eq(lc_project_id(p), b);
	lc_project_free(p);
	ASSERT_RC(lc_project_delete(sys, b, 0), 0);
	ASSERT_RC(lc_project_iter_next(&p, it), 0);
	cr_assert_str_eq(lc_project_id(p), c);
	lc_project_free(p);
	lc_project_iter_free(it);
	lo.marker = b;
	ASSERT_REJECTS(lc_project_iter_new(&it, sys, &lo), LC_EINVALID, "marker");
}

/* ---- bad input changes nothing ---- */

static void expect_create_rejected(const char *name, const char *description, int want, const char *what)
{
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *p = (lc_project *)1;
	int before = count_projects(sys, NULL);

	o.name = name;
	o.description = description;
	ASSERT_REJECTS(lc_project_create(&p, sys, &o), want, what);
	cr_assert_null(p);
	cr_assert_eq(count_projects(sys, NULL), before, "a rejected create stored a project");
}

Test(project, names_of_64_bytes_are_accepted_and_65_rejected)
{
	char n64[65], n65[66];
	lc_project *p = NULL;

	memset(n64, 'p', 64);
	n64[64] = '\0';
	memset(n65, 'q', 65);
	n65[65] = '\0';
	mkproj(n64, NULL, NULL);
	ASSERT_RC(lc_project_find(&p, sys, NULL, n64), 0);
	lc_project_free(p);
	expect_create_rejected(n65, NULL, LC_EINVALID, "name");
	ASSERT_REJECTS(lc_project_find(&p, sys, NULL, n65), LC_EINVALID, "name");
}

Test(project, descriptions_of_255_bytes_are_accepted_and_256_rejected)
{
	char d255[256], d256[257];
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *p = NULL;

	memset(d255, 'd', 255);
	d255[255] = '\0';
	memset(d256, 'e', 256);
	d256[256] = '\0';
	o.name = "long-story";
	o.description = d255;
	ASSERT_RC(lc_project_create(&p, sys, &o), 0);
	cr_assert_str_eq(lc_project_description(p), d255);
	lc_project_free(p);
	expect_create_rejected("longer-story", d256, LC_EINVALID, "description");
}

Test(project, invalid_text_is_rejected)
{
	static const char *const utf8[] = { "\xfe", "x\xe2\x82", "\xc1\x81", "\xed\xbf\xbf" };
	static const char *const ctrl[] = { "line\nbreak", "nul-less\x02", "\x7f", "next\xc2\x9f" };

	for (size_t i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++) {
		expect_create_rejected(utf8[i], NULL, LC_EINVALID, "UTF-8");
		expect_create_rejected("ok", utf8[i], LC_EINVALID, "UTF-8");
	}
	for (size_t i = 0; i < sizeof(ctrl) / sizeof(ctrl[0]); i++) {
		expect_create_rejected(ctrl[i], NULL, LC_EINVALID, "control");
		expect_create_rejected("ok", ctrl[i], LC_EINVALID, "control");
	}
	expect_create_rejected("", NULL, LC_EINVALID, "name");
	expect_create_rejected(" ", NULL, LC_EINVALID, "name");
	expect_create_rejected(NULL, NULL, LC_EINVALID, "name");
}

Test(project, null_and_versionless_options_are_invalid)
{
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *p = NULL;

	ASSERT_RC(lc_project_create(&p, sys, NULL), LC_EINVALID);
	o.name = "v";
	o.version = 0;
	ASSERT_REJECTS(lc_project_create(&p, sys, &o), LC_EINVALID, "version");
	o.version = 99;
	ASSERT_REJECTS(lc_project_create(&p, sys, &o), LC_EINVALID, "version");
	o.version = LC_PROJECT_OPTS_VERSION;
	o.enabled = -2;
	ASSERT_REJECTS(lc_project_create(&p, sys, &o), LC_EINVALID, "enabled");
	o.enabled = LC_UNSET;
	ASSERT_RC(lc_project_create(&p, NULL, &o), LC_EINVALID);
	ASSERT_RC(lc_project_update(NULL, sys, UNKNOWN_ID, NULL), LC_EINVALID);
	cr_assert_eq(count_projects(sys, NULL), 1);
}

Test(project, duplicate_names_conflict_within_a_domain_only)
{
	const char *dom = mkdomain("second");
	char first[64], other[64];
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *g = NULL;

	snprintf(first, sizeof(first), "%s", mkproj("same", NULL, NULL));
	expect_create_rejected("same", NULL, LC_EEXISTS, "name");
	mkproj("same", dom, NULL); /* another domain: fine */
	ASSERT_RC(lc_project_find(&g, sys, dom, "same"), 0);
	cr_assert_str_neq(lc_project_id(g), first);
	lc_project_free(g);
	/* Renaming onto a taken name changes nothing. */
	snprintf(other, sizeof(other), "%s", mkproj("different", NULL, NULL));
	o.name = "same";
	o.description = "should not stick";
	ASSERT_REJECTS(lc_project_update(&g, sys, other, &o), LC_EEXISTS, "name");
	cr_assert_null(g);
	ASSERT_RC(lc_project_get(&g, sys, other), 0);
	cr_assert_str_eq(lc_project_name(g), "different");
	cr_assert_str_eq(lc_project_description(g), "");
	lc_project_free(g);
	/* A project may keep its own name. */
	o.name = "different";
	o.description = NULL;
	ASSERT_RC(lc_project_update(NULL, sys, other, &o), 0);
}

Test(project, malformed_ids_are_invalid_and_unknown_ids_not_found)
{
	static const char *const bad[] = { "", "42", "0190b0c2-0000-7000-8000-0000000000b",
					   "0190b0c2-0000-7000-8000-0000000000bg", "{0190b0c2-0000-7000-8000-0000000000bb}" };
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *p = NULL;

	o.description = "x";
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_REJECTS(lc_project_get(&p, sys, bad[i]), LC_EINVALID, "id");
		ASSERT_REJECTS(lc_project_update(NULL, sys, bad[i], &o), LC_EINVALID, "id");
		ASSERT_REJECTS(lc_project_delete(sys, bad[i], 0), LC_EINVALID, "id");
		ASSERT_REJECTS(lc_project_find(&p, sys, bad[i], "admin"), LC_EINVALID, "domain_id");
	}
	ASSERT_RC(lc_project_get(&p, sys, NULL), LC_EINVALID);
	ASSERT_RC(lc_project_get(NULL, sys, UNKNOWN_ID), LC_EINVALID);
	ASSERT_REJECTS(lc_project_get(&p, sys, UNKNOWN_ID), LC_ENOTFOUND, UNKNOWN_ID);
	ASSERT_RC(lc_project_update(NULL, sys, UNKNOWN_ID, &o), LC_ENOTFOUND);
	ASSERT_RC(lc_project_delete(sys, UNKNOWN_ID, 0), LC_ENOTFOUND);
	ASSERT_RC(lc_project_find(&p, sys, UNKNOWN_ID, "admin"), LC_ENOTFOUND);
	ASSERT_RC(lc_project_find(&p, sys, NULL, NULL), LC_EINVALID);
}

struct racer {
	pthread_barrier_t *go;
	const char *name;
	int rc;
	char id[64];
};

static void *race_main(void *p)
{
	struct racer *r = p;
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *made = NULL;

	o.name = r->name;
	pthread_barrier_wait(r->go);
	r->rc = lc_project_create(&made, sys, &o);
	if (made)
		snprintf(r->id, sizeof(r->id), "%s", lc_project_id(made));
	lc_project_free(made);
	return NULL;
}

Test(project, concurrent_creates_of_one_name_leave_exactly_one_project)
{
	enum { N = 12 };
	struct racer r[N];
	pthread_t th[N];
	pthread_barrier_t go;
	const char *by_name[] = { "name", "contested", NULL };
	lc_project *p = NULL;
	int won = 0, lost = 0;
	const char *winner = NULL;

	pthread_barrier_init(&go, NULL, N);
	for (int i = 0; i < N; i++) {
		r[i] = (struct racer){ &go, "contested", -1, "" };
		cr_assert_eq(pthread_create(&th[i], NULL, race_main, &r[i]), 0);
	}
	for (int i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	for (int i = 0; i < N; i++) {
		if (r[i].rc == 0) {
			won++;
			winner = r[i].id;
		} else {
			cr_assert_eq(r[i].rc, LC_EEXISTS, "racer %d: %d", i, r[i].rc);
			lost++;
		}
	}
	cr_assert_eq(won, 1);
	cr_assert_eq(lost, N - 1);
	cr_assert_eq(count_projects(sys, by_name), 1, "the record and its name index disagree");
	ASSERT_RC(lc_project_find(&p, sys, NULL, "contested"), 0);
	cr_assert_str_eq(lc_project_id(p), winner);
	lc_project_free(p);
}

/* ---- delete rules ---- */

Test(project, a_project_with_children_cannot_be_deleted)
{
	char parent[64], child[64];
	lc_project *g = NULL;

	snprintf(parent, sizeof(parent), "%s", mkproj("mother", NULL, NULL));
	snprintf(child, sizeof(child), "%s", mkproj("daughter", NULL, parent));
	ASSERT_REJECTS(lc_project_delete(sys, parent, 0), LC_ECONFLICT, "child");
	ASSERT_RC(lc_project_get(&g, sys, parent), 0);
	lc_project_free(g);
	ASSERT_RC(lc_project_delete(sys, child, 0), 0);
	ASSERT_RC(lc_project_delete(sys, parent, 0), 0);
}

Test(project, a_project_that_is_a_user_s_default_cannot_be_deleted)
{
	char id[64];
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_user *u = NULL;
	lc_project *g = NULL;

	snprintf(id, sizeof(id), "%s", mkproj("homebase", NULL, NULL));
	uo.name = "resident";
	uo.default_project_id = id;
	ASSERT_RC(lc_user_create(&u, sys, &uo), 0);
	ASSERT_REJECTS(lc_project_delete(sys, id, 0), LC_ECONFLICT, "default project");
	ASSERT_RC(lc_project_get(&g, sys, id), 0);
	lc_project_free(g);
	uo = (lc_user_opts)LC_USER_OPTS_INIT;
	uo.default_project_id = ""; /* clears it */
	ASSERT_RC(lc_user_update(NULL, sys, lc_user_id(u), &uo), 0);
	ASSERT_RC(lc_project_delete(sys, id, 0), 0);
	lc_user_free(u);
}

Test(project, deleting_a_project_takes_its_grants_and_quota_overrides_with_it)
{
	char id[64];
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_grant g = LC_GRANT_INIT, filter = LC_GRANT_INIT;
	lc_role_assignment_iter *it = NULL;
	lc_role_assignment *a = NULL;
	lc_user *u = NULL;
	lc_role *r = NULL;
	int64_t limit = 0;

	snprintf(id, sizeof(id), "%s", mkproj("doomed", NULL, NULL));
	uo.name = "visitor";
	ASSERT_RC(lc_user_create(&u, sys, &uo), 0);
	ASSERT_RC(lc_role_find(&r, sys, "member"), 0);
	g.role_id = lc_role_id(r);
	g.user_id = lc_user_id(u);
	g.project_id = id;
	ASSERT_RC(lc_role_grant(sys, &g), 0);
	ASSERT_RC(lc_quota_set(sys, id, LC_QUOTA_CORES, 3), 0);
	ASSERT_RC(lc_project_delete(sys, id, 0), 0);
	filter.user_id = lc_user_id(u);
	ASSERT_RC(lc_role_assignment_iter_new(&it, sys, &filter), 0);
	ASSERT_RC(lc_role_assignment_iter_next(&a, it), LC_ITEROVER);
	lc_role_assignment_iter_free(it);
	ASSERT_RC(lc_quota_get(&limit, NULL, sys, id, LC_QUOTA_CORES), LC_ENOTFOUND);
	lc_user_free(u);
	lc_role_free(r);
}

Test(project, delete_flags_must_be_zero)
{
	char id[64];
	lc_project *g = NULL;

	snprintf(id, sizeof(id), "%s", mkproj("flagged", NULL, NULL));
	ASSERT_REJECTS(lc_project_delete(sys, id, 2), LC_EINVALID, "flags");
	ASSERT_RC(lc_project_get(&g, sys, id), 0);
	lc_project_free(g);
}

/* ---- who sees what ---- */

struct member {
	char user_id[64];
	char project_id[64];
	lc_session *s;
};

/* A user with `role` on a new project, as a session scoped to it. */
static void make_member(struct member *m, const char *project, const char *user, const char *role)
{
	lc_user_opts uo = LC_USER_OPTS_INIT;
	lc_auth_opts a = LC_AUTH_OPTS_INIT;
	lc_grant g = LC_GRANT_INIT;
	lc_user *u = NULL;
	lc_role *r = NULL;

	snprintf(m->project_id, sizeof(m->project_id), "%s", mkproj(project, NULL, NULL));
	uo.name = user;
	uo.password = "member-pw";
	ASSERT_RC(lc_user_create(&u, sys, &uo), 0);
	snprintf(m->user_id, sizeof(m->user_id), "%s", lc_user_id(u));
	ASSERT_RC(lc_role_find(&r, sys, role), 0);
	g.role_id = lc_role_id(r);
	g.user_id = m->user_id;
	g.project_id = m->project_id;
	ASSERT_RC(lc_role_grant(sys, &g), 0);
	a.user_id = m->user_id;
	a.password = "member-pw";
	a.scope = LC_SCOPE_PROJECT;
	a.project_id = m->project_id;
	ASSERT_RC(lc_session_password(&m->s, cloud, &a), 0);
	lc_user_free(u);
	lc_role_free(r);
}

Test(project, a_member_cannot_create_update_or_delete_projects)
{
	struct member m;
	lc_project_opts o = LC_PROJECT_OPTS_INIT;
	lc_project *p = (lc_project *)1;
	int before;

	make_member(&m, "team", "alice", "member");
	before = count_projects(sys, NULL);
	o.name = "rogue";
	ASSERT_REJECTS(lc_project_create(&p, m.s, &o), LC_EFORBIDDEN, "identity:create_project");
	cr_assert_null(p);
	o.name = NULL;
	o.description = "mine now";
	ASSERT_RC(lc_project_update(NULL, m.s, m.project_id, &o), LC_EFORBIDDEN);
	ASSERT_RC(lc_project_delete(m.s, m.project_id, 0), LC_EFORBIDDEN);
	cr_assert_eq(count_projects(sys, NULL), before);
	ASSERT_RC(lc_project_get(&p, sys, m.project_id), 0);
	cr_assert_str_eq(lc_project_description(p), "");
	lc_project_free(p);
	lc_session_free(m.s);
}

Test(project, a_member_sees_its_own_project_and_not_another)
{
	struct member m;
	char other[64];
	lc_project *p = NULL;
	lc_project_iter *it = NULL;

	make_member(&m, "ours", "bob", "member");
	snprintf(other, sizeof(other), "%s", mkproj("theirs", NULL, NULL));
	ASSERT_RC(lc_project_get(&p, m.s, m.project_id), 0);
	cr_assert_str_eq(lc_project_name(p), "ours");
	lc_project_free(p);
	ASSERT_RC(lc_project_get(&p, m.s, other), LC_ENOTFOUND);
	cr_assert_null(p);
	ASSERT_RC(lc_project_find(&p, m.s, NULL, "theirs"), LC_ENOTFOUND);
	ASSERT_RC(lc_project_find(&p, m.s, NULL, "admin"), LC_ENOTFOUND);
	/* Not found and forbidden look alike: the message does not confirm it exists. */
	ASSERT_RC(lc_project_get(&p, m.s, UNKNOWN_ID), LC_ENOTFOUND);

	ASSERT_RC(lc_project_iter_new(&it, m.s, NULL), 0);
	ASSERT_RC(lc_project_iter_next(&p, it), 0);
	cr_assert_str_eq(lc_project_id(p), m.project_id);
	lc_project_free(p);
	ASSERT_RC(lc_project_iter_next(&p, it), LC_ITEROVER);
	lc_project_iter_free(it);
	cr_assert_eq(count_projects(sys, NULL), 3, "admin, ours, theirs");
	lc_session_free(m.s);
}

Test(project, a_reader_sees_its_project_too)
{
	struct member m;
	lc_project *p = NULL;

	make_member(&m, "readable", "carol", "reader");
	ASSERT_RC(lc_project_get(&p, m.s, m.project_id), 0);
	lc_project_free(p);
	cr_assert_eq(count_projects(m.s, NULL), 1);
	lc_session_free(m.s);
}

Test(project, opts_init_fills_defaults_and_checks_the_version)
{
	lc_project_opts o;

	memset(&o, 0x5a, sizeof(o));
	ASSERT_RC(lc_project_opts_init(&o, LC_PROJECT_OPTS_VERSION), 0);
	cr_assert_eq(o.version, LC_PROJECT_OPTS_VERSION);
	cr_assert_null(o.name);
	cr_assert_null(o.domain_id);
	cr_assert_null(o.parent_id);
	cr_assert_null(o.description);
	cr_assert_eq(o.enabled, LC_UNSET);
	ASSERT_RC(lc_project_opts_init(&o, 0), LC_EINVALID);
	ASSERT_RC(lc_project_opts_init(NULL, 1), LC_EINVALID);
}
