#!/usr/bin/env bash
# evpnd's TAP datapath over an IPv6 underlay: a static link between a node
# listening on a dual-stack socket ([::]) and one on an IPv6 address, then
# a pure IPv6 link; ping and an sha256-checked TCP transfer over each
# (UDP GSO/GRO and the TAP offloads run over IPv6 too).
. "$(dirname "$0")/tap_common.sh"

tap_init evu6
for t in socat python3; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done
tap_lan
tap_node A 61000000000000000000000000000001 10.79.0.1
tap_node B 62000000000000000000000000000002 10.79.0.2
tap_nsx A ip addr add fd79::1/64 dev u0 nodad
tap_nsx B ip addr add fd79::2/64 dev u1 nodad

conf() {	# conf NAME LISTEN PEER ENDPOINT
	cat > "$TAP_TMP/$1/evpnd.conf" <<EOC
[node]
id = ${NODE_ID[$1]}
state-dir = $TAP_TMP/$1/state
run-dir = $TAP_TMP/run

[interface]
name = tap$1

[static]
listen = $2

[link $3]
peer = ${NODE_ID[$3]}
endpoint = $4
psk = $PSK
EOC
}

head -c 4000000 /dev/urandom > "$TAP_TMP/blob"
want=$(sha256sum < "$TAP_TMP/blob")
check() {	# check WHAT
	tap_nsx A ping -c 3 -i 0.2 -W 2 192.168.201.2 >/dev/null || tap_fail "$1: ping"
	rm -f "$TAP_TMP/out"
	ip netns exec "${NODE_NS[B]}" socat -u TCP-LISTEN:7777,reuseaddr \
		"OPEN:$TAP_TMP/out,creat,trunc" &
	local sp=$!
	ns_wait_for 5 tap_listening B tcp 7777 || tap_fail "$1: socat listener on B"
	tap_nsx A socat -u "OPEN:$TAP_TMP/blob" TCP:192.168.201.2:7777 ||
		tap_fail "$1: transfer"
	wait $sp
	[ "$(sha256sum < "$TAP_TMP/out")" = "$want" ] || tap_fail "$1: data corrupted"
	tap_ok "$1: ping and 4 MB intact"
}
up() {
	tap_start A
	tap_start B
	tap_nsx A ip addr add 192.168.201.1/24 dev tapA
	tap_nsx B ip addr add 192.168.201.2/24 dev tapB
}

# A dual-stack [::], B IPv4: A reaches B as ::ffff:10.79.0.2
conf A '[::]:5170' B 10.79.0.2:5170
conf B 10.79.0.2:5170 A 10.79.0.1:5170
up
check "dual-stack socket, IPv4 peer"
tap_stop A && tap_stop B || tap_fail "exit status"

# pure IPv6 underlay
conf A '[fd79::1]:5170' B '[fd79::2]:5170'
conf B '[fd79::2]:5170' A '[fd79::1]:5170'
up
check "IPv6 underlay"
[ "$(tap_get A 'j["links"][0]["endpoint"]')" = "[fd79::2]:5170" ] ||
	tap_fail "endpoint shown as $(tap_get A 'j["links"][0]["endpoint"]')"
tap_stop A && tap_stop B || tap_fail "exit status"
tap_check_logs
echo PASS
