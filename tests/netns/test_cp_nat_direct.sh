#!/bin/bash
# Two nodes, each behind its own endpoint-independent NAT, knowing only the
# XMPP server: they join the overlay (roster group), punch a direct path
# (selected ICE pair must not be relayed), authenticate with DTLS and ping
# over the overlay. Prints the time from evpnd start to the first ping.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

ns_init
CP_MEMBERS="a@$XMPP_DOMAIN b@$XMPP_DOMAIN"
cp_world ei ei
prosody_adduser "a@$XMPP_DOMAIN" pw-a
prosody_adduser "b@$XMPP_DOMAIN" pw-b
cp_conf a 0000000000000000000000000000000a
cp_conf b 0000000000000000000000000000000b

t0=$(cp_now)
cp_start a
cp_start b
ns_wait_for 10 cp_ping a b || ns_fail "no overlay ping a -> b within 10 s"
t=$(cp_elapsed "$t0")
ns_log "first overlay ping after ${t}s"
echo "RESULT setup evpn-direct first_ping_s $t"

ns_wait_for 5 cp_link_up a b || ns_fail "a does not report the link up"
ns_wait_for 5 cp_link_up b a || ns_fail "b does not report the link up"
relayed=$(cp_link a b relayed)
pair=$(cp_link a b ice_pair)
ns_log "a -> b: relayed=$relayed pair: $pair"
[ "$relayed" = false ] || ns_fail "expected a direct path, got relayed ($pair)"
case "$pair" in *relay*) ns_fail "relay candidate in pair: $pair" ;; esac
ns_exec b ping -c3 -i0.2 -W1 "${CP_OVIP[a]}" >/dev/null || ns_fail "ping b -> a"
cp_check_logs
echo "PASS: direct link through two EI NATs in ${t}s"
