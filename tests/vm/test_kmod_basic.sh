#!/bin/bash
# evpn.ko basics, inside the VM as root (run: tests/vm/run.sh tests/vm/test_kmod_basic.sh):
# autoload, device life cycle, MTU bounds, addresses, node ID over genetlink
# with evpnctl, counters and per-reason drops, permission and malformed
# request refusals (errno + extack), network namespaces, rmmod with devices.
set -euo pipefail

EVPN_ROOT=${EVPN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=$EVPN_ROOT/build/asan/bin
[ -x "$BIN/evpnctl" ] && [ -x "$BIN/evpn-nltest" ] || BIN=$EVPN_ROOT/build/bin
EVPNCTL=$BIN/evpnctl
NLTEST=$BIN/evpn-nltest
NS=evpn-kmod-basic
ID=0123456789abcdef0123456789abcdef
ID2=fedcba98765432100123456789abcdef
OUT=$(mktemp -d)

cleanup() {
	ip netns del "$NS" 2>/dev/null || true
	for d in evpn0 evpn1 evpn2 evpn3; do ip link del "$d" 2>/dev/null || true; done
	rm -rf "$OUT"
}
trap cleanup EXIT

step() { echo "== $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_nl ERRNOS CMD ATTR...: evpn-nltest must get one of the errnos
# (e.g. "22" or "22|34") plus a non-empty extack message. The genetlink
# policy answers a length/range violation with ERANGE (34), other malformed
# attributes with EINVAL (22).
expect_nl() {
	local want=$1 out e ok=
	shift
	out=$("$NLTEST" "$@" || true)
	echo "   evpn-nltest $* -> $out"
	for e in ${want//|/ }; do
		case "$out" in "error errno=$e "*extack=?*) ok=1 ;; esac
	done
	[ -n "$ok" ] || fail "expected errno $want with an extack message"
}
# (jq: cheaper to start than python3 under TCG; -e fails on a missing key)
drops() { # drops DEV REASON: per-reason counter from evpnctl --json
	"$EVPNCTL" show "$1" --json | jq -e --arg r "$2" '.interfaces[0].drops[$r]'
}
link_stat() { # link_stat DEV tx|rx FIELD
	ip -j -s link show "$1" | jq -e --arg d "$2" --arg f "$3" '.[0].stats64[$d][$f]'
}

step "autoload through rtnl alias: ip link add evpn0 type evpn"
! lsmod | grep -q '^evpn ' || fail "evpn already loaded"
ip link add evpn0 type evpn
lsmod | grep -q '^evpn ' || fail "module not autoloaded"
modinfo -F alias evpn | grep -qx 'rtnl-link-evpn' || fail "no rtnl-link alias"
modinfo -F alias evpn | grep -qx 'net-pf-16-proto-16-family-evpn' || fail "no genl alias"

step "device: Ethernet, random unicast MAC, default MTU 1500"
ip -d link show evpn0 | tee "$OUT/link"
grep -q 'link/ether' "$OUT/link" || fail "not an Ethernet device"
grep -q 'mtu 1500' "$OUT/link" || fail "default MTU is not 1500"
grep -qw 'evpn' <(ip -d -j link show evpn0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["linkinfo"]["info_kind"])') ||
	fail "kind is not evpn"
mac=$(cat /sys/class/net/evpn0/address)
[ "$mac" != 00:00:00:00:00:00 ] || fail "zero MAC"
[ $(( 0x${mac:0:2} & 3 )) = 2 ] || fail "MAC $mac is not locally administered unicast"
[ "$(cat /sys/class/net/evpn0/addr_assign_type)" = 1 ] || fail "MAC not marked random"

if command -v ethtool >/dev/null; then
	ethtool -i evpn0 | grep -qx 'driver: evpn' || fail "ethtool driver name"
fi

step "a given MAC must be unicast"
if ip link add evpn9 address 01:00:5e:00:00:01 type evpn 2>"$OUT/err"; then fail "multicast MAC accepted"; fi
cat "$OUT/err"
ip link add evpn9 address 02:00:00:00:00:09 type evpn
[ "$(cat /sys/class/net/evpn9/address)" = 02:00:00:00:00:09 ] || fail "given MAC not used"
ip link del evpn9

step "MTU bounds: 1280..9000 (IPv6's minimum link MTU .. the largest frame)"
ip link set evpn0 mtu 9000
ip link set evpn0 mtu 1280
# mtu_refused MTU WORDS: ip link set must fail with the kernel's extack
# message (dev_validate_mtu) and leave the MTU alone
mtu_refused() {
	local err
	if err=$(ip link set evpn0 mtu "$1" 2>&1); then fail "MTU $1 accepted"; fi
	echo "   mtu $1: $err"
	case "$err" in *"$2"*) ;; *) fail "MTU $1 refused without '$2': $err" ;; esac
	[ "$(cat /sys/class/net/evpn0/mtu)" = 1280 ] || fail "MTU changed by a refused request"
}
mtu_refused 9001 "greater than device maximum"
mtu_refused 1279 "less than device minimum"
mtu_refused 576 "less than device minimum"
mtu_refused 68 "less than device minimum"
if err=$(ip link add evpn9 mtu 1000 type evpn 2>&1); then fail "ip link add ... mtu 1000 accepted"; fi
echo "   ip link add evpn9 mtu 1000 type evpn: $err"
case "$err" in *"less than device minimum"*) ;; *) fail "ip link add with MTU 1000: '$err'" ;; esac
! ip link show evpn9 2>/dev/null || fail "evpn9 created with MTU 1000"
ip link set evpn0 mtu 1370

step "up, IPv4 and IPv6 addresses"
ip link set evpn0 up
ip addr add 10.99.0.1/24 dev evpn0
ip addr add fd00:99::1/64 dev evpn0 nodad
ip addr show evpn0 | tee "$OUT/addr"
grep -q 'inet 10.99.0.1/24' "$OUT/addr" || fail "no IPv4 address"
grep -q 'inet6 fd00:99::1/64' "$OUT/addr" || fail "no IPv6 address"
ip link show evpn0 | grep -q 'state UNKNOWN\|state UP' || fail "not up"

step "evpnctl show before a node ID is set"
"$EVPNCTL" show evpn0 | tee "$OUT/show"
grep -q 'node id: (unset)' "$OUT/show" || fail "node ID should be unset"

step "evpnctl set evpn0 node-id $ID; show, --json"
"$EVPNCTL" set evpn0 node-id "$ID"
"$EVPNCTL" show evpn0 | tee "$OUT/show"
grep -q "interface: evpn0" "$OUT/show" || fail "no interface line"
grep -q "node id: $ID" "$OUT/show" || fail "node ID not shown"
grep -q "mtu: 1370" "$OUT/show" || fail "MTU not shown"
"$EVPNCTL" show evpn0 --json | tee "$OUT/json"
# every drop reason of the ABI (the generated enum, less EVPN_DROP_NONE)
NDROPS=$(( $(grep -cE '^\s+EVPN_DROP_[A-Z0-9_]+,' "$EVPN_ROOT/uapi/linux/evpn.h") - 1 ))
python3 - "$OUT/json" "$ID" "$NDROPS" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["interfaces"]
assert len(d) == 1, d
d = d[0]
assert d["ifname"] == "evpn0" and d["node_id"] == sys.argv[2], d
assert d["mtu"] == 1370 and d["datapath"] == "kernel", d
assert "no_link" in d["drops"] and len(d["drops"]) == int(sys.argv[3]), d
PY
ip link add 'ev"p\n' type evpn			# names may hold quotes and backslashes
"$EVPNCTL" show --json | python3 -c 'import json,sys; assert "ev\"p\\n" in [d["ifname"] for d in json.load(sys.stdin)["interfaces"]]' ||
	fail "JSON output with an odd interface name"
ip link del 'ev"p\n'
"$EVPNCTL" set evpn0 node-id "${ID2^^}"	# upper case hex is accepted
"$EVPNCTL" show evpn0 | grep -q "node id: $ID2" || fail "node ID not updated"
# by ifindex through the raw tool: the reply carries every attribute
"$NLTEST" dev-get ifindex="$(cat /sys/class/net/evpn0/ifindex)" | tee "$OUT/nl"
grep -q 'msg cmd=1 attrs=1,2(evpn0),3,4,5,6,7,8,15,18,19,9' "$OUT/nl" || fail "DEV_GET reply attributes"

step "TX without links: frames dropped and counted as no_link"
before=$(drops evpn0 no_link)
tx_before=$(link_stat evpn0 tx dropped)
ping -c 3 -i 0.2 -W 1 10.99.0.2 >/dev/null 2>&1 || true	# ARP requests go out
ping -6 -c 2 -i 0.2 -W 1 fd00:99::2 >/dev/null 2>&1 || true	# neighbour solicitations
after=$(drops evpn0 no_link)
tx_after=$(link_stat evpn0 tx dropped)
echo "   no_link drops $before -> $after; ip -s link tx dropped $tx_before -> $tx_after"
[ "$after" -ge $((before + 3)) ] || fail "no_link drops did not move"
# every drop so far was a transmit drop, and ip -s link is read after evpnctl
[ "$tx_after" -ge "$after" ] || fail "tx_dropped in ip -s link lags the no_link drops"
[ "$(link_stat evpn0 tx packets)" = 0 ] || fail "tx packets counted for dropped frames"
"$EVPNCTL" show evpn0 | grep -E "drops: no_link [0-9]+" || fail "human output lacks no_link drops"
ip -s link show evpn0

step "unprivileged requests are refused (EPERM)"
unpriv() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
if unpriv "$EVPNCTL" set evpn0 node-id "$ID" 2>"$OUT/err"; then fail "unprivileged set succeeded"; fi
cat "$OUT/err"
grep -q 'Operation not permitted' "$OUT/err" || fail "no EPERM message"
if unpriv "$EVPNCTL" show evpn0 2>"$OUT/err"; then fail "unprivileged show succeeded"; fi
grep -q 'Operation not permitted' "$OUT/err" || fail "no EPERM message for show"
if unpriv "$EVPNCTL" show 2>"$OUT/err"; then fail "unprivileged dump succeeded"; fi
grep -q 'Operation not permitted' "$OUT/err" || fail "no EPERM message for the dump"
"$EVPNCTL" show evpn0 | grep -q "node id: $ID2" || fail "node ID changed by unprivileged user"

step "CAP_NET_ADMIN is per namespace: an unprivileged user's own user+net namespace"
if unpriv unshare -Urn true 2>/dev/null; then
	unpriv unshare -Urn bash -c '
		set -e
		ip link add evpnu type evpn
		"$1" set evpnu node-id "$2"
		"$1" show evpnu | grep -q "node id: $2"
		"$1" show | grep -c "^interface:" | grep -qx 1	# only its own device
		! "$1" set evpn0 node-id "$2" 2>/dev/null	# init-netns device: not visible
	' _ "$EVPNCTL" "$ID" || fail "evpn device in an unprivileged user's namespace"
	echo "   ok: created, configured and shown inside unshare -Urn by uid 65534"
else
	echo "   skipped: cannot create user namespaces here (disabled, or inside a chroot)"
fi

step "malformed requests: errno + extack"
expect_nl 34 dev-set ifname=evpn0 node-id=0011223344		# 5-byte node ID
expect_nl 34 dev-set ifname=evpn0 node-id="${ID}00"		# 17-byte node ID
expect_nl 22 dev-set ifname=evpn0					# nothing to set
expect_nl 22 dev-get							# no device named
expect_nl 19 dev-get ifindex=99999					# unknown ifindex
expect_nl 19 dev-get ifname=nosuchdev					# unknown name
expect_nl 95 dev-get ifname=lo						# not an evpn device
expect_nl 95 dev-set ifindex=1 node-id="$ID"				# lo again, by index
expect_nl 22 dev-get ifindex=1 ifname=evpn0				# selectors disagree
expect_nl 22 dev-get ifname=evpn0 u32:4=1500				# MTU is output only
expect_nl 22 dev-get ifname=evpn0 raw:200=00				# unknown attribute
expect_nl 34 dev-get ifindex=0						# ifindex 0
expect_nl 22 dev-get raw:2=6576706e30				# name without NUL
expect_nl "22|34" dev-get ifname=aaaaaaaaaaaaaaaaaaaaaaaa			# name too long
# the first unassigned command number (the generated enum's count)
NCMD=$(grep -cE '^\s+EVPN_CMD_[A-Z0-9_]+,' "$EVPN_ROOT/uapi/linux/evpn.h")
out=$("$NLTEST" "$NCMD" ifname=evpn0 || true)			# unassigned command number
echo "   evpn-nltest $NCMD ifname=evpn0 -> $out"
case "$out" in "error errno=95 "*) ;; *) fail "unassigned command not refused" ;; esac
out=$("$NLTEST" 13 ifname=evpn0 || true)				# EVENT is kernel -> user only
echo "   evpn-nltest 13 ifname=evpn0 -> $out"
case "$out" in "error errno=95 "*) ;; *) fail "EVENT request not refused" ;; esac
expect_nl 22 3 ifname=evpn0						# LINK_NEW without EVPN_A_LINK
"$EVPNCTL" show evpn0 | grep -q "node id: $ID2" || fail "node ID changed by a refused request"
if "$EVPNCTL" set lo node-id "$ID" 2>"$OUT/err"; then fail "set on lo succeeded"; fi
cat "$OUT/err"
grep -q 'kernel: evpn: not an evpn device' "$OUT/err" || fail "evpnctl did not print the extack"

step "dump: every evpn device in this namespace"
ip link add evpn1 type evpn
"$NLTEST" --dump dev-get | tee "$OUT/dump"
[ "$(grep -c '^msg cmd=1' "$OUT/dump")" = 2 ] || fail "dump should list 2 devices"
grep -q '(evpn0)' "$OUT/dump" && grep -q '(evpn1)' "$OUT/dump" || fail "dump misses a device"
"$EVPNCTL" show | grep -c '^interface:' | grep -qx 2 || fail "evpnctl show lists != 2"
"$NLTEST" dev-set ifindex="$(cat /sys/class/net/evpn1/ifindex)" node-id="$ID" | grep -qx ok ||
	fail "DEV_SET by ifindex"
"$EVPNCTL" show evpn1 | grep -q "node id: $ID" || fail "DEV_SET by ifindex not applied"
"$EVPNCTL" set evpn1 node-id 00000000000000000000000000000000
"$EVPNCTL" show evpn1 | grep -q "node id: (unset)" || fail "zero node ID does not unset"

step "multi-part dump: 200 more devices, each listed exactly once"
for i in $(seq 0 199); do echo "link add evpnb$i type evpn"; done > "$OUT/batch"
ip -batch "$OUT/batch"
"$NLTEST" --dump dev-get > "$OUT/dump"
grep -q dump-interrupted "$OUT/dump" && fail "quiet dump flagged interrupted"
n=$(grep -c '^msg cmd=1' "$OUT/dump")
u=$(grep -o '([a-z0-9]*)' "$OUT/dump" | sort -u | wc -l)
echo "   $n messages, $u distinct devices, $(wc -c < "$OUT/dump") bytes of listing"
[ "$n" = 202 ] && [ "$u" = 202 ] || fail "dump of 202 devices returned $n ($u distinct)"
[ "$("$EVPNCTL" show | grep -c '^interface:')" = 202 ] || fail "evpnctl show misses devices"

step "dumps while devices come and go (3 s churn)"
( set +e; end=$((SECONDS + 3)); i=0
  while [ $SECONDS -lt $end ]; do
	ip link add evpnc$i type evpn
	[ $i = 0 ] || ip link del evpnc$((i - 1))
	i=$((i + 1))
  done
  ip link del evpnc$((i - 1))
  echo "   churn: $i devices added and deleted" ) &
churn=$!
dumps=0 intr=0
while kill -0 $churn 2>/dev/null; do
	if "$NLTEST" --dump dev-get > "$OUT/churn"; then
		dumps=$((dumps + 1))
		grep -q dump-interrupted "$OUT/churn" && intr=$((intr + 1))
	else
		fail "dump failed during churn: $(cat "$OUT/churn")"
	fi
	"$EVPNCTL" show --json >/dev/null 2>"$OUT/err" || grep -q 'kept changing' "$OUT/err" ||
		fail "evpnctl show failed during churn: $(cat "$OUT/err")"
done
wait $churn || true
echo "   $dumps dumps during churn, $intr flagged NLM_F_DUMP_INTR"
ip -br link | grep -q '^evpnc' && fail "churn devices left"
[ "$intr" -gt 0 ] || echo "   (no dump happened to span a change this time)"
sed 's/^link add \(evpnb[0-9]*\).*/link del \1/' "$OUT/batch" > "$OUT/batch-del"
ip -batch "$OUT/batch-del"

step "non-initial network namespace"
ip netns add "$NS"
ip -n "$NS" link add evpn0 type evpn		# same name, other namespace
ip link set evpn1 netns "$NS"			# and one moved in
ip -n "$NS" link set lo up
ip -n "$NS" link set evpn0 up
ip -n "$NS" addr add 10.98.0.1/24 dev evpn0
ip netns exec "$NS" "$EVPNCTL" set evpn0 node-id "$ID"
ip netns exec "$NS" "$EVPNCTL" show | tee "$OUT/ns"
grep -q "node id: $ID" "$OUT/ns" || fail "node ID in netns"
[ "$(grep -c '^interface:' "$OUT/ns")" = 2 ] || fail "netns dump should list its 2 devices"
"$EVPNCTL" show evpn0 | grep -q "node id: $ID2" || fail "init netns evpn0 affected"
expect_nl 19 dev-get ifname=evpn1		# moved away: not visible here
ip netns exec "$NS" ping -c 2 -i 0.2 -W 1 10.98.0.2 >/dev/null 2>&1 || true
[ "$(ip netns exec "$NS" "$EVPNCTL" show evpn0 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["interfaces"][0]["drops"]["no_link"])')" -ge 2 ] ||
	fail "no drops counted in netns"
step "ip netns del with evpn devices inside"
ip netns del "$NS"
for i in $(seq 50); do   # namespace teardown is asynchronous
	[ "$(ls /sys/class/net | grep -c '^evpn')" = 1 ] && break
	sleep 0.1
done
"$EVPNCTL" show | grep -c '^interface:' | grep -qx 1 || fail "device count after netns del"

step "ip link del"
ip link del evpn0
! ip link show evpn0 2>/dev/null || fail "evpn0 still exists"
"$EVPNCTL" show | grep -q interface && fail "devices left after del"

step "rmmod with devices present (here and in another namespace)"
ip netns add "$NS"
ip -n "$NS" link add evpn0 type evpn
ip -n "$NS" link set evpn0 up
ip link add evpn2 type evpn
ip link add evpn3 type evpn
ip link set evpn3 up
ip addr add 10.97.0.1/24 dev evpn3
ping -c 1 -W 1 10.97.0.2 >/dev/null 2>&1 || true
rmmod evpn
! lsmod | grep -q '^evpn ' || fail "module still loaded"
! ip link show evpn2 2>/dev/null || fail "evpn2 survived rmmod"
! ip -n "$NS" link show evpn0 2>/dev/null || fail "netns device survived rmmod"
ip netns del "$NS"

step "genl family alias autoloads the module; modprobe/rmmod again"
"$EVPNCTL" show >/dev/null
lsmod | grep -q '^evpn ' || fail "genl family request did not autoload evpn"
rmmod evpn
modprobe evpn
lsmod | grep -q '^evpn ' || fail "modprobe evpn failed"

step "unload/reload while requests and device changes race it (3 s)"
( set +e; end=$((SECONDS + 3))
  while [ $SECONDS -lt $end ]; do
	"$EVPNCTL" show >/dev/null 2>&1
	ip link add evpnx type evpn 2>/dev/null
	"$EVPNCTL" set evpnx node-id "$ID" 2>/dev/null
	ip link del evpnx 2>/dev/null
  done ) &
racer=$!
cycles=0
while kill -0 $racer 2>/dev/null; do
	rmmod evpn 2>/dev/null && cycles=$((cycles + 1))	# busy while a dump holds it
	modprobe evpn
done
wait $racer || true
echo "   $cycles unload/reload cycles under load"
[ "$cycles" -gt 0 ] || fail "never managed to unload"
ip link del evpnx 2>/dev/null || true
rmmod evpn
echo "PASS: test_kmod_basic"
