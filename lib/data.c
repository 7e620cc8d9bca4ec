// SPDX-License-Identifier: GPL-2.0
/*
 * data: fixed-size byte buffers that scripts read and write at offsets
 * (0-based, host byte order), shareable between runtimes.  Every access
 * takes the object's lock and checks its bounds under it, since another
 * runtime may resize the buffer meanwhile: the accessors are the core's
 * byte view (core/view.c), over data_acquire(), which raises only once
 * the lock is dropped.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "lunatik.h"

/* kmalloc() only: the buffer is freed wherever the last reference goes. */
#define DATA_MAX	KMALLOC_MAX_SIZE

struct data {
	u8 *ptr;
	size_t size;
};

static const struct lunatik_class data_class;

static u8 *data_alloc(lua_State *L, struct lunatik_object *obj,
		      lua_Integer size)
{
	u8 *ptr;

	if (lunatik_charge(obj, size))
		luaL_error(L, "not enough memory");
	ptr = kzalloc(size, lunatik_gfp(L) | __GFP_NOWARN);
	if (!ptr) {
		lunatik_uncharge(obj, size);
		luaL_error(L, "not enough memory");
	}
	return ptr;
}

/* the view's bytes, under the object's lock */
static u8 *data_acquire(lua_State *L, int idx, size_t *size, bool write,
			void **ctx)
{
	struct lunatik_object *obj = lunatik_checkobject(L, idx, &data_class);
	struct data *d = lunatik_private(obj);

	lunatik_lock(obj);
	*ctx = obj;
	*size = d->size;
	return d->ptr;
}

static void data_unlock(void *ctx)
{
	lunatik_unlock(ctx);
}

static const struct lunatik_view data_view = {
	.name = "data",
	.tname = "data",	/* data_class.name */
	.acquire = data_acquire,
	.release = data_unlock,
};

static int data_resize(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &data_class);
	struct data *d = lunatik_private(obj);
	lua_Integer size = luaL_checkinteger(L, 2);
	size_t oldsize;
	u8 *ptr, *old;

	luaL_argcheck(L, size >= 0 && size <= DATA_MAX, 2, "invalid size");
	ptr = data_alloc(L, obj, size);
	lunatik_lock(obj);
	memcpy(ptr, d->ptr, min_t(size_t, d->size, size));
	old = d->ptr;
	oldsize = d->size;
	d->ptr = ptr;
	d->size = size;
	lunatik_unlock(obj);
	kfree(old);
	lunatik_uncharge(obj, oldsize);
	return 0;
}

static void data_release(struct lunatik_object *obj)
{
	struct data *d = lunatik_private(obj);

	kfree(d->ptr);
}

static const luaL_Reg data_methods[] = {
	{ "resize", data_resize },
	{ NULL, NULL }
};

/*
 * tostring(d): its bytes; a stopped buffer names itself.  The Lua buffer
 * is made with the lock dropped (it may raise); if another runtime
 * resized the data meanwhile, again with the new size.
 */
static int data_tostring(lua_State *L)
{
	struct lunatik_object *obj = lunatik_testobject(L, 1, &data_class);
	struct data *d;
	int top = lua_gettop(L);

	if (!obj) {
		lua_pushfstring(L, "data: %p (stopped)", lua_touserdata(L, 1));
		return 1;
	}
	d = lunatik_private(obj);
	for (;;) {
		luaL_Buffer b;
		size_t size;
		char *p;

		lunatik_lock(obj);
		size = d->size;
		lunatik_unlock(obj);
		p = luaL_buffinitsize(L, &b, size);
		lunatik_lock(obj);
		if (d->size == size) {
			memcpy(p, d->ptr, size);
			lunatik_unlock(obj);
			luaL_pushresultsize(&b, size);
			return 1;
		}
		lunatik_unlock(obj);
		lua_settop(L, top);
	}
}

static const luaL_Reg data_metamethods[] = {
	{ "__tostring", data_tostring },
	{ NULL, NULL }
};

static const struct lunatik_class data_class = {
	.name = "data",
	.owner = THIS_MODULE,
	.methods = data_methods,
	.metamethods = data_metamethods,
	.view = &data_view,
	.release = data_release,
	.contexts = LUNATIK_CTX_ANY,
	.sleep = false,
	.shared = true,
};

/* data.new(size): a zeroed buffer of @size bytes */
static int data_new(lua_State *L)
{
	lua_Integer size = luaL_checkinteger(L, 1);
	struct lunatik_object *obj;
	struct data *d;

	luaL_argcheck(L, size >= 0 && size <= DATA_MAX, 1, "invalid size");
	obj = lunatik_newobject(L, &data_class, sizeof(*d));
	d = lunatik_private(obj);
	d->ptr = data_alloc(L, obj, size);
	d->size = size;
	return 1;
}

static const luaL_Reg data_funcs[] = {
	{ "new", data_new },
	{ NULL, NULL }
};

static int luaopen_data(lua_State *L)
{
	lunatik_newclass(L, &data_class);
	luaL_newlib(L, data_funcs);
	return 1;
}

LUNATIK_LIB(data, luaopen_data);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the data library");
