// SPDX-License-Identifier: GPL-2.0
/*
 * netlink: generic netlink channels between a script and user space.
 *
 *	local netlink = require "netlink"
 *	local ch = netlink.channel("demo", function(portid, msg, ch)
 *		ch:unicast(portid, "echo: " .. msg)
 *	end)
 *	ch:multicast("hello")	-- to every socket in the group "events"
 *
 * A channel is a generic netlink family of its own, named by the script,
 * with one command (NETLINK_CHAN_CMD_MSG) carrying one attribute
 * (NETLINK_CHAN_ATTR_MSG: the bytes of a Lua string), both ways, and one
 * multicast group, "events".  User space finds it through the genl
 * controller, like any family.  Sending to it, and joining its group,
 * needs CAP_NET_ADMIN.
 *
 * Upstream's forms too: netlink.channel.new(name), ch:multicast(cmd[,
 * payload]) and ch:unicast(portid, cmd[, payload]), the payload being the
 * genl body as it is; and netlink.rt, .genl, .message, .session,
 * .nl80211, the Lua libraries netlink.<name> (lib/netlink/), required on
 * first use.
 *
 * Namespaces.  A channel serves the network namespace of the task that
 * made it (the `lunatik` command's, `unshare -n`'s), which it keeps alive:
 * multicasts and unicasts go to sockets there, and only messages from
 * there reach the callback.  A channel of the initial namespace is a
 * family like most (not netnsok): other namespaces do not see it.  One of
 * another namespace must be netnsok to be reachable at all; it is then
 * visible everywhere, and messages from other namespaces fail (ENOENT).
 *
 * Registering and unregistering run from the core's ordered hook queue
 * (LUNATIK_HOOK_DEFER), never in the caller.  Both take genetlink's cb_lock for writing, and the caller
 * usually holds it for reading: every generic netlink request runs under
 * it, `lunatik run`, `stop` and `exec` (the control family) and this
 * binding's own callbacks included.  So netlink.channel() returns before
 * the family exists (ch:id() tells when it does), and a failure there
 * (a kernel family of that name) shows on the channel's next use.  The
 * queue is ordered: a name freed by a stop is registered again only after
 * the old family is gone.  genl_unregister_family() waits for the ops
 * running under cb_lock, so once the queue has unregistered the family no
 * callback of the channel runs any more; the registration holds a
 * reference on the object until then.
 *
 * Contexts.  Process and softirq runtimes; in a softirq runtime a channel
 * is made in the top-level chunk (where the task, and so its namespace, is
 * the caller's).  Sends allocate with the state's flags (atomic in a
 * softirq runtime) and never wait.  The callback runs in the sender's
 * sendmsg(), in process context, through lunatik_call().  Not in hardirq
 * runtimes (netlink frees skbs in ways that hardirq context forbids), nor
 * in per-CPU ones (every copy would claim the same name).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/ctype.h>
#include <linux/nsproxy.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "lunatik.h"

#define NETLINK_CHAN_CMD_MSG	1
#define NETLINK_CHAN_ATTR_MSG	1
#define NETLINK_CHAN_ATTR_MAX	NETLINK_CHAN_ATTR_MSG
#define NETLINK_CHAN_VERSION	1
#define NETLINK_CHAN_GROUP	"events"
/* an attribute's length is 16 bits, its header included */
#define NETLINK_CHAN_MSGMAX	(U16_MAX - NLA_HDRLEN)

struct chan {
	struct lunatik_hook hook;	/* LUNATIK_HOOK_DEFER */
	struct genl_family family;
	struct lunatik_object *obj;
	struct net *net;
	struct list_head entry;	/* in channels, from creation to stop */
	bool listed;		/* in channels */
	bool hasfn;
};

static const struct lunatik_class chan_class;
/* every channel not yet stopped: names in use, ids of the callbacks */
static LIST_HEAD(channels);
static DEFINE_SPINLOCK(channels_lock);

/* --- errors ------------------------------------------------------------ */

/* an errno's name; EIO for one the kernel's headers do not name */
static const char *chan_errname(int err)
{
	const char *name = lunatik_errname(err);

	return name ? name : "EIO";
}

/* --- the family ---------------------------------------------------------- */

/* Under channels_lock; takes a reference.  Called from a genl op only. */
static struct lunatik_object *chan_byid(int id)
{
	struct lunatik_object *obj = NULL;
	struct chan *ch;

	spin_lock_bh(&channels_lock);
	/* the id is written by genl_register_family() under cb_lock,
	 * which the op holds for reading; a failed channel's stale id is
	 * marked before the queue can register another family
	 */
	list_for_each_entry(ch, &channels, entry) {
		if (lunatik_hook_state(&ch->hook, NULL) !=
		    LUNATIK_HOOK_FAILED && ch->family.id == id) {
			obj = ch->obj;
			lunatik_getobject(obj);
			break;
		}
	}
	spin_unlock_bh(&channels_lock);
	return obj;
}

struct chancall {
	u32 portid;
	const char *msg;
	size_t len;
};

/* In the runtime, under its lock: fn(portid, msg, channel). */
static int chan_docall(lua_State *L, struct lunatik_hook *hook, void *arg)
{
	struct chancall *c = arg;

	lua_pushinteger(L, c->portid);
	lua_pushlstring(L, c->msg, c->len);
	lua_rawgeti(L, -4, LUNATIK_HOOK_UDATA);
	lua_call(L, 3, 0);
	return 0;
}

/*
 * A message from user space: the sender's sendmsg(), process context,
 * cb_lock held for reading (so the family stays registered meanwhile).
 */
static int chan_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[NETLINK_CHAN_ATTR_MSG];
	struct lunatik_object *obj;
	struct chancall c = { .portid = info->snd_portid };
	struct chan *ch;
	int ret;

	obj = chan_byid(info->nlhdr->nlmsg_type);
	if (!obj)
		return -ENOENT;
	ch = lunatik_private(obj);
	if (!net_eq(genl_info_net(info), ch->net)) {
		NL_SET_ERR_MSG(info->extack,
			       "the channel serves another network namespace");
		ret = -ENOENT;
		goto out_put;
	}
	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "missing message attribute");
		ret = -EINVAL;
		goto out_put;
	}
	if (!ch->hasfn) {
		NL_SET_ERR_MSG(info->extack, "the channel takes no messages");
		ret = -EOPNOTSUPP;
		goto out_put;
	}
	c.msg = nla_data(attr);
	c.len = nla_len(attr);
	ret = lunatik_hook_call(&ch->hook, chan_docall, NULL, &c, 0);
	if (ret == -ESHUTDOWN)
		ret = -ENXIO;
out_put:
	lunatik_putobject(obj);
	return ret;
}

static const struct nla_policy chan_policy[NETLINK_CHAN_ATTR_MAX + 1] = {
	[NETLINK_CHAN_ATTR_MSG] = { .type = NLA_BINARY },
};

static const struct genl_small_ops chan_ops[] = {
	{
		.cmd = NETLINK_CHAN_CMD_MSG,
		.doit = chan_doit,
		.flags = GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group chan_groups[] = {
	{ .name = NETLINK_CHAN_GROUP, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/* From the core's queue: genetlink's cb_lock is not held there. */
static int chan_register(struct lunatik_object *obj)
{
	struct chan *ch = lunatik_private(obj);
	int ret = genl_register_family(&ch->family);

	if (ret)
		pr_warn("channel '%s': cannot register the family (%d)\n",
			ch->family.name, ret);
	return ret;
}

static void chan_unregister(struct lunatik_object *obj)
{
	struct chan *ch = lunatik_private(obj);

	genl_unregister_family(&ch->family);
}

/* --- the Lua class ----------------------------------------------------- */

/*
 * In the owning state (any of its contexts): frees the name; the core
 * then lets its queue unregister the family.
 */
static void chan_stop(struct lunatik_object *obj)
{
	struct chan *ch = lunatik_private(obj);

	if (!ch->listed)
		return;
	spin_lock_bh(&channels_lock);
	list_del(&ch->entry);
	spin_unlock_bh(&channels_lock);
	ch->listed = false;
}

static void chan_release(struct lunatik_object *obj)
{
	struct chan *ch = lunatik_private(obj);

	if (ch->net)
		put_net(ch->net);
}

/* The channel at 1, registered; raises if its registration failed. */
static struct chan *chan_check(lua_State *L, bool *ready)
{
	struct lunatik_object *obj = lunatik_checkobject(L, 1, &chan_class);
	struct chan *ch = lunatik_private(obj);
	/* the family's id and offset, or the error, are set before the
	 * state says so
	 */
	int err, state = lunatik_hook_state(&ch->hook, &err);

	if (state == LUNATIK_HOOK_FAILED)
		luaL_error(L, "netlink: channel '%s': the family could not be registered (%s)",
			   ch->family.name, chan_errname(err));
	*ready = state == LUNATIK_HOOK_ACTIVE;
	return ch;
}

static int chan_fail(lua_State *L, const char *why)
{
	luaL_pushfail(L);
	lua_pushstring(L, why);
	return 2;
}

/*
 * The message of a send whose arguments start at @idx: either ours, a
 * string (NETLINK_CHAN_CMD_MSG, the string in NETLINK_CHAN_ATTR_MSG), or
 * upstream's, a command (0 to 255) and an optional body (the bytes after
 * the genl header, as they are: attributes built in Lua).  *@cmdform says
 * which.  NULL if the allocation fails.
 */
static struct sk_buff *chan_msg(lua_State *L, struct chan *ch, int idx,
				bool *cmdform)
{
	size_t len;
	const char *s;
	struct sk_buff *skb;
	lua_Integer cmd = NETLINK_CHAN_CMD_MSG;
	void *hdr;

	*cmdform = lua_type(L, idx) == LUA_TNUMBER;
	if (*cmdform) {
		cmd = luaL_checkinteger(L, idx);
		luaL_argcheck(L, cmd >= 0 && cmd <= U8_MAX, idx,
			      "command out of range (0 to 255)");
		s = luaL_optlstring(L, idx + 1, "", &len);
		luaL_argcheck(L, len <= NETLINK_CHAN_MSGMAX, idx + 1,
			      "payload too long (at most 65531 bytes)");
	} else {
		s = luaL_checklstring(L, idx, &len);
		luaL_argcheck(L, len <= NETLINK_CHAN_MSGMAX, idx,
			      "message too long (at most 65531 bytes)");
	}
	skb = genlmsg_new(*cmdform ? len : nla_total_size(len), lunatik_gfp(L));
	if (!skb)
		return NULL;
	hdr = genlmsg_put(skb, 0, 0, &ch->family, 0, (u8)cmd);
	if (!hdr)
		goto fail;
	if (*cmdform) {
		if (len)
			skb_put_data(skb, s, len);
	} else if (nla_put(skb, NETLINK_CHAN_ATTR_MSG, len, s)) {
		goto fail;
	}
	genlmsg_end(skb, hdr);
	return skb;
fail:
	nlmsg_free(skb);
	return NULL;
}

/* A send's result: ours true or nil and why; upstream's form false, why. */
static int chan_result(lua_State *L, bool cmdform, const char *why)
{
	if (!why) {
		lua_pushboolean(L, true);
		return 1;
	}
	if (cmdform)
		lua_pushboolean(L, false);
	else
		luaL_pushfail(L);
	lua_pushstring(L, why);
	return 2;
}

/*
 * ch:multicast(msg) -> true, or nil and why (ESRCH: nobody listens);
 * ch:multicast(cmd[, payload]) -> true, or false and why
 */
static int chan_multicast(lua_State *L)
{
	bool ready, cmdform;
	struct chan *ch = chan_check(L, &ready);
	struct sk_buff *skb;
	int ret;

	cmdform = lua_type(L, 2) == LUA_TNUMBER;
	if (!cmdform)
		luaL_checkstring(L, 2);
	if (!ready)
		return chan_result(L, cmdform, "registering");
	skb = chan_msg(L, ch, 2, &cmdform);
	if (!skb)
		return chan_result(L, cmdform, "ENOMEM");
	ret = genlmsg_multicast_netns(&ch->family, ch->net, skb, 0, 0,
				      lunatik_gfp(L));
	return chan_result(L, cmdform, ret ? chan_errname(ret) : NULL);
}

/*
 * ch:unicast(portid, msg) -> true, or nil and why (ECONNREFUSED: no such
 * port; EAGAIN: its queue is full); ch:unicast(portid, cmd[, payload]) ->
 * true, or false and why
 */
static int chan_unicast(lua_State *L)
{
	bool ready, cmdform;
	struct chan *ch = chan_check(L, &ready);
	lua_Integer portid = luaL_checkinteger(L, 2);
	struct sk_buff *skb;
	int ret;

	/* port 0 is the kernel's own socket: it would run genl ops here */
	luaL_argcheck(L, portid > 0 && portid <= U32_MAX, 2,
		      "portid out of range (1 to 2^32 - 1)");
	cmdform = lua_type(L, 3) == LUA_TNUMBER;
	if (!cmdform)
		luaL_checkstring(L, 3);
	if (!ready)
		return chan_result(L, cmdform, "registering");
	skb = chan_msg(L, ch, 3, &cmdform);
	if (!skb)
		return chan_result(L, cmdform, "ENOMEM");
	ret = genlmsg_unicast(ch->net, skb, portid);
	return chan_result(L, cmdform, ret ? chan_errname(ret) : NULL);
}

/* ch:id() -> family id, group id; or nil, "registering" */
static int chan_id(lua_State *L)
{
	bool ready;
	struct chan *ch = chan_check(L, &ready);

	if (!ready)
		return chan_fail(L, "registering");
	lua_pushinteger(L, ch->family.id);
	lua_pushinteger(L, ch->family.mcgrp_offset);
	return 2;
}

static const luaL_Reg chan_methods[] = {
	{ "multicast", chan_multicast },
	{ "unicast", chan_unicast },
	{ "id", chan_id },
	{ NULL, NULL }
};

static const struct lunatik_class chan_class = {
	.name = "netlink.channel",
	.owner = THIS_MODULE,
	.methods = chan_methods,
	.release = chan_release,
	.stop = chan_stop,
	.hook_register = chan_register,
	.unregister = chan_unregister,
	.contexts = LUNATIK_CTX_BIT(LUNATIK_PROCESS) |
		    LUNATIK_CTX_BIT(LUNATIK_SOFTIRQ),
	.sleep = false,
};

/* --- netlink.channel() --------------------------------------------------- */

/* names the kernel gives fixed ids or groups (genetlink.c) */
static const char * const chan_reserved[] = {
	"nlctrl", "NET_DM", "pmcraid", "VFS_DQUOT",
};

static const char *chan_checkname(lua_State *L)
{
	size_t len, i;
	const char *name = luaL_checklstring(L, 1, &len);
	bool ok = len > 0 && len < GENL_NAMSIZ;

	for (i = 0; ok && i < len; i++)
		ok = isalnum(name[i]) || strchr("_-.", name[i]);
	if (!ok)
		luaL_error(L, "netlink: invalid channel name '%s' (1 to %d of A-Z a-z 0-9 _ - .)",
			   name, GENL_NAMSIZ - 1);
	for (i = 0; i < ARRAY_SIZE(chan_reserved); i++)
		if (!strcmp(name, chan_reserved[i]))
			luaL_error(L, "netlink: channel name '%s' is reserved",
				   name);
	return name;
}

static void chan_checkcontext(lua_State *L)
{
	if (!lunatik_toruntime(L))
		luaL_error(L, "netlink: needs a runtime (lunatik run)");
	if (lunatik_percpu(L))
		luaL_error(L, "netlink: channels are not per-CPU");
	if (lunatik_context(L) == LUNATIK_SOFTIRQ && !lunatik_toplevel(L))
		luaL_error(L, "netlink: make channels from the script's top-level chunk");
	if (!current->nsproxy)
		luaL_error(L, "netlink: the task has no network namespace");
}

/* Lists @ch under its name; -EEXIST if a channel has it. */
static int chan_list(struct chan *ch)
{
	struct chan *other;
	int ret = 0;

	spin_lock_bh(&channels_lock);
	list_for_each_entry(other, &channels, entry) {
		if (!strcmp(other->family.name, ch->family.name)) {
			ret = -EEXIST;
			goto out_unlock;
		}
	}
	list_add_tail(&ch->entry, &channels);
	ch->listed = true;
out_unlock:
	spin_unlock_bh(&channels_lock);
	return ret;
}

static void chan_initfamily(struct chan *ch, const char *name)
{
	struct genl_family *f = &ch->family;

	strscpy(f->name, name, sizeof(f->name));
	f->version = NETLINK_CHAN_VERSION;
	f->maxattr = NETLINK_CHAN_ATTR_MAX;
	f->policy = chan_policy;
	f->parallel_ops = true;
	f->netnsok = !net_eq(ch->net, &init_net);
	f->small_ops = chan_ops;
	f->n_small_ops = ARRAY_SIZE(chan_ops);
	f->mcgrps = chan_groups;
	f->n_mcgrps = ARRAY_SIZE(chan_groups);
	f->module = THIS_MODULE;
}

/* netlink.channel(name[, fn]) */
static int chan_new(lua_State *L)
{
	const char *name = chan_checkname(L);
	struct lunatik_object *obj;
	struct chan *ch;

	if (!lua_isnoneornil(L, 2))
		luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	chan_checkcontext(L);
	/* the userdata first: its __gc owns what follows */
	obj = lunatik_newobject(L, &chan_class, sizeof(*ch));
	ch = lunatik_private(obj);
	ch->obj = obj;
	ch->net = lunatik_getnet(0);
	if (IS_ERR(ch->net)) {
		ch->net = NULL;
		return luaL_error(L, "netlink: the caller has no network namespace");
	}
	ch->hasfn = !lua_isnil(L, 2);
	chan_initfamily(ch, name);
	if (chan_list(ch))
		return luaL_error(L, "netlink: channel '%s' exists (EEXIST)",
				  name);
	lunatik_hook_init(L, obj, &ch->hook, 2, LUNATIK_HOOK_DEFER);
	lunatik_hook_register(&ch->hook);	/* deferred: cannot fail */
	return 1;
}

/* netlink.channel is also a table: netlink.channel.new(name), upstream's */
static int chan_call(lua_State *L)
{
	lua_remove(L, 1);	/* netlink.channel itself */
	return chan_new(L);
}

/*
 * netlink.rt, .genl, .nl80211, .message, .session: the Lua libraries
 * netlink.<name>, required on first use (so that a softirq runtime's
 * channels need no sockets)
 */
static const char * const netlink_lazy[] = {
	"rt", "genl", "nl80211", "message", "session",
};

static int netlink_index(lua_State *L)
{
	const char *key = lua_tostring(L, 2);
	size_t i;

	if (lua_type(L, 2) != LUA_TSTRING)
		return 0;
	for (i = 0; i < ARRAY_SIZE(netlink_lazy); i++) {
		if (strcmp(key, netlink_lazy[i]))
			continue;
		lua_getglobal(L, "require");
		lua_pushfstring(L, "netlink.%s", key);
		lua_call(L, 1, 1);
		lua_pushvalue(L, 2);
		lua_pushvalue(L, -2);
		lua_rawset(L, 1);
		return 1;
	}
	return 0;
}

static int luaopen_netlink(lua_State *L)
{
	lunatik_newclass(L, &chan_class);
	lua_createtable(L, 0, 5);
	/* channel = {new = chan_new}, callable */
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, chan_new);
	lua_setfield(L, -2, "new");
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, chan_call);
	lua_setfield(L, -2, "__call");
	lua_setmetatable(L, -2);
	lua_setfield(L, -2, "channel");
	lua_pushstring(L, NETLINK_CHAN_GROUP);
	lua_setfield(L, -2, "group");
	lua_pushinteger(L, NETLINK_CHAN_CMD_MSG);
	lua_setfield(L, -2, "cmd");
	lua_pushinteger(L, NETLINK_CHAN_ATTR_MSG);
	lua_setfield(L, -2, "attr");
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, netlink_index);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	return 1;
}

LUNATIK_LIB(netlink, luaopen_netlink);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the generic netlink channel library");
