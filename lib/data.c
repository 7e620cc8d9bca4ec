// SPDX-License-Identifier: GPL-2.0
/*
 * data: fixed-size byte buffers that scripts read and write at offsets
 * (0-based, host byte order), shareable between runtimes.  Every access
 * takes the object's lock and checks its bounds under it, since another
 * runtime may resize the buffer meanwhile.  Lua errors are raised only
 * once the lock is dropped.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>
#include <net/checksum.h>

#include "lunatik.h"

/* kmalloc() only: the buffer is freed wherever the last reference goes. */
#define DATA_MAX	KMALLOC_MAX_SIZE

struct data {
	u8 *ptr;
	size_t size;
};

static const struct lunatik_class data_class;

static bool data_inrange(const struct data *d, lua_Integer off, size_t len)
{
	return off >= 0 && (u64)off <= d->size && len <= d->size - off;
}

static int data_rangeerror(lua_State *L, lua_Integer off, size_t len)
{
	return luaL_error(L, "data: offset %I, length %I out of range",
			  off, (lua_Integer)len);
}

/*
 * @size was checked: 0 to DATA_MAX.  Charged to @obj's runtime: the
 * buffer counts against its memory cap until data_release() or a resize.
 */
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

static int data_get(lua_State *L, enum lunatik_int t)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &data_class);
	struct data *d = obj->private;
	lua_Integer off = luaL_checkinteger(L, 2);
	lua_Integer v = 0;
	bool ok;

	lunatik_lock(obj);
	ok = data_inrange(d, off, lunatik_intwidth(t));
	if (ok)
		v = lunatik_loadint(d->ptr + off, t);
	lunatik_unlock(obj);
	if (!ok)
		return data_rangeerror(L, off, lunatik_intwidth(t));
	lua_pushinteger(L, v);
	return 1;
}

static int data_set(lua_State *L, enum lunatik_int t)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &data_class);
	struct data *d = obj->private;
	lua_Integer off = luaL_checkinteger(L, 2);
	lua_Integer v = luaL_checkinteger(L, 3);
	bool ok;

	lunatik_lock(obj);
	ok = data_inrange(d, off, lunatik_intwidth(t));
	if (ok)
		lunatik_storeint(d->ptr + off, t, v);
	lunatik_unlock(obj);
	if (!ok)
		return data_rangeerror(L, off, lunatik_intwidth(t));
	return 0;
}

#define DATA_ACCESSORS(name, type)					\
static int data_get##name(lua_State *L)					\
{									\
	return data_get(L, type);					\
}									\
static int data_set##name(lua_State *L)					\
{									\
	return data_set(L, type);					\
}

DATA_ACCESSORS(byte, LUNATIK_UINT8)
DATA_ACCESSORS(int8, LUNATIK_INT8)
DATA_ACCESSORS(uint8, LUNATIK_UINT8)
DATA_ACCESSORS(int16, LUNATIK_INT16)
DATA_ACCESSORS(uint16, LUNATIK_UINT16)
DATA_ACCESSORS(int32, LUNATIK_INT32)
DATA_ACCESSORS(uint32, LUNATIK_UINT32)
DATA_ACCESSORS(int64, LUNATIK_INT64)
DATA_ACCESSORS(number, LUNATIK_INT64)

static size_t data_size(struct lunatik_object *obj)
{
	struct data *d = obj->private;
	size_t size;

	lunatik_lock(obj);
	size = d->size;
	lunatik_unlock(obj);
	return size;
}

/* getstring(off[, len]): len defaults to the rest of the buffer */
static int data_getstring(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &data_class);
	struct data *d = obj->private;
	lua_Integer off = luaL_checkinteger(L, 2);
	lua_Integer len;
	luaL_Buffer b;
	char *p;
	bool ok;

	if (lua_isnoneornil(L, 3)) {
		size_t size = data_size(obj);

		len = off >= 0 && (u64)off <= size ? size - off : 0;
	} else {
		len = luaL_checkinteger(L, 3);
		luaL_argcheck(L, len >= 0 && len <= DATA_MAX, 3,
			      "invalid length");
	}
	/* the buffer first: allocating may raise an error */
	p = luaL_buffinitsize(L, &b, len);
	lunatik_lock(obj);
	ok = data_inrange(d, off, len);
	if (ok)
		memcpy(p, d->ptr + off, len);
	lunatik_unlock(obj);
	if (!ok)
		return data_rangeerror(L, off, len);
	luaL_pushresultsize(&b, len);
	return 1;
}

static int data_setstring(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &data_class);
	struct data *d = obj->private;
	lua_Integer off = luaL_checkinteger(L, 2);
	size_t len;
	const char *s = luaL_checklstring(L, 3, &len);
	bool ok;

	lunatik_lock(obj);
	ok = data_inrange(d, off, len);
	if (ok)
		memcpy(d->ptr + off, s, len);
	lunatik_unlock(obj);
	if (!ok)
		return data_rangeerror(L, off, len);
	return 0;
}

/*
 * checksum([off[, len]]): the Internet checksum (RFC 1071) of the range,
 * as a 16-bit integer in network order (0 over a header that holds its
 * correct checksum).
 */
static int data_checksum(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &data_class);
	struct data *d = obj->private;
	lua_Integer off = luaL_optinteger(L, 2, 0);
	lua_Integer len;
	__sum16 sum = 0;
	bool ok;

	if (lua_isnoneornil(L, 3)) {
		size_t size = data_size(obj);

		len = off >= 0 && (u64)off <= size ? size - off : 0;
	} else {
		len = luaL_checkinteger(L, 3);
		luaL_argcheck(L, len >= 0 && len <= DATA_MAX, 3,
			      "invalid length");
	}
	lunatik_lock(obj);
	ok = data_inrange(d, off, len);
	if (ok)
		sum = ip_compute_csum(d->ptr + off, len);
	lunatik_unlock(obj);
	if (!ok)
		return data_rangeerror(L, off, len);
	lua_pushinteger(L, ntohs((__force __be16)sum));
	return 1;
}

/* resize(n): keeps the first min(old, n) bytes; new bytes are zero */
static int data_resize(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &data_class);
	struct data *d = obj->private;
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

static int data_len(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &data_class);

	lua_pushinteger(L, data_size(obj));
	return 1;
}

static void data_release(struct lunatik_object *obj)
{
	struct data *d = obj->private;

	kfree(d->ptr);
}

static const luaL_Reg data_methods[] = {
	{ "getbyte", data_getbyte },
	{ "setbyte", data_setbyte },
	{ "getint8", data_getint8 },
	{ "setint8", data_setint8 },
	{ "getuint8", data_getuint8 },
	{ "setuint8", data_setuint8 },
	{ "getint16", data_getint16 },
	{ "setint16", data_setint16 },
	{ "getuint16", data_getuint16 },
	{ "setuint16", data_setuint16 },
	{ "getint32", data_getint32 },
	{ "setint32", data_setint32 },
	{ "getuint32", data_getuint32 },
	{ "setuint32", data_setuint32 },
	{ "getint64", data_getint64 },
	{ "setint64", data_setint64 },
	{ "getnumber", data_getnumber },
	{ "setnumber", data_setnumber },
	{ "getstring", data_getstring },
	{ "setstring", data_setstring },
	{ "checksum", data_checksum },
	{ "resize", data_resize },
	{ "length", data_len },
	{ NULL, NULL }
};

static const struct lunatik_class data_class = {
	.name = "data",
	.owner = THIS_MODULE,
	.methods = data_methods,
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
	d = obj->private;
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
	/* #d: not a method, so set on the metatable itself */
	luaL_getmetatable(L, data_class.name);
	lua_pushcfunction(L, data_len);
	lua_setfield(L, -2, "__len");
	lua_pop(L, 1);
	luaL_newlib(L, data_funcs);
	return 1;
}

LUNATIK_LIB(data, luaopen_data);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the data library");
