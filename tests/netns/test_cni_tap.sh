#!/usr/bin/env bash
# Containers on the overlay with CNI (docs/containers.md), TAP datapath: two
# sites A and B, each an evpnd node whose TAP device is a port of a Linux
# bridge evbr0; containers (network namespaces) are attached to evbr0 the way
# a container runtime does it: the reference "bridge" plugin from Debian's
# containernetworking-plugins run with CNI_COMMAND=ADD/CHECK/DEL, the
# container's netns path in CNI_NETNS and the network config on stdin -- the
# example configs etc/cni/evpn-bridge.conf (host-local IPAM, one address range
# per site) and etc/cni/evpn-bridge-dhcp.conf (dhcp IPAM: the plugin's DHCP
# daemon leases the address from a dnsmasq at the other site, across the
# overlay).
#
# Checks: each ADD returns an address from its range (or the DHCP pool) and
# gives eth0 the containers' MTU (tests/lib/ctr.sh); full-size ping with Don't
# Fragment and iperf3 TCP container to container across the sites; CHECK
# passes; DEL removes the interface, frees the host-local address and stops
# the DHCP lease's renewal.
. "$(dirname "$0")/tap_common.sh"
. "$EVPN_ROOT/tests/lib/ctr.sh"

tap_init "evcn${EVPN_NS_TAG:-}"
for t in dnsmasq iperf3 "$CNI_PATH/bridge" "$CNI_PATH/host-local" "$CNI_PATH/dhcp"; do
	command -v "$t" > /dev/null || {
		echo "SKIP: $t missing (install dnsmasq-base, iperf3, containernetworking-plugins)"
		exit 77; }
done

tap_lan
tap_node A 10000000000000000000000000000001 10.77.0.1
tap_node B 80000000000000000000000000000002 10.77.0.2
tap_link A B
tap_start A
tap_start B
MTU=$(ctr_mtu "${NODE_NS[A]}" tapA)
echo "containers at MTU $MTU (tapA's MTU is $(tap_nsx A cat /sys/class/net/tapA/mtu))"

# Each site: the bridge with the overlay port (what docs/containers.md does
# on a host; the host has br_netfilter loaded: keep bridged frames out of
# iptables in the test's namespaces)
for s in A B; do
	tap_nsx $s sh -c 'for f in /proc/sys/net/bridge/bridge-nf-call-*; do
		[ -w "$f" ] && echo 0 > "$f"; done; exit 0'
	tap_nsx $s ip link add evbr0 type bridge stp_state 0 forward_delay 0
	tap_nsx $s ip link set "tap$s" master evbr0
	tap_nsx $s ip link set evbr0 up
done
# A's DHCP server, on the bridge of site A (the site's host)
tap_nsx A ip addr add 10.88.0.1/24 dev evbr0
dnsmasq_start "${NODE_NS[A]}" evbr0 10.88.0.100 10.88.0.150 "$TAP_TMP/dnsmasq.log"
ns_wait_for 5 grep -q 'DHCP, sockets bound' "$TAP_TMP/dnsmasq.log" ||
	tap_fail "dnsmasq did not start: $(cat "$TAP_TMP/dnsmasq.log")"

# The example configs, with this test's MTU, host-local state dir, one
# address range per site and the dhcp daemon's socket
cni_conf "$EVPN_ROOT/etc/cni/evpn-bridge.conf" "$TAP_TMP/A.conf" "mtu=$MTU" \
	"ipam.dataDir=\"$TAP_TMP/cniA\""
cni_conf "$EVPN_ROOT/etc/cni/evpn-bridge.conf" "$TAP_TMP/B.conf" "mtu=$MTU" \
	"ipam.dataDir=\"$TAP_TMP/cniB\"" \
	'ipam.ranges=[[{"subnet": "10.88.0.0/24", "rangeStart": "10.88.0.60", "rangeEnd": "10.88.0.99"}]]'
cni_conf "$EVPN_ROOT/etc/cni/evpn-bridge-dhcp.conf" "$TAP_TMP/Bdhcp.conf" "mtu=$MTU" \
	"ipam.daemonSocketPath=\"$TAP_TMP/cni-dhcp.sock\""
ip netns exec "${NODE_NS[B]}" "$CNI_PATH/dhcp" daemon -socketpath "$TAP_TMP/cni-dhcp.sock" \
	> "$TAP_TMP/cni-dhcp.log" 2>&1 &
CNI_DHCP_PID=$!
ns_wait_for 5 test -S "$TAP_TMP/cni-dhcp.sock" || tap_fail "CNI dhcp daemon did not start"

# cadd NAME SITE CONF: a container NAME at SITE attached with CONF; sets IP
cadd() {
	local c=$1 s=$2 ns=$TAP_PREFIX-$1
	ip netns add "$ns" && TAP_NSES+=("$ns") || tap_fail "netns $ns"
	cni_run "${NODE_NS[$s]}" ADD "$ns" "$3" > "$TAP_TMP/$c.result" ||
		tap_fail "CNI ADD $c: $(cat "$TAP_TMP/$c.result")"
	IP=$(cni_result_ip "$TAP_TMP/$c.result") || tap_fail "no address for $c"
	local m
	m=$(ip netns exec "$ns" cat /sys/class/net/eth0/mtu)
	[ "$m" = "$MTU" ] || tap_fail "$c: eth0 MTU $m, not $MTU"
	ip -n "$ns" -4 addr show dev eth0 | grep -q "inet $IP/24" || tap_fail "$c: $IP not on eth0"
}
cadd c1 A "$TAP_TMP/A.conf";     ip1=$IP
cadd c2 B "$TAP_TMP/B.conf";     ip2=$IP
cadd c3 B "$TAP_TMP/Bdhcp.conf"; ip3=$IP
case "$ip1:$ip2:$ip3" in
10.88.0.[1-5][0-9]:10.88.0.[6-9][0-9]:10.88.0.1[0-5][0-9]) ;;
*) tap_fail "addresses $ip1 $ip2 $ip3 not from their ranges" ;;
esac
grep -q "DHCPACK(evbr0) $ip3" "$TAP_TMP/dnsmasq.log" || tap_fail "dnsmasq did not lease $ip3"
tap_ok "CNI ADD: c1 at A $ip1 (host-local), c2 at B $ip2 (host-local), c3 at B $ip3 (DHCP from A's dnsmasq), eth0 MTU $MTU"

# CHECK (and DEL) get the ADD's result as prevResult, as a runtime passes it
cni_conf "$TAP_TMP/A.conf" "$TAP_TMP/A.check" "prevResult=$(cat "$TAP_TMP/c1.result")"
cni_run "${NODE_NS[A]}" CHECK "$TAP_PREFIX-c1" "$TAP_TMP/A.check" > "$TAP_TMP/check.out" 2>&1 ||
	tap_fail "CNI CHECK c1: $(cat "$TAP_TMP/check.out")"
ctr_ping_df "$TAP_PREFIX-c2" "$ip1" "$MTU" || tap_fail "ping -M do c2 -> c1"
ctr_ping_df "$TAP_PREFIX-c3" "$ip1" "$MTU" || tap_fail "ping -M do c3 -> c1"
ctr_ping_df "$TAP_PREFIX-c1" "$ip3" "$MTU" || tap_fail "ping -M do c1 -> c3"
tap_ok "CNI CHECK; ping -M do -s $((MTU - 28)) across the sites"
r=$(ctr_iperf "$TAP_PREFIX-c1" "$ip1" "$TAP_PREFIX-c2" 3) || tap_fail "iperf3 c2 -> c1"
echo "iperf3 container c2 (B) -> c1 (A), Linux bridges and the TAP datapath: $r (MB, Mbit/s, retransmits)"
awk -v m="${r%% *}" 'BEGIN { exit !(m > 1) }' || tap_fail "iperf3 moved only ${r%% *} MB"
tap_ok "iperf3 TCP ${r%% *} MB"

cni_run "${NODE_NS[B]}" DEL "$TAP_PREFIX-c3" "$TAP_TMP/Bdhcp.conf" || tap_fail "CNI DEL c3"
# the dhcp daemon stops renewing c3's lease (its DHCPRELEASE fails in
# containernetworking-plugins 1.1.1: "no such device", the plugin removes
# the interface first; dnsmasq frees the address when the lease expires)
ns_wait_for 5 grep -q "c3/evpn-dhcp/eth0: releasing lease" "$TAP_TMP/cni-dhcp.log" ||
	tap_fail "c3's lease not given up: $(cat "$TAP_TMP/cni-dhcp.log")"
cni_run "${NODE_NS[A]}" DEL "$TAP_PREFIX-c1" "$TAP_TMP/A.check" || tap_fail "CNI DEL c1"
ip -n "$TAP_PREFIX-c1" link show eth0 > /dev/null 2>&1 && tap_fail "c1's eth0 still there"
[ ! -e "$TAP_TMP/cniA/evpn/$ip1" ] || tap_fail "host-local kept $ip1"
tap_ok "CNI DEL: interfaces gone, host-local address freed, DHCP lease given up"

kill "$DNSMASQ_PID" "$CNI_DHCP_PID" 2> /dev/null
wait "$DNSMASQ_PID" "$CNI_DHCP_PID" 2> /dev/null
for n in A B; do tap_stop $n || tap_fail "evpnd $n exit status"; done
tap_check_logs
echo "PASS"
