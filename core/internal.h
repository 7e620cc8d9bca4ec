/* SPDX-License-Identifier: GPL-2.0 */
/* Private to core/: not for bindings. */
#ifndef LUNATIK_INTERNAL_H
#define LUNATIK_INTERNAL_H

#include "lunatik.h"

/* lib.c: standard libraries + the binding searcher + "lunatik" */
void lunatik_openlibs(lua_State *L);
int lunatik_open_lunatik(lua_State *L);

/* script.c */
void lunatik_scripts_exit(void);

/* eval.c: the debugfs test entry */
void lunatik_eval_init(void);
void lunatik_eval_exit(void);

#endif
