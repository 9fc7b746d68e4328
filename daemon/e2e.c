// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * End-to-end pair keys: per-run X25519 announced in signed presence, or
 * pre-shared per pair; derived here and installed into the datapath
 * (see e2e.h, docs/protocol.md section 14).
 */
#include <string.h>
#include <time.h>

#include <glib.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "e2e.h"
#include "x25519.h"
#include "statickeys.h"

_Static_assert(SIG_E2E_PUB_LEN == EVPN_X25519_LEN, "an X25519 public key");


static struct dp *e2e_dp;
static EVP_PKEY *eph;			/* this run's X25519 key */
static uint8_t eph_pub[SIG_E2E_PUB_LEN];
static GHashTable *by_jid;		/* member JID -> node ID it keyed */
/* node ID (hex) -> the public key its pair key was made with: the same
 * announcement again (any presence change) must not reinstall the same key,
 * which would restart its counter at 0 and reuse nonces */
static GHashTable *keyed;

void e2e_sig_msg(uint8_t out[E2E_SIG_MSG_LEN], const struct evpn_id *id,
		 const uint8_t pub[SIG_E2E_PUB_LEN])
{
	size_t l = sizeof(E2E_SIG_LABEL) - 1;

	memcpy(out, E2E_SIG_LABEL, l);
	evpn_id_to_bytes(id, out + l);
	memcpy(out + l + EVPN_ID_LEN, pub, SIG_E2E_PUB_LEN);
}

static int install(const struct evpn_id *peer,
		   const struct evpn_static_keys *k, uint64_t tx_counter)
{
	struct dp_e2e_key dk = { .tx_counter = tx_counter };
	char hex[EVPN_ID_HEXLEN + 1];
	int r;

	memcpy(dk.tx.key, k->tx.key, EVPN_KEY_LEN);
	memcpy(dk.tx.iv, k->tx.iv, EVPN_IV_LEN);
	dk.tx.key_id = k->tx_key_id;
	memcpy(dk.rx.key, k->rx.key, EVPN_KEY_LEN);
	memcpy(dk.rx.iv, k->rx.iv, EVPN_IV_LEN);
	dk.rx.key_id = k->rx_key_id;
	r = dp_e2e_set(e2e_dp, peer, &dk);
	OPENSSL_cleanse(&dk, sizeof(dk));
	evpn_id_to_hex(peer, hex);
	if (r)
		g_warning("e2e: pair key with %s not installed: %s", hex,
			  g_strerror(-r));
	else
		g_debug("e2e: pair key with %s installed", hex);
	return r;
}

/* Pre-shared pair keys survive restarts: start the counter at the wall
 * clock in ns, as static links do, so a restart never reuses a nonce. */
static uint64_t wallclock_counter(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int install_psk(const struct evpn_id *self, const struct cfg_link *l)
{
	struct evpn_static_keys k;
	int r;

	if (evpn_e2e_psk_keys_derive(l->psk, EVPN_PSK_LEN, self, &l->peer, &k))
		return -1;
	r = install(&l->peer, &k, wallclock_counter());
	OPENSSL_cleanse(&k, sizeof(k));
	return r;
}

int e2e_keygen(void)
{
	if (!eph)
		eph = evpn_x25519_new(eph_pub);
	if (!eph)
		g_warning("e2e: cannot make an X25519 key");
	return eph ? 0 : -1;
}

int e2e_start(struct dp *dp, const struct evpnd_config *cfg)
{
	const struct cfg_link *l;

	e2e_dp = dp;
	by_jid = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	keyed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	/* both datapaths hold pair keys (the kernel's: E2E_SET) */
	if (e2e_keygen())
		return -1;
	for (l = cfg->e2e; l; l = l->next)
		if (install_psk(dp_node_id(dp), l)) {
			g_warning("e2e %s: cannot install its pair key",
				  l->name);
			return -1;
		}
	return 0;
}

void e2e_stop(void)
{
	EVP_PKEY_free(eph);	/* OpenSSL cleanses the private key */
	eph = NULL;
	if (by_jid)
		g_hash_table_destroy(by_jid);
	if (keyed)
		g_hash_table_destroy(keyed);
	by_jid = keyed = NULL;
	e2e_dp = NULL;
}

int e2e_presence_fill(const struct evpn_identity *id, struct sig_presence *p)
{
	uint8_t msg[E2E_SIG_MSG_LEN], *der = NULL;
	EVP_MD_CTX *md;
	size_t n = sizeof(p->e2e_sig);
	int len, ret = -1;

	if (!eph)
		return -1;	/* no e2e layer: announce none */
	e2e_sig_msg(msg, &p->id, eph_pub);
	md = EVP_MD_CTX_new();
	if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL,
				      id->key) != 1 ||
	    EVP_DigestSign(md, p->e2e_sig, &n, msg, sizeof(msg)) != 1)
		goto out;
	len = i2d_PUBKEY(id->key, &der);
	if (len <= 0 || (size_t)len > sizeof(p->spki))
		goto out;
	memcpy(p->spki, der, len);
	p->spki_len = len;
	p->e2e_sig_len = n;
	memcpy(p->e2e_pub, eph_pub, sizeof(eph_pub));
	p->has_e2e = true;
	ret = 0;
out:
	if (ret)
		g_warning("e2e: cannot sign our e2e key");
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	return ret;
}

/*
 * The SubjectPublicKeyInfo of an uncompressed P-256 key (every identity's
 * key type, identity.c) is this fixed prefix and the 65-byte point: such a
 * key is imported directly (the point is checked to be on the curve), which
 * spares OpenSSL 3's decoder chain -- d2i_PUBKEY() and the re-encoding for
 * the ID cost about four times the signature check, for every member's
 * presence. Anything else goes through d2i_PUBKEY().
 */
static const uint8_t p256_spki[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
	0x42, 0x00,
};
#define P256_POINT_LEN	65

static EVP_PKEY *spki_p256(const uint8_t *d, size_t len)
{
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *key = NULL;

	if (len != sizeof(p256_spki) + P256_POINT_LEN ||
	    memcmp(d, p256_spki, sizeof(p256_spki)))
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						     "prime256v1", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
			(void *)(d + sizeof(p256_spki)), P256_POINT_LEN);
	params[2] = OSSL_PARAM_construct_end();
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	return key;
}

/* The announced key, and the node ID it hashes to (its SPKI as received:
 * for the P-256 form that is exactly what i2d_PUBKEY() would give). */
static EVP_PKEY *spki_key(const struct sig_presence *p, struct evpn_id *bound)
{
	const unsigned char *d = p->spki;
	EVP_PKEY *key = spki_p256(p->spki, p->spki_len);

	if (key) {
		if (!identity_spki_node_id(p->spki, p->spki_len, bound))
			return key;
		EVP_PKEY_free(key);
		return NULL;
	}
	key = d2i_PUBKEY(NULL, &d, (long)p->spki_len);
	if (key && (d != p->spki + p->spki_len ||
		    identity_key_node_id(key, bound))) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	return key;
}

bool e2e_presence_verify(const struct sig_presence *p)
{
	uint8_t msg[E2E_SIG_MSG_LEN];
	struct evpn_id bound;
	EVP_MD_CTX *md = NULL;
	EVP_PKEY *key;
	bool ok = false;

	if (!p->has_e2e)
		return false;
	key = spki_key(p, &bound);
	if (!key || !evpn_id_eq(&bound, &p->id))
		goto out;
	e2e_sig_msg(msg, &p->id, p->e2e_pub);
	md = EVP_MD_CTX_new();
	ok = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL,
					key) == 1 &&
	     EVP_DigestVerify(md, p->e2e_sig, p->e2e_sig_len, msg,
			      sizeof(msg)) == 1;
out:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	return ok;
}

static int install_dh(const struct evpn_id *peer,
		      const uint8_t peer_pub[SIG_E2E_PUB_LEN])
{
	const struct evpn_id *self = dp_node_id(e2e_dp);
	uint8_t shared[32], pubs[2 * SIG_E2E_PUB_LEN];
	struct evpn_static_keys k;
	bool self_lo = evpn_id_cmp(self, peer) < 0;
	int r = -1;

	if (evpn_x25519(eph, peer_pub, shared))
		return -1;
	memcpy(pubs, self_lo ? eph_pub : peer_pub, SIG_E2E_PUB_LEN);
	memcpy(pubs + SIG_E2E_PUB_LEN, self_lo ? peer_pub : eph_pub,
	       SIG_E2E_PUB_LEN);
	if (!evpn_pair_keys_derive(shared, sizeof(shared), EVPN_E2E_SALT,
				   EVPN_E2E_INFO_DH, pubs, sizeof(pubs), self,
				   peer, &k)) {
		/* fresh keys every run: counters start at 0 */
		r = install(peer, &k, 0);
		OPENSSL_cleanse(&k, sizeof(k));
	}
	OPENSSL_cleanse(shared, sizeof(shared));
	return r;
}

static void forget(const struct evpn_id *id)
{
	char hex[EVPN_ID_HEXLEN + 1];

	evpn_id_to_hex(id, hex);
	g_hash_table_remove(keyed, hex);
	dp_e2e_del(e2e_dp, id);
}

void e2e_member_up(const char *jid, const struct sig_presence *p)
{
	char hex[EVPN_ID_HEXLEN + 1];
	const uint8_t *have;
	struct evpn_id *old;

	if (!e2e_dp || evpn_id_eq(&p->id, dp_node_id(e2e_dp)))
		return;
	evpn_id_to_hex(&p->id, hex);
	if (!p->has_e2e) {
		g_message("e2e: %s (%s) announces no e2e key: relayed unicast "
			  "with it is dropped", jid, hex);
		return;
	}
	if (!e2e_presence_verify(p)) {
		g_warning("e2e: %s announces an e2e key for %s that is not "
			  "bound to that ID (ignored)", jid, hex);
		return;
	}
	old = g_hash_table_lookup(by_jid, jid);
	if (old && !evpn_id_eq(old, &p->id))
		forget(old);	/* the JID moved to a new ID */
	g_hash_table_replace(by_jid, g_strdup(jid),
			     g_memdup2(&p->id, sizeof(p->id)));
	have = g_hash_table_lookup(keyed, hex);
	if (have && !memcmp(have, p->e2e_pub, SIG_E2E_PUB_LEN))
		return;		/* this very key is installed */
	if (install_dh(&p->id, p->e2e_pub))
		return;
	g_hash_table_replace(keyed, g_strdup(hex),
			     g_memdup2(p->e2e_pub, SIG_E2E_PUB_LEN));
}

void e2e_member_removed(const char *jid)
{
	struct evpn_id *id;

	if (!by_jid)
		return;
	id = g_hash_table_lookup(by_jid, jid);
	if (!id)
		return;
	forget(id);
	g_hash_table_remove(by_jid, jid);
}
