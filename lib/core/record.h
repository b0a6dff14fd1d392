/*
 * Internal: records described by shape tables.
 *
 * Each resource type declares its fields once, as a table. The codec, the
 * input checks, the indexes, the listing filters and the REST layer's JSON
 * all read that table. Field 0 is always "id".
 */
#ifndef LC_CORE_RECORD_H
#define LC_CORE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "core/store.h"

#define LC__MAX_FIELDS 32
#define LC__MAX_INDEX_FIELDS 3

typedef enum lc__ftype {
	LC__T_STR = 1,  /* UTF-8 text */
	LC__T_ID = 2,   /* a resource id (canonical UUID, or a well-known id such as "default") */
	LC__T_BOOL = 3,
	LC__T_INT = 4,  /* int64 */
	LC__T_TIME = 5, /* int64 microseconds since the epoch */
	LC__T_BLOB = 6  /* opaque bytes (hashes); never shown */
} lc__ftype;

enum lc__fflags {
	LC__F_REQUIRED = 1u << 0, /* must be given at create */
	LC__F_CREATE = 1u << 1,   /* a caller may give it at create */
	LC__F_UPDATE = 1u << 2,   /* a caller may change it */
	LC__F_NULLABLE = 1u << 3, /* may be absent (JSON null) */
	LC__F_SECRET = 1u << 4,   /* never shown, never filtered on */
	LC__F_FILTER = 1u << 5    /* usable as a listing filter */
};

typedef struct lc__field {
	const char *name; /* the OpenStack attribute name */
	uint8_t type;     /* lc__ftype */
	uint16_t min;     /* min length (strings) */
	uint16_t max;     /* max length (strings) */
	unsigned int flags;
} lc__field;

enum lc__iflags {
	LC__I_UNIQUE = 1u << 0 /* key -> one id (MDB_NOOVERWRITE); else key -> many ids (DUPSORT) */
};

typedef struct lc__index {
	const lc__dbdef *db;
	uint8_t nfields;
	uint8_t fields[LC__MAX_INDEX_FIELDS]; /* key = the fields' text joined by NUL */
	unsigned int flags;
	const char *what; /* for conflict messages: "name in this domain" */
} lc__index;

typedef struct lc__shape {
	const char *kind;          /* "project": event kind and messages */
	const lc__dbdef *db;       /* id -> record */
	uint16_t version;          /* schema version written with each record */
	uint8_t nfields;
	const lc__field *fields;
	uint8_t nindexes;
	const lc__index *indexes;
	int8_t project_field;      /* field holding the owning project, or -1 */
} lc__shape;

/* One field's value: strings point into caller memory or the record's blob. */
typedef struct lc__val {
	const char *s;
	uint32_t len;
	uint8_t set;
	int64_t i;
} lc__val;

/*
 * A decoded record. lc__rec_decode() and lc__rec_load() make it one
 * allocation sized to its shape: the header, shape->nfields values (not
 * LC__MAX_FIELDS) and the bytes the strings point into. So never copy a
 * decoded record by value nor touch v[] at or beyond shape->nfields; a
 * record declared on the stack (for lc__rec_view) has the full array.
 */
typedef struct lc__recblock lc__recblock;

typedef struct lc__rec {
	const lc__shape *shape;
	uint16_t version;     /* the version it was stored with */
	lc__recblock *block;  /* the shared allocation it lives in, or NULL (its own) */
	lc__val v[LC__MAX_FIELDS];
} lc__rec;

/* Setting values (strings are borrowed, not copied). */
void lc__val_str(lc__val *v, const char *s);
void lc__val_int(lc__val *v, int64_t i);
void lc__val_bool(lc__val *v, int b);
void lc__val_blob(lc__val *v, const void *p, size_t len);

/* Encode values; *out is malloc'd. */
int lc__rec_encode(const lc__shape *sh, const lc__val *v, char **out, size_t *len);
/* Decode bytes into a new record (the bytes are copied). LC_ECORRUPT on bad data. */
int lc__rec_decode(const lc__shape *sh, const void *data, size_t len, lc__rec **out);
void lc__rec_free(lc__rec *r);

/*
 * A block of memory that a batch of decoded records share (a listing page):
 * one allocation instead of one per record. Each record decoded into it
 * holds a reference, as does the block's maker until lc__recblock_release();
 * lc__rec_free() of the last one frees it, from any thread. A record kept
 * long keeps its whole block (at most `bytes`).
 */
lc__recblock *lc__recblock_new(size_t bytes);
void lc__recblock_release(lc__recblock *b);
/* Decode into b when it has room (b may be NULL), else as lc__rec_decode(). */
int lc__rec_decode_in(lc__recblock *b, const lc__shape *sh, const void *data, size_t len, lc__rec **out);
/* Bytes lc__rec_decode allocates for a record of shape sh stored in len bytes. */
size_t lc__rec_size(const lc__shape *sh, size_t len);

/* Getters: NULL / 0 for absent fields. */
const char *lc__rec_str(const lc__rec *r, int field);
int64_t lc__rec_int(const lc__rec *r, int field);
int lc__rec_set(const lc__rec *r, int field);

/* Field number by name, or -1. */
int lc__shape_field(const lc__shape *sh, const char *name);

/* Load by id; LC_ENOTFOUND ("<kind> <id> not found") when absent. */
int lc__rec_load(lc__txn *t, const lc__shape *sh, const char *id, lc__rec **out);
/*
 * Load by id without copying: out's strings point into the transaction's
 * memory and are valid only until the transaction ends. For hot read paths.
 */
int lc__rec_view(lc__txn *t, const lc__shape *sh, const char *id, lc__rec *out);
/* 1 if a record with this id exists, 0 if not, < 0 on error. */
int lc__rec_exists(lc__txn *t, const lc__shape *sh, const char *id);
/* Insert a new record with its index entries and a CREATE event. LC_EEXISTS on a unique clash. */
int lc__rec_insert(lc__txn *t, const lc__shape *sh, const lc__val *v);
/* Replace old with new values (same id), updating indexes, with an UPDATE event. */
int lc__rec_update(lc__txn *t, const lc__rec *old, const lc__val *v);
/* Delete a record and its index entries, with a DELETE event. */
int lc__rec_delete(lc__txn *t, const lc__rec *old);

/* Look up a unique index; parts are the key fields' text. Returns the id in id_out (37 bytes). */
int lc__index_lookup(lc__txn *t, const lc__index *ix, const char *const *parts, char *id_out, size_t id_sz);
/* 1 if a (non-unique or unique) index has any entry for the key, 0 if not. */
int lc__index_any(lc__txn *t, const lc__index *ix, const char *const *parts);

/* Visit every id of a non-unique index key; fn returns non-zero to stop (returned as is). */
int lc__index_each(lc__txn *t, const lc__index *ix, const char *const *parts,
		   int (*fn)(lc__txn *t, const char *id, void *p), void *p);

/*
 * Visit, in key order, every id of an index whose key starts with its first
 * nparts fields equal to parts (a unique index over (server, request) listed
 * by server); fn returns non-zero to stop (returned as is).
 */
int lc__index_each_prefix(lc__txn *t, const lc__index *ix, const char *const *parts, int nparts,
			  int (*fn)(lc__txn *t, const char *id, void *p), void *p);
/* Copy a record's values into v (for building an update). */
void lc__rec_values(const lc__rec *r, lc__val *v);

#endif
