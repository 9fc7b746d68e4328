/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TURN framing around evpn records (RFC 8656), for relayed links whose
 * records the datapath sends and receives on the socket libnice uses towards
 * the TURN server (docs/protocol.md "Relayed links"):
 *
 *   in   a ChannelData message (first byte 0x40-0x4F, RFC 8656 section 12.4)
 *        or a Data indication (STUN method Data, class indication) whose
 *        payload is an evpn record (first byte 0xE0-0xEF). Everything else
 *        -- TURN responses, refreshes, STUN checks or DTLS inside
 *        ChannelData -- is not ours and goes to libnice untouched.
 *   out  a ChannelData header (when the channel libnice bound for the peer
 *        is known), else a Send indication (XOR-PEER-ADDRESS + DATA; no
 *        authentication: indications carry none, RFC 8656 section 10.1).
 *
 * Bounds-checked on every field; shared by evpn.ko and userspace.
 */
#ifndef EVPN_TURN_H
#define EVPN_TURN_H

#include "evpn_types.h"

#define EVPN_TURN_CD_HLEN	4	/* ChannelData header */
#define EVPN_TURN_STUN_HLEN	20	/* STUN header */
#define EVPN_TURN_MAGIC		0x2112A442u
#define EVPN_TURN_TXID_LEN	12
#define EVPN_TURN_SEND_IND	0x0016	/* Send indication */
#define EVPN_TURN_DATA_IND	0x0017	/* Data indication */
#define EVPN_TURN_ATTR_XPEER	0x0012	/* XOR-PEER-ADDRESS */
#define EVPN_TURN_ATTR_DATA	0x0013	/* DATA */
#define EVPN_TURN_CHAN_MIN	0x4000
#define EVPN_TURN_CHAN_MAX	0x4FFF
/* Largest Send indication header (IPv6 peer) and trailing padding. */
#define EVPN_TURN_SEND_HLEN_MAX	(EVPN_TURN_STUN_HLEN + 4 + 20 + 4)
#define EVPN_TURN_PAD_MAX	3

/* Where the evpn record sits in a received TURN message. */
struct evpn_turn_in {
	size_t off, len;
	uint16_t channel;	/* ChannelData's channel; 0: Data indication */
};

/*
 * @buf (@len bytes, the UDP payload) is a ChannelData message or a Data
 * indication carrying an evpn record: fill @in and return true. False for
 * anything else (including malformed messages: not ours to judge).
 */
bool evpn_turn_parse(const uint8_t *buf, size_t len, struct evpn_turn_in *in);

/* The peer a Send indication goes to: @addr 4 (IPv4) or 16 (IPv6) bytes,
 * network order; @port host order. */
struct evpn_turn_peer {
	uint8_t family;		/* 4 or 6; 0 = none */
	uint16_t port;
	uint8_t addr[16];
};

/* Header length of a Send indication to @peer (before the record), and
 * the padding after a record of @plen bytes. */
size_t evpn_turn_send_hlen(const struct evpn_turn_peer *peer);
size_t evpn_turn_pad(size_t plen);

/* Write the Send indication header for a record of @plen bytes to @peer
 * into @out (evpn_turn_send_hlen() bytes); the caller appends the record
 * and evpn_turn_pad(plen) zero bytes. @txid: EVPN_TURN_TXID_LEN bytes. */
void evpn_turn_send_hdr(uint8_t *out, const struct evpn_turn_peer *peer,
			const uint8_t *txid, size_t plen);

/* Write the ChannelData header for @plen bytes on @channel into @out. */
void evpn_turn_cd_hdr(uint8_t out[EVPN_TURN_CD_HLEN], uint16_t channel,
		      size_t plen);

#endif /* EVPN_TURN_H */
