/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module version. Must equal VERSION in the top-level Makefile and
 * PACKAGE_VERSION in dkms.conf: scripts/dkms-install.sh refuses to install
 * when they differ. (A header, not a -D flag, so the DKMS tree -- which has
 * no Makefile -- builds the same module.)
 */
#ifndef EVPN_KMOD_VERSION_H
#define EVPN_KMOD_VERSION_H

#define EVPN_VERSION "0.1.0"

#endif /* EVPN_KMOD_VERSION_H */
