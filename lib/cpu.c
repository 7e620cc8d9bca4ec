// SPDX-License-Identifier: GPL-2.0
/*
 * cpu: counts of CPUs, per-CPU time statistics, walks of the CPU masks.
 *
 *	cpu.num_possible(), cpu.num_present(), cpu.num_online()
 *	cpu.stats(n)	--> {user = ns, nice, system, idle, iowait, irq,
 *			     softirq, steal, guest, guest_nice}
 *	cpu.foreach_online(function(n) ... end)
 *	cpu.foreach_present(fn), cpu.foreach_possible(fn)
 *
 * Usable from any context: nothing here sleeps.
 */
#include <linux/module.h>
#include <linux/cpumask.h>
#include <linux/kernel_stat.h>
#include <linux/tick.h>

#include "lunatik.h"

static int cpu_num_possible(lua_State *L)
{
	lua_pushinteger(L, num_possible_cpus());
	return 1;
}

static int cpu_num_present(lua_State *L)
{
	lua_pushinteger(L, num_present_cpus());
	return 1;
}

static int cpu_num_online(lua_State *L)
{
	lua_pushinteger(L, num_online_cpus());
	return 1;
}

static const char *const cpu_fields[] = {
	[CPUTIME_USER] = "user",
	[CPUTIME_NICE] = "nice",
	[CPUTIME_SYSTEM] = "system",
	[CPUTIME_SOFTIRQ] = "softirq",
	[CPUTIME_IRQ] = "irq",
	[CPUTIME_IDLE] = "idle",
	[CPUTIME_IOWAIT] = "iowait",
	[CPUTIME_STEAL] = "steal",
	[CPUTIME_GUEST] = "guest",
	[CPUTIME_GUEST_NICE] = "guest_nice",
};

/*
 * Idle and iowait as /proc/stat reports them: with NOHZ the tick does not
 * account them, the nohz idle clock does (in microseconds).
 */
static u64 cpu_idle(const struct kernel_cpustat *kcs, int cpu, int field)
{
	u64 us = -1ULL;

	if (cpu_online(cpu))
		us = field == CPUTIME_IDLE ? get_cpu_idle_time_us(cpu, NULL) :
					     get_cpu_iowait_time_us(cpu, NULL);
	return us == -1ULL ? kcs->cpustat[field] : us * NSEC_PER_USEC;
}

/* stats(n): cumulative times of CPU @n, in nanoseconds */
static int cpu_stats(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1);
	struct kernel_cpustat kcs;
	int i;

	luaL_argcheck(L, n >= 0 && n < nr_cpu_ids && cpu_possible(n), 1,
		      "no such CPU");
	kcpustat_cpu_fetch(&kcs, n);
	lua_createtable(L, 0, ARRAY_SIZE(cpu_fields));
	for (i = 0; i < ARRAY_SIZE(cpu_fields); i++) {
		u64 v = kcs.cpustat[i];

		if (i == CPUTIME_IDLE || i == CPUTIME_IOWAIT)
			v = cpu_idle(&kcs, n, i);
		lua_pushinteger(L, (lua_Integer)v);
		lua_setfield(L, -2, cpu_fields[i]);
	}
	return 1;
}

/*
 * fn(n) for each CPU of @mask, in order.  A CPU that joins or leaves the
 * mask meanwhile (hotplug) may or may not be seen.
 */
static int cpu_foreach(lua_State *L, const struct cpumask *mask)
{
	int cpu;

	luaL_checktype(L, 1, LUA_TFUNCTION);
	for_each_cpu(cpu, mask) {
		lua_pushvalue(L, 1);
		lua_pushinteger(L, cpu);
		lua_call(L, 1, 0);
	}
	return 0;
}

/* foreach_online(fn), foreach_present(fn), foreach_possible(fn) */
static int cpu_foreach_online(lua_State *L)
{
	return cpu_foreach(L, cpu_online_mask);
}

static int cpu_foreach_present(lua_State *L)
{
	return cpu_foreach(L, cpu_present_mask);
}

static int cpu_foreach_possible(lua_State *L)
{
	return cpu_foreach(L, cpu_possible_mask);
}

static const luaL_Reg cpu_funcs[] = {
	{ "num_possible", cpu_num_possible },
	{ "num_present", cpu_num_present },
	{ "num_online", cpu_num_online },
	{ "stats", cpu_stats },
	{ "foreach_online", cpu_foreach_online },
	{ "foreach_present", cpu_foreach_present },
	{ "foreach_possible", cpu_foreach_possible },
	{ NULL, NULL }
};

static int luaopen_cpu(lua_State *L)
{
	luaL_newlib(L, cpu_funcs);
	return 1;
}

LUNATIK_LIB(cpu, luaopen_cpu);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the cpu library");
