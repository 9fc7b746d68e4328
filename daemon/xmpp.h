/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * XMPP client for one overlay (libstrophe 0.12 driven by the GLib loop).
 *
 * Membership = the account's roster group named in the config (server-side
 * shared groups: prosody mod_groups, ejabberd mod_shared_roster, Openfire
 * shared groups; docs/signalling.md "Membership"). A member is a full JID
 * whose bare JID is in that group and whose presence carries a valid
 * <node xmlns='urn:evpn:0'/>; xc reports members coming, changing and going,
 * and hands up <message/>s carrying urn:evpn:0 payloads from members' full
 * JIDs. It keeps the session up: TLS mandatory unless allow_plaintext,
 * SASL, no stream management (xc_new() says why), reconnect with exponential
 * backoff.
 */
#ifndef EVPND_XMPP_H
#define EVPND_XMPP_H

#include <stdbool.h>

#include "sigmsg.h"

struct xc_config {
	const char *jid;
	const char *password;
	const char *host;		/* NULL: the JID's domain */
	unsigned short port;		/* 0: 5222 */
	const char *ca_file;		/* NULL: system store */
	const char *group;		/* roster group = overlay membership */
	bool allow_plaintext;		/* tests only */
	bool verbose;			/* libstrophe debug log */
};

enum xc_gone {
	XC_GONE_UNAVAILABLE,	/* its presence went away */
	XC_GONE_REMOVED,	/* its bare JID left the group */
	XC_GONE_OFFLINE,	/* our own session ended */
};

struct xc_ops {
	void (*online)(void *ctx);
	void (*offline)(void *ctx);
	/* @jid (full) announced or changed its <node/> presence. */
	void (*member_up)(void *ctx, const char *jid, const struct sig_presence *p);
	void (*member_down)(void *ctx, const char *jid, enum xc_gone why);
	/* A headline/normal/chat message with a urn:evpn:0 payload from a
	 * current member's full JID, parsed (signalling.c); @m NULL if the
	 * payload was malformed. */
	void (*message)(void *ctx, const char *jid, const struct sig_msg *m);
};

struct xc_stats {
	unsigned long connects, disconnects, auth_failures;
	unsigned long presence_in, presence_bad, presence_nonmember;
	unsigned long msg_in, msg_nonmember, msg_out;
};

struct xc;

struct xc *xc_new(const struct xc_config *cfg, const struct xc_ops *ops,
		  void *ctx);
void xc_free(struct xc *xc);
int xc_start(struct xc *xc);
/* After a fatal problem (state "failed", docs/status.md): take @cfg's
 * password, host, port and ca_file (if set; the re-read configuration,
 * SIGHUP) and connect again at once. False, and nothing done, unless xc
 * had failed. @cfg's strings must outlive xc. */
bool xc_retry(struct xc *xc, const struct xc_config *cfg);

/* Our <node/> presence (sent now if online, and after every reconnect). */
void xc_set_presence(struct xc *xc, const struct sig_presence *p);
/* Send link message @m in a headline message to @jid. 0 or -1 (offline,
 * or @m cannot be encoded). */
int xc_send(struct xc *xc, const char *jid, const struct sig_msg *m);
bool xc_online(const struct xc *xc);
const char *xc_state_name(const struct xc *xc);
const char *xc_bound_jid(const struct xc *xc);
const struct xc_stats *xc_stats(const struct xc *xc);

/* What keeps us from working in the overlay (docs/status.md). AUTH and
 * TLS_CERT are fatal: reported once at error level, no more retries until
 * xc_retry(). */
enum xc_problem {
	XC_PROBLEM_NONE,
	XC_PROBLEM_AUTH,		/* wrong password or no such account */
	XC_PROBLEM_TLS_CERT,		/* unverifiable server, unreadable CA */
	XC_PROBLEM_TLS,			/* other TLS failure (retried) */
	XC_PROBLEM_NOT_IN_GROUP,	/* online, but the group is empty */
	XC_PROBLEM_UNREACHABLE,		/* connection failed (retried) */
};
/* The current problem, its message (NULL if none) and whether xc is still
 * trying to connect. */
enum xc_problem xc_problem(const struct xc *xc, const char **msg,
			   bool *retrying);

#endif /* EVPND_XMPP_H */
