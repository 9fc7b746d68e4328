// SPDX-License-Identifier: GPL-2.0
/*
 * evpn.ko: a layer-2 overlay network device, configured over the "evpn"
 * generic netlink family. This file only wires the pieces together.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include <linux/evpn.h>

#include "crypto.h"
#include "device.h"
#include "link.h"
#include "netlink.h"
#include "queue.h"
#include "rx.h"
#include "version.h"

static int __init evpn_init(void)
{
	int ret;

	ret = evpn_crypto_init();
	if (ret)
		return ret;
	ret = evpn_rx_wq_init();
	if (ret)
		goto err_crypto;
	ret = evpn_tx_wq_init();
	if (ret)
		goto err_rx_wq;
	ret = evpn_link_init();
	if (ret)
		goto err_wq;
	ret = evpn_device_init();
	if (ret)
		goto err_link;
	ret = evpn_genl_init();
	if (ret)
		goto err_device;
	pr_info("evpn: " EVPN_VERSION " loaded\n");
	return 0;

err_device:
	evpn_device_uninit();
err_link:
	evpn_link_uninit();
err_wq:
	evpn_tx_wq_uninit();
err_rx_wq:
	evpn_rx_wq_uninit();
err_crypto:
	evpn_crypto_uninit();
	return ret;
}

/*
 * Reverse order: with the family gone no request can reach a device, then
 * rtnl_link_unregister() deletes every remaining evpn device in every
 * namespace and waits until each is freed (so every link is: links hold
 * their device); evpn_link_uninit() then waits for the frees still queued
 * behind a grace period.
 */
static void __exit evpn_exit(void)
{
	evpn_genl_uninit();
	evpn_device_uninit();
	evpn_link_uninit();
	evpn_tx_wq_uninit();
	evpn_rx_wq_uninit();
	evpn_crypto_uninit();
}

module_init(evpn_init);
module_exit(evpn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("evpn layer-2 overlay network device");
MODULE_AUTHOR("evpn developers");
MODULE_VERSION(EVPN_VERSION);
MODULE_ALIAS_RTNL_LINK("evpn");
MODULE_ALIAS_GENL_FAMILY(EVPN_GENL_NAME);
