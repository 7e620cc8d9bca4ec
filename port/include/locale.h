/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <locale.h> for Lua in the kernel: only the "C" locale (see lportconf.h) */
#ifndef _LPORT_LOCALE_H
#define _LPORT_LOCALE_H
#include "lport_libc.h"
#include "lport_nocurrent.h"
#endif
