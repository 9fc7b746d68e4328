# shellcheck shell=bash
#
# tests/netns/quickstart_lib.sh -- helpers for the tests that follow
# docs/quickstart.md literally (sourced after lib.sh; not a test itself):
#
#   qs_init BLOCK...   check the tools, extract each <!-- qs:BLOCK --> block
#                      of the page into NS_DIR/BLOCK.sh, put this build's
#                      evpnd/evpnctl and a systemctl stand-in on PATH
#   qs_host NAME IP    a host on the switch "lan" with its own /etc,
#                      /var/lib, /var/log and /run (overlay mounts over the
#                      host's: the page's paths work, the host is untouched)
#   qs_run HOST SCRIPT [OUT]   run SCRIPT with bash -e on HOST (stdout to OUT)
#   qs_node_init HOST N SERVER_TYPE   the page's node block with N=N; runs the
#                      account lines it printed for SERVER_TYPE (prosody or
#                      ejabberd) on host srv; copies CA_PATH from srv (the
#                      page's scp) to the node's /etc/evpn/xmpp-ca.crt
#
# The systemctl stand-in starts what the units start: `restart prosody`
# (prosody -F as user prosody, as Debian's prosody.service), `restart
# ejabberd` (ejabberdctl foreground, then waits for `ejabberdctl started`),
# `enable --now evpnd@NAME` (evpnd -f -c /etc/evpn/NAME.conf, as
# etc/systemd/evpnd@.service). Output of every host goes to NS_DIR/HOST.log.
set -u

DOC=$EVPN_ROOT/docs/quickstart.md

# qs_block NAME: the fenced block right after the line <!-- qs:NAME -->
qs_block()
{
	awk -v tag="<!-- qs:$1 -->" '
		$0 == tag { want = 1; next }
		want == 1 && /^```/ { want = 2; next }
		want == 2 && /^```/ { exit }
		want == 2 { print }' "$DOC"
}

qs_init()
{
	local b
	EVPND=$(ns_bin evpnd) || ns_skip "evpnd not built"
	EVPNCTL=$(ns_bin evpnctl) || ns_skip "evpnctl not built"
	ns_require setpriv openssl unshare nsenter ping ss
	[ -c /dev/net/tun ] || ns_skip "no /dev/net/tun"
	grep -q overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
		ns_skip "no overlayfs"
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	for b in "$@"; do
		qs_block "$b" >"$NS_DIR/$b.sh"
		[ -s "$NS_DIR/$b.sh" ] || ns_fail "docs/quickstart.md has no qs:$b block"
	done
	qs_bin
	ns_switch lan
}

qs_bin()
{
	mkdir -p "$NS_DIR/bin"
	ln -s "$EVPND" "$NS_DIR/bin/evpnd"
	ln -s "$EVPNCTL" "$NS_DIR/bin/evpnctl"
	cat >"$NS_DIR/bin/systemctl" <<'EOS'
#!/bin/bash
# test stand-in for systemd (tests/netns/quickstart_lib.sh): starts what
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
"restart ejabberd")
	ejabberdctl stop >/dev/null 2>&1 && ejabberdctl stopped >/dev/null 2>&1 || true
	install -d -o ejabberd -g ejabberd /run/ejabberd
	setsid ejabberdctl foreground >>"$QS_LOG" 2>&1 </dev/null &
	ejabberdctl started >>"$QS_LOG" 2>&1
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
EOS
	chmod +x "$NS_DIR/bin/systemctl"
}

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

# qs_run HOST SCRIPT [OUT]: run SCRIPT with bash -e in HOST's namespaces
qs_run()
{
	local h=$1 script=$2 out=${3:-$NS_DIR/$1.log}
	ns_log "$h: $(basename "$script")"
	nsenter -t "${HOLDER[$h]}" -m -n env PATH="$NS_DIR/bin:$PATH" \
		QS_LOG="$NS_DIR/$h.log" bash -e "$script" >>"$out" 2>>"$NS_DIR/$h.log" ||
		ns_fail "$h: $(basename "$script") failed (see $NS_DIR/$h.log)"
}

# qs_node_init HOST N SERVER_TYPE CA_PATH
qs_node_init()
{
	local h=$1 n=$2 type=$3 ca=$4
	grep -q '^N=1 ' "$NS_DIR/node.sh" || ns_fail "qs:node does not start with N=1"
	sed "s/^N=1 .*/N=$n/" "$NS_DIR/node.sh" >"$NS_DIR/node$n.sh"
	: >"$NS_DIR/init$n.out"
	qs_run "$h" "$NS_DIR/node$n.sh" "$NS_DIR/init$n.out"
	# the printed section for the server: from "# TYPE" to the next comment
	awk -v t="# $type" 'index($0, t) == 1 { p = 1; next } /^#/ { p = 0 } p' \
		"$NS_DIR/init$n.out" >"$NS_DIR/accounts$n.sh"
	grep -q "^${type}ctl register node$n evpn.example.org " "$NS_DIR/accounts$n.sh" ||
		ns_fail "init on $h printed: $(cat "$NS_DIR/init$n.out")"
	qs_run srv "$NS_DIR/accounts$n.sh"
	# the page's scp of the server's certificate
	echo "cat $ca" >"$NS_DIR/scp.sh"
	: >"$NS_DIR/ca.crt"
	qs_run srv "$NS_DIR/scp.sh" "$NS_DIR/ca.crt"
	nsenter -t "${HOLDER[$h]}" -m sh -c 'cat > /etc/evpn/xmpp-ca.crt' <"$NS_DIR/ca.crt"
}

# qs_check_logs HOST...: no sanitizer report in the hosts' logs
qs_check_logs()
{
	local h
	for h in "$@"; do
		if grep -qE 'ERROR: (Address|Undefined)Sanitizer|runtime error:' "$NS_DIR/$h.log"; then
			ns_fail "sanitizer report in $h's log"
		fi
	done
}
