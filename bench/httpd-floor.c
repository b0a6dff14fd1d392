/*
 * httpd-floor: the transport floor of bench/rest.sh. The same libmicrohttpd
 * setup as examples/httpd/lc-httpd (flags, thread pool, backlog, timeout,
 * memory limit, URI and completion callbacks, an answer queued on the second
 * call of the access handler) answering every request with a fixed 200 and a
 * two-byte JSON body, doing no other work. What lc-httpd adds on top of this
 * is the cost of the cloud.
 *
 *   httpd-floor --listen 127.0.0.1:PORT [--threads N]
 *
 * Prints "ready" on stdout once listening; SIGINT or SIGTERM stop it.
 *
 * SPDX-License-Identifier: MIT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

static const char body[] = "{}";

/* lc-httpd allocates its per-request state here; the floor only marks the request */
static void *uri_cb(void *cls, const char *uri, struct MHD_Connection *con)
{
	static int started;

	(void)cls;
	(void)uri;
	(void)con;
	return &started;
}

static void completed_cb(void *cls, struct MHD_Connection *con, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)con;
	(void)toe;
	*con_cls = NULL;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con, const char *url, const char *method,
			      const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct MHD_Response *r;
	enum MHD_Result rc;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (*con_cls != NULL) {
		/* the first call (headers only), as in lc-httpd */
		*con_cls = NULL;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	r = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json");
	rc = MHD_queue_response(con, 200, r);
	MHD_destroy_response(r);
	return rc;
}

int main(int argc, char **argv)
{
	const char *listen = NULL;
	unsigned int threads = 4;
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	char host[64];
	const char *colon;
	unsigned long port;
	sigset_t set;
	int sig, bad = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
			listen = argv[++i];
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			threads = (unsigned int)strtoul(argv[++i], NULL, 10);
		else
			bad = 1;
	}
	colon = listen ? strrchr(listen, ':') : NULL;
	if (bad || colon == NULL || (size_t)(colon - listen) >= sizeof(host) || threads == 0 || threads > 256) {
		fprintf(stderr, "usage: httpd-floor --listen IPv4-ADDRESS:PORT [--threads N]\n");
		return 2;
	}
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	port = strtoul(colon + 1, NULL, 10);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (port == 0 || port > 65535 || inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "httpd-floor: bad address %s\n", listen);
		return 2;
	}

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME, (uint16_t)port,
			     NULL, NULL, handle, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			     MHD_OPTION_THREAD_POOL_SIZE, threads,
			     MHD_OPTION_LISTEN_BACKLOG_SIZE, 4096u,
			     MHD_OPTION_CONNECTION_TIMEOUT, 120u,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, /* lc-httpd's CONN_MEMORY */
			     MHD_OPTION_URI_LOG_CALLBACK, uri_cb, NULL,
			     MHD_OPTION_NOTIFY_COMPLETED, completed_cb, NULL,
			     MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "httpd-floor: cannot listen on %s: %s\n", listen, strerror(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	while (sigwait(&set, &sig) != 0)
		;
	MHD_stop_daemon(d);
	return 0;
}
