#!/bin/bash
# Stage 2, inside the VM (chroot into the host's root with a tmpfs overlay):
# prepare a minimal system, install the freshly built evpn.ko so that modprobe
# and `ip link add type evpn` autoload it, run one test, judge the kernel log,
# report "EVPN-VM-RESULT: <status>" on the serial console and power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb

for a in $(cat /proc/cmdline); do
	case "$a" in
	evpnvm.root=*) EVPN_ROOT="${a#evpnvm.root=}" ;;
	evpnvm.test=*) TEST="${a#evpnvm.test=}" ;;
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

finish() {
	echo "EVPN-VM-RESULT: $1"
	sync
	echo 1 > /proc/sys/kernel/sysrq
	echo o > /proc/sysrq-trigger
	sleep 10
}

mount -t tmpfs tmpfs /run
# The host's /tmp is where its own tests come and go (their directories,
# sockets, logs): the 9p layer under the guest's overlay must not change
# while the guest works in it, so the guest's tests get a /tmp of their own
# (unless the tree itself lives below /tmp).
case "$EVPN_ROOT/" in
/tmp/*) ;;
*) mount -t tmpfs tmpfs /tmp ;;
esac
mkdir -p /dev/pts /dev/shm /dev/net /run/netns /var/run
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null
mount -t debugfs none /sys/kernel/debug 2>/dev/null
ln -sf /proc/self/fd /dev/fd 2>/dev/null
ip link set lo up
hostname evpn-vm

if [ "${USE_DKMS:-0}" != 1 ]; then
	# Tests exercise the module just built in the tree: run.sh ran depmod
	# for it on the host (depmod over 9p takes ~16 s); install its result.
	# Any dkms-installed copy is not in that module index, so it is hidden.
	# (This overlay is thrown away at power-off.)
	mkdir -p /lib/modules/"$KVER"/extra
	cp "$DEPMOD/lib/modules/$KVER/extra/evpn.ko" \
		/lib/modules/"$KVER"/extra/evpn.ko || finish 124
	cp "$DEPMOD/lib/modules/$KVER"/modules.* \
		/lib/modules/"$KVER"/ || finish 124
fi

dmesg -c > /dev/null
echo "vm: running $TEST (kernel $KVER, dkms=${USE_DKMS:-0}, slowdown ${EVPN_TEST_SLOWDOWN}, uptime $(cut -d" " -f1 /proc/uptime)s)"
cd "$EVPN_ROOT" || finish 124
start=$(cut -d" " -f1 /proc/uptime)
timeout --kill-after=5 "$(awk -v t="${EVPN_VM_TEST_TIMEOUT:-900}" \
	-v f="$EVPN_TEST_SLOWDOWN" 'BEGIN { printf "%d", t * f }')" bash "$TEST"
status=$?
end=$(cut -d" " -f1 /proc/uptime)
echo "vm: test exited $status after $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')s"

# The module must unload cleanly (kmemleak scan too, when the kernel has it).
if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
fi
echo "----- dmesg -----"
dmesg
echo "----- end dmesg -----"
if dmesg | grep -Eq 'Oops|BUG:|WARNING:|Call Trace|KASAN|UBSAN|kmemleak|general protection|refcount_t|list_add corruption|leak'; then
	echo "vm: kernel log shows a problem"
	[ "$status" = 0 ] && status=123
fi
finish "$status"
