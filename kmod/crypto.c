// SPDX-License-Identifier: GPL-2.0
/*
 * AEAD for evpn records with the kernel crypto API: `gcm(aes)` (suite 1)
 * and `rfc7539(chacha20,poly1305)` (suite 2).
 *
 * Transforms are allocated when a key is installed, never per packet, and
 * only synchronous implementations are accepted (CRYPTO_ALG_ASYNC masked
 * out), so a record is sealed or opened before the call returns and the
 * datapath needs no completion handling. The aead_request lives in a
 * per-cpu buffer: the callers run with BH disabled and do not nest inside
 * one crypto call, so each CPU needs exactly one. The scatterlist is on the
 * stack (one entry: records are linear, see tx.c and rx.c). The steady
 * state therefore allocates nothing here. A transform whose request would
 * not fit the per-cpu buffer is refused at key install.
 */
#include <crypto/aead.h>
#include <asm/simd.h>
#include <crypto/internal/simd.h>
#include <linux/kmod.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/scatterlist.h>
#include <net/netlink.h>

#include "crypto.h"
#include "wire.h"

#define EVPN_AEAD_REQ_MAX	1024

struct evpn_aead_req {
	u8 buf[EVPN_AEAD_REQ_MAX] __aligned(CRYPTO_MINALIGN);
};

static struct evpn_aead_req __percpu *evpn_reqs;

static const char *const evpn_suite_alg[__EVPN_SUITE_MAX] = {
	[EVPN_SUITE_AES256GCM]		= "gcm(aes)",
	[EVPN_SUITE_CHACHA20POLY1305]	= "rfc7539(chacha20,poly1305)",
};

/* Direct SIMD implementations (see struct evpn_aead), by suite. */
static const char *const evpn_suite_simd[__EVPN_SUITE_MAX] = {
	[EVPN_SUITE_AES256GCM]		= "__gcm(aes)",	/* aesni-intel */
};

/*
 * Debug builds can leave the direct SIMD transform out (keys installed
 * afterwards use only the synchronous "gcm(aes)", as ovpn's plain
 * crypto_alloc_aead() would): the kernel bench compares the two in one
 * run (docs/architecture.md, "Crypto").
 */
#ifdef CONFIG_EVPN_DEBUG
static bool gcm_internal = true;
module_param(gcm_internal, bool, 0644);
MODULE_PARM_DESC(gcm_internal, "AES-GCM keys use the AES-NI driver's internal transform directly (default on; bench)");

static bool evpn_use_simd(void)
{
	return READ_ONCE(gcm_internal);
}
#else
static bool evpn_use_simd(void)
{
	return true;
}
#endif

static struct crypto_aead *evpn_aead_alloc(const char *name, u32 type, u32 mask,
					   const u8 *key,
					   struct netlink_ext_ack *extack)
{
	struct crypto_aead *tfm;
	int ret;

	tfm = crypto_alloc_aead(name, type, mask);
	if (IS_ERR(tfm))
		return tfm;
	if (sizeof(struct aead_request) + crypto_aead_reqsize(tfm) >
	    EVPN_AEAD_REQ_MAX) {
		NL_SET_ERR_MSG(extack, "evpn: AEAD request too large for this build");
		ret = -EOPNOTSUPP;
		goto err;
	}
	ret = crypto_aead_setkey(tfm, key, EVPN_KEY_LEN);
	if (!ret)
		ret = crypto_aead_setauthsize(tfm, EVPN_TAG_LEN);
	if (ret) {
		NL_SET_ERR_MSG(extack, "evpn: AEAD rejected the key");
		goto err;
	}
	return tfm;
err:
	crypto_free_aead(tfm);
	return ERR_PTR(ret);
}

int evpn_aead_init(struct evpn_aead *a, u32 suite, const u8 *key,
		   struct netlink_ext_ack *extack)
{
	static bool aesni_requested;

	a->tfm = a->simd = NULL;
	if (suite <= EVPN_SUITE_NONE || suite >= __EVPN_SUITE_MAX) {
		NL_SET_ERR_MSG(extack, "evpn: unknown suite");
		return -EINVAL;
	}
	/* The AES-NI module is not pulled in by name lookups once the
	 * generic AES is there (udev normally loads it by CPU feature). */
	if (IS_ENABLED(CONFIG_X86) && suite == EVPN_SUITE_AES256GCM &&
	    !READ_ONCE(aesni_requested) && boot_cpu_has(X86_FEATURE_AES)) {
		WRITE_ONCE(aesni_requested, true);
		request_module("aesni-intel");
	}
	a->tfm = evpn_aead_alloc(evpn_suite_alg[suite], 0, CRYPTO_ALG_ASYNC,
				 key, extack);
	if (IS_ERR(a->tfm)) {
		int ret = PTR_ERR(a->tfm);

		a->tfm = NULL;
		if (!extack || !extack->_msg)
			NL_SET_ERR_MSG(extack, "evpn: suite not available in this kernel");
		return ret;
	}
	if (evpn_suite_simd[suite] && evpn_use_simd()) {
		a->simd = evpn_aead_alloc(evpn_suite_simd[suite], CRYPTO_ALG_INTERNAL,
					  CRYPTO_ALG_INTERNAL | CRYPTO_ALG_ASYNC,
					  key, NULL);
		if (IS_ERR(a->simd))
			a->simd = NULL;	/* the synchronous one will do */
	}
	return 0;
}

/* crypto_free_aead() wipes the transform's memory (and its key schedule). */
void evpn_aead_destroy(struct evpn_aead *a)
{
	if (a->simd)
		crypto_free_aead(a->simd);
	if (a->tfm)
		crypto_free_aead(a->tfm);
	a->tfm = a->simd = NULL;
}

const char *evpn_aead_driver(const struct evpn_aead *a)
{
	return crypto_tfm_alg_driver_name(crypto_aead_tfm(a->simd ? a->simd : a->tfm));
}

int evpn_aead_crypt_ad(const struct evpn_aead *a, bool enc, const u8 *iv,
		       u64 counter, u8 *buf, unsigned int adlen,
		       unsigned int len)
{
	struct crypto_aead *tfm = a->simd && crypto_simd_usable() ? a->simd : a->tfm;
	struct aead_request *req;
	struct scatterlist sg;
	u8 nonce[EVPN_NONCE_LEN];
	int ret;

	lockdep_assert_in_softirq();
	if (len < adlen + EVPN_TAG_LEN)
		return -EINVAL;
	evpn_nonce(nonce, iv, counter);
	req = (struct aead_request *)this_cpu_ptr(evpn_reqs)->buf;
	aead_request_set_tfm(req, tfm);
	aead_request_set_callback(req, 0, NULL, NULL);
	sg_init_one(&sg, buf, len);
	aead_request_set_ad(req, adlen);
	aead_request_set_crypt(req, &sg, &sg,
			       len - adlen - (enc ? EVPN_TAG_LEN : 0), nonce);
	ret = enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	/* The request holds the nonce pointer and internal state derived
	 * from the key; nothing secret needs to outlive this call. */
	memzero_explicit(nonce, sizeof(nonce));
	return ret;
}

int evpn_crypto_init(void)
{
	evpn_reqs = alloc_percpu(struct evpn_aead_req);
	return evpn_reqs ? 0 : -ENOMEM;
}

void evpn_crypto_uninit(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memzero_explicit(per_cpu_ptr(evpn_reqs, cpu), sizeof(struct evpn_aead_req));
	free_percpu(evpn_reqs);
}
