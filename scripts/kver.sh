#!/bin/sh
# Print the Debian kernel version evpn.ko is built and VM-tested for: the newest
# installed linux-headers-*-amd64. Never `uname -r`: the build machine's running
# kernel has no module support. Override with KVER=... in the environment.
set -eu
if [ -n "${KVER:-}" ]; then echo "$KVER"; exit 0; fi
v=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
if [ -z "$v" ]; then
	echo "kver: no Debian kernel headers found (run scripts/deps.sh)" >&2
	exit 1
fi
echo "$v"
