# Helpers for the TAP-datapath end-to-end tests (sourced, not a test).
#
#   tap_init PREFIX          temp dir, cleanup trap, binaries (ASan build)
#   tap_lan                  an underlay LAN (bridge in its own namespace)
#   tap_node NAME ID IP      a namespace on the LAN with underlay address IP
#   tap_link A B             static link between nodes A and B (both configs)
#   tap_e2e A B              pre-shared e2e pair key of A and B ([e2e])
#   tap_start NAME           start evpnd in NAME (config from the above)
#   tap_stop NAME            SIGTERM evpnd in NAME and wait for it
#   tap_show NAME            `show` JSON of NAME's evpnd
#   tap_get NAME PATH        one number from the JSON (jq-less: python3)
#   tap_true NAME EXPR       a condition on the JSON (for ns_wait_for)
#   tap_check_logs           fail on sanitizer reports in the evpnd logs
# Waits poll on a condition with ns_wait_for (lib.sh; timeouts scale with
# the machine's load), never a fixed sleep before a count.
# Every namespace and process created here is removed by the trap.
set -u

EVPN_ROOT=${EVPN_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"	# ns_wait_for
EVPND=${EVPND:-$EVPN_ROOT/build/asan/bin/evpnd}
EVPNCRAFT=${EVPNCRAFT:-$EVPN_ROOT/build/asan/bin/evpn-craft}
PSK=$(printf '%064x' 0x5eed)	# static test key, not a secret
# ASan: report, don't hide leaks at exit; UBSan aborts (built with
# -fno-sanitize-recover); logs are checked by tap_check_logs
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

declare -A NODE_NS NODE_ID NODE_IP NODE_PID NODE_IDX
TAP_NODES=()
TAP_NSES=()

tap_fail() { echo "FAIL: $*" >&2; exit 1; }
tap_ok() { echo "ok: $*"; }

tap_cleanup() {
	local rc=$? n
	for n in "${TAP_NODES[@]}"; do
		[ -n "${NODE_PID[$n]:-}" ] && kill "${NODE_PID[$n]}" 2>/dev/null
	done
	ns_wait_for 0.5 tap_none_alive
	if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then
		for n in "${TAP_NODES[@]}"; do
			echo "--- evpnd $n log ---" >&2
			cat "$TAP_TMP/$n/log" >&2
		done
	fi
	for n in "${TAP_NODES[@]}"; do
		[ -n "${NODE_PID[$n]:-}" ] && kill -9 "${NODE_PID[$n]}" 2>/dev/null
	done
	for n in "${TAP_NSES[@]}"; do
		# processes we started inside (tcpdump, iperf3, ...)
		ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	[ -n "${TAP_TMP:-}" ] && rm -rf "$TAP_TMP"
}

tap_init() {
	[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }
	[ -c /dev/net/tun ] || { echo "SKIP: no /dev/net/tun"; exit 77; }
	[ -x "$EVPND" ] || { echo "SKIP: $EVPND not built (make asan)"; exit 77; }
	TAP_PREFIX=$1$$
	TAP_TMP=$(mktemp -d /tmp/evpn-tap.XXXXXX)
	trap tap_cleanup EXIT
	trap 'exit 130' INT TERM
}

tap_lan() {
	TAP_LAN=${TAP_PREFIX}-lan
	ip netns add "$TAP_LAN" && TAP_NSES+=("$TAP_LAN") || tap_fail "netns"
	ip -n "$TAP_LAN" link add br0 type bridge
	ip -n "$TAP_LAN" link set br0 up
}

# tap_node NAME ID IP: IDs are 32 hex digits, IPs on 10.77.0.0/24
tap_node() {
	local n=$1 ns=${TAP_PREFIX}-$1 i=${#TAP_NODES[@]}
	ip netns add "$ns" && TAP_NSES+=("$ns") || tap_fail "netns $ns"
	ip link add "u$i" netns "$ns" type veth peer name "p$i" netns "$TAP_LAN"
	ip -n "$TAP_LAN" link set "p$i" master br0 up
	ip -n "$ns" addr add "$3/24" dev "u$i"
	ip -n "$ns" link set "u$i" up
	ip -n "$ns" link set lo up
	NODE_NS[$n]=$ns NODE_ID[$n]=$2 NODE_IP[$n]=$3 NODE_IDX[$n]=$i
	TAP_NODES+=("$n")
	mkdir -p "$TAP_TMP/$n"
	cat > "$TAP_TMP/$n/evpnd.conf" <<EOC
[node]
id = $2
state-dir = $TAP_TMP/$n/state
run-dir = $TAP_TMP/run

[interface]
name = tap$n

[static]
listen = $3:5170
EOC
}

tap_link() {
	local a=$1 b=$2
	printf '\n[link %s]\npeer = %s\nendpoint = %s:5170\npsk = %s\n' \
		"$b" "${NODE_ID[$b]}" "${NODE_IP[$b]}" "$PSK" \
		>> "$TAP_TMP/$a/evpnd.conf"
	printf '\n[link %s]\npeer = %s\nendpoint = %s:5170\npsk = %s\n' \
		"$a" "${NODE_ID[$a]}" "${NODE_IP[$a]}" "$PSK" \
		>> "$TAP_TMP/$b/evpnd.conf"
}

# tap_e2e A B: an end-to-end pair key (docs/protocol.md 14) for nodes that
# reach each other through transit nodes; one psk per pair
tap_e2e_psk() { printf 'e2e %s' "$(printf '%s\n' "$1" "$2" | sort | tr -d '\n')" | sha256sum | cut -c1-64; }
tap_e2e() {
	local a=$1 b=$2 k
	k=$(tap_e2e_psk "$a" "$b")
	printf '\n[e2e %s]\npeer = %s\npsk = %s\n' "$b" "${NODE_ID[$b]}" "$k" \
		>> "$TAP_TMP/$a/evpnd.conf"
	printf '\n[e2e %s]\npeer = %s\npsk = %s\n' "$a" "${NODE_ID[$a]}" "$k" \
		>> "$TAP_TMP/$b/evpnd.conf"
}

# tap_ring4 PREFIX: nodes A < B < C < D (overlay addresses PREFIX.1-4) on
# the ring A-B-C-D-A, so A-C and B-D talk through a transit node, end to
# end (their pair keys); C without TAP offloads (its own stack segments TCP,
# and frames for it are coalesced by its peers' GRO). Started.
tap_ring4() {
	tap_node A 10000000000000000000000000000001 "$1.1"
	tap_node B 30000000000000000000000000000002 "$1.2"
	tap_node C 50000000000000000000000000000003 "$1.3"
	tap_node D c0000000000000000000000000000004 "$1.4"
	tap_link A B
	tap_link B C
	tap_link C D
	tap_link D A
	tap_e2e A C
	tap_e2e B D
	sed -i 's/^name = tapC$/name = tapC\noffload = no/' "$TAP_TMP/C/evpnd.conf"
	for n in A B C D; do tap_start $n; done
}

# tap_started NAME: true once NAME's control socket exists; exits the wait
# early (false, then tap_start fails) if evpnd died
tap_started() {
	[ -S "$TAP_TMP/run/tap$1.sock" ] || ! kill -0 "${NODE_PID[$1]}" 2>/dev/null
}

tap_start() {
	local n=$1
	ip netns exec "${NODE_NS[$n]}" "$EVPND" -c "$TAP_TMP/$n/evpnd.conf" \
		> "$TAP_TMP/$n/log" 2>&1 &
	NODE_PID[$n]=$!
	ns_wait_for 5 tap_started "$n"
	[ -S "$TAP_TMP/run/tap$n.sock" ] && return 0
	cat "$TAP_TMP/$n/log" >&2
	tap_fail "evpnd $n did not start"
}

tap_stop() {
	local n=$1
	kill -TERM "${NODE_PID[$n]}" 2>/dev/null
	wait "${NODE_PID[$n]}"
	local rc=$?
	NODE_PID[$n]=
	return $rc
}

tap_alive() { kill -0 "${NODE_PID[$1]}" 2>/dev/null; }
tap_none_alive() {
	local n
	for n in "${TAP_NODES[@]}"; do
		[ -z "${NODE_PID[$n]:-}" ] || ! tap_alive "$n" || return 1
	done
}

tap_ctl() { echo "$2" | socat -t 5 - "UNIX-CONNECT:$TAP_TMP/run/tap$1.sock"; }
tap_show() { tap_ctl "$1" show; }

# tap_get NAME EXPR: EXPR is a Python expression on the JSON object j,
# e.g. 'j["drops"]["replay"]' or 'j["tap_tx_packets"]'
tap_get() {
	tap_show "$1" | python3 -c 'import json,sys; j=json.load(sys.stdin); print('"$2"')'
}

tap_nsx() { local n=$1; shift; ip netns exec "${NODE_NS[$n]}" "$@"; }

# tap_listening NAME PROTO PORT: true if a socket in NAME listens on PORT
tap_listening() {
	local flag=-ltn
	[ "$2" = udp ] && flag=-lun
	tap_nsx "$1" ss -H $flag "sport = :$3" 2>/dev/null | grep -q .
}

# tap_true NAME EXPR: true if the Python condition EXPR on NAME's `show`
# JSON j holds, e.g. tap_true T 'j["tap_tx_packets"] > 4'. For waits
# (ns_wait_for 5 tap_true ...) before exact counts: the daemon answers `show`
# from the event loop that handles records, so once a record's effect shows,
# all its effects (delivery, drops, relays) do.
tap_true() { [ "$(tap_get "$1" "int(bool($2))")" = 1 ]; }

# tap_tcpdump NAME OUTFILE ARGS...: capture in NAME's namespace; waits until
# tcpdump listens; sets TD_PID (stop with tap_tcpdump_stop)
tap_tcpdump() {
	local n=$1 out=$2; shift 2
	ip netns exec "${NODE_NS[$n]}" tcpdump -n -U -w "$out" "$@" 2>"$out.err" &
	TD_PID=$!
	ns_wait_for 5 grep -q "listening on" "$out.err" ||
		tap_fail "tcpdump in $n did not start"
}
# tap_tcpdump_stop PID [FILE N]: stop tcpdump, first waiting until the
# capture FILE holds at least N packets (as many as the test knows reached
# the interface: -U writes each packet once tcpdump has read it, but a fixed
# sleep once stopped it before it had read them all, commit 39dc903).
tap_tcpdump_stop() {
	[ $# -lt 3 ] || ns_wait_for 5 tap_pcap_count_ge "$2" "$3"
	kill -INT "$1"
	wait "$1" 2>/dev/null
}
# tap_pcap_count FILE [FILTER]: packets in a capture (matching FILTER)
tap_pcap_count() { tcpdump -r "$1" -n "${@:2}" 2>/dev/null | grep -c '^[0-9]'; }
tap_pcap_count_ge() { [ "$(tap_pcap_count "$1")" -ge "$2" ]; }

tap_check_logs() {
	local n bad=0
	for n in "${TAP_NODES[@]}"; do
		if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' \
			"$TAP_TMP/$n/log"; then
			echo "sanitizer report in evpnd $n:" >&2
			cat "$TAP_TMP/$n/log" >&2
			bad=1
		fi
	done
	[ $bad -eq 0 ] || tap_fail "sanitizer reports"
	tap_ok "no sanitizer reports"
}
