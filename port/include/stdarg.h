/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <stdarg.h> for Lua in the kernel: the kernel's */
#ifndef _LPORT_STDARG_H
#define _LPORT_STDARG_H
#include "lport_libc.h"
#endif
