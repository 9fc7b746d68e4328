// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for the in-band link control messages (messages.h): the
 * input is one received DTLS application-data message, fed to the link
 * manager's decoder linkctl_input() (daemon/linkmgr/linkctl.c: framing,
 * dispatch by type, NBRS via nbrs_parse() and the NBRS_ACK it answers with)
 * on a stand-in link. What linkctl_input() hands on is replaced by the
 * recording stubs below: the key-epoch handlers (epoch.c: epoch_on_keyid,
 * epoch_on_keyack, epoch_on_request), link teardown (lm_link_fail), DTLS and
 * the datapath. Those run on link state, not on message bytes, and are not
 * covered here; the checks are that they are called only with what the
 * wire format allows. An NBRS that parses re-encodes to the same bytes.
 *
 *   make build/fuzz/fuzz_linkctl
 *   build/fuzz/fuzz_linkctl -max_total_time=10 tests/fuzz/corpus/fuzz_linkctl
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "linkmgr/lm.h"
#include "nbrs.h"
#include "fuzz.h"

/* What the stubs saw during one input. */
static struct {
	const uint8_t *in;
	size_t len;
	int keyid, keyack, request, fail, writes, set_nbrs;
	uint8_t last_write[MSG_LEN_PUB];
	size_t last_write_len;
} seen;

static int fake_dtls, fake_dpl;

int dtls_write(struct dtls *d, const void *buf, size_t len)
{
	ENSURE(d == (struct dtls *)&fake_dtls);
	ENSURE(len <= sizeof(seen.last_write));
	memcpy(seen.last_write, buf, len);
	seen.last_write_len = len;
	seen.writes++;
	return 0;
}

size_t dtls_overhead(const struct dtls *d)
{
	return 37;	/* DTLS 1.2 AES-GCM: header 13, nonce 8, tag 16 */
}

int dp_link_set_record_max(struct dp_link *link, uint32_t bytes)
{
	return 0;
}

bool dtls_established(const struct dtls *d)
{
	return true;
}

int dp_link_set_nbrs(struct dp_link *link, const struct evpn_id *ids, int n)
{
	ENSURE(link == (struct dp_link *)&fake_dpl);
	ENSURE(n >= 0 && n <= EVPN_MAX_NBR_IDS);
	seen.set_nbrs++;
	return 0;
}

void epoch_on_keyid(struct link *l, uint32_t epoch, uint32_t id,
		    const uint8_t *pub)
{
	ENSURE(seen.in[0] == MSG_KEYID);
	ENSURE(pub ? seen.len == MSG_LEN_PUB && pub == seen.in + MSG_LEN
		   : seen.len == MSG_LEN);
	ENSURE(epoch == msg_get_be32(seen.in + 1) &&
	       id == msg_get_be32(seen.in + 5));
	seen.keyid++;
}

void epoch_on_keyack(struct link *l, uint32_t epoch)
{
	ENSURE(seen.len == MSG_LEN && seen.in[0] == MSG_KEYACK);
	seen.keyack++;
}

void epoch_on_request(struct link *l, uint32_t after)
{
	ENSURE(seen.len == MSG_LEN && seen.in[0] == MSG_EPOCH_REQ);
	seen.request++;
}

void lm_link_fail(struct link *l, const char *why, bool tell_peer)
{
	ENSURE(seen.len == MSG_LEN && seen.in[0] == MSG_CLOSE);
	seen.fail++;
}

/* nbrs_parse() directly: a list it accepts is canonical. */
static void check_nbrs(const uint8_t *data, size_t size,
		       const struct evpn_id *sender)
{
	struct evpn_id ids[EVPN_MAX_NBR_IDS];
	uint8_t again[NBRS_MAX_LEN];
	uint32_t seq;
	int n;

	if (nbrs_parse(data, size, sender, &seq, ids, &n))
		return;
	ENSURE(n >= 0 && n <= EVPN_MAX_NBR_IDS);
	ENSURE(nbrs_encode(again, sizeof(again), seq, ids, n) == size);
	ENSURE(!memcmp(again, data, size));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct linkmgr lm;
	static struct peer pe;
	static struct link l;
	uint32_t bad;

	memset(&lm, 0, sizeof(lm));
	memset(&pe, 0, sizeof(pe));
	memset(&l, 0, sizeof(l));
	memset(&seen, 0, sizeof(seen));
	evpn_id_from_hex(&pe.id, "0000000000000000000000000000000b");
	pe.lm = &lm;
	l.lm = &lm;
	l.peer = &pe;
	l.dtls = (struct dtls *)&fake_dtls;
	l.dpl = (struct dp_link *)&fake_dpl;
	l.st = L_UP;
	l.nbrs_sent = 7;
	seen.in = data;
	seen.len = size;

	check_nbrs(data, size, &pe.id);
	bad = lm.stats.nbrs_bad;
	linkctl_input(&l, data, size);
	ENSURE(seen.keyid + seen.keyack + seen.request + seen.fail <= 1);
	if (size && data[0] == MSG_NBRS && lm.stats.nbrs_bad == bad) {
		/* accepted: acknowledged with its seq, installed once */
		ENSURE(seen.writes == 1 && seen.last_write_len == MSG_LEN &&
		       seen.last_write[0] == MSG_NBRS_ACK &&
		       !memcmp(seen.last_write + 1, data + 1, 4));
		ENSURE(seen.set_nbrs <= 1);
		ENSURE(l.nbrs_rx_len >= 0 && l.nbrs_rx_len <= EVPN_MAX_NBR_IDS);
	}
	ENSURE(l.nbrs_acked == 0 || l.nbrs_acked == l.nbrs_sent);
	return 0;
}
