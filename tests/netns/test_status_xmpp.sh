#!/bin/bash
# `evpnctl status` says what is wrong with the XMPP side (docs/status.md),
# with a real prosody: a wrong password and a server certificate that does
# not verify are fatal (reported once at error level, no more retries), a
# SIGHUP makes the refused node read its password file again and log in
# (refused again while the file is wrong: reported again; once fixed, it
# comes online and links), a node outside the group is online but told so;
# a good pair shows each
# other by JID (one with quotes and a backslash in its resource, through
# --json and the text view), path, ICE types and round-trip time.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"

ns_init
EVPNCTL=$(ns_bin evpnctl) || ns_skip "evpnctl not built"
D=$XMPP_DOMAIN
CP_MEMBERS="a@$D b@$D c@$D e@$D"	# d has an account but is no member
cp_world ei ei
cp_node_behind c r3 ei 10.99.0.3 192.168.3
cp_node_behind d r4 ei 10.99.0.4 192.168.4
cp_node_behind e r5 ei 10.99.0.5 192.168.5
for u in a b c d e; do prosody_adduser "$u@$D" "pw-$u"; done

RES='r"es\x'				# resourceprep allows both
cp_conf a 0000000000000000000000000000000a "a@$D/$RES"
cp_conf b 0000000000000000000000000000000b
cp_conf c 0000000000000000000000000000000c "c@$D" wrong-password
cp_conf d 0000000000000000000000000000000d
cp_conf e 0000000000000000000000000000000e
# e trusts another CA: the server's certificate does not verify
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$NS_DIR/e/other-ca.key" -out "$NS_DIR/e/other-ca.crt" \
	-subj /CN=other-ca -days 2 2>/dev/null
sed -i "s|^ca-file = .*|ca-file = $NS_DIR/e/other-ca.crt|" "$NS_DIR/e/evpnd.conf"
for n in a b c d e; do cp_start $n; done

st() { ns_exec "$1" env -u EVPN_RUN_DIR "$EVPNCTL" status -c "$NS_DIR/$1/evpnd.conf" "${@:2}"; }

ns_wait_for 20 cp_link_up b a || ns_fail "b: no link to a"
ns_wait_for 10 cp_true c 'j["overlays"][0]["xmpp"] == "failed"' ||
	ns_fail "c (wrong password) not failed"
ns_wait_for 10 cp_true e 'j["overlays"][0]["xmpp"] == "failed"' ||
	ns_fail "e (wrong CA) not failed"
ns_wait_for 10 cp_true d 'j["overlays"][0]["xmpp_problem"] == "not_in_group"' ||
	ns_fail "d (not in the group) not told"

# --- wrong password: fatal, said once, visible in status ---
out=$(st c); echo "$out"
echo "$out" | grep -q 'xmpp failed as c@' || ns_fail "c: state not in the text"
echo "$out" | grep -q 'FAILED: authentication failed: wrong password (or no such account) (not retrying)' ||
	ns_fail "c: wrong password not in the text view"
[ "$(cp_get c 'j["overlays"][0]["xmpp_problem"]')" = auth_failed ] || ns_fail "c: xmpp_problem"
[ "$(grep -c 'error: xmpp\[c@.*authentication failed' "$NS_DIR/evpnd-c.log")" = 1 ] ||
	ns_fail "c: the wrong password is not reported exactly once at error level"
[ "$(cp_get c 'j["overlays"][0]["xmpp_auth_failures"]')" = 1 ] || ns_fail "c retried a wrong password"

# --- server certificate does not verify: fatal ---
out=$(st e); echo "$out"
echo "$out" | grep -q 'FAILED: TLS error: server certificate rejected' ||
	ns_fail "e: certificate failure not in the text view"
grep -q 'error: xmpp\[e@.*TLS error' "$NS_DIR/evpnd-e.log" || ns_fail "e: no error-level log"

# --- not in the group: online, told so ---
out=$(st d); echo "$out"
echo "$out" | grep -q 'xmpp online as d@' || ns_fail "d: not shown online"
echo "$out" | grep -q "problem: not in group 'evpn-test'" || ns_fail "d: not-in-group not in the text view"

# --- a good pair: JIDs, path, ICE, RTT; hostile JID through --json ---
ns_wait_for 15 cp_true b '[l for l in j["links"] if l.get("rtt_ms") is not None]' ||
	ns_fail "b: no round-trip time measured"
st b --json >"$NS_DIR/b.json" || ns_fail "b: status --json"
/usr/bin/python3 - "$NS_DIR/b.json" "a@$D/$RES" "${CP_ID[a]}" <<'PY' || ns_fail "b: JSON"
import json, sys
d = json.load(open(sys.argv[1]))["interfaces"][0]
p = [p for p in d["overlays"][0]["peers"] if p["id"] == sys.argv[3]][0]
assert p["jid"] == sys.argv[2], p
assert p["link"] == "up" and p["path"] in ("direct", "relayed"), p
l = [l for l in d["links"] if l["peer"] == sys.argv[3]][0]
assert l["jid"] == sys.argv[2] and l["ice_local"] and l["ice_remote"], l
assert l["rtt_ms"] >= 0 and l["key_age"] >= 0 and l["handshake_age_s"] >= 0, l
assert d["overlays"][0]["xmpp"] == "online" and d["overlays"][0]["xmpp_error"] is None
PY
out=$(st b); echo "$out"
echo "$out" | grep -qF "peer a@$D/r\"es\\\\x" || ns_fail "b: a's JID not shown (escaped) in the text view"
echo "$out" | grep -qE 'path: (direct|relayed via TURN [0-9.:]+) \(ICE [a-z]+ -> [a-z]+\)' ||
	ns_fail "b: path / ICE types not shown"
echo "$out" | grep -qE 'rtt [0-9.]+ ms, last handshake [0-9]+ s ago' || ns_fail "b: rtt / handshake not shown"
! echo "$out" | grep 'drops:' | grep -vqE '^  drops: no_link [0-9]+ \(sent while no link was up: routine\)$' ||
	ns_fail "b: a healthy node shows drops (other than the routine no_link)"

# --- SIGHUP after a refused login: the password file is read again (last:
# c's new links must not change what the checks above saw) ---
# still wrong: one more attempt, refused and reported again, then failed
kill -HUP "${CP_PID[c]}"
ns_wait_for 10 cp_true c 'j["overlays"][0]["xmpp_auth_failures"] == 2 and
	j["overlays"][0]["xmpp"] == "failed"' || ns_fail "c: SIGHUP did not try the login again"
[ "$(grep -c 'error: xmpp\[c@.*authentication failed' "$NS_DIR/evpnd-c.log")" = 2 ] ||
	ns_fail "c: the second refusal is not reported (once) at error level"
# the administrator fixes the password file: c logs in and links
printf '%s\n' pw-c >"$NS_DIR/c/password"
kill -HUP "${CP_PID[c]}"
ns_wait_for 10 cp_true c 'j["overlays"][0]["xmpp"] == "online" and
	j["overlays"][0]["xmpp_problem"] is None' || ns_fail "c: not online after the password was fixed and SIGHUP"
grep -q 'xmpp\[c@.*reload: trying again after: authentication failed' "$NS_DIR/evpnd-c.log" ||
	ns_fail "c: the retry is not logged"
! grep -q 'needs a restart' "$NS_DIR/evpnd-c.log" || ns_fail "c: the new password counted as a change needing a restart"
ns_wait_for 20 cp_ping c a || ns_fail "c: no overlay ping to a after its login"
[ "$(cp_get c 'j["overlays"][0]["xmpp_auth_failures"]')" = 2 ] || ns_fail "c: refused again with the right password"

cp_check_logs
echo "PASS: XMPP problems (wrong password, certificate, not in group) in evpnctl status; SIGHUP retries a refused login; JIDs, path, ICE, RTT"
