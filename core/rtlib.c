// SPDX-License-Identifier: GPL-2.0
/*
 * The "lunatik" Lua library: runtimes seen from Lua.
 *
 *	local rt = lunatik.runtime("script"[, "process"|"softirq"|"hardirq"
 *				   [, {memcap = bytes, budget = ms} | cpu]])
 *	rt:resume(...)	-- runs the function the script returned
 *	rt:stats()	-- {ctx, ready, mem, peak, memcap, calls, errors, ...}
 *	rt:stop()
 *
 *	lunatik._ENV	-- the rcu table shared by every runtime
 *	lunatik.cpu()	-- a per-CPU instance's CPU, else nil
 *
 * Values cross between states by copy (nil, booleans, integers, strings)
 * or by reference (objects of a shared class, runtimes included).
 *
 * A runtime object is shared and lasting: it may be stored in an rcu
 * table (_ENV.runtimes, the runner's) and given to another runtime, and
 * the runtime lives for as long as one of its objects does, whoever made
 * it: the last one gone (or rt:stop()) stops it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/cpumask.h>
#include <linux/preempt.h>

#include "lunatik.h"
#include "internal.h"

#define XFER_MAX	8

#define XFER_BADTYPE	"only nil, booleans, integers, strings and running " \
			"objects of a shared class cross runtimes"
#define XFER_NOTSHARED	"objects of this class cannot cross runtimes"

struct xfer_value {
	int type;
	lua_Integer i;
	char *s;
	size_t len;
	struct lunatik_object *obj;	/* LUA_TUSERDATA: a reference */
};

struct xfer {
	int n;
	struct xfer_value v[XFER_MAX];
	gfp_t gfp;
	const char *error;
};

struct rtobj {
	struct lunatik_runtime *rt;
};

static void xfer_free(struct xfer *x)
{
	int i;

	for (i = 0; i < x->n; i++) {
		kfree(x->v[i].s);
		if (x->v[i].obj)
			lunatik_putobject(x->v[i].obj);
	}
	x->n = 0;
}

/* Copies up to XFER_MAX values from @L's stack; false on a bad value. */
static bool xfer_take(struct xfer *x, lua_State *L, int from, int to)
{
	int i;

	for (i = from; i <= to && x->n < XFER_MAX; i++) {
		struct xfer_value *v = &x->v[x->n];
		const char *s;

		v->type = lua_type(L, i);
		v->s = NULL;
		v->obj = NULL;
		switch (v->type) {
		case LUA_TNIL:
			break;
		case LUA_TBOOLEAN:
			v->i = lua_toboolean(L, i);
			break;
		case LUA_TNUMBER:
			v->i = lua_tointeger(L, i);
			break;
		case LUA_TSTRING:
			s = lua_tolstring(L, i, &v->len);
			v->s = kmemdup(s, v->len, x->gfp);
			if (!v->s) {
				x->error = "not enough memory";
				return false;
			}
			break;
		case LUA_TUSERDATA:
			v->obj = lunatik_toobject(L, i);
			if (!v->obj || !lunatik_classof(v->obj)->shared) {
				x->error = v->obj ? XFER_NOTSHARED : XFER_BADTYPE;
				v->obj = NULL;
				return false;
			}
			lunatik_getobject(v->obj);
			break;
		default:
			x->error = XFER_BADTYPE;
			return false;
		}
		x->n++;
	}
	return true;
}

static void xfer_push(struct xfer *x, lua_State *L)
{
	int i;

	luaL_checkstack(L, x->n, "too many values");
	for (i = 0; i < x->n; i++) {
		struct xfer_value *v = &x->v[i];

		switch (v->type) {
		case LUA_TBOOLEAN:
			lua_pushboolean(L, v->i);
			break;
		case LUA_TNUMBER:
			lua_pushinteger(L, v->i);
			break;
		case LUA_TSTRING:
			lua_pushlstring(L, v->s, v->len);
			break;
		case LUA_TUSERDATA:
			lunatik_pushobject(L, v->obj);
			break;
		default:
			lua_pushnil(L);
			break;
		}
	}
}

/* room for a nested runtime's error, its own causes included */
#define RTLIB_ERR_MAX	1024

struct resume {
	struct xfer args;
	struct xfer results;
	char err[RTLIB_ERR_MAX];
};

/* In the target state: resume its main coroutine with the arguments. */
static int rtobj_doresume(lua_State *L, void *arg)
{
	struct resume *r = arg;
	lua_State *co;
	int status, nres;

	if (lua_getfield(L, LUA_REGISTRYINDEX, "lunatik.co") != LUA_TTHREAD) {
		lua_pop(L, 1);
		if (lua_getfield(L, LUA_REGISTRYINDEX, LUNATIK_MAIN) !=
		    LUA_TFUNCTION)
			return luaL_error(L, "the script returned no function");
		co = lua_newthread(L);
		lua_insert(L, -2);
		lua_xmove(L, co, 1);
		lua_pushvalue(L, -1);
		lua_setfield(L, LUA_REGISTRYINDEX, "lunatik.co");
	}
	co = lua_tothread(L, -1);
	if (lua_status(co) == LUA_OK && lua_gettop(co) == 0)
		return luaL_error(L, "the runtime's function has returned");
	xfer_push(&r->args, co);
	status = lua_resume(co, L, r->args.n, &nres);
	if (status != LUA_OK && status != LUA_YIELD) {
		lua_xmove(co, L, 1);
		return lua_error(L);
	}
	r->results.gfp = lport_mem_of(L)->gfp;
	if (!xfer_take(&r->results, co, lua_gettop(co) - nres + 1,
		       lua_gettop(co)))
		return luaL_error(L, "%s", r->results.error);
	lua_pop(co, nres);
	return 0;
}

static struct lunatik_runtime *rtobj_check(lua_State *L);

#define RESUME_CLASS	"lunatik.resume"

static int resume_gc(lua_State *L)
{
	struct resume *r = lua_touserdata(L, 1);

	xfer_free(&r->args);
	xfer_free(&r->results);
	return 0;
}

static int rtobj_resume(lua_State *L)
{
	struct lunatik_runtime *rt = rtobj_check(L);
	struct resume *r;
	int ret, n;

	if (rt == lunatik_toruntime(L))
		return luaL_error(L, "a runtime cannot resume itself");
	/* its lock as its context takes it: a mutex sleeps, a softirq
	 * runtime's lock is taken with bottom halves off (not in hardirq)
	 */
	if (lunatik_runtime_ctx(rt) == LUNATIK_PROCESS && !lunatik_cansleep(L))
		return luaL_error(L, "a process runtime is resumed only where the caller may sleep");
	if (lunatik_runtime_ctx(rt) == LUNATIK_SOFTIRQ &&
	    (in_hardirq() || irqs_disabled()))
		return luaL_error(L, "a softirq runtime is not resumed from a hardirq runtime");
	/* the copies live in a userdata whose __gc frees them, so that no
	 * error path below leaks them
	 */
	r = lua_newuserdatauv(L, sizeof(*r), 0);
	memset(r, 0, sizeof(*r));
	luaL_setmetatable(L, RESUME_CLASS);
	r->args.gfp = lport_mem_of(L)->gfp;
	if (!xfer_take(&r->args, L, 2, lua_gettop(L) - 1))
		return luaL_error(L, "%s", r->args.error);
	ret = lunatik_callx(rt, rtobj_doresume, r, LUNATIK_CALL_NESTED,
			    r->err, sizeof(r->err));
	xfer_free(&r->args);
	if (ret)
		return luaL_error(L, "resume failed: %s", r->err);
	n = r->results.n;
	xfer_push(&r->results, L);
	return n;
}

static void setfield(lua_State *L, const char *k, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, k);
}

static int rtobj_stats(lua_State *L)
{
	struct lunatik_runtime *rt = rtobj_check(L);

	lua_createtable(L, 0, 12);
	lua_pushstring(L, rt->name);
	lua_setfield(L, -2, "name");
	lua_pushstring(L, lunatik_ctx_name(rt->ctx));
	lua_setfield(L, -2, "ctx");
	lua_pushboolean(L, READ_ONCE(rt->ready));
	lua_setfield(L, -2, "ready");
	setfield(L, "mem", READ_ONCE(rt->mem.used));
	setfield(L, "peak", READ_ONCE(rt->mem.peak));
	setfield(L, "memcap", rt->mem.cap);
	setfield(L, "calls", READ_ONCE(rt->stats.calls));
	setfield(L, "errors", READ_ONCE(rt->stats.errors));
	setfield(L, "ns", READ_ONCE(rt->stats.ns));
	setfield(L, "budget_trips", READ_ONCE(rt->stats.budget_trips));
	setfield(L, "skipped", atomic64_read(&rt->stats.skipped));
	setfield(L, "budget_ns", rt->budget_ns);
	return 1;
}

/* the last object of the runtime gone: it stops (maybe from a workqueue) */
static void rtobj_release(struct lunatik_object *obj)
{
	struct rtobj *o = obj->private;

	if (o->rt)
		lunatik_runtime_stop_put(o->rt);
}

/* rt:stop(), from any runtime that holds it */
static void rtobj_stop(struct lunatik_object *obj)
{
	struct rtobj *o = obj->private;

	if (o->rt) {
		lunatik_get(o->rt);
		lunatik_runtime_stop_put(o->rt);
	}
}

static const luaL_Reg rtobj_methods[] = {
	{ "resume", rtobj_resume },
	{ "stats", rtobj_stats },
	{ NULL, NULL },
};

static const struct lunatik_class rtobj_class = {
	.name = "runtime",
	.methods = rtobj_methods,
	.release = rtobj_release,
	.stop = rtobj_stop,
	.contexts = LUNATIK_CTX_BIT(LUNATIK_PROCESS),
	.sleep = false,
	.shared = true,
	.lasting = true,
};

static struct lunatik_runtime *rtobj_check(lua_State *L)
{
	return lunatik_checkruntime(L, 1);
}

struct lunatik_runtime *lunatik_checkruntime(lua_State *L, int idx)
{
	struct lunatik_object *obj = lunatik_checkobject(L, idx, &rtobj_class);

	return ((struct rtobj *)obj->private)->rt;
}
EXPORT_SYMBOL(lunatik_checkruntime);

/* opts[k] * @scale, 1 to @max; 0 if absent */
static u64 opt_field(lua_State *L, int idx, const char *k, u64 scale,
		     u64 max)
{
	lua_Integer v;

	if (lua_getfield(L, idx, k) == LUA_TNIL) {
		lua_pop(L, 1);
		return 0;
	}
	v = luaL_checkinteger(L, -1);
	lua_pop(L, 1);
	if (v <= 0)
		luaL_error(L, "option %s must be positive", k);
	if ((u64)v > max / scale)
		luaL_error(L, "option %s must be at most %I", k,
			   (lua_Integer)(max / scale));
	return (u64)v * scale;
}

static int lunatik_runtime_lua(lua_State *L)
{
	size_t len;
	const char *script = luaL_checklstring(L, 1, &len);
	const char *ctxname = luaL_optstring(L, 2, "process");
	struct lunatik_runtime *parent = lunatik_toruntime(L);
	struct lunatik_opts opts = { };
	struct lunatik_object *obj;
	struct lunatik_runtime *rt;
	enum lunatik_ctx ctx;
	char *err;

	if (strlen(script) != len)
		return luaL_argerror(L, 1, "invalid script name");
	if (lunatik_ctx_parse(ctxname, &ctx))
		return luaL_argerror(L, 2, "process, softirq or hardirq");
	if (lua_isinteger(L, 3)) {
		lua_Integer cpu = lua_tointeger(L, 3);

		luaL_argcheck(L, cpu >= 0 && cpu < nr_cpu_ids &&
			      cpu_possible(cpu), 3, "not a possible CPU id");
		opts.instance = true;
		opts.cpu = cpu;
	} else if (!lua_isnoneornil(L, 3)) {
		luaL_argexpected(L, lua_istable(L, 3), 3,
				 "table of options or CPU id");
		opts.memcap = opt_field(L, 3, "memcap", 1, SIZE_MAX);
		opts.budget_ns = opt_field(L, 3, "budget", NSEC_PER_MSEC,
					   LUNATIK_BUDGET_MAX_NS);
	}
	if (!lport_mem_of(L)->can_sleep)
		return luaL_error(L, "runtimes are created in process context");
	/* each level runs its chunk on this stack, and nests the locks */
	opts.depth = parent ? parent->depth + 1 : 0;
	if (opts.depth > LUNATIK_NEST_MAX)
		return luaL_error(L, "lunatik.runtime: nested too deep (at most %d levels)",
				  LUNATIK_NEST_MAX);
	opts.object = true;
	obj = lunatik_newobject(L, &rtobj_class, sizeof(struct rtobj));
	err = lua_newuserdatauv(L, RTLIB_ERR_MAX, 0);
	rt = lunatik_runtime_new(script, ctx, &opts, err, RTLIB_ERR_MAX);
	if (IS_ERR(rt))
		return luaL_error(L, "%s", err);
	((struct rtobj *)obj->private)->rt = rt;
	lua_pop(L, 1);
	return 1;
}

/* lunatik.cpu(): the CPU a per-CPU runtime serves; nil elsewhere */
static int lunatik_cpu_lua(lua_State *L)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);

	if (!rt || lunatik_runtime_cpu(rt) < 0)
		lua_pushnil(L);
	else
		lua_pushinteger(L, lunatik_runtime_cpu(rt));
	return 1;
}

static const luaL_Reg lunatik_funcs[] = {
	{ "runtime", lunatik_runtime_lua },
	{ "cpu", lunatik_cpu_lua },
	{ NULL, NULL },
};

/*
 * lunatik._ENV, the table every runtime shares, comes from the binding
 * that provides LUNATIK_ENV_SERVICE, which stores it in the registry when
 * it opens.  It is
 * required on first access, so that states that never use _ENV never load
 * that binding, and cached in the lunatik table.  Loading a module may
 * sleep: the first access of an interrupt-context runtime must come from
 * its top-level chunk (or the binding be required there).
 */
static int lunatik_index(lua_State *L)
{
	if (lua_type(L, 2) != LUA_TSTRING || strcmp(lua_tostring(L, 2), "_ENV"))
		return 0;
	if (lua_getfield(L, LUA_REGISTRYINDEX, LUNATIK_ENV) == LUA_TNIL) {
		lua_pop(L, 1);
		if (!lport_mem_of(L)->can_sleep)
			return luaL_error(L, "lunatik._ENV: first used where the "
					  "runtime cannot sleep; use it in the "
					  "top-level chunk");
		lunatik_require_provider(L, LUNATIK_ENV_SERVICE);
		if (lua_getfield(L, LUA_REGISTRYINDEX, LUNATIK_ENV) == LUA_TNIL)
			return luaL_error(L, "lunatik._ENV: its binding did not set it");
	}
	lua_pushvalue(L, 2);
	lua_pushvalue(L, -2);
	lua_rawset(L, 1);
	return 1;
}

static const luaL_Reg resume_metamethods[] = {
	{ "__gc", resume_gc },
	{ NULL, NULL }
};

int lunatik_open_lunatik(lua_State *L)
{
	lunatik_newclass(L, &rtobj_class);
	lunatik_newmetatable(L, RESUME_CLASS, NULL, resume_metamethods, NULL);
	luaL_newlib(L, lunatik_funcs);
	lua_pushliteral(L, LUNATIK_VERSION);
	lua_setfield(L, -2, "_VERSION");

	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, lunatik_index);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	return 1;
}
