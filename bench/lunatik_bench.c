// SPDX-License-Identifier: GPL-2.0
/*
 * lunatik_bench: C baselines for `make bench` (tools/bench, tests/bench).
 *
 * /sys/kernel/debug/lunatik_bench/call: reading it creates two runtimes of
 *	/lib/modules/lua/bench_call.lua (which defines a global function f
 *	that does nothing), one with the default budget and one without,
 *	and times @calls calls of f, @rounds times, interleaving the ways
 *	by chunks of CALL_CHUNK calls (a busy host then slows them alike):
 *	  bare      lua_getglobal + lua_pcall on the state, nothing else
 *	  budget    lunatik_call() (runtime lock, ready check, budget armed,
 *	            accounting) of a function doing lua_getglobal + lua_call
 *	  nobudget  the same on the runtime created without a budget
 *	and, to tell where lunatik_call()'s cost goes:
 *	  tramp     the bare way through a C trampoline, as lunatik_call()
 *	            enters: lua_pcall of a C function that calls f
 *	  clock     two ktime_get_ns() (a sampled lunatik_call() reads the clock
 *	            twice, see struct lunatik_stats)
 *	  passwd    the bare way on passwd_read, the body of examples/passwd.lua's
 *	            read callback (string.char(linux.random(32, 126)))
 *	Two lines per round: "call <calls> <bare_ns> <budget_ns> <nobudget_ns>
 *	<tramp_ns> <clock_ns> <passwd_ns>" (totals for the round) and
 *	"callbest <CALL_CHUNK> ..." (the same ways, the fastest chunk of each:
 *	the least disturbed by the host).
 * /dev/benchrand: a misc device returning one random printable character
 *	per read(2), the C twin of examples/passwd.lua.
 * /sys/kernel/debug/lunatik_bench/nfhook: writing n (at most 16) registers,
 *	in the initial network namespace, n IPv4 LOCAL_OUT hooks at the
 *	filter priority that only count the packet and return NF_ACCEPT (the
 *	C twin of tests/bench/fixtures/bench_nf.lua), in place of those
 *	registered before; writing 0 unregisters them.  Reading gives the
 *	hook calls so far.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/miscdevice.h>
#include <linux/random.h>
#include <linux/ktime.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <net/net_namespace.h>

#include "lunatik.h"
#include "internal.h"	/* the runtime's state, for the bare baselines */

static unsigned int calls = 100000;
module_param(calls, uint, 0644);
MODULE_PARM_DESC(calls, "calls per round");
static unsigned int rounds = 5;
module_param(rounds, uint, 0644);
MODULE_PARM_DESC(rounds, "rounds of each way");

#define CALL_CHUNK	1000U
#define CALL_WAYS	6

static int call_f(lua_State *L, void *arg)
{
	lua_getglobal(L, "f");
	lua_call(L, 0, 0);
	return 0;
}

/* @n calls of the global @name, bare; its results are dropped */
static u64 time_bare(lua_State *L, unsigned int n, const char *name)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		lua_getglobal(L, name);
		if (lua_pcall(L, 0, 0, 0) != LUA_OK)
			lua_pop(L, 1);
	}
	return ktime_get_ns() - t0;
}

static int tramp(lua_State *L)
{
	lua_getglobal(L, "f");
	lua_call(L, 0, 0);
	return 0;
}

static u64 time_tramp(lua_State *L, unsigned int n)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		lua_pushcfunction(L, tramp);
		lua_pushlightuserdata(L, NULL);
		if (lua_pcall(L, 1, 0, 0) != LUA_OK)
			lua_pop(L, 1);
	}
	return ktime_get_ns() - t0;
}

static u64 time_clock(unsigned int n)
{
	u64 t0 = ktime_get_ns(), sink = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		sink += ktime_get_ns();
		sink -= ktime_get_ns();
	}
	barrier_data(&sink);
	return ktime_get_ns() - t0;
}

static u64 time_call(struct lunatik_runtime *rt, unsigned int n)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++)
		lunatik_call(rt, call_f, NULL);
	return ktime_get_ns() - t0;
}

/*
 * One chunk of @n calls of each way: adds each way's time to @sum, keeps
 * the fastest full chunk in @best.
 */
static void time_chunk(struct lunatik_runtime *rt, struct lunatik_runtime *rt0,
		       unsigned int n, u64 *sum, u64 *best)
{
	u64 t[CALL_WAYS];
	int i;

	t[0] = time_bare(rt->L, n, "f");
	t[1] = time_call(rt, n);
	t[2] = time_call(rt0, n);
	t[3] = time_tramp(rt->L, n);
	t[4] = time_clock(n);
	t[5] = time_bare(rt->L, n, "passwd_read");
	for (i = 0; i < CALL_WAYS; i++) {
		sum[i] += t[i];
		if (n == CALL_CHUNK)
			best[i] = min(best[i], t[i]);
	}
}

static ssize_t call_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	static const struct lunatik_opts nobudget_opts = {
		.budget_ns = U64_MAX,
	};
	struct lunatik_runtime *rt = NULL, *rt0 = NULL;
	char err[128];
	char *buf;
	size_t len = 0, cap = 64 + 256 * rounds;
	unsigned int r;
	ssize_t ret;

	if (*ppos)
		return 0;
	buf = kmalloc(cap, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	rt = lunatik_runtime_new("bench_call", LUNATIK_PROCESS, NULL, err,
				 sizeof(err));
	if (IS_ERR(rt)) {
		pr_err("bench_call: %s\n", err);
		ret = PTR_ERR(rt);
		rt = NULL;
		goto out;
	}
	rt0 = lunatik_runtime_new("bench_call", LUNATIK_PROCESS,
				  &nobudget_opts, err, sizeof(err));
	if (IS_ERR(rt0)) {
		pr_err("bench_call: %s\n", err);
		ret = PTR_ERR(rt0);
		rt0 = NULL;
		goto out;
	}
	/*
	 * The bare way uses the state of @rt directly: nobody else knows the
	 * runtime, and its stack limit (task context) is still set from the
	 * top-level chunk.
	 */
	for (r = 0; r < rounds; r++) {
		u64 sum[CALL_WAYS] = { 0 }, best[CALL_WAYS];
		unsigned int c, k;

		for (k = 0; k < CALL_WAYS; k++)
			best[k] = U64_MAX;
		for (c = 0; c < calls; c += k) {
			k = min(calls - c, CALL_CHUNK);
			time_chunk(rt, rt0, k, sum, best);
			cond_resched();
		}
		len += scnprintf(buf + len, cap - len,
				 "call %u %llu %llu %llu %llu %llu %llu\n",
				 calls, sum[0], sum[1], sum[2], sum[3], sum[4],
				 sum[5]);
		if (best[0] != U64_MAX)
			len += scnprintf(buf + len, cap - len,
					 "callbest %u %llu %llu %llu %llu %llu %llu\n",
					 CALL_CHUNK, best[0], best[1], best[2],
					 best[3], best[4], best[5]);
	}
	ret = simple_read_from_buffer(ubuf, count, ppos, buf, len);
out:
	if (rt0) {
		lunatik_runtime_stop(rt0);
		lunatik_put(rt0);
	}
	if (rt) {
		lunatik_runtime_stop(rt);
		lunatik_put(rt);
	}
	kfree(buf);
	return ret;
}

static const struct file_operations call_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = call_read,
	.llseek = no_llseek,
};

static ssize_t rand_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	char c;

	if (!count)
		return 0;
	c = 32 + get_random_u32_below(95);
	if (put_user(c, ubuf))
		return -EFAULT;
	return 1;
}

static const struct file_operations rand_fops = {
	.owner = THIS_MODULE,
	.read = rand_read,
	.llseek = noop_llseek,
};

static struct miscdevice rand_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "benchrand",
	.fops = &rand_fops,
	.mode = 0444,
};

#define NF_MAXHOOKS	16

static DEFINE_PER_CPU(u64, nf_seen);
static DEFINE_MUTEX(nf_lock);
static struct nf_hook_ops nf_ops[NF_MAXHOOKS];
static unsigned int nf_nr;	/* of nf_ops registered */

static unsigned int nf_accept(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	this_cpu_inc(nf_seen);
	return NF_ACCEPT;
}

static ssize_t nfhook_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	unsigned int i, n;
	int ret;

	ret = kstrtouint_from_user(ubuf, count, 0, &n);
	if (ret)
		return ret;
	if (n > NF_MAXHOOKS)
		return -EINVAL;
	mutex_lock(&nf_lock);
	if (nf_nr)
		nf_unregister_net_hooks(&init_net, nf_ops, nf_nr);
	nf_nr = 0;
	for (i = 0; i < n; i++) {
		nf_ops[i].hook = nf_accept;
		nf_ops[i].pf = NFPROTO_IPV4;
		nf_ops[i].hooknum = NF_INET_LOCAL_OUT;
		nf_ops[i].priority = NF_IP_PRI_FILTER;
	}
	if (n)
		ret = nf_register_net_hooks(&init_net, nf_ops, n);
	if (!ret)
		nf_nr = n;
	mutex_unlock(&nf_lock);
	return ret ? ret : count;
}

static ssize_t nfhook_read(struct file *file, char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char buf[32];
	u64 n = 0;
	int cpu, len;

	for_each_possible_cpu(cpu)
		n += per_cpu(nf_seen, cpu);
	len = scnprintf(buf, sizeof(buf), "%llu\n", n);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations nfhook_fops = {
	.owner = THIS_MODULE,
	.read = nfhook_read,
	.write = nfhook_write,
	.llseek = no_llseek,
};

static struct dentry *bench_dir;

static int __init bench_init(void)
{
	int ret = misc_register(&rand_dev);

	if (ret)
		return ret;
	bench_dir = debugfs_create_dir("lunatik_bench", NULL);
	debugfs_create_file("call", 0400, bench_dir, NULL, &call_fops);
	debugfs_create_file("nfhook", 0600, bench_dir, NULL, &nfhook_fops);
	return 0;
}

static void __exit bench_exit(void)
{
	debugfs_remove_recursive(bench_dir);
	if (nf_nr)
		nf_unregister_net_hooks(&init_net, nf_ops, nf_nr);
	misc_deregister(&rand_dev);
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik benchmark baselines");
