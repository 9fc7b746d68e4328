#!/bin/bash
# evpn.ko: junk never reaches the receive queues (security review L2; run:
# tests/vm/run.sh tests/vm/test_kdp_junk.sh). Records are opened on another
# CPU through per-cpu queues; a datagram whose header does not decode or
# whose key ID names no key of the device is dropped before it takes a
# queue slot (as WireGuard looks up the receiver index first), counted as
# unknown_key / its header reason. The debug build's read-only parameter
# rx_queued counts queued records: 500 crafted unknown-key records and 200
# with a bad header leave it (nearly: stray IPv6 control traffic of the
# link itself may be queued) unchanged, while valid pings are queued.
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
trap kdp_cleanup EXIT

A=0a000000000000000000000000000001
B=0b000000000000000000000000000002
X=0c000000000000000000000000000003
PSK=$(printf '%064x' 0x7e57)
Q=/sys/module/evpn/parameters/rx_queued

[ "$(nproc)" -ge 2 ] || { echo "SKIP: one CPU: records are opened inline, nothing is queued"; exit 77; }
kdp_load_debug
[ -r $Q ] || fail "no rx_queued parameter in the debug build"
kdp_node a "$A" 1
kdp_node b "$B" 2
kdp_wire a b 10.1.1
kdp_link a "$A" 10.1.1.1:5000 b "$B" 10.1.1.2:5000 "$PSK"
nsx a ping -c 3 -i 0.2 -W 2 10.77.0.2 >/dev/null || fail "no link"

step "junk: 500 unknown-key and 200 bad-header records"
q0=$(cat $Q); u0=$(drop_count b unknown_key); h0=$(drop_count b bad_header)
craft() { nsx a "$CRAFT" -t 10.1.1.2:5000 -b 10.1.1.1:6000 -s "$X" -d "$B" -k "$PSK" "$@"; }
craft -n 500 unknown-key
craft -n 200 reserved
junk_counted() { [ $(($(drop_count b unknown_key) - u0)) -ge 500 ] && [ $(($(drop_count b bad_header) - h0)) -ge 200 ]; }
kdp_wait_for 10 junk_counted || fail "junk not all counted: unknown_key +$(($(drop_count b unknown_key) - u0)), bad_header +$(($(drop_count b bad_header) - h0))"
q1=$(cat $Q)
echo "   queued during the junk: $((q1 - q0)) (700 junk records sent)"
[ $((q1 - q0)) -le 20 ] || fail "junk was queued: rx_queued +$((q1 - q0))"

step "valid records are queued (the counter works)"
nsx a ping -c 50 -i 0.02 -W 2 10.77.0.2 >/dev/null || fail "ping after the junk"
q2=$(cat $Q)
echo "   queued for 50 pings: $((q2 - q1))"
[ $((q2 - q1)) -ge 50 ] || fail "valid records not queued (rx_queued +$((q2 - q1)))"

step "teardown"
kdp_teardown a b
echo "PASS test_kdp_junk"
