#!/usr/bin/env bash
# Open vSwitch on the TAP datapath (docs/ovs.md): two sites A and B, each an
# evpnd node whose TAP device is a port of the site's OVS bridge br0
# (datapath_type=netdev: the host has no openvswitch kernel module), with
# containers (network namespaces on veth ports of br0) behind it. The checks
# are ovs_case in tests/lib/l2_cases.sh, shared with the evpn.ko VM test
# (tests/vm/test_kdp_ovs.sh), with a real dnsmasq in a container at site A:
# - without rules, a container at A and one at B both get a lease from it;
# - with etc/ovs/dhcp-block.flows on both bridges, the container at A still
#   gets a lease, the one at B gets none (its requests never reach dnsmasq;
#   the rule counts them), and once the rules are deleted B gets one again;
# - container to container across the sites: ping at full size with Don't
#   Fragment, iperf3 TCP (containers at the MTU of tests/lib/ctr.sh);
# - VLAN trunking: access ports tagged 10 at A and B reach each other across
#   the overlay (full-size ping), the frames cross it tagged, a port tagged
#   20 at B does not see VLAN 10.
# evpnd runs with `offload = no`: OVS's userspace datapath reads the TAP
# device as a plain socket and drops the coalesced (GRO) TCP frames evpnd
# writes with offloads on (docs/ovs.md).
. "$(dirname "$0")/tap_common.sh"
. "$EVPN_ROOT/tests/lib/l2_cases.sh"

tap_init "evov${EVPN_NS_TAG:-}"
trap 'rc=$?; ctr_cleanup; (exit $rc); tap_cleanup' EXIT
ovs_require
for t in dnsmasq busybox iperf3 ethtool tcpdump socat; do
	command -v $t > /dev/null || { echo "SKIP: $t missing"; exit 77; }
done

tap_lan
tap_node A 10000000000000000000000000000001 10.77.0.1
tap_node B 80000000000000000000000000000002 10.77.0.2
tap_link A B
for s in A B; do
	sed -i "s/^name = tap$s$/name = tap$s\noffload = no/" "$TAP_TMP/$s/evpnd.conf"
done
tap_start A
tap_start B

ovs_case "${NODE_NS[A]}" tapA "${NODE_NS[B]}" tapB netdev "$TAP_TMP" "$TAP_PREFIX-"

for n in A B; do tap_stop $n || tap_fail "evpnd $n exit status"; done
tap_check_logs
echo "PASS"
