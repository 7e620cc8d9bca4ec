// SPDX-License-Identifier: GPL-2.0
/*
 * Named runtimes: the ones `lunatik run` creates and `lunatik stop` ends.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/string.h>

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
 * not end is stopped by its budget.
 */
int lunatik_script_run(const char *name, enum lunatik_ctx ctx,
		       const struct lunatik_opts *opts, char *err,
		       size_t errlen)
{
	struct lunatik_runtime *rt;
	int ret = 0;

	mutex_lock(&scripts_mutex);
	if (script_find(name)) {
		snprintf(err, errlen, "%s is already running", name);
		ret = -EEXIST;
		goto out;
	}
	rt = lunatik_runtime_new(name, ctx, opts, err, errlen);
	if (IS_ERR(rt)) {
		ret = PTR_ERR(rt);
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
	lunatik_runtime_stop(rt);
	lunatik_put(rt);
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
		lunatik_runtime_stop(rt);
		lunatik_put(rt);
	}
}
