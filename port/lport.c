// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * lport.c - creating lunatik's Lua states and opening their libraries.
 *
 * Shared by the kernel and the hosted build.  Restrictions are applied on
 * the library tables after Lua opens them, so the library sources stay
 * untouched: what a script cannot name, it cannot call.
 */
#include "lport.h"
#include "lauxlib.h"
#include "lualib.h"
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif
#include "lstate.h"
#include "ldebug.h"
#include "ldo.h"
#include "lgc.h"

/*
 * The C stack check (lportconf.h, patch 0009).
 *
 * Lua checks the stack pointer at each call through luaD_call, resumed
 * coroutine, parser entry and level, and matcher recursion.  Between two
 * checks runs an unchecked stretch of at most ~1.3 KiB (kernel build, gcc
 * 12, -fstack-usage): luaV_execute 152 + luaD_precall 72 + str_gsub 1000
 * (MatchState with 32 captures, luaL_Buffer of 256) before match or the
 * callback's call checks; luaL_loadfilex 616 + lua_load 88 +
 * luaD_protectedparser 128 + luaD_pcall 80 + luaD_rawrunprotected 128 before
 * f_parser checks.  Raising costs ~0.7 KiB more: luaG_runerror 200 +
 * luaG_addinfo 112 + luaO_pushvfstring 304 + the string's allocation
 * (luaS_newlstr, luaM_malloc_, lport_alloc: 48 each) and kmalloc below.
 *
 *   floor + MARGIN          a check below raises "C stack overflow" (or
 *                           "pattern too complex") and marks the thread as
 *                           handling it; while marked, checks down to
 *                           floor + MARGIN - SLACK pass, so that a message
 *                           handler runs
 *   floor + MARGIN - SLACK  below this, a marked thread's checks throw
 *                           "error in error handling" without calling
 *                           anything: a handler that recurses, or errors
 *                           again, ends here
 *   floor                   3 KiB are left below the last passing check,
 *                           for the unchecked stretch (1.3 KiB), the error
 *                           path (0.7 KiB) and kmalloc under them (1 KiB or
 *                           more), or for kmalloc with direct reclaim (1.7
 *                           KiB) after an ordinary stretch; exceptions and
 *                           interrupt entry take this stack too
 *
 * The mark lives in L->nCcalls above the call counts: luaD_rawrunprotected
 * restores nCcalls when it catches the error, which clears it.
 */
#define LPORT_STACK_SLACK	1024
#define LPORT_STACK_ERR		0x80000000u

#ifdef __KERNEL__
/* the bottom of the current task's stack, for states entered with limit 0 */
static unsigned long stack_floor(unsigned long sp)
{
	unsigned long base = (unsigned long)task_stack_page(current);

	if (unlikely(sp - base >= THREAD_SIZE)) {
		/* entered off the task stack without a limit: refuse to run */
		pr_err_once("lunatik: Lua called off the task stack without a stack limit\n");
		return sp;
	}
	return base;
}

static inline unsigned long stack_pointer(void)
{
	return current_stack_pointer;
}
#else
unsigned long lport_hosted_stack_floor(void);	/* hosted/hlibc.c */

static unsigned long stack_floor(unsigned long sp)
{
	(void)sp;
	return lport_hosted_stack_floor();
}

static inline unsigned long stack_pointer(void)
{
	return (unsigned long)__builtin_frame_address(0);
}
#endif

static __attribute__((__noinline__, __cold__))
void stack_overflow(lua_State *L, const char *msg, unsigned long sp,
		    unsigned long floor)
{
	if (!(L->nCcalls & LPORT_STACK_ERR)) {
		L->nCcalls |= LPORT_STACK_ERR;
		luaG_runerror(L, "%s", msg);
	} else if (sp < floor + LPORT_STACK_MARGIN - LPORT_STACK_SLACK) {
		luaD_throw(L, LUA_ERRERR);	/* "error in error handling" */
	}
	/* else: the handler of that error, within the slack */
}

void lport_stackcheck(lua_State *L, const char *msg)
{
	unsigned long sp = stack_pointer();
	unsigned long floor = ((struct lport_mem *)G(L)->ud)->stack_limit;

	if (!floor)
		floor = stack_floor(sp);
	if (__builtin_expect(sp < floor + LPORT_STACK_MARGIN, 0))
		stack_overflow(L, msg, sp, floor);
}

/* print(...): one line per call, so that the kernel logs it as one record */
static int lport_print(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_Buffer b;
	int i;

	luaL_buffinit(L, &b);
	for (i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_addchar(&b, '\n');
	luaL_pushresult(&b);
	lua_writestring(lua_tostring(L, -1), luaL_len(L, -1));
	return 0;
}

/* math: the integer part of Lua's library */
static int math_abs(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1);

	lua_pushinteger(L, n < 0 ? (lua_Integer)(0u - (lua_Unsigned)n) : n);
	return 1;
}

static int math_tointeger(lua_State *L)
{
	int valid;
	lua_Integer n = lua_tointegerx(L, 1, &valid);

	if (valid) {
		lua_pushinteger(L, n);
	} else {
		luaL_checkany(L, 1);
		luaL_pushfail(L);
	}
	return 1;
}

static int math_ult(lua_State *L)
{
	lua_Integer a = luaL_checkinteger(L, 1);
	lua_Integer b = luaL_checkinteger(L, 2);

	lua_pushboolean(L, (lua_Unsigned)a < (lua_Unsigned)b);
	return 1;
}

/* min and max: @sign is 1 for max, -1 for min */
static int math_extreme(lua_State *L, int sign)
{
	int n = lua_gettop(L);
	lua_Integer best = luaL_checkinteger(L, 1);
	int i;

	for (i = 2; i <= n; i++) {
		lua_Integer v = luaL_checkinteger(L, i);

		if (sign > 0 ? v > best : v < best)
			best = v;
	}
	lua_pushinteger(L, best);
	return 1;
}

static int math_max(lua_State *L)
{
	return math_extreme(L, 1);
}

static int math_min(lua_State *L)
{
	return math_extreme(L, -1);
}

static int math_type(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TNUMBER) {
		lua_pushliteral(L, "integer");
	} else {
		luaL_checkany(L, 1);
		luaL_pushfail(L);
	}
	return 1;
}

/*
 * string.char(...): the library's builds the string in a luaL_Buffer, and
 * the kernel zeroes every automatic variable (CONFIG_INIT_STACK_ALL_ZERO):
 * its 256 bytes on each call, however short the string.  Short strings
 * (the common case: string.char(c)) are built in a small array instead.
 */
#define LPORT_CHAR_SMALL	16

static char char_arg(lua_State *L, int i)
{
	lua_Unsigned c = (lua_Unsigned)luaL_checkinteger(L, i);

	luaL_argcheck(L, c <= (lua_Unsigned)UCHAR_MAX, i, "value out of range");
	return (char)c;
}

static __attribute__((__noinline__)) int str_char_long(lua_State *L, int n)
{
	luaL_Buffer b;
	char *p = luaL_buffinitsize(L, &b, n);
	int i;

	for (i = 1; i <= n; i++)
		p[i - 1] = char_arg(L, i);
	luaL_pushresultsize(&b, n);
	return 1;
}

static int lport_str_char(lua_State *L)
{
	char s[LPORT_CHAR_SMALL];
	int n = lua_gettop(L);
	int i;

	if (n > LPORT_CHAR_SMALL)
		return str_char_long(L, n);
	for (i = 1; i <= n; i++)
		s[i - 1] = char_arg(L, i);
	lua_pushlstring(L, s, n);
	return 1;
}

static const luaL_Reg math_funcs[] = {
	{ "abs", math_abs },
	{ "tointeger", math_tointeger },
	{ "ult", math_ult },
	{ "max", math_max },
	{ "min", math_min },
	{ "type", math_type },
	{ NULL, NULL }
};

static int lport_openmath(lua_State *L)
{
	luaL_newlib(L, math_funcs);
	lua_pushinteger(L, LUA_MAXINTEGER);
	lua_setfield(L, -2, "maxinteger");
	lua_pushinteger(L, LUA_MININTEGER);
	lua_setfield(L, -2, "mininteger");
	return 1;
}

/*
 * debug: the part scripts use to report errors, traceback and getinfo.
 * Nothing that reaches the registry, locals, upvalues, hooks or
 * metatables; and getinfo's "f" gives Lua functions only, never the C
 * function of a frame (a binding's entry, which trusts its arguments).
 */
static lua_State *dbg_thread(lua_State *L, int *arg)
{
	if (lua_type(L, 1) == LUA_TTHREAD) {
		*arg = 1;
		return lua_tothread(L, 1);
	}
	*arg = 0;
	return L;
}

/* traceback([thread,] [message [, level]]) */
static int dbg_traceback(lua_State *L)
{
	int arg;
	lua_State *L1 = dbg_thread(L, &arg);
	const char *msg = lua_tostring(L, arg + 1);
	int level;

	if (!msg && !lua_isnoneornil(L, arg + 1)) {
		lua_pushvalue(L, arg + 1);	/* not a string: as it is */
		return 1;
	}
	level = (int)luaL_optinteger(L, arg + 2, L == L1 ? 1 : 0);
	luaL_traceback(L, L1, msg, level);
	return 1;
}

static void dbg_setstr(lua_State *L, const char *k, const char *v)
{
	lua_pushstring(L, v);
	lua_setfield(L, -2, k);
}

static void dbg_setint(lua_State *L, const char *k, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, k);
}

static void dbg_setbool(lua_State *L, const char *k, int v)
{
	lua_pushboolean(L, v);
	lua_setfield(L, -2, k);
}

#define DBG_OPTIONS	"SlnrutfL"

/* getinfo([thread,] f | level [, what]) */
static int dbg_getinfo(lua_State *L)
{
	lua_Debug ar;
	int arg;
	lua_State *L1 = dbg_thread(L, &arg);
	const char *opts = luaL_optstring(L, arg + 2, "flnSrtu");
	char what[sizeof(DBG_OPTIONS) + 2];
	size_t n = 0;
	const char *o;
	int isfunc = lua_isfunction(L, arg + 1);
	int pushed;

	for (o = opts; *o; o++) {
		if (!strchr(DBG_OPTIONS, *o) || n == sizeof(DBG_OPTIONS) - 1)
			return luaL_argerror(L, arg + 2, "invalid option");
		if (!memchr(what + 1, *o, n))
			what[1 + n++] = *o;
	}
	what[0] = '>';
	what[1 + n] = '\0';
	if (!lua_checkstack(L1, 3) || !lua_checkstack(L, 3))
		return luaL_error(L, "stack overflow");
	if (isfunc) {
		lua_pushvalue(L, arg + 1);
		lua_xmove(L, L1, 1);
	} else if (!lua_getstack(L1, (int)luaL_checkinteger(L, arg + 1),
				 &ar)) {
		luaL_pushfail(L);	/* no such level */
		return 1;
	}
	if (!lua_getinfo(L1, isfunc ? what : what + 1, &ar))
		return luaL_argerror(L, arg + 2, "invalid option");
	pushed = !!strchr(what, 'f') + !!strchr(what, 'L');
	lua_xmove(L1, L, pushed);	/* the function ("f"), the lines ("L") */
	lua_newtable(L);
	lua_insert(L, -1 - pushed);
	if (strchr(what, 'L'))
		lua_setfield(L, -1 - pushed--, "activelines");
	if (strchr(what, 'f')) {
		if (lua_iscfunction(L, -1))
			lua_pop(L, 1);
		else
			lua_setfield(L, -2, "func");
	}
	if (strchr(what, 'S')) {
		lua_pushlstring(L, ar.source, ar.srclen);
		lua_setfield(L, -2, "source");
		dbg_setstr(L, "short_src", ar.short_src);
		dbg_setint(L, "linedefined", ar.linedefined);
		dbg_setint(L, "lastlinedefined", ar.lastlinedefined);
		dbg_setstr(L, "what", ar.what);
	}
	if (strchr(what, 'l'))
		dbg_setint(L, "currentline", ar.currentline);
	if (strchr(what, 'u')) {
		dbg_setint(L, "nups", ar.nups);
		dbg_setint(L, "nparams", ar.nparams);
		dbg_setbool(L, "isvararg", ar.isvararg);
	}
	if (strchr(what, 'n')) {
		dbg_setstr(L, "name", ar.name);
		dbg_setstr(L, "namewhat", ar.namewhat);
	}
	if (strchr(what, 'r')) {
		dbg_setint(L, "ftransfer", ar.ftransfer);
		dbg_setint(L, "ntransfer", ar.ntransfer);
	}
	if (strchr(what, 't'))
		dbg_setbool(L, "istailcall", ar.istailcall);
	return 1;
}

static const luaL_Reg debug_funcs[] = {
	{ "traceback", dbg_traceback },
	{ "getinfo", dbg_getinfo },
	{ NULL, NULL }
};

static int lport_opendebug(lua_State *L)
{
	luaL_newlib(L, debug_funcs);
	return 1;
}

static const luaL_Reg lport_libs[] = {
	{ LUA_GNAME, luaopen_base },
	{ LUA_LOADLIBNAME, luaopen_package },
	{ LUA_COLIBNAME, luaopen_coroutine },
	{ LUA_TABLIBNAME, luaopen_table },
	{ LUA_IOLIBNAME, luaopen_io },
	{ LUA_STRLIBNAME, luaopen_string },
	{ LUA_MATHLIBNAME, lport_openmath },
	{ LUA_UTF8LIBNAME, luaopen_utf8 },
	{ LUA_DBLIBNAME, lport_opendebug },
	{ NULL, NULL }
};

/* set the fields @names of the table on top of the stack to nil */
static void unset(lua_State *L, const char *const names[])
{
	for (; *names; names++) {
		lua_pushnil(L);
		lua_setfield(L, -2, *names);
	}
}

static const char *const io_removed[] = {
	"popen", "tmpfile", "read", "write", "input", "output",
	"stdin", "stdout", "stderr", NULL
};

static void restrict_package(lua_State *L)
{
	static const char *const removed[] = { "loadlib", NULL };

	lua_getglobal(L, LUA_LOADLIBNAME);
	unset(L, removed);
	lua_pushliteral(L, "");
	lua_setfield(L, -2, "cpath");
	/* keep the preload and Lua searchers; drop the two C searchers */
	lua_getfield(L, -1, "searchers");
	lua_pushnil(L);
	lua_rawseti(L, -2, 4);
	lua_pushnil(L);
	lua_rawseti(L, -2, 3);
	lua_pop(L, 2);
}

static int openlibs(lua_State *L)
{
	const luaL_Reg *lib;

	/* package.path from LUA_PATH_DEFAULT only, never the environment */
	lua_pushboolean(L, 1);
	lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
	for (lib = lport_libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	lua_pushcfunction(L, lport_print);
	lua_setglobal(L, "print");
	lua_getglobal(L, LUA_IOLIBNAME);
	unset(L, io_removed);
	lua_pop(L, 1);
	lua_getglobal(L, LUA_STRLIBNAME);
	lua_pushcfunction(L, lport_str_char);
	lua_setfield(L, -2, "char");
	lua_pop(L, 1);
	restrict_package(L);
	return 0;
}

int lport_openlibs(lua_State *L)
{
	lua_pushcfunction(L, openlibs);
	return lua_pcall(L, 0, 0, 0);
}

/*
 * Reached only by an error outside any lua_pcall(): a bug in the caller.
 * Log it; Lua then calls abort() (lport_abort(), see klibc.c).
 */
static int lport_panic(lua_State *L)
{
	const char *msg = lua_tostring(L, -1);

	lua_writestringerror("lunatik: unprotected error in Lua: %s\n",
			     msg ? msg : "(error object is not a string)");
	return 0;
}

lua_State *lport_newstate(struct lport_mem *mem)
{
	lua_State *L = lua_newstate(lport_alloc, mem);

	if (L)
		lua_atpanic(L, lport_panic);
	return L;
}

struct pcall {
	int (*fn)(lua_State *L, void *arg);
	void *arg;
	int *ret;
};

static void pcall_body(lua_State *L, void *ud)
{
	struct pcall *p = ud;

	*p->ret = p->fn(L, p->arg);
}

/* lua_checkstack(L, LUA_MINSTACK), without a call when it has nothing to do */
static inline int pcall_checkstack(lua_State *L)
{
	if (luai_likely(L->stack_last - L->top > LUA_MINSTACK &&
		   L->ci->top >= L->top + LUA_MINSTACK))
		return 1;
	return lua_checkstack(L, LUA_MINSTACK);
}

int lport_pcall(lua_State *L, int (*fn)(lua_State *L, void *arg), void *arg,
		int *ret)
{
	struct pcall p = { .fn = fn, .arg = arg, .ret = ret };
	ptrdiff_t top = savestack(L, L->top);
	int status;

	if (!pcall_checkstack(L)) {
		/* preallocated: EXTRA_STACK always has room for it */
		setsvalue2s(L, L->top, G(L)->memerrmsg);
		L->top++;
		return LUA_ERRMEM;
	}
	status = luaD_pcall(L, pcall_body, &p, top, 0);
	/* what @fn left: lua_settop() closes any to-be-closed slot in it */
	if (status == LUA_OK && L->top != restorestack(L, top))
		lua_settop(L, (int)(restorestack(L, top) - (L->ci->func + 1)));
	return status;
}

struct lport_mem *lport_mem_of(lua_State *L)
{
	void *ud;

	lua_getallocf(L, &ud);
	return ud;
}
