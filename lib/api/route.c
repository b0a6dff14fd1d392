/* Route patterns: literal segments, {placeholders} and a trailing {+rest}. */
#include "api/internal.h"

#include <string.h>

int lc__route_match(const char *pattern, char *const *segs, size_t nseg, const char **params, size_t *nparams,
		    lc__arena *a)
{
	size_t i = 0, np = 0;
	const char *p = pattern;

	while (*p == '/')
		p++;
	while (*p != '\0') {
		const char *e = strchr(p, '/');
		size_t len;

		if (e == NULL)
			e = p + strlen(p);
		len = (size_t)(e - p);
		if (len >= 3 && p[0] == '{' && p[1] == '+' && p[len - 1] == '}') {
			/* the rest of the path, joined again with '/' */
			size_t total = 0;
			char *joined, *w;

			if (i >= nseg || np >= LC__MAX_PARAMS)
				return 0;
			for (size_t k = i; k < nseg; k++)
				total += strlen(segs[k]) + 1;
			joined = lc__arena_alloc(a, total);
			if (joined == NULL)
				return 0;
			w = joined;
			for (size_t k = i; k < nseg; k++) {
				size_t l = strlen(segs[k]);

				if (k > i)
					*w++ = '/';
				memcpy(w, segs[k], l);
				w += l;
			}
			*w = '\0';
			params[np++] = joined;
			*nparams = np;
			return 1;
		}
		if (i >= nseg)
			return 0;
		if (len >= 2 && p[0] == '{' && p[len - 1] == '}') {
			if (np >= LC__MAX_PARAMS)
				return 0;
			params[np++] = segs[i];
		} else if (strlen(segs[i]) != len || memcmp(segs[i], p, len) != 0) {
			return 0;
		}
		i++;
		p = e;
		while (*p == '/')
			p++;
	}
	if (i != nseg)
		return 0;
	*nparams = np;
	return 1;
}
