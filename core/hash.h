/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Seeded hashing shared by the core's tables (fdb.c, mcast.c). Not
 * cryptographic: the per-table random seed only keeps a remote sender from
 * knowing which keys collide.
 */
#ifndef EVPN_HASH_H
#define EVPN_HASH_H

#include "evpn_types.h"
#include "id.h"

/* MurmurHash3's 64-bit finaliser: every input bit affects every output bit. */
static inline uint64_t evpn_fmix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* A node ID's seeded 64-bit hash (each half picks a count-min row's
 * bucket: the per-node counts of fdb.c and mcast.c). */
static inline uint64_t evpn_id_hash(const struct evpn_id *id, uint64_t seed)
{
	return evpn_fmix64(evpn_fmix64(id->hi ^ ~seed) ^ id->lo);
}

#endif /* EVPN_HASH_H */
