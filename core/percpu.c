// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU runtimes: a group of runtimes running the same script, one per
 * possible CPU, so that hooks firing on different CPUs do not wait on one
 * lock.  Only the primary (the first possible CPU's runtime) registers
 * kernel hooks; each event runs in the twin hook object of the runtime of
 * the CPU it fires on (lunatik_twin(), lunatik_twin_of()).
 *
 * This file is also where runtimes of either kind are made and stopped
 * (lunatik_runtime_new(), lunatik_runtime_stop()): above runtime.c, which
 * makes one, below script.c, which names them.
 *
 * The group belongs to the primary and is freed with it.  Stopping the
 * primary unregisters the hooks (its objects' stop) and then stops the
 * others: no event can be dispatched to them by then.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/err.h>
#include <linux/cpumask.h>
#include <linux/smp.h>
#include <linux/rcupdate.h>
#include <linux/overflow.h>
#include <linux/export.h>

#include "lunatik.h"
#include "internal.h"

/*
 * The primary is stopped (or was never made): no hook of the group is
 * registered any more, but a CPU may still be between lunatik_twin_of()
 * and the entry into a twin.  Mark the group dead, wait for those, then
 * stop the others and drop the array's references.  Idempotent.
 */
void lunatik_percpu_stop(struct lunatik_group *g)
{
	struct lunatik_runtime *rt;
	unsigned int cpu;

	WRITE_ONCE(g->dead, true);
	synchronize_rcu();
	for_each_possible_cpu(cpu) {
		rt = g->rt[cpu];
		if (!rt)
			continue;
		g->rt[cpu] = NULL;
		if (rt != g->primary) {
			lunatik_runtime_stop_one(rt);
			rt->group = NULL;
		}
		lunatik_twins_free(rt->twins);
		rt->twins = NULL;
		lunatik_put(rt);
	}
}

struct lunatik_runtime *lunatik_percpu_new(const char *script,
					   enum lunatik_ctx ctx,
					   const struct lunatik_opts *opts,
					   char *err, size_t errlen)
{
	unsigned int first = cpumask_first(cpu_possible_mask);
	struct lunatik_runtime *rt;
	struct lunatik_group *g;
	unsigned int cpu;

	g = kzalloc(struct_size(g, rt, nr_cpu_ids), GFP_KERNEL);
	if (!g) {
		if (err)
			snprintf(err, errlen, "not enough memory");
		return ERR_PTR(-ENOMEM);
	}
	g->first = first;
	/* the primary last: when its hooks start firing, the others are
	 * ready to take their events
	 */
	for_each_possible_cpu(cpu) {
		if (cpu == first)
			continue;
		rt = lunatik_runtime_create(script, ctx, opts, g, cpu, err,
					    errlen);
		if (IS_ERR(rt))
			goto err_stop;
		g->rt[cpu] = rt;
	}
	rt = lunatik_runtime_create(script, ctx, opts, g, first, err, errlen);
	if (IS_ERR(rt))
		goto err_stop;
	lunatik_get(rt);	/* the group's; the caller has the other */
	g->rt[first] = rt;
	g->primary = rt;
	return rt;

err_stop:
	lunatik_percpu_stop(g);
	kfree(g);
	return rt;
}

bool lunatik_twin(lua_State *L, struct lunatik_object *obj)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);
	struct lunatik_twins *t, *grown;
	unsigned int max;

	if (!rt || !rt->group || READ_ONCE(rt->ready))
		return true;
	t = rt->twins_new;
	if (!t || t->n == t->max) {
		max = t ? 2 * t->max : 4;
		grown = krealloc(t, struct_size(t, obj, max), GFP_KERNEL);
		if (!grown)
			luaL_error(L, "not enough memory");
		if (!t)
			grown->n = 0;
		grown->max = max;
		rt->twins_new = grown;
		t = grown;
	}
	lunatik_getobject(obj);
	t->obj[t->n++] = obj;
	obj->twin = t->n;
	return rt->cpu == rt->group->first;
}
EXPORT_SYMBOL(lunatik_twin);

/*
 * The CPU is only a hint: the twin's runtime has its own lock, so a task
 * that migrates meanwhile just enters another CPU's runtime.
 */
struct lunatik_object *lunatik_twin_of(struct lunatik_runtime *rt,
				       struct lunatik_object *obj)
{
	struct lunatik_group *g = rt->group;
	struct lunatik_runtime *s;
	struct lunatik_twins *t;
	unsigned int i = obj->twin;

	if (!g || !i || READ_ONCE(g->dead))
		return obj;
	s = READ_ONCE(g->rt[raw_smp_processor_id()]);
	/* pairs with smp_store_release(&rt->ready): twins set before */
	if (!s || !smp_load_acquire(&s->ready))
		return obj;
	t = s->twins;
	if (!t || i > t->n)
		return obj;
	return t->obj[i - 1];
}
EXPORT_SYMBOL(lunatik_twin_of);

/*
 * Runtimes, one or a per-CPU group: the layer above runtime.c (which
 * makes and stops one), below script.c (which names them).
 */
struct lunatik_runtime *lunatik_runtime_new(const char *script,
					    enum lunatik_ctx ctx,
					    const struct lunatik_opts *opts,
					    char *err, size_t errlen)
{
	static const struct lunatik_opts defaults;
	int ret;

	might_sleep();
	if (!opts)
		opts = &defaults;
	ret = lunatik_script_valid(script);
	if (ret) {
		if (err)
			snprintf(err, errlen, "invalid script name");
		return ERR_PTR(ret);
	}
	if (opts->depth > LUNATIK_NEST_MAX) {
		if (err)
			snprintf(err, errlen, "runtimes nested too deep (at most %d levels)",
				 LUNATIK_NEST_MAX);
		return ERR_PTR(-ELOOP);
	}
	if (opts->budget_ns != U64_MAX &&
	    opts->budget_ns > LUNATIK_BUDGET_MAX_NS) {
		if (err)
			snprintf(err, errlen, "budget too large (at most %llu ms; none for no budget)",
				 LUNATIK_BUDGET_MAX_NS / NSEC_PER_MSEC);
		return ERR_PTR(-ERANGE);
	}
	if (opts->percpu)
		return lunatik_percpu_new(script, ctx, opts, err, errlen);
	if (opts->instance && (opts->cpu >= nr_cpu_ids ||
			       !cpu_possible(opts->cpu))) {
		if (err)
			snprintf(err, errlen, "no CPU %u", opts->cpu);
		return ERR_PTR(-EINVAL);
	}
	return lunatik_runtime_create(script, ctx, opts, NULL,
				      opts->instance ? opts->cpu : 0, err,
				      errlen);
}
EXPORT_SYMBOL(lunatik_runtime_new);

int lunatik_runtime_stop(struct lunatik_runtime *rt)
{
	int ret = lunatik_runtime_stop_one(rt);

	if (rt->group && rt->group->primary == rt)
		lunatik_percpu_stop(rt->group);
	return ret;
}
EXPORT_SYMBOL(lunatik_runtime_stop);

static void info_add(struct lunatik_info *info, struct lunatik_runtime *rt)
{
	info->mem_used += READ_ONCE(rt->mem.used);
	info->mem_peak += READ_ONCE(rt->mem.peak);
	info->mem_cap += READ_ONCE(rt->mem.cap);
	info->calls += READ_ONCE(rt->stats.calls);
	info->errors += READ_ONCE(rt->stats.errors);
	info->ns += READ_ONCE(rt->stats.ns);
	info->budget_trips += READ_ONCE(rt->stats.budget_trips);
	info->skipped += atomic64_read(&rt->stats.skipped);
	info->ready = info->ready && READ_ONCE(rt->ready);
}

void lunatik_runtime_info(struct lunatik_runtime *rt,
			  struct lunatik_info *info)
{
	struct lunatik_group *g = rt->group;
	struct lunatik_runtime *s;
	unsigned int cpu;

	memset(info, 0, sizeof(*info));
	info->ready = true;
	if (!g || g->primary != rt) {
		info_add(info, rt);
		return;
	}
	for_each_possible_cpu(cpu) {
		s = READ_ONCE(g->rt[cpu]);
		if (!s)
			continue;
		info_add(info, s);
		info->ncpus++;
	}
	if (!info->ncpus)
		info->ready = false;
}
EXPORT_SYMBOL(lunatik_runtime_info);
