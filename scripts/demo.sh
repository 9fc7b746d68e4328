#!/bin/bash
# The main job (`make demo`): show evpn working on this machine.
#
#  1. Kernel: boot Debian's kernel in a qemu VM, let `ip link add evpn0 type
#     evpn` autoload the freshly built evpn.ko, configure it with evpnctl over
#     generic netlink and show it.
#  2. Overlay: when the userspace pieces exist, a small overlay of evpnd nodes
#     in network namespaces on this machine (scripts/demo-overlay.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

echo "=== evpn demo 1/2: evpn.ko in a VM running Debian's kernel $(scripts/kver.sh) ==="
tests/vm/run.sh tests/vm/demo_kmod.sh

if [ -x scripts/demo-overlay.sh ]; then
	echo
	echo "=== evpn demo 2/2: an overlay of evpnd nodes in network namespaces ==="
	scripts/demo-overlay.sh
fi
