/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <time.h> for Lua in the kernel (ltablib seeds its pivot choice) */
#ifndef _LPORT_TIME_H
#define _LPORT_TIME_H
#include "lport_libc.h"

typedef lport_time_t time_t;
typedef lport_clock_t clock_t;
#define time(t)		lport_time(t)
#define clock()		lport_clock()
#endif
