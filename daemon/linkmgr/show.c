// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The link manager's part of `evpnctl show` (JSON and text): members,
 * signalling counters, and per-link facts (path, epoch, setup time).
 */
#include <stdio.h>

#include "lm.h"

static const char *const lstate_names[] = { "requested", "connecting", "up",
					    "dead" };


static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", *s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

void linkmgr_show_json(struct linkmgr *lm, FILE *out)
{
	GHashTableIter it;
	gpointer v;
	bool first = true;
	const struct lm_stats *s = &lm->stats;

	fprintf(out, ",\"peers\":[");
	g_hash_table_iter_init(&it, lm->peers);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct peer *pe = v;

		fprintf(out, "%s{\"id\":\"%s\",\"jid\":", first ? "" : ",", pe->hex);
		first = false;
		if (pe->jid)
			json_str(out, pe->jid);
		else
			fputs("null", out);
		fprintf(out, ",\"link\":\"%s\",\"fingerprint\":\"%s\"}",
			pe->link ? lstate_names[pe->link->st] :
			pe->retry_timer ? "backoff" : "none", pe->pres.fp);
	}
	fprintf(out, "],\"signalling\":{\"in\":%lu,\"out\":%lu,\"malformed\":%lu,"
		"\"spoofed\":%lu,\"stale\":%lu},\"links_up\":%lu,"
		"\"links_failed\":%lu,\"dtls_refused\":%lu,\"rekeys\":%lu,"
		"\"nbrs_in\":%lu,\"nbrs_malformed\":%lu,\"nbrs_seq\":%u,"
		"\"pmtu_probes\":%lu",
		s->sig_in, s->sig_out, s->sig_bad, s->sig_spoofed, s->sig_stale,
		s->links_up, s->links_failed, s->dtls_refused, s->rekeys,
		s->nbrs_in, s->nbrs_bad, lm->adv_seq, s->pmtu_probes);
}

bool linkmgr_link_text(struct linkmgr *lm, FILE *out, struct dp_link *dpl)
{
	struct link *l = g_hash_table_lookup(lm->by_dpl, dpl);
	char pair[160];

	if (!l)
		return false;
	ice_selected_describe(l->ice, pair, sizeof(pair));
	fprintf(out, "    %s path: %s\n    overlay %s, key epoch %u, up %" G_GINT64_FORMAT
		" s (setup %" G_GINT64_FORMAT " ms), dtls %s\n",
		ice_selected_relayed(l->ice) ? "relayed (TURN)" : "direct",
		pair, lm->name, l->epoch,
		l->t_up ? (now_ms() - l->t_up) / 1000 : 0,
		l->t_up ? l->t_up - l->t_start : -1, dtls_cipher(l->dtls));
	return true;
}

bool linkmgr_link_json(struct linkmgr *lm, FILE *out, struct dp_link *dpl)
{
	struct link *l = g_hash_table_lookup(lm->by_dpl, dpl);
	char pair[160];

	if (!l)
		return false;
	ice_selected_describe(l->ice, pair, sizeof(pair));
	fprintf(out, ",\"overlay\":");
	json_str(out, lm->name);
	fprintf(out, ",\"ice_pair\":");
	json_str(out, pair);
	fprintf(out, ",\"peer_links\":%d", l->nbrs_rx_seq ? l->nbrs_rx_len : -1);
	fprintf(out, ",\"pmtu\":%u,\"pmtu_search\":[%u,%u]", l->pmtu,
		l->pmtu_lo, l->pmtu_hi);
	fprintf(out, ",\"ice_relayed\":%s,\"controlling\":%s,\"epoch\":%u,"
		"\"setup_ms\":%" G_GINT64_FORMAT ",\"up_s\":%" G_GINT64_FORMAT
		",\"dtls_cipher\":",
		ice_selected_relayed(l->ice) ? "true" : "false",
		l->controlling ? "true" : "false", l->epoch,
		l->t_up ? l->t_up - l->t_start : -1,
		l->t_up ? (now_ms() - l->t_up) / 1000 : 0);
	json_str(out, dtls_cipher(l->dtls));
	return true;
}
