// SPDX-License-Identifier: GPL-2.0
/*
 * Byte views: the methods every userdata that lets scripts read and write
 * bytes at offsets shares (data objects, packet views), over the class's
 * acquire and release (see struct lunatik_view in lunatik.h).
 *
 *	v:getuint16(off)  v:setint32(off, x)  v:getstring(off[, len])
 *	v:setstring(off, s)  v:checksum([off[, len]])  v:length()  #v
 *
 * Integers are in host byte order, at any alignment; a value out of range
 * wraps on a store.  Every access checks [off, off + len) against the
 * size @acquire gave, and raises only once @release ran: @acquire may
 * take the object's lock.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/export.h>
#include <asm/unaligned.h>
#include <net/checksum.h>

#include "lunatik.h"

/* the longest string getstring() makes */
#define VIEW_MAX	KMALLOC_MAX_SIZE

enum view_int {
	VIEW_INT8, VIEW_UINT8, VIEW_INT16, VIEW_UINT16,
	VIEW_INT32, VIEW_UINT32, VIEW_INT64,
};

static inline size_t view_intwidth(enum view_int t)
{
	return (size_t)1 << (t >> 1);	/* 1 1 2 2 4 4 8 */
}

static inline lua_Integer view_loadint(const u8 *p, enum view_int t)
{
	switch (t) {
	case VIEW_INT8:
		return (s8)*p;
	case VIEW_UINT8:
		return *p;
	case VIEW_INT16:
		return (s16)get_unaligned((const u16 *)p);
	case VIEW_UINT16:
		return get_unaligned((const u16 *)p);
	case VIEW_INT32:
		return (s32)get_unaligned((const u32 *)p);
	case VIEW_UINT32:
		return get_unaligned((const u32 *)p);
	case VIEW_INT64:
		return (s64)get_unaligned((const u64 *)p);
	}
	return 0;
}

static inline void view_storeint(u8 *p, enum view_int t, lua_Integer v)
{
	switch (view_intwidth(t)) {
	case 1:
		*p = (u8)v;
		break;
	case 2:
		put_unaligned((u16)v, (u16 *)p);
		break;
	case 4:
		put_unaligned((u32)v, (u32 *)p);
		break;
	default:
		put_unaligned((u64)v, (u64 *)p);
		break;
	}
}

/* The view of this method, its userdata (at 1) checked first. */
static inline const struct lunatik_view *view_of(lua_State *L)
{
	const struct lunatik_view *view = lua_touserdata(L,
							 lua_upvalueindex(1));

	luaL_checkudata(L, 1, view->tname);
	return view;
}

static inline void view_release(const struct lunatik_view *view, void *ctx)
{
	if (view->release)
		view->release(ctx);
}

/* The view's size: acquired and released at once. */
static size_t view_size(lua_State *L, const struct lunatik_view *view)
{
	void *ctx = NULL;
	size_t size;

	view->acquire(L, 1, &size, false, &ctx);
	view_release(view, ctx);
	return size;
}

/*
 * Where [off, off + len) of the view at 1 is, acquired (@ctx: for
 * view_release()); released and raised if out of range.
 */
static u8 *view_range(lua_State *L, const struct lunatik_view *view,
		      lua_Integer off, size_t len, bool write, void **ctx)
{
	size_t size;
	u8 *base = view->acquire(L, 1, &size, write, ctx);

	if (off < 0 || (u64)off > size || len > size - off) {
		view_release(view, *ctx);
		luaL_error(L, "%s: offset %I, length %I out of range (%I)",
			   view->name, off, (lua_Integer)len,
			   (lua_Integer)size);
	}
	return base + off;
}

static int view_get(lua_State *L, enum view_int t)
{
	const struct lunatik_view *view = view_of(L);
	lua_Integer off = luaL_checkinteger(L, 2);
	void *ctx = NULL;
	lua_Integer v;

	v = view_loadint(view_range(L, view, off, view_intwidth(t), false,
				    &ctx), t);
	view_release(view, ctx);
	lua_pushinteger(L, v);
	return 1;
}

static int view_set(lua_State *L, enum view_int t)
{
	const struct lunatik_view *view = view_of(L);
	lua_Integer off = luaL_checkinteger(L, 2);
	lua_Integer v = luaL_checkinteger(L, 3);
	void *ctx = NULL;

	view_storeint(view_range(L, view, off, view_intwidth(t), true, &ctx),
		      t, v);
	view_release(view, ctx);
	return 0;
}

#define VIEW_ACCESSORS(name, type)					\
static int view_get##name(lua_State *L)					\
{									\
	return view_get(L, type);					\
}									\
static int view_set##name(lua_State *L)					\
{									\
	return view_set(L, type);					\
}

VIEW_ACCESSORS(byte, VIEW_UINT8)
VIEW_ACCESSORS(int8, VIEW_INT8)
VIEW_ACCESSORS(uint8, VIEW_UINT8)
VIEW_ACCESSORS(int16, VIEW_INT16)
VIEW_ACCESSORS(uint16, VIEW_UINT16)
VIEW_ACCESSORS(int32, VIEW_INT32)
VIEW_ACCESSORS(uint32, VIEW_UINT32)
VIEW_ACCESSORS(int64, VIEW_INT64)
VIEW_ACCESSORS(number, VIEW_INT64)

/* The length at @lenidx, else that of [off, end) (0 past the end). */
static lua_Integer view_optlen(lua_State *L, const struct lunatik_view *view,
			       lua_Integer off, int lenidx)
{
	lua_Integer len;
	size_t size;

	if (lua_isnoneornil(L, lenidx)) {
		size = view_size(L, view);
		return off >= 0 && (u64)off <= size ? size - off : 0;
	}
	len = luaL_checkinteger(L, lenidx);
	luaL_argcheck(L, len >= 0 && len <= VIEW_MAX, lenidx,
		      "invalid length");
	return len;
}

/* getstring(off[, len]) */
static int view_getstring(lua_State *L)
{
	const struct lunatik_view *view = view_of(L);
	lua_Integer off = luaL_checkinteger(L, 2);
	lua_Integer len = view_optlen(L, view, off, 3);
	void *ctx = NULL;
	luaL_Buffer b;
	char *p;

	/* the buffer first: allocating may raise */
	p = luaL_buffinitsize(L, &b, len);
	memcpy(p, view_range(L, view, off, len, false, &ctx), len);
	view_release(view, ctx);
	luaL_pushresultsize(&b, len);
	return 1;
}

/* setstring(off, s) */
static int view_setstring(lua_State *L)
{
	const struct lunatik_view *view = view_of(L);
	lua_Integer off = luaL_checkinteger(L, 2);
	size_t len;
	const char *s = luaL_checklstring(L, 3, &len);
	void *ctx = NULL;

	memcpy(view_range(L, view, off, len, true, &ctx), s, len);
	view_release(view, ctx);
	return 0;
}

/* checksum([off[, len]]): the Internet checksum of the range */
static int view_checksum(lua_State *L)
{
	const struct lunatik_view *view = view_of(L);
	lua_Integer off = luaL_optinteger(L, 2, 0);
	lua_Integer len = view_optlen(L, view, off, 3);
	void *ctx = NULL;
	__sum16 sum;

	sum = ip_compute_csum(view_range(L, view, off, len, false, &ctx), len);
	view_release(view, ctx);
	lua_pushinteger(L, ntohs((__force __be16)sum));
	return 1;
}

/* length() and #v */
static int view_length(lua_State *L)
{
	lua_pushinteger(L, view_size(L, view_of(L)));
	return 1;
}

static const luaL_Reg view_methods[] = {
	{ "getbyte", view_getbyte },
	{ "setbyte", view_setbyte },
	{ "getint8", view_getint8 },
	{ "setint8", view_setint8 },
	{ "getuint8", view_getuint8 },
	{ "setuint8", view_setuint8 },
	{ "getint16", view_getint16 },
	{ "setint16", view_setint16 },
	{ "getuint16", view_getuint16 },
	{ "setuint16", view_setuint16 },
	{ "getint32", view_getint32 },
	{ "setint32", view_setint32 },
	{ "getuint32", view_getuint32 },
	{ "setuint32", view_setuint32 },
	{ "getint64", view_getint64 },
	{ "setint64", view_setint64 },
	{ "getnumber", view_getnumber },
	{ "setnumber", view_setnumber },
	{ "getstring", view_getstring },
	{ "setstring", view_setstring },
	{ "checksum", view_checksum },
	{ "length", view_length },
	{ NULL, NULL }
};

/* The metatable at -2, its methods table at -1: the view's methods, #. */
void lunatik_view_setfuncs(lua_State *L, const struct lunatik_view *view)
{
	lua_pushlightuserdata(L, (void *)view);
	luaL_setfuncs(L, view_methods, 1);
	lua_pushlightuserdata(L, (void *)view);
	lua_pushcclosure(L, view_length, 1);
	lua_setfield(L, -3, "__len");
}
