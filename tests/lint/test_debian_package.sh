#!/bin/bash
# The Debian packages (debian/): in a temporary copy of the tree,
# `dpkg-buildpackage -us -uc -b` builds evpnd and evpn-dkms; lintian reports
# no errors (warnings are listed); both packages hold what they should; the
# module source in evpn-dkms is complete (with EVPN_LINT_KMOD=1 the module is
# also built from it against Debian's kernel headers, in the temporary
# directory, not /usr/src: +1-2 min); the evpnd package installs with
# dpkg, `evpnd -t` accepts the shipped example config, the systemd unit passes
# `systemd-analyze verify` (skipped without systemd-analyze), bash completion
# loads; then the package is purged again, leaving the machine as it was.
# Needs root (dpkg -i). Exit 0 pass, 1 fail, 77 skip.
set -euo pipefail

ROOT=${EVPN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
step() { echo "== $* ($(( $(date +%s) - T0 ))s)"; }
T0=$(date +%s)

[ "$(id -u)" -eq 0 ] || skip "needs root (dpkg -i)"
for t in dpkg-buildpackage dh dh_dkms lintian dpkg-deb; do
	command -v $t >/dev/null || skip "$t missing (scripts/deps.sh)"
done
if dpkg-query -W -f='${Status}' evpnd 2>/dev/null | grep -q 'ok installed'; then
	skip "an evpnd package is installed on this machine: not touching it"
fi

VERSION=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
DKMS_VERSION=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$ROOT/dkms.conf")
[ "$VERSION" = "$DKMS_VERSION" ] || fail "Makefile VERSION $VERSION != dkms.conf $DKMS_VERSION"
TMP=$(mktemp -d /tmp/evpn-deb.XXXXXX)
INSTALLED=
cleanup() {
	if [ -n "$INSTALLED" ]; then
		dpkg --purge evpnd >"$TMP/purge.log" 2>&1 || cat "$TMP/purge.log" >&2
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

# --- a clean copy of the tree: tracked and new files, never build output ---
SRC=$TMP/evpn-$VERSION
mkdir -p "$SRC"
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf -) | tar -C "$SRC" -xf -
else
	tar -C "$ROOT" --exclude=./build --exclude='*.o' --exclude='*.ko' \
		--exclude='.*.cmd' -cf - . | tar -C "$SRC" -xf -
fi
[ -x "$SRC/debian/rules" ] || fail "debian/rules missing or not executable"

# --- build ---
step "dpkg-buildpackage -us -uc -b"
(cd "$SRC" && DEB_BUILD_OPTIONS="parallel=$(nproc)" nice -n 5 \
	dpkg-buildpackage -us -uc -b) >"$TMP/build.log" 2>&1 ||
	{ tail -n 40 "$TMP/build.log" >&2; fail "dpkg-buildpackage failed"; }
ARCH=$(dpkg --print-architecture)
DEB=$TMP/evpnd_${VERSION}_$ARCH.deb
DKMS_DEB=$TMP/evpn-dkms_${VERSION}_all.deb
CHANGES=$TMP/evpn_${VERSION}_$ARCH.changes
for f in "$DEB" "$DKMS_DEB" "$CHANGES"; do
	[ -f "$f" ] || { ls "$TMP" >&2; fail "not built: ${f##*/}"; }
done
# the build happened in the copy only
for f in debian/files debian/evpnd debian/evpn-dkms debian/.debhelper; do
	[ ! -e "$ROOT/$f" ] || fail "build output $f in the source tree"
done

# --- lintian: no errors; warnings listed ---
step "lintian"
rc=0
lintian --tag-display-limit 0 --fail-on error "$CHANGES" >"$TMP/lintian.log" 2>&1 || rc=$?
errors=$(grep -c '^E: ' "$TMP/lintian.log" || true)
warnings=$(grep -c '^W: ' "$TMP/lintian.log" || true)
sed -n 's/^\([EW]\): /  \1: /p' "$TMP/lintian.log"
[ -d "$ROOT/build" ] && cp "$TMP/lintian.log" "$ROOT/build/lintian-debian.log"
[ $rc -le 1 ] || { cat "$TMP/lintian.log" >&2; fail "lintian did not run (status $rc)"; }
[ "$errors" -eq 0 ] && [ $rc -eq 0 ] || fail "lintian: $errors error(s)"
echo "ok: lintian: 0 errors, $warnings warning(s)"

# --- contents ---
step "contents"
has() {	# has DEB PATH...
	local deb=$1 p
	shift
	[ -f "$deb.list" ] ||
		dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$deb.list"
	for p; do
		grep -qxF "$p" "$deb.list" || fail "${deb##*/} lacks $p"
	done
}
has "$DEB" /usr/sbin/evpnd /usr/sbin/evpnctl /usr/lib/evpn/evpnd-overlay.so \
	/usr/share/man/man8/evpnd.8.gz /usr/share/man/man8/evpnctl.8.gz \
	/usr/share/man/man5/evpnd.conf.5.gz \
	/lib/systemd/system/evpnd@.service \
	/usr/share/bash-completion/completions/evpnd \
	/usr/share/bash-completion/completions/evpnctl \
	/usr/share/doc/evpnd/examples/evpnd.conf.example \
	/usr/share/doc/evpnd/examples/ovs/dhcp-block.flows \
	/usr/share/doc/evpnd/examples/cni/evpn-bridge.conf \
	/usr/share/doc/evpnd/examples/cni/evpn-bridge-dhcp.conf \
	/usr/share/doc/evpnd/copyright /etc/evpn/
kdir=/usr/src/evpn-$VERSION
has "$DKMS_DEB" $kdir/dkms.conf $kdir/Kbuild $kdir/uapi/linux/evpn.h
# the module sources: every file Kbuild compiles or includes (kmod/, core/,
# uapi/), as scripts/dkms-install.sh copies them
srcs=()
for f in "$ROOT"/kmod/*.[ch] "$ROOT"/core/*.[ch] "$ROOT"/uapi/linux/*.h; do
	srcs+=("$kdir/${f#"$ROOT"/}")
done
has "$DKMS_DEB" "${srcs[@]}"
[ "$(grep -c '\.[ch]$' "$DKMS_DEB.list")" -eq ${#srcs[@]} ] ||
	fail "evpn-dkms holds other sources than kmod/ core/ uapi/"

dpkg-deb -f "$DKMS_DEB" Depends | grep -q dkms || fail "evpn-dkms does not depend on dkms"
echo "ok: package contents"

# --- the packaged DKMS source builds (here, not in /usr/src) ---
KVER=$("$ROOT/scripts/kver.sh" 2>/dev/null || true)
if [ "${EVPN_LINT_KMOD:-0}" = 1 ] && [ -n "$KVER" ] && [ -d "/lib/modules/$KVER/build" ]; then
	step "module from the evpn-dkms source for $KVER"
	dpkg-deb -x "$DKMS_DEB" "$TMP/dkms"
	nice -n 5 make -C "/lib/modules/$KVER/build" M="$TMP/dkms$kdir" \
		-j"$(nproc)" modules >"$TMP/kbuild.log" 2>&1 ||
		{ tail -n 30 "$TMP/kbuild.log" >&2; fail "module build from the package source"; }
	[ -f "$TMP/dkms$kdir/evpn.ko" ] || fail "no evpn.ko"
	modinfo -F version "$TMP/dkms$kdir/evpn.ko" | grep -qx "$VERSION" ||
		fail "evpn.ko version is not $VERSION"
	echo "ok: evpn.ko $VERSION builds from the packaged source for $KVER"
else
	echo "note: module not built from the package (EVPN_LINT_KMOD=1 does)"
fi

# --- install, use, purge ---
step "dpkg -i"
[ -e /usr/sbin/evpnd ] && fail "/usr/sbin/evpnd exists but no evpnd package: refusing to overwrite"
etc_before=$([ -d /etc/evpn ] && echo yes || echo no)
INSTALLED=1
dpkg -i "$DEB" >"$TMP/install.log" 2>&1 ||
	{ cat "$TMP/install.log" >&2; fail "dpkg -i evpnd"; }
v=$(/usr/sbin/evpnd --version) || fail "evpnd --version"
[ "$v" = "evpnd $VERSION" ] || fail "evpnd --version: $v"
/usr/sbin/evpnctl --version >/dev/null || fail "evpnctl --version"
/usr/sbin/evpnd -t -c /usr/share/doc/evpnd/examples/evpnd.conf.example ||
	fail "evpnd -t rejects the shipped example"
# an [overlay] makes evpnd -t load the installed control-plane module
printf '[node]\nstate-dir = %s\n[overlay t]\njid = a@example.org\npassword-file = %s\n' \
	"$TMP" "$TMP/ov.pass" >"$TMP/ov.conf"
echo secret >"$TMP/ov.pass"; chmod 600 "$TMP/ov.pass"
/usr/sbin/evpnd -t -c "$TMP/ov.conf" >/dev/null 2>"$TMP/ov.err" ||
	{ cat "$TMP/ov.err" >&2; fail "evpnd -t: the overlay module does not load"; }
man -w evpnd.conf >/dev/null 2>&1 || fail "man evpnd.conf: not found"
if command -v systemd-analyze >/dev/null; then
	out=$(systemd-analyze verify /lib/systemd/system/evpnd@.service 2>&1) ||
		fail "systemd-analyze verify: $out"
	[ -z "$out" ] || fail "systemd-analyze verify says: $out"
	echo "ok: systemd-analyze verify evpnd@.service"
else
	echo "note: systemd-analyze missing: unit not verified"
fi
if [ -r /usr/share/bash-completion/bash_completion ]; then
	got=$(bash -c '. /usr/share/bash-completion/bash_completion
		. /usr/share/bash-completion/completions/evpnd
		COMP_WORDS=(evpnd --vers); COMP_CWORD=1; COMP_LINE="evpnd --vers"
		COMP_POINT=${#COMP_LINE}; _evpnd; echo "${COMPREPLY[*]}"')
	[ "$got" = "--version" ] || fail "bash completion of 'evpnd --vers': '$got'"
	echo "ok: bash completion"
fi
step "dpkg --purge"
dpkg --purge evpnd >"$TMP/purge.log" 2>&1 || { cat "$TMP/purge.log" >&2; fail "dpkg --purge"; }
INSTALLED=
[ ! -e /usr/sbin/evpnd ] || fail "/usr/sbin/evpnd left after purge"
[ ! -e /lib/systemd/system/evpnd@.service ] || fail "unit left after purge"
if [ "$etc_before" = no ] && [ -d /etc/evpn ]; then fail "/etc/evpn left after purge"; fi
echo "ok: evpnd installed, used and purged"
step "done"
