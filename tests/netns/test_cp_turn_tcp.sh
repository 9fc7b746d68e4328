#!/bin/bash
# Two nodes behind NAT routers that let no UDP out at all (TCP only, like
# some corporate firewalls): STUN and hole punching are impossible, so the
# link must go through TURN reached over TCP (turn-transport = tcp); the
# relayed path between the two allocations is UDP inside the TURN server.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

ns_init
CP_EXTRA_CONF="turn-transport = tcp"
cp_pair ei ei
for r in r1 r2; do
	ns_exec $r nft add rule inet evpn_nat_filter forward \
		iifname "lan0" meta l4proto udp drop
done
t0=$(cp_now)
cp_start a
cp_start b
ns_wait_for 15 cp_ping a b || ns_fail "no overlay ping a -> b within 15 s"
t=$(cp_elapsed "$t0")
ns_wait_for 5 cp_link_up a b || ns_fail "a does not report the link up"
pair=$(cp_link a b ice_pair)
ns_log "first ping after ${t}s; a -> b: $pair"
[ "$(cp_link a b relayed)" = true ] || ns_fail "expected a relayed path: $pair"
ns_exec b ping -c3 -i0.2 -W1 "${CP_OVIP[a]}" >/dev/null || ns_fail "ping b -> a"
cp_check_logs
echo "PASS: relayed link over TURN/TCP with UDP blocked, first ping in ${t}s"
