/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <float.h> for Lua in the kernel: empty, there are no floats */
#ifndef _LPORT_FLOAT_H
#define _LPORT_FLOAT_H
#endif
