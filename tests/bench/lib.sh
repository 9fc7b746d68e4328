# shellcheck shell=bash
#
# tests/bench/lib.sh -- shared measurement helpers for benchmarks.
#
# Sourced after tests/netns/lib.sh (uses ns_exec, ns_bg, ns_kill, ns_log).
# Every benchmark prints a table for people and, per measurement, one line
#   RESULT <benchmark> <system> <metric> <value>
# (brief §6).  Measurements are stored in the associative array BENCH_VAL,
# keyed "<system> <metric>", so a benchmark can print ratio tables at the end.
#
# Environment:
#   BENCH_SECONDS  iperf3 duration per run (default 10)
#   BENCH_PINGS    pings per RTT measurement (default 20, 0.05 s apart)
#   BENCH_DEFER=1  bench_result only records; bench_flush prints the RESULT
#                  lines at the end, one per key, with the median of all
#                  values recorded for it (benchmarks that repeat rounds)

BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_PINGS=${BENCH_PINGS:-20}
declare -gA BENCH_VAL=()
BENCH_KEYS=()
BENCH_MEASURED=()

# ---------------------------------------------------------------------------
# bench_result BENCH SYSTEM METRIC VALUE
#   Record VALUE under "SYSTEM METRIC" (values of repeated rounds accumulate)
#   and print the RESULT line, unless BENCH_DEFER=1 (see bench_flush).
# ---------------------------------------------------------------------------
bench_result()
{
	local key="$2 $3"
	if [ -z "${BENCH_VAL[$key]+set}" ]; then
		BENCH_KEYS+=("$1 $key")
		BENCH_VAL[$key]=$4
	else
		BENCH_VAL[$key]+=" $4"
	fi
	[ "${BENCH_DEFER:-0}" = 1 ] || echo "RESULT $1 $2 $3 $4"
}

# ---------------------------------------------------------------------------
# bench_median VALUE...  -- print the median (mean of the middle two if even).
# ---------------------------------------------------------------------------
bench_median()
{
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR == 0) exit 1
		      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      print m + 0 }'
}

# ---------------------------------------------------------------------------
# bench_get SYSTEM METRIC  -- print the median recorded value ("" if none).
# ---------------------------------------------------------------------------
bench_get()
{
	local v=${BENCH_VAL["$1 $2"]:-}
	[ -z "$v" ] || bench_median $v
}

# ---------------------------------------------------------------------------
# bench_flush  -- print one RESULT line per recorded key (median), in the
# order the keys were first recorded.
# ---------------------------------------------------------------------------
bench_flush()
{
	local k b sys m
	for k in "${BENCH_KEYS[@]}"; do
		read -r b sys m <<<"$k"
		echo "RESULT $b $sys $m $(bench_get "$sys" "$m")"
	done
}

# ---------------------------------------------------------------------------
# bench_iperf CLIENT_NS SERVER_IP STREAMS [SECONDS]
#   Run an iperf3 TCP test (the iperf3 server must already run on SERVER_IP)
#   and print "MBITS MBYTES" as seen by the receiver (MBYTES = MiB carried,
#   whatever unit iperf3 chose to print).  Returns 1 on failure.
# ---------------------------------------------------------------------------
bench_iperf()
{
	local out
	out=$(ns_exec "$1" iperf3 -c "$2" -P "$3" -t "${4:-$BENCH_SECONDS}" -f m \
		--connect-timeout 3000 2>&1) || { echo "$out" >&2; return 1; }
	echo "$out" | awk '/receiver/ { line = $0 }
		END {
			split("Bytes KBytes MBytes GBytes TBytes", u, " ")
			n = split(line, f, " ")
			for (i = 2; i <= n; i++) {
				if (f[i] == "Mbits/sec") mbit = f[i - 1]
				for (k = 1; k <= 5; k++)
					if (f[i] == u[k])
						mbyte = f[i - 1] * 1024 ^ (k - 3)
			}
			if (mbit == "") exit 1
			printf "%s %.1f\n", mbit, mbyte
		}'
}

# ---------------------------------------------------------------------------
# bench_rtt CLIENT_NS DST_IP
#   Print the average ping RTT in ms over BENCH_PINGS pings 0.05 s apart.
# ---------------------------------------------------------------------------
bench_rtt()
{
	ns_exec "$1" ping -q -n -c "$BENCH_PINGS" -i 0.05 -W 1 "$2" 2>/dev/null |
		awk -F'/' '/^rtt|^round-trip/ { printf "%.3f\n", $5; ok = 1 }
			END { exit !ok }'
}

# ---------------------------------------------------------------------------
# bench_cpu_ticks PID...
#   Print the summed utime+stime (clock ticks) of the PIDs (0 for gone ones).
# ---------------------------------------------------------------------------
bench_cpu_ticks()
{
	local p sum=0 t
	for p in "$@"; do
		# fields after the ")" of comm: utime and stime are 12th and 13th
		t=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null |
			awk '{ print $12 + $13 }') || t=0
		sum=$((sum + ${t:-0}))
	done
	echo "$sum"
}

# ---------------------------------------------------------------------------
# bench_rss_kib PID...
#   Print the summed VmRSS (KiB) of the PIDs.
# ---------------------------------------------------------------------------
bench_rss_kib()
{
	local p sum=0 r
	for p in "$@"; do
		r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		sum=$((sum + ${r:-0}))
	done
	echo "$sum"
}

# ---------------------------------------------------------------------------
# bench_ratio A B  -- print A/B with 2 decimals, or "-" if either is missing.
# ---------------------------------------------------------------------------
bench_ratio()
{
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "" || b == "" || b + 0 == 0) print "-"
		else printf "%.2f\n", a / b }'
}
