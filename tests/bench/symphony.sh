#!/bin/bash
# Symphony at scale: average / 99th-percentile hops and links per node from
# build/bin/evpn-sim (the real core/symphony.c topology and core/fwd.c +
# core/route_la.c routing over simulated nodes with instant links).
#
#   N = 2^10, 2^12, 2^15 (and 10^5 for k = 4); k = 1, 2, 4, 7; uni | bi routing; la | nola
#   (1-lookahead or not); in-degree cap on (default) and off; churn (10%,
#   25% of the nodes replaced); growth (1/8 of the nodes first, then 8x).
#
# Prints a table, then one line per measurement:
#   RESULT symphony n<N>-k<k>-<uni|bi>-<la|nola> hops_avg|hops_p99|links_avg V
# (cap-off, churn and growth runs carry a -nocap / -churn<PCT> / -grow8x
# suffix), and for the churn runs the join cost per node that joined:
#   RESULT symphony n<N>-k4-churn<PCT> join_requests|join_moved V
# PAIRS random source/destination pairs are routed per
# configuration (default 20000). Runtime: about 25 s on one core. Exit status 1 if the issue-6 target
# (N=2^15, k=4, bi-la: hops_avg <= 7.3 (issue 12), links_avg <= 2k+2) is missed or a
# packet got stuck or looped (evpn-sim's exit status).
set -euo pipefail

EVPN_ROOT=${EVPN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SIM=${SIM:-$EVPN_ROOT/build/bin/evpn-sim}
PAIRS=${PAIRS:-20000}
SEED=${SEED:-1}
[ -x "$SIM" ] || { echo "symphony: $SIM missing (make userspace)" >&2; exit 1; }

out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0

# run SUFFIX ARGS...: one topology, four routing modes
run() {
	local suffix=$1
	shift
	if ! "$SIM" -p "$PAIRS" -s "$SEED" "$@" > "$out.run"; then
		echo "symphony: stuck or looping packets in: evpn-sim $*" >&2
		status=1
	fi
	sed "s/^/$suffix /" "$out.run" >> "$out"
	rm -f "$out.run"
}

for n in 1024 4096 32768; do
	for k in 1 2 4 7; do
		run base -n "$n" -k "$k"
	done
	run nocap -n "$n" -k 4 -c
done
run base -n 100000 -k 4
for n in 32768 100000; do
	for c in 0.10 0.25; do
		run "churn$(awk -v c="$c" 'BEGIN { printf "%d", c * 100 }')" -n "$n" -k 4 -C "$c"
	done
done
# growth: 4096 nodes converge, then 28672 more join; the first ones relink
run grow8x -n 32768 -k 4 -g 0.125

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

printf '%-8s %6s %2s %-9s %8s %8s %9s %7s\n' variant N k route hops_avg hops_p99 links_avg '>ttl64'
grep ' sim ' "$out" | while read -r variant line; do
	n=$(echo "$line" | field n); k=$(echo "$line" | field k)
	r=$(echo "$line" | field route)
	printf '%-8s %6s %2s %-9s %8s %8s %9s %7s\n' "$variant" "$n" "$k" "$r" \
		"$(echo "$line" | field hops_avg)" "$(echo "$line" | field hops_p99)" \
		"$(echo "$line" | field links_avg)" "$(echo "$line" | field over_ttl)"
done
echo "(>ttl64: sampled paths longer than the wire's default TTL of 64, which"
echo " would be dropped; hops are measured without that limit. $PAIRS pairs/row)"

echo
grep ' topo ' "$out" | sed 's/^\([^ ]*\) topo /topology (\1): /'
echo

grep ' sim ' "$out" | while read -r variant line; do
	n=$(echo "$line" | field n); k=$(echo "$line" | field k)
	r=$(echo "$line" | field route)
	sys="n$n-k$k-$r"
	[ "$variant" = base ] || sys="$sys-$variant"
	for m in hops_avg hops_p99 links_avg; do
		echo "RESULT symphony $sys $m $(echo "$line" | field "$m")"
	done
done
# join cost under churn, per node that joined: link requests sent by all
# nodes while the overlay repaired, and long links moved by survivors
grep '^churn[0-9]* topo ' "$out" | while read -r variant line; do
	n=$(echo "$line" | field n); k=$(echo "$line" | field k)
	for m in join_requests join_moved; do
		echo "RESULT symphony n$n-k$k-$variant $m $(echo "$line" | field "$m")"
	done
done

line=$(grep '^base sim n=32768 k=4 .*route=bi-la ' "$out")
h=$(echo "$line" | field hops_avg); l=$(echo "$line" | field links_avg)
if awk -v h="$h" -v l="$l" 'BEGIN { exit !(h <= 7.3 && l <= 10) }'; then
	echo "target N=2^15 k=4 bi-la: hops_avg $h <= 7.3, links_avg $l <= 10: met"
else
	echo "target N=2^15 k=4 bi-la: hops_avg $h, links_avg $l: MISSED"
	status=1
fi
exit $status
