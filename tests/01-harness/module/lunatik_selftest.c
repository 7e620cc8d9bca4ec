// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberately broken module: the harness self-test loads it with one
 * fault at a time and expects the boot to fail.  fault=none must pass.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/delay.h>
#include <linux/completion.h>

static char *fault = "none";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault, "none|warn|oops|hang|leak|atomic_sleep|oob");

static DEFINE_SPINLOCK(selftest_lock);
static DECLARE_COMPLETION(selftest_never);
static void *selftest_leaked;
static int selftest_index = 8;

static void selftest_oops(void)
{
	int *volatile p = NULL;

	*p = 1;
}

static void selftest_atomic_sleep(void)
{
	spin_lock(&selftest_lock);
	msleep(20);
	spin_unlock(&selftest_lock);
}

static void selftest_oob(void)
{
	char *p = kmalloc(8, GFP_KERNEL);

	if (!p)
		return;
	((char *volatile)p)[READ_ONCE(selftest_index)] = 1;
	kfree(p);
}

static int __init selftest_init(void)
{
	if (!strcmp(fault, "warn")) {
		WARN(1, "lunatik selftest: deliberate warning");
	} else if (!strcmp(fault, "oops")) {
		selftest_oops();
	} else if (!strcmp(fault, "hang")) {
		wait_for_completion(&selftest_never);
	} else if (!strcmp(fault, "leak")) {
		/* the pointer is dropped on purpose: kmemleak must see it */
		selftest_leaked = kmalloc(64, GFP_KERNEL);
		selftest_leaked = NULL;
	} else if (!strcmp(fault, "atomic_sleep")) {
		selftest_atomic_sleep();
	} else if (!strcmp(fault, "oob")) {
		selftest_oob();
	} else if (strcmp(fault, "none")) {
		return -EINVAL;
	}
	return 0;
}

static void __exit selftest_exit(void)
{
}

module_init(selftest_init);
module_exit(selftest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik test harness self-test (deliberate faults)");
