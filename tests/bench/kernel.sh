#!/bin/bash
# Kernel datapath benchmark (issue 5): in ONE VM boot, iperf3 TCP with 1 and
# 4 streams and ping RTT across a namespace pair joined by a veth, for
#   veth              the raw underlay
#   vxlan             kernel VXLAN over it (unencrypted)
#   wireguard         kernel WireGuard (ChaCha20-Poly1305)
#   evpn-kmod-aesgcm  evpn.ko, AES-256-GCM (the default suite)
#   evpn-kmod-chacha  evpn.ko, ChaCha20-Poly1305
#   evpnd-tap         evpnd's userspace TAP datapath (if build/bin/evpnd runs)
# then a table of ratios to WireGuard and RESULT lines
#   RESULT kernel <system> tcp1_mbps|tcp4_mbps|rtt_ms <value>
# (`evpn-kmod` repeats the default suite's figures). With the debug build
# of evpn.ko (make kmod-debug) comparison rows follow, without RESULT lines:
# -inline (rx_spread=0), -txinline (tx_spread=0), -plaingcm (AES-GCM
# through the synchronous "gcm(aes)" instead of the AES-NI internal
# transform, gcm_internal=0; only with BENCH_PLAINGCM=1: a one-off
# comparison that adds 2 x BENCH_ROUNDS rounds).
#
# Run from the host: tests/bench/kernel.sh (boots the VM through
# tests/vm/run.sh with this same script; needs `make kmod` first). TCG
# emulation makes absolute numbers meaningless: only ratios within one run
# count. Every tunnel gets the same inner MTU (1370: the largest evpn
# carries in one record on a 1500-byte path) so the TCP segment size is the
# same for all (tests/bench/l2.sh measures evpn at its default MTU 1500).
# WireGuard, evpn.ko and evpnd-tap are measured in 5 interleaved rounds
# (medians reported; the raw rounds are printed too).
# Environment: BENCH_SECONDS (iperf3 duration, default 5), BENCH_PINGS (20),
# BENCH_ROUNDS (5), BENCH_PLAINGCM (0); passed to the VM through build/vm/kernel-bench.env.
set -uo pipefail
EVPN_ROOT=${EVPN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}

if [ "${EVPN_IN_VM:-0}" != 1 ]; then
	[ -r "$EVPN_ROOT/evpn.ko" ] || { echo "kernel bench: run make kmod first" >&2; exit 77; }
	# The VM does not inherit our environment; it reads the host's files.
	mkdir -p "$EVPN_ROOT/build/vm"
	env | grep -E '^BENCH_(SECONDS|PINGS|ROUNDS|PLAINGCM)=' > "$EVPN_ROOT/build/vm/kernel-bench.env"
	out=$(mktemp)
	EVPN_VM_TEST_TIMEOUT=1500 "$EVPN_ROOT/tests/vm/run.sh" --mem 2048 "$0" | tee "$out"
	rc=${PIPESTATUS[0]}
	rm -f "$out"
	exit "$rc"
fi

ENVF=$EVPN_ROOT/build/vm/kernel-bench.env
# shellcheck disable=SC1090
[ -r "$ENVF" ] && set -a && . "$ENVF" && set +a
SECS=${BENCH_SECONDS:-5}
PINGS=${BENCH_PINGS:-20}
MTU=1370
BIN=$EVPN_ROOT/build/bin
declare -A VAL=() RAW=() DST=()
SYSTEMS=()

nsa() { ip netns exec kb-a "$@"; }
nsb() { ip netns exec kb-b "$@"; }
cleanup() {
	pkill -P $$ 2>/dev/null
	[ -n "${EVPND_PIDS:-}" ] && kill $EVPND_PIDS 2>/dev/null
	ip netns del kb-a 2>/dev/null
	ip netns del kb-b 2>/dev/null
}
trap cleanup EXIT

# iperf3 receiver-side Mbit/s for STREAMS streams to DST.
iperf() {
	nsa iperf3 -c "$1" -P "$2" -t "$SECS" -J --connect-timeout 3000 2>/dev/null |
		python3 -c 'import json,sys
try:
    print("%.1f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))
except Exception:
    print("")'
}
rtt() {
	nsa ping -q -n -c "$PINGS" -i 0.05 -W 1 "$1" 2>/dev/null |
		awk -F'/' '/^rtt/ { printf "%.3f\n", $5 }'
}

median() { printf '%s\n' "$@" | grep . | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# measure SYSTEM DST_IP: the three metrics over an overlay already up.
measure() {
	local sys=$1 dst=$2
	nsa ping -c 3 -i 0.2 -W 2 "$dst" >/dev/null 2>&1 ||
		{ echo "bench: $sys: $dst unreachable, skipped"; return 1; }
	nsb iperf3 -s -D -B "$dst" -I /tmp/kb-iperf-$sys.pid >/dev/null 2>&1
	sleep 0.5
	SYSTEMS+=("$sys")
	DST[$sys]=$dst
	measure_round "$sys"
}

# One more round of the three metrics for an already measured system (the
# machine is shared: interleaved rounds and medians tame the noise).
measure_round() {
	local sys=$1 dst=${DST[$1]}
	RAW[$sys,tcp1_mbps]+=" $(iperf "$dst" 1)"
	RAW[$sys,tcp4_mbps]+=" $(iperf "$dst" 4)"
	RAW[$sys,rtt_ms]+=" $(rtt "$dst")"
}

finish() {
	local s v
	for s in "${SYSTEMS[@]}"; do
		kill "$(cat /tmp/kb-iperf-$s.pid 2>/dev/null)" 2>/dev/null
		for v in tcp1_mbps tcp4_mbps rtt_ms; do
			VAL[$s,$v]=$(median ${RAW[$s,$v]:-})
			echo "# $s $v rounds:${RAW[$s,$v]:-}"
			echo "RESULT kernel $s $v ${VAL[$s,$v]:-}"
		done
	done
}

underlay() {
	ip netns add kb-a
	ip netns add kb-b
	nsa ip link set lo up
	nsb ip link set lo up
	ip link add ua netns kb-a type veth peer name ub netns kb-b
	nsa ip addr add 10.8.0.1/24 dev ua
	nsb ip addr add 10.8.0.2/24 dev ub
	nsa ip link set ua up
	nsb ip link set ub up
}

bench_veth() { measure veth 10.8.0.2; }

bench_vxlan() {
	nsa ip link add vx0 type vxlan id 42 local 10.8.0.1 remote 10.8.0.2 dstport 4789
	nsb ip link add vx0 type vxlan id 42 local 10.8.0.2 remote 10.8.0.1 dstport 4789
	nsa ip addr add 10.31.0.1/24 dev vx0
	nsb ip addr add 10.31.0.2/24 dev vx0
	nsa ip link set vx0 mtu $MTU up
	nsb ip link set vx0 mtu $MTU up
	measure vxlan 10.31.0.2
}

bench_wireguard() {
	local ka kb
	ka=$(wg genkey) kb=$(wg genkey)
	nsa ip link add wg0 type wireguard || { echo "bench: no kernel wireguard"; return 1; }
	nsb ip link add wg0 type wireguard
	nsa wg set wg0 private-key <(echo "$ka") listen-port 51820 \
		peer "$(echo "$kb" | wg pubkey)" allowed-ips 10.32.0.2/32 endpoint 10.8.0.2:51820
	nsb wg set wg0 private-key <(echo "$kb") listen-port 51820 \
		peer "$(echo "$ka" | wg pubkey)" allowed-ips 10.32.0.1/32 endpoint 10.8.0.1:51820
	nsa ip addr add 10.32.0.1/24 dev wg0
	nsb ip addr add 10.32.0.2/24 dev wg0
	nsa ip link set wg0 mtu $MTU up
	nsb ip link set wg0 mtu $MTU up
	measure wireguard 10.32.0.2
}

# evpn.ko: the debug build when there is one (make kmod-debug: the same
# code plus the test-only module parameters the -inline / -txinline rows
# set; production builds have none), else the installed module.
DEBUG_KO=$EVPN_ROOT/build/kmod-debug/evpn.ko
load_evpn() {
	[ -d /sys/module/evpn ] && return 0
	modprobe evpn || return 1
	[ -r "$DEBUG_KO" ] || return 0
	rmmod evpn && insmod "$DEBUG_KO"
}

EV_IDA=1a000000000000000000000000000001
EV_IDB=1b000000000000000000000000000002
declare -A EV_PSK=()

# evpn_keys DEV SUITE: (re)install DEV's static keys on both sides.
evpn_keys() {
	nsa "$BIN/evpnctl" key add "$1" peer $EV_IDB suite "$2" psk "${EV_PSK[$1]}"
	nsb "$BIN/evpnctl" key add "$1" peer $EV_IDA suite "$2" psk "${EV_PSK[$1]}"
}

# bench_evpn SYSTEM SUITE PORT NET DEV: its own device pair, socket and keys.
bench_evpn() {
	local sys=$1 suite=$2 port=$3 net=$4 dev=$5
	local ida=$EV_IDA idb=$EV_IDB
	EV_PSK[$dev]=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
	load_evpn || return 1
	nsa ip link add "$dev" type evpn
	nsb ip link add "$dev" type evpn
	nsa "$BIN/evpnctl" set "$dev" node-id $ida
	nsb "$BIN/evpnctl" set "$dev" node-id $idb
	nsa "$BIN/evpnctl" link add "$dev" peer $idb local 10.8.0.1:$port remote 10.8.0.2:$port
	nsb "$BIN/evpnctl" link add "$dev" peer $ida local 10.8.0.2:$port remote 10.8.0.1:$port
	evpn_keys "$dev" "$suite"
	nsa ip addr add "$net.1/24" dev "$dev"
	nsb ip addr add "$net.2/24" dev "$dev"
	nsa ip link set "$dev" mtu $MTU up
	nsb ip link set "$dev" mtu $MTU up
	measure "$sys" "$net.2"
}

bench_evpnd_tap() {
	local d=/tmp/kb-evpnd n
	[ -x "$BIN/evpnd" ] || { echo "bench: no build/bin/evpnd, evpnd-tap skipped"; return 1; }
	mkdir -p $d /dev/net
	[ -c /dev/net/tun ] || mknod /dev/net/tun c 10 200
	modprobe tun 2>/dev/null
	for n in a b; do
		local self peer sip pip
		if [ $n = a ]; then self=2a000000000000000000000000000001 peer=2b000000000000000000000000000002 sip=10.8.0.1 pip=10.8.0.2
		else self=2b000000000000000000000000000002 peer=2a000000000000000000000000000001 sip=10.8.0.2 pip=10.8.0.1; fi
		cat > $d/$n.conf <<-CONF
		[node]
		id = $self
		state-dir = $d/state-$n
		run-dir = $d/run-$n

		[interface]
		name = tap-$n
		datapath = tap
		mtu = $MTU

		[static]
		listen = $sip:5190

		[link peer]
		peer = $peer
		endpoint = $pip:5190
		psk = $(printf '%064x' 0xbe4c)
		suite = aes-256-gcm
		CONF
	done
	nsb "$BIN/evpnd" -f -c $d/b.conf > $d/b.log 2>&1 &
	EVPND_PIDS="$!"
	nsa "$BIN/evpnd" -f -c $d/a.conf > $d/a.log 2>&1 &
	EVPND_PIDS="$EVPND_PIDS $!"
	for n in a b; do
		for _ in $(seq 100); do ip netns exec kb-$n ip link show tap-$n >/dev/null 2>&1 && break; sleep 0.1; done
	done
	ip netns exec kb-a ip link show tap-a >/dev/null 2>&1 ||
		{ echo "bench: evpnd did not start:"; cat $d/a.log; return 1; }
	nsa ip addr add 10.34.0.1/24 dev tap-a
	nsb ip addr add 10.34.0.2/24 dev tap-b
	nsa ip link set tap-a up
	nsb ip link set tap-b up
	measure evpnd-tap 10.34.0.2
}

underlay
echo "kernel bench: $(nproc) vCPU (TCG), iperf3 ${SECS}s per run, MTU $MTU on every tunnel, ${BENCH_ROUNDS:-5} rounds"
ROUNDS=${BENCH_ROUNDS:-5}
bench_veth
bench_vxlan
bench_wireguard
bench_evpn evpn-kmod-aesgcm aes-gcm 5100 10.33.0 ev-aes
bench_evpn evpn-kmod-chacha chacha 5101 10.35.0 ev-chacha
bench_evpnd_tap
# More interleaved rounds of the systems the ratios are about. The
# "-inline" rows are evpn.ko with receive spreading off (rx_spread=0: records
# opened on the receiving CPU), for comparison; they get no RESULT line.
for r in $(seq 2 "$ROUNDS"); do
	for s in wireguard evpn-kmod-aesgcm evpn-kmod-chacha evpnd-tap; do
		[ -n "${DST[$s]:-}" ] && measure_round "$s"
	done
done
# inline_rows SUFFIX PARAM: the evpn.ko rows again with module parameter
# PARAM off (debug builds only).
inline_rows() {
	local suffix=$1 p=/sys/module/evpn/parameters/$2 s
	if [ ! -w "$p" ]; then
		echo "kernel bench: $suffix rows skipped: evpn.ko has no $2 (make kmod-debug)"
		return
	fi
	echo 0 > "$p"
	for s in evpn-kmod-aesgcm evpn-kmod-chacha; do
		[ -n "${DST[$s]:-}" ] || continue
		SYSTEMS+=("$s$suffix")
		DST[$s$suffix]=${DST[$s]}
		for r in $(seq 1 "$ROUNDS"); do measure_round "$s$suffix"; done
	done
	echo 1 > "$p"
}
inline_rows -inline rx_spread
# "-txinline": transmit sealing on the sending CPU (tx_spread=0), as before
# the transmit queues (kmod/queue.c).
inline_rows -txinline tx_spread
# "-plaingcm": AES-GCM keys without the AES-NI driver's internal transform
# (debug parameter gcm_internal=0), i.e. the synchronous "gcm(aes)" the
# crypto API builds (ovpn's plain crypto_alloc_aead()). Interleaved with
# as many more rounds of the default, each after re-installing the keys.
plaingcm_rows() {
	local p=/sys/module/evpn/parameters/gcm_internal s=evpn-kmod-aesgcm r
	[ "${BENCH_PLAINGCM:-0}" = 1 ] && [ -n "${DST[$s]:-}" ] || return
	if [ ! -w "$p" ]; then
		echo "kernel bench: -plaingcm rows skipped: evpn.ko has no gcm_internal (make kmod-debug)"
		return
	fi
	SYSTEMS+=("$s-plaingcm")
	DST[$s-plaingcm]=${DST[$s]}
	for r in $(seq 1 "$ROUNDS"); do
		echo 0 > "$p"
		evpn_keys ev-aes aes-gcm
		measure_round "$s-plaingcm"
		echo 1 > "$p"
		evpn_keys ev-aes aes-gcm
		measure_round "$s"
	done
	echo "kernel bench: AES-GCM implementations instantiated:"
	awk '/^name/ { n = $3 } /^driver/ && n ~ /gcm/ { print "  " n " -> " $3 }' /proc/crypto | sort -u
}
plaingcm_rows
finish > /tmp/kb-results
grep -v -- '-\(\(tx\)\?inline\|plaingcm\) ' /tmp/kb-results

# The default suite's figures under the plain name.
for v in tcp1_mbps tcp4_mbps rtt_ms; do
	VAL[evpn-kmod,$v]=${VAL[evpn-kmod-aesgcm,$v]:-}
	echo "RESULT kernel evpn-kmod $v ${VAL[evpn-kmod,$v]}"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
echo
printf '%-18s %10s %10s %9s %9s %9s %9s\n' system tcp1_mbps tcp4_mbps rtt_ms "tcp1/wg" "tcp4/wg" "rtt/wg"
for s in "${SYSTEMS[@]}"; do
	printf '%-18s %10s %10s %9s %9s %9s %9s\n' "$s" "${VAL[$s,tcp1_mbps]:--}" \
		"${VAL[$s,tcp4_mbps]:--}" "${VAL[$s,rtt_ms]:--}" \
		"$(ratio "${VAL[$s,tcp1_mbps]:-}" "${VAL[wireguard,tcp1_mbps]:-}")" \
		"$(ratio "${VAL[$s,tcp4_mbps]:-}" "${VAL[wireguard,tcp4_mbps]:-}")" \
		"$(ratio "${VAL[$s,rtt_ms]:-}" "${VAL[wireguard,rtt_ms]:-}")"
done
cleanup
trap - EXIT
sleep 1
rmmod evpn 2>/dev/null
exit 0
