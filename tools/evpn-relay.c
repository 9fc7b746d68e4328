// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpn-relay: a hostile transit node, for end-to-end protection tests
 * (tests/netns/test_tap_e2e.sh). It holds static links (evpnd's [link]
 * KDF, lib/statickeys.c) to two peers and relays every record between
 * them as a transit member would: open with the one link's key, re-seal
 * with the other's (TTL - 1). On the way it
 *
 *   - writes every plaintext it sees (what a transit node can read) as one
 *     hex line per record to -o FILE, and
 *   - with -x flip, flips one byte inside every end-to-end payload (0xE3);
 *     with -x replay, sends every end-to-end payload twice (the second
 *     time under a fresh hop counter, as a transit node replaying it would).
 *
 *   evpn-relay -l IP:PORT -s SELF_ID -k PSK_HEX -p ID,IP:PORT -p ID,IP:PORT
 *              [-x none|flip|replay] [-o FILE] [-S SUITE]
 *
 * Runs until SIGTERM/SIGINT.
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "aead.h"
#include "fmt.h"
#include "statickeys.h"
#include "wire.h"

struct peer {
	struct evpn_id id;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	struct evpn_static_keys keys;
	struct aead_key tx, rx;
	uint64_t tx_counter;
};

enum mode { M_NONE, M_FLIP, M_REPLAY };

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: evpn-relay -l IP:PORT -s SELF_ID -k PSK_HEX "
		"-p ID,IP:PORT -p ID,IP:PORT [-x none|flip|replay] [-o FILE] "
		"[-S SUITE]\n");
	exit(2);
}

static void parse_peer(const char *arg, struct peer *p)
{
	char id[64];
	const char *comma = strchr(arg, ',');

	if (!comma || (size_t)(comma - arg) >= sizeof(id))
		usage();
	memcpy(id, arg, comma - arg);
	id[comma - arg] = 0;
	if (evpn_id_from_hex(&p->id, id) ||
	    evpn_sockaddr_parse(comma + 1, &p->addr, &p->addrlen))
		usage();
}

static void dump(FILE *out, const uint8_t *b, size_t len)
{
	size_t i;

	if (!out)
		return;
	for (i = 0; i < len; i++)
		fprintf(out, "%02x", b[i]);
	fputc('\n', out);
	fflush(out);
}

/* Seal @pt (@len bytes) for @to with header @h (ttl/key/counter set here)
 * and send it. */
static void send_to(int fd, struct peer *to, struct evpn_hdr h,
		    const uint8_t *pt, size_t len)
{
	static uint8_t buf[EVPN_MAX_INNER_LEN + 2 * EVPN_OVERHEAD + 256];

	h.key_id = to->keys.tx_key_id;
	h.counter = to->tx_counter++;
	evpn_hdr_encode(buf, &h);
	if (aead_seal(&to->tx, h.counter, buf, EVPN_HDR_LEN, pt, len,
		      buf + EVPN_HDR_LEN, buf + EVPN_HDR_LEN + len))
		return;
	sendto(fd, buf, len + EVPN_OVERHEAD, 0, (struct sockaddr *)&to->addr,
	       to->addrlen);
}

static void relay(int fd, struct peer *p, enum mode mode, FILE *out,
		  uint8_t *buf, size_t len)
{
	struct evpn_hdr h;
	struct peer *from, *to;
	size_t plen;

	if (evpn_hdr_decode(&h, buf, len) != EVPN_DROP_NONE || h.ttl < 2)
		return;
	if (h.key_id == p[0].keys.rx_key_id)
		from = &p[0], to = &p[1];
	else if (h.key_id == p[1].keys.rx_key_id)
		from = &p[1], to = &p[0];
	else
		return;
	plen = len - EVPN_OVERHEAD;
	if (aead_open(&from->rx, h.counter, buf, EVPN_HDR_LEN,
		      buf + EVPN_HDR_LEN, plen, buf + EVPN_HDR_LEN,
		      buf + EVPN_HDR_LEN + plen))
		return;
	dump(out, buf + EVPN_HDR_LEN, plen);	/* all a transit node sees */
	h.ttl--;
	if (h.type == EVPN_TYPE_E2E && mode == M_FLIP)
		buf[EVPN_HDR_LEN + EVPN_E2E_HDR_LEN + 20] ^= 0x40;
	send_to(fd, to, h, buf + EVPN_HDR_LEN, plen);
	if (h.type == EVPN_TYPE_E2E && mode == M_REPLAY)
		send_to(fd, to, h, buf + EVPN_HDR_LEN, plen);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	static uint8_t buf[EVPN_MAX_INNER_LEN + 2 * EVPN_OVERHEAD + 256];
	struct sockaddr_storage la;
	socklen_t lalen = 0;
	struct peer p[2];
	struct evpn_id self;
	uint8_t psk[EVPN_PSK_LEN];
	enum evpn_aead suite = EVPN_AEAD_AES256GCM;
	enum mode mode = M_NONE;
	FILE *out = NULL;
	int opt, np = 0, fd, i;
	bool has_self = false, has_psk = false;
	struct sigaction sa = { .sa_handler = on_signal };
	ssize_t n;

	memset(p, 0, sizeof(p));
	while ((opt = getopt(argc, argv, "l:s:k:p:x:o:S:")) != -1) {
		switch (opt) {
		case 'l': if (evpn_sockaddr_parse(optarg, &la, &lalen)) usage();
			  break;
		case 's': if (evpn_id_from_hex(&self, optarg)) usage();
			  has_self = true; break;
		case 'k': if (evpn_hex_decode(optarg, psk, sizeof(psk))) usage();
			  has_psk = true; break;
		case 'p': if (np == 2) usage();
			  parse_peer(optarg, &p[np++]); break;
		case 'x': mode = !strcmp(optarg, "flip") ? M_FLIP :
				 !strcmp(optarg, "replay") ? M_REPLAY :
				 !strcmp(optarg, "none") ? M_NONE : 99;
			  if (mode == 99) usage();
			  break;
		case 'o': out = fopen(optarg, "w");
			  if (!out) { perror(optarg); return 1; }
			  break;
		case 'S': if (evpn_aead_parse(optarg, &suite)) usage(); break;
		default: usage();
		}
	}
	if (optind != argc || !lalen || !has_self || !has_psk || np != 2)
		usage();
	for (i = 0; i < 2; i++) {
		if (evpn_static_keys_derive(psk, sizeof(psk), &self, &p[i].id,
					    &p[i].keys) ||
		    aead_key_init(&p[i].tx, suite, p[i].keys.tx.key,
				  p[i].keys.tx.iv, true) ||
		    aead_key_init(&p[i].rx, suite, p[i].keys.rx.key,
				  p[i].keys.rx.iv, false)) {
			fprintf(stderr, "evpn-relay: cannot derive keys\n");
			return 1;
		}
		/* static keys: above anything sent before (like evpnd) */
		/* above what the evpnd it replaces sent: its static keys
		 * count from its nonce floor, up to 2^33 ns ahead of the
		 * clock (daemon/noncefloor.h) */
		p[i].tx_counter = now_ns() + (1ULL << 40);
	}
	fd = socket(la.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&la, lalen) < 0) {
		perror("evpn-relay: socket");
		return 1;
	}
	/* no SA_RESTART: a signal must end the blocking recv() */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fprintf(stderr, "evpn-relay: relaying\n");
	while (!stop) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n > 0)
			relay(fd, p, mode, out, buf, n);
	}
	for (i = 0; i < 2; i++) {
		aead_key_clear(&p[i].tx);
		aead_key_clear(&p[i].rx);
	}
	if (out)
		fclose(out);
	close(fd);
	return 0;
}
