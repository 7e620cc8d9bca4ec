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
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <linux/log2.h>

#include "lunatik.h"

#define KV_KEY_MAX	256		/* bytes of a key */
#define KV_STRING_MAX	4096		/* bytes of a string value */
#define KV_SIZE	256		/* default number of buckets */
#define KV_SIZE_MAX	(1 << 16)
#define KV_ENV_SIZE	1024

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
	u16 klen;
	char key[];
};

struct kv_table {
	struct hlist_head *buckets;
	u32 mask;
	u32 seed;
	atomic_t count;
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
	struct kv_table *t = obj->private;
	struct hlist_head *head = &t->buckets[k->hash & t->mask];
	struct kv_entry *e;

	hlist_for_each_entry_rcu(e, head, node, lockdep_is_held(&obj->spin))
		if (e->hash == k->hash && e->klen == k->len &&
		    !memcmp(e->key, k->s, k->len))
			return e;
	return NULL;
}

static void table_checkkey(lua_State *L, struct lunatik_object *obj, int idx,
			 struct kv_key *k)
{
	struct kv_table *t = obj->private;

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
	case LUA_TNIL:
		lua_pushnil(L);
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

/* A new entry for the value at @idx; raises before taking any reference. */
static struct kv_entry *entry_new(lua_State *L, int idx,
				   const struct kv_key *k)
{
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
		if (!obj->class->shared)
			luaL_error(L, "rcu: %s objects cannot be shared",
				   obj->class->name);
		/* a table holding itself would never be freed */
		if (obj == lunatik_toobject(L, 1))
			luaL_argerror(L, idx, "a table cannot hold itself");
		break;
	default:
		luaL_typeerror(L, idx, "boolean, integer, string or object");
	}
	e = kmalloc(struct_size(e, key, k->len + len),
		    lport_mem_of(L)->gfp | __GFP_NOWARN);
	if (!e)
		luaL_error(L, "not enough memory");
	refcount_set(&e->ref, 1);
	e->type = type;
	e->hash = k->hash;
	e->klen = k->len;
	memcpy(e->key, k->s, k->len);
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
	struct kv_table *t = obj->private;
	struct kv_entry *e = NULL, *old;
	struct kv_key k;

	table_checkkey(L, obj, 2, &k);
	if (!lua_isnil(L, 3))
		e = entry_new(L, 3, &k);
	lunatik_lock(obj);
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
	if (old)
		entry_put(old);
	return 0;
}

static int table_len(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &table_class);
	struct kv_table *t = obj->private;

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
	struct kv_table *t = obj->private;
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
	struct kv_table *t = obj->private;
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

static void table_release(struct lunatik_object *obj)
{
	struct kv_table *t = obj->private;
	struct hlist_node *tmp;
	struct kv_entry *e;
	u32 b;

	if (!t->buckets)
		return;
	for (b = 0; b <= t->mask; b++) {
		hlist_for_each_entry_safe(e, tmp, &t->buckets[b], node) {
			hlist_del_rcu(&e->node);
			entry_put(e);
		}
	}
	kfree(t->buckets);
}

static const struct lunatik_class table_class = {
	.name = "rcu.table",
	.release = table_release,
	.contexts = LUNATIK_CTX_ANY,
	.sleep = false,
	.shared = true,
};

static int table_init(struct kv_table *t, u32 size, gfp_t gfp)
{
	u32 n = roundup_pow_of_two(size);

	t->buckets = kcalloc(n, sizeof(*t->buckets), gfp | __GFP_NOWARN);
	if (!t->buckets)
		return -ENOMEM;
	t->mask = n - 1;
	t->seed = get_random_u32();
	atomic_set(&t->count, 0);
	return 0;
}

/* rcu.table([size]) */
static int table_new(lua_State *L)
{
	lua_Integer size = luaL_optinteger(L, 1, KV_SIZE);
	struct lunatik_object *obj;

	luaL_argcheck(L, size > 0 && size <= KV_SIZE_MAX, 1, "invalid size");
	obj = lunatik_newobject(L, &table_class, sizeof(struct kv_table));
	if (table_init(obj->private, size, lport_mem_of(L)->gfp))
		return luaL_error(L, "not enough memory");
	return 1;
}

static const luaL_Reg luarcu_funcs[] = {
	{ "table", table_new },
	{ "map", table_map },
	{ NULL, NULL }
};

static void meta_new(lua_State *L, const char *name, lua_CFunction release)
{
	luaL_newmetatable(L, name);
	lua_pushcfunction(L, release);
	lua_setfield(L, -2, "__gc");
	lua_pushcfunction(L, release);
	lua_setfield(L, -2, "__close");
	lua_pop(L, 1);
}

static int luaopen_rcu(lua_State *L)
{
	lunatik_newclass(L, &table_class);
	/* t[k] reads the table, not methods: replace __index */
	luaL_getmetatable(L, table_class.name);
	lua_pushcfunction(L, table_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, table_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, table_len);
	lua_setfield(L, -2, "__len");
	lua_pop(L, 1);
	meta_new(L, KV_REF, ref_release);
	meta_new(L, KV_SNAPSHOT, snapshot_release);
	lunatik_pushobject(L, luarcu_env);
	lua_setfield(L, LUA_REGISTRYINDEX, LUNATIK_ENV);
	luaL_newlib(L, luarcu_funcs);
	return 1;
}

static struct lunatik_lib luarcu_lib = {
	.name = "rcu",
	.open = luaopen_rcu,
	.owner = THIS_MODULE,
};

static void luarcu_drain(void)
{
	/* an entry's work may release a table whose entries queue more */
	while (atomic_read(&luarcu_pending)) {
		rcu_barrier();
		flush_workqueue(luarcu_wq);
	}
	rcu_barrier();		/* kfree_rcu() of entries of this module */
}

static int __init luarcu_init(void)
{
	int ret = -ENOMEM;

	luarcu_wq = alloc_workqueue("luarcu", 0, 0);
	if (!luarcu_wq)
		return ret;
	luarcu_env = lunatik_createobject(&table_class, sizeof(struct kv_table),
				       GFP_KERNEL);
	if (!luarcu_env)
		goto err_destroy_wq;
	ret = table_init(luarcu_env->private, KV_ENV_SIZE, GFP_KERNEL);
	if (ret)
		goto err_put_env;
	ret = lunatik_register_lib(&luarcu_lib);
	if (ret)
		goto err_put_env;
	return 0;

err_put_env:
	lunatik_putobject(luarcu_env);
err_destroy_wq:
	destroy_workqueue(luarcu_wq);
	return ret;
}

static void __exit luarcu_exit(void)
{
	lunatik_unregister_lib(&luarcu_lib);
	lunatik_putobject(luarcu_env);
	luarcu_drain();
	destroy_workqueue(luarcu_wq);
}

module_init(luarcu_init);
module_exit(luarcu_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the rcu library (and lunatik._ENV)");
