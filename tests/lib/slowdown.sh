# shellcheck shell=bash
#
# tests/lib/slowdown.sh -- one home for "how long may a test wait here".
#
# End-to-end tests wait for conditions (a server listening, a link up) with
# timeouts chosen on an idle machine. On a loaded machine (2 cores shared by
# several builds and test runs) the same work takes longer, and a fixed
# timeout fails a run that was only slow. So every timeout of the harnesses
# (ns_wait_for in tests/netns/lib.sh, which the VM tests use too;
# kdp_wait_for in tests/vm/kdp_lib.sh; the VM run's own limits in
# tests/vm/run.sh) is multiplied by test_slowdown.
#
# test_slowdown: print the factor: $EVPN_TEST_SLOWDOWN if set (tests/vm/run.sh
#   sets it for the guest from the host's load: the guest's own load average
#   does not see the host's), else the 1-minute load average divided by the
#   number of CPUs, clamped to 1..EVPN_TEST_SLOWDOWN_MAX (default 4). Never
#   below 1: a timeout only grows.
# test_scale SECONDS: print SECONDS times the factor (fractional allowed).

test_slowdown()
{
	if [ -n "${EVPN_TEST_SLOWDOWN:-}" ]; then
		awk -v f="$EVPN_TEST_SLOWDOWN" 'BEGIN { printf "%.2f", f < 1 ? 1 : f }'
		return
	fi
	awk -v n="$(nproc 2>/dev/null || echo 1)" -v max="${EVPN_TEST_SLOWDOWN_MAX:-4}" \
		'{ f = $1 / n; if (f < 1) f = 1; if (f > max) f = max; printf "%.2f", f }' \
		/proc/loadavg
}

test_scale()
{
	awk -v s="$1" -v f="$(test_slowdown)" 'BEGIN { printf "%.2f", s * f }'
}
