#!/bin/bash
# Node IDs are bound to keys (issue 11 item 1, docs/security.md "Node IDs").
# Member m announces, with its own valid certificate and fingerprint, the
# node ID of member c (offline: squatting its ring position), as a modified
# evpnd would (EVPND_TEST_CLAIM_ID). Good nodes a and b refuse m at the DTLS
# handshake (the certificate's key does not hash to the claimed ID), count
# and log it, and no frame flows between m and them, while a and b link and
# ping. Also: a configured [node] id that is not the key's stops evpnd with
# a clear message, and an older random STATE_DIR/node_id is migrated to the
# key's ID. Every node is behind its own EI NAT.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

ns_init
D=$XMPP_DOMAIN
CP_MEMBERS="a@$D b@$D c@$D m@$D"
cp_world ei ei
cp_node_behind m r3 ei 10.99.0.3 192.168.3
for u in a b c m; do prosody_adduser "$u@$D" "pw-$u"; done

cp_conf a 0000000000000000000000000000000a
cp_conf b 0000000000000000000000000000000b
cp_conf m 0000000000000000000000000000000e
CP_ID[c]=$(cp_key 0c "$NS_DIR/c/state/identity.pem")	# c never starts

# A configured ID that is not the key's (c's key, b's ID): evpnd refuses.
sed -e "s/^id = .*/id = ${CP_ID[b]}/" -e "s|^state-dir = .*|state-dir = $NS_DIR/c/state|" \
	"$NS_DIR/a/evpnd.conf" >"$NS_DIR/c/wrong.conf"
rc=0	# (main.c's early exit does not free the overlay config: no leak check)
ns_exec a env ASAN_OPTIONS=detect_leaks=0 timeout 20 "$EVPND" -f -c "$NS_DIR/c/wrong.conf" >"$NS_DIR/wrong.log" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$NS_DIR/wrong.log" >&2; ns_fail "evpnd with a foreign [node] id: status $rc, want 1"; }
grep -q "is not this node's ID" "$NS_DIR/wrong.log" || ns_fail "no clear message for a foreign [node] id"

# a's state directory is from before IDs were bound to keys: a random
# node_id next to the key. a migrates to its key's ID (and says so).
echo 0123456789abcdef0123456789abcdef >"$NS_DIR/a/state/node_id"
sed -i '/^id = /d' "$NS_DIR/a/evpnd.conf"
cp_start a
grep -q 'migrating the node ID from 0123456789abcdef0123456789abcdef' \
	"$NS_DIR/evpnd-a.log" || ns_fail "a: migration not logged"
[ "$(cat "$NS_DIR/a/state/node_id")" = "${CP_ID[a]}" ] || ns_fail "a: node_id not migrated"
[ "$(cp_get a 'j["node_id"]')" = "${CP_ID[a]}" ] || ns_fail "a: not running with its key's ID"
cp_start b

# m squats c's ID with m's own key
CP_ENV="EVPND_TEST_CLAIM_ID=${CP_ID[c]}" cp_start m
CP_ID[m]=${CP_ID[c]}
[ "$(cp_get m 'j["node_id"]')" = "${CP_ID[c]}" ] || ns_fail "m does not claim c's ID"

ns_wait_for 20 cp_ping a b || ns_fail "good nodes a, b did not link"
ns_wait_for 5 cp_link_up a b || ns_fail "a: link to b not up"
refused() { [ "$(cp_get "$1" 'j["overlays"][0]["dtls_refused"]')" -ge "$2" ]; }
for n in a b; do
	[ -n "$(cp_peer $n m id)" ] || ns_fail "$n does not see m's presence"
	ns_wait_for 30 refused $n 1 || ns_fail "$n: no refused DTLS handshake counted"
done
# m had every chance to (wrongly) link after a refusal: it tried again and
# was refused again
for n in a b; do
	ns_wait_for 30 refused $n 2 || ns_fail "$n: m did not try again after a refusal"
done
for n in a b; do
	[ "$(cp_peer $n m link)" != up ] || ns_fail "$n has a link up to m"
	grep -q "claims node ID ${CP_ID[c]} but its key hashes to" "$NS_DIR/evpnd-$n.log" ||
		ns_fail "$n did not log the unbound ID"
	[ "$(cp_get $n 'len(j["links"])')" = 1 ] || ns_fail "$n has a datapath link besides the good one"
done
[ "$(cp_get m 'len(j["links"])')" = 0 ] || ns_fail "m has a datapath link"
# an unproven claim is never pinned (pins come from a handshake): m's real
# key stays acceptable to a and b
for n in a b; do
	! grep -q "^m@$D " "$NS_DIR/$n/state/known_peers" || ns_fail "$n pinned m's unproven claim"
	grep -q "^$([ $n = a ] && echo b || echo a)@$D " "$NS_DIR/$n/state/known_peers" ||
		ns_fail "$n did not pin its linked peer"
done
! ns_exec a ping -c2 -W0.5 "${CP_OVIP[m]}" >/dev/null 2>&1 || ns_fail "a can ping m"
! ns_exec m ping -c2 -W0.5 "${CP_OVIP[a]}" >/dev/null 2>&1 || ns_fail "m can ping a"
cp_ping a b || ns_fail "a, b lost their link"
cp_check_logs
echo "PASS: an ID not bound to the member's key is refused, counted and logged; no frames flow"
