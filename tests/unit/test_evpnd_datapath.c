// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for evpnd's TAP datapath pieces that need no device: the
 * configuration parser (daemon/config.c), static-link keys
 * (lib/statickeys.c), the AEAD wrapper (lib/aead.c, against
 * docs/protocol.md's worked example) and the TAP offloads
 * (daemon/datapath/offload.c: TSO segments carry correct checksums, GRO
 * rebuilds the original byte stream).
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "statickeys.h"
#include "aead.h"
#include "datapath/offload.h"
#include "unit.h"

/* ---- config ---- */

static int load(struct evpnd_config *c, const char *text)
{
	FILE *old = stderr;
	int r;

	cfg_init(c);
	stderr = fopen("/dev/null", "w");
	r = cfg_load_string(c, "t.conf", text);
	fclose(stderr);
	stderr = old;
	return r;
}

START_TEST(test_cfg_good)
{
	struct evpnd_config c;
	char hex[33];

	ck_assert_int_eq(load(&c,
		"# comment\n[node]\nid = 0123456789abcdef0123456789ABCDEF\n"
		"[interface]\nname = ev9\nmtu = 1400\noffload = no\n"
		"[static]\nlisten = [::]:7000\n"
		"[link b]\npeer = 11111111111111111111111111111111\n"
		"endpoint = 192.0.2.7\npsk = "
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
		"suite = chacha20-poly1305\n"), 0);
	evpn_id_to_hex(&c.node_id, hex);
	ck_assert_str_eq(hex, "0123456789abcdef0123456789abcdef");
	ck_assert_str_eq(c.ifname, "ev9");
	ck_assert_uint_eq(c.mtu, 1400);
	ck_assert(!c.offload);
	ck_assert_int_eq(c.listen.ss_family, AF_INET6);
	ck_assert_ptr_nonnull(c.links);
	ck_assert_str_eq(c.links->name, "b");
	ck_assert_int_eq(c.links->suite, DP_SUITE_CHACHA20POLY1305);
	ck_assert_int_eq(ntohs(((struct sockaddr_in *)&c.links->endpoint)->sin_port),
			 EVPND_DEFAULT_PORT);
	ck_assert_uint_eq(c.links->psk[31], 0x1f);
	cfg_free(&c);
	/* defaults */
	ck_assert_int_eq(load(&c, ""), 0);
	ck_assert_uint_eq(c.mtu, EVPN_DEFAULT_MTU);
	ck_assert(c.offload);
	cfg_free(&c);
}
END_TEST

START_TEST(test_cfg_bad)
{
	static const char *const bad[] = {
		"[interface]\nnope = 1\n",		/* unknown key */
		"[nope]\n",				/* unknown section */
		"mtu = 1400\n",				/* outside a section */
		"[interface]\nmtu = 99999\n",		/* range */
		"[interface]\nmtu =\n",			/* empty */
		"[node]\nid = 00000000000000000000000000000000\n",
		"[node]\n[node]\n",			/* twice */
		"[link]\n",				/* needs a name */
		"[node x]\n",				/* takes none */
		"[link a]\npeer = 11111111111111111111111111111111\n",
		"[link a]\n[link a]\n",
		"[static]\nlisten = 1.2.3.4:99999\n",
		"[interface\n",
		"[link a]\npsk = 00\n",
		"[link a]\nsuite = rot13\n",
		"[link a]\ntx-key-id = 5\npeer = 11111111111111111111111111111111\n"
		"endpoint = 1.2.3.4:5\npsk = "
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
	};
	struct evpnd_config c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		ck_assert_msg(load(&c, bad[i]) == -1, "accepted: %s", bad[i]);
		cfg_free(&c);
	}
}
END_TEST

START_TEST(test_cfg_link_words)
{
	char w0[] = "peer=22222222222222222222222222222222";
	char w1[] = "endpoint=10.0.0.2:9";
	char w2[] = "psk=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	char bad0[] = "colour=red";
	char *words[] = { w0, w1, w2 }, *bwords[] = { bad0 };
	struct cfg_link l;
	char err[256];

	ck_assert_int_eq(cfg_link_from_words(&l, "x", words, 3, err,
					     sizeof(err)), 0);
	ck_assert_str_eq(l.name, "x");
	ck_assert(l.has_peer && l.has_psk);
	ck_assert_int_eq(cfg_link_from_words(&l, "x", bwords, 1, err,
					     sizeof(err)), -1);
	ck_assert(strstr(err, "unknown key 'colour'"));
}
END_TEST

START_TEST(test_node_id_persisted)
{
	char dir[] = "/tmp/evpnd-unit.XXXXXX", path[64];
	struct evpnd_config a, b;
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	cfg_init(&a);
	snprintf(a.state_dir, sizeof(a.state_dir), "%s/state", dir);
	ck_assert_int_eq(cfg_resolve_node_id(&a), 0);
	ck_assert(a.has_node_id && !evpn_id_is_zero(&a.node_id));
	snprintf(path, sizeof(path), "%s/state/node_id", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	cfg_init(&b);
	snprintf(b.state_dir, sizeof(b.state_dir), "%s/state", dir);
	ck_assert_int_eq(cfg_resolve_node_id(&b), 0);
	ck_assert(evpn_id_eq(&a.node_id, &b.node_id));	/* same after restart */
	unlink(path);
	snprintf(path, sizeof(path), "%s/state", dir);
	rmdir(path);
	rmdir(dir);
}
END_TEST

/* ---- static keys ---- */

START_TEST(test_static_keys)
{
	uint8_t psk[32] = { 1, 2, 3 };
	struct evpn_id a = { 1, 2 }, b = { 3, 4 };
	struct evpn_static_keys ak, bk, x;

	ck_assert_int_eq(evpn_static_keys_derive(psk, 32, &a, &b, &ak), 0);
	ck_assert_int_eq(evpn_static_keys_derive(psk, 32, &b, &a, &bk), 0);
	ck_assert_mem_eq(ak.tx.key, bk.rx.key, EVPN_KEY_LEN);
	ck_assert_mem_eq(ak.tx.iv, bk.rx.iv, EVPN_IV_LEN);
	ck_assert_mem_eq(bk.tx.key, ak.rx.key, EVPN_KEY_LEN);
	ck_assert_uint_eq(ak.tx_key_id, bk.rx_key_id);
	ck_assert_uint_eq(bk.tx_key_id, ak.rx_key_id);
	ck_assert(memcmp(ak.tx.key, bk.tx.key, EVPN_KEY_LEN));
	ck_assert_uint_ne(ak.tx_key_id, 0);
	/* another psk, other keys; a link to oneself has none */
	psk[0] ^= 1;
	ck_assert_int_eq(evpn_static_keys_derive(psk, 32, &a, &b, &x), 0);
	ck_assert(memcmp(x.tx.key, ak.tx.key, EVPN_KEY_LEN));
	ck_assert_int_eq(evpn_static_keys_derive(psk, 32, &a, &a, &x), -1);
}
END_TEST

/* ---- AEAD: docs/protocol.md worked example ---- */

static void aead_vector(enum dp_suite suite, const char *want_hex)
{
	static const char hdr_hex[] =
		"e1400000" "0000002a" "0000000000001234"
		"00112233445566778899aabbccddeeff"
		"fedcba98765432100123456789abcdef";
	static const char pt_hex[] =
		"020000000002" "020000000001" "88b5" "68656c6c6f2c206576706e21";
	uint8_t key[32], iv[12], hdr[48], pt[64], want[96], out[96], back[64];
	struct aead_key tx, rx;
	size_t ptlen, i;

	for (i = 0; i < 32; i++)
		key[i] = 0x80 + i;
	for (i = 0; i < 12; i++)
		iv[i] = i;
	unhex(hdr, hdr_hex);
	ptlen = unhex(pt, pt_hex);
	ck_assert_uint_eq(unhex(want, want_hex), ptlen + 16);
	ck_assert_int_eq(aead_key_init(&tx, (enum evpn_aead)suite, key, iv, true), 0);
	ck_assert_int_eq(aead_key_init(&rx, (enum evpn_aead)suite, key, iv, false), 0);
	/* another record first: only the nonce may change between records */
	ck_assert_int_eq(aead_seal(&tx, 7, hdr, 48, pt, ptlen, out,
				   out + ptlen), 0);
	ck_assert_int_eq(aead_seal(&tx, 0x1234, hdr, 48, pt, ptlen, out,
				   out + ptlen), 0);
	ck_assert_mem_eq(out, want, ptlen + 16);
	ck_assert_int_eq(aead_open(&rx, 0x1234, hdr, 48, out, ptlen, back,
				   out + ptlen), 0);
	ck_assert_mem_eq(back, pt, ptlen);
	/* in place, then a flipped tag bit, a flipped AAD bit */
	ck_assert_int_eq(aead_open(&rx, 0x1234, hdr, 48, out, ptlen, out,
				   out + ptlen), 0);
	ck_assert_mem_eq(out, pt, ptlen);
	ck_assert_int_eq(aead_seal(&tx, 0x1234, hdr, 48, pt, ptlen, out,
				   out + ptlen), 0);
	out[ptlen] ^= 1;
	ck_assert_int_eq(aead_open(&rx, 0x1234, hdr, 48, out, ptlen, back,
				   out + ptlen), -1);
	out[ptlen] ^= 1;
	hdr[1] ^= 1;
	ck_assert_int_eq(aead_open(&rx, 0x1234, hdr, 48, out, ptlen, back,
				   out + ptlen), -1);
	aead_key_clear(&tx);
	aead_key_clear(&rx);
	ck_assert_ptr_null(tx.ctx);
}

START_TEST(test_aead_aes)
{
	aead_vector(DP_SUITE_AES256GCM,
		    "77f23f09116c1639b48d71013aeca9a5085fc2c8d792b83d6fa8"
		    "6d7b22e3245b5afda93e8688dba5a678");
}
END_TEST

START_TEST(test_aead_chacha)
{
	aead_vector(DP_SUITE_CHACHA20POLY1305,
		    "a76b66e85f81c50e621dbdcc7b3658bd530060563ebfda6c5ded"
		    "5f2967164b084de814abbc68a7736eee");
}
END_TEST

/* ---- offloads ---- */

static uint16_t csum16(const uint8_t *p, size_t n, uint32_t sum)
{
	for (; n > 1; n -= 2, p += 2)
		sum += p[0] << 8 | p[1];
	if (n)
		sum += p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

struct segs {
	int n;
	size_t total;
	uint8_t stream[70000];
	uint32_t seq0;
	struct gro gro;
	uint8_t out[70000];
	size_t outlen;
	int outsegs;
};

static void gro_out(void *ctx, const uint8_t *buf, size_t len, int segs)
{
	struct segs *s = ctx;

	memcpy(s->out, buf, len);
	s->outlen = len;
	s->outsegs = segs;
}

/* Each TSO segment: valid IPv4 header and TCP checksum, fits the MTU;
 * its payload lands where its sequence number says; then GRO. */
static void seg_emit_gro(void *ctx, const uint8_t *f, size_t len)
{
	struct segs *s = ctx;
	size_t l4 = 14 + 20, hlen = l4 + 32, plen = len - hlen;
	uint32_t seq = (uint32_t)f[l4 + 4] << 24 | f[l4 + 5] << 16 |
		       f[l4 + 6] << 8 | f[l4 + 7];
	uint32_t ps;

	ck_assert_uint_le(len, 1384);
	ck_assert_uint_eq(csum16(f + 14, 20, 0), 0xffff);
	ps = csum16(f + 26, 8, 0) + 6 + (len - l4);
	ck_assert_uint_eq(csum16(f + l4, len - l4, ps), 0xffff);
	memcpy(s->stream + (seq - s->seq0), f + hlen, plen);
	s->total += plen;
	s->n++;
	gro_add(&s->gro, f, len, gro_out, s);
}

START_TEST(test_tso_gro)
{
	static uint8_t buf[70000], scratch[2000];
	static struct segs s;
	struct virtio_net_hdr vh = {
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		.gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
		.hdr_len = 66, .gso_size = 1318, .csum_start = 34,
		.csum_offset = 16,
	};
	uint8_t *f = buf + sizeof(vh), *ip = f + 14, *th = ip + 20;
	size_t payload = 40000, i, len = 66 + payload;
	uint32_t seq = 0xfffff000;	/* wraps mid-stream */

	memset(&s, 0, sizeof(s));
	s.gro.buf = malloc(OFFLOAD_MAX_FRAME);
	s.seq0 = seq;
	memcpy(buf, &vh, sizeof(vh));
	memset(f, 0x02, 12);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[6] = 0x40;	/* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	th[0] = 0x13; th[2] = 0x14;
	th[4] = seq >> 24; th[5] = seq >> 16; th[6] = seq >> 8; th[7] = seq;
	th[12] = 8 << 4;	/* 32-byte header: 12 bytes of options */
	th[13] = 0x18;		/* ACK|PSH: PSH only on the last segment */
	th[14] = 0xff;
	th[20] = 1; th[21] = 1; th[22] = 8; th[23] = 10;	/* NOP NOP TS */
	for (i = 0; i < payload; i++)
		f[66 + i] = (uint8_t)(i * 7 + 3);
	ck_assert_int_eq(offload_tx(buf, sizeof(vh) + len, 1384, scratch,
				    seg_emit_gro, &s), 0);
	gro_flush(&s.gro, gro_out, &s);
	ck_assert_int_eq(s.n, (int)((payload + 1317) / 1318));
	ck_assert_uint_eq(s.total, payload);
	ck_assert_mem_eq(s.stream, f + 66, payload);
	/* GRO put the segments back together: one super-frame */
	ck_assert_int_eq(s.outsegs, s.n);
	ck_assert_uint_eq(s.outlen, sizeof(vh) + len);
	ck_assert_mem_eq(s.out + sizeof(vh) + 66, f + 66, payload);
	ck_assert_uint_eq(s.out[sizeof(vh) + 34 + 13], 0x18);
	ck_assert_uint_eq(csum16(s.out + sizeof(vh) + 14, 20, 0), 0xffff);
	memcpy(&vh, s.out, sizeof(vh));
	ck_assert_uint_eq(vh.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	ck_assert_uint_eq(vh.gso_size, 1318);
	free(s.gro.buf);
}
END_TEST

START_TEST(test_offload_plain)
{
	static uint8_t buf[200], scratch[2000];
	static struct segs s;
	struct virtio_net_hdr vh = { 0 };

	/* not TCP: passes through as is, and GRO writes it at once */
	memset(&s, 0, sizeof(s));
	s.gro.buf = malloc(OFFLOAD_MAX_FRAME);
	memcpy(buf, &vh, sizeof(vh));
	memset(buf + sizeof(vh), 0xff, 6);
	buf[sizeof(vh) + 12] = 0x88;
	buf[sizeof(vh) + 13] = 0xb5;
	gro_add(&s.gro, buf + sizeof(vh), 60, gro_out, &s);
	ck_assert_uint_eq(s.outlen, sizeof(vh) + 60);
	ck_assert_int_eq(s.outsegs, 1);
	ck_assert_mem_eq(s.out + sizeof(vh), buf + sizeof(vh), 60);
	/* a GSO type it does not know is refused */
	vh.gso_type = VIRTIO_NET_HDR_GSO_UDP;
	memcpy(buf, &vh, sizeof(vh));
	ck_assert_int_eq(offload_tx(buf, sizeof(vh) + 60, 1384, scratch,
				    seg_emit_gro, &s), -1);
	free(s.gro.buf);
}
END_TEST

static Suite *dp_suite(void)
{
	Suite *s = suite_create("evpnd_datapath");
	TCase *tc = tcase_create("all");

	tcase_add_test(tc, test_cfg_good);
	tcase_add_test(tc, test_cfg_bad);
	tcase_add_test(tc, test_cfg_link_words);
	tcase_add_test(tc, test_node_id_persisted);
	tcase_add_test(tc, test_static_keys);
	tcase_add_test(tc, test_aead_aes);
	tcase_add_test(tc, test_aead_chacha);
	tcase_add_test(tc, test_tso_gro);
	tcase_add_test(tc, test_offload_plain);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return unit_run(dp_suite(), false) ? EXIT_FAILURE : EXIT_SUCCESS;
}
