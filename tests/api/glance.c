/* Glance v2 handlers in process: discovery, schemas, images, data streaming, patch, members, bad input. */
#include <criterion/criterion.h>

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitest.h"

static char *pa, *ua, *pb, *ub, *tok_a, *tok_b;

static void setup(void)
{
	t_setup();
	t_make_user("gl-a", "alice", "pw-alice-1", &pa, &ua);
	t_make_user("gl-b", "bob", "pw-bob-1", &pb, &ub);
	tok_a = t_token("alice", "pw-alice-1", "gl-a");
	tok_b = t_token("bob", "pw-bob-1", "gl-b");
	cr_assert_not_null(tok_a);
	cr_assert_not_null(tok_b);
}

static void teardown(void)
{
	free(pa);
	free(ua);
	free(pb);
	free(ub);
	free(tok_a);
	free(tok_b);
	t_teardown();
}

TestSuite(glance, .init = setup, .fini = teardown, .timeout = 120);

/* ---- raw calls: any body, any content type, streamed request and response bodies ---- */

typedef struct feed {
	const unsigned char *p;
	size_t len, off, piece;
	size_t fail_at; /* the reader fails once this many bytes went (0: never) */
} feed;

static int feed_read(size_t *out_len, void *buf, size_t cap, void *payload)
{
	feed *f = payload;
	size_t n = f->len - f->off;

	if (f->fail_at && f->off >= f->fail_at)
		return 1;
	if (n > cap)
		n = cap;
	if (n > f->piece)
		n = f->piece;
	memcpy(buf, f->p + f->off, n);
	f->off += n;
	*out_len = n;
	return 0;
}

typedef struct raw {
	int rc;
	int status;
	unsigned char *body;
	size_t len;
	lc_api_response *r;
} raw;

static raw *call_raw(const char *method, const char *target, const char *token, const char *ctype, feed *body,
		     const char *const *extra)
{
	lc_api_request req = LC_API_REQUEST_INIT;
	lc_api_header h[16];
	size_t nh = 0, cap = 0;
	char path[4096];
	const char *q = strchr(target, '?');
	raw *r = calloc(1, sizeof(*r));

	if (q) {
		memcpy(path, target, (size_t)(q - target));
		path[q - target] = '\0';
		req.path = path;
		req.query = q + 1;
	} else {
		req.path = target;
	}
	req.method = method;
	h[nh++] = (lc_api_header){ "Host", "cloud.test:5000" };
	if (token)
		h[nh++] = (lc_api_header){ "X-Auth-Token", token };
	if (ctype)
		h[nh++] = (lc_api_header){ "Content-Type", ctype };
	for (size_t i = 0; extra && extra[i]; i += 2)
		h[nh++] = (lc_api_header){ extra[i], extra[i + 1] };
	req.headers = h;
	req.header_count = nh;
	if (body) {
		req.body_read = feed_read;
		req.body_payload = body;
		req.content_length = -1; /* as a chunked request */
	}
	r->rc = lc_api_handle(&r->r, t_api, &req);
	if (r->rc != 0)
		return r;
	r->status = lc_api_response_status(r->r);
	for (;;) {
		size_t n;

		if (r->len + 65536 > cap) {
			cap = (r->len + 65536) * 2;
			r->body = realloc(r->body, cap + 1);
		}
		cr_assert_eq(lc_api_response_read(&n, r->r, r->body + r->len, 65536), 0, "%s", lc_error_last()->message);
		if (n == 0)
			break;
		r->len += n;
	}
	r->body[r->len] = '\0';
	return r;
}

static void raw_free(raw *r)
{
	lc_api_response_free(r->r);
	free(r->body);
	free(r);
}

static char *create(const char *token, const char *json)
{
	t_resp *r = t_call("POST", "/image/v2/images", token, json);
	char *id;

	cr_assert_eq(r->status, 201, "%s", r->body);
	id = strdup(t_str(r->json, "id"));
	t_free(r);
	return id;
}

static int put_file(const char *token, const char *id, const void *data, size_t len, size_t fail_at)
{
	char path[256];
	feed f = { data, len, 0, 7777, fail_at };
	raw *r;
	int status;

	snprintf(path, sizeof(path), "/image/v2/images/%s/file", id);
	r = call_raw("PUT", path, token, "application/octet-stream", &f, NULL);
	status = r->rc == 0 ? r->status : r->rc;
	raw_free(r);
	return status;
}

static void md5_hex(const void *p, size_t n, char out[33])
{
	unsigned char d[16];
	unsigned int dl;

	EVP_Digest(p, n, d, &dl, EVP_md5(), NULL);
	for (int i = 0; i < 16; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* ---- tests ---- */

Test(glance, discovery_lists_v2_with_the_image_self_link)
{
	t_resp *r = t_call("GET", "/image", NULL, NULL);

	cr_assert_eq(r->status, 300, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "versions/0/status"), "CURRENT");
	cr_assert_str_eq(t_str(r->json, "versions/0/links/0/href"), T_BASE "/image/v2/");
	t_free(r);
	r = t_call("GET", "/image/v2", NULL, NULL);
	cr_assert_eq(r->status, 200);
	t_free(r);
}

Test(glance, the_catalog_has_an_image_entry_at_slash_image)
{
	char body[512];
	t_resp *r;
	int n, found = 0;

	snprintf(body, sizeof(body),
		 "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"alice\","
		 "\"domain\":{\"id\":\"default\"},\"password\":\"pw-alice-1\"}}},\"scope\":{\"project\":{\"name\":\"gl-a\","
		 "\"domain\":{\"id\":\"default\"}}}}}");
	r = t_call("POST", "/v3/auth/tokens", NULL, body);
	cr_assert_eq(r->status, 201);
	n = t_len(r->json, "token/catalog");
	for (int i = 0; i < n; i++) {
		char p[64];
		const char *type;

		snprintf(p, sizeof(p), "token/catalog/%d/type", i);
		type = t_str(r->json, p);
		if (type && strcmp(type, "image") == 0) {
			snprintf(p, sizeof(p), "token/catalog/%d/endpoints/0/url", i);
			cr_assert_str_eq(t_str(r->json, p), T_BASE "/image");
			found = 1;
		}
	}
	cr_assert(found);
	t_free(r);
}

Test(glance, schemas_describe_images_and_members)
{
	t_resp *r = t_call("GET", "/image/v2/schemas/image", tok_a, NULL);

	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(t_str(r->json, "name"), "image");
	cr_assert_str_eq(t_str(r->json, "properties/disk_format/enum/7"), "qcow2");
	t_free(r);
	r = t_call("GET", "/image/v2/schemas/images", tok_a, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(t_str(r->json, "properties/images/items/name"), "image");
	t_free(r);
	r = t_call("GET", "/image/v2/schemas/members", tok_a, NULL);
	cr_assert_eq(r->status, 200);
	t_free(r);
}

Test(glance, create_upload_show_and_download_like_the_cli)
{
	size_t n = 3 * 1024 * 1024 + 11;
	unsigned char *data = malloc(n);
	char md5[33], path[256];
	const char *extra[] = { "Range", "bytes=10-19", NULL };
	t_resp *r;
	raw *d;
	char *id;

	for (size_t i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 7 + (i >> 9));
	md5_hex(data, n, md5);
	r = t_call("POST", "/image/v2/images", tok_a,
		   "{\"name\":\"img1\",\"disk_format\":\"raw\",\"container_format\":\"bare\",\"visibility\":\"private\","
		   "\"owner_specified.openstack.md5\":\"\",\"owner_specified.openstack.object\":\"images/img1\"}");
	cr_assert_eq(r->status, 201, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "status"), "queued");
	cr_assert_str_eq(t_str(r->json, "owner_specified.openstack.object"), "images/img1", "extra keys are properties");
	cr_assert_str_eq(t_str(r->json, "owner"), pa);
	cr_assert(YAJL_IS_NULL(t_get(r->json, "size")));
	id = strdup(t_str(r->json, "id"));
	t_free(r);

	cr_assert_eq(put_file(tok_a, id, data, n, 0), 204);
	snprintf(path, sizeof(path), "/image/v2/images/%s", id);
	r = t_call("GET", path, tok_a, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_str_eq(t_str(r->json, "status"), "active");
	cr_assert_str_eq(t_str(r->json, "checksum"), md5);
	cr_assert_str_eq(t_str(r->json, "os_hash_algo"), "sha512");
	cr_assert_eq(t_get(r->json, "size")->u.number.i, (long long)n);
	t_free(r);

	snprintf(path, sizeof(path), "/image/v2/images/%s/file", id);
	d = call_raw("GET", path, tok_a, NULL, NULL, NULL);
	cr_assert_eq(d->status, 200);
	cr_assert_str_eq(lc_api_response_header(d->r, "Content-MD5"), md5);
	cr_assert_eq(lc_api_response_body_length(d->r), (int64_t)n, "Content-Length is known: streamed, not buffered");
	cr_assert_eq(d->len, n);
	cr_assert(memcmp(d->body, data, n) == 0);
	raw_free(d);
	d = call_raw("GET", path, tok_a, NULL, NULL, extra);
	cr_assert_eq(d->status, 206);
	cr_assert_eq(d->len, 10);
	cr_assert(memcmp(d->body, data + 10, 10) == 0);
	cr_assert_str_eq(lc_api_response_header(d->r, "Content-Range"), "bytes 10-19/3145739");
	raw_free(d);
	cr_assert_eq(put_file(tok_a, id, data, 10, 0), 409, "an active image takes no new data");
	free(id);
	free(data);
}

Test(glance, a_name_or_unknown_id_in_the_path_is_404_then_found_by_name_filter)
{
	char *id = create(tok_a, "{\"name\":\"findme\"}");
	t_resp *r = t_call("GET", "/image/v2/images/findme", tok_a, NULL);

	cr_assert_eq(r->status, 404, "the CLI needs 404 to go on with a name lookup");
	t_free(r);
	r = t_call("GET", "/image/v2/images/0190f3c2-4a4b-7c3d-8e9f-000000000000", tok_a, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	r = t_call("GET", "/image/v2/images?name=findme", tok_a, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "images"), 1);
	cr_assert_str_eq(t_str(r->json, "images/0/id"), id);
	cr_assert_str_eq(t_str(r->json, "schema"), "/v2/schemas/images");
	cr_assert_null(t_get(r->json, "next"));
	t_free(r);
	r = t_call("GET", "/image/v2/images?os_hidden=True", tok_a, NULL);
	cr_assert_eq(r->status, 200);
	cr_assert_eq(t_len(r->json, "images"), 0);
	t_free(r);
	free(id);
}

Test(glance, paging_follows_next_links_until_they_stop)
{
	char *ids[5];
	char target[512];
	int seen = 0, pages = 0;

	for (int i = 0; i < 5; i++)
		ids[i] = create(tok_a, "{\"name\":\"pg\"}");
	snprintf(target, sizeof(target), "/image/v2/images?limit=2&name=pg");
	for (;;) {
		t_resp *r = t_call("GET", target, tok_a, NULL);
		const char *next;

		cr_assert_eq(r->status, 200, "%s", r->body);
		seen += t_len(r->json, "images");
		pages++;
		next = t_str(r->json, "next");
		if (next == NULL) {
			t_free(r);
			break;
		}
		cr_assert_eq(strncmp(next, "/v2/images?", 11), 0, "%s", next);
		snprintf(target, sizeof(target), "/image%s", next);
		t_free(r);
		cr_assert_lt(pages, 10);
	}
	cr_assert_eq(seen, 5);
	cr_assert_eq(pages, 3);
	for (int i = 0; i < 5; i++)
		free(ids[i]);
}

Test(glance, json_patch_sets_and_removes_properties_and_attributes)
{
	char path[256];
	char *id = create(tok_a, "{\"name\":\"p\",\"k0\":\"v0\"}");
	t_resp *r;
	raw *w;
	feed f;
	const char *ops = "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"renamed\"},"
			  "{\"op\":\"add\",\"path\":\"/k1\",\"value\":\"v1\"},"
			  "{\"op\":\"remove\",\"path\":\"/k0\"},"
			  "{\"op\":\"replace\",\"path\":\"/tags\",\"value\":[\"a\",\"b\"]},"
			  "{\"op\":\"replace\",\"path\":\"/min_ram\",\"value\":256}]";

	snprintf(path, sizeof(path), "/image/v2/images/%s", id);
	f = (feed){ (const unsigned char *)ops, strlen(ops), 0, 1 << 20, 0 };
	w = call_raw("PATCH", path, tok_a, "application/openstack-images-v2.1-json-patch", &f, NULL);
	cr_assert_eq(w->status, 200, "%s", w->body);
	raw_free(w);
	r = t_call("GET", path, tok_a, NULL);
	cr_assert_str_eq(t_str(r->json, "name"), "renamed");
	cr_assert_str_eq(t_str(r->json, "k1"), "v1");
	cr_assert_null(t_get(r->json, "k0"));
	cr_assert_eq(t_len(r->json, "tags"), 2);
	cr_assert_eq(t_get(r->json, "min_ram")->u.number.i, 256);
	t_free(r);

	ops = "[{\"replace\":\"/name\",\"value\":\"v20\"}]"; /* tempest's v2.0 form */
	f = (feed){ (const unsigned char *)ops, strlen(ops), 0, 1 << 20, 0 };
	w = call_raw("PATCH", path, tok_a, "application/openstack-images-v2.0-json-patch", &f, NULL);
	cr_assert_eq(w->status, 200, "%s", w->body);
	raw_free(w);

	f = (feed){ (const unsigned char *)ops, strlen(ops), 0, 1 << 20, 0 };
	w = call_raw("PATCH", path, tok_a, "application/json", &f, NULL);
	cr_assert_eq(w->status, 415);
	raw_free(w);
	ops = "[{\"op\":\"replace\",\"path\":\"/nope\",\"value\":\"x\"}]";
	f = (feed){ (const unsigned char *)ops, strlen(ops), 0, 1 << 20, 0 };
	w = call_raw("PATCH", path, tok_a, "application/openstack-images-v2.1-json-patch", &f, NULL);
	cr_assert_eq(w->status, 409, "replacing a missing property");
	raw_free(w);
	ops = "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"active\"}]";
	f = (feed){ (const unsigned char *)ops, strlen(ops), 0, 1 << 20, 0 };
	w = call_raw("PATCH", path, tok_a, "application/openstack-images-v2.1-json-patch", &f, NULL);
	cr_assert_eq(w->status, 403, "status is read-only");
	raw_free(w);
	ops = "[{\"op\":\"replace\",\"path\":\"/visibility\",\"value\":\"public\"}]";
	f = (feed){ (const unsigned char *)ops, strlen(ops), 0, 1 << 20, 0 };
	w = call_raw("PATCH", path, tok_a, "application/openstack-images-v2.1-json-patch", &f, NULL);
	cr_assert_eq(w->status, 403, "publicizing is for admins");
	raw_free(w);
	r = t_call("GET", path, tok_a, NULL);
	cr_assert_str_eq(t_str(r->json, "name"), "v20", "refused patches changed nothing");
	cr_assert_str_eq(t_str(r->json, "visibility"), "shared");
	t_free(r);
	free(id);
}

Test(glance, bad_create_bodies_are_refused)
{
	char body[600];
	t_resp *r;

	memset(body, 0, sizeof(body));
	strcpy(body, "{\"name\":\"");
	memset(body + 9, 'n', 256);
	strcat(body, "\"}");
	r = t_call("POST", "/image/v2/images", tok_a, body);
	cr_assert_eq(r->status, 400, "a name over 255 bytes");
	t_free(r);
	r = t_call("POST", "/image/v2/images", tok_a, "{\"disk_format\":\"floppy\"}");
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_call("POST", "/image/v2/images", tok_a, "{\"container_format\":\"zip\"}");
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_call("POST", "/image/v2/images", tok_a, "{\"status\":\"active\"}");
	cr_assert_eq(r->status, 403);
	t_free(r);
	r = t_call("POST", "/image/v2/images", tok_a, "{\"min_ram\":\"lots\"}");
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_call("POST", "/image/v2/images", tok_a, "{\"visibility\":\"public\"}");
	cr_assert_eq(r->status, 403, "policy forbids a member to publicize");
	t_free(r);
	r = t_call("POST", "/image/v2/images", NULL, "{}");
	cr_assert_eq(r->status, 401);
	t_free(r);
	r = t_call("GET", "/image/v2/images", tok_a, NULL);
	cr_assert_eq(t_len(r->json, "images"), 0, "nothing was created");
	t_free(r);
}

Test(glance, bad_uploads_change_nothing)
{
	char *id = create(tok_a, "{\"name\":\"u\",\"disk_format\":\"qcow2\",\"container_format\":\"bare\"}");
	char *id2 = create(tok_a, "{\"name\":\"u2\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
	unsigned char data[100000];
	char path[256];
	raw *r;
	t_resp *t;

	memset(data, 0x41, sizeof(data));
	cr_assert_eq(put_file(tok_a, id, data, sizeof(data), 0), 400, "raw bytes declared qcow2");
	cr_assert_eq(put_file(tok_a, id2, data, sizeof(data), 30000), LC_EUSER, "the client cut the body");
	snprintf(path, sizeof(path), "/image/v2/images/%s/file", id2);
	r = call_raw("PUT", path, tok_a, "text/plain", NULL, NULL);
	cr_assert_eq(r->status, 415);
	raw_free(r);
	r = call_raw("GET", path, tok_a, NULL, NULL, NULL);
	cr_assert_eq(r->status, 204, "no data yet");
	raw_free(r);
	cr_assert_eq(put_file(tok_b, id2, data, sizeof(data), 0), 404, "a foreign image is not found");
	snprintf(path, sizeof(path), "/image/v2/images/%s", id2);
	t = t_call("GET", path, tok_a, NULL);
	cr_assert_str_eq(t_str(t->json, "status"), "queued");
	t_free(t);
	free(id);
	free(id2);
}

Test(glance, members_share_an_image_with_another_project)
{
	char *id = create(tok_a, "{\"name\":\"shared-img\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
	char path[256], body[128];
	t_resp *r;

	snprintf(path, sizeof(path), "/image/v2/images/%s", id);
	r = t_call("GET", path, tok_b, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	snprintf(path, sizeof(path), "/image/v2/images/%s/members", id);
	r = t_call("POST", path, tok_a, "{\"member\":\"0190f3c2-4a4b-7c3d-8e9f-000000000000\"}");
	cr_assert_eq(r->status, 404, "a member that is not a project");
	t_free(r);
	r = t_call("POST", path, tok_a, "{\"member\":\"not-a-project\"}");
	cr_assert_eq(r->status, 400);
	t_free(r);
	snprintf(body, sizeof(body), "{\"member\":\"%s\"}", pb);
	r = t_call("POST", path, tok_a, body);
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "status"), "pending");
	t_free(r);
	r = t_call("GET", "/image/v2/images", tok_b, NULL);
	cr_assert_eq(t_len(r->json, "images"), 0, "not listed before accepting");
	t_free(r);
	snprintf(path, sizeof(path), "/image/v2/images/%s/members/%s", id, pb);
	r = t_call("PUT", path, tok_b, "{\"status\":\"accepted\"}");
	cr_assert_eq(r->status, 200, "%s", r->body);
	cr_assert_str_eq(t_str(r->json, "status"), "accepted");
	t_free(r);
	r = t_call("GET", "/image/v2/images", tok_b, NULL);
	cr_assert_eq(t_len(r->json, "images"), 1);
	t_free(r);
	snprintf(path, sizeof(path), "/image/v2/images/%s/members", id);
	r = t_call("GET", path, tok_a, NULL);
	cr_assert_eq(t_len(r->json, "members"), 1);
	cr_assert_str_eq(t_str(r->json, "members/0/member_id"), pb);
	t_free(r);
	snprintf(path, sizeof(path), "/image/v2/images/%s/members/%s", id, pb);
	r = t_call("DELETE", path, tok_a, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
	free(id);
}

Test(glance, delete_tags_and_protected_images)
{
	char *id = create(tok_a, "{\"name\":\"d\",\"protected\":true}");
	char path[256];
	t_resp *r;

	snprintf(path, sizeof(path), "/image/v2/images/%s/tags/blue", id);
	r = t_call("PUT", path, tok_a, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
	snprintf(path, sizeof(path), "/image/v2/images/%s", id);
	r = t_call("GET", path, tok_a, NULL);
	cr_assert_str_eq(t_str(r->json, "tags/0"), "blue");
	t_free(r);
	snprintf(path, sizeof(path), "/image/v2/images/%s/tags/blue", id);
	r = t_call("DELETE", path, tok_a, NULL);
	cr_assert_eq(r->status, 204);
	t_free(r);
	r = t_call("DELETE", path, tok_a, NULL);
	cr_assert_eq(r->status, 404);
	t_free(r);
	snprintf(path, sizeof(path), "/image/v2/images/%s", id);
	r = t_call("DELETE", path, tok_a, NULL);
	cr_assert_eq(r->status, 403, "protected");
	t_free(r);
	r = t_call("DELETE", path, tok_b, NULL);
	cr_assert_eq(r->status, 404, "foreign");
	t_free(r);
	snprintf(path, sizeof(path), "/image/v2/images/%s/actions/deactivate", id);
	r = t_call("POST", path, tok_a, NULL);
	cr_assert_eq(r->status, 403, "admin only");
	t_free(r);
	free(id);
}

Test(glance, import_refuses_bad_methods_and_urls)
{
	char *id = create(tok_a, "{\"name\":\"i\",\"disk_format\":\"raw\",\"container_format\":\"bare\"}");
	char path[256];
	t_resp *r;

	snprintf(path, sizeof(path), "/image/v2/images/%s/import", id);
	r = t_call("POST", path, tok_a, "{\"method\":{\"name\":\"web-download\",\"uri\":\"file:///etc/passwd\"}}");
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_call("POST", path, tok_a, "{\"method\":{\"name\":\"glance-direct\"}}");
	cr_assert_eq(r->status, 400);
	t_free(r);
	r = t_call("GET", "/image/v2/info/import", tok_a, NULL);
	cr_assert_str_eq(t_str(r->json, "import-methods/value/0"), "web-download");
	t_free(r);
	free(id);
}
