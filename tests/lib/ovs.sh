# shellcheck shell=bash
#
# tests/lib/ovs.sh -- a private Open vSwitch per network namespace, for the
# end-to-end tests (tests/netns on the host, tests/vm in the VM). Sourced.
#
# Each "site" of a test runs its own ovsdb-server and ovs-vswitchd inside
# the site's namespace, with every file (database, sockets, pid files, logs)
# in a directory of the test: nothing touches the system's OVS (/etc, /run,
# /var/log), and two tests never share a daemon. OVS manages the ports it
# sees in its own namespace, so each site's bridge, its overlay port (evpn0 or
# evpnd's TAP device) and the host ends of its container veths live there.
#
#   ovs_start NETNS DIR       start both daemons in NETNS, state in DIR
#   ovs_vsctl DIR ARGS...     ovs-vsctl against DIR's database (waits for
#                             ovs-vswitchd to apply a change, bounded)
#   ovs_ofctl DIR CMD BR ARGS...   ovs-ofctl CMD on bridge BR of DIR
#   ovs_stop DIR              stop both daemons and remove the datapath
#                             (cleanup also kills them with the namespace's
#                             processes)
#
# The datapath: the host of these tests has no openvswitch kernel module, so
# host tests create bridges with datapath_type=netdev (OVS's userspace
# datapath); the VM loads the module and uses the kernel datapath ("system").
# The commands are the ones docs/ovs.md shows, with the paths made explicit.

OVS_SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}

# ovs_require: exit 77 unless the OVS tools are installed
ovs_require() {
	local c
	for c in ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-ofctl ovs-appctl; do
		command -v "$c" > /dev/null || {
			echo "SKIP: $c missing (install openvswitch-switch)"; exit 77; }
	done
	[ -r "$OVS_SCHEMA" ] || { echo "SKIP: $OVS_SCHEMA missing (openvswitch-switch)"; exit 77; }
}

ovs_start() {
	local ns=$1 d=$2
	mkdir -p "$d"
	ovsdb-tool create "$d/conf.db" "$OVS_SCHEMA" || return 1
	ip netns exec "$ns" ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" \
		--pidfile="$d/ovsdb-server.pid" --unixctl="$d/ovsdb-server.ctl" \
		--log-file="$d/ovsdb-server.log" --detach --no-chdir 2>> "$d/start.log" ||
		return 1
	ovs-vsctl --db="unix:$d/db.sock" --no-wait init || return 1
	# OVS_RUNDIR: where ovs-vswitchd puts each bridge's OpenFlow socket
	# (BRIDGE.mgmt), which ovs_ofctl connects to
	OVS_RUNDIR=$d ip netns exec "$ns" ovs-vswitchd "unix:$d/db.sock" \
		--pidfile="$d/ovs-vswitchd.pid" --unixctl="$d/ovs-vswitchd.ctl" \
		--log-file="$d/ovs-vswitchd.log" --detach --no-chdir 2>> "$d/start.log"
}

ovs_vsctl() {
	local d=$1
	shift
	ovs-vsctl -vconsole:err --timeout="$(test_scale 20 | cut -d. -f1)" --db="unix:$d/db.sock" "$@"
}

ovs_ofctl() {
	local d=$1 cmd=$2 br=$3
	shift 3
	ovs-ofctl "$cmd" "unix:$d/$br.mgmt" "$@"
}

ovs_stop() {
	local d=$1
	# --cleanup: also remove the kernel datapath (it outlives the daemon)
	ovs-appctl -t "$d/ovs-vswitchd.ctl" exit --cleanup 2> /dev/null
	ovs-appctl -t "$d/ovsdb-server.ctl" exit 2> /dev/null
	return 0
}

# ovs_flows_file FILE OVERLAY_PORT: FILE (an example from etc/ovs/, written
# for the port evpn0) with the overlay port renamed, on stdout
ovs_flows_file() {
	sed "s/in_port=evpn0,/in_port=$2,/" "$1"
}

# ovs_flow_packets DIR BR COOKIE: packets matched by the flows with COOKIE
ovs_flow_packets() {
	ovs_ofctl "$1" dump-flows "$2" "cookie=$3/-1" |
		sed -n 's/.*n_packets=\([0-9]*\),.*/\1/p' | awk '{ s += $1 } END { print s + 0 }'
}
