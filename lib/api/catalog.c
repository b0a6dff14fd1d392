/* The service catalog: every implemented and enabled service, at DevStack-like paths. */
#include "api/internal.h"

#include <stdio.h>
#include <string.h>

/* A stable 32-hex-digit id derived from a text (FNV-1a, twice). */
static void stable_id(char out[33], const char *a, const char *b)
{
	uint64_t h1 = 0xcbf29ce484222325ULL, h2 = 0x84222325cbf29ce4ULL;

	for (const char *p = a; *p; p++) {
		h1 = (h1 ^ (unsigned char)*p) * 0x100000001b3ULL;
		h2 = (h2 ^ (unsigned char)*p) * 0x100000001b3ULL;
		h2 ^= h2 >> 29;
	}
	for (const char *p = b; *p; p++) {
		h1 = (h1 ^ (unsigned char)*p) * 0x100000001b3ULL;
		h2 = (h2 ^ (unsigned char)*p) * 0x100000001b3ULL;
		h2 ^= h2 >> 29;
	}
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)h1, (unsigned long long)h2);
}

/* base + suffix with {project_id} replaced; NULL if the suffix needs a project the session lacks. */
static char *service_url(lc__api_ctx *x, const char *suffix, const char *project_id)
{
	const char *ph = strstr(suffix, "{project_id}");

	if (ph == NULL)
		return lc__arena_printf(x->arena, "%s%s", x->base, suffix);
	if (project_id == NULL)
		return NULL;
	return lc__arena_printf(x->arena, "%s%.*s%s%s", x->base, (int)(ph - suffix), suffix, project_id,
				ph + strlen("{project_id}"));
}

void lc__catalog_gen(lc__api_ctx *x, yajl_gen g, const lc_session *s)
{
	static const char *const ifaces[] = { "public", "internal", "admin" };
	size_t n;
	const lc__api_service *const *all = lc__api_services(&n);
	const char *project_id = s ? lc_session_project_id(s) : NULL;

	yajl_gen_array_open(g);
	for (size_t i = 0; i < n; i++) {
		const lc__api_service *svc = all[i];
		char id[33];
		char *url;

		if (!(x->api->services & svc->bit))
			continue;
		url = service_url(x, svc->url_suffix, project_id);
		if (url == NULL)
			continue;
		stable_id(id, svc->type, svc->name);
		yajl_gen_map_open(g);
		lc__gen_kstr(g, "type", svc->type);
		lc__gen_kstr(g, "name", svc->name);
		lc__gen_kstr(g, "id", id);
		lc__gen_karray(g, "endpoints");
		for (size_t k = 0; k < sizeof(ifaces) / sizeof(ifaces[0]); k++) {
			char eid[33];

			stable_id(eid, svc->type, ifaces[k]);
			yajl_gen_map_open(g);
			lc__gen_kstr(g, "id", eid);
			lc__gen_kstr(g, "interface", ifaces[k]);
			lc__gen_kstr(g, "region", x->api->region);
			lc__gen_kstr(g, "region_id", x->api->region);
			lc__gen_kstr(g, "url", url);
			yajl_gen_map_close(g);
		}
		lc__gen_end_array(g);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}
