/*
 * The metadata a server's guest reads, in the layout of OpenStack's config
 * drive (what cloud-init's ConfigDrive data source reads):
 *   openstack/{latest,2012-08-10}/meta_data.json, user_data,
 *   network_data.json, vendor_data.json, vendor_data2.json
 */
#include <libcloud/server.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <yajl/yajl_gen.h>

#include "compute/compute.h"
#include "compute/server_internal.h"
#include "core/error.h"
#include "core/resource.h"

static void gstr(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void gkstr(yajl_gen g, const char *k, const char *v)
{
	gstr(g, k);
	if (v)
		gstr(g, v);
	else
		yajl_gen_null(g);
}

static int write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4400];
	int fd;
	const char *p = data;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return lc__error_errno("cannot write the config drive", path);
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			close(fd);
			return lc__error_errno("cannot write the config drive", path);
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0)
		return lc__error_errno("cannot write the config drive", path);
	return 0;
}

/* A hostname from the display name, as Nova does: lower case, [a-z0-9-], at most 63. */
static void hostname(const char *name, char *out, size_t sz)
{
	size_t n = 0;

	for (const char *p = name; *p && n + 1 < sz && n < 63; p++) {
		char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')
			out[n++] = c;
		else if ((c == ' ' || c == '_' || c == '.') && n && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	if (n == 0)
		snprintf(out, sz, "server");
}

static int meta_json(const lc__rec *r, yajl_gen g)
{
	char host[64];
	const char *key = lc__rec_str(r, SRV_KEY_NAME), *data = lc__rec_str(r, SRV_KEY_DATA);
	lc__kv md;

	LC_TRY(lc__kv_parse(&md, &r->v[SRV_METADATA]));
	hostname(lc__rec_str(r, SRV_NAME), host, sizeof(host));
	yajl_gen_map_open(g);
	gkstr(g, "uuid", lc__rec_str(r, SRV_ID));
	gkstr(g, "name", lc__rec_str(r, SRV_NAME));
	gkstr(g, "hostname", host);
	gstr(g, "launch_index");
	yajl_gen_integer(g, 0);
	gkstr(g, "availability_zone", lc__rec_str(r, SRV_AZ) ? lc__rec_str(r, SRV_AZ) : LC_DEFAULT_AVAILABILITY_ZONE);
	gkstr(g, "project_id", lc__rec_str(r, SRV_PROJECT));
	gstr(g, "meta");
	yajl_gen_map_open(g);
	for (size_t i = 0; i < md.n; i++)
		gkstr(g, md.k[i], md.v[i]);
	yajl_gen_map_close(g);
	gstr(g, "public_keys");
	yajl_gen_map_open(g);
	if (key && data)
		gkstr(g, key, data);
	yajl_gen_map_close(g);
	gstr(g, "keys");
	yajl_gen_array_open(g);
	if (key && data) {
		yajl_gen_map_open(g);
		gkstr(g, "name", key);
		gkstr(g, "type", "ssh");
		gkstr(g, "data", data);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	gstr(g, "devices");
	yajl_gen_array_open(g);
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
	return 0;
}

static int write_version(const lc__rec *r, const char *root, const char *version, const char *network,
			 size_t network_len)
{
	char dir[4300];
	const unsigned char *buf;
	size_t len;
	yajl_gen g;
	const char *ud = lc__rec_str(r, SRV_USER_DATA);
	int rc;

	snprintf(dir, sizeof(dir), "%s/openstack/%s", root, version);
	LC_TRY(lc__mkdirs(dir));
	g = yajl_gen_alloc(NULL);
	if (g == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	rc = meta_json(r, g);
	if (rc == 0 && yajl_gen_get_buf(g, &buf, &len) == yajl_gen_status_ok)
		rc = write_file(dir, "meta_data.json", buf, len);
	else if (rc == 0)
		rc = lc__error_set(LC_ERROR, "cannot encode meta_data.json");
	yajl_gen_free(g);
	LC_TRY(rc);
	LC_TRY(write_file(dir, "network_data.json", network, network_len));
	LC_TRY(write_file(dir, "vendor_data.json", "{}", 2));
	LC_TRY(write_file(dir, "vendor_data2.json", "{}", 2));
	if (ud && *ud) {
		size_t n = strlen(ud), bin = 0;
		unsigned char *b = malloc(n / 4 * 3 + 3);

		if (b == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		if (sodium_base642bin(b, n / 4 * 3 + 3, ud, n, " \t\r\n", &bin, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
			rc = lc__error_set(LC_ECORRUPT, "stored user_data is not base64");
		else
			rc = write_file(dir, "user_data", b, bin);
		free(b);
	}
	return rc;
}

int lc__configdrive_write(lc__store *st, const lc__rec *r, const char *dir)
{
	char *net = NULL;
	size_t len = 0;
	int rc;

	LC_TRY(lc__mkdirs(dir));
	LC_TRY(lc__netdata_json(st, r, &net, &len));
	rc = write_version(r, dir, "2012-08-10", net, len);
	if (rc == 0)
		rc = write_version(r, dir, "latest", net, len);
	free(net);
	return rc;
}

LC_EXTERN int lc_server_write_metadata(lc_session *s, const char *id, const char *dir)
{
	char key[LC__ID_TEXT];
	lc__rec *r = NULL;
	lc__txn t;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(dir);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__id_canon("id", id, key));
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__server_load(&t, s, key, NULL, &r);
	lc__store_read_end(&t);
	LC_TRY(rc);
	rc = lc__configdrive_write(lc__session_store(s), r, dir);
	lc__rec_free(r);
	return rc;
}
