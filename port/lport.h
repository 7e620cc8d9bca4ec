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
#else
#include <stdbool.h>
#include <stddef.h>
typedef unsigned int gfp_t;
#endif

#include "lua.h"

/**
 * struct lport_mem - memory accounting and policy of one Lua state
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
 *
 * Owned by the caller and set before lport_newstate().  The state's owner
 * serialises all use of the state (its lock), which also serialises every
 * update of these fields; @gfp and @can_sleep may be changed under that
 * lock when the state moves between contexts.  Readers outside the lock
 * (statistics) may see slightly stale values.  The structure must outlive
 * the state: lua_close() still frees through it.
 */
struct lport_mem {
	size_t used;
	size_t peak;
	size_t cap;
	gfp_t gfp;
	bool can_sleep;
	unsigned long failures;
};

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
