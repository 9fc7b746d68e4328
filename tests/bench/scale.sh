#!/bin/bash
# Scale benchmark (issue 12): N evpnd nodes on this machine started at once,
# for each N in SCALE_NS (default "32 64 128"; e.g. SCALE_NS="32 64" make
# bench). Each N is one run of tests/netns/scale_run.sh (its header lists
# the metrics): time until every sampled pair pings, per-node time to the
# first ring link and to the full link set (p50/p90/p99), links per node,
# link messages per join at the server, CPU per join, idle CPU and RSS per
# node, recovery after killing 25%. Prints its RESULT lines
# (`RESULT scale evpn-<N> <metric> <value>`) and a table.
#
# The host needs: root, the kernel's neighbour-table limits and per-CPU
# input backlog raised (the run does it and restores them: cp_lib.sh's
# cp_limits_raise), ~25 MiB of memory per node, and time: ~1, ~2 and ~4
# minutes for 32, 64 and 128 nodes on a quiet 2-core machine (world setup
# included). The test world's addresses allow N <= 230. The numbers depend
# on the machine's load: say it.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
: "${EVPN_ROOT:=$(cd "$HERE/../.." && pwd)}"
export EVPN_ROOT
[ "$(id -u)" = 0 ] || { echo "scale: needs root (skipped)"; exit 77; }
[ -x "$EVPN_ROOT/build/bin/evpnd" ] || { echo "scale: build/bin/evpnd not built (skipped)"; exit 77; }

rc=0
all=""
for n in ${SCALE_NS:-32 64 128}; do
	echo "scale: $n nodes (load $(cut -d' ' -f1-3 /proc/loadavg))"
	out=$(bash "$EVPN_ROOT/tests/netns/scale_run.sh" "$n" 2>&1)
	r=$?
	echo "$out" | grep -E '^\[scale\]' | sed "s/^/  /"
	if [ $r = 77 ]; then echo "scale: skipped: $(echo "$out" | tail -1)"; exit 77; fi
	if [ $r != 0 ]; then
		echo "scale: $n nodes failed:" >&2
		echo "$out" | grep -E '^FAIL' >&2
		rc=1
	fi
	res=$(echo "$out" | awk '$1 == "RESULT" && $2 == "scale"')
	echo "$res"
	all="$all
$res"
done
printf '\n%-24s' metric
for n in ${SCALE_NS:-32 64 128}; do printf ' %10s' "N=$n"; done
echo
for m in $(echo "$all" | awk 'NF { print $4 }' | awk '!s[$0]++'); do
	printf '%-24s' "$m"
	for n in ${SCALE_NS:-32 64 128}; do
		printf ' %10s' "$(echo "$all" | awk -v n="evpn-$n" -v m="$m" '$3 == n && $4 == m { print $5 }')"
	done
	echo
done
exit $rc
