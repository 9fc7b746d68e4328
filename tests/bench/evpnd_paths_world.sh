#!/bin/bash
# The world of tests/bench/paths.sh, for one datapath (PATHS_DP = tap |
# kernel; run on the host for tap, inside the VM for kernel). Prints
#   RESULT paths evpnd-<dp> direct_tcp1_mbps|relayed_tcp1_mbps|
#                           one_hop_tcp1_mbps|two_hop_tcp1_mbps V
#   RESULT paths evpnd-<dp> relayed_over_direct|two_hop_over_one_hop V
#
#   relayed vs direct  prosody + coturn (tests/netns/cp_lib.sh), one overlay
#                      (topology = mesh) of a, b behind endpoint-independent
#                      NATs (a direct ICE pair) and c, d behind symmetric
#                      NATs (only a relayed pair works): iperf3 a -> b and
#                      c -> d. On the kernel datapath the relayed link is
#                      framed by evpn.ko (kmod/turn.c).
#   two vs one hop     x - y - z on one switch, evpnd with static [link]
#                      sections x-y and y-z only and an [e2e] pair key x-z
#                      (unicast through y is sealed end to end, 0xE3):
#                      iperf3 x -> y (one hop) and x -> z (y forwards).
# iperf3 TCP, one stream, BENCH_SECONDS (5) each. After each, on stderr:
# retransmits, the CPU the machine and each daemon used meanwhile, and the
# links' counters (record size, drops) of both ends.
set -euo pipefail
ROOT=${EVPN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$ROOT/tests/netns/lib.sh"
. "$ROOT/tests/netns/cp_lib.sh"
DP=${PATHS_DP:-tap}
SECS=${BENCH_SECONDS:-5}
SYS=evpnd-$DP
CP_EVPND=${CP_EVPND:-$ROOT/build/bin/evpnd}
EVPND=$CP_EVPND
[ -x "$CP_EVPND" ] || ns_skip "build/bin/evpnd not built"
command -v iperf3 >/dev/null || ns_skip "iperf3 not installed"
mkdir -p /dev/net
[ -c /dev/net/tun ] || mknod /dev/net/tun c 10 200
modprobe tun 2>/dev/null || true
[ "$DP" = kernel ] && modprobe evpn

ns_init
# Where a measurement's time goes (stderr): the CPU the machine (in the VM:
# all of it is ours) and each daemon in DIAG ("name:pid ...") used during
# it, and the links' counters (record size, drops) of the nodes involved.
cpu_machine() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8, $8 }' /proc/stat; }
cpu_procs() {
	local e
	for e in $DIAG; do
		awk -v n="${e%%:*}" '{ printf "%s:%d ", n, $14 + $15 }' "/proc/${e#*:}/stat" 2>/dev/null
	done
}
cpu_report() {	# cpu_report "MACHINE_BEFORE" "PROCS_BEFORE" TAG
	local m0=$1 p0=$2 m1 p1 hz
	m1=$(cpu_machine)
	p1=$(cpu_procs)
	hz=$(getconf CLK_TCK)
	awk -v a="$m0" -v b="$m1" -v f="$NS_DIR/busy-$3" 'BEGIN { split(a, x); split(b, y); t = y[2] - x[2];
		if (t > 0) { printf "busy %.0f%% (softirq %.0f%%) of the machine", 100 * (y[1] - x[1]) / t, 100 * (y[3] - x[3]) / t;
			printf "%.0f\n", 100 * (y[1] - x[1]) / t > f } }'
	awk -v a="$p0" -v b="$p1" -v hz="$hz" 'BEGIN { n = split(a, x, " "); split(b, y, " ");
		for (i = 1; i <= n; i++) { split(x[i], u, ":"); split(y[i], v, ":");
			printf "; %s %.1f s", u[1], (v[2] - u[2]) / hz } }'
}
links_diag() {	# links_diag NODE: its links' counters (stderr)
	cp_show "$1" | python3 -c '
import json, sys
j = json.load(sys.stdin)
def brief(o, keep):
    d = {k: o[k] for k in keep if o.get(k)}
    d["drops"] = {k: v for k, v in o.get("drops", {}).items() if v}
    return json.dumps(d)
print("  %s: %s" % (sys.argv[1], brief(j, ("frag_tx", "frag_rx"))))
for l in j.get("links", []):
    print("    link %s: %s" % (l.get("name"), brief(l, ("relayed", "record_max",
        "suite", "tx_packets", "rx_packets", "turn_channel"))))
' "$1" >&2 || true
	[ "$DP" = kernel ] && ns_exec "$1" "$ROOT/build/bin/evpnctl" link show evpn0 2>/dev/null |
		grep -E '^link|record-max|drop ' | sed "s/^/  $1 evpnctl: /" >&2
	return 0
}
# tcp1 CLIENT SERVER_NS SERVER_IP TAG: Mbit/s of one iperf3 TCP stream
tcp1() {
	local c=$1 s=$2 ip=$3 tag=$4 m0 p0 v
	ns_bg "$s" "iperf3-$tag.log" iperf3 -s -B "$ip" -1 >/dev/null
	ns_wait_for 5 ns_listening "$s" tcp "$ip" 5201 || ns_fail "iperf3 -s on $s"
	m0=$(cpu_machine)
	p0=$(cpu_procs)
	ns_exec "$c" iperf3 -c "$ip" -t "$SECS" >"$NS_DIR/iperf3-$tag.out" 2>&1 ||
		{ cat "$NS_DIR/iperf3-$tag.out" >&2; ns_fail "iperf3 $c -> $s ($tag)"; }
	v=$(awk '/receiver/ { v = $7; if ($8 == "Gbits/sec") v *= 1000; if ($8 == "Kbits/sec") v /= 1000; print v }' "$NS_DIR/iperf3-$tag.out")
	ns_log "$SYS $tag: $v Mbit/s, $(awk '/sender/ { print $9 " retransmits" }' "$NS_DIR/iperf3-$tag.out"); $(cpu_report "$m0" "$p0" "$tag"); load $(cut -d' ' -f1-3 /proc/loadavg)"
	links_diag "$c"
	links_diag "$s"
	echo "$v"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# ---- relayed vs direct ------------------------------------------------
CP_MEMBERS="a@$XMPP_DOMAIN b@$XMPP_DOMAIN c@$XMPP_DOMAIN d@$XMPP_DOMAIN"
cp_world ei ei
cp_node_behind c r3 sym 10.99.0.3 192.168.3
cp_node_behind d r4 sym 10.99.0.4 192.168.4
CP_EXTRA_CONF="topology = mesh"
for n in a b c d; do
	prosody_adduser "$n@$XMPP_DOMAIN" "pw-$n"
	cp_conf "$n" "0000000000000000000000000000000$n"
	sed -i "s/^datapath = tap/datapath = $DP/" "$NS_DIR/$n/evpnd.conf"
done
# one pair at a time: the VM (TCG) is slow enough without four evpnd
relayed_pair() { [ "$(cp_link "$1" "$2" relayed)" = "$3" ]; }
cp_start a
cp_start b
ns_wait_for 60 cp_ping a b || ns_fail "no overlay ping a -> b"
ns_wait_for 20 relayed_pair a b false || ns_fail "a-b is not direct"
ns_log "$SYS: a-b $(cp_link a b ice_pair)"
DIAG="evpnd-a:${CP_PID[a]} evpnd-b:${CP_PID[b]} coturn:$TURN_PID"
direct=$(tcp1 a b "${CP_OVIP[b]}" direct)
cp_stop a
cp_stop b
cp_start c
cp_start d
ns_wait_for 60 cp_ping c d || ns_fail "no overlay ping c -> d"
ns_wait_for 20 relayed_pair c d true || ns_fail "c-d is not relayed"
ns_log "$SYS: c-d $(cp_link c d ice_pair) turn_peer=$(cp_link c d turn_peer); d-c $(cp_link d c ice_pair) turn_peer=$(cp_link d c turn_peer)"
DIAG="evpnd-c:${CP_PID[c]} evpnd-d:${CP_PID[d]} coturn:$TURN_PID"
relayed=$(tcp1 c d "${CP_OVIP[d]}" relayed)
[ "$DP" = kernel ] && ns_log "$SYS: c-d turn_channel $(cp_link c d turn_channel), d-c $(cp_link d c turn_channel)"
cp_stop c
cp_stop d

# ---- two hops vs one --------------------------------------------------
X=10000000000000000000000000000001
Y=20000000000000000000000000000002
Z=30000000000000000000000000000003
PSK=$(printf '%064x' 0x9a7)
E2E_PSK=$(printf '%064x' 0xe2e)	# x-z: unicast through y is sealed end to end
ns_switch hop
i=0
for n in x y z; do
	i=$((i + 1))
	ns_host "$n"
	ns_switch_port hop "$n" eth0 "10.98.0.$i/24"
done
hconf() {	# hconf NAME ID IP E2E_PEERID PEERNAME PEERID PEERIP ...
	local n=$1 id=$2 ip=$3 e2e=$4
	shift 4
	mkdir -p "$NS_DIR/$n"
	printf '[node]\nid = %s\nstate-dir = %s/%s/state\nrun-dir = %s/%s/run\n\n[interface]\nname = evpn0\ndatapath = %s\n\n[static]\nlisten = %s:5170\n' \
		"$id" "$NS_DIR" "$n" "$NS_DIR" "$n" "$DP" "$ip" >"$NS_DIR/$n/evpnd.conf"
	while [ $# -gt 0 ]; do
		printf '\n[link %s]\npeer = %s\nendpoint = %s:5170\npsk = %s\n' "$1" "$2" "$3" "$PSK" >>"$NS_DIR/$n/evpnd.conf"
		shift 3
	done
	[ "$e2e" = - ] ||
		printf '\n[e2e far]\npeer = %s\npsk = %s\n' "$e2e" "$E2E_PSK" >>"$NS_DIR/$n/evpnd.conf"
}
hconf x $X 10.98.0.1 $Z y $Y 10.98.0.2
hconf y $Y 10.98.0.2 - x $X 10.98.0.1 z $Z 10.98.0.3
hconf z $Z 10.98.0.3 $X y $Y 10.98.0.2
i=0
declare -A HPID
for n in x y z; do
	i=$((i + 1))
	HPID[$n]=$(ns_bg "$n" "evpnd-$n.log" "$EVPND" -f -c "$NS_DIR/$n/evpnd.conf")
	ns_wait_for 10 ns_exec "$n" ip link show evpn0 || ns_fail "evpnd $n: no evpn0"
	ns_exec "$n" ip addr add "10.97.0.$i/24" dev evpn0
	ns_exec "$n" ip link set evpn0 up
done
ping1() { ns_exec "$1" ping -c1 -W0.5 "$2" >/dev/null 2>&1; }
ns_wait_for 30 ping1 x 10.97.0.2 || ns_fail "no ping x -> y"
ns_wait_for 30 ping1 x 10.97.0.3 || ns_fail "no ping x -> z (through y)"
DIAG="evpnd-x:${HPID[x]} evpnd-y:${HPID[y]} evpnd-z:${HPID[z]}"
one=$(tcp1 x y 10.97.0.2 one_hop)
two=$(tcp1 x z 10.97.0.3 two_hop)

echo "RESULT paths $SYS direct_tcp1_mbps $direct"
echo "RESULT paths $SYS relayed_tcp1_mbps $relayed"
echo "RESULT paths $SYS relayed_over_direct $(ratio "$relayed" "$direct")"
echo "RESULT paths $SYS one_hop_tcp1_mbps $one"
echo "RESULT paths $SYS two_hop_tcp1_mbps $two"
echo "RESULT paths $SYS two_hop_over_one_hop $(ratio "$two" "$one")"
# how busy the machine was meanwhile (the VM: all of it is this test's;
# the host: shared with whatever else runs)
for t in direct relayed one_hop two_hop; do
	[ -r "$NS_DIR/busy-$t" ] && echo "RESULT paths $SYS ${t}_busy_pct $(cat "$NS_DIR/busy-$t")"
done
exit 0
