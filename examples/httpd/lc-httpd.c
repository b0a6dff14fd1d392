/*
 * lc-httpd: libcloud's OpenStack REST layer on a socket, with libmicrohttpd.
 *
 *   LC_ADMIN_PASSWORD=secret lc-httpd --listen 127.0.0.1:5000 --data /var/lib/lc
 *
 * Opens (or creates) the cloud in the data directory, bootstraps it on the
 * first start (domain Default, project admin, user admin with role admin;
 * roles admin, member, reader) with the password from LC_ADMIN_PASSWORD,
 * prints the OS_* variables for the openstack CLI, and serves until SIGINT
 * or SIGTERM. One access-log line per request goes to stderr.
 *
 * The HTTP server is a thread pool (libmicrohttpd's internal epoll threads)
 * with a large listen backlog, since tempest opens a connection per request.
 * Request bodies (chunked or not) are decoded by libmicrohttpd and handed to
 * lc_api_handle() through a body reader; response bodies are pulled piece by
 * piece with lc_api_response_read(), sent with Content-Length when known and
 * chunked otherwise.
 *
 * SPDX-License-Identifier: MIT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include <libcloud/libcloud.h>

/* Largest request body kept in memory. Larger bodies are refused with 413. */
#define MAX_BODY (64u * 1024 * 1024)
#define MAX_HEADERS 128

typedef struct server {
	lc_cloud *cloud;
	lc_api *api;
	int quiet;
} server;

/* One request in flight. */
typedef struct exchange {
	char *uri;           /* the raw request target, as received */
	char *body;
	size_t len, cap;
	uint64_t received;   /* all body bytes, kept or not */
	size_t served;       /* body bytes handed to the API */
	int overflow;        /* more than MAX_BODY arrived */
	int started;         /* the first call (headers only) is done */
	struct timespec start;
	lc_api_response *resp;
} exchange;

static void usage(FILE *f)
{
	fprintf(f, "usage: lc-httpd --listen HOST:PORT --data DIR [--threads N] [--base-url URL] [--quiet]\n"
		   "  LC_ADMIN_PASSWORD  the admin password, required to bootstrap a new cloud\n");
}

static void log_cb(int level, const char *message, void *payload)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };

	(void)payload;
	fprintf(stderr, "lc-httpd: %s: %s\n", level >= 0 && level <= 3 ? names[level] : "log", message);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* libmicrohttpd hands over the raw URI first: keep it (the handler gets an unescaped copy only). */
static void *uri_cb(void *cls, const char *uri, struct MHD_Connection *con)
{
	exchange *x = calloc(1, sizeof(*x));

	(void)cls;
	(void)con;
	if (x == NULL)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &x->start);
	x->uri = strdup(uri ? uri : "/");
	return x;
}

static void exchange_free(exchange *x)
{
	if (x == NULL)
		return;
	lc_api_response_free(x->resp);
	free(x->uri);
	free(x->body);
	free(x);
}

static void completed_cb(void *cls, struct MHD_Connection *con, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)con;
	(void)toe;
	exchange_free(*con_cls);
	*con_cls = NULL;
}

typedef struct header_list {
	lc_api_header h[MAX_HEADERS];
	size_t n;
	int too_many;
} header_list;

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	header_list *l = cls;

	(void)kind;
	if (l->n == MAX_HEADERS) {
		l->too_many = 1;
		return MHD_NO;
	}
	l->h[l->n].name = key;
	l->h[l->n].value = value ? value : "";
	l->n++;
	return MHD_YES;
}

/* The API reads the request body from the buffer; an overflowed body ends in an error. */
static int body_read(size_t *out_len, void *buf, size_t cap, void *payload)
{
	exchange *x = payload;
	size_t left = x->len - x->served, n = left < cap ? left : cap;

	if (n == 0 && x->overflow)
		return 1;
	memcpy(buf, x->body + x->served, n);
	x->served += n;
	*out_len = n;
	return 0;
}

static ssize_t body_pull(void *cls, uint64_t pos, char *buf, size_t max)
{
	exchange *x = cls;
	size_t n = 0;

	(void)pos;
	if (lc_api_response_read(&n, x->resp, buf, max) != 0)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (n == 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	return (ssize_t)n;
}

static void client_addr(struct MHD_Connection *con, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	snprintf(out, len, "-");
	if (ci == NULL || ci->client_addr == NULL)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr, out,
			  (socklen_t)len);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, out,
			  (socklen_t)len);
}

static enum MHD_Result reply_plain(struct MHD_Connection *con, unsigned int status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result rc;

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json");
	rc = MHD_queue_response(con, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con, const char *url, const char *method,
			      const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	server *srv = cls;
	exchange *x = *con_cls;
	lc_api_request req = LC_API_REQUEST_INIT;
	header_list hl = { .n = 0 };
	struct MHD_Response *mr;
	char path[8192], addr[64];
	const char *q;
	int64_t blen;
	enum MHD_Result ok;
	int rc;

	(void)url;
	(void)version;
	if (x == NULL)
		return MHD_NO;
	if (!x->started) {
		/* headers only: the body (if any) comes in the next calls */
		x->started = 1;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		x->received += *upload_data_size;
		if (!x->overflow && x->len + *upload_data_size > MAX_BODY)
			x->overflow = 1;
		if (!x->overflow) {
			if (x->len + *upload_data_size > x->cap) {
				size_t cap = x->cap ? x->cap : 16384;
				char *b;

				while (cap < x->len + *upload_data_size)
					cap *= 2;
				b = realloc(x->body, cap);
				if (b == NULL)
					return MHD_NO;
				x->body = b;
				x->cap = cap;
			}
			memcpy(x->body + x->len, upload_data, *upload_data_size);
			x->len += *upload_data_size;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (x->resp != NULL)
		return MHD_YES; /* already answered */
	if (x->uri == NULL)
		return MHD_NO;
	/* the whole body is in: hand the request to the API */
	q = strchr(x->uri, '?');
	if ((q ? (size_t)(q - x->uri) : strlen(x->uri)) >= sizeof(path))
		return reply_plain(con, 414, "{\"error\":{\"code\":414,\"message\":\"Request-URI Too Long\",\"title\":\"Request-URI Too Long\"}}");
	if (q != NULL) {
		memcpy(path, x->uri, (size_t)(q - x->uri));
		path[q - x->uri] = '\0';
		req.query = q + 1;
	} else {
		snprintf(path, sizeof(path), "%s", x->uri);
	}
	MHD_get_connection_values(con, MHD_HEADER_KIND, collect_header, &hl);
	if (hl.too_many)
		return reply_plain(con, 431, "{\"error\":{\"code\":431,\"message\":\"Too many request headers.\",\"title\":\"Request Header Fields Too Large\"}}");
	req.method = method;
	req.path = path;
	req.headers = hl.h;
	req.header_count = hl.n;
	req.body_read = body_read;
	req.body_payload = x;
	req.content_length = (int64_t)x->received;
	rc = lc_api_handle(&x->resp, srv->api, &req);
	if (rc == LC_EUSER)
		return reply_plain(con, 413, "{\"error\":{\"code\":413,\"message\":\"Request body too large.\",\"title\":\"Request Entity Too Large\"}}");
	if (rc != 0)
		return reply_plain(con, 500, "{\"error\":{\"code\":500,\"message\":\"Internal error.\",\"title\":\"Internal Server Error\"}}");

	blen = lc_api_response_body_length(x->resp);
	mr = MHD_create_response_from_callback(blen < 0 ? MHD_SIZE_UNKNOWN : (uint64_t)blen, 64 * 1024, body_pull, x,
					       NULL);
	if (mr == NULL)
		return MHD_NO;
	for (size_t i = 0; i < lc_api_response_header_count(x->resp); i++)
		MHD_add_response_header(mr, lc_api_response_header_name(x->resp, i),
					lc_api_response_header_value(x->resp, i));
	ok = MHD_queue_response(con, (unsigned int)lc_api_response_status(x->resp), mr);
	MHD_destroy_response(mr);
	if (!srv->quiet) {
		client_addr(con, addr, sizeof(addr));
		fprintf(stderr, "%s \"%s %.512s\" %d %lld %.1fms %s\n", addr, method, x->uri,
			lc_api_response_status(x->resp), (long long)blen, ms_since(&x->start),
			lc_api_response_header(x->resp, "x-openstack-request-id"));
	}
	return ok;
}

static int parse_listen(const char *s, struct sockaddr_in *sa, char *host, size_t hostlen, unsigned int *port)
{
	const char *colon = strrchr(s, ':');
	char *end;
	unsigned long p;

	if (colon == NULL || (size_t)(colon - s) >= hostlen)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || errno != 0 || p == 0 || p > 65535)
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)p);
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return -1;
	*port = (unsigned int)p;
	return 0;
}

/* 1 if the cloud holds the bootstrap roles already. */
static int bootstrapped(lc_cloud *c)
{
	lc_session *sys = NULL;
	lc_role *r = NULL;
	int rc;

	if (lc_session_system(&sys, c) != 0)
		return 0;
	rc = lc_role_find(&r, sys, "admin");
	lc_role_free(r);
	lc_session_free(sys);
	return rc == 0;
}

int main(int argc, char **argv)
{
	const char *listen = "127.0.0.1:5000", *data = NULL, *base = NULL;
	const char *password = getenv("LC_ADMIN_PASSWORD");
	unsigned int threads = 4, port = 0;
	lc_cloud_opts co = LC_CLOUD_OPTS_INIT;
	lc_api_opts ao = LC_API_OPTS_INIT;
	server srv = { 0 };
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	char host[256], base_buf[300];
	sigset_t set;
	int sig, status = 1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
			listen = argv[++i];
		} else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
			data = argv[++i];
		} else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
			threads = (unsigned int)strtoul(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--base-url") == 0 && i + 1 < argc) {
			base = argv[++i];
		} else if (strcmp(argv[i], "--quiet") == 0) {
			srv.quiet = 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (data == NULL || threads == 0 || threads > 256) {
		usage(stderr);
		return 2;
	}
	if (parse_listen(listen, &sa, host, sizeof(host), &port) != 0) {
		fprintf(stderr, "lc-httpd: --listen wants IPv4-ADDRESS:PORT, got '%s'\n", listen);
		return 2;
	}
	if (base == NULL) {
		snprintf(base_buf, sizeof(base_buf), "http://%s:%u", host, port);
		base = base_buf;
	}

	co.log_cb = log_cb;
	co.log_level = LC_LOG_WARN;
	if (lc_cloud_new(&srv.cloud, &co) != 0 ||
	    lc_cloud_open(srv.cloud, data, LC_CLOUD_OPEN_CREATE) != 0) {
		fprintf(stderr, "lc-httpd: cannot open the cloud in %s: %s\n", data, lc_error_last()->message);
		goto out;
	}
	if (!bootstrapped(srv.cloud)) {
		lc_bootstrap_opts bo = LC_BOOTSTRAP_OPTS_INIT;

		if (password == NULL || password[0] == '\0') {
			fprintf(stderr, "lc-httpd: %s is a new cloud: set LC_ADMIN_PASSWORD to bootstrap it\n", data);
			goto out;
		}
		bo.admin_password = password;
		if (lc_cloud_bootstrap(srv.cloud, &bo) != 0) {
			fprintf(stderr, "lc-httpd: bootstrap failed: %s\n", lc_error_last()->message);
			goto out;
		}
		fprintf(stderr, "lc-httpd: bootstrapped %s (domain Default, project admin, user admin)\n", data);
	}
	ao.base_url = base;
	if (lc_api_new(&srv.api, srv.cloud, &ao) != 0) {
		fprintf(stderr, "lc-httpd: %s\n", lc_error_last()->message);
		goto out;
	}

	/* SIGINT/SIGTERM are taken by sigwait() below; every server thread inherits the mask */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL, handle, &srv,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_THREAD_POOL_SIZE, threads,
			     MHD_OPTION_LISTEN_BACKLOG_SIZE, 4096u,
			     MHD_OPTION_CONNECTION_TIMEOUT, 120u,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024),
			     MHD_OPTION_URI_LOG_CALLBACK, uri_cb, NULL,
			     MHD_OPTION_NOTIFY_COMPLETED, completed_cb, NULL,
			     MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "lc-httpd: cannot listen on %s: %s\n", listen, strerror(errno));
		goto out;
	}
	printf("# lc-httpd serving %s on %s (%u threads); for the openstack CLI:\n", data, listen, threads);
	printf("export OS_AUTH_URL=%s/v3\n", base);
	printf("export OS_IDENTITY_API_VERSION=3\n");
	printf("export OS_AUTH_TYPE=password\n");
	printf("export OS_USERNAME=admin\n");
	printf("export OS_PASSWORD=%s\n", password && password[0] ? "\"$LC_ADMIN_PASSWORD\"" : "<the admin password>");
	printf("export OS_PROJECT_NAME=admin\n");
	printf("export OS_USER_DOMAIN_NAME=Default\n");
	printf("export OS_PROJECT_DOMAIN_NAME=Default\n");
	printf("export OS_REGION_NAME=RegionOne\n");
	fflush(stdout);

	while (sigwait(&set, &sig) != 0)
		;
	fprintf(stderr, "lc-httpd: signal %d, stopping\n", sig);
	MHD_stop_daemon(d);
	status = 0;
out:
	lc_api_free(srv.api);
	lc_cloud_free(srv.cloud);
	return status;
}
