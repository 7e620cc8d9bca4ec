// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * lalloc.c - the allocator of Lua states: accounting, cap, and the blocks.
 *
 * The accounting and the cap (lport_alloc) are the same code in the kernel
 * and in the hosted build, so the allocation-failure tests run in user
 * space check the logic the kernel runs.  Only getting and releasing
 * blocks differs (block_resize/block_free below).
 */
#include "lport.h"
#include "lalloc.h"

#ifdef __KERNEL__
#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

/* blocks above this come from kvmalloc() when the context may sleep */
#define LPORT_KMALLOC_MAX	PAGE_SIZE

static void *block_new(const struct lport_mem *mem, size_t size)
{
	gfp_t gfp = mem->gfp | __GFP_NOWARN;

	if (mem->can_sleep && size > LPORT_KMALLOC_MAX)
		return kvmalloc(size, gfp);
	return kmalloc(size, gfp);
}

/*
 * vfree() may sleep and vfree_atomic() is not exported: a vmalloc'd block
 * released where sleeping is not allowed is queued (the block itself holds
 * the list node) and freed by a work item.
 */
static LLIST_HEAD(vfree_list);

static void vfree_work_fn(struct work_struct *work)
{
	struct llist_node *node, *next;

	llist_for_each_safe(node, next, llist_del_all(&vfree_list))
		vfree(node);
}

static DECLARE_WORK(vfree_work, vfree_work_fn);

static void block_free(const struct lport_mem *mem, void *ptr)
{
	if (!is_vmalloc_addr(ptr))
		kfree(ptr);
	else if (mem->can_sleep)
		vfree(ptr);
	else if (llist_add(ptr, &vfree_list))
		schedule_work(&vfree_work);
}

void lport_exit(void)
{
	flush_work(&vfree_work);
}

/*
 * krealloc() only knows kmalloc'd blocks.  Those stay with krealloc() while
 * they are small or the context cannot sleep (it never fails to shrink:
 * the block is kept when it is big enough).  vmalloc'd blocks, and blocks
 * growing past LPORT_KMALLOC_MAX, move to a new block; a vmalloc'd block
 * that shrinks is kept where it is.
 */
static void *block_resize(const struct lport_mem *mem, void *ptr,
			  size_t osize, size_t nsize)
{
	void *nptr;

	if (!ptr)
		return block_new(mem, nsize);
	if (!is_vmalloc_addr(ptr)) {
		if (nsize <= LPORT_KMALLOC_MAX || !mem->can_sleep)
			return krealloc(ptr, nsize, mem->gfp | __GFP_NOWARN);
	} else if (nsize <= osize) {
		return ptr;
	}
	nptr = block_new(mem, nsize);
	if (!nptr)
		return NULL;
	memcpy(nptr, ptr, min(osize, nsize));
	block_free(mem, ptr);
	return nptr;
}

#else /* hosted */
#include <stdlib.h>

void lport_exit(void)
{
}

/*
 * Fail the n-th growing allocation and every later one: a single failure
 * is mostly absorbed by Lua's emergency collection and retry.
 */
static unsigned long fail_nth;
static unsigned long nallocs;

void lport_failnth(unsigned long n)
{
	fail_nth = n;
	nallocs = 0;
}

unsigned long lport_nallocs(void)
{
	return nallocs;
}

static void block_free(const struct lport_mem *mem, void *ptr)
{
	(void)mem;
	free(ptr);
}

static void *block_resize(const struct lport_mem *mem, void *ptr,
			  size_t osize, size_t nsize)
{
	(void)mem;
	if (nsize > osize && ++nallocs >= fail_nth && fail_nth)
		return NULL;
	return realloc(ptr, nsize);
}
#endif /* __KERNEL__ */

/* may the state hold @delta more bytes? */
static bool mem_charge(struct lport_mem *mem, size_t delta)
{
	size_t held = mem->used + lport_mem_charged(mem);

	if (mem->cap && (held > mem->cap || delta > mem->cap - held))
		return false;
	mem->used += delta;
	if (mem->used > mem->peak)
		mem->peak = mem->used;
	return true;
}

void *lport_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct lport_mem *mem = ud;
	size_t old = ptr ? osize : 0;	/* else osize is a type tag */
	void *nptr;

#ifdef __KERNEL__
	/* C loops that allocate or free a lot (closing a deep stack, a big
	 * collection) tick no budget: give the CPU away here instead */
	if (mem->can_sleep)
		cond_resched();
#endif
	if (nsize == 0) {
		if (ptr) {
			block_free(mem, ptr);
			mem->used -= old;
		}
		return NULL;
	}
	if (nsize <= old) {
		nptr = block_resize(mem, ptr, old, nsize);
		mem->used -= old - nsize;
		return nptr ? nptr : ptr;	/* shrinking never fails */
	}
	if (!mem_charge(mem, nsize - old))
		goto fail;
	nptr = block_resize(mem, ptr, old, nsize);
	if (!nptr) {
		mem->used -= nsize - old;
		goto fail;
	}
	return nptr;
fail:
	mem->failures++;
	return NULL;
}
