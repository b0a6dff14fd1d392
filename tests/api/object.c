/* The lc_api object and responses through the public API: options, arguments, bodies, threads. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitest.h"

TestSuite(api_object, .init = t_setup, .fini = t_teardown);

Test(api_object, opts_and_request_init)
{
	lc_api_opts o;
	lc_api_request q;

	cr_assert_eq(lc_api_opts_init(&o, LC_API_OPTS_VERSION), 0);
	cr_assert_eq(o.version, LC_API_OPTS_VERSION);
	cr_assert_null(o.base_url);
	cr_assert_eq(lc_api_opts_init(&o, 99), LC_EINVALID);
	cr_assert_eq(lc_api_opts_init(NULL, LC_API_OPTS_VERSION), LC_EINVALID);
	cr_assert_eq(lc_api_request_init(&q, LC_API_REQUEST_VERSION), 0);
	cr_assert_eq(q.content_length, -1);
	cr_assert_eq(lc_api_request_init(&q, 0), LC_EINVALID);
}

Test(api_object, new_checks_its_arguments)
{
	lc_api *api = (void *)1;
	lc_api_opts o = LC_API_OPTS_INIT;

	cr_assert_eq(lc_api_new(NULL, t_cloud, NULL), LC_EINVALID);
	cr_assert_eq(lc_api_new(&api, NULL, NULL), LC_EINVALID);
	cr_assert_null(api);
	o.version = 7;
	cr_assert_eq(lc_api_new(&api, t_cloud, &o), LC_EINVALID);
	o.version = LC_API_OPTS_VERSION;
	o.base_url = "ftp://x";
	cr_assert_eq(lc_api_new(&api, t_cloud, &o), LC_EINVALID);
	o.base_url = "http://a b";
	cr_assert_eq(lc_api_new(&api, t_cloud, &o), LC_EINVALID);
	o.base_url = NULL;
	o.services = 1u << 20;
	cr_assert_eq(lc_api_new(&api, t_cloud, &o), LC_EINVALID);
	o.services = 0;
	o.region = "";
	cr_assert_eq(lc_api_new(&api, t_cloud, &o), LC_EINVALID);
	lc_api_free(NULL);
	lc_api_response_free(NULL);
}

Test(api_object, handle_checks_its_arguments)
{
	lc_api_request req = LC_API_REQUEST_INIT;
	lc_api_response *r = (void *)1;

	cr_assert_eq(lc_api_handle(&r, t_api, &req), LC_EINVALID); /* no method/path */
	cr_assert_null(r);
	req.method = "GET";
	req.path = "/v3";
	cr_assert_eq(lc_api_handle(NULL, t_api, &req), LC_EINVALID);
	cr_assert_eq(lc_api_handle(&r, NULL, &req), LC_EINVALID);
	cr_assert_eq(lc_api_handle(&r, t_api, NULL), LC_EINVALID);
	req.version = 0;
	cr_assert_eq(lc_api_handle(&r, t_api, &req), LC_EINVALID);
	req.version = LC_API_REQUEST_VERSION;
	req.body_len = 5; /* and no body */
	cr_assert_eq(lc_api_handle(&r, t_api, &req), LC_EINVALID);
}

Test(api_object, base_url_from_the_host_header_and_region)
{
	lc_api *api;
	lc_api_opts o = LC_API_OPTS_INIT;
	lc_api_request req = LC_API_REQUEST_INIT;
	lc_api_header h[] = { { "Host", "example.net:8080" } };
	lc_api_response *r;
	size_t len;
	const char *b;

	o.region = "Elsewhere";
	cr_assert_eq(lc_api_new(&api, t_cloud, &o), 0);
	req.method = "GET";
	req.path = "/v3";
	req.headers = h;
	req.header_count = 1;
	cr_assert_eq(lc_api_handle(&r, api, &req), 0);
	b = lc_api_response_body(r, &len);
	cr_assert_not_null(memmem(b, len, "http://example.net:8080/v3/", 26));
	lc_api_response_free(r);

	h[0].value = "evil\"host/<x>";
	cr_assert_eq(lc_api_handle(&r, api, &req), 0);
	b = lc_api_response_body(r, &len);
	cr_assert_null(memmem(b, len, "evil", 4));
	lc_api_response_free(r);
	lc_api_free(api);
}

Test(api_object, headers_and_body_readers)
{
	t_resp *tr = t_call("GET", "/v3", NULL, NULL);
	lc_api_response *r = tr->r;
	size_t n = lc_api_response_header_count(r), got, total = 0;
	char buf[7], all[4096];
	int found = 0;

	for (size_t i = 0; i < n; i++) {
		cr_assert_not_null(lc_api_response_header_name(r, i));
		cr_assert_not_null(lc_api_response_header_value(r, i));
		found |= strcmp(lc_api_response_header_name(r, i), "Content-Type") == 0;
	}
	cr_assert(found);
	cr_assert_null(lc_api_response_header_name(r, n));
	cr_assert_null(lc_api_response_header_value(r, n));
	cr_assert_str_eq(lc_api_response_header(r, "content-type"), "application/json");
	cr_assert_null(lc_api_response_header(r, "X-None"));

	/* pull in small pieces: the same bytes as the buffer */
	do {
		cr_assert_eq(lc_api_response_read(&got, r, buf, sizeof(buf)), 0);
		memcpy(all + total, buf, got);
		total += got;
	} while (got > 0);
	cr_assert_eq(total, tr->len);
	cr_assert_eq(memcmp(all, tr->body, total), 0);
	cr_assert_eq(lc_api_response_read(&got, r, buf, 0), LC_EINVALID);
	t_free(tr);
}

struct sink {
	char buf[4096];
	size_t n;
	int stop;
};

static int sink_write(const void *d, size_t len, void *p)
{
	struct sink *s = p;

	if (s->stop)
		return 1;
	memcpy(s->buf + s->n, d, len);
	s->n += len;
	return 0;
}

Test(api_object, write_pushes_the_body)
{
	t_resp *tr = t_call("GET", "/", NULL, NULL);
	struct sink s = { .n = 0 };

	cr_assert_eq(lc_api_response_write(tr->r, sink_write, &s), 0);
	cr_assert_eq(s.n, tr->len);
	cr_assert_eq(memcmp(s.buf, tr->body, s.n), 0);
	t_free(tr);

	tr = t_call("GET", "/", NULL, NULL);
	s.n = 0;
	s.stop = 1;
	cr_assert_eq(lc_api_response_write(tr->r, sink_write, &s), LC_EUSER);
	cr_assert_eq(lc_api_response_write(NULL, sink_write, &s), LC_EINVALID);
	t_free(tr);
}

Test(api_object, request_ids_differ)
{
	t_resp *a = t_call("GET", "/v3", NULL, NULL), *b = t_call("GET", "/v3", NULL, NULL);

	cr_assert_str_neq(lc_api_response_header(a->r, "x-openstack-request-id"),
			  lc_api_response_header(b->r, "x-openstack-request-id"));
	t_free(a);
	t_free(b);
}

Test(api_object, head_has_no_body)
{
	t_resp *r = t_call("HEAD", "/v3", NULL, NULL);

	cr_assert_eq(r->status, 200);
	cr_assert_eq(r->len, 0);
	t_free(r);
}

Test(api_object, disabled_identity_is_not_routed)
{
	lc_api *api;
	lc_api_opts o = LC_API_OPTS_INIT;
	lc_api_request req = LC_API_REQUEST_INIT;
	lc_api_response *r;

	o.services = LC_API_SERVICE_COMPUTE;
	cr_assert_eq(lc_api_new(&api, t_cloud, &o), 0);
	req.method = "GET";
	req.path = "/v3";
	cr_assert_eq(lc_api_handle(&r, api, &req), 0);
	cr_assert_eq(lc_api_response_status(r), 404);
	lc_api_response_free(r);
	lc_api_free(api);
}

static void *hammer(void *p)
{
	(void)p;
	for (int i = 0; i < 200; i++) {
		lc_api_request req = LC_API_REQUEST_INIT;
		lc_api_header h[] = { { "X-Auth-Token", t_admin_token } };
		lc_api_response *r;

		req.method = "GET";
		req.path = (i & 1) ? "/v3/projects" : "/v3/auth/catalog";
		req.headers = h;
		req.header_count = 1;
		if (lc_api_handle(&r, t_api, &req) != 0)
			return (void *)1;
		if (lc_api_response_status(r) != 200) {
			lc_api_response_free(r);
			return (void *)2;
		}
		lc_api_response_free(r);
	}
	return NULL;
}

Test(api_object, many_threads_share_one_api)
{
	pthread_t th[8];

	for (int i = 0; i < 8; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, hammer, NULL), 0);
	for (int i = 0; i < 8; i++) {
		void *rv;

		pthread_join(th[i], &rv);
		cr_assert_null(rv);
	}
}
