#!/usr/bin/env bash
# `evpnctl status` on evpnd's TAP datapath (docs/status.md):
#  - it finds evpnd without EVPN_RUN_DIR: from -c FILE's run-dir, and in the
#    default run dir /run/evpn (a private tmpfs in a mount namespace here);
#  - the text view names the peer, its addresses (FDB + neighbour table),
#    path, key and transfer;
#  - --json is valid JSON (python's json module and jq) for
#    hostile names: a link name and an interface name with quotes,
#    backslashes, control characters and bytes that are not UTF-8; the text
#    view prints them escaped, never raw; errors are plain text;
#  - `ip link del` of the TAP device: evpnd says so, recreates it, and the
#    static link carries traffic again.
. "$(dirname "$0")/tap_common.sh"

tap_init evst
for t in python3 socat unshare; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done
EVPNCTL=${EVPNCTL:-$EVPN_ROOT/build/asan/bin/evpnctl}
[ -x "$EVPNCTL" ] || { echo "SKIP: $EVPNCTL not built (make asan)"; exit 77; }

tap_lan
tap_node A 10000000000000000000000000000001 10.77.0.1
tap_node B 30000000000000000000000000000002 10.77.0.2
tap_link A B
tap_start A
tap_start B
tap_nsx A ip addr add 192.168.200.1/24 dev tapA
tap_nsx B ip addr add 192.168.200.2/24 dev tapB
ns_wait_for 10 tap_nsx A ping -c1 -W1 192.168.200.2 >/dev/null ||
	tap_fail "A cannot ping B over the static link"

# evpnctl in A's namespace, never with EVPN_RUN_DIR
ctl() { tap_nsx A env -u EVPN_RUN_DIR "$EVPNCTL" "$@"; }
CONF=$TAP_TMP/A/evpnd.conf

# --- text view, evpnd found through -c ---
out=$(ctl status -c "$CONF") || tap_fail "evpnctl status -c failed"
echo "$out"
echo "$out" | grep -q '^interface: tapA (tap datapath, evpnd pid [0-9]*)' ||
	tap_fail "no interface line"
echo "$out" | grep -q "node id: ${NODE_ID[A]}" || tap_fail "no node ID"
echo "$out" | grep -q "^  link B$" || tap_fail "static link B not listed"
echo "$out" | grep -q "node id: ${NODE_ID[B]}" || tap_fail "peer's node ID missing"
echo "$out" | grep -q "addresses: 192.168.200.2 (" || tap_fail "B's address (FDB + neighbours) missing"
echo "$out" | grep -q "path: direct" || tap_fail "no path"
echo "$out" | grep -q "key: aes-256-gcm, age [0-9]* s" || tap_fail "no key line"
echo "$out" | grep -q "transfer: .* received" || tap_fail "no transfer line"
tap_ok "evpnctl status -c FILE (text)"

# --- hostile names ---
LNAME=$(printf 'q"b\\x\001\033\377\376')
EVPN_RUN_DIR=$TAP_TMP/run tap_nsx A "$EVPNCTL" link add tapA "$LNAME" \
	peer=50000000000000000000000000000003 endpoint=10.77.0.9:5170 psk="$PSK" ||
	tap_fail "link add with a hostile name"
# a second evpnd whose interface name is hostile too (no links)
IFX=$(printf 'x"\\\377')
mkdir -p "$TAP_TMP/X"
printf '[node]\nid = 70000000000000000000000000000007\nstate-dir = %s\nrun-dir = %s\n\n[interface]\nname = %s\n' \
	"$TAP_TMP/X/state" "$TAP_TMP/run" "$IFX" >"$TAP_TMP/X/evpnd.conf"
ip netns exec "${NODE_NS[A]}" "$EVPND" -c "$TAP_TMP/X/evpnd.conf" >"$TAP_TMP/X/log" 2>&1 &
XPID=$!
ns_wait_for 5 test -S "$TAP_TMP/run/$IFX.sock" || { cat "$TAP_TMP/X/log"; tap_fail "evpnd X did not start"; }

EVPN_RUN_DIR=$TAP_TMP/run tap_nsx A "$EVPNCTL" status --json >"$TAP_TMP/all.json" ||
	tap_fail "status --json failed"
/usr/bin/python3 -m json.tool "$TAP_TMP/all.json" >/dev/null || tap_fail "status --json is not JSON"
jq -e . "$TAP_TMP/all.json" >/dev/null || tap_fail "jq rejects status --json"	# jq: scripts/deps.sh
/usr/bin/python3 - "$TAP_TMP/all.json" "$LNAME" "$IFX" <<'PY' || tap_fail "hostile names not in the JSON as expected"
import json, os, sys
j = json.load(open(sys.argv[1], "rb"))
lname = os.fsencode(sys.argv[2]).decode("utf-8", "replace")
ifx = os.fsencode(sys.argv[3]).decode("utf-8", "replace")
names = [d["ifname"] for d in j["interfaces"]]
assert "tapA" in names and ifx in names, names
a = next(d for d in j["interfaces"] if d["ifname"] == "tapA")
assert lname in [l["name"] for l in a["links"]], [l["name"] for l in a["links"]]
assert a["datapath"] == "tap" and a["node_id"] == "10000000000000000000000000000001"
b = next(l for l in a["links"] if l["name"] == "B")
assert b["drops"].keys() and all(isinstance(v, int) for v in b["drops"].values())
assert any(e["node_id"] == "30000000000000000000000000000002" and
           "192.168.200.2" in e["addresses"] for e in a["fdb"]), a["fdb"]
PY
# the text view escapes what it prints
EVPN_RUN_DIR=$TAP_TMP/run tap_nsx A "$EVPNCTL" status >"$TAP_TMP/all.txt" || tap_fail "status (all) failed"
! LC_ALL=C grep -q $'[\001\033]' "$TAP_TMP/all.txt" || tap_fail "raw control bytes in the text view"
grep -qF "link q\"b\\\\x\\001\\033$(printf '\357\277\275\357\277\275')" "$TAP_TMP/all.txt" ||
	{ cat -v "$TAP_TMP/all.txt"; tap_fail "hostile link name not shown escaped"; }
grep -qF "interface: x\"\\\\$(printf '\357\277\275') (tap" "$TAP_TMP/all.txt" ||
	tap_fail "hostile interface name not shown escaped"
# errors are plain text, not JSON fragments
err=$(EVPN_RUN_DIR=$TAP_TMP/run tap_nsx A "$EVPNCTL" link del tapA nosuchlink 2>&1) &&
	tap_fail "deleting a missing link succeeded"
echo "$err"
echo "$err" | grep -q '^evpnctl: tapA: ' || tap_fail "error not in plain text: $err"
! echo "$err" | grep -q '[{}]' || tap_fail "JSON in the error: $err"
kill "$XPID"; wait "$XPID" || { cat "$TAP_TMP/X/log"; tap_fail "evpnd X did not exit cleanly"; }
tap_ok "hostile names: valid JSON, escaped text, plain errors"

# --- the default run dir, no -c, no EVPN_RUN_DIR ---
sed '/^run-dir/d; s/^name = tapA$/name = tapD/; /^\[static\]/,$d' "$CONF" >"$TAP_TMP/D.conf"
sed -i 's/^id = .*/id = 90000000000000000000000000000009/; s|state/*$|stateD|' "$TAP_TMP/D.conf"
mkdir -p /run/evpn	# (the mount point; evpnd writes into a private tmpfs on it)
tap_nsx A unshare -m --propagation private sh -c '
	mount -t tmpfs -o mode=0700 evpn-test /run/evpn || exit 3
	"$1" -c "$2" >"$3" 2>&1 & pid=$!
	i=0; while [ ! -S /run/evpn/tapD.sock ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
	env -u EVPN_RUN_DIR "$4" status >"$5" 2>&1; rc=$?
	kill $pid; wait $pid
	exit $rc' sh "$EVPND" "$TAP_TMP/D.conf" "$TAP_TMP/D.log" "$EVPNCTL" "$TAP_TMP/D.out" ||
	{ cat "$TAP_TMP/D.log" "$TAP_TMP/D.out"; tap_fail "evpnctl status in the default run dir"; }
grep -q '^interface: tapD (tap datapath, evpnd pid' "$TAP_TMP/D.out" ||
	{ cat "$TAP_TMP/D.out"; tap_fail "evpnd not found in /run/evpn"; }
tap_ok "evpnctl status without EVPN_RUN_DIR finds evpnd in /run/evpn"

# --- the device deleted under evpnd ---
tap_nsx A ip link del tapA
ns_wait_for 10 grep -q 'tapA: device disappeared' "$TAP_TMP/A/log" ||
	tap_fail "evpnd did not notice the deleted device"
ns_wait_for 10 tap_nsx A ip link show tapA >/dev/null 2>&1 ||
	tap_fail "evpnd did not recreate tapA"
grep -q 'tapA: device recreated' "$TAP_TMP/A/log" || tap_fail "recreation not logged"
tap_alive A || tap_fail "evpnd A died"
[ "$(tap_get A 'j["device_lost"]')" = 1 ] || tap_fail "device_lost not counted"
tap_nsx A ip addr add 192.168.200.1/24 dev tapA
ns_wait_for 10 tap_nsx A ping -c1 -W1 192.168.200.2 >/dev/null ||
	tap_fail "no traffic over the recreated device"
tap_ok "deleted TAP device recreated, link carries traffic again"

tap_stop A || tap_fail "evpnd A did not exit cleanly"
tap_stop B || tap_fail "evpnd B did not exit cleanly"
tap_check_logs
echo "PASS: evpnctl status (TAP): discovery, text, hostile names, device loss"
