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
 * lc_api_handle() through a body reader: small ones gathered first, large or
 * chunked ones streamed through a worker thread with bounded memory (see
 * "Request bodies" below). Response bodies are pulled piece by piece with
 * lc_api_response_read(), sent with Content-Length when known and chunked
 * otherwise.
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
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include <libcloud/libcloud.h>

/*
 * Request bodies take one of two paths.
 *
 * The fast path: a body whose Content-Length is at most FAST_MAX (every JSON
 * request, which the API refuses above 1 MiB anyway) or no body at all is
 * gathered by the libmicrohttpd thread and handled right there, as before.
 *
 * The streamed path: a chunked body, or one announced larger than FAST_MAX
 * (an image upload), goes to a worker thread that calls lc_api_handle() with
 * a body reader, while the libmicrohttpd thread feeds that reader through a
 * bounded ring (RING_BYTES). When the ring is full the connection is
 * suspended and the reader resumes it once half the ring is free, so memory
 * stays a few MiB per upload whatever the size of the body. The first call
 * (headers only) also waits for the worker: if the API answers before it
 * reads anything (401, 404, 413 from the announced length...) the answer goes
 * out at once and the body is never read (nor is "100 Continue" sent); once
 * the API asks for the body, libmicrohttpd starts reading it.
 * libmicrohttpd 0.9.75 cannot answer in the middle of an upload, so if the API
 * stops reading halfway (a refused upload), the rest of the body is read and
 * dropped (up to MAX_DRAIN, then the connection is closed) before the answer.
 * A client that goes away makes the reader fail, and lc_api_handle() returns
 * LC_EUSER; so does SIGTERM, which aborts every stream before stopping.
 */
#define FAST_MAX (1u << 20)
#define RING_BYTES (2u << 20)
#define MAX_STREAMS 64
#define MAX_DRAIN (UINT64_C(256) << 20)
#define MAX_HEADERS 128
#define MAX_PATH 8192
/*
 * libmicrohttpd's memory per connection: request line and headers, the read
 * buffer (upload pieces), response headers. libmicrohttpd 0.9.75 zeroes all
 * of it between two requests of a keep-alive connection: at 256 KiB that
 * memset was a fifth of the CPU spent per token validation. 64 KiB still
 * takes headers far past the API's limits (8 KiB a header).
 */
#define CONN_MEMORY ((size_t)64 * 1024)

typedef struct exchange exchange;

typedef struct server {
	lc_cloud *cloud;
	lc_api *api;
	int quiet;
	pthread_mutex_t mu;  /* guards what follows */
	pthread_cond_t cv;   /* signalled when a worker ends */
	exchange *streams;   /* requests with a live worker */
	unsigned int nstreams;
	int stopping;        /* no new worker; the live ones are aborted */
} server;

/* One request in flight. */
struct exchange {
	server *srv;
	char *uri;           /* the raw request target, as received */
	struct timespec start;
	int started;         /* the first call (headers only) is done */
	lc_api_response *resp;

	/* fast path: the whole body, gathered before lc_api_handle() */
	char *body;
	size_t len, cap;
	size_t served;       /* body bytes handed to the API */

	/* streamed path; everything below mu is guarded by it */
	int streaming;
	pthread_mutex_t mu;
	pthread_cond_t cv;   /* the reader waits here for data or the end */
	lc_api_request req;  /* owned copy: the connection may go away first */
	lc_api_header *hdrs;
	char *strs;          /* method, path, query, header names and values */
	char *ring;
	size_t rhead, rlen;  /* ring: first byte, bytes held */
	struct MHD_Connection *con; /* NULL once the connection is closed */
	int refs;            /* the connection's and the worker's */
	int body_phase;      /* the connection went past the first call */
	int want_body;       /* the worker asked for the body */
	int eof;             /* the whole body is in the ring (or was) */
	int aborted;         /* connection closed or server stopping: the reader fails */
	int suspended;       /* the connection waits for the worker */
	int done;            /* the worker has finished: rc and resp are set */
	int rc;              /* what lc_api_handle() returned */
	uint64_t drained;    /* body bytes dropped after the worker finished */
	exchange *prev, *next; /* in srv->streams while the worker lives */
};

static void usage(FILE *f)
{
	fprintf(f, "usage: lc-httpd --listen HOST:PORT --data DIR [--threads N] [--base-url URL] [--quiet]\n"
		   "                [--compute-host NAME=DRIVER:URI]...\n"
		   "  LC_ADMIN_PASSWORD  the admin password, required to bootstrap a new cloud\n"
		   "  --compute-host     register a compute host if it is not yet (e.g. node1=libvirt:test:///default)\n");
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

	(void)con;
	if (x == NULL)
		return NULL;
	x->srv = cls;
	clock_gettime(CLOCK_MONOTONIC, &x->start);
	x->uri = strdup(uri ? uri : "/");
	return x;
}

static void exchange_free(exchange *x)
{
	lc_api_response_free(x->resp);
	if (x->streaming) {
		pthread_mutex_destroy(&x->mu);
		pthread_cond_destroy(&x->cv);
	}
	free(x->ring);
	free(x->hdrs);
	free(x->strs);
	free(x->uri);
	free(x->body);
	free(x);
}

/* Drop one reference: the connection's (completed_cb) or the worker's. */
static void exchange_unref(exchange *x)
{
	int left = 0;

	if (x == NULL)
		return;
	if (x->streaming) {
		pthread_mutex_lock(&x->mu);
		left = --x->refs;
		pthread_mutex_unlock(&x->mu);
	}
	if (left == 0)
		exchange_free(x);
}

static void completed_cb(void *cls, struct MHD_Connection *con, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	exchange *x = *con_cls;

	(void)cls;
	(void)con;
	(void)toe;
	*con_cls = NULL;
	if (x == NULL)
		return;
	if (x->streaming) {
		/* a worker still reading gets an error from now on */
		pthread_mutex_lock(&x->mu);
		x->con = NULL;
		x->aborted = 1;
		pthread_cond_broadcast(&x->cv);
		pthread_mutex_unlock(&x->mu);
	}
	exchange_unref(x);
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

/* Fast path: the API reads the request body from the buffer. */
static int body_read(size_t *out_len, void *buf, size_t cap, void *payload)
{
	exchange *x = payload;
	size_t left = x->len - x->served, n = left < cap ? left : cap;

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

#define ERR_414 "{\"error\":{\"code\":414,\"message\":\"Request-URI Too Long\",\"title\":\"Request-URI Too Long\"}}"
#define ERR_431 "{\"error\":{\"code\":431,\"message\":\"Too many request headers.\",\"title\":\"Request Header Fields Too Large\"}}"
#define ERR_500 "{\"error\":{\"code\":500,\"message\":\"Internal error.\",\"title\":\"Internal Server Error\"}}"
#define ERR_503 "{\"error\":{\"code\":503,\"message\":\"Too many uploads in progress, or the server is stopping.\",\"title\":\"Service Unavailable\"}}"

/*
 * Queue x->resp (the API's answer). A buffered body is sent from the
 * response's own memory, which lives until completed_cb, after the last byte
 * is sent; a streamed body is pulled piece by piece.
 */
static enum MHD_Result send_response(server *srv, struct MHD_Connection *con, exchange *x, const char *method)
{
	struct MHD_Response *mr;
	enum MHD_Result ok;
	int64_t blen = lc_api_response_body_length(x->resp);
	size_t len = 0;
	const void *body = lc_api_response_body(x->resp, &len);
	char addr[64];

	if (body != NULL)
		mr = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
	else
		mr = MHD_create_response_from_callback(blen < 0 ? MHD_SIZE_UNKNOWN : (uint64_t)blen, 64 * 1024,
						       body_pull, x, NULL);
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

/* 1 if the body must be streamed: chunked, or announced larger than FAST_MAX. */
static int wants_stream(struct MHD_Connection *con, int64_t *content_length)
{
	const char *te = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	const char *cl = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	unsigned long long v;
	char *end;

	*content_length = -1;
	for (const char *t = te; t != NULL && *t != '\0'; t++)
		if (strncasecmp(t, "chunked", 7) == 0) /* as libmicrohttpd, in any case */
			return 1;
	if (cl == NULL)
		return 0;
	errno = 0;
	v = strtoull(cl, &end, 10);
	if (errno != 0 || end == cl || v > INT64_MAX)
		return 0; /* libmicrohttpd refuses such a request before us */
	*content_length = (int64_t)v;
	return v > FAST_MAX;
}

/* Streamed path: the worker's body reader, fed from the ring. */
static int stream_read(size_t *out_len, void *buf, size_t cap, void *payload)
{
	exchange *x = payload;
	struct MHD_Connection *resume = NULL;
	size_t n = 0, first;

	*out_len = 0;
	pthread_mutex_lock(&x->mu);
	if (!x->want_body) {
		/* the connection waits at its first call: let libmicrohttpd read the body */
		x->want_body = 1;
		if (x->suspended) {
			x->suspended = 0;
			resume = x->con;
		}
	}
	while (x->rlen == 0 && !x->eof && !x->aborted) {
		if (resume != NULL) {
			pthread_mutex_unlock(&x->mu);
			MHD_resume_connection(resume);
			resume = NULL;
			pthread_mutex_lock(&x->mu);
			continue;
		}
		pthread_cond_wait(&x->cv, &x->mu);
	}
	if (x->aborted) {
		pthread_mutex_unlock(&x->mu);
		if (resume != NULL)
			MHD_resume_connection(resume);
		return 1;
	}
	n = x->rlen < cap ? x->rlen : cap;
	first = RING_BYTES - x->rhead;
	if (first > n)
		first = n;
	memcpy(buf, x->ring + x->rhead, first);
	memcpy((char *)buf + first, x->ring, n - first);
	x->rhead = (x->rhead + n) % RING_BYTES;
	x->rlen -= n;
	if (x->suspended && x->rlen <= RING_BYTES / 2) {
		/* room again: libmicrohttpd gives the rest of its buffer */
		x->suspended = 0;
		resume = x->con;
	}
	pthread_mutex_unlock(&x->mu);
	if (resume != NULL)
		MHD_resume_connection(resume);
	*out_len = n;
	return 0;
}

/* Take x off the server's list of live workers; srv->mu held. */
static void stream_unlink(server *srv, exchange *x)
{
	if (x->prev != NULL)
		x->prev->next = x->next;
	else
		srv->streams = x->next;
	if (x->next != NULL)
		x->next->prev = x->prev;
	x->prev = x->next = NULL;
}

static void *stream_worker(void *arg)
{
	exchange *x = arg;
	server *srv = x->srv;
	lc_api_response *resp = NULL;
	struct MHD_Connection *resume = NULL;
	int rc;

	rc = lc_api_handle(&resp, srv->api, &x->req);
	pthread_mutex_lock(&x->mu);
	x->resp = resp;
	x->rc = rc;
	x->done = 1;
	if (x->suspended) {
		x->suspended = 0;
		resume = x->con;
	}
	pthread_mutex_unlock(&x->mu);
	if (resume != NULL)
		MHD_resume_connection(resume);

	pthread_mutex_lock(&srv->mu);
	stream_unlink(srv, x);
	pthread_mutex_unlock(&srv->mu);
	exchange_unref(x); /* before the count drops: lc_api_free() waits for it */
	pthread_mutex_lock(&srv->mu);
	srv->nstreams--;
	pthread_cond_broadcast(&srv->cv);
	pthread_mutex_unlock(&srv->mu);
	return NULL;
}

/* Copy what the worker needs of the request: the connection's strings may go before it ends. */
static int snapshot_request(exchange *x, struct MHD_Connection *con, const char *method, int64_t content_length,
			    unsigned int *status, const char **text)
{
	header_list hl = { .n = 0 };
	size_t need, ulen = strlen(x->uri), plen;
	const char *q = strchr(x->uri, '?');
	char *p;

	plen = q ? (size_t)(q - x->uri) : ulen;
	if (plen >= MAX_PATH) {
		*status = 414;
		*text = ERR_414;
		return -1;
	}
	MHD_get_connection_values(con, MHD_HEADER_KIND, collect_header, &hl);
	if (hl.too_many) {
		*status = 431;
		*text = ERR_431;
		return -1;
	}
	need = strlen(method) + 1 + ulen + 1;
	for (size_t i = 0; i < hl.n; i++)
		need += strlen(hl.h[i].name) + 1 + strlen(hl.h[i].value) + 1;
	x->strs = malloc(need);
	x->hdrs = malloc((hl.n ? hl.n : 1) * sizeof(*x->hdrs));
	if (x->strs == NULL || x->hdrs == NULL) {
		*status = 500;
		*text = ERR_500;
		return -1;
	}
	lc_api_request_init(&x->req, LC_API_REQUEST_VERSION);
	p = x->strs;
#define COPY(dst, s) do { size_t l_ = strlen(s) + 1; memcpy(p, (s), l_); (dst) = p; p += l_; } while (0)
	COPY(x->req.method, method);
	memcpy(p, x->uri, ulen + 1);
	x->req.path = p;
	if (q != NULL) {
		p[plen] = '\0';
		x->req.query = p + plen + 1;
	}
	p += ulen + 1;
	for (size_t i = 0; i < hl.n; i++) {
		COPY(x->hdrs[i].name, hl.h[i].name);
		COPY(x->hdrs[i].value, hl.h[i].value);
	}
#undef COPY
	x->req.headers = x->hdrs;
	x->req.header_count = hl.n;
	x->req.body_read = stream_read;
	x->req.body_payload = x;
	x->req.content_length = content_length;
	return 0;
}

/* The connection is at its first call (or back to it): answer now, let the body come, or wait. */
static enum MHD_Result stream_head(server *srv, struct MHD_Connection *con, exchange *x)
{
	pthread_mutex_lock(&x->mu);
	if (x->done) {
		pthread_mutex_unlock(&x->mu);
		/* answered without reading the body: libmicrohttpd drops it and closes */
		if (x->rc != 0)
			return x->rc == LC_EUSER ? MHD_NO : reply_plain(con, 500, ERR_500);
		return send_response(srv, con, x, x->req.method);
	}
	if (x->want_body) {
		x->body_phase = 1;
		pthread_mutex_unlock(&x->mu);
		return MHD_YES;
	}
	x->suspended = 1;
	MHD_suspend_connection(con);
	pthread_mutex_unlock(&x->mu);
	return MHD_YES;
}

/* First call of a streamed request: start its worker. */
static enum MHD_Result stream_start(server *srv, struct MHD_Connection *con, exchange *x, const char *method,
				    int64_t content_length)
{
	unsigned int status = 500;
	const char *text = ERR_500;
	pthread_attr_t attr;
	pthread_t tid;
	int refused, rc;

	if (x->uri == NULL)
		return MHD_NO;
	if (snapshot_request(x, con, method, content_length, &status, &text) != 0)
		return reply_plain(con, status, text);
	x->ring = malloc(RING_BYTES);
	if (x->ring == NULL)
		return reply_plain(con, 500, ERR_500);
	if (pthread_mutex_init(&x->mu, NULL) != 0)
		return reply_plain(con, 500, ERR_500);
	if (pthread_cond_init(&x->cv, NULL) != 0) {
		pthread_mutex_destroy(&x->mu);
		return reply_plain(con, 500, ERR_500);
	}
	x->streaming = 1;
	x->con = con;
	x->refs = 2;

	pthread_mutex_lock(&srv->mu);
	refused = srv->stopping || srv->nstreams >= MAX_STREAMS;
	if (!refused) {
		srv->nstreams++;
		x->next = srv->streams;
		if (x->next != NULL)
			x->next->prev = x;
		srv->streams = x;
	}
	pthread_mutex_unlock(&srv->mu);
	if (refused) {
		x->refs = 1;
		return reply_plain(con, 503, ERR_503);
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&tid, &attr, stream_worker, x);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		pthread_mutex_lock(&srv->mu);
		stream_unlink(srv, x);
		srv->nstreams--;
		pthread_cond_broadcast(&srv->cv);
		pthread_mutex_unlock(&srv->mu);
		x->refs = 1;
		return reply_plain(con, 503, ERR_503);
	}
	return stream_head(srv, con, x);
}

/* Later calls of a streamed request: body pieces, then the end of the body. */
static enum MHD_Result stream_step(server *srv, struct MHD_Connection *con, exchange *x, const char *upload_data,
				   size_t *upload_data_size)
{
	size_t n, room, at, first;

	if (!x->body_phase)
		return stream_head(srv, con, x); /* the first call again, after a resume */
	pthread_mutex_lock(&x->mu);
	if (*upload_data_size > 0) {
		if (x->done) {
			/* the API stopped reading: drop the rest so the client can read the answer */
			x->drained += *upload_data_size;
			*upload_data_size = 0;
			pthread_mutex_unlock(&x->mu);
			return x->drained > MAX_DRAIN ? MHD_NO : MHD_YES;
		}
		room = RING_BYTES - x->rlen;
		n = *upload_data_size < room ? *upload_data_size : room;
		at = (x->rhead + x->rlen) % RING_BYTES;
		first = RING_BYTES - at;
		if (first > n)
			first = n;
		memcpy(x->ring + at, upload_data, first);
		memcpy(x->ring, upload_data + first, n - first);
		x->rlen += n;
		*upload_data_size -= n;
		if (n > 0)
			pthread_cond_broadcast(&x->cv);
		if (*upload_data_size > 0) {
			/* the ring is full: wait for the reader (libmicrohttpd keeps the rest) */
			x->suspended = 1;
			MHD_suspend_connection(con);
		}
		pthread_mutex_unlock(&x->mu);
		return MHD_YES;
	}
	/* the whole body has arrived */
	if (!x->eof) {
		x->eof = 1;
		pthread_cond_broadcast(&x->cv);
	}
	if (!x->done) {
		x->suspended = 1;
		MHD_suspend_connection(con);
		pthread_mutex_unlock(&x->mu);
		return MHD_YES;
	}
	pthread_mutex_unlock(&x->mu);
	if (x->rc != 0)
		return x->rc == LC_EUSER ? MHD_NO : reply_plain(con, 500, ERR_500);
	return send_response(srv, con, x, x->req.method);
}

/* SIGTERM: no new worker, every live one aborted and waited for. */
static void stop_streams(server *srv)
{
	pthread_mutex_lock(&srv->mu);
	srv->stopping = 1;
	for (exchange *x = srv->streams; x != NULL; x = x->next) {
		pthread_mutex_lock(&x->mu);
		x->aborted = 1;
		pthread_cond_broadcast(&x->cv);
		pthread_mutex_unlock(&x->mu);
	}
	while (srv->nstreams > 0)
		pthread_cond_wait(&srv->cv, &srv->mu);
	pthread_mutex_unlock(&srv->mu);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con, const char *url, const char *method,
			      const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	server *srv = cls;
	exchange *x = *con_cls;
	lc_api_request req = LC_API_REQUEST_INIT;
	header_list hl = { .n = 0 };
	char path[MAX_PATH];
	const char *q;
	int64_t clen;
	int rc;

	(void)url;
	(void)version;
	if (x == NULL)
		return MHD_NO;
	if (!x->started) {
		/* headers only: the body (if any) comes in the next calls */
		x->started = 1;
		if (wants_stream(con, &clen))
			return stream_start(srv, con, x, method, clen);
		return MHD_YES;
	}
	if (x->streaming)
		return stream_step(srv, con, x, upload_data, upload_data_size);

	/* fast path */
	if (*upload_data_size > 0) {
		if (x->len + *upload_data_size > FAST_MAX)
			return MHD_NO; /* cannot happen: Content-Length was checked */
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
		return reply_plain(con, 414, ERR_414);
	if (q != NULL) {
		memcpy(path, x->uri, (size_t)(q - x->uri));
		path[q - x->uri] = '\0';
		req.query = q + 1;
	} else {
		snprintf(path, sizeof(path), "%s", x->uri);
	}
	MHD_get_connection_values(con, MHD_HEADER_KIND, collect_header, &hl);
	if (hl.too_many)
		return reply_plain(con, 431, ERR_431);
	req.method = method;
	req.path = path;
	req.headers = hl.h;
	req.header_count = hl.n;
	req.body_read = body_read;
	req.body_payload = x;
	req.content_length = (int64_t)x->len;
	rc = lc_api_handle(&x->resp, srv->api, &req);
	if (rc != 0)
		return reply_plain(con, 500, ERR_500);
	return send_response(srv, con, x, method);
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

/* Register the compute hosts given as NAME=DRIVER:URI that are not registered yet. */
static int add_compute_hosts(lc_cloud *c, char **specs, int n)
{
	lc_session *sys = NULL;
	int ok = 1;

	if (n == 0)
		return 1;
	if (lc_session_system(&sys, c) != 0)
		return 0;
	for (int i = 0; i < n && ok; i++) {
		char name[256], driver[64];
		const char *eq = strchr(specs[i], '='), *colon = eq ? strchr(eq + 1, ':') : NULL;
		lc_compute_host_opts o = LC_COMPUTE_HOST_OPTS_INIT;
		lc_compute_host *h = NULL;

		if (eq == NULL || colon == NULL || eq - specs[i] >= (long)sizeof(name) || colon - eq - 1 >= (long)sizeof(driver)) {
			fprintf(stderr, "lc-httpd: --compute-host wants NAME=DRIVER:URI, got '%s'\n", specs[i]);
			ok = 0;
			break;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(eq - specs[i]), specs[i]);
		snprintf(driver, sizeof(driver), "%.*s", (int)(colon - eq - 1), eq + 1);
		if (lc_compute_host_find(&h, sys, name) == 0) {
			lc_compute_host_free(h);
			continue;
		}
		o.name = name;
		o.driver = driver;
		o.uri = colon + 1;
		if (lc_compute_host_create(NULL, sys, &o) != 0) {
			fprintf(stderr, "lc-httpd: compute host %s: %s\n", name, lc_error_last()->message);
			ok = 0;
		}
	}
	lc_session_free(sys);
	return ok;
}

int main(int argc, char **argv)
{
	const char *listen = "127.0.0.1:5000", *data = NULL, *base = NULL;
	const char *password = getenv("LC_ADMIN_PASSWORD");
	unsigned int threads = 4, port = 0;
	lc_cloud_opts co = LC_CLOUD_OPTS_INIT;
	lc_api_opts ao = LC_API_OPTS_INIT;
	server srv = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	char host[256], base_buf[300];
	sigset_t set;
	int sig, status = 1;
	char *compute_hosts[16];
	int ncompute = 0;

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
		} else if (strcmp(argv[i], "--compute-host") == 0 && i + 1 < argc && ncompute < 16) {
			compute_hosts[ncompute++] = argv[++i];
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
	if (!add_compute_hosts(srv.cloud, compute_hosts, ncompute))
		goto out;
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

	d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME, (uint16_t)port,
			     NULL, NULL, handle, &srv,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_THREAD_POOL_SIZE, threads,
			     MHD_OPTION_LISTEN_BACKLOG_SIZE, 4096u,
			     MHD_OPTION_CONNECTION_TIMEOUT, 120u,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONN_MEMORY,
			     MHD_OPTION_URI_LOG_CALLBACK, uri_cb, &srv,
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
	stop_streams(&srv);
	MHD_stop_daemon(d);
	status = 0;
out:
	lc_api_free(srv.api);
	lc_cloud_free(srv.cloud);
	return status;
}
