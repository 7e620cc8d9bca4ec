// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * fuzz.c - libFuzzer harness: any input is loaded as a chunk and run in a
 * fresh state with a small memory cap and an instruction budget.  Errors
 * are fine; a crash, a sanitizer report, a leak at lua_close() or a run
 * that escapes the budget is not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>

#include "lport.h"
#include "lauxlib.h"

#define FUZZ_MEM_CAP	(1 << 20)
#define FUZZ_HOOK_EVERY	1000		/* instructions between hooks */
#define FUZZ_BUDGET	200		/* hooks before the budget is spent */

extern int lport_quiet;

static int hooks;

/* past the budget, every hook raises: pcall cannot outlast it */
static void budget_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	if (++hooks > FUZZ_BUDGET)
		luaL_error(L, "instruction budget exceeded");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lport_mem mem = {
		.cap = FUZZ_MEM_CAP,
		.can_sleep = true,
		.stack_limit = lport_stack_limit_here(LPORT_HOSTED_STACK),
	};
	lua_State *L;

	lport_quiet = 1;
	L = lport_newstate(&mem);
	if (!L)
		return 0;
	hooks = 0;
	lua_sethook(L, budget_hook, LUA_MASKCOUNT, FUZZ_HOOK_EVERY);
	if (lport_openlibs(L) == LUA_OK &&
	    luaL_loadbufferx(L, (const char *)data, size, "=fuzz", "bt") ==
	    LUA_OK)
		lua_pcall(L, 0, 0, 0);
	lua_close(L);
	if (mem.used) {
		fprintf(stderr, "fuzz: %zu bytes leaked\n", mem.used);
		abort();
	}
	if (hooks > 4 * FUZZ_BUDGET) {
		fprintf(stderr, "fuzz: instruction budget escaped\n");
		abort();
	}
	return 0;
}
