/* Helpers for the REST layer tests: a fresh cloud, an lc_api over it, and calls in process. */
#ifndef LC_APITEST_H
#define LC_APITEST_H

#include <stddef.h>

#include <yajl/yajl_tree.h>

#include <libcloud/libcloud.h>

#define T_BASE "http://cloud.test:5000"
#define T_ADMIN_PASSWORD "s3cret-admin"

extern char *t_dir;
extern lc_cloud *t_cloud;
extern lc_api *t_api;
extern char *t_admin_token; /* admin user, scoped to project admin */

/* Criterion fixtures: open a fresh cloud (bootstrapped), an API over it, and an admin token. */
void t_setup(void);
void t_teardown(void);

typedef struct t_resp {
	int status;
	char *body;            /* NUL-terminated copy */
	size_t len;
	yajl_val json;         /* parsed body, or NULL */
	lc_api_response *r;
} t_resp;

/*
 * Call the API. target is "path?query"; token is sent as X-Auth-Token when
 * not NULL; body is sent whole when not NULL. extra is NULL or a
 * NULL-terminated list of header name/value pairs.
 */
t_resp *t_call(const char *method, const char *target, const char *token, const char *body);
t_resp *t_callh(const char *method, const char *target, const char *token, const char *body,
		const char *const *extra);
void t_free(t_resp *r);

/* A value by a '/'-separated path of keys ("token/user/name"); array items by index ("roles/0/name"). */
yajl_val t_get(yajl_val v, const char *path);
/* The string at a path, or NULL. */
const char *t_str(yajl_val v, const char *path);
/* Number of items in the array at a path, or -1. */
int t_len(yajl_val v, const char *path);

/* Issue a token for user/password scoped to a project (names, Default domain); NULL on failure. malloc'd. */
char *t_token(const char *user, const char *password, const char *project);
/* Create a project, a user with that password and member role on it; returns malloc'd ids. */
void t_make_user(const char *project, const char *user, const char *password, char **project_id, char **user_id);
/* Id of the item of a list whose "name" is name, or NULL (malloc'd). */
char *t_find(const char *coll, const char *name);

#endif
