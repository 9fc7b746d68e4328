#!/bin/bash
# evpn.ko: a standard 1500-byte Ethernet (docs/protocol.md section 10)
# (run: tests/vm/run.sh tests/vm/test_kdp_frag.sh). A chain A-B-C on a
# 1500-byte underlay, default MTU 1500: `ping -M do -s 1472` to a neighbour
# and through the transit node B (A and C seal end to end first, then
# split; B forwards the fragments without
# reassembling them), a 1500-byte broadcast ping answered by both others
# (flood fragments relayed), iperf3 TCP A -> C at MTU 1500 with the SYNs'
# MSS clamped (TCP not split), crafted fragments (whole, overlapping,
# oversized, missing, sealed) delivered or dropped under their reasons,
# each neighbour's share of the reassembly table (a second crafter X2's
# frames get through while X fills it: frag_share, frag_no_room),
# a link record size (record-max) lowered and shown, a clean kernel log.
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
trap kdp_cleanup EXIT

A=10000000000000000000000000000001
B=40000000000000000000000000000002
C=80000000000000000000000000000003
X=0c000000000000000000000000000009	# the packet crafter's node ID
X2=0d000000000000000000000000000010	# a second neighbour it plays
P1=1111111111111111111111111111111111111111111111111111111111111111
P2=2222222222222222222222222222222222222222222222222222222222222222
PX=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100
PE=3333333333333333333333333333333333333333333333333333333333333333

show_json() { ctl "$1" show evpn0 --json; }
dev_get() {	# dev_get NODE KEY: a device-wide number from `show --json`
	show_json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0][sys.argv[1]])' "$2"
}

modprobe evpn
kdp_switch
kdp_node a "$A" 1; kdp_plug a 1
kdp_node b "$B" 2; kdp_plug b 2
kdp_node c "$C" 3; kdp_plug c 3
for n in a b c; do
	nsx $n sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
	mtu=$(nsx $n cat /sys/class/net/evpn0/mtu)
	[ "$mtu" = 1500 ] || fail "evpn0 MTU $mtu in $n, not 1500"
	[ "$(nsx $n cat /sys/class/net/up0/mtu)" = 1500 ] || fail "underlay MTU not 1500"
done
echo "   evpn0 MTU 1500 by default, underlay MTU 1500"

step "chain A-B-C (no A-C link)"
kdp_sw_link a 1 "$A" b 2 "$B" "$P1"
kdp_sw_link b 2 "$B" c 3 "$C" "$P2" chacha
# A and C talk through B: sealed end to end (then split) with their pair key
kdp_e2e a "$A" c "$C" "$PE"
ctl a link show evpn0 | grep -q "record-max 1448" || { ctl a link show evpn0; fail "link record-max not shown as 1448"; }

step "ping -M do -s 1472: to B, and to C through B"
nsx a ping -M do -s 1472 -c 3 -i 0.2 -W 3 10.77.0.2 >/dev/null || fail "ping -M do -s 1472 A -> B"
bf0=$(dev_get b fwd_packets)
nsx a ping -M do -s 1472 -c 3 -i 0.2 -W 3 10.77.0.3 >/dev/null || fail "ping -M do -s 1472 A -> C"
nsx c ping -M do -s 1472 -c 3 -i 0.2 -W 3 10.77.0.1 >/dev/null || fail "ping -M do -s 1472 C -> A"
bf=$(( $(dev_get b fwd_packets) - bf0 ))
echo "   B forwarded $bf records for 12 frames of 1514 bytes"
[ "$bf" -ge 24 ] || fail "B forwarded $bf records: fragments expected (2 per frame)"
for r in frag_invalid frag_overlap frag_timeout too_big bad_src e2e_no_key e2e_auth; do
	for n in a b c; do
		[ "$(drop_count $n $r)" = 0 ] || fail "node $n counted $r"
	done
done
nsx a ping -6 -M do -s 1452 -c 2 -i 0.2 -W 3 fd77::3 >/dev/null || fail "ping6 1500 bytes A -> C"

step "1500-byte broadcast ping: flood fragments, relayed by B"
nsx a ping -b -M do -s 1472 -c 2 -i 0.5 -W 3 10.77.0.255 > /tmp/kdp-bping 2>&1 || true
for ip in 10.77.0.2 10.77.0.3; do
	grep -q "from $ip" /tmp/kdp-bping || { cat /tmp/kdp-bping; fail "no reply from $ip to the 1500-byte broadcast"; }
done

step "iperf3 TCP A -> C at MTU 1500: MSS clamped, one record per segment"
# (not through the nsx function: $! must be tcpdump itself, which SIGINT stops)
ip netns exec kdp-c tcpdump -n -U -i evpn0 -Q in -w /tmp/kdp-syn.pcap 'tcp[tcpflags] & tcp-syn != 0' 2>/tmp/kdp-td.err &
td=$!
kdp_wait_for 5 grep -q "listening on" /tmp/kdp-td.err || fail "tcpdump did not start"
nsx c iperf3 -s -1 -B 10.77.0.3 >/dev/null &
KDP_PIDS="$KDP_PIDS $!"
sleep 0.5
atx0=$(link_tx a "$B")
if ! nsx a timeout 60 iperf3 -c 10.77.0.3 -t 3 -J --connect-timeout 10000 > /tmp/kdp-iperf.json; then
	tail -20 /tmp/kdp-iperf.json
	for n in a b c; do ctl $n show evpn0; ctl $n link show evpn0; done
	kill -INT $td; sleep 1
	tcpdump -r /tmp/kdp-syn.pcap -n -v 2>/dev/null | tail
	fail "iperf3 at MTU 1500"
fi
atx=$(( $(link_tx a "$B") - atx0 ))
sleep 0.5
kill -INT $td; wait $td 2>/dev/null || true
mss=$(tcpdump -r /tmp/kdp-syn.pcap -n -v 2>/dev/null | grep -o 'mss [0-9]*' | awk '{print $2}' | sort -u | tr '\n' ' ')
python3 -c '
import json, sys
e = json.load(open("/tmp/kdp-iperf.json"))["end"]
sent = e["sum_sent"]["bytes"]
print("   A -> C: %.1f Mbit/s, %d bytes in %s records from A, SYN MSS at C: %s" %
      (e["sum_received"]["bits_per_second"] / 1e6, sent, sys.argv[1], sys.argv[2]))
assert e["sum_received"]["bits_per_second"] > 1e6
# one record per segment: payload per record near the clamped MSS (1306),
# far above the ~700 bytes of a fragmented 1500-byte frame
assert sent / int(sys.argv[1]) > 1000, "records carry %d bytes each" % (sent / int(sys.argv[1]))' "$atx" "$mss" ||
	fail "TCP at MTU 1500"
[ -n "$mss" ] || fail "no SYN captured at C"
for m in $mss; do [ "$m" -le 1306 ] || fail "SYN reached C with MSS $m"; done

step "crafted fragments at B (crafter X on A's namespace)"
ctl b link add evpn0 peer "$X" local 10.2.0.2:6001 remote 10.2.0.1:6000
printf '%s\n' "$PX" > /tmp/kdp-psk
ctl b key add evpn0 peer "$X" psk-file /tmp/kdp-psk
craft() { nsx a "$CRAFT" -t 10.2.0.2:6001 -b 10.2.0.1:6000 -s "$X" -d "$B" -k "$PX" "$@"; }
# every frame of the crafter's test ethertype that reaches B's evpn0
ip netns exec kdp-b tcpdump -n -U -e -i evpn0 -Q in -w /tmp/kdp-x.pcap 'ether proto 0x88b5' 2>/tmp/kdp-tx.err &
tx=$!
kdp_wait_for 5 grep -q "listening on" /tmp/kdp-tx.err || fail "tcpdump on b did not start"
# (conditions are functions: kdp_wait_for re-runs them; a $(...) argument
# would be evaluated once)
crafted() { [ "$(tcpdump -r /tmp/kdp-x.pcap -n -e 2>/dev/null | grep -c '^[0-9].*length 1514')" -ge 1 ]; }
drops_above() { [ "$(drop_count b "$1")" -ge "$2" ]; }	# drops_above REASON N
craft frag-valid -l 1514
kdp_wait_for 5 crafted || fail "two crafted fragments not delivered as a frame"
expect_drop() { # expect_drop REASON CASE [OPTS...]
	local r=$1 before; shift
	before=$(drop_count b "$r")
	craft "$@"
	kdp_wait_for 5 drops_above "$r" $((before + 1)) || fail "$* not counted as $r"
	echo "   $* -> $r"
}
expect_drop frag_overlap frag-overlap
expect_drop frag_invalid frag-oversize
expect_drop e2e_no_key frag-sealed	# B holds no pair key with X (evpn_frag_rx_e2e)
expect_drop frag_timeout frag-missing
before=$(drop_count b frag_no_room)
craft -n 80 frag-missing
kdp_wait_for 5 drops_above frag_no_room $((before + 16)) || fail "80 partial payloads: no frag_no_room"
echo "   80 partial payloads in 64 slots: $(( $(drop_count b frag_no_room) - before )) evicted"
sleep 1
# one neighbour filling the table does not block another (docs/protocol.md
# 10.2): X sends 64 partial payloads, X2 half a frame, X 80 more, X2 the
# rest and one more frame; X evicts only its own (frag_no_room)
ctl b link add evpn0 peer "$X2" local 10.2.0.2:6002 remote 10.2.0.1:6003
ctl b key add evpn0 peer "$X2" psk-file /tmp/kdp-psk
s0=$(drop_count b frag_share)
e0=$(drop_count b frag_no_room)
craft -A "$X2" -B 10.2.0.1:6003 -R 10.2.0.2:6002 frag-share -l 1514
whole() { [ "$(tcpdump -r /tmp/kdp-x.pcap -n -e 2>/dev/null | grep -c '^[0-9].*length 1514')" -ge "$1" ]; }
kdp_wait_for 5 whole 3 || fail "X2's frames not delivered while X filled the table"
kdp_wait_for 5 drops_above frag_no_room $((e0 + 80)) || fail "X's burst: $(( $(drop_count b frag_no_room) - e0 )) frag_no_room, want 80"
drops_above frag_share $((s0 + 1)) || fail "X2's payload took no slot from X (frag_share)"
echo "   X2's 2 frames delivered through 144 partial payloads from X: frag_no_room +$(( $(drop_count b frag_no_room) - e0 )), frag_share +$(( $(drop_count b frag_share) - s0 ))"
sleep 1
kill -INT $tx; wait $tx 2>/dev/null || true
# (one line per packet starts with its time; tcpdump adds hex lines)
n=$(tcpdump -r /tmp/kdp-x.pcap -n -e 2>/dev/null | grep -c '^[0-9]')
[ "$n" -eq 3 ] || { tcpdump -r /tmp/kdp-x.pcap -n -e 2>/dev/null | grep '^[0-9]' | head; fail "$n crafted frames reached evpn0, want the 3 whole ones"; }
echo "   evpn0 saw only the 3 whole 1514-byte frames"

step "record-max: lowered on A's link, frames split finer, shown"
ctl a link set evpn0 peer "$B" record-max 1228
ctl a link show evpn0 | grep -q "record-max 1228" || fail "record-max 1228 not shown"
nsx a ping -M do -s 1472 -c 2 -i 0.2 -W 3 10.77.0.2 >/dev/null || fail "ping at record-max 1228"
if ctl a link set evpn0 peer "$B" record-max 1000 2>/tmp/kdp-err; then fail "record-max 1000 accepted"; fi

kdp_teardown a b c
echo PASS
