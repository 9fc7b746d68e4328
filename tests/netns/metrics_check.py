#!/usr/bin/python3
# tests/netns/test_metrics_topology.sh's scrape check (Debian's python3 with
# python3-prometheus-client): fetch URL, parse it with the Prometheus text
# parser, check families, labels and values. Args: URL SELF_ID PEER_ID...
import os
import sys
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

url, self_id, peers = sys.argv[1], sys.argv[2], set(sys.argv[3:])
# static links only (no [overlay]): no overlay families, links named freely
static = os.environ.get("METRICS_STATIC") == "1"


def fail(msg):
    print("metrics_check: " + msg, file=sys.stderr)
    sys.exit(1)


with urllib.request.urlopen(url, timeout=10) as r:
    ctype = r.headers.get("Content-Type", "")
    text = r.read().decode()
if not ctype.startswith("text/plain; version=0.0.4"):
    fail("content type " + ctype)
fams = {f.name: f for f in text_string_to_metric_families(text)}


def samples(name):
    if name not in fams:
        fail("no family %s (have %s)" % (name, sorted(fams)))
    return fams[name].samples


info = samples("evpn_info")
if len(info) != 1 or info[0].labels["node_id"] != self_id:
    fail("evpn_info: %s" % (info,))
if fams["evpn_rx_packets"].type != "counter":
    fail("evpn_rx_packets is not a counter")
if samples("evpn_rx_packets")[0].value <= 0:
    fail("no records received")
reasons = {s.labels["reason"] for s in samples("evpn_drops")}
for r in ("replay", "auth", "no_link"):
    if r not in reasons:
        fail("evpn_drops has no reason %s" % r)
# per-link families: one sample per link, labelled with the peer's ID
for fam in ("evpn_link_rx_packets", "evpn_link_tx_bytes", "evpn_link_up",
            "evpn_link_relayed", "evpn_link_up_seconds"):
    got = {s.labels["peer"]: s for s in samples(fam)}
    if set(got) != peers:
        fail("%s: peers %s, want %s" % (fam, sorted(got), sorted(peers)))
    for s in got.values():
        if not s.labels.get("link"):
            fail("%s: no link label" % fam)
for s in samples("evpn_link_tx_bytes"):
    if s.value <= 0:
        fail("link %s sent nothing" % s.labels["link"])
for s in samples("evpn_link_up"):
    if s.value != 1:
        fail("link %s not up" % s.labels["link"])
drops = samples("evpn_link_drops")
if len(drops) != len(peers) * len(reasons):
    fail("evpn_link_drops: %d samples" % len(drops))
if static:
    if "evpn_xmpp_online" in fams:
        fail("overlay families without an overlay")
    print("metrics_check: %d families (static)" % len(fams))
    sys.exit(0)
online = samples("evpn_xmpp_online")
if [(s.labels["overlay"], s.value) for s in online] != [("t", 1.0)]:
    fail("evpn_xmpp_online: %s" % (online,))
if samples("evpn_overlay_members")[0].value < len(peers):
    fail("evpn_overlay_members: %s" % samples("evpn_overlay_members"))
if samples("evpn_overlay_link_setups")[0].value < len(peers):
    fail("evpn_overlay_link_setups: %s" % samples("evpn_overlay_link_setups"))
# anything but /metrics is a 404
try:
    urllib.request.urlopen(url.rsplit("/", 1)[0] + "/other", timeout=10)
    fail("/other answered")
except urllib.error.HTTPError as e:
    if e.code != 404:
        fail("/other: %d" % e.code)
print("metrics_check: %d families, %d samples" %
      (len(fams), sum(len(f.samples) for f in fams.values())))
