/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Transmit counters of static keys (security review M4). A static key
 * (a [link] psk) is the same after every restart, so its AEAD nonces --
 * the 64-bit record counter -- must never repeat across restarts or
 * re-installs. Counting from the wall clock alone fails when the clock
 * steps back. So evpnd keeps a high-water mark, STATE_DIR/nonce_floor:
 *
 *   every counter any static key of this node has used is below it.
 *
 * A static key's first counter is max(CLOCK_REALTIME in ns, floor); before
 * it is used, the floor is raised to first + NONCE_FLOOR_RESERVE and
 * written (atomically, fsynced). The TAP datapath raises it again when a
 * counter reaches the reserved ceiling (once per 2^32 records, a file write
 * in the send path); evpn.ko gets the first counter in KEY_NEW
 * (tx-counter) and a reservation of NONCE_FLOOR_RESERVE_KERNEL records,
 * which evpnd does not extend (known limit: docs/security.md). A clock step back therefore only makes the counters
 * start at the floor instead of the clock. The file holds one decimal
 * number and a newline; it is created at the first static key.
 *
 * Without a state directory (tests, evpnctl) the floor lives in memory and
 * starts at the clock: nonces are then unique within the process only.
 */
#ifndef EVPND_NONCEFLOOR_H
#define EVPND_NONCEFLOOR_H

#include <stdbool.h>
#include <stdint.h>

#define NONCE_FLOOR_FILE	"nonce_floor"
#define NONCE_FLOOR_RESERVE	(1ULL << 32)
/* evpn.ko counts in the kernel, where evpnd cannot check each record:
 * ~1.8e13 records per install (200 days at 1 Mpps). */
#define NONCE_FLOOR_RESERVE_KERNEL	(1ULL << 44)

/* Use STATE_DIR/nonce_floor (read now if it exists). 0, or -1 if it exists
 * but cannot be read or parsed (logged: evpnd must not guess). */
int nonce_floor_open(const char *state_dir);
void nonce_floor_close(void);

/* The first counter for a new static key; raises the floor @reserve (0:
 * NONCE_FLOOR_RESERVE) above it and persists it. Returns 0 (never a valid
 * start) if the floor cannot be written. */
uint64_t nonce_floor_start(uint64_t reserve);
/* Counters below this are covered by the persisted floor. */
uint64_t nonce_floor_ceiling(void);
/* A static key is about to use @counter >= the ceiling: raise the floor
 * past it. 0, or -1 if it cannot be persisted (the record must not go). */
int nonce_floor_extend(uint64_t counter);

/* Tests: the clock (NULL: CLOCK_REALTIME) and the reservation size. */
void nonce_floor_test_hooks(uint64_t (*clock_ns)(void), uint64_t reserve);

#endif /* EVPND_NONCEFLOOR_H */
