/* Key pairs: generated and imported with OpenSSL, fingerprinted as Nova, per user, under quota. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctest.h"

TestSuite(keypairs, .init = ct_setup, .fini = ct_teardown, .timeout = 60);

#define ED25519 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMI4gTLN+g58TVvmB15ToCeq9+dClPKLgfRwZhwPDZCv test@host"
#define RSA2048                                                                                                    \
	"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCoq+7zZS+Vyei0MLT+c/NrNrbcmD4tylhxo7t81XMFrWSOGGf3OmbTyHN1e6TJEIKJB" \
	"PHI97r16a8XCTvLgCiKn9SgFLMhPwTQ/m49tWIK+RCbJJZtchjBiHU6UplKplEHh16HZavjLjftc6RH4zUdhqjOIuUiTMDTYE3Nwr60GM"  \
	"KfZMLF5DHQFkjpCMHfnxLbOr6SQChwJKGAVBdct6ga64LrTDu6//eksgdBsMT13CGEY83VIL2uWSbHGJzX4KXUT0iia4uOGOC9WYC9uCSp" \
	"JS3JDxmD8dhIBs79BfbEqVUTTlQLoYH+psiYABfSGHoy273bqDNgDGB/CBi4Brod rsa@host"
#define ECDSA                                                                                                      \
	"ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFH7bVfb/8Qp7Ofpj8cAGjalVF07jpHKM4" \
	"haS/aYl68lM6jR4rtpQp/waDLhMzyRi9cjS0qhSaonkeL6VGLJcPY= ec"
#define RSA1024                                                                                                    \
	"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCtjqx0QqzTdl9nzmWuyRe6pFcraUluG1Jeqs1wJZ44hQQDpWyLXzxidAu/gnU4SIovE7" \
	"gO8bE7r9ScoPmLlKgilZvFvfP/b6fN3Stkg2Ma1Meqs/vBS8Arrer7JnUMjOW2BH0XQdQ/CXhFbpsBL9hh+IzK5GmUb+AVTjoZoMhI+Q== " \
	"root@vm"

static int import(lc_keypair **out, lc_session *s, const char *name, const char *key)
{
	lc_keypair_opts o = LC_KEYPAIR_OPTS_INIT;

	o.name = name;
	o.public_key = key;
	return lc_keypair_create(out, s, &o);
}

static int count(lc_session *s)
{
	lc_keypair_iter *it;
	lc_keypair *k;
	int n = 0;

	cr_assert_eq(lc_keypair_iter_new(&it, s, NULL), 0);
	while (lc_keypair_iter_next(&k, it) == 0) {
		n++;
		lc_keypair_free(k);
	}
	lc_keypair_iter_free(it);
	return n;
}

Test(keypairs, imported_keys_get_novas_md5_fingerprint)
{
	lc_keypair *k;

	cr_assert_eq(import(&k, ct_alice, "ed", ED25519), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_keypair_fingerprint(k), "97:97:b3:71:cb:d1:34:ab:ea:9b:7d:c6:56:9b:a5:b7");
	cr_assert_str_eq(lc_keypair_public_key(k), ED25519);
	cr_assert_str_eq(lc_keypair_type(k), "ssh");
	cr_assert_null(lc_keypair_private_key(k));
	lc_keypair_free(k);
	cr_assert_eq(import(&k, ct_alice, "rsa", RSA2048), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_keypair_fingerprint(k), "ae:92:33:4e:9a:fd:21:20:78:21:fc:c3:91:ae:ed:e8");
	lc_keypair_free(k);
	cr_assert_eq(import(&k, ct_alice, "ec", ECDSA), 0, "%s", lc_error_last()->message);
	cr_assert_str_eq(lc_keypair_fingerprint(k), "da:27:3c:5f:92:38:ef:af:7f:84:2e:21:54:da:3d:a7");
	lc_keypair_free(k);
	cr_assert_eq(count(ct_alice), 3);
}

Test(keypairs, weak_or_malformed_keys_are_rejected_and_change_nothing)
{
	char tampered[] = ED25519;

	cr_assert_eq(import(NULL, ct_alice, "weak", RSA1024), LC_EINVALID);
	cr_assert(strstr(lc_error_last()->message, "2048") != NULL, "%s", lc_error_last()->message);
	cr_assert_eq(import(NULL, ct_alice, "junk", "ssh-rsa notbase64!!"), LC_EINVALID);
	cr_assert_eq(import(NULL, ct_alice, "dsa", "ssh-dss AAAAB3NzaC1kc3MAAACBAP"), LC_EINVALID);
	cr_assert_eq(import(NULL, ct_alice, "empty", ""), LC_EINVALID);
	/* the data says rsa, the line says ed25519 */
	cr_assert_eq(import(NULL, ct_alice, "mix", "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAAAgQCtjqx0"), LC_EINVALID);
	tampered[strlen("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI")] = 'Z';
	cr_assert_eq(import(NULL, ct_alice, "bad", tampered), LC_EINVALID, "truncated/changed blob");
	cr_assert_eq(import(NULL, ct_alice, "bad name!", ED25519), LC_EINVALID);
	cr_assert_eq(import(NULL, ct_alice, "   ", ED25519), LC_EINVALID);
	cr_assert_eq(count(ct_alice), 0);
	cr_assert_eq(ct_used(ct_demo, LC_QUOTA_KEY_PAIRS), 0);
}

Test(keypairs, generated_key_pairs_return_the_private_key_once)
{
	lc_keypair_opts o = LC_KEYPAIR_OPTS_INIT;
	lc_keypair *k, *g;

	o.name = "gen";
	cr_assert_eq(lc_keypair_create(&k, ct_alice, &o), 0, "%s", lc_error_last()->message);
	cr_assert(strncmp(lc_keypair_public_key(k), "ssh-rsa AAAA", 12) == 0);
	cr_assert(strstr(lc_keypair_private_key(k), "BEGIN RSA PRIVATE KEY") != NULL);
	cr_assert_eq(strlen(lc_keypair_fingerprint(k)), 47);
	cr_assert_eq(lc_keypair_find(&g, ct_alice, NULL, "gen"), 0);
	cr_assert_null(lc_keypair_private_key(g), "never stored");
	cr_assert_str_eq(lc_keypair_fingerprint(g), lc_keypair_fingerprint(k));
	lc_keypair_free(g);
	/* and what was generated imports as a valid key */
	cr_assert_eq(import(NULL, ct_alice, "again", lc_keypair_public_key(k)), 0, "%s", lc_error_last()->message);
	lc_keypair_free(k);
	o.name = "gen2";
	o.algorithm = "ed25519";
	cr_assert_eq(lc_keypair_create(&k, ct_alice, &o), 0);
	cr_assert(strncmp(lc_keypair_public_key(k), "ssh-ed25519 AAAA", 16) == 0);
	cr_assert(strstr(lc_keypair_private_key(k), "BEGIN PRIVATE KEY") != NULL);
	lc_keypair_free(k);
	o.name = "gen3";
	o.algorithm = "dsa";
	cr_assert_eq(lc_keypair_create(NULL, ct_alice, &o), LC_EINVALID);
	o.algorithm = NULL;
	o.type = "x509";
	cr_assert_eq(lc_keypair_create(NULL, ct_alice, &o), LC_ENOTSUPPORTED);
}

Test(keypairs, key_pairs_belong_to_their_user)
{
	lc_keypair *k = NULL;
	const char *f[] = { "user_id", NULL, NULL };
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_keypair_iter *it;

	cr_assert_eq(import(NULL, ct_alice, "mine", ED25519), 0);
	cr_assert_eq(import(NULL, ct_alice, "mine", ED25519), LC_EEXISTS);
	cr_assert_eq(import(NULL, ct_carol, "mine", ED25519), 0, "names are per user");
	cr_assert_eq(count(ct_alice), 1);
	cr_assert_eq(count(ct_carol), 1);
	cr_assert_eq(lc_keypair_find(&k, ct_carol, lc_session_user_id(ct_alice), "mine"), LC_ENOTFOUND);
	cr_assert_eq(lc_keypair_delete(ct_carol, lc_session_user_id(ct_alice), "mine", 0), LC_ENOTFOUND);
	f[1] = lc_session_user_id(ct_alice);
	lo.filters = f;
	cr_assert_eq(lc_keypair_iter_new(&it, ct_carol, &lo), LC_EFORBIDDEN);
	cr_assert_eq(lc_keypair_iter_new(&it, ct_admin, &lo), 0, "an admin may list another user's");
	cr_assert_eq(lc_keypair_iter_next(&k, it), 0);
	cr_assert_str_eq(lc_keypair_name(k), "mine");
	lc_keypair_free(k);
	lc_keypair_iter_free(it);
	cr_assert_eq(lc_keypair_delete(ct_alice, NULL, "mine", 0), 0);
	cr_assert_eq(lc_keypair_delete(ct_alice, NULL, "mine", 0), LC_ENOTFOUND);
	cr_assert_eq(count(ct_alice), 0);
	cr_assert_eq(count(ct_carol), 1);
}

Test(keypairs, the_key_pairs_quota_counts_per_user)
{
	const char *uid = lc_session_user_id(ct_alice);
	int64_t limit = 0, used = 0;
	char name[16];

	cr_assert_eq(lc_quota_set(ct_admin, NULL, LC_QUOTA_KEY_PAIRS, 2), 0, "%s", lc_error_last()->message);
	cr_assert_eq(import(NULL, ct_alice, "a", ED25519), 0);
	cr_assert_eq(import(NULL, ct_alice, "b", ED25519), 0);
	cr_assert_eq(import(NULL, ct_alice, "c", ED25519), LC_EQUOTA);
	cr_assert(strstr(lc_error_last()->message, "key_pairs") != NULL);
	cr_assert_eq(import(NULL, ct_carol, "c", ED25519), 0, "another user has its own count");
	cr_assert_eq(lc_keypair_delete(ct_alice, NULL, "a", 0), 0);
	cr_assert_eq(import(NULL, ct_alice, "c", ED25519), 0);
	(void)uid;
	(void)limit;
	(void)used;
	(void)name;
}

Test(keypairs, listing_pages_by_name)
{
	lc_list_opts lo = LC_LIST_OPTS_INIT;
	lc_keypair_iter *it;
	lc_keypair *k;

	cr_assert_eq(import(NULL, ct_alice, "k1", ED25519), 0);
	cr_assert_eq(import(NULL, ct_alice, "k2", ED25519), 0);
	cr_assert_eq(import(NULL, ct_alice, "k3", ED25519), 0);
	lo.marker = "k1";
	lo.limit = 1;
	cr_assert_eq(lc_keypair_iter_new(&it, ct_alice, &lo), 0);
	cr_assert_eq(lc_keypair_iter_next(&k, it), 0);
	cr_assert_str_eq(lc_keypair_name(k), "k2");
	lc_keypair_free(k);
	cr_assert_eq(lc_keypair_iter_next(&k, it), LC_ITEROVER);
	lc_keypair_iter_free(it);
	lo.marker = "nope";
	cr_assert_eq(lc_keypair_iter_new(&it, ct_alice, &lo), LC_EINVALID);
}
