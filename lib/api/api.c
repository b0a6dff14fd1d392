/* The lc_api object: options, lifecycle, and the table of services. */
#include "api/internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static const lc__api_service *const services[] = {
	&lc__keystone_service,
	&lc__glance_service,
	&lc__neutron_service,
	&lc__nova_service,
};

const lc__api_service *const *lc__api_services(size_t *n)
{
	*n = sizeof(services) / sizeof(services[0]);
	return services;
}

LC_EXTERN int lc_api_opts_init(lc_api_opts *opts, unsigned int version)
{
	lc__error_clear();
	LC_CHECK_NOTNULL(opts);
	if (version == 0 || version > LC_API_OPTS_VERSION)
		return lc__error_set(LC_EINVALID, "unsupported options version %u", version);
	memset(opts, 0, sizeof(*opts));
	opts->version = version;
	return 0;
}

LC_EXTERN int lc_api_request_init(lc_api_request *req, unsigned int version)
{
	lc__error_clear();
	LC_CHECK_NOTNULL(req);
	if (version == 0 || version > LC_API_REQUEST_VERSION)
		return lc__error_set(LC_EINVALID, "unsupported request version %u", version);
	memset(req, 0, sizeof(*req));
	req->version = version;
	req->content_length = -1;
	return 0;
}

LC_EXTERN int lc_api_new(lc_api **out, lc_cloud *c, const lc_api_opts *opts)
{
	lc_api_opts defaults = LC_API_OPTS_INIT;
	lc_api *api;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_NOTNULL(c);
	LC_CHECK_VERSION(opts, LC_API_OPTS_VERSION);
	if (opts == NULL)
		opts = &defaults;
	if (opts->services & ~(unsigned int)LC_API_SERVICE_ALL)
		return lc__error_set(LC_EINVALID, "unknown service bits 0x%x",
				     opts->services & ~(unsigned int)LC_API_SERVICE_ALL);
	if (opts->base_url != NULL && strncmp(opts->base_url, "http://", 7) != 0 &&
	    strncmp(opts->base_url, "https://", 8) != 0)
		return lc__error_set(LC_EINVALID, "base_url must start with http:// or https://");
	if (opts->base_url != NULL) {
		for (const char *p = opts->base_url; *p; p++)
			if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '"')
				return lc__error_set(LC_EINVALID, "base_url holds a blank, a quote or a control character");
	}
	if (opts->region != NULL && (opts->region[0] == '\0' || strlen(opts->region) > 255 ||
				     !lc__api_utf8_valid(opts->region, strlen(opts->region))))
		return lc__error_set(LC_EINVALID, "region must be 1..255 bytes of UTF-8");

	api = calloc(1, sizeof(*api));
	if (api == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	api->cloud = c;
	if (opts->base_url != NULL) {
		size_t len = strlen(opts->base_url);

		while (len > 0 && opts->base_url[len - 1] == '/')
			len--;
		api->base_url = strndup(opts->base_url, len);
		if (api->base_url == NULL)
			goto oom;
	}
	api->region = strdup(opts->region ? opts->region : "RegionOne");
	if (api->region == NULL)
		goto oom;
	api->services = opts->services ? opts->services : LC_API_SERVICE_ALL;
	api->max_json_bytes = opts->max_json_bytes ? opts->max_json_bytes : 1024 * 1024;
	api->max_json_depth = opts->max_json_depth ? opts->max_json_depth : 32;
	api->max_path_bytes = opts->max_path_bytes ? opts->max_path_bytes : 4096;
	api->max_header_bytes = opts->max_header_bytes ? opts->max_header_bytes : 8192;
	api->max_headers = opts->max_headers ? opts->max_headers : 100;
	rc = lc_session_system(&api->system, c);
	if (rc < 0) {
		lc_api_free(api);
		return rc;
	}
	*out = api;
	return 0;
oom:
	lc_api_free(api);
	return lc__error_set(LC_ENOMEM, "out of memory");
}

LC_EXTERN void lc_api_free(lc_api *api)
{
	if (api == NULL)
		return;
	lc_session_free(api->system);
	free(api->base_url);
	free(api->region);
	free(api);
}
