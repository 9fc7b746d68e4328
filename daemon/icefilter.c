// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Remote ICE candidate address filter (see icefilter.h).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include "icefilter.h"

static const char *v4_refused(uint32_t a)	/* host order */
{
	if ((a >> 24) == 0)
		return "unspecified";
	if ((a >> 24) == 127)
		return "loopback";
	if ((a >> 28) == 0xe)
		return "multicast";
	if ((a >> 28) == 0xf)
		return "broadcast or reserved";
	if ((a >> 16) == 0xa9fe)
		return "link-local";
	return NULL;
}

static const char *v6_refused(const struct in6_addr *a)
{
	uint32_t v4;

	if (IN6_IS_ADDR_V4MAPPED(a)) {
		memcpy(&v4, &a->s6_addr[12], 4);
		return v4_refused(ntohl(v4));
	}
	if (IN6_IS_ADDR_UNSPECIFIED(a))
		return "unspecified";
	if (IN6_IS_ADDR_LOOPBACK(a))
		return "loopback";
	if (IN6_IS_ADDR_MULTICAST(a))
		return "multicast";
	if (IN6_IS_ADDR_LINKLOCAL(a))
		return "link-local";
	return NULL;
}

const char *ice_addr_refused(const struct sockaddr *sa)
{
	const struct sockaddr_in *s4 = (const void *)sa;
	const struct sockaddr_in6 *s6 = (const void *)sa;

	switch (sa->sa_family) {
	case AF_INET:
		if (!s4->sin_port)
			return "port 0";
		return v4_refused(ntohl(s4->sin_addr.s_addr));
	case AF_INET6:
		if (!s6->sin6_port)
			return "port 0";
		return v6_refused(&s6->sin6_addr);
	default:
		return "not IP";
	}
}
