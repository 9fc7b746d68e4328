#!/bin/bash
# evpn.ko object lifetimes (run: tests/vm/run.sh tests/vm/test_kdp_lifetime.sh):
# a userspace-owned socket shared by two links (fd passing like evpnd does),
# userspace closing first, the socket restored to plain UDP when the last
# link goes, rmmod while iperf3 runs, `ip netns del` of a namespace holding
# a device with links while traffic runs. dmesg must stay clean.
set -euo pipefail
. "$(dirname "$0")/kdp_lib.sh"
trap kdp_cleanup EXIT

A=10000000000000000000000000000001
B=40000000000000000000000000000002
C=80000000000000000000000000000003
P1=1111111111111111111111111111111111111111111111111111111111111111
P2=2222222222222222222222222222222222222222222222222222222222222222

modprobe evpn
kdp_switch
kdp_node a "$A" 1; kdp_plug a 1
kdp_node b "$B" 2; kdp_plug b 2
kdp_node c "$C" 3; kdp_plug c 3

step "one userspace socket (B, 10.2.0.2:5000) handed to two links by fd"
# The holder plays evpnd: it owns the socket, passes its fd to evpnctl for
# both links, then keeps reading it: STUN-like datagrams must still reach
# it while the kernel consumes data records. It exits (closing its fd)
# when told to, while the links still use the socket.
cat > /tmp/kdp-holder.py <<'PY'
import os, socket, subprocess, sys
ctl, a, c = sys.argv[1], sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.2.0.2", 5000))
fd = s.fileno()
for peer, remote in ((a, "10.2.0.1:5000"), (c, "10.2.0.3:5000")):
    subprocess.run([ctl, "link", "add", "evpn0", "peer", peer, "sock-fd", str(fd),
                    "remote", remote], check=True, pass_fds=(fd,))
print("ready", flush=True)
s.settimeout(90)	# the setup below can take tens of seconds on a loaded host
data, addr = s.recvfrom(2048)
print("userspace got %d bytes first byte %d from %s" % (len(data), data[0], addr[0]), flush=True)
sys.stdin.readline()
s.close()
print("closed", flush=True)
PY
mkfifo /tmp/kdp-holder-in
nsx b python3 /tmp/kdp-holder.py "$EVPNCTL" "$A" "$C" < /tmp/kdp-holder-in > /tmp/kdp-holder-out &
KDP_PIDS="$KDP_PIDS $!"
exec 7>/tmp/kdp-holder-in
for i in $(seq 50); do grep -q ready /tmp/kdp-holder-out && break; sleep 0.2; done
grep -q ready /tmp/kdp-holder-out || fail "holder did not set up the links"
ctl b key add evpn0 peer "$A" psk "$P1"
ctl b key add evpn0 peer "$C" psk "$P2"
ctl a link add evpn0 peer "$B" local 10.2.0.1:5000 remote 10.2.0.2:5000
ctl a key add evpn0 peer "$B" psk "$P1"
ctl c link add evpn0 peer "$B" local 10.2.0.3:5000 remote 10.2.0.2:5000
ctl c key add evpn0 peer "$B" psk "$P2"
# A and C talk through B: relayed unicast is sealed end to end (0xE3)
kdp_e2e a "$A" c "$C" "$(printf '%064x' 0xac)"
ctl b link show evpn0 | grep -c 'local 10.2.0.2:5000' | grep -qx 2 || fail "links do not share the socket"
nsx a ping -c 2 -i 0.2 -W 2 10.77.0.2
nsx c ping -c 2 -i 0.2 -W 2 10.77.0.2
nsx a ping -c 2 -i 0.2 -W 2 10.77.0.3		# A -> C through B, both hops on B's one socket
nsx a "$CRAFT" -t 10.2.0.2:5000 -s "$C" -d "$B" -k "$P2" stun
for i in $(seq 25); do grep -q 'userspace got' /tmp/kdp-holder-out && break; sleep 0.2; done
grep -q 'userspace got .* first byte 0 ' /tmp/kdp-holder-out || fail "STUN did not reach the socket's owner"

step "userspace closes its fd first: the links keep working"
echo >&7
exec 7>&-
for i in $(seq 25); do grep -q closed /tmp/kdp-holder-out && break; sleep 0.2; done
cat /tmp/kdp-holder-out
nsx a ping -c 2 -i 0.2 -W 2 10.77.0.3

step "last link gone: the socket is plain UDP again (kernel reference dropped)"
ctl b link del evpn0 peer "$A"
nsx c ping -c 1 -W 2 10.77.0.2
ctl b link del evpn0 peer "$C"
nsx b python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.2.0.2", 5000)); print("   rebound 10.2.0.2:5000")'

step "a socket restored while userspace still holds it receives everything"
cat > /tmp/kdp-holder2.py <<'PY'
import socket, subprocess, sys
ctl, a = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.2.0.2", 5002))
fd = s.fileno()
subprocess.run([ctl, "link", "add", "evpn0", "peer", a, "sock-fd", str(fd), "remote", "10.2.0.1:5002"],
               check=True, pass_fds=(fd,))
subprocess.run([ctl, "link", "del", "evpn0", "peer", a], check=True)
open("/tmp/kdp-holder2.ready", "w").close()
s.settimeout(10)
data, addr = s.recvfrom(4096)
print("   after link del userspace got a %d-byte datagram, first byte 0x%02x" % (len(data), data[0]))
assert data[0] & 0xf0 == 0xe0
PY
rm -f /tmp/kdp-holder2.ready
nsx b python3 /tmp/kdp-holder2.py "$EVPNCTL" "$A" &
h2=$!
# Send only once the link is gone (evpnctl under ASan in TCG can take
# longer than any fixed sleep on a loaded host).
for _ in $(seq 100); do [ -e /tmp/kdp-holder2.ready ] && break; sleep 0.1; done
[ -e /tmp/kdp-holder2.ready ] || fail "link add/del by fd did not finish"
nsx a "$CRAFT" -t 10.2.0.2:5002 -s "$A" -d "$B" -k "$P1" valid
wait "$h2" || fail "restored socket did not receive the evpn record"

step "rmmod while iperf3 runs over a link"
ctl b link add evpn0 peer "$A" local 10.2.0.2:5000 remote 10.2.0.1:5000
ctl b key add evpn0 peer "$A" psk "$P1"
nsx a ping -c 1 -W 2 10.77.0.2 >/dev/null
nsx b iperf3 -s -1 -B 10.77.0.2 >/dev/null 2>&1 &
KDP_PIDS="$KDP_PIDS $!"
sleep 0.5
nsx a timeout 20 iperf3 -c 10.77.0.2 -t 8 >/dev/null 2>&1 &
ip1=$!
sleep 3
rmmod evpn
echo "   module unloaded under load"
wait "$ip1" || true
kdp_dmesg_clean
ip -all netns exec ip link show type evpn 2>/dev/null | grep -q evpn && fail "evpn device left after rmmod"
for n in a b c; do nsx "$n" python3 -c 'import socket,sys
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((sys.argv[1], 5000))' "10.2.0.$(( $(printf %d "'$n") - 96 ))" ||
	fail "node $n: port 5000 still held after rmmod"; done

step "ip netns del of a namespace holding a device with links, under traffic"
modprobe evpn
for n in a b; do
	i=$(( $(printf %d "'$n") - 96 ))
	nsx "$n" ip link add evpn0 address "02:77:00:00:00:0$i" type evpn
	nsx "$n" ip addr add "10.77.0.$i/24" dev evpn0
	nsx "$n" ip link set evpn0 up
done
ctl a set evpn0 node-id "$A"
ctl b set evpn0 node-id "$B"
kdp_sw_link a 1 "$A" b 2 "$B" "$P1"
nsx a ping -c 1 -W 2 10.77.0.2 >/dev/null
nsx a ping -f -w 3 10.77.0.2 >/dev/null 2>&1 &
ip2=$!
sleep 1
ip netns del kdp-b
KDP_NODES=${KDP_NODES/ b/}
wait "$ip2" || true
sleep 1
kdp_dmesg_clean
# The namespace's own socket keeps it alive until its links go (see
# docs/netlink.md "Socket lifetime"); unloading the module removes them.
rmmod evpn
sleep 1
kdp_dmesg_clean
echo "PASS test_kdp_lifetime"
