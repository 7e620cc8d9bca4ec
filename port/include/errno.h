/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <errno.h> for Lua in the kernel: kernel codes, errno in lport_libc.h */
#ifndef _LPORT_ERRNO_H
#define _LPORT_ERRNO_H
#include "lport_libc.h"
#include <linux/errno.h>
#endif
