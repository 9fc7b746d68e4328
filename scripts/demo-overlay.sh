#!/bin/bash
# make demo, overlay part: a three-node evpn overlay on this machine, built the
# way real nodes build it. Everything runs in network namespaces this script
# creates (and always removes), with real servers:
#
#   pub   prosody (XMPP: membership + signalling) and coturn (STUN/TURN)
#   a     behind an endpoint-independent NAT router (r1)
#   b     behind another endpoint-independent NAT router (r2)
#   c     on the "internet" switch, no NAT
#
# Each node runs evpnd (TAP datapath) knowing only the XMPP server; the nodes
# find each other, punch paths with ICE, authenticate with DTLS and carry
# Ethernet frames. The demo pings every pair over the overlay and prints
# `evpnctl show` for every node.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export EVPN_ROOT=$ROOT
. "$ROOT/tests/netns/lib.sh"
. "$ROOT/tests/netns/cp_lib.sh"

ns_init demo
# The release build (the tests run the sanitizer build).
export CP_EVPND=$ROOT/build/bin/evpnd
EVPNCTL=$ROOT/build/bin/evpnctl
[ -x "$CP_EVPND" ] && [ -x "$EVPNCTL" ] || ns_fail "build first: make"

CP_MEMBERS="a@$XMPP_DOMAIN b@$XMPP_DOMAIN c@$XMPP_DOMAIN"
echo "--- world: prosody + coturn on 10.99.0.10, a and b behind NAT routers, c public"
cp_world ei ei
ns_host c
ns_switch_port inet c eth0 10.99.0.20/24
for n in a b c; do prosody_adduser "$n@$XMPP_DOMAIN" "pw-$n"; done
cp_conf a "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
cp_conf b "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
cp_conf c "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

echo "--- starting evpnd on a, b, c"
t0=$(cp_now)
for n in a b c; do cp_start "$n"; done
for p in "a b" "a c" "b c" "b a" "c a" "c b"; do
	set -- $p
	ns_wait_for 15 cp_ping "$1" "$2" || ns_fail "no overlay ping $1 -> $2"
done
echo "--- every pair pings over the overlay, $(cp_elapsed "$t0") s after start"
for p in "a b" "b c" "c a"; do
	set -- $p
	echo "# ($1) ping -c 3 ${CP_OVIP[$2]}    ($2)"
	ns_exec "$1" ping -c 3 -i 0.2 "${CP_OVIP[$2]}" | sed -n '/packets transmitted/,$p'
done
for n in a b c; do
	echo
	echo "# ($n) evpnctl show evpn0"
	EVPN_RUN_DIR=$NS_DIR/$n/run ns_exec "$n" env EVPN_RUN_DIR="$NS_DIR/$n/run" "$EVPNCTL" show evpn0
done
echo
echo "--- demo done; tearing the namespaces down"
