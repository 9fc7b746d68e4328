#!/usr/bin/env bash
# [interface] address = and mtu = (issue 14 item 2): evpnd adds the
# configured IPv4 and IPv6 addresses and the MTU to its device, so two
# nodes ping over the overlay (both families) with no `ip addr add`; after
# a restart (the device is deleted and re-created) the addresses are back;
# SIGHUP applies an added and a removed address live; `evpnd -t` rejects a
# bad address naming file:line and the key.
. "$(dirname "$0")/tap_common.sh"

tap_init evia
for t in socat python3 ping; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done

tap_lan
tap_node A 5a000000000000000000000000000001 10.77.0.1
tap_node B 5b000000000000000000000000000002 10.77.0.2
tap_link A B
for n in A B; do
	i=$((NODE_IDX[$n] + 1))
	sed -i "s|^name = tap$n\$|name = tap$n\nmtu = 1300\naddress = 10.200.0.$i/24, fd00:e::$i/64|" \
		"$TAP_TMP/$n/evpnd.conf"
done

# has_addr NODE CIDR / mtu_of NODE
has_addr() { tap_nsx "$1" ip -o addr show dev "tap$1" | grep -q " $2 "; }
mtu_of() { tap_nsx "$1" cat "/sys/class/net/tap$1/mtu"; }
pings() {	# pings FROM ADDR: one ping answered
	tap_nsx "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1
}
check_up() {
	local n
	for n in A B; do
		i=$((NODE_IDX[$n] + 1))
		has_addr $n "10.200.0.$i/24" || tap_fail "$n: no 10.200.0.$i/24: $(tap_nsx $n ip -o addr show dev tap$n)"
		has_addr $n "fd00:e::$i/64" || tap_fail "$n: no fd00:e::$i/64"
		[ "$(mtu_of $n)" = 1300 ] || tap_fail "$n: mtu $(mtu_of $n), want 1300"
	done
	ns_wait_for 10 pings A 10.200.0.2 || tap_fail "A cannot ping B (IPv4) $1"
	ns_wait_for 10 pings A fd00:e::2 || tap_fail "A cannot ping B (IPv6) $1"
	ns_wait_for 10 pings B 10.200.0.1 || tap_fail "B cannot ping A (IPv4) $1"
}

tap_start A
tap_start B
check_up "at start"
tap_ok "addresses and MTU from the config; ping over IPv4 and IPv6"

# restart A: its device is deleted on exit and comes back with its addresses
tap_stop A || tap_fail "evpnd A exited with status $?"
! tap_nsx A ip link show tapA >/dev/null 2>&1 || tap_fail "tapA survived evpnd's exit"
tap_start A
check_up "after a restart"
tap_ok "addresses back after a restart"

# SIGHUP: 10.200.0.1/24 replaced by 10.200.0.11/24, IPv6 kept
sed -i 's|^address = 10.200.0.1/24, |address = 10.200.0.11/24, |' "$TAP_TMP/A/evpnd.conf"
kill -HUP "${NODE_PID[A]}"
ns_wait_for 5 grep -q 'reload: done' "$TAP_TMP/A/log" || tap_fail "no reload"
has_addr A 10.200.0.11/24 || tap_fail "reload: 10.200.0.11/24 not added"
! has_addr A 10.200.0.1/24 || tap_fail "reload: 10.200.0.1/24 not removed"
has_addr A fd00:e::1/64 || tap_fail "reload: fd00:e::1/64 lost"
ns_wait_for 10 pings B 10.200.0.11 || tap_fail "B cannot ping A's new address"
tap_ok "SIGHUP added and removed an address"

# the checker: every bad address reported with file:line and the key
bad=$TAP_TMP/bad.conf
printf '[interface]\naddress = 10.200.0.1\naddress = fd00::1/200, 10.0.0.1/24\n' >"$bad"
out=$("$EVPND" -t -c "$bad" 2>&1) && tap_fail "evpnd -t accepted $bad"
grep -q "$bad:2: error: address: '10.200.0.1': a prefix length is required" <<<"$out" ||
	tap_fail "evpnd -t said: $out"
grep -q "$bad:3: error: address: 200 is out of range" <<<"$out" || tap_fail "evpnd -t said: $out"
tap_ok "evpnd -t names file:line and key"

tap_stop A || tap_fail "evpnd A exited with status $?"
tap_stop B || tap_fail "evpnd B exited with status $?"
tap_check_logs
echo "PASS: address/mtu applied, restored after restart, reloaded"
