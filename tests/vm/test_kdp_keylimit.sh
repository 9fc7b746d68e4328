#!/bin/bash
# evpn.ko key packet limits (run: tests/vm/run.sh tests/vm/test_kdp_keylimit.sh):
# a (non-static) key asks for a rekey at the soft limit (one KEY_SOFT_LIMIT
# event, traffic goes on) and is no longer used from the hard limit
# (KEY_EXPIRED drops, one KEY_HARD_LIMIT event); a new key restores traffic.
# The protocol's limits are 2^24 / 2^25 records; the module parameters
# rekey_after_packets / reject_after_packets lower them (they cannot raise
# them) so the test reaches them with a few hundred records. Those exist
# only in the debug build (make kmod-debug); without it the test skips.
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
trap kdp_cleanup EXIT

A=0a000000000000000000000000000001
B=0b000000000000000000000000000002
KM=$(printf '%0176x' 0x5eed)
KM2=$(printf '%0176x' 0x5eed2)
P=/sys/module/evpn/parameters

kdp_load_debug
step "limits lowered to 100 / 200 records"
echo 100 > $P/rekey_after_packets
echo 200 > $P/reject_after_packets
kdp_node a "$A" 1
kdp_node b "$B" 2
kdp_wire a b 10.1.1
ctl a link add evpn0 peer "$B" local 10.1.1.1:5000 remote 10.1.1.2:5000
ctl b link add evpn0 peer "$A" local 10.1.1.2:5000 remote 10.1.1.1:5000
ctl a key add evpn0 peer "$B" tx-id 11 rx-id 22 keymat "$KM"
ctl b key add evpn0 peer "$A" tx-id 22 rx-id 11 keymat "$KM"
ctl a link show evpn0
ctl a events > /tmp/kdp-ev-a &
KDP_PIDS="$KDP_PIDS $!"
sleep 0.5

step "below the soft limit: no event"
nsx a ping -c 20 -i 0.02 -W 2 10.77.0.2 >/dev/null
grep -q key_soft_limit /tmp/kdp-ev-a && fail "soft-limit event below the limit"

step "past the soft limit: one KEY_SOFT_LIMIT event, traffic goes on"
nsx a ping -c 100 -i 0.02 -W 2 10.77.0.2 | tail -2
grep -c key_soft_limit /tmp/kdp-ev-a | grep -qx 1 || { cat /tmp/kdp-ev-a; fail "expected one soft-limit event"; }
grep -q "event key_soft_limit dev evpn0 peer $B" /tmp/kdp-ev-a || fail "soft-limit event names the wrong peer"
[ "$(drop_count a key_expired)" = 0 ] || fail "key expired before its hard limit"

step "past the hard limit: the key is no longer used"
nsx a ping -c 120 -i 0.02 -W 1 10.77.0.2 >/dev/null || true
sleep 0.5
cat /tmp/kdp-ev-a
grep -c key_hard_limit /tmp/kdp-ev-a | grep -qx 1 || fail "expected one hard-limit event"
ka=$(drop_count a key_expired)
echo "   key_expired drops on A: $ka"
[ "$ka" -gt 0 ] || fail "no key_expired drops at the hard limit"
nsx a ping -c 2 -i 0.2 -W 1 10.77.0.2 >/dev/null && fail "ping still works with an expired key"

step "a new key restores traffic"
ctl a key add evpn0 peer "$B" tx-id 33 rx-id 44 keymat "$KM2"
ctl b key add evpn0 peer "$A" tx-id 44 rx-id 33 keymat "$KM2"
nsx a ping -c 3 -i 0.2 -W 2 10.77.0.2

echo 16777216 > $P/rekey_after_packets
echo 33554432 > $P/reject_after_packets

step "teardown"
kdp_teardown a b
echo "PASS test_kdp_keylimit"
