// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Pacing and adaptive timeouts of the link manager (lm.h, docs/topology.md
 * "Pacing and adaptive timeouts"). Every wait that used to be a constant
 * follows what this node observes:
 *
 *   signalling RTT  request -> first answer through the XMPP server, as an
 *                   RFC 6298 estimator (srtt + 4 rttvar): the answer timeout
 *                   (per try), the lower ID's deferral and the setup timeout
 *   local load      1 + (load average per CPU - 1) / 3, in 1..PACE_LOAD_MAX
 *                   (our own 10 s average of the runnable tasks), and
 *                   our own main loop's lateness (how late the links' 1 s
 *                   ticks fire): a starved node waits longer before it calls
 *                   anyone silent
 *   a link's gaps   the largest recent gap between records received on it:
 *                   liveness follows the jitter the link has shown
 *   setup window    how many link setups run at once: starts at
 *                   PACE_WIN_INIT, +1 per setup that completes, x3/4 per one
 *                   that times out or fails (AIMD), capped lower under load
 *
 * and per member, a token bucket on incoming link requests.
 */
#include <stdio.h>
#include <stdlib.h>

#include "jsonout.h"
#include "lm.h"

#define PACE_LOAD_MAX		3.0
#define PACE_LOAD_TAU_MS	10000	/* the load average's time constant */
#define PACE_WIN_INIT		4.0
#define PACE_WIN_MIN		2.0
#define PACE_WIN_MAX		12.0
#define PACE_REQ_BURST		8.0	/* requests a member may send at once */
#define PACE_REQ_REFILL_MS	2000	/* ... then one per this */

/*
 * The machine's recent load: the number of runnable tasks (/proc/loadavg's
 * fourth field, less the reader itself) sampled at most once a second and
 * averaged with a time constant of PACE_LOAD_TAU_MS. The kernel's own
 * averages reach back a minute: after a burst (a mass start) the 1-minute
 * one kept every timeout stretched 2-3x for a minute on a machine that had
 * gone quiet (a killed peer took 9-12 s to be called dead instead of ~4 s).
 * Seeded with the 1-minute average (also the fallback without
 * /proc/loadavg), and again after a pause longer than the time constant.
 */
static double load_sample(struct lm_pace *p, gint64 now)
{
	double one = 0, a;
	unsigned int run = 0, tot;
	FILE *f;

	if (getloadavg(&one, 1) != 1)
		one = 0;
	f = fopen("/proc/loadavg", "re");
	if (!f || fscanf(f, "%*f %*f %*f %u/%u", &run, &tot) != 2) {
		if (f)
			fclose(f);
		return one;
	}
	fclose(f);
	if (!p->load_at || now - p->load_at > PACE_LOAD_TAU_MS)
		return one;
	/* the weight of a sample dt ms after the last: ~1 - exp(-dt / tau) */
	a = (double)(now - p->load_at) / (now - p->load_at + PACE_LOAD_TAU_MS);
	return p->load_avg + a * ((run ? run - 1.0 : 0.0) - p->load_avg);
}

/* 1 + a third of the recent load average per CPU above 1, clamped to
 * 1..PACE_LOAD_MAX; re-read at most once a second. (Softened: the load
 * says how starved processes here may be, our peers on this machine
 * included, but not how starved a peer elsewhere is; our own starvation is
 * the loop lag's part.) */
double pace_load(struct linkmgr *lm)
{
	struct lm_pace *p = &lm->pace;
	gint64 now = now_ms();
	double la;

	if (now - p->load_at < 1000 && p->load_at)
		return p->load;
	p->load_avg = load_sample(p, now);
	p->load_at = now;
	la = p->load_avg / MAX(g_get_num_processors(), 1u);
	p->load = CLAMP(1.0 + (la - 1.0) / 3, 1.0, PACE_LOAD_MAX);
	return p->load;
}

/* A link's 1 s tick fired @late ms after it was due: our own loop's lag
 * (a decaying maximum, so one stall is remembered for a while). */
void pace_loop_late(struct linkmgr *lm, gint64 late)
{
	struct lm_pace *p = &lm->pace;
	gint64 now = now_ms();

	/* decay by half per second since the last sample */
	if (p->lag_at)
		p->lag_ms >>= MIN((now - p->lag_at) / 1000, 16);
	p->lag_at = now;
	/* worth a line: a stall this long makes peers call us silent (e.g.
	 * libstrophe's TLS handshake blocks the loop while the server is slow) */
	if (late >= LM_DEAD_MS / 2)
		g_message("%s: main loop stalled for %" G_GINT64_FORMAT " ms",
			  lm->name, late);
	if (late > p->lag_ms)
		p->lag_ms = MIN(late, (gint64)LM_DEAD_MAX_MS);
}

static gint64 pace_lag(const struct linkmgr *lm)
{
	return lm->pace.lag_ms;
}

/* A request was answered (accept or close) @ms after we first sent it. */
void pace_rtt_sample(struct linkmgr *lm, gint64 ms)
{
	struct lm_pace *p = &lm->pace;
	double r = CLAMP((double)ms, 1.0, (double)LM_ANSWER_MAX_MS);

	p->sample_at = now_ms();
	if (!p->have_rtt) {
		p->srtt = r;
		p->rttvar = r / 2;
		p->have_rtt = true;
	} else {
		p->rttvar = 0.75 * p->rttvar + 0.25 * ABS(p->srtt - r);
		p->srtt = 0.875 * p->srtt + 0.125 * r;
	}
	g_debug("%s: signalling RTT %" G_GINT64_FORMAT " ms (srtt %.0f, "
		"rttvar %.0f)", lm->name, ms, p->srtt, p->rttvar);
}

/* An estimate nobody refreshed is stale: halve it for every
 * LM_ANSWER_MAX_MS without a sample (the server that was slow during a
 * mass start is not slow forever, and a quiet overlay sends few requests). */
static void rtt_age(struct linkmgr *lm)
{
	struct lm_pace *p = &lm->pace;
	gint64 now = now_ms();

	while (p->have_rtt && now - p->sample_at > LM_ANSWER_MAX_MS) {
		p->srtt /= 2;
		p->rttvar /= 2;
		p->sample_at += LM_ANSWER_MAX_MS;
	}
}

/* How long one try of a request waits for its answer. */
guint pace_answer_ms(struct linkmgr *lm)
{
	struct lm_pace *p = &lm->pace;
	double rto;

	rtt_age(lm);
	rto = p->have_rtt ? p->srtt + 4 * p->rttvar : 0;

	rto = MAX(rto, (double)LM_ANSWER_MS) * pace_load(lm) + pace_lag(lm);
	return (guint)MIN(rto, (double)LM_ANSWER_MAX_MS);
}

/* How long the lower node ID waits for the higher one's request: longer
 * than a message takes through the server (half an RTT, plus margin). */
guint pace_defer_ms(struct linkmgr *lm)
{
	struct lm_pace *p = &lm->pace;
	double d;

	rtt_age(lm);
	d = p->have_rtt ? p->srtt + 2 * p->rttvar : 0;

	return (guint)CLAMP(d, (double)LM_DEFER_MS, (double)LM_DEFER_MAX_MS);
}

/* A setup with no progress (answer, candidate, ICE state, DTLS) for this
 * long has stalled. */
guint pace_setup_ms(struct linkmgr *lm)
{
	double t = MAX((double)LM_SETUP_TIMEOUT_MS, 4.0 * pace_answer_ms(lm));

	return (guint)MIN(t * pace_load(lm), 4.0 * LM_SETUP_TIMEOUT_MS);
}

/* An UP link silent this long is dead: at least LM_DEAD_MS, and three
 * times the largest gap it has shown lately, stretched by the load and by
 * our own loop's lag (a node that was not scheduled heard nothing). */
guint pace_dead_ms(struct link *l)
{
	struct linkmgr *lm = l->lm;
	double d = MAX((double)LM_DEAD_MS, 3.0 * l->gap_ms);

	d = d * pace_load(lm) + pace_lag(lm);
	return (guint)MIN(d, (double)LM_DEAD_MAX_MS);
}

/* An UP link whose peer's XMPP session ended (lm_link_presence_gone()):
 * silent this long while probed is dead. Probes are answered at once, so
 * it follows the link's measured round trip (its last keepalive's, taken
 * under the same load), not its keepalive gaps or the load average:
 * LM_GONE_DEAD_MS, or four round trips if longer, plus our own loop's lag
 * (a node that was not scheduled heard nothing), never longer than
 * pace_dead_ms(). */
guint pace_gone_dead_ms(struct link *l)
{
	double d = MAX((double)LM_GONE_DEAD_MS, 4.0 * MAX(l->rtt_us, 0) / 1000);

	d += pace_lag(l->lm);
	return (guint)MIN(d, (double)pace_dead_ms(l));
}

/* Something arrived on the link: the gap since the previous arrival feeds
 * its decaying maximum (halved every 10 s of ticks, pace_tick_link()). */
void pace_link_rx(struct link *l, gint64 now)
{
	gint64 gap = now - l->last_rx;

	if (l->st == L_UP && gap > l->gap_ms)
		l->gap_ms = MIN(gap, (gint64)LM_DEAD_MAX_MS);
}

void pace_tick_link(struct link *l, gint64 now)
{
	if (l->last_tick) {
		gint64 late = now - l->last_tick - LM_KEEPALIVE_MS;

		if (late > 0)
			pace_loop_late(l->lm, late);
	}
	l->last_tick = now;
	if (++l->ticks % 10 == 0)
		l->gap_ms /= 2;
}

/* The setup window: may we start one more setup? Ring (short) links may
 * use the whole window, long ones leave one slot free for the ring. */
bool pace_may_start(struct linkmgr *lm, unsigned int active, bool ring)
{
	struct lm_pace *p = &lm->pace;
	double cap = MAX(PACE_WIN_MIN, PACE_WIN_MAX / pace_load(lm));
	double w = MIN(p->window, cap);

	return active < (unsigned int)w - (ring ? 0 : 1);
}

void pace_setup_done(struct linkmgr *lm, bool ok)
{
	struct lm_pace *p = &lm->pace;

	if (ok)
		p->window = MIN(p->window + 1, PACE_WIN_MAX);
	else
		p->window = MAX(p->window * 0.75, PACE_WIN_MIN);
}

void pace_init(struct linkmgr *lm)
{
	lm->pace.window = PACE_WIN_INIT;
}

/* Per-member rate limit on incoming link requests (a token bucket): a
 * member asking faster is not answered, counted and logged at debug. */
bool pace_request_allowed(struct peer *pe)
{
	gint64 now = now_ms();

	if (!pe->req_at)
		pe->req_tokens = PACE_REQ_BURST;
	else
		pe->req_tokens = MIN(PACE_REQ_BURST, pe->req_tokens +
				     (double)(now - pe->req_at) / PACE_REQ_REFILL_MS);
	pe->req_at = now;
	if (pe->req_tokens >= 1.0) {
		pe->req_tokens -= 1.0;
		return true;
	}
	pe->lm->stats.req_throttled++;
	g_debug("%s: %s asks for links too fast: request ignored", pe->lm->name,
		pe->hex);
	return false;
}

/* `show`: the pacing state ("pacing": {...}). */
void pace_show_json(struct linkmgr *lm, JsonBuilder *b)
{
	struct lm_pace *p = &lm->pace;

	ej_object(b, "pacing");
	ej_double(b, "srtt_ms", p->srtt);
	ej_double(b, "rttvar_ms", p->rttvar);
	ej_uint(b, "answer_ms", pace_answer_ms(lm));
	ej_double(b, "window", p->window);
	ej_int(b, "loop_lag_ms", p->lag_ms);
	ej_double(b, "load", pace_load(lm));
	ej_uint(b, "requests_throttled", lm->stats.req_throttled);
	ej_uint(b, "presumed_dead", lm->stats.suspected);
	ej_uint(b, "answers_late", lm->stats.answers_late);
	ej_uint(b, "crossed_resent", lm->stats.cross_resends);
	json_builder_end_object(b);
}
