#!/bin/bash
# evpn.ko kernel datapath, two nodes (run: tests/vm/run.sh tests/vm/test_kdp_basic.sh):
# links and static keys with evpnctl, ping (IPv4, IPv6), arping, counters per
# link and in `ip -s link`, FDB learning/dump/static entries, link and key
# netlink errors, STUN/DTLS passing through the shared socket to userspace,
# the test-only module parameters only in the debug build (make
# kmod-debug), TCP with the transmit queues and with inline sealing
# (tx_spread=0; needs the debug build, skipped without it),
# crafted bad records dropped under the right reason, endpoint roaming
# event, key swap/delete, link deletion restoring the socket.
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
trap kdp_cleanup EXIT

A=0a000000000000000000000000000001
B=0b000000000000000000000000000002
X=0c000000000000000000000000000003	# the packet crafter's node ID
PSK=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
PSKX=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100

step "test-only module parameters: none in the production build, all in the debug build"
KNOBS="rekey_after_packets reject_after_packets rekey_after_seconds tx_spread rx_spread"
prod=$(modinfo -F parm evpn; modinfo -F parm "$EVPN_ROOT/evpn.ko")
for k in $KNOBS; do
	! grep -q "^$k:" <<<"$prod" || fail "production evpn.ko has the test parameter $k"
done
if [ -r "$KDP_DEBUG_KO" ]; then
	dbg=$(modinfo -F parm "$KDP_DEBUG_KO")
	for k in $KNOBS; do
		grep -q "^$k:" <<<"$dbg" || fail "debug evpn.ko lacks the test parameter $k"
	done
	kdp_load_debug
else
	echo "   no debug build (make kmod-debug): its parameters not checked"
	modprobe evpn
fi

step "two nodes, one veth underlay, one static link"
kdp_node a "$A" 1
kdp_node b "$B" 2
kdp_wire a b 10.1.1
kdp_link a "$A" 10.1.1.1:5000 b "$B" 10.1.1.2:5000 "$PSK"
ctl a link show evpn0

step "ping, IPv6 ping, arping across the overlay"
nsx a ping -c 3 -i 0.2 -W 2 10.77.0.2
nsx a ping -6 -c 3 -i 0.2 -W 2 fd77::2
nsx a arping -c 2 -w 3 -I evpn0 10.77.0.2 | tee /tmp/kdp-arping
grep -q 'Received 2 response' /tmp/kdp-arping || fail "arping: expected 2 replies"

step "counters: per link (genetlink) and ip -s link"
ctl a link show evpn0 | tee /tmp/kdp-link
rxp=$(sed -n 's/.*rx \([0-9]*\) packets.*/\1/p' /tmp/kdp-link)
[ "$rxp" -ge 6 ] || fail "link rx packets $rxp < 6"
nsx b ip -s -j link show evpn0 | python3 -c '
import json, sys
s = json.load(sys.stdin)[0]["stats64"]
assert s["rx"]["packets"] >= 6 and s["tx"]["packets"] >= 6, s
print("ip -s link: rx", s["rx"]["packets"], "tx", s["tx"]["packets"])'

step "TCP through the transmit queues, then sealed inline (tx_spread=0: single-CPU machines)"
SPREADS="1 0"
if [ ! -w /sys/module/evpn/parameters/tx_spread ]; then
	echo "   production build: tx_spread=0 part skipped (make kmod-debug)"
	SPREADS=1
fi
nsx b iperf3 -s -B 10.77.0.2 -1 -D
for spread in $SPREADS; do
	[ "$spread" = 1 ] || echo 0 >/sys/module/evpn/parameters/tx_spread
	sleep 0.5
	[ "$spread" = 1 ] || nsx b iperf3 -s -B 10.77.0.2 -1 -D
	sleep 0.5
	nsx a iperf3 -c 10.77.0.2 -t 2 -J >/tmp/kdp-iperf || fail "iperf3 with tx_spread=$spread"
	python3 -c '
import json, sys
e = json.load(open("/tmp/kdp-iperf"))["end"]
mb = e["sum_received"]["bytes"] / 1e6
print("tx_spread=%s: %.1f MB received, %d retransmits" % (sys.argv[1], mb, e["sum_sent"].get("retransmits", 0)))
assert mb > 1, "too little data"' "$spread" || fail "iperf3 result (tx_spread=$spread)"
done
[ "$SPREADS" = 1 ] || echo 1 >/sys/module/evpn/parameters/tx_spread

step "FDB: learned entry, static add/del, errors"
ctl a fdb show evpn0 | tee /tmp/kdp-fdb
grep -q "02:77:00:00:00:02 node $B dynamic" /tmp/kdp-fdb || fail "B's MAC not learned"
ctl a fdb add evpn0 02:99:00:00:00:01 node "$B"
ctl a fdb show evpn0 | grep -q "02:99:00:00:00:01 node $B static" || fail "static entry"
ctl a fdb del evpn0 02:99:00:00:00:01
ctl a fdb show evpn0 | grep -q 02:99:00:00:00:01 && fail "static entry not deleted"
if ctl a fdb add evpn0 01:00:5e:00:00:01 node "$B" 2>/tmp/kdp-err; then fail "group MAC accepted"; fi
grep -q 'kernel: evpn: MAC must be a unicast address' /tmp/kdp-err || fail "no extack for group MAC"
if ctl a fdb del evpn0 02:99:00:00:00:01 2>/tmp/kdp-err; then fail "deleting a missing entry succeeded"; fi
grep -q 'kernel: evpn: no FDB entry' /tmp/kdp-err || fail "no extack for missing entry"

step "link/key refusals carry extack messages"
expect_err() { # expect_err TEXT CMD...
	local want=$1; shift
	if "$@" 2>/tmp/kdp-err; then fail "accepted: $*"; fi
	cat /tmp/kdp-err
	grep -q "$want" /tmp/kdp-err || fail "expected '$want'"
}
expect_err 'a link to this peer exists' ctl a link add evpn0 peer "$B" local 10.1.1.1:5009 remote 10.1.1.2:5000
expect_err "own node ID" ctl a link add evpn0 peer "$A" local 10.1.1.1:5008 remote 10.1.1.2:5000
expect_err 'no link to this peer' ctl a key add evpn0 peer "$X" psk "$PSK"
grep -q 'psk on the command line is visible' /tmp/kdp-err || fail "no warning for a psk on the command line"
echo 0123 > /tmp/kdp-psk
expect_err 'not 64 hex digits' ctl a key add evpn0 peer "$B" slot next psk-file /tmp/kdp-psk
expect_err 'already used by another key' ctl a key add evpn0 peer "$B" slot next tx-id 7 rx-id \
	"$(ctl a link show evpn0 | sed -n 's/.*slot current.*rx-id \([0-9]*\).*/\1/p')" psk "$PSK"
expect_err 'no key in the next slot' ctl a key swap evpn0 peer "$B"
expect_err 'no key in this slot' ctl a key del evpn0 peer "$B" slot next
expect_err 'not a socket' ctl a link add evpn0 peer "$X" sock-fd 0 remote 10.1.1.2:5000
expect_err 'remote address must be a unicast' ctl a link add evpn0 peer "$X" local 10.1.1.1:5007 remote 224.0.0.1:5000
expect_err 'not an evpn device' ctl a key swap lo peer "$X"

step "non-evpn datagrams on the shared socket reach userspace (STUN/DTLS path)"
# Node B's kernel socket is 10.1.1.2:5000, bound by evpnctl which exited;
# only the kernel holds it. A STUN-looking datagram must not be eaten or
# counted as a drop by the kernel: it goes to the socket's receive queue.
before=$(drop_count b not_data)
nsx a "$CRAFT" -t 10.1.1.2:5000 -s "$X" -d "$B" -k "$PSKX" stun
[ "$(drop_count b not_data)" = "$before" ] || fail "STUN counted as a kernel drop"
nsx b cat /proc/net/udp | awk 'NR>1 && $2 ~ /:1388$/ { q=$5; split(q, a, ":"); print "rx_queue", a[2]; if (a[2] == "00000000") exit 1 }' ||
	fail "STUN datagram not queued on the socket for userspace"

step "crafted bad records are dropped and counted"
# Node B gets a link to the crafter X (keys from PSKX), endpoint 10.1.1.1:6000.
ctl b link add evpn0 peer "$X" local 10.1.1.2:5001 remote 10.1.1.1:6000
printf '%s\n' "$PSKX" > /tmp/kdp-psk
ctl b key add evpn0 peer "$X" psk-file /tmp/kdp-psk
craft() { nsx a "$CRAFT" -t 10.1.1.2:5001 -b 10.1.1.1:6000 -s "$X" -d "$B" -k "$PSKX" "$@"; }
expect_drop() { # expect_drop REASON CASE [OPTS...]
	local r=$1 before after; shift
	before=$(drop_count b "$r")
	craft "$@"
	sleep 0.2
	after=$(drop_count b "$r")
	echo "   $* -> $r $before -> $after"
	[ "$after" -gt "$before" ] || fail "$* not counted as $r"
}
expect_drop truncated truncated
expect_drop bad_version version
expect_drop bad_header reserved
expect_drop bad_header zero-key
expect_drop unknown_key unknown-key
expect_drop auth tag
expect_drop ttl ttl0
expect_drop ttl -T 65 valid	# above the cap (EVPN_TTL_MAX 64)
expect_drop oversize oversize
expect_drop not_for_us wrong-dst
expect_drop replay -n 3 valid
rx_before=$(ctl b link show evpn0 | awk '/^link 0c/ { f=1 } f && /rx/ { print $2; exit }')
craft valid
sleep 0.2
rx_after=$(ctl b link show evpn0 | awk '/^link 0c/ { f=1 } f && /rx/ { print $2; exit }')
[ "$rx_after" -gt "$rx_before" ] || fail "a valid crafted record was not received"

step "endpoint roaming: event on the events group, link follows"
ctl b events > /tmp/kdp-events &
KDP_PIDS="$KDP_PIDS $!"
sleep 0.5
nsx a "$CRAFT" -t 10.1.1.2:5001 -b 10.1.1.1:6001 -s "$X" -d "$B" -k "$PSKX" valid
sleep 0.5
cat /tmp/kdp-events
grep -q "event endpoint_changed dev evpn0 peer $X remote 10.1.1.1:6001" /tmp/kdp-events ||
	fail "no endpoint_changed event"
ctl b link show evpn0 | grep -A1 "^link $X" | grep -q 'remote 10.1.1.1:6001' || fail "link did not follow"
ctl b link set evpn0 peer "$X" remote 10.1.1.1:6000
ctl b link show evpn0 | grep -A1 "^link $X" | grep -q 'remote 10.1.1.1:6000' || fail "link set"

step "unreachable peer: tx_error drop and a peer_unreachable event"
Y=0d000000000000000000000000000004
ctl b link add evpn0 peer "$Y" local 10.1.1.2:5003 remote 10.99.0.1:5000	# no route there
ctl b key add evpn0 peer "$Y" psk "$PSKX"
ctl b fdb add evpn0 02:99:00:00:00:04 node "$Y"
nsx b ip neigh add 10.77.0.4 lladdr 02:99:00:00:00:04 dev evpn0
before=$(drop_count b tx_error)
nsx b ping -c 2 -i 0.2 -W 1 10.77.0.4 >/dev/null 2>&1 || true
sleep 0.3
[ "$(drop_count b tx_error)" -gt "$before" ] || fail "unroutable send not counted as tx_error"
grep -q "event peer_unreachable dev evpn0 peer $Y errno 101" /tmp/kdp-events || { cat /tmp/kdp-events; fail "no peer_unreachable event"; }
ctl b link del evpn0 peer "$Y"

step "rekey: next slot, swap, delete the old key; traffic continues"
ctl a key add evpn0 peer "$B" slot next tx-id 1001 rx-id 2002 keymat "$(printf '%0176d' 7)"
ctl b key add evpn0 peer "$A" slot next tx-id 2002 rx-id 1001 keymat "$(printf '%0176d' 7)"
ctl a key swap evpn0 peer "$B"
ctl b key swap evpn0 peer "$A"
nsx a ping -c 2 -i 0.2 -W 2 10.77.0.2
ctl a link show evpn0 | grep -q 'slot current: suite aes-gcm tx-id 1001 rx-id 2002' || fail "swap"
ctl a key del evpn0 peer "$B" slot next
ctl b key del evpn0 peer "$A" slot next
nsx a ping -c 2 -i 0.2 -W 2 10.77.0.2

step "link delete gives the socket back"
ctl b link del evpn0 peer "$X"
ctl b link show evpn0 | grep -q "^link $X" && fail "link still there"
# The port is free of the kernel's hook: a plain userspace socket can be
# bound there again once the kernel's reference is gone.
nsx b python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.1.1.2", 5001)); print("rebound 5001")'

step "no link, no key: frames dropped as no_link"
ctl a key del evpn0 peer "$B" slot current
before=$(drop_count a no_link)
nsx a ping -c 1 -W 1 10.77.0.2 >/dev/null 2>&1 || true
[ "$(drop_count a no_link)" -gt "$before" ] || fail "no_link not counted"

step "teardown: delete devices with links, unload"
nsx a ip link del evpn0
ip netns del kdp-b
KDP_NODES=a
sleep 1
rmmod evpn
kdp_dmesg_clean
echo "PASS test_kdp_basic"
