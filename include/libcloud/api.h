/*
 * libcloud - the OpenStack REST layer, without a transport.
 *
 * An lc_api turns one HTTP request (method, path, query, headers, body) into
 * calls of the public C API and back into an OpenStack-compatible response
 * (status, headers, body), the way Keystone, Nova, Glance, Cinder, Neutron
 * and Swift answer unmodified OpenStack clients. It opens no socket and
 * starts no thread: the host program owns the transport (see the example
 * host examples/httpd) and calls lc_api_handle() from any of its threads.
 *
 * Bodies stream both ways: a request body may be given whole or through a
 * read callback, and a response body is read back in pieces with
 * lc_api_response_read() (or pushed to a callback with
 * lc_api_response_write()), so large uploads and downloads never have to sit
 * whole in memory.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_API_H
#define LIBCLOUD_API_H

#include "common.h"

LC_BEGIN_DECLS

/** The REST layer over one cloud. Thread-safe. */
typedef struct lc_api lc_api;
/** One response produced by lc_api_handle(). Belongs to one thread at a time. */
typedef struct lc_api_response lc_api_response;

/**
 * The OpenStack services an lc_api may serve, as bits of
 * lc_api_opts.services. A service the library does not implement yet is
 * neither routed nor listed in the catalog, even when its bit is set.
 */
typedef enum lc_api_service {
	LC_API_SERVICE_IDENTITY = 1u << 0, /**< Keystone v3, at /v3 */
	LC_API_SERVICE_COMPUTE = 1u << 1,  /**< Nova v2.1, at /compute/v2.1 */
	LC_API_SERVICE_IMAGE = 1u << 2,    /**< Glance v2, at /image */
	LC_API_SERVICE_VOLUME = 1u << 3,   /**< Cinder v3, at /volume/v3/{project_id} */
	LC_API_SERVICE_NETWORK = 1u << 4,  /**< Neutron v2.0, at /network */
	LC_API_SERVICE_OBJECT = 1u << 5,   /**< Swift v1, at /swift/v1/AUTH_{project_id} */
	LC_API_SERVICE_ALL = 0x3fu         /**< every service */
} lc_api_service;

/** Current version of lc_api_opts. */
#define LC_API_OPTS_VERSION 1

/**
 * Options of an lc_api, given to lc_api_new(). Initialise with
 * LC_API_OPTS_INIT or lc_api_opts_init(); fields are only ever appended.
 * Zero or NULL fields take the default shown.
 */
typedef struct lc_api_opts {
	unsigned int version;          /**< LC_API_OPTS_VERSION */
	const char *base_url;          /**< public URL of the host, e.g. "http://127.0.0.1:5000",
	                                    used in the service catalog and in links; no trailing
	                                    slash needed. NULL: "http://" + each request's Host header */
	const char *region;            /**< region name in the catalog; NULL: "RegionOne" */
	unsigned int services;         /**< lc_api_service bits to serve; 0: LC_API_SERVICE_ALL */
	uint64_t max_json_bytes;       /**< largest JSON request body; larger is 413. 0: 1 MiB */
	unsigned int max_json_depth;   /**< deepest JSON nesting accepted; deeper is 400. 0: 32 */
	unsigned int max_path_bytes;   /**< longest request path (raw); longer is 414. 0: 4096 */
	unsigned int max_header_bytes; /**< longest header (name + value); longer is 431. 0: 8192 */
	unsigned int max_headers;      /**< most request headers; more is 431. 0: 100 */
} lc_api_opts;

/** Static initialiser for lc_api_opts with every default. */
#define LC_API_OPTS_INIT { LC_API_OPTS_VERSION, NULL, NULL, 0, 0, 0, 0, 0, 0 }

/**
 * Initialise an lc_api_opts with defaults (for bindings that cannot use
 * LC_API_OPTS_INIT).
 *
 * @param opts out: the struct to fill
 * @param version LC_API_OPTS_VERSION
 * @return 0, or LC_EINVALID if opts is NULL or version is unknown
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_api_opts_init(lc_api_opts *opts, unsigned int version);

/**
 * Create the REST layer over an opened cloud.
 *
 * @param out out: the new handle; NULL on failure. Free with lc_api_free()
 * @param c an opened cloud; must outlive the lc_api
 * @param opts options, or NULL for defaults; copied (strings included)
 * @return 0, LC_EINVALID (NULL out or c, unknown version, a base_url that is
 *         not http:// or https://, unknown service bits), LC_ENOMEM
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_api_new(lc_api **out, lc_cloud *c, const lc_api_opts *opts);

/**
 * Free an lc_api. NULL-safe. Every response it produced must have been freed
 * and no lc_api_handle() call may be running on it.
 *
 * @param api the handle, or NULL
 * @note Not to be called concurrently with other calls on api. Since 0.1.
 */
LC_EXTERN void lc_api_free(lc_api *api);

/** One HTTP header: a name (any case) and its value. */
typedef struct lc_api_header {
	const char *name;  /**< header name, NUL-terminated */
	const char *value; /**< header value, NUL-terminated, without surrounding blanks */
} lc_api_header;

/**
 * Request body reader: copy up to cap bytes of the body into buf.
 *
 * @param out_len out: the number of bytes copied; 0 means the body has ended
 * @param buf where to copy
 * @param cap room in buf (> 0)
 * @param payload the body_payload of the request
 * @return 0 to go on, non-zero to abandon the request (lc_api_handle()
 *         then returns LC_EUSER and no response)
 * @note Called only from the thread that called lc_api_handle(), during that call.
 */
typedef int (*lc_api_read_cb)(size_t *out_len, void *buf, size_t cap, void *payload);

/** Current version of lc_api_request. */
#define LC_API_REQUEST_VERSION 1

/**
 * One HTTP request, as the transport received it. Initialise with
 * LC_API_REQUEST_INIT or lc_api_request_init(); fields are only ever
 * appended. Everything is borrowed for the duration of lc_api_handle().
 */
typedef struct lc_api_request {
	unsigned int version;          /**< LC_API_REQUEST_VERSION */
	const char *method;            /**< "GET", "POST", ... (upper case) */
	const char *path;              /**< the raw (still percent-encoded) path, starting with '/', without the query */
	const char *query;             /**< the raw query string without '?', or NULL */
	const lc_api_header *headers;  /**< request headers, or NULL */
	size_t header_count;           /**< number of headers */
	const void *body;              /**< the whole body when body_read is NULL; may be NULL when body_len is 0 */
	size_t body_len;               /**< length of body */
	lc_api_read_cb body_read;      /**< streaming body reader, or NULL to use body/body_len */
	void *body_payload;            /**< passed to body_read */
	int64_t content_length;        /**< the announced body length, or -1 if unknown (chunked); used
	                                    with body_read to refuse an over-long body before reading it */
} lc_api_request;

/** Static initialiser for lc_api_request: nothing given, no body. */
#define LC_API_REQUEST_INIT { LC_API_REQUEST_VERSION, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, -1 }

/**
 * Initialise an lc_api_request: nothing given, no body.
 *
 * @param req out: the struct to fill
 * @param version LC_API_REQUEST_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_api_request_init(lc_api_request *req, unsigned int version);

/**
 * Handle one request and produce its response.
 *
 * Every HTTP outcome, errors included (400 bad input, 401 missing or
 * invalid token, 404 unknown route or resource, 405 wrong method, 413 body
 * too large...), is a response with status and an OpenStack error body in
 * the style of the service addressed; the function itself fails only when
 * no response can be made. Every response carries an
 * "x-openstack-request-id: req-<uuid>" header.
 *
 * @param out out: the response; NULL on failure. Free with lc_api_response_free()
 * @param api the REST layer
 * @param req the request
 * @return 0, LC_EINVALID (NULL out, api or req, unknown request version,
 *         NULL method or path), LC_EUSER (the body reader asked to stop),
 *         LC_ENOMEM
 * @note Thread-safe: call it from as many threads as the host likes.
 *       The response body may still read from the cloud until it is freed.
 *       Since 0.1.
 */
LC_EXTERN int lc_api_handle(lc_api_response **out, lc_api *api, const lc_api_request *req);

/**
 * The HTTP status of a response (200, 201, 204, 300, 400, ...).
 *
 * @param r a response
 * @return the status code
 * @note Since 0.1.
 */
LC_EXTERN int lc_api_response_status(const lc_api_response *r);

/**
 * How many headers a response has. Content-Length is not among them: the
 * host sets it from lc_api_response_body_length(), or sends the body
 * chunked when that is -1.
 *
 * @param r a response
 * @return the number of headers
 * @note Since 0.1.
 */
LC_EXTERN size_t lc_api_response_header_count(const lc_api_response *r);

/**
 * Name of the i-th header of a response.
 *
 * @param r a response
 * @param i index below lc_api_response_header_count()
 * @return the name, or NULL if i is out of range; borrowed until lc_api_response_free()
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_api_response_header_name(const lc_api_response *r, size_t i);

/**
 * Value of the i-th header of a response.
 *
 * @param r a response
 * @param i index below lc_api_response_header_count()
 * @return the value, or NULL if i is out of range; borrowed until lc_api_response_free()
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_api_response_header_value(const lc_api_response *r, size_t i);

/**
 * Value of the first header of a response with a name (case-insensitive).
 *
 * @param r a response
 * @param name the header name
 * @return the value, or NULL if absent; borrowed until lc_api_response_free()
 * @note Since 0.1.
 */
LC_EXTERN const char *lc_api_response_header(const lc_api_response *r, const char *name);

/**
 * Length of a response body in bytes.
 *
 * @param r a response
 * @return the length, or -1 if unknown in advance (a streamed body: send it chunked)
 * @note Since 0.1.
 */
LC_EXTERN int64_t lc_api_response_body_length(const lc_api_response *r);

/**
 * The whole body of a buffered response.
 *
 * @param r a response
 * @param len out, may be NULL: the body length
 * @return the body (not NUL-terminated), borrowed until lc_api_response_free();
 *         NULL for a streamed body, which is read with lc_api_response_read()
 * @note Since 0.1.
 */
LC_EXTERN const void *lc_api_response_body(const lc_api_response *r, size_t *len);

/**
 * Pull the next piece of a response body, buffered or streamed.
 *
 * @param out_len out: bytes copied into buf; 0 at the end of the body
 * @param r a response
 * @param buf where to copy
 * @param cap room in buf
 * @return 0, LC_EINVALID (NULL argument, cap of 0), or the error of the
 *         source of a streamed body (LC_EIO, LC_EBACKEND...); after an error
 *         the body cannot be completed and the host should drop the connection
 * @note Not thread-safe for one response. Since 0.1.
 */
LC_EXTERN int lc_api_response_read(size_t *out_len, lc_api_response *r, void *buf, size_t cap);

/**
 * Response body writer: take len bytes of the body.
 *
 * @param data the bytes, valid only during the call
 * @param len their number (> 0)
 * @param payload the payload given to lc_api_response_write()
 * @return 0 to go on, non-zero to stop
 */
typedef int (*lc_api_write_cb)(const void *data, size_t len, void *payload);

/**
 * Push the rest of a response body to a callback, piece by piece, until the
 * body ends.
 *
 * @param r a response
 * @param cb called once per piece
 * @param payload passed to cb
 * @return 0, LC_EINVALID, LC_EUSER (cb returned non-zero), or the error of
 *         the source of a streamed body
 * @note Not thread-safe for one response. Since 0.1.
 */
LC_EXTERN int lc_api_response_write(lc_api_response *r, lc_api_write_cb cb, void *payload);

/**
 * Free a response (and stop its body source). NULL-safe.
 *
 * @param r the response, or NULL
 * @note Since 0.1.
 */
LC_EXTERN void lc_api_response_free(lc_api_response *r);

LC_END_DECLS

#endif
