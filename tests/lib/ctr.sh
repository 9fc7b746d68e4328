# shellcheck shell=bash
#
# tests/lib/ctr.sh -- containers on the overlay, for the end-to-end tests
# (tests/netns on the host, tests/vm in the VM). Sourced. A "container" is
# what a container runtime makes: a network namespace whose eth0 is one end
# of a veth pair, the other end plugged into a bridge at its site (a Linux
# bridge or an OVS bridge that also holds the overlay port). See
# docs/containers.md.
#
#   ctr_mtu NETNS DEV            the MTU containers get (see CTR_MTU below)
#   ctr_add SITE_NS CTR_NS PEER MTU   container CTR_NS, its eth0 paired
#                                with PEER in SITE_NS (both up, MTU set)
#   ctr_cleanup [NETNS...]       kill every process in the containers (and
#                                in each NETNS), delete the containers
#   ctr_wait_for SECS CMD...     the harness's wait (ns_wait_for on the host,
#                                kdp_wait_for in the VM)
#   cni_run SITE_NS CMD CTR_NS CONF [PLUGIN]   run a CNI plugin as a runtime
#                                does (env + config on stdin)
#   dnsmasq_start NS IFACE FIRST LAST LOG   a DHCP server (nothing else)
#   dhcp_lease NS IFACE TRIES    try to get a DHCP lease (busybox udhcpc);
#                                prints the leased address, fails without
#   ctr_ping_df NS ADDR MTU      full-size ping, Don't Fragment set
#   ctr_iperf NS_SRV ADDR NS_CLI MB   iperf3 TCP sending MB megabytes;
#                                prints MB sent, MB received (the server's
#                                count, which misses the last bytes in
#                                flight), Mbit/s, retransmits

# CTR_MTU: the MTU of the containers' interfaces, the one place to change it:
# 1500, the MTU every container runtime defaults to, which evpn0 carries
# since issue 13 item 1 (frames larger than one record travel as fragment
# records, docs/protocol.md 10.2). Empty: the overlay device's own MTU, read
# from the device. EVPN_CTR_MTU overrides it for one run (e.g.
# EVPN_CTR_MTU=1346 TESTS=ovs tests/run.sh netns, nothing split).
CTR_MTU=${EVPN_CTR_MTU-1500}

ctr_mtu() {
	if [ -n "$CTR_MTU" ]; then
		echo "$CTR_MTU"
	else
		ip netns exec "$1" cat "/sys/class/net/$2/mtu"
	fi
}

CTR_NSES=()

ctr_add() {
	local site=$1 ns=$2 peer=$3 mtu=$4
	ip netns add "$ns" || return 1
	CTR_NSES+=("$ns")
	ip -n "$ns" link set lo up
	ip link add eth0 netns "$ns" mtu "$mtu" type veth peer name "$peer" \
		netns "$site" mtu "$mtu" || return 1
	ip -n "$ns" link set eth0 up
	ip -n "$site" link set "$peer" up
}

ctr_cleanup() {
	local ns
	for ns in "${CTR_NSES[@]}" "$@"; do
		ip netns pids "$ns" 2> /dev/null | xargs -r kill -9 2> /dev/null
	done
	for ns in "${CTR_NSES[@]}"; do
		ip netns del "$ns" 2> /dev/null
	done
	CTR_NSES=()
	return 0
}

ctr_wait_for() {
	if declare -F ns_wait_for > /dev/null; then
		ns_wait_for "$@"
	else
		kdp_wait_for "$@"
	fi
}

# ctr_csum_off NS IFACE: compute checksums in software on IFACE. Needed on
# the veths of OVS's userspace datapath (datapath_type=netdev), which
# forwards a frame with a checksum left to offload as it is: the receiver
# then drops it (docs/ovs.md "Host without the openvswitch module")
ctr_csum_off() {
	ip netns exec "$1" ethtool -K "$2" tx off > /dev/null
}

# cni_run SITE_NS CMD CTR_NS CONF [PLUGIN]: what a container runtime does
# to attach CTR_NS (its eth0) to the network of CONF: run the plugin named by
# CONF's "type" (or PLUGIN) from CNI_PATH with CNI_COMMAND=CMD (ADD, CHECK,
# DEL), the container's netns path and the config on stdin. The plugin runs
# in SITE_NS, the "host" of the container. Prints the plugin's result.
CNI_PATH=${CNI_PATH:-/usr/lib/cni}
cni_run() {
	local site=$1 cmd=$2 ns=$3 conf=$4 plugin=${5:-}
	[ -n "$plugin" ] || plugin=$(/usr/bin/python3 -c \
		'import json,sys; print(json.load(open(sys.argv[1]))["type"])' "$conf")
	ip netns exec "$site" env CNI_COMMAND="$cmd" CNI_CONTAINERID="$ns" \
		CNI_NETNS="/var/run/netns/$ns" CNI_IFNAME=eth0 CNI_PATH="$CNI_PATH" \
		"$CNI_PATH/$plugin" < "$conf"
}

# cni_conf EXAMPLE OUT KEY=JSON...: write the example config EXAMPLE (from
# etc/cni/) to OUT with top-level or "ipam.KEY" fields replaced
cni_conf() {
	local in=$1 out=$2
	shift 2
	/usr/bin/python3 - "$in" "$out" "$@" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    d = c
    *path, last = k.split(".")
    for p in path:
        d = d[p]
    d[last] = json.loads(v)
json.dump(c, open(sys.argv[2], "w"), indent=1)
EOF
}

# cni_result_ip FILE: the first address of a CNI ADD result, without prefix
cni_result_ip() {
	/usr/bin/python3 -c \
		'import json,sys; print(json.load(open(sys.argv[1]))["ips"][0]["address"].split("/")[0])' "$1"
}

dnsmasq_start() {
	local ns=$1 ifc=$2 first=$3 last=$4 log=$5
	ip netns exec "$ns" dnsmasq --no-daemon --conf-file=/dev/null --port=0 \
		--interface="$ifc" --bind-interfaces --log-dhcp --log-facility=- \
		--dhcp-range="$first,$last,255.255.255.0,1h" \
		--dhcp-leasefile="${log%.log}.leases" > "$log" 2>&1 &
	DNSMASQ_PID=$!
}

# dhcp_lease NS IFACE TRIES: TRIES DHCPDISCOVERs 1 s (scaled by the load)
# apart; the address is not configured (the test only asks who answers)
dhcp_lease() {
	local out t
	t=$(test_scale 1 | awk '{ printf "%d", $1 + 0.5 }')
	out=$(ip netns exec "$1" busybox udhcpc -i "$2" -n -q -f -t "$3" -T "$t" \
		-s /bin/true 2>&1)
	echo "$out" | sed -n 's/.*lease of \([0-9.]*\) obtained.*/\1/p' | grep .
}

ctr_ping_df() {
	ip netns exec "$1" ping -c 3 -i 0.2 -W 3 -M do -s $(($3 - 28)) "$2" > /dev/null
}

ctr_iperf() {
	local srv=$1 addr=$2 cli=$3 mb=$4 out sp i
	ip netns exec "$srv" iperf3 -s -1 -B "$addr" > /dev/null 2>&1 &
	sp=$!
	for i in $(seq "$(test_scale 50 | cut -d. -f1)"); do
		ip netns exec "$srv" ss -H -ltn "sport = :5201" 2>/dev/null | grep -q . && break
		sleep 0.1
	done
	# a fixed amount, not a fixed time: a loaded machine (or TCG VM) is slow,
	# never wrong; the bound only catches a stalled transfer
	out=$(timeout "$(test_scale 60 | cut -d. -f1)" \
		ip netns exec "$cli" iperf3 -c "$addr" -n "${mb}M" -J) || {
		kill "$sp" 2> /dev/null; return 1; }
	wait "$sp"
	echo "$out" | /usr/bin/python3 -c '
import json, sys
e = json.load(sys.stdin)["end"]
print("%.1f %.1f %.0f %d" % (e["sum_sent"]["bytes"] / 1e6, e["sum_received"]["bytes"] / 1e6,
	e["sum_received"]["bits_per_second"] / 1e6, e["sum_sent"].get("retransmits", 0)))'
}
