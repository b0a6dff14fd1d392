/*
 * Internal: listing records of one shape with OpenStack paging (marker,
 * limit) and equality filters read from the shape table. Reads in short
 * read transactions, a batch at a time; never holds one across calls.
 */
#ifndef LC_CORE_ITER_H
#define LC_CORE_ITER_H

#include <libcloud/list.h>

#include "core/id.h"
#include "core/record.h"

#define LC__ITER_FILTERS_MAX 8
/*
 * Records decoded per read transaction: each batch costs a read transaction,
 * a cursor and a seek to the last key, so batches are large; but a batch
 * also ends when the limit is reached (a page decodes nothing it does not
 * return) and once its records hold LC__ITER_BATCH_BYTES, the size of the
 * one block they share (lc__recblock): about 135 server records. Listing
 * 100k servers (bench-compute) measured 0.42-0.44x the raw scan with 64 KiB
 * batches, 0.51-0.54x with 128 KiB, 0.48-0.50x with 256 KiB and 0.45x with
 * 1 MiB: past 128 KiB the block outgrows the caches.
 */
#define LC__ITER_BATCH 256
#define LC__ITER_BATCH_BYTES (128 * 1024)
/* Records a batch may look at (and filter out) before it ends its transaction. */
#define LC__ITER_SCAN_MAX 4096

/* Decides whether the caller may see r (0 no, 1 yes, < 0 error). */
typedef int (*lc__visible_fn)(lc__txn *t, const lc_session *s, const lc__rec *r, void *p);

typedef struct lc__iter {
	lc_session *s;
	const lc__shape *sh;
	lc__visible_fn visible;
	void *visible_p;
	char pos[512]; /* last key read (LMDB keys are at most 511 bytes) */
	int started;
	unsigned int limit, count;
	int nfilters;
	struct {
		int field;
		char *value;
		size_t len;
	} filters[LC__ITER_FILTERS_MAX];
	lc__rec *buf[LC__ITER_BATCH];
	int nbuf, ibuf;
	int end;
} lc__iter;

/* Checks opts (version, marker, filters) against the shape; LC_EINVALID on bad input. */
int lc__iter_init(lc__iter *it, lc_session *s, const lc__shape *sh, const lc_list_opts *opts,
		  lc__visible_fn visible, void *visible_p);
/* Add a filter that the service imposes (not caller input). */
int lc__iter_filter(lc__iter *it, int field, const char *value);
/* 0 with *out (caller frees), LC_ITEROVER, or an error. */
int lc__iter_next(lc__iter *it, lc__rec **out);
void lc__iter_fini(lc__iter *it);

/* 1 if r's field matches the text value the way filters do. */
int lc__rec_matches(const lc__rec *r, int field, const char *value);

#endif
