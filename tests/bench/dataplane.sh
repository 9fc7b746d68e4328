#!/bin/bash
# Dataplane benchmark (issue 3, item 8): one namespace pair, one run, every
# system measured one after another over the same veth:
#
#   a eth0 10.200.0.1/24  <--veth-->  b eth0 10.200.0.2/24     (underlay)
#   tunnel/overlay addresses: a 10.201.0.1/24, b 10.201.0.2/24
#
# Systems: veth (raw), evpnd-tap (if built), tinc 1.0 switch mode,
# wireguard-go, OpenVPN tap.  Per system: ping RTT (BENCH_PINGS pings 0.05 s
# apart), iperf3 TCP 1 stream and 4 streams (BENCH_SECONDS each, after a
# BENCH_WARMUP-second warm-up run), CPU seconds of the VPN processes (both
# ends) per GB carried, and their RSS.  Prints a line per measurement, a
# table with ratios against evpnd-tap (or tinc-switch when evpnd is not
# available), then RESULT lines (medians over rounds):
#   RESULT dataplane <system> tcp1_mbps|tcp4_mbps|rtt_ms|cpu_s_per_gb|rss_kib N
#
# Environment: BENCH_SECONDS (10), BENCH_PINGS (20), BENCH_WARMUP (3),
# BENCH_ROUNDS (1; more rounds report medians), BENCH_SYSTEMS
# (space-separated subset, default: all).
#
# Adding a system: write bench_<name>() that brings the tunnel up between
# namespaces a and b with the overlay addresses above, then calls
#   bench_measure <system-name> 10.201.0.2 <pids of the VPN processes>
# bench_reset (run after each system) kills every process in a and b and
# deletes every interface but lo and eth0.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../netns/lib.sh"
. "$HERE/lib.sh"
ns_init bench_dataplane

BENCH_WARMUP=${BENCH_WARMUP:-3}
BENCH_ROUNDS=${BENCH_ROUNDS:-1}
ALL_SYSTEMS="veth evpnd-tap tinc-switch wireguard-go openvpn-tap"
WANT_SYSTEMS=${BENCH_SYSTEMS:-$ALL_SYSTEMS}
CLK_TCK=$(getconf CLK_TCK)
UA=10.200.0.1
UB=10.200.0.2
OA=10.201.0.1
OB=10.201.0.2
ns_require iperf3 ping

ns_host a
ns_host b
ns_link a eth0 "$UA/24" b eth0 "$UB/24"

# ---------------------------------------------------------------------------
# bench_reset: stop everything a system started, remove its interfaces.
# ---------------------------------------------------------------------------
bench_reset()
{
	local n pids ifs
	for n in a b; do
		pids=$(ip netns pids "$(ns_name "$n")")
		[ -z "$pids" ] || ns_kill $pids
		ifs=$(ip -n "$(ns_name "$n")" -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }')
		for i in $ifs; do
			case "$i" in lo|eth0) ;; *) ip -n "$(ns_name "$n")" link del "$i" 2>/dev/null || true ;; esac
		done
	done
}

# ---------------------------------------------------------------------------
# bench_measure SYSTEM DST_IP [PID...]
#   Measure RTT, TCP 1 and 4 streams from a to DST_IP (in b), and the CPU
#   time / RSS of PIDs; record RESULT lines.  Fails the system (returns 1)
#   if the tunnel does not pass traffic.
# ---------------------------------------------------------------------------
bench_measure()
{
	local sys=$1 dst=$2 t0 t1 rtt tcp1 mb1 tcp4 mb4 rss cpu
	local warmup=${BENCH_SYS_WARMUP:-}
	shift 2
	ns_wait_for 20 ns_exec a ping -c1 -W1 "$dst" ||
		{ ns_log "$sys: no connectivity to $dst"; return 1; }
	ns_bg b "iperf3-$sys.log" iperf3 -s -B "$dst" >/dev/null
	ns_wait_for 5 ns_listening b tcp "$dst" 5201 ||
		{ ns_log "$sys: iperf3 server did not start"; return 1; }
	if [ "${warmup:=$BENCH_WARMUP}" != 0 ]; then
		bench_iperf a "$dst" 1 "$warmup" >/dev/null ||
			{ ns_log "$sys: warm-up failed"; return 1; }
	fi
	rtt=$(bench_rtt a "$dst") || { ns_log "$sys: ping failed"; return 1; }
	t0=$(bench_cpu_ticks "$@")
	read -r tcp1 mb1 <<<"$(bench_iperf a "$dst" 1)"
	read -r tcp4 mb4 <<<"$(bench_iperf a "$dst" 4)"
	t1=$(bench_cpu_ticks "$@")
	[ -n "$tcp1" ] && [ -n "$tcp4" ] || { ns_log "$sys: iperf3 failed"; return 1; }
	case " ${BENCH_MEASURED[*]} " in *" $sys "*) ;; *) BENCH_MEASURED+=("$sys") ;; esac
	bench_result dataplane "$sys" tcp1_mbps "$tcp1"
	bench_result dataplane "$sys" tcp4_mbps "$tcp4"
	bench_result dataplane "$sys" rtt_ms "$rtt"
	if [ $# -gt 0 ]; then
		cpu=$(awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" -v mb="$mb1" -v mb4="$mb4" \
			'BEGIN { gb = (mb + mb4) * 1048576 / 1e9;
				 if (gb > 0) printf "%.2f\n", t / hz / gb }')
		rss=$(bench_rss_kib "$@")
		[ -z "$cpu" ] || bench_result dataplane "$sys" cpu_s_per_gb "$cpu"
		[ "${BENCH_SYS_RSS:-}" = no ] ||
			bench_result dataplane "$sys" rss_kib "$rss"
	fi
	printf '  %-13s tcp1 %6s  tcp4 %6s Mbit/s  rtt %6s ms  cpu %5s s/GB  (load %s)\n' \
		"$sys" "$tcp1" "$tcp4" "$rtt" "${cpu:--}" "$(cut -d' ' -f1 /proc/loadavg)"
}

# ---------------------------------------------------------------------------
# bench_veth: the raw underlay, no tunnel.
# ---------------------------------------------------------------------------
bench_veth()
{
	bench_measure veth "$UB"
}

# ---------------------------------------------------------------------------
# bench_evpnd_tap: evpnd's userspace TAP datapath.  The setup lives in
# tests/bench/evpnd_tap.sh (written by the datapath owner), sourced here; it
# must bring up evpnd in a and b (overlay $OA/$OB on the TAP, underlay
# $UA/$UB) and call: bench_measure evpnd-tap $OB <evpnd pids>
# Issue 3 wants evpnd's RSS with 16 links: evpnd_tap.sh may set
# `local BENCH_SYS_RSS=no` before bench_measure (which then skips rss_kib)
# and report its own `bench_result dataplane evpnd-tap rss_kib N`.
# Everything it starts in a and b is killed by bench_reset afterwards.
# ---------------------------------------------------------------------------
bench_evpnd_tap()
{
	if [ ! -x "$EVPN_ROOT/build/bin/evpnd" ] || [ ! -f "$HERE/evpnd_tap.sh" ]; then
		# NOT YET AVAILABLE: skipped until build/bin/evpnd and
		# tests/bench/evpnd_tap.sh both exist.
		echo "evpnd-tap: not yet available (needs build/bin/evpnd and tests/bench/evpnd_tap.sh)"
		return 0
	fi
	# shellcheck source=/dev/null
	. "$HERE/evpnd_tap.sh"
}

# ---------------------------------------------------------------------------
# bench_tinc: tinc 1.0, Mode = switch (L2, like evpn), AES-256-CBC +
# HMAC-SHA256 (faster with AES-NI than tinc's Blowfish default), fresh RSA
# keys.  Until its path-MTU discovery finishes (~2-3 s) tinc sends large
# frames over its TCP meta connection, which is faster here than its UDP
# steady state: the warm-up run is stretched to >= 5 s so that the steady
# state is measured.
# ---------------------------------------------------------------------------
bench_tinc()
{
	local d="$NS_DIR/tinc" n ip oip pa pb
	local BENCH_SYS_WARMUP=$BENCH_WARMUP
	[ "$BENCH_WARMUP" = 0 ] || [ "$BENCH_WARMUP" -ge 5 ] || BENCH_SYS_WARMUP=5
	ns_require tincd
	for n in a b; do
		if [ $n = a ]; then ip=$UA oip=$OA; else ip=$UB oip=$OB; fi
		mkdir -p "$d/$n/hosts"
		cat >"$d/$n/tinc.conf" <<-EOF
			Name = $n
			Mode = switch
			Interface = evbtinc-$n
			AddressFamily = ipv4
			BindToAddress = $ip
			Cipher = ${TINC_CIPHER:-aes-256-cbc}
			Digest = ${TINC_DIGEST:-sha256}
		EOF
		[ $n = a ] && echo "ConnectTo = b" >>"$d/$n/tinc.conf"
		printf '#!/bin/sh\nip link set "$INTERFACE" up\nip addr add %s/24 dev "$INTERFACE"\n' \
			"$oip" >"$d/$n/tinc-up"
		chmod 755 "$d/$n/tinc-up"
		printf 'Address = %s\nPort = 655\n' "$ip" >"$d/$n/hosts/$n"
		tincd -c "$d/$n" -K2048 </dev/null >"$d/keygen-$n.log" 2>&1 ||
			{ ns_log "tinc: key generation failed"; return 1; }
	done
	cp "$d/a/hosts/a" "$d/b/hosts/a"
	cp "$d/b/hosts/b" "$d/a/hosts/b"
	pb=$(ns_bg b tinc-b.log tincd -c "$d/b" -D -d"${TINC_DEBUG:-1}" --pidfile="$d/b/pid")
	pa=$(ns_bg a tinc-a.log tincd -c "$d/a" -D -d"${TINC_DEBUG:-1}" --pidfile="$d/a/pid")
	bench_measure tinc-switch "$OB" "$pa" "$pb"
}

# ---------------------------------------------------------------------------
# bench_wireguard_go: Debian's wireguard-go, configured with wg.  Its UAPI
# socket dir /var/run/wireguard is shared by all namespaces: the interface
# names must differ between ends (and from other tests').
# ---------------------------------------------------------------------------
bench_wireguard_go()
{
	local d="$NS_DIR/wg" n pa pb
	ns_require wireguard-go wg
	mkdir -p "$d"
	for n in a b; do
		(umask 077; wg genkey >"$d/$n.key")
		wg pubkey <"$d/$n.key" >"$d/$n.pub"
	done
	pa=$(ns_bg a wg-a.log env WG_PROCESS_FOREGROUND=1 wireguard-go -f evbwg-a)
	pb=$(ns_bg b wg-b.log env WG_PROCESS_FOREGROUND=1 wireguard-go -f evbwg-b)
	ns_wait_for 5 test -S /var/run/wireguard/evbwg-a.sock || return 1
	ns_wait_for 5 test -S /var/run/wireguard/evbwg-b.sock || return 1
	ns_exec a wg set evbwg-a listen-port 51820 private-key "$d/a.key" \
		peer "$(cat "$d/b.pub")" endpoint "$UB:51820" allowed-ips "$OB/32"
	ns_exec b wg set evbwg-b listen-port 51820 private-key "$d/b.key" \
		peer "$(cat "$d/a.pub")" endpoint "$UA:51820" allowed-ips "$OA/32"
	ns_exec a ip addr add "$OA/24" dev evbwg-a
	ns_exec b ip addr add "$OB/24" dev evbwg-b
	ns_exec a ip link set evbwg-a up
	ns_exec b ip link set evbwg-b up
	bench_measure wireguard-go "$OB" "$pa" "$pb"
}

# ---------------------------------------------------------------------------
# bench_openvpn: OpenVPN 2.6 peer-to-peer, tap device, TLS with a throwaway
# CA, data channel AES-256-GCM, no DCO (it is tun-only and needs a module).
# ---------------------------------------------------------------------------
bench_openvpn()
{
	local pki="$NS_DIR/pki" pa pb common
	ns_require openvpn openssl
	pki_init ovpn-a
	pki_init ovpn-b
	common=(--dev-type tap --proto udp --lport 1194 --rport 1194
		--ca "$pki/ca.crt" --dh none --data-ciphers AES-256-GCM
		--cipher AES-256-GCM --disable-dco --script-security 0 --verb 3
		--ping 10)
	pb=$(ns_bg b ovpn-b.log openvpn --dev evbtap-b --local "$UB" --remote "$UA" \
		--tls-server --cert "$pki/ovpn-b.crt" --key "$pki/ovpn-b.key" \
		--ifconfig "$OB" 255.255.255.0 "${common[@]}")
	pa=$(ns_bg a ovpn-a.log openvpn --dev evbtap-a --local "$UA" --remote "$UB" \
		--tls-client --cert "$pki/ovpn-a.crt" --key "$pki/ovpn-a.key" \
		--ifconfig "$OA" 255.255.255.0 "${common[@]}")
	ns_wait_for 15 grep -q "Initialization Sequence Completed" "$NS_DIR/ovpn-a.log" ||
		{ ns_log "openvpn: no tunnel"; return 1; }
	grep -q "AES-256-GCM" "$NS_DIR/ovpn-a.log" ||
		ns_log "openvpn: warning: AES-256-GCM not confirmed in its log"
	bench_measure openvpn-tap "$OB" "$pa" "$pb"
}

run_system()
{
	local sys=$1 fn=$2
	case " $WANT_SYSTEMS " in *" $sys "*) ;; *) return 0 ;; esac
	ns_log "measuring $sys${ROUND_TAG:-}"
	if ! "$fn"; then
		echo "$sys: FAILED (see logs in $NS_DIR)"
		FAILED="$FAILED $sys"
	fi
	bench_reset
}

# tv SYSTEM METRIC: table cell, "-" when not measured
tv()
{
	local v
	v=$(bench_get "$1" "$2")
	echo "${v:--}"
}

print_table()
{
	local ref=evpnd-tap s
	[ -n "$(bench_get evpnd-tap tcp1_mbps)" ] || ref=tinc-switch
	echo
	echo "dataplane benchmark: ${BENCH_SECONDS}s iperf3 runs, $BENCH_PINGS pings," \
		"$BENCH_ROUNDS round(s) (median), $(nproc) CPUs shared with other work," \
		"ratios vs $ref"
	printf '%-13s %10s %10s %8s %9s %8s | %7s %7s %7s\n' system tcp1_mbps \
		tcp4_mbps rtt_ms cpu_s/GB rss_kib tcp1/ref tcp4/ref rtt/ref
	for s in "${BENCH_MEASURED[@]}"; do
		printf '%-13s %10s %10s %8s %9s %8s | %7s %7s %7s\n' "$s" \
			"$(tv "$s" tcp1_mbps)" "$(tv "$s" tcp4_mbps)" \
			"$(tv "$s" rtt_ms)" "$(tv "$s" cpu_s_per_gb)" "$(tv "$s" rss_kib)" \
			"$(bench_ratio "$(bench_get "$s" tcp1_mbps)" "$(bench_get $ref tcp1_mbps)")" \
			"$(bench_ratio "$(bench_get "$s" tcp4_mbps)" "$(bench_get $ref tcp4_mbps)")" \
			"$(bench_ratio "$(bench_get "$s" rtt_ms)" "$(bench_get $ref rtt_ms)")"
	done
	echo "(cpu_s/GB: CPU seconds of both ends' VPN processes per GB carried;" \
		"rss_kib: both ends summed unless a note above says otherwise)"
	echo
}

# Systems run one after another; with BENCH_ROUNDS > 1 the whole sequence
# repeats (interleaved, so a burst of load from elsewhere on this shared
# machine hits one round of every system rather than all rounds of one) and
# the medians are reported.
FAILED=
BENCH_DEFER=1
for round in $(seq "$BENCH_ROUNDS"); do
	[ "$BENCH_ROUNDS" = 1 ] || ROUND_TAG=" (round $round/$BENCH_ROUNDS)"
	run_system veth bench_veth
	run_system evpnd-tap bench_evpnd_tap
	run_system tinc-switch bench_tinc
	run_system wireguard-go bench_wireguard_go
	run_system openvpn-tap bench_openvpn
done
print_table
bench_flush
[ -z "$FAILED" ] || { echo "dataplane: failed systems:$FAILED" >&2; exit 1; }
