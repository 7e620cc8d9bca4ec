// SPDX-License-Identifier: GPL-2.0
/*
 * Runtimes: one Lua state, the lock its context needs, a refcount, the
 * accounting, and the budget that stops a runaway entry.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/err.h>
#include <linux/string.h>

#include <linux/export.h>

#include "lunatik.h"
#include "internal.h"

static const char *const ctx_names[] = {
	[LUNATIK_PROCESS] = "process",
	[LUNATIK_SOFTIRQ] = "softirq",
	[LUNATIK_HARDIRQ] = "hardirq",
};

/* Default budget of one entry into Lua, by context. */
static const u64 default_budget_ns[] = {
	[LUNATIK_PROCESS] = 2 * NSEC_PER_SEC,
	[LUNATIK_SOFTIRQ] = 10 * NSEC_PER_MSEC,
	[LUNATIK_HARDIRQ] = 10 * NSEC_PER_MSEC,
};

const char *lunatik_ctx_name(enum lunatik_ctx ctx)
{
	return ctx < ARRAY_SIZE(ctx_names) ? ctx_names[ctx] : "?";
}
EXPORT_SYMBOL(lunatik_ctx_name);

int lunatik_ctx_parse(const char *name, enum lunatik_ctx *ctx)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ctx_names); i++) {
		if (!strcmp(name, ctx_names[i])) {
			*ctx = i;
			return 0;
		}
	}
	return -EINVAL;
}
EXPORT_SYMBOL(lunatik_ctx_parse);

struct lunatik_runtime *lunatik_toruntime(lua_State *L)
{
	return *(struct lunatik_runtime **)lua_getextraspace(L);
}
EXPORT_SYMBOL(lunatik_toruntime);

/*
 * The budget.  Nothing runs per instruction: an hrtimer armed on entry
 * fires only when the budget is spent, and then installs a count hook that
 * raises an error at every instruction until the entry returns, so a
 * script cannot pcall its way past it.  A hardirq runtime runs with
 * interrupts off, where the timer cannot fire on this CPU; there the hook
 * is a coarse count hook that reads the clock.
 */
#define BUDGET_COUNT	4096

struct lunatik_budget {
	struct hrtimer timer;
	struct lunatik_runtime *rt;
	u64 deadline;
	u64 ns;
	bool counting;
	bool tripped;
};

static void budget_hook(lua_State *L, lua_Debug *ar)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);
	struct lunatik_budget *b = rt->budget;

	if (b->counting && !b->tripped) {
		if (ktime_get_ns() < b->deadline)
			return;
		b->tripped = true;
		lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
	}
	luaL_error(L, "budget exceeded (%llu ms)",
		   div_u64(b->ns, NSEC_PER_MSEC));
}

static enum hrtimer_restart budget_fire(struct hrtimer *timer)
{
	struct lunatik_budget *b;

	b = container_of(timer, struct lunatik_budget, timer);

	b->tripped = true;
	lua_sethook(b->rt->L, budget_hook, LUA_MASKCOUNT, 1);
	return HRTIMER_NORESTART;
}

static int budget_new(struct lunatik_runtime *rt)
{
	struct lunatik_budget *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return -ENOMEM;
	hrtimer_init(&b->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	b->timer.function = budget_fire;
	b->rt = rt;
	rt->budget = b;
	return 0;
}

/*
 * @top: the top-level chunk, which runs in process context whatever the
 * runtime's context, under at least the process budget.
 */
static void budget_arm(struct lunatik_runtime *rt, u64 now, bool top)
{
	struct lunatik_budget *b = rt->budget;
	u64 ns = rt->budget_ns;

	b->tripped = false;
	b->counting = !top && rt->ctx == LUNATIK_HARDIRQ;
	if (top && ns)
		ns = max(ns, default_budget_ns[LUNATIK_PROCESS]);
	b->ns = ns;
	if (!ns)
		return;
	b->deadline = now + ns;
	if (b->counting)
		lua_sethook(rt->L, budget_hook, LUA_MASKCOUNT, BUDGET_COUNT);
	else
		hrtimer_start(&b->timer, ns_to_ktime(ns),
			      HRTIMER_MODE_REL_HARD);
}

/* Return: whether the budget fired during this entry. */
static bool budget_disarm(struct lunatik_runtime *rt)
{
	struct lunatik_budget *b = rt->budget;

	if (!b->ns)
		return false;
	if (!b->counting)
		hrtimer_cancel(&b->timer);
	if (b->tripped || b->counting)
		lua_sethook(rt->L, NULL, 0, 0);
	return b->tripped;
}

/* The lock, as the context requires.  Callers keep lock/unlock paired. */
static unsigned long runtime_lock(struct lunatik_runtime *rt)
{
	unsigned long flags = 0;

	switch (rt->ctx) {
	case LUNATIK_PROCESS:
		mutex_lock(&rt->mutex);
		break;
	case LUNATIK_SOFTIRQ:
		spin_lock_bh(&rt->spin);
		break;
	case LUNATIK_HARDIRQ:
		spin_lock_irqsave(&rt->spin, flags);
		break;
	}
	return flags;
}

static void runtime_unlock(struct lunatik_runtime *rt, unsigned long flags)
{
	switch (rt->ctx) {
	case LUNATIK_PROCESS:
		mutex_unlock(&rt->mutex);
		break;
	case LUNATIK_SOFTIRQ:
		spin_unlock_bh(&rt->spin);
		break;
	case LUNATIK_HARDIRQ:
		spin_unlock_irqrestore(&rt->spin, flags);
		break;
	}
}

struct call {
	int (*fn)(lua_State *L, void *arg);
	void *arg;
	int ret;
};

static int call_protected(lua_State *L)
{
	struct call *c = lua_touserdata(L, 1);

	lua_remove(L, 1);
	c->ret = c->fn(L, c->arg);
	return 0;
}

static void runtime_error(struct lunatik_runtime *rt, lua_State *L)
{
	const char *msg = lua_tostring(L, -1);

	pr_err_ratelimited("%s: %s\n", rt->name[0] ? rt->name : "runtime",
			   msg ? msg : "(error object is not a string)");
}

/*
 * Runs @fn protected in @rt's state, which the caller locked and found
 * ready.  Accounts the entry.
 */
static int runtime_enter(struct lunatik_runtime *rt,
			 int (*fn)(lua_State *L, void *arg), void *arg,
			 bool top)
{
	struct call c = { .fn = fn, .arg = arg, .ret = 0 };
	lua_State *L = rt->L;
	int base = lua_gettop(L);
	u64 t0 = ktime_get_ns();
	bool tripped;
	int status;

	lua_pushcfunction(L, call_protected);
	lua_pushlightuserdata(L, &c);
	budget_arm(rt, t0, top);
	status = lua_pcall(L, 1, 0, 0);
	tripped = budget_disarm(rt);
	rt->stats.calls++;
	rt->stats.ns += ktime_get_ns() - t0;
	if (status != LUA_OK) {
		rt->stats.errors++;
		if (tripped)
			rt->stats.budget_trips++;
		runtime_error(rt, L);
		c.ret = tripped ? -ECANCELED : -EIO;
	}
	lua_settop(L, base);
	return c.ret;
}

int lunatik_call(struct lunatik_runtime *rt,
		 int (*fn)(lua_State *L, void *arg), void *arg)
{
	unsigned long flags;
	int ret;

	flags = runtime_lock(rt);
	if (!rt->L || !READ_ONCE(rt->ready)) {
		runtime_unlock(rt, flags);
		atomic64_inc(&rt->stats.skipped);
		return -ENXIO;
	}
	ret = runtime_enter(rt, fn, arg, false);
	runtime_unlock(rt, flags);
	return ret;
}
EXPORT_SYMBOL(lunatik_call);

/* --- creation ---------------------------------------------------------- */

struct load {
	const char *script;
	bool bytecode;
};

static int runtime_load(lua_State *L, void *arg)
{
	struct load *ld = arg;
	char path[sizeof(LUNATIK_SCRIPT_DIR) + LUNATIK_NAME_MAX + 4];

	lunatik_openlibs(L);
	snprintf(path, sizeof(path), LUNATIK_SCRIPT_DIR "%s.lua", ld->script);
	if (luaL_loadfilex(L, path, ld->bytecode ? "bt" : "t") != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 0);
	return 0;
}

static struct lunatik_runtime *runtime_alloc(enum lunatik_ctx ctx,
					     const struct lunatik_opts *opts)
{
	struct lunatik_runtime *rt = kzalloc(sizeof(*rt), GFP_KERNEL);

	if (!rt)
		return NULL;
	kref_init(&rt->kref);
	INIT_LIST_HEAD(&rt->entry);
	rt->ctx = ctx;
	if (ctx == LUNATIK_PROCESS)
		mutex_init(&rt->mutex);
	else
		spin_lock_init(&rt->spin);
	rt->mem.cap = opts->memcap ? opts->memcap : LUNATIK_DEFAULT_MEMCAP;
	rt->mem.gfp = GFP_KERNEL;
	rt->mem.can_sleep = true;
	if (opts->budget_ns == U64_MAX)
		rt->budget_ns = 0;
	else if (opts->budget_ns)
		rt->budget_ns = opts->budget_ns;
	else
		rt->budget_ns = default_budget_ns[ctx];
	if (budget_new(rt)) {
		kfree(rt);
		return NULL;
	}
	return rt;
}

struct lunatik_runtime *lunatik_runtime_new(const char *script,
					    enum lunatik_ctx ctx,
					    const struct lunatik_opts *opts,
					    char *err, size_t errlen)
{
	static const struct lunatik_opts defaults;
	struct load ld = { .script = script };
	struct lunatik_runtime *rt;
	lua_State *L;
	int ret;

	might_sleep();
	if (!opts)
		opts = &defaults;
	ld.bytecode = opts->bytecode;
	ret = lunatik_script_valid(script);
	if (ret) {
		if (err)
			snprintf(err, errlen, "invalid script name");
		return ERR_PTR(ret);
	}
	rt = runtime_alloc(ctx, opts);
	if (!rt)
		goto err_nomem;
	strscpy(rt->name, script, sizeof(rt->name));
	L = lport_newstate(&rt->mem);
	if (!L)
		goto err_put;
	*(struct lunatik_runtime **)lua_getextraspace(L) = rt;
	lua_setbytecode(L, opts->bytecode);
	rt->L = L;

	/* The top-level chunk: process context, not ready, no lock needed:
	 * nobody can enter the state until ready is set. */
	ret = runtime_enter(rt, runtime_load, &ld, true);
	if (ret) {
		if (err)
			snprintf(err, errlen, "%s", lua_tostring(L, -1) ?
				 lua_tostring(L, -1) : "error");
		goto err_stop;
	}
	if (ctx != LUNATIK_PROCESS) {
		rt->mem.gfp = GFP_ATOMIC;
		rt->mem.can_sleep = false;
	}
	smp_store_release(&rt->ready, true);
	return rt;

err_stop:
	lunatik_runtime_stop(rt);
	lunatik_put(rt);
	return ERR_PTR(ret == -ECANCELED ? ret : -EINVAL);
err_put:
	lunatik_put(rt);
err_nomem:
	if (err)
		snprintf(err, errlen, "not enough memory");
	return ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL(lunatik_runtime_new);

int lunatik_runtime_stop(struct lunatik_runtime *rt)
{
	unsigned long flags;
	lua_State *L;

	might_sleep();
	flags = runtime_lock(rt);
	L = rt->L;
	rt->L = NULL;
	WRITE_ONCE(rt->ready, false);
	runtime_unlock(rt, flags);
	if (!L)
		return -ESRCH;
	/* Objects unregister their hooks from __gc: process context, and
	 * no lock held, as unregistering waits for running hooks. */
	rt->mem.gfp = GFP_KERNEL;
	rt->mem.can_sleep = true;
	lua_close(L);
	if (rt->mem.used)
		pr_warn("%s: %zu bytes still accounted after close\n",
			rt->name, rt->mem.used);
	return 0;
}
EXPORT_SYMBOL(lunatik_runtime_stop);

void lunatik_runtime_release(struct kref *kref)
{
	struct lunatik_runtime *rt;

	rt = container_of(kref, struct lunatik_runtime, kref);
	WARN_ON(rt->L);
	kfree(rt->budget);
	kfree(rt);
}
EXPORT_SYMBOL(lunatik_runtime_release);
