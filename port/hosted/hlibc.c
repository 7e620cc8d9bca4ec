// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * hlibc.c - the hosted build's side of the output functions of
 * lportconf.h: standard output and error instead of the kernel log.
 */
#include <stdio.h>

#include "lport.h"

int lport_quiet;	/* the fuzzer discards print() */

void lport_writestring(const char *s, size_t len)
{
	if (!lport_quiet)
		fwrite(s, 1, len, stdout);
}

void lport_writeerror(const char *fmt, const char *s)
{
	fprintf(stderr, fmt, s);
	fflush(stderr);
}
