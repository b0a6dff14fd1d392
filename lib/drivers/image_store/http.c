/*
 * The "http" image store: read-only, the source of web-download imports.
 * A location is an http:// or https:// URL, streamed with libcurl's multi
 * interface so that the caller pulls the data chunk by chunk (the transfer
 * pauses while a chunk waits to be read). Only http and https are allowed,
 * for the URL and for every redirect; an HTTP error status fails.
 */
#include <libcloud/sys/image_store.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/text.h"

#define MAX_REDIRECTS 5L

typedef struct http_store {
	lc_image_store vt;
	char *name;
	unsigned int flags;
} http_store;

struct lc_image_store_reader {
	CURLM *multi;
	CURL *easy;
	unsigned char *buf; /* the chunk curl delivered, not yet read */
	size_t len, off, cap;
	int paused;
	int done;
	CURLcode result;
	int nomem;
	char errbuf[CURL_ERROR_SIZE];
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *p)
{
	lc_image_store_reader *r = p;
	size_t n = size * nmemb;

	if (r->off < r->len) { /* the previous chunk is still unread */
		r->paused = 1;
		return CURL_WRITEFUNC_PAUSE;
	}
	if (n > r->cap) {
		unsigned char *b = realloc(r->buf, n);
		if (b == NULL) {
			r->nomem = 1;
			return 0;
		}
		r->buf = b;
		r->cap = n;
	}
	memcpy(r->buf, ptr, n);
	r->len = n;
	r->off = 0;
	return n;
}

static int transfer_error(lc_image_store_reader *r)
{
	long status = 0;

	if (r->nomem)
		return lc__error_set(LC_ENOMEM, "out of memory");
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	switch (r->result) {
	case CURLE_UNSUPPORTED_PROTOCOL:
		return lc__error_set(LC_EBACKEND, "import refused: a redirect leads to a scheme other than http(s) (%s)",
				     r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->result));
	case CURLE_HTTP_RETURNED_ERROR:
		return lc__error_set(LC_EBACKEND, "the import URL answered HTTP %ld", status);
	case CURLE_TOO_MANY_REDIRECTS:
		return lc__error_set(LC_EBACKEND, "the import URL redirects more than %ld times", MAX_REDIRECTS);
	default:
		return lc__error_set(LC_EBACKEND, "fetching the import URL failed: %s",
				     r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->result));
	}
}

/* Run the transfer until a chunk is buffered or it ends. */
static int pump(lc_image_store_reader *r)
{
	while (r->off >= r->len && !r->done) {
		int running = 0;
		CURLMcode mc;
		CURLMsg *m;
		int left;

		if (r->paused) {
			r->paused = 0;
			curl_easy_pause(r->easy, CURLPAUSE_CONT); /* may deliver the held chunk at once */
			if (r->off < r->len)
				break;
		}
		mc = curl_multi_perform(r->multi, &running);
		if (mc != CURLM_OK)
			return lc__error_set(LC_EBACKEND, "libcurl: %s", curl_multi_strerror(mc));
		while ((m = curl_multi_info_read(r->multi, &left)) != NULL) {
			if (m->msg == CURLMSG_DONE) {
				r->done = 1;
				r->result = m->data.result;
			}
		}
		if (r->off < r->len || r->done)
			break;
		mc = curl_multi_poll(r->multi, NULL, 0, 1000, NULL);
		if (mc != CURLM_OK)
			return lc__error_set(LC_EBACKEND, "libcurl: %s", curl_multi_strerror(mc));
	}
	if (r->off >= r->len && r->done && (r->result != CURLE_OK || r->nomem))
		return transfer_error(r);
	return 0;
}

static void http_get_close(lc_image_store_reader *r)
{
	if (r == NULL)
		return;
	if (r->multi && r->easy)
		curl_multi_remove_handle(r->multi, r->easy);
	if (r->easy)
		curl_easy_cleanup(r->easy);
	if (r->multi)
		curl_multi_cleanup(r->multi);
	free(r->buf);
	free(r);
}

static int http_get_open(lc_image_store_reader **out, int64_t *size, lc_image_store *self, const char *location,
			 uint64_t offset, int64_t length)
{
	http_store *hs = (http_store *)self;
	lc_image_store_reader *r;
	curl_off_t cl = -1;
	char range[64];
	int rc;

	*out = NULL;
	*size = -1;
	if (location == NULL ||
	    (strncasecmp(location, "http://", 7) != 0 && strncasecmp(location, "https://", 8) != 0))
		return lc__error_set(LC_EINVALID, "the URL must be http:// or https://");
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	r->multi = curl_multi_init();
	r->easy = curl_easy_init();
	if (r->multi == NULL || r->easy == NULL) {
		http_get_close(r);
		return lc__error_set(LC_ENOMEM, "libcurl: cannot make a transfer");
	}
	curl_easy_setopt(r->easy, CURLOPT_URL, location);
	curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(r->easy, CURLOPT_MAXREDIRS, MAX_REDIRECTS);
	curl_easy_setopt(r->easy, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(r->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(r->easy, CURLOPT_LOW_SPEED_TIME, 120L);
	curl_easy_setopt(r->easy, CURLOPT_USERAGENT, "libcloud-image-import");
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_BUFFERSIZE, 256L * 1024);
	if (hs->flags & LC_IMAGE_STORE_HTTP_INSECURE) {
		curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (offset > 0 || length >= 0) {
		if (length >= 0)
			snprintf(range, sizeof(range), "%llu-%llu", (unsigned long long)offset,
				 (unsigned long long)(offset + (uint64_t)length - 1));
		else
			snprintf(range, sizeof(range), "%llu-", (unsigned long long)offset);
		if (length != 0)
			curl_easy_setopt(r->easy, CURLOPT_RANGE, range);
	}
	if (curl_multi_add_handle(r->multi, r->easy) != CURLM_OK) {
		http_get_close(r);
		return lc__error_set(LC_EBACKEND, "libcurl: cannot start the transfer");
	}
	/* Until the first bytes (or the end): the headers tell the size. */
	if ((rc = pump(r)) < 0) {
		http_get_close(r);
		return rc;
	}
	if (curl_easy_getinfo(r->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) == CURLE_OK && cl >= 0)
		*size = (int64_t)cl;
	*out = r;
	return 0;
}

static int http_get_read(lc_image_store_reader *r, void *buf, size_t cap, size_t *out_len)
{
	size_t n;

	*out_len = 0;
	LC_TRY(pump(r));
	n = r->len - r->off;
	if (n > cap)
		n = cap;
	memcpy(buf, r->buf + r->off, n);
	r->off += n;
	*out_len = n;
	return 0;
}

static void http_free(lc_driver *d)
{
	http_store *hs = (http_store *)d;

	free(hs->name);
	free(hs);
}

LC_EXTERN int lc_image_store_http_new(lc_image_store **out, const char *name, unsigned int flags)
{
	http_store *hs;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__text_check("name", name, 1, LC_DRIVER_NAME_MAX));
	LC_CHECK_FLAGS(flags, LC_IMAGE_STORE_HTTP_INSECURE);
	hs = calloc(1, sizeof(*hs));
	if (hs == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	hs->name = strdup(name);
	if (hs->name == NULL) {
		free(hs);
		return lc__error_set(LC_ENOMEM, "out of memory");
	}
	hs->flags = flags;
	hs->vt.base.version = LC_IMAGE_STORE_VERSION;
	hs->vt.base.kind = LC_IMAGE_STORE_KIND;
	hs->vt.base.name = hs->name;
	hs->vt.base.free = http_free;
	hs->vt.get_open = http_get_open;
	hs->vt.get_read = http_get_read;
	hs->vt.get_close = http_get_close;
	*out = &hs->vt;
	return 0;
}
