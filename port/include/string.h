/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <string.h> for Lua in the kernel: see lport_libc.h */
#ifndef _LPORT_STRING_H
#define _LPORT_STRING_H
#include "lport_libc.h"
#include "lport_nocurrent.h"

#define strcoll(a, b)	strcmp(a, b)	/* the "C" locale */
#define strerror(e)	lport_strerror(e)
#endif
