#!/usr/bin/env bash
# End-to-end test of evpnd's TAP datapath with static links.
#
# Four nodes on one underlay LAN, node IDs in ring order A < B < C < D
# (B is the closer neighbour for A->C and C->A), with
# static links only between ring neighbours A-B, B-C, C-D, D-A: A and C share
# no link, so everything between them is forwarded by B (the neighbour
# closest to the destination). A ring rather than a line because the bounded
# flood covers the ring through successor links (docs/protocol.md).
#
# Checks: broadcast seen exactly once at every other node (from two
# origins), arping, IPv4 ping, IPv6 ping (global and link-local), iperf3 TCP
# A->C, B forwards A<->C unicast without its TAP seeing it, `link del`/`link
# add` over the control socket, stopping C ends its traffic with counted
# drops and no crash, restarting C recovers, no sanitizer reports.
. "$(dirname "$0")/tap_common.sh"

tap_init evtc
for t in socat tcpdump arping iperf3 python3; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done

tap_lan
tap_ring4 10.77.0

i=0
for n in A B C D; do
	i=$((i + 1))
	tap_nsx $n ip addr add 192.168.200.$i/24 dev tap$n
	tap_nsx $n ip addr add fd77::$i/64 dev tap$n nodad
done

# --- one broadcast frame is seen exactly once at every other node ---
# arping for an address nobody has: exactly one ARP request, broadcast
bcast_once() {
	local from=$1 n pids=() cnt
	for n in A B C D; do
		tap_tcpdump $n "$TAP_TMP/$n.pcap" -i tap$n -Q in \
			'arp and arp[24:4] = 0xc0a8c863'
		pids+=($TD_PID)
	done
	# arping waits 1 s for a reply that never comes: time for any
	# duplicate to arrive; then each capture must hold its one copy
	tap_nsx $from arping -c 1 -w 1 -I tap$from 192.168.200.99 >/dev/null 2>&1
	for n in A B C D; do
		cnt=1
		[ $n = $from ] && cnt=0
		tap_tcpdump_stop "${pids[0]}" "$TAP_TMP/$n.pcap" $cnt
		pids=("${pids[@]:1}")
	done
	for n in A B C D; do
		cnt=$(tap_pcap_count "$TAP_TMP/$n.pcap")
		if [ $n = $from ]; then
			[ "$cnt" -eq 0 ] || tap_fail "flood from $from came back to it ($cnt)"
		else
			[ "$cnt" -eq 1 ] || tap_fail "node $n saw $cnt copies of $from's broadcast"
		fi
	done
	tap_ok "broadcast from $from seen exactly once at each other node"
}
bcast_once A
bcast_once C

# --- arping and IPv4 ping across the forwarding node ---
tap_nsx A arping -c 2 -w 5 -I tapA 192.168.200.3 >/dev/null ||
	tap_fail "arping A -> C"
tap_ok "arping A -> C"
tap_nsx A ping -c 3 -i 0.2 -W 2 192.168.200.3 >/dev/null || tap_fail "ping A -> C"
tap_nsx C ping -c 3 -i 0.2 -W 2 192.168.200.1 >/dev/null || tap_fail "ping C -> A"
tap_nsx B ping -c 2 -i 0.2 -W 2 192.168.200.4 >/dev/null || tap_fail "ping B -> D"
tap_ok "IPv4 ping A <-> C (via B), B -> D (via A or C)"

# --- IPv6: global (no DAD) and link-local ---
tap_nsx A ping -6 -c 3 -i 0.2 -W 2 fd77::3 >/dev/null || tap_fail "ping6 A -> C"
link_local() {	# link_local NAME: NAME's non-tentative link-local address
	tap_nsx "$1" ip -6 -o addr show dev "tap$1" scope link | grep -v tentative |
		awk '{print $4}' | cut -d/ -f1 | grep .
}
ns_wait_for 5 link_local C || tap_fail "no link-local address on tapC"
ll=$(link_local C)
ns_wait_for 5 link_local A || tap_fail "no link-local address on tapA"
tap_nsx A ping -6 -c 3 -i 0.2 -W 2 "$ll%tapA" >/dev/null || tap_fail "ping6 link-local A -> C"
tap_ok "IPv6 ping A -> C (global and link-local $ll)"

# --- transit frames are forwarded, never delivered to B's TAP ---
fwd0=$(tap_get B 'j["fwd_packets"]')
# (B's own ping to A at the end is the marker: once the capture holds it,
# tcpdump has read every frame B's TAP got before it)
tap_tcpdump B "$TAP_TMP/transit.pcap" -i tapB \
	'(host 192.168.200.1 and host 192.168.200.3) or (host fd77::1 and host fd77::3) or
	 (icmp and host 192.168.200.2)'
tdpid=$TD_PID

# --- iperf3 TCP A -> C ---
tap_nsx C iperf3 -s -1 -B 192.168.200.3 >/dev/null 2>&1 &
ns_wait_for 5 tap_listening C tcp 5201 || tap_fail "iperf3 -s on C"
out=$(tap_nsx A iperf3 -c 192.168.200.3 -t 3 -f m 2>&1) || {
	echo "$out"; tap_fail "iperf3 A -> C"; }
mbps=$(echo "$out" | awk '/receiver/ {print $(NF-2)}')
echo "iperf3 A -> C over 2 hops (ASan build): $mbps Mbit/s"
awk -v m="$mbps" 'BEGIN { exit !(m > 1) }' || tap_fail "iperf3 rate $mbps"
tap_nsx A ping -c 3 -i 0.2 -W 2 192.168.200.3 >/dev/null || tap_fail "ping A -> C (2)"
tap_nsx B ping -c 1 -W 2 192.168.200.1 >/dev/null || tap_fail "ping B -> A (marker)"
tap_tcpdump_stop $tdpid "$TAP_TMP/transit.pcap" 2
seen=$(tap_pcap_count "$TAP_TMP/transit.pcap" not host 192.168.200.2)
[ "$seen" -eq 0 ] || tap_fail "B's TAP saw $seen A<->C transit frames"
fwd1=$(tap_get B 'j["fwd_packets"]')
[ $((fwd1 - fwd0)) -gt 1000 ] || tap_fail "B forwarded only $((fwd1 - fwd0)) records"
tap_ok "iperf3 $mbps Mbit/s; B forwarded $((fwd1 - fwd0)) records, its TAP saw none"

# --- data integrity across TSO/GRO, both ways, IPv4 and IPv6 ---
head -c 8000000 /dev/urandom > "$TAP_TMP/blob"
want=$(sha256sum < "$TAP_TMP/blob")
xfer() {	# xfer FROM TO ADDR(as socat wants it) PF
	rm -f "$TAP_TMP/blob.out"
	ip netns exec "${NODE_NS[$2]}" socat -u TCP-LISTEN:7777,reuseaddr,pf=$4 \
		"OPEN:$TAP_TMP/blob.out,creat,trunc" &
	local sp=$!
	ns_wait_for 5 tap_listening "$2" tcp 7777 || tap_fail "socat listener on $2"
	tap_nsx $1 socat -u "OPEN:$TAP_TMP/blob" "TCP:$3:7777" || tap_fail "socat $1 -> $2"
	wait $sp
	[ "$(sha256sum < "$TAP_TMP/blob.out")" = "$want" ] || tap_fail "data corrupted $1 -> $2 ($3)"
}
xfer A C 192.168.200.3 ip4
xfer C A 192.168.200.1 ip4
xfer A C '[fd77::3]' ip6
xfer C A '[fd77::1]' ip6
tap_ok "8 MB intact A <-> C over IPv4 and IPv6 (A offloads, C does not)"

# --- stopping C: its traffic stops cleanly ---
tap_stop C || tap_fail "evpnd C did not exit cleanly"
tap_nsx A ping -c 2 -i 0.2 -W 1 192.168.200.3 >/dev/null && tap_fail "C still answers"
# the operator removes the links to C: now B has no route to C and counts
tap_ctl B "link del C" | grep -q '"ok":true' || tap_fail "link del on B"
tap_ctl D "link del C" | grep -q '"ok":true' || tap_fail "link del on D"
nfu0=$(tap_get B 'j["drops"]["not_for_us"]')
tap_nsx A ping -c 3 -i 0.2 -W 1 192.168.200.3 >/dev/null && tap_fail "C still answers (2)"
nfu1=$(tap_get B 'j["drops"]["not_for_us"]')
[ "$nfu1" -gt "$nfu0" ] || tap_fail "B did not count A's frames for C ($nfu0 -> $nfu1)"
for n in A B D; do tap_alive $n || tap_fail "evpnd $n died"; done
tap_ok "C stopped: pings fail, B counts not_for_us drops ($nfu0 -> $nfu1), A B D alive"

# --- C comes back: links re-added over the control socket ---
tap_start C
tap_nsx C ip addr add 192.168.200.3/24 dev tapC
for n in B D; do
	r=$(tap_ctl $n "link add C peer=${NODE_ID[C]} endpoint=${NODE_IP[C]}:5170 psk=$PSK")
	echo "$r" | grep -q '"ok":true' || tap_fail "link add on $n: $r"
done
r=$(tap_ctl B "link add X peer=zz")
echo "$r" | grep -q '"error"' || tap_fail "bad link add accepted: $r"
tap_nsx A ping -c 3 -i 0.2 -W 2 192.168.200.3 >/dev/null || tap_fail "ping A -> C after restart"
tap_ok "C restarted, links re-added with evpnctl-style requests, ping works"

for n in A B C D; do tap_stop $n || tap_fail "evpnd $n exit status"; done
tap_check_logs
echo "PASS"
