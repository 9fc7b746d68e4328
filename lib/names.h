/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Names for enum evpn_drop_reason (uapi/linux/evpn.h), the one spelling used
 * everywhere: evpnd's and evpnctl's text and JSON output, docs and tests.
 * Underscores, so a name is a valid JSON key and Prometheus label value.
 */
#ifndef EVPN_LIB_NAMES_H
#define EVPN_LIB_NAMES_H

#include <linux/evpn.h>

/* "no_link", "auth", ...; "unknown" for values this build does not know. */
const char *evpn_drop_name(unsigned int reason);

/* "key_soft_limit", ... (evpnctl events; underscores like the drop
 * reasons); "unknown" likewise. */
const char *evpn_event_name(unsigned int type);

#endif /* EVPN_LIB_NAMES_H */
