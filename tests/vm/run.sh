#!/bin/bash
# Run test scripts inside a qemu VM booted with Debian's kernel.
#
#   tests/vm/run.sh [--dkms] [--mem MiB] TEST.sh     exit status = the test's
#   tests/vm/run.sh [--dkms] [--mem MiB] --results DIR TEST.sh...
#
# The VM (TCG; KVM hangs on this machine) sees the host's root read-only over
# 9p with a tmpfs overlay, so every host binary and this tree (same path) are
# there. tests/vm/guest.sh installs ./evpn.ko (or, with --dkms, keeps the
# dkms-installed module), runs TEST, then fails the run if the kernel log
# shows an oops, BUG, WARN, KASAN/UBSAN report or a leak, or if evpn.ko does
# not unload once the test's namespaces and devices are gone. The serial log
# is kept in build/vm/logs/; it is printed in full when the run fails.
#
# With --results, the tests run one after the other in one VM (a batch:
# a boot costs ~8 s of TCG), each from a fresh state (guest.sh: empty /tmp,
# no namespace, no process, evpn.ko unloaded). What a single run prints goes
# to DIR/NAME.out, the exit status to DIR/NAME.status and the test's seconds
# to DIR/NAME.secs; NAME is the script's name without .sh. After a failure
# (or a state the guest could not reset) the rest of the batch runs in a new
# VM, so a failing test never decides another's result.
#
# The harness checks its own inputs first (qemu, the kernel image, a static
# busybox, the initramfs modules): a missing one is a skip (exit 77) whose
# last line says what to install, not a VM that panics at boot.
# Timeouts (the run's, the test's, the tests' waits) are multiplied by the
# host's load factor (tests/lib/slowdown.sh), passed to the guest, whose own
# load average does not see the host's; during a batch the guest reads the
# factor again before each test (run.sh refreshes it every few seconds).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/slowdown.sh"
OUT=$ROOT/build/vm
MEM=${EVPN_VM_MEM:-2048}
DKMS=0
BUSYBOX=${EVPN_VM_BUSYBOX:-/bin/busybox}	# must be busybox-static's
INITRAMFS_MODULES="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
	netfs fscache 9pnet 9pnet_virtio 9p overlay"

# skip WHY: no VM can run here; with --results, every test is a skip
skip() {
	local t n
	if [ -n "${RESULTS:-}" ]; then
		mkdir -p "$RESULTS"
		for t in "${TESTS[@]}"; do
			n=$(basename "$t" .sh)
			echo "SKIP: vm: $*" > "$RESULTS/$n.out"
			echo 77 > "$RESULTS/$n.status"
			echo 0 > "$RESULTS/$n.secs"
		done
	fi
	echo "SKIP: vm: $*"
	exit 77
}

RESULTS=
usage() { echo "usage: $0 [--dkms] [--mem MiB] [--results DIR] TEST.sh..." >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	--dkms) DKMS=1; shift ;;
	--mem) MEM=$2; shift 2 ;;
	--results) RESULTS=$2; shift 2 ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
[ $# -eq 1 ] || [ -n "$RESULTS" ] || usage
TESTS=()
for t in "$@"; do
	[ -r "$t" ] || { echo "vm: no such test: $t" >&2; exit 2; }
	TESTS+=("$(cd "$(dirname "$t")" && pwd)/$(basename "$t")")
done

# static_elf FILE: true if FILE is an ELF executable with no program
# interpreter (statically linked). Debian's dynamic `busybox` package replaces
# busybox-static's /bin/busybox; in the initramfs (no libc) it cannot run and
# every boot panics with "Failed to execute /init".
static_elf() {
	[ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ] || return 1
	! LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'
}

# check_inputs: everything the VM needs, each with what to install
check_inputs() {
	local m
	command -v qemu-system-x86_64 > /dev/null ||
		skip "qemu-system-x86_64 not found (install qemu-system-x86)"
	command -v readelf > /dev/null || skip "readelf not found (install binutils)"
	KVER=$("$ROOT/scripts/kver.sh" 2>&1) ||
		skip "no kernel version: $KVER (install linux-headers-amd64)"
	KERNEL=/boot/vmlinuz-$KVER
	[ -r "$KERNEL" ] || skip "kernel image $KERNEL missing (install linux-image-$KVER)"
	[ -x "$BUSYBOX" ] || skip "$BUSYBOX missing (install busybox-static)"
	static_elf "$BUSYBOX" ||
		skip "$BUSYBOX is not statically linked (the dynamic busybox package replaced it: install busybox-static)"
	KMODS=$(find "/lib/modules/$KVER/kernel" -name '*.ko' 2>/dev/null)
	for m in $INITRAMFS_MODULES; do
		grep -q "/$m\.ko$" <<<"$KMODS" ||
			skip "module $m.ko not in /lib/modules/$KVER (install linux-image-$KVER)"
	done
	command -v cpio > /dev/null || skip "cpio not found (install cpio)"
	if [ "$DKMS" = 0 ] && [ ! -r "$ROOT/evpn.ko" ]; then
		echo "vm: $ROOT/evpn.ko missing (run make kmod)" >&2
		exit 2
	fi
}
check_inputs
SLOWDOWN=$(test_slowdown)
# The test's own limit inside the guest (EVPN_VM_TEST_TIMEOUT, default 900 s;
# the guest cannot see the host's environment, so it goes on the kernel
# command line); the whole VM's (EVPN_VM_TIMEOUT) is set by boot below.
TEST_TIMEOUT=${EVPN_VM_TEST_TIMEOUT:-900}

# initramfs: static busybox, the modules needed to mount the host root, and
# our init. Rebuilt when the init script or the kernel changes.
build_initramfs() {
	local img=$OUT/initramfs-$KVER.cpio.gz stamp dir m
	stamp=$(cat "$ROOT/tests/vm/initramfs-init" "$BUSYBOX" | sha1sum | cut -c1-12)
	if [ -r "$img" ] && [ "$(cat "$img.stamp" 2>/dev/null)" = "$stamp" ]; then
		echo "$img"
		return
	fi
	dir=$(mktemp -d)
	mkdir -p "$dir"/{bin,dev,proc,sys,mnt,modules}
	cp "$BUSYBOX" "$dir/bin/busybox"
	cp "$ROOT/tests/vm/initramfs-init" "$dir/init"
	chmod +x "$dir/init"
	for m in $INITRAMFS_MODULES; do
		cp "$(grep "/$m\.ko$" <<<"$KMODS" | head -n 1)" "$dir/modules/"
	done
	mkdir -p "$OUT"
	(cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) > "$img.tmp.$$"
	mv "$img.tmp.$$" "$img"
	echo "$stamp" > "$img.stamp"
	rm -rf "$dir"
	echo "$img"
}

# Module index for the fresh evpn.ko, made on the host (fast) in a shadow
# tree whose kernel/ is the real one; guest.sh installs it in the VM.
index_module() {
	local d=$DEPMOD/lib/modules/$KVER
	mkdir -p "$d/extra"
	ln -s /lib/modules/"$KVER"/kernel "$d/kernel"
	cp /lib/modules/"$KVER"/modules.order /lib/modules/"$KVER"/modules.builtin* "$d/"
	cp "$ROOT/evpn.ko" "$d/extra/evpn.ko"
	depmod -b "$DEPMOD" "$KVER"
}

INITRD=$(build_initramfs)
# Per run, so that concurrent VM runs never see each other's module index.
mkdir -p "$OUT/logs"
DEPMOD=$(mktemp -d "$OUT/depmod.XXXXXX")
REFRESH=
trap '[ -z "$REFRESH" ] || kill "$REFRESH" 2>/dev/null; rm -rf "$DEPMOD"' EXIT
[ "$DKMS" = 1 ] || index_module
# The load factor, for the guest to read again before each test of a batch
# (a second 9p share, without a cache: it sees each new value)
mkdir -p "$DEPMOD/run"
echo "$SLOWDOWN" > "$DEPMOD/run/slowdown"
if [ -n "$RESULTS" ]; then
	mkdir -p "$RESULTS"
	( while sleep 5; do
		test_slowdown > "$DEPMOD/run/slowdown.new" && mv "$DEPMOD/run/slowdown.new" "$DEPMOD/run/slowdown"
	done ) > /dev/null 2>&1 &
	REFRESH=$!
fi

# boot LOG TEST...: one VM running the TESTs in order; its serial log in LOG
boot() {
	local log=$1 timeout
	shift
	printf '%s\n' "$@" > "$DEPMOD/tests"
	# the VM's limit leaves 300 s for boot and dmesg
	timeout=$(awk -v t="${EVPN_VM_TIMEOUT:-$(($# * TEST_TIMEOUT + 300))}" -v f="$SLOWDOWN" \
		'BEGIN { printf "%d", t * f }')
	START=$(date +%s.%N)
	QEMU_STATUS=0
	timeout --kill-after=10 "$timeout" qemu-system-x86_64 \
		-accel tcg -cpu max -smp 2 -m "$MEM" -nographic -no-reboot -nic none \
		-kernel "$KERNEL" -initrd "$INITRD" \
		-append "console=ttyS0 panic=-1 quiet oops=panic evpnvm.root=$ROOT evpnvm.tests=$DEPMOD/tests evpnvm.dkms=$DKMS evpnvm.depmod=$DEPMOD evpnvm.slowdown=$SLOWDOWN evpnvm.test_timeout=$TEST_TIMEOUT ${EVPN_VM_APPEND:-}" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs local,path="$DEPMOD/run",mount_tag=evpnrun,security_model=none,readonly=on \
		< /dev/null > "$log" 2>&1 || QEMU_STATUS=$?
	[ "$QEMU_STATUS" = 124 ] && WHY="timed out after ${timeout}s" || WHY="qemu exited $QEMU_STATUS"
	SECS=$(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
}

# segment LOG I: the serial log's lines before the first test (the boot),
# then test I's, without carriage returns
# (awk reads to the end: an early exit would kill tr with SIGPIPE, which
# pipefail and set -e turn into the end of this script)
segment() {
	tr -d '\r' < "$1" | awk -v i="$2" '
		/EVPN-VM-BEGIN [0-9]+$/ { began = 1; mine = ($NF == i) }
		(!began || mine) && !ended { print }
		mine && $1 == "EVPN-VM-RESULT" { ended = 1 }'
}
# test_output: a segment's test output (from "vm: running" to the kernel log)
test_output() {
	sed -n '/vm: running/,/^----- dmesg -----/p' | sed '1s/.*vm: running/vm: running/; $d'
}

# report NAME SEGMENT STATUS SECS LOG: what a single run prints for the
# test; returns its exit status (0, 77 or 1)
report() {
	local name=$1 seg=$2 status=$3 secs=$4 log=$5
	if [ -z "$status" ]; then
		echo "vm: no result from the VM ($WHY); serial log:"
		cat "$seg"
		return 1
	fi
	case "$status" in
	0)	test_output < "$seg"
		echo "vm: PASS $name.sh (${secs}s)"
		return 0 ;;
	77)	test_output < "$seg"
		echo "vm: SKIP $name.sh: $(test_output < "$seg" | grep -v '^vm: test exited' | tail -n 1)"
		return 77 ;;
	esac
	cat "$seg"
	# The kernel log comes last in the serial log; a reader of only the
	# tail (CI keeps one) must still see why the test failed.
	echo "----- the test's last lines again -----"
	sed -n '/vm: running/,/^----- dmesg -----/p' "$seg" | grep -v '^\[ *[0-9]*\.[0-9]*\]' | tail -n 25
	echo "vm: FAIL $name.sh (status $status, ${secs}s; log $log)"
	return 1
}

# One test: its own VM and serial log, its report on stdout, its status as
# the exit status (as before batches existed).
if [ -z "$RESULTS" ]; then
	NAME=$(basename "${TESTS[0]}" .sh)
	LOG=$OUT/logs/$NAME.log
	boot "$LOG" "${TESTS[0]}"
	segment "$LOG" 1 > "$DEPMOD/seg"
	status=$(sed -n 's/^EVPN-VM-RESULT 1 \([0-9]*\) .*/\1/p' "$DEPMOD/seg")
	rc=0
	report "$NAME" "$DEPMOD/seg" "$status" "$SECS" "$LOG" || rc=$?
	exit "$rc"
fi

# A batch: boot VMs until every test has a result. A VM stops after a
# failing test (or one whose state it could not reset); a test that was
# running when the VM died (timeout, panic) fails with the serial log.
rest=("${TESTS[@]}")
while [ ${#rest[@]} -gt 0 ]; do
	LOG=$(mktemp "$OUT/logs/batch.XXXXXX")
	mv "$LOG" "$LOG.log"
	LOG=$LOG.log
	echo "vm: ${#rest[@]} test(s) in one VM (serial log $LOG)"
	boot "$LOG" "${rest[@]}"
	i=0 next=()
	for t in "${rest[@]}"; do
		i=$((i + 1))
		name=$(basename "$t" .sh)
		segment "$LOG" "$i" > "$OUT/logs/$name.log"
		result=$(sed -n "s/^EVPN-VM-RESULT $i \([0-9]* [0-9.]*\)\$/\1/p" "$OUT/logs/$name.log")
		if [ -z "$result" ] && ! grep -q "^EVPN-VM-BEGIN $i\$" "$OUT/logs/$name.log" && [ "$i" -gt 1 ]; then
			next=("${rest[@]:$((i - 1))}")	# not started: the next VM's
			break
		fi
		rc=0
		report "$name" "$OUT/logs/$name.log" "${result% *}" "${result#* }" "$OUT/logs/$name.log" \
			> "$RESULTS/$name.out" || rc=$?
		echo "$rc" > "$RESULTS/$name.status"
		secs=${result#* }
		[ -n "$result" ] || secs=$SECS
		echo "$secs" > "$RESULTS/$name.secs"
		tail -n 1 "$RESULTS/$name.out"
	done
	rest=("${next[@]}")
done
