/* Glance v2: the route table. Every route names its policy rule. */
#include "api/glance/glance.h"

#define I "/image/v2/images/{image_id}"

static const lc__api_route routes[] = {
	{ "GET", "/image", gl_versions, LC__RULE_PUBLIC, LC__ROUTE_NOAUTH },
	{ "GET", "/image/versions", gl_versions, LC__RULE_PUBLIC, LC__ROUTE_NOAUTH },
	{ "GET", "/image/v2", gl_versions, LC__RULE_PUBLIC, LC__ROUTE_NOAUTH },
	{ "GET", "/image/v2/schemas/image", gl_schema_image, "image:get_image", 0 },
	{ "GET", "/image/v2/schemas/images", gl_schema_images, "image:get_images", 0 },
	{ "GET", "/image/v2/schemas/member", gl_schema_member, "image:get_member", 0 },
	{ "GET", "/image/v2/schemas/members", gl_schema_members, "image:get_members", 0 },
	{ "GET", "/image/v2/info/import", gl_info_import, "image:get_images", 0 },
	{ "GET", "/image/v2/info/stores", gl_info_stores, "image:get_images", 0 },

	{ "GET", "/image/v2/images", gl_image_list, "image:get_images", 0 },
	{ "POST", "/image/v2/images", gl_image_create, "image:add_image", 0 },
	{ "GET", I, gl_image_get, "image:get_image", 0 },
	{ "PATCH", I, gl_image_patch, "image:modify_image", 0 },
	{ "DELETE", I, gl_image_delete, "image:delete_image", 0 },
	{ "POST", I "/actions/deactivate", gl_image_deactivate, "image:deactivate", 0 },
	{ "POST", I "/actions/reactivate", gl_image_reactivate, "image:reactivate", 0 },
	{ "PUT", I "/tags/{tag}", gl_tag_put, "image:modify_image", 0 },
	{ "DELETE", I "/tags/{tag}", gl_tag_delete, "image:modify_image", 0 },

	{ "PUT", I "/file", gl_file_put, "image:upload_image", LC__ROUTE_RAW_BODY },
	{ "GET", I "/file", gl_file_get, "image:download_image", 0 },
	{ "POST", I "/import", gl_import, "image:import_image", 0 },

	{ "GET", I "/members", gl_member_list, "image:get_members", 0 },
	{ "POST", I "/members", gl_member_create, "image:add_member", 0 },
	{ "GET", I "/members/{member_id}", gl_member_get, "image:get_member", 0 },
	{ "PUT", I "/members/{member_id}", gl_member_update, "image:modify_member", 0 },
	{ "DELETE", I "/members/{member_id}", gl_member_delete, "image:delete_member", 0 },
};

const lc__api_service lc__glance_service = {
	.bit = LC_API_SERVICE_IMAGE,
	.type = "image",
	.name = "glance",
	.first_segment = "image",
	.url_suffix = "/image",
	.style = LC__ERR_PLAIN,
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
};
