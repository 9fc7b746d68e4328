#!/bin/bash
# Symphony convergence at 32 live nodes (issue 6): runs
# tests/netns/test_sym_32.sh (32 evpnd, release build, one prosody, a
# simultaneous start, kill -9 of eight, eight joining) BENCH_CONVERGE_RUNS
# times (default 1; each run takes ~3.5 minutes) and prints the median of
# each measurement:
#
#   RESULT converge evpn-32 start_all_pairs_s N
#   RESULT converge evpn-32 after_kill_s N
#   RESULT converge evpn-32 after_join_s N
#
# The numbers depend heavily on the machine's load (signalling goes
# through one prosody; 32 daemons set up ~150 ICE + DTLS links at once).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
: "${EVPN_ROOT:=$(cd "$HERE/../.." && pwd)}"
export EVPN_ROOT
RUNS=${BENCH_CONVERGE_RUNS:-1}
[ "$(id -u)" = 0 ] || { echo "converge: needs root (skipped)"; exit 77; }

median() { sort -n | awk '{ v[NR] = $1 } END {
	if (NR == 0) { print "nan"; exit }
	if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

all=""
rc=0
for i in $(seq "$RUNS"); do
	out=$(bash "$EVPN_ROOT/tests/netns/test_sym_32.sh" 2>&1)
	r=$?
	if [ $r = 77 ]; then echo "converge: skipped"; exit 77; fi
	if [ $r != 0 ]; then
		echo "converge: run $i failed:" >&2
		echo "$out" | grep -E '^(FAIL|\[sym_32\])' | tail -8 >&2
		rc=1
		continue
	fi
	echo "$out" | grep -E '^\[sym_32\] (links|broadcast|target)' | sed "s/^/run $i: /"
	all="$all
$(echo "$out" | awk '$1 == "RESULT" && $2 == "converge"')"
done
printf '%-24s %6s %8s\n' measurement runs median
for m in start_all_pairs_s after_kill_s after_join_s; do
	vals=$(echo "$all" | awk -v m="$m" '$4 == m { print $5 }')
	[ -n "$vals" ] || continue
	printf '%-24s %6d %8s\n' "$m" "$(echo "$vals" | wc -l)" "$(echo "$vals" | median)"
done
for m in start_all_pairs_s after_kill_s after_join_s; do
	vals=$(echo "$all" | awk -v m="$m" '$4 == m { print $5 }')
	[ -n "$vals" ] && echo "RESULT converge evpn-32 $m $(echo "$vals" | median)"
done
exit $rc
