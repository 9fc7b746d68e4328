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
# overlay). The checks are cni_case in tests/lib/l2_cases.sh, shared with the
# evpn.ko VM test (tests/vm/test_kdp_ovs.sh): each ADD returns an address
# from its range (or the DHCP pool) and gives eth0 the containers' MTU
# (tests/lib/ctr.sh); full-size ping with Don't Fragment and iperf3 TCP
# container to container across the sites; CHECK passes; DEL removes the
# interface, frees the host-local address and stops the DHCP lease's renewal.
. "$(dirname "$0")/tap_common.sh"
. "$EVPN_ROOT/tests/lib/l2_cases.sh"

tap_init "evcn${EVPN_NS_TAG:-}"
trap 'rc=$?; ctr_cleanup; (exit $rc); tap_cleanup' EXIT
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

cni_case "${NODE_NS[A]}" tapA "${NODE_NS[B]}" tapB "$TAP_TMP" "$TAP_PREFIX-"

for n in A B; do tap_stop $n || tap_fail "evpnd $n exit status"; done
tap_check_logs
echo "PASS"
