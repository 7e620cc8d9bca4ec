// SPDX-License-Identifier: GPL-2.0
/*
 * netfilter: Lua functions as netfilter hooks (the skb handles they are
 * given: lib/skb.c, in the same module).
 *
 *	local nf = require "netfilter"
 *	local h = nf.register{hook = function(skb) return nf.action.DROP end,
 *		pf = nf.family.INET, hooknum = nf.inet_hooks.LOCAL_OUT,
 *		priority = nf.ip_priority.FILTER, mark = 7,
 *		policy = nf.action.DROP, netns = pid}
 *	h:stats(); h:stop()
 *
 * Hooks on a device (netdev ingress and egress, inet ingress) name it by
 * ifindex or name (dev = ...); they are unregistered when it goes away.
 *
 * Contexts.  Hooks run in softirq context, or in process context with a
 * lock taken with bottom halves off: only a softirq runtime (`lunatik run
 * SCRIPT softirq`) may register them, from its top-level chunk (process
 * context, where nf_register_net_hook() may sleep).
 *
 * Lifetimes.  The core's hook service (core/hook.c) keeps {hook,
 * userdata, skb handle} anchored in the state while the hook is
 * registered, so a script may drop what register() returns, and
 * unregisters once it is stopped (h:stop(), or the state closing): at
 * once where the stopper may sleep, else from the core's queue, holding a
 * reference on the object.  nfhook_unregister() returns once no CPU runs
 * the hook any more, so the object, and then the runtime, may go.  A
 * per-CPU group's events run in this CPU's twin, which counts them.
 *
 * Packets.  Each hook lends its skb handle (lib/skb.c, skb.h) the packet
 * for the time of the call.
 *
 * Verdicts.  The function returns a verdict (DROP, ACCEPT or QUEUE) and
 * optionally a new skb->mark.  A Lua error, a budget trip, an invalid
 * verdict, or a runtime that is stopping all give the hook's policy
 * (ACCEPT unless the script chose DROP), and are counted (h:stats(); Lua
 * errors and invalid verdicts also in the runtime's error counter, and
 * logged, rate-limited).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/netfilter_arp.h>
#include <linux/netfilter_bridge.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>

#include "lunatik.h"
#include "skb.h"

/* registry[obj]'s slot for the skb handle */
#define NFREG_SKB	LUNATIK_HOOK_SLOT

/* verdicts; errors and skipped events are the core's hook counts */
struct nfhook_stats {
	atomic64_t accepted;
	atomic64_t dropped;
	atomic64_t queued;
	atomic64_t invalid;	/* invalid verdicts or marks (core: errors) */
};

struct nfdev {
	int ifindex;
	char name[IFNAMSIZ];	/* "" when given by index */
};

struct nfhook {
	struct lunatik_hook hook;
	struct net *net;	/* a reference, once set */
	struct nf_hook_ops ops;
	struct nfdev dev;	/* a device hook's device, as given */
	struct list_head dev_entry;	/* in nfdev_hooks while registered */
	bool registered;	/* ops are in the kernel (device hooks: RTNL) */
	bool has_mark;
	u32 mark;
	unsigned int policy;
	struct nfhook_stats stats;
};

static LIST_HEAD(nfdev_hooks);
static const struct lunatik_class nfhook_class;

/* --- the hook --------------------------------------------------------- */

struct nfcall {
	struct nfhook *h;	/* the hook the event ran in (a twin's) */
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	struct lskb *s;	/* the handle lent to Lua, if it was */
	unsigned int verdict;	/* a queue verdict may not fit an int */
	bool invalid;
};

static bool verdict_valid(lua_Integer v)
{
	if (v < 0 || v > U32_MAX)
		return false;
	if ((v & NF_VERDICT_MASK) == NF_QUEUE)
		return !(v & ~(NF_VERDICT_QMASK | NF_VERDICT_FLAG_QUEUE_BYPASS |
			       NF_VERDICT_MASK));
	return v == NF_ACCEPT || v == NF_DROP;
}

/* The hook's results, verdict and mark, are at -2 and -1. */
static int nfhook_results(lua_State *L, struct nfcall *c)
{
	lua_Integer verdict, mark = 0;
	int isint, markint = 1;

	verdict = lua_tointegerx(L, -2, &isint);
	if (!lua_isnil(L, -1))
		mark = lua_tointegerx(L, -1, &markint);
	if (!isint || !verdict_valid(verdict)) {
		c->invalid = true;
		return luaL_error(L, "netfilter: invalid verdict (%s)",
				  luaL_tolstring(L, -2, NULL));
	}
	if (!markint || mark < 0 || mark > U32_MAX) {
		c->invalid = true;
		return luaL_error(L, "netfilter: invalid mark (%s)",
				  luaL_tolstring(L, -1, NULL));
	}
	if (!lua_isnil(L, -1))
		c->skb->mark = mark;
	c->verdict = verdict;
	return 0;
}

/*
 * In the runtime, under its lock: hook(skb).  The skb handle points at
 * the packet only during the call: nfhook_done() takes it back, however
 * the call ended, before the lock is dropped (lunatik_callfin()).
 */
static int nfhook_docall(lua_State *L, struct lunatik_hook *hook, void *arg)
{
	struct nfcall *c = arg;
	struct lskb *s;

	c->h = container_of(hook, struct nfhook, hook);
	lua_rawgeti(L, -2, NFREG_SKB);
	s = lua_touserdata(L, -1);
	lskb_lend(s, c->skb, c->state);
	c->s = s;
	lua_call(L, 1, 2);
	return nfhook_results(L, c);
}

static void nfhook_done(void *arg)
{
	struct nfcall *c = arg;

	if (!c->s)
		return;
	lskb_return(c->s);
}

static unsigned int nfhook_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct nfhook *h = priv;
	struct nfcall c = { .skb = skb, .state = state };
	int ret;

	if (h->has_mark && skb->mark != h->mark)
		return NF_ACCEPT;
	ret = lunatik_hook_call(&h->hook, nfhook_docall, nfhook_done, &c, 0);
	if (ret >= 0) {
		if (c.verdict == NF_ACCEPT)
			atomic64_inc(&c.h->stats.accepted);
		else if (c.verdict == NF_DROP)
			atomic64_inc(&c.h->stats.dropped);
		else
			atomic64_inc(&c.h->stats.queued);
		return c.verdict;
	}
	if (ret == -ESHUTDOWN)
		return NF_ACCEPT;
	if (c.invalid)
		atomic64_inc(&c.h->stats.invalid);
	return h->policy;
}

/* --- the hook object ---------------------------------------------------- */

static bool nfhook_ondev(const struct nf_hook_ops *ops)
{
	return ops->pf == NFPROTO_NETDEV ||
	       (ops->pf == NFPROTO_INET && ops->hooknum == NF_INET_INGRESS);
}

/*
 * A device hook is registered under RTNL, so that its device, looked up
 * without a reference, cannot go meanwhile; its NETDEV_UNREGISTER event
 * (nfdev_event()) then unregisters the hook first.
 */
static int nfhook_register_ops(struct lunatik_object *obj)
{
	struct nfhook *h = lunatik_private(obj);
	struct net_device *dev;
	int ret;

	if (!nfhook_ondev(&h->ops)) {
		ret = nf_register_net_hook(h->net, &h->ops);
		h->registered = !ret;
		return ret;
	}
	rtnl_lock();
	dev = h->dev.name[0] ? __dev_get_by_name(h->net, h->dev.name) :
			       __dev_get_by_index(h->net, h->dev.ifindex);
	if (!dev) {
		ret = -ENODEV;
		goto out_unlock;
	}
	h->ops.dev = dev;
	ret = nf_register_net_hook(h->net, &h->ops);
	if (ret) {
		h->ops.dev = NULL;
		goto out_unlock;
	}
	list_add(&h->dev_entry, &nfdev_hooks);
	h->registered = true;
out_unlock:
	rtnl_unlock();
	return ret;
}

/* Under RTNL for a device hook. */
static void nfhook_unregister_locked(struct nfhook *h)
{
	if (!h->registered)
		return;
	nf_unregister_net_hook(h->net, &h->ops);
	h->registered = false;
	if (nfhook_ondev(&h->ops))
		list_del(&h->dev_entry);
}

/*
 * Process context, no lock held.  nf_unregister_net_hook() only swaps the
 * hook out of the table: a CPU already inside nfhook_hook() goes on using
 * the object.  synchronize_net() waits for it, also when a device's
 * notifier unregistered the hook earlier, so the object may go after.
 */
static void nfhook_unregister(struct lunatik_object *obj)
{
	struct nfhook *h = lunatik_private(obj);

	if (!nfhook_ondev(&h->ops)) {
		nfhook_unregister_locked(h);
	} else {
		rtnl_lock();
		nfhook_unregister_locked(h);
		rtnl_unlock();
	}
	synchronize_net();
}

/* A device goes away (or to another namespace): so do its hooks. */
static int nfdev_event(struct notifier_block *nb, unsigned long event,
		       void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct nfhook *h, *tmp;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	list_for_each_entry_safe(h, tmp, &nfdev_hooks, dev_entry)
		if (h->ops.dev == dev)
			nfhook_unregister_locked(h);
	return NOTIFY_DONE;
}

static struct notifier_block nfdev_notifier = {
	.notifier_call = nfdev_event,
};

static void nfhook_release(struct lunatik_object *obj)
{
	struct nfhook *h = lunatik_private(obj);

	WARN_ON(h->registered);
	if (h->net)
		put_net(h->net);
}

/*
 * h:stats() -> {accepted, dropped, queued, errors, invalid, skipped,
 * registered}; also once the hook is stopped (its last counts)
 */
static int nfhook_stats(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkclass(L, 1, &nfhook_class);
	struct nfhook *h = lunatik_private(obj);
	s64 invalid = atomic64_read(&h->stats.invalid);
	const struct {
		const char *name;
		s64 v;
	} f[] = {
		{ "accepted", atomic64_read(&h->stats.accepted) },
		{ "dropped", atomic64_read(&h->stats.dropped) },
		{ "queued", atomic64_read(&h->stats.queued) },
		/* the core counts invalid verdicts (raised) in errors */
		{ "errors", max_t(s64, 0, atomic64_read(&h->hook.stats.errors) -
				       invalid) },
		{ "invalid", invalid },
		{ "skipped", atomic64_read(&h->hook.stats.skipped) },
	};
	int i;

	lua_createtable(L, 0, ARRAY_SIZE(f));
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		lua_pushinteger(L, f[i].v);
		lua_setfield(L, -2, f[i].name);
	}
	/* a device hook's may change under RTNL: a snapshot */
	lua_pushboolean(L, READ_ONCE(h->registered));
	lua_setfield(L, -2, "registered");
	return 1;
}

static const luaL_Reg nfhook_methods[] = {
	{ "stats", nfhook_stats },
	{ NULL, NULL }
};

static const struct lunatik_class nfhook_class = {
	.name = "netfilter",
	.owner = THIS_MODULE,
	.methods = nfhook_methods,
	.release = nfhook_release,
	.hook_register = nfhook_register_ops,
	.unregister = nfhook_unregister,
	.contexts = LUNATIK_CTX_BIT(LUNATIK_SOFTIRQ),
	.sleep = false,
};

/* --- netfilter.register{} ------------------------------------------------ */

/*
 * Integer field @k of the table at 1, in [min, max]; @def if absent, or
 * raises if @required.
 */
static lua_Integer field(lua_State *L, const char *k, bool required,
			 lua_Integer def, lua_Integer min, lua_Integer max)
{
	lua_Integer v;
	int isint;

	if (lua_getfield(L, 1, k) == LUA_TNIL && !required) {
		lua_pop(L, 1);
		return def;
	}
	v = lua_tointegerx(L, -1, &isint);
	if (!isint || v < min || v > max)
		luaL_error(L, "netfilter: %s must be an integer in %I..%I", k,
			   min, max);
	lua_pop(L, 1);
	return v;
}

static bool hasfield(lua_State *L, const char *k)
{
	bool has = lua_getfield(L, 1, k) != LUA_TNIL;

	lua_pop(L, 1);
	return has;
}

/* The hook points nf_register_net_hook() takes for @pf, or 0. */
static int hooks_of(int pf)
{
	switch (pf) {
	case NFPROTO_INET:
		return NF_INET_INGRESS + 1;
	case NFPROTO_IPV4:
	case NFPROTO_IPV6:
		return NF_INET_NUMHOOKS;
	case NFPROTO_NETDEV:
		return NF_NETDEV_NUMHOOKS;
#ifdef CONFIG_NETFILTER_FAMILY_ARP
	case NFPROTO_ARP:
		return NF_ARP_NUMHOOKS;
#endif
#ifdef CONFIG_NETFILTER_FAMILY_BRIDGE
	case NFPROTO_BRIDGE:
		return NF_INET_NUMHOOKS;
#endif
	}
	return 0;
}

/* ops from the table at 1: pf, hooknum, priority */
static void checkops(lua_State *L, struct nf_hook_ops *ops)
{
	int n;

	ops->pf = field(L, "pf", true, 0, 0, NFPROTO_NUMPROTO - 1);
	n = hooks_of(ops->pf);
	if (!n)
		luaL_error(L, "netfilter: pf must be a family this kernel supports");
	ops->hooknum = field(L, "hooknum", true, 0, 0, n - 1);
	ops->priority = field(L, "priority", false, 0, INT_MIN, INT_MAX);
}

/* dev: an ifindex or a name; hooks on a device need one, others none */
static void checkdev(lua_State *L, const struct nf_hook_ops *ops,
		     struct nfdev *dev)
{
	const char *name;
	size_t len;

	if (!hasfield(L, "dev")) {
		if (nfhook_ondev(ops))
			luaL_error(L, "netfilter: this hook needs a dev");
		return;
	}
	if (!nfhook_ondev(ops))
		luaL_error(L, "netfilter: dev: only for netdev and inet ingress hooks");
	lua_getfield(L, 1, "dev");
	if (lua_type(L, -1) == LUA_TSTRING) {
		name = lua_tolstring(L, -1, &len);
		if (!len || len >= IFNAMSIZ)
			luaL_error(L, "netfilter: dev: invalid name");
		strscpy(dev->name, name, sizeof(dev->name));
	} else {
		dev->ifindex = field(L, "dev", true, 0, 1, INT_MAX);
	}
	lua_pop(L, 1);
}

/* netns: a pid whose namespace to use; default: the caller's */
static struct net *checknet(lua_State *L)
{
	pid_t pid = 0;
	struct net *net;

	if (hasfield(L, "netns"))
		pid = field(L, "netns", true, 0, 1, PID_MAX_LIMIT);
	net = lunatik_getnet(pid);
	if (IS_ERR(net))
		luaL_error(L, pid ? "netfilter: netns: no such process" :
			   "netfilter: the caller has no network namespace");
	return net;
}

static int nfhook_register(lua_State *L)
{
	struct lunatik_object *obj;
	struct nf_hook_ops ops = { };
	struct nfdev dev = { };
	struct nfhook *h;
	lua_Integer policy;
	int ret;

	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	if (!lunatik_toruntime(L))
		return luaL_error(L, "netfilter: needs a runtime (lunatik run SCRIPT softirq)");
	if (lunatik_context(L) != LUNATIK_SOFTIRQ)
		return luaL_error(L, "netfilter: hooks run in softirq context, not in a %s runtime (lunatik run SCRIPT softirq)",
				  lunatik_ctx_name(lunatik_context(L)));
	lunatik_checktoplevel(L, "netfilter: register hooks");
	if (lua_getfield(L, 1, "hook") != LUA_TFUNCTION)
		return luaL_error(L, "netfilter: hook must be a function");
	lua_pop(L, 1);
	checkops(L, &ops);
	checkdev(L, &ops, &dev);
	policy = field(L, "policy", false, NF_ACCEPT, NF_DROP, NF_ACCEPT);

	obj = lunatik_newobject(L, &nfhook_class, sizeof(*h));
	h = lunatik_private(obj);
	h->ops = ops;
	h->ops.hook = nfhook_hook;
	h->ops.priv = h;
	h->dev = dev;
	h->policy = policy;
	/* as upstream: without a mark, the packets of mark 0 only;
	 * mark = false: every packet
	 */
	lua_getfield(L, 1, "mark");
	h->has_mark = !(lua_isboolean(L, -1) && !lua_toboolean(L, -1));
	lua_pop(L, 1);
	if (h->has_mark)
		h->mark = field(L, "mark", false, 0, 0, U32_MAX);
	h->net = checknet(L);
	lua_getfield(L, 1, "hook");
	lua_insert(L, -2);		/* the userdata stays on the top */
	lunatik_hook_init(L, obj, &h->hook, -2, LUNATIK_HOOK_PERCPU);
	lua_remove(L, -2);
	lskb_new(L);
	lunatik_hook_setslot(L, &h->hook, NFREG_SKB);
	ret = lunatik_hook_register(&h->hook);
	if (ret) {
		lunatik_stopobject(obj);
		if (ret == -ENODEV)
			return luaL_error(L, "netfilter: dev: no such device");
		return luaL_error(L, "netfilter: cannot register the hook (%d)",
				  ret);
	}
	return 1;
}

/* --- constants ------------------------------------------------------ */

static const struct lunatik_const nf_family[] = {
	{ "UNSPEC", NFPROTO_UNSPEC }, { "INET", NFPROTO_INET },
	{ "IPV4", NFPROTO_IPV4 }, { "ARP", NFPROTO_ARP },
	{ "NETDEV", NFPROTO_NETDEV }, { "BRIDGE", NFPROTO_BRIDGE },
	{ "IPV6", NFPROTO_IPV6 }, { NULL, 0 }
};

/* the verdicts a hook may return */
static const struct lunatik_const nf_action[] = {
	{ "DROP", NF_DROP }, { "ACCEPT", NF_ACCEPT }, { "QUEUE", NF_QUEUE },
	{ NULL, 0 }
};

static const struct lunatik_const nf_inet_hooks[] = {
	{ "PRE_ROUTING", NF_INET_PRE_ROUTING },
	{ "LOCAL_IN", NF_INET_LOCAL_IN },
	{ "FORWARD", NF_INET_FORWARD },
	{ "LOCAL_OUT", NF_INET_LOCAL_OUT },
	{ "POST_ROUTING", NF_INET_POST_ROUTING },
	{ "INGRESS", NF_INET_INGRESS },
	{ NULL, 0 }
};

static const struct lunatik_const nf_arp_hooks[] = {
	{ "IN", NF_ARP_IN }, { "OUT", NF_ARP_OUT },
	{ "FORWARD", NF_ARP_FORWARD }, { NULL, 0 }
};

static const struct lunatik_const nf_bridge_hooks[] = {
	{ "PRE_ROUTING", NF_BR_PRE_ROUTING },
	{ "LOCAL_IN", NF_BR_LOCAL_IN },
	{ "FORWARD", NF_BR_FORWARD },
	{ "LOCAL_OUT", NF_BR_LOCAL_OUT },
	{ "POST_ROUTING", NF_BR_POST_ROUTING },
	{ NULL, 0 }
};

static const struct lunatik_const nf_netdev_hooks[] = {
	{ "INGRESS", NF_NETDEV_INGRESS }, { "EGRESS", NF_NETDEV_EGRESS },
	{ NULL, 0 }
};

static const struct lunatik_const nf_ip_priority[] = {
	{ "FIRST", NF_IP_PRI_FIRST },
	{ "RAW_BEFORE_DEFRAG", NF_IP_PRI_RAW_BEFORE_DEFRAG },
	{ "CONNTRACK_DEFRAG", NF_IP_PRI_CONNTRACK_DEFRAG },
	{ "RAW", NF_IP_PRI_RAW },
	{ "SELINUX_FIRST", NF_IP_PRI_SELINUX_FIRST },
	{ "CONNTRACK", NF_IP_PRI_CONNTRACK },
	{ "MANGLE", NF_IP_PRI_MANGLE },
	{ "NAT_DST", NF_IP_PRI_NAT_DST },
	{ "FILTER", NF_IP_PRI_FILTER },
	{ "SECURITY", NF_IP_PRI_SECURITY },
	{ "NAT_SRC", NF_IP_PRI_NAT_SRC },
	{ "SELINUX_LAST", NF_IP_PRI_SELINUX_LAST },
	{ "CONNTRACK_HELPER", NF_IP_PRI_CONNTRACK_HELPER },
	{ "LAST", NF_IP_PRI_LAST },
	{ NULL, 0 }
};

static const struct lunatik_const nf_bridge_priority[] = {
	{ "FIRST", NF_BR_PRI_FIRST },
	{ "NAT_DST_BRIDGED", NF_BR_PRI_NAT_DST_BRIDGED },
	{ "FILTER_BRIDGED", NF_BR_PRI_FILTER_BRIDGED },
	{ "BRNF", NF_BR_PRI_BRNF },
	{ "NAT_DST_OTHER", NF_BR_PRI_NAT_DST_OTHER },
	{ "FILTER_OTHER", NF_BR_PRI_FILTER_OTHER },
	{ "NAT_SRC", NF_BR_PRI_NAT_SRC },
	{ "LAST", NF_BR_PRI_LAST },
	{ NULL, 0 }
};

static const luaL_Reg nf_funcs[] = {
	{ "register", nfhook_register },
	{ NULL, NULL }
};

static int luaopen_netfilter(lua_State *L)
{
	lunatik_newclass(L, &nfhook_class);
	lskb_open(L);
	luaL_newlib(L, nf_funcs);
	lunatik_setconsts(L, "family", nf_family);
	lunatik_setconsts(L, "action", nf_action);
	lunatik_setconsts(L, "inet_hooks", nf_inet_hooks);
	lunatik_setconsts(L, "arp_hooks", nf_arp_hooks);
	lunatik_setconsts(L, "bridge_hooks", nf_bridge_hooks);
	lunatik_setconsts(L, "netdev_hooks", nf_netdev_hooks);
	lunatik_setconsts(L, "ip_priority", nf_ip_priority);
	lunatik_setconsts(L, "bridge_priority", nf_bridge_priority);
	return 1;
}

static int nf_setup(void)
{
	int ret = lskb_setup();

	if (ret)
		return ret;
	ret = register_netdevice_notifier(&nfdev_notifier);
	if (ret)
		lskb_teardown();
	return ret;
}

static void nf_teardown(void)
{
	unregister_netdevice_notifier(&nfdev_notifier);
	lskb_teardown();
}

LUNATIK_LIB_SETUP(netfilter, luaopen_netfilter, nf_setup, nf_teardown);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the netfilter and skb library");
