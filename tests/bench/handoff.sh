#!/bin/bash
# The ICE socket handoff on the TAP datapath: evpnd sends a link's records
# itself on libnice's selected UDP socket (sendmmsg + UDP GSO), or -- with
# EVPND_NO_HANDOFF=1 -- every record goes through nice_agent_send. Two TAP
# nodes behind EI NATs linked by the real control plane (prosody + coturn,
# tests/netns/cp_lib.sh; direct path). Per mode: BENCH_HANDOFF_RUNS runs
# (default 3) of iperf3 TCP a -> b (3 s) and ping RTT (avg of 20); medians.
#
#   RESULT handoff evpnd-tap-handoff tcp1_mbps N     (and rtt_ms)
#   RESULT handoff evpnd-tap-nice tcp1_mbps N
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
: "${EVPN_ROOT:=$(cd "$HERE/../.." && pwd)}"
export EVPN_ROOT
RUNS=${BENCH_HANDOFF_RUNS:-3}
[ "$(id -u)" = 0 ] || { echo "handoff: needs root (skipped)"; exit 77; }
command -v iperf3 >/dev/null || { echo "handoff: no iperf3 (skipped)"; exit 77; }
[ -x "$EVPN_ROOT/build/bin/evpnd" ] && export CP_EVPND="$EVPN_ROOT/build/bin/evpnd"

median() { sort -n | awk '{ v[NR] = $1 } END {
	if (NR == 0) { print "nan"; exit }
	if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One world, RUNS measurements; prints "M mbps rtt" lines.
measure() (
	set -e
	. "$EVPN_ROOT/tests/netns/lib.sh"
	. "$EVPN_ROOT/tests/netns/cp_lib.sh"
	NS_QUIET_LOGS=1
	ns_init "bench_handoff_$1"
	[ "$1" = nice ] && CP_ENV=EVPND_NO_HANDOFF=1 || CP_ENV=
	cp_pair ei ei >&2
	cp_start a
	cp_start b
	ns_wait_for 15 cp_ping a b || ns_fail "no overlay ping"
	[ "$(cp_link a b relayed)" = false ] || ns_fail "path is relayed"
	for _ in $(seq "$RUNS"); do
		ns_bg b iperf3.log iperf3 -s -B "${CP_OVIP[b]}" -1 >/dev/null
		ns_wait_for 3 ns_listening b tcp "${CP_OVIP[b]}" 5201
		mbps=$(ns_exec a iperf3 -c "${CP_OVIP[b]}" -t 3 -J |
			python3 -c 'import json,sys; print("%.1f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))')
		rtt=$(ns_exec a ping -c 20 -i 0.05 -W 1 "${CP_OVIP[b]}" | awk -F/ '/^rtt/ { print $5 }')
		echo "M $mbps $rtt"
	done
)

printf '%-20s %6s %12s %10s\n' system runs tcp1_mbps rtt_ms
rc=0
for mode in handoff nice; do
	out=$(measure "$mode" 2>/dev/null) || { echo "handoff: $mode failed" >&2; rc=1; continue; }
	m=$(echo "$out" | awk '$1 == "M" { print $2 }' | median)
	r=$(echo "$out" | awk '$1 == "M" { print $3 }' | median)
	printf '%-20s %6s %12s %10s\n' "evpnd-tap-$mode" "$RUNS" "$m" "$r"
	echo "RESULT handoff evpnd-tap-$mode tcp1_mbps $m"
	echo "RESULT handoff evpnd-tap-$mode rtt_ms $r"
done
exit $rc
