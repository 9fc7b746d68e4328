#!/usr/bin/env bash
# Open vSwitch on the TAP datapath (docs/ovs.md): two sites A and B, each an
# evpnd node whose TAP device is a port of the site's OVS bridge br0
# (datapath_type=netdev: the host has no openvswitch kernel module), with
# containers (network namespaces on veth ports of br0) behind it.
#
# Checks, with a real dnsmasq in a container at site A:
# - without rules, a container at A and one at B both get a lease from it;
# - with etc/ovs/dhcp-block.flows on both bridges, the container at A still
#   gets a lease, the one at B gets none (its requests never reach dnsmasq;
#   the rule counts them), and once the rules are deleted B gets one again;
# - container to container across the sites: ping at full size with Don't
#   Fragment, iperf3 TCP (containers at the MTU of tests/lib/ctr.sh);
# - VLAN trunking: access ports tagged 10 at A and B reach each other across
#   the overlay (full-size ping), the frames cross it tagged, a port tagged
#   20 at B does not see VLAN 10.
. "$(dirname "$0")/tap_common.sh"
. "$EVPN_ROOT/tests/lib/ovs.sh"
. "$EVPN_ROOT/tests/lib/ctr.sh"

tap_init "evov${EVPN_NS_TAG:-}"
ovs_require
for t in dnsmasq busybox iperf3 ethtool tcpdump socat; do
	command -v $t > /dev/null || { echo "SKIP: $t missing"; exit 77; }
done

tap_lan
tap_node A 10000000000000000000000000000001 10.77.0.1
tap_node B 80000000000000000000000000000002 10.77.0.2
tap_link A B
for s in A B; do sed -i "s/^name = tap$s$/name = tap$s\noffload = no/" "$TAP_TMP/$s/evpnd.conf"; done
tap_start A
tap_start B

# ctr NAME SITE [OVS-PORT-ARGS...]: a container at SITE on br0
ctr() {
	local c=$1 s=$2 ns=$TAP_PREFIX-$1
	shift 2
	ctr_add "${NODE_NS[$s]}" "$ns" "v$c" "$MTU" || tap_fail "container $c"
	TAP_NSES+=("$ns")
	ctr_csum_off "$ns" eth0
	ovs_vsctl "$TAP_TMP/ovs$s" add-port br0 "v$c" "$@" || tap_fail "add-port v$c"
}
cx() { local c=$1; shift; ip netns exec "$TAP_PREFIX-$c" "$@"; }

MTU=$(ctr_mtu "${NODE_NS[A]}" tapA)
echo "containers at MTU $MTU (tapA's MTU is $(tap_nsx A cat /sys/class/net/tapA/mtu))"
for s in A B; do
	ovs_start "${NODE_NS[$s]}" "$TAP_TMP/ovs$s" || tap_fail "OVS at $s"
	ovs_vsctl "$TAP_TMP/ovs$s" add-br br0 -- set bridge br0 datapath_type=netdev \
		-- add-port br0 "tap$s" || tap_fail "bridge at $s"
done
tap_ok "OVS bridges (netdev datapath) with tapA and tapB as ports"

ctr srvA A	# dnsmasq
ctr cA A	# DHCP client, iperf3 server
ctr cB B	# DHCP client, iperf3 client
cx srvA ip addr add 10.88.0.1/24 dev eth0
dnsmasq_start "$TAP_PREFIX-srvA" eth0 10.88.0.100 10.88.0.150 "$TAP_TMP/dnsmasq.log"
ns_wait_for 5 grep -q 'DHCP, sockets bound' "$TAP_TMP/dnsmasq.log" ||
	tap_fail "dnsmasq did not start: $(cat "$TAP_TMP/dnsmasq.log")"
macB=$(cx cB cat /sys/class/net/eth0/address)

# --- DHCP across the overlay without rules, then blocked by OpenFlow ---
la=$(dhcp_lease "$TAP_PREFIX-cA" eth0 5) || tap_fail "no lease at A (local)"
lb=$(dhcp_lease "$TAP_PREFIX-cB" eth0 5) || tap_fail "no lease at B from A's dnsmasq"
tap_ok "no rules: A's container leased $la, B's container leased $lb across the overlay"

for s in A B; do
	ovs_flows_file "$EVPN_ROOT/etc/ovs/dhcp-block.flows" "tap$s" |
		ovs_ofctl "$TAP_TMP/ovs$s" add-flows br0 - || tap_fail "add-flows at $s"
done
ovs_ofctl "$TAP_TMP/ovsA" dump-flows br0
nlog=$(wc -l < "$TAP_TMP/dnsmasq.log")
la=$(dhcp_lease "$TAP_PREFIX-cA" eth0 5) || tap_fail "no local lease at A with the rules"
if lb=$(dhcp_lease "$TAP_PREFIX-cB" eth0 4); then
	tap_fail "B leased $lb from A's dnsmasq despite the rules"
fi
tail -n +$((nlog + 1)) "$TAP_TMP/dnsmasq.log" | grep -qi "DHCPDISCOVER.*$macB" &&
	tap_fail "B's DHCPDISCOVER reached dnsmasq despite the rules"
dropped=$(ovs_flow_packets "$TAP_TMP/ovsA" br0 0xd4c9)
[ "$dropped" -ge 4 ] || tap_fail "A's rules dropped only $dropped of B's requests"
tap_ok "rules: A leased $la locally, B none ($dropped requests dropped at A's bridge)"

for s in A B; do
	ovs_ofctl "$TAP_TMP/ovs$s" del-flows br0 cookie=0xd4c9/-1 || tap_fail "del-flows"
done
lb=$(dhcp_lease "$TAP_PREFIX-cB" eth0 5) || tap_fail "no lease at B after deleting the rules"
tap_ok "rules deleted: B leased $lb again"

# --- container to container across the sites ---
cx cA ip addr add 10.88.0.11/24 dev eth0
cx cB ip addr add 10.88.0.12/24 dev eth0
ctr_ping_df "$TAP_PREFIX-cB" 10.88.0.11 "$MTU" || tap_fail "ping -M do -s $((MTU - 28)) B -> A"
ctr_ping_df "$TAP_PREFIX-cA" 10.88.0.12 "$MTU" || tap_fail "ping -M do -s $((MTU - 28)) A -> B"
tap_ok "containers: ping -M do -s $((MTU - 28)) both ways"
r=$(ctr_iperf "$TAP_PREFIX-cA" 10.88.0.11 "$TAP_PREFIX-cB" 3) || tap_fail "iperf3 B -> A"
echo "iperf3 container B -> container A through OVS (netdev) and the TAP datapath: $r (MB, Mbit/s, retransmits)"
awk -v m="${r%% *}" 'BEGIN { exit !(m > 1) }' || tap_fail "iperf3 moved only ${r%% *} MB"
tap_ok "containers: iperf3 TCP ${r%% *} MB"

# --- VLAN trunking: the overlay port is a trunk, containers on access ports ---
ctr v10A A tag=10
ctr v10B B tag=10
ctr v20B B tag=20
cx v10A ip addr add 10.89.0.1/24 dev eth0
cx v10B ip addr add 10.89.0.2/24 dev eth0
cx v20B ip addr add 10.89.0.3/24 dev eth0
tap_tcpdump B "$TAP_TMP/vlan.pcap" -i tapB -e 'vlan 10 and icmp'
vpid=$TD_PID
ctr_ping_df "$TAP_PREFIX-v10A" 10.89.0.2 "$MTU" || tap_fail "VLAN 10 ping A -> B"
tap_tcpdump_stop "$vpid" "$TAP_TMP/vlan.pcap" 6
n=$(tap_pcap_count "$TAP_TMP/vlan.pcap")
[ "$n" -ge 6 ] || tap_fail "only $n VLAN 10 ICMP frames on tapB"
if cx v10A ping -c 2 -i 0.3 -W 1 10.89.0.3 > /dev/null; then
	tap_fail "VLAN 10 reached a VLAN 20 port"
fi
tap_ok "VLAN 10 across the overlay (tagged on tapB: $n frames), VLAN 20 isolated"

for s in A B; do ovs_stop "$TAP_TMP/ovs$s"; done
kill "$DNSMASQ_PID" 2> /dev/null
wait "$DNSMASQ_PID" 2> /dev/null
for n in A B; do tap_stop $n || tap_fail "evpnd $n exit status"; done
tap_check_logs
echo "PASS"
