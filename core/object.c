// SPDX-License-Identifier: GPL-2.0
/*
 * Objects: refcounted kernel objects with a class, seen from Lua through
 * userdata.  One userdata (the owner) stops the object when it is
 * collected or closed; every userdata holds a reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/module.h>

#include <linux/export.h>

#include "lunatik.h"
#include "internal.h"

struct lunatik_udata {
	struct lunatik_object *obj;
	bool owner;
	bool late;	/* its reference is the closing runtime's (late) */
};

/*
 * An object pushed while its state closes (by a finalizer: the runner's
 * registries read from a __gc) gets a userdata Lua will not finalize: its
 * reference goes on the runtime's list instead, dropped once the state is
 * closed (lunatik_late_put()).
 */
struct lunatik_late {
	struct lunatik_late *next;
	struct lunatik_object *obj;
};

static void object_late(struct lunatik_runtime *rt, struct lunatik_udata *ud)
{
	struct lunatik_late *l = kmalloc(sizeof(*l), GFP_KERNEL);

	if (!l) {	/* a dead userdata rather than a leak */
		lunatik_putobject(ud->obj);
		ud->obj = NULL;
		return;
	}
	l->obj = ud->obj;
	l->next = rt->late;
	rt->late = l;
	ud->late = true;
}

void lunatik_late_put(struct lunatik_runtime *rt)
{
	while (rt->late) {
		struct lunatik_late *l = rt->late;

		rt->late = l->next;
		lunatik_putobject(l->obj);
		kfree(l);
	}
}

void lunatik_lock(struct lunatik_object *obj)
{
	if (obj->class->sleep)
		mutex_lock(&obj->mutex);
	else
		spin_lock_irqsave(&obj->spin, obj->flags);
}
EXPORT_SYMBOL(lunatik_lock);

void lunatik_unlock(struct lunatik_object *obj)
{
	if (obj->class->sleep)
		mutex_unlock(&obj->mutex);
	else
		spin_unlock_irqrestore(&obj->spin, obj->flags);
}
EXPORT_SYMBOL(lunatik_unlock);

/* live objects, for the census (internal.h) */
atomic_long_t lunatik_nobjects = ATOMIC_LONG_INIT(0);

/*
 * The census by class, by name: a class's module may go and another come
 * at its address, so only names are kept.  The first LUNATIK_CENSUS_MAX
 * class names are counted (the others in the total only); a slot, once
 * published, never changes name.
 */
struct lunatik_census lunatik_census[LUNATIK_CENSUS_MAX];
int lunatik_census_n;
static DEFINE_SPINLOCK(census_lock);

static struct lunatik_census *census_find(const char *name, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(lunatik_census[i].name, name))
			return &lunatik_census[i];
	return NULL;
}

static struct lunatik_census *census_of(const struct lunatik_class *class)
{
	struct lunatik_census *c;
	unsigned long flags;
	int n;

	/* pairs with smp_store_release() below: the name is set */
	c = census_find(class->name, smp_load_acquire(&lunatik_census_n));
	if (c)
		return c;
	spin_lock_irqsave(&census_lock, flags);
	n = lunatik_census_n;
	c = census_find(class->name, n);
	if (!c && n < LUNATIK_CENSUS_MAX) {
		c = &lunatik_census[n];
		strscpy(c->name, class->name, sizeof(c->name));
		/* the name before the count: lockless readers see it set */
		smp_store_release(&lunatik_census_n, n + 1);
	}
	spin_unlock_irqrestore(&census_lock, flags);
	return c;
}

static void census_add(const struct lunatik_class *class, long d)
{
	struct lunatik_census *c = census_of(class);

	atomic_long_add(d, &lunatik_nobjects);
	if (c)
		atomic_long_add(d, &c->live);
}

/*
 * The class's module goes last: its release function ran, and nothing of
 * the object is left to call into it.
 */
void lunatik_object_release(struct kref *kref)
{
	struct lunatik_object *obj;
	struct module *owner;

	obj = container_of(kref, struct lunatik_object, kref);
	owner = obj->class->owner;
	if (obj->class->release)
		obj->class->release(obj);
	if (obj->rt) {
		atomic_long_sub(atomic_long_read(&obj->charged),
				&obj->rt->mem.charged);
		lunatik_put(obj->rt);
	}
	census_add(obj->class, -1);
	kfree(obj);
	module_put(owner);
}
EXPORT_SYMBOL(lunatik_object_release);

void lunatik_getobject(struct lunatik_object *obj)
{
	kref_get(&obj->kref);
}
EXPORT_SYMBOL(lunatik_getobject);

void lunatik_putobject(struct lunatik_object *obj)
{
	kref_put(&obj->kref, lunatik_object_release);
}
EXPORT_SYMBOL(lunatik_putobject);

void *lunatik_private(const struct lunatik_object *obj)
{
	return obj->private;
}
EXPORT_SYMBOL(lunatik_private);

bool lunatik_stopped(const struct lunatik_object *obj)
{
	return READ_ONCE(obj->stopped);
}
EXPORT_SYMBOL(lunatik_stopped);

const struct lunatik_class *lunatik_classof(const struct lunatik_object *obj)
{
	return obj->class;
}
EXPORT_SYMBOL(lunatik_classof);

bool lunatik_lock_held(const struct lunatik_object *obj)
{
#ifdef CONFIG_LOCKDEP
	return obj->class->sleep ? lockdep_is_held(&obj->mutex) :
				   lockdep_is_held(&obj->spin);
#else
	return true;	/* only lockdep's conditions ask */
#endif
}
EXPORT_SYMBOL(lunatik_lock_held);

void lunatik_stopobject(struct lunatik_object *obj)
{
	bool stopped;

	lunatik_lock(obj);
	stopped = obj->stopped;
	obj->stopped = true;
	lunatik_unlock(obj);
	if (stopped)
		return;
	if (obj->class->stop)
		obj->class->stop(obj);
	if (obj->hook)
		lunatik_hook_stop(obj->hook);
}
EXPORT_SYMBOL(lunatik_stopobject);

static struct lunatik_udata *object_udata(lua_State *L, int idx,
					  const struct lunatik_class *class)
{
	struct lunatik_udata *ud = lua_touserdata(L, idx);

	if (!ud || !lua_getmetatable(L, idx))
		return NULL;
	luaL_getmetatable(L, class->name);
	if (!lua_rawequal(L, -1, -2))
		ud = NULL;
	lua_pop(L, 2);
	return ud;
}

struct lunatik_object *lunatik_testobject(lua_State *L, int idx,
					  const struct lunatik_class *class)
{
	struct lunatik_udata *ud = object_udata(L, idx, class);

	return ud && ud->obj && !ud->obj->stopped ? ud->obj : NULL;
}
EXPORT_SYMBOL(lunatik_testobject);

static int object_gc(lua_State *L);

/* Any class: a lunatik userdata is one whose metatable's __gc is ours. */
struct lunatik_object *lunatik_toobject(lua_State *L, int idx)
{
	struct lunatik_udata *ud = lua_touserdata(L, idx);
	bool ours;

	if (!ud || !lua_getmetatable(L, idx))
		return NULL;
	lua_getfield(L, -1, "__gc");
	ours = lua_tocfunction(L, -1) == object_gc;
	lua_pop(L, 2);
	return ours && ud->obj && !ud->obj->stopped ? ud->obj : NULL;
}
EXPORT_SYMBOL(lunatik_toobject);

struct lunatik_object *lunatik_checkclass(lua_State *L, int idx,
					  const struct lunatik_class *class)
{
	struct lunatik_udata *ud = object_udata(L, idx, class);

	if (!ud)
		luaL_typeerror(L, idx, class->name);
	if (!ud->obj)
		luaL_error(L, "%s: object was stopped", class->name);
	return ud->obj;
}
EXPORT_SYMBOL(lunatik_checkclass);

struct lunatik_object *lunatik_checkobject(lua_State *L, int idx,
					   const struct lunatik_class *class)
{
	struct lunatik_object *obj = lunatik_checkclass(L, idx, class);

	if (obj->stopped)
		luaL_error(L, "%s: object was stopped", class->name);
	return obj;
}
EXPORT_SYMBOL(lunatik_checkobject);

static struct lunatik_udata *object_pushudata(lua_State *L,
					      const struct lunatik_class *c)
{
	struct lunatik_udata *ud = lua_newuserdatauv(L, sizeof(*ud), 0);

	ud->obj = NULL;
	ud->owner = false;
	ud->late = false;
	if (luaL_getmetatable(L, c->name) == LUA_TNIL) {
		/* an object from another runtime (lunatik._ENV, resume) of
		 * a binding this state never required: its class, and its
		 * module pinned for as long as the state may call it
		 */
		lua_pop(L, 1);
		lunatik_pin(L, c->owner);
		lunatik_newclass(L, c);
		luaL_getmetatable(L, c->name);
	}
	lua_setmetatable(L, -2);
	return ud;
}

int lunatik_charge(struct lunatik_object *obj, size_t bytes)
{
	struct lunatik_runtime *rt = obj->rt;
	size_t cap, held;

	if (!rt)
		return 0;
	cap = READ_ONCE(rt->mem.cap);
	held = atomic_long_add_return(bytes, &rt->mem.charged) +
	       READ_ONCE(rt->mem.used);
	if (cap && (held > cap || held < bytes)) {
		atomic_long_sub(bytes, &rt->mem.charged);
		return -ENOMEM;
	}
	atomic_long_add(bytes, &obj->charged);
	return 0;
}
EXPORT_SYMBOL(lunatik_charge);

void lunatik_uncharge(struct lunatik_object *obj, size_t bytes)
{
	if (!obj->rt)
		return;
	atomic_long_sub(bytes, &obj->charged);
	atomic_long_sub(bytes, &obj->rt->mem.charged);
}
EXPORT_SYMBOL(lunatik_uncharge);

struct lunatik_object *lunatik_createobject(const struct lunatik_class *class,
					    size_t size, gfp_t gfp)
{
	struct lunatik_object *obj;

	/* a module being unloaded makes no more objects */
	if (!try_module_get(class->owner))
		return NULL;
	obj = kzalloc(sizeof(*obj) + size, gfp);
	if (!obj) {
		module_put(class->owner);
		return NULL;
	}
	census_add(class, 1);
	kref_init(&obj->kref);
	obj->class = class;
	obj->private = size ? obj + 1 : NULL;
	if (class->sleep)
		mutex_init(&obj->mutex);
	else
		spin_lock_init(&obj->spin);
	return obj;
}
EXPORT_SYMBOL(lunatik_createobject);

struct lunatik_object *lunatik_newobject(lua_State *L,
					 const struct lunatik_class *class,
					 size_t size)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);
	struct lport_mem *mem = lport_mem_of(L);
	struct lunatik_udata *ud;
	struct lunatik_object *obj;

	if (rt && !(class->contexts & LUNATIK_CTX_BIT(rt->ctx)))
		luaL_error(L, "%s: not allowed in a %s runtime", class->name,
			   lunatik_ctx_name(rt->ctx));
	/* a state closing finalizes nothing made now (Lua's GCSTPCLS) */
	if (rt && !rt->L)
		luaL_error(L, "%s: the runtime is stopping", class->name);
	/* the userdata first: its __gc then owns whatever follows */
	ud = object_pushudata(L, class);
	obj = lunatik_createobject(class, size, mem->gfp);
	if (!obj)
		luaL_error(L, "not enough memory");
	ud->obj = obj;
	ud->owner = true;
	if (rt) {
		lunatik_get(rt);
		obj->rt = rt;
		if (lunatik_charge(obj, sizeof(*obj) + size))
			luaL_error(L, "not enough memory");
	}
	return obj;
}
EXPORT_SYMBOL(lunatik_newobject);

void lunatik_pushobject(lua_State *L, struct lunatik_object *obj)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);
	struct lunatik_udata *ud = object_pushudata(L, obj->class);

	lunatik_getobject(obj);
	ud->obj = obj;
	/* its state closing (rt->L is NULL from the start of the close) */
	if (unlikely(rt && !rt->L))
		object_late(rt, ud);
}
EXPORT_SYMBOL(lunatik_pushobject);

static int object_gc(lua_State *L)
{
	struct lunatik_udata *ud = lua_touserdata(L, 1);
	struct lunatik_object *obj = ud->obj;

	if (!obj)
		return 0;
	ud->obj = NULL;
	if (ud->owner && !obj->class->lasting)
		lunatik_stopobject(obj);
	if (!ud->late)
		lunatik_putobject(obj);
	return 0;
}

/* obj:stop(): stops the object for every holder; the userdata stays. */
static int object_stop(lua_State *L)
{
	struct lunatik_udata *ud = lua_touserdata(L, 1);

	luaL_checktype(L, 1, LUA_TUSERDATA);
	/* a sleeping class's stop sleeps: not where the state cannot */
	if (ud->obj && ud->obj->class->sleep && !lunatik_cansleep(L))
		return luaL_error(L, "%s: cannot be stopped where the runtime cannot sleep",
				  ud->obj->class->name);
	if (ud->obj)
		lunatik_stopobject(ud->obj);
	return 0;
}

static int object_tostring(lua_State *L)
{
	struct lunatik_udata *ud = lua_touserdata(L, 1);

	lua_getfield(L, lua_upvalueindex(1), "__name");
	lua_pushfstring(L, "%s: %p%s", lua_tostring(L, -1), ud->obj,
			ud->obj && !ud->obj->stopped ? "" : " (stopped)");
	return 1;
}

/*
 * The metatable at -1: __index = a table of @methods (and @view's, and
 * stop() for an object), then @metamethods, each with that table as its
 * upvalue.
 */
static void meta_fill(lua_State *L, const luaL_Reg *methods,
		      const luaL_Reg *metamethods,
		      const struct lunatik_view *view, bool stop)
{
	if (!methods && !view && !stop) {	/* a handle: no __index */
		if (metamethods)
			luaL_setfuncs(L, metamethods, 0);
		return;
	}
	lua_newtable(L);
	if (methods)
		luaL_setfuncs(L, methods, 0);
	if (stop) {
		lua_pushcfunction(L, object_stop);
		lua_setfield(L, -2, "stop");
	}
	if (view)
		lunatik_view_setfuncs(L, view);
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, "__index");
	if (metamethods)
		luaL_setfuncs(L, metamethods, 1);
	else
		lua_pop(L, 1);
}

void lunatik_newclass(lua_State *L, const struct lunatik_class *class)
{
	if (!luaL_newmetatable(L, class->name)) {
		lua_pop(L, 1);
		return;
	}
	meta_fill(L, class->methods, class->metamethods, class->view, true);
	/* the object's lifecycle is the core's: set last */
	lua_pushcfunction(L, object_gc);
	lua_setfield(L, -2, "__gc");
	lua_pushcfunction(L, object_gc);
	lua_setfield(L, -2, "__close");
	if (lua_getfield(L, -1, "__tostring") == LUA_TNIL) {
		lua_pushvalue(L, -2);
		lua_pushcclosure(L, object_tostring, 1);
		lua_setfield(L, -3, "__tostring");
	}
	lua_pop(L, 2);
}
EXPORT_SYMBOL(lunatik_newclass);

void lunatik_setconsts(lua_State *L, const char *field,
		       const struct lunatik_const *c)
{
	lua_newtable(L);
	for (; c->name; c++) {
		lua_pushinteger(L, c->value);
		lua_setfield(L, -2, c->name);
	}
	lua_setfield(L, -2, field);
}
EXPORT_SYMBOL(lunatik_setconsts);

/* t[l.name] = {size = , fields = {{name =, offset =, size =, signed =}...}} */
static void consts_pushlayout(lua_State *L, const struct lunatik_layout *l)
{
	const struct lunatik_field *f;
	lua_Integer i = 1;

	luaL_checkstack(L, 4, l->name);
	lua_createtable(L, 0, 2);
	lua_pushinteger(L, l->size);
	lua_setfield(L, -2, "size");
	lua_newtable(L);
	for (f = l->fields; f->name; f++) {
		lua_createtable(L, 0, 4);
		lua_pushstring(L, f->name);
		lua_setfield(L, -2, "name");
		lua_pushinteger(L, f->offset);
		lua_setfield(L, -2, "offset");
		lua_pushinteger(L, f->size);
		lua_setfield(L, -2, "size");
		lua_pushboolean(L, f->sign);
		lua_setfield(L, -2, "signed");
		lua_rawseti(L, -2, i++);
	}
	lua_setfield(L, -2, "fields");
	lua_setfield(L, -2, l->name);
}

void lunatik_pushconsts(lua_State *L, const struct lunatik_consts *t)
{
	const struct lunatik_const *c;
	const struct lunatik_consts *sub;
	const struct lunatik_layout *l;

	luaL_checkstack(L, 3, t->name);
	lua_newtable(L);
	for (c = t->consts; c && c->name; c++) {
		lua_pushinteger(L, c->value);
		lua_setfield(L, -2, c->name);
	}
	for (sub = t->subs; sub && sub->name; sub++) {
		lunatik_pushconsts(L, sub);
		lua_setfield(L, -2, sub->name);
	}
	for (l = t->layouts; l && l->name; l++)
		consts_pushlayout(L, l);
}
EXPORT_SYMBOL(lunatik_pushconsts);

void lunatik_newmetatable(lua_State *L, const char *name,
			  const luaL_Reg *methods,
			  const luaL_Reg *metamethods,
			  const struct lunatik_view *view)
{
	if (luaL_newmetatable(L, name))
		meta_fill(L, methods, metamethods, view, false);
	lua_pop(L, 1);
}
EXPORT_SYMBOL(lunatik_newmetatable);
