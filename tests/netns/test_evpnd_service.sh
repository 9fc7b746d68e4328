#!/usr/bin/env bash
# evpnd as a service (issue 14 item 6): --help/--version; a second instance
# on the same device says "already running (pid N)"; SIGHUP re-reads the
# configuration: a new static link is installed, the unchanged one keeps its
# counters (it was not re-created) and keeps carrying traffic, a change
# that needs a restart is logged and a broken file is refused without
# stopping evpnd; SIGTERM and SIGINT stop it with status 0 and remove the
# control socket and the pid file.
. "$(dirname "$0")/tap_common.sh"

tap_init evsv
for t in socat python3 ping; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done

# --- options ---
out=$("$EVPND" --help) || tap_fail "--help exit status $?"
grep -q -- "--config" <<< "$out" || tap_fail "--help: $out"
ver=$(sed -n 's/^VERSION *:= *//p' "$EVPN_ROOT/Makefile")
out=$("$EVPND" --version) || tap_fail "--version exit status $?"
[ "$out" = "evpnd $ver" ] || tap_fail "--version: '$out', want 'evpnd $ver'"
"$EVPND" --bogus >/dev/null 2>&1; [ $? -eq 2 ] || tap_fail "unknown option: status not 2"
tap_ok "--help, --version"

tap_lan
tap_node A 5a000000000000000000000000000001 10.77.0.1
tap_node B 5b000000000000000000000000000002 10.77.0.2
tap_node C 5c000000000000000000000000000003 10.77.0.3
tap_link A B
cp "$TAP_TMP/A/evpnd.conf" "$TAP_TMP/A/base.conf"
tap_link A C			# A's first config has only B: restore it
cp "$TAP_TMP/A/evpnd.conf" "$TAP_TMP/A/withc.conf"
cp "$TAP_TMP/A/base.conf" "$TAP_TMP/A/evpnd.conf"
tap_start A
tap_start B
tap_start C
for n in A B C; do
	tap_nsx $n ip addr add "10.200.0.$((NODE_IDX[$n] + 1))/24" dev "tap$n"
done
tap_nsx A ping -c 3 -i 0.2 -W 2 10.200.0.2 >/dev/null || tap_fail "A -> B before reload"
tap_ok "A <-> B over the overlay"

# --- second instance ---
pidfile=$TAP_TMP/run/tapA.pid
[ "$(cat "$pidfile")" = "${NODE_PID[A]}" ] || tap_fail "pid file says '$(cat "$pidfile")', evpnd is ${NODE_PID[A]}"
out=$(tap_nsx A "$EVPND" -c "$TAP_TMP/A/evpnd.conf" 2>&1) && tap_fail "second evpnd started"
grep -q "already running (pid ${NODE_PID[A]})" <<< "$out" || tap_fail "second instance said: $out"
grep -qi "busy" <<< "$out" && tap_fail "second instance reached the device: $out"
tap_alive A || tap_fail "first evpnd died"
[ -S "$TAP_TMP/run/tapA.sock" ] || tap_fail "the second instance removed the socket"
tap_ok "second instance: $out"

# --- SIGHUP: add link C, keep link B, log what needs a restart ---
link_tx() {	# link_tx NODE LINK: tx_packets of one link (absent: -1)
	tap_get "$1" "next((l['tx_packets'] for l in j['links'] if l['name'] == '$2'), -1)"
}
b_tx0=$(link_tx A B)
[ "$b_tx0" -gt 0 ] || tap_fail "link B counted no traffic ($b_tx0)"
sed 's/^name = tapA$/name = tapA\nmtu = 1400/' "$TAP_TMP/A/withc.conf" > "$TAP_TMP/A/evpnd.conf"
kill -HUP "${NODE_PID[A]}"
for i in $(seq 50); do
	grep -q "reload: done" "$TAP_TMP/A/log" && break
	sleep 0.1
done
tap_alive A || tap_fail "SIGHUP killed evpnd"
grep -q "link 'C' added" "$TAP_TMP/A/log" || tap_fail "reload did not add C"
grep -q "\[interface\] mtu changed: needs a restart" "$TAP_TMP/A/log" ||
	tap_fail "mtu change not reported"
[ "$(tap_get A 'j["mtu"]')" = 1500 ] || tap_fail "mtu changed while running"
b_tx1=$(link_tx A B)
[ "$b_tx1" -ge "$b_tx0" ] || tap_fail "link B was re-created by the reload (tx $b_tx0 -> $b_tx1)"
tap_nsx A ping -c 3 -i 0.2 -W 2 10.200.0.2 >/dev/null || tap_fail "A -> B after reload"
tap_nsx A ping -c 3 -i 0.2 -W 2 10.200.0.3 >/dev/null || tap_fail "A -> C (added by reload)"
[ "$(link_tx A B)" -gt "$b_tx1" ] || tap_fail "link B's counters did not go on"
tap_ok "SIGHUP: link C added, link B kept (tx $b_tx0 -> $b_tx1 -> more), mtu change logged"

# remove C again; a broken file is refused and changes nothing
cp "$TAP_TMP/A/base.conf" "$TAP_TMP/A/evpnd.conf"
kill -HUP "${NODE_PID[A]}"
for i in $(seq 50); do
	grep -q "link 'C' removed" "$TAP_TMP/A/log" && break
	sleep 0.1
done
[ "$(link_tx A C)" = -1 ] || tap_fail "link C still there after it left the file"
echo "mtu = 1400" >> "$TAP_TMP/A/evpnd.conf"	# not a key of [link B]
echo "[interface]" >> "$TAP_TMP/A/evpnd.conf"	# a section given twice
kill -HUP "${NODE_PID[A]}"
for i in $(seq 50); do
	grep -q "keeping the running configuration" "$TAP_TMP/A/log" && break
	sleep 0.1
done
grep -q "keeping the running configuration" "$TAP_TMP/A/log" || tap_fail "broken file not refused"
tap_alive A || tap_fail "a broken file killed evpnd"
[ "$(link_tx A B)" -gt 0 ] || tap_fail "link B lost by a refused reload"
tap_ok "SIGHUP: link removed; broken file refused, evpnd runs on"

# --- clean shutdown ---
tap_stop A || tap_fail "SIGTERM: exit status $?"
[ -e "$TAP_TMP/run/tapA.sock" ] && tap_fail "SIGTERM left the control socket"
[ -e "$TAP_TMP/run/tapA.pid" ] && tap_fail "SIGTERM left the pid file"
kill -INT "${NODE_PID[B]}"
wait "${NODE_PID[B]}" || tap_fail "SIGINT: exit status $?"
NODE_PID[B]=
[ -e "$TAP_TMP/run/tapB.sock" ] && tap_fail "SIGINT left the control socket"
[ -e "$TAP_TMP/run/tapB.pid" ] && tap_fail "SIGINT left the pid file"
# a restart after all that works (the lock is free again)
cp "$TAP_TMP/A/base.conf" "$TAP_TMP/A/evpnd.conf"
tap_start A
tap_ok "SIGTERM/SIGINT: status 0, socket and pid file removed; restart works"
tap_stop A || tap_fail "second SIGTERM"
tap_check_logs
