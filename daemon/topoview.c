// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * `topology` on the control socket (topoview.h): who this node is linked
 * to, the members it knows, and the link lists its neighbours reported.
 */
#include <string.h>

#include "ctl.h"
#include "linkmgr.h"
#include "overlay.h"
#include "topoview.h"

/* A name or JID on one line: no blank or control character in it. */
static void put_word(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s <= ' ' || *s == 0x7f ? '?' : *s, out);
}

struct member_ctx {
	FILE *out;
	const char *overlay;
};

static void each_member(void *ctx, const struct linkmgr_member *m)
{
	struct member_ctx *mc = ctx;
	char hex[EVPN_ID_HEXLEN + 1];

	evpn_id_to_hex(m->id, hex);
	fprintf(mc->out, "member ");
	put_word(mc->out, mc->overlay);
	fprintf(mc->out, " %s %s", hex, m->state);
	if (m->jid) {
		fputc(' ', mc->out);
		put_word(mc->out, m->jid);
	}
	fputc('\n', mc->out);
}

/* An overlay link: its view, and the peer's own links as nbr lines. */
static bool overlay_link(FILE *out, struct dp_link *dpl, const char *hex)
{
	struct overlay_view ov;
	struct linkmgr_link lv;
	char nhex[EVPN_ID_HEXLEN + 1];
	unsigned int i;
	int j;

	for (i = 0; overlay_get(i, &ov); i++) {
		if (!linkmgr_link_view(ov.lm, dpl, &lv))
			continue;
		fprintf(out, "link %s ", hex);
		put_word(out, dp_link_name(dpl));
		fprintf(out, " overlay %s %d\n", lv.state, lv.relayed);
		for (j = 0; j < lv.nnbrs; j++) {
			evpn_id_to_hex(&lv.nbrs[j], nhex);
			fprintf(out, "nbr %s %s\n", hex, nhex);
		}
		return true;
	}
	return false;
}

static void each_link(struct dp_link *dpl, void *ctx)
{
	FILE *out = ctx;
	char hex[EVPN_ID_HEXLEN + 1];

	evpn_id_to_hex(dp_link_peer(dpl), hex);
	if (overlay_link(out, dpl, hex))
		return;
	fprintf(out, "link %s ", hex);
	put_word(out, dp_link_name(dpl));
	fprintf(out, " static up 0\n");
}

void topoview_write(struct dp *dp, FILE *out)
{
	struct overlay_view ov;
	char hex[EVPN_ID_HEXLEN + 1];
	unsigned int i;

	evpn_id_to_hex(dp_node_id(dp), hex);
	fprintf(out, "self %s\n", hex);
	for (i = 0; overlay_get(i, &ov); i++) {
		struct member_ctx mc = { .out = out, .overlay = ov.name };

		linkmgr_foreach_member(ov.lm, each_member, &mc);
	}
	dp_link_foreach(dp, each_link, out);
}

static void topology_cmd(struct dp *dp, int argc, char **argv, FILE *out,
			 void *ctx)
{
	topoview_write(dp, out);
}

int topoview_register(void)
{
	return ctl_register("topology", topology_cmd, NULL);
}
