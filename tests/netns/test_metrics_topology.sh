#!/bin/bash
# Metrics and picture (issue 14 item 7). Five members on one LAN with a
# prosody server, linked as a bare ring (Symphony with no long links:
# a-b-c-d-e-a by node ID). Node a exposes [metrics] on 127.0.0.1:9474:
# the scrape is parsed by the Prometheus text parser (Debian's
# python3-prometheus-client; metrics_check.py) and must hold the device,
# per-link (labelled by link and peer) and overlay families with live
# values; a connection that sends nothing does not block the next scrape.
# `evpnctl topology --format svg` on a is rendered by graphviz and must be
# an SVG with all five nodes (c and d known only from the neighbours'
# link lists), a's two links and the two its neighbours reported.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

ns_init
ns_require dot socat ss
/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null ||
	ns_skip "python3-prometheus-client missing (scripts/deps.sh)"
EVPNCTL=$(ns_bin evpnctl) || ns_skip "evpnctl not built"
D=$XMPP_DOMAIN
CP_MEMBERS="a@$D b@$D c@$D d@$D e@$D"
cp_server
i=1
for n in a b c d e; do
	ns_host $n
	ns_switch_port inet $n eth0 "10.99.0.$((20 + i))/24"
	prosody_adduser "$n@$D" "pw-$n"
	i=$((i + 1))
done
CP_NO_STUN=1
ring='symphony-k = 0
symphony-short = 1'
CP_EXTRA_CONF="$ring
[metrics]
listen = 127.0.0.1:9474" cp_conf a 10000000000000000000000000000000
CP_EXTRA_CONF=$ring cp_conf b 30000000000000000000000000000000
CP_EXTRA_CONF=$ring cp_conf c 50000000000000000000000000000000
CP_EXTRA_CONF=$ring cp_conf d 70000000000000000000000000000000
CP_EXTRA_CONF=$ring cp_conf e 90000000000000000000000000000000
for n in a b c d e; do cp_start $n; done

for n in b c d e; do
	ns_wait_for 30 cp_ping a $n || ns_fail "a cannot ping $n"
done
ns_wait_for 10 cp_link_up a b || ns_fail "a-b not up"
ns_wait_for 10 cp_link_up a e || ns_fail "a-e not up"
# the neighbours' link lists reached a (b's: a, c; e's: d, a)
nbrs_known() { cp_true a 'all(l.get("peer_links", -1) == 2 for l in j["links"])'; }
ns_wait_for 10 nbrs_known || ns_fail "a has not got its neighbours' link lists"
[ "$(cp_get a 'len(j["links"])')" = 2 ] || ns_fail "a has $(cp_get a 'len(j["links"])') links, want 2 (ring)"

# --- metrics ---
# a client that connects and says nothing must not hold up the others
ns_exec a bash -c 'exec 3<>/dev/tcp/127.0.0.1/9474; sleep 30' &
idle=$!
echo $idle >>"$NS_DIR/pids"
idle_connected() { ns_exec a ss -Htn state established "dport = :9474" | grep -q .; }
ns_wait_for 5 idle_connected || ns_fail "idle client did not connect"
ns_exec a /usr/bin/python3 "$EVPN_ROOT/tests/netns/metrics_check.py" \
	http://127.0.0.1:9474/metrics "${CP_ID[a]}" "${CP_ID[b]}" "${CP_ID[e]}" ||
	ns_fail "metrics check failed"
kill $idle 2>/dev/null || true
scrape() { printf 'GET /metrics HTTP/1.0\r\n\r\n' | ns_exec "$1" socat -t 5 - TCP:127.0.0.1:9474; }
scrape a >"$NS_DIR/metrics.txt"
grep -q "^evpn_link_rx_packets_total{link=\"t:[0-9a-f]*\",peer=\"${CP_ID[b]}\"} [1-9]" "$NS_DIR/metrics.txt" ||
	ns_fail "no evpn_link_rx_packets_total for b: $(grep link_rx_packets "$NS_DIR/metrics.txt")"
! scrape b >/dev/null 2>&1 ||
	ns_fail "b (no [metrics]) answers"

# --- topology picture ---
ns_exec a env EVPN_RUN_DIR="$NS_DIR/a/run" "$EVPNCTL" topology evpn0 >"$NS_DIR/topo.dot" ||
	ns_fail "evpnctl topology failed"
ns_exec a env EVPN_RUN_DIR="$NS_DIR/a/run" "$EVPNCTL" topology evpn0 --format svg >"$NS_DIR/topo.svg" ||
	ns_fail "evpnctl topology --format svg failed"
/usr/bin/python3 "$EVPN_ROOT/tests/netns/svg_check.py" "$NS_DIR/topo.svg" 2 2 \
	"${CP_ID[a]}" "${CP_ID[b]}" "${CP_ID[c]}" "${CP_ID[d]}" "${CP_ID[e]}" ||
	{ cat "$NS_DIR/topo.dot" >&2; ns_fail "topology SVG check failed"; }
# the same from the dot text by graphviz directly; ring edges only (no long links)
dot -Tsvg "$NS_DIR/topo.dot" >/dev/null || ns_fail "dot rejects the dot text"
! grep -q 'class="long' "$NS_DIR/topo.dot" || ns_fail "a long link in a bare ring: $(cat "$NS_DIR/topo.dot")"

# all at once (each ASan exit takes a while), then each checked as cp_stop_clean does
for n in a b c d e; do kill -TERM "${CP_PID[$n]}"; done
for n in a b c d e; do
	ns_wait_for 15 sh -c "! kill -0 ${CP_PID[$n]} 2>/dev/null" ||
		ns_fail "evpnd $n did not exit on SIGTERM"
	grep -q 'shutting down' "$NS_DIR/evpnd-$n.log" || ns_fail "evpnd $n: no clean shutdown"
done
cp_check_logs
echo "PASS: metrics parsed by the Prometheus parser; topology SVG with all 5 nodes"
