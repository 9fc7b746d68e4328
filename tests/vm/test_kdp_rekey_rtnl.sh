#!/bin/bash
# What a peer's rekeying costs the rest of the host (run: tests/vm/run.sh
# tests/vm/test_kdp_rekey_rtnl.sh): `ip link set dev X mtu N` and bare
# RTM_SETLINK requests are timed while a link's key is replaced 0, 100 and
# 1000 times per second (KEY_NEW takes RTNL, as every evpn genetlink
# request does; replacing a key must not add a grace-period wait to it,
# security review M5). Prints the numbers; asserts only that every command
# and key install completed (no timing assertion: TCG and a shared host
# make absolute times noisy). Traffic runs meanwhile so the key is in use.
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
trap kdp_cleanup EXIT

A=0a000000000000000000000000000001
B=0b000000000000000000000000000002
PSK=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff

modprobe evpn
kdp_node a "$A" 1
kdp_node b "$B" 2
kdp_wire a b 10.1.1
kdp_link a "$A" 10.1.1.1:5000 b "$B" 10.1.1.2:5000 "$PSK"
nsx a ping -c 2 -i 0.2 -W 2 10.77.0.2 >/dev/null
nsx a ping -q -i 0.05 10.77.0.2 >/dev/null 2>&1 &
KDP_PIDS="$KDP_PIDS $!"
nsx a ip link add kdp-mtu0 type dummy
step "RTNL wait while a's key to b is replaced (${REKEY_SECONDS:-5} s per rate)"
uptime
nsx a python3 "$(dirname "$0")/rekey_rtnl.py" evpn0 "$B" "${REKEY_SECONDS:-5}" kdp-mtu0 ||
	{ fail "rekey/mtu commands failed"; }
nsx a ip link del kdp-mtu0
ctl a link show evpn0 | head -5

step "teardown"
kdp_teardown a b
echo "PASS test_kdp_rekey_rtnl"
