/* Store format and per-service schema versions, checked and migrated at open. */
#include "core/schema.h"

#include <string.h>

#include "core/error.h"
#include "core/text.h"

const lc__dbdef lc__meta_db = { "meta", 0 };

struct schema_ctx {
	const lc__schema *schemas;
	size_t n;
};

/* Read a stored version; 0 when absent. */
static int read_version(lc__txn *t, const char *key, uint32_t *out)
{
	MDB_val v;
	int rc = lc__txn_get(t, &lc__meta_db, key, strlen(key), &v);

	*out = 0;
	if (rc == LC_ENOTFOUND)
		return 0;
	LC_TRY(rc);
	if (v.mv_size != sizeof(*out))
		return lc__error_set(LC_ECORRUPT, "the store's %s record is corrupt", key);
	memcpy(out, v.mv_data, sizeof(*out));
	return 0;
}

static int write_version(lc__txn *t, const char *key, uint32_t version)
{
	return lc__txn_put(t, &lc__meta_db, key, strlen(key), &version, sizeof(version), 0);
}

static int schema_tx(lc__txn *t, void *p)
{
	struct schema_ctx *c = p;
	uint32_t v;

	LC_TRY(read_version(t, "format", &v));
	if (v > LC__STORE_FORMAT)
		return lc__error_set(LC_ECORRUPT, "the store has format %u; this libcloud reads up to %u", v,
				     LC__STORE_FORMAT);
	if (v < LC__STORE_FORMAT)
		LC_TRY(write_version(t, "format", LC__STORE_FORMAT));
	for (size_t i = 0; i < c->n; i++) {
		const lc__schema *s = &c->schemas[i];
		char key[80];

		LC_TRY(lc__strcat_parts(key, sizeof(key), (const char *const[]){ "schema.", s->name, NULL }));
		LC_TRY(read_version(t, key, &v));
		if (v == s->version)
			continue;
		if (v > s->version)
			return lc__error_set(LC_ECORRUPT, "the %s records have schema %u; this libcloud reads up to %u",
					     s->name, v, s->version);
		if (v > 0 && s->migrate)
			LC_TRY(s->migrate(t, v));
		LC_TRY(write_version(t, key, s->version));
	}
	return 0;
}

int lc__schema_check(lc__store *st, const lc__schema *schemas, size_t n)
{
	struct schema_ctx c = { schemas, n };

	return lc__store_write(st, schema_tx, &c);
}
