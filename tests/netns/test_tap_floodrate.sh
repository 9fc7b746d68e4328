#!/usr/bin/env bash
# Per-link flood rate limit in evpnd's TAP datapath (issue 11 item 6,
# review M2; core/ratelimit.h). Node T runs evpnd with `flood-rate = 40`
# (burst 10); tools/evpn-craft plays its linked peer M and sends a burst of
# 400 distinct, authenticated flood records. Past the burst they are
# dropped and counted as flood_rate (device and link), before delivery,
# learning or relaying: far fewer than 400 reach T's TAP. Unicast is not
# limited (200 valid unicasts all delivered), and once the bucket refills
# floods pass again.
. "$(dirname "$0")/tap_common.sh"

tap_init evfr
for t in socat python3; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done
[ -x "$EVPNCRAFT" ] || { echo "SKIP: $EVPNCRAFT not built"; exit 77; }

tap_lan
tap_node T 7a000000000000000000000000000001 10.79.0.1
tap_node M 7b000000000000000000000000000002 10.79.0.2
sed -i 's/^\[interface\]$/[interface]\nflood-rate = 40/' "$TAP_TMP/T/evpnd.conf"
printf '\n[link M]\npeer = %s\nendpoint = 10.79.0.2:5170\npsk = %s\n' \
	"${NODE_ID[M]}" "$PSK" >> "$TAP_TMP/T/evpnd.conf"
tap_start T
TAP_NODES=(T)
tap_nsx T ip link set tapT up

craft() {	# craft CASE [evpn-craft options]
	local c=$1; shift
	tap_nsx M "$EVPNCRAFT" -t 10.79.0.1:5170 -b 10.79.0.2:5170 \
		-s "${NODE_ID[M]}" -d "${NODE_ID[T]}" -k "$PSK" "$@" "$c" ||
		tap_fail "evpn-craft $c"
}
handled() {	# handled N T0 D0: N records delivered or dropped as flood_rate
	tap_true T "j['tap_tx_packets'] - $2 + j['drops']['flood_rate'] - $3 >= $1"
}
link_drops() { tap_get T '[l for l in j["links"] if l["name"] == "M"][0]["drops"]["flood_rate"]'; }

N=$(( $(date +%s) * 1000000000 ))
t0=$(tap_get T 'j["tap_tx_packets"]')
craft valid -c $N -N 200
ns_wait_for 10 tap_true T "j['tap_tx_packets'] - $t0 >= 200" || tap_fail "200 unicasts not all delivered"
[ "$(tap_get T 'j["drops"]["flood_rate"]')" = 0 ] || tap_fail "unicast counted as flood_rate"
tap_ok "200 unicast records delivered, none limited"

t0=$(tap_get T 'j["tap_tx_packets"]')
craft flood -c $((N + 1000)) -N 400
ns_wait_for 10 handled 400 "$t0" 0 || tap_fail "burst not handled"
d=$(tap_get T 'j["drops"]["flood_rate"]')
t1=$(tap_get T 'j["tap_tx_packets"]')
echo "   400 floods: $((t1 - t0)) delivered, $d dropped as flood_rate"
[ "$d" -ge 200 ] || tap_fail "too few flood_rate drops ($d of 400)"
[ $((t1 - t0)) -ge 10 ] || tap_fail "the burst allowance was not delivered ($((t1 - t0)))"
[ "$(link_drops)" = "$d" ] || tap_fail "link M's flood_rate count $(link_drops) != device's $d"
tap_alive T || tap_fail "evpnd died"
tap_ok "a flood burst is rate-limited and counted (flood_rate, per link)"

sleep "$(test_scale 1)"
t0=$(tap_get T 'j["tap_tx_packets"]')
craft flood -c $((N + 2000)) -N 5
ns_wait_for 5 tap_true T "j['tap_tx_packets'] - $t0 >= 5" || tap_fail "floods still refused after the bucket refilled"
tap_ok "floods pass again once the bucket refilled"
tap_check_logs
echo "PASS: per-link flood rate limit (TAP datapath)"
