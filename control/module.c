// SPDX-License-Identifier: GPL-2.0
/*
 * lunatik: Lua in the Linux kernel.  The module's entry points: the core
 * first, then the control interface, which lets requests in.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "lunatik.h"
#include "init.h"
#include "genl.h"

static int __init lunatik_init(void)
{
	int ret;

	ret = lunatik_core_init();
	if (ret)
		return ret;
	ret = lunatik_genl_init();
	if (ret) {
		lunatik_core_exit();
		return ret;
	}
	pr_info("%s loaded\n", LUNATIK_VERSION);
	return 0;
}

static void __exit lunatik_exit(void)
{
	lunatik_genl_exit();
	lunatik_core_exit();
	pr_info("unloaded\n");
}

module_init(lunatik_init);
module_exit(lunatik_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Lua in the Linux kernel");
MODULE_VERSION(LUNATIK_VERSION_NUM);
