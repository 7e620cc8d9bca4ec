// SPDX-License-Identifier: GPL-2.0
/*
 * genl.c - the control interface: the generic netlink family "lunatik".
 *
 * Requests run in the sender's sendmsg(), in process context, without the
 * genetlink mutex (parallel_ops): clients only meet on the core's locks,
 * and no lock of ours is held while Lua runs.  Replies are queued without
 * blocking, so a client that never reads its socket only loses its own
 * replies.  The protocol is described in uapi.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/capability.h>
#include <net/genetlink.h>

#include "lunatik.h"
#include "genl.h"
#include "uapi.h"

#define LUNATIK_ERR_MAX	1024	/* text of a failed RUN */

static struct genl_family lunatik_genl_family;

static const struct nla_policy lunatik_genl_policy[LUNATIK_ATTR_MAX + 1] = {
	[LUNATIK_ATTR_NAME] = { .type = NLA_NUL_STRING,
				.len = LUNATIK_NAME_MAX - 1 },
	[LUNATIK_ATTR_CTX] = { .type = NLA_NUL_STRING, .len = 15 },
	[LUNATIK_ATTR_FLAGS] = NLA_POLICY_MASK(NLA_U32, LUNATIK_RUN_ALL),
	[LUNATIK_ATTR_MEMCAP] = { .type = NLA_U64 },
	[LUNATIK_ATTR_BUDGET_NS] = { .type = NLA_U64 },
	[LUNATIK_ATTR_CHUNK] = { .type = NLA_STRING, .len = LUNATIK_CHUNK_MAX },
};

/*
 * GENL_ADMIN_PERM only asks for CAP_NET_ADMIN; running code in the kernel
 * needs CAP_SYS_ADMIN, of both the socket's opener and the caller.
 */
static int check_perm(const struct sk_buff *skb,
		      struct netlink_ext_ack *extack)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	NL_SET_ERR_MSG(extack, "CAP_SYS_ADMIN required");
	return -EPERM;
}

static int pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
		    struct genl_info *info)
{
	return check_perm(skb, info->extack);
}

/* Puts @text, cut to LUNATIK_OUTPUT_MAX - 1 bytes, as a string attribute. */
static int put_text(struct sk_buff *msg, int attrtype, const char *text)
{
	size_t len = strnlen(text, LUNATIK_OUTPUT_MAX - 1);
	struct nlattr *nla;

	nla = nla_reserve(msg, attrtype, len + 1);
	if (!nla)
		return -EMSGSIZE;
	memcpy(nla_data(nla), text, len);
	((char *)nla_data(nla))[len] = '\0';
	return 0;
}

/* Sends a reply to @info's request with @text in @attrtype. */
static int reply_text(struct genl_info *info, u8 cmd, int attrtype,
		      const char *text)
{
	size_t len = strnlen(text, LUNATIK_OUTPUT_MAX - 1);
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(nla_total_size(len + 1), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lunatik_genl_family, 0, cmd);
	if (!hdr || put_text(msg, attrtype, text)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * Fails the request with @err, explained by @text: the text goes first, as
 * LUNATIK_CMD_ERROR, then netlink sends @err in the NLMSG_ERROR.  Extended
 * acks only carry static strings; this carries Lua's.
 */
static int reply_error(struct genl_info *info, int err, const char *text)
{
	if (text && *text)
		reply_text(info, LUNATIK_CMD_ERROR, LUNATIK_ATTR_ERROR, text);
	return err;
}

static int get_name(struct genl_info *info, const char **name)
{
	struct nlattr *attr = info->attrs[LUNATIK_ATTR_NAME];
	int ret;

	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "missing script name");
		return -EINVAL;
	}
	*name = nla_data(attr);
	ret = lunatik_script_valid(*name);
	if (ret)
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "invalid script name (empty, absolute, '..', '.' or '//')");
	return ret;
}

static int get_run_opts(struct genl_info *info, enum lunatik_ctx *ctx,
			struct lunatik_opts *opts)
{
	struct nlattr **attrs = info->attrs;
	u32 flags = 0;

	*ctx = LUNATIK_PROCESS;
	if (attrs[LUNATIK_ATTR_CTX] &&
	    lunatik_ctx_parse(nla_data(attrs[LUNATIK_ATTR_CTX]), ctx)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[LUNATIK_ATTR_CTX],
				    "unknown context (process, softirq, hardirq)");
		return -EINVAL;
	}
	if (attrs[LUNATIK_ATTR_FLAGS])
		flags = nla_get_u32(attrs[LUNATIK_ATTR_FLAGS]);
	opts->percpu = flags & LUNATIK_RUN_PERCPU;
	opts->bytecode = flags & LUNATIK_RUN_BYTECODE;
	if (attrs[LUNATIK_ATTR_MEMCAP])
		opts->memcap = nla_get_u64(attrs[LUNATIK_ATTR_MEMCAP]);
	if (attrs[LUNATIK_ATTR_BUDGET_NS])
		opts->budget_ns = nla_get_u64(attrs[LUNATIK_ATTR_BUDGET_NS]);
	if (opts->budget_ns != U64_MAX &&
	    opts->budget_ns > LUNATIK_BUDGET_MAX_NS) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[LUNATIK_ATTR_BUDGET_NS],
				    "budget too large (at most one day; none for no budget)");
		return -ERANGE;
	}
	return 0;
}

static int cmd_run(struct sk_buff *skb, struct genl_info *info)
{
	struct lunatik_opts opts = {};
	enum lunatik_ctx ctx;
	const char *name;
	char *err;
	int ret;

	ret = get_name(info, &name);
	if (ret)
		return ret;
	ret = get_run_opts(info, &ctx, &opts);
	if (ret)
		return ret;
	err = kzalloc(LUNATIK_ERR_MAX, GFP_KERNEL);
	if (!err)
		return -ENOMEM;
	ret = lunatik_script_run(name, ctx, &opts, err, LUNATIK_ERR_MAX);
	if (ret == -EEXIST && !*err)
		NL_SET_ERR_MSG(info->extack, "a runtime of that name runs");
	else if (ret)
		ret = reply_error(info, ret, err);
	kfree(err);
	return ret;
}

static int cmd_stop(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *flags = info->attrs[LUNATIK_ATTR_FLAGS];
	const char *name;
	int ret;

	if (flags && !info->attrs[LUNATIK_ATTR_NAME]) {
		if (nla_get_u32(flags) != LUNATIK_STOP_EVERY) {
			NL_SET_ERR_MSG_ATTR(info->extack, flags,
					    "unknown stop flags");
			return -EINVAL;
		}
		lunatik_script_stop_every();
		return 0;
	}
	ret = get_name(info, &name);
	if (ret)
		return ret;
	ret = lunatik_script_stop(name);
	if (ret == -ESRCH)
		NL_SET_ERR_MSG(info->extack, "no runtime of that name");
	else if (ret == -EBUSY)
		NL_SET_ERR_MSG(info->extack, "that script is still loading");
	return ret;
}

/* SPAWN: like RUN, in process context; the script must return a function. */
static int cmd_spawn(struct sk_buff *skb, struct genl_info *info)
{
	struct lunatik_opts opts = {};
	enum lunatik_ctx ctx;
	const char *name;
	char *err;
	int ret;

	ret = get_name(info, &name);
	if (ret)
		return ret;
	ret = get_run_opts(info, &ctx, &opts);
	if (ret)
		return ret;
	if (ctx != LUNATIK_PROCESS) {
		NL_SET_ERR_MSG(info->extack,
			       "a spawned script runs in process context");
		return -EINVAL;
	}
	if (opts.percpu) {
		NL_SET_ERR_MSG(info->extack,
			       "a spawned script runs in one kernel thread, not per CPU");
		return -EINVAL;
	}
	err = kzalloc(LUNATIK_ERR_MAX, GFP_KERNEL);
	if (!err)
		return -ENOMEM;
	ret = lunatik_script_spawn(name, &opts, err, LUNATIK_ERR_MAX);
	if (ret)
		ret = reply_error(info, ret, err);
	kfree(err);
	return ret;
}

/* --- LIST: one message per runtime, resumed by index --------------------- */

struct list_walk {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	long index;
	long start;
	bool object;
};

static int put_u64(struct sk_buff *skb, int attrtype, u64 value)
{
	return nla_put_u64_64bit(skb, attrtype, value, LUNATIK_ATTR_PAD);
}

/*
 * Counters and accounting change under the runtime's lock, which we do not
 * take: 64-bit loads cannot tear here, and a listing may be a little stale.
 */
static int fill_runtime(struct sk_buff *skb, struct lunatik_runtime *rt,
			bool object)
{
	int cpu = lunatik_runtime_cpu(rt);
	struct lunatik_info in;

	lunatik_runtime_info(rt, &in);
	if (nla_put_string(skb, LUNATIK_ATTR_NAME, lunatik_runtime_name(rt)) ||
	    nla_put_string(skb, LUNATIK_ATTR_CTX, lunatik_ctx_name(lunatik_runtime_ctx(rt))) ||
	    nla_put_u8(skb, LUNATIK_ATTR_READY, in.ready) ||
	    put_u64(skb, LUNATIK_ATTR_MEM_USED, in.mem_used) ||
	    put_u64(skb, LUNATIK_ATTR_MEM_PEAK, in.mem_peak) ||
	    put_u64(skb, LUNATIK_ATTR_MEM_CAP, in.mem_cap) ||
	    put_u64(skb, LUNATIK_ATTR_BUDGET_NS, lunatik_runtime_budget(rt)) ||
	    put_u64(skb, LUNATIK_ATTR_CALLS, in.calls) ||
	    put_u64(skb, LUNATIK_ATTR_ERRORS, in.errors) ||
	    put_u64(skb, LUNATIK_ATTR_NS, in.ns) ||
	    put_u64(skb, LUNATIK_ATTR_BUDGET_TRIPS, in.budget_trips) ||
	    put_u64(skb, LUNATIK_ATTR_SKIPPED, in.skipped) ||
	    (in.ncpus && nla_put_u32(skb, LUNATIK_ATTR_NCPUS, in.ncpus)) ||
	    (object && nla_put_flag(skb, LUNATIK_ATTR_OBJECT)) ||
	    (object && cpu >= 0 && nla_put_u32(skb, LUNATIK_ATTR_CPU, cpu)))
		return -EMSGSIZE;
	return 0;
}

static int list_one(struct lunatik_runtime *rt, void *arg)
{
	struct list_walk *w = arg;
	void *hdr;

	if (w->index < w->start) {
		w->index++;
		return 0;
	}
	hdr = genlmsg_put(w->skb, NETLINK_CB(w->cb->skb).portid,
			  w->cb->nlh->nlmsg_seq, &lunatik_genl_family,
			  NLM_F_MULTI, LUNATIK_CMD_LIST);
	if (!hdr)
		return -EMSGSIZE;
	if (fill_runtime(w->skb, rt, w->object)) {
		genlmsg_cancel(w->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(w->skb, hdr);
	w->index++;
	return 0;
}

/*
 * Each call fills @skb with the runtimes from cb->args[0] on, the named
 * ones first, then the runtime objects; a runtime started or stopped
 * between two calls may be missed or listed twice.
 */
static int cmd_list(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct list_walk w = {
		.skb = skb,
		.cb = cb,
		.start = cb->args[0],
	};
	int ret;

	ret = check_perm(cb->skb, cb->extack);
	if (ret)
		return ret;
	ret = lunatik_script_foreach(list_one, &w);
	if (!ret) {
		w.object = true;
		ret = lunatik_runtime_foreach_object(list_one, &w);
	}
	cb->args[0] = w.index;
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

/* --- EXEC: a chunk inside a named runtime -------------------------------- */

struct exec_req {
	const char *chunk;
	size_t len;
	char *out;		/* LUNATIK_OUTPUT_MAX bytes: results or error */
};

static void exec_copy(struct exec_req *req, const char *s, size_t len)
{
	len = min_t(size_t, len, LUNATIK_OUTPUT_MAX - 1);
	memcpy(req->out, s, len);
	req->out[len] = '\0';
}

/*
 * Runs protected under the runtime's lock (lunatik_callerr()).  A chunk
 * that does not compile is answered here, quietly: the shell compiles
 * "return <line>" first and feeds incomplete statements line by line.  An
 * error while the chunk runs goes to the core, which counts it (and tells
 * a budget trip from other errors) and logs it.
 */
static int exec_fn(lua_State *L, void *arg)
{
	struct exec_req *req = arg;
	int base = lua_gettop(L);
	const char *out;
	luaL_Buffer b;
	size_t len;
	int i, top, status;

	status = luaL_loadbufferx(L, req->chunk, req->len, "=stdin", "t");
	if (status != LUA_OK) {
		const char *msg = lua_tolstring(L, -1, &len);

		exec_copy(req, msg ? msg : "?", msg ? len : 1);
		lua_pop(L, 1);
		return status == LUA_ERRSYNTAX ? -ENOEXEC : -ENOMEM;
	}
	lua_call(L, 0, LUA_MULTRET);
	top = lua_gettop(L);
	luaL_buffinit(L, &b);
	for (i = base + 1; i <= top; i++) {
		if (i > base + 1)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	out = lua_tolstring(L, -1, &len);
	exec_copy(req, out, len);
	return 0;
}

struct find_req {
	const char *name;
	struct lunatik_runtime *rt;
};

static int find_one(struct lunatik_runtime *rt, void *arg)
{
	struct find_req *f = arg;

	if (strcmp(lunatik_runtime_name(rt), f->name))
		return 0;
	lunatik_get(rt);
	f->rt = rt;
	return 1;
}

static int cmd_exec(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *chunk = info->attrs[LUNATIK_ATTR_CHUNK];
	struct find_req f = {};
	struct exec_req req = {};
	int ret;

	ret = get_name(info, &f.name);
	if (ret)
		return ret;
	if (!chunk) {
		NL_SET_ERR_MSG(info->extack, "missing chunk");
		return -EINVAL;
	}
	req.chunk = nla_data(chunk);
	req.len = nla_len(chunk);
	if (req.len && !req.chunk[req.len - 1])
		req.len--;
	req.out = kvzalloc(LUNATIK_OUTPUT_MAX, GFP_KERNEL);
	if (!req.out)
		return -ENOMEM;
	lunatik_script_foreach(find_one, &f);
	if (!f.rt) {
		NL_SET_ERR_MSG(info->extack, "no runtime of that name");
		ret = -ESRCH;
		goto out_free;
	}
	ret = lunatik_callerr(f.rt, exec_fn, &req, req.out,
			      LUNATIK_OUTPUT_MAX);
	lunatik_put(f.rt);
	if (ret)
		ret = reply_error(info, ret, req.out);
	else
		ret = reply_text(info, LUNATIK_CMD_EXEC, LUNATIK_ATTR_OUTPUT,
				 req.out);
out_free:
	kvfree(req.out);
	return ret;
}

/* --- the family ---------------------------------------------------------- */

static const struct genl_small_ops lunatik_genl_ops[] = {
	{
		.cmd = LUNATIK_CMD_RUN,
		.doit = cmd_run,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LUNATIK_CMD_STOP,
		.doit = cmd_stop,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LUNATIK_CMD_LIST,
		.dumpit = cmd_list,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LUNATIK_CMD_EXEC,
		.doit = cmd_exec,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = LUNATIK_CMD_SPAWN,
		.doit = cmd_spawn,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family lunatik_genl_family = {
	.name = LUNATIK_GENL_NAME,
	.version = LUNATIK_GENL_VERSION,
	.maxattr = LUNATIK_ATTR_MAX,
	.policy = lunatik_genl_policy,
	.parallel_ops = true,
	/* usable from any network namespace: a script run from one binds
	 * its sockets and hooks there by default.  pre_doit() still asks
	 * CAP_SYS_ADMIN in the initial user namespace.
	 */
	.netnsok = true,
	.pre_doit = pre_doit,
	.small_ops = lunatik_genl_ops,
	.n_small_ops = ARRAY_SIZE(lunatik_genl_ops),
	.module = THIS_MODULE,
};

int lunatik_genl_init(void)
{
	BUILD_BUG_ON(LUNATIK_UAPI_NAME_MAX != LUNATIK_NAME_MAX);
	BUILD_BUG_ON(LUNATIK_BUDGET_MAX_MS * NSEC_PER_MSEC !=
		     LUNATIK_BUDGET_MAX_NS);
	return genl_register_family(&lunatik_genl_family);
}

void lunatik_genl_exit(void)
{
	genl_unregister_family(&lunatik_genl_family);
}

/* `lunatik run` on a system where the module is not loaded yet loads it. */
MODULE_ALIAS_GENL_FAMILY(LUNATIK_GENL_NAME);
