/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * Lua's lexer has a field named 'current' (LexState, llex.h); the kernel's
 * 'current' is an object-like macro.  The include guard of asm/current.h
 * keeps it undefined for the rest of the translation unit.
 *
 * Only <string.h>, <stdlib.h> and <locale.h> include this: every Lua source
 * that sees llex.h includes one of them, while the headers that code using
 * lua.h/lauxlib.h gets (<limits.h>, <stddef.h>, <stdarg.h>, <stdio.h>,
 * <setjmp.h>) leave 'current' alone.
 */
#ifndef _LPORT_NOCURRENT_H
#define _LPORT_NOCURRENT_H
#include <asm/current.h>
#undef current
#endif
