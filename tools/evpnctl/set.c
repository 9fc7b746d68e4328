// SPDX-License-Identifier: GPL-2.0 OR MIT
/* `evpnctl set DEV node-id HEX32`: EVPN_CMD_DEV_SET. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>

#include "evpnctl.h"
#include "genl.h"
#include "id.h"
#include "nl.h"

int cmd_set(int argc, char **argv)
{
	uint8_t idb[EVPN_NODE_ID_LEN];
	struct evpn_genl g;
	struct evpn_id id;
	struct nl_msg *msg;
	struct evpn_nl_dev d;
	const char *dev;
	int ret;

	if (argc != 3 || strcmp(argv[1], "node-id")) {
		fprintf(stderr, "usage: evpnctl set DEV node-id HEX32\n");
		return 1;
	}
	dev = argv[0];
	if (strlen(dev) >= IFNAMSIZ) {
		fprintf(stderr, "evpnctl: device name too long: %s\n", dev);
		return 1;
	}
	if (evpn_id_from_hex(&id, argv[2])) {
		fprintf(stderr, "evpnctl: node-id must be %d hex digits: %s\n",
			EVPN_ID_HEXLEN, argv[2]);
		return 1;
	}
	evpn_id_to_bytes(&id, idb);
	d.ifindex = 0;
	d.ifname = dev;

	ret = evpn_genl_open(&g);
	if (ret) {
		evpn_genl_perror(&g, "evpn family", ret);
		return 1;
	}
	msg = evpn_nl_dev_set_node_id(&g, &d, idb);
	if (!msg) {
		evpn_genl_close(&g);
		fprintf(stderr, "evpnctl: out of memory\n");
		return 1;
	}
	ret = evpn_genl_transact(&g, msg, NULL, NULL);
	if (ret) {
		char what[64];

		snprintf(what, sizeof(what), "set %s", dev);
		evpn_genl_perror(&g, what, ret);
	}
	evpn_genl_close(&g);
	return ret ? 1 : 0;
}
