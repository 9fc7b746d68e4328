#!/bin/bash
# tests/netns/scale_run.sh N -- one run of the scale benchmark at N nodes
# (tests/bench/scale.sh runs it for each N; not a test: it asserts nothing
# but that the overlay converges within generous deadlines).
#
# N evpnd (TAP datapath, release build, topology symphony, k = 4; three
# behind NAT), one prosody, one coturn, all started at once. Prints
# RESULT lines `RESULT scale evpn-N METRIC VALUE` ("launch": the moment
# all N evpnd are released at once, scale_launch's SCALE_T0):
#   start_all_pairs_s     launch -> every sampled pair (>= 200, every node
#                         as source and destination) has answered a ping
#   first_ring_link_p50_s / _p90_s / _p99_s   per node: launch -> its first
#                         ring (short) link up
#   full_links_p50_s / _p90_s / _p99_s        per node: launch -> the last
#                         change of its link set before the idle phase
#   links_avg / links_min / links_max         links per node, converged
#   sig_msgs_per_join     link messages the nodes sent through the server
#                         during the start, per node (presences not included:
#                         N - 1 per join in each direction)
#   cpu_s_per_join        evpnd CPU seconds during the start, per node
#   server_cpu_s          prosody's CPU seconds during the start
#   idle_cpu_pct          per node, converged, over 10 s (% of one core)
#   rss_kib / private_kib per node (VmRSS / RssAnon), converged
#   after_kill_s          kill -9 of 25%: -> every sampled survivor pair pings
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"
. "$(dirname "$0")/scale_lib.sh"

N=${1:?usage: scale_run.sh N}
CP_EVPND=$EVPN_ROOT/build/bin/evpnd
[ -x "$CP_EVPND" ] || ns_skip "$CP_EVPND not built"
export CP_EVPND
DEADLINE=${SCALE_DEADLINE_S:-600}

ns_init scale
scale_init
CP_MEMBERS=$(for i in $(seq "$N"); do printf 'n%d@%s ' "$i" "$XMPP_DOMAIN"; done)
cp_bins
scale_world "$N"
ALL=()
for i in $(seq "$N"); do ALL+=("n$i"); done
res() { echo "RESULT scale evpn-$N $1 $2"; }

# CPU seconds (utime + stime) of pids
cpu_s()
{
	local p t=0 tck
	tck=$(getconf CLK_TCK)
	for p in "$@"; do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	awk -v t="$t" -v h="$tck" 'BEGIN { printf "%.2f", t / h }'
}

# percentiles P50 P90 P99 of numbers on stdin
pct()
{
	sort -n | awk '{ v[NR] = $1 } END {
		if (!NR) { print "nan nan nan"; exit }
		split("50 90 99", q, " ")
		for (i = 1; i <= 3; i++) { k = int((q[i] * NR + 99) / 100); if (k < 1) k = 1; printf "%s%s", v[k], i < 3 ? " " : "\n" } }'
}

# seconds of the day of a log line's "HH:MM:SS.mmm:" stamp, T0 likewise
tod() { date -d "@$1" +%H:%M:%S.%N | awk -F: '{ printf "%.3f", $1 * 3600 + $2 * 60 + $3 }'; }

ns_log "world ready ($N nodes; load $(cut -d' ' -f1-3 /proc/loadavg))"
srv0=$(cpu_s "$PROSODY_PID")
scale_pairs 224 "${ALL[@]}" >"$NS_DIR/pairs-start"
scale_launch "${ALL[@]}"
T0=$SCALE_T0
ns_log "$N evpnd started in $(cp_elapsed "$T0") s"
scale_converge start "$NS_DIR/pairs-start" "$T0" "$DEADLINE"
res start_all_pairs_s "$CONV"
PIDS=()
for n in "${ALL[@]}"; do PIDS+=("${CP_PID[$n]}"); done
res cpu_s_per_join "$(awk -v c="$(cpu_s "${PIDS[@]}")" -v n="$N" 'BEGIN { printf "%.2f", c / n }')"
res server_cpu_s "$(awk -v a="$(cpu_s "$PROSODY_PID")" -v b="$srv0" 'BEGIN { printf "%.2f", a - b }')"
scale_facts "${ALL[@]}" >"$NS_DIR/facts-start"
res sig_msgs_per_join "$(awk -v s="$(scale_sum "$NS_DIR/facts-start" sig_out)" -v n="$N" 'BEGIN { printf "%.1f", s / n }')"

# idle: let late long links settle, then measure
sleep 10
scale_link_counts "${ALL[@]}"
res links_avg "$LINKS_AVG"
res links_min "$LINKS_MIN"
res links_max "$LINKS_MAX"
c0=$(cpu_s "${PIDS[@]}")
sleep 10
c1=$(cpu_s "${PIDS[@]}")
res idle_cpu_pct "$(awk -v a="$c0" -v b="$c1" -v n="$N" 'BEGIN { printf "%.2f", (b - a) / 10 / n * 100 }')"
res rss_kib "$(for p in "${PIDS[@]}"; do awk '/^VmRSS/ { print $2 }' "/proc/$p/status"; done | awk '{ s += $1 } END { printf "%d", s / NR }')"
res private_kib "$(for p in "${PIDS[@]}"; do awk '/^RssAnon/ { print $2 }' "/proc/$p/status"; done | awk '{ s += $1 } END { printf "%d", s / NR }')"

# per-node link timings from the logs (wall clock of the day, like T0)
t0=$(tod "$T0")
for n in "${ALL[@]}"; do
	awk -v t0="$t0" '/ up in .*, ring\)/ { split($2, a, ":"); print a[1] * 3600 + a[2] * 60 + a[3] - t0; exit }' \
		"$NS_DIR/evpnd-$n.log"
done | pct >"$NS_DIR/ring"
read -r p50 p90 p99 <"$NS_DIR/ring"
res first_ring_link_p50_s "$p50"
res first_ring_link_p90_s "$p90"
res first_ring_link_p99_s "$p99"
for n in "${ALL[@]}"; do
	awk -v t0="$t0" '/ up in | down: / { split($2, a, ":"); t = a[1] * 3600 + a[2] * 60 + a[3] - t0 } END { print t }' \
		"$NS_DIR/evpnd-$n.log"
done | pct >"$NS_DIR/full"
read -r p50 p90 p99 <"$NS_DIR/full"
res full_links_p50_s "$p50"
res full_links_p90_s "$p90"
res full_links_p99_s "$p99"
ns_log "presumed dead during the start: $(scale_log_count 'presumed dead')"

# kill -9 a quarter
mapfile -t VICTIMS < <(printf '%s\n' "${ALL[@]}" | shuf -n $((N / 4)))
mapfile -t ALIVE < <(printf '%s\n' "${ALL[@]}" | grep -vxF -f <(printf '%s\n' "${VICTIMS[@]}"))
scale_pairs 200 "${ALIVE[@]}" >"$NS_DIR/pairs-kill"
scale_facts "${ALIVE[@]}" >"$NS_DIR/facts-prekill"
T1=$(cp_now)
for n in "${VICTIMS[@]}"; do kill -9 "${CP_PID[$n]}"; done
# for reading the logs afterwards (NS_KEEP=1): when, and whom
echo "$T1 ${VICTIMS[*]}" >"$NS_DIR/killed"
scale_converge after_kill "$NS_DIR/pairs-kill" "$T1" "$DEADLINE"
res after_kill_s "$CONV"
ns_log "done (load $(cut -d' ' -f1-3 /proc/loadavg))"
