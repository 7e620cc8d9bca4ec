// SPDX-License-Identifier: GPL-2.0
/*
 * thread: kernel threads that run the function a runtime's script returned.
 *
 *	local rt = lunatik.runtime("worker")	-- returns function() ... end
 *	local t = thread.run(rt, "worker")	-- kthread "worker" runs it
 *	t:task()	-- {cpu, command, pid, tgid}
 *	t:stop()	-- kthread_stop(): wakes it, waits for the body to end
 *
 * In the body: thread.shouldstop(), thread.current().  Elsewhere,
 * thread.current() describes the task that runs Lua now: an object with
 * no runtime, whose task() works and whose stop() does nothing.
 *
 * The body is one entry into the runtime (LUNATIK_CALL_LONG): it holds the
 * runtime for as long as it runs, and its budget bounds the time it runs
 * between two sleeps (linux.schedule(), completion:wait()), so a body that
 * loops without sleeping is stopped by the budget.  Once kthread_stop() is
 * called those sleeps return at once and no longer renew the budget.
 *
 * Lifetimes.  The object holds its runtime and the task, and keeps the
 * runtime object alive (thread_anchor()).  The kthread holds
 * a reference on the object and on this module until its body returned, so
 * that the object is never released under it.  Stopping (t:stop(), the
 * collection of t, the end of the creating runtime) waits for the body:
 * stop a thread before its runtime.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/err.h>

#include "lunatik.h"

struct lthread {
	struct lunatik_runtime *rt;	/* NULL: current() of another task */
	struct task_struct *task;	/* pinned; NULL until started */
};

static const struct lunatik_class thread_class;

/* registry: thread userdata -> runtime userdata, weak keys (ephemerons) */
#define THREAD_ANCHORS	"thread.anchors"

/*
 * Keeps the runtime object at @rtidx alive for as long as the thread
 * object at the top is: collecting the runtime object stops the runtime,
 * which would wait for the thread's body.  When both go in one cycle (or
 * the state closes), the thread, created last, is finalized first.
 */
static void thread_anchor(lua_State *L, int rtidx)
{
	lua_getfield(L, LUA_REGISTRYINDEX, THREAD_ANCHORS);
	lua_pushvalue(L, -2);
	lua_pushvalue(L, rtidx);
	lua_rawset(L, -3);
	lua_pop(L, 1);
}

/* In the runtime: the function its script returned. */
static int thread_main(lua_State *L, void *arg)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, LUNATIK_MAIN) != LUA_TFUNCTION)
		return luaL_error(L, "thread: the script returned no function");
	lua_call(L, 0, 0);
	return 0;
}

static int thread_fn(void *arg)
{
	struct lunatik_object *obj = arg;
	struct lthread *t = lunatik_private(obj);
	char err[64];
	int ret;

	ret = lunatik_callx(t->rt, thread_main, NULL, LUNATIK_CALL_LONG, err,
			    sizeof(err));
	/* Lua errors are logged by the core; not what kept Lua from running */
	if (ret == -EBUSY || ret == -ENXIO)
		pr_warn_ratelimited("%s: %s\n", current->comm, err);
	lunatik_putobject(obj);
	/* never -EINTR: thread_stop() reads that as "never ran" */
	module_put_and_kthread_exit(0);
}

/* The object of the current kthread, if it is one of ours. */
static struct lunatik_object *thread_self(void)
{
	if (!(current->flags & PF_KTHREAD) || kthread_func(current) != thread_fn)
		return NULL;
	return kthread_data(current);
}

/*
 * Runs once, where the object is stopped.  A thread cannot wait for
 * itself: stopped from its own body, it ends when the body returns (and
 * thread.shouldstop() tells it so).
 */
static void thread_stop(struct lunatik_object *obj)
{
	struct lthread *t = lunatik_private(obj);

	if (!t->rt || !t->task || t->task == current)
		return;
	if (kthread_stop(t->task) == -EINTR) {
		/* thread_fn never ran: drop what it would have */
		lunatik_putobject(obj);
		module_put(THIS_MODULE);
	}
}

static void thread_release(struct lunatik_object *obj)
{
	struct lthread *t = lunatik_private(obj);

	if (t->task)
		put_task_struct(t->task);
	if (t->rt)
		lunatik_put(t->rt);
}

static bool thread_name_ok(const char *name, size_t len)
{
	size_t i;

	if (!len || len >= LUNATIK_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (name[i] <= ' ' || name[i] > '~')
			return false;
	return true;
}

/* thread.run(runtime, name): the kthread is named @name (cut to 15). */
static int thread_run(lua_State *L)
{
	struct lunatik_object *obj;
	struct lunatik_runtime *rt;
	struct task_struct *task;
	struct lthread *t;
	const char *name;
	size_t len;

	/* the userdata first: refuses an interrupt-context runtime, and its
	 * __gc owns what follows
	 */
	obj = lunatik_newobject(L, &thread_class, sizeof(*t));
	t = lunatik_private(obj);
	rt = lunatik_checkruntime(L, 1);
	name = luaL_checklstring(L, 2, &len);
	luaL_argcheck(L, thread_name_ok(name, len), 2,
		      "invalid thread name (1 to 63 printable characters)");
	luaL_argcheck(L, lunatik_runtime_ctx(rt) == LUNATIK_PROCESS, 1,
		      "the runtime must be a process runtime");
	thread_anchor(L, 1);
	t->rt = rt;
	lunatik_get(rt);
	lunatik_getobject(obj);		/* thread_fn's */
	__module_get(THIS_MODULE);
	task = kthread_create(thread_fn, obj, "%s", name);
	if (IS_ERR(task)) {
		module_put(THIS_MODULE);
		lunatik_putobject(obj);
		return luaL_error(L, "thread: cannot create %s (%d)", name,
				  (int)PTR_ERR(task));
	}
	get_task_struct(task);
	t->task = task;
	wake_up_process(task);
	return 1;
}

/* thread.shouldstop(): kthread_stop() was called, or t:stop() in the body */
static int thread_shouldstop(lua_State *L)
{
	struct lunatik_object *self = thread_self();

	lua_pushboolean(L, lunatik_should_stop() ||
			(self && lunatik_stopped(self)));
	return 1;
}

/*
 * thread.current(): in a thread's body, its object; for any other task
 * (the process that entered Lua), a new object that pins the task and has
 * no runtime.
 */
static int thread_current(lua_State *L)
{
	struct lunatik_object *obj = thread_self();
	struct lthread *t;

	if (obj) {
		lunatik_pushobject(L, obj);
		return 1;
	}
	obj = lunatik_newobject(L, &thread_class, sizeof(*t));
	t = lunatik_private(obj);
	get_task_struct(current);
	t->task = current;
	return 1;
}

static void setint(lua_State *L, const char *k, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, k);
}

/* t:task(): {cpu, command, pid, tgid}; valid after the body ended too */
static int thread_task(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &thread_class);
	struct task_struct *task = ((struct lthread *)lunatik_private(obj))->task;
	char comm[TASK_COMM_LEN];

	__get_task_comm(comm, sizeof(comm), task);
	lua_createtable(L, 0, 4);
	setint(L, "cpu", task_cpu(task));
	lua_pushstring(L, comm);
	lua_setfield(L, -2, "command");
	setint(L, "pid", task_pid_nr(task));
	setint(L, "tgid", task_tgid_nr(task));
	return 1;
}

static const luaL_Reg thread_methods[] = {
	{ "task", thread_task },
	{ NULL, NULL }
};

static const struct lunatik_class thread_class = {
	.name = "thread",
	.owner = THIS_MODULE,
	.methods = thread_methods,
	.release = thread_release,
	.stop = thread_stop,
	.contexts = LUNATIK_CTX_BIT(LUNATIK_PROCESS),
	.sleep = true,
	.shared = true,	/* _ENV.threads (the runner) */
};

static const luaL_Reg thread_funcs[] = {
	{ "run", thread_run },
	{ "shouldstop", thread_shouldstop },
	{ "current", thread_current },
	{ NULL, NULL }
};

static int luaopen_thread(lua_State *L)
{
	lunatik_newclass(L, &thread_class);
	if (luaL_getsubtable(L, LUA_REGISTRYINDEX, THREAD_ANCHORS) == 0) {
		lua_createtable(L, 0, 1);
		lua_pushliteral(L, "k");
		lua_setfield(L, -2, "__mode");
		lua_setmetatable(L, -2);
	}
	lua_pop(L, 1);
	luaL_newlib(L, thread_funcs);
	return 1;
}

LUNATIK_LIB(thread, luaopen_thread);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the thread library");
