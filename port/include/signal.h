/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <signal.h> for Lua in the kernel: only the type of L->hookmask */
#ifndef _LPORT_SIGNAL_H
#define _LPORT_SIGNAL_H
#include "lport_libc.h"

typedef int sig_atomic_t;
#endif
