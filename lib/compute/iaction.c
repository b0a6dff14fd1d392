/* The instance action log: one entry per operation on a server, written in its transactions. */
#include <libcloud/server.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compute/compute.h"
#include "core/error.h"
#include "core/policy.h"
#include "core/resource.h"

struct lc_instance_action {
	lc__rec rec;
};

struct lc_instance_action_iter {
	lc__rec **items;
	size_t n, i;
};

int lc__iaction_start(lc__txn *t, const lc_session *s, const lc__rec *server, const char *action,
		      const char *request_id)
{
	lc__draft d;

	lc__draft_new(&d, &lc__iaction_shape);
	lc__draft_set_str(&d, IA_SERVER, lc__rec_str(server, SRV_ID));
	lc__draft_set_str(&d, IA_PROJECT, lc__rec_str(server, SRV_PROJECT));
	if (s && !s->system && s->user_id[0])
		lc__draft_set_str(&d, IA_USER, s->user_id);
	lc__draft_set_str(&d, IA_ACTION, action);
	lc__draft_set_str(&d, IA_REQUEST, request_id);
	lc__draft_set_int(&d, IA_START, lc__now_us());
	return lc__rec_insert(t, &lc__iaction_shape, d.v);
}

int lc__iaction_finish(lc__txn *t, const char *server_id, const char *request_id, int ok, const char *message)
{
	char id[LC__ID_TEXT + 1];
	const char *parts[] = { server_id, request_id };
	lc__rec *r;
	lc__val v[LC__MAX_FIELDS];
	int rc = lc__index_lookup(t, &lc__iaction_shape.indexes[IA_IX_REQUEST], parts, id, sizeof(id));

	if (rc == LC_ENOTFOUND)
		return 0; /* the server went away with its log */
	LC_TRY(rc);
	LC_TRY(lc__rec_load(t, &lc__iaction_shape, id, &r));
	lc__rec_values(r, v);
	lc__val_int(&v[IA_FINISH], lc__now_us());
	lc__val_str(&v[IA_RESULT], ok ? "Success" : "Error");
	if (message) {
		char msg[4097];

		snprintf(msg, sizeof(msg), "%s", message);
		lc__val_str(&v[IA_MESSAGE], msg);
		rc = lc__rec_update(t, r, v);
	} else {
		rc = lc__rec_update(t, r, v);
	}
	lc__rec_free(r);
	return rc;
}

struct close_ctx {
	int ok;
	const char *message;
};

static int close_one(lc__txn *t, const char *id, void *p)
{
	struct close_ctx *c = p;
	lc__rec *r;
	int rc = lc__rec_load(t, &lc__iaction_shape, id, &r);

	if (rc == 0 && !lc__rec_set(r, IA_FINISH))
		rc = lc__iaction_finish(t, lc__rec_str(r, IA_SERVER), lc__rec_str(r, IA_REQUEST), c->ok, c->message);
	lc__rec_free(r);
	return rc;
}

int lc__iaction_close_open(lc__txn *t, const char *server_id, int ok, const char *message)
{
	const char *parts[] = { server_id };
	struct close_ctx c = { ok, message };

	return lc__index_each_prefix(t, &lc__iaction_shape.indexes[IA_IX_REQUEST], parts, 1, close_one, &c);
}

static int first_id(lc__txn *t, const char *id, void *p)
{
	(void)t;
	snprintf(p, LC__ID_TEXT + 1, "%s", id);
	return 1;
}

int lc__iaction_purge(lc__txn *t, const char *server_id)
{
	const char *parts[] = { server_id };

	for (;;) {
		char id[LC__ID_TEXT + 1];
		lc__rec *r;
		int rc = lc__index_each_prefix(t, &lc__iaction_shape.indexes[IA_IX_REQUEST], parts, 1, first_id, id);

		if (rc == 0)
			return 0; /* none left */
		if (rc < 0)
			return rc;
		LC_TRY(lc__rec_load(t, &lc__iaction_shape, id, &r));
		rc = lc__rec_delete(t, r);
		lc__rec_free(r);
		LC_TRY(rc);
	}
}

/* The server must be visible to the caller (else LC_ENOTFOUND). */
static int check_server(lc__txn *t, lc_session *s, const char *server_id, char key[LC__ID_TEXT])
{
	lc__rec *srv;

	if (lc__id_canon("server_id", server_id, key) < 0)
		return lc__error_set(LC_ENOTFOUND, "server %.64s not found", server_id ? server_id : "");
	LC_TRY(lc__server_load(t, s, key, "compute:list_instance_actions", &srv));
	lc__rec_free(srv);
	return 0;
}

LC_EXTERN int lc_instance_action_get(lc_instance_action **out, lc_session *s, const char *server_id,
				     const char *request_id)
{
	char key[LC__ID_TEXT], id[LC__ID_TEXT + 1];
	lc__rec *r = NULL;
	lc__txn t;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_NOTNULL(request_id);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = check_server(&t, s, server_id, key);
	if (rc == 0) {
		const char *parts[] = { key, request_id };

		rc = strlen(request_id) > 64 ? LC_ENOTFOUND
		     : lc__index_lookup(&t, &lc__iaction_shape.indexes[IA_IX_REQUEST], parts, id, sizeof(id));
		if (rc == LC_ENOTFOUND)
			rc = lc__error_set(LC_ENOTFOUND, "action %.64s not found", request_id);
		if (rc == 0)
			rc = lc__rec_load(&t, &lc__iaction_shape, id, &r);
	}
	lc__store_read_end(&t);
	*out = (lc_instance_action *)r;
	return rc;
}

struct collect {
	lc_instance_action_iter *it;
	size_t cap;
};

static int collect_one(lc__txn *t, const char *id, void *p)
{
	struct collect *c = p;
	lc__rec *r;

	if (c->it->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		lc__rec **n = realloc(c->it->items, cap * sizeof(*n));

		if (n == NULL)
			return lc__error_set(LC_ENOMEM, "out of memory");
		c->it->items = n;
		c->cap = cap;
	}
	LC_TRY(lc__rec_load(t, &lc__iaction_shape, id, &r));
	c->it->items[c->it->n++] = r;
	return 0;
}

LC_EXTERN int lc_instance_action_iter_new(lc_instance_action_iter **out, lc_session *s, const char *server_id)
{
	char key[LC__ID_TEXT];
	struct collect c = { NULL, 0 };
	lc__txn t;
	int rc;

	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_TRY(lc__session_check(s));
	c.it = calloc(1, sizeof(*c.it));
	if (c.it == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	rc = lc__store_read(lc__session_store(s), &t);
	if (rc == 0) {
		rc = check_server(&t, s, server_id, key);
		if (rc == 0) {
			const char *parts[] = { key };

			/* keys are (server, request id); request ids are time-ordered: oldest first */
			rc = lc__index_each_prefix(&t, &lc__iaction_shape.indexes[IA_IX_REQUEST], parts, 1,
						   collect_one, &c);
		}
		lc__store_read_end(&t);
	}
	if (rc < 0) {
		lc_instance_action_iter_free(c.it);
		return rc;
	}
	*out = c.it;
	return 0;
}

LC_EXTERN int lc_instance_action_iter_next(lc_instance_action **out, lc_instance_action_iter *it)
{
	lc__error_clear();
	LC_CHECK_NOTNULL(out);
	*out = NULL;
	LC_CHECK_NOTNULL(it);
	if (it->i >= it->n)
		return LC_ITEROVER;
	*out = (lc_instance_action *)it->items[it->i];
	it->items[it->i++] = NULL;
	return 0;
}

LC_EXTERN void lc_instance_action_iter_free(lc_instance_action_iter *it)
{
	if (it == NULL)
		return;
	for (size_t i = it->i; i < it->n; i++)
		lc__rec_free(it->items[i]);
	free(it->items);
	free(it);
}

LC__RESOURCE_STR(instance_action, action, IA_ACTION)
LC__RESOURCE_STR(instance_action, server_id, IA_SERVER)
LC__RESOURCE_STR(instance_action, request_id, IA_REQUEST)
LC__RESOURCE_STR(instance_action, user_id, IA_USER)
LC__RESOURCE_STR(instance_action, project_id, IA_PROJECT)
LC__RESOURCE_STR(instance_action, result, IA_RESULT)
LC__RESOURCE_STR(instance_action, message, IA_MESSAGE)

LC_EXTERN int64_t lc_instance_action_start_time(const lc_instance_action *a)
{
	return a ? lc__rec_int(&a->rec, IA_START) : 0;
}

LC_EXTERN int64_t lc_instance_action_finish_time(const lc_instance_action *a)
{
	return a ? lc__rec_int(&a->rec, IA_FINISH) : 0;
}

LC_EXTERN void lc_instance_action_free(lc_instance_action *a)
{
	lc__rec_free(a ? &a->rec : NULL);
}
