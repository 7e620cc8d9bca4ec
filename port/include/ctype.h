/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * <ctype.h> for Lua in the kernel: the "C" locale.  The kernel's own ctype
 * classifies Latin-1 letters (0xc0-0xfe) as alphabetic and case-maps them,
 * which would make string.upper, %a and %l differ from Lua everywhere
 * else; these are ASCII only.
 */
#ifndef _LPORT_CTYPE_H
#define _LPORT_CTYPE_H
#include "lport_libc.h"
#include <linux/ctype.h>

#undef isalpha
#undef isdigit
#undef isalnum
#undef islower
#undef isupper
#undef isspace
#undef ispunct
#undef iscntrl
#undef isgraph
#undef isprint
#undef isxdigit
#undef tolower
#undef toupper

static inline int lport_isupper(int c) { return (unsigned int)c - 'A' < 26; }
static inline int lport_islower(int c) { return (unsigned int)c - 'a' < 26; }
static inline int lport_isdigit(int c) { return (unsigned int)c - '0' < 10; }
static inline int lport_isalpha(int c)
{
	return lport_isupper(c) || lport_islower(c);
}
static inline int lport_isalnum(int c)
{
	return lport_isalpha(c) || lport_isdigit(c);
}
static inline int lport_isxdigit(int c)
{
	return lport_isdigit(c) || (unsigned int)(c | 32) - 'a' < 6;
}
static inline int lport_isspace(int c)
{
	return c == ' ' || (unsigned int)c - '\t' < 5;
}
static inline int lport_iscntrl(int c)
{
	return (unsigned int)c < 32 || c == 127;
}
static inline int lport_isgraph(int c) { return (unsigned int)c - 33 < 94; }
static inline int lport_isprint(int c) { return (unsigned int)c - 32 < 95; }
static inline int lport_ispunct(int c)
{
	return lport_isgraph(c) && !lport_isalnum(c);
}
static inline int lport_tolower(int c)
{
	return lport_isupper(c) ? c | 32 : c;
}
static inline int lport_toupper(int c)
{
	return lport_islower(c) ? c & ~32 : c;
}

#define isalpha(c)	lport_isalpha(c)
#define isdigit(c)	lport_isdigit(c)
#define isalnum(c)	lport_isalnum(c)
#define islower(c)	lport_islower(c)
#define isupper(c)	lport_isupper(c)
#define isspace(c)	lport_isspace(c)
#define ispunct(c)	lport_ispunct(c)
#define iscntrl(c)	lport_iscntrl(c)
#define isgraph(c)	lport_isgraph(c)
#define isprint(c)	lport_isprint(c)
#define isxdigit(c)	lport_isxdigit(c)
#define tolower(c)	lport_tolower(c)
#define toupper(c)	lport_toupper(c)

#endif
