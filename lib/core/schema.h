/*
 * Internal: the store's format and each service's schema version, kept in
 * the "meta" database and checked (and migrated) at every open.
 */
#ifndef LC_CORE_SCHEMA_H
#define LC_CORE_SCHEMA_H

#include <stdint.h>

#include "core/store.h"

/* The layout of the store itself (databases, keys, record header). */
#define LC__STORE_FORMAT 1

extern const lc__dbdef lc__meta_db;

/* A migration step of one service: bring records from schema `from` to the current one. */
typedef int (*lc__migrate_fn)(lc__txn *t, uint32_t from);

typedef struct lc__schema {
	const char *name;      /* the service */
	uint32_t version;      /* its current schema */
	lc__migrate_fn migrate;
} lc__schema;

/*
 * In one write transaction: check the store format (LC_ECORRUPT when the
 * store was written by a newer libcloud), then for each service compare the
 * stored schema version with the current one: newer is LC_ECORRUPT, older
 * runs migrate() and records the new version.
 */
int lc__schema_check(lc__store *st, const lc__schema *schemas, size_t n);

#endif
