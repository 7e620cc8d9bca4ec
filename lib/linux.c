// SPDX-License-Identifier: GPL-2.0
/*
 * linux: small kernel facilities for scripts (random numbers, sleeping,
 * time, error names, interfaces) and constant tables generated from the
 * kernel's headers at build time (see lib/gen-constants).
 */
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/cpumask.h>
#include <linux/netdevice.h>
#include <linux/inetdevice.h>
#include <linux/kernel.h>
#include <linux/stat.h>
#include <linux/signal.h>
#include <linux/if_ether.h>
#include <linux/errno.h>

#include "lunatik.h"

struct linux_const {
	const char *name;
	lua_Integer value;
};

#include "linux_const.h"

/*
 * random([m[, n]]): like math.random on integers.  No argument: 64 random
 * bits; one: [1, m]; two: [m, n].  Uniform: the draw is rejected when it
 * falls in the incomplete last block of the 64-bit range.
 */
static int linux_random(lua_State *L)
{
	lua_Integer low, up;
	u64 span, limit, r;

	switch (lua_gettop(L)) {
	case 0:
		lua_pushinteger(L, (lua_Integer)get_random_u64());
		return 1;
	case 1:
		low = 1;
		up = luaL_checkinteger(L, 1);
		break;
	case 2:
		low = luaL_checkinteger(L, 1);
		up = luaL_checkinteger(L, 2);
		break;
	default:
		return luaL_error(L, "wrong number of arguments");
	}
	luaL_argcheck(L, low <= up, lua_gettop(L), "interval is empty");
	span = (u64)up - (u64)low;	/* the interval has span + 1 values */
	r = get_random_u64();
	if (span != U64_MAX) {
		/* largest multiple of (span + 1), minus one */
		limit = U64_MAX - (U64_MAX - span) % (span + 1);
		while (r > limit)
			r = get_random_u64();
		r %= span + 1;
	}
	lua_pushinteger(L, (lua_Integer)((u64)low + r));
	return 1;
}

static bool task_state_ok(lua_Integer state)
{
	return state == TASK_RUNNING || state == TASK_INTERRUPTIBLE ||
	       state == TASK_UNINTERRUPTIBLE || state == TASK_KILLABLE ||
	       state == TASK_IDLE;
}

/*
 * schedule([ms[, state]]): sleeps for @ms milliseconds (default: until
 * woken) in @state (default TASK_INTERRUPTIBLE).  Returns the milliseconds
 * left when woken early.  Only where the state may sleep: a process
 * runtime, or the test entry.  In a kernel thread's body, sleeping starts
 * the budget again (lunatik_budget_renew()), and kthread_stop() wakes it.
 */
static int linux_schedule(lua_State *L)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);
	lua_Integer state = luaL_optinteger(L, 2, TASK_INTERRUPTIBLE);
	long timeout = MAX_SCHEDULE_TIMEOUT;
	lua_Integer ms;

	if ((rt && rt->ctx != LUNATIK_PROCESS) || !lport_mem_of(L)->can_sleep)
		return luaL_error(L, "linux.schedule: cannot sleep in a %s runtime",
				  rt ? lunatik_ctx_name(rt->ctx) : "non-sleeping");
	if (!lua_isnoneornil(L, 1)) {
		ms = luaL_checkinteger(L, 1);
		luaL_argcheck(L, ms >= 0, 1, "negative time");
		timeout = msecs_to_jiffies(min_t(lua_Integer, ms, UINT_MAX));
	}
	luaL_argcheck(L, task_state_ok(state), 2, "invalid task state");
	/* a kernel thread asked to stop returns at once: kthread_stop()
	 * sets the flag before it wakes us, and we check after the state
	 */
	set_current_state(state);
	if (lunatik_should_stop())
		__set_current_state(TASK_RUNNING);
	else
		timeout = schedule_timeout(timeout);
	lunatik_budget_renew(L);
	lua_pushinteger(L, timeout == MAX_SCHEDULE_TIMEOUT ? 0 :
			jiffies_to_msecs(timeout));
	return 1;
}

/* time(): wall-clock time in nanoseconds since the epoch */
static int linux_time(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)ktime_get_real_ns());
	return 1;
}

/* difftime(a, b): a - b, in nanoseconds (wrapping like the counters) */
static int linux_difftime(lua_State *L)
{
	u64 a = (u64)luaL_checkinteger(L, 1);
	u64 b = (u64)luaL_checkinteger(L, 2);

	lua_pushinteger(L, (lua_Integer)(a - b));
	return 1;
}

/* errname(n): "ENOENT" for 2 or -2; nil for an unknown number */
static int linux_errname(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1);
	const struct linux_const *c;

	if (n < 0)
		n = -n;
	for (c = linux_errno; c->name; c++) {
		if (c->value == n) {
			lua_pushstring(L, c->name);
			return 1;
		}
	}
	luaL_pushfail(L);
	return 1;
}

static int linux_numcpus(lua_State *L)
{
	lua_pushinteger(L, num_online_cpus());
	return 1;
}

/* ifindex(name): index of the interface in the initial namespace, or nil */
static int linux_ifindex(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	struct net_device *dev;
	int index = 0;

	rcu_read_lock();
	dev = dev_get_by_name_rcu(&init_net, name);
	if (dev)
		index = dev->ifindex;
	rcu_read_unlock();
	if (!index)
		luaL_pushfail(L);
	else
		lua_pushinteger(L, index);
	return 1;
}

/*
 * ifaddr(index): the first IPv4 address of the interface in the initial
 * namespace, as an integer in host order, or nil.
 */
static int linux_ifaddr(lua_State *L)
{
	lua_Integer index = luaL_checkinteger(L, 1);
	struct net_device *dev;
	struct in_device *in;
	const struct in_ifaddr *ifa;
	bool found = false;
	u32 addr = 0;

	luaL_argcheck(L, index > 0 && index <= INT_MAX, 1, "invalid index");
	rcu_read_lock();
	dev = dev_get_by_index_rcu(&init_net, (int)index);
	in = dev ? __in_dev_get_rcu(dev) : NULL;
	if (in) {
		in_dev_for_each_ifa_rcu(ifa, in) {
			addr = ntohl(ifa->ifa_local);
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	if (!found)
		luaL_pushfail(L);
	else
		lua_pushinteger(L, addr);
	return 1;
}

/* tracing([on]): switches the ftrace ring buffer; returns its state */
static int linux_tracing(lua_State *L)
{
	if (!lua_isnoneornil(L, 1)) {
		if (lua_toboolean(L, 1))
			tracing_on();
		else
			tracing_off();
	}
	lua_pushboolean(L, tracing_is_on());
	return 1;
}

/*
 * lookup(sym): kallsyms_lookup_name() is not exported since 5.7, and
 * reaching it through a kprobe is a trick we do not play.  Always nil.
 */
static int linux_lookup(lua_State *L)
{
	luaL_checkstring(L, 1);
	luaL_pushfail(L);
	return 1;
}

static const luaL_Reg linux_funcs[] = {
	{ "random", linux_random },
	{ "schedule", linux_schedule },
	{ "time", linux_time },
	{ "difftime", linux_difftime },
	{ "errname", linux_errname },
	{ "numcpus", linux_numcpus },
	{ "ifindex", linux_ifindex },
	{ "ifaddr", linux_ifaddr },
	{ "tracing", linux_tracing },
	{ "lookup", linux_lookup },
	{ NULL, NULL }
};

static void linux_newconsts(lua_State *L, const char *field,
			    const struct linux_const *c)
{
	lua_newtable(L);
	for (; c->name; c++) {
		lua_pushinteger(L, c->value);
		lua_setfield(L, -2, c->name);
	}
	lua_setfield(L, -2, field);
}

static int luaopen_linux(lua_State *L)
{
	luaL_newlib(L, linux_funcs);
	linux_newconsts(L, "stat", linux_stat);
	linux_newconsts(L, "signal", linux_signal);
	linux_newconsts(L, "task", linux_task);
	linux_newconsts(L, "eth", linux_eth);
	return 1;
}

LUNATIK_LIB(linux, luaopen_linux);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the linux library");
