#!/bin/bash
# [interface] address = and mtu = on the kernel datapath (issue 14 item 2;
# run: tests/vm/run.sh tests/vm/test_evpnd_kernel_ifaddr.sh). Two evpnd
# nodes with `datapath = kernel` and a static link: on A evpnd creates
# evpn0 itself (and deletes it on exit), on B the admin made it with
# `ip link add` (kept on exit). Both configs give mtu = 1300 and an IPv4
# and an IPv6 address: evpnd puts them on the device, A and B ping over
# both families with no `ip addr add`; after restarting both evpnds (A's
# device re-created, B's kept) the addresses and MTU are there again.
# A also serves [metrics] (the scrape parsed by the Prometheus text parser,
# counters read from evpn.ko) and `evpnctl topology --format svg`.
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
EVPND=${EVPND:-$EVPN_ROOT/build/bin/evpnd}
[ -x "$EVPND" ] || { echo "SKIP: evpnd not built"; exit 77; }
TMP=$(mktemp -d)
mkdir -p "$TMP/a" "$TMP/b"
cleanup() { kdp_cleanup; rm -rf "$TMP"; }
trap cleanup EXIT

A=5a000000000000000000000000000001
B=5b000000000000000000000000000002
PSK=$(printf '%064x' 0x1f)

modprobe evpn
kdp_switch
for n in a b; do
	ip netns add "kdp-$n"
	KDP_NODES="$KDP_NODES $n"
	nsx $n ip link set lo up
	nsx $n sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
kdp_plug a 1
kdp_plug b 2
nsx b ip link add evpn0 type evpn	# the admin's device (kept)

conf() {	# conf NAME ID INDEX PEER PEER_INDEX
	cat > "$TMP/$1.conf" <<EOC
[node]
id = $2
state-dir = $TMP/$1/state
run-dir = $TMP/$1/run

[interface]
name = evpn0
datapath = kernel
mtu = 1300
address = 10.77.0.$3/24
address = fd77::$3/64

[static]
listen = 10.2.0.$3:5170

[link peer]
peer = $4
endpoint = 10.2.0.$5:5170
psk = $PSK
EOC
}
conf a "$A" 1 "$B" 2
printf '\n[metrics]\nlisten = 127.0.0.1:9474\n' >> "$TMP/a.conf"
conf b "$B" 2 "$A" 1

start() {
	ip netns exec "kdp-$1" "$EVPND" -f -c "$TMP/$1.conf" >> "$TMP/$1.log" 2>&1 &
	KDP_PIDS="$KDP_PIDS $!"
	eval "PID_$1=$!"
}
stop() {
	local pid
	eval "pid=\$PID_$1"
	kill -TERM "$pid"
	wait "$pid" 2>/dev/null || true
}
has() { nsx "$1" ip -o addr show dev evpn0 | grep -q " $2 "; }
configured() {	# configured NODE INDEX
	has "$1" "10.77.0.$2/24" && has "$1" "fd77::$2/64" &&
		[ "$(nsx "$1" cat /sys/class/net/evpn0/mtu)" = 1300 ]
}
check() {	# check WHEN
	kdp_wait_for 10 configured a 1 || { cat "$TMP/a.log"; nsx a ip addr; fail "A not configured $1"; }
	kdp_wait_for 10 configured b 2 || { cat "$TMP/b.log"; nsx b ip addr; fail "B not configured $1"; }
	grep -q 'kernel datapath' "$TMP/a.log" || { cat "$TMP/a.log"; fail "A is not on the kernel datapath"; }
	kdp_wait_for 10 nsx a ping -c 1 -W 1 10.77.0.2 || fail "A -> B (IPv4) $1"
	kdp_wait_for 10 nsx a ping -c 1 -W 1 fd77::2 || fail "A -> B (IPv6) $1"
	kdp_wait_for 10 nsx b ping -c 1 -W 1 10.77.0.1 || fail "B -> A (IPv4) $1"
}

step "evpnd (kernel datapath) on A (creates evpn0) and B (the admin's evpn0)"
start a
start b
check "at start"
nsx a ip -o addr show dev evpn0

step "A's metrics and topology (kernel datapath)"
if /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null; then
	nsx a env METRICS_STATIC=1 /usr/bin/python3 "$EVPN_ROOT/tests/netns/metrics_check.py" \
		http://127.0.0.1:9474/metrics "$A" "$B" || fail "metrics on the kernel datapath"
else
	echo "(python3-prometheus-client missing: metrics not checked)"
fi
if command -v dot >/dev/null; then
	nsx a env EVPN_RUN_DIR="$TMP/a/run" "$EVPNCTL" topology evpn0 --format svg > "$TMP/topo.svg" ||
		fail "evpnctl topology"
	/usr/bin/python3 "$EVPN_ROOT/tests/netns/svg_check.py" "$TMP/topo.svg" 1 0 "$A" "$B" ||
		fail "topology SVG"
else
	echo "(graphviz missing: topology not checked)"
fi

step "restart both: A's device re-created, B's kept; addresses and MTU again"
stop a
stop b
! nsx a ip link show evpn0 >/dev/null 2>&1 || fail "A's evpn0 survived evpnd"
nsx b ip link show evpn0 >/dev/null || fail "evpnd deleted the admin's device"
start a
start b
check "after a restart"
grep -q 'adding address' "$TMP/b.log" && { cat "$TMP/b.log"; fail "B: re-adding a kept address failed"; }

stop a
stop b
if grep -E 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$TMP/a.log" "$TMP/b.log"; then
	fail "sanitizer report from evpnd"
fi
kdp_cleanup
KDP_NODES=""; KDP_PIDS=""
kdp_wait_for 10 rmmod evpn || rmmod evpn
kdp_dmesg_clean
echo "PASS test_evpnd_kernel_ifaddr"
