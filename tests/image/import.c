/*
 * web-download imports through the built-in "http" store, against a local
 * HTTP server (libmicrohttpd on 127.0.0.1): data, progress, the size cap,
 * schemes and redirects, HTTP errors. A refused import leaves the image
 * queued with nothing kept.
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imgtest.h"

#define BODY_LEN (3 * 1024 * 1024 + 123)

static struct MHD_Daemon *httpd;
static unsigned short port;
static unsigned char *body;

static ssize_t chunked_cb(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	if (pos >= BODY_LEN)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (max > BODY_LEN - pos)
		max = (size_t)(BODY_LEN - pos);
	if (max > 10000)
		max = 10000;
	memcpy(buf, body + pos, max);
	return (ssize_t)max;
}

static enum MHD_Result serve(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
			     const char *version, const char *upload, size_t *upload_len, void **state)
{
	struct MHD_Response *r;
	unsigned int status = MHD_HTTP_OK;
	char loc[256];
	enum MHD_Result ret;

	(void)cls; (void)method; (void)version; (void)upload; (void)upload_len; (void)state;
	if (!strcmp(url, "/img")) {
		r = MHD_create_response_from_buffer(BODY_LEN, body, MHD_RESPMEM_PERSISTENT);
	} else if (!strcmp(url, "/chunked")) {
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, chunked_cb, NULL, NULL);
	} else if (!strcmp(url, "/redir-file") || !strcmp(url, "/redir-ok") || !strcmp(url, "/redir-ftp")) {
		if (!strcmp(url, "/redir-file"))
			snprintf(loc, sizeof(loc), "file:///etc/passwd");
		else if (!strcmp(url, "/redir-ftp"))
			snprintf(loc, sizeof(loc), "ftp://127.0.0.1:%u/img", port);
		else
			snprintf(loc, sizeof(loc), "http://127.0.0.1:%u/img", port);
		r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "Location", loc);
		status = MHD_HTTP_FOUND;
	} else {
		r = MHD_create_response_from_buffer(9, "not found", MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_FOUND;
	}
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static void setup(void)
{
	const union MHD_DaemonInfo *info;
	struct sockaddr_in sa;

	it_setup();
	body = it_bytes(BODY_LEN, 42);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	httpd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, serve, NULL,
				 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_END);
	cr_assert_not_null(httpd);
	info = MHD_get_daemon_info(httpd, MHD_DAEMON_INFO_BIND_PORT);
	port = info->port;
}

static void teardown(void)
{
	MHD_stop_daemon(httpd);
	free(body);
	it_teardown();
}

TestSuite(import, .init = setup, .fini = teardown, .timeout = 120);

static int import(const char *id, const char *url, int64_t cap)
{
	lc_image_import_opts o = LC_IMAGE_IMPORT_OPTS_INIT;
	char uri[512];

	if (strstr(url, "://"))
		snprintf(uri, sizeof(uri), "%s", url);
	else
		snprintf(uri, sizeof(uri), "http://127.0.0.1:%u%s", port, url);
	o.uri = uri;
	o.max_bytes = cap;
	return lc_image_import(NULL, it_a, id, &o);
}

static void assert_queued_and_clean(const char *id)
{
	lc_image *img;

	cr_assert_eq(lc_image_get(&img, it_a, id), 0);
	cr_assert_str_eq(lc_image_status(img), "queued");
	lc_image_free(img);
	cr_assert_eq(it_data_files(), 0);
	cr_assert_eq(it_usage(it_pa, LC_QUOTA_IMAGE_BYTES), 0);
}

static int count_progress(uint64_t done, int64_t total, void *p)
{
	(void)done;
	(void)total;
	++*(int *)p;
	return 0;
}

Test(import, web_download_imports_the_data_and_reports_progress)
{
	lc_image_import_opts o = LC_IMAGE_IMPORT_OPTS_INIT;
	char uri[256], md5[33];
	char *id = it_image(it_a, "web", "raw", "bare");
	unsigned char *back;
	size_t len;
	int calls = 0;
	lc_image *img;

	snprintf(uri, sizeof(uri), "http://127.0.0.1:%u/img", port);
	o.uri = uri;
	o.progress = count_progress;
	o.progress_payload = &calls;
	cr_assert_eq(lc_image_import(&img, it_a, id, &o), 0, "%s", lc_error_last()->message);
	it_md5_hex(body, BODY_LEN, md5);
	cr_assert_str_eq(lc_image_status(img), "active");
	cr_assert_str_eq(lc_image_checksum(img), md5);
	cr_assert_eq(lc_image_size(img), BODY_LEN);
	lc_image_free(img);
	cr_assert_geq(calls, 2);
	cr_assert_eq(it_download_mem(it_a, id, 0, -1, &back, &len), 0);
	cr_assert(len == BODY_LEN && memcmp(back, body, len) == 0);
	free(back);
	free(id);
}

Test(import, a_chunked_response_and_an_http_redirect_are_followed)
{
	char *a = it_image(it_a, "chunked", "raw", "bare");
	char *b = it_image(it_a, "redir", "raw", "bare");

	cr_assert_eq(import(a, "/chunked", 0), 0, "%s", lc_error_last()->message);
	cr_assert_eq(import(b, "/redir-ok", 0), 0, "%s", lc_error_last()->message);
	free(a);
	free(b);
}

Test(import, a_url_that_is_not_http_is_refused)
{
	char *id = it_image(it_a, "x", "raw", "bare");

	cr_assert_eq(import(id, "file:///etc/passwd", 0), LC_EINVALID);
	cr_assert_eq(import(id, "ftp://127.0.0.1/x", 0), LC_EINVALID);
	cr_assert_eq(import(id, "gopher://x", 0), LC_EINVALID);
	assert_queued_and_clean(id);
	free(id);
}

Test(import, a_redirect_to_another_scheme_is_refused)
{
	char *id = it_image(it_a, "x", "raw", "bare");

	cr_assert_eq(import(id, "/redir-file", 0), LC_EBACKEND);
	cr_assert(strstr(lc_error_last()->message, "scheme"), "%s", lc_error_last()->message);
	assert_queued_and_clean(id);
	cr_assert_eq(import(id, "/redir-ftp", 0), LC_EBACKEND);
	assert_queued_and_clean(id);
	free(id);
}

Test(import, an_import_over_the_size_cap_is_refused_and_keeps_nothing)
{
	char *id = it_image(it_a, "x", "raw", "bare");

	cr_assert_eq(import(id, "/img", 1024 * 1024), LC_ETOOLARGE, "announced by Content-Length");
	assert_queued_and_clean(id);
	cr_assert_eq(import(id, "/chunked", 1024 * 1024), LC_ETOOLARGE, "counted while streaming");
	assert_queued_and_clean(id);
	free(id);
}

Test(import, an_http_error_fails_the_import)
{
	char *id = it_image(it_a, "x", "raw", "bare");

	cr_assert_eq(import(id, "/nothing-here", 0), LC_EBACKEND);
	cr_assert(strstr(lc_error_last()->message, "404"), "%s", lc_error_last()->message);
	assert_queued_and_clean(id);
	free(id);
}

Test(import, bad_import_options_are_refused)
{
	lc_image_import_opts o = LC_IMAGE_IMPORT_OPTS_INIT;
	char *id = it_image(it_a, "x", "raw", "bare");

	o.method = "glance-direct";
	o.uri = "http://127.0.0.1/x";
	cr_assert_eq(lc_image_import(NULL, it_a, id, &o), LC_EINVALID);
	o.method = "web-download";
	o.uri = NULL;
	cr_assert_eq(lc_image_import(NULL, it_a, id, &o), LC_EINVALID);
	assert_queued_and_clean(id);
	free(id);
}
