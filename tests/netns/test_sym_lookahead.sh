#!/bin/bash
# 1-lookahead in evpnd's TAP datapath over the neighbours' link lists,
# exchanged in-band on each link (NBRS, docs/signalling.md 6).
#
# Five evpnd nodes, one prosody, `topology = symphony` with k = 0 and one
# short link each way: a pure ring. IDs (top byte) S 01, P 0d, D 66, X 73,
# Q 80; ring S-P-D-X-Q-S. From S to D plain greedy takes the neighbour
# closest to D, Q (|80-66| = 1a < |0d-66| = 59): S-Q-X-D, 3 hops. With P's
# list {S, D}, S reaches D in two hops through P: S-P-D. Observed on the
# transit nodes' forwarding counters. The replies D -> S take P either
# way (P is D's neighbour closest to S). With the lists P forwards requests
# and replies, Q and X nothing; with every evpnd started with
# EVPND_NO_LOOKAHEAD=1 (no lists sent) Q and X forward the requests and P
# only the replies.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

EVPND=${EVPND:-$EVPN_ROOT/build/asan/bin/evpnd}
[ -x "$EVPND" ] || ns_skip "$EVPND not built"
NODES="s p d x q"
declare -A ID=(
	[s]=01000000000000000000000000000001 [p]=0d000000000000000000000000000002
	[d]=66000000000000000000000000000003 [x]=73000000000000000000000000000004
	[q]=80000000000000000000000000000005)
PINGS=30

ns_init
CP_MEMBERS=$(for n in $NODES; do printf '%s@%s ' "$n" "$XMPP_DOMAIN"; done)
cp_server
i=0
for n in $NODES; do
	i=$((i + 1))
	ns_host "$n"
	ns_switch_port inet "$n" eth0 "10.99.0.$((20 + i))/24"
	ns_exec "$n" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6'
	prosody_adduser "$n@$XMPP_DOMAIN" "pw-$n"
done
CP_EXTRA_CONF="topology = symphony
symphony-k = 0
symphony-short = 1"
for n in $NODES; do cp_conf "$n" "${ID[$n]}"; done

fwd() { cp_get "$1" 'j["fwd_packets"]'; }
# S has both ring links up with their peers' lists (or, without lists,
# just the links), and S reaches D.
ready() {
	local want=$1 n
	for n in p q; do
		cp_link_up s "$n" || return 1
		[ "$(cp_link s "$n" peer_links)" = "$want" ] || return 1
	done
	cp_ping s d
}

# run LABEL PEER_LINKS: ping S -> D, print and return the transit deltas
run() {
	local n before=() after=() i=0
	ns_wait_for 60 ready "$2" || {
		cp_show s >&2; ns_fail "$1: ring not up (S's links / lists)"; }
	ns_exec s ping -c 2 -i 0.2 -W 2 "${CP_OVIP[d]}" >/dev/null	# ARP, FDB
	for n in p x q; do before+=("$(fwd "$n")"); done
	ns_exec s ping -c "$PINGS" -i 0.05 -W 2 "${CP_OVIP[d]}" >/dev/null ||
		ns_fail "$1: pings S -> D lost"
	for n in p x q; do after+=("$(fwd "$n")"); done
	DP=$((after[0] - before[0])); DX=$((after[1] - before[1])); DQ=$((after[2] - before[2]))
	ns_log "$1: $PINGS pings S -> D; forwarded by P $DP, X $DX, Q $DQ"
}

step() { ns_log "== $*"; }

step "with link lists (default): S-P-D"
for n in $NODES; do cp_start "$n"; done
run lookahead 2
[ "$DP" -ge $((2 * PINGS)) ] || ns_fail "lookahead: P forwarded $DP < 2 x $PINGS"
# S -> D is relayed, so sealed end to end with the pair key each derived
# from the other's signed presence (docs/protocol.md 14.2)
for n in s d; do
	[ "$(cp_get "$n" 'j["e2e_keys"]')" = 4 ] ||
		ns_fail "$n holds $(cp_get "$n" 'j["e2e_keys"]') e2e pair keys, want 4"
done
[ "$DX" -lt 5 ] && [ "$DQ" -lt 5 ] || ns_fail "lookahead: S -> D still went through Q and X"
for n in $NODES; do
	[ "$(cp_get "$n" 'j["overlays"][0]["nbrs_malformed"]')" = 0 ] ||
		ns_fail "$n counted malformed link lists"
	[ "$(cp_get "$n" 'j["overlays"][0]["nbrs_in"]')" -ge 2 ] ||
		ns_fail "$n received fewer than 2 link lists"
done
# the list a node holds for a neighbour is that neighbour's UP links
[ "$(cp_link s p peer_links)" = 2 ] || ns_fail "S holds no 2-entry list for P"
for n in $NODES; do cp_stop "$n"; done

step "without link lists (EVPND_NO_LOOKAHEAD=1 everywhere): plain greedy S-Q-X-D"
CP_ENV="EVPND_NO_LOOKAHEAD=1"
for n in $NODES; do cp_start "$n"; done
run greedy -1
[ "$DQ" -ge "$PINGS" ] && [ "$DX" -ge "$PINGS" ] ||
	ns_fail "greedy: S -> D did not go through Q and X"
[ "$DP" -lt $((PINGS + 5)) ] || ns_fail "greedy: P forwarded $DP (requests too?)"
cp_check_logs
echo "PASS: 1-lookahead S-P-D (2 hops) vs greedy S-Q-X-D (3 hops)"
