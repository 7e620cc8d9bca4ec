// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * lthrow.c - Lua's error unwinding in the kernel (LUAI_THROW).
 *
 * Under KASAN, every frame that lport_longjmp() abandons may still carry
 * the poison of its stack redzones; the next function to use that stack
 * would then trip a false "stack-out-of-bounds".  Unpoison the abandoned
 * part of the stack, from here up to the frame setjmp saved, first.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/kasan.h>
#include <asm/asm.h>

#include "lua.h"

void lport_throw(lport_jmp_buf env)
{
#if defined(CONFIG_KASAN_GENERIC) && defined(CONFIG_KASAN_STACK)
	unsigned long lo = current_stack_pointer &
			   ~((1UL << KASAN_SHADOW_SCALE_SHIFT) - 1);
	unsigned long hi = env[6];	/* rsp in setjmp's caller */

	if (hi > lo)
		__memset(kasan_mem_to_shadow((void *)lo), 0,
			 (hi - lo) >> KASAN_SHADOW_SCALE_SHIFT);
#endif
	lport_longjmp(env, 1);
}
