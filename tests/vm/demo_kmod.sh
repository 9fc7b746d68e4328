#!/bin/bash
# make demo, kernel part: runs inside the VM (tests/vm/run.sh). Shows the
# documented sequence: the module autoloads on `ip link add`, the device takes
# an address, evpnctl sets and shows the node ID over generic netlink.
set -euo pipefail
EVPNCTL=$EVPN_ROOT/build/bin/evpnctl
run() { echo "# $*"; "$@"; }
run ip link add evpn0 type evpn
run ip link set evpn0 up
run ip addr add 10.99.0.1/24 dev evpn0
run "$EVPNCTL" set evpn0 node-id "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
run ip -d link show evpn0
run "$EVPNCTL" show evpn0
run ip link del evpn0
run rmmod evpn
