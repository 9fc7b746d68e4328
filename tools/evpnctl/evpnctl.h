/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* evpnctl subcommands. Each returns the process exit status. */
#ifndef EVPNCTL_H
#define EVPNCTL_H

#include <stdbool.h>

int cmd_show(int argc, char **argv);
int cmd_set(int argc, char **argv);

#endif /* EVPNCTL_H */
