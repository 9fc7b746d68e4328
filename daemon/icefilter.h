/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Which remote ICE candidate addresses are worth a connectivity check
 * (security review L4). A peer's candidates make us send STUN checks to
 * the addresses it names, so a member could aim our probes at our own
 * loopback services, at a multicast group or at the broadcast address.
 * Refused (the candidate is ignored, counted, logged at debug level):
 *
 *   unspecified   0.0.0.0/8, ::
 *   loopback      127.0.0.0/8, ::1
 *   multicast     224.0.0.0/4, ff00::/8; broadcast 255.255.255.255 and the
 *                 rest of 240.0.0.0/4 (reserved)
 *   link-local    169.254.0.0/16, fe80::/10: a peer on our link also has a
 *                 routable host candidate, and a link-local one names no
 *                 interface (scope) we could send it from
 *   port 0
 *
 * IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 * Private (RFC 1918, ULA) addresses stay allowed: peers on one LAN need
 * them (docs/security.md "Underlay").
 */
#ifndef EVPND_ICEFILTER_H
#define EVPND_ICEFILTER_H

#include <stdbool.h>
#include <sys/socket.h>

/* NULL if @sa may be probed, else why not ("loopback", ...). */
const char *ice_addr_refused(const struct sockaddr *sa);

#endif /* EVPND_ICEFILTER_H */
