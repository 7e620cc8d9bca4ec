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

static LIST_HEAD(scripts);
static DEFINE_MUTEX(scripts_mutex);

int lunatik_script_valid(const char *name)
{
	size_t n = strnlen(name, LUNATIK_NAME_MAX);
	const char *p;

	if (n == LUNATIK_NAME_MAX)
		return -ENAMETOOLONG;
	if (!n || strstr(name, ".."))
		return -EINVAL;
	for (p = name; *p; p++)
		if (*p == '/' || *p <= ' ' || *p > '~')
			return -EINVAL;
	return 0;
}

static struct lunatik_runtime *script_find(const char *name)
{
	struct lunatik_runtime *rt;

	list_for_each_entry(rt, &scripts, entry)
		if (!strcmp(rt->name, name))
			return rt;
	return NULL;
}

/*
 * The mutex is held while the script's top-level chunk runs, so that two
 * clients running the same name cannot both create it; a chunk that does
 * not end is stopped by its budget.  Called with the mutex held.
 */
static struct lunatik_runtime *script_new(const char *name,
					  enum lunatik_ctx ctx,
					  const struct lunatik_opts *opts,
					  char *err, size_t errlen)
{
	if (script_find(name)) {
		snprintf(err, errlen, "%s is already running", name);
		return ERR_PTR(-EEXIST);
	}
	return lunatik_runtime_new(name, ctx, opts, err, errlen);
}

int lunatik_script_run(const char *name, enum lunatik_ctx ctx,
		       const struct lunatik_opts *opts, char *err,
		       size_t errlen)
{
	struct lunatik_runtime *rt;
	int ret = 0;

	mutex_lock(&scripts_mutex);
	rt = script_new(name, ctx, opts, err, errlen);
	if (IS_ERR(rt))
		ret = PTR_ERR(rt);
	else
		list_add_tail(&rt->entry, &scripts);
	mutex_unlock(&scripts_mutex);
	return ret;
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
	struct lunatik_runtime *rt;
	int ret;

	mutex_lock(&scripts_mutex);
	rt = script_new(name, LUNATIK_PROCESS, opts, err, errlen);
	if (IS_ERR(rt)) {
		ret = PTR_ERR(rt);
		goto out;
	}
	ret = script_start(rt, err, errlen);
	if (ret) {
		script_end(rt);
		goto out;
	}
	list_add_tail(&rt->entry, &scripts);
out:
	mutex_unlock(&scripts_mutex);
	return ret;
}

int lunatik_script_stop(const char *name)
{
	struct lunatik_runtime *rt;

	mutex_lock(&scripts_mutex);
	rt = script_find(name);
	if (rt)
		list_del_init(&rt->entry);
	mutex_unlock(&scripts_mutex);
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
