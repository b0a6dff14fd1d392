/*
 * libFuzzer target over lc_api_handle(): one HTTP request per input.
 *
 * Input format (so the fuzzer finds the structure quickly):
 *   METHOD SP TARGET LF          TARGET is path[?query], raw
 *   (NAME ":" SP VALUE LF)*      headers; the value "$ADMIN" becomes an admin token
 *   LF
 *   BODY                         the rest
 * Half the inputs hand the body whole, half through the streaming reader in
 * small pieces. The cloud lives in a directory under $TMPDIR for the whole run.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libcloud/libcloud.h>

static lc_cloud *cloud;
static lc_api *api;
static char admin_token[1024];

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char tmpl[4096];
	lc_cloud_opts co = LC_CLOUD_OPTS_INIT;
	lc_bootstrap_opts bo = LC_BOOTSTRAP_OPTS_INIT;
	lc_auth_opts ao = LC_AUTH_OPTS_INIT;
	lc_session *s;

	snprintf(tmpl, sizeof(tmpl), "%s/lc-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	co.pwhash_strength = LC_PWHASH_MIN;
	if (mkdtemp(tmpl) == NULL || lc_cloud_new(&cloud, &co) != 0 ||
	    lc_cloud_open(cloud, tmpl, LC_CLOUD_OPEN_CREATE | LC_CLOUD_OPEN_NOSYNC) != 0)
		abort();
	bo.admin_password = "fuzz";
	if (lc_cloud_bootstrap(cloud, &bo) != 0 || lc_api_new(&api, cloud, NULL) != 0)
		abort();
	ao.user_name = "admin";
	ao.user_domain_id = "default";
	ao.password = "fuzz";
	ao.scope = LC_SCOPE_PROJECT;
	ao.project_name = "admin";
	ao.project_domain_id = "default";
	if (lc_session_password(&s, cloud, &ao) != 0)
		abort();
	snprintf(admin_token, sizeof(admin_token), "%s", lc_session_token_id(s));
	lc_session_free(s);
}

struct piece {
	const uint8_t *p;
	size_t left;
};

static int read_small(size_t *out, void *buf, size_t cap, void *payload)
{
	struct piece *pc = payload;
	size_t n = pc->left < 7 ? pc->left : 7;

	if (n > cap)
		n = cap;
	memcpy(buf, pc->p, n);
	pc->p += n;
	pc->left -= n;
	*out = n;
	return 0;
}

/* Cut data at the next LF into a fresh NUL-terminated string. */
static char *line(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *e = memchr(*p, '\n', (size_t)(end - *p));
	size_t n = e ? (size_t)(e - *p) : (size_t)(end - *p);
	char *s = malloc(n + 1);

	memcpy(s, *p, n);
	s[n] = '\0';
	*p += n + (e ? 1 : 0);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	lc_api_request req = LC_API_REQUEST_INIT;
	lc_api_header h[32];
	char *hl[32];
	size_t nh = 0;
	char *first, *sp, *q;
	lc_api_response *resp;
	struct piece pc;
	char buf[512];
	size_t got;

	if (api == NULL)
		setup();
	if (size == 0)
		return 0;
	first = line(&p, end);
	sp = strchr(first, ' ');
	if (sp == NULL) {
		free(first);
		return 0;
	}
	*sp = '\0';
	req.method = first;
	q = strchr(sp + 1, '?');
	if (q != NULL) {
		*q = '\0';
		req.query = q + 1;
	}
	req.path = sp + 1;
	while (p < end && *p != '\n' && nh < 32) {
		char *l = line(&p, end), *colon = strchr(l, ':');

		hl[nh] = l;
		if (colon == NULL) {
			h[nh].name = l;
			h[nh].value = "";
		} else {
			*colon = '\0';
			h[nh].name = l;
			h[nh].value = colon[1] == ' ' ? colon + 2 : colon + 1;
			if (strcmp(h[nh].value, "$ADMIN") == 0)
				h[nh].value = admin_token;
		}
		nh++;
	}
	if (p < end && *p == '\n')
		p++;
	req.headers = h;
	req.header_count = nh;
	if (size & 1) {
		pc.p = p;
		pc.left = (size_t)(end - p);
		req.body_read = read_small;
		req.body_payload = &pc;
	} else {
		req.body = p;
		req.body_len = (size_t)(end - p);
	}
	if (lc_api_handle(&resp, api, &req) == 0) {
		int st = lc_api_response_status(resp);

		if (st < 100 || st > 599)
			abort();
		if (lc_api_response_header(resp, "x-openstack-request-id") == NULL)
			abort();
		while (lc_api_response_read(&got, resp, buf, sizeof(buf)) == 0 && got > 0)
			;
		lc_api_response_free(resp);
	}
	for (size_t i = 0; i < nh; i++)
		free(hl[i]);
	free(first);
	return 0;
}
