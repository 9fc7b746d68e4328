#!/bin/bash
# Install evpn.ko through DKMS for one kernel:
#
#   scripts/dkms-install.sh VERSION KVER      (make dkms-install does this)
#
# Copies exactly the files the module is built from -- Kbuild, dkms.conf,
# kmod/, core/, uapi/ sources -- to /usr/src/evpn-VERSION (replacing any
# older copy, after `dkms remove` of that version), then dkms add, build and
# install for KVER. Idempotent; stops at the first failure.
set -euo pipefail

die() { echo "dkms-install: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 VERSION KVER"
VERSION=$1
KVER=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=/usr/src/evpn-$VERSION

command -v dkms >/dev/null || die "dkms not installed (run scripts/deps.sh)"
[ -d "/lib/modules/$KVER/build" ] || die "no kernel headers for $KVER in /lib/modules/$KVER/build"
[ "$(id -u)" = 0 ] || die "must run as root"

# One version everywhere: Makefile VERSION (our argument), dkms.conf, module.
conf_ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$ROOT/dkms.conf")
mod_ver=$(sed -n 's/^#define EVPN_VERSION "\(.*\)"/\1/p' "$ROOT/kmod/version.h")
[ "$conf_ver" = "$VERSION" ] || die "dkms.conf PACKAGE_VERSION=$conf_ver, expected $VERSION"
[ "$mod_ver" = "$VERSION" ] || die "kmod/version.h EVPN_VERSION=$mod_ver, expected $VERSION"

if [ -n "$(dkms status -m evpn -v "$VERSION" 2>/dev/null)" ]; then
	echo "dkms-install: removing the registered evpn/$VERSION"
	dkms remove -m evpn -v "$VERSION" --all
fi
rm -rf "$SRC"

# Sources only: never the objects of an in-tree `make kmod`.
echo "dkms-install: copying sources to $SRC"
mkdir -p "$SRC/kmod" "$SRC/core" "$SRC/uapi/linux"
cp "$ROOT/Kbuild" "$ROOT/dkms.conf" "$SRC/"
cp "$ROOT"/kmod/*.[ch] "$SRC/kmod/"
cp "$ROOT"/core/*.[ch] "$SRC/core/"
cp "$ROOT"/uapi/linux/*.h "$SRC/uapi/linux/"

dkms add -m evpn -v "$VERSION"
if ! dkms build -m evpn -v "$VERSION" -k "$KVER"; then
	log=/var/lib/dkms/evpn/$VERSION/build/make.log
	[ -r "$log" ] && cat "$log" >&2
	die "dkms build failed"
fi
dkms install -m evpn -v "$VERSION" -k "$KVER"

dkms status -m evpn -v "$VERSION" -k "$KVER" | grep -q installed ||
	die "dkms does not report evpn/$VERSION installed for $KVER"
echo "dkms-install: evpn/$VERSION installed for $KVER: $(modinfo -k "$KVER" -n evpn)"
