/* Every route is bound to a policy rule of the policy table (internal: links the static library). */
#include <criterion/criterion.h>
#include <string.h>

#include "api/internal.h"
#include "core/policy.h"

Test(api_routes, every_route_names_a_known_policy_rule)
{
	size_t nsvc;
	const lc__api_service *const *svcs = lc__api_services(&nsvc);
	size_t total = 0;

	cr_assert_gt(nsvc, 0);
	for (size_t s = 0; s < nsvc; s++) {
		cr_assert_gt(svcs[s]->nroutes, 0);
		for (size_t i = 0; i < svcs[s]->nroutes; i++) {
			const lc__api_route *rt = &svcs[s]->routes[i];

			total++;
			cr_assert_not_null(rt->rule, "%s %s has no rule", rt->method, rt->pattern);
			cr_assert_not_null(rt->fn, "%s %s has no handler", rt->method, rt->pattern);
			cr_assert(rt->pattern[0] == '/', "%s", rt->pattern);
			if (strcmp(rt->rule, LC__RULE_PUBLIC) == 0) {
				cr_assert(rt->flags & LC__ROUTE_NOAUTH, "%s %s: public route needs NOAUTH", rt->method,
					  rt->pattern);
				continue;
			}
			cr_assert(!(rt->flags & LC__ROUTE_NOAUTH), "%s %s: NOAUTH route must be public", rt->method,
				  rt->pattern);
			cr_assert_neq(lc__policy_rule(rt->rule), 0, "%s %s: rule '%s' is not in the policy table",
				      rt->method, rt->pattern, rt->rule);
		}
	}
	cr_assert_geq(total, 40);
}

Test(api_routes, no_two_routes_share_method_and_pattern)
{
	size_t nsvc;
	const lc__api_service *const *svcs = lc__api_services(&nsvc);

	for (size_t s = 0; s < nsvc; s++)
		for (size_t i = 0; i < svcs[s]->nroutes; i++)
			for (size_t j = i + 1; j < svcs[s]->nroutes; j++)
				cr_assert(strcmp(svcs[s]->routes[i].method, svcs[s]->routes[j].method) != 0 ||
						  strcmp(svcs[s]->routes[i].pattern, svcs[s]->routes[j].pattern) != 0,
					  "%s %s twice", svcs[s]->routes[i].method, svcs[s]->routes[i].pattern);
}

Test(api_routes, patterns_match_segments)
{
	char a[] = "v3", b[] = "projects", c[] = "p1", d[] = "users", e[] = "u1";
	char *segs[] = { a, b, c, d, e };
	const char *params[LC__MAX_PARAMS];
	size_t np = 0;
	lc__arena *ar = lc__arena_new();

	cr_assert(lc__route_match("/v3/projects/{id}/users/{uid}", segs, 5, params, &np, ar));
	cr_assert_eq(np, 2);
	cr_assert_str_eq(params[0], "p1");
	cr_assert_str_eq(params[1], "u1");
	cr_assert_not(lc__route_match("/v3/projects/{id}", segs, 5, params, &np, ar));
	cr_assert_not(lc__route_match("/v3/projects/{id}/users/{uid}/roles", segs, 5, params, &np, ar));
	cr_assert(lc__route_match("/v3/{+rest}", segs, 5, params, &np, ar));
	cr_assert_str_eq(params[0], "projects/p1/users/u1");
	cr_assert(lc__route_match("/", segs, 0, params, &np, ar));
	cr_assert_not(lc__route_match("/", segs, 1, params, &np, ar));
	lc__arena_free(ar);
}

Test(api_routes, json_parser_limits_and_surrogates)
{
	lc__arena *a = lc__arena_new();
	lc__json *v;
	char err[128];
	const char *ok = "{\"s\":\"\\ud83d\\ude00\",\"n\":-3,\"d\":1.5,\"a\":[true,false,null]}";

	cr_assert_eq(lc__json_parse(&v, a, ok, strlen(ok), 8, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(v->type, LC__J_OBJECT);
	cr_assert_eq(v->count, 4);
	cr_assert_str_eq(lc__json_get(v, "s")->s, "\xf0\x9f\x98\x80");
	cr_assert_eq(lc__json_get(v, "n")->i, -3);
	cr_assert_eq(lc__json_get(v, "a")->count, 3);
	cr_assert_eq(lc__json_parse(&v, a, "[[[1]]]", 7, 3, err, sizeof(err)), 0);
	cr_assert_eq(lc__json_parse(&v, a, "[[[[1]]]]", 9, 3, err, sizeof(err)), LC_EINVALID);
	cr_assert_eq(lc__json_parse(&v, a, "\"\\udc00\"", 8, 3, err, sizeof(err)), LC_EINVALID);
	cr_assert_eq(lc__json_parse(&v, a, "\"\\ud800x\"", 9, 3, err, sizeof(err)), LC_EINVALID);
	cr_assert_eq(lc__json_parse(&v, a, "\"\\\\ud800\"", 9, 3, err, sizeof(err)), 0, "escaped backslash");
	lc__arena_free(a);
}

static const char *error_body(lc__error_style style, int status, const char **ctype)
{
	static char out[1024];
	static const lc__api_service svc = { .bit = 0, .type = "x", .name = "x", .first_segment = "x",
					     .url_suffix = "/x", .style = LC__ERR_KEYSTONE };
	lc__api_service s = svc;
	lc__api_ctx x;
	size_t len;
	const void *b;

	memset(&x, 0, sizeof(x));
	s.style = style;
	x.svc = &s;
	x.arena = lc__arena_new();
	x.resp = lc__resp_new();
	x.base = "http://h";
	cr_assert_eq(lc__api_error(&x, status, "it went %s", "wrong"), 0);
	cr_assert_eq(lc_api_response_status(x.resp), status);
	b = lc_api_response_body(x.resp, &len);
	cr_assert_lt(len, sizeof(out));
	memcpy(out, b, len);
	out[len] = '\0';
	*ctype = lc_api_response_header(x.resp, "Content-Type") ? "set" : NULL;
	lc_api_response_free(x.resp);
	lc__arena_free(x.arena);
	return out;
}

Test(api_routes, error_bodies_follow_the_service)
{
	const char *ct;

	cr_assert_str_eq(error_body(LC__ERR_KEYSTONE, 404, &ct),
			 "{\"error\":{\"code\":404,\"message\":\"it went wrong\",\"title\":\"Not Found\"}}");
	cr_assert_str_eq(error_body(LC__ERR_NOVA, 404, &ct),
			 "{\"itemNotFound\":{\"code\":404,\"message\":\"it went wrong\"}}");
	cr_assert_str_eq(error_body(LC__ERR_NOVA, 400, &ct),
			 "{\"badRequest\":{\"code\":400,\"message\":\"it went wrong\"}}");
	cr_assert_str_eq(error_body(LC__ERR_NOVA, 409, &ct),
			 "{\"conflictingRequest\":{\"code\":409,\"message\":\"it went wrong\"}}");
	cr_assert_str_eq(error_body(LC__ERR_NEUTRON, 404, &ct),
			 "{\"NeutronError\":{\"type\":\"NotFound\",\"message\":\"it went wrong\",\"detail\":\"\"}}");
	cr_assert_str_eq(error_body(LC__ERR_PLAIN, 404, &ct), "Not Found\n\nit went wrong\n");
	cr_assert_not_null(ct);
}

Test(api_routes, error_codes_map_to_statuses)
{
	cr_assert_eq(lc__http_status(LC_ENOTFOUND), 404);
	cr_assert_eq(lc__http_status(LC_EEXISTS), 409);
	cr_assert_eq(lc__http_status(LC_EINVALID), 400);
	cr_assert_eq(lc__http_status(LC_ECONFLICT), 409);
	cr_assert_eq(lc__http_status(LC_EQUOTA), 413);
	cr_assert_eq(lc__http_status(LC_EFORBIDDEN), 403);
	cr_assert_eq(lc__http_status(LC_EAUTH), 401);
	cr_assert_eq(lc__http_status(LC_ENOTSUPPORTED), 501);
	cr_assert_eq(lc__http_status(LC_ETOOLARGE), 413);
	cr_assert_eq(lc__http_status(LC_ENOMEM), 500);
	cr_assert_eq(lc__http_status(LC_EIO), 500);
}
