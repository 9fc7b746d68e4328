# shellcheck shell=bash
#
# tests/lib/l2_cases.sh -- the Open vSwitch and container checks of
# docs/ovs.md and docs/containers.md, written once for both datapaths: the
# TAP datapath on the host (tests/netns/test_ovs_tap.sh, test_cni_tap.sh;
# the overlay port is evpnd's TAP device) and evpn.ko in the VM
# (tests/vm/test_kdp_ovs.sh; the overlay port is evpn0). Sourced. The caller
# has built two sites, network namespaces SITE_A and SITE_B whose overlay
# devices PORT_A and PORT_B reach each other, and calls
#
#   ovs_case SITE_A PORT_A SITE_B PORT_B DPTYPE DIR PREFIX
#   cni_case SITE_A PORT_A SITE_B PORT_B DIR PREFIX
#
# DPTYPE is the OVS bridges' datapath_type (netdev on the host, system in the
# VM), DIR a scratch directory, PREFIX the start of the containers' namespace
# names. A failed check exits 1 (the caller's EXIT trap cleans up; it must
# call ctr_cleanup first, which stops what these cases started).

. "$EVPN_ROOT/tests/lib/ovs.sh"
. "$EVPN_ROOT/tests/lib/ctr.sh"

# iperf3 sends this many MB container to container (enough for TCP to reach
# full-size segments and a full window; small enough for a loaded TCG VM)
L2_IPERF_MB=${L2_IPERF_MB:-16}

# l2_iperf_ok RESULT: ctr_iperf sent all L2_IPERF_MB MiB within its time
# bound (TCP stalls once the socket buffers are full: a transfer that
# does not flow does not complete) and the server counted at least 1 MB
# (its count misses what was still in the buffers at the end: megabytes)
l2_iperf_ok() {
	echo "$1" | awk -v w="$L2_IPERF_MB" '{ exit !($1 >= w * 1.048 && $2 >= 1) }'
}

l2_fail() { echo "FAIL: $*" >&2; exit 1; }
l2_ok() { echo "ok: $*"; }
cx() { local c=$1; shift; ip netns exec "$L2_PREFIX$c" "$@"; }

# l2_capture NETNS IFACE FILE FILTER: tcpdump in the background until
# l2_capture_stop; waits until it listens
l2_capture() {
	ip netns exec "$1" tcpdump -n -U -i "$2" -w "$3" ${4:+"$4"} 2> "$3.err" &
	L2_TD_PID=$!
	ctr_wait_for 5 grep -q "listening on" "$3.err" || l2_fail "tcpdump on $2 did not start"
}
# l2_capture_stop FILE N: stop the capture once FILE holds N packets (or
# after the wait); prints the count
l2_pcap_count() { tcpdump -r "$1" -n 2> /dev/null | grep -c '^[0-9]'; }
l2_pcap_ge() { [ "$(l2_pcap_count "$1")" -ge "$2" ]; }
l2_capture_stop() {
	ctr_wait_for 5 l2_pcap_ge "$1" "$2" || true	# the caller judges the count
	kill -INT "$L2_TD_PID"
	wait "$L2_TD_PID" 2> /dev/null
	l2_pcap_count "$1"
}

# ovs_ctr NAME SITE_NS OVSDIR DPTYPE [PORT-ARGS...]: a container on br0
ovs_ctr() {
	local c=$1 site=$2 d=$3 dp=$4
	shift 4
	ctr_add "$site" "$L2_PREFIX$c" "v$c" "$L2_MTU" || l2_fail "container $c"
	# OVS's userspace datapath does not complete offloaded checksums
	[ "$dp" != netdev ] || ctr_csum_off "$L2_PREFIX$c" eth0
	ovs_vsctl "$d" add-port br0 "v$c" "$@" || l2_fail "add-port v$c"
}

ovs_case() {
	local sa=$1 pa=$2 sb=$3 pb=$4 dp=$5 dir=$6 s la lb dropped macB nlog r n
	L2_PREFIX=$7
	L2_MTU=$(ctr_mtu "$sa" "$pa")
	echo "containers at MTU $L2_MTU ($pa's MTU is $(ip netns exec "$sa" cat "/sys/class/net/$pa/mtu"))"
	local -A site=([A]=$sa [B]=$sb) port=([A]=$pa [B]=$pb)
	for s in A B; do
		ovs_start "${site[$s]}" "$dir/ovs$s" || l2_fail "OVS at $s: $(cat "$dir/ovs$s/start.log")"
		ovs_vsctl "$dir/ovs$s" add-br br0 -- set bridge br0 datapath_type="$dp" \
			-- add-port br0 "${port[$s]}" || l2_fail "bridge at $s"
	done
	l2_ok "OVS bridges ($dp datapath) with $pa and $pb as ports"

	ovs_ctr srvA "$sa" "$dir/ovsA" "$dp"	# dnsmasq
	ovs_ctr cA "$sa" "$dir/ovsA" "$dp"	# DHCP client, iperf3 server
	ovs_ctr cB "$sb" "$dir/ovsB" "$dp"	# DHCP client, iperf3 client
	cx srvA ip addr add 10.88.0.1/24 dev eth0
	dnsmasq_start "${L2_PREFIX}srvA" eth0 10.88.0.100 10.88.0.150 "$dir/dnsmasq.log"
	ctr_wait_for 5 grep -q 'DHCP, sockets bound' "$dir/dnsmasq.log" ||
		l2_fail "dnsmasq did not start: $(cat "$dir/dnsmasq.log")"
	macB=$(cx cB cat /sys/class/net/eth0/address)

	# --- DHCP across the overlay without rules, then blocked by OpenFlow ---
	la=$(dhcp_lease "${L2_PREFIX}cA" eth0 5) || l2_fail "no lease at A (local)"
	lb=$(dhcp_lease "${L2_PREFIX}cB" eth0 5) || l2_fail "no lease at B from A's dnsmasq"
	l2_ok "no rules: A's container leased $la, B's container leased $lb across the overlay"

	for s in A B; do
		ovs_flows_file "$EVPN_ROOT/etc/ovs/dhcp-block.flows" "${port[$s]}" |
			ovs_ofctl "$dir/ovs$s" add-flows br0 - || l2_fail "add-flows at $s"
	done
	ovs_ofctl "$dir/ovsA" dump-flows br0
	nlog=$(wc -l < "$dir/dnsmasq.log")
	la=$(dhcp_lease "${L2_PREFIX}cA" eth0 5) || l2_fail "no local lease at A with the rules"
	if lb=$(dhcp_lease "${L2_PREFIX}cB" eth0 4); then
		l2_fail "B leased $lb from A's dnsmasq despite the rules"
	fi
	tail -n +$((nlog + 1)) "$dir/dnsmasq.log" | grep -qi "DHCPDISCOVER.*$macB" &&
		l2_fail "B's DHCPDISCOVER reached dnsmasq despite the rules"
	dropped=$(ovs_flow_packets "$dir/ovsA" br0 0xd4c9)
	[ "$dropped" -ge 4 ] || l2_fail "A's rules dropped only $dropped of B's requests"
	l2_ok "rules: A leased $la locally, B none ($dropped requests dropped at A's bridge)"

	for s in A B; do
		ovs_ofctl "$dir/ovs$s" del-flows br0 cookie=0xd4c9/-1 || l2_fail "del-flows"
	done
	lb=$(dhcp_lease "${L2_PREFIX}cB" eth0 5) || l2_fail "no lease at B after deleting the rules"
	l2_ok "rules deleted: B leased $lb again"
	kill "$DNSMASQ_PID" 2> /dev/null
	wait "$DNSMASQ_PID" 2> /dev/null || true	# (callers may run with set -e)

	# --- container to container across the sites ---
	cx cA ip addr add 10.88.0.11/24 dev eth0
	cx cB ip addr add 10.88.0.12/24 dev eth0
	ctr_ping_df "${L2_PREFIX}cB" 10.88.0.11 "$L2_MTU" || l2_fail "ping -M do -s $((L2_MTU - 28)) B -> A"
	ctr_ping_df "${L2_PREFIX}cA" 10.88.0.12 "$L2_MTU" || l2_fail "ping -M do -s $((L2_MTU - 28)) A -> B"
	l2_ok "containers: ping -M do -s $((L2_MTU - 28)) both ways"
	r=$(ctr_iperf "${L2_PREFIX}cA" 10.88.0.11 "${L2_PREFIX}cB" "$L2_IPERF_MB") ||
		l2_fail "iperf3 B -> A did not complete"
	echo "iperf3 container B -> container A through OVS ($dp): $r (MB sent, MB received, Mbit/s, retransmits)"
	l2_iperf_ok "$r" ||
		l2_fail "iperf3: $r"
	l2_ok "containers: iperf3 TCP ${r%% *} MB"

	# --- VLAN trunking: the overlay port is a trunk, containers on access ports ---
	ovs_ctr v10A "$sa" "$dir/ovsA" "$dp" tag=10
	ovs_ctr v10B "$sb" "$dir/ovsB" "$dp" tag=10
	ovs_ctr v20B "$sb" "$dir/ovsB" "$dp" tag=20
	cx v10A ip addr add 10.89.0.1/24 dev eth0
	cx v10B ip addr add 10.89.0.2/24 dev eth0
	cx v20B ip addr add 10.89.0.3/24 dev eth0
	l2_capture "$sb" "$pb" "$dir/vlan.pcap" 'vlan 10 and icmp'
	ctr_ping_df "${L2_PREFIX}v10A" 10.89.0.2 "$L2_MTU" || l2_fail "VLAN 10 ping A -> B"
	n=$(l2_capture_stop "$dir/vlan.pcap" 6)
	[ "$n" -ge 6 ] || l2_fail "only $n VLAN 10 ICMP frames on $pb"
	if cx v10A ping -c 2 -i 0.3 -W 1 10.89.0.3 > /dev/null; then
		l2_fail "VLAN 10 reached a VLAN 20 port"
	fi
	l2_ok "VLAN 10 across the overlay (tagged on $pb: $n frames), VLAN 20 isolated"

	for s in A B; do
		ovs_vsctl "$dir/ovs$s" del-br br0
		ovs_stop "$dir/ovs$s"
	done
}

# cni_add NAME SITE_NS CONF: container NAME attached by the CNI plugin of
# CONF run in SITE_NS; sets IP; checks eth0's address and MTU
cni_add() {
	local c=$1 site=$2 conf=$3 ns=$L2_PREFIX$1 m
	ip netns add "$ns" || l2_fail "netns $ns"
	CTR_NSES+=("$ns")
	cni_run "$site" ADD "$ns" "$conf" > "$L2_DIR/$c.result" ||
		l2_fail "CNI ADD $c: $(cat "$L2_DIR/$c.result")"
	IP=$(cni_result_ip "$L2_DIR/$c.result") || l2_fail "no address for $c"
	m=$(ip netns exec "$ns" cat /sys/class/net/eth0/mtu)
	[ "$m" = "$L2_MTU" ] || l2_fail "$c: eth0 MTU $m, not $L2_MTU"
	ip -n "$ns" -4 addr show dev eth0 | grep -q "inet $IP/24" || l2_fail "$c: $IP not on eth0"
}

cni_case() {
	local sa=$1 pa=$2 sb=$3 pb=$4 dir=$5 s ip1 ip2 ip3 r
	L2_PREFIX=$6 L2_DIR=$dir
	L2_MTU=$(ctr_mtu "$sa" "$pa")
	echo "containers at MTU $L2_MTU ($pa's MTU is $(ip netns exec "$sa" cat "/sys/class/net/$pa/mtu"))"
	local -A site=([A]=$sa [B]=$sb) port=([A]=$pa [B]=$pb)
	# Each site: the bridge with the overlay port (docs/containers.md); no
	# bridge netfilter (the test host has br_netfilter loaded)
	for s in A B; do
		ip netns exec "${site[$s]}" sh -c 'for f in /proc/sys/net/bridge/bridge-nf-call-*; do
			[ -w "$f" ] && echo 0 > "$f"; done; exit 0'
		ip -n "${site[$s]}" link add evbr0 type bridge stp_state 0 forward_delay 0
		ip -n "${site[$s]}" link set "${port[$s]}" master evbr0
		ip -n "${site[$s]}" link set evbr0 up
	done
	# A's DHCP server, on the bridge of site A (the site's host)
	ip -n "$sa" addr add 10.88.0.1/24 dev evbr0
	dnsmasq_start "$sa" evbr0 10.88.0.100 10.88.0.150 "$dir/dnsmasq.log"
	ctr_wait_for 5 grep -q 'DHCP, sockets bound' "$dir/dnsmasq.log" ||
		l2_fail "dnsmasq did not start: $(cat "$dir/dnsmasq.log")"

	# The example configs, with this test's MTU, host-local state dir, one
	# address range per site and the dhcp daemon's socket
	cni_conf "$EVPN_ROOT/etc/cni/evpn-bridge.conf" "$dir/A.conf" "mtu=$L2_MTU" \
		"ipam.dataDir=\"$dir/cniA\""
	cni_conf "$EVPN_ROOT/etc/cni/evpn-bridge.conf" "$dir/B.conf" "mtu=$L2_MTU" \
		"ipam.dataDir=\"$dir/cniB\"" \
		'ipam.ranges=[[{"subnet": "10.88.0.0/24", "rangeStart": "10.88.0.60", "rangeEnd": "10.88.0.99"}]]'
	cni_conf "$EVPN_ROOT/etc/cni/evpn-bridge-dhcp.conf" "$dir/Bdhcp.conf" "mtu=$L2_MTU" \
		"ipam.daemonSocketPath=\"$dir/cni-dhcp.sock\""
	ip netns exec "$sb" "$CNI_PATH/dhcp" daemon -socketpath "$dir/cni-dhcp.sock" \
		> "$dir/cni-dhcp.log" 2>&1 &
	CNI_DHCP_PID=$!
	ctr_wait_for 5 test -S "$dir/cni-dhcp.sock" || l2_fail "CNI dhcp daemon did not start"

	cni_add c1 "$sa" "$dir/A.conf";     ip1=$IP
	cni_add c2 "$sb" "$dir/B.conf";     ip2=$IP
	cni_add c3 "$sb" "$dir/Bdhcp.conf"; ip3=$IP
	case "$ip1:$ip2:$ip3" in
	10.88.0.[1-5][0-9]:10.88.0.[6-9][0-9]:10.88.0.1[0-5][0-9]) ;;
	*) l2_fail "addresses $ip1 $ip2 $ip3 not from their ranges" ;;
	esac
	grep -q "DHCPACK(evbr0) $ip3" "$dir/dnsmasq.log" || l2_fail "dnsmasq did not lease $ip3"
	l2_ok "CNI ADD: c1 at A $ip1 (host-local), c2 at B $ip2 (host-local), c3 at B $ip3 (DHCP from A's dnsmasq), eth0 MTU $L2_MTU"

	# CHECK (and DEL) get the ADD's result as prevResult, as a runtime passes it
	cni_conf "$dir/A.conf" "$dir/A.check" "prevResult=$(cat "$dir/c1.result")"
	cni_run "$sa" CHECK "${L2_PREFIX}c1" "$dir/A.check" > "$dir/check.out" 2>&1 ||
		l2_fail "CNI CHECK c1: $(cat "$dir/check.out")"
	ctr_ping_df "${L2_PREFIX}c2" "$ip1" "$L2_MTU" || l2_fail "ping -M do c2 -> c1"
	ctr_ping_df "${L2_PREFIX}c3" "$ip1" "$L2_MTU" || l2_fail "ping -M do c3 -> c1"
	ctr_ping_df "${L2_PREFIX}c1" "$ip3" "$L2_MTU" || l2_fail "ping -M do c1 -> c3"
	l2_ok "CNI CHECK; ping -M do -s $((L2_MTU - 28)) across the sites"
	r=$(ctr_iperf "${L2_PREFIX}c1" "$ip1" "${L2_PREFIX}c2" "$L2_IPERF_MB") ||
		l2_fail "iperf3 c2 -> c1 did not complete"
	echo "iperf3 container c2 (B) -> c1 (A) through Linux bridges: $r (MB sent, MB received, Mbit/s, retransmits)"
	l2_iperf_ok "$r" ||
		l2_fail "iperf3: $r"
	l2_ok "iperf3 TCP ${r%% *} MB"

	cni_run "$sb" DEL "${L2_PREFIX}c3" "$dir/Bdhcp.conf" || l2_fail "CNI DEL c3"
	# the dhcp daemon stops renewing c3's lease (its DHCPRELEASE fails in
	# containernetworking-plugins 1.1.1: "no such device", the plugin removes
	# the interface first; dnsmasq frees the address when the lease expires)
	ctr_wait_for 5 grep -q "c3/evpn-dhcp/eth0: releasing lease" "$dir/cni-dhcp.log" ||
		l2_fail "c3's lease not given up: $(cat "$dir/cni-dhcp.log")"
	cni_run "$sa" DEL "${L2_PREFIX}c1" "$dir/A.check" || l2_fail "CNI DEL c1"
	ip -n "${L2_PREFIX}c1" link show eth0 > /dev/null 2>&1 && l2_fail "c1's eth0 still there"
	[ ! -e "$dir/cniA/evpn/$ip1" ] || l2_fail "host-local kept $ip1"
	l2_ok "CNI DEL: interfaces gone, host-local address freed, DHCP lease given up"

	kill "$DNSMASQ_PID" "$CNI_DHCP_PID" 2> /dev/null
	wait "$DNSMASQ_PID" "$CNI_DHCP_PID" 2> /dev/null || true	# killed: status 143
	for s in A B; do
		ip -n "${site[$s]}" link set "${port[$s]}" nomaster
		ip -n "${site[$s]}" link del evbr0
	done
}
