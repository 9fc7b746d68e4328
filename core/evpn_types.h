/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Freestanding types for the shared forwarding core (core/).
 *
 * Everything under core/ is compiled into both evpn.ko and the userspace
 * programs, so it may use only what both environments provide: fixed-width
 * integers, bool, size_t, memcpy/memset/memcmp. No allocation, no locking,
 * no I/O: callers own memory and serialisation.
 */
#ifndef EVPN_TYPES_H
#define EVPN_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#endif

#endif /* EVPN_TYPES_H */
