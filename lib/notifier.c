// SPDX-License-Identifier: GPL-2.0
/*
 * notifier: Lua functions called on network device events.
 *
 *	local notifier = require "notifier"
 *	local netdev = require("linux").netdev
 *	local n = notifier.netdevice(function(event, name, ifindex)
 *		if event == netdev.UP then print(name .. " is up") end
 *	end)
 *	n:stats(); n:stop()
 *
 * Contexts.  A netdevice notifier runs in process context with RTNL
 * held; it enters the runtime with lunatik_call(), so any runtime may
 * register one: a process runtime's mutex may be taken there, and so may
 * a softirq or hardirq runtime's spinlock (the callback then runs with
 * bottom halves or interrupts off, as the runtime's other hooks do).
 *
 * Locks.  RTNL is always taken before the runtime's lock, never after:
 * registering and unregistering take RTNL, so they must not happen while
 * the runtime's lock is held.  notifier.netdevice() is therefore allowed
 * only in the top-level chunk, and the core's hook service unregisters
 * where no runtime lock is held (at once, or from its queue: the object
 * sees no more events from its stop on).  unregister_netdevice_notifier_net()
 * takes RTNL, under which the callbacks run, so once it returned none
 * runs and the object may go.
 *
 * Lifetimes.  The hook (core/hook.c) anchors {callback, userdata} in the
 * state and holds a reference on the object while registered; the object
 * holds one on its network namespace.
 *
 * Events.  The callback gets (event, name, ifindex) for every event of
 * every device of the namespace; what it returns is the notifier's answer,
 * as upstream: nil is NOTIFY_DONE, else a linux.notify code (DONE, OK,
 * BAD, STOP: BAD on NETDEV_PRE_UP keeps a device down); anything else, an
 * error or a skipped event is NOTIFY_DONE.  The events replayed at
 * registration for the devices that exist then reach it too, nested in the
 * top-level chunk (lunatik_hook_call()).  In a per-CPU
 * group only the primary registers (lunatik_twin()): every event reaches
 * the primary's copy of the script, once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/notifier.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <net/net_namespace.h>

#include "lunatik.h"

struct lnotifier {
	struct lunatik_hook hook;
	struct net *net;	/* a reference, once set */
	struct notifier_block nb;
};

static const struct lunatik_class lnotifier_class;

/* --- the event -------------------------------------------------------- */

struct lnotifier_event {
	unsigned long event;
	const struct net_device *dev;
	int ret;
};

/* In the runtime, under its lock: callback(event, name, ifindex). */
static int lnotifier_docall(lua_State *L, struct lunatik_hook *hook, void *arg)
{
	struct lnotifier_event *e = arg;
	lua_Integer v;
	int isint;

	lua_pushinteger(L, (lua_Integer)e->event);
	lua_pushstring(L, e->dev->name);
	lua_pushinteger(L, e->dev->ifindex);
	lua_call(L, 3, 1);
	if (lua_isnil(L, -1))
		return 0;
	v = lua_tointegerx(L, -1, &isint);
	if (!isint || (v != NOTIFY_DONE && v != NOTIFY_OK &&
		       v != NOTIFY_BAD && v != NOTIFY_STOP))
		return luaL_error(L, "notifier: the callback returned %s, not a linux.notify code (DONE, OK, BAD, STOP)",
				  luaL_typename(L, -1));
	e->ret = (int)v;
	return 0;
}

/* Process context, RTNL held. */
static int lnotifier_netdevice_event(struct notifier_block *nb,
				     unsigned long event, void *ptr)
{
	struct lnotifier *n = container_of(nb, struct lnotifier, nb);
	struct lnotifier_event e = {
		.event = event,
		.dev = netdev_notifier_info_to_dev(ptr),
		.ret = NOTIFY_DONE,
	};

	/* RTNL is held: what would take it again from Lua raises */
	if (lunatik_hook_call(&n->hook, lnotifier_docall, NULL, &e,
			      LUNATIK_CALL_RTNL) < 0)
		return NOTIFY_DONE;
	return e.ret;
}

/* --- the object --------------------------------------------------------- */

static int lnotifier_register(struct lunatik_object *obj)
{
	struct lnotifier *n = lunatik_private(obj);

	return register_netdevice_notifier_net(n->net, &n->nb);
}

/* Process context, no runtime lock held: takes RTNL. */
static void lnotifier_unregister(struct lunatik_object *obj)
{
	struct lnotifier *n = lunatik_private(obj);

	unregister_netdevice_notifier_net(n->net, &n->nb);
}

static void lnotifier_release(struct lunatik_object *obj)
{
	struct lnotifier *n = lunatik_private(obj);

	if (n->net)
		put_net(n->net);
}

/* n:stats() -> {events, errors, skipped} */
static int lnotifier_stats(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkclass(L, 1,
							 &lnotifier_class);
	struct lnotifier *n = lunatik_private(obj);

	lunatik_hook_pushstats(L, &n->hook);
	return 1;
}

static const luaL_Reg lnotifier_methods[] = {
	{ "stats", lnotifier_stats },
	{ NULL, NULL }
};

static const struct lunatik_class lnotifier_class = {
	.name = "notifier",
	.owner = THIS_MODULE,
	.methods = lnotifier_methods,
	.release = lnotifier_release,
	.hook_register = lnotifier_register,
	.unregister = lnotifier_unregister,
	.contexts = LUNATIK_CTX_ANY,
	.sleep = false,
};

/* --- notifier.netdevice() ------------------------------------------------ */

/* netns at @idx: a pid whose namespace to use; absent: the caller's */
static struct net *lnotifier_checknet(lua_State *L, int idx)
{
	lua_Integer pid = 0;
	struct net *net;

	if (!lua_isnoneornil(L, idx)) {
		pid = luaL_checkinteger(L, idx);
		luaL_argcheck(L, pid > 0 && pid <= PID_MAX_LIMIT, idx,
			      "invalid pid");
	}
	net = lunatik_getnet((pid_t)pid);
	if (IS_ERR(net))
		luaL_error(L, pid ? "notifier: netns: no such process" :
			   "notifier: the caller has no network namespace");
	return net;
}

/* notifier.netdevice(callback[, netns]) */
static int lnotifier_netdevice(lua_State *L)
{
	struct lunatik_object *obj;
	struct lnotifier *n;
	int ret;

	luaL_checktype(L, 1, LUA_TFUNCTION);
	if (!lua_isnoneornil(L, 2))
		luaL_checkinteger(L, 2);
	lua_settop(L, 2);
	lunatik_checktoplevel(L, "notifier: register");

	obj = lunatik_newobject(L, &lnotifier_class, sizeof(*n));
	n = lunatik_private(obj);
	n->nb.notifier_call = lnotifier_netdevice_event;
	n->net = lnotifier_checknet(L, 2);
	/* in a per-CPU group only the primary's registers: events are not
	 * per CPU, and each reaches its copy once
	 */
	lunatik_hook_init(L, obj, &n->hook, 1, 0);
	ret = lunatik_hook_register(&n->hook);
	if (ret) {
		lunatik_stopobject(obj);
		return luaL_error(L, "notifier: cannot register (%d)", ret);
	}
	return 1;
}

static const luaL_Reg lnotifier_funcs[] = {
	{ "netdevice", lnotifier_netdevice },
	{ NULL, NULL }
};

static int luaopen_notifier(lua_State *L)
{
	lunatik_newclass(L, &lnotifier_class);
	luaL_newlib(L, lnotifier_funcs);
	return 1;
}

LUNATIK_LIB(notifier, luaopen_notifier);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the notifier library");
