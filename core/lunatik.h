/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lunatik.h - the core's API: runtimes, objects, bindings.
 *
 * Bindings (lib/) and the control interface use this header only; they
 * never reach into Lua's internals or into another binding.
 */
#ifndef LUNATIK_H
#define LUNATIK_H

#include <linux/types.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/ratelimit.h>
#include <linux/workqueue.h>
#include <asm/unaligned.h>

#include "lua.h"
#include "lauxlib.h"
#include "lport.h"

#define LUNATIK_VERSION_NUM	"0.1"
#define LUNATIK_VERSION		"lunatik " LUNATIK_VERSION_NUM
#define LUNATIK_NAME_MAX	64	/* script name, NUL included */
#define LUNATIK_SCRIPT_DIR	"/lib/modules/lua/"
#define LUNATIK_MAIN		"lunatik.main"	/* registry: what the script returned */
/*
 * registry: the table behind lunatik._ENV, set by the open of the binding
 * that provides the service LUNATIK_ENV_SERVICE (struct lunatik_lib)
 */
#define LUNATIK_ENV		"lunatik._ENV"
#define LUNATIK_ENV_SERVICE	"env"
/*
 * How deep lunatik.runtime() may nest: a runtime made by the top-level
 * chunk of a runtime made by ... (each level runs its chunk on the stack
 * of the one above; the runtimes' lock classes are nested by this depth).
 */
#define LUNATIK_NEST_MAX	4
/* the longest budget one entry may have (one day); longer: no budget */
#define LUNATIK_BUDGET_MAX_NS	(86400ULL * NSEC_PER_SEC)	/* uapi.h's ms */

/**
 * enum lunatik_ctx - where a runtime's hooks run
 * @LUNATIK_PROCESS: may sleep; the runtime's lock is a mutex
 * @LUNATIK_SOFTIRQ: netfilter, XDP; spinlock taken with bottom halves off
 * @LUNATIK_HARDIRQ: kprobes, notifiers; spinlock taken with interrupts off
 */
enum lunatik_ctx {
	LUNATIK_PROCESS,
	LUNATIK_SOFTIRQ,
	LUNATIK_HARDIRQ,
};
#define LUNATIK_CTX_BIT(c)	(1U << (c))
#define LUNATIK_CTX_ANY		(LUNATIK_CTX_BIT(LUNATIK_PROCESS) | \
				 LUNATIK_CTX_BIT(LUNATIK_SOFTIRQ) | \
				 LUNATIK_CTX_BIT(LUNATIK_HARDIRQ))

const char *lunatik_ctx_name(enum lunatik_ctx ctx);
int lunatik_ctx_parse(const char *name, enum lunatik_ctx *ctx);

/**
 * struct lunatik_opts - knobs of a new runtime (zero: the defaults)
 * @memcap: byte cap of the Lua state (0: LUNATIK_DEFAULT_MEMCAP)
 * @budget_ns: longest time one entry into Lua may run (0: the default of
 *	the context; U64_MAX: no budget; else at most LUNATIK_BUDGET_MAX_NS)
 * @bytecode: allow binary chunks
 * @percpu: one runtime per possible CPU (see lunatik_runtime_new())
 * @depth: how deep in nested creation: 0 for a runtime that no runtime
 *	made (set by the core for lunatik.runtime(); at most
 *	LUNATIK_NEST_MAX)
 * @instance: a per-CPU instance for CPU @cpu: one runtime, of no group,
 *	whose script sees @cpu as lunatik.cpu() (upstream's
 *	lunatik.runtime(script, ctx, cpu), one per CPU, from the runner)
 * @cpu: with @instance, a possible CPU id
 */
struct lunatik_opts {
	size_t memcap;
	u64 budget_ns;
	bool bytecode;
	bool percpu;
	bool instance;
	bool object;
	unsigned int cpu;
	unsigned int depth;
};

#define LUNATIK_DEFAULT_MEMCAP	(32UL << 20)

struct lunatik_hook;

/*
 * struct lunatik_runtime - one Lua state and what guards it: private to
 * the core (core/internal.h); bindings hold references
 * (lunatik_get(), lunatik_put()) and ask through the functions below.
 */
struct lunatik_runtime;

/**
 * lunatik_runtime_new() - create a runtime and run its script
 * @script: name of /lib/modules/lua/@script.lua (validated by
 *	lunatik_script_valid(): relative, no "..", shorter than
 *	LUNATIK_NAME_MAX)
 * @ctx: context of the runtime's hooks
 * @opts: knobs, or NULL for the defaults
 * @err: buffer for the error text, or NULL
 * @errlen: its size
 *
 * Process context only.  The top-level chunk runs here, in process context,
 * with the runtime not yet ready.
 *
 * With @opts->percpu, one runtime is made per possible CPU, each running
 * the script (the first possible CPU's last; scripts see their CPU as
 * lunatik.cpu), and the first CPU's is returned: the group's primary.
 * Hooks its bindings register dispatch each event to the runtime of the
 * CPU it fires on (see lunatik_twin()); stopping the primary stops the
 * whole group.
 *
 * Return: the runtime (one reference, the caller's), or an ERR_PTR with
 * the Lua error in @err.
 */
struct lunatik_runtime *lunatik_runtime_new(const char *script,
					    enum lunatik_ctx ctx,
					    const struct lunatik_opts *opts,
					    char *err, size_t errlen);

/**
 * lunatik_runtime_stop() - close the runtime's state
 * @rt: the runtime
 *
 * Process context.  No new entry starts once it is called, and the
 * running one (a hook, a kernel thread's body) raises "runtime stopped" at
 * its next budget check; sleeping calls in it return early.  After it
 * returns no Lua code of @rt runs any more and every object the state
 * owned has been released (hooks unregistered), unless the wait for a
 * running entry was cut by a fatal signal: the stop then completes in the
 * background as soon as that entry returns.  Stopping twice is harmless.
 * Does not drop the caller's reference.
 *
 * Return: 0, or -ESRCH if it was already stopped.
 */
int lunatik_runtime_stop(struct lunatik_runtime *rt);

/**
 * lunatik_runtime_stop_put() - stop @rt and drop the caller's reference
 * @rt: the runtime, of no per-CPU group
 *
 * Any context.  Where the caller may sleep, lunatik_runtime_stop() then
 * lunatik_put(); elsewhere (or where waiting for @rt would deadlock) @rt
 * takes no new entry at once and is closed from the core's workqueue.
 */
void lunatik_runtime_stop_put(struct lunatik_runtime *rt);

/* lunatik_get(), lunatik_put() - take and drop a reference on @rt */
void lunatik_get(struct lunatik_runtime *rt);
void lunatik_put(struct lunatik_runtime *rt);

/* lunatik_runtime_name() - the script's name ("" for an anonymous one) */
const char *lunatik_runtime_name(const struct lunatik_runtime *rt);

/* lunatik_runtime_budget() - its per-entry budget in ns (0: none) */
u64 lunatik_runtime_budget(const struct lunatik_runtime *rt);

/**
 * struct lunatik_info - a runtime's figures, summed over its group
 * @ncpus: runtimes in the group (0: not a per-CPU runtime)
 * @ready: all of them are ready
 * (the other fields: struct lunatik_runtime's mem and stats)
 */
struct lunatik_info {
	unsigned int ncpus;
	bool ready;
	u64 mem_used;
	u64 mem_peak;
	u64 mem_cap;
	u64 calls;
	u64 errors;
	u64 ns;
	u64 budget_trips;
	u64 skipped;
};

/**
 * lunatik_runtime_info() - fill @info for @rt (and its group)
 * Reads counters without the runtimes' locks: a snapshot, maybe a little
 * stale.  Call where @rt cannot be stopped meanwhile.
 */
void lunatik_runtime_info(struct lunatik_runtime *rt,
			  struct lunatik_info *info);

/**
 * lunatik_call() - enter a runtime's Lua state
 * @rt: the runtime
 * @fn: called with the state; may raise Lua errors (it runs protected)
 * @arg: passed to @fn
 *
 * Takes the runtime's lock as its context requires, checks that the
 * runtime is ready and not stopped, arms the budget, calls @fn in protected
 * mode, accounts the call, and logs a Lua error (rate-limited).  Callable
 * from the runtime's context (and from any context the lock allows).
 *
 * Return: @fn's return value, -ENXIO if stopped or not ready, -EBUSY if
 * a kernel thread's body holds it (LUNATIK_CALL_LONG), -ECANCELED if the
 * budget stopped it, -EIO on another Lua error.
 */
int lunatik_call(struct lunatik_runtime *rt, int (*fn)(lua_State *L,
		 void *arg), void *arg);

/**
 * lunatik_callerr() - lunatik_call(), keeping the error text
 * @err: receives the Lua error message (or why nothing ran); may be NULL
 * @errlen: its size
 */
int lunatik_callerr(struct lunatik_runtime *rt, int (*fn)(lua_State *L,
		    void *arg), void *arg, char *err, size_t errlen);

/* lunatik_callx() flags */
#define LUNATIK_CALL_LONG	(1U << 0)
#define LUNATIK_CALL_RTNL	(1U << 1)
#define LUNATIK_CALL_NESTED	(1U << 2)

/**
 * lunatik_callx() - lunatik_callerr() with flags
 * @flags: LUNATIK_CALL_LONG: a long-running entry, the body of a kernel
 *	thread.  Its budget bounds the time Lua runs between two sleeps
 *	(see lunatik_budget_renew()), not the whole entry.  The entry holds
 *	the runtime for as long as it runs: other entries fail meanwhile
 *	with -EBUSY.  Process runtimes only (-EINVAL otherwise).
 *	LUNATIK_CALL_RTNL: the caller holds RTNL (a netdevice notifier), so
 *	what would take it from Lua (rtnetlink) must raise instead
 *	(lunatik_rtnl_held()); and a process runtime's mutex is only tried
 *	(-EBUSY if another entry holds it), since that entry may be taking
 *	RTNL.
 *	LUNATIK_CALL_NESTED: the caller may hold other runtimes (an entry
 *	into one runtime from another's, rt:resume()): a wait that would
 *	close a cycle (A waits for B, whose holder waits for A) fails with
 *	-EDEADLK instead.
 */
int lunatik_callx(struct lunatik_runtime *rt, int (*fn)(lua_State *L,
		  void *arg), void *arg, unsigned int flags, char *err,
		  size_t errlen);

/**
 * lunatik_callfin() - lunatik_call() with an epilogue under the lock
 * @fin: called with @arg once @fn has returned or raised, before the
 *	runtime's lock is dropped (only if @fn ran).  It must not raise or
 *	touch the state: it is for what only the entry may see, such as a
 *	handle on a packet that must be dead before anyone else can enter.
 *
 * A binding that would otherwise wrap its Lua call in a second lua_pcall()
 * just to clean up on error saves that nested protected call.
 */
int lunatik_callfin(struct lunatik_runtime *rt, int (*fn)(lua_State *L,
		    void *arg), void (*fin)(void *arg), void *arg);

/**
 * lunatik_budget_renew() - start the budget of a long entry again
 * @L: the state, in the entry
 *
 * A binding calls it after it may have slept.  No-op unless the entry is
 * LUNATIK_CALL_LONG, the task did sleep (a voluntary context switch)
 * since the entry or the last renewal, the budget has not run out, and
 * the thread was not asked to stop: so a loop that never sleeps is still
 * stopped by the budget, and a body that ignores thread.shouldstop() ends
 * within one budget after kthread_stop().
 */
void lunatik_budget_renew(lua_State *L);

/**
 * lunatik_should_stop() - the current task is a kernel thread that was
 * asked to stop (kthread_stop()).  Sleeping calls check it after setting
 * their task state, and return at once when it is set.
 */
bool lunatik_should_stop(void);

/**
 * lunatik_stopping() - the entry of @L should end: lunatik_should_stop(),
 * or its runtime is being stopped (lunatik_runtime_stop() wakes it), or
 * its task was killed.  Sleeping calls check it after setting their task
 * state, and return at once when it is set.
 */
bool lunatik_stopping(lua_State *L);

/**
 * lunatik_rtnl_held() - the current task entered Lua holding RTNL
 * (LUNATIK_CALL_RTNL), here or in a runtime further up its stack: taking
 * RTNL again (an rtnetlink request) would deadlock.
 */
bool lunatik_rtnl_held(void);

/**
 * lunatik_toruntime() - the runtime that owns a Lua state
 * @L: any state or thread of a runtime
 */
struct lunatik_runtime *lunatik_toruntime(lua_State *L);

/* --- named runtimes: what `lunatik run/stop/list` manage -------------- */

/**
 * lunatik_script_valid() - whether @name may name a script: a path under
 * LUNATIK_SCRIPT_DIR without ".lua" ("echo", "examples/echod/worker")
 * Return: 0, or -EINVAL (bad characters, absolute, "..", an empty or "."
 * component, empty) or -ENAMETOOLONG.
 */
int lunatik_script_valid(const char *name);

/**
 * lunatik_script_run() - create a runtime for @name and list it
 * Return: 0, -EEXIST if a runtime of that name runs, or the error of
 * lunatik_runtime_new() (text in @err).
 */
int lunatik_script_run(const char *name, enum lunatik_ctx ctx,
		       const struct lunatik_opts *opts, char *err,
		       size_t errlen);

/**
 * lunatik_script_spawn() - lunatik_script_run() in process context, then
 * run the function the script returned in a kernel thread named @name
 * Return: 0, -EEXIST, -ENOEXEC if the script returned no function, the
 * error of lunatik_script_run(), or of kthread_run().
 */
int lunatik_script_spawn(const char *name, const struct lunatik_opts *opts,
			 char *err, size_t errlen);

/**
 * lunatik_script_stop_every() - stop every script (as
 * lunatik_script_stop()), then every other runtime: those scripts made
 * (lunatik.runtime(), kept in lunatik._ENV by the runner).  Process
 * context; for unloading.
 */
void lunatik_script_stop_every(void);

/**
 * lunatik_script_stop() - stop and unlist the runtime named @name
 * A spawned script's thread is stopped first (kthread_stop()).
 * Return: 0, -ESRCH, or -EBUSY while its top-level chunk still runs.
 */
int lunatik_script_stop(const char *name);

/**
 * lunatik_script_foreach() - call @fn for every listed runtime
 * @fn: called under the list's mutex, with a reference held; returns
 *	non-zero to stop the walk
 * Return: the non-zero value @fn returned, or 0.
 */
int lunatik_script_foreach(int (*fn)(struct lunatik_runtime *rt, void *arg),
			   void *arg);

/**
 * lunatik_runtime_foreach_object() - call @fn for every runtime object
 * (made by lunatik.runtime(), lunatik_opts @object) not stopped yet
 * @fn: called under a spinlock with interrupts off: it must not sleep
 *	nor take the runtime's lock; returns non-zero to stop the walk.
 *	The runtime cannot be freed meanwhile, but may be stopping.
 * Return: the non-zero value @fn returned, or 0.
 */
int lunatik_runtime_foreach_object(int (*fn)(struct lunatik_runtime *rt,
					     void *arg), void *arg);

/**
 * lunatik_runtime_cpu() - the CPU a per-CPU runtime serves
 * Return: the CPU id, or -1 for a runtime that serves no one CPU.
 */
int lunatik_runtime_cpu(const struct lunatik_runtime *rt);

/**
 * lunatik_checkruntime() - the runtime of the runtime object at @idx
 * (what lunatik.runtime() returned).  Raises a Lua error if it is not
 * one or if it was stopped.  The runtime is valid while the object is.
 */
struct lunatik_runtime *lunatik_checkruntime(lua_State *L, int idx);

/* --- objects ---------------------------------------------------------- */

struct lunatik_object;

/**
 * struct lunatik_view - a userdata whose bytes scripts read and write at
 * offsets (a data object, a packet view): the core gives it getuint16()
 * and the rest, getstring(), setstring(), checksum(), length() and #
 * (core/view.c), over these two
 * @name: what its errors start with ("data", "skb")
 * @tname: its metatable's name (luaL_checkudata()'s): the methods check
 *	their first argument against it before any other
 * @acquire: the bytes of the userdata at @idx (checked): their base, and
 *	their size in *@size; @write if they are to be written.  May raise
 *	before it takes anything; what it takes (the object's lock) goes in
 *	*@ctx and is held until @release.
 * @release: drops what @acquire took; never raises.  May be NULL.
 */
struct lunatik_view {
	const char *name;
	const char *tname;
	u8 *(*acquire)(lua_State *L, int idx, size_t *size, bool write,
		       void **ctx);
	void (*release)(void *ctx);
};

/**
 * struct lunatik_class - what kind of object a binding makes
 * @name: also the name of the Lua metatable (e.g. "device")
 * @methods: methods, reachable through __index; may be NULL
 * @release: frees @private when the last reference goes; may be NULL.
 *	Runs where that reference is dropped: a class whose release may
 *	sleep must not be in an interrupt-context runtime (see @contexts).
 * @stop: called once when the owning state closes the object (__gc,
 *	__close or :stop()), before the reference is dropped; unregisters
 *	hooks.  May be NULL.
 * @owner: THIS_MODULE: every object pins it until released, so that an
 *	object kept elsewhere (lunatik._ENV) never outlives its class's code.
 *	NULL only for a class whose every holder pins the module already.
 * @contexts: LUNATIK_CTX_BIT()s of the runtimes that may create it
 * @sleep: the object's lock is a mutex (else a spinlock with IRQs off)
 * @shared: may be passed to another runtime (lunatik._ENV, rt:resume())
 * @lasting: the creating userdata's collection does not stop it: it stops
 *	when stopped (:stop()) or when its last reference goes, in @release
 * @metamethods: set on the metatable (not __gc or __close: the core's),
 *	each with the methods table as its upvalue (an __index function
 *	reaches the methods through it); may be NULL.  Without a __tostring
 *	of the class's, the core's gives "name: 0x... [(stopped)]".
 * @view: a byte-view class (struct lunatik_view): its methods and # too
 * @hook_register: a hook class's registration (see lunatik_hook_register())
 * @unregister: undoes it; process context, no runtime lock held; returns
 *	once no callback of the object runs any more.  Called by the core
 *	after @stop, only for a hook whose registration succeeded.
 */
struct lunatik_class {
	const char *name;
	const luaL_Reg *methods;
	const luaL_Reg *metamethods;
	const struct lunatik_view *view;
	void (*release)(struct lunatik_object *obj);
	void (*stop)(struct lunatik_object *obj);
	int (*hook_register)(struct lunatik_object *obj);
	void (*unregister)(struct lunatik_object *obj);
	struct module *owner;
	unsigned int contexts;
	bool sleep;
	bool shared;
	bool lasting;
};

/*
 * struct lunatik_object - a refcounted kernel object seen from Lua:
 * private to the core (core/internal.h); bindings reach their data with
 * lunatik_private() and ask the rest through the functions below.
 */
struct lunatik_object;

/* lunatik_private() - the binding's data (allocated with the object, zeroed) */
void *lunatik_private(const struct lunatik_object *obj);

/* lunatik_stopped() - the class's stop ran (any context; a snapshot) */
bool lunatik_stopped(const struct lunatik_object *obj);

/* lunatik_classof() - the object's class */
const struct lunatik_class *lunatik_classof(const struct lunatik_object *obj);

/* lunatik_lock_held() - for lockdep conditions: the object's lock is held */
bool lunatik_lock_held(const struct lunatik_object *obj);

/**
 * lunatik_newobject() - create an object and push its userdata
 * @L: the state
 * @class: its class
 * @size: bytes of private data
 *
 * Raises a Lua error if @class may not live in this runtime's context, or
 * on allocation failure (nothing leaks).  The pushed userdata owns one
 * reference; its __gc (or __close, or :stop()) stops the object.
 *
 * Return: the object; @private is zeroed.
 */
struct lunatik_object *lunatik_newobject(lua_State *L,
					 const struct lunatik_class *class,
					 size_t size);

/**
 * lunatik_createobject() - create an object outside any Lua state
 * @class: its class
 * @size: bytes of private data (zeroed)
 * @gfp: allocation flags
 *
 * For objects a binding owns itself (e.g. the table behind lunatik._ENV):
 * the caller holds the only reference and drops it with
 * lunatik_putobject(); no userdata stops it.
 *
 * Return: the object, or NULL on allocation failure.
 */
struct lunatik_object *lunatik_createobject(const struct lunatik_class *class,
					    size_t size, gfp_t gfp);

/**
 * lunatik_toobject() - the object at @idx, of any class
 * Return: NULL if the value is not a lunatik object, or it was stopped.
 */
struct lunatik_object *lunatik_toobject(lua_State *L, int idx);

/**
 * lunatik_checkobject() - the object at @idx, of @class
 * Raises a Lua error if it is not one, or if it was stopped.
 */
struct lunatik_object *lunatik_checkobject(lua_State *L, int idx,
					   const struct lunatik_class *class);

/**
 * lunatik_checkclass() - like lunatik_checkobject(), stopped objects too
 * For what stays readable after a stop (an object's counters): the
 * private data lives until the last reference goes.
 */
struct lunatik_object *lunatik_checkclass(lua_State *L, int idx,
					  const struct lunatik_class *class);

/**
 * lunatik_testobject() - like lunatik_checkobject(), NULL instead of errors
 */
struct lunatik_object *lunatik_testobject(lua_State *L, int idx,
					  const struct lunatik_class *class);

/**
 * lunatik_charge() - count @bytes of kernel memory held for @obj against
 * the memory cap of the runtime that made it
 * @obj: an object made by lunatik_newobject() (which charges the object
 *	itself); one made outside a state is charged to nothing
 * @bytes: what the binding allocates (or is about to) for it
 *
 * Any context.  The charge lasts until lunatik_uncharge() or the object's
 * release, even after its runtime stopped.
 *
 * Return: 0, or -ENOMEM if the runtime's cap would be exceeded (nothing
 * charged).
 */
int lunatik_charge(struct lunatik_object *obj, size_t bytes);

/* lunatik_uncharge() - give back what lunatik_charge() took */
void lunatik_uncharge(struct lunatik_object *obj, size_t bytes);

/**
 * lunatik_pushobject() - push a new userdata for an existing object
 * Takes a reference (the userdata's).  Raises on allocation failure.
 */
void lunatik_pushobject(lua_State *L, struct lunatik_object *obj);

/**
 * lunatik_stopobject() - stop the object now (what obj:stop() does)
 */
void lunatik_stopobject(struct lunatik_object *obj);

void lunatik_getobject(struct lunatik_object *obj);
void lunatik_putobject(struct lunatik_object *obj);

/* The object's own lock; keep lock and unlock visible at the call site. */
void lunatik_lock(struct lunatik_object *obj);
void lunatik_unlock(struct lunatik_object *obj);

/**
 * lunatik_newclass() - register @class's metatable in @L
 * Call from the binding's luaopen function, before creating objects.
 */
void lunatik_newclass(lua_State *L, const struct lunatik_class *class);

/**
 * struct lunatik_const - one named integer of a constant table
 * (lunatik_setconsts()); an array of them ends with { NULL, 0 }
 */
struct lunatik_const {
	const char *name;
	lua_Integer value;
};

/**
 * lunatik_setconsts() - the table at -1 gets a field @field, a table of
 * @consts (name = value)
 */
void lunatik_setconsts(lua_State *L, const char *field,
		       const struct lunatik_const *consts);

/**
 * struct lunatik_field - one scalar member of a struct layout
 * @name: the member's name
 * @offset: offsetof()
 * @size: its size in bytes
 * @sign: its type is signed
 */
struct lunatik_field {
	const char *name;
	u16 offset;
	u16 size;
	bool sign;
};

#define LUNATIK_FIELD(type, member)					\
	{ #member, offsetof(type, member), sizeof_field(type, member),	\
	  (typeof(((type *)0)->member))-1 < (typeof(((type *)0)->member))1 }

/**
 * struct lunatik_layout - a struct's layout, for scripts that pack and
 * unpack it: the table {size = @size, fields = {{name =, offset =, size =,
 * signed =}, ...}}
 * @name: its key in its table
 * @size: sizeof()
 * @fields: its members, ending with a NULL name
 */
struct lunatik_layout {
	const char *name;
	size_t size;
	const struct lunatik_field *fields;
};

/**
 * struct lunatik_consts - a table of constants, maybe nested
 * @name: its name: the field in its parent, or the library's last part
 *	(require "linux.stat" is the table "stat" of the binding "linux")
 * @consts: its integers (NULL if none), ending with { NULL, 0 }
 * @subs: its nested tables (NULL if none), ending with a NULL @name
 * @layouts: its struct layouts (NULL if none), ending with a NULL @name
 */
struct lunatik_consts {
	const char *name;
	const struct lunatik_const *consts;
	const struct lunatik_consts *subs;
	const struct lunatik_layout *layouts;
};

/**
 * lunatik_pushconsts() - pushes a new table of @t's constants, nested
 * tables and layouts
 */
void lunatik_pushconsts(lua_State *L, const struct lunatik_consts *t);

/**
 * lunatik_newmetatable() - the metatable @name (luaL_checkudata()'s) for
 * a userdata that is not an object (a handle, a view): __index = @methods
 * (and @view's methods, and # for a view), then @metamethods (each with
 * the methods table as upvalue).  Each NULL if none; nothing if @name
 * exists in the state.
 */
void lunatik_newmetatable(lua_State *L, const char *name,
			  const luaL_Reg *methods,
			  const luaL_Reg *metamethods,
			  const struct lunatik_view *view);

/* --- contexts: what the code running in a state may do --------------- */

/**
 * lunatik_gfp() - the allocation flags of the code running in @L now
 * (GFP_KERNEL in process context, GFP_ATOMIC in a softirq or hardirq
 * runtime's entries)
 */
gfp_t lunatik_gfp(lua_State *L);

/**
 * lunatik_cansleep() - whether the code running in @L may sleep: a
 * process runtime (or a state of no runtime) in process context.  A
 * softirq or hardirq runtime's top-level chunk is in process context, but
 * the same call in its hooks could not sleep: false there too.
 */
bool lunatik_cansleep(lua_State *L);

/**
 * lunatik_checksleep() - raise "@what: cannot sleep in a <ctx> runtime"
 * unless lunatik_cansleep(@L)
 */
void lunatik_checksleep(lua_State *L, const char *what);

/**
 * lunatik_toplevel() - @L's runtime runs its top-level chunk: process
 * context, no runtime lock held, no hook of it runs yet.  Where hooks
 * whose registration may sleep are made.  False while the state closes.
 */
bool lunatik_toplevel(lua_State *L);

/**
 * struct lunatik_reg - luaL_Reg with what the function needs of its
 * context, for libraries of plain functions (lunatik_newlib())
 * @flags: LUNATIK_SLEEPS: it may sleep, so where the caller cannot
 *	(lunatik_cansleep()) it raises "<lib>.<name>: cannot sleep in a
 *	<ctx> runtime" before it runs
 */
struct lunatik_reg {
	const char *name;
	lua_CFunction func;
	unsigned int flags;
};

#define LUNATIK_SLEEPS	(1U << 0)

/**
 * lunatik_newlib() - luaL_newlib() for @regs (ending with a NULL name):
 * the table of library @lib's functions, pushed
 */
void lunatik_newlib(lua_State *L, const char *lib,
		    const struct lunatik_reg *regs);

/**
 * lunatik_checktoplevel() - raise "@what from the script's top-level
 * chunk" unless lunatik_toplevel(@L); "@what: needs a runtime (lunatik
 * run)" in a state of no runtime
 */
void lunatik_checktoplevel(lua_State *L, const char *what);

/**
 * lunatik_context() - the context of @L's runtime (LUNATIK_PROCESS for a
 * state of no runtime)
 */
enum lunatik_ctx lunatik_context(lua_State *L);

/* lunatik_percpu() - @L's runtime is one of a per-CPU group */
bool lunatik_percpu(lua_State *L);

/* lunatik_runtime_ctx() - the context of @rt's hooks */
enum lunatik_ctx lunatik_runtime_ctx(const struct lunatik_runtime *rt);

/* --- hooks: a kernel callback that runs a Lua function ----------------- */

/**
 * DOC: hooks
 *
 * A binding that registers a kernel callback (a character device, a
 * netfilter hook, a notifier, a netlink family, a probe) embeds a struct
 * lunatik_hook in its object's private data; the core does the rest of
 * the lifecycle:
 *
 * - lunatik_hook_init() anchors the Lua callback and the object's
 *   userdata in the state (registry[obj]), so the script may drop what the
 *   constructor returned; in a per-CPU group it enrols the object's twins.
 * - lunatik_hook_register() calls the class's @hook_register at once, or
 *   from the core's ordered workqueue (LUNATIK_HOOK_DEFER); only the
 *   primary of a per-CPU group registers.  The registration holds a
 *   reference on the object.
 * - lunatik_hook_call(), from the kernel callback: this CPU's twin
 *   (LUNATIK_HOOK_PERCPU), the runtime's lock, the budget, the callback
 *   pushed, a protected call, and counts (events, errors, skipped).
 * - Stopping the object (its __gc, __close, :stop(), or the state closing)
 *   forgets the anchor, then calls the class's @unregister in process
 *   context with no runtime lock held: at once where the stopper is so
 *   (the top-level chunk, the state closing from `lunatik stop`), else from
 *   the core's workqueue, the registration's reference held until it
 *   returned.  @unregister must wait for the callbacks running (so that
 *   the object may go once it returns).
 */

/* lunatik_hook_init() flags */
#define LUNATIK_HOOK_PERCPU	(1U << 0)	/* events run in this CPU's twin */
#define LUNATIK_HOOK_DEFER	(1U << 1)	/* (un)register from the queue */

enum lunatik_hook_state {
	LUNATIK_HOOK_IDLE,	/* not registered (or a twin) */
	LUNATIK_HOOK_PENDING,	/* deferred: the queue did not register yet */
	LUNATIK_HOOK_ACTIVE,	/* registered */
	LUNATIK_HOOK_FAILED,	/* deferred, and @hook_register failed */
};

/**
 * struct lunatik_hook_stats - a hook's counters (atomic: any CPU)
 * @events: calls of the Lua callback that returned
 * @errors: calls that raised (budget trips included)
 * @skipped: events that found the runtime not ready, stopped or busy
 */
struct lunatik_hook_stats {
	atomic64_t events;
	atomic64_t errors;
	atomic64_t skipped;
};

/**
 * struct lunatik_hook - what the core keeps of a binding's hook
 * (the fields are the core's; bindings read them through the functions
 * below)
 */
struct lunatik_hook {
	struct lunatik_object *obj;
	lua_State *L;		/* the runtime's main thread */
	unsigned int flags;
	int state;		/* enum lunatik_hook_state */
	int err;		/* LUNATIK_HOOK_FAILED: what @hook_register said */
	bool anchored;		/* registry[obj] is set */
	bool twin;		/* a twin of a per-CPU group: registers nothing */
	struct work_struct register_work;
	struct work_struct unregister_work;
	struct lunatik_hook_stats stats;
};

/**
 * lunatik_hook_init() - make the object just created (its userdata on the
 * top of the stack) a hook
 * @L: the state, in a constructor
 * @hook: in @obj's private data
 * @idx: the stack index of the callback (a function, or a table of them)
 * @flags: LUNATIK_HOOK_*
 *
 * The state anchors registry[obj] = {callback, userdata}; more values
 * may be kept there with lunatik_hook_setslot().  Raises on allocation
 * failure (the userdata's __gc then cleans up).
 */
void lunatik_hook_init(lua_State *L, struct lunatik_object *obj,
		       struct lunatik_hook *hook, int idx, unsigned int flags);

/* registry[obj]'s slots: the callback, the userdata, then the binding's */
#define LUNATIK_HOOK_CALLBACK	1
#define LUNATIK_HOOK_UDATA	2
#define LUNATIK_HOOK_SLOT	3

/**
 * lunatik_hook_setslot() - pop the value on the top of the stack into
 * registry[obj][@n] (@n >= LUNATIK_HOOK_SLOT)
 */
void lunatik_hook_setslot(lua_State *L, struct lunatik_hook *hook, int n);

/**
 * lunatik_hook_register() - register the kernel hook (the class's
 * @hook_register), or queue that (LUNATIK_HOOK_DEFER)
 * Process context, no runtime lock held (the top-level chunk).  A twin in
 * another CPU's runtime registers nothing.
 * Return: 0, or @hook_register's error (the object is then to be stopped).
 */
int lunatik_hook_register(struct lunatik_hook *hook);

/**
 * lunatik_hook_state() - @hook's enum lunatik_hook_state, with the error
 * of a failed deferred registration in @err (may be NULL).  Any context;
 * what the queue set before it is visible once this says so.
 */
int lunatik_hook_state(struct lunatik_hook *hook, int *err);

/**
 * lunatik_hook_call() - run the hook's Lua callback for an event
 * @hook: the hook (of the object the kernel callback belongs to)
 * @fn: called in the entry with registry[obj] at -2 and the callback at
 *	-1; pushes the arguments and calls it, may raise.  Gets the hook the
 *	event runs in (a twin's with LUNATIK_HOOK_PERCPU).
 * @fin: as lunatik_callfin()'s, or NULL
 * @arg: passed to @fn and @fin
 * @flags: lunatik_callx() flags (LUNATIK_CALL_RTNL)
 *
 * An event the registration replays at once, in the task that runs the
 * runtime's top-level chunk (a netdevice notifier's existing devices),
 * runs nested in that chunk: it reaches the script although the runtime
 * is not ready yet.  Other events before ready are skipped.
 *
 * Return: @fn's value (counted in events), -ESHUTDOWN if the object was
 * stopped (not counted), or lunatik_callx()'s errors (-EIO and -ECANCELED
 * counted in errors, the others in skipped).
 */
int lunatik_hook_call(struct lunatik_hook *hook,
		      int (*fn)(lua_State *L, struct lunatik_hook *hook,
				void *arg),
		      void (*fin)(void *arg), void *arg, unsigned int flags);

/**
 * lunatik_hook_pushstats() - push {events, errors, skipped} of @hook
 */
void lunatik_hook_pushstats(lua_State *L, struct lunatik_hook *hook);

/* --- per-CPU runtimes: twins ------------------------------------------ */

/**
 * lunatik_twin() - enrol a hook object made by a per-CPU runtime
 * @L: the state making it
 * @obj: the new object
 *
 * The runtimes of a per-CPU group run the same script, so their top-level
 * chunks make the same hook objects in the same order: the i-th of every
 * runtime are twins.  Only the primary's registers its kernel hook; the
 * hook then runs each event in this CPU's twin (lunatik_twin_of()).  A
 * binding calls this right after making an object whose kernel hook fires
 * in the runtime's context.  Raises a Lua error on allocation failure.
 *
 * Return: true if the binding must register @obj's kernel hook: the
 * runtime is not per-CPU, is the primary, or is past its top-level chunk
 * (objects made later have no twins); false for a twin in another CPU's
 * runtime, which registers nothing.
 */
bool lunatik_twin(lua_State *L, struct lunatik_object *obj);

/**
 * lunatik_twin_of() - the twin of @obj for the CPU running this
 * @rt: @obj's runtime (the binding holds a reference)
 * @obj: a hook object of @rt
 *
 * Call inside an RCU read-side critical section (netfilter hooks run in
 * one); the object returned stays valid until it ends.  Its runtime may be
 * stopped: entering it then fails with -ENXIO as usual.
 *
 * Return: the twin in the runtime of smp_processor_id(), or @obj itself
 * when it has none there (not per-CPU, made after the top-level chunk,
 * that CPU's runtime not ready, or its script made fewer objects).
 */
struct lunatik_object *lunatik_twin_of(struct lunatik_runtime *rt,
				       struct lunatik_object *obj);

/* --- bindings --------------------------------------------------------- */

/**
 * struct lunatik_lib - a C library that scripts can require()
 * @name: the module name scripts require (e.g. "device")
 * @open: its luaopen function
 * @owner: THIS_MODULE; pinned while a runtime uses the library
 * @provides: a service the core finds by its name, not the library's (NULL
 *	if none): LUNATIK_ENV_SERVICE.  Its module is also "lunatik-<service>"
 *	(MODULE_ALIAS, LUNATIK_LIB_PROVIDER()), so request_module() finds it.
 * @consts: constant libraries (NULL if none, else ending with a NULL
 *	name): require "<name>.<sub>" gives a new table of the one named
 *	<sub>, loading this binding's module ("lua<name>") if need be.
 */
struct lunatik_lib {
	const char *name;
	lua_CFunction open;
	struct module *owner;
	const char *provides;
	const struct lunatik_consts *consts;
	struct list_head entry;
};

/**
 * lunatik_register_lib() - make @lib loadable by require()
 * A binding's kernel module is named "lua<name>": require() of an unknown
 * name loads it with request_module() where the runtime may sleep.
 * Return: 0 or -EEXIST.
 */
int lunatik_register_lib(struct lunatik_lib *lib);
void lunatik_unregister_lib(struct lunatik_lib *lib);

struct net;

/**
 * lunatik_getnet() - a reference on the network namespace a binding serves
 * @pid: a process whose namespace to take; 0: the current task's (the
 *	caller's: in a top-level chunk, the `lunatik` command's)
 *
 * For bindings that register hooks per namespace.  Drop it with put_net().
 *
 * Return: the namespace, ERR_PTR(-ESRCH) if @pid names no process, or
 * ERR_PTR(-ENOENT) if the current task has no namespaces (it is exiting).
 */
struct net *lunatik_getnet(pid_t pid);

/**
 * lunatik_errname() - the name of an errno, "ENOENT" for ENOENT or -ENOENT
 * Return: NULL for a number the target kernel's headers do not name.
 */
const char *lunatik_errname(int err);

/*
 * The public macros paste and stringify the name themselves, before it
 * is passed on: passed on, it would be macro-expanded first (gcc's
 * predefined `linux` is 1).
 */
#define __LUNATIK_LIB(lib, libstr, openf, setupf, teardownf, service,	\
		      constlibs)					\
static struct lunatik_lib lib = {					\
	.name = libstr,							\
	.open = openf,							\
	.owner = THIS_MODULE,						\
	.provides = service,						\
	.consts = constlibs,						\
};									\
static int __init lib##_init(void)					\
{									\
	int ret = setupf();						\
									\
	if (ret)							\
		return ret;						\
	ret = lunatik_register_lib(&lib);				\
	if (ret)							\
		teardownf();						\
	return ret;							\
}									\
static void __exit lib##_exit(void)					\
{									\
	lunatik_unregister_lib(&lib);					\
	teardownf();							\
}									\
module_init(lib##_init);						\
module_exit(lib##_exit)

/**
 * LUNATIK_LIB_SETUP() - declare a binding module that sets something up
 * first: @setupf (int (void)) runs before the library is registered;
 * @teardownf (void (void)) after it is unregistered, or if registering
 * failed.  No binding writes module_init() itself.
 */
#define LUNATIK_LIB_SETUP(libname, openf, setupf, teardownf)		\
	__LUNATIK_LIB(lunatik_lib_##libname, #libname, openf, setupf,	\
		      teardownf, NULL, NULL)

/**
 * LUNATIK_LIB_CONSTS() - LUNATIK_LIB_SETUP() for a binding that also
 * offers the constant libraries @constlibs (struct lunatik_lib.consts)
 */
#define LUNATIK_LIB_CONSTS(libname, openf, setupf, teardownf, constlibs) \
	__LUNATIK_LIB(lunatik_lib_##libname, #libname, openf, setupf,	\
		      teardownf, NULL, constlibs)

/**
 * LUNATIK_LIB_PROVIDER() - LUNATIK_LIB_SETUP() for the binding that
 * provides @service (a string literal: LUNATIK_ENV_SERVICE), found by it
 */
#define LUNATIK_LIB_PROVIDER(libname, openf, setupf, teardownf, service) \
	__LUNATIK_LIB(lunatik_lib_##libname, #libname, openf, setupf,	\
		      teardownf, service, NULL);			\
	MODULE_ALIAS("lunatik-" service)

static inline int lunatik_lib_nosetup(void)
{
	return 0;
}

static inline void lunatik_lib_noteardown(void)
{
}

/**
 * LUNATIK_LIB() - declare a binding module: registers on load
 */
#define LUNATIK_LIB(libname, openf)					\
	__LUNATIK_LIB(lunatik_lib_##libname, #libname, openf,		\
		      lunatik_lib_nosetup, lunatik_lib_noteardown, NULL, NULL)

#endif /* LUNATIK_H */
