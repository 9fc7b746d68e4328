/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * JSON output through json-glib, for evpnd's control socket and evpnctl.
 * No JSON is written by hand anywhere else: these helpers add members to
 * the builder's open object, and make every string valid UTF-8 first
 * (a JID, link or interface name may hold any byte; invalid sequences
 * become U+FFFD), so the generator's escaping yields valid JSON.
 */
#ifndef EVPN_JSONOUT_H
#define EVPN_JSONOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <json-glib/json-glib.h>

/* A member "key": "s" (null when @s is NULL). */
void ej_str(JsonBuilder *b, const char *key, const char *s);
/* An array element "s". */
void ej_str_elem(JsonBuilder *b, const char *s);
void ej_int(JsonBuilder *b, const char *key, int64_t v);
void ej_uint(JsonBuilder *b, const char *key, uint64_t v);
void ej_double(JsonBuilder *b, const char *key, double v);
void ej_bool(JsonBuilder *b, const char *key, bool v);
void ej_null(JsonBuilder *b, const char *key);
/* Open an object / array member ("key": { / "key": [). */
void ej_object(JsonBuilder *b, const char *key);
void ej_array(JsonBuilder *b, const char *key);

/* Write @node (one line, or indented with @pretty) and a newline. */
void ej_write(FILE *out, JsonNode *node, bool pretty);
/* The builder's root, written as by ej_write(); the builder is unref'd. */
void ej_finish(FILE *out, JsonBuilder *b, bool pretty);
/* {"error": msg} / {"ok": true}: the control socket's replies. */
void ej_reply_error(FILE *out, const char *msg);
void ej_reply_ok(FILE *out);

#endif /* EVPN_JSONOUT_H */
