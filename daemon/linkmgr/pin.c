// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The link manager's side of key pinning (pins.h, docs/security.md
 * "Pinned keys"): a member's key is pinned at its first successful DTLS
 * handshake; a presence whose key differs from the one pinned for its
 * JID is kept aside, never used, and logged once per offered key (not per
 * presence or retry) until an operator accepts it; accepting re-pins the
 * JID and replays the presence kept aside.
 */
#include <string.h>

#include "jsonout.h"
#include "lm.h"
#include "pins.h"

struct pin_change {
	struct evpn_id offered;
	char *jid;			/* full JID while present, else NULL */
	struct sig_presence pres;
	unsigned long refused;		/* presences refused for this key */
};

static void change_free(gpointer p)
{
	struct pin_change *c = p;

	g_free(c->jid);
	g_free(c);
}

static GHashTable *changes(struct linkmgr *lm)
{
	if (!lm->pin_changes)
		lm->pin_changes = g_hash_table_new_full(g_str_hash, g_str_equal,
							g_free, change_free);
	return lm->pin_changes;
}

/* Keep the refused presence (so an accept can use it); log a new key once. */
static void refuse(struct linkmgr *lm, char *bare, const char *jid,
		   const struct sig_presence *p)
{
	struct pin_change *c = g_hash_table_lookup(changes(lm), bare);
	char was[EVPN_ID_HEXLEN + 1], now[EVPN_ID_HEXLEN + 1];

	lm->stats.key_refused++;
	if (!c || !evpn_id_eq(&c->offered, &p->id)) {
		evpn_id_to_hex(pins_get(lm->cfg.pins, bare), was);
		evpn_id_to_hex(&p->id, now);
		g_critical("%s: KEY CHANGED for %s: pinned node %s, now offers "
			   "node %s (fingerprint %s); refused until an operator "
			   "runs 'evpnctl peer accept DEV %s' (a reinstalled "
			   "member, or someone impersonating it)", lm->name,
			   jid, was, now, p->fp, bare);
		c = g_new0(struct pin_change, 1);
		g_hash_table_replace(changes(lm), bare, c);
		bare = NULL;
	}
	g_free(bare);
	g_free(c->jid);
	c->jid = g_strdup(jid);
	c->offered = p->id;
	c->pres = *p;
	c->refused++;
}

bool lm_pin_admit(struct linkmgr *lm, const char *jid,
		  const struct sig_presence *p)
{
	struct pins *ps = lm->cfg.pins;
	char *bare;

	if (!ps)
		return true;
	bare = pins_bare_jid(jid);
	switch (pins_check(ps, bare, &p->id)) {
	case PIN_CHANGED:
		refuse(lm, bare, jid, p);
		return false;
	case PIN_NEW:		/* pinned once a handshake proves it */
		break;
	case PIN_MATCH:		/* a new certificate for the same key */
		pins_set(ps, bare, &p->id, p->fp);
		break;
	}
	if (lm->pin_changes)	/* back to the pinned key: nothing to accept */
		g_hash_table_remove(lm->pin_changes, bare);
	g_free(bare);
	return true;
}

/*
 * Pin on the first link, not the first presence: the handshake has then
 * proven that the JID's member holds the key (a presence alone may claim
 * an ID it cannot prove, docs/security.md "Node IDs"), so an unproven
 * claim never locks the member's real key out.
 */
void lm_pin_linked(struct peer *pe)
{
	struct pins *ps = pe->lm->cfg.pins;
	char *bare;

	if (!ps || !pe->jid || pins_check(ps, pe->jid, &pe->id) != PIN_NEW)
		return;
	bare = pins_bare_jid(pe->jid);
	g_message("%s: pinning %s to its first key: node %s (fingerprint %s)",
		  pe->lm->name, bare, pe->hex, pe->pres.fp);
	pins_set_soon(ps, bare, &pe->id, pe->pres.fp);
	g_free(bare);
}

void lm_pin_gone(struct linkmgr *lm, const char *jid)
{
	char *bare;
	struct pin_change *c;

	if (!lm->pin_changes)
		return;
	bare = pins_bare_jid(jid);
	c = g_hash_table_lookup(lm->pin_changes, bare);
	if (c && c->jid && !strcmp(c->jid, jid)) {
		g_free(c->jid);
		c->jid = NULL;
	}
	g_free(bare);
}

int linkmgr_pin_accept(struct linkmgr *lm, const char *jid, char *err,
		       size_t errlen)
{
	char *bare = pins_bare_jid(jid);
	struct pin_change *c = lm->pin_changes ?
		g_hash_table_lookup(lm->pin_changes, bare) : NULL;
	char *full = NULL;
	struct sig_presence pres;
	char hex[EVPN_ID_HEXLEN + 1];

	if (!c) {
		snprintf(err, errlen, "%s: no refused key change for %s",
			 lm->name, bare);
		g_free(bare);
		return -1;
	}
	evpn_id_to_hex(&c->offered, hex);
	g_warning("%s: operator accepted the new key of %s: node %s "
		  "(fingerprint %s)", lm->name, bare, hex, c->pres.fp);
	pins_set(lm->cfg.pins, bare, &c->offered, c->pres.fp);
	pres = c->pres;
	full = g_strdup(c->jid);
	g_hash_table_remove(lm->pin_changes, bare);
	if (full)		/* still present: link to it now */
		linkmgr_member_up(lm, full, &pres);
	g_free(full);
	g_free(bare);
	return 0;
}

void lm_pin_show_json(struct linkmgr *lm, JsonBuilder *b)
{
	GHashTableIter it;
	gpointer k, v;

	ej_uint(b, "key_refused", lm->stats.key_refused);
	ej_array(b, "key_changes");
	if (lm->pin_changes) {
		g_hash_table_iter_init(&it, lm->pin_changes);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			const struct pin_change *c = v;
			char was[EVPN_ID_HEXLEN + 1], now[EVPN_ID_HEXLEN + 1];

			evpn_id_to_hex(pins_get(lm->cfg.pins, k), was);
			evpn_id_to_hex(&c->offered, now);
			json_builder_begin_object(b);
			ej_str(b, "jid", k);
			ej_str(b, "pinned", was);
			ej_str(b, "offered", now);
			ej_str(b, "fingerprint", c->pres.fp);
			ej_bool(b, "present", c->jid != NULL);
			ej_uint(b, "refused", c->refused);
			json_builder_end_object(b);
		}
	}
	json_builder_end_array(b);
}

void lm_pin_free(struct linkmgr *lm)
{
	if (lm->pin_changes)
		g_hash_table_destroy(lm->pin_changes);
	lm->pin_changes = NULL;
}
