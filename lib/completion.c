// SPDX-License-Identifier: GPL-2.0
/*
 * completion: one runtime (or thread) waits until another says it is done.
 *
 *	local c = completion.new()
 *	c:complete()		-- any context; lets one wait through
 *	c:wait([ms])		-- true, or nil and "timeout" / "interrupt"
 *
 * Like the kernel's struct completion (each complete() lets one wait
 * through), with its own wait queue so that a waiting kernel thread also
 * wakes for kthread_stop(), and waiters wake when the object is stopped.
 * Waiting sleeps: refused outside a process runtime.
 */
#include <linux/module.h>
#include <linux/wait.h>
#include <linux/jiffies.h>
#include <linux/sched.h>

#include "lunatik.h"

struct lcompletion {
	spinlock_t lock;	/* guards @done */
	unsigned int done;
	wait_queue_head_t wq;
};

static const struct lunatik_class completion_class;

static struct lcompletion *completion_check(lua_State *L,
					    struct lunatik_object **objp)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1,
							 &completion_class);

	if (objp)
		*objp = obj;
	return lunatik_private(obj);
}

/* c:complete() */
static int completion_complete(lua_State *L)
{
	struct lcompletion *c = completion_check(L, NULL);
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	if (c->done != UINT_MAX)
		c->done++;
	spin_unlock_irqrestore(&c->lock, flags);
	wake_up(&c->wq);
	return 0;
}

/*
 * c:wait([ms]): waits at most @ms milliseconds (default: no limit; 0 does
 * not sleep).  A signal, kthread_stop() of the waiting thread, or the
 * object stopped elsewhere interrupt the wait.
 */
static int completion_wait(lua_State *L)
{
	struct lunatik_object *obj;
	struct lcompletion *c = completion_check(L, &obj);
	long timeout = MAX_SCHEDULE_TIMEOUT;
	lua_Integer ms;
	bool done;
	long ret;

	if (!lua_isnoneornil(L, 2)) {
		ms = luaL_checkinteger(L, 2);
		luaL_argcheck(L, ms >= 0, 2, "negative time");
		timeout = msecs_to_jiffies(min_t(lua_Integer, ms, UINT_MAX));
	}
	lunatik_checksleep(L, "completion.wait");
	/* queued on @wq before @lock is dropped: no wake-up is lost */
	spin_lock_irq(&c->lock);
	ret = wait_event_interruptible_lock_irq_timeout(c->wq,
			c->done || lunatik_stopped(obj) ||
			lunatik_stopping(L), c->lock, timeout);
	done = c->done;
	if (done)
		c->done--;
	spin_unlock_irq(&c->lock);
	lunatik_budget_renew(L);
	if (done) {
		lua_pushboolean(L, true);
		return 1;
	}
	luaL_pushfail(L);
	lua_pushstring(L, ret == 0 ? "timeout" : "interrupt");
	return 2;
}

/* Wakes the waiters, which then see the object stopped. */
static void completion_stop(struct lunatik_object *obj)
{
	struct lcompletion *c = lunatik_private(obj);

	wake_up_all(&c->wq);
}

static const luaL_Reg completion_methods[] = {
	{ "complete", completion_complete },
	{ "wait", completion_wait },
	{ NULL, NULL }
};

static const struct lunatik_class completion_class = {
	.name = "completion",
	.owner = THIS_MODULE,
	.methods = completion_methods,
	.stop = completion_stop,
	.contexts = LUNATIK_CTX_ANY,
	.shared = true,
};

/* completion.new() */
static int completion_new(lua_State *L)
{
	struct lunatik_object *obj;
	struct lcompletion *c;

	obj = lunatik_newobject(L, &completion_class, sizeof(*c));
	c = lunatik_private(obj);
	spin_lock_init(&c->lock);
	init_waitqueue_head(&c->wq);
	return 1;
}

static const luaL_Reg completion_funcs[] = {
	{ "new", completion_new },
	{ NULL, NULL }
};

static int luaopen_completion(lua_State *L)
{
	lunatik_newclass(L, &completion_class);
	luaL_newlib(L, completion_funcs);
	return 1;
}

LUNATIK_LIB(completion, luaopen_completion);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the completion library");
