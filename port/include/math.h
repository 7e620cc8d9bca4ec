/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * <math.h> for Lua in the kernel.  lua_Number is an integer (lportconf.h);
 * these only keep the never-taken float paths of the VM compiling, with
 * integer meanings.
 */
#ifndef _LPORT_MATH_H
#define _LPORT_MATH_H
#include "lport_libc.h"

static inline long long lport_ldexp(long long x, int e)
{
	return e >= 0 ? (long long)((unsigned long long)x << (e & 63)) :
			x >> ((-e) & 63);
}

static inline long long lport_frexp(long long x, int *e)
{
	*e = 0;
	return x;
}

#define ldexp(x, e)	lport_ldexp(x, e)
#define frexp(x, e)	lport_frexp(x, e)
#define fabs(x)		((x) < 0 ? -(x) : (x))
#define floor(x)	(x)
#endif
