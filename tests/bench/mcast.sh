#!/usr/bin/env bash
# Multicast benchmark: how many records the overlay carries for an IP
# multicast stream with IGMP snooping and the pruned flood, per subscriber,
# against a stream every node gets (a link-local group: the plain bounded
# flood), per node. evpnd TAP datapath (release build), 8 nodes on one
# underlay LAN, static links: ring plus chords i -> i+3. Receivers join the
# group on 2 nodes (then 4) with a real socket (tests/lib/mcast_rx.py); the
# sender streams 200 x 1000-byte datagrams; every record on the underlay
# LAN (captured on its bridge, > 900 bytes) is counted.
#
#   RESULT mcast evpnd-tap frames_per_subscriber V   records / (frames x subscribers), k = 2
#   RESULT mcast evpnd-tap frames_per_subscriber_k4 V
#   RESULT mcast evpnd-tap frames_per_node V         records / (frames x other nodes), flooded
#   RESULT mcast evpnd-tap pruned_over_flood V       records pruned (k = 2) / records flooded
# 1.0 per subscriber would be one record per subscriber per frame; relays
# through non-subscribers add to it. The flood costs N - 1 records per frame.
HERE=$(cd "$(dirname "$0")" && pwd)
: "${EVPN_ROOT:=$(cd "$HERE/../.." && pwd)}"
EVPND=${EVPND:-$EVPN_ROOT/build/bin/evpnd}
. "$EVPN_ROOT/tests/netns/tap_common.sh"
. "$HERE/lib.sh"

tap_init bmc${EVPN_NS_TAG:-}
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump missing"; exit 77; }
RX=$EVPN_ROOT/tests/lib/mcast_rx.py
TX=$EVPN_ROOT/tests/lib/mcast_tx.py
N=8
M=200
G=239.7.7.7

tap_lan
NAMES=()
for i in $(seq 0 $((N - 1))); do
	n=N$i
	NAMES+=($n)
	tap_node $n "$(printf '%x' $((i * 2 + 1)))$(printf '%031x' $((i + 1)))" 10.77.0.$((i + 1))
done
for i in $(seq 0 $((N - 1))); do
	tap_link N$i N$(((i + 1) % N))
	[ $((i % 2)) = 0 ] && tap_link N$i N$(((i + 3) % N))
done
for n in "${NAMES[@]}"; do tap_start $n; done
i=0
for n in "${NAMES[@]}"; do
	i=$((i + 1))
	tap_nsx $n ip addr add 192.168.200.$i/24 dev tap$n
done
for i in $(seq 2 $N); do
	ns_wait_for 10 tap_nsx N0 ping -c 1 -W 1 192.168.200.$i >/dev/null ||
		tap_fail "ping N0 -> 192.168.200.$i"
done

RXP=()
join() {	# join NODE...: receivers for $G
	local n
	for n in "$@"; do
		ip netns exec "${NODE_NS[$n]}" /usr/bin/python3 "$RX" $G 5000 tap$n \
			"$TAP_TMP/rx-$n" &
		RXP+=($!)
	done
}
known() {	# known K: N0 knows K member nodes of $G
	[ "$(tap_get N0 "len([e for e in j['mcast']['entries'] if e['group'] == '$G' and e['node'] != 'local'])")" = "$1" ]
}
# records GROUP PORT: records > 900 bytes on the LAN for M frames to GROUP
records() {
	local pcap=$TAP_TMP/lan.pcap
	ip netns exec "$TAP_LAN" tcpdump -n -U -i br0 -w "$pcap" 'udp and greater 900' \
		2>"$pcap.err" &
	local td=$!
	ns_wait_for 5 grep -q "listening on" "$pcap.err" || tap_fail "tcpdump on the LAN"
	tap_nsx N0 /usr/bin/python3 "$TX" $1 $2 tapN0 $M 1000 0.005 || tap_fail "sender"
	sleep 2
	kill -INT $td
	wait $td 2>/dev/null
	tap_pcap_count "$pcap"
}

join N3 N6
ns_wait_for 15 known 2 || tap_fail "N0 did not learn the 2 members"
r2=$(records $G 5000)
join N2 N5
ns_wait_for 15 known 4 || tap_fail "N0 did not learn the 4 members"
r4=$(records $G 5000)
rf=$(records 224.0.0.251 5353)
got=$(cat "$TAP_TMP/rx-N3" 2>/dev/null || echo 0)

fps2=$(awk -v r=$r2 -v m=$M 'BEGIN { printf "%.3f", r / (m * 2) }')
fps4=$(awk -v r=$r4 -v m=$M 'BEGIN { printf "%.3f", r / (m * 4) }')
fpn=$(awk -v r=$rf -v m=$M -v n=$N 'BEGIN { printf "%.3f", r / (m * (n - 1)) }')
ratio=$(awk -v a=$r2 -v b=$rf 'BEGIN { printf "%.3f", b ? a / b : 0 }')
printf '\n%-34s %10s %12s\n' "stream (N=$N nodes, $M frames)" records per-frame
printf '%-34s %10s %12s\n' "group, 2 subscribers (pruned)" $r2 "$(awk -v r=$r2 -v m=$M 'BEGIN{printf "%.2f", r/m}')"
printf '%-34s %10s %12s\n' "group, 4 subscribers (pruned)" $r4 "$(awk -v r=$r4 -v m=$M 'BEGIN{printf "%.2f", r/m}')"
printf '%-34s %10s %12s\n' "link-local (bounded flood)" $rf "$(awk -v r=$rf -v m=$M 'BEGIN{printf "%.2f", r/m}')"
echo "(receiver on N3 got $got frames in all; load: $(cut -d' ' -f1-3 /proc/loadavg))"
bench_result mcast evpnd-tap frames_per_subscriber "$fps2"
bench_result mcast evpnd-tap frames_per_subscriber_k4 "$fps4"
bench_result mcast evpnd-tap frames_per_node "$fpn"
bench_result mcast evpnd-tap pruned_over_flood "$ratio"
kill "${RXP[@]}" 2>/dev/null
for n in "${NAMES[@]}"; do tap_stop $n; done
exit 0
