/*
 * libcloud - common definitions shared by every public header.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef LIBCLOUD_COMMON_H
#define LIBCLOUD_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define LC_BEGIN_DECLS extern "C" {
#define LC_END_DECLS }
#else
#define LC_BEGIN_DECLS
#define LC_END_DECLS
#endif

#if defined(LIBCLOUD_BUILDING) && defined(__GNUC__)
#define LC_EXTERN __attribute__((visibility("default")))
#else
#define LC_EXTERN
#endif

/** Length of a resource id in its text form (a UUID without the NUL). */
#define LC_ID_LEN 36
/** Longest name accepted for domains, projects, users and roles (bytes). */
#define LC_NAME_MAX 64
/** Longest description accepted (bytes). */
#define LC_DESCRIPTION_MAX 255

LC_BEGIN_DECLS

/** An opened cloud: one data directory. See cloud.h. */
typedef struct lc_cloud lc_cloud;
/** An authenticated principal. See session.h. */
typedef struct lc_session lc_session;

LC_END_DECLS

#endif
