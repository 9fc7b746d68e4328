#!/bin/bash
# evpn.ko per-link flood rate limit (issue 11 item 6, review M2; run:
# tests/vm/run.sh tests/vm/test_kdp_floodrate.sh). The debug build's
# flood_rate parameter lowers the limit to 40 records/s (burst 10); the
# crafter X, linked to B, sends a burst of 400 distinct authenticated flood
# records: past the burst they are dropped before delivery and counted as
# flood_rate (device and link); unicast is not limited; after a pause
# floods pass again. Also: DEV_GET reports the FDB's refused-learn counters
# (evpnctl show --json: fdb_refused_full, fdb_refused_quota).
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
trap kdp_cleanup EXIT

A=0a000000000000000000000000000001
B=0b000000000000000000000000000002
X=0c000000000000000000000000000003
PSK=$(printf '%064x' 0xf100d)
P=/sys/module/evpn/parameters

kdp_load_debug
[ -w $P/flood_rate ] || fail "no flood_rate parameter in the debug build"
echo 40 > $P/flood_rate
kdp_node a "$A" 1
kdp_node b "$B" 2
kdp_wire a b 10.1.1
ctl b link add evpn0 peer "$X" local 10.1.1.2:5001 remote 10.1.1.1:6000
printf '%s\n' "$PSK" > /tmp/kdp-psk-fr
ctl b key add evpn0 peer "$X" psk-file /tmp/kdp-psk-fr
craft() { nsx a "$CRAFT" -t 10.1.1.2:5001 -b 10.1.1.1:6000 -s "$X" -d "$B" -k "$PSK" "$@"; }
dev() { ctl b show evpn0 --json | python3 -c 'import json,sys; d=json.load(sys.stdin)["interfaces"][0]; print(eval(sys.argv[1]))' "$1"; }

step "DEV_GET reports the FDB's refused learns"
[ "$(dev 'd["fdb_refused_full"] + d["fdb_refused_quota"]')" = 0 ] || fail "no fdb_refused counters"

N=$(( $(date +%s) * 1000000000 ))
step "200 unicast records: all delivered"
delivered_ge() { [ $(( $(dev 'd["rx_packets"]') - $2 )) -ge "$1" ]; }
r0=$(dev 'd["rx_packets"]')
craft -c $N -N 200 valid
kdp_wait_for 10 delivered_ge 200 "$r0" || true
r1=$(dev 'd["rx_packets"]')
[ $((r1 - r0)) -eq 200 ] || fail "unicast: $((r1 - r0)) of 200 delivered"
[ "$(drop_count b flood_rate)" = 0 ] || fail "unicast counted as flood_rate"

step "400 flood records: limited to the burst (+ the rate)"
craft -c $((N + 1000)) -N 400 flood
handled() { [ $(( $(dev 'd["rx_packets"]') - r1 + $(drop_count b flood_rate) )) -ge 400 ]; }
kdp_wait_for 10 handled || fail "burst not handled"
d=$(drop_count b flood_rate); r2=$(dev 'd["rx_packets"]')
echo "   400 floods: $((r2 - r1)) delivered, $d dropped as flood_rate"
[ "$d" -ge 200 ] || fail "too few flood_rate drops ($d)"
[ $((r2 - r1)) -ge 10 ] || fail "burst allowance not delivered ($((r2 - r1)))"
ctl b link show evpn0 | grep -q "drop flood_rate: $d" || { ctl b link show evpn0; fail "link does not count flood_rate"; }

step "after a pause floods pass again"
sleep 1
craft -c $((N + 2000)) -N 5 flood
kdp_wait_for 5 delivered_ge 5 "$r2" || fail "floods refused after the bucket refilled"


echo 2000 > $P/flood_rate
step "teardown"
kdp_teardown a b
echo "PASS test_kdp_floodrate"
