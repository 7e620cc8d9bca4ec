/* SPDX-License-Identifier: GPL-2.0 */
/*
 * genl.h - the control interface's entry points, for control/module.c.
 */
#ifndef LUNATIK_GENL_H
#define LUNATIK_GENL_H

/*
 * Register the "lunatik" generic netlink family.  Call last in the module's
 * init, once runtimes can be created: requests arrive as soon as it returns.
 */
int lunatik_genl_init(void);

/*
 * Unregister the family.  Call first in the module's exit: it waits for the
 * requests in flight, and no new one can start after it returns.
 */
void lunatik_genl_exit(void);

#endif /* LUNATIK_GENL_H */
