#!/bin/bash
# evpn.ko routes unicast with 1-lookahead over its neighbours' link lists
# (EVPN_LINK_A_NBRS; run: tests/vm/run.sh tests/vm/test_kdp_lookahead.sh).
#
# Five kernel nodes, static links S-A, S-B, A-C, C-D, B-D; IDs (top byte)
# S 01, B 40, A 70, C 78, D 80. S -> D: plain greedy takes the neighbour
# closest to D, A (3 hops: S-A-C-D); with the lists S sees D on B's list
# and goes S-B-D (2 hops). Observed on the transit links' counters. Then
# malformed NBRS attributes are refused with an extack message. (This
# graph is not a ring, so the bounded flood does not reach every node: only
# S's own ARP, answered by D, is relied on.)
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
trap kdp_cleanup EXIT
NLTEST=$BIN/evpn-nltest

S=01000000000000000000000000000001
B=40000000000000000000000000000002
A=70000000000000000000000000000003
C=78000000000000000000000000000004
D=80000000000000000000000000000005
EVPN_A_LINK_NESTED=$((0x8000 | 11))	# EVPN_A_LINK | NLA_F_NESTED
LINK_A_PEER_ID=1
LINK_A_NBRS=16
CMD_LINK_NEW=3
CMD_LINK_SET=4

# nla TYPE HEX: one netlink attribute (little-endian header, padded)
nla() {
	local t=$1 h=$2 len pad
	len=$((4 + ${#h} / 2))
	pad=$(( (4 - len % 4) % 4 ))
	printf '%02x%02x%02x%02x%s' $((len & 255)) $((len >> 8)) $((t & 255)) $((t >> 8)) "$h"
	while [ "$pad" -gt 0 ]; do printf 00; pad=$((pad - 1)); done
}
# set_nbrs NODE PEER ID...: LINK_SET {PEER_ID, NBRS} on NODE's link to PEER
set_nbrs() {
	local n=$1 peer=$2 ids
	shift 2
	ids=$(printf '%s' "$@")
	nsx "$n" "$NLTEST" $CMD_LINK_SET ifname=evpn0 \
		"raw:$EVPN_A_LINK_NESTED=$(nla $LINK_A_PEER_ID "$peer")$(nla $LINK_A_NBRS "$ids")"
}
# expect_nl NODE ERRNO ARGS...: refused with that errno and an extack message
expect_nl() {
	local n=$1 want=$2 out
	shift 2
	out=$(nsx "$n" "$NLTEST" "$@" || true)
	echo "   -> $out"
	case "$out" in "error errno=$want "*extack=?*) ;; *) fail "expected errno $want with extack" ;; esac
}
fwd() { link_tx "$1" "$2"; }

modprobe evpn
kdp_switch
i=1
for n in s b a c d; do kdp_node "$n" "$(eval echo \$${n^^})" $i; kdp_plug "$n" $i; i=$((i + 1)); done
# indices: s 1, b 2, a 3, c 4, d 5
kdp_sw_link s 1 "$S" a 3 "$A" "$(printf '%064x' 1)"
kdp_sw_link s 1 "$S" b 2 "$B" "$(printf '%064x' 2)"
kdp_sw_link a 3 "$A" c 4 "$C" "$(printf '%064x' 3)"
kdp_sw_link c 4 "$C" d 5 "$D" "$(printf '%064x' 4)"
kdp_sw_link b 2 "$B" d 5 "$D" "$(printf '%064x' 5)"
kdp_e2e s "$S" d "$D" "$(printf '%064x' 0x5d)"	# relayed: sealed end to end
nsx s ping -c 2 -i 0.2 -W 2 10.77.0.5 >/dev/null	# ARP + FDB learned

step "no link lists: plain greedy S-A-C-D"
ac0=$(fwd a "$C"); bd0=$(fwd b "$D")
nsx s ping -c 20 -i 0.05 -W 2 10.77.0.5 >/dev/null
ac1=$(fwd a "$C"); bd1=$(fwd b "$D")
echo "   A->C +$((ac1 - ac0)), B->D +$((bd1 - bd0))"
[ $((ac1 - ac0)) -ge 20 ] || fail "greedy S->D did not go through A and C"
[ $((bd1 - bd0)) -lt 5 ] || fail "greedy S->D went through B"

step "S learns A's and B's link lists: 1-lookahead S-B-D"
set_nbrs s "$A" "$S" "$C"
set_nbrs s "$B" "$S" "$D"
ctl s link show evpn0 | grep -q "peer links (2): $S $D" || {
	ctl s link show evpn0; fail "B's list not shown on S"; }
nsx s ping -c 20 -i 0.05 -W 2 10.77.0.5 >/dev/null
ac2=$(fwd a "$C"); bd2=$(fwd b "$D")
echo "   A->C +$((ac2 - ac1)), B->D +$((bd2 - bd1))"
[ $((bd2 - bd1)) -ge 20 ] || fail "lookahead S->D did not go through B"
[ $((ac2 - ac1)) -lt 5 ] || fail "lookahead S->D still went through A and C"

step "an empty list forgets it: back to greedy"
set_nbrs s "$B"
[ "$(ctl s link show evpn0 | grep -c 'peer links')" = 1 ] || fail "empty NBRS not applied"
nsx s ping -c 20 -i 0.05 -W 2 10.77.0.5 >/dev/null
ac3=$(fwd a "$C")
[ $((ac3 - ac2)) -ge 20 ] || fail "after clearing B's list S->D did not return to A-C"

step "malformed NBRS refused with extack"
peer=$(nla $LINK_A_PEER_ID "$B")
expect_nl s 22 $CMD_LINK_SET ifname=evpn0 "raw:$EVPN_A_LINK_NESTED=$peer$(nla $LINK_A_NBRS "${S}00")"	# 17 bytes
expect_nl s 22 $CMD_LINK_SET ifname=evpn0 "raw:$EVPN_A_LINK_NESTED=$peer$(nla $LINK_A_NBRS "${S:0:30}")"	# 15 bytes
big=$(for i in $(seq 65); do printf '%032x' "$i"; done)
expect_nl s 34 $CMD_LINK_SET ifname=evpn0 "raw:$EVPN_A_LINK_NESTED=$peer$(nla $LINK_A_NBRS "$big")"	# 65 IDs
out=$(nsx s "$NLTEST" $CMD_LINK_NEW ifname=evpn0 \
	"raw:$EVPN_A_LINK_NESTED=$(nla $LINK_A_PEER_ID "$C")$(nla 2 00000000)$(nla $LINK_A_NBRS "$D")" || true)
echo "   -> $out"	# not on LINK_NEW
case "$out" in *"errno=22 "*"NBRS is set with LINK_SET"*) ;; *) fail "LINK_NEW with NBRS not refused" ;; esac
expect_nl s 2 $CMD_LINK_SET ifname=evpn0 "raw:$EVPN_A_LINK_NESTED=$(nla $LINK_A_PEER_ID "$C")$(nla $LINK_A_NBRS "$D")"	# no such link
# 64 IDs is the limit and is accepted
max=$(for i in $(seq 64); do printf '%032x' "$((i + 1000))"; done)
set_nbrs s "$B" "$max" >/dev/null || fail "64 IDs refused"
ctl s link show evpn0 | grep -q "peer links (64)" || fail "64-ID list not stored"
nsx s ping -c 3 -i 0.1 -W 2 10.77.0.5 >/dev/null

kdp_cleanup
KDP_NODES=""; KDP_PIDS=""
sleep 1
rmmod evpn
kdp_dmesg_clean
echo "PASS test_kdp_lookahead"
