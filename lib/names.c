// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "names.h"

static const char *const drop_names[__EVPN_DROP_MAX] = {
	[EVPN_DROP_NONE]	= "none",
	[EVPN_DROP_TRUNCATED]	= "truncated",
	[EVPN_DROP_OVERSIZE]	= "oversize",
	[EVPN_DROP_BAD_VERSION]	= "bad_version",
	[EVPN_DROP_BAD_HEADER]	= "bad_header",
	[EVPN_DROP_UNKNOWN_KEY]	= "unknown_key",
	[EVPN_DROP_KEY_EXPIRED]	= "key_expired",
	[EVPN_DROP_AUTH]	= "auth",
	[EVPN_DROP_REPLAY]	= "replay",
	[EVPN_DROP_TTL]		= "ttl",
	[EVPN_DROP_NO_ROUTE]	= "no_route",
	[EVPN_DROP_NOT_FOR_US]	= "not_for_us",
	[EVPN_DROP_LOOP]	= "loop",
	[EVPN_DROP_NO_LINK]	= "no_link",
	[EVPN_DROP_NOMEM]	= "nomem",
	[EVPN_DROP_TX_ERROR]	= "tx_error",
	[EVPN_DROP_NOT_DATA]	= "not_data",
	[EVPN_DROP_BAD_SRC]	= "bad_src",
	[EVPN_DROP_E2E_NO_KEY]	= "e2e_no_key",
	[EVPN_DROP_E2E_AUTH]	= "e2e_auth",
	[EVPN_DROP_E2E_REPLAY]	= "e2e_replay",
	[EVPN_DROP_FLOOD_RATE]	= "flood_rate",
	[EVPN_DROP_FRAG_INVALID] = "frag_invalid",
	[EVPN_DROP_FRAG_OVERLAP] = "frag_overlap",
	[EVPN_DROP_FRAG_TIMEOUT] = "frag_timeout",
	[EVPN_DROP_FRAG_NO_ROOM] = "frag_no_room",
	[EVPN_DROP_TOO_BIG]	= "too_big",
	[EVPN_DROP_FRAG_SHARE]	= "frag_share",
};

static const char *const event_names[__EVPN_EVENT_MAX] = {
	[EVPN_EVENT_KEY_SOFT_LIMIT]	= "key_soft_limit",
	[EVPN_EVENT_KEY_HARD_LIMIT]	= "key_hard_limit",
	[EVPN_EVENT_ENDPOINT_CHANGED]	= "endpoint_changed",
	[EVPN_EVENT_PEER_UNREACHABLE]	= "peer_unreachable",
};

const char *evpn_drop_name(unsigned int reason)
{
	if (reason < __EVPN_DROP_MAX && drop_names[reason])
		return drop_names[reason];
	return "unknown";
}

const char *evpn_event_name(unsigned int type)
{
	if (type < __EVPN_EVENT_MAX && event_names[type])
		return event_names[type];
	return "unknown";
}
