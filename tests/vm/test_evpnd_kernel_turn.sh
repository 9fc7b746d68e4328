#!/bin/bash
# Relayed links in evpn.ko (kmod/turn.c), through the real control plane
# (run: tests/vm/run.sh tests/vm/test_evpnd_kernel_turn.sh). Inside the VM,
# with prosody + coturn and nftables NATs from tests/netns/{lib,cp_lib}.sh:
#
#   a, b  each behind a symmetric NAT (no direct or server-reflexive path
#         between them), datapath = kernel, TURN over UDP
#
# ICE can only select a pair through a relay. The node whose local
# candidate is its relay hands evpn.ko the socket libnice made the
# allocation from, with the TURN server as the link's endpoint and the
# peer behind it (`show`: kernel_socket, turn_peer, turn_channel); the
# module frames records as ChannelData (or Send indications) itself and
# unwraps the records the relay sends, leaving every TURN/STUN/DTLS message
# to libnice. Checks: ping and iperf3 both ways over the relayed link; no
# loopback shim socket exists; the module learns the channel libnice bound;
# and for 45 s -- with coturn granting 70 s allocations, so libnice
# refreshes the allocation every ~10 s on the shared socket -- pings keep
# flowing and the link stays up (refreshes and consent checks still reach
# libnice). The harness then checks dmesg (no oops/WARN).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/netns/lib.sh"
. "$ROOT/tests/netns/cp_lib.sh"

CP_EVPND=${CP_EVPND:-$ROOT/build/bin/evpnd}
EVPNCTL=$ROOT/build/bin/evpnctl
[ -x "$CP_EVPND" ] && [ -x "$EVPNCTL" ] || ns_skip "build/bin/evpnd or evpnctl not built"
command -v iperf3 >/dev/null || ns_skip "iperf3 not installed"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

mkdir -p /dev/net
[ -c /dev/net/tun ] || mknod /dev/net/tun c 10 200
modprobe tun 2>/dev/null || true

ns_init
CP_MEMBERS="a@$XMPP_DOMAIN b@$XMPP_DOMAIN"
# short allocations: libnice refreshes 60 s before expiry
TURN_EXTRA_ARGS="--max-allocate-lifetime 70"
cp_world sym sym
prosody_adduser "a@$XMPP_DOMAIN" pw-a
prosody_adduser "b@$XMPP_DOMAIN" pw-b
CP_EXTRA_CONF="topology = mesh"
cp_conf a 0000000000000000000000000000000a
cp_conf b 0000000000000000000000000000000b
for n in a b; do
	sed -i 's/^datapath = tap/datapath = kernel/' "$NS_DIR/$n/evpnd.conf"
done

modprobe evpn
t0=$(cp_now)
cp_start a
cp_start b
for n in a b; do
	grep -q 'kernel datapath' "$NS_DIR/evpnd-$n.log" || ns_fail "$n is not on the kernel datapath"
done
ns_wait_for 60 cp_ping a b || ns_fail "no overlay ping a -> b"
ns_log "a -> b pings after $(cp_elapsed "$t0") s"

link_known() { [ -n "$(cp_link "$1" "$2" ice_pair)" ] && [ -n "$(cp_link "$1" "$2" kernel_socket)" ]; }
kturn=""
for p in "a b" "b a"; do
	set -- $p
	ns_wait_for 10 link_known "$1" "$2" || ns_fail "$1 -> $2: no link entry in show"
	pair=$(cp_link "$1" "$2" ice_pair)
	ks=$(cp_link "$1" "$2" kernel_socket)
	tp=$(cp_link "$1" "$2" turn_peer)
	ns_log "$1 -> $2: relayed=$(cp_link "$1" "$2" relayed) kernel_socket=$ks turn_peer=$tp pair: $pair"
	[ "$(cp_link "$1" "$2" relayed)" = true ] || ns_fail "$1-$2: not relayed (the NATs let a direct path through?)"
	[ "$ks" = true ] || ns_fail "$1-$2: the link is not in evpn.ko's hands (shim?)"
	case "$pair" in
	relay*) [ -n "$tp" ] || ns_fail "$1-$2: local relay but evpn.ko does not frame for it"
		kturn="$kturn $1" ;;
	esac
done
[ -n "$kturn" ] || ns_fail "no node's local candidate is its relay"
ns_log "evpn.ko frames TURN on:$kturn"

# no loopback shim: evpnd has no UDP socket on 127.0.0.1
for n in a b; do
	if ns_exec "$n" ss -Huanp | grep evpnd | grep -q '127\.0\.0\.1:'; then
		ns_exec "$n" ss -uanp; ns_fail "$n: evpnd opened a loopback shim socket"
	fi
done

# traffic both ways: iperf3 TCP (records through the relay, in the module)
iperf() {
	local c=$1 s=$2 tag=$3 mbps
	ns_bg "$s" "iperf3-$s-$tag.log" iperf3 -s -B "${CP_OVIP[$s]}" -1 >/dev/null
	ns_wait_for 5 ns_listening "$s" tcp "${CP_OVIP[$s]}" 5201 || ns_fail "iperf3 -s on $s"
	ns_exec "$c" iperf3 -c "${CP_OVIP[$s]}" -t 3 >"$NS_DIR/iperf3-$tag.out" 2>&1 ||
		{ cat "$NS_DIR/iperf3-$tag.out"; ns_fail "iperf3 $c -> $s ($tag)"; }
	mbps=$(awk '/receiver/ { v = $7; if ($8 == "Gbits/sec") v *= 1000; if ($8 == "Kbits/sec") v /= 1000; print v }' "$NS_DIR/iperf3-$tag.out")
	ns_log "$tag $c -> $s: $mbps Mbit/s (relayed, TCG)"
}
iperf a b ab
iperf b a ba
for n in $kturn; do
	p=$([ "$n" = a ] && echo b || echo a)
	ch=$(cp_link "$n" "$p" turn_channel)
	rx=$(cp_link "$n" "$p" rx_packets)
	tx=$(cp_link "$n" "$p" tx_packets)
	ns_log "$n: turn_channel=$ch rx_packets=$rx tx_packets=$tx"
	[ "${rx:-0}" -gt 1000 ] && [ "${tx:-0}" -gt 1000 ] ||
		ns_fail "$n: evpn.ko's relayed link moved only rx=$rx tx=$tx records"
	# libnice binds a channel for the selected peer: records then arrive
	# as ChannelData, and the module sends on that channel too
	[ "${ch:-0}" -ge 16384 ] || ns_fail "$n: no TURN channel learnt ($ch)"
done

ns_log "45 s of pings across allocation refreshes (70 s allocations)"
t1=$(cp_now)
lost=0
while [ "$(cp_elapsed "$t1" | cut -d. -f1)" -lt 45 ]; do
	ns_exec a ping -c1 -W2 "${CP_OVIP[b]}" >/dev/null 2>&1 || lost=$((lost + 1))
	ns_exec b ping -c1 -W2 "${CP_OVIP[a]}" >/dev/null 2>&1 || lost=$((lost + 1))
	sleep 1
done
ns_log "pings lost in 45 s: $lost"
[ "$lost" -le 4 ] || ns_fail "$lost pings lost across TURN refreshes"
cp_link_up a b || ns_fail "a's link to b went down"
cp_link_up b a || ns_fail "b's link to a went down"
grep -q 'Refresh' "$NS_DIR/turn-pub.log" || ns_log "(coturn's log names no Refresh; see turn-pub.log)"
for n in $kturn; do
	p=$([ "$n" = a ] && echo b || echo a)
	[ -n "$(cp_link "$n" "$p" turn_peer)" ] || ns_fail "$n: the link left evpn.ko's TURN framing"
done

cp_check_logs
for n in a b; do cp_stop_clean "$n"; done
echo "PASS: relayed links framed by evpn.ko (TURN over UDP), no shim, refreshes and consent intact"
