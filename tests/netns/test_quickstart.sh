#!/bin/bash
# docs/quickstart.md, followed literally (issue 14 item 1): the blocks marked
# <!-- qs:NAME --> are extracted from the page and run as they are written,
# on a prosody server and three nodes, each a network namespace with its own
# /etc, /var/lib, /var/log and /run (overlay mounts over the host's, so the
# page's real paths work and nothing of the host is written). Then node 1
# runs the page's check block: `evpnctl show evpn0` and pings to nodes 2
# and 3 over the overlay.
#
# What the test does itself, and why:
# - installing (step 1): evpnd and evpnctl of this build are put on PATH;
# - the `scp` of the server's certificate (step 3): copied between the
#   namespaces' files;
# - systemd: a `systemctl` on PATH starts the same programs the units
#   start (`restart prosody`: prosody -F as user prosody, like Debian's
#   prosody.service; `enable --now evpnd@NAME`: evpnd -f -c
#   /etc/evpn/NAME.conf, like etc/systemd/evpnd@.service);
# - the node block's `N=1` line becomes N=2 and N=3 on the other nodes, as
#   the page says; the account lines `evpnctl init` printed for prosody are
#   run on the server, as the page says.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/quickstart_lib.sh"

ns_init
ns_require prosody prosodyctl
[ -d /etc/prosody/conf.d ] || ns_skip "no /etc/prosody/conf.d (prosody package)"
qs_init server node server-members node-start node-check

qs_host srv 192.0.2.10
for n in 1 2 3; do qs_host "n$n" "192.0.2.$n"; done

# --- step 2: the server ---
qs_run srv "$NS_DIR/server.sh"

# --- step 3: each node runs `evpnctl init`; its prosody lines run on srv ---
for n in 1 2 3; do
	qs_node_init "n$n" $n prosody /etc/prosody/certs/evpn.example.org.crt
done

# init refuses to overwrite a config, and a JID it could not print safely
again() { nsenter -t "${HOLDER[n1]}" -m -n env PATH="$NS_DIR/bin:$PATH" "$@" 2>&1; }
out=$(again bash -e "$NS_DIR/node1.sh") && ns_fail "init overwrote n1's config"
grep -q "evpnd.conf exists (--force replaces it)" <<<"$out" || ns_fail "second init said: $out"
out=$(again evpnctl init --jid "x';reboot'@evpn.example.org" --config /tmp/x.conf) &&
	ns_fail "init accepted a quote in the JID"
grep -q "use letters, digits" <<<"$out" || ns_fail "init on a bad JID said: $out"
# what init wrote passes the checker (the CA is there now)
again evpnd -t -c /etc/evpn/evpnd.conf >/dev/null || ns_fail "evpnd -t on n1: $(again evpnd -t -c /etc/evpn/evpnd.conf)"
[ "$(again stat -c %a /etc/evpn/xmpp.pass)" = 600 ] || ns_fail "password file mode"

# --- step 4, 5 ---
qs_run srv "$NS_DIR/server-members.sh"
for n in 1 2 3; do qs_run "n$n" "$NS_DIR/node-start.sh"; done

# --- step 6: node 1's check block, once the links had their time ---
pings() { ns_exec n1 ping -c1 -W1 "$1"; }
ns_wait_for 30 pings 10.200.0.2 || ns_fail "n1 cannot ping 10.200.0.2"
ns_wait_for 30 pings 10.200.0.3 || ns_fail "n1 cannot ping 10.200.0.3"
qs_run n1 "$NS_DIR/node-check.sh" "$NS_DIR/check.out"
grep -q "3 received" "$NS_DIR/check.out" || ns_fail "check: $(cat "$NS_DIR/check.out")"
cat "$NS_DIR/check.out"
qs_check_logs n1 n2 n3
echo "PASS: docs/quickstart.md followed literally: three nodes ping over the overlay"
