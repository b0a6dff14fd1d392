/* Validated tokens, remembered with the store state they were checked against. */
#include "identity/token_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define SLOTS 1024
#define STRIPES 16

struct entry {
	uint8_t audit[16];
	uint64_t txnid; /* 0: empty */
	int scope;
	unsigned int rolebits;
	char user_id[LC__ID_TEXT];
	char user_domain_id[LC__ID_TEXT];
	char project_id[LC__ID_TEXT];
	char domain_id[LC__ID_TEXT];
	size_t nroles;
	struct lc__session_role *roles;
};

struct lc__token_cache {
	pthread_mutex_t locks[STRIPES];
	struct entry slots[SLOTS];
};

int lc__token_cache_new(lc__token_cache **out)
{
	lc__token_cache *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (c == NULL)
		return lc__error_set(LC_ENOMEM, "out of memory");
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_init(&c->locks[i], NULL);
	*out = c;
	return 0;
}

void lc__token_cache_free(lc__token_cache *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < SLOTS; i++)
		free(c->slots[i].roles);
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&c->locks[i]);
	free(c);
}

/* Audit ids are random bytes: any two of them make a good slot number. */
static size_t slot_of(const uint8_t audit[16])
{
	return ((size_t)audit[0] | (size_t)audit[1] << 8) % SLOTS;
}

static const char *scope_id_of(const struct entry *e)
{
	return e->scope == LC_SCOPE_PROJECT ? e->project_id : e->scope == LC_SCOPE_DOMAIN ? e->domain_id : "";
}

int lc__token_cache_get(lc__token_cache *c, const uint8_t audit[16], uint64_t txnid, const char *user_id,
			const char *scope_id, lc_session *s)
{
	size_t i = slot_of(audit);
	pthread_mutex_t *lock = &c->locks[i % STRIPES];
	struct entry *e = &c->slots[i];
	int rc = 0;

	pthread_mutex_lock(lock);
	if (e->txnid == txnid && txnid != 0 && memcmp(e->audit, audit, 16) == 0 &&
	    strcmp(e->user_id, user_id) == 0 && strcmp(scope_id_of(e), scope_id) == 0) {
		struct lc__session_role *roles = NULL;

		if (e->nroles && (roles = malloc(e->nroles * sizeof(*roles))) == NULL) {
			rc = lc__error_set(LC_ENOMEM, "out of memory");
		} else {
			if (e->nroles)
				memcpy(roles, e->roles, e->nroles * sizeof(*roles));
			s->scope = e->scope;
			s->rolebits = e->rolebits;
			memcpy(s->user_id, e->user_id, sizeof(s->user_id));
			memcpy(s->user_domain_id, e->user_domain_id, sizeof(s->user_domain_id));
			memcpy(s->project_id, e->project_id, sizeof(s->project_id));
			memcpy(s->domain_id, e->domain_id, sizeof(s->domain_id));
			s->roles = roles;
			s->nroles = e->nroles;
			rc = 1;
		}
	}
	pthread_mutex_unlock(lock);
	return rc;
}

void lc__token_cache_put(lc__token_cache *c, const uint8_t audit[16], uint64_t txnid, const lc_session *s)
{
	size_t i = slot_of(audit);
	pthread_mutex_t *lock = &c->locks[i % STRIPES];
	struct entry *e = &c->slots[i];
	struct lc__session_role *roles = NULL;

	if (s->nroles && (roles = malloc(s->nroles * sizeof(*roles))) == NULL)
		return; /* a cache: nothing lost */
	if (s->nroles)
		memcpy(roles, s->roles, s->nroles * sizeof(*roles));
	pthread_mutex_lock(lock);
	free(e->roles);
	memcpy(e->audit, audit, 16);
	e->txnid = txnid;
	e->scope = s->scope;
	e->rolebits = s->rolebits;
	memcpy(e->user_id, s->user_id, sizeof(e->user_id));
	memcpy(e->user_domain_id, s->user_domain_id, sizeof(e->user_domain_id));
	memcpy(e->project_id, s->project_id, sizeof(e->project_id));
	memcpy(e->domain_id, s->domain_id, sizeof(e->domain_id));
	e->roles = roles;
	e->nroles = s->nroles;
	pthread_mutex_unlock(lock);
}
