# shellcheck shell=bash
#
# tests/netns/lib.sh -- network-namespace test harness for evpn.
#
# Source it from a test script (bash, `set -euo pipefail` safe):
#
#   #!/bin/bash
#   set -euo pipefail
#   . "$(dirname "$0")/lib.sh"
#   ns_init                      # root check, prefix, temp dir, cleanup trap
#   ns_switch inet               # a LAN ("the internet")
#   ns_host pub;  ns_switch_port inet pub eth0 10.99.0.10/24
#   ns_nat_router r1 ei;  ns_switch_port inet r1 eth0 10.99.0.1/24
#   ns_host a;    ns_link r1 lan0 192.168.1.1/24 a eth0 192.168.1.2/24
#   ns_route a default via 192.168.1.1
#   turn_start pub 10.99.0.10
#   ns_exec a ping -c1 10.99.0.10
#
# Naming: every function takes SHORT namespace names ("a", "r1", "pub"); the
# real namespace is "$NS_PREFIX<short>" (see ns_name).  NS_PREFIX is derived
# from the test's file name, so it is unique per test and stable between
# runs: ns_init first removes whatever a crashed earlier run of the same test
# left behind (processes, namespaces, temp dir).
#
# Safety: every link is created directly inside test namespaces (nothing is
# created in, or routed through, the host's own namespace), and the servers
# listen only on the addresses the test gives them.
#
# Exit codes: tests exit 0 = pass, 77 = skip (ns_skip), anything else = fail.
#
# Variables exported to tests after ns_init:
#   EVPN_ROOT   repository root (set from this file's location if unset)
#   NS_PREFIX   namespace name prefix of this test, e.g. "evharness_nat-"
#   NS_DIR      per-test temp dir (logs, configs, certs); removed on exit
#   NS_LAST_PID pid of the last ns_bg process (also printed by ns_bg)
#   TURN_USER TURN_PASS TURN_REALM TURN_PORT   coturn credentials/port
#   TURN_PID                                   pid of the last turn_start
#   XMPP_DOMAIN XMPP_MUC XMPP_PORT XMPP_CA     prosody domain, MUC, port, CA file
#   PROSODY_CFG PROSODY_PID                    prosody config path and pid

: "${EVPN_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
export EVPN_ROOT
# test_slowdown, test_scale: timeouts grow with the machine's load
. "$(dirname "${BASH_SOURCE[0]}")/../lib/slowdown.sh"

TURN_USER=${TURN_USER:-evpn}
TURN_PASS=${TURN_PASS:-evpn-turn-pass}
TURN_REALM=${TURN_REALM:-evpn.test}
TURN_PORT=${TURN_PORT:-3478}
XMPP_DOMAIN=${XMPP_DOMAIN:-evpn.test}
XMPP_MUC=${XMPP_MUC:-conference.$XMPP_DOMAIN}
XMPP_PORT=${XMPP_PORT:-5222}
XMPP_CA=
NS_PREFIX=
NS_DIR=
NS_LAST_PID=

# ---------------------------------------------------------------------------
# ns_log MSG...   -- print a progress line to stderr ("[test] MSG").
# ns_fail MSG...  -- print "FAIL: MSG" to stderr and exit 1 (cleanup runs).
# ns_skip MSG...  -- print "SKIP: MSG" and exit 77 (cleanup runs).
# ---------------------------------------------------------------------------
ns_log()  { echo "[${NS_TEST:-test}] $*" >&2; }
ns_fail() { echo "FAIL: $*" >&2; exit 1; }
ns_skip() { echo "SKIP: $*" >&2; exit 77; }

# ---------------------------------------------------------------------------
# ns_require CMD...
#   Skip the test (exit 77) unless every CMD is found in PATH.
# ---------------------------------------------------------------------------
ns_require()
{
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || ns_skip "missing command: $c"
	done
}

# ---------------------------------------------------------------------------
# ns_bin NAME
#   Print the path of a project binary: build/asan/bin/NAME if present
#   (tests run the sanitizer build), else build/bin/NAME.  Returns 1 (and
#   prints nothing) if neither exists.
# ---------------------------------------------------------------------------
ns_bin()
{
	local p
	for p in "$EVPN_ROOT/build/asan/bin/$1" "$EVPN_ROOT/build/bin/$1"; do
		if [ -x "$p" ]; then echo "$p"; return 0; fi
	done
	return 1
}

# ---------------------------------------------------------------------------
# ns_init [NAME]
#   Start a test: require root; set NS_TEST (NAME, default: the script's file
#   name without "test_" and ".sh"), NS_PREFIX ("ev<TAG><NAME>-") and NS_DIR
#   (${TMPDIR:-/tmp}/evpn-netns/<TAG><NAME>, world-readable so unprivileged
#   servers can read their configs); clean up the leftovers of a previous run
#   with the same prefix; install the cleanup trap on EXIT, INT, TERM, HUP
#   and PIPE (e.g. `test | head` does not leave namespaces behind).
#   TAG is $EVPN_NS_TAG (default empty): two checkouts running the same test
#   at once on one machine stay apart when one of them sets it.
# ---------------------------------------------------------------------------
ns_init()
{
	local base
	base=$(basename "${1:-$0}" .sh)
	NS_TEST=${base#test_}
	NS_PREFIX="ev${EVPN_NS_TAG:-}${NS_TEST}-"
	NS_DIR="${TMPDIR:-/tmp}/evpn-netns/${EVPN_NS_TAG:-}$NS_TEST"
	XMPP_CA="$NS_DIR/pki/ca.crt"
	[ "$(id -u)" = 0 ] || ns_skip "needs root"
	ns_require ip nft
	export NS_TEST NS_PREFIX NS_DIR XMPP_CA

	ns_cleanup_prefix
	rm -rf "$NS_DIR"
	mkdir -p "$NS_DIR"
	chmod 755 "$NS_DIR" "$(dirname "$NS_DIR")"
	: >"$NS_DIR/pids"

	trap 'ns_cleanup' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	trap 'exit 141' PIPE
}

# ---------------------------------------------------------------------------
# ns_cleanup
#   The EXIT trap: kill every process in this test's namespaces (and every
#   pid ns_bg recorded), delete the namespaces, remove NS_DIR.  On failure
#   (non-zero exit status) first print the tail of each log in NS_DIR, unless
#   NS_QUIET_LOGS=1.  Set NS_KEEP=1 to keep NS_DIR for inspection.
#   Idempotent; never fails.
# ---------------------------------------------------------------------------
ns_cleanup()
{
	local rc=$? f
	set +e
	# a second Ctrl-C or TERM must not cut the cleanup short
	trap - EXIT
	trap '' INT TERM HUP PIPE
	if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ "${NS_QUIET_LOGS:-0}" != 1 ] &&
	   [ -d "$NS_DIR" ]; then
		for f in "$NS_DIR"/*.log "$NS_DIR"/*/*.log; do
			[ -s "$f" ] || continue
			echo "---- tail of $f ----" >&2
			tail -n 25 "$f" >&2
		done
	fi
	ns_cleanup_prefix
	if [ "${NS_KEEP:-0}" = 1 ]; then
		echo "NS_KEEP=1: leaving $NS_DIR" >&2
	else
		rm -rf "$NS_DIR"
	fi
	exit "$rc"
}

# ---------------------------------------------------------------------------
# ns_cleanup_prefix
#   Kill all processes in, and delete, every namespace whose name starts with
#   NS_PREFIX, and kill the pids recorded in NS_DIR/pids.  Used by ns_init
#   (leftovers of a crashed run) and ns_cleanup.
# ---------------------------------------------------------------------------
ns_cleanup_prefix()
{
	local nss ns pids="" p i
	[ -n "$NS_PREFIX" ] || return 0
	nss=$(ip netns list 2>/dev/null | awk -v p="$NS_PREFIX" \
		'index($1, p) == 1 { print $1 }')
	for ns in $nss; do
		pids="$pids $(ip netns pids "$ns" 2>/dev/null)"
	done
	if [ -f "$NS_DIR/pids" ]; then
		for p in $(cat "$NS_DIR/pids"); do
			kill -0 "$p" 2>/dev/null && pids="$pids $p"
		done
	fi
	pids=$(echo $pids)
	if [ -n "$pids" ]; then
		kill -TERM $pids 2>/dev/null
		for i in $(seq 20); do
			kill -0 $pids 2>/dev/null || break
			sleep 0.05
		done
		kill -KILL $pids 2>/dev/null
		# reap our own children quietly (others were reparented)
		wait 2>/dev/null
	fi
	for ns in $nss; do
		ip netns del "$ns" 2>/dev/null
	done
	return 0
}

# ---------------------------------------------------------------------------
# ns_name SHORT      -- print the full namespace name for SHORT.
# ---------------------------------------------------------------------------
ns_name() { echo "${NS_PREFIX}$1"; }

# ---------------------------------------------------------------------------
# ns_host SHORT
#   Create an empty namespace ("host") with lo up, bridge netfilter off
#   (the host has br_netfilter loaded; it would send bridged frames through
#   iptables), IPv6 DAD off (addresses usable at once), forwarding off.
# ---------------------------------------------------------------------------
ns_host()
{
	local ns
	ns=$(ns_name "$1")
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sh -c '
		for f in /proc/sys/net/bridge/bridge-nf-call-arptables \
			 /proc/sys/net/bridge/bridge-nf-call-iptables \
			 /proc/sys/net/bridge/bridge-nf-call-ip6tables; do
			[ -w "$f" ] && echo 0 >"$f"
		done
		echo 0 >/proc/sys/net/ipv6/conf/all/accept_dad
		echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad
		exit 0' 2>/dev/null || true
}

# ---------------------------------------------------------------------------
# ns_exec SHORT CMD [ARGS...]   -- run CMD in namespace SHORT (foreground).
# ---------------------------------------------------------------------------
ns_exec()
{
	local ns
	ns=$(ns_name "$1")
	shift
	ip netns exec "$ns" "$@"
}

# ---------------------------------------------------------------------------
# ns_ip SHORT ARGS...   -- `ip -n <namespace> ARGS...` (e.g. ns_ip a link).
# ---------------------------------------------------------------------------
ns_ip()
{
	local ns
	ns=$(ns_name "$1")
	shift
	ip -n "$ns" "$@"
}

# ---------------------------------------------------------------------------
# ns_bg SHORT LOGFILE CMD [ARGS...]
#   Start CMD in namespace SHORT in the background, stdin from /dev/null,
#   stdout+stderr to LOGFILE (relative names go into NS_DIR).  Prints the pid
#   and sets NS_LAST_PID (when not called inside $(...)).  Cleanup kills it.
#   Use:  pid=$(ns_bg a a.log prog --flag)
# ---------------------------------------------------------------------------
ns_bg()
{
	local ns log
	ns=$(ns_name "$1")
	log=$2
	shift 2
	case "$log" in /*) ;; *) log="$NS_DIR/$log" ;; esac
	ip netns exec "$ns" "$@" >"$log" 2>&1 </dev/null &
	NS_LAST_PID=$!
	echo "$NS_LAST_PID" >>"$NS_DIR/pids"
	echo "$NS_LAST_PID"
}

# ---------------------------------------------------------------------------
# ns_kill PID...
#   Stop processes started with ns_bg: TERM, wait up to 2 s, then KILL.
# ---------------------------------------------------------------------------
ns_kill()
{
	local i
	kill -TERM "$@" 2>/dev/null || true
	for i in $(seq 40); do
		kill -0 "$@" 2>/dev/null || return 0
		sleep 0.05
	done
	kill -KILL "$@" 2>/dev/null || true
}

# ---------------------------------------------------------------------------
# ns_wait_for SECONDS CMD [ARGS...]
#   Run CMD every 0.1 s until it succeeds (return 0) or the timeout passes
#   (return 1).  CMD's output is discarded.  The timeout is SECONDS (may be
#   fractional, as measured on an idle machine) times test_slowdown (the
#   machine's load per CPU, 1..4; tests/lib/slowdown.sh), so a loaded run
#   waits longer instead of failing.  Use it for every wait on a condition,
#   including the "had its chance" event before a negative check.
# ---------------------------------------------------------------------------
ns_wait_for()
{
	local secs end now
	secs=$(test_scale "$1")
	shift
	end=$(awk -v s="$secs" -v n="$(date +%s.%N)" 'BEGIN { printf "%.3f", n + s }')
	while :; do
		if "$@" >/dev/null 2>&1; then return 0; fi
		now=$(date +%s.%N)
		awk -v a="$now" -v b="$end" 'BEGIN { exit !(a >= b) }' && return 1
		sleep 0.1
	done
}

# ---------------------------------------------------------------------------
# ns_addr SHORT IFNAME ADDR[,ADDR...]
#   Add addresses (CIDR; IPv4 or IPv6) to IFNAME in SHORT; "-" adds none.
# ---------------------------------------------------------------------------
ns_addr()
{
	local ns=$1 ifn=$2 a
	[ "$3" = "-" ] && return 0
	for a in ${3//,/ }; do
		ip -n "$(ns_name "$ns")" addr add "$a" dev "$ifn"
	done
}

# ---------------------------------------------------------------------------
# ns_link A IFA ADDRA B IFB ADDRB
#   Connect namespaces A and B with a veth pair (IFA in A, IFB in B), add
#   the addresses ("-" for none, comma-separated for several) and bring both
#   ends up.  Created directly in the namespaces: no name clash on the host.
# ---------------------------------------------------------------------------
ns_link()
{
	local a=$1 ifa=$2 addra=$3 b=$4 ifb=$5 addrb=$6
	ip -n "$(ns_name "$a")" link add "$ifa" type veth \
		peer name "$ifb" netns "$(ns_name "$b")"
	ns_addr "$a" "$ifa" "$addra"
	ns_addr "$b" "$ifb" "$addrb"
	ip -n "$(ns_name "$a")" link set "$ifa" up
	ip -n "$(ns_name "$b")" link set "$ifb" up
}

# ---------------------------------------------------------------------------
# ns_switch SHORT
#   Create a "switch": a namespace holding a bridge br0 (STP off, so ports
#   forward at once).  Attach hosts with ns_switch_port.
# ---------------------------------------------------------------------------
ns_switch()
{
	ns_host "$1"
	ip -n "$(ns_name "$1")" link add br0 type bridge stp_state 0 forward_delay 0
	ip -n "$(ns_name "$1")" link set br0 up
}

# ---------------------------------------------------------------------------
# ns_switch_port SWITCH HOST IFNAME ADDR
#   Plug HOST into SWITCH: a veth pair whose HOST end is IFNAME (with ADDR,
#   "-" for none) and whose switch end (p1, p2, ...) is enslaved to br0.
# ---------------------------------------------------------------------------
ns_switch_port()
{
	local sw=$1 host=$2 ifn=$3 addr=$4 n port
	n=$(ip -n "$(ns_name "$sw")" -o link show | wc -l)
	port="p$n"
	ns_link "$host" "$ifn" "$addr" "$sw" "$port" -
	ip -n "$(ns_name "$sw")" link set "$port" master br0
}

# ---------------------------------------------------------------------------
# ns_route SHORT ROUTE...
#   `ip route add ROUTE...` in SHORT, e.g. ns_route a default via 192.168.1.1
# ---------------------------------------------------------------------------
ns_route()
{
	local ns
	ns=$(ns_name "$1")
	shift
	ip -n "$ns" route add "$@"
}

# ---------------------------------------------------------------------------
# ns_nat_router SHORT MODE
#   Create a NAT router namespace: IPv4 forwarding on, nftables NAT on the
#   WAN interface "eth0" for traffic from the LAN interface "lan0" (connect
#   both afterwards, e.g. ns_switch_port inet SHORT eth0 ... and
#   ns_link SHORT lan0 ... host eth0 ...).  MODE:
#     ei        endpoint-independent mapping, port-preserving (`masquerade`)
#     ei-range  endpoint-independent, ports translated into 20000-29999
#     sym       symmetric: new random port per destination
#               (`masquerade fully-random`)
#   All modes drop unsolicited inbound packets on eth0 (input and forward:
#   `iifname "eth0" ct state new,invalid drop`), like a home router; without
#   it a peer's early packet leaves a conntrack entry that breaks hole
#   punching between two endpoint-independent NATs.  No hairpinning.
# ---------------------------------------------------------------------------
ns_nat_router()
{
	local r=$1 mode=$2 masq
	case "$mode" in
	ei)       masq='oifname "eth0" masquerade' ;;
	ei-range) masq='oifname "eth0" meta l4proto { tcp, udp } masquerade to :20000-29999
		oifname "eth0" masquerade' ;;
	sym)      masq='oifname "eth0" masquerade fully-random' ;;
	*)        ns_fail "ns_nat_router: unknown mode '$mode' (ei|ei-range|sym)" ;;
	esac
	ns_host "$r"
	ns_exec "$r" sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
	ns_exec "$r" nft -f - <<EOF
table inet evpn_nat_filter {
	chain input {
		type filter hook input priority filter; policy accept;
		iifname "eth0" ct state new,invalid drop
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "eth0" ct state new,invalid drop
	}
}
table ip evpn_nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		$masq
	}
}
EOF
}

# ---------------------------------------------------------------------------
# ns_listening SHORT PROTO IP PORT
#   True if a socket in SHORT listens on IP:PORT (PROTO tcp or udp).
# ---------------------------------------------------------------------------
ns_listening()
{
	local flag=-ltn
	[ "$2" = udp ] && flag=-lun
	ns_exec "$1" ss -H $flag "src $3 and sport = :$4" 2>/dev/null | grep -q .
}

# ---------------------------------------------------------------------------
# turn_start SHORT IP[,IP...] [PORT]
#   Start coturn (turnserver) in SHORT listening only on the given IPs at
#   PORT (default TURN_PORT=3478), UDP+TCP, STUN and TURN with long-term
#   credentials TURN_USER:TURN_PASS in realm TURN_REALM, relaying from the
#   first IP (ports 49152-49999), no TLS/DTLS, no CLI, no config file, its
#   sqlite db, pid file and log (turn-SHORT.log) in NS_DIR.  Waits until it
#   listens (ns_wait_for 5 s, scaled by the load).  Sets TURN_PID (call it
#   directly, not inside $(...)).
# ---------------------------------------------------------------------------
turn_start()
{
	local ns=$1 ips=$2 port=${3:-$TURN_PORT} ip args=() pid
	ns_require turnserver
	for ip in ${ips//,/ }; do args+=(-L "$ip"); done
	pid=$(ns_bg "$ns" "turn-$ns.stdout.log" turnserver -n \
		"${args[@]}" -E "${ips%%,*}" -p "$port" \
		--min-port 49152 --max-port 49999 \
		-a -u "$TURN_USER:$TURN_PASS" -r "$TURN_REALM" \
		--no-tls --no-dtls --no-cli --no-software-attribute \
		--db "$NS_DIR/turndb-$ns-$port" --pidfile "$NS_DIR/turn-$ns-$port.pid" \
		--log-file "$NS_DIR/turn-$ns.log" --simple-log --no-stdout-log \
		${TURN_EXTRA_ARGS:-})
	ns_wait_for 5 ns_listening "$ns" udp "${ips%%,*}" "$port" ||
		ns_fail "coturn did not start (see $NS_DIR/turn-$ns.log)"
	TURN_PID=$pid
}

# ---------------------------------------------------------------------------
# pki_init [NAME] [SAN...]
#   Create a throwaway CA (NS_DIR/pki/ca.crt, exported as XMPP_CA) once, and
#   a server key+certificate NS_DIR/pki/NAME.{key,crt} (NAME default
#   XMPP_DOMAIN) signed by it, with subjectAltNames DNS:NAME plus each SAN
#   ("DNS:x" or "IP:a.b.c.d").  ECDSA P-256 (fast).  Files are readable by
#   the prosody user.
# ---------------------------------------------------------------------------
pki_init()
{
	local name=${1:-$XMPP_DOMAIN} d="$NS_DIR/pki" san
	shift || true
	mkdir -p "$d"
	if [ ! -f "$d/ca.crt" ]; then
		openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-keyout "$d/ca.key" -out "$d/ca.crt" -days 2 \
			-subj "/CN=evpn test CA" >/dev/null 2>&1 ||
			ns_fail "openssl: CA generation failed"
	fi
	san="DNS:$name"
	while [ $# -gt 0 ]; do san="$san,$1"; shift; done
	openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
		-keyout "$d/$name.key" -out "$d/$name.csr" -subj "/CN=$name" \
		>/dev/null 2>&1 || ns_fail "openssl: CSR for $name failed"
	printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n' \
		"$san" >"$d/$name.ext"
	openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
		-CAcreateserial -days 2 -extfile "$d/$name.ext" \
		-out "$d/$name.crt" >/dev/null 2>&1 ||
		ns_fail "openssl: signing $name failed"
	chmod 755 "$d"
	chmod 644 "$d"/*
}

# ---------------------------------------------------------------------------
# prosody_start SHORT IP
#   Start prosody in SHORT, c2s only, listening on IP:XMPP_PORT (5222 with
#   STARTTLS; c2s_require_encryption = true), VirtualHost XMPP_DOMAIN with
#   authentication internal_hashed (SCRAM), MUC component XMPP_MUC, no s2s,
#   no http, no direct-TLS port.  Certificate from pki_init (SANs: the
#   domain, the MUC and IP; the CA is XMPP_CA).  Config, data, pid and log
#   (prosody.log) live in NS_DIR/prosody; prosody refuses root, so it runs as
#   user prosody (setpriv).  Waits until it listens (ns_wait_for 8 s, scaled
#   by the load).  Sets
#   PROSODY_PID, PROSODY_CFG (config path, for prosodyctl) and XMPP_CA; call
#   it directly, not inside $(...).  One prosody per test.
#   Extra modules: PROSODY_MODULES (space-separated, e.g. "groups smacks").
#   Extra Lua config lines: PROSODY_EXTRA (global section, e.g.
#   'admins = { "admin@evpn.test" }') and PROSODY_MUC_EXTRA (MUC component,
#   e.g. 'muc_room_locking = false'; by default prosody locks a new room
#   until its creator submits the instant-room form, status 201).
# ---------------------------------------------------------------------------
prosody_start()
{
	local ns=$1 ip=$2 d="$NS_DIR/prosody" pid
	ns_require prosody prosodyctl setpriv openssl
	pki_init "$XMPP_DOMAIN" "DNS:$XMPP_MUC" "IP:$ip"
	mkdir -p "$d/data"
	PROSODY_CFG="$d/prosody.cfg.lua"
	export PROSODY_CFG
	cat >"$PROSODY_CFG" <<EOF
-- generated by tests/netns/lib.sh for test $NS_TEST
pidfile = "$d/prosody.pid"
data_path = "$d/data"
log = { info = "$d/prosody.log" }
plugin_paths = { }
interfaces = { "$ip" }
local_interfaces = { "$ip" }
c2s_ports = { $XMPP_PORT }
c2s_direct_tls_ports = { }
legacy_ssl_ports = { }
s2s_ports = { }
http_ports = { }
https_ports = { }
component_ports = { }
modules_enabled = {
	"roster"; "saslauth"; "tls"; "disco"; "ping"; "presence";
	"carbons"; "pep"; "private"; "vcard_legacy"; "register";
	$(for m in ${PROSODY_MODULES:-}; do printf '"%s"; ' "$m"; done)
}
modules_disabled = { "s2s"; "offline"; "c2s_direct_tls"; }
allow_registration = false
authentication = "internal_hashed"
c2s_require_encryption = true
s2s_require_encryption = true
certificates = "$NS_DIR/pki"
ssl = {
	certificate = "$NS_DIR/pki/$XMPP_DOMAIN.crt";
	key = "$NS_DIR/pki/$XMPP_DOMAIN.key";
}
storage = "internal"
${PROSODY_EXTRA:-}

VirtualHost "$XMPP_DOMAIN"
	ssl = {
		certificate = "$NS_DIR/pki/$XMPP_DOMAIN.crt";
		key = "$NS_DIR/pki/$XMPP_DOMAIN.key";
	}

Component "$XMPP_MUC" "muc"
	modules_enabled = { "muc_mam"; }
	restrict_room_creation = false
	muc_room_default_public = false
${PROSODY_MUC_EXTRA:-}
EOF
	chown -R prosody:prosody "$d"
	chmod 755 "$d"
	pid=$(ns_bg "$ns" prosody.stdout.log setpriv --reuid=prosody \
		--regid=prosody --init-groups prosody --config "$PROSODY_CFG" -F)
	ns_wait_for 8 ns_listening "$ns" tcp "$ip" "$XMPP_PORT" ||
		ns_fail "prosody did not start (see $NS_DIR/prosody/prosody.log)"
	PROSODY_PID=$pid
}

# ---------------------------------------------------------------------------
# prosody_adduser JID PASSWORD
#   Create an account (user@XMPP_DOMAIN) with prosodyctl against the running
#   test server's config (as user prosody; data goes to its data_path, the
#   server reads it on login, no restart needed).
# ---------------------------------------------------------------------------
prosody_adduser()
{
	local jid=$1 pass=$2
	[ -n "${PROSODY_CFG:-}" ] || ns_fail "prosody_adduser: prosody_start first"
	setpriv --reuid=prosody --regid=prosody --init-groups \
		prosodyctl --config "$PROSODY_CFG" register "${jid%@*}" "${jid#*@}" "$pass" \
		>>"$NS_DIR/prosodyctl.log" 2>&1 ||
		ns_fail "prosodyctl register $jid failed (see $NS_DIR/prosodyctl.log)"
}

# ---------------------------------------------------------------------------
# prosody_stop
#   Stop the test's prosody (TERM, then KILL after 2 s; returns once it has
#   exited).  Cleanup does this anyway; use it to test losing the server.
# ---------------------------------------------------------------------------
prosody_stop()
{
	[ -n "${PROSODY_PID:-}" ] || return 0
	ns_kill "$PROSODY_PID"
	PROSODY_PID=
}

# ---------------------------------------------------------------------------
# turn_stop [PID]
#   Stop a coturn started by turn_start (default: the last one, TURN_PID).
# ---------------------------------------------------------------------------
turn_stop()
{
	local pid=${1:-${TURN_PID:-}}
	[ -n "$pid" ] || return 0
	ns_kill "$pid"
	[ "$pid" != "${TURN_PID:-}" ] || TURN_PID=
}
