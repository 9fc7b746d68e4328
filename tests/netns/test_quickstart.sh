#!/bin/bash
# docs/quickstart.md, followed literally (issue 14 item 1): the blocks marked
# <!-- qs:NAME --> are extracted from the page and run as they are written,
# on a prosody server and three nodes, each a network namespace with its own
# /etc, /var/lib, /var/log and /run (overlay mounts over the host's, so the
# page's real paths work and nothing of the host is written). Then node 1
# runs the page's check block: `evpnctl show evpn0` and pings to nodes 2
# and 3 over the overlay.
#
# What the test does itself, and why:
# - installing (step 1): evpnd and evpnctl of this build are put on PATH;
# - the `scp` of the server's certificate (step 3): copied between the
#   namespaces' files;
# - systemd: a `systemctl` on PATH starts the same programs the units
#   start (`restart prosody`: prosody -F as user prosody, like Debian's
#   prosody.service; `enable --now evpnd@NAME`: evpnd -f -c
#   /etc/evpn/NAME.conf, like etc/systemd/evpnd@.service);
# - the node block's `N=1` line becomes N=2 and N=3 on the other nodes, as
#   the page says; the account lines `evpnctl init` printed for prosody are
#   run on the server, as the page says.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ns_init
DOC=$EVPN_ROOT/docs/quickstart.md
EVPND=$(ns_bin evpnd) || ns_skip "evpnd not built"
EVPNCTL=$(ns_bin evpnctl) || ns_skip "evpnctl not built"
ns_require prosody prosodyctl setpriv openssl unshare nsenter ping
[ -c /dev/net/tun ] || ns_skip "no /dev/net/tun"
[ -d /etc/prosody/conf.d ] || ns_skip "no /etc/prosody/conf.d (prosody package)"
grep -q overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
	ns_skip "no overlayfs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# --- the page's blocks ---
# qs_block NAME: the fenced block right after the line <!-- qs:NAME -->
qs_block()
{
	awk -v tag="<!-- qs:$1 -->" '
		$0 == tag { want = 1; next }
		want == 1 && /^```/ { want = 2; next }
		want == 2 && /^```/ { exit }
		want == 2 { print }' "$DOC"
}
for b in server node server-members node-start node-check; do
	qs_block "$b" >"$NS_DIR/$b.sh"
	[ -s "$NS_DIR/$b.sh" ] || ns_fail "docs/quickstart.md has no qs:$b block"
done
grep -q '^N=1 ' "$NS_DIR/node.sh" || ns_fail "qs:node does not start with N=1"

# --- commands on PATH: this build, and systemctl standing in for systemd ---
mkdir -p "$NS_DIR/bin"
ln -s "$EVPND" "$NS_DIR/bin/evpnd"
ln -s "$EVPNCTL" "$NS_DIR/bin/evpnctl"
cat >"$NS_DIR/bin/systemctl" <<'EOF'
#!/bin/bash
# test stand-in for systemd (tests/netns/test_quickstart.sh): starts what
# the units start; logs go to $QS_LOG
set -eu
wait_for() {	# wait_for SECONDS CMD...
	local i
	for i in $(seq $(($1 * 10))); do "${@:2}" && return 0; sleep 0.1; done
	return 1
}
case "$*" in
"restart prosody")
	if [ -f /run/prosody/prosody.pid ]; then
		pid=$(cat /run/prosody/prosody.pid)
		kill "$pid" 2>/dev/null || true
		wait_for 10 sh -c "! kill -0 $pid 2>/dev/null"
	fi
	install -d -o prosody -g prosody /run/prosody
	setsid setpriv --reuid=prosody --regid=prosody --init-groups \
		prosody -F >>"$QS_LOG" 2>&1 </dev/null &
	wait_for 30 sh -c 'ss -Hltn "sport = :5222" | grep -q .'
	;;
"enable --now evpnd@"*)
	inst=${3#evpnd@}
	install -d -m 700 /run/evpn /var/lib/evpn
	setsid evpnd -f -c "/etc/evpn/$inst.conf" >>"$QS_LOG" 2>&1 </dev/null &
	wait_for 30 test -S /run/evpn/evpn0.sock
	;;
*)
	echo "systemctl (test stand-in): '$*' not handled" >&2
	exit 1
	;;
esac
EOF
chmod +x "$NS_DIR/bin/systemctl"

# --- hosts: one LAN; each host its own /etc, /var/lib, /var/log, /run ---
declare -A HOLDER
qs_host()
{
	local h=$1 ip=$2 d="$NS_DIR/$1" m
	ns_host "$h"
	ns_switch_port lan "$h" eth0 "$ip/24"
	mkdir -p "$d"
	for m in etc var/lib var/log run; do
		mkdir -p "$d/upper/$m" "$d/work/$m"
	done
	# a process that holds the mount namespace; blocks run inside it
	HOLDER[$h]=$(ns_bg "$h" "holder-$h.log" unshare -m --propagation private sh -c '
		for m in etc var/lib var/log run; do
			mount -t overlay "qs-$0" -o "lowerdir=/$m,upperdir=$1/upper/$m,workdir=$1/work/$m" "/$m" || exit 1
		done
		touch "$1/mounted"
		exec sleep 100000' "$h" "$d")
	ns_wait_for 5 test -e "$d/mounted" || ns_fail "$h: overlay mounts failed"
}

# qs_run HOST SCRIPT [LOG]: run SCRIPT with bash -e in HOST's namespaces
qs_run()
{
	local h=$1 script=$2 log=${3:-$NS_DIR/$1.log}
	ns_log "$h: $(basename "$script")"
	nsenter -t "${HOLDER[$h]}" -m -n env PATH="$NS_DIR/bin:$PATH" \
		QS_LOG="$NS_DIR/$h.log" bash -e "$script" >>"$log" 2>>"$NS_DIR/$h.log" ||
		ns_fail "$h: $(basename "$script") failed (see $NS_DIR/$h.log)"
}

ns_switch lan
qs_host srv 192.0.2.10
for n in 1 2 3; do qs_host "n$n" "192.0.2.$n"; done

# --- step 2: the server ---
qs_run srv "$NS_DIR/server.sh"

# --- step 3: each node runs `evpnctl init`; its prosody lines run on srv ---
for n in 1 2 3; do
	sed "s/^N=1 .*/N=$n/" "$NS_DIR/node.sh" >"$NS_DIR/node$n.sh"
	: >"$NS_DIR/init$n.out"
	qs_run "n$n" "$NS_DIR/node$n.sh" "$NS_DIR/init$n.out"
	# the printed prosody section: from "# prosody" to the next comment
	awk '/^# prosody/ { p = 1; next } /^#/ { p = 0 } p' "$NS_DIR/init$n.out" \
		>"$NS_DIR/accounts$n.sh"
	grep -q "^prosodyctl register node$n evpn.example.org " "$NS_DIR/accounts$n.sh" ||
		ns_fail "init on n$n printed: $(cat "$NS_DIR/init$n.out")"
	qs_run srv "$NS_DIR/accounts$n.sh"
	# the scp of step 3
	echo 'cat /etc/prosody/certs/evpn.example.org.crt' >"$NS_DIR/scp.sh"
	: >"$NS_DIR/ca.crt"
	qs_run srv "$NS_DIR/scp.sh" "$NS_DIR/ca.crt"
	nsenter -t "${HOLDER[n$n]}" -m sh -c 'cat > /etc/evpn/xmpp-ca.crt' <"$NS_DIR/ca.crt"
done

# --- step 4, 5 ---
qs_run srv "$NS_DIR/server-members.sh"
for n in 1 2 3; do qs_run "n$n" "$NS_DIR/node-start.sh"; done

# --- step 6: node 1's check block, once the links had their time ---
pings() { ns_exec n1 ping -c1 -W1 "$1"; }
ns_wait_for 30 pings 10.200.0.2 || ns_fail "n1 cannot ping 10.200.0.2"
ns_wait_for 30 pings 10.200.0.3 || ns_fail "n1 cannot ping 10.200.0.3"
qs_run n1 "$NS_DIR/node-check.sh" "$NS_DIR/check.out"
grep -q "3 received" "$NS_DIR/check.out" || ns_fail "check: $(cat "$NS_DIR/check.out")"
cat "$NS_DIR/check.out"

for n in 1 2 3; do
	if grep -qE 'ERROR: (Address|Undefined)Sanitizer|runtime error:' "$NS_DIR/n$n.log"; then
		ns_fail "sanitizer report in n$n's log"
	fi
done
echo "PASS: docs/quickstart.md followed literally: three nodes ping over the overlay"
