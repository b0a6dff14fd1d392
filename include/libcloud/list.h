/*
 * libcloud - listing options shared by every iterator.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_LIST_H
#define LIBCLOUD_LIST_H

#include "common.h"

LC_BEGIN_DECLS

/** Tri-state for optional booleans in options structs. */
#define LC_UNSET (-1)

/** Current version of lc_list_opts. */
#define LC_LIST_OPTS_VERSION 1

/**
 * Listing options with OpenStack paging semantics: items come in id order
 * (ids are time-ordered, so this is creation order), starting after
 * marker, at most limit of them, keeping only those whose fields equal
 * every given filter.
 */
typedef struct lc_list_opts {
	unsigned int version;        /**< LC_LIST_OPTS_VERSION */
	const char *marker;          /**< id of the last item already seen, or NULL */
	unsigned int limit;          /**< 0: no limit */
	const char *const *filters;  /**< NULL, or field/value pairs ending with NULL:
	                                  {"name", "web", "enabled", "true", NULL}.
	                                  Field names are the resource's OpenStack
	                                  attribute names; an unknown one is LC_EINVALID */
} lc_list_opts;

/** Static initialiser for lc_list_opts: no marker, no limit, no filter. */
#define LC_LIST_OPTS_INIT { LC_LIST_OPTS_VERSION, NULL, 0, NULL }

/**
 * Initialise an lc_list_opts with defaults.
 *
 * @param opts out: the struct to fill
 * @param version LC_LIST_OPTS_VERSION
 * @return 0, or LC_EINVALID
 * @note Thread-safe. Since 0.1.
 */
LC_EXTERN int lc_list_opts_init(lc_list_opts *opts, unsigned int version);

LC_END_DECLS

#endif
