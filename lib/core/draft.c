/* Draft records: caller input checked against the shape table. */
#include "core/draft.h"

#include <stdlib.h>
#include <string.h>

#include <libcloud/list.h>

#include "core/error.h"
#include "core/text.h"

void lc__draft_new(lc__draft *d, const lc__shape *sh)
{
	memset(d, 0, sizeof(*d));
	d->sh = sh;
	lc__id_new_text(d->ids[0]);
	lc__val_str(&d->v[0], d->ids[0]);
}

void lc__draft_from(lc__draft *d, const lc__rec *r)
{
	memset(d, 0, sizeof(*d));
	d->sh = r->shape;
	lc__rec_values(r, d->v);
}

static int may_set(const lc__draft *d, int field, int update)
{
	const lc__field *f = &d->sh->fields[field];
	unsigned need = update ? LC__F_UPDATE : LC__F_CREATE;

	if (!(f->flags & need))
		return lc__error_set(LC_EINVALID, "%s cannot be %s", f->name, update ? "changed" : "set");
	return 0;
}

int lc__draft_text(lc__draft *d, int field, const char *s, int update)
{
	const lc__field *f = &d->sh->fields[field];

	if (s == NULL)
		return 0;
	LC_TRY(may_set(d, field, update));
	if (f->type == LC__T_ID) {
		if (*s == '\0' && (f->flags & LC__F_NULLABLE)) {
			d->v[field].set = 0;
			return 0;
		}
		LC_TRY(lc__id_canon(f->name, s, d->ids[field]));
		lc__val_str(&d->v[field], d->ids[field]);
		return 0;
	}
	LC_TRY(lc__text_check(f->name, s, f->min, f->max));
	lc__val_str(&d->v[field], s);
	return 0;
}

int lc__draft_bool(lc__draft *d, int field, int b, int update)
{
	if (b == LC_UNSET)
		return 0;
	LC_TRY(may_set(d, field, update));
	if (b != 0 && b != 1)
		return lc__error_set(LC_EINVALID, "%s must be 0, 1 or LC_UNSET", d->sh->fields[field].name);
	lc__val_bool(&d->v[field], b);
	return 0;
}

void lc__draft_set_str(lc__draft *d, int field, const char *s)
{
	lc__val_str(&d->v[field], s);
}

void lc__draft_set_int(lc__draft *d, int field, int64_t i)
{
	lc__val_int(&d->v[field], i);
}

int lc__draft_complete(const lc__draft *d)
{
	for (int i = 0; i < d->sh->nfields; i++)
		if ((d->sh->fields[i].flags & LC__F_REQUIRED) && !d->v[i].set)
			return lc__error_set(LC_EINVALID, "%s is required", d->sh->fields[i].name);
	return 0;
}

int lc__draft_snapshot(const lc__draft *d, lc__rec **out)
{
	char *buf;
	size_t len;
	int rc;

	*out = NULL;
	LC_TRY(lc__rec_encode(d->sh, d->v, &buf, &len));
	rc = lc__rec_decode(d->sh, buf, len, out);
	free(buf);
	return rc;
}
