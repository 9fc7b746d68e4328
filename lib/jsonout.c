// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * JSON output through json-glib (jsonout.h).
 */
#include "jsonout.h"

static void add_key(JsonBuilder *b, const char *key)
{
	char *valid;

	if (!key)
		return;	/* an array element */
	valid = g_utf8_make_valid(key, -1);
	json_builder_set_member_name(b, valid);
	g_free(valid);
}

void ej_str(JsonBuilder *b, const char *key, const char *s)
{
	char *valid;

	add_key(b, key);
	if (!s) {
		json_builder_add_null_value(b);
		return;
	}
	valid = g_utf8_make_valid(s, -1);
	json_builder_add_string_value(b, valid);
	g_free(valid);
}

void ej_str_elem(JsonBuilder *b, const char *s)
{
	ej_str(b, NULL, s);
}

void ej_int(JsonBuilder *b, const char *key, int64_t v)
{
	add_key(b, key);
	json_builder_add_int_value(b, v);
}

/* json-glib holds integers as gint64; counters never get near 2^63 */
void ej_uint(JsonBuilder *b, const char *key, uint64_t v)
{
	ej_int(b, key, v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

void ej_double(JsonBuilder *b, const char *key, double v)
{
	add_key(b, key);
	json_builder_add_double_value(b, v);
}

void ej_bool(JsonBuilder *b, const char *key, bool v)
{
	add_key(b, key);
	json_builder_add_boolean_value(b, v);
}

void ej_null(JsonBuilder *b, const char *key)
{
	add_key(b, key);
	json_builder_add_null_value(b);
}

void ej_object(JsonBuilder *b, const char *key)
{
	add_key(b, key);
	json_builder_begin_object(b);
}

void ej_array(JsonBuilder *b, const char *key)
{
	add_key(b, key);
	json_builder_begin_array(b);
}

void ej_write(FILE *out, JsonNode *node, bool pretty)
{
	JsonGenerator *gen = json_generator_new();
	char *s;

	json_generator_set_pretty(gen, pretty);
	json_generator_set_indent(gen, 2);
	json_generator_set_root(gen, node);
	s = json_generator_to_data(gen, NULL);
	fputs(s, out);
	fputc('\n', out);
	g_free(s);
	g_object_unref(gen);
}

void ej_finish(FILE *out, JsonBuilder *b, bool pretty)
{
	JsonNode *root = json_builder_get_root(b);

	if (root) {
		ej_write(out, root, pretty);
		json_node_unref(root);
	}
	g_object_unref(b);
}

void ej_reply_error(FILE *out, const char *msg)
{
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	ej_str(b, "error", msg);
	json_builder_end_object(b);
	ej_finish(out, b, false);
}

void ej_reply_ok(FILE *out)
{
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	ej_bool(b, "ok", true);
	json_builder_end_object(b);
	ej_finish(out, b, false);
}
