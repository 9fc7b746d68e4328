#!/bin/bash
# Revocation with a server that does not push roster changes (prosody
# mod_groups): the administrator removes b from the group, deletes its
# account and restarts the server. a must tear down its (working) link to b
# once b's presence has been absent for the grace period while a is online,
# and b must not get it back.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

ns_init
D=$XMPP_DOMAIN
CP_EXTRA_CONF="presence-grace = 5"
cp_pair ei ei
cp_start a
cp_start b
ns_wait_for 10 cp_ping a b || ns_fail "no overlay ping a -> b"

# the administrator: out of the group, account deleted, server restarted
CP_MEMBERS="a@$D"
cp_groups_file
setpriv --reuid=prosody --regid=prosody --init-groups \
	prosodyctl --config "$PROSODY_CFG" deluser "b@$D" >>"$NS_DIR/prosodyctl.log" 2>&1 ||
	ns_fail "prosodyctl deluser failed"
ns_kill "$PROSODY_PID"
t0=$(cp_now)
cp_prosody_launch pub 10.99.0.10
a_no_link() { [ "$(cp_get a 'len(j["links"])')" = 0 ]; }
ns_wait_for 30 a_no_link || ns_fail "a still has a link to revoked b"
ns_log "link to b removed $(cp_elapsed "$t0")s after the server restart"
grep -q 'no presence for the grace period' "$NS_DIR/evpnd-a.log" ||
	ns_fail "teardown reason not logged"
[ "$(cp_get a 'j["overlays"][0]["xmpp"]')" = online ] || ns_fail "a not online"
[ "$(cp_get b 'j["overlays"][0]["xmpp"]')" != online ] || ns_fail "b is online"
# b must not get the link back. A refused login is fatal (docs/status.md):
# b says so, stops retrying (state "failed") and has no way back in.
ns_wait_for 20 cp_true b "j['overlays'][0]['xmpp_problem'] == 'auth_failed' and
	j['overlays'][0]['xmpp'] == 'failed'" ||
	ns_fail "b does not report its refused login as fatal"
! cp_ping a b || ns_fail "a can still reach revoked b"
cp_check_logs
echo "PASS: revoked node loses its links after the presence grace period"
