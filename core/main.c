// SPDX-License-Identifier: GPL-2.0
/*
 * lunatik: Lua in the Linux kernel.  Module entry points.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "lunatik.h"
#include "internal.h"
#include "../control/genl.h"

static int __init lunatik_init(void)
{
	int ret;

	ret = lunatik_genl_init();
	if (ret)
		return ret;
	lunatik_eval_init();
	pr_info("%s loaded\n", LUNATIK_VERSION);
	return 0;
}

static void __exit lunatik_exit(void)
{
	lunatik_eval_exit();
	lunatik_genl_exit();
	lunatik_scripts_exit();
	lport_exit();
	pr_info("unloaded\n");
}

module_init(lunatik_init);
module_exit(lunatik_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Lua in the Linux kernel");
MODULE_VERSION(LUNATIK_VERSION_NUM);
