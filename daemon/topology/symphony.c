// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Symphony for evpnd: turns the link manager's view (present members and
 * the state of the link to each) into the algorithm's inputs, runs
 * core/symphony.c, and marks the wanted peers. docs/topology.md.
 *
 * Event-driven: the link manager calls select() on every member join/leave
 * and link state change, and each call does all the work there is (new
 * short links at once, long links drawn in the same call, a refused or
 * failed long link redrawn in the call that sees it). There is no timer
 * here; retry pacing of failing peers is the link manager's backoff.
 *
 * Mapping of link states onto the long-link slots (a slot holds a target
 * from evpn_sym_update until it is up, refused or lost):
 *   UP                        -> accepted
 *   BACKOFF after an attempt  -> refused (in-degree cap, or the peer failed):
 *                                draw another target; the failing peer is
 *                                not drawn again by that slot right away
 *   NONE after UP             -> lost: draw again
 *   NONE / SETUP while wanted -> still pending
 * "After an attempt": since the slot's target was drawn it was seen in
 * SETUP or UP; or we asked for it (wanted it while NONE) and have the
 * higher node ID, so the link manager requested at once; or this is its
 * second BACKOFF episode. Otherwise a first BACKOFF is not a refusal: the
 * link manager also reports BACKOFF while the lower node ID waits
 * (LM_DEFER_MS) for the higher one's request, and a fresh draw may land on
 * a peer whose earlier backoff is running; in both cases the link manager
 * tries when the timer ends, and a failure then is the second episode.
 * Short links stay wanted through BACKOFF: the ring needs exactly those
 * peers, so the link manager's backoff paces the retries.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "topology/symphony_ops.h"

/* What this adapter has seen of a slot's target since it was drawn. */
struct slot_obs {
	struct evpn_id target;
	bool valid;
	bool attempted;		/* seen in SETUP or UP */
	bool asked;		/* wanted by us while the link was NONE */
	bool in_backoff;	/* the last observation was BACKOFF */
	uint8_t episodes;	/* BACKOFF episodes seen */
};

struct topo_sym {
	struct evpn_sym sym;
	struct slot_obs obs[EVPN_SYM_MAX_K];
	struct evpn_id *ring;		/* sorted member IDs of the last select */
	int nring;
	struct evpn_id *incoming;	/* sorted: peers linked to us we don't want */
	int nincoming;
	GRand *rand;
};

static struct evpn_sym_cfg sym_defaults;
static bool sym_defaults_set;
static bool sym_seeded;
static guint32 sym_seed;

void topology_symphony_seed(uint32_t seed)
{
	sym_seeded = true;
	sym_seed = seed;
}

int topology_symphony_configure(const struct evpn_sym_cfg *cfg)
{
	if (evpn_sym_cfg_check(cfg))
		return -1;
	sym_defaults = *cfg;
	sym_defaults_set = true;
	return 0;
}

static uint64_t sym_rand(void *ctx)
{
	GRand *r = ctx;

	return (uint64_t)g_rand_int(r) << 32 | g_rand_int(r);
}

static int id_cmp(const void *a, const void *b)
{
	return evpn_id_cmp(a, b);
}

static void *sym_create(const struct evpn_id *self)
{
	struct topo_sym *ts = g_new0(struct topo_sym, 1);

	if (!sym_defaults_set)
		evpn_sym_cfg_default(&sym_defaults);
	evpn_sym_init(&ts->sym, &sym_defaults, self);
	/* seeded from /dev/urandom unless a test asked for repeatability */
	ts->rand = sym_seeded ? g_rand_new_with_seed(sym_seed++) : g_rand_new();
	return ts;
}

static void sym_destroy(void *t)
{
	struct topo_sym *ts = t;

	if (!ts)
		return;
	g_free(ts->ring);
	g_free(ts->incoming);
	g_rand_free(ts->rand);
	g_free(ts);
}

/* Sorted copy of the members; true if it differs from the previous one. */
static bool ring_rebuild(struct topo_sym *ts, const struct topo_peer *peers, size_t n)
{
	struct evpn_id *ring = g_new(struct evpn_id, n ? n : 1);
	int m = 0;
	size_t i, j;
	bool changed;

	for (i = 0; i < n; i++)
		if (!evpn_id_eq(&peers[i].id, &ts->sym.self))
			ring[m++] = peers[i].id;
	qsort(ring, (size_t)m, sizeof(*ring), id_cmp);
	for (i = 1, j = m ? 1 : 0; i < (size_t)m; i++)	/* one entry per ID */
		if (!evpn_id_eq(&ring[i], &ring[j - 1]))
			ring[j++] = ring[i];
	m = (int)j;
	changed = m != ts->nring ||
		  (m && memcmp(ring, ts->ring, (size_t)m * sizeof(*ring)));
	g_free(ts->ring);
	ts->ring = ring;
	ts->nring = m;
	return changed;
}

static const struct topo_peer *peer_find(const struct topo_peer *peers, size_t n,
					 const struct evpn_id *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (evpn_id_eq(&peers[i].id, id))
			return &peers[i];
	return NULL;
}

/* Is this BACKOFF a refusal or failure of the slot's link (see the top)? */
static bool backoff_is_refusal(const struct topo_sym *ts, struct slot_obs *o)
{
	if (!o->in_backoff) {
		o->in_backoff = true;
		o->episodes++;
	}
	return o->attempted || o->episodes >= 2 ||
	       (o->asked && evpn_id_cmp(&ts->sym.self, &o->target) > 0);
}

/* The observation record of slot @i, restarted when its target changed. */
static struct slot_obs *slot_obs(struct topo_sym *ts, int i)
{
	struct slot_obs *o = &ts->obs[i];

	if (!o->valid || !evpn_id_eq(&o->target, &ts->sym.slot[i].target))
		*o = (struct slot_obs){ .target = ts->sym.slot[i].target, .valid = true };
	return o;
}

/* Feed the link states of the slots' targets back into the algorithm. */
static void slots_observe(struct topo_sym *ts, const struct topo_peer *peers, size_t n)
{
	const struct topo_peer *p;
	int i;

	for (i = 0; i < ts->sym.cfg.k; i++) {
		struct evpn_sym_slot *sl = &ts->sym.slot[i];
		struct slot_obs *o;

		if (sl->state != EVPN_SYM_WANT && sl->state != EVPN_SYM_UP)
			continue;
		o = slot_obs(ts, i);
		p = peer_find(peers, n, &sl->target);
		if (!p)
			continue;	/* gone: evpn_sym_update redraws */
		if (p->link != TOPO_LINK_BACKOFF)
			o->in_backoff = false;
		switch (p->link) {
		case TOPO_LINK_UP:
			o->attempted = true;
			evpn_sym_slot_accepted(&ts->sym, i);
			break;
		case TOPO_LINK_SETUP:
			o->attempted = true;
			break;
		case TOPO_LINK_BACKOFF:
			if (backoff_is_refusal(ts, o)) {
				evpn_sym_slot_refused(&ts->sym, i);
				o->valid = false;
			}
			break;
		case TOPO_LINK_NONE:
			if (sl->state == EVPN_SYM_UP)
				evpn_sym_slot_lost(&ts->sym, i);
			break;
		}
	}
}

/*
 * Ring first: while a short-link target's link is still NONE or SETUP, no
 * new long link is started (links already in setup or up are kept). All
 * pairs are reachable over the ring alone, and at a simultaneous start the
 * view (hence the short targets and the estimate of n) is still growing:
 * long links drawn then compete with the ring's setups for the XMPP
 * server and the CPU, and many are redrawn moments later. A short target
 * in BACKOFF (failed) does not hold them back.
 */
static bool ring_pending(const struct evpn_id *shorts, int ns,
			 const struct topo_peer *peers, size_t n)
{
	const struct topo_peer *p;
	int j;

	for (j = 0; j < ns; j++) {
		p = peer_find(peers, n, &shorts[j]);
		if (p && (p->link == TOPO_LINK_NONE || p->link == TOPO_LINK_SETUP))
			return true;
	}
	return false;
}

static void mark_wanted(struct topo_sym *ts, struct topo_peer *peers, size_t n)
{
	struct evpn_id shorts[2 * EVPN_SYM_MAX_SHORT];
	int ns = evpn_sym_short_links(&ts->sym, ts->ring, ts->nring, shorts);
	bool defer_long = ring_pending(shorts, ns, peers, n);
	size_t i;
	int j, slot;

	for (i = 0; i < n; i++) {
		slot = evpn_sym_slot_find(&ts->sym, &peers[i].id);
		peers[i].want = slot >= 0 &&
				(!defer_long || peers[i].link != TOPO_LINK_NONE);
		if (peers[i].want && peers[i].link == TOPO_LINK_NONE)
			slot_obs(ts, slot)->asked = true;
		for (j = 0; j < ns && !peers[i].ring; j++)
			peers[i].ring = evpn_id_eq(&peers[i].id, &shorts[j]);
		peers[i].want |= peers[i].ring;
	}
}

/* Links up or being set up that we do not want: the peers' long links. */
static void count_incoming(struct topo_sym *ts, const struct topo_peer *peers, size_t n)
{
	size_t i;

	g_free(ts->incoming);
	ts->incoming = g_new(struct evpn_id, n ? n : 1);
	ts->nincoming = 0;
	for (i = 0; i < n; i++)
		if (!peers[i].want && (peers[i].link == TOPO_LINK_UP ||
				       peers[i].link == TOPO_LINK_SETUP))
			ts->incoming[ts->nincoming++] = peers[i].id;
	qsort(ts->incoming, (size_t)ts->nincoming, sizeof(*ts->incoming), id_cmp);
}

static void sym_select(void *t, struct topo_peer *peers, size_t n)
{
	struct topo_sym *ts = t;
	bool changed = ring_rebuild(ts, peers, n);

	slots_observe(ts, peers, n);
	evpn_sym_update(&ts->sym, ts->ring, ts->nring, changed, sym_rand, ts->rand);
	mark_wanted(ts, peers, n);
	count_incoming(ts, peers, n);
}

/*
 * Is @peer one of our short-link neighbours, or would it be once its
 * presence arrives? (A newcomer may ask before we have seen it join.) In
 * a view smaller than our short-link set everyone would look like a
 * neighbour: there, an unseen peer goes through the cap like a long link
 * (accepted while under it, and counted).
 */
static bool is_short_peer(const struct topo_sym *ts, const struct evpn_id *peer)
{
	struct evpn_id shorts[2 * EVPN_SYM_MAX_SHORT];
	struct evpn_id *view;
	int m, ns, j;
	bool found = false;

	j = evpn_sym_ring_lower(ts->ring, ts->nring, peer);
	if (ts->nring < ts->sym.cfg.n_succ + ts->sym.cfg.n_pred &&
	    !(j < ts->nring && evpn_id_eq(&ts->ring[j], peer)))
		return false;
	view = g_new(struct evpn_id, ts->nring + 1);
	if (ts->nring)
		memcpy(view, ts->ring, (size_t)ts->nring * sizeof(*view));
	m = evpn_sym_ring_insert(view, ts->nring, ts->nring + 1, peer);
	ns = evpn_sym_short_links(&ts->sym, view, m, shorts);
	for (j = 0; j < ns && !found; j++)
		found = evpn_id_eq(peer, &shorts[j]);
	g_free(view);
	return found;
}

bool topology_symphony_accept(void *t, const struct evpn_id *peer)
{
	struct topo_sym *ts = t;

	/* a link we want ourselves (simultaneous request), already count,
	 * or that the ring needs */
	if (evpn_sym_slot_find(&ts->sym, peer) >= 0 ||
	    (ts->nincoming && bsearch(peer, ts->incoming, (size_t)ts->nincoming,
		    sizeof(*ts->incoming), id_cmp)) ||
	    is_short_peer(ts, peer))
		return true;
	if (!evpn_sym_accept_incoming(&ts->sym.cfg, ts->nincoming))
		return false;
	/* count it now: more requests may come before the next select() */
	ts->incoming = g_renew(struct evpn_id, ts->incoming, ts->nincoming + 1);
	ts->nincoming = evpn_sym_ring_insert(ts->incoming, ts->nincoming,
					     ts->nincoming + 1, peer);
	return true;
}

uint32_t topology_symphony_log2n(void *t)
{
	return ((struct topo_sym *)t)->sym.log2n_used;
}

int topology_symphony_in_long(void *t)
{
	return ((struct topo_sym *)t)->nincoming;
}

const struct topology_ops topology_symphony = {
	.name = "symphony",
	.create = sym_create,
	.destroy = sym_destroy,
	.select = sym_select,
};
