/* SPDX-License-Identifier: GPL-2.0 */
/* Private to core/: not for bindings. */
#ifndef LUNATIK_INTERNAL_H
#define LUNATIK_INTERNAL_H

#include "lunatik.h"

/* lib.c: standard libraries + the binding searcher + "lunatik" */
void lunatik_openlibs(lua_State *L);
int lunatik_open_lunatik(lua_State *L);
void lunatik_require_provider(lua_State *L, const char *service);

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
