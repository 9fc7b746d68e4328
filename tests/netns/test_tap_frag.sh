#!/usr/bin/env bash
# A standard 1500-byte Ethernet over the TAP datapath (docs/protocol.md
# section 10): default MTU 1500 over a 1500-byte underlay, frames that do
# not fit one record split at their origin and reassembled at their
# destination only.
#
# Four nodes in a ring A < B < C < D (links A-B, B-C, C-D, D-A; A and C
# share no link, B forwards between them), default configuration.
# A and C (B and D) reach each other through transit nodes: their unicast
# is sealed end to end with their pair key first, then split (docs/protocol.md
# 14.5). Checks: MTU 1500; `ping -M do -s 1472` to a neighbour (plain
# fragments) and through the transit node B (fragments of the e2e payload,
# which B forwards without reassembling or judging them: no bad_src);
# a 1500-byte broadcast ping reaches the three others (flood fragments,
# relayed); a frame above the MTU (device MTU raised behind evpnd's back)
# counted and answered with ICMP / ICMPv6 "too big", which the sender's stack
# learns; iperf3 TCP A -> C at MTU 1500 with full-size segments that
# stay one record each even sealed end to end (MSS clamped to 1306 in the
# SYNs, so TCP is not split);
# no sanitizer reports.
. "$(dirname "$0")/tap_common.sh"

tap_init evtf
for t in socat tcpdump iperf3 python3; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done

tap_lan
tap_ring4 10.76.0

i=0
for n in A B C D; do
	i=$((i + 1))
	mtu=$(tap_nsx $n cat /sys/class/net/tap$n/mtu)
	[ "$mtu" = 1500 ] || tap_fail "tap$n MTU $mtu, not 1500"
	tap_nsx $n ip addr add 192.168.201.$i/24 dev tap$n
	tap_nsx $n sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
done
tap_ok "default MTU 1500 on every node"

# --- ping -M do -s 1472: 1500-byte IP packets, DF set ---
ftx0=$(tap_get A 'j["frag_tx"]')
tap_nsx A ping -M do -s 1472 -c 3 -i 0.2 -W 3 192.168.201.2 >/dev/null ||
	tap_fail "ping -M do -s 1472 A -> B"
frx_b0=$(tap_get B 'j["frag_rx"]')
fwd0=$(tap_get B 'j["fwd_packets"]')
tap_nsx A ping -M do -s 1472 -c 3 -i 0.2 -W 3 192.168.201.3 >/dev/null ||
	tap_fail "ping -M do -s 1472 A -> C (via B)"
tap_nsx C ping -M do -s 1472 -c 3 -i 0.2 -W 3 192.168.201.1 >/dev/null ||
	tap_fail "ping -M do -s 1472 C -> A (via B)"
ftx1=$(tap_get A 'j["frag_tx"]')
[ $((ftx1 - ftx0)) -ge 9 ] || tap_fail "A split only $((ftx1 - ftx0)) frames"
[ "$(tap_get C 'j["frag_rx"]')" -ge 6 ] || tap_fail "C reassembled too few frames"
[ "$(tap_get B 'j["frag_rx"]')" -eq "$frx_b0" ] || tap_fail "transit B reassembled A<->C frames"
[ $(( $(tap_get B 'j["fwd_packets"]') - fwd0 )) -ge 24 ] || tap_fail "B forwarded too few fragments"
for n in A B C D; do
	for r in bad_src e2e_no_key e2e_auth e2e_replay frag_invalid frag_overlap too_big; do
		[ "$(tap_get $n "j['drops']['$r']")" = 0 ] || tap_fail "node $n counted $r"
	done
done
tap_ok "ping -M do -s 1472 A -> B, A <-> C through B (sealed, then split; B forwards fragments, never reassembles, no bad_src)"

# larger than the MTU with DF: refused locally, as on any 1500-byte LAN
tap_nsx A ping -M do -s 1473 -c 1 -W 1 192.168.201.2 >/dev/null 2>&1 &&
	tap_fail "ping -M do -s 1473 passed a 1500 MTU"
# without DF the sender's IP stack fragments: still works
tap_nsx A ping -s 4000 -c 2 -i 0.2 -W 3 192.168.201.3 >/dev/null ||
	tap_fail "ping -s 4000 A -> C"
tap_ok "ping -s 1473 with DF refused by the MTU; 4000-byte ping (IP fragments) A -> C"

# --- a frame that cannot be carried: answered with ICMP / ICMPv6 ---
# (tapA's MTU raised behind evpnd's back: frames above 1500 reach evpnd)
tap_nsx A ip addr add fd76::1/64 dev tapA nodad
tap_nsx B ip addr add fd76::2/64 dev tapB nodad
tap_nsx A ping -6 -c 1 -W 3 fd76::2 >/dev/null || tap_fail "ping6 A -> B"
tap_nsx A ip link set tapA mtu 3000
i0=$(tap_get A 'j["icmp_too_big"]')
o0=$(tap_get A 'j["drops"]["oversize"]')
out=$(tap_nsx A ping -M do -s 2000 -c 1 -W 2 192.168.201.2 2>&1) && tap_fail "a 2028-byte packet passed"
ns_wait_for 5 tap_true A "j['icmp_too_big'] > $i0" || tap_fail "no ICMP answer counted: $out"
# the sender's stack learned the path MTU from it
tap_nsx A ip route get 192.168.201.2 | grep -q 'mtu 1500' ||
	tap_fail "A's stack did not learn MTU 1500: $(tap_nsx A ip route get 192.168.201.2)"
tap_nsx A ping -6 -M do -s 2000 -c 1 -W 2 fd76::2 >/dev/null 2>&1 && tap_fail "a 2048-byte IPv6 packet passed"
ns_wait_for 5 tap_true A "j['icmp_too_big'] > $i0 + 1" || tap_fail "no ICMPv6 answer counted"
tap_nsx A ip -6 route get fd76::2 | grep -q 'mtu 1500' ||
	tap_fail "A's stack did not learn IPv6 MTU 1500: $(tap_nsx A ip -6 route get fd76::2)"
[ "$(tap_get A 'j["drops"]["oversize"]')" -ge $((o0 + 2)) ] || tap_fail "oversize frames not counted"
# now sized by the stack to the learned MTU (IP fragments), the ping works
tap_nsx A ping -s 2000 -c 2 -i 0.2 -W 3 192.168.201.2 >/dev/null || tap_fail "ping -s 2000 after the ICMP"
tap_nsx A ip link set tapA mtu 1500
tap_ok "frames above 1500: counted, answered with ICMP / ICMPv6 too big, the sender adapts"

# --- a 1500-byte broadcast: flood fragments, relayed as they came ---
for n in B C D; do eval "fr_$n=\$(tap_get $n 'j[\"frag_rx\"]')"; done
out=$(tap_nsx A ping -b -M do -s 1472 -c 1 -W 3 192.168.201.255 2>/dev/null)
for n in B C D; do
	eval "before=\$fr_$n"
	ns_wait_for 5 tap_true $n "j['frag_rx'] > $before" ||
		tap_fail "node $n did not reassemble the broadcast"
done
replies=$(echo "$out" | grep -c 'bytes from')
[ "$replies" -ge 1 ] || tap_fail "no reply to the 1500-byte broadcast ping: $out"
tap_ok "1500-byte broadcast ping reassembled at B, C and D ($replies replies)"

# --- iperf3 TCP A -> C at MTU 1500: MSS clamped, one record per segment ---
# the SYN as it reaches C, the SYN-ACK as it reaches A: both clamped
tap_tcpdump C "$TAP_TMP/syn.pcap" -i tapC -Q in 'tcp[tcpflags] & tcp-syn != 0'
synpid=$TD_PID
tap_tcpdump A "$TAP_TMP/synack.pcap" -i tapA -Q in 'tcp[tcpflags] & tcp-syn != 0'
sapid=$TD_PID
tap_nsx C iperf3 -s -1 -B 192.168.201.3 >/dev/null 2>&1 &
ns_wait_for 5 tap_listening C tcp 5201 || tap_fail "iperf3 -s on C"
ftxa0=$(tap_get A 'j["frag_tx"]')
ftxc0=$(tap_get C 'j["frag_tx"]')
txa0=$(tap_get A 'j["tx_packets"]')
out=$(tap_nsx A iperf3 -c 192.168.201.3 -t 3 -f m 2>&1) || {
	echo "$out"; tap_fail "iperf3 A -> C"; }
mbps=$(echo "$out" | awk '/receiver/ {print $(NF-2)}')
awk -v m="$mbps" 'BEGIN { exit !(m > 1) }' || tap_fail "iperf3 rate $mbps"
txa=$(( $(tap_get A 'j["tx_packets"]') - txa0 ))
ftxa=$(( $(tap_get A 'j["frag_tx"]') - ftxa0 ))
ftxc=$(( $(tap_get C 'j["frag_tx"]') - ftxc0 ))
tap_tcpdump_stop $synpid "$TAP_TMP/syn.pcap" 2
tap_tcpdump_stop $sapid "$TAP_TMP/synack.pcap" 2
mss=$(tcpdump -r "$TAP_TMP/syn.pcap" -n -v 2>/dev/null | grep -o 'mss [0-9]*' | awk '{print $2}' | sort -u | tr '\n' ' ')
mssa=$(tcpdump -r "$TAP_TMP/synack.pcap" -n -v 2>/dev/null | grep -o 'mss [0-9]*' | awk '{print $2}' | sort -u | tr '\n' ' ')
echo "iperf3 A -> C at MTU 1500 (ASan build): $mbps Mbit/s; $txa records from A, $ftxa split; MSS in SYNs at C: $mss, in SYN-ACKs at A: $mssa"
[ -n "$mss" ] && [ -n "$mssa" ] || tap_fail "no SYN / SYN-ACK captured"
for m in $mss $mssa; do
	[ "$m" -le 1306 ] || tap_fail "a SYN arrived with MSS $m (not clamped to 1306)"
done
# TCP stays one record per segment (a handful of non-TCP frames may split)
[ "$ftxa" -le 5 ] || tap_fail "A split $ftxa frames during TCP"
[ "$ftxc" -le 5 ] || tap_fail "C split $ftxc frames during TCP (MSS clamp?)"
tap_ok "iperf3 $mbps Mbit/s at MTU 1500, SYN MSS clamped ($mss), TCP not split"

for n in A B C D; do tap_stop $n || tap_fail "evpnd $n exit status"; done
tap_check_logs
echo "PASS"
