// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `evpnctl key add ... psk HEX` derives a static link's keys exactly as
 * evpnd does for its [link] sections: the same source file, compiled in
 * (docs/configuration.md "Static keys"), so a kernel node and a TAP node
 * given the same psk agree on keys and key IDs.
 */
#include "../../daemon/statickeys.c"
