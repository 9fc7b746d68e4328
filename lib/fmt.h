/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Text forms shared by evpnd and the tools: hex strings, node IDs as the
 * kernel carries them (16 bytes), MAC addresses and IP:PORT endpoints.
 */
#ifndef EVPN_LIB_FMT_H
#define EVPN_LIB_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "id.h"

/* Exactly 2 * @n hex digits into @n bytes. 0 or -1. */
int evpn_hex_decode(const char *s, uint8_t *out, size_t n);
/* Any even number of hex digits, at most 2 * @max: the byte count or -1. */
int evpn_hex_parse(const char *s, uint8_t *out, size_t max);

/* A node ID in wire form (16 bytes, big-endian) as 32 hex digits. */
void evpn_id_bytes_to_hex(const uint8_t b[EVPN_ID_LEN],
			  char hex[EVPN_ID_HEXLEN + 1]);
/* 32 hex digits, not zero, into wire form; 0 or -1. */
int evpn_id_hex_to_bytes(const char *s, uint8_t b[EVPN_ID_LEN]);

/* "aa:bb:cc:dd:ee:ff". 0 or -1. */
int evpn_mac_parse(const char *s, uint8_t mac[6]);

/* "IPv4:PORT" or "[IPv6]:PORT" (port required). 0 or -1. */
int evpn_sockaddr_parse(const char *s, struct sockaddr_storage *ss,
			socklen_t *len);
/* "IPv4:PORT", "[IPv6]:PORT", or "-" for another family. Returns @buf. */
const char *evpn_sockaddr_str(const struct sockaddr *sa, char *buf, size_t len);
/* Room for any evpn_sockaddr_str(). */
#define EVPN_SOCKADDR_STRLEN	(46 + 8)

/* A multicast group as core/mcast.h keeps it (16 bytes, IPv4 as
 * ::ffff:a.b.c.d): dotted quad, IPv6 text, or "router" for the all-zero
 * pseudo-group. Returns @buf (@len >= 47). */
const char *evpn_mc_addr_str(const uint8_t addr[16], char *buf, size_t len);

#endif /* EVPN_LIB_FMT_H */
