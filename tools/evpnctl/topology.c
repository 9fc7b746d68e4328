// SPDX-License-Identifier: GPL-2.0 OR MIT
/* placeholder, filled below */
#include "evpnctl.h"
int cmd_topology(int argc, char **argv) { return 1; }
