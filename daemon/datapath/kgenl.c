// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * evpnctl's generic netlink helpers (connect, resolve the family, one
 * request/replies transaction with extack), compiled into evpnd for the
 * kernel backend: one implementation, two programs, no Makefile change.
 */
#include "../../tools/evpnctl/genl.c"
