/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * lport.h - the Lua port's API for the lunatik core.
 *
 * The core creates Lua states through this header only: it never sees the
 * libc shim, the allocator's internals or the patched Lua configuration
 * beyond lua.h/lauxlib.h.  The same API exists in the hosted build, where
 * it backs the test interpreter and the fuzzer.
 */
#ifndef _LPORT_H
#define _LPORT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/atomic.h>
#include <asm/asm.h>
#else
#include <stdbool.h>
#include <stddef.h>
typedef unsigned int gfp_t;
#include <stdint.h>
typedef uint64_t u64;
#endif

#include "lua.h"

/**
 * struct lport_mem - memory accounting and policy of one Lua state
 * @ticks: budget ticks left before the VM next calls lport_budget(); the
 *	VM reaches it as the first member (see luai_budgetticks)
 * @tripped: the budget of the current entry ran out
 * @stalls: consecutive clock reads of the current entry that found the
 *	clock where the previous one left it (see lport_budget())
 * @budget: the current entry's budget in ns; 0 means none
 * @deadline: when the current entry's budget runs out, in the clock of
 *	lport_clock_ns(); 0 until known (see lport_budget_arm())
 * @start: the clock at the entry's first budget check, LPORT_BUDGET_PERIOD
 *	ticks into it; 0 while it made none.  Left by lport_budget_disarm()
 *	for the caller's accounting: only entries that ran long have it.
 * @last: the clock at the previous read of the current entry
 * @used: bytes currently allocated by the state (as Lua counts them)
 * @peak: highest value @used has reached
 * @cap: most bytes the state may hold; 0 means no cap.  An allocation that
 *	would exceed it fails, which Lua reports as "not enough memory".
 *	Lowering it below @used only makes further growth fail.
 * @gfp: allocation flags for the current context: GFP_KERNEL where the
 *	state runs in process context, GFP_ATOMIC otherwise
 * @can_sleep: whether the current context may sleep; large blocks then
 *	come from kvmalloc(), and vmalloc'd blocks are freed with vfree()
 *	(vfree_atomic() otherwise)
 * @failures: allocations refused, by the cap or by the kernel
 * @abort: the state is being closed: the current entry raises "runtime
 *	stopped" at its next budget check, and every check after it.  Set
 *	without the state's lock (the closer waits for it); never cleared.
 * @halt: what the current entry raises at every budget check from now on
 *	(an abort, a fatal signal); NULL while it may run
 * @charged: (kernel) bytes the kernel objects of the state hold outside
 *	it, counted against @cap with @used; changed atomically, from any
 *	context, by whoever frees them
 * @stack_limit: the lowest stack address Lua may use in the current entry
 *	into the state; 0 means the bottom of the current task's stack.
 *	Lua raises "C stack overflow" once the stack pointer comes within
 *	LPORT_STACK_MARGIN (4 KiB) of it; the message handler of that error
 *	may use 1 KiB more, then "error in error handling" is raised.  The
 *	last 3 KiB are left to the code after Lua's last check, the error
 *	path, the allocator and the kernel below them.  Set it at each entry
 *	(lport_stack_limit_here()), under the state's lock.
 *
 * Owned by the caller and set before lport_newstate().  The state's owner
 * serialises all use of the state (its lock), which also serialises every
 * update of these fields; @gfp and @can_sleep may be changed under that
 * lock when the state moves between contexts.  Readers outside the lock
 * (statistics) may see slightly stale values.  The structure must outlive
 * the state: lua_close() still frees through it.
 */
struct lport_mem {
	int ticks;		/* first: the VM's tick counter */
	bool tripped;
	unsigned int stalls;
	u64 budget;
	u64 deadline;
	u64 start;
	u64 last;
	size_t used;
	size_t peak;
	size_t cap;
	gfp_t gfp;
	bool can_sleep;
	unsigned long failures;
	unsigned long stack_limit;
	bool abort;
	const char *halt;
#ifdef __KERNEL__
	atomic_long_t charged;
#endif
};

/* bytes held outside the state, charged to its cap (see @charged) */
static inline size_t lport_mem_charged(const struct lport_mem *mem)
{
#ifdef __KERNEL__
	long n = atomic_long_read(&mem->charged);

	return n > 0 ? (size_t)n : 0;
#else
	(void)mem;
	return 0;
#endif
}

/* @now + @ns, or the largest time if that does not fit */
static inline u64 lport_deadline(u64 now, u64 ns)
{
	return ns > ~(u64)0 - now ? ~(u64)0 : now + ns;
}

/*
 * A kernel thread asked to stop (kthread_stop()) whose entry has no budget
 * gets this much more time to end by itself, then "budget exceeded".
 */
#define LPORT_STOP_GRACE_NS	(2ULL * 1000 * 1000 * 1000)

/* budget ticks (loop back edges and Lua calls) between clock reads */
#define LPORT_BUDGET_PERIOD	1024

/*
 * Clock reads in a row that may find the clock standing still before the
 * budget counts as spent anyway (LPORT_BUDGET_STALL * LPORT_BUDGET_PERIOD
 * ticks of work): see lport_budget().
 */
#define LPORT_BUDGET_STALL	(1 << 14)

/*
 * No budget: tick rarely, just to re-read it; but where the state may
 * sleep, often enough to give the CPU away (a long script must not starve
 * the CPU it runs on: no soft lockup on a non-preemptible kernel).
 */
#define LPORT_BUDGET_IDLE	(1 << 30)

/* ticks until the next lport_budget() of an entry without a budget */
static inline int lport_idle_ticks(const struct lport_mem *mem)
{
	return mem->can_sleep ? LPORT_BUDGET_PERIOD : LPORT_BUDGET_IDLE;
}

/**
 * lport_budget_arm() - give the next entry into the state a budget
 * @mem: the state's accounting
 * @ns: the budget, or 0 for none
 * @now: lport_clock_ns() at the entry, or 0 if the caller did not read the
 *	clock: the budget then starts at the entry's first check, at most
 *	LPORT_BUDGET_PERIOD ticks (and the C calls between them) late.  Not
 *	reading it saves a clock read on entries too short to reach a check.
 *
 * Call under the state's lock, before entering it.  Once the budget is
 * spent, the VM raises "budget exceeded" at every loop back edge and Lua
 * call until lport_budget_disarm().
 */
static inline void lport_budget_arm(struct lport_mem *mem, u64 ns, u64 now)
{
	mem->tripped = false;
	mem->halt = NULL;
	mem->stalls = 0;
	mem->last = 0;
	mem->start = 0;
	mem->budget = ns;
	mem->deadline = ns && now ? lport_deadline(now, ns) : 0;
	mem->ticks = ns ? LPORT_BUDGET_PERIOD : lport_idle_ticks(mem);
}

/**
 * lport_budget_renew() - restart the current entry's budget from @now
 * @mem: the state's accounting, in an entry with a budget not yet spent
 * @now: lport_clock_ns()
 */
void lport_budget_renew(struct lport_mem *mem, u64 now);

/**
 * lport_budget_disarm() - end the entry's budget
 * Return: whether it ran out during the entry.  @start stays as the entry
 * left it.
 */
static inline bool lport_budget_disarm(struct lport_mem *mem)
{
	bool tripped = mem->tripped;

	mem->budget = 0;
	mem->deadline = 0;
	mem->tripped = false;
	mem->halt = NULL;
	mem->ticks = lport_idle_ticks(mem);
	return tripped;
}

/* lport_clock_ns() - the monotonic clock budgets are measured with */
u64 lport_clock_ns(void);

/* stack kept below Lua's last check, see struct lport_mem @stack_limit */
#define LPORT_STACK_MARGIN	(4 * 1024)

#ifndef __KERNEL__
/*
 * The hosted programs' stack for Lua below their entry into a state: a
 * 16 KiB kernel stack less 4 KiB for the system call and the core above
 * Lua.  ASan's instrumented frames are up to four times as large.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LPORT_HOSTED_STACK_SCALE	4
#endif
#elif defined(__SANITIZE_ADDRESS__)
#define LPORT_HOSTED_STACK_SCALE	4
#endif
#ifndef LPORT_HOSTED_STACK_SCALE
#define LPORT_HOSTED_STACK_SCALE	1
#endif
#define LPORT_HOSTED_STACK	(12 * 1024 * LPORT_HOSTED_STACK_SCALE)
#endif

/**
 * lport_stack_limit_here() - the stack limit for an entry into a state here
 * @budget: bytes of stack the state may use below the caller's frame,
 *	LPORT_STACK_MARGIN included, where the stack is not a task's
 *
 * In the kernel, in task context on the task's own stack, this is 0 (the
 * limit is then the bottom of the task stack, wherever the caller is);
 * elsewhere (an interrupt stack) it is the current stack pointer less
 * @budget.  In the hosted build it is always the stack pointer less
 * @budget.
 *
 * Return: the value for struct lport_mem @stack_limit.
 */
static inline unsigned long lport_stack_limit_here(size_t budget)
{
#ifdef __KERNEL__
	unsigned long sp = current_stack_pointer;

	if (in_task() &&
	    sp - (unsigned long)task_stack_page(current) < THREAD_SIZE)
		return 0;
	return sp - budget;
#else
	return (unsigned long)__builtin_frame_address(0) - budget;
#endif
}

/**
 * lport_alloc() - the lua_Alloc function of lport states
 * @ud: the state's struct lport_mem
 * @ptr: block to resize, or NULL
 * @osize: size of @ptr, or Lua's object type when @ptr is NULL
 * @nsize: new size; 0 frees
 *
 * Follows Lua's contract: freeing and shrinking never fail (a block that
 * cannot be shrunk is kept as is); growing fails with NULL when the cap is
 * reached or the kernel has no memory.
 *
 * Return: the new block, or NULL.
 */
void *lport_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/**
 * lport_newstate() - create a Lua state accounted in @mem
 * @mem: accounting and policy, initialised by the caller
 *
 * The state refuses binary chunks (see lua_setbytecode()) and has no
 * library opened.  Its panic function logs the error; entering the state
 * through lua_pcall() (as lport_openlibs() and any caller should) means no
 * Lua error can reach it.
 *
 * Return: the new state, or NULL when memory is short.
 */
lua_State *lport_newstate(struct lport_mem *mem);

/**
 * lport_openlibs() - open the standard libraries of lunatik's Lua
 * @L: a state from lport_newstate()
 *
 * Opens base, package, coroutine, table, io, string, math and utf8, with
 * the port's restrictions: no os or debug library; io offers only regular
 * files (io.open, io.lines, io.type, io.close and file methods; no
 * popen/tmpfile/standard streams); math is integer-only; print writes to
 * the kernel log; package.path is /lib/modules/lua and package.searchers
 * keeps only the preload and Lua-file searchers (C bindings are added to
 * package.preload, or as a searcher, by the core).
 *
 * Runs in protected mode.
 *
 * Return: LUA_OK, or an error status with the message on top of the stack.
 */
int lport_openlibs(lua_State *L);

/**
 * lport_pcall() - call a C function in protected mode, without a Lua frame
 * @L: the state (its lock held)
 * @fn: runs with the stack as the caller left it and at least LUA_MINSTACK
 *	free slots, as a C function would; its return value goes to @ret
 * @arg: passed to @fn
 * @ret: where @fn's return value goes (left alone if @fn raised)
 *
 * What lua_pcall() of a C function does, less pushing the function and its
 * argument and entering a new CallInfo: the cheapest protected entry from
 * kernel code into a state.  @fn may raise.  On return the stack is back
 * where it was: on error, with the error object pushed on it (one slot,
 * which the caller pops).
 *
 * Return: LUA_OK or the error status, as lua_pcall().
 */
int lport_pcall(lua_State *L, int (*fn)(lua_State *L, void *arg), void *arg,
		int *ret);

/**
 * lport_mem_of() - the accounting of an lport state
 * @L: any state (or thread) created by lport_newstate()
 *
 * Return: the struct lport_mem given to lport_newstate().
 */
struct lport_mem *lport_mem_of(lua_State *L);

/**
 * lport_exit() - wait for the port's deferred work
 *
 * Blocks freed by Lua where sleeping was not allowed may still be queued
 * for vfree(); call this once the last state is closed, before the module
 * goes away.  Must be called where sleeping is allowed.
 */
void lport_exit(void);

#endif /* _LPORT_H */
