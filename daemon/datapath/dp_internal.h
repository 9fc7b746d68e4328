/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Internals of the userspace (TAP) datapath, shared by its files:
 *   link.c  links, key slots, counters
 *   tshow.c `show` JSON (and the counters' JSON for every backend)
 *   tap.c   the TAP device, UDP sockets, batched I/O, GLib watches
 *   path.c  the per-record receive / transmit / forwarding decisions
 *   frag.c  splitting payloads into fragment records, reassembly
 */
#ifndef EVPND_DP_INTERNAL_H
#define EVPND_DP_INTERNAL_H

#include <glib.h>
#include <sys/socket.h>
#include "aead.h"
#include "offload.h"
#include "datapath.h"
#include "backend.h"
#include "fdb.h"
#include "frag.h"
#include "fwd.h"
#include "mss.h"
#include "replay.h"
#include "wire.h"

#define DP_MAX_LINKS	256
#define DP_MAX_SOCKS	16
#define DP_BATCH	64	/* records per recvmmsg / sendmmsg */
#define DP_TAP_BATCH	64	/* frames read from the TAP per wakeup */
#define DP_TAP_RETRY_S	2	/* recreating a deleted device */
#define DP_GSO_MAX_SEGS	64	/* UDP_MAX_SEGMENTS of older kernels */
#define DP_GSO_MAX_BYTES 65000	/* one UDP datagram's payload */
#define DP_GRO_BUF	65536	/* one coalesced receive */
#define DP_GRO_BATCH	16	/* coalesced receives per recvmmsg */

struct dp_keyslot {
	bool valid;
	enum dp_suite suite;
	struct aead_key tx, rx;
	uint32_t tx_key_id, rx_key_id;
	uint64_t tx_counter;	/* next counter to send */
	uint64_t rx_packets;
	gint64 installed;	/* monotonic us */
	struct evpn_replay replay;
};

struct dp_link {
	struct dp *dp;		/* first: struct dp_link_head */
	struct dp_link *next;
	char name[64];
	struct evpn_id peer;
	struct dp_transport t;
	struct dp_keyslot slot[DP_NSLOTS];	/* slot[cur] transmits */
	int cur;
	bool no_expire;		/* static keys: no age/packet hard limits */
	struct dp_counters c;
	void *user;
	/* the peer's own link list (1-lookahead), from its NBRS message */
	struct evpn_id nbr_list[EVPN_MAX_NBR_IDS];
	int nbr_list_len;
	uint64_t flood_tat;	/* flood rate limit (core/ratelimit.h) */
	uint32_t rec_max;	/* largest record on this link (path MTU) */
};

struct dp_sock {
	int fd;
	guint watch;
};

/* One queued outgoing record. */
struct dp_txq {
	int n;
	struct mmsghdr msg[DP_BATCH];
	struct iovec iov[DP_BATCH];
	/* UDP GSO: runs of records to one peer go out as one datagram */
	struct mmsghdr gmsg[DP_BATCH];
	int gcount[DP_BATCH];
	char gcmsg[DP_BATCH][CMSG_SPACE(sizeof(uint16_t))];
	struct dp_link *link[DP_BATCH];
	uint8_t *buf[DP_BATCH];
};

struct dp {
	const struct dp_ops *ops;	/* first: struct dp_head */
	struct dp_config cfg;
	int tap_fd;		/* -1 while the device is gone (tap.c) */
	guint tap_watch, timer;
	guint tap_retry;	/* recreating a deleted device */
	struct dp_sock socks[DP_MAX_SOCKS];
	int nsocks;
	struct dp_link *links;
	int nlinks;
	/* neighbours = links with a usable transmit key, rebuilt on change */
	struct evpn_id nbr_id[DP_MAX_LINKS];
	struct dp_link *nbr[DP_MAX_LINKS];
	int nnbr;
	/* their link lists laid end to end, for evpn_route_la_next_hop */
	struct evpn_id *nn;		/* DP_MAX_LINKS * EVPN_MAX_NBR_IDS */
	int nn_len[DP_MAX_LINKS];
	/* last key looked up by ID (records come in bursts per link) */
	struct dp_link *hit_link;
	int hit_slot;
	struct evpn_fdb fdb;
	struct evpn_fdb_entry *fdb_slots;
	struct dp_counters c;
	uint64_t now;		/* seconds, monotonic, per wakeup */
	size_t bufsz;		/* one record buffer */
	bool udp_gso;		/* UDP_SEGMENT works (off after an error) */
	bool udp_gro;		/* sockets deliver coalesced UDP (UDP_GRO) */
	size_t rx_bufsz;	/* one receive buffer: bufsz, or DP_GRO_BUF */
	int rx_batch;
	/* receive batch */
	struct mmsghdr rx_msg[DP_BATCH];
	struct iovec rx_iov[DP_BATCH];
	struct sockaddr_storage rx_addr[DP_BATCH];
	char rx_cmsg[DP_BATCH][CMSG_SPACE(sizeof(int))];
	uint8_t *rx_mem;
	/* frames read from the TAP */
	uint8_t *tap_mem;
	size_t tap_memsz;
	bool vnet;		/* IFF_VNET_HDR: TSO in, GRO out (offload.h) */
	uint8_t *tso_seg;
	struct gro gro;
	struct dp_txq txq;
	uint8_t *tx_mem;
	/* fragmentation (frag.c) */
	uint32_t frag_id;		/* next ID for a payload we originate */
	uint8_t *frag_pt;		/* one fragment's plaintext */
	uint8_t *frag_sealed;		/* an e2e payload about to be split */
	struct evpn_reasm reasm;
	struct evpn_reasm_ent *reasm_ent;
	uint8_t *reasm_mem;
	guint reasm_timer;
	uint64_t frag_tx;		/* payloads split */
	uint64_t frag_rx;		/* payloads reassembled */
	uint64_t icmp_too_big;		/* answers sent (dp_frag_too_big) */
	uint64_t icmp_sec;		/* rate limit: second, budget left */
	unsigned int icmp_left;
	struct dp_mc *mc;	/* mcast.c */
	GHashTable *e2e;	/* node ID -> struct dp_e2e (e2e.c) */
	/* EVPND_TEST_NO_E2E (benchmarks only): relayed unicast as plain
	 * 0xE1, accepted from any src -- the unprotected baseline */
	bool no_e2e;
	struct dp_e2e *e2e_hit;	/* last one used (flows come in bursts) */
};

/* A pair key with one remote node (e2e.c, docs/protocol.md section 14). */
struct dp_e2e {
	struct evpn_id node;
	struct aead_key tx, rx;
	uint64_t tx_counter;	/* next counter to send */
	struct evpn_replay replay;
	uint64_t tx_packets, rx_packets;
};

/* link.c */
void dp_rebuild_nbrs(struct dp *dp);
bool dp_key_lookup(struct dp *dp, uint32_t key_id, struct dp_link **link,
		   int *slot);
bool dp_slot_expired(const struct dp_link *l, const struct dp_keyslot *s);
/* A static key may seal its next record (its counter is below the persisted
 * nonce floor, or the floor could be raised past it: noncefloor.h). */
bool dp_static_nonce_ok(const struct dp_link *l, const struct dp_keyslot *s);
/* May another flood record from @l pass its rate limit? */
bool dp_flood_admit(struct dp *dp, struct dp_link *l);
void dp_links_free(struct dp *dp);
void dp_count_drop(struct dp *dp, struct dp_link *l, enum evpn_drop_reason r);

/* tap.c */
/* Next free transmit buffer (header room at 0); flushes if full. */
uint8_t *dp_txq_slot(struct dp *dp);
/* Queue the record in the slot returned by dp_txq_slot() for @link. */
void dp_txq_commit(struct dp *dp, struct dp_link *link, size_t len);
void dp_txq_flush(struct dp *dp);
void dp_tap_write(struct dp *dp, const uint8_t *frame, size_t len);
/* Write what GRO holds back; at the end of every receive batch. */
void dp_tap_flush(struct dp *dp);

/* e2e.c */
int dp_e2e_init(struct dp *dp);
void dp_e2e_free(struct dp *dp);
struct dp_e2e *dp_e2e_find(struct dp *dp, const struct evpn_id *node);
/* Seal @frame for @e->node into @out (EVPN_E2E_OVERHEAD + @len bytes).
 * Returns 0, or -1 (counter exhausted or AEAD failure). */
int dp_e2e_seal(struct dp_e2e *e, const struct evpn_id *src,
		const struct evpn_id *dst, const uint8_t *frame, size_t len,
		uint8_t *out);
/* Open the e2e payload @p of @len bytes from @src in place; on success
 * the frame is at @p + EVPN_E2E_HDR_LEN, len - EVPN_E2E_OVERHEAD bytes. */
enum evpn_drop_reason dp_e2e_open(struct dp *dp, const struct evpn_id *src,
				  const struct evpn_id *dst, uint8_t *p,
				  size_t len);
int tap_e2e_set(struct dp *dp, const struct evpn_id *node,
		const struct dp_e2e_key *k);
void tap_e2e_del(struct dp *dp, const struct evpn_id *node);
unsigned int dp_e2e_count(const struct dp *dp);

/* path.c */
void dp_send_record(struct dp *dp, struct dp_link *link, uint8_t type,
		    uint8_t ttl, const struct evpn_id *src,
		    const struct evpn_id *dst, const uint8_t *pt, size_t len);
/* An Ethernet frame for our device from node @src (a whole record's
 * plaintext, an opened e2e payload, a reassembled payload): @proven, its
 * origin is proven (learned as owning the MAC, else tentatively,
 * docs/protocol.md 14.3); @flooded: it came by flood, so a multicast frame
 * reaches the device only if a local port wants it. */
void dp_deliver(struct dp *dp, const struct evpn_id *src, uint8_t *frame,
		size_t len, bool proven, bool flooded);
/* An e2e payload for this node (a whole 0xE3 record's plaintext or a
 * reassembled one, @len bytes, writable) from @src: opened with the pair
 * key, which proves the origin, then delivered; failures counted on @l. */
void dp_deliver_e2e(struct dp *dp, struct dp_link *l,
		    const struct evpn_id *src, uint8_t *p, size_t len);
void dp_rx_record(struct dp *dp, struct dp_link *from_link, uint8_t *buf,
		  size_t len, const struct sockaddr *from, socklen_t fromlen,
		  int fd);
void dp_tx_frame(struct dp *dp, uint8_t *frame, size_t len);
/* Bounded flood of a record of @type (pruned if it is a multicast frame). */
void dp_flood(struct dp *dp, uint8_t type, uint8_t ttl,
	      const struct evpn_id *src, const struct evpn_id *end, int skip,
	      const uint8_t *frame, size_t len, bool relay);

/* mcast.c: IGMP/MLD snooping, pruned multicast flood, announcements */
int dp_mc_init(struct dp *dp);
void dp_mc_free(struct dp *dp);
void dp_mc_snoop(struct dp *dp, const uint8_t *frame, size_t len);
int dp_mc_prune(struct dp *dp, const uint8_t *frame, size_t len,
		struct evpn_flood_hop *hops, int n);
bool dp_mc_local_wants(struct dp *dp, const uint8_t *frame, size_t len);
void dp_mc_rx_announce(struct dp *dp, struct dp_link *l,
		       const struct evpn_id *src, const uint8_t *buf,
		       size_t len);
void dp_mc_show_json(struct dp *dp, JsonBuilder *b);

/* frag.c */
int dp_frag_setup(struct dp *dp);
void dp_frag_free(struct dp *dp);
static inline uint32_t dp_frag_next_id(struct dp *dp)
{
	return dp->frag_id++;
}
/* Split @payload (of record type @inner: 0xE1, 0xE2, or 0xE3, a payload
 * already sealed end to end) into fragments of at most @rec_max-byte
 * records to @link, all from this node to @dst. */
void dp_frag_send(struct dp *dp, struct dp_link *link, uint8_t inner,
		  const struct evpn_id *dst, const uint8_t *payload, size_t len,
		  size_t rec_max, uint32_t id);
/* An authenticated fragment record for this node (0xE4 to us, or 0xE5)
 * from link @from; a completed payload is handled as a record of its
 * inner type (docs/protocol.md 14.3). */
void dp_frag_input(struct dp *dp, struct dp_link *from,
		   const struct evpn_hdr *h, const uint8_t *pt, size_t len);
/* A frame from the device too large to carry: answer an IP sender with
 * ICMP fragmentation needed / ICMPv6 packet too big (rate-limited). */
void dp_frag_too_big(struct dp *dp, const uint8_t *frame, size_t len);
/* Largest frame that TSO output may have to stay one record. */
size_t dp_frag_tso_frame(const struct dp *dp);

/* The datapath.h entry points, reached through dp_tap_ops (dispatch.c). */
void tap_destroy(struct dp *dp);
const char *tap_ifname(const struct dp *dp);
const struct evpn_id *tap_node_id(const struct dp *dp);
enum dp_kind tap_kind(const struct dp *dp);
int tap_socket_add(struct dp *dp, int fd);
void tap_socket_del(struct dp *dp, int fd);
struct dp_link *tap_link_add(struct dp *dp, const struct evpn_id *peer,
			     const char *name, const struct dp_transport *t);
void tap_link_del(struct dp *dp, struct dp_link *link);
struct dp_link *tap_link_find(struct dp *dp, const char *name);
int tap_link_set_transport(struct dp_link *link, const struct dp_transport *t);
const struct evpn_id *tap_link_peer(const struct dp_link *link);
const char *tap_link_name(const struct dp_link *link);
int tap_link_set_keys(struct dp_link *link, enum dp_slot slot,
		      enum dp_suite suite, const struct dp_key_dir *tx,
		      const struct dp_key_dir *rx);
void tap_link_set_static(struct dp_link *link, bool is_static);
void tap_link_swap_keys(struct dp_link *link);
void tap_link_retire_key(struct dp_link *link, enum dp_slot slot);
int tap_link_set_nbrs(struct dp_link *link, const struct evpn_id *ids, int n);
int tap_link_set_record_max(struct dp_link *link, uint32_t bytes);
void tap_input(struct dp *dp, struct dp_link *link, uint8_t *buf, size_t len);
const struct dp_counters *tap_counters(const struct dp *dp);
const struct dp_counters *tap_link_counters(const struct dp_link *link);
void tap_show_json(struct dp *dp, JsonBuilder *b, dp_link_json_fn extra_link,
		   void *ctx);
void tap_fdb_foreach(struct dp *dp, dp_fdb_iter_fn fn, void *ctx);
void tap_link_foreach(struct dp *dp, dp_link_iter_fn fn, void *ctx);
void tap_link_set_user(struct dp_link *link, void *user);
void *tap_link_user(const struct dp_link *link);

#endif /* EVPND_DP_INTERNAL_H */
