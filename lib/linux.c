// SPDX-License-Identifier: GPL-2.0
/*
 * linux: small kernel facilities for scripts (random numbers, sleeping,
 * time, error names, interfaces, kernel symbols), its constant fields
 * and the constant libraries require "linux.<name>" gives, generated
 * from the kernel's headers at build time (lib/linux_consts.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

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
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/notifier.h>
#ifdef CONFIG_X86_KERNEL_IBT
#include <asm/ibt.h>
#endif

#include "lunatik.h"
#include "linux.h"

/*
 * A uniform draw in [0, span].  Up to 2^32 values: get_random_u32_below()
 * (a multiply, no division; a ceiling of 0 gives all 32 bits).  Wider: a
 * 64-bit draw, rejected when it falls in the incomplete last block of the
 * 64-bit range.
 */
static u64 random_upto(u64 span)
{
	u64 limit, r;

	if (span <= U32_MAX)
		return get_random_u32_below((u32)(span + 1));
	r = get_random_u64();
	if (span == U64_MAX)
		return r;
	/* largest multiple of (span + 1), minus one */
	limit = U64_MAX - (U64_MAX - span) % (span + 1);
	while (r > limit)
		r = get_random_u64();
	return r % (span + 1);
}

/*
 * random([m[, n]]): like math.random on integers.  No argument: 64 random
 * bits; one: [1, m]; two: [m, n].  Uniform.
 */
static int linux_random(lua_State *L)
{
	lua_Integer low, up;

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
	/* the interval has span + 1 values */
	lua_pushinteger(L, (lua_Integer)((u64)low +
					 random_upto((u64)up - (u64)low)));
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
	lua_Integer state = luaL_optinteger(L, 2, TASK_INTERRUPTIBLE);
	long timeout = MAX_SCHEDULE_TIMEOUT;
	lua_Integer ms;

	if (!lua_isnoneornil(L, 1)) {
		ms = luaL_checkinteger(L, 1);
		luaL_argcheck(L, ms >= 0, 1, "negative time");
		timeout = msecs_to_jiffies(min_t(lua_Integer, ms, UINT_MAX));
	}
	luaL_argcheck(L, task_state_ok(state), 2, "invalid task state");
	/* a kernel thread asked to stop, or an entry whose runtime is
	 * being stopped, returns at once: the stopper sets its flag before
	 * it wakes us, and we check after the state
	 */
	set_current_state(state);
	if (lunatik_stopping(L))
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

/* errname(n): "ENOENT" for 2 or -2; "unknown" for an unknown number */
static int linux_errname(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1);
	const char *name = NULL;

	if (n >= -INT_MAX && n <= INT_MAX)
		name = lunatik_errname((int)n);
	lua_pushstring(L, name ? name : "unknown");
	return 1;
}

/* numcpus(): the number of possible CPU ids, 0 to numcpus() - 1 */
static int linux_numcpus(lua_State *L)
{
	lua_pushinteger(L, nr_cpu_ids);
	return 1;
}

/* ifindex(name): index of the interface in the initial namespace */
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
		return luaL_error(L, "linux.ifindex: device not found: %s", name);
	lua_pushinteger(L, index);
	return 1;
}

/* the hardware address of the interface @index, as a binary string */
static int linux_hwaddr(lua_State *L, int index)
{
	unsigned char addr[MAX_ADDR_LEN];
	struct net_device *dev;
	unsigned int len = 0;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(&init_net, index);
	if (dev) {
		len = min_t(unsigned int, dev->addr_len, sizeof(addr));
		memcpy(addr, dev->dev_addr, len);
	}
	rcu_read_unlock();
	if (!dev)
		return luaL_error(L, "linux.ifaddr: device not found: %d", index);
	lua_pushlstring(L, (const char *)addr, len);
	return 1;
}

/*
 * ifaddr(index[, "inet"]): the hardware (MAC) address of the interface in
 * the initial namespace, as a binary string; raises if there is none.
 * With "inet": its first IPv4 address, an integer in host order, or nil.
 */
static int linux_ifaddr(lua_State *L)
{
	static const char *const kinds[] = { "hw", "inet", NULL };
	lua_Integer index = luaL_checkinteger(L, 1);
	int kind = luaL_checkoption(L, 2, "hw", kinds);
	struct net_device *dev;
	struct in_device *in;
	const struct in_ifaddr *ifa;
	bool found = false;
	u32 addr = 0;

	luaL_argcheck(L, index > 0 && index <= INT_MAX, 1, "invalid index");
	if (kind == 0)
		return linux_hwaddr(L, (int)index);
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
 * lookup(sym): the address of a kernel symbol, through
 * kallsyms_lookup_name().  It is not exported to modules since 5.7: its
 * own address is found once, at module load, by placing a kprobe on it
 * (kprobes resolve symbol names inside the kernel) and removing it at
 * once.  Without kprobes lookup() raises.
 */
typedef unsigned long (*linux_kallsyms_t)(const char *name);

static linux_kallsyms_t linux_kallsyms;	/* NULL: lookup() is unavailable */
static int linux_kallsyms_err;		/* why, then */

#ifdef CONFIG_KPROBES
static int linux_findkallsyms(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;
	int ret;

	ret = register_kprobe(&kp);
	if (ret)
		return ret;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
#ifdef CONFIG_X86_KERNEL_IBT
	/* the probe sits past the function's ENDBR; a call needs it */
	if (is_endbr(*(u32 *)(addr - ENDBR_INSN_SIZE)))
		addr -= ENDBR_INSN_SIZE;
#endif
	/* the function must know itself where the probe found it */
	if (((linux_kallsyms_t)addr)("kallsyms_lookup_name") != addr)
		return -EFAULT;
	linux_kallsyms = (linux_kallsyms_t)addr;
	return 0;
}
#else
static int linux_findkallsyms(void)
{
	return -EOPNOTSUPP;
}
#endif

static int linux_lookup(lua_State *L)
{
	const char *name;
	unsigned long addr;
	bool asint = false;
	size_t len;

	if (lua_type(L, 1) != LUA_TSTRING)
		return luaL_typeerror(L, 1, "string");
	if (!lua_isnoneornil(L, 2)) {
		luaL_argcheck(L, lua_type(L, 2) == LUA_TSTRING &&
			      !strcmp(lua_tostring(L, 2), "integer"), 2,
			      "\"integer\" or nothing");
		asint = true;
	}
	name = lua_tolstring(L, 1, &len);
	luaL_argcheck(L, strlen(name) == len, 1, "embedded NUL");
	luaL_argcheck(L, len < KSYM_NAME_LEN, 1, "symbol name too long");
	if (!linux_kallsyms)
		return luaL_error(L, "linux.lookup: kallsyms_lookup_name is unavailable (%s)",
				  linux_kallsyms_err == -EOPNOTSUPP ?
				  "kernel built without CONFIG_KPROBES" :
				  "its kprobe could not be placed");
	addr = linux_kallsyms(name);
	if (!addr)
		luaL_pushfail(L);
	else if (asint)
		lua_pushinteger(L, (lua_Integer)addr);
	else
		lua_pushlightuserdata(L, (void *)addr);
	return 1;
}

static const struct lunatik_reg linux_funcs[] = {
	{ "random", linux_random, 0 },
	{ "schedule", linux_schedule, LUNATIK_SLEEPS },
	{ "time", linux_time, 0 },
	{ "difftime", linux_difftime, 0 },
	{ "errname", linux_errname, 0 },
	{ "numcpus", linux_numcpus, 0 },
	{ "ifindex", linux_ifindex, 0 },
	{ "ifaddr", linux_ifaddr, 0 },
	{ "tracing", linux_tracing, 0 },
	{ "lookup", linux_lookup, 0 },
	{ NULL, NULL, 0 }
};

static int luaopen_linux(lua_State *L)
{
	const struct lunatik_consts *t;

	lunatik_newlib(L, "linux", linux_funcs);
	for (t = linux_fields.subs; t->name; t++) {
		lunatik_pushconsts(L, t);
		lua_setfield(L, -2, t->name);
	}
	return 1;
}

/* lookup() needs kallsyms_lookup_name first */
static int linux_setup(void)
{
	/* not fatal: only lookup() needs it, and raises without it */
	linux_kallsyms_err = linux_findkallsyms();
	if (linux_kallsyms_err)
		pr_info("linux.lookup unavailable (%d)\n",
			linux_kallsyms_err);
	return 0;
}

LUNATIK_LIB_CONSTS(linux, luaopen_linux, linux_setup, lunatik_lib_noteardown,
		   linux_constlibs);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the linux library");
