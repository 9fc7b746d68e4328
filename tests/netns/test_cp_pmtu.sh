#!/bin/bash
# In-band path MTU discovery per link (DPLPMTUD-like, docs/protocol.md
# 10.4): two nodes behind NATs (ICE, DTLS, TAP datapath). On a 1500-byte
# path each link's record size is probed up to 1472 (IPv4, UDP, no TURN).
# Then a's router gets a 1400-byte WAN link and drops the ICMP "fragmentation
# needed" it would send (an ICMP black hole): records of 1448 bytes -- every
# full-size TCP segment -- vanish. Probing notices within a confirmation
# period, the record size drops to what the path carries (<= 1372 from a),
# and TCP at MTU 1500 works again, its segments split into two records.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

ns_init
command -v iperf3 >/dev/null || ns_skip "iperf3 missing"
CP_MEMBERS="a@$XMPP_DOMAIN b@$XMPP_DOMAIN"
cp_world ei ei
prosody_adduser "a@$XMPP_DOMAIN" pw-a
prosody_adduser "b@$XMPP_DOMAIN" pw-b
cp_conf a 0000000000000000000000000000000a
cp_conf b 0000000000000000000000000000000b
cp_start a
cp_start b
ns_wait_for 15 cp_ping a b || ns_fail "no overlay ping a -> b"
ns_wait_for 5 cp_link_up a b || ns_fail "a does not report the link up"

pm() { cp_link "$1" "$2" pmtu; }
rec() { cp_link "$1" "$2" record_max; }
pm_is() { [ "$(pm "$1" "$2")" = "$3" ] && [ "$(rec "$1" "$2")" = "$3" ]; }
pm_le() { local v; v=$(pm "$1" "$2"); [ -n "$v" ] && [ "$v" -le "$3" ] && [ "$v" -ge 1228 ] &&
	[ "$(rec "$1" "$2")" = "$v" ]; }

# --- a clean 1500-byte path: probed up to 1472 both ways ---
ns_wait_for 20 pm_is a b 1472 || ns_fail "a's record size $(pm a b) / $(rec a b), not 1472"
ns_wait_for 20 pm_is b a 1472 || ns_fail "b's record size $(pm b a), not 1472"
ns_log "record size probed to 1472 on both sides ($(cp_get a 'j["overlays"][0]["pmtu_probes"]') probes from a)"
ns_exec a ping -M do -s 1472 -c 2 -i 0.2 -W 3 "${CP_OVIP[b]}" >/dev/null ||
	ns_fail "ping -M do -s 1472 over the overlay"

# --- the path shrinks, and ICMP is blocked: a black hole for big records ---
ns_exec r1 ip link set eth0 mtu 1400
ns_exec r1 nft -f - <<'EOF'
table inet pmtu_blackhole {
	chain out {
		type filter hook output priority 0;
		icmp type destination-unreachable drop
	}
}
EOF
ns_log "r1's WAN MTU now 1400, its ICMP errors dropped"
# within a confirmation period (10 s) + 3 lost probes + the search
ns_wait_for 40 pm_le a b 1372 || ns_fail "a's record size still $(pm a b) (want <= 1372)"
ns_wait_for 20 pm_le b a 1376 || ns_fail "b's record size still $(pm b a) (want <= 1376)"
ns_log "record sizes now a->b $(pm a b), b->a $(pm b a)"

# full-size TCP segments (1448-byte records before) get through again
ns_bg b iperf3-server.log iperf3 -s -B "${CP_OVIP[b]}" -1 >/dev/null
ns_wait_for 3 ns_listening b tcp "${CP_OVIP[b]}" 5201 || ns_fail "iperf3 -s"
ns_exec a timeout 30 iperf3 -c "${CP_OVIP[b]}" -t 3 >"$NS_DIR/iperf3.log" 2>&1 ||
	{ cat "$NS_DIR/iperf3.log"; ns_fail "iperf3 over the shrunk path"; }
ns_log "iperf3 a -> b over the 1400-byte path: $(awk '/receiver/ { print $7, $8 }' "$NS_DIR/iperf3.log")"
ns_exec a ping -M do -s 1472 -c 2 -i 0.2 -W 3 "${CP_OVIP[b]}" >/dev/null ||
	ns_fail "ping -M do -s 1472 over the shrunk path"
cp_check_logs
cp_stop_clean a
echo "PASS: path MTU probed, black hole detected, record size adapted"
