// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * lbudget.c - the budget that stops a runaway entry into a state.
 *
 * The VM counts down mem->ticks at every loop back edge and Lua call
 * (patch 0010); when the count runs out it calls lport_budget(), which
 * reads the clock once every LPORT_BUDGET_PERIOD ticks.  No hook and no
 * timer: the cost while the budget holds is a decrement and a branch.
 */
#ifdef __KERNEL__
#include <linux/ktime.h>
#include <linux/export.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/kthread.h>
#else
#include <time.h>
#define READ_ONCE(x)	(x)
#endif

#include "lport.h"
#include "lstate.h"
#include "ldebug.h"

static void budget_yield(struct lport_mem *mem)
{
#ifdef __KERNEL__
	if (mem->can_sleep)
		cond_resched();
#endif
}

u64 lport_clock_ns(void)
{
#ifdef __KERNEL__
	return ktime_get_ns();
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
#endif
}

void lport_budget_renew(struct lport_mem *mem, u64 now)
{
	mem->stalls = 0;
	mem->deadline = lport_deadline(now, mem->budget);
}

/*
 * Why the entry must end now, whatever its budget: its state is being
 * closed, or (where it may sleep, i.e. it runs in a task that called in)
 * that task was killed: a chunk that never ends must not make its caller
 * unkillable.
 */
static const char *budget_halt(struct lport_mem *mem)
{
	if (READ_ONCE(mem->abort))
		return "runtime stopped";
#ifdef __KERNEL__
	if (mem->can_sleep && fatal_signal_pending(current))
		return "interrupted (fatal signal)";
#endif
	return NULL;
}

/*
 * An entry without a budget in a kernel thread asked to stop: the thread's
 * stopper waits for it, so give it LPORT_STOP_GRACE_NS to end by itself.
 */
static void budget_grace(struct lport_mem *mem, u64 now)
{
#ifdef __KERNEL__
	if (mem->can_sleep && (current->flags & PF_KTHREAD) &&
	    kthread_should_stop()) {
		mem->budget = LPORT_STOP_GRACE_NS;
		mem->deadline = lport_deadline(now, mem->budget);
	}
#endif
}

/*
 * Whether the entry still has time.  A budget measured by the clock never
 * runs out where the clock cannot move: with interrupts off on the CPU
 * that advances jiffies, on a machine whose only clocksource is jiffies
 * (no TSC, HPET or ACPI PM timer), a hardirq entry would spin forever with
 * the CPU locked.  So the budget is bounded in work too: a clock that
 * stands still for LPORT_BUDGET_STALL reads in a row counts as spent.
 */
static bool budget_left(struct lport_mem *mem, u64 now)
{
	if (now >= mem->deadline)
		return false;
	if (now != mem->last) {
		mem->last = now;
		mem->stalls = 0;
		return true;
	}
	return ++mem->stalls < LPORT_BUDGET_STALL;
}

/* Called by the VM when mem->ticks runs out (luai_budget). */
void lport_budget(lua_State *L)
{
	struct lport_mem *mem = G(L)->ud;
	u64 now;

	if (mem->tripped)
		goto spent;
	if (!mem->halt)
		mem->halt = budget_halt(mem);
	if (mem->halt)
		goto halt;
	now = lport_clock_ns();
	if (!mem->start) {	/* the entry's first check */
		mem->start = now;
		if (mem->budget && !mem->deadline)
			mem->deadline = lport_deadline(now, mem->budget);
	}
	if (!mem->budget)
		budget_grace(mem, now);
	if (!mem->budget) {
		mem->ticks = lport_idle_ticks(mem);
		budget_yield(mem);
		return;
	}
	if (budget_left(mem, now)) {
		mem->ticks = LPORT_BUDGET_PERIOD;
		budget_yield(mem);
		return;
	}
spent:	/* every further tick raises, so pcall cannot absorb it */
	mem->tripped = true;
	mem->ticks = 0;
	luaG_runerror(L, "budget exceeded");
halt:
	mem->ticks = 0;
	luaG_runerror(L, "%s", mem->halt);
}

/* A tick from C code that loops on its own (the pattern matcher). */
void lport_budgettick(lua_State *L)
{
	struct lport_mem *mem = G(L)->ud;

	if (--mem->ticks < 0)
		lport_budget(L);
}
