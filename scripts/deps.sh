#!/bin/sh
# Install every Debian package evpn needs to build, test, benchmark and demo.
# Idempotent: does nothing (and needs no network) when all are present.
# Used by `make deps`, which `make check`, `make demo` and `make bench` call.
set -eu

PKGS="
build-essential pkg-config clang llvm
linux-image-amd64 linux-headers-amd64 dkms kmod
qemu-system-x86 busybox-static cpio
libnl-3-dev libnl-genl-3-dev libnice-dev libglib2.0-dev libssl-dev
libstrophe-dev check
iproute2 iputils-ping iputils-arping nftables ethtool procps psmisc socat tcpdump
iperf3 prosody ejabberd coturn openssl python3 python3-cryptography bc
tinc wireguard-go wireguard-tools openvpn
openvswitch-switch dnsmasq-base containernetworking-plugins
groff-base man-db
linux-source-6.12 python3-yaml python3-jsonschema
debhelper dh-dkms lintian bash-completion
graphviz python3-prometheus-client
"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# Services pulled in as dependencies must not start on the host: the tests start
# their own instances inside network namespaces.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
apt-get install -y -q --no-install-recommends $missing
