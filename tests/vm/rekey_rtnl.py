#!/usr/bin/env python3
# Helper of tests/vm/test_kdp_rekey_rtnl.sh (run inside the VM, as root):
# how long an RTNL request from another user waits while a peer's keys are
# replaced at a given rate.
#
#   rekey_rtnl.py DEV PEER_ID SECONDS MTU_DEV
#
# For RATE = 0 (idle), 100 and 1000 per second, SECONDS each: a thread
# replaces the NEXT key slot of DEV's link to PEER_ID RATE times a second
# (KEY_NEW over raw generic netlink, so the rate is not limited by process
# start-up), while the main thread times
# `ip link set dev MTU_DEV mtu N` commands (the whole command, as an
# operator sees it) and, separately, bare RTM_SETLINK requests (the kernel
# part alone). Prints one line per measure; exits non-zero if any `ip link`
# command failed.
import os, re, socket, struct, subprocess, sys, threading, time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def const_value(expr, c):
    """An enum value: a number, or an expression over names defined before
    it (the generated header has EVPN_DROP_MAX = (__EVPN_DROP_MAX - 1))."""
    expr = re.sub(r"\b(\d+)[uUlL]+\b", r"\1", expr)
    expr = re.sub(r"\b([A-Za-z_]\w*)\b", lambda m: str(c[m.group(1)]), expr)
    return int(eval(expr, {"__builtins__": {}}))


def uapi_consts():
    """Enum values and #defines of uapi/linux/evpn.h, parsed (no C compiler in the VM)."""
    text = open(os.path.join(ROOT, "uapi/linux/evpn.h")).read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    c = {}
    for m in re.finditer(r"#define[ \t]+(\w+)[ \t]+(\S+)", text):
        c[m.group(1)] = m.group(2).strip('"')
    for body in re.findall(r"enum\s+\w*\s*\{(.*?)\}", text, flags=re.S):
        v = 0
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, val = item.partition("=")
            if val.strip():
                v = const_value(val.strip(), c)
            c[name.strip()] = v
            v += 1
    return c


C = uapi_consts()
NLA_F_NESTED = 0x8000


def attr(t, data):
    return struct.pack("=HH", 4 + len(data), t) + data + b"\0" * ((-len(data)) % 4)


class Nl:
    def __init__(self, proto):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
        self.s.bind((0, 0))
        self.seq = 1

    def request(self, mtype, payload, flags=0):
        """Send one request with NLM_F_ACK; return (errno, replies)."""
        self.seq += 1
        msg = struct.pack("=IHHII", 16 + len(payload), mtype, 1 | 4 | flags, self.seq, 0) + payload
        self.s.send(msg)
        replies = []
        while True:
            data = self.s.recv(65536)
            off = 0
            while off < len(data):
                ln, t, _, seq, _ = struct.unpack_from("=IHHII", data, off)
                if t == 2:  # NLMSG_ERROR
                    (err,) = struct.unpack_from("=i", data, off + 16)
                    return -err, replies
                replies.append(data[off + 16:off + ln])
                off += (ln + 3) & ~3


def genl_family(nl, name):
    payload = struct.pack("=BBH", 3, 1, 0) + attr(2, name.encode() + b"\0")  # GETFAMILY, FAMILY_NAME
    err, rep = nl.request(0x10, payload)
    if err or not rep:
        sys.exit("genl family %s: errno %d" % (name, err))
    body = rep[0][4:]
    off = 0
    while off < len(body):
        ln, t = struct.unpack_from("=HH", body, off)
        if t == 1:
            return struct.unpack_from("=H", body, off + 4)[0]
        off += (ln + 3) & ~3
    sys.exit("genl family %s: no id" % name)


def key_new_msg(dev, peer, n):
    k = attr(C["EVPN_KEY_A_PEER_ID"], peer)
    k += attr(C["EVPN_KEY_A_SLOT"], struct.pack("=I", C["EVPN_KEY_SLOT_NEXT"]))
    k += attr(C["EVPN_KEY_A_SUITE"], struct.pack("=I", C["EVPN_SUITE_AES256GCM"]))
    k += attr(C["EVPN_KEY_A_TX_KEY_ID"], struct.pack("=I", 0x7000001))
    k += attr(C["EVPN_KEY_A_TX_KEY"], bytes([n & 0xff]) * 32)
    k += attr(C["EVPN_KEY_A_TX_IV"], b"\x01" * 12)
    k += attr(C["EVPN_KEY_A_RX_KEY_ID"], struct.pack("=I", 0x7000002))
    k += attr(C["EVPN_KEY_A_RX_KEY"], bytes([(n + 1) & 0xff]) * 32)
    k += attr(C["EVPN_KEY_A_RX_IV"], b"\x02" * 12)
    return (struct.pack("=BBH", C["EVPN_CMD_KEY_NEW"], int(C["EVPN_GENL_VERSION"]), 0)
            + attr(C["EVPN_A_IFNAME"], dev.encode() + b"\0")
            + attr(C["EVPN_A_KEY"] | NLA_F_NESTED, k))


def rekey(dev, peer, rate, stop, out):
    nl = Nl(16)  # NETLINK_GENERIC
    fam = genl_family(nl, C["EVPN_GENL_NAME"])
    n = errors = 0
    t0 = time.monotonic()
    while not stop.is_set():
        err, _ = nl.request(fam, key_new_msg(dev, peer, n))
        errors += err != 0
        n += 1
        delay = t0 + n / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    out.update(n=n, errors=errors, secs=time.monotonic() - t0)


def setlink_mtu(nl, ifindex, mtu):
    ifi = struct.pack("=BxHiII", 0, 0, ifindex, 0, 0)
    return nl.request(19, ifi + attr(4, struct.pack("=I", mtu)))  # RTM_SETLINK, IFLA_MTU


def stats(ms):
    ms = sorted(ms)
    pick = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
    return "n=%d median=%.2fms p90=%.2fms p99=%.2fms max=%.2fms" % (
        len(ms), pick(0.5), pick(0.9), pick(0.99), ms[-1])


def measure(label, dev, peer, rate, secs, mtu_dev):
    stop, out = threading.Event(), {}
    th = None
    if rate:
        th = threading.Thread(target=rekey, args=(dev, peer, rate, stop, out))
        th.start()
        time.sleep(0.5)
    ifindex = socket.if_nametoindex(mtu_dev)
    nl = Nl(0)  # NETLINK_ROUTE
    ip_ms, nl_ms, failed, i = [], [], 0, 0
    t_end = time.monotonic() + secs
    while time.monotonic() < t_end:
        mtu = 1400 + (i % 2) * 100
        i += 1
        t = time.monotonic()
        r = subprocess.run(["ip", "link", "set", "dev", mtu_dev, "mtu", str(mtu)])
        ip_ms.append((time.monotonic() - t) * 1e3)
        failed += r.returncode != 0
        t = time.monotonic()
        err, _ = setlink_mtu(nl, ifindex, mtu + 1)
        nl_ms.append((time.monotonic() - t) * 1e3)
        failed += err != 0
        time.sleep(0.01)
    if th:
        stop.set()
        th.join()
    rk = ("rekeys %d in %.1fs (%.0f/s, %d errors)" % (out["n"], out["secs"], out["n"] / out["secs"], out["errors"])
          if th else "no rekeys")
    print("RESULT %s: %s" % (label, rk))
    print("RESULT %s: ip link set mtu  %s" % (label, stats(ip_ms)))
    print("RESULT %s: RTM_SETLINK mtu  %s" % (label, stats(nl_ms)))
    sys.stdout.flush()
    return failed + (out.get("errors", 0) if th else 0)


def main():
    dev, peer, secs, mtu_dev = sys.argv[1], bytes.fromhex(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    bad = 0
    for rate in (0, 100, 1000):
        bad += measure("rekey %d/s" % rate if rate else "idle", dev, peer, rate, secs, mtu_dev)
    if bad:
        sys.exit("%d ip link commands or key installs failed" % bad)


if __name__ == "__main__":
    main()
