/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Prometheus metrics: with a [metrics] section (listen = IP:PORT; off by
 * default) evpnd answers `GET /metrics` over HTTP on that address from its
 * GLib main loop, in the Prometheus text format 0.0.4. Metric names and
 * labels: docs/configuration.md "[metrics]".
 */
#ifndef EVPND_METRICS_H
#define EVPND_METRICS_H

#include <stdio.h>
#include "config.h"
#include "datapath.h"

/* Opens the listener if the config has [metrics]; 0 or -1 (logged). */
int metrics_start(const struct evpnd_config *cfg, struct dp *dp);
void metrics_stop(void);
/* The exposition text (also for unit tests). */
void metrics_write(struct dp *dp, FILE *out);

#endif /* EVPND_METRICS_H */
