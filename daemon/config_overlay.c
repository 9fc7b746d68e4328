// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The [overlay NAME] section (docs/configuration.md). Plugged into the
 * table-driven parser through config.h's weak cfg_overlay_section hook.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "config.h"
#include "overlay.h"
#include "signalling.h"
#include "topology.h"

#define OBJ(o) ((struct cfg_overlay *)(o))

static void *ov_open(struct cfg_ctx *ctx, const char *name)
{
	struct cfg_overlay *o, **pp;

	for (o = ctx->cfg->overlays; o; o = o->next)
		if (!strcmp(o->name, name)) {
			cfg_error(ctx, "overlay '%s' already defined at %s:%d",
				  name, o->file, o->line);
			return NULL;
		}
	/* link names are "NAME:<32 hex>" and must fit the datapath's 64 */
	if (strlen(name) > 24 || strchr(name, ':')) {
		cfg_error(ctx, "overlay name '%s': at most 24 characters, no ':'",
			  name);
		return NULL;
	}
	o = calloc(1, sizeof(*o));
	if (!o) {
		cfg_error(ctx, "out of memory");
		return NULL;
	}
	strcpy(o->name, name);
	o->file = ctx->file;
	o->line = ctx->line;
	o->suites = SIG_SUITES_ALL;
	strcpy(o->topology, "symphony");	/* scales; tiny overlays end up meshed */
	evpn_sym_cfg_default(&o->symphony);
	for (pp = &ctx->cfg->overlays; *pp; pp = &(*pp)->next)
		;
	*pp = o;
	return o;
}

static int ov_close(struct cfg_ctx *ctx, void *obj)
{
	struct cfg_overlay *o = obj;

	if (!o->jid[0] || !strchr(o->jid, '@')) {
		cfg_error(ctx, "overlay '%s': 'jid = user@domain' is required",
			  o->name);
		return -1;
	}
	if (!o->password[0]) {
		cfg_error(ctx, "overlay '%s': 'password-file' (or 'password') is "
			  "required", o->name);
		return -1;
	}
	if (o->turn_host[0] && !o->turn_user[0]) {
		cfg_error(ctx, "overlay '%s': 'turn' needs 'turn-user' and "
			  "'turn-password[-file]'", o->name);
		return -1;
	}
	if (!o->group[0])
		strcpy(o->group, o->name);
	return 0;
}

static int p_str(struct cfg_ctx *ctx, char *out, size_t size, const char *val)
{
	return cfg_parse_string(ctx, val, out, size);
}

static int k_jid(struct cfg_ctx *c, void *o, const char *v)
{
	return p_str(c, OBJ(o)->jid, sizeof(OBJ(o)->jid), v);
}

static int k_password(struct cfg_ctx *c, void *o, const char *v)
{
	cfg_warn(c, "'password' in the config file: prefer 'password-file' "
		 "(mode 0600)");
	return p_str(c, OBJ(o)->password, sizeof(OBJ(o)->password), v);
}

static int k_password_file(struct cfg_ctx *c, void *o, const char *v)
{
	return cfg_read_secret(c, v, OBJ(o)->password, sizeof(OBJ(o)->password));
}

static int k_server(struct cfg_ctx *c, void *o, const char *v)
{
	return p_str(c, OBJ(o)->server, sizeof(OBJ(o)->server), v);
}

static int k_port(struct cfg_ctx *c, void *o, const char *v)
{
	unsigned long n;

	if (cfg_parse_uint(c, v, 1, 65535, &n))
		return -1;
	OBJ(o)->port = n;
	return 0;
}

static int k_ca(struct cfg_ctx *c, void *o, const char *v)
{
	return p_str(c, OBJ(o)->ca_file, sizeof(OBJ(o)->ca_file), v);
}

static int k_plain(struct cfg_ctx *c, void *o, const char *v)
{
	if (cfg_parse_bool(c, v, &OBJ(o)->allow_plaintext))
		return -1;
	if (OBJ(o)->allow_plaintext)
		cfg_warn(c, "allow-plaintext = yes: the XMPP password and "
			 "fingerprints may travel unencrypted (tests only)");
	return 0;
}

static int k_group(struct cfg_ctx *c, void *o, const char *v)
{
	return p_str(c, OBJ(o)->group, sizeof(OBJ(o)->group), v);
}

/* STUN/TURN servers: numeric IP[:port] (libnice takes no host names). */
static int server_addr(struct cfg_ctx *c, const char *v, char *host,
		       size_t size, unsigned int *port)
{
	struct sockaddr_storage ss;
	socklen_t len;

	if (cfg_parse_sockaddr(c, v, 3478, &ss, &len))
		return -1;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *s4 = (void *)&ss;

		inet_ntop(AF_INET, &s4->sin_addr, host, size);
		*port = ntohs(s4->sin_port);
	} else {
		struct sockaddr_in6 *s6 = (void *)&ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, size);
		*port = ntohs(s6->sin6_port);
	}
	return 0;
}

static int k_stun(struct cfg_ctx *c, void *o, const char *v)
{
	return server_addr(c, v, OBJ(o)->stun_host, sizeof(OBJ(o)->stun_host),
			   &OBJ(o)->stun_port);
}

static int k_turn(struct cfg_ctx *c, void *o, const char *v)
{
	return server_addr(c, v, OBJ(o)->turn_host, sizeof(OBJ(o)->turn_host),
			   &OBJ(o)->turn_port);
}

static int k_turn_user(struct cfg_ctx *c, void *o, const char *v)
{
	return p_str(c, OBJ(o)->turn_user, sizeof(OBJ(o)->turn_user), v);
}

static int k_turn_password(struct cfg_ctx *c, void *o, const char *v)
{
	cfg_warn(c, "'turn-password' in the config file: prefer "
		 "'turn-password-file' (mode 0600)");
	return p_str(c, OBJ(o)->turn_password, sizeof(OBJ(o)->turn_password), v);
}

static int k_turn_password_file(struct cfg_ctx *c, void *o, const char *v)
{
	return cfg_read_secret(c, v, OBJ(o)->turn_password,
			       sizeof(OBJ(o)->turn_password));
}

static int k_turn_transport(struct cfg_ctx *c, void *o, const char *v)
{
	static const char *const names[] = { "udp", "tcp", "tls" };
	int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(v, names[i])) {
			OBJ(o)->turn_transport = i;	/* = ICE_TURN_* */
			return 0;
		}
	cfg_error(c, "turn-transport: udp, tcp or tls (got '%s')", v);
	return -1;
}

static int k_exclude(struct cfg_ctx *c, void *o, const char *v)
{
	struct cfg_overlay *ov = o;

	if (ov->nexclude == ICE_MAX_EXCLUDE - 2) {	/* room for built-ins */
		cfg_error(c, "at most %d 'exclude-interface' lines",
			  ICE_MAX_EXCLUDE - 2);
		return -1;
	}
	return p_str(c, ov->exclude[ov->nexclude++], sizeof(ov->exclude[0]), v);
}

static int k_topology(struct cfg_ctx *c, void *o, const char *v)
{
	if (!topology_find(v)) {
		cfg_error(c, "unknown topology '%s' (known: mesh, symphony)", v);
		return -1;
	}
	return p_str(c, OBJ(o)->topology, sizeof(OBJ(o)->topology), v);
}

static int k_sym_k(struct cfg_ctx *c, void *o, const char *v)
{
	unsigned long n;

	if (cfg_parse_uint(c, v, 0, EVPN_SYM_MAX_K, &n))
		return -1;
	OBJ(o)->symphony.k = n;
	return 0;
}

/* short links each way: successors and predecessors */
static int k_sym_short(struct cfg_ctx *c, void *o, const char *v)
{
	unsigned long n;

	if (cfg_parse_uint(c, v, 1, EVPN_SYM_MAX_SHORT, &n))
		return -1;
	OBJ(o)->symphony.n_succ = OBJ(o)->symphony.n_pred = n;
	return 0;
}

static int k_sym_cap(struct cfg_ctx *c, void *o, const char *v)
{
	return cfg_parse_bool(c, v, &OBJ(o)->symphony.in_cap);
}

static int k_suites(struct cfg_ctx *c, void *o, const char *v)
{
	if (sig_suites_parse(v, &OBJ(o)->suites)) {
		cfg_error(c, "suites: space-separated list of aes256gcm, "
			  "chacha20poly1305 (got '%s')", v);
		return -1;
	}
	return 0;
}

static int k_rekey_s(struct cfg_ctx *c, void *o, const char *v)
{
	unsigned long n;

	if (cfg_parse_uint(c, v, 5, EVPN_REJECT_AFTER_SECONDS - 30, &n))
		return -1;
	OBJ(o)->rekey_seconds = n;
	return 0;
}

static int k_rekey_p(struct cfg_ctx *c, void *o, const char *v)
{
	unsigned long n;

	if (cfg_parse_uint(c, v, 1000, EVPN_REKEY_AFTER_PACKETS, &n))
		return -1;
	OBJ(o)->rekey_packets = n;
	return 0;
}

static int k_grace(struct cfg_ctx *c, void *o, const char *v)
{
	unsigned long n;

	if (cfg_parse_uint(c, v, 2, 3600, &n))
		return -1;
	OBJ(o)->presence_grace = n;
	return 0;
}

static int k_debug(struct cfg_ctx *c, void *o, const char *v)
{
	return cfg_parse_bool(c, v, &OBJ(o)->xmpp_debug);
}

static const struct cfg_key ov_keys[] = {
	{ "jid", k_jid },
	{ "password", k_password },
	{ "password-file", k_password_file },
	{ "server", k_server },
	{ "port", k_port },
	{ "ca-file", k_ca },
	{ "allow-plaintext", k_plain },
	{ "group", k_group },
	{ "stun", k_stun },
	{ "turn", k_turn },
	{ "turn-user", k_turn_user },
	{ "turn-password", k_turn_password },
	{ "turn-password-file", k_turn_password_file },
	{ "turn-transport", k_turn_transport },
	{ "exclude-interface", k_exclude },
	{ "topology", k_topology },
	{ "symphony-k", k_sym_k },
	{ "symphony-short", k_sym_short },
	{ "symphony-in-cap", k_sym_cap },
	{ "suites", k_suites },
	{ "rekey-seconds", k_rekey_s },
	{ "rekey-packets", k_rekey_p },
	{ "presence-grace", k_grace },
	{ "xmpp-debug", k_debug },
	{ NULL }
};

/* The XMPP connection opens ca-file much later, and a missing one only
 * shows as libstrophe's "TLS is not supported, but set as mandatory":
 * check it here, for `evpnd -t` and at start. */
static int ov_check_ca(const struct cfg_overlay *o)
{
	struct cfg_ctx ctx = { .file = o->file, .line = o->line,
			       .key = "ca-file" };
	FILE *f = fopen(o->ca_file, "r");
	X509 *x;

	if (!f) {
		cfg_error(&ctx, "overlay '%s': cannot read %s: %s", o->name,
			  o->ca_file, strerror(errno));
		return -1;
	}
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!x) {
		cfg_error(&ctx, "overlay '%s': %s holds no PEM certificate",
			  o->name, o->ca_file);
		return -1;
	}
	X509_free(x);
	return 0;
}

static int ov_check(const struct evpnd_config *cfg)
{
	const struct cfg_overlay *o;
	int ret = 0;

	for (o = cfg->overlays; o; o = o->next)
		if (o->ca_file[0] && ov_check_ca(o))
			ret = -1;
	return ret;
}

static const char *const ov_multi[] = { "exclude-interface", NULL };
static const char *const ov_same[] = {
	"password", "password-file",
	"turn-password", "turn-password-file",
	NULL
};

const struct cfg_section cfg_overlay_section = {
	.name = "overlay", .named = true, .repeatable = true,
	.open = ov_open, .close = ov_close, .keys = ov_keys,
	.multi = ov_multi, .same = ov_same, .check = ov_check,
};

void overlay_config_free(struct evpnd_config *cfg)
{
	struct cfg_overlay *o, *n;

	for (o = cfg->overlays; o; o = n) {
		n = o->next;
		explicit_bzero(o, sizeof(*o));
		free(o);
	}
	cfg->overlays = NULL;
}
