#!/bin/bash
# check: alone (33 nodes: CPU-bound, tests/run.sh runs it by itself)
# 32 evpnd nodes (TAP datapath), each in its own namespace, one prosody,
# `topology = symphony` (issue 6, item 5):
#   1. simultaneous start: every sampled pair pings (>= 200 random pairs,
#      every node at least once as source and as destination); time from
#      the launch until the first ping round in which all of them answer;
#      link counts per node <= 2 + k + 2k (short links + own long links +
#      the in-degree cap); a broadcast frame reaches every node exactly
#      once (a duplicate fails at once; a miss while ring links are still
#      being repaired is retried with a fresh frame, up to 3 frames);
#   2. kill -9 eight random nodes: the survivors reach each other again;
#   3. start eight new nodes: they join (every new node as source and
#      destination), broadcast again.
# Prints RESULT converge evpn-32 start_all_pairs_s / after_kill_s /
# after_join_s (tests/bench/converge.sh forwards them to `make bench`).
#
# Most nodes sit on one flat switch; three sit behind their own
# endpoint-independent NAT router (so some links use server-reflexive
# candidates). Node IDs are random (a fresh ring every run).
#
# Binary: the release build (build/bin/evpnd) by default: 40 ASan
# instances doing ~160 ICE + DTLS setups at once on 2 shared cores
# measure the sanitizer, not the overlay (SYM32_ASAN=1 runs the ASan
# build instead, with relaxed deadlines). Logs are checked for crashes
# and sanitizer reports either way.
#
# Deadlines (fail beyond them): 90 s for the start, 45 s after the kill
# and after the join. The issue's targets (15 s start, 10 s after the
# kill) are printed as met / missed; SYM32_STRICT=1 fails when missed.
# Run time: about 1.1 minutes (world setup ~5 s, start ~6-17 s, after the
# kill ~5-7 s, after the join ~3-6 s, 1-4 s ping rounds, teardown).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"
. "$(dirname "$0")/scale_lib.sh"

N=${SYM32_N:-32}
KILL=${SYM32_KILL:-8}
JOIN=${SYM32_JOIN:-8}
MAXLINKS=$((2 + SCALE_K + 2 * SCALE_K))

if [ "${SYM32_ASAN:-0}" = 1 ]; then
	CP_EVPND=$EVPN_ROOT/build/asan/bin/evpnd
	SLOW=2
else
	CP_EVPND=$EVPN_ROOT/build/bin/evpnd
	SLOW=1
fi
[ -x "$CP_EVPND" ] || ns_skip "$CP_EVPND not built"
export CP_EVPND

ns_init
scale_init
T_BEGIN=$(cp_now)
TOTAL=$((N + JOIN))
CP_MEMBERS=$(for i in $(seq "$TOTAL"); do printf 'n%d@%s ' "$i" "$XMPP_DOMAIN"; done)
cp_bins
ns_require tcpdump python3

# ---- world: switch, server (prosody + coturn), nodes (scale_lib.sh) ---------
scale_world "$TOTAL"
ns_log "world ready after $(cp_elapsed "$T_BEGIN") s ($TOTAL namespaces + routers)"

# ---- helpers ----------------------------------------------------------------

# link_counts NODE...: each node's datapath links; fails above MAXLINKS or
# below 2; logs the distribution (scale_link_counts).
link_counts()
{
	scale_link_counts "$@"
	[ "$LINKS_MAX" -le "$MAXLINKS" ] && [ "$LINKS_MIN" -ge 2 ] || {
		cat "$NS_DIR/facts-links" >&2
		ns_fail "links per node $LINKS_MIN..$LINKS_MAX, not within 2..$MAXLINKS (2 + k + 2k)"
	}
}

# broadcast_once SENDER NODE...: one broadcast frame (ethertype 0x88b5) sent
# on SENDER's evpn0; tcpdump on every NODE must see it exactly once (on the
# sender: its own outgoing copy, once). A duplicate anywhere fails the test at
# once; returns 1 if some node did not see the frame.
broadcast_once()
{
	local snd=$1 n c bad=0 i tag
	shift
	declare -A tpid
	tag="bcast-$RANDOM"
	for n in "$@"; do
		tpid[$n]=$(ns_bg "$n" "tcpdump-$tag-$n.log" tcpdump -i evpn0 -n -l -e \
			--immediate-mode 'ether proto 0x88b5')
	done
	for n in "$@"; do
		ns_wait_for 10 grep -q 'listening on' "$NS_DIR/tcpdump-$tag-$n.log" ||
			ns_fail "tcpdump in $n did not start"
	done
	ns_exec "$snd" python3 -c '
import socket, sys
mac = bytes.fromhex(open("/sys/class/net/evpn0/address").read().strip().replace(":", ""))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("evpn0", 0))
s.send(b"\xff" * 6 + mac + b"\x88\xb5" + sys.argv[1].encode().ljust(46, b"\0"))' "$tag"
	sleep 2
	ns_kill "${tpid[@]}"
	for n in "$@"; do
		c=$(grep -c '0x88b5' "$NS_DIR/tcpdump-$tag-$n.log" || true)
		if [ "$c" != 1 ]; then
			echo "broadcast from $snd: $n saw it $c times" >&2
			[ "$c" -gt 1 ] && bad=2
			[ $bad = 2 ] || bad=1
		fi
	done
	[ $bad != 2 ] || ns_fail "broadcast delivered more than once"
	[ $bad = 0 ] || return 1
	ns_log "broadcast from $snd: each of the $# nodes saw it exactly once"
}

# broadcast SENDER NODE...: the bounded flood covers the ring through
# successor links (docs/protocol.md), so right after churn a node whose ring
# predecessor has not linked to it yet can be missed (never duplicated).
# Send fresh frames until one reaches every node exactly once, at most
# BCAST_TRIES (3) frames, 5 s apart; report how many frames that took.
broadcast()
{
	local t0 try=1
	t0=$(date +%s)
	until broadcast_once "$@"; do
		[ "$try" -lt "${BCAST_TRIES:-3}" ] ||
			ns_fail "no broadcast frame delivered exactly once everywhere in ${BCAST_TRIES:-3} tries"
		try=$((try + 1))
		sleep 5
	done
	ns_log "broadcast: frame $try reached every node exactly once ($(($(date +%s) - t0))s)"
}

target()	# target NAME VALUE LIMIT
{
	if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v <= l) }'; then
		ns_log "target $1 <= $3 s: met (${2}s)"
	else
		ns_log "target $1 <= $3 s: MISSED (${2}s)"
		[ "${SYM32_STRICT:-0}" = 1 ] && ns_fail "$1 target missed"
	fi
	return 0
}

# ---- 1. simultaneous start ---------------------------------------------------
ALIVE=()
for i in $(seq "$N"); do ALIVE+=("n$i"); done
scale_pairs 224 "${ALIVE[@]}" >"$NS_DIR/pairs-start"
scale_launch "${ALIVE[@]}"
T0=$SCALE_T0
ns_log "$N evpnd started in $(cp_elapsed "$T0") s"
scale_converge start "$NS_DIR/pairs-start" "$T0" $((90 * SLOW))
START_S=$CONV
scale_check_alive "${ALIVE[@]}"
sleep 2		# let late long links settle before counting
link_counts "${ALIVE[@]}"
broadcast "${ALIVE[0]}" "${ALIVE[@]}"

# ---- 2. kill -9 a quarter ----------------------------------------------------
mapfile -t VICTIMS < <(printf '%s\n' "${ALIVE[@]}" | shuf -n "$KILL")
ns_log "killing ${VICTIMS[*]}"
T1=$(cp_now)
for n in "${VICTIMS[@]}"; do kill -9 "${CP_PID[$n]}"; done
mapfile -t ALIVE < <(printf '%s\n' "${ALIVE[@]}" | grep -vxF -f <(printf '%s\n' "${VICTIMS[@]}"))
scale_pairs 200 "${ALIVE[@]}" >"$NS_DIR/pairs-kill"
scale_converge after_kill "$NS_DIR/pairs-kill" "$T1" $((45 * SLOW))
KILL_S=$CONV
scale_check_alive "${ALIVE[@]}"

# ---- 3. eight new nodes join -------------------------------------------------
NEW=()
for i in $(seq $((N + 1)) "$TOTAL"); do NEW+=("n$i"); done
ALIVE+=("${NEW[@]}")
{
	# every newcomer as source and destination, plus random pairs
	for n in "${NEW[@]}"; do
		printf '%s %s\n' "$n" "$(printf '%s\n' "${ALIVE[@]}" | grep -vxF "$n" | shuf -n1)"
		printf '%s %s\n' "$(printf '%s\n' "${ALIVE[@]}" | grep -vxF "$n" | shuf -n1)" "$n"
	done
	scale_pairs 200 "${ALIVE[@]}"
} | sort -u >"$NS_DIR/pairs-join"
scale_launch "${NEW[@]}"
T2=$SCALE_T0
scale_converge after_join "$NS_DIR/pairs-join" "$T2" $((45 * SLOW))
JOIN_S=$CONV
scale_check_alive "${ALIVE[@]}"
sleep 2
link_counts "${ALIVE[@]}"
broadcast "${NEW[0]}" "${ALIVE[@]}"

scale_check_logs
ns_log "in-degree refusals: $(scale_log_count 'refusing link')," \
	"nodes presumed dead: $(scale_log_count 'presumed dead')"

echo "RESULT converge evpn-32 start_all_pairs_s $START_S"
echo "RESULT converge evpn-32 after_kill_s $KILL_S"
echo "RESULT converge evpn-32 after_join_s $JOIN_S"
target start_all_pairs "$START_S" 15
target after_kill "$KILL_S" 10
echo "PASS: $N symphony nodes: all pairs after ${START_S}s, after killing $KILL: ${KILL_S}s, $JOIN joined: ${JOIN_S}s (test ran $(cp_elapsed "$T_BEGIN")s)"
