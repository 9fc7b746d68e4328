// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "names.h"

static const char *const drop_names[__EVPN_DROP_MAX] = {
	[EVPN_DROP_NONE]	= "none",
	[EVPN_DROP_TRUNCATED]	= "truncated",
	[EVPN_DROP_OVERSIZE]	= "oversize",
	[EVPN_DROP_BAD_VERSION]	= "bad-version",
	[EVPN_DROP_BAD_HEADER]	= "bad-header",
	[EVPN_DROP_UNKNOWN_KEY]	= "unknown-key",
	[EVPN_DROP_KEY_EXPIRED]	= "key-expired",
	[EVPN_DROP_AUTH]	= "auth",
	[EVPN_DROP_REPLAY]	= "replay",
	[EVPN_DROP_TTL]		= "ttl",
	[EVPN_DROP_NO_ROUTE]	= "no-route",
	[EVPN_DROP_NOT_FOR_US]	= "not-for-us",
	[EVPN_DROP_LOOP]	= "loop",
	[EVPN_DROP_NO_LINK]	= "no-link",
	[EVPN_DROP_NOMEM]	= "nomem",
	[EVPN_DROP_TX_ERROR]	= "tx-error",
	[EVPN_DROP_NOT_DATA]	= "not-data",
};

const char *evpn_drop_reason_name(unsigned int reason)
{
	if (reason < __EVPN_DROP_MAX && drop_names[reason])
		return drop_names[reason];
	return "unknown";
}
