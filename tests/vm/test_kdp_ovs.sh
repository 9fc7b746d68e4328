#!/bin/bash
# evpn.ko with Open vSwitch and containers (run: tests/vm/run.sh
# tests/vm/test_kdp_ovs.sh; docs/ovs.md, docs/containers.md). Two sites a and
# b, each a namespace with evpn0 (one static link over a veth underlay). The
# checks are those of the TAP datapath's tests (tests/lib/l2_cases.sh), here
# with evpn0 as the port:
# - ovs_case: each site's evpn0 a port of an OVS bridge on the kernel
#   datapath (the openvswitch module), containers on veth ports; a real
#   dnsmasq at a: leases at both sites without rules, with
#   etc/ovs/dhcp-block.flows the container at b gets none while a's still
#   does, b gets one again once they are deleted; container to container
#   ping -M do at full size and iperf3 TCP; VLAN 10 trunked across the
#   overlay (tagged on evpn0), VLAN 20 isolated;
# - cni_case: then each evpn0 a port of a Linux bridge, containers attached
#   by the reference CNI bridge plugin (host-local per-site ranges; dhcp IPAM
#   leasing from a's dnsmasq across the overlay), ping -M do, iperf3, CHECK,
#   DEL.
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
. "$EVPN_ROOT/tests/lib/l2_cases.sh"
on_exit() {
	local rc=$? n
	if [ $rc -ne 0 ]; then	# what the datapath saw, for the log
		for n in a b; do ctl $n show evpn0 2>&1 | head -40 || true; done
	fi
	ctr_cleanup kdp-a kdp-b
	kdp_cleanup
}
trap on_exit EXIT

A=0a000000000000000000000000000001
B=0b000000000000000000000000000002
PSK=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff

ovs_require
for t in dnsmasq busybox iperf3 tcpdump "$CNI_PATH/bridge" "$CNI_PATH/host-local" "$CNI_PATH/dhcp"; do
	command -v "$t" > /dev/null || { echo "SKIP: $t missing"; exit 77; }
done
modprobe openvswitch || fail "the openvswitch module does not load"
modprobe evpn

step "two sites, one veth underlay, one static link; evpn0 without addresses (a bridge port)"
kdp_node a "$A" 1
kdp_node b "$B" 2
kdp_wire a b 10.1.1
kdp_link a "$A" 10.1.1.1:5000 b "$B" 10.1.1.2:5000 "$PSK"
for n in a b; do nsx $n ip addr flush dev evpn0; done
DIR=$(mktemp -d /tmp/kdp-ovs.XXXXXX)

step "Open vSwitch (kernel datapath): OpenFlow DHCP block, containers, VLAN trunk"
ovs_case kdp-a evpn0 kdp-b evpn0 system "$DIR" kdp-c-

step "Linux bridge and CNI: containers attached like a container runtime does"
ctr_cleanup
cni_case kdp-a evpn0 kdp-b evpn0 "$DIR" kdp-k-

step "teardown"
ctr_cleanup kdp-a kdp-b
kdp_teardown a b
echo "PASS"
