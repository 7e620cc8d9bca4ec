/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <assert.h> for Lua in the kernel (only used with LUAI_ASSERT) */
#ifndef _LPORT_ASSERT_H
#define _LPORT_ASSERT_H
#include "lport_libc.h"
#include <linux/bug.h>

#define assert(c)	WARN_ON_ONCE(!(c))
#endif
