// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * stkprintf.c - snprintf for the stack meter (lua-stk, linked with
 * --wrap=snprintf).
 *
 * Lua formats every integer through snprintf("%lld") (lua_integer2str),
 * also on its error path.  glibc's vfprintf takes ~1.5 KiB of stack where
 * the kernel's vsnprintf takes ~0.2 KiB, so the meter would charge Lua's
 * error path for glibc.  Integers are formatted here, in a small frame;
 * every other format still goes to glibc.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int __wrap_snprintf(char *s, size_t n, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	if (!strcmp(fmt, "%lld")) {
		long long v = va_arg(ap, long long);
		unsigned long long u = v < 0 ? 0ull - v : (unsigned long long)v;
		char digits[24];
		int i = 0, j;

		do {
			digits[i++] = '0' + u % 10;
			u /= 10;
		} while (u);
		if (v < 0)
			digits[i++] = '-';
		len = i;
		for (j = 0; j < i && (size_t)j + 1 < n; j++)
			s[j] = digits[i - 1 - j];
		if (n)
			s[j] = '\0';
	} else {
		len = vsnprintf(s, n, fmt, ap);
	}
	va_end(ap);
	return len;
}
