#!/bin/bash
# Run every benchmark: each tests/bench/*.sh except run.sh, lib.sh and the
# per-system helpers sourced by benchmarks (evpnd_*.sh), in name order.
# Output passes through (tables for people, `RESULT <benchmark> <system>
# <metric> <value>` lines for machines).  Exits non-zero if any benchmark
# failed (exit status other than 0 or 77 = skipped); runs the rest anyway.
#
#   tests/bench/run.sh [NAME...]     # e.g. tests/bench/run.sh dataplane
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
: "${EVPN_ROOT:=$(cd "$HERE/../.." && pwd)}"
export EVPN_ROOT

failed=
for b in "$HERE"/*.sh; do
	name=$(basename "$b" .sh)
	case "$name" in run|lib|evpnd_*) continue ;; esac
	if [ $# -gt 0 ]; then
		case " $* " in *" $name "*) ;; *) continue ;; esac
	fi
	echo "=== bench: $name"
	start=$(date +%s)
	bash "$b"
	rc=$?
	echo "=== bench: $name exit $rc ($(( $(date +%s) - start )) s)"
	case $rc in 0|77) ;; *) failed="$failed $name" ;; esac
done
if [ -n "$failed" ]; then
	echo "benchmarks failed:$failed" >&2
	exit 1
fi
