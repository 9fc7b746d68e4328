#!/bin/bash
# Run one test script inside a qemu VM booted with Debian's kernel.
#
#   tests/vm/run.sh [--dkms] [--mem MiB] TEST.sh     exit status = the test's
#
# The VM (TCG; KVM hangs on this machine) sees the host's root read-only over
# 9p with a tmpfs overlay, so every host binary and this tree (same path) are
# there. tests/vm/guest.sh installs ./evpn.ko (or, with --dkms, keeps the
# dkms-installed module), runs TEST, then fails the run if the kernel log
# shows an oops, BUG, WARN, KASAN/UBSAN report or a leak. The serial log is
# kept in build/vm/logs/; it is printed in full when the run fails.
#
# The harness checks its own inputs first (qemu, the kernel image, a static
# busybox, the initramfs modules): a missing one is a skip (exit 77) whose
# last line says what to install, not a VM that panics at boot.
# Timeouts (the run's, the test's, the tests' waits) are multiplied by the
# host's load factor (tests/lib/slowdown.sh), passed to the guest, whose own
# load average does not see the host's.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/slowdown.sh"
OUT=$ROOT/build/vm
MEM=${EVPN_VM_MEM:-2048}
DKMS=0
BUSYBOX=${EVPN_VM_BUSYBOX:-/bin/busybox}	# must be busybox-static's
INITRAMFS_MODULES="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
	netfs fscache 9pnet 9pnet_virtio 9p overlay"

skip() { echo "SKIP: vm: $*"; exit 77; }

while [ $# -gt 0 ]; do
	case "$1" in
	--dkms) DKMS=1; shift ;;
	--mem) MEM=$2; shift 2 ;;
	-*) echo "usage: $0 [--dkms] [--mem MiB] TEST.sh" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--dkms] [--mem MiB] TEST.sh" >&2; exit 2; }
TEST=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -r "$TEST" ] || { echo "vm: no such test: $1" >&2; exit 2; }

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
	for m in $INITRAMFS_MODULES; do
		[ -n "$(find "/lib/modules/$KVER/kernel" -name "$m.ko" 2>/dev/null | head -n 1)" ] ||
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
# command line) and the whole VM's, which leaves 300 s for boot and dmesg.
TEST_TIMEOUT=${EVPN_VM_TEST_TIMEOUT:-900}
VM_TIMEOUT=${EVPN_VM_TIMEOUT:-$((TEST_TIMEOUT + 300))}
TIMEOUT=$(awk -v t="$VM_TIMEOUT" -v f="$SLOWDOWN" 'BEGIN { printf "%d", t * f }')

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
		cp "$(find /lib/modules/"$KVER"/kernel -name "$m.ko" | head -n1)" "$dir/modules/"
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
mkdir -p "$OUT"
DEPMOD=$(mktemp -d "$OUT/depmod.XXXXXX")
trap 'rm -rf "$DEPMOD"' EXIT
[ "$DKMS" = 1 ] || index_module
mkdir -p "$OUT/logs"
LOG=$OUT/logs/$(basename "$TEST" .sh).log

start=$(date +%s.%N)
set +e
timeout --kill-after=10 "$TIMEOUT" qemu-system-x86_64 \
	-accel tcg -cpu max -smp 2 -m "$MEM" -nographic -no-reboot -nic none \
	-kernel "$KERNEL" -initrd "$INITRD" \
	-append "console=ttyS0 panic=-1 quiet oops=panic evpnvm.root=$ROOT evpnvm.test=$TEST evpnvm.dkms=$DKMS evpnvm.depmod=$DEPMOD evpnvm.slowdown=$SLOWDOWN evpnvm.test_timeout=$TEST_TIMEOUT" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	< /dev/null > "$LOG" 2>&1
qemu_status=$?
set -e
end=$(date +%s.%N)

status=$(sed -n 's/^EVPN-VM-RESULT: \([0-9]*\).*/\1/p' "$LOG" | tr -d '\r' | tail -n 1)
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
if [ -z "$status" ]; then
	[ "$qemu_status" = 124 ] && why="timed out after ${TIMEOUT}s" || why="qemu exited $qemu_status"
	echo "vm: no result from the VM ($why); serial log:"
	tr -d '\r' < "$LOG"
	exit 1
fi
if [ "$status" != 0 ]; then
	tr -d '\r' < "$LOG"
	# The kernel log comes last in the serial log; a reader of only the
	# tail (CI keeps one) must still see why the test failed.
	echo "----- the test's last lines again -----"
	tr -d '\r' < "$LOG" | sed -n '/vm: running/,/^----- dmesg -----/p' | grep -v '^\[ *[0-9]*\.[0-9]*\]' | tail -n 25
	echo "vm: FAIL $(basename "$TEST") (status $status, ${secs}s; log $LOG)"
	exit 1
fi
# On success print the test's own output, not the kernel log.
tr -d '\r' < "$LOG" | sed -n '/vm: running/,/^----- dmesg -----/p' | sed '1s/.*vm: running/vm: running/; $d'
echo "vm: PASS $(basename "$TEST") (${secs}s)"
