#!/usr/bin/env bash
# The control plane is a module (issue 12 item 7, daemon/overlay_mod.h):
# an evpnd with static links only (TAP datapath) never maps libnice,
# libstrophe or evpnd-overlay.so (/proc/PID/maps), while one with an
# [overlay] section loads the module (and with it both libraries) next to
# its binary, registers its `show` hooks and stops cleanly. Both for the
# ASan build (the one the other netns tests run, so every overlay test
# exercises the dlopen() path) and, if built, the release build. A copy of
# evpnd without the module beside it fails `evpnd -t` on an [overlay] with
# a clear message, and still accepts a static-only config.
. "$(dirname "$0")/tap_common.sh"

tap_init evlz
for t in socat python3; do
	command -v $t >/dev/null || { echo "SKIP: $t missing"; exit 77; }
done

tap_lan
tap_node A 1a000000000000000000000000000001 10.77.0.1
tap_node B 1b000000000000000000000000000002 10.77.0.2
tap_link A B
tap_node O 1c000000000000000000000000000003 10.77.0.3
# O: an overlay whose XMPP server does not answer (the module is loaded at
# start, before any server is reached)
echo pw >"$TAP_TMP/O/pass"
chmod 600 "$TAP_TMP/O/pass"
cat >"$TAP_TMP/O/evpnd.conf" <<EOC
[node]
state-dir = $TAP_TMP/O/state
run-dir = $TAP_TMP/run

[interface]
name = tapO

[overlay t]
jid = o@example.test
password-file = $TAP_TMP/O/pass
server = 127.0.0.1
port = 9
allow-plaintext = yes
EOC

CP_RE='libnice|libstrophe|evpnd-overlay'
maps_of() { cat "/proc/${NODE_PID[$1]}/maps"; }

check_binary() {
	local what=$1 n
	EVPND=$2
	for n in A O; do tap_start $n; done
	maps_of A | grep -E "$CP_RE" &&
		tap_fail "$what: static-only evpnd maps control-plane libraries"
	tap_ok "$what: static-only evpnd maps no libnice/libstrophe ($(maps_of A |
		awk '$6 ~ /\.so/ { print $6 }' | sort -u | wc -l) objects)"
	for n in libnice libstrophe lib/evpn/evpnd-overlay.so; do
		maps_of O | grep -q "$n" ||
			tap_fail "$what: overlay evpnd does not map $n"
	done
	maps_of O | grep -q "$(dirname "$(dirname "$EVPND")")/lib/evpn/evpnd-overlay.so" ||
		tap_fail "$what: overlay module not the one next to $EVPND"
	tap_true O '[o["name"] for o in j["overlays"]] == ["t"]' ||
		tap_fail "$what: show lacks the overlay: $(tap_show O)"
	tap_ok "$what: overlay evpnd loads the module and answers show"
	for n in A O; do
		tap_stop $n || tap_fail "$what: evpnd $n exited with $?"
	done
	tap_check_logs
}

check_binary asan "$EVPN_ROOT/build/asan/bin/evpnd"
if [ -x "$EVPN_ROOT/build/bin/evpnd" ] &&
   [ -r "$EVPN_ROOT/build/lib/evpn/evpnd-overlay.so" ]; then
	check_binary release "$EVPN_ROOT/build/bin/evpnd"
else
	echo "note: release build absent, checked the ASan build only"
fi

# a binary without its module
if [ -e /usr/lib/evpn/evpnd-overlay.so ]; then
	echo "note: /usr/lib/evpn/evpnd-overlay.so installed: missing-module check skipped"
else
	mkdir -p "$TAP_TMP/lone/bin"
	cp "$EVPN_ROOT/build/asan/bin/evpnd" "$TAP_TMP/lone/bin/"
	out=$("$TAP_TMP/lone/bin/evpnd" -t -c "$TAP_TMP/O/evpnd.conf" 2>&1) &&
		tap_fail "evpnd -t without the module accepted an [overlay]"
	echo "$out" | grep -q "needs the overlay module, not found as $TAP_TMP/lone/bin/../lib/evpn/evpnd-overlay.so" ||
		tap_fail "evpnd -t without the module: unclear error: $out"
	"$TAP_TMP/lone/bin/evpnd" -t -c "$TAP_TMP/A/evpnd.conf" >/dev/null 2>&1 ||
		tap_fail "evpnd -t without the module rejected a static-only config"
	tap_ok "missing module: clear error from evpnd -t; static-only config still ok"
fi
echo "PASS"
