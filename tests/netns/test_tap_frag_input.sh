#!/usr/bin/env bash
# Crafted fragment records (core/frag.h, docs/protocol.md section 10)
# against evpnd's TAP datapath: a frame in two fragments (either order) is
# delivered whole; a flooded one is delivered and its fragments relayed as
# they came; a missing fragment times out, overlapping / oversized / replayed
# fragments are dropped, each counted under its own reason, nothing partial
# ever reaches the TAP, the reassembly table drains, evpnd stays up.
# Origins (docs/protocol.md 14.5): a reassembled e2e payload (inner 0xE3) is
# opened with the pair key of its src (none: e2e_no_key; a key that does
# not open it: e2e_auth); a reassembled plain frame whose src is not the
# neighbour it came from is a relayed 0xE1 (bad_src); fragments for another
# node are forwarded unopened, never bad_src. Each neighbour's share of the
# reassembly table (docs/protocol.md 10.2): M filling the table with more
# partial payloads than it holds only evicts its own (frag_no_room); a
# frame from a second neighbour H, started before and finished after that
# burst, is delivered, having taken one of M's slots (frag_share).
. "$(dirname "$0")/tap_common.sh"

tap_init evfi
for t in socat tcpdump python3; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done
[ -x "$EVPNCRAFT" ] || { echo "SKIP: $EVPNCRAFT not built (make asan)"; exit 77; }

tap_lan
tap_node T 7a000000000000000000000000000001 10.79.0.1
tap_node M 7b000000000000000000000000000002 10.79.0.2
# only T runs evpnd; M is the crafter's namespace
printf '\n[link M]\npeer = %s\nendpoint = 10.79.0.2:5170\npsk = %s\n' \
	"${NODE_ID[M]}" "$PSK" >> "$TAP_TMP/T/evpnd.conf"
Z=7a800000000000000000000000000003
Q=7c000000000000000000000000000004
# Z (nobody runs it) lies inside the interval T covers for M's floods
printf '\n[link Z]\npeer = %s\nendpoint = 10.79.0.3:5170\npsk = %s\n' \
	"$Z" "$PSK" >> "$TAP_TMP/T/evpnd.conf"
# H: a second neighbour, also crafted from M's namespace (its own port)
H=7d000000000000000000000000000005
printf '\n[link H]\npeer = %s\nendpoint = 10.79.0.2:5171\npsk = %s\n' \
	"$H" "$PSK" >> "$TAP_TMP/T/evpnd.conf"
# Q (nobody runs it): T holds a pre-shared e2e pair key with it
printf '\n[e2e Q]\npeer = %s\npsk = %s\n' "$Q" "$PSK" >> "$TAP_TMP/T/evpnd.conf"
tap_start T
TAP_NODES=(T)

mtu=$(tap_nsx T cat /sys/class/net/tapT/mtu)
[ "$mtu" = 1500 ] || tap_fail "default MTU is $mtu, not 1500"
tap_ok "default MTU 1500"

craft() {	# craft CASE [evpn-craft options]
	local c=$1; shift
	tap_nsx M "$EVPNCRAFT" -t 10.79.0.1:5170 -b 10.79.0.2:5170 \
		-s "${NODE_ID[M]}" -d "${NODE_ID[T]}" -k "$PSK" "$@" "$c" ||
		tap_fail "evpn-craft $c"
}
get() { tap_get T "$1"; }
seen() { ns_wait_for 5 tap_true T "$1" || true; }
zlink='[l for l in j["links"] if l["name"] == "Z"][0]'

tap_tcpdump T "$TAP_TMP/t.pcap" -i tapT -Q in 'ether proto 0x88b5'
tdpid=$TD_PID

# --- whole frames out of fragments ---
t0=$(get 'j["tap_tx_packets"]')
r0=$(get 'j["frag_rx"]')
craft frag-valid -l 1514
seen "j['tap_tx_packets'] > $t0"
[ $(( $(get 'j["tap_tx_packets"]') - t0 )) -eq 1 ] || tap_fail "frag-valid not delivered once"
[ $(( $(get 'j["frag_rx"]') - r0 )) -eq 1 ] || tap_fail "frag_rx did not count it"
tap_ok "a 1514-byte frame in two fragments (second first) delivered once"

# (T's own multicast, e.g. IPv6 ND, also goes to Z: count relays)
z0=$(get "$zlink[\"tx_packets\"]")
f0=$(get 'j["fwd_packets"]')
craft frag-flood -l 1514
seen "j['tap_tx_packets'] > $t0 + 1"
[ $(( $(get 'j["tap_tx_packets"]') - t0 )) -eq 2 ] || tap_fail "frag-flood not delivered"
z1=$(get "$zlink[\"tx_packets\"]")
f1=$(get 'j["fwd_packets"]')
[ $((f1 - f0)) -eq 2 ] && [ $((z1 - z0)) -ge 2 ] ||
	tap_fail "flood fragments not relayed to Z as two records (relays $f0 -> $f1, Z $z0 -> $z1)"
tap_ok "flooded frame in two fragments delivered, both fragments relayed to Z"

# the largest frame: 9018 bytes would not pass the 1500 MTU of tapT, so
# count it as oversize at the TAP, after a complete reassembly
o0=$(get 'j["drops"]["oversize"]')
craft frag-valid -l 9018
seen "j['drops']['oversize'] > $o0"
[ $(( $(get 'j["drops"]["oversize"]') - o0 )) -eq 1 ] || tap_fail "9018-byte payload not judged by the TAP MTU"
tap_ok "9018-byte payload reassembled, then refused by the 1500 MTU (oversize)"

# --- counted drops, nothing reaches the TAP ---
expect_drop() {	# expect_drop CASE REASON [options]
	local c=$1 r=$2 before t0; shift 2
	before=$(get "j['drops']['$r']")
	t0=$(get 'j["tap_tx_packets"]')
	craft "$c" "$@"
	seen "j['drops']['$r'] > $before"
	[ $(( $(get "j['drops']['$r']") - before )) -eq 1 ] ||
		tap_fail "$c: drops[$r] did not grow by 1"
	[ "$(get 'j["tap_tx_packets"]')" -eq "$t0" ] || tap_fail "$c reached the TAP"
	tap_alive T || tap_fail "$c: evpnd died"
	tap_ok "$c dropped as $r"
}
expect_drop frag-overlap frag_overlap
expect_drop frag-oversize frag_invalid
expect_drop frag-sealed e2e_no_key
expect_drop frag-sealed e2e_auth -F "$Q"	# opened with the pair key: fails
expect_drop frag-valid bad_src -F "$Q"	# a plain frame relayed by M
expect_drop frag-missing frag_timeout	# ~1 s (EVPN_REASM_TIMEOUT_MS)
ns_wait_for 5 tap_true T 'j["reasm_inuse"] == 0' || tap_fail "reassembly table not drained"
tap_ok "reassembly table empty again"

# --- fragments for another node: forwarded as they came, not judged ---
f0=$(get 'j["fwd_packets"]')
z0=$(get "$zlink[\"tx_packets\"]")
b0=$(get 'j["drops"]["bad_src"]')
r0=$(get 'j["frag_rx"]')
craft frag-sealed -D "$Z" -F "$Q"
seen "j['fwd_packets'] >= $f0 + 2"
[ $(( $(get 'j["fwd_packets"]') - f0 )) -eq 2 ] || tap_fail "fragments for Z not forwarded"
[ $(( $(get "$zlink[\"tx_packets\"]") - z0 )) -ge 2 ] || tap_fail "fragments for Z not sent on Z's link"
[ "$(get 'j["drops"]["bad_src"]')" -eq "$b0" ] || tap_fail "transit fragments counted bad_src"
[ "$(get 'j["frag_rx"]')" -eq "$r0" ] && [ "$(get 'j["reasm_inuse"]')" -eq 0 ] ||
	tap_fail "transit fragments reassembled"
tap_ok "fragments of a relayed e2e payload for Z forwarded unopened, no bad_src"

# a replayed fragment: the replay window sees it before reassembly does
N=$(( $(date +%s) * 1000000000 ))
craft frag-missing -c $N
p0=$(get 'j["drops"]["replay"]')
craft frag-missing -c $N
seen "j['drops']['replay'] > $p0"
[ $(( $(get 'j["drops"]["replay"]') - p0 )) -eq 1 ] || tap_fail "replayed fragment not counted"
tap_ok "replayed fragment dropped as replay"

# a burst of partial payloads larger than the table: evictions counted
e0=$(get 'j["drops"]["frag_no_room"]')
craft frag-missing -n 80
seen "j['drops']['frag_no_room'] >= $e0 + 16"
[ $(( $(get 'j["drops"]["frag_no_room"]') - e0 )) -ge 16 ] || tap_fail "no frag_no_room for 80 partial payloads in 64 slots"
ns_wait_for 5 tap_true T 'j["reasm_inuse"] == 0' || tap_fail "table not drained after the burst"
tap_ok "80 partial payloads: $(( $(get 'j["drops"]["frag_no_room"]') - e0 )) evicted (frag_no_room), the rest timed out"

# one neighbour filling the table does not block another: M sends 64
# partial payloads, H half a frame, M 80 more, H the rest and one more
# frame (one evpn-craft run: all well inside the 1-s timeout)
e0=$(get 'j["drops"]["frag_no_room"]')
s0=$(get 'j["drops"]["frag_share"]')
t0=$(get 'j["tap_tx_packets"]')
craft frag-share -l 1514 -A "$H" -B 10.79.0.2:5171
seen "j['tap_tx_packets'] >= $t0 + 2"
[ $(( $(get 'j["tap_tx_packets"]') - t0 )) -eq 2 ] ||
	tap_fail "H's two frames: $(( $(get 'j["tap_tx_packets"]') - t0 )) delivered while M filled the table"
e1=$(( $(get 'j["drops"]["frag_no_room"]') - e0 ))
s1=$(( $(get 'j["drops"]["frag_share"]') - s0 ))
[ "$s1" -ge 1 ] || tap_fail "H's payload took no slot from M (frag_share +$s1)"
[ "$e1" -ge 80 ] || tap_fail "M's burst evicted only $e1 of its own payloads (frag_no_room)"
hl='[l for l in j["links"] if l["name"] == "H"][0]'
[ "$(get "sum(v for k, v in $hl['drops'].items() if k.startswith('frag_'))")" -eq 0 ] ||
	tap_fail "fragment drops on H's link: $(get "$hl['drops']")"
ns_wait_for 5 tap_true T 'j["reasm_inuse"] == 0' || tap_fail "table not drained after frag-share"
tap_ok "H's frames delivered through a burst of 144 partial payloads from M (M: $e1 frag_no_room, frag_share +$s1)"

# the capture: only whole frames, 1514 bytes each
tap_tcpdump_stop $tdpid "$TAP_TMP/t.pcap" 2
lens=$(tcpdump -r "$TAP_TMP/t.pcap" -n -e 2>/dev/null | grep -o 'length [0-9]*' | awk '{print $2}' | sort -u | tr '\n' ' ')
[ "$lens" = "1514 " ] || tap_fail "frames on tapT of lengths: $lens"
tap_ok "tapT saw only whole 1514-byte frames"

tap_stop T || tap_fail "evpnd T exit status"
tap_check_logs
echo "PASS"
