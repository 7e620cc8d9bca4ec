// SPDX-License-Identifier: GPL-2.0
/*
 * lunatik: Lua in the Linux kernel.  Module entry points.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "lunatik.h"

static int __init lunatik_init(void)
{
	pr_info("%s loaded\n", LUNATIK_VERSION);
	return 0;
}

static void __exit lunatik_exit(void)
{
	pr_info("unloaded\n");
}

module_init(lunatik_init);
module_exit(lunatik_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Lua in the Linux kernel");
MODULE_VERSION(LUNATIK_VERSION_NUM);
