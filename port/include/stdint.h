/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <stdint.h> for Lua in the kernel: the kernel's */
#ifndef _LPORT_STDINT_H
#define _LPORT_STDINT_H
#include "lport_libc.h"
#endif
