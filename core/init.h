/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core's setup, for the module's entry points (control/module.c);
 * not for bindings.
 */
#ifndef LUNATIK_INIT_H
#define LUNATIK_INIT_H

/* Before anything may create a runtime.  Return: 0 or -ENOMEM. */
int lunatik_core_init(void);

/*
 * After the control interface is gone and every binding unloaded: stops
 * the named runtimes, drains the queues; WARNs if an object or a runtime
 * is left (the census).
 */
void lunatik_core_exit(void);

#endif /* LUNATIK_INIT_H */
