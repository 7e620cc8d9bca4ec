// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/lunatik/eval: a test entry into a fresh Lua state.
 *
 * Write a chunk's source, then read: the first read runs it in a new state
 * (all libraries, the default memory cap) and returns what it printed; a Lua
 * error is appended to the output and then reported as -ENOEXEC, so
 * `exec 3<>eval; cat script >&3; cat <&3` fails exactly when the chunk does.
 * A first line "--@NAME" names the chunk (errors read "NAME:line:"; the
 * line after it is line 1), else it is "eval".
 * Root only (CAP_SYS_ADMIN); debugfs is root-only as well.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/capability.h>
#include <linux/uaccess.h>

#include "lunatik.h"
#include "internal.h"

#define EVAL_MAXSRC	(1 << 20)
#define EVAL_MAXOUT	(1 << 20)
#define EVAL_MEMCAP	(64 << 20)

struct eval_buf {
	char *data;
	size_t len;
	size_t cap;
};

struct eval_ctx {
	struct mutex lock;
	struct eval_buf src;
	struct eval_buf out;
	bool ran;
	bool failed;
	bool reported;
};

static int eval_append(struct eval_buf *b, const char *s, size_t n,
		       size_t max)
{
	size_t want = b->len + n;
	char *p;

	if (want > max)
		return -EFBIG;
	if (want > b->cap) {
		size_t cap = max_t(size_t, want, 2 * b->cap);

		cap = min_t(size_t, max_t(size_t, cap, 256), max);
		p = kvrealloc(b->data, b->cap, cap, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len = want;
	return 0;
}

static int eval_print(lua_State *L)
{
	struct eval_ctx *ctx = lua_touserdata(L, lua_upvalueindex(1));
	int n = lua_gettop(L);
	int i;

	for (i = 1; i <= n; i++) {
		size_t len;
		const char *s = luaL_tolstring(L, i, &len);

		if (i > 1)
			eval_append(&ctx->out, "\t", 1, EVAL_MAXOUT);
		eval_append(&ctx->out, s, len, EVAL_MAXOUT);
		lua_pop(L, 1);
	}
	eval_append(&ctx->out, "\n", 1, EVAL_MAXOUT);
	return 0;
}

static int eval_setup(lua_State *L)
{
	lunatik_openlibs(L);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushcclosure(L, eval_print, 1);
	lua_setglobal(L, "print");
	return 0;
}

/* the longest name a "--@NAME" line gives */
#define EVAL_NAMEMAX	96

/* Loads @src: named by its first line "--@NAME" (dropped), else "eval". */
static int eval_load(lua_State *L, const char *src, size_t len)
{
	char name[EVAL_NAMEMAX + 2] = "=eval";
	const char *nl;
	size_t n;

	if (len > 3 && !memcmp(src, "--@", 3)) {
		nl = memchr(src, '\n', len);
		n = (nl ? nl : src + len) - (src + 3);
		n = min_t(size_t, n, EVAL_NAMEMAX);
		name[0] = '=';
		memcpy(name + 1, src + 3, n);
		name[n + 1] = '\0';
		if (nl) {
			len -= nl + 1 - src;
			src = nl + 1;
		} else {
			len = 0;	/* the name line only */
		}
	}
	return luaL_loadbufferx(L, src, len, name, "t");
}

static void eval_run(struct eval_ctx *ctx)
{
	struct lport_mem mem = {
		.cap = EVAL_MEMCAP,
		.gfp = GFP_KERNEL,
		.can_sleep = true,
	};
	const char *msg = NULL;
	lua_State *L;
	int ret;

	L = lport_newstate(&mem);
	if (!L) {
		msg = "cannot create a Lua state";
		goto fail;
	}
	/* not a runtime: bindings see no runtime context */
	*(struct lunatik_runtime **)lua_getextraspace(L) = NULL;
	lua_pushlightuserdata(L, ctx);
	lua_pushcclosure(L, eval_setup, 1);
	mem.stack_limit = lport_stack_limit_here(0);	/* task context */
	ret = lua_pcall(L, 0, 0, 0);
	if (ret == LUA_OK)
		ret = eval_load(L, ctx->src.data ? ctx->src.data : "",
				ctx->src.len);
	if (ret == LUA_OK)
		ret = lua_pcall(L, 0, 0, 0);
	if (ret != LUA_OK) {
		msg = lua_tostring(L, -1);
		if (!msg)
			msg = "(error object is not a string)";
		eval_append(&ctx->out, "lua error: ", 11, EVAL_MAXOUT);
		eval_append(&ctx->out, msg, strlen(msg), EVAL_MAXOUT);
		eval_append(&ctx->out, "\n", 1, EVAL_MAXOUT);
		ctx->failed = true;
		msg = NULL;
	}
	lua_close(L);
	if (mem.used)
		pr_warn("eval: %zu bytes still accounted after lua_close\n",
			mem.used);
	return;
fail:
	eval_append(&ctx->out, msg, strlen(msg), EVAL_MAXOUT);
	eval_append(&ctx->out, "\n", 1, EVAL_MAXOUT);
	ctx->failed = true;
}

static int eval_open(struct inode *inode, struct file *file)
{
	struct eval_ctx *ctx;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	mutex_init(&ctx->lock);
	file->private_data = ctx;
	return nonseekable_open(inode, file);
}

static ssize_t eval_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct eval_ctx *ctx = file->private_data;
	char *chunk;
	int ret;

	chunk = memdup_user(ubuf, min_t(size_t, count, PAGE_SIZE));
	if (IS_ERR(chunk))
		return PTR_ERR(chunk);
	mutex_lock(&ctx->lock);
	ret = ctx->ran ? -EBUSY : eval_append(&ctx->src, chunk,
		min_t(size_t, count, PAGE_SIZE), EVAL_MAXSRC);
	mutex_unlock(&ctx->lock);
	kfree(chunk);
	return ret ? ret : min_t(size_t, count, PAGE_SIZE);
}

static ssize_t eval_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	struct eval_ctx *ctx = file->private_data;
	ssize_t ret;

	mutex_lock(&ctx->lock);
	if (!ctx->ran) {
		ctx->ran = true;
		eval_run(ctx);
	}
	if (*ppos < ctx->out.len) {
		ret = simple_read_from_buffer(ubuf, count, ppos,
					      ctx->out.data, ctx->out.len);
	} else if (ctx->failed && !ctx->reported) {
		ctx->reported = true;
		ret = -ENOEXEC;
	} else {
		ret = 0;
	}
	mutex_unlock(&ctx->lock);
	return ret;
}

static int eval_release(struct inode *inode, struct file *file)
{
	struct eval_ctx *ctx = file->private_data;

	kvfree(ctx->src.data);
	kvfree(ctx->out.data);
	kfree(ctx);
	return 0;
}

static const struct file_operations eval_fops = {
	.owner = THIS_MODULE,
	.open = eval_open,
	.write = eval_write,
	.read = eval_read,
	.release = eval_release,
	.llseek = no_llseek,
};

static struct dentry *eval_dir;

/*
 * lunatik/live: the census, "objects N\nruntimes N\n", then a line
 * "class NAME N" for each class that ever had an object
 */
static int live_show(struct seq_file *m, void *v)
{
	/* pairs with smp_store_release() in census_of(): names are set */
	int i, n = smp_load_acquire(&lunatik_census_n);

	seq_printf(m, "objects %ld\nruntimes %ld\n",
		   atomic_long_read(&lunatik_nobjects),
		   atomic_long_read(&lunatik_nruntimes));
	for (i = 0; i < n; i++)
		seq_printf(m, "class %s %ld\n", lunatik_census[i].name,
			   atomic_long_read(&lunatik_census[i].live));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(live);

void lunatik_eval_init(void)
{
	eval_dir = debugfs_create_dir("lunatik", NULL);
	debugfs_create_file("eval", 0600, eval_dir, NULL, &eval_fops);
	debugfs_create_file("live", 0400, eval_dir, NULL, &live_fops);
}

void lunatik_eval_exit(void)
{
	debugfs_remove_recursive(eval_dir);
}
