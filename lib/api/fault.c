/* Errors: lc_error codes to HTTP statuses, and OpenStack error bodies per service. */
#include "api/internal.h"

#include <stdio.h>
#include <string.h>

int lc__http_status(int code)
{
	switch (code) {
	case LC_ENOTFOUND: return 404;
	case LC_EEXISTS: return 409;
	case LC_EINVALID: return 400;
	case LC_ECONFLICT: return 409;
	case LC_EQUOTA: return 413;
	case LC_EFORBIDDEN: return 403;
	case LC_EAUTH: return 401;
	case LC_ENOTSUPPORTED: return 501;
	case LC_EBACKEND: return 502;
	case LC_ETOOLARGE: return 413;
	case LC_EBUSY: return 409;
	default: return 500;
	}
}

const char *lc__http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 300: return "Multiple Choices";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Request Entity Too Large";
	case 414: return "Request-URI Too Long";
	case 415: return "Unsupported Media Type";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

/* Nova's and Cinder's fault names. */
static const char *nova_fault(int status)
{
	switch (status) {
	case 400: return "badRequest";
	case 401: return "unauthorized";
	case 403: return "forbidden";
	case 404: return "itemNotFound";
	case 405: return "badMethod";
	case 409: return "conflictingRequest";
	case 413: return "overLimit";
	case 415: return "badMediaType";
	case 501: return "notImplemented";
	case 503: return "serviceUnavailable";
	default: return status >= 500 ? "computeFault" : "badRequest";
	}
}

/* Neutron's exception type names. */
static const char *neutron_type(int status)
{
	switch (status) {
	case 400: return "BadRequest";
	case 401: return "NotAuthorized";
	case 403: return "PolicyNotAuthorized";
	case 404: return "NotFound";
	case 405: return "HTTPMethodNotAllowed";
	case 409: return "Conflict";
	case 413: return "OverQuota";
	default: return status >= 500 ? "InternalServerError" : "BadRequest";
	}
}

static const char *const keep_on_error[] = { "x-openstack-request-id", NULL };

int lc__api_verror(lc__api_ctx *x, int status, const char *fmt, va_list ap)
{
	char msg[640];
	lc__error_style style = x->svc ? x->svc->style : LC__ERR_KEYSTONE;
	lc_api_response *r = x->resp;
	yajl_gen g;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* the message may quote user input cut anywhere: keep it valid UTF-8 */
	while (!lc__api_utf8_valid(msg, strlen(msg)))
		msg[strlen(msg) - 1] = '\0';
	lc__resp_reset(r, keep_on_error);
	r->status = status;
	if (style == LC__ERR_PLAIN) {
		const char *reason = lc__http_reason(status);

		lc__resp_set_header(r, "Content-Type", "text/plain; charset=UTF-8");
		lc__resp_append(r, reason, strlen(reason));
		lc__resp_append(r, "\n\n", 2);
		lc__resp_append(r, msg, strlen(msg));
		lc__resp_append(r, "\n", 1);
		return r->oom ? LC_ENOMEM : 0;
	}
	g = lc__json_begin(x);
	if (g == NULL)
		return LC_ENOMEM;
	yajl_gen_map_open(g);
	switch (style) {
	case LC__ERR_NOVA:
		lc__gen_kmap(g, nova_fault(status));
		lc__gen_kint(g, "code", status);
		lc__gen_kstr(g, "message", msg);
		lc__gen_end_map(g);
		break;
	case LC__ERR_NEUTRON:
		lc__gen_kmap(g, "NeutronError");
		lc__gen_kstr(g, "type", neutron_type(status));
		lc__gen_kstr(g, "message", msg);
		lc__gen_kstr(g, "detail", "");
		lc__gen_end_map(g);
		break;
	default:
		lc__gen_kmap(g, "error");
		lc__gen_kint(g, "code", status);
		lc__gen_kstr(g, "message", msg);
		lc__gen_kstr(g, "title", lc__http_reason(status));
		lc__gen_end_map(g);
		break;
	}
	yajl_gen_map_close(g);
	return lc__json_end(x, g, status);
}

int lc__api_error(lc__api_ctx *x, int status, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = lc__api_verror(x, status, fmt, ap);
	va_end(ap);
	return rc;
}

int lc__api_unauthorized(lc__api_ctx *x)
{
	char *v;
	int rc = lc__api_error(x, 401, "The request you have made requires authentication.");

	v = lc__arena_printf(x->arena, "Keystone uri=\"%s/v3\"", x->base);
	if (v == NULL)
		return LC_ENOMEM;
	if (rc == 0)
		rc = lc__resp_set_header(x->resp, "WWW-Authenticate", v);
	return rc;
}

int lc__api_error_code(lc__api_ctx *x, int code)
{
	const lc_error *e = lc_error_last();
	const char *msg = (e->code == code && e->message[0] != '\0') ? e->message : lc_strerror(code);
	int status = lc__http_status(code);

	if (status == 401)
		return lc__api_unauthorized(x);
	if (status >= 500 && status != 501 && status != 502)
		msg = "An unexpected error prevented the server from fulfilling your request.";
	return lc__api_error(x, status, "%s", msg);
}
