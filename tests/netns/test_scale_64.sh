#!/bin/bash
# check: alone (65 nodes: CPU-bound, tests/run.sh runs it by itself)
# Mass start and XMPP server restart at 64 nodes (issue 12, item 2): 64
# evpnd (TAP datapath, release build, topology symphony, k = 4; three
# behind their own NAT), one prosody, one coturn.
#   1. simultaneous start: every one of >= 200 sampled pairs (every node as
#      source and destination) pings;
#   2. the XMPP server goes away for SCALE_OUTAGE_S (10) seconds: data keeps
#      flowing (a sample with every node as source and destination pings
#      throughout) and no UP link goes down;
#   3. prosody comes back: every node sees all 63 others present again
#      (membership re-converged), every sampled pair pings.
# No timing assertion: the deadlines are generous failure bounds scaled by
# the machine's load (tests/lib/slowdown.sh). The measurements are printed
# (and as RESULT scale64 ... lines).
#
# Run time: ~1.6 min when the machine is otherwise quiet (world 16 s, all
# pairs 24 s after the launch, 10 s outage + checks, membership back 38 s
# after the server's restart, teardown); 4-5.5 min at a load of 20-60
# (2 cores shared with other builds and tests).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cp_lib.sh"
. "$(dirname "$0")/scale_lib.sh"

N=${SCALE_N:-64}
OUTAGE=${SCALE_OUTAGE_S:-10}
CP_EVPND=$EVPN_ROOT/build/bin/evpnd	# release: see test_sym_32.sh
[ -x "$CP_EVPND" ] || ns_skip "$CP_EVPND not built"
export CP_EVPND

ns_init
scale_init
T_BEGIN=$(cp_now)
CP_MEMBERS=$(for i in $(seq "$N"); do printf 'n%d@%s ' "$i" "$XMPP_DOMAIN"; done)
cp_bins
ns_require tcpdump python3
scale_world "$N"
ns_log "world ready after $(cp_elapsed "$T_BEGIN") s ($N nodes; load $(cut -d' ' -f1-3 /proc/loadavg))"
ALL=()
for i in $(seq "$N"); do ALL+=("n$i"); done

# ---- 1. simultaneous start ---------------------------------------------------
scale_pairs 224 "${ALL[@]}" >"$NS_DIR/pairs-start"
scale_launch "${ALL[@]}"
T0=$SCALE_T0
ns_log "$N evpnd started in $(cp_elapsed "$T0") s"
scale_converge start "$NS_DIR/pairs-start" "$T0" "$(test_scale 150)"
START_S=$CONV
scale_check_alive "${ALL[@]}"
scale_link_counts "${ALL[@]}"
[ "$LINKS_MIN" -ge 2 ] || ns_fail "a node has only $LINKS_MIN links"
ns_log "presumed dead during the start: $(scale_log_count 'presumed dead')"

# ---- 2. the XMPP server goes away ---------------------------------------------
ups_before=$(scale_log_count ' down: ')
scale_pairs "$N" "${ALL[@]}" >"$NS_DIR/pairs-outage"
ns_log "stopping prosody for ${OUTAGE}s"
prosody_stop
T1=$(cp_now)
rounds=0
while awk -v t="$(cp_elapsed "$T1")" -v d="$OUTAGE" 'BEGIN { exit !(t < d) }'; do
	cp "$NS_DIR/pairs-outage" "$NS_DIR/pend-outage"
	# a ping may be lost while a link rekeys: each pair gets 5 s
	ns_wait_for 5 scale_verify_round "$NS_DIR/pend-outage" ||
		ns_fail "outage: pairs unreachable while the server is down: $(tr '\n' ' ' <"$NS_DIR/pend-outage")"
	rounds=$((rounds + 1))
done
downs=$(( $(scale_log_count ' down: ') - ups_before ))
ns_log "outage: $rounds ping rounds of $N pairs all answered; links down meanwhile: $downs"
[ "$downs" = 0 ] || {
	cat "$NS_DIR"/evpnd-*.log | grep ' down: ' | tail -n "$downs" >&2
	ns_fail "$downs UP links went down while the server was away"
}
scale_check_alive "${ALL[@]}"

# ---- 3. the server is back -----------------------------------------------------
T2=$(cp_now)
scale_prosody_restart
ns_wait_for 120 scale_all_present "$N" "${ALL[@]}" || {
	scale_facts "${ALL[@]}" >&2
	ns_fail "membership did not re-converge after the server restart"
}
MEMBERS_S=$(cp_elapsed "$T2")
ns_log "every node sees all $((N - 1)) others again after ${MEMBERS_S}s"
scale_pairs 200 "${ALL[@]}" >"$NS_DIR/pairs-after"
scale_converge after_restart "$NS_DIR/pairs-after" "$T2" "$(test_scale 150)"
AFTER_S=$CONV
scale_check_alive "${ALL[@]}"
scale_link_counts "${ALL[@]}"

scale_check_logs
ns_log "presumed dead in all: $(scale_log_count 'presumed dead')," \
	"refusals (in-degree cap): $(scale_log_count 'refusing link')," \
	"prosody CPU: $(ps -o times= -p "$PROSODY_PID" | tr -d ' ') s"
echo "RESULT scale64 evpn-$N start_all_pairs_s $START_S"
echo "RESULT scale64 evpn-$N restart_members_s $MEMBERS_S"
echo "RESULT scale64 evpn-$N restart_all_pairs_s $AFTER_S"
echo "PASS: $N nodes: all pairs after ${START_S}s; ${OUTAGE}s server outage: data flowed, no link lost; membership back after ${MEMBERS_S}s, all pairs ${AFTER_S}s (test ran $(cp_elapsed "$T_BEGIN")s, load $(cut -d' ' -f1-3 /proc/loadavg))"
