/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * <setjmp.h> for Lua in the kernel: ldo.c includes it, but its error
 * handling (LUAI_THROW, LUAI_TRY, luai_jmpbuf) is configured in
 * lportconf.h on top of port/setjmp_x86_64.S.
 */
#ifndef _LPORT_SETJMP_H
#define _LPORT_SETJMP_H
#endif
