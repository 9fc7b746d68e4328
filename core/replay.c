// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Anti-replay window, RFC 6479 style (see replay.h).
 *
 * The bitmap is EVPN_REPLAY_WORDS 64-bit words used as a ring indexed by
 * (counter / 64) mod EVPN_REPLAY_WORDS. The window is one word shorter than
 * the bitmap, so the word holding the newest counter never aliases a word
 * still inside the window; advancing the window just zeroes the words it
 * moves into, without shifting bits.
 *
 * The all-ones counter (UINT64_MAX) is never accepted: it is reserved so
 * that "top" (newest + 1) cannot wrap. Senders never get near it anyway
 * (EVPN_REJECT_AFTER_PACKETS).
 */
#include "replay.h"

#define WORD_MASK	((uint64_t)(EVPN_REPLAY_WORDS - 1))
/* UINT64_MAX, spelled out because the kernel has no UINT64_MAX. */
#define EVPN_REPLAY_RESERVED	(~(uint64_t)0)

void evpn_replay_init(struct evpn_replay *r)
{
	memset(r, 0, sizeof(*r));
}

static uint64_t *replay_word(struct evpn_replay *r, uint64_t counter)
{
	return &r->map[(counter >> 6) & WORD_MASK];
}

static uint64_t replay_bit(uint64_t counter)
{
	return 1ULL << (counter & 63);
}

bool evpn_replay_check(const struct evpn_replay *r, uint64_t counter)
{
	if (counter == EVPN_REPLAY_RESERVED)
		return false;
	if (counter >= r->top)
		return true;
	if (r->top - counter > EVPN_REPLAY_WINDOW)
		return false;		/* older than the window */
	return !(r->map[(counter >> 6) & WORD_MASK] & replay_bit(counter));
}

/* Move the newest counter to @counter (> newest), clearing stale words. */
static void replay_advance(struct evpn_replay *r, uint64_t counter)
{
	uint64_t old_word, new_word, n, i;

	if (r->top) {
		old_word = (r->top - 1) >> 6;
		new_word = counter >> 6;
		n = new_word - old_word;
		if (n > EVPN_REPLAY_WORDS)
			n = EVPN_REPLAY_WORDS;
		for (i = 1; i <= n; i++)
			r->map[(old_word + i) & WORD_MASK] = 0;
	}
	/* else: nothing accepted yet, the map is still all zero */
	r->top = counter + 1;
}

bool evpn_replay_accept(struct evpn_replay *r, uint64_t counter)
{
	uint64_t *word;

	if (!evpn_replay_check(r, counter))
		return false;
	if (counter >= r->top)
		replay_advance(r, counter);
	word = replay_word(r, counter);
	*word |= replay_bit(counter);
	return true;
}
