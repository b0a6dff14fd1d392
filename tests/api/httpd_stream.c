/*
 * lc-httpd streams large request bodies: a 256 MiB image upload (with
 * Content-Length, and chunked) goes through with the server's resident memory
 * far below the body size; an unwanted body is answered before it is read;
 * a refused chunked body is answered; a client that goes away mid-upload and
 * a SIGTERM during an upload leave a server that stops cleanly (exit 0, so no
 * leak report under ASan).
 *
 * Drives the real lc-httpd ($LC_TEST_BUILDDIR/examples/httpd/lc-httpd) over
 * 127.0.0.1 with plain sockets, so that the test controls every byte sent.
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#define MIB (UINT64_C(1) << 20)
#define BIG (256 * MIB)
/* the most the server's resident memory may grow during a 256 MiB upload */
#define RSS_BUDGET (64 * MIB)

static char *dir;
static pid_t pid = -1;
static unsigned int port;
static char token[512];

/* ---- the server ---- */

static unsigned int free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert_geq(fd, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	return ntohs(sa.sin_port);
}

static void start_server(void)
{
	const char *build = getenv("LC_TEST_BUILDDIR");
	char httpd[4096], listen[64], data[4096], line[512];
	int out[2];
	FILE *f;
	int ready = 0;

	cr_assert_not_null(build, "LC_TEST_BUILDDIR is not set");
	snprintf(httpd, sizeof(httpd), "%s/examples/httpd/lc-httpd", build);
	cr_assert_eq(access(httpd, X_OK), 0, "no %s", httpd);
	dir = lct_tmpdir();
	snprintf(data, sizeof(data), "%s/cloud", dir);
	port = free_port();
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", port);
	cr_assert_eq(pipe(out), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		const char *asan = getenv("ASAN_OPTIONS");
		char opts[1024];

		/* ASan's quarantine would hold freed buffers and hide what the server keeps */
		snprintf(opts, sizeof(opts), "%s%squarantine_size_mb=8", asan ? asan : "", asan && *asan ? ":" : "");
		setenv("ASAN_OPTIONS", opts, 1);
		setenv("LC_ADMIN_PASSWORD", "stream-admin-pw", 1);
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		execl(httpd, httpd, "--listen", listen, "--data", data, "--quiet", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	f = fdopen(out[0], "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, "OS_AUTH_URL") != NULL) {
			ready = 1;
			break;
		}
	fclose(f); /* lc-httpd prints nothing more on stdout */
	cr_assert(ready, "lc-httpd did not start");
}

/* SIGTERM, then the exit status (0 expected: a clean stop, and no leak under ASan). */
static int stop_server(int timeout_s)
{
	int status = -1;

	if (pid <= 0)
		return 0;
	kill(pid, SIGTERM);
	for (int i = 0; i < timeout_s * 10; i++) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid) {
			pid = -1;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
		usleep(100000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	pid = -1;
	return -1;
}

/* A field of /proc/PID/status in bytes ("VmRSS", "VmHWM"), or 0. */
static uint64_t proc_kib(const char *field)
{
	char path[64], line[256];
	size_t flen = strlen(field);
	uint64_t v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, field, flen) == 0 && line[flen] == ':') {
			v = strtoull(line + flen + 1, NULL, 10) * 1024;
			break;
		}
	fclose(f);
	return v;
}

/* Reset the server's peak RSS (VmHWM); 0 if the kernel allows it. */
static int reset_peak(void)
{
	char path[64];
	int fd, rc;

	snprintf(path, sizeof(path), "/proc/%d/clear_refs", (int)pid);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	rc = write(fd, "5", 1) == 1 ? 0 : -1;
	close(fd);
	return rc;
}

/* ---- HTTP over a socket ---- */

typedef struct conn {
	int fd;
	char buf[65536];
	size_t off, len;
} conn;

typedef struct resp {
	int status;
	int saw_100;      /* an interim "100 Continue" came first */
	char head[8192];  /* the header lines */
	char *body;       /* NUL-terminated; NULL when a sink took it */
	size_t body_len;
} resp;

/* Takes each piece of a response body; non-zero stops. */
typedef int (*sink_fn)(const char *p, size_t n, void *payload);

static conn *dial(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = 120 };
	conn *c = calloc(1, sizeof(*c));

	cr_assert_not_null(c);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert_geq(c->fd, 0);
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)), 0, "connect: %s", strerror(errno));
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return c;
}

static void hang_up(conn *c)
{
	if (c == NULL)
		return;
	close(c->fd);
	free(c);
}

/* 0, or -1 if the peer is gone. */
static int send_all(conn *c, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static int fill(conn *c)
{
	ssize_t r;

	if (c->off < c->len)
		return 0;
	do
		r = recv(c->fd, c->buf, sizeof(c->buf), 0);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return -1;
	c->off = 0;
	c->len = (size_t)r;
	return 0;
}

/* One line without its CRLF; -1 at the end of the stream. */
static int read_line(conn *c, char *out, size_t cap)
{
	size_t n = 0;

	for (;;) {
		char ch;

		if (fill(c) != 0)
			return -1;
		ch = c->buf[c->off++];
		if (ch == '\n')
			break;
		if (ch != '\r' && n + 1 < cap)
			out[n++] = ch;
	}
	out[n] = '\0';
	return 0;
}

static int read_exact(conn *c, size_t n, sink_fn sink, void *payload)
{
	while (n > 0) {
		size_t k;

		if (fill(c) != 0)
			return -1;
		k = c->len - c->off < n ? c->len - c->off : n;
		if (sink(c->buf + c->off, k, payload) != 0)
			return -1;
		c->off += k;
		n -= k;
	}
	return 0;
}

typedef struct grow {
	char *p;
	size_t len, cap;
} grow;

static int grow_sink(const char *p, size_t n, void *payload)
{
	grow *g = payload;

	if (g->len + n + 1 > g->cap) {
		g->cap = (g->len + n + 1) * 2;
		g->p = realloc(g->p, g->cap);
		cr_assert_not_null(g->p);
	}
	memcpy(g->p + g->len, p, n);
	g->len += n;
	g->p[g->len] = '\0';
	return 0;
}

static const char *header(const resp *r, const char *name)
{
	static char v[1024];
	size_t nl = strlen(name);

	for (const char *l = r->head; *l;) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);

		if (len > nl && strncasecmp(l, name, nl) == 0 && l[nl] == ':') {
			const char *s = l + nl + 1;

			while (*s == ' ')
				s++;
			snprintf(v, sizeof(v), "%.*s", (int)(len - (size_t)(s - l)), s);
			return v;
		}
		l = e ? e + 1 : l + len;
	}
	return NULL;
}

/* Read one response (after any interim 1xx); its body to sink, or kept in r->body. */
static int read_response(conn *c, resp *r, int head_only, sink_fn sink, void *payload)
{
	char line[8192];
	const char *te, *cl;
	grow g = { 0 };
	size_t hl;

	memset(r, 0, sizeof(*r));
	for (;;) {
		if (read_line(c, line, sizeof(line)) != 0)
			return -1;
		if (sscanf(line, "HTTP/1.%*d %d", &r->status) != 1)
			return -1;
		hl = 0;
		r->head[0] = '\0';
		for (;;) {
			if (read_line(c, line, sizeof(line)) != 0)
				return -1;
			if (line[0] == '\0')
				break;
			hl += (size_t)snprintf(r->head + hl, sizeof(r->head) - hl, "%s\n", line);
			if (hl >= sizeof(r->head))
				hl = sizeof(r->head) - 1;
		}
		if (r->status >= 200)
			break;
		r->saw_100 = r->status == 100;
	}
	if (sink == NULL) {
		sink = grow_sink;
		payload = &g;
	}
	te = header(r, "Transfer-Encoding");
	if (head_only || r->status == 204 || r->status == 304) {
		/* no body */
	} else if (te != NULL && strcasestr(te, "chunked") != NULL) {
		for (;;) {
			unsigned long n;

			if (read_line(c, line, sizeof(line)) != 0)
				return -1;
			n = strtoul(line, NULL, 16);
			if (n == 0)
				break;
			if (read_exact(c, n, sink, payload) != 0 || read_line(c, line, sizeof(line)) != 0)
				return -1;
		}
		while (read_line(c, line, sizeof(line)) == 0 && line[0] != '\0')
			; /* trailers */
	} else if ((cl = header(r, "Content-Length")) != NULL) {
		if (read_exact(c, (size_t)strtoull(cl, NULL, 10), sink, payload) != 0)
			return -1;
	}
	r->body = g.p ? g.p : NULL;
	r->body_len = g.len;
	return 0;
}

static void resp_free(resp *r)
{
	free(r->body);
	r->body = NULL;
}

/* One small request on a fresh connection, with the token if there is one; the response body kept. */
static int call(resp *r, const char *method, const char *path, const char *ctype, const char *body)
{
	char req[8192];
	conn *c = dial();
	size_t n = 0;
	int rc;

	n += (size_t)snprintf(req + n, sizeof(req) - n, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n", method, path, port);
	if (token[0])
		n += (size_t)snprintf(req + n, sizeof(req) - n, "X-Auth-Token: %s\r\n", token);
	if (ctype)
		n += (size_t)snprintf(req + n, sizeof(req) - n, "Content-Type: %s\r\n", ctype);
	n += (size_t)snprintf(req + n, sizeof(req) - n, "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
			      body ? strlen(body) : 0, body ? body : "");
	cr_assert_lt(n, sizeof(req));
	cr_assert_eq(send_all(c, req, n), 0);
	rc = read_response(c, r, strcmp(method, "HEAD") == 0, NULL, NULL);
	hang_up(c);
	return rc;
}

/* A JSON string field of a body ("id"), copied to out. */
static int json_str(const char *body, const char *key, char *out, size_t cap)
{
	char pat[64];
	const char *s, *e;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	s = body ? strstr(body, pat) : NULL;
	if (s == NULL)
		return -1;
	s += strlen(pat);
	e = strchr(s, '"');
	if (e == NULL || (size_t)(e - s) >= cap)
		return -1;
	memcpy(out, s, (size_t)(e - s));
	out[e - s] = '\0';
	return 0;
}

static void login(void)
{
	resp r;
	const char *t;

	token[0] = '\0';
	cr_assert_eq(call(&r, "POST", "/v3/auth/tokens", "application/json",
			  "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"admin\","
			  "\"domain\":{\"name\":\"Default\"},\"password\":\"stream-admin-pw\"}}},\"scope\":{\"project\":"
			  "{\"name\":\"admin\",\"domain\":{\"name\":\"Default\"}}}}}"), 0);
	cr_assert_eq(r.status, 201, "token issue: %d %s", r.status, r.body ? r.body : "");
	t = header(&r, "X-Subject-Token");
	cr_assert_not_null(t);
	snprintf(token, sizeof(token), "%s", t);
	resp_free(&r);
}

static void new_image(char *id, size_t cap)
{
	resp r;

	cr_assert_eq(call(&r, "POST", "/image/v2/images", "application/json",
			  "{\"name\":\"big\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}"), 0);
	cr_assert_eq(r.status, 201, "image create: %d %s", r.status, r.body ? r.body : "");
	cr_assert_eq(json_str(r.body, "id", id, cap), 0);
	resp_free(&r);
}

static void image_field(const char *id, const char *key, char *out, size_t cap)
{
	char path[256];
	resp r;

	snprintf(path, sizeof(path), "/image/v2/images/%s", id);
	cr_assert_eq(call(&r, "GET", path, NULL, NULL), 0);
	cr_assert_eq(r.status, 200);
	cr_assert_eq(json_str(r.body, key, out, cap), 0, "no %s in %s", key, r.body);
	resp_free(&r);
}

/* ---- the body: a reproducible stream of bytes ---- */

/* The bytes [off, off + n) of the stream of a seed: 8-byte words of splitmix64 by position. */
static void gen_fill(uint64_t seed, uint64_t off, unsigned char *p, size_t n)
{
	while (n > 0) {
		uint64_t w = off / 8, z = seed + (w + 1) * UINT64_C(0x9E3779B97F4A7C15);
		size_t skip = (size_t)(off % 8), k = 8 - skip < n ? 8 - skip : n;
		unsigned char b[8];

		z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
		z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
		z ^= z >> 31;
		memcpy(b, &z, 8);
		memcpy(p, b + skip, k);
		p += k;
		off += k;
		n -= k;
	}
}

typedef struct check {
	uint64_t seed, seen;
	int bad;
	unsigned char want[65536];
} check;

static int check_sink(const char *p, size_t n, void *payload)
{
	check *k = payload;

	while (n > 0) {
		size_t m = n < sizeof(k->want) ? n : sizeof(k->want);

		gen_fill(k->seed, k->seen, k->want, m);
		if (memcmp(k->want, p, m) != 0)
			k->bad = 1;
		k->seen += m;
		p += m;
		n -= m;
	}
	return 0;
}

/* PUT the 256 MiB body (chunked or with Content-Length); the largest RSS growth seen. */
static uint64_t upload(const char *id, int chunked, uint64_t seed, int *status)
{
	char head[2048];
	static unsigned char block[MIB];
	uint64_t base, peak = 0, sent = 0;
	int reset, n;
	conn *c;
	resp r;

	base = proc_kib("VmRSS");
	reset = reset_peak() == 0;
	c = dial();
	n = snprintf(head, sizeof(head),
		     "PUT /image/v2/images/%s/file HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nX-Auth-Token: %s\r\n"
		     "Content-Type: application/octet-stream\r\n",
		     id, port, token);
	if (chunked)
		n += snprintf(head + n, sizeof(head) - (size_t)n, "Transfer-Encoding: chunked\r\n\r\n");
	else
		n += snprintf(head + n, sizeof(head) - (size_t)n, "Content-Length: %llu\r\n\r\n",
			      (unsigned long long)BIG);
	cr_assert_eq(send_all(c, head, (size_t)n), 0);
	while (sent < BIG) {
		/* chunk sizes vary from 3 KiB to 1 MiB when chunked */
		size_t len = chunked ? (size_t)(3001 + (sent / 4096 * 7919) % (MIB - 3001)) : MIB;
		char ch[32];

		if (len > BIG - sent)
			len = (size_t)(BIG - sent);
		gen_fill(seed, sent, block, len);
		if (chunked) {
			n = snprintf(ch, sizeof(ch), "%zx\r\n", len);
			cr_assert_eq(send_all(c, ch, (size_t)n), 0);
		}
		cr_assert_eq(send_all(c, block, len), 0, "the server stopped reading at %llu",
			     (unsigned long long)sent);
		if (chunked)
			cr_assert_eq(send_all(c, "\r\n", 2), 0);
		if (sent / (8 * MIB) != (sent + len) / (8 * MIB)) {
			uint64_t rss = proc_kib("VmRSS");

			if (rss > base && rss - base > peak)
				peak = rss - base;
		}
		sent += len;
	}
	if (chunked)
		cr_assert_eq(send_all(c, "0\r\n\r\n", 5), 0);
	cr_assert_eq(read_response(c, &r, 0, NULL, NULL), 0);
	*status = r.status;
	if (r.status != 204)
		cr_log_error("upload: %d %s", r.status, r.body ? r.body : "");
	resp_free(&r);
	hang_up(c);
	if (reset) {
		uint64_t hwm = proc_kib("VmHWM");

		if (hwm > base && hwm - base > peak)
			peak = hwm - base;
	}
	return peak;
}

/* GET the image data back and compare it with the stream; the RSS growth meanwhile. */
static void download_and_compare(const char *id, uint64_t seed)
{
	char req[1024];
	static check k;
	uint64_t base = proc_kib("VmRSS"), hwm;
	int reset = reset_peak() == 0, n;
	conn *c = dial();
	resp r;

	memset(&k, 0, sizeof(k));
	k.seed = seed;
	n = snprintf(req, sizeof(req),
		     "GET /image/v2/images/%s/file HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nX-Auth-Token: %s\r\n"
		     "Connection: close\r\n\r\n",
		     id, port, token);
	cr_assert_eq(send_all(c, req, (size_t)n), 0);
	cr_assert_eq(read_response(c, &r, 0, check_sink, &k), 0);
	hang_up(c);
	cr_assert_eq(r.status, 200);
	cr_assert_eq(k.seen, BIG, "downloaded %llu bytes", (unsigned long long)k.seen);
	cr_assert_not(k.bad, "the data read back differs from the data sent");
	hwm = reset ? proc_kib("VmHWM") : 0;
	cr_assert(hwm <= base || hwm - base < RSS_BUDGET, "RSS grew by %llu MiB during a 256 MiB download",
		  (unsigned long long)((hwm - base) / MIB));
}

static void setup(void)
{
	start_server();
	login();
}

static void teardown(void)
{
	if (pid > 0)
		stop_server(30);
	if (dir != NULL)
		lct_rmtree(dir);
	dir = NULL;
}

TestSuite(httpd_stream, .init = setup, .fini = teardown, .timeout = 500);

static void big_upload(int chunked, uint64_t seed)
{
	char id[64], size[32];
	uint64_t grew;
	int status = 0;

	new_image(id, sizeof(id));
	grew = upload(id, chunked, seed, &status);
	cr_assert_eq(status, 204);
	cr_log_info("%s upload of 256 MiB: server RSS grew by at most %.1f MiB", chunked ? "chunked" : "sized",
		    (double)grew / (double)MIB);
	cr_assert_lt(grew, RSS_BUDGET, "RSS grew by %llu MiB during a 256 MiB upload",
		     (unsigned long long)(grew / MIB));
	image_field(id, "status", size, sizeof(size));
	cr_assert_str_eq(size, "active");
	download_and_compare(id, seed);
	cr_assert_eq(stop_server(30), 0, "lc-httpd did not stop cleanly");
}

Test(httpd_stream, uploads_256_mib_with_content_length_in_bounded_memory)
{
	big_upload(0, 1);
}

Test(httpd_stream, uploads_256_mib_chunked_in_bounded_memory)
{
	big_upload(1, 2);
}

/* 1 if the server sent something within ms milliseconds. */
static int answered_within(conn *c, int ms)
{
	struct pollfd p = { .fd = c->fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

Test(httpd_stream, answers_an_unwanted_body_before_reading_it)
{
	char id[64], req[2048], saved[512];
	conn *c;
	resp r;
	int n;

	new_image(id, sizeof(id));
	/* no token: 401 at once, no "100 Continue", and none of the 256 MiB is needed */
	snprintf(saved, sizeof(saved), "%s", token);
	c = dial();
	n = snprintf(req, sizeof(req),
		     "PUT /image/v2/images/%s/file HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
		     "Content-Type: application/octet-stream\r\nContent-Length: %llu\r\nExpect: 100-continue\r\n\r\n",
		     id, port, (unsigned long long)BIG);
	cr_assert_eq(send_all(c, req, (size_t)n), 0);
	cr_assert(answered_within(c, 10000), "no answer before the body");
	cr_assert_eq(read_response(c, &r, 0, NULL, NULL), 0);
	cr_assert_eq(r.status, 401);
	cr_assert_not(r.saw_100);
	resp_free(&r);
	hang_up(c);

	/* an unknown image: 404, same way */
	c = dial();
	n = snprintf(req, sizeof(req),
		     "PUT /image/v2/images/00000000-0000-7000-8000-000000000000/file HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
		     "X-Auth-Token: %s\r\nContent-Type: application/octet-stream\r\nContent-Length: %llu\r\n\r\n",
		     port, saved, (unsigned long long)BIG);
	cr_assert_eq(send_all(c, req, (size_t)n), 0);
	cr_assert(answered_within(c, 10000), "no answer before the body");
	cr_assert_eq(read_response(c, &r, 0, NULL, NULL), 0);
	cr_assert_eq(r.status, 404);
	resp_free(&r);
	hang_up(c);

	/* a JSON route announced far over its limit: 413 before the body */
	c = dial();
	n = snprintf(req, sizeof(req),
		     "POST /v3/projects HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nX-Auth-Token: %s\r\n"
		     "Content-Type: application/json\r\nContent-Length: %llu\r\n\r\n",
		     port, saved, (unsigned long long)BIG);
	cr_assert_eq(send_all(c, req, (size_t)n), 0);
	cr_assert(answered_within(c, 10000), "no answer before the body");
	cr_assert_eq(read_response(c, &r, 0, NULL, NULL), 0);
	cr_assert_eq(r.status, 413);
	resp_free(&r);
	hang_up(c);

	/* the image is untouched and the server stops cleanly */
	image_field(id, "status", saved, sizeof(saved));
	cr_assert_str_eq(saved, "queued");
	cr_assert_eq(stop_server(30), 0);
}

Test(httpd_stream, answers_a_refused_chunked_body)
{
	static char piece[64 * 1024];
	char req[2048];
	conn *c;
	resp r;
	int n;

	/* 4 MiB of chunked JSON: the API stops at its 1 MiB limit, the rest is dropped, then 413 */
	memset(piece, ' ', sizeof(piece));
	c = dial();
	n = snprintf(req, sizeof(req),
		     "POST /v3/projects HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nX-Auth-Token: %s\r\n"
		     "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n",
		     port, token);
	cr_assert_eq(send_all(c, req, (size_t)n), 0);
	for (int i = 0; i < 64; i++) {
		n = snprintf(req, sizeof(req), "%zx\r\n", sizeof(piece));
		cr_assert_eq(send_all(c, req, (size_t)n), 0);
		cr_assert_eq(send_all(c, piece, sizeof(piece)), 0);
		cr_assert_eq(send_all(c, "\r\n", 2), 0);
	}
	cr_assert_eq(send_all(c, "0\r\n\r\n", 5), 0);
	cr_assert_eq(read_response(c, &r, 0, NULL, NULL), 0);
	cr_assert_eq(r.status, 413, "got %d %s", r.status, r.body ? r.body : "");
	resp_free(&r);
	hang_up(c);

	/* a small chunked JSON body goes through the streamed path too: a password token */
	c = dial();
	{
		const char *j = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":"
				"\"admin\",\"domain\":{\"name\":\"Default\"},\"password\":\"stream-admin-pw\"}}}}}";
		size_t half = strlen(j) / 2;

		n = snprintf(req, sizeof(req),
			     "POST /v3/auth/tokens HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
			     "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
			     "%zx\r\n%.*s\r\n%zx\r\n%s\r\n0\r\n\r\n",
			     port, half, (int)half, j, strlen(j) - half, j + half);
	}
	cr_assert_eq(send_all(c, req, (size_t)n), 0);
	cr_assert_eq(read_response(c, &r, 0, NULL, NULL), 0);
	cr_assert_eq(r.status, 201, "got %d %s", r.status, r.body ? r.body : "");
	cr_assert_not_null(header(&r, "X-Subject-Token"));
	resp_free(&r);
	hang_up(c);
	cr_assert_eq(stop_server(30), 0);
}

/* Start a sized upload of 256 MiB and send only the first 16 MiB. */
static conn *partial_upload(const char *id)
{
	static unsigned char block[MIB];
	char head[2048];
	conn *c = dial();
	int n;

	n = snprintf(head, sizeof(head),
		     "PUT /image/v2/images/%s/file HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nX-Auth-Token: %s\r\n"
		     "Content-Type: application/octet-stream\r\nContent-Length: %llu\r\n\r\n",
		     id, port, token, (unsigned long long)BIG);
	cr_assert_eq(send_all(c, head, (size_t)n), 0);
	for (int i = 0; i < 16; i++) {
		gen_fill(3, (uint64_t)i * MIB, block, sizeof(block));
		cr_assert_eq(send_all(c, block, sizeof(block)), 0);
	}
	return c;
}

Test(httpd_stream, survives_a_client_that_goes_away_mid_upload)
{
	char id[64], st[64];

	new_image(id, sizeof(id));
	hang_up(partial_upload(id));
	/* the upload fails, the image goes back to queued */
	for (int i = 0; i < 100; i++) {
		image_field(id, "status", st, sizeof(st));
		if (strcmp(st, "queued") == 0)
			break;
		usleep(100000);
	}
	cr_assert_str_eq(st, "queued");
	/* and the same image takes a whole upload afterwards */
	big_upload(0, 4);
}

Test(httpd_stream, stops_cleanly_during_an_upload)
{
	char id[64];
	struct timespec t0, t1;
	conn *c;
	resp r;

	new_image(id, sizeof(id));
	c = partial_upload(id);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(stop_server(30), 0, "lc-httpd did not stop cleanly during an upload");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert_lt(t1.tv_sec - t0.tv_sec, 10, "stopping took %lds", (long)(t1.tv_sec - t0.tv_sec));
	/* the client sees the connection end, with no answer or an error */
	cr_assert(read_response(c, &r, 0, NULL, NULL) != 0 || r.status >= 500);
	resp_free(&r);
	hang_up(c);
}
