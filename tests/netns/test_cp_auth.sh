#!/bin/bash
# Who must never get a link: a node with a wrong XMPP password, a node whose
# account is not in the overlay's group, and a man in the middle whose DTLS
# certificate does not match the fingerprint in its presence. Two good nodes
# (a, b) link and ping meanwhile; every node is behind its own EI NAT.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

ns_init
D=$XMPP_DOMAIN
CP_MEMBERS="a@$D b@$D c@$D m@$D"	# d has an account but is no member
cp_world ei ei
cp_node_behind c r3 ei 10.99.0.3 192.168.3
cp_node_behind d r4 ei 10.99.0.4 192.168.4
cp_node_behind m r5 ei 10.99.0.5 192.168.5
for u in a b c d m; do prosody_adduser "$u@$D" "pw-$u"; done

cp_conf a 0000000000000000000000000000000a
cp_conf b 0000000000000000000000000000000b
cp_conf c 0000000000000000000000000000000c "c@$D" wrong-password
cp_conf d 0000000000000000000000000000000d
cp_conf m 0000000000000000000000000000000e
# m announces a fingerprint that is not its certificate's (a's, say: a MITM
# copying a real node's presence)
cp_start a
fp_a=$(cp_get a 'j["fingerprint"]')
cp_start b
cp_start c
cp_start d
CP_ENV="EVPND_TEST_ANNOUNCE_FP=$fp_a" cp_start m

ns_wait_for 10 cp_ping a b || ns_fail "good nodes a, b did not link"
ns_wait_for 5 cp_link_up a b || ns_fail "a: link to b not up"
# The negative checks below run once every bad node has had its chance,
# shown by a positive event rather than a fixed sleep: c's login was
# refused, d is online, and m's handshakes reached a and b and were refused
# (m started after d: d's presence, had it leaked, had as long to arrive).
ns_wait_for 10 cp_true c 'j["overlays"][0]["xmpp_auth_failures"] >= 1' ||
	ns_fail "c: no auth failure counted"
ns_wait_for 10 cp_true d 'j["overlays"][0]["xmpp"] == "online"' || ns_fail "d not online"
for n in a b; do
	ns_wait_for 20 cp_true $n 'j["overlays"][0]["dtls_refused"] >= 1' ||
		ns_fail "$n: no refused DTLS handshake counted"
done

# wrong password: never online, counted, no link anywhere
[ "$(cp_get c 'j["overlays"][0]["xmpp"]')" != online ] || ns_fail "c is online"
# non-member: online, but sees nobody and nobody sees it
[ "$(cp_get d 'len(j["overlays"][0]["peers"])')" = 0 ] || ns_fail "d has peers"
[ -z "$(cp_peer a d link)" ] || ns_fail "a lists non-member d"
# MITM: DTLS refused by a and b
for n in a b; do
	[ "$(cp_peer $n m link)" != up ] || ns_fail "$n has a link up to m"
done
grep -q 'does not match the announced' "$NS_DIR/evpnd-a.log" ||
	ns_fail "a did not log the fingerprint mismatch"
for n in c d m; do
	[ "$(cp_get a 'len(j["links"])')" = 1 ] || ns_fail "a has extra links"
	! ns_exec a ping -c1 -W0.5 "${CP_OVIP[$n]}" >/dev/null 2>&1 ||
		ns_fail "a can ping $n"
done
cp_check_logs
echo "PASS: wrong password, non-member and wrong fingerprint never link"
