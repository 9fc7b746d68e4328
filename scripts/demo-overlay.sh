#!/bin/bash
# `make demo`, part 2: a small evpn overlay in network namespaces on this
# machine, built only from an XMPP server (prosody) and a STUN/TURN server
# (coturn), both real, in their own namespace:
#
#   a  behind an endpoint-independent NAT   (10.200.0.1)
#   b  behind a symmetric NAT               (10.200.0.2)
#   c  directly on the "internet" switch    (10.200.0.3)
#
# Every node knows only the servers; the overlay (full mesh) forms by itself
# over XMPP + ICE + DTLS. The script pings every pair over the overlay and
# prints `evpnctl show` for each node, then removes everything it created.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export EVPN_ROOT=$ROOT
. "$ROOT/tests/netns/lib.sh"
. "$ROOT/tests/netns/cp_lib.sh"

ns_init demo_overlay
D=$XMPP_DOMAIN
CP_MEMBERS="a@$D b@$D c@$D"
[ -x "$ROOT/build/bin/evpnd" ] && CP_EVPND="$ROOT/build/bin/evpnd"
cp_world ei sym
ns_host c
ns_switch_port inet c eth0 10.99.0.20/24
for u in a b c; do prosody_adduser "$u@$D" "pw-$u"; done
cp_conf a 4a000000000000000000000000000001
cp_conf b 4b000000000000000000000000000002
cp_conf c 4c000000000000000000000000000003
t0=$(cp_now)
for n in a b c; do cp_start $n; done
echo "evpnd started on a (behind EI NAT), b (behind symmetric NAT), c (public)"

for p in "a b" "a c" "b c" "b a" "c a" "c b"; do
	set -- $p
	ns_wait_for 15 cp_ping "$1" "$2" || ns_fail "no overlay ping $1 -> $2"
	echo "ping $1 -> $2 (${CP_OVIP[$2]}) over the overlay: ok  (t = $(cp_elapsed "$t0") s)"
done
EVPNCTL=$(ns_bin evpnctl)
for n in a b c; do
	echo
	echo "--- node $n: evpnctl show evpn0 ---"
	ns_exec "$n" env EVPN_RUN_DIR="$NS_DIR/$n/run" "$EVPNCTL" show evpn0 ||
		cp_show "$n"
done
echo
for n in a b c; do
	for p in a b c; do
		[ "$n" = "$p" ] && continue
		printf '%s -> %s: %s (%s)\n' "$n" "$p" \
			"$(cp_link "$n" "$p" ice_pair)" \
			"$( [ "$(cp_link "$n" "$p" relayed)" = true ] && echo relayed || echo direct)"
	done
done
echo "demo overlay: all pairs ping; cleaning up"
