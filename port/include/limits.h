/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <limits.h> for Lua in the kernel: the kernel's, plus what it lacks */
#ifndef _LPORT_LIMITS_H
#define _LPORT_LIMITS_H
#include "lport_libc.h"

/*
 * The kernel writes these as casts (UINT_MAX is (~0U)), which #if cannot
 * evaluate or evaluates in uintmax_t; Lua tests them in #if.  Same values,
 * as plain constants.
 */
#undef SHRT_MAX
#undef USHRT_MAX
#undef INT_MAX
#undef INT_MIN
#undef UINT_MAX
#undef LONG_MAX
#undef LONG_MIN
#undef ULONG_MAX
#undef LLONG_MAX
#undef LLONG_MIN
#undef ULLONG_MAX
#define CHAR_BIT	8
#define SCHAR_MAX	127
#define UCHAR_MAX	255
#define SHRT_MAX	32767
#define USHRT_MAX	65535
#define INT_MAX		2147483647
#define INT_MIN		(-INT_MAX - 1)
#define UINT_MAX	4294967295U
#define LONG_MAX	9223372036854775807L
#define LONG_MIN	(-LONG_MAX - 1L)
#define ULONG_MAX	18446744073709551615UL
#define LLONG_MAX	9223372036854775807LL
#define LLONG_MIN	(-LLONG_MAX - 1LL)
#define ULLONG_MAX	18446744073709551615ULL
#endif
