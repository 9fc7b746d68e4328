#!/bin/bash
# evpn.ko's events drive evpnd's rekeys (run: tests/vm/run.sh
# tests/vm/test_evpnd_kernel_rekey.sh). Two evpnd nodes on the kernel
# datapath behind EI NATs (prosody + coturn, tests/netns/cp_lib.sh) with the
# control plane's own rekey timer at its maximum (270 s): the only reason to
# rekey within the test is the module's KEY_SOFT_LIMIT event (a transmit key
# older than EVPN_REKEY_AFTER_SECONDS: 120 s, which the debug build's
# rekey_after_seconds parameter lowers to 20 s here). Pings run all along;
# the controlling node must log the event, move to epoch 1, and no ping may
# be lost across the swap.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/netns/lib.sh"
. "$ROOT/tests/netns/cp_lib.sh"
CP_EVPND=${CP_EVPND:-$ROOT/build/bin/evpnd}
[ -x "$CP_EVPND" ] || ns_skip "build/bin/evpnd not built"
mkdir -p /dev/net	# cp_lib checks for it (TAP nodes); ours are kernel
[ -c /dev/net/tun ] || mknod /dev/net/tun c 10 200

ns_init
CP_MEMBERS="a@$XMPP_DOMAIN c@$XMPP_DOMAIN"
cp_world ei ei
cp_node_behind c r3 ei 10.99.0.3 192.168.3
prosody_adduser "a@$XMPP_DOMAIN" pw-a
prosody_adduser "c@$XMPP_DOMAIN" pw-c
CP_EXTRA_CONF="rekey-seconds = 270"
cp_conf a 0000000000000000000000000000000a
cp_conf c 0000000000000000000000000000000c
sed -i 's/^datapath = tap/datapath = kernel/' "$NS_DIR/a/evpnd.conf" "$NS_DIR/c/evpnd.conf"
# The debug build (make kmod-debug) has the test-only parameters.
KO_DEBUG=$ROOT/build/kmod-debug/evpn.ko
[ -r "$KO_DEBUG" ] || ns_skip "$KO_DEBUG missing: this test needs rekey_after_seconds (make kmod-debug)"
modprobe evpn	# and what it depends on (udp_tunnel, ...); insmod does not
rmmod evpn
insmod "$KO_DEBUG"
echo 20 > /sys/module/evpn/parameters/rekey_after_seconds
cp_start a
cp_start c
ns_wait_for 30 cp_ping a c || ns_fail "no overlay ping a -> c"
[ "$(cp_link c a kernel_socket)" = true ] || ns_fail "c-a is not on a handed-over socket"
t0=$(cp_now)
ns_log "pinging c -> a every 0.2 s until the module asks for a rekey (~20 s)"
# (not through the ns_exec function: $! must be ping itself for kill -INT)
ip netns exec "$(ns_name c)" ping -i 0.2 -W 1 "${CP_OVIP[a]}" >"$NS_DIR/ping.out" 2>&1 &
PING=$!
ok=0
for _ in $(seq 160); do
	if grep -q 'rekeyed (epoch 1)' "$NS_DIR/evpnd-c.log"; then ok=1; break; fi
	sleep 1
done
sleep 2
kill -INT "$PING"; wait "$PING" 2>/dev/null || true
grep -E 'soft limit|rekeyed' "$NS_DIR/evpnd-c.log" "$NS_DIR/evpnd-a.log" >&2 || true
[ "$ok" = 1 ] || ns_fail "no rekey within 160 s"
grep -q 'reached its soft limit' "$NS_DIR/evpnd-c.log" ||
	ns_fail "c rekeyed without the module's event"
ns_log "rekeyed after $(cp_elapsed "$t0") s: $(tail -n 2 "$NS_DIR/ping.out" | head -n 1)"
tx=$(awk '/packets transmitted/ { print $1 }' "$NS_DIR/ping.out")
rx=$(awk '/packets transmitted/ { print $4 }' "$NS_DIR/ping.out")
[ "$tx" -gt 80 ] || ns_fail "only $tx pings sent"
[ $((tx - rx)) -le 1 ] || ns_fail "$((tx - rx)) of $tx pings lost across the rekey"
[ "$(cp_link c a next_key)" = true ] || ns_log "(old key already retired)"
cp_check_logs
for n in a c; do cp_stop_clean "$n"; done
echo "PASS: evpn.ko's soft-limit event rekeyed the link without loss"
