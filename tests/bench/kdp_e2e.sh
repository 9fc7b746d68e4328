#!/bin/bash
# End-to-end layer cost in evpn.ko (issue 11): iperf3 TCP single stream one
# hop (A -> B, plain 0xE1) and two hops (A -> B -> C, sealed end to end as
# 0xE3 by A and opened by C; docs/protocol.md 14) on a chain of kernel
# nodes with static links (AES-256-GCM) and a pair key A-C, in the VM
# (TCG: only the ratio means anything). The TAP datapath's figures:
# tests/bench/e2e.sh.
#
#   RESULT e2e evpn-kmod-1hop tcp1_mbps V
#   RESULT e2e evpn-kmod-2hop tcp1_mbps V
#   RESULT e2e evpn-kmod-2hop ratio_1hop R   (2hop / 1hop, same run)
#
# Run from the host (boots the VM through tests/vm/run.sh; needs make kmod
# and make userspace). Environment: BENCH_SECONDS (iperf3 duration, 5),
# BENCH_ROUNDS (interleaved rounds, 3; medians reported).
set -uo pipefail
EVPN_ROOT=${EVPN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}

if [ "${EVPN_IN_VM:-0}" != 1 ]; then
	mkdir -p "$EVPN_ROOT/build/vm"
	env | grep -E '^BENCH_(SECONDS|ROUNDS)=' > "$EVPN_ROOT/build/vm/kdp-e2e-bench.env" || true
	exec "$EVPN_ROOT/tests/vm/run.sh" "$0"
fi
ENVF=$EVPN_ROOT/build/vm/kdp-e2e-bench.env
# shellcheck disable=SC1090
[ -r "$ENVF" ] && set -a && . "$ENVF" && set +a
SECS=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
. "$EVPN_ROOT/tests/vm/kdp_lib.sh"
trap kdp_cleanup EXIT
command -v iperf3 >/dev/null || { echo "SKIP: iperf3 missing"; exit 77; }

A=10000000000000000000000000000001
B=40000000000000000000000000000002
C=80000000000000000000000000000003
modprobe evpn
kdp_switch
kdp_node a "$A" 1; kdp_plug a 1
kdp_node b "$B" 2; kdp_plug b 2
kdp_node c "$C" 3; kdp_plug c 3
kdp_sw_link a 1 "$A" b 2 "$B" "$(printf '%064x' 0x11)"
kdp_sw_link b 2 "$B" c 3 "$C" "$(printf '%064x' 0x22)"
kdp_e2e a "$A" c "$C" "$(printf '%064x' 0xac)"
nsx a ping -c 2 -W 2 10.77.0.2 >/dev/null || fail "ping A -> B"
nsx a ping -c 2 -W 2 10.77.0.3 >/dev/null || fail "ping A -> C"

tcp1() {	# tcp1 NODE IP: Mbit/s of one TCP stream from A
	nsx "$1" iperf3 -s -1 -B "$2" >/dev/null 2>&1 &
	kdp_wait_for 5 sh -c "ip netns exec kdp-$1 ss -Hltn 'sport = :5201' | grep -q ." ||
		fail "iperf3 -s on $1"
	nsx a iperf3 -c "$2" -t "$SECS" -f m 2>/dev/null | awk '/receiver/ {print $(NF-2)}'
	wait
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

one="" two=""
for r in $(seq "$ROUNDS"); do
	o=$(tcp1 b 10.77.0.2)
	t=$(tcp1 c 10.77.0.3)
	echo "round $r: 1hop $o Mbit/s, 2hop e2e $t Mbit/s"
	one="$one $o" two="$two $t"
done
for r in e2e_no_key e2e_auth e2e_replay; do
	[ "$(drop_count c $r)" = 0 ] || fail "C counted $r drops"
done
o=$(echo $one | tr ' ' '\n' | median)
t=$(echo $two | tr ' ' '\n' | median)
echo "RESULT e2e evpn-kmod-1hop tcp1_mbps $o"
echo "RESULT e2e evpn-kmod-2hop tcp1_mbps $t"
echo "RESULT e2e evpn-kmod-2hop ratio_1hop $(awk -v a="$t" -v b="$o" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')"
kdp_teardown a b c
