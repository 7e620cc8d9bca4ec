/*
 * luanew: the user-space twin of a lunatik runtime's creation, with
 * Debian's liblua5.4 (linked statically so it runs in the test VM as is).
 *
 *   luanew mem       bytes Lua holds after luaL_newstate + luaL_openlibs
 *                    (no collection, like a runtime just created)
 *   luanew time K    ns for K x (luaL_newstate + luaL_openlibs + lua_close)
 *   luanew idle K    K states alive at once: bytes Lua holds in total and
 *                    the process's RSS growth in KiB, then closes them
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

static long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static lua_State *newstate(void)
{
	lua_State *L = luaL_newstate();

	if (!L)
		exit(1);
	luaL_openlibs(L);
	return L;
}

static long mem(lua_State *L)
{
	return lua_gc(L, LUA_GCCOUNT) * 1024L + lua_gc(L, LUA_GCCOUNTB);
}

static long rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

int main(int argc, char **argv)
{
	int k = argc > 2 ? atoi(argv[2]) : 100, i;
	lua_State *L, **all;
	long long t0;
	long bytes = 0, rss0;

	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "mem")) {
		L = newstate();
		printf("%ld\n", mem(L));
		lua_close(L);
	} else if (!strcmp(argv[1], "time")) {
		t0 = now();
		for (i = 0; i < k; i++)
			lua_close(newstate());
		printf("%lld\n", now() - t0);
	} else if (!strcmp(argv[1], "idle")) {
		all = calloc(k, sizeof(*all));
		rss0 = rss_kb();
		for (i = 0; i < k; i++) {
			all[i] = newstate();
			bytes += mem(all[i]);
		}
		printf("%ld %ld\n", bytes, rss_kb() - rss0);
		for (i = 0; i < k; i++)
			lua_close(all[i]);
	} else {
		goto usage;
	}
	return 0;
usage:
	fprintf(stderr, "usage: luanew mem | time K | idle K\n");
	return 2;
}
