#!/bin/bash
# Paths at speed (issue 12): relayed vs direct and two hops vs one, iperf3
# TCP single stream, on both datapaths in one run: evpnd's TAP datapath in
# namespaces on this host, then the kernel datapath (evpn.ko, relayed links
# framed by the module) in the VM (tests/vm/run.sh, TCG: only the ratios
# mean anything). The worlds: tests/bench/evpnd_paths_world.sh. RESULT lines
#   RESULT paths evpnd-tap|evpnd-kernel relayed_over_direct V
#   RESULT paths evpnd-tap|evpnd-kernel two_hop_over_one_hop V
# plus the Mbit/s they come from (<path>_tcp1_mbps) and how busy the
# machine was meanwhile (<path>_busy_pct; in the VM all of it is ours).
# Where the time went (retransmits, CPU per daemon, link counters) is
# logged on stderr. Needs root, make userspace and make kmod.
# Environment: BENCH_SECONDS (iperf3 duration, default 5).
set -uo pipefail
EVPN_ROOT=${EVPN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
WORLD=$EVPN_ROOT/tests/bench/evpnd_paths_world.sh

if [ "${EVPN_IN_VM:-0}" = 1 ]; then
	ENVF=$EVPN_ROOT/build/vm/paths-bench.env
	# shellcheck disable=SC1090
	[ -r "$ENVF" ] && set -a && . "$ENVF" && set +a
	PATHS_DP=kernel exec bash "$WORLD"
fi

rc=0
PATHS_DP=tap bash "$WORLD" || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 77 ] || echo "paths: the TAP run failed ($rc)" >&2
if [ -r "$EVPN_ROOT/evpn.ko" ]; then
	mkdir -p "$EVPN_ROOT/build/vm"
	env | grep -E '^BENCH_SECONDS=' > "$EVPN_ROOT/build/vm/paths-bench.env" || true
	EVPN_VM_TEST_TIMEOUT=1500 "$EVPN_ROOT/tests/vm/run.sh" --mem 2048 "$0" || rc=$?
else
	echo "paths: no evpn.ko (make kmod): kernel datapath not measured" >&2
fi
exit "$rc"
