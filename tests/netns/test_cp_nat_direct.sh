#!/bin/bash
# Two nodes, each behind its own endpoint-independent NAT, knowing only the
# XMPP server: they join the overlay (roster group), punch a direct path
# (selected ICE pair must not be relayed), authenticate with DTLS and ping
# over the overlay, run iperf3 across it. Prints the time from evpnd start to
# the first ping.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

ns_init
cp_pair ei ei

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
if command -v iperf3 >/dev/null; then
	ns_bg b iperf3-server.log iperf3 -s -B "${CP_OVIP[b]}" -1 >/dev/null
	ns_wait_for 3 ns_listening b tcp "${CP_OVIP[b]}" 5201 || ns_fail "iperf3 -s"
	ns_exec a iperf3 -c "${CP_OVIP[b]}" -t 3 >"$NS_DIR/iperf3.log" 2>&1 ||
		ns_fail "iperf3 over the overlay failed"
	ns_log "iperf3 a -> b: $(awk '/receiver/ { print $7, $8 }' "$NS_DIR/iperf3.log")"
fi
# idle: no busy polling (keepalives every 2 s are all there is to do)
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
csw() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/status"; }
sleep 8	# let ICE finish checking the remaining pairs
c0=$(cpu "${CP_PID[a]}")
w0=$(csw "${CP_PID[a]}")
sleep 5
c1=$(cpu "${CP_PID[a]}")
w1=$(csw "${CP_PID[a]}")
ns_log "idle evpnd wake-ups over 5 s: $((w1 - w0))"
[ $((w1 - w0)) -le 50 ] || ns_fail "idle evpnd wakes up more than 10 times a second"
hz=$(getconf CLK_TCK)
ns_log "idle evpnd CPU over 5 s: $(( (c1 - c0) * 1000 / hz )) ms"
[ $(( (c1 - c0) * 1000 / hz )) -le 250 ] || ns_fail "idle evpnd used > 5% CPU"
cp_check_logs
cp_stop_clean a		# orderly shutdown, no leaks from the control plane
echo "PASS: direct link through two EI NATs in ${t}s"
