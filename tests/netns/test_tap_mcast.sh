#!/usr/bin/env bash
# End-to-end test of IGMP/MLD snooping and the pruned multicast flood on
# evpnd's TAP datapath (docs/protocol.md "Multicast").
#
# Five nodes A < B < C < D < E on the ring, static links A-B B-C C-D D-E
# E-A plus the chord A-D. Real receivers (tests/lib/mcast_rx.py: a socket
# joining the group with IP_ADD_MEMBERSHIP / IPV6_JOIN_GROUP, so the kernel
# sends real IGMPv3 / MLDv2 reports) on B and D; A sends the stream. A's
# flood splits into B: (B, D), D: (D, E), E: (E, A); pruning keeps B and D
# and drops E, and B prunes C's slice: C and E get nothing.
#
# Checks:
#   - A learns that B and D (and only they) want 239.1.2.3 and ff15::1234;
#   - an IPv4 and an IPv6 stream from A reach the receivers on B and D,
#     while C's and E's TAPs see none of it and their underlay links carry
#     no stream record;
#   - D's receiver exits (its kernel sends a leave): after the last-member
#     time A forgets D, the next stream reaches B but not D;
#   - link-local multicast still reaches everyone: an mDNS packet
#     (224.0.0.251 and ff02::fb) is seen on every other node's TAP, and IPv6
#     neighbour discovery (solicited-node multicast) works A -> E;
#   - evpnd's own querier: every TAP gets IGMP and MLD general queries;
#   - a lost announcement is repeated (EVPN_MC_REPEAT): B and D drop C's
#     first announcement of a join (nftables), A still learns it within
#     seconds (from a repeat), not at the 60-s refresh;
#   - no sanitizer reports.
. "$(dirname "$0")/tap_common.sh"
. "$(dirname "$0")/../lib/mcast_loss.sh"

tap_init evmc${EVPN_NS_TAG:-}
for t in tcpdump /usr/bin/python3; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done
RX=$EVPN_ROOT/tests/lib/mcast_rx.py
TX=$EVPN_ROOT/tests/lib/mcast_tx.py
G4=239.1.2.3
G6=ff15::1234

tap_lan
tap_node A 10000000000000000000000000000001 10.77.0.1
tap_node B 30000000000000000000000000000002 10.77.0.2
tap_node C 50000000000000000000000000000003 10.77.0.3
tap_node D 80000000000000000000000000000004 10.77.0.4
tap_node E c0000000000000000000000000000005 10.77.0.5
tap_link A B
tap_link B C
tap_link C D
tap_link D E
tap_link E A
tap_link A D
# unicast between nodes without a link is sealed end to end (docs/protocol.md 14)
tap_e2e A C
tap_e2e B D
tap_e2e B E
tap_e2e C E
for n in A B C D E; do tap_start $n; done
i=0
for n in A B C D E; do
	i=$((i + 1))
	tap_nsx $n ip addr add 192.168.200.$i/24 dev tap$n
	tap_nsx $n ip addr add fd77::$i/64 dev tap$n nodad
done
for i in 2 3 4 5; do
	ns_wait_for 10 tap_nsx A ping -c 1 -W 1 192.168.200.$i >/dev/null ||
		tap_fail "ping A -> 192.168.200.$i"
done
tap_ok "five nodes up"

# --- evpnd's querier: IGMP and MLD queries on D's TAP (the startup
# general queries may come before this capture; the group queries after
# D's leave below come after it) ---
tap_tcpdump D "$TAP_TMP/qD.pcap" -i tapD -Q in \
	'(igmp and ip[24] = 0x11) or (ip6[6] = 0 and ip6[48] = 130)'
QPID=$TD_PID

# --- receivers on B and D, IPv4 and IPv6 ---
declare -A RXPID
rx_start() {	# rx_start NODE GROUP TAG
	# (not through tap_nsx: $! must be the receiver itself)
	ip netns exec "${NODE_NS[$1]}" /usr/bin/python3 "$RX" $2 5000 tap$1 \
		"$TAP_TMP/rx-$1-$3" &
	RXPID[$1$3]=$!
}
rx_count() { cat "$TAP_TMP/rx-$1-$2" 2>/dev/null || echo 0; }
rx_at_least() { [ "$(rx_count $1 $2)" -ge $3 ]; }
for n in B D; do
	rx_start $n $G4 4
	rx_start $n $G6 6
done

# A learns the memberships from B's and D's announcements
members() {	# members NODE GROUP: the remote nodes NODE knows for GROUP
	tap_get $1 "' '.join(sorted(e['node'][:1] for e in j['mcast']['entries'] if e['group'] == '$2' and e['node'] != 'local'))"
}
members_are() { [ "$(members $1 $2)" = "$3" ]; }
want="3 8"	# first hex digit of B's and D's IDs
for g in $G4 $G6; do
	ns_wait_for 10 members_are A $g "$want" ||
		tap_fail "A knows members [$(members A $g)] of $g, want [$want]"
done
tap_true B "any(e['group'] == '$G4' and e['node'] == 'local' for e in j['mcast']['entries'])" ||
	tap_fail "B has no local entry for $G4"
tap_ok "A learned that B and D want $G4 and $G6"

# stream_check G TAG WANT_RECEIVERS SILENT_NODES: A sends 100 x 1000 bytes
# to G; each receiver in WANT_RECEIVERS must get most of it, the TAPs and
# underlay links of SILENT_NODES nothing. A link-local marker after the
# stream (it reaches everyone) tells when the captures are complete.
stream_check() {
	local g=$1 tag=$2 want=$3 silent=$4 n c0 c1 pids=() marker=224.0.0.251
	[ $tag = 6 ] && marker=ff02::fb
	for n in $silent; do
		tap_tcpdump $n "$TAP_TMP/t$n.pcap" -i tap$n -Q in 'udp port 5000 or udp port 5353'
		pids+=($TD_PID)
		tap_tcpdump $n "$TAP_TMP/u$n.pcap" -i u${NODE_IDX[$n]} -Q in udp
		pids+=($TD_PID)
	done
	declare -A before
	for n in $want; do before[$n]=$(rx_count $n $tag); done
	tap_nsx A /usr/bin/python3 "$TX" $g 5000 tapA 100 1000 0.01 ||
		tap_fail "sender on A"
	tap_nsx A /usr/bin/python3 "$TX" $marker 5353 tapA 1 100 0 ||
		tap_fail "marker on A"
	for n in $want; do
		ns_wait_for 10 rx_at_least $n $tag $((before[$n] + 50)) ||
			tap_fail "receiver on $n got $(($(rx_count $n $tag) - before[$n])) of 100 ($g)"
	done
	for n in $silent; do
		tap_tcpdump_stop "${pids[0]}" "$TAP_TMP/t$n.pcap" 1
		tap_tcpdump_stop "${pids[1]}" "$TAP_TMP/u$n.pcap" 1
		pids=("${pids[@]:2}")
		c0=$(tap_pcap_count "$TAP_TMP/t$n.pcap" udp port 5000)
		c1=$(tap_pcap_count "$TAP_TMP/u$n.pcap" greater 900)
		[ "$(tap_pcap_count "$TAP_TMP/t$n.pcap" udp port 5353)" -ge 1 ] ||
			tap_fail "link-local marker did not reach $n's TAP"
		[ "$c0" -eq 0 ] || tap_fail "$n's TAP got $c0 frames of the $g stream"
		[ "$c1" -eq 0 ] || tap_fail "$n's links carried $c1 stream records ($g)"
	done
	for n in $want; do
		echo "receiver on $n: $(($(rx_count $n $tag) - before[$n])) of 100 ($g)"
	done
}

stream_check $G4 4 "B D" "C E"
tap_ok "IPv4 stream reached B and D; C and E saw nothing on their TAPs or links"
stream_check $G6 6 "B D" "C E"
tap_ok "IPv6 stream reached B and D; C and E saw nothing on their TAPs or links"
pruned=$(tap_get A 'j["mcast"]["pruned"]')
[ "$pruned" -ge 200 ] || tap_fail "A counted only $pruned pruned copies"
tap_ok "A counted $pruned pruned flood copies"

# --- D leaves: after the last-member time, A forgets D ---
kill ${RXPID[D4]} ${RXPID[D6]}
wait ${RXPID[D4]} ${RXPID[D6]} 2>/dev/null
for g in $G4 $G6; do
	ns_wait_for 15 members_are A $g 3 ||
		tap_fail "after D left, A knows members [$(members A $g)] of $g; D: $(tap_show D)"
done
stream_check $G4 4 "B" "C D E"
stream_check $G6 6 "B" "C D E"
tap_ok "D left: both streams reach B only (C, D, E saw nothing)"

# --- link-local: mDNS reaches every node, ND works ---
declare -A MPID
for n in B C D E; do
	tap_tcpdump $n "$TAP_TMP/m$n.pcap" -i tap$n -Q in 'udp port 5353'
	MPID[$n]=$TD_PID
done
tap_nsx A /usr/bin/python3 "$TX" 224.0.0.251 5353 tapA 1 60 0 || tap_fail "mDNS v4"
tap_nsx A /usr/bin/python3 "$TX" ff02::fb 5353 tapA 1 60 0 || tap_fail "mDNS v6"
for n in B C D E; do
	tap_tcpdump_stop ${MPID[$n]} "$TAP_TMP/m$n.pcap" 2
	c=$(tap_pcap_count "$TAP_TMP/m$n.pcap")
	[ "$c" -eq 2 ] || tap_fail "$n saw $c of the 2 mDNS packets"
done
tap_nsx A ip -6 neigh flush dev tapA
tap_nsx A ping -6 -c 2 -i 0.3 -W 2 fd77::5 >/dev/null || tap_fail "ping6 A -> E (ND)"
tap_ok "mDNS (224.0.0.251, ff02::fb) reached B C D E; ND A -> E works"

tap_tcpdump_stop $QPID "$TAP_TMP/qD.pcap" 2
c4=$(tap_pcap_count "$TAP_TMP/qD.pcap" igmp and dst host $G4)
c6=$(tap_pcap_count "$TAP_TMP/qD.pcap" ip6 and dst host $G6)
[ "$c4" -ge 1 ] && [ "$c6" -ge 1 ] ||
	tap_fail "D's TAP got $c4 IGMP and $c6 MLD group queries after the leave"
tap_ok "D's querier sent IGMP and MLD group queries after the leave"

# --- a lost announcement is repeated (docs/protocol.md 8.4): C's only
# neighbours B and D each drop the first announcement from C (one group:
# the only 100-byte UDP datagrams C sends), so A can learn C's join only
# from one of the two repeats a second or two later ---
G4C=239.1.2.5
for n in B D; do
	mcast_loss_ruleset "${NODE_IP[C]}" | tap_nsx $n nft -f - ||
		tap_fail "nft on $n"
done
a0=$(tap_get C 'j["mcast"]["announce_tx"]')
rx_start C $G4C c4
lost() { [ "$(tap_nsx $1 nft list table inet hdloss | grep -o 'packets [0-9]*' | awk '{print $2}')" -ge 1 ]; }
for n in B D; do
	ns_wait_for 10 lost $n || tap_fail "$n dropped no announcement from C: no loss simulated"
done
ns_wait_for 10 members_are A $G4C 5 ||
	tap_fail "A did not learn C's join of $G4C after its first announcement was lost (C sent $(( $(tap_get C 'j["mcast"]["announce_tx"]') - a0 )))"
ns_wait_for 10 tap_true C "j['mcast']['announce_tx'] >= $a0 + 3" ||
	tap_fail "C announced its join $(( $(tap_get C 'j["mcast"]["announce_tx"]') - a0 )) times, want 3"
tap_ok "C's first announcement lost at B and D: A learned the join from a repeat ($(( $(tap_get C 'j["mcast"]["announce_tx"]') - a0 )) sent)"

kill ${RXPID[B4]} ${RXPID[B6]} ${RXPID[Cc4]} 2>/dev/null
for n in A B C D E; do tap_stop $n || tap_fail "evpnd $n exit status"; done
tap_check_logs
echo "PASS"
