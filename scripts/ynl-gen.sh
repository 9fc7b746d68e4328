#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Regenerate every file derived from the netlink ABI spec
# (netlink/specs/evpn.yaml; docs/netlink.md "Generated code"):
#
#   uapi/linux/evpn.h        ynl-gen-c.py --mode uapi
#   kmod/netlink-gen.[ch]    ynl-gen-c.py --mode kernel, ops table in Linux 6.1
#                            form (scripts/ynl/kernel61.py)
#   lib/evpn_nl_gen.[ch]     libnl attribute policies (scripts/ynl/libnl.py)
#   docs/netlink.md          the part between the GENERATED markers
#                            (scripts/ynl/doc.py)
#
# usage: scripts/ynl-gen.sh [OUTDIR]
#   OUTDIR defaults to the source tree; tests/lint/test_ynl_generated.sh
#   passes a temporary directory and compares.
#
# The generator is the kernel's own (tools/net/ynl of Debian's
# linux-source-6.12, extracted with the genetlink schemas into build/ynl/;
# kernel source is never committed). Exit status 77 when the package or
# python3-yaml/jsonschema is missing.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT}
SPEC=netlink/specs/evpn.yaml
YNL_SRC=${YNL_SRC:-$ROOT/build/ynl}
TARBALL=${YNL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
YNL=$YNL_SRC/tools/net/ynl

missing() { echo "ynl-gen: $1 (scripts/deps.sh installs it)" >&2; exit 77; }

# Debian's python3, whose python3-yaml/jsonschema scripts/deps.sh installs
# (a python3 earlier in PATH, e.g. pyenv's, may lack them).
PYTHON=${PYTHON:-/usr/bin/python3}
"$PYTHON" -c 'import yaml, jsonschema' 2>/dev/null ||
	missing "python3-yaml or python3-jsonschema not installed"
if [ ! -f "$YNL/ynl-gen-c.py" ] ||
   [ ! -f "$YNL_SRC/Documentation/netlink/genetlink-legacy.yaml" ]; then
	[ -f "$TARBALL" ] || missing "$TARBALL not found (package linux-source-6.12)"
	mkdir -p "$YNL_SRC"
	tar -xJf "$TARBALL" -C "$YNL_SRC" --strip-components=1 \
		linux-source-6.12/tools/net/ynl \
		linux-source-6.12/Documentation/netlink
fi

# ynl-gen-c finds the schema next to the spec's directory and names the
# spec relative to a kernel root (a directory with MAINTAINERS): stage both
# so the generated files say "netlink/specs/evpn.yaml".
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/netlink/specs" "$OUT/uapi/linux" "$OUT/kmod" "$OUT/lib" "$OUT/docs"
cp "$ROOT/$SPEC" "$STAGE/netlink/specs/"
cp "$YNL_SRC/Documentation/netlink/genetlink-legacy.yaml" "$STAGE/netlink/"
touch "$STAGE/MAINTAINERS"

gen() { (cd "$STAGE" && "$PYTHON" "$YNL/ynl-gen-c.py" --spec "$SPEC" "$@"); }
gen --mode uapi --header -o "$OUT/uapi/linux/evpn.h"
gen --mode kernel --source -o "$STAGE/netlink-gen.c"
gen --mode kernel --header -o "$STAGE/netlink-gen.h"

(cd "$STAGE" &&
 "$PYTHON" "$ROOT/scripts/ynl/kernel61.py" "$YNL" "$SPEC" netlink-gen.c netlink-gen.h \
	"$OUT/kmod/netlink-gen.c" "$OUT/kmod/netlink-gen.h" &&
 "$PYTHON" "$ROOT/scripts/ynl/libnl.py" "$YNL" "$SPEC" \
	"$OUT/lib/evpn_nl_gen.c" "$OUT/lib/evpn_nl_gen.h" &&
 "$PYTHON" "$ROOT/scripts/ynl/doc.py" "$YNL" "$SPEC" \
	"$ROOT/docs/netlink.md" "$OUT/docs/netlink.md")
