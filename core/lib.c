// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings: registration, and the searcher that makes require() find them,
 * loading the binding's module on demand and pinning it while the state
 * lives.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kmod.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <net/net_namespace.h>

#include "lunatik.h"
#include "internal.h"

static LIST_HEAD(libs);
static DEFINE_MUTEX(libs_mutex);

#define PIN_CLASS	"lunatik.pin"

static struct lunatik_lib *lib_find(const char *name)
{
	struct lunatik_lib *lib;

	list_for_each_entry(lib, &libs, entry)
		if (!strcmp(lib->name, name))
			return lib;
	return NULL;
}

int lunatik_register_lib(struct lunatik_lib *lib)
{
	int ret = 0;

	mutex_lock(&libs_mutex);
	if (lib_find(lib->name))
		ret = -EEXIST;
	else
		list_add_tail(&lib->entry, &libs);
	mutex_unlock(&libs_mutex);
	return ret;
}
EXPORT_SYMBOL(lunatik_register_lib);

void lunatik_unregister_lib(struct lunatik_lib *lib)
{
	mutex_lock(&libs_mutex);
	list_del(&lib->entry);
	mutex_unlock(&libs_mutex);
}
EXPORT_SYMBOL(lunatik_unregister_lib);

/* A pin holds a binding's module while the state may call into it. */
static int pin_gc(lua_State *L)
{
	struct module **owner = lua_touserdata(L, 1);

	if (*owner) {
		module_put(*owner);
		*owner = NULL;
	}
	return 0;
}

/*
 * Finds @name among the registered bindings and takes a reference on its
 * module.  Return: its open function, or NULL.
 */
static lua_CFunction lib_get(const char *name, struct module **owner)
{
	struct lunatik_lib *lib;
	lua_CFunction open = NULL;

	mutex_lock(&libs_mutex);
	lib = lib_find(name);
	if (lib && try_module_get(lib->owner)) {
		open = lib->open;
		*owner = lib->owner;
	}
	mutex_unlock(&libs_mutex);
	return open;
}

/*
 * Copies the name of the library that provides @service into @name: a
 * copy, as its module may go once the mutex is dropped.  Return: found.
 */
static bool lib_provider(const char *service, char *name, size_t size)
{
	struct lunatik_lib *lib;
	bool found = false;

	mutex_lock(&libs_mutex);
	list_for_each_entry(lib, &libs, entry) {
		if (lib->provides && !strcmp(lib->provides, service)) {
			strscpy(name, lib->name, size);
			found = true;
			break;
		}
	}
	mutex_unlock(&libs_mutex);
	return found;
}

/*
 * require()s the library that provides @service, loading its module
 * ("lunatik-<service>", an alias) where the state may sleep.  Raises if
 * there is none.
 */
void lunatik_require_provider(lua_State *L, const char *service)
{
	char name[MODULE_NAME_LEN];
	bool found = lib_provider(service, name, sizeof(name));

	if (!found && lport_mem_of(L)->can_sleep) {
		request_module("lunatik-%s", service);
		found = lib_provider(service, name, sizeof(name));
	}
	if (!found)
		luaL_error(L, "no kernel binding provides '%s' (module lunatik-%s)",
			   service, service);
	/* require pins the module, or fails if it went meanwhile */
	lua_getglobal(L, "require");
	lua_pushstring(L, name);
	lua_call(L, 1, 0);
}

static bool lib_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (!n || n >= MODULE_NAME_LEN - 3)
		return false;
	for (; *name; name++)
		if (!isalnum(*name) && *name != '_')
			return false;
	return true;
}

/*
 * "lib.sub": a binding's name, a dot, and a constant library's name.
 * Return: the dot, or NULL if @name is not of that shape.
 */
static const char *lib_dotted(const char *name)
{
	const char *dot = strchr(name, '.');
	const char *c;

	if (!dot || dot == name || !dot[1] ||
	    strlen(name) >= MODULE_NAME_LEN - 3)
		return NULL;
	for (c = name; *c; c++)
		if (!isalnum(*c) && *c != '_' && c != dot)
			return NULL;
	return dot;
}

/*
 * Finds the constant library "lib.sub" (@dot in @name) and takes a
 * reference on its module.  Return: it, or NULL; *@loaded: the binding
 * "lib" is registered (so its module need not be loaded to look again).
 */
static const struct lunatik_consts *
lib_getconsts(const char *name, const char *dot, struct module **owner,
	      bool *loaded)
{
	char libname[MODULE_NAME_LEN];
	const struct lunatik_consts *t = NULL;
	struct lunatik_lib *lib;

	strscpy(libname, name, min_t(size_t, dot - name + 1, sizeof(libname)));
	mutex_lock(&libs_mutex);
	lib = lib_find(libname);
	*loaded = lib;
	for (t = lib ? lib->consts : NULL; t && t->name; t++)
		if (!strcmp(t->name, dot + 1))
			break;
	if (t && (!t->name || !try_module_get(lib->owner)))
		t = NULL;
	if (t)
		*owner = lib->owner;
	mutex_unlock(&libs_mutex);
	return t;
}

static int consts_open(lua_State *L)
{
	lunatik_pushconsts(L, lua_touserdata(L, lua_upvalueindex(1)));
	return 1;
}

/* keeps the pin at -1 for the state's lifetime: registry[pin] = true */
static void lib_keeppin(lua_State *L)
{
	lua_pushvalue(L, -1);
	lua_pushboolean(L, 1);
	lua_rawset(L, LUA_REGISTRYINDEX);
	lua_pop(L, 1);
}

/* a pin holding no module yet, at -1 */
static struct module **lib_newpin(lua_State *L)
{
	struct module **pin = lua_newuserdatauv(L, sizeof(*pin), 0);

	*pin = NULL;
	luaL_setmetatable(L, PIN_CLASS);
	return pin;
}

void lunatik_pin(lua_State *L, struct module *owner)
{
	struct module **pin;

	if (!owner)
		return;
	pin = lib_newpin(L);
	if (!try_module_get(owner))
		luaL_error(L, "module %s is going away", module_name(owner));
	*pin = owner;
	lib_keeppin(L);
}

/* require "lib.sub" -> the constant library sub of the binding lib */
static int lib_constsearcher(lua_State *L, const char *name, const char *dot)
{
	struct module **pin;
	const struct lunatik_consts *t;
	bool loaded;

	pin = lib_newpin(L);
	t = lib_getconsts(name, dot, pin, &loaded);
	/* the binding's own module: lua<lib> */
	if (!t && !loaded && lport_mem_of(L)->can_sleep) {
		request_module("lua%.*s", (int)(dot - name), name);
		t = lib_getconsts(name, dot, pin, &loaded);
	}
	if (!t) {
		lua_pushfstring(L, "no kernel constants '%s' (module lua%s)",
				name, lua_pushlstring(L, name, dot - name));
		return 1;
	}
	lib_keeppin(L);
	lua_pushlightuserdata(L, (void *)t);
	lua_pushcclosure(L, consts_open, 1);
	lua_pushfstring(L, "lua%s", name);
	return 2;
}

/*
 * package.searchers entry: require "name" -> binding module "luaname";
 * require "name.sub" -> its constant library sub
 */
static int lib_searcher(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	struct lport_mem *mem = lport_mem_of(L);
	const char *dot = lib_dotted(name);
	struct module **pin;
	lua_CFunction open;
	int ret = 0;

	if (dot)
		return lib_constsearcher(L, name, dot);
	if (!lib_name_ok(name)) {
		lua_pushfstring(L, "no kernel binding '%s'", name);
		return 1;
	}
	/* the userdata first, so a failure below leaks no module ref */
	pin = lib_newpin(L);
	open = lib_get(name, pin);
	if (!open && mem->can_sleep) {
		/* < 0: modprobe did not run; > 0: its exit status */
		ret = request_module("lua%s", name);
		open = lib_get(name, pin);
	}
	if (!open && ret < 0) {
		lua_pushfstring(L, "no kernel binding '%s' (module lua%s: modprobe failed, error %d)",
				name, name, -ret);
		return 1;
	}
	if (!open) {
		lua_pushfstring(L, "no kernel binding '%s' (module lua%s)",
				name, name);
		return 1;
	}
	lib_keeppin(L);
	lua_pushcfunction(L, open);
	lua_pushfstring(L, "lua%s", name);
	return 2;
}

/* Inserts the binding searcher right after the preload searcher. */
static void lib_addsearcher(lua_State *L)
{
	int i, n;

	lua_getglobal(L, "package");
	lua_getfield(L, -1, "searchers");
	n = (int)lua_rawlen(L, -1);
	for (i = n; i >= 2; i--) {
		lua_rawgeti(L, -1, i);
		lua_rawseti(L, -2, i + 1);
	}
	lua_pushcfunction(L, lib_searcher);
	lua_rawseti(L, -2, 2);
	lua_getfield(L, -2, "preload");
	lua_pushcfunction(L, lunatik_open_lunatik);
	lua_setfield(L, -2, "lunatik");
	lua_pop(L, 3);
}

static const luaL_Reg pin_metamethods[] = {
	{ "__gc", pin_gc },
	{ NULL, NULL }
};

void lunatik_openlibs(lua_State *L)
{
	if (lport_openlibs(L) != LUA_OK)
		lua_error(L);
	lunatik_newmetatable(L, PIN_CLASS, NULL, pin_metamethods, NULL);
	lib_addsearcher(L);
	lua_pushliteral(L, LUNATIK_VERSION);
	lua_setglobal(L, "_LUNATIK_VERSION");
}

struct net *lunatik_getnet(pid_t pid)
{
	if (pid)
		return get_net_ns_by_pid(pid);
	if (!current->nsproxy)
		return ERR_PTR(-ENOENT);
	return get_net(current->nsproxy->net_ns);
}
EXPORT_SYMBOL(lunatik_getnet);
