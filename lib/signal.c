// SPDX-License-Identifier: GPL-2.0
/*
 * signal: the signal state of the current task, and kill().
 *
 *	signal.sigmask(sig[, cmd])	-- cmd: 0 SIG_BLOCK (default),
 *					-- 1 SIG_UNBLOCK, 2 SIG_SETMASK
 *	signal.sigpending()		--> whether a signal is pending
 *	signal.sigstate(sig[, what])	--> what: "blocked" (default),
 *					-- "pending" or "allowed"
 *	signal.kill(pid[, sig])		-- sig defaults to SIGKILL; 0 only
 *					-- checks that the process exists
 *
 * Signal numbers are those of linux.signal.  The current task is the one
 * that entered Lua: meaningful only in process context, so every function
 * refuses to run in a softirq or hardirq runtime.  kill() sends with the
 * kernel's privilege (no permission check), to a pid of the current
 * task's namespace; errors are raised as "signal.kill: ESRCH ...".
 */
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/pid.h>
#include <linux/threads.h>

#include "lunatik.h"

static int signal_checksig(lua_State *L, int idx, lua_Integer min)
{
	lua_Integer sig = luaL_checkinteger(L, idx);

	luaL_argcheck(L, sig >= min && sig <= _NSIG, idx, "invalid signal");
	return (int)sig;
}

static int signal_error(lua_State *L, const char *fn, int err)
{
	switch (err) {
	case -ESRCH:
		return luaL_error(L, "signal.%s: ESRCH (no such process)", fn);
	case -EPERM:
		return luaL_error(L, "signal.%s: EPERM (not permitted)", fn);
	case -EINVAL:
		return luaL_error(L, "signal.%s: EINVAL (invalid argument)",
				  fn);
	default:
		return luaL_error(L, "signal.%s: error %d", fn, -err);
	}
}

/* sigmask(sig[, cmd]): SIGKILL and SIGSTOP stay unblocked, silently */
static int signal_sigmask(lua_State *L)
{
	int sig = signal_checksig(L, 1, 1);
	lua_Integer cmd = luaL_optinteger(L, 2, SIG_BLOCK);
	sigset_t set;
	int ret;

	luaL_argcheck(L, cmd == SIG_BLOCK || cmd == SIG_UNBLOCK ||
		      cmd == SIG_SETMASK, 2, "SIG_BLOCK, SIG_UNBLOCK or "
		      "SIG_SETMASK expected");
	sigemptyset(&set);
	sigaddset(&set, sig);
	/* what rt_sigprocmask(2) does; sigprocmask() itself does not */
	sigdelsetmask(&set, sigmask(SIGKILL) | sigmask(SIGSTOP));
	ret = sigprocmask((int)cmd, &set, NULL);
	if (ret)
		return signal_error(L, "sigmask", ret);
	return 0;
}

static int signal_sigpending(lua_State *L)
{
	lua_pushboolean(L, signal_pending(current));
	return 1;
}

/*
 * sigstate(sig[, what]): "pending" reads the thread's own pending set; a
 * signal sent to the process (as kill() sends it) is in the shared set:
 * sigpending() sees it.
 */
static int signal_sigstate(lua_State *L)
{
	static const char *const what[] = {
		"blocked", "pending", "allowed", NULL
	};
	int sig = signal_checksig(L, 1, 1);
	int opt = luaL_checkoption(L, 2, "blocked", what);
	bool blocked, pending;

	spin_lock_irq(&current->sighand->siglock);
	blocked = sigismember(&current->blocked, sig);
	pending = sigismember(&current->pending.signal, sig);
	spin_unlock_irq(&current->sighand->siglock);
	lua_pushboolean(L, opt == 0 ? blocked : opt == 1 ? pending : !blocked);
	return 1;
}

/* kill(pid[, sig]) --> true */
static int signal_kill(lua_State *L)
{
	lua_Integer nr = luaL_checkinteger(L, 1);
	int sig = lua_isnoneornil(L, 2) ? SIGKILL : signal_checksig(L, 2, 0);
	struct pid *pid;
	int ret;

	luaL_argcheck(L, nr > 0 && nr <= PID_MAX_LIMIT, 1, "invalid pid");
	pid = find_get_pid((pid_t)nr);
	if (!pid)
		return signal_error(L, "kill", -ESRCH);
	ret = kill_pid(pid, sig, 1);
	put_pid(pid);
	if (ret)
		return signal_error(L, "kill", ret);
	lua_pushboolean(L, 1);
	return 1;
}

/* all of them act on the current task, a process's: only where it may sleep */
static const struct lunatik_reg signal_funcs[] = {
	{ "sigmask", signal_sigmask, LUNATIK_SLEEPS },
	{ "sigpending", signal_sigpending, LUNATIK_SLEEPS },
	{ "sigstate", signal_sigstate, LUNATIK_SLEEPS },
	{ "kill", signal_kill, LUNATIK_SLEEPS },
	{ NULL, NULL, 0 }
};

static int luaopen_signal(lua_State *L)
{
	lunatik_newlib(L, "signal", signal_funcs);
	return 1;
}

LUNATIK_LIB(signal, luaopen_signal);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the signal library");
