/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * lalloc.h - allocator internals shared with the hosted test programs.
 * The core uses lport.h only.
 */
#ifndef _LPORT_LALLOC_H
#define _LPORT_LALLOC_H

#ifndef __KERNEL__
/* fail the @n-th allocation growing a block and all later ones (0: none) */
void lport_failnth(unsigned long n);
/* growing allocations since the last lport_failnth() */
unsigned long lport_nallocs(void);
#endif

#endif /* _LPORT_LALLOC_H */
