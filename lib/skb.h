/* SPDX-License-Identifier: GPL-2.0 */
/*
 * skb.h - the packet handles (lib/skb.c), for the netfilter hooks
 * (lib/netfilter.c) that lend them packets; one module, luanetfilter.ko.
 */
#ifndef LUNATIK_SKB_H
#define LUNATIK_SKB_H

#include <linux/skbuff.h>
#include <linux/netfilter.h>

#include "lunatik.h"

/*
 * The skb userdata: one per hook, pointing at a packet only in the hook
 * (lskb_lend() to lskb_return()); or a copy (skb:copy()), which owns its
 * packet until it is collected.
 */
struct lskb {
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	u64 gen;		/* hook calls that returned */
	bool copy;		/* owns skb; the fields below are set */
	struct net *net;	/* a reference: where ifindexes are looked up */
	int ifindex;		/* what skb:ifindex() said of the original */
	int devindex;		/* the original's skb->dev, forward()'s default */
};

/* The metatables of handles and their data views, in a state. */
void lskb_open(lua_State *L);

/* A new handle, lending nothing yet, pushed. */
struct lskb *lskb_new(lua_State *L);

/* Under the runtime's lock, for one hook call. */
static inline void lskb_lend(struct lskb *s, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	s->skb = skb;
	s->state = state;
}

/* However the call ended: views made in it go stale. */
static inline void lskb_return(struct lskb *s)
{
	s->skb = NULL;
	s->state = NULL;
	s->gen++;
}

/* The module's: skb:forward()'s transmit queue. */
int lskb_setup(void);
void lskb_teardown(void);

#endif /* LUNATIK_SKB_H */
