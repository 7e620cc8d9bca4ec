// SPDX-License-Identifier: GPL-2.0
/*
 * Named runtimes: the ones `lunatik run` creates and `lunatik stop` ends.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/string.h>
#include <linux/kthread.h>
#include <linux/sched/task.h>

#include "lunatik.h"
#include "internal.h"

/*
 * The mutex guards the lists only: no chunk runs under it, so listing
 * never waits for a script that loads (or sleeps in its top-level chunk).
 * A name being loaded is reserved on @loading meanwhile.
 */
static LIST_HEAD(scripts);
static LIST_HEAD(loading);
static DEFINE_MUTEX(scripts_mutex);

/* a name reserved while its runtime is made; on the loader's stack */
struct script_loading {
	struct list_head entry;
	const char *name;
};

static struct lunatik_runtime *script_find(const char *name)
{
	struct lunatik_runtime *rt;

	list_for_each_entry(rt, &scripts, entry)
		if (!strcmp(rt->name, name))
			return rt;
	return NULL;
}

static bool script_loading(const char *name)
{
	struct script_loading *sl;

	list_for_each_entry(sl, &loading, entry)
		if (!strcmp(sl->name, name))
			return true;
	return false;
}

/* Reserves @sl->name: two clients running one name cannot both make it. */
static int script_reserve(struct script_loading *sl, char *err,
			  size_t errlen)
{
	int ret = 0;

	mutex_lock(&scripts_mutex);
	if (script_find(sl->name) || script_loading(sl->name)) {
		snprintf(err, errlen, "%s is already running", sl->name);
		ret = -EEXIST;
	} else {
		list_add_tail(&sl->entry, &loading);
	}
	mutex_unlock(&scripts_mutex);
	return ret;
}

/* Ends @sl's reservation, listing @rt in its place unless it is NULL. */
static void script_publish(struct script_loading *sl,
			   struct lunatik_runtime *rt)
{
	mutex_lock(&scripts_mutex);
	list_del(&sl->entry);
	if (rt)
		list_add_tail(&rt->entry, &scripts);
	mutex_unlock(&scripts_mutex);
}

int lunatik_script_run(const char *name, enum lunatik_ctx ctx,
		       const struct lunatik_opts *opts, char *err,
		       size_t errlen)
{
	struct script_loading sl = { .name = name };
	struct lunatik_runtime *rt;
	int ret;

	ret = script_reserve(&sl, err, errlen);
	if (ret)
		return ret;
	rt = lunatik_runtime_new(name, ctx, opts, err, errlen);
	script_publish(&sl, IS_ERR(rt) ? NULL : rt);
	return PTR_ERR_OR_ZERO(rt);
}

/* --- spawn: the function the script returned, in a kernel thread ------- */

static int script_hasmain(lua_State *L, void *arg)
{
	bool *has = arg;

	*has = lua_getfield(L, LUA_REGISTRYINDEX, LUNATIK_MAIN) ==
	       LUA_TFUNCTION;
	return 0;
}

static int script_main(lua_State *L, void *arg)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, LUNATIK_MAIN) != LUA_TFUNCTION)
		return luaL_error(L, "the script returned no function");
	lua_call(L, 0, 0);
	return 0;
}

/*
 * The thread holds no reference: the runtime outlives it, since
 * script_end() stops the thread before it drops the list's reference.  A
 * body that ends (or fails) leaves the runtime listed until `lunatik stop`.
 */
static int script_thread(void *arg)
{
	struct lunatik_runtime *rt = arg;

	return lunatik_callx(rt, script_main, NULL, LUNATIK_CALL_LONG, NULL,
			     0);
}

/* Starts @rt's thread; the task is pinned so that it can be stopped even
 * after its body ended by itself.
 */
static int script_start(struct lunatik_runtime *rt, char *err,
			size_t errlen)
{
	struct task_struct *task;
	bool has_main = false;
	int ret;

	ret = lunatik_callerr(rt, script_hasmain, &has_main, err, errlen);
	if (ret)
		return ret;
	if (!has_main) {
		snprintf(err, errlen, "%s returned no function", rt->name);
		return -ENOEXEC;
	}
	task = kthread_create(script_thread, rt, "%s", rt->name);
	if (IS_ERR(task)) {
		snprintf(err, errlen, "cannot create the thread (%ld)",
			 PTR_ERR(task));
		return PTR_ERR(task);
	}
	get_task_struct(task);
	rt->thread = task;
	wake_up_process(task);
	return 0;
}

/* Stops a runtime no longer listed: its thread first, which holds it. */
static void script_end(struct lunatik_runtime *rt)
{
	if (rt->thread) {
		kthread_stop(rt->thread);
		put_task_struct(rt->thread);
		rt->thread = NULL;
	}
	lunatik_runtime_stop(rt);
	lunatik_put(rt);
}

int lunatik_script_spawn(const char *name, const struct lunatik_opts *opts,
			 char *err, size_t errlen)
{
	struct script_loading sl = { .name = name };
	struct lunatik_runtime *rt;
	int ret;

	ret = script_reserve(&sl, err, errlen);
	if (ret)
		return ret;
	rt = lunatik_runtime_new(name, LUNATIK_PROCESS, opts, err, errlen);
	if (IS_ERR(rt)) {
		ret = PTR_ERR(rt);
		rt = NULL;
	} else {
		ret = script_start(rt, err, errlen);
		if (ret) {
			script_end(rt);
			rt = NULL;
		}
	}
	script_publish(&sl, rt);
	return ret;
}

int lunatik_script_stop(const char *name)
{
	struct lunatik_runtime *rt;
	bool busy;

	mutex_lock(&scripts_mutex);
	rt = script_find(name);
	if (rt)
		list_del_init(&rt->entry);
	busy = !rt && script_loading(name);
	mutex_unlock(&scripts_mutex);
	if (busy)
		return -EBUSY;
	if (!rt)
		return -ESRCH;
	script_end(rt);
	return 0;
}

int lunatik_script_foreach(int (*fn)(struct lunatik_runtime *rt, void *arg),
			   void *arg)
{
	struct lunatik_runtime *rt;
	int ret = 0;

	mutex_lock(&scripts_mutex);
	list_for_each_entry(rt, &scripts, entry) {
		ret = fn(rt, arg);
		if (ret)
			break;
	}
	mutex_unlock(&scripts_mutex);
	return ret;
}

void lunatik_scripts_exit(void)
{
	struct lunatik_runtime *rt, *tmp;
	LIST_HEAD(dead);

	mutex_lock(&scripts_mutex);
	list_splice_init(&scripts, &dead);
	mutex_unlock(&scripts_mutex);
	list_for_each_entry_safe(rt, tmp, &dead, entry) {
		list_del_init(&rt->entry);
		script_end(rt);
	}
}

void lunatik_script_stop_every(void)
{
	lunatik_scripts_exit();
	lunatik_runtime_stop_every();
}
EXPORT_SYMBOL(lunatik_script_stop_every);
