#!/bin/bash
# Two nodes, each behind a symmetric NAT (new random port per destination):
# hole punching cannot work, so the link must go through the TURN relay
# (coturn). Assert the selected pair is relayed and ping over the overlay.
# Prints the time from evpnd start to the first ping.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

ns_init
cp_pair sym sym

t0=$(cp_now)
cp_start a
cp_start b
ns_wait_for 15 cp_ping a b || ns_fail "no overlay ping a -> b within 15 s"
t=$(cp_elapsed "$t0")
ns_log "first overlay ping after ${t}s"
echo "RESULT setup evpn-turn first_ping_s $t"

ns_wait_for 5 cp_link_up a b || ns_fail "a does not report the link up"
relayed=$(cp_link a b relayed)
pair=$(cp_link a b ice_pair)
ns_log "a -> b: relayed=$relayed pair: $pair"
[ "$relayed" = true ] || ns_fail "expected a relayed path, got: $pair"
[ "$(cp_link b a relayed)" = true ] || ns_fail "b: expected relayed"
ns_exec b ping -c3 -i0.2 -W1 "${CP_OVIP[a]}" >/dev/null || ns_fail "ping b -> a"
cp_check_logs
cp_stop_clean a		# orderly shutdown, no leaks from the control plane
echo "PASS: relayed link through two symmetric NATs in ${t}s"
