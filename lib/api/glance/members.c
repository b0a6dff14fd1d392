/* Glance image members: share an image with projects, who accept or reject it. */
#include "api/glance/glance.h"

#include <string.h>

#include "core/error.h"

static int reply_member(lc__api_ctx *x, lc_image_member *m)
{
	yajl_gen g = lc__json_begin(x);

	if (g == NULL) {
		lc_image_member_free(m);
		return LC_ENOMEM;
	}
	gl_gen_member(x, g, m);
	lc_image_member_free(m);
	return lc__json_end(x, g, 200);
}

static int member_rc(int rc, const char *image_id, const char *member_id)
{
	if (rc == LC_EINVALID && member_id)
		return lc__error_set(LC_ENOTFOUND, "Member %.80s not found for image %.80s", member_id, image_id);
	return gl_lookup_rc(rc, "image", image_id);
}

int gl_member_list(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	lc_image_member_iter *it = NULL;
	lc_image_member *m = NULL;
	yajl_gen g;
	int rc = lc_image_member_iter_new(&it, x->session, id);

	if (rc < 0)
		return gl_lookup_rc(rc, "image", id);
	g = lc__json_begin(x);
	if (g == NULL) {
		lc_image_member_iter_free(it);
		return LC_ENOMEM;
	}
	yajl_gen_map_open(g);
	lc__gen_karray(g, "members");
	while ((rc = lc_image_member_iter_next(&m, it)) == 0) {
		gl_gen_member(x, g, m);
		lc_image_member_free(m);
	}
	lc_image_member_iter_free(it);
	lc__gen_end_array(g);
	lc__gen_kstr(g, "schema", "/v2/schemas/members");
	yajl_gen_map_close(g);
	if (rc != LC_ITEROVER) {
		yajl_gen_free(g);
		return rc;
	}
	return lc__json_end(x, g, 200);
}

int gl_member_create(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0);
	const lc__json *body, *member;
	lc_image_member *m = NULL;
	lc_image *img = NULL;
	int rc;

	rc = lc_image_get(&img, x->session, id);
	lc_image_free(img);
	if (rc < 0)
		return gl_lookup_rc(rc, "image", id);
	if (lc__req_json(x, &body) != 0)
		return 0;
	member = lc__json_get(body, "member");
	if (member == NULL || member->type != LC__J_STRING) {
		lc__api_error(x, 400, "Request body must be a JSON object with a string 'member'.");
		return 0;
	}
	rc = lc_image_member_add(&m, x->session, id, member->s);
	if (rc == LC_EINVALID && strstr(lc_error_last()->message, "member_id"))
		return lc__error_set(LC_EINVALID, "Member %.80s is not a valid project id.", member->s);
	if (rc == LC_ECONFLICT) /* Glance: only shared images have members (403) */
		return lc__error_set(LC_EFORBIDDEN, "%s", lc_error_last()->message);
	if (rc < 0)
		return rc;
	return reply_member(x, m);
}

int gl_member_get(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0), *mid = lc__req_param(x, 1);
	lc_image_member *m = NULL;
	int rc = lc_image_member_get(&m, x->session, id, mid);

	if (rc < 0)
		return member_rc(rc, id, mid);
	return reply_member(x, m);
}

int gl_member_update(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0), *mid = lc__req_param(x, 1);
	const lc__json *body, *status;
	lc_image_member *m = NULL;
	int rc;

	rc = lc_image_member_get(&m, x->session, id, mid);
	lc_image_member_free(m);
	m = NULL;
	if (rc < 0)
		return member_rc(rc, id, mid);
	if (lc__req_json(x, &body) != 0)
		return 0;
	status = lc__json_get(body, "status");
	if (status == NULL || status->type != LC__J_STRING) {
		lc__api_error(x, 400, "Request body must be a JSON object with a string 'status'.");
		return 0;
	}
	rc = lc_image_member_update(&m, x->session, id, mid, status->s);
	if (rc < 0)
		return rc;
	return reply_member(x, m);
}

int gl_member_delete(lc__api_ctx *x)
{
	const char *id = lc__req_param(x, 0), *mid = lc__req_param(x, 1);
	int rc = lc_image_member_delete(x->session, id, mid);

	if (rc == LC_EINVALID || rc == LC_ENOTFOUND)
		return member_rc(rc, id, mid);
	if (rc < 0)
		return rc;
	return lc__reply_empty(x, 204);
}
