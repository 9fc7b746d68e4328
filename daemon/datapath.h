/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The datapath interface of evpnd.
 *
 * Two backends implement it: the userspace TAP datapath (daemon/datapath/
 * tap.c, which encrypts, decrypts and forwards records itself) and, later,
 * the kernel backend (daemon/datapath/kernel.c, which installs the same
 * state into evpn.ko over generic netlink). Everything above this header
 * (static links, the overlay, the control socket) talks only to it.
 *
 * Model: a datapath is one virtual Ethernet device with one node ID. It has
 * links to neighbour nodes; each link has a transport (a UDP socket + remote
 * address the datapath sends on, or a send callback) and two key slots
 * (DP_SLOT_CURRENT is used to transmit; both slots are accepted on receive,
 * so the next key can be installed before the current one retires).
 * Single-threaded: all calls come from the GLib main loop.
 */
#ifndef EVPND_DATAPATH_H
#define EVPND_DATAPATH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <linux/evpn.h>
#include <json-glib/json-glib.h>
#include "id.h"
#include "wire.h"

struct dp;
struct dp_link;

enum dp_kind {
	DP_KIND_TAP,
	DP_KIND_KERNEL,
	DP_KIND_AUTO,		/* dp_create(): kernel if evpn.ko is usable */
};

/* What a datapath tells a link's owner (dp_transport.on_event). */
enum dp_event {
	DP_EVENT_REKEY,		/* the current key reached its soft limit */
	DP_EVENT_UNREACHABLE,	/* sending to the peer failed */
	DP_EVENT_LOST,		/* the device was recreated without the link's
				 * keys: build the link again (new keys) */
};

enum dp_suite {
	DP_SUITE_AES256GCM = 0,		/* default */
	DP_SUITE_CHACHA20POLY1305,
};
const char *dp_suite_name(enum dp_suite s);
int dp_suite_parse(const char *name, enum dp_suite *out);

enum dp_slot {
	DP_SLOT_CURRENT = 0,
	DP_SLOT_NEXT = 1,
	DP_NSLOTS
};

/* One direction of a key: AEAD key, IV, and the receiver-chosen key ID. */
struct dp_key_dir {
	uint8_t key[EVPN_KEY_LEN];
	uint8_t iv[EVPN_IV_LEN];
	uint32_t key_id;
};

/*
 * How a link's records leave this node. Either @fd >= 0 (a UDP socket the
 * datapath reads and writes; records go to @addr) or @send (the transport
 * sends, e.g. nice_agent_send for a relayed ICE path, and hands received
 * records back through dp_input()).
 *
 * @on_other, if set, receives packets arriving on a datapath-owned socket
 * from @addr whose first byte is not an evpn data record (STUN, DTLS), so
 * DTLS and STUN can share the 5-tuple with data. Without it they are counted
 * as EVPN_DROP_NOT_DATA.
 *
 * With the kernel backend, an @fd transport is handed to evpn.ko (its UDP
 * encap hook consumes data records; STUN/DTLS stay on the socket for its
 * owner, e.g. libnice); a @send transport goes through a loopback shim
 * (docs/architecture.md "Relayed links under the kernel datapath").
 * With the TAP backend, an @fd the datapath was not given with
 * dp_socket_add() is only sent on (the ICE socket handoff: libnice keeps
 * reading it and passes records in through dp_input()).
 *
 * @on_event, if set, is told what the datapath notices about the link
 * (evpn.ko's events: key soft limit, peer unreachable).
 */
struct dp_transport {
	int fd;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	int (*send)(void *ctx, const void *buf, size_t len);
	void *send_ctx;
	void (*on_other)(void *ctx, const uint8_t *buf, size_t len,
			 const struct sockaddr *from, socklen_t fromlen);
	void *other_ctx;
	void (*on_event)(void *ctx, enum dp_event ev);
	void *event_ctx;
	bool relayed;		/* shown by `evpnctl show` */
	/* A relayed path (@send) through our own TURN allocation over UDP:
	 * the socket libnice made it from (@turn_fd, still libnice's), the
	 * TURN server and the peer's address behind it. Set (ss_family) only
	 * with @send; the kernel backend then frames records for the relay
	 * itself (kmod/turn.c) instead of the loopback shim. */
	int turn_fd;
	struct sockaddr_storage turn_server, turn_peer;
};

struct dp_counters {
	uint64_t rx_packets, rx_bytes;	/* records accepted on links */
	uint64_t tx_packets, tx_bytes;	/* records sent on links */
	uint64_t fwd_packets;		/* of tx: transit + flood relays */
	uint64_t tap_rx_packets, tap_rx_bytes;	/* frames read from the device */
	uint64_t tap_tx_packets, tap_tx_bytes;	/* frames written to it */
	uint64_t drops[__EVPN_DROP_MAX];
	uint64_t device_lost;		/* device deleted under us, recreated */
};

struct dp_config {
	enum dp_kind kind;
	char ifname[16];
	unsigned int mtu;
	struct evpn_id node_id;
	unsigned int fdb_size;		/* max entries */
	unsigned int fdb_age;		/* seconds */
	unsigned int flood_rate;	/* TAP: flood records/s per link, 0: off */
	bool offload;			/* TAP: vnet header + TSO/GSO (if built) */
	/* called after the device was lost and created again (so its
	 * configured addresses can be applied again) */
	void (*recreated)(void *ctx);
	void *recreated_ctx;
	bool mss_clamp;			/* clamp TCP SYNs' MSS to one record */
};

/* Life cycle. dp_create() opens the device and registers its fds with the
 * default GMainContext. cfg->kind DP_KIND_AUTO picks the kernel backend
 * when evpn.ko is usable (family reachable or loadable, device present or
 * creatable), else TAP; DP_KIND_KERNEL fails if it is not. Returns NULL and
 * logs on failure. */
struct dp *dp_create(const struct dp_config *cfg);
void dp_destroy(struct dp *dp);

const char *dp_ifname(const struct dp *dp);
const struct evpn_id *dp_node_id(const struct dp *dp);
enum dp_kind dp_kind(const struct dp *dp);

/*
 * Register a UDP socket with the datapath: it reads it (recvmmsg), demuxes
 * records by key ID, and hands other packets to the link whose transport
 * @addr matches the source (or counts them). The datapath does not take
 * ownership: the caller closes it after dp_socket_del() / dp_destroy().
 */
int dp_socket_add(struct dp *dp, int fd);
/* Size a UDP socket's buffers for data-plane bursts (also for sockets the
 * datapath only sends on, e.g. libnice's ICE sockets, which libnice reads). */
void dp_socket_buffers(int fd);
void dp_socket_del(struct dp *dp, int fd);

/* Links. @name is for humans (shown; static links use their section name). */
struct dp_link *dp_link_add(struct dp *dp, const struct evpn_id *peer,
			    const char *name, const struct dp_transport *t);
void dp_link_del(struct dp *dp, struct dp_link *link);
struct dp_link *dp_link_find(struct dp *dp, const char *name);
int dp_link_set_transport(struct dp_link *link, const struct dp_transport *t);
const struct evpn_id *dp_link_peer(const struct dp_link *link);
const char *dp_link_name(const struct dp_link *link);

/*
 * Install keys into @slot (replacing and wiping what was there). The
 * receive key ID must be unique among this datapath's receive keys.
 * Returns 0 or -errno (-EEXIST for a duplicate receive key ID).
 */
int dp_link_set_keys(struct dp_link *link, enum dp_slot slot,
		     enum dp_suite suite, const struct dp_key_dir *tx,
		     const struct dp_key_dir *rx);
/* Static (pre-shared) keys: no hard age/packet limit, and the transmit
 * counter starts at the wall clock in ns so a restart never reuses a nonce.
 * Call before dp_link_set_keys(). */
void dp_link_set_static(struct dp_link *link, bool is_static);
/* Make NEXT the CURRENT slot (transmit with it); the old CURRENT becomes
 * NEXT and is still accepted until retired. */
void dp_link_swap_keys(struct dp_link *link);
/* Wipe and remove the key in @slot. */
void dp_link_retire_key(struct dp_link *link, enum dp_slot slot);

/*
 * The peer's own link list (@n <= EVPN_MAX_NBR_IDS node IDs, learned from
 * its in-band NBRS message): unicast is then routed with 1-lookahead
 * (core/route_la.h) over this link's neighbours. Replaces the previous
 * list; @n = 0 forgets it. Dropped with the link. Returns 0 or -errno.
 */
int dp_link_set_nbrs(struct dp_link *link, const struct evpn_id *ids, int n);

/*
 * End-to-end pair keys (docs/protocol.md section 14): one per remote node,
 * ChaCha20-Poly1305 whatever the links use. Unicast to a node that is not
 * the next hop is sealed with it (record type 0xE3); a 0xE3 record from
 * that node is opened with it, and only then delivered and learned from.
 * The key IDs are not used (the pair is named by the two node IDs);
 * @tx_counter is the first counter to send (0 for per-run keys). Replaces
 * (and wipes) any key for @node. Returns 0 or -errno (-EOPNOTSUPP: the
 * backend has no e2e layer).
 */
struct dp_e2e_key {
	struct dp_key_dir tx, rx;
	uint64_t tx_counter;
};
int dp_e2e_set(struct dp *dp, const struct evpn_id *node,
	       const struct dp_e2e_key *k);
void dp_e2e_del(struct dp *dp, const struct evpn_id *node);

/*
 * The largest record sent on the link (its path MTU as path MTU probing
 * found it, EVPN_RECORD_MIN .. EVPN_RECORD_MAX): larger payloads are split
 * into fragment records (docs/protocol.md section 10). Default
 * EVPN_RECORD_DEFAULT. Returns 0 or -errno.
 */
int dp_link_set_record_max(struct dp_link *link, uint32_t bytes);

/* A record received by a transport that reads its own packets. */
void dp_input(struct dp *dp, struct dp_link *link, uint8_t *buf, size_t len);

/* Counters. */
const struct dp_counters *dp_counters(const struct dp *dp);
const struct dp_counters *dp_link_counters(const struct dp_link *link);
const char *dp_drop_name(enum evpn_drop_reason r);
/* Counters as members of the builder's open object, the same for every
 * backend; @dev adds the device-only TAP counters. */
void dp_counters_json(JsonBuilder *b, const struct dp_counters *c, bool dev);
/* A link object's members that every backend has (docs/status.md): opens
 * the object with "name", "peer", "endpoint", "relayed", "static" ... */
void dp_link_json_begin(JsonBuilder *b, const char *name,
			const struct evpn_id *peer, const char *endpoint,
			bool relayed, bool is_static);
/* ... the current key ("suite" and "key_age" null without one, else with
 * "tx_key_id", "rx_key_id") and "next_key" ... */
void dp_link_json_keys(JsonBuilder *b, const char *suite, uint64_t age_s,
		       uint32_t tx_key_id, uint32_t rx_key_id, bool next_key);

/*
 * JSON for `evpnctl status` (docs/status.md): adds the members of the device
 * object to @b: "ifname", "node_id", "datapath", "mtu", counters, "drops",
 * "fdb_entries", "links": [...]. @extra_link, if set, may add members to
 * each link object (called after the datapath's own members).
 */
typedef void (*dp_link_json_fn)(JsonBuilder *b, struct dp_link *link,
				void *ctx);
void dp_show_json(struct dp *dp, JsonBuilder *b, dp_link_json_fn extra_link,
		  void *ctx);
/* ... and last its counters, @extra's members, and the object's end. */
void dp_link_json_end(JsonBuilder *b, struct dp_link *link,
		      const struct dp_counters *c, dp_link_json_fn extra,
		      void *ctx);

/* The forwarding table: @fn for each live entry (MAC -> node ID);
 * @tentative: learned from a relayed flood, not proven (docs/protocol.md
 * 14.3; the kernel's dump does not carry the flag: always false there). */
typedef void (*dp_fdb_iter_fn)(const uint8_t mac[6],
			       const struct evpn_id *node, bool is_static,
			       bool tentative, void *ctx);
void dp_fdb_foreach(struct dp *dp, dp_fdb_iter_fn fn, void *ctx);

/* Iterate links (e.g. for the control-plane's status). */
typedef void (*dp_link_iter_fn)(struct dp_link *link, void *ctx);
void dp_link_foreach(struct dp *dp, dp_link_iter_fn fn, void *ctx);

/* Opaque per-link pointer for the code that created the link. */
void dp_link_set_user(struct dp_link *link, void *user);
void *dp_link_user(const struct dp_link *link);

#endif /* EVPND_DATAPATH_H */
