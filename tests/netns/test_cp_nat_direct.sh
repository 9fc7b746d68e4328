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
# idle: no busy polling (keepalives every 2 s are all there is to do).
# ICE may still be checking the remaining candidate pairs for a few seconds
# after the link is up, so 5-s windows are measured until one is idle (at
# most 10 wake-ups a second and 5% CPU); a busy loop keeps every window
# busy and fails when the (load-scaled) deadline passes.
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
csw() { awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
idle_window()
{
	local c0 w0
	c0=$(cpu "${CP_PID[a]}")
	w0=$(csw "${CP_PID[a]}")
	sleep 5
	WAKE=$(( $(csw "${CP_PID[a]}") - w0 ))
	CPU_MS=$(( ($(cpu "${CP_PID[a]}") - c0) * 1000 / hz ))
	[ "$WAKE" -le 50 ] && [ "$CPU_MS" -le 250 ]
}
t_idle=$(cp_now)
ns_wait_for 15 idle_window ||
	ns_fail "evpnd not idle (last 5 s: $WAKE wake-ups, $CPU_MS ms CPU; at most 50 and 250)"
ns_log "idle evpnd over 5 s: $WAKE wake-ups, $CPU_MS ms CPU (window ended $(cp_elapsed "$t_idle")s after the checks began)"
cp_check_logs
cp_stop_clean a		# orderly shutdown, no leaks from the control plane
echo "PASS: direct link through two EI NATs in ${t}s"
