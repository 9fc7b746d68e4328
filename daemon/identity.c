// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Persistent node identity (ECDSA P-256 key + self-signed certificate).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "identity.h"

#define IDENTITY_FILE "identity.pem"
/* The certificate only carries the key; validity is generous because trust
 * comes from the fingerprint, not from dates. */
#define CERT_DAYS (3650L * 2)

int identity_fingerprint(X509 *cert, char out[EVPN_FP_STRLEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (!X509_digest(cert, EVP_sha256(), md, &n) || n != 32)
		return -1;
	for (i = 0; i < n; i++)
		snprintf(out + 3 * i, 4, i + 1 < n ? "%02X:" : "%02X", md[i]);
	return 0;
}

bool identity_fp_valid(const char *s)
{
	size_t i;

	if (!s || strlen(s) != EVPN_FP_STRLEN - 1)
		return false;
	for (i = 0; i < EVPN_FP_STRLEN - 1; i++) {
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

bool identity_fp_equal(const char *a, const char *b)
{
	return identity_fp_valid(a) && identity_fp_valid(b) &&
	       !g_ascii_strcasecmp(a, b);
}

static X509 *make_cert(EVP_PKEY *key, const char *cn)
{
	X509 *x = X509_new();
	X509_NAME *name;
	unsigned char serial[16];
	BIGNUM *bn = NULL;

	if (!x)
		return NULL;
	if (RAND_bytes(serial, sizeof(serial)) != 1)
		goto err;
	serial[0] &= 0x7f;
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)))
		goto err;
	if (!X509_set_version(x, 2) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -86400) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), CERT_DAYS * 86400) ||
	    !X509_set_pubkey(x, key))
		goto err;
	name = X509_get_subject_name(x);
	if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
					(const unsigned char *)cn, -1, -1, 0) ||
	    !X509_set_issuer_name(x, name) ||
	    !X509_sign(x, key, EVP_sha256()))
		goto err;
	BN_free(bn);
	return x;
err:
	BN_free(bn);
	X509_free(x);
	return NULL;
}

int identity_generate(struct evpn_identity *id, const char *cn)
{
	memset(id, 0, sizeof(*id));
	id->key = EVP_EC_gen("P-256");
	if (!id->key)
		goto err;
	id->cert = make_cert(id->key, cn);
	if (!id->cert || identity_fingerprint(id->cert, id->fingerprint))
		goto err;
	return 0;
err:
	g_warning("identity: cannot generate an ECDSA P-256 key/certificate");
	identity_free(id);
	return -1;
}

void identity_free(struct evpn_identity *id)
{
	EVP_PKEY_free(id->key);
	X509_free(id->cert);
	memset(id, 0, sizeof(*id));
}

static int load(struct evpn_identity *id, const char *path)
{
	FILE *f = fopen(path, "r");
	struct stat st;

	memset(id, 0, sizeof(*id));
	if (!f)
		return -1;
	if (!fstat(fileno(f), &st) && (st.st_mode & 077))
		g_warning("identity: %s is readable by group/others (mode %03o); "
			  "it holds the node's private key", path,
			  st.st_mode & 0777);
	id->key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	id->cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!id->key || !id->cert || X509_check_private_key(id->cert, id->key) != 1 ||
	    identity_fingerprint(id->cert, id->fingerprint)) {
		g_warning("identity: %s is not a valid key + certificate", path);
		identity_free(id);
		return -2;
	}
	return 0;
}

/* Write to a temporary file created 0600, then rename: never a half file,
 * never a moment where the key is world-readable. */
static int store(const struct evpn_identity *id, const char *path)
{
	char *tmp = g_strdup_printf("%s.tmp", path);
	int fd, ret = -1;
	FILE *f;

	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		goto out;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		goto out;
	}
	if (PEM_write_PrivateKey(f, id->key, NULL, NULL, 0, NULL, NULL) &&
	    PEM_write_X509(f, id->cert) && !fflush(f) && !fsync(fileno(f)))
		ret = 0;
	if (fclose(f))
		ret = -1;
	if (!ret && rename(tmp, path))
		ret = -1;
out:
	if (ret) {
		g_warning("identity: cannot write %s: %s", path, g_strerror(errno));
		unlink(tmp);
	}
	g_free(tmp);
	return ret;
}

int identity_load_or_create(struct evpn_identity *id, const char *state_dir,
			    const char *cn)
{
	char *path = g_build_filename(state_dir, IDENTITY_FILE, NULL);
	int ret;

	ret = load(id, path);
	if (ret == -1 && errno == ENOENT) {
		if (g_mkdir_with_parents(state_dir, 0700))
			g_warning("identity: cannot create %s: %s", state_dir,
				  g_strerror(errno));
		ret = identity_generate(id, cn);
		if (!ret && store(id, path)) {
			identity_free(id);
			ret = -1;
		}
		if (!ret)
			g_message("identity: created %s (fingerprint %s)", path,
				  id->fingerprint);
	} else if (ret == -1) {
		g_warning("identity: cannot read %s: %s", path, g_strerror(errno));
	}
	g_free(path);
	return ret ? -1 : 0;
}
