/*
 * Internal: the steps every resource entry point shares (get, find, list,
 * and the write wrapper), so a hundred public functions stay uniform:
 * clear the error, check arguments, check the session, authorize through the
 * policy table, run the transaction, hand back a snapshot.
 */
#ifndef LC_CORE_RESOURCE_H
#define LC_CORE_RESOURCE_H

#include "core/draft.h"
#include "core/iter.h"
#include "core/record.h"

/*
 * Get by id. Reads of a record the caller may not see (policy or visible())
 * are LC_ENOTFOUND, never forbidden. The policy's target project is the
 * record's project field.
 */
int lc__res_get(lc__rec **out, lc_session *s, const lc__shape *sh, const char *op, const char *id,
		lc__visible_fn visible);

/* Find through a unique index; parts are the key fields' text. Same visibility rules. */
int lc__res_find(lc__rec **out, lc_session *s, const lc__shape *sh, const char *op, const lc__index *ix,
		 const char *const *parts, lc__visible_fn visible);

/* Start an iterator (allocated) after checking policy op. */
int lc__res_iter_new(lc__iter **out, lc_session *s, const lc__shape *sh, const char *op, const lc_list_opts *opts,
		     lc__visible_fn visible);
int lc__res_iter_next(lc__rec **out, lc__iter *it);
void lc__res_iter_free(lc__iter *it);

/* Extra work inside a create's transaction (reference checks, quota); may be NULL. */
typedef int (*lc__create_fn)(lc__txn *t, lc__draft *d, void *p);
/* Apply a caller's changes to a draft of the current record, inside the update's transaction. */
typedef int (*lc__apply_fn)(lc__txn *t, lc__draft *d, const lc__rec *old, void *p);
/* Checks and cascades inside a delete's transaction, before the record goes. */
typedef int (*lc__predelete_fn)(lc__txn *t, const lc__rec *old, void *p);

/*
 * Create the record drafted in d (policy op checked against project_id),
 * durably. *out (may be NULL) gets a snapshot.
 */
int lc__res_create(lc__rec **out, lc_session *s, lc__draft *d, const char *op, const char *project_id,
		   lc__create_fn check, void *p);

/* Update a record: load it in the write transaction, apply(), store. */
int lc__res_update(lc__rec **out, lc_session *s, const lc__shape *sh, const char *op, const char *id,
		   lc__apply_fn apply, void *p);

/* Delete a record after pre() (conflict checks, cascades). flags must be 0. */
int lc__res_delete(lc_session *s, const lc__shape *sh, const char *op, const char *id, unsigned int flags,
		   lc__predelete_fn pre, void *p);

/*
 * How a resource's public options struct maps onto its record: enough for
 * the generic create and update entry points below.
 */
typedef struct lc__res_class {
	const lc__shape *sh;
	unsigned int opts_version;                                  /* newest options version */
	int (*apply)(lc__draft *d, const void *opts, int update);   /* caller input -> draft */
	void (*defaults)(lc__draft *d);                             /* a new record's defaults, or NULL */
	lc__create_fn check;                                        /* in-transaction checks at create, or NULL */
	lc__apply_fn update_check;                                  /* extra in-transaction checks at update, or NULL */
	const char *create_op, *update_op;
} lc__res_class;

/*
 * Create from a public options struct (whose first member is its version):
 * check the version, start a draft with a new id, the class's defaults and
 * created_at (when the shape has it), apply the options, create.
 */
int lc__res_create_opts(lc__rec **out, lc_session *s, const lc__res_class *k, const void *opts);
/* Update from a public options struct: check the version, apply the options inside the transaction. */
int lc__res_update_opts(lc__rec **out, lc_session *s, const lc__res_class *k, const char *id, const void *opts);

/* Define lc_T_create and lc_T_update over a resource class. */
#define LC__RESOURCE_WRITERS(T, CLASS)                                                                     \
	LC_EXTERN int lc_##T##_create(lc_##T **out, lc_session *s, const lc_##T##_opts *opts)              \
	{                                                                                                  \
		lc__rec *r = NULL;                                                                         \
		int rc;                                                                                    \
		lc__error_clear();                                                                         \
		rc = lc__res_create_opts(out ? &r : NULL, s, &CLASS, opts);                                \
		if (out)                                                                                   \
			*out = (lc_##T *)r;                                                                \
		return rc;                                                                                 \
	}                                                                                                  \
	LC_EXTERN int lc_##T##_update(lc_##T **out, lc_session *s, const char *id, const lc_##T##_opts *opts) \
	{                                                                                                  \
		lc__rec *r = NULL;                                                                         \
		int rc;                                                                                    \
		lc__error_clear();                                                                         \
		rc = lc__res_update_opts(out ? &r : NULL, s, &CLASS, id, opts);                            \
		if (out)                                                                                   \
			*out = (lc_##T *)r;                                                                \
		return rc;                                                                                 \
	}

/*
 * Define a find-by-unique-index function lc_T_find(out, s, PARAMS...): PARAMS
 * is the parenthesised parameter list, PREP statements run first (checks),
 * and the remaining arguments are the index key's parts.
 */
#define LC__UNPAREN(...) __VA_ARGS__
#define LC__RESOURCE_FIND(T, SHAPE, OP, IX, VISIBLE, PARAMS, PREP, ...)                                    \
	LC_EXTERN int lc_##T##_find(lc_##T **out, lc_session *s, LC__UNPAREN PARAMS)                                   \
	{                                                                                                  \
		lc__rec *r = NULL;                                                                         \
		int rc;                                                                                    \
		lc__error_clear();                                                                         \
		LC_CHECK_NOTNULL(out);                                                                     \
		*out = NULL;                                                                               \
		PREP                                                                                       \
		rc = lc__res_find(&r, s, &SHAPE, OP, &SHAPE.indexes[IX], (const char *const[]){ __VA_ARGS__ }, \
				  VISIBLE);                                                                \
		*out = (lc_##T *)r;                                                                        \
		return rc;                                                                                 \
	}

/* Define an lc_*_opts_init function for an options struct with an _INIT macro and a newest version. */
#define LC__OPTS_INIT_FN(FN, TYPE, INIT, VERSION)                                           \
	LC_EXTERN int FN(TYPE *opts, unsigned int version)                                  \
	{                                                                                   \
		TYPE init = INIT;                                                           \
		lc__error_clear();                                                          \
		LC_CHECK_NOTNULL(opts);                                                     \
		LC_CHECK_ARG(version >= 1 && version <= (VERSION), "version");              \
		*opts = init;                                                               \
		return 0;                                                                   \
	}

/* The store of a session's cloud. */
lc__store *lc__session_store(const lc_session *s);

/*
 * Define the public get/iterator/free functions of a resource type T whose
 * snapshot struct is `struct lc_T { lc__rec rec; }`.
 */
#define LC__RESOURCE_READERS(T, SHAPE, GET_OP, LIST_OP, VISIBLE)                                          \
	struct lc_##T {                                                                                    \
		lc__rec rec;                                                                               \
	};                                                                                                 \
	LC_EXTERN int lc_##T##_get(lc_##T **out, lc_session *s, const char *id)                            \
	{                                                                                                  \
		lc__rec *r = NULL;                                                                         \
		int rc;                                                                                    \
		lc__error_clear();                                                                         \
		LC_CHECK_NOTNULL(out);                                                                     \
		rc = lc__res_get(&r, s, &SHAPE, GET_OP, id, VISIBLE);                                      \
		*out = (lc_##T *)r;                                                                        \
		return rc;                                                                                 \
	}                                                                                                  \
	LC_EXTERN int lc_##T##_iter_new(lc_##T##_iter **out, lc_session *s, const lc_list_opts *opts)      \
	{                                                                                                  \
		lc__iter *it = NULL;                                                                       \
		int rc;                                                                                    \
		lc__error_clear();                                                                         \
		LC_CHECK_NOTNULL(out);                                                                     \
		rc = lc__res_iter_new(&it, s, &SHAPE, LIST_OP, opts, VISIBLE);                             \
		*out = (lc_##T##_iter *)it;                                                                \
		return rc;                                                                                 \
	}                                                                                                  \
	LC_EXTERN int lc_##T##_iter_next(lc_##T **out, lc_##T##_iter *it)                                  \
	{                                                                                                  \
		lc__rec *r = NULL;                                                                         \
		int rc;                                                                                    \
		lc__error_clear();                                                                         \
		LC_CHECK_NOTNULL(out);                                                                     \
		rc = lc__res_iter_next(&r, (lc__iter *)it);                                                \
		*out = (lc_##T *)r;                                                                        \
		return rc;                                                                                 \
	}                                                                                                  \
	LC_EXTERN void lc_##T##_iter_free(lc_##T##_iter *it)                                               \
	{                                                                                                  \
		lc__res_iter_free((lc__iter *)it);                                                         \
	}                                                                                                  \
	LC_EXTERN void lc_##T##_free(lc_##T *o)                                                            \
	{                                                                                                  \
		lc__rec_free(o ? &o->rec : NULL);                                                          \
	}

/* Define a public string getter lc_T_NAME for field F. */
#define LC__RESOURCE_STR(T, NAME, F)                                  \
	LC_EXTERN const char *lc_##T##_##NAME(const lc_##T *o)        \
	{                                                             \
		return o ? lc__rec_str(&o->rec, F) : NULL;            \
	}

/* Define a public string getter that gives "" for an absent field. */
#define LC__RESOURCE_TEXT(T, NAME, F)                                             \
	LC_EXTERN const char *lc_##T##_##NAME(const lc_##T *o)                    \
	{                                                                         \
		const char *v = o ? lc__rec_str(&o->rec, F) : NULL;               \
		return v ? v : (o ? "" : NULL);                                   \
	}

/* Define a public boolean getter. */
#define LC__RESOURCE_BOOL(T, NAME, F)                                 \
	LC_EXTERN int lc_##T##_##NAME(const lc_##T *o)                \
	{                                                             \
		return o ? (int)lc__rec_int(&o->rec, F) : 0;          \
	}

#endif
