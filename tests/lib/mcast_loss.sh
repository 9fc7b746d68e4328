# shellcheck shell=bash
#
# tests/lib/mcast_loss.sh -- the nftables rule with which test_tap_mcast and
# vm/test_kdp_mcast lose one multicast announcement (docs/protocol.md 8.4:
# a change is announced at once and repeated twice).
#
# mcast_loss_ruleset SRC_IP prints a ruleset for a neighbour of SRC_IP that
# drops the first announcement SRC_IP sends it: with one group announced it
# is the only 100-byte UDP datagram SRC_IP sends, and the quota lets one
# through before it runs out. Load it with `nft -f -` in that neighbour.
mcast_loss_ruleset()
{
	cat <<EOF2
table inet hdloss {
	chain in {
		type filter hook input priority 0;
		ip saddr $1 udp length 100 quota until 150 bytes counter drop
	}
}
EOF2
}
