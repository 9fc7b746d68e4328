#!/bin/bash
# A standard 1500-byte Ethernet (issue 13): TCP single stream over evpn0 at
# MTU 1500 (the default: frames above one record are split into fragment
# records, TCP SYNs' MSS clamped so segments stay one record) against MTU
# 1370 (nothing ever split), for both datapaths, in ONE VM boot, over a
# 1500-byte veth underlay:
#   evpn-kmod   evpn.ko (AES-256-GCM)
#   evpnd-tap   evpnd's TAP datapath (release build)
# Metrics (iperf3 receiver Mbit/s, median of BENCH_ROUNDS interleaved rounds):
#   tcp1_mtu1370_mbps     MTU 1370 on both ends
#   tcp1_mtu1500_mbps     MTU 1500, defaults (MSS clamped: one record/segment)
#   tcp1_mtu1500_split_mbps  MTU 1500 with the MSS clamp off (evpnd
#                         mss-clamp = no; evpn.ko debug parameter mss_clamp=0,
#                         make kmod-debug): every full segment is two
#                         fragment records -- the cost of splitting
# then the ratios to MTU 1370 per datapath, and
#   RESULT l2 <system> <metric> <value>
# Run from the host: tests/bench/l2.sh (needs make kmod, make release
# build). TCG makes absolute numbers meaningless; ratios within one run count.
# Environment: BENCH_SECONDS (default 5), BENCH_ROUNDS (default 3).
set -uo pipefail
EVPN_ROOT=${EVPN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}

if [ "${EVPN_IN_VM:-0}" != 1 ]; then
	[ -r "$EVPN_ROOT/evpn.ko" ] || { echo "l2 bench: run make kmod first" >&2; exit 77; }
	mkdir -p "$EVPN_ROOT/build/vm"
	env | grep -E '^BENCH_(SECONDS|ROUNDS)=' > "$EVPN_ROOT/build/vm/l2-bench.env"
	EVPN_VM_TEST_TIMEOUT=1500 exec "$EVPN_ROOT/tests/vm/run.sh" --mem 2048 "$0"
fi

ENVF=$EVPN_ROOT/build/vm/l2-bench.env
# shellcheck disable=SC1090
[ -r "$ENVF" ] && set -a && . "$ENVF" && set +a
SECS=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
BIN=$EVPN_ROOT/build/bin
DEBUG_KO=$EVPN_ROOT/build/kmod-debug/evpn.ko
IDA=1a000000000000000000000000000001
IDB=1b000000000000000000000000000002
PSK=$(printf '%064x' 0xbe4c)
declare -A RAW=() VAL=()
EVPND_PIDS=

nsa() { ip netns exec l2-a "$@"; }
nsb() { ip netns exec l2-b "$@"; }
cleanup() {
	[ -n "$EVPND_PIDS" ] && kill $EVPND_PIDS 2>/dev/null
	kill $(cat /tmp/l2-iperf-kmod.pid /tmp/l2-evpnd/iperf.pid 2>/dev/null) 2>/dev/null
	ip netns del l2-a 2>/dev/null
	ip netns del l2-b 2>/dev/null
}
trap cleanup EXIT

iperf() {
	nsa iperf3 -c "$1" -t "$SECS" -J --connect-timeout 3000 2>/dev/null |
		python3 -c 'import json,sys
try:
    print("%.1f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))
except Exception:
    print("")'
}
median() { printf '%s\n' "$@" | grep . | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

underlay() {
	ip netns add l2-a
	ip netns add l2-b
	nsa ip link set lo up
	nsb ip link set lo up
	ip link add ua netns l2-a type veth peer name ub netns l2-b
	nsa ip addr add 10.8.0.1/24 dev ua
	nsb ip addr add 10.8.0.2/24 dev ub
	nsa ip link set ua mtu 1500 up
	nsb ip link set ub mtu 1500 up
}

# --- evpn.ko: one device pair; MTU changed with ip link ---
kmod_up() {
	modprobe evpn || return 1
	if [ -r "$DEBUG_KO" ]; then rmmod evpn && insmod "$DEBUG_KO"; fi
	nsa ip link add ev0 type evpn
	nsb ip link add ev0 type evpn
	nsa "$BIN/evpnctl" set ev0 node-id $IDA
	nsb "$BIN/evpnctl" set ev0 node-id $IDB
	nsa "$BIN/evpnctl" link add ev0 peer $IDB local 10.8.0.1:5100 remote 10.8.0.2:5100
	nsb "$BIN/evpnctl" link add ev0 peer $IDA local 10.8.0.2:5100 remote 10.8.0.1:5100
	nsa "$BIN/evpnctl" key add ev0 peer $IDB suite aes-gcm psk "$PSK"
	nsb "$BIN/evpnctl" key add ev0 peer $IDA suite aes-gcm psk "$PSK"
	nsa ip addr add 10.33.0.1/24 dev ev0
	nsb ip addr add 10.33.0.2/24 dev ev0
	nsa ip link set ev0 up
	nsb ip link set ev0 up
	nsb iperf3 -s -D -B 10.33.0.2 -I /tmp/l2-iperf-kmod.pid >/dev/null 2>&1
	sleep 0.5
	nsa ping -c 3 -i 0.2 -W 2 10.33.0.2 >/dev/null
}

kmod_round() {
	local p=/sys/module/evpn/parameters/mss_clamp m
	for m in 1370 1500; do
		nsa ip link set ev0 mtu $m
		nsb ip link set ev0 mtu $m
		RAW[evpn-kmod,tcp1_mtu${m}_mbps]+=" $(iperf 10.33.0.2)"
	done
	if [ -w "$p" ]; then
		echo 0 > "$p"
		RAW[evpn-kmod,tcp1_mtu1500_split_mbps]+=" $(iperf 10.33.0.2)"
		echo 1 > "$p"
	fi
}

# --- evpnd TAP: restarted per configuration (MTU is configuration) ---
tap_up() {	# tap_up MTU CLAMP
	local d=/tmp/l2-evpnd n self peer sip pip
	kill $EVPND_PIDS 2>/dev/null
	for n in $EVPND_PIDS; do wait "$n" 2>/dev/null; done
	EVPND_PIDS=
	mkdir -p $d /dev/net
	[ -c /dev/net/tun ] || mknod /dev/net/tun c 10 200
	modprobe tun 2>/dev/null
	for n in a b; do
		if [ $n = a ]; then self=$IDA peer=$IDB sip=10.8.0.1 pip=10.8.0.2
		else self=$IDB peer=$IDA sip=10.8.0.2 pip=10.8.0.1; fi
		cat > $d/$n.conf <<-CONF
		[node]
		id = $self
		state-dir = $d/state-$n
		run-dir = $d/run-$n

		[interface]
		name = tap-$n
		datapath = tap
		mtu = $1
		mss-clamp = $2

		[static]
		listen = $sip:5190

		[link peer]
		peer = $peer
		endpoint = $pip:5190
		psk = $PSK
		suite = aes-256-gcm
		CONF
	done
	nsb "$BIN/evpnd" -f -c $d/b.conf > $d/b.log 2>&1 &
	EVPND_PIDS="$!"
	nsa "$BIN/evpnd" -f -c $d/a.conf > $d/a.log 2>&1 &
	EVPND_PIDS="$EVPND_PIDS $!"
	for n in a b; do
		for _ in $(seq 100); do ip netns exec l2-$n ip link show tap-$n >/dev/null 2>&1 && break; sleep 0.1; done
	done
	nsa ip addr add 10.34.0.1/24 dev tap-a 2>/dev/null
	nsb ip addr add 10.34.0.2/24 dev tap-b 2>/dev/null
	nsa ip link set tap-a up
	nsb ip link set tap-b up
	[ -r $d/iperf.pid ] && kill "$(cat $d/iperf.pid)" 2>/dev/null
	nsb iperf3 -s -D -B 10.34.0.2 -I $d/iperf.pid >/dev/null 2>&1
	sleep 0.5
	nsa ping -c 3 -i 0.2 -W 2 10.34.0.2 >/dev/null
}

tap_round() {
	[ -x "$BIN/evpnd" ] || return
	tap_up 1370 yes && RAW[evpnd-tap,tcp1_mtu1370_mbps]+=" $(iperf 10.34.0.2)"
	tap_up 1500 yes && RAW[evpnd-tap,tcp1_mtu1500_mbps]+=" $(iperf 10.34.0.2)"
	tap_up 1500 no && RAW[evpnd-tap,tcp1_mtu1500_split_mbps]+=" $(iperf 10.34.0.2)"
}

underlay
echo "l2 bench: $(nproc) vCPU (TCG), iperf3 ${SECS}s per run, $ROUNDS interleaved rounds, underlay MTU 1500"
[ -x "$BIN/evpnd" ] || echo "l2 bench: no build/bin/evpnd (make): evpnd-tap skipped"
kmod_up || echo "l2 bench: evpn.ko not usable: evpn-kmod skipped"
for r in $(seq 1 "$ROUNDS"); do
	[ -d /sys/module/evpn ] && kmod_round
	tap_round
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
printf '\n%-10s %10s %10s %10s %10s %10s\n' system mtu1370 mtu1500 split "1500/1370" "split/1370"
for s in evpn-kmod evpnd-tap; do
	for m in tcp1_mtu1370_mbps tcp1_mtu1500_mbps tcp1_mtu1500_split_mbps; do
		echo "# $s $m rounds:${RAW[$s,$m]:-}"
		VAL[$s,$m]=$(median ${RAW[$s,$m]:-})
	done
	printf '%-10s %10s %10s %10s %10s %10s\n' "$s" "${VAL[$s,tcp1_mtu1370_mbps]:--}" \
		"${VAL[$s,tcp1_mtu1500_mbps]:--}" "${VAL[$s,tcp1_mtu1500_split_mbps]:--}" \
		"$(ratio "${VAL[$s,tcp1_mtu1500_mbps]:-}" "${VAL[$s,tcp1_mtu1370_mbps]:-}")" \
		"$(ratio "${VAL[$s,tcp1_mtu1500_split_mbps]:-}" "${VAL[$s,tcp1_mtu1370_mbps]:-}")"
done
for s in evpn-kmod evpnd-tap; do
	for m in tcp1_mtu1370_mbps tcp1_mtu1500_mbps tcp1_mtu1500_split_mbps; do
		[ -n "${VAL[$s,$m]:-}" ] && echo "RESULT l2 $s $m ${VAL[$s,$m]}"
	done
done
cleanup
trap - EXIT
sleep 1
rmmod evpn 2>/dev/null
exit 0
