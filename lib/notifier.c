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
 * only in the top-level chunk (the runtime is not ready and no lock is
 * held).  Stopping (n:stop(), or the state closing) unregisters at once
 * where no lock is held (the top-level chunk, the state closing, which
 * both run with the runtime not ready), else (from inside the callback or
 * any other entry, the runtime's lock held) from a work item: the object
 * is stopped at once and sees no more events, and the unregistration
 * completes a moment later.  unregister_netdevice_notifier_net() takes
 * RTNL, under which the callbacks run, so once it returned none runs and
 * the object may go.  What the binding cannot see: a runtime created or
 * closed from inside another runtime's entry (lunatik.runtime(),
 * rt:stop()) registers or unregisters with that other runtime's lock held;
 * docs/api.md tells scripts not to, where both have notifiers.
 *
 * Lifetimes.  The object holds a reference on its runtime and on its
 * network namespace; the registration holds one on the object, dropped
 * once unregistered.  The state keeps the object reachable while it
 * runs, as registry[obj] = {callback, userdata}: a script may drop what
 * netdevice() returns.  The module's exit drains the deferred
 * unregistrations.
 *
 * Events.  The callback gets (event, name, ifindex) for every event of
 * every device of the namespace; its return value is ignored (the notifier
 * always returns NOTIFY_DONE: a script may observe, not veto or cut the
 * chain short, which would leave other subsystems holding the device).
 * The events replayed at registration for the devices that exist then
 * come while the runtime is not ready, and are skipped.  In a per-CPU
 * group only the primary registers (lunatik_twin()): every event reaches
 * the primary's copy of the script, once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/notifier.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "lunatik.h"

/* registry[obj]'s fields */
enum {
	NREG_CALLBACK = 1,
	NREG_UDATA,
};

struct lnotifier_stats {
	atomic64_t events;	/* delivered to the callback */
	atomic64_t errors;	/* the callback raised or ran out of budget */
	atomic64_t skipped;	/* the runtime was not ready, busy or stopping */
};

struct lnotifier {
	struct lunatik_object *obj;
	struct lunatik_runtime *rt;
	lua_State *L;		/* the runtime's main thread */
	struct net *net;	/* a reference, once set */
	struct notifier_block nb;
	struct work_struct unregister_work;
	bool registered;	/* in the chain; holds a reference on obj */
	bool inregistry;	/* registry[obj] is set */
	struct lnotifier_stats stats;
};

static struct workqueue_struct *lnotifier_wq;
static const struct lunatik_class lnotifier_class;

/* --- the event -------------------------------------------------------- */

struct lnotifier_call {
	struct lunatik_object *obj;
	unsigned long event;
	const struct net_device *dev;
};

/* In the runtime, under its lock: callback(event, name, ifindex). */
static int lnotifier_docall(lua_State *L, void *arg)
{
	struct lnotifier_call *c = arg;

	if (READ_ONCE(c->obj->stopped))
		return -ENXIO;
	lua_pushlightuserdata(L, c->obj);
	if (lua_rawget(L, LUA_REGISTRYINDEX) != LUA_TTABLE)
		return -ENXIO;
	lua_rawgeti(L, -1, NREG_CALLBACK);
	lua_pushinteger(L, (lua_Integer)c->event);
	lua_pushstring(L, c->dev->name);
	lua_pushinteger(L, c->dev->ifindex);
	lua_call(L, 3, 0);
	return 0;
}

/* Process context, RTNL held. */
static int lnotifier_netdevice_event(struct notifier_block *nb,
				     unsigned long event, void *ptr)
{
	struct lnotifier *n = container_of(nb, struct lnotifier, nb);
	struct lnotifier_call c = {
		.obj = n->obj,
		.event = event,
		.dev = netdev_notifier_info_to_dev(ptr),
	};
	int ret;

	if (READ_ONCE(n->obj->stopped))
		return NOTIFY_DONE;
	/* RTNL is held: what would take it again from Lua raises */
	ret = lunatik_callx(n->rt, lnotifier_docall, &c, LUNATIK_CALL_RTNL,
			    NULL, 0);
	if (!ret)
		atomic64_inc(&n->stats.events);
	else if (ret == -EIO || ret == -ECANCELED)
		atomic64_inc(&n->stats.errors);
	else
		atomic64_inc(&n->stats.skipped);
	return NOTIFY_DONE;
}

/* --- the object --------------------------------------------------------- */

/* No lock held: takes RTNL.  Drops the registration's reference. */
static void lnotifier_unregister(struct lnotifier *n)
{
	unregister_netdevice_notifier_net(n->net, &n->nb);
	lunatik_putobject(n->obj);
}

static void lnotifier_unregister_work(struct work_struct *work)
{
	lnotifier_unregister(container_of(work, struct lnotifier,
					  unregister_work));
}

/*
 * In the owning state: forgets registry[obj], then unregisters, now if
 * the runtime's lock is not held (the runtime is not ready: its top-level
 * chunk, or its state closing), else from the work queue.
 */
static void lnotifier_stop(struct lunatik_object *obj)
{
	struct lnotifier *n = obj->private;

	if (n->inregistry) {
		lua_pushlightuserdata(n->L, obj);
		lua_pushnil(n->L);
		lua_rawset(n->L, LUA_REGISTRYINDEX);
		n->inregistry = false;
	}
	if (!n->registered)
		return;
	n->registered = false;
	if (!READ_ONCE(n->rt->ready))
		lnotifier_unregister(n);
	else
		queue_work(lnotifier_wq, &n->unregister_work);
}

static void lnotifier_release(struct lunatik_object *obj)
{
	struct lnotifier *n = obj->private;

	if (n->net)
		put_net(n->net);
	if (n->rt)
		lunatik_put(n->rt);
}

/* n:stats() -> {events, errors, skipped} */
static int lnotifier_stats(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkclass(L, 1,
							 &lnotifier_class);
	struct lnotifier *n = obj->private;

	lua_createtable(L, 0, 3);
	lua_pushinteger(L, atomic64_read(&n->stats.events));
	lua_setfield(L, -2, "events");
	lua_pushinteger(L, atomic64_read(&n->stats.errors));
	lua_setfield(L, -2, "errors");
	lua_pushinteger(L, atomic64_read(&n->stats.skipped));
	lua_setfield(L, -2, "skipped");
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
	.stop = lnotifier_stop,
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

/* Sets registry[obj] = {callback (at 1), userdata (at -1)}. */
static void lnotifier_setregistry(lua_State *L, struct lunatik_object *obj)
{
	struct lnotifier *n = obj->private;

	lua_pushlightuserdata(L, obj);
	lua_createtable(L, 2, 0);
	lua_pushvalue(L, 1);
	lua_rawseti(L, -2, NREG_CALLBACK);
	lua_pushvalue(L, -3);
	lua_rawseti(L, -2, NREG_UDATA);
	lua_rawset(L, LUA_REGISTRYINDEX);
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
	n->L = lua_tothread(L, -1);
	lua_pop(L, 1);
	n->inregistry = true;
}

/* notifier.netdevice(callback[, netns]) */
static int lnotifier_netdevice(lua_State *L)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);
	struct lunatik_object *obj;
	struct lnotifier *n;
	int ret;

	luaL_checktype(L, 1, LUA_TFUNCTION);
	if (!lua_isnoneornil(L, 2))
		luaL_checkinteger(L, 2);
	lua_settop(L, 2);
	if (!rt)
		return luaL_error(L, "notifier: needs a runtime (lunatik run)");
	if (READ_ONCE(rt->ready))
		return luaL_error(L, "notifier: register from the script's top-level chunk");

	obj = lunatik_newobject(L, &lnotifier_class, sizeof(*n));
	n = obj->private;
	n->obj = obj;
	n->rt = rt;
	lunatik_get(rt);
	INIT_WORK(&n->unregister_work, lnotifier_unregister_work);
	n->nb.notifier_call = lnotifier_netdevice_event;
	n->net = lnotifier_checknet(L, 2);
	lnotifier_setregistry(L, obj);
	/* in a per-CPU group only the primary's registers: events are not
	 * per CPU, and each reaches its copy once
	 */
	if (!lunatik_twin(L, obj))
		return 1;

	lunatik_getobject(obj);		/* the registration's */
	ret = register_netdevice_notifier_net(n->net, &n->nb);
	if (ret) {
		lunatik_putobject(obj);
		lunatik_stopobject(obj);
		return luaL_error(L, "notifier: cannot register (%d)", ret);
	}
	n->registered = true;
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

/* Not LUNATIK_LIB(): deferred unregistrations need a queue to drain. */
static struct lunatik_lib lnotifier_lib = {
	.name = "notifier",
	.open = luaopen_notifier,
	.owner = THIS_MODULE,
};

static int __init lnotifier_init(void)
{
	int ret;

	lnotifier_wq = alloc_workqueue("luanotifier", 0, 0);
	if (!lnotifier_wq)
		return -ENOMEM;
	ret = lunatik_register_lib(&lnotifier_lib);
	if (ret)
		goto err_destroy_wq;
	return 0;

err_destroy_wq:
	destroy_workqueue(lnotifier_wq);
	return ret;
}

static void __exit lnotifier_exit(void)
{
	lunatik_unregister_lib(&lnotifier_lib);
	destroy_workqueue(lnotifier_wq);
}

module_init(lnotifier_init);
module_exit(lnotifier_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the notifier library");
