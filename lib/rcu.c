// SPDX-License-Identifier: GPL-2.0
/*
 * rcu: hash tables keyed by strings, shared between runtimes, read without
 * locks.
 *
 *	local t = rcu.table([size])	-- size: buckets hint (default 256)
 *	t[k] = v			-- v: boolean, integer, string or an
 *					-- object of a shared class; nil deletes
 *	v = t[k]
 *	#t				-- number of entries
 *	rcu.map(t, function(k, v) ... end)
 *
 * Readers walk a bucket under rcu_read_lock() and never block writers,
 * which serialize on the table's spinlock.  Entries are immutable: a write
 * replaces the entry, and the old one is freed after a grace period.  An
 * entry is refcounted (the table's link, plus each reader that must copy
 * it out after leaving the read-side section: strings, objects, map()), so
 * nothing that may allocate or call Lua runs under rcu_read_lock().
 *
 * An entry that holds an object drops its reference from a workqueue
 * (queue_rcu_work()), because the object's release may sleep; the others
 * go with kfree_rcu().
 *
 * The table behind lunatik._ENV is one of these, created with the module
 * and shared by every state that opens the library (registry LUNATIK_ENV).
 *
 * Memory.  A table made by a script is charged, buckets and entries, to
 * the memory cap of the runtime that made it, whoever writes to it; the
 * table behind lunatik._ENV outlives every runtime, and has a bound of its
 * own instead (env_bytes, a module parameter).  An entry is uncharged
 * when it leaves the table.
 *
 * Stopping.  A table is stopped with the runtime that made it (or by
 * t:stop()): it drops every entry then, so tables that hold each other
 * are freed.  A key "stop" stored in the table hides the method.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>

#include "lunatik.h"

#define KV_KEY_MAX	256		/* bytes of a key */
#define KV_STRING_MAX	4096		/* bytes of a string value */
#define KV_SIZE	256		/* default number of buckets */
#define KV_SIZE_MAX	(1 << 16)
#define KV_ENV_SIZE	1024

static unsigned long env_bytes = 16UL << 20;
module_param(env_bytes, ulong, 0444);
MODULE_PARM_DESC(env_bytes, "most bytes the entries of lunatik._ENV hold");

#define KV_REF		"rcu.ref"	/* metatable of a held entry */
#define KV_SNAPSHOT	"rcu.snapshot"

struct kv_entry {
	struct hlist_node node;
	refcount_t ref;
	union {
		struct rcu_head rcu;
		struct rcu_work rwork;	/* entries holding an object */
	};
	int type;			/* LUA_TBOOLEAN ... LUA_TUSERDATA */
	union {
		lua_Integer i;		/* booleans and integers */
		struct lunatik_object *obj;
		size_t len;		/* a string, stored after the key */
	};
	u32 hash;
	u32 bytes;			/* what it is charged */
	u16 klen;
	char key[];
};

/*
 * @max: the bound of @bytes, for a table charged to no runtime (_ENV); 0
 * for one whose entries are charged to its runtime (lunatik_charge())
 */
struct kv_table {
	struct hlist_head *buckets;
	u32 mask;
	u32 seed;
	atomic_t count;
	atomic_long_t bytes;
	unsigned long max;
};

/* A key checked from the stack. */
struct kv_key {
	const char *s;
	size_t len;
	u32 hash;
};

/* Entries (of any table) whose object reference is still to be dropped. */
static struct workqueue_struct *luarcu_wq;
static atomic_t luarcu_pending = ATOMIC_INIT(0);

static struct lunatik_object *luarcu_env;

static const struct lunatik_class table_class;

/* Return: 0, or -ENOMEM if the table's runtime or bound is full. */
static int table_charge(struct lunatik_object *obj, size_t bytes)
{
	struct kv_table *t = lunatik_private(obj);
	long held;

	if (!t->max)
		return lunatik_charge(obj, bytes);
	held = atomic_long_add_return(bytes, &t->bytes);
	if (held < 0 || held > t->max) {
		atomic_long_sub(bytes, &t->bytes);
		return -ENOMEM;
	}
	return 0;
}

static void table_uncharge(struct lunatik_object *obj, size_t bytes)
{
	struct kv_table *t = lunatik_private(obj);

	if (t->max)
		atomic_long_sub(bytes, &t->bytes);
	else
		lunatik_uncharge(obj, bytes);
}

static void entry_free_work(struct work_struct *work)
{
	struct kv_entry *e = container_of(to_rcu_work(work),
					   struct kv_entry, rwork);

	lunatik_putobject(e->obj);
	kfree(e);
	atomic_dec(&luarcu_pending);
}

/* Any context; the memory outlives every reader that may still see it. */
static void entry_put(struct kv_entry *e)
{
	if (!refcount_dec_and_test(&e->ref))
		return;
	if (e->type == LUA_TUSERDATA) {
		atomic_inc(&luarcu_pending);
		INIT_RCU_WORK(&e->rwork, entry_free_work);
		queue_rcu_work(luarcu_wq, &e->rwork);
	} else {
		kfree_rcu(e, rcu);
	}
}

static struct kv_entry *table_lookup(struct lunatik_object *obj,
				      const struct kv_key *k)
{
	struct kv_table *t = lunatik_private(obj);
	struct hlist_head *head = &t->buckets[k->hash & t->mask];
	struct kv_entry *e;

	hlist_for_each_entry_rcu(e, head, node, lunatik_lock_held(obj))
		if (e->hash == k->hash && e->klen == k->len &&
		    !memcmp(e->key, k->s, k->len))
			return e;
	return NULL;
}

static void table_checkkey(lua_State *L, struct lunatik_object *obj, int idx,
			 struct kv_key *k)
{
	struct kv_table *t = lunatik_private(obj);

	if (lua_type(L, idx) != LUA_TSTRING)
		luaL_typeerror(L, idx, "string");
	k->s = lua_tolstring(L, idx, &k->len);
	luaL_argcheck(L, k->len <= KV_KEY_MAX, idx, "key too long");
	k->hash = jhash(k->s, k->len, t->seed);
}

/* Pushes the value of @e, which the caller holds. */
static void entry_push(lua_State *L, const struct kv_entry *e)
{
	switch (e->type) {
	case LUA_TBOOLEAN:
		lua_pushboolean(L, (int)e->i);
		break;
	case LUA_TNUMBER:
		lua_pushinteger(L, e->i);
		break;
	case LUA_TSTRING:
		lua_pushlstring(L, e->key + e->klen, e->len);
		break;
	case LUA_TUSERDATA:
		lunatik_pushobject(L, e->obj);
		break;
	}
}

/* --- held entries: released by __gc/__close if Lua raises meanwhile --- */

struct kv_ref {
	struct kv_entry *e;
};

static int ref_release(lua_State *L)
{
	struct kv_ref *r = luaL_checkudata(L, 1, KV_REF);

	if (r->e) {
		entry_put(r->e);
		r->e = NULL;
	}
	return 0;
}

static struct kv_ref *ref_new(lua_State *L)
{
	struct kv_ref *r = lua_newuserdatauv(L, sizeof(*r), 0);

	r->e = NULL;
	luaL_setmetatable(L, KV_REF);
	return r;
}

/*
 * t[k]: booleans and integers are copied inside the read-side section.
 * Strings and objects are pushed after it, from an entry held by a ref
 * userdata allocated first (so that no allocation can fail while we hold
 * it without an owner); the first lookup tells whether one is needed.
 */
static int table_index(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &table_class);
	struct kv_ref *ref = NULL;
	struct kv_entry *e;
	struct kv_key k;
	int type;
	lua_Integer i;

	table_checkkey(L, obj, 2, &k);
	for (;;) {
		bool held = false;

		rcu_read_lock();
		e = table_lookup(obj, &k);
		type = e ? e->type : LUA_TNIL;
		i = e && type != LUA_TSTRING && type != LUA_TUSERDATA ? e->i : 0;
		if (ref && e && refcount_inc_not_zero(&e->ref)) {
			ref->e = e;
			held = true;
		}
		rcu_read_unlock();
		if (held || (type != LUA_TSTRING && type != LUA_TUSERDATA))
			break;
		if (!ref)
			ref = ref_new(L);
	}
	switch (type) {
	case LUA_TNIL:		/* a method, or nil */
		lua_pushvalue(L, 2);
		lua_rawget(L, lua_upvalueindex(1));
		break;
	case LUA_TBOOLEAN:
		lua_pushboolean(L, (int)i);
		break;
	case LUA_TNUMBER:
		lua_pushinteger(L, i);
		break;
	default:
		entry_push(L, ref->e);
		entry_put(ref->e);
		ref->e = NULL;
		break;
	}
	return 1;
}

/* the header of a new entry, of @bytes, for key @k; its one reference */
static void entry_init(struct kv_entry *e, size_t bytes, int type,
		       const struct kv_key *k)
{
	refcount_set(&e->ref, 1);
	e->bytes = bytes;
	e->type = type;
	e->hash = k->hash;
	e->klen = k->len;
	memcpy(e->key, k->s, k->len);
}

/*
 * A new entry of @tobj for the value at @idx, charged to @tobj; raises
 * before taking any reference.
 */
static struct kv_entry *entry_new(lua_State *L, struct lunatik_object *tobj,
				   int idx, const struct kv_key *k)
{
	struct kv_table *t = lunatik_private(tobj);
	size_t bytes;
	int type = lua_type(L, idx);
	struct lunatik_object *obj = NULL;
	struct kv_entry *e;
	size_t len = 0;
	const char *s = NULL;

	switch (type) {
	case LUA_TBOOLEAN:
		break;
	case LUA_TNUMBER:
		if (!lua_isinteger(L, idx))
			luaL_argerror(L, idx, "integer expected");
		break;
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &len);
		luaL_argcheck(L, len <= KV_STRING_MAX, idx, "string too long");
		break;
	case LUA_TUSERDATA:
		obj = lunatik_toobject(L, idx);
		if (!obj)
			luaL_argerror(L, idx, "not a (running) lunatik object");
		if (!lunatik_classof(obj)->shared)
			luaL_error(L, "rcu: %s objects cannot be shared",
				   lunatik_classof(obj)->name);
		/* a table holding itself would never be freed */
		if (obj == tobj)
			luaL_argerror(L, idx, "a table cannot hold itself");
		break;
	default:
		luaL_typeerror(L, idx, "boolean, integer, string or object");
	}
	bytes = struct_size(e, key, k->len + len);
	if (table_charge(tobj, bytes)) {
		if (t->max)
			luaL_error(L, "rcu: table full (at most %I bytes)",
				   (lua_Integer)t->max);
		luaL_error(L, "not enough memory");
	}
	e = kmalloc(bytes, lunatik_gfp(L) | __GFP_NOWARN);
	if (!e) {
		table_uncharge(tobj, bytes);
		luaL_error(L, "not enough memory");
	}
	entry_init(e, bytes, type, k);
	if (type == LUA_TSTRING) {
		e->len = len;
		memcpy(e->key + k->len, s, len);
	} else if (obj) {
		lunatik_getobject(obj);
		e->obj = obj;
	} else {
		e->i = type == LUA_TBOOLEAN ? lua_toboolean(L, idx) :
					      lua_tointeger(L, idx);
	}
	return e;
}

/* t[k] = v: links the new entry (or none, for nil) in place of the old. */
static int table_newindex(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &table_class);
	struct kv_table *t = lunatik_private(obj);
	struct kv_entry *e = NULL, *old;
	struct kv_key k;

	table_checkkey(L, obj, 2, &k);
	if (!lua_isnil(L, 3))
		e = entry_new(L, obj, 3, &k);
	lunatik_lock(obj);
	if (lunatik_stopped(obj)) {	/* t:stop() meanwhile: it emptied the table */
		lunatik_unlock(obj);
		if (e) {
			table_uncharge(obj, e->bytes);
			entry_put(e);
		}
		return luaL_error(L, "%s: object was stopped", table_class.name);
	}
	old = table_lookup(obj, &k);
	if (old && e) {
		hlist_replace_rcu(&old->node, &e->node);
	} else if (e) {
		hlist_add_head_rcu(&e->node, &t->buckets[k.hash & t->mask]);
		atomic_inc(&t->count);
	} else if (old) {
		hlist_del_rcu(&old->node);
		atomic_dec(&t->count);
	}
	lunatik_unlock(obj);
	if (old) {
		table_uncharge(obj, old->bytes);
		entry_put(old);
	}
	return 0;
}

static int table_len(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &table_class);
	struct kv_table *t = lunatik_private(obj);

	lua_pushinteger(L, atomic_read(&t->count));
	return 1;
}

/* --- map: a snapshot of held entries, then the callback, unlocked ----- */

struct kv_snapshot {
	size_t n;
	struct kv_entry *e[];
};

static int snapshot_release(lua_State *L)
{
	struct kv_snapshot *s = luaL_checkudata(L, 1, KV_SNAPSHOT);

	while (s->n)
		entry_put(s->e[--s->n]);
	return 0;
}

/* Return: false if more than @max entries were found. */
static bool snapshot_fill(struct lunatik_object *obj, struct kv_snapshot *s,
			  size_t max)
{
	struct kv_table *t = lunatik_private(obj);
	struct kv_entry *e;
	u32 b;

	for (b = 0; b <= t->mask; b++) {
		hlist_for_each_entry_rcu(e, &t->buckets[b], node) {
			if (!refcount_inc_not_zero(&e->ref))
				continue;	/* being freed: deleted */
			if (s->n == max) {
				entry_put(e);
				return false;
			}
			s->e[s->n++] = e;
		}
	}
	return true;
}

/*
 * rcu.map(t, fn): calls fn(k, v) for every entry present when the walk
 * started, in no particular order; writes meanwhile are not seen.  fn runs
 * outside the read-side section (it may sleep where its runtime may), and
 * may write to t.
 */
static int table_map(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &table_class);
	struct kv_table *t = lunatik_private(obj);
	struct kv_snapshot *s;
	size_t i, max;
	bool full;

	luaL_checktype(L, 2, LUA_TFUNCTION);
	for (;;) {
		max = atomic_read(&t->count) + 16;
		s = lua_newuserdatauv(L, struct_size(s, e, max), 0);
		s->n = 0;
		luaL_setmetatable(L, KV_SNAPSHOT);
		lua_toclose(L, -1);
		rcu_read_lock();
		full = snapshot_fill(obj, s, max);
		rcu_read_unlock();
		if (full)
			break;
		lua_settop(L, 2);	/* closes it */
	}
	for (i = 0; i < s->n; i++) {
		lua_pushvalue(L, 2);
		lua_pushlstring(L, s->e[i]->key, s->e[i]->klen);
		entry_push(L, s->e[i]);
		lua_call(L, 2, 0);
	}
	return 0;
}

/* --- tables ------------------------------------------------------------ */

/*
 * Unlinks and drops every entry, under the lock (entry_put() does not
 * sleep): readers that still walk a bucket see the entries until a grace
 * period passed.
 */
static void table_clear(struct lunatik_object *obj)
{
	struct kv_table *t = lunatik_private(obj);
	struct hlist_node *tmp;
	struct kv_entry *e;
	u32 b;

	if (!t->buckets)
		return;
	lunatik_lock(obj);
	for (b = 0; b <= t->mask; b++) {
		hlist_for_each_entry_safe(e, tmp, &t->buckets[b], node) {
			hlist_del_rcu(&e->node);
			atomic_dec(&t->count);
			table_uncharge(obj, e->bytes);
			entry_put(e);
		}
	}
	lunatik_unlock(obj);
}

static void table_release(struct lunatik_object *obj)
{
	struct kv_table *t = lunatik_private(obj);

	table_clear(obj);
	kfree(t->buckets);
}

/*
 * Not owned: a table is held by states that required this binding (which
 * pins it), and by tables' entries, which the module's exit drains; the
 * one behind lunatik._ENV is the module's own.
 */
/* t[k] reads the table, then the methods (t:stop()): their upvalue */
static const luaL_Reg table_metamethods[] = {
	{ "__index", table_index },
	{ "__newindex", table_newindex },
	{ "__len", table_len },
	{ NULL, NULL }
};

static const struct lunatik_class table_class = {
	.name = "rcu.table",
	.metamethods = table_metamethods,
	.release = table_release,
	.stop = table_clear,
	.contexts = LUNATIK_CTX_ANY,
	.sleep = false,
	.shared = true,
};

/* @max: see struct kv_table */
static int table_init(struct lunatik_object *obj, u32 size,
		      unsigned long max, gfp_t gfp)
{
	struct kv_table *t = lunatik_private(obj);
	u32 n = roundup_pow_of_two(size);

	t->max = max;
	atomic_long_set(&t->bytes, 0);
	atomic_set(&t->count, 0);
	if (table_charge(obj, n * sizeof(*t->buckets)))
		return -ENOMEM;
	t->buckets = kcalloc(n, sizeof(*t->buckets), gfp | __GFP_NOWARN);
	if (!t->buckets) {
		table_uncharge(obj, n * sizeof(*t->buckets));
		return -ENOMEM;
	}
	t->mask = n - 1;
	t->seed = get_random_u32();
	return 0;
}

/* rcu.table([size]) */
static int table_new(lua_State *L)
{
	lua_Integer size = luaL_optinteger(L, 1, KV_SIZE);
	struct lunatik_object *obj;

	luaL_argcheck(L, size > 0 && size <= KV_SIZE_MAX, 1, "invalid size");
	obj = lunatik_newobject(L, &table_class, sizeof(struct kv_table));
	if (table_init(obj, size, 0, lunatik_gfp(L)))
		return luaL_error(L, "not enough memory");
	return 1;
}

static const luaL_Reg luarcu_funcs[] = {
	{ "table", table_new },
	{ "map", table_map },
	{ NULL, NULL }
};

static const luaL_Reg ref_metamethods[] = {
	{ "__gc", ref_release },
	{ "__close", ref_release },
	{ NULL, NULL }
};

static const luaL_Reg snapshot_metamethods[] = {
	{ "__gc", snapshot_release },
	{ "__close", snapshot_release },
	{ NULL, NULL }
};

static int luaopen_rcu(lua_State *L)
{
	lunatik_newclass(L, &table_class);
	lunatik_newmetatable(L, KV_REF, NULL, ref_metamethods, NULL);
	lunatik_newmetatable(L, KV_SNAPSHOT, NULL, snapshot_metamethods, NULL);
	lunatik_pushobject(L, luarcu_env);
	lua_setfield(L, LUA_REGISTRYINDEX, LUNATIK_ENV);
	luaL_newlib(L, luarcu_funcs);
	return 1;
}

static void luarcu_drain(void)
{
	/* an entry's work may release a table whose entries queue more */
	while (atomic_read(&luarcu_pending)) {
		rcu_barrier();
		flush_workqueue(luarcu_wq);
	}
	rcu_barrier();		/* kfree_rcu() of entries of this module */
}

/*
 * _ENV[@name] = a new table of lunatik._ENV's own (no runtime's: it is
 * not stopped with one, and its entries count against env_bytes).  The
 * runner's registries (lib/lunatik/runner.lua): a runtime kept there
 * outlives the one that made it.  At setup: nobody else sees _ENV yet.
 */
static int luarcu_envtable(const char *name)
{
	struct kv_table *env = lunatik_private(luarcu_env);
	struct kv_key k = { .s = name, .len = strlen(name) };
	size_t bytes = struct_size((struct kv_entry *)NULL, key, k.len);
	struct lunatik_object *tobj;
	struct kv_entry *e;
	int ret;

	tobj = lunatik_createobject(&table_class, sizeof(struct kv_table),
				    GFP_KERNEL);
	if (!tobj)
		return -ENOMEM;
	ret = table_init(tobj, KV_SIZE, max(env_bytes, 1UL), GFP_KERNEL);
	if (ret)
		goto err_put;
	ret = -ENOMEM;
	if (table_charge(luarcu_env, bytes))
		goto err_put;
	e = kmalloc(bytes, GFP_KERNEL);
	if (!e) {
		table_uncharge(luarcu_env, bytes);
		goto err_put;
	}
	k.hash = jhash(name, k.len, env->seed);
	entry_init(e, bytes, LUA_TUSERDATA, &k);
	e->obj = tobj;			/* our reference */
	hlist_add_head_rcu(&e->node, &env->buckets[e->hash & env->mask]);
	atomic_inc(&env->count);
	return 0;

err_put:
	lunatik_putobject(tobj);
	return ret;
}

/* lunatik._ENV and the queue of entries' deferred frees come first */
static int luarcu_setup(void)
{
	int ret = -ENOMEM;

	luarcu_wq = alloc_workqueue("luarcu", 0, 0);
	if (!luarcu_wq)
		return ret;
	luarcu_env = lunatik_createobject(&table_class, sizeof(struct kv_table),
				       GFP_KERNEL);
	if (!luarcu_env)
		goto err_destroy_wq;
	ret = table_init(luarcu_env, KV_ENV_SIZE, max(env_bytes, 1UL),
			 GFP_KERNEL);
	if (ret)
		goto err_put_env;
	ret = luarcu_envtable("runtimes");
	if (!ret)
		ret = luarcu_envtable("percpu");
	if (!ret)
		ret = luarcu_envtable("threads");
	if (ret)
		goto err_put_env;
	return 0;

err_put_env:
	lunatik_putobject(luarcu_env);
	luarcu_drain();
err_destroy_wq:
	destroy_workqueue(luarcu_wq);
	return ret;
}

static void luarcu_teardown(void)
{
	lunatik_putobject(luarcu_env);
	luarcu_drain();
	destroy_workqueue(luarcu_wq);
}

LUNATIK_LIB_PROVIDER(rcu, luaopen_rcu, luarcu_setup, luarcu_teardown,
		     LUNATIK_ENV_SERVICE);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the rcu library (and lunatik._ENV)");
