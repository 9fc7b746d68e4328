/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * evpnd configuration file: INI-style, table-driven.
 *
 *   # comment
 *   [section]            or   [section NAME]
 *   key = value
 *
 * Each section kind is a struct cfg_section (name, whether it takes a NAME,
 * open/close callbacks, a table of keys with parse callbacks). config.c
 * holds the table of the sections it knows; other files add theirs through
 * the weak hooks below (define the symbol and it is picked up, no edit of
 * config.c needed). Every error names file:line; unknown sections and keys
 * are errors. docs/configuration.md documents every key.
 */
#ifndef EVPND_CONFIG_H
#define EVPND_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include "datapath.h"
#include "id.h"
#include "statickeys.h"	/* EVPN_PSK_LEN */

#define EVPND_DEFAULT_CONFIG	"/etc/evpn/evpnd.conf"
#define EVPND_DEFAULT_STATE_DIR	"/var/lib/evpn"
#define EVPND_DEFAULT_RUN_DIR	"/run/evpn"
#define EVPND_DEFAULT_IFNAME	"evpn0"
#define EVPND_DEFAULT_PORT	5170

enum cfg_datapath {
	CFG_DP_AUTO,	/* kernel if evpn.ko is there, else tap */
	CFG_DP_TAP,
	CFG_DP_KERNEL,
};

/* A [link NAME] section: a static (test / diagnostic) link. */
struct cfg_link {
	struct cfg_link *next;
	char name[64];
	const char *file;	/* where it was defined, for messages */
	int line;
	struct evpn_id peer;
	bool has_peer;
	struct sockaddr_storage endpoint;
	socklen_t endpoint_len;
	uint8_t psk[EVPN_PSK_LEN];
	bool has_psk;
	enum dp_suite suite;
	/* Optional explicit key IDs (0 = derive from the psk). */
	uint32_t tx_key_id, rx_key_id;
};

/* An [interface] address: what `ip addr add ADDR/PREFIX dev IFNAME` adds. */
struct cfg_addr {
	int family;			/* AF_INET or AF_INET6 */
	unsigned char addr[16];		/* network byte order */
	unsigned int prefixlen;
};
#define CFG_MAX_ADDRS	16

struct cfg_overlay;	/* owned by the control-plane code */
struct cfg_secret;	/* config.c */
struct cfg_xmpp;

struct evpnd_config {
	char *path;		/* the file loaded (messages point at it) */
	/* [node] */
	struct evpn_id node_id;
	bool has_node_id;
	char state_dir[PATH_MAX];
	char run_dir[PATH_MAX];
	/* [interface] */
	char ifname[16];
	unsigned int mtu;
	enum cfg_datapath datapath;
	unsigned int fdb_size;
	unsigned int fdb_age;
	unsigned int flood_rate;	/* flood records/s per link; 0: no limit */
	bool offload;
	bool mss_clamp;
	struct cfg_addr addrs[CFG_MAX_ADDRS];	/* address = (daemon/ifaddr.c) */
	int naddrs;
	/* [static] */
	bool static_section;	/* present: open the static socket */
	struct sockaddr_storage listen;
	socklen_t listen_len;
	struct cfg_link *links;
	/* [e2e NAME]: end-to-end pair keys with non-neighbours (static
	 * mode): peer and psk only (docs/configuration.md) */
	struct cfg_link *e2e;
	/* [metrics] (daemon/metrics.c) */
	struct sockaddr_storage metrics_listen;
	socklen_t metrics_listen_len;	/* 0: no endpoint (the default) */
	/* control-plane sections (opaque here) */
	struct cfg_overlay *overlays;
	struct cfg_xmpp *xmpp;
	/* secret files read (cfg_read_secret), re-checked by cfg_check() */
	struct cfg_secret *secrets;
};

/* Parser context handed to every callback. */
struct cfg_ctx {
	const char *file;
	int line;
	struct evpnd_config *cfg;
	const char *key;	/* the key being parsed (messages name it) */
	int errors;		/* cfg_error() calls so far */
};

struct cfg_key {
	const char *name;
	/* Parse @val (trimmed, non-empty) into @obj (the section's object).
	 * Returns 0, or -1 after cfg_error(). */
	int (*parse)(struct cfg_ctx *ctx, void *obj, const char *val);
};

struct cfg_section {
	const char *name;
	bool named;		/* [name NAME] rather than [name] */
	bool repeatable;	/* may appear more than once (per NAME if named) */
	/* Called at the header; returns the object keys write into, or NULL
	 * after cfg_error(). @name is NULL for unnamed sections. */
	void *(*open)(struct cfg_ctx *ctx, const char *name);
	/* Called at the end of the section (required keys, consistency). */
	int (*close)(struct cfg_ctx *ctx, void *obj);
	const struct cfg_key *keys;	/* terminated by { NULL } */
	/* Called once after the whole file parsed (may be NULL). */
	int (*finish)(struct evpnd_config *cfg, const char *file);
	/* Keys that may appear more than once in one section (NULL-terminated;
	 * every other key is an error the second time). */
	const char *const *multi;
	/* Pairs of keys that set the same value ("psk", "psk-file", ...,
	 * NULL): giving both is a duplicate too. */
	const char *const *same;
	/* What the running daemon will need beyond the file's syntax (files
	 * it opens later, ...): called by cfg_check(), i.e. by `evpnd -t` and
	 * at start. Returns 0, or -1 after printing. May be NULL. */
	int (*check)(const struct evpnd_config *cfg);
};

/* Hooks for sections defined outside config.c (weak: absent = NULL). */
extern const struct cfg_section cfg_overlay_section __attribute__((weak));
extern const struct cfg_section cfg_xmpp_section __attribute__((weak));
extern const struct cfg_section cfg_ext_section __attribute__((weak));
extern const struct cfg_section cfg_metrics_section __attribute__((weak));

void cfg_error(struct cfg_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cfg_warn(struct cfg_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Value helpers for parse callbacks (all report through cfg_error). */
int cfg_parse_uint(struct cfg_ctx *ctx, const char *val, unsigned long min,
		   unsigned long max, unsigned long *out);
int cfg_parse_bool(struct cfg_ctx *ctx, const char *val, bool *out);
int cfg_parse_id(struct cfg_ctx *ctx, const char *val, struct evpn_id *out);
/* "IP:port", "[IPv6]:port" or (when @default_port) a bare IP. */
int cfg_parse_sockaddr(struct cfg_ctx *ctx, const char *val, int default_port,
		       struct sockaddr_storage *out, socklen_t *len);
int cfg_parse_string(struct cfg_ctx *ctx, const char *val, char *out,
		     size_t size);
int cfg_parse_hex(struct cfg_ctx *ctx, const char *val, uint8_t *out,
		  size_t len);
/* Read a secret file (first line, trimmed) into @out (NUL-terminated);
 * warns if group/other may read it (cfg_check() makes that an error).
 * Relative paths are relative to the config file's directory. */
int cfg_read_secret(struct cfg_ctx *ctx, const char *path, char *out,
		    size_t size);

/* Defaults, then the file. Returns 0 or -1 (errors already printed). */
void cfg_init(struct evpnd_config *cfg);
int cfg_load_file(struct evpnd_config *cfg, const char *path);
int cfg_load_string(struct evpnd_config *cfg, const char *name,
		    const char *text);
/* What the running daemon will check (secret files private, files the
 * sections' check hooks name readable); `evpnd -t` and evpnd's start call
 * it after cfg_load_file(). Reports every problem; returns 0 or -1. */
int cfg_check(const struct evpnd_config *cfg);
/* Longest value accepted (longer ones are errors, never echoed back). */
#define CFG_VALUE_MAX	PATH_MAX
/* The node ID (defined in identity.c). In an overlay: the ID bound to the
 * key in STATE_DIR/identity.pem ([node] id, if set, must equal it; an older
 * random STATE_DIR/node_id is migrated). Static links only: [node] id, else
 * STATE_DIR/node_id, else generated and persisted there. */
int cfg_resolve_node_id(struct evpnd_config *cfg);
void cfg_free(struct evpnd_config *cfg);

/* Parse a static link from a control-socket line of "key=value" words
 * (same keys as [link NAME]); used by `evpnctl link add`. */
int cfg_link_from_words(struct cfg_link *l, const char *name, char **words,
			int nwords, char *err, size_t errlen);


#endif /* EVPND_CONFIG_H */
