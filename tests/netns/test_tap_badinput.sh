#!/usr/bin/env bash
# Bad input against evpnd's TAP datapath: tools/evpn-craft plays a peer M
# holding a static link to node T (same psk, same KDF) and sends crafted
# records. Each must be dropped and counted under its own reason, nothing
# may reach T's TAP, and evpnd must keep running. Also: configuration
# errors name file:line.
. "$(dirname "$0")/tap_common.sh"

tap_init evbi
for t in socat tcpdump python3; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done
[ -x "$EVPNCRAFT" ] || { echo "SKIP: $EVPNCRAFT not built"; exit 77; }

# --- configuration errors: exit status 1 and a file:line message ---
cfg_err() {	# cfg_err EXPECTED_LINE REGEX <<< config
	local f=$TAP_TMP/bad.conf out
	cat > "$f"
	out=$("$EVPND" -t -c "$f" 2>&1) && tap_fail "bad config accepted: $(cat "$f")"
	echo "$out" | grep -qE "^$f:$1: error: .*$2" ||
		tap_fail "config error message '$out' (want line $1: $2)"
}
cfg_err 2 "unknown key 'colour'" <<< $'[interface]\ncolour = blue'
cfg_err 1 "unknown section \\[bogus\\]" <<< $'[bogus]'
cfg_err 2 "not a node ID" <<< $'[node]\nid = 1234'
cfg_err 1 "'peer' is required" <<< $'[link x]\nendpoint = 10.0.0.1:1\npsk = '"$PSK"
cfg_err 2 "out of range" <<< $'[interface]\nmtu = 100'
cfg_err 3 "expected 64 hex digits" <<< $'[link x]\npeer = 11111111111111111111111111111111\npsk = abc'
cfg_err 2 "is not an address" <<< $'[static]\nlisten = nowhere:12'
cfg_err 1 "outside of any section" <<< $'mtu = 1400'
tap_ok "configuration errors are reported with file:line"

tap_lan
tap_node T 7a000000000000000000000000000001 10.78.0.1
tap_node M 7b000000000000000000000000000002 10.78.0.2
# only T runs evpnd; M is the crafter's namespace
printf '\n[link M]\npeer = %s\nendpoint = 10.78.0.2:5170\npsk = %s\n' \
	"${NODE_ID[M]}" "$PSK" >> "$TAP_TMP/T/evpnd.conf"
# a second neighbour Z (nobody runs it; between T and M on the ring, so
# inside the interval T covers for a flood from M): T relays to it
printf '\n[link Z]\npeer = 7a800000000000000000000000000003\nendpoint = 10.78.0.3:5170\npsk = %s\n' \
	"$PSK" >> "$TAP_TMP/T/evpnd.conf"
tap_start T
TAP_NODES=(T)

tap_tcpdump T "$TAP_TMP/t.pcap" -i tapT -Q in 'ether proto 0x88b5'
tdpid=$TD_PID
tx_start=$(tap_get T 'j["tap_tx_packets"]')

craft() {	# craft CASE [evpn-craft options]
	local c=$1; shift
	tap_nsx M "$EVPNCRAFT" -t 10.78.0.1:5170 -b 10.78.0.2:5170 \
		-s "${NODE_ID[M]}" -d "${NODE_ID[T]}" -k "$PSK" "$@" "$c" ||
		tap_fail "evpn-craft $c"
}

# seen COND: wait until T's counters show the crafted input was handled
# (COND, a Python condition on the `show` JSON j); then counts are final.
# A record handled some other way fails the exact checks that follow.
seen() { ns_wait_for 5 tap_true T "$1" || true; }

# expect CASE REASON [options]: REASON +1, TAP unchanged, daemon alive
expect() {
	local c=$1 r=$2 before after t0 t1; shift 2
	before=$(tap_get T "j['drops']['$r']")
	t0=$(tap_get T 'j["tap_tx_packets"]')
	craft "$c" "$@"
	seen "j['drops']['$r'] > $before or j['tap_tx_packets'] > $t0"
	after=$(tap_get T "j['drops']['$r']")
	t1=$(tap_get T 'j["tap_tx_packets"]')
	[ $((after - before)) -eq 1 ] || tap_fail "$c: drops[$r] $before -> $after"
	[ "$t0" -eq "$t1" ] || tap_fail "$c: reached the TAP ($t0 -> $t1)"
	tap_alive T || tap_fail "$c: evpnd died"
	tap_ok "$c dropped as $r"
}

N=$(( $(date +%s) * 1000000000 ))
# a valid record is delivered (the crafter and evpnd agree on the keys)
t0=$(tap_get T 'j["tap_tx_packets"]')
craft valid -c $N
seen "j['tap_tx_packets'] > $t0"
t1=$(tap_get T 'j["tap_tx_packets"]')
[ $((t1 - t0)) -eq 1 ] || tap_fail "valid record not delivered ($t0 -> $t1)"
tap_ok "valid record delivered"

expect truncated truncated
expect version bad_version
expect reserved bad_header
expect zero-key bad_header
expect unknown-key unknown_key
expect tag auth -c $((N + 1))
expect valid replay -c $N			# the same record again
expect valid replay -c $((N - 100000))		# older than the window
expect ttl0 ttl -c $((N + 2))
expect valid ttl -c $((N + 5)) -T 65		# above the cap (EVPN_TTL_MAX 64)
expect oversize oversize
expect wrong-dst not_for_us -c $((N + 3))
expect stun not_data
# a burst of replays of one record: one delivered at most, the rest counted
before=$(tap_get T 'j["drops"]["replay"]')
t0=$(tap_get T 'j["tap_tx_packets"]')
craft valid -c $((N + 4)) -n 50
seen "j['drops']['replay'] - $before + j['tap_tx_packets'] - $t0 >= 50"
after=$(tap_get T 'j["drops"]["replay"]')
[ $((after - before)) -eq 49 ] || tap_fail "burst: replay drops $before -> $after"
tap_ok "50 copies of one record: 1 delivered, 49 counted as replays"

# from the local side: the MTU raised behind evpnd's back, a frame larger
# than its buffers is counted, not truncated or sent
tap_nsx T ip link set tapT mtu 3000
before=$(tap_get T 'j["drops"]["oversize"]')
tap_nsx T python3 -c 'import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("tapT", 0))
s.send(b"\xff" * 6 + b"\x02" + b"\x00" * 5 + b"\x88\xb6" + b"x" * 2500)' ||
	tap_fail "cannot send a big frame"
seen "j['drops']['oversize'] > $before"
after=$(tap_get T 'j["drops"]["oversize"]')
[ $((after - before)) -eq 1 ] || tap_fail "local oversize frame: drops $before -> $after"
tap_alive T || tap_fail "evpnd died on a local oversize frame"
tap_ok "local frame above the configured MTU counted as oversize"

tap_tcpdump_stop $tdpid "$TAP_TMP/t.pcap" $(( $(tap_get T 'j["tap_tx_packets"]') - tx_start ))
seen=$(tap_pcap_count "$TAP_TMP/t.pcap")
[ "$seen" -eq 2 ] || tap_fail "tcpdump on tapT saw $seen crafted frames, want 2 (the valid ones)"
tap_ok "only the 2 valid records reached the TAP"

# flood: delivered and relayed on to Z; a flood whose interval end is T
# itself (never sent by a conforming node) is delivered but not relayed
flood_case() {	# flood_case CASE COUNTER WANT_RELAYED
	local f0 f1 t0 t1
	f0=$(tap_get T 'j["fwd_packets"]')
	t0=$(tap_get T 'j["tap_tx_packets"]')
	craft "$1" -c "$2"
	seen "j['tap_tx_packets'] > $t0"
	f1=$(tap_get T 'j["fwd_packets"]')
	t1=$(tap_get T 'j["tap_tx_packets"]')
	[ $((t1 - t0)) -eq 1 ] || tap_fail "$1: not delivered ($t0 -> $t1)"
	[ $((f1 - f0)) -eq "$3" ] || tap_fail "$1: relayed $((f1 - f0)) copies, want $3"
}
flood_case flood $((N + 5)) 1
flood_case flood-end-self $((N + 6)) 0
tap_ok "flood relayed to the other neighbour; a flood ending at T is not relayed"

tap_stop T || tap_fail "evpnd exit status"
tap_check_logs
echo PASS
