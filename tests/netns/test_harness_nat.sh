#!/bin/bash
# Harness self-test: real NAT routers, coturn and prosody in namespaces.
#
#   inet (switch) -- pub      10.99.0.10, 10.99.0.11  coturn on both, prosody on .10
#                 -- r_ei     10.99.0.1  endpoint-independent NAT (port-preserving)
#                 -- r_eir    10.99.0.3  endpoint-independent NAT (ports 20000-29999)
#                 -- r_sym    10.99.0.2  symmetric NAT (fully-random)
#   a   192.168.1.2 behind r_ei,  b  192.168.2.2 behind r_sym,
#   c   192.168.3.2 behind r_eir
#
# Asserts: STUN from one local port to two servers gives the same mapping
# behind the EI NATs (the router's public IP; port kept / port in range) and
# two different mapped ports behind the symmetric NAT; the NAT drops
# unsolicited inbound UDP; b allocates a TURN relay (long-term credentials)
# and gets a datagram echoed through it, a wrong TURN password is refused;
# a and b log into prosody (c2s STARTTLS, SCRAM)
# through their NATs; a wrong password and an untrusted CA are refused.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ns_init

STUN=$(ns_bin stun-probe) || ns_skip "build/bin/stun-probe not built"
XMPP=$(ns_bin xmpp-probe) || ns_skip "build/bin/xmpp-probe not built"
ns_require turnserver turnutils_peer prosody prosodyctl setpriv openssl socat

PUB1=10.99.0.10
PUB2=10.99.0.11

ns_switch inet
ns_host pub
ns_switch_port inet pub eth0 "$PUB1/24,$PUB2/24"

# router_with_host ROUTER MODE WAN_IP HOST LAN_NET(/24 prefix, e.g. 192.168.1)
router_with_host()
{
	ns_nat_router "$1" "$2"
	ns_switch_port inet "$1" eth0 "$3/24"
	ns_host "$4"
	ns_link "$1" lan0 "$5.1/24" "$4" eth0 "$5.2/24"
	ns_route "$4" default via "$5.1"
}
router_with_host r_ei  ei       10.99.0.1 a 192.168.1
router_with_host r_sym sym      10.99.0.2 b 192.168.2
router_with_host r_eir ei-range 10.99.0.3 c 192.168.3

turn_start pub "$PUB1,$PUB2"
prosody_start pub "$PUB1"
prosody_adduser alice@evpn.test alice-pass
prosody_adduser bob@evpn.test bob-pass
ns_log "servers up"

# no_sanitizer TEXT: fail if a probe's output holds an ASan/UBSan/LSan report
no_sanitizer()
{
	! echo "$1" | grep -q "Sanitizer\|runtime error" || ns_fail "sanitizer report: $1"
}

# stun_map HOST LOCALIP:PORT -> prints "mappedA mappedB" (IP:PORT each)
stun_map()
{
	local out
	out=$(ns_exec "$1" "$STUN" -b "$2" "$PUB1:$TURN_PORT" "$PUB2:$TURN_PORT") ||
		ns_fail "stun-probe from $1 failed: $out"
	echo "$out" | sed -n "s/^mapped $PUB1:$TURN_PORT -> //p; s/^mapped $PUB2:$TURN_PORT -> //p" |
		tr '\n' ' '
}

# --- endpoint-independent, port-preserving ---------------------------------
read -r m1 m2 <<<"$(stun_map a 192.168.1.2:40000)"
ns_log "EI  (a): $m1 $m2"
[ "$m1" = "$m2" ] || ns_fail "EI NAT: mappings differ: $m1 vs $m2"
[ "$m1" = "10.99.0.1:40000" ] || ns_fail "EI NAT: expected 10.99.0.1:40000, got $m1"

# --- endpoint-independent, port-translating ---------------------------------
read -r m1 m2 <<<"$(stun_map c 192.168.3.2:40000)"
ns_log "EIR (c): $m1 $m2"
[ "$m1" = "$m2" ] || ns_fail "EI range NAT: mappings differ: $m1 vs $m2"
port=${m1##*:}
[ "${m1%:*}" = 10.99.0.3 ] && [ "$port" -ge 20000 ] && [ "$port" -le 29999 ] ||
	ns_fail "EI range NAT: expected 10.99.0.3:20000-29999, got $m1"

# --- symmetric ----------------------------------------------------------------
read -r m1 m2 <<<"$(stun_map b 192.168.2.2:40000)"
ns_log "SYM (b): $m1 $m2"
[ "${m1%:*}" = 10.99.0.2 ] && [ "${m2%:*}" = 10.99.0.2 ] ||
	ns_fail "symmetric NAT: expected public IP 10.99.0.2: $m1 $m2"
[ "${m1##*:}" != "${m2##*:}" ] || ns_fail "symmetric NAT: same port $m1 for two servers"

# --- unsolicited inbound is dropped, solicited replies pass ------------------
# a sends one datagram from :40001 to PUB1:5000 (opening a mapping) and
# prints whatever comes back for 3 s; a datagram from PUB1:5000 must arrive,
# one from PUB2:5000 (never contacted) must not.
ns_bg a socat.log sh -c "{ echo out; sleep 3; } |
	socat - UDP4-DATAGRAM:$PUB1:5000,bind=192.168.1.2:40001 >'$NS_DIR/recv.txt'" >/dev/null
ns_wait_for 3 ns_listening a udp 192.168.1.2 40001 || ns_fail "socat did not start"
sleep 0.2
ns_exec pub sh -c "echo unsolicited | socat -u - UDP4-SENDTO:10.99.0.1:40001,bind=$PUB2:5000"
ns_exec pub sh -c "echo solicited | socat -u - UDP4-SENDTO:10.99.0.1:40001,bind=$PUB1:5000"
ns_wait_for 3 grep -qx solicited "$NS_DIR/recv.txt" || ns_fail "NAT dropped a reply"
# the reply, sent after the unsolicited datagram on the same path, arrived:
# the unsolicited one had its chance
! grep -qx unsolicited "$NS_DIR/recv.txt" || ns_fail "NAT let unsolicited inbound through"
ns_log "NAT filtering: unsolicited dropped, reply passed"

# --- TURN relay with long-term credentials, from behind the symmetric NAT ---
ns_bg pub turn-peer.log turnutils_peer -L "$PUB2" -p 3480 >/dev/null
ns_wait_for 3 ns_listening pub udp "$PUB2" 3480 || ns_fail "turnutils_peer did not start"
out=$(ns_exec b "$STUN" -u "$TURN_USER:$TURN_PASS" -p "$PUB2:3480" "$PUB1:$TURN_PORT") ||
	ns_fail "TURN allocation/relay from b failed: $out"
ns_log "TURN (b): $(echo $out)"
echo "$out" | grep -q "^relayed $PUB1:$TURN_PORT -> $PUB1:[0-9]* mapped 10.99.0.2:" ||
	ns_fail "TURN: unexpected allocation: $out"
echo "$out" | grep -q "^relay-echo $PUB2:3480 ok" || ns_fail "TURN: no relayed echo"
if err=$(ns_exec b "$STUN" -u "$TURN_USER:wrong-pass" "$PUB1:$TURN_PORT" 2>&1); then
	ns_fail "TURN allocation with a wrong password succeeded"
fi
no_sanitizer "$err"
echo "$err" | grep -q "error 401" || ns_fail "TURN wrong password: unclear error: $err"
ns_log "TURN wrong password refused"

# --- XMPP c2s STARTTLS through the NATs ----------------------------------------
probe()
{
	ns_exec "$1" "$XMPP" --server "$PUB1:$XMPP_PORT" --ca "$2" \
		--jid "$3" --password "$4" --timeout 8
}
out=$(probe a "$XMPP_CA" alice@evpn.test alice-pass) || ns_fail "alice login failed"
[ "$out" = "authenticated tls=yes" ] || ns_fail "alice: unexpected output '$out'"
out=$(probe b "$XMPP_CA" bob@evpn.test bob-pass) || ns_fail "bob login failed"
[ "$out" = "authenticated tls=yes" ] || ns_fail "bob: unexpected output '$out'"
ns_log "alice (EI) and bob (symmetric) logged in over STARTTLS"

if err=$(probe a "$XMPP_CA" alice@evpn.test wrong-pass 2>&1); then
	ns_fail "login with a wrong password succeeded"
fi
no_sanitizer "$err"
echo "$err" | grep -qi "auth" || ns_fail "wrong password: unclear error: $err"
ns_log "wrong password refused: $err"

openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	-keyout "$NS_DIR/other-ca.key" -out "$NS_DIR/other-ca.crt" -days 1 \
	-subj "/CN=other CA" >/dev/null 2>&1
if err=$(probe b "$NS_DIR/other-ca.crt" bob@evpn.test bob-pass 2>&1); then
	ns_fail "login trusting the wrong CA succeeded"
fi
no_sanitizer "$err"
echo "$err" | grep -qi "TLS\|certificate" || ns_fail "wrong CA: unclear error: $err"
ns_log "untrusted CA refused: $err"

# nothing listens on PUB2:XMPP_PORT: prosody is bound to PUB1 only
if err=$(ns_exec a "$XMPP" --server "$PUB2:$XMPP_PORT" --ca "$XMPP_CA" \
		--jid alice@evpn.test --password alice-pass --timeout 5 2>&1); then
	ns_fail "prosody answered on an address it was not given"
fi
no_sanitizer "$err"
echo "$err" | grep -q "connection failed" || ns_fail "no server: unclear error: $err"
ns_log "no server on $PUB2: $err"

# a server that accepts and never speaks: the probe's deadline must fire
ns_bg pub mute.log socat TCP-LISTEN:5299,bind="$PUB2",reuseaddr,fork EXEC:"sleep 30" >/dev/null
ns_wait_for 3 ns_listening pub tcp "$PUB2" 5299 || ns_fail "mute server did not start"
if err=$(ns_exec a "$XMPP" --server "$PUB2:5299" --ca "$XMPP_CA" \
		--jid alice@evpn.test --password alice-pass --timeout 1 2>&1); then
	ns_fail "login to a mute server succeeded"
fi
no_sanitizer "$err"
echo "$err" | grep -q "timeout" || ns_fail "mute server: unclear error: $err"
ns_log "mute server: $err"

echo "PASS harness_nat"
