/* SPDX-License-Identifier: GPL-2.0 */
/* Private to core/: not for bindings. */
#ifndef LUNATIK_INTERNAL_H
#define LUNATIK_INTERNAL_H

#include "lunatik.h"

/**
 * struct lunatik_stats - per-runtime counters, updated under the lock
 * @calls: entries into Lua (lunatik_call())
 * @errors: Lua errors raised by those entries (including budget trips)
 * @ns: time spent in Lua, in nanoseconds.  Measured exactly on one entry
 *	in LUNATIK_STATS_SAMPLE and on every entry long enough to reach a
 *	budget check; the short entries between samples are counted through
 *	the samples (each stands for LUNATIK_STATS_SAMPLE of them): two clock
 *	reads are a large part of a short entry's cost.
 * @budget_trips: entries stopped by the budget
 * @skipped: entries refused because the runtime was not ready or stopped
 */
#define LUNATIK_STATS_SAMPLE	8

struct lunatik_stats {
	u64 calls;
	u64 errors;
	u64 ns;
	u64 budget_trips;
	atomic64_t skipped;
};

struct lunatik_group;	/* private to the core */
struct lunatik_late;
struct lunatik_twins;

/**
 * struct lunatik_runtime - one Lua state and what guards it
 * @kref: a reference for every holder (the creator, each hook, each
 *	object that calls back into it)
 * @L: the state; NULL once the runtime is stopped.  Read and used only
 *	under the lock.
 * @ctx: context of the hooks; chooses the lock
 * @ready: set once the top-level chunk ran; hooks that fire before are
 *	skipped
 * @mutex: the lock of a process runtime
 * @spin: the lock of a softirq or hardirq runtime
 * @mem: the state's memory accounting (see lport.h)
 * @stats: counters
 * @budget_ns: per-entry budget; 0 means none
 * @group: the per-CPU group the runtime belongs to, or NULL
 * @cpu: in a group, the CPU whose hooks this runtime serves
 * @name: script name (or "" for anonymous runtimes)
 */
struct lunatik_runtime {
	struct kref kref;
	lua_State *L;
	enum lunatik_ctx ctx;
	bool ready;
	union {
		struct mutex mutex;
		spinlock_t spin;
	};
	struct lport_mem mem;
	struct lunatik_stats stats;
	u64 budget_ns;
	struct lunatik_group *group;
	unsigned int cpu;
	/* private to the core */
	struct lunatik_twins *twins;		/* published when ready */
	struct lunatik_twins *twins_new;	/* filled by the top chunk */
	struct list_head entry;
	struct task_struct *owner;	/* holder of @mutex, for re-entry */
	bool long_entry;		/* the entry is LUNATIK_CALL_LONG */
	unsigned long long_nvcsw;	/* its sleeps at the last renewal */
	struct task_struct *thread;	/* `lunatik spawn`'s kthread */
	struct ratelimit_state ratelimit;	/* of its error messages */
	unsigned int depth;		/* lunatik_opts @depth */
	bool instance;			/* lunatik_opts @instance */
	bool object;			/* lunatik_opts @object */
	struct task_struct *loader;	/* runs the top-level chunk */
	struct lunatik_late *late;	/* pushed while closing (object.c) */
	struct list_head all;		/* in runtimes_all (runtime.c) */
	unsigned long stop_gen;		/* lunatik_runtime_stop_every() */
	struct work_struct stop_work;	/* a stop its stopper left */
	char name[LUNATIK_NAME_MAX];
};

void lunatik_runtime_release(struct kref *kref);
void lunatik_runtime_stop_every(void);

/**
 * struct lunatik_object - a refcounted kernel object seen from Lua
 * @kref: one reference per Lua userdata pointing at it, plus the hooks'
 * @class: its class
 * @private: the binding's data (allocated with the object, zeroed)
 * @mutex: lock of a sleeping class (lunatik_lock())
 * @spin: lock of a non-sleeping class
 * @flags: saved IRQ flags while @spin is held
 * @stopped: set once @class->stop ran
 * @twin: its index + 1 among the twins of a per-CPU group; 0 if none
 * @rt: the runtime whose memory cap the object is charged to (a
 *	reference), or NULL (see lunatik_charge())
 * @charged: bytes charged to @rt for it
 * @hook: the hook in @private, for a hook class (lunatik_hook_init())
 */
struct lunatik_object {
	struct kref kref;
	const struct lunatik_class *class;
	void *private;
	union {
		struct mutex mutex;
		spinlock_t spin;
	};
	unsigned long flags;
	bool stopped;
	unsigned int twin;
	struct lunatik_runtime *rt;
	atomic_long_t charged;
	struct lunatik_hook *hook;
};

void lunatik_object_release(struct kref *kref);
/* drops the references of what was pushed while @rt's state closed */
void lunatik_late_put(struct lunatik_runtime *rt);

/* lib.c: standard libraries + the binding searcher + "lunatik" */
void lunatik_openlibs(lua_State *L);
int lunatik_open_lunatik(lua_State *L);
void lunatik_require_provider(lua_State *L, const char *service);
/* keeps @owner (may be NULL: the core) loaded for @L's lifetime */
void lunatik_pin(lua_State *L, struct module *owner);

/* runtime.c */
struct lunatik_runtime *lunatik_runtime_create(const char *script,
					       enum lunatik_ctx ctx,
					       const struct lunatik_opts *opts,
					       struct lunatik_group *group,
					       unsigned int cpu, char *err,
					       size_t errlen);
int lunatik_runtime_stop_one(struct lunatik_runtime *rt);
void lunatik_twins_free(struct lunatik_twins *twins);

/*
 * percpu.c: a per-CPU group.  Its array holds a reference on each runtime;
 * entries are set before the primary exists and cleared once @dead is set
 * and an RCU grace period passed, so readers (lunatik_twin_of(), in RCU
 * read-side sections) need no more than READ_ONCE().
 */
struct lunatik_group {
	struct lunatik_runtime *primary;	/* set once all are made */
	unsigned int first;			/* the primary's CPU */
	bool dead;				/* being stopped */
	struct lunatik_runtime *rt[];		/* nr_cpu_ids, by CPU */
};

/* the hook objects a top-level chunk enrolled, a reference on each */
struct lunatik_twins {
	unsigned int n;
	unsigned int max;
	struct lunatik_object *obj[];
};

struct lunatik_runtime *lunatik_percpu_new(const char *script,
					   enum lunatik_ctx ctx,
					   const struct lunatik_opts *opts,
					   char *err, size_t errlen);
void lunatik_percpu_stop(struct lunatik_group *group);

/* runtime.c: lunatik_callx() with a separate argument for @fin */
int lunatik_enter(struct lunatik_runtime *rt,
		  int (*fn)(lua_State *L, void *arg), void (*fin)(void *arg),
		  void *arg, void *finarg, unsigned int flags);

/* hook.c: the ordered queue of deferred (un)registrations (init.c owns
 * it), and the stop lunatik_stopobject() runs after the class's
 */
extern struct workqueue_struct *lunatik_hook_wq;
void lunatik_hook_stop(struct lunatik_hook *hook);

/* runtime.c: deferred stops (lunatik_runtime_stop_one()); init.c owns it */
extern struct workqueue_struct *lunatik_wq;

/* the census: live objects and runtimes (debugfs lunatik/live) */
extern atomic_long_t lunatik_nobjects;

/* ... and by class name (object.c): lunatik_census_n slots published */
#define LUNATIK_CENSUS_MAX	64
struct lunatik_census {
	char name[32];
	atomic_long_t live;
};
extern struct lunatik_census lunatik_census[LUNATIK_CENSUS_MAX];
extern int lunatik_census_n;
extern atomic_long_t lunatik_nruntimes;

/* view.c: the view's methods into the table at -1, # into the
 * metatable at -2
 */
void lunatik_view_setfuncs(lua_State *L, const struct lunatik_view *view);

/* script.c */
void lunatik_scripts_exit(void);

/* eval.c: the debugfs test entry */
void lunatik_eval_init(void);
void lunatik_eval_exit(void);

#endif
