/* Helpers shared by the compute entry points: listing filters, request ids. */
#include "compute/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/id.h"

int lc__split_filters(const lc_list_opts *in, const char *const *custom, lc_list_opts *out, const char ***rest,
		      const char **vals)
{
	size_t n = 0, k = 0;

	*rest = NULL;
	for (size_t c = 0; custom[c]; c++)
		vals[c] = NULL;
	lc_list_opts_init(out, LC_LIST_OPTS_VERSION);
	if (in == NULL)
		return 0;
	LC_CHECK_VERSION(in, LC_LIST_OPTS_VERSION);
	out->marker = in->marker;
	out->limit = in->limit;
	for (const char *const *f = in->filters; f && *f; f += 2) {
		if (f[1] == NULL)
			return lc__error_set(LC_EINVALID, "filter %.64s has no value", f[0]);
		n++;
	}
	*rest = malloc((2 * n + 1) * sizeof(**rest));
	if (*rest == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	for (const char *const *f = in->filters; f && *f; f += 2) {
		int mine = 0;

		for (size_t c = 0; custom[c]; c++) {
			if (strcmp(custom[c], f[0]) == 0) {
				vals[c] = f[1];
				mine = 1;
			}
		}
		if (!mine) {
			(*rest)[k++] = f[0];
			(*rest)[k++] = f[1];
		}
	}
	(*rest)[k] = NULL;
	out->filters = k ? *rest : NULL;
	return 0;
}

int lc__parse_i64(const char *what, const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || (*s != '-' && (*s < '0' || *s > '9')))
		return lc__error_set(LC_EINVALID, "%s must be an integer", what);
	v = strtoll(s, &end, 10);
	if (*end != '\0' || v < min || v > max)
		return lc__error_set(LC_EINVALID, "%s must be an integer from %lld to %lld", what, (long long)min,
				     (long long)max);
	*out = v;
	return 0;
}

void lc__request_id(char out[48])
{
	char id[LC__ID_TEXT];

	lc__id_new_text(id);
	snprintf(out, 48, "req-%s", id);
}
