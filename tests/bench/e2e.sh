#!/usr/bin/env bash
# End-to-end layer cost (issue 11): TCP single stream one hop and two hops
# in evpnd's TAP datapath (release build), with the e2e layer (the default:
# two-hop unicast sealed end to end, docs/protocol.md 14) and without it
# (EVPND_TEST_NO_E2E=1: relayed unicast as plain 0xE1, the unprotected
# baseline). Chain A - B - C, static links, one [e2e] pair A-C.
#
#   RESULT e2e evpnd-tap[-noe2e]-1hop tcp1_mbps V
#   RESULT e2e evpnd-tap[-noe2e]-2hop tcp1_mbps V
#   RESULT e2e evpnd-tap[-noe2e]-2hop ratio_1hop R   (2hop / 1hop, same run)
#
# evpn.ko's figures: tests/bench/kdp_e2e.sh (in the VM).
HERE=$(cd "$(dirname "$0")" && pwd)
EVPN_ROOT=${EVPN_ROOT:-$(cd "$HERE/../.." && pwd)}
EVPND=${EVPND:-$EVPN_ROOT/build/bin/evpnd}
. "$EVPN_ROOT/tests/netns/tap_common.sh"
. "$HERE/lib.sh"
SECS=${BENCH_SECONDS:-10}

command -v iperf3 >/dev/null || { echo "SKIP: iperf3 missing"; exit 77; }
tap_init bee
export ASAN_OPTIONS= UBSAN_OPTIONS=

chain_up() {	# chain_up: fresh chain, evpnd started with the environment
	tap_lan
	tap_node A 10000000000000000000000000000001 10.80.0.1
	tap_node B 30000000000000000000000000000002 10.80.0.2
	tap_node C 50000000000000000000000000000003 10.80.0.3
	tap_link A B
	tap_link B C
	tap_e2e A C
	local n i=0
	for n in A B C; do
		tap_start $n
		i=$((i + 1))
		tap_nsx $n ip addr add 192.168.210.$i/24 dev tap$n
	done
	tap_nsx A ping -c 2 -W 2 192.168.210.3 >/dev/null || tap_fail "ping A -> C"
	tap_nsx A ping -c 2 -W 2 192.168.210.2 >/dev/null || tap_fail "ping A -> B"
}

chain_down() {
	local n
	for n in A B C; do tap_stop $n; done
	for n in "${TAP_NSES[@]}"; do ip netns del "$n"; done
	TAP_NSES=() TAP_NODES=()
}

tcp1() {	# tcp1 TO_NODE TO_IP: Mbit/s of one TCP stream from A
	tap_nsx "$1" iperf3 -s -1 -B "$2" >/dev/null 2>&1 &
	ns_wait_for 5 tap_listening "$1" tcp 5201 || tap_fail "iperf3 -s on $1"
	tap_nsx A iperf3 -c "$2" -t "$SECS" -f m 2>/dev/null |
		awk '/receiver/ {print $(NF-2)}'
	wait
}

run() {	# run SYSTEM
	local one two
	chain_up
	one=$(tcp1 B 192.168.210.2)
	two=$(tcp1 C 192.168.210.3)
	bench_result e2e "$1-1hop" tcp1_mbps "$one"
	bench_result e2e "$1-2hop" tcp1_mbps "$two"
	bench_result e2e "$1-2hop" ratio_1hop \
		"$(awk -v a="$two" -v b="$one" 'BEGIN { printf "%.2f", a / b }')"
	chain_down
}

echo "load before: $(uptime)"
run evpnd-tap
EVPND_TEST_NO_E2E=1 run evpnd-tap-noe2e
echo "load after: $(uptime)"
