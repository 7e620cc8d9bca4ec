/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * setjmp_x86_64.S - setjmp/longjmp for Lua's error handling (x86_64).
 *
 * Lua raises errors with longjmp (LUAI_THROW in lportconf.h).  Only the
 * callee-saved registers of the SysV ABI, the stack pointer and the return
 * address are kept: the kernel uses no FPU/SSE state and no signal mask.
 *
 * jmp_buf layout (8 words): rbx, rbp, r12, r13, r14, r15, rsp, rip.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

	.text

/* int lport_setjmp(lport_jmp_buf env): 0 now, val later through longjmp */
SYM_FUNC_START(lport_setjmp)
	movq	%rbx, 0x00(%rdi)
	movq	%rbp, 0x08(%rdi)
	movq	%r12, 0x10(%rdi)
	movq	%r13, 0x18(%rdi)
	movq	%r14, 0x20(%rdi)
	movq	%r15, 0x28(%rdi)
	leaq	8(%rsp), %rdx		/* rsp after our return */
	movq	%rdx, 0x30(%rdi)
	movq	(%rsp), %rdx		/* our return address */
	movq	%rdx, 0x38(%rdi)
	xorl	%eax, %eax
	RET
SYM_FUNC_END(lport_setjmp)

/* void lport_longjmp(lport_jmp_buf env, int val): resume setjmp's caller */
SYM_FUNC_START(lport_longjmp)
	movl	%esi, %eax
	testl	%eax, %eax		/* setjmp must not appear to return 0 */
	jnz	1f
	incl	%eax
1:	movq	0x00(%rdi), %rbx
	movq	0x08(%rdi), %rbp
	movq	0x10(%rdi), %r12
	movq	0x18(%rdi), %r13
	movq	0x20(%rdi), %r14
	movq	0x28(%rdi), %r15
	movq	0x30(%rdi), %rsp
	movq	0x38(%rdi), %rdx
	ANNOTATE_RETPOLINE_SAFE
	jmp	*%rdx
SYM_FUNC_END(lport_longjmp)

/* no executable stack (the hosted link warns without it) */
	.section .note.GNU-stack,"",@progbits
