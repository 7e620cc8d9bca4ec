// SPDX-License-Identifier: GPL-2.0
/*
 * Leaks one lunatik object on purpose: the harness self-test loads it,
 * removes it, then unloads lunatik, whose census of live objects must
 * make that boot fail (a WARNING).
 */
#include <linux/module.h>

#include "lunatik.h"

/* no owner: the object must not pin this module, or nothing unloads */
static const struct lunatik_class leak_class = {
	.name = "census.leak",
	.contexts = LUNATIK_CTX_ANY,
};

static int __init leak_init(void)
{
	/* the reference is dropped on purpose: nobody puts it */
	return lunatik_createobject(&leak_class, 0, GFP_KERNEL) ? 0 : -ENOMEM;
}

static void __exit leak_exit(void)
{
}

module_init(leak_init);
module_exit(leak_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik test: leaks an object for the census");
