// SPDX-License-Identifier: GPL-2.0
/*
 * Runtimes: one Lua state, the lock its context needs, a refcount, the
 * accounting, and the budget that stops a runaway entry.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/ktime.h>
#include <linux/err.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/kthread.h>
#include <linux/sched/signal.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#include <linux/export.h>

#include "lunatik.h"
#include "internal.h"

static const char *const ctx_names[] = {
	[LUNATIK_PROCESS] = "process",
	[LUNATIK_SOFTIRQ] = "softirq",
	[LUNATIK_HARDIRQ] = "hardirq",
};

/* Stack Lua may use when entered on an interrupt stack (16 KiB on x86). */
#define LUNATIK_IRQ_STACK	(10 * 1024)

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
 * The budget.  Nothing runs per instruction and no timer is armed: the
 * port's VM counts down a tick at every loop back edge and every Lua call,
 * and every LPORT_BUDGET_PERIOD ticks compares the clock with the deadline
 * set here (lport_budget()).  Once past it, every further tick raises
 * "budget exceeded", so a script cannot pcall its way past it.  It works
 * the same with interrupts off and inside coroutines.
 *
 * @top: the top-level chunk runs in process context whatever the
 * runtime's context, under at least the process budget.
 */
static void budget_arm(struct lunatik_runtime *rt, u64 now, bool top)
{
	u64 ns = rt->budget_ns;

	if (top && ns)
		ns = max(ns, default_budget_ns[LUNATIK_PROCESS]);
	lport_budget_arm(&rt->mem, ns, now);
}

/* Return: whether the budget stopped this entry. */
static bool budget_disarm(struct lunatik_runtime *rt)
{
	return lport_budget_disarm(&rt->mem);
}

/* live runtimes, for the census (internal.h) */
atomic_long_t lunatik_nruntimes = ATOMIC_LONG_INIT(0);

/* every runtime, named or not, for lunatik_runtime_stop_every() */
static LIST_HEAD(runtimes_all);
static DEFINE_SPINLOCK(runtimes_all_lock);

/*
 * Lockdep.  Runtime locks are of two classes (the mutexes, the spinlocks).
 * A task holding some that takes one more (rt:resume(), a hook fired from
 * inside an entry, a stop from a finalizer) takes it one subclass deeper
 * than the runtime locks it holds: the nesting is the task's at that
 * moment, not an order among runtimes, which may enter each other either
 * way (the cycles are caught by runtime_wait_begin()).
 */
#ifdef CONFIG_LOCKDEP
static struct lock_class_key runtime_mutex_key;
static struct lock_class_key runtime_spin_key;

static unsigned int runtime_subclass(void)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < current->lockdep_depth; i++) {
		struct lockdep_map *m = current->held_locks[i].instance;

		if (m->key == &runtime_mutex_key || m->key == &runtime_spin_key)
			n++;
	}
	return min_t(unsigned int, n, MAX_LOCKDEP_SUBCLASSES - 1);
}

static void runtime_lockdep_init(struct lunatik_runtime *rt)
{
	if (rt->ctx == LUNATIK_PROCESS)
		lockdep_set_class(&rt->mutex, &runtime_mutex_key);
	else
		lockdep_set_class(&rt->spin, &runtime_spin_key);
}
#else
static inline unsigned int runtime_subclass(void)
{
	return 0;
}

static inline void runtime_lockdep_init(struct lunatik_runtime *rt)
{
}
#endif

/*
 * Who waits for which runtime, for the tasks that may hold runtimes while
 * they wait for one more (LUNATIK_CALL_NESTED, a stop): A's holder
 * waiting for B while B's holder waits for A would never end, in any
 * context.  The holder of a runtime is rt->owner, set once it holds it;
 * each waiter holds a reference on what it waits for, so the walk reads
 * only live runtimes.
 */
struct runtime_wait {
	struct list_head node;
	struct task_struct *task;
	struct lunatik_runtime *rt;
};

static LIST_HEAD(runtime_waits);
static DEFINE_RAW_SPINLOCK(runtime_waits_lock);

/*
 * Records that current waits for @rt, unless that closes a cycle.  Check
 * and record are one step under the lock: of two tasks closing a cycle,
 * the second sees the first.  A holder that has not set rt->owner yet is
 * seen by the other side, once it waits in turn.
 *
 * Return: false if waiting would deadlock (nothing recorded).
 */
static bool runtime_wait_begin(struct lunatik_runtime *rt,
			       struct runtime_wait *w)
{
	struct lunatik_runtime *r = rt;
	unsigned long flags;
	int steps = 0;

	raw_spin_lock_irqsave(&runtime_waits_lock, flags);
	while (r && steps++ < 64) {
		struct task_struct *t = READ_ONCE(r->owner);
		struct runtime_wait *o;

		if (t == current) {
			raw_spin_unlock_irqrestore(&runtime_waits_lock, flags);
			return false;
		}
		r = NULL;
		if (!t)
			break;
		list_for_each_entry(o, &runtime_waits, node) {
			if (o->task == t) {
				r = o->rt;
				break;
			}
		}
	}
	w->task = current;
	w->rt = rt;
	list_add(&w->node, &runtime_waits);
	raw_spin_unlock_irqrestore(&runtime_waits_lock, flags);
	return true;
}

static void runtime_wait_end(struct runtime_wait *w)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&runtime_waits_lock, flags);
	list_del(&w->node);
	raw_spin_unlock_irqrestore(&runtime_waits_lock, flags);
}

/* The lock, as the context requires.  Callers keep lock/unlock paired. */
static unsigned long runtime_lock(struct lunatik_runtime *rt)
{
	unsigned int sub = runtime_subclass();
	unsigned long flags = 0;

	switch (rt->ctx) {
	case LUNATIK_PROCESS:
		mutex_lock_nested(&rt->mutex, sub);
		break;
	case LUNATIK_SOFTIRQ:
		local_bh_disable();
		spin_lock_nested(&rt->spin, sub);
		break;
	case LUNATIK_HARDIRQ:
		spin_lock_irqsave_nested(&rt->spin, flags, sub);
		break;
	}
	return flags;
}

/* runtime_lock(), where a fatal signal may cut a process runtime's wait */
static int runtime_lock_killable(struct lunatik_runtime *rt,
				 unsigned long *flags)
{
	if (rt->ctx == LUNATIK_PROCESS) {
		*flags = 0;
		return mutex_lock_killable_nested(&rt->mutex,
						  runtime_subclass());
	}
	*flags = runtime_lock(rt);
	return 0;
}

/*
 * runtime_lock_killable() for a task that may hold runtimes.
 * Return: 0, -EDEADLK (a cycle: nothing taken) or -EINTR (killed).
 */
static int runtime_lock_nested(struct lunatik_runtime *rt,
			       unsigned long *flags)
{
	struct runtime_wait w;
	int ret;

	if (!runtime_wait_begin(rt, &w))
		return -EDEADLK;
	ret = runtime_lock_killable(rt, flags);
	runtime_wait_end(&w);
	return ret;
}

static void runtime_unlock(struct lunatik_runtime *rt, unsigned long flags)
{
	switch (rt->ctx) {
	case LUNATIK_PROCESS:
		mutex_unlock(&rt->mutex);
		break;
	case LUNATIK_SOFTIRQ:
		spin_unlock(&rt->spin);
		local_bh_enable();
		break;
	case LUNATIK_HARDIRQ:
		spin_unlock_irqrestore(&rt->spin, flags);
		break;
	}
}

static void runtime_error(struct lunatik_runtime *rt, lua_State *L,
			  char *err, size_t errlen)
{
	const char *msg = lua_tostring(L, -1);

	if (!msg)
		msg = "(error object is not a string)";
	if (err)
		strscpy(err, msg, errlen);
	/* each runtime its own window: a noisy one hides no other's */
	if (__ratelimit(&rt->ratelimit))
		pr_err("%s: %s\n", rt->name[0] ? rt->name : "runtime", msg);
}

/*
 * stats.ns (see struct lunatik_stats): a long entry (one that reached a
 * budget check, so mem.start is set) counts for itself, a short sampled
 * one for LUNATIK_STATS_SAMPLE short ones; the others read no clock.
 */
static void runtime_account(struct lunatik_runtime *rt, bool sample, u64 t0)
{
	u64 start = sample ? t0 : rt->mem.start;
	u64 now;

	if (!start)
		return;
	now = lport_clock_ns();
	if (now <= start)	/* an entry that migrated may see it go back */
		return;
	if (sample && !rt->mem.start)
		rt->stats.ns += (now - start) * LUNATIK_STATS_SAMPLE;
	else
		rt->stats.ns += now - start;
}

/* An entry's outcome: @ret, or the error it raised, counted and logged. */
static __always_inline int runtime_status(struct lunatik_runtime *rt,
					  lua_State *L, int status,
					  bool tripped, int ret, char *err,
					  size_t errlen)
{
	if (likely(status == LUA_OK))
		return ret;
	rt->stats.errors++;
	if (tripped)
		rt->stats.budget_trips++;
	runtime_error(rt, L, err, errlen);
	lua_pop(L, 1);	/* the error object: lport_pcall() */
	return tripped ? -ECANCELED : -EIO;
}

/*
 * Runs @fn protected in @rt's state, which the caller locked and found
 * ready.  Accounts the entry.  Inlined: it is most of every call's path.
 */
static __always_inline int runtime_enter(struct lunatik_runtime *rt,
					 int (*fn)(lua_State *L, void *arg),
					 void (*fin)(void *arg), void *arg,
					 void *finarg, bool top, char *err,
					 size_t errlen)
{
	lua_State *L = rt->L;
	bool sample = top || !(rt->stats.calls % LUNATIK_STATS_SAMPLE);
	u64 t0 = sample ? lport_clock_ns() : 0;
	bool tripped;
	int status;
	int ret = 0;

	rt->mem.stack_limit = lport_stack_limit_here(LUNATIK_IRQ_STACK);
	budget_arm(rt, t0, top);
	status = lport_pcall(L, fn, arg, &ret);
	if (fin)
		fin(finarg);
	tripped = budget_disarm(rt);
	rt->stats.calls++;
	runtime_account(rt, sample, t0);
	return runtime_status(rt, L, status, tripped, ret, err, errlen);
}

/*
 * The task that holds RTNL and entered Lua with LUNATIK_CALL_RTNL.  RTNL is
 * one lock: one holder at a time, who alone writes this.
 */
static struct task_struct *rtnl_holder;

bool lunatik_rtnl_held(void)
{
	return READ_ONCE(rtnl_holder) == current;
}
EXPORT_SYMBOL(lunatik_rtnl_held);

static int runtime_call(struct lunatik_runtime *rt,
			int (*fn)(lua_State *L, void *arg),
			void (*fin)(void *arg), void *arg, void *finarg,
			unsigned int flags, char *err, size_t errlen)
{
	bool long_entry = flags & LUNATIK_CALL_LONG;
	struct task_struct *rtnl_prev = NULL;
	unsigned long flags_irq;
	int ret;

	if (long_entry && rt->ctx != LUNATIK_PROCESS) {
		if (err)
			strscpy(err, "a long entry needs a process runtime",
				errlen);
		return -EINVAL;
	}
	/* a runtime re-entering itself (e.g. a device callback reached
	 * from its own script, a hook reached again from its own entry on
	 * this CPU) would wait on its own lock forever.  The holder is
	 * current only on this CPU: elsewhere current is another task.
	 */
	if (READ_ONCE(rt->owner) == current) {
		if (err)
			strscpy(err, "runtime re-entered itself", errlen);
		return -EDEADLK;
	}
	/* a kernel thread's body holds the runtime for as long as it runs:
	 * fail rather than wait for it (racy, at worst we wait)
	 */
	if (READ_ONCE(rt->long_entry)) {
		if (err)
			strscpy(err, "runtime busy: a kernel thread runs in it",
				errlen);
		return -EBUSY;
	}
	/* under RTNL a process runtime's mutex is only tried: an entry that
	 * holds it may be taking RTNL (rtnetlink), and waiting here would
	 * deadlock with it; the event is skipped instead
	 */
	if ((flags & LUNATIK_CALL_RTNL) && rt->ctx == LUNATIK_PROCESS) {
		if (!mutex_trylock(&rt->mutex)) {
			atomic64_inc(&rt->stats.skipped);
			if (err)
				strscpy(err, "runtime busy (RTNL held)", errlen);
			return -EBUSY;
		}
		flags_irq = 0;
	} else if (flags & LUNATIK_CALL_NESTED) {
		ret = runtime_lock_nested(rt, &flags_irq);
		if (ret) {
			if (err)
				strscpy(err, ret == -EDEADLK ?
					"deadlock: that runtime waits for this one" :
					"interrupted (fatal signal)", errlen);
			return ret;
		}
	} else {
		flags_irq = runtime_lock(rt);
	}
	if (!rt->L || !READ_ONCE(rt->ready)) {
		runtime_unlock(rt, flags_irq);
		atomic64_inc(&rt->stats.skipped);
		if (err)
			strscpy(err, "runtime stopped", errlen);
		return -ENXIO;
	}
	WRITE_ONCE(rt->owner, current);
	WRITE_ONCE(rt->long_entry, long_entry);
	rt->long_nvcsw = current->nvcsw;
	if (flags & LUNATIK_CALL_RTNL) {
		rtnl_prev = rtnl_holder;
		WRITE_ONCE(rtnl_holder, current);
	}
	ret = runtime_enter(rt, fn, fin, arg, finarg, false, err, errlen);
	if (flags & LUNATIK_CALL_RTNL)
		WRITE_ONCE(rtnl_holder, rtnl_prev);
	WRITE_ONCE(rt->long_entry, false);
	WRITE_ONCE(rt->owner, NULL);
	runtime_unlock(rt, flags_irq);
	return ret;
}

/*
 * An event that a registration made by the top-level chunk replays at
 * once, in the chunk's own task (a netdevice notifier's existing devices):
 * it runs nested in the chunk's entry, whose task owns the state (no lock:
 * nobody else enters before ready), under the chunk's budget.
 */
static int runtime_replay(struct lunatik_runtime *rt,
			  int (*fn)(lua_State *L, void *arg),
			  void (*fin)(void *arg), void *arg, void *finarg,
			  unsigned int flags)
{
	struct task_struct *rtnl_prev = rtnl_holder;
	lua_State *L = rt->L;
	int status, ret = 0;

	if (flags & LUNATIK_CALL_LONG)
		return -EINVAL;
	if (flags & LUNATIK_CALL_RTNL)
		WRITE_ONCE(rtnl_holder, current);
	status = lport_pcall(L, fn, arg, &ret);
	if (fin)
		fin(finarg);
	if (flags & LUNATIK_CALL_RTNL)
		WRITE_ONCE(rtnl_holder, rtnl_prev);
	rt->stats.calls++;
	return runtime_status(rt, L, status, false, ret, NULL, 0);
}

/* lunatik_hook_call()'s way in (internal.h) */
int lunatik_enter(struct lunatik_runtime *rt,
		  int (*fn)(lua_State *L, void *arg), void (*fin)(void *arg),
		  void *arg, void *finarg, unsigned int flags)
{
	if (unlikely(!READ_ONCE(rt->ready)) && READ_ONCE(rt->loader) == current)
		return runtime_replay(rt, fn, fin, arg, finarg, flags);
	return runtime_call(rt, fn, fin, arg, finarg, flags, NULL, 0);
}

int lunatik_callx(struct lunatik_runtime *rt,
		  int (*fn)(lua_State *L, void *arg), void *arg,
		  unsigned int flags, char *err, size_t errlen)
{
	return runtime_call(rt, fn, NULL, arg, NULL, flags, err, errlen);
}
EXPORT_SYMBOL(lunatik_callx);

int lunatik_callfin(struct lunatik_runtime *rt,
		    int (*fn)(lua_State *L, void *arg),
		    void (*fin)(void *arg), void *arg)
{
	return runtime_call(rt, fn, fin, arg, arg, 0, NULL, 0);
}
EXPORT_SYMBOL(lunatik_callfin);

int lunatik_callerr(struct lunatik_runtime *rt,
		    int (*fn)(lua_State *L, void *arg), void *arg, char *err,
		    size_t errlen)
{
	return runtime_call(rt, fn, NULL, arg, NULL, 0, err, errlen);
}
EXPORT_SYMBOL(lunatik_callerr);

bool lunatik_should_stop(void)
{
	return (current->flags & PF_KTHREAD) && kthread_should_stop();
}
EXPORT_SYMBOL(lunatik_should_stop);

bool lunatik_stopping(lua_State *L)
{
	return lunatik_should_stop() || READ_ONCE(lport_mem_of(L)->abort) ||
	       fatal_signal_pending(current);
}
EXPORT_SYMBOL(lunatik_stopping);

/*
 * Only the owner of the entry calls it (from a binding, in the entry), so
 * the budget fields are not raced.  A budget that ran out stays spent.
 */
void lunatik_budget_renew(lua_State *L)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);
	struct lport_mem *mem = lport_mem_of(L);

	if (!rt || !rt->long_entry || rt->owner != current ||
	    rt->long_nvcsw == current->nvcsw || !mem->budget ||
	    mem->tripped || lunatik_should_stop())
		return;
	rt->long_nvcsw = current->nvcsw;
	lport_budget_renew(mem, lport_clock_ns());
}
EXPORT_SYMBOL(lunatik_budget_renew);

int lunatik_call(struct lunatik_runtime *rt,
		 int (*fn)(lua_State *L, void *arg), void *arg)
{
	return runtime_call(rt, fn, NULL, arg, NULL, 0, NULL, 0);
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
	lua_call(L, 0, 1);
	/* a function returned by the script is what :resume() runs */
	if (lua_isfunction(L, -1))
		lua_setfield(L, LUA_REGISTRYINDEX, LUNATIK_MAIN);
	return 0;
}

static void runtime_stop_work(struct work_struct *work);

static struct lunatik_runtime *runtime_alloc(enum lunatik_ctx ctx,
					     const struct lunatik_opts *opts)
{
	struct lunatik_runtime *rt = kzalloc(sizeof(*rt), GFP_KERNEL);

	if (!rt)
		return NULL;
	atomic_long_set(&rt->mem.charged, 0);
	atomic_long_inc(&lunatik_nruntimes);
	kref_init(&rt->kref);
	INIT_LIST_HEAD(&rt->entry);
	INIT_LIST_HEAD(&rt->all);
	INIT_WORK(&rt->stop_work, runtime_stop_work);
	rt->depth = opts->depth;
	rt->instance = opts->instance;
	rt->object = opts->object;
	ratelimit_state_init(&rt->ratelimit, DEFAULT_RATELIMIT_INTERVAL,
			     DEFAULT_RATELIMIT_BURST);
	rt->ctx = ctx;
	if (ctx == LUNATIK_PROCESS)
		mutex_init(&rt->mutex);
	else
		spin_lock_init(&rt->spin);
	runtime_lockdep_init(rt);
	rt->mem.cap = opts->memcap ? opts->memcap : LUNATIK_DEFAULT_MEMCAP;
	rt->mem.gfp = GFP_KERNEL;
	rt->mem.can_sleep = true;
	if (opts->budget_ns == U64_MAX)
		rt->budget_ns = 0;
	else if (opts->budget_ns)
		rt->budget_ns = opts->budget_ns;
	else
		rt->budget_ns = default_budget_ns[ctx];
	return rt;
}

/* the references on the objects a per-CPU runtime enrolled */
void lunatik_twins_free(struct lunatik_twins *twins)
{
	unsigned int i;

	if (!twins)
		return;
	for (i = 0; i < twins->n; i++)
		lunatik_putobject(twins->obj[i]);
	kfree(twins);
}

/*
 * A script name: the file LUNATIK_SCRIPT_DIR<name>.lua, maybe in a
 * subfolder ("examples/echod/worker"), never outside: relative, no "..",
 * no empty or "." component, printable ASCII without spaces.
 */
int lunatik_script_valid(const char *name)
{
	size_t n = strnlen(name, LUNATIK_NAME_MAX);
	const char *p;

	if (n == LUNATIK_NAME_MAX)
		return -ENAMETOOLONG;
	if (!n || strstr(name, "..") || strstr(name, "//") ||
	    name[0] == '/' || name[n - 1] == '/')
		return -EINVAL;
	for (p = name; *p; p++) {
		if (*p <= ' ' || *p > '~')
			return -EINVAL;
		/* a "." component: "./x", "x/./y", "x/." */
		if (*p == '.' && (p == name || p[-1] == '/') &&
		    (!p[1] || p[1] == '/'))
			return -EINVAL;
	}
	return 0;
}

/*
 * One runtime: its state, then its top-level chunk.  @group and @cpu place
 * it in a per-CPU group (lunatik_percpu_new()), which it does not pin.
 */
struct lunatik_runtime *lunatik_runtime_create(const char *script,
					       enum lunatik_ctx ctx,
					       const struct lunatik_opts *opts,
					       struct lunatik_group *group,
					       unsigned int cpu, char *err,
					       size_t errlen)
{
	struct load ld = { .script = script, .bytecode = opts->bytecode };
	struct lunatik_runtime *rt;
	lua_State *L;
	int ret;

	rt = runtime_alloc(ctx, opts);
	if (!rt)
		goto err_nomem;
	strscpy(rt->name, script, sizeof(rt->name));
	rt->group = group;
	rt->cpu = cpu;
	L = lport_newstate(&rt->mem);
	if (!L)
		goto err_put;
	*(struct lunatik_runtime **)lua_getextraspace(L) = rt;
	lua_setbytecode(L, opts->bytecode);
	rt->L = L;

	/* The top-level chunk: process context, not ready, no lock needed:
	 * nobody can enter the state until ready is set.
	 */
	WRITE_ONCE(rt->loader, current);
	ret = runtime_enter(rt, runtime_load, NULL, &ld, NULL, true, err,
			    errlen);
	WRITE_ONCE(rt->loader, NULL);
	/* a caller killed meanwhile (its sleep cut short) gets nothing */
	if (!ret && fatal_signal_pending(current)) {
		if (err)
			strscpy(err, "interrupted (fatal signal)", errlen);
		ret = -EINTR;
	}
	if (ret)
		goto err_stop;
	if (ctx != LUNATIK_PROCESS) {
		rt->mem.gfp = GFP_ATOMIC;
		rt->mem.can_sleep = false;
	}
	/* what its top-level chunk enrolled (lunatik_twin()) */
	rt->twins = rt->twins_new;
	rt->twins_new = NULL;
	/* pairs with READ_ONCE(rt->ready) in lunatik_callx(): hooks see
	 * the state fully set up once they see it ready
	 */
	smp_store_release(&rt->ready, true);
	/* listed for lunatik_runtime_stop_every() only now: a state is never
	 * closed under its own top-level chunk
	 */
	spin_lock_irq(&runtimes_all_lock);
	list_add_tail(&rt->all, &runtimes_all);
	spin_unlock_irq(&runtimes_all_lock);
	return rt;

err_stop:
	lunatik_runtime_stop_one(rt);
	lunatik_put(rt);
	return ERR_PTR(ret == -ECANCELED || ret == -EINTR ? ret : -EINVAL);
err_put:
	lunatik_put(rt);
err_nomem:
	if (err)
		snprintf(err, errlen, "not enough memory");
	return ERR_PTR(-ENOMEM);
}


/*
 * No new entry, and the running one ends at its next budget check or
 * sleep.  Waking the owner of a process runtime's entry makes its sleep
 * (linux.schedule(), a socket's wait) return early; the task cannot be
 * freed under us: it is inside an entry, and task structs outlive an RCU
 * grace period.
 */
static void runtime_abort(struct lunatik_runtime *rt)
{
	struct task_struct *task;

	WRITE_ONCE(rt->ready, false);
	WRITE_ONCE(rt->mem.abort, true);
	WRITE_ONCE(rt->mem.ticks, 0);	/* check soon; racy, at worst late */
	if (rt->ctx != LUNATIK_PROCESS)
		return;
	rcu_read_lock();
	task = READ_ONCE(rt->owner);
	if (task && task != current)
		wake_up_process(task);
	rcu_read_unlock();
}

/* Closes @rt's state, which the caller locked. */
static int runtime_close(struct lunatik_runtime *rt, unsigned long flags)
{
	lua_State *L;

	L = rt->L;
	rt->L = NULL;
	WRITE_ONCE(rt->ready, false);
	runtime_unlock(rt, flags);
	if (!L)
		return -ESRCH;
	/* Objects unregister their hooks from __gc: process context, and
	 * no lock held, as unregistering waits for running hooks.
	 */
	rt->mem.gfp = GFP_KERNEL;
	rt->mem.can_sleep = true;
	/* the abort was for entries: let finalizers written in Lua run */
	WRITE_ONCE(rt->mem.abort, false);
	lua_close(L);
	lunatik_late_put(rt);
	lunatik_twins_free(rt->twins_new);
	rt->twins_new = NULL;
	if (rt->mem.used)
		pr_warn("%s: %zu bytes still accounted after close\n",
			rt->name, rt->mem.used);
	return 0;
}

/* The stop a killed stopper left: nobody waits for it but the module. */
static void runtime_stop_work(struct work_struct *work)
{
	struct lunatik_runtime *rt;
	unsigned long flags;

	rt = container_of(work, struct lunatik_runtime, stop_work);
	/* killable: a long wait here is no hung task; nothing kills us */
	while (runtime_lock_killable(rt, &flags))
		schedule_timeout_killable(HZ);
	runtime_close(rt, flags);
	lunatik_put(rt);
}

/* Closes @rt's state; a group's other runtimes are not touched. */
int lunatik_runtime_stop_one(struct lunatik_runtime *rt)
{
	unsigned long flags;

	might_sleep();
	runtime_abort(rt);
	/* from a finalizer in another runtime's entry, a stop could wait
	 * for a runtime that waits for that one
	 */
	if (runtime_lock_nested(rt, &flags)) {
		/* killed while an entry runs, or a cycle: finish once it
		 * returns
		 */
		lunatik_get(rt);
		if (!queue_work(lunatik_wq, &rt->stop_work))
			lunatik_put(rt);
		return 0;
	}
	return runtime_close(rt, flags);
}

void lunatik_runtime_stop_put(struct lunatik_runtime *rt)
{
	WARN_ON_ONCE(rt->group);
	if (preemptible() && !rcu_preempt_depth()) {
		lunatik_runtime_stop_one(rt);
		lunatik_put(rt);
		return;
	}
	runtime_abort(rt);
	/* our reference goes with the work; one already queued has its own */
	if (!queue_work(lunatik_wq, &rt->stop_work))
		lunatik_put(rt);
}
EXPORT_SYMBOL(lunatik_runtime_stop_put);

void lunatik_get(struct lunatik_runtime *rt)
{
	kref_get(&rt->kref);
}
EXPORT_SYMBOL(lunatik_get);

void lunatik_put(struct lunatik_runtime *rt)
{
	kref_put(&rt->kref, lunatik_runtime_release);
}
EXPORT_SYMBOL(lunatik_put);

const char *lunatik_runtime_name(const struct lunatik_runtime *rt)
{
	return rt->name;
}
EXPORT_SYMBOL(lunatik_runtime_name);

u64 lunatik_runtime_budget(const struct lunatik_runtime *rt)
{
	return READ_ONCE(rt->budget_ns);
}
EXPORT_SYMBOL(lunatik_runtime_budget);

void lunatik_runtime_release(struct kref *kref)
{
	struct lunatik_runtime *rt;
	unsigned long flags;

	rt = container_of(kref, struct lunatik_runtime, kref);
	spin_lock_irqsave(&runtimes_all_lock, flags);
	list_del_init(&rt->all);
	spin_unlock_irqrestore(&runtimes_all_lock, flags);
	WARN_ON(rt->L);
	WARN_ON(rt->twins || rt->twins_new);
	/* the primary owns its group; the others forgot theirs when it
	 * stopped them (lunatik_percpu_stop())
	 */
	if (rt->group && rt->group->primary == rt)
		kfree(rt->group);
	kfree(rt);
	atomic_long_dec(&lunatik_nruntimes);
}

int lunatik_runtime_foreach_object(int (*fn)(struct lunatik_runtime *rt,
					     void *arg), void *arg)
{
	struct lunatik_runtime *rt;
	int ret = 0;

	spin_lock_irq(&runtimes_all_lock);
	list_for_each_entry(rt, &runtimes_all, all) {
		if (!rt->object || !READ_ONCE(rt->ready))
			continue;
		ret = fn(rt, arg);
		if (ret)
			break;
	}
	spin_unlock_irq(&runtimes_all_lock);
	return ret;
}
EXPORT_SYMBOL(lunatik_runtime_foreach_object);

int lunatik_runtime_cpu(const struct lunatik_runtime *rt)
{
	return rt->group || rt->instance ? (int)rt->cpu : -1;
}
EXPORT_SYMBOL(lunatik_runtime_cpu);

/*
 * Stops every runtime once (a runtime made meanwhile, by a finalizer, is
 * stopped too: it has not seen this generation).  Each is held while it
 * is stopped; the list is walked again from the start after each.
 */
void lunatik_runtime_stop_every(void)
{
	static DEFINE_MUTEX(every_mutex);
	static unsigned long gen;
	struct lunatik_runtime *rt, *found;

	mutex_lock(&every_mutex);
	gen++;
	do {
		found = NULL;
		spin_lock_irq(&runtimes_all_lock);
		list_for_each_entry(rt, &runtimes_all, all) {
			if (rt->stop_gen != gen &&
			    kref_get_unless_zero(&rt->kref)) {
				rt->stop_gen = gen;
				found = rt;
				break;
			}
		}
		spin_unlock_irq(&runtimes_all_lock);
		if (found) {
			lunatik_runtime_stop(found);
			lunatik_put(found);
		}
	} while (found);
	mutex_unlock(&every_mutex);
}
