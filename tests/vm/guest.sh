#!/bin/bash
# Stage 2, inside the VM (chroot into the host's root with a tmpfs overlay):
# prepare a minimal system, install the freshly built evpn.ko so that modprobe
# and `ip link add type evpn` autoload it, run the tests of the list that
# tests/vm/run.sh wrote (one, or a batch), judge the kernel log after each,
# and power off.
#
# Each test of a batch starts from the state a fresh VM gives it: empty /tmp,
# /run and /dev/shm, an empty kernel log, no network namespace, no evpn
# device, evpn.ko not loaded, no process left by the test before. After a
# test (vm_reset) the processes it left behind are killed, its namespaces
# and evpn devices deleted and evpn.ko unloaded: a module that does not
# unload then is the test's failure (a reference leak), like an oops or a
# WARN in its kernel log. A batch stops after a failure, or when the state
# could not be reset; run.sh runs the rest in a new VM.
#
# On the serial console, per test I of the list:
#   EVPN-VM-BEGIN I
#   vm: running TEST (...)      the test's output      vm: test exited ...
#   ----- dmesg -----  ...  ----- end dmesg -----
#   EVPN-VM-RESULT I STATUS SECONDS
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb

for a in $(cat /proc/cmdline); do
	case "$a" in
	evpnvm.root=*) EVPN_ROOT="${a#evpnvm.root=}" ;;
	evpnvm.tests=*) TESTS_FILE="${a#evpnvm.tests=}" ;;
	evpnvm.dkms=*) USE_DKMS="${a#evpnvm.dkms=}" ;;
	evpnvm.depmod=*) DEPMOD="${a#evpnvm.depmod=}" ;;
	evpnvm.slowdown=*) EVPN_TEST_SLOWDOWN="${a#evpnvm.slowdown=}" ;;
	evpnvm.test_timeout=*) EVPN_VM_TEST_TIMEOUT="${a#evpnvm.test_timeout=}" ;;
	esac
done
# The host's load factor (tests/lib/slowdown.sh): every wait of the tests
# (ns_wait_for, kdp_wait_for) and the test's own time limit scale with it.
export EVPN_ROOT EVPN_IN_VM=1 EVPN_TEST_SLOWDOWN=${EVPN_TEST_SLOWDOWN:-1}
KVER=$(uname -r)
KERNEL_PROBLEM='Oops|BUG:|WARNING:|Call Trace|KASAN|UBSAN|kmemleak|general protection|refcount_t|list_add corruption|leak'

poweroff_now() {
	sync
	echo 1 > /proc/sys/kernel/sysrq
	echo o > /proc/sysrq-trigger
	sleep 10
}
# setup_failed STATUS WHY: the VM could not be prepared; run.sh reports it
# for the first test of the list
setup_failed() {
	echo "vm: $2"
	echo "EVPN-VM-BEGIN 1"
	echo "EVPN-VM-RESULT 1 $1 0"
	poweroff_now
}
uptime_s() { cut -d" " -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$(uptime_s)" 'BEGIN { printf "%.1f", b - a }'; }

# The host's /tmp is where its own tests come and go (their directories,
# sockets, logs): the 9p layer under the guest's overlay must not change
# while the guest works in it, so the guest's tests get a /tmp of their own,
# a new one for each test. A tree below /tmp (CI's checkout) stays visible
# in it through a bind mount.
case "$EVPN_ROOT/" in
/tmp/*) TREE=/mnt/evpn-tree
	mkdir -p "$TREE"
	mount --bind "$EVPN_ROOT" "$TREE" || setup_failed 124 "cannot bind $EVPN_ROOT" ;;
*) TREE= ;;
esac
# fresh_dirs: empty /tmp, /run, /dev/shm for the next test
fresh_dirs() {
	local d
	for d in /tmp /run /dev/shm; do
		while mountpoint -q "$d"; do umount -l "$d" || break; done
		mount -t tmpfs tmpfs "$d" || return 1
	done
	mkdir -p /run/netns /run/lock
	rm -rf /var/lib/cni	# the CNI host-local plugin's leases
	[ -z "$TREE" ] && return 0
	mkdir -p "$EVPN_ROOT" && mount --bind "$TREE" "$EVPN_ROOT"
}

mkdir -p /dev/pts /dev/shm /dev/net /run /var/run
mount -t devpts devpts /dev/pts
mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null
mount -t debugfs none /sys/kernel/debug 2>/dev/null
ln -sf /proc/self/fd /dev/fd 2>/dev/null
fresh_dirs || setup_failed 124 "cannot mount the tmpfs directories"
echo "vm: booted (uptime $(uptime_s)s)"
# run.sh's directory with the host's current load factor (no cache: each
# read sees the latest value)
mkdir -p /mnt/evpn-run
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=none evpnrun /mnt/evpn-run ||
	echo "vm: no evpnrun share: the load factor stays $EVPN_TEST_SLOWDOWN"
ip link set lo up
hostname evpn-vm

if [ "${USE_DKMS:-0}" != 1 ]; then
	# Tests exercise the module just built in the tree: run.sh ran depmod
	# for it on the host (depmod over 9p takes ~16 s); install its result.
	# Any dkms-installed copy is not in that module index, so it is hidden.
	# (This overlay is thrown away at power-off.)
	mkdir -p /lib/modules/"$KVER"/extra
	cp "$DEPMOD/lib/modules/$KVER/extra/evpn.ko" \
		/lib/modules/"$KVER"/extra/evpn.ko || setup_failed 124 "no evpn.ko from the host"
	cp "$DEPMOD/lib/modules/$KVER"/modules.* \
		/lib/modules/"$KVER"/ || setup_failed 124 "no module index from the host"
fi
mapfile -t TESTS < "$TESTS_FILE" || setup_failed 124 "no test list $TESTS_FILE"

# leftover_pids: the processes a test left behind (every user process but
# this script and the subshell listing them; kernel threads and zombies
# have no command line)
leftover_pids() {
	local p c
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = $$ ] || [ "$p" = "$BASHPID" ] && continue
		c=
		read -r -d '' c < "/proc/$p/cmdline" 2>/dev/null
		[ -n "$c" ] && echo "$p"
	done
}

# vm_reset: undo what the test left, so that the next one starts as in a
# fresh VM. Returns 1 (with the reason) if evpn.ko does not unload, 2 if the
# state could not be reset otherwise.
vm_reset() {
	local left n d end
	left=$(leftover_pids)
	if [ -n "$left" ]; then
		echo "vm: killing what the test left running:" $(for n in $left; do
			tr '\0' ' ' < "/proc/$n/cmdline" 2>/dev/null | cut -c1-60; echo ";"; done)
		kill -KILL $left 2>/dev/null
		for n in $(seq 50); do [ -z "$(leftover_pids)" ] && break; sleep 0.1; done
	fi
	for n in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
		echo "vm: deleting namespace $n left by the test"
		ip netns del "$n" || return 2
	done
	for d in $(ip -o link show type evpn 2>/dev/null | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
		echo "vm: deleting device $d left by the test"
		ip link del "$d" || return 2
	done
	# (namespaces go away asynchronously, and with them their devices'
	# references on the module: wait for that)
	end=$(awk -v n="$(uptime_s)" -v f="$EVPN_TEST_SLOWDOWN" 'BEGIN { printf "%d", n + 30 * f }')
	while grep -q '^evpn ' /proc/modules; do
		rmmod evpn 2>/dev/null && break
		if [ "$(uptime_s | cut -d. -f1)" -ge "$end" ]; then
			echo "vm: evpn.ko does not unload after the test:"
			grep '^evpn ' /proc/modules
			rmmod evpn
			return 1
		fi
		sleep 0.2
	done
	[ -z "$(leftover_pids)" ] || { echo "vm: processes survive kill -9"; return 2; }
}

# run_test I TEST: run one test, judge it, print its result. Returns 0 if
# the next test may run in this VM.
run_test() {
	local i=$1 test=$2 status start reset=0 f
	echo "EVPN-VM-BEGIN $i"
	f=$(cat /mnt/evpn-run/slowdown 2>/dev/null)
	[[ "$f" =~ ^[0-9]+(\.[0-9]+)?$ ]] && EVPN_TEST_SLOWDOWN=$f
	dmesg -c > /dev/null
	echo "vm: running $test (kernel $KVER, dkms=${USE_DKMS:-0}, slowdown ${EVPN_TEST_SLOWDOWN}, uptime $(uptime_s)s)"
	start=$(uptime_s)
	(cd "$EVPN_ROOT" && exec timeout --kill-after=5 "$(awk -v t="${EVPN_VM_TEST_TIMEOUT:-900}" \
		-v f="$EVPN_TEST_SLOWDOWN" 'BEGIN { printf "%d", t * f }')" bash "$test")
	status=$?
	echo "vm: test exited $status after $(elapsed "$start")s"
	vm_reset || reset=$?
	[ "$reset" = 1 ] && [ "$status" = 0 ] && status=122

	# The module must unload cleanly (kmemleak scan too, when the kernel has it).
	if [ -e /sys/kernel/debug/kmemleak ]; then
		echo scan > /sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak
	fi
	echo "----- dmesg -----"
	dmesg
	echo "----- end dmesg -----"
	if dmesg | grep -Eq "$KERNEL_PROBLEM"; then
		echo "vm: kernel log shows a problem"
		[ "$status" = 0 ] && status=123
		reset=3
	fi
	echo "EVPN-VM-RESULT $i $status $(elapsed "$start")"
	case "$status" in 0|77) ;; *) return 1 ;; esac
	[ "$reset" = 0 ] && fresh_dirs
}

i=0
for t in "${TESTS[@]}"; do
	i=$((i + 1))
	run_test "$i" "$t" || break
done
poweroff_now
