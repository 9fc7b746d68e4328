/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TAP offloads (IFF_VNET_HDR): the kernel hands evpnd TCP super-frames of
 * up to 64 KiB with partial checksums (TSO), which are cut here into frames
 * that fit the device MTU before encryption, so every record on the wire is
 * an ordinary Ethernet frame; and received TCP segments of one flow are
 * coalesced into one super-frame per write (GRO), so the receiving kernel
 * runs its TCP stack once per batch instead of once per segment.
 */
#ifndef EVPND_OFFLOAD_H
#define EVPND_OFFLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <linux/virtio_net.h>

#define OFFLOAD_VNET_HLEN	sizeof(struct virtio_net_hdr)
#define OFFLOAD_MAX_FRAME	65536

/* Emit one MTU-sized frame (called for each segment). */
typedef void (*offload_emit_fn)(void *ctx, uint8_t *frame, size_t len);

/*
 * @buf: a virtio_net_hdr followed by a frame of @len bytes total, as read
 * from the TAP. Completes a partial checksum, cuts TSO frames into
 * segments of at most @max_frame bytes, calls @emit for each. @scratch
 * holds one segment (>= max_frame). Returns 0, or -1 for a frame it cannot
 * handle (counted by the caller).
 */
int offload_tx(uint8_t *buf, size_t len, size_t max_frame, uint8_t *scratch,
	       offload_emit_fn emit, void *ctx);

/* Receive-side coalescing into one pending super-frame. */
struct gro {
	uint8_t *buf;		/* vnet header + frame, OFFLOAD_MAX_FRAME */
	size_t len;		/* frame bytes (after the vnet header); 0 = none */
	size_t l3, l4, hlen;	/* offsets of IP, TCP, payload */
	size_t seg;		/* payload size of the first segment */
	size_t last;		/* payload size of the last one appended */
	uint32_t next_seq;
	int count;
	int v6;
};

/* Write the pending super-frame (if any) with @write_fn. */
typedef void (*gro_write_fn)(void *ctx, const uint8_t *buf, size_t len,
			     int segments);
void gro_flush(struct gro *g, gro_write_fn write_fn, void *ctx);
/* Add a received frame: coalesced with the pending one, or flushes it and
 * starts anew; frames that cannot be coalesced are written at once. */
void gro_add(struct gro *g, const uint8_t *frame, size_t len,
	     gro_write_fn write_fn, void *ctx);

#endif /* EVPND_OFFLOAD_H */
