/* Internal: helpers shared by the compute entry points. */
#ifndef LC_COMPUTE_COMMON_H
#define LC_COMPUTE_COMMON_H

#include <stdint.h>

#include <libcloud/list.h>

#include "compute/compute.h"

/*
 * Split caller filters into the service's own (custom: NULL-terminated
 * names; their values land in vals, NULL when absent) and the rest, which
 * the shape-table iterator checks. out borrows in's marker and limit and
 * *rest (malloc'd, free it after lc__iter_init).
 */
int lc__split_filters(const lc_list_opts *in, const char *const *custom, lc_list_opts *out, const char ***rest,
		      const char **vals);

/* A decimal integer in [min, max], else LC_EINVALID naming what. */
int lc__parse_i64(const char *what, const char *s, int64_t min, int64_t max, int64_t *out);

#endif
