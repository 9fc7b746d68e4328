# shellcheck shell=bash
#
# tests/netns/scale_lib.sh -- many evpnd nodes on one machine (sourced after
# lib.sh and cp_lib.sh; not a test itself). Used by test_scale_64.sh,
# test_sym_32.sh and tests/bench/scale.sh (scale_run.sh).
#
#   scale_init                raise the host-wide limits (ARP table, input backlog; restored
#                  on exit by the EXIT trap this installs; ns_cleanup runs too)
#   scale_world N             switch "inet", server "pub" (prosody + coturn at
#                  nice -10, see below), nodes n1..nN (n3,
#                  n11, n19 behind their own NAT), accounts, configs
#                  (topology symphony, k = 4); CP_MEMBERS must list them
#   scale_launch NODE...      start evpnd in every NODE at the same moment
#                  (SCALE_T0, from cp_now), wait for each to come up with its
#                  overlay address (CP_PID[NODE]); see below
#   scale_prosody_restart     prosody again after prosody_stop
#   scale_pairs COUNT NODE... random pairs: every node once as source and as
#                  destination, then random ones up to COUNT
#   scale_converge NAME PAIRFILE T0 DEADLINE
#                  ping rounds until every pair answered once (CONV = seconds
#                  since T0), then a verification round; fails after DEADLINE
#   scale_link_counts NODE... links per node (LINKS_AVG, LINKS_MIN, LINKS_MAX);
#                  fails when a node does not answer
#   scale_facts NODE...       links, members present, signalling counters per
#                  node (one process for all: tests/netns/scale_show.py)
#   scale_all_present N NODE... every NODE sees the other N-1 present
#   scale_check_alive NODE... every evpnd still runs
#   scale_log_count PATTERN   lines matching PATTERN in all evpnd logs
#   scale_check_logs          cp_check_logs, and no crash or CRITICAL line
#
# The servers (prosody, coturn) run at nice -10: cp_lib.sh's
# cp_server_priority says why.
set -u

SCALE_K=4
SCALE_NAT_NODES=" 3 11 19 "

# Raise the host-wide limits (ARP table, input backlog) while the test runs
# (cp_lib.sh's cp_limits_raise says why), restored by the EXIT trap this installs.
scale_init()
{
	# set +e first: under set -e the subshell's non-zero exit would end
	# the trap before ns_cleanup (which takes the status from $?)
	trap 'SCALE_RC=$?; set +e; cp_limits_restore; (exit $SCALE_RC); ns_cleanup' EXIT
	cp_limits_raise
}

scale_world()
{
	local n=$1 i
	cp_server
	for i in $(seq "$n"); do
		if [[ "$SCALE_NAT_NODES" == *" $i "* ]]; then
			cp_node_behind "n$i" "r$i" ei "10.99.0.$((200 + i))" "192.168.$i"
		else
			ns_host "n$i"
			ns_switch_port inet "n$i" eth0 "10.99.0.$((20 + i))/24"
		fi
		# only the traffic the test sends on evpn0 (no IPv6 ND/MLD chatter)
		ns_exec "n$i" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6'
	done
	# prosodyctl is slow to start: a few at once
	for i in $(seq "$n"); do echo "n$i"; done |
		xargs -P 4 -I{} setpriv --reuid=prosody --regid=prosody --init-groups \
			prosodyctl --config "$PROSODY_CFG" register {} "$XMPP_DOMAIN" pw-{} \
			>>"$NS_DIR/prosodyctl.log" 2>&1 || ns_fail "prosodyctl register failed"
	CP_EXTRA_CONF="topology = symphony
symphony-k = $SCALE_K"
	for i in $(seq "$n"); do
		cp_conf "n$i" "$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
		# evpnd sets its overlay address itself (scale_launch)
		sed -i "/^datapath = /a address = ${CP_OVIP[n$i]}/24" "$NS_DIR/n$i/evpnd.conf"
	done
}

# prosody again after scale_world's server was stopped (same config)
scale_prosody_restart()
{
	cp_prosody_launch pub 10.99.0.10
}

# scale_launch NODE...: start every NODE's evpnd at the same moment and wait
# until each is up. Started one after the other (ns_bg in a loop, then an
# `ip netns exec` per node for its address and a polling process per node),
# the first nodes' start-up slowed the launch of the last ones (10.6 s for
# 128 nodes, on a quiet machine, all of it inside the measured time), and
# real nodes start in parallel. So each node's launcher is forked first and
# waits on a pipe; one write releases them all, and SCALE_T0 (cp_now) is
# that moment: measurements count from it. The address comes from the
# node's config (`address`, scale_world); evpnd adds it and brings the
# device up before it opens its control socket. One loop then watches all
# nodes (no process per node): a node whose evpnd exited, that has no
# control socket within 20 s (scaled), or that could not add its address
# fails the launch, named.
scale_launch()
{
	local n ns nl fd end left next pids="" fifo="$NS_DIR/launch.fifo"
	local failed="$NS_DIR/launch-failed"
	rm -f "$failed" "$fifo"
	mkfifo "$fifo"
	exec {fd}<>"$fifo"	# read-write: opening it never blocks
	rm -f "$fifo"
	for n in "$@"; do
		ns=$(ns_name "$n")
		rm -f "$NS_DIR/$n/run/evpn0.sock"	# a killed evpnd leaves it
		# ns_bg's command, once the release line comes
		(
			read -r -u "$fd" _ || exit 1
			exec {fd}<&-
			exec ip netns exec "$ns" "$EVPND" -f -c "$NS_DIR/$n/evpnd.conf"
		) >"$NS_DIR/evpnd-$n.log" 2>&1 </dev/null &
		CP_PID[$n]=$!
		pids="$pids$!
"
	done
	printf '%s' "$pids" >>"$NS_DIR/pids"	# ns_cleanup stops them
	printf -v nl '%*s' $# ''
	SCALE_T0=$(cp_now)
	printf '%s' "${nl// /$'\n'}" >&"$fd"	# go: one line each
	exec {fd}>&-
	# every node's control socket (its address is set by then), one loop
	# for all of them; a node whose evpnd exited fails at once
	end=$(test_scale 20)
	end=$(( ${EPOCHREALTIME/./} + ${end%.*} * 1000000 ))	# us
	left=("$@")
	while [ ${#left[@]} -gt 0 ]; do
		next=()
		for n in "${left[@]}"; do
			if [ -S "$NS_DIR/$n/run/evpn0.sock" ]; then
				continue
			elif ! kill -0 "${CP_PID[$n]}" 2>/dev/null; then
				echo "$n (evpnd exited)" >>"$failed"
			else
				next+=("$n")
			fi
		done
		left=("${next[@]}")
		[ ${#left[@]} -gt 0 ] || break
		if [ "${EPOCHREALTIME/./}" -ge "$end" ]; then
			printf '%s (no control socket)\n' "${left[@]}" >>"$failed"
			break
		fi
		sleep 0.1
	done
	# evpnd adds the address before it opens its control socket, and
	# says when it could not
	for n in "$@"; do echo "$NS_DIR/evpnd-$n.log"; done |
		xargs grep -lE 'adding address|addresses: ' |
		sed 's|.*/evpnd-\(.*\)\.log$|\1 (no overlay address)|' >>"$failed" || true
	[ ! -s "$failed" ] ||
		ns_fail "evpnd did not come up in: $(tr '\n' ' ' <"$failed")"
}

scale_pairs()
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

# scale_ping_round PAIRFILE: every pair once, in parallel (1 s timeout);
# prints the pairs that did not answer.
scale_ping_round()
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

scale_verify_round()
{
	scale_ping_round "$1" >"$1.next"
	mv "$1.next" "$1"
	[ ! -s "$1" ]
}

# scale_converge NAME PAIRFILE T0 DEADLINE: ping the pairs that have not yet
# answered, round after round, until every pair has answered once; CONV =
# seconds from T0 to the end of that round. Then every pair must answer
# again (a verification round; a pair may retry for 5 s: a link being
# replaced drops a ping).
scale_converge()
{
	local name=$1 f=$2 t0=$3 deadline=$4 nf round=0 pend="$NS_DIR/pending"
	cp "$f" "$pend"
	while :; do
		round=$((round + 1))
		scale_ping_round "$pend" >"$pend.next"
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
	ns_wait_for 5 scale_verify_round "$pend" ||
		ns_fail "$name: pairs unreachable again: $(tr '\n' ' ' <"$pend")"
}

# scale_facts NODE...: scale_show.py's line per node
scale_facts()
{
	/usr/bin/python3 "$CP_LIB_DIR/scale_show.py" "$NS_DIR" "$@"
}

# scale_sum FACTSFILE KEY: the sum of KEY=V over the nodes
scale_sum()
{
	tr ' ' '\n' <"$1" | awk -F= -v k="$2" '$1 == k { s += $2 } END { print s + 0 }'
}

scale_link_counts()
{
	local c sum=0 dist="" facts="$NS_DIR/facts-links"
	LINKS_MAX=0
	LINKS_MIN=999
	scale_facts "$@" >"$facts"
	[ "$(grep -c ' links=' "$facts")" = $# ] || {
		cat "$facts" >&2
		ns_fail "a node did not answer show"
	}
	for c in $(sed -n 's/.* links=\([0-9]*\).*/\1/p' "$facts"); do
		dist="$dist $c"
		sum=$((sum + c))
		[ "$c" -gt "$LINKS_MAX" ] && LINKS_MAX=$c
		[ "$c" -lt "$LINKS_MIN" ] && LINKS_MIN=$c
	done
	LINKS_AVG=$(awk -v s=$sum -v n=$# 'BEGIN { printf "%.2f", s / n }')
	ns_log "links per node: avg $LINKS_AVG, min $LINKS_MIN, max $LINKS_MAX; histogram: $(echo "$dist" | tr ' ' '\n' | grep . | sort -n | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')"
}

# scale_all_present N NODE...: every NODE sees the N-1 others present
scale_all_present()
{
	local n=$1
	shift
	[ "$(scale_facts "$@" | grep -c " present=$((n - 1)) ")" = $# ]
}

scale_check_alive()
{
	local n
	for n in "$@"; do
		kill -0 "${CP_PID[$n]}" 2>/dev/null || ns_fail "evpnd $n died (see evpnd-$n.log)"
	done
}

# scale_log_count PATTERN: how many lines of all the evpnd logs match
scale_log_count()
{
	cat "$NS_DIR"/evpnd-*.log | grep -c "$1" || true
}

scale_check_logs()
{
	cp_check_logs
	if grep -lE 'Segmentation fault|Aborted|CRITICAL' "$NS_DIR"/evpnd-*.log >&2; then
		ns_fail "crash or critical message in the logs above"
	fi
}
