#!/bin/bash
# evpn.ko and unproven origins (run: tests/vm/run.sh tests/vm/test_kdp_origin.sh;
# docs/protocol.md 14.3, 14.6). Kernel nodes A and B linked; the crafter X
# holds a link to B. X's unicast claiming another node (src Z) is a
# relayed 0xE1 -- which no honest node sends any more (relayed unicast is
# 0xE3) -- and dropped as bad_src by B, whether for B or to be forwarded to
# A, which never sees it. X's floods claiming Z are relayed records: B
# learns from them only tentatively, so A's MAC, proven by the A-B link,
# never moves. An end-to-end record (0xE3) for A is carried by B unopened
# and dropped by A as e2e_no_key (no pair key with Z); one for B itself is
# dropped the same way. (tests/vm/test_kdp_e2e.sh: genuine ones.)
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
trap kdp_cleanup EXIT
command -v tcpdump >/dev/null || { echo "SKIP: tcpdump missing"; exit 77; }

A=0a000000000000000000000000000001
B=0b000000000000000000000000000002
X=0c000000000000000000000000000003	# the packet crafter's node ID
Z=0e000000000000000000000000000005	# nobody
PSK=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
PSKX=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100
MA=02:77:00:00:00:01

modprobe evpn
step "nodes A and B, one link; the crafter X linked to B"
kdp_node a "$A" 1
kdp_node b "$B" 2
kdp_wire a b 10.1.1
kdp_link a "$A" 10.1.1.1:5000 b "$B" 10.1.1.2:5000 "$PSK"
ctl b link add evpn0 peer "$X" local 10.1.1.2:5001 remote 10.1.1.1:6000
echo "$PSKX" | ctl b key add evpn0 peer "$X" psk-file -
craft() { nsx a "$CRAFT" -t 10.1.1.2:5001 -b 10.1.1.1:6000 -s "$X" -d "$B" -k "$PSKX" "$@"; }
a_is_a() { ctl b fdb show evpn0 | grep -q "$MA node $A dynamic"; }

nsx a ping -c 2 -i 0.2 -W 2 10.77.0.2 >/dev/null || fail "ping A -> B"
a_is_a || fail "B did not learn A's MAC"

step "relayed 0xE1 (src not the link's peer): bad_src at B, for B or for A"
ip netns exec kdp-a tcpdump -n -U -i evpn0 -w /tmp/kdp-origin-a.pcap ether src 02:55:00:00:00:07 2>/dev/null &
tdp=$!
sleep 1
bs=$(drop_count b bad_src)
craft -F "$Z" -m "$MA" -M 02:77:00:00:00:02 valid
craft -F "$Z" -m 02:55:00:00:00:07 -M "$MA" -D "$A" wrong-dst
craft -F "$A" -m 02:55:00:00:00:07 -M "$MA" -D "$A" wrong-dst
bs_ok() { [ "$(drop_count b bad_src)" -ge $((bs + 3)) ]; }
kdp_wait_for 5 bs_ok || fail "B did not count 3 bad_src drops ($bs -> $(drop_count b bad_src))"
sleep 0.5
kill "$tdp"; wait "$tdp" 2>/dev/null || true
[ "$(tcpdump -n -r /tmp/kdp-origin-a.pcap 2>/dev/null | wc -l)" = 0 ] ||
	fail "A's evpn0 got a forged relayed unicast"
rm -f /tmp/kdp-origin-a.pcap
ctl b fdb show evpn0 | grep -q 02:55:00:00:00:07 && fail "B learned from a bad_src record"

step "relayed claims on A's MAC do not move it"
craft -F "$Z" -m "$MA" flood
sleep 0.5
ctl b fdb show evpn0
a_is_a || fail "a relayed record moved A's proven MAC"
craft -F "$Z" -m 02:55:00:00:00:05 flood
sleep 0.3
ctl b fdb show evpn0 | grep -q "02:55:00:00:00:05 node $Z" || fail "a new MAC from a relayed flood was not learned"
craft -m 02:55:00:00:00:05 -M 02:77:00:00:00:02 valid	# X itself: proven
sleep 0.3
ctl b fdb show evpn0 | grep -q "02:55:00:00:00:05 node $X" || fail "a proven frame did not override the tentative entry"

step "0xE3: carried unopened through B, dropped at its destination"
na=$(drop_count a e2e_no_key) nb=$(drop_count b e2e_no_key)
craft -F "$Z" -D "$A" -m 02:55:00:00:00:06 e2e
craft -F "$Z" -m 02:55:00:00:00:06 e2e
sleep 0.5
[ "$(drop_count a e2e_no_key)" -gt "$na" ] || fail "A did not get (and drop) the e2e record through B"
[ "$(drop_count b e2e_no_key)" -gt "$nb" ] || fail "B did not drop the e2e record for itself"
ctl b fdb show evpn0 | grep -q 02:55:00:00:00:06 && fail "learned from an unopened e2e record"
ctl a fdb show evpn0 | grep -q 02:55:00:00:00:06 && fail "learned from an unopened e2e record"

kdp_teardown a b
echo PASS
