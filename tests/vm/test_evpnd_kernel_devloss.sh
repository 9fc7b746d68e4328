#!/bin/bash
# evpnd's kernel datapath loses its device (run: tests/vm/run.sh
# tests/vm/test_evpnd_kernel_devloss.sh): E runs evpnd with `datapath =
# kernel` and a static link to T (evpnd, TAP). `ip link del evpn0` and then
# `rmmod evpn` under the running evpnd: each time it says so, creates the
# device again (loading evpn.ko again), re-installs the static link with its
# keys, and E pings T again once its address is back (docs/status.md,
# "Device loss").
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
EVPND=${EVPND:-$EVPN_ROOT/build/bin/evpnd}
EVPNCTL=${EVPNCTL:-$EVPN_ROOT/build/bin/evpnctl}
[ -x "$EVPND" ] || { echo "SKIP: evpnd not built"; exit 77; }
TMP=$(mktemp -d)
mkdir -p "$TMP/e" "$TMP/t"
cleanup() { kdp_cleanup; rm -rf "$TMP"; }
trap cleanup EXIT

E=50000000000000000000000000000005
T=60000000000000000000000000000006
PT=$(printf '%064x' 0x7e)

mkdir -p /dev/net
[ -c /dev/net/tun ] || mknod /dev/net/tun c 10 200
modprobe tun 2>/dev/null || true
modprobe evpn
kdp_switch
ip netns add kdp-e; KDP_NODES="$KDP_NODES e"
nsx e ip link set lo up
kdp_plug e 5
ip netns add kdp-t; KDP_NODES="$KDP_NODES t"
nsx t ip link set lo up
kdp_plug t 6

conf() {	# conf NAME ID DATAPATH IFNAME LISTEN LINKS...
	local n=$1 id=$2 dp=$3 ifn=$4 listen=$5
	shift 5
	printf '[node]\nid = %s\nstate-dir = %s\nrun-dir = %s\n\n[interface]\nname = %s\ndatapath = %s\n\n[static]\nlisten = %s\n' \
		"$id" "$TMP/$n/state" "$TMP/$n/run" "$ifn" "$dp" "$listen" > "$TMP/$n.conf"
	printf '%s\n' "$@" >> "$TMP/$n.conf"
}
conf e "$E" kernel evpn0 10.2.0.5:5170 \
	"" "[link t]" "peer = $T" "endpoint = 10.2.0.6:5170" "psk = $PT"
conf t "$T" tap evtap 10.2.0.6:5170 \
	"" "[link e]" "peer = $E" "endpoint = 10.2.0.5:5170" "psk = $PT"

start() {	# start NAME
	ip netns exec "kdp-$1" "$EVPND" -f -c "$TMP/$1.conf" >> "$TMP/$1.log" 2>&1 &
	KDP_PIDS="$KDP_PIDS $!"
	eval "PID_$1=$!"
}
e_addr() {
	nsx e ip addr add 10.77.0.5/24 dev evpn0
	nsx e ip link set evpn0 up
}
e_ping_t() { nsx e ping -c 1 -W 1 10.77.0.6 >/dev/null 2>&1; }
logged() { grep -q "$1" "$TMP/e.log"; }
count() { grep -c "$1" "$TMP/e.log" || true; }

step "evpnd (kernel) on E creates evpn0; evpnd TAP on T; E pings T"
start e
start t
kdp_wait_for 10 nsx e ip link show evpn0 || { cat "$TMP/e.log"; fail "E: no evpn0"; }
kdp_wait_for 10 nsx t ip link show evtap || { cat "$TMP/t.log"; fail "T: no TAP"; }
nsx t ip addr add 10.77.0.6/24 dev evtap
nsx t ip link set evtap up
e_addr
kdp_wait_for 10 e_ping_t || { cat "$TMP/e.log" "$TMP/t.log"; fail "E -> T"; }

step "ip link del evpn0: evpnd says so and recreates it; the link carries traffic again"
nsx e ip link del evpn0
kdp_wait_for 10 logged 'evpn0: device disappeared' || { cat "$TMP/e.log"; fail "loss not noticed"; }
kdp_wait_for 10 logged 'evpn0: device recreated' || { cat "$TMP/e.log"; fail "not recreated"; }
nsx e ip link show evpn0 >/dev/null || fail "no evpn0 after recreation"
e_addr
kdp_wait_for 10 e_ping_t || { cat "$TMP/e.log"; ctl e link show evpn0; fail "E -> T after ip link del"; }
kill -0 "$PID_e" || fail "evpnd E died"
[ "$(EVPN_RUN_DIR=$TMP/e/run ctl e status evpn0 --json |
     python3 -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0]["device_lost"])')" = 1 ] ||
	fail "device_lost not 1"

step "rmmod evpn: evpnd says so, loads it again through the device, relinks"
nsx t ip link show evtap >/dev/null
kdp_wait_for 10 rmmod evpn || { cat "$TMP/e.log"; fail "rmmod evpn"; }
kdp_wait_for 15 sh -c "[ \$(grep -c 'evpn0: device recreated' '$TMP/e.log') -ge 2 ]" ||
	{ cat "$TMP/e.log"; fail "not recreated after rmmod"; }
[ "$(count 'evpn0: device disappeared')" = 2 ] || { cat "$TMP/e.log"; fail "second loss not said once"; }
e_addr
kdp_wait_for 10 e_ping_t || { cat "$TMP/e.log"; fail "E -> T after rmmod"; }

kill -TERM "$PID_e" "$PID_t"
wait "$PID_e" 2>/dev/null || true
wait "$PID_t" 2>/dev/null || true
grep -q 'shutting down' "$TMP/e.log" || { cat "$TMP/e.log"; fail "E: no clean shutdown"; }
if grep -E 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$TMP/e.log" "$TMP/t.log"; then
	cat "$TMP/e.log"
	fail "sanitizer report from evpnd"
fi
kdp_cleanup
KDP_NODES=""; KDP_PIDS=""
kdp_wait_for 10 rmmod evpn || rmmod evpn
kdp_dmesg_clean
echo "PASS test_evpnd_kernel_devloss"
