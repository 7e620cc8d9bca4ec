// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks: the lifecycle every binding that registers a kernel callback
 * shares (see "DOC: hooks" in lunatik.h).
 *
 * Anchor.  registry[obj] = {callback, userdata, slots...} keeps the
 * object and its callback reachable while the state runs; the stop
 * forgets it, in the owning state (hook classes are not shared, so the
 * stop runs there: __gc, __close, :stop(), or the state closing).
 *
 * Unregistering.  A kernel hook is unregistered where the stopper may
 * sleep and holds no runtime lock (hook_may_unregister()); everywhere
 * else (inside the runtime's own entries, a softirq runtime's hooks, a
 * runtime nested in another's entry) the core's ordered queue does it.
 * The registration holds a reference on the object, dropped once
 * @unregister returned: the kernel may call back into the object until
 * then.  With LUNATIK_HOOK_DEFER both registering and unregistering run
 * from the queue, in order: a name freed by a stop is registered again
 * only after the old registration is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/workqueue.h>
#include <linux/rcupdate.h>
#include <linux/preempt.h>

#include <linux/export.h>

#include "lunatik.h"
#include "internal.h"

struct workqueue_struct *lunatik_hook_wq;

/* --- contexts ---------------------------------------------------------- */

gfp_t lunatik_gfp(lua_State *L)
{
	return lport_mem_of(L)->gfp;
}
EXPORT_SYMBOL(lunatik_gfp);

enum lunatik_ctx lunatik_runtime_ctx(const struct lunatik_runtime *rt)
{
	return rt->ctx;
}
EXPORT_SYMBOL(lunatik_runtime_ctx);

enum lunatik_ctx lunatik_context(lua_State *L)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);

	return rt ? rt->ctx : LUNATIK_PROCESS;
}
EXPORT_SYMBOL(lunatik_context);

bool lunatik_percpu(lua_State *L)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);

	return rt && rt->group;
}
EXPORT_SYMBOL(lunatik_percpu);

bool lunatik_cansleep(lua_State *L)
{
	return lunatik_context(L) == LUNATIK_PROCESS &&
	       lport_mem_of(L)->can_sleep;
}
EXPORT_SYMBOL(lunatik_cansleep);

void lunatik_checksleep(lua_State *L, const char *what)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);

	if (!lunatik_cansleep(L))
		luaL_error(L, "%s: cannot sleep in a %s runtime", what,
			   rt ? lunatik_ctx_name(rt->ctx) : "non-sleeping");
}
EXPORT_SYMBOL(lunatik_checksleep);

/* a LUNATIK_SLEEPS function: upvalues the function and "lib.name" */
static int lib_sleeping(lua_State *L)
{
	lunatik_checksleep(L, lua_tostring(L, lua_upvalueindex(2)));
	return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

void lunatik_newlib(lua_State *L, const char *lib,
		    const struct lunatik_reg *regs)
{
	const struct lunatik_reg *r;
	int n = 0;

	for (r = regs; r->name; r++)
		n++;
	lua_createtable(L, 0, n);
	for (r = regs; r->name; r++) {
		lua_pushcfunction(L, r->func);
		if (r->flags & LUNATIK_SLEEPS) {
			lua_pushfstring(L, "%s.%s", lib, r->name);
			lua_pushcclosure(L, lib_sleeping, 2);
		}
		lua_setfield(L, -2, r->name);
	}
}
EXPORT_SYMBOL(lunatik_newlib);

/* rt->L is cleared, by this task, before the state closes */
bool lunatik_toplevel(lua_State *L)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);

	return rt && rt->L && !READ_ONCE(rt->ready);
}
EXPORT_SYMBOL(lunatik_toplevel);

void lunatik_checktoplevel(lua_State *L, const char *what)
{
	if (!lunatik_toruntime(L))
		luaL_error(L, "%s: needs a runtime (lunatik run)", what);
	if (!lunatik_toplevel(L))
		luaL_error(L, "%s from the script's top-level chunk", what);
}
EXPORT_SYMBOL(lunatik_checktoplevel);

/* --- registering --------------------------------------------------------- */

/*
 * Whether a stop running in @rt's state may unregister at once: process
 * context that may sleep, outside @rt's own entries, and not in a runtime
 * made from Lua (its creator's or stopper's entry may hold a lock).
 */
static bool hook_may_unregister(struct lunatik_runtime *rt)
{
	/* preemptible(): no spinlock, no IRQs off, no RCU-sched section;
	 * always false without CONFIG_PREEMPT_COUNT, where the queue does it
	 */
	return READ_ONCE(rt->mem.can_sleep) && !rt->depth &&
	       READ_ONCE(rt->owner) != current && preemptible();
}

static void hook_register_work(struct work_struct *work)
{
	struct lunatik_hook *hook = container_of(work, struct lunatik_hook,
						 register_work);
	struct lunatik_object *obj = hook->obj;
	int ret;

	/* stopped before we ran: the unregister work, queued after us,
	 * only drops the reference
	 */
	if (READ_ONCE(obj->stopped))
		return;
	ret = obj->class->hook_register(obj);
	if (ret) {
		hook->err = ret;
		/* pairs with smp_load_acquire() in lunatik_hook_state() */
		smp_store_release(&hook->state, LUNATIK_HOOK_FAILED);
		return;
	}
	/* what hook_register() set up is visible once this is */
	smp_store_release(&hook->state, LUNATIK_HOOK_ACTIVE);
}

/* Drops the registration's reference: the last use of @hook. */
static void hook_unregister(struct lunatik_hook *hook)
{
	struct lunatik_object *obj = hook->obj;

	if (READ_ONCE(hook->state) == LUNATIK_HOOK_ACTIVE)
		obj->class->unregister(obj);
	WRITE_ONCE(hook->state, LUNATIK_HOOK_IDLE);
	lunatik_putobject(obj);
}

static void hook_unregister_work(struct work_struct *work)
{
	hook_unregister(container_of(work, struct lunatik_hook,
				     unregister_work));
}

void lunatik_hook_init(lua_State *L, struct lunatik_object *obj,
		       struct lunatik_hook *hook, int idx, unsigned int flags)
{
	int ud = lua_gettop(L);

	idx = lua_absindex(L, idx);
	hook->obj = obj;
	hook->flags = flags;
	INIT_WORK(&hook->register_work, hook_register_work);
	INIT_WORK(&hook->unregister_work, hook_unregister_work);
	obj->hook = hook;

	lua_pushlightuserdata(L, obj);
	lua_createtable(L, 2, 0);
	lua_pushvalue(L, idx);
	lua_rawseti(L, -2, LUNATIK_HOOK_CALLBACK);
	lua_pushvalue(L, ud);
	lua_rawseti(L, -2, LUNATIK_HOOK_UDATA);
	lua_rawset(L, LUA_REGISTRYINDEX);
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
	hook->L = lua_tothread(L, -1);
	lua_pop(L, 1);
	hook->anchored = true;
	/* in a per-CPU group only the primary's registers */
	hook->twin = !lunatik_twin(L, obj);
}
EXPORT_SYMBOL(lunatik_hook_init);

void lunatik_hook_setslot(lua_State *L, struct lunatik_hook *hook, int n)
{
	lua_pushlightuserdata(L, hook->obj);
	if (lua_rawget(L, LUA_REGISTRYINDEX) != LUA_TTABLE)
		luaL_error(L, "%s: object was stopped", hook->obj->class->name);
	lua_insert(L, -2);
	lua_rawseti(L, -2, n);
	lua_pop(L, 1);
}
EXPORT_SYMBOL(lunatik_hook_setslot);

int lunatik_hook_register(struct lunatik_hook *hook)
{
	struct lunatik_object *obj = hook->obj;
	int ret;

	might_sleep();
	if (hook->twin || hook->state != LUNATIK_HOOK_IDLE)
		return 0;
	lunatik_getobject(obj);		/* the registration's */
	if (hook->flags & LUNATIK_HOOK_DEFER) {
		hook->state = LUNATIK_HOOK_PENDING;
		queue_work(lunatik_hook_wq, &hook->register_work);
		return 0;
	}
	ret = obj->class->hook_register(obj);
	if (ret) {
		lunatik_putobject(obj);
		return ret;
	}
	/* pairs with smp_load_acquire() in lunatik_hook_state() */
	smp_store_release(&hook->state, LUNATIK_HOOK_ACTIVE);
	return 0;
}
EXPORT_SYMBOL(lunatik_hook_register);

int lunatik_hook_state(struct lunatik_hook *hook, int *err)
{
	/* pairs with the smp_store_release()s of the state: what was set
	 * before it (a family's id, the error) is visible
	 */
	int state = smp_load_acquire(&hook->state);

	if (err)
		*err = state == LUNATIK_HOOK_FAILED ? hook->err : 0;
	return state;
}
EXPORT_SYMBOL(lunatik_hook_state);

/* From lunatik_stopobject(), after the class's stop: in the owning state. */
void lunatik_hook_stop(struct lunatik_hook *hook)
{
	struct lunatik_object *obj = hook->obj;

	if (hook->anchored) {
		lua_pushlightuserdata(hook->L, obj);
		lua_pushnil(hook->L);
		lua_rawset(hook->L, LUA_REGISTRYINDEX);
		hook->anchored = false;
	}
	if (READ_ONCE(hook->state) == LUNATIK_HOOK_IDLE)
		return;
	if (!(hook->flags & LUNATIK_HOOK_DEFER) &&
	    hook_may_unregister(obj->rt)) {
		hook_unregister(hook);
		return;
	}
	/* the registration's reference is the work's */
	queue_work(lunatik_hook_wq, &hook->unregister_work);
}

/* --- calling ------------------------------------------------------------- */

struct hook_call {
	struct lunatik_hook *hook;
	int (*fn)(lua_State *L, struct lunatik_hook *hook, void *arg);
	void *arg;
};

static int hook_docall(lua_State *L, void *arg)
{
	struct hook_call *c = arg;
	struct lunatik_object *obj = c->hook->obj;

	if (READ_ONCE(obj->stopped))
		return -ENXIO;
	lua_pushlightuserdata(L, obj);
	if (lua_rawget(L, LUA_REGISTRYINDEX) != LUA_TTABLE)
		return -ENXIO;
	lua_rawgeti(L, -1, LUNATIK_HOOK_CALLBACK);
	return c->fn(L, c->hook, c->arg);
}

static int hook_enter(struct hook_call *c, void (*fin)(void *arg),
		      void *arg, unsigned int flags)
{
	struct lunatik_hook *hook = c->hook;
	int ret;

	ret = lunatik_enter(hook->obj->rt, hook_docall, fin, c, arg, flags);
	if (likely(ret >= 0))
		atomic64_inc(&hook->stats.events);
	else if (ret == -EIO || ret == -ECANCELED)
		atomic64_inc(&hook->stats.errors);
	else
		atomic64_inc(&hook->stats.skipped);
	return ret;
}

int lunatik_hook_call(struct lunatik_hook *hook,
		      int (*fn)(lua_State *L, struct lunatik_hook *hook,
				void *arg),
		      void (*fin)(void *arg), void *arg, unsigned int flags)
{
	struct hook_call c = { .hook = hook, .fn = fn, .arg = arg };
	struct lunatik_object *obj = hook->obj;
	int ret;

	if (unlikely(READ_ONCE(obj->stopped)))
		return -ESHUTDOWN;
	if (!(hook->flags & LUNATIK_HOOK_PERCPU) || !obj->rt->group ||
	    obj->rt->ctx == LUNATIK_PROCESS)
		return hook_enter(&c, fin, arg, flags);
	/* this CPU's twin is valid while the RCU read-side section lasts
	 * (lunatik_twin_of()); a non-process runtime's entry never sleeps
	 */
	rcu_read_lock();
	c.hook = lunatik_twin_of(obj->rt, obj)->hook;
	ret = hook_enter(&c, fin, arg, flags);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL(lunatik_hook_call);

void lunatik_hook_pushstats(lua_State *L, struct lunatik_hook *hook)
{
	lua_createtable(L, 0, 3);
	lua_pushinteger(L, atomic64_read(&hook->stats.events));
	lua_setfield(L, -2, "events");
	lua_pushinteger(L, atomic64_read(&hook->stats.errors));
	lua_setfield(L, -2, "errors");
	lua_pushinteger(L, atomic64_read(&hook->stats.skipped));
	lua_setfield(L, -2, "skipped");
}
EXPORT_SYMBOL(lunatik_hook_pushstats);
