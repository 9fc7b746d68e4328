# shellcheck shell=bash
#
# tests/netns/cp_lib.sh -- control-plane test helpers (sourced after lib.sh;
# not a test itself).
#
#   cp_server                 switch "inet" + server "pub" (prosody, coturn)
#   cp_world [MODE_A MODE_B]  the standard world: switch "inet"
#                  (10.99.0.0/24), server host "pub" (10.99.0.10) with
#                  prosody (+ mod_groups, mod_smacks) and coturn, nodes
#                  "a" and "b" each behind its own NAT router (r1, r2; mode
#                  ei/ei-range/sym, default ei), LANs 192.168.1/24, .2/24
#   cp_node_behind NODE ROUTER MODE WANIP LANNET
#                  one more NATed node (LANNET like 192.168.3)
#   CP_MEMBERS="JID ..."      (set before cp_world) the overlay's roster group
#   cp_pair [MODE_A MODE_B]   the usual two-node test: a and b are the group
#                  (CP_MEMBERS), cp_world, their accounts, their configs
#                  (IDs 0..0a and 0..0b; CP_EXTRA_CONF applies)
#   cp_conf NODE ID [JID [PASS [OVERLAY_IP]]]  write NODE's evpnd.conf
#                  (CP_EXTRA_CONF: more lines for its [overlay t] section)
#                  and its identity key. IDs are bound to keys, so ID is a
#                  request: the node gets a key whose ID starts with ID's
#                  first non-zero byte (ring order and positions as written;
#                  ~256 key generations); CP_ID[NODE] holds the real ID
#   cp_start NODE             start evpnd in NODE; waits for its control socket
#   cp_show NODE              `show` JSON
#   cp_get NODE EXPR          python expression on the JSON object j
#   cp_true NODE EXPR         true if that expression holds (for ns_wait_for)
#   cp_link_up A B            true if A's overlay reports an "up" link to B
#   cp_check_logs             fail on sanitizer reports in evpnd logs
set -u

CP_GROUP=evpn-test
declare -A CP_ID CP_PID CP_OVIP
CP_NODES=()

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

cp_bins()
{
	EVPND=${CP_EVPND:-$(ns_bin evpnd)} || ns_skip "evpnd not built"
	ns_require prosody turnserver socat python3
	[ -c /dev/net/tun ] || ns_skip "no /dev/net/tun"
}

# prosody from lib.sh, restarted once with the roster-group module: the
# overlay's membership is a shared roster group (docs/signalling.md).
cp_prosody()
{
	local ns=$1 ip=$2
	prosody_start "$ns" "$ip"
	ns_kill "$PROSODY_PID"
	cp_groups_file
	sed -i 's/^\t"roster"; /\t"roster"; "groups"; "smacks"; /' "$PROSODY_CFG"
	sed -i "0,/^storage = /s||groups_file = \"$NS_DIR/groups.txt\"\nstorage = |" \
		"$PROSODY_CFG"
	grep -q '"groups"' "$PROSODY_CFG" || ns_fail "cannot enable mod_groups"
	cp_prosody_launch "$ns" "$ip"
}

cp_prosody_launch()
{
	local ns=$1 ip=$2
	PROSODY_PID=$(ns_bg "$ns" prosody2.stdout.log setpriv --reuid=prosody \
		--regid=prosody --init-groups prosody --config "$PROSODY_CFG" -F)
	ns_wait_for 8 ns_listening "$ns" tcp "$ip" "$XMPP_PORT" ||
		ns_fail "prosody did not (re)start (see $NS_DIR/prosody.log)"
	cp_server_priority "$PROSODY_PID"
}

# The servers run at nice -10, above the nodes (and above the test, which
# may run under `nice`). A real server has a machine of its own; here it
# shares 2 cores with every evpnd, and at equal weight prosody gets about
# 1/(N+1) of them while N nodes set up links. Then every login, presence
# and link request waits in its run queue: at 64 nodes started at once the
# logins came out one every ~0.35 s (the last one 22 s after the first),
# and the overlay took 28-36 s to converge instead of 9 s. The servers use
# a few CPU-seconds per run, so the priority costs the nodes little.
cp_server_priority()
{
	renice -n -10 -p "$@" >/dev/null 2>&1 || true
}

# The group file (mod_groups) from CP_MEMBERS (bare JIDs, set by the test
# before cp_world). prosody reads it when the module loads.
CP_MEMBERS=${CP_MEMBERS:-}
cp_groups_file()
{
	local j
	echo "[$CP_GROUP]" >"$NS_DIR/groups.txt"
	for j in $CP_MEMBERS; do echo "$j" >>"$NS_DIR/groups.txt"; done
	chmod 644 "$NS_DIR/groups.txt"
}

cp_node_behind()
{
	local node=$1 r=$2 mode=$3 wan=$4 lan=$5
	ns_nat_router "$r" "$mode"
	ns_switch_port inet "$r" eth0 "$wan/24"
	ns_host "$node"
	ns_link "$r" lan0 "$lan.1/24" "$node" eth0 "$lan.2/24"
	ns_route "$node" default via "$lan.1"
}

# cp_server: the switch "inet" and the public server "pub" (10.99.0.10)
# running prosody and coturn; nodes are added by the caller.
cp_server()
{
	cp_bins
	ns_switch inet
	ns_host pub
	ns_switch_port inet pub eth0 10.99.0.10/24
	# Like any real server, pub has a default route. Without one, coturn's
	# relay gets ENETUNREACH sending to a peer's private host candidate
	# and closes the whole allocation ("closed (2nd stage) ... general"),
	# which breaks every relayed path. On-link: unanswered ARP on our own
	# switch, nothing leaves the test's namespaces.
	ns_exec pub ip route add default dev eth0
	cp_prosody pub 10.99.0.10
	turn_start pub 10.99.0.10
	cp_server_priority "$TURN_PID"
}

cp_world()
{
	local ma=${1:-ei} mb=${2:-ei}
	cp_server
	cp_node_behind a r1 "$ma" 10.99.0.1 192.168.1
	cp_node_behind b r2 "$mb" 10.99.0.2 192.168.2
}

cp_pair()
{
	CP_MEMBERS="a@$XMPP_DOMAIN b@$XMPP_DOMAIN"
	cp_world "$@"
	prosody_adduser "a@$XMPP_DOMAIN" pw-a
	prosody_adduser "b@$XMPP_DOMAIN" pw-b
	cp_conf a 0000000000000000000000000000000a
	cp_conf b 0000000000000000000000000000000b
}

CP_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# cp_key WANT PEM: PEM's node ID, after creating a key whose ID starts with
# WANT's first non-zero byte if PEM does not exist yet (docs/protocol.md
# "Node IDs").
cp_key()
{
	local want=$1 pem=$2 b
	if [ ! -e "$pem" ]; then
		b=$(printf '%s' "$want" | sed -E 's/^(00)*//' | cut -c1-2)
		# Debian's python3 has python3-cryptography (scripts/deps.sh)
		/usr/bin/python3 "$CP_LIB_DIR/idgen.py" "$b" "$pem" >/dev/null ||
			ns_fail "idgen.py: no key for $pem"
	fi
	openssl pkey -in "$pem" -pubout -outform DER | sha256sum | cut -c1-32
}

# cp_conf NODE ID [JID [PASS [OVERLAY_IP]]]
cp_conf()
{
	local n=$1 jid=${3:-$1@$XMPP_DOMAIN} pass=${4:-pw-$1} d="$NS_DIR/$1"
	local idx=${#CP_NODES[@]} id
	mkdir -p "$d"
	id=$(cp_key "$2" "$d/state/identity.pem")
	printf '%s\n' "$pass" >"$d/password"
	chmod 600 "$d/password"
	CP_ID[$n]=$id
	CP_OVIP[$n]=${5:-10.200.0.$((idx + 1))}
	CP_NODES+=("$n")
	cat >"$d/evpnd.conf" <<EOF
[node]
id = $id
state-dir = $d/state
run-dir = $d/run

[interface]
name = evpn0
datapath = tap

[overlay t]
jid = $jid
password-file = $d/password
server = 10.99.0.10
ca-file = $XMPP_CA
group = $CP_GROUP
${CP_NO_STUN:+#}stun = 10.99.0.10:3478
turn = 10.99.0.10:3478
turn-user = $TURN_USER
turn-password = $TURN_PASS
${CP_EXTRA_CONF:-}
EOF
}

# cp_started NODE: its control socket exists, or evpnd died (ends the wait)
cp_started()
{
	[ -S "$NS_DIR/$1/run/evpn0.sock" ] || ! kill -0 "${CP_PID[$1]}" 2>/dev/null
}

cp_start()
{
	local n=$1
	rm -f "$NS_DIR/$n/run/evpn0.sock"	# a killed evpnd leaves it behind
	CP_PID[$n]=$(ns_bg "$n" "evpnd-$n.log" env ${CP_ENV:-} "$EVPND" -f -c "$NS_DIR/$n/evpnd.conf")
	# (a bound, not a pass condition: in a TCG guest an evpnd whose
	# libraries are paged in over 9p for the first time took over 5 s, and
	# a bare failing wait here ended the test under set -e with no message)
	ns_wait_for 20 cp_started "$n" || ns_fail "evpnd $n: no control socket after 20 s"
	kill -0 "${CP_PID[$n]}" 2>/dev/null || ns_fail "evpnd $n exited"
	[ -S "$NS_DIR/$n/run/evpn0.sock" ] || ns_fail "evpnd $n did not start (no control socket)"
	ns_exec "$n" ip addr add "${CP_OVIP[$n]}/24" dev evpn0
	ns_exec "$n" ip link set evpn0 up
}

cp_stop() { ns_kill "${CP_PID[$1]}"; }

# cp_stop_clean NODE: SIGTERM, wait for a clean exit (ASan leak check
# included), then check its log.
cp_stop_clean()
{
	local pid=${CP_PID[$1]}
	kill -TERM "$pid"
	ns_wait_for 15 sh -c "! kill -0 $pid 2>/dev/null" ||
		ns_fail "evpnd $1 did not exit on SIGTERM"
	grep -q 'shutting down' "$NS_DIR/evpnd-$1.log" || ns_fail "evpnd $1: no clean shutdown"
	cp_check_logs
}

cp_show() { echo show | ns_exec "$1" socat -t 5 - "UNIX-CONNECT:$NS_DIR/$1/run/evpn0.sock"; }

cp_get()
{
	cp_show "$1" | python3 -c 'import json,sys; j=json.load(sys.stdin); print('"$2"')'
}

# cp_peer NODE PEER FIELD: FIELD of NODE's overlay peer entry for PEER
cp_peer()
{
	cp_show "$1" | python3 -c '
import json, sys
j = json.load(sys.stdin)
for o in j.get("overlays", []):
    for p in o.get("peers", []):
        if p["id"] == sys.argv[1]:
            print(p.get(sys.argv[2], ""))' "${CP_ID[$2]}" "$3"
}

# cp_link NODE PEER FIELD: FIELD of NODE's datapath link to PEER
cp_link()
{
	cp_show "$1" | python3 -c '
import json, sys
j = json.load(sys.stdin)
for l in j.get("links", []):
    if sys.argv[1] in (l.get("peer"), l.get("peer_id")):
        v = l.get(sys.argv[2], "")
        print(json.dumps(v) if isinstance(v, bool) else v)
        break' "${CP_ID[$2]}" "$3"
}

cp_link_up() { [ "$(cp_peer "$1" "$2" link)" = up ]; }

# cp_true NODE EXPR: the Python condition EXPR on NODE's `show` JSON j holds,
# e.g. ns_wait_for 10 cp_true c 'j["overlays"][0]["xmpp_auth_failures"] >= 1'
cp_true() { [ "$(cp_get "$1" "int(bool($2))")" = 1 ]; }

cp_ping() { ns_exec "$1" ping -c1 -W0.3 "${CP_OVIP[$2]}" >/dev/null 2>&1; }

# Sanitizer reports; leak reports count when a control-plane file is in the
# stack (config.c keeps the config file name alive on purpose).
cp_check_logs()
{
	local n bad=0 f
	for n in "${CP_NODES[@]}"; do
		f="$NS_DIR/evpnd-$n.log"
		if grep -qE 'ERROR: (Address|Undefined)Sanitizer|runtime error:' "$f" ||
		   { grep -q 'LeakSanitizer' "$f" &&
		     grep -qE 'daemon/(overlay|linkmgr/[a-z]+|xmpp|ice|dtls|identity|signalling|config_overlay)\.c' "$f"; }; then
			echo "sanitizer report in evpnd $n" >&2
			bad=1
		fi
	done
	[ $bad = 0 ] || ns_fail "sanitizer reports"
}

cp_now() { date +%s.%N; }
cp_elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }

# Two host-wide limits that every namespace shares, raised while a big
# world runs (cp_limits_raise; never lowered) and put back once the last
# test that raised them ends (cp_limits_restore: `make check` runs two
# netns tests at a time, and a test must not lower them under another; a
# count under a lock in /tmp/evpn-netns):
# - the ARP table's hard limit (net.ipv4.neigh.default.gc_thresh3, 1024 by
#   default, settable only in the initial namespace) counts every
#   namespace's entries: tens of nodes that resolve each other exceed it
#   ("neighbor table overflow!", ping fails with ENOBUFS); N nodes on one
#   switch hold up to N^2 entries plus their overlay's, so 16384 was full
#   at 128 nodes. Raised to 131072 (~50 MiB at most).
# - the per-CPU input backlog (net.core.netdev_max_backlog, 1000): every
#   frame a veth delivers waits there, and one broadcast on a switch of N
#   ports is N frames. At 192 nodes the ARP requests of the start
#   overflowed it in bursts (thousands of frames dropped in a second,
#   /proc/net/softnet_stat), for every namespace alike: a NAT'd node's XMPP
#   session backed off to a 26 s retransmission timer and its links were
#   declared dead. On real machines each node has a backlog of its own.
#   Raised to 65536.
CP_LIMITS="net/ipv4/neigh/default/gc_thresh2=65536 net/ipv4/neigh/default/gc_thresh3=131072 net/core/netdev_max_backlog=65536"
CP_LIMITS_STATE=${TMPDIR:-/tmp}/evpn-netns/.limits
cp_limits_raise()
{
	local n kv
	mkdir -p "$(dirname "$CP_LIMITS_STATE")"
	(
		flock 9
		n=$(cat "$CP_LIMITS_STATE.users" 2>/dev/null || echo 0)
		if [ "$n" -le 0 ]; then
			for kv in $CP_LIMITS; do
				echo "${kv%%=*}=$(cat "/proc/sys/${kv%%=*}")"
			done >"$CP_LIMITS_STATE.saved"
		fi
		echo $((n + 1)) >"$CP_LIMITS_STATE.users"
		for kv in $CP_LIMITS; do
			[ "$(cat "/proc/sys/${kv%%=*}")" -ge "${kv#*=}" ] ||
				echo "${kv#*=}" >"/proc/sys/${kv%%=*}" || exit 1
		done
	) 9>"$CP_LIMITS_STATE.lock" || ns_fail "cannot raise the host limits ($CP_LIMITS)"
	CP_LIMITS_RAISED=1
}

cp_limits_restore()
{
	local n kv
	[ "${CP_LIMITS_RAISED:-0}" = 1 ] || return 0
	CP_LIMITS_RAISED=0
	(
		flock 9
		n=$(cat "$CP_LIMITS_STATE.users" 2>/dev/null || echo 1)
		n=$((n > 0 ? n - 1 : 0))
		echo "$n" >"$CP_LIMITS_STATE.users"
		[ "$n" = 0 ] && [ -s "$CP_LIMITS_STATE.saved" ] || exit 0
		while read -r kv; do
			echo "${kv#*=}" >"/proc/sys/${kv%%=*}"
		done <"$CP_LIMITS_STATE.saved"
	) 9>"$CP_LIMITS_STATE.lock" 2>/dev/null || true
}

