#!/bin/bash
# Membership on an ejabberd cluster (issue 12 item 4): two ejabberd nodes
# (Debian's ejabberd, Erlang distribution between two namespaces, Mnesia
# replicating accounts and the shared roster group) carry one overlay whose
# members are split across them: a and b log in to x1, c and d to x2.
#   1. accounts and the group are created half on each server node; every
#      member sees every other one, links form across the cluster nodes and
#      all 12 ordered pairs ping over the overlay;
#   2. x2 dies: only c's and d's XMPP sessions go (a and b stay online, and
#      keep exchanging signalling: a link request between them still
#      works); the data links, which live on their own keepalives, keep
#      carrying traffic between all four;
#   3. x2 comes back and rejoins the cluster by itself (its Mnesia knows
#      x1): c and d are online again and see the whole group.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"
. "$(dirname "$0")/ejabberd_lib.sh"

ns_init
cp_bins
ejabberd_bins
ns_switch inet
ns_host x1; ns_switch_port inet x1 eth0 10.99.0.10/24
ns_host x2; ns_switch_port inet x2 eth0 10.99.0.11/24
turn_start x1 10.99.0.10

ejabberd_start x1 10.99.0.10
ejabberd_start x2 10.99.0.11 10.99.0.10
ns_log "cluster: $(ejabberd_ctl x1 10.99.0.10 list_cluster | tr '\n' ' ')"
[ "$(ejabberd_ctl x2 10.99.0.11 list_cluster | grep -c ejabberd@)" = 2 ] ||
	ns_fail "x2 did not join x1's cluster"

# the group on x1; members registered half through each node
ejabberd_group x1 10.99.0.10 "$CP_GROUP"
declare -A SERVER=([a]=10.99.0.10 [b]=10.99.0.10 [c]=10.99.0.11 [d]=10.99.0.11)
declare -A XNS=([10.99.0.10]=x1 [10.99.0.11]=x2)
i=20
for n in a b c d; do
	i=$((i + 1))
	ns_host "$n"; ns_switch_port inet "$n" eth0 "10.99.0.$i/24"
	s=${SERVER[$n]}
	ejabberd_member "${XNS[$s]}" "$s" "$n@$XMPP_DOMAIN" "pw-$n" "$CP_GROUP"
	cp_conf "$n" "$(printf '%02x' $((i * 8)))"
	sed -i "s/^server = .*/server = $s/" "$NS_DIR/$n/evpnd.conf"
done
members=$(ejabberd_ctl x2 10.99.0.11 srg_get_members "$CP_GROUP" "$XMPP_DOMAIN" | sort | tr '\n' ' ')
ns_log "group members seen by x2: $members"
[ "$members" = "a@$XMPP_DOMAIN b@$XMPP_DOMAIN c@$XMPP_DOMAIN d@$XMPP_DOMAIN " ] ||
	ns_fail "the group did not replicate to x2"

t0=$(cp_now)
for n in a b c d; do cp_start "$n"; done

online() { [ "$(cp_get "$1" 'j["overlays"][0]["xmpp"]')" = online ]; }
all_ping()
{
	local x y
	for x in a b c d; do
		for y in a b c d; do
			[ "$x" = "$y" ] || cp_ping "$x" "$y" || return 1
		done
	done
}
peers_seen() { [ "$(cp_get "$1" 'len(j["overlays"][0]["peers"])')" -ge 3 ]; }

for n in a b c d; do
	ns_wait_for 20 online "$n" || ns_fail "$n not online at ${SERVER[$n]}"
	ns_wait_for 20 peers_seen "$n" || ns_fail "$n does not see the whole group"
done
ns_wait_for 40 all_ping || ns_fail "the overlay across the cluster did not converge"
ns_log "phase 1: 4 members on 2 cluster nodes, all pairs ping after $(cp_elapsed "$t0") s"
cross=0
for x in a b; do
	for y in c d; do cp_link_up "$x" "$y" && cross=$((cross + 1)); done
done
[ "$cross" -ge 1 ] || ns_fail "no link between members of different cluster nodes"
ns_log "links across cluster nodes: $cross"

# 2. x2 dies
ejabberd_stop x2 10.99.0.11
offline() { ! online "$1"; }
ns_wait_for 30 offline c || ns_fail "c still online with its server gone"
ns_wait_for 30 offline d || ns_fail "d still online with its server gone"
online a && online b || ns_fail "a/b lost their sessions when x2 died"
all_ping || ns_fail "data stopped when one cluster node died"
# signalling between x1's members still works: b restarts, and its new
# link request to a goes through x1 (a counts one more link up)
ups=$(cp_get a 'j["overlays"][0]["links_up"]')
cp_stop_clean b
cp_start b
ns_wait_for 20 online b || ns_fail "b could not log in again to x1"
relinked()
{
	[ "$(cp_get a 'j["overlays"][0]["links_up"]')" -gt "$ups" ] &&
		cp_link_up a b && cp_ping a b
}
ns_wait_for 30 relinked || ns_fail "a and b could not signal a new link through x1"
ns_log "phase 2: x2 down: c, d offline; a, b online and re-linked through x1; all pairs still ping"

# 3. x2 back: it rejoins from its own Mnesia, c and d log in again
EJ_PID[10.99.0.11]=$(ns_bg x2 "ejabberd-x2-again.stdout.log" ejabberdctl \
	-d "$NS_DIR/ejabberd-10.99.0.11" -c "$NS_DIR/ejabberd-10.99.0.11/ejabberdctl.cfg" \
	-s "$NS_DIR/ejabberd-10.99.0.11/spool" -l "$NS_DIR/ejabberd-10.99.0.11/log" \
	-f "$NS_DIR/ejabberd-10.99.0.11/ejabberd.yml" foreground)
ns_wait_for 30 ejabberd_up x2 10.99.0.11 || ns_fail "x2 did not restart"
[ "$(ejabberd_ctl x1 10.99.0.10 list_cluster | grep -c ejabberd@)" = 2 ] ||
	ns_fail "x2 did not rejoin the cluster"
ns_wait_for 60 online c || ns_fail "c did not log in again"
ns_wait_for 60 online d || ns_fail "d did not log in again"
ns_wait_for 30 peers_seen c || ns_fail "c does not see the group after x2's restart"
ns_wait_for 40 all_ping || ns_fail "the overlay did not re-converge"
ns_log "phase 3: x2 back in the cluster, c and d online, all pairs ping"
for n in a b c d; do cp_stop_clean "$n"; done
echo "PASS"
