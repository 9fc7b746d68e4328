#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The files generated from the netlink ABI spec (netlink/specs/evpn.yaml) are
# checked in; this test regenerates them into a temporary directory with
# scripts/ynl-gen.sh and fails, showing the diff, when a checked-in copy
# differs (someone edited a generated file, or the spec without `make regen`).
# It also compiles the generated libnl tables. Skips (77) without Debian's
# linux-source-6.12 or python3-yaml/jsonschema (scripts/deps.sh).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

FILES="uapi/linux/evpn.h kmod/netlink-gen.c kmod/netlink-gen.h
lib/evpn_nl_gen.c lib/evpn_nl_gen.h docs/netlink.md"

"$ROOT/scripts/ynl-gen.sh" "$TMP" 2>"$TMP/err"
rc=$?
if [ $rc = 77 ]; then
	echo "SKIP: $(cat "$TMP/err")"
	exit 77
fi
if [ $rc != 0 ]; then
	cat "$TMP/err"
	echo "FAIL: scripts/ynl-gen.sh failed ($rc)"
	exit 1
fi

fail=0
for f in $FILES; do
	if ! diff -u "$ROOT/$f" "$TMP/$f"; then
		echo "FAIL: $f is stale or edited by hand: run 'make regen' and commit it"
		fail=1
	fi
done

# The generated libnl tables must compile against the generated uapi header.
if ! cc -fsyntax-only -Wall -Wextra -Werror -I"$ROOT/uapi" -I"$ROOT/lib" \
	$(pkg-config --cflags libnl-genl-3.0) "$ROOT/lib/evpn_nl_gen.c"; then
	echo "FAIL: lib/evpn_nl_gen.c does not compile"
	fail=1
fi
[ $fail = 0 ] && echo "PASS: generated netlink files match netlink/specs/evpn.yaml"
exit $fail
