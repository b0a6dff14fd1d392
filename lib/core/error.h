/* Internal: setting the thread-local error and the entry-point checks. */
#ifndef LC_CORE_ERROR_H
#define LC_CORE_ERROR_H

#include <libcloud/errors.h>

/* Clear the thread-local error; every public entry point calls it first. */
void lc__error_clear(void);

/* Set the thread-local error to code with a printf-style detail; returns code. */
int lc__error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The code of the thread-local error (LC_OK if none). */
int lc__error_code(void);

/* Map an LMDB return code to an lc_error_code, setting the detail. */
int lc__error_mdb(int rc, const char *what);

/* Map errno after a failed OS call to LC_EIO (or LC_ENOMEM, LC_ENOTFOUND), setting the detail. */
int lc__error_errno(const char *what, const char *path);

/* Entry-point argument checks: set LC_EINVALID naming the argument and return it. */
#define LC_CHECK_ARG(cond, name)                                                       \
	do {                                                                            \
		if (!(cond))                                                            \
			return lc__error_set(LC_EINVALID, "invalid argument: %s", name); \
	} while (0)

#define LC_CHECK_NOTNULL(p) LC_CHECK_ARG((p) != NULL, #p " is NULL")

#define LC_CHECK_VERSION(opts, max)                                                            \
	do {                                                                                    \
		if ((opts) != NULL && ((opts)->version == 0 || (opts)->version > (max)))        \
			return lc__error_set(LC_EINVALID, "unsupported options version %u",     \
					     (opts)->version);                                  \
	} while (0)

#define LC_CHECK_FLAGS(flags, allowed)                                                          \
	do {                                                                                     \
		if ((flags) & ~(unsigned int)(allowed))                                          \
			return lc__error_set(LC_EINVALID, "unknown flags 0x%x",                  \
					     (unsigned int)((flags) & ~(unsigned int)(allowed))); \
	} while (0)

/* Propagate a negative return code. */
#define LC_TRY(expr)                      \
	do {                              \
		int lc__rc = (expr);      \
		if (lc__rc < 0)           \
			return lc__rc;    \
	} while (0)

#endif
