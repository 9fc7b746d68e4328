#!/usr/bin/env bash
# Origins and end-to-end protection in evpnd's TAP datapath
# (docs/protocol.md section 14, docs/security.md section 3).
#
# A chain A - B - C of evpnd nodes (A and C share no link; their unicast is
# sealed end to end with their pair key and carried through B), plus X, a
# member played by tools/evpn-craft with static links to B and C.
#
# Phase 1, forged origins:
#  - X sends C a unicast claiming A's node ID and A's MAC (direct), and
#    sends the same through B (transit): dropped as bad_src, nothing
#    delivered, C's FDB still maps A's MAC to A.
#  - X sends e2e records claiming to come from A, and from Z, through B: B
#    carries them (it cannot judge them), C drops them (e2e_auth: its pair
#    key with A does not open it; e2e_no_key: it has none with Z).
#  - X floods claiming another node: delivered (floods carry no origin
#    proof), but A's proven MAC does not move; a new MAC is learned only
#    tentatively, and a proven frame corrects it.
# Phase 2, a hostile transit node: B is replaced by tools/evpn-relay,
#    which holds B's link keys (a stolen B):
#  - it relays A <-> C ping, and what it can read never contains the ping
#    payload (a broadcast with the same payload, which it can read, shows
#    that its capture would);
#  - replaying each e2e payload: C delivers each once, counts e2e_replay;
#  - flipping a byte in each: C delivers nothing, counts e2e_auth.
. "$(dirname "$0")/tap_common.sh"

tap_init evee
for t in socat tcpdump python3; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done
EVPNRELAY=${EVPNRELAY:-$EVPN_ROOT/build/asan/bin/evpn-relay}
[ -x "$EVPNCRAFT" ] || { echo "SKIP: $EVPNCRAFT not built"; exit 77; }
[ -x "$EVPNRELAY" ] || { echo "SKIP: $EVPNRELAY not built"; exit 77; }

tap_lan
tap_node A 10000000000000000000000000000001 10.79.0.1
tap_node B 30000000000000000000000000000002 10.79.0.2
tap_node C 50000000000000000000000000000003 10.79.0.3
tap_node X 70000000000000000000000000000005 10.79.0.5
TAP_NODES=(A B C)	# X runs no evpnd
Z=60000000000000000000000000000006	# a node nobody runs
tap_link A B
tap_link B C
tap_e2e A C
# X runs no evpnd: its links live in B's and C's configuration only
for n in B C; do
	printf '\n[link X]\npeer = %s\nendpoint = 10.79.0.5:5170\npsk = %s\n' \
		"${NODE_ID[X]}" "$PSK" >> "$TAP_TMP/$n/evpnd.conf"
done
for n in A B C; do tap_start $n; done
i=0
for n in A B C; do
	i=$((i + 1))
	tap_nsx $n ip addr add 192.168.200.$i/24 dev tap$n
done
mac() { tap_nsx "$1" cat "/sys/class/net/tap$1/address"; }
MA=$(mac A) MC=$(mac C)

# fdb_is NODE MAC ID TENTATIVE: NODE's FDB maps MAC to ID (True/False)
fdb_is() {
	tap_true "$1" "any(e['mac'] == '$2' and e['node_id'] == '$3' and
		e['tentative'] == $4 for e in j['fdb'])"
}
drops() { tap_get "$1" "j['drops']['$2']"; }

# --- the honest path: A <-> C through B, sealed end to end ---
tap_tcpdump B "$TAP_TMP/b.pcap" -i tapB \
	'(ip and host 192.168.200.1 and host 192.168.200.3) or (icmp and host 192.168.200.2)'
bpid=$TD_PID
tap_nsx A ping -c 3 -i 0.2 -W 2 192.168.200.3 >/dev/null || tap_fail "ping A -> C"
# B's own ping to A is the marker: once captured, all before it was read
tap_nsx B ping -c 1 -W 2 192.168.200.1 >/dev/null || tap_fail "ping B -> A"
tap_tcpdump_stop $bpid "$TAP_TMP/b.pcap" 2
[ "$(tap_pcap_count "$TAP_TMP/b.pcap" not host 192.168.200.2)" = 0 ] ||
	tap_fail "B's TAP saw A <-> C frames"
fdb_is C "$MA" "${NODE_ID[A]}" False || tap_fail "C did not learn A's MAC as proven"
[ "$(tap_get C 'j["e2e_keys"]')" = 1 ] || tap_fail "C has no e2e pair key"
tap_ok "ping A -> C through B; C learned A's MAC from the opened e2e payload"

craft() {	# craft TO CASE [evpn-craft options]: X sends one record to TO
	local to=$1 c=$2; shift 2
	tap_nsx X "$EVPNCRAFT" -t "${NODE_IP[$to]}:5170" -b 10.79.0.5:5170 \
		-s "${NODE_ID[X]}" -d "${NODE_ID[$to]}" -k "$PSK" "$@" "$c" ||
		tap_fail "evpn-craft $c"
}

# everything X crafts is EtherType 0x88b5: what of it reaches C's TAP
tap_tcpdump C "$TAP_TMP/x.pcap" -i tapC -Q in 'ether proto 0x88b5'
xpid=$TD_PID

# --- forged src, direct: X -> C claiming A ---
b0=$(drops C bad_src)
craft C valid -F "${NODE_ID[A]}" -m "$MA" -M "$MC"
craft C valid -F "$Z" -m 02:00:00:00:00:99 -M "$MC"
ns_wait_for 5 tap_true C "j['drops']['bad_src'] >= $b0 + 2" ||
	tap_fail "C did not count the forged unicasts as bad_src"
fdb_is C "$MA" "${NODE_ID[A]}" False || tap_fail "forged unicast moved A's MAC"
tap_true C "not any(e['mac'] == '02:00:00:00:00:99' for e in j['fdb'])" ||
	tap_fail "C learned from a forged unicast"
tap_ok "direct forgery: bad_src at C, nothing delivered, FDB unmoved"

# --- forged src through a transit node: X -> B -> C claiming A ---
bb0=$(drops B bad_src)
craft B wrong-dst -D "${NODE_ID[C]}" -F "${NODE_ID[A]}" -m "$MA" -M "$MC"
ns_wait_for 5 tap_true B "j['drops']['bad_src'] > $bb0" ||
	tap_fail "B did not count the forged transit unicast as bad_src"
f0=$(tap_get B 'j["fwd_packets"]') k0=$(drops C e2e_auth) n0=$(drops C e2e_no_key)
# claiming A (C holds a pair key with A): the tag fails; claiming Z (no key)
craft B e2e -D "${NODE_ID[C]}" -F "${NODE_ID[A]}" -m "$MA" -M "$MC"
craft B e2e -D "${NODE_ID[C]}" -F "$Z" -m "$MA" -M "$MC"
ns_wait_for 5 tap_true C "j['drops']['e2e_auth'] > $k0 and j['drops']['e2e_no_key'] > $n0" ||
	tap_fail "C did not drop the forged e2e records (e2e_auth, e2e_no_key)"
[ "$(tap_get B 'j["fwd_packets"]')" -gt "$f0" ] || tap_fail "B did not carry the e2e record"
fdb_is C "$MA" "${NODE_ID[A]}" False || tap_fail "forged transit frame moved A's MAC"
tap_ok "transit forgery: bad_src at B (one-hop record), e2e_auth / e2e_no_key at C (e2e records), nothing delivered"

# --- forged floods: delivered, but proven entries never move ---
craft C flood -F "$Z" -m "$MA"
fdb_is C "$MA" "${NODE_ID[A]}" False || tap_fail "a relayed flood moved A's proven MAC"
craft C flood -F "$Z" -m 02:00:00:00:00:77
ns_wait_for 5 fdb_is C 02:00:00:00:00:77 "$Z" True ||
	tap_fail "a relayed flood's new MAC is not tentative"
craft C valid -m 02:00:00:00:00:77 -M "$MC"
ns_wait_for 5 fdb_is C 02:00:00:00:00:77 "${NODE_ID[X]}" False ||
	tap_fail "a proven frame did not override the tentative entry"
tap_tcpdump_stop $xpid "$TAP_TMP/x.pcap" 3
# delivered: the two floods and X's own (proven) unicast, nothing forged
[ "$(tap_pcap_count "$TAP_TMP/x.pcap")" = 3 ] ||
	tap_fail "C's TAP got $(tap_pcap_count "$TAP_TMP/x.pcap") crafted frames, want 3"
[ "$(tap_pcap_count "$TAP_TMP/x.pcap" ether src "$MA" and not ether broadcast)" = 0 ] ||
	tap_fail "a forged unicast reached C's TAP"
tap_ok "floods: delivered; proven MAC kept, new MAC tentative, corrected by a proven frame"
tap_ok "no forged unicast reached C's TAP"

# --- phase 2: B is hostile (its keys in evpn-relay) ---
tap_stop B || tap_fail "evpnd B exit status"
RELAY_PID=
relay_start() {	# relay_start MODE
	rm -f "$TAP_TMP/relay.hex"
	ip netns exec "${NODE_NS[B]}" "$EVPNRELAY" -l 10.79.0.2:5170 -s "${NODE_ID[B]}" -k "$PSK" \
		-p "${NODE_ID[A]},10.79.0.1:5170" -p "${NODE_ID[C]},10.79.0.3:5170" \
		-x "$1" -o "$TAP_TMP/relay.hex" 2>"$TAP_TMP/relay.err" &
	RELAY_PID=$!
	ns_wait_for 5 grep -q relaying "$TAP_TMP/relay.err" ||
		tap_fail "evpn-relay did not start: $(cat "$TAP_TMP/relay.err")"
}
relay_stop() { kill "$RELAY_PID" 2>/dev/null; wait "$RELAY_PID" 2>/dev/null; RELAY_PID=; }
PAT=e2e5ec2e7a1b2c3d4e5f60718293a4b5
seen_by_relay() { grep -c "$PAT" "$TAP_TMP/relay.hex" || true; }

relay_start none
tap_nsx A ping -c 3 -i 0.2 -W 2 -p $PAT 192.168.200.3 >/dev/null ||
	tap_fail "ping A -> C through the relay"
[ "$(seen_by_relay)" = 0 ] || tap_fail "the transit node read A -> C plaintext"
tap_nsx A ping -b -c 1 -W 1 -p $PAT 192.168.200.255 >/dev/null 2>&1
ns_wait_for 5 tap_true C "True" && sleep 0.5
[ "$(seen_by_relay)" -ge 1 ] || tap_fail "the relay's capture does not show readable traffic"
relay_stop
tap_ok "hostile transit relays A <-> C but never reads it (its capture does show floods)"

r0=$(drops C e2e_replay)
relay_start replay
out=$(tap_nsx A ping -c 3 -i 0.2 -W 2 192.168.200.3) || tap_fail "ping with replays"
echo "$out" | grep -q ' 3 received' || echo "note: $(echo "$out" | grep received)"
ns_wait_for 5 tap_true C "j['drops']['e2e_replay'] >= $r0 + 3" ||
	tap_fail "C did not count replayed e2e payloads ($r0 -> $(drops C e2e_replay))"
relay_stop
tap_ok "replayed e2e payloads: delivered once, e2e_replay $r0 -> $(drops C e2e_replay)"

a0=$(drops C e2e_auth)
tap_tcpdump C "$TAP_TMP/flip.pcap" -i tapC -Q in 'icmp and src host 192.168.200.1'
fpid=$TD_PID
relay_start flip
tap_nsx A ping -c 3 -i 0.2 -W 1 192.168.200.3 >/dev/null && tap_fail "altered frames answered"
ns_wait_for 5 tap_true C "j['drops']['e2e_auth'] >= $a0 + 3" ||
	tap_fail "C did not count altered e2e payloads"
tap_tcpdump_stop $fpid
[ "$(tap_pcap_count "$TAP_TMP/flip.pcap")" = 0 ] || tap_fail "C delivered an altered frame"
relay_stop
tap_ok "altered e2e payloads: nothing delivered, e2e_auth $a0 -> $(drops C e2e_auth)"

for n in A C; do tap_stop $n || tap_fail "evpnd $n exit status"; done
tap_check_logs
echo "PASS"
