// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpn-craft: send crafted evpn records at a node, for bad-input tests.
 *
 *   evpn-craft -t IP:PORT -s SRC_ID -d NODE_ID -k PSK_HEX [options] CASE
 *
 * The tool plays node SRC_ID holding a static link (same psk and KDF as
 * evpnd's [link] sections, lib/statickeys.c) to NODE_ID, and sends one
 * record per CASE:
 *   valid       a well-formed unicast to NODE_ID (it must be delivered)
 *   flood       a well-formed flood record originated by SRC_ID
 *   flood-end-self  a flood record whose interval end is NODE_ID itself
 *               (non-conforming: deliver, never relay; docs/protocol.md 8.2)
 *   truncated   a record cut short of header + tag + Ethernet header
 *   version     first byte 0xEF (evpn magic, unknown version/type)
 *   reserved    reserved header bits set
 *   zero-key    key ID 0
 *   unknown-key a key ID nobody installed
 *   tag         a valid record with one tag bit flipped
 *   ttl0        a valid, authenticated record with TTL 0
 *   oversize    a datagram larger than any record the node accepts
 *   wrong-dst   a valid unicast for -D ID (default NODE_ID + 1), which the
 *               node is not and has no closer link to
 *   stun        a STUN-looking packet (first byte 0x00) nobody expects
 *   e2e         an end-to-end record (0xE3) to NODE_ID (or -D ID) whose
 *               e2e payload is sealed with no pair key anybody holds
 *               (a forged origin: e2e_auth at a destination holding a pair
 *               key with the claimed src, else e2e_no_key); with -E PSK
 *               sealed with the pre-shared pair key of (the header's src,
 *               that destination), as a genuine origin would
 * Fragment cases (core/frag.h; the frame is -l bytes, default 1500), each
 * several records with consecutive counters:
 *   frag-valid    a unicast frame in two fragments (it must be delivered)
 *   frag-flood    a flooded frame in two fragments, interval end SRC_ID
 *   frag-missing  only the first of two fragments (FRAG_TIMEOUT)
 *   frag-overlap  two fragments that overlap (FRAG_OVERLAP)
 *   frag-oversize a fragment whose total exceeds the largest frame
 *                 (FRAG_INVALID)
 *   frag-sealed   an e2e payload (inner type 0xE3) in two fragments, sealed
 *                 as the e2e case is (-E PSK: with the pair key)
 *   frag-share    one neighbour filling the reassembly table does not block
 *                 another (docs/protocol.md 10.2): SRC_ID sends 64 partial
 *                 payloads (EVPN_REASM_SLOTS), the second neighbour -A ID2
 *                 (same psk, its own socket: -B, to -R) the first half of a
 *                 frame, SRC_ID 80 more partial payloads, the second
 *                 neighbour the rest of its frame (it must be delivered),
 *                 then one more whole frame (delivered too)
 * Unicast fragments go to NODE_ID, or to -D ID; the header's src is -F.
 * Options: -c COUNTER (default: now in ns), -T TTL, -S suite, -D dst ID,
 *          -n N (send the same record N times: replays), -N N (N records
 *          with successive counters: a burst), -l LEN (frame),
 *          -E PSK_HEX (e2e: the pair psk, evpnd's [e2e] KDF), -e COUNTER
 *          (e2e: the e2e counter; default the record counter),
 *          -F ID (the header's src claims ID: a forged origin; default
 *          SRC_ID), -m MAC / -M MAC (the frame's source / destination MAC;
 *          default 02:c0:ff:ee:00:01 / broadcast), -A ID2 -B IP:PORT
 *          [-R IP:PORT] (frag-share: the second neighbour's node ID, the
 *          address its socket binds, where it sends; default -t).
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "aead.h"
#include "frag.h"
#include "fmt.h"
#include "statickeys.h"
#include "wire.h"

struct craft {
	struct evpn_id src, node, dst;
	struct evpn_id hsrc;	/* the header's src (-F) */
	uint8_t smac[6], dmac[6];
	bool has_dst;
	uint8_t psk[EVPN_PSK_LEN];
	enum evpn_aead suite;
	uint64_t counter;
	uint64_t e2e_counter;
	bool has_e2e_counter, has_e2e_psk;
	uint8_t e2e_psk[EVPN_PSK_LEN];
	int ttl;
	size_t flen;
	struct evpn_static_keys keys;
};

static void frame_fill(const struct craft *c, uint8_t *f, size_t len)
{
	size_t i;

	memcpy(f, c->dmac, 6);
	memcpy(f + 6, c->smac, 6);
	f[12] = 0x88;	/* local experimental ethertype 0x88b5 */
	f[13] = 0xb5;
	for (i = EVPN_ETH_HLEN; i < len; i++)
		f[i] = i;
}

/* The e2e payload for @dst at @pt: with -E sealed with the pair key of
 * (the header's src, @dst), else a counter, the frame and a junk tag. */
static void e2e_payload(struct craft *c, const struct evpn_id *dst,
			uint8_t *pt)
{
	struct evpn_e2e_hdr eh = {
		.counter = c->has_e2e_counter ? c->e2e_counter : c->counter,
	};
	uint8_t frame[EVPN_MAX_INNER_LEN], aad[EVPN_E2E_AAD_LEN];
	struct evpn_static_keys pk;
	struct aead_key k;

	evpn_e2e_hdr_encode(pt, &eh);
	frame_fill(c, frame, c->flen);
	if (!c->has_e2e_psk) {
		memcpy(pt + EVPN_E2E_HDR_LEN, frame, c->flen);
		memset(pt + EVPN_E2E_HDR_LEN + c->flen, 0xa5, EVPN_TAG_LEN);
		return;
	}
	evpn_e2e_aad(aad, &c->hsrc, dst, pt);
	if (evpn_e2e_psk_keys_derive(c->e2e_psk, EVPN_PSK_LEN, &c->hsrc, dst,
				     &pk) ||
	    aead_key_init(&k, EVPN_AEAD_CHACHA20POLY1305, pk.tx.key, pk.tx.iv,
			  true) ||
	    aead_seal(&k, eh.counter, aad, sizeof(aad), frame, c->flen,
		      pt + EVPN_E2E_HDR_LEN, pt + EVPN_E2E_HDR_LEN + c->flen)) {
		fprintf(stderr, "evpn-craft: e2e sealing failed\n");
		exit(1);
	}
	aead_key_clear(&k);
}

/* A well-formed record of @pt into @buf; returns its length. */
static size_t seal_pt(struct craft *c, uint8_t type, const struct evpn_id *dst,
		      const uint8_t *pt, size_t len, uint8_t *buf)
{
	struct aead_key k;
	struct evpn_hdr h = {
		.type = type, .ttl = c->ttl, .key_id = c->keys.tx_key_id,
		.counter = c->counter, .src = c->hsrc, .dst = *dst,
	};

	evpn_hdr_encode(buf, &h);
	if (aead_key_init(&k, c->suite, c->keys.tx.key, c->keys.tx.iv, true) ||
	    aead_seal(&k, h.counter, buf, EVPN_HDR_LEN, pt, len,
		      buf + EVPN_HDR_LEN, buf + EVPN_HDR_LEN + len)) {
		fprintf(stderr, "evpn-craft: encryption failed\n");
		exit(1);
	}
	aead_key_clear(&k);
	return len + EVPN_OVERHEAD;
}

/*
 * The plaintext a record of @type carries for the test frame, into @pt;
 * returns its length (an e2e payload for 0xE3: e2e_payload()).
 */
static size_t payload(struct craft *c, uint8_t type, const struct evpn_id *dst,
		      uint8_t *pt)
{
	if (type != EVPN_TYPE_E2E) {
		frame_fill(c, pt, c->flen);
		return c->flen;
	}
	e2e_payload(c, dst, pt);
	return c->flen + EVPN_E2E_OVERHEAD;
}

/* A well-formed, encrypted record into @buf; returns its length. */
static size_t seal(struct craft *c, uint8_t type, const struct evpn_id *dst,
		   uint8_t *buf)
{
	static uint8_t pt[EVPN_MAX_INNER_LEN + 256 + EVPN_E2E_OVERHEAD];

	return seal_pt(c, type, dst, pt, payload(c, type, dst, pt), buf);
}

/* Send one fragment record: bytes [off, off + n) of a payload of @total
 * bytes (the test frame, or an e2e payload around it), inner type @inner,
 * fragment ID @id. */
static void send_frag(struct craft *c, int fd, const struct sockaddr *to,
		      socklen_t tolen, uint8_t inner, uint32_t id, size_t total,
		      size_t off, size_t n)
{
	static uint8_t whole[EVPN_MAX_INNER_LEN + 256 + EVPN_E2E_OVERHEAD];
	static uint8_t pt[EVPN_FRAG_HLEN + sizeof(whole)];
	static uint8_t buf[sizeof(pt) + EVPN_OVERHEAD];
	struct evpn_frag_hdr f = { .inner = inner, .total = (uint16_t)total,
				   .id = id, .offset = (uint16_t)off };
	uint8_t outer = evpn_frag_outer(inner);
	const struct evpn_id *dst = outer == EVPN_TYPE_FLOOD_FRAG ? &c->src :
				    c->has_dst ? &c->dst : &c->node;
	size_t len;

	payload(c, inner, dst, whole);
	evpn_frag_hdr_encode(pt, &f);
	memcpy(pt + EVPN_FRAG_HLEN, whole + off, n);
	len = seal_pt(c, outer, dst, pt, EVPN_FRAG_HLEN + n, buf);
	c->counter++;
	if (sendto(fd, buf, len, 0, to, tolen) != (ssize_t)len) {
		perror("evpn-craft: sendto");
		exit(1);
	}
}

/* The second neighbour of frag-share: its own ID, keys and socket. */
struct craft2 {
	struct craft c;
	int fd;
	struct sockaddr_storage to;
	socklen_t tolen;
};

/* frag-share (see the top of the file). The counter is shared, so both
 * neighbours' records stay in order whatever their keys. */
static void frag_share(struct craft *c, struct craft2 *c2, int fd,
		       const struct sockaddr *to, socklen_t tolen)
{
	size_t t = c->flen, h = t / 2;
	uint32_t id2;
	int i;

	for (i = 0; i < EVPN_REASM_SLOTS; i++)
		send_frag(c, fd, to, tolen, EVPN_TYPE_UNICAST,
			  (uint32_t)c->counter, t, 0, h);
	c2->c.counter = c->counter;
	id2 = (uint32_t)c2->c.counter;
	send_frag(&c2->c, c2->fd, (struct sockaddr *)&c2->to, c2->tolen,
		  EVPN_TYPE_UNICAST, id2, t, 0, h);
	c->counter = c2->c.counter;
	for (i = 0; i < EVPN_REASM_SLOTS + 16; i++)
		send_frag(c, fd, to, tolen, EVPN_TYPE_UNICAST,
			  (uint32_t)c->counter, t, 0, h);
	c2->c.counter = c->counter;
	send_frag(&c2->c, c2->fd, (struct sockaddr *)&c2->to, c2->tolen,
		  EVPN_TYPE_UNICAST, id2, t, h, t - h);
	id2 = (uint32_t)c2->c.counter;
	send_frag(&c2->c, c2->fd, (struct sockaddr *)&c2->to, c2->tolen,
		  EVPN_TYPE_UNICAST, id2, t, 0, h);
	send_frag(&c2->c, c2->fd, (struct sockaddr *)&c2->to, c2->tolen,
		  EVPN_TYPE_UNICAST, id2, t, h, t - h);
	c->counter = c2->c.counter;
}

/* The fragment cases; false if @what is not one. The fragment ID comes
 * from the first record's counter (unique per run). */
static bool frag_case(struct craft *c, const char *what, int fd,
		      const struct sockaddr *to, socklen_t tolen)
{
	size_t t = c->flen, h = t / 2;
	uint32_t id = (uint32_t)c->counter;

	if (!strcmp(what, "frag-valid")) {
		/* the second half first: order does not matter */
		send_frag(c, fd, to, tolen, EVPN_TYPE_UNICAST, id, t, h, t - h);
		send_frag(c, fd, to, tolen, EVPN_TYPE_UNICAST, id, t, 0, h);
	} else if (!strcmp(what, "frag-sealed")) {
		/* one e2e payload in both pieces: one e2e counter */
		if (!c->has_e2e_counter) {
			c->e2e_counter = c->counter;
			c->has_e2e_counter = true;
		}
		t += EVPN_E2E_OVERHEAD;
		h = t / 2;
		send_frag(c, fd, to, tolen, EVPN_TYPE_E2E, id, t, 0, h);
		send_frag(c, fd, to, tolen, EVPN_TYPE_E2E, id, t, h, t - h);
	} else if (!strcmp(what, "frag-flood")) {
		send_frag(c, fd, to, tolen, EVPN_TYPE_FLOOD, id, t, 0, h);
		send_frag(c, fd, to, tolen, EVPN_TYPE_FLOOD, id, t, h, t - h);
	} else if (!strcmp(what, "frag-missing")) {
		send_frag(c, fd, to, tolen, EVPN_TYPE_UNICAST, id, t, 0, h);
	} else if (!strcmp(what, "frag-overlap")) {
		send_frag(c, fd, to, tolen, EVPN_TYPE_UNICAST, id, t, 0, h + 1);
		send_frag(c, fd, to, tolen, EVPN_TYPE_UNICAST, id, t, h, t - h);
	} else if (!strcmp(what, "frag-oversize")) {
		send_frag(c, fd, to, tolen, EVPN_TYPE_UNICAST, id,
			  EVPN_MAX_INNER_LEN + 1, 0, h);
	} else {
		return false;
	}
	return true;
}

static size_t build(struct craft *c, const char *what, uint8_t *buf)
{
	size_t len;

	if (!strcmp(what, "valid"))
		return seal(c, EVPN_TYPE_UNICAST, &c->node, buf);
	if (!strcmp(what, "flood"))
		return seal(c, EVPN_TYPE_FLOOD, &c->src, buf);
	if (!strcmp(what, "flood-end-self"))
		return seal(c, EVPN_TYPE_FLOOD, &c->node, buf);
	if (!strcmp(what, "ttl0")) {
		c->ttl = 0;
		return seal(c, EVPN_TYPE_UNICAST, &c->node, buf);
	}
	if (!strcmp(what, "wrong-dst"))
		return seal(c, EVPN_TYPE_UNICAST, &c->dst, buf);
	if (!strcmp(what, "e2e"))
		return seal(c, EVPN_TYPE_E2E, c->has_dst ? &c->dst : &c->node,
			    buf);
	len = seal(c, EVPN_TYPE_UNICAST, &c->node, buf);
	if (!strcmp(what, "truncated"))
		return EVPN_HDR_LEN + EVPN_TAG_LEN + EVPN_ETH_HLEN - 1;
	if (!strcmp(what, "version")) {
		buf[0] = 0xEF;
		return len;
	}
	if (!strcmp(what, "reserved")) {
		buf[2] = 0x01;
		return len;
	}
	if (!strcmp(what, "zero-key")) {
		memset(buf + 4, 0, 4);
		return len;
	}
	if (!strcmp(what, "unknown-key")) {
		uint32_t id = htonl(c->keys.tx_key_id ^ 0x5a5a5a5a);

		memcpy(buf + 4, &id, 4);
		return len;
	}
	if (!strcmp(what, "tag")) {
		buf[len - 1] ^= 0x01;
		return len;
	}
	if (!strcmp(what, "oversize")) {
		c->flen = EVPN_MAX_INNER_LEN + 100;
		memset(buf, 0xab, c->flen + EVPN_OVERHEAD);
		return seal(c, EVPN_TYPE_UNICAST, &c->node, buf);
	}
	if (!strcmp(what, "stun")) {
		memset(buf, 0, 20);
		return 20;
	}
	fprintf(stderr, "evpn-craft: unknown case '%s'\n", what);
	exit(2);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void usage(void)
{
	fprintf(stderr, "usage: evpn-craft -t IP:PORT -s SRC_ID -d NODE_ID "
		"-k PSK_HEX [-c COUNTER] [-T TTL] [-S SUITE] [-D DST_ID] "
		"[-n N | -N N] [-l FRAMELEN] [-b BIND_IP:PORT] [-F SRC_CLAIMED] "
		"[-m SRC_MAC] [-M DST_MAC] [-E E2E_PSK_HEX] [-e E2E_COUNTER] "
		"[-A ID2 -B BIND2_IP:PORT [-R IP2:PORT]] CASE\n");
	exit(2);
}

/* The second neighbour of frag-share: @c's settings with its own ID
 * (c2->c.src, already set), keys and socket. Returns 0 or -1. */
static int craft2_init(struct craft2 *c2, const struct craft *c,
		       const struct sockaddr_storage *to, socklen_t tolen,
		       const struct sockaddr_storage *from, socklen_t fromlen)
{
	struct evpn_id src = c2->c.src;

	c2->c = *c;
	c2->c.src = c2->c.hsrc = src;
	if (!c2->tolen) {
		c2->to = *to;
		c2->tolen = tolen;
	}
	if (evpn_static_keys_derive(c->psk, sizeof(c->psk), &src, &c->node,
				    &c2->c.keys))
		return -1;
	c2->fd = socket(c2->to.ss_family, SOCK_DGRAM, 0);
	if (c2->fd < 0 || bind(c2->fd, (const struct sockaddr *)from, fromlen)) {
		perror("evpn-craft: second socket");
		exit(1);
	}
	return 0;
}

static void parse_addr(const char *s, struct sockaddr_storage *ss,
		       socklen_t *len)
{
	if (evpn_sockaddr_parse(s, ss, len)) {
		fprintf(stderr, "evpn-craft: bad address (IP:PORT or [IPv6]:PORT): %s\n",
			s);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	static uint8_t buf[EVPN_MAX_INNER_LEN + 2 * EVPN_OVERHEAD + 256];
	struct craft c = {
		.ttl = EVPN_TTL_DEFAULT, .flen = 60,
		.smac = { 0x02, 0xc0, 0xff, 0xee, 0x00, 0x01 },
		.dmac = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	bool has_hsrc = false, has_id2 = false;
	struct sockaddr_storage to, from, from2;
	socklen_t tolen = 0, fromlen = 0, fromlen2 = 0;
	struct craft2 c2 = { .tolen = 0 };
	bool has_dst = false, fresh = false;
	int opt, n = 1, fd, i;
	size_t len;

	c.counter = now_ns();
	while ((opt = getopt(argc, argv, "t:s:d:k:c:T:S:D:n:N:l:b:F:m:M:E:e:A:B:R:")) != -1) {
		switch (opt) {
		case 'E': if (evpn_hex_decode(optarg, c.e2e_psk, EVPN_PSK_LEN)) usage();
			  c.has_e2e_psk = true; break;
		case 'e': c.e2e_counter = strtoull(optarg, NULL, 0);
			  c.has_e2e_counter = true; break;
		case 'F': if (evpn_id_from_hex(&c.hsrc, optarg)) usage();
			  has_hsrc = true; break;
		case 'm': if (evpn_mac_parse(optarg, c.smac)) usage(); break;
		case 'M': if (evpn_mac_parse(optarg, c.dmac)) usage(); break;
		case 't': parse_addr(optarg, &to, &tolen); break;
		case 'b': parse_addr(optarg, &from, &fromlen); break;
		case 'A': if (evpn_id_from_hex(&c2.c.src, optarg)) usage();
			  has_id2 = true; break;
		case 'B': parse_addr(optarg, &from2, &fromlen2); break;
		case 'R': parse_addr(optarg, &c2.to, &c2.tolen); break;
		case 's': if (evpn_id_from_hex(&c.src, optarg)) usage(); break;
		case 'd': if (evpn_id_from_hex(&c.node, optarg)) usage(); break;
		case 'D': if (evpn_id_from_hex(&c.dst, optarg)) usage();
			  has_dst = true; break;
		case 'k': if (evpn_hex_decode(optarg, c.psk, EVPN_PSK_LEN)) usage(); break;
		case 'c': c.counter = strtoull(optarg, NULL, 0); break;
		case 'T': c.ttl = atoi(optarg); break;
		case 'S': if (evpn_aead_parse(optarg, &c.suite)) usage(); break;
		case 'n': n = atoi(optarg); break;
		case 'N': n = atoi(optarg); fresh = true; break;
		case 'l': c.flen = strtoul(optarg, NULL, 0);
			  if (c.flen < EVPN_ETH_HLEN || c.flen > EVPN_MAX_INNER_LEN)
				  usage();
			  break;
		default: usage();
		}
	}
	if (optind != argc - 1 || !tolen)
		usage();
	if (!has_hsrc)
		c.hsrc = c.src;
	c.has_dst = has_dst;
	if (!has_dst) {
		c.dst = c.node;
		c.dst.lo++;	/* next to the node: it is the closest one */
	}
	if (evpn_static_keys_derive(c.psk, sizeof(c.psk), &c.src, &c.node,
				    &c.keys)) {
		fprintf(stderr, "evpn-craft: cannot derive keys\n");
		return 1;
	}
	fd = socket(to.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || (fromlen && bind(fd, (struct sockaddr *)&from,
				       fromlen) < 0)) {
		perror("evpn-craft: socket");
		return 1;
	}
	if (!strncmp(argv[optind], "frag-", 5)) {
		if (c.flen == 60)	/* not given: a full-size frame */
			c.flen = 1500;
		if (!strcmp(argv[optind], "frag-share")) {
			if (!has_id2 || !fromlen2 ||
			    craft2_init(&c2, &c, &to, tolen, &from2, fromlen2))
				usage();
			frag_share(&c, &c2, fd, (struct sockaddr *)&to, tolen);
			close(c2.fd);
			close(fd);
			return 0;
		}
		for (i = 0; i < n; i++)
			if (!frag_case(&c, argv[optind], fd,
				       (struct sockaddr *)&to, tolen))
				usage();
		close(fd);
		return 0;
	}
	len = build(&c, argv[optind], buf);
	for (i = 0; i < n; i++) {
		if (fresh && i) {	/* the next record, not a replay */
			c.counter++;
			len = build(&c, argv[optind], buf);
		}
		if (sendto(fd, buf, len, 0, (struct sockaddr *)&to, tolen) !=
		    (ssize_t)len) {
			perror("evpn-craft: sendto");
			return 1;
		}
	}
	close(fd);
	return 0;
}
