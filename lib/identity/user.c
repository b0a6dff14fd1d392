/* Users: principals that authenticate with a password. */
#include <libcloud/user.h>

#include <libcloud/domain.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/policy.h"
#include "core/resource.h"
#include "core/session.h"
#include "identity/identity.h"

/* A non-admin sees itself only. */
static int user_visible(lc__txn *t, const lc_session *s, const lc__rec *r, void *p)
{
	(void)t;
	(void)p;
	return lc__session_is_admin(s) || strcmp(lc__rec_str(r, USR_ID), s->user_id) == 0;
}

LC__RESOURCE_READERS(user, lc__user_shape, "identity:get_user", "identity:list_users", user_visible)
LC__RESOURCE_STR(user, id, USR_ID)
LC__RESOURCE_STR(user, name, USR_NAME)
LC__RESOURCE_STR(user, domain_id, USR_DOMAIN)
LC__RESOURCE_STR(user, default_project_id, USR_DEFAULT_PROJECT)
LC__RESOURCE_TEXT(user, description, USR_DESCRIPTION)
LC__RESOURCE_BOOL(user, enabled, USR_ENABLED)

LC__OPTS_INIT_FN(lc_user_opts_init, lc_user_opts, LC_USER_OPTS_INIT, LC_USER_OPTS_VERSION)

/* Caller input plus the password hash, computed before any transaction. */
struct user_input {
	const lc_user_opts *opts;
	char hash[LC__PWHASH_MAX];
	int has_hash;
};

static int prepare(struct user_input *in, lc_session *s, const lc_user_opts *opts)
{
	memset(in, 0, sizeof(*in));
	in->opts = opts;
	LC_TRY(lc__session_check(s));
	if (opts->password == NULL)
		return 0;
	if (strnlen(opts->password, LC_PASSWORD_MAX + 1) > LC_PASSWORD_MAX)
		return lc__error_set(LC_EINVALID, "password is longer than %d bytes", LC_PASSWORD_MAX);
	LC_TRY(lc__password_hash(opts->password, lc__identity_of(s->cloud)->pwhash_strength, in->hash));
	in->has_hash = 1;
	return 0;
}

static int apply_opts(lc__draft *d, struct user_input *in, int update)
{
	const lc_user_opts *o = in->opts;

	LC_TRY(lc__draft_text(d, USR_NAME, o->name, update));
	LC_TRY(lc__draft_text(d, USR_DOMAIN, o->domain_id, update));
	LC_TRY(lc__draft_text(d, USR_DEFAULT_PROJECT, o->default_project_id, update));
	LC_TRY(lc__draft_text(d, USR_DESCRIPTION, o->description, update));
	LC_TRY(lc__draft_bool(d, USR_ENABLED, o->enabled, update));
	if (in->has_hash)
		lc__draft_set_str(d, USR_PASSWORD, in->hash);
	return 0;
}

static int check_refs(lc__txn *t, lc__draft *d)
{
	if (d->v[USR_DEFAULT_PROJECT].set)
		LC_TRY(lc__identity_require(t, &lc__project_shape, d->v[USR_DEFAULT_PROJECT].s));
	return 0;
}

static int user_check(lc__txn *t, lc__draft *d, void *p)
{
	(void)p;
	LC_TRY(lc__identity_require(t, &lc__domain_shape, d->v[USR_DOMAIN].s));
	return check_refs(t, d);
}

LC_EXTERN int lc_user_create(lc_user **out, lc_session *s, const lc_user_opts *opts)
{
	struct user_input in;
	lc__draft d;
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION(opts, LC_USER_OPTS_VERSION);
	lc__draft_new(&d, &lc__user_shape);
	lc__val_bool(&d.v[USR_ENABLED], 1);
	lc__draft_set_str(&d, USR_DOMAIN, LC_DEFAULT_DOMAIN_ID);
	lc__draft_set_int(&d, USR_CREATED, lc__now_us());
	lc__draft_set_int(&d, USR_TOKENS_AFTER, 0);
	rc = apply_opts(&d, &(struct user_input){ .opts = opts }, 0); /* check input before hashing */
	if (rc == 0)
		rc = prepare(&in, s, opts);
	if (rc == 0)
		rc = apply_opts(&d, &in, 0);
	if (rc == 0)
		rc = lc__res_create(out ? &r : NULL, s, &d, "identity:create_user", NULL, user_check, NULL);
	sodium_memzero(in.hash, sizeof(in.hash));
	if (out)
		*out = (lc_user *)r;
	return rc;
}

/* Find within a domain (NULL: the Default domain). */
LC__RESOURCE_FIND(user, lc__user_shape, "identity:get_user", USR_IX_NAME, user_visible,
		  (const char *domain_id, const char *name),
		  char dom[LC__ID_TEXT];
		  LC_TRY(lc__id_canon("domain_id", domain_id ? domain_id : LC_DEFAULT_DOMAIN_ID, dom));,
		  dom, name)

static int user_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	struct user_input *in = p;

	(void)old;
	LC_TRY(apply_opts(d, in, 1));
	if (in->has_hash) /* a password reset ends the tokens issued before it, as in Keystone */
		lc__draft_set_int(d, USR_TOKENS_AFTER, lc__now_us());
	return check_refs(t, d);
}

LC_EXTERN int lc_user_update(lc_user **out, lc_session *s, const char *id, const lc_user_opts *opts)
{
	struct user_input in;
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	if (out)
		*out = NULL;
	LC_CHECK_NOTNULL(opts);
	LC_CHECK_VERSION(opts, LC_USER_OPTS_VERSION);
	LC_TRY(lc__session_check(s));
	LC_TRY(lc__policy_enforce(s, "identity:update_user", NULL, NULL));
	rc = prepare(&in, s, opts);
	if (rc == 0)
		rc = lc__res_update(out ? &r : NULL, s, &lc__user_shape, "identity:update_user", id, user_apply, &in);
	sodium_memzero(in.hash, sizeof(in.hash));
	if (out)
		*out = (lc_user *)r;
	return rc;
}

static int password_apply(lc__txn *t, lc__draft *d, const lc__rec *old, void *p)
{
	struct user_input *in = p;

	(void)t;
	(void)old;
	lc__draft_set_str(d, USR_PASSWORD, in->hash);
	/* Tokens issued before this instant stop validating (whole seconds, as tokens carry microseconds). */
	lc__draft_set_int(d, USR_TOKENS_AFTER, lc__now_us());
	return 0;
}

LC_EXTERN int lc_user_change_password(lc_session *s, const char *id, const char *original_password,
				      const char *new_password)
{
	char key[LC__ID_TEXT];
	char stored[LC__PWHASH_MAX] = "";
	lc_user_opts opts = LC_USER_OPTS_INIT;
	struct user_input in;
	lc__txn t;
	lc__rec *r = NULL;
	int rc;

	lc__error_clear();
	LC_TRY(lc__session_check(s));
	LC_CHECK_NOTNULL(original_password);
	LC_CHECK_NOTNULL(new_password);
	LC_TRY(lc__id_canon("id", id, key));
	LC_TRY(lc__policy_enforce(s, "identity:change_password", NULL, key));
	if (s->system || strcmp(s->user_id, key) != 0)
		return lc__error_set(LC_EFORBIDDEN, "only the user itself changes its password this way");
	LC_TRY(lc__store_read(lc__session_store(s), &t));
	rc = lc__rec_load(&t, &lc__user_shape, key, &r);
	if (rc == 0 && lc__rec_str(r, USR_PASSWORD))
		snprintf(stored, sizeof(stored), "%s", lc__rec_str(r, USR_PASSWORD));
	lc__rec_free(r);
	lc__store_read_end(&t);
	LC_TRY(rc);
	rc = lc__password_verify(stored[0] ? stored : NULL, original_password,
				 lc__identity_of(s->cloud)->dummy_hash);
	sodium_memzero(stored, sizeof(stored));
	LC_TRY(rc);
	opts.password = new_password;
	rc = prepare(&in, s, &opts);
	if (rc == 0)
		rc = lc__res_update(NULL, s, &lc__user_shape, "identity:change_password", key, password_apply, &in);
	sodium_memzero(in.hash, sizeof(in.hash));
	return rc;
}

static int user_predelete(lc__txn *t, const lc__rec *old, void *p)
{
	(void)p;
	return lc__assignment_purge(t, lc__rec_str(old, USR_ID), NULL, NULL, NULL);
}

LC_EXTERN int lc_user_delete(lc_session *s, const char *id, unsigned int flags)
{
	lc__error_clear();
	return lc__res_delete(s, &lc__user_shape, "identity:delete_user", id, flags, user_predelete, NULL);
}
