# Shared helpers for the kernel-datapath VM tests (tests/vm/test_kdp_*.sh),
# sourced, run inside the VM as root. Nodes are network namespaces
# "kdp-NAME" holding an evpn device evpn0; the underlay is veth pairs
# between them. Everything lives in namespaces this file creates.

EVPN_ROOT=${EVPN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=$EVPN_ROOT/build/asan/bin
[ -x "$BIN/evpnctl" ] || BIN=$EVPN_ROOT/build/bin
EVPNCTL=$BIN/evpnctl
CRAFT=$BIN/evpn-craft
KDP_NODES=""
KDP_PIDS=""

kdp_cleanup() {
	local p n
	for p in $KDP_PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $KDP_PIDS; do wait "$p" 2>/dev/null || true; done
	for n in $KDP_NODES; do ip netns del "kdp-$n" 2>/dev/null || true; done
}

# test_slowdown, test_scale: timeouts grow with the host's load (guest.sh
# passes the host's factor in EVPN_TEST_SLOWDOWN)
. "$EVPN_ROOT/tests/lib/slowdown.sh"

# The debug build of evpn.ko (make kmod-debug): the same module plus the
# test-only module parameters (rekey_after_packets, reject_after_packets,
# rekey_after_seconds, tx_spread, rx_spread), which production builds do not
# have.
KDP_DEBUG_KO=$EVPN_ROOT/build/kmod-debug/evpn.ko

# kdp_load_debug: load the debug build instead of the installed evpn.ko;
# without one the test cannot run: exit 77 (skip) saying why.
kdp_load_debug() {
	if [ ! -r "$KDP_DEBUG_KO" ]; then
		echo "SKIP: $KDP_DEBUG_KO missing: this test needs the test-only module parameters (make kmod-debug)"
		exit 77
	fi
	# modprobe loads what evpn.ko depends on (udp_tunnel, ...); insmod does not.
	modprobe evpn
	rmmod evpn
	insmod "$KDP_DEBUG_KO"
	[ -w /sys/module/evpn/parameters/tx_spread ] || fail "$KDP_DEBUG_KO has no test parameters (stale build?)"
}

step() { echo "== $*"; }

# kdp_wait_for SECONDS CMD [ARGS...]: run CMD every 0.1 s until it succeeds
# (return 0) or SECONDS times the load factor pass (return 1); CMD's output
# is discarded. Use it instead of a fixed sleep before a count or a check.
kdp_wait_for() {
	local end
	end=$(awk -v s="$(test_scale "$1")" -v n="$(cut -d' ' -f1 /proc/uptime)" \
		'BEGIN { printf "%.2f", n + s }')
	shift
	until "$@" > /dev/null 2>&1; do
		awk -v e="$end" -v n="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { exit !(n >= e) }' &&
			return 1
		sleep 0.1
	done
}
fail() { echo "FAIL: $*" >&2; exit 1; }
nsx() { local n=$1; shift; ip netns exec "kdp-$n" "$@"; }
ctl() { local n=$1; shift; ip netns exec "kdp-$n" "$EVPNCTL" "$@"; }

# kdp_node NAME NODE_ID INDEX [SUITE]: namespace, evpn0 with 10.77.0.INDEX/24
# and fd77::INDEX/64 and MAC 02:77:00:00:00:INDEX.
kdp_node() {
	local n=$1 id=$2 i=$3
	ip netns add "kdp-$n"
	KDP_NODES="$KDP_NODES $n"
	nsx "$n" ip link set lo up
	nsx "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	nsx "$n" ip link add evpn0 address "02:77:00:00:00:$(printf %02x "$i")" type evpn
	ctl "$n" set evpn0 node-id "$id"
	nsx "$n" ip addr add "10.77.0.$i/24" dev evpn0
	nsx "$n" ip addr add "fd77::$i/64" dev evpn0 nodad
	nsx "$n" ip link set evpn0 up
}

# kdp_wire A B SUBNET: veth A<->B, A gets SUBNET.1, B SUBNET.2 (/24),
# interfaces named u-B in A and u-A in B.
kdp_wire() {
	local a=$1 b=$2 net=$3
	ip link add "u-$b" netns "kdp-$a" type veth peer name "u-$a" netns "kdp-$b"
	nsx "$a" ip addr add "$net.1/24" dev "u-$b"
	nsx "$b" ip addr add "$net.2/24" dev "u-$a"
	nsx "$a" ip link set "u-$b" up
	nsx "$b" ip link set "u-$a" up
}

# kdp_link A AID AADDR B BID BADDR PSK [SUITE]: a static link both ways,
# each side binding its own UDP socket at its ADDR (IP:PORT).
kdp_link() {
	local a=$1 aid=$2 aaddr=$3 b=$4 bid=$5 baddr=$6 psk=$7 suite=${8:-aes-gcm}
	ctl "$a" link add evpn0 peer "$bid" local "$aaddr" remote "$baddr"
	ctl "$b" link add evpn0 peer "$aid" local "$baddr" remote "$aaddr"
	# the psk on stdin: not in /proc/PID/cmdline
	echo "$psk" | ctl "$a" key add evpn0 peer "$bid" suite "$suite" psk-file -
	echo "$psk" | ctl "$b" key add evpn0 peer "$aid" suite "$suite" psk-file -
}

# kdp_e2e A AID B BID PSK: the end-to-end pair key of two nodes that reach
# each other through transit nodes (evpnctl e2e add, evpnd's [e2e] KDF);
# without it their unicast is dropped as e2e_no_key (docs/protocol.md 14).
kdp_e2e() {
	echo "$5" | ctl "$1" e2e add evpn0 peer "$4" psk-file -
	echo "$5" | ctl "$3" e2e add evpn0 peer "$2" psk-file -
}

# drop_count NODE REASON: the device-wide drop counter for REASON (names as
# evpnctl prints them: truncated, bad_header, auth, replay, ...).
# (jq, not python3: a python start costs ~0.3 s of TCG, and tests call this
# dozens of times; -e: a reason the JSON lacks is an error, not "null")
drop_count() {
	ctl "$1" show evpn0 --json | jq -e --arg r "$2" '.interfaces[0].drops[$r]'
}

# kdp_teardown NODE...: stop the background jobs, delete each node's evpn0,
# unload the module and check the kernel log.
kdp_teardown() {
	local p n
	for p in $KDP_PIDS; do kill "$p" 2>/dev/null || true; done
	KDP_PIDS=""
	for n in "$@"; do nsx "$n" ip link del evpn0; done
	rmmod evpn
	kdp_dmesg_clean
}

kdp_dmesg_clean() {
	if dmesg | grep -Eq 'Oops|BUG:|WARNING:|Call Trace|KASAN|UBSAN|refcount_t|leak'; then
		dmesg | tail -50
		fail "kernel log shows a problem"
	fi
}

# kdp_switch: a namespace "kdp-sw" with a bridge; kdp_plug NAME INDEX gives
# node NAME the underlay address 10.2.0.INDEX/24 on it (interface "up0").
kdp_switch() {
	ip netns add kdp-sw
	KDP_NODES="$KDP_NODES sw"
	nsx sw ip link add br0 type bridge
	nsx sw ip link set br0 up
}
kdp_plug() {
	local n=$1 i=$2
	ip link add up0 netns "kdp-$n" type veth peer name "p-$n" netns kdp-sw
	nsx sw ip link set "p-$n" master br0 up
	nsx "$n" ip addr add "10.2.0.$i/24" dev up0
	nsx "$n" ip link set up0 up
}

# kdp_sw_link A AI AID B BI BID PSK [SUITE]: a link between two plugged nodes,
# each side on its own UDP port 5000 + the peer's index.
kdp_sw_link() {
	kdp_link "$1" "$3" "10.2.0.$2:$((5000 + $5))" "$4" "$6" "10.2.0.$5:$((5000 + $2))" "$7" "${8:-aes-gcm}"
}

# tx_packets NODE PEER_ID: transmitted records on NODE's link to PEER_ID.
link_tx() {
	ctl "$1" link show evpn0 | awk -v p="link $2" '$0 == p { f=1; next } /^link / { f=0 }
		f && / rx / { print $7; exit }'
}
