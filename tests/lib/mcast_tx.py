#!/usr/bin/python3
"""Send COUNT datagrams of SIZE bytes to GROUP:PORT out of IFNAME, one every
INTERVAL seconds (multicast TTL/hop limit 8, loopback off).

    mcast_tx.py GROUP PORT IFNAME COUNT SIZE INTERVAL
"""
import socket
import struct
import sys
import time


def main():
    group, port, ifname = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    count, size, interval = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
    idx = socket.if_nametoindex(ifname)
    if ':' in group:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 8)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 0)
        dst = (group, port, 0, idx)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        mreqn = socket.inet_aton('0.0.0.0') * 2 + struct.pack('@i', idx)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, mreqn)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 8)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
        dst = (group, port)
    payload = b'M' * size
    for _ in range(count):
        s.sendto(payload, dst)
        time.sleep(interval)


if __name__ == '__main__':
    main()
