// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Overlay glue: [overlay NAME] -> XMPP client + link manager + topology,
 * all sharing the daemon's datapath and DTLS identity.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <nice/debug.h>

#include "ctl.h"
#include "e2e.h"
#include "jsonout.h"
#include "log.h"
#include "identity.h"
#include "linkmgr.h"
#include "overlay.h"
#include "topology/symphony_ops.h"
#include "xmpp.h"

struct overlay {
	struct cfg_overlay *cfg;	/* in the running configuration */
	struct xc *xc;
	struct linkmgr *lm;
	struct ice_config ice;
};

static GPtrArray *overlays;
static struct evpn_identity identity;
static struct evpnd_config *config;
static struct pins *pins;

static void ov_online(void *ctx)
{
	struct overlay *ov = ctx;

	linkmgr_set_online(ov->lm, true);
}

static void ov_offline(void *ctx)
{
	struct overlay *ov = ctx;

	linkmgr_set_online(ov->lm, false);
}

static void ov_member_up(void *ctx, const char *jid, const struct sig_presence *p)
{
	struct overlay *ov = ctx;

	e2e_member_up(jid, p);
	linkmgr_member_up(ov->lm, jid, p);
}

static void ov_member_down(void *ctx, const char *jid, enum xc_gone why)
{
	struct overlay *ov = ctx;
	static const enum lm_gone map[] = {
		[XC_GONE_UNAVAILABLE] = LM_GONE_UNAVAILABLE,
		[XC_GONE_REMOVED] = LM_GONE_REMOVED,
		[XC_GONE_OFFLINE] = LM_GONE_OFFLINE,
	};

	if (why == XC_GONE_REMOVED)
		e2e_member_removed(jid);
	linkmgr_member_down(ov->lm, jid, map[why]);
}

static void ov_message(void *ctx, const char *jid, const struct sig_msg *m)
{
	struct overlay *ov = ctx;

	linkmgr_message(ov->lm, jid, m);
}

static const struct xc_ops ov_xc_ops = {
	.online = ov_online,
	.offline = ov_offline,
	.member_up = ov_member_up,
	.member_down = ov_member_down,
	.message = ov_message,
};

static int lm_send(void *ctx, const char *jid, const struct sig_msg *m)
{
	struct overlay *ov = ctx;

	return xc_send(ov->xc, jid, m);
}

static const struct linkmgr_ops ov_lm_ops = {
	.send = lm_send,
};

bool overlay_get(unsigned int i, struct overlay_view *v)
{
	struct overlay *ov;

	if (!overlays || i >= overlays->len)
		return false;
	ov = g_ptr_array_index(overlays, i);
	v->name = ov->cfg->name;
	v->xc = ov->xc;
	v->lm = ov->lm;
	return true;
}

static const char *const problem_kinds[] = {
	[XC_PROBLEM_NONE] = NULL,
	[XC_PROBLEM_AUTH] = "auth_failed",
	[XC_PROBLEM_TLS_CERT] = "tls_error",
	[XC_PROBLEM_TLS] = "tls_error",
	[XC_PROBLEM_NOT_IN_GROUP] = "not_in_group",
	[XC_PROBLEM_UNREACHABLE] = "unreachable",
};

static void show_overlay(struct overlay *ov, JsonBuilder *b)
{
	const struct xc_stats *xs = xc_stats(ov->xc);
	const char *msg;
	bool retrying;
	enum xc_problem p = xc_problem(ov->xc, &msg, &retrying);

	json_builder_begin_object(b);
	ej_str(b, "name", ov->cfg->name);
	ej_str(b, "jid", xc_bound_jid(ov->xc) ?: ov->cfg->jid);
	ej_str(b, "group", ov->cfg->group);
	ej_str(b, "xmpp", xc_state_name(ov->xc));
	ej_str(b, "xmpp_problem", problem_kinds[p]);
	ej_str(b, "xmpp_error", msg);
	ej_bool(b, "xmpp_retrying", retrying);
	ej_uint(b, "xmpp_connects", xs->connects);
	ej_uint(b, "xmpp_auth_failures", xs->auth_failures);
	ej_uint(b, "presence_nonmember", xs->presence_nonmember);
	ej_uint(b, "presence_malformed", xs->presence_bad);
	ej_uint(b, "msg_nonmember", xs->msg_nonmember);
	linkmgr_show_json(ov->lm, b);
	json_builder_end_object(b);
}

static void show_dev(JsonBuilder *b, void *ctx)
{
	guint i;

	ej_str(b, "fingerprint", identity.fingerprint);
	ej_array(b, "overlays");
	for (i = 0; overlays && i < overlays->len; i++)
		show_overlay(g_ptr_array_index(overlays, i), b);
	json_builder_end_array(b);
}

static void show_link(JsonBuilder *b, struct dp_link *dpl, void *ctx)
{
	guint i;

	for (i = 0; overlays && i < overlays->len; i++) {
		struct overlay *ov = g_ptr_array_index(overlays, i);

		if (linkmgr_link_json(ov->lm, b, dpl))
			return;
	}
}

/*
 * Test hook (tests/netns/test_cp_auth.sh): announce a fingerprint that is
 * not ours, as a man in the middle would have to. Never set in production;
 * logged loudly when used.
 */
static void test_override_fp(char fp[EVPN_FP_STRLEN])
{
	const char *v = getenv("EVPND_TEST_ANNOUNCE_FP");

	if (!v || !identity_fp_valid(v))
		return;
	g_warning("EVPND_TEST_ANNOUNCE_FP set: announcing %s instead of our "
		  "own fingerprint (test only)", v);
	memcpy(fp, v, EVPN_FP_STRLEN);
}

static void xc_config_from(const struct cfg_overlay *c, struct xc_config *x)
{
	*x = (struct xc_config){
		.jid = c->jid, .password = c->password,
		.host = c->server[0] ? c->server : NULL, .port = c->port,
		.ca_file = c->ca_file[0] ? c->ca_file : NULL,
		.group = c->group, .allow_plaintext = c->allow_plaintext,
		.verbose = c->xmpp_debug,
	};
}

static struct overlay *overlay_new(struct cfg_overlay *c, struct dp *dp)
{
	struct overlay *ov = g_new0(struct overlay, 1);
	struct xc_config xcfg;
	struct linkmgr_config lcfg = {
		.name = c->name, .dp = dp, .identity = &identity,
		.self = *dp_node_id(dp), .ice = &ov->ice,
		.topology = topology_find(c->topology),
		.suites = c->suites, .rekey_seconds = c->rekey_seconds,
		.rekey_packets = c->rekey_packets,
		.presence_grace = c->presence_grace,
		.pins = pins,
	};
	struct sig_presence pres = { .id = *dp_node_id(dp), .suites = c->suites };
	int i;

	xc_config_from(c, &xcfg);
	ov->cfg = c;
	if (c->stun_host[0]) {
		ov->ice.stun_host = c->stun_host;
		ov->ice.stun_port = c->stun_port;
	}
	if (c->turn_host[0]) {
		ov->ice.turn_host = c->turn_host;
		ov->ice.turn_port = c->turn_port;
		ov->ice.turn_user = c->turn_user;
		ov->ice.turn_password = c->turn_password;
		ov->ice.turn_transport = c->turn_transport;
	}
	/* never tunnel the overlay through itself */
	ov->ice.exclude[ov->ice.nexclude++] = dp_ifname(dp);
	for (i = 0; i < c->nexclude; i++)
		ov->ice.exclude[ov->ice.nexclude++] = c->exclude[i];
	/* the topology instance is created by linkmgr_new() with these */
	if (lcfg.topology == &topology_symphony &&
	    topology_symphony_configure(&c->symphony))
		g_warning("overlay %s: symphony parameters out of range (ignored)",
			  c->name);
	ov->lm = linkmgr_new(&lcfg, &ov_lm_ops, ov);
	ov->xc = xc_new(&xcfg, &ov_xc_ops, ov);
	memcpy(pres.fp, identity.fingerprint, sizeof(pres.fp));
	test_override_fp(pres.fp);
	e2e_presence_fill(&identity, &pres);
	xc_set_presence(ov->xc, &pres);
	if (xc_start(ov->xc))
		g_warning("overlay %s: XMPP start failed; retrying", c->name);
	g_message("overlay %s: %s, group '%s', fingerprint %s", c->name,
		  c->jid, c->group, identity.fingerprint);
	return ov;
}

/* `peer accept JID`: the operator trusts the member's new key (pins.h). */
static void cmd_peer(struct dp *dp, int argc, char **argv, FILE *out,
		     void *ctx)
{
	char err[256] = "";
	bool done = false;
	guint i;

	if (!overlays || argc != 3 || strcmp(argv[1], "accept")) {
		ej_reply_error(out, "usage: peer accept JID");
		return;
	}
	for (i = 0; i < overlays->len; i++) {
		struct overlay *ov = g_ptr_array_index(overlays, i);

		if (!linkmgr_pin_accept(ov->lm, argv[2], err, sizeof(err)))
			done = true;
	}
	if (done)
		ej_reply_ok(out);
	else
		ej_reply_error(out, err);
}

/*
 * libstrophe's TLS calls SSL_CTX_set_default_verify_paths() before loading
 * our ca-file: OpenSSL then parses the whole system bundle (SSL_CERT_FILE,
 * ~140 certificates) at every login -- 14% of a node's CPU for a join in
 * the 64-node benchmark. When every overlay names the same ca-file, that
 * file stands in for the bundle. What is trusted does not change: the
 * system store stays reachable through the hashed directory
 * (SSL_CERT_DIR), looked up on demand; only the eager parse goes. (An
 * SSL_CERT_FILE in the environment names a bundle too -- many systems set
 * it to the same one -- and is replaced: for the XMPP server, the
 * configured ca-file is the operator's word. libstrophe is evpnd's only
 * OpenSSL TLS client.) Set again when a retry takes a re-read ca-file;
 * the environment's own value is back when the overlays no longer agree.
 */
static void ca_bundle_set(const struct evpnd_config *cfg)
{
	static char *env_orig;
	static bool saved;
	const struct cfg_overlay *c;
	const char *ca = NULL;

	if (!saved) {
		env_orig = g_strdup(getenv("SSL_CERT_FILE"));
		saved = true;
	}
	for (c = cfg->overlays; c; c = c->next) {
		if (!c->ca_file[0] || (ca && strcmp(ca, c->ca_file))) {
			ca = NULL;
			break;
		}
		ca = c->ca_file;
	}
	if (ca)
		setenv("SSL_CERT_FILE", ca, 1);
	else if (env_orig)
		setenv("SSL_CERT_FILE", env_orig, 1);
	else
		unsetenv("SSL_CERT_FILE");
}

/* The login settings a session that failed fatally takes from the re-read
 * file @n into the running @run: what xc_retry() applies. */
static void take_login(struct cfg_overlay *run, const struct cfg_overlay *n)
{
	memcpy(run->password, n->password, sizeof(run->password));
	memcpy(run->server, n->server, sizeof(run->server));
	run->port = n->port;
	if (n->ca_file[0])
		memcpy(run->ca_file, n->ca_file, sizeof(run->ca_file));
}

int overlay_retry_failed(const struct evpnd_config *next)
{
	const struct cfg_overlay *n;
	struct xc_config xcfg;
	const char *msg;
	bool retrying;
	int count = 0;
	guint i;

	for (i = 0; overlays && i < overlays->len; i++) {
		struct overlay *ov = g_ptr_array_index(overlays, i);

		xc_problem(ov->xc, &msg, &retrying);
		if (retrying)
			continue;
		for (n = next->overlays; n && strcmp(n->name, ov->cfg->name);
		     n = n->next)
			;
		if (!n)
			continue;	/* removed: compare_overlays says so */
		take_login(ov->cfg, n);
		ca_bundle_set(config);	/* its ca-file may have changed */
		xc_config_from(ov->cfg, &xcfg);
		count += xc_retry(ov->xc, &xcfg);
	}
	return count;
}

int overlay_start_all(struct evpnd_config *cfg, struct dp *dp)
{
	struct cfg_overlay *c;
	char hex[EVPN_ID_HEXLEN + 1];

	if (!cfg->overlays)
		return 0;
	if (evpnd_log_debug_ice())	/* -vv / --debug-ice (log.h) */
		nice_debug_enable(TRUE);
	else
		nice_debug_disable(TRUE);
	config = cfg;
	ca_bundle_set(cfg);
	evpn_id_to_hex(dp_node_id(dp), hex);
	if (identity_load_or_create(&identity, cfg->state_dir, hex))
		return -1;
	pins = pins_open(cfg->state_dir);
	if (!pins)
		return -1;
	overlays = g_ptr_array_new();
	for (c = cfg->overlays; c; c = c->next)
		g_ptr_array_add(overlays, overlay_new(c, dp));
	ctl_set_show_hooks(show_dev, show_link, NULL);
	ctl_register("peer", cmd_peer, NULL);
	return 0;
}

void overlay_stop_all(void)
{
	guint i;

	if (!overlays)
		return;
	ctl_set_show_hooks(NULL, NULL, NULL);
	for (i = 0; i < overlays->len; i++) {
		struct overlay *ov = g_ptr_array_index(overlays, i);

		linkmgr_free(ov->lm);
		xc_free(ov->xc);
		g_free(ov);
	}
	g_ptr_array_free(overlays, TRUE);
	overlays = NULL;
	identity_free(&identity);
	pins_free(pins);
	pins = NULL;
	if (config)
		overlay_config_free(config);
	config = NULL;
}
