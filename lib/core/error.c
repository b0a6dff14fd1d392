/* Error codes, their static text, and the thread-local error detail. */
#include "core/error.h"

#include <errno.h>
#include <lmdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libcloud/common.h>

#define LC_ERRMSG_MAX 512

static _Thread_local struct {
	lc_error err;
	char buf[LC_ERRMSG_MAX];
} tls_error = { { LC_OK, "" }, "" };

LC_EXTERN const char *lc_strerror(int code)
{
	switch (code) {
	case LC_OK: return "success";
	case LC_ERROR: return "error";
	case LC_ENOTFOUND: return "not found";
	case LC_EEXISTS: return "already exists";
	case LC_EINVALID: return "invalid argument";
	case LC_ECONFLICT: return "conflict with the resource's state";
	case LC_EQUOTA: return "quota exceeded";
	case LC_EFORBIDDEN: return "forbidden";
	case LC_EAUTH: return "authentication failed";
	case LC_ENOTSUPPORTED: return "not supported";
	case LC_EBACKEND: return "backend failure";
	case LC_ENOMEM: return "out of memory";
	case LC_EUSER: return "stopped by a callback";
	case LC_EIO: return "I/O error";
	case LC_ECORRUPT: return "corrupt or unknown data";
	case LC_ETOOLARGE: return "too large";
	case LC_EBUSY: return "busy";
	case LC_ITEROVER: return "no more items";
	default: return "unknown error";
	}
}

LC_EXTERN const lc_error *lc_error_last(void)
{
	return &tls_error.err;
}

void lc__error_clear(void)
{
	tls_error.err.code = LC_OK;
	tls_error.buf[0] = '\0';
	tls_error.err.message = tls_error.buf;
}

int lc__error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tls_error.buf, sizeof(tls_error.buf), fmt, ap);
	va_end(ap);
	tls_error.err.code = code;
	tls_error.err.message = tls_error.buf;
	return code;
}

int lc__error_code(void)
{
	return tls_error.err.code;
}

int lc__error_mdb(int rc, const char *what)
{
	int code;

	switch (rc) {
	case MDB_NOTFOUND: code = LC_ENOTFOUND; break;
	case MDB_KEYEXIST: code = LC_EEXISTS; break;
	case ENOMEM: code = LC_ENOMEM; break;
	case MDB_CORRUPTED:
	case MDB_INVALID:
	case MDB_VERSION_MISMATCH:
	case MDB_PAGE_NOTFOUND: code = LC_ECORRUPT; break;
	case MDB_READERS_FULL:
	case MDB_TXN_FULL:
	case MDB_MAP_FULL: code = LC_EBUSY; break;
	default: code = rc > 0 ? LC_EIO : LC_ERROR; break;
	}
	return lc__error_set(code, "%s: %s", what, mdb_strerror(rc));
}

int lc__error_errno(const char *what, const char *path)
{
	int e = errno;
	int code = e == ENOMEM ? LC_ENOMEM : e == ENOENT ? LC_ENOTFOUND : LC_EIO;

	return lc__error_set(code, "%s %s: %s", what, path ? path : "", strerror(e));
}
