// SPDX-License-Identifier: GPL-2.0
/*
 * The linux binding's constant libraries, require "linux.stat", "linux.nf",
 * "linux.socket" ...: tables in upstream Lunatik's key layout, generated
 * by lib/gen-constants from the target kernel's headers (the names) and
 * evaluated by the compiler (the values).  Part of lualinux.ko.
 */
#include <linux/module.h>
#include <linux/stat.h>
#include <linux/signal.h>
#include <linux/sched.h>
#include <linux/if_ether.h>
#include <linux/netdevice.h>
#include <linux/notifier.h>
#include <linux/vt.h>
#include <linux/socket.h>
#include <linux/net.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/time_types.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_arp.h>
#include <linux/netfilter_bridge.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tuple_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/rtnetlink.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/fib_rules.h>
#include <linux/nl80211.h>
#include <linux/bpf.h>
#include <linux/fsnotify_backend.h>
#include <linux/errno.h>
#include <asm/unistd.h>

#include "linux.h"

#include "linux_consts.h"
