#!/bin/bash
# ICE moves a keyed kernel link to another candidate pair, under traffic
# (run: tests/vm/run.sh tests/vm/test_evpnd_kernel_pairswitch.sh). Two evpnd
# nodes on the kernel datapath behind EI NATs (prosody + coturn,
# tests/netns/cp_lib.sh). c's router delays every datagram it sends to a's
# NAT by DELAY seconds (netem; TURN and XMPP are not delayed), so ICE's
# checks on the direct pair are still waiting for their answers when the
# pair through the TURN relay succeeds: the link comes up and is keyed on
# the relay (one end hands its host socket to evpn.ko, the other runs it
# through the loopback shim). The delay is then set to 0 with pings
# running (datagrams already queued keep their delay): the direct checks'
# answers arrive, ICE (aggressive nomination) moves the link to the
# higher-priority direct pair -- another socket on the relay's end. evpn.ko
# cannot move a keyed link to another socket, so evpnd must re-create the
# kernel link on it and key it with a fresh epoch over the untouched DTLS
# session, not fail the link and rebuild it. Checked: a move was logged, no
# "failed"/"down"/"refused" for the link, a new epoch ("rekeyed") on both
# ends after the move, the link up and direct in `show`, pings get through.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/netns/lib.sh"
. "$ROOT/tests/netns/cp_lib.sh"
# Under TCG on a loaded host every wait (prosody's start included) takes
# longer: scale them (EVPN_WAIT_SCALE, default 3). No wait is a pass
# condition, only a bound.
eval "$(declare -f ns_wait_for | sed '1s/ns_wait_for/ns_wait_for_unscaled/')"
ns_wait_for() { local s=$1; shift; ns_wait_for_unscaled $((s * ${EVPN_WAIT_SCALE:-3})) "$@"; }
CP_EVPND=${CP_EVPND:-$ROOT/build/bin/evpnd}
[ -x "$CP_EVPND" ] || ns_skip "build/bin/evpnd not built"
mkdir -p /dev/net	# cp_lib checks for it (TAP nodes); ours are kernel
[ -c /dev/net/tun ] || mknod /dev/net/tun c 10 200

ns_init
CP_MEMBERS="a@$XMPP_DOMAIN c@$XMPP_DOMAIN"
cp_world ei ei
cp_node_behind c r3 ei 10.99.0.3 192.168.3
prosody_adduser "a@$XMPP_DOMAIN" pw-a
prosody_adduser "c@$XMPP_DOMAIN" pw-c
cp_conf a 0000000000000000000000000000000a
cp_conf c 0000000000000000000000000000000c
sed -i 's/^datapath = tap/datapath = kernel/' "$NS_DIR/a/evpnd.conf" "$NS_DIR/c/evpnd.conf"

# r1 is a's NAT (10.99.0.1): delay what r3 sends it (ICE checks and their
# answers on the direct pair), nothing else
DELAY=${EVPN_PAIRSWITCH_DELAY:-12}
ns_exec r3 tc qdisc add dev eth0 root handle 1: prio bands 3 \
	priomap 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
ns_exec r3 tc qdisc add dev eth0 parent 1:3 handle 30: netem delay "${DELAY}s" limit 10000
ns_exec r3 tc filter add dev eth0 parent 1:0 protocol ip u32 \
	match ip dst 10.99.0.1/32 match ip protocol 17 0xff flowid 1:3
modprobe evpn
t_start=$(cp_now)
# The relay's end runs through the loopback shim (EVPND_TURN_SHIM), so the
# move is to another socket: what this test is about. Without it, evpn.ko
# frames the relay itself on libnice's base socket, the same socket as the
# direct pair's, and the move is an in-place endpoint change (LINK_SET with
# no TURN peer) that needs no re-key.
CP_ENV="EVPND_TURN_SHIM=1 ${CP_ENV:-}"
cp_start a
cp_start c
ns_wait_for 40 cp_ping a c || ns_fail "no overlay ping a -> c over the relay"
relayed() { [ "$(cp_link "$1" "$2" relayed)" = "$3" ]; }
relayed a c true ||
	ns_skip "a-c came up direct: the relay was not faster than ${DELAY}s (nothing to test)"
ns_log "a-c up over TURN after $(cp_elapsed "$t_start") s: $(cp_link a c ice_pair) / $(cp_link c a ice_pair)"
grep -h 'up in' "$NS_DIR/evpnd-a.log" "$NS_DIR/evpnd-c.log" >&2 || true

ns_log "delay to 0 with pings running"
mark_a=$(wc -l <"$NS_DIR/evpnd-a.log")
mark_c=$(wc -l <"$NS_DIR/evpnd-c.log")
# (not through the ns_exec function: $! must be ping itself for kill -INT)
ip netns exec "$(ns_name c)" ping -i 0.2 -W 1 "${CP_OVIP[a]}" >"$NS_DIR/ping.out" 2>&1 &
PING=$!
sleep 1
ns_exec r3 tc qdisc change dev eth0 parent 1:3 handle 30: netem delay 0ms limit 10000
since() { tail -n +"$((${2} + 1))" "$NS_DIR/evpnd-$1.log"; }
moved() { since a "$mark_a" | grep -q 'moves to another socket' ||
	  since c "$mark_c" | grep -q 'moves to another socket'; }
if ! ns_wait_for 40 moved; then
	kill -INT "$PING"; wait "$PING" 2>/dev/null || true
	since a "$mark_a" >&2; since c "$mark_c" >&2
	ns_skip "ICE did not move the link to another socket (nothing to test)"
fi
t0=$(cp_now)
ns_log "ICE moved the link to another socket"
rekeyed() { since a "$mark_a" | grep -q 'rekeyed (epoch' &&
	    since c "$mark_c" | grep -q 'rekeyed (epoch'; }
ns_wait_for 20 rekeyed || ns_fail "no new key epoch after the move"
sleep 3		# pings on the new pair and epoch
kill -INT "$PING"; wait "$PING" 2>/dev/null || true
for n in a c; do
	m=mark_$n
	since "$n" "${!m}" | grep -E 'moves to another socket|rekeyed|ICE|link to' >&2 || true
	if since "$n" "${!m}" | grep -Eq 'link to [0-9a-f]+ (failed|down)|refused the new ICE pair'; then
		ns_fail "$n tore the link down instead of re-keying it on the new socket"
	fi
done
ns_log "switch done in $(cp_elapsed "$t0") s: $(tail -n 2 "$NS_DIR/ping.out" | head -n 1)"
cp_link_up a c || ns_fail "a does not report the link up"
cp_link_up c a || ns_fail "c does not report the link up"
ns_log "a-c now: $(cp_link a c ice_pair) relayed=$(cp_link a c relayed) kernel_socket=$(cp_link a c kernel_socket)"
tx=$(awk '/packets transmitted/ { print $1 }' "$NS_DIR/ping.out")
rx=$(awk '/packets transmitted/ { print $4 }' "$NS_DIR/ping.out")
ns_log "pings: $rx of $tx answered across the switch"
# the re-created link has no key until the new epoch is agreed (one DTLS
# round trip plus a key install): a few pings may go in that gap, not more
[ "$rx" -gt 0 ] && [ $((tx - rx)) -le 10 ] || ns_fail "$((tx - rx)) of $tx pings lost"
cp_ping c a || ns_fail "no ping c -> a after the switch"
cp_check_logs
for n in a c; do cp_stop_clean "$n"; done
echo "PASS: ICE pair switch on a kernel link: re-created on the new socket, new key epoch, no teardown"
