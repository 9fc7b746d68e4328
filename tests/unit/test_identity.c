// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Node IDs bound to keys (issue 11 item 1; daemon/identity.c): the
 * derivation against a fixed vector computed with the openssl CLI, and how
 * evpnd resolves its ID at start: from the key in an overlay (creating it,
 * migrating an older random node_id, refusing a configured ID that is not
 * the key's), unchanged for a node with static links only. The DTLS-side
 * check is in test_dtls.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <openssl/pem.h>

#include "config.h"
#include "identity.h"
#include "overlay.h"
#include "unit.h"

/*
 * docs/protocol.md "Node IDs", worked example. Expected value from
 *   openssl pkey -in key.pem -pubout -outform DER | sha256sum | cut -c1-32
 */
static const char VEC_KEY[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+0RFhZatazQBlLF1\n"
	"Ir4jqFlD+W/wFcGJ2gtO7PIx2+ChRANCAASL9izJa2v+lDZFyjhbzq7RXzPNZyVq\n"
	"fegKFn7xJJAhNkL+Z/Xz+JQfuQMo668Qu/ILDt5eBjJGuNVayRN+pqM+\n"
	"-----END PRIVATE KEY-----\n";
static const char VEC_ID[] = "63145ffa28ab43b88e73d987a7ac7901";

START_TEST(derivation_vector)
{
	BIO *b = BIO_new_mem_buf(VEC_KEY, -1);
	EVP_PKEY *key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	struct evpn_id id, want;

	ck_assert_ptr_nonnull(key);
	ck_assert_int_eq(evpn_id_from_hex(&want, VEC_ID), 0);
	ck_assert_int_eq(identity_key_node_id(key, &id), 0);
	ck_assert(evpn_id_eq(&id, &want));
	ck_assert_int_eq(identity_key_node_id(NULL, &id), -1);
	ck_assert_int_eq(identity_cert_node_id(NULL, &id), -1);
	EVP_PKEY_free(key);
	BIO_free(b);
}
END_TEST

/* A generated identity carries its key's ID (certificate and key agree, CN
 * is the ID), and two keys give two IDs. */
START_TEST(generated_identity)
{
	struct evpn_identity a, b;
	struct evpn_id id;
	char hex[EVPN_ID_HEXLEN + 1], cn[64];

	ck_assert_int_eq(identity_generate(&a, NULL), 0);
	ck_assert_int_eq(identity_generate(&b, NULL), 0);
	ck_assert_int_eq(identity_cert_node_id(a.cert, &id), 0);
	ck_assert(evpn_id_eq(&id, &a.node_id));
	ck_assert_int_eq(identity_key_node_id(a.key, &id), 0);
	ck_assert(evpn_id_eq(&id, &a.node_id));
	ck_assert(!evpn_id_eq(&a.node_id, &b.node_id));
	evpn_id_to_hex(&a.node_id, hex);
	ck_assert_int_gt(X509_NAME_get_text_by_NID(X509_get_subject_name(a.cert),
						   NID_commonName, cn, sizeof(cn)), 0);
	ck_assert_str_eq(cn, hex);
	identity_free(&a);
	identity_free(&b);
}
END_TEST

/* ---- cfg_resolve_node_id ---------------------------------------------- */

static char dir[] = "/tmp/evpn-idbind-XXXXXX";
static char state[64], idfile[96], pemfile[96];
static struct cfg_overlay ov;		/* only its presence matters */

static void setup(void)
{
	strcpy(dir, "/tmp/evpn-idbind-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(state, sizeof(state), "%s/state", dir);
	snprintf(idfile, sizeof(idfile), "%s/node_id", state);
	snprintf(pemfile, sizeof(pemfile), "%s/identity.pem", state);
	unsetenv("EVPND_TEST_CLAIM_ID");
}

static void teardown(void)
{
	unlink(idfile);
	unlink(pemfile);
	rmdir(state);
	rmdir(dir);
}

static void new_cfg(struct evpnd_config *c, bool overlay)
{
	cfg_init(c);
	g_strlcpy(c->state_dir, state, sizeof(c->state_dir));
	c->overlays = overlay ? &ov : NULL;
}

static void file_id(struct evpn_id *id)
{
	char *text = NULL;

	ck_assert(g_file_get_contents(idfile, &text, NULL, NULL));
	text[strcspn(text, "\n")] = 0;
	ck_assert_int_eq(evpn_id_from_hex(id, text), 0);
	g_free(text);
}

static void key_id(struct evpn_id *id)
{
	struct evpn_identity x;

	ck_assert_int_eq(identity_load_or_create(&x, state, NULL), 0);
	*id = x.node_id;
	identity_free(&x);
}

/* First start creates the key; the ID is the key's, persisted, stable. */
START_TEST(resolve_bound)
{
	struct evpnd_config c;
	struct evpn_id k, f, first;

	new_cfg(&c, true);
	ck_assert_int_eq(cfg_resolve_node_id(&c), 0);
	ck_assert(c.has_node_id);
	key_id(&k);
	file_id(&f);
	ck_assert(evpn_id_eq(&c.node_id, &k));
	ck_assert(evpn_id_eq(&f, &k));
	first = c.node_id;
	new_cfg(&c, true);
	ck_assert_int_eq(cfg_resolve_node_id(&c), 0);
	ck_assert(evpn_id_eq(&c.node_id, &first));
}
END_TEST

/* A state directory from before: random node_id and a key. The node takes
 * its key's ID and rewrites node_id. */
START_TEST(resolve_migrates)
{
	struct evpnd_config c;
	struct evpn_id k, f;

	key_id(&k);		/* the older evpnd's identity.pem */
	ck_assert(g_file_set_contents(idfile, "0123456789abcdef0123456789abcdef\n",
				      -1, NULL));
	new_cfg(&c, true);
	ck_assert_int_eq(cfg_resolve_node_id(&c), 0);
	ck_assert(evpn_id_eq(&c.node_id, &k));
	file_id(&f);
	ck_assert(evpn_id_eq(&f, &k));
}
END_TEST

/* [node] id in an overlay: accepted only if it is the key's ID. */
START_TEST(resolve_configured)
{
	struct evpnd_config c;
	struct evpn_id k;

	key_id(&k);
	new_cfg(&c, true);
	c.has_node_id = true;
	ck_assert_int_eq(evpn_id_from_hex(&c.node_id,
					  "0000000000000000000000000000000a"), 0);
	ck_assert_int_eq(cfg_resolve_node_id(&c), -1);
	new_cfg(&c, true);
	c.has_node_id = true;
	c.node_id = k;
	ck_assert_int_eq(cfg_resolve_node_id(&c), 0);
	ck_assert(evpn_id_eq(&c.node_id, &k));
}
END_TEST

/* Static links only: no key, the ID is configured or random (as before). */
START_TEST(resolve_static_only)
{
	struct evpnd_config c;
	struct evpn_id f;

	new_cfg(&c, false);
	ck_assert_int_eq(cfg_resolve_node_id(&c), 0);
	file_id(&f);
	ck_assert(evpn_id_eq(&c.node_id, &f));
	ck_assert(!g_file_test(pemfile, G_FILE_TEST_EXISTS));
	new_cfg(&c, false);
	c.has_node_id = true;
	ck_assert_int_eq(evpn_id_from_hex(&c.node_id,
					  "4a000000000000000000000000000001"), 0);
	ck_assert_int_eq(cfg_resolve_node_id(&c), 0);
	ck_assert(!evpn_id_eq(&c.node_id, &f));
}
END_TEST

/* The test hook a netns test uses to play a lying node. */
START_TEST(resolve_test_claim)
{
	struct evpnd_config c;
	struct evpn_id want, k;

	ck_assert_int_eq(evpn_id_from_hex(&want, "7e570000000000000000000000000001"), 0);
	setenv("EVPND_TEST_CLAIM_ID", "7e570000000000000000000000000001", 1);
	new_cfg(&c, true);
	ck_assert_int_eq(cfg_resolve_node_id(&c), 0);
	unsetenv("EVPND_TEST_CLAIM_ID");
	key_id(&k);
	ck_assert(evpn_id_eq(&c.node_id, &want));
	ck_assert(!evpn_id_eq(&k, &want));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("identity");
	TCase *tc = tcase_create("idbind");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, derivation_vector);
	tcase_add_test(tc, generated_identity);
	tcase_add_test(tc, resolve_bound);
	tcase_add_test(tc, resolve_migrates);
	tcase_add_test(tc, resolve_configured);
	tcase_add_test(tc, resolve_static_only);
	tcase_add_test(tc, resolve_test_claim);
	suite_add_tcase(s, tc);
	return unit_run(s, false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
