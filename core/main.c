// SPDX-License-Identifier: GPL-2.0
/*
 * lunatik: Lua in the Linux kernel.  Module entry points.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/workqueue.h>

#include "lunatik.h"
#include "internal.h"
#include "../control/genl.h"

struct workqueue_struct *lunatik_wq;

static int __init lunatik_init(void)
{
	int ret;

	lunatik_wq = alloc_workqueue("lunatik", WQ_UNBOUND, 0);
	if (!lunatik_wq)
		return -ENOMEM;
	lunatik_hook_wq = alloc_ordered_workqueue("lunatik_hook", 0);
	if (!lunatik_hook_wq) {
		ret = -ENOMEM;
		goto err_destroy_wq;
	}
	ret = lunatik_genl_init();
	if (ret)
		goto err_destroy_hook_wq;
	lunatik_eval_init();
	pr_info("%s loaded\n", LUNATIK_VERSION);
	return 0;

err_destroy_hook_wq:
	destroy_workqueue(lunatik_hook_wq);
err_destroy_wq:
	destroy_workqueue(lunatik_wq);
	return ret;
}

static void __exit lunatik_exit(void)
{
	lunatik_eval_exit();
	lunatik_genl_exit();
	lunatik_scripts_exit();
	destroy_workqueue(lunatik_wq);	/* drains the deferred stops */
	destroy_workqueue(lunatik_hook_wq);	/* and what they unregistered */
	lport_exit();
	/* every binding is gone (they depend on us): so is every object */
	WARN(atomic_long_read(&lunatik_nobjects) ||
	     atomic_long_read(&lunatik_nruntimes),
	     "lunatik: %ld objects and %ld runtimes left at unload\n",
	     atomic_long_read(&lunatik_nobjects),
	     atomic_long_read(&lunatik_nruntimes));
	pr_info("unloaded\n");
}

module_init(lunatik_init);
module_exit(lunatik_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Lua in the Linux kernel");
MODULE_VERSION(LUNATIK_VERSION_NUM);
