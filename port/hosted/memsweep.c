// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * memsweep.c - allocation-failure sweep.
 *
 *	memsweep script.lua
 *
 * For n = 1, 2, ...: make the n-th allocation, and every later one, fail
 * (lport_failnth; a lone failure is mostly absorbed by Lua's emergency
 * collection and retry) while
 * creating a state, opening the libraries, loading and running the script.
 * Every run must end either in success or in an error that says "not
 * enough memory", and lua_close() must give back every byte.  The sweep
 * ends with the first run in which the n-th allocation never came.
 */
#include <stdio.h>
#include <string.h>

#include "lport.h"
#include "lalloc.h"
#include "lauxlib.h"

extern int lport_quiet;

enum outcome { NOSTATE, OK, MEMERR, BAD };

/* protected: load and run the script */
static int pmain(lua_State *L)
{
	const char *script = lua_touserdata(L, 1);

	if (luaL_loadfile(L, script) != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 0);
	return 0;
}

static enum outcome run(const char *script, const char **msg)
{
	struct lport_mem mem = {
		.can_sleep = true,
		.stack_limit = lport_stack_limit_here(LPORT_HOSTED_STACK),
	};
	static char err[256];
	enum outcome out = OK;
	lua_State *L = lport_newstate(&mem);
	int status;

	if (!L)
		return mem.used ? BAD : NOSTATE;
	status = lport_openlibs(L);
	if (status == LUA_OK) {
		lua_pushcfunction(L, pmain);
		lua_pushlightuserdata(L, (void *)script);
		status = lua_pcall(L, 1, 0, 0);
	}
	if (status != LUA_OK) {
		const char *s = lua_tostring(L, -1);

		snprintf(err, sizeof(err), "%s", s ? s : "(no message)");
		out = strstr(err, "not enough memory") ? MEMERR : BAD;
		*msg = err;
	}
	lua_close(L);
	if (mem.used) {
		snprintf(err, sizeof(err), "%zu bytes leaked", mem.used);
		*msg = err;
		out = BAD;
	}
	return out;
}

int main(int argc, char **argv)
{
	unsigned long n, counts[4] = { 0 };
	int failed = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s script.lua\n", argv[0]);
		return 2;
	}
	lport_quiet = 1;
	for (n = 1;; n++) {
		const char *msg = "";
		enum outcome out;

		lport_failnth(n);
		out = run(argv[1], &msg);
		counts[out]++;
		if (out == BAD) {
			fprintf(stderr, "memsweep: %s: failing allocation %lu: %s\n",
				argv[1], n, msg);
			failed = 1;
		}
		if (lport_nallocs() < n)	/* nothing failed: done */
			break;
	}
	lport_failnth(0);
	printf("memsweep: %s: %lu runs: %lu ok, %lu out of memory, "
	       "%lu no state, %lu bad\n", argv[1], n, counts[OK],
	       counts[MEMERR], counts[NOSTATE], counts[BAD]);
	if (counts[OK] == 0) {
		fprintf(stderr, "memsweep: %s never succeeded\n", argv[1]);
		failed = 1;
	}
	return failed;
}
