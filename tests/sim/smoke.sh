#!/bin/bash
# Simulator smoke test (small N, ASan build): the real topology and routing
# code over 1024 simulated nodes must deliver every sampled packet without a
# loop or a dead end (evpn-sim exits 1 otherwise), in every routing mode,
# with the in-degree cap on and off and after 25% churn; bidirectional
# 1-lookahead must stay near the measured path length and 2k + short links.
# Exit 0 = pass. About 2 s.
set -euo pipefail

EVPN_ROOT=${EVPN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SIM=$EVPN_ROOT/build/asan/bin/evpn-sim
[ -x "$SIM" ] || SIM=$EVPN_ROOT/build/bin/evpn-sim
[ -x "$SIM" ] || { echo "evpn-sim not built"; exit 77; }

fail=0
check() {	# check SHORT ARGS... : run, then judge the bi-la line
	local short=$1 out line h l k
	shift
	if ! out=$("$SIM" -n 1024 -p 5000 "$@"); then
		echo "FAIL evpn-sim $*: stuck or looping packets"; echo "$out"; fail=1; return
	fi
	line=$(echo "$out" | grep 'route=bi-la ')
	k=$(echo "$line" | sed -n 's/.* k=\([0-9]*\).*/\1/p')
	h=$(echo "$line" | sed -n 's/.*hops_avg=\([0-9.]*\).*/\1/p')
	l=$(echo "$line" | sed -n 's/.*links_avg=\([0-9.]*\).*/\1/p')
	# measured at n=1024: k=4 bi-la 3.9-4.1 hops, k=1 9.4
	if awk -v h="$h" -v l="$l" -v k="$k" -v s="$short" \
		'BEGIN { exit !(l <= 2 * k + s && h <= (k >= 4 ? 4.6 : 11)) }'; then
		echo "ok   evpn-sim $*: bi-la hops_avg $h links_avg $l"
	else
		echo "FAIL evpn-sim $*: bi-la hops_avg $h links_avg $l (k=$k)"; fail=1
	fi
}

check 2 -k 4
check 2 -k 4 -c
check 2 -k 4 -C 0.25
check 2 -k 1 -s 7
check 4 -k 4 -S 2 -P 2 -s 3
exit $fail
