#!/bin/bash
# The XMPP server goes away for 30 s while traffic flows: the data plane must
# keep carrying it (links live on their own keepalives and in-band rekeys);
# when the server returns the nodes rejoin, and a new node links with both.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

ns_init
D=$XMPP_DOMAIN
CP_MEMBERS="a@$D b@$D c@$D"
cp_world ei ei
cp_node_behind c r3 ei 10.99.0.3 192.168.3
for u in a b c; do prosody_adduser "$u@$D" "pw-$u"; done
CP_EXTRA_CONF="rekey-seconds = 10"	# rekeys must work without XMPP too
cp_conf a 0000000000000000000000000000000a
cp_conf b 0000000000000000000000000000000b
cp_conf c 0000000000000000000000000000000c
cp_start a
cp_start b
ns_wait_for 10 cp_ping a b || ns_fail "no overlay ping a -> b"

online() { [ "$(cp_get "$1" 'j["overlays"][0]["xmpp"]')" = online ]; }
offline() { ! online "$1"; }

# 5 pings/s for the whole outage
ns_bg a ping.log ping -i 0.2 -c 200 -W 1 "${CP_OVIP[b]}" >/dev/null
ping_pid=$NS_LAST_PID
gen0=$(cp_link a b epoch)
ns_kill "$PROSODY_PID"
ns_wait_for 15 offline a || ns_fail "a did not notice the server going away"
ns_log "XMPP server stopped; a is $(cp_get a 'j["overlays"][0]["xmpp"]')"
sleep 30
cp_link_up a b || ns_fail "link a-b lost during the outage"
gen1=$(cp_link a b epoch)
ns_log "key generation $gen0 -> $gen1 during the outage"
[ "$gen1" -gt "$gen0" ] || ns_fail "no rekey during the outage"

t0=$(cp_now)
cp_prosody_launch pub 10.99.0.10
ns_wait_for 20 online a || ns_fail "a did not rejoin"
ns_wait_for 20 online b || ns_fail "b did not rejoin"
ns_log "both rejoined $(cp_elapsed "$t0")s after the server came back"
wait "$ping_pid" 2>/dev/null || true
ns_wait_for 45 sh -c "! kill -0 $ping_pid 2>/dev/null" || true
loss=$(grep -o '[0-9.]*% packet loss' "$NS_DIR/ping.log" || echo "?")
ns_log "ping a -> b across the outage: $loss"
case "$loss" in 0%*) ;; *) ns_fail "traffic lost during the outage: $loss" ;; esac

cp_start c
ns_wait_for 15 cp_ping c a || ns_fail "new node c cannot reach a"
ns_wait_for 15 cp_ping c b || ns_fail "new node c cannot reach b"
cp_check_logs
echo "PASS: data plane survived a 30 s XMPP outage; rejoin and new links work"
