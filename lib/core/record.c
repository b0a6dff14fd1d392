/* Records described by shape tables: codec, indexes, and the generic create/update/delete. */
#include "core/record.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/event.h"

#define KEY_MAX 511 /* LMDB's default maximum key size */

void lc__val_str(lc__val *v, const char *s)
{
	v->s = s;
	v->len = s ? (uint32_t)strlen(s) : 0;
	v->set = s != NULL;
}

void lc__val_int(lc__val *v, int64_t i)
{
	v->i = i;
	v->set = 1;
}

void lc__val_bool(lc__val *v, int b)
{
	v->i = b ? 1 : 0;
	v->set = 1;
}

void lc__val_blob(lc__val *v, const void *p, size_t len)
{
	v->s = p;
	v->len = (uint32_t)len;
	v->set = p != NULL;
}

static int is_bytes(uint8_t type)
{
	return type == LC__T_STR || type == LC__T_ID || type == LC__T_BLOB;
}

int lc__rec_encode(const lc__shape *sh, const lc__val *v, char **out, size_t *len)
{
	size_t n = 3;
	char *buf, *p;

	for (int i = 0; i < sh->nfields; i++) {
		n += 1;
		if (!v[i].set)
			continue;
		n += is_bytes(sh->fields[i].type) ? 4 + (size_t)v[i].len + 1
		   : sh->fields[i].type == LC__T_BOOL ? 1 : 8;
	}
	buf = malloc(n);
	if (buf == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory encoding a %s", sh->kind);
	p = buf;
	*p++ = (char)(sh->version & 0xFF);
	*p++ = (char)(sh->version >> 8);
	*p++ = (char)sh->nfields;
	for (int i = 0; i < sh->nfields; i++) {
		uint8_t type = sh->fields[i].type;

		*p++ = (char)v[i].set;
		if (!v[i].set)
			continue;
		if (is_bytes(type)) {
			uint32_t l = v[i].len;
			memcpy(p, &l, 4);
			p += 4;
			if (l)
				memcpy(p, v[i].s, l);
			p += l;
			*p++ = '\0';
		} else if (type == LC__T_BOOL) {
			*p++ = (char)(v[i].i != 0);
		} else {
			memcpy(p, &v[i].i, 8);
			p += 8;
		}
	}
	*out = buf;
	*len = n;
	return 0;
}

/*
 * Parse encoded bytes p[0..len) into r, pointing strings into p. Writes
 * r->v[0..sh->nfields) only: a decoded record has room for no more.
 */
static int parse(const lc__shape *sh, const char *p, size_t len, lc__rec *r)
{
	const char *end = p + len;
	unsigned nstored, nf = sh->nfields;

	if (len < 3)
		return -1;
	r->shape = sh;
	r->version = (uint16_t)((uint8_t)p[0] | (uint8_t)p[1] << 8);
	nstored = (uint8_t)p[2];
	p += 3;
	if (nstored > LC__MAX_FIELDS)
		return -1;
	for (unsigned i = 0; i < nstored; i++) {
		lc__val *v = &r->v[i];
		uint8_t type;

		if (p >= end)
			return -1;
		if (*p++ == 0) {
			if (i < nf)
				*v = (lc__val){ 0 };
			continue;
		}
		if (i >= nf) /* written by a newer version: fields are only appended */
			return -1;
		type = sh->fields[i].type;
		if (is_bytes(type)) {
			uint32_t l;
			if (end - p < 4)
				return -1;
			memcpy(&l, p, 4);
			p += 4;
			if ((size_t)(end - p) < (size_t)l + 1 || p[l] != '\0')
				return -1;
			*v = (lc__val){ .s = p, .len = l, .set = 1 };
			p += l + 1;
		} else if (type == LC__T_BOOL) {
			if (p >= end)
				return -1;
			*v = (lc__val){ .set = 1, .i = *p++ != 0 };
		} else {
			if (end - p < 8)
				return -1;
			*v = (lc__val){ .set = 1 };
			memcpy(&v->i, p, 8);
			p += 8;
		}
	}
	if (nstored < nf) /* stored by an older version: the appended fields are absent */
		memset(&r->v[nstored], 0, sizeof(r->v[0]) * (nf - nstored));
	return p == end ? 0 : -1;
}

size_t lc__rec_size(const lc__shape *sh, size_t len)
{
	/* the header, the shape's values (no more), the bytes */
	return offsetof(lc__rec, v) + sizeof(lc__val) * sh->nfields + len;
}

struct lc__recblock {
	size_t refs; /* atomic */
	size_t used, cap;
	_Alignas(16) char data[];
};

lc__recblock *lc__recblock_new(size_t bytes)
{
	lc__recblock *b = malloc(sizeof(*b) + bytes);

	if (b) {
		b->refs = 1;
		b->used = 0;
		b->cap = bytes;
	}
	return b;
}

void lc__recblock_release(lc__recblock *b)
{
	if (b && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0)
		free(b);
}

int lc__rec_decode_in(lc__recblock *b, const lc__shape *sh, const void *data, size_t len, lc__rec **out)
{
	size_t head = lc__rec_size(sh, 0), need = (head + len + 15) & ~(size_t)15;
	lc__rec *r;
	char *bytes;

	*out = NULL;
	if (b && b->cap - b->used >= need) {
		r = (lc__rec *)(void *)(b->data + b->used);
		b->used += need;
		__atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
		r->block = b;
	} else {
		r = malloc(head + len);
		if (r == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory reading a %s", sh->kind);
		r->block = NULL;
	}
	bytes = (char *)r + head;
	memcpy(bytes, data, len);
	if (parse(sh, bytes, len, r) < 0) {
		lc__rec_free(r);
		return lc__error_set(LC_ECORRUPT, "a stored %s record is corrupt", sh->kind);
	}
	*out = r;
	return 0;
}

int lc__rec_decode(const lc__shape *sh, const void *data, size_t len, lc__rec **out)
{
	return lc__rec_decode_in(NULL, sh, data, len, out);
}

int lc__rec_view(lc__txn *t, const lc__shape *sh, const char *id, lc__rec *out)
{
	MDB_val v;
	int rc = lc__txn_get(t, sh->db, id, strlen(id), &v);

	if (rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "%s %s not found", sh->kind, id);
	if (rc < 0)
		return rc;
	if (parse(sh, v.mv_data, v.mv_size, out) < 0)
		return lc__error_set(LC_ECORRUPT, "a stored %s record is corrupt", sh->kind);
	return 0;
}

void lc__rec_free(lc__rec *r)
{
	if (r && r->block)
		lc__recblock_release(r->block);
	else
		free(r);
}

const char *lc__rec_str(const lc__rec *r, int field)
{
	return r && r->v[field].set ? r->v[field].s : NULL;
}

int64_t lc__rec_int(const lc__rec *r, int field)
{
	return r && r->v[field].set ? r->v[field].i : 0;
}

int lc__rec_set(const lc__rec *r, int field)
{
	return r && r->v[field].set;
}

void lc__rec_values(const lc__rec *r, lc__val *v)
{
	memcpy(v, r->v, sizeof(r->v[0]) * r->shape->nfields);
}

int lc__shape_field(const lc__shape *sh, const char *name)
{
	for (int i = 0; i < sh->nfields; i++)
		if (strcmp(sh->fields[i].name, name) == 0)
			return i;
	return -1;
}

int lc__rec_load(lc__txn *t, const lc__shape *sh, const char *id, lc__rec **out)
{
	MDB_val v;
	int rc;

	*out = NULL;
	rc = lc__txn_get(t, sh->db, id, strlen(id), &v);
	if (rc == LC_ENOTFOUND)
		return lc__error_set(LC_ENOTFOUND, "%s %s not found", sh->kind, id);
	if (rc < 0)
		return rc;
	return lc__rec_decode(sh, v.mv_data, v.mv_size, out);
}

int lc__rec_exists(lc__txn *t, const lc__shape *sh, const char *id)
{
	MDB_val v;
	int rc = lc__txn_get(t, sh->db, id, strlen(id), &v);

	return rc == LC_ENOTFOUND ? 0 : rc < 0 ? rc : 1;
}

/* Build an index key from values; 0 if some part is absent (no entry), else the length. */
static size_t key_from_vals(const lc__index *ix, const lc__val *v, char *key)
{
	size_t n = 0;

	for (int i = 0; i < ix->nfields; i++) {
		const lc__val *f = &v[ix->fields[i]];
		if (!f->set)
			return 0;
		if (n + f->len + 1 > KEY_MAX)
			return 0;
		if (i)
			key[n++] = '\0';
		memcpy(key + n, f->s, f->len);
		n += f->len;
	}
	return n; /* an empty key (a lone empty part) has no entry: nothing is stored under it */
}

static size_t key_from_parts(const lc__index *ix, const char *const *parts, char *key)
{
	lc__val v[LC__MAX_FIELDS];

	memset(v, 0, sizeof(v));
	for (int i = 0; i < ix->nfields; i++)
		lc__val_str(&v[ix->fields[i]], parts[i]);
	return key_from_vals(ix, v, key);
}

static int same_key(const lc__index *ix, const lc__val *a, const lc__val *b)
{
	for (int i = 0; i < ix->nfields; i++) {
		const lc__val *x = &a[ix->fields[i]], *y = &b[ix->fields[i]];
		if (x->set != y->set || x->len != y->len || (x->set && memcmp(x->s, y->s, x->len) != 0))
			return 0;
	}
	return 1;
}

static int index_add(lc__txn *t, const lc__shape *sh, const lc__index *ix, const lc__val *v)
{
	char key[KEY_MAX];
	size_t kl = key_from_vals(ix, v, key);
	int rc;

	if (kl == 0)
		return 0;
	rc = lc__txn_put(t, ix->db, key, kl, v[0].s, v[0].len,
			 (ix->flags & LC__I_UNIQUE) ? MDB_NOOVERWRITE : MDB_NODUPDATA);
	if (rc == LC_EEXISTS && (ix->flags & LC__I_UNIQUE))
		return lc__error_set(LC_EEXISTS, "a %s with this %s already exists", sh->kind, ix->what);
	if (rc == LC_EEXISTS)
		return 0;
	return rc;
}

static int index_del(lc__txn *t, const lc__index *ix, const lc__val *v)
{
	char key[KEY_MAX];
	size_t kl = key_from_vals(ix, v, key);
	int rc;

	if (kl == 0)
		return 0;
	rc = lc__txn_del(t, ix->db, key, kl, (ix->flags & LC__I_UNIQUE) ? NULL : v[0].s, v[0].len);
	return rc == LC_ENOTFOUND ? 0 : rc;
}

static const char *project_of(const lc__shape *sh, const lc__val *v)
{
	return sh->project_field >= 0 && v[sh->project_field].set ? v[sh->project_field].s : NULL;
}

static int put_record(lc__txn *t, const lc__shape *sh, const lc__val *v, unsigned int flags)
{
	char *buf;
	size_t len;
	int rc;

	LC_TRY(lc__rec_encode(sh, v, &buf, &len));
	rc = lc__txn_put(t, sh->db, v[0].s, v[0].len, buf, len, flags);
	free(buf);
	if (rc == LC_EEXISTS)
		return lc__error_set(LC_EEXISTS, "a %s with id %s already exists", sh->kind, v[0].s);
	return rc;
}

int lc__rec_insert(lc__txn *t, const lc__shape *sh, const lc__val *v)
{
	LC_TRY(put_record(t, sh, v, MDB_NOOVERWRITE));
	for (int i = 0; i < sh->nindexes; i++)
		LC_TRY(index_add(t, sh, &sh->indexes[i], v));
	return lc__event_append(t, LC_EVENT_CREATE, sh->kind, v[0].s, project_of(sh, v));
}

int lc__rec_update(lc__txn *t, const lc__rec *old, const lc__val *v)
{
	const lc__shape *sh = old->shape;

	for (int i = 0; i < sh->nindexes; i++) {
		const lc__index *ix = &sh->indexes[i];
		if (same_key(ix, old->v, v))
			continue;
		LC_TRY(index_del(t, ix, old->v));
		LC_TRY(index_add(t, sh, ix, v));
	}
	LC_TRY(put_record(t, sh, v, 0));
	return lc__event_append(t, LC_EVENT_UPDATE, sh->kind, v[0].s, project_of(sh, v));
}

int lc__rec_delete(lc__txn *t, const lc__rec *old)
{
	const lc__shape *sh = old->shape;
	int rc;

	for (int i = 0; i < sh->nindexes; i++)
		LC_TRY(index_del(t, &sh->indexes[i], old->v));
	rc = lc__txn_del(t, sh->db, old->v[0].s, old->v[0].len, NULL, 0);
	if (rc < 0)
		return rc == LC_ENOTFOUND ? lc__error_set(rc, "%s %s not found", sh->kind, old->v[0].s) : rc;
	return lc__event_append(t, LC_EVENT_DELETE, sh->kind, old->v[0].s, project_of(sh, old->v));
}

int lc__index_lookup(lc__txn *t, const lc__index *ix, const char *const *parts, char *id_out, size_t id_sz)
{
	char key[KEY_MAX];
	size_t kl = key_from_parts(ix, parts, key);
	MDB_val v;
	int rc;

	if (kl == 0)
		return LC_ENOTFOUND;
	rc = lc__txn_get(t, ix->db, key, kl, &v);
	if (rc < 0)
		return rc;
	if (v.mv_size + 1 > id_sz)
		return lc__error_set(LC_ECORRUPT, "index %s holds an over-long id", ix->db->name);
	memcpy(id_out, v.mv_data, v.mv_size);
	id_out[v.mv_size] = '\0';
	return 0;
}

int lc__index_any(lc__txn *t, const lc__index *ix, const char *const *parts)
{
	char key[KEY_MAX];
	size_t kl = key_from_parts(ix, parts, key);
	MDB_val v;
	int rc;

	if (kl == 0)
		return 0;
	rc = lc__txn_get(t, ix->db, key, kl, &v);
	return rc == LC_ENOTFOUND ? 0 : rc < 0 ? rc : 1;
}

/*
 * Visit the ids stored under key (kl bytes): its duplicates, or with prefix
 * set, every key that starts with it.
 */
static int each_id(lc__txn *t, const lc__index *ix, const char *key, size_t kl, int prefix,
		   int (*fn)(lc__txn *t, const char *id, void *p), void *p)
{
	char id[KEY_MAX + 1];
	MDB_cursor *cur;
	MDB_val k = { kl, (void *)key }, v;
	MDB_cursor_op first = prefix ? MDB_SET_RANGE : MDB_SET, next = prefix ? MDB_NEXT : MDB_NEXT_DUP;
	int rc, ret = 0;

	rc = mdb_cursor_open(t->txn, lc__store_dbi(t->st, ix->db), &cur);
	if (rc)
		return lc__txn_error(t, rc, ix->db->name);
	for (rc = mdb_cursor_get(cur, &k, &v, first); rc == 0; rc = mdb_cursor_get(cur, &k, &v, next)) {
		if (prefix && (k.mv_size < kl || memcmp(k.mv_data, key, kl) != 0))
			break;
		if (v.mv_size > KEY_MAX) {
			ret = lc__error_set(LC_ECORRUPT, "index %s holds an over-long id", ix->db->name);
			break;
		}
		memcpy(id, v.mv_data, v.mv_size);
		id[v.mv_size] = '\0';
		ret = fn(t, id, p);
		if (ret)
			break;
	}
	mdb_cursor_close(cur);
	if (ret == 0 && rc != 0 && rc != MDB_NOTFOUND)
		ret = lc__txn_error(t, rc, ix->db->name);
	return ret;
}

int lc__index_each_prefix(lc__txn *t, const lc__index *ix, const char *const *parts, int nparts,
			  int (*fn)(lc__txn *t, const char *id, void *p), void *p)
{
	lc__index head = *ix;
	char key[KEY_MAX];
	size_t kl;

	if (nparts < 1 || nparts > ix->nfields)
		return lc__error_set(LC_EINVALID, "index %s has no prefix of %d fields", ix->db->name, nparts);
	head.nfields = (uint8_t)nparts;
	kl = key_from_parts(&head, parts, key);
	if (kl == 0 || kl + 1 > KEY_MAX)
		return 0;
	if (nparts < ix->nfields)
		key[kl++] = '\0'; /* the separator: "a" does not match "ab\0..." */
	return each_id(t, ix, key, kl, 1, fn, p);
}

int lc__index_each(lc__txn *t, const lc__index *ix, const char *const *parts,
		   int (*fn)(lc__txn *t, const char *id, void *p), void *p)
{
	char key[KEY_MAX];
	size_t kl = key_from_parts(ix, parts, key);

	return kl == 0 ? 0 : each_id(t, ix, key, kl, 0, fn, p);
}
