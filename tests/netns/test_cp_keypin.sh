#!/bin/bash
# Pinned member keys (issue 11 item 5, docs/security.md "Pinned keys"): a
# and b link, pinning each other's key in STATE_DIR/known_peers. Both stop;
# b comes back with a new key (a reinstalled box, or what an XMPP operator
# impersonating b would have to announce). a, restarted from its state
# directory, refuses b's new key: logged once at error level, shown in
# `show` (key_changes, key_refused), no link and no ping, and presences
# resent by b do not repeat the log line. After `evpnctl peer accept evpn0
# b@...` on a, the new key is pinned and the link comes up promptly (b's
# dropped request crossed a's: docs/signalling.md "Simultaneous requests").
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

ns_init
EVPNCTL=$(ns_bin evpnctl) || ns_skip "evpnctl not built"
D=$XMPP_DOMAIN
cp_pair ei ei
OLD_B=${CP_ID[b]}

cp_start a
cp_start b
ns_wait_for 30 cp_ping a b || ns_fail "a, b did not link"
grep -q "pinning b@$D to its first key" "$NS_DIR/evpnd-a.log" || ns_fail "a: no first-use pin logged"
# (a first-use pin reaches the file within PINS_WRITE_DELAY_MS, 1 s)
ns_wait_for 5 grep -q "^b@$D $OLD_B " "$NS_DIR/a/state/known_peers" || ns_fail "a: b's key not in known_peers"
cp_stop_clean a
cp_stop_clean b

# b gets a new key (and so a new node ID)
rm "$NS_DIR/b/state/identity.pem"
NEW_B=$(cp_key 0b "$NS_DIR/b/state/identity.pem")
[ "$NEW_B" != "$OLD_B" ] || ns_fail "no new key"
sed -i "s/^id = .*/id = $NEW_B/" "$NS_DIR/b/evpnd.conf"
CP_ID[b]=$NEW_B
mv "$NS_DIR/evpnd-a.log" "$NS_DIR/evpnd-a.1.log"
cp_start a
cp_start b

changes() { cp_get a 'len(j["overlays"][0]["key_changes"])'; }
ns_wait_for 30 sh -c "[ \"\$(grep -c 'KEY CHANGED for b@$D' '$NS_DIR/evpnd-a.log')\" -ge 1 ]" ||
	ns_fail "a did not log b's key change"
grep 'KEY CHANGED' "$NS_DIR/evpnd-a.log" | grep -Eq 'CRITICAL|error:' || ns_fail "key change not logged at error level"
[ "$(changes)" = 1 ] || ns_fail "a: key change not in show"
[ "$(cp_get a 'j["overlays"][0]["key_changes"][0]["offered"]')" = "$NEW_B" ] || ns_fail "a: wrong offered ID"
[ "$(cp_get a 'j["overlays"][0]["key_changes"][0]["pinned"]')" = "$OLD_B" ] || ns_fail "a: wrong pinned ID"
# b comes back once more (a new presence): refused again, logged once only
ns_wait_for 10 cp_true a 'j["overlays"][0]["key_refused"] >= 1' || ns_fail "no refusal counted"
cp_stop b
sig0=$(cp_get a 'j["overlays"][0]["signalling"]["in"]')
cp_start b
ns_wait_for 20 cp_true a 'j["overlays"][0]["key_refused"] >= 2' || ns_fail "second presence not refused"
# a had its chance to (wrongly) link: b, the higher node ID, asks first,
# and its link request reached a (counted, then dropped: no such peer)
ns_wait_for 10 cp_true a "j['overlays'][0]['signalling']['in'] > $sig0" ||
	ns_fail "b's link request did not reach a"
[ -z "$(cp_peer a b link)" ] || ns_fail "a took b's unaccepted key as a peer ($(cp_peer a b link))"
[ "$(cp_get a 'len(j["links"])')" = 0 ] || ns_fail "a has a datapath link"
! cp_ping a b || ns_fail "a can ping b before accepting"
[ "$(grep -c 'KEY CHANGED for b@' "$NS_DIR/evpnd-a.log")" = 1 ] || ns_fail "key change logged more than once"

# a wrong request is refused with a clear error
out=$(EVPN_RUN_DIR=$NS_DIR/a/run ns_exec a "$EVPNCTL" peer accept evpn0 nobody@$D 2>&1) &&
	ns_fail "accepting a JID with no key change succeeded"
grep -q "no refused key change" <<<"$out" || ns_fail "unclear error: $out"

# b has sent its request for the last time (its second try: the first one
# timed out, counted as a late answer), so a will never see it: after the
# accept, only a's own request can start the link (a crossing b ignores)
ns_wait_for 30 cp_true b 'j["overlays"][0]["pacing"]["answers_late"] >= 1' ||
	ns_fail "b did not try its request twice"
dead0=$(grep -c "presumed dead" "$NS_DIR/evpnd-a.log" || true)
EVPN_RUN_DIR=$NS_DIR/a/run ns_exec a "$EVPNCTL" peer accept evpn0 "b@$D" | grep -q '"ok":true' ||
	ns_fail "evpnctl peer accept failed"
grep -q "operator accepted the new key of b@$D" "$NS_DIR/evpnd-a.log" || ns_fail "accept not logged"
# Promptly: a (the lower ID) now asks b, whose own request a dropped
# while it refused the key. b's request wins the crossing, so b must send
# it again (link.c, cross_check()); when b only ignored a's request, a's
# went unanswered, a presumed b dead for 30 s and the link took up to ~50 s.
# Done in ~2 s on a quiet machine (a's 1 s deferral, then one setup).
ns_wait_for 10 cp_ping a b || ns_fail "no link within 10 s (scaled) after the new key was accepted"
[ "$(grep -c "presumed dead" "$NS_DIR/evpnd-a.log" || true)" = "$dead0" ] ||
	ns_fail "a presumed b dead after the accept: $(grep "presumed dead" "$NS_DIR/evpnd-a.log" | tail -1)"
ns_wait_for 5 cp_link_up a b || ns_fail "a: link to b not up"
[ "$(changes)" = 0 ] || ns_fail "a still lists a key change"
grep -q "^b@$D $NEW_B " "$NS_DIR/a/state/known_peers" || ns_fail "a: new key not pinned"
cp_check_logs
echo "PASS: a changed key for a known JID is refused (logged once, shown) until evpnctl peer accept; then it links"
