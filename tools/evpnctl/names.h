/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Human/JSON names for enum evpn_drop_reason (uapi/linux/evpn.h). */
#ifndef EVPNCTL_NAMES_H
#define EVPNCTL_NAMES_H

#include <linux/evpn.h>

/* "no-link", "auth", ...; "unknown" for values this build does not know. */
const char *evpn_drop_reason_name(unsigned int reason);

#endif /* EVPNCTL_NAMES_H */
