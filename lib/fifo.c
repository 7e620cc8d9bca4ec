// SPDX-License-Identifier: GPL-2.0
/*
 * fifo: byte queues (kfifo) for producers and consumers in any context,
 * shareable between runtimes.
 *
 *	local f = fifo.new(size)	-- capacity: size rounded up to a power of 2
 *	f:push(s)			-- all of s, or raises "not enough space"
 *	local s, n = f:pop(max)		-- up to max bytes; "" and 0 when empty
 *	f:close()			-- frees the buffer; later calls raise
 *
 * Every access takes the object's lock (a spinlock with interrupts off)
 * and checks under it that the fifo was not closed meanwhile by another
 * holder; Lua errors are raised once the lock is dropped.
 */
#include <linux/module.h>
#include <linux/kfifo.h>
#include <linux/slab.h>

#include "lunatik.h"

/* kfifo_alloc() rounds up to a power of two, kmalloc()ed */
#define FIFO_MAX	(KMALLOC_MAX_SIZE)

static const struct lunatik_class fifo_class;

static int fifo_closed(lua_State *L)
{
	return luaL_error(L, "fifo: closed");
}

/* f:push(s) */
static int fifo_push(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &fifo_class);
	struct kfifo *fifo = lunatik_private(obj);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	bool stopped, fits;

	lunatik_lock(obj);
	stopped = lunatik_stopped(obj);
	fits = !stopped && len <= kfifo_avail(fifo);
	if (fits)
		kfifo_in(fifo, s, len);
	lunatik_unlock(obj);
	if (stopped)
		return fifo_closed(L);
	if (!fits)
		return luaL_error(L, "fifo: not enough space (%I bytes)",
				  (lua_Integer)len);
	return 0;
}

/* f:pop(max) -> s, #s: up to @max bytes (a @max over the size reads all) */
static int fifo_pop(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &fifo_class);
	struct kfifo *fifo = lunatik_private(obj);
	lua_Integer max = luaL_checkinteger(L, 2);
	unsigned int n = 0;
	bool stopped;
	luaL_Buffer b;
	char *buf;

	luaL_argcheck(L, max >= 0, 2, "negative size");
	max = min_t(lua_Integer, max, kfifo_size(fifo));
	/* the buffer before the lock: it may allocate, and raise */
	buf = luaL_buffinitsize(L, &b, max);
	lunatik_lock(obj);
	stopped = lunatik_stopped(obj);
	if (!stopped)
		n = kfifo_out(fifo, buf, max);
	lunatik_unlock(obj);
	if (stopped)
		return fifo_closed(L);
	luaL_pushresultsize(&b, n);
	lua_pushinteger(L, n);
	return 2;
}

/* f:close(): what f:stop() does; closing twice is harmless */
static int fifo_close(lua_State *L)
{
	struct lunatik_object *obj;

	luaL_checkudata(L, 1, fifo_class.name);
	obj = lunatik_testobject(L, 1, &fifo_class);
	if (obj)
		lunatik_stopobject(obj);
	return 0;
}

/*
 * Runs once, after the object was marked stopped under its lock: no
 * access reaches the buffer any more, so free it now rather than with
 * the last holder.
 */
static void fifo_stop(struct lunatik_object *obj)
{
	kfifo_free((struct kfifo *)lunatik_private(obj));
}

static const luaL_Reg fifo_methods[] = {
	{ "push", fifo_push },
	{ "pop", fifo_pop },
	{ "close", fifo_close },
	{ NULL, NULL }
};

static const struct lunatik_class fifo_class = {
	.name = "fifo",
	.owner = THIS_MODULE,
	.methods = fifo_methods,
	.stop = fifo_stop,
	.contexts = LUNATIK_CTX_ANY,
	.shared = true,
};

/* fifo.new(size) */
static int fifo_new(lua_State *L)
{
	lua_Integer size = luaL_checkinteger(L, 1);
	struct lunatik_object *obj;
	int ret;

	luaL_argcheck(L, size >= 2 && size <= FIFO_MAX, 1,
		      "size out of range (2 to KMALLOC_MAX_SIZE)");
	obj = lunatik_newobject(L, &fifo_class, sizeof(struct kfifo));
	/* kfifo_alloc() rounds the size up; the object's release uncharges */
	if (lunatik_charge(obj, roundup_pow_of_two(size)))
		return luaL_error(L, "fifo: not enough memory");
	ret = kfifo_alloc((struct kfifo *)lunatik_private(obj), size,
			  lunatik_gfp(L) | __GFP_NOWARN);
	if (ret)
		return luaL_error(L, "fifo: not enough memory");
	return 1;
}

static const luaL_Reg fifo_funcs[] = {
	{ "new", fifo_new },
	{ NULL, NULL }
};

static int luaopen_fifo(lua_State *L)
{
	lunatik_newclass(L, &fifo_class);
	luaL_newlib(L, fifo_funcs);
	return 1;
}

LUNATIK_LIB(fifo, luaopen_fifo);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the fifo library");
