# shellcheck shell=bash
# evpnd's userspace TAP datapath for tests/bench/dataplane.sh (sourced by
# bench_evpnd_tap there; runs in that function's context).
#
# Two evpnd (release build) in namespaces a and b, one static link between
# them over the underlay ($UA <-> $UB), overlay $OA/$OB on TAP devices.
# Each evpnd also holds 15 more static links (to node IDs that do not run,
# endpoints on its own underlay address at ports nobody listens on), so the
# RSS figure is that of a node with 16 links, as issue 3 asks.
# Environment: EVPND_BENCH_SUITE (aes-256-gcm | chacha20-poly1305).

evpnd_bench_conf()	# NAME SELF_ID PEER_ID SELF_IP PEER_IP
{
	local i
	cat <<-EOF
		[node]
		id = $2
		state-dir = $NS_DIR/evpnd/$1
		run-dir = $NS_DIR/evpnd/run

		[interface]
		name = evbevpn-$1

		[static]
		listen = $4:5170

		[link peer]
		peer = $3
		endpoint = $5:5170
		psk = $(printf '%064x' 0xbe4c)
		suite = ${EVPND_BENCH_SUITE:-aes-256-gcm}
	EOF
	for i in $(seq 1 15); do
		printf '\n[link idle%d]\npeer = %s%02x\nendpoint = %s:%d\npsk = %064x\n' \
			"$i" 0123456789abcdef0123456789abcd "$i" "$4" $((61000 + i)) "$i"
	done
}

evpnd_bench_up()
{
	local ida=4a000000000000000000000000000001 idb=4b000000000000000000000000000002
	local d="$NS_DIR/evpnd" n
	mkdir -p "$d"
	evpnd_bench_conf a $ida $idb "$UA" "$UB" >"$d/a.conf"
	evpnd_bench_conf b $idb $ida "$UB" "$UA" >"$d/b.conf"
	EVPND_PB=$(ns_bg b evpnd-b.log "$EVPN_ROOT/build/bin/evpnd" -c "$d/b.conf")
	EVPND_PA=$(ns_bg a evpnd-a.log "$EVPN_ROOT/build/bin/evpnd" -c "$d/a.conf")
	for n in a b; do
		ns_wait_for 5 test -S "$d/run/evbevpn-$n.sock" ||
			{ ns_log "evpnd $n did not start"; return 1; }
	done
	ns_exec a ip addr add "$OA/24" dev evbevpn-a
	ns_exec b ip addr add "$OB/24" dev evbevpn-b
}

evpnd_bench_up || return 1
# issue 3's figure: the RSS of one evpnd holding 16 links, after the runs
local BENCH_SYS_RSS=no
bench_measure evpnd-tap "$OB" "$EVPND_PA" "$EVPND_PB" || return 1
echo "evpnd-tap: rss_kib is one node with 16 static links (not both ends summed)"
bench_result dataplane evpnd-tap rss_kib "$(bench_rss_kib "$EVPND_PA")"
