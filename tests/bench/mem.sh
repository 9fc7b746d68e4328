# shellcheck shell=bash
#
# tests/bench/mem.sh -- evpnd's memory per process, from
# /proc/PID/smaps_rollup (issue 12 item 7). Source it (after lib.sh, if the
# benchmark uses bench_result) or run it:
#
#   . tests/bench/mem.sh
#   mem_report scale evpn-64 "${pids[@]}"
#   tests/bench/mem.sh scale evpn-64 PID...
#
# prints, as means over the PIDs (integers, KiB):
#   RESULT scale evpn-64 rss_kib V            resident
#   RESULT scale evpn-64 pss_kib V            resident, shared pages split
#   RESULT scale evpn-64 private_kib V        Private_Clean + Private_Dirty:
#                                             what each process adds
#   RESULT scale evpn-64 private_dirty_kib V  heap, stacks, written data
# through bench_result when lib.sh is loaded (BENCH_DEFER applies), else
# with echo. A PID that has gone is skipped (none left: returns 1).
# Reading another process's smaps_rollup needs root or the same user.

# mem_kib PID FIELD: FIELD's kB from PID's smaps_rollup (empty if gone)
mem_kib()
{
	awk -v f="$2:" '$1 == f { print $2; found = 1 } END { exit !found }' \
		"/proc/$1/smaps_rollup" 2>/dev/null
}

# mem_report BENCH SYSTEM PID...
mem_report()
{
	local bench=$1 sys=$2 pid n=0 rss=0 pss=0 pc=0 pd=0 f kib
	local -a row
	shift 2
	for pid in "$@"; do
		row=()
		for f in Rss Pss Private_Clean Private_Dirty; do
			kib=$(mem_kib "$pid" $f) || break
			row+=("$kib")
		done
		[ ${#row[@]} -eq 4 ] || continue
		rss=$((rss + row[0])) pss=$((pss + row[1]))
		pc=$((pc + row[2])) pd=$((pd + row[3])) n=$((n + 1))
	done
	[ $n -gt 0 ] || return 1
	mem_out "$bench" "$sys" rss_kib $((rss / n))
	mem_out "$bench" "$sys" pss_kib $((pss / n))
	mem_out "$bench" "$sys" private_kib $(((pc + pd) / n))
	mem_out "$bench" "$sys" private_dirty_kib $((pd / n))
}

mem_out()
{
	if declare -F bench_result >/dev/null; then
		bench_result "$@"
	else
		echo "RESULT $1 $2 $3 $4"
	fi
}

# run, not sourced: tests/bench/mem.sh BENCH SYSTEM PID...
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	[ $# -ge 3 ] || { echo "usage: $0 BENCH SYSTEM PID..." >&2; exit 2; }
	mem_report "$@"
fi
