// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Configuration reload on SIGHUP (see reload.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "ifaddr.h"
#include "overlay.h"
#include "reload.h"
#include "static.h"

static int restart_needed(const char *what)
{
	g_warning("reload: %s changed: needs a restart "
		  "(keeping the running value)", what);
	return 1;
}

static bool addr_same(const struct sockaddr_storage *a, socklen_t alen,
		      const struct sockaddr_storage *b, socklen_t blen)
{
	return alen == blen && !memcmp(a, b, alen);
}

/* [node], [interface], [static]: fixed once the device and sockets exist. */
static int compare_fixed(const struct evpnd_config *o,
			 const struct evpnd_config *n)
{
	int r = 0;

	if (n->has_node_id && evpn_id_cmp(&n->node_id, &o->node_id))
		r += restart_needed("[node] id");
	if (strcmp(n->state_dir, o->state_dir))
		r += restart_needed("[node] state-dir");
	if (strcmp(n->run_dir, o->run_dir))
		r += restart_needed("[node] run-dir");
	if (strcmp(n->ifname, o->ifname))
		r += restart_needed("[interface] name");
	if (n->mtu != o->mtu)
		r += restart_needed("[interface] mtu");
	if (n->datapath != o->datapath)
		r += restart_needed("[interface] datapath");
	if (n->fdb_size != o->fdb_size || n->fdb_age != o->fdb_age)
		r += restart_needed("[interface] fdb-size/fdb-age");
	if (n->flood_rate != o->flood_rate)
		r += restart_needed("[interface] flood-rate");
	if (n->offload != o->offload)
		r += restart_needed("[interface] offload");
	if (n->static_section != o->static_section ||
	    !addr_same(&n->listen, n->listen_len, &o->listen, o->listen_len))
		r += restart_needed("[static]");
	if (!addr_same(&n->metrics_listen, n->metrics_listen_len,
		       &o->metrics_listen, o->metrics_listen_len))
		r += restart_needed("[metrics]");
	return r;
}

/* Same content, ignoring where it was written (file, line, list link). */
static bool overlay_same(const struct cfg_overlay *a,
			 const struct cfg_overlay *b)
{
	struct cfg_overlay tmp = *b;

	tmp.next = a->next;
	tmp.file = a->file;
	tmp.line = a->line;
	return !memcmp(a, &tmp, sizeof(tmp));
}

/* Overlays own XMPP sessions and links: any change needs a restart. */
static int compare_overlays(const struct evpnd_config *o,
			    const struct evpnd_config *n)
{
	const struct cfg_overlay *a = o->overlays, *b = n->overlays;
	char what[128];

	for (; a && b; a = a->next, b = b->next)
		if (strcmp(a->name, b->name) || !overlay_same(a, b)) {
			snprintf(what, sizeof(what), "[overlay %s]", a->name);
			return restart_needed(what);
		}
	if (a || b)
		return restart_needed("the set of [overlay] sections");
	return 0;
}

static const struct cfg_link *find_link(const struct cfg_link *l,
					const char *name)
{
	for (; l; l = l->next)
		if (!strcmp(l->name, name))
			return l;
	return NULL;
}

static bool link_same(const struct cfg_link *a, const struct cfg_link *b)
{
	return !evpn_id_cmp(&a->peer, &b->peer) &&
	       addr_same(&a->endpoint, a->endpoint_len, &b->endpoint,
			 b->endpoint_len) &&
	       !memcmp(a->psk, b->psk, sizeof(a->psk)) &&
	       a->suite == b->suite && a->tx_key_id == b->tx_key_id &&
	       a->rx_key_id == b->rx_key_id;
}

static void remove_link(struct dp *dp, const char *name, const char *why)
{
	char err[256];

	if (!dp_link_find(dp, name))
		return;		/* already gone (evpnctl link del) */
	if (static_link_remove(dp, name, err, sizeof(err)))
		g_warning("reload: %s", err);
	else
		g_message("reload: link '%s' %s", name, why);
}

static void install_link(struct dp *dp, const struct cfg_link *l,
			 const char *why)
{
	char err[256];

	if (static_link_install(dp, l, err, sizeof(err)))
		g_warning("%s:%d: %s", l->file, l->line, err);
	else
		g_message("reload: link '%s' %s", l->name, why);
}

/* Static links: the one part applied live. Unchanged links (still in the
 * datapath) are not touched, so their traffic does not notice. */
static void apply_links(struct dp *dp, const struct cfg_link *old,
			const struct cfg_link *new)
{
	const struct cfg_link *l, *o;

	for (l = old; l; l = l->next)
		if (!find_link(new, l->name))
			remove_link(dp, l->name, "removed");
	for (l = new; l; l = l->next) {
		o = find_link(old, l->name);
		if (o && !link_same(o, l)) {
			remove_link(dp, l->name, "changed: replacing it");
			install_link(dp, l, "installed");
		} else if (!o) {
			install_link(dp, l, "added");
		} else if (!dp_link_find(dp, l->name)) {
			install_link(dp, l, "reinstalled");
		}
	}
}

int evpnd_reload(struct evpnd_config *running, struct dp *dp)
{
	struct evpnd_config next;
	struct cfg_link *l;
	int r, retried;

	g_message("SIGHUP: re-reading %s", running->path);
	cfg_init(&next);
	if (cfg_load_file(&next, running->path) || cfg_check(&next)) {
		g_warning("reload: %s has errors (above); keeping "
			  "the running configuration", running->path);
		r = -1;
		goto out;
	}
	r = compare_fixed(running, &next);
	/* before the comparison: the login settings a failed XMPP session
	 * takes are no change that waits for a restart */
	retried = overlay_retry_failed(&next);
	r += compare_overlays(running, &next);
	apply_links(dp, running->links, next.links);
	/* addresses: applied live, like static links */
	if (!strcmp(running->ifname, next.ifname)) {
		ifaddr_sync(running->ifname, running, &next);
		memcpy(running->addrs, next.addrs, sizeof(next.addrs));
		running->naddrs = next.naddrs;
	}
	/* the running list is now the file's (the old one is freed with
	 * @next); messages keep pointing at the running path string */
	l = running->links;
	running->links = next.links;
	next.links = l;
	for (l = running->links; l; l = l->next)
		l->file = running->path;
	g_message("reload: done%s%s",
		  retried ? " (XMPP login tried again)" : "",
		  r ? " (some changes wait for a restart, see above)" : "");
out:
	overlay_config_free(&next);
	cfg_free(&next);
	return r;
}
