/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * One ICE session (RFC 5245, trickle) per overlay link: a NiceAgent with one
 * stream of one component, on the default GMainContext.
 *
 * Why an agent per link rather than one per overlay: libnice's controlling
 * role is a property of the agent, and ours is decided per link (higher node
 * ID controls); separate agents also give each link its own life cycle
 * (restart, tear down, TURN allocation) without touching the others.
 */
#ifndef EVPND_ICE_H
#define EVPND_ICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define ICE_MAX_EXCLUDE 8

/* How we reach the TURN server (the relayed path itself is UDP). */
enum { ICE_TURN_UDP = 0, ICE_TURN_TCP, ICE_TURN_TLS };

struct ice_config {
	const char *stun_host;		/* numeric IP; NULL = no STUN */
	unsigned short stun_port;
	const char *turn_host;		/* numeric IP; NULL = no TURN */
	unsigned short turn_port;
	const char *turn_user, *turn_password;
	int turn_transport;		/* ICE_TURN_UDP / _TCP / _TLS */
	/* Interfaces never used for host candidates (evpn's own device,
	 * other tunnels). Matched with fnmatch(3) patterns. */
	const char *exclude[ICE_MAX_EXCLUDE];
	int nexclude;
};

enum ice_state {
	ICE_GATHERING,
	ICE_CHECKING,
	ICE_CONNECTED,		/* a working pair: we may send */
	ICE_FAILED,
};

struct ice_ops {
	/* A local candidate, "candidate:..." (SDP attribute without "a="). */
	void (*candidate)(void *ctx, const char *attr);
	void (*gathering_done)(void *ctx);
	void (*state)(void *ctx, enum ice_state st);
	/* A datagram from the peer on the selected path. */
	void (*recv)(void *ctx, uint8_t *buf, size_t len);
	/* Optional: the selected pair changed (after the first one). */
	void (*pair_changed)(void *ctx);
};

struct ice;

struct ice *ice_new(const struct ice_config *cfg, bool controlling,
		    const struct ice_ops *ops, void *ctx);
void ice_free(struct ice *ice);

/* Our random ufrag/pwd (libnice generates them). Returned strings are
 * owned by @ice. */
const char *ice_local_ufrag(const struct ice *ice);
const char *ice_local_pwd(const struct ice *ice);

/* Start gathering; candidates come out through ops->candidate as soon
 * as each one is known (trickle). */
int ice_gather(struct ice *ice);
int ice_set_remote_credentials(struct ice *ice, const char *ufrag,
			       const char *pwd);
/* "candidate:..." from the peer. Returns 0, -1 if unparsable, or 1 if its
 * address is not worth probing (icefilter.h: ignored). */
int ice_add_remote_candidate(struct ice *ice, const char *attr);
void ice_remote_end_of_candidates(struct ice *ice);

/* Send one datagram on the selected pair. <0 on error. */
int ice_send(struct ice *ice, const void *buf, size_t len);

/* Selected pair: relayed (either end is a TURN relay candidate)? And a
 * human description "local-type ip:port -> remote-type ip:port". */
bool ice_selected_relayed(struct ice *ice);
int ice_selected_describe(struct ice *ice, char *buf, size_t size);
/* The selected pair's candidate types ("host", "srflx", "prflx", "relay")
 * and the remote address; false if there is no pair yet. */
bool ice_selected_types(struct ice *ice, const char **local,
			const char **remote, char *remote_addr, size_t size);

/*
 * The socket handoff: for a selected pair whose local candidate is not a
 * TURN relay, the fd of libnice's UDP socket for it (still owned by
 * libnice: valid until ice_free) and the remote candidate's address in
 * @remote. -1 if there is none (no pair yet, or relayed: only libnice can
 * frame TURN).
 */
int ice_selected_socket(struct ice *ice, struct sockaddr_storage *remote,
			socklen_t *remote_len);

/*
 * The TURN handoff: for a selected pair whose local candidate is our TURN
 * relay reached over UDP, the fd of the UDP socket libnice made the
 * allocation from (still libnice's: it keeps the allocation, permission and
 * channel binding alive on it), the TURN server in @server and the remote
 * candidate in @peer. -1 if there is none.
 */
int ice_selected_turn(struct ice *ice, struct sockaddr_storage *server,
		      struct sockaddr_storage *peer);

const char *ice_state_name(enum ice_state st);

#endif /* EVPND_ICE_H */
