// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * hlua.c - lunatik's Lua in user space, for tests.
 *
 *	lua [-m BYTES] [-s BYTES] [-S] [-b MS [-F]] script.lua [args...]
 *
 * Runs the script with the kernel's libraries and semantics (lport.h).
 * package.path points at $LUNATIK_LUA_PATH if set.  Errors go to stderr
 * with a traceback and the exit status is 1; a state that does not return
 * every byte on lua_close() is an error too.  -m caps the state's memory;
 * -s sets how much C stack Lua may use below the entry into the state
 * (struct lport_mem stack_limit; default LPORT_HOSTED_STACK, 0: no limit);
 * -S runs the script on a painted stack and reports to stderr how many
 * bytes of C stack it used below that entry.  -b gives the script a
 * budget of MS milliseconds, as the kernel's runtimes do; -F stops the
 * clock first (the budget must still run out).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lport.h"
#include "lauxlib.h"

extern int hlibc_clock_frozen;

struct job {
	const char *script;
	char **args;
	int nargs;
	size_t cap;
	size_t stack_budget;
	unsigned long budget_ms;
	int status;
	const unsigned char *stack;	/* painted stack, or NULL */
	size_t stack_used;
};

static int msghandler(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);

	if (!msg)
		msg = lua_pushfstring(L, "(error object is a %s value)",
				      luaL_typename(L, 1));
	luaL_traceback(L, L, msg, 1);
	return 1;
}

static void set_path(lua_State *L)
{
	const char *dir = getenv("LUNATIK_LUA_PATH");

	if (!dir)
		return;
	lua_getglobal(L, "package");
	lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", dir, dir);
	lua_setfield(L, -2, "path");
	lua_pop(L, 1);
}

/* protected: arg table, load, run */
static int pmain(lua_State *L)
{
	struct job *job = lua_touserdata(L, 1);
	int i;

	set_path(L);
	lua_createtable(L, job->nargs, 1);
	lua_pushstring(L, job->script);
	lua_rawseti(L, -2, 0);
	for (i = 0; i < job->nargs; i++) {
		lua_pushstring(L, job->args[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setglobal(L, "arg");
	lua_pushcfunction(L, msghandler);
	if (luaL_loadfile(L, job->script) != LUA_OK)
		return lua_error(L);
	for (i = 0; i < job->nargs; i++)
		lua_pushstring(L, job->args[i]);
	if (lua_pcall(L, job->nargs, 0, 2) != LUA_OK)
		return lua_error(L);
	return 0;
}

#define STACK_SIZE	(1 << 20)
#define STACK_PAINT	0xa5

/* bytes of painted stack used below @top */
static size_t stack_used(const unsigned char *stack, const void *top)
{
	const unsigned char *p = stack;

	while (p < (const unsigned char *)top && *p == STACK_PAINT)
		p++;
	return (const unsigned char *)top - p;
}

static void *run(void *arg)
{
	struct job *job = arg;
	size_t budget = job->stack_budget ? job->stack_budget : 1 << 20;
	struct lport_mem mem = {
		.cap = job->cap,
		.can_sleep = true,
		.stack_limit = lport_stack_limit_here(budget),
	};
	const void *entry = (const void *)(mem.stack_limit + budget);
	lua_State *L;

	if (!job->stack_budget)
		mem.stack_limit = 1;	/* no stack pointer comes near it */
	L = lport_newstate(&mem);

	job->status = 1;
	if (!L) {
		fprintf(stderr, "lua: cannot create state: not enough memory\n");
		return NULL;
	}
	if (lport_openlibs(L) == LUA_OK) {
		lua_pushcfunction(L, pmain);
		lua_pushlightuserdata(L, job);
		if (job->budget_ms)
			lport_budget_arm(&mem, job->budget_ms * 1000000ULL,
					 lport_clock_ns());
		if (lua_pcall(L, 1, 0, 0) == LUA_OK)
			job->status = 0;
	}
	if (job->stack)
		job->stack_used = stack_used(job->stack, entry);
	if (job->status)
		fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
	fflush(stdout);
	lua_close(L);
	if (mem.used) {
		fprintf(stderr, "lua: %zu bytes not freed by lua_close\n",
			mem.used);
		job->status = 1;
	}
	return NULL;
}

/* run @job on a painted stack; return how much of it Lua used */
static size_t run_measured(struct job *job)
{
	unsigned char *stack;
	pthread_attr_t attr;
	pthread_t thread;

	stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (stack == MAP_FAILED)
		return 0;
	memset(stack, STACK_PAINT, STACK_SIZE);
	job->stack = stack;
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, stack, STACK_SIZE);
	if (pthread_create(&thread, &attr, run, job) == 0)
		pthread_join(thread, NULL);
	munmap(stack, STACK_SIZE);
	return job->stack_used;
}

int main(int argc, char **argv)
{
	struct job job = { .stack_budget = LPORT_HOSTED_STACK };
	int measure = 0;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-m") && i + 1 < argc)
			job.cap = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			job.stack_budget = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-S"))
			measure = 1;
		else if (!strcmp(argv[i], "-b") && i + 1 < argc)
			job.budget_ms = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-F"))
			hlibc_clock_frozen = 1;
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr,
			"usage: %s [-m BYTES] [-s BYTES] [-S] [-b MS [-F]] script [args]\n",
			argv[0]);
		return 2;
	}
	job.script = argv[i];
	job.args = argv + i + 1;
	job.nargs = argc - i - 1;
	if (measure)
		fprintf(stderr, "stack: %zu\n", run_measured(&job));
	else
		run(&job);
	return job.status;
}
