/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <stdlib.h> for Lua in the kernel: see lport_libc.h */
#ifndef _LPORT_STDLIB_H
#define _LPORT_STDLIB_H
#include "lport_libc.h"
#include "lport_nocurrent.h"

#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1
#define abort()	lport_abort()
#define realloc(p, n)	lport_realloc(p, n)
#define free(p)		lport_free(p)
#define getenv(name)	((void)(name), (char *)NULL)	/* no environment */
#endif
