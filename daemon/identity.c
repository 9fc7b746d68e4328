// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Persistent node identity (ECDSA P-256 key + self-signed certificate).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "config.h"
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

int identity_spki_node_id(const uint8_t *der, size_t len, struct evpn_id *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(der, len, md, &n, EVP_sha256(), NULL) || n != 32)
		return -1;
	evpn_id_from_bytes(out, md);		/* first EVPN_ID_LEN bytes */
	return 0;
}

int identity_key_node_id(EVP_PKEY *key, struct evpn_id *out)
{
	unsigned char *der = NULL;
	int len, r;

	len = key ? i2d_PUBKEY(key, &der) : -1;	/* SubjectPublicKeyInfo */
	if (len <= 0)
		return -1;
	r = identity_spki_node_id(der, len, out);
	OPENSSL_free(der);
	return r;
}

int identity_cert_node_id(X509 *cert, struct evpn_id *out)
{
	EVP_PKEY *key = cert ? X509_get0_pubkey(cert) : NULL;

	return key ? identity_key_node_id(key, out) : -1;
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
	char hex[EVPN_ID_HEXLEN + 1];

	memset(id, 0, sizeof(*id));
	id->key = EVP_EC_gen("P-256");
	if (!id->key || identity_key_node_id(id->key, &id->node_id))
		goto err;
	evpn_id_to_hex(&id->node_id, hex);
	id->cert = make_cert(id->key, cn ? cn : hex);
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
	    identity_fingerprint(id->cert, id->fingerprint) ||
	    identity_key_node_id(id->key, &id->node_id)) {
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

/* ---- the node ID: persisted, or bound to the identity key ------------- */

#define NODE_ID_FILE "node_id"

/* STATE_DIR/node_id: 32 hex digits and a newline, written atomically. */
static int write_node_id(const char *dir, const char *path,
			 const struct evpn_id *id)
{
	char hex[EVPN_ID_HEXLEN + 2], tmp[PATH_MAX + 32];
	int fd, n;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		g_critical("mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		g_warning("%s: %s", tmp, strerror(errno));
		return -1;
	}
	evpn_id_to_hex(id, hex);
	strcat(hex, "\n");
	n = write(fd, hex, strlen(hex));
	if (n != (int)strlen(hex) || fsync(fd) || close(fd) ||
	    rename(tmp, path)) {
		g_critical("cannot write %s", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* 1: read into @id; 0: no such file; -1: unreadable or not an ID. */
static int read_node_id(const char *path, struct evpn_id *id)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return errno == ENOENT ? 0 : -1;
	ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\r\n")] = 0;
	if (!ok || evpn_id_from_hex(id, buf) || evpn_id_is_zero(id)) {
		g_critical("%s: not a node ID", path);
		return -1;
	}
	return 1;
}

/*
 * A node without overlays (static [link] peers only) has no DTLS identity:
 * its ID is [node] id, else STATE_DIR/node_id, else random and persisted.
 * Its peers name it by that ID and authenticate it by the link's PSK.
 */
static int static_node_id(struct evpnd_config *cfg, const char *path)
{
	uint8_t raw[EVPN_ID_LEN];
	int r;

	if (cfg->has_node_id)
		return 0;
	r = read_node_id(path, &cfg->node_id);
	if (r)
		return r < 0 ? -1 : 0;
	do {
		if (getrandom(raw, sizeof(raw), 0) != sizeof(raw))
			return -1;
		evpn_id_from_bytes(&cfg->node_id, raw);
	} while (evpn_id_is_zero(&cfg->node_id));
	return write_node_id(cfg->state_dir, path, &cfg->node_id);
}

/*
 * Test hook (tests/netns/test_cp_idbind.sh): announce an ID that is not the
 * key's, as a modified evpnd would. It weakens nothing: peers check the ID
 * against the certificate, and this node only lies about itself.
 */
static bool test_claim_id(struct evpn_id *id)
{
	const char *v = getenv("EVPND_TEST_CLAIM_ID");

	if (!v || evpn_id_from_hex(id, v))
		return false;
	g_warning("TEST HOOK: claiming node ID %s, not the one "
		  "bound to our key", v);
	return true;
}

/*
 * Keep STATE_DIR/node_id equal to the key's ID @id (hex @want). A node_id
 * from before IDs were bound to keys (a random ID) is replaced, and that is
 * said once: static [link] peers elsewhere may still name the old one.
 */
static int migrate_node_id_file(const char *dir, const char *path,
				const struct evpn_id *id, const char *want)
{
	char old_hex[EVPN_ID_HEXLEN + 1];
	struct evpn_id old;
	int r = read_node_id(path, &old);

	if (r > 0 && evpn_id_eq(&old, id))
		return 0;
	if (r > 0) {
		evpn_id_to_hex(&old, old_hex);
		g_message("migrating the node ID from %s (%s, chosen "
			  "at random by an older evpnd) to %s, the ID bound to this "
			  "node's key; static [link] peers that name this node must "
			  "use the new ID", old_hex, path, want);
	}
	return write_node_id(dir, path, id);
}

/*
 * A node in an overlay: its ID is the one bound to STATE_DIR/identity.pem
 * (created here on first start). A configured [node] id must be that ID.
 */
static int bound_node_id(struct evpnd_config *cfg, const char *path)
{
	char want[EVPN_ID_HEXLEN + 1], conf[EVPN_ID_HEXLEN + 1];
	struct evpn_identity ident;
	struct evpn_id id;

	if (identity_load_or_create(&ident, cfg->state_dir, NULL))
		return -1;
	id = ident.node_id;
	identity_free(&ident);
	evpn_id_to_hex(&id, want);
	if (evpn_id_is_zero(&id)) {	/* 2^-128: not worth a special path */
		g_critical("the key in %s/identity.pem hashes to the "
			   "zero ID; move that file away to get a new key",
			   cfg->state_dir);
		return -1;
	}
	if (cfg->has_node_id && !evpn_id_eq(&cfg->node_id, &id)) {
		evpn_id_to_hex(&cfg->node_id, conf);
		g_critical("[node] id %s is not this node's ID: in an "
			   "overlay the ID is derived from the key in %s/identity.pem "
			   "and is %s (docs/security.md, \"Node IDs\"); remove the "
			   "id line or set it to that", conf, cfg->state_dir, want);
		return -1;
	}
	if (!test_claim_id(&cfg->node_id)) {
		if (migrate_node_id_file(cfg->state_dir, path, &id, want))
			return -1;
		cfg->node_id = id;
	}
	cfg->has_node_id = true;
	return 0;
}

int cfg_resolve_node_id(struct evpnd_config *cfg)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/" NODE_ID_FILE, cfg->state_dir);
	if (!cfg->overlays) {
		if (static_node_id(cfg, path))
			return -1;
		cfg->has_node_id = true;
		return 0;
	}
	return bound_node_id(cfg, path);
}
