// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The kernel backend's events (kernel.h): evpn.ko's "events" group read on
 * the GLib loop. KEY_SOFT_LIMIT / KEY_HARD_LIMIT -> DP_EVENT_REKEY,
 * PEER_UNREACHABLE -> DP_EVENT_UNREACHABLE; roaming is only logged.
 */
#include <errno.h>
#include <string.h>
#include <glib-unix.h>
#include "kernel.h"

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct kdp *k = arg;
	struct evpn_nl_event ev;
	struct kdp_link *l;
	char hex[EVPN_ID_HEXLEN + 1];

	if (evpn_nl_parse_event(msg, &ev) || !ev.has_peer ||
	    (int)ev.ifindex != k->ifindex)
		return NL_OK;
	k->events++;
	l = kdp_find_peer(k, ev.peer);
	if (!l)
		return NL_OK;
	evpn_id_to_hex(&l->peer, hex);
	switch (ev.type) {
	case EVPN_EVENT_KEY_SOFT_LIMIT:
	case EVPN_EVENT_KEY_HARD_LIMIT:
		g_message("%s: key of %s reached its %s limit",
			  k->cfg.ifname, hex,
			  ev.type == EVPN_EVENT_KEY_SOFT_LIMIT ? "soft" : "hard");
		if (l->t.on_event)
			l->t.on_event(l->t.event_ctx, DP_EVENT_REKEY);
		break;
	case EVPN_EVENT_PEER_UNREACHABLE:
		g_warning("%s: peer %s unreachable (%s)",
			  k->cfg.ifname, hex,
			  ev.has_errno ? strerror(ev.err) : "?");
		if (l->t.on_event)
			l->t.on_event(l->t.event_ctx, DP_EVENT_UNREACHABLE);
		break;
	case EVPN_EVENT_ENDPOINT_CHANGED:
		g_message("%s: peer %s moved (roaming)",
			  k->cfg.ifname, hex);
		break;
	default:
		break;
	}
	return NL_OK;
}

static gboolean on_event_sock(gint fd, GIOCondition cond, gpointer data)
{
	struct kdp *k = data;

	nl_recvmsgs_default(k->ev.sk);	/* non-blocking: what is queued */
	return G_SOURCE_CONTINUE;
}

int kdp_events_open(struct kdp *k)
{
	int ret = evpn_genl_open(&k->ev);

	if (ret)
		return ret;
	ret = evpn_genl_join_events(&k->ev, event_cb, k);
	if (ret)
		return ret;
	nl_socket_set_nonblocking(k->ev.sk);
	k->ev_watch = g_unix_fd_add(nl_socket_get_fd(k->ev.sk), G_IO_IN,
				    on_event_sock, k);
	return 0;
}

void kdp_events_close(struct kdp *k)
{
	if (k->ev_watch)
		g_source_remove(k->ev_watch);
	k->ev_watch = 0;
	evpn_genl_close(&k->ev);
}
