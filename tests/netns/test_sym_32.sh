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

N=${SYM32_N:-32}
KILL=${SYM32_KILL:-8}
JOIN=${SYM32_JOIN:-8}
K=4
MAXLINKS=$((2 + K + 2 * K))
NAT_NODES="3 11 19"		# these sit behind their own NAT router

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
# The kernel has one ARP table for all namespaces, and its hard limit
# (net.ipv4.neigh.default.gc_thresh3, 1024 by default, settable only in
# the initial namespace) counts every namespace's entries: 40 nodes that
# each resolve most of the others exceed it in the join phase ("neighbor
# table overflow!" in dmesg, ping's sendmsg fails with ENOBUFS), which
# measured the host's ARP table, not the overlay. Raise the limits for
# this test (never lower them) and restore them on exit.
GC_SYSCTL=/proc/sys/net/ipv4/neigh/default
GC_OLD=$(cat "$GC_SYSCTL"/gc_thresh1 "$GC_SYSCTL"/gc_thresh2 "$GC_SYSCTL"/gc_thresh3)
sym32_exit()
{
	local rc=$? i=1 v
	for v in $GC_OLD; do echo "$v" >"$GC_SYSCTL/gc_thresh$i"; i=$((i + 1)); done
	(exit "$rc")
	ns_cleanup
}
trap sym32_exit EXIT
[ "$(cat "$GC_SYSCTL"/gc_thresh3)" -ge 8192 ] || {
	echo 4096 >"$GC_SYSCTL"/gc_thresh2 && echo 8192 >"$GC_SYSCTL"/gc_thresh3
} || ns_fail "cannot raise $GC_SYSCTL/gc_thresh3"
T_BEGIN=$(cp_now)
TOTAL=$((N + JOIN))
CP_MEMBERS=$(for i in $(seq "$TOTAL"); do printf 'n%d@%s ' "$i" "$XMPP_DOMAIN"; done)
cp_bins
ns_require tcpdump python3

# ---- world: switch, server (prosody + coturn), nodes -----------------------
cp_server

for i in $(seq "$TOTAL"); do
	if [[ " $NAT_NODES " == *" $i "* ]]; then
		cp_node_behind "n$i" "r$i" ei "10.99.0.$((200 + i))" "192.168.$i"
	else
		ns_host "n$i"
		ns_switch_port inet "n$i" eth0 "10.99.0.$((20 + i))/24"
	fi
	# only the traffic the test sends on evpn0 (no IPv6 ND/MLD chatter)
	ns_exec "n$i" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6'
done

# accounts: prosodyctl is slow to start, so run a few at once
for i in $(seq "$TOTAL"); do echo "n$i"; done |
	xargs -P 4 -I{} setpriv --reuid=prosody --regid=prosody --init-groups \
		prosodyctl --config "$PROSODY_CFG" register {} "$XMPP_DOMAIN" pw-{} \
		>>"$NS_DIR/prosodyctl.log" 2>&1 || ns_fail "prosodyctl register failed"

CP_EXTRA_CONF="topology = symphony
symphony-k = $K"
for i in $(seq "$TOTAL"); do
	cp_conf "n$i" "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
done
ns_log "world ready after $(cp_elapsed "$T_BEGIN") s ($TOTAL namespaces + routers)"

# ---- helpers ----------------------------------------------------------------

# Launch evpnd in every NODE at once, then give each its overlay address.
launch()
{
	local n i waits=()
	for n in "$@"; do
		rm -f "$NS_DIR/$n/run/evpn0.sock"
		ns_bg "$n" "evpnd-$n.log" "$CP_EVPND" -f -c "$NS_DIR/$n/evpnd.conf" >/dev/null
		CP_PID[$n]=$NS_LAST_PID
	done
	for n in "$@"; do
		(
			for i in $(seq 200); do
				[ -S "$NS_DIR/$n/run/evpn0.sock" ] && break
				sleep 0.05
			done
			ns_exec "$n" ip addr add "${CP_OVIP[$n]}/24" dev evpn0 &&
			ns_exec "$n" ip link set evpn0 up
		) || echo "$n" >>"$NS_DIR/launch-failed" &
		waits+=($!)
	done
	wait "${waits[@]}"	# not a bare wait: the evpnds are our children
	[ ! -e "$NS_DIR/launch-failed" ] ||
		ns_fail "evpnd did not come up in: $(cat "$NS_DIR/launch-failed")"
}

# sample_pairs COUNT NODE... -> "src dst" lines: every node once as source
# and once as destination (a random cycle), then random distinct pairs up
# to COUNT (or all pairs if fewer).
sample_pairs()
{
	local count=$1
	shift
	python3 - "$count" "$@" <<'EOF'
import random, sys
count, nodes = int(sys.argv[1]), sys.argv[2:]
random.shuffle(nodes)
pairs = {(nodes[i], nodes[(i + 1) % len(nodes)]) for i in range(len(nodes))}
allp = [(a, b) for a in nodes for b in nodes if a != b]
random.shuffle(allp)
for p in allp:
    if len(pairs) >= min(count, len(allp)):
        break
    pairs.add(p)
for a, b in sorted(pairs):
    print(a, b)
EOF
}

# ping_round PAIRFILE: ping every pair once, all in parallel (1 s timeout);
# prints the pairs that did not answer.
ping_round()
{
	local f=$1 src dsts pids=()
	for src in $(cut -d' ' -f1 "$f" | sort -u); do
		dsts=$(awk -v s="$src" '$1 == s { print $2 }' "$f" |
		       while read -r d; do echo "${CP_OVIP[$d]}=$d"; done)
		# shellcheck disable=SC2086
		ns_exec "$src" sh -c '
			s=$1; shift
			for x; do
				(ping -n -c1 -W1 -q "${x%=*}" >/dev/null 2>&1 ||
				 echo "$s ${x#*=}") &
			done
			wait' _ "$src" $dsts &
		pids+=($!)
	done
	[ ${#pids[@]} = 0 ] || wait "${pids[@]}"	# not a bare wait: evpnd
}

# converge NAME PAIRFILE T0 DEADLINE: ping the pairs that have not yet
# answered, round after round, until every pair has answered once; CONV =
# seconds from T0 to the end of that round. Then every pair must answer
# again (a verification round; a pair may retry for 5 s: a link being
# replaced drops a ping).
converge()
{
	local name=$1 f=$2 t0=$3 deadline=$4 nf round=0 pend="$NS_DIR/pending"
	cp "$f" "$pend"
	while :; do
		round=$((round + 1))
		ping_round "$pend" >"$pend.next"
		mv "$pend.next" "$pend"
		cp "$pend" "$NS_DIR/pending-$name-$round"	# for NS_KEEP=1
		nf=$(grep -c . "$pend" || true)
		CONV=$(cp_elapsed "$t0")
		[ "$nf" = 0 ] && break
		if awk -v t="$CONV" -v d="$deadline" 'BEGIN { exit !(t > d) }'; then
			head -20 "$pend" >&2
			ns_fail "$name: $nf of $(wc -l <"$f") pairs never answered within ${CONV}s"
		fi
		ns_log "$name: ${CONV}s, $nf pairs not yet answered"
	done
	ns_log "$name: every one of $(wc -l <"$f") pairs answered by ${CONV}s ($round rounds)"
	cp "$f" "$pend"
	ns_wait_for 5 verify_round "$pend" ||
		ns_fail "$name: pairs unreachable again: $(tr '\n' ' ' <"$pend")"
}

verify_round()
{
	ping_round "$1" >"$1.next"
	mv "$1.next" "$1"
	[ ! -s "$1" ]
}

# link_counts NODE...: each node's datapath links (`show`); fails above
# MAXLINKS; logs the distribution.
link_counts()
{
	local n c max=0 sum=0 dist=""
	for n in "$@"; do
		c=$(cp_get "$n" 'len(j["links"])')
		dist="$dist $c"
		sum=$((sum + c))
		[ "$c" -gt "$max" ] && max=$c
		[ "$c" -le "$MAXLINKS" ] || ns_fail "$n has $c links (> 2 + k + 2k = $MAXLINKS)"
		[ "$c" -ge 2 ] || ns_fail "$n has only $c links"
	done
	ns_log "links per node: avg $(awk -v s=$sum -v n=$# 'BEGIN { printf "%.2f", s / n }'), max $max (cap $MAXLINKS); histogram: $(echo "$dist" | tr ' ' '\n' | grep . | sort -n | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')"
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

check_alive()
{
	local n
	for n in "$@"; do
		kill -0 "${CP_PID[$n]}" 2>/dev/null || ns_fail "evpnd $n died (see evpnd-$n.log)"
	done
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
sample_pairs 224 "${ALIVE[@]}" >"$NS_DIR/pairs-start"
T0=$(cp_now)
launch "${ALIVE[@]}"
ns_log "$N evpnd started in $(cp_elapsed "$T0") s"
converge start "$NS_DIR/pairs-start" "$T0" $((90 * SLOW))
START_S=$CONV
check_alive "${ALIVE[@]}"
sleep 2		# let late long links settle before counting
link_counts "${ALIVE[@]}"
broadcast "${ALIVE[0]}" "${ALIVE[@]}"

# ---- 2. kill -9 a quarter ----------------------------------------------------
mapfile -t VICTIMS < <(printf '%s\n' "${ALIVE[@]}" | shuf -n "$KILL")
ns_log "killing ${VICTIMS[*]}"
T1=$(cp_now)
for n in "${VICTIMS[@]}"; do kill -9 "${CP_PID[$n]}"; done
mapfile -t ALIVE < <(printf '%s\n' "${ALIVE[@]}" | grep -vxF -f <(printf '%s\n' "${VICTIMS[@]}"))
sample_pairs 200 "${ALIVE[@]}" >"$NS_DIR/pairs-kill"
converge after_kill "$NS_DIR/pairs-kill" "$T1" $((45 * SLOW))
KILL_S=$CONV
check_alive "${ALIVE[@]}"

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
	sample_pairs 200 "${ALIVE[@]}"
} | sort -u >"$NS_DIR/pairs-join"
T2=$(cp_now)
launch "${NEW[@]}"
converge after_join "$NS_DIR/pairs-join" "$T2" $((45 * SLOW))
JOIN_S=$CONV
check_alive "${ALIVE[@]}"
sleep 2
link_counts "${ALIVE[@]}"
broadcast "${NEW[0]}" "${ALIVE[@]}"

cp_check_logs
if grep -lE 'Segmentation fault|Aborted|CRITICAL' "$NS_DIR"/evpnd-*.log >&2; then
	ns_fail "crash or critical message in the logs above"
fi
ns_log "in-degree refusals: $(cat "$NS_DIR"/evpnd-*.log | grep -c 'refusing link' || true)," \
	"nodes presumed dead: $(cat "$NS_DIR"/evpnd-*.log | grep -c 'presumed dead' || true)"

echo "RESULT converge evpn-32 start_all_pairs_s $START_S"
echo "RESULT converge evpn-32 after_kill_s $KILL_S"
echo "RESULT converge evpn-32 after_join_s $JOIN_S"
target start_all_pairs "$START_S" 15
target after_kill "$KILL_S" 10
echo "PASS: $N symphony nodes: all pairs after ${START_S}s, after killing $KILL: ${KILL_S}s, $JOIN joined: ${JOIN_S}s (test ran $(cp_elapsed "$T_BEGIN")s)"
