/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* user-space stand-ins for the kernel macros setjmp_x86_64.S uses */
#define SYM_FUNC_START(name)	.globl name; .type name, @function; name:
#define SYM_FUNC_END(name)	.size name, . - name
#define RET			ret
