// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ICE with libnice: one agent, one stream, one component per link.
 */
#include <fnmatch.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <agent.h>
#include <glib.h>

#include "ice.h"
#include "icefilter.h"

struct ice {
	NiceAgent *agent;
	guint stream;
	const struct ice_ops *ops;
	void *cb_ctx;
	char *ufrag, *pwd;
	bool creds_set;
	enum ice_state st;
	NiceAddress turn_server;	/* UDP TURN only; else invalid */
};

/*
 * libnice's timers are per agent, so per link, and every firing is one
 * iteration of evpnd's main loop over all its sources and descriptors.
 * The agent's check/gathering timer ticks every Ta (libnice: 20 ms) from
 * the first candidate until the checks are over, the peer's end of
 * candidates has come, and the agent has been idle for the idle timeout
 * (libnice: 5 s) -- about 300 wakeups per link and side, most of them
 * after the link is up, and tens of links set up at once in a mass start.
 * Ta = 50 ms is RFC 8445's default (section 14.2); it paces one check or
 * gathering request per tick, and a link has a handful of pairs. 2 s of
 * idleness is still far longer than a check's retransmission interval:
 * what it guards is declaring a component failed while a late check of
 * the peer's may still arrive.
 */
#define ICE_TA_MS	50
#define ICE_IDLE_MS	2000

static const char *const state_names[] = {
	[ICE_GATHERING] = "gathering", [ICE_CHECKING] = "checking",
	[ICE_CONNECTED] = "connected", [ICE_FAILED] = "failed",
};

const char *ice_state_name(enum ice_state st)
{
	return st <= ICE_FAILED ? state_names[st] : "?";
}

static bool excluded(const struct ice_config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->nexclude; i++)
		if (!fnmatch(cfg->exclude[i], name, 0))
			return true;
	return false;
}

/*
 * The host's interface addresses, enumerated at most every ICE_IFADDRS_MS:
 * every link's agent needs them, a mass start creates tens of agents a
 * second, and each getifaddrs() is a netlink dump of all links and
 * addresses. An address added since is used by agents created after the
 * next enumeration.
 */
#define ICE_IFADDRS_MS	2000

struct ifaddr_entry {
	char name[IF_NAMESIZE];
	unsigned int flags;
	struct sockaddr_storage addr;
};

static GArray *ifaddrs_cache;	/* struct ifaddr_entry */
static gint64 ifaddrs_at;	/* monotonic us of the enumeration */

static const GArray *host_ifaddrs(void)
{
	gint64 now = g_get_monotonic_time();
	struct ifaddrs *ifa, *i;

	if (ifaddrs_cache && now - ifaddrs_at < ICE_IFADDRS_MS * 1000)
		return ifaddrs_cache;
	if (getifaddrs(&ifa))
		return ifaddrs_cache;	/* the last list, if any */
	if (!ifaddrs_cache)
		ifaddrs_cache = g_array_new(FALSE, TRUE,
					    sizeof(struct ifaddr_entry));
	g_array_set_size(ifaddrs_cache, 0);
	for (i = ifa; i; i = i->ifa_next) {
		struct ifaddr_entry e = { .flags = i->ifa_flags };

		if (!i->ifa_addr || (i->ifa_addr->sa_family != AF_INET &&
				     i->ifa_addr->sa_family != AF_INET6))
			continue;
		g_strlcpy(e.name, i->ifa_name, sizeof(e.name));
		memcpy(&e.addr, i->ifa_addr, i->ifa_addr->sa_family == AF_INET ?
		       sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
		g_array_append_val(ifaddrs_cache, e);
	}
	freeifaddrs(ifa);
	ifaddrs_at = now;
	return ifaddrs_cache;
}

/*
 * Host candidates only from interfaces that are up, not loopback, and not
 * excluded (evpn's own device: the overlay must never be tunnelled through
 * itself). IPv6 link-local addresses are skipped (they need a scope).
 */
static int add_local_addresses(NiceAgent *agent, const struct ice_config *cfg)
{
	const GArray *list = host_ifaddrs();
	guint k;
	int n = 0;

	if (!list)
		return -1;
	for (k = 0; k < list->len; k++) {
		const struct ifaddr_entry *e =
			&g_array_index(list, struct ifaddr_entry, k);
		NiceAddress a;

		if (!(e->flags & IFF_UP) || (e->flags & IFF_LOOPBACK) ||
		    excluded(cfg, e->name))
			continue;
		if (e->addr.ss_family == AF_INET6) {
			const struct sockaddr_in6 *s6 = (const void *)&e->addr;

			if (IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr))
				continue;
		}
		nice_address_init(&a);
		nice_address_set_from_sockaddr(&a, (const struct sockaddr *)&e->addr);
		if (nice_agent_add_local_address(agent, &a))
			n++;
	}
	return n;
}

static void set_state(struct ice *ice, enum ice_state st)
{
	if (ice->st == st)
		return;
	ice->st = st;
	ice->ops->state(ice->cb_ctx, st);
}

static void on_candidate(NiceAgent *agent, NiceCandidate *c, gpointer p)
{
	struct ice *ice = p;
	gchar *sdp = nice_agent_generate_local_candidate_sdp(agent, c);

	if (sdp && g_str_has_prefix(sdp, "a="))
		ice->ops->candidate(ice->cb_ctx, sdp + 2);
	g_free(sdp);
}

static void on_gathering_done(NiceAgent *agent, guint stream, gpointer p)
{
	struct ice *ice = p;

	if (ice->st == ICE_GATHERING)
		set_state(ice, ICE_CHECKING);
	ice->ops->gathering_done(ice->cb_ctx);
}

static void on_component_state(NiceAgent *agent, guint stream, guint comp,
			       guint state, gpointer p)
{
	struct ice *ice = p;

	switch (state) {
	case NICE_COMPONENT_STATE_CONNECTED:
	case NICE_COMPONENT_STATE_READY:
		set_state(ice, ICE_CONNECTED);
		break;
	case NICE_COMPONENT_STATE_FAILED:
		set_state(ice, ICE_FAILED);
		break;
	default:
		break;
	}
}

static void on_recv(NiceAgent *agent, guint stream, guint comp, guint len,
		    gchar *buf, gpointer p)
{
	struct ice *ice = p;

	ice->ops->recv(ice->cb_ctx, (uint8_t *)buf, len);
}

static void on_pair(NiceAgent *agent, guint stream, guint comp,
		    NiceCandidate *l, NiceCandidate *r, gpointer p)
{
	struct ice *ice = p;

	if (ice->ops->pair_changed)
		ice->ops->pair_changed(ice->cb_ctx);
}

static int set_server(NiceAgent *agent, guint stream, const struct ice_config *cfg)
{
	static const NiceRelayType types[] = {
		[ICE_TURN_UDP] = NICE_RELAY_TYPE_TURN_UDP,
		[ICE_TURN_TCP] = NICE_RELAY_TYPE_TURN_TCP,
		[ICE_TURN_TLS] = NICE_RELAY_TYPE_TURN_TLS,
	};

	if (cfg->stun_host)
		g_object_set(agent, "stun-server", cfg->stun_host,
			     "stun-server-port", (guint)cfg->stun_port, NULL);
	if (cfg->turn_host &&
	    !nice_agent_set_relay_info(agent, stream, 1, cfg->turn_host,
				       cfg->turn_port, cfg->turn_user ?: "",
				       cfg->turn_password ?: "",
				       types[cfg->turn_transport])) {
		g_warning("ice: bad TURN server %s:%u", cfg->turn_host,
			  cfg->turn_port);
		return -1;
	}
	return 0;
}

struct ice *ice_new(const struct ice_config *cfg, bool controlling,
		    const struct ice_ops *ops, void *ctx)
{
	struct ice *ice = g_new0(struct ice, 1);

	ice->ops = ops;
	ice->cb_ctx = ctx;
	ice->agent = nice_agent_new_full(g_main_context_default(),
					 NICE_COMPATIBILITY_RFC5245,
					 NICE_AGENT_OPTION_ICE_TRICKLE);
	if (!ice->agent)
		goto err;
	g_object_set(ice->agent, "controlling-mode", controlling,
		     "upnp", FALSE, "ice-tcp", FALSE, "ice-udp", TRUE,
		     /* checks that need answers: a dead path is noticed */
		     "keepalive-conncheck", TRUE,
		     "stun-pacing-timer", (guint)ICE_TA_MS,
		     "idle-timeout", (guint)ICE_IDLE_MS, NULL);
	if (add_local_addresses(ice->agent, cfg) <= 0)
		g_message("ice: no usable local address (STUN/TURN only)");
	ice->stream = nice_agent_add_stream(ice->agent, 1);
	if (!ice->stream || set_server(ice->agent, ice->stream, cfg))
		goto err;
	nice_address_init(&ice->turn_server);
	if (cfg->turn_host && cfg->turn_transport == ICE_TURN_UDP &&
	    nice_address_set_from_string(&ice->turn_server, cfg->turn_host))
		nice_address_set_port(&ice->turn_server, cfg->turn_port);
	g_signal_connect(ice->agent, "new-candidate-full",
			 G_CALLBACK(on_candidate), ice);
	g_signal_connect(ice->agent, "candidate-gathering-done",
			 G_CALLBACK(on_gathering_done), ice);
	g_signal_connect(ice->agent, "component-state-changed",
			 G_CALLBACK(on_component_state), ice);
	g_signal_connect(ice->agent, "new-selected-pair-full",
			 G_CALLBACK(on_pair), ice);
	nice_agent_attach_recv(ice->agent, ice->stream, 1,
			       g_main_context_default(), on_recv, ice);
	if (!nice_agent_get_local_credentials(ice->agent, ice->stream,
					      &ice->ufrag, &ice->pwd))
		goto err;
	return ice;
err:
	g_warning("ice: cannot create an ICE agent");
	ice_free(ice);
	return NULL;
}

static void closed(GObject *src, GAsyncResult *res, gpointer p)
{
	g_object_unref(src);
}

void ice_free(struct ice *ice)
{
	if (!ice)
		return;
	if (ice->agent) {
		g_signal_handlers_disconnect_by_data(ice->agent, ice);
		if (ice->stream)
			nice_agent_attach_recv(ice->agent, ice->stream, 1,
					       g_main_context_default(), NULL,
					       NULL);
		/* Releases TURN allocations politely; unref when done. */
		nice_agent_close_async(ice->agent, closed, NULL);
	}
	g_free(ice->ufrag);
	g_free(ice->pwd);
	g_free(ice);
}

const char *ice_local_ufrag(const struct ice *ice)
{
	return ice->ufrag;
}

const char *ice_local_pwd(const struct ice *ice)
{
	return ice->pwd;
}

int ice_gather(struct ice *ice)
{
	ice->st = ICE_GATHERING;
	return nice_agent_gather_candidates(ice->agent, ice->stream) ? 0 : -1;
}

int ice_set_remote_credentials(struct ice *ice, const char *ufrag,
			       const char *pwd)
{
	if (!nice_agent_set_remote_credentials(ice->agent, ice->stream, ufrag,
					       pwd))
		return -1;
	ice->creds_set = true;
	return 0;
}

int ice_add_remote_candidate(struct ice *ice, const char *attr)
{
	gchar *sdp = g_strconcat("a=", attr, NULL);
	struct sockaddr_storage ss = { 0 };
	const char *why;
	NiceCandidate *c;
	GSList *l;
	int r;

	c = nice_agent_parse_remote_candidate_sdp(ice->agent, ice->stream, sdp);
	g_free(sdp);
	if (!c)
		return -1;
	if (c->component_id != 1 || c->transport != NICE_CANDIDATE_TRANSPORT_UDP) {
		nice_candidate_free(c);
		return -1;
	}
	nice_address_copy_to_sockaddr(&c->addr, (struct sockaddr *)&ss);
	why = ice_addr_refused((struct sockaddr *)&ss);
	if (why) {
		g_debug("ice: remote candidate ignored (%s address): %s", why,
			attr);
		nice_candidate_free(c);
		return 1;
	}
	l = g_slist_append(NULL, c);
	r = nice_agent_set_remote_candidates(ice->agent, ice->stream, 1, l);
	g_slist_free_full(l, (GDestroyNotify)nice_candidate_free);
	return r == 1 ? 0 : -1;
}

void ice_remote_end_of_candidates(struct ice *ice)
{
	nice_agent_peer_candidate_gathering_done(ice->agent, ice->stream);
}

int ice_send(struct ice *ice, const void *buf, size_t len)
{
	return nice_agent_send(ice->agent, ice->stream, 1, len, buf);
}

bool ice_selected_relayed(struct ice *ice)
{
	NiceCandidate *l = NULL, *r = NULL;

	if (!nice_agent_get_selected_pair(ice->agent, ice->stream, 1, &l, &r))
		return false;
	return l->type == NICE_CANDIDATE_TYPE_RELAYED ||
	       r->type == NICE_CANDIDATE_TYPE_RELAYED;
}

int ice_selected_socket(struct ice *ice, struct sockaddr_storage *remote,
			socklen_t *remote_len)
{
	NiceCandidate *l = NULL, *r = NULL;
	GSocket *gs;
	int fd;

	if (!nice_agent_get_selected_pair(ice->agent, ice->stream, 1, &l, &r) ||
	    l->type == NICE_CANDIDATE_TYPE_RELAYED ||
	    l->transport != NICE_CANDIDATE_TRANSPORT_UDP)
		return -1;
	gs = nice_agent_get_selected_socket(ice->agent, ice->stream, 1);
	if (!gs)
		return -1;
	fd = g_socket_get_family(gs) == G_SOCKET_FAMILY_IPV4 ||
	     g_socket_get_family(gs) == G_SOCKET_FAMILY_IPV6 ?
	     g_socket_get_fd(gs) : -1;
	g_object_unref(gs);	/* libnice keeps its reference */
	memset(remote, 0, sizeof(*remote));
	nice_address_copy_to_sockaddr(&r->addr, (struct sockaddr *)remote);
	*remote_len = remote->ss_family == AF_INET6 ?
		      sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if (remote->ss_family != AF_INET && remote->ss_family != AF_INET6)
		return -1;
	return fd;
}

/* Our UDP socket bound to @a: libnice's sockets are not reachable through
 * its API for a relayed candidate, but each is bound to its candidate's
 * base address, which no other socket of ours shares. */
static int find_udp_fd(const struct sockaddr_storage *a)
{
	GDir *d = g_dir_open("/proc/self/fd", 0, NULL);
	const char *name;
	int found = -1;

	if (!d)
		return -1;
	while (found < 0 && (name = g_dir_read_name(d))) {
		struct sockaddr_storage b;
		socklen_t bl = sizeof(b), tl = sizeof(int);
		int fd = atoi(name), type;

		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) ||
		    type != SOCK_DGRAM ||
		    getsockname(fd, (struct sockaddr *)&b, &bl) ||
		    b.ss_family != a->ss_family)
			continue;
		if (b.ss_family == AF_INET ?
		    !memcmp(&((struct sockaddr_in *)&b)->sin_addr,
			    &((const struct sockaddr_in *)a)->sin_addr, 4) &&
		    ((struct sockaddr_in *)&b)->sin_port ==
		    ((const struct sockaddr_in *)a)->sin_port :
		    !memcmp(&((struct sockaddr_in6 *)&b)->sin6_addr,
			    &((const struct sockaddr_in6 *)a)->sin6_addr, 16) &&
		    ((struct sockaddr_in6 *)&b)->sin6_port ==
		    ((const struct sockaddr_in6 *)a)->sin6_port)
			found = fd;
	}
	g_dir_close(d);
	return found;
}

int ice_selected_turn(struct ice *ice, struct sockaddr_storage *server,
		      struct sockaddr_storage *peer)
{
	NiceCandidate *l = NULL, *r = NULL;
	struct sockaddr_storage base;

	if (!nice_address_is_valid(&ice->turn_server) ||
	    !nice_agent_get_selected_pair(ice->agent, ice->stream, 1, &l, &r) ||
	    l->type != NICE_CANDIDATE_TYPE_RELAYED ||
	    r->transport != NICE_CANDIDATE_TRANSPORT_UDP)
		return -1;
	memset(&base, 0, sizeof(base));
	memset(server, 0, sizeof(*server));
	memset(peer, 0, sizeof(*peer));
	nice_address_copy_to_sockaddr(&l->base_addr, (struct sockaddr *)&base);
	nice_address_copy_to_sockaddr(&ice->turn_server,
				      (struct sockaddr *)server);
	nice_address_copy_to_sockaddr(&r->addr, (struct sockaddr *)peer);
	if (base.ss_family != server->ss_family ||
	    (peer->ss_family != AF_INET && peer->ss_family != AF_INET6))
		return -1;
	return find_udp_fd(&base);
}

static const char *type_name(NiceCandidateType t)
{
	switch (t) {
	case NICE_CANDIDATE_TYPE_HOST: return "host";
	case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE: return "srflx";
	case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE: return "prflx";
	case NICE_CANDIDATE_TYPE_RELAYED: return "relay";
	default: return "?";
	}
}

bool ice_selected_types(struct ice *ice, const char **local,
			const char **remote, char *remote_addr, size_t size)
{
	NiceCandidate *l = NULL, *r = NULL;
	char ra[NICE_ADDRESS_STRING_LEN];

	if (!nice_agent_get_selected_pair(ice->agent, ice->stream, 1, &l, &r))
		return false;
	*local = type_name(l->type);
	*remote = type_name(r->type);
	nice_address_to_string(&r->addr, ra);
	snprintf(remote_addr, size, "%s:%u", ra, nice_address_get_port(&r->addr));
	return true;
}

int ice_selected_describe(struct ice *ice, char *buf, size_t size)
{
	NiceCandidate *l = NULL, *r = NULL;
	char la[NICE_ADDRESS_STRING_LEN], ra[NICE_ADDRESS_STRING_LEN];

	if (!nice_agent_get_selected_pair(ice->agent, ice->stream, 1, &l, &r)) {
		snprintf(buf, size, "none");
		return -1;
	}
	nice_address_to_string(&l->addr, la);
	nice_address_to_string(&r->addr, ra);
	snprintf(buf, size, "%s %s:%u -> %s %s:%u", type_name(l->type), la,
		 nice_address_get_port(&l->addr), type_name(r->type), ra,
		 nice_address_get_port(&r->addr));
	return 0;
}
