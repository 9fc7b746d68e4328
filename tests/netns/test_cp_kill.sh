#!/bin/bash
# kill -9 one node: the other must notice the dead link within 10 s (its
# own keepalive timeout, whatever the XMPP server says); restart it with the
# same state: the link comes back and carries traffic.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

ns_init
cp_pair ei ei
cp_start a
cp_start b
ns_wait_for 10 cp_ping a b || ns_fail "no overlay ping a -> b"

a_has_link() { [ "$(cp_get a 'len(j["links"])')" != 0 ]; }
a_no_link() { ! a_has_link; }

kill -9 "${CP_PID[b]}"
t0=$(cp_now)
ns_wait_for 12 a_no_link || ns_fail "a still has a link to b 12 s after kill -9"
t=$(cp_elapsed "$t0")
ns_log "dead link removed after ${t}s"
# 10 s on an idle machine; a loaded one (slow timers, slow polling of
# `show`) gets the load factor (tests/lib/slowdown.sh) on top
limit=$(test_scale 10)
awk -v t="$t" -v l="$limit" 'BEGIN { exit !(t <= l) }' ||
	ns_fail "dead link noticed after ${t}s (> ${limit} s: 10 s times load factor $(test_slowdown))"
grep -qE "link to ${CP_ID[b]} (down|failed)" "$NS_DIR/evpnd-a.log" || ns_fail "no teardown logged"

t1=$(cp_now)
cp_start b
ns_wait_for 15 cp_ping a b || ns_fail "link did not come back after restart"
ns_log "link back $(cp_elapsed "$t1")s after restarting b"
ns_wait_for 5 cp_link_up a b || ns_fail "a: link to b not up"
cp_check_logs
echo "PASS: dead peer noticed in ${t}s, link restored after restart"
