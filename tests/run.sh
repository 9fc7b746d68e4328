#!/bin/bash
# Run every test suite: lint (checks over the tree: generated files not
# stale, ...), unit (Check, ASan/UBSan build), sim (topology simulator
# invariants), fuzz (libFuzzer, briefly), netns (end-to-end in network
# namespaces on the host), vm (the kernel module in a qemu VM). `make check`
# builds everything first and then runs this.
#
#   tests/run.sh                 all suites
#   tests/run.sh unit netns      only these suites
#   TESTS=chain tests/run.sh     only tests whose name contains "chain"
#   EVPN_CHECK_JOBS=1 tests/run.sh   netns tests one at a time (default 2)
#   EVPN_VM_JOBS=2 tests/run.sh vm   two VMs at a time (default 1)
#   EVPN_VM_BATCH=0 tests/run.sh vm  each kernel test in its own VM (default:
#                                    many tests to a VM, see vm_batches_launch)
#   EVPN_VM_OVERLAP=1 tests/run.sh   the kernel tests run beside the netns suite
#
# Each test's output goes to build/test-logs/; a failing test's log is printed.
# Every result is also appended to build/test-logs/durations.log, one line a
# test: "DATE NAME SECONDS STATUS" (the slowest: sort -k3 -n -r).
# The last line, alone, is
#
#   check: N passed, N failed, N skipped, N flaky
#
# - passed: tests (for unit runners: Check tests) that ran and passed the
#   first time.
# - failed: tests that failed (for end-to-end tests: failed twice).
# - skipped: tests that could not run here; a test says so by exiting 77
#   (and printing why on its last line), a unit runner by exiting 77 or by
#   printing one "SKIP: <test>: <reason>" line per Check test it did not run.
#   The reason is printed next to each SKIP.
# - flaky: end-to-end tests (netns, vm) that failed, were rerun once and
#   passed. They are not counted as passed: each is listed with the tail of
#   its first log, and they make the exit status non-zero like a failure.
#
# The exit status is 0 only when nothing failed, nothing was flaky and at
# least one test passed or skipped.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export EVPN_ROOT=$ROOT
LOGS=$ROOT/build/test-logs
mkdir -p "$LOGS"
SUITES=${*:-lint unit sim fuzz netns vm}
FILTER=${TESTS:-}
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
passed=0 failed=0 skipped=0 flaky=0
failures=() flakes=()
t0=$(date +%s)

. "$ROOT/tests/lib/slowdown.sh"

wanted() { [ -z "$FILTER" ] || [[ "$1" == *"$FILTER"* ]]; }

# print_tail LOG: the last lines of a log, framed
print_tail() {
	echo "----- last lines of $1 -----"
	tail -n 60 "$1"
	echo "-----"
}

# record NAME STATUS LOG SECONDS [COUNT]: COUNT individual checks for unit
# runners. STATUS is an exit status, or "flaky" (see run_e2e).
record() {
	local name=$1 status=$2 log=$3 secs=$4 count=${5:-1}
	echo "$(date -u +%FT%TZ) $name $secs $status" >>"$LOGS/durations.log"
	case "$status" in
	0) passed=$((passed + count)); echo "PASS  $name (${secs}s)" ;;
	77) skipped=$((skipped + 1)); echo "SKIP  $name: $(tail -n 1 "$log")" ;;
	flaky) flaky=$((flaky + 1)); flakes+=("$name")
	   echo "FLAKY $name (failed, then passed on the rerun, ${secs}s; first log $log.first)"
	   print_tail "$log.first" ;;
	*) failed=$((failed + 1)); failures+=("$name")
	   echo "FAIL  $name (status $status, ${secs}s; log $log)"
	   print_tail "$log" ;;
	esac
}

# run_one NAME LOG CMD...
run_one() {
	local name=$1 log=$2 s e status
	shift 2
	s=$(date +%s)
	"$@" > "$log" 2>&1
	status=$?
	e=$(date +%s)
	echo "$status $((e - s))"
}

# run_e2e NAME LOG CMD...: end-to-end tests (namespaces, VM) are rerun once
# after a failure, to tell a flake from a failure. A pass on the rerun gives
# status "flaky" (the first log is kept as LOG.first): counted apart, not as a
# pass, and it fails the run, so a flake is seen and chased. Any other rerun
# result (a second failure, or a skip after a failure) reports the first
# failure's status.
run_e2e() {
	local name=$1 log=$2 r first
	shift 2
	r=$(run_one "$name" "$log" "$@")
	case "${r% *}" in
	0|77) echo "$r"; return ;;
	esac
	first=${r% *}
	mv "$log" "$log.first"
	echo "RETRY $name (first run: status $first; log $log.first)" >&2
	r=$(run_one "$name" "$log" "$@")
	if [ "${r% *}" = 0 ]; then
		echo "flaky ${r#* }"
	else
		echo "$first ${r#* }"
	fi
}

# record_unit_skips NAME LOG: a unit runner prints "SKIP: <test>: <reason>"
# for each Check test it could not run here (Check itself has no skip).
record_unit_skips() {
	local line
	while IFS= read -r line; do
		skipped=$((skipped + 1))
		echo "SKIP  $1: ${line#SKIP: }"
	done < <(grep -E '^SKIP: ' "$2")
}

# run_scripts SUITE RUNNER SCRIPT...: each shell SCRIPT is the test
# SUITE/<name>, run with RUNNER (run_one, or run_e2e to rerun a failure)
run_scripts() {
	local suite=$1 runner=$2 t name log r
	shift 2
	for t in "$@"; do
		[ -r "$t" ] || continue
		name=$suite/$(basename "$t" .sh)
		wanted "$name" || continue
		log=$LOGS/${name//\//_}.log
		r=$("$runner" "$name" "$log" bash "$t")
		record "$name" ${r% *} "$log" ${r#* }
	done
}

suite_lint() {
	echo "== lint (checks over the tree) =="
	run_scripts lint run_one "$ROOT"/tests/lint/test_*.sh
}

suite_unit() {
	local b name log r n
	echo "== unit tests (Check, ASan/UBSan) =="
	for b in "$ROOT"/build/asan/bin/unit-*; do
		[ -x "$b" ] || continue
		name=unit/${b##*/unit-}
		wanted "$name" || continue
		log=$LOGS/${name//\//_}.log
		# Check's per-test timeout (4 s) grows with the load like every
		# other timeout of the harness (tests/lib/slowdown.sh)
		r=$(CK_FORK=yes CK_TIMEOUT_MULTIPLIER=$(test_slowdown | cut -d. -f1) \
			ASAN_OPTIONS=detect_leaks=1 run_one "$name" "$log" "$b")
		grep -E '^[0-9]+%: Checks' "$log" | sed 's/^/      /'
		n=$(sed -n 's/^[0-9]*%: Checks: \([0-9]*\),.*/\1/p' "$log" | awk '{s += $1} END {print s + 0}')
		[ "$n" -gt 0 ] || n=1
		record_unit_skips "$name" "$log"
		record "$name" ${r% *} "$log" ${r#* } "$n"
	done
}

# record_results RE NAME...: record tests that ran in the background, each
# of which left "STATUS SECONDS" in its log's .result file (a missing one
# is a failure); lines of its log matching RE (if any) are shown first.
record_results() {
	local re=$1 name log r
	shift
	for name in "$@"; do
		log=$LOGS/${name//\//_}.log
		r=$(cat "$log.result" 2>/dev/null || echo "1 0")
		rm -f "$log.result"
		[ -z "$re" ] || grep -E "$re" "$log" | sed 's/^/      /'
		record "$name" ${r% *} "$log" ${r#* }
	done
}

# fuzz_one NAME BINARY LOG: one libFuzzer target for FUZZ_SECONDS on a copy
# of its corpus; prints "STATUS SECONDS"
fuzz_one() {
	local name=$1 b=$2 log=$3 corpus work r
	work=$(mktemp -d)
	corpus=$ROOT/tests/fuzz/corpus/${b##*/}
	[ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
	r=$(run_one "$name" "$log" "$b" -max_total_time="$FUZZ_SECONDS" \
		-artifact_prefix="$LOGS/${b##*/}-" "$work")
	rm -rf "$work"
	echo "$r"
}

# The targets run one per CPU at a time (EVPN_FUZZ_JOBS): libFuzzer is
# single-threaded and -max_total_time is wall time, so each still gets a
# core for its FUZZ_SECONDS.
suite_fuzz() {
	local b name log jobs=${EVPN_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)} names=()
	echo "== fuzz (libFuzzer, ${FUZZ_SECONDS}s each, $jobs at a time) =="
	for b in "$ROOT"/build/fuzz/fuzz_*; do
		[ -x "$b" ] || continue
		name=fuzz/${b##*/}
		wanted "$name" || continue
		log=$LOGS/${name//\//_}.log
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
		fuzz_one "$name" "$b" "$log" > "$log.result" &
		names+=("$name")
	done
	wait
	record_results '^Done [0-9]+ runs' "${names[@]}"
}

suite_sim() {
	echo "== simulator (the real topology and routing code at small N) =="
	run_scripts sim run_one "$ROOT"/tests/sim/*.sh
}

# run_parallel SUITE JOBS LAUNCHER SCRIPT...: like run_scripts with
# run_e2e, JOBS tests at a time; LAUNCHER SCRIPT is the command that runs
# one (bash for netns tests, the VM runner for kernel tests). Most tests
# spend much of their time waiting (for a server, a link, a grace period,
# a VM's boot), so two at once roughly halve a suite on the 2-core machine.
# A test that needs the machine to itself (many nodes, CPU-bound) says so
# with a "# check: alone" line: it starts when the others have finished,
# and nothing starts while it runs. Every test has its own namespaces and
# NS_DIR (named after it: tests/netns/lib.sh), or its own VM, so tests
# never share state; their timeouts grow with the load as always. Results
# are recorded in the scripts' order once all have finished.
run_parallel() {
	local suite=$1 jobs=$2 launcher=$3 t name log alone names=()
	shift 3
	for t in "$@"; do
		[ -r "$t" ] || continue
		name=$suite/$(basename "$t" .sh)
		wanted "$name" || continue
		log=$LOGS/${name//\//_}.log
		alone=0
		grep -q '^# check: alone' "$t" && alone=1
		if [ "$alone" = 1 ]; then
			wait
		else
			while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
		fi
		echo "  start $name"
		( run_e2e "$name" "$log" "$launcher" "$t" > "$log.result" ) &
		[ "$alone" = 1 ] && wait
		names+=("$name")
	done
	wait
	record_results "$([ "$suite" = vm ] && echo '^vm: (PASS|FAIL)')" "${names[@]}"
}

suite_netns() {
	local jobs=${EVPN_CHECK_JOBS:-2}
	echo "== netns end-to-end tests ($jobs at a time) =="
	run_parallel netns "$jobs" bash "$ROOT"/tests/netns/test_*.sh
}

# vm_dkms_install: put this tree's module into /usr/src with dkms, for the
# kernel tests with "# vm-args: --dkms" (not when TESTS picks others)
vm_dkms_install() {
	local log r
	if [ -x "$ROOT/scripts/dkms-install.sh" ] && wanted vm/dkms-install &&
	   ls "$ROOT"/tests/vm/test_*.sh > /dev/null 2>&1; then
		echo "== kernel tests: the dkms install first =="
		log=$LOGS/vm_dkms-install.log
		r=$(run_one "vm/dkms-install" "$log" "$ROOT/scripts/dkms-install.sh" \
			"$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")" "$("$ROOT/scripts/kver.sh")")
		record "vm/dkms-install" ${r% *} "$log" ${r#* }
	fi
}

VM_LAUNCHED=0
suite_vm() {
	if [ "${EVPN_VM_BATCH:-1}" = 0 ]; then
		vm_dkms_install
		echo "== kernel tests, each in its own VM (${EVPN_VM_JOBS:-1} at a time) =="
		run_parallel vm "${EVPN_VM_JOBS:-1}" vm_launch "$ROOT"/tests/vm/test_*.sh
		return
	fi
	if [ "$VM_LAUNCHED" = 0 ]; then
		vm_dkms_install
		vm_batches_launch
	fi
	echo "== kernel tests, one after the other in a VM (${EVPN_VM_JOBS:-1} VM at a time) =="
	vm_batches_record
}

# vm_args TEST: the arguments for tests/vm/run.sh a test asks for with a
# "# vm-args: ..." line (--dkms: the dkms-installed module)
vm_args() { sed -n 's/^# vm-args: //p' "$1" | head -n 1; }

# vm_launch TEST: one kernel test in its own VM.
vm_launch() {
	"$ROOT/tests/vm/run.sh" $(vm_args "$1") "$1"
}

# vm_batches_launch: start the kernel tests in the background, many to a
# VM (a boot and power-off cost ~8 s of TCG each; tests/vm/run.sh
# --results, whose guest gives each test a fresh state and stops a VM after
# a failure). Tests with the same vm-args share VMs; EVPN_VM_JOBS VMs at a
# time, the tests dealt out among them. The launcher is not a job of this
# shell (other suites' `wait` must not wait for it): it leaves a .done file.
VM_SCRIPTS=()
vm_batches_launch() {
	local t args
	local -A group=()
	local order=()
	VM_LAUNCHED=1
	rm -rf "$LOGS/vm-results"
	mkdir -p "$LOGS/vm-results"
	for t in "$ROOT"/tests/vm/test_*.sh; do
		[ -r "$t" ] || continue
		wanted "vm/$(basename "$t" .sh)" || continue
		VM_SCRIPTS+=("$t")
		args=$(vm_args "$t")
		[ -n "${group[x$args]+set}" ] || order+=("$args")
		group[x$args]+="$t "
	done
	(
		jobs=${EVPN_VM_JOBS:-1} b=0
		for args in "${order[@]}"; do
			read -r -a batch <<<"${group[x$args]}"
			n=$(( ${#batch[@]} < jobs ? ${#batch[@]} : jobs ))
			for ((i = 0; i < n; i++)); do
				part=()
				for ((j = i; j < ${#batch[@]}; j += n)); do part+=("${batch[j]}"); done
				while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
				b=$((b + 1))
				echo "  start VM $b ($args): $(for t in "${part[@]}"; do basename "$t" .sh; done | tr '\n' ' ')"
				"$ROOT/tests/vm/run.sh" $args --results "$LOGS/vm-results" "${part[@]}" \
					> "$LOGS/vm_batch-$b.log" 2>&1 &
			done
		done
		wait
		touch "$LOGS/vm-results/.done"
	) &
	disown
}

# vm_batches_record: once the batches are done, record each kernel test
# like any end-to-end test: its log is what a run in its own VM prints, and
# a failure is rerun once, in a VM of its own (as run_e2e: a pass then is
# "flaky").
vm_batches_record() {
	local t name log status secs r first res
	until [ -e "$LOGS/vm-results/.done" ]; do sleep 1; done
	for t in "${VM_SCRIPTS[@]}"; do
		name=vm/$(basename "$t" .sh)
		log=$LOGS/${name//\//_}.log
		res=$LOGS/vm-results/$(basename "$t" .sh)
		status=$(cat "$res.status" 2>/dev/null || echo 1)
		secs=$(printf '%.0f' "$(cat "$res.secs" 2>/dev/null || echo 0)")
		cat "$res.out" > "$log" 2>/dev/null ||
			echo "no result (see $LOGS/vm_batch-*.log)" > "$log"
		case "$status" in
		0|77) ;;
		*)	first=$status
			mv "$log" "$log.first"
			echo "RETRY $name (first run: status $first; log $log.first)"
			r=$(run_one "$name" "$log" vm_launch "$t")
			secs=${r#* }
			[ "${r% *}" = 0 ] && status=flaky || status=$first ;;
		esac
		grep -E '^vm: (PASS|FAIL)' "$log" | sed 's/^/      /'
		record "$name" "$status" "$log" "$secs"
	done
}

# EVPN_VM_OVERLAP=1: the kernel tests start in the background before the
# netns suite, which then runs beside them (its timeouts, like the VM's,
# grow with the load); their results are recorded after it.
if [ "${EVPN_VM_OVERLAP:-0}" = 1 ] && [ "${EVPN_VM_BATCH:-1}" != 0 ] &&
   [[ " $SUITES " == *" vm "* ]] && [[ " $SUITES " == *" netns "* ]]; then
	OVERLAP=1
else
	OVERLAP=0
fi

for s in $SUITES; do
	case "$s" in
	netns) if [ "$OVERLAP" = 1 ] && [ "$VM_LAUNCHED" = 0 ]; then
			vm_dkms_install
			echo "== kernel tests started in the background (EVPN_VM_OVERLAP=1) =="
			vm_batches_launch
		fi
		suite_netns ;;
	lint|unit|sim|fuzz|vm) "suite_$s" ;;
	*) echo "tests/run.sh: unknown suite '$s' (lint unit sim fuzz netns vm)" >&2; exit 2 ;;
	esac
done

echo
echo "total time $(( $(date +%s) - t0 ))s"
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
[ ${#flakes[@]} -eq 0 ] || echo "flaky (failed, then passed on the rerun; not counted as passed): ${flakes[*]}"
echo "check: $passed passed, $failed failed, $skipped skipped, $flaky flaky"
[ "$failed" -eq 0 ] && [ "$flaky" -eq 0 ] && [ $((passed + skipped)) -gt 0 ]
