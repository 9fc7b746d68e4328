#!/bin/bash
# docs/quickstart.md's ejabberd variant, followed literally (issue 14 item
# 1): the page's qs:ejabberd-server block on a real ejabberd (Debian's
# package and configuration, in the host's own /etc/ejabberd, /var/lib/
# ejabberd, ... through overlay mounts), then steps 3 and 5 on two nodes
# with the ejabberdctl lines `evpnctl init` printed run on the server, and
# the nodes ping over the overlay. What the test does itself, and the
# systemctl stand-in: tests/netns/quickstart_lib.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/quickstart_lib.sh"

ns_init
ns_require ejabberdctl erl
[ -f /etc/ejabberd/ejabberd.yml ] || ns_skip "no /etc/ejabberd/ejabberd.yml (ejabberd package)"
qs_init ejabberd-server node node-start

qs_host srv 192.0.2.10
for n in 1 2; do qs_host "n$n" "192.0.2.$n"; done
qs_run srv "$NS_DIR/ejabberd-server.sh"
for n in 1 2; do
	qs_node_init "n$n" $n ejabberd /etc/ejabberd/evpn.example.org.crt
done
for n in 1 2; do qs_run "n$n" "$NS_DIR/node-start.sh"; done

pings() { ns_exec "$1" ping -c1 -W1 "$2"; }
ns_wait_for 30 pings n1 10.200.0.2 || ns_fail "n1 cannot ping 10.200.0.2"
ns_wait_for 10 pings n2 10.200.0.1 || ns_fail "n2 cannot ping 10.200.0.1"
qs_check_logs n1 n2
echo "PASS: docs/quickstart.md's ejabberd setup: two nodes ping over the overlay"
