/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <ctype.h> for Lua in the kernel: the kernel's, "C" locale */
#ifndef _LPORT_CTYPE_H
#define _LPORT_CTYPE_H
#include "lport_libc.h"
#endif
