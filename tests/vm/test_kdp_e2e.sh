#!/bin/bash
# End-to-end protection in evpn.ko (run: tests/vm/run.sh
# tests/vm/test_kdp_e2e.sh; docs/protocol.md 14, docs/security.md).
#
# Phase 1, an honest transit: kernel nodes A - B - C (no A-C link), a pair
# key A<->C installed with `evpnctl e2e add` (evpnd's [e2e] KDF):
#  - ping and iperf3 TCP A -> C work; what C receives and sends is 0xE3
#    (its underlay shows it), B relays it (fwd_packets) and its own evpn0
#    never sees an A <-> C frame; with tx_spread off (debug build) the
#    inline transmit path seals end to end too;
#  - no pair key at the origin: dropped there, e2e_no_key, never a relayed
#    0xE1; none at the destination: e2e_no_key there;
#  - X, a member played by evpn-craft with a link to B: an e2e record
#    claiming A that A did not seal is carried by B and dropped by C
#    (e2e_auth); one claiming a node C has no pair key with, e2e_no_key;
#    a genuine one from X (-E: the pair psk X<->C) is delivered and
#    learned as proven, the same e2e counter again is e2e_replay.
# Phase 2, a hostile transit: B replaced by tools/evpn-relay holding the
# link keys: what it can read never contains A's ping payload (its
# capture does show a broadcast's); replaying every e2e payload: e2e_replay
# at C; flipping a byte in each: nothing answered, e2e_auth at C.
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
RELAY=$BIN/evpn-relay
[ -x "$RELAY" ] || RELAY=$EVPN_ROOT/build/bin/evpn-relay
for t in tcpdump iperf3; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done
[ -x "$RELAY" ] && [ -x "$CRAFT" ] || { echo "SKIP: evpn-relay / evpn-craft not built"; exit 77; }
TMP=$(mktemp -d)
TD_PIDS=""
cleanup() {
	local p
	for p in $TD_PIDS; do kill "$p" 2>/dev/null || true; done
	kdp_cleanup
	rm -rf "$TMP"
}
trap cleanup EXIT

A=10000000000000000000000000000001
B=40000000000000000000000000000002
C=80000000000000000000000000000003
R=50000000000000000000000000000005	# the hostile relay (phase 2)
X=0c000000000000000000000000000009	# the crafter (linked to B)
Z=0e000000000000000000000000000007	# nobody
P1=$(printf '%064x' 0x11)
P2=$(printf '%064x' 0x22)
PR=$(printf '%064x' 0x55)
PXB=$(printf '%064x' 0x99)
PE=$(printf '%064x' 0xe2e)		# pair A<->C
PEX=$(printf '%064x' 0xe2e9)		# pair X<->C
MC=02:77:00:00:00:03
PAT=e2e5ec2e7a1b2c3d4e5f60718293a4b5

# The debug build has tx_spread (the inline transmit path); without it the
# queued path alone is tested.
if [ -r "$KDP_DEBUG_KO" ]; then kdp_load_debug; else modprobe evpn; fi
kdp_switch
kdp_node a "$A" 1; kdp_plug a 1
kdp_node b "$B" 2; kdp_plug b 2
kdp_node c "$C" 3; kdp_plug c 3

fwd_of() {
	ctl "$1" show evpn0 --json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0]["fwd_packets"])'
}
# td NODE IFACE FILE FILTER...: tcpdump in the background until cleanup
# (not through nsx: $! must be tcpdump itself, not a subshell)
td() {
	local n=$1 i=$2 f=$3
	shift 3
	ip netns exec "kdp-$n" tcpdump -n -U -i "$i" -w "$f" "$@" 2>/dev/null &
	TD_PIDS="$TD_PIDS $!"
}
pcap_count() { # pcap_count FILE FILTER...
	local f=$1
	shift
	tcpdump -n -r "$f" "$@" 2>/dev/null | wc -l
}
drops_ge() { [ "$(drop_count "$1" "$2")" -ge "$3" ]; }	# drops_ge NODE REASON N
fdb_has() { ctl "$1" fdb show evpn0 | grep -q "$2"; }		# fdb_has NODE PATTERN
e2e_pair() { # e2e_pair NODE PEER PSK: install the pair key (psk on stdin)
	echo "$3" | ctl "$1" e2e add evpn0 peer "$2" psk-file -
}

step "chain A - B - C, pair key A <-> C"
kdp_sw_link a 1 "$A" b 2 "$B" "$P1"
kdp_sw_link b 2 "$B" c 3 "$C" "$P2" chacha
e2e_pair a "$C" "$PE"
e2e_pair c "$A" "$PE"
td b evpn0 "$TMP/b-dev.pcap" icmp
td c up0 "$TMP/c-under.pcap" udp
sleep 1
f0=$(fwd_of b)
nsx a ping -c 3 -i 0.2 -W 2 -p "$PAT" 10.77.0.3 || { ctl a show evpn0; ctl c show evpn0; fail "ping A -> C"; }
nsx a ping -6 -c 2 -i 0.2 -W 2 fd77::3 || fail "ping6 A -> C"
sleep 1
kill $TD_PIDS 2>/dev/null; wait $TD_PIDS 2>/dev/null || true; TD_PIDS=""
in_e3=$(pcap_count "$TMP/c-under.pcap" 'dst host 10.2.0.3 and udp[8] = 0xe3')
out_e3=$(pcap_count "$TMP/c-under.pcap" 'src host 10.2.0.3 and udp[8] = 0xe3')
in_e1=$(pcap_count "$TMP/c-under.pcap" 'dst host 10.2.0.3 and udp[8] = 0xe1')
echo "   C's underlay: 0xE3 in $in_e3, out $out_e3; 0xE1 in $in_e1; B relayed $(( $(fwd_of b) - f0 ))"
[ "$in_e3" -ge 5 ] && [ "$out_e3" -ge 5 ] || fail "A <-> C unicast is not sealed end to end (0xE3)"
[ "$in_e1" = 0 ] || fail "C received relayed plain unicast (0xE1)"
[ "$(pcap_count "$TMP/b-dev.pcap")" = 0 ] || fail "B's evpn0 saw A <-> C frames"
[ "$(( $(fwd_of b) - f0 ))" -ge 10 ] || fail "B did not relay A <-> C"
ctl a fdb show evpn0 | grep -q "$MC node $C dynamic" || fail "A did not learn C's MAC from opened e2e payloads"

step "iperf3 TCP A -> C through B, sealed end to end (GSO on the sealing workers)"
nsx c iperf3 -s -1 -B 10.77.0.3 >/dev/null &
KDP_PIDS="$KDP_PIDS $!"
kdp_wait_for 5 sh -c "ip netns exec kdp-c ss -Hltn 'sport = :5201' | grep -q ."
nsx a iperf3 -c 10.77.0.3 -t 3 -J > "$TMP/iperf.json" || fail "iperf3 A -> C"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
bps = r["end"]["sum_received"]["bits_per_second"]
print("   A -> B -> C e2e: %.1f Mbit/s" % (bps / 1e6))
assert bps > 1e5, bps' "$TMP/iperf.json"
for n in a c; do
	for r in e2e_auth e2e_replay e2e_no_key auth replay bad_src; do
		[ "$(drop_count $n $r)" = 0 ] || fail "$n counted $r drops"
	done
done
if [ -w /sys/module/evpn/parameters/tx_spread ]; then
	echo 0 > /sys/module/evpn/parameters/tx_spread
	nsx a ping -c 3 -i 0.2 -W 2 10.77.0.3 || fail "ping A -> C with tx_spread off"
	echo 1 > /sys/module/evpn/parameters/tx_spread
fi

step "no pair key: dropped at the origin (e2e_no_key), or at the destination"
n0=$(drop_count a e2e_no_key)
ctl a e2e del evpn0 peer "$C"
nsx a ping -c 2 -i 0.2 -W 1 10.77.0.3 >/dev/null && fail "A -> C without a pair key"
[ "$(drop_count a e2e_no_key)" -ge $((n0 + 2)) ] || fail "A did not count e2e_no_key"
e2e_pair a "$C" "$PE"
# (the failed pings may have left A's ARP entry for C failed: it resolves again)
kdp_wait_for 10 nsx a ping -c 1 -W 1 10.77.0.3 || fail "A -> C with the pair key back"
n0=$(drop_count c e2e_no_key)
ctl c e2e del evpn0 peer "$A"
nsx a ping -c 2 -i 0.2 -W 1 10.77.0.3 >/dev/null && fail "C answered without a pair key"
[ "$(drop_count c e2e_no_key)" -ge $((n0 + 2)) ] || fail "C did not count e2e_no_key"
e2e_pair c "$A" "$PE"
kdp_wait_for 10 nsx a ping -c 1 -W 1 10.77.0.3 || fail "A -> C with C's pair key back"
ctl c e2e del evpn0 peer "$Z" 2>"$TMP/err" && fail "deleting a pair key nobody installed"
grep -q 'no pair key' "$TMP/err" || { cat "$TMP/err"; fail "no extack message"; }

step "E2E_SET / E2E_DEL requests are validated (errno + extack)"
NLTEST=$BIN/evpn-nltest
UAPI=$EVPN_ROOT/uapi/linux/evpn.h
# enum_val ENUM ENTRY: ENTRY's value in the generated enum ENUM (in order)
enum_val() {
	awk -v e="enum $1 {" -v x="$2," '$0 == e { f = 1; n = 0; next }
		f && /^}/ { exit } f && $1 ~ /^[A-Z]/ { if ($1 == x) { print n; exit } n++ }' "$UAPI"
}
CSET=$(enum_val evpn_cmd EVPN_CMD_E2E_SET) CDEL=$(enum_val evpn_cmd EVPN_CMD_E2E_DEL)
AE2E=$(enum_val evpn_attr EVPN_A_E2E)
[ -n "$CSET" ] && [ -n "$CDEL" ] && [ -n "$AE2E" ] || fail "E2E commands not found in $UAPI"
nla() {	# nla TYPE HEX: one netlink attribute, padded (nests: TYPE | NLA_F_NESTED)
	local n=$(( ${#2} / 2 + 4 )) p
	printf '%02x%02x%02x%02x%s' $((n & 255)) $((n >> 8)) $(($1 & 255)) $(($1 >> 8)) "$2"
	for ((p = n; p % 4; p++)); do printf 00; done
}
hex() { printf "%0$(( $1 * 2 ))x" "${2:-0}"; }	# hex BYTES [VALUE]
K32=$(printf 'ab%.0s' $(seq 32)) IV=$(printf 'cd%.0s' $(seq 12))
KEYS="$(nla 2 "$K32")$(nla 3 "$IV")$(nla 4 "$K32")$(nla 5 "$IV")"
expect_e2e() {	# expect_e2e ERRNOS CMD NEST_HEX|-
	local want=$1 out e ok=
	if [ "$3" = - ]; then
		out=$(nsx a "$NLTEST" "$2" ifname=evpn0 || true)
	else
		out=$(nsx a "$NLTEST" "$2" ifname=evpn0 "raw:$((AE2E | 0x8000))=$3" || true)
	fi
	echo "   $out"
	for e in ${want//|/ }; do
		case "$out" in "error errno=$e "*extack=?*) ok=1 ;; esac
	done
	[ -n "$ok" ] || fail "expected errno $want with an extack message"
}
expect_e2e 22 "$CSET" -						# no e2e nest
expect_e2e 22 "$CSET" "$KEYS"					# no peer
expect_e2e 34 "$CSET" "$(nla 1 "$(hex 15 1)")$KEYS"		# 15-byte peer
expect_e2e 22 "$CSET" "$(nla 1 "$(hex 16)")$KEYS"		# zero peer
expect_e2e 22 "$CSET" "$(nla 1 "$A")$KEYS"			# own node ID
expect_e2e 22 "$CSET" "$(nla 1 "$B")$(nla 2 "$K32")"		# no IVs, no rx key
expect_e2e 34 "$CSET" "$(nla 1 "$B")$(nla 2 "${K32:2}")$(nla 3 "$IV")$(nla 4 "$K32")$(nla 5 "$IV")"	# 31-byte key
expect_e2e 34 "$CSET" "$(nla 1 "$B")$(nla 2 "$K32")$(nla 3 "${IV:2}")$(nla 4 "$K32")$(nla 5 "$IV")"	# 11-byte IV
expect_e2e 34 "$CSET" "$(nla 1 "$B")$KEYS$(nla 6 0000000000000040)"	# counter 2^62 (little-endian u64)
expect_e2e "22|34" "$CSET" "$(nla 1 "$B")$KEYS$(nla 9 00)"	# unknown attribute
expect_e2e 2 "$CDEL" "$(nla 1 "$B")"				# no pair key with B
nsx a "$NLTEST" "$CSET" ifname=evpn0 "raw:$((AE2E | 0x8000))=$(nla 1 "$B")$KEYS" | grep -qx ok || fail "a well-formed E2E_SET"
nsx a "$NLTEST" "$CDEL" ifname=evpn0 "raw:$((AE2E | 0x8000))=$(nla 1 "$B")" | grep -qx ok || fail "E2E_DEL of it"

step "X (crafted, linked to B): forged, genuine and replayed e2e records for C"
ctl b link add evpn0 peer "$X" local 10.2.0.2:5009 remote 10.2.0.1:6000
echo "$PXB" | ctl b key add evpn0 peer "$X" psk-file -
e2e_pair c "$X" "$PEX"
craft() { nsx a "$CRAFT" -t 10.2.0.2:5009 -b 10.2.0.1:6000 -s "$X" -d "$B" -k "$PXB" -D "$C" -M "$MC" "$@"; }
au=$(drop_count c e2e_auth) nk=$(drop_count c e2e_no_key) rp=$(drop_count c e2e_replay)
craft -F "$A" -m 02:55:00:00:00:01 e2e
craft -F "$Z" -m 02:55:00:00:00:02 e2e
kdp_wait_for 5 drops_ge c e2e_no_key $((nk + 1)) ||
	fail "C did not count e2e_no_key for a record from a node without a pair key"
kdp_wait_for 5 drops_ge c e2e_auth $((au + 1)) || fail "C did not count e2e_auth for a record claiming A"
craft -E "$PEX" -e 7 -m 02:55:00:00:00:03 -N 2 e2e	# two records, one e2e counter
kdp_wait_for 5 fdb_has c "02:55:00:00:00:03 node $X" ||
	fail "C did not deliver and learn (proven) X's genuine e2e record"
kdp_wait_for 5 drops_ge c e2e_replay $((rp + 1)) || fail "C did not count the replayed e2e counter"
[ "$(drop_count c e2e_replay)" = $((rp + 1)) ] || fail "C counted more than one replay"
[ "$(drop_count c e2e_auth)" = $((au + 1)) ] || fail "X's genuine record failed its tag"
ctl c fdb show evpn0 | grep -Eq '02:55:00:00:00:0[12]' && fail "C learned from a forged e2e record"

step "hostile transit: B replaced by evpn-relay (B's link keys)"
ctl a link del evpn0 peer "$B"
ctl c link del evpn0 peer "$B"
ip netns add kdp-r; KDP_NODES="$KDP_NODES r"
nsx r ip link set lo up
kdp_plug r 5
ctl a link add evpn0 peer "$R" local 10.2.0.1:5170 remote 10.2.0.5:5170
echo "$PR" | ctl a key add evpn0 peer "$R" psk-file -
ctl c link add evpn0 peer "$R" local 10.2.0.3:5170 remote 10.2.0.5:5170
echo "$PR" | ctl c key add evpn0 peer "$R" psk-file -
RELAY_PID=
relay_start() {	# relay_start MODE
	rm -f "$TMP/relay.hex"
	ip netns exec kdp-r "$RELAY" -l 10.2.0.5:5170 -s "$R" -k "$PR" -p "$A,10.2.0.1:5170" \
		-p "$C,10.2.0.3:5170" -x "$1" -o "$TMP/relay.hex" 2>"$TMP/relay.err" &
	RELAY_PID=$!
	kdp_wait_for 5 grep -q relaying "$TMP/relay.err" ||
		fail "evpn-relay did not start: $(cat "$TMP/relay.err")"
}
relay_stop() { kill "$RELAY_PID" 2>/dev/null; wait "$RELAY_PID" 2>/dev/null || true; RELAY_PID=; }
seen_by_relay() { grep -c "$PAT" "$TMP/relay.hex" || true; }

relay_start none
nsx a ping -c 3 -i 0.2 -W 2 -p "$PAT" 10.77.0.3 >/dev/null || fail "ping A -> C through the relay"
[ "$(seen_by_relay)" = 0 ] || fail "the transit node read A -> C plaintext"
nsx a ping -b -c 1 -W 1 -p "$PAT" 10.77.0.255 >/dev/null 2>&1 || true
kdp_wait_for 5 grep -q "$PAT" "$TMP/relay.hex" || fail "the relay's capture does not show readable floods"
relay_stop
echo "   the relay read no A <-> C unicast, and did read the broadcast"

r0=$(drop_count c e2e_replay)
relay_start replay
nsx a ping -c 3 -i 0.2 -W 2 10.77.0.3 >/dev/null || fail "ping A -> C with replays"
kdp_wait_for 5 drops_ge c e2e_replay $((r0 + 3)) ||
	fail "C did not count replayed e2e payloads ($r0 -> $(drop_count c e2e_replay))"
relay_stop
echo "   replays: e2e_replay $r0 -> $(drop_count c e2e_replay)"

a0=$(drop_count c e2e_auth)
relay_start flip
nsx a ping -c 3 -i 0.2 -W 1 10.77.0.3 >/dev/null && fail "altered frames answered"
kdp_wait_for 5 drops_ge c e2e_auth $((a0 + 3)) ||
	fail "C did not count altered e2e payloads"
relay_stop
echo "   altered: e2e_auth $a0 -> $(drop_count c e2e_auth)"

kdp_teardown a b c
echo PASS
