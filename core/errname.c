// SPDX-License-Identifier: GPL-2.0
/*
 * Errno names for the bindings' errors and linux.errname(): one table,
 * made from the target kernel's headers by core/gen-errnames.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>

#include "lunatik.h"

struct errname {
	int err;
	const char *name;
};

#include "errnames.h"

const char *lunatik_errname(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < ARRAY_SIZE(errnames); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	return NULL;
}
EXPORT_SYMBOL(lunatik_errname);
