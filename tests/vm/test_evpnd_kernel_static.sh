#!/bin/bash
# evpnd's kernel backend with static [link] sections (run: tests/vm/run.sh
# tests/vm/test_evpnd_kernel_static.sh). Node E runs evpnd with
# `datapath = kernel` on an evpn0 made with `ip link add evpn0 type evpn`,
# and two static links from its config: to T, an evpnd TAP node (PSK keys,
# ChaCha20-Poly1305), and to K, a kernel node keyed by evpnctl (`psk`:
# the same KDF, AES-256-GCM). Ping both ways over both links, TCP E -> T.
# End to end through transit nodes: T (TAP, [e2e k]) <-> K (evpn.ko,
# `evpnctl e2e add`) through E, a kernel transit that carries their 0xE3
# records unopened; and E (evpnd on evpn.ko, [e2e k2]) <-> K2, a kernel
# node linked only to K, through K. SIGTERM leaves the admin's device
# without links; a restarted evpnd re-installs them and its pair key.
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
EVPND=${EVPND:-$EVPN_ROOT/build/bin/evpnd}	# EVPND=build/asan/bin/evpnd: sanitizers
[ -x "$EVPND" ] || { echo "SKIP: evpnd not built"; exit 77; }
TMP=$(mktemp -d)
mkdir -p "$TMP/e" "$TMP/t"
cleanup() { kdp_cleanup; rm -rf "$TMP"; }
trap cleanup EXIT

E=50000000000000000000000000000005
# T's ring successor is E, a neighbour: its floods (ARP) reach K and K2
T=40000000000000000000000000000006
K=70000000000000000000000000000007
K2=80000000000000000000000000000008
PT=$(printf '%064x' 0x7e)
PK=$(printf '%064x' 0x7f)
PK2=$(printf '%064x' 0x80)
ET=$(printf '%064x' 0xe7)	# pair T <-> K
EK2=$(printf '%064x' 0xe8)	# pair E <-> K2

mkdir -p /dev/net
[ -c /dev/net/tun ] || mknod /dev/net/tun c 10 200
modprobe tun 2>/dev/null || true
modprobe evpn
kdp_switch
kdp_node e "$E" 5; kdp_plug e 5
kdp_node k "$K" 7; kdp_plug k 7
kdp_node k2 "$K2" 8; kdp_plug k2 8
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
	"" "[link t]" "peer = $T" "endpoint = 10.2.0.6:5170" "psk = $PT" "suite = chacha20-poly1305" \
	"" "[link k]" "peer = $K" "endpoint = 10.2.0.7:5170" "psk = $PK" "suite = aes-256-gcm" \
	"" "[e2e k2]" "peer = $K2" "psk = $EK2"
conf t "$T" tap evtap 10.2.0.6:5170 \
	"" "[link e]" "peer = $E" "endpoint = 10.2.0.5:5170" "psk = $PT" "suite = chacha20-poly1305" \
	"" "[e2e k]" "peer = $K" "psk = $ET"

start() {	# start NAME
	ip netns exec "kdp-$1" "$EVPND" -f -c "$TMP/$1.conf" >> "$TMP/$1.log" 2>&1 &
	KDP_PIDS="$KDP_PIDS $!"
	eval "PID_$1=$!"
}

step "evpnd (datapath = kernel) on E's evpn0, evpnd TAP on T, evpnctl on K"
start e
start t
kdp_wait_for 10 nsx t ip link show evtap || { cat "$TMP/t.log"; fail "T: no TAP"; }
nsx t sysctl -qw net.ipv6.conf.evtap.accept_dad=0 || true
nsx t ip addr add 10.77.0.6/24 dev evtap
nsx t ip link set evtap up
ctl k link add evpn0 peer "$E" local 10.2.0.7:5170 remote 10.2.0.5:5170
ctl k key add evpn0 peer "$E" suite aes-gcm psk "$PK"
kdp_link k "$K" 10.2.0.7:5172 k2 "$K2" 10.2.0.8:5170 "$PK2"
echo "$ET" | ctl k e2e add evpn0 peer "$T" psk-file -
echo "$EK2" | ctl k2 e2e add evpn0 peer "$E" psk-file -
e_links() { [ "$(ctl e link show evpn0 | grep -c '^link ')" = "$1" ]; }
kdp_wait_for 5 e_links 2 || { cat "$TMP/e.log"; fail "E: links not installed"; }
grep -q 'kernel datapath' "$TMP/e.log" || { cat "$TMP/e.log"; fail "E is not on the kernel datapath"; }
ctl e link show evpn0

step "E (kernel, evpnd) <-> T (TAP, evpnd), ChaCha20-Poly1305"
nsx e ping -c 3 -i 0.3 -W 2 10.77.0.6 || { cat "$TMP/e.log" "$TMP/t.log"; fail "E -> T"; }
nsx t ping -c 3 -i 0.3 -W 2 10.77.0.5
step "E (kernel, evpnd) <-> K (kernel, evpnctl), AES-256-GCM"
nsx e ping -c 3 -i 0.3 -W 2 10.77.0.7 || { cat "$TMP/e.log"; fail "E -> K"; }
nsx k ping -c 3 -i 0.3 -W 2 10.77.0.5
step "TCP E -> T (2 s)"
nsx t iperf3 -s -1 -B 10.77.0.6 >/dev/null &
KDP_PIDS="$KDP_PIDS $!"
kdp_wait_for 5 sh -c "ip netns exec kdp-t ss -Hltn 'sport = :5201' | grep -q ."
nsx e iperf3 -c 10.77.0.6 -t 2 | grep receiver
ctl e link show evpn0
for r in auth replay bad_header; do
	[ "$(drop_count e $r)" = 0 ] || fail "E counted $r drops"
done

step "end to end: K (evpn.ko) <-> T (TAP) through E; E (evpnd, [e2e]) <-> K2 through K"
f0=$(ctl e show evpn0 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0]["fwd_packets"])')
# (T and E first: their floods reach the far end, K's and K2's do not
# reach T -- a chain, not a ring, docs/protocol.md 8.2 -- so their ARP
# requests go first)
nsx t ping -c 3 -i 0.3 -W 2 10.77.0.7 || { cat "$TMP/t.log"; ctl k show evpn0; fail "T -> K through E"; }
nsx k ping -c 3 -i 0.3 -W 2 10.77.0.6 || { cat "$TMP/t.log"; fail "K -> T through E"; }
nsx e ping -c 3 -i 0.3 -W 2 10.77.0.8 || { cat "$TMP/e.log"; ctl e show evpn0; ctl k2 show evpn0; fail "E -> K2 through K"; }
nsx k2 ping -c 2 -i 0.3 -W 2 10.77.0.5 || fail "K2 -> E through K"
f1=$(ctl e show evpn0 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0]["fwd_packets"])')
echo "   E relayed $((f1 - f0)) records between T and K"
[ $((f1 - f0)) -ge 12 ] || fail "E did not relay T <-> K"
for n in e k k2; do
	for r in bad_src e2e_no_key e2e_auth e2e_replay; do
		[ "$(drop_count $n $r)" = 0 ] || fail "$n counted $r drops"
	done
done

step "SIGTERM: the admin's evpn0 stays, without links; a restart re-installs them"
kill -TERM "$PID_e"
wait "$PID_e" 2>/dev/null || true
nsx e ip link show evpn0 >/dev/null || fail "evpnd deleted the admin's device"
[ "$(ctl e link show evpn0 | grep -c "^link " || true)" = 0 ] || { cat "$TMP/e.log"; ctl e link show evpn0; fail "links left after SIGTERM"; }
start e
kdp_wait_for 5 e_links 2 || { cat "$TMP/e.log"; fail "E: links not re-installed after restart"; }
nsx e ping -c 2 -i 0.3 -W 2 10.77.0.6 || fail "E -> T after restart"
nsx e ping -c 2 -i 0.3 -W 2 10.77.0.7 || fail "E -> K after restart"
nsx e ping -c 2 -i 0.3 -W 2 10.77.0.8 || { cat "$TMP/e.log"; fail "E -> K2 after restart (pair key re-installed)"; }

kill -TERM "$PID_e"
wait "$PID_e" 2>/dev/null || true
if grep -E 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$TMP/e.log" "$TMP/t.log"; then
	cat "$TMP/e.log"
	fail "sanitizer report from evpnd"
fi
kdp_cleanup
KDP_NODES=""; KDP_PIDS=""
# the namespaces' devices go away asynchronously: retry until it unloads
kdp_wait_for 10 rmmod evpn || rmmod evpn
kdp_dmesg_clean
echo "PASS test_evpnd_kernel_static"
