// SPDX-License-Identifier: GPL-2.0
/*
 * netfilter: Lua functions as netfilter hooks, and the skb handles they
 * are given.
 *
 *	local nf = require "netfilter"
 *	local h = nf.register{hook = function(skb) return nf.action.DROP end,
 *		pf = nf.family.INET, hooknum = nf.inet_hooks.LOCAL_OUT,
 *		priority = nf.ip_priority.FILTER, mark = 7,
 *		policy = nf.action.DROP, netns = pid}
 *	h:stats(); h:stop()
 *
 * Hooks on a device (netdev ingress and egress, inet ingress) name it by
 * ifindex or name (dev = ...); they are unregistered when it goes away.
 *
 * Contexts.  Hooks run in softirq context, or in process context with a
 * lock taken with bottom halves off: only a softirq runtime (`lunatik run
 * SCRIPT softirq`) may register them, from its top-level chunk (process
 * context, where nf_register_net_hook() may sleep).
 *
 * Lifetimes.  The core's hook service (core/hook.c) keeps {hook,
 * userdata, skb handle} anchored in the state while the hook is
 * registered, so a script may drop what register() returns, and
 * unregisters once it is stopped (h:stop(), or the state closing): at
 * once where the stopper may sleep, else from the core's queue, holding a
 * reference on the object.  nfhook_unregister() returns once no CPU runs
 * the hook any more, so the object, and then the runtime, may go.  A
 * per-CPU group's events run in this CPU's twin, which counts them.
 *
 * Packets.  The skb handle is a plain userdata, one per hook, valid only
 * while the hook runs (its pointer is cleared under the runtime's lock
 * when the Lua function returns, error or not); skb:data() returns a view
 * that is checked on every access: against the packet's current linear
 * bytes, and against the hook call that made it, so a view kept past its
 * hook raises an error instead of touching a freed buffer.  skb:resize()
 * moves the end views see; skb:copy() gives a handle that owns a private,
 * detached copy until the GC frees it; skb:forward() queues a clone that
 * a tasklet transmits once the runtime's lock is dropped (a transmit may
 * run hooks of the same runtime at once: egress, bridge, tunnels).
 *
 * Verdicts.  The function returns a verdict (DROP, ACCEPT or QUEUE) and
 * optionally a new skb->mark.  A Lua error, a budget trip, an invalid
 * verdict, or a runtime that is stopping all give the hook's policy
 * (ACCEPT unless the script chose DROP), and are counted (h:stats(); Lua
 * errors and invalid verdicts also in the runtime's error counter, and
 * logged, rate-limited).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/netfilter_arp.h>
#include <linux/netfilter_bridge.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/if_vlan.h>
#include <linux/nsproxy.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <asm/unaligned.h>
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
#include <net/netfilter/nf_conntrack.h>
#endif

#include "lunatik.h"

#define SKB_MT		"skb"
#define VIEW_MT		"skb.data"

/* registry[obj]'s slot for the skb handle */
#define NFREG_SKB	LUNATIK_HOOK_SLOT

/* verdicts; errors and skipped events are the core's hook counts */
struct nfhook_stats {
	atomic64_t accepted;
	atomic64_t dropped;
	atomic64_t queued;
	atomic64_t invalid;	/* invalid verdicts or marks (core: errors) */
};

struct nfdev {
	int ifindex;
	char name[IFNAMSIZ];	/* "" when given by index */
};

struct nfhook {
	struct lunatik_hook hook;
	struct net *net;	/* a reference, once set */
	struct nf_hook_ops ops;
	struct nfdev dev;	/* a device hook's device, as given */
	struct list_head dev_entry;	/* in nfdev_hooks while registered */
	bool registered;	/* ops are in the kernel (device hooks: RTNL) */
	bool has_mark;
	u32 mark;
	unsigned int policy;
	struct nfhook_stats stats;
};

/*
 * The skb userdata: one per hook, pointing at a packet only in the hook;
 * or a copy (skb:copy()), which owns its packet until it is collected.
 */
struct nfskb {
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	u64 gen;		/* hook calls that returned */
	bool copy;		/* owns skb; the fields below are set */
	struct net *net;	/* a reference: where ifindexes are looked up */
	int ifindex;		/* what skb:ifindex() said of the original */
	int devindex;		/* the original's skb->dev, forward()'s default */
};

/* skb:data()'s userdata; its user value keeps the nfskb alive */
struct nfview {
	struct nfskb *s;
	u64 gen;		/* s->gen when it was made */
	bool mac;		/* from the MAC header, else the network one */
};

/* copies one state may hold at once: their bytes are not Lua's to count */
#define NFSKB_MAXCOPIES	256
/* the largest size skb:resize() grows a packet to */
#define NFSKB_MAXLEN	65535
/* clones skb:forward() queued and not yet transmitted, at most */
#define NFXMIT_MAX	1024

static struct sk_buff_head nfxmit_queue;
static void nfxmit_run(struct tasklet_struct *t);
static DECLARE_TASKLET(nfxmit_tasklet, nfxmit_run);
static char nfcopies_key;	/* registry[&nfcopies_key]: copies alive */
/* hooks bound to a device (netdev family, inet ingress), under RTNL */
static LIST_HEAD(nfdev_hooks);
static const struct lunatik_class nfhook_class;

/* --- the packet: skb handles and their data views ------------------------ */

static struct sk_buff *lskb_check(lua_State *L, int idx)
{
	struct nfskb *s = luaL_checkudata(L, idx, SKB_MT);

	if (!s->skb)
		luaL_error(L, "skb: used outside its hook");
	return s->skb;
}

/* The device skb:ifindex() names, or 0. */
static int lskb_ifindex_of(const struct nfskb *s)
{
	const struct net_device *dev = s->skb->dev;

	if (s->copy)
		return s->ifindex;
	if (s->state->in)
		dev = s->state->in;
	else if (s->state->out)
		dev = s->state->out;
	return dev ? dev->ifindex : 0;
}

/* #skb: the packet's length, headers and paged data included */
static int lskb_len(lua_State *L)
{
	lua_pushinteger(L, lskb_check(L, 1)->len);
	return 1;
}

/* skb:ifindex(): the device it came in on, else the one it goes out by */
static int lskb_ifindex(lua_State *L)
{
	int ifindex;

	lskb_check(L, 1);
	ifindex = lskb_ifindex_of(lua_touserdata(L, 1));
	if (!ifindex)
		return 0;
	lua_pushinteger(L, ifindex);
	return 1;
}

/* skb:vlan(): the VLAN id of an offloaded tag, or nil */
static int lskb_vlan(lua_State *L)
{
	struct sk_buff *skb = lskb_check(L, 1);

	if (!skb_vlan_tag_present(skb))
		return 0;
	lua_pushinteger(L, skb_vlan_tag_get_id(skb));
	return 1;
}

/* skb:protocol(): skb->protocol, the ethertype, in host order */
static int lskb_protocol(lua_State *L)
{
	lua_pushinteger(L, ntohs(lskb_check(L, 1)->protocol));
	return 1;
}

/* skb:mark([v]): skb->mark; sets it when given */
static int lskb_mark(lua_State *L)
{
	struct sk_buff *skb = lskb_check(L, 1);

	if (!lua_isnoneornil(L, 2)) {
		skb->mark = (u32)luaL_checkinteger(L, 2);
		return 0;
	}
	lua_pushinteger(L, skb->mark);
	return 1;
}

/* skb:connmark([v]): the connection's mark, or nil if not tracked */
static int lskb_connmark(lua_State *L)
{
	struct sk_buff *skb = lskb_check(L, 1);
#if IS_ENABLED(CONFIG_NF_CONNTRACK) && IS_ENABLED(CONFIG_NF_CONNTRACK_MARK)
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (!ct)
		return 0;
	if (!lua_isnoneornil(L, 2)) {
		WRITE_ONCE(ct->mark, (u32)luaL_checkinteger(L, 2));
		return 0;
	}
	lua_pushinteger(L, READ_ONCE(ct->mark));
	return 1;
#else
	(void)skb;
	return luaL_error(L, "skb: connmark needs CONFIG_NF_CONNTRACK_MARK");
#endif
}

/*
 * The bytes a view covers: from its header to the end of the linear
 * part, which skb:data() made all of the packet.  Raises if the view
 * outlived its hook call, or if the header is not inside the buffer.
 */
static u8 *view_base(lua_State *L, struct nfview *v, size_t *size,
		     bool write)
{
	struct sk_buff *skb = v->s->skb;
	u8 *base, *tail;

	if (!skb || v->gen != v->s->gen)
		luaL_error(L, "skb: data used after its hook returned");
	/* skb:forward() shares the bytes with a clone in flight */
	if (write && skb_cloned(skb) && skb_ensure_writable(skb, skb->len))
		luaL_error(L, "not enough memory");
	if (v->mac && !skb_mac_header_was_set(skb))
		luaL_error(L, "skb: no MAC header here");
	base = v->mac ? skb_mac_header(skb) : skb_network_header(skb);
	tail = skb_tail_pointer(skb);
	if (base < skb->head || base > tail)
		luaL_error(L, "skb: header outside the buffer");
	*size = tail - base;
	return base;
}

/* Where [off, off + len) is, or raises; made private first to @write it. */
static u8 *view_range(lua_State *L, int idx, lua_Integer off, size_t len,
		      bool write)
{
	struct nfview *v = luaL_checkudata(L, idx, VIEW_MT);
	size_t size;
	u8 *base = view_base(L, v, &size, write);

	if (off < 0 || (u64)off > size || len > size - off)
		luaL_error(L, "skb: offset %I, length %I out of range (%I)",
			   off, (lua_Integer)len, (lua_Integer)size);
	return base + off;
}

/* skb:data(["net"|"mac"]): a view of the packet from that header */
static int lskb_data(lua_State *L)
{
	static const char *const modes[] = { "net", "mac", NULL };
	struct sk_buff *skb = lskb_check(L, 1);
	bool mac = luaL_checkoption(L, 2, "net", modes) == 1;
	struct nfview *v;
	size_t size;

	/* all of the packet linear and ours to write */
	if (skb_ensure_writable(skb, skb->len))
		return luaL_error(L, "not enough memory");
	v = lua_newuserdatauv(L, sizeof(*v), 1);
	v->s = lua_touserdata(L, 1);
	v->gen = v->s->gen;
	v->mac = mac;
	luaL_setmetatable(L, VIEW_MT);
	lua_pushvalue(L, 1);
	lua_setiuservalue(L, -2, 1);
	view_base(L, v, &size, false);	/* a MAC view where there is none raises */
	return 1;
}

static int view_get(lua_State *L, enum lunatik_int t)
{
	lua_Integer off = luaL_checkinteger(L, 2);
	u8 *p = view_range(L, 1, off, lunatik_intwidth(t), false);

	lua_pushinteger(L, lunatik_loadint(p, t));
	return 1;
}

static int view_set(lua_State *L, enum lunatik_int t)
{
	lua_Integer off = luaL_checkinteger(L, 2);
	lua_Integer v = luaL_checkinteger(L, 3);
	u8 *p = view_range(L, 1, off, lunatik_intwidth(t), true);

	lunatik_storeint(p, t, v);
	return 0;
}

#define VIEW_ACCESSORS(name, type)					\
static int view_get##name(lua_State *L)					\
{									\
	return view_get(L, type);					\
}									\
static int view_set##name(lua_State *L)					\
{									\
	return view_set(L, type);					\
}

VIEW_ACCESSORS(byte, LUNATIK_UINT8)
VIEW_ACCESSORS(int8, LUNATIK_INT8)
VIEW_ACCESSORS(uint8, LUNATIK_UINT8)
VIEW_ACCESSORS(int16, LUNATIK_INT16)
VIEW_ACCESSORS(uint16, LUNATIK_UINT16)
VIEW_ACCESSORS(int32, LUNATIK_INT32)
VIEW_ACCESSORS(uint32, LUNATIK_UINT32)
VIEW_ACCESSORS(int64, LUNATIK_INT64)
VIEW_ACCESSORS(number, LUNATIK_INT64)

/* The length of [off, end) (@lenidx absent) or the one given. */
static lua_Integer view_optlen(lua_State *L, lua_Integer off, int lenidx)
{
	struct nfview *v = luaL_checkudata(L, 1, VIEW_MT);
	size_t size;

	if (!lua_isnoneornil(L, lenidx))
		return luaL_checkinteger(L, lenidx);
	view_base(L, v, &size, false);
	return off >= 0 && (u64)off <= size ? size - off : 0;
}

/* getstring(off[, len]) */
static int view_getstring(lua_State *L)
{
	lua_Integer off = luaL_checkinteger(L, 2);
	lua_Integer len = view_optlen(L, off, 3);

	luaL_argcheck(L, len >= 0, 3, "invalid length");
	lua_pushlstring(L, (const char *)view_range(L, 1, off, len, false),
			len);
	return 1;
}

/* setstring(off, s) */
static int view_setstring(lua_State *L)
{
	lua_Integer off = luaL_checkinteger(L, 2);
	size_t len;
	const char *s = luaL_checklstring(L, 3, &len);

	memcpy(view_range(L, 1, off, len, true), s, len);
	return 0;
}

/* checksum([off[, len]]): the Internet checksum, as data's */
static int view_checksum(lua_State *L)
{
	lua_Integer off = luaL_optinteger(L, 2, 0);
	lua_Integer len = view_optlen(L, off, 3);
	__sum16 sum;

	luaL_argcheck(L, len >= 0, 3, "invalid length");
	sum = ip_compute_csum(view_range(L, 1, off, len, false), len);
	lua_pushinteger(L, ntohs((__force __be16)sum));
	return 1;
}

static int view_len(lua_State *L)
{
	struct nfview *v = luaL_checkudata(L, 1, VIEW_MT);
	size_t size;

	view_base(L, v, &size, false);
	lua_pushinteger(L, size);
	return 1;
}

static const luaL_Reg view_methods[] = {
	{ "getbyte", view_getbyte },
	{ "setbyte", view_setbyte },
	{ "getint8", view_getint8 },
	{ "setint8", view_setint8 },
	{ "getuint8", view_getuint8 },
	{ "setuint8", view_setuint8 },
	{ "getint16", view_getint16 },
	{ "setint16", view_setint16 },
	{ "getuint16", view_getuint16 },
	{ "setuint16", view_setuint16 },
	{ "getint32", view_getint32 },
	{ "setint32", view_setint32 },
	{ "getuint32", view_getuint32 },
	{ "setuint32", view_setuint32 },
	{ "getint64", view_getint64 },
	{ "setint64", view_setint64 },
	{ "getnumber", view_getnumber },
	{ "setnumber", view_setnumber },
	{ "getstring", view_getstring },
	{ "setstring", view_setstring },
	{ "checksum", view_checksum },
	{ "length", view_len },
	{ NULL, NULL }
};

/*
 * skb:checksum(): recomputes the IPv4 header checksum and, for TCP and
 * UDP over IPv4 whose checksum the device will not fill in, the L4 one,
 * after a script rewrote the packet.
 */
static int lskb_checksum_fix(lua_State *L)
{
	struct sk_buff *skb = lskb_check(L, 1);
	unsigned int thoff, len;
	struct iphdr *iph;
	__sum16 *check;
	__wsum csum;

	if (skb->protocol != htons(ETH_P_IP))
		return luaL_error(L, "skb: checksum() handles IPv4 only");
	if (skb_ensure_writable(skb, skb->len))
		return luaL_error(L, "not enough memory");
	if (skb_network_offset(skb) < 0 ||
	    skb->len < skb_network_offset(skb) + sizeof(*iph))
		return luaL_error(L, "skb: truncated IPv4 header");
	iph = ip_hdr(skb);
	thoff = skb_network_offset(skb) + iph->ihl * 4;
	if (iph->ihl < 5 || thoff > skb->len ||
	    ntohs(iph->tot_len) > skb->len - skb_network_offset(skb) ||
	    ntohs(iph->tot_len) < iph->ihl * 4)
		return luaL_error(L, "skb: bogus IPv4 header");
	ip_send_check(iph);
	if (skb->ip_summed == CHECKSUM_PARTIAL || ip_is_fragment(iph))
		return 0;
	len = ntohs(iph->tot_len) - iph->ihl * 4;
	if (iph->protocol == IPPROTO_UDP && len >= sizeof(struct udphdr))
		check = &((struct udphdr *)(skb->data + thoff))->check;
	else if (iph->protocol == IPPROTO_TCP && len >= sizeof(struct tcphdr))
		check = &((struct tcphdr *)(skb->data + thoff))->check;
	else
		return 0;
	if (iph->protocol == IPPROTO_UDP && !*check)
		return 0;	/* no checksum: leave it so */
	*check = 0;
	csum = skb_checksum(skb, thoff, len, 0);
	*check = csum_tcpudp_magic(iph->saddr, iph->daddr, len,
				   iph->protocol, csum);
	if (iph->protocol == IPPROTO_UDP && !*check)
		*check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

/*
 * skb:resize(n): makes the packet n bytes long, from skb->data (where #skb
 * counts from): grows its tail with zeros, reallocating the buffer if it
 * has too little room, or trims it.  Views stay valid (they find the
 * packet's bytes anew on every access) and see the new end.
 */
static int lskb_resize(lua_State *L)
{
	struct sk_buff *skb = lskb_check(L, 1);
	lua_Integer n = luaL_checkinteger(L, 2);
	unsigned int need;
	int start;

	luaL_argcheck(L, n >= 0 && (n <= NFSKB_MAXLEN || n <= skb->len), 2,
		      "size out of range");
	if (skb_is_gso(skb))
		return luaL_error(L, "skb: cannot resize a GSO packet");
	if (skb_ensure_writable(skb, skb->len))
		return luaL_error(L, "not enough memory");
	if (n > skb->len) {
		need = n - skb->len;
		if (skb_tailroom(skb) < need &&
		    pskb_expand_head(skb, 0, need - skb_tailroom(skb),
				     GFP_ATOMIC))
			return luaL_error(L, "not enough memory");
		skb_put_zero(skb, need);
		return 0;
	}
	if (n == skb->len)
		return 0;
	if (pskb_trim(skb, n))	/* linear: cannot fail */
		return luaL_error(L, "not enough memory");
	/* a sum over bytes that are gone, or a field to fill that is gone */
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		start = skb_checksum_start_offset(skb);
		if (start < 0 ||
		    start + skb->csum_offset + sizeof(__sum16) > skb->len)
			skb->ip_summed = CHECKSUM_NONE;
	}
	return 0;
}

/* registry[&nfcopies_key] += @d; the new count */
static lua_Integer nfcopies_add(lua_State *L, lua_Integer d)
{
	lua_Integer n;

	lua_rawgetp(L, LUA_REGISTRYINDEX, &nfcopies_key);
	n = lua_tointeger(L, -1) + d;
	lua_pop(L, 1);
	lua_pushinteger(L, n);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &nfcopies_key);
	return n;
}

/*
 * A packet that leaves the hook (a copy kept, a clone queued) keeps
 * nothing of it that is only valid there: no route (maybe borrowed
 * under RCU), no conntrack entry (whose namespace's exit would wait for
 * it), no extensions (the bridge's holds a device pointer).
 */
static void nfskb_detach(struct sk_buff *skb)
{
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	skb_ext_reset(skb);
	skb_clear_tstamp(skb);
}

/*
 * skb:copy(): a new skb handle with a private copy of the packet, that
 * lives until it is collected (at most NFSKB_MAXCOPIES at once per
 * state).  Detached: no device (ifindex() and forward() use the
 * original's), no conntrack entry (connmark() is nil), no route.
 */
static int lskb_copy(lua_State *L)
{
	struct sk_buff *skb = lskb_check(L, 1), *nskb;
	struct nfskb *s = lua_touserdata(L, 1), *c;

	if (skb_shinfo(skb)->gso_type & SKB_GSO_FRAGLIST)
		return luaL_error(L, "skb: cannot copy a fraglist GSO packet");
	if (nfcopies_add(L, 0) >= NFSKB_MAXCOPIES)
		return luaL_error(L, "skb: too many copies (%d) alive",
				  NFSKB_MAXCOPIES);
	c = lua_newuserdatauv(L, sizeof(*c), 0);
	memset(c, 0, sizeof(*c));
	luaL_setmetatable(L, SKB_MT);
	nskb = skb_copy(skb, GFP_ATOMIC);
	if (!nskb)
		return luaL_error(L, "not enough memory");
	c->ifindex = lskb_ifindex_of(s);
	c->devindex = skb->dev ? skb->dev->ifindex : 0;
	c->net = get_net(s->copy ? s->net : s->state->net);
	nfskb_detach(nskb);
	nskb->dev = NULL;
	c->skb = nskb;
	c->copy = true;
	nfcopies_add(L, 1);
	return 1;
}

/* skb __gc: a copy frees its packet */
static int lskb_gc(lua_State *L)
{
	struct nfskb *s = luaL_checkudata(L, 1, SKB_MT);

	if (!s->copy)
		return 0;
	if (s->skb) {
		consume_skb(s->skb);
		s->skb = NULL;
		nfcopies_add(L, -1);
	}
	if (s->net) {
		put_net(s->net);
		s->net = NULL;
	}
	return 0;
}

/*
 * The device skb:forward() sends out by, under rcu_read_lock(): @idx's
 * ifindex or name in the packet's namespace, else the packet's device
 * (a copy's original's).  NULL if there is none.
 */
static struct net_device *lskb_fwddev(struct nfskb *s, const char *name,
				      int ifindex)
{
	struct net *net = s->copy ? s->net : s->state->net;

	if (name)
		return dev_get_by_name_rcu(net, name);
	if (ifindex)
		return dev_get_by_index_rcu(net, ifindex);
	if (s->copy)
		return s->devindex ? dev_get_by_index_rcu(net, s->devindex) :
				     NULL;
	return s->skb->dev;
}

/*
 * skb:forward([dev]): transmits a clone of the packet, from its MAC
 * header, out of its device or of dev (an ifindex or a name in its
 * namespace).  The packet itself still takes the hook's verdict.  The
 * clone is queued and transmitted from a tasklet: here the runtime's
 * lock is held, and a transmit may run hooks (egress, bridge) at once.
 */
static int lskb_forward(lua_State *L)
{
	struct sk_buff *skb = lskb_check(L, 1), *nskb;
	struct nfskb *s = lua_touserdata(L, 1);
	const char *name = NULL;
	struct net_device *dev;
	lua_Integer ifindex = 0;
	int maclen;

	if (lua_type(L, 2) == LUA_TSTRING) {
		name = lua_tostring(L, 2);
	} else if (!lua_isnoneornil(L, 2)) {
		ifindex = luaL_checkinteger(L, 2);
		luaL_argcheck(L, ifindex > 0 && ifindex <= INT_MAX, 2,
			      "invalid ifindex");
	}
	if (!skb_mac_header_was_set(skb))
		return luaL_error(L, "skb: no MAC header here");
	maclen = skb->data - skb_mac_header(skb);
	if (maclen < 0 || skb_mac_header(skb) < skb->head)
		return luaL_error(L, "skb: MAC header past the data");
	if (skb_queue_len(&nfxmit_queue) >= NFXMIT_MAX)
		return luaL_error(L, "skb: forward queue full");
	rcu_read_lock();
	dev = lskb_fwddev(s, name, ifindex);
	if (!dev) {
		rcu_read_unlock();
		return luaL_error(L, "skb: no such device to forward to");
	}
	nskb = skb_clone(skb, GFP_ATOMIC);
	if (!nskb) {
		rcu_read_unlock();
		return luaL_error(L, "not enough memory");
	}
	dev_hold(dev);
	rcu_read_unlock();
	nfskb_detach(nskb);
	nskb->dev = dev;
	skb_push(nskb, maclen);
	skb_queue_tail(&nfxmit_queue, nskb);
	tasklet_schedule(&nfxmit_tasklet);
	return 0;
}

/* Transmits what skb:forward() queued so far; what comes meanwhile waits */
static void nfxmit_run(struct tasklet_struct *t)
{
	struct sk_buff_head q;
	struct net_device *dev;
	struct sk_buff *skb;
	unsigned long flags;

	__skb_queue_head_init(&q);
	spin_lock_irqsave(&nfxmit_queue.lock, flags);
	skb_queue_splice_init(&nfxmit_queue, &q);
	spin_unlock_irqrestore(&nfxmit_queue.lock, flags);
	while ((skb = __skb_dequeue(&q))) {
		dev = skb->dev;
		dev_queue_xmit(skb);
		dev_put(dev);
	}
}

static const luaL_Reg lskb_methods[] = {
	{ "ifindex", lskb_ifindex },
	{ "vlan", lskb_vlan },
	{ "protocol", lskb_protocol },
	{ "mark", lskb_mark },
	{ "connmark", lskb_connmark },
	{ "data", lskb_data },
	{ "checksum", lskb_checksum_fix },
	{ "resize", lskb_resize },
	{ "copy", lskb_copy },
	{ "forward", lskb_forward },
	{ NULL, NULL }
};

static void newmetatable(lua_State *L, const char *name,
			 const luaL_Reg *methods, lua_CFunction len,
			 lua_CFunction gc)
{
	luaL_newmetatable(L, name);
	lua_newtable(L);
	luaL_setfuncs(L, methods, 0);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, len);
	lua_setfield(L, -2, "__len");
	if (gc) {
		lua_pushcfunction(L, gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_pop(L, 1);
}

/* --- the hook --------------------------------------------------------- */

struct nfcall {
	struct nfhook *h;	/* the hook the event ran in (a twin's) */
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	struct nfskb *s;	/* the handle lent to Lua, if it was */
	unsigned int verdict;	/* a queue verdict may not fit an int */
	bool invalid;
};

static bool verdict_valid(lua_Integer v)
{
	if (v < 0 || v > U32_MAX)
		return false;
	if ((v & NF_VERDICT_MASK) == NF_QUEUE)
		return !(v & ~(NF_VERDICT_QMASK | NF_VERDICT_FLAG_QUEUE_BYPASS |
			       NF_VERDICT_MASK));
	return v == NF_ACCEPT || v == NF_DROP;
}

/* The hook's results, verdict and mark, are at -2 and -1. */
static int nfhook_results(lua_State *L, struct nfcall *c)
{
	lua_Integer verdict, mark = 0;
	int isint, markint = 1;

	verdict = lua_tointegerx(L, -2, &isint);
	if (!lua_isnil(L, -1))
		mark = lua_tointegerx(L, -1, &markint);
	if (!isint || !verdict_valid(verdict)) {
		c->invalid = true;
		return luaL_error(L, "netfilter: invalid verdict (%s)",
				  luaL_tolstring(L, -2, NULL));
	}
	if (!markint || mark < 0 || mark > U32_MAX) {
		c->invalid = true;
		return luaL_error(L, "netfilter: invalid mark (%s)",
				  luaL_tolstring(L, -1, NULL));
	}
	if (!lua_isnil(L, -1))
		c->skb->mark = mark;
	c->verdict = verdict;
	return 0;
}

/*
 * In the runtime, under its lock: hook(skb).  The skb handle points at
 * the packet only during the call: nfhook_done() takes it back, however
 * the call ended, before the lock is dropped (lunatik_callfin()).
 */
static int nfhook_docall(lua_State *L, struct lunatik_hook *hook, void *arg)
{
	struct nfcall *c = arg;
	struct nfskb *s;

	c->h = container_of(hook, struct nfhook, hook);
	lua_rawgeti(L, -2, NFREG_SKB);
	s = lua_touserdata(L, -1);
	s->skb = c->skb;
	s->state = c->state;
	c->s = s;
	lua_call(L, 1, 2);
	return nfhook_results(L, c);
}

static void nfhook_done(void *arg)
{
	struct nfcall *c = arg;

	if (!c->s)
		return;
	c->s->skb = NULL;
	c->s->state = NULL;
	c->s->gen++;
}

static unsigned int nfhook_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct nfhook *h = priv;
	struct nfcall c = { .skb = skb, .state = state };
	int ret;

	if (h->has_mark && skb->mark != h->mark)
		return NF_ACCEPT;
	ret = lunatik_hook_call(&h->hook, nfhook_docall, nfhook_done, &c, 0);
	if (ret >= 0) {
		if (c.verdict == NF_ACCEPT)
			atomic64_inc(&c.h->stats.accepted);
		else if (c.verdict == NF_DROP)
			atomic64_inc(&c.h->stats.dropped);
		else
			atomic64_inc(&c.h->stats.queued);
		return c.verdict;
	}
	if (ret == -ESHUTDOWN)
		return NF_ACCEPT;
	if (c.invalid)
		atomic64_inc(&c.h->stats.invalid);
	return h->policy;
}

/* --- the hook object ---------------------------------------------------- */

static bool nfhook_ondev(const struct nf_hook_ops *ops)
{
	return ops->pf == NFPROTO_NETDEV ||
	       (ops->pf == NFPROTO_INET && ops->hooknum == NF_INET_INGRESS);
}

/*
 * A device hook is registered under RTNL, so that its device, looked up
 * without a reference, cannot go meanwhile; its NETDEV_UNREGISTER event
 * (nfdev_event()) then unregisters the hook first.
 */
static int nfhook_register_ops(struct lunatik_object *obj)
{
	struct nfhook *h = obj->private;
	struct net_device *dev;
	int ret;

	if (!nfhook_ondev(&h->ops)) {
		ret = nf_register_net_hook(h->net, &h->ops);
		h->registered = !ret;
		return ret;
	}
	rtnl_lock();
	dev = h->dev.name[0] ? __dev_get_by_name(h->net, h->dev.name) :
			       __dev_get_by_index(h->net, h->dev.ifindex);
	if (!dev) {
		ret = -ENODEV;
		goto out_unlock;
	}
	h->ops.dev = dev;
	ret = nf_register_net_hook(h->net, &h->ops);
	if (ret) {
		h->ops.dev = NULL;
		goto out_unlock;
	}
	list_add(&h->dev_entry, &nfdev_hooks);
	h->registered = true;
out_unlock:
	rtnl_unlock();
	return ret;
}

/* Under RTNL for a device hook. */
static void nfhook_unregister_locked(struct nfhook *h)
{
	if (!h->registered)
		return;
	nf_unregister_net_hook(h->net, &h->ops);
	h->registered = false;
	if (nfhook_ondev(&h->ops))
		list_del(&h->dev_entry);
}

/*
 * Process context, no lock held.  nf_unregister_net_hook() only swaps the
 * hook out of the table: a CPU already inside nfhook_hook() goes on using
 * the object.  synchronize_net() waits for it, also when a device's
 * notifier unregistered the hook earlier, so the object may go after.
 */
static void nfhook_unregister(struct lunatik_object *obj)
{
	struct nfhook *h = obj->private;

	if (!nfhook_ondev(&h->ops)) {
		nfhook_unregister_locked(h);
	} else {
		rtnl_lock();
		nfhook_unregister_locked(h);
		rtnl_unlock();
	}
	synchronize_net();
}

/* A device goes away (or to another namespace): so do its hooks. */
static int nfdev_event(struct notifier_block *nb, unsigned long event,
		       void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct nfhook *h, *tmp;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	list_for_each_entry_safe(h, tmp, &nfdev_hooks, dev_entry)
		if (h->ops.dev == dev)
			nfhook_unregister_locked(h);
	return NOTIFY_DONE;
}

static struct notifier_block nfdev_notifier = {
	.notifier_call = nfdev_event,
};

static void nfhook_release(struct lunatik_object *obj)
{
	struct nfhook *h = obj->private;

	WARN_ON(h->registered);
	if (h->net)
		put_net(h->net);
}

/*
 * h:stats() -> {accepted, dropped, queued, errors, invalid, skipped,
 * registered}; also once the hook is stopped (its last counts)
 */
static int nfhook_stats(lua_State *L)
{
	struct lunatik_object *obj = lunatik_checkclass(L, 1, &nfhook_class);
	struct nfhook *h = obj->private;
	s64 invalid = atomic64_read(&h->stats.invalid);
	const struct {
		const char *name;
		s64 v;
	} f[] = {
		{ "accepted", atomic64_read(&h->stats.accepted) },
		{ "dropped", atomic64_read(&h->stats.dropped) },
		{ "queued", atomic64_read(&h->stats.queued) },
		/* the core counts invalid verdicts (raised) in errors */
		{ "errors", max_t(s64, 0, atomic64_read(&h->hook.stats.errors) -
				       invalid) },
		{ "invalid", invalid },
		{ "skipped", atomic64_read(&h->hook.stats.skipped) },
	};
	int i;

	lua_createtable(L, 0, ARRAY_SIZE(f));
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		lua_pushinteger(L, f[i].v);
		lua_setfield(L, -2, f[i].name);
	}
	/* a device hook's may change under RTNL: a snapshot */
	lua_pushboolean(L, READ_ONCE(h->registered));
	lua_setfield(L, -2, "registered");
	return 1;
}

static const luaL_Reg nfhook_methods[] = {
	{ "stats", nfhook_stats },
	{ NULL, NULL }
};

static const struct lunatik_class nfhook_class = {
	.name = "netfilter",
	.owner = THIS_MODULE,
	.methods = nfhook_methods,
	.release = nfhook_release,
	.hook_register = nfhook_register_ops,
	.unregister = nfhook_unregister,
	.contexts = LUNATIK_CTX_BIT(LUNATIK_SOFTIRQ),
	.sleep = false,
};

/* --- netfilter.register{} ------------------------------------------------ */

/*
 * Integer field @k of the table at 1, in [min, max]; @def if absent, or
 * raises if @required.
 */
static lua_Integer field(lua_State *L, const char *k, bool required,
			 lua_Integer def, lua_Integer min, lua_Integer max)
{
	lua_Integer v;
	int isint;

	if (lua_getfield(L, 1, k) == LUA_TNIL && !required) {
		lua_pop(L, 1);
		return def;
	}
	v = lua_tointegerx(L, -1, &isint);
	if (!isint || v < min || v > max)
		luaL_error(L, "netfilter: %s must be an integer in %I..%I", k,
			   min, max);
	lua_pop(L, 1);
	return v;
}

static bool hasfield(lua_State *L, const char *k)
{
	bool has = lua_getfield(L, 1, k) != LUA_TNIL;

	lua_pop(L, 1);
	return has;
}

/* The hook points nf_register_net_hook() takes for @pf, or 0. */
static int hooks_of(int pf)
{
	switch (pf) {
	case NFPROTO_INET:
		return NF_INET_INGRESS + 1;
	case NFPROTO_IPV4:
	case NFPROTO_IPV6:
		return NF_INET_NUMHOOKS;
	case NFPROTO_NETDEV:
		return NF_NETDEV_NUMHOOKS;
#ifdef CONFIG_NETFILTER_FAMILY_ARP
	case NFPROTO_ARP:
		return NF_ARP_NUMHOOKS;
#endif
#ifdef CONFIG_NETFILTER_FAMILY_BRIDGE
	case NFPROTO_BRIDGE:
		return NF_INET_NUMHOOKS;
#endif
	}
	return 0;
}

/* ops from the table at 1: pf, hooknum, priority */
static void checkops(lua_State *L, struct nf_hook_ops *ops)
{
	int n;

	ops->pf = field(L, "pf", true, 0, 0, NFPROTO_NUMPROTO - 1);
	n = hooks_of(ops->pf);
	if (!n)
		luaL_error(L, "netfilter: pf must be a family this kernel supports");
	ops->hooknum = field(L, "hooknum", true, 0, 0, n - 1);
	ops->priority = field(L, "priority", false, 0, INT_MIN, INT_MAX);
}

/* dev: an ifindex or a name; hooks on a device need one, others none */
static void checkdev(lua_State *L, const struct nf_hook_ops *ops,
		     struct nfdev *dev)
{
	const char *name;
	size_t len;

	if (!hasfield(L, "dev")) {
		if (nfhook_ondev(ops))
			luaL_error(L, "netfilter: this hook needs a dev");
		return;
	}
	if (!nfhook_ondev(ops))
		luaL_error(L, "netfilter: dev: only for netdev and inet ingress hooks");
	lua_getfield(L, 1, "dev");
	if (lua_type(L, -1) == LUA_TSTRING) {
		name = lua_tolstring(L, -1, &len);
		if (!len || len >= IFNAMSIZ)
			luaL_error(L, "netfilter: dev: invalid name");
		strscpy(dev->name, name, sizeof(dev->name));
	} else {
		dev->ifindex = field(L, "dev", true, 0, 1, INT_MAX);
	}
	lua_pop(L, 1);
}

/* netns: a pid whose namespace to use; default: the caller's */
static struct net *checknet(lua_State *L)
{
	pid_t pid = 0;
	struct net *net;

	if (hasfield(L, "netns"))
		pid = field(L, "netns", true, 0, 1, PID_MAX_LIMIT);
	net = lunatik_getnet(pid);
	if (IS_ERR(net))
		luaL_error(L, pid ? "netfilter: netns: no such process" :
			   "netfilter: the caller has no network namespace");
	return net;
}

static int nfhook_register(lua_State *L)
{
	struct lunatik_object *obj;
	struct nf_hook_ops ops = { };
	struct nfdev dev = { };
	struct nfhook *h;
	lua_Integer policy;
	struct nfskb *s;
	int ret;

	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	if (!lunatik_toruntime(L))
		return luaL_error(L, "netfilter: needs a runtime (lunatik run SCRIPT softirq)");
	if (lunatik_context(L) != LUNATIK_SOFTIRQ)
		return luaL_error(L, "netfilter: hooks run in softirq context, not in a %s runtime (lunatik run SCRIPT softirq)",
				  lunatik_ctx_name(lunatik_context(L)));
	lunatik_checktoplevel(L, "netfilter: register hooks");
	if (lua_getfield(L, 1, "hook") != LUA_TFUNCTION)
		return luaL_error(L, "netfilter: hook must be a function");
	lua_pop(L, 1);
	checkops(L, &ops);
	checkdev(L, &ops, &dev);
	policy = field(L, "policy", false, NF_ACCEPT, NF_DROP, NF_ACCEPT);

	obj = lunatik_newobject(L, &nfhook_class, sizeof(*h));
	h = obj->private;
	h->ops = ops;
	h->ops.hook = nfhook_hook;
	h->ops.priv = h;
	h->dev = dev;
	h->policy = policy;
	if (hasfield(L, "mark")) {
		h->mark = field(L, "mark", true, 0, 0, U32_MAX);
		h->has_mark = true;
	}
	h->net = checknet(L);
	lua_getfield(L, 1, "hook");
	lua_insert(L, -2);		/* the userdata stays on the top */
	lunatik_hook_init(L, obj, &h->hook, -2, LUNATIK_HOOK_PERCPU);
	lua_remove(L, -2);
	s = lua_newuserdatauv(L, sizeof(*s), 0);
	memset(s, 0, sizeof(*s));
	luaL_setmetatable(L, SKB_MT);
	lunatik_hook_setslot(L, &h->hook, NFREG_SKB);
	ret = lunatik_hook_register(&h->hook);
	if (ret) {
		lunatik_stopobject(obj);
		if (ret == -ENODEV)
			return luaL_error(L, "netfilter: dev: no such device");
		return luaL_error(L, "netfilter: cannot register the hook (%d)",
				  ret);
	}
	return 1;
}

/* --- constants ------------------------------------------------------ */

struct nfconst {
	const char *name;
	lua_Integer value;
};

static const struct nfconst nf_family[] = {
	{ "UNSPEC", NFPROTO_UNSPEC }, { "INET", NFPROTO_INET },
	{ "IPV4", NFPROTO_IPV4 }, { "ARP", NFPROTO_ARP },
	{ "NETDEV", NFPROTO_NETDEV }, { "BRIDGE", NFPROTO_BRIDGE },
	{ "IPV6", NFPROTO_IPV6 }, { NULL, 0 }
};

/* the verdicts a hook may return */
static const struct nfconst nf_action[] = {
	{ "DROP", NF_DROP }, { "ACCEPT", NF_ACCEPT }, { "QUEUE", NF_QUEUE },
	{ NULL, 0 }
};

static const struct nfconst nf_inet_hooks[] = {
	{ "PRE_ROUTING", NF_INET_PRE_ROUTING },
	{ "LOCAL_IN", NF_INET_LOCAL_IN },
	{ "FORWARD", NF_INET_FORWARD },
	{ "LOCAL_OUT", NF_INET_LOCAL_OUT },
	{ "POST_ROUTING", NF_INET_POST_ROUTING },
	{ "INGRESS", NF_INET_INGRESS },
	{ NULL, 0 }
};

static const struct nfconst nf_arp_hooks[] = {
	{ "IN", NF_ARP_IN }, { "OUT", NF_ARP_OUT },
	{ "FORWARD", NF_ARP_FORWARD }, { NULL, 0 }
};

static const struct nfconst nf_bridge_hooks[] = {
	{ "PRE_ROUTING", NF_BR_PRE_ROUTING },
	{ "LOCAL_IN", NF_BR_LOCAL_IN },
	{ "FORWARD", NF_BR_FORWARD },
	{ "LOCAL_OUT", NF_BR_LOCAL_OUT },
	{ "POST_ROUTING", NF_BR_POST_ROUTING },
	{ NULL, 0 }
};

static const struct nfconst nf_netdev_hooks[] = {
	{ "INGRESS", NF_NETDEV_INGRESS }, { "EGRESS", NF_NETDEV_EGRESS },
	{ NULL, 0 }
};

static const struct nfconst nf_ip_priority[] = {
	{ "FIRST", NF_IP_PRI_FIRST },
	{ "RAW_BEFORE_DEFRAG", NF_IP_PRI_RAW_BEFORE_DEFRAG },
	{ "CONNTRACK_DEFRAG", NF_IP_PRI_CONNTRACK_DEFRAG },
	{ "RAW", NF_IP_PRI_RAW },
	{ "SELINUX_FIRST", NF_IP_PRI_SELINUX_FIRST },
	{ "CONNTRACK", NF_IP_PRI_CONNTRACK },
	{ "MANGLE", NF_IP_PRI_MANGLE },
	{ "NAT_DST", NF_IP_PRI_NAT_DST },
	{ "FILTER", NF_IP_PRI_FILTER },
	{ "SECURITY", NF_IP_PRI_SECURITY },
	{ "NAT_SRC", NF_IP_PRI_NAT_SRC },
	{ "SELINUX_LAST", NF_IP_PRI_SELINUX_LAST },
	{ "CONNTRACK_HELPER", NF_IP_PRI_CONNTRACK_HELPER },
	{ "LAST", NF_IP_PRI_LAST },
	{ NULL, 0 }
};

static const struct nfconst nf_bridge_priority[] = {
	{ "FIRST", NF_BR_PRI_FIRST },
	{ "NAT_DST_BRIDGED", NF_BR_PRI_NAT_DST_BRIDGED },
	{ "FILTER_BRIDGED", NF_BR_PRI_FILTER_BRIDGED },
	{ "BRNF", NF_BR_PRI_BRNF },
	{ "NAT_DST_OTHER", NF_BR_PRI_NAT_DST_OTHER },
	{ "FILTER_OTHER", NF_BR_PRI_FILTER_OTHER },
	{ "NAT_SRC", NF_BR_PRI_NAT_SRC },
	{ "LAST", NF_BR_PRI_LAST },
	{ NULL, 0 }
};

static void newconsts(lua_State *L, const char *field,
		      const struct nfconst *c)
{
	lua_newtable(L);
	for (; c->name; c++) {
		lua_pushinteger(L, c->value);
		lua_setfield(L, -2, c->name);
	}
	lua_setfield(L, -2, field);
}

static const luaL_Reg nf_funcs[] = {
	{ "register", nfhook_register },
	{ NULL, NULL }
};

static int luaopen_netfilter(lua_State *L)
{
	lunatik_newclass(L, &nfhook_class);
	newmetatable(L, SKB_MT, lskb_methods, lskb_len, lskb_gc);
	newmetatable(L, VIEW_MT, view_methods, view_len, NULL);
	luaL_newlib(L, nf_funcs);
	newconsts(L, "family", nf_family);
	newconsts(L, "action", nf_action);
	newconsts(L, "inet_hooks", nf_inet_hooks);
	newconsts(L, "arp_hooks", nf_arp_hooks);
	newconsts(L, "bridge_hooks", nf_bridge_hooks);
	newconsts(L, "netdev_hooks", nf_netdev_hooks);
	newconsts(L, "ip_priority", nf_ip_priority);
	newconsts(L, "bridge_priority", nf_bridge_priority);
	return 1;
}

static int nf_setup(void)
{
	skb_queue_head_init(&nfxmit_queue);
	return register_netdevice_notifier(&nfdev_notifier);
}

/* What skb:forward() queued and the tasklet did not send: dropped. */
static void nfxmit_purge(void)
{
	struct sk_buff *skb;

	tasklet_kill(&nfxmit_tasklet);
	while ((skb = skb_dequeue(&nfxmit_queue))) {
		dev_put(skb->dev);
		kfree_skb(skb);
	}
}

static void nf_teardown(void)
{
	unregister_netdevice_notifier(&nfdev_notifier);
	nfxmit_purge();
}

LUNATIK_LIB_SETUP(netfilter, luaopen_netfilter, nf_setup, nf_teardown);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lunatik: the netfilter and skb library");
