// SPDX-License-Identifier: GPL-2.0
/*
 * The core's setup and teardown, for the module's entry points
 * (control/module.c): the work queues, the debugfs entries, the census.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/workqueue.h>

#include "lunatik.h"
#include "internal.h"
#include "init.h"

struct workqueue_struct *lunatik_wq;

int lunatik_core_init(void)
{
	lunatik_wq = alloc_workqueue("lunatik", WQ_UNBOUND, 0);
	if (!lunatik_wq)
		return -ENOMEM;
	lunatik_hook_wq = alloc_ordered_workqueue("lunatik_hook", 0);
	if (!lunatik_hook_wq) {
		destroy_workqueue(lunatik_wq);
		return -ENOMEM;
	}
	lunatik_eval_init();
	return 0;
}

void lunatik_core_exit(void)
{
	int i;

	lunatik_eval_exit();
	lunatik_scripts_exit();
	destroy_workqueue(lunatik_wq);	/* drains the deferred stops */
	destroy_workqueue(lunatik_hook_wq);	/* and what they unregistered */
	lport_exit();
	/* every binding is gone (they depend on us): so is every object */
	for (i = 0; i < lunatik_census_n; i++)
		if (atomic_long_read(&lunatik_census[i].live))
			pr_warn("census: %ld %s objects left\n",
				atomic_long_read(&lunatik_census[i].live),
				lunatik_census[i].name);
	WARN(atomic_long_read(&lunatik_nobjects) ||
	     atomic_long_read(&lunatik_nruntimes),
	     "lunatik: %ld objects and %ld runtimes left at unload\n",
	     atomic_long_read(&lunatik_nobjects),
	     atomic_long_read(&lunatik_nruntimes));
}
