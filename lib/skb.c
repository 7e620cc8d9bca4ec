// SPDX-License-Identifier: GPL-2.0
/*
 * skb: the packet handles netfilter hooks are given (lib/netfilter.c
 * lends them; both are luanetfilter.ko).
 *
 * The handle is a plain userdata, one per hook, valid only while the hook
 * runs (its pointer is cleared under the runtime's lock when the Lua
 * function returns, error or not); skb:data() returns a byte view (the
 * core's accessors, core/view.c) that is checked on every access: against
 * the packet's current linear bytes, and against the hook call that made
 * it, so a view kept past its hook raises an error instead of touching a
 * freed buffer.  skb:resize() moves the end views see; skb:copy() gives a
 * handle that owns a private, detached copy until the GC frees it;
 * skb:forward() queues a clone that a tasklet transmits once the
 * runtime's lock is dropped (a transmit may run hooks of the same runtime
 * at once: egress, bridge, tunnels).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/if_vlan.h>
#include <net/net_namespace.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ip6_checksum.h>
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
#include <net/netfilter/nf_conntrack.h>
#endif

#include "lunatik.h"
#include "skb.h"

#define SKB_MT		"skb"
#define VIEW_MT		"skb.data"

/* skb:data()'s userdata; its user value keeps the nfskb alive */
struct nfview {
	struct lskb *s;
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


static struct sk_buff *lskb_check(lua_State *L, int idx)
{
	struct lskb *s = luaL_checkudata(L, idx, SKB_MT);

	if (!s->skb)
		luaL_error(L, "skb: used outside its hook");
	return s->skb;
}

/* The device skb:ifindex() names, or 0. */
static int lskb_ifindex_of(const struct lskb *s)
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
static u8 *view_acquire(lua_State *L, int idx, size_t *size, bool write,
			void **ctx)
{
	struct nfview *v = luaL_checkudata(L, idx, VIEW_MT);
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

static const struct lunatik_view skb_view = {
	.name = "skb",
	.tname = VIEW_MT,
	.acquire = view_acquire,
};

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
	/* a MAC view where there is none raises */
	view_acquire(L, -1, &size, false, NULL);
	return 1;
}

/*
 * The TCP or UDP checksum of the @len bytes at @thoff, over the IPv4 or
 * IPv6 pseudo header.  A packet whose checksum the device was to finish
 * (CHECKSUM_PARTIAL) gets it whole here, unless it is GSO (each segment is
 * summed when it is cut).
 */
static void lskb_l4sum(struct sk_buff *skb, unsigned int thoff,
		       unsigned int len, u8 proto)
{
	bool v4 = skb->protocol == htons(ETH_P_IP);
	__sum16 *check;
	__wsum csum;

	if (skb_is_gso(skb))
		return;
	if (proto == IPPROTO_UDP && len >= sizeof(struct udphdr))
		check = &((struct udphdr *)(skb->data + thoff))->check;
	else if (proto == IPPROTO_TCP && len >= sizeof(struct tcphdr))
		check = &((struct tcphdr *)(skb->data + thoff))->check;
	else
		return;
	/* no UDP checksum over IPv4: leave it so */
	if (proto == IPPROTO_UDP && !*check && v4 &&
	    skb->ip_summed != CHECKSUM_PARTIAL)
		return;
	*check = 0;
	csum = skb_checksum(skb, thoff, len, 0);
	*check = v4 ? csum_tcpudp_magic(ip_hdr(skb)->saddr, ip_hdr(skb)->daddr,
					len, proto, csum) :
		      csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
				      &ipv6_hdr(skb)->daddr, len, proto, csum);
	if (proto == IPPROTO_UDP && !*check)
		*check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
}

static int lskb_checksum4(lua_State *L, struct sk_buff *skb)
{
	unsigned int thoff;
	struct iphdr *iph;

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
	if (!ip_is_fragment(iph))
		lskb_l4sum(skb, thoff, ntohs(iph->tot_len) - iph->ihl * 4,
			   iph->protocol);
	return 0;
}

static int lskb_checksum6(lua_State *L, struct sk_buff *skb)
{
	unsigned int nhoff = skb_network_offset(skb);
	struct ipv6hdr *ip6h;
	__be16 frag_off;
	u8 proto;
	int thoff;

	if (skb_network_offset(skb) < 0 ||
	    skb->len < nhoff + sizeof(*ip6h))
		return luaL_error(L, "skb: truncated IPv6 header");
	ip6h = ipv6_hdr(skb);
	proto = ip6h->nexthdr;
	if (ntohs(ip6h->payload_len) > skb->len - nhoff - sizeof(*ip6h))
		return luaL_error(L, "skb: bogus IPv6 header");
	thoff = ipv6_skip_exthdr(skb, nhoff + sizeof(*ip6h), &proto,
				 &frag_off);
	if (thoff < 0 || frag_off ||
	    thoff > nhoff + sizeof(*ip6h) + ntohs(ip6h->payload_len))
		return 0;	/* no upper header, or a fragment */
	lskb_l4sum(skb, thoff, nhoff + sizeof(*ip6h) +
		   ntohs(ip6h->payload_len) - thoff, proto);
	return 0;
}

/*
 * skb:checksum(): after a script rewrote the packet, recomputes the IPv4
 * header checksum and the TCP or UDP one, over IPv4 or IPv6 (as upstream);
 * other protocols have none to fix.
 */
static int lskb_checksum_fix(lua_State *L)
{
	struct sk_buff *skb = lskb_check(L, 1);

	if (skb->protocol != htons(ETH_P_IP) &&
	    skb->protocol != htons(ETH_P_IPV6))
		return luaL_error(L, "skb: checksum() handles IPv4 and IPv6 only");
	if (skb_ensure_writable(skb, skb->len))
		return luaL_error(L, "not enough memory");
	if (skb->protocol == htons(ETH_P_IP))
		return lskb_checksum4(L, skb);
	return lskb_checksum6(L, skb);
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
	struct lskb *s = lua_touserdata(L, 1), *c;

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
	struct lskb *s = luaL_checkudata(L, 1, SKB_MT);

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
static struct net_device *lskb_fwddev(struct lskb *s, const char *name,
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
	struct lskb *s = lua_touserdata(L, 1);
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

static const luaL_Reg lskb_metamethods[] = {
	{ "__len", lskb_len },
	{ "__gc", lskb_gc },
	{ NULL, NULL }
};

void lskb_open(lua_State *L)
{
	lunatik_newmetatable(L, SKB_MT, lskb_methods, lskb_metamethods, NULL);
	lunatik_newmetatable(L, VIEW_MT, NULL, NULL, &skb_view);
}

/* A handle for a hook to lend packets through: on the top of the stack. */
struct lskb *lskb_new(lua_State *L)
{
	struct lskb *s = lua_newuserdatauv(L, sizeof(*s), 0);

	memset(s, 0, sizeof(*s));
	luaL_setmetatable(L, SKB_MT);
	return s;
}

int lskb_setup(void)
{
	skb_queue_head_init(&nfxmit_queue);
	return 0;
}

/* What skb:forward() queued and the tasklet did not send: dropped. */
void lskb_teardown(void)
{
	struct sk_buff *skb;

	tasklet_kill(&nfxmit_tasklet);
	while ((skb = skb_dequeue(&nfxmit_queue))) {
		dev_put(skb->dev);
		kfree_skb(skb);
	}
}

