#!/usr/bin/python3
# tests/netns/scale_show.py NS_DIR NODE...: one line of facts per node from
# its control socket (a path in the file system: reachable from any network
# namespace), in one process (N python3 starts cost seconds on a loaded
# machine):
#   NODE links=L present=P sig_out=S sig_in=I presumed_dead=D throttled=T
#   crossed_resent=C
import json, socket, sys

def show(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(path)
    s.sendall(b"show\n")
    s.shutdown(socket.SHUT_WR)
    buf = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        buf += d
    s.close()
    return json.loads(buf)

ns_dir, nodes = sys.argv[1], sys.argv[2:]
for n in nodes:
    try:
        j = show(f"{ns_dir}/{n}/run/evpn0.sock")
        o = j["overlays"][0]
        pace = o.get("pacing", {})
        print(n, f"links={len(j['links'])}",
              f"present={sum(1 for p in o['peers'] if p.get('jid'))}",
              f"sig_out={o['signalling']['out']}", f"sig_in={o['signalling']['in']}",
              f"presumed_dead={pace.get('presumed_dead', 0)}",
              f"throttled={pace.get('requests_throttled', 0)}",
              f"crossed_resent={pace.get('crossed_resent', 0)}",
              f"srtt_ms={pace.get('srtt_ms', 0)}", f"window={pace.get('window', 0)}",
              f"load={pace.get('load', 0)}")
    except (OSError, ValueError, KeyError, IndexError) as e:
        print(n, "error", type(e).__name__)
