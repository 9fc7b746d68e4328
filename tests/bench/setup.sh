#!/bin/bash
# Overlay setup time: from starting evpnd on two nodes (each behind its own
# NAT, knowing only the XMPP server) to the first successful ping over the
# overlay. Direct: two endpoint-independent NATs (hole punching, STUN).
# TURN: two symmetric NATs (relayed through coturn). Real prosody and coturn
# in namespaces (tests/netns/test_cp_nat_{direct,turn}.sh). Median of
# BENCH_SETUP_RUNS runs (default 5). The release evpnd is used if built.
#
#   RESULT setup evpn-direct first_ping_s N
#   RESULT setup evpn-turn first_ping_s N
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
: "${EVPN_ROOT:=$(cd "$HERE/../.." && pwd)}"
export EVPN_ROOT
RUNS=${BENCH_SETUP_RUNS:-5}
[ "$(id -u)" = 0 ] || { echo "setup: needs root (skipped)"; exit 77; }
if [ -x "$EVPN_ROOT/build/bin/evpnd" ]; then
	export CP_EVPND="$EVPN_ROOT/build/bin/evpnd"
fi

median() { sort -n | awk '{ v[NR] = $1 } END {
	if (NR == 0) { print "nan"; exit }
	if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-12s %6s %8s %8s %8s\n' system runs median min max
rc=0
for kind in direct turn; do
	vals=()
	for i in $(seq "$RUNS"); do
		out=$(bash "$EVPN_ROOT/tests/netns/test_cp_nat_$kind.sh" 2>&1)
		r=$?
		if [ $r = 77 ]; then echo "setup: $kind skipped"; exit 77; fi
		v=$(echo "$out" | awk '$1 == "RESULT" && $2 == "setup" { print $5 }' | tail -1)
		if [ $r != 0 ] || [ -z "$v" ]; then
			echo "setup: $kind run $i failed:" >&2
			echo "$out" | tail -5 >&2
			rc=1
			continue
		fi
		vals+=("$v")
	done
	[ ${#vals[@]} -gt 0 ] || continue
	med=$(printf '%s\n' "${vals[@]}" | median)
	min=$(printf '%s\n' "${vals[@]}" | sort -n | head -1)
	max=$(printf '%s\n' "${vals[@]}" | sort -n | tail -1)
	printf '%-12s %6s %8s %8s %8s\n' "evpn-$kind" "${#vals[@]}" "$med" "$min" "$max"
	echo "RESULT setup evpn-$kind first_ping_s $med"
done
exit $rc
