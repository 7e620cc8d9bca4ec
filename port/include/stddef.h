/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <stddef.h> for Lua in the kernel: the kernel's */
#ifndef _LPORT_STDDEF_H
#define _LPORT_STDDEF_H
#include "lport_libc.h"
#endif
