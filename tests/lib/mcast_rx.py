#!/usr/bin/python3
"""A multicast receiver for the tests: joins GROUP on the interface IFNAME
(IP_ADD_MEMBERSHIP / IPV6_JOIN_GROUP, as any application does), counts the
datagrams that arrive on PORT and rewrites the count to OUTFILE after each
one. Runs until killed; closing the socket (exit) leaves the group.

    mcast_rx.py GROUP PORT IFNAME OUTFILE
"""
import os
import socket
import struct
import sys


def main():
    group, port, ifname, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    idx = socket.if_nametoindex(ifname)
    if ':' in group:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((group, port, 0, idx))
        mreq = socket.inet_pton(socket.AF_INET6, group) + struct.pack('@I', idx)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((group, port))
        # struct ip_mreqn: group, local address (any), interface index
        mreq = socket.inet_aton(group) + socket.inet_aton('0.0.0.0') + struct.pack('@i', idx)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    n = 0
    with open(out, 'w') as f:
        f.write('0\n')
    while True:
        s.recv(65535)
        n += 1
        with open(out + '.tmp', 'w') as f:
            f.write('%d\n' % n)
        os.replace(out + '.tmp', out)


if __name__ == '__main__':
    main()
