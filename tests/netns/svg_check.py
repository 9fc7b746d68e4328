#!/usr/bin/python3
# tests/netns/test_metrics_topology.sh's SVG check: the file is well-formed
# XML (an SVG), has one node per expected ID (graphviz puts the node name in
# the node's <title>), and edges of the expected classes.
# Args: SVG_FILE MIN_OURS MIN_REPORTED ID...
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
path, min_ours, min_reported, ids = (sys.argv[1], int(sys.argv[2]),
                                     int(sys.argv[3]), set(sys.argv[4:]))


def fail(msg):
    print("svg_check: " + msg, file=sys.stderr)
    sys.exit(1)


root = ET.parse(path).getroot()
if root.tag != NS + "svg":
    fail("root element %s" % root.tag)
nodes, edges = set(), []
for g in root.iter(NS + "g"):
    cls = g.get("class", "").split()
    title = g.find(NS + "title")
    if "node" in cls and title is not None:
        nodes.add(title.text)
    elif "edge" in cls:
        edges.append(cls)
if nodes != ids:
    fail("nodes %s, want %s" % (sorted(nodes), sorted(ids)))
ours = sum("ours" in c for c in edges)
reported = sum("reported" in c for c in edges)
if ours < min_ours or reported < min_reported:
    fail("edges: %d ours, %d reported (%s)" % (ours, reported, edges))
print("svg_check: %d nodes, %d edges (%d ours, %d reported)" %
      (len(nodes), len(edges), ours, reported))
