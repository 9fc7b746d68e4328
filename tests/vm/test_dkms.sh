#!/bin/bash
# vm-args: --dkms
# evpn.ko installed through DKMS (run: tests/vm/run.sh --dkms tests/vm/test_dkms.sh).
# dkms lists evpn as installed for the VM's kernel, plain `modprobe evpn`
# loads that copy (not the build tree's), and a device works with it.
#
# The host's DKMS install (make dkms-install) is what the VM sees. If it is
# missing or its sources differ from this tree, the test runs
# scripts/dkms-install.sh inside the VM first -- the VM's root is a tmpfs
# overlay, so that real add/build/install is thrown away at power-off.
set -euo pipefail

EVPN_ROOT=${EVPN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=$EVPN_ROOT/build/asan/bin
[ -x "$BIN/evpnctl" ] || BIN=$EVPN_ROOT/build/bin
EVPNCTL=$BIN/evpnctl
KVER=$(uname -r)
VERSION=$(sed -n 's/^VERSION *:= *//p' "$EVPN_ROOT/Makefile")
ID=00112233445566778899aabbccddeeff

cleanup() { ip link del evpn0 2>/dev/null || true; }
trap cleanup EXIT
step() { echo "== $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# Same sources as this tree? (the files dkms-install.sh copies)
dkms_fresh() {
	local src=/usr/src/evpn-$VERSION f
	[ -d "$src" ] || return 1
	for f in Kbuild dkms.conf kmod/*.[ch] core/*.[ch] uapi/linux/*.h; do
		(cd "$EVPN_ROOT" && for g in $f; do cmp -s "$g" "$src/$g" || return 1; done) || return 1
	done
	(cd "$src" && for g in kmod/*.[ch] core/*.[ch]; do [ -e "$EVPN_ROOT/$g" ] || return 1; done)
}

step "dkms status: evpn/$VERSION installed for $KVER"
if ! dkms status -m evpn -v "$VERSION" -k "$KVER" | grep -q installed || ! dkms_fresh; then
	echo "   host DKMS copy missing or stale: installing inside the VM (overlay)"
	t0=$(date +%s)
	"$EVPN_ROOT/scripts/dkms-install.sh" "$VERSION" "$KVER"
	echo "   dkms-install.sh in the VM took $(( $(date +%s) - t0 ))s"
fi
st=$(dkms status)
echo "$st" | sed 's/^/   dkms status: /'
echo "$st" | grep -q "^evpn/$VERSION, $KVER, x86_64: installed" ||
	fail "dkms status does not list evpn/$VERSION installed for $KVER"

step "modprobe evpn loads the DKMS-installed module"
! lsmod | grep -q '^evpn ' || fail "evpn already loaded"
path=$(modinfo -n evpn)
echo "   modinfo -n evpn: $path"
case "$path" in
/lib/modules/"$KVER"/updates/dkms/evpn.ko*) ;;
*) fail "evpn resolves to $path, not the DKMS location" ;;
esac
modprobe evpn
lsmod | grep -q '^evpn ' || fail "modprobe evpn did not load it"
[ "$(cat /sys/module/evpn/version)" = "$VERSION" ] || fail "loaded version is not $VERSION"
echo "   loaded: version $(cat /sys/module/evpn/version), srcversion $(cat /sys/module/evpn/srcversion)"
[ "$(cat /sys/module/evpn/srcversion)" = "$(modinfo -F srcversion "$path")" ] ||
	fail "loaded module is not the DKMS file"

step "a device works with it"
ip link add evpn0 type evpn
ip link set evpn0 up
ip addr add 10.96.0.1/24 dev evpn0
"$EVPNCTL" set evpn0 node-id "$ID"
out=$("$EVPNCTL" show evpn0)
echo "$out"
echo "$out" | grep -q "node id: $ID" || fail "node ID not set"
ping -c 2 -i 0.2 -W 1 10.96.0.2 >/dev/null 2>&1 || true
n=$("$EVPNCTL" show evpn0 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0]["drops"]["no_link"])')
[ "$n" -ge 2 ] || fail "no_link drops not counted ($n)"
ip link del evpn0
rmmod evpn
echo "PASS: test_dkms"
