// SPDX-License-Identifier: GPL-2.0
/*
 * set: immutable sets of strings, for fast membership tests from any
 * context (e.g. a netfilter hook matching domain names).
 *
 *	local s = set.new{"a", "b"}		s:has("a") --> true
 *	local l = set.labeled{["b.c"] = 1, c = 6}
 *	l:match("a.b.c") --> 7 (the labels of "b.c" and "c"), l:match("x") --> 0
 *	l:label("b.c") --> 1 (that member only), l:label("a.b.c") --> nil
 *
 * Built once, then read-only: lookups take no lock, so a set can be
 * shared between runtimes (lunatik._ENV).  The strings are sorted by
 * (length, bytes) in one block and looked up by binary search.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/bsearch.h>
#include <linux/overflow.h>

#include "lunatik.h"

#define SET_MAX		(1 << 20)	/* members */

struct set_item {
	const char *s;
	size_t len;
	lua_Integer label;
};

struct set {
	size_t n;
	bool labeled;
	struct set_item *items;	/* then the strings, in the same block */
};

static const struct lunatik_class set_class;

static int item_cmp(const void *a, const void *b)
{
	const struct set_item *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->s, y->s, x->len);
}

static const struct set_item *set_find(struct set *set, const char *s,
				      size_t len)
{
	struct set_item key = { .s = s, .len = len };

	return bsearch(&key, set->items, set->n, sizeof(key), item_cmp);
}

static int set_has(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &set_class);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);

	lua_pushboolean(L, set_find(lunatik_private(obj), s, len) != NULL);
	return 1;
}

/*
 * match(s): the OR of the labels of @s and of each of its suffixes that
 * follows a '.' ("a.b.c", "b.c", "c"), 0 if none is a member; in a plain
 * set, whether any of them is a member.
 */
static int set_match(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &set_class);
	struct set *set = lunatik_private(obj);
	const struct set_item *item;
	lua_Integer labels = 0;
	bool found = false;
	const char *s, *dot;
	size_t len;

	s = luaL_checklstring(L, 2, &len);
	for (;;) {
		item = set_find(set, s, len);
		if (item) {
			labels |= item->label;
			found = true;
		}
		dot = memchr(s, '.', len);
		if (!dot)
			break;
		len -= dot + 1 - s;
		s = dot + 1;
	}
	if (set->labeled)
		lua_pushinteger(L, labels);
	else
		lua_pushboolean(L, found);
	return 1;
}

/* label(s): the label of the member @s (true in a plain set), or nil */
static int set_label(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &set_class);
	struct set *set = lunatik_private(obj);
	const struct set_item *item;
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);

	item = set_find(set, s, len);
	if (!item)
		luaL_pushfail(L);
	else if (set->labeled)
		lua_pushinteger(L, item->label);
	else
		lua_pushboolean(L, 1);
	return 1;
}

static int set_len(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &set_class);

	lua_pushinteger(L, ((struct set *)lunatik_private(obj))->n);
	return 1;
}

static void set_release(struct lunatik_object *obj)
{
	struct set *set = lunatik_private(obj);

	kfree(set->items);
}

static const luaL_Reg set_methods[] = {
	{ "has", set_has },
	{ "match", set_match },
	{ "label", set_label },
	{ NULL, NULL }
};

static const luaL_Reg set_metamethods[] = {
	{ "__len", set_len },
	{ NULL, NULL }
};

static const struct lunatik_class set_class = {
	.name = "set",
	.owner = THIS_MODULE,
	.methods = set_methods,
	.metamethods = set_metamethods,
	.release = set_release,
	.contexts = LUNATIK_CTX_ANY,
	.sleep = false,
	.shared = true,
};

/* The string of a member: the value of set.new's table, the key of labeled's */
static const char *member(lua_State *L, bool labeled, size_t *len)
{
	int idx = labeled ? -2 : -1;

	if (lua_type(L, idx) != LUA_TSTRING)
		luaL_error(L, "set: members must be strings, got %s",
			   luaL_typename(L, idx));
	if (labeled && !lua_isinteger(L, -1))
		luaL_error(L, "set: label of '%s' must be an integer, got %s",
			   lua_tostring(L, -2), luaL_typename(L, -1));
	return lua_tolstring(L, idx, len);
}

/* Counts the members and their bytes, checking every pair. */
static void set_measure(lua_State *L, bool labeled, size_t *n, size_t *bytes)
{
	size_t len;

	*n = 0;
	*bytes = 0;
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		member(L, labeled, &len);
		if (++*n > SET_MAX)
			luaL_error(L, "set: more than %d members", SET_MAX);
		if (check_add_overflow(*bytes, len, bytes))
			luaL_error(L, "not enough memory");
		lua_pop(L, 1);
	}
}

static void set_fill(lua_State *L, struct set *set, char *p)
{
	struct set_item *item = set->items;
	const char *s;

	lua_pushnil(L);
	while (lua_next(L, 1)) {
		s = member(L, set->labeled, &item->len);
		memcpy(p, s, item->len);
		item->s = p;
		item->label = set->labeled ? lua_tointeger(L, -1) : 0;
		p += item->len;
		item++;
		lua_pop(L, 1);
	}
}

/* Drops repeated members of a plain set (sorted: neighbours). */
static void set_unique(struct set *set)
{
	size_t i, n = 0;

	for (i = 0; i < set->n; i++)
		if (!n || item_cmp(&set->items[n - 1], &set->items[i]))
			set->items[n++] = set->items[i];
	set->n = n;
}

static int set_create(lua_State *L, bool labeled)
{
	struct lunatik_object *obj;
	struct set *set;
	size_t n, bytes;

	luaL_checktype(L, 1, LUA_TTABLE);
	set_measure(L, labeled, &n, &bytes);
	obj = lunatik_newobject(L, &set_class, sizeof(*set));
	set = lunatik_private(obj);
	set->labeled = labeled;
	bytes = size_add(array_size(n, sizeof(*set->items)), bytes);
	if (lunatik_charge(obj, bytes))	/* the object's release uncharges */
		return luaL_error(L, "not enough memory");
	set->items = kmalloc(bytes, lunatik_gfp(L) | __GFP_NOWARN);
	if (!set->items)
		return luaL_error(L, "not enough memory");
	set->n = n;
	set_fill(L, set, (char *)(set->items + n));
	sort(set->items, n, sizeof(*set->items), item_cmp, NULL);
	set_unique(set);
	return 1;
}

/* set.new{s1, s2, ...} */
static int set_new(lua_State *L)
{
	return set_create(L, false);
}

/* set.labeled{[s] = label, ...}: labels are integers (e.g. bit masks) */
static int set_labeled(lua_State *L)
{
	return set_create(L, true);
}

static const luaL_Reg set_funcs[] = {
	{ "new", set_new },
	{ "labeled", set_labeled },
	{ NULL, NULL }
};

static int luaopen_set(lua_State *L)
{
	lunatik_newclass(L, &set_class);
	luaL_newlib(L, set_funcs);
	return 1;
}

LUNATIK_LIB(set, luaopen_set);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the set library");
